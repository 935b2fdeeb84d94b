/* INA228 driver against a fake I2C register file: configuration words, conversions, faults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "csm/ina228.h"
#include "fakes.h"

static void conversion_time_and_averaging_fit_the_sample_period(void **state) {
    (void)state;
    for (uint32_t rate = 1; rate <= 50000; rate = rate * 3 + 1) {
        uint16_t cfg = csm_ina228_adc_config_for_rate(rate);
        assert_int_equal(cfg >> 12, CSM_INA228_MODE_CONT_SHUNT_BUS);
        unsigned ct = (cfg >> 9) & 7, avg = cfg & 7;
        assert_int_equal((cfg >> 6) & 7, ct); /* shunt and bus alike */
        uint32_t cycle = 2 * csm_ina228_conversion_us(ct) * csm_ina228_averages(avg);
        if (rate <= 10000) assert_true(cycle <= 1000000u / rate);
    }
    /* 1 kHz: 1000 us budget -> 2 x 84 us x 4 averages = 672 us is the longest that fits */
    uint16_t cfg = csm_ina228_adc_config_for_rate(1000);
    assert_int_equal(2 * csm_ina228_conversion_us((cfg >> 9) & 7) * csm_ina228_averages(cfg & 7), 672);
    /* 1 Hz: 2 x 280 us x 1024 averages = 573 ms, the longest product under 1 s */
    cfg = csm_ina228_adc_config_for_rate(1);
    assert_int_equal(2 * csm_ina228_conversion_us((cfg >> 9) & 7) * csm_ina228_averages(cfg & 7), 573440);
    /* 50 kHz cannot complete a conversion per sample: fastest setting, and the datasheet table holds */
    assert_int_equal(csm_ina228_adc_config_for_rate(50000) & 0x0FFF, 0);
    assert_int_equal(csm_ina228_conversion_us(7), 4120);
    assert_int_equal(csm_ina228_averages(7), 1024);
}

static void shunt_calibration_follows_the_datasheet_formula(void **state) {
    (void)state;
    /* 13107.2e6 x 10 uA x 10 mOhm = 1310.72 -> 1311; x4 in the 40.96 mV range */
    assert_int_equal(csm_ina228_shunt_cal(100000, 10000, 0), 1311);
    assert_int_equal(csm_ina228_shunt_cal(100000, 10000, 1), 5244);
    assert_int_equal(csm_ina228_shunt_cal(1000, 1000000, 0), 0x7FFF); /* clamps to 15 bits */
}

static void twenty_bit_results_are_sign_extended(void **state) {
    (void)state;
    const uint8_t max[3] = {0x7F, 0xFF, 0xF0}, min[3] = {0x80, 0x00, 0x00}, neg1[3] = {0xFF, 0xFF, 0xF0},
                  one[3] = {0x00, 0x00, 0x10}, low_bits[3] = {0x00, 0x00, 0x1F};
    assert_int_equal(csm_ina228_code20(max), 524287);
    assert_int_equal(csm_ina228_code20(min), -524288);
    assert_int_equal(csm_ina228_code20(neg1), -1);
    assert_int_equal(csm_ina228_code20(one), 1);
    assert_int_equal(csm_ina228_code20(low_bits), 1); /* bits 3..0 are reserved */
}

static void energy_register_converts_to_whole_mwh(void **state) {
    (void)state;
    /* LSB = 16 x 3.2 x 10 uA = 0.512 mJ; 7031.25 LSB = 1 mWh */
    assert_int_equal(csm_ina228_energy_mwh(7031, 100000), 0);
    assert_int_equal(csm_ina228_energy_mwh(7032, 100000), 1);
    assert_true(csm_ina228_energy_mwh(0xFFFFFFFFFFull, 100000) == 156374987ull); /* 40-bit full scale */
}

static void init_checks_ids_then_programs_the_device(void **state) {
    (void)state;
    fake_ina228 chip;
    csm_i2c bus;
    fake_ina228_init(&chip);
    fake_ina228_bus(&chip, &bus);
    fake_ina228_set40(&chip, CSM_INA228_REG_ENERGY, 12345);
    csm_ina228 s;
    assert_int_equal(csm_ina228_init(&s, &bus, CSM_INA228_ADDR, 10000, 0, 1000), 0);
    assert_int_equal(chip.written[CSM_INA228_REG_SHUNT_CAL], 1311);
    assert_int_equal(chip.written[CSM_INA228_REG_ADC_CONFIG], csm_ina228_adc_config_for_rate(1000));
    assert_int_equal(chip.written[CSM_INA228_REG_CONFIG], CSM_INA228_CONFIG_RSTACC);
    uint64_t raw = 1;
    assert_int_equal(csm_ina228_read_energy_raw(&s, &raw), 0);
    assert_true(raw == 0); /* RSTACC cleared the accumulator */

    fake_ina228_init(&chip);
    chip.device_id = 0x2271; /* an INA226-class die */
    assert_int_equal(csm_ina228_init(&s, &bus, CSM_INA228_ADDR, 10000, 0, 1000), CSM_INA228_ERR_ID);
    fake_ina228_init(&chip);
    chip.nak = 1;
    assert_int_equal(csm_ina228_init(&s, &bus, CSM_INA228_ADDR, 10000, 0, 1000), CSM_INA228_ERR_BUS);
}

static void samples_and_rate_changes_go_through_the_sensor_hal(void **state) {
    (void)state;
    fake_ina228 chip;
    csm_i2c bus;
    fake_ina228_init(&chip);
    fake_ina228_bus(&chip, &bus);
    csm_ina228 s;
    csm_sensor hal;
    assert_int_equal(csm_ina228_init(&s, &bus, CSM_INA228_ADDR, 10000, 0, 1000), 0);
    csm_ina228_hal(&s, &hal);
    assert_int_equal(hal.hello_flags, CSM_HELLO_FLAG_INA228);
    fake_ina228_set24(&chip, CSM_INA228_REG_VBUS, 92160);    /* 18.0 V */
    fake_ina228_set24(&chip, CSM_INA228_REG_CURRENT, -2500); /* -25 mA: reverse current kept */
    int32_t v, i;
    assert_int_equal(hal.sample(hal.ctx, 0, &v, &i), 0);
    assert_int_equal(v, 92160);
    assert_int_equal(i, -2500);
    fake_ina228_set40(&chip, CSM_INA228_REG_ENERGY, 7032u * 10u);
    uint64_t mwh;
    assert_int_equal(hal.energy_mwh(hal.ctx, &mwh), 0);
    assert_true(mwh == 10);
    assert_int_equal(hal.set_rate(hal.ctx, 10), 0);
    assert_int_equal(chip.written[CSM_INA228_REG_ADC_CONFIG], csm_ina228_adc_config_for_rate(10));
    chip.nak = 1;
    assert_int_equal(hal.sample(hal.ctx, 0, &v, &i), CSM_INA228_ERR_BUS);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conversion_time_and_averaging_fit_the_sample_period),
        cmocka_unit_test(shunt_calibration_follows_the_datasheet_formula),
        cmocka_unit_test(twenty_bit_results_are_sign_extended),
        cmocka_unit_test(energy_register_converts_to_whole_mwh),
        cmocka_unit_test(init_checks_ids_then_programs_the_device),
        cmocka_unit_test(samples_and_rate_changes_go_through_the_sensor_hal),
    };
    return cmocka_run_group_tests_name("ina228", tests, NULL, NULL);
}
