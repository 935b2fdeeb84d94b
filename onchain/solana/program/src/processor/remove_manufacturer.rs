//! `RemoveManufacturerV0`: stops a manufacturer key from attesting new devices. Devices it already
//! attested stay registered (their attestation was valid when made).

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::message::EthAddress;

use super::accounts::{load_config, load_manufacturer, require_authority, store_manufacturer};

pub fn process(program_id: &Address, accounts: &mut [AccountView], address: EthAddress) -> ProgramResult {
    let [authority, config, manufacturer, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    let mut m = load_manufacturer(program_id, manufacturer).map_err(|_| CsmError::InvalidAccount)?;
    if m.address != address {
        return Err(CsmError::InvalidAccount.into());
    }
    m.active = false;
    store_manufacturer(manufacturer, &m)
}
