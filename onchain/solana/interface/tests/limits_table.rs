//! The program against onchain/vectors/limits.json, the one table of error codes, parameter
//! defaults and bounds, and limits that the Python model and the Vyper contract are held to too.

mod common;

use common::u;
use csm_solana_interface::error::CsmError;
use csm_solana_interface::instruction::MAX_CLAIMS_PER_INSTRUCTION;
use csm_solana_interface::limits;
use csm_solana_interface::params::{ParamsV1, BOUNDS};
use csm_solana_interface::state::MAX_PRICES;
use serde_json::Value;

const TABLE: &str = include_str!("../../../vectors/limits.json");

fn table() -> Value {
    serde_json::from_str(TABLE).unwrap()
}

#[test]
fn every_error_code_and_name_is_the_tables_and_the_table_has_no_code_the_program_lacks() {
    // Given the table's shared and Solana-only codes
    let t = table();
    let mut want: Vec<(String, u64)> = Vec::new();
    for section in ["codes", "solana_only_codes"] {
        for (name, code) in t[section].as_object().unwrap() {
            want.push((name.clone(), u(code)));
        }
    }
    want.sort_by_key(|(_, code)| *code);
    // When the program's codes are listed, Then they are exactly the table's
    let have: Vec<(String, u64)> = CsmError::ALL.iter().map(|e| (e.name().to_string(), e.code() as u64)).collect();
    assert_eq!(have, want);
}

#[test]
fn the_price_table_capacity_and_the_batch_limit_are_the_tables() {
    let l = &table()["limits"];
    assert_eq!(MAX_PRICES as u64, u(&l["price_table_capacity"]));
    assert_eq!(MAX_CLAIMS_PER_INSTRUCTION as u64, u(&l["max_batch"]["solana"]));
    assert_eq!(limits::MAX_PRICE, u(&l["max_price_micro_usd_per_kwh"]));
    assert_eq!(limits::DEFAULT_PRICE, u(&l["default_price_micro_usd_per_kwh"]));
    assert_eq!(limits::MAX_ERA, u(&l["max_era"]));
    assert_eq!(limits::MAX_MANUFACTURERS as u64, u(&l["max_manufacturers"]));
    assert_eq!(limits::TOKEN_DECIMALS as u64, u(&l["token_decimals"]));
    let delay = &l["params_delay_s"];
    assert_eq!(
        (limits::PARAMS_DELAY_S_DEFAULT, limits::PARAMS_DELAY_S_MIN, limits::PARAMS_DELAY_S_MAX),
        (u(&delay["default"]), u(&delay["min"]), u(&delay["max"]))
    );
}

#[test]
fn parameter_defaults_and_bounds_are_the_tables() {
    let t = table();
    let rows = t["params"].as_object().unwrap();
    assert_eq!(rows.len(), BOUNDS.len());
    let defaults = ParamsV1::default().values();
    for (i, (name, lo, hi)) in BOUNDS.iter().enumerate() {
        let row = &rows[*name];
        assert_eq!((defaults[i], *lo, *hi), (u(&row["default"]), u(&row["min"]), u(&row["max"])), "{name}");
    }
}

#[test]
fn each_parameter_is_accepted_at_its_bounds_and_refused_one_past_them() {
    let t = table();
    for (i, (name, _, _)) in BOUNDS.iter().enumerate() {
        let row = &t["params"][*name];
        let with = |v: u64| {
            let mut values = ParamsV1::default().values();
            values[i] = v;
            let [cap, psh, min, skew, share, tpu, era, ws, wl] = values;
            ParamsV1 {
                cap_mwh_per_day: cap,
                peak_sun_hours: psh as u32,
                min_claim_mwh: min,
                max_clock_skew_s: skew,
                share_bps: share as u16,
                tokens_per_usd: tpu,
                era_length_mwh: era,
                window_s: ws,
                window_limit_mwh: wl,
            }
        };
        assert!(with(u(&row["min"])).validate().is_ok(), "{name} at its minimum");
        assert!(with(u(&row["max"])).validate().is_ok(), "{name} at its maximum");
        if let Some(below) = u(&row["min"]).checked_sub(1) {
            assert_eq!(with(below).validate(), Err(CsmError::BadParameter), "{name} below");
        }
        // One past the maximum, where the field's width can hold it.
        let width_max = match *name {
            "peak_sun_hours" => u32::MAX as u64,
            "share_bps" => u16::MAX as u64,
            _ => u64::MAX,
        };
        if let Some(above) = u(&row["max"]).checked_add(1).filter(|v| *v <= width_max) {
            assert_eq!(with(above).validate(), Err(CsmError::BadParameter), "{name} above");
        }
    }
}
