"""Which plugged-in adapter is which device, and what it is bound to: `csm devices` without opening a port.

Listing ports must not open them (another program may be reading the adapter), so a port does not say
which device it is. This machine remembers instead: the claims outbox keeps every bind signed here and
every device that said HELLO (`devices_seen`: its port and USB serial number). A USB adapter is matched
by its serial number, a simulator by the device id it registered; port paths alone are never trusted
(`/dev/ttyACM0` is whichever adapter was plugged in first). Known devices not plugged in are listed too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from carbon_smart_meter.chains import deployments
from carbon_smart_meter.chains.deployments import DeploymentRecord
from carbon_smart_meter.claims.outbox import Binding, ClaimsOutbox
from carbon_smart_meter.devices.discovery import FoundDevice


@dataclass(frozen=True)
class KnownDevice:
    device: bytes
    port: str | None = None         # where it was last seen
    usb_serial: str | None = None
    seen_at: float | None = None
    binding: Binding | None = None  # its newest bind signed on this machine


def known_devices(outbox: ClaimsOutbox) -> dict[bytes, KnownDevice]:
    """Every device this outbox has a bind of or has seen, with its newest bind (a device is bound to one
    deployment at a time: a newer bind replaces the older)."""
    newest: dict[bytes, Binding] = {}
    for b in sorted(outbox.bindings(), key=lambda b: (b.bound_at, b.seq)):
        newest[b.device] = b
    out = {d: KnownDevice(d, binding=b) for d, b in newest.items()}
    for device, port, serial, seen_at in reversed(outbox.devices_seen()):  # oldest first: the newest wins
        out[device] = KnownDevice(device, port, serial, seen_at, newest.get(device))
    return out


def listing(found: list[FoundDevice], outbox: ClaimsOutbox | None) -> list[dict[str, Any]]:
    """One entry per listed port (`present`: true) and per known device not plugged in (`present`: false)."""
    known = known_devices(outbox) if outbox is not None else {}
    by_serial = {k.usb_serial: k for k in sorted(known.values(), key=lambda k: k.seen_at or 0) if k.usb_serial}
    records = {r.deployment_id_bytes: r for r in deployments.list_records()}
    out: list[dict[str, Any]] = []
    matched: set[bytes] = set()
    for f in found:
        k = _match(f, known, by_serial)
        entry: dict[str, Any] = {"port": f.port, "kind": f.kind, "description": f.description,
                                 "usb_serial": f.usb_serial, "present": True}
        if k is not None:
            matched.add(k.device)
        out.append(entry | _identity(k, f, records))
    for k in sorted(known.values(), key=lambda k: k.device):
        if k.device not in matched:
            out.append({"port": None, "kind": None, "description": None, "usb_serial": k.usb_serial,
                        "present": False, "last_port": k.port, "last_seen_utc": _utc(k.seen_at)}
                       | _identity(k, None, records))
    return out


def _match(f: FoundDevice, known: dict[bytes, KnownDevice], by_serial: dict[str, KnownDevice]) -> KnownDevice | None:
    if f.device:
        try:
            device = bytes.fromhex(f.device.removeprefix("0x"))
        except ValueError:
            return None
        return known.get(device, KnownDevice(device))
    if f.usb_serial and f.usb_serial in by_serial:
        return by_serial[f.usb_serial]
    return None


def _identity(k: KnownDevice | None, f: FoundDevice | None,
              records: dict[bytes, DeploymentRecord]) -> dict[str, Any]:
    if k is None:
        return {"device": None, "binding": None, "deployment": None}
    b = k.binding
    if b is None:
        return {"device": "0x" + k.device.hex(), "binding": None, "deployment": None}
    record = records.get(b.deployment_id)
    name = record.name if record is not None else (b.deployment or None)
    binding = {"wallet": _wallet(b.wallet, record), "deployment": name,
               "chain": record.network if record is not None else None,
               "state": "bound on chain" if b.tx_id else "pending offline bind",
               "bind_tx": b.tx_id if b.tx_id not in (None, "on chain") else None,
               "bind_seq": b.seq, "signed_utc": _utc(b.bound_at)}
    if record is not None:
        deployment: dict[str, Any] = {"name": record.name, "network": record.network, "kind": record.kind,
                                      "address": record.address, "chain_id": record.chain_id,
                                      "deployment_id": record.deployment_id}
    else:
        deployment = {"name": name, "deployment_id": "0x" + b.deployment_id.hex(),
                      "record": "no deployment record with this id on this machine (`csm chain list`)"}
    return {"device": "0x" + k.device.hex(), "binding": binding, "deployment": deployment}


def _wallet(wallet: bytes, record: DeploymentRecord | None) -> str:
    """An EVM address (0x + 40 hex) or a Solana key (base58), as `csm wallet show` writes them."""
    evm = record.kind == "evm" if record is not None else wallet[:12] == bytes(12)
    if evm:
        return "0x" + wallet[-20:].hex()
    from solders.pubkey import Pubkey

    return str(Pubkey.from_bytes(wallet))


def _utc(t: float | None) -> str | None:
    return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ") if t else None


def binding_words(entry: dict[str, Any]) -> str:
    """The plain-text binding column of `csm devices`."""
    b = entry.get("binding")
    if b is None:
        return "not bound here" if entry.get("device") else "unknown device (bind it: `csm bind PORT ...`)"
    where = b["deployment"] or "unknown deployment"
    if b["chain"]:
        where += f" ({b['chain']})"
    state = "on chain" if b["state"] == "bound on chain" else "bind waits for a sync"
    return f"{b['wallet']} on {where}, {state}"
