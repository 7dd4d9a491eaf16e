/*
 * multiboot2.c - the Multiboot 2 loader (spec 2.0): header tags, image
 * loading (ELF32 or the address tag) and the tagged boot information.
 */
#include "bios/multiboot.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bios/elf_image.h"
#include "mmu/mmu.h"

/* Header layout (2.0, 3.1): magic, architecture, header_length,
 * checksum, then 8-aligned tags of {u16 type, u16 flags, u32 size}. */
#define MB2_H_LENGTH 8u
#define MB2_H_TAGS 16u
#define MB2_TAG_HEAD 8u
#define MB2_TAG_OPTIONAL 1u /* tag flags bit 0 */

/* Header tag types (2.0, 3.1.3-3.1.13). */
enum {
    MB2_HT_END = 0,
    MB2_HT_INFO_REQUEST = 1,
    MB2_HT_ADDRESS = 2,
    MB2_HT_ENTRY = 3,
    MB2_HT_CONSOLE = 4,
    MB2_HT_FRAMEBUFFER = 5,
    MB2_HT_MODULE_ALIGN = 6,
    MB2_HT_EFI_BS = 7,
    MB2_HT_EFI32_ENTRY = 8,
    MB2_HT_EFI64_ENTRY = 9,
    MB2_HT_RELOCATABLE = 10
};

#define MB2_CONSOLE_REQUIRED 1u /* console_flags bit 0 */
#define MB2_LOAD_FROM_START 0xFFFFFFFFu /* address tag load_addr: from file offset 0 */
#define MB2_PAGE 4096u

/* What the header asks for. */
struct mb2_header {
    bool has_address, has_entry;
    uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
    uint32_t entry_addr;
};

/* Names of boot information tag types for refusals (2.0, 3.6). */
static const char *mb2_info_name(uint32_t type)
{
    static const char *const names[] = {
        "end", "command line", "boot loader name", "modules", "basic memory information",
        "BIOS boot device", "memory map", "VBE information", "framebuffer information",
        "ELF sections", "APM table", "EFI 32-bit system table", "EFI 64-bit system table",
        "SMBIOS tables", "ACPI 1.0 RSDP", "ACPI 2.0 RSDP", "networking information",
        "EFI memory map", "EFI boot services not terminated", "EFI 32-bit image handle",
        "EFI 64-bit image handle", "image load base address"
    };
    return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

static bool mb2_info_supported(uint32_t type)
{
    return type == MB2_TAG_END || type == MB2_TAG_CMDLINE || type == MB2_TAG_LOADER_NAME ||
           type == MB2_TAG_MODULE || type == MB2_TAG_BASIC_MEMINFO || type == MB2_TAG_MMAP;
}

/* A tag shorter than the fields it must have. */
static int mb2_short_tag(uint32_t type, uint32_t size, uint32_t need, char *err, size_t errlen)
{
    elf_image_error(err, errlen, "Multiboot 2 header tag type %" PRIu32 " has size %" PRIu32
                    ", at least %" PRIu32 " expected", type, size, need);
    return -1;
}

/* One header tag at `t` (size already bounded by the header). */
static int mb2_header_tag(const uint8_t *t, uint32_t size, struct mb2_header *h, char *err,
                          size_t errlen)
{
    uint32_t type = mmu_ld16(t);
    bool optional = (mmu_ld16(t + 2) & MB2_TAG_OPTIONAL) != 0;
    switch (type) {
    case MB2_HT_INFO_REQUEST:
        for (uint32_t pos = MB2_TAG_HEAD; pos + 4 <= size; pos += 4) {
            uint32_t want = mmu_ld32(t + pos);
            if (!optional && !mb2_info_supported(want)) {
                elf_image_error(err, errlen, "Multiboot 2 header requires boot information tag %"
                                PRIu32 " (%s), which this loader does not provide",
                                want, mb2_info_name(want));
                return -1;
            }
        }
        return 0;
    case MB2_HT_ADDRESS:
        if (size < 24)
            return mb2_short_tag(type, size, 24, err, errlen);
        h->has_address = true;
        h->header_addr = mmu_ld32(t + 8);
        h->load_addr = mmu_ld32(t + 12);
        h->load_end_addr = mmu_ld32(t + 16);
        h->bss_end_addr = mmu_ld32(t + 20);
        return 0;
    case MB2_HT_ENTRY:
        if (size < 12)
            return mb2_short_tag(type, size, 12, err, errlen);
        h->has_entry = true;
        h->entry_addr = mmu_ld32(t + 8);
        return 0;
    case MB2_HT_CONSOLE:
        if (size < 12)
            return mb2_short_tag(type, size, 12, err, errlen);
        if (!optional && (mmu_ld32(t + 8) & MB2_CONSOLE_REQUIRED)) {
            elf_image_error(err, errlen, "Multiboot 2 header requires a console, which this "
                            "loader cannot describe (no framebuffer information)");
            return -1;
        }
        return 0;
    case MB2_HT_FRAMEBUFFER:
        if (!optional) {
            elf_image_error(err, errlen, "Multiboot 2 header requires a framebuffer, which this "
                            "loader does not set up (mark the framebuffer tag optional)");
            return -1;
        }
        return 0;
    case MB2_HT_MODULE_ALIGN:  /* modules are always page-aligned */
    case MB2_HT_EFI_BS:        /* EFI only: this is a BIOS machine */
    case MB2_HT_EFI32_ENTRY:
    case MB2_HT_EFI64_ENTRY:
    case MB2_HT_RELOCATABLE:   /* loading at the linked address is allowed */
        return 0;
    default:
        if (optional)
            return 0;
        elf_image_error(err, errlen, "Multiboot 2 header has required tag type %" PRIu32
                        ", which this loader does not know", type);
        return -1;
    }
}

/* Walk the header's tags up to the end tag. */
static int mb2_parse_header(const uint8_t *image, size_t size, size_t off, struct mb2_header *h,
                            char *err, size_t errlen)
{
    memset(h, 0, sizeof(*h));
    uint32_t length = mmu_ld32(image + off + MB2_H_LENGTH);
    if (length < MB2_H_TAGS + MB2_TAG_HEAD) {
        elf_image_error(err, errlen, "Multiboot 2 header length %" PRIu32 " is too small (at least "
                        "24 with the end tag)", length);
        return -1;
    }
    if (length > size - off) {
        elf_image_error(err, errlen, "truncated Multiboot 2 header at offset 0x%zX: %" PRIu32
                        " bytes long but the file ends after %zu", off, length, size - off);
        return -1;
    }
    const uint8_t *hdr = image + off;
    /* Every tag is at least 8 bytes, so the walk ends within length/8 steps. */
    for (uint32_t pos = MB2_H_TAGS; pos + MB2_TAG_HEAD <= length;) {
        const uint8_t *t = hdr + pos;
        uint32_t type = mmu_ld16(t), tsize = mmu_ld32(t + 4);
        if (tsize < MB2_TAG_HEAD || tsize > length - pos) {
            elf_image_error(err, errlen, "Multiboot 2 header tag type %" PRIu32 " at offset %" PRIu32
                            " has a bad size %" PRIu32, type, pos, tsize);
            return -1;
        }
        if (type == MB2_HT_END)
            return 0;
        if (mb2_header_tag(t, tsize, h, err, errlen) != 0)
            return -1;
        uint32_t step = (tsize + 7u) & ~7u;
        if (step > length - pos)
            break;
        pos += step;
    }
    elf_image_error(err, errlen, "Multiboot 2 header has no end tag");
    return -1;
}

/* The load plan: the address tag's addresses (with the entry address
 * tag), else the ELF program headers (the entry tag, if any, replacing
 * e_entry). */
static int mb2_plan(const uint8_t *image, size_t size, size_t off, const struct mb2_header *h,
                    struct elf_image *img, char *err, size_t errlen)
{
    if (!h->has_address) {
        if (elf_image_from_elf(image, size, img, err, errlen) != 0)
            return -1;
        if (!h->has_entry)
            return 0;
        for (unsigned k = 0; k < img->nseg; k++)
            if (h->entry_addr >= img->seg[k].paddr &&
                h->entry_addr - img->seg[k].paddr < img->seg[k].filesz) {
                img->entry = h->entry_addr;
                return 0;
            }
        elf_image_error(err, errlen, "Multiboot 2 entry address 0x%" PRIX32 " is outside the "
                        "loaded segments", h->entry_addr);
        elf_image_free(img);
        return -1;
    }
    if (!h->has_entry) {
        elf_image_error(err, errlen, "Multiboot 2 address tag without an entry address tag");
        return -1;
    }
    uint64_t file_off;
    uint32_t load_addr = h->load_addr;
    if (load_addr == MB2_LOAD_FROM_START) {
        /* 2.0, 3.1.5: -1 loads the file from its beginning, so the header
         * lands at header_addr. */
        if (h->header_addr < off) {
            elf_image_error(err, errlen, "Multiboot 2 address tag: header_addr 0x%" PRIX32
                            " is below the header's file offset 0x%zX", h->header_addr, off);
            return -1;
        }
        file_off = 0;
        load_addr = h->header_addr - (uint32_t)off;
    } else if (load_addr > h->header_addr) {
        elf_image_error(err, errlen, "Multiboot 2 address tag: load_addr 0x%" PRIX32
                        " is above header_addr 0x%" PRIX32, load_addr, h->header_addr);
        return -1;
    } else if (h->header_addr - load_addr > off) {
        elf_image_error(err, errlen, "Multiboot 2 address tag: header_addr - load_addr = 0x%" PRIX32
                        " is more than the header's file offset 0x%zX",
                        h->header_addr - load_addr, off);
        return -1;
    } else {
        file_off = off - (h->header_addr - load_addr);
    }
    return elf_image_from_addresses("Multiboot 2 address tag", size, file_off, load_addr,
                                    h->load_end_addr, h->bss_end_addr, h->entry_addr, img, err,
                                    errlen);
}

static const char *mb2_str(const char *s) { return s != NULL ? s : ""; }

static uint64_t mb2_align8(uint64_t v) { return (v + 7u) & ~(uint64_t)7u; }

/* Size of the boot information: fixed part, tags, end tag. */
static uint64_t mb2_info_size(const struct mb_boot *b, unsigned nmap)
{
    uint64_t size = 8;
    size += mb2_align8(8 + strlen(mb2_str(b->cmdline)) + 1);
    if (b->loader_name != NULL)
        size += mb2_align8(8 + strlen(b->loader_name) + 1);
    for (unsigned k = 0; k < b->nmodules; k++)
        size += mb2_align8(16 + strlen(mb2_str(b->modules[k].cmdline)) + 1);
    size += 16;                                    /* basic memory information */
    size += 16 + (uint64_t)nmap * MB2_MMAP_ENTRY_SIZE; /* memory map (8-aligned) */
    return size + 8;                               /* end */
}

/* A string tag at blk + pos; returns the next tag's offset. */
static uint64_t mb2_put_string(uint8_t *blk, uint64_t pos, uint32_t type, const char *s)
{
    size_t len = strlen(s) + 1;
    mmu_st32(blk + pos, type);
    mmu_st32(blk + pos + 4, (uint32_t)(8 + len));
    memcpy(blk + pos + 8, s, len);
    return pos + mb2_align8(8 + len);
}

/* Fill the boot information (host copy; tags in the order of 2.0, 3.6). */
static void mb2_fill(uint8_t *blk, uint64_t total, const struct mb_boot *b,
                     const struct elf_image_ram *ram, const uint32_t *mod_addr)
{
    mmu_st32(blk, (uint32_t)total);
    mmu_st32(blk + 4, 0);
    uint64_t pos = mb2_put_string(blk, 8, MB2_TAG_CMDLINE, mb2_str(b->cmdline));
    if (b->loader_name != NULL)
        pos = mb2_put_string(blk, pos, MB2_TAG_LOADER_NAME, b->loader_name);
    for (unsigned k = 0; k < b->nmodules; k++) {
        const char *s = mb2_str(b->modules[k].cmdline);
        size_t len = strlen(s) + 1;
        mmu_st32(blk + pos, MB2_TAG_MODULE);
        mmu_st32(blk + pos + 4, (uint32_t)(16 + len));
        mmu_st32(blk + pos + 8, mod_addr[k]);
        mmu_st32(blk + pos + 12, mod_addr[k] + (uint32_t)b->modules[k].size);
        memcpy(blk + pos + 16, s, len);
        pos += mb2_align8(16 + len);
    }
    uint32_t lower, upper;
    elf_image_basic_meminfo(ram, &lower, &upper);
    mmu_st32(blk + pos, MB2_TAG_BASIC_MEMINFO);
    mmu_st32(blk + pos + 4, 16);
    mmu_st32(blk + pos + 8, lower);
    mmu_st32(blk + pos + 12, upper);
    pos += 16;
    /* Memory map: entry_size 24, entry_version 0, then {base_addr u64,
     * length u64, type u32, reserved u32} entries. */
    mmu_st32(blk + pos, MB2_TAG_MMAP);
    mmu_st32(blk + pos + 4, 16 + ram->nmap * MB2_MMAP_ENTRY_SIZE);
    mmu_st32(blk + pos + 8, MB2_MMAP_ENTRY_SIZE);
    mmu_st32(blk + pos + 12, 0);
    pos += 16;
    for (unsigned k = 0; k < ram->nmap; k++) {
        uint8_t *e = blk + pos;
        mmu_st32(e, (uint32_t)ram->map[k].addr);
        mmu_st32(e + 4, (uint32_t)(ram->map[k].addr >> 32));
        mmu_st32(e + 8, (uint32_t)ram->map[k].size);
        mmu_st32(e + 12, (uint32_t)(ram->map[k].size >> 32));
        mmu_st32(e + 16, ram->map[k].type);
        mmu_st32(e + 20, 0);
        pos += MB2_MMAP_ENTRY_SIZE;
    }
    mmu_st32(blk + pos, MB2_TAG_END);
    mmu_st32(blk + pos + 4, 8);
}

/* Boot information and modules after the kernel. */
static int mb2_boot_info(struct mmu *mmu, const struct elf_image_ram *ram, const struct mb_boot *b,
                         uint64_t kernel_end, uint32_t *info_addr, char *err, size_t errlen)
{
    uint64_t size = mb2_info_size(b, ram->nmap);
    uint64_t cursor = kernel_end;
    uint32_t base;
    if (!elf_image_place(ram, &cursor, size, MB2_PAGE, &base)) {
        elf_image_error(err, errlen, "not enough RAM for the boot information (0x%" PRIX64
                        " bytes) above the kernel's end 0x%" PRIX64 " (RAM ends at 0x%" PRIX32 ")",
                        size, kernel_end, ram->ram_size);
        return -1;
    }
    uint32_t *mod_addr = calloc(b->nmodules ? b->nmodules : 1, sizeof(*mod_addr));
    uint8_t *blk = calloc(1, (size_t)size);
    int rc = -1;
    if (mod_addr == NULL || blk == NULL) {
        elf_image_error(err, errlen, "out of memory for the boot information");
    } else if (mb_place_modules(ram, &cursor, b, mod_addr, err, errlen) == 0) {
        mb2_fill(blk, size, b, ram, mod_addr);
        mmu_write_block(mmu, base, blk, (size_t)size);
        mb_write_modules(mmu, b, mod_addr);
        *info_addr = base;
        rc = 0;
    }
    free(blk);
    free(mod_addr);
    return rc;
}

int mb2_load(struct mmu *mmu, uint32_t ram_size, const struct mb_boot *b, size_t header_offset,
             struct bios_entry *entry, uint32_t *eax, uint32_t *ebx, char *err, size_t errlen)
{
    if (b == NULL || b->image == NULL || header_offset > b->image_size ||
        b->image_size - header_offset < MB2_H_TAGS ||
        mmu_ld32(b->image + header_offset) != MB2_HEADER_MAGIC) {
        elf_image_error(err, errlen, "no Multiboot 2 header at offset 0x%zX", header_offset);
        return -1;
    }
    struct mb2_header h;
    if (mb2_parse_header(b->image, b->image_size, header_offset, &h, err, errlen) != 0)
        return -1;
    struct elf_image_ram ram;
    if (elf_image_ram_init(&ram, mmu, ram_size, err, errlen) != 0)
        return -1;
    struct elf_image img;
    if (mb2_plan(b->image, b->image_size, header_offset, &h, &img, err, errlen) != 0)
        return -1;
    return mb_load_planned(mmu, &ram, &img, b, mb2_boot_info, MB2_BOOT_MAGIC, entry, eax, ebx,
                           err, errlen);
}
