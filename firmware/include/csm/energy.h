/* Energy on the device (PROTOCOL.md 5) in integers only, so it never drifts.
 *
 * The factory scales are v_lsb = 1 / v_codes_per_volt and i_lsb = 1 / i_codes_per_amp (integers), so
 * one code product (v_code * i_code) is 1 / k_inv watts with k_inv = v_codes_per_volt * i_codes_per_amp.
 * A block contributes S * period_ns code-nanoseconds with S = sum(max(0, v_code * i_code)); one mWh is
 * 3.6 J = q = 3.6e9 * k_inv code-nanoseconds. The accumulator keeps whole mWh plus the remainder
 * (< q), so energy_mwh is exactly floor(sum p * dt / 3.6 J). S * period_ns may need 96 bits, hence the
 * small 128-bit helpers in energy.c (Cortex-M3 has no __int128). */
#ifndef CSM_ENERGY_H
#define CSM_ENERGY_H
#include <stddef.h>
#include <stdint.h>

typedef struct csm_energy {
    uint64_t mwh;
    uint64_t rem; /* code-ns, < q */
    uint64_t q;   /* code-ns per mWh */
} csm_energy;

/* Returns 0, or -1 when the scales make q overflow 64 bits (k_inv > 5.12e9). */
int csm_energy_init(csm_energy *e, uint32_t v_codes_per_volt, uint32_t i_codes_per_amp, uint64_t mwh,
                    uint64_t rem);
/* max(0, v * i) for 32-bit codes (20-bit sensors use 38 bits of it). */
static inline uint64_t csm_positive_product(int32_t v, int32_t i) {
    int64_t p = (int64_t)v * (int64_t)i;
    return p > 0 ? (uint64_t)p : 0u;
}
/* Adds a block's S at period_ns; S up to 2^64-1 (2000 samples of 2^62 would still fit). */
void csm_energy_add(csm_energy *e, uint64_t sum_products, uint32_t period_ns);

/* 128-bit helpers, exposed for the extreme-value tests. */
typedef struct csm_u128 { uint64_t hi, lo; } csm_u128;
csm_u128 csm_mul_u64(uint64_t a, uint64_t b);
/* n / d and n % d; requires n.hi < d so the quotient fits 64 bits. */
uint64_t csm_divmod_u128(csm_u128 n, uint64_t d, uint64_t *rem);
#endif
