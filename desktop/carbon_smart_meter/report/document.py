"""The report of one device over one monitoring period, as one JSON document.

Every figure the PDF shows is in this document (the PDF is drawn from it), with its basis stated
beside it. Energy is `csm verify`'s verified energy (energy/verified.py); per day it is the same
intervals' quarter-hour totals regrouped by local day. The document holds no wall-clock time and no
absolute path that the inputs do not, so the same inputs give the same document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from carbon_smart_meter import __version__
from carbon_smart_meter.carbon.resolve import CarbonSettings
from carbon_smart_meter.report import daily
from carbon_smart_meter.report.analysis import FileAnalysis
from carbon_smart_meter.report.calibration_chain import calibration_chain
from carbon_smart_meter.report.completeness import merge_completeness
from carbon_smart_meter.report.emissions import UNCALIBRATED_DEDUCTION, emissions_section
from carbon_smart_meter.report.identity import merge_identities
from carbon_smart_meter.report.onchain import ChainView, onchain_section
from carbon_smart_meter.report.period import Period, iso_utc, period_from
from carbon_smart_meter.report.sample_pass import (
    CLIPPED_S,
    DEVICE_RULE_J,
    ENERGY_J,
    FAILED_J,
    Q_AS,
    Q_VS,
    RECORDED_S,
    STATUS_NAMES,
    UNSYNCED_S,
    UNVERIFIABLE_J,
    VERIFIED_J,
    VERIFIED_S,
    QuarterSums,
)

KIND, VERSION = "csm-mrv-report", 1
J_PER_KWH = 3.6e6
DOUBLE_COUNTING_CONFIRMED = (
    "The owner of this device confirms that the energy in this report has not been and will not be claimed "
    "as a renewable energy certificate (REC, I-REC, GO), under another token, credit or certificate scheme, "
    "or by another party (confirmed with --confirm-no-double-counting).")
DOUBLE_COUNTING_NOT_CONFIRMED = (
    "NOT CONFIRMED: the owner has not confirmed that this energy is not also claimed as a renewable energy "
    "certificate or under another token or credit scheme (run the report with --confirm-no-double-counting "
    "to state it). Until then, double counting cannot be excluded.")


@dataclass
class ReportOptions:
    first_day: str | None = None
    last_day: str | None = None
    tz: str = "UTC"
    carbon: CarbonSettings = field(default_factory=CarbonSettings)
    confirm_no_double_counting: bool = False
    trust_source: str = "none given"


def build_document(device: str, files: list[FileAnalysis], options: ReportOptions, chain: ChainView | None = None,
                   progress: Callable[[int, int], None] | None = None) -> dict:
    firsts = [f.samples.first_ns for f in files if f.samples.first_ns is not None]
    lasts = [f.samples.last_ns for f in files if f.samples.last_ns is not None]
    period = period_from(options.first_day, options.last_day, min(firsts, default=None),
                         max(lasts, default=None), options.tz)
    sums = QuarterSums()
    for f in files:
        sums.merge(f.samples.sums)
    identity = merge_identities([f.identity for f in files])
    energy, deduction_kwh, basis = _energy(files, period, sums)
    rated_w = int(identity["rated_power_w"])
    lat, lon = options.carbon.latitude, options.carbon.longitude
    ok = all(f.verification.ok for f in files)
    doc: dict = {
        "report": {"kind": KIND, "version": VERSION, "generator": f"csm {__version__}", "device": device,
                   "title": f"Monitoring report, device {device}",
                   "period": {"first_day": period.first_day.isoformat(), "last_day": period.last_day.isoformat(),
                              "tz": period.tz, "start_utc": iso_utc(period.start_ns),
                              "end_utc": iso_utc(period.end_ns)},
                   "verified": ok,
                   "status": "verified" if ok else "FAILED VERIFICATION: an input was altered or forged",
                   "simulated": identity["simulated"]},
        "inputs": [f.input.to_json() | {"verified": f.verification.ok} for f in files],
        "identity": identity,
        "calibration": calibration_chain([f.calibration for f in files], period.start_ns, period.end_ns) | {
            "uncertainty": sorted({f.uncertainty.describe() for f in files if f.uncertainty is not None}),
            "uncertainty_rule": "GUM, k = 2; relative parts scale the energy, absolute parts the charge and volt-"
                                "seconds of generating samples; files summed linearly (fully correlated)"},
        "completeness": _completeness(files, sums, period),
        "verification": _verification(files, period, options.trust_source),
        "energy": energy,
        "emissions": emissions_section(energy["verified_kwh"], deduction_kwh, basis, options.carbon, device,
                                       next((f.region for f in files if f.region), "")),
        "plausibility": _plausibility(energy["per_day"], rated_w, lat, lon, period.tz),
        "onchain": None,
        "double_counting": {"confirmed": options.confirm_no_double_counting,
                            "statement": DOUBLE_COUNTING_CONFIRMED if options.confirm_no_double_counting
                            else DOUBLE_COUNTING_NOT_CONFIRMED},
        "profile": {"bin_minutes": 15, "tz": period.tz, "basis": "mean power over every recorded sample",
                    "mean_w": daily.time_of_day_profile(sums, period, ENERGY_J, RECORDED_S)},
        "coverage": _coverage(files, period),
    }
    if chain is not None:
        intervals = [i.to_json() for f in files for i in f.verification.intervals]
        checkpoints: dict[int, dict] = {}
        for f in files:
            for seq, c in f.checkpoints.items():
                checkpoints.setdefault(seq, c)
        doc["onchain"] = onchain_section(chain, bytes.fromhex(device[2:]), checkpoints, identity["binds"],
                                         intervals, progress)
    return doc


def _energy(files: list[FileAnalysis], period: Period, sums: QuarterSums) -> tuple[dict, float, str]:
    days: dict[str, dict] = {}
    stated_u_j = 0.0
    unstated_j = 0.0
    for f in files:
        verified = f.verification.verified_totals.per_day(period.tz)
        for day, row in daily.per_day(f.samples.sums, period).items():
            d = days.setdefault(day, {"day": day, "verified_kwh": 0.0, "uncertainty_kwh": 0.0, "stated": True,
                                      "device_rule_kwh": 0.0, "unverifiable_kwh": 0.0, "failed_kwh": 0.0,
                                      "recorded_h": 0.0, "verified_h": 0.0})
            e_j = verified.get(day, 0.0) * J_PER_KWH
            d["verified_kwh"] += e_j / J_PER_KWH
            if f.uncertainty is not None:
                u = f.uncertainty.energy_j(e_j, row[Q_AS], row[Q_VS])
                d["uncertainty_kwh"] += u / J_PER_KWH
                stated_u_j += u
            elif e_j > 0:
                d["stated"] = False
                unstated_j += e_j
            d["device_rule_kwh"] += row[DEVICE_RULE_J] / J_PER_KWH
            d["unverifiable_kwh"] += row[UNVERIFIABLE_J] / J_PER_KWH
            d["failed_kwh"] += row[FAILED_J] / J_PER_KWH
            d["recorded_h"] += row[RECORDED_S] / 3600
            d["verified_h"] += row[VERIFIED_S] / 3600
    per_day = [days[k] for k in sorted(days)]
    verified_kwh = sum(d["verified_kwh"] for d in per_day)
    total = daily.in_period(sums, period)
    signed_mwh = sum(f.verification.signed_verified_mwh for f in files)
    all_time = sum(f.verification.verified_kwh for f in files)
    deduction_kwh = (stated_u_j + unstated_j * UNCALIBRATED_DEDUCTION) / J_PER_KWH
    basis = ("expanded calibration uncertainty (k = 2)" if unstated_j == 0 else
             f"expanded calibration uncertainty (k = 2) of calibrated files plus {UNCALIBRATED_DEDUCTION:.0%} of "
             f"{unstated_j / J_PER_KWH:.6f} kWh from files without a stated uncertainty")
    return {
        "verified_kwh": verified_kwh,
        "uncertainty_kwh": stated_u_j / J_PER_KWH,
        "unstated_uncertainty_kwh": unstated_j / J_PER_KWH,
        "relative_uncertainty": stated_u_j / (verified_kwh * J_PER_KWH - unstated_j)
        if verified_kwh * J_PER_KWH > unstated_j else None,
        "per_day": per_day,
        "device_rule_kwh": total[DEVICE_RULE_J] / J_PER_KWH,
        "pass_verified_kwh": total[VERIFIED_J] / J_PER_KWH,
        "unverifiable_kwh": total[UNVERIFIABLE_J] / J_PER_KWH,
        "failed_kwh": total[FAILED_J] / J_PER_KWH,
        "signed_verified_mwh": signed_mwh,
        "verify_total_kwh": all_time,
        "basis": "csm verify's verified energy: raw codes of verified intervals through the checked calibration, "
                 "positive power only, summed per local day",
        "raw_basis": "device rule (PROTOCOL.md 5): the same raw codes through the HELLO's factory scales",
    }, deduction_kwh, basis


def _completeness(files: list[FileAnalysis], sums: QuarterSums, period: Period) -> dict:
    total = daily.in_period(sums, period)
    return merge_completeness([f.completeness for f in files], float(total[RECORDED_S]), float(total[CLIPPED_S]),
                              float(total[UNSYNCED_S]), (period.end_ns - period.start_ns) / 1e9)


def _verification(files: list[FileAnalysis], period: Period, trust_source: str) -> dict:
    rows, stretches = [], []
    for f in files:
        v = f.verification
        rows.append({"file": f.name, "ok": v.ok, "complete": v.complete, "checkpoints": v.checkpoints,
                     "checks": [{"name": c.name, "result": c.result, "detail": c.detail} for c in v.checks],
                     "problems": list(v.problems), "verified_kwh": v.verified_kwh,
                     "unverifiable_kwh": v.unverifiable_kwh, "failed_kwh": v.failed_kwh})
        for i in v.intervals:
            if i.status == "verified" or (i.energy_kwh <= 0 and i.status != "failed"):
                continue
            t0, t1 = i.t_first_ns, i.t_last_ns
            if t0 is not None and t1 is not None and (t1 < period.start_ns or t0 >= period.end_ns):
                continue
            stretches.append({"file": f.name, "status": i.status, "seq_from": i.seq_from, "seq_to": i.seq_to,
                              "start_utc": iso_utc(t0), "end_utc": iso_utc(t1), "energy_kwh": i.energy_kwh,
                              "why": i.why})
    return {"ok": all(r["ok"] for r in rows), "trusted_manufacturers": trust_source, "files": rows,
            "unverified_stretches": stretches}


def _plausibility(per_day: list[dict], rated_w: int, lat: float | None, lon: float | None, tz: str) -> dict:
    from carbon_smart_meter.energy.plausibility import PEAK_SUN_HOURS, REVIEW_MARGIN, check_days

    checks = check_days({d["day"]: d["verified_kwh"] for d in per_day}, rated_w, lat, lon, tz) if rated_w else []
    return {"rated_w": rated_w, "latitude": lat, "longitude": lon,
            "rule": f"rated W x {PEAK_SUN_HOURS} h is impossible (rejected); above {REVIEW_MARGIN} x the pvlib "
                    "Ineichen clear-sky energy on a 2-axis tracker at the location is flagged for review",
            "located": lat is not None and lon is not None,
            "days": [{"day": c.day, "energy_wh": c.energy_wh, "ceiling_wh": c.ceiling_wh,
                      "clear_sky_wh": c.clear_sky_wh, "verdict": c.verdict, "message": c.message} for c in checks],
            "flagged": [c.day for c in checks if c.verdict != "ok"]}


def _coverage(files: list[FileAnalysis], period: Period) -> dict:
    lo, hi = period.start_ns, period.end_ns
    status, synced = [], []
    for f in files:
        for a, b, v in f.samples.coverage.as_list():
            if b > lo and a < hi:
                status.append([max(a, lo), min(b, hi), STATUS_NAMES[v]])
        for a, b, v in f.samples.synced.as_list():
            if b > lo and a < hi and not v:
                synced.append([max(a, lo), min(b, hi)])
    status.sort()
    synced.sort()
    return {"start_ns": lo, "end_ns": hi, "status": status, "unsynced": synced}
