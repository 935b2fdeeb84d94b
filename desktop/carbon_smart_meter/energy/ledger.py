"""The energy ledger: integrates what each device measured and checks it against what the device signed.

Fed the hub's Envelopes in stream order. For every device (Envelope.source) it keeps the running
sample-block hash chain (PROTOCOL.md 3.2) and the newest accepted checkpoint; each new checkpoint is
checked for signer, order and chain head, and its energy delta is compared with our own integration of
the blocks in between. Results are typed findings, never exceptions: a bad checkpoint is data to show.

Assumption (stated for the firmware): a checkpoint covers exactly the blocks sent before it, i.e. the
device closes its current block before it signs, so the signed energy and the hashed blocks agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.energy.findings import (
    CheckpointFinding,
    CheckpointStatus,
    EnergyDivergence,
    Finding,
    GapFinding,
)
from carbon_smart_meter.energy.integrate import (
    JOULES_PER_MWH,
    ToSI,
    block_time_offset_ns,
    factory_converter,
    integrate_blocks,
)
from carbon_smart_meter.energy.totals import EnergyTotals
from carbon_smart_meter.errors import SignatureError
from carbon_smart_meter.protocol.messages import Checkpoint, Hello, SampleBlock
from carbon_smart_meter.protocol.signing import CheckpointMessage, keccak256, recover_address

#: to_si(source, block) -> (volts, amperes); the calibration layer injects its own.
SourceToSI = Callable[[str, SampleBlock], tuple[np.ndarray, np.ndarray]]
ZERO_HEAD = bytes(32)
RECENT_CHECKPOINTS = 64  # kept to tell a replay (same seq) from a reorder; older ones are below the anchor
MAX_PENDING_BLOCKS = 1000  # ~10 s at 200 kS/s: HELLO repeats every 10 s


@dataclass
class DeviceTrack:
    """Everything the ledger knows about one source."""

    hello: Hello | None = None
    last_block: SampleBlock | None = None
    last_power_w: float = 0.0
    head: bytes | None = None          # our running chain head; None while unknown
    gap_since_checkpoint: bool = False
    anchor: CheckpointMessage | None = None
    accepted: dict[int, bytes] = field(default_factory=dict)  # seq -> message bytes
    measured_j: float = 0.0            # integrated since the anchor
    max_power_w: float = 0.0
    max_period_ns: int = 0
    reverse_j: float = 0.0
    gaps: int = 0
    totals: EnergyTotals = field(default_factory=EnergyTotals)
    pending: list[Envelope] = field(default_factory=list)


class EnergyLedger:
    """Per-device energy totals and checkpoint verification.

    `calibration_uncertainty` is the relative uncertainty of the power measurement (0.01 = 1 %); a
    device delta that differs from ours by more than that, plus one mWh of rounding and one sample
    interval at peak power per end, is a divergence.
    """

    def __init__(self, to_si: SourceToSI | None = None, calibration_uncertainty: float = 0.01) -> None:
        self._to_si = to_si
        self.calibration_uncertainty = calibration_uncertainty
        self.tracks: dict[str, DeviceTrack] = {}

    def track(self, source: str) -> DeviceTrack:
        return self.tracks.setdefault(source, DeviceTrack())

    def feed(self, envelope: Envelope) -> list[Finding]:
        return self.feed_many([envelope])

    def feed_many(self, envelopes: Iterable[Envelope]) -> list[Finding]:
        """Process envelopes in order; consecutive blocks of one source are integrated in one call."""
        findings: list[Finding] = []
        run: list[Envelope] = []
        for env in envelopes:
            if isinstance(env.record, SampleBlock) and (not run or run[0].source == env.source):
                run.append(env)
                continue
            if run:
                findings += self._blocks(run)
                run = []
            if isinstance(env.record, SampleBlock):
                run.append(env)
            elif isinstance(env.record, Hello):
                findings += self._hello(env.source, env.record)
            elif isinstance(env.record, Checkpoint):
                findings += self._checkpoint(env.source, env.record)
        if run:
            findings += self._blocks(run)
        return findings

    # -- records -------------------------------------------------------------------------------------

    def _hello(self, source: str, hello: Hello) -> list[Finding]:
        tr = self.track(source)
        if tr.hello is not None and tr.hello.device != hello.device:
            self.tracks[source] = tr = DeviceTrack()  # another adapter on the same port
        tr.hello = hello
        pending, tr.pending = tr.pending, []
        return self._blocks(pending) if pending else []

    def _converter(self, source: str, tr: DeviceTrack) -> ToSI:
        if self._to_si is not None:
            to_si = self._to_si
            return lambda block: to_si(source, block)
        assert tr.hello is not None
        return factory_converter(tr.hello.v_lsb, tr.hello.i_lsb)

    def _blocks(self, run: list[Envelope]) -> list[Finding]:
        source = run[0].source
        tr = self.track(source)
        if self._to_si is None and tr.hello is None:
            tr.pending.extend(run)  # scales unknown until HELLO: hold, never guess
            del tr.pending[:-MAX_PENDING_BLOCKS]
            return []
        blocks = [env.record for env in run if isinstance(env.record, SampleBlock)]  # feed_many: all are
        findings: list[Finding] = []
        previous = None
        if tr.last_block is not None and blocks[0].first_sample >= tr.last_block.end_sample:
            previous = (tr.last_block, tr.last_power_w)
        for block in blocks:
            self._hash(tr, block)
        offsets = [block_time_offset_ns(b, env.received_utc_ns) for b, env in zip(blocks, run, strict=True)]
        result = integrate_blocks(blocks, self._converter(source, tr), previous, offsets)
        for gap in result.gaps:
            tr.gaps += 1
            findings.append(GapFinding(source, gap.after_sample, gap.missing,
                                       f"{source}: {gap.missing} samples lost after sample "
                                       f"{gap.after_sample}; their energy is not counted"))
        tr.totals.add(result.interval_energy_j, result.interval_start_ns)
        tr.measured_j += result.energy_j
        tr.reverse_j += result.reverse_energy_j
        tr.max_power_w = max(tr.max_power_w, result.max_power_w)
        tr.max_period_ns = max(tr.max_period_ns, result.max_period_ns)
        tr.last_block, tr.last_power_w = blocks[-1], result.last_power_w
        return findings

    def _hash(self, tr: DeviceTrack, block: SampleBlock) -> None:
        """Extend our chain head. Across a forward gap we keep hashing: blocks a device dropped from its full
        transmit buffer were never hashed (PROTOCOL.md 3.2), so the chain may still verify; a repeated or
        reordered block makes the head unknown until the next checkpoint."""
        expected = tr.last_block.end_sample if tr.last_block is not None else None
        if block.first_sample == 0 and expected != 0:
            tr.head = ZERO_HEAD  # device booted: its chain restarts from zeros
        elif expected is not None and block.first_sample != expected:
            tr.gap_since_checkpoint = True
            if block.first_sample < expected:
                tr.head = None
        elif expected is None:
            tr.gap_since_checkpoint = True  # joined mid-stream: blocks before this one were not seen
        if tr.head is not None:
            tr.head = keccak256(tr.head + block.payload)
        tr.last_block = block

    def _checkpoint(self, source: str, ckpt: Checkpoint) -> list[Finding]:
        tr = self.track(source)
        msg = ckpt.message
        raw = ckpt.message_bytes

        def finding(status: str, text: str) -> CheckpointFinding:
            return CheckpointFinding(source, msg.seq, msg.energy_mwh, status,
                                     f"{source} checkpoint {msg.seq}: {text}")

        if tr.hello is None:
            return [finding(CheckpointStatus.NO_HELLO, "device address unknown until its HELLO; not checked")]
        try:
            signer = recover_address(raw, ckpt.signature)
        except SignatureError as exc:
            return [finding(CheckpointStatus.BAD_SIGNATURE, f"signature is malformed ({exc})")]
        if signer != tr.hello.device or msg.device != tr.hello.device:
            return [finding(CheckpointStatus.BAD_SIGNATURE,
                            f"signed by 0x{signer.hex()}, not by the device 0x{tr.hello.device.hex()}: "
                            "forged or altered")]
        if msg.seq in tr.accepted:
            same = "identical" if tr.accepted[msg.seq] == raw else "different"
            return [finding(CheckpointStatus.REPLAYED, f"seq already accepted ({same} message): replay")]
        if tr.anchor is not None and msg.seq < tr.anchor.seq:
            return [finding(CheckpointStatus.REORDERED, f"seq is below the newest accepted {tr.anchor.seq}")]
        if tr.anchor is not None and msg.energy_mwh < tr.anchor.energy_mwh:
            return [finding(CheckpointStatus.ENERGY_DECREASING,
                            f"energy {msg.energy_mwh} mWh is below the previous {tr.anchor.energy_mwh} mWh")]
        out: list[Finding] = []
        if tr.head is not None and tr.head == msg.chain_head and tr.gap_since_checkpoint and tr.anchor is not None:
            # The missing samples were dropped by the device before sending: everything sent is proven,
            # but the device's energy includes samples we never saw, so the energies are not compared.
            out.append(finding(CheckpointStatus.VERIFIED, "hash chain verified across a gap: the missing blocks "
                               "were dropped by the device before sending, so their energy is only in its count"))
        elif tr.head is not None and tr.head != msg.chain_head and not tr.gap_since_checkpoint:
            out.append(finding(CheckpointStatus.CHAIN_MISMATCH,
                               "the sample blocks received do not hash to the signed chain head: "
                               "they were altered, reordered or duplicated"))
        elif tr.head is None or tr.gap_since_checkpoint:
            status = CheckpointStatus.ANCHORED if tr.anchor is None else CheckpointStatus.UNVERIFIABLE_GAP
            text = ("first checkpoint seen: the chain is verified from here on" if tr.anchor is None
                    else "blocks are missing since the previous checkpoint, so the chain cannot be checked")
            out.append(finding(status, text))
        else:
            out.append(finding(CheckpointStatus.VERIFIED, "signature, order and hash chain verified"))
            if tr.anchor is not None:  # energy is cumulative since manufacture: compare deltas only
                out += self._compare_energy(source, tr, msg)
        tr.anchor, tr.head = msg, msg.chain_head
        tr.accepted[msg.seq] = raw
        if len(tr.accepted) > RECENT_CHECKPOINTS:
            del tr.accepted[min(tr.accepted)]  # months of kiosk checkpoints must not grow without bound
        tr.max_power_w = abs(tr.last_power_w)  # the tolerance is per interval
        tr.gap_since_checkpoint = False
        tr.measured_j = 0.0
        return out

    def _compare_energy(self, source: str, tr: DeviceTrack, msg: CheckpointMessage) -> list[Finding]:
        assert tr.anchor is not None
        device_delta = msg.energy_mwh - tr.anchor.energy_mwh
        measured = tr.measured_j / JOULES_PER_MWH
        edge = 2 * tr.max_power_w * tr.max_period_ns * 1e-9 / JOULES_PER_MWH
        tolerance = 1.0 + edge + self.calibration_uncertainty * max(device_delta, measured)
        if abs(device_delta - measured) <= tolerance:
            return []
        return [EnergyDivergence(source, msg.seq, device_delta, measured, tolerance,
                                 f"{source} checkpoint {msg.seq}: device counted {device_delta} mWh, the "
                                 f"samples integrate to {measured:.1f} mWh (tolerance {tolerance:.1f} mWh)")]
