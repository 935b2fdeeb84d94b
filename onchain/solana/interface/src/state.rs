//! Account layouts. Every account starts with `account_type u8, version u8` and ends in reserved
//! zero bytes, so a later version can add fields in place (Helium lazy-distributor style). All
//! integers are little-endian; sizes are fixed so accounts never need reallocating.

use solana_program::pubkey::Pubkey;

use crate::bytes::Reader;
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

fn write(dst: &mut [u8], src: &[u8]) -> Result<(), CsmError> {
    dst.get_mut(..src.len()).ok_or(CsmError::InvalidAccount)?.copy_from_slice(src);
    Ok(())
}

/// Deployment-wide state: authority, reward mint, parameters, price table and the network total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigV0 {
    pub bump: u8,
    pub mint_authority_bump: u8,
    pub paused: bool,
    pub authority: Pubkey,
    pub mint: Pubkey,
    pub chain_id: u64,
    pub deployment_id: [u8; 32],
    pub network_energy_mwh: u64,
    pub params: ParamsV0,
    /// (region, price in micro-USD per kWh), unsorted, at most `MAX_PRICES`.
    pub prices: Vec<(u16, u64)>,
}

impl ConfigV0 {
    pub const RESERVED: usize = 64;
    pub const LEN: usize = 8 + 32 + 32 + 8 + 32 + 8 + PARAMS_V0_LEN + 2 + MAX_PRICES * 10 + Self::RESERVED;

    /// RULES.md: the region's price if set, else region 0's, else 0.
    pub fn price_for(&self, region: u16) -> u64 {
        let find = |r: u16| self.prices.iter().find(|(k, _)| *k == r).map(|(_, p)| *p);
        find(region).or_else(|| find(0)).unwrap_or(0)
    }

    pub fn unpack(data: &[u8]) -> Result<Self, CsmError> {
        let mut r = header(data, ACCOUNT_TYPE_CONFIG)?;
        let bad = CsmError::InvalidAccount;
        let bump = r.u8().ok_or(bad)?;
        let mint_authority_bump = r.u8().ok_or(bad)?;
        let paused = r.u8().ok_or(bad)? != 0;
        r.take(3).ok_or(bad)?;
        let authority = Pubkey::new_from_array(r.array().ok_or(bad)?);
        let mint = Pubkey::new_from_array(r.array().ok_or(bad)?);
        let chain_id = r.u64_le().ok_or(bad)?;
        let deployment_id = r.array().ok_or(bad)?;
        let network_energy_mwh = r.u64_le().ok_or(bad)?;
        let params = ParamsV0::read(&mut r).ok_or(bad)?;
        let count = r.u8().ok_or(bad)? as usize;
        r.u8().ok_or(bad)?;
        if count > MAX_PRICES {
            return Err(bad);
        }
        let mut prices = Vec::with_capacity(count);
        for _ in 0..count {
            prices.push((r.u16_le().ok_or(bad)?, r.u64_le().ok_or(bad)?));
        }
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
        if dst.len() != Self::LEN || self.prices.len() > MAX_PRICES {
            return Err(CsmError::InvalidAccount);
        }
        let mut out = Vec::with_capacity(Self::LEN);
        out.extend_from_slice(&[ACCOUNT_TYPE_CONFIG, VERSION_0, self.bump, self.mint_authority_bump]);
        out.extend_from_slice(&[self.paused as u8, 0, 0, 0]);
        out.extend_from_slice(self.authority.as_ref());
        out.extend_from_slice(self.mint.as_ref());
        out.extend_from_slice(&self.chain_id.to_le_bytes());
        out.extend_from_slice(&self.deployment_id);
        out.extend_from_slice(&self.network_energy_mwh.to_le_bytes());
        self.params.pack(&mut out);
        out.extend_from_slice(&[self.prices.len() as u8, 0]);
        for (region, price) in &self.prices {
            out.extend_from_slice(&region.to_le_bytes());
            out.extend_from_slice(&price.to_le_bytes());
        }
        out.resize(Self::LEN, 0);
        write(dst, &out)
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
        let mut out = vec![ACCOUNT_TYPE_MANUFACTURER, VERSION_0, self.bump, self.active as u8];
        out.extend_from_slice(&self.address);
        out.resize(Self::LEN, 0);
        write(dst, &out)
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
    pub wallet: Pubkey,
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
            wallet: Pubkey::new_from_array(r.array().ok_or(bad)?),
            total_tokens: r.u64_le().ok_or(bad)?,
        })
    }

    pub fn pack(&self, dst: &mut [u8]) -> Result<(), CsmError> {
        if dst.len() != Self::LEN {
            return Err(CsmError::InvalidAccount);
        }
        let mut out = Vec::with_capacity(Self::LEN);
        out.extend_from_slice(&[ACCOUNT_TYPE_DEVICE, VERSION_0, self.bump, self.flags]);
        out.extend_from_slice(&self.device);
        out.extend_from_slice(&self.manufacturer);
        out.extend_from_slice(&self.rated_w.to_le_bytes());
        out.extend_from_slice(&self.hw_class.to_le_bytes());
        out.extend_from_slice(&self.region.to_le_bytes());
        out.extend_from_slice(&self.serial.to_le_bytes());
        out.extend_from_slice(&self.last_seq.to_le_bytes());
        out.extend_from_slice(&self.last_energy_mwh.to_le_bytes());
        out.extend_from_slice(&self.last_time.to_le_bytes());
        out.extend_from_slice(&self.chain_head);
        out.extend_from_slice(self.wallet.as_ref());
        out.extend_from_slice(&self.total_tokens.to_le_bytes());
        out.resize(Self::LEN, 0);
        write(dst, &out)
    }
}
