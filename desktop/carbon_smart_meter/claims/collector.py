"""Puts every checkpoint the hub delivers into the outbox (signature checked), off the reader thread, and
notes each device that says HELLO with its port and USB serial number (`csm devices` names its binding)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.claims.outbox import ClaimsOutbox, OutboxError
from carbon_smart_meter.devices.discovery import usb_serial_of
from carbon_smart_meter.errors import SignatureError
from carbon_smart_meter.protocol import messages as m


class CheckpointCollector:
    def __init__(self, hub: Hub, outbox: ClaimsOutbox, ports: Mapping[str, str] | None = None) -> None:
        self.hub = hub
        self.outbox = outbox
        self.ports = ports if ports is not None else {}  # source name -> the port it is read from
        self.added = 0
        self.refused = 0
        self._sub = hub.subscribe([m.Checkpoint, m.Hello], maxsize=100_000, name="claims")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="claims-collector", daemon=True)

    def start(self) -> CheckpointCollector:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._drain()
        self.hub.unsubscribe(self._sub)

    def _run(self) -> None:
        while not self._stop.is_set():
            env = self._sub.get(timeout=0.2)
            if env is not None:
                self._take(env.record, env.source)

    def _drain(self) -> None:
        for env in self._sub.drain():
            self._take(env.record, env.source)

    def _take(self, record: object, source: str) -> None:
        if isinstance(record, m.Hello):
            port = self.ports.get(source, source)
            with contextlib.suppress(OutboxError):  # a listing hint only: checkpoints are what must get in
                self.outbox.saw_device(record.device, port, usb_serial_of(port))
            return
        if not isinstance(record, m.Checkpoint):
            return
        try:
            if self.outbox.add(record.message_bytes, record.signature):
                self.added += 1
        except SignatureError:
            self.refused += 1
