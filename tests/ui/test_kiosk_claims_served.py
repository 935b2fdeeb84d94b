"""A station's claims travel from the outbox through `csm serve`'s socket to the kiosk's tile (issue 16).

The service runs in this process (SessionService on a real simulator pty, a real SQLite outbox, the
embedded EVM) so the chain's clock can be set; the view is the real ViewFeed reading the real socket and
the real KioskWindow painting what it received. Each state a guest can meet is driven by what the
chain does: paid, waiting for a link, refused (in words, for staff only), and no chain at all.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.app.session_helpers import noon_simulator, wait_until

from carbon_smart_meter.app.kiosk_config import KioskConfig
from carbon_smart_meter.app.service import SessionService
from carbon_smart_meter.app.session import OUTBOX_NAME, LiveSession
from carbon_smart_meter.app.view_client import ViewClient, ViewFeed
from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.evm.local import local_evm_deployment
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.cli import main
from carbon_smart_meter.devices.identity import attest, simulator_key
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.protocol.signing import BindMessage, CheckpointMessage, wallet_bytes
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.ui.kiosk_window import KioskWindow

T0 = 1_750_000_000
SEED = 31
KEY = simulator_key(SEED)
DEVICE = "0x" + KEY.address.hex()
SIGNED_AT = T0 + 6 * 3600


class Running:
    def __init__(self, service: SessionService, socket: Path, thread: threading.Thread, done: threading.Event):
        self.service, self.socket, self.thread, self.done = service, socket, thread, done

    def station(self) -> dict | None:
        with ViewClient(self.socket, timeout=5) as client:
            state = client.state()["state"]
        return next((s for s in state["stations"] if s["device"] == DEVICE), None)  # type: ignore[index]

    def state(self) -> dict:
        with ViewClient(self.socket, timeout=5) as client:
            return client.state()["state"]  # type: ignore[return-value]


@pytest.fixture
def serve(tmp_path) -> Iterator:
    """Start a kiosk-profile service on a simulator (key SEED) with an outbox holding one checkpoint of
    the deployment given (signed by that device, at SIGNED_AT for 100 Wh), and the chain given."""
    running: list[Running] = []
    run_dir = Path(tempfile.mkdtemp(prefix="csm-c-", dir="/tmp"))
    sim = noon_simulator(seed=SEED).start()

    def start(chain, deployment_id: bytes | None) -> Running:
        data = tmp_path / "data"
        if deployment_id is not None:
            box = ClaimsOutbox(data / OUTBOX_NAME)
            ck = CheckpointMessage(KEY.address, deployment_id, 2, 100_000, SIGNED_AT, bytes(32)).encode()
            box.add(ck, KEY.sign(ck))
            box.close()
        session = LiveSession(Settings(data_dir=str(data), region="DE"), "kiosk", chain=chain)
        service = SessionService(session, ports=[sim.port], socket_path=run_dir / "s.sock", discover=False,
                                 tz="UTC", interval_s=0.2, say=lambda _line: None)
        done = threading.Event()
        thread = threading.Thread(target=service.run, args=(done,), daemon=True)
        thread.start()
        r = Running(service, run_dir / "s.sock", thread, done)
        running.append(r)
        wait_until(lambda: r.socket.exists() and _quiet(r.station) is not None, 60, "the station on the socket")
        return r

    yield start
    for r in running:
        r.done.set()
        r.thread.join(60)
    sim.close()
    shutil.rmtree(run_dir, ignore_errors=True)


def _quiet(read):
    try:
        return read()
    except (OSError, ChainError, Exception):
        return None


def bound_deployment():
    dep = local_evm_deployment(manual_clock=True, genesis_timestamp=T0)
    msg, sig = attest(KEY, 100, serial=SEED, manufacturer=dep.manufacturer)
    dep.adapter.register_device(SignedMessage(msg, sig))
    bind = BindMessage(KEY.address, wallet_bytes(bytes.fromhex(dep.wallet.address[2:])), dep.adapter.deployment_id,
                       1, 0, T0, 554).encode()
    dep.adapter.bind(SignedMessage(bind, KEY.sign(bind)))
    return dep


@pytest.fixture
def kiosk_view(qtbot):
    made: list[tuple[KioskWindow, ViewFeed]] = []

    def make(socket: Path, language: str = "en") -> KioskWindow:
        feed = ViewFeed(socket, interval_s=0.2).start()
        win = KioskWindow(KioskConfig(language=language), feed)
        qtbot.addWidget(win)
        win.resize(1024, 600)
        made.append((win, feed))
        return win

    yield make
    for win, feed in made:
        win.shutdown()
        feed.stop()
        win.may_close = True
        win.close()


def tile_texts(win: KioskWindow) -> dict[str, str]:
    win.refresh()
    return {i.key: i.text for i in win.items if i.kind == "text"}


def claims_line(win: KioskWindow) -> str | None:
    return next((text for key, text in tile_texts(win).items() if key.endswith(":claims")), None)


@pytest.mark.timeout(120)
def test_a_paid_claim_reaches_the_kiosk_as_rewards_claimed_up_to_the_checkpoint(serve, kiosk_view, qtbot, capsys):
    dep = bound_deployment()
    dep.chain.travel_to(SIGNED_AT + 60)
    running = serve(dep.adapter, dep.adapter.deployment_id)
    wait_until(lambda: (running.station() or {}).get("claims", {}).get("state") == "paid", 60, "the claim paid")
    claims = running.station()["claims"]
    assert claims["paid_up_to_unix"] == SIGNED_AT and claims["paid_tokens"] > 0 and claims["pending_wh"] == 0
    assert running.state()["claims"]["sync"]["last_attempt_utc"] is not None
    assert main(["serve", "--status", "--socket", str(running.socket)]) == 0
    status = json.loads(capsys.readouterr().out)
    [listed] = [st for st in status["stations"] if st["device"] == DEVICE]
    assert listed["claims"]["state"] == "paid" and listed["claims"]["paid_up_to_unix"] == SIGNED_AT
    win = kiosk_view(running.socket)
    qtbot.waitUntil(lambda: claims_line(win) is not None, timeout=20_000)
    assert claims_line(win) == f"Rewards claimed up to {win.fmt.moment(SIGNED_AT, win.clock())}"
    win.set_language("de")
    assert claims_line(win) == f"Belohnungen abgerufen bis {win.fmt.moment(SIGNED_AT, win.clock())}"


@pytest.mark.timeout(120)
def test_energy_waiting_for_a_link_is_said_to_be_kept_safe_and_the_reason_is_for_staff(serve, kiosk_view, qtbot):
    dep = bound_deployment()

    def no_link():
        raise ChainError("cannot reach the node at http://127.0.0.1:9: connection refused")

    running = serve(no_link, dep.adapter.deployment_id)
    wait_until(lambda: (running.station() or {}).get("claims", {}).get("state") == "offline", 60, "no link")
    claims = running.station()["claims"]
    assert claims["pending_wh"] == pytest.approx(100.0) and "connection refused" in claims["error"]
    win = kiosk_view(running.socket)
    qtbot.waitUntil(lambda: claims_line(win) is not None, timeout=20_000)
    assert claims_line(win) == "100 Wh waiting for a link — kept safe"
    assert not any("connection refused" in t for t in tile_texts(win).values()), "the reason is not for guests"
    win.open_overlay("staff")
    staff = tile_texts(win)["staff:body"]
    assert "Last sync failed: ChainError: cannot reach the node" in staff
    assert "station" not in staff or "100 Wh waiting for a link" in staff


@pytest.mark.timeout(120)
def test_a_refused_claim_shows_guests_a_calm_line_and_staff_the_reason_in_words(serve, kiosk_view, qtbot):
    dep = local_evm_deployment(manual_clock=True, genesis_timestamp=T0)  # the device never registered
    dep.chain.travel_to(SIGNED_AT + 60)
    running = serve(dep.adapter, dep.adapter.deployment_id)
    wait_until(lambda: (running.station() or {}).get("claims", {}).get("state") == "error", 60, "the refusal")
    error = running.station()["claims"]["error"]
    assert "not registered on this deployment" in error
    win = kiosk_view(running.socket, language="fr")
    qtbot.waitUntil(lambda: claims_line(win) is not None, timeout=20_000)
    assert claims_line(win) == "Récompenses en pause, énergie à l’abri"
    assert not any("registered" in t for t in tile_texts(win).values())
    win.open_overlay("staff")
    assert "not registered on this deployment" in tile_texts(win)["staff:body"]


@pytest.mark.timeout(120)
def test_without_a_chain_the_kiosk_shows_no_claims_line_but_serve_status_still_has_the_outbox(serve, kiosk_view,
                                                                                             qtbot):
    running = serve(None, bytes(range(32)))
    wait_until(lambda: (running.station() or {}).get("claims", {}).get("state") == "waiting", 60, "the outbox read")
    state = running.state()
    assert state["claims"]["sync"] is None and "no deployment configured" in state["claims"]["sync_note"]
    win = kiosk_view(running.socket)
    qtbot.waitUntil(lambda: any(k.endswith(":power") for k in tile_texts(win)), timeout=20_000)
    assert claims_line(win) is None
    assert not any(k.endswith(":claims") for k in (i.key for i in win.items))


def test_a_new_view_of_an_older_service_without_station_claims_shows_no_line_and_does_not_fail(kiosk_view, qtbot):
    from tests.ui import kiosk_states

    from carbon_smart_meter.app.view_server import ViewServer

    state = kiosk_states.state(2)
    state["claims"]["sync"] = {"running": True, "attempts": 1, "failures": 0, "last_success_utc": None,
                               "next_attempt_utc": None, "last_error": None}  # revision 1: no last_attempt_utc
    for st in state["stations"]:
        st.pop("claims", None)
    run_dir = Path(tempfile.mkdtemp(prefix="csm-o-", dir="/tmp"))
    old_hello = {"type": "hello", "protocol": "csm-session-view", "version": 1, "profile": "kiosk", "pid": 1,
                 "started_utc": 1.0}  # as the first release said it: no revision
    server = ViewServer(run_dir / "s.sock", old_hello).start()
    try:
        server.publish(state)
        win = kiosk_view(run_dir / "s.sock")
        qtbot.waitUntil(lambda: win.screen_now.mode == "stations" and any(
            k.endswith(":power") for k in tile_texts(win)), timeout=20_000)
        assert claims_line(win) is None
        win.open_overlay("staff")
        assert "Claims sync: last never" in tile_texts(win)["staff:body"]
    finally:
        server.stop()
        shutil.rmtree(run_dir, ignore_errors=True)


def test_csm_serve_with_an_unknown_deployment_says_so_in_one_line(tmp_path):
    from tests.app.served import CSM

    done = subprocess.run([*CSM, "serve", "--no-discover", "--data-dir", str(tmp_path / "d"), "--socket",
                           str(tmp_path / "s.sock"), "--chain", "no-such-deployment", "--duration", "1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "no deployment named 'no-such-deployment'" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
