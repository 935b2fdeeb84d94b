//! `ReinstateDeviceV0`: lets a revoked device, or a genuine device of a revoked manufacturer, bind
//! again (RULES.md "Revocation"). Only a device that is revoked now (`BAD_PARAMETER` otherwise: for
//! any other device it would only be an unbind). The binding stays cleared: the device binds again
//! with a fresh signature, and energy before that bind never pays.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::message::EthAddress;
use csm_solana_interface::state::{DEVICE_FLAG_BOUND, DEVICE_FLAG_REINSTATED, DEVICE_FLAG_REVOKED};

use super::accounts::{load_config, load_device, require_authority, store_device};

pub fn process(program_id: &Address, accounts: &mut [AccountView], address: EthAddress) -> ProgramResult {
    let [authority, config, device, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    let mut state = load_device(program_id, device, &address)?;
    if !state.revoked(&cfg.revoked_manufacturers) {
        return Err(CsmError::BadParameter.into());
    }
    state.flags = (state.flags & !(DEVICE_FLAG_BOUND | DEVICE_FLAG_REVOKED)) | DEVICE_FLAG_REINSTATED;
    state.wallet = Address::new_from_array([0; 32]);
    store_device(device, &state)
}
