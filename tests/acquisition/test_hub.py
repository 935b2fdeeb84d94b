"""The hub routes by type and never blocks the publisher: a slow subscriber is told what it missed."""

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope, LinkEvent, Missed
from carbon_smart_meter.protocol import messages as m


def test_subscribers_receive_only_the_types_they_asked_for():
    hub = Hub()
    events = hub.subscribe([LinkEvent])
    everything = hub.subscribe()
    hub.publish(Envelope("a", m.Ack(1, 0, 0)))
    hub.publish_event("a", "connected", "hi")
    assert [type(e.record) for e in events.drain()] == [LinkEvent]
    assert len(everything.drain()) == 2


def test_a_full_subscriber_loses_new_records_and_is_told_how_many():
    hub = Hub()
    slow = hub.subscribe(maxsize=3)
    for k in range(10):
        hub.publish(Envelope("a", m.Ack(1, 0, k)))
    first = slow.get(timeout=0)
    assert isinstance(first.record, Missed) and first.record.count == 7
    assert first.record.by_type == {"Ack": 7}
    assert [e.record.command_seq for e in slow.drain()] == [0, 1, 2]


def test_publishing_to_a_subscriber_nobody_reads_never_waits():
    hub = Hub()
    stuck = hub.subscribe(maxsize=1)
    for k in range(20_000):  # would hang (and hit the test timeout) if publish waited for space
        hub.publish(Envelope("a", m.Ack(1, 0, k)))
    assert stuck.missed_total == 19_999 and stuck.pending() == 1
