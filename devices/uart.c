/*
 * uart.c - the PC16550D UART.  Section numbers refer to the National
 * Semiconductor PC16550D datasheet (June 1995); TI's TL16C550 describes
 * the same chip.
 *
 * Model.  The transmitter is THR/XMIT FIFO -> transmitter shift register
 * (TSR) -> the back-end; a byte moves into the idle TSR as soon as it is
 * written, and leaves it (reaching the back-end, or the receiver in
 * loopback mode) when its last stop bit has been sent, one clock event per
 * character.  Character times are counted in cycles of the 1.8432 MHz
 * crystal (one bit = 16 * divisor cycles) from the start of a run of
 * back-to-back characters, so a long transfer accumulates no rounding.
 * The receiver is a 16-entry FIFO of (byte, error bits); in 16450 mode
 * (FIFOs off) it holds one byte, the RBR.
 */
#include "devices/uart.h"

#include <stdlib.h>

#include "devices/bus.h"
#include "devices/chardev.h"
#include "devices/clock.h"
#include "devices/irq.h"

/* Register offsets. */
enum {
    REG_DATA = 0, /* RBR / THR / DLL */
    REG_IER = 1,  /* IER / DLM */
    REG_IIR = 2,  /* IIR (read) / FCR (write) */
    REG_LCR = 3,
    REG_MCR = 4,
    REG_LSR = 5,
    REG_MSR = 6,
    REG_SCR = 7
};

enum { /* IER */
    IER_ERBFI = 0x01, /* received data available (and character timeout) */
    IER_ETBEI = 0x02, /* transmitter holding register empty */
    IER_ELSI = 0x04,  /* receiver line status */
    IER_EDSSI = 0x08, /* modem status */
    IER_MASK = 0x0F   /* bits 4-7 are always 0 */
};

enum { /* IIR */
    IIR_NO_INT = 0x01,
    IIR_MODEM = 0x00,
    IIR_THRE = 0x02,
    IIR_RX_DATA = 0x04,
    IIR_LINE_STATUS = 0x06,
    IIR_TIMEOUT = 0x0C,
    IIR_FIFOS_ON = 0xC0
};

enum { /* FCR */
    FCR_ENABLE = 0x01,
    FCR_CLEAR_RX = 0x02,
    FCR_CLEAR_TX = 0x04,
    FCR_DMA_MODE = 0x08,
    FCR_TRIGGER_SHIFT = 6
};

enum { /* LCR */
    LCR_WORD_LENGTH = 0x03,
    LCR_STOP_BITS = 0x04,
    LCR_PARITY = 0x08,
    LCR_DLAB = 0x80
};

enum { /* MCR */
    MCR_DTR = 0x01,
    MCR_RTS = 0x02,
    MCR_OUT1 = 0x04,
    MCR_OUT2 = 0x08,
    MCR_LOOP = 0x10,
    MCR_MASK = 0x1F /* bits 5-7 are always 0 */
};

enum { /* LSR */
    LSR_DR = 0x01,
    LSR_OE = 0x02,
    LSR_PE = 0x04,
    LSR_FE = 0x08,
    LSR_BI = 0x10,
    LSR_THRE = 0x20,
    LSR_TEMT = 0x40,
    LSR_FIFO_ERROR = 0x80,
    LSR_CHAR_ERRORS = LSR_PE | LSR_FE | LSR_BI, /* carried by each received character */
    LSR_ERRORS = LSR_OE | LSR_CHAR_ERRORS       /* the line status interrupt sources */
};

enum { /* MSR */
    MSR_DCTS = 0x01,
    MSR_DDSR = 0x02,
    MSR_TERI = 0x04,
    MSR_DDCD = 0x08,
    MSR_CTS = 0x10,
    MSR_DSR = 0x20,
    MSR_RI = 0x40,
    MSR_DCD = 0x80,
    /* The host end of the cable: a terminal that is ready (see uart.h). */
    MSR_HOST_LINES = MSR_CTS | MSR_DSR | MSR_DCD
};

#define UART_FIFO_MASK (UART_FIFO_SIZE - 1u)

struct uart {
    struct clock *clk;
    struct irq_line *irq;
    struct chardev *cd;

    uint8_t ier, lcr, mcr, scr, dll, dlm;
    uint8_t lsr_errors; /* OE and the top character's PE/FE/BI, until LSR is read */
    uint8_t msr_lines;  /* MSR bits 4-7: the modem inputs as the chip sees them */
    uint8_t msr_deltas; /* MSR bits 0-3, until MSR is read */

    bool fifos_on;       /* FCR0 */
    uint8_t fcr_dma;     /* FCR3, kept for completeness (RXRDY/TXRDY pins only) */
    unsigned rx_trigger; /* FCR7:6 as a byte count: 1, 4, 8 or 14 */

    /* Receiver: a ring of characters and their PE/FE/BI bits. */
    uint8_t rx_data[UART_FIFO_SIZE];
    uint8_t rx_flags[UART_FIFO_SIZE];
    unsigned rx_head, rx_count;
    unsigned rx_error_count;   /* characters in the FIFO with error bits (LSR7) */
    uint8_t rx_last;           /* what RBR reads when the receiver is empty */
    bool rx_timeout;           /* the character timeout indication (IIR = CCh) */
    uint64_t rx_last_activity; /* last character received or read */
    struct clock_event rx_timer;

    /* Transmitter: the THR / XMIT FIFO ring and the shift register. */
    uint8_t tx_data[UART_FIFO_SIZE];
    unsigned tx_head, tx_count;
    uint8_t tsr;
    bool tsr_busy;
    bool tx_stalled;       /* a byte is in the TSR but the divisor is 0 */
    uint64_t tx_epoch;     /* start of the current run of back-to-back characters */
    uint64_t tx_cycles;    /* crystal cycles from tx_epoch to the end of the TSR's character */
    uint64_t tx_end;       /* virtual time the TSR's character ends */
    struct clock_event tx_timer;

    /* THRE interrupt: latched on the empty transition, cleared by a THR
     * write or by the IIR read that reports it (section 8.6, table IV). */
    bool thre_pending;
    bool tx_two_seen;      /* the XMIT FIFO held two bytes at once since THRE was last 1 */
    bool tx_fcr0_changed;  /* FCR0 changed since the last transmitter interrupt */
    struct clock_event thre_timer;
};

/* ---- derived quantities ---- */

static uint64_t uart_divisor(const struct uart *u)
{
    return ((uint64_t)u->dlm << 8) | u->dll;
}

/* Crystal cycles in one bit: the baud generator divides the crystal by the
 * divisor into a 16x clock (section 8.5). */
static uint64_t uart_bit_cycles(const struct uart *u)
{
    return 16u * uart_divisor(u);
}

/* Crystal cycles in one character with the current LCR: start bit, 5-8
 * data bits, an optional parity bit and 1, 1.5 (5-bit words) or 2 stop
 * bits (section 8.2, LCR bits 0-3). */
static uint64_t uart_char_cycles(const struct uart *u)
{
    uint64_t word = 5u + (u->lcr & LCR_WORD_LENGTH);
    uint64_t half_bits = 2u * (1u + word + ((u->lcr & LCR_PARITY) ? 1u : 0u));
    if (u->lcr & LCR_STOP_BITS)
        half_bits += word == 5u ? 3u : 4u;
    else
        half_bits += 2u;
    return half_bits * 8u * uart_divisor(u);
}

static uint64_t uart_cycles_to_ticks(const struct uart *u, uint64_t cycles)
{
    return clock_hz_to_ticks(u->clk, cycles, UART_XTAL_HZ);
}

static unsigned uart_rx_capacity(const struct uart *u)
{
    return u->fifos_on ? UART_FIFO_SIZE : 1u;
}

static bool uart_thre(const struct uart *u) { return u->tx_count == 0; }
static bool uart_temt(const struct uart *u) { return u->tx_count == 0 && !u->tsr_busy; }

/* The interrupt the IIR reports: the highest-priority enabled source
 * (section 8.6, table IV). */
static uint8_t uart_iir_id(const struct uart *u)
{
    if ((u->ier & IER_ELSI) && (u->lsr_errors & LSR_ERRORS))
        return IIR_LINE_STATUS;
    if (u->ier & IER_ERBFI) {
        if (u->rx_timeout)
            return IIR_TIMEOUT;
        /* FIFO mode: at or above the trigger level; 16450 mode: RBR full. */
        if (u->rx_count > 0 && (!u->fifos_on || u->rx_count >= u->rx_trigger))
            return IIR_RX_DATA;
    }
    if ((u->ier & IER_ETBEI) && u->thre_pending)
        return IIR_THRE;
    if ((u->ier & IER_EDSSI) && u->msr_deltas != 0)
        return IIR_MODEM;
    return IIR_NO_INT;
}

/* The INTR pin reaches the ISA bus only through the OUT2-controlled
 * driver on a PC serial card. */
static void uart_update_irq(struct uart *u)
{
    irq_set(u->irq, (u->mcr & MCR_OUT2) && uart_iir_id(u) != IIR_NO_INT);
}

/* ---- modem lines ---- */

/* The modem inputs as the chip sees them: in loopback mode the MCR
 * outputs are wired back inside the chip, DTR->DSR, RTS->CTS, OUT1->RI,
 * OUT2->DCD (section 8.7, MCR bit 4). */
static uint8_t uart_modem_inputs(const struct uart *u)
{
    if (!(u->mcr & MCR_LOOP))
        return MSR_HOST_LINES;
    uint8_t lines = 0;
    if (u->mcr & MCR_DTR)
        lines |= MSR_DSR;
    if (u->mcr & MCR_RTS)
        lines |= MSR_CTS;
    if (u->mcr & MCR_OUT1)
        lines |= MSR_RI;
    if (u->mcr & MCR_OUT2)
        lines |= MSR_DCD;
    return lines;
}

/* Latch the delta bits for the inputs that changed.  TERI flags only the
 * trailing edge of RI, the MSR bit going from 1 to 0 (section 8.9). */
static void uart_update_modem_inputs(struct uart *u)
{
    uint8_t lines = uart_modem_inputs(u);
    uint8_t changed = lines ^ u->msr_lines;
    if (changed & MSR_CTS)
        u->msr_deltas |= MSR_DCTS;
    if (changed & MSR_DSR)
        u->msr_deltas |= MSR_DDSR;
    if ((changed & MSR_RI) && !(lines & MSR_RI))
        u->msr_deltas |= MSR_TERI;
    if (changed & MSR_DCD)
        u->msr_deltas |= MSR_DDCD;
    u->msr_lines = lines;
}

/* ---- receiver ---- */

/* The character timeout (section 8.6, FIFO interrupt mode): with FIFOs
 * on, characters in the RCVR FIFO, and neither a character received nor
 * one read for 4 character times, IIR reports CCh.  The timer restarts at
 * each of those; once the indication is up only a read clears it. */
static void uart_rx_timer_update(struct uart *u)
{
    if (!u->fifos_on || u->rx_count == 0 || u->rx_timeout || uart_divisor(u) == 0) {
        clock_cancel(u->clk, &u->rx_timer);
        return;
    }
    uint64_t wait = uart_cycles_to_ticks(u, 4u * uart_char_cycles(u));
    uint64_t deadline = wait > CLOCK_NEVER - u->rx_last_activity ? CLOCK_NEVER
                                                                   : u->rx_last_activity + wait;
    clock_schedule(u->clk, &u->rx_timer, deadline);
}

static void uart_rx_timer_fire(void *opaque, uint64_t now)
{
    struct uart *u = opaque;
    (void)now;
    if (u->fifos_on && u->rx_count > 0)
        u->rx_timeout = true;
    uart_update_irq(u);
}

/* A character's error bits show in LSR when it reaches the top of the
 * FIFO (section 8.8, LSR bits 2-4). */
static void uart_rx_reveal_top(struct uart *u)
{
    if (u->rx_count > 0)
        u->lsr_errors |= u->rx_flags[u->rx_head];
}

/* A character has been completely received at `when`.  With the receiver
 * full it overruns: in FIFO mode the character in the shift register is
 * lost and the FIFO kept; in 16450 mode it replaces RBR (section 8.8,
 * LSR bit 1). */
static void uart_rx_push(struct uart *u, uint8_t byte, uint8_t flags, uint64_t when)
{
    flags &= LSR_CHAR_ERRORS;
    if (u->rx_count >= uart_rx_capacity(u)) {
        u->lsr_errors |= LSR_OE;
        if (!u->fifos_on) {
            if (u->rx_flags[u->rx_head] != 0)
                u->rx_error_count--;
            u->rx_data[u->rx_head] = byte;
            u->rx_flags[u->rx_head] = flags;
            if (flags != 0)
                u->rx_error_count++;
            uart_rx_reveal_top(u);
        }
    } else {
        unsigned slot = (u->rx_head + u->rx_count) & UART_FIFO_MASK;
        u->rx_data[slot] = byte;
        u->rx_flags[slot] = flags;
        if (flags != 0)
            u->rx_error_count++;
        u->rx_count++;
        if (u->rx_count == 1)
            uart_rx_reveal_top(u);
    }
    u->rx_last_activity = when;
    uart_rx_timer_update(u);
    uart_update_irq(u);
}

static void uart_rx_clear(struct uart *u)
{
    u->rx_head = 0;
    u->rx_count = 0;
    u->rx_error_count = 0;
    u->rx_timeout = false;
    /* The errors belonged to characters that are gone; an overrun stays
     * flagged until LSR is read. */
    u->lsr_errors &= LSR_OE;
    clock_cancel(u->clk, &u->rx_timer);
}

static uint8_t uart_read_rbr(struct uart *u)
{
    if (u->rx_count == 0)
        return u->rx_last;
    uint8_t byte = u->rx_data[u->rx_head];
    if (u->rx_flags[u->rx_head] != 0)
        u->rx_error_count--;
    u->rx_head = (u->rx_head + 1u) & UART_FIFO_MASK;
    u->rx_count--;
    u->rx_last = byte;
    uart_rx_reveal_top(u);
    u->rx_timeout = false;
    u->rx_last_activity = clock_now(u->clk);
    uart_rx_timer_update(u);
    return byte;
}

/* ---- transmitter ---- */

/* THRE has just become 1, because the last byte moved into the TSR
 * (`transfer`) or the XMIT FIFO was cleared.  After a transfer in FIFO
 * mode the interrupt is delayed by one character time minus the last
 * stop bit, unless the XMIT FIFO held two bytes at once since THRE was
 * last 1; the first transmitter interrupt after FCR0 changes is immediate
 * (section 8.6, FIFO interrupt mode operation, item B).  The LSR bit
 * itself is not delayed. */
static void uart_thr_emptied(struct uart *u, bool transfer)
{
    bool delayed = transfer && u->fifos_on && !u->tx_two_seen && !u->tx_fcr0_changed &&
                   !u->tx_stalled;
    u->tx_two_seen = false;
    if (delayed) {
        uint64_t bit = uart_bit_cycles(u);
        uint64_t cycles = u->tx_cycles > bit ? u->tx_cycles - bit : 0;
        uint64_t ticks = uart_cycles_to_ticks(u, cycles);
        uint64_t at = ticks > CLOCK_NEVER - u->tx_epoch ? CLOCK_NEVER : u->tx_epoch + ticks;
        clock_schedule(u->clk, &u->thre_timer, at);
        return;
    }
    u->tx_fcr0_changed = false;
    u->thre_pending = true;
}

static void uart_thre_timer_fire(void *opaque, uint64_t now)
{
    struct uart *u = opaque;
    (void)now;
    if (uart_thre(u))
        u->thre_pending = true;
    uart_update_irq(u);
}

/* Schedule the end of the character now in the TSR, which started at
 * `start` (continuing a back-to-back run if `continuing`). */
static void uart_tx_schedule(struct uart *u, uint64_t start, bool continuing)
{
    if (uart_divisor(u) == 0) {
        u->tx_stalled = true;
        clock_cancel(u->clk, &u->tx_timer);
        return;
    }
    u->tx_stalled = false;
    if (!continuing) {
        u->tx_epoch = start;
        u->tx_cycles = 0;
    }
    u->tx_cycles += uart_char_cycles(u);
    uint64_t ticks = uart_cycles_to_ticks(u, u->tx_cycles);
    u->tx_end = ticks > CLOCK_NEVER - u->tx_epoch ? CLOCK_NEVER : u->tx_epoch + ticks;
    clock_schedule(u->clk, &u->tx_timer, u->tx_end);
}

/* Move the next byte from THR/XMIT FIFO into the idle TSR at `start`. */
static void uart_tx_load(struct uart *u, uint64_t start, bool continuing)
{
    u->tsr = u->tx_data[u->tx_head];
    u->tx_head = (u->tx_head + 1u) & UART_FIFO_MASK;
    u->tx_count--;
    u->tsr_busy = true;
    uart_tx_schedule(u, start, continuing);
    if (u->tx_count == 0)
        uart_thr_emptied(u, true);
}

/* The TSR's last stop bit is out: the byte reaches the back-end (or the
 * receiver, in loopback mode, where SOUT is held marking and nothing
 * leaves the chip; section 8.7, MCR bit 4). */
static void uart_tx_timer_fire(void *opaque, uint64_t now)
{
    struct uart *u = opaque;
    (void)now;
    uint64_t end = u->tx_end;
    uint8_t byte = u->tsr;
    u->tsr_busy = false;
    if (u->mcr & MCR_LOOP)
        uart_rx_push(u, byte, 0, end);
    else
        chardev_write(u->cd, byte);
    if (u->tx_count > 0)
        uart_tx_load(u, end, true);
    else
        chardev_flush(u->cd); /* the transmitter is idle: show what it sent */
    uart_update_irq(u);
}

static void uart_tx_clear(struct uart *u)
{
    bool was_full = u->tx_count > 0;
    u->tx_head = 0;
    u->tx_count = 0;
    if (was_full)
        uart_thr_emptied(u, false);
}

static void uart_write_thr(struct uart *u, uint8_t byte)
{
    if (u->tx_count >= UART_FIFO_SIZE || (!u->fifos_on && u->tx_count == 1)) {
        /* A full XMIT FIFO drops the byte; in 16450 mode a second write
         * before the transfer overwrites THR. */
        if (!u->fifos_on)
            u->tx_data[u->tx_head] = byte;
    } else {
        u->tx_data[(u->tx_head + u->tx_count) & UART_FIFO_MASK] = byte;
        u->tx_count++;
    }
    u->thre_pending = false;
    clock_cancel(u->clk, &u->thre_timer);
    if (u->tx_count >= 2)
        u->tx_two_seen = true;
    if (!u->tsr_busy && u->tx_count > 0)
        uart_tx_load(u, clock_now(u->clk), false);
}

/* A new divisor: a transmitter stalled on divisor 0 starts now, and the
 * receiver timeout is re-timed. */
static void uart_divisor_changed(struct uart *u)
{
    if (u->tx_stalled && uart_divisor(u) != 0)
        uart_tx_schedule(u, clock_now(u->clk), false);
    uart_rx_timer_update(u);
}

/* ---- registers ---- */

static void uart_write_fcr(struct uart *u, uint8_t value)
{
    static const uint8_t triggers[4] = { 1, 4, 8, 14 };
    /* FCR0 must be 1 for the other bits to be programmed; changing it
     * empties both FIFOs (section 8.4). */
    if (!(value & FCR_ENABLE)) {
        if (u->fifos_on) {
            u->fifos_on = false;
            u->tx_fcr0_changed = true;
            uart_rx_clear(u);
            uart_tx_clear(u);
        }
        return;
    }
    if (!u->fifos_on) {
        u->fifos_on = true;
        u->tx_fcr0_changed = true;
        uart_rx_clear(u);
        uart_tx_clear(u);
    }
    /* The clear bits reset the FIFOs but not the shift registers. */
    if (value & FCR_CLEAR_RX)
        uart_rx_clear(u);
    if (value & FCR_CLEAR_TX)
        uart_tx_clear(u);
    u->fcr_dma = value & FCR_DMA_MODE;
    u->rx_trigger = triggers[(value >> FCR_TRIGGER_SHIFT) & 3u];
}

static void uart_write_ier(struct uart *u, uint8_t value)
{
    uint8_t old = u->ier;
    u->ier = value & IER_MASK;
    /* Enabling ETBEI while THR is empty raises the THRE interrupt even if
     * an IIR read had cleared it: drivers (Linux's UART_BUG_THRE probe,
     * Windows) toggle IER to kick the transmitter. */
    if (!(old & IER_ETBEI) && (u->ier & IER_ETBEI) && uart_thre(u)) {
        u->thre_pending = true;
        clock_cancel(u->clk, &u->thre_timer);
    }
}

static uint8_t uart_read_lsr(struct uart *u)
{
    uint8_t value = u->lsr_errors;
    if (u->rx_count > 0)
        value |= LSR_DR;
    if (uart_thre(u))
        value |= LSR_THRE;
    if (uart_temt(u))
        value |= LSR_TEMT;
    if (u->fifos_on && u->rx_error_count > 0)
        value |= LSR_FIFO_ERROR;
    /* Reading LSR clears OE/PE/FE/BI; the top character's error has now
     * been reported, so LSR7 stays only for errors further down. */
    u->lsr_errors = 0;
    if (u->rx_count > 0 && u->rx_flags[u->rx_head] != 0) {
        u->rx_flags[u->rx_head] = 0;
        u->rx_error_count--;
    }
    return value;
}

static uint8_t uart_read_iir(struct uart *u)
{
    uint8_t id = uart_iir_id(u);
    /* Reading IIR clears a THRE interrupt it reports (table IV). */
    if (id == IIR_THRE) {
        u->thre_pending = false;
        u->tx_fcr0_changed = false;
    }
    return (uint8_t)(id | (u->fifos_on ? IIR_FIFOS_ON : 0));
}

static uint32_t uart_io_read(void *opaque, uint16_t port, unsigned size)
{
    struct uart *u = opaque;
    (void)size;
    uint8_t value = 0xFF;
    switch (port & 7u) {
    case REG_DATA:
        value = (u->lcr & LCR_DLAB) ? u->dll : uart_read_rbr(u);
        break;
    case REG_IER:
        value = (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
        break;
    case REG_IIR:
        value = uart_read_iir(u);
        break;
    case REG_LCR:
        value = u->lcr;
        break;
    case REG_MCR:
        value = u->mcr;
        break;
    case REG_LSR:
        value = uart_read_lsr(u);
        break;
    case REG_MSR:
        value = (uint8_t)(u->msr_lines | u->msr_deltas);
        u->msr_deltas = 0;
        break;
    case REG_SCR:
        value = u->scr;
        break;
    }
    uart_update_irq(u);
    return value;
}

static void uart_io_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct uart *u = opaque;
    uint8_t byte = (uint8_t)value;
    (void)size;
    switch (port & 7u) {
    case REG_DATA:
        if (u->lcr & LCR_DLAB) {
            u->dll = byte;
            uart_divisor_changed(u);
        } else {
            uart_write_thr(u, byte);
        }
        break;
    case REG_IER:
        if (u->lcr & LCR_DLAB) {
            u->dlm = byte;
            uart_divisor_changed(u);
        } else {
            uart_write_ier(u, byte);
        }
        break;
    case REG_IIR:
        uart_write_fcr(u, byte);
        break;
    case REG_LCR:
        u->lcr = byte;
        uart_rx_timer_update(u); /* the character time may have changed */
        break;
    case REG_MCR:
        u->mcr = byte & MCR_MASK;
        uart_update_modem_inputs(u);
        break;
    case REG_SCR:
        u->scr = byte;
        break;
    default:
        /* LSR and MSR writes are for factory test only: ignored. */
        break;
    }
    uart_update_irq(u);
}

/* ---- public interface ---- */

void uart_reset(struct uart *u)
{
    clock_cancel(u->clk, &u->rx_timer);
    clock_cancel(u->clk, &u->tx_timer);
    clock_cancel(u->clk, &u->thre_timer);
    u->ier = 0;
    u->lcr = 0;
    u->mcr = 0;
    u->fifos_on = false;
    u->fcr_dma = 0;
    u->rx_trigger = 1;
    u->lsr_errors = 0;
    u->rx_head = 0;
    u->rx_count = 0;
    u->rx_error_count = 0;
    u->rx_timeout = false;
    u->rx_last_activity = clock_now(u->clk);
    u->tx_head = 0;
    u->tx_count = 0;
    u->tsr_busy = false;
    u->tx_stalled = false;
    u->thre_pending = false;
    u->tx_two_seen = false;
    u->tx_fcr0_changed = false;
    u->msr_lines = uart_modem_inputs(u);
    u->msr_deltas = 0;
    chardev_flush(u->cd);
    uart_update_irq(u);
}

struct uart *uart_create(struct bus *bus, uint16_t base, struct clock *clk, struct irq_line *irq,
                         struct chardev *cd)
{
    struct uart *u = calloc(1, sizeof(*u));
    if (u == NULL)
        return NULL;
    u->clk = clk;
    u->irq = irq;
    u->cd = cd;
    u->dll = 12; /* 9600 baud until programmed: see uart.h */
    clock_event_init(&u->rx_timer, uart_rx_timer_fire, u);
    clock_event_init(&u->tx_timer, uart_tx_timer_fire, u);
    clock_event_init(&u->thre_timer, uart_thre_timer_fire, u);
    if (bus_register_io(bus, base, 8, BUS_W8, u, uart_io_read, uart_io_write) != 0) {
        free(u);
        return NULL;
    }
    uart_reset(u);
    return u;
}

void uart_destroy(struct uart *u)
{
    if (u == NULL)
        return;
    clock_cancel(u->clk, &u->rx_timer);
    clock_cancel(u->clk, &u->tx_timer);
    clock_cancel(u->clk, &u->thre_timer);
    free(u);
}

size_t uart_rx_room(const struct uart *u)
{
    if (u->mcr & MCR_LOOP)
        return 0; /* SIN is disconnected in loopback mode */
    return uart_rx_capacity(u) - u->rx_count;
}

bool uart_can_receive(const struct uart *u)
{
    return uart_rx_room(u) > 0;
}

size_t uart_receive(struct uart *u, const uint8_t *buf, size_t len)
{
    size_t room = uart_rx_room(u);
    size_t n = len < room ? len : room;
    uint64_t now = clock_now(u->clk);
    for (size_t i = 0; i < n; i++)
        uart_rx_push(u, buf[i], 0, now);
    return n;
}

bool uart_receive_break(struct uart *u)
{
    if (u->mcr & MCR_LOOP)
        return false;
    bool room = uart_rx_room(u) > 0;
    /* One zero character per break, with BI (section 8.8, LSR bit 4). */
    uart_rx_push(u, 0, LSR_BI, clock_now(u->clk));
    return room;
}
