"""Typed results of checkpoint verification, published by the acquisition layer as LinkEvents.

A finding says what was checked and what we concluded, with the numbers, so that the UI and the CLI
can show why a checkpoint is trusted, refused or only unverifiable (a gap is not a forgery).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carbon_smart_meter.acquisition.records import LinkEvent, LinkEventKind
from carbon_smart_meter.energy.totals import EnergyTotals


class CheckpointStatus:
    VERIFIED = "verified"                   # signature, order and hash chain all check out
    ANCHORED = "anchored"                   # first one seen: signer and order checked, chain starts here
    UNVERIFIABLE_GAP = "unverifiable: gap"  # blocks missing since the previous checkpoint
    BAD_SIGNATURE = "bad-signature"         # forged or altered message: does not recover to the device
    REPLAYED = "replayed"                   # a seq we already accepted, sent again
    REORDERED = "reordered"                 # a seq below the newest one we accepted
    ENERGY_DECREASING = "energy-decreasing"
    CHAIN_MISMATCH = "chain-mismatch"       # the sample blocks we received are not what the device hashed
    NO_HELLO = "no-hello"                   # device address unknown yet: cannot check the signer

    INVALID = frozenset({BAD_SIGNATURE, REPLAYED, REORDERED, ENERGY_DECREASING, CHAIN_MISMATCH})


@dataclass(frozen=True)
class IntervalEnergy:
    """What was received between two checkpoints (or before the first, or after the last).

    `received_mwh` follows the device's own rule (PROTOCOL.md 5: rectangles of positive power through the
    factory scales of HELLO), so it can be compared with the signed delta; `calibrated_j` is the same
    samples through the host calibration (the figure reported once verified). `unattributed_j` is
    energy of samples no signature covers (received before a device reset: the device lost them).
    """

    seq_from: int | None
    seq_to: int | None
    signed_delta_mwh: int | None
    received_mwh: float
    calibrated_j: float
    unattributed_j: float = 0.0
    samples: int = 0
    missing_samples: int = 0
    reset: bool = False
    t_first_ns: int | None = None
    t_last_ns: int | None = None
    totals: EnergyTotals = field(default_factory=EnergyTotals, compare=False, repr=False)


@dataclass(frozen=True)
class CheckpointFinding:
    source: str
    seq: int
    energy_mwh: int
    status: str
    message: str
    interval: IntervalEnergy | None = None  # the samples since the previous accepted checkpoint

    @property
    def invalid(self) -> bool:
        return self.status in CheckpointStatus.INVALID

    def as_link_event(self) -> LinkEvent | None:
        """A LinkEvent for anything a user must see; verified/anchored checkpoints need none."""
        if self.invalid:
            return LinkEvent(LinkEventKind.CHECKPOINT_INVALID, self.message, 1, 2)
        if self.status in (CheckpointStatus.UNVERIFIABLE_GAP, CheckpointStatus.NO_HELLO):
            return LinkEvent(LinkEventKind.CHECKPOINT_INVALID, self.message, 0, 1)
        return None


@dataclass(frozen=True)
class EnergyDivergence:
    """The device's cumulative energy moved by a different amount than the blocks we received allow:
    beyond PROTOCOL.md 5's tolerance over a gapless interval or stretch, or more energy received than
    the device signed for (which no loss can explain)."""

    source: str
    seq: int
    device_delta_mwh: int
    measured_delta_mwh: float
    tolerance_mwh: float
    message: str
    scope: str = "interval"  # "interval", "stretch" (cumulative over gapless intervals) or "bound"

    def as_link_event(self) -> LinkEvent:
        return LinkEvent(LinkEventKind.DIVERGENCE, self.message, 1, 1)


@dataclass(frozen=True)
class GapFinding:
    """Samples lost between two blocks: energy in them is unknown and is not interpolated."""

    source: str
    after_sample: int
    missing: int
    message: str

    def as_link_event(self) -> LinkEvent:
        return LinkEvent(LinkEventKind.SAMPLE_GAP, self.message, self.missing, 1)


Finding = CheckpointFinding | EnergyDivergence | GapFinding
