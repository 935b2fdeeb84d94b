"""`csm log` records several simulated devices at once, one file each, and prints their paths."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from carbon_smart_meter.commands import session_files as storage_commands
from carbon_smart_meter.storage import Session


@pytest.mark.timeout(60)
def test_csm_log_records_two_devices_to_two_files(no_records, tmp_path: Path, capsys) -> None:
    from carbon_smart_meter.devices.simulator import SimulatedAdapter

    parser = argparse.ArgumentParser()
    storage_commands.register(parser.add_subparsers())
    with SimulatedAdapter(rate=2000, seed=1) as a, SimulatedAdapter(rate=1000, seed=2) as b:
        args = parser.parse_args(["log", a.port, b.port, "--out", str(tmp_path), "--duration", "2",
                                  "--region", "NZ", "--calibrations", str(no_records)])
        assert args.func(args) == 0
        addresses = {"0x" + a.address.hex(), "0x" + b.address.hex()}
    paths = [Path(p) for p in capsys.readouterr().out.split()]
    assert len(paths) == 2 and all(p.parent == tmp_path for p in paths)
    seen = {}
    for p in paths:
        with Session(p) as s:
            assert s.complete and s.attrs["region"] == "NZ"
            assert s.attrs["calibration_status"] == "uncalibrated"
            seen[s.device["address"]] = (s.rows(), s.device["sample_rate_hz"])
    assert set(seen) == addresses
    for rows, rate in seen.values():
        assert rows >= rate  # about 2 s of samples each (the first block may arrive late)


@pytest.mark.timeout(60)
def test_csm_log_prints_a_storage_problem_when_it_happens_not_only_at_exit(no_records, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import threading

    from session_records import block, hello

    from carbon_smart_meter.protocol import messages as m

    capture = tmp_path / "capture.bin"
    capture.write_bytes(m.encode_message(hello(), 0) + m.encode_message(block(0, 100), 1))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    proc = subprocess.Popen([sys.executable, "-m", "carbon_smart_meter.cli", "log", f"replay:{capture}",
                             "--out", str(blocker / "sessions"), "--duration", "30",
                             "--calibrations", str(no_records)], stderr=subprocess.PIPE, text=True)
    seen: list[tuple[str, object]] = []
    done = threading.Event()

    def watch() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("storage (") and "session file" in line:  # (the claims outbox says so too)
                seen.append((line, proc.poll()))
                done.set()

    threading.Thread(target=watch, daemon=True).start()
    try:
        assert done.wait(30), "no storage line while recording"
        line, returncode = seen[0]
        assert returncode is None, "printed only once csm log had ended"
        assert "cannot create a session file" in line
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
