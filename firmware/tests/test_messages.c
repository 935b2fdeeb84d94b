/* Payload encoders, Keccak-256, the hash chain and device signatures against the shared vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csm/bytes.h"
#include "csm/keccak.h"
#include "csm/messages.h"
#include "csm/signer_secp256k1.h"
#include "vectors.h"

static const vec_frame *frame_named(const char *name) {
    for (size_t k = 0; k < VEC_FRAME_COUNT; k++)
        if (!strcmp(VEC_FRAMES[k].name, name)) return &VEC_FRAMES[k];
    fail_msg("no vector %s", name);
    return NULL;
}

static void keccak256_matches_ethereum_empty_and_vector_digests(void **state) {
    (void)state;
    uint8_t h[32];
    static const uint8_t empty[32] = {0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d,
                                      0xb2, 0xdc, 0xc7, 0x03, 0xc0, 0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82,
                                      0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70};
    csm_keccak256(NULL, 0, h);
    assert_memory_equal(h, empty, 32);
    csm_keccak256(VEC_CHECKPOINT_MESSAGE, sizeof VEC_CHECKPOINT_MESSAGE, h);
    assert_memory_equal(h, VEC_CHECKPOINT_DIGEST, 32);
    /* incremental updates of odd sizes across the 136-byte rate give the same digest */
    csm_keccak k;
    csm_keccak_init(&k);
    csm_keccak_update(&k, VEC_BIND_MESSAGE, 1);
    csm_keccak_update(&k, VEC_BIND_MESSAGE + 1, 70);
    csm_keccak_update(&k, VEC_BIND_MESSAGE + 71, sizeof VEC_BIND_MESSAGE - 71);
    csm_keccak_final(&k, h);
    assert_memory_equal(h, VEC_BIND_DIGEST, 32);
}

static void hash_chain_over_the_vector_block_matches(void **state) {
    (void)state;
    const vec_frame *b = frame_named("sample_block");
    uint8_t head[32] = {0};
    csm_keccak k;
    csm_keccak_init(&k);
    csm_keccak_update(&k, head, 32);
    csm_keccak_update(&k, b->payload, b->payload_len);
    csm_keccak_final(&k, head);
    assert_memory_equal(head, VEC_BLOCK_CHAIN_HEAD, 32);
}

static void hello_payload_matches_the_vector(void **state) {
    (void)state;
    const vec_frame *v = frame_named("hello");
    csm_hello h;
    memset(&h, 0, sizeof h);
    memcpy(h.device, v->payload, 20);
    h.fw_version[0] = 1;
    h.flags = 4;
    h.hw_version = 1;
    h.hw_class = 1;
    h.rated_power_w = 100;
    h.sample_rate_hz = 1000;
    h.v_lsb = 195.3125e-6;
    h.i_lsb = 1e-4;
    strcpy(h.calibration_id, "CAL-0001");
    h.boot_count = 3;
    h.checkpoint_seq = 6;
    h.checkpoint_interval_s = 60;
    memcpy(h.deployment_id, v->payload + 80, 32);
    h.uptime_us = 123456;
    h.attestation = v->payload + 120;
    uint8_t out[CSM_HELLO_SIZE];
    csm_encode_hello(&h, out);
    assert_int_equal(v->payload_len, CSM_HELLO_SIZE);
    assert_memory_equal(out, v->payload, CSM_HELLO_SIZE);
}

static void block_event_and_ack_payloads_match_the_vectors(void **state) {
    (void)state;
    uint8_t out[64];
    const vec_frame *b = frame_named("sample_block");
    csm_encode_block_header(out, 1000, 1700000000000000ull, 1000000, 4, 4);
    assert_memory_equal(out, b->payload, CSM_BLOCK_HEADER);
    csm_encode_event(out, CSM_EV_RESET, 0, 0, 3, 42);
    assert_memory_equal(out, frame_named("event_reset")->payload, CSM_EVENT_SIZE);
    csm_encode_event(out, CSM_EV_TX_OVERFLOW, 1, 2, 16432, 99);
    assert_memory_equal(out, frame_named("event_tx_overflow")->payload, CSM_EVENT_SIZE);
    csm_encode_ack(out, 0x82, 0, 17);
    assert_memory_equal(out, frame_named("ack")->payload, CSM_ACK_SIZE);
}

static void signed_messages_encode_big_endian_as_the_vectors(void **state) {
    (void)state;
    csm_checkpoint_msg c;
    memcpy(c.device, VEC_MSG_DEVICE_ADDRESS, 20);
    memcpy(c.deployment_id, VEC_CKPT_DEPLOYMENT, 32);
    c.seq = VEC_CKPT_SEQ;
    c.energy_mwh = VEC_CKPT_ENERGY;
    c.device_time = VEC_CKPT_TIME;
    memcpy(c.chain_head, VEC_CKPT_HEAD, 32);
    uint8_t out[CSM_BIND_MSG_SIZE];
    csm_encode_checkpoint_msg(&c, out);
    assert_memory_equal(out, VEC_CHECKPOINT_MESSAGE, CSM_CKPT_MSG_SIZE);
    csm_bind_msg b;
    memcpy(b.device, VEC_MSG_DEVICE_ADDRESS, 20);
    memcpy(b.wallet, VEC_BIND_WALLET, 32);
    memcpy(b.deployment_id, VEC_CKPT_DEPLOYMENT, 32);
    b.seq = VEC_BIND_SEQ;
    b.energy_mwh = VEC_BIND_ENERGY;
    b.device_time = VEC_BIND_TIME;
    b.region = VEC_BIND_REGION;
    csm_encode_bind_msg(&b, out);
    assert_memory_equal(out, VEC_BIND_MESSAGE, CSM_BIND_MSG_SIZE);
    csm_encode_attestation_msg(VEC_MSG_DEVICE_ADDRESS, VEC_ATTEST_RATED, VEC_ATTEST_CLASS, VEC_ATTEST_SERIAL, out);
    assert_memory_equal(out, VEC_ATTESTATION_MESSAGE, CSM_ATTEST_MSG_SIZE);
}

static void device_key_derives_the_vector_address(void **state) {
    (void)state;
    csm_soft_key key;
    assert_int_equal(csm_soft_key_init(&key, VEC_MSG_DEVICE_SECRET), 0);
    assert_memory_equal(key.address, VEC_MSG_DEVICE_ADDRESS, 20);
    csm_soft_key man;
    assert_int_equal(csm_soft_key_init(&man, VEC_MSG_MANUFACTURER_SECRET), 0);
    assert_memory_equal(man.address, VEC_MSG_MANUFACTURER_ADDRESS, 20);
    static const uint8_t zero[32] = {0};
    assert_int_equal(csm_soft_key_init(&key, zero), -1);
}

static void sign_and_check(const uint8_t *secret, const uint8_t *digest, const uint8_t *expect_sig,
                           const uint8_t *expect_addr) {
    csm_soft_key key;
    csm_signer signer;
    assert_int_equal(csm_soft_key_init(&key, secret), 0);
    csm_soft_key_signer(&key, &signer);
    uint8_t sig[65], addr[20];
    assert_int_equal(signer.sign(signer.ctx, digest, sig), 0);
    assert_memory_equal(sig, expect_sig, 65); /* RFC 6979: byte-identical to coincurve */
    assert_true(sig[64] <= 1);
    assert_true(sig[32] < 0x80); /* low-s: s below n/2 has its top bit clear */
    assert_int_equal(csm_recover_address(digest, sig, addr), 0);
    assert_memory_equal(addr, expect_addr, 20);
}

static void signatures_are_byte_identical_to_the_python_vectors(void **state) {
    (void)state;
    sign_and_check(VEC_MSG_DEVICE_SECRET, VEC_CHECKPOINT_DIGEST, VEC_CHECKPOINT_SIGNATURE, VEC_MSG_DEVICE_ADDRESS);
    sign_and_check(VEC_MSG_DEVICE_SECRET, VEC_BIND_DIGEST, VEC_BIND_SIGNATURE, VEC_MSG_DEVICE_ADDRESS);
    sign_and_check(VEC_MSG_MANUFACTURER_SECRET, VEC_ATTESTATION_DIGEST, VEC_ATTESTATION_SIGNATURE,
                   VEC_MSG_MANUFACTURER_ADDRESS);
    /* the checkpoint inside the frame vector too */
    const vec_frame *v = frame_named("checkpoint");
    uint8_t digest[32];
    csm_keccak256(v->payload, CSM_CKPT_MSG_SIZE, digest);
    sign_and_check(VEC_DEVICE_SECRET, digest, v->payload + CSM_CKPT_MSG_SIZE, v->payload + 11);
}

static void a_tampered_message_recovers_another_address(void **state) {
    (void)state;
    uint8_t msg[CSM_CKPT_MSG_SIZE], digest[32], addr[20];
    memcpy(msg, VEC_CHECKPOINT_MESSAGE, sizeof msg);
    msg[70] ^= 1; /* one bit of energy */
    csm_keccak256(msg, sizeof msg, digest);
    if (csm_recover_address(digest, VEC_CHECKPOINT_SIGNATURE, addr) == 0)
        assert_memory_not_equal(addr, VEC_MSG_DEVICE_ADDRESS, 20);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keccak256_matches_ethereum_empty_and_vector_digests),
        cmocka_unit_test(hash_chain_over_the_vector_block_matches),
        cmocka_unit_test(hello_payload_matches_the_vector),
        cmocka_unit_test(block_event_and_ack_payloads_match_the_vectors),
        cmocka_unit_test(signed_messages_encode_big_endian_as_the_vectors),
        cmocka_unit_test(device_key_derives_the_vector_address),
        cmocka_unit_test(signatures_are_byte_identical_to_the_python_vectors),
        cmocka_unit_test(a_tampered_message_recovers_another_address),
    };
    return cmocka_run_group_tests_name("messages", tests, NULL, NULL);
}
