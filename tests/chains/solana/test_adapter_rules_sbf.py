"""What the Solana adapter gained with RULES.md version 2, against the real binary in LiteSVM: the
same operations the EVM adapter has (scheduled parameters and prices applied after the delay,
revocation, the registered site region, the network state, a paid claim found by device and seq,
the two-step authority), and the client-side chain-id check a program cannot make itself."""

from __future__ import annotations

import pytest
from solders.keypair import Keypair

from carbon_smart_meter.chains.adapter import PaidClaimLookup, SignedMessage
from carbon_smart_meter.chains.solana import accounts, embedded_solana_deployment, layout
from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
from carbon_smart_meter.chains.solana.backend import LiteSvmBackend
from carbon_smart_meter.chains.solana.deploy import deploy_and_initialize
from carbon_smart_meter.chains.solana.program_binary import require_program_binary
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.protocol.signing import AttestationMessage, BindMessage, CheckpointMessage, DeviceKey
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import Code, PayoutParams

pytestmark = pytest.mark.sbf
T0 = 1_700_000_000
DAY = 86_400


@pytest.fixture
def dep():  # type: ignore[no-untyped-def]
    return embedded_solana_deployment(follow_wall_clock=False, start_time=T0)


def _bound(dep, seed: bytes) -> DeviceKey:  # type: ignore[no-untyped-def]
    key = DeviceKey.from_seed(seed)
    att = AttestationMessage(key.address, 100, 1, 7).encode()
    dep.adapter.register_device(SignedMessage(att, dep.manufacturer.sign(att)))
    bind = BindMessage(key.address, bytes(dep.wallet), dep.adapter.deployment_id, 1, 0, T0, 0).encode()
    dep.adapter.bind(SignedMessage(bind, key.sign(bind)))
    return key


def _checkpoint(dep, key: DeviceKey, seq: int, energy: int, t: int) -> SignedMessage:  # type: ignore[no-untyped-def]
    message = CheckpointMessage(key.address, dep.adapter.deployment_id, seq, energy, t, bytes(32)).encode()
    return SignedMessage(message, key.sign(message))


def test_a_scheduled_change_is_read_back_and_applied_once_its_delay_has_passed(dep) -> None:  # type: ignore[no-untyped-def]
    owner = dep.authority
    wanted = PayoutParams(min_claim_mwh=500, prices={0: 150_000, 554: 300_000})
    at = owner.schedule_params(wanted)
    assert at == T0 + owner.params_delay_s() and owner.schedule_params(owner.params()) is None
    pending = dep.adapter.pending_change()
    assert pending is not None and pending.params == wanted and pending.effective_at == at
    assert dep.adapter.apply_pending() == [] and dep.adapter.params() == PayoutParams()
    dep.chain.travel_to(at)
    assert len(dep.adapter.apply_pending()) == 2      # the parameters and region 554's price, by the wallet
    assert dep.adapter.params() == wanted and dep.adapter.pending_change() is None
    # A removal is scheduled and applied the same way
    owner.schedule_params(wanted.with_changes(prices={0: 150_000}))
    dep.chain.travel_to(at + owner.params_delay_s())
    dep.adapter.apply_pending()
    assert dep.adapter.params().prices == {0: 150_000}


def test_revocation_and_reinstatement_through_the_adapter_show_in_the_device_state(dep) -> None:  # type: ignore[no-untyped-def]
    key = _bound(dep, b"adapter revoke")
    dep.authority.revoke_device(key.address)
    state = dep.adapter.device_state(key.address)
    assert state is not None and state.revoked and state.wallet is None
    dep.backend.set_unix_time(T0 + DAY)
    (outcome,) = dep.adapter.submit_batch([_checkpoint(dep, key, 2, 500_000, T0 + DAY)]).outcomes
    assert outcome.code == Code.REVOKED
    dep.authority.reinstate_device(key.address)
    state = dep.adapter.device_state(key.address)
    assert state is not None and not state.revoked and state.wallet is None


def test_a_revoked_manufacturer_shows_its_devices_revoked_until_reinstated(dep) -> None:  # type: ignore[no-untyped-def]
    key = _bound(dep, b"adapter maker")
    dep.authority.set_manufacturer(dep.manufacturer.address, False)
    maker = dep.adapter.manufacturer_account(dep.manufacturer.address)
    assert maker is not None and maker.revoked
    state = dep.adapter.device_state(key.address)
    assert state is not None and state.revoked and state.manufacturer == dep.manufacturer.address
    with pytest.raises(ChainError, match="REVOKED"):
        dep.authority.set_manufacturer(dep.manufacturer.address, True)


def test_the_registered_site_region_prices_the_claim(dep) -> None:  # type: ignore[no-untyped-def]
    dep.authority.schedule_params(PayoutParams(prices={0: 150_000, 554: 300_000}))
    dep.chain.travel_to(T0 + dep.authority.params_delay_s())
    dep.adapter.apply_pending()
    key = _bound(dep, b"adapter region")
    dep.register_site(key.address, 554)
    state = dep.adapter.device_state(key.address)
    assert state is not None and state.region == 554
    t = state.last_time + DAY
    dep.chain.travel_to(t)
    (outcome,) = dep.adapter.submit_batch([_checkpoint(dep, key, 2, 500_000, t)]).outcomes
    assert (outcome.code, outcome.tokens) == (0, 30_000_000)


def test_the_network_state_reads_back_the_era_and_the_mint_window(dep) -> None:  # type: ignore[no-untyped-def]
    key = _bound(dep, b"adapter network")
    dep.backend.set_unix_time(T0 + DAY)
    dep.adapter.submit_batch([_checkpoint(dep, key, 2, 66_000, T0 + DAY)])
    state = dep.adapter.network_state()
    assert state == NetworkState(66_000, 0, PayoutParams().era_length_mwh - 66_000, 66_000, T0 + DAY)


def test_a_paid_claim_is_found_by_device_and_seq_whoever_relayed_it(dep) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(dep.adapter, PaidClaimLookup)
    key = _bound(dep, b"adapter found")
    dep.backend.set_unix_time(T0 + DAY)
    relayer = Keypair()
    dep.backend.svm.airdrop(relayer.pubkey(), 10**9)
    theirs = SolanaAdapter(dep.backend, relayer, program_id=dep.adapter.program_id)
    receipt = theirs.submit_batch([_checkpoint(dep, key, 2, 500_000, T0 + DAY)])
    found = dep.adapter.find_paid_claim(key.address, 2)
    assert found is not None and (found.tx_id, found.tokens, found.delta_mwh) == (
        receipt.tx_id, receipt.outcomes[0].tokens, 500_000)
    assert dep.adapter.find_paid_claim(key.address, 3) is None
    # A refused claim of the same seq is not taken for a payment
    (replayed,) = dep.adapter.submit_batch([_checkpoint(dep, key, 2, 500_000, T0 + DAY)]).outcomes
    assert replayed.code == Code.REPLAY
    again = dep.adapter.find_paid_claim(key.address, 2)
    assert again is not None and again.tx_id == receipt.tx_id


def test_the_authority_moves_in_two_steps_through_the_adapter(dep) -> None:  # type: ignore[no-untyped-def]
    successor = Keypair()
    dep.backend.svm.airdrop(successor.pubkey(), 10**9)
    dep.authority.propose_authority(successor.pubkey())
    new = SolanaAdapter(dep.backend, successor, program_id=dep.adapter.program_id)
    new.accept_authority()
    new.set_paused(True)
    assert new.paused()
    with pytest.raises(ChainError, match="UNAUTHORIZED"):
        dep.authority.set_paused(False)
    with pytest.raises(ChainError, match="PAUSED"):
        new.renounce_authority()


class ChainIdAfterFirst(LiteSvmBackend):
    """A node whose genesis hash (chain id) changes after the first answer: a wrong or switched RPC URL."""

    def __init__(self, svm, later: int) -> None:  # type: ignore[no-untyped-def]
        super().__init__(svm)
        self.later, self.asked = later, 0

    def chain_id(self) -> int:
        self.asked += 1
        return 0 if self.asked == 1 else self.later


def test_deploy_reads_the_config_back_and_stops_when_its_chain_id_is_not_the_clusters() -> None:
    from solders.litesvm import LiteSVM

    svm = LiteSVM()
    payer = Keypair()
    svm.airdrop(payer.pubkey(), 100 * 10**9)
    backend = ChainIdAfterFirst(svm, later=7)
    with pytest.raises(ChainError, match=r"initialised for chain id 0 .* gives chain id 7"):
        deploy_and_initialize(backend, payer, require_program_binary().read_bytes(), program=Keypair())


def test_an_adapter_refuses_a_deployment_whose_config_is_for_another_chain_id(dep) -> None:  # type: ignore[no-untyped-def]
    # Given the config initialised for chain id 0 (LiteSVM) read through a node that reports chain id 7
    cfg = accounts.decode_config(dep.backend.account_data(layout.config_address(dep.adapter.program_id)) or b"")
    assert cfg.chain_id == 0

    class OtherCluster(LiteSvmBackend):
        def chain_id(self) -> int:
            return 7

    adapter = SolanaAdapter(OtherCluster(dep.backend.svm), dep.adapter.payer, program_id=dep.adapter.program_id)
    # Then nothing is bound or claimed for a deployment id the checkpoints would not carry
    with pytest.raises(ChainError, match="check the RPC URL"):
        _ = adapter.deployment_id
    key = DeviceKey.from_seed(b"other cluster")
    with pytest.raises(ChainError, match="check the RPC URL"):
        adapter.submit_batch([_checkpoint(dep, key, 2, 500_000, T0 + DAY)])
    assert cfg.deployment_id == dep.adapter.deployment_id
