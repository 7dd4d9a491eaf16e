/*
 * test_uart.c - the 16550A UART through its ports on a real bus with a
 * fake clock, and the host character back-ends.
 *
 * Most timing tests run the clock at 1,843,200 ticks per second, the
 * UART's crystal: one tick is then one crystal cycle, a bit at 115200
 * baud is 16 ticks and an 8N1 character 160, so expected times are exact
 * integers.  Others use the default 50 MHz rate and check the rounding.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/bus.h"
#include "devices/chardev.h"
#include "devices/clock.h"
#include "devices/irq.h"
#include "devices/uart.h"

#define BASE 0x3F8u

enum { RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4,
       LSR = 5, MSR = 6, SCR = 7 };

struct rig {
    uint64_t ticks;
    struct clock *clk;
    struct bus *bus;
    struct irq_line irq;
    bool level;
    unsigned rises;
    FILE *out; /* what the UART sends, when the rig has a back-end */
    struct chardev *cd;
    struct uart *u;
};

static uint64_t rig_source(void *opaque) { return ((struct rig *)opaque)->ticks; }

static void rig_sink(void *opaque, unsigned pin, bool level)
{
    struct rig *r = opaque;
    (void)pin;
    if (level && !r->level)
        r->rises++;
    r->level = level;
}

/* A COM1 at `rate` ticks per second; with `capture`, its output goes to a
 * temporary file. */
static void rig_init(struct rig *r, uint64_t rate, bool capture)
{
    memset(r, 0, sizeof(*r));
    r->clk = clock_create(rig_source, r);
    r->bus = bus_create();
    assert_non_null(r->clk);
    assert_non_null(r->bus);
    clock_set_rate(r->clk, rate);
    irq_line_init(&r->irq, rig_sink, r, 4);
    if (capture) {
        r->out = tmpfile();
        assert_non_null(r->out);
        r->cd = chardev_open_stream(-1, r->out);
        assert_non_null(r->cd);
    }
    r->u = uart_create(r->bus, BASE, r->clk, &r->irq, r->cd);
    assert_non_null(r->u);
}

static void rig_fini(struct rig *r)
{
    uart_destroy(r->u);
    chardev_close(r->cd);
    if (r->out != NULL)
        fclose(r->out);
    bus_destroy(r->bus);
    clock_destroy(r->clk);
}

static void wr(struct rig *r, unsigned reg, uint8_t v) { bus_io_write(r->bus, (uint16_t)(BASE + reg), v, 1); }
static uint8_t rd(struct rig *r, unsigned reg) { return (uint8_t)bus_io_read(r->bus, (uint16_t)(BASE + reg), 1); }

/* Move virtual time to t and fire what is due, as the board does between
 * instructions. */
static void run_to(struct rig *r, uint64_t t)
{
    r->ticks = t;
    clock_run_due(r->clk);
}

static void set_divisor(struct rig *r, uint16_t div)
{
    uint8_t lcr = rd(r, LCR);
    wr(r, LCR, lcr | 0x80);
    wr(r, DLL, (uint8_t)div);
    wr(r, DLM, (uint8_t)(div >> 8));
    wr(r, LCR, lcr & 0x7F);
}

/* What the back-end has received so far. */
static size_t sent(struct rig *r, char *buf, size_t max)
{
    fflush(r->out);
    long end = ftell(r->out);
    assert_true(end >= 0);
    rewind(r->out);
    size_t n = fread(buf, 1, max, r->out);
    fseek(r->out, 0, SEEK_END);
    assert_int_equal(n, (size_t)end < max ? (size_t)end : max);
    return (size_t)end;
}

static void drain_rx(struct rig *r)
{
    for (int i = 0; i < 32 && (rd(r, LSR) & 0x01); i++)
        rd(r, RBR);
}

/* ---- registers ---- */

static void test_registers_and_dlab(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, CLOCK_RATE_DEFAULT, false);
    /* Reset values (datasheet table "UART reset configuration"). */
    assert_int_equal(rd(&r, IER), 0x00);
    assert_int_equal(rd(&r, IIR), 0x01);
    assert_int_equal(rd(&r, LCR), 0x00);
    assert_int_equal(rd(&r, MCR), 0x00);
    assert_int_equal(rd(&r, LSR), 0x60);
    assert_int_equal(rd(&r, MSR), 0xB0); /* CTS, DSR, DCD from the host side */
    assert_false(r.level);

    wr(&r, SCR, 0x5A);
    assert_int_equal(rd(&r, SCR), 0x5A);
    wr(&r, IER, 0xFF);
    assert_int_equal(rd(&r, IER), 0x0F); /* bits 4-7 read 0 */
    wr(&r, IER, 0x00);
    wr(&r, MCR, 0xE3);
    assert_int_equal(rd(&r, MCR), 0x03); /* bits 5-7 read 0 */
    wr(&r, MCR, 0x00);

    /* The power-on divisor is 12 (9600 baud). */
    wr(&r, LCR, 0x80);
    assert_int_equal(rd(&r, DLL), 12);
    assert_int_equal(rd(&r, DLM), 0);
    /* DLAB = 1: offsets 0 and 1 are the divisor latch, not RBR/THR/IER. */
    wr(&r, DLL, 0x34);
    wr(&r, DLM, 0x12);
    assert_int_equal(rd(&r, DLL), 0x34);
    assert_int_equal(rd(&r, DLM), 0x12);
    assert_int_equal(rd(&r, LCR), 0x80);
    assert_int_equal(rd(&r, LSR), 0x60); /* nothing was transmitted */
    wr(&r, LCR, 0x1B);
    assert_int_equal(rd(&r, LCR), 0x1B);
    assert_int_equal(rd(&r, IER), 0x00); /* the DLM write left IER alone */
    wr(&r, IER, 0x05);
    wr(&r, LCR, 0x9B);
    assert_int_equal(rd(&r, DLM), 0x12);
    wr(&r, LCR, 0x1B);
    assert_int_equal(rd(&r, IER), 0x05);

    /* LSR and MSR ignore writes. */
    wr(&r, LSR, 0x00);
    wr(&r, MSR, 0x00);
    assert_int_equal(rd(&r, LSR), 0x60);
    assert_int_equal(rd(&r, MSR), 0xB0);

    /* RESET keeps the divisor latch and the scratch register. */
    uart_reset(r.u);
    assert_int_equal(rd(&r, IER), 0x00);
    assert_int_equal(rd(&r, LCR), 0x00);
    assert_int_equal(rd(&r, IIR), 0x01);
    wr(&r, LCR, 0x80);
    assert_int_equal(rd(&r, DLL), 0x34);
    assert_int_equal(rd(&r, DLM), 0x12);
    wr(&r, LCR, 0x00);
    assert_int_equal(rd(&r, SCR), 0x5A);

    /* A second UART cannot take the same ports. */
    assert_null(uart_create(r.bus, BASE + 4, r.clk, NULL, NULL));
    rig_fini(&r);
}

/* The checks of Linux's 8250 autoconfig() and serial8250_do_startup()
 * that tell a working 16550A from other parts and from buggy clones. */
static void test_linux_8250_probe(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, CLOCK_RATE_DEFAULT, false);
    /* IER: the low nibble is read/write, the high nibble reads 0. */
    wr(&r, IER, 0x00);
    assert_int_equal(rd(&r, IER) & 0x0F, 0x00);
    wr(&r, IER, 0x0F);
    assert_int_equal(rd(&r, IER) & 0x0F, 0x0F);
    wr(&r, IER, 0x00);
    /* Loopback: RTS and OUT2 come back as CTS and DCD. */
    wr(&r, MCR, 0x10 | 0x0A);
    assert_int_equal(rd(&r, MSR) & 0xF0, 0x90);
    wr(&r, MCR, 0x00);
    /* EFR probe (LCR = BFh) writes FCR; then FIFOs on: IIR bits 7:6 = 11. */
    wr(&r, LCR, 0xBF);
    wr(&r, 2, 0x00);
    wr(&r, LCR, 0x00);
    wr(&r, FCR, 0x01);
    assert_int_equal(rd(&r, IIR) >> 6, 3);
    /* No EFR when DLAB is set (the IIR shows through, not 0). */
    wr(&r, LCR, 0x80);
    assert_int_not_equal(rd(&r, 2), 0);
    wr(&r, LCR, 0xBF);
    assert_int_not_equal(rd(&r, 2), 0);
    /* Not a 16750: the 64-byte FIFO bit never shows in IIR bit 5. */
    wr(&r, LCR, 0x00);
    wr(&r, FCR, 0x21);
    assert_int_equal(rd(&r, IIR) >> 5, 6);
    wr(&r, FCR, 0x01);
    wr(&r, LCR, 0x80);
    wr(&r, FCR, 0x21);
    assert_int_equal(rd(&r, IIR) >> 5, 6);
    wr(&r, FCR, 0x01);
    wr(&r, LCR, 0x00);
    /* Not an XScale: IER bit 6 (UUE) does not stick. */
    wr(&r, IER, 0x40);
    assert_int_equal(rd(&r, IER) & 0x40, 0);
    wr(&r, IER, 0x00);
    /* size_fifo(): in loopback at 115200 baud, 256 bytes written and 20 ms
     * later the receiver holds 16 (64 would make it a U6 16550A). */
    wr(&r, FCR, 0x07);
    wr(&r, MCR, 0x10);
    set_divisor(&r, 1);
    wr(&r, LCR, 0x03);
    for (unsigned i = 0; i < 256; i++)
        wr(&r, THR, (uint8_t)i);
    run_to(&r, CLOCK_RATE_DEFAULT / 50);
    unsigned count = 0;
    while ((rd(&r, LSR) & 0x01) && count < 256) {
        assert_int_equal(rd(&r, RBR), count);
        count++;
    }
    assert_int_equal(count, 16);
    wr(&r, MCR, 0x00);
    /* Clear the FIFOs as startup does; LSR must not read FFh. */
    wr(&r, FCR, 0x01);
    wr(&r, FCR, 0x07);
    wr(&r, FCR, 0x00);
    assert_int_not_equal(rd(&r, LSR), 0xFF);
    rd(&r, RBR);
    rd(&r, IIR);
    rd(&r, MSR);
    wr(&r, LCR, 0x03);
    wr(&r, MCR, 0x0B); /* DTR, RTS, OUT2 */
    /* UART_BUG_THRE: enabling THRI raises THRE; reading IIR clears it;
     * re-enabling THRI raises it again. */
    assert_true((rd(&r, LSR) & 0x20) != 0);
    wr(&r, IER, 0x02);
    uint8_t iir1 = rd(&r, IIR);
    wr(&r, IER, 0x00);
    wr(&r, IER, 0x02);
    uint8_t iir2 = rd(&r, IIR);
    wr(&r, IER, 0x00);
    assert_int_equal(iir1 & 0x0F, 0x02);
    assert_int_equal(iir2 & 0x0F, 0x02);
    /* UART_BUG_TXEN: with TEMT, enabling THRI must show an interrupt. */
    wr(&r, IER, 0x02);
    uint8_t lsr = rd(&r, LSR);
    uint8_t iir = rd(&r, IIR);
    wr(&r, IER, 0x00);
    assert_true((lsr & 0x40) != 0);
    assert_int_equal(iir & 0x01, 0);
    rig_fini(&r);
}

/* ---- receiver ---- */

static void test_rx_fifo_trigger_levels(void **state)
{
    (void)state;
    static const unsigned levels[4] = { 1, 4, 8, 14 };
    struct rig r;
    rig_init(&r, UART_XTAL_HZ, false);
    set_divisor(&r, 1);
    wr(&r, LCR, 0x03);
    wr(&r, MCR, 0x08);
    wr(&r, IER, 0x01);
    uint8_t bytes[20];
    for (unsigned i = 0; i < sizeof(bytes); i++)
        bytes[i] = (uint8_t)(0x41 + i);

    for (unsigned k = 0; k < 4; k++) {
        wr(&r, FCR, (uint8_t)(0x07 | (k << 6)));
        unsigned level = levels[k];
        if (level > 1) {
            assert_int_equal(uart_receive(r.u, bytes, level - 1), level - 1);
            assert_int_equal(rd(&r, IIR), 0xC1);
            assert_false(r.level);
            assert_int_equal(rd(&r, LSR) & 0x01, 0x01); /* DR with any data */
        }
        assert_int_equal(uart_receive(r.u, bytes + level - 1, 1), 1);
        assert_int_equal(rd(&r, IIR), 0xC4);
        assert_true(r.level);
        /* Below the trigger level again after one read. */
        assert_int_equal(rd(&r, RBR), 0x41);
        assert_int_equal(rd(&r, IIR), 0xC1);
        assert_false(r.level);
        wr(&r, FCR, (uint8_t)(0x03 | (k << 6))); /* clear RX */
        assert_int_equal(rd(&r, LSR) & 0x01, 0);
    }

    /* 16 bytes fit; they come out in order. */
    wr(&r, FCR, 0x07);
    assert_int_equal(uart_rx_room(r.u), 16);
    assert_int_equal(uart_receive(r.u, bytes, 20), 16);
    assert_false(uart_can_receive(r.u));
    assert_int_equal(uart_receive(r.u, bytes, 1), 0);
    for (unsigned i = 0; i < 16; i++)
        assert_int_equal(rd(&r, RBR), bytes[i]);
    assert_int_equal(rd(&r, LSR) & 0x01, 0);
    assert_int_equal(rd(&r, RBR), bytes[15]); /* an empty RBR repeats the last byte */

    /* 16450 mode: one byte, and it interrupts at once. */
    wr(&r, FCR, 0x00);
    assert_int_equal(rd(&r, IIR), 0x01);
    assert_int_equal(uart_receive(r.u, bytes, 3), 1);
    assert_int_equal(uart_rx_room(r.u), 0);
    assert_int_equal(rd(&r, IIR), 0x04);
    assert_true(r.level);
    assert_int_equal(rd(&r, RBR), 0x41);
    assert_int_equal(rd(&r, IIR), 0x01);
    assert_true(uart_can_receive(r.u));
    /* No character timeout without FIFOs. */
    assert_int_equal(uart_receive(r.u, bytes, 1), 1);
    wr(&r, IER, 0x00);
    run_to(&r, 100000);
    wr(&r, IER, 0x01);
    assert_int_equal(rd(&r, IIR), 0x04);
    rig_fini(&r);
}

static void test_character_timeout(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, UART_XTAL_HZ, false);
    set_divisor(&r, 1);
    wr(&r, LCR, 0x03);
    wr(&r, MCR, 0x08);
    wr(&r, FCR, 0x81); /* trigger 8 */
    wr(&r, IER, 0x01);
    const uint8_t msg[3] = { 'a', 'b', 'c' };
    const uint64_t four_chars = 4 * 160;

    run_to(&r, 1000);
    assert_int_equal(uart_receive(r.u, msg, 2), 2);
    run_to(&r, 1300); /* a new character restarts the timer */
    assert_int_equal(uart_receive(r.u, msg + 2, 1), 1);
    run_to(&r, 1300 + four_chars - 1);
    assert_int_equal(rd(&r, IIR), 0xC1);
    assert_false(r.level);
    run_to(&r, 1300 + four_chars);
    assert_int_equal(rd(&r, IIR), 0xCC);
    assert_true(r.level);
    /* Once up, a new character does not clear it; a read does. */
    run_to(&r, 2000);
    assert_int_equal(uart_receive(r.u, msg, 1), 1);
    assert_int_equal(rd(&r, IIR), 0xCC);
    run_to(&r, 2100);
    assert_int_equal(rd(&r, RBR), 'a');
    assert_int_equal(rd(&r, IIR), 0xC1);
    assert_false(r.level);
    /* The read restarted the timer. */
    run_to(&r, 2100 + four_chars - 1);
    assert_int_equal(rd(&r, IIR), 0xC1);
    run_to(&r, 2100 + four_chars);
    assert_int_equal(rd(&r, IIR), 0xCC);
    /* An empty FIFO has no timeout. */
    drain_rx(&r);
    assert_int_equal(rd(&r, IIR), 0xC1);
    run_to(&r, 100000);
    assert_int_equal(rd(&r, IIR), 0xC1);

    /* The character time follows LCR: 7 data bits, parity, 2 stop bits =
     * 11 bits at 9600 baud (192 ticks a bit). */
    set_divisor(&r, 12);
    wr(&r, LCR, 0x0E);
    run_to(&r, 200000);
    assert_int_equal(uart_receive(r.u, msg, 1), 1);
    run_to(&r, 200000 + 4 * 11 * 192 - 1);
    assert_int_equal(rd(&r, IIR), 0xC1);
    run_to(&r, 200000 + 4 * 11 * 192);
    assert_int_equal(rd(&r, IIR), 0xCC);
    /* The indication waits for ERBFI but is not lost without it. */
    wr(&r, IER, 0x00);
    assert_int_equal(rd(&r, IIR), 0xC1);
    wr(&r, IER, 0x01);
    assert_int_equal(rd(&r, IIR), 0xCC);
    /* Clearing the RX FIFO clears it. */
    wr(&r, FCR, 0x83);
    assert_int_equal(rd(&r, IIR), 0xC1);
    rig_fini(&r);
}

/* ---- transmitter timing ---- */

/* Write `n` bytes at `t`; check THRE and TEMT change exactly at the
 * given times and that each byte reaches the back-end at its end. */
static void test_tx_pacing_115200(void **state)
{
    (void)state;
    struct rig r;
    char buf[64];
    rig_init(&r, UART_XTAL_HZ, true);
    set_divisor(&r, 1);
    wr(&r, LCR, 0x03);
    wr(&r, FCR, 0x07);

    run_to(&r, 100);
    wr(&r, THR, 'A');
    /* The byte moved straight into the shift register. */
    assert_int_equal(rd(&r, LSR), 0x20);
    run_to(&r, 259);
    assert_int_equal(rd(&r, LSR), 0x20);
    assert_int_equal(sent(&r, buf, sizeof(buf)), 0);
    run_to(&r, 260);
    assert_int_equal(rd(&r, LSR), 0x60);
    assert_int_equal(sent(&r, buf, sizeof(buf)), 1);
    assert_int_equal(buf[0], 'A');

    /* Three back to back: x shifts while y and z wait in the FIFO. */
    run_to(&r, 1000);
    wr(&r, THR, 'x');
    wr(&r, THR, 'y');
    wr(&r, THR, 'z');
    assert_int_equal(rd(&r, LSR), 0x00);
    run_to(&r, 1160);
    assert_int_equal(sent(&r, buf, sizeof(buf)), 2);
    assert_int_equal(rd(&r, LSR), 0x00); /* z still in the FIFO */
    run_to(&r, 1319);
    assert_int_equal(rd(&r, LSR), 0x00);
    run_to(&r, 1320);
    assert_int_equal(rd(&r, LSR), 0x20); /* z in the TSR, FIFO empty */
    assert_int_equal(sent(&r, buf, sizeof(buf)), 3);
    run_to(&r, 1479);
    assert_int_equal(rd(&r, LSR), 0x20);
    run_to(&r, 1480);
    assert_int_equal(rd(&r, LSR), 0x60);
    assert_int_equal(sent(&r, buf, sizeof(buf)), 4);
    assert_memory_equal(buf, "Axyz", 4);

    /* A full FIFO drops further writes: 1 in the TSR + 16 queued. */
    run_to(&r, 2000);
    for (int i = 0; i < 20; i++)
        wr(&r, THR, (uint8_t)('a' + i));
    run_to(&r, 2000 + 20 * 160);
    assert_int_equal(rd(&r, LSR), 0x60);
    assert_int_equal(sent(&r, buf, sizeof(buf)), 4 + 17);
    assert_memory_equal(buf + 4, "abcdefghijklmnopq", 17);
    rig_fini(&r);

    /* At the default 50 MHz: 10 bits at 115200 baud = 4340.28 ticks,
     * rounded up; 16 back-to-back characters take ceil(69444.4) ticks
     * (the rounding does not accumulate). */
    rig_init(&r, CLOCK_RATE_DEFAULT, true);
    set_divisor(&r, 1);
    wr(&r, LCR, 0x03);
    wr(&r, FCR, 0x01);
    wr(&r, THR, '1');
    run_to(&r, 4340);
    assert_int_equal(rd(&r, LSR) & 0x40, 0);
    run_to(&r, 4341);
    assert_int_equal(rd(&r, LSR) & 0x40, 0x40);
    run_to(&r, 10000);
    for (int i = 0; i < 16; i++)
        wr(&r, THR, (uint8_t)('a' + i));
    for (uint64_t t = 10000; t < 10000 + 69444; t += 997)
        run_to(&r, t);
    run_to(&r, 10000 + 69444);
    assert_int_equal(rd(&r, LSR) & 0x40, 0);
    run_to(&r, 10000 + 69445);
    assert_int_equal(rd(&r, LSR) & 0x40, 0x40);
    assert_int_equal(sent(&r, buf, sizeof(buf)), 17);
    rig_fini(&r);
}

static void test_tx_pacing_9600_and_formats(void **state)
{
    (void)state;
    struct rig r;
    char buf[8];
    rig_init(&r, UART_XTAL_HZ, true);
    /* Power-on divisor: 12, 9600 baud, 192 ticks a bit; 16450 mode. */
    wr(&r, LCR, 0x03);
    wr(&r, THR, 'a');
    wr(&r, THR, 'b'); /* waits in THR */
    assert_int_equal(rd(&r, LSR), 0x00);
    run_to(&r, 1919);
    assert_int_equal(rd(&r, LSR), 0x00);
    run_to(&r, 1920);
    assert_int_equal(rd(&r, LSR), 0x20);
    run_to(&r, 3839);
    assert_int_equal(rd(&r, LSR), 0x20);
    run_to(&r, 3840);
    assert_int_equal(rd(&r, LSR), 0x60);
    assert_int_equal(sent(&r, buf, sizeof(buf)), 2);

    /* 7 data bits, even parity, 2 stop bits: 11 bits. */
    wr(&r, LCR, 0x1E);
    run_to(&r, 10000);
    wr(&r, THR, 'c');
    run_to(&r, 10000 + 11 * 192 - 1);
    assert_int_equal(rd(&r, LSR), 0x20);
    run_to(&r, 10000 + 11 * 192);
    assert_int_equal(rd(&r, LSR), 0x60);
    /* 5 data bits, 1.5 stop bits: 7.5 bits. */
    wr(&r, LCR, 0x04);
    run_to(&r, 20000);
    wr(&r, THR, 'd');
    run_to(&r, 20000 + 1440 - 1);
    assert_int_equal(rd(&r, LSR), 0x20);
    run_to(&r, 20000 + 1440);
    assert_int_equal(rd(&r, LSR), 0x60);
    /* The data bits beyond the word length are sent as written: the
     * back-end sees the byte. */
    assert_int_equal(sent(&r, buf, sizeof(buf)), 4);
    assert_memory_equal(buf, "abcd", 4);
    rig_fini(&r);

    /* 9600 baud at 50 MHz: 10 / 9600 s = 52083.3 ticks. */
    rig_init(&r, CLOCK_RATE_DEFAULT, false);
    wr(&r, LCR, 0x03);
    set_divisor(&r, 12);
    wr(&r, THR, 'x');
    run_to(&r, 52083);
    assert_int_equal(rd(&r, LSR), 0x20);
    run_to(&r, 52084);
    assert_int_equal(rd(&r, LSR), 0x60);
    rig_fini(&r);
}

static void test_divisor_zero_stalls(void **state)
{
    (void)state;
    struct rig r;
    char buf[4];
    rig_init(&r, UART_XTAL_HZ, true);
    wr(&r, LCR, 0x03);
    set_divisor(&r, 0);
    wr(&r, THR, 'z');
    assert_true(clock_next_deadline(r.clk) == CLOCK_NEVER);
    run_to(&r, 10000000);
    assert_int_equal(rd(&r, LSR), 0x20); /* in the TSR, going nowhere */
    assert_int_equal(sent(&r, buf, sizeof(buf)), 0);
    set_divisor(&r, 1); /* the baud clock starts: one character from now */
    run_to(&r, 10000159);
    assert_int_equal(rd(&r, LSR), 0x20);
    run_to(&r, 10000160);
    assert_int_equal(rd(&r, LSR), 0x60);
    assert_int_equal(sent(&r, buf, sizeof(buf)), 1);
    rig_fini(&r);
}

/* ---- interrupts ---- */

static void test_thre_interrupt(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, UART_XTAL_HZ, false);
    set_divisor(&r, 1);
    wr(&r, LCR, 0x03);
    wr(&r, MCR, 0x08);

    /* 16450 mode.  Enabling ETBEI with THR empty interrupts at once. */
    wr(&r, IER, 0x02);
    assert_true(r.level);
    assert_int_equal(rd(&r, IIR), 0x02);
    /* That IIR read cleared it. */
    assert_int_equal(rd(&r, IIR), 0x01);
    assert_false(r.level);
    /* Rewriting IER with ETBEI still set does not re-arm it... */
    wr(&r, IER, 0x02);
    assert_int_equal(rd(&r, IIR), 0x01);
    /* ...toggling it does. */
    wr(&r, IER, 0x00);
    wr(&r, IER, 0x02);
    assert_int_equal(rd(&r, IIR), 0x02);
    assert_int_equal(rd(&r, IIR), 0x01);

    /* A byte moves from THR to the idle TSR at once: THRE again. */
    run_to(&r, 1000);
    unsigned rises = r.rises;
    wr(&r, THR, 'a');
    assert_int_equal(rd(&r, IIR), 0x02);
    assert_int_equal(r.rises, rises + 1);
    /* A second byte waits in THR: no interrupt until it moves on. */
    wr(&r, THR, 'b');
    assert_int_equal(rd(&r, IIR), 0x01);
    assert_false(r.level);
    run_to(&r, 1159);
    assert_false(r.level);
    run_to(&r, 1160);
    assert_true(r.level);
    assert_int_equal(r.rises, rises + 2);
    /* A THR write clears it too. */
    wr(&r, THR, 'c');
    assert_false(r.level);
    run_to(&r, 1320);
    assert_true(r.level);
    assert_int_equal(rd(&r, IIR), 0x02);
    run_to(&r, 1480);
    assert_int_equal(rd(&r, LSR), 0x60);
    assert_int_equal(rd(&r, IIR), 0x01);

    /* FIFO mode.  The first transmitter interrupt after FCR0 changes is
     * immediate. */
    wr(&r, FCR, 0x07);
    assert_int_equal(rd(&r, IIR), 0xC1);
    run_to(&r, 2000);
    wr(&r, THR, 'd');
    assert_int_equal(rd(&r, IIR), 0xC2);
    run_to(&r, 2160);
    /* Then a lone byte's THRE interrupt comes one character time minus
     * one stop bit after it moved into the TSR (PC16550D section 8.6,
     * item B), though LSR shows THRE at once. */
    run_to(&r, 3000);
    wr(&r, THR, 'e');
    assert_int_equal(rd(&r, LSR), 0x20);
    run_to(&r, 3000 + 160 - 16 - 1);
    assert_int_equal(rd(&r, IIR), 0xC1);
    assert_false(r.level);
    run_to(&r, 3000 + 160 - 16);
    assert_true(r.level);
    assert_int_equal(rd(&r, IIR), 0xC2);
    run_to(&r, 3160);
    assert_int_equal(rd(&r, LSR), 0x60);
    /* With two bytes in the FIFO at once it is immediate when it empties. */
    run_to(&r, 4000);
    wr(&r, THR, 'f');
    wr(&r, THR, 'g');
    wr(&r, THR, 'h');
    run_to(&r, 4000 + 320 - 1);
    assert_int_equal(rd(&r, IIR), 0xC1);
    run_to(&r, 4000 + 320);
    assert_int_equal(rd(&r, IIR), 0xC2);
    assert_int_equal(rd(&r, IIR), 0xC1);
    run_to(&r, 4480);
    assert_int_equal(rd(&r, LSR), 0x60);
    assert_int_equal(rd(&r, IIR), 0xC1);
    rig_fini(&r);
}

static void test_out2_gates_irq(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, CLOCK_RATE_DEFAULT, false);
    wr(&r, IER, 0x02); /* THRE pending */
    assert_int_equal(rd(&r, IIR), 0x02);
    wr(&r, IER, 0x00);
    wr(&r, IER, 0x02);
    assert_false(r.level); /* pending, but OUT2 = 0 */
    wr(&r, MCR, 0x07);     /* DTR, RTS, OUT1: still gated */
    assert_false(r.level);
    wr(&r, MCR, 0x08);
    assert_true(r.level);
    wr(&r, MCR, 0x00);
    assert_false(r.level);
    wr(&r, MCR, 0x08);
    assert_true(r.level);
    assert_int_equal(r.rises, 2);
    wr(&r, IER, 0x00); /* no enabled source: low */
    assert_false(r.level);
    wr(&r, IER, 0x02);
    assert_true(r.level);
    uart_reset(r.u);   /* MCR = 0, IER = 0 */
    assert_false(r.level);
    rig_fini(&r);
}

/* Every source at once, then each cleared in priority order. */
static void test_iir_priority(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, UART_XTAL_HZ, false);
    set_divisor(&r, 1);
    wr(&r, LCR, 0x03);
    /* Loopback drops CTS/DSR/DCD (modem status), 'a' then 'b' overrun
     * RBR in 16450 mode (line status, data), THR empties (THRE). */
    wr(&r, MCR, 0x18);
    wr(&r, THR, 'a');
    wr(&r, THR, 'b');
    run_to(&r, 320);
    wr(&r, IER, 0x0F);
    assert_true(r.level);
    assert_int_equal(rd(&r, IIR), 0x06);
    assert_int_equal(rd(&r, IIR), 0x06); /* not cleared by reading IIR */
    assert_int_equal(rd(&r, LSR), 0x63); /* OE, DR, THRE, TEMT */
    assert_int_equal(rd(&r, IIR), 0x04);
    assert_int_equal(rd(&r, RBR), 'b');
    assert_int_equal(rd(&r, IIR), 0x02);
    assert_int_equal(rd(&r, IIR), 0x00); /* that read cleared THRE */
    assert_true(r.level);
    assert_int_equal(rd(&r, MSR), 0x83); /* DCD (from OUT2) stayed on; CTS, DSR fell */
    assert_int_equal(rd(&r, IIR), 0x01);
    assert_false(r.level);

    /* The timeout indication ranks with received data, above THRE. */
    wr(&r, FCR, 0xC1);
    wr(&r, IER, 0x00);
    wr(&r, THR, 'c');
    run_to(&r, 320 + 160);
    wr(&r, IER, 0x0F); /* THRE pending too */
    assert_int_equal(rd(&r, IIR), 0xC2);
    wr(&r, IER, 0x00);
    wr(&r, IER, 0x0F);
    run_to(&r, 480 + 4 * 160);
    assert_int_equal(rd(&r, IIR), 0xCC);
    assert_int_equal(rd(&r, RBR), 'c');
    assert_int_equal(rd(&r, IIR), 0xC2);
    rig_fini(&r);
}

/* ---- errors, loopback, modem lines ---- */

static void test_overrun_and_break(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, UART_XTAL_HZ, false);
    set_divisor(&r, 1);
    wr(&r, LCR, 0x03);
    wr(&r, MCR, 0x18); /* loopback, OUT2 */
    wr(&r, IER, 0x05); /* line status, data */
    rd(&r, MSR);

    /* FIFO mode: 16 characters fill it, the 17th overruns and is lost. */
    wr(&r, FCR, 0xC7);
    for (int i = 0; i < 17; i++) {
        wr(&r, THR, (uint8_t)i);
        run_to(&r, r.ticks + 160);
    }
    assert_int_equal(rd(&r, IIR), 0xC6);
    assert_true(r.level);
    assert_int_equal(rd(&r, LSR), 0x63);
    assert_int_equal(rd(&r, LSR), 0x61); /* OE cleared by the read */
    assert_int_equal(rd(&r, IIR), 0xC4);
    for (int i = 0; i < 16; i++)
        assert_int_equal(rd(&r, RBR), i);
    assert_int_equal(rd(&r, LSR) & 0x01, 0);
    assert_int_equal(rd(&r, IIR), 0xC1);

    /* A break from the host: a zero character with BI, which shows in
     * LSR bits 2-4 only when it reaches the top of the FIFO; LSR7 flags
     * it while it is anywhere in the FIFO. */
    wr(&r, MCR, 0x08);
    assert_int_equal(uart_receive(r.u, (const uint8_t *)"x", 1), 1);
    assert_true(uart_receive_break(r.u));
    assert_int_equal(uart_receive(r.u, (const uint8_t *)"y", 1), 1);
    assert_int_equal(rd(&r, LSR), 0xE1); /* FIFO error, THRE, TEMT, DR */
    assert_int_equal(rd(&r, IIR), 0xC1);
    assert_int_equal(rd(&r, RBR), 'x');
    assert_int_equal(rd(&r, IIR), 0xC6);
    assert_int_equal(rd(&r, LSR), 0xF1); /* BI now */
    assert_int_equal(rd(&r, LSR), 0x61); /* reported: no errors left */
    assert_int_equal(rd(&r, RBR), 0x00);
    assert_int_equal(rd(&r, RBR), 'y');
    assert_int_equal(rd(&r, IIR), 0xC1);

    /* 16450 mode: the new character replaces RBR. */
    wr(&r, FCR, 0x00);
    wr(&r, MCR, 0x18);
    wr(&r, THR, 'p');
    run_to(&r, r.ticks + 160);
    wr(&r, THR, 'q');
    run_to(&r, r.ticks + 160);
    assert_int_equal(rd(&r, IIR), 0x06);
    assert_int_equal(rd(&r, LSR), 0x63);
    assert_int_equal(rd(&r, RBR), 'q');
    assert_int_equal(rd(&r, IIR), 0x01);
    /* A break into a full RBR overruns it and replaces the character. */
    wr(&r, MCR, 0x08);
    assert_int_equal(uart_receive(r.u, (const uint8_t *)"z", 1), 1);
    assert_false(uart_receive_break(r.u));
    assert_int_equal(rd(&r, LSR) & 0x1F, 0x13);
    assert_int_equal(rd(&r, RBR), 0x00);
    /* In FIFO mode it is lost instead. */
    wr(&r, FCR, 0x01);
    for (int i = 0; i < 16; i++)
        assert_int_equal(uart_receive(r.u, (const uint8_t *)"w", 1), 1);
    assert_false(uart_receive_break(r.u));
    assert_int_equal(rd(&r, LSR), 0x63);
    for (int i = 0; i < 16; i++)
        assert_int_equal(rd(&r, RBR), 'w');
    assert_int_equal(rd(&r, LSR), 0x60);
    rig_fini(&r);
}

static void test_loopback(void **state)
{
    (void)state;
    struct rig r;
    char buf[8];
    rig_init(&r, UART_XTAL_HZ, true);
    set_divisor(&r, 1);
    wr(&r, LCR, 0x03);
    wr(&r, FCR, 0x07);
    wr(&r, MCR, 0x10);
    /* The serial input is disconnected. */
    assert_false(uart_can_receive(r.u));
    assert_int_equal(uart_rx_room(r.u), 0);
    assert_int_equal(uart_receive(r.u, (const uint8_t *)"h", 1), 0);
    assert_false(uart_receive_break(r.u));

    wr(&r, THR, 'L');
    wr(&r, THR, 'p');
    run_to(&r, 159);
    assert_int_equal(rd(&r, LSR) & 0x01, 0);
    run_to(&r, 160); /* received when its transmission ends */
    assert_int_equal(rd(&r, LSR) & 0x01, 0x01);
    run_to(&r, 320);
    assert_int_equal(rd(&r, RBR), 'L');
    assert_int_equal(rd(&r, RBR), 'p');
    assert_int_equal(sent(&r, buf, sizeof(buf)), 0); /* nothing left the chip */

    /* MCR outputs come back as MSR inputs. */
    rd(&r, MSR);
    wr(&r, MCR, 0x11);
    assert_int_equal(rd(&r, MSR) & 0xF0, 0x20); /* DTR -> DSR */
    wr(&r, MCR, 0x12);
    assert_int_equal(rd(&r, MSR) & 0xF0, 0x10); /* RTS -> CTS */
    wr(&r, MCR, 0x14);
    assert_int_equal(rd(&r, MSR) & 0xF0, 0x40); /* OUT1 -> RI */
    wr(&r, MCR, 0x18);
    assert_int_equal(rd(&r, MSR) & 0xF0, 0x80); /* OUT2 -> DCD */
    wr(&r, MCR, 0x1F);
    assert_int_equal(rd(&r, MSR) & 0xF0, 0xF0);

    /* Out of loopback the bytes go to the back-end again. */
    wr(&r, MCR, 0x03);
    assert_true(uart_can_receive(r.u));
    wr(&r, THR, 'o');
    run_to(&r, 1000);
    assert_int_equal(sent(&r, buf, sizeof(buf)), 1);
    assert_int_equal(buf[0], 'o');
    assert_int_equal(rd(&r, LSR) & 0x01, 0);
    rig_fini(&r);
}

static void test_msr_deltas(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, CLOCK_RATE_DEFAULT, false);
    assert_int_equal(rd(&r, MSR), 0xB0);
    wr(&r, IER, 0x08);
    /* Loopback with all outputs off: CTS, DSR and DCD drop. */
    wr(&r, MCR, 0x10);
    assert_int_equal(rd(&r, IIR), 0x00);
    assert_false(r.level); /* OUT2 = 0 */
    assert_int_equal(rd(&r, MSR), 0x0B);
    assert_int_equal(rd(&r, MSR), 0x00); /* reading cleared the deltas */
    assert_int_equal(rd(&r, IIR), 0x01);

    wr(&r, MCR, 0x13);                   /* DTR, RTS */
    assert_int_equal(rd(&r, MSR), 0x33); /* DSR, CTS and their deltas */
    wr(&r, MCR, 0x11);
    assert_int_equal(rd(&r, MSR), 0x21); /* CTS fell: DCTS */
    /* RI: only the trailing edge (1 -> 0) sets TERI. */
    wr(&r, MCR, 0x15);
    assert_int_equal(rd(&r, MSR), 0x60);
    wr(&r, MCR, 0x11);
    assert_int_equal(rd(&r, MSR), 0x24);
    /* OUT2 -> DCD: DDCD, and the interrupt reaches the line. */
    wr(&r, MCR, 0x19);
    assert_true(r.level);
    assert_int_equal(rd(&r, IIR), 0x00);
    assert_int_equal(rd(&r, MSR), 0xA8);
    assert_false(r.level);
    /* Leaving loopback: the host lines CTS/DSR/DCD return. */
    wr(&r, MCR, 0x08);
    assert_int_equal(rd(&r, MSR), 0xB1);
    assert_int_equal(rd(&r, MSR), 0xB0);
    /* Deltas latch while EDSSI is off and interrupt once it is on. */
    wr(&r, IER, 0x00);
    wr(&r, MCR, 0x18);
    wr(&r, MCR, 0x08);
    assert_false(r.level);
    wr(&r, IER, 0x08);
    assert_true(r.level);
    assert_int_equal(rd(&r, MSR) & 0x0F, 0x03); /* DCD stayed on throughout */
    assert_false(r.level);
    rig_fini(&r);
}

/* No register sequence can hurt the host: random accesses, random time
 * and host input, then a reset restores the documented state. */
static void test_random_accesses(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, UART_XTAL_HZ, true);
    uint32_t seed = 12345;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned reg = (seed >> 16) & 7u;
        uint8_t v = (uint8_t)(seed >> 8);
        switch ((seed >> 28) & 7u) {
        case 0:
        case 1:
        case 2:
            wr(&r, reg, v);
            break;
        case 3:
        case 4:
            rd(&r, reg);
            break;
        case 5:
            uart_receive(r.u, &v, 1);
            break;
        case 6:
            if (v == 0)
                uart_receive_break(r.u);
            break;
        default:
            run_to(&r, r.ticks + (v & 0x3Fu) * 16u);
            break;
        }
        uint8_t lsr = rd(&r, LSR);
        if (lsr & 0x40)
            assert_true((lsr & 0x20) != 0); /* TEMT implies THRE */
    }
    uart_reset(r.u);
    assert_int_equal(rd(&r, LSR), 0x60);
    assert_int_equal(rd(&r, IIR), 0x01);
    assert_int_equal(rd(&r, MSR), 0xB0);
    assert_false(r.level);
    assert_true(clock_next_deadline(r.clk) == CLOCK_NEVER);
    rig_fini(&r);
}

/* ---- back-ends ---- */

static void test_file_backend(void **state)
{
    (void)state;
    char path[] = "/tmp/rz-uart-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "old contents", 12), 12);
    close(fd);

    char spec[64];
    snprintf(spec, sizeof(spec), "file:%s", path);
    char err[128] = "";
    struct chardev *cd = chardev_open(spec, err, sizeof(err));
    assert_non_null(cd);
    assert_false(chardev_has_input(cd));
    uint8_t in[4];
    assert_int_equal(chardev_read(cd, in, sizeof(in)), 0);

    struct rig r;
    rig_init(&r, UART_XTAL_HZ, false);
    uart_destroy(r.u);
    bus_destroy(r.bus);
    r.bus = bus_create();
    r.u = uart_create(r.bus, BASE, r.clk, &r.irq, cd);
    assert_non_null(r.u);
    set_divisor(&r, 1);
    wr(&r, LCR, 0x03);
    wr(&r, FCR, 0x07);
    /* All 256 byte values, 16 at a time whenever THRE says the FIFO is
     * empty. */
    unsigned next = 0;
    for (int guard = 0; next < 256 && guard < 100000; guard++) {
        if (rd(&r, LSR) & 0x20)
            for (int k = 0; k < 16 && next < 256; k++)
                wr(&r, THR, (uint8_t)next++);
        run_to(&r, r.ticks + 37);
    }
    assert_int_equal(next, 256);
    while (!(rd(&r, LSR) & 0x40))
        run_to(&r, r.ticks + 37);
    uart_destroy(r.u);
    r.u = NULL;
    chardev_close(cd);

    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t got[300];
    assert_int_equal(fread(got, 1, sizeof(got), f), 256);
    fclose(f);
    for (unsigned i = 0; i < 256; i++)
        assert_int_equal(got[i], i);
    unlink(path);
    rig_fini(&r);
}

static void test_chardev_open_errors(void **state)
{
    (void)state;
    static const char *const bad[] = { "", "bogus", "tcp:1234", "file:",
                                       "file:/nonexistent-rz-dir/out.txt", "stdio2", "FILE:x" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[160] = "";
        assert_null(chardev_open(bad[i], err, sizeof(err)));
        assert_true(strlen(err) > 0);
        assert_null(strchr(err, '\n'));
    }
    char err[160] = "";
    assert_null(chardev_open(NULL, err, sizeof(err)));
    assert_true(strlen(err) > 0);
    assert_null(chardev_open("bogus", NULL, 0)); /* no message buffer */
    char tiny[8];
    assert_null(chardev_open("file:/nonexistent-rz-dir/out.txt", tiny, sizeof(tiny)));
    assert_int_equal(strlen(tiny), sizeof(tiny) - 1);

    /* The good spellings. */
    const char *good[] = { "null", "none", "stdio" };
    for (size_t i = 0; i < 3; i++) {
        struct chardev *cd = chardev_open(good[i], err, sizeof(err));
        assert_non_null(cd);
        assert_int_equal(chardev_has_input(cd), i == 2);
        if (i < 2) {
            uint8_t b;
            chardev_write(cd, 'x'); /* discarded */
            assert_int_equal(chardev_read(cd, &b, 1), 0);
        }
        chardev_close(cd); /* stdio: flushed, stdout stays open */
    }
    assert_int_equal(fflush(stdout), 0);
    chardev_close(NULL);
}

static void test_chardev_stream_input(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    struct chardev *cd = chardev_open_stream(fds[0], NULL);
    assert_non_null(cd);
    uint8_t buf[8];
    assert_true(chardev_has_input(cd));
    assert_int_equal(chardev_read(cd, buf, sizeof(buf)), 0); /* nothing yet: no block */
    assert_int_equal(write(fds[1], "hi!", 3), 3);
    assert_int_equal(chardev_read(cd, buf, 2), 2);
    assert_memory_equal(buf, "hi", 2);

    /* Into a UART, as the board pumps it: only what fits. */
    struct rig r;
    rig_init(&r, UART_XTAL_HZ, false);
    size_t n = chardev_read(cd, buf, uart_rx_room(r.u));
    assert_int_equal(n, 1);
    assert_int_equal(uart_receive(r.u, buf, n), 1);
    assert_int_equal(rd(&r, RBR), '!');
    rig_fini(&r);

    close(fds[1]);
    assert_int_equal(chardev_read(cd, buf, sizeof(buf)), 0);
    assert_false(chardev_has_input(cd)); /* end of file: for good */
    assert_int_equal(chardev_read(cd, buf, sizeof(buf)), 0);
    chardev_close(cd);
    close(fds[0]);
}

static size_t pipe_avail(int fd, char *buf, size_t max)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    if (poll(&p, 1, 0) <= 0)
        return 0;
    ssize_t n = read(fd, buf, max);
    return n > 0 ? (size_t)n : 0;
}

/* Output is flushed at '\n' and when the transmitter goes idle, not per
 * byte. */
static void test_chardev_flush_policy(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    FILE *w = fdopen(fds[1], "w");
    assert_non_null(w);
    assert_int_equal(setvbuf(w, NULL, _IOFBF, 4096), 0);
    struct chardev *cd = chardev_open_stream(-1, w);
    assert_non_null(cd);
    char buf[16];

    chardev_write(cd, 'a');
    chardev_write(cd, 'b');
    assert_int_equal(pipe_avail(fds[0], buf, sizeof(buf)), 0);
    chardev_write(cd, '\n');
    assert_int_equal(pipe_avail(fds[0], buf, sizeof(buf)), 3);
    assert_memory_equal(buf, "ab\n", 3);

    struct rig r;
    rig_init(&r, UART_XTAL_HZ, false);
    uart_destroy(r.u);
    bus_destroy(r.bus);
    r.bus = bus_create();
    r.u = uart_create(r.bus, BASE, r.clk, &r.irq, cd);
    set_divisor(&r, 1);
    wr(&r, LCR, 0x03);
    wr(&r, FCR, 0x01);
    wr(&r, THR, 'x');
    wr(&r, THR, 'y');
    run_to(&r, 160); /* x delivered while y is still shifting out */
    assert_int_equal(pipe_avail(fds[0], buf, sizeof(buf)), 0);
    run_to(&r, 320); /* idle */
    assert_int_equal(pipe_avail(fds[0], buf, sizeof(buf)), 2);
    assert_memory_equal(buf, "xy", 2);
    wr(&r, THR, 'l');
    wr(&r, THR, '\n');
    wr(&r, THR, 'm');
    run_to(&r, 640);
    assert_int_equal(pipe_avail(fds[0], buf, sizeof(buf)), 2); /* up to the newline */
    run_to(&r, 800);
    assert_int_equal(pipe_avail(fds[0], buf, sizeof(buf)), 1);
    assert_int_equal(buf[0], 'm');
    rig_fini(&r);
    chardev_close(cd);
    fclose(w);
    close(fds[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registers_and_dlab),
        cmocka_unit_test(test_linux_8250_probe),
        cmocka_unit_test(test_rx_fifo_trigger_levels),
        cmocka_unit_test(test_character_timeout),
        cmocka_unit_test(test_tx_pacing_115200),
        cmocka_unit_test(test_tx_pacing_9600_and_formats),
        cmocka_unit_test(test_divisor_zero_stalls),
        cmocka_unit_test(test_thre_interrupt),
        cmocka_unit_test(test_out2_gates_irq),
        cmocka_unit_test(test_iir_priority),
        cmocka_unit_test(test_overrun_and_break),
        cmocka_unit_test(test_loopback),
        cmocka_unit_test(test_msr_deltas),
        cmocka_unit_test(test_random_accesses),
        cmocka_unit_test(test_file_backend),
        cmocka_unit_test(test_chardev_open_errors),
        cmocka_unit_test(test_chardev_stream_input),
        cmocka_unit_test(test_chardev_flush_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
