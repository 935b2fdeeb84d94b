/* Keccak-256 (Ethereum's, padding 0x01, not SHA3-256) over XKCP's KeccakP-1600 sponge. */
#ifndef CSM_KECCAK_H
#define CSM_KECCAK_H
#include <stddef.h>
#include <stdint.h>

/* Opaque, large and aligned enough for XKCP's Keccak_HashInstance (checked in keccak_xkcp.c). */
typedef struct csm_keccak {
    uint64_t opaque[30];
} csm_keccak;

void csm_keccak_init(csm_keccak *k);
void csm_keccak_update(csm_keccak *k, const uint8_t *data, size_t len);
void csm_keccak_final(csm_keccak *k, uint8_t out[32]);
void csm_keccak256(const uint8_t *data, size_t len, uint8_t out[32]);
#endif
