/*
 * test_pit.c - the 8254 PIT and system control port B (61h), driven
 * through their ports on a real bus with a fake tick source.
 *
 * Most tests set the clock rate to CLOCK_HZ_PIT so that one tick is one
 * PIT input clock and times read as pulse numbers: a count written at
 * tick W loads on pulse W + 1.  The Linux HZ, calibration and refresh
 * tests run at the default rate to check the conversions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>

#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"
#include "devices/pit.h"
#include "devices/portb.h"

#define MAX_EDGES 512

struct irq_rec {
    struct clock *clk;
    unsigned rises, falls;
    uint64_t rise_at[MAX_EDGES];
    uint64_t fall_at[MAX_EDGES];
};

struct rig {
    uint64_t ticks;
    struct clock *clk;
    struct bus *bus;
    struct pit *pit;
    struct portb *pb;
    struct irq_line irq0;
    struct irq_rec rec;
};

static uint64_t rig_source(void *opaque)
{
    return ((struct rig *)opaque)->ticks;
}

static void rec_sink(void *opaque, unsigned pin, bool level)
{
    struct irq_rec *rec = opaque;
    assert_int_equal(pin, 0);
    uint64_t now = clock_now(rec->clk);
    if (level) {
        if (rec->rises < MAX_EDGES)
            rec->rise_at[rec->rises] = now;
        rec->rises++;
    } else {
        if (rec->falls < MAX_EDGES)
            rec->fall_at[rec->falls] = now;
        rec->falls++;
    }
}

/* rate 0: the clock's default rate. */
static struct rig *rig_new(uint64_t rate)
{
    struct rig *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    r->clk = clock_create(rig_source, r);
    assert_non_null(r->clk);
    if (rate != 0)
        clock_set_rate(r->clk, rate);
    r->bus = bus_create();
    assert_non_null(r->bus);
    r->rec.clk = r->clk;
    irq_line_init(&r->irq0, rec_sink, &r->rec, 0);
    r->pit = pit_create(r->bus, 0x40, r->clk, &r->irq0);
    assert_non_null(r->pit);
    r->pb = portb_create(r->bus, 0x61, r->clk, r->pit);
    assert_non_null(r->pb);
    return r;
}

static void rig_free(struct rig *r)
{
    portb_destroy(r->pb);
    pit_destroy(r->pit);
    assert_true(clock_next_deadline(r->clk) == CLOCK_NEVER);
    bus_destroy(r->bus);
    clock_destroy(r->clk);
    free(r);
}

static void rec_clear(struct rig *r)
{
    r->rec.rises = 0;
    r->rec.falls = 0;
}

/* Let virtual time reach `t` as the board does: each event runs at its
 * deadline. */
static void at(struct rig *r, uint64_t t)
{
    assert_true(t >= r->ticks);
    for (;;) {
        uint64_t d = clock_next_deadline(r->clk);
        if (d > t)
            break;
        if (d > r->ticks)
            r->ticks = d;
        clock_run_due(r->clk);
    }
    r->ticks = t;
    clock_run_due(r->clk);
}

static void outb(struct rig *r, uint16_t port, uint8_t v)
{
    bus_io_write(r->bus, port, v, 1);
}

static uint8_t inb(struct rig *r, uint16_t port)
{
    return (uint8_t)bus_io_read(r->bus, port, 1);
}

/* Two reads of a counter port in word access mode: LSB, then MSB. */
static unsigned word_in(struct rig *r, uint16_t port)
{
    unsigned lo = inb(r, port);
    return lo | (unsigned)inb(r, port) << 8;
}

/* Counter latch command, then LSB and MSB (word access mode). */
static unsigned latched(struct rig *r, unsigned ch)
{
    outb(r, 0x43, (uint8_t)(ch << 6));
    return word_in(r, (uint16_t)(0x40 + ch));
}

/* Read-back command latching the status of one counter, then read it. */
static uint8_t status(struct rig *r, unsigned ch)
{
    outb(r, 0x43, (uint8_t)(0xE0u | (2u << ch)));
    return inb(r, (uint16_t)(0x40 + ch));
}

static bool out_pin(struct rig *r, unsigned ch)
{
    bool level = pit_out(r->pit, ch);
    assert_int_equal((status(r, ch) & 0x80) != 0, level);
    return level;
}

static void write_word(struct rig *r, unsigned ch, unsigned count)
{
    outb(r, (uint16_t)(0x40 + ch), (uint8_t)count);
    outb(r, (uint16_t)(0x40 + ch), (uint8_t)(count >> 8));
}

/* At the default rate: PIT pulses elapsed at tick t, and the tick at
 * which pulse k falls, computed here independently of the clock. */
static uint64_t pulses_at(uint64_t t)
{
    return t * CLOCK_HZ_PIT / CLOCK_RATE_DEFAULT;
}

static uint64_t tick_of_pulse(uint64_t k)
{
    return (k * CLOCK_RATE_DEFAULT + CLOCK_HZ_PIT - 1) / CLOCK_HZ_PIT;
}

/* ---- modes ---- */

static void test_mode0_interrupt_on_terminal_count(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    at(r, 100);
    outb(r, 0x43, 0x30); /* counter 0, LSB then MSB, mode 0, binary */
    assert_int_equal(status(r, 0), 0x70); /* OUT low, null count, RW 3, mode 0 */
    write_word(r, 0, 5);
    assert_int_equal(status(r, 0), 0x70); /* not loaded before the next pulse */
    at(r, 101);
    assert_int_equal(status(r, 0), 0x30);
    assert_int_equal(latched(r, 0), 5);
    at(r, 105);
    assert_int_equal(latched(r, 0), 1);
    assert_false(out_pin(r, 0));
    assert_int_equal(r->rec.rises, 0);
    at(r, 106); /* N + 1 pulses after the write */
    assert_int_equal(latched(r, 0), 0);
    assert_true(out_pin(r, 0));
    assert_int_equal(r->rec.rises, 1);
    assert_int_equal(r->rec.rise_at[0], 106);
    at(r, 107);
    assert_int_equal(latched(r, 0), 0xFFFF); /* keeps counting, wrapped */
    at(r, 200);
    assert_true(out_pin(r, 0));
    assert_int_equal(r->rec.rises, 1);
    assert_true(clock_next_deadline(r->clk) == CLOCK_NEVER);

    /* A new count: the first byte stops counting and drops OUT at once,
     * the second loads on the next pulse. */
    outb(r, 0x40, 3);
    assert_false(out_pin(r, 0));
    assert_int_equal(r->rec.falls, 1);
    assert_int_equal(r->rec.fall_at[0], 200);
    unsigned frozen = latched(r, 0);
    assert_int_equal(frozen, (0x10000u - (200u - 106u)) & 0xFFFFu);
    at(r, 203);
    assert_int_equal(latched(r, 0), frozen);
    outb(r, 0x40, 0);
    at(r, 204);
    assert_int_equal(latched(r, 0), 3);
    at(r, 206);
    assert_false(out_pin(r, 0));
    at(r, 207);
    assert_true(out_pin(r, 0));
    assert_int_equal(r->rec.rises, 2);
    assert_int_equal(r->rec.rise_at[1], 207);

    /* A new control word puts OUT low again without a count. */
    outb(r, 0x43, 0x30);
    assert_false(out_pin(r, 0));
    at(r, 400);
    assert_int_equal(r->rec.rises, 2);
    rig_free(r);
}

static void test_mode0_gate_through_port_b(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    at(r, 1000);
    outb(r, 0x61, 0x00); /* gate 2 low */
    outb(r, 0x43, 0xB0); /* counter 2, word, mode 0 */
    write_word(r, 2, 10);
    at(r, 1001);
    assert_int_equal(latched(r, 2), 10); /* loaded although the gate is low */
    assert_int_equal(status(r, 2) & 0x40, 0);
    at(r, 1050);
    assert_int_equal(latched(r, 2), 10);
    assert_int_equal(inb(r, 0x61) & 0x20, 0);
    outb(r, 0x61, 0x01);
    at(r, 1053);
    assert_int_equal(latched(r, 2), 7);
    outb(r, 0x61, 0x00); /* pause */
    at(r, 1100);
    assert_int_equal(latched(r, 2), 7);
    assert_int_equal(inb(r, 0x61) & 0x21, 0x00);
    outb(r, 0x61, 0x01);
    at(r, 1106);
    assert_int_equal(latched(r, 2), 1);
    assert_int_equal(inb(r, 0x61) & 0x20, 0);
    at(r, 1107);
    assert_int_equal(latched(r, 2), 0);
    assert_int_equal(inb(r, 0x61) & 0x21, 0x21);
    assert_int_equal(r->rec.rises, 0); /* counter 2 has no IRQ */
    rig_free(r);
}

static void test_mode1_one_shot(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    at(r, 400);
    outb(r, 0x61, 0x00);
    outb(r, 0x43, 0xB2); /* counter 2, word, mode 1 */
    write_word(r, 2, 4);
    assert_int_equal(status(r, 2), 0xF2); /* OUT high, null count */
    at(r, 500);
    assert_int_equal(status(r, 2), 0xF2); /* no trigger, no load */
    outb(r, 0x61, 0x01);                   /* trigger */
    assert_true(out_pin(r, 2));
    at(r, 501);
    assert_false(out_pin(r, 2));
    assert_int_equal(latched(r, 2), 4);
    assert_int_equal(status(r, 2) & 0x40, 0);
    at(r, 504);
    assert_int_equal(latched(r, 2), 1);
    assert_false(out_pin(r, 2));
    at(r, 505);
    assert_true(out_pin(r, 2));
    assert_int_equal(latched(r, 2), 0);

    /* Retriggered: the one-shot restarts from the full count. */
    at(r, 600);
    outb(r, 0x61, 0x00);
    outb(r, 0x61, 0x01); /* trigger: loads at 601 */
    at(r, 602);
    outb(r, 0x61, 0x00); /* a low gate does not stop mode 1 */
    at(r, 603);
    assert_false(out_pin(r, 2));
    assert_int_equal(latched(r, 2), 2);
    outb(r, 0x61, 0x01); /* retrigger at 603 */
    at(r, 604);
    assert_int_equal(latched(r, 2), 4);
    at(r, 607);
    assert_false(out_pin(r, 2));
    at(r, 608);
    assert_true(out_pin(r, 2));

    /* A new count does not touch the running one-shot; the next trigger
     * uses it. */
    outb(r, 0x61, 0x00);
    at(r, 700);
    outb(r, 0x61, 0x01);
    at(r, 702);
    write_word(r, 2, 10);
    assert_int_equal(status(r, 2) & 0x40, 0x40);
    at(r, 704);
    assert_false(out_pin(r, 2));
    at(r, 705);
    assert_true(out_pin(r, 2));
    outb(r, 0x61, 0x00);
    outb(r, 0x61, 0x01);
    at(r, 706);
    assert_false(out_pin(r, 2));
    assert_int_equal(latched(r, 2), 10);
    at(r, 715);
    assert_false(out_pin(r, 2));
    at(r, 716);
    assert_true(out_pin(r, 2));
    rig_free(r);
}

static void test_mode2_rate_generator(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    at(r, 1000);
    outb(r, 0x43, 0x34); /* counter 0, word, mode 2 */
    write_word(r, 0, 5);
    assert_true(out_pin(r, 0));
    rec_clear(r); /* the control word raised OUT0 */
    at(r, 1001);
    assert_int_equal(latched(r, 0), 5);
    at(r, 1004);
    assert_int_equal(latched(r, 0), 2);
    assert_true(out_pin(r, 0));
    at(r, 1005); /* CE = 1: OUT low for one pulse */
    assert_int_equal(latched(r, 0), 1);
    assert_false(out_pin(r, 0));
    assert_int_equal(r->rec.falls, 1);
    assert_int_equal(r->rec.fall_at[0], 1005);
    at(r, 1006); /* reload: OUT rises, IRQ 0 edge */
    assert_int_equal(latched(r, 0), 5);
    assert_true(out_pin(r, 0));
    assert_int_equal(r->rec.rises, 1);
    assert_int_equal(r->rec.rise_at[0], 1006);

    at(r, 1100);
    assert_int_equal(r->rec.rises, 19);
    for (unsigned i = 0; i < 19; i++) {
        assert_int_equal(r->rec.rise_at[i], 1006 + 5 * i);
        assert_int_equal(r->rec.fall_at[i], 1005 + 5 * i);
    }
    for (uint64_t t = 1101; t < 1121; t++) {
        at(r, t);
        unsigned c = latched(r, 0);
        assert_true(c >= 1 && c <= 5); /* never reads 0 */
        assert_int_equal(c, 5 - (t - 1101) % 5);
    }

    /* A new count mid-period takes effect at the next reload. */
    at(r, 1122); /* count 4 (reloaded at 1121) */
    rec_clear(r);
    assert_int_equal(latched(r, 0), 4);
    write_word(r, 0, 3);
    assert_int_equal(status(r, 0) & 0x40, 0x40); /* null count until the reload */
    at(r, 1125);
    assert_int_equal(latched(r, 0), 1);
    assert_int_equal(status(r, 0) & 0x40, 0x40);
    at(r, 1126);
    assert_int_equal(latched(r, 0), 3);
    assert_int_equal(status(r, 0) & 0x40, 0);
    at(r, 1135);
    assert_int_equal(r->rec.rises, 4);
    assert_int_equal(r->rec.rise_at[0], 1126);
    assert_int_equal(r->rec.rise_at[1], 1129);
    assert_int_equal(r->rec.rise_at[3], 1135);
    rig_free(r);
}

static void test_mode2_gate(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    at(r, 10);
    outb(r, 0x61, 0x01);
    outb(r, 0x43, 0xB4); /* counter 2, word, mode 2 */
    write_word(r, 2, 4);
    at(r, 14); /* loaded at 11: 4, 3, 2, 1 */
    assert_int_equal(latched(r, 2), 1);
    assert_int_equal(inb(r, 0x61) & 0x20, 0);
    outb(r, 0x61, 0x00); /* gate low during the output pulse: OUT high at once */
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    at(r, 30);
    assert_int_equal(latched(r, 2), 1);
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    outb(r, 0x61, 0x01); /* trigger: reload on the next pulse */
    at(r, 31);
    assert_int_equal(latched(r, 2), 4);
    at(r, 33);
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    at(r, 34);
    assert_int_equal(inb(r, 0x61) & 0x20, 0);
    at(r, 35);
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    assert_int_equal(latched(r, 2), 4);
    rig_free(r);
}

static void test_mode2_linux_hz(void **state)
{
    (void)state;
    struct rig *r = rig_new(0); /* 50 M ticks per second */
    const unsigned latch = (CLOCK_HZ_PIT + 250 / 2) / 250; /* Linux LATCH for HZ=250 */
    assert_int_equal(latch, 4773);
    const uint64_t start = 12345;
    at(r, start);
    outb(r, 0x43, 0x34);
    outb(r, 0x40, (uint8_t)latch);
    outb(r, 0x40, (uint8_t)(latch >> 8));
    rec_clear(r);
    const uint64_t load = pulses_at(start) + 1;
    const uint64_t end = start + CLOCK_RATE_DEFAULT; /* one guest second */
    at(r, end);
    uint64_t expected = (pulses_at(end) - load) / latch;
    assert_true(expected >= 249 && expected <= 250);
    assert_int_equal(r->rec.rises, expected);
    for (unsigned i = 0; i < r->rec.rises && i < MAX_EDGES; i++) {
        assert_int_equal(r->rec.rise_at[i], tick_of_pulse(load + (uint64_t)(i + 1) * latch));
        assert_int_equal(r->rec.fall_at[i], tick_of_pulse(load + (uint64_t)(i + 1) * latch - 1));
    }
    /* The next event is the next edge, not a tick. */
    uint64_t next_low = load + (expected + 1) * latch - 1;
    assert_int_equal(clock_next_deadline(r->clk), tick_of_pulse(next_low));
    rig_free(r);
}

static void test_mode3_square_wave(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    /* Even count: 3 pulses high, 3 low; the count steps by two. */
    at(r, 2000);
    outb(r, 0x43, 0x36); /* OUT0 goes high: an edge of its own */
    write_word(r, 0, 6);
    rec_clear(r);
    static const unsigned even_count[] = { 6, 4, 2, 6, 4, 2, 6, 4 };
    static const bool even_out[] = { 1, 1, 1, 0, 0, 0, 1, 1 };
    for (unsigned i = 0; i < 8; i++) {
        at(r, 2001 + i);
        assert_int_equal(latched(r, 0), even_count[i]);
        assert_int_equal(out_pin(r, 0), even_out[i]);
    }
    assert_int_equal(r->rec.falls, 1);
    assert_int_equal(r->rec.fall_at[0], 2004);
    assert_int_equal(r->rec.rises, 1);
    assert_int_equal(r->rec.rise_at[0], 2007);
    at(r, 2100);
    assert_int_equal(r->rec.rises, 1 + (2100 - 2007) / 6);

    /* Odd count: high for (N+1)/2, low for (N-1)/2; the high half counts
     * N-1 .. 0, the low half N-1 .. 2. */
    outb(r, 0x43, 0x36);
    write_word(r, 0, 5);
    rec_clear(r);
    static const unsigned odd_count[] = { 4, 2, 0, 4, 2, 4, 2, 0, 4, 2, 4 };
    static const bool odd_out[] = { 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1 };
    for (unsigned i = 0; i < 11; i++) {
        at(r, 2101 + i);
        assert_int_equal(latched(r, 0), odd_count[i]);
        assert_int_equal(out_pin(r, 0), odd_out[i]);
    }
    assert_int_equal(r->rec.rises, 2);
    assert_int_equal(r->rec.rise_at[0], 2106);
    assert_int_equal(r->rec.rise_at[1], 2111);
    assert_int_equal(r->rec.fall_at[0], 2104);

    /* A new count mid-half-cycle takes effect at the end of that half:
     * count 8 loaded at 3001 (high until 3005), 4 written at 3002. */
    at(r, 3000);
    outb(r, 0x43, 0x36);
    write_word(r, 0, 8);
    rec_clear(r);
    at(r, 3002);
    write_word(r, 0, 4);
    at(r, 3020);
    assert_int_equal(r->rec.fall_at[0], 3005);
    assert_int_equal(r->rec.rise_at[0], 3007);
    assert_int_equal(r->rec.fall_at[1], 3009);
    assert_int_equal(r->rec.rise_at[1], 3011);

    /* Count 0 = 65536: the BIOS's 18.2 Hz tick. */
    outb(r, 0x43, 0x36);
    write_word(r, 0, 0);
    rec_clear(r);
    at(r, 3021);
    assert_int_equal(latched(r, 0), 0);
    at(r, 3022);
    assert_int_equal(latched(r, 0), 0xFFFE);
    at(r, 3021 + 3 * 65536);
    assert_int_equal(r->rec.rises, 3);
    assert_int_equal(r->rec.falls, 3);
    assert_int_equal(r->rec.fall_at[0], 3021 + 32768);
    assert_int_equal(r->rec.rise_at[0], 3021 + 65536);
    assert_int_equal(r->rec.rise_at[2], 3021 + 3 * 65536);
    rig_free(r);
}

static void test_mode3_gate(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    at(r, 50);
    outb(r, 0x61, 0x01);
    outb(r, 0x43, 0xB6); /* counter 2, word, mode 3 */
    write_word(r, 2, 6);
    at(r, 55); /* loaded at 51: low half from 54 */
    assert_int_equal(inb(r, 0x61) & 0x20, 0);
    outb(r, 0x61, 0x00); /* gate low while OUT low: OUT high at once */
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    at(r, 70);
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    outb(r, 0x61, 0x01); /* trigger: reload at 71, high half 71-73 */
    at(r, 71);
    assert_int_equal(latched(r, 2), 6);
    at(r, 73);
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    at(r, 74);
    assert_int_equal(inb(r, 0x61) & 0x20, 0);
    at(r, 77);
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    rig_free(r);
}

static void test_mode4_software_strobe(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    at(r, 100);
    outb(r, 0x43, 0x38); /* counter 0, word, mode 4 */
    assert_true(out_pin(r, 0));
    write_word(r, 0, 3);
    rec_clear(r);
    at(r, 103);
    assert_int_equal(latched(r, 0), 1);
    assert_true(out_pin(r, 0));
    at(r, 104); /* N + 1 pulses after the write: one pulse low */
    assert_int_equal(latched(r, 0), 0);
    assert_false(out_pin(r, 0));
    at(r, 105);
    assert_true(out_pin(r, 0));
    assert_int_equal(latched(r, 0), 0xFFFF);
    assert_int_equal(r->rec.falls, 1);
    assert_int_equal(r->rec.fall_at[0], 104);
    assert_int_equal(r->rec.rises, 1);
    assert_int_equal(r->rec.rise_at[0], 105);
    at(r, 100000); /* no second strobe after the wrap */
    assert_int_equal(r->rec.falls, 1);
    assert_true(clock_next_deadline(r->clk) == CLOCK_NEVER);

    /* A new count restarts on the next pulse. */
    write_word(r, 0, 10);
    at(r, 100005);
    write_word(r, 0, 2);
    at(r, 100007);
    assert_int_equal(r->rec.falls, 1);
    at(r, 100010);
    assert_int_equal(r->rec.fall_at[1], 100008);
    assert_int_equal(r->rec.rise_at[1], 100009);

    /* Gate low pauses the count (counter 2 through port 61h). */
    outb(r, 0x61, 0x01);
    outb(r, 0x43, 0xB8);
    write_word(r, 2, 5);
    at(r, 100013); /* loaded at 100011 */
    assert_int_equal(latched(r, 2), 3);
    outb(r, 0x61, 0x00);
    at(r, 100050);
    assert_int_equal(latched(r, 2), 3);
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    outb(r, 0x61, 0x01);
    at(r, 100052);
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    at(r, 100053);
    assert_int_equal(inb(r, 0x61) & 0x20, 0);
    at(r, 100054);
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    rig_free(r);
}

static void test_mode5_hardware_strobe(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    at(r, 50);
    pit_set_gate(r->pit, 0, false);
    outb(r, 0x43, 0x3A); /* counter 0, word, mode 5 */
    write_word(r, 0, 3);
    rec_clear(r);
    at(r, 80);
    assert_true(out_pin(r, 0));
    assert_int_equal(status(r, 0) & 0x40, 0x40); /* waits for a trigger */
    assert_int_equal(r->rec.falls, 0);
    pit_set_gate(r->pit, 0, true);
    at(r, 81);
    assert_int_equal(latched(r, 0), 3);
    assert_int_equal(status(r, 0) & 0x40, 0);
    at(r, 85);
    assert_int_equal(r->rec.falls, 1);
    assert_int_equal(r->rec.fall_at[0], 84);
    assert_int_equal(r->rec.rises, 1);
    assert_int_equal(r->rec.rise_at[0], 85);

    /* Retriggered before the strobe: counting restarts. */
    at(r, 90);
    pit_set_gate(r->pit, 0, false);
    pit_set_gate(r->pit, 0, true);
    at(r, 92);
    assert_int_equal(latched(r, 0), 2);
    pit_set_gate(r->pit, 0, false);
    pit_set_gate(r->pit, 0, true);
    at(r, 100);
    assert_int_equal(r->rec.falls, 2);
    assert_int_equal(r->rec.fall_at[1], 96);
    assert_int_equal(r->rec.rise_at[1], 97);
    rig_free(r);
}

/* ---- BCD, latches, access modes, read-back ---- */

static void test_bcd(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    at(r, 10);
    outb(r, 0x61, 0x01);
    outb(r, 0x43, 0xB1); /* counter 2, word, mode 0, BCD */
    write_word(r, 2, 0x0100);
    assert_int_equal(status(r, 2) & 0x01, 1);
    at(r, 11);
    assert_int_equal(latched(r, 2), 0x0100);
    at(r, 12);
    assert_int_equal(latched(r, 2), 0x0099);
    at(r, 102);
    assert_int_equal(latched(r, 2), 0x0009);
    assert_int_equal(inb(r, 0x61) & 0x20, 0);
    at(r, 111);
    assert_int_equal(latched(r, 2), 0x0000);
    assert_int_equal(inb(r, 0x61) & 0x20, 0x20);
    at(r, 112);
    assert_int_equal(latched(r, 2), 0x9999);

    /* BCD count 0 is 10000: a mode 2 period of 10000 pulses. */
    outb(r, 0x43, 0x35);
    write_word(r, 0, 0x0000);
    rec_clear(r);
    at(r, 113);
    assert_int_equal(latched(r, 0), 0x0000);
    at(r, 114);
    assert_int_equal(latched(r, 0), 0x9999);
    at(r, 113 + 20000);
    assert_int_equal(r->rec.rises, 2);
    assert_int_equal(r->rec.rise_at[0], 113 + 10000);
    assert_int_equal(r->rec.rise_at[1], 113 + 20000);

    /* Mode 3, BCD 15 (odd): 8 pulses high, 7 low; the count reads 14,
     * 12, .. in BCD. */
    outb(r, 0x43, 0x37);
    write_word(r, 0, 0x0015);
    rec_clear(r);
    uint64_t load = r->ticks + 1;
    at(r, load);
    assert_int_equal(latched(r, 0), 0x14);
    at(r, load + 1);
    assert_int_equal(latched(r, 0), 0x12);
    at(r, load + 30);
    assert_int_equal(r->rec.fall_at[0], load + 8);
    assert_int_equal(r->rec.rise_at[0], load + 15);
    assert_int_equal(r->rec.rise_at[1], load + 30);

    /* Digits above 9 are taken as they come (A = 10), modulo 10000. */
    outb(r, 0x43, 0xB1);
    write_word(r, 2, 0x00FF); /* 15 * 10 + 15 = 165 */
    at(r, r->ticks + 1);
    assert_int_equal(latched(r, 2), 0x0165);
    rig_free(r);
}

static void test_latch_and_access_modes(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    at(r, 100);
    outb(r, 0x61, 0x01);
    outb(r, 0x43, 0xB4); /* counter 2, word, mode 2 */
    write_word(r, 2, 1000);
    at(r, 111); /* loaded at 101 */
    outb(r, 0x43, 0x80); /* latch */
    at(r, 150);
    assert_int_equal(inb(r, 0x42), 990 & 0xFF);
    at(r, 160);
    assert_int_equal(inb(r, 0x42), 990 >> 8);
    assert_int_equal(latched(r, 2), 941); /* the latch was released */

    /* A second latch before the first is read is ignored. */
    at(r, 170);
    outb(r, 0x43, 0x80);
    at(r, 180);
    outb(r, 0x43, 0x80);
    assert_int_equal(word_in(r, 0x42), 931);
    assert_int_equal(latched(r, 2), 921);

    /* Unlatched reads see the live count. */
    at(r, 200);
    assert_int_equal(word_in(r, 0x42), 901);

    /* Read and write byte toggles are separate: LSB read, LSB write,
     * MSB read, MSB write. */
    outb(r, 0x43, 0x80);
    assert_int_equal(inb(r, 0x42), 901 & 0xFF);
    outb(r, 0x42, 0x34);
    assert_int_equal(inb(r, 0x42), 901 >> 8);
    outb(r, 0x42, 0x02); /* new count 0x0234 at the next reload */
    at(r, 200 + 900);
    assert_int_equal(latched(r, 2), 1);
    at(r, 200 + 901);
    assert_int_equal(latched(r, 2), 0x234);

    /* LSB only: one byte per count, every read is the LSB. */
    outb(r, 0x43, 0x94); /* counter 2, LSB, mode 2 */
    outb(r, 0x42, 200);
    at(r, r->ticks + 3);
    assert_int_equal(inb(r, 0x42), 198);
    assert_int_equal(inb(r, 0x42), 198);
    outb(r, 0x43, 0x80);
    at(r, r->ticks + 5);
    assert_int_equal(inb(r, 0x42), 198); /* latched, released after one byte */
    assert_int_equal(inb(r, 0x42), 193);

    /* MSB only: the byte is the high half of the count. */
    outb(r, 0x43, 0xA4);
    outb(r, 0x42, 0x02);
    uint64_t load = r->ticks + 1;
    at(r, load);
    assert_int_equal(inb(r, 0x42), 0x02);
    at(r, load + 1);
    assert_int_equal(inb(r, 0x42), 0x01); /* 0x1FF */
    assert_int_equal(status(r, 2), 0xA4);
    at(r, load + 511);
    assert_int_equal(inb(r, 0x61) & 0x20, 0);
    rig_free(r);
}

static void test_read_back_and_null_count(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    at(r, 1000);
    outb(r, 0x61, 0x01); /* gate 2 high */
    outb(r, 0x43, 0x34); /* counter 0: word, mode 2 */
    write_word(r, 0, 100);
    outb(r, 0x43, 0x77); /* counter 1: word, mode 3, BCD */
    write_word(r, 1, 0x0050);
    outb(r, 0x43, 0x90); /* counter 2: LSB, mode 0, no count */
    assert_int_equal(status(r, 0), 0xF4);
    assert_int_equal(status(r, 1), 0xF7);
    assert_int_equal(status(r, 2), 0x50);

    /* Count and status of all three at once: status first, then count. */
    at(r, 1001);
    outb(r, 0x43, 0xCE);
    at(r, 1010);
    assert_int_equal(inb(r, 0x40), 0xB4);
    assert_int_equal(word_in(r, 0x40), 100);
    assert_int_equal(inb(r, 0x41), 0xB7);
    assert_int_equal(word_in(r, 0x41), 0x0050);
    assert_int_equal(inb(r, 0x42), 0x50);
    assert_int_equal(inb(r, 0x42), 0); /* no count loaded yet: CE as it was */
    assert_int_equal(latched(r, 0), 91); /* latches released */

    /* Count only, counter 2 (LSB access): one byte. */
    outb(r, 0x42, 40);
    at(r, 1020); /* loaded at 1011 */
    outb(r, 0x43, 0xD8);
    at(r, 1025);
    assert_int_equal(inb(r, 0x42), 31);
    assert_int_equal(inb(r, 0x42), 26);

    /* A status latch while one is pending is ignored (table "Read-Back
     * Command Example"). */
    outb(r, 0x43, 0x30); /* counter 0: mode 0, OUT low */
    outb(r, 0x43, 0xE2);
    write_word(r, 0, 2);
    at(r, 1030);
    outb(r, 0x43, 0xE2);
    assert_int_equal(inb(r, 0x40), 0x70); /* the first status: OUT low, null */
    assert_int_equal(status(r, 0), 0xB0);  /* now: OUT high, loaded */

    /* Count latched with the counter latch command, status by
     * read-back: status still comes first. */
    outb(r, 0x43, 0x00);
    outb(r, 0x43, 0xE2);
    assert_int_equal(inb(r, 0x40), 0xB0);
    assert_int_equal(word_in(r, 0x40), (0x10000u + 2u - (1030u - 1026u)) & 0xFFFF);

    /* A control word resets the counter's logic, pending latches too. */
    outb(r, 0x43, 0xC2); /* latch count and status of counter 0 */
    outb(r, 0x43, 0x34);
    write_word(r, 0, 7);
    at(r, r->ticks + 1);
    assert_int_equal(word_in(r, 0x40), 7); /* live, no stale status or count */

    /* Modes 6 and 7 act as 2 and 3 but read back as written. */
    outb(r, 0x43, 0x3C);
    assert_int_equal(status(r, 0), 0xFC);
    write_word(r, 0, 4);
    rec_clear(r);
    at(r, 1040); /* loaded at 1032: rises every 4 from 1036 */
    assert_int_equal(r->rec.rises, 2);
    assert_int_equal(r->rec.rise_at[0], 1036);
    outb(r, 0x43, 0x3E);
    assert_int_equal(status(r, 0), 0xFE);
    rig_free(r);
}

/* ---- port 61h ---- */

static void test_port_b_bits(void **state)
{
    (void)state;
    struct rig *r = rig_new(0);
    assert_int_equal(inb(r, 0x61), 0x00); /* reset; OUT2 low, refresh phase 0 */
    outb(r, 0x61, 0xFF);
    assert_int_equal(inb(r, 0x61) & 0xCF, 0x0F); /* 6, 7 read 0 */
    outb(r, 0x61, 0x0C);
    assert_int_equal(inb(r, 0x61) & 0xCF, 0x0C);
    outb(r, 0x61, 0x02);
    assert_int_equal(inb(r, 0x61) & 0x0F, 0x02);
    portb_reset(r->pb);
    assert_int_equal(inb(r, 0x61) & 0x0F, 0x00);

    /* Refresh toggle: flips every 18 PIT clocks. */
    for (uint64_t k = 1; k <= 6; k++) {
        uint64_t t = tick_of_pulse(18 * k);
        at(r, t - 1);
        assert_int_equal((inb(r, 0x61) >> 4) & 1, (k - 1) & 1);
        at(r, t);
        assert_int_equal((inb(r, 0x61) >> 4) & 1, k & 1);
    }
    /* About 66 toggles per millisecond (15.085 us each). */
    uint64_t t0 = 1000000;
    at(r, t0);
    unsigned flips = 0, last = inb(r, 0x61) & 0x10;
    for (uint64_t t = t0 + 1; t <= t0 + CLOCK_RATE_DEFAULT / 1000; t += 50) {
        at(r, t);
        unsigned b = inb(r, 0x61) & 0x10;
        flips += b != last;
        last = b;
    }
    assert_true(flips >= 66 && flips <= 67);

    /* Reset leaves gate 2 low: a mode 0 count loads but does not run. */
    outb(r, 0x43, 0xB0);
    write_word(r, 2, 100);
    at(r, r->ticks + 10000);
    assert_int_equal(latched(r, 2), 100);

    /* Bit 5 follows OUT2 live, whatever the speaker bit says. */
    outb(r, 0x43, 0xB0);
    outb(r, 0x61, 0x03);
    write_word(r, 2, 2);
    assert_int_equal(inb(r, 0x61) & 0x20, 0);
    at(r, tick_of_pulse(pulses_at(r->ticks) + 3));
    assert_int_equal(inb(r, 0x61) & 0x23, 0x23);
    rig_free(r);
}

/* The classic calibration loop of Linux (pit_calibrate_tsc) and of
 * BIOSes: counter 2 in mode 0 for 50 ms, gate via 61h, poll bit 5. */
static void test_calibration_loop(void **state)
{
    (void)state;
    struct rig *r = rig_new(0);
    const unsigned cal_latch = CLOCK_HZ_PIT / 20; /* 50 ms */
    const uint64_t start = 777;
    at(r, start);
    outb(r, 0x61, (uint8_t)((inb(r, 0x61) & ~0x02) | 0x01));
    outb(r, 0x43, 0xB0);
    outb(r, 0x42, (uint8_t)cal_latch);
    outb(r, 0x42, (uint8_t)(cal_latch >> 8));
    const uint64_t expect = tick_of_pulse(pulses_at(start) + 1 + cal_latch);
    const uint64_t step = 37; /* a short poll loop */
    uint64_t t = start;
    unsigned prev = 0x10000, polls = 0;
    while ((inb(r, 0x61) & 0x20) == 0 && polls < 1000000) {
        if (polls % 1000 == 999) {
            unsigned c = latched(r, 2);
            assert_true(c < prev); /* counting down */
            prev = c;
        }
        t += step;
        at(r, t);
        polls++;
    }
    assert_true(t >= expect);
    assert_true(t < expect + step);
    /* 50 ms of guest time at 50 M ticks per second. */
    assert_true(t - start > 2490000 && t - start < 2510000);
    rig_free(r);
}

/* ---- edges, reset, robustness ---- */

static void test_late_events_keep_every_edge(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    outb(r, 0x43, 0x34);
    write_word(r, 0, 10); /* loaded at 1: rises at 11, 21, 31 */
    rec_clear(r);
    r->ticks = 35;         /* the board ran late */
    clock_run_due(r->clk);
    assert_int_equal(r->rec.rises, 3);
    assert_int_equal(r->rec.falls, 3);
    assert_true(r->irq0.level);
    assert_int_equal(clock_next_deadline(r->clk), 40);

    /* Mode 2 with the illegal count 1 keeps OUT low: no event storm. */
    outb(r, 0x43, 0x34);
    write_word(r, 0, 1);
    at(r, 40);
    assert_false(out_pin(r, 0));
    assert_true(clock_next_deadline(r->clk) == CLOCK_NEVER);
    /* Mode 3 with count 1 keeps OUT high. */
    outb(r, 0x43, 0x36);
    write_word(r, 0, 1);
    at(r, 50);
    assert_true(out_pin(r, 0));
    assert_true(clock_next_deadline(r->clk) == CLOCK_NEVER);
    rig_free(r);
}

static void test_reset_and_garbage(void **state)
{
    (void)state;
    struct rig *r = rig_new(CLOCK_HZ_PIT);
    /* Every value on every port, with time passing. */
    for (unsigned port = 0x40; port <= 0x43; port++) {
        for (unsigned v = 0; v < 256; v++) {
            outb(r, (uint16_t)port, (uint8_t)v);
            outb(r, (uint16_t)(0x40 + (v & 3)), (uint8_t)(v * 7));
            (void)inb(r, (uint16_t)(0x40 + (v % 3)));
            (void)inb(r, 0x61);
            outb(r, 0x61, (uint8_t)v);
            at(r, r->ticks + (v & 15));
        }
    }
    assert_int_equal(inb(r, 0x43), 0xFF);
    (void)bus_io_read(r->bus, 0x40, 4);
    pit_reset(r->pit);
    portb_reset(r->pb);
    for (unsigned ch = 0; ch < 3; ch++)
        assert_int_equal(status(r, ch), 0x70);
    assert_false(r->irq0.level);
    assert_true(clock_next_deadline(r->clk) == CLOCK_NEVER);
    assert_int_equal(inb(r, 0x61) & 0x2F, 0);

    pit_set_gate(r->pit, 7, true);
    assert_false(pit_out(r->pit, 3));
    pit_set_gate(NULL, 0, true);
    assert_false(pit_out(NULL, 0));
    pit_reset(NULL);
    pit_destroy(NULL);
    portb_reset(NULL);
    portb_destroy(NULL);

    /* Ports taken, bad arguments. */
    assert_null(pit_create(r->bus, 0x40, r->clk, NULL));
    assert_null(pit_create(r->bus, 0x140, NULL, NULL));
    assert_null(portb_create(r->bus, 0x61, r->clk, r->pit));
    assert_null(portb_create(r->bus, 0x161, NULL, r->pit));

    /* A port B without a PIT still answers. */
    struct portb *lone = portb_create(r->bus, 0x161, r->clk, NULL);
    assert_non_null(lone);
    outb(r, 0x161, 0x0F);
    assert_int_equal(inb(r, 0x161) & 0x2F, 0x0F);
    portb_destroy(lone);

    /* Destroying a running PIT leaves no event behind. */
    outb(r, 0x43, 0x34);
    write_word(r, 0, 100);
    assert_true(clock_next_deadline(r->clk) != CLOCK_NEVER);
    rig_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mode0_interrupt_on_terminal_count),
        cmocka_unit_test(test_mode0_gate_through_port_b),
        cmocka_unit_test(test_mode1_one_shot),
        cmocka_unit_test(test_mode2_rate_generator),
        cmocka_unit_test(test_mode2_gate),
        cmocka_unit_test(test_mode2_linux_hz),
        cmocka_unit_test(test_mode3_square_wave),
        cmocka_unit_test(test_mode3_gate),
        cmocka_unit_test(test_mode4_software_strobe),
        cmocka_unit_test(test_mode5_hardware_strobe),
        cmocka_unit_test(test_bcd),
        cmocka_unit_test(test_latch_and_access_modes),
        cmocka_unit_test(test_read_back_and_null_count),
        cmocka_unit_test(test_port_b_bits),
        cmocka_unit_test(test_calibration_loop),
        cmocka_unit_test(test_late_events_keep_every_edge),
        cmocka_unit_test(test_reset_and_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
