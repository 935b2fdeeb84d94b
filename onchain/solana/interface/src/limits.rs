//! The limits of onchain/RULES.md that this program enforces, one constant each, so that
//! `tests/limits_table.rs` can hold every one of them to `onchain/vectors/limits.json` (the table the
//! Python model and the Vyper contract are checked against too).

/// Regions with a price of their own, region 0 included; clearing a price frees its slot. Also the
/// size of the config's fixed price table.
pub const MAX_PRICES: usize = 32;
/// Scheduled price changes waiting at once (a full table can be cleared and refilled in one delay).
pub const MAX_PENDING_PRICES: usize = 2 * MAX_PRICES;
/// Highest price in micro-USD per kWh (1 000 USD/kWh).
pub const MAX_PRICE: u64 = 1_000_000_000;
/// Region 0's price when a deployment names none (0.15 USD/kWh, illustrative).
pub const DEFAULT_PRICE: u64 = 150_000;
/// Manufacturer keys a deployment can ever accept (a revoked key keeps its index, so its slot).
pub const MAX_MANUFACTURERS: u8 = 100;
/// From this era on portions pay nothing, so the split loop runs at most `MAX_ERA + 1` times.
pub const MAX_ERA: u64 = 64;
/// Delay between scheduling a parameter or price change and the earliest moment it applies.
pub const PARAMS_DELAY_S_MIN: u64 = 3_600;
pub const PARAMS_DELAY_S_MAX: u64 = 7_776_000;
pub const PARAMS_DELAY_S_DEFAULT: u64 = 604_800;
/// Most claims one `ClaimV0` accepts; a 1232-byte transaction fits far fewer (4).
pub const MAX_CLAIMS_PER_INSTRUCTION: usize = 16;
/// Decimals of the reward mint.
pub const TOKEN_DECIMALS: u8 = 9;
