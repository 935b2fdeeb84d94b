/* Persistent device state in a wear-levelled log of fixed records in flash.
 *
 * Every commit appends a complete snapshot (checkpoint seq, boot count, energy, binding) with a
 * generation number and a CRC-32C; the newest valid record wins on boot. Records fill a sector, then
 * the next sector (round robin) is erased and used, so wear spreads over all sectors and the sector
 * holding the newest record is never erased. A write cut by power loss leaves a record whose CRC fails:
 * it is skipped, and the previous record still stands. The device only uses a checkpoint seq after
 * the commit that reserves it has been read back, so a seq can be skipped but never repeated. */
#ifndef CSM_STORE_H
#define CSM_STORE_H
#include <stdint.h>

#include "csm/hal.h"

#define CSM_STORE_RECORD 72u
#define CSM_STATE_BOUND 1u

typedef struct csm_state {
    uint32_t checkpoint_seq; /* last seq used (0: none yet; the first checkpoint uses 1) */
    uint32_t boot_count;
    uint64_t energy_mwh;
    uint64_t energy_rem;
    uint32_t flags;
    uint8_t deployment_id[32];
} csm_state;

typedef struct csm_store {
    const csm_flash *flash;
    uint32_t generation;   /* of the newest valid record */
    uint32_t next_sector;  /* where the next record goes */
    uint32_t next_slot;
    uint32_t slots_per_sector;
    uint32_t writes, erases, failed_writes;
} csm_store;

/* Scans the flash. Returns 1 and fills *st with the newest record, 0 for a blank store (*st zeroed),
 * or -1 when the flash cannot be read or holds fewer than 2 sectors of at least one record. */
int csm_store_open(csm_store *s, const csm_flash *flash, csm_state *st);
/* Appends a snapshot; returns 0 only after the record reads back intact. */
int csm_store_commit(csm_store *s, const csm_state *st);
#endif
