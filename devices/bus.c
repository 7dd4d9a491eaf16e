/*
 * bus.c - port-I/O dispatch: a 64 Ki-entry table maps every port to the
 * index of the range that claims it (0 = unclaimed), so a dispatch is one
 * table load.
 */
#include "devices/bus.h"

#include <stdlib.h>

#include "mmu/mmu.h"

#define BUS_PORTS 0x10000u

struct bus_range {
    uint16_t base;
    unsigned widths;
    void *opaque;
    bus_read_fn *read;
    bus_write_fn *write;
};

/* An MMIO window; the MMU calls back through it. */
struct bus_mmio {
    uint32_t base;
    unsigned widths;
    void *opaque;
    bus_mmio_read_fn *read;
    bus_mmio_write_fn *write;
    struct bus_mmio *next;
};

struct bus {
    uint16_t owner[BUS_PORTS]; /* index + 1 into ranges, 0 when unclaimed */
    struct bus_range *ranges;  /* a released range keeps its slot, emptied */
    unsigned nranges;
    struct mmu *mmu;
    struct bus_mmio *mmio;
};

struct bus *bus_create(void)
{
    return calloc(1, sizeof(struct bus));
}

void bus_destroy(struct bus *bus)
{
    if (bus == NULL)
        return;
    while (bus->mmio != NULL) {
        struct bus_mmio *m = bus->mmio;
        bus->mmio = m->next;
        free(m);
    }
    free(bus->ranges);
    free(bus);
}

int bus_register_io(struct bus *bus, uint16_t base, uint32_t count, unsigned widths, void *opaque,
                    bus_read_fn *read, bus_write_fn *write)
{
    if (count == 0 || (uint32_t)base + count > BUS_PORTS || bus->nranges >= 0xFFFFu)
        return -1;
    for (uint32_t p = base; p < (uint32_t)base + count; p++)
        if (bus->owner[p] != 0)
            return -1;
    struct bus_range *r = realloc(bus->ranges, (bus->nranges + 1) * sizeof(*r));
    if (r == NULL)
        return -1;
    bus->ranges = r;
    r[bus->nranges] = (struct bus_range){ base, widths & BUS_WALL, opaque, read, write };
    bus->nranges++;
    for (uint32_t p = base; p < (uint32_t)base + count; p++)
        bus->owner[p] = (uint16_t)bus->nranges;
    return 0;
}

int bus_unregister_io(struct bus *bus, uint16_t base)
{
    unsigned idx = bus->owner[base];
    if (idx == 0 || bus->ranges[idx - 1].base != base)
        return -1;
    for (uint32_t p = base; p < BUS_PORTS && bus->owner[p] == idx; p++)
        bus->owner[p] = 0;
    bus->ranges[idx - 1] = (struct bus_range){ 0 };
    return 0;
}

void bus_attach_mmu(struct bus *bus, struct mmu *mmu) { bus->mmu = mmu; }

static uint32_t bus_mmio_read(void *opaque, uint32_t addr, unsigned size)
{
    const struct bus_mmio *m = opaque;
    if (m->widths & size)
        return m->read != NULL ? m->read(m->opaque, addr, size) : 0xFFFFFFFFu;
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint32_t b = (m->widths & BUS_W8) && m->read != NULL ? m->read(m->opaque, addr + k, 1) : 0xFF;
        v |= (b & 0xFFu) << (8 * k);
    }
    return v;
}

static void bus_mmio_write(void *opaque, uint32_t addr, uint32_t value, unsigned size)
{
    const struct bus_mmio *m = opaque;
    if (m->write == NULL)
        return;
    if (m->widths & size) {
        m->write(m->opaque, addr, value, size);
        return;
    }
    if (!(m->widths & BUS_W8))
        return;
    for (unsigned k = 0; k < size; k++)
        m->write(m->opaque, addr + k, (value >> (8 * k)) & 0xFFu, 1);
}

int bus_register_mmio(struct bus *bus, uint32_t base, uint32_t size, unsigned widths,
                      void *opaque, bus_mmio_read_fn *read, bus_mmio_write_fn *write)
{
    if (bus->mmu == NULL)
        return -1;
    struct bus_mmio *m = malloc(sizeof(*m));
    if (m == NULL)
        return -1;
    *m = (struct bus_mmio){ base, widths & BUS_WALL, opaque, read, write, bus->mmio };
    const struct mmu_mmio_ops ops = { m, bus_mmio_read, bus_mmio_write };
    if (mmu_map_mmio(bus->mmu, base, size, &ops) != 0) {
        free(m);
        return -1;
    }
    bus->mmio = m;
    return 0;
}

int bus_unregister_mmio(struct bus *bus, uint32_t base)
{
    for (struct bus_mmio **pp = &bus->mmio; *pp != NULL; pp = &(*pp)->next) {
        if ((*pp)->base != base)
            continue;
        if (mmu_unmap(bus->mmu, base) != 0)
            return -1;
        struct bus_mmio *m = *pp;
        *pp = m->next;
        free(m);
        return 0;
    }
    return -1;
}

/* The range that takes a `size`-byte access at `port` whole, or NULL. */
static const struct bus_range *bus_whole(const struct bus *bus, uint16_t port, unsigned size)
{
    unsigned idx = bus->owner[port];
    if (idx == 0 || !(bus->ranges[idx - 1].widths & size))
        return NULL;
    return &bus->ranges[idx - 1];
}

static uint32_t bus_mask(unsigned size)
{
    return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}

uint32_t bus_io_read(struct bus *bus, uint16_t port, unsigned size)
{
    const struct bus_range *r = bus_whole(bus, port, size);
    if (r != NULL)
        return r->read != NULL ? r->read(r->opaque, port, size) & bus_mask(size) : bus_mask(size);
    if (size == 1)
        return 0xFF;
    /* Split: port numbers wrap at 0xFFFF as the 16-bit I/O address does. */
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v |= bus_io_read(bus, (uint16_t)(port + k), 1) << (8 * k);
    return v;
}

void bus_io_write(struct bus *bus, uint16_t port, uint32_t value, unsigned size)
{
    const struct bus_range *r = bus_whole(bus, port, size);
    if (r != NULL) {
        if (r->write != NULL)
            r->write(r->opaque, port, value & bus_mask(size), size);
        return;
    }
    if (size == 1)
        return;
    for (unsigned k = 0; k < size; k++)
        bus_io_write(bus, (uint16_t)(port + k), (value >> (8 * k)) & 0xFF, 1);
}
