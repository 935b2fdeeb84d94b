"""Make the reports: check every input first, then per device one PDF, one JSON and one manifest.

Order matters for "bad input loses nothing": files, period, device and chain are all checked before
any heavy work or any output, and the three outputs of a report are written under temporary names
and linked into place only when all three exist (never over an existing file), so a directory never
holds half a report.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from carbon_smart_meter import __version__
from carbon_smart_meter.energy.trust import ManufacturerTrust
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.report.analysis import analyse
from carbon_smart_meter.report.document import ReportOptions, build_document
from carbon_smart_meter.report.inputs import ReportInputError, scan, select_device
from carbon_smart_meter.report.onchain import ChainView, open_chain
from carbon_smart_meter.report.pdf import render_pdf
from carbon_smart_meter.report.period import Period, parse_day, zone

MANIFEST_KIND = "csm-mrv-manifest"


@dataclass(frozen=True)
class ReportResult:
    device: str
    pdf: Path
    json: Path
    manifest: Path
    verified: bool
    document: dict


def check_period(options: ReportOptions) -> None:
    """--tz, --from and --to, before anything is read."""
    zone(options.tz)
    first = parse_day(options.first_day, "--from") if options.first_day else None
    last = parse_day(options.last_day, "--to") if options.last_day else None
    if first and last:
        Period(first, last, options.tz)


def make_reports(paths: list[Path], out_dir: Path, options: ReportOptions, *, device: str | None = None,
                 trust: ManufacturerTrust | None = None, chain: str | ChainView | None = None,
                 say: Callable[[str], None] = lambda _text: None) -> list[ReportResult]:
    trust = trust or ManufacturerTrust()
    check_period(options)
    if not paths:
        raise ReportInputError("no session file given: name one or more .h5 files")
    groups = select_device(scan(paths), device)
    view = open_chain(chain) if isinstance(chain, str) else chain
    if view is not None:
        say(f"chain: deployment {view.record.name} on {view.record.network} reached")
    _prepare(out_dir)
    results = []
    for dev, items in groups.items():
        analyses = [analyse(item, trust, say) for item in items]

        def progress(k: int, n: int) -> None:
            if k == n or k % 25 == 0:
                say(f"looking up claims on chain: {k}/{n} checkpoints")

        say(f"building the report of {dev}")
        doc = build_document(dev, analyses, options, view, progress)
        results.append(write_report(doc, out_dir))
    return results


def _prepare(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportInputError(f"--out {out_dir}: exists and is not a directory; name a directory for the reports")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportInputError(f"--out {out_dir}: cannot create it ({exc.strerror}); choose a writable directory") \
            from exc
    if not os.access(out_dir, os.W_OK):
        raise ReportInputError(f"--out {out_dir}: not writable; choose a writable directory")


def report_stem(doc: dict) -> str:
    p = doc["report"]["period"]
    return f"mrv-{doc['report']['device'][:10]}_{p['first_day']}_{p['last_day']}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(doc: dict, pdf_name: str, pdf: bytes, json_name: str, json_bytes: bytes) -> dict:
    return {
        "kind": MANIFEST_KIND, "version": 1, "generator": f"csm {__version__}",
        "device": doc["report"]["device"], "period": doc["report"]["period"], "verified": doc["report"]["verified"],
        "inputs": [{k: i[k] for k in ("file", "path", "bytes", "sha256")} for i in doc["inputs"]],
        "outputs": [{"file": pdf_name, "bytes": len(pdf), "sha256": _sha(pdf)},
                    {"file": json_name, "bytes": len(json_bytes), "sha256": _sha(json_bytes)}],
        "check": "sha256sum each file and compare; `csm verify` each input for its signed content",
    }


def write_report(doc: dict, out_dir: Path) -> ReportResult:
    stem = report_stem(doc)
    pdf = render_pdf(doc)
    body = (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    names = {"pdf": f"{stem}.pdf", "json": f"{stem}.json", "manifest": f"{stem}.manifest.json"}
    data = {"pdf": pdf, "json": body,
            "manifest": (json.dumps(manifest(doc, names["pdf"], pdf, names["json"], body), indent=2) + "\n").encode()}
    targets = {k: out_dir / v for k, v in names.items()}
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing:
        raise ReportInputError(f"{', '.join(existing)} already exist(s); reports are never overwritten: choose "
                               "another --out or move the old report away")
    temps = {k: out_dir / f".{v}.tmp-{os.getpid()}" for k, v in names.items()}
    linked: list[Path] = []
    try:
        for k, path in temps.items():
            with path.open("wb") as f:
                f.write(data[k])
                f.flush()
                os.fsync(f.fileno())
        for k in ("json", "pdf", "manifest"):
            os.link(temps[k], targets[k])  # fails if the name appeared meanwhile: nothing is overwritten
            linked.append(targets[k])
    except FileExistsError as exc:
        for p in linked:
            p.unlink(missing_ok=True)
        raise ReportInputError(f"{exc.filename} appeared while the report was written; nothing was replaced") from exc
    except OSError as exc:
        for p in linked:
            p.unlink(missing_ok=True)
        raise CsmError(f"cannot write the report into {out_dir}: {exc.strerror or exc}") from exc
    finally:
        for p in temps.values():
            p.unlink(missing_ok=True)
    return ReportResult(doc["report"]["device"], targets["pdf"], targets["json"], targets["manifest"],
                        bool(doc["report"]["verified"]), doc)
