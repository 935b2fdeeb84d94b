"""A chain adapter for a deployment record and a wallet: what `csm bind`, `csm claims sync|submit` and the
ship service use, so the RPC URL, address and deployment id are typed once (`csm chain deploy`).

The signer only pays fees: rewards go to the wallet each device is bound to, whoever relays its claims.
The node is checked to serve the record's chain before anything is signed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from carbon_smart_meter.chains import deployments, wallets
from carbon_smart_meter.chains.adapter import ChainAdapter
from carbon_smart_meter.chains.deployments import DeploymentRecord
from carbon_smart_meter.errors import ChainError

DEFAULT_PASSWORD_ENV = "CSM_KEYSTORE_PASSWORD"


def password_env(named: str | None) -> str | None:
    """The variable the user named with --password-env, else CSM_KEYSTORE_PASSWORD when it is set."""
    return named or (DEFAULT_PASSWORD_ENV if os.environ.get(DEFAULT_PASSWORD_ENV) else None)


def unlock_signer(record: DeploymentRecord, wallet: str, env_name: str | None) -> Any:
    """The relayer's key for this deployment's kind of chain, from an encrypted `csm wallet`."""
    if not wallet:
        raise ChainError(f"name the wallet that pays the fees on {record.name} with --wallet NAME "
                         "(`csm wallet list`; `csm wallet new NAME --kind " + record.kind + "` makes one)")
    password = wallets.read_password(password_env(env_name), what=f"wallet {wallet}")
    if record.kind == "evm":
        return wallets.unlock_evm(wallet, password)
    return wallets.unlock_solana(wallet, password)


def adapter_for(record: DeploymentRecord, signer: Any, *, rpc: str = "", poll_s: float | None = None,
                evm_fees: dict[str, int] | None = None) -> ChainAdapter:
    """Connect to the record's node (or `rpc`) and check it serves the record's chain. `evm_fees`: the fee
    limit (`max_fee_per_gas`, wei) and `bump_after_blocks` of an EVM chain's transaction sender (a Solana
    record ignores them)."""
    url = rpc or record.rpc
    if not url:
        raise ChainError(f"deployment {record.name} has no RPC URL: pass --rpc URL")
    if record.kind == "evm":
        from carbon_smart_meter.chains.evm.adapter import EvmAdapter
        from carbon_smart_meter.chains.evm.deploy import connect

        options: dict[str, Any] = {} if poll_s is None else {"poll_s": poll_s}
        options.update(evm_fees or {})
        adapter = EvmAdapter(connect(url), record.address, signer, finality=record.net.evm_finality,
                             expected_chain_id=record.chain_id or record.net.chain_id, **options)
        if adapter.deployment_id != record.deployment_id_bytes:
            raise ChainError(f"the contract at {record.address} has deployment id 0x{adapter.deployment_id.hex()}, "
                             f"not the record's {record.deployment_id}: check the record {record.name}")
        return adapter
    from solders.pubkey import Pubkey

    from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
    from carbon_smart_meter.chains.solana.backend import RpcBackend

    try:
        program = Pubkey.from_string(record.address)
    except ValueError as exc:
        raise ChainError(f"deployment {record.name}: {record.address!r} is not a program id") from exc
    adapter_s = SolanaAdapter(RpcBackend(url, commitment="confirmed"), signer, program_id=program)
    if adapter_s.deployment_id != record.deployment_id_bytes:
        raise ChainError(f"program {record.address} has deployment id 0x{adapter_s.deployment_id.hex()}, not the "
                         f"record's {record.deployment_id}: check the record {record.name}")
    return adapter_s


def adapter_factory(chain: str, wallet: str, env_name: str | None, *, rpc: str = "",
                    evm_fees: dict[str, int] | None = None) -> Callable[[], ChainAdapter]:
    """Unlock the wallet now (a wrong password fails at once), connect later: the ship service calls the
    factory at each attempt until the node answers. `evm_fees` as `adapter_for` (ignored on Solana)."""
    record = deployments.load(chain)
    signer = unlock_signer(record, wallet, env_name)
    return lambda: adapter_for(record, signer, rpc=rpc, evm_fees=evm_fees)
