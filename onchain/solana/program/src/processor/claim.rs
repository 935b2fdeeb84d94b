//! `ClaimV0`: pays a batch of device checkpoints, each verified by its own secp256k1 precompile
//! instruction in the same transaction.
//!
//! Checks run in RULES.md's order; a failed claim changes nothing and is reported by its event
//! while the others go on (a paused deployment refuses the whole call). State is cumulative per
//! device and updated in place, so there are no per-claim accounts and a checkpoint can never pay
//! twice: a reused signature carries a seq that is no longer above `last_seq`.
//!
//! A claim that passes every check cannot make the `MintTo` fail (see `token.rs`), so no claim can
//! sink the batch: the wallet's token account is checked before the rules (`WRONG_WALLET`,
//! `INVALID_ACCOUNT`), and the mint's supply and the account's balance are part of step 12
//! (`OVERFLOW`). The network state (energy, stored era, mint window) moves claim by claim and is
//! written once at the end.

use pinocchio::cpi::{Seed, Signer};
use pinocchio::error::ProgramError;
use pinocchio::{AccountView, Address, ProgramResult};

use csm_solana_interface::error::CsmError;
use csm_solana_interface::event::ClaimEventV0;
use csm_solana_interface::instruction::ids;
use csm_solana_interface::message::CheckpointMessage;
use csm_solana_interface::payout::{
    check_claimable, evaluate_claim, ClaimCheckpoint, ClaimContext, ClaimState, Payout,
};
use csm_solana_interface::pda;
use csm_solana_interface::state::{ConfigV1, DeviceV1};

use super::accounts::{load_config, load_device, now, store_config, store_device};
use super::cpi::log_data;
use super::precompile::verified_at;
use super::token::{check_destination, check_mint, mint_to};

const FIXED_ACCOUNTS: usize = 5;

pub fn process(program_id: &Address, accounts: &mut [AccountView], checkpoint_ixs: &[u8]) -> ProgramResult {
    let [config, mint, mint_authority, token_program, sysvar, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    let (mut config, mint, mint_authority, token_program, sysvar) = (*config, *mint, *mint_authority, *token_program, *sysvar);
    if accounts.len() < FIXED_ACCOUNTS + 2 * checkpoint_ixs.len() {
        return Err(ProgramError::NotEnoughAccountKeys);
    }

    let mut cfg = load_config(program_id, &config)?;
    if cfg.paused {
        return Err(CsmError::Paused.into());
    }
    if !config.is_writable() {
        return Err(CsmError::InvalidAccount.into());
    }
    if *mint.address() != cfg.mint || !mint.is_writable() {
        return Err(CsmError::WrongMint.into());
    }
    let authority_key = pda::mint_authority_from_bump(program_id, cfg.mint_authority_bump);
    if *mint_authority.address() != authority_key {
        return Err(CsmError::WrongMintAuthority.into());
    }
    let mut supply = check_mint(&mint, &authority_key)?;
    if *token_program.address() != ids::TOKEN_PROGRAM {
        return Err(CsmError::InvalidAccount.into());
    }
    let bump = [cfg.mint_authority_bump];
    let seeds = [Seed::from(pda::MINT_AUTHORITY_SEED), Seed::from(&bump)];
    let signer = Signer::from(&seeds);
    let now = now()?;

    for (index, &ix_index) in checkpoint_ixs.iter().enumerate() {
        let mut device = accounts[FIXED_ACCOUNTS + 2 * index];
        let destination = accounts[FIXED_ACCOUNTS + 2 * index + 1];
        let mut event =
            ClaimEventV0 { claim_index: index as u8, device: [0; 20], seq: 0, code: 0, tokens: 0, delta_mwh: 0 };
        match check_claim(program_id, &cfg, &sysvar, &device, &destination, ix_index, now, supply, &mut event) {
            Ok((mut state, checkpoint, payout)) => {
                if payout.tokens > 0 {
                    mint_to(&token_program, &mint, &destination, &mint_authority, payout.tokens, &signer)?;
                    // Cannot wrap: the claim's headroom kept supply + tokens within u64.
                    supply += payout.tokens;
                }
                state.last_seq = checkpoint.seq;
                state.last_energy_mwh = checkpoint.energy_mwh;
                state.last_time = checkpoint.device_time;
                state.chain_head = checkpoint.chain_head;
                state.total_tokens = state.total_tokens.saturating_add(payout.tokens);
                store_device(&mut device, &state)?;
                cfg.network = payout.network_after;
                event.tokens = payout.tokens;
                event.delta_mwh = payout.delta_mwh;
            }
            Err(code) => event.code = code.code() as u16,
        }
        log_data(&[&event.pack()]);
    }
    store_config(&mut config, &cfg)
}

/// RULES.md steps 2..13 for one claim, with the wallet's token account checked after step 5;
/// nothing is written here, so a failure changes nothing.
/// `inline(always)`: more than five arguments, and the SBPF backend has no stack arguments.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn check_claim(
    program_id: &Address,
    cfg: &ConfigV1,
    sysvar: &AccountView,
    device: &AccountView,
    destination: &AccountView,
    ix_index: u8,
    now: u64,
    supply: u64,
    event: &mut ClaimEventV0,
) -> Result<(DeviceV1, CheckpointMessage, Payout), CsmError> {
    let (signer, checkpoint) = verified_at(sysvar, ix_index, CheckpointMessage::parse)?;
    event.device = checkpoint.device;
    event.seq = checkpoint.seq;
    if signer != checkpoint.device || checkpoint.device == [0; 20] {
        return Err(CsmError::BadSignature);
    }
    let state = load_device(program_id, device, &checkpoint.device)?;
    let claim_state = ClaimState {
        rated_w: state.rated_w,
        revoked: state.revoked(&cfg.revoked_manufacturers),
        bound: state.bound(),
        last_seq: state.last_seq,
        last_energy_mwh: state.last_energy_mwh,
        last_time: state.last_time,
    };
    check_claimable(&claim_state)?;
    if checkpoint.deployment_id != cfg.deployment_id {
        return Err(CsmError::WrongDeployment);
    }
    if !device.is_writable() {
        return Err(CsmError::InvalidAccount);
    }
    let balance = check_destination(destination, &cfg.mint, &state.wallet)?;
    let ctx = ClaimContext {
        params: &cfg.params,
        price: cfg.price_for(state.region),
        now,
        mint_headroom: (u64::MAX - supply).min(u64::MAX - balance),
    };
    let ck = ClaimCheckpoint { seq: checkpoint.seq, energy_mwh: checkpoint.energy_mwh, device_time: checkpoint.device_time };
    let payout = evaluate_claim(&ctx, &claim_state, &cfg.network, &ck)?;
    Ok((state, checkpoint, payout))
}
