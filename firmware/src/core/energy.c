#include "csm/energy.h"

#define NS_PER_MWH_PER_KINV 3600000000ull /* 3.6 J = 3.6e9 W*ns */

int csm_energy_init(csm_energy *e, uint32_t v_codes_per_volt, uint32_t i_codes_per_amp, uint64_t mwh,
                    uint64_t rem) {
    uint64_t k_inv = (uint64_t)v_codes_per_volt * i_codes_per_amp;
    if (k_inv == 0 || k_inv > UINT64_MAX / NS_PER_MWH_PER_KINV) return -1;
    e->q = NS_PER_MWH_PER_KINV * k_inv;
    e->mwh = mwh;
    e->rem = rem < e->q ? rem : 0;
    return 0;
}

csm_u128 csm_mul_u64(uint64_t a, uint64_t b) {
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    csm_u128 r;
    r.lo = (mid << 32) | (uint32_t)p00;
    r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return r;
}

uint64_t csm_divmod_u128(csm_u128 n, uint64_t d, uint64_t *rem) {
    /* Restoring long division, one quotient bit per step: runs once per block, so simplicity wins. */
    uint64_t r = n.hi, q = 0;
    for (int k = 63; k >= 0; k--) {
        uint64_t carry = r >> 63;
        r = (r << 1) | ((n.lo >> k) & 1u);
        if (carry || r >= d) {
            r -= d;
            q |= 1ull << k;
        }
    }
    *rem = r;
    return q;
}

void csm_energy_add(csm_energy *e, uint64_t sum_products, uint32_t period_ns) {
    csm_u128 x = csm_mul_u64(sum_products, period_ns);
    uint64_t lo = x.lo + e->rem;
    x.hi += lo < x.lo;
    x.lo = lo;
    uint64_t whole_hi = 0;
    if (x.hi >= e->q) { /* only for absurd scales; keeps the division's precondition */
        whole_hi = x.hi / e->q;
        x.hi %= e->q;
    }
    uint64_t rem;
    uint64_t whole = csm_divmod_u128(x, e->q, &rem);
    (void)whole_hi; /* would be >= 2^64 mWh: cannot happen with 32-bit codes and q >= 3.6e9 */
    e->mwh += whole;
    e->rem = rem;
}
