#include "csm/ina228.h"

static const uint16_t conversion_us[8] = {50, 84, 150, 280, 540, 1052, 2074, 4120};
static const uint16_t averages[8] = {1, 4, 16, 64, 128, 256, 512, 1024};

uint32_t csm_ina228_conversion_us(unsigned ct_code) { return ct_code < 8 ? conversion_us[ct_code] : 0; }
uint32_t csm_ina228_averages(unsigned avg_code) { return avg_code < 8 ? averages[avg_code] : 0; }

uint16_t csm_ina228_adc_config_for_rate(uint32_t rate_hz) {
    uint32_t period_us = rate_hz ? 1000000u / rate_hz : 1000000u;
    unsigned best_ct = 0, best_avg = 0;
    uint32_t best = 0;
    for (unsigned avg = 0; avg < 8; avg++) {
        for (unsigned ct = 0; ct < 8; ct++) {
            /* shunt and bus convert one after the other, each averaged */
            uint32_t cycle = 2u * conversion_us[ct] * averages[avg];
            if (cycle <= period_us && cycle > best) {
                best = cycle;
                best_ct = ct;
                best_avg = avg;
            }
        }
    }
    return (uint16_t)((CSM_INA228_MODE_CONT_SHUNT_BUS << 12) | (best_ct << 9) | (best_ct << 6) | (best_ct << 3) |
                      best_avg);
}

uint16_t csm_ina228_shunt_cal(uint32_t current_codes_per_amp, uint32_t shunt_micro_ohm, int adc_range_40mv) {
    /* 13107.2e6 * CURRENT_LSB * R = 13107.2e6 * (1 / cpa) * R_uohm * 1e-6 = 131072 * R_uohm / (10 * cpa) */
    uint64_t den = 10u * (uint64_t)current_codes_per_amp;
    uint64_t cal = ((uint64_t)131072u * shunt_micro_ohm + den / 2u) / den;
    if (adc_range_40mv) cal *= 4u;
    return cal > 0x7FFFu ? 0x7FFFu : (uint16_t)cal; /* the register has 15 bits */
}

int32_t csm_ina228_code20(const uint8_t reg[3]) {
    uint32_t raw = ((uint32_t)reg[0] << 16 | (uint32_t)reg[1] << 8 | reg[2]) >> 4;
    return (raw & 0x80000u) ? (int32_t)raw - 0x100000 : (int32_t)raw;
}

uint64_t csm_ina228_energy_mwh(uint64_t raw, uint32_t current_codes_per_amp) {
    /* J = raw * 51.2 / cpa ; mWh = J / 3.6 = raw * 512 / (36 * cpa). raw < 2^40 so raw * 512 < 2^49. */
    return raw * 512u / (36u * (uint64_t)current_codes_per_amp);
}

static int write16(csm_ina228 *s, uint8_t reg, uint16_t v) {
    uint8_t b[3] = {reg, (uint8_t)(v >> 8), (uint8_t)v};
    return s->bus->write(s->bus->ctx, s->addr, b, sizeof b) ? CSM_INA228_ERR_BUS : 0;
}

static int read_reg(csm_ina228 *s, uint8_t reg, uint8_t *out, size_t n) {
    return s->bus->write_read(s->bus->ctx, s->addr, &reg, 1, out, n) ? CSM_INA228_ERR_BUS : 0;
}

int csm_ina228_init(csm_ina228 *s, const csm_i2c *bus, uint8_t addr, uint32_t shunt_micro_ohm,
                    int adc_range_40mv, uint32_t rate_hz) {
    uint8_t b[2];
    s->bus = bus;
    s->addr = addr;
    s->shunt_micro_ohm = shunt_micro_ohm;
    s->adc_range_40mv = adc_range_40mv;
    if (read_reg(s, CSM_INA228_REG_MANUFACTURER_ID, b, 2)) return CSM_INA228_ERR_BUS;
    if ((b[0] << 8 | b[1]) != CSM_INA228_MANUFACTURER_TI) return CSM_INA228_ERR_ID;
    if (read_reg(s, CSM_INA228_REG_DEVICE_ID, b, 2)) return CSM_INA228_ERR_BUS;
    if (((b[0] << 8 | b[1]) >> 4) != CSM_INA228_DIE_ID) return CSM_INA228_ERR_ID;
    int err = write16(s, CSM_INA228_REG_CONFIG, CSM_INA228_CONFIG_RST);
    s->shunt_cal = csm_ina228_shunt_cal(CSM_INA228_CURRENT_CODES_PER_AMP, shunt_micro_ohm, adc_range_40mv);
    s->adc_config = csm_ina228_adc_config_for_rate(rate_hz);
    uint16_t config = CSM_INA228_CONFIG_RSTACC | (adc_range_40mv ? CSM_INA228_CONFIG_ADCRANGE : 0u);
    if (!err) err = write16(s, CSM_INA228_REG_SHUNT_CAL, s->shunt_cal);
    if (!err) err = write16(s, CSM_INA228_REG_ADC_CONFIG, s->adc_config);
    if (!err) err = write16(s, CSM_INA228_REG_CONFIG, config);
    if (err) return err;
    if (read_reg(s, CSM_INA228_REG_SHUNT_CAL, b, 2)) return CSM_INA228_ERR_BUS;
    return (b[0] << 8 | b[1]) == s->shunt_cal ? 0 : CSM_INA228_ERR_CONFIG;
}

int csm_ina228_read(csm_ina228 *s, int32_t *vbus_code, int32_t *current_code) {
    uint8_t v[3], i[3];
    if (read_reg(s, CSM_INA228_REG_VBUS, v, 3) || read_reg(s, CSM_INA228_REG_CURRENT, i, 3)) return CSM_INA228_ERR_BUS;
    *vbus_code = csm_ina228_code20(v);
    *current_code = csm_ina228_code20(i);
    return 0;
}

int csm_ina228_read_energy_raw(csm_ina228 *s, uint64_t *raw) {
    uint8_t e[5];
    if (read_reg(s, CSM_INA228_REG_ENERGY, e, 5)) return CSM_INA228_ERR_BUS;
    *raw = 0;
    for (int k = 0; k < 5; k++) *raw = (*raw << 8) | e[k];
    return 0;
}

static int hal_sample(void *ctx, uint64_t t_ns, int32_t *v, int32_t *i) {
    (void)t_ns; /* the INA228 converts continuously; the latest result belongs to this sample slot */
    return csm_ina228_read(ctx, v, i);
}

static int hal_energy(void *ctx, uint64_t *mwh) {
    uint64_t raw;
    int err = csm_ina228_read_energy_raw(ctx, &raw);
    if (!err) *mwh = csm_ina228_energy_mwh(raw, CSM_INA228_CURRENT_CODES_PER_AMP);
    return err;
}

static int hal_set_rate(void *ctx, uint32_t rate_hz) {
    csm_ina228 *s = ctx;
    s->adc_config = csm_ina228_adc_config_for_rate(rate_hz);
    return write16(s, CSM_INA228_REG_ADC_CONFIG, s->adc_config);
}

void csm_ina228_hal(csm_ina228 *s, csm_sensor *out) {
    out->ctx = s;
    out->v_codes_per_volt = CSM_INA228_VBUS_CODES_PER_VOLT;
    out->i_codes_per_amp = CSM_INA228_CURRENT_CODES_PER_AMP;
    out->full_scale = CSM_INA228_FULL_SCALE;
    out->hello_flags = CSM_HELLO_FLAG_INA228;
    out->sample = hal_sample;
    out->energy_mwh = hal_energy;
    out->set_rate = hal_set_rate;
}
