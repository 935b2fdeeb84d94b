"""The pieces of `csm serve`: systemd notifications, the totals file, and the view socket's bounds."""

from __future__ import annotations

import json
import os
import socket
import stat
import tempfile
import time
from pathlib import Path

import pytest
from tests.app.session_helpers import wait_until

from carbon_smart_meter.app import view_protocol as vp
from carbon_smart_meter.app.installation_totals import KEEP_DAYS, InstallationTotals
from carbon_smart_meter.app.sd_notify import Notifier, child_environment
from carbon_smart_meter.app.view_client import ViewClient, ViewFeed
from carbon_smart_meter.app.view_server import ViewServer


@pytest.fixture
def short_dir():
    d = Path(tempfile.mkdtemp(prefix="csm-t-", dir="/tmp"))
    os.chmod(d, 0o700)
    yield d
    for p in sorted(d.rglob("*"), reverse=True):
        p.unlink() if not p.is_dir() else p.rmdir()
    d.rmdir()


def listener(path: Path) -> socket.socket:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(str(path))
    s.settimeout(2)
    return s


def test_notifier_speaks_sd_notify_and_feeds_the_watchdog_only_for_its_own_unit(short_dir):
    sock = listener(short_dir / "notify")
    env = {"NOTIFY_SOCKET": str(short_dir / "notify"), "WATCHDOG_USEC": "4000000", "WATCHDOG_PID": str(os.getpid())}
    n = Notifier(env)
    assert n.watchdog_interval_s == 2.0
    assert n.ready("3 stations")
    assert sock.recv(4096) == b"READY=1\nSTATUS=3 stations"
    assert n.watchdog()
    assert sock.recv(4096) == b"WATCHDOG=1"
    n.close()
    assert Notifier({**env, "WATCHDOG_PID": "1"}).watchdog_interval_s is None  # meant for another process
    assert Notifier({**env, "WATCHDOG_PID": str(os.getppid())}).watchdog_interval_s == 2.0  # cage, our parent
    quiet = Notifier({})
    assert not quiet.ready() and not quiet.watchdog()
    assert not set(child_environment(env)) & {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"}


def test_notifier_reaches_an_abstract_socket():
    name = f"csm-test-{os.getpid()}"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(b"\0" + name.encode())
    s.settimeout(2)
    assert Notifier({"NOTIFY_SOCKET": "@" + name}).status("ok")
    assert s.recv(100) == b"STATUS=ok"


def test_totals_add_only_what_is_new_and_survive_a_reload(tmp_path):
    path = tmp_path / "totals.json"
    t = InstallationTotals(path, clock=lambda: 1000.0)
    dev = "0x" + "ab" * 20
    assert t.add("a1", dev, 10.0, "2026-12-01") == 10.0
    assert t.add("a1", dev, 12.5, "2026-12-02") == 2.5
    assert t.add("a1", dev, 1.0, "2026-12-02") == 1.0  # the ledger started again (a reconnect)
    assert t.add("a2", "", 50.0, "2026-12-02") == 0.0  # before the HELLO nothing is whose
    assert t.save()
    again = InstallationTotals(path, clock=lambda: 2000.0)
    st = again.get(dev)
    assert st is not None and st.energy_wh == 13.5 and st.installed_utc == 1000.0
    assert st.days == {"2026-12-01": 10.0, "2026-12-02": 3.5}
    for day in range(KEEP_DAYS + 10):
        again.add("b", dev, 100.0 + day, f"2027-{1 + day // 28:02d}-{1 + day % 28:02d}")
    assert len(again.get(dev).days) == KEEP_DAYS


def test_a_damaged_totals_file_is_kept_aside_and_said(tmp_path):
    path = tmp_path / "totals.json"
    path.write_text("{not json")
    t = InstallationTotals(path, clock=lambda: 1234.0)
    assert t.problem and "unreadable" in t.problem and "counting anew" in t.problem
    assert (tmp_path / "totals.damaged-1234.json").read_text() == "{not json"
    assert t.all() == []


def test_totals_say_when_the_disk_refuses(tmp_path):
    blocker = tmp_path / "totals-dir"
    blocker.write_text("a file where the directory should be")  # refused even for root
    t = InstallationTotals(blocker / "totals.json")
    t.add("a", "0x" + "01" * 20, 1.0, "2026-12-02")
    assert not t.save() and "cannot write the totals file" in t.problem
    blocker.unlink()
    assert t.save() and t.problem is None
    assert InstallationTotals(blocker / "totals.json").all()[0].energy_wh == 1.0


@pytest.fixture
def server(short_dir):
    srv = ViewServer(short_dir / "s.sock", vp.hello("kiosk", os.getpid(), time.time())).start()
    yield srv
    srv.stop()


def test_the_socket_is_the_owners_only_and_says_hello(server):
    assert stat.S_IMODE(server.path.stat().st_mode) == 0o600
    with ViewClient(server.path) as c:
        assert c.hello["protocol"] == vp.PROTOCOL and c.hello["profile"] == "kiosk"
        with pytest.raises(vp.ViewProtocolError, match="no state yet"):
            c.state()
        server.publish({"stations": [], "n": 1})
        assert c.state()["state"]["n"] == 1
        assert c.request("ping")["result"] == "pong"
        with pytest.raises(vp.ViewProtocolError, match="unknown op"):
            c.request("shutdown")


def test_a_view_of_another_protocol_version_is_told_to_update(short_dir):
    srv = ViewServer(short_dir / "v.sock", {**vp.hello("kiosk", 1, 0.0), "version": 99}).start()
    try:
        with pytest.raises(vp.ViewProtocolError, match="version 99"):
            ViewClient(srv.path).connect()
    finally:
        srv.stop()


def test_a_second_server_on_a_live_socket_is_refused(server):
    with pytest.raises(vp.ViewProtocolError, match="already running"):
        ViewServer(server.path, vp.hello("kiosk", 1, 0.0))


def test_a_view_that_stops_reading_never_holds_up_the_others(server):
    stuck = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stuck.connect(str(server.path))
    stuck.sendall(vp.encode({"op": "subscribe", "interval_s": 0.1}))
    feed = ViewFeed(server.path, interval_s=0.1).start()
    try:
        big = "x" * 200_000
        for i in range(60):
            server.publish({"i": i, "pad": big})
            time.sleep(0.02)
        wait_until(lambda: (feed.latest()[0] or {}).get("i") == 59, 10, "the reading view got the newest state")
        assert server.skipped > 0 or server.dropped > 0  # the stuck one was skipped or dropped, never waited for
        assert server.alive
    finally:
        feed.stop()
        stuck.close()


def test_a_bad_request_gets_one_error_line_and_the_door(server):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(str(server.path))
    s.settimeout(3)
    s.sendall(b"this is not json\n")
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    lines = [json.loads(line) for line in data.splitlines()]
    assert lines[0]["type"] == "hello" and lines[-1]["type"] == "error" and "JSON" in lines[-1]["error"]


def test_the_feed_waits_for_a_service_and_reconnects_after_a_restart(short_dir):
    path = short_dir / "r.sock"
    feed = ViewFeed(path, interval_s=0.1).start()
    try:
        wait_until(lambda: feed.problem is not None and "no session service" in feed.problem, 5, "the feed's why")
        srv = ViewServer(path, vp.hello("kiosk", 1, 0.0)).start()
        srv.publish({"n": 1})
        wait_until(lambda: (feed.latest()[0] or {}).get("n") == 1, 10, "first state")
        srv.stop()
        wait_until(lambda: feed.problem is not None, 10, "the feed noticed")
        srv = ViewServer(path, vp.hello("kiosk", 1, 0.0)).start()
        srv.publish({"n": 2})
        wait_until(lambda: (feed.latest()[0] or {}).get("n") == 2 and feed.connected, 10, "reconnected")
        assert feed.connects == 2
        srv.stop()
    finally:
        feed.stop()


def test_only_subscribed_views_count_as_views(server):
    server.publish({"n": 1})
    with ViewClient(server.path) as probe:
        probe.state()
        assert server.views == 0  # `csm serve --status` asking once is not a view on a screen
        feed = ViewFeed(server.path, interval_s=0.1).start()
        try:
            wait_until(lambda: server.views == 1, 10, "the subscribed feed counted")
        finally:
            feed.stop()
    wait_until(lambda: server.views == 0, 10, "the feed gone")
