//! `InitializeConfigV0`: creates the deployment's config with its authority, reward mint, chain id,
//! parameters and region-0 price. The mint must already exist with this program's mint-authority
//! PDA as its mint authority, so no one else can mint rewards.

use solana_program::account_info::AccountInfo;
use solana_program::entrypoint::ProgramResult;
use solana_program::pubkey::Pubkey;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::message::deployment_id;
use csm_solana_interface::params::{ParamsV0, MAX_PRICE};
use csm_solana_interface::pda;
use csm_solana_interface::state::ConfigV0;

use super::accounts::{create_pda, next, store_config};
use super::token::check_mint;

pub fn process(
    program_id: &Pubkey,
    accounts: &[AccountInfo],
    chain_id: u64,
    params: ParamsV0,
    default_price: u64,
) -> ProgramResult {
    let iter = &mut accounts.iter();
    let authority = next(iter)?;
    let config = next(iter)?;
    let mint = next(iter)?;
    let mint_authority = next(iter)?;
    let system_program = next(iter)?;

    if !authority.is_signer {
        return Err(CsmError::Unauthorized.into());
    }
    let (config_key, bump) = pda::config_address(program_id);
    if *config.key != config_key {
        return Err(CsmError::InvalidAccount.into());
    }
    if config.owner == program_id {
        return Err(CsmError::AlreadyInitialized.into());
    }
    params.validate()?;
    if default_price > MAX_PRICE {
        return Err(CsmError::BadParameter.into());
    }
    let (authority_key, mint_authority_bump) = pda::mint_authority_address(program_id);
    if *mint_authority.key != authority_key {
        return Err(CsmError::WrongMintAuthority.into());
    }
    check_mint(mint, &authority_key)?;

    create_pda(program_id, authority, config, system_program, &[pda::CONFIG_SEED, &[bump]], ConfigV0::LEN)?;
    let state = ConfigV0 {
        bump,
        mint_authority_bump,
        paused: false,
        authority: *authority.key,
        mint: *mint.key,
        chain_id,
        deployment_id: deployment_id(chain_id, program_id),
        network_energy_mwh: 0,
        params,
        prices: vec![(0, default_price)],
    };
    store_config(config, &state)
}
