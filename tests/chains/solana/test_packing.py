"""How many claims one 1232-byte transaction carries, measured on real serialized transactions,
and that a packed batch's precompile instructions all verify in LiteSVM."""

from __future__ import annotations

from solders.keypair import Keypair
from solders.message import Message
from solders.transaction import Transaction
from solders.transaction_metadata import TransactionMetadata

from carbon_smart_meter.chains.solana import packing
from carbon_smart_meter.chains.solana.layout import SECP256K1_PROGRAM
from carbon_smart_meter.protocol.signing import CheckpointMessage, DeviceKey


def _claims(n: int, *, distinct_wallets: bool) -> list[packing.ClaimInput]:
    shared = Keypair().pubkey()
    out = []
    for i in range(n):
        key = DeviceKey.from_seed(bytes([i]))
        checkpoint = CheckpointMessage(key.address, bytes(32), i + 1, 10_000 * (i + 1), 1_700_000_000 + i, bytes(32))
        message = checkpoint.encode()
        out.append(packing.ClaimInput(key.address, message, key.sign(message),
                                      Keypair().pubkey() if distinct_wallets else shared))
    return out


def test_three_claims_fit_one_transaction_whether_wallets_are_shared_or_not_and_with_a_priority_fee() -> None:
    for distinct in (False, True):
        for fee in (False, True):
            assert packing.claims_per_transaction(distinct_wallets=distinct, priority_fee=fee) == 3


def test_three_claims_serialize_within_1232_bytes_and_four_do_not() -> None:
    payer, mint = Keypair().pubkey(), Keypair().pubkey()
    sizes = [packing.transaction_size(packing.claim_instructions(_claims(n, distinct_wallets=True), mint,
                                                                 priority_fee_micro_lamports=1), payer)
             for n in (3, 4)]
    assert sizes[0] <= packing.PACKET_DATA_SIZE < sizes[1], sizes


def test_fit_splits_a_long_queue_in_order_into_full_transactions() -> None:
    claims = _claims(7, distinct_wallets=False)
    batches = packing.fit(claims, Keypair().pubkey(), Keypair().pubkey())
    assert [len(b) for b in batches] == [3, 3, 1]
    assert [c for b in batches for c in b] == claims


def test_a_packed_batchs_precompile_instructions_verify_in_litesvm(svm, payer) -> None:
    # Given a full batch (compute budget + 3 precompiles + claim); the program is not loaded here,
    # so send everything but the final claim instruction: indices and offsets stay as packed
    ixs = packing.claim_instructions(_claims(3, distinct_wallets=True), Keypair().pubkey(),
                                     priority_fee_micro_lamports=5)
    assert [ix.program_id for ix in ixs[2:5]] == [SECP256K1_PROGRAM] * 3
    blockhash = svm.latest_blockhash()
    tx = Transaction([payer], Message.new_with_blockhash(ixs[:-1], payer.pubkey(), blockhash), blockhash)
    assert isinstance(svm.send_transaction(tx), TransactionMetadata)
