# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Carbon Smart Meter rewards
@custom:contract-name CsmRewards
@license Apache-2.0
@notice Pays a price-linked, halving token reward for solar energy measured by attested
        devices. Every claim is a checkpoint signed by the device key; the rules are
        onchain/RULES.md (version 1) and the signed byte layouts firmware/PROTOCOL.md
        section 4. The same rules run in the desktop preview and the Solana program; the
        shared vectors in onchain/vectors/ hold them together.
@dev Per-device state lives in three words so that a claim touches three cold slots:
     `_device_info` (read-only during claims), `_device_progress` and `_device_head`.
     Payout parameters are packed into two words read once per batch. A rejected
     checkpoint in `claim_batch` is skipped with `ClaimRejected` carrying the stable
     RULES.md code, so one bad device never blocks a batch. Calls that change one thing
     (register, bind, parameters) revert with the RULES.md code name as the reason.
"""

from snekmate.auth import ownable
from snekmate.auth import ownable_2step
from snekmate.tokens import erc20

initializes: ownable
initializes: ownable_2step[ownable := ownable]
initializes: erc20[ownable := ownable]

exports: (
    erc20.transfer,
    erc20.transferFrom,
    erc20.approve,
    erc20.burn,
    erc20.burn_from,
    erc20.permit,
    erc20.DOMAIN_SEPARATOR,
    erc20.eip712Domain,
    erc20.balanceOf,
    erc20.allowance,
    erc20.totalSupply,
    erc20.name,
    erc20.symbol,
    erc20.decimals,
    erc20.nonces,
    ownable.owner,
    ownable_2step.pending_owner,
    ownable_2step.transfer_ownership,
    ownable_2step.accept_ownership,
    ownable_2step.renounce_ownership,
)


# ------------------------------------------------------------------
#                             CONSTANTS
# ------------------------------------------------------------------

# RULES.md error codes (stable; new ones are appended).
PAUSED: constant(uint8) = 1
BAD_SIGNATURE: constant(uint8) = 2
UNKNOWN_DEVICE: constant(uint8) = 3
NOT_BOUND: constant(uint8) = 4
WRONG_DEPLOYMENT: constant(uint8) = 5
REPLAY: constant(uint8) = 7
ENERGY_NOT_INCREASING: constant(uint8) = 8
TIME_NOT_INCREASING: constant(uint8) = 9
FUTURE_DATED: constant(uint8) = 10
OVER_CAP: constant(uint8) = 11
BELOW_THRESHOLD: constant(uint8) = 12
OVERFLOW: constant(uint8) = 13

RULES_VERSION: public(constant(uint256)) = 1
MAX_BATCH: public(constant(uint256)) = 128
MAX_PRICE_REGIONS: constant(uint256) = 256
MAX_ERA: constant(uint256) = 64
SECONDS_PER_DAY: constant(uint256) = 86400
U64_MAX: constant(uint256) = 2**64 - 1
U32_MAX: constant(uint256) = 2**32 - 1
# Upper half of the secp256k1 order: signatures with a larger s are malleable and refused.
SECP256K1_HALF_N: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168

# Parameter bounds (RULES.md table).
MAX_CAP_MWH_PER_DAY: constant(uint256) = 9_000_000
MAX_PEAK_SUN_HOURS: constant(uint256) = 24
MAX_MIN_CLAIM_MWH: constant(uint256) = 10**12
MAX_CLOCK_SKEW_S: constant(uint256) = 86_400
MIN_SHARE_BPS: constant(uint256) = 1_000
MAX_SHARE_BPS: constant(uint256) = 3_000
MAX_TOKENS_PER_USD: constant(uint256) = 10**12
MAX_ERA_LENGTH_MWH: constant(uint256) = 2**63
MAX_PRICE: constant(uint256) = 10**9
PRICE_SET: constant(uint256) = 1 << 64

# Bit positions inside the packed words.
INFO_REGISTERED: constant(uint256) = 1 << 255
PROGRESS_HAS_STATE: constant(uint256) = 1 << 255


# ------------------------------------------------------------------
#                              STRUCTS
# ------------------------------------------------------------------

struct Checkpoint:
    device: address
    deployment_id: bytes32
    seq: uint32
    energy_mwh: uint64
    device_time: uint64
    chain_head: bytes32
    v: uint8
    r: bytes32
    s: bytes32

struct PayoutParams:
    cap_mwh_per_day: uint64
    peak_sun_hours: uint32
    min_claim_mwh: uint64
    max_clock_skew_s: uint64
    share_bps: uint16
    tokens_per_usd: uint64
    era_length_mwh: uint64

struct DeviceState:
    registered: bool
    rated_w: uint32
    hw_class: uint16
    region: uint16
    wallet: address
    last_seq: uint32
    last_energy_mwh: uint64
    last_time: uint64
    chain_head: bytes32


# ------------------------------------------------------------------
#                              EVENTS
# ------------------------------------------------------------------

event ClaimPaid:
    device: indexed(address)
    seq: uint32
    delta_mwh: uint64
    tokens: uint256

event ClaimRejected:
    device: indexed(address)
    seq: uint32
    code: uint8

event DeviceRegistered:
    device: indexed(address)
    manufacturer: indexed(address)
    rated_w: uint32
    hw_class: uint16
    serial: uint64

event DeviceBound:
    device: indexed(address)
    wallet: indexed(address)
    region: uint16
    seq: uint32
    energy_mwh: uint64
    device_time: uint64

event DeviceUnbound:
    device: indexed(address)
    wallet: indexed(address)

event ManufacturerChanged:
    manufacturer: indexed(address)
    allowed: bool

event ParamsChanged:
    cap_mwh_per_day: uint64
    peak_sun_hours: uint32
    min_claim_mwh: uint64
    max_clock_skew_s: uint64
    share_bps: uint16
    tokens_per_usd: uint64
    era_length_mwh: uint64

event PriceChanged:
    region: indexed(uint16)
    price_micro_usd_per_kwh: uint64
    is_set: bool

event PauseChanged:
    paused: bool
    by: indexed(address)


# ------------------------------------------------------------------
#                              STORAGE
# ------------------------------------------------------------------

# keccak256("CSM-DEPLOY-v1" || 0x01 || chain id u64 || bytes12(0) || this address)
DEPLOYMENT_ID: public(immutable(bytes32))

# wallet (160) | rated_w (32) << 160 | hw_class (16) << 192 | region (16) << 208 | registered bit 255
_device_info: HashMap[address, uint256]
# last_seq (32) | last_energy_mwh (64) << 32 | last_time (64) << 96 | has-state bit 255
_device_progress: HashMap[address, uint256]
_device_head: HashMap[address, bytes32]

# cap (64) | min_claim (64) << 64 | tokens_per_usd (64) << 128 | skew (32) << 192
# | share_bps (16) << 224 | peak_sun_hours (8) << 240 | paused (8) << 248
_payout_word: uint256
# network_energy_mwh (64) | era_length_mwh (64) << 64
_network_word: uint256

# price (64 bits) | PRICE_SET flag; zero means "not set, fall back to region 0".
_prices: HashMap[uint16, uint256]
_price_regions: DynArray[uint16, MAX_PRICE_REGIONS]

is_manufacturer: public(HashMap[address, bool])


# ------------------------------------------------------------------
#                            CONSTRUCTOR
# ------------------------------------------------------------------

@deploy
@payable
def __init__(default_price_micro_usd_per_kwh: uint64):
    """
    @notice Deploys with the RULES.md default parameters and a region-0 price.
    @param default_price_micro_usd_per_kwh Price of region 0 in micro-USD per kWh.
    """
    ownable.__init__()
    ownable_2step.__init__()
    erc20.__init__("CSM Solar Reward", "CSMR", 9, "CsmRewards", "1")
    DEPLOYMENT_ID = keccak256(concat(
        b"CSM-DEPLOY-v1", b"\x01", convert(convert(chain.id, uint64), bytes8),
        convert(convert(self, uint256), bytes32)))
    self._store_params(PayoutParams(
        cap_mwh_per_day=9_000_000, peak_sun_hours=16, min_claim_mwh=10_000, max_clock_skew_s=300,
        share_bps=2_000, tokens_per_usd=10**9, era_length_mwh=10**12), False)
    self._set_price(0, default_price_micro_usd_per_kwh)


# ------------------------------------------------------------------
#                          EXTERNAL: OWNER
# ------------------------------------------------------------------

@external
def set_manufacturer(manufacturer: address, allowed: bool):
    """
    @notice Adds or removes a manufacturer key whose attestations may register devices.
    @dev Removing a key does not unregister devices it attested.
    @param manufacturer Address of the manufacturer's secp256k1 key.
    @param allowed True to accept its attestations, False to stop accepting them.
    """
    self._only_owner()
    assert manufacturer != empty(address), "BAD_PARAMETER"
    self.is_manufacturer[manufacturer] = allowed
    log ManufacturerChanged(manufacturer=manufacturer, allowed=allowed)


@external
def set_params(p: PayoutParams):
    """
    @notice Replaces the payout parameters; each must lie inside its RULES.md bounds.
    @dev Reverts with BAD_PARAMETER for any value out of bounds; the pause flag is kept.
    @param p The new parameters.
    """
    self._only_owner()
    self._store_params(p, self._paused())


@external
def set_price(region: uint16, price_micro_usd_per_kwh: uint64):
    """
    @notice Sets the electricity price of one ISO 3166-1 numeric region (0 = default).
    @param region Region code; region 0 is the fallback for regions without a price.
    @param price_micro_usd_per_kwh Price in micro-USD per kWh, at most 10^9.
    """
    self._only_owner()
    self._set_price(region, price_micro_usd_per_kwh)


@external
def clear_price(region: uint16):
    """
    @notice Removes a region's price so that it falls back to region 0.
    @param region Region code.
    """
    self._only_owner()
    self._prices[region] = 0
    log PriceChanged(region=region, price_micro_usd_per_kwh=0, is_set=False)


@external
def set_paused(paused: bool):
    """
    @notice Stops (or resumes) registrations, binds and claims.
    @param paused True to pause.
    """
    self._only_owner()
    word: uint256 = self._payout_word
    word = (word & ~(convert(255, uint256) << 248)) | (convert(paused, uint256) << 248)
    self._payout_word = word
    log PauseChanged(paused=paused, by=msg.sender)


# ------------------------------------------------------------------
#                     EXTERNAL: DEVICES AND CLAIMS
# ------------------------------------------------------------------

@external
def register_device(device: address, rated_w: uint32, hw_class: uint16, serial: uint64,
                    v: uint8, r: bytes32, s: bytes32):
    """
    @notice Registers a device from its manufacturer attestation (PROTOCOL.md 4.3).
    @dev Anyone may submit; the signature must recover to a registered manufacturer.
    @param device The device address being attested.
    @param rated_w Rated power in watts (sets the device's daily cap).
    @param hw_class Hardware class (1 portable panel, 2 retrofit home system).
    @param serial Manufacturer serial number.
    @param v Recovery id 0 or 1. @param r Signature r. @param s Signature s (low half).
    """
    assert not self._paused(), "PAUSED"
    message: Bytes[47] = concat(b"CSM-ATTEST-v1", convert(device, bytes20), convert(rated_w, bytes4),
                                convert(hw_class, bytes2), convert(serial, bytes8))
    signer: address = self._recover(keccak256(message), v, r, s)
    assert signer != empty(address) and self.is_manufacturer[signer], "UNATTESTED"
    assert self._device_info[device] & INFO_REGISTERED == 0, "ALREADY_REGISTERED"
    self._device_info[device] = INFO_REGISTERED | (convert(hw_class, uint256) << 192) \
        | (convert(rated_w, uint256) << 160)
    log DeviceRegistered(device=device, manufacturer=signer, rated_w=rated_w, hw_class=hw_class,
                         serial=serial)


@external
def bind(device: address, wallet: bytes32, deployment_id: bytes32, seq: uint32, energy_mwh: uint64,
         device_time: uint64, region: uint16, v: uint8, r: bytes32, s: bytes32):
    """
    @notice Binds a device to the calling wallet with a device-signed bind message
            (PROTOCOL.md 4.2). Rebinding needs a fresh signature (higher seq).
    @dev Energy up to `energy_mwh` never pays under this binding.
    @param device Device address. @param wallet 32-byte wallet field (12 zero bytes + address).
    @param deployment_id Must equal DEPLOYMENT_ID. @param seq Bind nonce from the device counter.
    @param energy_mwh Device cumulative energy at binding. @param device_time Device unix time.
    @param region ISO 3166-1 numeric region for the price table.
    @param v Recovery id 0 or 1. @param r Signature r. @param s Signature s (low half).
    """
    assert not self._paused(), "PAUSED"
    message: Bytes[117] = concat(b"CSM-BIND-v1", convert(device, bytes20), wallet, deployment_id,
                                 convert(seq, bytes4), convert(energy_mwh, bytes8),
                                 convert(device_time, bytes8), convert(region, bytes2))
    assert self._recover(keccak256(message), v, r, s) == device, "BAD_SIGNATURE"
    info: uint256 = self._device_info[device]
    assert info & INFO_REGISTERED != 0, "UNKNOWN_DEVICE"
    assert deployment_id == DEPLOYMENT_ID, "WRONG_DEPLOYMENT"
    assert convert(wallet, uint256) == convert(msg.sender, uint256), "WRONG_WALLET"
    progress: uint256 = self._device_progress[device]
    if progress & PROGRESS_HAS_STATE != 0:
        assert convert(seq, uint256) > progress & U32_MAX, "REPLAY"
        assert convert(energy_mwh, uint256) >= (progress >> 32) & U64_MAX, "ENERGY_NOT_INCREASING"
    skew: uint256 = (self._payout_word >> 192) & U32_MAX
    assert convert(device_time, uint256) <= block.timestamp + skew, "FUTURE_DATED"

    info = (info & ~convert(max_value(uint160), uint256) & ~(convert(65535, uint256) << 208)) \
        | convert(msg.sender, uint256) | (convert(region, uint256) << 208)
    self._device_info[device] = info
    self._device_progress[device] = PROGRESS_HAS_STATE | convert(seq, uint256) \
        | (convert(energy_mwh, uint256) << 32) | (convert(device_time, uint256) << 96)
    log DeviceBound(device=device, wallet=msg.sender, region=region, seq=seq, energy_mwh=energy_mwh,
                    device_time=device_time)


@external
def unbind(device: address):
    """
    @notice Releases a device from the calling wallet; its last seq/energy/time stay,
            so a later bind must still move forward.
    @param device Device address.
    """
    info: uint256 = self._device_info[device]
    assert info & INFO_REGISTERED != 0, "UNKNOWN_DEVICE"
    wallet: address = convert(convert(info & convert(max_value(uint160), uint256), uint160), address)
    assert wallet != empty(address), "NOT_BOUND"
    assert wallet == msg.sender, "WRONG_WALLET"
    self._device_info[device] = info & ~convert(max_value(uint160), uint256)
    log DeviceUnbound(device=device, wallet=wallet)


@external
def claim_batch(checkpoints: DynArray[Checkpoint, MAX_BATCH]) -> uint256:
    """
    @notice Claims rewards for many device-signed checkpoints (PROTOCOL.md 4.1) at once,
            minting to each device's bound wallet. A checkpoint that breaks a rule is
            skipped with ClaimRejected(code); the others are processed in order.
    @dev Reverts only with PAUSED. Parameters are read once, network energy written once.
    @param checkpoints Checkpoint fields with their signature (v = 0 or 1).
    @return Total tokens minted by this call.
    """
    pw: uint256 = self._payout_word
    assert (pw >> 248) == 0, "PAUSED"
    nw: uint256 = self._network_word
    network: uint256 = nw & U64_MAX
    era_length: uint256 = nw >> 64
    total: uint256 = 0
    for c: Checkpoint in checkpoints:
        code: uint8 = 0
        tokens: uint256 = 0
        delta: uint256 = 0
        code, tokens, delta = self._claim_one(c, pw, network, era_length)
        if code == 0:
            network += delta
            total += tokens
            log ClaimPaid(device=c.device, seq=c.seq, delta_mwh=convert(delta, uint64), tokens=tokens)
        else:
            log ClaimRejected(device=c.device, seq=c.seq, code=code)
    if network != nw & U64_MAX:
        self._network_word = (nw & ~U64_MAX) | network
    return total


# ------------------------------------------------------------------
#                          EXTERNAL: VIEWS
# ------------------------------------------------------------------

@view
@external
def device_state(device: address) -> DeviceState:
    """
    @notice Everything the chain knows about one device.
    @param device Device address.
    @return The unpacked device state (wallet is zero when unbound).
    """
    info: uint256 = self._device_info[device]
    progress: uint256 = self._device_progress[device]
    return DeviceState(
        registered=info & INFO_REGISTERED != 0,
        rated_w=convert((info >> 160) & U32_MAX, uint32),
        hw_class=convert((info >> 192) & 65535, uint16),
        region=convert((info >> 208) & 65535, uint16),
        wallet=convert(convert(info & convert(max_value(uint160), uint256), uint160), address),
        last_seq=convert(progress & U32_MAX, uint32),
        last_energy_mwh=convert((progress >> 32) & U64_MAX, uint64),
        last_time=convert((progress >> 96) & U64_MAX, uint64),
        chain_head=self._device_head[device])


@view
@external
def payout_params() -> PayoutParams:
    """
    @notice The current payout parameters (RULES.md table, without the price table).
    @return The parameters.
    """
    return self._load_params()


@view
@external
def price_of(region: uint16) -> (uint64, bool):
    """
    @notice The price stored for a region and whether it is set (unset falls back to region 0).
    @param region Region code.
    @return Price in micro-USD per kWh, and True when the region has its own price.
    """
    word: uint256 = self._prices[region]
    return convert(word & U64_MAX, uint64), word & PRICE_SET != 0


@view
@external
def price_regions() -> DynArray[uint16, MAX_PRICE_REGIONS]:
    """
    @notice Every region that has ever had a price set (check price_of for the current value).
    @return Region codes.
    """
    return self._price_regions


@view
@external
def network_energy_mwh() -> uint64:
    """
    @notice Total energy paid for by this deployment; drives the halving eras.
    @return Energy in mWh.
    """
    return convert(self._network_word & U64_MAX, uint64)


@view
@external
def paused() -> bool:
    """
    @notice Whether registrations, binds and claims are stopped.
    @return True when paused.
    """
    return self._paused()


# ------------------------------------------------------------------
#                             INTERNAL
# ------------------------------------------------------------------

@internal
def _only_owner():
    assert msg.sender == ownable.owner, "UNAUTHORIZED"


@view
@internal
def _paused() -> bool:
    return (self._payout_word >> 248) != 0


@pure
@internal
def _recover(digest: bytes32, v: uint8, r: bytes32, s: bytes32) -> address:
    # PROTOCOL.md 2: v is the recovery id 0/1 and s must be in the lower half of the order.
    if v > 1 or convert(s, uint256) > SECP256K1_HALF_N:
        return empty(address)
    return ecrecover(digest, convert(v, uint256) + 27, r, s)


@view
@internal
def _load_params() -> PayoutParams:
    pw: uint256 = self._payout_word
    return PayoutParams(
        cap_mwh_per_day=convert(pw & U64_MAX, uint64),
        peak_sun_hours=convert((pw >> 240) & 255, uint32),
        min_claim_mwh=convert((pw >> 64) & U64_MAX, uint64),
        max_clock_skew_s=convert((pw >> 192) & U32_MAX, uint64),
        share_bps=convert((pw >> 224) & 65535, uint16),
        tokens_per_usd=convert((pw >> 128) & U64_MAX, uint64),
        era_length_mwh=convert(self._network_word >> 64, uint64))


@internal
def _store_params(p: PayoutParams, paused: bool):
    assert p.cap_mwh_per_day >= 1 and convert(p.cap_mwh_per_day, uint256) <= MAX_CAP_MWH_PER_DAY, \
        "BAD_PARAMETER"
    assert p.peak_sun_hours >= 1 and convert(p.peak_sun_hours, uint256) <= MAX_PEAK_SUN_HOURS, \
        "BAD_PARAMETER"
    assert convert(p.min_claim_mwh, uint256) <= MAX_MIN_CLAIM_MWH, "BAD_PARAMETER"
    assert convert(p.max_clock_skew_s, uint256) <= MAX_CLOCK_SKEW_S, "BAD_PARAMETER"
    assert convert(p.share_bps, uint256) >= MIN_SHARE_BPS and convert(p.share_bps, uint256) <= MAX_SHARE_BPS, \
        "BAD_PARAMETER"
    assert p.tokens_per_usd >= 1 and convert(p.tokens_per_usd, uint256) <= MAX_TOKENS_PER_USD, \
        "BAD_PARAMETER"
    assert p.era_length_mwh >= 1 and convert(p.era_length_mwh, uint256) <= MAX_ERA_LENGTH_MWH, \
        "BAD_PARAMETER"
    self._payout_word = convert(p.cap_mwh_per_day, uint256) \
        | (convert(p.min_claim_mwh, uint256) << 64) \
        | (convert(p.tokens_per_usd, uint256) << 128) \
        | (convert(p.max_clock_skew_s, uint256) << 192) \
        | (convert(p.share_bps, uint256) << 224) \
        | (convert(p.peak_sun_hours, uint256) << 240) \
        | (convert(paused, uint256) << 248)
    self._network_word = (self._network_word & U64_MAX) | (convert(p.era_length_mwh, uint256) << 64)
    log ParamsChanged(cap_mwh_per_day=p.cap_mwh_per_day, peak_sun_hours=p.peak_sun_hours,
                      min_claim_mwh=p.min_claim_mwh, max_clock_skew_s=p.max_clock_skew_s,
                      share_bps=p.share_bps, tokens_per_usd=p.tokens_per_usd,
                      era_length_mwh=p.era_length_mwh)


@internal
def _set_price(region: uint16, price: uint64):
    assert convert(price, uint256) <= MAX_PRICE, "BAD_PARAMETER"
    if self._prices[region] == 0 and region not in self._price_regions:
        assert len(self._price_regions) < MAX_PRICE_REGIONS, "BAD_PARAMETER"
        self._price_regions.append(region)
    self._prices[region] = PRICE_SET | convert(price, uint256)
    log PriceChanged(region=region, price_micro_usd_per_kwh=price, is_set=True)


@internal
def _claim_one(c: Checkpoint, pw: uint256, network: uint256, era_length: uint256) -> (uint8, uint256, uint256):
    """
    @dev RULES.md checks 2-12 in order; returns (code, tokens, delta) and changes state only
         on success (code 0).
    """
    message: Bytes[115] = concat(b"CSM-CKPT-v1", convert(c.device, bytes20), c.deployment_id,
                                 convert(c.seq, bytes4), convert(c.energy_mwh, bytes8),
                                 convert(c.device_time, bytes8), c.chain_head)
    signer: address = self._recover(keccak256(message), c.v, c.r, c.s)
    if signer != c.device or signer == empty(address):
        return BAD_SIGNATURE, 0, 0
    info: uint256 = self._device_info[c.device]
    if info & INFO_REGISTERED == 0:
        return UNKNOWN_DEVICE, 0, 0
    wallet: address = convert(convert(info & convert(max_value(uint160), uint256), uint160), address)
    if wallet == empty(address):
        return NOT_BOUND, 0, 0
    if c.deployment_id != DEPLOYMENT_ID:
        return WRONG_DEPLOYMENT, 0, 0
    progress: uint256 = self._device_progress[c.device]
    seq: uint256 = convert(c.seq, uint256)
    energy: uint256 = convert(c.energy_mwh, uint256)
    t: uint256 = convert(c.device_time, uint256)
    last_energy: uint256 = (progress >> 32) & U64_MAX
    last_time: uint256 = (progress >> 96) & U64_MAX
    if seq <= progress & U32_MAX:
        return REPLAY, 0, 0
    if energy <= last_energy:
        return ENERGY_NOT_INCREASING, 0, 0
    if t <= last_time:
        return TIME_NOT_INCREASING, 0, 0
    if t > block.timestamp + ((pw >> 192) & U32_MAX):
        return FUTURE_DATED, 0, 0
    delta: uint256 = energy - last_energy
    rated_w: uint256 = (info >> 160) & U32_MAX
    daily: uint256 = min(pw & U64_MAX, rated_w * ((pw >> 240) & 255) * 1000)
    if delta > daily * (t - last_time) // SECONDS_PER_DAY:
        return OVER_CAP, 0, 0
    if delta < (pw >> 64) & U64_MAX:
        return BELOW_THRESHOLD, 0, 0
    if network + delta > U64_MAX:
        return OVERFLOW, 0, 0
    tokens: uint256 = self._tokens_for(convert((info >> 208) & 65535, uint16), network, delta, era_length,
                                       pw)
    if tokens > U64_MAX:
        return OVERFLOW, 0, 0

    self._device_progress[c.device] = PROGRESS_HAS_STATE | seq | (energy << 32) | (t << 96)
    self._device_head[c.device] = c.chain_head
    if tokens > 0:
        erc20._mint(wallet, tokens)
    return 0, tokens, delta


@view
@internal
def _tokens_for(region: uint16, network: uint256, delta: uint256, era_length: uint256,
                pw: uint256) -> uint256:
    """
    @dev Splits [network, network + delta) at era boundaries and rounds down per portion.
    """
    price_word: uint256 = self._prices[region]
    if price_word == 0:
        price_word = self._prices[0]
    value_per_mwh: uint256 = (price_word & U64_MAX) * ((pw >> 224) & 65535)
    tokens_per_usd: uint256 = (pw >> 128) & U64_MAX
    n: uint256 = network
    left: uint256 = delta
    tokens: uint256 = 0
    for i: uint256 in range(MAX_ERA + 1):
        if left == 0:
            break
        era: uint256 = n // era_length
        if era >= MAX_ERA:
            break
        portion: uint256 = min(left, (era + 1) * era_length - n)
        value_micro: uint256 = portion * value_per_mwh // 10_000_000_000
        tokens += value_micro * tokens_per_usd // (1_000_000 << era)
        n += portion
        left -= portion
    return tokens
