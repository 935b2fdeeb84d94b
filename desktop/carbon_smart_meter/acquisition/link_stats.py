"""Per-device counters: every byte, frame and sample that arrived or was lost, and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class LinkStats:
    connected: bool = False
    frames: int = 0
    bytes_in: int = 0
    bytes_discarded: int = 0
    crc_errors: int = 0
    cobs_errors: int = 0
    bad_length: int = 0
    unsupported_version: int = 0
    unknown_type: int = 0
    malformed: int = 0
    frames_lost: int = 0
    blocks: int = 0
    samples: int = 0
    sample_gaps: int = 0
    samples_lost: int = 0
    checkpoints: int = 0
    device_events: int = 0
    device_resets: int = 0
    reconnects: int = 0
    disconnects: int = 0
    tx_overflow_frames: int = 0

    @property
    def corrupt_frames(self) -> int:
        return self.crc_errors + self.cobs_errors + self.bad_length + self.malformed

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)
