"""`csm log` is a live session without a view: files, ledger findings, a claims outbox, problems as they happen."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.app.session_helpers import noon_simulator, write_record

from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.cli import main
from carbon_smart_meter.energy.findings import CheckpointFinding, CheckpointStatus
from carbon_smart_meter.energy.session_verify import verify_session
from carbon_smart_meter.storage.reader import Session


@pytest.mark.timeout(60)
def test_csm_log_leaves_a_claims_outbox_holding_every_verified_checkpoint(no_records, tmp_path, capsys):
    sim = noon_simulator(seed=11, checkpoint_interval_s=1).start()
    try:
        code = main(["log", sim.port, "--out", str(tmp_path / "out"), "--duration", "4", "--region", "NZ",
                     "--calibrations", str(no_records)])
    finally:
        sim.close()
    out, err = capsys.readouterr()
    assert code == 0, err
    [path] = [Path(line) for line in out.split()]
    _, findings = verify_session(path)
    verified = {f.seq for f in findings if isinstance(f, CheckpointFinding) and f.status == CheckpointStatus.VERIFIED}
    assert len(verified) >= 2
    outbox = ClaimsOutbox(tmp_path / "out" / "claims.sqlite")
    queued = {row.seq for row in outbox.all() if row.device == sim.address}
    assert verified <= queued
    assert f"claims outbox {tmp_path / 'out' / 'claims.sqlite'}" in err and "pending" in err


@pytest.mark.timeout(60)
def test_csm_log_records_through_the_devices_calibration_and_names_the_profile(tmp_path, capsys):
    sim = noon_simulator(seed=12).start()
    write_record(tmp_path / "cal", sim.address, voltage_gain=1.5)
    try:
        code = main(["log", sim.port, "--out", str(tmp_path / "out"), "--duration", "2", "--profile", "ship",
                     "--calibrations", str(tmp_path / "cal")])
    finally:
        sim.close()
    assert code == 0
    [path] = [Path(line) for line in capsys.readouterr().out.split()]
    with Session(path) as s:
        assert s.calibration["status"] == "calibrated" and s.calibration["record_id"] == "GAIN-2X"
        assert s.attrs["profile"] == "ship"


@pytest.mark.timeout(60)
def test_csm_log_prints_a_storage_problem_while_it_records(no_records, tmp_path):
    sim = noon_simulator(seed=13).start()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    proc = subprocess.Popen([sys.executable, "-m", "carbon_smart_meter.cli", "log", sim.port, "--out",
                             str(blocked / "sessions"), "--calibrations", str(no_records)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            lines.append(line)
            if "storage" in line and "session file" in line:
                break
        assert any(x.startswith("storage (") and "cannot create a session file" in x for x in lines), lines
        assert proc.poll() is None, "the problem must be told while recording, not at the end"
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
        sim.close()
    assert proc.returncode == 1 and "claims are not being queued" in "".join(lines) + err
