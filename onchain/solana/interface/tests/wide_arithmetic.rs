//! The 192-bit limb arithmetic the payout rules run on (the SBPF build has no `u128`) against
//! native `u128` on the host, and the payout functions against RULES.md's formulas written with
//! `u128`, over edge values and a deterministic random sweep.

use csm_solana_interface::params::ParamsV1;
use csm_solana_interface::payout::{cap_for, daily_cap_mwh, split_by_era, tokens_for_portion, NetworkState, MAX_ERA};
use csm_solana_interface::wide::Wide;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Values biased to the edges: small, around 2^32, around u64::MAX.
    fn edgy(&mut self) -> u64 {
        match self.next() % 4 {
            0 => self.next() % 1000,
            1 => (1u64 << 32).wrapping_add(self.next() % 5).wrapping_sub(2),
            2 => u64::MAX - self.next() % 3,
            _ => self.next() >> (self.next() % 64),
        }
    }
}

fn to_u128(w: Wide) -> Option<u128> {
    let l = w.limbs();
    if l[4] != 0 || l[5] != 0 {
        return None;
    }
    Some(l.iter().take(4).rev().fold(0u128, |acc, &x| acc << 32 | x as u128))
}

#[test]
fn multiply_divide_and_shift_agree_with_u128() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    for _ in 0..200_000 {
        let (a, b) = (rng.edgy(), rng.edgy());
        let d = (rng.next() as u32).max(1);
        let s = (rng.next() % 64) as u32;
        let product = Wide::from_u64(a).mul_u64(b).unwrap();
        let want = a as u128 * b as u128;
        assert_eq!(to_u128(product), Some(want), "{a} * {b}");
        assert_eq!(to_u128(product.div_u32(d)), Some(want / d as u128), "{a} * {b} / {d}");
        assert_eq!(to_u128(product.shift_right(s)), Some(want >> s), "{a} * {b} >> {s}");
        assert_eq!(product.to_u64(), u64::try_from(want).ok());
        assert_eq!(product.saturating_u64(), u64::try_from(want).unwrap_or(u64::MAX));
    }
}

#[test]
fn three_u64_factors_fit_192_bits_and_a_fourth_overflows_to_none() {
    let max = Wide::from_u64(u64::MAX);
    let cube = max.mul_u64(u64::MAX).and_then(|w| w.mul_u64(u64::MAX)).expect("(2^64-1)^3 < 2^192");
    // (2^64-1)^3 = 2^192 - 3*2^128 + 3*2^64 - 1
    assert_eq!(cube.limbs(), [0xFFFF_FFFF, 0xFFFF_FFFF, 2, 0, 0xFFFF_FFFD, 0xFFFF_FFFF]);
    assert_eq!(cube.mul_u64(2), None);
    assert_eq!(cube.mul_u64(1), Some(cube));
    assert_eq!(cube.mul_u64(0), Some(Wide::ZERO));
}

fn rules_tokens(params: &ParamsV1, price: u64, energy: u64, era: u64) -> Option<u64> {
    // RULES.md, literally, in u128 (every intermediate fits: see payout.rs).
    if era >= MAX_ERA {
        return Some(0);
    }
    let value_micro = energy as u128 * price as u128 * params.share_bps as u128 / 10_000_000_000;
    let tokens = value_micro.checked_mul(params.tokens_per_usd as u128)? / (1_000_000u128 << era);
    u64::try_from(tokens).ok()
}

#[test]
fn tokens_per_portion_follow_the_rules_formula_within_the_parameter_bounds() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..100_000 {
        let params = ParamsV1 {
            share_bps: 1_000 + (rng.next() % 2_001) as u16,
            tokens_per_usd: 1 + rng.next() % 1_000_000_000_000,
            ..ParamsV1::default()
        };
        let price = rng.next() % 1_000_000_001;
        let energy = rng.edgy();
        let era = rng.next() % 70;
        assert_eq!(
            tokens_for_portion(&params, price, energy, era),
            rules_tokens(&params, price, energy, era),
            "{params:?} price {price} energy {energy} era {era}"
        );
    }
}

#[test]
fn the_pro_rata_cap_follows_the_rules_formula_and_saturates_above_u64() {
    let mut rng = XorShift(0xD1B5_4A32_D192_ED03);
    for _ in 0..100_000 {
        let params = ParamsV1 {
            cap_mwh_per_day: 1 + rng.next() % 9_000_000,
            peak_sun_hours: 1 + (rng.next() % 24) as u32,
            ..ParamsV1::default()
        };
        let rated = rng.next() as u32;
        let elapsed = rng.edgy();
        let daily = (rated as u128 * params.peak_sun_hours as u128 * 1000).min(params.cap_mwh_per_day as u128);
        assert_eq!(daily_cap_mwh(&params, rated) as u128, daily);
        let cap = daily * elapsed as u128 / 86_400;
        assert_eq!(cap_for(&params, rated, elapsed), u64::try_from(cap).unwrap_or(u64::MAX));
    }
}

#[test]
fn era_portions_cover_the_claim_exactly_and_stop_paying_from_era_64() {
    let params = ParamsV1 { era_length_mwh: 1_000, ..ParamsV1::default() };
    // From 500 into era 0, 2 600 mWh: 500 in era 0, 1 000 in eras 1 and 2, 100 in era 3
    let eras: Vec<(u64, u64)> =
        split_by_era(&params, 150_000, &NetworkState::at_energy(500, 1_000), 2_600).map(|p| p.map(|p| (p.era, p.energy_mwh)).unwrap()).collect();
    assert_eq!(eras, vec![(0, 500), (1, 1_000), (2, 1_000), (3, 100)]);
    // From era 63 on: era 63 is paid, the rest is one unpaid portion
    let late: Vec<_> = split_by_era(&params, 150_000, &NetworkState::at_energy(63_900, 1_000), 5_000).map(|p| p.unwrap()).collect();
    assert_eq!(late.iter().map(|p| (p.era, p.energy_mwh)).collect::<Vec<_>>(), vec![(63, 100), (64, 4_900)]);
    assert_eq!(late[1].tokens, 0);
    // The largest era length: never a multiplication that could overflow
    let huge = ParamsV1 { era_length_mwh: 1 << 63, ..ParamsV1::default() };
    let all: Vec<_> = split_by_era(&huge, 1, &NetworkState::at_energy(u64::MAX - 10, 1 << 63), 10).map(|p| p.unwrap()).collect();
    assert_eq!(all.iter().map(|p| (p.era, p.energy_mwh)).collect::<Vec<_>>(), vec![(1, 10)]);
}
