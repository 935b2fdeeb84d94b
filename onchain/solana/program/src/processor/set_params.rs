//! `SetParamsV0`: replaces the payout parameters; any value outside RULES.md's bounds is refused
//! with `BAD_PARAMETER` and nothing changes.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::params::ParamsV0;

use super::accounts::{load_config, require_authority, store_config};

pub fn process(program_id: &Address, accounts: &mut [AccountView], params: ParamsV0) -> ProgramResult {
    let [authority, config, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let mut cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    params.validate()?;
    cfg.params = params;
    store_config(config, &cfg)
}
