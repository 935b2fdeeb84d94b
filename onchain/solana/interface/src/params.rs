//! Payout parameters (`PayoutParams` of RULES.md) and their bounds.

use crate::bytes::Reader;
use crate::error::CsmError;

pub const PARAMS_V0_LEN: usize = 46;
pub const MAX_PRICE: u64 = 1_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamsV0 {
    pub cap_mwh_per_day: u64,
    pub peak_sun_hours: u32,
    pub min_claim_mwh: u64,
    pub max_clock_skew_s: u64,
    pub share_bps: u16,
    pub tokens_per_usd: u64,
    pub era_length_mwh: u64,
}

impl Default for ParamsV0 {
    fn default() -> Self {
        Self {
            cap_mwh_per_day: 9_000_000,
            peak_sun_hours: 16,
            min_claim_mwh: 10_000,
            max_clock_skew_s: 300,
            share_bps: 2_000,
            tokens_per_usd: 1_000_000_000,
            era_length_mwh: 1_000_000_000_000,
        }
    }
}

impl ParamsV0 {
    /// Refuses any value outside RULES.md's bounds with `BAD_PARAMETER`.
    pub fn validate(&self) -> Result<(), CsmError> {
        let ok = (1..=9_000_000).contains(&self.cap_mwh_per_day)
            && (1..=24).contains(&self.peak_sun_hours)
            && self.min_claim_mwh <= 1_000_000_000_000
            && self.max_clock_skew_s <= 86_400
            && (1_000..=3_000).contains(&self.share_bps)
            && (1..=1_000_000_000_000).contains(&self.tokens_per_usd)
            && (1..=1u64 << 63).contains(&self.era_length_mwh);
        if ok {
            Ok(())
        } else {
            Err(CsmError::BadParameter)
        }
    }

    pub fn pack(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.cap_mwh_per_day.to_le_bytes());
        out.extend_from_slice(&self.peak_sun_hours.to_le_bytes());
        out.extend_from_slice(&self.min_claim_mwh.to_le_bytes());
        out.extend_from_slice(&self.max_clock_skew_s.to_le_bytes());
        out.extend_from_slice(&self.share_bps.to_le_bytes());
        out.extend_from_slice(&self.tokens_per_usd.to_le_bytes());
        out.extend_from_slice(&self.era_length_mwh.to_le_bytes());
    }

    pub(crate) fn read(r: &mut Reader) -> Option<Self> {
        Some(Self {
            cap_mwh_per_day: r.u64_le()?,
            peak_sun_hours: r.u32_le()?,
            min_claim_mwh: r.u64_le()?,
            max_clock_skew_s: r.u64_le()?,
            share_bps: r.u16_le()?,
            tokens_per_usd: r.u64_le()?,
            era_length_mwh: r.u64_le()?,
        })
    }
}
