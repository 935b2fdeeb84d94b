"""The verified energy of a session file: the one figure a user or an auditor is shown.

Energy counts as verified only over intervals between two accepted checkpoints whose signatures,
order and hash chain check out and whose signed energy agrees with the raw codes by the device's own
rule (PROTOCOL.md 5); the figure is those raw codes through the recorded (and checked) calibration,
never the stored float `power` column. Everything else the file holds is shown apart as unverifiable,
with the reason (before the first checkpoint, after the last, across a loss, before a device reset).
A tampered copy, a bad signature, a chain mismatch, energy that disagrees or a gap that added energy
fails the file. `csm verify`, `csm offsets FILE`, `csm inspect` and reports all use `verify_file`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from carbon_smart_meter.energy.file_checks import (
    FAIL,
    OK,
    WARN,
    Check,
    check_attestation,
    check_binds,
    check_checkpoint_copies,
    check_device,
    check_sample_columns,
    first_hello,
    recorded_conversion,
)
from carbon_smart_meter.energy.findings import (
    CheckpointFinding,
    CheckpointStatus,
    EnergyDivergence,
    GapFinding,
    IntervalEnergy,
)
from carbon_smart_meter.energy.integrate import JOULES_PER_MWH
from carbon_smart_meter.energy.session_verify import verify_session
from carbon_smart_meter.energy.totals import EnergyTotals
from carbon_smart_meter.energy.trust import ManufacturerTrust
from carbon_smart_meter.storage.reader import Session

VERIFIED, UNVERIFIABLE, FAILED = "verified", "unverifiable", "failed"


@dataclass(frozen=True)
class IntervalReport:
    status: str            # VERIFIED, UNVERIFIABLE or FAILED
    why: str
    seq_from: int | None
    seq_to: int | None
    signed_delta_mwh: int | None
    received_mwh: float    # device rule, factory scales
    energy_kwh: float      # raw codes through the recorded calibration
    samples: int
    missing_samples: int
    t_first_ns: int | None
    t_last_ns: int | None

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class FileVerification:
    path: str
    device: str = ""
    rated_w: int = 0
    region: str = ""
    calibration_status: str = ""
    complete: bool = False
    checks: list[Check] = field(default_factory=list)
    intervals: list[IntervalReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    gaps: int = 0
    missing_samples: int = 0
    verified_totals: EnergyTotals = field(default_factory=EnergyTotals)

    @property
    def ok(self) -> bool:
        return not any(c.result == FAIL for c in self.checks) and not any(i.status == FAILED for i in self.intervals)

    def _sum(self, status: str) -> float:
        return sum(i.energy_kwh for i in self.intervals if i.status == status)

    @property
    def verified_kwh(self) -> float:
        return self._sum(VERIFIED)

    @property
    def unverifiable_kwh(self) -> float:
        return self._sum(UNVERIFIABLE)

    @property
    def failed_kwh(self) -> float:
        return self._sum(FAILED)

    @property
    def signed_verified_mwh(self) -> int:
        return sum(i.signed_delta_mwh or 0 for i in self.intervals if i.status == VERIFIED)

    @property
    def checkpoints(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in self.intervals:
            if i.seq_to is not None:
                out[i.status] = out.get(i.status, 0) + 1
        return out

    def to_json(self) -> dict:
        return {
            "file": self.path, "ok": self.ok, "device": self.device, "complete": self.complete,
            "calibration_status": self.calibration_status,
            "energy": {"verified_kwh": self.verified_kwh, "signed_verified_mwh": self.signed_verified_mwh,
                       "unverifiable_kwh": self.unverifiable_kwh, "failed_kwh": self.failed_kwh},
            "checks": [{"name": c.name, "result": c.result, "detail": c.detail} for c in self.checks],
            "intervals": [i.to_json() for i in self.intervals],
            "problems": self.problems, "gaps": self.gaps, "missing_samples": self.missing_samples,
        }


def verify_file(path: str | Path, trust: ManufacturerTrust | None = None,
                progress: Callable[[int, int], None] | None = None) -> FileVerification:
    """Every check of docs/session-format.md's "Verifying a session", and the energy it proves."""
    trust = trust or ManufacturerTrust()
    out = FileVerification(str(path))
    with Session(path) as s:
        hello = first_hello(s)
        attrs = s.attrs
        out.device = "0x" + hello.device.hex()
        out.rated_w = hello.rated_power_w
        out.region = str(attrs.get("region", "") or "")
        out.calibration_status = str(attrs.get("calibration_status", ""))
        out.complete = s.complete
        out.checks += list(check_device(s, hello))
        out.checks.append(check_attestation(hello, trust))
        conv, cal_check = recorded_conversion(s, hello)
        out.checks.append(cal_check)
        out.checks.append(check_checkpoint_copies(s))
        binds = check_binds(s, hello)
        if binds is not None:
            out.checks.append(binds)
        out.checks.append(check_sample_columns(s, conv))
        if not s.complete:
            out.checks.append(Check("file", WARN, "the file was not closed normally (still written, or its writer "
                                                  "died): everything flushed is checked"))

        def to_si(_source, block):  # the recorded calibration, checked above
            v, i, _p = conv.convert(block.voltage_codes, block.current_codes)
            return v, i

    ledger, findings = verify_session(path, to_si, progress=progress)
    source = Path(path).name
    bad_seqs = {f.seq: f for f in findings if isinstance(f, EnergyDivergence)}
    for f in findings:
        if isinstance(f, GapFinding):
            out.gaps += 1
            out.missing_samples += f.missing
        elif isinstance(f, EnergyDivergence):
            out.problems.append(f.message)
        elif isinstance(f, CheckpointFinding):
            report = _interval(f, bad_seqs.get(f.seq))
            if report is not None:
                out.intervals.append(report)
                if report.status == VERIFIED and f.interval is not None:
                    out.verified_totals.merge(f.interval.totals)
            if f.interval is not None and f.interval.unattributed_j > 0:
                out.intervals.append(IntervalReport(
                    UNVERIFIABLE, "received before a device reset: the device lost this energy, no signature "
                    "covers it", f.interval.seq_from, None, None, 0.0, f.interval.unattributed_j / 3.6e6, 0, 0,
                    None, None))
            if f.invalid:
                out.problems.append(f.message)
    tail = ledger.open_interval(source)
    if tail.samples or tail.unattributed_j:
        out.intervals.append(IntervalReport(
            UNVERIFIABLE, "after the last checkpoint: not signed for yet", tail.seq_from, None, None,
            tail.received_mwh, (tail.calibrated_j + tail.unattributed_j) / 3.6e6, tail.samples,
            tail.missing_samples, tail.t_first_ns, tail.t_last_ns))
    failed_checks = [c.name for c in out.checks if c.result == FAIL]
    if failed_checks:  # a file whose copies, calibration or attestation are not what they must be proves nothing
        why = f"the file failed its {', '.join(failed_checks)} check"
        out.intervals = [IntervalReport(FAILED, why, *list(i.__dict__.values())[2:]) if i.status == VERIFIED else i
                         for i in out.intervals]
        out.verified_totals = EnergyTotals()
    if not any(i.seq_to is not None for i in out.intervals):
        out.checks.append(Check("checkpoints", WARN, "no signed checkpoint in the file: none of its energy can "
                                                     "be verified"))
    return out


def _interval(f: CheckpointFinding, divergence: EnergyDivergence | None) -> IntervalReport | None:
    iv: IntervalEnergy | None = f.interval
    if iv is None or (iv.seq_from is None and iv.samples == 0 and divergence is None and not f.invalid):
        return None  # the first checkpoint with nothing before it (a rotated file's anchor): no interval
    if f.invalid or divergence is not None:
        status, why = FAILED, (divergence.message if divergence is not None else f.message)
    elif f.status == CheckpointStatus.VERIFIED and iv.signed_delta_mwh is not None and not iv.reset:
        status, why = VERIFIED, "signature, order, hash chain and energy agree"
    elif f.status == CheckpointStatus.VERIFIED and iv.signed_delta_mwh is None:
        status, why = UNVERIFIABLE, "before the first checkpoint: no earlier signed energy to compare with"
    elif f.status == CheckpointStatus.VERIFIED:
        status, why = UNVERIFIABLE, "the device reset in this interval: its energy before the reset is lost to it"
    elif f.status == CheckpointStatus.ANCHORED:
        status, why = UNVERIFIABLE, "before the first checkpoint seen: the chain starts there"
    else:
        status, why = UNVERIFIABLE, "samples are missing (lost on the link or dropped by the device)"
    if status == VERIFIED and iv.missing_samples:
        status, why = UNVERIFIABLE, "the device dropped blocks before sending: their energy is only in its count"
    return IntervalReport(status, why, iv.seq_from, iv.seq_to, iv.signed_delta_mwh, iv.received_mwh,
                          iv.calibrated_j / JOULES_PER_MWH / 1e6, iv.samples, iv.missing_samples,
                          iv.t_first_ns, iv.t_last_ns)


__all__ = ["FAIL", "FAILED", "OK", "UNVERIFIABLE", "VERIFIED", "WARN", "FileVerification", "IntervalReport",
           "verify_file"]
