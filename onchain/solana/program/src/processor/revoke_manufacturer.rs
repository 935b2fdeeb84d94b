//! `RevokeManufacturerV0`: revokes a manufacturer key for good (RULES.md "Revocation"). No
//! attestation of it registers a device again, and every device it attested is refused (`REVOKED`)
//! at once, through the bit of its index in the config's bitmap (no extra account per claim), until
//! the authority reinstates the device. The account stays, so the key can never be added again.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::message::EthAddress;
use csm_solana_interface::state::bitmap_set;

use super::accounts::{load_config, load_manufacturer, require_authority, store_config, store_manufacturer};

pub fn process(program_id: &Address, accounts: &mut [AccountView], address: EthAddress) -> ProgramResult {
    let [authority, config, manufacturer, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let mut cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    if !manufacturer.owned_by(program_id) {
        // Never added: there is nothing to revoke.
        return Err(CsmError::BadParameter.into());
    }
    let mut m = load_manufacturer(program_id, manufacturer).map_err(|_| CsmError::InvalidAccount)?;
    if m.address != address {
        return Err(CsmError::InvalidAccount.into());
    }
    m.revoked = true;
    store_manufacturer(manufacturer, &m)?;
    bitmap_set(&mut cfg.revoked_manufacturers, m.index);
    store_config(config, &cfg)
}
