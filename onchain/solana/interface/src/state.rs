//! Account layouts. Every account starts with `account_type u8, version u8` and ends in reserved
//! zero bytes, so a later version can add fields in place (Helium lazy-distributor style). All
//! integers are little-endian; sizes are fixed so accounts never need reallocating.
//!
//! ## Versions
//!
//! Version 1 (RULES.md version 2) is the only version this program reads; an account of version 0
//! is refused as `INVALID_ACCOUNT` (a device as `UNKNOWN_DEVICE`). What changed:
//!
//! - **Device** (200 bytes, as v0): `manufacturer_index` (u8) takes the first reserved byte (152);
//!   `flags` gains `REVOKED` (4) and `REINSTATED` (8); `region` now means the registered site region
//!   (0 until `SetDeviceRegionV0`), and `last_time` is the cap clock.
//! - **Manufacturer** (64 bytes, as v0): byte 3, `active` in v0, is now `revoked` (final); `index`
//!   (u8, 1..=100, the bit of the config's revocation bitmap) takes the first reserved byte (24).
//! - **Config** (2 064 bytes; v0 had 552): the part a claim reads and writes comes first
//!   ([`ConfigV1`], 608 bytes: the network state with the stored era and the mint window, the
//!   revoked-manufacturer bitmap, `ParamsV1` with the window, the price table); the part only the
//!   authority's instructions touch follows ([`ConfigAdminV1`] and the scheduled prices), so a claim
//!   never parses the scheduled changes.
//!
//! Why no in-place migration from v0: no v0 deployment pays on a public cluster, and a v0 device's
//! state cannot be completed without its manufacturer's account (its index) and a v0 config cannot
//! grow without a reallocation; a v0 deployment is redeployed (`csm chain deploy`).

use solana_address::Address;

use crate::bytes::{Reader, Writer};
use crate::error::CsmError;
pub use crate::limits::{MAX_PENDING_PRICES, MAX_PRICES};
use crate::message::EthAddress;
use crate::params::{ParamsV1, PARAMS_V1_LEN};
use crate::payout::NetworkState;

pub const ACCOUNT_TYPE_CONFIG: u8 = 1;
pub const ACCOUNT_TYPE_MANUFACTURER: u8 = 2;
pub const ACCOUNT_TYPE_DEVICE: u8 = 3;
pub const VERSION_1: u8 = 1;

#[inline(always)]
fn header(data: &[u8], account_type: u8) -> Result<Reader<'_>, CsmError> {
    let mut r = Reader::new(data);
    if r.u8() != Some(account_type) || r.u8() != Some(VERSION_1) {
        return Err(CsmError::InvalidAccount);
    }
    Ok(r)
}

/// Bit `index` of the 128-bit revoked-manufacturer bitmap (bytes little-endian: bit i is
/// `bitmap[i / 8] >> (i % 8)`). Bytes, not a `u128`: the SBPF build has no 128-bit shifts.
#[inline(always)]
pub fn bitmap_bit(bitmap: &[u8; 16], index: u8) -> bool {
    let i = index as usize;
    bitmap.get(i / 8).is_some_and(|b| (b >> (i % 8)) & 1 == 1)
}

#[inline(always)]
pub fn bitmap_set(bitmap: &mut [u8; 16], index: u8) {
    let i = index as usize;
    if let Some(b) = bitmap.get_mut(i / 8) {
        *b |= 1 << (i % 8);
    }
}

/// (region, price in micro-USD per kWh), unsorted, at most `MAX_PRICES` entries: a fixed table so
/// the program never allocates. Slots past `len` are always (0, 0), which is what the account
/// stores there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceTable {
    len: u8,
    entries: [(u16, u64); MAX_PRICES],
}

impl Default for PriceTable {
    fn default() -> Self {
        Self { len: 0, entries: [(0, 0); MAX_PRICES] }
    }
}

impl PriceTable {
    /// `None` when `entries` has more than `MAX_PRICES` items.
    pub fn from_slice(entries: &[(u16, u64)]) -> Option<Self> {
        let mut t = Self::default();
        t.entries.get_mut(..entries.len())?.copy_from_slice(entries);
        t.len = entries.len() as u8;
        Some(t)
    }

    pub fn as_slice(&self) -> &[(u16, u64)] {
        &self.entries[..self.len as usize]
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, region: u16) -> Option<u64> {
        self.as_slice().iter().find(|(r, _)| *r == region).map(|(_, p)| *p)
    }

    /// Whether `region` could be set now: it has a price already, or a slot is free.
    pub fn has_room_for(&self, region: u16) -> bool {
        self.get(region).is_some() || self.len() < MAX_PRICES
    }

    /// Sets or replaces a region's price; `PRICE_TABLE_FULL` when a new region does not fit.
    pub fn set(&mut self, region: u16, price: u64) -> Result<(), CsmError> {
        let len = self.len as usize;
        if let Some(entry) = self.entries[..len].iter_mut().find(|(r, _)| *r == region) {
            entry.1 = price;
            return Ok(());
        }
        let slot = self.entries.get_mut(len).ok_or(CsmError::PriceTableFull)?;
        *slot = (region, price);
        self.len += 1;
        Ok(())
    }

    /// Removes a region's entry (the last entry takes its place); absent regions are no change.
    pub fn remove(&mut self, region: u16) {
        let len = self.len as usize;
        if let Some(i) = self.entries[..len].iter().position(|(r, _)| *r == region) {
            self.entries[i] = self.entries[len - 1];
            self.entries[len - 1] = (0, 0);
            self.len -= 1;
        }
    }
}

/// The part of the deployment's config every claim reads (and writes back): authority, mint,
/// deployment id, the network state, revoked manufacturers, parameters and prices. Bytes
/// `0..CORE_LEN` of the config account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigV1 {
    pub bump: u8,
    pub mint_authority_bump: u8,
    pub paused: bool,
    /// Manufacturers ever added; the next one gets index `manufacturer_count + 1`.
    pub manufacturer_count: u8,
    /// All zero once renounced: then nobody holds the authority's powers.
    pub authority: Address,
    pub mint: Address,
    pub chain_id: u64,
    pub deployment_id: [u8; 32],
    pub network: NetworkState,
    /// Bit i set: the manufacturer of index i is revoked (for good).
    pub revoked_manufacturers: [u8; 16],
    pub params: ParamsV1,
    pub prices: PriceTable,
}

impl ConfigV1 {
    /// Reserved bytes at the end of the claim part, for later claim-path fields.
    pub const RESERVED: usize = 64;
    /// Length of the claim part: header, keys, ids, network state, bitmap, parameters, prices.
    pub const CORE_LEN: usize =
        8 + 32 + 32 + 8 + 32 + 32 + 16 + PARAMS_V1_LEN + 2 + MAX_PRICES * 10 + Self::RESERVED;
    /// Length of the whole account (claim part and admin part).
    pub const LEN: usize = Self::CORE_LEN + ConfigAdminV1::LEN;
    /// Offset of the network state (energy, era left, window used, window time; the era is byte 5).
    pub const NETWORK_OFFSET: usize = 8 + 32 + 32 + 8 + 32;

    /// RULES.md: the region's price if set, else region 0's, else 0.
    pub fn price_for(&self, region: u16) -> u64 {
        self.prices.get(region).or_else(|| self.prices.get(0)).unwrap_or(0)
    }

    /// Not renounced, and `key` is the authority.
    pub fn is_authority(&self, key: &Address) -> bool {
        *key == self.authority && self.authority != Address::new_from_array([0; 32])
    }

    /// Reads the claim part of a whole config account (`INVALID_ACCOUNT` for any other bytes).
    #[inline(always)]
    pub fn unpack(data: &[u8]) -> Result<Self, CsmError> {
        if data.len() != Self::LEN {
            return Err(CsmError::InvalidAccount);
        }
        let mut r = header(data, ACCOUNT_TYPE_CONFIG)?;
        let bad = CsmError::InvalidAccount;
        let bump = r.u8().ok_or(bad)?;
        let mint_authority_bump = r.u8().ok_or(bad)?;
        let paused = r.u8().ok_or(bad)? != 0;
        let era = r.u8().ok_or(bad)?;
        let manufacturer_count = r.u8().ok_or(bad)?;
        r.u8().ok_or(bad)?;
        let authority = Address::new_from_array(r.array().ok_or(bad)?);
        let mint = Address::new_from_array(r.array().ok_or(bad)?);
        let chain_id = r.u64_le().ok_or(bad)?;
        let deployment_id = r.array().ok_or(bad)?;
        let network = NetworkState {
            energy_mwh: r.u64_le().ok_or(bad)?,
            era,
            era_left_mwh: r.u64_le().ok_or(bad)?,
            window_used_mwh: r.u64_le().ok_or(bad)?,
            window_time: r.u64_le().ok_or(bad)?,
        };
        let revoked_manufacturers = r.array().ok_or(bad)?;
        let params = ParamsV1::read(&mut r).ok_or(bad)?;
        let count = r.u8().ok_or(bad)? as usize;
        r.u8().ok_or(bad)?;
        if count > MAX_PRICES {
            return Err(bad);
        }
        let mut prices = PriceTable::default();
        for slot in prices.entries[..count].iter_mut() {
            *slot = (r.u16_le().ok_or(bad)?, r.u64_le().ok_or(bad)?);
        }
        prices.len = count as u8;
        Ok(Self {
            bump,
            mint_authority_bump,
            paused,
            manufacturer_count,
            authority,
            mint,
            chain_id,
            deployment_id,
            network,
            revoked_manufacturers,
            params,
            prices,
        })
    }

    /// Writes the claim part into a whole config account; the admin part is left as it is.
    #[inline(always)]
    pub fn pack(&self, dst: &mut [u8]) -> Result<(), CsmError> {
        if dst.len() != Self::LEN {
            return Err(CsmError::InvalidAccount);
        }
        let mut w = Writer::new(&mut dst[..Self::CORE_LEN]);
        self.write(&mut w).filter(|_| w.is_full()).ok_or(CsmError::InvalidAccount)
    }

    /// Every price slot is written (unused ones are zero, as `PriceTable` keeps them), so the layout
    /// has no variable-length part.
    #[inline(always)]
    fn write(&self, w: &mut Writer) -> Option<()> {
        w.put(&[ACCOUNT_TYPE_CONFIG, VERSION_1, self.bump, self.mint_authority_bump])?;
        w.put(&[self.paused as u8, self.network.era, self.manufacturer_count, 0])?;
        w.put(self.authority.as_ref())?;
        w.put(self.mint.as_ref())?;
        w.u64_le(self.chain_id)?;
        w.put(&self.deployment_id)?;
        w.u64_le(self.network.energy_mwh)?;
        w.u64_le(self.network.era_left_mwh)?;
        w.u64_le(self.network.window_used_mwh)?;
        w.u64_le(self.network.window_time)?;
        w.put(&self.revoked_manufacturers)?;
        self.params.write(w)?;
        w.put(&[self.prices.len, 0])?;
        for (region, price) in &self.prices.entries {
            w.u16_le(*region)?;
            w.u64_le(*price)?;
        }
        w.zeros::<{ Self::RESERVED }>()
    }
}

/// The part of the config only the authority's instructions (and the apply instructions) touch:
/// the proposed authority, the published delay and the scheduled parameters. Bytes
/// `ConfigV1::CORE_LEN..` of the config account, followed by the scheduled prices
/// ([`PendingPrices`]) and reserved bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigAdminV1 {
    /// Proposed by the authority, accepted by its own signature; all zero when none.
    pub pending_authority: Address,
    /// Fixed at initialisation (`limits::PARAMS_DELAY_S_MIN..=MAX`).
    pub params_delay_s: u64,
    /// Earliest chain time `ApplyParamsV0` may apply `pending_params`; 0 when nothing is scheduled.
    pub pending_params_at: u64,
    pub pending_params: ParamsV1,
}

impl ConfigAdminV1 {
    const FIELDS_LEN: usize = 32 + 8 + 8 + PARAMS_V1_LEN;
    pub const RESERVED: usize = 64;
    pub const LEN: usize = Self::FIELDS_LEN + PendingPrices::LEN + Self::RESERVED;

    #[inline(always)]
    fn part(data: &[u8]) -> Result<&[u8], CsmError> {
        if data.len() != ConfigV1::LEN {
            return Err(CsmError::InvalidAccount);
        }
        header(data, ACCOUNT_TYPE_CONFIG)?;
        Ok(&data[ConfigV1::CORE_LEN..ConfigV1::CORE_LEN + Self::FIELDS_LEN])
    }

    /// Reads the admin part of a whole config account.
    #[inline(always)]
    pub fn unpack(data: &[u8]) -> Result<Self, CsmError> {
        let mut r = Reader::new(Self::part(data)?);
        let bad = CsmError::InvalidAccount;
        Ok(Self {
            pending_authority: Address::new_from_array(r.array().ok_or(bad)?),
            params_delay_s: r.u64_le().ok_or(bad)?,
            pending_params_at: r.u64_le().ok_or(bad)?,
            pending_params: ParamsV1::read(&mut r).ok_or(bad)?,
        })
    }

    /// Writes the admin part into a whole config account (scheduled prices untouched).
    #[inline(always)]
    pub fn pack(&self, dst: &mut [u8]) -> Result<(), CsmError> {
        Self::part(dst)?;
        let start = ConfigV1::CORE_LEN;
        let mut w = Writer::new(&mut dst[start..start + Self::FIELDS_LEN]);
        w.put(self.pending_authority.as_ref())
            .and_then(|_| w.u64_le(self.params_delay_s))
            .and_then(|_| w.u64_le(self.pending_params_at))
            .and_then(|_| self.pending_params.write(&mut w))
            .filter(|_| w.is_full())
            .ok_or(CsmError::InvalidAccount)
    }

    /// Offset of the scheduled-price list in the config account.
    pub const PENDING_PRICES_OFFSET: usize = ConfigV1::CORE_LEN + Self::FIELDS_LEN;
}

/// A scheduled price change: set `price` (or clear the region's price) once chain time reaches `at`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingPrice {
    pub region: u16,
    /// `None` clears the region's price (it then falls back to region 0's).
    pub price: Option<u64>,
    pub at: u64,
}

impl PendingPrice {
    pub const LEN: usize = 20;

    #[inline(always)]
    fn read(b: &[u8]) -> Option<Self> {
        let mut r = Reader::new(b);
        let region = r.u16_le()?;
        let set = r.u8()?;
        r.u8()?;
        let price = r.u64_le()?;
        let at = r.u64_le()?;
        Some(Self { region, price: (set != 0).then_some(price), at })
    }

    #[inline(always)]
    fn bytes(&self) -> [u8; Self::LEN] {
        let mut out = [0u8; Self::LEN];
        let mut w = Writer::new(&mut out);
        let _ = w
            .u16_le(self.region)
            .and_then(|_| w.put(&[self.price.is_some() as u8, 0]))
            .and_then(|_| w.u64_le(self.price.unwrap_or(0)))
            .and_then(|_| w.u64_le(self.at));
        out
    }
}

/// The scheduled price changes, read and changed in place in the config account (a count byte, a
/// pad byte, then `MAX_PENDING_PRICES` slots of 20 bytes; slots past the count are zero). In place
/// rather than copied out: 64 entries on the SBPF stack would crowd its 4 kB frame.
pub struct PendingPrices<'a> {
    data: &'a mut [u8],
}

impl<'a> PendingPrices<'a> {
    pub const LEN: usize = 2 + MAX_PENDING_PRICES * PendingPrice::LEN;

    /// The list inside a whole config account.
    #[inline(always)]
    pub fn of(account: &'a mut [u8]) -> Result<Self, CsmError> {
        if account.len() != ConfigV1::LEN {
            return Err(CsmError::InvalidAccount);
        }
        header(account, ACCOUNT_TYPE_CONFIG)?;
        let start = ConfigAdminV1::PENDING_PRICES_OFFSET;
        let list = Self { data: &mut account[start..start + Self::LEN] };
        if list.len() > MAX_PENDING_PRICES {
            return Err(CsmError::InvalidAccount);
        }
        Ok(list)
    }

    pub fn len(&self) -> usize {
        self.data[0] as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline(always)]
    fn slot(i: usize) -> core::ops::Range<usize> {
        2 + i * PendingPrice::LEN..2 + (i + 1) * PendingPrice::LEN
    }

    /// Entry `i` (`None` past the count).
    #[inline(always)]
    pub fn get(&self, i: usize) -> Option<PendingPrice> {
        if i >= self.len() {
            return None;
        }
        PendingPrice::read(&self.data[Self::slot(i)])
    }

    /// Index of `region`'s scheduled change, if any.
    #[inline(always)]
    pub fn find(&self, region: u16) -> Option<usize> {
        (0..self.len()).find(|&i| self.get(i).is_some_and(|p| p.region == region))
    }

    /// Schedules `entry`, replacing the region's earlier change; `PRICE_TABLE_FULL` when the list is full.
    #[inline(always)]
    pub fn upsert(&mut self, entry: &PendingPrice) -> Result<(), CsmError> {
        let i = match self.find(entry.region) {
            Some(i) => i,
            None if self.len() < MAX_PENDING_PRICES => {
                self.data[0] += 1;
                self.len() - 1
            }
            None => return Err(CsmError::PriceTableFull),
        };
        self.data[Self::slot(i)].copy_from_slice(&entry.bytes());
        Ok(())
    }

    /// Removes entry `i`; the last entry takes its place.
    #[inline(always)]
    pub fn remove(&mut self, i: usize) {
        let len = self.len();
        if i >= len {
            return;
        }
        let mut last = [0u8; PendingPrice::LEN];
        last.copy_from_slice(&self.data[Self::slot(len - 1)]);
        self.data[Self::slot(i)].copy_from_slice(&last);
        self.data[Self::slot(len - 1)].copy_from_slice(&[0u8; PendingPrice::LEN]);
        self.data[0] -= 1;
    }
}

/// A manufacturer key allowed to attest devices, until revoked (for good: RULES.md "Revocation").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManufacturerV1 {
    pub bump: u8,
    pub revoked: bool,
    pub address: EthAddress,
    /// 1..=`MAX_MANUFACTURERS`: the bit of the config's revoked-manufacturer bitmap.
    pub index: u8,
}

impl ManufacturerV1 {
    pub const RESERVED: usize = 39;
    pub const LEN: usize = 4 + 20 + 1 + Self::RESERVED;

    pub fn unpack(data: &[u8]) -> Result<Self, CsmError> {
        if data.len() != Self::LEN {
            return Err(CsmError::InvalidAccount);
        }
        let mut r = header(data, ACCOUNT_TYPE_MANUFACTURER)?;
        let bad = CsmError::InvalidAccount;
        Ok(Self {
            bump: r.u8().ok_or(bad)?,
            revoked: r.u8().ok_or(bad)? != 0,
            address: r.array().ok_or(bad)?,
            index: r.u8().ok_or(bad)?,
        })
    }

    pub fn pack(&self, dst: &mut [u8]) -> Result<(), CsmError> {
        if dst.len() != Self::LEN {
            return Err(CsmError::InvalidAccount);
        }
        let mut w = Writer::new(dst);
        w.put(&[ACCOUNT_TYPE_MANUFACTURER, VERSION_1, self.bump, self.revoked as u8])
            .and_then(|_| w.put(&self.address))
            .and_then(|_| w.put(&[self.index]))
            .and_then(|_| w.zeros::<{ Self::RESERVED }>())
            .filter(|_| w.is_full())
            .ok_or(CsmError::InvalidAccount)
    }
}

pub const DEVICE_FLAG_BOUND: u8 = 1;
/// Set by the first bind: from then on every bind and claim must move `last_*` forward.
pub const DEVICE_FLAG_HAS_STATE: u8 = 2;
/// Revoked by the authority: no bind, no claim.
pub const DEVICE_FLAG_REVOKED: u8 = 4;
/// Reinstated by the authority after a revocation: shielded from its manufacturer's revocation.
pub const DEVICE_FLAG_REINSTATED: u8 = 8;

/// Per-device state, updated in place by every bind and claim (cumulative, no per-claim accounts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceV1 {
    pub bump: u8,
    pub flags: u8,
    pub device: EthAddress,
    pub manufacturer: EthAddress,
    pub rated_w: u32,
    pub hw_class: u16,
    /// The registered site region (RULES.md "Price region"); a bind never changes it.
    pub region: u16,
    pub serial: u64,
    pub last_seq: u32,
    pub last_energy_mwh: u64,
    /// The cap clock.
    pub last_time: u64,
    pub chain_head: [u8; 32],
    pub wallet: Address,
    pub total_tokens: u64,
    pub manufacturer_index: u8,
}

impl DeviceV1 {
    pub const RESERVED: usize = 47;
    pub const LEN: usize = 4 + 20 + 20 + 4 + 2 + 2 + 8 + 4 + 8 + 8 + 32 + 32 + 8 + 1 + Self::RESERVED;

    pub fn bound(&self) -> bool {
        self.flags & DEVICE_FLAG_BOUND != 0
    }

    pub fn has_state(&self) -> bool {
        self.flags & DEVICE_FLAG_HAS_STATE != 0
    }

    /// RULES.md step 3a: revoked itself, or its manufacturer is revoked and the device was not
    /// reinstated since.
    #[inline(always)]
    pub fn revoked(&self, revoked_manufacturers: &[u8; 16]) -> bool {
        self.flags & DEVICE_FLAG_REVOKED != 0
            || (self.flags & DEVICE_FLAG_REINSTATED == 0 && bitmap_bit(revoked_manufacturers, self.manufacturer_index))
    }

    #[inline(always)]
    pub fn unpack(data: &[u8]) -> Result<Self, CsmError> {
        if data.len() != Self::LEN {
            return Err(CsmError::InvalidAccount);
        }
        let mut r = header(data, ACCOUNT_TYPE_DEVICE)?;
        let bad = CsmError::InvalidAccount;
        Ok(Self {
            bump: r.u8().ok_or(bad)?,
            flags: r.u8().ok_or(bad)?,
            device: r.array().ok_or(bad)?,
            manufacturer: r.array().ok_or(bad)?,
            rated_w: r.u32_le().ok_or(bad)?,
            hw_class: r.u16_le().ok_or(bad)?,
            region: r.u16_le().ok_or(bad)?,
            serial: r.u64_le().ok_or(bad)?,
            last_seq: r.u32_le().ok_or(bad)?,
            last_energy_mwh: r.u64_le().ok_or(bad)?,
            last_time: r.u64_le().ok_or(bad)?,
            chain_head: r.array().ok_or(bad)?,
            wallet: Address::new_from_array(r.array().ok_or(bad)?),
            total_tokens: r.u64_le().ok_or(bad)?,
            manufacturer_index: r.u8().ok_or(bad)?,
        })
    }

    #[inline(always)]
    pub fn pack(&self, dst: &mut [u8]) -> Result<(), CsmError> {
        if dst.len() != Self::LEN {
            return Err(CsmError::InvalidAccount);
        }
        let mut w = Writer::new(dst);
        self.write(&mut w).filter(|_| w.is_full()).ok_or(CsmError::InvalidAccount)
    }

    #[inline(always)]
    fn write(&self, w: &mut Writer) -> Option<()> {
        w.put(&[ACCOUNT_TYPE_DEVICE, VERSION_1, self.bump, self.flags])?;
        w.put(&self.device)?;
        w.put(&self.manufacturer)?;
        w.u32_le(self.rated_w)?;
        w.u16_le(self.hw_class)?;
        w.u16_le(self.region)?;
        w.u64_le(self.serial)?;
        w.u32_le(self.last_seq)?;
        w.u64_le(self.last_energy_mwh)?;
        w.u64_le(self.last_time)?;
        w.put(&self.chain_head)?;
        w.put(self.wallet.as_ref())?;
        w.u64_le(self.total_tokens)?;
        w.put(&[self.manufacturer_index])?;
        w.zeros::<{ Self::RESERVED }>()
    }
}
