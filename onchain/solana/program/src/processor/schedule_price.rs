//! `SchedulePriceV0`: publishes a region's new price (micro-USD per kWh), or the removal of its
//! price (it then falls back to region 0's), to apply after the published delay like every
//! parameter. A new region must fit the price table now (`PRICE_TABLE_FULL`, checked again when it
//! applies); a region's new schedule replaces its pending one.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::event;
use csm_solana_interface::limits::MAX_PRICE;
use csm_solana_interface::state::{PendingPrice, PendingPrices};

use super::accounts::{load_admin, load_config, now, require_authority};
use super::cpi::log_data;

pub fn process(program_id: &Address, accounts: &mut [AccountView], region: u16, price: Option<u64>) -> ProgramResult {
    let [authority, config, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    if let Some(p) = price {
        if p > MAX_PRICE {
            return Err(CsmError::BadParameter.into());
        }
        if !cfg.prices.has_room_for(region) {
            return Err(CsmError::PriceTableFull.into());
        }
    }
    let at = now()?.saturating_add(load_admin(config)?.params_delay_s);
    {
        let mut data = config.try_borrow_mut()?;
        PendingPrices::of(&mut data)?.upsert(&PendingPrice { region, price, at })?;
    }
    log_data(&[&event::price_scheduled(region, price, at)]);
    Ok(())
}
