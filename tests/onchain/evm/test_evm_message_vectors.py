"""onchain/vectors/messages.json byte for byte: the embedded chain's first deployment is the vector's
deployment (chain 31337, address 0x5FbDB...), so its attestation, bind and checkpoint signatures are
accepted exactly as published."""

from __future__ import annotations

from tests.onchain.evm.evm_contract_support import MESSAGE_VECTORS as V

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.evm.local import LocalDeployment
from carbon_smart_meter.protocol.signing import CHAIN_KIND_EVM, deployment_id


def signed(name: str) -> SignedMessage:
    return SignedMessage(bytes.fromhex(V[name]["message"]), bytes.fromhex(V[name]["signature"]))


def test_the_contract_derives_the_vector_deployment_id(evm: LocalDeployment) -> None:
    (vector,) = [d for d in V["deployments"] if d["chain_kind"] == CHAIN_KIND_EVM]
    assert evm.adapter.address.lower() == "0x" + vector["program"][24:]
    assert evm.adapter.deployment_id.hex() == vector["deployment_id"]
    assert deployment_id(CHAIN_KIND_EVM, 31337, bytes.fromhex(evm.adapter.address[2:])).hex() == vector["deployment_id"]


def test_the_vector_messages_register_bind_and_claim(evm: LocalDeployment) -> None:
    owner = evm.adapter_for(evm.owner)          # the vector's wallet is dev account 0, the owner
    owner.set_manufacturer(bytes.fromhex(V["keys"]["manufacturer_address"]), True)
    owner.register_device(signed("attestation"))
    # The bind declares NZ (554); the price region is the site the deployment's authority registers.
    owner.set_device_region(bytes.fromhex(V["keys"]["device_address"]), V["bind"]["fields"]["region"])
    evm.chain.travel_to(V["bind"]["fields"]["device_time"])
    owner.bind(signed("bind"))
    evm.chain.travel_to(V["checkpoint"]["fields"]["device_time"])

    (outcome,) = owner.submit_batch([signed("checkpoint")]).outcomes

    # 234 567 mWh in NZ (region 554, 0.30 USD/kWh) at a 20 % share: 14 074 µUSD -> 14 074 000 units.
    assert (outcome.code, outcome.delta_mwh, outcome.tokens) == (0, 234_567, 14_074_000)
    state = owner.device_state(bytes.fromhex(V["keys"]["device_address"]))
    assert state is not None and state.chain_head.hex() == V["checkpoint"]["fields"]["chain_head"]
    assert state.region == 554 and state.rated_w == 100 and state.hw_class == 1
