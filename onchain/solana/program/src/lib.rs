//! Carbon Smart Meter rewards program: pays SPL tokens for device-signed energy checkpoints under
//! the rules of onchain/RULES.md.
//!
//! `no_std` on pinocchio, built as an SBPF v3 binary from Debian's Rust and crates.io alone (`make
//! solana`). This file is only the entrypoint and the table from instruction to handler; each
//! instruction has its own module under `processor/`, and everything a client needs (layouts,
//! PDAs, errors, payout arithmetic) is in the `csm-solana-interface` crate.

#![no_std]

use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::instruction::CsmInstruction;

pub mod processor;

pub use csm_solana_interface as interface;

// The largest instruction (a 16-claim ClaimV0) names 5 + 2 x 16 accounts.
#[cfg(not(feature = "no-entrypoint"))]
pinocchio::program_entrypoint!(process_instruction, 40);
#[cfg(not(feature = "no-entrypoint"))]
pinocchio::no_allocator!();
#[cfg(not(feature = "no-entrypoint"))]
pinocchio::nostd_panic_handler!();

/// `inline(always)` into the entrypoint: with its result it takes six arguments, and the SBPF
/// backend passes at most five (no stack arguments).
#[inline(always)]
pub fn process_instruction(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    use processor::*;
    match CsmInstruction::unpack(data)? {
        CsmInstruction::InitializeConfigV1 { chain_id, params, params_delay_s, prices } => {
            initialize_config::process(program_id, accounts, chain_id, params, params_delay_s, prices)
        }
        CsmInstruction::AddManufacturerV0 { address } => add_manufacturer::process(program_id, accounts, address),
        CsmInstruction::RevokeManufacturerV0 { address } => {
            revoke_manufacturer::process(program_id, accounts, address)
        }
        CsmInstruction::RegisterDeviceV0 { attestation_ix } => {
            register_device::process(program_id, accounts, attestation_ix)
        }
        CsmInstruction::BindWalletV0 { bind_ix } => bind_wallet::process(program_id, accounts, bind_ix),
        CsmInstruction::UnbindWalletV0 => unbind_wallet::process(program_id, accounts),
        CsmInstruction::ClaimV0 { checkpoint_ixs } => claim::process(program_id, accounts, checkpoint_ixs),
        CsmInstruction::SetPausedV0 { paused } => set_paused::process(program_id, accounts, paused),
        CsmInstruction::ScheduleParamsV0 { params } => schedule_params::process(program_id, accounts, params),
        CsmInstruction::ApplyParamsV0 => apply_params::process(program_id, accounts),
        CsmInstruction::SchedulePriceV0 { region, price } => {
            schedule_price::process(program_id, accounts, region, price)
        }
        CsmInstruction::ApplyPriceV0 { region } => apply_price::process(program_id, accounts, region),
        CsmInstruction::RevokeDeviceV0 { device } => revoke_device::process(program_id, accounts, device),
        CsmInstruction::ReinstateDeviceV0 { device } => reinstate_device::process(program_id, accounts, device),
        CsmInstruction::SetDeviceRegionV0 { device, region } => {
            set_device_region::process(program_id, accounts, device, region)
        }
        CsmInstruction::ProposeAuthorityV0 { new_authority } => {
            propose_authority::process(program_id, accounts, new_authority)
        }
        CsmInstruction::AcceptAuthorityV0 => accept_authority::process(program_id, accounts),
        CsmInstruction::RenounceAuthorityV0 => renounce_authority::process(program_id, accounts),
    }
}
