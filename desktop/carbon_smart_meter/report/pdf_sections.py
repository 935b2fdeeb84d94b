"""The sections of the report PDF, in the order a verification body reads them.

Each function takes the report document and returns reportlab flowables; it computes nothing the
document does not hold (only formats it), so the PDF and the JSON always agree.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from carbon_smart_meter.report.period import iso_utc
from carbon_smart_meter.storage.metadata import SessionMetadata, metadata_lines

MONO = "CsmMono"  # registered by pdf.py
SECTION_TITLES = ("1. Identity", "2. Calibration", "3. Completeness", "4. Verification", "5. Energy",
                  "6. Avoided emissions (estimate)", "7. Plausibility", "8. On-chain claims",
                  "9. Double counting", "10. Typical day and coverage", "Appendix: inputs")


def e(x: object) -> str:
    return escape(str(x))


def kwh(x: float) -> str:
    """kWh to the Wh's thousandth; a figure too small for that is given in Wh, never shown as zero."""
    if 0 < abs(x) < 5e-7:
        return f"{x * 1000:.6f} Wh"
    return f"{x:.6f} kWh"


def hours(s: float) -> str:
    return f"{s / 3600:.2f} h"


def _utc(ns: int) -> str:
    return iso_utc(ns).replace("T", " ").replace("Z", " UTC")


def summary(doc: dict, b: Any) -> list:
    r, en, em = doc["report"], doc["energy"], doc["emissions"]
    period = r["period"]
    out = [b.p("Monitoring report", b.s.title),
           b.p(f"Device {e(r['device'])} · monitoring period {period['first_day']} to {period['last_day']} "
               f"({e(period['tz'])})", b.s.subtitle)]
    if r["verified"]:
        out.append(b.banner(f"All {len(doc['inputs'])} input file(s) verified: signatures, hash chain, energy and "
                            "every "
                       "stored copy check out.", "ok"))
    else:
        bad = ", ".join(i["file"] for i in doc["inputs"] if not i["verified"])
        out.append(b.banner(f"FAILED VERIFICATION: {e(bad)} failed `csm verify` (altered or forged data). Energy from "
                       "failed parts is not counted; see section 4.", "bad"))
    if r["simulated"]:
        out.append(b.banner("SIMULATED DEVICE: the data come from a simulator or an emulated adapter signing with "
                            "public "
                       "development keys. This report demonstrates the method; it proves nothing about real energy.",
                       "note"))
    comp = doc["completeness"]
    plaus = doc["plausibility"]
    chain = doc["onchain"]
    u = en["uncertainty_kwh"]
    rows = [
        ("Monitoring period", f"{period['first_day']} to {period['last_day']} ({e(period['tz'])}); "
                              f"{period['start_utc']} to {period['end_utc']}"),
        ("Verified energy", f"{kwh(en['verified_kwh'])} ± {kwh(u)} (k = 2) = {en['verified_kwh'] * 1000:.3f} Wh"
         + (f"; {kwh(en['unverifiable_kwh'])} unverifiable, not counted" if en["unverifiable_kwh"] > 0 else "")),
        ("Avoided emissions", f"{em['co2_kg']:.6f} {e(em['unit'])}, estimate after a conservativeness deduction of "
                              f"{kwh(em['deduction_kwh'])}; {e(em['label'])}"),
        ("Recorded", f"{hours(comp['recorded_s'])} of {hours(comp['period_s'])} "
                     f"({comp['recorded_fraction']:.1%}); {comp['gaps']} gap(s), {comp['crc_errors']} CRC error(s)"),
        ("Calibration", f"{len(doc['calibration']['records'])} record(s); "
                        + ("every recorded stretch covered" if not doc["calibration"]["uncovered"]
                           else f"{hours(doc['calibration']['uncovered_s'])} NOT covered by a valid calibration")),
        ("Plausibility", f"{len(plaus['days'])} day(s) checked, "
                         + (f"flagged: {', '.join(plaus['flagged'])}" if plaus["flagged"] else "none flagged")),
        ("On chain", "not read (no --chain given)" if chain is None else
         f"{chain['claimed_mwh']} mWh claimed in {len(chain['claims'])} claim(s) on {e(chain['network'])}"),
        ("Double counting", "confirmed by the owner" if doc["double_counting"]["confirmed"] else "NOT CONFIRMED"),
    ]
    out.append(b.kv(rows))
    return out


def identity(doc: dict, b: Any, _img: dict) -> list:
    i = doc["identity"]
    a = i["attestation"]
    verdict = {"ok": "verified, trusted manufacturer", "warning": "verified, DEVELOPMENT key (not trusted)",
               "fail": "FAILED"}.get(a["verdict"], a["verdict"] or "not checked")
    rows = [("Device id", e(i["device"])), ("Public key", e(i["public_key"] or "not recoverable from these files")),
            ("Manufacturer", e(a.get("manufacturer", ""))),
            ("Attestation", f"{verdict}: {e(a['detail'])}"),
            ("Adapter serial", e(a.get("serial"))), ("Rated power", f"{i['rated_power_w']} W (attested "
                                                                     f"{a.get('rated_power_w')} W)"),
            ("Firmware", e(", ".join(i["firmware"]))),
            ("Hardware", f"version {i['hw_version']}, class {i['hw_class']}"),
            ("Sample rate", e(", ".join(f"{r} Hz" for r in i["sample_rate_hz"]))),
            ("Boots seen", e(", ".join(str(x) for x in i["boot_counts"])))]
    for bind in i["binds"]:
        rows.append(("Binding", f"seq {bind['seq']} at {_utc(bind['device_time'] * 10**9)}: wallet "
                                f"{e(bind['wallet'])}, deployment {e(bind['deployment_id'])}, region "
                                f"{bind['region']}, from {bind['energy_mwh']} mWh"))
    if not i["binds"]:
        rows.append(("Binding", "no binding was recorded in these files"))
    rows.append(("Checkpoints signed for", e(", ".join(i["checkpoint_deployments"]) or "no checkpoint")))
    for site in i.get("sites", []):
        text = "; ".join(f"{label} {value}" for label, value in metadata_lines(SessionMetadata.from_dict(site)))
        rows.append(("Site (session details)", e(text)))

    return [b.h(SECTION_TITLES[0]), b.kv(rows, mono_keys=("Device id", "Public key", "Manufacturer"))]


def calibration(doc: dict, b: Any, _img: dict) -> list:
    c = doc["calibration"]
    out = [b.h(SECTION_TITLES[1])]
    if c["records"]:
        rows = [[e(r["id"]), f"{r['date']} to {r['expires']}", e(r["instrument"]), e(r["certificate"]),
                 f"V {e(r['uncertainty'].get('voltage', '?'))}<br/>I {e(r['uncertainty'].get('current', '?'))}",
                 e(", ".join(r["files"]))] for r in c["records"]]
        out.append(b.table(["record", "valid", "reference instrument", "certificate", "uncertainty (k = 2)", "files"],
                           rows, [14, 18, 22, 22, 16, 24]))
        out.append(b.p(f"Record SHA-256: {'; '.join(e(r['id'] + ' ' + r['sha256']) for r in c['records'])}",
                       b.s.small))
    else:
        out.append(b.p("No calibration record in these files: the device recorded on its factory scales."))
    checks = [f"{e(f['file'])}: {e(f['check'])} ({e(f['check_detail'])})" for f in c["files"]]
    out.append(b.p("Checked against the file: " + "; ".join(checks), b.s.small))
    if c["uncovered"]:
        rows = [[e(u["file"]), _utc(u["start_ns"]), _utc(u["end_ns"]), e(u["reason"])] for u in c["uncovered"][:40]]
        out.append(b.p(f"<b>Not covered by a valid calibration: {hours(c['uncovered_s'])} of recorded time.</b>"))
        out.append(b.table(["file", "from", "to", "why"], rows, [24, 18, 18, 40]))
    else:
        out.append(b.p("Every recorded stretch of the period is covered by a valid calibration record."))
    out.append(b.p(f"Uncertainty propagation: {e(c['uncertainty_rule'])}.", b.s.small))
    return out


def completeness(doc: dict, b: Any, _img: dict) -> list:
    c = doc["completeness"]
    link = ", ".join(f"{k} {v}" for k, v in c["link_errors"].items()) or "none"
    storage = ", ".join(f"{k} {v}" for k, v in c["storage_problems"].items()) or "none"
    rows = [("Period", f"{hours(c['period_s'])}"),
            ("Recorded", f"{hours(c['recorded_s'])} ({c['recorded_fraction']:.1%} of the period), "
                         f"{c['samples']:,} samples"),
            ("Gaps", f"{c['gaps']} ({c['missing_samples']:,} samples missing, {c['missing_s']:.1f} s)"),
            ("Resets", f"{c['device_resets']} device RESET event(s), {c['counter_resets']} sample-counter restart(s)"),
            ("CRC errors", f"{c['crc_errors']} corrupt frame(s); link: {e(link)}"),
            ("Storage", e(storage)),
            ("Time sync", e(c["time_sync"]) + f"; {c['time_syncs']} TIME_SYNC(s), largest clock correction "
                                               f"{c['largest_clock_correction_s']:.3f} s"),
            ("Clipping", f"{c['clipped_blocks']} block(s) with a clipped channel ({c['clipped_s']:.1f} s)"),
            ("Files", f"{len(c['files'])}" + (f"; not closed normally: {e(', '.join(c['incomplete_files']))}"
                                               if c["incomplete_files"] else ", all closed normally"))]
    return [b.h(SECTION_TITLES[2]), b.kv(rows), b.p(f"<b>Gap treatment.</b> {e(c['gap_rule'])}")]


def verification(doc: dict, b: Any, _img: dict) -> list:
    v = doc["verification"]
    out = [b.h(SECTION_TITLES[3]),
           b.p("Each file was checked as `csm verify` does (trusted manufacturer keys: "
               f"{e(v['trusted_manufacturers'])})."
               " Verdicts per file:")]
    for f in v["files"]:
        counts = ", ".join(f"{n} {s}" for s, n in sorted(f["checkpoints"].items())) or "no checkpoints"
        out.append(b.p(f"<b>{'PASS' if f['ok'] else 'FAIL'}</b> {e(f['file'])}: checkpoint intervals {counts}; "
                       f"verified {kwh(f['verified_kwh'])}, unverifiable {kwh(f['unverifiable_kwh'])}, failed "
                       f"{kwh(f['failed_kwh'])}"))
        rows = [[e(c["name"]), e(c["result"]), e(c["detail"])] for c in f["checks"]]
        out.append(b.table(["check", "result", "detail"], rows, [18, 10, 72]))
        for problem in f["problems"][:10]:
            out.append(b.p(f"problem: {e(problem)}", b.s.small))
    stretches = v["unverified_stretches"]
    if stretches:
        out.append(b.p(f"<b>Stretches not counted ({len(stretches)}):</b>"))
        rows = [[e(s["status"]), f"{s['seq_from']} → {s['seq_to']}", e(s["start_utc"][:19].replace("T", " ")),
                 e(s["end_utc"][:19].replace("T", " ")), f"{s['energy_kwh'] * 1000:.4f} Wh", e(s["why"])]
                for s in stretches[:60]]
        out.append(b.table(["status", "checkpoints", "from (UTC)", "to (UTC)", "energy", "why"], rows,
                           [13, 13, 19, 19, 11, 25]))
    else:
        out.append(b.p("No unverifiable or failed stretch in the period."))
    return out


def energy(doc: dict, b: Any, img: dict) -> list:
    en = doc["energy"]
    rel = en["relative_uncertainty"]
    rows = [[d["day"], f"{d['verified_kwh']:.6f}", f"± {d['uncertainty_kwh']:.6f}" if d["stated"] else "not stated",
             f"{d['device_rule_kwh']:.6f}", f"{d['unverifiable_kwh']:.6f}", f"{d['recorded_h']:.2f}",
             f"{d['verified_h']:.2f}"] for d in en["per_day"]]
    rows.append(["<b>total</b>", f"<b>{en['verified_kwh']:.6f}</b>", f"± {en['uncertainty_kwh']:.6f}",
                 f"{en['device_rule_kwh']:.6f}", f"{en['unverifiable_kwh']:.6f}",
                 f"{sum(d['recorded_h'] for d in en['per_day']):.2f}",
                 f"{sum(d['verified_h'] for d in en['per_day']):.2f}"])
    return [b.h(SECTION_TITLES[4]),
            b.p(f"Verified energy in the period: <b>{kwh(en['verified_kwh'])}</b> ± {kwh(en['uncertainty_kwh'])} "
                f"(k = 2{f', {rel:.3%}' if rel is not None else ''})."
                + (f" {kwh(en['unstated_uncertainty_kwh'])} come from files with no stated uncertainty."
                   if en["unstated_uncertainty_kwh"] > 0 else "")),
            b.p(f"Basis: {e(en['basis'])}. Raw codes: {e(en['raw_basis'])} give {kwh(en['device_rule_kwh'])}; the "
                "device "
                f"signed {en['signed_verified_mwh']} mWh for the verified intervals of these files. `csm verify` "
                f"reports {kwh(en['verify_total_kwh'])} verified in these files over all their days.", b.s.small),
            b.table(["day", "verified kWh", "U (k = 2) kWh", "raw codes kWh", "unverifiable kWh", "recorded h",
                     "verified h"], rows, [16, 15, 15, 15, 15, 12, 12]),
            b.plot(img["daily"], "Verified energy per local day with its k = 2 uncertainty; unverifiable energy "
                                 "(not counted) stacked above; the clear-sky ceiling where a location is known.")]


def emissions(doc: dict, b: Any, _img: dict) -> list:
    em = doc["emissions"]
    f = em["factor"]
    region = em["region"]
    rows = [("Estimate", f"<b>{em['co2_kg']:.6f} {e(em['unit'])}</b> ({e(em['label'])})"),
            ("Before deduction", f"{em['co2_kg_before_deduction']:.6f} {e(em['unit'])} from {kwh(em['verified_kwh'])}"),
            ("Deduction", f"{kwh(em['deduction_kwh'])}: {e(em['deduction_basis'])}; energy used "
                          f"{kwh(em['conservative_kwh'])}"),
            ("Method", e(f["method"])),
            ("Factor", f"{f['factor']:.3f} {e(f['unit'])}" + (" (FLAGGED: a fallback or illustrative default)"
                                                               if f["flagged"] else "")),
            ("Dataset", e(f"{f['dataset']}; {f['version']}")), ("Year", e(f["year"] or "not given")),
            ("Region", e(f["region"]) + (f" ({e(region['detail'])}, from {e(region['source'])})" if region else "")),
            ("Licence", e(f["licence"])), ("Chosen by", e(f["level"]))]
    if f.get("note"):
        rows.append(("Note", e(f["note"])))
    return [b.h(SECTION_TITLES[5]), b.kv(rows), b.p(f"<b>Rule.</b> {e(em['rule'])}"),
            b.p(f"<b>{e(em['not_a_credit'])}</b>")]


def plausibility(doc: dict, b: Any, _img: dict) -> list:
    p = doc["plausibility"]
    where = (f"at {p['latitude']:.4f}, {p['longitude']:.4f}" if p["located"]
             else "without a location (give --lat/--lon or set it in the settings): only the rated ceiling applies")
    out = [b.h(SECTION_TITLES[6]), b.p(f"Rated {p['rated_w']} W, {where}. Rule: {e(p['rule'])}.")]
    rows = [[d["day"], f"{d['energy_wh']:.1f}",
             "" if d["clear_sky_wh"] is None else f"{d['clear_sky_wh']:.1f}", f"{d['ceiling_wh']:.0f}",
             ("<b>" + e(d["verdict"].upper()) + "</b>") if d["verdict"] != "ok" else "ok"] for d in p["days"]]
    if rows:
        out.append(b.table(["day", "verified Wh", "clear-sky Wh", "rated ceiling Wh", "verdict"], rows,
                           [20, 20, 20, 20, 20]))
    out.append(b.p("Flagged days: " + (", ".join(p["flagged"]) if p["flagged"] else "none") + "."))
    return out


def onchain(doc: dict, b: Any, _img: dict) -> list:
    c = doc["onchain"]
    out = [b.h(SECTION_TITLES[7])]
    if c is None:
        return [*out, b.p("No chain was read for this report (give --chain DEPLOYMENT to compare the claims paid on "
                          "a rewards deployment with the files).")]
    out.append(b.kv([("Deployment", f"{e(c['deployment'])} on {e(c['network'])} (chain id {c['chain_id']})"),
                     ("Contract / program", e(c["address"])), ("Deployment id", e(c["deployment_id"])),
                     ("Device on chain", ("registered" if c["registered"] else "not registered")
                      + (f", bound to {e(c['bound_wallet'])}" if c["bound_wallet"] else "")
                      + (", REVOKED" if c["revoked"] else "")
                      + (f"; newest paid checkpoint seq {c['last_seq']} at {c['last_energy_mwh']} mWh"
                         if c["registered"] else ""))],
                    mono_keys=("Contract / program", "Deployment id")))
    if c["claims"]:
        rows: list[list[str]] = []
        for x in c["claims"]:
            rows.append([f"{x['from_seq']} → {x['seq']}", f"{x['claimed_mwh']}",
                         "" if x["signed_delta_mwh"] is None else f"{x['signed_delta_mwh']}",
                         f"{x['verified_kwh'] * 1e6:.0f}", f"{x['unverifiable_kwh'] * 1e6:.1f}", e(x["verdict"])])
            link = f" ({e(x['explorer_url'])})" if x["explorer_url"] else ""
            rows.append([f"transaction <font name='{MONO}' size='7'>{e(x['tx_id'])}</font>{link}, "
                         f"{x['tokens']} token base units"])
        out.append(b.table(["checkpoints", "claimed mWh", "signed mWh", "verified mWh", "unverifiable mWh",
                            "comparison"], rows, [13, 11, 11, 11, 15, 39]))
        out.append(b.p(f"Claimed {c['claimed_mwh']} mWh in {len(c['claims'])} claim(s); the files verify "
                       f"{kwh(c['claimed_verified_kwh'])} (calibrated) over the claimed spans."))
    else:
        out.append(b.p("No paid claim was found for the checkpoints in these files."))
    out += [b.p(f"note: {e(n)}", b.s.small) for n in c["notes"]]
    return out


def double_counting(doc: dict, b: Any, _img: dict) -> list:
    d = doc["double_counting"]
    return [b.h(SECTION_TITLES[8]), b.p(("<b>Confirmed.</b> " if d["confirmed"] else "") + e(d["statement"]))]


def plots_section(doc: dict, b: Any, img: dict) -> list:
    return [b.plot(img["profile"], "Mean power by local time of day over every recorded sample of the period.",
                   heading=SECTION_TITLES[9]),
            b.plot(img["coverage"], "Verified (counted), unverifiable and failed data over the period; stretches "
                                    "recorded before the clock was set and stretches without a valid calibration.")]


def appendix(doc: dict, b: Any, _img: dict) -> list:
    rows = [[f"{e(i['file'])}<br/>SHA-256 <font name='{MONO}' size='7'>{e(i['sha256'])}</font>", f"{i['bytes']:,}",
             "yes" if i["verified"] else "NO"] for i in doc["inputs"]]
    return [b.h(SECTION_TITLES[10]),
            b.p("The report was made from exactly these files (SHA-256 of their bytes); the manifest beside this PDF "
                "repeats them with the SHA-256 of this PDF and of the JSON report."),
            b.table(["file", "bytes", "verified"], rows, [72, 16, 12]),
            b.p(f"Generated by {e(doc['report']['generator'])} ({e(doc['report']['kind'])} version "
                f"{doc['report']['version']}).", b.s.small)]


SECTIONS = (identity, calibration, completeness, verification, energy, emissions, plausibility, onchain,
            double_counting, plots_section, appendix)
