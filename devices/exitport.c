/*
 * exitport.c - the isa-debug-exit port.
 */
#include "devices/exitport.h"

#include <stdlib.h>

#include "devices/bus.h"

struct exitport {
    bool requested;
    uint32_t value;
    exitport_notify_fn *notify;
    void *opaque;
};

static void exitport_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct exitport *ep = opaque;
    (void)port;
    (void)size;
    ep->requested = true;
    ep->value = value;
    if (ep->notify != NULL)
        ep->notify(ep->opaque);
}

struct exitport *exitport_create(struct bus *bus, uint16_t port, exitport_notify_fn *notify,
                                 void *opaque)
{
    struct exitport *ep = calloc(1, sizeof(*ep));
    if (ep == NULL)
        return NULL;
    ep->notify = notify;
    ep->opaque = opaque;
    /* Write-only: reads float high like an unclaimed port. */
    if (bus_register_io(bus, port, 1, BUS_WALL, ep, NULL, exitport_write) != 0) {
        free(ep);
        return NULL;
    }
    return ep;
}

void exitport_destroy(struct exitport *ep)
{
    free(ep);
}

bool exitport_requested(const struct exitport *ep, uint32_t *value)
{
    if (ep->requested && value != NULL)
        *value = ep->value;
    return ep->requested;
}

void exitport_reset(struct exitport *ep)
{
    ep->requested = false;
    ep->value = 0;
}
