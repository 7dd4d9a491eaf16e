/*
 * test_acpi_pm.c - the ACPI PM1 registers and PM timer through their
 * ports, on a fake clock (the default 50 M ticks per second).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "devices/acpi_pm.h"
#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"

#define BASE 0x600u
#define STS (BASE + 0)
#define EN (BASE + 2)
#define CNT (BASE + 4)
#define TMR (BASE + 8)

struct fake_time {
    uint64_t ticks;
};

static uint64_t fake_source(void *opaque) { return ((struct fake_time *)opaque)->ticks; }

struct sci_pin {
    bool level;
    unsigned edges;
};

static void sci_sink(void *opaque, unsigned pin, bool level)
{
    struct sci_pin *s = opaque;
    (void)pin;
    s->level = level;
    if (level)
        s->edges++;
}

static void count_poweroff(void *opaque) { (*(unsigned *)opaque)++; }

struct rig {
    struct fake_time time;
    struct bus *bus;
    struct clock *clock;
    struct irq_line sci;
    struct sci_pin pin;
    unsigned poweroffs;
    struct acpi_pm *pm;
};

static void rig_init(struct rig *r)
{
    r->time.ticks = 0;
    r->pin = (struct sci_pin){ false, 0 };
    r->poweroffs = 0;
    r->bus = bus_create();
    r->clock = clock_create(fake_source, &r->time);
    assert_non_null(r->bus);
    assert_non_null(r->clock);
    irq_line_init(&r->sci, sci_sink, &r->pin, 9);
    r->pm = acpi_pm_create(r->bus, BASE, r->clock, &r->sci, count_poweroff, &r->poweroffs);
    assert_non_null(r->pm);
}

static void rig_fini(struct rig *r)
{
    acpi_pm_destroy(r->pm);
    assert_true(clock_next_deadline(r->clock) == CLOCK_NEVER);
    clock_destroy(r->clock);
    bus_destroy(r->bus);
}

/* Move virtual time and fire due events, as the board's run loop does. */
static void run_to(struct rig *r, uint64_t t)
{
    r->time.ticks = t;
    clock_run_due(r->clock);
}

static uint32_t in(struct rig *r, uint16_t port, unsigned size)
{
    return bus_io_read(r->bus, port, size);
}

static void out(struct rig *r, uint16_t port, uint32_t v, unsigned size)
{
    bus_io_write(r->bus, port, v, size);
}

/* The reference: floor(t * 3579545 / 50000000), the counter before wrap. */
static uint64_t pm_count(uint64_t t) { return t * 3579545u / 50000000u; }
/* The first tick at which the count reaches n. */
static uint64_t pm_tick(uint64_t n) { return (n * 50000000u + 3579545u - 1) / 3579545u; }

static void test_timer_values(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    assert_int_equal(in(&r, TMR, 4), 0);
    static const uint64_t times[] = { 1, 13, 14, 15, 1000, 123456789, 50000000, 300000000,
                                      4687500000u };
    for (unsigned k = 0; k < sizeof(times) / sizeof(times[0]); k++) {
        r.time.ticks = times[k];
        uint32_t want = (uint32_t)(pm_count(times[k]) & 0xFFFFFF);
        assert_int_equal(in(&r, TMR, 4), want);
        assert_int_equal(acpi_pm_timer(r.pm), want);
        assert_int_equal(in(&r, TMR, 2), want & 0xFFFF);
        assert_int_equal(in(&r, TMR + 2, 1), (want >> 16) & 0xFF);
        assert_int_equal(in(&r, TMR + 3, 1), 0); /* 24-bit timer */
    }
    r.time.ticks = 14;
    assert_int_equal(in(&r, TMR, 4), 1);
    r.time.ticks = 50000000;
    assert_int_equal(in(&r, TMR, 4), 3579545);
    /* 6 s: past the 24-bit wrap. */
    r.time.ticks = 300000000;
    assert_int_equal(in(&r, TMR, 4), 21477270 - 16777216);
    /* Read-only. */
    out(&r, TMR, 0, 4);
    assert_int_equal(in(&r, TMR, 4), 21477270 - 16777216);
    /* Unchanged by RESET: it follows the clock. */
    acpi_pm_reset(r.pm);
    assert_int_equal(in(&r, TMR, 4), 21477270 - 16777216);
    rig_fini(&r);
}

static void test_tmr_sts_polled(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    uint64_t t1 = pm_tick(1u << 23), t2 = pm_tick(2u << 23);
    assert_int_equal(pm_count(t1 - 1), (1u << 23) - 1);
    /* TMR_EN clear: no event is scheduled, the status is still kept. */
    assert_true(clock_next_deadline(r.clock) == CLOCK_NEVER);
    r.time.ticks = t1 - 1;
    assert_int_equal(in(&r, STS, 2), 0);
    r.time.ticks = t1;
    assert_int_equal(in(&r, STS, 2), 0x0001);
    assert_false(r.pin.level);
    r.time.ticks = t1 + 1000;
    out(&r, STS, 0x0001, 2); /* write 1 to clear */
    assert_int_equal(in(&r, STS, 2), 0);
    r.time.ticks = t2 - 1;
    assert_int_equal(in(&r, STS, 1), 0);
    r.time.ticks = t2; /* bit 23 falls at the 24-bit wrap: that counts too */
    assert_int_equal(in(&r, STS, 1), 1);
    /* Writing 0 leaves it. */
    out(&r, STS, 0x0000, 2);
    assert_int_equal(in(&r, STS, 2), 1);
    /* Cleared by a byte write; set again when bit 23 rises. */
    out(&r, STS, 0x0001, 1);
    assert_int_equal(in(&r, STS, 2), 0);
    r.time.ticks = pm_tick(3u << 23);
    assert_int_equal(in(&r, STS, 2), 1);
    assert_true(clock_next_deadline(r.clock) == CLOCK_NEVER);
    rig_fini(&r);
}

static void test_tmr_sci(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    uint64_t t1 = pm_tick(1u << 23), t2 = pm_tick(2u << 23);
    out(&r, EN, 0x0001, 2); /* TMR_EN */
    assert_int_equal(in(&r, EN, 2), 0x0001);
    assert_int_equal(clock_next_deadline(r.clock), t1);
    run_to(&r, t1 - 1);
    assert_false(r.pin.level);
    run_to(&r, t1);
    assert_true(r.pin.level);
    assert_int_equal(r.pin.edges, 1);
    assert_int_equal(in(&r, STS, 2), 0x0001);
    /* Status set: nothing more to schedule until it is cleared. */
    assert_true(clock_next_deadline(r.clock) == CLOCK_NEVER);
    out(&r, STS, 0x0001, 2);
    assert_false(r.pin.level);
    assert_int_equal(clock_next_deadline(r.clock), t2);
    /* Disabling drops the event; enabling with the status already set
     * raises the SCI at once. */
    out(&r, EN, 0x0000, 2);
    assert_true(clock_next_deadline(r.clock) == CLOCK_NEVER);
    r.time.ticks = t2 + 5;
    clock_run_due(r.clock);
    assert_false(r.pin.level);
    out(&r, EN, 0x0001, 2);
    assert_true(r.pin.level);
    assert_int_equal(r.pin.edges, 2);
    /* RESET: enables and status clear, SCI low, no event. */
    acpi_pm_reset(r.pm);
    assert_false(r.pin.level);
    assert_int_equal(in(&r, EN, 2), 0);
    assert_int_equal(in(&r, STS, 2), 0);
    assert_true(clock_next_deadline(r.clock) == CLOCK_NEVER);
    /* Destroying with an event pending cancels it (checked in rig_fini). */
    out(&r, EN, 0x0001, 2);
    assert_true(clock_next_deadline(r.clock) != CLOCK_NEVER);
    rig_fini(&r);
}

static void test_power_button_and_enables(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    out(&r, EN, 0xFFFF, 2);
    assert_int_equal(in(&r, EN, 2), 0x0521); /* TMR, GBL, PWRBTN, RTC */
    out(&r, EN, 0x0000, 2);
    acpi_pm_power_button(r.pm);
    assert_int_equal(in(&r, STS, 2), 0x0100);
    assert_false(r.pin.level);
    out(&r, EN + 1, 0x01, 1); /* PWRBTN_EN by byte */
    assert_true(r.pin.level);
    out(&r, STS + 1, 0x01, 1); /* clear PWRBTN_STS */
    assert_false(r.pin.level);
    assert_int_equal(in(&r, STS, 2), 0);
    acpi_pm_power_button(r.pm);
    assert_true(r.pin.level);
    out(&r, STS, 0xFFFF, 2);
    assert_false(r.pin.level);
    assert_int_equal(r.poweroffs, 0);
    rig_fini(&r);
}

static void test_pm1_cnt(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    assert_int_equal(in(&r, CNT, 2), 0x0001); /* SCI_EN: always ACPI mode */
    out(&r, CNT, 0x0000, 2);
    assert_int_equal(in(&r, CNT, 2), 0x0001);
    /* Other sleep types are ignored but SLP_TYP is kept. */
    out(&r, CNT, 0x2000 | (5u << 10), 2);
    assert_int_equal(r.poweroffs, 0);
    assert_int_equal(in(&r, CNT, 2), 0x1401); /* SLP_EN reads 0 */
    out(&r, CNT, 0x2000 | (7u << 10), 2);
    out(&r, CNT, 0x2000 | (1u << 10), 2);
    assert_int_equal(r.poweroffs, 0);
    /* SLP_TYP = 0 without SLP_EN does nothing. */
    out(&r, CNT, 0x0000, 2);
    assert_int_equal(r.poweroffs, 0);
    /* What the benchmark guest writes: S5. */
    out(&r, CNT, 0x2000, 2);
    assert_int_equal(r.poweroffs, 1);
    assert_int_equal(in(&r, CNT, 2), 0x0001);
    /* As bytes, and as a dword whose upper half floats. */
    out(&r, CNT, 0x00, 1);
    out(&r, CNT + 1, 0x20, 1);
    assert_int_equal(r.poweroffs, 2);
    out(&r, CNT, 0x00002000u, 4);
    assert_int_equal(r.poweroffs, 3);
    assert_int_equal(in(&r, CNT, 4), 0xFFFF0001u);
    /* Between the blocks nothing is claimed. */
    assert_int_equal(in(&r, BASE + 6, 2), 0xFFFF);
    rig_fini(&r);
}

static void test_ports_taken(void **state)
{
    (void)state;
    struct fake_time ft = { 0 };
    struct bus *b = bus_create();
    struct clock *c = clock_create(fake_source, &ft);
    struct acpi_pm *pm = acpi_pm_create(b, BASE, c, NULL, NULL, NULL);
    assert_non_null(pm);
    assert_null(acpi_pm_create(b, BASE, c, NULL, NULL, NULL));
    /* Unwired SCI and no power-off callback are fine. */
    bus_io_write(b, EN, 0x0100, 2);
    acpi_pm_power_button(pm);
    bus_io_write(b, CNT, 0x2000, 2);
    acpi_pm_destroy(pm);
    acpi_pm_destroy(NULL);
    clock_destroy(c);
    bus_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timer_values),
        cmocka_unit_test(test_tmr_sts_polled),
        cmocka_unit_test(test_tmr_sci),
        cmocka_unit_test(test_power_button_and_enables),
        cmocka_unit_test(test_pm1_cnt),
        cmocka_unit_test(test_ports_taken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
