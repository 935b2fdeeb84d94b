//! `BindWalletV0`: binds a device to the wallet that submits the device-signed bind message
//! (RULES.md "Binding"). The bind records the device's cumulative energy, so energy measured
//! before it never pays under it.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::message::BindMessage;
use csm_solana_interface::payout::is_future_dated;
use csm_solana_interface::state::{DEVICE_FLAG_BOUND, DEVICE_FLAG_HAS_STATE};

use super::accounts::{load_config, load_device, now, store_device};
use super::precompile::verified_at;

pub fn process(program_id: &Address, accounts: &mut [AccountView], bind_ix: u8) -> ProgramResult {
    let [wallet, config, device, sysvar, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let cfg = load_config(program_id, config)?;
    if cfg.paused {
        return Err(CsmError::Paused.into());
    }
    let (signer, bind) = verified_at(sysvar, bind_ix, BindMessage::parse)?;
    if signer != bind.device {
        return Err(CsmError::BadSignature.into());
    }
    let mut state = load_device(program_id, device, &bind.device)?;
    if bind.deployment_id != cfg.deployment_id {
        return Err(CsmError::WrongDeployment.into());
    }
    if !wallet.is_signer() || *wallet.address().as_array() != bind.wallet {
        return Err(CsmError::WrongWallet.into());
    }
    if state.has_state() && bind.seq <= state.last_seq {
        return Err(CsmError::Replay.into());
    }
    if bind.energy_mwh < state.last_energy_mwh {
        return Err(CsmError::EnergyNotIncreasing.into());
    }
    if is_future_dated(bind.device_time, now()?, cfg.params.max_clock_skew_s) {
        return Err(CsmError::FutureDated.into());
    }
    state.wallet = *wallet.address();
    state.region = bind.region;
    state.last_seq = bind.seq;
    state.last_energy_mwh = bind.energy_mwh;
    state.last_time = bind.device_time;
    state.flags |= DEVICE_FLAG_BOUND | DEVICE_FLAG_HAS_STATE;
    store_device(device, &state)
}
