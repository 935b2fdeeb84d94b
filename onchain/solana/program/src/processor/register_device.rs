//! `RegisterDeviceV0`: creates a device's PDA from a manufacturer attestation verified by the
//! secp256k1 precompile. Only attested devices can ever be paid (DESIGN.md: otherwise anyone could
//! invent keys and farm rewards); the manufacturer must be accepted and not revoked, and the zero
//! address is never a device.

use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::message::AttestationMessage;
use csm_solana_interface::pda;
use csm_solana_interface::state::DeviceV1;

use super::accounts::{create_pda, load_config, load_manufacturer, store_device};
use super::precompile::verified_at;

pub fn process(program_id: &Address, accounts: &mut [AccountView], attestation_ix: u8) -> ProgramResult {
    let [payer, config, manufacturer, device, sysvar, system_program, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };

    let cfg = load_config(program_id, config)?;
    if cfg.paused {
        return Err(CsmError::Paused.into());
    }
    let (signer, attestation) = verified_at(sysvar, attestation_ix, AttestationMessage::parse)?;
    if attestation.device == [0; 20] {
        return Err(CsmError::BadParameter.into());
    }
    let maker = load_manufacturer(program_id, manufacturer)?;
    if maker.revoked || maker.address != signer {
        return Err(CsmError::Unattested.into());
    }
    let (key, bump) = pda::device_address(program_id, &attestation.device);
    if *device.address() != key {
        return Err(CsmError::InvalidAccount.into());
    }
    if device.owned_by(program_id) {
        return Err(CsmError::AlreadyRegistered.into());
    }
    create_pda(
        program_id,
        payer,
        device,
        system_program,
        &[pda::DEVICE_SEED, &attestation.device, &[bump]],
        DeviceV1::LEN,
    )?;
    let state = DeviceV1 {
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
        wallet: Address::new_from_array([0; 32]),
        total_tokens: 0,
        manufacturer_index: maker.index,
    };
    store_device(device, &state)
}
