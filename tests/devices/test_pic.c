/*
 * test_pic.c - the dual 8259A PIC and the PIIX3 ELCR, driven through their
 * ports on a real bus as a BIOS and Linux program them, with the INT
 * output recorded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>

#include "devices/bus.h"
#include "devices/irq.h"
#include "devices/pic.h"

#define MCMD 0x20
#define MDATA 0x21
#define SCMD 0xA0
#define SDATA 0xA1
#define ELCR0 0x4D0
#define ELCR1 0x4D1

/* OCW3 commands. */
#define READ_IRR 0x0A
#define READ_ISR 0x0B
#define POLL 0x0C
#define SMM_SET 0x68
#define SMM_RESET 0x48
/* OCW2 commands. */
#define EOI 0x20
#define SPECIFIC_EOI 0x60
#define ROTATE_EOI 0xA0
#define ROTATE_SPECIFIC_EOI 0xE0
#define SET_PRIORITY 0xC0
#define ROTATE_AEOI_SET 0x80
#define ROTATE_AEOI_CLEAR 0x00

/* The CPU's INTR pin: its level and how often it rose. */
struct intr_rec {
    bool level;
    unsigned rises, changes;
};

static void intr_sink(void *opaque, unsigned pin, bool level)
{
    struct intr_rec *r = opaque;
    (void)pin;
    if (level && !r->level)
        r->rises++;
    r->level = level;
    r->changes++;
}

struct rig {
    struct bus *bus;
    struct pic *pic;
    struct irq_line intr;
    struct intr_rec rec;
};

static int rig_setup(void **state)
{
    struct rig *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return -1;
    r->bus = bus_create();
    irq_line_init(&r->intr, intr_sink, &r->rec, 0);
    r->pic = pic_create(r->bus, 0x20, 0xA0, 0x4D0, &r->intr);
    if (r->bus == NULL || r->pic == NULL)
        return -1;
    *state = r;
    return 0;
}

static int rig_teardown(void **state)
{
    struct rig *r = *state;
    pic_destroy(r->pic);
    bus_destroy(r->bus);
    free(r);
    return 0;
}

static void outb(struct rig *r, uint16_t port, uint8_t v)
{
    bus_io_write(r->bus, port, v, 1);
}

static uint8_t inb(struct rig *r, uint16_t port)
{
    return (uint8_t)bus_io_read(r->bus, port, 1);
}

static uint8_t read_reg(struct rig *r, uint16_t cmd, uint8_t ocw3)
{
    outb(r, cmd, ocw3);
    return inb(r, cmd);
}

static uint8_t master_isr(struct rig *r) { return read_reg(r, MCMD, READ_ISR); }
static uint8_t slave_isr(struct rig *r) { return read_reg(r, SCMD, READ_ISR); }
static uint8_t master_irr(struct rig *r) { return read_reg(r, MCMD, READ_IRR); }
static uint8_t slave_irr(struct rig *r) { return read_reg(r, SCMD, READ_IRR); }

/* A BIOS's initialisation: vectors 08h and 70h, slave on IR2, 8086 mode. */
static void bios_init(struct rig *r, uint8_t icw4)
{
    outb(r, MCMD, 0x11);
    outb(r, MDATA, 0x08);
    outb(r, MDATA, 0x04);
    outb(r, MDATA, icw4);
    outb(r, SCMD, 0x11);
    outb(r, SDATA, 0x70);
    outb(r, SDATA, 0x02);
    outb(r, SDATA, icw4);
    outb(r, MDATA, 0x00);
    outb(r, SDATA, 0x00);
}

static void pulse(struct rig *r, unsigned irq)
{
    pic_set_irq(r->pic, irq, true);
    pic_set_irq(r->pic, irq, false);
}

/* ---- reset and initialisation ---- */

static void test_power_on_state(void **state)
{
    struct rig *r = *state;
    assert_false(r->rec.level);
    assert_int_equal(inb(r, MDATA), 0x00); /* IMR clear, as after ICW1 */
    assert_int_equal(inb(r, SDATA), 0x00);
    assert_int_equal(inb(r, MCMD), 0x00); /* IRR selected */
    assert_int_equal(inb(r, ELCR0), 0x00);
    assert_int_equal(inb(r, ELCR1), 0x00);
    /* Not in an initialisation sequence: the data port is OCW1. */
    outb(r, MDATA, 0x5A);
    assert_int_equal(inb(r, MDATA), 0x5A);
    outb(r, SDATA, 0xA5);
    assert_int_equal(inb(r, SDATA), 0xA5);
    assert_null(pic_create(r->bus, 0x20, 0x1A0, 0x5D0, NULL)); /* ports taken */

    /* Reset after use: the same clean state, INT dropped. */
    bios_init(r, 0x01);
    pulse(r, 0);
    assert_true(r->rec.level);
    outb(r, ELCR1, 0x08);
    outb(r, MDATA, 0x12);
    pic_reset(r->pic);
    assert_false(r->rec.level);
    assert_int_equal(inb(r, MDATA), 0x00);
    assert_int_equal(inb(r, MCMD), 0x00);
    assert_int_equal(inb(r, ELCR1), 0x00);
    assert_int_equal(master_isr(r), 0x00);
}

static void test_bios_init_and_ack(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    assert_int_equal(inb(r, MDATA), 0x00);

    pulse(r, 0);
    assert_true(r->rec.level);
    assert_int_equal(master_irr(r), 0x01);
    assert_int_equal(pic_ack(r->pic), 0x08);
    assert_false(r->rec.level);
    assert_int_equal(master_irr(r), 0x00);
    assert_int_equal(master_isr(r), 0x01);
    outb(r, MCMD, EOI);
    assert_int_equal(master_isr(r), 0x00);

    /* A slave request: vector from the slave, IR2 in service on the
     * master. */
    pulse(r, 8);
    assert_true(r->rec.level);
    assert_int_equal(slave_irr(r), 0x01);
    assert_int_equal(master_irr(r), 0x04);
    assert_int_equal(pic_ack(r->pic), 0x70);
    assert_false(r->rec.level);
    assert_int_equal(master_isr(r), 0x04);
    assert_int_equal(slave_isr(r), 0x01);
    outb(r, SCMD, EOI);
    outb(r, MCMD, EOI);
    assert_int_equal(master_isr(r), 0x00);
    assert_int_equal(slave_isr(r), 0x00);

    pulse(r, 15);
    assert_int_equal(pic_ack(r->pic), 0x77);
    pulse(r, 7);
    assert_false(r->rec.level); /* IR2 in service blocks IR7 */
    outb(r, SCMD, EOI);
    outb(r, MCMD, EOI);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x0F);
    assert_int_equal(master_isr(r), 0x80); /* real IRQ 7: ISR set */
    outb(r, MCMD, EOI);
    assert_false(r->rec.level);
}

static void test_linux_init_and_probe(void **state)
{
    struct rig *r = *state;
    /* probe_8259A: mask the slave, write the probe mask, read it back. */
    outb(r, SDATA, 0xFF);
    outb(r, MDATA, 0xFB);
    assert_int_equal(inb(r, MDATA), 0xFB);
    outb(r, MDATA, 0xFF);
    assert_int_equal(inb(r, MDATA), 0xFF);

    /* init_8259A */
    outb(r, MDATA, 0xFF);
    outb(r, SDATA, 0xFF);
    outb(r, MCMD, 0x11);
    assert_int_equal(inb(r, MDATA), 0x00); /* ICW1 cleared the IMR */
    outb(r, MDATA, 0x20);
    outb(r, MDATA, 1u << 2);
    outb(r, MDATA, 0x01);
    outb(r, SCMD, 0x11);
    outb(r, SDATA, 0x28);
    outb(r, SDATA, 2);
    outb(r, SDATA, 0x01);
    /* restore the cached masks: everything but the cascade masked */
    outb(r, MDATA, 0xFB);
    outb(r, SDATA, 0xFF);
    assert_int_equal(inb(r, MDATA), 0xFB);
    assert_int_equal(inb(r, SDATA), 0xFF);

    /* Masked requests are seen in IRR (i8259A_irq_pending) but raise no
     * INT. */
    pulse(r, 1);
    pulse(r, 14);
    assert_false(r->rec.level);
    assert_int_equal(inb(r, MCMD), 0x02);
    assert_int_equal(inb(r, SCMD), 0x40);

    outb(r, MDATA, 0xF9); /* enable IRQ 1 */
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x21);
    /* mask_and_ack_8259A for IRQ 1: mask, then specific EOI */
    outb(r, MDATA, 0xFB);
    outb(r, MCMD, SPECIFIC_EOI | 1);
    assert_int_equal(master_isr(r), 0x00);
    outb(r, MCMD, READ_IRR);

    outb(r, SDATA, 0xBF); /* enable IRQ 14 */
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x2E);
    /* i8259A_irq_real: the slave's ISR confirms a real IRQ 14 */
    assert_int_equal(read_reg(r, SCMD, READ_ISR) & 0x40, 0x40);
    outb(r, SCMD, READ_IRR);
    outb(r, SDATA, 0xFF);
    outb(r, SCMD, SPECIFIC_EOI | (14 & 7));
    outb(r, MCMD, SPECIFIC_EOI | 2);
    assert_int_equal(master_isr(r), 0x00);
    assert_int_equal(slave_isr(r), 0x00);
    assert_false(r->rec.level);
}

static void test_icw_sequence_variants(void **state)
{
    struct rig *r = *state;
    /* Single mode with ICW4: no ICW3, the third write is OCW1. */
    outb(r, MCMD, 0x13);
    outb(r, MDATA, 0x40);
    outb(r, MDATA, 0x01); /* ICW4 */
    outb(r, MDATA, 0x3C); /* OCW1 */
    assert_int_equal(inb(r, MDATA), 0x3C);
    /* Without IC4: ICW2, ICW3 then OCW1; ICW4 functions are zeroed. */
    outb(r, MCMD, 0x10);
    outb(r, MDATA, 0x48);
    outb(r, MDATA, 0x04);
    outb(r, MDATA, 0x81);
    assert_int_equal(inb(r, MDATA), 0x81);
    outb(r, MDATA, 0x00);
    /* IC4 clear zeroes the ICW4 functions: AEOI no longer applies. */
    outb(r, MCMD, 0x11);
    outb(r, MDATA, 0x08);
    outb(r, MDATA, 0x04);
    outb(r, MDATA, 0x03); /* AEOI */
    pulse(r, 5);
    assert_int_equal(pic_ack(r->pic), 0x0D);
    assert_int_equal(master_isr(r), 0x00);
    outb(r, MCMD, 0x10);
    outb(r, MDATA, 0x08);
    outb(r, MDATA, 0x04);
    pulse(r, 5);
    assert_int_equal(pic_ack(r->pic), 0x0D);
    assert_int_equal(master_isr(r), 0x20);
    /* ICW2's low three bits are replaced by the level. */
    outb(r, MCMD, 0x11);
    outb(r, MDATA, 0x57);
    outb(r, MDATA, 0x04);
    outb(r, MDATA, 0x01);
    pulse(r, 3);
    assert_int_equal(pic_ack(r->pic), 0x53);
    outb(r, MCMD, EOI);
    /* ICW1 restarts a sequence at any point. */
    outb(r, MCMD, 0x11);
    outb(r, MDATA, 0x08);
    outb(r, MCMD, 0x11);
    outb(r, MDATA, 0x18);
    outb(r, MDATA, 0x04);
    outb(r, MDATA, 0x01);
    pulse(r, 0);
    assert_int_equal(pic_ack(r->pic), 0x18);
    outb(r, MCMD, EOI);
    assert_int_equal(master_isr(r), 0x00);
}

static void test_cascade_wiring(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    /* Master ICW3 without IR2: the master answers for IR2 itself and
     * the slave is not acknowledged. */
    outb(r, MCMD, 0x11);
    outb(r, MDATA, 0x08);
    outb(r, MDATA, 0x00);
    outb(r, MDATA, 0x01);
    pulse(r, 9);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x0A);
    assert_int_equal(master_isr(r), 0x04);
    assert_int_equal(slave_isr(r), 0x00);
    assert_int_equal(slave_irr(r), 0x02);
    outb(r, MCMD, EOI);

    /* Slave ID other than 2: nobody drives the bus. */
    bios_init(r, 0x01);
    outb(r, SCMD, 0x11);
    outb(r, SDATA, 0x70);
    outb(r, SDATA, 0x03);
    outb(r, SDATA, 0x01);
    pulse(r, 9);
    assert_int_equal(pic_ack(r->pic), 0xFF);
    assert_int_equal(master_isr(r), 0x04);
    assert_int_equal(slave_isr(r), 0x00);
    outb(r, MCMD, EOI);

    /* ICW1 sets the slave address to 7 until ICW3 arrives. */
    outb(r, SCMD, 0x11);
    outb(r, SDATA, 0x70);
    pulse(r, 9);
    assert_int_equal(pic_ack(r->pic), 0xFF);
    outb(r, SDATA, 0x02);
    outb(r, SDATA, 0x01);
    outb(r, MCMD, EOI);
    /* IRQ 9 is still requested, but the slave's INT stayed high, so the
     * master's edge-triggered IR2 waits for a new rising edge. */
    assert_false(r->rec.level);
    assert_int_equal(slave_irr(r), 0x02);
    outb(r, SDATA, 0x02);
    outb(r, SDATA, 0x00);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x71);
}

/* ---- priority ---- */

static void test_priority_order(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    outb(r, MDATA, 0xFF);
    pulse(r, 3);
    pulse(r, 1);
    pulse(r, 0);
    assert_false(r->rec.level);
    outb(r, MDATA, 0x00);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x08);
    assert_false(r->rec.level); /* 1 and 3 wait for IR0's EOI */
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x09);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x0B);

    /* Nesting: IRQ 1 preempts IRQ 3 in service, IRQ 5 does not. */
    pulse(r, 5);
    assert_false(r->rec.level);
    pulse(r, 1);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x09);
    assert_int_equal(master_isr(r), 0x0A);
    outb(r, MCMD, EOI); /* ends IRQ 1, the highest in service */
    assert_int_equal(master_isr(r), 0x08);
    assert_false(r->rec.level);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x0D);
    outb(r, MCMD, EOI);

    /* Slave IRQs sit at IR2's priority: above 3, below 1. */
    pulse(r, 3);
    pulse(r, 10);
    assert_int_equal(pic_ack(r->pic), 0x72);
    outb(r, SCMD, EOI);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x0B);
    outb(r, MCMD, EOI);
    pulse(r, 8);
    pulse(r, 1);
    assert_int_equal(pic_ack(r->pic), 0x09);
    pulse(r, 12);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x70); /* IRQ 8 above IRQ 12 */
    outb(r, SCMD, EOI);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x74);
    outb(r, SCMD, EOI);
    outb(r, MCMD, EOI);
    assert_false(r->rec.level);
    assert_int_equal(master_isr(r) | slave_isr(r), 0x00);
}

static void test_eoi_forms(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    pulse(r, 6);
    assert_int_equal(pic_ack(r->pic), 0x0E);
    pulse(r, 4);
    assert_int_equal(pic_ack(r->pic), 0x0C);
    pulse(r, 0);
    assert_int_equal(pic_ack(r->pic), 0x08);
    assert_int_equal(master_isr(r), 0x51);
    outb(r, MCMD, SPECIFIC_EOI | 4);
    assert_int_equal(master_isr(r), 0x41);
    outb(r, MCMD, EOI);
    assert_int_equal(master_isr(r), 0x40);
    outb(r, MCMD, 0x40); /* OCW2 no-op */
    assert_int_equal(master_isr(r), 0x40);
    outb(r, MCMD, SPECIFIC_EOI | 3); /* a level not in service: harmless */
    assert_int_equal(master_isr(r), 0x40);
    outb(r, MCMD, EOI);
    assert_int_equal(master_isr(r), 0x00);
    outb(r, MCMD, EOI); /* nothing in service */
    assert_int_equal(master_isr(r), 0x00);
    assert_false(r->rec.level);
}

static void test_rotation(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    /* Rotate on non-specific EOI: IR0 becomes the lowest. */
    pulse(r, 0);
    assert_int_equal(pic_ack(r->pic), 0x08);
    outb(r, MCMD, ROTATE_EOI);
    assert_int_equal(master_isr(r), 0x00);
    outb(r, MDATA, 0xFF);
    pulse(r, 0);
    pulse(r, 1);
    pulse(r, 7);
    outb(r, MDATA, 0x00);
    assert_int_equal(pic_ack(r->pic), 0x09);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x0F);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x08);
    /* With IR0 lowest, IR7 outranks IR0 in service. */
    pulse(r, 7);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x0F);
    assert_int_equal(master_isr(r), 0x81);
    outb(r, MCMD, EOI); /* the highest in service is 7 */
    assert_int_equal(master_isr(r), 0x01);
    outb(r, MCMD, EOI);

    /* Set priority: IR3 lowest, so IR4 is the highest. */
    outb(r, MCMD, SET_PRIORITY | 3);
    outb(r, MDATA, 0xFF);
    pulse(r, 3);
    pulse(r, 2); /* input 2 is the cascade: ignored */
    pulse(r, 0);
    pulse(r, 4);
    outb(r, MDATA, 0x00);
    assert_int_equal(master_irr(r), 0x19);
    assert_int_equal(pic_ack(r->pic), 0x0C);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x08);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x0B);

    /* Rotate on specific EOI: end IR5 and make it the lowest. */
    outb(r, MCMD, EOI);
    outb(r, MCMD, SET_PRIORITY | 7);
    pulse(r, 5);
    assert_int_equal(pic_ack(r->pic), 0x0D);
    outb(r, MCMD, ROTATE_SPECIFIC_EOI | 5);
    assert_int_equal(master_isr(r), 0x00);
    outb(r, MDATA, 0xFF);
    pulse(r, 0);
    pulse(r, 5);
    pulse(r, 6);
    outb(r, MDATA, 0x00);
    assert_int_equal(pic_ack(r->pic), 0x0E);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x08);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x0D);
    outb(r, MCMD, EOI);
    assert_false(r->rec.level);

    /* ICW1 restores IR7 as the lowest. */
    bios_init(r, 0x01);
    outb(r, MDATA, 0xFF);
    pulse(r, 7);
    pulse(r, 0);
    outb(r, MDATA, 0x00);
    assert_int_equal(pic_ack(r->pic), 0x08);
}

static void test_aeoi(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x03);
    pulse(r, 3);
    assert_int_equal(pic_ack(r->pic), 0x0B);
    assert_int_equal(master_isr(r), 0x00);
    assert_false(r->rec.level);
    /* IR5 is served at once: nothing in service blocks it. */
    pulse(r, 5);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x0D);
    /* AEOI on both chips for a slave request. */
    pulse(r, 13);
    assert_int_equal(pic_ack(r->pic), 0x75);
    assert_int_equal(master_isr(r), 0x00);
    assert_int_equal(slave_isr(r), 0x00);

    /* Rotate in AEOI mode: each served level becomes the lowest. */
    outb(r, MCMD, ROTATE_AEOI_SET);
    outb(r, MDATA, 0xFF);
    pulse(r, 1);
    pulse(r, 4);
    outb(r, MDATA, 0x00);
    assert_int_equal(pic_ack(r->pic), 0x09);
    pulse(r, 1);
    assert_int_equal(pic_ack(r->pic), 0x0C); /* IR1 now below IR4 */
    assert_int_equal(pic_ack(r->pic), 0x09);
    outb(r, MCMD, ROTATE_AEOI_CLEAR);
    /* IR1 stays the lowest, but serving no longer rotates. */
    outb(r, MDATA, 0xFF);
    pulse(r, 1);
    pulse(r, 6);
    outb(r, MDATA, 0x00);
    assert_int_equal(pic_ack(r->pic), 0x0E);
    pulse(r, 6);
    assert_int_equal(pic_ack(r->pic), 0x0E);
    assert_int_equal(pic_ack(r->pic), 0x09);
}

static void test_special_mask(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    pulse(r, 3);
    assert_int_equal(pic_ack(r->pic), 0x0B);
    pulse(r, 5);
    assert_false(r->rec.level);
    /* The IRQ 3 handler masks itself and enters special mask mode. */
    outb(r, MDATA, 0x08);
    outb(r, MCMD, SMM_SET);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x0D);
    assert_int_equal(master_isr(r), 0x28);
    /* A non-specific EOI skips the masked IS bit 3. */
    outb(r, MCMD, EOI);
    assert_int_equal(master_isr(r), 0x08);
    outb(r, MCMD, EOI);
    assert_int_equal(master_isr(r), 0x08);
    /* An unmasked level in service still blocks lower ones. */
    pulse(r, 1);
    assert_int_equal(pic_ack(r->pic), 0x09);
    pulse(r, 4);
    assert_false(r->rec.level);
    outb(r, MCMD, SPECIFIC_EOI | 1);
    assert_true(r->rec.level);
    outb(r, MCMD, SMM_RESET); /* ISR3 blocks IR4 again */
    assert_false(r->rec.level);
    outb(r, MDATA, 0x00);
    outb(r, MCMD, EOI);
    assert_int_equal(master_isr(r), 0x00);
    assert_int_equal(pic_ack(r->pic), 0x0C);
    /* OCW3 with ESMM clear leaves the mode alone. */
    outb(r, MCMD, SMM_SET);
    outb(r, MCMD, 0x28);
    outb(r, MDATA, 0x10);
    pulse(r, 6);
    assert_true(r->rec.level);
    outb(r, MCMD, SMM_RESET);
    assert_false(r->rec.level);
}

static void test_sfnm(void **state)
{
    struct rig *r = *state;
    /* Normal fully nested: IR2 in service locks out the whole slave. */
    bios_init(r, 0x01);
    pulse(r, 11);
    assert_int_equal(pic_ack(r->pic), 0x73);
    pulse(r, 8);
    assert_false(r->rec.level);
    outb(r, SCMD, EOI);
    outb(r, MCMD, EOI);
    assert_int_equal(pic_ack(r->pic), 0x70);
    outb(r, SCMD, EOI);
    outb(r, MCMD, EOI);

    /* Special fully nested on the master: a higher slave level gets
     * through, a lower master level does not. */
    outb(r, MCMD, 0x11);
    outb(r, MDATA, 0x08);
    outb(r, MDATA, 0x04);
    outb(r, MDATA, 0x11);
    pulse(r, 11);
    assert_int_equal(pic_ack(r->pic), 0x73);
    pulse(r, 5);
    assert_false(r->rec.level);
    pulse(r, 12); /* lower than IRQ 11 inside the slave */
    assert_false(r->rec.level);
    pulse(r, 8);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x70);
    assert_int_equal(slave_isr(r), 0x09);
    assert_int_equal(master_isr(r), 0x04);
}

/* ---- poll ---- */

static void test_poll(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    outb(r, MCMD, POLL);
    assert_int_equal(inb(r, MCMD), 0x00); /* nothing pending */
    assert_int_equal(inb(r, MCMD), 0x00); /* IRR: the poll was used up */

    pulse(r, 6);
    pulse(r, 4);
    assert_true(r->rec.level);
    outb(r, MCMD, POLL);
    assert_int_equal(inb(r, MCMD), 0x84);
    assert_int_equal(master_isr(r), 0x10);
    assert_int_equal(master_irr(r), 0x40);
    assert_false(r->rec.level);
    outb(r, MCMD, EOI);
    /* A poll at the data port also acknowledges. */
    outb(r, MCMD, POLL);
    assert_int_equal(inb(r, MDATA), 0x86);
    assert_int_equal(inb(r, MDATA), 0x00); /* IMR again */
    outb(r, MCMD, EOI);

    /* Poll takes precedence over a register read set in the same OCW3,
     * which then applies to the following reads. */
    pulse(r, 1);
    outb(r, MCMD, POLL | READ_ISR);
    assert_int_equal(inb(r, MCMD), 0x81);
    assert_int_equal(inb(r, MCMD), 0x02);
    outb(r, MCMD, EOI);

    /* Polling the slave. */
    pulse(r, 13);
    outb(r, SCMD, POLL);
    assert_int_equal(inb(r, SCMD), 0x85);
    assert_int_equal(slave_isr(r), 0x20);
    outb(r, SCMD, EOI);
    assert_int_equal(slave_isr(r), 0x00);
}

/* ---- spurious interrupts ---- */

static void test_spurious_master(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    /* An acknowledge with nothing pending. */
    assert_int_equal(pic_ack(r->pic), 0x0F);
    assert_int_equal(master_isr(r), 0x00);
    /* A level request withdrawn before the acknowledge. */
    outb(r, ELCR0, 0x20);
    pic_set_irq(r->pic, 5, true);
    assert_true(r->rec.level);
    pic_set_irq(r->pic, 5, false);
    assert_false(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x0F);
    assert_int_equal(master_isr(r), 0x00);
    /* A request masked between INT and INTA. */
    pulse(r, 3);
    outb(r, MDATA, 0x08);
    assert_int_equal(pic_ack(r->pic), 0x0F);
    assert_int_equal(master_isr(r), 0x00);
    assert_int_equal(master_irr(r), 0x08);
}

static void test_spurious_slave(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    outb(r, ELCR1, 0x08); /* IRQ 11 level triggered */
    pic_set_irq(r->pic, 11, true);
    assert_true(r->rec.level);
    pic_set_irq(r->pic, 11, false);
    /* The master latched the slave's INT edge on IR2. */
    assert_true(r->rec.level);
    assert_int_equal(slave_irr(r), 0x00);
    assert_int_equal(pic_ack(r->pic), 0x77);
    assert_int_equal(slave_isr(r), 0x00);
    assert_int_equal(master_isr(r), 0x04);
    /* Linux sees the slave's IS bit 7 clear and ends IR2 on the master. */
    outb(r, MCMD, SPECIFIC_EOI | 2);
    assert_int_equal(master_isr(r), 0x00);
    assert_false(r->rec.level);
}

/* ---- trigger modes ---- */

static void test_edge_trigger(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    /* An edge while masked is remembered. */
    outb(r, MDATA, 0x10);
    pulse(r, 4);
    assert_false(r->rec.level);
    assert_int_equal(master_irr(r), 0x10);
    outb(r, MDATA, 0x00);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x0C);
    outb(r, MCMD, EOI);
    /* A held input asks once; a new request needs a new rising edge. */
    pic_set_irq(r->pic, 4, true);
    assert_int_equal(pic_ack(r->pic), 0x0C);
    outb(r, MCMD, EOI);
    assert_false(r->rec.level);
    assert_int_equal(master_irr(r), 0x00);
    pic_set_irq(r->pic, 4, false);
    pic_set_irq(r->pic, 4, true);
    assert_true(r->rec.level);
    /* ICW1 resets the edge latch: the held input must rise again. */
    bios_init(r, 0x01);
    assert_false(r->rec.level);
    assert_int_equal(master_irr(r), 0x00);
    pic_set_irq(r->pic, 4, false);
    pic_set_irq(r->pic, 4, true);
    assert_true(r->rec.level);
    pic_set_irq(r->pic, 4, false);
    assert_true(r->rec.level); /* still latched */
    assert_int_equal(pic_ack(r->pic), 0x0C);
}

static void test_level_trigger_elcr(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    /* Reserved ELCR bits: IRQ 0, 1, 2, 8, 13 stay edge. */
    outb(r, ELCR0, 0xFF);
    outb(r, ELCR1, 0xFF);
    assert_int_equal(inb(r, ELCR0), 0xF8);
    assert_int_equal(inb(r, ELCR1), 0xDE);
    assert_int_equal(bus_io_read(r->bus, ELCR0, 2), 0xDEF8);
    outb(r, ELCR0, 0x00);
    outb(r, ELCR1, 0x00);
    bus_io_write(r->bus, ELCR0, 0x0C20, 2); /* IRQ 5, 10, 11 */
    assert_int_equal(inb(r, ELCR0), 0x20);
    assert_int_equal(inb(r, ELCR1), 0x0C);

    /* A level input asks again after EOI while it stays high. */
    pic_set_irq(r->pic, 10, true);
    assert_int_equal(pic_ack(r->pic), 0x72);
    assert_int_equal(slave_irr(r), 0x04); /* IRR follows the pin */
    assert_false(r->rec.level);
    outb(r, SCMD, EOI);
    outb(r, MCMD, EOI);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x72);
    pic_set_irq(r->pic, 10, false); /* the driver cleared the device */
    outb(r, SCMD, EOI);
    outb(r, MCMD, EOI);
    assert_false(r->rec.level);
    assert_int_equal(slave_irr(r), 0x00);

    /* Masked level requests are visible and fire when unmasked. */
    outb(r, MDATA, 0x20);
    pic_set_irq(r->pic, 5, true);
    assert_false(r->rec.level);
    assert_int_equal(master_irr(r), 0x20);
    pic_set_irq(r->pic, 5, false);
    assert_int_equal(master_irr(r), 0x00);
    pic_set_irq(r->pic, 5, true);
    outb(r, MDATA, 0x00);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x0D);
    pic_set_irq(r->pic, 5, false);
    outb(r, MCMD, EOI);

    /* Switching a held input to level mode makes it a request. */
    pic_set_irq(r->pic, 6, true);
    assert_int_equal(pic_ack(r->pic), 0x0E);
    outb(r, MCMD, EOI);
    assert_false(r->rec.level);
    outb(r, ELCR0, 0x60);
    assert_true(r->rec.level);
    outb(r, ELCR0, 0x20); /* back to edge: the latched request stays */
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x0E);
    outb(r, MCMD, EOI);
    assert_false(r->rec.level);
}

static void test_level_trigger_ltim(void **state)
{
    struct rig *r = *state;
    outb(r, MCMD, 0x19); /* LTIM */
    outb(r, MDATA, 0x08);
    outb(r, MDATA, 0x04);
    outb(r, MDATA, 0x01);
    outb(r, SCMD, 0x11);
    outb(r, SDATA, 0x70);
    outb(r, SDATA, 0x02);
    outb(r, SDATA, 0x01);
    assert_int_equal(inb(r, ELCR0), 0x00); /* LTIM is not the ELCR */
    pic_set_irq(r->pic, 0, true);
    assert_int_equal(pic_ack(r->pic), 0x08);
    outb(r, MCMD, EOI);
    assert_true(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x08);
    pic_set_irq(r->pic, 0, false);
    outb(r, MCMD, EOI);
    assert_false(r->rec.level);
    pic_set_irq(r->pic, 1, true);
    pic_set_irq(r->pic, 1, false);
    assert_false(r->rec.level);
    assert_int_equal(pic_ack(r->pic), 0x0F);
    /* The slave kept edge triggering. */
    pulse(r, 9);
    assert_int_equal(pic_ack(r->pic), 0x71);
}

static void test_register_reads(void **state)
{
    struct rig *r = *state;
    bios_init(r, 0x01);
    outb(r, MDATA, 0xF0);
    pulse(r, 7);
    pulse(r, 1);
    assert_int_equal(inb(r, MCMD), 0x82); /* IRR after ICW1, masked too */
    assert_int_equal(pic_ack(r->pic), 0x09);
    outb(r, MCMD, READ_ISR);
    assert_int_equal(inb(r, MCMD), 0x02);
    assert_int_equal(inb(r, MCMD), 0x02); /* the selection persists */
    outb(r, MCMD, 0x08);                  /* OCW3 with RR clear: no change */
    assert_int_equal(inb(r, MCMD), 0x02);
    outb(r, MCMD, 0x09);
    assert_int_equal(inb(r, MCMD), 0x02);
    outb(r, MCMD, READ_IRR);
    assert_int_equal(inb(r, MCMD), 0x80);
    outb(r, MCMD, READ_ISR);
    outb(r, MCMD, 0x11); /* ICW1: back to IRR, ISR cleared */
    outb(r, MDATA, 0x08);
    outb(r, MDATA, 0x04);
    outb(r, MDATA, 0x01);
    assert_int_equal(inb(r, MDATA), 0x00);
    pulse(r, 7);
    assert_int_equal(inb(r, MCMD), 0x80);
    assert_int_equal(master_isr(r), 0x00);
    /* 16-bit accesses split into the two ports. */
    bus_io_write(r->bus, MCMD, 0x5A0B, 2); /* OCW3 read ISR, OCW1 0x5A */
    assert_int_equal(bus_io_read(r->bus, MCMD, 2), 0x5A00);
}

/* Any byte to any port, interleaved with acknowledges and input
 * changes, leaves a consistent device (and sanitizers happy). */
static void test_guest_garbage(void **state)
{
    struct rig *r = *state;
    static const uint16_t ports[] = { MCMD, MDATA, SCMD, SDATA, ELCR0, ELCR1 };
    uint32_t x = 12345;
    for (unsigned i = 0; i < 200000; i++) {
        x = x * 1103515245u + 12345u;
        unsigned what = (x >> 24) & 7u;
        uint16_t port = ports[((x >> 16) & 0xFFu) % 6u];
        uint8_t value = (uint8_t)(x >> 8);
        if (what < 4)
            outb(r, port, value);
        else if (what == 4)
            (void)inb(r, port);
        else if (what == 5)
            (void)pic_ack(r->pic);
        else
            pic_set_irq(r->pic, value & 31u, (value & 0x20u) != 0);
        assert_true((inb(r, ELCR0) & 0x07u) == 0 && (inb(r, ELCR1) & 0x21u) == 0);
    }
    /* A BIOS can still take over. */
    for (unsigned irq = 0; irq < 16; irq++)
        pic_set_irq(r->pic, irq, false);
    outb(r, ELCR0, 0);
    outb(r, ELCR1, 0);
    bios_init(r, 0x01);
    assert_false(r->rec.level);
    pulse(r, 12);
    assert_int_equal(pic_ack(r->pic), 0x74);
}

#define PIC_TEST(fn) cmocka_unit_test_setup_teardown(fn, rig_setup, rig_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        PIC_TEST(test_power_on_state),
        PIC_TEST(test_bios_init_and_ack),
        PIC_TEST(test_linux_init_and_probe),
        PIC_TEST(test_icw_sequence_variants),
        PIC_TEST(test_cascade_wiring),
        PIC_TEST(test_priority_order),
        PIC_TEST(test_eoi_forms),
        PIC_TEST(test_rotation),
        PIC_TEST(test_aeoi),
        PIC_TEST(test_special_mask),
        PIC_TEST(test_sfnm),
        PIC_TEST(test_poll),
        PIC_TEST(test_spurious_master),
        PIC_TEST(test_spurious_slave),
        PIC_TEST(test_edge_trigger),
        PIC_TEST(test_level_trigger_elcr),
        PIC_TEST(test_level_trigger_ltim),
        PIC_TEST(test_register_reads),
        PIC_TEST(test_guest_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
