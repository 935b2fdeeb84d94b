#include "csm/cobs.h"

void csm_cobs_enc_begin(csm_cobs_enc *e, uint8_t *(*at)(void *, size_t), void *sink, size_t start) {
    e->at = at;
    e->sink = sink;
    e->start = start;
    e->code_pos = start;
    e->pos = start + 1;
    e->code = 1;
    e->after_full = 0;
}

static void close_block(csm_cobs_enc *e, uint8_t full) {
    *e->at(e->sink, e->code_pos) = e->code;
    e->code_pos = e->pos++;
    e->code = 1;
    e->after_full = full;
}

void csm_cobs_enc_put(csm_cobs_enc *e, const uint8_t *data, size_t len) {
    for (size_t k = 0; k < len; k++) {
        uint8_t b = data[k];
        if (b == 0) {
            close_block(e, 0);
            continue;
        }
        *e->at(e->sink, e->pos++) = b;
        e->after_full = 0;
        if (++e->code == 0xFF) close_block(e, 1);
    }
}

size_t csm_cobs_enc_end(csm_cobs_enc *e) {
    /* A full 254-byte block at the very end needs no trailing empty block (Cheshire & Baker). */
    if (e->code == 1 && e->after_full) return e->code_pos - e->start;
    *e->at(e->sink, e->code_pos) = e->code;
    return e->pos - e->start;
}

static uint8_t *flat_at(void *sink, size_t pos) { return (uint8_t *)sink + pos; }

size_t csm_cobs_encode(const uint8_t *in, size_t len, uint8_t *out) {
    csm_cobs_enc e;
    csm_cobs_enc_begin(&e, flat_at, out, 0);
    csm_cobs_enc_put(&e, in, len);
    return csm_cobs_enc_end(&e);
}

long csm_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap) {
    size_t i = 0, o = 0;
    while (i < len) {
        uint8_t code = in[i++];
        if (code == 0 || i + code - 1 > len) return -1;
        for (uint8_t k = 1; k < code; k++) {
            if (in[i] == 0 || o >= out_cap) return -1;
            out[o++] = in[i++];
        }
        if (code != 0xFF && i < len) {
            if (o >= out_cap) return -1;
            out[o++] = 0;
        }
    }
    return (long)o;
}
