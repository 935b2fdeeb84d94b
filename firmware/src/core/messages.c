#include "csm/messages.h"

#include <string.h>

#include "csm/bytes.h"

static void put_f64(uint8_t *p, double v) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits); /* IEEE-754 binary64 on every target we build for */
    csm_put_le64(p, bits);
}

void csm_encode_hello(const csm_hello *h, uint8_t out[CSM_HELLO_SIZE]) {
    memcpy(out, h->device, 20);
    memcpy(out + 20, h->fw_version, 3);
    out[23] = h->flags;
    csm_put_le16(out + 24, h->hw_version);
    csm_put_le16(out + 26, h->hw_class);
    csm_put_le32(out + 28, h->rated_power_w);
    csm_put_le32(out + 32, h->sample_rate_hz);
    put_f64(out + 36, h->v_lsb);
    put_f64(out + 44, h->i_lsb);
    memset(out + 52, 0, 16);
    for (size_t k = 0; k < 16 && h->calibration_id[k]; k++) out[52 + k] = (uint8_t)h->calibration_id[k];
    csm_put_le32(out + 68, h->boot_count);
    csm_put_le32(out + 72, h->checkpoint_seq);
    csm_put_le32(out + 76, h->checkpoint_interval_s);
    memcpy(out + 80, h->deployment_id, 32);
    csm_put_le64(out + 112, h->uptime_us);
    memcpy(out + 120, h->attestation, CSM_ATTEST_MSG_SIZE + CSM_SIG_SIZE);
}

void csm_encode_block_header(uint8_t out[CSM_BLOCK_HEADER], uint64_t first_sample, uint64_t t0_us,
                             uint32_t period_ns, uint16_t count, uint16_t flags) {
    csm_put_le64(out, first_sample);
    csm_put_le64(out + 8, t0_us);
    csm_put_le32(out + 16, period_ns);
    csm_put_le16(out + 20, count);
    csm_put_le16(out + 22, flags);
}

void csm_encode_event(uint8_t out[CSM_EVENT_SIZE], uint16_t code, uint8_t severity, uint32_t arg0,
                      uint64_t arg1, uint64_t t_us) {
    csm_put_le16(out, code);
    out[2] = severity;
    out[3] = 0;
    csm_put_le32(out + 4, arg0);
    csm_put_le64(out + 8, arg1);
    csm_put_le64(out + 16, t_us);
}

void csm_encode_ack(uint8_t out[CSM_ACK_SIZE], uint8_t command_type, uint8_t status, uint32_t command_seq) {
    out[0] = command_type;
    out[1] = status;
    out[2] = out[3] = 0;
    csm_put_le32(out + 4, command_seq);
}

void csm_encode_checkpoint_msg(const csm_checkpoint_msg *m, uint8_t out[CSM_CKPT_MSG_SIZE]) {
    memcpy(out, "CSM-CKPT-v1", 11);
    memcpy(out + 11, m->device, 20);
    memcpy(out + 31, m->deployment_id, 32);
    csm_put_be32(out + 63, m->seq);
    csm_put_be64(out + 67, m->energy_mwh);
    csm_put_be64(out + 75, m->device_time);
    memcpy(out + 83, m->chain_head, 32);
}

void csm_encode_bind_msg(const csm_bind_msg *m, uint8_t out[CSM_BIND_MSG_SIZE]) {
    memcpy(out, "CSM-BIND-v1", 11);
    memcpy(out + 11, m->device, 20);
    memcpy(out + 31, m->wallet, 32);
    memcpy(out + 63, m->deployment_id, 32);
    csm_put_be32(out + 95, m->seq);
    csm_put_be64(out + 99, m->energy_mwh);
    csm_put_be64(out + 107, m->device_time);
    csm_put_be16(out + 115, m->region);
}

void csm_encode_attestation_msg(const uint8_t device[20], uint32_t rated_power_w, uint16_t hw_class,
                                uint64_t serial, uint8_t out[CSM_ATTEST_MSG_SIZE]) {
    memcpy(out, "CSM-ATTEST-v1", 13);
    memcpy(out + 13, device, 20);
    csm_put_be32(out + 33, rated_power_w);
    csm_put_be16(out + 37, hw_class);
    csm_put_be64(out + 39, serial);
}
