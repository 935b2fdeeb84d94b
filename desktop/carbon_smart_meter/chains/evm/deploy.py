"""Deploy CsmRewards to any EVM chain (`csm chain deploy --chain NETWORK --rpc URL` drives it).

The deployer (from an encrypted keystore) becomes the owner; the committed bytecode is deployed as
it is, so what runs on chain is exactly what the tests checked. The result records the chain id,
address and deployment id that devices must be bound to.
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
from carbon_smart_meter.chains.evm.transactions import TransactionSender, rpc_errors
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.protocol.signing import CHAIN_KIND_EVM, deployment_id

DEFAULT_PRICE_MICRO_USD = 150_000


@dataclass(frozen=True)
class DeployedContract:
    chain_id: int
    address: str
    deployment_id: str
    tx_hash: str
    block: int
    owner: str


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


def deploy_contract(w3: Web3, account: LocalAccount, *, default_price_micro_usd: int = DEFAULT_PRICE_MICRO_USD,
                    finality: int | str = 0, **sender_options: Any) -> DeployedContract:
    artifact = load_artifact()
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    data = factory.constructor(default_price_micro_usd).data_in_transaction
    sender = TransactionSender(w3, account, finality=finality, **sender_options)
    receipt = sender.send({"data": data}, "deploying CsmRewards")
    address = receipt["contractAddress"]
    if not address:
        raise ChainError("the deployment transaction created no contract")
    dep = deployment_id(CHAIN_KIND_EVM, sender.chain_id, bytes.fromhex(address[2:]))
    return DeployedContract(chain_id=sender.chain_id, address=Web3.to_checksum_address(address),
                            deployment_id="0x" + dep.hex(), tx_hash="0x" + bytes(receipt["transactionHash"]).hex(),
                            block=int(receipt["blockNumber"]), owner=account.address)
