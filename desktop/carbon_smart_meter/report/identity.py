"""Who measured: the device, its key, its maker's attestation, its firmware and what it was bound to.

Everything here is read from what the device and the manufacturer signed (HELLO attestation, checkpoint
and bind signatures), not from the file's convenience copies: the public key is recovered from a
device signature and must hash to the device id, the serial and rated power come from the attested
message, and the attestation's verdict is `csm verify`'s.
"""

from __future__ import annotations

import json

import coincurve
import numpy as np

from carbon_smart_meter.energy.verified import FileVerification
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.protocol.messages import HELLO_FLAG_SIMULATED, Hello
from carbon_smart_meter.protocol.signing import (
    AttestationMessage,
    BindMessage,
    address_of_public_key,
    keccak256,
    recover_address,
)
from carbon_smart_meter.storage.reader import Session


def public_key(message: bytes, signature: bytes, device: bytes) -> str:
    """The device's uncompressed public key (hex), recovered from a signature it made; "" if it does not
    recover to the device (a failed file shows that elsewhere)."""
    try:
        key = coincurve.PublicKey.from_signature_and_message(signature, keccak256(message), hasher=None)
    except Exception:  # coincurve raises plain exceptions for invalid signatures
        return ""
    return "0x" + key.format(compressed=False).hex() if address_of_public_key(key) == device else ""


def wallet_text(wallet: bytes) -> str:
    """An EVM address (20 bytes left-padded to 32) as 0x…40, a Solana key as 0x…64."""
    return "0x" + (wallet[12:] if wallet[:12] == bytes(12) else wallet).hex()


def file_identity(session: Session, hello: Hello, verification: FileVerification) -> dict:
    """The identity facts of one file, as plain JSON values."""
    hellos = [Hello.decode_payload(bytes(p)) for p in session.table("hellos")["payload"]]
    ck = session.table("checkpoints")
    key = ""
    for j in range(len(ck["seq"])):
        key = public_key(bytes(ck["message"][j]), bytes(ck["signature"][j]), hello.device)
        if key:
            break
    binds_table = session.table("binds") if "binds" in session.h5 else {"seq": np.zeros(0)}
    binds = []
    for j in range(len(binds_table["seq"])):
        raw = bytes(binds_table["message"][j])
        try:
            msg = BindMessage.decode(raw)
        except CsmError:
            continue
        if not key:
            key = public_key(raw, bytes(binds_table["signature"][j]), hello.device)
        binds.append({"seq": msg.seq, "energy_mwh": msg.energy_mwh, "device_time": msg.device_time,
                      "wallet": wallet_text(msg.wallet), "deployment_id": "0x" + msg.deployment_id.hex(),
                      "region": msg.region})
    attestation: dict = {"verdict": "", "detail": ""}
    try:
        att = AttestationMessage.decode(hello.attestation)
        attestation.update(serial=att.serial, rated_power_w=att.rated_power_w, hw_class=att.hw_class,
                           manufacturer="0x" + recover_address(hello.attestation, hello.attestation_signature).hex())
    except CsmError as exc:
        attestation.update(serial=None, rated_power_w=None, hw_class=None, manufacturer="", error=str(exc))
    check = next((c for c in verification.checks if c.name == "attestation"), None)
    if check is not None:
        attestation.update(verdict=check.result, detail=check.detail)
    deployments = sorted({"0x" + bytes(d).hex() for d in ck["deployment_id"]})
    meta, _problems = session.metadata()  # values out of range are left out (and shown by `csm inspect`)
    return {
        "device": "0x" + hello.device.hex(),
        "public_key": key,
        "attestation": attestation,
        "firmware": sorted({h.fw_version_text for h in hellos}),
        "hw_version": hello.hw_version,
        "hw_class": hello.hw_class,
        "rated_power_w": hello.rated_power_w,
        "sample_rate_hz": sorted({h.sample_rate_hz for h in hellos}),
        "checkpoint_interval_s": hello.checkpoint_interval_s,
        "boot_counts": sorted({h.boot_count for h in hellos}),
        "simulated": any(h.flags & HELLO_FLAG_SIMULATED for h in hellos),
        "binds": binds,
        "checkpoint_deployments": deployments,
        "sites": [meta.to_dict()] if meta is not None and not meta.empty else [],  # the files' session details
    }


def merge_identities(items: list[dict]) -> dict:
    """One device's identity over several files: lists are joined, a disagreement is kept visible."""
    first = dict(items[0])
    for key in ("firmware", "sample_rate_hz", "boot_counts", "checkpoint_deployments"):
        first[key] = sorted({v for it in items for v in it[key]})
    first["binds"] = sorted({tuple(sorted(b.items())) for it in items for b in it["binds"]})
    first["binds"] = [dict(b) for b in first["binds"]]
    first["binds"].sort(key=lambda b: (b["device_time"], b["seq"]))
    sites = {json.dumps(site, sort_keys=True) for it in items for site in it.get("sites", [])}
    first["sites"] = [json.loads(site) for site in sorted(sites)]
    first["public_key"] = next((it["public_key"] for it in items if it["public_key"]), "")
    first["simulated"] = any(it["simulated"] for it in items)
    verdicts = [it["attestation"]["verdict"] for it in items]
    worst = "fail" if "fail" in verdicts else ("warning" if "warning" in verdicts else first["attestation"]["verdict"])
    first["attestation"] = next((it["attestation"] for it in items if it["attestation"]["verdict"] == worst),
                                first["attestation"])
    return first
