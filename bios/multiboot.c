/*
 * multiboot.c - header detection, the Multiboot 1 loader (spec 0.6.96)
 * and the Multiboot machine state at entry.  The Multiboot 2 loader is in
 * multiboot2.c; image loading and placement in elf_image.c.
 */
#include "bios/multiboot.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bios/elf_image.h"
#include "cpu/cpu.h"
#include "mmu/mmu.h"

/* Header offsets (0.6.96, 3.1.1). */
#define MB1_H_FLAGS 4u
#define MB1_H_CHECKSUM 8u
#define MB1_H_HEADER_ADDR 12u
#define MB1_H_LOAD_ADDR 16u
#define MB1_H_LOAD_END_ADDR 20u
#define MB1_H_BSS_END_ADDR 24u
#define MB1_H_ENTRY_ADDR 28u
#define MB1_H_MIN 12u       /* magic, flags, checksum */
#define MB1_H_ADDRESSES 32u /* through entry_addr */

/* The required-feature bits this loader honours. */
#define MB1_FLAGS_KNOWN (MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMORY_INFO | MB1_FLAG_VIDEO_MODE)

/* Boot information offsets (0.6.96, 3.3). */
#define MB1_I_FLAGS 0u
#define MB1_I_MEM_LOWER 4u
#define MB1_I_MEM_UPPER 8u
#define MB1_I_CMDLINE 16u
#define MB1_I_MODS_COUNT 20u
#define MB1_I_MODS_ADDR 24u
#define MB1_I_MMAP_LENGTH 44u
#define MB1_I_MMAP_ADDR 48u
#define MB1_I_LOADER_NAME 64u

/* Header offsets of Multiboot 2 (2.0, 3.1.1). */
#define MB2_H_ARCH 4u
#define MB2_H_LENGTH 8u
#define MB2_H_CHECKSUM 12u
#define MB2_H_MIN 16u

#define MB_PAGE 4096u

/* Offset of the first valid Multiboot 1 header, or SIZE_MAX. */
static size_t mb1_find(const uint8_t *image, size_t size)
{
    size_t limit = size < MB1_SEARCH_LIMIT ? size : MB1_SEARCH_LIMIT;
    for (size_t off = 0; off + MB1_H_MIN <= limit; off += 4) {
        const uint8_t *h = image + off;
        if (mmu_ld32(h) != MB1_HEADER_MAGIC)
            continue;
        if ((uint32_t)(mmu_ld32(h) + mmu_ld32(h + MB1_H_FLAGS) + mmu_ld32(h + MB1_H_CHECKSUM)) == 0)
            return off;
    }
    return SIZE_MAX;
}

/* Offset of the first valid Multiboot 2 header for i386, or SIZE_MAX. */
static size_t mb2_find(const uint8_t *image, size_t size)
{
    size_t limit = size < MB2_SEARCH_LIMIT ? size : MB2_SEARCH_LIMIT;
    for (size_t off = 0; off + MB2_H_MIN <= limit; off += 8) {
        const uint8_t *h = image + off;
        if (mmu_ld32(h) != MB2_HEADER_MAGIC || mmu_ld32(h + MB2_H_ARCH) != MB2_ARCH_I386)
            continue;
        uint32_t sum = mmu_ld32(h) + mmu_ld32(h + MB2_H_ARCH) + mmu_ld32(h + MB2_H_LENGTH) +
                       mmu_ld32(h + MB2_H_CHECKSUM);
        if (sum == 0)
            return off;
    }
    return SIZE_MAX;
}

enum mb_kind mb_detect(const uint8_t *image, size_t size)
{
    if (image == NULL)
        return MB_NONE;
    if (mb1_find(image, size) != SIZE_MAX)
        return MB_V1;
    if (mb2_find(image, size) != SIZE_MAX)
        return MB_V2;
    return MB_NONE;
}

/* No valid header: say why, from the first magic number found. */
static void mb_explain_missing(const uint8_t *image, size_t size, char *err, size_t errlen)
{
    size_t limit = size < MB1_SEARCH_LIMIT ? size : MB1_SEARCH_LIMIT;
    for (size_t off = 0; off + 4 <= limit; off += 4) {
        const uint8_t *h = image + off;
        if (mmu_ld32(h) != MB1_HEADER_MAGIC)
            continue;
        if (off + MB1_H_MIN > size) {
            elf_image_error(err, errlen, "truncated Multiboot 1 header at offset 0x%zX: the file "
                            "ends after %zu of its 12 bytes", off, size - off);
            return;
        }
        uint32_t sum = mmu_ld32(h) + mmu_ld32(h + MB1_H_FLAGS) + mmu_ld32(h + MB1_H_CHECKSUM);
        elf_image_error(err, errlen, "Multiboot 1 header at offset 0x%zX has a bad checksum "
                        "(magic + flags + checksum = 0x%08" PRIX32 ", not 0)", off, sum);
        return;
    }
    limit = size < MB2_SEARCH_LIMIT ? size : MB2_SEARCH_LIMIT;
    for (size_t off = 0; off + 4 <= limit; off += 8) {
        const uint8_t *h = image + off;
        if (mmu_ld32(h) != MB2_HEADER_MAGIC)
            continue;
        if (off + MB2_H_MIN > size) {
            elf_image_error(err, errlen, "truncated Multiboot 2 header at offset 0x%zX: the file "
                            "ends after %zu of its 16 bytes", off, size - off);
            return;
        }
        uint32_t arch = mmu_ld32(h + MB2_H_ARCH);
        uint32_t sum = mmu_ld32(h) + arch + mmu_ld32(h + MB2_H_LENGTH) + mmu_ld32(h + MB2_H_CHECKSUM);
        if (sum != 0)
            elf_image_error(err, errlen, "Multiboot 2 header at offset 0x%zX has a bad checksum "
                            "(magic + architecture + length + checksum = 0x%08" PRIX32 ", not 0)",
                            off, sum);
        else
            elf_image_error(err, errlen, "Multiboot 2 header at offset 0x%zX is for architecture %"
                            PRIu32 ", not i386 (0)", off, arch);
        return;
    }
    elf_image_error(err, errlen, "no Multiboot header (magic 0x1BADB002 in the first 8192 bytes "
                    "or 0xE85250D6 in the first 32768 bytes)");
}

/* The load plan of a Multiboot 1 image: the a.out kludge addresses when
 * flag 16 is set (they take precedence over an ELF header), else ELF. */
static int mb1_plan(const uint8_t *image, size_t size, size_t off, uint32_t flags,
                    struct elf_image *img, char *err, size_t errlen)
{
    if (!(flags & MB1_FLAG_AOUT_KLUDGE))
        return elf_image_from_elf(image, size, img, err, errlen);
    if (off + MB1_H_ADDRESSES > size) {
        elf_image_error(err, errlen, "truncated Multiboot 1 header at offset 0x%zX: flag 16 needs "
                        "the address fields (32 bytes) but the file ends after %zu",
                        off, size - off);
        return -1;
    }
    const uint8_t *h = image + off;
    uint32_t header_addr = mmu_ld32(h + MB1_H_HEADER_ADDR);
    uint32_t load_addr = mmu_ld32(h + MB1_H_LOAD_ADDR);
    /* 0.6.96, 3.1.3: the file offset of load_addr is the header's offset
     * minus (header_addr - load_addr). */
    if (load_addr > header_addr) {
        elf_image_error(err, errlen, "Multiboot 1 a.out kludge: load_addr 0x%" PRIX32
                        " is above header_addr 0x%" PRIX32, load_addr, header_addr);
        return -1;
    }
    if (header_addr - load_addr > off) {
        elf_image_error(err, errlen, "Multiboot 1 a.out kludge: header_addr - load_addr = 0x%" PRIX32
                        " is more than the header's file offset 0x%zX",
                        header_addr - load_addr, off);
        return -1;
    }
    return elf_image_from_addresses("Multiboot 1 a.out kludge", size,
                                    off - (header_addr - load_addr), load_addr,
                                    mmu_ld32(h + MB1_H_LOAD_END_ADDR),
                                    mmu_ld32(h + MB1_H_BSS_END_ADDR),
                                    mmu_ld32(h + MB1_H_ENTRY_ADDR), img, err, errlen);
}

/* Where the pieces of the boot information block go, as offsets. */
struct mb1_layout {
    uint64_t mmap, mods, cmdline, loader_name, mod_cmdlines, size;
};

static const char *mb_str(const char *s) { return s != NULL ? s : ""; }

static void mb1_layout(const struct mb_boot *b, unsigned nmap, struct mb1_layout *l)
{
    l->mmap = MB1_INFO_SIZE;
    l->mods = l->mmap + (uint64_t)nmap * MB1_MMAP_ENTRY_SIZE;
    l->cmdline = l->mods + (uint64_t)b->nmodules * MB1_MODULE_SIZE;
    l->loader_name = l->cmdline + strlen(mb_str(b->cmdline)) + 1;
    l->mod_cmdlines = l->loader_name + (b->loader_name ? strlen(b->loader_name) + 1 : 0);
    l->size = l->mod_cmdlines;
    for (unsigned k = 0; k < b->nmodules; k++)
        l->size += strlen(mb_str(b->modules[k].cmdline)) + 1;
}

/* Fill the boot information block (host copy, placed at `base`). */
static void mb1_fill(uint8_t *blk, uint32_t base, const struct mb1_layout *l,
                     const struct mb_boot *b, const struct elf_image_ram *ram,
                     const uint32_t *mod_addr)
{
    uint32_t flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MMAP;
    uint32_t lower, upper;
    elf_image_basic_meminfo(ram, &lower, &upper);
    mmu_st32(blk + MB1_I_MEM_LOWER, lower);
    mmu_st32(blk + MB1_I_MEM_UPPER, upper);

    /* Memory map entries: a size field (20, not counting itself), then
     * base_addr, length (64-bit) and type (0.6.96, 3.3). */
    for (unsigned k = 0; k < ram->nmap; k++) {
        uint8_t *e = blk + l->mmap + (size_t)k * MB1_MMAP_ENTRY_SIZE;
        mmu_st32(e, MB1_MMAP_ENTRY_SIZE - 4);
        mmu_st32(e + 4, (uint32_t)ram->map[k].addr);
        mmu_st32(e + 8, (uint32_t)(ram->map[k].addr >> 32));
        mmu_st32(e + 12, (uint32_t)ram->map[k].size);
        mmu_st32(e + 16, (uint32_t)(ram->map[k].size >> 32));
        mmu_st32(e + 20, ram->map[k].type);
    }
    mmu_st32(blk + MB1_I_MMAP_LENGTH, ram->nmap * MB1_MMAP_ENTRY_SIZE);
    mmu_st32(blk + MB1_I_MMAP_ADDR, base + (uint32_t)l->mmap);

    const char *cmdline = mb_str(b->cmdline);
    memcpy(blk + l->cmdline, cmdline, strlen(cmdline) + 1);
    mmu_st32(blk + MB1_I_CMDLINE, base + (uint32_t)l->cmdline);
    if (b->loader_name != NULL) {
        memcpy(blk + l->loader_name, b->loader_name, strlen(b->loader_name) + 1);
        mmu_st32(blk + MB1_I_LOADER_NAME, base + (uint32_t)l->loader_name);
        flags |= MB1_INFO_LOADER_NAME;
    }
    if (b->nmodules > 0) {
        /* Module entries: mod_start, mod_end (one past the last byte, as
         * GRUB passes it), string, reserved. */
        uint64_t str = l->mod_cmdlines;
        for (unsigned k = 0; k < b->nmodules; k++) {
            uint8_t *m = blk + l->mods + (size_t)k * MB1_MODULE_SIZE;
            const char *s = mb_str(b->modules[k].cmdline);
            mmu_st32(m, mod_addr[k]);
            mmu_st32(m + 4, mod_addr[k] + (uint32_t)b->modules[k].size);
            mmu_st32(m + 8, base + (uint32_t)str);
            memcpy(blk + str, s, strlen(s) + 1);
            str += strlen(s) + 1;
        }
        mmu_st32(blk + MB1_I_MODS_COUNT, b->nmodules);
        mmu_st32(blk + MB1_I_MODS_ADDR, base + (uint32_t)l->mods);
        flags |= MB1_INFO_MODS;
    }
    mmu_st32(blk + MB1_I_FLAGS, flags);
}

int mb_place_modules(const struct elf_image_ram *ram, uint64_t *cursor, const struct mb_boot *b,
                     uint32_t *mod_addr, char *err, size_t errlen)
{
    for (unsigned k = 0; k < b->nmodules; k++) {
        const struct mb_module *m = &b->modules[k];
        if (m->data == NULL && m->size != 0) {
            elf_image_error(err, errlen, "module %u has no data", k);
            return -1;
        }
        if (!elf_image_place(ram, cursor, m->size, MB_PAGE, &mod_addr[k])) {
            elf_image_error(err, errlen, "not enough RAM for module %u (0x%zX bytes) above 0x%"
                            PRIX64 " (RAM ends at 0x%" PRIX32 ")", k, m->size, *cursor,
                            ram->ram_size);
            return -1;
        }
    }
    return 0;
}

void mb_write_modules(struct mmu *mmu, const struct mb_boot *b, const uint32_t *mod_addr)
{
    for (unsigned k = 0; k < b->nmodules; k++)
        if (b->modules[k].size != 0)
            mmu_write_block(mmu, mod_addr[k], b->modules[k].data, b->modules[k].size);
}

/* Boot information and modules after the kernel; *info_addr gets the
 * information structure's address. */
int mb_load_planned(struct mmu *mmu, const struct elf_image_ram *ram, struct elf_image *img,
                    const struct mb_boot *b, mb_info_fn *info, uint32_t magic,
                    struct bios_entry *entry, uint32_t *eax, uint32_t *ebx, char *err,
                    size_t errlen)
{
    /* The gate must be open while the image is copied above 1 MiB. */
    mmu_set_a20(mmu, true);
    uint32_t info_addr = 0;
    int rc = elf_image_load(mmu, ram, img, b->image, b->image_size, err, errlen);
    if (rc == 0)
        rc = info(mmu, ram, b, elf_image_end(img), &info_addr, err, errlen);
    if (rc == 0) {
        memset(entry, 0, sizeof(*entry));
        entry->kind = BIOS_ENTRY_FLAT32;
        entry->eip = img->entry;
        *eax = magic;
        *ebx = info_addr;
    }
    elf_image_free(img);
    return rc;
}

static int mb1_boot_info(struct mmu *mmu, const struct elf_image_ram *ram, const struct mb_boot *b,
                         uint64_t kernel_end, uint32_t *info_addr, char *err, size_t errlen)
{
    struct mb1_layout l;
    mb1_layout(b, ram->nmap, &l);
    uint64_t cursor = kernel_end;
    uint32_t base;
    if (!elf_image_place(ram, &cursor, l.size, MB_PAGE, &base)) {
        elf_image_error(err, errlen, "not enough RAM for the boot information (0x%" PRIX64
                        " bytes) above the kernel's end 0x%" PRIX64 " (RAM ends at 0x%" PRIX32 ")",
                        l.size, kernel_end, ram->ram_size);
        return -1;
    }
    uint32_t *mod_addr = calloc(b->nmodules ? b->nmodules : 1, sizeof(*mod_addr));
    uint8_t *blk = calloc(1, (size_t)l.size);
    int rc = -1;
    if (mod_addr == NULL || blk == NULL) {
        elf_image_error(err, errlen, "out of memory for the boot information");
    } else if (mb_place_modules(ram, &cursor, b, mod_addr, err, errlen) == 0) {
        mb1_fill(blk, base, &l, b, ram, mod_addr);
        mmu_write_block(mmu, base, blk, (size_t)l.size);
        mb_write_modules(mmu, b, mod_addr);
        *info_addr = base;
        rc = 0;
    }
    free(blk);
    free(mod_addr);
    return rc;
}

static int mb1_load(struct mmu *mmu, uint32_t ram_size, const struct mb_boot *b, size_t off,
                    struct bios_entry *entry, uint32_t *eax, uint32_t *ebx, char *err,
                    size_t errlen)
{
    uint32_t flags = mmu_ld32(b->image + off + MB1_H_FLAGS);
    uint32_t unknown = flags & 0xFFFFu & ~MB1_FLAGS_KNOWN;
    if (unknown != 0) {
        elf_image_error(err, errlen, "Multiboot 1 header requires features this loader does not "
                        "support (flags 0x%08" PRIX32 ", unknown required bits 0x%04" PRIX32 ")",
                        flags, unknown);
        return -1;
    }
    struct elf_image_ram ram;
    if (elf_image_ram_init(&ram, mmu, ram_size, err, errlen) != 0)
        return -1;
    struct elf_image img;
    if (mb1_plan(b->image, b->image_size, off, flags, &img, err, errlen) != 0)
        return -1;
    return mb_load_planned(mmu, &ram, &img, b, mb1_boot_info, MB1_BOOT_MAGIC, entry, eax, ebx,
                           err, errlen);
}

int mb_load(struct mmu *mmu, uint32_t ram_size, const struct mb_boot *b, struct bios_entry *entry,
            uint32_t *eax, uint32_t *ebx, char *err, size_t errlen)
{
    if (b == NULL || b->image == NULL || b->image_size == 0) {
        elf_image_error(err, errlen, "empty kernel image");
        return -1;
    }
    if (b->nmodules > 0 && b->modules == NULL) {
        elf_image_error(err, errlen, "%u modules but no module list", b->nmodules);
        return -1;
    }
    int rc;
    size_t off = mb1_find(b->image, b->image_size);
    if (off != SIZE_MAX) {
        rc = mb1_load(mmu, ram_size, b, off, entry, eax, ebx, err, errlen);
    } else if ((off = mb2_find(b->image, b->image_size)) != SIZE_MAX) {
        rc = mb2_load(mmu, ram_size, b, off, entry, eax, ebx, err, errlen);
    } else {
        mb_explain_missing(b->image, b->image_size, err, errlen);
        rc = -1;
    }
    return rc;
}

void mb_apply_entry(struct cpu *cpu, uint32_t ram_size, const struct bios_entry *e, uint32_t eax,
                    uint32_t ebx)
{
    bios_apply_entry(cpu, ram_size, e);
    /* 0.6.96, 3.2: PG clear, PE set; the other CR0 bits are undefined. */
    cpu_set_cr(cpu, 0, (cpu_get_cr(cpu, 0) & ~0x80000000u) | 1u);
    cpu_set_reg(cpu, CPU_EAX, eax);
    cpu_set_reg(cpu, CPU_EBX, ebx);
}
