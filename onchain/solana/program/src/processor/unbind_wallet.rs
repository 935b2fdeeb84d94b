//! `UnbindWalletV0`: the bound wallet releases its device. The `last_*` fields stay, so a later bind
//! must still move forward (RULES.md).

use solana_program::account_info::AccountInfo;
use solana_program::entrypoint::ProgramResult;
use solana_program::pubkey::Pubkey;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::state::{DeviceV0, DEVICE_FLAG_BOUND};

use super::accounts::{load_config, next, store_device};

pub fn process(program_id: &Pubkey, accounts: &[AccountInfo]) -> ProgramResult {
    let iter = &mut accounts.iter();
    let wallet = next(iter)?;
    let config = next(iter)?;
    let device = next(iter)?;

    load_config(program_id, config)?;
    if device.owner != program_id {
        return Err(CsmError::UnknownDevice.into());
    }
    let mut state = DeviceV0::unpack(&device.try_borrow_data()?).map_err(|_| CsmError::UnknownDevice)?;
    if !state.bound() {
        return Err(CsmError::NotBound.into());
    }
    if !wallet.is_signer || *wallet.key != state.wallet {
        return Err(CsmError::WrongWallet.into());
    }
    state.flags &= !DEVICE_FLAG_BOUND;
    state.wallet = Pubkey::default();
    store_device(device, &state)
}
