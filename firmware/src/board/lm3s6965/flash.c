/* Flash HAL for the emulated board. QEMU maps the LM3S6965 flash read-only and does not model its
 * flash controller, so the wear-levelled store lives in a RAM image with NOR semantics (erase to
 * 0xFF, program clears bits) that is written through to the host file csm-flash.bin (QEMU's working
 * directory) with ARM semihosting. Without semihosting the image is RAM-only and a QEMU restart
 * starts a fresh device; the store code is identical either way and is power-cut tested on the host. */
#include <string.h>

#include "board.h"

#define SECTOR_SIZE 1024u /* the LM3S6965's erase page */
#define SECTORS 4u
#define SYS_OPEN 0x01
#define SYS_WRITE 0x05
#define SYS_READ 0x06
#define SYS_SEEK 0x0A

static uint8_t image[SECTOR_SIZE * SECTORS];
static int handle = -1;

static int file_write(uint32_t off, const uint8_t *buf, uint32_t len) {
    if (handle < 0) return 0;
    uint32_t seek[2] = {(uint32_t)handle, off};
    if (semihost_call(SYS_SEEK, seek) != 0) return -1;
    uint32_t w[3] = {(uint32_t)handle, (uint32_t)(uintptr_t)buf, len};
    return semihost_call(SYS_WRITE, w) == 0 ? 0 : -1;
}

static int f_read(void *ctx, uint32_t off, uint8_t *buf, uint32_t len) {
    (void)ctx;
    if (off + len > sizeof image) return -1;
    memcpy(buf, image + off, len);
    return 0;
}

static int f_program(void *ctx, uint32_t off, const uint8_t *buf, uint32_t len) {
    (void)ctx;
    if (off % 4u || len % 4u || off + len > sizeof image) return -1;
    for (uint32_t k = 0; k < len; k++) image[off + k] &= buf[k];
    return file_write(off, image + off, len);
}

static int f_erase(void *ctx, uint32_t sector) {
    (void)ctx;
    if (sector >= SECTORS) return -1;
    memset(image + sector * SECTOR_SIZE, 0xFF, SECTOR_SIZE);
    return file_write(sector * SECTOR_SIZE, image + sector * SECTOR_SIZE, SECTOR_SIZE);
}

void board_flash_init(csm_flash *out) {
    static const char name[] = "csm-flash.bin";
    memset(image, 0xFF, sizeof image);
    uint32_t open_rw[3] = {(uint32_t)(uintptr_t)name, 3 /* "r+b" */, sizeof name - 1};
    handle = semihost_call(SYS_OPEN, open_rw);
    if (handle >= 0) {
        uint32_t r[3] = {(uint32_t)handle, (uint32_t)(uintptr_t)image, sizeof image};
        int left = semihost_call(SYS_READ, r); /* bytes NOT read; a short file keeps 0xFF (erased) */
        if (left < 0) handle = -1;
    } else {
        uint32_t create[3] = {(uint32_t)(uintptr_t)name, 7 /* "w+b" */, sizeof name - 1};
        handle = semihost_call(SYS_OPEN, create);
        if (handle >= 0 && file_write(0, image, sizeof image) != 0) handle = -1;
    }
    out->ctx = 0;
    out->sector_size = SECTOR_SIZE;
    out->sectors = SECTORS;
    out->read = f_read;
    out->program = f_program;
    out->erase = f_erase;
}

int board_flash_persistent(void) { return handle >= 0; }
