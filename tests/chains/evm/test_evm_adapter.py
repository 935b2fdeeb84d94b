"""The EVM ChainAdapter: the demo path end to end, typed errors for every way a node or contract can
fail, and nothing returned as paid before its receipt is final."""

from __future__ import annotations

import json
import socket

import pytest
from eth_account import Account
from web3 import Web3

from carbon_smart_meter.chains.adapter import ChainAdapter, SignedMessage
from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.deploy import connect, deploy_contract, load_keystore
from carbon_smart_meter.chains.evm.errors import (
    FeeTooLowError,
    NotFinalError,
    ReorgError,
    RpcUnreachableError,
    TransactionRevertedError,
    WrongChainError,
)
from carbon_smart_meter.chains.evm.local import (
    LOCAL_CHAIN_ID,
    LocalDeployment,
    LocalEvm,
    dev_manufacturer_key,
    local_evm_deployment,
)
from carbon_smart_meter.chains.evm.transactions import TransactionSender
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.protocol.signing import (
    AttestationMessage,
    BindMessage,
    CheckpointMessage,
    DeviceKey,
    wallet_bytes,
)
from carbon_smart_meter.rewards.params import Code, PayoutParams


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def demo_device_claims(d: LocalDeployment, seed: bytes) -> tuple[DeviceKey, SignedMessage]:
    """Register and bind a simulated device the way the demo does, let an hour pass on the chain and
    sign that hour of 100 W."""
    key, a = DeviceKey.from_seed(seed), d.adapter
    attest = AttestationMessage(key.address, 100, 1, 7).encode()
    a.register_device(SignedMessage(attest, d.manufacturer.sign(attest)))
    now = d.chain.pending_timestamp()
    bind = BindMessage(key.address, wallet_bytes(bytes.fromhex(a.account.address[2:])), a.deployment_id, 1,
                       5_000, now, 554).encode()
    a.bind(SignedMessage(bind, key.sign(bind)))
    d.chain.travel_to(now + 3_601)
    ckpt = CheckpointMessage(key.address, a.deployment_id, 2, 5_000 + 66_000, now + 3_601, b"\x42" * 32).encode()
    return key, SignedMessage(ckpt, key.sign(ckpt))


def test_the_evm_adapter_is_a_chain_adapter(demo: LocalDeployment) -> None:
    assert isinstance(demo.adapter, ChainAdapter)
    assert demo.adapter.name == "evm" and demo.adapter.max_claims_per_batch == 50


def test_the_demo_deployment_pays_a_simulated_device(demo: LocalDeployment) -> None:
    key, claim = demo_device_claims(demo, b"demo-device")
    receipt = demo.adapter.submit_batch([claim])
    (outcome,) = receipt.outcomes
    # 66 Wh; region 554 has no price in the demo, so the default 0.15 USD/kWh at a 20 % share applies.
    assert (outcome.code, outcome.delta_mwh, outcome.tokens) == (0, 66_000, 1_980_000)
    assert receipt.gas_or_compute_units > 0 and receipt.fee_paid > 0 and receipt.tx_id.startswith("0x")
    assert demo.adapter.token_balance(demo.wallet.address) == 1_980_000
    state = demo.adapter.device_state(key.address)
    assert state is not None and state.last_seq == 2 and state.chain_head == b"\x42" * 32


def test_the_demo_uses_the_development_manufacturer(demo: LocalDeployment) -> None:
    assert demo.manufacturer == dev_manufacturer_key()
    assert demo.adapter.contract.functions.is_manufacturer(demo.manufacturer.address).call()


def test_an_unknown_device_has_no_state(demo: LocalDeployment) -> None:
    assert demo.adapter.device_state(DeviceKey.from_seed(b"nobody").address) is None


def test_parameters_read_back_as_the_python_model(demo: LocalDeployment) -> None:
    assert demo.adapter.params() == PayoutParams()
    assert demo.adapter.network_energy_mwh() == 0


def test_fee_estimates_grow_with_the_batch(demo: LocalDeployment) -> None:
    one, fifty = demo.adapter.estimate_fees(1), demo.adapter.estimate_fees(50)
    assert one.unit_name == "gas" and 0 < one.fee < fifty.fee and fifty.units < 50 * one.units


def test_an_unreachable_rpc_is_a_typed_error() -> None:
    w3 = Web3(Web3.HTTPProvider(closed_port_url(), request_kwargs={"timeout": 2}))
    with pytest.raises(RpcUnreachableError, match="unreachable"):
        EvmAdapter(w3, "0x" + "11" * 20, Account.create())
    with pytest.raises(RpcUnreachableError):
        connect(closed_port_url())


def test_a_node_on_another_chain_is_refused(demo: LocalDeployment) -> None:
    with pytest.raises(WrongChainError):
        EvmAdapter(demo.chain.w3, demo.adapter.address, demo.wallet, expected_chain_id=1)


def test_a_revert_carries_the_contract_reason(demo: LocalDeployment) -> None:
    with pytest.raises(TransactionRevertedError) as err:
        demo.adapter.set_paused(True)
    assert err.value.code == Code.UNAUTHORIZED and "UNAUTHORIZED" in str(err.value)


def test_a_transaction_reverted_on_chain_is_reported_with_its_reason(demo: LocalDeployment) -> None:
    a = demo.adapter
    tx = {"to": a.address, "data": a.contract.encode_abi("set_paused", args=[True]), "gas": 100_000}
    with pytest.raises(TransactionRevertedError) as err:
        a.sender.send(tx, "pausing")
    assert err.value.code == Code.UNAUTHORIZED and "reverted on chain" in str(err.value)


def test_a_fee_below_the_base_fee_is_a_typed_error(demo: LocalDeployment) -> None:
    owner = demo.adapter_for(demo.owner)
    tx = {"to": owner.address, "data": owner.contract.encode_abi("set_paused", args=[True])}
    with pytest.raises(FeeTooLowError):
        owner.sender.send(tx, "pausing", fee_fields={"maxFeePerGas": 1, "maxPriorityFeePerGas": 1})
    capped = TransactionSender(demo.chain.w3, demo.owner, max_fee_per_gas=1)
    with pytest.raises(FeeTooLowError, match="below the current base fee"):
        capped.send(tx, "pausing")
    assert not owner.paused()


def test_a_claim_whose_block_is_reorganised_away_is_not_paid(demo: LocalDeployment) -> None:
    _, claim = demo_device_claims(demo, b"reorg-device")
    before = demo.chain.snapshot()
    receipt = demo.adapter.submit_batch([claim])
    assert receipt.outcomes[0].paid
    demo.chain.revert(before)                 # the block holding the claim leaves the canonical chain
    demo.chain.tester.mine_blocks(2)
    mined = {"blockNumber": receipt.block_or_slot, "blockHash": bytes.fromhex(receipt.extra["block_hash"][2:])}
    with pytest.raises(ReorgError, match="reorganised away"):
        demo.adapter.sender.wait_final(bytes.fromhex(receipt.tx_id[2:]), mined, "claiming")


def test_a_batch_is_not_returned_before_it_is_final(demo: LocalDeployment) -> None:
    _, claim = demo_device_claims(demo, b"slow-finality")
    patient = EvmAdapter(demo.chain.w3, demo.adapter.address, demo.wallet, finality=3,
                         finality_timeout_s=0.3, poll_s=0.05)
    with pytest.raises(NotFinalError, match="nothing is marked paid"):
        patient.submit_batch([claim])


def test_a_malformed_message_is_refused_locally_and_the_rest_is_sent(demo: LocalDeployment) -> None:
    _, claim = demo_device_claims(demo, b"partly malformed")
    receipt = demo.adapter.submit_batch([SignedMessage(b"junk", b"\x00" * 65), claim])
    assert [o.code for o in receipt.outcomes] == [Code.BAD_SIGNATURE, 0]


def test_a_keystore_opens_with_its_password_only(tmp_path) -> None:
    account = Account.create()
    path = tmp_path / "deployer.json"
    path.write_text(json.dumps(Account.encrypt(account.key, "correct horse", kdf="pbkdf2", iterations=2)))
    assert load_keystore(path, "correct horse").address == account.address
    with pytest.raises(ChainError, match="password"):
        load_keystore(path, "wrong")


def test_deploy_records_the_deployment_id_devices_bind_to() -> None:
    chain = LocalEvm()
    deployed = deploy_contract(chain.w3, chain.accounts[3], default_price_micro_usd=200_000)
    adapter = EvmAdapter(chain.w3, deployed.address, chain.accounts[3], expected_chain_id=LOCAL_CHAIN_ID)
    assert deployed.chain_id == LOCAL_CHAIN_ID and deployed.owner == chain.accounts[3].address
    assert adapter.deployment_id.hex() == deployed.deployment_id[2:]
    assert adapter.params().prices == {0: 200_000}


def test_a_demo_may_start_with_its_own_parameters() -> None:
    params = PayoutParams(min_claim_mwh=100, prices={0: 150_000, 554: 300_000})
    d = local_evm_deployment(params=params)
    assert d.adapter.params() == params


def test_a_scheduled_change_is_read_back_and_applied_once_its_delay_has_passed(demo: LocalDeployment) -> None:
    owner = demo.adapter_for(demo.owner)
    wanted = PayoutParams(min_claim_mwh=500, prices={0: 150_000, 554: 300_000})
    at = owner.schedule_params(wanted)
    assert at is not None and owner.schedule_params(owner.params()) is None   # nothing differs: nothing sent
    pending = demo.adapter.pending_change()
    assert pending is not None and pending.params == wanted and pending.effective_at <= at
    assert demo.adapter.apply_pending() == [] and demo.adapter.params() == PayoutParams()
    demo.chain.travel_to(at)
    assert len(demo.adapter.apply_pending()) == 2      # the parameters and region 554's price
    assert demo.adapter.params() == wanted and demo.adapter.pending_change() is None


def test_a_paid_claim_is_found_by_device_and_seq(demo: LocalDeployment) -> None:
    key, claim = demo_device_claims(demo, b"found later")
    receipt = demo.adapter.submit_batch([claim])
    found = demo.adapter.find_paid_claim(key.address, 2)
    assert found is not None and (found.tx_id, found.tokens) == (receipt.tx_id, receipt.outcomes[0].tokens)
    assert demo.adapter.find_paid_claim(key.address, 3) is None


def test_the_network_state_reads_back_the_era_and_the_mint_window(demo: LocalDeployment) -> None:
    _, claim = demo_device_claims(demo, b"network state")
    receipt = demo.adapter.submit_batch([claim])
    state = demo.adapter.network_state()
    block_time = demo.chain.w3.eth.get_block(receipt.block_or_slot)["timestamp"]
    assert (state.energy_mwh, state.era, state.window_used_mwh, state.window_time) == (66_000, 0, 66_000, block_time)
    assert state.era_left_mwh == PayoutParams().era_length_mwh - 66_000
