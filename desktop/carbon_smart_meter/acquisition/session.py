"""Acquisition of several devices at once: a reader per port, all publishing into one hub."""

from __future__ import annotations

import os

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.link_stats import LinkStats
from carbon_smart_meter.acquisition.reader import DeviceReader
from carbon_smart_meter.errors import DeviceError
from carbon_smart_meter.protocol import messages as m


class Acquisition:
    """Start/stop readers by port; look up their counters and HELLO by source name."""

    def __init__(self, hub: Hub | None = None, reconnect: bool = True) -> None:
        self.hub = hub or Hub()
        self.reconnect = reconnect
        self.readers: dict[str, DeviceReader] = {}

    def add_device(self, port: str, name: str | None = None, sync_time: bool = True) -> str:
        source = name or os.path.basename(port.rstrip("/")) or port
        if source in self.readers:
            raise DeviceError(f"a device named {source!r} is already being read; give it another name")
        reader = DeviceReader(port, source, self.hub, reconnect=self.reconnect, sync_time=sync_time)
        self.readers[source] = reader.start()
        return source

    def remove_device(self, source: str) -> None:
        reader = self.readers.pop(source, None)
        if reader:
            reader.stop()

    @property
    def sources(self) -> list[str]:
        return list(self.readers)

    def stats(self, source: str) -> LinkStats:
        return self.readers[source].stats

    def hello(self, source: str) -> m.Hello | None:
        return self.readers[source].hello

    def send(self, source: str, message: m.Message) -> bool:
        return self.readers[source].send(message)

    def stop(self) -> None:
        for reader in self.readers.values():
            reader._stop.set()
        for reader in self.readers.values():
            reader.stop()
        self.readers.clear()

    def __enter__(self) -> Acquisition:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
