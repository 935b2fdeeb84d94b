//! `AddManufacturerV0`: allows a manufacturer key (Ethereum-style address) to attest devices.
//! Re-adding a removed manufacturer reactivates its account.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::message::EthAddress;
use csm_solana_interface::pda;
use csm_solana_interface::state::ManufacturerV0;

use super::accounts::{create_pda, load_config, load_manufacturer, require_authority, store_manufacturer};

pub fn process(program_id: &Address, accounts: &mut [AccountView], address: EthAddress) -> ProgramResult {
    let [authority, config, manufacturer, system_program, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    let (key, bump) = pda::manufacturer_address(program_id, &address);
    if *manufacturer.address() != key {
        return Err(CsmError::InvalidAccount.into());
    }
    if manufacturer.owned_by(program_id) {
        let mut m = load_manufacturer(program_id, manufacturer)?;
        m.active = true;
        return store_manufacturer(manufacturer, &m);
    }
    create_pda(
        program_id,
        authority,
        manufacturer,
        system_program,
        &[pda::MANUFACTURER_SEED, &address, &[bump]],
        ManufacturerV0::LEN,
    )?;
    store_manufacturer(manufacturer, &ManufacturerV0 { bump, active: true, address })
}
