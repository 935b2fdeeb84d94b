"""`csm devices --json` shows each device's binding and deployment (issue 16), without opening a port.

Two simulated adapters (`csm simulate` on ptys, as a user starts them) are bound with `csm bind`: one on
chain (a real node, anvil), one offline (an address instead of a wallet: the bind waits for a sync).
`csm devices` then names both from the data directory's claims outbox, and still lists the offline one
after its simulator stops, as not plugged in. USB adapters are matched by their USB serial number.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

import pytest
from tests.claims import test_claims_commands_anvil as commands_anvil
from tests.claims.test_claims_commands_anvil import REPO, csm, one_line_error

from carbon_smart_meter.claims.known_devices import listing
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.devices.discovery import FoundDevice
from carbon_smart_meter.protocol.signing import BindMessage, DeviceKey

home = commands_anvil.home  # the fixture: anvil, a deployment record, the wallets `ship` and `relay`


def _simulator(tmp, name: str, seed: int) -> tuple[subprocess.Popen[str], str]:
    link = tmp / name
    proc = subprocess.Popen([sys.executable, "-m", "carbon_smart_meter.cli", "simulate", "--seed", str(seed),
                             "--link", str(link), "--rate", "100"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=REPO)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def _device_of(bind_output: str) -> str:
    return next(w for w in bind_output.split() if w.startswith("0x") and len(w) == 42)


def _devices(*args) -> list[dict]:
    r = csm("devices", "--json", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    """Simulators register in a runtime folder of this test's own (not the machine's running simulators)."""
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    (tmp_path / "run").mkdir()


def test_devices_json_names_each_plugged_in_adapters_binding_and_deployment(home, runtime):
    tmp, world = home
    data = tmp / "data"
    ship_wallet = "0x" + world.accounts[2].address[2:].lower()
    other_wallet = "0x" + world.accounts[4].address[2:].lower()
    sim_a, port_a = _simulator(tmp, "adapter-a", 41)
    sim_b, port_b = _simulator(tmp, "adapter-b", 42)
    world.advance_to(int(time.time()) + 600)  # the chain's clock ahead of the simulators' (real time)
    try:
        bound = csm("bind", port_a, "--wallet", "ship", "--chain", "anvil-test", "--password-env", "PW",
                    "--data-dir", data)
        assert bound.returncode == 0, bound.stderr
        offline = csm("bind", port_b, "--wallet", other_wallet, "--chain", "anvil-test", "--data-dir", data)
        assert offline.returncode == 0, offline.stderr
        device_a, device_b = _device_of(bound.stdout), _device_of(offline.stdout)

        listed = {e["port"]: e for e in _devices("--data-dir", data)}

        a, b = listed[port_a], listed[port_b]
        assert a["present"] and a["kind"] == "simulator" and a["device"] == device_a
        assert a["binding"]["wallet"] == ship_wallet and a["binding"]["state"] == "bound on chain"
        assert a["binding"]["deployment"] == "anvil-test" and a["binding"]["chain"] == "anvil"
        assert a["binding"]["bind_tx"].startswith("0x")
        assert a["deployment"]["address"] == world.address and a["deployment"]["chain_id"] == 31337
        assert a["deployment"]["deployment_id"] == "0x" + world.adapter().deployment_id.hex()
        assert b["device"] == device_b and b["binding"]["wallet"] == other_wallet
        assert b["binding"]["state"] == "pending offline bind" and b["binding"]["bind_tx"] is None
        assert b["deployment"]["name"] == "anvil-test"
        text = csm("devices", "--data-dir", data).stdout
        line_a = next(line for line in text.splitlines() if line.startswith(port_a))
        assert f"{ship_wallet} on anvil-test (anvil), on chain" in line_a
    finally:
        sim_b.terminate()
        sim_b.communicate(timeout=30)
    try:
        listed_after = _devices("--data-dir", data)
    finally:
        sim_a.terminate()
        sim_a.communicate(timeout=30)

    gone = [e for e in listed_after if not e["present"]]
    assert [(e["device"], e["last_port"]) for e in gone] == [(device_b, port_b)]  # seen by `csm bind` there
    assert gone[0]["binding"]["state"] == "pending offline bind" and gone[0]["port"] is None
    assert {e["port"]: e["device"] for e in listed_after if e["present"]} == {port_a: device_a}, listed_after
    text = csm("devices", "--data-dir", data).stdout
    assert any(line.startswith("(not plugged in)") and device_b in line and "bind waits for a sync" in line
               for line in text.splitlines()), text


def test_a_usb_adapter_is_matched_by_its_usb_serial_number_not_by_its_port(tmp_path, monkeypatch):
    monkeypatch.setenv("CSM_DEPLOYMENTS", str(tmp_path / "deployments"))
    outbox = ClaimsOutbox(tmp_path / "claims.sqlite")
    key = DeviceKey.from_seed(b"usb-adapter")
    bind = BindMessage(key.address, bytes(12) + bytes(range(20)), bytes(32), 1, 0, 1_700_000_000, 554).encode()
    outbox.add_binding(bind, key.sign(bind), deployment="fleet")
    outbox.saw_device(key.address, "/dev/ttyACM0", "CSM-0042")

    # Plugged into another port, and another adapter now sits on the port it was last seen on.
    entries = listing([FoundDevice("/dev/ttyACM1", "usb", "adapter CSM-0042", usb_serial="CSM-0042"),
                       FoundDevice("/dev/ttyACM0", "usb", "adapter CSM-0099", usb_serial="CSM-0099")], outbox)

    by_port = {e["port"]: e for e in entries}
    assert by_port["/dev/ttyACM1"]["device"] == "0x" + key.address.hex()
    assert by_port["/dev/ttyACM1"]["binding"]["wallet"] == "0x" + bytes(range(20)).hex()
    assert by_port["/dev/ttyACM1"]["binding"]["state"] == "pending offline bind"
    assert by_port["/dev/ttyACM1"]["deployment"]["name"] == "fleet"
    assert by_port["/dev/ttyACM0"]["device"] is None and by_port["/dev/ttyACM0"]["binding"] is None
    assert len(entries) == 2  # the known adapter is plugged in: not listed again as absent


def test_devices_refuses_a_missing_or_damaged_data_directory_with_one_line(tmp_path):
    one_line_error(csm("devices", "--json", "--data-dir", tmp_path / "missing"), "--data-dir", "not a folder")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "claims.sqlite").write_bytes(b"this is not a database" * 100)
    one_line_error(csm("devices", "--data-dir", damaged), "claims outbox")
    empty = tmp_path / "empty"
    empty.mkdir()
    r = csm("devices", "--json", "--data-dir", empty)
    assert r.returncode == 0 and not (empty / "claims.sqlite").exists()  # never made by listing


def test_an_outbox_of_schema_version_2_is_read_with_no_devices_seen(tmp_path):
    path = tmp_path / "claims.sqlite"
    ClaimsOutbox(path).close()
    db = sqlite3.connect(path)
    db.execute("DROP TABLE devices_seen")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    outbox = ClaimsOutbox(path)
    assert outbox.devices_seen() == [] and listing([], outbox) == []
