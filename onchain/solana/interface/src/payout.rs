//! The claim rules of onchain/RULES.md (checks 4 and 6..12, and the token amount) as pure integer
//! arithmetic, so they are tested against every payout vector without a runtime and run unchanged
//! inside the program.
//!
//! Intermediates are u128: `p * price * share` is below 2^64 * 2^30 * 2^12 and the token product
//! below 2^113, so nothing here can overflow; the u64 limits RULES.md names are checked explicitly.

use crate::error::CsmError;
use crate::params::ParamsV0;

pub const SECONDS_PER_DAY: u64 = 86_400;
/// From this era on portions pay nothing, so the split loop runs at most `MAX_ERA + 1` times.
pub const MAX_ERA: u64 = 64;

/// The part of a device's state the payout rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimState {
    pub rated_w: u32,
    pub bound: bool,
    pub last_seq: u32,
    pub last_energy_mwh: u64,
    pub last_time: u64,
}

/// The checkpoint fields the payout rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimCheckpoint {
    pub seq: u32,
    pub energy_mwh: u64,
    pub device_time: u64,
}

/// Energy of one claim that falls into one halving era, and what it pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EraPortion {
    pub era: u64,
    pub energy_mwh: u64,
    pub tokens: u128,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payout {
    pub delta_mwh: u64,
    pub elapsed_s: u64,
    pub cap_mwh: u64,
    pub tokens: u64,
    pub network_energy_after: u64,
    pub portions: Vec<EraPortion>,
}

/// min(cap_mwh_per_day, rated W x peak-sun-hours): tighter for small panels.
pub fn daily_cap_mwh(params: &ParamsV0, rated_w: u32) -> u128 {
    let physical = rated_w as u128 * params.peak_sun_hours as u128 * 1000;
    physical.min(params.cap_mwh_per_day as u128)
}

/// Pro-rata cap for `elapsed_s` seconds, floored.
pub fn cap_for(params: &ParamsV0, rated_w: u32, elapsed_s: u64) -> u128 {
    daily_cap_mwh(params, rated_w) * elapsed_s as u128 / SECONDS_PER_DAY as u128
}

/// Tokens for `energy_mwh` of era `era` at `price` micro-USD/kWh; rounding happens here, per portion.
pub fn tokens_for_portion(params: &ParamsV0, price: u64, energy_mwh: u64, era: u64) -> u128 {
    if era >= MAX_ERA {
        return 0;
    }
    let value_micro = energy_mwh as u128 * price as u128 * params.share_bps as u128 / 10_000_000_000;
    value_micro * params.tokens_per_usd as u128 / (1_000_000u128 << era)
}

/// Portions of `[network_energy, network_energy + delta)` per era of `era_length_mwh`.
pub fn split_by_era(params: &ParamsV0, price: u64, network_energy: u64, delta: u64) -> Vec<EraPortion> {
    let length = params.era_length_mwh.max(1) as u128;
    let mut out = Vec::new();
    let mut n = network_energy as u128;
    let mut left = delta as u128;
    while left > 0 {
        let era = n / length;
        if era >= MAX_ERA as u128 {
            out.push(EraPortion { era: era as u64, energy_mwh: left as u64, tokens: 0 });
            break;
        }
        let portion = left.min((era + 1) * length - n);
        let tokens = tokens_for_portion(params, price, portion as u64, era as u64);
        out.push(EraPortion { era: era as u64, energy_mwh: portion as u64, tokens });
        n += portion;
        left -= portion;
    }
    out
}

/// Applies checks 4 and 6..12 of RULES.md in order; the first broken rule is the error.
///
/// Pause (1), signature (2), registration (3) and deployment (5) are the caller's: they depend on
/// accounts and the precompile, not on arithmetic.
pub fn evaluate_claim(
    params: &ParamsV0,
    price: u64,
    state: &ClaimState,
    network_energy: u64,
    now: u64,
    ck: &ClaimCheckpoint,
) -> Result<Payout, CsmError> {
    if !state.bound {
        return Err(CsmError::NotBound);
    }
    if ck.seq <= state.last_seq {
        return Err(CsmError::Replay);
    }
    if ck.energy_mwh <= state.last_energy_mwh {
        return Err(CsmError::EnergyNotIncreasing);
    }
    if ck.device_time <= state.last_time {
        return Err(CsmError::TimeNotIncreasing);
    }
    if ck.device_time as u128 > now as u128 + params.max_clock_skew_s as u128 {
        return Err(CsmError::FutureDated);
    }
    let delta = ck.energy_mwh - state.last_energy_mwh;
    let elapsed = ck.device_time - state.last_time;
    let cap = cap_for(params, state.rated_w, elapsed);
    if delta as u128 > cap {
        return Err(CsmError::OverCap);
    }
    if delta < params.min_claim_mwh {
        return Err(CsmError::BelowThreshold);
    }
    let network_after = network_energy.checked_add(delta).ok_or(CsmError::Overflow)?;
    let portions = split_by_era(params, price, network_energy, delta);
    let total: u128 = portions.iter().map(|p| p.tokens).sum();
    let tokens = u64::try_from(total).map_err(|_| CsmError::Overflow)?;
    Ok(Payout {
        delta_mwh: delta,
        elapsed_s: elapsed,
        cap_mwh: cap as u64,
        tokens,
        network_energy_after: network_after,
        portions,
    })
}
