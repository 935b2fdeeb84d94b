/* Host test doubles for the hardware only (clock, link, flash, I2C INA228) plus a frame collector. */
#ifndef CSM_TEST_FAKES_H
#define CSM_TEST_FAKES_H
#include <stddef.h>
#include <stdint.h>

#include "csm/frame.h"
#include "csm/hal.h"
#include "csm/ina228.h"

/* ---- clock: time moves only when the test says so */
typedef struct fake_clock {
    uint64_t now_ns;
} fake_clock;
void fake_clock_hal(fake_clock *c, csm_clock *out);

/* ---- link: captures everything the device sends; `accept` bytes per write call (SIZE_MAX: all) */
typedef struct fake_link {
    uint8_t *out;
    size_t out_len, out_cap;
    size_t accept_per_call;
    uint8_t in[512];
    size_t in_len, in_pos;
} fake_link;
void fake_link_init(fake_link *l, size_t cap);
void fake_link_free(fake_link *l);
void fake_link_hal(fake_link *l, csm_transport *out);
/* Queues a host command frame for the device to read on its next poll. */
void fake_link_command(fake_link *l, uint8_t type, uint32_t seq, const uint8_t *payload, size_t len);

/* ---- NOR flash in RAM with a power-cut budget: after `budget` programmed/erased bytes the write in
 * progress stops half-way (the cut byte keeps only some of its cleared bits) and every later write
 * fails, until fake_flash_power_on. */
typedef struct fake_flash {
    uint8_t *mem;
    uint32_t sector_size, sectors;
    long budget; /* < 0: unlimited */
    int dead;
    uint32_t erase_count[64];
    uint64_t bytes_programmed;
} fake_flash;
void fake_flash_init(fake_flash *f, uint32_t sector_size, uint32_t sectors);
void fake_flash_free(fake_flash *f);
void fake_flash_hal(fake_flash *f, csm_flash *out);
void fake_flash_power_on(fake_flash *f);

/* ---- I2C bus with one INA228 register file */
typedef struct fake_ina228 {
    uint8_t regs[0x40][5];
    uint16_t manufacturer_id, device_id;
    int nak;            /* 1: the device does not answer */
    uint8_t last_reg;
    unsigned writes, reads;
    uint16_t written[0x40];
} fake_ina228;
void fake_ina228_init(fake_ina228 *f);
void fake_ina228_bus(fake_ina228 *f, csm_i2c *out);
void fake_ina228_set24(fake_ina228 *f, uint8_t reg, int32_t code20);
void fake_ina228_set40(fake_ina228 *f, uint8_t reg, uint64_t raw);

/* ---- decoded device output */
typedef struct frame_rec {
    uint8_t type;
    uint32_t seq;
    uint8_t *payload;
    size_t len;
} frame_rec;
typedef struct frame_log {
    frame_rec *frames;
    size_t count, cap;
    csm_rx_stats stats;
} frame_log;
/* Decodes every complete frame in bytes[0..len) with the production decoder. */
void frame_log_decode(frame_log *log, const uint8_t *bytes, size_t len);
void frame_log_free(frame_log *log);
#endif
