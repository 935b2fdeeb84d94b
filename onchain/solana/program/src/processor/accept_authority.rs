//! `AcceptAuthorityV0`: the proposed authority takes over (second step of the rotation). Only the
//! key `ProposeAuthorityV0` named, signing itself; anyone else is `UNAUTHORIZED`.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;

use super::accounts::{load_admin, load_config, store_admin, store_config};

pub fn process(program_id: &Address, accounts: &mut [AccountView]) -> ProgramResult {
    let [new_authority, config, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let mut cfg = load_config(program_id, config)?;
    let mut admin = load_admin(config)?;
    let none = Address::new_from_array([0; 32]);
    if !new_authority.is_signer() || admin.pending_authority == none || *new_authority.address() != admin.pending_authority {
        return Err(CsmError::Unauthorized.into());
    }
    cfg.authority = admin.pending_authority;
    admin.pending_authority = none;
    store_config(config, &cfg)?;
    store_admin(config, &admin)
}
