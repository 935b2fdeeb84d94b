"""Claim bundles: the device-signed checkpoints and binds of an outbox in one file, for a ship whose only
link is a USB stick or an e-mail. Anyone with a link `csm claims submit`s it: the relayer pays the fees,
the rewards go to the wallet each device is bound to, and submitting a bundle twice pays once (the chain
refuses a replay; the outbox records it as paid, not rejected).

One JSON file. Everything in it is signed by the devices (checkpoints, binds) or their manufacturer
(attestations), so a bundle needs no trust in whoever carries it; the manifest holds the SHA-256 of the
checkpoint and bind lists, so a file damaged on the way is refused whole, with one line saying so,
before anything is imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.errors import CsmError, SignatureError

FORMAT = "csm-claim-bundle"
VERSION = 1
UNBOUND = bytes(32)


class BundleError(CsmError):
    """A bundle that cannot be written or read (damaged, not a bundle, another deployment)."""


@dataclass(frozen=True)
class BundleSummary:
    path: Path
    deployment_id: bytes
    checkpoints: int
    binds: int
    devices: int
    added: int = 0  # on import: checkpoints new to the outbox


def _digest(items: list[Any]) -> str:
    return hashlib.sha256(json.dumps(items, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _hex(b: bytes | None) -> str | None:
    return None if b is None else b.hex()


def export_bundle(outbox: ClaimsOutbox, out: Path, deployment_id: bytes | None = None) -> BundleSummary:
    """Every checkpoint the chain has not settled yet (older ones too: the relayer's sync picks the one the
    chain pays now), and every bind made on this machine, of one deployment. Never overwrites a file."""
    open_rows = [r for r in outbox.with_status("pending", "deferred", "submitted") if r.deployment_id != UNBOUND]
    deployments = sorted({r.deployment_id for r in open_rows} | {b.deployment_id for b in outbox.bindings()})
    if deployment_id is None:
        if len(deployments) > 1:
            raise BundleError("the outbox holds claims for several deployments: name one with --chain NAME")
        if not deployments:
            raise BundleError(f"nothing to export: the outbox {outbox.path} has no unsettled checkpoint of a bound "
                              "device and no bind")
        deployment_id = deployments[0]
    rows = [r for r in open_rows if r.deployment_id == deployment_id]
    binds = outbox.bindings(deployment_id=deployment_id)
    checkpoints = [{"message": r.message.hex(), "signature": r.signature.hex()} for r in rows]
    bind_items = [{"message": b.message.hex(), "signature": b.signature.hex(), "attestation": _hex(b.attestation),
                   "attestation_signature": _hex(b.attestation_signature)} for b in binds]
    devices: dict[str, dict[str, int]] = {}
    for r in rows:
        devices[r.device.hex()] = {"newest_seq": r.seq, "energy_mwh": r.energy_mwh, "device_time": r.device_time}
    doc = {
        "format": FORMAT, "version": VERSION,
        "manifest": {
            "created_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "deployment_id": "0x" + deployment_id.hex(), "devices": devices,
            "counts": {"checkpoints": len(checkpoints), "binds": len(bind_items)},
            "sha256": {"checkpoints": _digest(checkpoints), "binds": _digest(bind_items)},
        },
        "checkpoints": checkpoints, "binds": bind_items,
    }
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise BundleError(f"{out} exists already: bundles are never overwritten, choose another name") from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    return BundleSummary(out, deployment_id, len(checkpoints), len(bind_items), len(devices))


def read_bundle(path: Path) -> dict[str, Any]:
    """The bundle's contents after checking its format and hashes (signatures are checked on import)."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleError(f"no bundle at {path}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BundleError(f"{path} is not a readable claim bundle ({exc}); ask for it to be exported again") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BundleError(f"{path} is not a claim bundle (made by `csm claims export`)")
    if doc.get("version") != VERSION:
        raise BundleError(f"{path} is a version {doc.get('version')} bundle; this csm reads version {VERSION}: "
                          "update csm")
    try:
        manifest = doc["manifest"]
        checkpoints, binds = doc["checkpoints"], doc["binds"]
        sums = manifest["sha256"]
        bytes.fromhex(manifest["deployment_id"].removeprefix("0x"))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BundleError(f"{path}: the bundle's manifest is damaged ({exc!r}); ask for it to be exported "
                          "again") from None
    for name, items in (("checkpoints", checkpoints), ("binds", binds)):
        if not isinstance(items, list) or _digest(items) != sums.get(name):
            raise BundleError(f"{path}: the {name} do not match the manifest's SHA-256 (the file was damaged or "
                              "edited); nothing was imported, ask for it to be exported again")
    return doc


def import_bundle(outbox: ClaimsOutbox, path: Path, deployment_id: bytes | None = None) -> BundleSummary:
    """Check the whole bundle, then add its checkpoints and binds to the outbox (each signature checked;
    already known ones are kept as they are)."""
    doc = read_bundle(path)
    dep = bytes.fromhex(doc["manifest"]["deployment_id"].removeprefix("0x"))
    if deployment_id is not None and dep != deployment_id:
        raise BundleError(f"{path} holds claims for deployment 0x{dep.hex()[:16]}…, not this one "
                          f"(0x{deployment_id.hex()[:16]}…): submit it with --chain naming that deployment")
    try:
        items = [(bytes.fromhex(c["message"]), bytes.fromhex(c["signature"])) for c in doc["checkpoints"]]
        bind_items = [(bytes.fromhex(b["message"]), bytes.fromhex(b["signature"]),
                       bytes.fromhex(b["attestation"]) if b.get("attestation") else None,
                       bytes.fromhex(b["attestation_signature"]) if b.get("attestation_signature") else None)
                      for b in doc["binds"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError(f"{path}: an entry is damaged ({exc!r}); nothing was imported") from None
    from carbon_smart_meter.chains.adapter import SignedMessage
    from carbon_smart_meter.protocol.signing import CheckpointMessage

    for message, _signature in items:  # everything checked before anything is written
        try:
            ck = CheckpointMessage.decode(message)
        except SignatureError as exc:
            raise BundleError(f"{path}: {exc}; nothing was imported") from None
        if ck.deployment_id != dep:
            raise BundleError(f"{path}: checkpoint seq {ck.seq} of 0x{ck.device.hex()} is for another deployment "
                              "than the manifest says; nothing was imported")
    added = 0
    devices = set()
    try:
        for message, signature in items:
            added += outbox.add(message, signature, provenance=f"bundle {Path(path).name}")
            devices.add(CheckpointMessage.decode(message).device)
        for message, signature, att, att_sig in bind_items:
            attestation = SignedMessage(att, att_sig) if att is not None and att_sig is not None else None
            outbox.add_binding(message, signature, attestation=attestation)
    except SignatureError as exc:
        raise BundleError(f"{path}: {exc} (a forged or damaged entry); the entries before it were imported, "
                          "each checked") from None
    return BundleSummary(Path(path), dep, len(items), len(bind_items), len(devices), added)
