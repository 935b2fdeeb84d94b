//! Every case of onchain/vectors/payout.json through the pure payout module: the same rules as the
//! Python preview and the Vyper contract, held together by the shared vectors. The cases give the
//! network energy only: their era state is that of a history at one era length
//! (`NetworkState::at_energy`), and they predate the mint window, so it is unlimited here (as the
//! EVM and Solana program tests run them).

mod common;

use common::{params_of, portions_of, price_for, prices_of, u};
use csm_solana_interface::error::CsmError;
use csm_solana_interface::params::ParamsV1;
use csm_solana_interface::payout::{
    evaluate_claim, split_by_era, ClaimCheckpoint, ClaimContext, ClaimState, NetworkState,
};
use serde_json::Value;

const VECTORS: &str = include_str!("../../../vectors/payout.json");

#[test]
fn every_payout_vector_gives_the_expected_tokens_portions_or_error() {
    // Given the shared vectors
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 30, "the vector file changed size: update this test's expectation");
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let p = case.get("params").unwrap_or(&doc["params"]);
        let params = ParamsV1 { window_limit_mwh: u64::MAX, ..params_of(p) };
        let prices = prices_of(p);
        let d = &case["device"];
        let state = ClaimState {
            rated_w: u(&d["rated_w"]) as u32,
            revoked: false,
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
        let network = NetworkState::at_energy(u(&case["network_energy_mwh"]), params.era_length_mwh);
        let ctx = ClaimContext { params: &params, price, now: u(&case["now"]), mint_headroom: u64::MAX };
        // When the claim is evaluated
        let got = evaluate_claim(&ctx, &state, &network, &ck);
        // Then the result is the vector's
        let e = &case["expect"];
        if e["ok"].as_bool().unwrap() {
            let p = got.unwrap_or_else(|err| panic!("{name}: expected success, got {err:?}"));
            assert_eq!(p.tokens, u(&e["tokens"]), "{name}: tokens");
            assert_eq!(p.delta_mwh, u(&e["delta_mwh"]), "{name}: delta");
            assert_eq!(p.network_after.energy_mwh, u(&e["network_energy_after"]), "{name}: network energy");
            let have: Vec<(u64, u64, u64)> = split_by_era(&params, price, &network, p.delta_mwh)
                .map(|x| x.map(|x| (x.era, x.energy_mwh, x.tokens)))
                .collect::<Result<_, _>>()
                .unwrap_or_else(|err| panic!("{name}: portions {err:?}"));
            assert_eq!(have, portions_of(e), "{name}: portions");
        } else {
            let err = got.err().unwrap_or_else(|| panic!("{name}: expected an error"));
            assert_eq!(err.code() as u64, u(&e["code"]), "{name}: code");
            assert_eq!(err.name(), e["error"].as_str().unwrap(), "{name}: name");
        }
    }
}

#[test]
fn params_out_of_bounds_are_refused_with_bad_parameter() {
    // Given the default parameters, When one is moved just outside its bound, Then it is refused
    let ok = ParamsV1::default();
    assert!(ok.validate().is_ok());
    let bad = [
        ParamsV1 { cap_mwh_per_day: 0, ..ok },
        ParamsV1 { cap_mwh_per_day: 9_000_001, ..ok },
        ParamsV1 { peak_sun_hours: 25, ..ok },
        ParamsV1 { min_claim_mwh: 1_000_000_000_001, ..ok },
        ParamsV1 { max_clock_skew_s: 86_401, ..ok },
        ParamsV1 { share_bps: 999, ..ok },
        ParamsV1 { share_bps: 3_001, ..ok },
        ParamsV1 { tokens_per_usd: 0, ..ok },
        ParamsV1 { era_length_mwh: 0, ..ok },
        ParamsV1 { era_length_mwh: (1 << 63) + 1, ..ok },
        ParamsV1 { window_s: 3_599, ..ok },
        ParamsV1 { window_s: 2_592_001, ..ok },
        ParamsV1 { window_limit_mwh: 0, ..ok },
    ];
    for p in bad {
        assert_eq!(p.validate(), Err(CsmError::BadParameter), "{p:?}");
    }
}

#[test]
fn the_wallets_room_below_u64_max_is_part_of_the_overflow_step() {
    // Given a claim that pays 15e6 tokens (vector "one day, half a kWh")
    let params = ParamsV1::default();
    let state = ClaimState { rated_w: 100, revoked: false, bound: true, last_seq: 1, last_energy_mwh: 0, last_time: 1_700_000_000 };
    let ck = ClaimCheckpoint { seq: 2, energy_mwh: 500_000, device_time: 1_700_086_400 };
    let network = NetworkState::genesis(params.era_length_mwh);
    let at = |headroom| {
        let ctx = ClaimContext { params: &params, price: 150_000, now: 1_700_086_400, mint_headroom: headroom };
        evaluate_claim(&ctx, &state, &network, &ck)
    };
    // When the mint or the token account can take exactly that much, Then it pays; one less is OVERFLOW
    assert_eq!(at(15_000_000).unwrap().tokens, 15_000_000);
    assert_eq!(at(14_999_999), Err(CsmError::Overflow));
}
