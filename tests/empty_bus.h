/*
 * empty_bus.h - the port bus of a unit-test machine with nothing on it:
 * reads float high (FFh bytes), writes go nowhere, and an interrupt
 * acknowledge returns vector 20h.  Shared by tests that need no devices.
 */
#ifndef TESTS_EMPTY_BUS_H
#define TESTS_EMPTY_BUS_H

#include <stdint.h>

#include "cpu/cpu.h"

static inline uint32_t empty_bus_in(void *opaque, uint16_t port, unsigned size)
{
    (void)opaque;
    (void)port;
    (void)size;
    return 0xFFFFFFFFu;
}

static inline void empty_bus_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    (void)opaque;
    (void)port;
    (void)value;
    (void)size;
}

static inline uint8_t empty_bus_ack(void *opaque)
{
    (void)opaque;
    return 0x20;
}

/** The callbacks above, with `opaque` for the machine. */
static inline struct cpu_bus_ops empty_bus(void *opaque)
{
    struct cpu_bus_ops b = {opaque, empty_bus_in, empty_bus_out, empty_bus_ack};
    return b;
}

#endif
