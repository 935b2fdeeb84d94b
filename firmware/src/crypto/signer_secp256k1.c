#include "csm/signer_secp256k1.h"

#include <string.h>

#include "csm/keccak.h"
#include "secp256k1.h"
#include "secp256k1_preallocated.h"
#include "secp256k1_recovery.h"

/* One signing context in static memory: no heap on the MCU. libsecp256k1 0.2 keeps its tables in
 * flash, so the context itself is a few hundred bytes. */
static uint64_t ctx_storage[128];
static secp256k1_context *ctx;

/* Built with USE_EXTERNAL_DEFAULT_CALLBACKS: an illegal argument or internal error is a firmware bug;
 * stop rather than sign something wrong (the watchdog resets a real board). */
void secp256k1_default_illegal_callback_fn(const char *msg, void *data);
void secp256k1_default_error_callback_fn(const char *msg, void *data);
void secp256k1_default_illegal_callback_fn(const char *msg, void *data) {
    (void)msg;
    (void)data;
    for (;;) {
    }
}
void secp256k1_default_error_callback_fn(const char *msg, void *data) {
    (void)msg;
    (void)data;
    for (;;) {
    }
}

static secp256k1_context *context(void) {
    if (!ctx) {
        size_t need = secp256k1_context_preallocated_size(SECP256K1_CONTEXT_NONE);
        if (need > sizeof ctx_storage) return 0;
        ctx = secp256k1_context_preallocated_create(ctx_storage, SECP256K1_CONTEXT_NONE);
    }
    return ctx;
}

static void address_of(const secp256k1_pubkey *pk, uint8_t out[20]) {
    uint8_t ser[65], h[32];
    size_t len = sizeof ser;
    secp256k1_ec_pubkey_serialize(context(), ser, &len, pk, SECP256K1_EC_UNCOMPRESSED);
    csm_keccak256(ser + 1, 64, h); /* Ethereum address: keccak of X || Y without the 0x04 prefix */
    memcpy(out, h + 12, 20);
}

int csm_soft_key_init(csm_soft_key *key, const uint8_t secret[32]) {
    secp256k1_pubkey pk;
    key->ready = 0;
    if (!context() || !secp256k1_ec_pubkey_create(ctx, &pk, secret)) return -1;
    memcpy(key->secret, secret, 32);
    address_of(&pk, key->address);
    key->ready = 1;
    return 0;
}

static int soft_address(void *c, uint8_t out[20]) {
    csm_soft_key *key = c;
    if (!key->ready) return -1;
    memcpy(out, key->address, 20);
    return 0;
}

static int soft_sign(void *c, const uint8_t digest[32], uint8_t sig[65]) {
    csm_soft_key *key = c;
    secp256k1_ecdsa_recoverable_signature rs;
    int recid = 0;
    if (!key->ready) return -1;
    /* NULL nonce function = RFC 6979 with HMAC-SHA256, as coincurve's sign_recoverable uses, so the
     * same key and digest give byte-identical signatures on the device and in Python. */
    if (!secp256k1_ecdsa_sign_recoverable(ctx, &rs, digest, key->secret, NULL, NULL)) return -1;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, sig, &recid, &rs);
    sig[64] = (uint8_t)recid;
    return 0;
}

void csm_soft_key_signer(csm_soft_key *key, csm_signer *out) {
    out->ctx = key;
    out->address = soft_address;
    out->sign = soft_sign;
}

int csm_recover_address(const uint8_t digest[32], const uint8_t sig[65], uint8_t out[20]) {
    secp256k1_ecdsa_recoverable_signature rs;
    secp256k1_pubkey pk;
    if (!context() || sig[64] > 1) return -1;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs, sig, sig[64])) return -1;
    if (!secp256k1_ecdsa_recover(ctx, &pk, &rs, digest)) return -1;
    address_of(&pk, out);
    return 0;
}
