//! `InitializeConfigV1`: creates the deployment's config with its authority, reward mint, chain id,
//! first parameters and prices (they apply at once: no device exists yet), and the published delay
//! every later change of them must wait. The network starts in era 0 with a whole era left. The
//! mint must already exist with this program's mint-authority PDA as its mint authority, so no one
//! else can mint rewards.
//!
//! A program cannot read the cluster's genesis hash, so `chain_id` (from which the deployment id is
//! derived) is the deploy client's: it derives it from `getGenesisHash`, and reads the config back
//! afterwards to stop if it differs (RULES.md "Chain-specific rules").
//!
//! Only the program's upgrade authority may initialise (read from the program-data account that
//! BPFLoaderUpgradeable keeps), so the deployer can initialise any time after deploying and nobody
//! can get there first and become the authority.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction::{ids, programdata_address};
use csm_solana_interface::message::deployment_id;
use csm_solana_interface::instruction::price_entries;
use csm_solana_interface::limits::{MAX_PRICE, PARAMS_DELAY_S_MAX, PARAMS_DELAY_S_MIN};
use csm_solana_interface::params::ParamsV1;
use csm_solana_interface::payout::NetworkState;
use csm_solana_interface::pda;
use csm_solana_interface::state::{ConfigAdminV1, ConfigV1, PriceTable};

use super::accounts::{create_pda, store_admin, store_config};
use super::token::check_mint;

/// `inline(always)`: more than five arguments, and the SBPF backend has no stack arguments.
#[inline(always)]
pub fn process(
    program_id: &Address,
    accounts: &mut [AccountView],
    chain_id: u64,
    params: ParamsV1,
    params_delay_s: u64,
    prices: &[u8],
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
    if !(PARAMS_DELAY_S_MIN..=PARAMS_DELAY_S_MAX).contains(&params_delay_s) {
        return Err(CsmError::BadParameter.into());
    }
    let mut table = PriceTable::default();
    for (region, price) in price_entries(prices) {
        if price > MAX_PRICE {
            return Err(CsmError::BadParameter.into());
        }
        table.set(region, price)?;
    }
    let (authority_key, mint_authority_bump) = pda::mint_authority_address(program_id);
    if *mint_authority.address() != authority_key {
        return Err(CsmError::WrongMintAuthority.into());
    }
    check_mint(mint, &authority_key)?;

    create_pda(program_id, authority, config, system_program, &[pda::CONFIG_SEED, &[bump]], ConfigV1::LEN)?;
    let state = ConfigV1 {
        bump,
        mint_authority_bump,
        paused: false,
        manufacturer_count: 0,
        authority: *authority.address(),
        mint: *mint.address(),
        chain_id,
        deployment_id: deployment_id(chain_id, program_id),
        network: NetworkState::genesis(params.era_length_mwh),
        revoked_manufacturers: [0; 16],
        params,
        prices: table,
    };
    store_config(config, &state)?;
    let admin = ConfigAdminV1 {
        pending_authority: Address::new_from_array([0; 32]),
        params_delay_s,
        pending_params_at: 0,
        pending_params: params,
    };
    store_admin(config, &admin)
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
