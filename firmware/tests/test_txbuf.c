/* The bounded transmit ring: whole frames or nothing, correct across wrap-around, overflow counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csm/cobs.h"
#include "csm/txbuf.h"
#include "fakes.h"

static size_t drain_to(csm_txbuf *t, uint8_t *out, size_t max) {
    size_t got = 0;
    const uint8_t *p;
    size_t n;
    while ((n = csm_txbuf_peek(t, &p)) > 0 && got < max) {
        if (n > max - got) n = max - got;
        memcpy(out + got, p, n);
        csm_txbuf_consume(t, n);
        got += n;
    }
    return got;
}

static void frames_survive_thousands_of_wraps_with_partial_reads(void **state) {
    (void)state;
    static uint8_t ring[1000], out[4000000];
    csm_txbuf t;
    csm_txbuf_init(&t, ring, sizeof ring);
    uint8_t payload[300];
    size_t total = 0;
    uint32_t seq = 0;
    for (int k = 0; k < 3000; k++) {
        size_t n = (size_t)(k * 37) % sizeof payload;
        for (size_t i = 0; i < n; i++) payload[i] = (uint8_t)(i * k); /* zeros included */
        csm_iov iov = {payload, n};
        while (!csm_txbuf_frame(&t, 0x02, seq, &iov, 1, 0)) total += drain_to(&t, out + total, 7);
        t.dropped_frames = 0;
        seq++;
        total += drain_to(&t, out + total, (size_t)(k % 50));
    }
    total += drain_to(&t, out + total, sizeof out - total);
    frame_log log = {0};
    frame_log_decode(&log, out, total);
    assert_int_equal(log.count, 3000);
    assert_int_equal(log.stats.crc_errors + log.stats.cobs_errors, 0);
    for (size_t k = 0; k < log.count; k++) {
        assert_int_equal(log.frames[k].seq, k);
        assert_int_equal(log.frames[k].len, (k * 37) % sizeof payload);
        for (size_t i = 0; i < log.frames[k].len; i++) assert_int_equal(log.frames[k].payload[i], (uint8_t)(i * k));
    }
    frame_log_free(&log);
}

static void a_full_ring_drops_whole_frames_and_counts_them(void **state) {
    (void)state;
    static uint8_t ring[2048], out[8192];
    csm_txbuf t;
    csm_txbuf_init(&t, ring, sizeof ring);
    uint8_t payload[900];
    memset(payload, 0xAB, sizeof payload);
    csm_iov iov = {payload, sizeof payload};
    assert_true(csm_txbuf_frame(&t, 2, 0, &iov, 1, 0));
    assert_true(csm_txbuf_frame(&t, 2, 1, &iov, 1, 0));
    size_t used = t.used;
    assert_false(csm_txbuf_frame(&t, 2, 2, &iov, 1, 0));
    assert_false(csm_txbuf_frame(&t, 2, 3, &iov, 1, 0));
    assert_int_equal(t.used, used); /* nothing half-written */
    assert_int_equal(t.dropped_frames, 2);
    assert_true(t.dropped_bytes == 2 * sizeof payload);
    size_t n = drain_to(&t, out, sizeof out);
    frame_log log = {0};
    frame_log_decode(&log, out, n);
    assert_int_equal(log.count, 2);
    assert_int_equal(log.stats.crc_errors + log.stats.cobs_errors + log.stats.too_long, 0);
    frame_log_free(&log);
}

static void the_control_reserve_keeps_room_for_events(void **state) {
    (void)state;
    static uint8_t ring[1024];
    csm_txbuf t;
    csm_txbuf_init(&t, ring, sizeof ring);
    uint8_t payload[400] = {1};
    csm_iov iov = {payload, sizeof payload};
    assert_true(csm_txbuf_frame(&t, 2, 0, &iov, 1, 300));
    assert_false(csm_txbuf_frame(&t, 2, 1, &iov, 1, 300)); /* a block may not eat the reserve */
    uint8_t ev[24] = {5};
    csm_iov e = {ev, sizeof ev};
    assert_true(csm_txbuf_frame(&t, 4, 2, &e, 1, 0)); /* an event may */
    assert_true(t.high_water == t.used);
}

static void oversized_frames_are_refused(void **state) {
    (void)state;
    static uint8_t ring[40000], big[CSM_MAX_FRAME];
    csm_txbuf t;
    csm_txbuf_init(&t, ring, sizeof ring);
    csm_iov iov = {big, CSM_MAX_FRAME - CSM_FRAME_OVERHEAD + 1};
    assert_false(csm_txbuf_frame(&t, 2, 0, &iov, 1, 0));
    iov.n = CSM_MAX_FRAME - CSM_FRAME_OVERHEAD;
    assert_true(csm_txbuf_frame(&t, 2, 0, &iov, 1, 0));
    assert_true(t.used <= csm_frame_wire_max(iov.n));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(frames_survive_thousands_of_wraps_with_partial_reads),
        cmocka_unit_test(a_full_ring_drops_whole_frames_and_counts_them),
        cmocka_unit_test(the_control_reserve_keeps_room_for_events),
        cmocka_unit_test(oversized_frames_are_refused),
    };
    return cmocka_run_group_tests_name("txbuf", tests, NULL, NULL);
}
