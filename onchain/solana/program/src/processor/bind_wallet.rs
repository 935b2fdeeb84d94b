//! `BindWalletV0`: binds a device to the wallet that submits the device-signed bind message
//! (RULES.md "Binding and the cap clock"). The bind records the device's cumulative energy, so
//! energy measured before it never pays under it, and starts the cap clock at
//! `max(device_time, chain time)`: a bind never moves the clock back, and a device's clock (which
//! TIME_SYNC sets to anything) cannot buy cap for time the chain has not seen pass. The bind's
//! region is only declared: it is logged, and the registered site region stays.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::event;
use csm_solana_interface::message::BindMessage;
use csm_solana_interface::payout::{evaluate_bind, BindRequest, BindState};
use csm_solana_interface::state::{DEVICE_FLAG_BOUND, DEVICE_FLAG_HAS_STATE};

use super::accounts::{load_config, load_device, now, store_device};
use super::cpi::log_data;
use super::precompile::verified_at;

pub fn process(program_id: &Address, accounts: &mut [AccountView], bind_ix: u8) -> ProgramResult {
    let [wallet, config, device, sysvar, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    // Steps 1..5 of RULES.md's bind table, in order.
    let cfg = load_config(program_id, config)?;
    if cfg.paused {
        return Err(CsmError::Paused.into());
    }
    let (signer, bind) = verified_at(sysvar, bind_ix, BindMessage::parse)?;
    if signer != bind.device || bind.device == [0; 20] {
        return Err(CsmError::BadSignature.into());
    }
    let mut state = load_device(program_id, device, &bind.device)?;
    if state.revoked(&cfg.revoked_manufacturers) {
        return Err(CsmError::Revoked.into());
    }
    if bind.deployment_id != cfg.deployment_id {
        return Err(CsmError::WrongDeployment.into());
    }
    if !wallet.is_signer() || *wallet.address().as_array() != bind.wallet {
        return Err(CsmError::WrongWallet.into());
    }
    // Steps 6..9 and the cap clock.
    let before = BindState {
        has_state: state.has_state(),
        last_seq: state.last_seq,
        last_energy_mwh: state.last_energy_mwh,
        last_time: state.last_time,
    };
    let request = BindRequest { seq: bind.seq, energy_mwh: bind.energy_mwh, device_time: bind.device_time };
    let cap_clock = evaluate_bind(&cfg.params, &before, now()?, &request)?;
    state.wallet = *wallet.address();
    state.last_seq = bind.seq;
    state.last_energy_mwh = bind.energy_mwh;
    state.last_time = cap_clock;
    state.flags |= DEVICE_FLAG_BOUND | DEVICE_FLAG_HAS_STATE;
    store_device(device, &state)?;
    log_data(&[&event::bound(&bind.device, bind.region, bind.seq, cap_clock)]);
    Ok(())
}
