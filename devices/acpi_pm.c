/*
 * acpi_pm.c - ACPI PM1a event/control blocks and the PM timer (see
 * acpi_pm.h).
 *
 * The timer is never ticked: its value is floor(now * 3579545 / rate)
 * modulo 2^24.  TMR_STS is computed lazily from the number of bit-23
 * transitions since it was last cleared; a clock event is scheduled at
 * the next transition only while TMR_EN is set and TMR_STS clear (the
 * only case where the transition raises the SCI).
 */
#include "devices/acpi_pm.h"

#include <stdbool.h>
#include <stdlib.h>

#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"

#define PM1_TMR 0x0001u    /* TMR_STS / TMR_EN */
#define PM1_BM 0x0010u     /* BM_STS */
#define PM1_GBL 0x0020u    /* GBL_STS / GBL_EN */
#define PM1_PWRBTN 0x0100u /* PWRBTN_STS / PWRBTN_EN */
#define PM1_RTC 0x0400u    /* RTC_STS / RTC_EN */
#define PM1_WAK 0x8000u    /* WAK_STS */
#define PM1_STS_BITS (PM1_TMR | PM1_BM | PM1_GBL | PM1_PWRBTN | PM1_RTC | PM1_WAK)
#define PM1_EN_BITS (PM1_TMR | PM1_GBL | PM1_PWRBTN | PM1_RTC)

#define CNT_SCI_EN 0x0001u
#define CNT_BM_RLD 0x0002u
#define CNT_SLP_TYP 0x1C00u
#define CNT_SLP_EN 0x2000u
#define CNT_STORED (CNT_BM_RLD | CNT_SLP_TYP)
#define SLP_TYP_S5 0u /* what the board's \_S5 package says */

#define TMR_BITS 24u
#define TMR_MASK ((1u << TMR_BITS) - 1u)
#define TMR_STS_SHIFT 23u /* TMR_STS is set when bit 23 changes */

struct acpi_pm {
    struct bus *bus;
    uint16_t base;
    struct clock *clock;
    struct irq_line *sci;
    void (*poweroff)(void *);
    void *opaque;
    uint16_t sts;        /* latched status bits */
    uint16_t en;
    uint16_t cnt;        /* BM_RLD and SLP_TYP */
    uint64_t tmr_mark;   /* bit-23 transitions counted when TMR_STS was cleared */
    struct clock_event tmr_event;
};

/* Counter periods since virtual time 0 (the timer before the 24-bit wrap). */
static uint64_t acpi_pm_count(const struct acpi_pm *pm)
{
    return clock_ticks_to_hz(pm->clock, clock_now(pm->clock), CLOCK_HZ_ACPI_PM);
}

uint32_t acpi_pm_timer(const struct acpi_pm *pm)
{
    return (uint32_t)(acpi_pm_count(pm) & TMR_MASK);
}

/* PM1_STS with TMR_STS brought up to date. */
static uint16_t acpi_pm_status(struct acpi_pm *pm)
{
    if ((acpi_pm_count(pm) >> TMR_STS_SHIFT) > pm->tmr_mark)
        pm->sts |= PM1_TMR;
    return pm->sts;
}

/* Drive the SCI and (re)arm the timer event if a transition can raise it. */
static void acpi_pm_update(struct acpi_pm *pm)
{
    uint16_t sts = acpi_pm_status(pm);
    irq_set(pm->sci, (sts & pm->en & PM1_EN_BITS) != 0);
    if ((pm->en & PM1_TMR) && !(sts & PM1_TMR)) {
        uint64_t next = (pm->tmr_mark + 1u) << TMR_STS_SHIFT;
        clock_schedule(pm->clock, &pm->tmr_event,
                       clock_hz_to_ticks(pm->clock, next, CLOCK_HZ_ACPI_PM));
    } else {
        clock_cancel(pm->clock, &pm->tmr_event);
    }
}

static void acpi_pm_tmr_event(void *opaque, uint64_t now)
{
    (void)now;
    acpi_pm_update(opaque);
}

static void acpi_pm_clear_status(struct acpi_pm *pm, uint16_t bits)
{
    bits &= PM1_STS_BITS;
    if (bits & PM1_TMR) {
        /* Later transitions set it again; count from now. */
        pm->tmr_mark = acpi_pm_count(pm) >> TMR_STS_SHIFT;
    }
    pm->sts &= (uint16_t)~bits;
}

/* Byte `off` of the block, or -1 if no register sits there. */
static int acpi_pm_read_byte(struct acpi_pm *pm, unsigned off)
{
    switch (off) {
    case ACPI_PM_PM1_STS:
    case ACPI_PM_PM1_STS + 1:
        return (acpi_pm_status(pm) >> (8 * (off & 1))) & 0xFF;
    case ACPI_PM_PM1_EN:
    case ACPI_PM_PM1_EN + 1:
        return (pm->en >> (8 * (off & 1))) & 0xFF;
    case ACPI_PM_PM1_CNT:
    case ACPI_PM_PM1_CNT + 1:
        return ((pm->cnt | CNT_SCI_EN) >> (8 * (off & 1))) & 0xFF;
    case ACPI_PM_TMR:
    case ACPI_PM_TMR + 1:
    case ACPI_PM_TMR + 2:
    case ACPI_PM_TMR + 3:
        /* Bits 31:24 read 0 (TMR_VAL_EXT = 0: a 24-bit timer). */
        return (int)((acpi_pm_timer(pm) >> (8 * (off - ACPI_PM_TMR))) & 0xFF);
    default:
        return -1;
    }
}

static bool acpi_pm_write_byte(struct acpi_pm *pm, unsigned off, uint8_t v)
{
    unsigned shift = 8 * (off & 1);
    uint16_t mask = (uint16_t)(0xFFu << shift);
    uint16_t val = (uint16_t)(v << shift);
    switch (off) {
    case ACPI_PM_PM1_STS:
    case ACPI_PM_PM1_STS + 1:
        acpi_pm_clear_status(pm, val);
        break;
    case ACPI_PM_PM1_EN:
    case ACPI_PM_PM1_EN + 1:
        pm->en = (uint16_t)((pm->en & ~mask) | (val & PM1_EN_BITS));
        break;
    case ACPI_PM_PM1_CNT:
    case ACPI_PM_PM1_CNT + 1:
        pm->cnt = (uint16_t)((pm->cnt & ~mask) | (val & CNT_STORED & mask));
        if ((val & CNT_SLP_EN) && ((pm->cnt & CNT_SLP_TYP) >> 10) == SLP_TYP_S5 &&
            pm->poweroff != NULL)
            pm->poweroff(pm->opaque);
        break;
    case ACPI_PM_TMR:
    case ACPI_PM_TMR + 1:
    case ACPI_PM_TMR + 2:
    case ACPI_PM_TMR + 3:
        break; /* read-only */
    default:
        return false;
    }
    return true;
}

/* Every access is taken a byte at a time (a word write of PM1_CNT puts
 * SLP_TYP and SLP_EN in the same byte); bytes outside the registers go
 * back to the bus. */
static uint32_t acpi_pm_io_read(void *opaque, uint16_t port, unsigned size)
{
    struct acpi_pm *pm = opaque;
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint16_t p = (uint16_t)(port + k);
        int b = acpi_pm_read_byte(pm, (uint16_t)(p - pm->base));
        v |= (b >= 0 ? (uint32_t)b : bus_io_read(pm->bus, p, 1) & 0xFFu) << (8 * k);
    }
    return v;
}

static void acpi_pm_io_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct acpi_pm *pm = opaque;
    for (unsigned k = 0; k < size; k++) {
        uint16_t p = (uint16_t)(port + k);
        uint8_t b = (uint8_t)(value >> (8 * k));
        if (!acpi_pm_write_byte(pm, (uint16_t)(p - pm->base), b))
            bus_io_write(pm->bus, p, b, 1);
    }
    acpi_pm_update(pm);
}

struct acpi_pm *acpi_pm_create(struct bus *bus, uint16_t base, struct clock *clock,
                               struct irq_line *sci, void (*poweroff)(void *), void *opaque)
{
    struct acpi_pm *pm = calloc(1, sizeof(*pm));
    if (pm == NULL)
        return NULL;
    pm->bus = bus;
    pm->base = base;
    pm->clock = clock;
    pm->sci = sci;
    pm->poweroff = poweroff;
    pm->opaque = opaque;
    clock_event_init(&pm->tmr_event, acpi_pm_tmr_event, pm);
    if (bus_register_io(bus, base, 6, BUS_WALL, pm, acpi_pm_io_read, acpi_pm_io_write) != 0 ||
        bus_register_io(bus, (uint16_t)(base + ACPI_PM_TMR), 4, BUS_WALL, pm, acpi_pm_io_read,
                        acpi_pm_io_write) != 0) {
        free(pm);
        return NULL;
    }
    acpi_pm_reset(pm);
    return pm;
}

void acpi_pm_destroy(struct acpi_pm *pm)
{
    if (pm == NULL)
        return;
    clock_cancel(pm->clock, &pm->tmr_event);
    free(pm);
}

void acpi_pm_reset(struct acpi_pm *pm)
{
    pm->sts = 0;
    pm->en = 0;
    pm->cnt = 0;
    pm->tmr_mark = acpi_pm_count(pm) >> TMR_STS_SHIFT;
    acpi_pm_update(pm);
}

void acpi_pm_power_button(struct acpi_pm *pm)
{
    pm->sts |= PM1_PWRBTN;
    acpi_pm_update(pm);
}
