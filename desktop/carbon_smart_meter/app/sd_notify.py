"""systemd's notification protocol (sd_notify): READY=1, STATUS=..., WATCHDOG=1, as one datagram each.

A unit of `Type=notify` waits for READY=1; with `WatchdogSec=` systemd expects WATCHDOG=1 at least that
often and otherwise kills the service (SIGABRT, then SIGKILL) and, with `Restart=always`, starts it
again. The protocol is a datagram of `KEY=VALUE` lines to the AF_UNIX socket named by `$NOTIFY_SOCKET`
(a leading "@" means Linux's abstract namespace), so it is a few lines here rather than a dependency
(sd_notify(3), sd_watchdog_enabled(3)).

`WATCHDOG_PID`: systemd sets it to the unit's main process. The kiosk runs as the child of cage (the
compositor is the unit's main process, the unit says `NotifyAccess=all`), so a watchdog meant for our
parent is ours too; any other process that merely inherited the variables (a service the kiosk starts
for a demo) must not feed it, and `child_environment()` removes them before such a process is started.
Without a notify socket every call is a no-op, so the same code runs outside systemd.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping

NOTIFY_VARIABLES = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")


def _address(value: str) -> str | bytes:
    return b"\0" + value[1:].encode() if value.startswith("@") else value


class Notifier:
    """Sends notifications to the service manager that started this process, if any."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.socket_path = env.get("NOTIFY_SOCKET", "")
        self.watchdog_s = self._watchdog(env)
        self.sent: list[str] = []  # what was sent (bounded), for status lines and tests
        self._sock: socket.socket | None = None

    @staticmethod
    def _watchdog(env: Mapping[str, str]) -> float | None:
        try:
            usec = int(env.get("WATCHDOG_USEC", "0"))
        except ValueError:
            return None
        if usec <= 0:
            return None
        pid = env.get("WATCHDOG_PID", "")
        if pid and pid.isdigit() and int(pid) not in (os.getpid(), os.getppid()):
            return None  # inherited from a process that is not us (nor the compositor that started us)
        return usec / 1e6

    @property
    def enabled(self) -> bool:
        return bool(self.socket_path)

    @property
    def watchdog_interval_s(self) -> float | None:
        """How often to send WATCHDOG=1: half the timeout, as sd_watchdog_enabled(3) recommends."""
        return None if self.watchdog_s is None else self.watchdog_s / 2

    def notify(self, *lines: str) -> bool:
        """Send `lines` ("READY=1", "STATUS=recording 6 devices") as one datagram; False if none was sent."""
        if not self.socket_path:
            return False
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto("\n".join(lines).encode(), _address(self.socket_path))
        except OSError:
            return False  # the manager went away or the socket is full: the watchdog decides what that means
        self.sent = [*self.sent[-20:], *lines]
        return True

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text}")

    def watchdog(self) -> bool:
        return self.watchdog_s is not None and self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def child_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a child process that must not speak to our service manager for us."""
    env = dict(os.environ if environ is None else environ)
    for key in NOTIFY_VARIABLES:
        env.pop(key, None)
    return env
