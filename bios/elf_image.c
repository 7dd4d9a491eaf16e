/*
 * elf_image.c - load plans for kernel images (ELF32 through libelf, or
 * explicit addresses), their checks against the memory map, and the
 * placement of boot data after them.
 */
#include "bios/elf_image.h"

#include <elf.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmu/mmu.h"

void elf_image_error(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

int elf_image_ram_init(struct elf_image_ram *ram, struct mmu *mmu, uint32_t ram_size, char *err,
                       size_t errlen)
{
    memset(ram, 0, sizeof(*ram));
    if (ram_size > mmu_ram_size(mmu)) {
        elf_image_error(err, errlen, "RAM size 0x%" PRIX32 " exceeds the machine's 0x%" PRIX32 " bytes",
                        ram_size, mmu_ram_size(mmu));
        return -1;
    }
    ram->ram_size = ram_size;
    ram->nmap = e820_build(ram_size, ram->map, ELF_IMAGE_MAP_MAX);
    if (ram->nmap > ELF_IMAGE_MAP_MAX)
        ram->nmap = ELF_IMAGE_MAP_MAX;
    return 0;
}

/* Bytes of the usable entry that starts exactly at `base` (0 if none). */
static uint64_t elf_image_usable_at(const struct elf_image_ram *ram, uint64_t base)
{
    for (unsigned k = 0; k < ram->nmap; k++)
        if (ram->map[k].type == E820_USABLE && ram->map[k].addr == base)
            return ram->map[k].size;
    return 0;
}

void elf_image_basic_meminfo(const struct elf_image_ram *ram, uint32_t *lower_kib,
                             uint32_t *upper_kib)
{
    /* Multiboot 0.6.96, 3.3: mem_lower is at most 640 KiB; mem_upper is
     * the memory from 1 MiB up to the first hole. */
    uint64_t lower = elf_image_usable_at(ram, 0) / 1024u;
    uint64_t upper = elf_image_usable_at(ram, 0x100000u) / 1024u;
    *lower_kib = (uint32_t)(lower > 640u ? 640u : lower);
    *upper_kib = (uint32_t)upper;
}

void elf_image_free(struct elf_image *img)
{
    if (img == NULL)
        return;
    free(img->seg);
    img->seg = NULL;
    img->nseg = 0;
}

/* A few e_machine names, so a wrong-architecture message says what the
 * file is for. */
static const char *elf_image_machine_name(unsigned machine)
{
    switch (machine) {
    case EM_X86_64: return "x86-64";
    case EM_ARM: return "ARM";
    case EM_AARCH64: return "AArch64";
    case EM_MIPS: return "MIPS";
    case EM_PPC: return "PowerPC";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "S/390";
    case EM_SPARC: return "SPARC";
    case 243: return "RISC-V"; /* EM_RISCV, absent from older <elf.h> */
    default: return "not i386";
    }
}

/* The ELF identification bytes, checked by hand for precise messages
 * before libelf sees the file. */
static int elf_image_check_ident(const uint8_t *image, size_t size, char *err, size_t errlen)
{
    if (size < SELFMAG || memcmp(image, ELFMAG, SELFMAG) != 0) {
        elf_image_error(err, errlen, "not an ELF file (no \\x7FELF magic)");
        return -1;
    }
    if (size < sizeof(Elf32_Ehdr)) {
        elf_image_error(err, errlen, "truncated ELF header: the file has %zu bytes, the header %zu",
                        size, sizeof(Elf32_Ehdr));
        return -1;
    }
    if (image[EI_CLASS] == ELFCLASS64) {
        elf_image_error(err, errlen, "ELF64 image: only 32-bit (ELFCLASS32) i386 kernels can be loaded");
        return -1;
    }
    if (image[EI_CLASS] != ELFCLASS32) {
        elf_image_error(err, errlen, "ELF class %u is neither ELFCLASS32 nor ELFCLASS64",
                        (unsigned)image[EI_CLASS]);
        return -1;
    }
    if (image[EI_DATA] != ELFDATA2LSB) {
        elf_image_error(err, errlen, "ELF data encoding %u is not little-endian (ELFDATA2LSB)",
                        (unsigned)image[EI_DATA]);
        return -1;
    }
    return 0;
}

/* The checks on the ELF header proper (type, machine, program header
 * table bounds). */
static int elf_image_check_ehdr(const GElf_Ehdr *eh, size_t size, size_t phnum, char *err,
                                size_t errlen)
{
    if (eh->e_type == ET_DYN) {
        elf_image_error(err, errlen, "ELF type ET_DYN (position-independent): link the kernel as a "
                        "static executable (ET_EXEC)");
        return -1;
    }
    if (eh->e_type != ET_EXEC) {
        elf_image_error(err, errlen, "ELF type %u is not an executable (ET_EXEC)",
                        (unsigned)eh->e_type);
        return -1;
    }
    if (eh->e_machine != EM_386) {
        elf_image_error(err, errlen, "ELF machine %u (%s) is not Intel 80386 (EM_386)",
                        (unsigned)eh->e_machine, elf_image_machine_name(eh->e_machine));
        return -1;
    }
    if (phnum == 0) {
        elf_image_error(err, errlen, "ELF file has no program headers");
        return -1;
    }
    if (eh->e_phentsize != sizeof(Elf32_Phdr)) {
        elf_image_error(err, errlen, "ELF program header size %u is not %zu",
                        (unsigned)eh->e_phentsize, sizeof(Elf32_Phdr));
        return -1;
    }
    uint64_t table_end = (uint64_t)eh->e_phoff + (uint64_t)phnum * sizeof(Elf32_Phdr);
    if (eh->e_phoff > size || table_end > size) {
        elf_image_error(err, errlen, "truncated ELF: the program headers (0x%" PRIX64 "-0x%" PRIX64
                        ") extend past the end of the file (0x%zX bytes)",
                        (uint64_t)eh->e_phoff, table_end - 1, size);
        return -1;
    }
    return 0;
}

/* One PT_LOAD header into a plan segment. */
static int elf_image_take_segment(const GElf_Phdr *ph, size_t index, size_t size,
                                  struct elf_image_segment *seg, char *err, size_t errlen)
{
    if (ph->p_filesz > ph->p_memsz) {
        elf_image_error(err, errlen, "ELF segment %zu has a file size 0x%" PRIX64
                        " larger than its memory size 0x%" PRIX64,
                        index, (uint64_t)ph->p_filesz, (uint64_t)ph->p_memsz);
        return -1;
    }
    if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset) {
        elf_image_error(err, errlen, "truncated ELF: segment %zu needs file bytes 0x%" PRIX64
                        "-0x%" PRIX64 " but the file has 0x%zX bytes",
                        index, (uint64_t)ph->p_offset,
                        (uint64_t)ph->p_offset + ph->p_filesz - 1, size);
        return -1;
    }
    if ((uint64_t)ph->p_paddr + ph->p_memsz > 0x100000000ull) {
        elf_image_error(err, errlen, "ELF segment %zu (0x%" PRIX64 ", 0x%" PRIX64
                        " bytes) wraps past 4 GiB", index, (uint64_t)ph->p_paddr,
                        (uint64_t)ph->p_memsz);
        return -1;
    }
    seg->offset = ph->p_offset;
    seg->paddr = (uint32_t)ph->p_paddr;
    seg->filesz = (uint32_t)ph->p_filesz;
    seg->memsz = (uint32_t)ph->p_memsz;
    return 0;
}

/* Walk the program headers: collect PT_LOAD segments and translate the
 * entry point through the segment that contains it virtually. */
static int elf_image_walk(Elf *elf, const GElf_Ehdr *eh, size_t phnum, size_t size,
                          struct elf_image *out, char *err, size_t errlen)
{
    out->seg = calloc(phnum, sizeof(*out->seg));
    if (out->seg == NULL) {
        elf_image_error(err, errlen, "out of memory for %zu ELF segments", phnum);
        return -1;
    }
    bool entry_found = false;
    for (size_t k = 0; k < phnum; k++) {
        GElf_Phdr ph;
        if (gelf_getphdr(elf, (int)k, &ph) == NULL) {
            elf_image_error(err, errlen, "corrupt ELF program header %zu: %s", k, elf_errmsg(-1));
            return -1;
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (elf_image_take_segment(&ph, k, size, &out->seg[out->nseg], err, errlen) != 0)
            return -1;
        out->nseg++;
        if (!entry_found && eh->e_entry >= ph.p_vaddr && eh->e_entry - ph.p_vaddr < ph.p_memsz) {
            out->entry = (uint32_t)(eh->e_entry - ph.p_vaddr + ph.p_paddr);
            entry_found = true;
        }
    }
    if (out->nseg == 0) {
        elf_image_error(err, errlen, "ELF file has no loadable (PT_LOAD) segment");
        return -1;
    }
    if (!entry_found) {
        elf_image_error(err, errlen, "ELF entry point 0x%" PRIX64 " is not inside any loadable segment",
                        (uint64_t)eh->e_entry);
        return -1;
    }
    return 0;
}

int elf_image_from_elf(const uint8_t *image, size_t size, struct elf_image *out, char *err,
                       size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (image == NULL || elf_image_check_ident(image, size, err, errlen) != 0)
        return -1;
    if (elf_version(EV_CURRENT) == EV_NONE) {
        elf_image_error(err, errlen, "libelf does not support the current ELF version");
        return -1;
    }
    /* libelf takes a writable buffer (it may convert byte order in place
     * on big-endian hosts), so it reads a private copy. */
    char *copy = malloc(size);
    if (copy == NULL) {
        elf_image_error(err, errlen, "out of memory for a %zu-byte ELF file", size);
        return -1;
    }
    memcpy(copy, image, size);
    int rc = -1;
    Elf *elf = elf_memory(copy, size);
    GElf_Ehdr eh;
    if (elf == NULL || elf_kind(elf) != ELF_K_ELF || gelf_getehdr(elf, &eh) == NULL) {
        elf_image_error(err, errlen, "corrupt ELF header: %s", elf_errmsg(-1));
    } else if (eh.e_phnum == PN_XNUM) {
        /* Extended numbering (the count in section 0) is for files with
         * 65535 or more program headers: no kernel has them. */
        elf_image_error(err, errlen, "ELF file uses extended program header numbering (PN_XNUM)");
    } else if (elf_image_check_ehdr(&eh, size, eh.e_phnum, err, errlen) == 0) {
        /* e_phnum from the header itself: libelf's elf_getphdrnum clamps
         * the count to what the file holds, which would hide a
         * truncated table. */
        rc = elf_image_walk(elf, &eh, eh.e_phnum, size, out, err, errlen);
    }
    if (elf != NULL)
        elf_end(elf);
    free(copy);
    if (rc != 0)
        elf_image_free(out);
    return rc;
}

int elf_image_from_addresses(const char *what, size_t size, uint64_t offset, uint32_t load_addr,
                             uint32_t load_end_addr, uint32_t bss_end_addr, uint32_t entry,
                             struct elf_image *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (offset > size) {
        elf_image_error(err, errlen, "%s: the load starts at file offset 0x%" PRIX64
                        ", past the end of the file (0x%zX bytes)", what, offset, size);
        return -1;
    }
    uint64_t filesz;
    if (load_end_addr == 0) {
        filesz = size - offset;
    } else if (load_end_addr < load_addr) {
        elf_image_error(err, errlen, "%s: load_end_addr 0x%" PRIX32 " is below load_addr 0x%" PRIX32,
                        what, load_end_addr, load_addr);
        return -1;
    } else {
        filesz = load_end_addr - load_addr;
        if (filesz > size - offset) {
            elf_image_error(err, errlen, "%s: truncated image: 0x%" PRIX64 " bytes to load from file "
                            "offset 0x%" PRIX64 " but the file has 0x%zX bytes",
                            what, filesz, offset, size);
            return -1;
        }
    }
    if (filesz == 0) {
        elf_image_error(err, errlen, "%s: nothing to load (load_end_addr = load_addr)", what);
        return -1;
    }
    if (load_addr + filesz > 0x100000000ull) {
        elf_image_error(err, errlen, "%s: 0x%" PRIX64 " bytes at 0x%" PRIX32 " wrap past 4 GiB",
                        what, filesz, load_addr);
        return -1;
    }
    uint64_t memsz = filesz;
    if (bss_end_addr != 0) {
        if (bss_end_addr < load_addr + filesz) {
            elf_image_error(err, errlen, "%s: bss_end_addr 0x%" PRIX32 " is below the end of the "
                            "loaded bytes 0x%" PRIX64, what, bss_end_addr, load_addr + filesz);
            return -1;
        }
        memsz = bss_end_addr - load_addr;
    }
    if (entry < load_addr || entry - load_addr >= filesz) {
        elf_image_error(err, errlen, "%s: entry_addr 0x%" PRIX32 " is outside the loaded bytes 0x%"
                        PRIX32 "-0x%" PRIX64, what, entry, load_addr, load_addr + filesz - 1);
        return -1;
    }
    out->seg = calloc(1, sizeof(*out->seg));
    if (out->seg == NULL) {
        elf_image_error(err, errlen, "out of memory");
        return -1;
    }
    out->seg[0].offset = offset;
    out->seg[0].paddr = load_addr;
    out->seg[0].filesz = (uint32_t)filesz;
    out->seg[0].memsz = (uint32_t)memsz;
    out->nseg = 1;
    out->entry = entry;
    return 0;
}

/* The usable ranges, for messages: "0x500-0x9FBFF, 0x100000-0x3FFFFFF". */
static void elf_image_usable_list(const struct elf_image_ram *ram, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned k = 0; k < ram->nmap && used < len; k++) {
        const struct e820_entry *e = &ram->map[k];
        uint64_t lo = e->addr < ELF_IMAGE_LOW_LIMIT ? ELF_IMAGE_LOW_LIMIT : e->addr;
        if (e->type != E820_USABLE || e->addr + e->size <= lo)
            continue;
        int n = snprintf(buf + used, len - used, "%s0x%" PRIX64 "-0x%" PRIX64, used ? ", " : "", lo,
                         e->addr + e->size - 1);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

int elf_image_check_range(const struct elf_image_ram *ram, const char *what, uint64_t start,
                          uint64_t len, char *err, size_t errlen)
{
    uint64_t end = start + len;
    if (start < ELF_IMAGE_LOW_LIMIT) {
        elf_image_error(err, errlen, "%s (0x%" PRIX64 "-0x%" PRIX64 ") overlaps the interrupt vector "
                        "table and BIOS data area (0-0x4FF)", what, start, end - 1);
        return -1;
    }
    if (end > ram->ram_size) {
        elf_image_error(err, errlen, "%s (0x%" PRIX64 "-0x%" PRIX64 ") lies beyond the end of RAM "
                        "(0x%" PRIX32 ")", what, start, end - 1, ram->ram_size);
        return -1;
    }
    for (unsigned k = 0; k < ram->nmap; k++) {
        const struct e820_entry *e = &ram->map[k];
        if (e->type == E820_USABLE && start >= e->addr && end <= e->addr + e->size)
            return 0;
    }
    char usable[160];
    elf_image_usable_list(ram, usable, sizeof(usable));
    elf_image_error(err, errlen, "%s (0x%" PRIX64 "-0x%" PRIX64 ") is outside usable RAM (%s)", what,
                    start, end - 1, usable);
    return -1;
}

/* Zero bytes for elf_image_zero (read-only). */
static const uint8_t elf_image_zeros[4096];

void elf_image_zero(struct mmu *mmu, uint32_t addr, uint64_t len)
{
    while (len > 0) {
        size_t n = len < sizeof(elf_image_zeros) ? (size_t)len : sizeof(elf_image_zeros);
        mmu_write_block(mmu, addr, elf_image_zeros, n);
        addr += (uint32_t)n;
        len -= n;
    }
}

int elf_image_load(struct mmu *mmu, const struct elf_image_ram *ram, const struct elf_image *img,
                   const uint8_t *image, size_t size, char *err, size_t errlen)
{
    for (unsigned k = 0; k < img->nseg; k++) {
        const struct elf_image_segment *s = &img->seg[k];
        char what[32];
        snprintf(what, sizeof(what), "segment %u", k);
        if (elf_image_check_range(ram, what, s->paddr, s->memsz, err, errlen) != 0)
            return -1;
        if (s->offset > size || s->filesz > size - s->offset) {
            elf_image_error(err, errlen, "%s: file bytes past the end of the image", what);
            return -1;
        }
    }
    for (unsigned k = 0; k < img->nseg; k++) {
        const struct elf_image_segment *s = &img->seg[k];
        mmu_write_block(mmu, s->paddr, image + s->offset, s->filesz);
        elf_image_zero(mmu, s->paddr + s->filesz, s->memsz - s->filesz);
    }
    return 0;
}

uint64_t elf_image_end(const struct elf_image *img)
{
    uint64_t end = 0;
    for (unsigned k = 0; k < img->nseg; k++) {
        uint64_t e = (uint64_t)img->seg[k].paddr + img->seg[k].memsz;
        if (e > end)
            end = e;
    }
    return end;
}

bool elf_image_place(const struct elf_image_ram *ram, uint64_t *cursor, uint64_t size,
                     uint32_t align, uint32_t *addr)
{
    uint64_t mask = (uint64_t)align - 1;
    uint64_t best = UINT64_MAX;
    /* The lowest fitting address over all usable entries (the map need
     * not be sorted). */
    for (unsigned k = 0; k < ram->nmap; k++) {
        const struct e820_entry *e = &ram->map[k];
        if (e->type != E820_USABLE)
            continue;
        uint64_t lo = e->addr > *cursor ? e->addr : *cursor;
        if (lo < ELF_IMAGE_LOW_LIMIT)
            lo = ELF_IMAGE_LOW_LIMIT;
        lo = (lo + mask) & ~mask;
        uint64_t end = e->addr + e->size;
        if (end > ram->ram_size)
            end = ram->ram_size;
        if (lo <= end && size <= end - lo && lo < best)
            best = lo;
    }
    if (best == UINT64_MAX)
        return false;
    *addr = (uint32_t)best;
    *cursor = best + size;
    return true;
}
