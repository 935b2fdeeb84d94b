//! `RemoveManufacturerV0`: stops a manufacturer key from attesting new devices. Devices it already
//! attested stay registered (their attestation was valid when made).

use solana_program::account_info::AccountInfo;
use solana_program::entrypoint::ProgramResult;
use solana_program::pubkey::Pubkey;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::message::EthAddress;

use super::accounts::{load_config, load_manufacturer, next, require_authority, store_manufacturer};

pub fn process(program_id: &Pubkey, accounts: &[AccountInfo], address: EthAddress) -> ProgramResult {
    let iter = &mut accounts.iter();
    let authority = next(iter)?;
    let config = next(iter)?;
    let manufacturer = next(iter)?;

    let cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    let mut m = load_manufacturer(program_id, manufacturer).map_err(|_| CsmError::InvalidAccount)?;
    if m.address != address {
        return Err(CsmError::InvalidAccount.into());
    }
    m.active = false;
    store_manufacturer(manufacturer, &m)
}
