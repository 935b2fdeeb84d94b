//! The rules of onchain/RULES.md version 2 that are arithmetic (a claim's steps 3a, 4 and 6..13 with
//! the token amount and the network state it leaves; a bind's steps 6..9 and the cap clock it
//! leaves) as pure functions, so they are tested against every vector without a runtime
//! (`tests/payout_vectors.rs`, `tests/rule_vectors.rs`) and run unchanged inside the program.
//!
//! Intermediates go through [`Wide`] (192 bits), not `u128`: see `wide.rs` for why the SBPF build
//! cannot use `u128`. Every division of RULES.md is floored exactly as written; a division by a
//! product is done as successive floored divisions by its factors, which gives the same result
//! (floor(floor(x / a) / b) = floor(x / ab) for positive integers). The u64 limits RULES.md names
//! (tokens, network energy) are checked explicitly.
//!
//! Functions that take more than five arguments or return a struct are `inline(always)`: the SBPF
//! backend has no stack arguments and no aggregate returns (docs/decisions/0004).

use crate::error::CsmError;
pub use crate::limits::MAX_ERA;
use crate::params::ParamsV1;
use crate::wide::Wide;

pub const SECONDS_PER_DAY: u64 = 86_400;

/// What the chain stores for the whole deployment (RULES.md "State"): the energy paid for, the
/// halving era and the energy left in it, and the energy paid in the mint window of `window_time`
/// (the chain time of the last payment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkState {
    pub energy_mwh: u64,
    pub era: u8,
    pub era_left_mwh: u64,
    pub window_used_mwh: u64,
    pub window_time: u64,
}

impl NetworkState {
    /// A new deployment: era 0 with a whole era left, nothing paid.
    pub fn genesis(era_length_mwh: u64) -> Self {
        Self { energy_mwh: 0, era: 0, era_left_mwh: era_length_mwh, window_used_mwh: 0, window_time: 0 }
    }

    /// The era state a history at one constant era length leaves (how RULES.md version 1 derived the
    /// era, and how `payout.json`'s cases, which give the network energy only, are read).
    pub fn at_energy(energy_mwh: u64, era_length_mwh: u64) -> Self {
        let length = era_length_mwh.max(1);
        let era = energy_mwh / length;
        let (era, era_left_mwh) = if era >= MAX_ERA { (MAX_ERA, 0) } else { (era, length - energy_mwh % length) };
        Self { energy_mwh, era: era as u8, era_left_mwh, window_used_mwh: 0, window_time: 0 }
    }

    /// Energy paid so far in the mint window holding `now`: what is stored if the last payment fell
    /// in that window, else 0 (windows are `window_s` long, counted from unix time 0).
    pub fn window_used_at(&self, window_s: u64, now: u64) -> u64 {
        let w = window_s.max(1);
        if now / w == self.window_time / w {
            self.window_used_mwh
        } else {
            0
        }
    }
}

/// The part of a device's state the claim rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimState {
    pub rated_w: u32,
    /// RULES.md step 3a, as `DeviceV1::revoked` computes it.
    pub revoked: bool,
    pub bound: bool,
    pub last_seq: u32,
    pub last_energy_mwh: u64,
    pub last_time: u64,
}

/// The checkpoint fields the claim rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimCheckpoint {
    pub seq: u32,
    pub energy_mwh: u64,
    pub device_time: u64,
}

/// What a claim is judged against besides the device: parameters, the device's price, chain time,
/// and how many tokens can still be minted to its wallet (the least of the mint's and the token
/// account's room below u64::MAX; `u64::MAX` when not known, as in a preview).
#[derive(Clone, Copy, Debug)]
pub struct ClaimContext<'a> {
    pub params: &'a ParamsV1,
    pub price: u64,
    pub now: u64,
    pub mint_headroom: u64,
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
    /// The network state after this claim: energy, era, energy left in it, the mint window.
    pub network_after: NetworkState,
}

/// min(cap_mwh_per_day, rated W x peak-sun-hours x 1000): tighter for small panels.
pub fn daily_cap_mwh(params: &ParamsV1, rated_w: u32) -> u64 {
    // u32 x u32 x 1000 < 2^74 would not fit u64, so go wide; the minimum is at most a u64 parameter.
    let physical = Wide::from_u64(rated_w as u64).mul_u64(params.peak_sun_hours as u64).and_then(|w| w.mul_u64(1000));
    physical.map_or(params.cap_mwh_per_day, |p| p.saturating_u64().min(params.cap_mwh_per_day))
}

/// Pro-rata cap for `elapsed_s` seconds, floored; `u64::MAX` stands for anything at or above it.
pub fn cap_for(params: &ParamsV1, rated_w: u32, elapsed_s: u64) -> u64 {
    Wide::from_u64(daily_cap_mwh(params, rated_w))
        .mul_u64(elapsed_s)
        .map_or(u64::MAX, |w| w.div_u32(SECONDS_PER_DAY as u32).saturating_u64())
}

/// Tokens for `energy_mwh` of era `era` at `price` micro-USD/kWh; rounding happens here, per portion.
/// `None` when they do not fit a u64 (`OVERFLOW`).
pub fn tokens_for_portion(params: &ParamsV1, price: u64, energy_mwh: u64, era: u64) -> Option<u64> {
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

/// The portions of a claim of `delta` mWh, split at the **stored** era's end and every
/// `era_length_mwh` after it (RULES.md "Tokens"): `portion = min(left, era_left)`; an emptied era
/// moves to the next with a whole era length left (0 from era 64 on, where the era stays and the
/// rest is one portion that pays nothing). At most `MAX_ERA + 1` portions.
pub fn split_by_era<'a>(params: &'a ParamsV1, price: u64, network: &NetworkState, delta: u64) -> EraSplit<'a> {
    EraSplit { params, price, era: network.era as u64, era_left: network.era_left_mwh, left: delta }
}

/// Iterator over the era portions of one claim; each item is `OVERFLOW` if its tokens exceed a
/// u64. After the last portion, [`EraSplit::position`] is the era state the claim leaves.
pub struct EraSplit<'a> {
    params: &'a ParamsV1,
    price: u64,
    era: u64,
    era_left: u64,
    left: u64,
}

impl EraSplit<'_> {
    /// (era, energy left in it) after the portions taken so far.
    pub fn position(&self) -> (u64, u64) {
        (self.era, self.era_left)
    }
}

impl Iterator for EraSplit<'_> {
    type Item = Result<EraPortion, CsmError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        let era = self.era;
        if era >= MAX_ERA {
            let portion = EraPortion { era, energy_mwh: self.left, tokens: 0 };
            self.left = 0;
            return Some(Ok(portion));
        }
        let portion = self.left.min(self.era_left);
        self.left -= portion;
        self.era_left -= portion;
        if self.era_left == 0 {
            self.era += 1;
            self.era_left = if self.era < MAX_ERA { self.params.era_length_mwh } else { 0 };
        }
        let tokens = tokens_for_portion(self.params, self.price, portion, era);
        Some(tokens.map(|tokens| EraPortion { era, energy_mwh: portion, tokens }).ok_or(CsmError::Overflow))
    }
}

/// RULES.md steps 3a and 4 of a claim: revoked, then not bound.
#[inline(always)]
pub fn check_claimable(state: &ClaimState) -> Result<(), CsmError> {
    if state.revoked {
        return Err(CsmError::Revoked);
    }
    if !state.bound {
        return Err(CsmError::NotBound);
    }
    Ok(())
}

/// Applies steps 3a, 4 and 6..13 of RULES.md in order; the first broken rule is the error.
///
/// Pause (1), signature (2), registration (3), deployment (5) and the wallet's token account are
/// the caller's: they depend on accounts and the precompile, not on arithmetic. The program checks
/// 3a and 4 itself before step 5 too (same function), so the order holds.
#[inline(always)]
pub fn evaluate_claim(
    ctx: &ClaimContext,
    state: &ClaimState,
    network: &NetworkState,
    ck: &ClaimCheckpoint,
) -> Result<Payout, CsmError> {
    let params = ctx.params;
    check_claimable(state)?;
    if ck.seq <= state.last_seq {
        return Err(CsmError::Replay);
    }
    if ck.energy_mwh <= state.last_energy_mwh {
        return Err(CsmError::EnergyNotIncreasing);
    }
    if ck.device_time <= state.last_time {
        return Err(CsmError::TimeNotIncreasing);
    }
    if is_future_dated(ck.device_time, ctx.now, params.max_clock_skew_s) {
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
    // Step 12: the network total, the tokens, and what the mint and the wallet's account can take.
    let energy_after = network.energy_mwh.checked_add(delta).ok_or(CsmError::Overflow)?;
    let mut split = split_by_era(params, ctx.price, network, delta);
    let mut tokens = 0u64;
    for portion in split.by_ref() {
        tokens = tokens.checked_add(portion?.tokens).ok_or(CsmError::Overflow)?;
    }
    if tokens > ctx.mint_headroom {
        return Err(CsmError::Overflow);
    }
    // Step 13: the mint window.
    let used = network.window_used_at(params.window_s, ctx.now);
    let used_after = used.checked_add(delta).filter(|u| *u <= params.window_limit_mwh).ok_or(CsmError::WindowFull)?;
    let (era, era_left_mwh) = split.position();
    let network_after = NetworkState {
        energy_mwh: energy_after,
        era: era as u8,
        era_left_mwh,
        window_used_mwh: used_after,
        window_time: ctx.now,
    };
    Ok(Payout { delta_mwh: delta, elapsed_s: elapsed, cap_mwh: cap, tokens, network_after })
}

/// The part of a device's state the bind rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BindState {
    /// False for a device never bound: steps 6..8 do not apply.
    pub has_state: bool,
    pub last_seq: u32,
    pub last_energy_mwh: u64,
    pub last_time: u64,
}

/// The bind message fields the bind rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BindRequest {
    pub seq: u32,
    pub energy_mwh: u64,
    pub device_time: u64,
}

/// RULES.md binding steps 6..9 in order; returns the cap clock the bind leaves,
/// `max(device_time, now)`: a bind never moves the clock back (step 8), and after a bind the clock
/// is never behind the chain time it landed at, so a device's clock cannot buy cap for time the
/// chain has not seen pass.
pub fn evaluate_bind(params: &ParamsV1, state: &BindState, now: u64, bind: &BindRequest) -> Result<u64, CsmError> {
    if state.has_state {
        if bind.seq <= state.last_seq {
            return Err(CsmError::Replay);
        }
        if bind.energy_mwh < state.last_energy_mwh {
            return Err(CsmError::EnergyNotIncreasing);
        }
        if bind.device_time < state.last_time {
            return Err(CsmError::TimeNotIncreasing);
        }
    }
    if is_future_dated(bind.device_time, now, params.max_clock_skew_s) {
        return Err(CsmError::FutureDated);
    }
    Ok(bind.device_time.max(now))
}

/// `device_time > now + max_clock_skew_s`, without overflowing (RULES.md step 9 of claims and binds).
pub fn is_future_dated(device_time: u64, now: u64, max_clock_skew_s: u64) -> bool {
    device_time > now && device_time - now > max_clock_skew_s
}
