"""`csm bind` and `csm claims status|sync|export|import|submit` as a user types them, against a real node
(anvil, its own process) and a simulated adapter on a pty: bind, record, sync, bundle, submit twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.claims.anvil_world import HOUR, REPO, start_world

from carbon_smart_meter.chains import deployments, wallets
from carbon_smart_meter.devices.simulator import SimulatedAdapter

PASSWORD = "ship's password"


def csm(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=REPO)


def one_line_error(r: subprocess.CompletedProcess[str], *words: str) -> str:
    assert r.returncode != 0, r.stdout
    assert "Traceback" not in r.stderr, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def noon_longitude(unix_s: float) -> float:
    """The longitude where it is solar noon at `unix_s` (so a simulated panel makes power)."""
    return (((12 * 3600 - unix_s % 86_400) + 43_200) % 86_400 - 43_200) / 240.0


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CSM_WALLETS", str(tmp_path / "wallets"))
    monkeypatch.setenv("CSM_DEPLOYMENTS", str(tmp_path / "deployments"))
    monkeypatch.setenv("PW", PASSWORD)
    monkeypatch.delenv("CSM_KEYSTORE_PASSWORD", raising=False)
    world = start_world(tmp_path)
    deployments.save(deployments.DeploymentRecord(
        name="anvil-test", network="anvil", kind="evm", address=world.address, rpc=world.node.url, chain_id=31337,
        deployment_id="0x" + world.adapter().deployment_id.hex()))
    wallets.import_secret("ship", "evm", bytes(world.accounts[2].key), PASSWORD)
    wallets.import_secret("relay", "evm", bytes(world.accounts[1].key), PASSWORD)
    yield tmp_path, world
    world.node.kill()


def accelerated_adapter(world, seed: int) -> SimulatedAdapter:
    # Start at 08:00 solar time, not noon: at 600x the sun sets 60 wall seconds later instead of 36, which a
    # loaded machine starting `csm bind` and a few `csm log` runs needed (seen: "no claimable energy").
    start = world.chain_time()
    morning = (noon_longitude(start) - 60.0 + 180.0) % 360.0 - 180.0
    return SimulatedAdapter(rate=100, speed=600, seed=seed, panel_watts=60, start_unix=start,
                            longitude=morning, checkpoint_interval_s=600).open().start()


def log_until_claimable(sim: SimulatedAdapter, data: Path, min_wh: float = 12.0) -> None:
    """`csm log` until the outbox holds more than the threshold's worth of unsettled energy. (It joins the
    adapter's stream mid-way: blocks before its HELLO are not stored and it exits 1 saying so; a loaded
    machine may spend most of a short run starting up. The signed checkpoints all reach the outbox.)"""
    for _ in range(5):
        csm("log", sim.port, "--out", data, "--duration", "6")
        status = json.loads(csm("claims", "status", "--data-dir", data, "--json").stdout)
        bound = [d for d in status["devices"] if d["deployment_id"] != "0x" + "00" * 32]
        if bound and bound[0]["pending_wh"] > min_wh:
            return
    raise AssertionError(f"no claimable energy recorded: {status}")


def test_bind_record_sync_and_a_bundle_submitted_twice_pays_once(home):
    tmp, world = home
    data, relay = tmp / "ship-data", tmp / "relay-data"
    sim = accelerated_adapter(world, seed=21)
    try:
        with world.following(sim.device_time):  # the chain's clock runs with the accelerated device's
            r = csm("bind", sim.port, "--wallet", "ship", "--chain", "anvil-test", "--password-env", "PW",
                    "--region", "NZ", "--data-dir", data)
            assert r.returncode == 0, r.stderr
            assert "registered and bound on anvil-test" in r.stdout
            state = world.adapter().device_state(sim.address)
            assert state is not None and state.wallet == bytes.fromhex(world.accounts[2].address[2:])

            log_until_claimable(sim, data)
            status = json.loads(csm("claims", "status", "--data-dir", data, "--json").stdout)
            (dev,) = [d for d in status["devices"] if d["deployment_id"] != "0x" + "00" * 32]
            assert dev["device"] == "0x" + sim.address.hex() and dev["pending_wh"] > 10
            assert dev["bind"] == "on chain"

            r = csm("claims", "sync", "--chain", "anvil-test", "--wallet", "relay", "--password-env", "PW",
                    "--data-dir", data)
            assert r.returncode == 0, r.stderr
            assert " 1 paid" in r.stdout
            paid = world.balance(2)
            assert paid > 0 and world.balance(1) == 0  # the relayer paid gas, the bound wallet got the rewards
            after = json.loads(csm("claims", "status", "--data-dir", data, "--json").stdout)
            (dev,) = [d for d in after["devices"] if d["deployment_id"] != "0x" + "00" * 32]
            assert dev["paid_tokens"] == paid and dev["paid_amount_unknown"] == 0

            # More energy, carried on a bundle to a machine with a link, submitted there twice.
            log_until_claimable(sim, data)
            bundle = tmp / "ship.csmclaims"
            r = csm("claims", "export", "--data-dir", data, "--out", bundle)
            assert r.returncode == 0, r.stderr
            nonce = world.nonce(1)
            first = csm("claims", "submit", bundle, "--chain", "anvil-test", "--wallet", "relay", "--password-env",
                        "PW", "--data-dir", relay)
            assert first.returncode == 0, first.stderr
            more = world.balance(2)
            assert more > paid and world.nonce(1) == nonce + 1
            second = csm("claims", "submit", bundle, "--chain", "anvil-test", "--wallet", "relay", "--password-env",
                         "PW", "--data-dir", tmp / "another-relay")
            assert second.returncode == 0, second.stderr
            assert world.balance(2) == more and world.nonce(1) == nonce + 1  # nothing sent, nothing paid twice
            third = csm("claims", "submit", bundle, "--chain", "anvil-test", "--wallet", "relay", "--password-env",
                        "PW", "--data-dir", relay)
            assert third.returncode == 0 and world.balance(2) == more and world.nonce(1) == nonce + 1
            # The ship's own outbox learns from the chain that the relayed claim was paid: paid, never rejected.
            r = csm("claims", "sync", "--chain", "anvil-test", "--wallet", "relay", "--password-env", "PW",
                    "--data-dir", data, "--json")
            assert r.returncode == 0, r.stderr
            report = json.loads(r.stdout)
            assert report["rejected"] == 0 and report["submitted"] == 0 and report["paid_elsewhere"] == 1
            assert world.balance(2) == more
    finally:
        sim.close()


def test_bad_input_gets_one_line_and_a_non_zero_exit(home):
    tmp, world = home
    data = tmp / "data"
    sim = accelerated_adapter(world, seed=22)
    try:
        one_line_error(csm("bind", sim.port, "--wallet", "ship", "--chain", "no-such-chain", "--password-env", "PW"),
                       "no deployment named 'no-such-chain'")
        one_line_error(csm("bind", sim.port, "--wallet", "nobody", "--chain", "anvil-test", "--password-env", "PW"),
                       "nobody")
        (tmp / "wrong").write_text("")
        r = subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", "bind", sim.port, "--wallet", "ship",
                            "--chain", "anvil-test", "--password-env", "WRONG_PW"], capture_output=True, text=True,
                           env={**__import__("os").environ, "WRONG_PW": "not it"}, cwd=REPO, timeout=120)
        one_line_error(r, "password")
        one_line_error(csm("bind", "/dev/does-not-exist", "--wallet", "ship", "--chain", "anvil-test",
                           "--password-env", "PW", "--data-dir", data, "--timeout", "2"))
        # The adapter records (unbound) checkpoints; status says so, sync has nothing to send.
        # (Joining a stream mid-way, the first blocks before the HELLO are not stored; the checkpoints are.)
        csm("log", sim.port, "--out", data, "--duration", "4")
        status = csm("claims", "status", "--data-dir", data)
        assert status.returncode == 0 and "not bound: `csm bind" in status.stdout
        one_line_error(csm("claims", "sync", "--chain", "anvil-test", "--wallet", "relay", "--password-env", "PW",
                           "--data-dir", data, "--rpc", "http://127.0.0.1:9"), "unreachable")
        one_line_error(csm("claims", "status", "--data-dir", tmp / "empty"), "no claims outbox")
        one_line_error(csm("claims", "export", "--data-dir", data, "--out", tmp / "b.json"), "nothing to export")
    finally:
        sim.close()
    # A bundle damaged on the way is refused whole.
    world.advance_to(world.chain_time() + HOUR)
    good = tmp / "good.csmclaims"
    from tests.claims.anvil_world import DAY

    from carbon_smart_meter.claims.bundle import export_bundle
    from carbon_smart_meter.claims.outbox import ClaimsOutbox

    key = world.bind(b"bundle-dev", wallet_index=2)
    outbox = ClaimsOutbox(tmp / "o" / "claims.sqlite")
    base = world.chain_time()
    outbox.add(*world.checkpoint(key, 2, 50_000, base + HOUR))
    export_bundle(outbox, good)
    world.advance_to(base + DAY)
    text = good.read_text()
    doc = json.loads(text)
    doc["checkpoints"][0]["message"] = doc["checkpoints"][0]["message"][:-2] + "00"
    bad = tmp / "bad.csmclaims"
    bad.write_text(json.dumps(doc))
    one_line_error(csm("claims", "submit", bad, "--chain", "anvil-test", "--wallet", "relay", "--password-env", "PW",
                       "--data-dir", tmp / "r"), "do not match the manifest")
    Path(tmp / "junk.csmclaims").write_text("{not json")
    one_line_error(csm("claims", "import", tmp / "junk.csmclaims", "--data-dir", tmp / "r"), "not a readable")
    assert world.balance(2) == 0


def test_csm_log_in_the_ship_profile_probes_the_chain_and_says_so_while_offline(home):
    tmp, world = home
    sim = accelerated_adapter(world, seed=23)
    try:
        r = csm("log", sim.port, "--out", tmp / "ship", "--duration", "5", "--profile", "ship", "--chain", "anvil-test",
                "--wallet", "relay", "--password-env", "PW", "--rpc", "http://127.0.0.1:9")
    finally:
        sim.close()
    assert "claims sync: no link or refused" in r.stderr and "unreachable" in r.stderr
    assert "next attempt in" in r.stderr
    assert "claims outbox" in r.stderr and "pending" in r.stderr  # every checkpoint kept for later
    wrong = csm("log", "loop://", "--out", tmp / "x", "--duration", "1", "--profile", "ship", "--chain",
                "anvil-test", "--wallet", "relay", "--password-env", "NOT_SET")
    one_line_error(wrong, "NOT_SET")


@pytest.mark.parametrize("command", [["log", "loop://", "--out", "OUT"], ["serve"]])
def test_a_recorders_fee_limit_and_bump_wait_reach_its_chain_sender(home, command):
    # `csm log` and `csm serve` sync claims by themselves (ship, kiosk) but had no fee options: a ship's
    # claims were sent with the defaults whatever its owner wanted. They take the same options as
    # `csm claims sync` now, and cmd_log/cmd_serve hand them to the factory as below.
    from carbon_smart_meter.chains.connect import adapter_factory
    from carbon_smart_meter.cli import build_parser
    from carbon_smart_meter.commands.arguments import evm_fees

    args = build_parser().parse_args([*command, "--chain", "anvil-test", "--wallet", "relay", "--password-env", "PW",
                                      "--max-fee-gwei", "1.5", "--bump-after-blocks", "7"])
    chain = adapter_factory(args.chain, args.wallet, args.password_env, rpc=args.rpc, evm_fees=evm_fees(args))()
    sender = chain.sender  # type: ignore[attr-defined]
    assert (sender.max_fee_per_gas, sender.bump_after_blocks) == (1_500_000_000, 7)
    assert sender.fee_fields()["maxFeePerGas"] == 1_500_000_000  # the market asks more; the limit caps it
