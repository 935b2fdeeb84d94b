//! The per-claim event the program writes with `sol_log_data` ("Program data: <base64>" in the
//! logs). A batch skips failed claims instead of failing whole (RULES.md), so this event is how a
//! client learns each claim's fate.

use crate::bytes::Reader;

pub const EVENT_CLAIM: u8 = 1;
pub const EVENT_VERSION_0: u8 = 0;
pub const CLAIM_EVENT_V0_LEN: usize = 45;

/// `code` 0 = paid, else the RULES.md code that refused the claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimEventV0 {
    pub claim_index: u8,
    pub device: [u8; 20],
    pub seq: u32,
    pub code: u16,
    pub tokens: u64,
    pub delta_mwh: u64,
}

impl ClaimEventV0 {
    pub fn pack(&self) -> [u8; CLAIM_EVENT_V0_LEN] {
        let mut out = [0u8; CLAIM_EVENT_V0_LEN];
        out[0] = EVENT_CLAIM;
        out[1] = EVENT_VERSION_0;
        out[2] = self.claim_index;
        out[3..23].copy_from_slice(&self.device);
        out[23..27].copy_from_slice(&self.seq.to_le_bytes());
        out[27..29].copy_from_slice(&self.code.to_le_bytes());
        out[29..37].copy_from_slice(&self.tokens.to_le_bytes());
        out[37..45].copy_from_slice(&self.delta_mwh.to_le_bytes());
        out
    }

    pub fn unpack(data: &[u8]) -> Option<Self> {
        let mut r = Reader::new(data);
        if r.u8()? != EVENT_CLAIM || r.u8()? != EVENT_VERSION_0 {
            return None;
        }
        let ev = Self {
            claim_index: r.u8()?,
            device: r.array()?,
            seq: r.u32_le()?,
            code: r.u16_le()?,
            tokens: r.u64_le()?,
            delta_mwh: r.u64_le()?,
        };
        r.is_empty().then_some(ev)
    }
}
