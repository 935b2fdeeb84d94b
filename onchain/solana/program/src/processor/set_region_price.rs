//! `SetRegionPriceV0`: sets or removes one region's electricity price (micro-USD per kWh). Regions
//! without an entry fall back to region 0 (RULES.md).

use solana_program::account_info::AccountInfo;
use solana_program::entrypoint::ProgramResult;
use solana_program::pubkey::Pubkey;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::params::MAX_PRICE;
use csm_solana_interface::state::MAX_PRICES;

use super::accounts::{load_config, next, require_authority, store_config};

pub fn process(program_id: &Pubkey, accounts: &[AccountInfo], region: u16, price: Option<u64>) -> ProgramResult {
    let iter = &mut accounts.iter();
    let authority = next(iter)?;
    let config = next(iter)?;

    let mut cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    let existing = cfg.prices.iter().position(|(r, _)| *r == region);
    match (price, existing) {
        (Some(p), _) if p > MAX_PRICE => return Err(CsmError::BadParameter.into()),
        (Some(p), Some(i)) => cfg.prices[i].1 = p,
        (Some(_), None) if cfg.prices.len() >= MAX_PRICES => return Err(CsmError::PriceTableFull.into()),
        (Some(p), None) => cfg.prices.push((region, p)),
        (None, Some(i)) => {
            cfg.prices.swap_remove(i);
        }
        (None, None) => {}
    }
    store_config(config, &cfg)
}
