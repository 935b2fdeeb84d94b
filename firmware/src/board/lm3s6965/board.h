/* LM3S6965 board support for the QEMU lm3s6965evb machine: clock, UART0 link, semihosting flash. */
#ifndef CSM_BOARD_LM3S6965_H
#define CSM_BOARD_LM3S6965_H
#include <stdint.h>

#include "csm/hal.h"

#define REG32(addr) (*(volatile uint32_t *)(addr))
#define SYSCLK_HZ 50000000u

void board_clock_init(void);
uint64_t board_now_ns(void);
uint32_t board_reset_reason(void);
void board_clock_hal(csm_clock *out);

void board_uart_init(uint32_t link_baud);
void board_uart_hal(csm_transport *out);
int board_uart_blocked(void);

/* Flash HAL backed by a host file through semihosting (persists across QEMU runs), else RAM. */
void board_flash_init(csm_flash *out);
int board_flash_persistent(void);

/* ARM semihosting; returns -1 when QEMU was started without -semihosting (see startup.c). */
int semihost_call(int op, void *arg);
#endif
