"""Address lookup tables, so a v0 transaction names each account in one byte instead of 32.

A claim costs its secp256k1 instruction (196 bytes, which no table can shorten) plus a device account
and a token account: 64 bytes in a legacy transaction, 2 bytes through a table. That is the difference
between 3 and 4 claims in 1232 bytes (packing.py measures it). The payer owns one table per
deployment it claims on, holding the deployment's fixed accounts and every device and token account
it has claimed for; addresses are added before the batch that needs them and become usable one slot
later (the runtime's rule), which the backend waits for.

Instruction layouts are the program's bincode encoding: a u32 tag, then the fields little-endian
(`ExtendLookupTable` carries a u64-length list of addresses). A table holds at most 256 addresses; a
full one is replaced by a new one.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from solders.address_lookup_table_account import (
    ID as LOOKUP_TABLE_PROGRAM,
)
from solders.address_lookup_table_account import (
    LOOKUP_TABLE_MAX_ADDRESSES,
    AddressLookupTable,
    AddressLookupTableAccount,
    derive_lookup_table_address,
)
from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey

SYSTEM_PROGRAM = Pubkey.from_string("11111111111111111111111111111111")
_CREATE = 0
_EXTEND = 2
# Addresses per ExtendLookupTable transaction: 30 x 32 bytes leaves room for the rest of the message.
EXTEND_CHUNK = 24


def create_lookup_table_ix(authority: Pubkey, payer: Pubkey, recent_slot: int) -> tuple[Instruction, Pubkey]:
    table, bump = derive_lookup_table_address(authority, recent_slot)
    accounts = [AccountMeta(table, False, True), AccountMeta(authority, True, False),
                AccountMeta(payer, True, True), AccountMeta(SYSTEM_PROGRAM, False, False)]
    return Instruction(LOOKUP_TABLE_PROGRAM, struct.pack("<IQB", _CREATE, recent_slot, bump), accounts), table


def extend_lookup_table_ix(table: Pubkey, authority: Pubkey, payer: Pubkey,
                           addresses: list[Pubkey]) -> Instruction:
    data = struct.pack("<IQ", _EXTEND, len(addresses)) + b"".join(bytes(a) for a in addresses)
    accounts = [AccountMeta(table, False, True), AccountMeta(authority, True, False),
                AccountMeta(payer, True, True), AccountMeta(SYSTEM_PROGRAM, False, False)]
    return Instruction(LOOKUP_TABLE_PROGRAM, data, accounts)


def decode_table(key: Pubkey, data: bytes) -> AddressLookupTableAccount:
    return AddressLookupTableAccount(key, list(AddressLookupTable.deserialize(data).addresses))


class LookupTable:
    """The payer's table for one deployment: created on first use, extended with what a batch needs.

    `ensure(addresses)` returns a table account holding all of `addresses` that the next transaction
    can use. It sends at most a create and a few extends, then waits for the next slot."""

    def __init__(self, adapter: object) -> None:
        self.adapter = adapter
        self.key: Pubkey | None = None
        self.addresses: list[Pubkey] = []

    def ensure(self, needed: Iterable[Pubkey]) -> AddressLookupTableAccount:
        from carbon_smart_meter.chains.solana.adapter import SolanaAdapter

        adapter: SolanaAdapter = self.adapter  # type: ignore[assignment]
        backend = adapter.backend
        needed = list(dict.fromkeys(needed))
        if self.key is not None:
            data = backend.account_data(self.key)
            self.addresses = [] if data is None else list(decode_table(self.key, data).addresses)
        missing = [a for a in needed if a not in self.addresses]
        if self.key is None or len(self.addresses) + len(missing) > LOOKUP_TABLE_MAX_ADDRESSES:
            payer = adapter.payer.pubkey()
            create, self.key = create_lookup_table_ix(payer, payer, backend.recent_slot())
            adapter.send([create])
            self.addresses = []
            missing = needed
        if missing:
            payer = adapter.payer.pubkey()
            slot = 0
            for i in range(0, len(missing), EXTEND_CHUNK):
                result = adapter.send([extend_lookup_table_ix(self.key, payer, payer, missing[i:i + EXTEND_CHUNK])])
                slot = max(slot, result.slot)
            self.addresses += missing
            backend.wait_for_slot_after(slot)
        return AddressLookupTableAccount(self.key, list(self.addresses))
