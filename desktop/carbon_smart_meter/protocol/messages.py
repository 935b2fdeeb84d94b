"""Typed messages of PROTOCOL.md section 3 and their payload codecs.

Records are plain dataclasses routed by type (Bluesky-style documents); sample codes stay numpy int32
views over the payload so that decoding a block costs two `np.frombuffer` calls, not a loop.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from carbon_smart_meter.errors import FrameError
from carbon_smart_meter.protocol.frames import Frame, encode_frame
from carbon_smart_meter.protocol.signing import (
    ATTEST_MESSAGE_SIZE,
    BIND_MESSAGE_SIZE,
    CHECKPOINT_MESSAGE_SIZE,
    SIGNATURE_SIZE,
    AttestationMessage,
    BindMessage,
    CheckpointMessage,
)

MAX_BLOCK_SAMPLES = 2000

T_HELLO, T_SAMPLE_BLOCK, T_CHECKPOINT, T_EVENT, T_ACK, T_BIND_SIGNATURE = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06
T_GET_INFO, T_SET_RATE, T_REQUEST_CHECKPOINT, T_TIME_SYNC, T_BIND_REQUEST = 0x81, 0x82, 0x83, 0x84, 0x85

HELLO_FLAG_TIME_SYNCED, HELLO_FLAG_BOUND, HELLO_FLAG_SIMULATED, HELLO_FLAG_INA228 = 1, 2, 4, 8
BLOCK_FLAG_V_CLIPPED, BLOCK_FLAG_I_CLIPPED, BLOCK_FLAG_TIME_SYNCED = 1, 2, 4

_HELLO = struct.Struct("<20s3sBHHII dd 16s III 32s Q 47s65s".replace(" ", ""))
_BLOCK_HEADER = struct.Struct("<QQIHH")
_EVENT = struct.Struct("<HBBIQQ")
_ACK = struct.Struct("<BBHI")
assert _HELLO.size == 232 and _BLOCK_HEADER.size == 24 and _EVENT.size == 24


class EventCode:
    RESET = 1
    BROWN_OUT = 2
    OVER_CURRENT = 3
    TAMPER = 4
    TX_OVERFLOW = 5
    TIME_SYNCED = 6
    RATE_CHANGED = 7
    SENSOR_FAULT = 8
    ENERGY_MISMATCH = 9

    NAMES: ClassVar[dict[int, str]] = {
        1: "reset", 2: "brown-out", 3: "over-current", 4: "tamper", 5: "transmit overflow",
        6: "time synced", 7: "rate changed", 8: "sensor fault", 9: "energy mismatch",
    }


@dataclass(frozen=True)
class Hello:
    TYPE: ClassVar[int] = T_HELLO
    device: bytes
    fw_version: tuple[int, int, int]
    flags: int
    hw_version: int
    hw_class: int
    rated_power_w: int
    sample_rate_hz: int
    v_lsb: float
    i_lsb: float
    calibration_id: str
    boot_count: int
    checkpoint_seq: int
    checkpoint_interval_s: int
    deployment_id: bytes
    uptime_us: int
    attestation: bytes
    attestation_signature: bytes

    def encode_payload(self) -> bytes:
        return _HELLO.pack(self.device, bytes(self.fw_version), self.flags, self.hw_version, self.hw_class,
                           self.rated_power_w, self.sample_rate_hz, self.v_lsb, self.i_lsb,
                           self.calibration_id.encode("ascii"), self.boot_count, self.checkpoint_seq,
                           self.checkpoint_interval_s, self.deployment_id, self.uptime_us,
                           self.attestation, self.attestation_signature)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Hello:
        _need(cls, payload, _HELLO.size)
        f = list(_HELLO.unpack(payload))
        f[1] = tuple(f[1])
        f[9] = f[9].rstrip(b"\x00").decode("ascii", "replace")
        return cls(*f)

    @property
    def attestation_message(self) -> AttestationMessage:
        return AttestationMessage.decode(self.attestation)

    @property
    def fw_version_text(self) -> str:
        return ".".join(str(x) for x in self.fw_version)


@dataclass(frozen=True, eq=False)
class SampleBlock:
    """`count` samples; codes are int32 arrays (read-only views of `payload`, which the hash chain uses)."""

    TYPE: ClassVar[int] = T_SAMPLE_BLOCK
    first_sample: int
    t0_us: int
    period_ns: int
    flags: int
    voltage_codes: np.ndarray
    current_codes: np.ndarray
    payload: bytes = field(repr=False, default=b"")

    @property
    def count(self) -> int:
        return len(self.voltage_codes)

    @property
    def end_sample(self) -> int:
        return self.first_sample + self.count

    @classmethod
    def build(cls, first_sample: int, t0_us: int, period_ns: int, flags: int,
              voltage_codes: np.ndarray, current_codes: np.ndarray) -> SampleBlock:
        v = np.ascontiguousarray(voltage_codes, dtype="<i4")
        i = np.ascontiguousarray(current_codes, dtype="<i4")
        if v.shape != i.shape or v.ndim != 1 or not 1 <= len(v) <= MAX_BLOCK_SAMPLES:
            raise ValueError(f"a block holds 1..{MAX_BLOCK_SAMPLES} voltage and current codes of equal length")
        payload = _BLOCK_HEADER.pack(first_sample, t0_us, period_ns, len(v), flags) + v.tobytes() + i.tobytes()
        return cls.decode_payload(payload)

    def encode_payload(self) -> bytes:
        return self.payload

    @classmethod
    def decode_payload(cls, payload: bytes) -> SampleBlock:
        if len(payload) < _BLOCK_HEADER.size:
            raise FrameError("malformed", f"SAMPLE_BLOCK payload of {len(payload)} bytes is shorter than its header")
        first, t0, period, count, flags = _BLOCK_HEADER.unpack_from(payload)
        if count == 0 or count > MAX_BLOCK_SAMPLES or len(payload) != _BLOCK_HEADER.size + 8 * count:
            raise FrameError("malformed", f"SAMPLE_BLOCK says {count} samples but carries {len(payload)} bytes")
        if period == 0:
            raise FrameError("malformed", "SAMPLE_BLOCK has a sample period of 0 ns")
        v = np.frombuffer(payload, dtype="<i4", count=count, offset=_BLOCK_HEADER.size)
        i = np.frombuffer(payload, dtype="<i4", count=count, offset=_BLOCK_HEADER.size + 4 * count)
        return cls(first, t0, period, flags, v, i, payload)


@dataclass(frozen=True)
class Checkpoint:
    TYPE: ClassVar[int] = T_CHECKPOINT
    message: CheckpointMessage
    signature: bytes

    @property
    def message_bytes(self) -> bytes:
        return self.message.encode()

    def encode_payload(self) -> bytes:
        return self.message.encode() + self.signature

    @classmethod
    def decode_payload(cls, payload: bytes) -> Checkpoint:
        _need(cls, payload, CHECKPOINT_MESSAGE_SIZE + SIGNATURE_SIZE)
        try:
            msg = CheckpointMessage.decode(payload[:CHECKPOINT_MESSAGE_SIZE])
        except Exception as exc:
            raise FrameError("malformed", str(exc)) from exc
        return cls(msg, payload[CHECKPOINT_MESSAGE_SIZE:])


@dataclass(frozen=True)
class Event:
    TYPE: ClassVar[int] = T_EVENT
    code: int
    severity: int
    arg0: int
    arg1: int
    t_us: int

    @property
    def name(self) -> str:
        return EventCode.NAMES.get(self.code, f"event {self.code}")

    def encode_payload(self) -> bytes:
        return _EVENT.pack(self.code, self.severity, 0, self.arg0, self.arg1, self.t_us)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Event:
        _need(cls, payload, _EVENT.size)
        code, sev, _r, a0, a1, t = _EVENT.unpack(payload)
        return cls(code, sev, a0, a1, t)


@dataclass(frozen=True)
class Ack:
    TYPE: ClassVar[int] = T_ACK
    command_type: int
    status: int
    command_seq: int

    def encode_payload(self) -> bytes:
        return _ACK.pack(self.command_type, self.status, 0, self.command_seq)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Ack:
        _need(cls, payload, _ACK.size)
        ct, st, _r, cs = _ACK.unpack(payload)
        return cls(ct, st, cs)


@dataclass(frozen=True)
class BindSignature:
    TYPE: ClassVar[int] = T_BIND_SIGNATURE
    message: BindMessage
    signature: bytes

    def encode_payload(self) -> bytes:
        return self.message.encode() + self.signature

    @classmethod
    def decode_payload(cls, payload: bytes) -> BindSignature:
        _need(cls, payload, BIND_MESSAGE_SIZE + SIGNATURE_SIZE)
        try:
            msg = BindMessage.decode(payload[:BIND_MESSAGE_SIZE])
        except Exception as exc:
            raise FrameError("malformed", str(exc)) from exc
        return cls(msg, payload[BIND_MESSAGE_SIZE:])


@dataclass(frozen=True)
class GetInfo:
    TYPE: ClassVar[int] = T_GET_INFO

    def encode_payload(self) -> bytes:
        return b""

    @classmethod
    def decode_payload(cls, payload: bytes) -> GetInfo:
        _need(cls, payload, 0)
        return cls()


@dataclass(frozen=True)
class RequestCheckpoint:
    TYPE: ClassVar[int] = T_REQUEST_CHECKPOINT

    def encode_payload(self) -> bytes:
        return b""

    @classmethod
    def decode_payload(cls, payload: bytes) -> RequestCheckpoint:
        _need(cls, payload, 0)
        return cls()


@dataclass(frozen=True)
class SetRate:
    TYPE: ClassVar[int] = T_SET_RATE
    rate_hz: int

    def encode_payload(self) -> bytes:
        return struct.pack("<I", self.rate_hz)

    @classmethod
    def decode_payload(cls, payload: bytes) -> SetRate:
        _need(cls, payload, 4)
        return cls(*struct.unpack("<I", payload))


@dataclass(frozen=True)
class TimeSync:
    TYPE: ClassVar[int] = T_TIME_SYNC
    unix_us: int

    def encode_payload(self) -> bytes:
        return struct.pack("<Q", self.unix_us)

    @classmethod
    def decode_payload(cls, payload: bytes) -> TimeSync:
        _need(cls, payload, 8)
        return cls(*struct.unpack("<Q", payload))


@dataclass(frozen=True)
class BindRequest:
    TYPE: ClassVar[int] = T_BIND_REQUEST
    wallet: bytes
    deployment_id: bytes
    region: int

    def encode_payload(self) -> bytes:
        return struct.pack("<32s32sH", self.wallet, self.deployment_id, self.region)

    @classmethod
    def decode_payload(cls, payload: bytes) -> BindRequest:
        _need(cls, payload, 66)
        return cls(*struct.unpack("<32s32sH", payload))


Message = (Hello | SampleBlock | Checkpoint | Event | Ack | BindSignature
           | GetInfo | RequestCheckpoint | SetRate | TimeSync | BindRequest)
MESSAGE_TYPES: dict[int, type[Message]] = {cls.TYPE: cls for cls in (
    Hello, SampleBlock, Checkpoint, Event, Ack, BindSignature,
    GetInfo, RequestCheckpoint, SetRate, TimeSync, BindRequest)}
_ = ATTEST_MESSAGE_SIZE  # attestation size is checked through AttestationMessage.decode


def _need(cls: type, payload: bytes, size: int) -> None:
    if len(payload) != size:
        raise FrameError("malformed", f"{cls.__name__} payload must be {size} bytes, got {len(payload)}")


def decode_message(frame: Frame) -> Message:
    """Typed message of a checked frame; FrameError('unknown_type' | 'malformed') otherwise."""
    cls = MESSAGE_TYPES.get(frame.msg_type)
    if cls is None:
        raise FrameError("unknown_type", f"message type 0x{frame.msg_type:02x} is not known to protocol v1")
    return cls.decode_payload(frame.payload)


def encode_message(message: Message, seq: int) -> bytes:
    return encode_frame(message.TYPE, seq, message.encode_payload())
