"""Deploying a program through BPFLoaderUpgradeable (loader v3), as `solana program deploy` does.

Three steps, each an ordinary transaction: create and initialise a buffer account, write the ELF into
it in chunks that fit a transaction, then create the program account and `DeployWithMaxDataLen`,
which copies the buffer into the program-data account and makes the deployer the upgrade authority.
The same code deploys into the embedded LiteSVM and onto a real cluster, so the demo exercises the
path a real deployment takes. Instruction layouts are the loader's bincode encoding (a u32 tag, then
the fields little-endian; `Write` carries a u64-length byte vector).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.system_program import CreateAccountParams, create_account
from solders.transaction import Transaction

LOADER_V3 = Pubkey.from_string("BPFLoaderUpgradeab1e11111111111111111111111")
SYSTEM_PROGRAM = Pubkey.from_string("11111111111111111111111111111111")
RENT_SYSVAR = Pubkey.from_string("SysvarRent111111111111111111111111111111111")
CLOCK_SYSVAR = Pubkey.from_string("SysvarC1ock11111111111111111111111111111111")
PACKET_DATA_SIZE = 1232
# UpgradeableLoaderState sizes: Buffer {authority: Option<Pubkey>}, Program {programdata}, ProgramData
# {slot, upgrade_authority: Option<Pubkey>}, each behind a u32 enum tag.
BUFFER_METADATA = 4 + 1 + 32
PROGRAM_LEN = 4 + 32
PROGRAMDATA_METADATA = 4 + 8 + 1 + 32

_INITIALIZE_BUFFER = 0
_WRITE = 1
_DEPLOY_WITH_MAX_DATA_LEN = 2


def programdata_address(program_id: Pubkey) -> Pubkey:
    return Pubkey.find_program_address([bytes(program_id)], LOADER_V3)[0]


def initialize_buffer_ix(buffer: Pubkey, authority: Pubkey) -> Instruction:
    return Instruction(LOADER_V3, struct.pack("<I", _INITIALIZE_BUFFER),
                       [AccountMeta(buffer, False, True), AccountMeta(authority, False, False)])


def write_ix(buffer: Pubkey, authority: Pubkey, offset: int, chunk: bytes) -> Instruction:
    data = struct.pack("<IIQ", _WRITE, offset, len(chunk)) + chunk
    return Instruction(LOADER_V3, data, [AccountMeta(buffer, False, True), AccountMeta(authority, True, False)])


def deploy_with_max_data_len_ix(payer: Pubkey, program: Pubkey, buffer: Pubkey, authority: Pubkey,
                                max_data_len: int) -> Instruction:
    accounts = [
        AccountMeta(payer, True, True),
        AccountMeta(programdata_address(program), False, True),
        AccountMeta(program, False, True),
        AccountMeta(buffer, False, True),
        AccountMeta(RENT_SYSVAR, False, False),
        AccountMeta(CLOCK_SYSVAR, False, False),
        AccountMeta(SYSTEM_PROGRAM, False, False),
        AccountMeta(authority, True, False),
    ]
    return Instruction(LOADER_V3, struct.pack("<IQ", _DEPLOY_WITH_MAX_DATA_LEN, max_data_len), accounts)


def write_chunk_size(payer: Pubkey) -> int:
    """The largest ELF chunk one `Write` transaction carries (payer = buffer authority)."""
    probe = write_ix(Keypair().pubkey(), payer, 0, b"")
    message = Message.new_with_blockhash([probe], payer, Hash.default())
    return PACKET_DATA_SIZE - len(bytes(Transaction.new_unsigned(message)))


@dataclass(frozen=True)
class DeployPlan:
    """Every transaction of one deployment, in order, with the extra keypairs each needs."""

    steps: list[tuple[list[Instruction], list[Keypair]]]
    program_id: Pubkey
    buffer: Pubkey


def plan_deploy(elf: bytes, payer: Pubkey, rent_exempt: Callable[[int], int], *, program: Keypair,
                buffer: Keypair | None = None, max_data_len: int | None = None,
                then: Sequence[Instruction] = ()) -> DeployPlan:
    """The buffer, its writes and the deploy. `payer` is also the buffer and upgrade authority.

    `max_data_len` defaults to twice the ELF, so later upgrades have room. `then` is appended to the
    deploy transaction (after the program becomes visible: see `deploy_program`)."""
    buffer = buffer or Keypair()
    size = len(elf)
    max_len = max(max_data_len or 2 * size, size)
    create_buffer = create_account(CreateAccountParams(
        from_pubkey=payer, to_pubkey=buffer.pubkey(), lamports=rent_exempt(BUFFER_METADATA + size),
        space=BUFFER_METADATA + size, owner=LOADER_V3))
    steps: list[tuple[list[Instruction], list[Keypair]]] = [
        ([create_buffer, initialize_buffer_ix(buffer.pubkey(), payer)], [buffer])]
    chunk = write_chunk_size(payer)
    for offset in range(0, size, chunk):
        steps.append(([write_ix(buffer.pubkey(), payer, offset, elf[offset:offset + chunk])], []))
    create_program = create_account(CreateAccountParams(
        from_pubkey=payer, to_pubkey=program.pubkey(), lamports=rent_exempt(PROGRAM_LEN), space=PROGRAM_LEN,
        owner=LOADER_V3))
    deploy = deploy_with_max_data_len_ix(payer, program.pubkey(), buffer.pubkey(), payer, max_len)
    steps.append(([create_program, deploy, *then], [program]))
    return DeployPlan(steps, program.pubkey(), buffer.pubkey())


def decode_programdata_authority(data: bytes) -> Pubkey | None:
    """The upgrade authority recorded in a program-data account (None: immutable)."""
    if len(data) < PROGRAMDATA_METADATA or struct.unpack_from("<I", data)[0] != 3:
        raise ValueError("not a BPFLoaderUpgradeable program-data account")
    return Pubkey.from_bytes(data[13:45]) if data[12] == 1 else None
