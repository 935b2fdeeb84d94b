/* Keccak-256 from XKCP (the Keccak team's Code Package), compiled from the sources fetched at build
 * time (tools/fetch_third_party.sh), the same way CPython's _sha3 module builds them: the sponge, the
 * hash layer and one KeccakP-1600 permutation are included into this single translation unit. */
#include <string.h>

#include "csm/keccak.h"

#define IS_LITTLE_ENDIAN 1234
#define IS_BIG_ENDIAN 4321
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define PLATFORM_BYTE_ORDER IS_BIG_ENDIAN
#define KeccakOpt 32
#else
#define PLATFORM_BYTE_ORDER IS_LITTLE_ENDIAN
#if UINTPTR_MAX > 0xFFFFFFFFu
#define KeccakOpt 64 /* lane-complemented 64-bit code for 64-bit hosts */
#else
#define KeccakOpt 32 /* bit-interleaved 32-bit code for Cortex-M */
#endif
#endif
#if KeccakOpt == 64
typedef uint64_t UINT64;
typedef unsigned char UINT8;
#endif
#define KeccakP200_excluded 1
#define KeccakP400_excluded 1
#define KeccakP800_excluded 1

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-function"
#include "KeccakHash.h"
#include "KeccakSponge.h"
#include "KeccakHash.c"
#include "KeccakSponge.c"
#if KeccakOpt == 64
#include "KeccakP-1600-opt64.c"
#else
#include "KeccakP-1600-inplace32BI.c"
#endif
#pragma GCC diagnostic pop

_Static_assert(sizeof(Keccak_HashInstance) <= sizeof(csm_keccak), "csm_keccak too small for XKCP");

void csm_keccak_init(csm_keccak *k) {
    /* rate 1088, capacity 512, 256-bit output, delimited suffix 0x01: original Keccak padding. */
    Keccak_HashInitialize((Keccak_HashInstance *)k, 1088, 512, 256, 0x01);
}

void csm_keccak_update(csm_keccak *k, const uint8_t *data, size_t len) {
    /* XKCP takes a bit length; feed chunks whose bit count fits a size_t on 32-bit targets. */
    while (len) {
        size_t chunk = len > 0x10000000u ? 0x10000000u : len;
        Keccak_HashUpdate((Keccak_HashInstance *)k, data, (DataLength)chunk * 8u);
        data += chunk;
        len -= chunk;
    }
}

void csm_keccak_final(csm_keccak *k, uint8_t out[32]) { Keccak_HashFinal((Keccak_HashInstance *)k, out); }

void csm_keccak256(const uint8_t *data, size_t len, uint8_t out[32]) {
    csm_keccak k;
    csm_keccak_init(&k);
    csm_keccak_update(&k, data, len);
    csm_keccak_final(&k, out);
}
