//! `SetPausedV0`: stops (or resumes) registration, binding and claims; a paused claim call is
//! refused whole with `PAUSED` (RULES.md step 1). Unbinding and administration keep working.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use super::accounts::{load_config, require_authority, store_config};

pub fn process(program_id: &Address, accounts: &mut [AccountView], paused: bool) -> ProgramResult {
    let [authority, config, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let mut cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    cfg.paused = paused;
    store_config(config, &cfg)
}
