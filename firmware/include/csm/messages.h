/* Payload encoders for PROTOCOL.md section 3 (little-endian) and the signed messages of section 4
 * (big-endian, fixed length). Pure functions over byte buffers: the vectors test them directly. */
#ifndef CSM_MESSAGES_H
#define CSM_MESSAGES_H
#include <stddef.h>
#include <stdint.h>

#define CSM_HELLO_SIZE 232u
#define CSM_BLOCK_HEADER 24u
#define CSM_MAX_BLOCK_SAMPLES 2000u
#define CSM_EVENT_SIZE 24u
#define CSM_ACK_SIZE 8u
#define CSM_CKPT_MSG_SIZE 115u
#define CSM_BIND_MSG_SIZE 117u
#define CSM_ATTEST_MSG_SIZE 47u
#define CSM_SIG_SIZE 65u
#define CSM_BIND_REQUEST_SIZE 66u

enum csm_event_code {
    CSM_EV_RESET = 1, CSM_EV_BROWN_OUT = 2, CSM_EV_OVER_CURRENT = 3, CSM_EV_TAMPER = 4,
    CSM_EV_TX_OVERFLOW = 5, CSM_EV_TIME_SYNCED = 6, CSM_EV_RATE_CHANGED = 7, CSM_EV_SENSOR_FAULT = 8,
    CSM_EV_ENERGY_MISMATCH = 9,
};
enum csm_ack_status { CSM_ACK_OK = 0, CSM_ACK_BAD_LENGTH = 1, CSM_ACK_BAD_VALUE = 2, CSM_ACK_BUSY = 3,
                      CSM_ACK_NOT_SUPPORTED = 4 };
#define CSM_BLOCK_FLAG_V_CLIPPED 1u
#define CSM_BLOCK_FLAG_I_CLIPPED 2u
#define CSM_BLOCK_FLAG_TIME_SYNCED 4u

typedef struct csm_hello {
    uint8_t device[20];
    uint8_t fw_version[3];
    uint8_t flags;
    uint16_t hw_version, hw_class;
    uint32_t rated_power_w, sample_rate_hz;
    double v_lsb, i_lsb;
    char calibration_id[16];
    uint32_t boot_count, checkpoint_seq, checkpoint_interval_s;
    uint8_t deployment_id[32];
    uint64_t uptime_us;
    const uint8_t *attestation; /* 47-byte message + 65-byte manufacturer signature */
} csm_hello;

typedef struct csm_checkpoint_msg {
    uint8_t device[20];
    uint8_t deployment_id[32];
    uint32_t seq;
    uint64_t energy_mwh, device_time;
    uint8_t chain_head[32];
} csm_checkpoint_msg;

typedef struct csm_bind_msg {
    uint8_t device[20];
    uint8_t wallet[32];
    uint8_t deployment_id[32];
    uint32_t seq;
    uint64_t energy_mwh, device_time;
    uint16_t region;
} csm_bind_msg;

void csm_encode_hello(const csm_hello *h, uint8_t out[CSM_HELLO_SIZE]);
void csm_encode_block_header(uint8_t out[CSM_BLOCK_HEADER], uint64_t first_sample, uint64_t t0_us,
                             uint32_t period_ns, uint16_t count, uint16_t flags);
void csm_encode_event(uint8_t out[CSM_EVENT_SIZE], uint16_t code, uint8_t severity, uint32_t arg0,
                      uint64_t arg1, uint64_t t_us);
void csm_encode_ack(uint8_t out[CSM_ACK_SIZE], uint8_t command_type, uint8_t status, uint32_t command_seq);
void csm_encode_checkpoint_msg(const csm_checkpoint_msg *m, uint8_t out[CSM_CKPT_MSG_SIZE]);
void csm_encode_bind_msg(const csm_bind_msg *m, uint8_t out[CSM_BIND_MSG_SIZE]);
void csm_encode_attestation_msg(const uint8_t device[20], uint32_t rated_power_w, uint16_t hw_class,
                                uint64_t serial, uint8_t out[CSM_ATTEST_MSG_SIZE]);
#endif
