"""COBS framing with CRC-32C (PROTOCOL.md section 1) and a streaming decoder that never gives up.

The decoder works on whole chunks read from the link: it splits at 0x00 with bytes.split (C speed),
decodes each frame with the `cobs` C extension and checks it with `crc32c`, so the per-frame Python
cost is a few microseconds and large SAMPLE_BLOCKs keep it far above the device's data rate.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field, fields

import crc32c as _crc32c
from cobs import cobs

PROTOCOL_VERSION = 1
MAX_FRAME = 16_384
HEADER = struct.Struct("<BBI")
HEADER_SIZE = HEADER.size
CRC_SIZE = 4
MIN_FRAME = HEADER_SIZE + CRC_SIZE
# COBS adds one byte per 254 plus one; a longer encoded run cannot be a valid frame.
MAX_ENCODED = MAX_FRAME + MAX_FRAME // 254 + 2


def crc32c(data: bytes) -> int:
    return _crc32c.crc32c(data)


def encode_frame(msg_type: int, seq: int, payload: bytes, version: int = PROTOCOL_VERSION) -> bytes:
    """One frame on the wire: COBS(header || payload || crc) followed by the 0x00 delimiter."""
    body = HEADER.pack(version, msg_type, seq & 0xFFFFFFFF) + payload
    if len(body) + CRC_SIZE > MAX_FRAME:
        raise ValueError(f"frame of {len(body) + CRC_SIZE} bytes exceeds MAX_FRAME {MAX_FRAME}")
    body += struct.pack("<I", crc32c(body))
    return cobs.encode(body) + b"\x00"


@dataclass(frozen=True, slots=True)
class Frame:
    """A frame that passed COBS, length, CRC and version checks."""

    msg_type: int
    seq: int
    payload: bytes


@dataclass
class FrameStats:
    """Exact accounting of everything the decoder saw. Every byte is either in a good frame or counted."""

    frames: int = 0
    bytes_in: int = 0
    bytes_discarded: int = 0
    cobs_errors: int = 0
    crc_errors: int = 0
    too_short: int = 0
    too_long: int = 0
    unsupported_version: int = 0
    seq_gaps: int = 0
    frames_lost: int = 0
    seq_restarts: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def bad_frames(self) -> int:
        return self.cobs_errors + self.crc_errors + self.too_short + self.too_long + self.unsupported_version

    def as_dict(self) -> dict[str, int]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        out.update(self.extra)
        return out


class FrameDecoder:
    """Turns an arbitrary byte stream into frames, resynchronising at every 0x00.

    `feed` accepts chunks of any size (a frame may straddle reads); it keeps at most MAX_ENCODED
    pending bytes, so garbage without delimiters cannot grow memory.
    """

    def __init__(self) -> None:
        self.stats = FrameStats()
        self._pending = b""
        self._expected_seq: int | None = None
        self._synced = False

    def link_lost(self) -> int:
        """Forget the start of a frame cut off by a lost link, and return how many bytes that was.

        A device that vanished mid-frame (cable pulled, emulator stopped) starts its next stream with
        no delimiter in front: kept, the stale bytes would turn its first frame (the RESET event of a
        new boot) into one corrupt frame. The sequence expectation is kept, so frames sent while the
        link was down still show as a gap; the first bytes of the new link are treated like those of
        a port just opened.
        """
        cut = len(self._pending)
        self.stats.bytes_discarded += cut
        self._pending = b""
        self._synced = False
        return cut

    def feed(self, data: bytes) -> list[Frame]:
        stats = self.stats
        stats.bytes_in += len(data)
        buf = self._pending + data if self._pending else data
        parts = buf.split(b"\x00")
        tail = parts.pop()
        if len(tail) > MAX_ENCODED:
            stats.bytes_discarded += len(tail)
            stats.too_long += 1
            tail = b""
        self._pending = tail
        out: list[Frame] = []
        for i, enc in enumerate(parts):
            if not enc:
                self._synced = True
                continue
            # Bytes before the first delimiter we see may be the tail of a frame sent before we opened
            # the port: keep them if they happen to be a whole valid frame, else count them as discarded.
            quiet = not self._synced and i == 0
            self._synced = True
            frame = self._decode_one(enc, quiet)
            if frame is not None:
                out.append(frame)
        return out

    def _decode_one(self, enc: bytes, quiet: bool = False) -> Frame | None:
        stats = self.stats
        lost = len(enc) + 1
        if quiet:
            try:
                raw = cobs.decode(enc)
                ok = MIN_FRAME <= len(raw) <= MAX_FRAME and crc32c(raw[:-CRC_SIZE]) == int.from_bytes(
                    raw[-CRC_SIZE:], "little")
            except cobs.DecodeError:
                ok = False
            if not ok:
                stats.bytes_discarded += lost
                return None
        if len(enc) > MAX_ENCODED:
            stats.too_long += 1
            stats.bytes_discarded += lost
            return None
        try:
            raw = cobs.decode(enc)
        except cobs.DecodeError:
            stats.cobs_errors += 1
            stats.bytes_discarded += lost
            return None
        if len(raw) < MIN_FRAME:
            stats.too_short += 1
            stats.bytes_discarded += lost
            return None
        if len(raw) > MAX_FRAME:
            stats.too_long += 1
            stats.bytes_discarded += lost
            return None
        body = raw[:-CRC_SIZE]
        if crc32c(body) != int.from_bytes(raw[-CRC_SIZE:], "little"):
            stats.crc_errors += 1
            stats.bytes_discarded += lost
            return None
        version, msg_type, seq = HEADER.unpack_from(body)
        if version != PROTOCOL_VERSION:
            stats.unsupported_version += 1
            stats.bytes_discarded += lost
            return None
        self._account_seq(seq)
        stats.frames += 1
        return Frame(msg_type, seq, body[HEADER_SIZE:])

    def _account_seq(self, seq: int) -> None:
        expected = self._expected_seq
        if expected is not None and seq != expected:
            gap = (seq - expected) & 0xFFFFFFFF
            if seq == 0 or gap > 0x7FFFFFFF:
                # Seq went back to 0 or backwards: the device restarted. Its frames 0 .. seq-1 of the new
                # boot never arrived (a reset while the cable was out): those are lost, exactly.
                self.stats.seq_restarts += 1
                if seq:
                    self.stats.seq_gaps += 1
                    self.stats.frames_lost += seq
            else:
                self.stats.seq_gaps += 1
                self.stats.frames_lost += gap
        self._expected_seq = (seq + 1) & 0xFFFFFFFF
