/*
 * e820.h - the PC's physical memory map as BIOS INT 15h, AX=E820h reports
 * it (ACPI spec 6.x, 15 "System Address Map Interfaces").
 *
 * One map for every consumer: the Linux loader's zero page, the multiboot
 * loader's memory map and the BIOS's INT 15h E820 service all call
 * e820_build(), so they can never disagree.
 */
#ifndef BIOS_E820_H
#define BIOS_E820_H

#include <stdint.h>

/* Address range types (ACPI spec, table 15-1). */
enum e820_type {
    E820_USABLE = 1,   /* AddressRangeMemory: RAM the OS may use */
    E820_RESERVED = 2, /* AddressRangeReserved: do not use */
    E820_ACPI = 3,     /* AddressRangeACPI: reclaimable after the ACPI tables are read */
    E820_NVS = 4       /* AddressRangeNVS: keep across sleep */
};

struct e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type; /* enum e820_type */
};

/* The ranges of the map, in address order. */
#define E820_EBDA_START 0x9FC00u     /* last 1 KiB of conventional memory: the EBDA */
#define E820_LOW_END 0xA0000u        /* end of conventional memory */
#define E820_BIOS_AREA 0xE0000u      /* option-ROM/BIOS area, ACPI tables (bios/acpi.h) */
#define E820_HIGH_START 0x100000u    /* extended memory */
#define E820_ROM_START 0xFFFC0000u   /* the BIOS ROM at the top of 4 GiB (256 KiB) */
#define E820_MAX_ENTRIES 8u          /* an out[] of this size always holds the whole map */

/**
 * Write the map of a board with `ram_size` bytes of RAM from address 0 into
 * out[0 .. max-1]; return the number of entries written (the whole map is
 * at most E820_MAX_ENTRIES; with a smaller `max` it is cut after `max`).
 *
 *   0         - 0x9FC00     usable (conventional memory, less the EBDA)
 *   0x9FC00   - 0xA0000     reserved (the EBDA, 1 KiB)
 *   0xE0000   - 0x100000    reserved (BIOS area, shadow RAM holding the
 *                           ACPI tables: bios/acpi.c puts them here, so
 *                           they are never typed ACPI-reclaim)
 *   0x100000  - ram_size    usable (extended memory)
 *   0xFFFC0000 - 4 GiB      reserved (BIOS ROM)
 *
 * 0xA0000-0xE0000 (VGA window and option ROMs) is a hole, as on real
 * BIOSes.  RAM smaller than 640 KiB shortens or drops the low entries, RAM
 * of 1 MiB or less has no extended-memory entry.
 */
unsigned e820_build(uint32_t ram_size, struct e820_entry *out, unsigned max);

#endif
