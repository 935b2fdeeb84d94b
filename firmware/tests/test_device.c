/* The whole portable core with the simulated sensor, a fake clock, a capturing link and fake flash:
 * what the host sees is decoded with the production decoder and verified like the desktop does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csm/bytes.h"
#include "csm/device.h"
#include "csm/keccak.h"
#include "csm/signer_secp256k1.h"
#include "csm/sim_sensor.h"
#include "fakes.h"
#include "vectors.h"

typedef struct rig {
    fake_clock clock;
    fake_link link;
    fake_flash flash;
    csm_soft_key key;
    csm_sim_sensor sim;
    csm_clock hclock;
    csm_transport hlink;
    csm_flash hflash;
    csm_signer signer;
    csm_sensor sensor;
    csm_device dev;
    csm_device_config cfg;
    uint8_t tx[24 * 1024];
    uint8_t block[CSM_BLOCK_BYTES(2000)];
    uint8_t attestation[112];
    frame_log log;
} rig;

static rig *rig_new(uint32_t rate) {
    rig *r = calloc(1, sizeof *r);
    fake_link_init(&r->link, 64u << 20);
    fake_flash_init(&r->flash, 1024, 4);
    fake_clock_hal(&r->clock, &r->hclock);
    fake_link_hal(&r->link, &r->hlink);
    fake_flash_hal(&r->flash, &r->hflash);
    assert_int_equal(csm_soft_key_init(&r->key, VEC_DEVICE_SECRET), 0);
    csm_soft_key_signer(&r->key, &r->signer);
    csm_sim_sensor_init(&r->sim, 50, 12 * 3600, 5);
    csm_sim_sensor_hal(&r->sim, &r->sensor);
    memset(r->attestation, 0xA5, sizeof r->attestation);
    r->cfg = (csm_device_config){.fw_version = {1, 0, 0}, .hw_version = 1, .hw_class = 1, .rated_power_w = 50,
                                 .sample_rate_hz = rate, .checkpoint_interval_s = 0, .hello_interval_s = 10,
                                 .block_ms = 100, .max_lag_ms = 1000, .calibration_id = "CAL-X",
                                 .attestation = r->attestation, .tx_storage = r->tx, .tx_capacity = sizeof r->tx,
                                 .block_storage = r->block, .block_samples_max = 2000};
    return r;
}

static void boot(rig *r) {
    csm_hal hal = {&r->sensor, &r->hflash, &r->hlink, &r->hclock, &r->signer};
    assert_int_equal(csm_device_boot(&r->dev, &r->cfg, &hal, 0), 0);
}

static void run_ms(rig *r, unsigned ms) {
    for (unsigned k = 0; k < ms; k++) {
        r->clock.now_ns += 1000000u;
        csm_device_poll(&r->dev);
    }
}

static frame_log *decode(rig *r) {
    frame_log_free(&r->log);
    frame_log_decode(&r->log, r->link.out, r->link.out_len);
    return &r->log;
}

static void rig_free(rig *r) {
    frame_log_free(&r->log);
    fake_link_free(&r->link);
    fake_flash_free(&r->flash);
    free(r);
}

static frame_rec *find(frame_log *log, uint8_t type, size_t from) {
    for (size_t k = from; k < log->count; k++)
        if (log->frames[k].type == type) return &log->frames[k];
    return NULL;
}

static frame_rec *find_event(frame_log *log, uint16_t code) {
    for (size_t k = 0; k < log->count; k++)
        if (log->frames[k].type == CSM_T_EVENT && csm_get_le16(log->frames[k].payload) == code) return &log->frames[k];
    return NULL;
}

static void command(rig *r, uint8_t type, uint32_t seq, const uint8_t *p, size_t n) {
    fake_link_command(&r->link, type, seq, p, n);
    run_ms(r, 1);
}

static void boot_announces_reset_then_hello_with_scales_and_identity(void **state) {
    (void)state;
    rig *r = rig_new(1000);
    boot(r);
    frame_log *log = decode(r);
    assert_int_equal(log->count, 2);
    frame_rec *ev = &log->frames[0], *hello = &log->frames[1];
    assert_int_equal(ev->type, CSM_T_EVENT);
    assert_int_equal(ev->seq, 0);
    assert_int_equal(csm_get_le16(ev->payload), CSM_EV_RESET);
    assert_true(csm_get_le64(ev->payload + 8) == 1); /* boot count */
    assert_int_equal(hello->type, CSM_T_HELLO);
    assert_int_equal(hello->len, CSM_HELLO_SIZE);
    assert_memory_equal(hello->payload, r->key.address, 20);
    assert_int_equal(hello->payload[23], CSM_HELLO_FLAG_SIMULATED);
    assert_int_equal(csm_get_le32(hello->payload + 32), 1000);
    double v_lsb, i_lsb;
    uint64_t bits = csm_get_le64(hello->payload + 36);
    memcpy(&v_lsb, &bits, 8);
    bits = csm_get_le64(hello->payload + 44);
    memcpy(&i_lsb, &bits, 8);
    assert_true(v_lsb == 1.0 / 5120 && i_lsb == 1e-5);
    assert_memory_equal(hello->payload + 52, "CAL-X\0", 6);
    assert_memory_equal(hello->payload + 120, r->attestation, 112);
    rig_free(r);
}

typedef unsigned __int128 u128;

static void blocks_chain_and_checkpoint_verify_exactly(void **state) {
    (void)state;
    rig *r = rig_new(1000);
    boot(r);
    run_ms(r, 3050);
    command(r, CSM_T_REQUEST_CHECKPOINT, 0, NULL, 0);
    frame_log *log = decode(r);
    assert_int_equal(log->stats.crc_errors + log->stats.cobs_errors, 0);
    uint8_t head[32] = {0};
    uint64_t expect_first = 0;
    u128 code_ns = 0;
    frame_rec *ck = NULL;
    for (size_t k = 0; k < log->count; k++) {
        frame_rec *f = &log->frames[k];
        assert_int_equal(f->seq, k);
        if (f->type == CSM_T_SAMPLE_BLOCK) {
            uint16_t n = csm_get_le16(f->payload + 20);
            uint32_t period = csm_get_le32(f->payload + 16);
            assert_true(csm_get_le64(f->payload) == expect_first);
            assert_int_equal(period, 1000000);
            assert_int_equal(f->len, 24u + 8u * n);
            expect_first += n;
            u128 s = 0;
            for (uint16_t i = 0; i < n; i++) {
                int64_t p = (int64_t)(int32_t)csm_get_le32(f->payload + 24 + 4 * i) *
                            (int32_t)csm_get_le32(f->payload + 24 + 4u * n + 4 * i);
                if (p > 0) s += (u128)p;
            }
            code_ns += s * period;
            csm_keccak k2;
            csm_keccak_init(&k2);
            csm_keccak_update(&k2, head, 32);
            csm_keccak_update(&k2, f->payload, f->len);
            csm_keccak_final(&k2, head);
        } else if (f->type == CSM_T_CHECKPOINT) {
            ck = f;
            break;
        }
    }
    assert_non_null(ck);
    assert_true(expect_first == 3050 || expect_first == 3051); /* the partial block was closed first */
    assert_memory_equal(ck->payload, "CSM-CKPT-v1", 11);
    assert_memory_equal(ck->payload + 11, r->key.address, 20);
    assert_int_equal(csm_get_be32(ck->payload + 63), 1);
    assert_true(csm_get_be64(ck->payload + 67) == (uint64_t)(code_ns / 1843200000000000000ull));
    assert_true(csm_get_be64(ck->payload + 67) > 0);
    assert_memory_equal(ck->payload + 83, head, 32);
    uint8_t digest[32], who[20];
    csm_keccak256(ck->payload, CSM_CKPT_MSG_SIZE, digest);
    assert_int_equal(csm_recover_address(digest, ck->payload + CSM_CKPT_MSG_SIZE, who), 0);
    assert_memory_equal(who, r->key.address, 20);
    rig_free(r);
}

static void commands_are_acknowledged_with_the_right_status(void **state) {
    (void)state;
    rig *r = rig_new(1000);
    boot(r);
    run_ms(r, 150);
    uint8_t rate[4];
    csm_put_le32(rate, 5000);
    command(r, CSM_T_SET_RATE, 7, rate, 4);
    csm_put_le32(rate, 50001);
    command(r, CSM_T_SET_RATE, 8, rate, 4);
    command(r, CSM_T_SET_RATE, 9, rate, 3);
    command(r, 0x99, 10, NULL, 0);
    command(r, CSM_T_GET_INFO, 11, rate, 1);
    run_ms(r, 300);
    frame_log *log = decode(r);
    unsigned seen = 0;
    for (size_t k = 0; k < log->count; k++) {
        frame_rec *f = &log->frames[k];
        if (f->type != CSM_T_ACK) continue;
        uint32_t cseq = csm_get_le32(f->payload + 4);
        uint8_t st = f->payload[1];
        if (cseq == 7) assert_int_equal(st, CSM_ACK_OK);
        if (cseq == 8) assert_int_equal(st, CSM_ACK_BAD_VALUE);
        if (cseq == 9) assert_int_equal(st, CSM_ACK_BAD_LENGTH);
        if (cseq == 10) assert_int_equal(st, CSM_ACK_NOT_SUPPORTED);
        if (cseq == 11) assert_int_equal(st, CSM_ACK_BAD_LENGTH);
        seen++;
    }
    assert_int_equal(seen, 5);
    frame_rec *ev = find_event(log, CSM_EV_RATE_CHANGED);
    assert_non_null(ev);
    assert_int_equal(csm_get_le32(ev->payload + 4), 5000);
    assert_true(csm_get_le64(ev->payload + 8) == 1000);
    /* the block in progress was finished at the old period, the next starts where it ended */
    uint64_t next = 0;
    int saw_fast = 0;
    for (size_t k = 0; k < log->count; k++) {
        frame_rec *f = &log->frames[k];
        if (f->type != CSM_T_SAMPLE_BLOCK) continue;
        assert_true(csm_get_le64(f->payload) == next);
        next += csm_get_le16(f->payload + 20);
        if (csm_get_le32(f->payload + 16) == 200000) saw_fast = 1;
    }
    assert_true(saw_fast);
    rig_free(r);
}

/* Samples due before a TIME_SYNC but sent in a block closed after it carry unix time (counted back from
 * the sync point), so the block says so: the flag tells the host which time base t0_us is in. */
static void a_block_sent_after_time_sync_is_flagged_synced_even_for_samples_due_before_it(void **state) {
    (void)state;
    rig *r = rig_new(1000);
    boot(r);
    r->clock.now_ns += 50000000u; /* 50 ms pass before the first poll: those samples are still due */
    uint8_t t[8];
    csm_put_le64(t, 1700000000000000ull);
    command(r, CSM_T_TIME_SYNC, 3, t, 8);
    run_ms(r, 200);
    frame_log *log = decode(r);
    frame_rec *first = find(log, CSM_T_SAMPLE_BLOCK, 0);
    assert_non_null(first);
    uint64_t t0 = csm_get_le64(first->payload + 8);
    assert_int_equal(csm_get_le64(first->payload), 0); /* the block starts at the first sample of the boot */
    assert_true(t0 >= 1700000000000000ull - 52000u && t0 <= 1700000000000000ull - 49000u);
    assert_true(csm_get_le16(first->payload + 22) & CSM_BLOCK_FLAG_TIME_SYNCED);
    rig_free(r);
}

static void time_sync_moves_block_time_to_unix_and_reports_the_old_time(void **state) {
    (void)state;
    rig *r = rig_new(1000);
    boot(r);
    run_ms(r, 500);
    uint8_t t[8];
    csm_put_le64(t, 1700000000000000ull);
    command(r, CSM_T_TIME_SYNC, 3, t, 8);
    run_ms(r, 300);
    frame_log *log = decode(r);
    frame_rec *ev = find_event(log, CSM_EV_TIME_SYNCED);
    assert_non_null(ev);
    assert_true(csm_get_le64(ev->payload + 8) >= 500000 && csm_get_le64(ev->payload + 8) <= 502000);
    frame_rec *last = NULL;
    for (size_t k = 0; k < log->count; k++)
        if (log->frames[k].type == CSM_T_SAMPLE_BLOCK) last = &log->frames[k];
    assert_true(csm_get_le16(last->payload + 22) & CSM_BLOCK_FLAG_TIME_SYNCED);
    uint64_t t0 = csm_get_le64(last->payload + 8);
    assert_true(t0 > 1700000000000000ull && t0 < 1700000000400000ull);
    rig_free(r);
}

static void binding_persists_and_consumes_a_seq_across_a_reboot(void **state) {
    (void)state;
    rig *r = rig_new(1000);
    boot(r);
    run_ms(r, 200);
    command(r, CSM_T_REQUEST_CHECKPOINT, 1, NULL, 0); /* seq 1 */
    uint8_t req[66];
    memcpy(req, VEC_BIND_WALLET, 32);
    memcpy(req + 32, VEC_CKPT_DEPLOYMENT, 32);
    csm_put_le16(req + 64, 554);
    command(r, CSM_T_BIND_REQUEST, 2, req, sizeof req); /* seq 2 */
    frame_log *log = decode(r);
    frame_rec *b = find(log, CSM_T_BIND_SIGNATURE, 0);
    assert_non_null(b);
    assert_memory_equal(b->payload, "CSM-BIND-v1", 11);
    assert_memory_equal(b->payload + 31, VEC_BIND_WALLET, 32);
    assert_memory_equal(b->payload + 63, VEC_CKPT_DEPLOYMENT, 32);
    assert_int_equal(csm_get_be32(b->payload + 95), 2);
    assert_int_equal(b->payload[115] << 8 | b->payload[116], 554);
    uint8_t digest[32], who[20];
    csm_keccak256(b->payload, CSM_BIND_MSG_SIZE, digest);
    assert_int_equal(csm_recover_address(digest, b->payload + CSM_BIND_MSG_SIZE, who), 0);
    assert_memory_equal(who, r->key.address, 20);
    uint64_t energy_at_bind = csm_get_be64(b->payload + 99);

    /* reset: same flash, new RAM */
    r->link.out_len = 0;
    run_ms(r, 0);
    boot(r);
    run_ms(r, 100);
    command(r, CSM_T_REQUEST_CHECKPOINT, 0, NULL, 0);
    log = decode(r);
    frame_rec *hello = find(log, CSM_T_HELLO, 0);
    assert_int_equal(hello->payload[23] & CSM_HELLO_FLAG_BOUND, CSM_HELLO_FLAG_BOUND);
    assert_int_equal(csm_get_le32(hello->payload + 68), 2); /* boot count */
    assert_int_equal(csm_get_le32(hello->payload + 72), 2); /* last seq used */
    assert_memory_equal(hello->payload + 80, VEC_CKPT_DEPLOYMENT, 32);
    frame_rec *ck = find(log, CSM_T_CHECKPOINT, 0);
    assert_int_equal(csm_get_be32(ck->payload + 63), 3);
    assert_memory_equal(ck->payload + 31, VEC_CKPT_DEPLOYMENT, 32);
    assert_true(csm_get_be64(ck->payload + 67) >= energy_at_bind);
    rig_free(r);
}

static void a_stalled_link_drops_whole_blocks_and_reports_them(void **state) {
    (void)state;
    rig *r = rig_new(20000);
    boot(r);
    r->link.accept_per_call = 0; /* host stopped reading */
    run_ms(r, 2000);
    r->link.accept_per_call = SIZE_MAX;
    run_ms(r, 300);
    command(r, CSM_T_REQUEST_CHECKPOINT, 0, NULL, 0);
    frame_log *log = decode(r);
    assert_int_equal(log->stats.crc_errors + log->stats.cobs_errors + log->stats.too_long, 0);
    uint32_t dropped = 0, reports = 0;
    for (size_t k = 0; k < log->count; k++) {
        frame_rec *f = &log->frames[k];
        if (f->type != CSM_T_EVENT || csm_get_le16(f->payload) != CSM_EV_TX_OVERFLOW) continue;
        dropped += csm_get_le32(f->payload + 4);
        assert_true(csm_get_le64(f->payload + 8) == csm_get_le32(f->payload + 4) * 16024ull); /* payload bytes */
        reports++;
    }
    assert_true(reports >= 1 && reports <= 3); /* at most one a second */
    assert_true(dropped > 10);
    assert_true(dropped == r->dev.blocks_dropped);
    /* seq gaps add up to the dropped frames; first_sample gaps to the dropped samples */
    uint32_t seq_gap = 0;
    uint64_t sample_gap = 0, next = 0;
    uint8_t head[32] = {0};
    for (size_t k = 0; k < log->count; k++) {
        frame_rec *f = &log->frames[k];
        if (k) seq_gap += f->seq - log->frames[k - 1].seq - 1;
        if (f->type == CSM_T_SAMPLE_BLOCK) {
            sample_gap += csm_get_le64(f->payload) - next;
            next = csm_get_le64(f->payload) + csm_get_le16(f->payload + 20);
            csm_keccak k2;
            csm_keccak_init(&k2);
            csm_keccak_update(&k2, head, 32);
            csm_keccak_update(&k2, f->payload, f->len);
            csm_keccak_final(&k2, head);
        }
    }
    assert_int_equal(seq_gap, dropped);
    assert_true(sample_gap == (uint64_t)dropped * 2000u);
    frame_rec *ck = find(log, CSM_T_CHECKPOINT, 0);
    assert_memory_equal(ck->payload + 83, head, 32); /* the chain covers exactly the blocks sent */
    rig_free(r);
}

static void a_sampler_far_behind_skips_ahead_and_shows_the_gap(void **state) {
    (void)state;
    rig *r = rig_new(1000);
    boot(r);
    run_ms(r, 250);
    r->clock.now_ns += 5000000000ull; /* the CPU was stuck for 5 s */
    run_ms(r, 250);
    assert_true(r->dev.samples_skipped >= 3900 && r->dev.samples_skipped <= 5000);
    frame_log *log = decode(r);
    uint64_t next = 0, gaps = 0;
    for (size_t k = 0; k < log->count; k++) {
        frame_rec *f = &log->frames[k];
        if (f->type != CSM_T_SAMPLE_BLOCK) continue;
        gaps += csm_get_le64(f->payload) - next;
        next = csm_get_le64(f->payload) + csm_get_le16(f->payload + 20);
    }
    assert_true(gaps == r->dev.samples_skipped);
    rig_free(r);
}

static int failing_sample(void *ctx, uint64_t t, int32_t *v, int32_t *i) {
    (void)ctx;
    (void)t;
    *v = *i = 77;
    return 42;
}

static uint64_t sensor_mwh;
static int sensor_energy(void *ctx, uint64_t *mwh) {
    (void)ctx;
    *mwh = sensor_mwh;
    return 0;
}

static void sensor_faults_and_energy_mismatches_become_events(void **state) {
    (void)state;
    rig *r = rig_new(1000);
    r->sensor.sample = failing_sample;
    boot(r);
    run_ms(r, 300);
    frame_log *log = decode(r);
    frame_rec *ev = find_event(log, CSM_EV_SENSOR_FAULT);
    assert_non_null(ev);
    assert_int_equal(csm_get_le32(ev->payload + 4), 42);
    frame_rec *blk = find(log, CSM_T_SAMPLE_BLOCK, 0);
    assert_int_equal(csm_get_le32(blk->payload + 24), 0); /* recorded as zero, not invented */
    size_t faults = 0;
    for (size_t k = 0; k < log->count; k++)
        faults += log->frames[k].type == CSM_T_EVENT && csm_get_le16(log->frames[k].payload) == CSM_EV_SENSOR_FAULT;
    assert_int_equal(faults, 1); /* reported once, not per sample */
    rig_free(r);

    r = rig_new(1000);
    r->sensor.energy_mwh = sensor_energy;
    r->cfg.energy_check_s = 1;
    sensor_mwh = 1000;
    boot(r);
    sensor_mwh = 1500; /* the INA228 claims 500 mWh in 1.5 s of a 50 W panel */
    run_ms(r, 1500);
    ev = find_event(decode(r), CSM_EV_ENERGY_MISMATCH);
    assert_non_null(ev);
    assert_int_equal(csm_get_le32(ev->payload + 4), 500);
    rig_free(r);
}

static void timers_send_hello_and_checkpoints_and_a_dead_flash_refuses_to_sign(void **state) {
    (void)state;
    rig *r = rig_new(100);
    r->cfg.checkpoint_interval_s = 5;
    boot(r);
    run_ms(r, 21000);
    frame_log *log = decode(r);
    size_t hellos = 0, cks = 0;
    for (size_t k = 0; k < log->count; k++) {
        hellos += log->frames[k].type == CSM_T_HELLO;
        cks += log->frames[k].type == CSM_T_CHECKPOINT;
    }
    assert_int_equal(hellos, 3); /* boot, 10 s, 20 s */
    assert_int_equal(cks, 4);    /* 5, 10, 15, 20 s */
    r->flash.dead = 1;
    r->link.out_len = 0;
    command(r, CSM_T_REQUEST_CHECKPOINT, 5, NULL, 0);
    log = decode(r);
    assert_null(find(log, CSM_T_CHECKPOINT, 0));
    frame_rec *ack = find(log, CSM_T_ACK, 0);
    assert_non_null(ack);
    assert_int_equal(ack->payload[1], CSM_ACK_BUSY);
    rig_free(r);
}

static void garbage_from_the_host_is_survived_and_counted(void **state) {
    (void)state;
    rig *r = rig_new(1000);
    boot(r);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    uint8_t junk[4096];
    for (int round = 0; round < 200; round++) {
        for (size_t k = 0; k < sizeof junk; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            junk[k] = (uint8_t)(x % 7 == 0 ? 0 : x >> 24); /* frequent delimiters */
        }
        csm_device_receive(&r->dev, junk, sizeof junk);
        /* mutated valid commands too: one flipped byte in a SET_RATE frame */
        uint8_t rate[4];
        csm_put_le32(rate, (uint32_t)(x % 60000u));
        fake_link_command(&r->link, CSM_T_SET_RATE, (uint32_t)round, rate, 4);
        r->link.in[(size_t)(x >> 40) % (r->link.in_len - 1)] ^= (uint8_t)(1u << (round % 8));
        run_ms(r, 1);
    }
    csm_rx_stats st = r->dev.rx.stats;
    assert_true(st.crc_errors + st.cobs_errors + st.too_long + st.too_short > 100);
    r->link.out_len = 0;
    command(r, CSM_T_GET_INFO, 999, NULL, 0); /* still answers */
    frame_log *log = decode(r);
    assert_non_null(find(log, CSM_T_HELLO, 0));
    assert_true(r->dev.rate_hz >= 1 && r->dev.rate_hz <= CSM_MAX_RATE_HZ);
    rig_free(r);
}

static void blocks_never_exceed_the_configured_buffer(void **state) {
    (void)state;
    rig *r = rig_new(20000);
    r->cfg.block_samples_max = 500;
    boot(r);
    run_ms(r, 300);
    frame_log *log = decode(r);
    size_t blocks = 0;
    for (size_t k = 0; k < log->count; k++)
        if (log->frames[k].type == CSM_T_SAMPLE_BLOCK) {
            assert_int_equal(csm_get_le16(log->frames[k].payload + 20), 500);
            blocks++;
        }
    assert_int_equal(blocks, 12);
    rig_free(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boot_announces_reset_then_hello_with_scales_and_identity),
        cmocka_unit_test(blocks_chain_and_checkpoint_verify_exactly),
        cmocka_unit_test(commands_are_acknowledged_with_the_right_status),
        cmocka_unit_test(time_sync_moves_block_time_to_unix_and_reports_the_old_time),
        cmocka_unit_test(a_block_sent_after_time_sync_is_flagged_synced_even_for_samples_due_before_it),
        cmocka_unit_test(binding_persists_and_consumes_a_seq_across_a_reboot),
        cmocka_unit_test(a_stalled_link_drops_whole_blocks_and_reports_them),
        cmocka_unit_test(a_sampler_far_behind_skips_ahead_and_shows_the_gap),
        cmocka_unit_test(sensor_faults_and_energy_mismatches_become_events),
        cmocka_unit_test(timers_send_hello_and_checkpoints_and_a_dead_flash_refuses_to_sign),
        cmocka_unit_test(garbage_from_the_host_is_survived_and_counted),
        cmocka_unit_test(blocks_never_exceed_the_configured_buffer),
    };
    return cmocka_run_group_tests_name("device", tests, NULL, NULL);
}
