"""Run a program under cage (Debian's Wayland kiosk compositor) on the headless wlroots backend, as CI can.

cage refuses to run as root, and CI runs as root: it runs here as uid 1000 of a user namespace (where
root-owned files such as the virtualenv stay readable). Xwayland, which cage 0.1.4 starts, refuses an
/tmp/.X11-unix owned by someone else, so a private tmpfs is mounted there in a mount namespace first
(an outer namespace maps us to root for the mount; the inner one maps uid 1000 back onto it). Nothing
on the machine is changed, except that a missing /tmp/.X11-unix is made (mode 1777, as Debian's x11-common
makes it at boot) to have a mount point: a fresh machine that never ran an X server has none.
`grim` takes the screenshot through the compositor's screencopy protocol.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

NEEDED = ("cage", "grim", "unshare", "Xwayland")
X11_SOCKETS = Path("/tmp/.X11-unix")
INNER = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]


def missing_tools() -> list[str]:
    return [t for t in NEEDED if shutil.which(t) is None]


class Cage:
    """`with Cage(argv, env) as cage: cage.screenshot(path)`; the program is cage's only client."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None, log: Path | None = None) -> None:
        missing = missing_tools()
        if missing:
            raise RuntimeError(f"{', '.join(missing)} not installed: run scripts/install-system-deps.sh "
                               "(packages cage grim xwayland libwayland-cursor0)")
        if not X11_SOCKETS.is_dir():
            X11_SOCKETS.mkdir(exist_ok=True)
            os.chmod(X11_SOCKETS, 0o1777)  # mkdir's mode is cut by the umask; X wants sticky and world-writable
        self.runtime = Path(tempfile.mkdtemp(prefix="csm-cage-", dir="/tmp"))
        os.chmod(self.runtime, 0o700)
        self.log = log or self.runtime / "cage.log"
        inner_env = {"HOME": "/tmp", "XDG_RUNTIME_DIR": str(self.runtime), "WLR_BACKENDS": "headless",
                     "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman", "QT_QPA_PLATFORM": "wayland",
                     **(env or {})}
        assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in inner_env.items())
        inner = " ".join(map(shlex.quote, [*INNER, "env"])) + f" {assigns} cage -- " + " ".join(map(shlex.quote, argv))
        script = f"mount -t tmpfs -o mode=1777 none {X11_SOCKETS} && exec {inner}"
        self.argv = ["unshare", "--user", "--map-root-user", "--mount", "bash", "-c", script]
        self.proc: subprocess.Popen | None = None

    @property
    def display(self) -> Path:
        return self.runtime / "wayland-0"

    def start(self, timeout: float = 20.0) -> Cage:
        self.proc = subprocess.Popen(self.argv, stdout=open(self.log, "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while not self.display.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"cage did not start (exit {self.proc.poll()}): {self.log.read_text()[-2000:]}")
            time.sleep(0.1)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid  # bash exec()s unshare, env and cage: one process, cage's pid

    def screenshot(self, path: Path) -> Path:
        env = {"XDG_RUNTIME_DIR": str(self.runtime), "WAYLAND_DISPLAY": "wayland-0", "PATH": os.environ["PATH"]}
        done = subprocess.run([*INNER, "grim", str(path)], env=env, capture_output=True, text=True, timeout=30)
        if done.returncode:
            raise RuntimeError(f"grim failed: {done.stderr.strip()}")
        return path

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        shutil.rmtree(self.runtime, ignore_errors=True)

    def __enter__(self) -> Cage:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
