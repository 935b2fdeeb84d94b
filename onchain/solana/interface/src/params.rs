//! Payout parameters (`PayoutParams` of RULES.md version 2) and their bounds.
//!
//! `ParamsV1` has the nine fields of RULES.md in the order of the Python `PayoutParams` and the Vyper
//! struct: the seven of version 1 (`ParamsV0`, 46 bytes, retired with the instructions that carried
//! it) followed by the mint window (`window_s`, `window_limit_mwh`).

use crate::bytes::{Reader, Writer};
use crate::error::CsmError;

pub const PARAMS_V1_LEN: usize = 62;
pub use crate::limits::MAX_PRICE;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamsV1 {
    pub cap_mwh_per_day: u64,
    pub peak_sun_hours: u32,
    pub min_claim_mwh: u64,
    pub max_clock_skew_s: u64,
    pub share_bps: u16,
    pub tokens_per_usd: u64,
    pub era_length_mwh: u64,
    pub window_s: u64,
    pub window_limit_mwh: u64,
}

impl Default for ParamsV1 {
    fn default() -> Self {
        Self {
            cap_mwh_per_day: 9_000_000,
            peak_sun_hours: 16,
            min_claim_mwh: 10_000,
            max_clock_skew_s: 300,
            share_bps: 2_000,
            tokens_per_usd: 1_000_000_000,
            era_length_mwh: 1_000_000_000_000,
            window_s: 86_400,
            window_limit_mwh: 10_000_000_000,
        }
    }
}

/// RULES.md's bounds, inclusive, by field name (`tests/limits_table.rs` compares them with
/// `limits.json`; `validate` applies them).
pub const BOUNDS: [(&str, u64, u64); 9] = [
    ("cap_mwh_per_day", 1, 9_000_000),
    ("peak_sun_hours", 1, 24),
    ("min_claim_mwh", 0, 1_000_000_000_000),
    ("max_clock_skew_s", 0, 86_400),
    ("share_bps", 1_000, 3_000),
    ("tokens_per_usd", 1, 1_000_000_000_000),
    ("era_length_mwh", 1, 1 << 63),
    ("window_s", 3_600, 2_592_000),
    ("window_limit_mwh", 1, u64::MAX),
];

impl ParamsV1 {
    /// The fields in `BOUNDS` order, widened to u64.
    pub fn values(&self) -> [u64; 9] {
        [
            self.cap_mwh_per_day,
            self.peak_sun_hours as u64,
            self.min_claim_mwh,
            self.max_clock_skew_s,
            self.share_bps as u64,
            self.tokens_per_usd,
            self.era_length_mwh,
            self.window_s,
            self.window_limit_mwh,
        ]
    }

    /// Refuses any value outside RULES.md's bounds with `BAD_PARAMETER`.
    pub fn validate(&self) -> Result<(), CsmError> {
        let values = self.values();
        let mut i = 0;
        while i < BOUNDS.len() {
            let (_, lo, hi) = BOUNDS[i];
            if values[i] < lo || values[i] > hi {
                return Err(CsmError::BadParameter);
            }
            i += 1;
        }
        Ok(())
    }

    /// The 62-byte little-endian layout used in instruction data and in the config account.
    pub fn to_bytes(&self) -> [u8; PARAMS_V1_LEN] {
        let mut out = [0u8; PARAMS_V1_LEN];
        let mut w = Writer::new(&mut out);
        // 62 bytes exactly: the writes cannot fail.
        let _ = self.write(&mut w);
        out
    }

    #[inline(always)]
    pub(crate) fn write(&self, w: &mut Writer) -> Option<()> {
        w.u64_le(self.cap_mwh_per_day)?;
        w.u32_le(self.peak_sun_hours)?;
        w.u64_le(self.min_claim_mwh)?;
        w.u64_le(self.max_clock_skew_s)?;
        w.u16_le(self.share_bps)?;
        w.u64_le(self.tokens_per_usd)?;
        w.u64_le(self.era_length_mwh)?;
        w.u64_le(self.window_s)?;
        w.u64_le(self.window_limit_mwh)
    }

    #[inline(always)]
    pub(crate) fn read(r: &mut Reader) -> Option<Self> {
        Some(Self {
            cap_mwh_per_day: r.u64_le()?,
            peak_sun_hours: r.u32_le()?,
            min_claim_mwh: r.u64_le()?,
            max_clock_skew_s: r.u64_le()?,
            share_bps: r.u16_le()?,
            tokens_per_usd: r.u64_le()?,
            era_length_mwh: r.u64_le()?,
            window_s: r.u64_le()?,
            window_limit_mwh: r.u64_le()?,
        })
    }
}
