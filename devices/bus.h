/*
 * bus.h - the port-I/O bus of the board.
 *
 * Devices claim port ranges with (opaque, read, write, widths) callbacks;
 * the board routes the CPU's IN/OUT through bus_io_read/bus_io_write.
 * An unclaimed port reads as all ones (the ISA bus floats high) and drops
 * writes.  An access whose width the owning device does not accept is
 * split into byte accesses on consecutive ports, as an 8-bit ISA device
 * sees a 16-bit access from the CPU; a byte access to a device that does
 * not accept bytes behaves as unclaimed.
 */
#ifndef DEVICES_BUS_H
#define DEVICES_BUS_H

#include <stdint.h>

struct bus;
struct mmu;

/* Accepted access widths (a mask for bus_register_io). */
enum { BUS_W8 = 1u, BUS_W16 = 2u, BUS_W32 = 4u, BUS_WALL = 7u };

/* size is 1, 2 or 4; port is the first port of the access. */
typedef uint32_t bus_read_fn(void *opaque, uint16_t port, unsigned size);
typedef void bus_write_fn(void *opaque, uint16_t port, uint32_t value, unsigned size);

/** An empty bus (no port claimed).  NULL on allocation failure. */
struct bus *bus_create(void);
void bus_destroy(struct bus *bus);

/**
 * Claim ports [base, base + count).  `widths` is a mask of BUS_W*; `read`
 * or `write` may be NULL (reads then return all ones, writes are dropped).
 * Returns 0, or -1 if the range is empty, wraps past 0xFFFF, overlaps a
 * claimed port or cannot be allocated.
 */
int bus_register_io(struct bus *bus, uint16_t base, uint32_t count, unsigned widths, void *opaque,
                    bus_read_fn *read, bus_write_fn *write);

/** Release the range that starts at `base` (a device going away or a PCI
 * I/O BAR moving).  Returns 0, or -1 if no range starts there. */
int bus_unregister_io(struct bus *bus, uint16_t base);

/* Memory-mapped I/O: windows in the physical address space, decoded by the
 * MMU (mmu_map_mmio), registered through the bus so that devices never
 * deal with the MMU.  An access of a width the device does not accept is
 * split into byte accesses, as for ports. */
typedef uint32_t bus_mmio_read_fn(void *opaque, uint32_t addr, unsigned size);
typedef void bus_mmio_write_fn(void *opaque, uint32_t addr, uint32_t value, unsigned size);

/** The address space MMIO windows go into (the board calls this once). */
void bus_attach_mmu(struct bus *bus, struct mmu *mmu);
/** Map [base, base + size) (4 KiB aligned) to the device.  Returns 0, or -1
 * if no MMU is attached, the window overlaps another, or on allocation
 * failure. */
int bus_register_mmio(struct bus *bus, uint32_t base, uint32_t size, unsigned widths,
                      void *opaque, bus_mmio_read_fn *read, bus_mmio_write_fn *write);
/** Unmap the MMIO window that starts at `base`.  Returns 0 or -1. */
int bus_unregister_mmio(struct bus *bus, uint32_t base);

/** Port input of `size` (1, 2 or 4) bytes; unclaimed bytes read as 0xFF. */
uint32_t bus_io_read(struct bus *bus, uint16_t port, unsigned size);
/** Port output of `size` (1, 2 or 4) bytes. */
void bus_io_write(struct bus *bus, uint16_t port, uint32_t value, unsigned size);

#endif
