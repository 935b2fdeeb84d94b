#!/usr/bin/env python3
"""Regenerate the byte-exact vectors of firmware/vectors/ and onchain/vectors/messages.json.

The payout vectors (onchain/vectors/payout.json) are hand-worked and are NOT produced here. The byte
vectors below come from the Python encoder and are held true by independent implementations (C
firmware, Vyper, Rust) that must reproduce them byte for byte. Run after a deliberate protocol change:
    .venv/bin/python scripts/make_vectors.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from cobs import cobs

from carbon_smart_meter.protocol import messages as m
from carbon_smart_meter.protocol.frames import CRC_SIZE, HEADER, crc32c, encode_frame
from carbon_smart_meter.protocol.signing import (
    CHAIN_KIND_EVM,
    CHAIN_KIND_SOLANA,
    AttestationMessage,
    BindMessage,
    CheckpointMessage,
    DeviceKey,
    deployment_id,
    keccak256,
)

ROOT = Path(__file__).resolve().parents[1]
DEVICE = DeviceKey.from_seed(b"vector-device")
MANUFACTURER = DeviceKey.from_seed(b"vector-manufacturer")
EVM_CONTRACT = bytes.fromhex("5fbdb2315678afecb367f032d93f642f64180aa3")
SOLANA_PROGRAM = bytes(range(1, 33))
WALLET_EVM = bytes.fromhex("f39fd6e51aad88f6f4ce6ab8827279cfffb92266")


def hx(b: bytes) -> str:
    return b.hex()


def message_vectors() -> dict:
    dep_evm = deployment_id(CHAIN_KIND_EVM, 31337, EVM_CONTRACT)
    dep_sol = deployment_id(CHAIN_KIND_SOLANA, 0, SOLANA_PROGRAM)
    att = AttestationMessage(DEVICE.address, 100, 1, 42)
    ck = CheckpointMessage(DEVICE.address, dep_evm, 7, 1_234_567, 1_700_086_400, keccak256(b"chain"))
    bind = BindMessage(DEVICE.address, bytes(12) + WALLET_EVM, dep_evm, 6, 1_000_000, 1_700_000_000, 554)
    out = {
        "comment": "PROTOCOL.md section 4. digest = keccak256(message); signature = r||s||v, v in {0,1}, low-s.",
        "keys": {"device_secret": hx(DEVICE.secret), "device_address": hx(DEVICE.address),
                 "manufacturer_secret": hx(MANUFACTURER.secret), "manufacturer_address": hx(MANUFACTURER.address)},
        "deployments": [
            {"chain_kind": CHAIN_KIND_EVM, "chain_id": 31337, "program": hx(bytes(12) + EVM_CONTRACT),
             "deployment_id": hx(dep_evm)},
            {"chain_kind": CHAIN_KIND_SOLANA, "chain_id": 0, "program": hx(SOLANA_PROGRAM),
             "deployment_id": hx(dep_sol)},
        ],
        "attestation": {"fields": {"device": hx(att.device), "rated_power_w": 100, "hw_class": 1, "serial": 42},
                        "message": hx(att.encode()), "digest": hx(keccak256(att.encode())),
                        "signer": "manufacturer", "signature": hx(MANUFACTURER.sign(att.encode()))},
        "checkpoint": {"fields": {"device": hx(ck.device), "deployment_id": hx(dep_evm), "seq": 7,
                                  "energy_mwh": 1_234_567, "device_time": 1_700_086_400,
                                  "chain_head": hx(ck.chain_head)},
                       "message": hx(ck.encode()), "digest": hx(keccak256(ck.encode())),
                       "signer": "device", "signature": hx(DEVICE.sign(ck.encode()))},
        "bind": {"fields": {"device": hx(bind.device), "wallet": hx(bind.wallet), "deployment_id": hx(dep_evm),
                            "seq": 6, "energy_mwh": 1_000_000, "device_time": 1_700_000_000, "region": 554},
                 "message": hx(bind.encode()), "digest": hx(keccak256(bind.encode())),
                 "signer": "device", "signature": hx(DEVICE.sign(bind.encode()))},
    }
    return out


def raw_frame(version: int, msg_type: int, seq: int, payload: bytes, crc_delta: int = 0) -> bytes:
    body = HEADER.pack(version, msg_type, seq) + payload
    crc = (crc32c(body) ^ crc_delta).to_bytes(CRC_SIZE, "little")
    return cobs.encode(body + crc) + b"\x00"


def frame_vectors() -> dict:
    dep = deployment_id(CHAIN_KIND_EVM, 31337, EVM_CONTRACT)
    att = AttestationMessage(DEVICE.address, 100, 1, 42)
    hello = m.Hello(DEVICE.address, (1, 0, 0), m.HELLO_FLAG_SIMULATED, 1, 1, 100, 1000, 195.3125e-6, 1e-4,
                    "CAL-0001", 3, 6, 60, dep, 123_456, att.encode(), MANUFACTURER.sign(att.encode()))
    block = m.SampleBlock.build(1000, 1_700_000_000_000_000, 1_000_000, m.BLOCK_FLAG_TIME_SYNCED,
                                np.array([100000, 100010, -5, 524287], dtype=np.int32),
                                np.array([20000, 19990, 0, -524288], dtype=np.int32))
    ck = CheckpointMessage(DEVICE.address, dep, 7, 1_234_567, 1_700_086_400, keccak256(block.payload))
    bind = BindMessage(DEVICE.address, bytes(12) + WALLET_EVM, dep, 6, 1_000_000, 1_700_000_000, 554)
    good = [
        ("hello", 0, hello, {"device": hx(DEVICE.address), "fw_version": [1, 0, 0], "flags": 4, "hw_version": 1,
                             "hw_class": 1, "rated_power_w": 100, "sample_rate_hz": 1000, "v_lsb": 195.3125e-6,
                             "i_lsb": 1e-4, "calibration_id": "CAL-0001", "boot_count": 3, "checkpoint_seq": 6,
                             "checkpoint_interval_s": 60, "deployment_id": hx(dep), "uptime_us": 123456}),
        ("sample_block", 1, block, {"first_sample": 1000, "t0_us": 1_700_000_000_000_000, "period_ns": 1_000_000,
                                    "count": 4, "flags": 4, "voltage_codes": [100000, 100010, -5, 524287],
                                    "current_codes": [20000, 19990, 0, -524288],
                                    "chain_head_after_from_zero": hx(keccak256(bytes(32) + block.payload))}),
        ("checkpoint", 2, m.Checkpoint(ck, DEVICE.sign(ck.encode())),
         {"seq": 7, "energy_mwh": 1_234_567, "device_time": 1_700_086_400, "signer": hx(DEVICE.address)}),
        ("event_reset", 3, m.Event(m.EventCode.RESET, 0, 0, 3, 42),
         {"code": 1, "severity": 0, "arg0": 0, "arg1": 3, "t_us": 42}),
        ("event_tx_overflow", 4, m.Event(m.EventCode.TX_OVERFLOW, 1, 2, 16432, 99),
         {"code": 5, "severity": 1, "arg0": 2, "arg1": 16432, "t_us": 99}),
        ("ack", 5, m.Ack(m.T_SET_RATE, 0, 17), {"command_type": 0x82, "status": 0, "command_seq": 17}),
        ("bind_signature", 6, m.BindSignature(bind, DEVICE.sign(bind.encode())), {"seq": 6, "region": 554}),
        ("get_info", 0, m.GetInfo(), {}),
        ("set_rate", 1, m.SetRate(50_000), {"rate_hz": 50000}),
        ("request_checkpoint", 2, m.RequestCheckpoint(), {}),
        ("time_sync", 3, m.TimeSync(1_700_000_000_123_456), {"unix_us": 1_700_000_000_123_456}),
        ("bind_request", 4, m.BindRequest(bytes(12) + WALLET_EVM, dep, 554),
         {"wallet": hx(bytes(12) + WALLET_EVM), "deployment_id": hx(dep), "region": 554}),
    ]
    frames = []
    for name, seq, msg, fields in good:
        payload = msg.encode_payload()
        frames.append({"name": name, "type": msg.TYPE, "seq": seq, "payload": hx(payload),
                       "wire": hx(encode_frame(msg.TYPE, seq, payload)), "fields": fields})
    ev = m.Event(m.EventCode.RESET, 0, 0, 3, 42).encode_payload()
    malformed = [
        {"name": "crc_flipped", "wire": hx(raw_frame(1, 4, 9, ev, crc_delta=1)), "expect": "crc_errors"},
        {"name": "truncated_frame", "wire": hx(encode_frame(4, 9, ev)[:-6] + b"\x00"), "expect": "crc_errors_or_cobs"},
        {"name": "too_short", "wire": hx(cobs.encode(b"\x01\x04\x00") + b"\x00"), "expect": "too_short"},
        {"name": "future_version", "wire": hx(raw_frame(2, 4, 9, ev)), "expect": "unsupported_version"},
        {"name": "unknown_type", "wire": hx(raw_frame(1, 0x42, 9, b"abc")), "expect": "unknown_type"},
        {"name": "event_wrong_length", "wire": hx(raw_frame(1, 4, 9, ev[:-1])), "expect": "malformed"},
        {"name": "block_count_mismatch", "wire": hx(raw_frame(1, 2, 9, block.payload[:-4])), "expect": "malformed"},
        # PROTOCOL.md 1: a discarded run counts its bytes and the 0x00 that ends it, so every byte that
        # came in is in a good frame (with its delimiter), counted as discarded, or still pending.
        {"name": "garbage_then_frame", "wire": hx(b"\x13\x37\xff\x00" + encode_frame(4, 9, ev)),
         "expect": "one good frame, 3 garbage bytes + their 0x00 = 4 bytes discarded", "bytes_discarded": 4},
    ]
    return {"comment": "PROTOCOL.md sections 1 and 3. 'wire' = COBS(frame)||00; 'payload' = message payload. "
                       "Malformed frames must be counted by the named counter and never stop the decoder.",
            "device_secret": hx(DEVICE.secret), "frames": frames, "malformed": malformed}


def main() -> None:
    (ROOT / "onchain/vectors/messages.json").write_text(json.dumps(message_vectors(), indent=1) + "\n")
    (ROOT / "firmware/vectors/frames.json").write_text(json.dumps(frame_vectors(), indent=1) + "\n")
    print("wrote onchain/vectors/messages.json and firmware/vectors/frames.json")


if __name__ == "__main__":
    main()
