/*
 * elf_image.h - kernel images for the direct loaders: where their bytes go
 * in guest RAM, checked against the machine's memory map, and the
 * placement of what a loader adds after them (boot information, modules).
 *
 * A load plan is a list of segments (file bytes copied to a physical
 * address, then zeroes up to the segment's memory size) and an entry
 * point.  It comes from an ELF32 executable's program headers (read with
 * libelf, so any host byte order works) or from addresses a boot header
 * gives explicitly (Multiboot's a.out kludge and address tag).
 *
 * Every failure is a one-line message in the caller's buffer naming what
 * is wrong; no input makes these functions touch memory outside the image
 * or outside guest RAM.
 */
#ifndef BIOS_ELF_IMAGE_H
#define BIOS_ELF_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bios/e820.h"

struct mmu;

/* The first byte a loader may write: below it are the real-mode
 * interrupt vector table (0-3FFh) and the BIOS data area (400h-4FFh),
 * which guests and their real-mode helpers still use. */
#define ELF_IMAGE_LOW_LIMIT 0x500u

/* Memory map entries kept (e820_build gives a handful). */
#define ELF_IMAGE_MAP_MAX 16

/* One piece of the image: file bytes [offset, offset + filesz) copied to
 * [paddr, paddr + filesz), then zeroes up to paddr + memsz. */
struct elf_image_segment {
    uint64_t offset;
    uint32_t paddr;
    uint32_t filesz;
    uint32_t memsz; /* >= filesz, > 0 */
};

struct elf_image {
    struct elf_image_segment *seg; /* malloc'd */
    unsigned nseg;
    uint32_t entry; /* physical address of the first instruction */
};

/* The machine's RAM as the loaders see it: its size and memory map. */
struct elf_image_ram {
    uint32_t ram_size;
    unsigned nmap;
    struct e820_entry map[ELF_IMAGE_MAP_MAX];
};

/** Format a one-line message into err (NULL or errlen 0: nothing). */
void elf_image_error(char *err, size_t errlen, const char *fmt, ...);

/**
 * Fill `ram` for a machine with `ram_size` bytes of RAM (the memory map
 * from e820_build).  Fails if `ram_size` exceeds the RAM `mmu` has.
 * Returns 0 or -1 with a message.
 */
int elf_image_ram_init(struct elf_image_ram *ram, struct mmu *mmu, uint32_t ram_size, char *err,
                       size_t errlen);

/**
 * Kibibytes of usable RAM from 0 (mem_lower) and from 1 MiB (mem_upper)
 * up to the first hole, as Multiboot's basic memory information reports
 * them.
 */
void elf_image_basic_meminfo(const struct elf_image_ram *ram, uint32_t *lower_kib,
                             uint32_t *upper_kib);

/**
 * Build a plan from an ELF image: it must be ELFCLASS32, little-endian,
 * ET_EXEC, EM_386, with at least one PT_LOAD segment; segments are
 * loaded at their physical addresses (p_paddr) and the entry point
 * e_entry, a virtual address, is translated through the segment whose
 * virtual range contains it (kernels linked to run high then work too).
 * Every file range must lie inside the image.  Returns 0 with `out`
 * filled (free it with elf_image_free), or -1 with a message.
 */
int elf_image_from_elf(const uint8_t *image, size_t size, struct elf_image *out, char *err,
                       size_t errlen);

/**
 * Build a one-segment plan from explicit addresses (Multiboot's a.out
 * kludge, Multiboot 2's address tag): the file from `offset` is loaded
 * at `load_addr`; `load_end_addr` ends the file part (0: the rest of the
 * file), `bss_end_addr` ends the zeroed part (0: none).  `entry` must lie
 * inside the loaded bytes.  `what` names the header in messages.
 * Returns 0 or -1 with a message.
 */
int elf_image_from_addresses(const char *what, size_t size, uint64_t offset, uint32_t load_addr,
                             uint32_t load_end_addr, uint32_t bss_end_addr, uint32_t entry,
                             struct elf_image *out, char *err, size_t errlen);

/** Release a plan's segment list (NULL-safe, idempotent). */
void elf_image_free(struct elf_image *img);

/**
 * Check that [start, start + len) lies in usable RAM at or above
 * ELF_IMAGE_LOW_LIMIT.  `what` names the range in the message
 * ("segment 2").  Returns 0 or -1 with a message.
 */
int elf_image_check_range(const struct elf_image_ram *ram, const char *what, uint64_t start,
                          uint64_t len, char *err, size_t errlen);

/**
 * Check every segment of the plan against `ram` and copy it into guest
 * memory (file bytes, then zeroes).  Returns 0 or -1 with a message, in
 * which case nothing has been written.
 */
int elf_image_load(struct mmu *mmu, const struct elf_image_ram *ram, const struct elf_image *img,
                   const uint8_t *image, size_t size, char *err, size_t errlen);

/** One past the highest physical byte the plan occupies. */
uint64_t elf_image_end(const struct elf_image *img);

/**
 * First-fit placement above a cursor: the lowest address >= *cursor,
 * aligned to `align` (a power of two), such that [addr, addr + size)
 * lies inside one usable memory map entry at or above
 * ELF_IMAGE_LOW_LIMIT.  On success stores it in *addr, advances *cursor
 * past it and returns true; false if nothing fits.
 */
bool elf_image_place(const struct elf_image_ram *ram, uint64_t *cursor, uint64_t size,
                     uint32_t align, uint32_t *addr);

/** Write `len` zero bytes of guest memory at `addr`. */
void elf_image_zero(struct mmu *mmu, uint32_t addr, uint64_t len);

#endif
