//! `SetDeviceRegionV0`: registers the site region a device is paid at (RULES.md "Price region"), an
//! authority-signed registration of where it is installed. The region a bind declares is signed by
//! the device on the host's word, so it never sets the price; until the authority registers a site
//! the device is paid region 0's price.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::message::EthAddress;

use super::accounts::{load_config, load_device, require_authority, store_device};

pub fn process(program_id: &Address, accounts: &mut [AccountView], address: EthAddress, region: u16) -> ProgramResult {
    let [authority, config, device, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let cfg = load_config(program_id, config)?;
    require_authority(&cfg, authority)?;
    let mut state = load_device(program_id, device, &address)?;
    state.region = region;
    store_device(device, &state)
}
