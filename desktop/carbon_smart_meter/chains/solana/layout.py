"""Instruction bytes and account lists of the Solana rewards program, mirroring
`onchain/solana/interface/src/instruction.rs`; PDAs and the program ids it talks to.

Instruction data: a tag byte (one per `..._v0`/`..._v1` instruction; tags are never reused, retired
ones are refused by the program) then little-endian fields. Account bytes are in `accounts.py`. Any
change here must be made in the Rust interface too; the shared vectors make a mismatch fail on both
sides.
"""

from __future__ import annotations

import struct

from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey

from carbon_smart_meter.chains.solana.accounts import MAX_PRICES, pack_params
from carbon_smart_meter.chains.solana.loader import programdata_address
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.params import PayoutParams

PROGRAM_ID = Pubkey.from_string("CSMRwd1111111111111111111111111111111111111")
TOKEN_PROGRAM = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
ASSOCIATED_TOKEN_PROGRAM = Pubkey.from_string("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
SYSTEM_PROGRAM = Pubkey.from_string("11111111111111111111111111111111")
INSTRUCTIONS_SYSVAR = Pubkey.from_string("Sysvar1nstructions1111111111111111111111111")
SECP256K1_PROGRAM = Pubkey.from_string("KeccakSecp256k11111111111111111111111111111")

# Retired with RULES.md version 1 (the program refuses them): InitializeConfigV0 0, RemoveManufacturerV0 2,
# SetParamsV0 7, SetRegionPriceV0 8.
RETIRED_TAGS = (0, 2, 7, 8)
TAG_ADD_MANUFACTURER_V0 = 1
TAG_REGISTER_DEVICE_V0 = 3
TAG_BIND_WALLET_V0 = 4
TAG_UNBIND_WALLET_V0 = 5
TAG_CLAIM_V0 = 6
TAG_SET_PAUSED_V0 = 9
TAG_INITIALIZE_CONFIG_V1 = 10
TAG_SCHEDULE_PARAMS_V0 = 11
TAG_APPLY_PARAMS_V0 = 12
TAG_SCHEDULE_PRICE_V0 = 13
TAG_APPLY_PRICE_V0 = 14
TAG_REVOKE_MANUFACTURER_V0 = 15
TAG_REVOKE_DEVICE_V0 = 16
TAG_REINSTATE_DEVICE_V0 = 17
TAG_SET_DEVICE_REGION_V0 = 18
TAG_PROPOSE_AUTHORITY_V0 = 19
TAG_ACCEPT_AUTHORITY_V0 = 20
TAG_RENOUNCE_AUTHORITY_V0 = 21
MAX_CLAIMS_PER_INSTRUCTION = 16

# Solana-only error codes of this program (limits.json `solana_only_codes`; 104 PRICE_TABLE_FULL is shared).
PROGRAM_ERRORS = {
    100: "INVALID_INSTRUCTION", 101: "INVALID_ACCOUNT", 102: "WRONG_MINT", 103: "WRONG_MINT_AUTHORITY",
    105: "ALREADY_INITIALIZED",
}


def config_address_and_bump(program_id: Pubkey = PROGRAM_ID) -> tuple[Pubkey, int]:
    return Pubkey.find_program_address([b"config"], program_id)


def config_address(program_id: Pubkey = PROGRAM_ID) -> Pubkey:
    return config_address_and_bump(program_id)[0]


def mint_authority_address_and_bump(program_id: Pubkey = PROGRAM_ID) -> tuple[Pubkey, int]:
    return Pubkey.find_program_address([b"mint_authority"], program_id)


def mint_authority_address(program_id: Pubkey = PROGRAM_ID) -> Pubkey:
    return mint_authority_address_and_bump(program_id)[0]


def manufacturer_address_and_bump(eth: bytes, program_id: Pubkey = PROGRAM_ID) -> tuple[Pubkey, int]:
    return Pubkey.find_program_address([b"manufacturer", eth], program_id)


def manufacturer_address(eth: bytes, program_id: Pubkey = PROGRAM_ID) -> Pubkey:
    return manufacturer_address_and_bump(eth, program_id)[0]


def device_address_and_bump(device: bytes, program_id: Pubkey = PROGRAM_ID) -> tuple[Pubkey, int]:
    return Pubkey.find_program_address([b"device", device], program_id)


def device_address(device: bytes, program_id: Pubkey = PROGRAM_ID) -> Pubkey:
    return device_address_and_bump(device, program_id)[0]


def associated_token_address(wallet: Pubkey, mint: Pubkey) -> Pubkey:
    return Pubkey.find_program_address([bytes(wallet), bytes(TOKEN_PROGRAM), bytes(mint)],
                                       ASSOCIATED_TOKEN_PROGRAM)[0]


# ---- instruction data -------------------------------------------------------------------------

def initialize_config_data(chain_id: int, params: PayoutParams, params_delay_s: int) -> bytes:
    """The first parameters and every price of `params` (they apply at once: no device exists yet)."""
    prices = sorted(params.prices.items())
    if len(prices) > MAX_PRICES:
        raise ChainError(f"{len(prices)} prices do not fit the config's table of {MAX_PRICES}")
    return bytes([TAG_INITIALIZE_CONFIG_V1]) + struct.pack("<Q", chain_id) + pack_params(params) + \
        struct.pack("<QB", params_delay_s, len(prices)) + b"".join(struct.pack("<HQ", r, p) for r, p in prices)


def add_manufacturer_data(address: bytes) -> bytes:
    return bytes([TAG_ADD_MANUFACTURER_V0]) + _eth(address)


def revoke_manufacturer_data(address: bytes) -> bytes:
    return bytes([TAG_REVOKE_MANUFACTURER_V0]) + _eth(address)


def register_device_data(attestation_ix: int) -> bytes:
    return bytes([TAG_REGISTER_DEVICE_V0, attestation_ix])


def bind_wallet_data(bind_ix: int) -> bytes:
    return bytes([TAG_BIND_WALLET_V0, bind_ix])


def unbind_wallet_data() -> bytes:
    return bytes([TAG_UNBIND_WALLET_V0])


def claim_data(checkpoint_ixs: list[int]) -> bytes:
    if not 1 <= len(checkpoint_ixs) <= MAX_CLAIMS_PER_INSTRUCTION:
        raise ChainError(f"a claim instruction takes 1..{MAX_CLAIMS_PER_INSTRUCTION} claims, "
                         f"got {len(checkpoint_ixs)}")
    return bytes([TAG_CLAIM_V0, len(checkpoint_ixs), *checkpoint_ixs])


def set_paused_data(paused: bool) -> bytes:
    return bytes([TAG_SET_PAUSED_V0, int(paused)])


def schedule_params_data(params: PayoutParams) -> bytes:
    return bytes([TAG_SCHEDULE_PARAMS_V0]) + pack_params(params)


def apply_params_data() -> bytes:
    return bytes([TAG_APPLY_PARAMS_V0])


def schedule_price_data(region: int, price: int | None) -> bytes:
    """`price` None schedules the removal of the region's price."""
    return bytes([TAG_SCHEDULE_PRICE_V0]) + struct.pack("<HBQ", region, price is not None, price or 0)


def apply_price_data(region: int) -> bytes:
    return bytes([TAG_APPLY_PRICE_V0]) + struct.pack("<H", region)


def revoke_device_data(device: bytes) -> bytes:
    return bytes([TAG_REVOKE_DEVICE_V0]) + _eth(device)


def reinstate_device_data(device: bytes) -> bytes:
    return bytes([TAG_REINSTATE_DEVICE_V0]) + _eth(device)


def set_device_region_data(device: bytes, region: int) -> bytes:
    return bytes([TAG_SET_DEVICE_REGION_V0]) + _eth(device) + struct.pack("<H", region)


def propose_authority_data(new_authority: Pubkey) -> bytes:
    return bytes([TAG_PROPOSE_AUTHORITY_V0]) + bytes(new_authority)


def accept_authority_data() -> bytes:
    return bytes([TAG_ACCEPT_AUTHORITY_V0])


def renounce_authority_data() -> bytes:
    return bytes([TAG_RENOUNCE_AUTHORITY_V0])


def _eth(address: bytes) -> bytes:
    if len(address) != 20:
        raise ChainError(f"an Ethereum-style address is 20 bytes, got {len(address)}")
    return address


# ---- instructions with their accounts -----------------------------------------------------------

def _w(key: Pubkey, signer: bool = False) -> AccountMeta:
    return AccountMeta(key, is_signer=signer, is_writable=True)


def _r(key: Pubkey, signer: bool = False) -> AccountMeta:
    return AccountMeta(key, is_signer=signer, is_writable=False)


def initialize_config_ix(authority: Pubkey, mint: Pubkey, chain_id: int, params: PayoutParams,
                         params_delay_s: int, program_id: Pubkey = PROGRAM_ID) -> Instruction:
    """`authority` must be the program's upgrade authority (the program checks its program data)."""
    accounts = [_w(authority, True), _w(config_address(program_id)), _r(mint),
                _r(mint_authority_address(program_id)), _r(SYSTEM_PROGRAM), _r(programdata_address(program_id))]
    return Instruction(program_id, initialize_config_data(chain_id, params, params_delay_s), accounts)


def add_manufacturer_ix(authority: Pubkey, address: bytes, program_id: Pubkey = PROGRAM_ID) -> Instruction:
    accounts = [_w(authority, True), _w(config_address(program_id)),
                _w(manufacturer_address(address, program_id)), _r(SYSTEM_PROGRAM)]
    return Instruction(program_id, add_manufacturer_data(address), accounts)


def revoke_manufacturer_ix(authority: Pubkey, address: bytes, program_id: Pubkey = PROGRAM_ID) -> Instruction:
    accounts = [_r(authority, True), _w(config_address(program_id)), _w(manufacturer_address(address, program_id))]
    return Instruction(program_id, revoke_manufacturer_data(address), accounts)


def register_device_ix(payer: Pubkey, manufacturer: bytes, device: bytes, attestation_ix: int,
                       program_id: Pubkey = PROGRAM_ID) -> Instruction:
    accounts = [_w(payer, True), _r(config_address(program_id)), _r(manufacturer_address(manufacturer, program_id)),
                _w(device_address(device, program_id)), _r(INSTRUCTIONS_SYSVAR), _r(SYSTEM_PROGRAM)]
    return Instruction(program_id, register_device_data(attestation_ix), accounts)


def bind_wallet_ix(wallet: Pubkey, device: bytes, bind_ix: int, program_id: Pubkey = PROGRAM_ID) -> Instruction:
    accounts = [_r(wallet, True), _r(config_address(program_id)), _w(device_address(device, program_id)),
                _r(INSTRUCTIONS_SYSVAR)]
    return Instruction(program_id, bind_wallet_data(bind_ix), accounts)


def unbind_wallet_ix(wallet: Pubkey, device: bytes, program_id: Pubkey = PROGRAM_ID) -> Instruction:
    accounts = [_r(wallet, True), _r(config_address(program_id)), _w(device_address(device, program_id))]
    return Instruction(program_id, unbind_wallet_data(), accounts)


def claim_ix(mint: Pubkey, claims: list[tuple[bytes, Pubkey, int]], program_id: Pubkey = PROGRAM_ID) -> Instruction:
    """`claims`: (device address, destination token account, index of its secp256k1 instruction)."""
    accounts = [_w(config_address(program_id)), _w(mint), _r(mint_authority_address(program_id)),
                _r(TOKEN_PROGRAM), _r(INSTRUCTIONS_SYSVAR)]
    for device, destination, _ in claims:
        accounts += [_w(device_address(device, program_id)), _w(destination)]
    return Instruction(program_id, claim_data([ix for _, _, ix in claims]), accounts)


def admin_ix(authority: Pubkey, data: bytes, program_id: Pubkey = PROGRAM_ID) -> Instruction:
    """SetPaused, ScheduleParams, SchedulePrice, ProposeAuthority, AcceptAuthority (the proposed key
    signs) and RenounceAuthority take (signer, config writable)."""
    return Instruction(program_id, data, [_r(authority, True), _w(config_address(program_id))])


def apply_ix(data: bytes, program_id: Pubkey = PROGRAM_ID) -> Instruction:
    """ApplyParams / ApplyPrice: anyone sends them (the fee payer signs the transaction); config writable."""
    return Instruction(program_id, data, [_w(config_address(program_id))])


def device_admin_ix(authority: Pubkey, device: bytes, data: bytes, program_id: Pubkey = PROGRAM_ID) -> Instruction:
    """RevokeDevice / ReinstateDevice / SetDeviceRegion: (authority signer, config, device writable)."""
    accounts = [_r(authority, True), _r(config_address(program_id)), _w(device_address(device, program_id))]
    return Instruction(program_id, data, accounts)


def create_ata_idempotent_ix(payer: Pubkey, wallet: Pubkey, mint: Pubkey) -> Instruction:
    accounts = [_w(payer, True), _w(associated_token_address(wallet, mint)), _r(wallet), _r(mint),
                _r(SYSTEM_PROGRAM), _r(TOKEN_PROGRAM)]
    return Instruction(ASSOCIATED_TOKEN_PROGRAM, bytes([1]), accounts)
