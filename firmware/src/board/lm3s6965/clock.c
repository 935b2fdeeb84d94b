/* Time since boot from SysTick at the core clock. QEMU derives the LM3S6965 system clock from
 * RCC.SYSDIV (200 MHz / (SYSDIV + 1)); SYSDIV = 3 gives the part's rated 50 MHz. */
#include "board.h"

#define RCC 0x400FE060u
#define RESC 0x400FE05Cu
#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u
#define TICK_CYCLES (SYSCLK_HZ / 1000u)
#define NS_PER_CYCLE (1000000000u / SYSCLK_HZ)

static volatile uint64_t ms_ticks;

void systick_handler(void) { ms_ticks++; }

void board_clock_init(void) {
    REG32(RCC) = (REG32(RCC) & ~(0xFu << 23)) | (3u << 23) | (1u << 22); /* SYSDIV /4, USESYSDIV */
    REG32(SYST_RVR) = TICK_CYCLES - 1u;
    REG32(SYST_CVR) = 0;
    REG32(SYST_CSR) = 7u; /* core clock, interrupt, enable */
    for (unsigned k = 0; k < 1000u && REG32(SYST_CVR) == 0; k++) {
    } /* the first reload happens on the next clock edge; before it the counter still reads 0 */
}

uint64_t board_now_ns(void) {
    uint64_t ms1, ms2;
    uint32_t cvr;
    do {
        ms1 = ms_ticks;
        cvr = REG32(SYST_CVR);
        ms2 = ms_ticks;
    } while (ms1 != ms2);
    uint64_t t = ms1 * 1000000u + (uint64_t)(TICK_CYCLES - 1u - cvr) * NS_PER_CYCLE;
    static uint64_t last;
    if (t < last) t = last; /* a read exactly at the reload edge must not step back */
    last = t;
    return t;
}

uint32_t board_reset_reason(void) {
    /* RESC: bit0 pin, bit1 power-on, bit2 brown-out, bit3 watchdog, bit4 software */
    uint32_t r = REG32(RESC);
    REG32(RESC) = 0;
    if (r & 2u) return 0;
    if (r & 8u) return 1;
    if (r & 4u) return 2;
    if (r & 16u) return 3;
    if (r & 1u) return 4;
    return 0;
}

static uint64_t clock_now(void *ctx) {
    (void)ctx;
    return board_now_ns();
}

void board_clock_hal(csm_clock *out) {
    out->ctx = 0;
    out->now_ns = clock_now;
}
