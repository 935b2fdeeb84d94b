#include "csm/txbuf.h"

#include "csm/bytes.h"
#include "csm/cobs.h"
#include "csm/crc32c.h"
#include "csm/frame.h"

void csm_txbuf_init(csm_txbuf *t, uint8_t *storage, size_t cap) {
    t->buf = storage;
    t->cap = cap;
    t->head = t->tail = t->used = 0;
    t->dropped_frames = 0;
    t->dropped_bytes = 0;
    t->total_dropped_frames = 0;
    t->high_water = 0;
}

size_t csm_frame_wire_max(size_t payload_len) {
    return CSM_COBS_MAX_ENCODED(CSM_FRAME_OVERHEAD + payload_len) + 1;
}

size_t csm_txbuf_free(const csm_txbuf *t) { return t->cap - t->used; }

/* Logical positions run from head up to head + frame length < 2 * cap. */
static uint8_t *ring_at(void *sink, size_t pos) {
    csm_txbuf *t = sink;
    return &t->buf[pos >= t->cap ? pos - t->cap : pos];
}

bool csm_txbuf_frame(csm_txbuf *t, uint8_t type, uint32_t seq, const csm_iov *iov, size_t niov,
                     size_t reserve) {
    size_t payload_len = 0;
    for (size_t k = 0; k < niov; k++) payload_len += iov[k].n;
    size_t worst = csm_frame_wire_max(payload_len);
    if (payload_len + CSM_FRAME_OVERHEAD > CSM_MAX_FRAME || worst + reserve > csm_txbuf_free(t)) {
        /* TX_OVERFLOW reports payload bytes (PROTOCOL.md 3.4 vector: two 1024-sample blocks =
         * 2 x 8216); the seq gap tells the host the frame count. */
        t->dropped_frames++;
        t->total_dropped_frames++;
        t->dropped_bytes += payload_len;
        return false;
    }
    uint8_t header[CSM_FRAME_HEADER];
    header[0] = CSM_PROTOCOL_VERSION;
    header[1] = type;
    csm_put_le32(header + 2, seq);
    uint32_t crc = csm_crc32c_update(CSM_CRC32C_INIT, header, sizeof header);
    csm_cobs_enc e;
    csm_cobs_enc_begin(&e, ring_at, t, t->head);
    csm_cobs_enc_put(&e, header, sizeof header);
    for (size_t k = 0; k < niov; k++) {
        crc = csm_crc32c_update(crc, iov[k].p, iov[k].n);
        csm_cobs_enc_put(&e, iov[k].p, iov[k].n);
    }
    uint8_t tail[4];
    csm_put_le32(tail, crc ^ 0xFFFFFFFFu);
    csm_cobs_enc_put(&e, tail, sizeof tail);
    size_t len = csm_cobs_enc_end(&e);
    *ring_at(t, t->head + len) = 0x00;
    len += 1;
    t->head += len;
    if (t->head >= t->cap) t->head -= t->cap;
    t->used += len;
    if (t->used > t->high_water) t->high_water = t->used;
    return true;
}

size_t csm_txbuf_peek(const csm_txbuf *t, const uint8_t **p) {
    *p = &t->buf[t->tail];
    size_t contiguous = t->cap - t->tail;
    return t->used < contiguous ? t->used : contiguous;
}

void csm_txbuf_consume(csm_txbuf *t, size_t n) {
    if (n > t->used) n = t->used;
    t->tail += n;
    if (t->tail >= t->cap) t->tail -= t->cap;
    t->used -= n;
}
