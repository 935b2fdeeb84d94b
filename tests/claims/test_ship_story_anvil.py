"""The ship story (issue 16) on a real node in its own process (anvil):

two adapters bound in port, then six weeks of device time (accelerated simulators) with the node down
(no link), the app restarted in the middle, then the node comes back with its state and one sync pays
every device, exactly once. Told twice: synced by the ship's own live session (ship profile), and as a
claim bundle exported on board and submitted (twice) from a second data directory by a relayer.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests.claims.anvil_world import DAY, start_world
from tests.claims.test_claims_commands_anvil import noon_longitude

from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.connect import adapter_for
from carbon_smart_meter.chains.deployments import DeploymentRecord
from carbon_smart_meter.claims.bundle import export_bundle, import_bundle
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.claims.sync import SyncEngine, SyncReport
from carbon_smart_meter.devices.simulator import SimulatedAdapter
from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.signing import wallet_bytes
from carbon_smart_meter.settings import Settings

pytestmark = pytest.mark.slow

WEEKS = 6
VOYAGE_WALL_S = 90.0  # six weeks of device time pass in this many seconds
SPEED = WEEKS * 7 * DAY / VOYAGE_WALL_S
WALLETS = {0: 2, 1: 3}  # device index -> anvil account its rewards go to


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _session(data: Path, chain) -> LiveSession:
    return LiveSession(Settings(data_dir=str(data), profile="ship"), "ship", chain=chain)


def _connect(session: LiveSession, sims: list[SimulatedAdapter]) -> list[str]:
    sources = [session.connect(sim.port, name=f"sim{i}", record=True) for i, sim in enumerate(sims)]
    for s in sources:
        _wait(lambda s=s: session.acquisition.hello(s) is not None, 20, f"HELLO of {s}")
    return sources


def _voyage(tmp_path: Path, world, record: DeploymentRecord, cleanup: list) -> tuple[Path, list[SimulatedAdapter]]:
    """Bind in port, sail for six weeks without a link (restarting the app half-way), come back."""
    data = tmp_path / "ship"
    start = world.chain_time()
    sims = [SimulatedAdapter(rate=1, speed=SPEED, seed=31 + i, panel_watts=60, start_unix=start,
                             longitude=noon_longitude(start) + 10 * i, checkpoint_interval_s=6 * 3600).open().start()
            for i in range(2)]
    cleanup.extend(sim.close for sim in sims)
    relayer = world.relayer
    session = _session(data, lambda: adapter_for(record, relayer, poll_s=0.05))
    cleanup.append(session.stop)
    replies = session.hub.subscribe([m.BindSignature], name="ship-binds")
    session.start()
    sources = _connect(session, sims)
    # In port: the node is up and its clock ahead of the devices' while they sign their binds.
    world.advance_to(int(max(sim.device_time() for sim in sims)) + DAY)
    for i, source in enumerate(sources):
        wallet = wallet_bytes(bytes.fromhex(world.accounts[WALLETS[i]].address[2:]))
        session.send(source, m.BindRequest(wallet, record.deployment_id_bytes, 554))
    binds = []
    while len(binds) < 2:
        env = replies.get(timeout=10)
        assert env is not None, "an adapter did not sign its bind"
        binds.append(env.record)
    for bind in binds:
        hello = next(session.acquisition.hello(s) for s in sources
                     if session.acquisition.hello(s).device == bind.message.device)
        session.outbox.add_binding(bind.message.encode(), bind.signature, deployment=record.name,
                                   attestation=SignedMessage(hello.attestation, hello.attestation_signature))
    for i in WALLETS:  # each wallet puts its own device's bind on chain (the chain takes it from no one else)
        report = SyncReport()
        SyncEngine(session.outbox, world.adapter(WALLETS[i])).push_bindings(report)
        assert report.bound == 1, report.bind_errors
    # Cast off: no link from here on. The ship's sync service keeps probing, backing off.
    world.node.stop()
    session.sync.sync_now()  # a probe now (the service's own would follow its 10-minute interval)
    _wait(lambda: session.sync.status().consecutive_failures >= 1, 60, "a failed probe while offline")
    _wait(lambda: min(sim.device_time() for sim in sims) > start + WEEKS * 7 * DAY / 2, VOYAGE_WALL_S, "3 weeks")
    session.stop()  # the app is restarted half-way through the voyage
    session = _session(data, lambda: adapter_for(record, relayer, poll_s=0.05))
    cleanup.append(session.stop)
    session.start()
    _connect(session, sims)
    _wait(lambda: min(sim.device_time() for sim in sims) > start + WEEKS * 7 * DAY, 2 * VOYAGE_WALL_S, "6 weeks")
    status = session.sync.status()
    assert status.last_error and status.consecutive_failures >= 1 and status.last_success_utc is None
    for sim in sims:
        sim.stop()
    session.stop()
    return data, sims


def _assert_paid_once(world, data_outboxes: list[Path], sims: list[SimulatedAdapter], nonce_before: int) -> None:
    assert world.nonce(1) == nonce_before + 1, "one transaction paid both devices"
    a = world.adapter()
    for i, sim in enumerate(sims):
        state = a.device_state(sim.address)
        rows = [r for path in data_outboxes for r in ClaimsOutbox(path).all() if r.device == sim.address]
        bound = [r for r in rows if r.deployment_id == a.deployment_id]
        assert len({r.seq for r in bound}) > 80, "six weeks of 6-hourly checkpoints, every one kept"
        newest = max(r.seq for r in bound)
        assert state.last_seq == newest  # paid up to its newest checkpoint (well inside its daily cap)
        ours = [r for r in ClaimsOutbox(data_outboxes[0]).all() if r.device == sim.address and r.seq == newest]
        assert ours[0].status == "paid" and ours[0].tokens == world.balance(WALLETS[i]) > 0
        assert all(r.status in ("paid", "settled") for r in ClaimsOutbox(data_outboxes[0]).all()
                   if r.device == sim.address and r.deployment_id == a.deployment_id)
        assert not [r for r in rows if r.status == "rejected"]


@pytest.fixture
def world_and_record(tmp_path):
    world = start_world(tmp_path)
    record = DeploymentRecord(name="anvil-ship", network="anvil", kind="evm", address=world.address,
                              rpc=world.node.url, chain_id=31337,
                              deployment_id="0x" + world.adapter().deployment_id.hex())
    cleanup: list = []
    yield world, record, cleanup
    for step in reversed(cleanup):
        step()
    world.node.kill()


def _back_in_port(world, sims: list[SimulatedAdapter]) -> None:
    world.node.start()  # the node comes back with the chain it had (state file)
    world.advance_to(int(max(sim.device_time() for sim in sims)) + 60)  # the chain saw the six weeks pass


def test_six_weeks_offline_then_the_ships_own_sync_pays_every_device_once(tmp_path, world_and_record):
    world, record, cleanup = world_and_record
    data, sims = _voyage(tmp_path, world, record, cleanup)
    _back_in_port(world, sims)
    nonce = world.nonce(1)
    session = _session(data, lambda: adapter_for(record, world.relayer, poll_s=0.05))
    session.start()
    try:
        report = session.sync_once()  # the link appeared: "Sync now" (the service would within its backoff)
        assert report.ok, report.error
        again = session.sync_once()
        assert again.ok and again.submitted == 0
    finally:
        session.stop()
    _assert_paid_once(world, [data / "claims.sqlite"], sims, nonce)


def test_six_weeks_offline_then_a_bundle_submitted_twice_from_another_machine_pays_once(tmp_path, world_and_record):
    world, record, cleanup = world_and_record
    data, sims = _voyage(tmp_path, world, record, cleanup)
    bundle = tmp_path / "voyage.csmclaims"
    summary = export_bundle(ClaimsOutbox(data / "claims.sqlite"), bundle, record.deployment_id_bytes)
    assert summary.devices == 2 and summary.binds == 2
    _back_in_port(world, sims)
    nonce = world.nonce(1)
    for relay_dir in ("relay", "relay", "second-relay"):
        relay = tmp_path / relay_dir / "claims.sqlite"
        import_bundle(ClaimsOutbox(relay), bundle, record.deployment_id_bytes)
        report = SyncEngine(ClaimsOutbox(relay), adapter_for(record, world.relayer, poll_s=0.05)).sync_once()
        assert report.ok and report.rejected == 0, report.error
    # The ship's own outbox, back online, learns the relayed claims were paid and sends nothing.
    ship = SyncEngine(ClaimsOutbox(data / "claims.sqlite"), adapter_for(record, world.relayer, poll_s=0.05)).sync_once()
    assert ship.ok and ship.submitted == 0 and ship.paid_elsewhere == 2
    _assert_paid_once(world, [data / "claims.sqlite", tmp_path / "relay" / "claims.sqlite"], sims, nonce)
