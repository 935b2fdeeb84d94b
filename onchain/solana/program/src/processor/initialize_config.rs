//! `InitializeConfigV0`: creates the deployment's config with its authority, reward mint, chain id,
//! parameters and region-0 price. The mint must already exist with this program's mint-authority
//! PDA as its mint authority, so no one else can mint rewards.
//!
//! Only the program's upgrade authority may initialise (read from the program-data account that
//! BPFLoaderUpgradeable keeps), so the deployer can initialise any time after deploying and nobody
//! can get there first and become the authority.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction::{ids, programdata_address};
use csm_solana_interface::message::deployment_id;
use csm_solana_interface::params::{ParamsV0, MAX_PRICE};
use csm_solana_interface::pda;
use csm_solana_interface::state::{ConfigV0, PriceTable};

use super::accounts::{create_pda, store_config};
use super::token::check_mint;

pub fn process(
    program_id: &Address,
    accounts: &mut [AccountView],
    chain_id: u64,
    params: ParamsV0,
    default_price: u64,
) -> ProgramResult {
    let [authority, config, mint, mint_authority, system_program, programdata, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    if !authority.is_signer() {
        return Err(CsmError::Unauthorized.into());
    }
    require_upgrade_authority(program_id, programdata, authority.address())?;
    let (config_key, bump) = pda::config_address(program_id);
    if *config.address() != config_key {
        return Err(CsmError::InvalidAccount.into());
    }
    if config.owned_by(program_id) {
        return Err(CsmError::AlreadyInitialized.into());
    }
    params.validate()?;
    if default_price > MAX_PRICE {
        return Err(CsmError::BadParameter.into());
    }
    let (authority_key, mint_authority_bump) = pda::mint_authority_address(program_id);
    if *mint_authority.address() != authority_key {
        return Err(CsmError::WrongMintAuthority.into());
    }
    check_mint(mint, &authority_key)?;

    create_pda(program_id, authority, config, system_program, &[pda::CONFIG_SEED, &[bump]], ConfigV0::LEN)?;
    let state = ConfigV0 {
        bump,
        mint_authority_bump,
        paused: false,
        authority: *authority.address(),
        mint: *mint.address(),
        chain_id,
        deployment_id: deployment_id(chain_id, program_id),
        network_energy_mwh: 0,
        params,
        prices: PriceTable::from_slice(&[(0, default_price)]).ok_or(CsmError::PriceTableFull)?,
    };
    store_config(config, &state)
}

/// BPFLoaderUpgradeable's `ProgramData { slot: u64, upgrade_authority: Option<Pubkey> }` after its
/// u32 tag 3: the signer must be the recorded upgrade authority (`UNAUTHORIZED` otherwise, also for
/// an immutable program).
fn require_upgrade_authority(program_id: &Address, programdata: &AccountView, signer: &Address) -> Result<(), CsmError> {
    if !programdata.owned_by(&ids::BPF_LOADER_UPGRADEABLE) || *programdata.address() != programdata_address(program_id) {
        return Err(CsmError::InvalidAccount);
    }
    let data = programdata.try_borrow().map_err(|_| CsmError::InvalidAccount)?;
    if data.len() < 45 || data[0..4] != [3, 0, 0, 0] {
        return Err(CsmError::InvalidAccount);
    }
    if data[12] != 1 || data[13..45] != *signer.as_ref() {
        return Err(CsmError::Unauthorized);
    }
    Ok(())
}
