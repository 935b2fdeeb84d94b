/* Little-endian frame fields and big-endian signed-message fields (PROTOCOL.md 1 and 4).
 * Byte-wise stores keep the code independent of the CPU's endianness and alignment rules. */
#ifndef CSM_BYTES_H
#define CSM_BYTES_H
#include <stdint.h>

static inline void csm_put_le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void csm_put_le32(uint8_t *p, uint32_t v) {
    for (int k = 0; k < 4; k++) p[k] = (uint8_t)(v >> (8 * k));
}
static inline void csm_put_le64(uint8_t *p, uint64_t v) {
    for (int k = 0; k < 8; k++) p[k] = (uint8_t)(v >> (8 * k));
}
static inline void csm_put_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void csm_put_be32(uint8_t *p, uint32_t v) {
    for (int k = 0; k < 4; k++) p[k] = (uint8_t)(v >> (24 - 8 * k));
}
static inline void csm_put_be64(uint8_t *p, uint64_t v) {
    for (int k = 0; k < 8; k++) p[k] = (uint8_t)(v >> (56 - 8 * k));
}
static inline uint16_t csm_get_le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t csm_get_le32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t csm_get_le64(const uint8_t *p) {
    return (uint64_t)csm_get_le32(p) | ((uint64_t)csm_get_le32(p + 4) << 32);
}
static inline uint32_t csm_get_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}
static inline uint64_t csm_get_be64(const uint8_t *p) {
    return ((uint64_t)csm_get_be32(p) << 32) | csm_get_be32(p + 4);
}
#endif
