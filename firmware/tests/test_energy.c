/* Integer energy accumulation (PROTOCOL.md 5) at the extremes, checked against __int128 arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "csm/energy.h"

typedef unsigned __int128 u128;

static void mul_and_divide_agree_with_native_128_bit_arithmetic(void **state) {
    (void)state;
    const uint64_t xs[] = {0, 1, 0xFFFFFFFFull, 0x100000000ull, 0xFFFFFFFFFFFFFFFFull, 0x123456789ABCDEFull,
                           1843200000000000000ull};
    for (size_t a = 0; a < sizeof xs / sizeof xs[0]; a++) {
        for (size_t b = 0; b < sizeof xs / sizeof xs[0]; b++) {
            csm_u128 p = csm_mul_u64(xs[a], xs[b]);
            u128 ref = (u128)xs[a] * xs[b];
            assert_true(p.hi == (uint64_t)(ref >> 64) && p.lo == (uint64_t)ref);
            if (xs[b] == 0 || p.hi >= xs[b]) continue;
            uint64_t rem, q = csm_divmod_u128(p, xs[b], &rem);
            assert_true(q == (uint64_t)(ref / xs[b]) && rem == (uint64_t)(ref % xs[b]));
        }
    }
}

static void factory_scales_give_an_exact_code_nanoseconds_per_mwh(void **state) {
    (void)state;
    csm_energy e;
    assert_int_equal(csm_energy_init(&e, 5120, 100000, 0, 0), 0);
    assert_true(e.q == 1843200000000000000ull); /* 3.6 J / (1/5120 V * 1e-5 A) in code-ns */
    assert_int_equal(csm_energy_init(&e, 0xFFFFFFFFu, 0xFFFFFFFFu, 0, 0), -1); /* q would overflow */
}

static void positive_products_only_count_generation(void **state) {
    (void)state;
    assert_true(csm_positive_product(524287, 524287) == 274876858369ull);
    assert_true(csm_positive_product(524287, -524288) == 0);
    assert_true(csm_positive_product(-524288, -524288) == 274877906944ull); /* both negative: positive power */
    assert_true(csm_positive_product(INT32_MIN, INT32_MIN) == 4611686018427387904ull);
    assert_true(csm_positive_product(0, 12345) == 0);
}

static void full_scale_blocks_at_one_hertz_for_a_year_match_the_exact_floor(void **state) {
    (void)state;
    csm_energy e;
    csm_energy_init(&e, 5120, 100000, 0, 0);
    const uint64_t s = 2000ull * 274876858369ull; /* 2000 full-scale samples */
    const uint32_t period = 1000000000u;          /* 1 Hz: 2000 s per block */
    u128 total = 0;
    for (int k = 0; k < 15768; k++) { /* one year of blocks */
        csm_energy_add(&e, s, period);
        total += (u128)s * period;
    }
    assert_true(e.mwh == (uint64_t)(total / e.q));
    assert_true(e.rem == (uint64_t)(total % e.q));
}

static void many_tiny_blocks_never_drift_from_one_big_sum(void **state) {
    (void)state;
    csm_energy a, b;
    csm_energy_init(&a, 5120, 100000, 0, 0);
    csm_energy_init(&b, 5120, 100000, 0, 0);
    u128 total = 0;
    uint64_t x = 88172645463325252ull;
    for (int k = 0; k < 200000; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t sum = x % 300000000000ull; /* one sample around 1 kW-scale code products */
        uint32_t period = 20000u + (uint32_t)(x >> 40) % 1000000u;
        csm_energy_add(&a, sum, period);
        total += (u128)sum * period;
    }
    csm_energy_add(&b, 0, 1);
    assert_true(a.mwh == (uint64_t)(total / a.q));
    assert_true(a.rem < a.q);
}

static void a_restored_accumulator_continues_exactly(void **state) {
    (void)state;
    csm_energy e, r;
    csm_energy_init(&e, 5120, 100000, 0, 0);
    csm_energy_add(&e, 123456789012345ull, 1000000u);
    csm_energy_init(&r, 5120, 100000, e.mwh, e.rem); /* what the store persists */
    csm_energy_add(&e, 987654321098ull, 20000u);
    csm_energy_add(&r, 987654321098ull, 20000u);
    assert_true(e.mwh == r.mwh && e.rem == r.rem);
    csm_energy_init(&r, 5120, 100000, 5, e.q + 1); /* a corrupt remainder is not trusted */
    assert_true(r.rem == 0 && r.mwh == 5);
}

static void largest_block_at_the_longest_period_fits(void **state) {
    (void)state;
    csm_energy e;
    csm_energy_init(&e, 5120, 100000, UINT64_MAX - 10000000000ull, 0);
    uint64_t s = 2000ull * 4611686018427387904ull / 2000ull; /* 2^62 (32-bit codes at the limit) */
    csm_energy_add(&e, s, 1000000000u);
    u128 expect = ((u128)s * 1000000000u) / e.q;
    assert_true(e.mwh == UINT64_MAX - 10000000000ull + (uint64_t)expect);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mul_and_divide_agree_with_native_128_bit_arithmetic),
        cmocka_unit_test(factory_scales_give_an_exact_code_nanoseconds_per_mwh),
        cmocka_unit_test(positive_products_only_count_generation),
        cmocka_unit_test(full_scale_blocks_at_one_hertz_for_a_year_match_the_exact_floor),
        cmocka_unit_test(many_tiny_blocks_never_drift_from_one_big_sum),
        cmocka_unit_test(a_restored_accumulator_continues_exactly),
        cmocka_unit_test(largest_block_at_the_longest_period_fits),
    };
    return cmocka_run_group_tests_name("energy", tests, NULL, NULL);
}
