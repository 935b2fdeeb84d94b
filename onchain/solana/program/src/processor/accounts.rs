//! Account loading and creation shared by the handlers. Checks are by owner and account type: only
//! this program can write accounts it owns, and it only ever creates them at their PDAs.

use pinocchio::cpi::{Seed, Signer};
use pinocchio::error::ProgramError;
use pinocchio::instruction::InstructionAccount;
use pinocchio::sysvars::clock::Clock;
use pinocchio::sysvars::{get_sysvar, Sysvar};
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction::ids;
use csm_solana_interface::state::{ConfigAdminV1, ConfigV1, DeviceV1, ManufacturerV1};
use csm_solana_interface::wide::Wide;

use super::cpi::invoke_signed;

/// The part of the config claims use (`ConfigV1`); `INVALID_ACCOUNT` unless it is this program's
/// version-1 config.
pub(crate) fn load_config(program_id: &Address, account: &AccountView) -> Result<ConfigV1, CsmError> {
    if !account.owned_by(program_id) {
        return Err(CsmError::InvalidAccount);
    }
    let data = account.try_borrow().map_err(|_| CsmError::InvalidAccount)?;
    ConfigV1::unpack(&data)
}

pub(crate) fn store_config(account: &mut AccountView, config: &ConfigV1) -> ProgramResult {
    let mut data = account.try_borrow_mut()?;
    Ok(config.pack(&mut data)?)
}

/// The authority's part of the config (proposed authority, delay, scheduled parameters). Call after
/// `load_config`, which checked the owner.
pub(crate) fn load_admin(account: &AccountView) -> Result<ConfigAdminV1, CsmError> {
    let data = account.try_borrow().map_err(|_| CsmError::InvalidAccount)?;
    ConfigAdminV1::unpack(&data)
}

pub(crate) fn store_admin(account: &mut AccountView, admin: &ConfigAdminV1) -> ProgramResult {
    let mut data = account.try_borrow_mut()?;
    Ok(admin.pack(&mut data)?)
}

/// The config's authority must have signed (and not have renounced); anything else is `UNAUTHORIZED`.
pub(crate) fn require_authority(config: &ConfigV1, signer: &AccountView) -> Result<(), CsmError> {
    if signer.is_signer() && config.is_authority(signer.address()) {
        Ok(())
    } else {
        Err(CsmError::Unauthorized)
    }
}

/// `UNKNOWN_DEVICE` unless `account` is this program's device account for `device`.
pub(crate) fn load_device(program_id: &Address, account: &AccountView, device: &[u8; 20]) -> Result<DeviceV1, CsmError> {
    let state = load_any_device(program_id, account)?;
    if &state.device != device {
        return Err(CsmError::UnknownDevice);
    }
    Ok(state)
}

/// `UNKNOWN_DEVICE` unless `account` is one of this program's (version-1) device accounts.
pub(crate) fn load_any_device(program_id: &Address, account: &AccountView) -> Result<DeviceV1, CsmError> {
    if !account.owned_by(program_id) {
        return Err(CsmError::UnknownDevice);
    }
    let data = account.try_borrow().map_err(|_| CsmError::UnknownDevice)?;
    DeviceV1::unpack(&data).map_err(|_| CsmError::UnknownDevice)
}

pub(crate) fn store_device(account: &mut AccountView, device: &DeviceV1) -> ProgramResult {
    let mut data = account.try_borrow_mut()?;
    Ok(device.pack(&mut data)?)
}

pub(crate) fn load_manufacturer(program_id: &Address, account: &AccountView) -> Result<ManufacturerV1, CsmError> {
    if !account.owned_by(program_id) {
        return Err(CsmError::Unattested);
    }
    let data = account.try_borrow().map_err(|_| CsmError::Unattested)?;
    ManufacturerV1::unpack(&data).map_err(|_| CsmError::Unattested)
}

pub(crate) fn store_manufacturer(account: &mut AccountView, m: &ManufacturerV1) -> ProgramResult {
    let mut data = account.try_borrow_mut()?;
    Ok(m.pack(&mut data)?)
}

const SYSTEM_CREATE_ACCOUNT: u32 = 0;
const SYSTEM_ASSIGN: u32 = 1;
const SYSTEM_TRANSFER: u32 = 2;
const SYSTEM_ALLOCATE: u32 = 8;

/// Creates a rent-exempt PDA owned by this program. Works even when someone pre-funded the address
/// (which would make a plain `create_account` fail and could otherwise block a registration).
#[inline(always)] // more than five arguments: the SBPF backend passes at most five in registers
pub(crate) fn create_pda(
    program_id: &Address,
    payer: &AccountView,
    account: &AccountView,
    system_program: &AccountView,
    seeds: &[&[u8]],
    space: usize,
) -> ProgramResult {
    if *system_program.address() != ids::SYSTEM_PROGRAM {
        return Err(CsmError::InvalidAccount.into());
    }
    let lamports = rent_exempt_minimum(space)?;
    let mut seed_list = [Seed::from(&[][..]), Seed::from(&[][..]), Seed::from(&[][..])];
    let seed_list = match seeds.len() {
        1..=3 => {
            for (slot, seed) in seed_list.iter_mut().zip(seeds) {
                *slot = Seed::from(*seed);
            }
            &seed_list[..seeds.len()]
        }
        _ => return Err(ProgramError::InvalidSeeds),
    };
    let signer = [Signer::from(seed_list)];
    let space = space as u64;
    if account.lamports() == 0 {
        let mut data = [0u8; 52];
        data[0..4].copy_from_slice(&SYSTEM_CREATE_ACCOUNT.to_le_bytes());
        data[4..12].copy_from_slice(&lamports.to_le_bytes());
        data[12..20].copy_from_slice(&space.to_le_bytes());
        data[20..52].copy_from_slice(program_id.as_ref());
        let metas = [InstructionAccount::writable_signer(payer.address()), InstructionAccount::writable_signer(account.address())];
        return invoke_signed(&ids::SYSTEM_PROGRAM, &metas, [payer, account], &data, &signer);
    }
    let shortfall = lamports.saturating_sub(account.lamports());
    if shortfall > 0 {
        let mut data = [0u8; 12];
        data[0..4].copy_from_slice(&SYSTEM_TRANSFER.to_le_bytes());
        data[4..12].copy_from_slice(&shortfall.to_le_bytes());
        let metas = [InstructionAccount::writable_signer(payer.address()), InstructionAccount::writable(account.address())];
        invoke_signed(&ids::SYSTEM_PROGRAM, &metas, [payer, account], &data, &[])?;
    }
    let metas = [InstructionAccount::writable_signer(account.address())];
    let mut data = [0u8; 12];
    data[0..4].copy_from_slice(&SYSTEM_ALLOCATE.to_le_bytes());
    data[4..12].copy_from_slice(&space.to_le_bytes());
    invoke_signed(&ids::SYSTEM_PROGRAM, &metas, [account], &data, &signer)?;
    let mut data = [0u8; 36];
    data[0..4].copy_from_slice(&SYSTEM_ASSIGN.to_le_bytes());
    data[4..36].copy_from_slice(program_id.as_ref());
    invoke_signed(&ids::SYSTEM_PROGRAM, &metas, [account], &data, &signer)
}

/// The rent-exempt minimum for `space` bytes, as the runtime computes it:
/// (128 + space) x lamports_per_byte_year x exemption_threshold.
///
/// Read from the Rent sysvar whole (pinocchio's `Rent` reads only the first field, which is the
/// whole answer only once the threshold is 1.0). The threshold is an f64 and the SBPF build has no
/// floating point, so the two values clusters have used, 2.0 and 1.0, are matched exactly; any
/// other is refused rather than guessed.
pub(crate) fn rent_exempt_minimum(space: usize) -> Result<u64, ProgramError> {
    const ONE: u64 = 0x3FF0_0000_0000_0000;
    const TWO: u64 = 0x4000_0000_0000_0000;
    let mut raw = [0u8; 16];
    get_sysvar(&mut raw, &ids::RENT_SYSVAR, 0)?;
    let per_byte_year = u64::from_le_bytes(raw[0..8].try_into().map_err(|_| ProgramError::UnsupportedSysvar)?);
    let threshold = u64::from_le_bytes(raw[8..16].try_into().map_err(|_| ProgramError::UnsupportedSysvar)?);
    let factor = match threshold {
        ONE => 1,
        TWO => 2,
        _ => return Err(ProgramError::UnsupportedSysvar),
    };
    // Wide, not `checked_mul`: a 64-bit overflow check needs a 128-bit product, which the SBPF
    // backend cannot call for (see the interface's `wide.rs`).
    Wide::from_u64(128 + space as u64)
        .mul_u64(per_byte_year)
        .and_then(|w| w.mul_u64(factor))
        .and_then(|w| w.to_u64())
        .ok_or(ProgramError::ArithmeticOverflow)
}

/// Chain time in unix seconds (a negative clock, which no cluster has, reads as 0).
pub(crate) fn now() -> Result<u64, ProgramError> {
    let clock = Clock::get()?;
    Ok(clock.unix_timestamp.max(0) as u64)
}
