"""`csm fleet ingest`: session files verified and rolled up into the lake, here or on a Dask cluster.

One job per session file: hash it, skip it if the lake has it, else verify it and roll it up
(`fleet.rollup`) and write its partitions (`fleet.lake`). The job is a plain function of a path and
the lake's path, so the same job runs in this process or on the workers of a Dask distributed cluster
(`--scheduler tcp://host:8786`). Dask workers must be processes, not threads: HDF5 holds one global
lock per process, so threads would read one file at a time. On a real cluster the session files and the
lake must be on a filesystem every worker mounts at the same path (NFS, CephFS, a cloud file share).
"""

from __future__ import annotations

import shutil
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.fleet import lake as L
from carbon_smart_meter.fleet.rollup import file_sha256, rollup_file

SUFFIXES = (".h5", ".hdf5")
SITES_FILE = "sites.csv"


def session_files(inputs: Iterable[Path | str]) -> list[Path]:
    """Session files named directly or found under the directories given (recursively), sorted."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.suffix.lower() in SUFFIXES and q.is_file())
        elif p.is_file():
            out.append(p)
        else:
            raise CsmError(f"{p} is neither a session file nor a directory; give .h5 files or folders of them")
    return list(dict.fromkeys(out))


def ingest_one(path: str, lake: str) -> dict[str, object]:
    """The job: one session file into the lake. Returns a summary; never raises (a failure is a row)."""
    started = time.perf_counter()
    lake_p = Path(lake)
    try:
        sha = file_sha256(path)
        if L.is_ingested(lake_p, sha):
            return {"path": path, "sha256": sha, "result": "skipped", "seconds": time.perf_counter() - started}
        r = rollup_file(path, sha256=sha)
        session = r.session
        first = session.column("first_t")[0].as_py()
        day = first.strftime("%Y-%m-%d") if first is not None else "unknown"
        written = L.write_partitioned(lake_p, "rollups", r.device, r.rollups, "t", sha, day)
        written += L.write_partitioned(lake_p, "checkpoints", r.device, r.checkpoints, "device_time", sha, day)
        written += L.write_partitioned(lake_p, "sessions", r.device, session.drop_columns(["device"]), "first_t",
                                       sha, day)
        summary = {"path": path, "sha256": sha, "result": "ingested", "device": r.device,
                   "verified": r.verification.ok, "verified_kwh": r.verification.verified_kwh,
                   "seconds_rows": r.rollups.num_rows, "files": [str(p.relative_to(lake_p)) for p in written]}
        L.write_marker(lake_p, sha, summary)
        summary["seconds"] = time.perf_counter() - started
        return summary
    except Exception as exc:  # one bad file must not stop a fleet; it is reported by name
        return {"path": path, "result": "failed", "error": f"{type(exc).__name__}: {exc}",
                "trace": traceback.format_exc(limit=3), "seconds": time.perf_counter() - started}


@dataclass
class IngestResult:
    ingested: list[dict[str, object]] = field(default_factory=list)
    skipped: list[dict[str, object]] = field(default_factory=list)
    failed: list[dict[str, object]] = field(default_factory=list)
    wall_s: float = 0.0
    where: str = "this process"

    def add(self, summary: dict[str, object]) -> None:
        {"ingested": self.ingested, "skipped": self.skipped, "failed": self.failed}[str(summary["result"])].append(
            summary)

    @property
    def total(self) -> int:
        return len(self.ingested) + len(self.skipped) + len(self.failed)


def ingest(inputs: Iterable[Path | str], lake: Path | str, *, scheduler: str | None = None,
           sites: Path | None = None, progress: Callable[[int, int, dict[str, object]], None] | None = None,
           ) -> IngestResult:
    """Every session file of `inputs` into `lake`; on the Dask cluster at `scheduler` if one is given."""
    files = session_files(inputs)
    lake_p = Path(lake)
    lake_p.mkdir(parents=True, exist_ok=True)
    if sites is not None:
        if not Path(sites).is_file():
            raise CsmError(f"the sites register {sites} does not exist (CSV: device,site,latitude,longitude)")
        shutil.copyfile(sites, lake_p / SITES_FILE)
    result = IngestResult()
    started = time.perf_counter()
    jobs = [str(p) for p in files]
    if scheduler:
        result.where = f"Dask cluster {scheduler}"
        for k, summary in enumerate(_on_dask(jobs, str(lake_p.resolve()), scheduler)):
            result.add(summary)
            if progress:
                progress(k + 1, len(jobs), summary)
    else:
        for k, path in enumerate(jobs):
            summary = ingest_one(path, str(lake_p))
            result.add(summary)
            if progress:
                progress(k + 1, len(jobs), summary)
    result.wall_s = time.perf_counter() - started
    return result


def _on_dask(jobs: list[str], lake: str, scheduler: str) -> Iterable[dict[str, object]]:
    from distributed import Client, as_completed

    try:
        client = Client(scheduler, timeout=20)
    except (OSError, TimeoutError) as exc:
        raise CsmError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                       "`dask scheduler` and workers with `dask worker SCHEDULER --nworkers N --nthreads 1`") from None
    try:
        # absolute paths: a worker's working directory is not ours
        futures = client.map(ingest_one, [str(Path(j).resolve()) for j in jobs], lake=lake, pure=False)
        for future in as_completed(futures):
            yield future.result()
            future.release()
    finally:
        client.close()
