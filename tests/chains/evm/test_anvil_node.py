"""CsmRewards on a real EVM node in its own process (anvil): the adapter over HTTP, a node that stops
and comes back with its state, and a reorganisation that takes a paid claim away."""

from __future__ import annotations

import time

import pytest
from web3 import Web3

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.anvil import AnvilNode, dev_accounts
from carbon_smart_meter.chains.evm.deploy import connect, deploy_contract
from carbon_smart_meter.chains.evm.errors import RpcUnreachableError
from carbon_smart_meter.chains.evm.local import dev_manufacturer_key
from carbon_smart_meter.protocol.signing import (
    AttestationMessage,
    BindMessage,
    CheckpointMessage,
    DeviceKey,
    wallet_bytes,
)


@pytest.fixture
def node(tmp_path):
    n = AnvilNode(state=tmp_path / "anvil-state.json", timestamp=int(time.time()) - 7200).start()
    yield n
    n.kill()


def deploy(node: AnvilNode) -> tuple[EvmAdapter, EvmAdapter]:
    owner, wallet = dev_accounts(2)
    w3 = connect(node.url)
    address = deploy_contract(w3, owner).address
    admin = EvmAdapter(w3, address, owner)
    admin.set_manufacturer(dev_manufacturer_key().address, True)
    return admin, EvmAdapter(w3, address, wallet, expected_chain_id=31337)


def bind_device(a: EvmAdapter, seed: bytes) -> DeviceKey:
    key = DeviceKey.from_seed(seed)
    attest = AttestationMessage(key.address, 100, 1, 7).encode()
    a.register_device(SignedMessage(attest, dev_manufacturer_key().sign(attest)))
    now = int(a.w3.eth.get_block("latest")["timestamp"])
    bind = BindMessage(key.address, wallet_bytes(bytes.fromhex(a.account.address[2:])), a.deployment_id, 1,
                       5_000, now, 554).encode()
    a.bind(SignedMessage(bind, key.sign(bind)))
    return key


def checkpoint(node: AnvilNode, a: EvmAdapter, key: DeviceKey, seq: int, energy_mwh: int) -> SignedMessage:
    """A checkpoint signed an hour after the binding; the node's next block is dated then (the cap
    accrues over chain time, RULES.md)."""
    state = a.device_state(key.address)
    assert state is not None
    t = state.last_time + 3_601
    node.set_next_timestamp(max(t, int(a.w3.eth.get_block("latest")["timestamp"]) + 1))
    msg = CheckpointMessage(key.address, a.deployment_id, seq, energy_mwh, t, b"\x42" * 32).encode()
    return SignedMessage(msg, key.sign(msg))


def test_a_device_is_registered_bound_and_paid_through_a_real_node(node):
    _admin, a = deploy(node)
    key = bind_device(a, b"anvil-device")
    (outcome,) = a.submit_batch([checkpoint(node, a, key, 2, 5_000 + 66_000)]).outcomes
    assert outcome.paid and outcome.delta_mwh == 66_000 and outcome.tokens > 0
    assert a.token_balance(a.account.address) == outcome.tokens


def test_the_node_keeps_its_chain_across_a_clean_stop(node):
    _admin, a = deploy(node)
    key = bind_device(a, b"restart-device")
    a.submit_batch([checkpoint(node, a, key, 2, 20_000)])
    node.stop()
    with pytest.raises(RpcUnreachableError):
        EvmAdapter(Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 2})), a.address, a.account)
    node.start()
    again = EvmAdapter(connect(node.url), a.address, a.account)
    state = again.device_state(key.address)
    assert state is not None and state.last_seq == 2 and state.last_energy_mwh == 20_000


def test_a_reorganisation_takes_a_paid_claim_off_the_chain(node):
    _admin, a = deploy(node)
    key = bind_device(a, b"reorg-device")
    a.submit_batch([checkpoint(node, a, key, 2, 30_000)])
    assert a.device_state(key.address).last_seq == 2
    node.reorg(1)
    assert a.device_state(key.address).last_seq == 1  # back to the binding: the claim must be sent again
    (outcome,) = a.submit_batch([checkpoint(node, a, key, 2, 30_000)]).outcomes
    assert outcome.paid
