//! `ApplyParamsV0`: applies the scheduled parameters once their published delay has passed
//! (`TOO_EARLY` before, or when nothing is scheduled). Anyone may send it. From then on every claim
//! processed uses them; the stored era and the energy left in it stay, so a new era length applies
//! from the next era boundary and the halving never moves back.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;

use super::accounts::{load_admin, load_config, now, store_admin, store_config};

pub fn process(program_id: &Address, accounts: &mut [AccountView]) -> ProgramResult {
    let [config, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let mut cfg = load_config(program_id, config)?;
    let mut admin = load_admin(config)?;
    if admin.pending_params_at == 0 || now()? < admin.pending_params_at {
        return Err(CsmError::TooEarly.into());
    }
    cfg.params = admin.pending_params;
    admin.pending_params_at = 0;
    store_config(config, &cfg)?;
    store_admin(config, &admin)
}
