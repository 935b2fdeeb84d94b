"""`csm serve` on a simulator at local noon, as a real process, for tests of the service and its views."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from tests.app.session_helpers import noon_simulator, wait_until

from carbon_smart_meter.app.view_client import ViewClient
from carbon_smart_meter.app.view_protocol import ViewProtocolError

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]


class Served:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.run_dir = Path(tempfile.mkdtemp(prefix="csm-t-", dir="/tmp"))  # a Unix socket path is <= 107 bytes
        self.socket = self.run_dir / "s.sock"
        self.data = tmp_path / "data"
        self.env = {**os.environ, "CSM_SETTINGS": str(tmp_path / "settings.toml"), "QT_QPA_PLATFORM": "offscreen",
                    "CSM_KIOSK_CONFIG": str(tmp_path / "kiosk.toml")}
        self.sim = noon_simulator(seed=21, checkpoint_interval_s=1).start()
        self.serve: subprocess.Popen | None = None
        self.logs: list[Path] = []

    def start_serve(self) -> subprocess.Popen:
        log = self.tmp / f"serve-{len(self.logs)}.log"
        self.logs.append(log)
        self.serve = subprocess.Popen(
            [*CSM, "serve", self.sim.port, "--no-discover", "--profile", "kiosk", "--data-dir", str(self.data),
             "--socket", str(self.socket), "--region", "DE", "--tz", "UTC", "--interval", "0.2"],
            env=self.env, stdout=subprocess.PIPE, stderr=open(log, "w"), text=True)  # noqa: SIM115
        wait_until(lambda: self.state() is not None and self.state()["stations"], 30, "the service's first state")
        return self.serve

    def stop_serve(self) -> list[Path]:
        assert self.serve is not None
        self.serve.send_signal(signal.SIGTERM)
        out, _ = self.serve.communicate(timeout=30)
        assert self.serve.returncode == 0, self.logs[-1].read_text()
        return [Path(line) for line in out.split()]

    def state(self) -> dict | None:
        try:
            with ViewClient(self.socket, timeout=3) as client:
                return client.state()["state"]
        except (ViewProtocolError, OSError):
            return None

    def kiosk(self) -> subprocess.Popen:
        return subprocess.Popen([*CSM, "kiosk", "--socket", str(self.socket), "--windowed", "1024x600"],
                                env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def close(self) -> None:
        if self.serve is not None and self.serve.poll() is None:
            self.serve.kill()
            self.serve.wait()
        self.sim.close()
        shutil.rmtree(self.run_dir, ignore_errors=True)


@pytest.fixture
def served(tmp_path):
    s = Served(tmp_path)
    yield s
    s.close()


