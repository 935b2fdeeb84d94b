/* The simulated panel + charger: plausible, bounded and reproducible. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "csm/ina228.h"
#include "csm/sim_sensor.h"

static void the_panel_is_dark_at_night_and_below_its_rating_at_noon(void **state) {
    (void)state;
    csm_sim_sensor s;
    csm_sim_sensor_init(&s, 50, 0, 7);
    assert_true(csm_sim_panel_power(&s, 2 * 3600.0) == 0.0);
    assert_true(csm_sim_panel_power(&s, 20 * 3600.0) == 0.0);
    double peak = 0;
    for (int t = 6 * 3600; t <= 18 * 3600; t += 60) {
        double p = csm_sim_panel_power(&s, t);
        assert_true(p >= 0.0 && p <= 50.0);
        if (p > peak) peak = p;
    }
    assert_true(peak > 25.0);
}

static void samples_are_reproducible_and_in_range(void **state) {
    (void)state;
    csm_sim_sensor a, b;
    csm_sensor ha, hb;
    csm_sim_sensor_init(&a, 50, 11 * 3600, 3);
    csm_sim_sensor_init(&b, 50, 11 * 3600, 3);
    csm_sim_sensor_hal(&a, &ha);
    csm_sim_sensor_hal(&b, &hb);
    assert_int_equal(ha.hello_flags, CSM_HELLO_FLAG_SIMULATED);
    int64_t psum = 0;
    for (uint64_t k = 0; k < 20000; k++) {
        int32_t v1, i1, v2, i2;
        assert_int_equal(ha.sample(ha.ctx, k * 1000000u, &v1, &i1), 0);
        hb.sample(hb.ctx, k * 1000000u, &v2, &i2);
        assert_int_equal(v1, v2);
        assert_int_equal(i1, i2);
        assert_true(v1 > 17 * 5120 && v1 < 22 * 5120); /* a loaded 18 V-class panel in daylight */
        assert_true(i1 >= 0 && i1 < CSM_INA228_FULL_SCALE);
        psum += (int64_t)v1 * i1;
    }
    double watts = (double)psum / 20000 / (5120.0 * 100000.0);
    assert_true(watts > 5.0 && watts <= 50.0);
}

static void a_night_sample_carries_only_noise_around_zero_current(void **state) {
    (void)state;
    csm_sim_sensor s;
    csm_sensor h;
    csm_sim_sensor_init(&s, 50, 23 * 3600, 1);
    csm_sim_sensor_hal(&s, &h);
    int32_t v, i;
    h.sample(h.ctx, 0, &v, &i);
    assert_int_equal(v, 0);
    assert_true(i >= -4 && i <= 4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_panel_is_dark_at_night_and_below_its_rating_at_noon),
        cmocka_unit_test(samples_are_reproducible_and_in_range),
        cmocka_unit_test(a_night_sample_carries_only_noise_around_zero_current),
    };
    return cmocka_run_group_tests_name("sim_sensor", tests, NULL, NULL);
}
