//! Payout parameters (`PayoutParams` of RULES.md) and their bounds.

use crate::bytes::{Reader, Writer};
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

    /// The 46-byte little-endian layout used in instruction data and in the config account.
    pub fn to_bytes(&self) -> [u8; PARAMS_V0_LEN] {
        let mut out = [0u8; PARAMS_V0_LEN];
        let mut w = Writer::new(&mut out);
        // 46 bytes exactly: the writes cannot fail.
        let _ = self.write(&mut w);
        out
    }

    pub(crate) fn write(&self, w: &mut Writer) -> Option<()> {
        w.u64_le(self.cap_mwh_per_day)?;
        w.u32_le(self.peak_sun_hours)?;
        w.u64_le(self.min_claim_mwh)?;
        w.u64_le(self.max_clock_skew_s)?;
        w.u16_le(self.share_bps)?;
        w.u64_le(self.tokens_per_usd)?;
        w.u64_le(self.era_length_mwh)
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
