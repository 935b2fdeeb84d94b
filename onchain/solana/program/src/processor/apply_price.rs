//! `ApplyPriceV0`: applies a region's scheduled price change once its published delay has passed
//! (`TOO_EARLY` before, or when nothing is scheduled for the region). Anyone may send it. A removal
//! frees the region's slot; an addition that no longer fits the table is `PRICE_TABLE_FULL` and
//! stays scheduled (apply the removals first).

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::state::PendingPrices;

use super::accounts::{load_config, now};

pub fn process(program_id: &Address, accounts: &mut [AccountView], region: u16) -> ProgramResult {
    let [config, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let mut cfg = load_config(program_id, config)?;
    let now = now()?;
    let mut data = config.try_borrow_mut()?;
    let mut pending = PendingPrices::of(&mut data)?;
    let i = pending.find(region).ok_or(CsmError::TooEarly)?;
    let change = pending.get(i).ok_or(CsmError::TooEarly)?;
    if now < change.at {
        return Err(CsmError::TooEarly.into());
    }
    match change.price {
        Some(price) => cfg.prices.set(region, price)?,
        None => cfg.prices.remove(region),
    }
    pending.remove(i);
    Ok(cfg.pack(&mut data)?)
}
