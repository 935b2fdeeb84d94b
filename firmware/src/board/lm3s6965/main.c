/* The emulated adapter: portable core + simulated sensor + development key on the LM3S6965. */
#include "board.h"
#include "csm/device.h"
#include "csm/signer_secp256k1.h"
#include "csm/sim_sensor.h"
#include "dev_identity.h"

#ifndef CSM_LINK_BAUD
#define CSM_LINK_BAUD 115200u
#endif
#ifndef CSM_DEFAULT_RATE_HZ
#define CSM_DEFAULT_RATE_HZ 1000u
#endif
/* The conformance build (csm-fw-conformance.elf) checkpoints every few seconds so a test sees it. */
#ifndef CSM_CHECKPOINT_INTERVAL_S
#define CSM_CHECKPOINT_INTERVAL_S 60u
#endif

static csm_device device;
static uint8_t tx_storage[32 * 1024];
static uint8_t block_storage[CSM_BLOCK_BYTES(1000)];
static csm_soft_key key;

int main(void) {
    static csm_clock clock;
    static csm_transport link;
    static csm_flash flash;
    static csm_signer signer;
    static csm_sensor sensor;
    static csm_sim_sensor sim;
    board_clock_init();
    uint32_t reason = board_reset_reason();
    board_uart_init(CSM_LINK_BAUD);
    board_clock_hal(&clock);
    board_uart_hal(&link);
    board_flash_init(&flash);
    if (csm_soft_key_init(&key, CSM_DEV_DEVICE_SECRET) != 0) return 1;
    csm_soft_key_signer(&key, &signer);
    csm_sim_sensor_init(&sim, CSM_DEV_RATED_POWER_W, 10u * 3600u, 1u);
    csm_sim_sensor_hal(&sim, &sensor);
    const csm_device_config cfg = {
        .fw_version = {1, 0, 0},
        .hw_version = 1,
        .hw_class = CSM_DEV_HW_CLASS,
        .rated_power_w = CSM_DEV_RATED_POWER_W,
        .sample_rate_hz = CSM_DEFAULT_RATE_HZ,
        .checkpoint_interval_s = CSM_CHECKPOINT_INTERVAL_S,
        .hello_interval_s = 10,
        .block_ms = 100,
        .max_lag_ms = 1000,
        .energy_check_s = 0,
        .calibration_id = "",
        .attestation = CSM_DEV_ATTESTATION,
        .tx_storage = tx_storage,
        .tx_capacity = sizeof tx_storage,
        .block_storage = block_storage,
        .block_samples_max = 1000,
    };
    const csm_hal hal = {&sensor, &flash, &link, &clock, &signer};
    if (csm_device_boot(&device, &cfg, &hal, reason) != 0) return 1;
    for (;;) {
        csm_device_poll(&device);
        /* Sleep until the next 1 ms tick unless samples are still being caught up or the link could
         * take more bytes; keeps QEMU from spinning a host core. */
        if (csm_device_idle(&device)) __asm volatile("wfi");
    }
}
