"""Can a window be opened here? Asked before Qt is loaded, because Qt aborts the process (signal 6, a
core dump and a paragraph about plugins) when it cannot reach a display or lacks the xcb libraries.

Only Linux and the other X11/Wayland systems are checked; Windows and macOS always have a display.
"""

from __future__ import annotations

import ctypes.util
import os
import socket
import sys
from pathlib import Path

from carbon_smart_meter.errors import CsmError

WINDOWLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay", "minimalegl")
X11_SOCKETS = Path("/tmp/.X11-unix")
X11_TCP_BASE = 6000

HINT = "record without a window with `csm log`, or open it on a desktop (over ssh: `ssh -X`)"


def display_problem(environ: dict[str, str] | None = None, find_library=ctypes.util.find_library) -> str:
    """Why no window can be opened, in one line; "" when it can (or when we cannot tell)."""
    env = os.environ if environ is None else environ
    if sys.platform in ("win32", "darwin"):
        return ""
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform in WINDOWLESS_PLATFORMS or platform.startswith("wayland"):
        return ""
    display = env.get("DISPLAY", "")
    if not display:
        if env.get("WAYLAND_DISPLAY") and not platform:
            return ""  # Qt picks Wayland
        return f"no display to open the window on (DISPLAY is not set): {HINT}"
    if find_library("xcb-cursor") is None:
        return ("the window needs the system library libxcb-cursor0, which is not installed: "
                "`sudo apt install libxcb-cursor0` (or `make system-deps`)")
    if not _x_server_answers(display):
        return f"cannot reach the display {display} (is the X server running, and may you use it?): {HINT}"
    return ""


def _x_server_answers(display: str) -> bool:
    """Is something listening where `display` ("[host]:N[.S]") says the X server is?"""
    host, _, rest = display.rpartition(":")
    try:
        number = int(rest.split(".")[0])
    except ValueError:
        return True  # a form we do not know: let Qt try
    if host in ("", "unix") or host.startswith("/"):
        if host.startswith("/"):  # launchd-style socket path (XQuartz)
            return Path(display).exists() or Path(host).exists()
        return (X11_SOCKETS / f"X{number}").exists() or _abstract_socket(number)
    try:
        with socket.create_connection((host, X11_TCP_BASE + number), timeout=2):
            return True
    except OSError:
        return False


def _abstract_socket(number: int) -> bool:
    """Linux X servers also listen on an abstract socket, which survives a cleared /tmp."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.settimeout(2)
        s.connect(f"\0/tmp/.X11-unix/X{number}")
        return True
    except OSError:
        return False
    finally:
        s.close()


def require_display() -> None:
    problem = display_problem()
    if problem:
        raise CsmError(problem)
