//! Program-derived addresses. Seeds are versioned only through the account types they hold, so a
//! later `..._v1` account can live at the same address and be migrated in place.

use solana_program::pubkey::Pubkey;

use crate::message::EthAddress;

pub const CONFIG_SEED: &[u8] = b"config";
pub const MINT_AUTHORITY_SEED: &[u8] = b"mint_authority";
pub const MANUFACTURER_SEED: &[u8] = b"manufacturer";
pub const DEVICE_SEED: &[u8] = b"device";

pub fn config_address(program_id: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[CONFIG_SEED], program_id)
}

pub fn mint_authority_address(program_id: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[MINT_AUTHORITY_SEED], program_id)
}

pub fn manufacturer_address(program_id: &Pubkey, eth: &EthAddress) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[MANUFACTURER_SEED, eth], program_id)
}

pub fn device_address(program_id: &Pubkey, device: &EthAddress) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[DEVICE_SEED, device], program_id)
}
