"""Solana adapter: the rewards program of onchain/solana/ driven with solders and solana-py.

`layout` (instruction bytes, PDAs) and `accounts` (account layouts, events) mirror the Rust interface
crate and are held to it by onchain/vectors/solana_instructions.json; `precompile` builds the secp256k1
instructions that carry device signatures; `packing` fits claims into 1232-byte transactions and
`lookup` keeps the payer's address lookup table for v0 ones; `loader` and `deploy` put the program
on a chain through BPFLoaderUpgradeable; `adapter` implements the chain-neutral ChainAdapter over
LiteSVM (embedded) or an RPC node.
"""

from __future__ import annotations

from typing import Any


def embedded_solana_deployment(**kwargs: Any) -> Any:
    """LiteSVM with the SBPF program (see `local`); raises SolanaProgramMissing, saying what to build,
    when the binary is absent. Imported lazily so `import carbon_smart_meter.chains.solana` stays cheap."""
    from carbon_smart_meter.chains.solana.local import embedded_solana_deployment as build

    return build(**kwargs)
