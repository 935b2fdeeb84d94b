"""The session file layout in one place: tables, their columns, dtypes and units (docs/session-format.md).

Every table is an HDF5 group of equal-length 1-D (or (n, k)) chunked datasets, one per column, so any
HDF5 tool shows plain arrays with a `units` attribute; no compound types and no variable-length data
(SWMR cannot append variable-length data safely, so text columns are fixed-size UTF-8).
"""

from __future__ import annotations

from dataclasses import dataclass

import h5py
import numpy as np

FORMAT_NAME = "csm-session"
FORMAT_VERSION = 2  # 2: /samples_tail (rows after the last whole chunk while a file is open), u64 event arg1
SAMPLES_TAIL = "samples_tail"  # see docs/session-format.md "Writing, flushing, crash safety"
TAIL_STATE = "state"
TEXT_SHORT, TEXT_LONG, TEXT_NOTE, TEXT_JSON = 32, 256, 1024, 4096


@dataclass(frozen=True)
class Column:
    name: str
    dtype: object
    units: str
    description: str
    shape: tuple[int, ...] = ()


def _text(n: int) -> h5py.Datatype | np.dtype:
    return h5py.string_dtype("utf-8", n)


HOST_TIME = [
    Column("host_monotonic_ns", np.int64, "ns", "host monotonic clock when the record arrived"),
    Column("host_utc_ns", np.int64, "ns", "host UTC clock (ns since 1970-01-01) when the record arrived"),
]

TABLES: dict[str, list[Column]] = {
    "samples": [
        Column("sample_index", np.uint64, "1", "device sample counter since boot"),
        Column(
            "device_time_ns",
            np.int64,
            "ns",
            "device time of the sample: unix time once the block is time-synced, else time since boot",
        ),
        Column("voltage_code", np.int32, "count", "raw voltage ADC code"),
        Column("current_code", np.int32, "count", "raw current ADC code"),
        Column("voltage", np.float32, "V", "calibrated bus voltage (see /calibration)"),
        Column("current", np.float32, "A", "calibrated current (see /calibration)"),
        Column("power", np.float32, "W", "voltage x current (negative = reverse current)"),
    ],
    "blocks": [
        Column("first_sample", np.uint64, "1", "device sample index of the block's first sample"),
        Column("count", np.uint32, "1", "samples in the block"),
        Column("t0_us", np.uint64, "us", "device time of the first sample"),
        Column("period_ns", np.uint32, "ns", "sample period"),
        Column("flags", np.uint16, "1", "bit0 V clipped, bit1 I clipped, bit2 time synced"),
        Column("row", np.uint64, "1", "row of the first sample in /samples"),
        *HOST_TIME,
    ],
    "gaps": [
        Column("expected_sample", np.uint64, "1", "sample index the next block should have started at"),
        Column("next_sample", np.uint64, "1", "sample index it did start at"),
        Column("missing", np.uint64, "1", "samples lost (0 when the device restarted its counter)"),
        Column("reset", np.uint8, "1", "1 when the counter went backwards (device reset)"),
        Column("row", np.uint64, "1", "row in /samples where the gap sits"),
        *HOST_TIME,
    ],
    "checkpoints": [
        Column("seq", np.uint32, "1", "checkpoint sequence number"),
        Column("energy_mwh", np.uint64, "mWh", "cumulative energy since manufacture, rounded down"),
        Column("device_time_s", np.uint64, "s", "device unix time of the checkpoint"),
        Column("chain_head", np.uint8, "1", "sample-block hash chain head", (32,)),
        Column("deployment_id", np.uint8, "1", "deployment the device is bound to", (32,)),
        Column("message", np.uint8, "1", "the 115 signed bytes (CSM-CKPT-v1)", (115,)),
        Column("signature", np.uint8, "1", "secp256k1 signature r||s||v", (65,)),
        Column("row", np.uint64, "1", "rows in /samples written when it arrived"),
        *HOST_TIME,
    ],
    "binds": [
        Column("seq", np.uint32, "1", "bind nonce (taken from the checkpoint counter)"),
        Column("energy_mwh", np.uint64, "mWh", "device energy when bound: energy before it never pays"),
        Column("device_time_s", np.uint64, "s", "device unix time of the binding"),
        Column("wallet", np.uint8, "1", "wallet bound to (EVM address left-padded, or Solana key)", (32,)),
        Column("deployment_id", np.uint8, "1", "deployment bound to", (32,)),
        Column("region", np.uint16, "1", "ISO 3166-1 numeric region"),
        Column("message", np.uint8, "1", "the 117 signed bytes (CSM-BIND-v1)", (117,)),
        Column("signature", np.uint8, "1", "secp256k1 signature r||s||v", (65,)),
        Column("row", np.uint64, "1", "rows in /samples written when it arrived"),
        *HOST_TIME,
    ],
    "events": [
        Column("origin", _text(8), "1", "'device' (EVENT message) or 'host' (link, storage, overflow)"),
        Column("kind", _text(TEXT_SHORT), "1", "device event name or host event kind"),
        Column("code", np.uint16, "1", "device event code (0 for host events)"),
        Column("severity", np.uint8, "1", "0 info, 1 warning, 2 error"),
        Column("arg0", np.uint32, "1", "device event argument 0 (u32, PROTOCOL.md 3.4)"),
        Column("arg1", np.uint64, "1", "device event argument 1 (u64, PROTOCOL.md 3.4; unix us for TIME_SYNCED)"),
        Column("count", np.int64, "1", "how many things the host event counts"),
        Column("device_time_us", np.uint64, "us", "device time of a device event"),
        Column("message", _text(TEXT_LONG), "1", "human-readable text"),
        Column("row", np.uint64, "1", "rows in /samples written when it arrived"),
        *HOST_TIME,
    ],
    "annotations": [
        Column("t_utc_ns", np.int64, "ns", "UTC time the note refers to"),
        Column("text", _text(TEXT_NOTE), "1", "the user's note"),
        *HOST_TIME,
    ],
    "hellos": [
        Column("payload", np.uint8, "1", "raw 232-byte HELLO payload (PROTOCOL.md 3.1)", (232,)),
        *HOST_TIME,
    ],
    "provenance": [
        Column("key", _text(64), "1", "provenance key (set by the energy module and others)"),
        Column("value_json", _text(TEXT_JSON), "1", "JSON value"),
        *HOST_TIME,
    ],
}

CHUNK_ROWS = {
    "samples": 16384,
    "blocks": 1024,
    "gaps": 256,
    "checkpoints": 128,
    "binds": 16,
    "events": 64,
    "annotations": 16,
    "hellos": 64,
    "provenance": 8,
}
# Only /samples is compressed. Under SWMR, HDF5 never reuses file space it frees, so a compressed chunk
# rewritten at every flush leaks its old copy each time (measured: files 16-18x their data). /samples
# therefore gets whole chunks only, written once, and keeps the rows after the last whole chunk in the
# uncompressed /samples_tail, rewritten in place; the small tables are uncompressed for the same reason
# (an uncompressed chunk keeps its size, so HDF5 rewrites it where it is).
COMPRESSED_TABLES = frozenset({"samples"})

CALIBRATION_SCALARS = [
    ("voltage_scale", "V", "volts per voltage code (gain x voltage_lsb)"),
    ("voltage_offset", "V", "added after scaling"),
    ("current_scale", "A", "amperes per current code (gain x shunt_lsb / shunt)"),
    ("current_offset", "A", "added after scaling"),
]


def compression_options(name: str) -> dict:
    """h5py dataset keywords for a compression choice (measured in docs/session-format.md)."""
    if name == "blosc-lz4":
        import hdf5plugin

        return dict(hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE))
    if name == "gzip":
        return {"compression": "gzip", "compression_opts": 1, "shuffle": True}
    if name == "none":
        return {}
    raise ValueError(f"unknown compression {name!r}: use blosc-lz4, gzip or none")


def encode_text(text: str, size: int) -> bytes:
    """UTF-8 bytes that fit a fixed-size text column, cut on a character boundary."""
    raw = text.encode("utf-8")
    if len(raw) <= size:
        return raw
    return raw[: size - 3].decode("utf-8", "ignore").encode("utf-8") + "…".encode()
