"""Byte layouts of the Solana rewards program, mirroring `onchain/solana/interface`.

Instruction data: a tag byte (one per `..._v0` instruction) then little-endian fields. Accounts start
with `account_type, version` and keep reserved bytes for later versions. Any change here must be
made in the Rust interface too; the shared vectors make a mismatch fail on both sides.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey

from carbon_smart_meter.chains.solana.loader import programdata_address
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.params import PayoutParams

PROGRAM_ID = Pubkey.from_string("CSMRwd1111111111111111111111111111111111111")
TOKEN_PROGRAM = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
ASSOCIATED_TOKEN_PROGRAM = Pubkey.from_string("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
SYSTEM_PROGRAM = Pubkey.from_string("11111111111111111111111111111111")
INSTRUCTIONS_SYSVAR = Pubkey.from_string("Sysvar1nstructions1111111111111111111111111")
SECP256K1_PROGRAM = Pubkey.from_string("KeccakSecp256k11111111111111111111111111111")

TAG_INITIALIZE_CONFIG_V0 = 0
TAG_ADD_MANUFACTURER_V0 = 1
TAG_REMOVE_MANUFACTURER_V0 = 2
TAG_REGISTER_DEVICE_V0 = 3
TAG_BIND_WALLET_V0 = 4
TAG_UNBIND_WALLET_V0 = 5
TAG_CLAIM_V0 = 6
TAG_SET_PARAMS_V0 = 7
TAG_SET_REGION_PRICE_V0 = 8
TAG_SET_PAUSED_V0 = 9
MAX_CLAIMS_PER_INSTRUCTION = 16
MAX_PRICES = 32

# Solana-only error codes, appended after RULES.md's 1..17 (interface/src/error.rs).
PROGRAM_ERRORS = {
    100: "INVALID_INSTRUCTION", 101: "INVALID_ACCOUNT", 102: "WRONG_MINT", 103: "WRONG_MINT_AUTHORITY",
    104: "PRICE_TABLE_FULL", 105: "ALREADY_INITIALIZED",
}

_PARAMS = struct.Struct("<QIQQHQQ")
_CONFIG_HEAD = struct.Struct("<BBBBB3x32s32sQ32sQ")
_DEVICE = struct.Struct("<BBBB20s20sIHHQIQQ32s32sQ")
_MANUFACTURER = struct.Struct("<BBBB20s")
_CLAIM_EVENT = struct.Struct("<BBB20sIHQQ")
CONFIG_LEN = 552
DEVICE_LEN = 200
MANUFACTURER_LEN = 64


def pack_params(params: PayoutParams) -> bytes:
    return _PARAMS.pack(params.cap_mwh_per_day, params.peak_sun_hours, params.min_claim_mwh,
                        params.max_clock_skew_s, params.share_bps, params.tokens_per_usd,
                        params.era_length_mwh)


def config_address_and_bump(program_id: Pubkey = PROGRAM_ID) -> tuple[Pubkey, int]:
    return Pubkey.find_program_address([b"config"], program_id)


def config_address(program_id: Pubkey = PROGRAM_ID) -> Pubkey:
    return config_address_and_bump(program_id)[0]


def mint_authority_address_and_bump(program_id: Pubkey = PROGRAM_ID) -> tuple[Pubkey, int]:
    return Pubkey.find_program_address([b"mint_authority"], program_id)


def mint_authority_address(program_id: Pubkey = PROGRAM_ID) -> Pubkey:
    return mint_authority_address_and_bump(program_id)[0]


def manufacturer_address(eth: bytes, program_id: Pubkey = PROGRAM_ID) -> Pubkey:
    return Pubkey.find_program_address([b"manufacturer", eth], program_id)[0]


def device_address_and_bump(device: bytes, program_id: Pubkey = PROGRAM_ID) -> tuple[Pubkey, int]:
    return Pubkey.find_program_address([b"device", device], program_id)


def device_address(device: bytes, program_id: Pubkey = PROGRAM_ID) -> Pubkey:
    return device_address_and_bump(device, program_id)[0]


def associated_token_address(wallet: Pubkey, mint: Pubkey) -> Pubkey:
    return Pubkey.find_program_address([bytes(wallet), bytes(TOKEN_PROGRAM), bytes(mint)],
                                       ASSOCIATED_TOKEN_PROGRAM)[0]


# ---- instruction data -------------------------------------------------------------------------

def initialize_config_data(chain_id: int, params: PayoutParams, default_price: int) -> bytes:
    return bytes([TAG_INITIALIZE_CONFIG_V0]) + struct.pack("<Q", chain_id) + pack_params(params) + \
        struct.pack("<Q", default_price)


def add_manufacturer_data(address: bytes) -> bytes:
    return bytes([TAG_ADD_MANUFACTURER_V0]) + _eth(address)


def remove_manufacturer_data(address: bytes) -> bytes:
    return bytes([TAG_REMOVE_MANUFACTURER_V0]) + _eth(address)


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


def set_params_data(params: PayoutParams) -> bytes:
    return bytes([TAG_SET_PARAMS_V0]) + pack_params(params)


def set_region_price_data(region: int, price: int | None) -> bytes:
    return bytes([TAG_SET_REGION_PRICE_V0]) + struct.pack("<HBQ", region, price is not None, price or 0)


def set_paused_data(paused: bool) -> bytes:
    return bytes([TAG_SET_PAUSED_V0, int(paused)])


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
                         default_price: int, program_id: Pubkey = PROGRAM_ID) -> Instruction:
    """`authority` must be the program's upgrade authority (the program checks its program data)."""
    accounts = [_w(authority, True), _w(config_address(program_id)), _r(mint),
                _r(mint_authority_address(program_id)), _r(SYSTEM_PROGRAM), _r(programdata_address(program_id))]
    return Instruction(program_id, initialize_config_data(chain_id, params, default_price), accounts)


def add_manufacturer_ix(authority: Pubkey, address: bytes, program_id: Pubkey = PROGRAM_ID) -> Instruction:
    accounts = [_w(authority, True), _r(config_address(program_id)),
                _w(manufacturer_address(address, program_id)), _r(SYSTEM_PROGRAM)]
    return Instruction(program_id, add_manufacturer_data(address), accounts)


def remove_manufacturer_ix(authority: Pubkey, address: bytes, program_id: Pubkey = PROGRAM_ID) -> Instruction:
    accounts = [_r(authority, True), _r(config_address(program_id)), _w(manufacturer_address(address, program_id))]
    return Instruction(program_id, remove_manufacturer_data(address), accounts)


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
    """SetParams / SetRegionPrice / SetPaused all take (authority signer, config writable)."""
    return Instruction(program_id, data, [_r(authority, True), _w(config_address(program_id))])


def create_ata_idempotent_ix(payer: Pubkey, wallet: Pubkey, mint: Pubkey) -> Instruction:
    accounts = [_w(payer, True), _w(associated_token_address(wallet, mint)), _r(wallet), _r(mint),
                _r(SYSTEM_PROGRAM), _r(TOKEN_PROGRAM)]
    return Instruction(ASSOCIATED_TOKEN_PROGRAM, bytes([1]), accounts)


# ---- accounts and events ----------------------------------------------------------------------

@dataclass(frozen=True)
class ConfigAccount:
    paused: bool
    authority: Pubkey
    mint: Pubkey
    chain_id: int
    deployment_id: bytes
    network_energy_mwh: int
    params: PayoutParams


def decode_config(data: bytes) -> ConfigAccount:
    if len(data) != CONFIG_LEN or data[0] != 1 or data[1] != 0:
        raise ChainError("the config account is not a v0 CSM config: wrong program id or deployment?")
    _t, _v, _b, _mb, paused, authority, mint, chain_id, dep, network = _CONFIG_HEAD.unpack_from(data, 0)
    off = _CONFIG_HEAD.size
    cap, peak, min_claim, skew, share, tpu, era = _PARAMS.unpack_from(data, off)
    off += _PARAMS.size
    count = data[off]
    off += 2
    prices = {}
    for i in range(count):
        region, price = struct.unpack_from("<HQ", data, off + 10 * i)
        prices[region] = price
    params = PayoutParams(cap_mwh_per_day=cap, peak_sun_hours=peak, min_claim_mwh=min_claim,
                          max_clock_skew_s=skew, share_bps=share, tokens_per_usd=tpu, era_length_mwh=era,
                          prices=prices)
    return ConfigAccount(bool(paused), Pubkey(authority), Pubkey(mint), chain_id, dep, network, params)


@dataclass(frozen=True)
class DeviceAccount:
    bound: bool
    has_state: bool
    device: bytes
    manufacturer: bytes
    rated_w: int
    hw_class: int
    region: int
    serial: int
    last_seq: int
    last_energy_mwh: int
    last_time: int
    chain_head: bytes
    wallet: Pubkey
    total_tokens: int


def encode_config(c: ConfigAccount, *, bump: int = 255, mint_authority_bump: int = 255) -> bytes:
    """Account bytes as the program writes them (used for the shared vectors and LiteSVM fixtures)."""
    head = _CONFIG_HEAD.pack(1, 0, bump, mint_authority_bump, int(c.paused), bytes(c.authority), bytes(c.mint),
                             c.chain_id, c.deployment_id, c.network_energy_mwh)
    prices = sorted(c.params.prices.items())
    body = pack_params(c.params) + bytes([len(prices), 0]) + b"".join(struct.pack("<HQ", r, p) for r, p in prices)
    return (head + body).ljust(CONFIG_LEN, b"\x00")


def encode_device(d: DeviceAccount, *, bump: int = 255) -> bytes:
    flags = int(d.bound) | (int(d.has_state) << 1)
    return _DEVICE.pack(3, 0, bump, flags, d.device, d.manufacturer, d.rated_w, d.hw_class, d.region, d.serial,
                        d.last_seq, d.last_energy_mwh, d.last_time, d.chain_head, bytes(d.wallet),
                        d.total_tokens).ljust(DEVICE_LEN, b"\x00")


def decode_device(data: bytes) -> DeviceAccount:
    if len(data) != DEVICE_LEN or data[0] != 3 or data[1] != 0:
        raise ChainError("the device account is not a v0 CSM device")
    (_t, _v, _b, flags, device, maker, rated, hw, region, serial, seq, energy, t, head, wallet,
     total) = _DEVICE.unpack_from(data, 0)
    return DeviceAccount(bool(flags & 1), bool(flags & 2), device, maker, rated, hw, region, serial, seq,
                         energy, t, head, Pubkey(wallet), total)


@dataclass(frozen=True)
class ManufacturerAccount:
    active: bool
    address: bytes


def decode_manufacturer(data: bytes) -> ManufacturerAccount:
    if len(data) != MANUFACTURER_LEN or data[0] != 2 or data[1] != 0:
        raise ChainError("the manufacturer account is not a v0 CSM manufacturer")
    _t, _v, _b, active, address = _MANUFACTURER.unpack_from(data, 0)
    return ManufacturerAccount(bool(active), address)


@dataclass(frozen=True)
class ClaimEvent:
    claim_index: int
    device: bytes
    seq: int
    code: int
    tokens: int
    delta_mwh: int


def encode_claim_event(e: ClaimEvent) -> bytes:
    return _CLAIM_EVENT.pack(1, 0, e.claim_index, e.device, e.seq, e.code, e.tokens, e.delta_mwh)


def decode_claim_event(data: bytes) -> ClaimEvent | None:
    """None for any other `Program data:` payload (other programs log too)."""
    if len(data) != _CLAIM_EVENT.size or data[0] != 1 or data[1] != 0:
        return None
    _k, _v, index, device, seq, code, tokens, delta = _CLAIM_EVENT.unpack(data)
    return ClaimEvent(index, device, seq, code, tokens, delta)
