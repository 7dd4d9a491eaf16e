/*
 * multiboot.h - the Multiboot 1 (spec 0.6.96) and Multiboot 2 (spec 2.0)
 * direct loaders: `-kernel kernel.elf` boots a hobby OS as GRUB would.
 *
 * mb_load finds the image's Multiboot header, loads the image (ELF32
 * program headers, or the header's explicit addresses), builds the boot
 * information and module copies after the kernel's highest byte, and
 * returns the entry state; mb_apply_entry puts a reset CPU in it.
 *
 * Boot data layout (both versions): starting at the first page boundary
 * after the kernel, one page-aligned block holds the boot information
 * structure and everything it points to (memory map, module list,
 * strings), then each module's bytes follow on their own page boundary.
 * All of it lies in usable RAM (the memory map of bios/e820.h) below the
 * top of RAM; the kernel is never overwritten.  Loading is deterministic:
 * the same inputs give the same bytes at the same addresses, so a reset
 * hook can simply load again.
 */
#ifndef BIOS_MULTIBOOT_H
#define BIOS_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "bios/bios.h"

struct mmu;
struct cpu;

/* Multiboot 1: header magic in the image, and EAX at entry. */
#define MB1_HEADER_MAGIC 0x1BADB002u
#define MB1_BOOT_MAGIC 0x2BADB002u
#define MB1_SEARCH_LIMIT 8192u /* header within the first 8 KiB, 4-aligned */

/* Multiboot 1 header flags (0.6.96, 3.1.2).  Bits 0-15 are requirements:
 * a loader that does not know one must refuse the image. */
#define MB1_FLAG_PAGE_ALIGN 0x00000001u /* modules on 4 KiB boundaries */
#define MB1_FLAG_MEMORY_INFO 0x00000002u /* mem_* and mmap_* wanted */
#define MB1_FLAG_VIDEO_MODE 0x00000004u /* video mode table wanted */
#define MB1_FLAG_AOUT_KLUDGE 0x00010000u /* the address fields are valid */

/* Multiboot 1 boot information flags (0.6.96, 3.3): which fields are
 * valid. */
#define MB1_INFO_MEMORY 0x00000001u /* mem_lower, mem_upper */
#define MB1_INFO_CMDLINE 0x00000004u
#define MB1_INFO_MODS 0x00000008u
#define MB1_INFO_MMAP 0x00000040u
#define MB1_INFO_LOADER_NAME 0x00000200u
#define MB1_INFO_SIZE 116u /* through the framebuffer fields */
#define MB1_MODULE_SIZE 16u
#define MB1_MMAP_ENTRY_SIZE 24u /* the size field (20) + 20 bytes */

/* Multiboot 2: header magic, EAX at entry, header search window. */
#define MB2_HEADER_MAGIC 0xE85250D6u
#define MB2_BOOT_MAGIC 0x36D76289u
#define MB2_SEARCH_LIMIT 32768u /* header within the first 32 KiB, 8-aligned */
#define MB2_ARCH_I386 0u

/* Multiboot 2 boot information tag types (spec 2.0, 3.6). */
#define MB2_TAG_END 0u
#define MB2_TAG_CMDLINE 1u
#define MB2_TAG_LOADER_NAME 2u
#define MB2_TAG_MODULE 3u
#define MB2_TAG_BASIC_MEMINFO 4u
#define MB2_TAG_MMAP 6u
#define MB2_MMAP_ENTRY_SIZE 24u

/* A boot module: bytes copied into RAM, with an optional command line. */
struct mb_module {
    const uint8_t *data;
    size_t size;
    const char *cmdline; /* NULL: empty */
};

/* What to boot. */
struct mb_boot {
    const uint8_t *image;
    size_t image_size;
    const char *cmdline; /* NULL: empty */
    const struct mb_module *modules;
    unsigned nmodules;
    const char *loader_name; /* e.g. "ringzero"; NULL: empty */
};

enum mb_kind { MB_NONE = 0, MB_V1, MB_V2 };

/**
 * Which Multiboot header the image has: a Multiboot 1 header (magic and
 * a checksum that makes magic + flags + checksum zero) at a 4-aligned
 * offset within its first 8192 bytes, else a Multiboot 2 header (magic,
 * architecture 0 = i386, checksum over magic, architecture and length)
 * at an 8-aligned offset within its first 32768 bytes, else MB_NONE.
 * Multiboot 1 wins when both are present, as with QEMU's -kernel.
 */
enum mb_kind mb_detect(const uint8_t *image, size_t size);

/**
 * Load a Multiboot kernel, its modules and boot information into RAM
 * (the first `ram_size` bytes of `mmu`'s RAM, described by e820_build)
 * and enable the A20 gate.  On success fills *entry (flat 32-bit at the
 * kernel's entry point, default stack), *eax (the boot magic) and *ebx
 * (the boot information's address) and returns 0.  On failure writes a
 * one-line reason into err and returns -1; guest RAM may then hold part
 * of the image.
 *
 * Multiboot 1: required header flags 0 (page-aligned modules: always
 * done), 1 (memory information: always given) and 2 (video mode: no
 * framebuffer is described, the info flag stays clear) are accepted, any
 * other bit 0-15 is refused.  With bit 16 the header's address fields
 * load the image (a.out kludge); otherwise it must be an ELF32 i386
 * executable.
 *
 * Multiboot 2: header tags information request (an unsupported type in
 * a required request is refused), address, entry address, console flags
 * (a required console cannot be described: refused), framebuffer
 * (optional only), module alignment, relocatable (loaded at its linked
 * address), EFI tags (ignored: this is a BIOS machine), end.  The boot
 * information has the tags command line, boot loader name, one module
 * tag per module, basic memory information, memory map and end.
 */
int mb_load(struct mmu *mmu, uint32_t ram_size, const struct mb_boot *b, struct bios_entry *entry,
            uint32_t *eax, uint32_t *ebx, char *err, size_t errlen);

/**
 * Put a freshly reset CPU in the Multiboot machine state (spec 0.6.96,
 * 3.2; 2.0, 3.3): bios_apply_entry's flat 32-bit state (CS execute/read,
 * DS/ES/FS/GS/SS read/write, all base 0 limit 4 GiB; GDTR/IDTR empty;
 * EFLAGS = 2, so IF = VM = 0), CR0.PE = 1 and CR0.PG = 0, EAX and EBX as
 * given.  ESP is bios_apply_entry's default (the spec leaves it
 * undefined).  The A20 gate is the MMU's: mb_load enables it.
 */
void mb_apply_entry(struct cpu *cpu, uint32_t ram_size, const struct bios_entry *e, uint32_t eax,
                    uint32_t ebx);

/**
 * The Multiboot 2 half of mb_load, for an image whose valid header is at
 * file offset `header_offset` (as found by mb_detect).  Same contract as
 * mb_load.
 */
int mb2_load(struct mmu *mmu, uint32_t ram_size, const struct mb_boot *b, size_t header_offset,
             struct bios_entry *entry, uint32_t *eax, uint32_t *ebx, char *err, size_t errlen);

/* Shared by the two loaders. */
struct elf_image_ram;

/** Place every module on a page boundary at or above *cursor (advanced
 * past them); addresses into mod_addr[nmodules].  Returns 0 or -1 with a
 * message naming the module that does not fit. */
int mb_place_modules(const struct elf_image_ram *ram, uint64_t *cursor, const struct mb_boot *b,
                     uint32_t *mod_addr, char *err, size_t errlen);
/** Copy every module's bytes to the address mb_place_modules chose. */
void mb_write_modules(struct mmu *mmu, const struct mb_boot *b, const uint32_t *mod_addr);

struct elf_image;
/** Writes a loader's boot information after the kernel (which ends at
 * kernel_end); its address into *info_addr.  Returns 0 or -1. */
typedef int mb_info_fn(struct mmu *mmu, const struct elf_image_ram *ram, const struct mb_boot *b,
                       uint64_t kernel_end, uint32_t *info_addr, char *err, size_t errlen);
/** The common end of both loaders, for an image already planned into
 * `img`: open A20, copy the image, write the boot information with
 * `info`, and fill the entry state (EAX = magic, EBX = the information).
 * Frees img.  Returns 0 or -1 with a message. */
int mb_load_planned(struct mmu *mmu, const struct elf_image_ram *ram, struct elf_image *img,
                    const struct mb_boot *b, mb_info_fn *info, uint32_t magic,
                    struct bios_entry *entry, uint32_t *eax, uint32_t *ebx, char *err,
                    size_t errlen);

#endif
