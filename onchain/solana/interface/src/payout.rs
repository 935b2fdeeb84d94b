//! The claim rules of onchain/RULES.md (checks 4 and 6..12, and the token amount) as pure integer
//! arithmetic, so they are tested against every payout vector without a runtime and run unchanged
//! inside the program.
//!
//! Intermediates go through [`Wide`] (192 bits), not `u128`: see `wide.rs` for why the SBPF build
//! cannot use `u128`. Every division of RULES.md is floored exactly as written; a division by a
//! product is done as successive floored divisions by its factors, which gives the same result
//! (floor(floor(x / a) / b) = floor(x / ab) for positive integers). The u64 limits RULES.md names
//! (tokens, network energy) are checked explicitly.

use crate::error::CsmError;
use crate::params::ParamsV0;
use crate::wide::Wide;

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
    pub tokens: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payout {
    pub delta_mwh: u64,
    pub elapsed_s: u64,
    /// The pro-rata cap, `u64::MAX` when it is larger (then no u64 delta can exceed it).
    pub cap_mwh: u64,
    pub tokens: u64,
    pub network_energy_after: u64,
}

/// min(cap_mwh_per_day, rated W x peak-sun-hours x 1000): tighter for small panels.
pub fn daily_cap_mwh(params: &ParamsV0, rated_w: u32) -> u64 {
    // u32 x u32 x 1000 < 2^74 would not fit u64, so go wide; the minimum is at most a u64 parameter.
    let physical = Wide::from_u64(rated_w as u64).mul_u64(params.peak_sun_hours as u64).and_then(|w| w.mul_u64(1000));
    physical.map_or(params.cap_mwh_per_day, |p| p.saturating_u64().min(params.cap_mwh_per_day))
}

/// Pro-rata cap for `elapsed_s` seconds, floored; `u64::MAX` stands for anything at or above it.
pub fn cap_for(params: &ParamsV0, rated_w: u32, elapsed_s: u64) -> u64 {
    Wide::from_u64(daily_cap_mwh(params, rated_w))
        .mul_u64(elapsed_s)
        .map_or(u64::MAX, |w| w.div_u32(SECONDS_PER_DAY as u32).saturating_u64())
}

/// Tokens for `energy_mwh` of era `era` at `price` micro-USD/kWh; rounding happens here, per portion.
/// `None` when they do not fit a u64 (`OVERFLOW`).
pub fn tokens_for_portion(params: &ParamsV0, price: u64, energy_mwh: u64, era: u64) -> Option<u64> {
    if era >= MAX_ERA {
        return Some(0);
    }
    // value_micro = p * price * share_bps // 10_000_000_000, as two floored divisions by 10^5.
    let value_micro = Wide::from_u64(energy_mwh)
        .mul_u64(price)?
        .mul_u64(params.share_bps as u64)?
        .div_u32(100_000)
        .div_u32(100_000);
    // tokens = value_micro * tokens_per_usd // (1_000_000 << era): divide by 10^6, then shift.
    value_micro.mul_u64(params.tokens_per_usd)?.div_u32(1_000_000).shift_right(era as u32).to_u64()
}

/// Portions of `[network_energy, network_energy + delta)` per era of `era_length_mwh`, in order.
/// The caller guarantees `network_energy + delta` fits a u64 (`evaluate_claim` checks it first).
pub fn split_by_era(params: &ParamsV0, price: u64, network_energy: u64, delta: u64) -> EraPortions {
    EraPortions { params: *params, price, n: network_energy, left: delta }
}

/// Iterator over the era portions of one claim; each item is `OVERFLOW` if its tokens exceed a u64.
pub struct EraPortions {
    params: ParamsV0,
    price: u64,
    n: u64,
    left: u64,
}

impl Iterator for EraPortions {
    type Item = Result<EraPortion, CsmError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        let length = self.params.era_length_mwh.max(1);
        let era = self.n / length;
        let portion = if era >= MAX_ERA {
            self.left
        } else {
            // What is left of the current era: no multiplication, so nothing can overflow.
            self.left.min(length - self.n % length)
        };
        let tokens = tokens_for_portion(&self.params, self.price, portion, era);
        self.n = self.n.saturating_add(portion);
        self.left -= portion;
        Some(tokens.map(|tokens| EraPortion { era, energy_mwh: portion, tokens }).ok_or(CsmError::Overflow))
    }
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
    if is_future_dated(ck.device_time, now, params.max_clock_skew_s) {
        return Err(CsmError::FutureDated);
    }
    let delta = ck.energy_mwh - state.last_energy_mwh;
    let elapsed = ck.device_time - state.last_time;
    let cap = cap_for(params, state.rated_w, elapsed);
    if delta > cap {
        return Err(CsmError::OverCap);
    }
    if delta < params.min_claim_mwh {
        return Err(CsmError::BelowThreshold);
    }
    let network_after = network_energy.checked_add(delta).ok_or(CsmError::Overflow)?;
    let mut tokens = 0u64;
    for portion in split_by_era(params, price, network_energy, delta) {
        tokens = tokens.checked_add(portion?.tokens).ok_or(CsmError::Overflow)?;
    }
    Ok(Payout { delta_mwh: delta, elapsed_s: elapsed, cap_mwh: cap, tokens, network_energy_after: network_after })
}

/// `device_time > now + max_clock_skew_s`, without overflowing (RULES.md step 9; also used by binds).
pub fn is_future_dated(device_time: u64, now: u64, max_clock_skew_s: u64) -> bool {
    device_time > now && device_time - now > max_clock_skew_s
}
