/*
 * test_rtc.c - the MC146818A RTC/CMOS driven through ports 70h/71h on a
 * real bus, with a fake tick source at the default 50 M ticks per guest
 * second (one second = 50,000,000 ticks; one 32.768 kHz cycle = 1525.88
 * ticks).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"
#include "devices/rtc.h"

#define SECOND 50000000ull

struct rig {
    uint64_t ticks;
    struct clock *clk;
    struct bus *bus;
    struct irq_line irq;
    struct rtc *rtc;
    unsigned rises;
    bool level;
};

static uint64_t rig_source(void *opaque) { return ((struct rig *)opaque)->ticks; }

static void rig_sink(void *opaque, unsigned pin, bool level)
{
    struct rig *r = opaque;
    assert_int_equal(pin, 8);
    r->level = level;
    if (level)
        r->rises++;
}

static void rig_init(struct rig *r, int64_t start)
{
    *r = (struct rig){ 0 };
    r->clk = clock_create(rig_source, r);
    r->bus = bus_create();
    assert_non_null(r->clk);
    assert_non_null(r->bus);
    irq_line_init(&r->irq, rig_sink, r, 8);
    const struct rtc_config cfg = { start };
    r->rtc = rtc_create(r->bus, 0x70, r->clk, &r->irq, &cfg);
    assert_non_null(r->rtc);
}

static void rig_fini(struct rig *r)
{
    rtc_destroy(r->rtc);
    clock_destroy(r->clk);
    bus_destroy(r->bus);
}

/* Move virtual time to `tick` and run what is due, as the board does. */
static void at(struct rig *r, uint64_t tick)
{
    r->ticks = tick;
    clock_run_due(r->clk);
}

static uint8_t rd(struct rig *r, uint8_t index)
{
    bus_io_write(r->bus, 0x70, index, 1);
    return (uint8_t)bus_io_read(r->bus, 0x71, 1);
}

static void wr(struct rig *r, uint8_t index, uint8_t v)
{
    bus_io_write(r->bus, 0x70, index, 1);
    bus_io_write(r->bus, 0x71, v, 1);
}

/* The tick at which `n` 32.768 kHz cycles have elapsed since tick 0. */
static uint64_t cyc(struct rig *r, uint64_t n) { return clock_hz_to_ticks(r->clk, n, 32768); }

struct fields {
    uint8_t sec, min, hour, dow, date, month, year, century;
};

static void read_fields(struct rig *r, struct fields *f)
{
    f->sec = rd(r, 0);
    f->min = rd(r, 2);
    f->hour = rd(r, 4);
    f->dow = rd(r, 6);
    f->date = rd(r, 7);
    f->month = rd(r, 8);
    f->year = rd(r, 9);
    f->century = rd(r, 0x32);
}

static void expect_fields(struct rig *r, const struct fields *want)
{
    struct fields got;
    read_fields(r, &got);
    assert_int_equal(got.sec, want->sec);
    assert_int_equal(got.min, want->min);
    assert_int_equal(got.hour, want->hour);
    assert_int_equal(got.dow, want->dow);
    assert_int_equal(got.date, want->date);
    assert_int_equal(got.month, want->month);
    assert_int_equal(got.year, want->year);
    assert_int_equal(got.century, want->century);
}

/* Set the time the way an OS does: SET, write the bytes, clear SET. */
static void set_fields(struct rig *r, const struct fields *f)
{
    uint8_t b = rd(r, 0x0B);
    wr(r, 0x0B, (uint8_t)(b | 0x80));
    wr(r, 0, f->sec);
    wr(r, 2, f->min);
    wr(r, 4, f->hour);
    wr(r, 6, f->dow);
    wr(r, 7, f->date);
    wr(r, 8, f->month);
    wr(r, 9, f->year);
    wr(r, 0x32, f->century);
    wr(r, 0x0B, (uint8_t)(b & 0x7F));
}

/* ---- reading the start time ---- */

static void test_start_time_bcd(void **state)
{
    (void)state;
    static const struct {
        int64_t start;
        struct fields f;
    } cases[] = {
        { RTC_DEFAULT_START, { 0x00, 0x00, 0x00, 7, 0x01, 0x01, 0x00, 0x20 } }, /* Sat 2000-01-01 */
        { 1234567890, { 0x30, 0x31, 0x23, 6, 0x13, 0x02, 0x09, 0x20 } },       /* Fri 2009-02-13 */
        { 0, { 0x00, 0x00, 0x00, 5, 0x01, 0x01, 0x70, 0x19 } },                /* Thu 1970-01-01 */
        { -1, { 0x59, 0x59, 0x23, 4, 0x31, 0x12, 0x69, 0x19 } },               /* Wed 1969-12-31 */
        { 951782399, { 0x59, 0x59, 0x23, 2, 0x28, 0x02, 0x00, 0x20 } },        /* Mon 2000-02-28 */
        { 951782400, { 0x00, 0x00, 0x00, 3, 0x29, 0x02, 0x00, 0x20 } },        /* Tue 2000-02-29 */
        { 951868800, { 0x00, 0x00, 0x00, 4, 0x01, 0x03, 0x00, 0x20 } },        /* Wed 2000-03-01 */
        { 4102444799, { 0x59, 0x59, 0x23, 5, 0x31, 0x12, 0x99, 0x20 } },       /* Thu 2099-12-31 */
        { 4107542400, { 0x00, 0x00, 0x00, 2, 0x01, 0x03, 0x00, 0x21 } },       /* Mon 2100-03-01 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rig r;
        rig_init(&r, cases[i].start);
        expect_fields(&r, &cases[i].f);
        assert_int_equal(rd(&r, 0x0A), 0x26);
        assert_int_equal(rd(&r, 0x0B), 0x02);
        assert_int_equal(rd(&r, 0x0C), 0x00);
        assert_int_equal(rd(&r, 0x0D), 0x80);
        rig_fini(&r);
    }
}

static void test_start_time_binary(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, 1234567890);
    /* Changing DM does not convert the bytes (the datasheet asks software
     * to rewrite the time after a format change): BCD 30h stays 30h. */
    wr(&r, 0x0B, 0x06);
    assert_int_equal(rd(&r, 0), 0x30);
    /* Loading the time now encodes it in binary. */
    rtc_set_time(r.rtc, 1234567890);
    expect_fields(&r, &(struct fields){ 30, 31, 23, 6, 13, 2, 9, 20 });
    /* A binary clock counts in binary: 23:59:59 Dec 31 1999 -> 2000. */
    set_fields(&r, &(struct fields){ 59, 59, 23, 6, 31, 12, 99, 19 });
    at(&r, SECOND);
    expect_fields(&r, &(struct fields){ 0, 0, 0, 7, 1, 1, 0, 20 });
    at(&r, 10 * SECOND);
    assert_int_equal(rd(&r, 0), 9);
    at(&r, 60 * SECOND);
    assert_int_equal(rd(&r, 0), 59);
    assert_int_equal(rd(&r, 2), 0);
    at(&r, 61 * SECOND);
    assert_int_equal(rd(&r, 0), 0);
    assert_int_equal(rd(&r, 2), 1);
    rig_fini(&r);
}

static void test_12h_mode(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    wr(&r, 0x0B, 0x00); /* BCD, 12-hour */
    static const struct {
        uint8_t hour_before, hour_after;
        uint8_t date_after, dow_after;
    } cases[] = {
        { 0x91, 0x12, 0x29, 3 }, /* 11:59:59 PM Feb 28 -> 12:00:00 AM Feb 29 */
        { 0x11, 0x92, 0x28, 2 }, /* 11 AM -> 12 PM, same day */
        { 0x92, 0x81, 0x28, 2 }, /* 12 PM -> 1 PM */
        { 0x12, 0x01, 0x28, 2 }, /* 12 AM -> 1 AM */
        { 0x89, 0x90, 0x28, 2 }, /* 9 PM -> 10 PM */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        set_fields(&r, &(struct fields){ 0x59, 0x59, cases[i].hour_before, 2, 0x28, 0x02, 0x00, 0x20 });
        at(&r, (i + 1) * SECOND);
        expect_fields(&r, &(struct fields){ 0x00, 0x00, cases[i].hour_after, cases[i].dow_after,
                                            cases[i].date_after, 0x02, 0x00, 0x20 });
    }
    /* 12-hour binary: 11:59:59 PM is 8Bh; an hour later it is 12:59:59 AM. */
    wr(&r, 0x0B, 0x04);
    set_fields(&r, &(struct fields){ 59, 59, 0x8B, 1, 1, 1, 0, 20 });
    at(&r, 7 * SECOND);
    assert_int_equal(rd(&r, 4), 12);
    at(&r, 5 * SECOND + 3600 * SECOND);
    assert_int_equal(rd(&r, 4), 12);
    assert_int_equal(rd(&r, 2), 59);
    at(&r, 6 * SECOND + 3600 * SECOND);
    assert_int_equal(rd(&r, 4), 1);
    rig_fini(&r);
}

/* ---- time advancing ---- */

static void test_update_at_exact_times(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    /* The first update is one second after power-on, then every second. */
    for (uint64_t s = 1; s <= 3; s++) {
        at(&r, s * SECOND - 1);
        assert_int_equal(rd(&r, 0), s - 1);
        at(&r, s * SECOND);
        assert_int_equal(rd(&r, 0), s);
    }
    rig_fini(&r);
}

static void test_calendar_carries(void **state)
{
    (void)state;
    static const struct {
        struct fields before, after;
    } cases[] = {
        /* second -> minute -> hour */
        { { 0x59, 0x00, 0x00, 7, 0x01, 0x01, 0x00, 0x20 }, { 0x00, 0x01, 0x00, 7, 0x01, 0x01, 0x00, 0x20 } },
        { { 0x59, 0x59, 0x09, 7, 0x01, 0x01, 0x00, 0x20 }, { 0x00, 0x00, 0x10, 7, 0x01, 0x01, 0x00, 0x20 } },
        /* midnight, day of week Saturday -> Sunday */
        { { 0x59, 0x59, 0x23, 7, 0x01, 0x01, 0x00, 0x20 }, { 0x00, 0x00, 0x00, 1, 0x02, 0x01, 0x00, 0x20 } },
        /* 30-day month */
        { { 0x59, 0x59, 0x23, 1, 0x30, 0x04, 0x00, 0x20 }, { 0x00, 0x00, 0x00, 2, 0x01, 0x05, 0x00, 0x20 } },
        /* 31-day month does not end on the 30th */
        { { 0x59, 0x59, 0x23, 1, 0x30, 0x05, 0x00, 0x20 }, { 0x00, 0x00, 0x00, 2, 0x31, 0x05, 0x00, 0x20 } },
        /* leap day 2000, then March */
        { { 0x59, 0x59, 0x23, 2, 0x28, 0x02, 0x00, 0x20 }, { 0x00, 0x00, 0x00, 3, 0x29, 0x02, 0x00, 0x20 } },
        { { 0x59, 0x59, 0x23, 3, 0x29, 0x02, 0x00, 0x20 }, { 0x00, 0x00, 0x00, 4, 0x01, 0x03, 0x00, 0x20 } },
        /* 2001 is not a leap year; 2024 is */
        { { 0x59, 0x59, 0x23, 4, 0x28, 0x02, 0x01, 0x20 }, { 0x00, 0x00, 0x00, 5, 0x01, 0x03, 0x01, 0x20 } },
        { { 0x59, 0x59, 0x23, 4, 0x28, 0x02, 0x24, 0x20 }, { 0x00, 0x00, 0x00, 5, 0x29, 0x02, 0x24, 0x20 } },
        /* year */
        { { 0x59, 0x59, 0x23, 1, 0x31, 0x12, 0x00, 0x20 }, { 0x00, 0x00, 0x00, 2, 0x01, 0x01, 0x01, 0x20 } },
        /* century: 1999 -> 2000 and 2099 -> 2100 */
        { { 0x59, 0x59, 0x23, 6, 0x31, 0x12, 0x99, 0x19 }, { 0x00, 0x00, 0x00, 7, 0x01, 0x01, 0x00, 0x20 } },
        { { 0x59, 0x59, 0x23, 5, 0x31, 0x12, 0x99, 0x20 }, { 0x00, 0x00, 0x00, 6, 0x01, 0x01, 0x00, 0x21 } },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rig r;
        rig_init(&r, RTC_DEFAULT_START);
        at(&r, SECOND / 3);
        set_fields(&r, &cases[i].before);
        at(&r, SECOND - 1);
        expect_fields(&r, &cases[i].before);
        at(&r, SECOND);
        expect_fields(&r, &cases[i].after);
        rig_fini(&r);
    }
}

static void test_long_jumps(void **state)
{
    (void)state;
    /* 10^8 s after 2000-01-01 is Mon 2003-03-03 09:46:40, computed in one
     * step when the guest first looks. */
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    at(&r, 100000000ull * SECOND);
    expect_fields(&r, &(struct fields){ 0x40, 0x46, 0x09, 2, 0x03, 0x03, 0x03, 0x20 });
    rig_fini(&r);

    /* Across the century: 2099-12-31 23:59:59 + 1 day + 1 s. */
    rig_init(&r, 4102444799);
    at(&r, 86401 * SECOND);
    expect_fields(&r, &(struct fields){ 0x00, 0x00, 0x00, 7, 0x02, 0x01, 0x00, 0x21 });
    rig_fini(&r);

    /* Leap-year December 31st: day 366 of 2000. */
    rig_init(&r, RTC_DEFAULT_START);
    at(&r, 365ull * 86400 * SECOND);
    expect_fields(&r, &(struct fields){ 0x00, 0x00, 0x00, 1, 0x31, 0x12, 0x00, 0x20 });
    at(&r, 366ull * 86400 * SECOND);
    expect_fields(&r, &(struct fields){ 0x00, 0x00, 0x00, 2, 0x01, 0x01, 0x01, 0x20 });
    rig_fini(&r);

    /* Reading every 997 s gives the same time as one jump to the end. */
    struct rig a, b;
    rig_init(&a, 951000000);
    rig_init(&b, 951000000);
    for (uint64_t s = 997; s <= 997u * 2000u; s += 997) {
        at(&a, s * SECOND);
        (void)rd(&a, 0);
    }
    at(&b, 997u * 2000u * SECOND);
    struct fields fa, fb;
    read_fields(&a, &fa);
    read_fields(&b, &fb);
    assert_memory_equal(&fa, &fb, sizeof(fa));
    /* 951000000 + 1994000 = 952994000: Tue 2000-03-14 00:33:20. */
    expect_fields(&b, &(struct fields){ 0x20, 0x33, 0x00, 3, 0x14, 0x03, 0x00, 0x20 });
    rig_fini(&a);
    rig_fini(&b);
}

/* The update's calendar arithmetic (the chip's rule: every fourth year
 * is leap) against the power-on conversion (Gregorian), which agree from
 * 1901 to 2099: a clock started at S and read d seconds later shows what a
 * clock started at S + d shows at once. */
static void test_advance_matches_conversion(void **state)
{
    (void)state;
    uint64_t x = 99;
    const uint64_t span = 4102444800ull; /* 1970 .. 2099 */
    for (unsigned i = 0; i < 400; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t start = (x >> 20) % span;
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t d = (x >> 20) % (span - start);
        if (i % 4 == 0)
            d %= 4000000; /* short gaps too */
        struct rig a, b;
        rig_init(&a, (int64_t)start);
        rig_init(&b, (int64_t)(start + d));
        at(&a, d * SECOND);
        struct fields fa, fb;
        read_fields(&a, &fa);
        read_fields(&b, &fb);
        assert_memory_equal(&fa, &fb, sizeof(fa));
        rig_fini(&a);
        rig_fini(&b);
    }
}

/* ---- register A: UIP and the divider ---- */

static void test_uip_window(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    /* UIP is high for the last 8 cycles (244.14 us) before each update. */
    uint64_t rise = cyc(&r, 32768 - 8);
    assert_int_equal(rise, 49987793); /* ceil(32760 * 50e6 / 32768) */
    at(&r, rise - 1);
    assert_int_equal(rd(&r, 0x0A), 0x26);
    at(&r, rise);
    assert_int_equal(rd(&r, 0x0A), 0xA6);
    at(&r, SECOND - 1);
    assert_int_equal(rd(&r, 0x0A), 0xA6);
    assert_int_equal(rd(&r, 0), 0x00);
    at(&r, SECOND);
    assert_int_equal(rd(&r, 0x0A), 0x26);
    assert_int_equal(rd(&r, 0), 0x01);
    assert_int_equal(SECOND - rise, 12207); /* 244.14 us at 50 M ticks/s */
    /* Same window before the next update. */
    at(&r, SECOND + rise - 1);
    assert_int_equal(rd(&r, 0x0A) & 0x80, 0);
    at(&r, SECOND + rise);
    assert_int_equal(rd(&r, 0x0A) & 0x80, 0x80);
    /* UIP is read-only. */
    wr(&r, 0x0A, 0xA6);
    at(&r, 2 * SECOND + 1);
    assert_int_equal(rd(&r, 0x0A), 0x26);
    rig_fini(&r);
}

static void test_set_halts_updates(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    wr(&r, 0x0B, 0x12); /* UIE */
    at(&r, SECOND / 5);
    wr(&r, 0x0B, 0x92); /* SET going high clears UIE */
    assert_int_equal(rd(&r, 0x0B), 0x82);
    at(&r, cyc(&r, 32768 - 4));
    assert_int_equal(rd(&r, 0x0A), 0x26); /* no UIP while SET */
    at(&r, 3 * SECOND + SECOND / 2);
    assert_int_equal(rd(&r, 0), 0x00); /* halted */
    assert_int_equal(rd(&r, 0x0C), 0x40); /* the divider still runs: PF, no UF */
    wr(&r, 0, 0x45);
    wr(&r, 2, 0x30);
    wr(&r, 0x0B, 0x02);
    /* Updates resume at the divider's next second. */
    at(&r, 4 * SECOND - 1);
    assert_int_equal(rd(&r, 0), 0x45);
    at(&r, 4 * SECOND);
    assert_int_equal(rd(&r, 0), 0x46);
    assert_int_equal(rd(&r, 2), 0x30);
    /* SET already high: writing UIE with it keeps UIE. */
    wr(&r, 0x0B, 0x82);
    wr(&r, 0x0B, 0x92);
    assert_int_equal(rd(&r, 0x0B), 0x92);
    rig_fini(&r);
}

static void test_divider_reset(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    at(&r, SECOND / 4);
    wr(&r, 0x0A, 0x76); /* DV = 111: chain held in reset */
    (void)rd(&r, 0x0C);
    at(&r, 3 * SECOND + SECOND / 10);
    assert_int_equal(rd(&r, 0), 0x00);
    assert_int_equal(rd(&r, 0x0A), 0x76);
    assert_int_equal(rd(&r, 0x0C), 0x00); /* no periodic flag, no update */
    /* Released at 3.1 s: the first update is half a second later. */
    wr(&r, 0x0A, 0x26);
    at(&r, 3 * SECOND + SECOND / 10 + SECOND / 2 - 1);
    assert_int_equal(rd(&r, 0), 0x00);
    at(&r, 3 * SECOND + SECOND / 10 + SECOND / 2);
    assert_int_equal(rd(&r, 0), 0x01);
    at(&r, 4 * SECOND + SECOND / 10 + SECOND / 2 - 1);
    assert_int_equal(rd(&r, 0), 0x01);
    at(&r, 4 * SECOND + SECOND / 10 + SECOND / 2);
    assert_int_equal(rd(&r, 0), 0x02);
    /* An invalid divider selection (000) also stops the clock. */
    wr(&r, 0x0A, 0x06);
    at(&r, 10 * SECOND);
    assert_int_equal(rd(&r, 0), 0x02);
    rig_fini(&r);
}

/* ---- interrupts ---- */

static void test_periodic_rates(void **state)
{
    (void)state;
    static const struct {
        uint8_t rs;
        uint64_t cycles;
        uint64_t first_tick;
    } cases[] = {
        { 3, 4, 6104 },         /* 122.07 us */
        { 6, 32, 48829 },       /* 976.56 us, 1024 Hz */
        { 15, 16384, 25000000 }, /* 500 ms */
        { 1, 128, 195313 },     /* 3.90625 ms */
        { 2, 256, 390625 },     /* 7.8125 ms */
        { 10, 512, 781250 },    /* 15.625 ms */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rig r;
        rig_init(&r, RTC_DEFAULT_START);
        wr(&r, 0x0A, (uint8_t)(0x20 | cases[i].rs));
        wr(&r, 0x0B, 0x42); /* PIE */
        assert_int_equal(clock_next_deadline(r.clk), cases[i].first_tick);
        for (uint64_t k = 1; k <= 3; k++) {
            uint64_t t = cyc(&r, k * cases[i].cycles);
            if (k == 1)
                assert_int_equal(t, cases[i].first_tick);
            assert_int_equal(clock_next_deadline(r.clk), t);
            at(&r, t - 1);
            assert_false(r.level);
            at(&r, t);
            assert_true(r.level);
            assert_int_equal(r.rises, k);
            assert_int_equal(rd(&r, 0x0C) & 0xC0, 0xC0);
            assert_false(r.level);
        }
        rig_fini(&r);
    }
}

static void test_periodic_unacknowledged_and_disabled(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    wr(&r, 0x0A, 0x20); /* RS = 0: no periodic flag at all */
    at(&r, SECOND / 2);
    assert_int_equal(rd(&r, 0x0C), 0x00);
    wr(&r, 0x0A, 0x26);
    /* PF is set at the rate without PIE; IRQ stays low, nothing scheduled. */
    at(&r, SECOND / 2 + SECOND / 100);
    assert_true(clock_next_deadline(r.clk) == CLOCK_NEVER);
    assert_int_equal(rtc_nvram_read(r.rtc, 0x0C), 0x40); /* host peek: not cleared */
    assert_int_equal(rd(&r, 0x0C), 0x40);
    assert_int_equal(rd(&r, 0x0C), 0x00);
    assert_false(r.level);
    /* Enabling PIE with PF already set raises IRQ at once. */
    at(&r, SECOND / 2 + SECOND / 50);
    wr(&r, 0x0B, 0x42);
    assert_true(r.level);
    /* Unacknowledged: the line stays high and no event is queued. */
    assert_true(clock_next_deadline(r.clk) == CLOCK_NEVER);
    at(&r, SECOND / 2 + SECOND / 10);
    assert_true(r.level);
    assert_int_equal(r.rises, 1);
    assert_int_equal(rd(&r, 0x0C), 0xC0);
    assert_false(r.level);
    /* Acknowledged: the next period is scheduled again. */
    assert_true(clock_next_deadline(r.clk) != CLOCK_NEVER);
    /* A register access after the edge but before the board ran the
     * event sees the flag, and IRQ is already high. */
    uint64_t due = clock_next_deadline(r.clk);
    r.ticks = due;
    assert_int_equal(rd(&r, 0x00), 0x00);
    assert_true(r.level);
    assert_int_equal(r.rises, 2);
    assert_int_equal(clock_run_due(r.clk), 1); /* the event finds nothing to do */
    assert_int_equal(r.rises, 2);
    assert_int_equal(rd(&r, 0x0C), 0xC0);
    /* Clearing PIE lowers IRQ even with PF set. */
    at(&r, SECOND);
    assert_true(r.level);
    wr(&r, 0x0B, 0x02);
    assert_false(r.level);
    assert_int_equal(rd(&r, 0x0C), 0x50); /* PF and the update's UF */
    rig_fini(&r);
}

static void test_update_ended_interrupt(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    wr(&r, 0x0A, 0x20);
    wr(&r, 0x0B, 0x12); /* UIE */
    for (uint64_t s = 1; s <= 3; s++) {
        assert_int_equal(clock_next_deadline(r.clk), s * SECOND);
        at(&r, s * SECOND - 1);
        assert_false(r.level);
        at(&r, s * SECOND);
        assert_true(r.level);
        assert_int_equal(rd(&r, 0), s); /* the update is complete when UF rises */
        assert_int_equal(rd(&r, 0x0C), 0x90);
        assert_false(r.level);
        assert_int_equal(rd(&r, 0x0C), 0x00);
    }
    rig_fini(&r);
}

static void test_alarm(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    wr(&r, 0x0A, 0x20);
    wr(&r, 1, 0x05);
    wr(&r, 3, 0x00);
    wr(&r, 5, 0x00);
    wr(&r, 0x0B, 0x22); /* AIE */
    assert_int_equal(clock_next_deadline(r.clk), 5 * SECOND);
    at(&r, 5 * SECOND - 1);
    assert_false(r.level);
    at(&r, 5 * SECOND);
    assert_true(r.level);
    assert_int_equal(rd(&r, 0), 0x05);
    assert_int_equal(rd(&r, 0x0C), 0xB0); /* IRQF, AF and the update's UF */
    assert_false(r.level);
    /* Next match is a day later. */
    assert_int_equal(clock_next_deadline(r.clk), (86400 + 5) * SECOND);

    /* Don't care hours and minutes: every minute at :30. */
    wr(&r, 1, 0x30);
    wr(&r, 3, 0xC0);
    wr(&r, 5, 0xFF);
    assert_int_equal(clock_next_deadline(r.clk), 30 * SECOND);
    at(&r, 30 * SECOND);
    assert_int_equal(rd(&r, 0x0C), 0xB0);
    assert_int_equal(clock_next_deadline(r.clk), 90 * SECOND);
    at(&r, 90 * SECOND);
    assert_int_equal(rd(&r, 2), 0x01);
    assert_int_equal(rd(&r, 0x0C), 0xB0);

    /* All don't care: every second. */
    wr(&r, 1, 0xC0);
    assert_int_equal(clock_next_deadline(r.clk), 91 * SECOND);
    at(&r, 91 * SECOND);
    assert_int_equal(rd(&r, 0x0C), 0xB0);
    assert_int_equal(clock_next_deadline(r.clk), 92 * SECOND);

    /* Don't care seconds only: every second of minute 5 of any hour. */
    wr(&r, 1, 0xC0);
    wr(&r, 3, 0x05);
    wr(&r, 5, 0xC0);
    assert_int_equal(clock_next_deadline(r.clk), 300 * SECOND);

    /* An alarm that can never match (seconds 60h) schedules nothing. */
    wr(&r, 1, 0x60);
    assert_true(clock_next_deadline(r.clk) == CLOCK_NEVER);
    rig_fini(&r);
}

static void test_alarm_lazy_and_12h(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    wr(&r, 0x0A, 0x20);
    /* AIE off: AF still records a match that happened during a long gap. */
    wr(&r, 1, 0x00);
    wr(&r, 3, 0x10);
    wr(&r, 5, 0x00);
    at(&r, 3600 * SECOND);
    assert_int_equal(rd(&r, 0x0C), 0x30);
    /* ...and not one that did not (05:00:00 is not within the next hour). */
    wr(&r, 5, 0x05);
    at(&r, 7200 * SECOND);
    assert_int_equal(rd(&r, 0x0C), 0x10);
    assert_false(r.level);

    /* 12-hour mode compares the PM bit too: alarm 1:00:00 PM. */
    wr(&r, 0x0B, 0x00);
    set_fields(&r, &(struct fields){ 0x58, 0x59, 0x12, 7, 0x01, 0x01, 0x00, 0x20 }); /* 12:59:58 AM */
    wr(&r, 1, 0x00);
    wr(&r, 3, 0x00);
    wr(&r, 5, 0x81);
    wr(&r, 0x0B, 0x20); /* AIE */
    assert_int_equal(clock_next_deadline(r.clk), (7200 + 2 + 12 * 3600) * SECOND);
    at(&r, (7200 + 2 + 12 * 3600) * SECOND);
    assert_true(r.level);
    assert_int_equal(rd(&r, 4), 0x81);
    assert_int_equal(rd(&r, 0x0C), 0xB0);
    rig_fini(&r);
}

/* ---- registers C, D, the index port, reset ---- */

static void test_register_c_d_and_index(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    at(&r, 2 * SECOND);
    assert_int_equal(rd(&r, 0x0C), 0x50); /* PF and UF, no IRQF */
    assert_int_equal(rd(&r, 0x0C), 0x00); /* cleared by the read */
    wr(&r, 0x0C, 0xFF);
    wr(&r, 0x0D, 0x00);
    assert_int_equal(rd(&r, 0x0C), 0x00);
    assert_int_equal(rd(&r, 0x0D), 0x80);

    /* Bit 7 of the index is the NMI mask; the index itself is 7 bits. */
    assert_false(rtc_nmi_disabled(r.rtc));
    bus_io_write(r.bus, 0x70, 0x8F, 1);
    assert_true(rtc_nmi_disabled(r.rtc));
    bus_io_write(r.bus, 0x71, 0x5A, 1);
    assert_int_equal(rtc_nvram_read(r.rtc, 0x0F), 0x5A);
    assert_int_equal(bus_io_read(r.bus, 0x71, 1), 0x5A);
    bus_io_write(r.bus, 0x70, 0x0F, 1);
    assert_false(rtc_nmi_disabled(r.rtc));
    bus_io_write(r.bus, 0x70, 0xFF, 1); /* index 7Fh */
    bus_io_write(r.bus, 0x71, 0xA5, 1);
    assert_int_equal(rtc_nvram_read(r.rtc, 0x7F), 0xA5);
    assert_int_equal(rtc_nvram_read(r.rtc, 0xFF), 0xA5); /* host index masked too */
    assert_int_equal(bus_io_read(r.bus, 0x70, 1), 0xFF); /* index port is write-only */
    /* A 16-bit OUT to 70h writes the index, then the data. */
    bus_io_write(r.bus, 0x70, 0x3C20, 2);
    assert_int_equal(rtc_nvram_read(r.rtc, 0x20), 0x3C);
    rtc_nvram_write(r.rtc, 0x40, 0x77);
    assert_int_equal(rd(&r, 0x40), 0x77);
    rig_fini(&r);
}

static void test_reset_pin(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    wr(&r, 0x20, 0x33);
    wr(&r, 0x0B, 0x7E); /* PIE AIE UIE SQWE binary 24h */
    at(&r, SECOND);
    assert_true(r.level);
    rtc_reset(r.rtc);
    assert_false(r.level);
    assert_int_equal(rd(&r, 0x0B), 0x06); /* DM and 24/12 kept */
    assert_int_equal(rd(&r, 0x0C), 0x00);
    assert_int_equal(rd(&r, 0x0A), 0x26);
    assert_int_equal(rd(&r, 0), 0x01); /* time kept */
    assert_int_equal(rd(&r, 0x20), 0x33); /* RAM kept */
    assert_true(clock_next_deadline(r.clk) == CLOCK_NEVER);
    at(&r, 2 * SECOND);
    assert_int_equal(rd(&r, 0), 0x02); /* still running */
    rig_fini(&r);
}

/* ---- the PC's CMOS contents ---- */

static unsigned checksum(struct rig *r)
{
    unsigned sum = 0;
    for (unsigned i = 0x10; i <= 0x2D; i++)
        sum += rtc_nvram_read(r->rtc, i);
    return sum;
}

static void test_setup_pc(void **state)
{
    (void)state;
    static const struct {
        uint32_t ram;
        uint16_t ext, above16, sum;
    } cases[] = {
        { 32u << 20, 0x7C00, 0x0100, 0x0100 },
        { 3u << 30, 0xFFFF, 0xBF00, 0x0282 },
        { 1u << 20, 0x0000, 0x0000, 0x0084 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rig r;
        rig_init(&r, RTC_DEFAULT_START);
        rtc_setup_pc(r.rtc, cases[i].ram);
        assert_int_equal(rd(&r, 0x10), 0x00);
        assert_int_equal(rd(&r, 0x12), 0x00);
        assert_int_equal(rd(&r, 0x14), 0x02);
        assert_int_equal(rd(&r, 0x15), 0x80);
        assert_int_equal(rd(&r, 0x16), 0x02);
        assert_int_equal(rd(&r, 0x17) | rd(&r, 0x18) << 8, cases[i].ext);
        assert_int_equal(rd(&r, 0x30) | rd(&r, 0x31) << 8, cases[i].ext);
        assert_int_equal(rd(&r, 0x34) | rd(&r, 0x35) << 8, cases[i].above16);
        assert_int_equal(rd(&r, 0x32), 0x20);
        assert_int_equal(rd(&r, 0x0A), 0x26);
        assert_int_equal(rd(&r, 0x0B), 0x02);
        assert_int_equal(rd(&r, 0x0D), 0x80);
        assert_int_equal(checksum(&r), cases[i].sum);
        assert_int_equal(rd(&r, 0x2E) << 8 | rd(&r, 0x2F), cases[i].sum);
        /* The board adds a floppy later and fixes the checksum. */
        rtc_nvram_write(r.rtc, 0x10, 0x40);
        rtc_update_checksum(r.rtc);
        assert_int_equal(rd(&r, 0x2E) << 8 | rd(&r, 0x2F), cases[i].sum + 0x40);
        rig_fini(&r);
    }

    /* A clock left in binary 12-hour mode is re-encoded in BCD 24-hour. */
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    wr(&r, 0x0B, 0x04);
    rtc_set_time(r.rtc, 1234567890);
    assert_int_equal(rd(&r, 4), 0x80 | 11);
    rtc_setup_pc(r.rtc, 16u << 20);
    expect_fields(&r, &(struct fields){ 0x30, 0x31, 0x23, 6, 0x13, 0x02, 0x09, 0x20 });
    rig_fini(&r);
}

/* ---- guest garbage ---- */

static void test_invalid_values(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    /* Seconds 7Ah is not BCD; Feb 31 does not exist; year FFh is not BCD. */
    set_fields(&r, &(struct fields){ 0x7A, 0x59, 0x23, 0x09, 0x31, 0x02, 0xFF, 0x20 });
    at(&r, SECOND);
    /* Past-the-end values wrap at the next carry and carry on. */
    expect_fields(&r, &(struct fields){ 0x00, 0x00, 0x00, 0x01, 0x01, 0x03, 0xFF, 0x20 });
    /* The year wraps at the next year carry (306 days to January 1). */
    at(&r, SECOND + 306ull * 86400 * SECOND);
    expect_fields(&r, &(struct fields){ 0x00, 0x00, 0x00, 0x06, 0x01, 0x01, 0x00, 0x21 });
    rig_fini(&r);
}

/* A deterministic storm of random register writes and time jumps: every
 * access stays defined, D reads 80h, and IRQ follows IRQF. */
static void test_random_programming(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r, RTC_DEFAULT_START);
    uint32_t x = 12345;
    uint64_t now = 0;
    for (unsigned i = 0; i < 20000; i++) {
        x = x * 1103515245u + 12345u;
        unsigned op = (x >> 16) % 8;
        x = x * 1103515245u + 12345u;
        uint8_t v = (uint8_t)(x >> 16);
        x = x * 1103515245u + 12345u;
        if (op < 4) {
            wr(&r, (uint8_t)(v & 0x0F), (uint8_t)(x >> 16));
        } else if (op < 6) {
            (void)rd(&r, v);
        } else {
            now += (op == 6) ? (x >> 8) % 100000 : ((uint64_t)(x >> 16) % 100000) * SECOND;
            at(&r, now);
        }
        uint8_t c = rtc_nvram_read(r.rtc, 0x0C);
        assert_int_equal(c & 0x0F, 0);
        assert_int_equal((c & 0x80) != 0, r.level);
        assert_int_equal(rtc_nvram_read(r.rtc, 0x0D), 0x80);
    }
    rig_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_time_bcd),
        cmocka_unit_test(test_start_time_binary),
        cmocka_unit_test(test_12h_mode),
        cmocka_unit_test(test_update_at_exact_times),
        cmocka_unit_test(test_calendar_carries),
        cmocka_unit_test(test_long_jumps),
        cmocka_unit_test(test_advance_matches_conversion),
        cmocka_unit_test(test_uip_window),
        cmocka_unit_test(test_set_halts_updates),
        cmocka_unit_test(test_divider_reset),
        cmocka_unit_test(test_periodic_rates),
        cmocka_unit_test(test_periodic_unacknowledged_and_disabled),
        cmocka_unit_test(test_update_ended_interrupt),
        cmocka_unit_test(test_alarm),
        cmocka_unit_test(test_alarm_lazy_and_12h),
        cmocka_unit_test(test_register_c_d_and_index),
        cmocka_unit_test(test_reset_pin),
        cmocka_unit_test(test_setup_pc),
        cmocka_unit_test(test_invalid_values),
        cmocka_unit_test(test_random_programming),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
