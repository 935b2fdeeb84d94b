//! `AddManufacturerV0`: allows a manufacturer key (Ethereum-style address) to attest devices.
//! Re-adding a removed manufacturer reactivates its account.

use solana_program::account_info::AccountInfo;
use solana_program::entrypoint::ProgramResult;
use solana_program::pubkey::Pubkey;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::message::EthAddress;
use csm_solana_interface::pda;
use csm_solana_interface::state::ManufacturerV0;

use super::accounts::{create_pda, load_config, load_manufacturer, next, require_authority, store_manufacturer};

pub fn process(program_id: &Pubkey, accounts: &[AccountInfo], address: EthAddress) -> ProgramResult {
    let iter = &mut accounts.iter();
    let authority = next(iter)?;
    let config = next(iter)?;
    let manufacturer = next(iter)?;
    let system_program = next(iter)?;

    let cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    let (key, bump) = pda::manufacturer_address(program_id, &address);
    if *manufacturer.key != key {
        return Err(CsmError::InvalidAccount.into());
    }
    if manufacturer.owner == program_id {
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
