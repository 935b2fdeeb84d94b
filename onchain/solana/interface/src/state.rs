//! Account layouts. Every account starts with `account_type u8, version u8` and ends in reserved
//! zero bytes, so a later version can add fields in place (Helium lazy-distributor style). All
//! integers are little-endian; sizes are fixed so accounts never need reallocating.

use solana_address::Address;

use crate::bytes::{Reader, Writer};
use crate::error::CsmError;
use crate::message::EthAddress;
use crate::params::{ParamsV0, PARAMS_V0_LEN};

pub const ACCOUNT_TYPE_CONFIG: u8 = 1;
pub const ACCOUNT_TYPE_MANUFACTURER: u8 = 2;
pub const ACCOUNT_TYPE_DEVICE: u8 = 3;
pub const VERSION_0: u8 = 0;
/// Regions with their own price; region 0 is the default every other region falls back to.
pub const MAX_PRICES: usize = 32;

fn header(data: &[u8], account_type: u8) -> Result<Reader<'_>, CsmError> {
    let mut r = Reader::new(data);
    if r.u8() != Some(account_type) || r.u8() != Some(VERSION_0) {
        return Err(CsmError::InvalidAccount);
    }
    Ok(r)
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

/// Deployment-wide state: authority, reward mint, parameters, price table and the network total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigV0 {
    pub bump: u8,
    pub mint_authority_bump: u8,
    pub paused: bool,
    pub authority: Address,
    pub mint: Address,
    pub chain_id: u64,
    pub deployment_id: [u8; 32],
    pub network_energy_mwh: u64,
    pub params: ParamsV0,
    pub prices: PriceTable,
}

impl ConfigV0 {
    pub const RESERVED: usize = 64;
    pub const LEN: usize = 8 + 32 + 32 + 8 + 32 + 8 + PARAMS_V0_LEN + 2 + MAX_PRICES * 10 + Self::RESERVED;
    /// Offset of `network_energy_mwh`, the one field a claim batch changes.
    pub const NETWORK_ENERGY_OFFSET: usize = 8 + 32 + 32 + 8 + 32;

    /// RULES.md: the region's price if set, else region 0's, else 0.
    pub fn price_for(&self, region: u16) -> u64 {
        self.prices.get(region).or_else(|| self.prices.get(0)).unwrap_or(0)
    }

    pub fn unpack(data: &[u8]) -> Result<Self, CsmError> {
        let mut r = header(data, ACCOUNT_TYPE_CONFIG)?;
        let bad = CsmError::InvalidAccount;
        let bump = r.u8().ok_or(bad)?;
        let mint_authority_bump = r.u8().ok_or(bad)?;
        let paused = r.u8().ok_or(bad)? != 0;
        r.take(3).ok_or(bad)?;
        let authority = Address::new_from_array(r.array().ok_or(bad)?);
        let mint = Address::new_from_array(r.array().ok_or(bad)?);
        let chain_id = r.u64_le().ok_or(bad)?;
        let deployment_id = r.array().ok_or(bad)?;
        let network_energy_mwh = r.u64_le().ok_or(bad)?;
        let params = ParamsV0::read(&mut r).ok_or(bad)?;
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
            authority,
            mint,
            chain_id,
            deployment_id,
            network_energy_mwh,
            params,
            prices,
        })
    }

    pub fn pack(&self, dst: &mut [u8]) -> Result<(), CsmError> {
        if dst.len() != Self::LEN {
            return Err(CsmError::InvalidAccount);
        }
        let mut w = Writer::new(dst);
        self.write(&mut w).filter(|_| w.is_full()).ok_or(CsmError::InvalidAccount)
    }

    /// Every price slot is written (unused ones are zero, as `PriceTable` keeps them), so the layout
    /// has no variable-length part.
    #[inline(always)]
    fn write(&self, w: &mut Writer) -> Option<()> {
        w.put(&[ACCOUNT_TYPE_CONFIG, VERSION_0, self.bump, self.mint_authority_bump])?;
        w.put(&[self.paused as u8, 0, 0, 0])?;
        w.put(self.authority.as_ref())?;
        w.put(self.mint.as_ref())?;
        w.u64_le(self.chain_id)?;
        w.put(&self.deployment_id)?;
        w.u64_le(self.network_energy_mwh)?;
        self.params.write(w)?;
        w.put(&[self.prices.len, 0])?;
        for (region, price) in &self.prices.entries {
            w.u16_le(*region)?;
            w.u64_le(*price)?;
        }
        w.zeros::<{ Self::RESERVED }>()
    }
}

/// A manufacturer key allowed to attest devices. Removal clears `active` (the address stays known).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManufacturerV0 {
    pub bump: u8,
    pub active: bool,
    pub address: EthAddress,
}

impl ManufacturerV0 {
    pub const RESERVED: usize = 40;
    pub const LEN: usize = 4 + 20 + Self::RESERVED;

    pub fn unpack(data: &[u8]) -> Result<Self, CsmError> {
        let mut r = header(data, ACCOUNT_TYPE_MANUFACTURER)?;
        let bad = CsmError::InvalidAccount;
        Ok(Self {
            bump: r.u8().ok_or(bad)?,
            active: r.u8().ok_or(bad)? != 0,
            address: r.array().ok_or(bad)?,
        })
    }

    pub fn pack(&self, dst: &mut [u8]) -> Result<(), CsmError> {
        if dst.len() != Self::LEN {
            return Err(CsmError::InvalidAccount);
        }
        let mut w = Writer::new(dst);
        w.put(&[ACCOUNT_TYPE_MANUFACTURER, VERSION_0, self.bump, self.active as u8])
            .and_then(|_| w.put(&self.address))
            .and_then(|_| w.zeros::<{ Self::RESERVED }>())
            .filter(|_| w.is_full())
            .ok_or(CsmError::InvalidAccount)
    }
}

pub const DEVICE_FLAG_BOUND: u8 = 1;
/// Set by the first bind: from then on every bind and claim must move `last_*` forward.
pub const DEVICE_FLAG_HAS_STATE: u8 = 2;

/// Per-device state, updated in place by every bind and claim (cumulative, no per-claim accounts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceV0 {
    pub bump: u8,
    pub flags: u8,
    pub device: EthAddress,
    pub manufacturer: EthAddress,
    pub rated_w: u32,
    pub hw_class: u16,
    pub region: u16,
    pub serial: u64,
    pub last_seq: u32,
    pub last_energy_mwh: u64,
    pub last_time: u64,
    pub chain_head: [u8; 32],
    pub wallet: Address,
    pub total_tokens: u64,
}

impl DeviceV0 {
    pub const RESERVED: usize = 48;
    pub const LEN: usize = 4 + 20 + 20 + 4 + 2 + 2 + 8 + 4 + 8 + 8 + 32 + 32 + 8 + Self::RESERVED;

    pub fn bound(&self) -> bool {
        self.flags & DEVICE_FLAG_BOUND != 0
    }

    pub fn has_state(&self) -> bool {
        self.flags & DEVICE_FLAG_HAS_STATE != 0
    }

    pub fn unpack(data: &[u8]) -> Result<Self, CsmError> {
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
        })
    }

    pub fn pack(&self, dst: &mut [u8]) -> Result<(), CsmError> {
        if dst.len() != Self::LEN {
            return Err(CsmError::InvalidAccount);
        }
        let mut w = Writer::new(dst);
        self.write(&mut w).filter(|_| w.is_full()).ok_or(CsmError::InvalidAccount)
    }

    #[inline(always)]
    fn write(&self, w: &mut Writer) -> Option<()> {
        w.put(&[ACCOUNT_TYPE_DEVICE, VERSION_0, self.bump, self.flags])?;
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
        w.zeros::<{ Self::RESERVED }>()
    }
}
