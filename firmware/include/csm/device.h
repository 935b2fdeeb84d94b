/* The adapter application: sampling schedule, block assembly, energy, hash chain, checkpoints, host
 * commands and the transmit path. Portable: every hardware access goes through csm_hal. The board
 * calls csm_device_boot once and csm_device_poll from its main loop; nothing here blocks. */
#ifndef CSM_DEVICE_H
#define CSM_DEVICE_H
#include <stdbool.h>
#include <stdint.h>

#include "csm/energy.h"
#include "csm/frame.h"
#include "csm/hal.h"
#include "csm/messages.h"
#include "csm/store.h"
#include "csm/txbuf.h"

#define CSM_MAX_RATE_HZ 50000u
#define CSM_CONTROL_RESERVE 512u /* TX space sample blocks may not use: events, acks, checkpoints */
#define CSM_BLOCK_BYTES(samples) (CSM_BLOCK_HEADER + 8u * (samples))

typedef struct csm_device_config {
    uint8_t fw_version[3];
    uint16_t hw_version;
    uint16_t hw_class;
    uint32_t rated_power_w;
    uint32_t sample_rate_hz;        /* at boot */
    uint32_t checkpoint_interval_s; /* 0: only on request */
    uint32_t hello_interval_s;      /* 10 per PROTOCOL.md 3.1 */
    uint32_t block_ms;              /* target block duration (samples per block = rate * ms / 1000) */
    uint32_t max_lag_ms;            /* a sampler further behind than this skips ahead (counted gap) */
    uint32_t energy_check_s;        /* INA228 accumulator cross-check period; 0 off */
    const char *calibration_id;
    const uint8_t *attestation;     /* 112 bytes: attestation message + manufacturer signature */
    uint8_t *tx_storage;
    uint32_t tx_capacity;
    /* Block assembly buffer: CSM_BLOCK_HEADER + 8 * block_samples_max bytes. Blocks smaller than the
     * protocol's 2000 let the TX ring hold several, so one can drain while the next fills. */
    uint8_t *block_storage;
    uint16_t block_samples_max;
} csm_device_config;

typedef struct csm_device {
    csm_device_config cfg;
    csm_hal hal;
    csm_txbuf tx;
    csm_rx rx;
    uint8_t rx_enc[128], rx_raw[128];
    csm_store store;
    csm_state state;
    csm_energy energy;
    uint8_t address[20];
    uint32_t frame_seq;
    uint32_t reset_reason;
    /* sampling schedule */
    uint32_t rate_hz, period_ns;
    uint64_t sample_index;   /* index of the next sample since boot */
    uint64_t base_index;     /* schedule: sample k is due at base_ns + (k - base_index) * period_ns */
    uint64_t base_ns;
    uint64_t samples_skipped;
    /* block being filled */
    uint8_t *block;
    uint16_t block_count, block_target;
    uint16_t block_flags;
    uint64_t block_first, block_sum;
    uint64_t block_t0_ns;
    uint64_t blocks_sent, blocks_dropped;
    uint8_t chain_head[32];
    /* time */
    bool time_synced;
    uint64_t sync_unix_us, sync_at_ns;
    uint64_t next_hello_ns, next_checkpoint_ns, next_energy_check_ns, next_overflow_report_ns;
    uint64_t sensor_energy_base, energy_base_mwh;
    int sensor_fault;
    uint32_t signing_failures, store_failures;
    bool link_blocked;
} csm_device;

/* Loads persistent state (bumping boot_count), prepares the key and queues RESET and HELLO.
 * Returns 0, or -1 when the store or the signer cannot be used (the device then stays silent). */
int csm_device_boot(csm_device *d, const csm_device_config *cfg, const csm_hal *hal, uint32_t reset_reason);
/* One pass of the main loop: take due samples, close blocks, handle commands, timers, transmit. */
void csm_device_poll(csm_device *d);
/* Feeds host bytes (the board may call this from its RX path instead of the link's read). */
void csm_device_receive(csm_device *d, const uint8_t *bytes, size_t len);
/* Closes the partial block, then signs and queues a CHECKPOINT; 0 on success. */
int csm_device_checkpoint(csm_device *d);
uint64_t csm_device_time_us(const csm_device *d, uint64_t t_ns);
/* True when nothing can progress before time moves on: the sampler is caught up and the transmit
 * buffer is empty or the link refused bytes. Boards sleep until their next tick then. */
bool csm_device_idle(const csm_device *d);
#endif
