/* TI INA228 (85 V, 20-bit power/energy monitor) over I2C. Register map and conversions follow the
 * TI datasheet (SBOS938): 20-bit VBUS (195.3125 uV/LSB) and CURRENT (CURRENT_LSB set through
 * SHUNT_CAL = 13107.2e6 * CURRENT_LSB * R_SHUNT, x4 in the +-40.96 mV range), 40-bit ENERGY
 * (16 * 3.2 * CURRENT_LSB J/LSB) that only accumulates in continuous mode. */
#ifndef CSM_INA228_H
#define CSM_INA228_H
#include <stddef.h>
#include <stdint.h>

#include "csm/hal.h"

#define CSM_INA228_ADDR 0x40u /* A1 = A0 = GND */
#define CSM_INA228_REG_CONFIG 0x00u
#define CSM_INA228_REG_ADC_CONFIG 0x01u
#define CSM_INA228_REG_SHUNT_CAL 0x02u
#define CSM_INA228_REG_VSHUNT 0x04u
#define CSM_INA228_REG_VBUS 0x05u
#define CSM_INA228_REG_DIETEMP 0x06u
#define CSM_INA228_REG_CURRENT 0x07u
#define CSM_INA228_REG_POWER 0x08u
#define CSM_INA228_REG_ENERGY 0x09u
#define CSM_INA228_REG_CHARGE 0x0Au
#define CSM_INA228_REG_DIAG_ALRT 0x0Bu
#define CSM_INA228_REG_MANUFACTURER_ID 0x3Eu
#define CSM_INA228_REG_DEVICE_ID 0x3Fu
#define CSM_INA228_MANUFACTURER_TI 0x5449u
#define CSM_INA228_DIE_ID 0x228u
#define CSM_INA228_CONFIG_RST 0x8000u
#define CSM_INA228_CONFIG_RSTACC 0x4000u
#define CSM_INA228_CONFIG_ADCRANGE 0x0010u
#define CSM_INA228_MODE_CONT_SHUNT_BUS 0xBu

/* Factory scales used by the adapter (and mirrored by the simulated sensor):
 * VBUS 195.3125 uV = 1/5120 V per code; CURRENT_LSB 10 uA (5.24 A full scale). */
#define CSM_INA228_VBUS_CODES_PER_VOLT 5120u
#define CSM_INA228_CURRENT_CODES_PER_AMP 100000u
#define CSM_INA228_FULL_SCALE 524287 /* 2^19 - 1 */

enum csm_ina228_error { CSM_INA228_ERR_BUS = 1, CSM_INA228_ERR_ID = 2, CSM_INA228_ERR_CONFIG = 3 };

typedef struct csm_i2c {
    void *ctx;
    /* 0 on ACK of every byte. */
    int (*write)(void *ctx, uint8_t addr7, const uint8_t *buf, size_t len);
    int (*write_read)(void *ctx, uint8_t addr7, const uint8_t *w, size_t wlen, uint8_t *r, size_t rlen);
} csm_i2c;

typedef struct csm_ina228 {
    const csm_i2c *bus;
    uint8_t addr;
    uint32_t shunt_micro_ohm;
    int adc_range_40mv; /* 1: +-40.96 mV (4x finer shunt LSB), 0: +-163.84 mV */
    uint16_t shunt_cal;
    uint16_t adc_config;
} csm_ina228;

/* Conversion time (us) for a CT field code 0..7, and averages for an AVG code 0..7. */
uint32_t csm_ina228_conversion_us(unsigned ct_code);
uint32_t csm_ina228_averages(unsigned avg_code);
/* ADC_CONFIG for continuous shunt+bus with the longest conversion x averaging that still completes
 * a result within one sample period (more averaging = less noise at low rates). */
uint16_t csm_ina228_adc_config_for_rate(uint32_t rate_hz);
uint16_t csm_ina228_shunt_cal(uint32_t current_codes_per_amp, uint32_t shunt_micro_ohm, int adc_range_40mv);
/* Sign-extends the 20-bit result in bits 23..4 of a 24-bit register. */
int32_t csm_ina228_code20(const uint8_t reg[3]);
/* mWh from a raw 40-bit ENERGY value at the given current scale (rounded down). */
uint64_t csm_ina228_energy_mwh(uint64_t raw, uint32_t current_codes_per_amp);

/* Checks the IDs, resets, programs SHUNT_CAL and ADC_CONFIG for rate_hz, clears the accumulators. */
int csm_ina228_init(csm_ina228 *s, const csm_i2c *bus, uint8_t addr, uint32_t shunt_micro_ohm,
                    int adc_range_40mv, uint32_t rate_hz);
int csm_ina228_read(csm_ina228 *s, int32_t *vbus_code, int32_t *current_code);
int csm_ina228_read_energy_raw(csm_ina228 *s, uint64_t *raw);
void csm_ina228_hal(csm_ina228 *s, csm_sensor *out);
#endif
