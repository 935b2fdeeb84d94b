"""The foundation's commands as a user runs them: `csm simulate`, `csm devices`, `csm monitor --json`."""

import json
import subprocess
import sys

CSM = [sys.executable, "-m", "carbon_smart_meter.cli"]


def test_simulate_prints_the_port_first_and_monitor_streams_json_with_zero_losses(tmp_path):
    link = tmp_path / "sim0"
    # 2 kHz: the simulator's buffer holds ~16 s, enough for `devices` and `monitor` to start on a loaded machine
    # (at 5 kHz, 6.6 s, a CI run under load counted the frames dropped before monitor read as lost).
    sim = subprocess.Popen([*CSM, "simulate", "--rate", "2000", "--link", str(link)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = sim.stdout.readline().strip()
        assert port == str(link) and link.resolve().as_posix().startswith("/dev/pts/")
        listed = subprocess.run([*CSM, "devices", "--json"], capture_output=True, text=True, timeout=30)
        assert any(d["port"] == port and d["kind"] == "simulator" for d in json.loads(listed.stdout))
        mon = subprocess.run([*CSM, "monitor", port, "--json", "--duration", "3"],
                             capture_output=True, text=True, timeout=60)
        rows = [json.loads(line) for line in mon.stdout.splitlines()]
    finally:
        sim.terminate()
        err = sim.communicate(timeout=10)[1]
    assert len(rows) >= 2
    last = rows[-1]
    assert last["connected"] and last["samples"] > 4000
    assert last["samples_lost"] == last["crc_errors"] == last["frames_lost"] == 0
    assert 3 < last["volts"] < 6
    assert "sent" in err  # the simulator's own closing count


def test_simulate_refuses_a_fault_spec_it_does_not_understand():
    out = subprocess.run([*CSM, "simulate", "--faults", "explode=1"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 1
    assert "explode=1" in out.stderr and "corrupt=P" in out.stderr


def test_monitor_of_a_missing_port_says_so_and_exits():
    out = subprocess.run([*CSM, "monitor", "/dev/nonexistent-csm", "--json", "--duration", "1.5"],
                         capture_output=True, text=True, timeout=30)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows and not rows[-1]["connected"]
