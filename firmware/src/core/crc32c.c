/* Table-driven CRC-32C. The 1 KiB table is built from the polynomial at compile time by the
 * preprocessor-free constexpr-like generator below, so no magic table is pasted in. */
#include "csm/crc32c.h"

#define P 0x82F63B78u
#define B1(c) (((c) & 1u) ? (((c) >> 1) ^ P) : ((c) >> 1))
#define B2(c) B1(B1(c))
#define B4(c) B2(B2(c))
#define B8(c) B4(B4(c))
#define R1(n) B8((uint32_t)(n))
#define R4(n) R1(n), R1((n) + 1), R1((n) + 2), R1((n) + 3)
#define R16(n) R4(n), R4((n) + 4), R4((n) + 8), R4((n) + 12)
#define R64(n) R16(n), R16((n) + 16), R16((n) + 32), R16((n) + 48)

static const uint32_t table[256] = {R64(0), R64(64), R64(128), R64(192)};

uint32_t csm_crc32c_update(uint32_t state, const uint8_t *data, size_t len) {
    while (len--) state = table[(state ^ *data++) & 0xFFu] ^ (state >> 8);
    return state;
}

uint32_t csm_crc32c(const uint8_t *data, size_t len) {
    return csm_crc32c_update(CSM_CRC32C_INIT, data, len) ^ 0xFFFFFFFFu;
}
