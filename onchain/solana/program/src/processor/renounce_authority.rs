//! `RenounceAuthorityV0`: leaves the deployment without an authority (no more parameter changes,
//! pauses, revocations or registrations of sites). Refused while paused (`PAUSED`), so a paused
//! deployment can never be orphaned. A pending proposal is withdrawn with it.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;

use super::accounts::{load_admin, load_config, require_authority, store_admin, store_config};

pub fn process(program_id: &Address, accounts: &mut [AccountView]) -> ProgramResult {
    let [authority, config, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let mut cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    if cfg.paused {
        return Err(CsmError::Paused.into());
    }
    let mut admin = load_admin(config)?;
    cfg.authority = Address::new_from_array([0; 32]);
    admin.pending_authority = Address::new_from_array([0; 32]);
    store_config(config, &cfg)?;
    store_admin(config, &admin)
}
