/*
 * test_devices.c - the port bus, 0xE9 console, exit port and virtual clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/debugcon.h"
#include "devices/exitport.h"
#include "mmu/mmu.h"

/* A device that records its last access and answers reads with a
 * pattern built from the port and the size. */
struct probe {
    unsigned reads, writes;
    uint16_t port;
    unsigned size;
    uint32_t value;
    uint16_t wport[8];
    uint32_t wval[8];
};

static uint32_t probe_read(void *opaque, uint16_t port, unsigned size)
{
    struct probe *p = opaque;
    p->reads++;
    p->port = port;
    p->size = size;
    return 0xA0u + (port & 0xF) + 0x1000u * size + 0xDEAD0000u;
}

static void probe_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct probe *p = opaque;
    if (p->writes < 8) {
        p->wport[p->writes] = port;
        p->wval[p->writes] = value;
    }
    p->writes++;
    p->port = port;
    p->size = size;
    p->value = value;
}

static void test_bus_unclaimed(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    assert_non_null(b);
    assert_int_equal(bus_io_read(b, 0x80, 1), 0xFF);
    assert_int_equal(bus_io_read(b, 0x80, 2), 0xFFFF);
    assert_int_equal(bus_io_read(b, 0xFFFF, 4), 0xFFFFFFFFu);
    bus_io_write(b, 0x80, 0x12, 1); /* dropped: must not crash */
    bus_destroy(b);
}

static void test_bus_register_and_overlap(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct probe p = { 0 };
    assert_int_equal(bus_register_io(b, 0x60, 4, BUS_WALL, &p, probe_read, probe_write), 0);
    assert_int_equal(bus_register_io(b, 0x63, 1, BUS_W8, &p, probe_read, probe_write), -1);
    assert_int_equal(bus_register_io(b, 0x5F, 2, BUS_W8, &p, probe_read, probe_write), -1);
    assert_int_equal(bus_register_io(b, 0x64, 0, BUS_W8, &p, probe_read, probe_write), -1);
    assert_int_equal(bus_register_io(b, 0xFFFF, 2, BUS_W8, &p, probe_read, probe_write), -1);
    assert_int_equal(bus_register_io(b, 0xFFFF, 1, BUS_W8, &p, probe_read, probe_write), 0);

    /* 16-bit read: the device's value truncated to the access width. */
    assert_int_equal(bus_io_read(b, 0x62, 2), (0xA2u + 0x2000u) & 0xFFFF);
    assert_int_equal(p.port, 0x62);
    assert_int_equal(p.size, 2);
    bus_io_write(b, 0x61, 0x12345678u, 4);
    assert_int_equal(p.value, 0x12345678u);
    assert_int_equal(p.size, 4);
    /* Just past the range is unclaimed again. */
    assert_int_equal(bus_io_read(b, 0x64, 1), 0xFF);
    bus_destroy(b);
}

static void test_bus_split_to_bytes(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct probe p = { 0 };
    assert_int_equal(bus_register_io(b, 0x70, 2, BUS_W8, &p, probe_read, probe_write), 0);
    /* A 32-bit read of a byte-wide device at 0x70: two device bytes,
     * then two unclaimed bytes that float high (little-endian order). */
    uint32_t v = bus_io_read(b, 0x70, 4);
    assert_int_equal(v, 0xFFFF0000u | (0xA1u << 8) | 0xA0u);
    assert_int_equal(p.reads, 2);
    bus_io_write(b, 0x70, 0xCAFEu, 2);
    assert_int_equal(p.writes, 2);
    assert_int_equal(p.wport[0], 0x70);
    assert_int_equal(p.wval[0], 0xFE);
    assert_int_equal(p.wport[1], 0x71);
    assert_int_equal(p.wval[1], 0xCA);
    bus_destroy(b);
}

static void test_bus_no_byte_width(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct probe p = { 0 };
    assert_int_equal(bus_register_io(b, 0xCF8, 4, BUS_W32, &p, probe_read, probe_write), 0);
    assert_int_equal(bus_io_read(b, 0xCF8, 1), 0xFF);
    assert_int_equal(p.reads, 0);
    bus_io_write(b, 0xCF8, 0x80000000u, 4);
    assert_int_equal(p.writes, 1);
    assert_int_equal(p.value, 0x80000000u);
    bus_destroy(b);
}

static void test_debugcon(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    FILE *f = tmpfile();
    assert_non_null(f);
    struct debugcon *dc = debugcon_create(b, DEBUGCON_PORT, f);
    assert_non_null(dc);
    assert_null(debugcon_create(b, DEBUGCON_PORT, f)); /* port taken */
    bus_io_write(b, 0xE9, 'o', 1);
    bus_io_write(b, 0xE9, 'k', 1);
    bus_io_write(b, 0xE9, 0x0A21u, 2); /* low byte '!' reaches 0xE9 */
    assert_int_equal(bus_io_read(b, 0xE9, 1), 0xE9);
    char buf[8] = { 0 };
    rewind(f);
    assert_int_equal(fread(buf, 1, sizeof(buf), f), 3);
    assert_string_equal(buf, "ok!");
    debugcon_destroy(dc);
    fclose(f);
    bus_destroy(b);
}

static void count_notify(void *opaque)
{
    (*(unsigned *)opaque)++;
}

static void test_exitport(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    unsigned notified = 0;
    struct exitport *ep = exitport_create(b, EXITPORT_PORT, count_notify, &notified);
    assert_non_null(ep);
    uint32_t v = 0xDEAD;
    assert_false(exitport_requested(ep, &v));
    assert_int_equal(v, 0xDEAD);
    bus_io_write(b, 0xF4, 0x21, 1);
    assert_true(exitport_requested(ep, &v));
    assert_int_equal(v, 0x21);
    assert_int_equal(notified, 1);
    assert_int_equal(exitport_status(v), 0x43);
    bus_io_write(b, 0xF4, 0x1234, 2);
    assert_true(exitport_requested(ep, &v));
    assert_int_equal(v, 0x1234);
    bus_io_write(b, 0xF4, 0x89ABCDEFu, 4);
    assert_true(exitport_requested(ep, &v));
    assert_int_equal(v, 0x89ABCDEFu);
    assert_int_equal(notified, 3);
    assert_int_equal(exitport_status(0), 1);
    assert_int_equal(bus_io_read(b, 0xF4, 1), 0xFF); /* write-only */
    exitport_reset(ep);
    assert_false(exitport_requested(ep, NULL));
    exitport_destroy(ep);
    bus_destroy(b);
}

/* ---- clock ---- */

struct fake_time {
    uint64_t ticks;
};

static uint64_t fake_source(void *opaque)
{
    return ((struct fake_time *)opaque)->ticks;
}

struct recorder {
    char log[64];
    size_t n;
    uint64_t when[16];
    struct clock *clk;
    struct clock_event *again; /* rescheduled once by 'a' */
};

struct tagged {
    struct clock_event ev;
    struct recorder *rec;
    char tag;
};

static void record_event(void *opaque, uint64_t now)
{
    struct tagged *t = opaque;
    struct recorder *r = t->rec;
    r->when[r->n] = now;
    r->log[r->n++] = t->tag;
    if (t->tag == 'a' && r->again != NULL) {
        clock_schedule(r->clk, r->again, now + 5);
        r->again = NULL;
    }
}

static void test_clock_order(void **state)
{
    (void)state;
    struct fake_time ft = { 100 };
    struct clock *clk = clock_create(fake_source, &ft);
    struct recorder rec = { .clk = clk };
    struct tagged a = { .rec = &rec, .tag = 'a' }, b = { .rec = &rec, .tag = 'b' },
                  c = { .rec = &rec, .tag = 'c' };
    clock_event_init(&a.ev, record_event, &a);
    clock_event_init(&b.ev, record_event, &b);
    clock_event_init(&c.ev, record_event, &c);

    assert_int_equal(clock_now(clk), 100);
    assert_true(clock_next_deadline(clk) == CLOCK_NEVER);
    clock_schedule(clk, &b.ev, 150);
    clock_schedule(clk, &a.ev, 120);
    clock_schedule(clk, &c.ev, 150); /* same deadline as b: after b */
    assert_int_equal(clock_next_deadline(clk), 120);
    assert_int_equal(clock_run_due(clk), 0);

    ft.ticks = 149;
    assert_int_equal(clock_run_due(clk), 1);
    assert_int_equal(rec.when[0], 149);
    ft.ticks = 150;
    assert_int_equal(clock_run_due(clk), 2);
    assert_memory_equal(rec.log, "abc", 3);
    assert_true(clock_next_deadline(clk) == CLOCK_NEVER);
    clock_destroy(clk);
}

static void test_clock_cancel_reschedule_skip(void **state)
{
    (void)state;
    struct fake_time ft = { 0 };
    struct clock *clk = clock_create(fake_source, &ft);
    struct recorder rec = { .clk = clk };
    struct tagged a = { .rec = &rec, .tag = 'a' }, b = { .rec = &rec, .tag = 'b' };
    clock_event_init(&a.ev, record_event, &a);
    clock_event_init(&b.ev, record_event, &b);

    clock_schedule(clk, &a.ev, 10);
    clock_schedule(clk, &b.ev, 20);
    clock_cancel(clk, &a.ev);
    clock_cancel(clk, &a.ev); /* cancelling twice is harmless */
    assert_int_equal(clock_next_deadline(clk), 20);
    clock_schedule(clk, &b.ev, 30); /* moving b keeps one copy */
    clock_schedule(clk, &a.ev, 25);
    assert_int_equal(clock_next_deadline(clk), 25);

    /* When 'a' fires it re-arms itself 5 ticks later (rec.again). */
    rec.again = &a.ev;
    clock_skip_to(clk, 25); /* halted CPU: time jumps, icount stays */
    assert_int_equal(clock_now(clk), 25);
    assert_int_equal(clock_run_due(clk), 1); /* a at 25, re-armed for 30 */
    assert_int_equal(clock_next_deadline(clk), 30);
    clock_skip_to(clk, 10); /* never backwards */
    assert_int_equal(clock_now(clk), 25);
    ft.ticks = 5; /* 5 instructions + 25 skipped */
    assert_int_equal(clock_run_due(clk), 2);
    assert_memory_equal(rec.log, "aba", 3);
    assert_int_equal(rec.when[1], 30);
    clock_destroy(clk);
}


static void test_bus_unregister(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct probe p = { 0 }, q = { 0 };
    assert_int_equal(bus_register_io(b, 0x100, 4, BUS_W8, &p, probe_read, probe_write), 0);
    assert_int_equal(bus_unregister_io(b, 0x101), -1); /* not a range's base */
    assert_int_equal(bus_unregister_io(b, 0x200), -1);
    assert_int_equal(bus_unregister_io(b, 0x100), 0);
    assert_int_equal(bus_io_read(b, 0x102, 1), 0xFF); /* floats again */
    assert_int_equal(p.reads, 0);
    /* the ports can be claimed again, e.g. by a moved I/O BAR */
    assert_int_equal(bus_register_io(b, 0x102, 2, BUS_W8, &q, probe_read, probe_write), 0);
    bus_io_write(b, 0x103, 0x5A, 1);
    assert_int_equal(q.writes, 1);
    assert_int_equal(q.value, 0x5A);
    assert_int_equal(p.writes, 0);
    assert_int_equal(bus_unregister_io(b, 0x100), -1);
    bus_destroy(b);
}

static uint32_t mmio_probe_read(void *opaque, uint32_t addr, unsigned size)
{
    struct probe *p = opaque;
    p->reads++;
    p->size = size;
    return 0x11223344u + addr;
}

static void mmio_probe_write(void *opaque, uint32_t addr, uint32_t value, unsigned size)
{
    struct probe *p = opaque;
    if (p->writes < 8) {
        p->wport[p->writes] = (uint16_t)addr;
        p->wval[p->writes] = value;
    }
    p->writes++;
    p->size = size;
}

static void test_bus_mmio(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct mmu *m = mmu_create(1u << 20);
    struct probe p = { 0 };
    assert_int_equal(bus_register_mmio(b, 0xFEB00000u, 0x1000, BUS_W32, &p, mmio_probe_read,
                                       mmio_probe_write), -1); /* no MMU yet */
    bus_attach_mmu(b, m);
    assert_int_equal(bus_register_mmio(b, 0xFEB00000u, 0x1000, BUS_W32 | BUS_W8, &p,
                                       mmio_probe_read, mmio_probe_write), 0);
    assert_int_equal(bus_register_mmio(b, 0xFEB00000u, 0x1000, BUS_W32, &p, mmio_probe_read,
                                       mmio_probe_write), -1); /* overlap */
    assert_int_equal(mmu_read_phys(m, 0xFEB00010u, 4), 0x11223344u + 0xFEB00010u);
    assert_int_equal(p.size, 4);
    /* a word access to a dword/byte device becomes two byte accesses */
    mmu_write_phys(m, 0xFEB00020u, 0xBEEF, 2);
    assert_int_equal(p.writes, 2);
    assert_int_equal(p.wval[0], 0xEF);
    assert_int_equal(p.wval[1], 0xBE);
    assert_int_equal(p.wport[1], (uint16_t)0x0021);
    /* moving the window: the old address floats, the new one decodes */
    assert_int_equal(bus_unregister_mmio(b, 0xFEB00000u), 0);
    assert_int_equal(bus_unregister_mmio(b, 0xFEB00000u), -1);
    assert_int_equal(mmu_read_phys(m, 0xFEB00010u, 4), 0xFFFFFFFFu);
    assert_int_equal(bus_register_mmio(b, 0xFEC00000u, 0x1000, BUS_W32, &p, mmio_probe_read,
                                       mmio_probe_write), 0);
    assert_int_equal(mmu_read_phys(m, 0xFEC00004u, 4), 0x11223344u + 0xFEC00004u);
    /* a window over RAM hides it; unmapping shows the RAM again */
    mmu_write_phys(m, 0x80000, 0xCAFEF00Du, 4);
    assert_int_equal(bus_register_mmio(b, 0x80000, 0x1000, BUS_W32, &p, mmio_probe_read,
                                       mmio_probe_write), 0);
    assert_int_equal(mmu_read_phys(m, 0x80000, 4), 0x11223344u + 0x80000);
    assert_int_equal(bus_unregister_mmio(b, 0x80000), 0);
    assert_int_equal(mmu_read_phys(m, 0x80000, 4), 0xCAFEF00Du);
    bus_destroy(b);
    mmu_destroy(m);
}

static void count_early(void *opaque) { (*(unsigned *)opaque)++; }

/* An event scheduled inside the running slice (before the horizon) asks
 * the board to end the slice; one at or after it, or between slices,
 * does not. */
static void test_clock_horizon(void **state)
{
    (void)state;
    struct fake_time ft = { 100 };
    struct clock *clk = clock_create(fake_source, &ft);
    unsigned early = 0;
    struct clock_event ev;
    clock_event_init(&ev, NULL, NULL);
    clock_set_early_handler(clk, count_early, &early);
    clock_schedule(clk, &ev, 150); /* no slice running */
    assert_int_equal(early, 0);
    clock_set_horizon(clk, 1000);
    clock_schedule(clk, &ev, 1000); /* exactly at the end: the slice ends there anyway */
    assert_int_equal(early, 0);
    clock_schedule(clk, &ev, 999);
    assert_int_equal(early, 1);
    clock_schedule(clk, &ev, 101);
    assert_int_equal(early, 2);
    clock_set_horizon(clk, 0); /* the slice is over */
    clock_schedule(clk, &ev, 101);
    assert_int_equal(early, 2);
    clock_cancel(clk, &ev);
    clock_destroy(clk);
}

static void test_clock_conversions(void **state)
{
    (void)state;
    struct fake_time ft = { 0 };
    struct clock *clk = clock_create(fake_source, &ft);
    assert_int_equal(clock_rate(clk), CLOCK_RATE_DEFAULT);
    /* one guest second is exactly 1193182 PIT periods */
    assert_int_equal(clock_ticks_to_hz(clk, CLOCK_RATE_DEFAULT, CLOCK_HZ_PIT), CLOCK_HZ_PIT);
    assert_int_equal(clock_ticks_to_hz(clk, CLOCK_RATE_DEFAULT - 1, CLOCK_HZ_PIT), CLOCK_HZ_PIT - 1);
    /* hz_to_ticks is the least t reaching the period count */
    for (uint64_t n = 0; n < 5000; n += 7) {
        uint64_t t = clock_hz_to_ticks(clk, n, CLOCK_HZ_PIT);
        assert_true(clock_ticks_to_hz(clk, t, CLOCK_HZ_PIT) >= n);
        if (t > 0)
            assert_true(clock_ticks_to_hz(clk, t - 1, CLOCK_HZ_PIT) < n);
    }
    /* no overflow far out: 10^7 guest seconds */
    uint64_t far = 10000000ull * CLOCK_RATE_DEFAULT;
    assert_int_equal(clock_ticks_to_hz(clk, far, CLOCK_HZ_NS), 10000000ull * 1000000000ull);
    assert_int_equal(clock_muldiv(UINT64_MAX, UINT64_MAX, UINT64_MAX), UINT64_MAX);
    assert_int_equal(clock_muldiv(0xFFFFFFFFFFFFull, 0x123456789ull, 0x987654321ull),
                     0x1E9131ABDEABull);
    assert_int_equal(clock_muldiv(UINT64_MAX, 2, 1), UINT64_MAX); /* does not fit */
    clock_set_rate(clk, 0); /* ignored */
    assert_int_equal(clock_rate(clk), CLOCK_RATE_DEFAULT);
    clock_set_rate(clk, 1000);
    assert_int_equal(clock_hz_to_ticks(clk, 3, 1), 3000);
    clock_destroy(clk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bus_unclaimed),
        cmocka_unit_test(test_bus_register_and_overlap),
        cmocka_unit_test(test_bus_split_to_bytes),
        cmocka_unit_test(test_bus_no_byte_width),
        cmocka_unit_test(test_bus_unregister),
        cmocka_unit_test(test_bus_mmio),
        cmocka_unit_test(test_clock_conversions),
        cmocka_unit_test(test_clock_horizon),
        cmocka_unit_test(test_debugcon),
        cmocka_unit_test(test_exitport),
        cmocka_unit_test(test_clock_order),
        cmocka_unit_test(test_clock_cancel_reschedule_skip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
