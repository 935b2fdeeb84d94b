#include "csm/sim_sensor.h"

#include <math.h>

#include "csm/ina228.h"

#define SEGMENT_NS 100000000ull
#define DAY_S 86400.0
#define PI 3.14159265358979323846

void csm_sim_sensor_init(csm_sim_sensor *s, uint32_t rated_power_w, uint32_t start_time_of_day_s, uint32_t seed) {
    s->rated_power_w = rated_power_w;
    s->start_time_of_day_s = start_time_of_day_s;
    s->seed = seed ? seed : 1u;
    s->segment = UINT64_MAX;
    s->noise = s->seed;
    s->charge_wh = 0;
}

static uint32_t hash32(uint32_t x) { /* integer mix for reproducible pseudo-random clouds */
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

static double cloud_factor(uint32_t seed, double t_s) {
    /* value noise over 5-minute cells, smoothly interpolated: passing clouds cut 0..60 % */
    double cell = t_s / 300.0;
    uint32_t c = (uint32_t)cell;
    double f = cell - c, w = f * f * (3 - 2 * f);
    double a = (hash32(c ^ seed) & 0xFFFF) / 65535.0, b = (hash32((c + 1) ^ seed) & 0xFFFF) / 65535.0;
    double shade = a + (b - a) * w;
    return shade > 0.7 ? 1.0 - (shade - 0.7) * 2.0 : 1.0;
}

double csm_sim_panel_power(const csm_sim_sensor *s, double time_of_day_s) {
    double tod = fmod(time_of_day_s, DAY_S);
    if (tod < 6 * 3600.0 || tod > 18 * 3600.0) return 0.0;
    double elevation = sin(PI * (tod - 6 * 3600.0) / (12 * 3600.0));
    if (!(elevation > 1e-9)) return 0.0; /* sin(pi) rounds to about -1e-16 on some libms */
    /* ~ air-mass attenuation: a clear-sky bell that peaks at 85 % of the rating at solar noon */
    return 0.85 * s->rated_power_w * pow(elevation, 1.3) * cloud_factor(s->seed, time_of_day_s);
}

static void refresh(csm_sim_sensor *s, uint64_t segment) {
    double t_s = s->start_time_of_day_s + segment * (SEGMENT_NS / 1e9);
    double p_panel = csm_sim_panel_power(s, t_s);
    /* Charger: 5 V USB sink at up to 3 A (CC) until 20 Wh delivered, then tapering (CV) to 0.3 A. */
    double i_limit = s->charge_wh < 20.0 ? 3.0 : 0.3 + 2.7 * exp(-(s->charge_wh - 20.0) / 5.0);
    /* Panel voltage sags from open-circuit 21.6 V toward 17.5 V as it is loaded */
    double v = p_panel > 0.1 ? 17.5 + 4.1 * (1.0 - p_panel / (0.85 * s->rated_power_w + 1e-9)) * 0.5 : 21.6 * (p_panel > 0.0);
    double i = p_panel > 0.0 && v > 0.0 ? p_panel / v : 0.0;
    double i_load_panel_side = i_limit * 5.0 / (v > 1.0 ? v : 1.0) / 0.9;
    if (i > i_load_panel_side) i = i_load_panel_side;
    s->charge_wh += v * i * 0.9 * (SEGMENT_NS / 1e9) / 3600.0;
    s->v_code = (int32_t)(v * CSM_INA228_VBUS_CODES_PER_VOLT);
    s->i_code = (int32_t)(i * CSM_INA228_CURRENT_CODES_PER_AMP);
    s->segment = segment;
}

static int sim_sample(void *ctx, uint64_t t_ns, int32_t *v, int32_t *i) {
    csm_sim_sensor *s = ctx;
    uint64_t seg = t_ns / SEGMENT_NS;
    if (seg != s->segment) {
        /* catch up segment by segment so the charge state integrates the whole day */
        uint64_t from = s->segment == UINT64_MAX || seg < s->segment ? seg : s->segment + 1;
        if (seg - from > 600u) from = seg - 600u; /* long gaps: the last minute is enough for the taper */
        for (uint64_t k = from; k <= seg; k++) refresh(s, k);
    }
    /* ADC noise: a few LSB (xorshift), zero-mean */
    s->noise ^= s->noise << 13;
    s->noise ^= s->noise >> 17;
    s->noise ^= s->noise << 5;
    int32_t nv = (int32_t)(s->noise & 0x1F) - 16, ni = (int32_t)((s->noise >> 8) & 0x3F) - 32;
    *v = s->v_code > 0 ? s->v_code + nv : 0;
    *i = s->i_code > 0 ? s->i_code + ni : ni / 8;
    return 0;
}

void csm_sim_sensor_hal(csm_sim_sensor *s, csm_sensor *out) {
    out->ctx = s;
    out->v_codes_per_volt = CSM_INA228_VBUS_CODES_PER_VOLT;
    out->i_codes_per_amp = CSM_INA228_CURRENT_CODES_PER_AMP;
    out->full_scale = CSM_INA228_FULL_SCALE;
    out->hello_flags = CSM_HELLO_FLAG_SIMULATED;
    out->sample = sim_sample;
    out->energy_mwh = 0;
    out->set_rate = 0;
}
