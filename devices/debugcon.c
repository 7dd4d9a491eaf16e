/*
 * debugcon.c - the 0xE9 debug console.  Byte-wide only: a wider OUT is
 * split by the bus into bytes on consecutive ports, so only its low byte
 * lands here (QEMU's debugcon behaves the same).
 */
#include "devices/debugcon.h"

#include <stdlib.h>

#include "devices/bus.h"

struct debugcon {
    FILE *out;
    uint16_t port;
};

/* Reading the port returns 0xE9, the value Bochs and QEMU use so that a
 * guest can detect the console before writing to it. */
static uint32_t debugcon_read(void *opaque, uint16_t port, unsigned size)
{
    (void)opaque;
    (void)port;
    (void)size;
    return 0xE9;
}

static void debugcon_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct debugcon *dc = opaque;
    (void)port;
    (void)size;
    if (dc->out != NULL) {
        fputc((int)(value & 0xFF), dc->out);
        /* The guest's output must be visible in order with the host-side
         * reports on stderr and survive an abrupt end of the process. */
        fflush(dc->out);
    }
}

struct debugcon *debugcon_create(struct bus *bus, uint16_t port, FILE *out)
{
    struct debugcon *dc = calloc(1, sizeof(*dc));
    if (dc == NULL)
        return NULL;
    dc->out = out;
    dc->port = port;
    if (bus_register_io(bus, port, 1, BUS_W8, dc, debugcon_read, debugcon_write) != 0) {
        free(dc);
        return NULL;
    }
    return dc;
}

void debugcon_destroy(struct debugcon *dc)
{
    free(dc);
}
