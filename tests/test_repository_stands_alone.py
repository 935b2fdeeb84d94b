"""The repository stands alone: no file in it may cite or load anything from outside the clone."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tracked_text_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    files = []
    for name in out.splitlines():
        path = ROOT / name
        if path.suffix in {".png", ".qm", ".bin", ".h5", ".pdf", ".so", ".lock"} or not path.is_file():
            continue
        files.append(path)
    return files


def test_no_tracked_file_points_at_the_shared_planning_folder():
    needle = "../" + "shared/"
    offenders = [str(p.relative_to(ROOT)) for p in tracked_text_files()
                 if needle in p.read_text(encoding="utf-8", errors="replace")]
    assert offenders == []
