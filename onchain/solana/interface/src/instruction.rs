//! Instructions: data layout (tag byte, then little-endian fields) and account lists.
//!
//! Each instruction is versioned in its name and tag (`..._v0`); a changed layout gets a new tag, the
//! old one keeps working until it is retired. `onchain/vectors/solana_instructions.json` pins the
//! bytes, and both this crate's tests and the Python adapter's tests check them. The account lists
//! below are the contract with clients; the Python adapter (`chains/solana/layout.py`) builds them.

use solana_address::Address;

use crate::bytes::Reader;
use crate::error::CsmError;
use crate::message::EthAddress;
use crate::params::ParamsV0;

/// Most claims one `ClaimV0` accepts; a 1232-byte transaction fits far fewer.
pub const MAX_CLAIMS_PER_INSTRUCTION: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsmInstruction<'a> {
    /// Accounts: authority (signer, writable, pays), config PDA (writable), reward mint,
    /// mint-authority PDA, system program, this program's program-data account (BPFLoaderUpgradeable).
    /// The authority must be the program's upgrade authority, so whoever deployed the program (and
    /// no one racing them) initialises it.
    InitializeConfigV0 { chain_id: u64, params: ParamsV0, default_price: u64 },
    /// Accounts: authority (signer, writable, pays), config, manufacturer PDA (writable), system program.
    AddManufacturerV0 { address: EthAddress },
    /// Accounts: authority (signer), config, manufacturer PDA (writable).
    RemoveManufacturerV0 { address: EthAddress },
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
    SetParamsV0 { params: ParamsV0 },
    /// Accounts: authority (signer), config (writable). `price: None` removes the region's entry.
    SetRegionPriceV0 { region: u16, price: Option<u64> },
    /// Accounts: authority (signer), config (writable).
    SetPausedV0 { paused: bool },
}

pub mod tag {
    pub const INITIALIZE_CONFIG_V0: u8 = 0;
    pub const ADD_MANUFACTURER_V0: u8 = 1;
    pub const REMOVE_MANUFACTURER_V0: u8 = 2;
    pub const REGISTER_DEVICE_V0: u8 = 3;
    pub const BIND_WALLET_V0: u8 = 4;
    pub const UNBIND_WALLET_V0: u8 = 5;
    pub const CLAIM_V0: u8 = 6;
    pub const SET_PARAMS_V0: u8 = 7;
    pub const SET_REGION_PRICE_V0: u8 = 8;
    pub const SET_PAUSED_V0: u8 = 9;
}

impl<'a> CsmInstruction<'a> {
    /// The instruction data (clients and tests; the program only decodes).
    #[cfg(feature = "alloc")]
    pub fn pack(&self) -> alloc::vec::Vec<u8> {
        let mut out = alloc::vec::Vec::new();
        match self {
            Self::InitializeConfigV0 { chain_id, params, default_price } => {
                out.push(tag::INITIALIZE_CONFIG_V0);
                out.extend_from_slice(&chain_id.to_le_bytes());
                out.extend_from_slice(&params.to_bytes());
                out.extend_from_slice(&default_price.to_le_bytes());
            }
            Self::AddManufacturerV0 { address } => {
                out.push(tag::ADD_MANUFACTURER_V0);
                out.extend_from_slice(address);
            }
            Self::RemoveManufacturerV0 { address } => {
                out.push(tag::REMOVE_MANUFACTURER_V0);
                out.extend_from_slice(address);
            }
            Self::RegisterDeviceV0 { attestation_ix } => out.extend_from_slice(&[tag::REGISTER_DEVICE_V0, *attestation_ix]),
            Self::BindWalletV0 { bind_ix } => out.extend_from_slice(&[tag::BIND_WALLET_V0, *bind_ix]),
            Self::UnbindWalletV0 => out.push(tag::UNBIND_WALLET_V0),
            Self::ClaimV0 { checkpoint_ixs } => {
                out.extend_from_slice(&[tag::CLAIM_V0, checkpoint_ixs.len() as u8]);
                out.extend_from_slice(checkpoint_ixs);
            }
            Self::SetParamsV0 { params } => {
                out.push(tag::SET_PARAMS_V0);
                out.extend_from_slice(&params.to_bytes());
            }
            Self::SetRegionPriceV0 { region, price } => {
                out.push(tag::SET_REGION_PRICE_V0);
                out.extend_from_slice(&region.to_le_bytes());
                out.push(price.is_some() as u8);
                out.extend_from_slice(&price.unwrap_or(0).to_le_bytes());
            }
            Self::SetPausedV0 { paused } => out.extend_from_slice(&[tag::SET_PAUSED_V0, *paused as u8]),
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
            tag::INITIALIZE_CONFIG_V0 => Self::InitializeConfigV0 {
                chain_id: r.u64_le()?,
                params: ParamsV0::read(&mut r)?,
                default_price: r.u64_le()?,
            },
            tag::ADD_MANUFACTURER_V0 => Self::AddManufacturerV0 { address: r.array()? },
            tag::REMOVE_MANUFACTURER_V0 => Self::RemoveManufacturerV0 { address: r.array()? },
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
            tag::SET_PARAMS_V0 => Self::SetParamsV0 { params: ParamsV0::read(&mut r)? },
            tag::SET_REGION_PRICE_V0 => {
                let region = r.u16_le()?;
                let set = r.u8()?;
                let price = r.u64_le()?;
                // Removal carries a zero price: one byte string per instruction, nothing ignored.
                match set {
                    0 if price == 0 => Self::SetRegionPriceV0 { region, price: None },
                    1 => Self::SetRegionPriceV0 { region, price: Some(price) },
                    _ => return None,
                }
            }
            tag::SET_PAUSED_V0 => match r.u8()? {
                0 => Self::SetPausedV0 { paused: false },
                1 => Self::SetPausedV0 { paused: true },
                _ => return None,
            },
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
