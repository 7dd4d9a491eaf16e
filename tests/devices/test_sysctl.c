/*
 * test_sysctl.c - port 92h, the CF9h reset register (alone and behind the
 * PCI mechanism), the POST port and the Bochs shutdown port.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "devices/bus.h"
#include "devices/pci.h"
#include "devices/sysctl.h"

struct calls {
    unsigned resets, poweroffs, a20_calls;
    bool a20;
};

static void on_reset(void *opaque) { ((struct calls *)opaque)->resets++; }
static void on_poweroff(void *opaque) { ((struct calls *)opaque)->poweroffs++; }
static void on_a20(void *opaque, bool enabled)
{
    struct calls *c = opaque;
    c->a20_calls++;
    c->a20 = enabled;
}

static struct sysctl_config full_config(struct calls *c, FILE *log)
{
    struct sysctl_config cfg = {
        .port_a = SYSCTL_PORT_A,
        .rcr = SYSCTL_RCR,
        .post = SYSCTL_POST,
        .bochs_shutdown = SYSCTL_BOCHS_SHUTDOWN,
        .log = log,
        .reset = on_reset,
        .a20 = on_a20,
        .poweroff = on_poweroff,
        .opaque = c,
    };
    return cfg;
}

static void out8(struct bus *b, uint16_t port, uint8_t v) { bus_io_write(b, port, v, 1); }
static uint8_t in8(struct bus *b, uint16_t port) { return (uint8_t)bus_io_read(b, port, 1); }

static void test_port_a(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct calls c = { 0 };
    const struct sysctl_config cfg = full_config(&c, NULL);
    struct sysctl *sc = sysctl_create(b, &cfg);
    assert_non_null(sc);
    assert_null(sysctl_create(b, &cfg)); /* ports taken */

    assert_int_equal(in8(b, 0x92), 0x00);
    out8(b, 0x92, 0x02);
    assert_int_equal(c.a20_calls, 1);
    assert_true(c.a20);
    assert_true(sysctl_fast_a20(sc));
    assert_int_equal(in8(b, 0x92), 0x02);
    out8(b, 0x92, 0x02); /* no change, no call */
    assert_int_equal(c.a20_calls, 1);
    out8(b, 0x92, 0x00);
    assert_int_equal(c.a20_calls, 2);
    assert_false(c.a20);
    assert_int_equal(c.resets, 0);

    /* Bit 0: reset on the 0->1 edge only. */
    out8(b, 0x92, 0x01);
    assert_int_equal(c.resets, 1);
    out8(b, 0x92, 0x03);
    assert_int_equal(c.resets, 1);
    assert_true(c.a20);
    assert_int_equal(in8(b, 0x92), 0x03);
    out8(b, 0x92, 0x02);
    out8(b, 0x92, 0x03);
    assert_int_equal(c.resets, 2);

    /* The other bits are stored. */
    out8(b, 0x92, 0xF6);
    assert_int_equal(in8(b, 0x92), 0xF6);
    assert_int_equal(c.resets, 2);

    /* RESET clears the port and turns fast A20 off. */
    unsigned calls = c.a20_calls;
    sysctl_reset(sc);
    assert_int_equal(in8(b, 0x92), 0x00);
    assert_int_equal(c.a20_calls, calls + 1);
    assert_false(c.a20);
    assert_false(sysctl_fast_a20(sc));
    sysctl_reset(sc); /* was off: no call */
    assert_int_equal(c.a20_calls, calls + 1);
    sysctl_destroy(sc);
    sysctl_destroy(NULL);
    bus_destroy(b);
}

static void test_rcr_alone(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct calls c = { 0 };
    const struct sysctl_config cfg = full_config(&c, NULL);
    struct sysctl *sc = sysctl_create(b, &cfg);
    assert_non_null(sc);

    assert_int_equal(in8(b, 0xCF9), 0x00);
    out8(b, 0xCF9, 0x02); /* select hard reset */
    assert_int_equal(c.resets, 0);
    assert_int_equal(in8(b, 0xCF9), 0x02);
    out8(b, 0xCF9, 0x06); /* RST_CPU 0->1 */
    assert_int_equal(c.resets, 1);
    assert_int_equal(in8(b, 0xCF9), 0x06);
    out8(b, 0xCF9, 0x0E); /* RST_CPU stays 1: no edge */
    assert_int_equal(c.resets, 1);
    sysctl_reset(sc);
    assert_int_equal(in8(b, 0xCF9), 0x00);
    out8(b, 0xCF9, 0x0E); /* full reset */
    assert_int_equal(c.resets, 2);
    out8(b, 0xCF9, 0x00);
    out8(b, 0xCF9, 0x04); /* soft reset */
    assert_int_equal(c.resets, 3);
    out8(b, 0xCF9, 0x00);
    out8(b, 0xCF9, 0xF1); /* reserved bits read 0 */
    assert_int_equal(in8(b, 0xCF9), 0x00);
    assert_int_equal(c.resets, 3);
    /* Byte-wide: a word at CF8h reaches CF9h with its high byte. */
    bus_io_write(b, 0xCF8, 0x0600, 2);
    assert_int_equal(c.resets, 4);
    sysctl_destroy(sc);
    bus_destroy(b);
}

static void test_rcr_behind_pci(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct calls c = { 0 };
    struct pci *pci = pci_create(b, PCI_CONFIG_ADDRESS);
    assert_non_null(pci);
    struct sysctl_config cfg = full_config(&c, NULL);
    cfg.port_a = 0;
    cfg.post = 0;
    cfg.bochs_shutdown = 0;
    /* PCI owns CF8h-CFFh: the register cannot claim its port... */
    assert_null(sysctl_create(b, &cfg));
    /* ...so it is reached through the PCI device's hook. */
    cfg.rcr = 0;
    struct sysctl *sc = sysctl_create(b, &cfg);
    assert_non_null(sc);
    assert_int_equal(in8(b, 0xCF9), 0xFF); /* no handler yet */
    pci_set_cf9_handler(pci, sysctl_rcr_io_read, sysctl_rcr_io_write, sc);

    /* A dword at CF8h is CONFIG_ADDRESS, not the reset register. */
    bus_io_write(b, 0xCF8, 0x80000600u, 4);
    assert_int_equal(c.resets, 0);
    assert_int_equal(bus_io_read(b, 0xCF8, 4), 0x80000600u);
    assert_int_equal(in8(b, 0xCF9), 0x00);
    out8(b, 0xCF9, 0x02);
    out8(b, 0xCF9, 0x06);
    assert_int_equal(c.resets, 1);
    assert_int_equal(in8(b, 0xCF9), 0x06);
    assert_int_equal(bus_io_read(b, 0xCF8, 4), 0x80000600u);
    /* Other bytes of the window are plain, empty I/O. */
    assert_int_equal(in8(b, 0xCF8), 0xFF);
    assert_int_equal(in8(b, 0xCFB), 0xFF);
    assert_int_equal(bus_io_read(b, 0xCF8, 2), 0x06FF);
    sysctl_destroy(sc);
    pci_destroy(pci);
    bus_destroy(b);
}

static void test_post(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct calls c = { 0 };
    FILE *log = tmpfile();
    assert_non_null(log);
    const struct sysctl_config cfg = full_config(&c, log);
    struct sysctl *sc = sysctl_create(b, &cfg);
    assert_non_null(sc);
    out8(b, 0x80, 0x12);
    out8(b, 0x80, 0xAB);
    assert_int_equal(in8(b, 0x80), 0xAB);
    assert_int_equal(sysctl_post_code(sc), 0xAB);
    sysctl_reset(sc);
    assert_int_equal(in8(b, 0x80), 0xAB);
    char text[64] = { 0 };
    rewind(log);
    assert_true(fread(text, 1, sizeof(text) - 1, log) > 0);
    assert_string_equal(text, "POST 12\nPOST AB\n");
    sysctl_destroy(sc);
    fclose(log);
    bus_destroy(b);
}

static void write_string(struct bus *b, const char *s)
{
    for (; *s != '\0'; s++)
        out8(b, 0x8900, (uint8_t)*s);
}

static void test_bochs_shutdown(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct calls c = { 0 };
    const struct sysctl_config cfg = full_config(&c, NULL);
    struct sysctl *sc = sysctl_create(b, &cfg);
    assert_non_null(sc);
    write_string(b, "Shutdow");
    assert_int_equal(c.poweroffs, 0);
    write_string(b, "n");
    assert_int_equal(c.poweroffs, 1);
    write_string(b, "shutdown"); /* case matters */
    write_string(b, "ShutXdown");
    assert_int_equal(c.poweroffs, 1);
    write_string(b, "ShutShutdown"); /* a new 'S' restarts the match */
    assert_int_equal(c.poweroffs, 2);
    write_string(b, "SSShutdown");
    assert_int_equal(c.poweroffs, 3);
    write_string(b, "Shut");
    sysctl_reset(sc); /* RESET forgets a partial match */
    write_string(b, "down");
    assert_int_equal(c.poweroffs, 3);
    assert_int_equal(in8(b, 0x8900), 0xFF); /* write-only */
    assert_int_equal(c.resets, 0);
    sysctl_destroy(sc);
    bus_destroy(b);
}

static void test_absent_ports_and_no_callbacks(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    const struct sysctl_config cfg = { .port_a = 0x92 };
    struct sysctl *sc = sysctl_create(b, &cfg);
    assert_non_null(sc);
    out8(b, 0x92, 0x03); /* no callbacks: nothing happens */
    assert_int_equal(in8(b, 0x92), 0x03);
    assert_int_equal(in8(b, 0x80), 0xFF); /* not claimed */
    assert_int_equal(in8(b, 0xCF9), 0xFF);
    sysctl_rcr_io_write(sc, 0xCF9, 0x06, 1);
    assert_int_equal(sysctl_rcr_io_read(sc, 0xCF9, 1), 0x06);
    write_string(b, "Shutdown");
    sysctl_destroy(sc);
    bus_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_port_a),
        cmocka_unit_test(test_rcr_alone),
        cmocka_unit_test(test_rcr_behind_pci),
        cmocka_unit_test(test_post),
        cmocka_unit_test(test_bochs_shutdown),
        cmocka_unit_test(test_absent_ports_and_no_callbacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
