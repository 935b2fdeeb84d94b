//! `ScheduleParamsV0`: publishes new payout parameters (RULES.md "The authority and its delay").
//! Nothing changes at once: anyone may apply them with `ApplyParamsV0` once the deployment's
//! published delay has passed. A new schedule replaces a pending one and restarts the delay. The
//! schedule is announced in the logs and held in the config, where every client can read it.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::event;
use csm_solana_interface::params::ParamsV1;

use super::accounts::{load_admin, load_config, now, require_authority, store_admin};
use super::cpi::log_data;

pub fn process(program_id: &Address, accounts: &mut [AccountView], params: ParamsV1) -> ProgramResult {
    let [authority, config, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    params.validate()?;
    let mut admin = load_admin(config)?;
    let at = now()?.saturating_add(admin.params_delay_s);
    admin.pending_params = params;
    admin.pending_params_at = at;
    store_admin(config, &admin)?;
    log_data(&[&event::params_scheduled(&params, at)]);
    Ok(())
}
