"""How many claims one 1232-byte transaction carries, measured on real serialized transactions,
and that a packed batch's precompile instructions all verify in LiteSVM."""

from __future__ import annotations

from solders.address_lookup_table_account import AddressLookupTableAccount
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


def test_three_claims_fit_a_legacy_transaction_and_four_a_v0_one_with_a_lookup_table() -> None:
    # Whether wallets are shared or not, with or without a priority fee
    for distinct in (False, True):
        for fee in (False, True):
            assert packing.claims_per_transaction(distinct_wallets=distinct, priority_fee=fee) == 3
            assert packing.claims_per_transaction(distinct_wallets=distinct, priority_fee=fee,
                                                  lookup_table=True) == 4


def test_four_claims_serialize_within_1232_bytes_as_v0_and_five_do_not() -> None:
    payer, mint = Keypair().pubkey(), Keypair().pubkey()
    sizes = []
    for n in (4, 5):
        ixs = packing.claim_instructions(_claims(n, distinct_wallets=True), mint, priority_fee_micro_lamports=1)
        table = AddressLookupTableAccount(Keypair().pubkey(), packing.table_addresses(ixs, payer))
        sizes.append(packing.transaction_size(ixs, payer, table))
    assert sizes[0] <= packing.PACKET_DATA_SIZE < sizes[1], sizes


def test_the_lookup_table_never_holds_the_payer_a_signer_or_an_invoked_program() -> None:
    payer, mint = Keypair().pubkey(), Keypair().pubkey()
    ixs = packing.claim_instructions(_claims(2, distinct_wallets=True), mint, priority_fee_micro_lamports=1)
    addresses = packing.table_addresses(ixs, payer)
    programs = {ix.program_id for ix in ixs}
    assert payer not in addresses and not programs & set(addresses)
    assert mint in addresses and len(addresses) == len(set(addresses))


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
    with_table = packing.fit(claims, Keypair().pubkey(), Keypair().pubkey(), lookup_table=True)
    assert [len(b) for b in with_table] == [4, 3]
    assert [c for b in with_table for c in b] == claims


def test_a_packed_batchs_precompile_instructions_verify_in_litesvm(svm, payer) -> None:
    # Given a full batch (compute budget + 3 precompiles + claim); the program is not loaded here,
    # so send everything but the final claim instruction: indices and offsets stay as packed
    ixs = packing.claim_instructions(_claims(3, distinct_wallets=True), Keypair().pubkey(),
                                     priority_fee_micro_lamports=5)
    assert [ix.program_id for ix in ixs[2:5]] == [SECP256K1_PROGRAM] * 3
    blockhash = svm.latest_blockhash()
    tx = Transaction([payer], Message.new_with_blockhash(ixs[:-1], payer.pubkey(), blockhash), blockhash)
    assert isinstance(svm.send_transaction(tx), TransactionMetadata)
