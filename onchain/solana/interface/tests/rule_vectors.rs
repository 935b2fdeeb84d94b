//! Every case of the version-2 rule vectors (`cap_clock.json`, `halving.json`, `guards.json`) through
//! the pure functions the program runs: the bind rules and the cap clock they leave, then the claim
//! against that state and the stored network state (era, mint window). The Python model
//! (tests/rewards/test_rule_vectors.py) and the Vyper contract (tests/onchain/evm/
//! test_evm_rule_vectors.py) pass the same cases; the program's binary passes them in LiteSVM
//! (tests/onchain/solana/test_solana_rule_vectors.py).

mod common;

use common::{network_of, params_of, portions_of, price_for, prices_of, u};
use csm_solana_interface::payout::{
    evaluate_bind, evaluate_claim, split_by_era, BindRequest, BindState, ClaimCheckpoint, ClaimContext, ClaimState,
    NetworkState,
};
use csm_solana_interface::state::{DeviceV1, DEVICE_FLAG_BOUND, DEVICE_FLAG_HAS_STATE, DEVICE_FLAG_REVOKED};
use csm_solana_interface::Address;
use serde_json::Value;

const FILES: [(&str, &str); 3] = [
    ("cap_clock.json", include_str!("../../../vectors/cap_clock.json")),
    ("halving.json", include_str!("../../../vectors/halving.json")),
    ("guards.json", include_str!("../../../vectors/guards.json")),
];

/// The device account the case describes, as the program stores it.
fn device_of(d: &Value) -> DeviceV1 {
    let flag = |name: &str, bit: u8| if d[name].as_bool().unwrap_or(false) { bit } else { 0 };
    DeviceV1 {
        bump: 255,
        flags: flag("bound", DEVICE_FLAG_BOUND) | flag("has_state", DEVICE_FLAG_HAS_STATE) | flag("revoked", DEVICE_FLAG_REVOKED),
        device: [7; 20],
        manufacturer: [8; 20],
        rated_w: u(&d["rated_w"]) as u32,
        hw_class: 1,
        region: u(&d["region"]) as u16,
        serial: 1,
        last_seq: u(&d["last_seq"]) as u32,
        last_energy_mwh: u(&d["last_energy_mwh"]),
        last_time: u(&d["last_time"]),
        chain_head: [0; 32],
        wallet: Address::new_from_array([9; 32]),
        total_tokens: 0,
        manufacturer_index: 1,
    }
}

fn merged_params(doc: &Value, case: &Value) -> Value {
    let mut p = doc["params"].clone();
    if let Some(over) = case.get("params").and_then(Value::as_object) {
        for (k, v) in over {
            p[k] = v.clone();
        }
    }
    p
}

/// Runs one case; returns how many steps (bind, claim) it checked.
fn run(file: &str, doc: &Value, case: &Value) -> usize {
    let name = format!("{file}: {}", case["name"].as_str().unwrap());
    let p = merged_params(doc, case);
    let params = params_of(&p);
    let prices = prices_of(&p);
    let no_revoked_manufacturers = [0u8; 16];
    let mut device = device_of(&case["device"]);
    let network = case.get("network").map_or(NetworkState::genesis(params.era_length_mwh), network_of);
    let mut steps = 0;

    if let Some(b) = case.get("bind") {
        steps += 1;
        let expect = &b["expect"];
        // Step 3a as the program checks it, then steps 6..9 and the cap clock.
        let got = if device.revoked(&no_revoked_manufacturers) {
            Err(csm_solana_interface::error::CsmError::Revoked)
        } else {
            let state = BindState {
                has_state: device.has_state(),
                last_seq: device.last_seq,
                last_energy_mwh: device.last_energy_mwh,
                last_time: device.last_time,
            };
            let request = BindRequest { seq: u(&b["seq"]) as u32, energy_mwh: u(&b["energy_mwh"]), device_time: u(&b["device_time"]) };
            evaluate_bind(&params, &state, u(&b["now"]), &request)
        };
        if expect["ok"].as_bool().unwrap() {
            let cap_clock = got.unwrap_or_else(|e| panic!("{name}: bind refused with {e:?}"));
            device.last_seq = u(&b["seq"]) as u32;
            device.last_energy_mwh = u(&b["energy_mwh"]);
            device.last_time = cap_clock;
            device.flags |= DEVICE_FLAG_BOUND | DEVICE_FLAG_HAS_STATE;
            let after = &expect["device_after"];
            assert_eq!(
                (device.last_seq as u64, device.last_energy_mwh, device.last_time, device.region as u64, device.bound()),
                (u(&after["last_seq"]), u(&after["last_energy_mwh"]), u(&after["last_time"]), u(&after["region"]), after["bound"].as_bool().unwrap()),
                "{name}: device after the bind"
            );
        } else {
            let err = got.err().unwrap_or_else(|| panic!("{name}: bind accepted"));
            assert_eq!((err.name(), err.code() as u64), (expect["error"].as_str().unwrap(), u(&expect["code"])), "{name}");
        }
    }

    if let Some(c) = case.get("claim") {
        steps += 1;
        let expect = &c["expect"];
        let state = ClaimState {
            rated_w: device.rated_w,
            revoked: device.revoked(&no_revoked_manufacturers),
            bound: device.bound(),
            last_seq: device.last_seq,
            last_energy_mwh: device.last_energy_mwh,
            last_time: device.last_time,
        };
        let price = price_for(&prices, device.region);
        let ctx = ClaimContext { params: &params, price, now: u(&c["now"]), mint_headroom: u64::MAX };
        let ck = ClaimCheckpoint { seq: u(&c["seq"]) as u32, energy_mwh: u(&c["energy_mwh"]), device_time: u(&c["device_time"]) };
        let got = evaluate_claim(&ctx, &state, &network, &ck);
        if expect["ok"].as_bool().unwrap() {
            let payout = got.unwrap_or_else(|e| panic!("{name}: claim refused with {e:?}"));
            assert_eq!((payout.tokens, payout.delta_mwh), (u(&expect["tokens"]), u(&expect["delta_mwh"])), "{name}");
            let portions: Vec<(u64, u64, u64)> = split_by_era(&params, price, &network, payout.delta_mwh)
                .map(|x| x.map(|x| (x.era, x.energy_mwh, x.tokens)))
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(portions, portions_of(expect), "{name}: portions");
            if let Some(n) = expect.get("network_after") {
                assert_eq!(payout.network_after, network_of(n), "{name}: network after");
            }
        } else {
            let err = got.err().unwrap_or_else(|| panic!("{name}: claim paid"));
            assert_eq!((err.name(), err.code() as u64), (expect["error"].as_str().unwrap(), u(&expect["code"])), "{name}");
        }
    }
    steps
}

#[test]
fn every_rule_vector_binds_claims_or_refuses_exactly_as_written() {
    let mut cases = 0;
    let mut steps = 0;
    for (file, text) in FILES {
        let doc: Value = serde_json::from_str(text).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            steps += run(file, &doc, case);
            cases += 1;
        }
    }
    // 14 + 7 + 10 cases: a vector file that changes size must be looked at here too.
    assert_eq!(cases, 31);
    assert!(steps > cases);
}

#[test]
fn a_bind_never_moves_the_cap_clock_back_and_never_leaves_it_behind_chain_time() {
    // Given a device whose cap clock is T, When it rebinds with any device time within the skew of
    // any chain time, Then the bind is refused or leaves a clock >= T and >= the chain time
    let params = csm_solana_interface::params::ParamsV1::default();
    let t = 1_700_172_800;
    let state = BindState { has_state: true, last_seq: 5, last_energy_mwh: 10, last_time: t };
    for now in [1_000_000_000, t - 1, t, t + 1, t + 86_400 * 365] {
        for device_time in [0, 120, 1_000_000_000, t - 1, t, t + 1, now, now + 300, now + 301] {
            let request = BindRequest { seq: 6, energy_mwh: 10, device_time };
            if let Ok(clock) = evaluate_bind(&params, &state, now, &request) {
                assert!(clock >= t && clock >= now && device_time >= t, "now {now}, device time {device_time}");
            }
        }
    }
}
