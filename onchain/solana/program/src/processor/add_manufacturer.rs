//! `AddManufacturerV0`: allows a manufacturer key (Ethereum-style address) to attest devices and
//! gives it the next index (1..=100), its bit in the config's revoked-manufacturer bitmap. Adding a
//! key that is already accepted changes nothing; a revoked key never returns (`REVOKED`): a
//! manufacturer with a new key is a new manufacturer.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::limits::MAX_MANUFACTURERS;
use csm_solana_interface::message::EthAddress;
use csm_solana_interface::pda;
use csm_solana_interface::state::ManufacturerV1;

use super::accounts::{create_pda, load_config, load_manufacturer, require_authority, store_config, store_manufacturer};

pub fn process(program_id: &Address, accounts: &mut [AccountView], address: EthAddress) -> ProgramResult {
    let [authority, config, manufacturer, system_program, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let mut cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    if address == [0; 20] {
        return Err(CsmError::BadParameter.into());
    }
    let (key, bump) = pda::manufacturer_address(program_id, &address);
    if *manufacturer.address() != key {
        return Err(CsmError::InvalidAccount.into());
    }
    if manufacturer.owned_by(program_id) {
        let m = load_manufacturer(program_id, manufacturer).map_err(|_| CsmError::InvalidAccount)?;
        return if m.revoked { Err(CsmError::Revoked.into()) } else { Ok(()) };
    }
    let index = cfg.manufacturer_count + 1;
    if index > MAX_MANUFACTURERS {
        return Err(CsmError::BadParameter.into());
    }
    create_pda(
        program_id,
        authority,
        manufacturer,
        system_program,
        &[pda::MANUFACTURER_SEED, &address, &[bump]],
        ManufacturerV1::LEN,
    )?;
    store_manufacturer(manufacturer, &ManufacturerV1 { bump, revoked: false, address, index })?;
    cfg.manufacturer_count = index;
    store_config(config, &cfg)
}
