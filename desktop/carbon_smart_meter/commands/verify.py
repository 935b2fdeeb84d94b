"""`csm verify FILE... [--json]`: check session files from their signed data alone; exit 1 on any failure.

For scripts and CI: every copy in the file must equal what it copies, the manufacturer attestation must
come from a trusted key, every checkpoint must verify, and the energy the raw codes hold must agree
with what the device signed (PROTOCOL.md 5). Honest loss (a gap, a crash) is reported as unverifiable,
never as a failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from carbon_smart_meter.commands.arguments import existing_file
from carbon_smart_meter.errors import CsmError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="verify session files from their signed data (exit 1 on any failure)",
                       description="Checks signatures, hash chain, energy and every stored copy of a session "
                                   "file; prints the verified energy and what could not be verified.")
    p.add_argument("files", nargs="+", type=existing_file, metavar="FILE")
    p.add_argument("--manufacturers", type=Path, default=None,
                   help='TOML file of trusted manufacturer keys: manufacturers = ["0x…"]')
    p.add_argument("--no-development-key", action="store_true",
                   help="fail files attested by the public development manufacturer key (simulators, demo)")
    p.add_argument("--json", action="store_true", help="one JSON document with a result per file")
    p.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    from carbon_smart_meter.energy.trust import ManufacturerTrust
    from carbon_smart_meter.energy.verified import verify_file

    allow_dev = not args.no_development_key
    trust = (ManufacturerTrust.load(args.manufacturers, allow_dev) if args.manufacturers
             else ManufacturerTrust(allow_development=allow_dev))
    results: list[dict] = []
    failed = 0
    for path in args.files:
        try:
            v = verify_file(path, trust)
        except CsmError as exc:  # unreadable, not a session file: that file fails, the others go on
            failed += 1
            results.append({"file": str(path), "ok": False, "error": str(exc)})
            if not args.json:
                print(f"FAIL  {path}\n  error        {exc}")
            continue
        failed += not v.ok
        results.append(v.to_json())
        if not args.json:
            print(format_verification(v))
    if args.json:
        print(json.dumps({"ok": failed == 0, "files": results}, indent=2, default=str))
    elif len(args.files) > 1:
        print(f"{len(args.files) - failed} of {len(args.files)} files verified, {failed} failed")
    if failed:
        print(f"csm verify: {failed} file(s) failed verification", file=sys.stderr)
    return 1 if failed else 0


def format_verification(v) -> str:
    mark = {"ok": "ok  ", "warning": "warn", "fail": "FAIL"}
    lines = [f"{'PASS' if v.ok else 'FAIL'}  {v.path}",
             f"  device       {v.device}, {'complete' if v.complete else 'not closed normally'}"]
    lines += [f"  {mark[c.result]} {c.name:<18} {c.detail}" for c in v.checks]
    counts = v.checkpoints
    lines.append("  checkpoints  " + (", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "none"))
    lines.append(f"  energy       {v.verified_kwh * 1000:.4f} Wh verified (raw codes through the recorded "
                 f"calibration; the device signed {v.signed_verified_mwh} mWh for them)")
    if v.unverifiable_kwh:
        lines.append(f"               {v.unverifiable_kwh * 1000:.4f} Wh unverifiable, not counted:")
        for i in v.intervals:
            if i.status == "unverifiable" and i.energy_kwh:
                span = f"checkpoint {i.seq_from} -> {i.seq_to}" if i.seq_to is not None else (
                    f"after checkpoint {i.seq_from}" if i.seq_from is not None else "before any checkpoint")
                lines.append(f"                 {i.energy_kwh * 1000:10.4f} Wh  {span}: {i.why}")
    if v.failed_kwh or v.problems:
        lines.append(f"  FAILED       {v.failed_kwh * 1000:.4f} Wh in failed intervals")
        lines += [f"    {p}" for p in v.problems[:20]]
    if v.gaps:
        lines.append(f"  gaps         {v.gaps} ({v.missing_samples:,} samples missing)")
    return "\n".join(lines)
