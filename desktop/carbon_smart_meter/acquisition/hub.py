"""Routes envelopes to subscribers by record type through bounded queues.

Publishing never blocks the reader thread: a full subscriber queue drops the new envelope, counts it,
and the subscriber gets a `Missed` record in front of its next delivery, so it always knows what it
lost (Bluesky's routing by document type, with PyMeasure's separation of acquisition and display).
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Iterable

from carbon_smart_meter.acquisition.records import Envelope, LinkEvent, LinkEventKind, Missed


class Subscription:
    def __init__(self, types: tuple[type, ...] | None, maxsize: int, name: str) -> None:
        self.types = types
        self.maxsize = maxsize
        self.name = name
        self._queue: collections.deque[Envelope] = collections.deque()
        self._cond = threading.Condition()
        self._missed = 0
        self._missed_by_type: dict[str, int] = {}
        self.delivered = 0
        self.missed_total = 0
        self.closed = False

    def wants(self, record: object) -> bool:
        return self.types is None or isinstance(record, self.types)

    def offer(self, env: Envelope) -> bool:
        with self._cond:
            if len(self._queue) >= self.maxsize:
                self._missed += 1
                self.missed_total += 1
                key = type(env.record).__name__
                self._missed_by_type[key] = self._missed_by_type.get(key, 0) + 1
                return False
            self._queue.append(env)
            self._cond.notify()
            return True

    def get(self, timeout: float | None = None) -> Envelope | None:
        """Next envelope, a Missed notice first if anything was dropped, or None on timeout/close."""
        with self._cond:
            if self._missed:
                missed = Missed(self._missed, dict(self._missed_by_type))
                self._missed, self._missed_by_type = 0, {}
                src = self._queue[0].source if self._queue else ""
                return Envelope(src, missed)
            if not self._queue and not self.closed:
                self._cond.wait(timeout)
            if self._queue:
                self.delivered += 1
                return self._queue.popleft()
            return None

    def drain(self, limit: int | None = None) -> list[Envelope]:
        """Everything queued now (for UI timers that pull instead of waiting)."""
        out: list[Envelope] = []
        while limit is None or len(out) < limit:
            env = self.get(timeout=0)
            if env is None:
                break
            out.append(env)
        return out

    def pending(self) -> int:
        return len(self._queue)

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


class Hub:
    def __init__(self) -> None:
        self._subs: list[Subscription] = []
        self._lock = threading.Lock()
        self.published = 0

    def subscribe(self, types: Iterable[type] | None = None, maxsize: int = 10_000,
                  name: str = "subscriber") -> Subscription:
        sub = Subscription(tuple(types) if types is not None else None, maxsize, name)
        with self._lock:
            self._subs = [*self._subs, sub]
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        sub.close()
        with self._lock:
            self._subs = [s for s in self._subs if s is not sub]

    def publish(self, env: Envelope) -> None:
        self.published += 1
        for sub in self._subs:  # copy-on-write list: no lock on the hot path
            if sub.wants(env.record):
                sub.offer(env)

    def publish_event(self, source: str, kind: str, message: str, count: int = 0, severity: int = 1) -> None:
        self.publish(Envelope(source, LinkEvent(kind, message, count, severity)))


__all__ = ["Envelope", "Hub", "LinkEvent", "LinkEventKind", "Missed", "Subscription"]
