//! `SetRegionPriceV0`: sets or removes one region's electricity price (micro-USD per kWh). Regions
//! without an entry fall back to region 0 (RULES.md).

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::params::MAX_PRICE;

use super::accounts::{load_config, require_authority, store_config};

pub fn process(program_id: &Address, accounts: &mut [AccountView], region: u16, price: Option<u64>) -> ProgramResult {
    let [authority, config, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let mut cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    match price {
        Some(p) if p > MAX_PRICE => return Err(CsmError::BadParameter.into()),
        Some(p) => cfg.prices.set(region, p)?,
        None => cfg.prices.remove(region),
    }
    store_config(config, &cfg)
}
