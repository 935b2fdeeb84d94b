#include "csm/store.h"

#include <string.h>

#include "csm/bytes.h"
#include "csm/crc32c.h"

#define MAGIC 0x53534D43u /* "CMSS" little-endian: Carbon smart Meter State */
#define MAX_TRIES 4u

static void encode(const csm_state *st, uint32_t generation, uint8_t r[CSM_STORE_RECORD]) {
    csm_put_le32(r, MAGIC);
    csm_put_le32(r + 4, generation);
    csm_put_le32(r + 8, st->checkpoint_seq);
    csm_put_le32(r + 12, st->boot_count);
    csm_put_le64(r + 16, st->energy_mwh);
    csm_put_le64(r + 24, st->energy_rem);
    csm_put_le32(r + 32, st->flags);
    memcpy(r + 36, st->deployment_id, 32);
    csm_put_le32(r + 68, csm_crc32c(r, 68));
}

static int decode(const uint8_t r[CSM_STORE_RECORD], csm_state *st, uint32_t *generation) {
    if (csm_get_le32(r) != MAGIC || csm_get_le32(r + 68) != csm_crc32c(r, 68)) return 0;
    *generation = csm_get_le32(r + 4);
    st->checkpoint_seq = csm_get_le32(r + 8);
    st->boot_count = csm_get_le32(r + 12);
    st->energy_mwh = csm_get_le64(r + 16);
    st->energy_rem = csm_get_le64(r + 24);
    st->flags = csm_get_le32(r + 32);
    memcpy(st->deployment_id, r + 36, 32);
    return 1;
}

static int blank(const uint8_t *r) {
    for (uint32_t k = 0; k < CSM_STORE_RECORD; k++)
        if (r[k] != 0xFF) return 0;
    return 1;
}

static uint32_t offset_of(const csm_store *s, uint32_t sector, uint32_t slot) {
    return sector * s->flash->sector_size + slot * CSM_STORE_RECORD;
}

/* Generations compare with wrap-around (serial-number arithmetic), like frame seqs. */
static int newer(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

int csm_store_open(csm_store *s, const csm_flash *flash, csm_state *st) {
    memset(s, 0, sizeof *s);
    memset(st, 0, sizeof *st);
    s->flash = flash;
    s->slots_per_sector = flash->sector_size / CSM_STORE_RECORD;
    if (flash->sectors < 2 || s->slots_per_sector == 0) return -1;
    int found = 0;
    uint32_t best_sector = 0, best_slot = 0;
    uint8_t r[CSM_STORE_RECORD];
    for (uint32_t sec = 0; sec < flash->sectors; sec++) {
        for (uint32_t slot = 0; slot < s->slots_per_sector; slot++) {
            if (flash->read(flash->ctx, offset_of(s, sec, slot), r, sizeof r) != 0) return -1;
            csm_state cand;
            uint32_t gen;
            if (!decode(r, &cand, &gen)) continue;
            if (!found || newer(gen, s->generation)) {
                found = 1;
                s->generation = gen;
                *st = cand;
                best_sector = sec;
                best_slot = slot;
            }
        }
    }
    if (!found) {
        s->next_sector = 0;
        s->next_slot = s->slots_per_sector; /* forces an erase of sector 0 before the first write */
        s->generation = 0;
        return 0;
    }
    s->next_sector = best_sector;
    s->next_slot = best_slot + 1;
    return 1;
}

/* Next slot that is still blank in the current sector; moving on erases the next sector. */
static int next_blank_slot(csm_store *s, uint32_t *sector, uint32_t *slot) {
    const csm_flash *f = s->flash;
    uint8_t r[CSM_STORE_RECORD];
    while (s->next_slot < s->slots_per_sector) {
        if (f->read(f->ctx, offset_of(s, s->next_sector, s->next_slot), r, sizeof r) != 0) return -1;
        if (blank(r)) {
            *sector = s->next_sector;
            *slot = s->next_slot;
            return 0;
        }
        s->next_slot++; /* a torn or foreign record: never program over it */
    }
    uint32_t sec = s->next_slot == s->slots_per_sector && s->generation == 0 && s->writes == 0
                       ? s->next_sector
                       : (s->next_sector + 1) % f->sectors;
    if (f->erase(f->ctx, sec) != 0) return -1;
    s->erases++;
    s->next_sector = sec;
    s->next_slot = 0;
    *sector = sec;
    *slot = 0;
    return 0;
}

int csm_store_commit(csm_store *s, const csm_state *st) {
    const csm_flash *f = s->flash;
    uint8_t r[CSM_STORE_RECORD], back[CSM_STORE_RECORD];
    for (uint32_t attempt = 0; attempt < MAX_TRIES; attempt++) {
        uint32_t sector, slot;
        if (next_blank_slot(s, &sector, &slot) != 0) return -1;
        uint32_t gen = s->generation + 1;
        encode(st, gen, r);
        uint32_t off = offset_of(s, sector, slot);
        int ok = f->program(f->ctx, off, r, sizeof r) == 0 && f->read(f->ctx, off, back, sizeof back) == 0 &&
                 memcmp(r, back, sizeof r) == 0;
        s->next_slot = slot + 1;
        if (ok) {
            s->generation = gen;
            s->writes++;
            return 0;
        }
        s->failed_writes++;
    }
    return -1;
}
