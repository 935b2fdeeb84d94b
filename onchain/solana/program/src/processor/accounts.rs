//! Account loading and creation shared by the handlers. Checks are by owner and account type: only
//! this program can write accounts it owns, and it only ever creates them at their PDAs.

use solana_program::account_info::{next_account_info, AccountInfo};
use solana_program::program::{invoke, invoke_signed};
use solana_program::program_error::ProgramError;
use solana_program::pubkey::Pubkey;
use solana_program::rent::Rent;
use solana_program::sysvar::Sysvar;
use solana_system_interface::instruction as system_instruction;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction::ids;
use csm_solana_interface::state::{ConfigV0, DeviceV0, ManufacturerV0};

pub(crate) fn next<'a, 'b>(
    iter: &mut std::slice::Iter<'a, AccountInfo<'b>>,
) -> Result<&'a AccountInfo<'b>, ProgramError> {
    next_account_info(iter)
}

pub(crate) fn load_config(program_id: &Pubkey, account: &AccountInfo) -> Result<ConfigV0, CsmError> {
    if account.owner != program_id {
        return Err(CsmError::InvalidAccount);
    }
    let data = account.try_borrow_data().map_err(|_| CsmError::InvalidAccount)?;
    ConfigV0::unpack(&data)
}

pub(crate) fn store_config(account: &AccountInfo, config: &ConfigV0) -> Result<(), ProgramError> {
    let mut data = account.try_borrow_mut_data()?;
    Ok(config.pack(&mut data)?)
}

/// The config's authority must have signed; anything else is `UNAUTHORIZED`.
pub(crate) fn require_authority(config: &ConfigV0, signer: &AccountInfo) -> Result<(), CsmError> {
    if signer.is_signer && *signer.key == config.authority {
        Ok(())
    } else {
        Err(CsmError::Unauthorized)
    }
}

/// `UNKNOWN_DEVICE` unless `account` is this program's device account for `device`.
pub(crate) fn load_device(
    program_id: &Pubkey,
    account: &AccountInfo,
    device: &[u8; 20],
) -> Result<DeviceV0, CsmError> {
    if account.owner != program_id {
        return Err(CsmError::UnknownDevice);
    }
    let data = account.try_borrow_data().map_err(|_| CsmError::UnknownDevice)?;
    let state = DeviceV0::unpack(&data).map_err(|_| CsmError::UnknownDevice)?;
    if &state.device != device {
        return Err(CsmError::UnknownDevice);
    }
    Ok(state)
}

pub(crate) fn store_device(account: &AccountInfo, device: &DeviceV0) -> Result<(), ProgramError> {
    let mut data = account.try_borrow_mut_data()?;
    Ok(device.pack(&mut data)?)
}

pub(crate) fn load_manufacturer(program_id: &Pubkey, account: &AccountInfo) -> Result<ManufacturerV0, CsmError> {
    if account.owner != program_id {
        return Err(CsmError::Unattested);
    }
    let data = account.try_borrow_data().map_err(|_| CsmError::Unattested)?;
    ManufacturerV0::unpack(&data).map_err(|_| CsmError::Unattested)
}

pub(crate) fn store_manufacturer(account: &AccountInfo, m: &ManufacturerV0) -> Result<(), ProgramError> {
    let mut data = account.try_borrow_mut_data()?;
    Ok(m.pack(&mut data)?)
}

/// Creates a rent-exempt PDA owned by this program. Works even when someone pre-funded the address
/// (which would make a plain `create_account` fail and could otherwise block a registration).
pub(crate) fn create_pda<'a>(
    program_id: &Pubkey,
    payer: &AccountInfo<'a>,
    account: &AccountInfo<'a>,
    system_program: &AccountInfo<'a>,
    seeds: &[&[u8]],
    space: usize,
) -> Result<(), ProgramError> {
    if *system_program.key != ids::SYSTEM_PROGRAM {
        return Err(CsmError::InvalidAccount.into());
    }
    let lamports = Rent::get()?.minimum_balance(space);
    if account.lamports() == 0 {
        let ix = system_instruction::create_account(payer.key, account.key, lamports, space as u64, program_id);
        return invoke_signed(&ix, &[payer.clone(), account.clone(), system_program.clone()], &[seeds]);
    }
    let shortfall = lamports.saturating_sub(account.lamports());
    if shortfall > 0 {
        let ix = system_instruction::transfer(payer.key, account.key, shortfall);
        invoke(&ix, &[payer.clone(), account.clone(), system_program.clone()])?;
    }
    let allocate = system_instruction::allocate(account.key, space as u64);
    invoke_signed(&allocate, &[account.clone(), system_program.clone()], &[seeds])?;
    let assign = system_instruction::assign(account.key, program_id);
    invoke_signed(&assign, &[account.clone(), system_program.clone()], &[seeds])
}

/// Chain time in unix seconds (a negative clock, which no cluster has, reads as 0).
pub(crate) fn now() -> Result<u64, ProgramError> {
    let clock = solana_program::clock::Clock::get()?;
    Ok(clock.unix_timestamp.max(0) as u64)
}
