"""`csm log`, `csm inspect`, `csm export`, `csm repair`: headless recording and session file tools."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path

import h5py
import numpy as np

from carbon_smart_meter.calibration.store import CalibrationStore, default_root
from carbon_smart_meter.commands.arguments import (
    calibration_records,
    claims_chain_options,
    evm_fees,
    existing_file,
    folder_for_output,
    new_file,
    number,
    refuse_chain_options_without_chain,
    region_code,
    seconds,
    serial_port,
    text_of,
)
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.settings import PROFILES as PROFILE_NAMES
from carbon_smart_meter.settings import SITE_LIMITS, SITE_TEXT_LIMITS
from carbon_smart_meter.storage.export import description_path, export, text_progress
from carbon_smart_meter.storage.metadata import SessionMetadata, metadata_lines
from carbon_smart_meter.storage.reader import Session
from carbon_smart_meter.storage.repair import repair
from carbon_smart_meter.storage.review_notes import notes_path, session_notes
from carbon_smart_meter.storage.superblock import refuse_if_cut


def _measured_seconds(t: h5py.Dataset, n: int, chunk: int = 1 << 20) -> float:
    """Time covered by samples: consecutive device-time steps of up to 1 s, so a TIME_SYNC jump of the
    device clock (boot time -> unix time) or a reset does not count as hours of recording."""
    total, prev = 0, None
    for k in range(0, n, chunk):
        block = np.asarray(t[k:min(n, k + chunk)], dtype=np.int64)
        if prev is not None:
            block = np.concatenate(([prev], block))
        steps = np.diff(block)
        total += int(steps[(steps > 0) & (steps <= 1_000_000_000)].sum())
        prev = int(block[-1])
    return total / 1e9


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("log", help="record one or more devices to HDF5 session files (headless)")
    p.add_argument("ports", nargs="+", metavar="PORT", type=serial_port,
                   help="serial port or simulator pty of each device")
    p.add_argument("--out", required=True, type=folder_for_output, help="directory for the session files")
    p.add_argument("--duration", type=seconds(), default=None, help="seconds to record (default: until Ctrl-C)")
    p.add_argument("--calibrations", type=calibration_records, default=None,
                   help=f"calibration records (default {default_root()})")
    p.add_argument("--profile", default="logger", choices=list(PROFILE_NAMES),
                   help="logger (default), kiosk or ship: file rotation, retention and claim sync (README)")
    p.add_argument("--region", default="", type=region_code, help="region code stored in the file (e.g. DE, NZ)")
    p.add_argument("--compression", default=None, choices=["blosc-lz4", "gzip", "none"],
                   help="default: the profile's (blosc-lz4)")
    site = p.add_argument_group("session details (stored in every file's /metadata group; all optional)")
    site.add_argument("--site", default="", type=text_of(at_most=SITE_TEXT_LIMITS["site"]), metavar="NAME",
                      help="site name")
    site.add_argument("--operator", default="", type=text_of(at_most=SITE_TEXT_LIMITS["operator"]),
                      metavar="NAME", help="who runs the measurement")
    for option, key, what in (("--latitude", "latitude", "site latitude, WGS 84"),
                              ("--longitude", "longitude", "site longitude, WGS 84"),
                              ("--tilt", "panel_tilt_deg", "panel tilt: 0 flat, 90 vertical"),
                              ("--azimuth", "panel_azimuth_deg", "panel azimuth, clockwise from north (180 south)"),
                              ("--panel-watts", "panel_rated_w", "the panel's rated power")):
        lo, hi, unit = SITE_LIMITS[key]
        site.add_argument(option, dest=key, default=None, type=number(minimum=lo, maximum=hi, unit=unit),
                          metavar="W" if unit == "W" else "DEG",
                          help=f"{what} ({lo:g} .. {hi:g} {unit})")
    site.add_argument("--description", dest="session_description", default="",
                      type=text_of(at_most=SITE_TEXT_LIMITS["session_description"]), metavar="TEXT",
                      help="free text")
    claims = p.add_argument_group("claims sync (kiosk and ship profiles sync by themselves when given a deployment)")
    claims_chain_options(claims, required=False)
    p.set_defaults(func=cmd_log)

    p = sub.add_parser("inspect", help="summarise a session file (also while it is written, or after a crash)")
    p.add_argument("file", type=existing_file)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("export", help="export a session to CSV or Parquet")
    p.add_argument("file", type=existing_file)
    p.add_argument("--format", required=True, choices=["csv", "parquet"])
    p.add_argument("--from", dest="start", default=None, help="ISO 8601 time or seconds after the first sample")
    p.add_argument("--to", dest="stop", default=None, help="ISO 8601 time or seconds after the first sample")
    p.add_argument("--resample", default=None, help="mean per window, e.g. 1s, 500ms, 1min")
    p.add_argument("-o", "--output", required=True, type=new_file, help="a new file (nothing is overwritten)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("repair", help="make a session file whose writer died openable by any HDF5 tool")
    p.add_argument("file", type=existing_file)
    p.set_defaults(func=cmd_repair)


def cmd_log(args: argparse.Namespace) -> int:
    from carbon_smart_meter.app.headless import RESTART_STATUS, run_headless
    from carbon_smart_meter.app.profiles import profile_named
    from carbon_smart_meter.app.session import LiveSession
    from carbon_smart_meter.settings import Settings
    from carbon_smart_meter.storage.session_file import unsafe_for_new_files

    refuse_chain_options_without_chain(args)
    profile = profile_named(args.profile)
    if args.compression:
        profile = profile.with_changes(recording=replace(profile.recording, compression=args.compression))
    store = CalibrationStore(args.calibrations) if args.calibrations else CalibrationStore()
    settings = Settings(data_dir=str(args.out), region=args.region or "", site=args.site, operator=args.operator,
                        latitude=args.latitude, longitude=args.longitude, panel_tilt_deg=args.panel_tilt_deg,
                        panel_azimuth_deg=args.panel_azimuth_deg, panel_rated_w=args.panel_rated_w,
                        session_description=args.session_description).validate()
    chain = None
    if args.chain:
        from carbon_smart_meter.chains.connect import adapter_factory

        # The wallet is unlocked now (a wrong password fails at once); the node is reached at each sync
        # attempt, so a ship without a link records and queues, and probes with backoff until one appears.
        chain = adapter_factory(args.chain, args.wallet, args.password_env, rpc=args.rpc, evm_fees=evm_fees(args))
    session = LiveSession(settings, profile, calibrations=store, chain=chain)
    done = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        paths = run_headless(session, args.ports, say=lambda line: print(line, file=sys.stderr, flush=True),
                             duration=args.duration, done=done)
    finally:
        signal.signal(signal.SIGTERM, previous)
    snap = session.snapshot()
    problems = snap.storage_problems
    for source, message in problems.items():
        print(f"storage stopped for {source}: {message}", file=sys.stderr)
    if snap.outbox is not None:
        text = ", ".join(f"{n} {status}" for status, n in sorted(snap.outbox.items()) if n) or "no checkpoint"
        print(f"claims outbox {snap.outbox_path}: {text}", file=sys.stderr)
    for path in paths:
        print(path)
    if unsafe_for_new_files():
        return RESTART_STATUS
    return 1 if problems or not paths else 0


def inspect_dict(path: Path) -> dict:
    from carbon_smart_meter.energy.verified import verify_file
    from carbon_smart_meter.protocol.signing import CheckpointMessage

    refuse_if_cut(path)
    verification = verify_file(path)
    with Session(path) as s:
        attrs, dev, cal = s.attrs, s.device, s.calibration
        n = s.rows()
        t = s.samples("device_time_ns")
        t0, t1 = (int(t[0]), int(t[n - 1])) if n else (0, 0)
        gaps = s.table("gaps")
        ck = s.table("checkpoints")
        events = s.events()
        kinds: dict[str, int] = {}
        for e in events:
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        meta, meta_problems = s.metadata()
        notes, note_problems = session_notes(s)
        signed = [CheckpointMessage.decode(bytes(msg)) for msg in ck["message"]]  # the signed bytes, not copies
        energy_ck = signed[-1].energy_mwh - signed[0].energy_mwh if len(signed) > 1 else 0
        return {
            "file": str(path),
            "state": "complete" if s.complete else ("open or crashed (read in SWMR mode)" if s.swmr else "incomplete"),
            "repaired": attrs.get("repaired_utc"),
            "source": attrs.get("source"),
            "device": dev.get("address"),
            "firmware": dev.get("fw_version"),
            "rated_power_w": dev.get("rated_power_w"),
            "profile": attrs.get("profile"),
            "region": attrs.get("region"),
            "app_version": attrs.get("app_version"),
            "created_utc": attrs.get("created_utc"),
            "compression": attrs.get("compression"),
            "samples": n,
            "duration_s": _measured_seconds(t, n),
            "first_device_time_ns": t0,
            "last_device_time_ns": t1,
            "gaps": len(gaps["missing"]),
            "samples_missing": int(np.sum(gaps["missing"])),
            "device_resets": int(np.sum(gaps["reset"])),
            "checkpoints": len(ck["seq"]),
            "last_checkpoint_seq": signed[-1].seq if signed else None,
            "checkpoint_energy_delta_mwh": energy_ck,
            "energy_wh": round(verification.verified_kwh * 1000, 6),
            "energy_unverifiable_wh": round(verification.unverifiable_kwh * 1000, 6),
            "verification": {"ok": verification.ok, "checkpoints": verification.checkpoints,
                             "failed": [f"{c.name}: {c.detail}" for c in verification.checks if c.result == "fail"]
                             + verification.problems},
            "calibration": {
                "status": cal.get("status"),
                "record_id": cal.get("record_id") or None,
                "record_sha256": cal.get("record_sha256") or None,
                "note": cal.get("note") or None,
                "voltage_scale_V": cal.get("voltage_scale"),
                "current_scale_A": cal.get("current_scale"),
            },
            "events": kinds,
            "annotations": len(s.annotations()),
            "metadata": meta.to_dict() if meta is not None else None,
            "metadata_problems": meta_problems,
            "notes": notes,
            "notes_problems": note_problems,
            "channels": s.channels(),
        }


def reward_of(path: Path) -> dict:
    """The reward preview `csm offsets FILE` shows for this file: same report, settings and provider."""
    from carbon_smart_meter.app.energy_report import carbon_settings_from, energy_from_file, energy_report
    from carbon_smart_meter.settings import load_settings

    settings, _problem = load_settings()
    report = energy_report(energy_from_file(path), carbon_settings_from(settings), plausibility=False)
    quote = report.reward
    return {"tokens": quote.tokens, "tokens_display": quote.preview.tokens_display,
            "energy_mwh": quote.preview.energy_mwh, "region": quote.preview.region,
            "params_source": quote.source, "params_detail": quote.source_detail,
            "claimable": quote.claimable, "reasons": [r.code for r in quote.reasons]}


def cmd_inspect(args: argparse.Namespace) -> int:
    info = inspect_dict(args.file)
    try:
        info["reward"] = reward_of(args.file)
    except CsmError as exc:  # the summary stands without it
        info["reward"] = {"problem": str(exc)}
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    cal = info["calibration"]
    flag = "" if cal["status"] == "calibrated" else "  ** UNCALIBRATED: factory scales **"
    print(
        f"{info['file']}\n  state        {info['state']}"
        + (f" (repaired {info['repaired']})" if info["repaired"] else "")
    )
    print(f"  device       {info['device']} ({info['source']}, fw {info['firmware']}, {info['rated_power_w']} W)")
    print(f"  samples      {info['samples']:,} over {info['duration_s']:.3f} s")
    print(
        f"  gaps         {info['gaps']} ({info['samples_missing']:,} samples missing, {info['device_resets']} resets)"
    )
    print(
        f"  checkpoints  {info['checkpoints']} (last seq {info['last_checkpoint_seq']}, "
        f"{info['checkpoint_energy_delta_mwh']} mWh between first and last)"
    )
    ver = info["verification"]
    print(f"  energy       {info['energy_wh']:.4f} Wh verified against the signed checkpoints{flag}"
          + (f"; {info['energy_unverifiable_wh']:.4f} Wh unverifiable, not counted"
             if info["energy_unverifiable_wh"] else ""))
    print("  verification " + ("passed" if ver["ok"] else "FAILED (see `csm verify`)") + ": "
          + (", ".join(f"{v} {k}" for k, v in sorted(ver["checkpoints"].items())) or "no checkpoints"))
    for text in ver["failed"][:5]:
        print(f"    {text}")
    reward = info["reward"]
    if "problem" in reward:
        print(f"  reward       no preview: {reward['problem']}")
    else:
        print(f"  reward       {reward['tokens_display']} tokens ({reward['tokens']} base units) preview for "
              f"{reward['energy_mwh']} mWh in region {reward['region']}, parameters from the "
              f"{reward['params_source'].replace('-', ' ')}")
    print(
        f"  calibration  {cal['status']}"
        + (f", record {cal['record_id']} sha256 {cal['record_sha256'][:16]}" if cal["record_id"] else "")
        + (f" — {cal['note']}" if cal["note"] else "")
    )
    print("  events       " + (", ".join(f"{k} x{v}" for k, v in sorted(info["events"].items())) or "none"))
    meta = SessionMetadata.from_dict(info["metadata"]) if info["metadata"] is not None else None
    rows = metadata_lines(meta)
    if not rows:
        print("  site         " + ("no session details recorded" if meta is not None else
                                   "none (recorded before session details existed)"))
    for label, text in rows:
        print(f"  {label:<12} {' '.join(text.split())}")
    for text in info["metadata_problems"] + info["notes_problems"]:
        print(f"    {text}")
    print(f"  notes        {len(info['notes'])}"
          + (f" ({sum(n['origin'] == 'review' for n in info['notes'])} added in review, in "
             f"{notes_path(Path(info['file'])).name})" if any(n["origin"] == "review" for n in info["notes"]) else ""))
    for n in info["notes"][:20]:
        when = dt.datetime.fromtimestamp(n["t_utc_ns"] / 1e9, dt.UTC).isoformat(timespec="seconds")
        print(f"    {when}  {' '.join(n['text'].split())}")
    print(
        f"  profile      {info['profile']}, region {info['region'] or '-'}, app {info['app_version']}, "
        f"compression {info['compression']}"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    progress = None if args.quiet else text_progress(f"export {args.file.name}")
    rows = export(
        args.file, args.output, args.format, start=args.start, stop=args.stop, resample=args.resample, progress=progress
    )
    print(f"{rows:,} rows -> {args.output}")
    print(f"session details and notes -> {description_path(args.output)}")
    return 0


def cmd_repair(args: argparse.Namespace) -> int:
    report = repair(args.file)
    if not report.changed:
        print(f"{args.file}: already a normally openable file; nothing changed")
        return 0
    trimmed = {k: v for k, v in report.trimmed.items() if v}
    print(
        f"{args.file}: cleared the open-for-write flags ({report.flags_before:#x}), EOF "
        f"{report.eof_before} -> {report.eof_after}" + (f", trimmed half-written rows {trimmed}" if trimmed else "")
    )
    return 0
