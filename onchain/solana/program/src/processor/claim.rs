//! `ClaimV0`: pays a batch of device checkpoints, each verified by its own secp256k1 precompile
//! instruction in the same transaction.
//!
//! Checks run in RULES.md's order; a failed claim changes nothing and is reported by its event
//! while the others go on (a paused deployment refuses the whole call). State is cumulative per
//! device and updated in place, so there are no per-claim accounts and a checkpoint can never pay
//! twice: a reused signature carries a seq that is no longer above `last_seq`.

use solana_program::account_info::AccountInfo;
use solana_program::entrypoint::ProgramResult;
use solana_program::log::sol_log_data;
use solana_program::pubkey::Pubkey;

use csm_solana_interface::error::CsmError;
use csm_solana_interface::event::ClaimEventV0;
use csm_solana_interface::instruction::ids;
use csm_solana_interface::message::CheckpointMessage;
use csm_solana_interface::payout::{evaluate_claim, ClaimCheckpoint, ClaimState, Payout};
use csm_solana_interface::pda;
use csm_solana_interface::state::{ConfigV0, DeviceV0};

use super::accounts::{load_config, load_device, next, now, store_config, store_device};
use super::precompile::verified_at;
use super::token::{check_destination, check_mint, mint_to};

pub fn process(program_id: &Pubkey, accounts: &[AccountInfo], checkpoint_ixs: &[u8]) -> ProgramResult {
    let iter = &mut accounts.iter();
    let config = next(iter)?;
    let mint = next(iter)?;
    let mint_authority = next(iter)?;
    let token_program = next(iter)?;
    let sysvar = next(iter)?;

    let mut cfg = load_config(program_id, config)?;
    if cfg.paused {
        return Err(CsmError::Paused.into());
    }
    if *mint.key != cfg.mint {
        return Err(CsmError::WrongMint.into());
    }
    let bump = [cfg.mint_authority_bump];
    let seeds: &[&[u8]] = &[pda::MINT_AUTHORITY_SEED, &bump];
    let authority_key = Pubkey::create_program_address(seeds, program_id)?;
    if *mint_authority.key != authority_key {
        return Err(CsmError::WrongMintAuthority.into());
    }
    check_mint(mint, &authority_key)?;
    if *token_program.key != ids::TOKEN_PROGRAM {
        return Err(CsmError::InvalidAccount.into());
    }
    let now = now()?;

    for (index, &ix_index) in checkpoint_ixs.iter().enumerate() {
        let device = next(iter)?;
        let destination = next(iter)?;
        let mut event = ClaimEventV0 { claim_index: index as u8, device: [0; 20], seq: 0, code: 0, tokens: 0, delta_mwh: 0 };
        match check_claim(program_id, &cfg, sysvar, device, destination, ix_index, now, &mut event) {
            Ok((mut state, checkpoint, payout)) => {
                if payout.tokens > 0 {
                    mint_to(token_program, mint, destination, mint_authority, payout.tokens, seeds)?;
                }
                state.last_seq = checkpoint.seq;
                state.last_energy_mwh = checkpoint.energy_mwh;
                state.last_time = checkpoint.device_time;
                state.chain_head = checkpoint.chain_head;
                state.total_tokens = state.total_tokens.saturating_add(payout.tokens);
                store_device(device, &state)?;
                cfg.network_energy_mwh = payout.network_energy_after;
                event.tokens = payout.tokens;
                event.delta_mwh = payout.delta_mwh;
            }
            Err(code) => event.code = code.code() as u16,
        }
        sol_log_data(&[&event.pack()]);
    }
    store_config(config, &cfg)
}

/// RULES.md steps 2..12 for one claim; nothing is written here, so a failure changes nothing.
#[allow(clippy::too_many_arguments)]
fn check_claim(
    program_id: &Pubkey,
    cfg: &ConfigV0,
    sysvar: &AccountInfo,
    device: &AccountInfo,
    destination: &AccountInfo,
    ix_index: u8,
    now: u64,
    event: &mut ClaimEventV0,
) -> Result<(DeviceV0, CheckpointMessage, Payout), CsmError> {
    let verified = verified_at(sysvar, ix_index)?;
    let checkpoint = CheckpointMessage::parse(&verified.message).ok_or(CsmError::BadSignature)?;
    event.device = checkpoint.device;
    event.seq = checkpoint.seq;
    if verified.eth_address != checkpoint.device {
        return Err(CsmError::BadSignature);
    }
    let state = load_device(program_id, device, &checkpoint.device)?;
    if !state.bound() {
        return Err(CsmError::NotBound);
    }
    if checkpoint.deployment_id != cfg.deployment_id {
        return Err(CsmError::WrongDeployment);
    }
    check_destination(destination, &cfg.mint, &state.wallet)?;
    let claim_state = ClaimState {
        rated_w: state.rated_w,
        bound: true,
        last_seq: state.last_seq,
        last_energy_mwh: state.last_energy_mwh,
        last_time: state.last_time,
    };
    let ck = ClaimCheckpoint { seq: checkpoint.seq, energy_mwh: checkpoint.energy_mwh, device_time: checkpoint.device_time };
    let payout = evaluate_claim(&cfg.params, cfg.price_for(state.region), &claim_state, cfg.network_energy_mwh, now, &ck)?;
    Ok((state, checkpoint, payout))
}

