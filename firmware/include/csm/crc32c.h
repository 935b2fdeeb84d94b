/* CRC-32C (Castagnoli, reflected poly 0x82F63B78, init and xorout 0xFFFFFFFF), PROTOCOL.md 1. */
#ifndef CSM_CRC32C_H
#define CSM_CRC32C_H
#include <stddef.h>
#include <stdint.h>

/* Incremental form: start with csm_crc32c_update(CSM_CRC32C_INIT, ...), finish with ^ 0xFFFFFFFF. */
#define CSM_CRC32C_INIT 0xFFFFFFFFu
uint32_t csm_crc32c_update(uint32_t state, const uint8_t *data, size_t len);
uint32_t csm_crc32c(const uint8_t *data, size_t len);
#endif
