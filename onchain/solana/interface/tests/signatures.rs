//! Low s (PROTOCOL.md 2): the secp256k1 precompile verifies `(r, n - s, v ^ 1)` as readily as
//! `(r, s, v)`, so the program refuses the high twin itself (`secp::is_canonical`).

use csm_solana_interface::secp::{is_canonical, HALF_ORDER};
use serde_json::Value;

const MESSAGES: &str = include_str!("../../../vectors/messages.json");
/// The secp256k1 group order n, big-endian.
const ORDER: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xBA, 0xAE, 0xDC,
    0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
];

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// n - s, big-endian.
fn negate(s: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = ORDER[i] as i16 - s[i] as i16 - borrow;
        out[i] = d.rem_euclid(256) as u8;
        borrow = (d < 0) as i16;
    }
    out
}

fn half_order_bytes() -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, w) in HALF_ORDER.iter().enumerate() {
        out[8 * i..8 * i + 8].copy_from_slice(&w.to_be_bytes());
    }
    out
}

#[test]
fn half_the_order_is_n_shifted_right_by_one() {
    let mut shifted = [0u8; 32];
    let mut carry = 0u8;
    for i in 0..32 {
        shifted[i] = (ORDER[i] >> 1) | carry;
        carry = ORDER[i] << 7;
    }
    assert_eq!(shifted, half_order_bytes());
}

#[test]
fn every_vector_signature_is_low_s_and_its_malleable_twin_is_refused() {
    // Given the checkpoint, bind and attestation signatures of messages.json
    let doc: Value = serde_json::from_str(MESSAGES).unwrap();
    for name in ["checkpoint", "bind", "attestation"] {
        let sig = hex(doc[name]["signature"].as_str().unwrap());
        assert!(is_canonical(&sig), "{name}");
        // When s becomes n - s and the recovery id flips (what the precompile still accepts)
        let mut twin = sig.clone();
        twin[32..64].copy_from_slice(&negate(&sig[32..64]));
        twin[64] ^= 1;
        // Then it is refused
        assert!(!is_canonical(&twin), "{name}");
    }
}

#[test]
fn s_at_half_the_order_passes_and_one_above_it_does_not() {
    let mut sig = [0u8; 65];
    sig[0] = 1;
    sig[32..64].copy_from_slice(&half_order_bytes());
    assert!(is_canonical(&sig));
    sig[63] += 1;
    assert!(!is_canonical(&sig));
    sig[32..64].copy_from_slice(&half_order_bytes());
    for v in [2, 3, 27, 28] {
        sig[64] = v;
        assert!(!is_canonical(&sig), "recovery id {v}");
    }
    assert!(!is_canonical(&sig[..64]));
}
