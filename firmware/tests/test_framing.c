/* CRC-32C, COBS, the TX framer and the RX decoder against the shared byte-exact vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csm/cobs.h"
#include "csm/crc32c.h"
#include "csm/frame.h"
#include "csm/txbuf.h"
#include "vectors.h"

static void crc32c_matches_the_castagnoli_check_value(void **state) {
    (void)state;
    assert_int_equal(csm_crc32c((const uint8_t *)"123456789", 9), 0xE3069283u);
    assert_int_equal(csm_crc32c((const uint8_t *)"", 0), 0u);
    uint32_t s = csm_crc32c_update(CSM_CRC32C_INIT, (const uint8_t *)"1234", 4);
    s = csm_crc32c_update(s, (const uint8_t *)"56789", 5);
    assert_int_equal(s ^ 0xFFFFFFFFu, 0xE3069283u);
}

static void check_cobs(const uint8_t *in, size_t n, const uint8_t *expect, size_t en) {
    uint8_t out[600], back[600];
    size_t m = csm_cobs_encode(in, n, out);
    assert_int_equal(m, en);
    assert_memory_equal(out, expect, en);
    assert_true(m <= CSM_COBS_MAX_ENCODED(n));
    assert_null(memchr(out, 0, m));
    long d = csm_cobs_decode(out, m, back, sizeof back);
    assert_int_equal(d, (long)n);
    if (n) assert_memory_equal(back, in, n);
}

static void cobs_encodes_the_paper_examples_and_the_254_byte_edges(void **state) {
    (void)state;
    check_cobs((const uint8_t *)"", 0, (const uint8_t *)"\x01", 1);
    check_cobs((const uint8_t *)"\x00", 1, (const uint8_t *)"\x01\x01", 2);
    check_cobs((const uint8_t *)"\x00\x00", 2, (const uint8_t *)"\x01\x01\x01", 3);
    check_cobs((const uint8_t *)"\x11\x22\x00\x33", 4, (const uint8_t *)"\x03\x11\x22\x02\x33", 5);
    check_cobs((const uint8_t *)"\x11\x00\x00\x00", 4, (const uint8_t *)"\x02\x11\x01\x01\x01", 5);
    uint8_t in[256], ex[260];
    memset(in, 0x01, sizeof in);
    /* 254 non-zero bytes: one full block and no trailing empty block */
    ex[0] = 0xFF;
    memset(ex + 1, 0x01, 254);
    check_cobs(in, 254, ex, 255);
    /* 255 non-zero bytes: full block, then a block of one */
    ex[255] = 0x02;
    ex[256] = 0x01;
    check_cobs(in, 255, ex, 257);
    /* 254 non-zero bytes then a zero */
    in[254] = 0;
    ex[255] = 0x01;
    ex[256] = 0x01;
    check_cobs(in, 255, ex, 257);
}

static void cobs_decoder_rejects_zeros_and_overruns(void **state) {
    (void)state;
    uint8_t out[16];
    assert_int_equal(csm_cobs_decode((const uint8_t *)"\x03\x11", 2, out, sizeof out), -1);
    assert_int_equal(csm_cobs_decode((const uint8_t *)"\x03\x00\x11", 3, out, sizeof out), -1);
    assert_int_equal(csm_cobs_decode((const uint8_t *)"\x00", 1, out, sizeof out), -1);
    assert_int_equal(csm_cobs_decode((const uint8_t *)"\x05\x01\x02\x03\x04", 5, out, 2), -1);
}

static void framer_reproduces_every_vector_wire_byte_for_byte(void **state) {
    (void)state;
    static uint8_t ring[40000];
    for (size_t k = 0; k < VEC_FRAME_COUNT; k++) {
        const vec_frame *v = &VEC_FRAMES[k];
        csm_txbuf t;
        csm_txbuf_init(&t, ring, sizeof ring);
        csm_iov iov = {v->payload, v->payload_len};
        assert_true(csm_txbuf_frame(&t, v->type, v->seq, &iov, 1, 0));
        const uint8_t *p;
        size_t n = csm_txbuf_peek(&t, &p);
        assert_int_equal(n, v->wire_len);
        assert_memory_equal(p, v->wire, v->wire_len);
    }
}

static void framer_splits_payloads_across_pieces_identically(void **state) {
    (void)state;
    static uint8_t ring[40000];
    const vec_frame *v = &VEC_FRAMES[1]; /* sample_block */
    csm_txbuf t;
    csm_txbuf_init(&t, ring, sizeof ring);
    csm_iov iov[3] = {{v->payload, 24}, {v->payload + 24, 5}, {v->payload + 29, v->payload_len - 29}};
    assert_true(csm_txbuf_frame(&t, v->type, v->seq, iov, 3, 0));
    const uint8_t *p;
    assert_int_equal(csm_txbuf_peek(&t, &p), v->wire_len);
    assert_memory_equal(p, v->wire, v->wire_len);
}

static void decoder_returns_every_vector_payload(void **state) {
    (void)state;
    static uint8_t enc[20000], raw[20000];
    csm_rx rx;
    csm_rx_init(&rx, enc, sizeof enc, raw, sizeof raw);
    for (size_t k = 0; k < VEC_FRAME_COUNT; k++) {
        const vec_frame *v = &VEC_FRAMES[k];
        csm_rx_result r = CSM_RX_NONE;
        for (size_t i = 0; i < v->wire_len; i++) {
            r = csm_rx_byte(&rx, v->wire[i]);
            if (i + 1 < v->wire_len) assert_int_equal(r, CSM_RX_NONE);
        }
        assert_int_equal(r, CSM_RX_FRAME);
        assert_int_equal(rx.type, v->type);
        assert_int_equal(rx.seq, v->seq);
        assert_int_equal(rx.payload_len, v->payload_len);
        assert_memory_equal(rx.payload, v->payload, v->payload_len);
    }
    assert_int_equal(rx.stats.frames, VEC_FRAME_COUNT);
}

static void decoder_counts_each_malformed_vector_and_keeps_going(void **state) {
    (void)state;
    static uint8_t enc[20000], raw[20000];
    for (size_t k = 0; k < VEC_MALFORMED_COUNT; k++) {
        const vec_bad *v = &VEC_MALFORMED[k];
        csm_rx rx;
        csm_rx_init(&rx, enc, sizeof enc, raw, sizeof raw);
        unsigned good = 0;
        uint8_t type = 0;
        size_t plen = 0;
        for (size_t i = 0; i < v->len; i++)
            if (csm_rx_byte(&rx, v->wire[i]) == CSM_RX_FRAME) {
                good++;
                type = rx.type;
                plen = rx.payload_len;
            }
        /* the next good frame after any malformed one decodes normally */
        for (size_t i = 0; i < VEC_FRAMES[3].wire_len; i++) csm_rx_byte(&rx, VEC_FRAMES[3].wire[i]);
        assert_int_equal(rx.stats.frames, good + 1);
        if (!strcmp(v->expect, "crc_errors")) {
            assert_int_equal(rx.stats.crc_errors, 1);
        } else if (!strcmp(v->expect, "crc_errors_or_cobs")) {
            assert_int_equal(rx.stats.crc_errors + rx.stats.cobs_errors, 1);
        } else if (!strcmp(v->expect, "too_short")) {
            assert_int_equal(rx.stats.too_short, 1);
        } else if (!strcmp(v->expect, "unsupported_version")) {
            assert_int_equal(rx.stats.unsupported_version, 1);
            assert_int_equal(rx.stats.crc_errors, 0);
        } else if (!strcmp(v->expect, "unknown_type")) {
            /* framing is fine; the type is what a message layer rejects */
            assert_int_equal(good, 1);
            assert_int_equal(type, 0x42);
        } else if (!strcmp(v->expect, "malformed")) {
            /* framing is fine; the payload length is wrong for the type */
            assert_int_equal(good, 1);
            assert_true(type == 4 ? plen != 24 : (plen - 24) % 8 != 0 || plen < 24);
        } else {
            /* PROTOCOL.md 1: 3 garbage bytes and the 0x00 that ends them */
            assert_string_equal(v->expect, "one good frame, 3 garbage bytes + their 0x00 = 4 bytes discarded");
            assert_int_equal(good, 1);
            assert_int_equal(rx.stats.bytes_discarded, 4);
        }
    }
}

static void decoder_drops_a_frame_longer_than_its_buffer_and_recovers(void **state) {
    (void)state;
    uint8_t enc[64], raw[64];
    csm_rx rx;
    csm_rx_init(&rx, enc, sizeof enc, raw, sizeof raw);
    for (int i = 0; i < 500; i++) assert_int_equal(csm_rx_byte(&rx, 0x55), CSM_RX_NONE);
    assert_int_equal(csm_rx_byte(&rx, 0), CSM_RX_BAD);
    assert_int_equal(rx.stats.too_long, 1);
    const vec_frame *v = &VEC_FRAMES[5]; /* ack */
    csm_rx_result r = CSM_RX_NONE;
    for (size_t i = 0; i < v->wire_len; i++) r = csm_rx_byte(&rx, v->wire[i]);
    assert_int_equal(r, CSM_RX_FRAME);
    assert_int_equal(csm_rx_byte(&rx, 0), CSM_RX_NONE); /* empty frame is ignored */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc32c_matches_the_castagnoli_check_value),
        cmocka_unit_test(cobs_encodes_the_paper_examples_and_the_254_byte_edges),
        cmocka_unit_test(cobs_decoder_rejects_zeros_and_overruns),
        cmocka_unit_test(framer_reproduces_every_vector_wire_byte_for_byte),
        cmocka_unit_test(framer_splits_payloads_across_pieces_identically),
        cmocka_unit_test(decoder_returns_every_vector_payload),
        cmocka_unit_test(decoder_counts_each_malformed_vector_and_keeps_going),
        cmocka_unit_test(decoder_drops_a_frame_longer_than_its_buffer_and_recovers),
    };
    return cmocka_run_group_tests_name("framing", tests, NULL, NULL);
}
