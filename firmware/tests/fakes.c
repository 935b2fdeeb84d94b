#include "fakes.h"

#include <stdlib.h>
#include <string.h>

#include "csm/bytes.h"
#include "csm/cobs.h"
#include "csm/crc32c.h"

static uint64_t clock_now(void *ctx) { return ((fake_clock *)ctx)->now_ns; }
void fake_clock_hal(fake_clock *c, csm_clock *out) {
    out->ctx = c;
    out->now_ns = clock_now;
}

void fake_link_init(fake_link *l, size_t cap) {
    memset(l, 0, sizeof *l);
    l->out = malloc(cap);
    l->out_cap = cap;
    l->accept_per_call = SIZE_MAX;
}
void fake_link_free(fake_link *l) { free(l->out); }

static size_t link_write(void *ctx, const uint8_t *buf, size_t len) {
    fake_link *l = ctx;
    size_t n = len < l->accept_per_call ? len : l->accept_per_call;
    if (n > l->out_cap - l->out_len) n = l->out_cap - l->out_len;
    memcpy(l->out + l->out_len, buf, n);
    l->out_len += n;
    return n;
}
static size_t link_read(void *ctx, uint8_t *buf, size_t cap) {
    fake_link *l = ctx;
    size_t n = l->in_len - l->in_pos;
    if (n > cap) n = cap;
    memcpy(buf, l->in + l->in_pos, n);
    l->in_pos += n;
    if (l->in_pos == l->in_len) l->in_pos = l->in_len = 0;
    return n;
}
void fake_link_hal(fake_link *l, csm_transport *out) {
    out->ctx = l;
    out->write = link_write;
    out->read = link_read;
}
void fake_link_command(fake_link *l, uint8_t type, uint32_t seq, const uint8_t *payload, size_t len) {
    uint8_t raw[128], enc[160];
    raw[0] = 1;
    raw[1] = type;
    csm_put_le32(raw + 2, seq);
    memcpy(raw + 6, payload, len);
    csm_put_le32(raw + 6 + len, csm_crc32c(raw, 6 + len));
    size_t n = csm_cobs_encode(raw, 10 + len, enc);
    memcpy(l->in + l->in_len, enc, n);
    l->in_len += n;
    l->in[l->in_len++] = 0;
}

void fake_flash_init(fake_flash *f, uint32_t sector_size, uint32_t sectors) {
    memset(f, 0, sizeof *f);
    f->mem = malloc((size_t)sector_size * sectors);
    memset(f->mem, 0xFF, (size_t)sector_size * sectors);
    f->sector_size = sector_size;
    f->sectors = sectors;
    f->budget = -1;
}
void fake_flash_free(fake_flash *f) { free(f->mem); }
void fake_flash_power_on(fake_flash *f) {
    f->dead = 0;
    f->budget = -1;
}

/* Spends one byte of the power budget; returns 0 when the power fails at this byte. */
static int spend(fake_flash *f) {
    if (f->budget < 0) return 1;
    if (f->budget == 0) {
        f->dead = 1;
        return 0;
    }
    f->budget--;
    return 1;
}

static int flash_read(void *ctx, uint32_t off, uint8_t *buf, uint32_t len) {
    fake_flash *f = ctx;
    if ((uint64_t)off + len > (uint64_t)f->sector_size * f->sectors) return -1;
    memcpy(buf, f->mem + off, len);
    return 0;
}
static int flash_program(void *ctx, uint32_t off, const uint8_t *buf, uint32_t len) {
    fake_flash *f = ctx;
    if (f->dead || off % 4 || len % 4 || (uint64_t)off + len > (uint64_t)f->sector_size * f->sectors) return -1;
    for (uint32_t k = 0; k < len; k++) {
        if (!spend(f)) {
            f->mem[off + k] &= (uint8_t)(buf[k] | 0xF0); /* torn byte: only the low bits got cleared */
            return -1;
        }
        f->mem[off + k] &= buf[k]; /* NOR: programming clears bits only */
        f->bytes_programmed++;
    }
    return 0;
}
static int flash_erase(void *ctx, uint32_t sector) {
    fake_flash *f = ctx;
    if (f->dead || sector >= f->sectors) return -1;
    uint8_t *s = f->mem + (size_t)sector * f->sector_size;
    for (uint32_t k = 0; k < f->sector_size; k++) {
        if (!spend(f)) return -1; /* partially erased sector */
        s[k] = 0xFF;
    }
    f->erase_count[sector]++;
    return 0;
}
void fake_flash_hal(fake_flash *f, csm_flash *out) {
    out->ctx = f;
    out->sector_size = f->sector_size;
    out->sectors = f->sectors;
    out->read = flash_read;
    out->program = flash_program;
    out->erase = flash_erase;
}

void fake_ina228_init(fake_ina228 *f) {
    memset(f, 0, sizeof *f);
    f->manufacturer_id = CSM_INA228_MANUFACTURER_TI;
    f->device_id = 0x2281;
}
static int ina_write(void *ctx, uint8_t addr, const uint8_t *buf, size_t len) {
    fake_ina228 *f = ctx;
    if (f->nak || addr != CSM_INA228_ADDR || len < 1) return -1;
    f->last_reg = buf[0];
    if (len == 3) {
        uint16_t v = (uint16_t)(buf[1] << 8 | buf[2]);
        f->written[buf[0] & 0x3F] = v;
        if (buf[0] == CSM_INA228_REG_CONFIG && (v & CSM_INA228_CONFIG_RSTACC)) {
            memset(f->regs[CSM_INA228_REG_ENERGY], 0, 5);
            memset(f->regs[CSM_INA228_REG_CHARGE], 0, 5);
        }
        f->regs[buf[0] & 0x3F][0] = buf[1];
        f->regs[buf[0] & 0x3F][1] = buf[2];
        f->writes++;
    }
    return 0;
}
static int ina_write_read(void *ctx, uint8_t addr, const uint8_t *w, size_t wlen, uint8_t *r, size_t rlen) {
    fake_ina228 *f = ctx;
    if (f->nak || addr != CSM_INA228_ADDR || wlen != 1) return -1;
    uint8_t reg = w[0] & 0x3F;
    f->reads++;
    if (reg == CSM_INA228_REG_MANUFACTURER_ID) {
        r[0] = (uint8_t)(f->manufacturer_id >> 8);
        r[1] = (uint8_t)f->manufacturer_id;
        return 0;
    }
    if (reg == CSM_INA228_REG_DEVICE_ID) {
        r[0] = (uint8_t)(f->device_id >> 8);
        r[1] = (uint8_t)f->device_id;
        return 0;
    }
    memcpy(r, f->regs[reg], rlen > 5 ? 5 : rlen);
    return 0;
}
void fake_ina228_bus(fake_ina228 *f, csm_i2c *out) {
    out->ctx = f;
    out->write = ina_write;
    out->write_read = ina_write_read;
}
void fake_ina228_set24(fake_ina228 *f, uint8_t reg, int32_t code20) {
    uint32_t raw = ((uint32_t)code20 & 0xFFFFFu) << 4;
    f->regs[reg][0] = (uint8_t)(raw >> 16);
    f->regs[reg][1] = (uint8_t)(raw >> 8);
    f->regs[reg][2] = (uint8_t)raw;
}
void fake_ina228_set40(fake_ina228 *f, uint8_t reg, uint64_t raw) {
    for (int k = 0; k < 5; k++) f->regs[reg][k] = (uint8_t)(raw >> (32 - 8 * k));
}

void frame_log_decode(frame_log *log, const uint8_t *bytes, size_t len) {
    static uint8_t enc[CSM_COBS_MAX_ENCODED(CSM_MAX_FRAME) + 8], raw[CSM_MAX_FRAME + 8];
    csm_rx rx;
    csm_rx_init(&rx, enc, sizeof enc, raw, sizeof raw);
    for (size_t k = 0; k < len; k++) {
        if (csm_rx_byte(&rx, bytes[k]) != CSM_RX_FRAME) continue;
        if (log->count == log->cap) {
            log->cap = log->cap ? 2 * log->cap : 64;
            log->frames = realloc(log->frames, log->cap * sizeof *log->frames);
        }
        frame_rec *f = &log->frames[log->count++];
        f->type = rx.type;
        f->seq = rx.seq;
        f->len = rx.payload_len;
        f->payload = malloc(rx.payload_len ? rx.payload_len : 1);
        memcpy(f->payload, rx.payload, rx.payload_len);
    }
    log->stats = rx.stats;
}
void frame_log_free(frame_log *log) {
    for (size_t k = 0; k < log->count; k++) free(log->frames[k].payload);
    free(log->frames);
    memset(log, 0, sizeof *log);
}
