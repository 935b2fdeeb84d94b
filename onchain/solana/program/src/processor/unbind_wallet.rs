//! `UnbindWalletV0`: the bound wallet releases its device. The `last_*` fields stay, so a later bind
//! must still move forward (RULES.md).

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::state::DEVICE_FLAG_BOUND;

use super::accounts::{load_any_device, load_config, store_device};

pub fn process(program_id: &Address, accounts: &mut [AccountView]) -> ProgramResult {
    let [wallet, config, device, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    load_config(program_id, config)?;
    let mut state = load_any_device(program_id, device)?;
    if !state.bound() {
        return Err(CsmError::NotBound.into());
    }
    if !wallet.is_signer() || *wallet.address() != state.wallet {
        return Err(CsmError::WrongWallet.into());
    }
    state.flags &= !DEVICE_FLAG_BOUND;
    state.wallet = Address::new_from_array([0; 32]);
    store_device(device, &state)
}
