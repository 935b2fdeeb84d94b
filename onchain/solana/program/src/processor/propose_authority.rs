//! `ProposeAuthorityV0`: the first of the two steps that move the deployment's authority (RULES.md
//! "The authority"): the authority names its successor, who must accept with its own signature
//! (`AcceptAuthorityV0`). Until then the authority keeps every power; a new proposal replaces the
//! old one and an all-zero key withdraws it. A key that cannot sign can so never become authority.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use super::accounts::{load_admin, load_config, require_authority, store_admin};

pub fn process(program_id: &Address, accounts: &mut [AccountView], new_authority: Address) -> ProgramResult {
    let [authority, config, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    let mut admin = load_admin(config)?;
    admin.pending_authority = new_authority;
    store_admin(config, &admin)
}
