/* UART0 transport. QEMU's UART moves bytes as fast as the host reads them, so the transport paces
 * itself at the modelled link rate (10 bit times per byte, a 16-byte FIFO, or 2 ms of data for fast
 * links) from the device clock: overflow then happens where it would on real hardware. While bytes
 * are waiting, the modelled line keeps sending between polls, as an interrupt- or DMA-driven UART
 * does, so a busy main loop does not lose link time; an idle line earns no credit. */
#include "board.h"

#define UART0 0x4000C000u
#define UART_DR (UART0 + 0x000u)
#define UART_FR (UART0 + 0x018u)
#define UART_IBRD (UART0 + 0x024u)
#define UART_FBRD (UART0 + 0x028u)
#define UART_LCRH (UART0 + 0x02Cu)
#define UART_CTL (UART0 + 0x030u)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define RCGC1 0x400FE104u
#define RCGC2 0x400FE108u

static uint64_t ns_per_byte, next_free_ns, burst_ns;
static int blocked;
/* Receive is interrupt-driven into this ring, so a sleeping main loop loses nothing. The FIFOs stay
 * off: enabling them (LCRH.FEN) flushes whatever a host already sent, and the interrupt empties the
 * one-byte holding register at once anyway. */
#define UART_IM (UART0 + 0x038u)
#define UART_ICR (UART0 + 0x044u)
#define NVIC_ISER0 0xE000E100u
#define UART0_IRQ 5u
static volatile uint8_t rx_ring[256];
static volatile uint32_t rx_head, rx_tail;

void uart0_handler(void);
void uart0_handler(void) {
    while (!(REG32(UART_FR) & FR_RXFE)) {
        uint8_t b = (uint8_t)REG32(UART_DR);
        if (rx_head - rx_tail < sizeof rx_ring) rx_ring[rx_head++ % sizeof rx_ring] = b;
        /* a full ring drops the byte: the frame's CRC fails and the host's command times out */
    }
    REG32(UART_ICR) = (1u << 4) | (1u << 6);
}

void board_uart_init(uint32_t link_baud) {
    REG32(RCGC1) |= 1u; /* UART0 clock */
    REG32(RCGC2) |= 1u; /* GPIO A (PA0/PA1) */
    REG32(UART_CTL) = 0;
    uint32_t div64 = (uint32_t)(((uint64_t)SYSCLK_HZ * 4u + link_baud / 2u) / link_baud); /* 64 * clk / (16 * baud) */
    REG32(UART_IBRD) = div64 >> 6;
    REG32(UART_FBRD) = div64 & 63u;
    REG32(UART_LCRH) = 3u << 5; /* 8N1, FIFOs off (see above) */
    REG32(UART_CTL) = (1u << 0) | (1u << 8) | (1u << 9);
    REG32(UART_IM) = (1u << 4) | (1u << 6); /* receive and receive-timeout interrupts */
    REG32(NVIC_ISER0) = 1u << UART0_IRQ;
    uart0_handler(); /* anything that arrived before the interrupt was enabled */
    ns_per_byte = 10000000000ull / link_baud;
    burst_ns = 16u * ns_per_byte; /* the UART's 16-byte FIFO */
    if (link_baud > 1000000u && burst_ns < 2000000u) burst_ns = 2000000u; /* USB/DMA-class link */
}

static size_t uart_write(void *ctx, const uint8_t *buf, size_t len) {
    (void)ctx;
    uint64_t now = board_now_ns();
    if (!blocked && next_free_ns < now) next_free_ns = now; /* the line went idle */
    size_t n = 0;
    /* (next_free_ns - now) is the modelled FIFO content in transmit time */
    while (n < len && next_free_ns < now + burst_ns && !(REG32(UART_FR) & FR_TXFF)) {
        REG32(UART_DR) = buf[n++];
        next_free_ns += ns_per_byte;
    }
    blocked = n < len;
    return n;
}

static size_t uart_read(void *ctx, uint8_t *buf, size_t cap) {
    (void)ctx;
    size_t n = 0;
    while (n < cap && rx_tail != rx_head) buf[n++] = rx_ring[rx_tail++ % sizeof rx_ring];
    return n;
}

int board_uart_blocked(void) { return blocked; }

void board_uart_hal(csm_transport *out) {
    out->ctx = 0;
    out->write = uart_write;
    out->read = uart_read;
}
