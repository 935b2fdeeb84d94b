//! `SetPausedV0`: stops (or resumes) registration, binding and claims; a paused claim call is
//! refused whole with `PAUSED` (RULES.md step 1). Unbinding and administration keep working.

use solana_program::account_info::AccountInfo;
use solana_program::entrypoint::ProgramResult;
use solana_program::pubkey::Pubkey;

use super::accounts::{load_config, next, require_authority, store_config};

pub fn process(program_id: &Pubkey, accounts: &[AccountInfo], paused: bool) -> ProgramResult {
    let iter = &mut accounts.iter();
    let authority = next(iter)?;
    let config = next(iter)?;

    let mut cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    cfg.paused = paused;
    store_config(config, &cfg)
}
