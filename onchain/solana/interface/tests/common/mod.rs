//! Reading the shared vectors of `onchain/vectors/` into the interface's types (one reader for
//! every host test).

#![allow(dead_code)]

use csm_solana_interface::params::ParamsV1;
use csm_solana_interface::payout::NetworkState;
use serde_json::Value;

pub fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a u64: {v}"))
}

/// Parameters from a vector's `params` object; a missing window field takes the default.
pub fn params_of(p: &Value) -> ParamsV1 {
    let d = ParamsV1::default();
    let or = |name: &str, default: u64| p.get(name).map_or(default, u);
    ParamsV1 {
        cap_mwh_per_day: u(&p["cap_mwh_per_day"]),
        peak_sun_hours: u(&p["peak_sun_hours"]) as u32,
        min_claim_mwh: u(&p["min_claim_mwh"]),
        max_clock_skew_s: u(&p["max_clock_skew_s"]),
        share_bps: u(&p["share_bps"]) as u16,
        tokens_per_usd: u(&p["tokens_per_usd"]),
        era_length_mwh: u(&p["era_length_mwh"]),
        window_s: or("window_s", d.window_s),
        window_limit_mwh: or("window_limit_mwh", d.window_limit_mwh),
    }
}

/// A vector's price table as (region, price) pairs.
pub fn prices_of(p: &Value) -> Vec<(u16, u64)> {
    p["prices"].as_object().map_or_else(Vec::new, |m| m.iter().map(|(k, v)| (k.parse().unwrap(), u(v))).collect())
}

/// RULES.md: the region's price if set, else region 0's, else 0.
pub fn price_for(prices: &[(u16, u64)], region: u16) -> u64 {
    let find = |r| prices.iter().find(|(k, _)| *k == r).map(|(_, p)| *p);
    find(region).or_else(|| find(0)).unwrap_or(0)
}

pub fn network_of(n: &Value) -> NetworkState {
    NetworkState {
        energy_mwh: u(&n["energy_mwh"]),
        era: u(&n["era"]) as u8,
        era_left_mwh: u(&n["era_left_mwh"]),
        window_used_mwh: u(&n["window_used_mwh"]),
        window_time: u(&n["window_time"]),
    }
}

/// A vector's (portion era, energy, tokens) triples.
pub fn portions_of(e: &Value) -> Vec<(u64, u64, u64)> {
    e["portions"].as_array().unwrap().iter().map(|x| (u(&x[0]), u(&x[1]), u(&x[2]))).collect()
}
