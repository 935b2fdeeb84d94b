"""Which manufacturer keys a verifier trusts: the off-chain trust anchor of device attestations.

On chain the anchor is the set of manufacturer addresses the deployment's owner registered. Off chain
(`csm verify`, `csm inspect`, reports) a verifier trusts the addresses it is given: a TOML file with
`manufacturers = ["0x…", …]` (from the manufacturer, or copied from the chain's registry), plus, unless
refused, the development manufacturer whose key is derived from a public seed (simulators, `csm demo`,
tests). A file attested by the development key verifies with a warning that it proves nothing about
real hardware; with `allow_development=False` it fails.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from carbon_smart_meter.devices.identity import DEV_MANUFACTURER
from carbon_smart_meter.errors import CsmError

_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
DEVELOPMENT = "development"
TRUSTED = "trusted"
UNKNOWN = "unknown"


class TrustError(CsmError):
    """A trust file that cannot be used (unreadable, malformed address)."""


@dataclass(frozen=True)
class ManufacturerTrust:
    addresses: frozenset[bytes] = field(default_factory=frozenset)
    allow_development: bool = True
    source: str = "none given"

    @classmethod
    def load(cls, path: Path | str, allow_development: bool = True) -> ManufacturerTrust:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise TrustError(f"{path}: not a readable TOML list of manufacturer keys ({exc}); write "
                             'manufacturers = ["0x…"] with one 20-byte address per manufacturer') from exc
        items = data.get("manufacturers")
        if not isinstance(items, list) or not items:
            raise TrustError(f'{path}: expected manufacturers = ["0x…", …] (a non-empty list of addresses)')
        out = set()
        for item in items:
            if not isinstance(item, str) or not _ADDRESS.match(item):
                raise TrustError(f"{path}: {item!r} is not a manufacturer address (0x and 40 hex digits)")
            out.add(bytes.fromhex(item[2:]))
        return cls(frozenset(out), allow_development, str(path))

    def judge(self, signer: bytes) -> str:
        """TRUSTED, DEVELOPMENT (the public development key, when allowed) or UNKNOWN."""
        if signer in self.addresses:
            return TRUSTED
        if signer == DEV_MANUFACTURER.address:
            return DEVELOPMENT if self.allow_development else UNKNOWN
        return UNKNOWN
