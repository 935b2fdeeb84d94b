# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title Carbon Smart Meter rewards
@custom:contract-name CsmRewards
@license Apache-2.0
@notice Pays a price-linked, halving token reward for solar energy measured by attested
        devices. Every claim is a checkpoint signed by the device key; the rules are
        onchain/RULES.md (version 2) and the signed byte layouts firmware/PROTOCOL.md
        section 4. The same rules run in the desktop preview and the Solana program; the
        shared vectors in onchain/vectors/ hold them together.
@dev Per-device state lives in three words so that a claim touches three cold slots:
     `_device_info` (read-only during claims), `_device_progress` and `_device_head`.
     Payout parameters, network state and limits are packed into three words read once
     per batch; the network word is written once per batch. A rejected checkpoint in
     `claim_batch` is skipped with `ClaimRejected` carrying the stable RULES.md code, so
     one bad device never blocks a batch. Calls that change one thing revert with the
     RULES.md code name as the reason. Owner powers are bounded (RULES.md "Owner"):
     parameter and price changes wait a published delay, the halving era never moves
     back, and ownership cannot be renounced while paused.
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
)


# ------------------------------------------------------------------
#                             CONSTANTS
# ------------------------------------------------------------------

# RULES.md error codes (stable; new ones are appended; onchain/vectors/limits.json).
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
REVOKED: constant(uint8) = 18
WINDOW_FULL: constant(uint8) = 19

RULES_VERSION: public(constant(uint256)) = 2
MAX_BATCH: public(constant(uint256)) = 128
PRICE_TABLE_CAPACITY: public(constant(uint256)) = 32
MAX_MANUFACTURERS: public(constant(uint256)) = 100
MAX_ERA: public(constant(uint256)) = 64
MIN_PARAMS_DELAY_S: public(constant(uint256)) = 3_600
MAX_PARAMS_DELAY_S: public(constant(uint256)) = 7_776_000
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
MIN_WINDOW_S: constant(uint256) = 3_600
MAX_WINDOW_S: constant(uint256) = 2_592_000
MAX_PRICE: constant(uint256) = 10**9
PRICE_SET: constant(uint256) = 1 << 64

# Bits of the packed words.
WALLET_MASK: constant(uint256) = 2**160 - 1
INFO_REVOKED: constant(uint256) = 1 << 232
INFO_REINSTATED: constant(uint256) = 1 << 233
INFO_REGISTERED: constant(uint256) = 1 << 255
PROGRESS_HAS_STATE: constant(uint256) = 1 << 255
MANUFACTURER_REVOKED: constant(uint256) = 1 << 8
REVOKED_BITMAP_SHIFT: constant(uint256) = 136
LOW_128: constant(uint256) = 2**128 - 1


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
    window_s: uint64
    window_limit_mwh: uint64

struct PriceEntry:
    region: uint16
    price_micro_usd_per_kwh: uint64

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
    revoked: bool
    manufacturer: address

struct NetworkState:
    energy_mwh: uint64
    era: uint8
    era_left_mwh: uint64
    window_used_mwh: uint64
    window_time: uint64


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
    declared_region: uint16
    seq: uint32
    energy_mwh: uint64
    device_time: uint64

event DeviceUnbound:
    device: indexed(address)
    wallet: indexed(address)

event DeviceRegionSet:
    device: indexed(address)
    region: uint16

event DeviceRevoked:
    device: indexed(address)
    wallet: indexed(address)

event DeviceReinstated:
    device: indexed(address)

event ManufacturerChanged:
    manufacturer: indexed(address)
    allowed: bool

event ParamsScheduled:
    cap_mwh_per_day: uint64
    peak_sun_hours: uint32
    min_claim_mwh: uint64
    max_clock_skew_s: uint64
    share_bps: uint16
    tokens_per_usd: uint64
    era_length_mwh: uint64
    window_s: uint64
    window_limit_mwh: uint64
    effective_at: uint256

event ParamsChanged:
    cap_mwh_per_day: uint64
    peak_sun_hours: uint32
    min_claim_mwh: uint64
    max_clock_skew_s: uint64
    share_bps: uint16
    tokens_per_usd: uint64
    era_length_mwh: uint64
    window_s: uint64
    window_limit_mwh: uint64

event PriceScheduled:
    region: indexed(uint16)
    price_micro_usd_per_kwh: uint64
    is_set: bool
    effective_at: uint256

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

# keccak256("CSM-DEPLOY-v1" || 0x01 || chain id u64 || bytes12(0) || this address) at deployment.
_DEPLOYMENT_ID: immutable(bytes32)
# The chain id the deployment id was derived from: after a fork to another chain id no checkpoint pays.
DEPLOY_CHAIN_ID: public(immutable(uint256))
# Published delay before a scheduled parameter or price change may be applied.
PARAMS_DELAY_S: public(immutable(uint256))

# wallet (160) | rated_w (32) << 160 | hw_class (16) << 192 | region (16) << 208
# | manufacturer index (8) << 224 | revoked bit 232 | reinstated bit 233 | registered bit 255
_device_info: HashMap[address, uint256]
# last_seq (32) | last_energy_mwh (64) << 32 | last_time (64) << 96 | has-state bit 255
_device_progress: HashMap[address, uint256]
_device_head: HashMap[address, bytes32]

# cap (32) | window_s (32) << 32 | min_claim (64) << 64 | tokens_per_usd (64) << 128
# | skew (32) << 192 | share_bps (16) << 224 | peak_sun_hours (8) << 240 | paused (8) << 248
_payout_word: uint256
# network_energy_mwh (64) | era_left_mwh (64) << 64 | window_used_mwh (64) << 128 | window_time (64) << 192
_network_word: uint256
# era_length_mwh (64) | window_limit_mwh (64) << 64 | era (8) << 128
# | revoked-manufacturer bit of index i at 136 + i (i = 1 .. MAX_MANUFACTURERS)
_limits_word: uint256

# price (64 bits) | PRICE_SET flag; zero means "not set, fall back to region 0".
_prices: HashMap[uint16, uint256]
_price_regions: DynArray[uint16, PRICE_TABLE_CAPACITY]

# index (8) | MANUFACTURER_REVOKED; index 0 means never added.
_manufacturers: HashMap[address, uint256]
_manufacturer_at: HashMap[uint256, address]
_manufacturer_count: uint256

_pending_params: PayoutParams
_pending_params_at: uint256
# price (64) | PRICE_SET (set, else clear) | effective_at << 128; zero means nothing pending.
_pending_prices: HashMap[uint16, uint256]
_pending_price_regions: DynArray[uint16, 2 * PRICE_TABLE_CAPACITY]


# ------------------------------------------------------------------
#                            CONSTRUCTOR
# ------------------------------------------------------------------

@deploy
def __init__(params: PayoutParams, prices: DynArray[PriceEntry, PRICE_TABLE_CAPACITY], params_delay_s: uint256):
    """
    @notice Deploys with its first parameters and prices (they apply at once: no device exists
            yet, so nothing can be front-run) and the delay every later change must wait.
    @dev Not payable: ether sent here would be locked forever.
    @param params The first payout parameters, each inside its RULES.md bounds.
    @param prices The first price table (region 0 is the fallback for unpriced regions).
    @param params_delay_s Seconds between scheduling a change and applying it (1 h .. 90 days).
    """
    ownable.__init__()
    ownable_2step.__init__()
    erc20.__init__("CSM Solar Reward", "CSMR", 9, "CsmRewards", "1")
    assert params_delay_s >= MIN_PARAMS_DELAY_S and params_delay_s <= MAX_PARAMS_DELAY_S, "BAD_PARAMETER"
    PARAMS_DELAY_S = params_delay_s
    DEPLOY_CHAIN_ID = chain.id
    _DEPLOYMENT_ID = self._deployment_id()
    self._store_params(params, False)
    self._network_word = convert(params.era_length_mwh, uint256) << 64
    for entry: PriceEntry in prices:
        self._set_price(entry.region, entry.price_micro_usd_per_kwh)


# ------------------------------------------------------------------
#                          EXTERNAL: OWNER
# ------------------------------------------------------------------

@external
def set_manufacturer(manufacturer: address, allowed: bool):
    """
    @notice Accepts a manufacturer key, or revokes it for good.
    @dev Revoking stops the claims and binds of every device the key attested (RULES.md
         "Revocation"); devices known to be genuine are reinstated one by one. A revoked key
         is never accepted again: a manufacturer with a new key is a new manufacturer.
    @param manufacturer Address of the manufacturer's secp256k1 key.
    @param allowed True to accept its attestations, False to revoke it.
    """
    self._only_owner()
    assert manufacturer != empty(address), "BAD_PARAMETER"
    word: uint256 = self._manufacturers[manufacturer]
    index: uint256 = word & 255
    if allowed:
        assert word & MANUFACTURER_REVOKED == 0, "REVOKED"
        if index == 0:
            index = self._manufacturer_count + 1
            assert index <= MAX_MANUFACTURERS, "BAD_PARAMETER"
            self._manufacturer_count = index
            self._manufacturers[manufacturer] = index
            self._manufacturer_at[index] = manufacturer
    else:
        assert index != 0, "BAD_PARAMETER"
        if word & MANUFACTURER_REVOKED == 0:
            self._manufacturers[manufacturer] = word | MANUFACTURER_REVOKED
            self._limits_word = self._limits_word | (1 << (REVOKED_BITMAP_SHIFT + index))
    log ManufacturerChanged(manufacturer=manufacturer, allowed=allowed)


@external
def revoke_device(device: address):
    """
    @notice Stops a device's claims and binds at once and clears its binding.
    @dev Energy it measured and did not claim before the revocation is never paid: a
         reinstated device must bind again, and energy before a bind never pays.
    @param device Device address.
    """
    self._only_owner()
    info: uint256 = self._device_info[device]
    assert info & INFO_REGISTERED != 0, "UNKNOWN_DEVICE"
    wallet: address = convert(convert(info & WALLET_MASK, uint160), address)
    self._device_info[device] = (info & ~WALLET_MASK & ~INFO_REINSTATED) | INFO_REVOKED
    log DeviceRevoked(device=device, wallet=wallet)


@external
def reinstate_device(device: address):
    """
    @notice Lets a revoked device (or a genuine device of a revoked manufacturer) bind again.
    @dev Only a device that is revoked now (BAD_PARAMETER otherwise). The binding stays cleared:
         the device binds again with a fresh signature.
    @param device Device address.
    """
    self._only_owner()
    info: uint256 = self._device_info[device]
    assert info & INFO_REGISTERED != 0, "UNKNOWN_DEVICE"
    assert self._revoked(info, self._limits_word), "BAD_PARAMETER"
    self._device_info[device] = (info & ~WALLET_MASK & ~INFO_REVOKED) | INFO_REINSTATED
    log DeviceReinstated(device=device)


@external
def set_device_region(device: address, region: uint16):
    """
    @notice Registers the site region whose price a device is paid at (RULES.md "Price region").
    @dev The region a bind declares is signed by the device on the host's word, so it never sets
         the price; until the authority registers a site, the device is paid region 0's price.
    @param device Device address.
    @param region ISO 3166-1 numeric region of the device's site.
    """
    self._only_owner()
    info: uint256 = self._device_info[device]
    assert info & INFO_REGISTERED != 0, "UNKNOWN_DEVICE"
    self._device_info[device] = (info & ~(convert(65535, uint256) << 208)) | (convert(region, uint256) << 208)
    log DeviceRegionSet(device=device, region=region)


@external
def schedule_params(p: PayoutParams):
    """
    @notice Publishes new payout parameters that anyone may apply once PARAMS_DELAY_S has passed.
    @dev Each value must lie inside its RULES.md bounds (BAD_PARAMETER). A new schedule replaces
         a pending one and restarts the delay.
    @param p The new parameters.
    """
    self._only_owner()
    self._check_params(p)
    at: uint256 = block.timestamp + PARAMS_DELAY_S
    self._pending_params = p
    self._pending_params_at = at
    log ParamsScheduled(cap_mwh_per_day=p.cap_mwh_per_day, peak_sun_hours=p.peak_sun_hours,
                        min_claim_mwh=p.min_claim_mwh, max_clock_skew_s=p.max_clock_skew_s,
                        share_bps=p.share_bps, tokens_per_usd=p.tokens_per_usd,
                        era_length_mwh=p.era_length_mwh, window_s=p.window_s,
                        window_limit_mwh=p.window_limit_mwh, effective_at=at)


@external
def apply_params():
    """
    @notice Applies the scheduled parameters once their delay has passed (anyone may call).
    @dev From then on every claim processed uses them, also for energy measured before; a new
         era length applies from the next era boundary (the era never moves back).
    """
    at: uint256 = self._pending_params_at
    assert at != 0 and block.timestamp >= at, "TOO_EARLY"
    self._store_params(self._pending_params, self._paused())
    self._pending_params_at = 0


@external
def schedule_price(region: uint16, price_micro_usd_per_kwh: uint64):
    """
    @notice Publishes a region's new electricity price, applicable once PARAMS_DELAY_S has passed.
    @param region Region code; region 0 is the fallback for regions without a price.
    @param price_micro_usd_per_kwh Price in micro-USD per kWh, at most 10^9.
    """
    self._only_owner()
    assert convert(price_micro_usd_per_kwh, uint256) <= MAX_PRICE, "BAD_PARAMETER"
    assert self._prices[region] != 0 or len(self._price_regions) < PRICE_TABLE_CAPACITY, "PRICE_TABLE_FULL"
    self._schedule_price(region, convert(price_micro_usd_per_kwh, uint256) | PRICE_SET)


@external
def schedule_clear_price(region: uint16):
    """
    @notice Publishes the removal of a region's price (it then falls back to region 0).
    @param region Region code.
    """
    self._only_owner()
    self._schedule_price(region, 0)


@external
def apply_price(region: uint16):
    """
    @notice Applies a region's scheduled price change once its delay has passed (anyone may call).
    @param region Region code.
    """
    word: uint256 = self._pending_prices[region]
    at: uint256 = word >> 128
    assert at != 0 and block.timestamp >= at, "TOO_EARLY"
    self._pending_prices[region] = 0
    self._remove_region(region, True)
    if word & PRICE_SET != 0:
        self._set_price(region, convert(word & U64_MAX, uint64))
    else:
        self._clear_price(region)


@external
def set_paused(paused: bool):
    """
    @notice Stops (or resumes) registrations, binds and claims at once; nothing is lost,
            refused claims stay claimable.
    @param paused True to pause.
    """
    self._only_owner()
    word: uint256 = self._payout_word
    word = (word & ~(convert(255, uint256) << 248)) | (convert(paused, uint256) << 248)
    self._payout_word = word
    log PauseChanged(paused=paused, by=msg.sender)


@external
def renounce_ownership():
    """
    @notice Leaves the deployment without an owner: no more parameter changes, pauses or
            revocations. Refused while paused, so a paused deployment is never orphaned.
    """
    ownable._check_owner()
    assert not self._paused(), "PAUSED"
    ownable_2step._transfer_ownership(empty(address))


# ------------------------------------------------------------------
#                     EXTERNAL: DEVICES AND CLAIMS
# ------------------------------------------------------------------

@external
def register_device(device: address, rated_w: uint32, hw_class: uint16, serial: uint64,
                    v: uint8, r: bytes32, s: bytes32):
    """
    @notice Registers a device from its manufacturer attestation (PROTOCOL.md 4.3).
    @dev Anyone may submit; the signature must recover to an accepted, unrevoked manufacturer.
         The zero address is never a device.
    @param device The device address being attested.
    @param rated_w Rated power in watts (sets the device's daily cap).
    @param hw_class Hardware class (1 portable panel, 2 retrofit home system).
    @param serial Manufacturer serial number.
    @param v Recovery id 0 or 1. @param r Signature r. @param s Signature s (low half).
    """
    assert not self._paused(), "PAUSED"
    assert device != empty(address), "BAD_PARAMETER"
    message: Bytes[47] = concat(b"CSM-ATTEST-v1", convert(device, bytes20), convert(rated_w, bytes4),
                                convert(hw_class, bytes2), convert(serial, bytes8))
    signer: address = self._recover(keccak256(message), v, r, s)
    maker: uint256 = self._manufacturers[signer]
    assert signer != empty(address) and maker & 255 != 0 and maker & MANUFACTURER_REVOKED == 0, "UNATTESTED"
    assert self._device_info[device] & INFO_REGISTERED == 0, "ALREADY_REGISTERED"
    self._device_info[device] = INFO_REGISTERED | ((maker & 255) << 224) | (convert(hw_class, uint256) << 192) \
        | (convert(rated_w, uint256) << 160)
    log DeviceRegistered(device=device, manufacturer=signer, rated_w=rated_w, hw_class=hw_class,
                         serial=serial)


@external
def bind(device: address, wallet: bytes32, deployment_id: bytes32, seq: uint32, energy_mwh: uint64,
         device_time: uint64, region: uint16, v: uint8, r: bytes32, s: bytes32):
    """
    @notice Binds a device to the calling wallet with a device-signed bind message
            (PROTOCOL.md 4.2). Rebinding needs a fresh signature (higher seq).
    @dev Energy up to `energy_mwh` never pays under this binding. The cap clock becomes
         max(device_time, block time) and a bind dated before it is refused: a device's clock
         cannot buy cap for time the chain has not seen pass. `region` is only declared: the
         price region is the one the authority registered (set_device_region).
    @param device Device address. @param wallet 32-byte wallet field (12 zero bytes + address).
    @param deployment_id Must equal this deployment's id. @param seq Bind nonce from the device counter.
    @param energy_mwh Device cumulative energy at binding. @param device_time Device unix time.
    @param region ISO 3166-1 numeric region the host declared (logged, never priced).
    @param v Recovery id 0 or 1. @param r Signature r. @param s Signature s (low half).
    """
    assert not self._paused(), "PAUSED"
    message: Bytes[117] = concat(b"CSM-BIND-v1", convert(device, bytes20), wallet, deployment_id,
                                 convert(seq, bytes4), convert(energy_mwh, bytes8),
                                 convert(device_time, bytes8), convert(region, bytes2))
    signer: address = self._recover(keccak256(message), v, r, s)
    assert signer == device and signer != empty(address), "BAD_SIGNATURE"
    info: uint256 = self._device_info[device]
    assert info & INFO_REGISTERED != 0, "UNKNOWN_DEVICE"
    assert not self._revoked(info, self._limits_word), "REVOKED"
    assert deployment_id == _DEPLOYMENT_ID and chain.id == DEPLOY_CHAIN_ID, "WRONG_DEPLOYMENT"
    assert convert(wallet, uint256) == convert(msg.sender, uint256), "WRONG_WALLET"
    progress: uint256 = self._device_progress[device]
    t: uint256 = convert(device_time, uint256)
    if progress & PROGRESS_HAS_STATE != 0:
        assert convert(seq, uint256) > progress & U32_MAX, "REPLAY"
        assert convert(energy_mwh, uint256) >= (progress >> 32) & U64_MAX, "ENERGY_NOT_INCREASING"
        assert t >= (progress >> 96) & U64_MAX, "TIME_NOT_INCREASING"
    skew: uint256 = (self._payout_word >> 192) & U32_MAX
    assert t <= block.timestamp + skew, "FUTURE_DATED"

    self._device_info[device] = (info & ~WALLET_MASK) | convert(msg.sender, uint256)
    self._device_progress[device] = PROGRESS_HAS_STATE | convert(seq, uint256) \
        | (convert(energy_mwh, uint256) << 32) | (max(t, block.timestamp) << 96)
    log DeviceBound(device=device, wallet=msg.sender, declared_region=region, seq=seq, energy_mwh=energy_mwh,
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
    wallet: address = convert(convert(info & WALLET_MASK, uint160), address)
    assert wallet != empty(address), "NOT_BOUND"
    assert wallet == msg.sender, "WRONG_WALLET"
    self._device_info[device] = info & ~WALLET_MASK
    log DeviceUnbound(device=device, wallet=wallet)


@external
def claim_batch(checkpoints: DynArray[Checkpoint, MAX_BATCH]) -> uint256:
    """
    @notice Claims rewards for many device-signed checkpoints (PROTOCOL.md 4.1) at once,
            minting to each device's bound wallet. A checkpoint that breaks a rule is
            skipped with ClaimRejected(code); the others are processed in order.
    @dev Reverts only with PAUSED. The three packed words are read once; the network word
         (energy, era progress, mint window) is written once, the limits word only when a
         claim moved the era.
    @param checkpoints Checkpoint fields with their signature (v = 0 or 1).
    @return Total tokens minted by this call.
    """
    pw: uint256 = self._payout_word
    assert (pw >> 248) == 0, "PAUSED"
    nw: uint256 = self._network_word
    lw: uint256 = self._limits_word
    network: uint256 = nw & U64_MAX
    era_left: uint256 = (nw >> 64) & U64_MAX
    era: uint256 = (lw >> 128) & 255
    # Energy paid in the current mint window (fixed windows of window_s >= 3600 s from unix time 0,
    # RULES.md step 13): what is stored if the last payment fell in this window, else nothing.
    window_s: uint256 = (pw >> 32) & U32_MAX
    used: uint256 = 0
    if unsafe_div(block.timestamp, window_s) == unsafe_div(nw >> 192, window_s):
        used = (nw >> 128) & U64_MAX
    total: uint256 = 0
    paid: bool = False
    for c: Checkpoint in checkpoints:
        code: uint8 = 0
        tokens: uint256 = 0
        delta: uint256 = 0
        code, tokens, delta, era, era_left = self._claim_one(c, pw, lw, network, era, era_left, used)
        if code == 0:
            network = unsafe_add(network, delta)
            used = unsafe_add(used, delta)
            total = unsafe_add(total, tokens)
            paid = True
            log ClaimPaid(device=c.device, seq=c.seq, delta_mwh=convert(delta, uint64), tokens=tokens)
        else:
            log ClaimRejected(device=c.device, seq=c.seq, code=code)
    if paid:
        self._network_word = network | (era_left << 64) | (used << 128) | (block.timestamp << 192)
        if era != (lw >> 128) & 255:
            self._limits_word = (lw & ~(convert(255, uint256) << 128)) | (era << 128)
    return total


# ------------------------------------------------------------------
#                          EXTERNAL: VIEWS
# ------------------------------------------------------------------

@view
@external
def DEPLOYMENT_ID() -> bytes32:
    """
    @notice The id devices bind to: derived from the chain id of now, so after a fork to
            another chain id it differs from the id every existing checkpoint carries.
    @return keccak256("CSM-DEPLOY-v1" || 0x01 || chain id u64 || bytes12(0) || this address).
    """
    return self._deployment_id()


@view
@external
def device_state(device: address) -> DeviceState:
    """
    @notice Everything the chain knows about one device.
    @param device Device address.
    @return The unpacked device state (wallet is zero when unbound; revoked is the effective
            status, the device's own or its manufacturer's without a reinstatement).
    """
    info: uint256 = self._device_info[device]
    progress: uint256 = self._device_progress[device]
    return DeviceState(
        registered=info & INFO_REGISTERED != 0,
        rated_w=convert((info >> 160) & U32_MAX, uint32),
        hw_class=convert((info >> 192) & 65535, uint16),
        region=convert((info >> 208) & 65535, uint16),
        wallet=convert(convert(info & WALLET_MASK, uint160), address),
        last_seq=convert(progress & U32_MAX, uint32),
        last_energy_mwh=convert((progress >> 32) & U64_MAX, uint64),
        last_time=convert((progress >> 96) & U64_MAX, uint64),
        chain_head=self._device_head[device],
        revoked=info & INFO_REGISTERED != 0 and self._revoked(info, self._limits_word),
        manufacturer=self._manufacturer_at[(info >> 224) & 255])


@view
@external
def payout_params() -> PayoutParams:
    """
    @notice The payout parameters in force (RULES.md table, without the price table).
    @return The parameters.
    """
    return self._load_params()


@view
@external
def pending_params() -> (PayoutParams, uint256):
    """
    @notice The scheduled parameters and when they may be applied (0: nothing scheduled).
    @return The parameters and the earliest block time of apply_params.
    """
    return self._pending_params, self._pending_params_at


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
def pending_price(region: uint16) -> (uint64, bool, uint256):
    """
    @notice A region's scheduled price change.
    @param region Region code.
    @return The new price, True to set (False to clear), and the earliest block time of
            apply_price (0: nothing scheduled).
    """
    word: uint256 = self._pending_prices[region]
    return convert(word & U64_MAX, uint64), word & PRICE_SET != 0, word >> 128


@view
@external
def pending_price_regions() -> DynArray[uint16, 2 * PRICE_TABLE_CAPACITY]:
    """
    @notice Every region with a scheduled price change (see pending_price).
    @return Region codes.
    """
    return self._pending_price_regions


@view
@external
def price_regions() -> DynArray[uint16, PRICE_TABLE_CAPACITY]:
    """
    @notice Every region that has a price now (at most PRICE_TABLE_CAPACITY, region 0 included).
    @return Region codes.
    """
    return self._price_regions


@view
@external
def network_energy_mwh() -> uint64:
    """
    @notice Total energy paid for by this deployment.
    @return Energy in mWh.
    """
    return convert(self._network_word & U64_MAX, uint64)


@view
@external
def network_state() -> NetworkState:
    """
    @notice The network state claims are checked against: paid energy, the halving era and the
            energy left in it, and the energy paid in the mint window of window_time.
    @return The stored network state.
    """
    nw: uint256 = self._network_word
    return NetworkState(
        energy_mwh=convert(nw & U64_MAX, uint64),
        era=convert((self._limits_word >> 128) & 255, uint8),
        era_left_mwh=convert((nw >> 64) & U64_MAX, uint64),
        window_used_mwh=convert((nw >> 128) & U64_MAX, uint64),
        window_time=convert(nw >> 192, uint64))


@view
@external
def is_manufacturer(manufacturer: address) -> bool:
    """
    @notice Whether a key's attestations register devices now (accepted and not revoked).
    @param manufacturer Address of the manufacturer key.
    @return True when accepted.
    """
    word: uint256 = self._manufacturers[manufacturer]
    return word & 255 != 0 and word & MANUFACTURER_REVOKED == 0


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


@view
@internal
def _deployment_id() -> bytes32:
    return keccak256(concat(
        b"CSM-DEPLOY-v1", b"\x01", convert(convert(chain.id, uint64), bytes8),
        convert(convert(self, uint256), bytes32)))


@pure
@internal
def _revoked(info: uint256, lw: uint256) -> bool:
    # Revoked itself, or attested by a revoked manufacturer and not reinstated since.
    if info & INFO_REVOKED != 0:
        return True
    return info & INFO_REINSTATED == 0 and (lw >> (REVOKED_BITMAP_SHIFT + ((info >> 224) & 255))) & 1 != 0


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
    lw: uint256 = self._limits_word
    return PayoutParams(
        cap_mwh_per_day=convert(pw & U32_MAX, uint64),
        peak_sun_hours=convert((pw >> 240) & 255, uint32),
        min_claim_mwh=convert((pw >> 64) & U64_MAX, uint64),
        max_clock_skew_s=convert((pw >> 192) & U32_MAX, uint64),
        share_bps=convert((pw >> 224) & 65535, uint16),
        tokens_per_usd=convert((pw >> 128) & U64_MAX, uint64),
        era_length_mwh=convert(lw & U64_MAX, uint64),
        window_s=convert((pw >> 32) & U32_MAX, uint64),
        window_limit_mwh=convert((lw >> 64) & U64_MAX, uint64))


@pure
@internal
def _check_params(p: PayoutParams):
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
    assert convert(p.window_s, uint256) >= MIN_WINDOW_S and convert(p.window_s, uint256) <= MAX_WINDOW_S, \
        "BAD_PARAMETER"
    assert p.window_limit_mwh >= 1, "BAD_PARAMETER"


@internal
def _store_params(p: PayoutParams, paused: bool):
    self._check_params(p)
    self._payout_word = convert(p.cap_mwh_per_day, uint256) \
        | (convert(p.window_s, uint256) << 32) \
        | (convert(p.min_claim_mwh, uint256) << 64) \
        | (convert(p.tokens_per_usd, uint256) << 128) \
        | (convert(p.max_clock_skew_s, uint256) << 192) \
        | (convert(p.share_bps, uint256) << 224) \
        | (convert(p.peak_sun_hours, uint256) << 240) \
        | (convert(paused, uint256) << 248)
    # The era and the revoked-manufacturer bits stay; a new era length applies from the next era.
    self._limits_word = (self._limits_word & ~LOW_128) \
        | convert(p.era_length_mwh, uint256) | (convert(p.window_limit_mwh, uint256) << 64)
    log ParamsChanged(cap_mwh_per_day=p.cap_mwh_per_day, peak_sun_hours=p.peak_sun_hours,
                      min_claim_mwh=p.min_claim_mwh, max_clock_skew_s=p.max_clock_skew_s,
                      share_bps=p.share_bps, tokens_per_usd=p.tokens_per_usd,
                      era_length_mwh=p.era_length_mwh, window_s=p.window_s,
                      window_limit_mwh=p.window_limit_mwh)


@internal
def _schedule_price(region: uint16, word: uint256):
    at: uint256 = block.timestamp + PARAMS_DELAY_S
    if self._pending_prices[region] == 0:
        assert len(self._pending_price_regions) < 2 * PRICE_TABLE_CAPACITY, "PRICE_TABLE_FULL"
        self._pending_price_regions.append(region)
    self._pending_prices[region] = word | (at << 128)
    log PriceScheduled(region=region, price_micro_usd_per_kwh=convert(word & U64_MAX, uint64),
                       is_set=word & PRICE_SET != 0, effective_at=at)


@internal
def _set_price(region: uint16, price: uint64):
    assert convert(price, uint256) <= MAX_PRICE, "BAD_PARAMETER"
    if self._prices[region] == 0:
        assert len(self._price_regions) < PRICE_TABLE_CAPACITY, "PRICE_TABLE_FULL"
        self._price_regions.append(region)
    self._prices[region] = PRICE_SET | convert(price, uint256)
    log PriceChanged(region=region, price_micro_usd_per_kwh=price, is_set=True)


@internal
def _clear_price(region: uint16):
    if self._prices[region] != 0:
        self._remove_region(region, False)
    self._prices[region] = 0
    log PriceChanged(region=region, price_micro_usd_per_kwh=0, is_set=False)


@internal
def _remove_region(region: uint16, pending: bool):
    # Swap-remove from the price table's or the pending changes' region list (order is not kept).
    if pending:
        count: uint256 = len(self._pending_price_regions)
        for i: uint256 in range(2 * PRICE_TABLE_CAPACITY):
            if i >= count:
                break
            if self._pending_price_regions[i] == region:
                self._pending_price_regions[i] = self._pending_price_regions[count - 1]
                self._pending_price_regions.pop()
                break
    else:
        count: uint256 = len(self._price_regions)
        for i: uint256 in range(PRICE_TABLE_CAPACITY):
            if i >= count:
                break
            if self._price_regions[i] == region:
                self._price_regions[i] = self._price_regions[count - 1]
                self._price_regions.pop()
                break


@internal
def _claim_one(c: Checkpoint, pw: uint256, lw: uint256, network: uint256, era: uint256, era_left: uint256,
               used: uint256) -> (uint8, uint256, uint256, uint256, uint256):
    """
    @dev RULES.md checks 2-13 in order; returns (code, tokens, delta, era, era_left) and changes
         state only on success (code 0); on failure the era and era_left come back unchanged.
         The revocation test and the era split are written out here rather than called: this
         runs once per claim and internal calls cost gas. Products use unchecked arithmetic
         where the packed widths bound them far below 2**256 (noted at each).
    """
    message: Bytes[115] = concat(b"CSM-CKPT-v1", convert(c.device, bytes20), c.deployment_id,
                                 convert(c.seq, bytes4), convert(c.energy_mwh, bytes8),
                                 convert(c.device_time, bytes8), c.chain_head)
    signer: address = self._recover(keccak256(message), c.v, c.r, c.s)
    if signer != c.device or signer == empty(address):
        return BAD_SIGNATURE, 0, 0, era, era_left
    info: uint256 = self._device_info[c.device]
    if info & INFO_REGISTERED == 0:
        return UNKNOWN_DEVICE, 0, 0, era, era_left
    # Revoked itself, or attested by a revoked manufacturer and not reinstated since (as _revoked).
    if info & INFO_REVOKED != 0 or (info & INFO_REINSTATED == 0 and
                                    (lw >> (REVOKED_BITMAP_SHIFT + ((info >> 224) & 255))) & 1 != 0):
        return REVOKED, 0, 0, era, era_left
    wallet: address = convert(convert(info & WALLET_MASK, uint160), address)
    if wallet == empty(address):
        return NOT_BOUND, 0, 0, era, era_left
    if c.deployment_id != _DEPLOYMENT_ID or chain.id != DEPLOY_CHAIN_ID:
        return WRONG_DEPLOYMENT, 0, 0, era, era_left
    progress: uint256 = self._device_progress[c.device]
    seq: uint256 = convert(c.seq, uint256)
    energy: uint256 = convert(c.energy_mwh, uint256)
    t: uint256 = convert(c.device_time, uint256)
    last_energy: uint256 = (progress >> 32) & U64_MAX
    last_time: uint256 = (progress >> 96) & U64_MAX
    if seq <= progress & U32_MAX:
        return REPLAY, 0, 0, era, era_left
    if energy <= last_energy:
        return ENERGY_NOT_INCREASING, 0, 0, era, era_left
    if t <= last_time:
        return TIME_NOT_INCREASING, 0, 0, era, era_left
    if t > block.timestamp + ((pw >> 192) & U32_MAX):
        return FUTURE_DATED, 0, 0, era, era_left
    delta: uint256 = unsafe_sub(energy, last_energy)
    # rated_w < 2**32, peak_sun_hours < 2**8: the product is < 2**50; daily < 2**32, elapsed < 2**64.
    daily: uint256 = min(pw & U32_MAX, unsafe_mul(unsafe_mul((info >> 160) & U32_MAX, (pw >> 240) & 255), 1000))
    if delta > unsafe_div(unsafe_mul(daily, unsafe_sub(t, last_time)), SECONDS_PER_DAY):
        return OVER_CAP, 0, 0, era, era_left
    if delta < (pw >> 64) & U64_MAX:
        return BELOW_THRESHOLD, 0, 0, era, era_left
    if unsafe_add(network, delta) > U64_MAX:
        return OVERFLOW, 0, 0, era, era_left

    # Tokens: split at the stored era boundaries (the current era ends where it was scheduled,
    # later eras have the current length) and round down per portion.
    price_word: uint256 = self._prices[convert((info >> 208) & 65535, uint16)]
    if price_word == 0:
        price_word = self._prices[0]
    # price < 2**64, share_bps < 2**16; portion < 2**64: value_micro < 2**144, tokens_per_usd < 2**64.
    value_per_mwh: uint256 = unsafe_mul(price_word & U64_MAX, (pw >> 224) & 65535)
    tokens_per_usd: uint256 = (pw >> 128) & U64_MAX
    left: uint256 = delta
    tokens: uint256 = 0
    k: uint256 = era
    k_left: uint256 = era_left
    for i: uint256 in range(MAX_ERA + 1):
        if left == 0 or k >= MAX_ERA:
            break
        portion: uint256 = min(left, k_left)
        value_micro: uint256 = unsafe_div(unsafe_mul(portion, value_per_mwh), 10_000_000_000)
        tokens = unsafe_add(tokens, unsafe_div(unsafe_mul(value_micro, tokens_per_usd), 1_000_000 << k))
        left = unsafe_sub(left, portion)
        k_left = unsafe_sub(k_left, portion)
        if k_left == 0:
            k = unsafe_add(k, 1)
            if k < MAX_ERA:
                k_left = lw & U64_MAX
    if tokens > U64_MAX:
        return OVERFLOW, 0, 0, era, era_left
    if unsafe_add(used, delta) > (lw >> 64) & U64_MAX:
        return WINDOW_FULL, 0, 0, era, era_left

    self._device_progress[c.device] = PROGRESS_HAS_STATE | seq | (energy << 32) | (t << 96)
    self._device_head[c.device] = c.chain_head
    if tokens > 0:
        erc20._mint(wallet, tokens)
    return 0, tokens, delta, k, k_left
