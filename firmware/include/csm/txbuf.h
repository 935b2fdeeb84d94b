/* Bounded transmit ring holding whole encoded frames. A frame is either queued complete or not at
 * all: when it does not fit it is dropped and counted, so the link never carries a torn frame, and
 * the device reports the loss in a TX_OVERFLOW EVENT once space returns (PROTOCOL.md 3.4). */
#ifndef CSM_TXBUF_H
#define CSM_TXBUF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct csm_txbuf {
    uint8_t *buf;
    size_t cap;
    size_t head; /* next write index, < cap */
    size_t tail; /* next read index, < cap */
    size_t used;
    uint32_t dropped_frames;  /* not yet reported */
    uint64_t dropped_bytes;   /* not yet reported, payload bytes */
    uint32_t total_dropped_frames;
    size_t high_water;
} csm_txbuf;

/* A payload given as up to three pieces, so a SAMPLE_BLOCK is framed straight from its buffers. */
typedef struct csm_iov {
    const uint8_t *p;
    size_t n;
} csm_iov;

void csm_txbuf_init(csm_txbuf *t, uint8_t *storage, size_t cap);
/* Worst-case wire size of a frame with an n-byte payload (header, CRC, COBS, delimiter). */
size_t csm_frame_wire_max(size_t payload_len);
/* Encodes and queues one frame if at least its worst-case size plus `reserve` bytes are free.
 * Returns false and counts the dropped frame and its payload bytes otherwise. */
bool csm_txbuf_frame(csm_txbuf *t, uint8_t type, uint32_t seq, const csm_iov *iov, size_t niov,
                     size_t reserve);
size_t csm_txbuf_free(const csm_txbuf *t);
/* Contiguous bytes ready to send starting at *p; consume what the link accepted. */
size_t csm_txbuf_peek(const csm_txbuf *t, const uint8_t **p);
void csm_txbuf_consume(csm_txbuf *t, size_t n);
#endif
