//! Every case of onchain/vectors/payout.json through the pure payout module: the same rules as the
//! Python preview and the Vyper contract, held together by the shared vectors.

use csm_solana_interface::error::CsmError;
use csm_solana_interface::params::ParamsV0;
use csm_solana_interface::payout::{evaluate_claim, split_by_era, ClaimCheckpoint, ClaimState};
use serde_json::Value;

const VECTORS: &str = include_str!("../../../vectors/payout.json");

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a u64: {v}"))
}

fn params_of(p: &Value) -> (ParamsV0, Vec<(u16, u64)>) {
    let params = ParamsV0 {
        cap_mwh_per_day: u(&p["cap_mwh_per_day"]),
        peak_sun_hours: u(&p["peak_sun_hours"]) as u32,
        min_claim_mwh: u(&p["min_claim_mwh"]),
        max_clock_skew_s: u(&p["max_clock_skew_s"]),
        share_bps: u(&p["share_bps"]) as u16,
        tokens_per_usd: u(&p["tokens_per_usd"]),
        era_length_mwh: u(&p["era_length_mwh"]),
    };
    let prices = p["prices"].as_object().unwrap().iter().map(|(k, v)| (k.parse().unwrap(), u(v))).collect();
    (params, prices)
}

fn price_for(prices: &[(u16, u64)], region: u16) -> u64 {
    let find = |r| prices.iter().find(|(k, _)| *k == r).map(|(_, p)| *p);
    find(region).or_else(|| find(0)).unwrap_or(0)
}

fn code_name(e: CsmError) -> &'static str {
    e.name()
}

#[test]
fn every_payout_vector_gives_the_expected_tokens_portions_or_error() {
    // Given the shared vectors
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 30, "the vector file changed size: update this test's expectation");
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let (params, prices) = params_of(case.get("params").unwrap_or(&doc["params"]));
        let d = &case["device"];
        let state = ClaimState {
            rated_w: u(&d["rated_w"]) as u32,
            bound: d["bound"].as_bool().unwrap(),
            last_seq: u(&d["last_seq"]) as u32,
            last_energy_mwh: u(&d["last_energy_mwh"]),
            last_time: u(&d["last_time"]),
        };
        let c = &case["checkpoint"];
        let ck = ClaimCheckpoint {
            seq: u(&c["seq"]) as u32,
            energy_mwh: u(&c["energy_mwh"]),
            device_time: u(&c["device_time"]),
        };
        let price = price_for(&prices, u(&d["region"]) as u16);
        // When the claim is evaluated
        let got = evaluate_claim(&params, price, &state, u(&case["network_energy_mwh"]), u(&case["now"]), &ck);
        // Then the result is the vector's
        let e = &case["expect"];
        if e["ok"].as_bool().unwrap() {
            let p = got.unwrap_or_else(|err| panic!("{name}: expected success, got {err:?}"));
            assert_eq!(p.tokens, u(&e["tokens"]), "{name}: tokens");
            assert_eq!(p.delta_mwh, u(&e["delta_mwh"]), "{name}: delta");
            assert_eq!(p.network_energy_after, u(&e["network_energy_after"]), "{name}: network energy");
            let want: Vec<(u64, u64, u64)> = e["portions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| (u(&x[0]), u(&x[1]), u(&x[2])))
                .collect();
            let network = u(&case["network_energy_mwh"]);
            let have: Vec<(u64, u64, u64)> = split_by_era(&params, price, network, p.delta_mwh)
                .map(|x| x.map(|x| (x.era, x.energy_mwh, x.tokens)))
                .collect::<Result<_, _>>()
                .unwrap_or_else(|err| panic!("{name}: portions {err:?}"));
            assert_eq!(have, want, "{name}: portions");
        } else {
            let err = got.err().unwrap_or_else(|| panic!("{name}: expected an error"));
            assert_eq!(err.code() as u64, u(&e["code"]), "{name}: code");
            assert_eq!(code_name(err), e["error"].as_str().unwrap(), "{name}: name");
        }
    }
}

#[test]
fn params_out_of_bounds_are_refused_with_bad_parameter() {
    // Given the default parameters, When one is moved just outside its bound, Then it is refused
    let ok = ParamsV0::default();
    assert!(ok.validate().is_ok());
    let bad = [
        ParamsV0 { cap_mwh_per_day: 0, ..ok },
        ParamsV0 { cap_mwh_per_day: 9_000_001, ..ok },
        ParamsV0 { peak_sun_hours: 25, ..ok },
        ParamsV0 { min_claim_mwh: 1_000_000_000_001, ..ok },
        ParamsV0 { max_clock_skew_s: 86_401, ..ok },
        ParamsV0 { share_bps: 999, ..ok },
        ParamsV0 { share_bps: 3_001, ..ok },
        ParamsV0 { tokens_per_usd: 0, ..ok },
        ParamsV0 { era_length_mwh: 0, ..ok },
        ParamsV0 { era_length_mwh: (1 << 63) + 1, ..ok },
    ];
    for p in bad {
        assert_eq!(p.validate(), Err(CsmError::BadParameter), "{p:?}");
    }
}
