//! The per-claim event the program writes with `sol_log_data` ("Program data: <base64>" in the
//! logs). A batch skips failed claims instead of failing whole (RULES.md), so this event is how a
//! client learns each claim's fate.

use crate::bytes::Reader;
use crate::params::{ParamsV1, PARAMS_V1_LEN};

pub const EVENT_CLAIM: u8 = 1;
pub const EVENT_VERSION_0: u8 = 0;
pub const CLAIM_EVENT_V0_LEN: usize = 45;
/// A parameter change was scheduled: kind, version, `effective_at` u64, then the `ParamsV1` bytes.
pub const EVENT_PARAMS_SCHEDULED: u8 = 2;
/// A price change was scheduled: kind, version, region u16, set u8, price u64, `effective_at` u64.
pub const EVENT_PRICE_SCHEDULED: u8 = 3;
/// A device was bound: kind, version, device, the region its bind declared (logged, never priced:
/// RULES.md "Price region"), seq u32, the cap clock it left u64.
pub const EVENT_BOUND: u8 = 4;
pub const BOUND_V0_LEN: usize = 2 + 20 + 2 + 4 + 8;
pub const PARAMS_SCHEDULED_V0_LEN: usize = 2 + 8 + PARAMS_V1_LEN;
pub const PRICE_SCHEDULED_V0_LEN: usize = 2 + 2 + 1 + 8 + 8;

/// The record of a bind, with the region the host declared (the price region stays the registered one).
pub fn bound(device: &[u8; 20], declared_region: u16, seq: u32, cap_clock: u64) -> [u8; BOUND_V0_LEN] {
    let mut out = [0u8; BOUND_V0_LEN];
    out[0] = EVENT_BOUND;
    out[1] = EVENT_VERSION_0;
    out[2..22].copy_from_slice(device);
    out[22..24].copy_from_slice(&declared_region.to_le_bytes());
    out[24..28].copy_from_slice(&seq.to_le_bytes());
    out[28..36].copy_from_slice(&cap_clock.to_le_bytes());
    out
}

/// The announcement RULES.md asks for when a parameter change is scheduled (everyone can see it a
/// published delay before it can apply; the config holds it too).
pub fn params_scheduled(params: &ParamsV1, effective_at: u64) -> [u8; PARAMS_SCHEDULED_V0_LEN] {
    let mut out = [0u8; PARAMS_SCHEDULED_V0_LEN];
    out[0] = EVENT_PARAMS_SCHEDULED;
    out[1] = EVENT_VERSION_0;
    out[2..10].copy_from_slice(&effective_at.to_le_bytes());
    out[10..].copy_from_slice(&params.to_bytes());
    out
}

/// The announcement of a scheduled price change (`price: None` clears the region's price).
pub fn price_scheduled(region: u16, price: Option<u64>, effective_at: u64) -> [u8; PRICE_SCHEDULED_V0_LEN] {
    let mut out = [0u8; PRICE_SCHEDULED_V0_LEN];
    out[0] = EVENT_PRICE_SCHEDULED;
    out[1] = EVENT_VERSION_0;
    out[2..4].copy_from_slice(&region.to_le_bytes());
    out[4] = price.is_some() as u8;
    out[5..13].copy_from_slice(&price.unwrap_or(0).to_le_bytes());
    out[13..21].copy_from_slice(&effective_at.to_le_bytes());
    out
}

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
