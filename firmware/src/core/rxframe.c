#include "csm/bytes.h"
#include "csm/cobs.h"
#include "csm/crc32c.h"
#include "csm/frame.h"

void csm_rx_init(csm_rx *r, uint8_t *enc, size_t enc_cap, uint8_t *raw, size_t raw_cap) {
    r->enc = enc;
    r->enc_cap = enc_cap;
    r->enc_len = 0;
    r->raw = raw;
    r->raw_cap = raw_cap;
    r->overflowed = 0;
    r->stats = (csm_rx_stats){0};
    r->payload = 0;
    r->payload_len = 0;
}

static csm_rx_result bad(csm_rx *r, uint32_t *counter, size_t lost) {
    (*counter)++;
    r->stats.bytes_discarded += (uint32_t)lost;
    return CSM_RX_BAD;
}

csm_rx_result csm_rx_byte(csm_rx *r, uint8_t b) {
    if (b != 0) {
        if (r->enc_len < r->enc_cap) r->enc[r->enc_len++] = b;
        else r->overflowed++;
        return CSM_RX_NONE;
    }
    size_t n = r->enc_len;
    int overflowed = r->overflowed;
    r->enc_len = 0;
    r->overflowed = 0;
    if (n == 0 && !overflowed) return CSM_RX_NONE; /* empty frame: two delimiters in a row */
    if (overflowed) return bad(r, &r->stats.too_long, n + (size_t)overflowed + 1);
    long m = csm_cobs_decode(r->enc, n, r->raw, r->raw_cap);
    if (m < 0) return bad(r, m == -1 && n > r->raw_cap ? &r->stats.too_long : &r->stats.cobs_errors, n + 1);
    if ((size_t)m < CSM_FRAME_OVERHEAD) return bad(r, &r->stats.too_short, n + 1);
    if ((size_t)m > CSM_MAX_FRAME) return bad(r, &r->stats.too_long, n + 1);
    size_t body = (size_t)m - CSM_FRAME_CRC;
    if (csm_crc32c(r->raw, body) != csm_get_le32(r->raw + body)) return bad(r, &r->stats.crc_errors, n + 1);
    if (r->raw[0] != CSM_PROTOCOL_VERSION) return bad(r, &r->stats.unsupported_version, n + 1);
    r->type = r->raw[1];
    r->seq = csm_get_le32(r->raw + 2);
    r->payload = r->raw + CSM_FRAME_HEADER;
    r->payload_len = body - CSM_FRAME_HEADER;
    r->stats.frames++;
    return CSM_RX_FRAME;
}
