/* Frame constants (PROTOCOL.md 1 and 3) and the receive-side decoder used for host commands on the
 * device and for device output in host tests. */
#ifndef CSM_FRAME_H
#define CSM_FRAME_H
#include <stddef.h>
#include <stdint.h>

#define CSM_PROTOCOL_VERSION 1u
#define CSM_FRAME_HEADER 6u
#define CSM_FRAME_CRC 4u
#define CSM_FRAME_OVERHEAD (CSM_FRAME_HEADER + CSM_FRAME_CRC)
#define CSM_MAX_FRAME 16384u

enum csm_msg_type {
    CSM_T_HELLO = 0x01, CSM_T_SAMPLE_BLOCK = 0x02, CSM_T_CHECKPOINT = 0x03, CSM_T_EVENT = 0x04,
    CSM_T_ACK = 0x05, CSM_T_BIND_SIGNATURE = 0x06,
    CSM_T_GET_INFO = 0x81, CSM_T_SET_RATE = 0x82, CSM_T_REQUEST_CHECKPOINT = 0x83,
    CSM_T_TIME_SYNC = 0x84, CSM_T_BIND_REQUEST = 0x85,
};

typedef enum csm_rx_result {
    CSM_RX_NONE = 0,      /* need more bytes */
    CSM_RX_FRAME,         /* a checked frame is in the decoder */
    CSM_RX_BAD,           /* a frame was counted and dropped */
} csm_rx_result;

typedef struct csm_rx_stats {
    uint32_t frames, cobs_errors, crc_errors, too_short, too_long, unsupported_version;
    uint32_t bytes_discarded;
} csm_rx_stats;

typedef struct csm_rx {
    uint8_t *enc;   /* encoded bytes of the frame being received */
    size_t enc_cap, enc_len;
    uint8_t *raw;   /* decoded frame */
    size_t raw_cap;
    int overflowed; /* current frame grew past enc_cap: drop it at the next delimiter */
    csm_rx_stats stats;
    /* valid after CSM_RX_FRAME */
    uint8_t type;
    uint32_t seq;
    const uint8_t *payload;
    size_t payload_len;
} csm_rx;

void csm_rx_init(csm_rx *r, uint8_t *enc, size_t enc_cap, uint8_t *raw, size_t raw_cap);
/* Feeds one byte; returns CSM_RX_FRAME when a delimiter completes a good frame. */
csm_rx_result csm_rx_byte(csm_rx *r, uint8_t b);
#endif
