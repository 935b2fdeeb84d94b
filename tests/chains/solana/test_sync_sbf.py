"""The claims outbox and sync engine against the real Solana program in LiteSVM, as
tests/claims/test_outbox_and_sync.py runs them against the embedded EVM: a checkpoint someone else
relayed first is recorded as paid with their transaction, never as rejected."""

from __future__ import annotations

import pytest
from solders.keypair import Keypair

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.solana import embedded_solana_deployment
from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.claims.sync import SyncEngine
from carbon_smart_meter.devices.identity import attest, simulator_key
from carbon_smart_meter.protocol.signing import BindMessage, CheckpointMessage, wallet_bytes

pytestmark = pytest.mark.sbf
T0 = 1_750_000_000
DAY = 86_400


@pytest.fixture
def deployment():  # type: ignore[no-untyped-def]
    return embedded_solana_deployment(follow_wall_clock=False, start_time=T0)


def _device_on_chain(dep, seed: int = 1):  # type: ignore[no-untyped-def]
    key = simulator_key(seed)
    msg, sig = attest(key, 100, serial=seed, manufacturer=dep.manufacturer)
    dep.adapter.register_device(SignedMessage(msg, sig))
    bind = BindMessage(key.address, wallet_bytes(bytes(dep.wallet)), dep.adapter.deployment_id, 1, 0, T0, 554).encode()
    dep.adapter.bind(SignedMessage(bind, key.sign(bind)))
    return key


def _checkpoint(key, dep, seq: int, energy: int, t: int) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    msg = CheckpointMessage(key.address, dep.adapter.deployment_id, seq, energy, t, bytes(32)).encode()
    return msg, key.sign(msg)


def _relayer(dep) -> SolanaAdapter:  # type: ignore[no-untyped-def]
    """Anyone may send a device's checkpoint (the program pays the bound wallet): a funded stranger."""
    stranger = Keypair()
    dep.backend.svm.airdrop(stranger.pubkey(), 10**9)
    return SolanaAdapter(dep.backend, stranger, program_id=dep.adapter.program_id)


def test_the_newest_checkpoint_is_paid_once_and_older_ones_are_settled_by_it(deployment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = _device_on_chain(deployment)
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    for seq, energy, t in [(2, 100_000, T0 + 3600), (3, 200_000, T0 + 7200), (4, 300_000, T0 + DAY)]:
        assert outbox.add(*_checkpoint(key, deployment, seq, energy, t))
    deployment.chain.travel_to(T0 + DAY)
    report = SyncEngine(outbox, deployment.adapter).sync_once()
    assert report.ok and report.paid == 1 and report.submitted == 1
    assert outbox.counts()["paid"] == 1 and outbox.counts()["settled"] == 2
    assert report.tokens == deployment.adapter.token_balance(deployment.wallet) > 0


def test_a_claim_someone_else_relayed_first_is_recorded_paid_with_their_transaction(deployment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = _device_on_chain(deployment)
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    ck = _checkpoint(key, deployment, 2, 300_000, T0 + DAY)
    outbox.add(*ck)
    deployment.chain.travel_to(T0 + DAY)
    theirs = _relayer(deployment).submit_batch([SignedMessage(*ck)])
    assert theirs.outcomes[0].paid

    report = SyncEngine(outbox, deployment.adapter).sync_once()

    assert report.ok and report.submitted == 0 and report.rejected == 0 and report.paid_elsewhere == 1
    (row,) = outbox.all()
    assert (row.status, row.tx_id, row.tokens) == ("paid", theirs.tx_id, theirs.outcomes[0].tokens)


class _RelayedJustBefore:
    """The Solana adapter, with another relayer's transaction landing between our reconcile and our send."""

    def __init__(self, deployment) -> None:  # type: ignore[no-untyped-def]
        self._inner, self._relayer, self.relayed = deployment.adapter, _relayer(deployment), []

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._inner, name)

    def submit_batch(self, claims):  # type: ignore[no-untyped-def]
        self.relayed.append(self._relayer.submit_batch(claims))
        return self._inner.submit_batch(claims)

    def submit_batch_recorded(self, claims, before_send):  # type: ignore[no-untyped-def]
        self.relayed.append(self._relayer.submit_batch(claims))
        return self._inner.submit_batch_recorded(claims, before_send)


def test_a_claim_relayed_while_ours_was_in_flight_is_paid_not_rejected(deployment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = _device_on_chain(deployment)
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    outbox.add(*_checkpoint(key, deployment, 2, 100_000, T0 + 3600))
    outbox.add(*_checkpoint(key, deployment, 3, 300_000, T0 + DAY))
    deployment.chain.travel_to(T0 + DAY)
    chain = _RelayedJustBefore(deployment)

    report = SyncEngine(outbox, chain).sync_once()  # type: ignore[arg-type]

    (theirs,) = chain.relayed
    assert report.ok and report.submitted == 1 and report.rejected == 0 and report.paid == 0
    assert report.paid_elsewhere == 1
    rows = {r.seq: r for r in outbox.all()}
    assert (rows[3].status, rows[3].tx_id, rows[3].tokens) == ("paid", theirs.tx_id, theirs.outcomes[0].tokens)
    assert rows[2].status == "settled"


# -- the transaction is recorded before it is sent (issue 16) ----------------------------------------

class _Crash(BaseException):
    """The process dies here (a BaseException, as a kill is: nothing after it runs)."""


class _CrashAfterSending:
    """Our adapter, dying after the chain confirmed the transaction and before the receipt was written."""

    def __init__(self, deployment):  # type: ignore[no-untyped-def]
        self._inner = deployment.adapter

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._inner, name)

    def submit_batch_recorded(self, claims, before_send):  # type: ignore[no-untyped-def]
        self._inner.submit_batch_recorded(claims, before_send)
        raise _Crash


def test_a_receipt_lost_in_a_crash_is_read_back_from_the_recorded_signature(deployment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = _device_on_chain(deployment)
    path = tmp_path / "outbox.sqlite"
    ClaimsOutbox(path).add(*_checkpoint(key, deployment, 2, 300_000, T0 + DAY))
    deployment.chain.travel_to(T0 + DAY)
    with pytest.raises(_Crash):
        SyncEngine(ClaimsOutbox(path), _CrashAfterSending(deployment)).sync_once()  # type: ignore[arg-type]
    (tx,) = ClaimsOutbox(path).transactions()
    paid = deployment.adapter.token_balance(deployment.wallet)
    assert paid > 0 and ClaimsOutbox(path).all()[0].tx_id == tx.tx_id  # the signature, never "sending"

    report = SyncEngine(ClaimsOutbox(path), deployment.adapter).sync_once()

    assert report.ok and report.recovered == 1 and report.submitted == 0
    (row,) = ClaimsOutbox(path).all()
    assert (row.status, row.tx_id, row.tokens) == ("paid", tx.tx_id, paid)
    assert deployment.adapter.token_balance(deployment.wallet) == paid


class _CrashBeforeSending:
    def __init__(self, deployment):  # type: ignore[no-untyped-def]
        self._inner = deployment.adapter

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._inner, name)

    def submit_batch_recorded(self, claims, before_send):  # type: ignore[no-untyped-def]
        def hook(tx):  # type: ignore[no-untyped-def]
            before_send(tx)
            raise _Crash
        return self._inner.submit_batch_recorded(claims, hook)


def test_a_transaction_recorded_and_never_sent_is_replaced_once_its_blockhash_expired(deployment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = _device_on_chain(deployment)
    path = tmp_path / "outbox.sqlite"
    ClaimsOutbox(path).add(*_checkpoint(key, deployment, 2, 300_000, T0 + DAY))
    deployment.chain.travel_to(T0 + DAY)
    with pytest.raises(_Crash):
        SyncEngine(ClaimsOutbox(path), _CrashBeforeSending(deployment)).sync_once()  # type: ignore[arg-type]
    assert deployment.adapter.token_balance(deployment.wallet) == 0

    report = SyncEngine(ClaimsOutbox(path), deployment.adapter).sync_once()

    assert report.ok and report.recovered == 1 and report.paid == 1 and report.submitted == 1
    # LiteSVM keeps one blockhash: the new transaction may be byte-identical to the dropped one.
    assert [t.state for t in ClaimsOutbox(path).transactions()].count("final") == 1
    (row,) = ClaimsOutbox(path).all()
    assert row.status == "paid" and row.tokens == deployment.adapter.token_balance(deployment.wallet) > 0


def test_a_bind_signed_offline_goes_on_chain_with_the_first_sync_and_its_claims_are_paid(deployment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The ship binds at sea (the adapter signs, the outbox keeps bind and attestation); the bound wallet's
    first sync registers and binds the device, then pays its checkpoint, on the real program in LiteSVM."""
    key = simulator_key(7)
    attestation = SignedMessage(*attest(key, 100, serial=7, manufacturer=deployment.manufacturer))
    bind = BindMessage(key.address, wallet_bytes(bytes(deployment.wallet)), deployment.adapter.deployment_id, 1, 0,
                       T0, 554).encode()
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    outbox.add_binding(bind, key.sign(bind), attestation=attestation, deployment="litesvm")
    assert deployment.adapter.device_state(key.address) is None
    deployment.chain.travel_to(T0 + 60)
    first = SyncEngine(outbox, deployment.adapter).sync_once()
    assert first.ok and first.bound == 1 and not first.bind_errors
    outbox.add(*_checkpoint(key, deployment, 2, 200_000, T0 + DAY))
    deployment.chain.travel_to(T0 + DAY)

    report = SyncEngine(outbox, deployment.adapter).sync_once()

    assert report.ok and report.paid == 1 and report.bound == 0
    (b,) = outbox.bindings()
    assert b.tx_id is not None and b.tx_id != "on chain"
    assert report.tokens == deployment.adapter.token_balance(deployment.wallet) > 0
