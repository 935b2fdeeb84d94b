//! Unsigned integers of up to 192 bits, for the payout arithmetic.
//!
//! RULES.md asks for intermediates of at least 128 bits. The SBPF build cannot use Rust's `u128` for
//! this: upstream LLVM's BPF backend (the one Debian ships, which builds our binary) lowers 128-bit
//! multiply, divide and variable shifts to libcalls returning 128-bit values, which it refuses
//! ("only small returns supported"). So the few operations the rules need are written here on 32-bit
//! limbs, where every partial product fits a native 64-bit register: multiply by a `u64`, divide by a
//! `u32` (every divisor in RULES.md factors into 32-bit pieces: 86 400, 10^5 x 10^5, 10^6, then a
//! shift by the era), shift right, compare with a `u64`. 192 bits hold any product of the rules'
//! inputs (u64 x u64 x u16 x u64 after one division by 10^10), so nothing here can overflow.
//! Host tests compare every operation with native `u128` arithmetic.

/// Six little-endian 32-bit limbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wide([u32; 6]);

const LIMBS: usize = 6;

impl Wide {
    pub const ZERO: Self = Self([0; LIMBS]);

    pub const fn from_u64(v: u64) -> Self {
        Self([v as u32, (v >> 32) as u32, 0, 0, 0, 0])
    }

    /// `self * m`, or `None` beyond 192 bits (impossible for the rules' inputs, see the module doc).
    pub fn mul_u64(self, m: u64) -> Option<Self> {
        let halves = [m & 0xFFFF_FFFF, m >> 32];
        let mut out = [0u64; LIMBS + 2];
        for (j, &h) in halves.iter().enumerate() {
            let mut carry = 0u64;
            for i in 0..LIMBS {
                // (2^32-1)^2 + 2 * (2^32-1) < 2^64: a limb product plus two limbs never overflows.
                let t = self.0[i] as u64 * h + out[i + j] + carry;
                out[i + j] = t & 0xFFFF_FFFF;
                carry = t >> 32;
            }
            out[LIMBS + j] += carry;
        }
        if out[LIMBS] != 0 || out[LIMBS + 1] != 0 {
            return None;
        }
        let mut limbs = [0u32; LIMBS];
        for i in 0..LIMBS {
            limbs[i] = out[i] as u32;
        }
        Some(Self(limbs))
    }

    /// `self / d`, floored. `d` must not be zero (every divisor here is a constant).
    pub fn div_u32(self, d: u32) -> Self {
        let d = d as u64;
        let mut rem = 0u64;
        let mut limbs = [0u32; LIMBS];
        for i in (0..LIMBS).rev() {
            // rem < d < 2^32, so this dividend fits 64 bits and the quotient digit fits 32.
            let cur = (rem << 32) | self.0[i] as u64;
            limbs[i] = (cur / d) as u32;
            rem = cur % d;
        }
        Self(limbs)
    }

    /// `self >> s` for `s < 64`.
    pub fn shift_right(self, s: u32) -> Self {
        let (words, bits) = ((s / 32) as usize, s % 32);
        let mut limbs = [0u32; LIMBS];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let lo = self.0.get(i + words).copied().unwrap_or(0) as u64;
            let hi = self.0.get(i + words + 1).copied().unwrap_or(0) as u64;
            *limb = (((hi << 32) | lo) >> bits) as u32;
        }
        Self(limbs)
    }

    /// The value if it fits a `u64`.
    pub fn to_u64(self) -> Option<u64> {
        if self.0[2..].iter().any(|&l| l != 0) {
            return None;
        }
        Some(self.0[0] as u64 | (self.0[1] as u64) << 32)
    }

    /// The value, or `u64::MAX` when it does not fit.
    pub fn saturating_u64(self) -> u64 {
        self.to_u64().unwrap_or(u64::MAX)
    }

    /// The limbs, least significant first (for tests and debugging).
    pub const fn limbs(&self) -> [u32; 6] {
        self.0
    }
}
