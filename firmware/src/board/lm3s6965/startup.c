/* Vector table and reset for the Cortex-M3. The HardFault handler turns a semihosting BKPT without a
 * debugger (QEMU started without -semihosting) into a failed call instead of a lock-up. */
#include <stdint.h>
#include <string.h>

#include "board.h"

extern uint32_t _data_load, _data_start, _data_end, _bss_start, _bss_end, _stack_top;
int main(void);
void reset_handler(void);
void systick_handler(void);
void hardfault_entry(void);
void uart0_handler(void);
static void default_handler(void) {
    for (;;) {
    }
}

__attribute__((section(".isr_vector"), used)) static void (*const vectors[16 + 32])(void) = {
    (void (*)(void))(&_stack_top), reset_handler, default_handler, hardfault_entry, default_handler,
    default_handler, default_handler, 0, 0, 0, 0, default_handler, default_handler, 0, default_handler,
    systick_handler,
    /* external interrupts 0..: GPIO A..E (0-4), UART0 (5) */
    default_handler, default_handler, default_handler, default_handler, default_handler, uart0_handler,
};

void reset_handler(void) {
    memcpy(&_data_start, &_data_load, (size_t)((char *)&_data_end - (char *)&_data_start));
    memset(&_bss_start, 0, (size_t)((char *)&_bss_end - (char *)&_bss_start));
    main();
    for (;;) {
    }
}

void hardfault_c(uint32_t *frame);
void hardfault_c(uint32_t *frame) {
    uint16_t insn = *(const uint16_t *)(uintptr_t)frame[6];
    if (insn == 0xBEABu) { /* BKPT 0xAB: semihosting call nobody serviced */
        frame[0] = (uint32_t)-1;
        frame[6] += 2;
        REG32(0xE000ED2Cu) = REG32(0xE000ED2Cu); /* clear HFSR */
        return;
    }
    for (;;) {
    }
}

__attribute__((naked)) void hardfault_entry(void) {
    __asm volatile("tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n b hardfault_c\n");
}

int semihost_call(int op, void *arg) {
    register int r0 __asm("r0") = op;
    register void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
