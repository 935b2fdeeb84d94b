"""Deployment records: where our rewards contract or program lives on a network, written by
`csm chain deploy` and read by every command that binds or claims (`--chain NAME`).

A record is a small JSON file per deployment in the user's data directory (`CSM_DEPLOYMENTS` moves
it, e.g. for tests or a shared fleet configuration). It holds what a device must be bound to (the
deployment id) and what a host needs to reach it (network, RPC URL, address or program id); it never
holds a key. Records are created exclusively, so a second deployment cannot silently replace the one
devices are bound to.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import platformdirs

from carbon_smart_meter.chains.networks import Network, network
from carbon_smart_meter.errors import ChainError

APP_NAME = "carbon-smart-meter"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


class DeploymentRecordError(ChainError):
    """A deployment record is missing, malformed or would overwrite another."""


def deployments_dir() -> Path:
    env = os.environ.get("CSM_DEPLOYMENTS")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME)) / "deployments"


@dataclass(frozen=True)
class DeploymentRecord:
    name: str
    network: str  # a name from chains/data/networks.toml
    kind: str  # "evm" | "solana"
    deployment_id: str  # 0x + 64 hex: what devices are bound to (PROTOCOL.md)
    address: str  # EVM contract address, or the Solana program id (base58)
    rpc: str = ""
    chain_id: int | None = None
    owner: str = ""
    tx: str = ""
    block: int = 0
    mint: str = ""  # Solana reward mint
    created_utc: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))

    @property
    def net(self) -> Network:
        return network(self.network)

    @property
    def deployment_id_bytes(self) -> bytes:
        return bytes.fromhex(self.deployment_id.removeprefix("0x"))

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, origin: str) -> DeploymentRecord:
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise DeploymentRecordError(f"deployment record {origin} is not JSON ({exc}); restore it from a "
                                        "backup or write it again with `csm chain deploy`") from exc
        if not isinstance(raw, dict):
            raise DeploymentRecordError(f"deployment record {origin} must be a JSON object")
        known = {f.name for f in fields(cls)}
        missing = [k for k in ("name", "network", "kind", "deployment_id", "address") if k not in raw]
        if missing:
            raise DeploymentRecordError(f"deployment record {origin} lacks {', '.join(missing)}")
        record = cls(**{k: v for k, v in raw.items() if k in known})
        record.validate(origin)
        return record

    def validate(self, origin: str = "") -> DeploymentRecord:
        where = origin or self.name
        if not _NAME.match(self.name):
            raise DeploymentRecordError(f"deployment name {self.name!r} ({where}): use lower-case letters, "
                                        "digits, '-', '_' or '.', at most 64 characters")
        net = network(self.network)
        if net.kind != self.kind:
            raise DeploymentRecordError(f"deployment {where}: network {self.network} is {net.kind}, the record "
                                        f"says {self.kind}")
        if net.kind == "evm" and self.chain_id is not None and self.chain_id != net.chain_id:
            raise DeploymentRecordError(f"deployment {where}: chain id {self.chain_id} is not {self.network}'s "
                                        f"({net.chain_id})")
        dep = self.deployment_id.removeprefix("0x")
        if len(dep) != 64 or not all(c in "0123456789abcdefABCDEF" for c in dep):
            raise DeploymentRecordError(f"deployment {where}: deployment_id must be 32 bytes of hex")
        return self


def save(record: DeploymentRecord, directory: Path | None = None) -> Path:
    """Write a new record; never overwrites one (devices may already be bound to it)."""
    record.validate()
    d = directory or deployments_dir()
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{record.name}.json"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise DeploymentRecordError(f"a deployment named {record.name!r} already exists ({path}); choose "
                                    "another --name, or remove the old record if nothing is bound to it") from None
    with os.fdopen(fd, "w") as f:
        f.write(record.to_json())
    return path


def load(name: str, directory: Path | None = None) -> DeploymentRecord:
    """The record called `name` (or a path to a record file)."""
    candidate = Path(name)
    if candidate.suffix == ".json" and candidate.is_file():
        return DeploymentRecord.from_json(candidate.read_text(encoding="utf-8", errors="replace"), str(candidate))
    d = directory or deployments_dir()
    path = d / f"{name}.json"
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        known = ", ".join(r.name for r in list_records(d)) or "none yet"
        raise DeploymentRecordError(f"no deployment named {name!r} in {d} (known: {known}); deploy with "
                                    "`csm chain deploy` or copy its record there") from None
    except OSError as exc:
        raise DeploymentRecordError(f"cannot read deployment record {path}: {exc}") from exc
    return DeploymentRecord.from_json(text, str(path))


def list_records(directory: Path | None = None) -> list[DeploymentRecord]:
    d = directory or deployments_dir()
    out = []
    for path in sorted(d.glob("*.json")) if d.is_dir() else []:
        try:
            out.append(DeploymentRecord.from_json(path.read_text(encoding="utf-8", errors="replace"), str(path)))
        except ChainError:
            continue  # `csm chain list` reports unreadable records itself
    return out
