"""The report's inputs: session files checked, hashed and grouped by device before any heavy work.

Every problem with an input is found here and said in one line that names the file (missing, not a
file, not HDF5, not a session file, no device), so a report is never half made. Each file's SHA-256 goes
into the manifest: an auditor can tell that the report was made from exactly these bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from carbon_smart_meter.energy.file_checks import first_hello
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.storage.reader import Session

HASH_CHUNK = 1 << 20


class ReportInputError(CsmError):
    """An input the report cannot use."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class InputFile:
    path: Path
    device: str  # 0x + 40 hex
    sha256: str
    size: int

    def to_json(self) -> dict:
        return {"file": self.path.name, "path": str(self.path), "sha256": self.sha256, "bytes": self.size}


def scan(paths: list[Path]) -> list[InputFile]:
    """Each path as a session file with its device; the first unusable one raises ReportInputError."""
    out: list[InputFile] = []
    seen: dict[str, Path] = {}
    for path in paths:
        if not path.exists():
            raise ReportInputError(f"{path}: no such file; give the path of a session file (.h5)")
        if not path.is_file():
            raise ReportInputError(f"{path}: not a file; give session files (.h5), not a directory")
        digest = sha256_file(path)
        if digest in seen:
            raise ReportInputError(f"{path}: the same bytes as {seen[digest]}; give each session file once")
        seen[digest] = path
        with Session(path) as s:  # StorageError (one line, says whether `csm repair` helps) for a bad file
            device = "0x" + first_hello(s).device.hex()
        out.append(InputFile(path, device, digest, path.stat().st_size))
    return out


def select_device(files: list[InputFile], device: str | None) -> dict[str, list[InputFile]]:
    """Files grouped by device (in the order given); only `device` (a full id or a prefix) when set."""
    groups: dict[str, list[InputFile]] = {}
    for f in files:
        groups.setdefault(f.device, []).append(f)
    if device is None:
        return groups
    want = device.lower()
    want = want if want.startswith("0x") else "0x" + want
    chosen = {d: fs for d, fs in groups.items() if d.startswith(want)}
    if not chosen:
        raise ReportInputError(f"--device {device}: no session among the {len(files)} file(s) is from that device "
                               f"(devices in them: {', '.join(sorted(groups))})")
    if len(chosen) > 1:
        raise ReportInputError(f"--device {device} matches {len(chosen)} devices ({', '.join(sorted(chosen))}); "
                               "give more of the device id")
    return chosen
