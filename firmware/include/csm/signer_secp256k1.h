/* Software device key: libsecp256k1 (RFC 6979 deterministic nonces, low-s) behind csm_signer.
 * The key lives in RAM/flash of the MCU; a secure element would implement csm_signer instead. */
#ifndef CSM_SIGNER_SECP256K1_H
#define CSM_SIGNER_SECP256K1_H
#include "csm/hal.h"

typedef struct csm_soft_key {
    uint8_t secret[32];
    uint8_t address[20];
    int ready;
} csm_soft_key;

/* Derives the public key and address; returns 0, or -1 for an invalid secret. */
int csm_soft_key_init(csm_soft_key *key, const uint8_t secret[32]);
/* Fills a csm_signer that signs with `key`. */
void csm_soft_key_signer(csm_soft_key *key, csm_signer *out);
/* Address that signed `digest` (host tests, and self-check after signing); 0 on success. */
int csm_recover_address(const uint8_t digest[32], const uint8_t sig[65], uint8_t out[20]);
#endif
