/*
 * pic.c - the dual 8259A programmable interrupt controller of the PC and
 * the PIIX3 ELCR (Intel 8259A datasheet; Intel 82371FB/SB PIIX/PIIX3
 * datasheet, "Interrupt controller" and "ELCR1/ELCR2").
 *
 * Each controller keeps the datasheet's registers: IRR (requests), ISR
 * (in service) and IMR (mask), plus the priority rotation (the lowest
 * priority level) and the modes set by the ICWs and OCWs.  Everything is
 * recomputed when something changes: the slave's INT output is fed into
 * the master's IR2 input, and the master's INT output drives `intr`.
 *
 * Modelling choices where the hardware is loose or the PC fixes it:
 * - Roles are strapped (SP/EN on the AT): the first chip is the master,
 *   the second the slave hanging off the master's IR2.  ICW4's BUF and M/S
 *   bits are recorded but change nothing.
 * - Vectors are always the 8086 form (ICW2 & 0xF8 | level); the uPM bit
 *   is recorded, and an MCS-80 CALL sequence is never produced.
 * - An edge-triggered request stays latched in IRR after the input falls
 *   (the board's ISA devices pulse their lines); a level-triggered request
 *   follows the input, so it vanishes if the input drops before the
 *   acknowledge.
 * - An input is level-triggered if its ELCR bit is set or its chip's ICW1
 *   had LTIM set.
 * - ICW1 also clears ISR and cancels a pending poll, so a re-initialised
 *   controller starts clean (the datasheet lists only IMR, priority, slave
 *   address, special mask, read select and the edge sense latches).
 */
#include "devices/pic.h"

#include <stdlib.h>

#include "devices/bus.h"

enum { PIC_MASTER = 0, PIC_SLAVE = 1 };

/* ICW1 bits (8259A datasheet, figure "Initialization command word
 * format"). */
#define ICW1_IC4 0x01u
#define ICW1_SNGL 0x02u
#define ICW1_LTIM 0x08u
#define ICW1_SELECT 0x10u

/* ICW4 bits. */
#define ICW4_UPM 0x01u
#define ICW4_AEOI 0x02u
#define ICW4_MS 0x04u
#define ICW4_BUF 0x08u
#define ICW4_SFNM 0x10u

/* OCW3 bits (OCW2 has bits 4:3 = 00, OCW3 has 01).  ESMM is D6 and SMM
 * D5 as in the 8259A datasheet (some chipset manuals swap the labels but
 * keep the values: 68h sets special mask mode, 48h resets it). */
#define OCW_IS_OCW3 0x08u
#define OCW3_RIS 0x01u
#define OCW3_RR 0x02u
#define OCW3_POLL 0x04u
#define OCW3_SMM 0x20u
#define OCW3_ESMM 0x40u

/* PIIX3 ELCR: IRQ 0, 1, 2 (master) and 8, 13 (slave) are always edge
 * triggered; their bits read 0 and ignore writes. */
#define ELCR_MASTER_WRITABLE 0xF8u
#define ELCR_SLAVE_WRITABLE 0xDEu

/* Where the next write to the data port goes. */
enum pic_init_step {
    PIC_OPERATIONAL, /* OCW1 */
    PIC_WANT_ICW2,
    PIC_WANT_ICW3,
    PIC_WANT_ICW4,
};

struct pic_chip {
    uint8_t irr;
    uint8_t isr;
    uint8_t imr;
    uint8_t pins;  /* current level of each IR input */
    uint8_t elcr;  /* level-triggered inputs from the ELCR */
    uint8_t elcr_writable;
    uint8_t icw1, icw2, icw3, icw4;
    uint8_t lowest; /* the level with the lowest priority (0-7) */
    enum pic_init_step step;
    bool special_mask;
    bool read_isr;     /* command port reads ISR, else IRR */
    bool poll;         /* the next read is a poll */
    bool rotate_aeoi;  /* AEOI rotates priority */
    bool is_master;
};

struct pic {
    struct pic_chip chip[2];
    struct irq_line *intr;
    uint16_t base[2]; /* command port of master and slave */
    uint16_t elcr_base;
};

static uint8_t bit_of(unsigned level)
{
    return (uint8_t)(1u << (level & 7u));
}

static uint8_t chip_level_triggered(const struct pic_chip *c)
{
    return (c->icw1 & ICW1_LTIM) ? 0xFFu : c->elcr;
}

static bool chip_single(const struct pic_chip *c)
{
    return (c->icw1 & ICW1_SNGL) != 0;
}

/* The master's inputs that have a slave on them (ICW3), none in single
 * mode. */
static uint8_t chip_cascade_inputs(const struct pic_chip *c)
{
    return (c->is_master && !chip_single(c)) ? c->icw3 : 0u;
}

/* 0 is the highest priority, 7 the lowest. */
static unsigned chip_priority(const struct pic_chip *c, unsigned level)
{
    return (level - c->lowest - 1u) & 7u;
}

/* The level of highest priority among `bits`, or -1 if none. */
static int chip_highest(const struct pic_chip *c, uint8_t bits)
{
    for (unsigned i = 0; i < 8; i++) {
        unsigned level = (c->lowest + 1u + i) & 7u;
        if (bits & bit_of(level))
            return (int)level;
    }
    return -1;
}

/*
 * The request the priority resolver would grant now, or -1.  Fully
 * nested mode: a request must have a strictly higher priority than every
 * level in service.  Special mask mode: levels masked in IMR do not
 * inhibit anything (8259A "Special mask mode").  Special fully nested
 * mode: a cascaded input may interrupt while its own level is in
 * service, so a higher request inside the slave gets through.
 */
static int chip_request(const struct pic_chip *c)
{
    int req = chip_highest(c, c->irr & (uint8_t)~c->imr);
    if (req < 0)
        return -1;
    uint8_t blocking = c->isr;
    if (c->special_mask)
        blocking &= (uint8_t)~c->imr;
    int cur = chip_highest(c, blocking);
    if (cur < 0 || chip_priority(c, (unsigned)req) < chip_priority(c, (unsigned)cur))
        return req;
    if ((c->icw4 & ICW4_SFNM) && req == cur && (chip_cascade_inputs(c) & bit_of((unsigned)req)))
        return req;
    return -1;
}

/* A change of an input pin.  A rising edge latches a request; in level
 * mode IRR follows the pin. */
static void chip_set_pin(struct pic_chip *c, unsigned level, bool high)
{
    uint8_t m = bit_of(level);
    if (high) {
        if (!(c->pins & m))
            c->irr |= m;
        c->pins |= m;
    } else {
        c->pins &= (uint8_t)~m;
        if (chip_level_triggered(c) & m)
            c->irr &= (uint8_t)~m;
    }
}

/* After a change of trigger mode: level inputs show their pin in IRR. */
static void chip_resync_levels(struct pic_chip *c)
{
    uint8_t lvl = chip_level_triggered(c);
    c->irr = (uint8_t)((c->irr & ~lvl) | (c->pins & lvl));
}

/* First INTA (or poll read): the granted level goes into service and an
 * edge request is consumed.  The last INTA of AEOI mode ends it again. */
static void chip_service(struct pic_chip *c, unsigned level)
{
    uint8_t m = bit_of(level);
    c->isr |= m;
    if (!(chip_level_triggered(c) & m))
        c->irr &= (uint8_t)~m;
    if (c->icw4 & ICW4_AEOI) {
        c->isr &= (uint8_t)~m;
        if (c->rotate_aeoi)
            c->lowest = (uint8_t)(level & 7u);
    }
}

/* ICW1: start the initialisation sequence (8259A "Initialization command
 * words", steps a-f). */
static void chip_icw1(struct pic_chip *c, uint8_t value)
{
    c->icw1 = value;
    c->step = PIC_WANT_ICW2;
    c->imr = 0;
    c->isr = 0;
    c->lowest = 7;
    c->special_mask = false;
    c->read_isr = false;
    c->poll = false;
    c->rotate_aeoi = false;
    if (!c->is_master)
        c->icw3 = 7; /* "the slave mode address is set to 7" */
    if (!(value & ICW1_IC4))
        c->icw4 = 0;
    /* The edge sense latches are reset: an edge input must rise again. */
    c->irr = (uint8_t)(c->pins & chip_level_triggered(c));
}

static void chip_write_data(struct pic_chip *c, uint8_t value)
{
    switch (c->step) {
    case PIC_WANT_ICW2:
        c->icw2 = value;
        if (!chip_single(c))
            c->step = PIC_WANT_ICW3;
        else if (c->icw1 & ICW1_IC4)
            c->step = PIC_WANT_ICW4;
        else
            c->step = PIC_OPERATIONAL;
        break;
    case PIC_WANT_ICW3:
        c->icw3 = c->is_master ? value : (uint8_t)(value & 7u);
        c->step = (c->icw1 & ICW1_IC4) ? PIC_WANT_ICW4 : PIC_OPERATIONAL;
        break;
    case PIC_WANT_ICW4:
        c->icw4 = (uint8_t)(value & (ICW4_UPM | ICW4_AEOI | ICW4_MS | ICW4_BUF | ICW4_SFNM));
        c->step = PIC_OPERATIONAL;
        break;
    case PIC_OPERATIONAL:
    default:
        c->imr = value; /* OCW1 */
        break;
    }
}

/* The level a non-specific EOI ends: the highest in service, ignoring
 * levels masked in special mask mode (8259A "End of interrupt"). */
static int chip_eoi_target(const struct pic_chip *c)
{
    uint8_t candidates = c->isr;
    if (c->special_mask)
        candidates &= (uint8_t)~c->imr;
    return chip_highest(c, candidates);
}

/* OCW2: R, SL, EOI in bits 7:5, level in bits 2:0. */
static void chip_ocw2(struct pic_chip *c, uint8_t value)
{
    unsigned level = value & 7u;
    int target;
    switch (value >> 5) {
    case 0: /* rotate in automatic EOI mode (clear) */
        c->rotate_aeoi = false;
        break;
    case 1: /* non-specific EOI */
        target = chip_eoi_target(c);
        if (target >= 0)
            c->isr &= (uint8_t)~bit_of((unsigned)target);
        break;
    case 3: /* specific EOI */
        c->isr &= (uint8_t)~bit_of(level);
        break;
    case 4: /* rotate in automatic EOI mode (set) */
        c->rotate_aeoi = true;
        break;
    case 5: /* rotate on non-specific EOI */
        target = chip_eoi_target(c);
        if (target >= 0) {
            c->isr &= (uint8_t)~bit_of((unsigned)target);
            c->lowest = (uint8_t)target;
        }
        break;
    case 6: /* set priority: `level` becomes the lowest */
        c->lowest = (uint8_t)level;
        break;
    case 7: /* rotate on specific EOI */
        c->isr &= (uint8_t)~bit_of(level);
        c->lowest = (uint8_t)level;
        break;
    case 2: /* no operation */
    default:
        break;
    }
}

static void chip_ocw3(struct pic_chip *c, uint8_t value)
{
    if (value & OCW3_ESMM)
        c->special_mask = (value & OCW3_SMM) != 0;
    if (value & OCW3_RR)
        c->read_isr = (value & OCW3_RIS) != 0;
    /* Poll takes precedence over the register read for the next read. */
    c->poll = (value & OCW3_POLL) != 0;
}

static void chip_write_command(struct pic_chip *c, uint8_t value)
{
    if (value & ICW1_SELECT)
        chip_icw1(c, value);
    else if (value & OCW_IS_OCW3)
        chip_ocw3(c, value);
    else
        chip_ocw2(c, value);
}

/* A read after a poll command: the 8259A treats it as an acknowledge and
 * returns I (bit 7) and the level (bits 2:0) of the highest request. */
static uint8_t chip_poll_read(struct pic_chip *c)
{
    c->poll = false;
    int req = chip_request(c);
    if (req < 0)
        return 0;
    chip_service(c, (unsigned)req);
    return (uint8_t)(0x80u | (unsigned)req);
}

static void chip_power_on(struct pic_chip *c, bool is_master)
{
    uint8_t pins = c->pins;
    *c = (struct pic_chip){ 0 };
    c->pins = pins;
    c->is_master = is_master;
    c->elcr_writable = is_master ? ELCR_MASTER_WRITABLE : ELCR_SLAVE_WRITABLE;
    chip_icw1(c, ICW1_SELECT);
    c->step = PIC_OPERATIONAL;
}

/* Propagate the outputs: slave INT -> master IR2, master INT -> INTR. */
static void pic_update(struct pic *pic)
{
    struct pic_chip *master = &pic->chip[PIC_MASTER];
    struct pic_chip *slave = &pic->chip[PIC_SLAVE];
    bool slave_int = chip_request(slave) >= 0;
    if (slave_int != ((master->pins & bit_of(PIC_CASCADE_IRQ)) != 0))
        chip_set_pin(master, PIC_CASCADE_IRQ, slave_int);
    irq_set(pic->intr, chip_request(master) >= 0);
}

uint8_t pic_ack(struct pic *pic)
{
    struct pic_chip *master = &pic->chip[PIC_MASTER];
    struct pic_chip *slave = &pic->chip[PIC_SLAVE];
    uint8_t vector;
    int req = chip_request(master);
    if (req < 0) {
        /* The request went away between INT and INTA: the master answers
         * with IR7's vector and sets no ISR bit. */
        vector = (uint8_t)((master->icw2 & 0xF8u) | 7u);
    } else if (chip_cascade_inputs(master) & bit_of((unsigned)req)) {
        /* The master puts the level on CAS0-2; only a slave whose ID
         * matches supplies the vector, else the data bus floats. */
        chip_service(master, (unsigned)req);
        if ((unsigned)req == PIC_CASCADE_IRQ && !chip_single(slave)
            && (slave->icw3 & 7u) == PIC_CASCADE_IRQ) {
            int sreq = chip_request(slave);
            if (sreq < 0) {
                /* Spurious on the slave: IR7 (IRQ 15) vector, no slave
                 * ISR bit, while the master's IR2 ISR bit stays set. */
                vector = (uint8_t)((slave->icw2 & 0xF8u) | 7u);
            } else {
                chip_service(slave, (unsigned)sreq);
                vector = (uint8_t)((slave->icw2 & 0xF8u) | (unsigned)sreq);
            }
        } else {
            vector = 0xFF;
        }
    } else {
        chip_service(master, (unsigned)req);
        vector = (uint8_t)((master->icw2 & 0xF8u) | (unsigned)req);
    }
    pic_update(pic);
    return vector;
}

/* ---- ports ---- */

static uint32_t pic_read_chip(struct pic *pic, unsigned which, uint16_t port)
{
    struct pic_chip *c = &pic->chip[which];
    uint8_t value;
    if (c->poll)
        value = chip_poll_read(c); /* a poll is answered at either port */
    else if ((uint16_t)(port - pic->base[which]) != 0)
        value = c->imr;
    else
        value = c->read_isr ? c->isr : c->irr;
    pic_update(pic);
    return value;
}

static uint32_t pic_master_read(void *opaque, uint16_t port, unsigned size)
{
    struct pic *pic = opaque;
    (void)size;
    return pic_read_chip(pic, PIC_MASTER, port);
}

static uint32_t pic_slave_read(void *opaque, uint16_t port, unsigned size)
{
    struct pic *pic = opaque;
    (void)size;
    return pic_read_chip(pic, PIC_SLAVE, port);
}

static void pic_write_chip(struct pic *pic, unsigned which, uint16_t port, uint32_t value)
{
    struct pic_chip *c = &pic->chip[which];
    if ((uint16_t)(port - pic->base[which]) != 0)
        chip_write_data(c, (uint8_t)value);
    else
        chip_write_command(c, (uint8_t)value);
    pic_update(pic);
}

static void pic_master_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct pic *pic = opaque;
    (void)size;
    pic_write_chip(pic, PIC_MASTER, port, value);
}

static void pic_slave_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct pic *pic = opaque;
    (void)size;
    pic_write_chip(pic, PIC_SLAVE, port, value);
}

/* The ELCR pair: the first port is the master's, the second the
 * slave's. */
static struct pic_chip *pic_elcr_chip(struct pic *pic, uint16_t port)
{
    return &pic->chip[(uint16_t)(port - pic->elcr_base) != 0 ? PIC_SLAVE : PIC_MASTER];
}

static uint32_t pic_elcr_read(void *opaque, uint16_t port, unsigned size)
{
    (void)size;
    return pic_elcr_chip(opaque, port)->elcr;
}

static void pic_elcr_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct pic *pic = opaque;
    struct pic_chip *c = pic_elcr_chip(pic, port);
    (void)size;
    c->elcr = (uint8_t)(value & c->elcr_writable);
    chip_resync_levels(c);
    pic_update(pic);
}

/* ---- public API ---- */

struct pic *pic_create(struct bus *bus, uint16_t master_base, uint16_t slave_base,
                       uint16_t elcr_base, struct irq_line *intr)
{
    struct pic *pic = calloc(1, sizeof(*pic));
    if (pic == NULL)
        return NULL;
    pic->intr = intr;
    pic->base[PIC_MASTER] = master_base;
    pic->base[PIC_SLAVE] = slave_base;
    pic->elcr_base = elcr_base;
    pic_reset(pic);
    if (bus_register_io(bus, master_base, 2, BUS_W8, pic, pic_master_read, pic_master_write) != 0
        || bus_register_io(bus, slave_base, 2, BUS_W8, pic, pic_slave_read, pic_slave_write) != 0
        || bus_register_io(bus, elcr_base, 2, BUS_W8, pic, pic_elcr_read, pic_elcr_write) != 0) {
        free(pic);
        return NULL;
    }
    return pic;
}

void pic_destroy(struct pic *pic)
{
    free(pic);
}

void pic_reset(struct pic *pic)
{
    chip_power_on(&pic->chip[PIC_MASTER], true);
    chip_power_on(&pic->chip[PIC_SLAVE], false);
    pic_update(pic);
}

void pic_set_irq(struct pic *pic, unsigned irq, bool level)
{
    if (irq >= PIC_IRQS || irq == PIC_CASCADE_IRQ)
        return;
    chip_set_pin(&pic->chip[irq >> 3], irq & 7u, level);
    pic_update(pic);
}

void pic_irq_sink(void *opaque, unsigned irq, bool level)
{
    pic_set_irq(opaque, irq, level);
}
