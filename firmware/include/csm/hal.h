/* Hardware abstraction: everything board-specific the portable core needs, as small vtables so the
 * same core runs on the Cortex-M board, in QEMU and in host tests. */
#ifndef CSM_HAL_H
#define CSM_HAL_H
#include <stddef.h>
#include <stdint.h>

#define CSM_HELLO_FLAG_TIME_SYNCED 1u
#define CSM_HELLO_FLAG_BOUND 2u
#define CSM_HELLO_FLAG_SIMULATED 4u
#define CSM_HELLO_FLAG_INA228 8u

/* Voltage/current sensor. Codes are signed raw ADC codes; lsb = 1 / codes_per_unit (factory). */
typedef struct csm_sensor {
    void *ctx;
    uint32_t v_codes_per_volt;
    uint32_t i_codes_per_amp;
    int32_t full_scale; /* |code| >= full_scale counts as clipped */
    uint8_t hello_flags;
    /* Measurement belonging to sample time t_ns (since boot). 0, or a sensor error code (> 0). */
    int (*sample)(void *ctx, uint64_t t_ns, int32_t *v_code, int32_t *i_code);
    /* Optional: the sensor's own energy accumulator in mWh since it was configured (INA228). */
    int (*energy_mwh)(void *ctx, uint64_t *mwh);
    /* Optional: lets the sensor choose conversion time and averaging for a sample rate. */
    int (*set_rate)(void *ctx, uint32_t rate_hz);
} csm_sensor;

/* NOR-like flash: erase sets a sector to 0xFF, program only clears bits, in 4-byte words. */
typedef struct csm_flash {
    void *ctx;
    uint32_t sector_size;
    uint32_t sectors;
    int (*read)(void *ctx, uint32_t offset, uint8_t *buf, uint32_t len);
    int (*program)(void *ctx, uint32_t offset, const uint8_t *buf, uint32_t len);
    int (*erase)(void *ctx, uint32_t sector);
} csm_flash;

/* Byte link to the host (UART, USB CDC). Both calls never block. */
typedef struct csm_transport {
    void *ctx;
    size_t (*write)(void *ctx, const uint8_t *buf, size_t len); /* returns bytes accepted */
    size_t (*read)(void *ctx, uint8_t *buf, size_t cap);        /* returns bytes received */
} csm_transport;

/* Monotonic time since boot. */
typedef struct csm_clock {
    void *ctx;
    uint64_t (*now_ns)(void *ctx);
} csm_clock;

/* The device key. One interface so a secure element can replace the software key. */
typedef struct csm_signer {
    void *ctx;
    int (*address)(void *ctx, uint8_t out[20]);
    /* 65-byte r || s || v over a 32-byte digest, v in {0,1}, low-s. 0 on success. */
    int (*sign)(void *ctx, const uint8_t digest[32], uint8_t sig[65]);
} csm_signer;

typedef struct csm_hal {
    const csm_sensor *sensor;
    const csm_flash *flash;
    const csm_transport *link;
    const csm_clock *clock;
    const csm_signer *signer;
} csm_hal;
#endif
