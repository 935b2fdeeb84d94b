"""The bundle's entry point runs the app's own child processes (`-m carbon_smart_meter...`, `-c PROBE`).

In the frozen program `sys.executable` is csm itself; these run the same entry code from source.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from carbon_smart_meter import __version__

ENTRY = Path(__file__).resolve().parents[2] / "installers" / "pyinstaller" / "csm_entry.py"


def entry(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ENTRY), *args], capture_output=True, text=True, timeout=120)


def test_plain_arguments_are_the_csm_command_line():
    r = entry("--version")
    assert (r.returncode, r.stdout.strip()) == (0, f"csm {__version__}")
    r = entry("no-such-command")
    assert r.returncode == 2 and "invalid choice" in r.stderr


def test_dash_m_runs_an_app_module_as_main_with_its_arguments():
    r = entry("-m", "carbon_smart_meter.cli", "--version")
    assert (r.returncode, r.stdout.strip()) == (0, f"csm {__version__}")


def test_dash_m_is_only_for_the_apps_own_modules():
    r = entry("-m", "http.server")
    assert r.returncode == 2 and "invalid choice" in r.stderr


def test_dash_c_runs_code_with_the_remaining_arguments_in_argv():
    r = entry("-c", "import sys; print(sys.argv[1:]); sys.exit(3)", "a", "b")
    assert (r.returncode, r.stdout.strip()) == (3, "['a', 'b']")


def test_the_storage_probe_runs_through_the_entry_point(tmp_path, monkeypatch):
    import h5py

    from carbon_smart_meter.storage import superblock

    good = tmp_path / "good.h5"
    with h5py.File(good, "w") as f:
        f["x"] = [1, 2, 3]
    python, run = sys.executable, subprocess.run
    # superblock runs [sys.executable, "-c", PROBE, ...]: make that the entry script, started by Python
    monkeypatch.setattr(sys, "executable", str(ENTRY))
    monkeypatch.setattr(subprocess, "run", lambda cmd, *a, **kw: run([python, *cmd], *a, **kw))
    assert superblock.opens_in_a_child(good) is None
    bad = tmp_path / "bad.h5"
    bad.write_bytes(b"not hdf5" * 100)
    assert superblock.opens_in_a_child(bad) is not None

