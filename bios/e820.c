/*
 * e820.c - the PC's physical memory map (see bios/e820.h).
 */
#include "bios/e820.h"

/* Append one range if there is room; returns the new count. */
static unsigned e820_add(struct e820_entry *out, unsigned n, unsigned max, uint64_t addr,
                         uint64_t end, enum e820_type type)
{
    if (n >= max || end <= addr)
        return n;
    out[n].addr = addr;
    out[n].size = end - addr;
    out[n].type = (uint32_t)type;
    return n + 1;
}

unsigned e820_build(uint32_t ram_size, struct e820_entry *out, unsigned max)
{
    unsigned n = 0;
    uint64_t ram = ram_size;
    uint64_t low = ram < E820_EBDA_START ? ram : E820_EBDA_START;
    n = e820_add(out, n, max, 0, low, E820_USABLE);
    if (ram > E820_EBDA_START)
        n = e820_add(out, n, max, E820_EBDA_START, E820_LOW_END, E820_RESERVED);
    n = e820_add(out, n, max, E820_BIOS_AREA, E820_HIGH_START, E820_RESERVED);
    if (ram > E820_HIGH_START)
        n = e820_add(out, n, max, E820_HIGH_START, ram, E820_USABLE);
    n = e820_add(out, n, max, E820_ROM_START, (uint64_t)1 << 32, E820_RESERVED);
    return n;
}
