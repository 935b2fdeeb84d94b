"""The live session as a service: recording, rotation, retention and sync with no window, served to views.

`csm serve --profile kiosk|ship|logger` runs this under systemd (installers/linux/csm-logger.service).
It owns one LiveSession for as long as it runs; views (the kiosk) attach over a local socket
(view_server) and may crash, hang or be restarted without a sample being lost, because nothing in
the session depends on them. Around the session it adds what an unattended machine needs:

- adapters found by themselves: the ports given are connected at start, and (unless `discover` is off)
  new USB adapters and registered simulators are connected as they appear, by their stable
  /dev/serial/by-id path when there is one, so one unplugged and plugged back in resumes under its
  name (the reader reopens the same path; see acquisition.reader);
- the figures thread: every `interval_s` the station figures (station_figures) are computed once and
  published to every view; the installation totals are saved every `save_every_s`;
- systemd: READY=1 once the socket listens and the ports are connected, STATUS= lines, and WATCHDOG=1
  only while the main loop, the figures thread and the view server all still turn (sd_notify), so a
  service that hangs anywhere is restarted by systemd;
- what goes wrong is said as it happens (as `csm log` does) and stored in the files by the recorder.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from carbon_smart_meter.app import view_protocol as vp
from carbon_smart_meter.app.headless import RESTART_STATUS, describe, ended_for_restart, worth_saying
from carbon_smart_meter.app.installation_totals import FILE_NAME as TOTALS_FILE
from carbon_smart_meter.app.installation_totals import InstallationTotals
from carbon_smart_meter.app.sd_notify import Notifier
from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.app.station_figures import StationFigures
from carbon_smart_meter.app.view_server import ViewServer
from carbon_smart_meter.devices.discovery import find_devices
from carbon_smart_meter.errors import CsmError

LOOP_S = 0.2
DISCOVER_EVERY_S = 2.0
STATUS_EVERY_S = 10.0
BY_ID = Path("/dev/serial/by-id")


def stable_port(port: str, by_id: Path = BY_ID) -> str:
    """The /dev/serial/by-id link of a tty when udev made one (it survives a re-plug that renumbers
    ttyACM0 to ttyACM1), else the port as given."""
    try:
        target = os.path.realpath(port)
        for link in sorted(by_id.iterdir()):
            if os.path.realpath(link) == target:
                return str(link)
    except OSError:
        pass
    return port


class SessionService:
    """Run with `run(done)` on the main thread; `done` (SIGTERM, Ctrl-C, a duration) ends it in order."""

    def __init__(self, session: LiveSession, *, ports: list[str] | None = None, socket_path: Path | None = None,
                 discover: bool = True, tz: str = "local", interval_s: float = 0.5, save_every_s: float = 10.0,
                 say: Callable[[str], None] = print, notifier: Notifier | None = None,
                 finder: Callable[[], list[str]] | None = None) -> None:
        self.session = session
        self.ports = list(ports or [])
        self.socket_path = Path(socket_path) if socket_path is not None else vp.default_socket_path()
        self.discover = discover
        self.interval_s = interval_s
        self.save_every_s = save_every_s
        self.say = say
        self.notifier = notifier or Notifier()
        self.finder = finder or self._find_adapters
        self.totals = InstallationTotals(session.data_dir / TOTALS_FILE)
        self.figures = StationFigures(session, self.totals, tz=tz)
        self.server: ViewServer | None = None
        self.figures_heartbeat = time.monotonic()
        self.figures_problem: str | None = None
        self._connected_ports: set[str] = set()
        self._stop = threading.Event()
        self._figures_thread = threading.Thread(target=self._figures_loop, name="station-figures", daemon=True)
        self.exit_status = 0  # RESTART_STATUS when it ended to be started again in a clean process

    # ---- devices -----------------------------------------------------------------------------------
    @staticmethod
    def _find_adapters() -> list[str]:
        return [stable_port(d.port) if d.kind == "usb" else d.port for d in find_devices()]

    def _connect(self, port: str) -> None:
        real = os.path.realpath(port)
        if port in self._connected_ports or real in {os.path.realpath(p) for p in self._connected_ports}:
            return
        try:
            source = self.session.connect(port)
        except CsmError as exc:
            self.say(f"device ({port}): {exc}")
            return
        self._connected_ports.add(port)
        self.say(f"{'recording' if source in self.session.recording else 'reading'} {source} ({port})")

    def _discover(self) -> None:
        try:
            found = self.finder()
        except Exception as exc:  # a udev hiccup must not end the service; the next look may work
            self.say(f"device discovery failed: {exc}")
            return
        for port in found:
            self._connect(port)

    # ---- figures ---------------------------------------------------------------------------------
    def _figures_loop(self) -> None:
        last_save = time.monotonic()
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                state = self.figures.state()
                assert self.server is not None
                state["views"] = self.server.views
                self.server.publish(state)
                self.figures_problem = None
            except Exception as exc:  # the view goes without an update; the watchdog sees the loop turn
                if self.figures_problem != str(exc):
                    self.say(f"figures: {type(exc).__name__}: {exc}")
                self.figures_problem = str(exc)
            if started - last_save >= self.save_every_s:
                last_save = started
                if not self.totals.save() and self.totals.problem:
                    self.say(f"storage: {self.totals.problem}")
            self.figures_heartbeat = time.monotonic()
            self._stop.wait(max(0.0, self.interval_s - (time.monotonic() - started)))

    def healthy(self, now: float | None = None) -> bool:
        """Everything that must keep turning still turns (what the watchdog ping vouches for)."""
        now = time.monotonic() if now is None else now
        stale = max(5.0, 10 * self.interval_s)
        server = self.server
        return (server is not None and server.alive and now - server.heartbeat < stale
                and self._figures_thread.is_alive() and now - self.figures_heartbeat < stale)

    def status_line(self) -> str:
        snap = self.session.snapshot()
        up = sum(1 for d in snap.devices.values() if d.link == "connected")
        views = self.server.views if self.server is not None else 0
        return (f"{self.session.profile.name}: {up}/{len(snap.devices)} stations connected, "
                f"{len(snap.recording)} recording, {views} view(s)")

    # ---- lifecycle ---------------------------------------------------------------------------------
    def run(self, done: threading.Event, duration: float | None = None) -> list[Path]:
        """Serve until `done` is set or `duration` seconds have passed; returns the session files."""
        started_utc = time.time()
        # The socket first: a second service on the same socket must refuse before touching devices.
        self.server = ViewServer(self.socket_path, vp.hello(self.session.profile.name, os.getpid(), started_utc))
        events = self.session.subscribe_events("service", maxsize=20_000)
        self.session.start()
        self.server.start()
        deadline = None if duration is None else time.monotonic() + duration
        try:
            for port in self.ports:
                self._connect(port)
            if self.discover:
                self._discover()
            self._figures_thread.start()
            self.say(f"serving {self.session.profile.name} session views on {self.socket_path}")
            self.notifier.ready(self.status_line())
            next_discovery = time.monotonic() + DISCOVER_EVERY_S
            next_status = time.monotonic() + STATUS_EVERY_S
            next_ping = 0.0
            while not done.is_set() and (deadline is None or time.monotonic() < deadline):
                for env in events.drain():
                    if worth_saying(env):
                        self.say(describe(env))
                if ended_for_restart(self.say):
                    self.exit_status = RESTART_STATUS
                    break
                now = time.monotonic()
                if self.discover and now >= next_discovery:
                    next_discovery = now + DISCOVER_EVERY_S
                    self._discover()
                if now >= next_status:
                    next_status = now + STATUS_EVERY_S
                    self.notifier.status(self.status_line())
                ping = self.notifier.watchdog_interval_s
                if ping is not None and now >= next_ping and self.healthy(now):
                    self.notifier.watchdog()
                    next_ping = now + min(ping, 5.0)
                done.wait(LOOP_S)
        except KeyboardInterrupt:
            pass
        finally:
            self.notifier.stopping()
            self._stop.set()
            if self._figures_thread.is_alive():
                self._figures_thread.join(5)
            try:
                self.figures.state()  # the last energy into the totals before they are saved
            except Exception as exc:  # the session's own stop below still runs
                self.say(f"figures: {exc}")
            self.totals.save(force=True)
            self.server.stop()
            paths = self.session.stop()
            for env in events.drain():
                if worth_saying(env):
                    self.say(describe(env))
            self.session.hub.unsubscribe(events)
            self.notifier.close()
        return paths
