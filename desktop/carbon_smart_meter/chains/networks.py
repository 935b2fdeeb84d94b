"""Networks known by name (`--network sepolia`), with their chain id, finality rule and explorer.

The registry is a data file (data/networks.toml) so adding a chain is a reviewed one-line change, not
code. A name is what users type and what deployment records store; the chain id is what a node must
answer before anything is signed for it, so a mistyped RPC URL can never send a claim to the wrong chain.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from carbon_smart_meter.errors import ChainError

KINDS = ("evm", "solana")


class UnknownNetworkError(ChainError):
    """A network name that is not in the registry."""


@dataclass(frozen=True)
class Network:
    name: str
    kind: str  # "evm" | "solana"
    finality: str  # "finalized" or a number of blocks on top ("0": mined is final)
    explorer: str = ""  # URL template with {tx}
    chain_id: int | None = None  # EVM chains
    cluster: str = ""  # Solana clusters
    testnet: bool = False
    local: bool = False
    ecosystem: str = ""  # e.g. "Polkadot", "Cosmos" for their EVM chains

    @property
    def evm_finality(self) -> int | str:
        """The form chains.evm.transactions.TransactionSender takes."""
        return self.finality if self.finality == "finalized" else int(self.finality)

    def explorer_url(self, tx: str) -> str:
        return self.explorer.format(tx=tx) if self.explorer else ""

    def describe(self) -> str:
        ident = f"chain id {self.chain_id}" if self.kind == "evm" else f"cluster {self.cluster}"
        tags = [t for t in ("testnet" if self.testnet else "", "local" if self.local else "",
                            self.ecosystem) if t]
        return f"{self.name}: {self.kind}, {ident}, final when {self._finality_words()}" + (
            f" ({', '.join(tags)})" if tags else "")

    def _finality_words(self) -> str:
        if self.finality == "finalized":
            return "finalized"
        n = int(self.finality)
        return "mined" if n == 0 else f"{n} blocks on top"


def _validate(name: str, row: dict) -> Network:
    kind = row.get("kind")
    if kind not in KINDS:
        raise ValueError(f"network {name}: kind {kind!r} is not one of {KINDS}")
    finality = str(row.get("finality", ""))
    if finality != "finalized" and not finality.isdigit():
        raise ValueError(f"network {name}: finality {finality!r} must be 'finalized' or a block count")
    if kind == "evm" and not isinstance(row.get("chain_id"), int):
        raise ValueError(f"network {name}: an EVM network needs an integer chain_id")
    if kind == "solana" and not row.get("cluster"):
        raise ValueError(f"network {name}: a Solana network needs a cluster")
    explorer = row.get("explorer", "")
    if explorer and "{tx}" not in explorer:
        raise ValueError(f"network {name}: explorer template must contain {{tx}}")
    return Network(name=name, kind=kind, finality=finality, explorer=explorer, chain_id=row.get("chain_id"),
                   cluster=row.get("cluster", ""), testnet=bool(row.get("testnet", False)),
                   local=bool(row.get("local", False)), ecosystem=row.get("ecosystem", ""))


@functools.cache
def networks() -> dict[str, Network]:
    text = resources.files("carbon_smart_meter.chains").joinpath("data/networks.toml").read_text("utf-8")
    return {name: _validate(name, row) for name, row in tomllib.loads(text).items()}


def network(name: str) -> Network:
    """The network called `name`; the error lists the names that exist."""
    found = networks().get(name.strip().lower())
    if found is None:
        raise UnknownNetworkError(f"unknown network {name!r}; known networks: {', '.join(sorted(networks()))} "
                                  "(`csm chain networks` lists them with their chain ids)")
    return found


def by_chain_id(chain_id: int) -> Network | None:
    """The mainnet or testnet with this EVM chain id (None for a chain we do not list)."""
    return next((n for n in networks().values() if n.kind == "evm" and n.chain_id == chain_id), None)
