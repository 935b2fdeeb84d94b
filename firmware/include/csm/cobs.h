/* Consistent Overhead Byte Stuffing (Cheshire & Baker 1999): no 0x00 inside an encoded frame. */
#ifndef CSM_COBS_H
#define CSM_COBS_H
#include <stddef.h>
#include <stdint.h>

/* Worst-case encoded length of n bytes (without the 0x00 delimiter). */
#define CSM_COBS_MAX_ENCODED(n) ((n) + (n) / 254u + 1u)

/* Streaming encoder that writes through a callback-free cursor into any byte sink that supports
 * back-patching of one code byte: used by the TX ring (txbuf.c) and by the one-shot encoder. */
typedef struct csm_cobs_enc {
    uint8_t *(*at)(void *sink, size_t pos); /* address of logical output position pos */
    void *sink;
    size_t start;    /* logical position of the first output byte */
    size_t pos;      /* next logical output position */
    size_t code_pos; /* where the current block's code byte goes */
    uint8_t code;    /* 1 + bytes in the current block */
    uint8_t after_full; /* previous block ended at 254 data bytes, not at a zero */
} csm_cobs_enc;

void csm_cobs_enc_begin(csm_cobs_enc *e, uint8_t *(*at)(void *, size_t), void *sink, size_t start);
void csm_cobs_enc_put(csm_cobs_enc *e, const uint8_t *data, size_t len);
/* Closes the last block; returns the encoded length (delimiter not included). */
size_t csm_cobs_enc_end(csm_cobs_enc *e);

/* One-shot into a flat buffer of at least CSM_COBS_MAX_ENCODED(len) bytes. */
size_t csm_cobs_encode(const uint8_t *in, size_t len, uint8_t *out);
/* Decodes an encoded frame (no delimiter); returns decoded length or -1 on a malformed input
 * (0x00 inside, code past the end, or output longer than out_cap). */
long csm_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap);
#endif
