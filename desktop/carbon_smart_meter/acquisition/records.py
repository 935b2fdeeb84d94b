"""What the hub delivers: a decoded message with where and when it arrived, plus host-side records.

Host-side records (LinkEvent, Missed) travel through the same queues as device messages, so a sink
that stores everything (the HDF5 writer) sees reconnects, gaps and its own losses in stream order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Envelope:
    """One record from one device. `received_ns` is host monotonic time; `received_utc_ns` wall time."""

    source: str
    record: object
    received_ns: int = field(default_factory=time.monotonic_ns)
    received_utc_ns: int = field(default_factory=time.time_ns)


class LinkEventKind:
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    RECONNECTING = "reconnecting"
    PORT_MISSING = "port-missing"
    SAMPLE_GAP = "sample-gap"
    FRAME_LOSS = "frame-loss"
    CORRUPT_FRAMES = "corrupt-frames"
    UNKNOWN_TYPE = "unknown-type"
    MALFORMED = "malformed"
    DEVICE_RESET = "device-reset"
    SUBSCRIBER_OVERFLOW = "subscriber-overflow"
    STORAGE = "storage"
    DIVERGENCE = "divergence"
    CHECKPOINT_INVALID = "checkpoint-invalid"
    TIME_SYNC = "time-sync"


@dataclass(frozen=True, slots=True)
class LinkEvent:
    """Something the host noticed about a link: every loss becomes one of these, never just a log line."""

    kind: str
    message: str
    count: int = 0
    severity: int = 1  # 0 info, 1 warning, 2 error (same scale as device EVENTs)


@dataclass(frozen=True, slots=True)
class Missed:
    """Delivered to a subscriber before its next record when its queue overflowed."""

    count: int
    by_type: dict[str, int]
