/*
 * portb.c - system control port B (61h): the PIT counter 2 gate, the
 * speaker enable, the NMI check enables and the status bits software
 * polls (refresh toggle, OUT2).
 */
#include "devices/portb.h"

#include <stdbool.h>
#include <stdlib.h>

#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/pit.h"

#define PORTB_TIMER2_GATE 0x01u
#define PORTB_WRITABLE 0x0Fu /* bits 0-3; 4-7 are status */
#define PORTB_REFRESH 0x10u
#define PORTB_OUT2 0x20u

/* The refresh request comes every 18 PIT input clocks (the PC's counter 1
 * count), 15.085 us; bit 4 flips on each one. */
#define PORTB_REFRESH_PIT_CLOCKS 18u

struct portb {
    struct clock *clk;
    struct pit *pit;
    uint8_t control; /* the writable bits */
};

static uint32_t portb_read(void *opaque, uint16_t port, unsigned size)
{
    struct portb *pb = opaque;
    (void)port;
    (void)size;
    uint32_t v = pb->control;
    uint64_t pit_clocks = clock_ticks_to_hz(pb->clk, clock_now(pb->clk), CLOCK_HZ_PIT);
    if ((pit_clocks / PORTB_REFRESH_PIT_CLOCKS) & 1u)
        v |= PORTB_REFRESH;
    if (pit_out(pb->pit, 2))
        v |= PORTB_OUT2;
    return v;
}

static void portb_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct portb *pb = opaque;
    (void)port;
    (void)size;
    pb->control = (uint8_t)(value & PORTB_WRITABLE);
    pit_set_gate(pb->pit, 2, (value & PORTB_TIMER2_GATE) != 0);
}

struct portb *portb_create(struct bus *bus, uint16_t port, struct clock *clk, struct pit *pit)
{
    if (bus == NULL || clk == NULL)
        return NULL;
    struct portb *pb = calloc(1, sizeof(*pb));
    if (pb == NULL)
        return NULL;
    pb->clk = clk;
    pb->pit = pit;
    if (bus_register_io(bus, port, 1, BUS_W8, pb, portb_read, portb_write) != 0) {
        free(pb);
        return NULL;
    }
    portb_reset(pb);
    return pb;
}

void portb_destroy(struct portb *pb)
{
    free(pb);
}

void portb_reset(struct portb *pb)
{
    if (pb == NULL)
        return;
    pb->control = 0;
    pit_set_gate(pb->pit, 2, false);
}
