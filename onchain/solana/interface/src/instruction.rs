//! Instructions: data layout (tag byte, then little-endian fields) and account lists.
//!
//! Each instruction is versioned in its name and tag (`..._v0`); a changed layout gets a new tag, the
//! old one keeps working until it is retired. `onchain/vectors/solana_instructions.json` pins the
//! bytes, and both this crate's tests and the Python adapter's tests check them. The account lists
//! below are the contract with clients; the Python adapter (`chains/solana/layout.py`) builds them.

use solana_address::Address;

use crate::bytes::Reader;
use crate::error::CsmError;
pub use crate::limits::MAX_CLAIMS_PER_INSTRUCTION;
use crate::limits::MAX_PRICES;
use crate::message::EthAddress;
use crate::params::ParamsV1;

/// Bytes of one initial price in `InitializeConfigV1`: region u16, price u64 (little-endian).
pub const PRICE_ENTRY_LEN: usize = 10;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsmInstruction<'a> {
    /// Accounts: authority (signer, writable, pays), config PDA (writable), reward mint,
    /// mint-authority PDA, system program, this program's program-data account (BPFLoaderUpgradeable).
    /// The authority must be the program's upgrade authority, so whoever deployed the program (and
    /// no one racing them) initialises it. `prices` are the first prices (`PRICE_ENTRY_LEN` bytes
    /// each, at most `MAX_PRICES`): like the parameters they apply at once, since no device exists
    /// yet; every later change waits `params_delay_s`.
    InitializeConfigV1 { chain_id: u64, params: ParamsV1, params_delay_s: u64, prices: &'a [u8] },
    /// Accounts: authority (signer, writable, pays), config (writable), manufacturer PDA (writable),
    /// system program. Gives the key the next manufacturer index; a revoked key is `REVOKED`.
    AddManufacturerV0 { address: EthAddress },
    /// Accounts: authority (signer), config (writable), manufacturer PDA (writable). For good: the
    /// key never attests again and its devices stop until reinstated one by one.
    RevokeManufacturerV0 { address: EthAddress },
    /// Accounts: payer (signer, writable), config, manufacturer PDA, device PDA (writable),
    /// Instructions sysvar, system program. `attestation_ix` is the transaction index of the
    /// secp256k1 instruction holding the manufacturer's signed attestation.
    RegisterDeviceV0 { attestation_ix: u8 },
    /// Accounts: wallet (signer), config, device PDA (writable), Instructions sysvar.
    /// `bind_ix` is the transaction index of the secp256k1 instruction holding the signed bind.
    BindWalletV0 { bind_ix: u8 },
    /// Accounts: bound wallet (signer), config, device PDA (writable).
    UnbindWalletV0,
    /// Accounts: config (writable), reward mint (writable), mint-authority PDA, SPL Token program,
    /// Instructions sysvar, then for each claim its device PDA (writable) and the bound wallet's
    /// token account (writable). `checkpoint_ixs[i]` is the transaction index of claim i's
    /// secp256k1 instruction.
    ClaimV0 { checkpoint_ixs: &'a [u8] },
    /// Accounts: authority (signer), config (writable).
    SetPausedV0 { paused: bool },
    /// Accounts: authority (signer), config (writable). Replaces any scheduled parameters; they may
    /// be applied once the published delay has passed.
    ScheduleParamsV0 { params: ParamsV1 },
    /// Accounts: config (writable). Anyone; `TOO_EARLY` before the scheduled time.
    ApplyParamsV0,
    /// Accounts: authority (signer), config (writable). `price: None` schedules the removal of the
    /// region's price.
    SchedulePriceV0 { region: u16, price: Option<u64> },
    /// Accounts: config (writable). Anyone; `TOO_EARLY` before the scheduled time.
    ApplyPriceV0 { region: u16 },
    /// Accounts: authority (signer), config, device PDA (writable).
    RevokeDeviceV0 { device: EthAddress },
    /// Accounts: authority (signer), config, device PDA (writable). Only a device revoked now.
    ReinstateDeviceV0 { device: EthAddress },
    /// Accounts: authority (signer), config, device PDA (writable). The region the device is paid at.
    SetDeviceRegionV0 { device: EthAddress, region: u16 },
    /// Accounts: authority (signer), config (writable). All zero cancels a proposal.
    ProposeAuthorityV0 { new_authority: Address },
    /// Accounts: the proposed authority (signer), config (writable).
    AcceptAuthorityV0,
    /// Accounts: authority (signer), config (writable). Refused while paused.
    RenounceAuthorityV0,
}

/// Instruction tags. A tag is never reused: a changed layout or meaning gets a new one, and the old
/// one is retired (decoded as `INVALID_INSTRUCTION`).
pub mod tag {
    /// Retired (RULES.md version 1): `InitializeConfigV0` (no window, no delay), `RemoveManufacturerV0`
    /// (a removal that could be undone), `SetParamsV0` and `SetRegionPriceV0` (applied at once).
    pub const RETIRED: [u8; 4] = [0, 2, 7, 8];
    pub const ADD_MANUFACTURER_V0: u8 = 1;
    pub const REGISTER_DEVICE_V0: u8 = 3;
    pub const BIND_WALLET_V0: u8 = 4;
    pub const UNBIND_WALLET_V0: u8 = 5;
    pub const CLAIM_V0: u8 = 6;
    pub const SET_PAUSED_V0: u8 = 9;
    pub const INITIALIZE_CONFIG_V1: u8 = 10;
    pub const SCHEDULE_PARAMS_V0: u8 = 11;
    pub const APPLY_PARAMS_V0: u8 = 12;
    pub const SCHEDULE_PRICE_V0: u8 = 13;
    pub const APPLY_PRICE_V0: u8 = 14;
    pub const REVOKE_MANUFACTURER_V0: u8 = 15;
    pub const REVOKE_DEVICE_V0: u8 = 16;
    pub const REINSTATE_DEVICE_V0: u8 = 17;
    pub const SET_DEVICE_REGION_V0: u8 = 18;
    pub const PROPOSE_AUTHORITY_V0: u8 = 19;
    pub const ACCEPT_AUTHORITY_V0: u8 = 20;
    pub const RENOUNCE_AUTHORITY_V0: u8 = 21;
}

/// The (region, price) pairs of `InitializeConfigV1`'s `prices` bytes.
pub fn price_entries(prices: &[u8]) -> impl Iterator<Item = (u16, u64)> + '_ {
    prices.chunks_exact(PRICE_ENTRY_LEN).map(|e| {
        let mut r = Reader::new(e);
        // chunks_exact gives exactly 10 bytes: both reads succeed.
        (r.u16_le().unwrap_or(0), r.u64_le().unwrap_or(0))
    })
}

impl<'a> CsmInstruction<'a> {
    /// The instruction data (clients and tests; the program only decodes).
    #[cfg(feature = "alloc")]
    pub fn pack(&self) -> alloc::vec::Vec<u8> {
        let mut out = alloc::vec::Vec::new();
        match self {
            Self::InitializeConfigV1 { chain_id, params, params_delay_s, prices } => {
                out.push(tag::INITIALIZE_CONFIG_V1);
                out.extend_from_slice(&chain_id.to_le_bytes());
                out.extend_from_slice(&params.to_bytes());
                out.extend_from_slice(&params_delay_s.to_le_bytes());
                out.push((prices.len() / PRICE_ENTRY_LEN) as u8);
                out.extend_from_slice(prices);
            }
            Self::AddManufacturerV0 { address } => {
                out.push(tag::ADD_MANUFACTURER_V0);
                out.extend_from_slice(address);
            }
            Self::RevokeManufacturerV0 { address } => {
                out.push(tag::REVOKE_MANUFACTURER_V0);
                out.extend_from_slice(address);
            }
            Self::RegisterDeviceV0 { attestation_ix } => out.extend_from_slice(&[tag::REGISTER_DEVICE_V0, *attestation_ix]),
            Self::BindWalletV0 { bind_ix } => out.extend_from_slice(&[tag::BIND_WALLET_V0, *bind_ix]),
            Self::UnbindWalletV0 => out.push(tag::UNBIND_WALLET_V0),
            Self::ClaimV0 { checkpoint_ixs } => {
                out.extend_from_slice(&[tag::CLAIM_V0, checkpoint_ixs.len() as u8]);
                out.extend_from_slice(checkpoint_ixs);
            }
            Self::SetPausedV0 { paused } => out.extend_from_slice(&[tag::SET_PAUSED_V0, *paused as u8]),
            Self::ScheduleParamsV0 { params } => {
                out.push(tag::SCHEDULE_PARAMS_V0);
                out.extend_from_slice(&params.to_bytes());
            }
            Self::ApplyParamsV0 => out.push(tag::APPLY_PARAMS_V0),
            Self::SchedulePriceV0 { region, price } => {
                out.push(tag::SCHEDULE_PRICE_V0);
                out.extend_from_slice(&region.to_le_bytes());
                out.push(price.is_some() as u8);
                out.extend_from_slice(&price.unwrap_or(0).to_le_bytes());
            }
            Self::ApplyPriceV0 { region } => {
                out.push(tag::APPLY_PRICE_V0);
                out.extend_from_slice(&region.to_le_bytes());
            }
            Self::RevokeDeviceV0 { device } => {
                out.push(tag::REVOKE_DEVICE_V0);
                out.extend_from_slice(device);
            }
            Self::ReinstateDeviceV0 { device } => {
                out.push(tag::REINSTATE_DEVICE_V0);
                out.extend_from_slice(device);
            }
            Self::SetDeviceRegionV0 { device, region } => {
                out.push(tag::SET_DEVICE_REGION_V0);
                out.extend_from_slice(device);
                out.extend_from_slice(&region.to_le_bytes());
            }
            Self::ProposeAuthorityV0 { new_authority } => {
                out.push(tag::PROPOSE_AUTHORITY_V0);
                out.extend_from_slice(new_authority.as_ref());
            }
            Self::AcceptAuthorityV0 => out.push(tag::ACCEPT_AUTHORITY_V0),
            Self::RenounceAuthorityV0 => out.push(tag::RENOUNCE_AUTHORITY_V0),
        }
        out
    }

    /// Decodes instruction data; anything but an exact known layout is `InvalidInstruction`.
    pub fn unpack(data: &'a [u8]) -> Result<Self, CsmError> {
        Self::read(data).ok_or(CsmError::InvalidInstruction)
    }

    fn read(data: &'a [u8]) -> Option<Self> {
        let mut r = Reader::new(data);
        let ix = match r.u8()? {
            tag::INITIALIZE_CONFIG_V1 => {
                let chain_id = r.u64_le()?;
                let params = ParamsV1::read(&mut r)?;
                let params_delay_s = r.u64_le()?;
                let count = r.u8()? as usize;
                if count > MAX_PRICES {
                    return None;
                }
                Self::InitializeConfigV1 { chain_id, params, params_delay_s, prices: r.take(count * PRICE_ENTRY_LEN)? }
            }
            tag::ADD_MANUFACTURER_V0 => Self::AddManufacturerV0 { address: r.array()? },
            tag::REVOKE_MANUFACTURER_V0 => Self::RevokeManufacturerV0 { address: r.array()? },
            tag::REGISTER_DEVICE_V0 => Self::RegisterDeviceV0 { attestation_ix: r.u8()? },
            tag::BIND_WALLET_V0 => Self::BindWalletV0 { bind_ix: r.u8()? },
            tag::UNBIND_WALLET_V0 => Self::UnbindWalletV0,
            tag::CLAIM_V0 => {
                let count = r.u8()? as usize;
                if count == 0 || count > MAX_CLAIMS_PER_INSTRUCTION {
                    return None;
                }
                Self::ClaimV0 { checkpoint_ixs: r.take(count)? }
            }
            tag::SET_PAUSED_V0 => match r.u8()? {
                0 => Self::SetPausedV0 { paused: false },
                1 => Self::SetPausedV0 { paused: true },
                _ => return None,
            },
            tag::SCHEDULE_PARAMS_V0 => Self::ScheduleParamsV0 { params: ParamsV1::read(&mut r)? },
            tag::APPLY_PARAMS_V0 => Self::ApplyParamsV0,
            tag::SCHEDULE_PRICE_V0 => {
                let region = r.u16_le()?;
                let set = r.u8()?;
                let price = r.u64_le()?;
                // Removal carries a zero price: one byte string per instruction, nothing ignored.
                match set {
                    0 if price == 0 => Self::SchedulePriceV0 { region, price: None },
                    1 => Self::SchedulePriceV0 { region, price: Some(price) },
                    _ => return None,
                }
            }
            tag::APPLY_PRICE_V0 => Self::ApplyPriceV0 { region: r.u16_le()? },
            tag::REVOKE_DEVICE_V0 => Self::RevokeDeviceV0 { device: r.array()? },
            tag::REINSTATE_DEVICE_V0 => Self::ReinstateDeviceV0 { device: r.array()? },
            tag::SET_DEVICE_REGION_V0 => Self::SetDeviceRegionV0 { device: r.array()?, region: r.u16_le()? },
            tag::PROPOSE_AUTHORITY_V0 => Self::ProposeAuthorityV0 { new_authority: Address::new_from_array(r.array()?) },
            tag::ACCEPT_AUTHORITY_V0 => Self::AcceptAuthorityV0,
            tag::RENOUNCE_AUTHORITY_V0 => Self::RenounceAuthorityV0,
            _ => return None,
        };
        r.is_empty().then_some(ix)
    }
}

/// Well-known program and sysvar ids this program talks to, spelled out so the interface needs no
/// SPL crates.
pub mod ids {
    use solana_address::{address, Address};
    pub const TOKEN_PROGRAM: Address = address!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
    pub const ASSOCIATED_TOKEN_PROGRAM: Address = address!("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
    pub const SYSTEM_PROGRAM: Address = address!("11111111111111111111111111111111");
    pub const INSTRUCTIONS_SYSVAR: Address = address!("Sysvar1nstructions1111111111111111111111111");
    pub const SECP256K1_PROGRAM: Address = address!("KeccakSecp256k11111111111111111111111111111");
    pub const BPF_LOADER_UPGRADEABLE: Address = address!("BPFLoaderUpgradeab1e11111111111111111111111");
    pub const RENT_SYSVAR: Address = address!("SysvarRent111111111111111111111111111111111");
}

/// The associated token account of `wallet` for `mint` (where rewards are minted).
pub fn associated_token_address(wallet: &Address, mint: &Address) -> Address {
    Address::find_program_address(
        &[wallet.as_ref(), ids::TOKEN_PROGRAM.as_ref(), mint.as_ref()],
        &ids::ASSOCIATED_TOKEN_PROGRAM,
    )
    .0
}

/// The program-data account BPFLoaderUpgradeable keeps for `program_id` (code and upgrade authority).
pub fn programdata_address(program_id: &Address) -> Address {
    Address::find_program_address(&[program_id.as_ref()], &ids::BPF_LOADER_UPGRADEABLE).0
}
