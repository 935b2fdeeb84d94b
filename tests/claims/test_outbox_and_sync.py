"""The outbox and the sync engine against the real embedded EVM: pays once, never twice, survives crashes."""

import pytest

from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.evm.local import local_evm_deployment
from carbon_smart_meter.claims.outbox import ClaimsOutbox
from carbon_smart_meter.claims.sync import SyncEngine
from carbon_smart_meter.devices.identity import attest, simulator_key
from carbon_smart_meter.errors import SignatureError
from carbon_smart_meter.protocol.signing import BindMessage, CheckpointMessage, wallet_bytes

T0 = 1_750_000_000
DAY = 86_400


@pytest.fixture
def deployment():
    return local_evm_deployment(manual_clock=True, genesis_timestamp=T0)


def _device_on_chain(dep, seed=1, rated=100):
    key = simulator_key(seed)
    msg, sig = attest(key, rated, serial=seed, manufacturer=dep.manufacturer)
    dep.adapter.register_device(SignedMessage(msg, sig))
    bind = BindMessage(key.address, wallet_bytes(bytes.fromhex(dep.wallet.address[2:])), dep.adapter.deployment_id,
                       1, 0, T0, 554).encode()
    dep.adapter.bind(SignedMessage(bind, key.sign(bind)))
    return key


def _checkpoint(key, dep, seq, energy, t):
    msg = CheckpointMessage(key.address, dep.adapter.deployment_id, seq, energy, t, bytes(32)).encode()
    return msg, key.sign(msg)


def test_the_newest_checkpoint_is_paid_once_and_older_ones_are_settled_by_it(deployment, tmp_path):
    key = _device_on_chain(deployment)
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    for seq, energy, t in [(2, 100_000, T0 + 3600), (3, 200_000, T0 + 7200), (4, 300_000, T0 + DAY)]:
        assert outbox.add(*_checkpoint(key, deployment, seq, energy, t))
    deployment.chain.travel_to(T0 + DAY)
    report = SyncEngine(outbox, deployment.adapter).sync_once()
    assert report.ok and report.paid == 1 and report.submitted == 1
    assert outbox.counts()["paid"] == 1 and outbox.counts()["settled"] == 2
    assert report.tokens == deployment.adapter.token_balance(deployment.wallet.address) > 0
    again = SyncEngine(outbox, deployment.adapter).sync_once()
    assert again.submitted == 0 and deployment.adapter.token_balance(deployment.wallet.address) == report.tokens


def test_a_crash_after_sending_settles_from_chain_state_without_a_second_claim(deployment, tmp_path):
    key = _device_on_chain(deployment)
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    outbox.add(*_checkpoint(key, deployment, 2, 300_000, T0 + DAY))
    deployment.chain.travel_to(T0 + DAY)
    rows = outbox.newest_claimable(deployment.adapter.deployment_id)
    outbox.mark_submitted(rows, "sending")
    deployment.adapter.submit_batch([rows[0].signed])  # sent, then the app "crashed" before recording it
    balance = deployment.adapter.token_balance(deployment.wallet.address)
    reopened = ClaimsOutbox(tmp_path / "outbox.sqlite")
    report = SyncEngine(reopened, deployment.adapter).sync_once()
    assert report.submitted == 0 and report.settled_by_chain == 1
    assert reopened.counts()["paid"] == 1
    assert deployment.adapter.token_balance(deployment.wallet.address) == balance


def test_a_claim_below_the_threshold_is_deferred_until_a_newer_checkpoint_covers_it(deployment, tmp_path):
    key = _device_on_chain(deployment)
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    outbox.add(*_checkpoint(key, deployment, 2, 5_000, T0 + 3600))
    deployment.chain.travel_to(T0 + 3600)
    first = SyncEngine(outbox, deployment.adapter).sync_once()
    assert first.deferred == 1 and first.paid == 0
    assert SyncEngine(outbox, deployment.adapter).sync_once().submitted == 0  # no fees wasted on retries
    outbox.add(*_checkpoint(key, deployment, 3, 50_000, T0 + 7200))
    deployment.chain.travel_to(T0 + 7200)
    second = SyncEngine(outbox, deployment.adapter).sync_once()
    assert second.paid == 1
    assert outbox.counts()["settled"] == 1


def test_an_unreachable_chain_leaves_the_outbox_untouched(deployment, tmp_path):
    from web3 import Web3

    key = _device_on_chain(deployment)
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    outbox.add(*_checkpoint(key, deployment, 2, 300_000, T0 + DAY))
    # The ship's link drops: the same adapter now talks to a port where nothing listens.
    deployment.chain.w3.provider = Web3.HTTPProvider("http://127.0.0.1:9", request_kwargs={"timeout": 2})
    report = SyncEngine(outbox, deployment.adapter).sync_once()
    assert not report.ok and "unreachable" in report.error
    assert outbox.counts()["pending"] == 1 and report.submitted == 0


def test_a_forged_checkpoint_is_never_queued(deployment, tmp_path):
    key = _device_on_chain(deployment)
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    msg, _ = _checkpoint(key, deployment, 2, 300_000, T0 + DAY)
    with pytest.raises(SignatureError, match="not signed by device"):
        outbox.add(msg, simulator_key(99).sign(msg))
    assert outbox.all() == []


def test_a_replayed_checkpoint_is_stored_once(deployment, tmp_path):
    key = _device_on_chain(deployment)
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    ck = _checkpoint(key, deployment, 2, 300_000, T0 + DAY)
    assert outbox.add(*ck) and not outbox.add(*ck)


# -- claims someone else relayed first ---------------------------------------------------------------

def _relayer(deployment):
    """Anyone may send a device's checkpoint (the chain pays the bound wallet): here dev account 3."""
    return deployment.adapter_for(deployment.chain.accounts[3])


def test_a_claim_someone_else_relayed_first_is_recorded_paid_with_their_transaction(deployment, tmp_path):
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
    """The chain adapter, with another relayer's transaction landing between our reconcile and our send."""

    def __init__(self, deployment):
        self._inner, self._relayer, self.relayed = deployment.adapter, _relayer(deployment), []

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def submit_batch(self, claims):
        self.relayed.append(self._relayer.submit_batch(claims))
        return self._inner.submit_batch(claims)

    def submit_batch_recorded(self, claims, before_send):
        self.relayed.append(self._relayer.submit_batch(claims))
        return self._inner.submit_batch_recorded(claims, before_send)


def test_a_claim_relayed_while_ours_was_in_flight_is_paid_not_rejected(deployment, tmp_path):
    key = _device_on_chain(deployment)
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    outbox.add(*_checkpoint(key, deployment, 2, 100_000, T0 + 3600))
    outbox.add(*_checkpoint(key, deployment, 3, 300_000, T0 + DAY))
    deployment.chain.travel_to(T0 + DAY)
    chain = _RelayedJustBefore(deployment)

    report = SyncEngine(outbox, chain).sync_once()

    (theirs,) = chain.relayed
    assert report.ok and report.submitted == 1 and report.rejected == 0 and report.paid == 0
    assert report.paid_elsewhere == 1
    rows = {r.seq: r for r in outbox.all()}
    assert (rows[3].status, rows[3].tx_id, rows[3].tokens) == ("paid", theirs.tx_id, theirs.outcomes[0].tokens)
    assert rows[2].status == "settled"


def test_a_second_sync_of_the_same_outbox_says_so_and_changes_nothing(deployment, tmp_path):
    from carbon_smart_meter.claims.sync_lock import SyncLock

    key = _device_on_chain(deployment)
    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    outbox.add(*_checkpoint(key, deployment, 2, 300_000, T0 + DAY))
    deployment.chain.travel_to(T0 + DAY)
    with SyncLock(outbox.path):  # another process (the ship service, `csm claims sync`) is syncing it
        report = SyncEngine(outbox, deployment.adapter).sync_once()
    assert not report.ok and "another claims sync is running" in report.error
    assert outbox.counts()["pending"] == 1 and report.submitted == 0
    assert SyncEngine(outbox, deployment.adapter).sync_once().paid == 1  # the lock went with its holder


def test_a_sync_with_nothing_to_send_still_finds_out_that_there_is_no_link(deployment, tmp_path):
    """The ship's status must say "offline" while the link is down, not report a success that never spoke
    to the node (before: an empty outbox "synced" fine with the node unreachable)."""
    from web3 import Web3

    outbox = ClaimsOutbox(tmp_path / "outbox.sqlite")
    assert SyncEngine(outbox, deployment.adapter).sync_once().ok
    deployment.chain.w3.provider = Web3.HTTPProvider("http://127.0.0.1:9", request_kwargs={"timeout": 2})
    report = SyncEngine(outbox, deployment.adapter).sync_once()
    assert not report.ok and "unreachable" in report.error
