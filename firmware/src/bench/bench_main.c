/* Instruction counts of the hot paths on the Cortex-M3, run under QEMU with -icount shift=0 so one
 * virtual nanosecond is one executed instruction (`make -C firmware bench`). Results go to QEMU's
 * stdout through semihosting; the device core runs on a simulated clock with a link that takes
 * everything, so what is measured is CPU only. */
#include <string.h>

#include "lm3s6965/board.h"
#include "csm/device.h"
#include "csm/keccak.h"
#include "csm/messages.h"
#include "csm/signer_secp256k1.h"
#include "csm/sim_sensor.h"
#include "dev_identity.h"

#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18

static void print(const char *s) { semihost_call(SYS_WRITE0, (void *)s); }
static void print_u(uint64_t v) {
    char buf[24];
    int k = 23;
    buf[k] = 0;
    do {
        buf[--k] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    print(buf + k);
}
static void line(const char *what, uint64_t v, const char *unit) {
    print(what);
    print(": ");
    print_u(v);
    print(unit);
    print("\n");
}

static uint64_t sim_now;
static uint64_t sim_clock(void *ctx) {
    (void)ctx;
    return sim_now;
}
static size_t take_all(void *ctx, const uint8_t *b, size_t n) {
    (void)ctx;
    (void)b;
    return n;
}
static size_t nothing(void *ctx, uint8_t *b, size_t n) {
    (void)ctx;
    (void)b;
    (void)n;
    return 0;
}

static csm_device device;
static uint8_t tx[32 * 1024];
static uint8_t block_storage[CSM_BLOCK_BYTES(1000)];

int main(void) {
    board_clock_init();
    static csm_soft_key key;
    static csm_signer signer;
    uint64_t t = board_now_ns();
    csm_soft_key_init(&key, CSM_DEV_DEVICE_SECRET);
    line("key setup (public key + address)", board_now_ns() - t, " instructions");
    csm_soft_key_signer(&key, &signer);

    uint8_t msg[CSM_CKPT_MSG_SIZE], digest[32], sig[65];
    memset(msg, 0x11, sizeof msg);
    t = board_now_ns();
    for (int k = 0; k < 4; k++) {
        msg[70] = (uint8_t)k;
        csm_keccak256(msg, sizeof msg, digest);
        signer.sign(signer.ctx, digest, sig);
    }
    line("checkpoint signature (keccak + ECDSA, RFC 6979)", (board_now_ns() - t) / 4, " instructions");

    memset(tx, 0x5A, CSM_BLOCK_BYTES(2000));
    t = board_now_ns();
    csm_keccak256(tx, CSM_BLOCK_BYTES(2000), digest);
    line("keccak256 of a 2000-sample block (16024 B)", board_now_ns() - t, " instructions");

    static const uint32_t rates[] = {1000, 10000, 50000};
    for (unsigned r = 0; r < 3; r++) {
        static csm_sim_sensor sim;
        static csm_sensor sensor;
        static csm_clock clock = {0, sim_clock};
        static csm_transport link = {0, take_all, nothing};
        static csm_flash flash;
        board_flash_init(&flash);
        csm_sim_sensor_init(&sim, 50, 12 * 3600, 1);
        csm_sim_sensor_hal(&sim, &sensor);
        csm_device_config cfg = {.fw_version = {1, 0, 0}, .sample_rate_hz = rates[r], .block_ms = 100,
                                 .max_lag_ms = 1000, .attestation = CSM_DEV_ATTESTATION, .tx_storage = tx,
                                 .tx_capacity = sizeof tx,
                                 .block_storage = block_storage, .block_samples_max = 1000};
        csm_hal hal = {&sensor, &flash, &link, &clock, &signer};
        sim_now = 0;
        csm_device_boot(&device, &cfg, &hal, 0);
        t = board_now_ns();
        for (int ms = 0; ms < 1000; ms++) {
            sim_now += 1000000u;
            csm_device_poll(&device);
        }
        uint64_t per_s = board_now_ns() - t;
        print("one second of data at ");
        print_u(rates[r]);
        line(" Hz (sample, block, energy, chain, framing)", per_s, " instructions");
        line("  per sample", per_s / rates[r], " instructions");
    }
    /* AArch32 SYS_EXIT takes the reason in r1 itself: ADP_Stopped_ApplicationExit */
    semihost_call(SYS_EXIT, (void *)0x20026);
    for (;;) {
    }
}
