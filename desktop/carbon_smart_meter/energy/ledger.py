"""The energy ledger: integrates what each device measured and checks it against what the device signed.

Fed the hub's Envelopes in stream order. For every device (Envelope.source) it keeps the running
sample-block hash chain (PROTOCOL.md 3.2) and the newest accepted checkpoint; each new checkpoint is
checked for signer, order and chain head, and its energy delta is compared with the blocks in between
by the device's own rule (PROTOCOL.md 5: within 1 mWh plus the rounding of the period, per interval and
cumulatively over gapless stretches). Results are typed findings, never exceptions: a bad checkpoint is
data to show.

A lost block is honest; a changed one is not. A block lost on the wire right before a checkpoint is
only noticed at the next block (its `first_sample`) or from the link's frame-loss report, so a chain
mismatch with no loss known yet is decided then, not at the checkpoint (`finish()` decides the last).
And whatever was lost, the blocks received can never hold more energy than the device signed for.

Assumption (stated for the firmware): a checkpoint covers exactly the blocks sent before it, i.e. the
device closes its current block before it signs, so the signed energy and the hashed blocks agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from carbon_smart_meter.acquisition.records import Envelope, LinkEvent, LinkEventKind
from carbon_smart_meter.calibration.conversion import Conversion
from carbon_smart_meter.energy.findings import (
    CheckpointFinding,
    CheckpointStatus,
    EnergyDivergence,
    Finding,
    GapFinding,
    IntervalEnergy,
)
from carbon_smart_meter.energy.integrate import (
    JOULES_PER_MWH,
    PreviousSample,
    ToSI,
    block_time_offset_ns,
    integrate_power,
)
from carbon_smart_meter.energy.totals import EnergyTotals
from carbon_smart_meter.errors import SignatureError
from carbon_smart_meter.protocol.messages import Checkpoint, Hello, SampleBlock
from carbon_smart_meter.protocol.signing import CheckpointMessage, keccak256, recover_address

#: to_si(source, block) -> (volts, amperes); the calibration layer injects its own.
SourceToSI = Callable[[str, SampleBlock], tuple[np.ndarray, np.ndarray]]
#: (source, its HELLO) -> the converter of that device, asked at each HELLO (the live session's calibration).
ConverterFor = Callable[[str, Hello], ToSI]
ZERO_HEAD = bytes(32)
RECENT_CHECKPOINTS = 64  # kept to tell a replay (same seq) from a reorder; older ones are below the anchor
MAX_PENDING_BLOCKS = 1000  # ~10 s at 200 kS/s: HELLO repeats every 10 s
#: Link reports that mean frames (maybe sample blocks) were lost on the wire.
WIRE_LOSS_KINDS = frozenset({LinkEventKind.FRAME_LOSS, LinkEventKind.CORRUPT_FRAMES, LinkEventKind.MALFORMED})
FLOAT_SLACK = 1e-9  # relative: float sums on host and simulator (the firmware's integers are exact)


def energy_tolerance_mwh(received_mwh: float, min_period_ns: int) -> float:
    """PROTOCOL.md 5: one mWh of floor rounding plus the rounding of the period to whole nanoseconds."""
    x = abs(received_mwh)
    period = 0.5 * x / min_period_ns if min_period_ns else 0.0
    return 1.0 + period + FLOAT_SLACK * x


@dataclass
class _Deferred:
    """A checkpoint whose chain did not match while no loss was known: decided at the next block."""

    finding: dict
    end_sample: int | None
    bound: tuple[int, float, int] | None  # (signed delta, received mWh, min period) for the gap bound


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
    measured_j: float = 0.0            # integrated (trapezoid, calibrated) since the anchor
    max_power_w: float = 0.0
    max_period_ns: int = 0
    reverse_j: float = 0.0
    gaps: int = 0
    totals: EnergyTotals = field(default_factory=EnergyTotals)
    pending: list[Envelope] = field(default_factory=list)
    to_si: ToSI | None = None          # the device's converter, from its HELLO
    # ---- since the anchor, for the interval report and PROTOCOL.md 5 --------------------------------
    received_mwh: float = 0.0          # device rule: rectangles of max(0, v*i) through the HELLO scales
    calibrated_j: float = 0.0          # the same samples through the injected calibration
    unattributed_j: float = 0.0        # received before a device reset: no signature covers it
    samples: int = 0
    missing_samples: int = 0
    min_period_ns: int = 0
    reset_since_checkpoint: bool = False
    reset_inferred: bool = False       # a block went back before the HELLO with the new boot count
    start_unknown: bool = False        # the interval's first block came with no known expected sample
    wire_loss: bool = False
    t_first_ns: int | None = None
    t_last_ns: int | None = None
    interval_totals: EnergyTotals = field(default_factory=EnergyTotals)
    anchor_end_sample: int | None = None
    deferred: list[_Deferred] = field(default_factory=list)
    # ---- the current gapless stretch of verified intervals ------------------------------------------
    stretch_signed_mwh: int = 0
    stretch_received_mwh: float = 0.0
    stretch_intervals: int = 0
    stretch_min_period_ns: int = 0


class EnergyLedger:
    """Per-device energy totals and checkpoint verification.

    `calibration_uncertainty` is kept for callers of the earlier API; the energy check now follows
    PROTOCOL.md 5 exactly (the device's integer rule through its factory scales), which needs no
    calibration allowance.
    """

    def __init__(self, to_si: SourceToSI | None = None, calibration_uncertainty: float = 0.01,
                 converter_for: ConverterFor | None = None) -> None:
        """Samples become SI through `to_si` when given (one converter for every source), else through
        `converter_for(source, hello)` asked at each HELLO, else the factory scales the HELLO announces."""
        self._to_si = to_si
        self._converter_for = converter_for
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
            elif isinstance(env.record, LinkEvent) and env.record.kind in WIRE_LOSS_KINDS:
                findings += self._wire_loss(env.source)
        if run:
            findings += self._blocks(run)
        return findings

    def finish(self, source: str | None = None) -> list[Finding]:
        """End of stream: decide checkpoints still waiting for the next block (no loss was ever shown)."""
        out: list[Finding] = []
        for src, tr in self.tracks.items():
            if source is None or src == source:
                out += self._decide(src, tr, lost=tr.wire_loss)
        return out

    def open_interval(self, source: str) -> IntervalEnergy:
        """What was received since the newest accepted checkpoint (not signed for yet)."""
        tr = self.track(source)
        return self._interval(tr, None, None)

    # -- records -------------------------------------------------------------------------------------

    def _hello(self, source: str, hello: Hello) -> list[Finding]:
        tr = self.track(source)
        if tr.hello is not None and tr.hello.device != hello.device:
            self.tracks[source] = tr = DeviceTrack()  # another adapter on the same port
        elif tr.hello is not None and tr.hello.boot_count != hello.boot_count and not tr.reset_inferred:
            self._reset(tr)  # (when reset_inferred, a block going back already told us)
        tr.reset_inferred = False
        tr.hello = hello
        tr.to_si = (self._converter_for(source, hello) if self._converter_for is not None
                    else Conversion.factory(hello.v_lsb, hello.i_lsb).to_si)
        pending, tr.pending = tr.pending, []
        return self._blocks(pending) if pending else []

    def _wire_loss(self, source: str) -> list[Finding]:
        tr = self.track(source)
        if tr.deferred:
            return self._decide(source, tr, lost=True)  # the loss came before the checkpoint we held
        tr.wire_loss = True
        return []

    def _converter(self, source: str, tr: DeviceTrack) -> Callable[[SampleBlock], tuple[np.ndarray, np.ndarray]]:
        if self._to_si is not None:
            to_si = self._to_si
            return lambda block: to_si(source, block)
        assert tr.to_si is not None
        return tr.to_si

    def _reset(self, tr: DeviceTrack) -> None:
        """The device restarted: energy since its last checkpoint is lost to it (PROTOCOL.md 4.1), so what
        we received before the reset is covered by no signature."""
        tr.unattributed_j += tr.calibrated_j
        tr.calibrated_j = tr.received_mwh = 0.0
        tr.reset_since_checkpoint = True
        tr.head = ZERO_HEAD
        tr.last_block = None
        tr.anchor_end_sample = None

    def _blocks(self, run: list[Envelope]) -> list[Finding]:
        source = run[0].source
        tr = self.track(source)
        if self._to_si is None and tr.hello is None:
            tr.pending.extend(run)  # scales unknown until HELLO: hold, never guess
            del tr.pending[:-MAX_PENDING_BLOCKS]
            return []
        findings: list[Finding] = []
        start = 0
        blocks = [env.record for env in run if isinstance(env.record, SampleBlock)]  # feed_many: all are
        for k, block in enumerate(blocks):  # split at device resets: energy before one is no interval's
            last = tr.last_block if k == start else blocks[k - 1]
            if last is not None and block.first_sample < last.end_sample:
                if k > start:
                    findings += self._segment(source, tr, run[start:k])
                self._reset(tr)
                tr.reset_inferred = True  # the HELLO with the new boot count may still come
                start = k
        findings += self._segment(source, tr, run[start:])
        return findings

    def _segment(self, source: str, tr: DeviceTrack, run: list[Envelope]) -> list[Finding]:
        blocks = [env.record for env in run if isinstance(env.record, SampleBlock)]  # feed_many: all are
        findings: list[Finding] = []
        if tr.deferred:
            first = blocks[0].first_sample
            end = tr.deferred[-1].end_sample
            boundary_gap = end is not None and first > end
            findings += self._decide(source, tr, lost=boundary_gap)
            if boundary_gap:  # that loss belongs to the interval just decided, not to this one
                tr.last_block = None
                tr.anchor_end_sample = first
        if tr.last_block is None and tr.anchor_end_sample is None and tr.reset_since_checkpoint \
                and blocks[0].first_sample > 0:
            lost = blocks[0].first_sample  # the new boot counted these before its first block we saw
            tr.gaps += 1
            tr.missing_samples += lost
            findings.append(GapFinding(source, 0, lost, f"{source}: {lost} samples of the device's new boot "
                                                        "were lost before its first block arrived"))
        previous = None
        if tr.last_block is not None and blocks[0].first_sample >= tr.last_block.end_sample:
            previous = (tr.last_block, tr.last_power_w)
        for block in blocks:
            self._hash(tr, block)
        n = len(blocks)
        offsets = np.fromiter((block_time_offset_ns(b, env.received_utc_ns)
                               for b, env in zip(blocks, run, strict=True)), dtype=np.int64, count=n)
        counts = np.fromiter((b.count for b in blocks), dtype=np.int64, count=n)
        periods = np.fromiter((b.period_ns for b in blocks), dtype=np.int64, count=n)
        firsts = np.fromiter((b.first_sample for b in blocks), dtype=np.int64, count=n)
        t0_ns = np.fromiter((b.t0_us for b in blocks), dtype=np.int64, count=n) * 1000 + offsets
        to_si = self._converter(source, tr)
        volts, amps = zip(*(to_si(b) for b in blocks), strict=True)
        power = np.concatenate(volts).astype(np.float64) * np.concatenate(amps).astype(np.float64)
        prev = PreviousSample(previous[0].end_sample, previous[0].period_ns, previous[1]) if previous else None
        result = integrate_power(power, counts, periods, firsts, t0_ns, prev)
        for gap in result.gaps:
            tr.gaps += 1
            tr.missing_samples += gap.missing
            findings.append(GapFinding(source, gap.after_sample, gap.missing,
                                       f"{source}: {gap.missing} samples lost after sample "
                                       f"{gap.after_sample}; their energy is not counted"))
        tr.totals.add(result.interval_energy_j, result.interval_start_ns)
        tr.measured_j += result.energy_j
        tr.reverse_j += result.reverse_energy_j
        tr.max_power_w = max(tr.max_power_w, result.max_power_w)
        tr.max_period_ns = max(tr.max_period_ns, result.max_period_ns)
        tr.last_block, tr.last_power_w = blocks[-1], result.last_power_w
        self._account(tr, blocks, power, counts, periods, t0_ns)
        return findings

    def _account(self, tr: DeviceTrack, blocks: list[SampleBlock], power: np.ndarray, counts: np.ndarray,
                 periods: np.ndarray, t0_ns: np.ndarray) -> None:
        """The rectangle sums of PROTOCOL.md 5 (device scales) and of the calibration, per sample."""
        assert tr.hello is not None or self._to_si is not None
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        v = np.concatenate([b.voltage_codes for b in blocks]).astype(np.float64)
        i = np.concatenate([b.current_codes for b in blocks]).astype(np.float64)
        products = np.maximum(v * i, 0.0)  # exact: 20-bit codes give products below 2^53
        per_block = np.add.reduceat(products, starts) * periods.astype(np.float64)
        if tr.hello is not None:
            tr.received_mwh += float(per_block.sum()) * tr.hello.v_lsb * tr.hello.i_lsb / 3.6e9
        block_of = np.repeat(np.arange(len(blocks)), counts)
        e = np.maximum(power, 0.0) * periods[block_of] * 1e-9
        tr.calibrated_j += float(e.sum())
        within = np.arange(power.size) - starts[block_of]
        t_ns = t0_ns[block_of] + within * periods[block_of]
        tr.interval_totals.add(e, t_ns)
        tr.samples += int(counts.sum())
        lo = int(periods.min())
        tr.min_period_ns = lo if not tr.min_period_ns else min(tr.min_period_ns, lo)
        if tr.t_first_ns is None:
            tr.t_first_ns = int(t0_ns[0])
        tr.t_last_ns = int(t0_ns[-1] + (counts[-1] - 1) * periods[-1])

    def _hash(self, tr: DeviceTrack, block: SampleBlock) -> None:
        """Extend our chain head. Across a forward gap we keep hashing: blocks a device dropped from its full
        transmit buffer were never hashed (PROTOCOL.md 3.2), so the chain may still verify. A first block
        (or the first after a reset) that does not start at sample 0 leaves the head unknown until the
        next checkpoint: the blocks before it were not seen."""
        expected = tr.last_block.end_sample if tr.last_block is not None else tr.anchor_end_sample
        if expected is None:
            if block.first_sample == 0:
                tr.head = ZERO_HEAD  # seen from boot: the chain starts at zeros
            elif tr.anchor is not None and not tr.reset_since_checkpoint:
                # The first block after a checkpoint we anchored on without its blocks (a rotated file's
                # first row, a host that joined at a checkpoint): hash on from the signed head. A match
                # proves nothing was missing; a mismatch may be an unseen loss, so it is never forged.
                tr.start_unknown = True
            else:
                tr.head = None
                tr.gap_since_checkpoint = True
        elif block.first_sample != expected:
            tr.gap_since_checkpoint = True
        tr.anchor_end_sample = None
        if tr.head is not None:
            tr.head = keccak256(tr.head + block.payload)
        tr.last_block = block

    def _interval(self, tr: DeviceTrack, seq_to: int | None, delta: int | None) -> IntervalEnergy:
        return IntervalEnergy(
            seq_from=tr.anchor.seq if tr.anchor is not None else None, seq_to=seq_to, signed_delta_mwh=delta,
            received_mwh=tr.received_mwh, calibrated_j=tr.calibrated_j, unattributed_j=tr.unattributed_j,
            samples=tr.samples, missing_samples=tr.missing_samples, reset=tr.reset_since_checkpoint,
            t_first_ns=tr.t_first_ns, t_last_ns=tr.t_last_ns, totals=tr.interval_totals)

    def _checkpoint(self, source: str, ckpt: Checkpoint) -> list[Finding]:
        tr = self.track(source)
        msg = ckpt.message
        raw = ckpt.message_bytes

        def finding(status: str, text: str, interval: IntervalEnergy | None = None) -> CheckpointFinding:
            return CheckpointFinding(source, msg.seq, msg.energy_mwh, status,
                                     f"{source} checkpoint {msg.seq}: {text}", interval)

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
        out: list[Finding] = list(self._decide(source, tr, lost=tr.wire_loss)) if tr.deferred else []
        delta = msg.energy_mwh - tr.anchor.energy_mwh if tr.anchor is not None else None
        interval = self._interval(tr, msg.seq, delta)
        clean = not (tr.gap_since_checkpoint or tr.wire_loss or tr.reset_since_checkpoint)
        bound = (delta, tr.received_mwh, tr.min_period_ns) if delta is not None else None
        stretch_ok = False
        if tr.head is not None and tr.head == msg.chain_head and tr.gap_since_checkpoint and tr.anchor is not None:
            # The missing samples were dropped by the device before sending: everything sent is proven,
            # but the device's energy includes samples we never saw, so only the bound applies.
            out.append(finding(CheckpointStatus.VERIFIED, "hash chain verified across a gap: the missing blocks "
                               "were dropped by the device before sending, so their energy is only in its count",
                               interval))
            out += self._bound(source, msg.seq, bound, tr.reset_since_checkpoint)
        elif tr.head is not None and tr.head == msg.chain_head:
            out.append(finding(CheckpointStatus.VERIFIED, "signature, order and hash chain verified", interval))
            if delta is not None and not tr.reset_since_checkpoint:
                out += self._compare_energy(source, tr, msg, delta)
                stretch_ok = True
            elif delta is not None:
                out += self._bound(source, msg.seq, bound, True)
        elif tr.head is None or not clean or tr.start_unknown:
            status = CheckpointStatus.ANCHORED if tr.anchor is None else CheckpointStatus.UNVERIFIABLE_GAP
            text = ("first checkpoint seen: the chain is verified from here on" if tr.anchor is None
                    else "blocks are missing since the previous checkpoint, so the chain cannot be checked")
            out.append(finding(status, text, interval))
            out += self._bound(source, msg.seq, bound, tr.reset_since_checkpoint)
        else:
            # Our head is known and differs, and no loss is known yet: a block lost on the wire just before
            # this checkpoint shows only at the next block. Decide then (or at finish()).
            tr.deferred.append(_Deferred(
                dict(source=source, seq=msg.seq, energy_mwh=msg.energy_mwh, interval=interval,
                     first=tr.anchor is None),
                tr.last_block.end_sample if tr.last_block is not None else None,
                None if tr.reset_since_checkpoint else bound))
        if not stretch_ok:
            tr.stretch_signed_mwh, tr.stretch_received_mwh, tr.stretch_intervals = 0, 0.0, 0
            tr.stretch_min_period_ns = 0
        tr.anchor, tr.head = msg, msg.chain_head
        tr.accepted[msg.seq] = raw
        if len(tr.accepted) > RECENT_CHECKPOINTS:
            del tr.accepted[min(tr.accepted)]  # months of kiosk checkpoints must not grow without bound
        tr.max_power_w = abs(tr.last_power_w)  # the tolerance is per interval
        tr.gap_since_checkpoint = tr.wire_loss = tr.reset_since_checkpoint = tr.start_unknown = False
        tr.measured_j = tr.received_mwh = tr.calibrated_j = tr.unattributed_j = 0.0
        tr.samples = tr.missing_samples = tr.min_period_ns = 0
        tr.t_first_ns = tr.t_last_ns = None
        tr.interval_totals = EnergyTotals()
        tr.anchor_end_sample = tr.last_block.end_sample if tr.last_block is not None else None
        return out

    def _decide(self, source: str, tr: DeviceTrack, lost: bool) -> list[Finding]:
        """Give the held checkpoints their verdict: unverifiable when a loss before them showed up."""
        out: list[Finding] = []
        for d in tr.deferred:
            f = d.finding
            if lost:
                status = CheckpointStatus.ANCHORED if f["first"] else CheckpointStatus.UNVERIFIABLE_GAP
                text = ("a block was lost on the link before it, so the chain cannot be checked (a loss, "
                        "not a forgery)")
            else:
                status = CheckpointStatus.CHAIN_MISMATCH
                text = ("the sample blocks received do not hash to the signed chain head, and nothing was "
                        "lost: they were altered, reordered or duplicated")
            out.append(CheckpointFinding(source, f["seq"], f["energy_mwh"], status,
                                         f"{source} checkpoint {f['seq']}: {text}", f["interval"]))
            if lost:
                out += self._bound(source, f["seq"], d.bound, d.bound is None)
        tr.deferred.clear()
        return out

    def _bound(self, source: str, seq: int, bound: tuple[int | None, float, int] | None,
               skip: bool) -> list[Finding]:
        """Blocks lost can only lower what we received below what the device signed for, never raise it."""
        if skip or bound is None:
            return []
        delta, received, min_period = bound
        if delta is None:
            return []
        tol = energy_tolerance_mwh(received, min_period)
        if received <= delta + tol:
            return []
        return [EnergyDivergence(source, seq, delta, received, tol,
                                 f"{source} checkpoint {seq}: the blocks received hold {received:.1f} mWh, more "
                                 f"than the {delta} mWh the device signed for (tolerance {tol:.2f} mWh): no "
                                 "loss explains that; the samples were inflated", "bound")]

    def _compare_energy(self, source: str, tr: DeviceTrack, msg: CheckpointMessage, delta: int) -> list[Finding]:
        """PROTOCOL.md 5 over one gapless interval, and cumulatively over the stretch it extends."""
        out: list[Finding] = []
        received = tr.received_mwh
        tol = energy_tolerance_mwh(received, tr.min_period_ns)
        if abs(delta - received) > tol:
            out.append(EnergyDivergence(source, msg.seq, delta, received, tol,
                                        f"{source} checkpoint {msg.seq}: device counted {delta} mWh, the "
                                        f"samples it sent add up to {received:.2f} mWh by its own rule "
                                        f"(tolerance {tol:.2f} mWh)"))
        tr.stretch_signed_mwh += delta
        tr.stretch_received_mwh += received
        tr.stretch_intervals += 1
        periods = [p for p in (tr.stretch_min_period_ns, tr.min_period_ns) if p]
        tr.stretch_min_period_ns = min(periods) if periods else 0
        s_tol = energy_tolerance_mwh(tr.stretch_received_mwh, tr.stretch_min_period_ns)
        if not out and tr.stretch_intervals > 1 and abs(tr.stretch_signed_mwh - tr.stretch_received_mwh) > s_tol:
            out.append(EnergyDivergence(
                source, msg.seq, tr.stretch_signed_mwh, tr.stretch_received_mwh, s_tol,
                f"{source} checkpoint {msg.seq}: over {tr.stretch_intervals} gapless intervals the device "
                f"counted {tr.stretch_signed_mwh} mWh, its samples add up to {tr.stretch_received_mwh:.2f} mWh "
                f"(tolerance {s_tol:.2f} mWh): a steady over- or under-count", "stretch"))
        return out


# Kept importable for callers of the earlier module layout.
__all__ = ["JOULES_PER_MWH", "DeviceTrack", "EnergyLedger", "SourceToSI", "energy_tolerance_mwh"]
