//! Program-derived addresses. Seeds are versioned only through the account types they hold, so a
//! later `..._v1` account can live at the same address and be migrated in place.
//!
//! `find_program_address` is the runtime syscall inside the program and curve25519 on the host.

use solana_address::Address;

use crate::message::EthAddress;

pub const CONFIG_SEED: &[u8] = b"config";
pub const MINT_AUTHORITY_SEED: &[u8] = b"mint_authority";
pub const MANUFACTURER_SEED: &[u8] = b"manufacturer";
pub const DEVICE_SEED: &[u8] = b"device";

pub fn config_address(program_id: &Address) -> (Address, u8) {
    Address::find_program_address(&[CONFIG_SEED], program_id)
}

pub fn mint_authority_address(program_id: &Address) -> (Address, u8) {
    Address::find_program_address(&[MINT_AUTHORITY_SEED], program_id)
}

pub fn manufacturer_address(program_id: &Address, eth: &EthAddress) -> (Address, u8) {
    Address::find_program_address(&[MANUFACTURER_SEED, eth], program_id)
}

pub fn device_address(program_id: &Address, device: &EthAddress) -> (Address, u8) {
    Address::find_program_address(&[DEVICE_SEED, device], program_id)
}

/// The mint authority from its stored bump: one sha256 instead of the 1 500-unit
/// `create_program_address` syscall. Valid because the bump was found by `find_program_address`.
pub fn mint_authority_from_bump(program_id: &Address, bump: u8) -> Address {
    Address::derive_address(&[MINT_AUTHORITY_SEED], Some(bump), program_id)
}
