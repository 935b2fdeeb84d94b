"""Claim transactions: one secp256k1 instruction per checkpoint, then one ClaimV0 naming them.

A Solana transaction is at most 1232 bytes. Each claim costs its precompile instruction
(~196 bytes: 12 header + 65 signature + 115 message + 4 framing), the device PDA and, when its
wallet differs from the others', a token account: 32 bytes each in a legacy transaction, 1 byte each
in a v0 transaction that loads them from an address lookup table (lookup.py). That makes 3 claims
per legacy transaction and 4 per v0 transaction. `fit` packs greedily by building the real message
and measuring it, so the limit is never estimated.
"""

from __future__ import annotations

from dataclasses import dataclass

from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.compute_budget import set_compute_unit_limit, set_compute_unit_price
from solders.hash import Hash
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message, MessageV0
from solders.null_signer import NullSigner
from solders.pubkey import Pubkey
from solders.transaction import Transaction, VersionedTransaction

from carbon_smart_meter.chains.solana import layout, precompile

PACKET_DATA_SIZE = 1232
# SetComputeUnitLimit for a batch, from the SBPF binary measured in LiteSVM (tests/benchmarks/
# test_solana_compute.py: about 1.6k units per batch plus 2.8k per claim) with headroom for a real
# cluster's different token program and accounts.
BASE_UNITS = 5_000
UNITS_PER_CLAIM = 6_000
MAX_UNITS = 1_400_000


@dataclass(frozen=True)
class ClaimInput:
    """One checkpoint ready to send: its signed bytes and the token account its reward goes to."""

    device: bytes
    message: bytes
    signature: bytes
    destination: Pubkey


def compute_units(claims: int) -> int:
    return min(MAX_UNITS, BASE_UNITS + UNITS_PER_CLAIM * claims)


def compute_budget(claims: int, priority_fee_micro_lamports: int) -> list[Instruction]:
    """With a priority fee: a unit limit (the fee is the limit times the price, so it must be tight)
    and the price. Without one, nothing: the default limit is far above a batch's needs and the fee
    does not depend on it, so the 40 bytes are better spent on claims."""
    if priority_fee_micro_lamports <= 0:
        return []
    return [set_compute_unit_limit(compute_units(claims)), set_compute_unit_price(priority_fee_micro_lamports)]


def claim_instructions(claims: list[ClaimInput], mint: Pubkey, *, priority_fee_micro_lamports: int = 0,
                       program_id: Pubkey = layout.PROGRAM_ID) -> list[Instruction]:
    ixs = compute_budget(len(claims), priority_fee_micro_lamports)
    refs = []
    for c in claims:
        index = len(ixs)
        ixs.append(precompile.device_message_ix(c.message, c.signature, index))
        refs.append((c.device, c.destination, index))
    ixs.append(layout.claim_ix(mint, refs, program_id))
    return ixs


def table_addresses(ixs: list[Instruction], payer: Pubkey) -> list[Pubkey]:
    """The accounts of `ixs` a lookup table can carry: all but signers and invoked programs."""
    programs = {ix.program_id for ix in ixs}
    keys = [m.pubkey for ix in ixs for m in ix.accounts if not m.is_signer]
    return [k for k in dict.fromkeys(keys) if k != payer and k not in programs]


def transaction_size(ixs: list[Instruction], payer: Pubkey,
                     table: AddressLookupTableAccount | None = None) -> int:
    """Serialized size with one signature: legacy, or v0 loading what it can from `table`."""
    if table is None:
        message = Message.new_with_blockhash(ixs, payer, Hash.default())
        return len(bytes(Transaction.new_unsigned(message)))
    v0 = MessageV0.try_compile(payer, ixs, [table], Hash.default())
    return len(bytes(VersionedTransaction(v0, [NullSigner(payer)])))


def fits(ixs: list[Instruction], payer: Pubkey, *, lookup_table: bool) -> bool:
    table = AddressLookupTableAccount(Pubkey.default(), table_addresses(ixs, payer)) if lookup_table else None
    return transaction_size(ixs, payer, table) <= PACKET_DATA_SIZE


def fit(claims: list[ClaimInput], mint: Pubkey, payer: Pubkey, *, priority_fee_micro_lamports: int = 0,
        program_id: Pubkey = layout.PROGRAM_ID, lookup_table: bool = False) -> list[list[ClaimInput]]:
    """Splits `claims` in order into batches whose transactions fit 1232 bytes (as v0 transactions
    with a lookup table holding every non-signer account, when `lookup_table`)."""
    batches: list[list[ClaimInput]] = []
    current: list[ClaimInput] = []
    for c in claims:
        trial = [*current, c]
        ixs = claim_instructions(trial, mint, priority_fee_micro_lamports=priority_fee_micro_lamports,
                                 program_id=program_id)
        too_many = len(trial) > layout.MAX_CLAIMS_PER_INSTRUCTION
        if current and (too_many or not fits(ixs, payer, lookup_table=lookup_table)):
            batches.append(current)
            current = [c]
        else:
            current = trial
    if current:
        batches.append(current)
    return batches


def claims_per_transaction(*, distinct_wallets: bool, priority_fee: bool, lookup_table: bool = False) -> int:
    """How many checkpoints one transaction carries: same wallet for all claims (the usual case for
    one user's devices) or one wallet each (a kiosk operator relaying for many users); legacy, or v0
    with an address lookup table."""
    payer = Keypair().pubkey()
    mint = Keypair().pubkey()
    shared = Keypair().pubkey()
    sample = []
    for i in range(layout.MAX_CLAIMS_PER_INSTRUCTION + 1):
        device = bytes([i + 1]) * 20
        message = b"CSM-CKPT-v1" + device + bytes(115 - 31)
        destination = Keypair().pubkey() if distinct_wallets else shared
        sample.append(ClaimInput(device, message, bytes(65), destination))
    batches = fit(sample, mint, payer, priority_fee_micro_lamports=1 if priority_fee else 0,
                  lookup_table=lookup_table)
    return len(batches[0])
