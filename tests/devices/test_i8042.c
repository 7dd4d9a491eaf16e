/*
 * test_i8042.c - the 8042 keyboard controller, the PS/2 keyboard and the
 * PS/2 mouse, driven through ports 60h/64h as a BIOS or Linux drives
 * them, on a fake clock.
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
#include "devices/i8042.h"
#include "devices/ps2.h"

#define DATA 0x60
#define CMDP 0x64

/* Ticks per microsecond at the default clock rate. */
#define US ((uint64_t)CLOCK_RATE_DEFAULT / 1000000u)
#define MS (1000u * US)

struct rig {
    uint64_t ticks;
    struct clock *clk;
    struct bus *bus;
    struct i8042 *k;
    struct irq_line irq1, irq12;
    bool level[16];
    unsigned rises[16];
    unsigned resets;
    unsigned a20_calls;
    bool a20;
    bool reset_reenters; /* the reset callback calls i8042_reset() */
};

static uint64_t rig_source(void *opaque)
{
    return ((struct rig *)opaque)->ticks;
}

static void rig_sink(void *opaque, unsigned pin, bool level)
{
    struct rig *r = opaque;
    r->level[pin & 15] = level;
    if (level)
        r->rises[pin & 15]++;
}

static void rig_reset(void *opaque)
{
    struct rig *r = opaque;
    r->resets++;
    if (r->reset_reenters)
        i8042_reset(r->k);
}

static void rig_a20(void *opaque, bool enabled)
{
    struct rig *r = opaque;
    r->a20_calls++;
    r->a20 = enabled;
}

static int setup(void **state)
{
    struct rig *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    r->ticks = 1000;
    r->clk = clock_create(rig_source, r);
    r->bus = bus_create();
    assert_non_null(r->clk);
    assert_non_null(r->bus);
    irq_line_init(&r->irq1, rig_sink, r, 1);
    irq_line_init(&r->irq12, rig_sink, r, 12);
    r->a20 = true;
    r->k = i8042_create(r->bus, I8042_DATA_PORT, I8042_CMD_PORT, r->clk, &r->irq1, &r->irq12,
                        rig_reset, rig_a20, r);
    assert_non_null(r->k);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    struct rig *r = *state;
    i8042_destroy(r->k);
    bus_destroy(r->bus);
    clock_destroy(r->clk);
    free(r);
    return 0;
}

static void advance(struct rig *r, uint64_t ticks)
{
    r->ticks += ticks;
    clock_run_due(r->clk);
}

static uint8_t status(struct rig *r)
{
    return (uint8_t)bus_io_read(r->bus, CMDP, 1);
}

static void cmd(struct rig *r, uint8_t v)
{
    bus_io_write(r->bus, CMDP, v, 1);
}

static void data(struct rig *r, uint8_t v)
{
    bus_io_write(r->bus, DATA, v, 1);
}

/* Poll the status register as a driver does (100 us between polls, up to
 * 200 ms); -1 on timeout.  *aux tells where the byte came from. */
static int poll_byte(struct rig *r, bool *aux)
{
    for (unsigned i = 0; i < 2000; i++) {
        uint8_t s = status(r);
        if (s & I8042_STR_OBF) {
            if (aux != NULL)
                *aux = (s & I8042_STR_AUXOBF) != 0;
            return (int)bus_io_read(r->bus, DATA, 1);
        }
        advance(r, 100 * US);
    }
    return -1;
}

static void expect_bytes(struct rig *r, bool aux, const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool from_aux = !aux;
        int b = poll_byte(r, &from_aux);
        if (b != bytes[i])
            fail_msg("byte %zu: got %#x, expected %#x", i, (unsigned)b, bytes[i]);
        assert_true(from_aux == aux);
    }
}

#define EXPECT_KBD(r, ...)                                                                     \
    expect_bytes((r), false, (const uint8_t[]){ __VA_ARGS__ },                                  \
                 sizeof((const uint8_t[]){ __VA_ARGS__ }))
#define EXPECT_AUX(r, ...)                                                                     \
    expect_bytes((r), true, (const uint8_t[]){ __VA_ARGS__ },                                   \
                 sizeof((const uint8_t[]){ __VA_ARGS__ }))

/* Nothing more arrives within 20 ms. */
static void expect_quiet(struct rig *r)
{
    for (unsigned i = 0; i < 200; i++) {
        assert_int_equal(status(r) & I8042_STR_OBF, 0);
        advance(r, 100 * US);
    }
}

/* A controller command with a one-byte reply. */
static uint8_t ask(struct rig *r, uint8_t c)
{
    cmd(r, c);
    assert_true(status(r) & I8042_STR_OBF);
    return (uint8_t)bus_io_read(r->bus, DATA, 1);
}

static void write_ctr(struct rig *r, uint8_t v)
{
    cmd(r, 0x60);
    data(r, v);
}

static void to_mouse(struct rig *r, uint8_t v)
{
    cmd(r, 0xD4);
    data(r, v);
}

static void key(struct rig *r, uint8_t code, bool ext, bool down)
{
    i8042_key(r->k, code, ext, down);
}

/* ---- controller ---- */

static void test_power_on_state(void **state)
{
    struct rig *r = *state;
    assert_int_equal(status(r), 0x10);
    assert_true(i8042_a20(r->k));
    assert_int_equal(r->a20_calls, 0);
    assert_int_equal(ask(r, 0x20), 0x70);
    assert_int_equal(status(r), 0x18); /* A2: the last write was a command */
    /* Reading again with OBF clear repeats the last byte. */
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0x70);
    assert_int_equal(ask(r, 0xD0), 0xCF);
    assert_int_equal(ask(r, 0xC0), 0xA0);
    assert_int_equal(ask(r, 0xE0), 0x00); /* both clocks held low */
    assert_int_equal(ask(r, 0xA4), 0xF1);
    assert_false(r->level[1]);
    assert_false(r->level[12]);
    /* Unknown commands do nothing. */
    cmd(r, 0x00);
    cmd(r, 0xC8);
    assert_int_equal(status(r) & I8042_STR_OBF, 0);
}

static void test_bios_init(void **state)
{
    struct rig *r = *state;
    assert_int_equal(status(r) & I8042_STR_SYS, 0);
    assert_int_equal(ask(r, 0xAA), 0x55);
    assert_int_equal(status(r), 0x1C); /* SYS now set */
    assert_int_equal(ask(r, 0x20), 0x74);
    assert_int_equal(ask(r, 0xAB), 0x00);
    assert_int_equal(ask(r, 0xA9), 0x00);
    write_ctr(r, 0x45); /* XLATE, SYS, keyboard interrupt, both enabled */
    assert_int_equal(status(r), 0x14);
    assert_int_equal(ask(r, 0x20), 0x45);
    assert_int_equal(ask(r, 0xE0), 0x03);
    /* The controller's replies raise IRQ 1 too when it is enabled. */
    assert_int_equal(r->rises[1], 2);
    assert_false(r->level[1]);

    data(r, 0xFF); /* keyboard reset: the ACK after the byte gap */
    assert_false(r->level[1]);
    advance(r, I8042_BYTE_GAP_US * US);
    assert_true(r->level[1]);
    EXPECT_KBD(r, 0xFA, 0xAA);
    data(r, 0xF2); /* identify: AB 83, 83 translated to 41 */
    EXPECT_KBD(r, 0xFA, 0xAB, 0x41);
    data(r, 0xED);
    EXPECT_KBD(r, 0xFA);
    data(r, PS2_LED_NUM);
    EXPECT_KBD(r, 0xFA);
    assert_int_equal(i8042_leds(r->k), PS2_LED_NUM);
    data(r, 0xF4);
    EXPECT_KBD(r, 0xFA);
    expect_quiet(r);
    assert_int_equal(r->rises[1], 2 + 8); /* one interrupt per byte */
    assert_false(r->level[1]);
    assert_int_equal(r->rises[12], 0);
}

static void test_linux_init(void **state)
{
    struct rig *r = *state;
    /* i8042_controller_check: flush; selftest; controller_init. */
    assert_int_equal(status(r) & I8042_STR_OBF, 0);
    assert_int_equal(ask(r, 0xAA), 0x55);
    uint8_t ctr = ask(r, 0x20);
    ctr |= I8042_CTR_KBDDIS;
    ctr &= (uint8_t)~I8042_CTR_KBDINT;
    write_ctr(r, ctr);
    assert_true(ctr & I8042_CTR_XLATE);

    /* i8042_check_aux: the AUX loopback answers as mouse data. */
    cmd(r, 0xD3);
    data(r, 0x5A);
    assert_int_equal(status(r), 0x35); /* OBF, AUXOBF, UNLOCK, SYS */
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0x5A);
    assert_int_equal(r->rises[12], 0); /* AUXINT is off */

    /* Bit assignment test. */
    cmd(r, 0xA7);
    assert_true(ask(r, 0x20) & I8042_CTR_AUXDIS);
    cmd(r, 0xA8);
    assert_false(ask(r, 0x20) & I8042_CTR_AUXDIS);

    /* IRQ 12 delivery test. */
    ctr = (uint8_t)((ctr & ~I8042_CTR_AUXDIS) | I8042_CTR_AUXINT);
    write_ctr(r, ctr);
    cmd(r, 0xD3);
    data(r, 0xA5);
    assert_true(r->level[12]);
    assert_int_equal(r->rises[12], 1);
    assert_false(r->level[1]);
    assert_int_equal(status(r) & (I8042_STR_OBF | I8042_STR_AUXOBF), 0x21);
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0xA5);
    assert_false(r->level[12]);

    /* Active multiplexing probe: a plain controller echoes all three. */
    static const uint8_t mux[] = { 0xF0, 0x56, 0xA4 };
    for (unsigned i = 0; i < 3; i++) {
        cmd(r, 0xD3);
        data(r, mux[i]);
        bool aux = false;
        assert_int_equal(poll_byte(r, &aux), mux[i]);
        assert_true(aux);
    }
    ctr = (uint8_t)((ctr | I8042_CTR_AUXDIS) & ~I8042_CTR_AUXINT);
    write_ctr(r, ctr);

    /* i8042_enable_kbd_port, then atkbd's probe in translated mode. */
    ctr = (uint8_t)((ctr & ~I8042_CTR_KBDDIS) | I8042_CTR_KBDINT);
    write_ctr(r, ctr);
    unsigned before = r->rises[1];
    data(r, 0xF2);
    EXPECT_KBD(r, 0xFA, 0xAB, 0x41);
    assert_int_equal(r->rises[1], before + 3);

    /* i8042.direct: untranslated, the ID comes raw. */
    write_ctr(r, (uint8_t)(ctr & ~I8042_CTR_XLATE));
    data(r, 0xF2);
    EXPECT_KBD(r, 0xFA, 0xAB, 0x83);
    data(r, 0xF0);
    data(r, 0x00);
    EXPECT_KBD(r, 0xFA, 0xFA, 0x02);
}

static void test_controller_ram(void **state)
{
    struct rig *r = *state;
    cmd(r, 0x61);
    data(r, 0x5A);
    cmd(r, 0x7F);
    data(r, 0xA5);
    assert_int_equal(ask(r, 0x21), 0x5A);
    assert_int_equal(ask(r, 0x3F), 0xA5);
    assert_int_equal(ask(r, 0x20), 0x70);
    assert_int_equal(ask(r, 0x22), 0x00);
    /* A command cancels a pending data byte: this goes to the keyboard. */
    cmd(r, 0x62);
    cmd(r, 0xAE);
    data(r, 0xEE);
    EXPECT_KBD(r, 0xEE);
    assert_int_equal(ask(r, 0x22), 0x00);
}

static void test_write_output_buffers(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x43); /* XLATE, both interrupts, both interfaces */
    cmd(r, 0xD2);
    data(r, 0x1C); /* not translated */
    assert_true(r->level[1]);
    assert_false(r->level[12]);
    assert_int_equal(status(r) & (I8042_STR_OBF | I8042_STR_AUXOBF), 0x01);
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0x1C);
    assert_false(r->level[1]);
    cmd(r, 0xD3);
    data(r, 0x99);
    assert_true(r->level[12]);
    assert_false(r->level[1]);
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0x99);
    assert_false(r->level[12]);

    /* A controller reply replaces a device byte in the output buffer. */
    key(r, 0x1C, false, true);
    advance(r, MS);
    assert_int_equal(status(r) & I8042_STR_OBF, 1);
    assert_int_equal(ask(r, 0x20), 0x43);
    expect_quiet(r);
}

static void test_a20_and_reset(void **state)
{
    struct rig *r = *state;
    cmd(r, 0xD1);
    data(r, 0xDD);
    assert_int_equal(r->a20_calls, 1);
    assert_false(r->a20);
    assert_false(i8042_a20(r->k));
    assert_int_equal(r->resets, 0);
    assert_int_equal(ask(r, 0xD0), 0xCD); /* bits 4/5 are the IRQ outputs */
    cmd(r, 0xD1);
    data(r, 0xDF);
    assert_true(r->a20);
    assert_int_equal(r->a20_calls, 2);
    cmd(r, 0xD1);
    data(r, 0xDF); /* no change, no call */
    assert_int_equal(r->a20_calls, 2);
    cmd(r, 0xDD);
    assert_false(r->a20);
    cmd(r, 0xDF);
    assert_true(r->a20);
    assert_int_equal(r->a20_calls, 4);
    cmd(r, 0xFF); /* pulse nothing: the null command of A20 sequences */
    cmd(r, 0xFD); /* pulses bit 1 only */
    assert_int_equal(r->resets, 0);
    assert_true(r->a20);

    cmd(r, 0xFE);
    assert_int_equal(r->resets, 1);
    cmd(r, 0xF0);
    assert_int_equal(r->resets, 2);
    cmd(r, 0xD1);
    data(r, 0xDE); /* bit 0 low */
    assert_int_equal(r->resets, 3);
    assert_int_equal(ask(r, 0xD0), 0xCF); /* the pulse ended */
    assert_int_equal(r->a20_calls, 4);

    /* The output port shows the interrupt outputs. */
    write_ctr(r, 0x03);
    cmd(r, 0xD2);
    data(r, 0x00);
    cmd(r, 0xD0);
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0xDF);

    /* Hardware reset turns A20 back on. */
    cmd(r, 0xDD);
    assert_int_equal(r->a20_calls, 5);
    i8042_reset(r->k);
    assert_int_equal(r->a20_calls, 6);
    assert_true(r->a20);
}

static void test_reset_reenters(void **state)
{
    struct rig *r = *state;
    r->reset_reenters = true;
    write_ctr(r, 0x47);
    data(r, 0xF2);
    cmd(r, 0xFE);
    assert_int_equal(r->resets, 1);
    assert_int_equal(status(r), 0x10);
    assert_false(r->level[1]);
    expect_quiet(r);
    assert_int_equal(ask(r, 0x20), 0x70);
}

static void test_reset_state(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x03);
    data(r, 0xF0);
    data(r, 0x03);
    data(r, 0xED);
    data(r, 0x07);
    to_mouse(r, 0xF4);
    key(r, 0x1C, false, true);
    i8042_mouse(r->k, 1, 1, 0, 0);
    assert_true(r->level[1] || r->level[12]);
    i8042_reset(r->k);
    assert_false(r->level[1]);
    assert_false(r->level[12]);
    assert_int_equal(status(r), 0x10);
    expect_quiet(r);
    assert_int_equal(i8042_leds(r->k), 0);
    write_ctr(r, 0x00);
    data(r, 0xF0);
    data(r, 0x00);
    EXPECT_KBD(r, 0xFA, 0xFA, 0x02);
    to_mouse(r, 0xE9);
    EXPECT_AUX(r, 0xFA, 0x00, 0x02, 100);
}

/* ---- keyboard ---- */

static void test_keys_translated(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x41);
    key(r, 0x1C, false, true); /* A */
    key(r, 0x1C, false, false);
    EXPECT_KBD(r, 0x1E, 0x9E);
    key(r, 0x14, true, true); /* right Ctrl */
    key(r, 0x14, true, false);
    EXPECT_KBD(r, 0xE0, 0x1D, 0xE0, 0x9D);
    key(r, 0x74, true, true); /* Right */
    key(r, 0x74, true, false);
    EXPECT_KBD(r, 0xE0, 0x4D, 0xE0, 0xCD);
    key(r, 0x7C, true, true); /* Print Screen */
    key(r, 0x7C, true, false);
    EXPECT_KBD(r, 0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA);
    key(r, 0x77, true, true); /* Pause */
    key(r, 0x77, true, false);
    EXPECT_KBD(r, 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5);
    key(r, 0x83, false, true); /* F7: 83h translates to 41h */
    key(r, 0x83, false, false);
    EXPECT_KBD(r, 0x41, 0xC1);
    key(r, 0x76, false, true); /* Esc */
    key(r, 0x76, false, false);
    EXPECT_KBD(r, 0x01, 0x81);
    key(r, 0x00, false, true); /* not keys */
    key(r, 0x85, false, true);
    key(r, 0xF0, true, true);
    expect_quiet(r);
}

static void test_keys_raw_set2(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x01);
    key(r, 0x1C, false, true);
    key(r, 0x1C, false, false);
    EXPECT_KBD(r, 0x1C, 0xF0, 0x1C);
    key(r, 0x5A, true, true); /* keypad Enter */
    key(r, 0x5A, true, false);
    EXPECT_KBD(r, 0xE0, 0x5A, 0xE0, 0xF0, 0x5A);
    key(r, 0x7C, true, true);
    key(r, 0x7C, true, false);
    EXPECT_KBD(r, 0xE0, 0x12, 0xE0, 0x7C, 0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12);
    key(r, 0x77, true, true);
    key(r, 0x77, true, false);
    EXPECT_KBD(r, 0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77);
    expect_quiet(r);
}

static void test_scancode_sets(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x01);
    data(r, 0xF0);
    data(r, 0x00);
    EXPECT_KBD(r, 0xFA, 0xFA, 0x02);

    data(r, 0xF0);
    data(r, 0x03);
    EXPECT_KBD(r, 0xFA, 0xFA);
    data(r, 0xF0);
    data(r, 0x00);
    EXPECT_KBD(r, 0xFA, 0xFA, 0x03);
    key(r, 0x1C, false, true);
    key(r, 0x1C, false, false);
    key(r, 0x74, true, true); /* Right: one code in set 3 */
    key(r, 0x74, true, false);
    key(r, 0x76, false, true); /* Esc */
    key(r, 0x7C, true, true); /* Print Screen */
    EXPECT_KBD(r, 0x1C, 0xF0, 0x1C, 0x6A, 0xF0, 0x6A, 0x08, 0x57);

    data(r, 0xF0);
    data(r, 0x01);
    EXPECT_KBD(r, 0xFA, 0xFA);
    key(r, 0x1C, false, true);
    key(r, 0x1C, false, false);
    key(r, 0x74, true, true);
    key(r, 0x74, true, false);
    EXPECT_KBD(r, 0x1E, 0x9E, 0xE0, 0x4D, 0xE0, 0xCD);

    /* Translated replies: set 1, 2, 3 read as 43h, 41h, 3Fh. */
    write_ctr(r, 0x41);
    data(r, 0xF0);
    data(r, 0x00);
    EXPECT_KBD(r, 0xFA, 0xFA, 0x43);
    data(r, 0xF0);
    data(r, 0x02);
    data(r, 0xF0);
    data(r, 0x00);
    EXPECT_KBD(r, 0xFA, 0xFA, 0xFA, 0xFA, 0x41);
    data(r, 0xF0);
    data(r, 0x03);
    data(r, 0xF0);
    data(r, 0x00);
    EXPECT_KBD(r, 0xFA, 0xFA, 0xFA, 0xFA, 0x3F);
    /* An invalid set is refused. */
    data(r, 0xF0);
    data(r, 0x07);
    EXPECT_KBD(r, 0xFA, 0xFE);
    expect_quiet(r);
}

static void test_kbd_commands(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x01);
    data(r, 0xEE);
    EXPECT_KBD(r, 0xEE);
    data(r, 0x01); /* unknown */
    EXPECT_KBD(r, 0xFE);
    data(r, 0xED);
    data(r, 0x07);
    EXPECT_KBD(r, 0xFA, 0xFA);
    assert_int_equal(i8042_leds(r->k), 7);
    data(r, 0xFE); /* resend: the last byte again */
    EXPECT_KBD(r, 0xFA);
    /* A command instead of the LED byte is executed. */
    data(r, 0xED);
    data(r, 0xF2);
    EXPECT_KBD(r, 0xFA, 0xFA, 0xAB, 0x83);
    assert_int_equal(i8042_leds(r->k), 7);
    data(r, 0xF3);
    data(r, 0x20);
    EXPECT_KBD(r, 0xFA, 0xFA);
    /* Keys wait while the keyboard waits for an argument. */
    data(r, 0xED);
    EXPECT_KBD(r, 0xFA);
    key(r, 0x1C, false, true);
    expect_quiet(r);
    data(r, 0x00);
    EXPECT_KBD(r, 0xFA, 0x1C);
    assert_int_equal(i8042_leds(r->k), 0);
    /* F5 stops scanning, F4 starts it. */
    data(r, 0xF5);
    EXPECT_KBD(r, 0xFA);
    key(r, 0x1C, false, false);
    key(r, 0x32, false, true);
    expect_quiet(r);
    data(r, 0xF4);
    EXPECT_KBD(r, 0xFA);
    key(r, 0x32, false, false);
    EXPECT_KBD(r, 0xF0, 0x32);
    data(r, 0xF6);
    EXPECT_KBD(r, 0xFA);
    key(r, 0x21, false, true);
    key(r, 0x21, false, false);
    EXPECT_KBD(r, 0x21, 0xF0, 0x21);
    /* Set 3 key types: acknowledged; a key list ends at a command. */
    data(r, 0xFA);
    data(r, 0xFB);
    data(r, 0x1C);
    data(r, 0x1D);
    data(r, 0xF4);
    EXPECT_KBD(r, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA);
    /* Reset: ACK, then BAT, and the power-on defaults. */
    data(r, 0xF0);
    data(r, 0x01);
    data(r, 0xED);
    data(r, 0x04);
    EXPECT_KBD(r, 0xFA, 0xFA, 0xFA, 0xFA);
    data(r, 0xFF);
    EXPECT_KBD(r, 0xFA, 0xAA);
    assert_int_equal(i8042_leds(r->k), 0);
    data(r, 0xF0);
    data(r, 0x00);
    EXPECT_KBD(r, 0xFA, 0xFA, 0x02);
    expect_quiet(r);
}

static void test_kbd_reset_timing(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x01);
    uint64_t t0 = r->ticks;
    data(r, 0xFF);
    assert_int_equal(status(r) & I8042_STR_OBF, 1); /* the ACK at once */
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0xFA);
    r->ticks = t0 + 500 * US - 1;
    clock_run_due(r->clk);
    assert_int_equal(status(r) & I8042_STR_OBF, 0);
    r->ticks = t0 + 500 * US;
    clock_run_due(r->clk);
    assert_int_equal(status(r) & I8042_STR_OBF, 1);
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0xAA);
}

static void test_byte_gap(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x01);
    data(r, 0xF2);
    uint64_t t = r->ticks;
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0xFA);
    assert_int_equal(status(r) & I8042_STR_OBF, 0);
    /* The last byte reads again until the next one arrives. */
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0xFA);
    r->ticks = t + I8042_BYTE_GAP_US * US - 1;
    clock_run_due(r->clk);
    assert_int_equal(status(r) & I8042_STR_OBF, 0);
    r->ticks = t + I8042_BYTE_GAP_US * US;
    clock_run_due(r->clk);
    assert_int_equal(status(r) & I8042_STR_OBF, 1);
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0xAB);
    EXPECT_KBD(r, 0x83);
}

static void test_typematic(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x41);
    uint64_t t0 = r->ticks;
    key(r, 0x1C, false, true);
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0x1E);
    /* Default: 500 ms delay, then 10.9/s: a period of 22/240 s. */
    uint64_t delay = CLOCK_RATE_DEFAULT / 2;
    uint64_t period = (uint64_t)CLOCK_RATE_DEFAULT * 22 / 240;
    r->ticks = t0 + delay - 1;
    clock_run_due(r->clk);
    assert_int_equal(status(r) & I8042_STR_OBF, 0);
    r->ticks = t0 + delay;
    clock_run_due(r->clk);
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0x1E);
    r->ticks = t0 + delay + period - 1;
    clock_run_due(r->clk);
    assert_int_equal(status(r) & I8042_STR_OBF, 0);
    r->ticks = t0 + delay + period;
    clock_run_due(r->clk);
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0x1E);
    key(r, 0x1C, false, false);
    EXPECT_KBD(r, 0x9E);
    advance(r, CLOCK_RATE_DEFAULT);
    assert_int_equal(status(r) & I8042_STR_OBF, 0);

    /* Fastest setting: 250 ms, 30/s; the last key pressed repeats. */
    data(r, 0xF3);
    data(r, 0x00);
    EXPECT_KBD(r, 0xFA, 0xFA);
    t0 = r->ticks;
    key(r, 0x1C, false, true);
    key(r, 0x32, false, true);
    EXPECT_KBD(r, 0x1E, 0x30);
    r->ticks = t0 + CLOCK_RATE_DEFAULT / 4;
    clock_run_due(r->clk);
    EXPECT_KBD(r, 0x30);
    r->ticks = t0 + CLOCK_RATE_DEFAULT / 4 + CLOCK_RATE_DEFAULT * 8 / 240;
    clock_run_due(r->clk);
    EXPECT_KBD(r, 0x30);
    key(r, 0x1C, false, false); /* releasing another key: B goes on */
    EXPECT_KBD(r, 0x9E);
    key(r, 0x32, false, false);
    EXPECT_KBD(r, 0xB0);
    advance(r, CLOCK_RATE_DEFAULT);
    assert_int_equal(status(r) & I8042_STR_OBF, 0);
}

static void test_kbd_disable_and_overrun(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x41);
    cmd(r, 0xAD);
    assert_true(ask(r, 0x20) & I8042_CTR_KBDDIS);
    static const uint8_t keys[20] = { 0x1C, 0x32, 0x21, 0x23, 0x24, 0x2B, 0x34, 0x33, 0x43, 0x3B,
                                      0x42, 0x4B, 0x3A, 0x31, 0x44, 0x4D, 0x15, 0x2D, 0x1B, 0x2C };
    for (unsigned i = 0; i < 20; i++)
        key(r, keys[i], false, true);
    expect_quiet(r);
    assert_false(r->level[1]);
    cmd(r, 0xAE);
    assert_true(r->level[1]);
    /* 15 keys fit, then the overrun code (00h, translated FFh). */
    EXPECT_KBD(r, 0x1E, 0x30, 0x2E, 0x20, 0x12, 0x21, 0x22, 0x23, 0x17, 0x24, 0x25, 0x26, 0x32,
               0x31, 0x18, 0xFF);
    assert_int_equal(status(r) & I8042_STR_OBF, 0);

    /* A byte sent to the keyboard enables its interface again. */
    write_ctr(r, 0x51);
    data(r, 0xF5);
    EXPECT_KBD(r, 0xFA);
    assert_false(ask(r, 0x20) & I8042_CTR_KBDDIS);
    /* Interrupt enable follows the command byte, with the data waiting. */
    data(r, 0xF4);
    write_ctr(r, 0x40);
    advance(r, MS);
    assert_int_equal(status(r) & I8042_STR_OBF, 1);
    assert_false(r->level[1]);
    write_ctr(r, 0x41);
    assert_true(r->level[1]);
    assert_int_equal(bus_io_read(r->bus, DATA, 1), 0xFA);
    assert_false(r->level[1]);
}

/* ---- mouse ---- */

static void test_mouse_reset_and_id(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x47);
    to_mouse(r, 0xFF);
    assert_true(r->level[12]);
    EXPECT_AUX(r, 0xFA, 0xAA, 0x00);
    assert_int_equal(r->rises[12], 3);
    assert_int_equal(r->rises[1], 0);
    to_mouse(r, 0xF2);
    EXPECT_AUX(r, 0xFA, 0x00);
    static const uint8_t knock3[] = { 200, 100, 80 };
    for (unsigned i = 0; i < 3; i++) {
        to_mouse(r, 0xF3);
        to_mouse(r, knock3[i]);
        EXPECT_AUX(r, 0xFA, 0xFA);
    }
    to_mouse(r, 0xF2);
    EXPECT_AUX(r, 0xFA, 0x03);
    static const uint8_t knock4[] = { 200, 200, 80 };
    for (unsigned i = 0; i < 3; i++) {
        to_mouse(r, 0xF3);
        to_mouse(r, knock4[i]);
        EXPECT_AUX(r, 0xFA, 0xFA);
    }
    to_mouse(r, 0xF2);
    EXPECT_AUX(r, 0xFA, 0x04);
    /* Reset brings back ID 0, and reports it after AA. */
    to_mouse(r, 0xFF);
    EXPECT_AUX(r, 0xFA, 0xAA, 0x00);
    to_mouse(r, 0xF2);
    EXPECT_AUX(r, 0xFA, 0x00);
    expect_quiet(r);
}

static void test_mouse_packets(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x47);
    static const uint8_t knock[] = { 200, 100, 80, 200, 200, 80 };
    for (unsigned i = 0; i < 6; i++) {
        to_mouse(r, 0xF3);
        to_mouse(r, knock[i]);
        EXPECT_AUX(r, 0xFA, 0xFA);
    }
    /* Nothing is reported before F4. */
    i8042_mouse(r->k, 3, 3, 0, 0);
    expect_quiet(r);
    to_mouse(r, 0xF4);
    EXPECT_AUX(r, 0xFA);
    i8042_mouse(r->k, 5, -3, 0, PS2_BTN_LEFT);
    EXPECT_AUX(r, 0x29, 0x05, 0xFD, 0x00);
    /* The next packet waits for the sample period (80/s: 12.5 ms). */
    i8042_mouse(r->k, 0, 0, -1, PS2_BTN_4);
    assert_int_equal(status(r) & I8042_STR_OBF, 0);
    EXPECT_AUX(r, 0x08, 0x00, 0x00, 0x1F);
    i8042_mouse(r->k, -1, 1, 2, PS2_BTN_5 | PS2_BTN_RIGHT | PS2_BTN_MIDDLE);
    EXPECT_AUX(r, 0x1E, 0xFF, 0x01, 0x22);
    assert_false(r->level[1]);
    assert_int_equal(r->rises[1], 0);
    expect_quiet(r);
}

static void test_mouse_wheel_id3(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x47);
    static const uint8_t knock[] = { 200, 100, 80 };
    for (unsigned i = 0; i < 3; i++) {
        to_mouse(r, 0xF3);
        to_mouse(r, knock[i]);
        EXPECT_AUX(r, 0xFA, 0xFA);
    }
    to_mouse(r, 0xF4);
    EXPECT_AUX(r, 0xFA);
    i8042_mouse(r->k, 1, 2, 3, PS2_BTN_RIGHT | PS2_BTN_MIDDLE | PS2_BTN_4);
    EXPECT_AUX(r, 0x0E, 0x01, 0x02, 0x03);
    /* The wheel sends at most 8 detents a packet and keeps the rest. */
    i8042_mouse(r->k, 0, 0, 20, 0);
    EXPECT_AUX(r, 0x08, 0x00, 0x00, 0x07, 0x08, 0x00, 0x00, 0x07, 0x08, 0x00, 0x00, 0x06);
    i8042_mouse(r->k, 0, 0, -9, 0);
    EXPECT_AUX(r, 0x08, 0x00, 0x00, 0xF8, 0x08, 0x00, 0x00, 0xFF);
    expect_quiet(r);
}

static void test_mouse_overflow_and_scaling(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x47);
    to_mouse(r, 0xF4);
    EXPECT_AUX(r, 0xFA);
    i8042_mouse(r->k, 300, -300, 0, 0);
    EXPECT_AUX(r, 0xE8, 0xFF, 0x00);
    i8042_mouse(r->k, 255, -256, 0, 0);
    EXPECT_AUX(r, 0x28, 0xFF, 0x00);
    i8042_mouse(r->k, 100, 0, 5, 0); /* ID 0: no wheel byte */
    i8042_mouse(r->k, 100, 0, 0, 0); /* adds up within the period */
    EXPECT_AUX(r, 0x08, 0xC8, 0x00);
    to_mouse(r, 0xE7);
    EXPECT_AUX(r, 0xFA);
    static const int in[] = { 1, 2, 3, 4, 5, 10, -4, 200 };
    static const uint8_t b0[] = { 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x18, 0x48 };
    static const uint8_t out[] = { 1, 1, 3, 6, 9, 20, 0xFA, 0xFF };
    for (unsigned i = 0; i < 8; i++) {
        i8042_mouse(r->k, in[i], 0, 0, 0);
        expect_bytes(r, true, (const uint8_t[]){ b0[i], out[i], 0x00 }, 3);
    }
    to_mouse(r, 0xE6);
    EXPECT_AUX(r, 0xFA);
    i8042_mouse(r->k, 4, 0, 0, 0);
    EXPECT_AUX(r, 0x08, 0x04, 0x00);
    expect_quiet(r);
}

static void test_mouse_status_remote_wrap(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x47);
    to_mouse(r, 0xE9);
    EXPECT_AUX(r, 0xFA, 0x00, 0x02, 100);
    to_mouse(r, 0xE8);
    to_mouse(r, 0x03);
    to_mouse(r, 0xE7);
    to_mouse(r, 0xF4);
    EXPECT_AUX(r, 0xFA, 0xFA, 0xFA, 0xFA);
    i8042_mouse(r->k, 0, 0, 0, PS2_BTN_LEFT); /* a button change is reported */
    EXPECT_AUX(r, 0x09, 0x00, 0x00);
    to_mouse(r, 0xE9);
    EXPECT_AUX(r, 0xFA, 0x34, 0x03, 100);

    to_mouse(r, 0xF0); /* remote mode: read on demand, unscaled */
    EXPECT_AUX(r, 0xFA);
    i8042_mouse(r->k, 7, 8, 0, PS2_BTN_LEFT);
    expect_quiet(r);
    to_mouse(r, 0xEB);
    EXPECT_AUX(r, 0xFA, 0x09, 0x07, 0x08);
    to_mouse(r, 0xEB);
    EXPECT_AUX(r, 0xFA, 0x09, 0x00, 0x00);
    to_mouse(r, 0xE9);
    EXPECT_AUX(r, 0xFA, 0x74, 0x03, 100);
    to_mouse(r, 0xEA);
    EXPECT_AUX(r, 0xFA);

    to_mouse(r, 0xEE); /* wrap mode echoes */
    EXPECT_AUX(r, 0xFA);
    to_mouse(r, 0x12);
    to_mouse(r, 0xE9);
    EXPECT_AUX(r, 0x12, 0xE9);
    i8042_mouse(r->k, 5, 5, 0, 0);
    expect_quiet(r);
    to_mouse(r, 0xEC);
    EXPECT_AUX(r, 0xFA);
    to_mouse(r, 0xF2);
    EXPECT_AUX(r, 0xFA, 0x00);

    to_mouse(r, 0x01); /* unknown */
    EXPECT_AUX(r, 0xFE);
    to_mouse(r, 0xF3);
    to_mouse(r, 0x00); /* invalid rate */
    EXPECT_AUX(r, 0xFA, 0xFE);
    to_mouse(r, 0xE8);
    to_mouse(r, 0x07); /* invalid resolution */
    EXPECT_AUX(r, 0xFA, 0xFE);
    to_mouse(r, 0xF2);
    EXPECT_AUX(r, 0xFA, 0x00);
    to_mouse(r, 0xFE); /* resend */
    EXPECT_AUX(r, 0x00);
    to_mouse(r, 0xF6); /* defaults: stream, disabled, 100/s, 4 counts/mm */
    to_mouse(r, 0xE9);
    EXPECT_AUX(r, 0xFA, 0xFA, 0x00, 0x02, 100);
    expect_quiet(r);
}

static void test_mouse_and_keyboard_interleave(void **state)
{
    struct rig *r = *state;
    write_ctr(r, 0x43);
    to_mouse(r, 0xF4);
    EXPECT_AUX(r, 0xFA);
    key(r, 0x1C, false, true);
    i8042_mouse(r->k, 1, 1, 0, 0);
    /* The controller alternates between the two devices. */
    bool aux[4];
    int got[4];
    for (unsigned i = 0; i < 4; i++)
        got[i] = poll_byte(r, &aux[i]);
    assert_int_equal(got[0], 0x1E);
    assert_false(aux[0]);
    assert_int_equal(got[1], 0x08);
    assert_true(aux[1]);
    assert_int_equal(got[2], 0x01);
    assert_true(aux[2]);
    assert_int_equal(got[3], 0x01);
    assert_true(aux[3]);
    /* Mouse interface disabled: its data waits. */
    cmd(r, 0xA7);
    i8042_mouse(r->k, 2, 0, 0, 0);
    expect_quiet(r);
    cmd(r, 0xA8);
    EXPECT_AUX(r, 0x08, 0x02, 0x00);
}

/* Any sequence of guest accesses and host input keeps the chip sane. */
static void test_guest_fuzz(void **state)
{
    struct rig *r = *state;
    uint32_t seed = 12345;
    for (unsigned i = 0; i < 200000; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t x = seed >> 8;
        switch (x % 8) {
        case 0:
        case 1:
            cmd(r, (uint8_t)(x >> 3));
            break;
        case 2:
        case 3:
            data(r, (uint8_t)(x >> 3));
            break;
        case 4:
            (void)bus_io_read(r->bus, DATA, 1);
            break;
        case 5:
            key(r, (uint8_t)(x >> 3), (x >> 11) & 1, (x >> 12) & 1);
            break;
        case 6:
            i8042_mouse(r->k, (int)((x >> 3) & 0x3FF) - 512, (int)((x >> 13) & 0xFF) - 128,
                        (int)((x >> 21) & 7) - 4, (x >> 24) & 0x1F);
            break;
        default:
            advance(r, (x >> 3) & 0xFFFF);
            break;
        }
        uint8_t s = status(r);
        assert_int_equal(s & I8042_STR_IBF, 0);
        if (r->level[1])
            assert_int_equal(s & (I8042_STR_OBF | I8042_STR_AUXOBF), I8042_STR_OBF);
        if (r->level[12])
            assert_int_equal(s & (I8042_STR_OBF | I8042_STR_AUXOBF),
                             I8042_STR_OBF | I8042_STR_AUXOBF);
        if (!(s & I8042_STR_OBF)) {
            assert_false(r->level[1]);
            assert_false(r->level[12]);
        }
    }
    /* Still a working controller afterwards. */
    i8042_reset(r->k);
    assert_int_equal(ask(r, 0xAA), 0x55);
    write_ctr(r, 0x01);
    data(r, 0xF2);
    EXPECT_KBD(r, 0xFA, 0xAB, 0x83);
}

static void test_ports_taken(void **state)
{
    struct rig *r = *state;
    assert_null(i8042_create(r->bus, I8042_DATA_PORT, I8042_CMD_PORT, r->clk, NULL, NULL, NULL,
                             NULL, NULL));
    i8042_destroy(NULL);
    /* The translation table: set 2 overrun and IDs. */
    assert_int_equal(ps2_set2_to_set1(0x00), 0xFF);
    assert_int_equal(ps2_set2_to_set1(0x83), 0x41);
    assert_int_equal(ps2_set2_to_set1(0xAB), 0xAB);
    assert_int_equal(ps2_set2_to_set1(0xFA), 0xFA);
    assert_int_equal(ps2_set2_to_set1(0x5D), 0x2B);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_power_on_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bios_init, setup, teardown),
        cmocka_unit_test_setup_teardown(test_linux_init, setup, teardown),
        cmocka_unit_test_setup_teardown(test_controller_ram, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_output_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a20_and_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_reenters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys_translated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys_raw_set2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scancode_sets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kbd_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kbd_reset_timing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_byte_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_typematic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kbd_disable_and_overrun, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mouse_reset_and_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mouse_packets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mouse_wheel_id3, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mouse_overflow_and_scaling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mouse_status_remote_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mouse_and_keyboard_interleave, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_fuzz, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ports_taken, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
