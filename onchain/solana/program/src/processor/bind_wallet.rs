//! `BindWalletV0`: binds a device to the wallet that submits the device-signed bind message
//! (RULES.md "Binding"). The bind records the device's cumulative energy, so energy measured
//! before it never pays under it.

use solana_program::account_info::AccountInfo;
use solana_program::entrypoint::ProgramResult;
use solana_program::pubkey::Pubkey;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::message::BindMessage;
use csm_solana_interface::state::{DEVICE_FLAG_BOUND, DEVICE_FLAG_HAS_STATE};

use super::accounts::{load_config, load_device, next, now, store_device};
use super::precompile::verified_at;

pub fn process(program_id: &Pubkey, accounts: &[AccountInfo], bind_ix: u8) -> ProgramResult {
    let iter = &mut accounts.iter();
    let wallet = next(iter)?;
    let config = next(iter)?;
    let device = next(iter)?;
    let sysvar = next(iter)?;

    let cfg = load_config(program_id, config)?;
    if cfg.paused {
        return Err(CsmError::Paused.into());
    }
    let verified = verified_at(sysvar, bind_ix)?;
    let bind = BindMessage::parse(&verified.message).ok_or(CsmError::BadSignature)?;
    if verified.eth_address != bind.device {
        return Err(CsmError::BadSignature.into());
    }
    let mut state = load_device(program_id, device, &bind.device)?;
    if bind.deployment_id != cfg.deployment_id {
        return Err(CsmError::WrongDeployment.into());
    }
    if !wallet.is_signer || wallet.key.to_bytes() != bind.wallet {
        return Err(CsmError::WrongWallet.into());
    }
    if state.has_state() && bind.seq <= state.last_seq {
        return Err(CsmError::Replay.into());
    }
    if bind.energy_mwh < state.last_energy_mwh {
        return Err(CsmError::EnergyNotIncreasing.into());
    }
    if bind.device_time as u128 > now()? as u128 + cfg.params.max_clock_skew_s as u128 {
        return Err(CsmError::FutureDated.into());
    }
    state.wallet = *wallet.key;
    state.region = bind.region;
    state.last_seq = bind.seq;
    state.last_energy_mwh = bind.energy_mwh;
    state.last_time = bind.device_time;
    state.flags |= DEVICE_FLAG_BOUND | DEVICE_FLAG_HAS_STATE;
    store_device(device, &state)
}
