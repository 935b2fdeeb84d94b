//! `SetParamsV0`: replaces the payout parameters; any value outside RULES.md's bounds is refused
//! with `BAD_PARAMETER` and nothing changes.

use solana_program::account_info::AccountInfo;
use solana_program::entrypoint::ProgramResult;
use solana_program::pubkey::Pubkey;

use csm_solana_interface::params::ParamsV0;

use super::accounts::{load_config, next, require_authority, store_config};

pub fn process(program_id: &Pubkey, accounts: &[AccountInfo], params: ParamsV0) -> ProgramResult {
    let iter = &mut accounts.iter();
    let authority = next(iter)?;
    let config = next(iter)?;

    let mut cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    params.validate()?;
    cfg.params = params;
    store_config(config, &cfg)
}
