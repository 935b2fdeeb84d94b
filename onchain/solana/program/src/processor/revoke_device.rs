//! `RevokeDeviceV0`: stops a device at once (RULES.md "Revocation"): its binds and claims are
//! refused (`REVOKED`) and its binding is cleared, so the energy it measured and did not claim
//! before the revocation is never paid (a reinstated device binds again, and energy before a bind
//! never pays). A revocation also undoes an earlier reinstatement.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

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
    state.flags = (state.flags & !(DEVICE_FLAG_BOUND | DEVICE_FLAG_REINSTATED)) | DEVICE_FLAG_REVOKED;
    state.wallet = Address::new_from_array([0; 32]);
    store_device(device, &state)
}
