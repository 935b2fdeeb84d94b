"""Account and event bytes of the Solana rewards program, mirroring `onchain/solana/interface/src/state.rs`
and `event.rs` (version 1 accounts, RULES.md version 2).

Every account starts with `account_type, version` and keeps reserved bytes for later versions. The
config holds, first, what every claim reads (network state with the stored era and the mint window,
the revoked-manufacturer bitmap, the parameters and prices) and then what only the authority's
instructions touch (proposed authority, the published delay, scheduled parameters and prices).
onchain/vectors/solana_instructions.json pins these bytes for both sides.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from solders.pubkey import Pubkey

from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import PayoutParams

VERSION = 1
MAX_PRICES = 32
MAX_PENDING_PRICES = 2 * MAX_PRICES

PARAMS = struct.Struct("<QIQQHQQQQ")
_CONFIG_HEAD = struct.Struct("<BBBBBBBx32s32sQ32sQQQQ16s")
_PRICE = struct.Struct("<HQ")
_ADMIN = struct.Struct("<32sQQ")
_PENDING_PRICE = struct.Struct("<HBxQQ")
_DEVICE = struct.Struct("<BBBB20s20sIHHQIQQ32s32sQB")
_MANUFACTURER = struct.Struct("<BBBB20sB")
_CLAIM_EVENT = struct.Struct("<BBB20sIHQQ")

CONFIG_CORE_LEN = _CONFIG_HEAD.size + PARAMS.size + 2 + MAX_PRICES * _PRICE.size + 64
_ADMIN_LEN = _ADMIN.size + PARAMS.size
PENDING_PRICES_OFFSET = CONFIG_CORE_LEN + _ADMIN_LEN
CONFIG_LEN = PENDING_PRICES_OFFSET + 2 + MAX_PENDING_PRICES * 20 + 64
DEVICE_LEN = 200
MANUFACTURER_LEN = 64

FLAG_BOUND, FLAG_HAS_STATE, FLAG_REVOKED, FLAG_REINSTATED = 1, 2, 4, 8


def pack_params(params: PayoutParams) -> bytes:
    return PARAMS.pack(params.cap_mwh_per_day, params.peak_sun_hours, params.min_claim_mwh, params.max_clock_skew_s,
                       params.share_bps, params.tokens_per_usd, params.era_length_mwh, params.window_s,
                       params.window_limit_mwh)


def unpack_params(data: bytes, offset: int, prices: dict[int, int]) -> PayoutParams:
    cap, peak, min_claim, skew, share, tpu, era, window_s, window_limit = PARAMS.unpack_from(data, offset)
    return PayoutParams(cap_mwh_per_day=cap, peak_sun_hours=peak, min_claim_mwh=min_claim, max_clock_skew_s=skew,
                        share_bps=share, tokens_per_usd=tpu, era_length_mwh=era, prices=prices, window_s=window_s,
                        window_limit_mwh=window_limit)


def bitmap_bit(bitmap: bytes, index: int) -> bool:
    return index // 8 < len(bitmap) and bool((bitmap[index // 8] >> (index % 8)) & 1)


@dataclass(frozen=True)
class PendingPrice:
    """A scheduled price change: `price` None clears the region's price; applies from chain time `at`."""

    region: int
    price: int | None
    at: int


@dataclass(frozen=True)
class ConfigAccount:
    paused: bool
    authority: Pubkey
    mint: Pubkey
    chain_id: int
    deployment_id: bytes
    network: NetworkState
    params: PayoutParams
    manufacturer_count: int = 0
    revoked_manufacturers: bytes = bytes(16)
    pending_authority: Pubkey = field(default_factory=Pubkey.default)
    params_delay_s: int = 7 * 86_400
    pending_params_at: int = 0
    pending_params: PayoutParams | None = None
    pending_prices: tuple[PendingPrice, ...] = ()

    @property
    def network_energy_mwh(self) -> int:
        return self.network.energy_mwh

    @property
    def renounced(self) -> bool:
        return self.authority == Pubkey.default()


def encode_config(c: ConfigAccount, *, bump: int = 255, mint_authority_bump: int = 255) -> bytes:
    """Account bytes as the program writes them (used for the shared vectors and LiteSVM fixtures)."""
    n = c.network
    head = _CONFIG_HEAD.pack(1, VERSION, bump, mint_authority_bump, int(c.paused), n.era, c.manufacturer_count,
                             bytes(c.authority), bytes(c.mint), c.chain_id, c.deployment_id, n.energy_mwh,
                             n.era_left_mwh, n.window_used_mwh, n.window_time, c.revoked_manufacturers)
    prices = sorted(c.params.prices.items())
    if len(prices) > MAX_PRICES:
        raise ChainError(f"{len(prices)} prices do not fit the config's table of {MAX_PRICES}")
    table = b"".join(_PRICE.pack(r, p) for r, p in prices).ljust(MAX_PRICES * _PRICE.size, b"\x00")
    core = (head + pack_params(c.params) + bytes([len(prices), 0]) + table).ljust(CONFIG_CORE_LEN, b"\x00")
    pending = c.pending_params or c.params
    admin = _ADMIN.pack(bytes(c.pending_authority), c.params_delay_s, c.pending_params_at) + pack_params(pending)
    changes = b"".join(_PENDING_PRICE.pack(p.region, p.price is not None, p.price or 0, p.at)
                       for p in c.pending_prices)
    tail = bytes([len(c.pending_prices), 0]) + changes
    return (core + admin + tail).ljust(CONFIG_LEN, b"\x00")


def decode_config(data: bytes) -> ConfigAccount:
    if len(data) != CONFIG_LEN or data[0] != 1 or data[1] != VERSION:
        raise ChainError("the config account is not a version-1 CSM config (RULES.md version 2): wrong program "
                         "id, or a deployment of an older program version that must be redeployed")
    (_t, _v, _b, _mb, paused, era, makers, authority, mint, chain_id, dep, energy, era_left, used, window_time,
     revoked) = _CONFIG_HEAD.unpack_from(data, 0)
    off = _CONFIG_HEAD.size + PARAMS.size
    count = data[off]
    prices = dict(_PRICE.unpack_from(data, off + 2 + _PRICE.size * i) for i in range(count))
    params = unpack_params(data, _CONFIG_HEAD.size, prices)
    pending_authority, delay, pending_at = _ADMIN.unpack_from(data, CONFIG_CORE_LEN)
    pending = unpack_params(data, CONFIG_CORE_LEN + _ADMIN.size, prices) if pending_at else None
    changes = []
    for i in range(data[PENDING_PRICES_OFFSET]):
        region, is_set, price, at = _PENDING_PRICE.unpack_from(data, PENDING_PRICES_OFFSET + 2 + 20 * i)
        changes.append(PendingPrice(region, price if is_set else None, at))
    return ConfigAccount(bool(paused), Pubkey(authority), Pubkey(mint), chain_id, dep,
                         NetworkState(energy, era, era_left, used, window_time), params, makers, revoked,
                         Pubkey(pending_authority), delay, pending_at, pending, tuple(changes))


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
    revoked: bool = False
    reinstated: bool = False
    manufacturer_index: int = 1

    def is_revoked(self, revoked_manufacturers: bytes) -> bool:
        """RULES.md step 3a: revoked itself, or its manufacturer is and it was not reinstated since."""
        return self.revoked or (not self.reinstated and bitmap_bit(revoked_manufacturers, self.manufacturer_index))


def encode_device(d: DeviceAccount, *, bump: int = 255) -> bytes:
    flags = (FLAG_BOUND * d.bound) | (FLAG_HAS_STATE * d.has_state) | (FLAG_REVOKED * d.revoked) | (
        FLAG_REINSTATED * d.reinstated)
    return _DEVICE.pack(3, VERSION, bump, flags, d.device, d.manufacturer, d.rated_w, d.hw_class, d.region, d.serial,
                        d.last_seq, d.last_energy_mwh, d.last_time, d.chain_head, bytes(d.wallet), d.total_tokens,
                        d.manufacturer_index).ljust(DEVICE_LEN, b"\x00")


def decode_device(data: bytes) -> DeviceAccount:
    if len(data) != DEVICE_LEN or data[0] != 3 or data[1] != VERSION:
        raise ChainError("the device account is not a version-1 CSM device")
    (_t, _v, _b, flags, device, maker, rated, hw, region, serial, seq, energy, t, head, wallet, total,
     index) = _DEVICE.unpack_from(data, 0)
    return DeviceAccount(bool(flags & FLAG_BOUND), bool(flags & FLAG_HAS_STATE), device, maker, rated, hw, region,
                         serial, seq, energy, t, head, Pubkey(wallet), total, bool(flags & FLAG_REVOKED),
                         bool(flags & FLAG_REINSTATED), index)


@dataclass(frozen=True)
class ManufacturerAccount:
    revoked: bool
    address: bytes
    index: int


def encode_manufacturer(m: ManufacturerAccount, *, bump: int = 255) -> bytes:
    return _MANUFACTURER.pack(2, VERSION, bump, int(m.revoked), m.address, m.index).ljust(MANUFACTURER_LEN, b"\x00")


def decode_manufacturer(data: bytes) -> ManufacturerAccount:
    if len(data) != MANUFACTURER_LEN or data[0] != 2 or data[1] != VERSION:
        raise ChainError("the manufacturer account is not a version-1 CSM manufacturer")
    _t, _v, _b, revoked, address, index = _MANUFACTURER.unpack_from(data, 0)
    return ManufacturerAccount(bool(revoked), address, index)


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
    """None for any other `Program data:` payload (other programs, and this program's other events)."""
    if len(data) != _CLAIM_EVENT.size or data[0] != 1 or data[1] != 0:
        return None
    _k, _v, index, device, seq, code, tokens, delta = _CLAIM_EVENT.unpack(data)
    return ClaimEvent(index, device, seq, code, tokens, delta)
