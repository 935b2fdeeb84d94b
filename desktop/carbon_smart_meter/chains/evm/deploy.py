"""Deploy CsmRewards to any EVM chain (`csm chain deploy --chain NETWORK --rpc URL` drives it).

The deployer (from an encrypted keystore) becomes the owner; the committed bytecode is deployed as
it is, so what runs on chain is exactly what the tests checked. The first parameters and prices go
into the constructor (they apply at once, before any device exists); every later change waits the
published delay fixed here (RULES.md "Owner"). The result records the chain id, address and
deployment id that devices must be bound to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3

from carbon_smart_meter.chains.evm.artifact import load_artifact
from carbon_smart_meter.chains.evm.codec import params_struct, prices_arg
from carbon_smart_meter.chains.evm.transactions import TransactionSender, rpc_errors
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.protocol.signing import CHAIN_KIND_EVM, deployment_id
from carbon_smart_meter.rewards.limits import DEFAULT_PRICE_MICRO_USD_PER_KWH, PARAMS_DELAY_S_DEFAULT
from carbon_smart_meter.rewards.params import PayoutParams

DEFAULT_PRICE_MICRO_USD = DEFAULT_PRICE_MICRO_USD_PER_KWH


@dataclass(frozen=True)
class DeployedContract:
    chain_id: int
    address: str
    deployment_id: str
    tx_hash: str
    block: int
    owner: str
    params_delay_s: int = PARAMS_DELAY_S_DEFAULT


def load_keystore(path: Path, password: str) -> LocalAccount:
    """An account from an encrypted (Web3 secret storage) keystore file."""
    try:
        key = Account.decrypt(json.loads(path.read_text()), password)
    except (OSError, ValueError) as exc:
        raise ChainError(f"cannot open the keystore {path}: {exc}; check the path and password") from exc
    return Account.from_key(key)


def connect(rpc_url: str, timeout_s: float = 20.0) -> Web3:
    w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": timeout_s}))
    with rpc_errors(f"connecting to {rpc_url}"):
        w3.eth.chain_id  # noqa: B018 - a real round trip, so an unreachable URL fails here
    return w3


def deploy_contract(w3: Web3, account: LocalAccount, *, default_price_micro_usd: int | None = None,
                    params: PayoutParams | None = None, params_delay_s: int = PARAMS_DELAY_S_DEFAULT,
                    finality: int | str = 0, **sender_options: Any) -> DeployedContract:
    """Deploy with `params` (RULES.md defaults if None) in force at once; `default_price_micro_usd`
    replaces region 0's price."""
    params = params or PayoutParams()
    if default_price_micro_usd is not None:
        params = params.with_changes(prices={**params.prices, 0: default_price_micro_usd})
    artifact = load_artifact()
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    data = factory.constructor(params_struct(params), prices_arg(params), params_delay_s).data_in_transaction
    sender = TransactionSender(w3, account, finality=finality, **sender_options)
    receipt = sender.send({"data": data}, "deploying CsmRewards")
    address = receipt["contractAddress"]
    if not address:
        raise ChainError("the deployment transaction created no contract")
    dep = deployment_id(CHAIN_KIND_EVM, sender.chain_id, bytes.fromhex(address[2:]))
    return DeployedContract(chain_id=sender.chain_id, address=Web3.to_checksum_address(address),
                            deployment_id="0x" + dep.hex(), tx_hash="0x" + bytes(receipt["transactionHash"]).hex(),
                            block=int(receipt["blockNumber"]), owner=account.address, params_delay_s=params_delay_s)
