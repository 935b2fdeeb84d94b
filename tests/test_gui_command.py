"""Issue 18: `csm gui` where no window can be opened says why in one line instead of Qt's abort (signal 6)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from carbon_smart_meter.commands.display import display_problem

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update({k: v for k, v in changes.items() if v is not None})
    return env


def test_csm_gui_without_a_display_is_one_line_and_exit_1(tmp_path):
    r = subprocess.run([*CSM, "gui", "--quit-after", "1"], capture_output=True, text=True, timeout=60,
                       env=_env(CSM_SETTINGS=str(tmp_path / "s.toml")))
    assert r.returncode == 1, r.stderr
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith("csm gui: no display") and "csm log" in line


def test_csm_gui_with_a_display_nobody_serves_is_one_line(tmp_path):
    r = subprocess.run([*CSM, "gui", "--quit-after", "1"], capture_output=True, text=True, timeout=60,
                       env=_env(DISPLAY=":87", CSM_SETTINGS=str(tmp_path / "s.toml")))
    assert r.returncode == 1, r.stderr
    (line,) = r.stderr.strip().splitlines()
    assert "cannot reach the display :87" in line or "libxcb-cursor0" in line


@pytest.mark.parametrize("env, found, expected", [
    ({"DISPLAY": ":0"}, None, "libxcb-cursor0"),
    ({"QT_QPA_PLATFORM": "offscreen"}, None, ""),
    ({"WAYLAND_DISPLAY": "wayland-0"}, None, ""),
    ({"DISPLAY": "127.0.0.1:59"}, "libxcb-cursor.so.0", "cannot reach the display 127.0.0.1:59"),
])
def test_what_is_missing_is_named(env, found, expected):
    problem = display_problem(env, find_library=lambda _name: found)
    assert (expected in problem) if expected else problem == ""
