//! `RegisterDeviceV0`: creates a device's PDA from a manufacturer attestation verified by the
//! secp256k1 precompile. Only attested devices can ever be paid (DESIGN.md: otherwise anyone could
//! invent keys and farm rewards).

use solana_program::account_info::AccountInfo;
use solana_program::entrypoint::ProgramResult;
use solana_program::pubkey::Pubkey;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::message::AttestationMessage;
use csm_solana_interface::pda;
use csm_solana_interface::state::DeviceV0;

use super::accounts::{create_pda, load_config, load_manufacturer, next, store_device};
use super::precompile::verified_at;

pub fn process(program_id: &Pubkey, accounts: &[AccountInfo], attestation_ix: u8) -> ProgramResult {
    let iter = &mut accounts.iter();
    let payer = next(iter)?;
    let config = next(iter)?;
    let manufacturer = next(iter)?;
    let device = next(iter)?;
    let sysvar = next(iter)?;
    let system_program = next(iter)?;

    let cfg = load_config(program_id, config)?;
    if cfg.paused {
        return Err(CsmError::Paused.into());
    }
    let verified = verified_at(sysvar, attestation_ix)?;
    let attestation = AttestationMessage::parse(&verified.message).ok_or(CsmError::BadSignature)?;
    let maker = load_manufacturer(program_id, manufacturer)?;
    if !maker.active || maker.address != verified.eth_address {
        return Err(CsmError::Unattested.into());
    }
    let (key, bump) = pda::device_address(program_id, &attestation.device);
    if *device.key != key {
        return Err(CsmError::InvalidAccount.into());
    }
    if device.owner == program_id {
        return Err(CsmError::AlreadyRegistered.into());
    }
    create_pda(
        program_id,
        payer,
        device,
        system_program,
        &[pda::DEVICE_SEED, &attestation.device, &[bump]],
        DeviceV0::LEN,
    )?;
    let state = DeviceV0 {
        bump,
        flags: 0,
        device: attestation.device,
        manufacturer: maker.address,
        rated_w: attestation.rated_power_w,
        hw_class: attestation.hw_class,
        region: 0,
        serial: attestation.serial,
        last_seq: 0,
        last_energy_mwh: 0,
        last_time: 0,
        chain_head: [0; 32],
        wallet: Pubkey::default(),
        total_tokens: 0,
    };
    store_device(device, &state)
}
