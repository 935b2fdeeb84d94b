/* Simulated sensor for emulation and host tests: a solar panel under a clear-sky day with slow
 * clouds, feeding a phone/power-bank charger (constant current, then a tapering constant-voltage
 * phase). Output codes use the same scales as the INA228 configuration below, so the desktop cannot
 * tell the difference from the link. Deterministic for a given seed and sample time. */
#ifndef CSM_SIM_SENSOR_H
#define CSM_SIM_SENSOR_H
#include <stdint.h>

#include "csm/hal.h"

typedef struct csm_sim_sensor {
    uint32_t rated_power_w;
    uint32_t start_time_of_day_s; /* local solar time at boot */
    uint32_t seed;
    /* operating point, refreshed every 100 ms of sample time (soft-float is slow on Cortex-M3) */
    uint64_t segment;
    int32_t v_code, i_code;
    uint32_t noise;
    double charge_wh; /* energy delivered to the load so far, drives the CC/CV taper */
} csm_sim_sensor;

void csm_sim_sensor_init(csm_sim_sensor *s, uint32_t rated_power_w, uint32_t start_time_of_day_s, uint32_t seed);
void csm_sim_sensor_hal(csm_sim_sensor *s, csm_sensor *out);
/* Panel power available at a time of day (watts), before the load's limit: exposed for tests. */
double csm_sim_panel_power(const csm_sim_sensor *s, double time_of_day_s);
#endif
