/*
 * i8042.c - the 8042 keyboard controller (PS/2 style, two ports).
 *
 * Facts from the IBM PS/2 Hardware Interface Technical Reference
 * ("Keyboard and Auxiliary Device Controller"), A. Brouwer's "Keyboard
 * scancodes" section 10, the W83977 Super I/O datasheet's KBC command
 * table and the Linux i8042 driver's use of the chip.
 */
#include "devices/i8042.h"

#include <stdlib.h>

#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/ps2.h"

#define I8042_RAM_SIZE 32u
#define I8042_CTR_RESET 0x70u /* XLATE, both interfaces disabled */

/* Output port bits. */
#define OUT_RESET 0x01u   /* 0: CPU reset */
#define OUT_A20 0x02u     /* A20 gate */
#define OUT_IRQ1 0x10u    /* keyboard output buffer full (IRQ 1) */
#define OUT_IRQ12 0x20u   /* mouse output buffer full (IRQ 12) */
#define OUT_RESET_VALUE 0xCFu

/* Input port: keyboard not locked (bit 7), no manufacturing jumper (bit
 * 5), colour display (bit 6 clear), bits 4-0 unused on a PS/2 system. */
#define IN_PORT_VALUE 0xA0u

struct i8042 {
    struct clock *clk;
    struct irq_line *irq1, *irq12;
    i8042_reset_fn *reset;
    i8042_a20_fn *a20;
    void *opaque;
    struct ps2_kbd *kbd;
    struct ps2_mouse *mouse;

    uint8_t ram[I8042_RAM_SIZE]; /* ram[0] is the command byte */
    uint8_t outport;
    uint8_t out;       /* the output buffer */
    bool obf;          /* ... is full */
    bool out_aux;      /* ... with mouse data */
    bool last_cmd;     /* status A2: the last write was a command */
    uint8_t pending;   /* the command waiting for its data byte; 0: none */
    bool xlate_break;  /* translation saw F0h: the next code is a break */
    bool last_was_kbd; /* source of the last device byte (alternation) */
    uint64_t next_fetch; /* no device byte enters the buffer before this */
    struct clock_event fetch_ev;
};

/* The interrupt outputs follow the output buffer: high while it holds
 * data of the device whose interrupt the command byte enables. */
static bool kbc_irq1_level(const struct i8042 *k)
{
    return k->obf && !k->out_aux && (k->ram[0] & I8042_CTR_KBDINT);
}

static bool kbc_irq12_level(const struct i8042 *k)
{
    return k->obf && k->out_aux && (k->ram[0] & I8042_CTR_AUXINT);
}

static void kbc_update_irqs(struct i8042 *k)
{
    irq_set(k->irq1, kbc_irq1_level(k));
    irq_set(k->irq12, kbc_irq12_level(k));
}

/* Keyboard data through the translation if the command byte asks for it:
 * F0h is swallowed and sets bit 7 of the following code. */
static bool kbc_take_kbd_byte(struct i8042 *k, uint8_t *out)
{
    uint8_t b = ps2_kbd_read(k->kbd);
    if (!(k->ram[0] & I8042_CTR_XLATE)) {
        *out = b;
        return true;
    }
    while (b == 0xF0) {
        k->xlate_break = true;
        if (!ps2_kbd_pending(k->kbd))
            return false;
        b = ps2_kbd_read(k->kbd);
    }
    *out = (uint8_t)(ps2_set2_to_set1(b) | (k->xlate_break ? 0x80u : 0u));
    k->xlate_break = false;
    return true;
}

/* Move a device byte into a free output buffer.  The device interfaces
 * are inhibited while disabled in the command byte, so their data waits
 * in the devices' own buffers. */
static void kbc_fetch(struct i8042 *k)
{
    bool kbd_ready = !(k->ram[0] & I8042_CTR_KBDDIS) && ps2_kbd_pending(k->kbd);
    bool aux_ready = !(k->ram[0] & I8042_CTR_AUXDIS) && ps2_mouse_pending(k->mouse);
    if (!kbd_ready && !aux_ready)
        return;
    if (clock_now(k->clk) < k->next_fetch) {
        clock_schedule(k->clk, &k->fetch_ev, k->next_fetch);
        return;
    }
    uint8_t b;
    if (aux_ready && (!kbd_ready || k->last_was_kbd)) {
        b = ps2_mouse_read(k->mouse);
        k->out_aux = true;
        k->last_was_kbd = false;
    } else {
        if (!kbc_take_kbd_byte(k, &b))
            return;
        k->out_aux = false;
        k->last_was_kbd = true;
    }
    k->out = b;
    k->obf = true;
}

static void kbc_service(struct i8042 *k)
{
    if (!k->obf)
        kbc_fetch(k);
    kbc_update_irqs(k);
}

static void kbc_fetch_fire(void *opaque, uint64_t now)
{
    (void)now;
    kbc_service(opaque);
}

static void kbc_device_notify(void *opaque)
{
    kbc_service(opaque);
}

/* A reply of the controller itself overwrites the output buffer. */
static void kbc_respond(struct i8042 *k, uint8_t b, bool aux)
{
    k->out = b;
    k->obf = true;
    k->out_aux = aux;
}

static void kbc_set_a20(struct i8042 *k, bool on)
{
    bool was = (k->outport & OUT_A20) != 0;
    k->outport = (uint8_t)(on ? k->outport | OUT_A20 : k->outport & ~OUT_A20);
    if (was != on && k->a20 != NULL)
        k->a20(k->opaque, on);
}

static uint8_t kbc_read_outport(const struct i8042 *k)
{
    uint8_t v = (uint8_t)(k->outport & ~(OUT_IRQ1 | OUT_IRQ12));
    if (kbc_irq1_level(k))
        v |= OUT_IRQ1;
    if (kbc_irq12_level(k))
        v |= OUT_IRQ12;
    return v;
}

/* Test inputs T0/T1: the keyboard and mouse clock lines, held low while
 * the interface is disabled. */
static uint8_t kbc_test_inputs(const struct i8042 *k)
{
    return (uint8_t)(((k->ram[0] & I8042_CTR_KBDDIS) ? 0u : 0x01u) |
                     ((k->ram[0] & I8042_CTR_AUXDIS) ? 0u : 0x02u));
}

static void kbc_write_ram(struct i8042 *k, unsigned index, uint8_t v)
{
    k->ram[index & (I8042_RAM_SIZE - 1)] = v;
    if ((index & (I8042_RAM_SIZE - 1)) == 0 && !(v & I8042_CTR_XLATE))
        k->xlate_break = false;
}

/* Returns true if the CPU must be reset (done by the caller, last). */
static bool kbc_command(struct i8042 *k, uint8_t cmd)
{
    if (cmd >= 0x20 && cmd <= 0x3F) { /* read controller RAM */
        kbc_respond(k, k->ram[cmd & (I8042_RAM_SIZE - 1)], false);
        return false;
    }
    if (cmd >= 0x60 && cmd <= 0x7F) { /* write controller RAM: data follows */
        k->pending = cmd;
        return false;
    }
    if (cmd >= 0xF0) /* pulse output port bits 3-0 that are 0; bit 0 resets */
        return (cmd & OUT_RESET) == 0;
    switch (cmd) {
    case 0xA4: /* password installed? no */
        kbc_respond(k, 0xF1, false);
        break;
    case 0xA7: /* disable the mouse interface */
        k->ram[0] |= I8042_CTR_AUXDIS;
        break;
    case 0xA8: /* enable the mouse interface */
        k->ram[0] &= (uint8_t)~I8042_CTR_AUXDIS;
        break;
    case 0xA9: /* mouse interface test: no error */
    case 0xAB: /* keyboard interface test: no error */
        kbc_respond(k, 0x00, false);
        break;
    case 0xAA: /* self-test: passed; reinitialises the command byte */
        k->ram[0] = I8042_CTR_RESET | I8042_CTR_SYS;
        k->xlate_break = false;
        kbc_respond(k, 0x55, false);
        break;
    case 0xAD: /* disable the keyboard interface */
        k->ram[0] |= I8042_CTR_KBDDIS;
        break;
    case 0xAE: /* enable the keyboard interface */
        k->ram[0] &= (uint8_t)~I8042_CTR_KBDDIS;
        break;
    case 0xC0: /* read input port */
        kbc_respond(k, IN_PORT_VALUE, false);
        break;
    case 0xD0: /* read output port */
        kbc_respond(k, kbc_read_outport(k), false);
        break;
    case 0xD1: /* write output port */
    case 0xD2: /* write keyboard output buffer */
    case 0xD3: /* write mouse output buffer */
    case 0xD4: /* write to the mouse */
        k->pending = cmd;
        break;
    case 0xDD: /* A20 off (HP Vectra legacy) */
        kbc_set_a20(k, false);
        break;
    case 0xDF: /* A20 on */
        kbc_set_a20(k, true);
        break;
    case 0xE0: /* read test inputs */
        kbc_respond(k, kbc_test_inputs(k), false);
        break;
    default: /* unknown or vendor-specific: ignored */
        break;
    }
    return false;
}

/* Returns true if the CPU must be reset. */
static bool kbc_data(struct i8042 *k, uint8_t v)
{
    uint8_t cmd = k->pending;
    k->pending = 0;
    if (cmd >= 0x60 && cmd <= 0x7F) {
        kbc_write_ram(k, cmd, v);
        return false;
    }
    switch (cmd) {
    case 0xD1:
        /* Bit 0 low pulses the CPU's reset; the pulse is over when the
         * callback returns, so the bit reads back as 1. */
        k->outport = (uint8_t)((v & ~OUT_A20) | OUT_RESET | (k->outport & OUT_A20));
        kbc_set_a20(k, (v & OUT_A20) != 0);
        return (v & OUT_RESET) == 0;
    case 0xD2:
        kbc_respond(k, v, false);
        return false;
    case 0xD3:
        kbc_respond(k, v, true);
        return false;
    case 0xD4:
        /* Sending to a device drives its clock line: the interface is
         * enabled again (Brouwer 10.3, command ADh). */
        k->ram[0] &= (uint8_t)~I8042_CTR_AUXDIS;
        ps2_mouse_write(k->mouse, v);
        return false;
    default:
        k->ram[0] &= (uint8_t)~I8042_CTR_KBDDIS;
        ps2_kbd_write(k->kbd, v);
        return false;
    }
}

static uint32_t kbc_data_read(void *opaque, uint16_t port, unsigned size)
{
    struct i8042 *k = opaque;
    (void)port;
    (void)size;
    uint8_t v = k->out;
    if (k->obf) {
        k->obf = false;
        k->next_fetch = clock_now(k->clk) + clock_hz_to_ticks(k->clk, I8042_BYTE_GAP_US, 1000000u);
    }
    kbc_service(k);
    return v;
}

static uint32_t kbc_status_read(void *opaque, uint16_t port, unsigned size)
{
    struct i8042 *k = opaque;
    (void)port;
    (void)size;
    uint8_t s = I8042_STR_UNLOCK;
    if (k->obf)
        s |= I8042_STR_OBF;
    if (k->obf && k->out_aux)
        s |= I8042_STR_AUXOBF;
    if (k->ram[0] & I8042_CTR_SYS)
        s |= I8042_STR_SYS;
    if (k->last_cmd)
        s |= I8042_STR_CMD;
    return s;
}

static void kbc_finish(struct i8042 *k, bool cpu_reset)
{
    kbc_service(k);
    if (cpu_reset && k->reset != NULL)
        k->reset(k->opaque);
}

static void kbc_data_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct i8042 *k = opaque;
    (void)port;
    (void)size;
    k->last_cmd = false;
    kbc_finish(k, kbc_data(k, (uint8_t)value));
}

static void kbc_cmd_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct i8042 *k = opaque;
    (void)port;
    (void)size;
    k->last_cmd = true;
    k->pending = 0;
    kbc_finish(k, kbc_command(k, (uint8_t)value));
}

static void kbc_power_on(struct i8042 *k)
{
    for (unsigned i = 0; i < I8042_RAM_SIZE; i++)
        k->ram[i] = 0;
    k->ram[0] = I8042_CTR_RESET;
    k->out = 0;
    k->obf = false;
    k->out_aux = false;
    k->last_cmd = false;
    k->pending = 0;
    k->xlate_break = false;
    k->last_was_kbd = false;
    k->next_fetch = 0;
    clock_cancel(k->clk, &k->fetch_ev);
    ps2_kbd_reset(k->kbd);
    ps2_mouse_reset(k->mouse);
}

struct i8042 *i8042_create(struct bus *bus, uint16_t data_port, uint16_t cmd_port,
                           struct clock *clk, struct irq_line *irq1, struct irq_line *irq12,
                           i8042_reset_fn *reset, i8042_a20_fn *a20, void *opaque)
{
    struct i8042 *k = calloc(1, sizeof(*k));
    if (k == NULL)
        return NULL;
    k->clk = clk;
    k->irq1 = irq1;
    k->irq12 = irq12;
    k->reset = reset;
    k->a20 = a20;
    k->opaque = opaque;
    clock_event_init(&k->fetch_ev, kbc_fetch_fire, k);
    k->kbd = ps2_kbd_create(clk, kbc_device_notify, k);
    k->mouse = ps2_mouse_create(clk, kbc_device_notify, k);
    if (k->kbd == NULL || k->mouse == NULL ||
        bus_register_io(bus, data_port, 1, BUS_W8, k, kbc_data_read, kbc_data_write) != 0 ||
        bus_register_io(bus, cmd_port, 1, BUS_W8, k, kbc_status_read, kbc_cmd_write) != 0) {
        i8042_destroy(k);
        return NULL;
    }
    k->outport = OUT_RESET_VALUE;
    kbc_power_on(k);
    kbc_update_irqs(k);
    return k;
}

void i8042_destroy(struct i8042 *k)
{
    if (k == NULL)
        return;
    clock_cancel(k->clk, &k->fetch_ev);
    ps2_kbd_destroy(k->kbd);
    ps2_mouse_destroy(k->mouse);
    free(k);
}

void i8042_reset(struct i8042 *k)
{
    kbc_power_on(k);
    k->outport = (uint8_t)(OUT_RESET_VALUE & ~OUT_A20) | (k->outport & OUT_A20);
    kbc_update_irqs(k);
    kbc_set_a20(k, true);
}

void i8042_key(struct i8042 *k, uint8_t set2_code, bool extended, bool down)
{
    ps2_kbd_key(k->kbd, set2_code, extended, down);
}

void i8042_mouse(struct i8042 *k, int dx, int dy, int dz, unsigned buttons)
{
    ps2_mouse_input(k->mouse, dx, dy, dz, buttons);
}

bool i8042_a20(const struct i8042 *k)
{
    return (k->outport & OUT_A20) != 0;
}

uint8_t i8042_leds(const struct i8042 *k)
{
    return ps2_kbd_leds(k->kbd);
}
