"""The Python adapter against the real SBPF program in LiteSVM (`make solana` builds it; the
program's own instruction-by-instruction tests are in tests/onchain/solana)."""

from __future__ import annotations

import pytest
from solders.transaction import Transaction

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.solana import embedded_solana_deployment, layout, packing
from carbon_smart_meter.chains.solana.errors import SolanaTransactionError
from carbon_smart_meter.chains.solana.lookup import decode_table
from carbon_smart_meter.protocol.signing import AttestationMessage, BindMessage, CheckpointMessage, DeviceKey
from carbon_smart_meter.rewards.params import Code
from carbon_smart_meter.rewards.payout import DeviceState, evaluate_claim

pytestmark = pytest.mark.sbf
T0 = 1_700_000_000
DAY = 86_400


@pytest.fixture
def dep():
    d = embedded_solana_deployment(follow_wall_clock=False)
    d.backend.set_unix_time(T0)
    return d


def _register_and_bind(dep, key: DeviceKey, *, rated_w: int = 100, region: int = 0) -> None:
    att = AttestationMessage(key.address, rated_w, 1, 7).encode()
    dep.adapter.register_device(SignedMessage(att, dep.manufacturer.sign(att)))
    bind = BindMessage(key.address, bytes(dep.wallet), dep.adapter.deployment_id, 1, 0, T0, region).encode()
    dep.adapter.bind(SignedMessage(bind, key.sign(bind)))


def _checkpoint(dep, key: DeviceKey, seq: int, energy: int, t: int) -> SignedMessage:
    message = CheckpointMessage(key.address, dep.adapter.deployment_id, seq, energy, t, bytes(32)).encode()
    return SignedMessage(message, key.sign(message))


def test_a_registered_bound_device_is_paid_exactly_what_the_python_preview_says(dep) -> None:
    key = DeviceKey.from_seed(b"sbf-1")
    _register_and_bind(dep, key)
    state = dep.adapter.device_state(key.address)
    assert state is not None and state.wallet == bytes(dep.wallet) and state.rated_w == 100
    dep.backend.set_unix_time(T0 + DAY)
    receipt = dep.adapter.submit_batch([_checkpoint(dep, key, 2, 500_000, T0 + DAY)])
    preview = evaluate_claim(dep.adapter.params(), DeviceState(rated_w=100, last_seq=1, last_time=T0), 0, T0 + DAY,
                             2, 500_000, T0 + DAY)
    assert [(o.code, o.tokens, o.delta_mwh) for o in receipt.outcomes] == [(0, preview.tokens, 500_000)]
    assert dep.adapter.token_balance(dep.wallet) == preview.tokens == 15_000_000
    assert dep.adapter.network_energy_mwh() == 500_000
    print(f"compute units for one claim (SBPF): {receipt.gas_or_compute_units}")


def test_a_replayed_checkpoint_is_reported_as_replay_and_pays_nothing_more(dep) -> None:
    key = DeviceKey.from_seed(b"sbf-2")
    _register_and_bind(dep, key)
    dep.backend.set_unix_time(T0 + DAY)
    claim = _checkpoint(dep, key, 2, 500_000, T0 + DAY)
    dep.adapter.submit_batch([claim])
    again = dep.adapter.submit_batch([claim])
    assert again.outcomes[0].code == Code.REPLAY
    assert dep.adapter.token_balance(dep.wallet) == 15_000_000


def _record_sent(dep, monkeypatch) -> list:  # type: ignore[no-untyped-def]
    sent: list = []
    send = dep.backend.send_and_confirm

    def recording(tx, last_valid):  # type: ignore[no-untyped-def]
        sent.append(tx)
        return send(tx, last_valid)

    monkeypatch.setattr(dep.backend, "send_and_confirm", recording)
    return sent


def test_a_full_batch_of_four_goes_as_one_v0_transaction_through_the_payers_lookup_table(dep, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    keys = [DeviceKey.from_seed(bytes([i])) for i in range(dep.adapter.max_claims_per_batch)]
    assert len(keys) == 4
    for key in keys:
        _register_and_bind(dep, key)
    dep.backend.set_unix_time(T0 + DAY)
    sent = _record_sent(dep, monkeypatch)
    receipt = dep.adapter.submit_batch([_checkpoint(dep, k, 2, 100_000, T0 + DAY) for k in keys])
    assert [o.code for o in receipt.outcomes] == [0] * len(keys)
    assert 0 < receipt.gas_or_compute_units < packing.compute_units(len(keys))
    print(f"compute units for {len(keys)} claims (SBPF): {receipt.gas_or_compute_units}")
    # The claim went as a v0 transaction loading the device accounts from the payer's table
    claim_tx = sent[-1]
    assert str(claim_tx.signatures[0]) == receipt.tx_id and len(bytes(claim_tx)) <= packing.PACKET_DATA_SIZE
    lookups = claim_tx.message.address_table_lookups
    assert len(lookups) == 1 and lookups[0].account_key == dep.adapter._table.key
    table = dep.backend.account_data(lookups[0].account_key)
    assert table is not None
    held = set(decode_table(lookups[0].account_key, table).addresses)
    assert {layout.device_address(k.address, dep.adapter.program_id) for k in keys} <= held
    # A second batch of the same devices reuses the table: one transaction, nothing extended
    size = len(table)
    dep.backend.set_unix_time(T0 + 2 * DAY)
    before = len(sent)
    again = dep.adapter.submit_batch([_checkpoint(dep, k, 3, 200_000, T0 + 2 * DAY) for k in keys])
    assert [o.code for o in again.outcomes] == [0] * len(keys)
    assert len(sent) == before + 1
    assert len(dep.backend.account_data(lookups[0].account_key) or b"") == size
    assert dep.adapter.token_balance(dep.wallet) == 4 * 2 * 3_000_000


def test_a_batch_of_three_goes_as_a_legacy_transaction_without_a_table(dep, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    keys = [DeviceKey.from_seed(bytes([10 + i])) for i in range(3)]
    for key in keys:
        _register_and_bind(dep, key)
    dep.backend.set_unix_time(T0 + DAY)
    sent = _record_sent(dep, monkeypatch)
    receipt = dep.adapter.submit_batch([_checkpoint(dep, k, 2, 100_000, T0 + DAY) for k in keys])
    assert [o.code for o in receipt.outcomes] == [0] * 3
    assert len(sent) == 1 and isinstance(sent[0], Transaction) and dep.adapter._table.key is None


def test_a_paused_deployment_refuses_the_batch_with_paused(dep) -> None:
    key = DeviceKey.from_seed(b"sbf-3")
    _register_and_bind(dep, key)
    authority = dep.authority.payer.pubkey()
    dep.authority.send([layout.admin_ix(authority, layout.set_paused_data(True), dep.authority.program_id)])
    dep.backend.set_unix_time(T0 + DAY)
    with pytest.raises(SolanaTransactionError) as info:
        dep.adapter.submit_batch([_checkpoint(dep, key, 2, 500_000, T0 + DAY)])
    assert info.value.code == Code.PAUSED


def test_a_checkpoint_for_another_deployment_and_an_over_cap_claim_are_skipped_in_a_batch(dep) -> None:
    a, b = DeviceKey.from_seed(b"sbf-4"), DeviceKey.from_seed(b"sbf-5")
    _register_and_bind(dep, a)
    _register_and_bind(dep, b)
    dep.backend.set_unix_time(T0 + DAY)
    foreign = CheckpointMessage(a.address, bytes(32), 2, 500_000, T0 + DAY, bytes(32)).encode()
    receipt = dep.adapter.submit_batch([SignedMessage(foreign, a.sign(foreign)),
                                        _checkpoint(dep, b, 2, 1_600_001, T0 + DAY)])
    assert [o.code for o in receipt.outcomes] == [Code.WRONG_DEPLOYMENT, Code.OVER_CAP]
