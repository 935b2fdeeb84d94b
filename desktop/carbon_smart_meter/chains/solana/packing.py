"""Claim transactions: one secp256k1 instruction per checkpoint, then one ClaimV0 naming them.

A Solana transaction is at most 1232 bytes. Each claim costs its precompile instruction
(~196 bytes: 12 header + 65 signature + 115 message + 4 framing), the device PDA (32 bytes) and, when
its wallet differs from the others', a token account (32 bytes). `fit` packs greedily by building the
real message and measuring it, so the limit is never estimated.
"""

from __future__ import annotations

from dataclasses import dataclass

from solders.compute_budget import set_compute_unit_limit, set_compute_unit_price
from solders.hash import Hash
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction

from carbon_smart_meter.chains.solana import layout, precompile

PACKET_DATA_SIZE = 1232
# Budget per claim for SetComputeUnitLimit. Native program-test meters only the SPL MintTo CPI and
# syscalls (~4.5k CU per claim); the SBF program's own work is not measured there, so keep headroom.
BASE_UNITS = 20_000
UNITS_PER_CLAIM = 60_000
MAX_UNITS = 1_400_000


@dataclass(frozen=True)
class ClaimInput:
    """One checkpoint ready to send: its signed bytes and the token account its reward goes to."""

    device: bytes
    message: bytes
    signature: bytes
    destination: Pubkey


def compute_budget(claims: int, priority_fee_micro_lamports: int) -> list[Instruction]:
    """Unit limit always (so the fee is predictable); unit price only when a priority fee is set."""
    units = min(MAX_UNITS, BASE_UNITS + UNITS_PER_CLAIM * claims)
    out = [set_compute_unit_limit(units)]
    if priority_fee_micro_lamports > 0:
        out.append(set_compute_unit_price(priority_fee_micro_lamports))
    return out


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


def transaction_size(ixs: list[Instruction], payer: Pubkey) -> int:
    """Serialized size of a legacy transaction with these instructions and one signature."""
    message = Message.new_with_blockhash(ixs, payer, Hash.default())
    return len(bytes(Transaction.new_unsigned(message)))


def fit(claims: list[ClaimInput], mint: Pubkey, payer: Pubkey, *, priority_fee_micro_lamports: int = 0,
        program_id: Pubkey = layout.PROGRAM_ID) -> list[list[ClaimInput]]:
    """Splits `claims` in order into batches whose transactions fit 1232 bytes."""
    batches: list[list[ClaimInput]] = []
    current: list[ClaimInput] = []
    for c in claims:
        trial = [*current, c]
        ixs = claim_instructions(trial, mint, priority_fee_micro_lamports=priority_fee_micro_lamports,
                                 program_id=program_id)
        too_many = len(trial) > layout.MAX_CLAIMS_PER_INSTRUCTION
        if current and (too_many or transaction_size(ixs, payer) > PACKET_DATA_SIZE):
            batches.append(current)
            current = [c]
        else:
            current = trial
    if current:
        batches.append(current)
    return batches


def claims_per_transaction(*, distinct_wallets: bool, priority_fee: bool) -> int:
    """How many checkpoints one transaction carries: same wallet for all claims (the usual case for
    one user's devices) or one wallet each (a kiosk operator relaying for many users)."""
    payer = Keypair().pubkey()
    mint = Keypair().pubkey()
    shared = Keypair().pubkey()
    sample = []
    for i in range(layout.MAX_CLAIMS_PER_INSTRUCTION + 1):
        device = bytes([i + 1]) * 20
        message = b"CSM-CKPT-v1" + device + bytes(115 - 31)
        destination = Keypair().pubkey() if distinct_wallets else shared
        sample.append(ClaimInput(device, message, bytes(65), destination))
    batches = fit(sample, mint, payer, priority_fee_micro_lamports=1 if priority_fee else 0)
    return len(batches[0])
