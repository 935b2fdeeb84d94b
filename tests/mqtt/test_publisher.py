"""The publisher against a real mosquitto: a broker that goes away, TLS, credentials, URLs."""

from __future__ import annotations

import pytest
from tests.app.session_helpers import wait_until
from tests.mqtt.broker_helpers import Broker, Reader, free_port, make_certificates

from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.mqtt.broker import parse_broker
from carbon_smart_meter.mqtt.publisher import Publisher


@pytest.mark.timeout(60)
def test_while_the_broker_is_away_the_newest_messages_wait_in_a_bounded_buffer_and_go_out_in_order(broker):
    calls = []
    pub = Publisher(parse_broker(f"mqtt://127.0.0.1:{broker.port}"), "csm/bridge/status", buffer=10,
                    min_delay_s=1, max_delay_s=2, on_connect=lambda: calls.append(1)).start()
    try:
        wait_until(pub.connected.is_set, what="first connection")
        assert pub.publish("csm/test/state", b"before")
        broker.stop()
        wait_until(lambda: not pub.connected.is_set(), what="the publisher noticing the broker is gone")
        for k in range(50):
            assert not pub.publish("csm/test/state", str(k))
        assert pub.stats.queued == 10 and pub.stats.dropped == 40
        broker.start()  # same port; it lost everything (no persistence)
        reader = Reader(broker.port, ["csm/#"])
        try:
            wait_until(lambda: len(reader.on("csm/test/state")) >= 10, timeout=20, what="the buffered messages")
            assert reader.on("csm/test/state") == [str(k).encode() for k in range(40, 50)]
            assert reader.on("csm/bridge/status")[-1] == b"online"
        finally:
            reader.close()
        assert pub.stats.queued == 0 and pub.stats.connects == 2 and len(calls) == 2  # configs sent again
    finally:
        pub.stop()


@pytest.mark.timeout(60)
def test_tls_with_a_password_connects_and_a_wrong_password_is_reported(tmp_path):
    ca, cert, key = make_certificates(tmp_path)
    broker = Broker(tmp_path, free_port(), tls=(ca, cert, key), users={"panel": "s3cret"}).start()
    try:
        reader = Reader(broker.port, ["csm/#"], ca=ca, username="panel", password="s3cret")
        (tmp_path / "pw").write_text("s3cret\n")
        good = Publisher(parse_broker(f"mqtts://panel@localhost:{broker.port}", password_file=tmp_path / "pw",
                                      ca_file=ca), "csm/bridge/status").start()
        try:
            wait_until(good.connected.is_set, what="a TLS connection")
            good.publish("csm/tls/state", b"42")
            wait_until(lambda: reader.on("csm/tls/state") == [b"42"], what="the message over TLS")
        finally:
            good.stop()
            reader.close()
        bad = Publisher(parse_broker(f"mqtts://panel:wrong@localhost:{broker.port}", ca_file=ca),
                        "csm/bridge/status").start()
        try:
            wait_until(lambda: "refused" in bad.stats.last_error, what="the refusal")
            assert "not authori" in bad.stats.last_error.lower() and not bad.connected.is_set()
        finally:
            bad.stop()
        untrusted = Publisher(parse_broker(f"mqtts://panel:s3cret@localhost:{broker.port}"), "csm/bridge/status")
        untrusted.start()  # the system CAs do not know our test CA: no connection, a message why
        try:
            wait_until(lambda: bool(untrusted.stats.last_error), what="the TLS failure")
            assert not untrusted.connected.is_set()
        finally:
            untrusted.stop()
    finally:
        broker.stop()


def test_broker_urls():
    c = parse_broker("mqtts://ha%40home:p%3Ass@broker.lan")
    assert (c.host, c.port, c.tls, c.username, c.password) == ("broker.lan", 8883, True, "ha@home", "p:ss")
    assert "p:ss" not in c.url
    assert parse_broker("10.0.0.2").port == 1883
    assert parse_broker("mqtt://h", ca_file=None, tls=True).port == 8883
    for bad, words in (("http://h", "scheme"), ("mqtt://:1883", "no host"), ("mqtt://h:99999", "not valid")):
        with pytest.raises(CsmError, match=words):
            parse_broker(bad)
    with pytest.raises(CsmError, match="without a user"):
        parse_broker("mqtt://:pw@h")
