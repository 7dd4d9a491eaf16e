/*
 * test_multiboot.c - the Multiboot 1 and 2 loaders: header detection, ELF
 * and address-field loading into a real MMU, the boot information the
 * kernel sees, the entry state, and every refusal.
 *
 * Images are built here byte by byte (little-endian, whatever the host),
 * with the field offsets of <elf.h>'s structures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "bios/multiboot.h"
#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "tests/empty_bus.h"

#define RAM (16u << 20)
#define FILE_CAP 0x10000u

/* ------------------------------------------------------------ helpers */

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xFFFFu);
    put16(p + 2, v >> 16);
}

static uint32_t rd32(struct mmu *mmu, uint32_t addr) { return mmu_read_phys(mmu, addr, 4); }

static uint64_t rd64(struct mmu *mmu, uint32_t addr)
{
    return rd32(mmu, addr) | ((uint64_t)rd32(mmu, addr + 4) << 32);
}

/* The NUL-terminated guest string at addr equals s. */
static void assert_guest_string(struct mmu *mmu, uint32_t addr, const char *s)
{
    char buf[256];
    size_t n = strlen(s) + 1;
    assert_true(n <= sizeof(buf));
    mmu_read_block(mmu, addr, buf, n);
    assert_memory_equal(buf, s, n);
}

/* A program header to write. */
struct tseg {
    uint32_t type, offset, vaddr, paddr, filesz, memsz;
};

/* ELF32 header and program headers at the start of f (zeroed, FILE_CAP
 * bytes); segment contents are written by the caller. */
static void elf_write(uint8_t *f, uint16_t type, uint16_t machine, uint32_t entry,
                      const struct tseg *s, unsigned n)
{
    f[EI_MAG0] = ELFMAG0;
    f[EI_MAG1] = ELFMAG1;
    f[EI_MAG2] = ELFMAG2;
    f[EI_MAG3] = ELFMAG3;
    f[EI_CLASS] = ELFCLASS32;
    f[EI_DATA] = ELFDATA2LSB;
    f[EI_VERSION] = EV_CURRENT;
    put16(f + offsetof(Elf32_Ehdr, e_type), type);
    put16(f + offsetof(Elf32_Ehdr, e_machine), machine);
    put32(f + offsetof(Elf32_Ehdr, e_version), EV_CURRENT);
    put32(f + offsetof(Elf32_Ehdr, e_entry), entry);
    put32(f + offsetof(Elf32_Ehdr, e_phoff), sizeof(Elf32_Ehdr));
    put16(f + offsetof(Elf32_Ehdr, e_ehsize), sizeof(Elf32_Ehdr));
    put16(f + offsetof(Elf32_Ehdr, e_phentsize), sizeof(Elf32_Phdr));
    put16(f + offsetof(Elf32_Ehdr, e_phnum), n);
    put16(f + offsetof(Elf32_Ehdr, e_shentsize), sizeof(Elf32_Shdr));
    for (unsigned k = 0; k < n; k++) {
        uint8_t *p = f + sizeof(Elf32_Ehdr) + k * sizeof(Elf32_Phdr);
        put32(p + offsetof(Elf32_Phdr, p_type), s[k].type);
        put32(p + offsetof(Elf32_Phdr, p_offset), s[k].offset);
        put32(p + offsetof(Elf32_Phdr, p_vaddr), s[k].vaddr);
        put32(p + offsetof(Elf32_Phdr, p_paddr), s[k].paddr);
        put32(p + offsetof(Elf32_Phdr, p_filesz), s[k].filesz);
        put32(p + offsetof(Elf32_Phdr, p_memsz), s[k].memsz);
        put32(p + offsetof(Elf32_Phdr, p_flags), PF_R | PF_W | PF_X);
        put32(p + offsetof(Elf32_Phdr, p_align), 0x1000);
    }
}

/* A Multiboot 1 header (with the address fields when flag 16 is set). */
static void mb1_header(uint8_t *h, uint32_t flags, const uint32_t addr[5])
{
    put32(h, MB1_HEADER_MAGIC);
    put32(h + 4, flags);
    put32(h + 8, 0u - MB1_HEADER_MAGIC - flags);
    if (addr != NULL)
        for (unsigned k = 0; k < 5; k++)
            put32(h + 12 + 4 * k, addr[k]);
}

/* Multiboot 2 header writer: tags appended after the fixed part. */
struct mb2w {
    uint8_t *h;
    uint32_t len;
};

static void mb2_begin(struct mb2w *w, uint8_t *h)
{
    w->h = h;
    w->len = 16;
}

static void mb2_tag(struct mb2w *w, uint16_t type, uint16_t flags, const uint32_t *body,
                    unsigned words)
{
    uint8_t *t = w->h + w->len;
    put16(t, type);
    put16(t + 2, flags);
    put32(t + 4, 8 + 4 * words);
    for (unsigned k = 0; k < words; k++)
        put32(t + 8 + 4 * k, body[k]);
    w->len += (8 + 4 * words + 7) & ~7u;
}

static void mb2_end(struct mb2w *w, uint32_t arch)
{
    mb2_tag(w, 0, 0, NULL, 0);
    put32(w->h, MB2_HEADER_MAGIC);
    put32(w->h + 4, arch);
    put32(w->h + 8, w->len);
    put32(w->h + 12, 0u - MB2_HEADER_MAGIC - arch - w->len);
}

/* The standard test kernel: text at 0x100000 from file offset 0x1000
 * (0x100 bytes, a Multiboot header at its start when mb1_flags != 0 or
 * written later by the caller), data at 0x102000 from file offset
 * 0x2000 (0x10 bytes of file, 0x3000 of memory: the rest is bss).
 * Entry at 0x100040.  Returns the file size. */
#define K_TEXT 0x100000u
#define K_DATA 0x102000u
#define K_BSS_END 0x105000u
#define K_ENTRY 0x100040u
static size_t kernel_elf(uint8_t *f, uint16_t type, uint16_t machine)
{
    struct tseg s[2] = {
        {PT_LOAD, 0x1000, K_TEXT, K_TEXT, 0x100, 0x100},
        {PT_LOAD, 0x2000, K_DATA, K_DATA, 0x10, K_BSS_END - K_DATA},
    };
    elf_write(f, type, machine, K_ENTRY, s, 2);
    for (unsigned k = 0x40; k < 0x100; k++)
        f[0x1000 + k] = (uint8_t)(k ^ 0x5A);
    for (unsigned k = 0; k < 0x10; k++)
        f[0x2000 + k] = (uint8_t)(0xD0 + k);
    return 0x2010;
}

struct fx {
    struct mmu *mmu;
    uint8_t *f; /* FILE_CAP bytes, zeroed */
    char err[256];
    struct bios_entry entry;
    uint32_t eax, ebx;
};

static int fx_setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));
    if (x == NULL)
        return -1;
    x->mmu = mmu_create(RAM);
    x->f = calloc(1, FILE_CAP);
    if (x->mmu == NULL || x->f == NULL)
        return -1;
    *state = x;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *x = *state;
    mmu_destroy(x->mmu);
    free(x->f);
    free(x);
    return 0;
}

static int load(struct fx *x, const struct mb_boot *b)
{
    x->err[0] = '\0';
    return mb_load(x->mmu, RAM, b, &x->entry, &x->eax, &x->ebx, x->err, sizeof(x->err));
}

static int load_image(struct fx *x, size_t size)
{
    struct mb_boot b = {x->f, size, NULL, NULL, 0, "ringzero"};
    return load(x, &b);
}

/* The load fails with a message containing `needle`. */
static void expect_refusal(struct fx *x, size_t size, const char *needle)
{
    assert_int_equal(load_image(x, size), -1);
    if (strstr(x->err, needle) == NULL)
        fail_msg("message \"%s\" does not mention \"%s\"", x->err, needle);
    assert_null(strchr(x->err, '\n'));
}

/* The memory map every test machine (16 MiB) reports: e820_build's. */
static const struct {
    uint64_t addr, size;
    uint32_t type;
} expect_map[] = {
    {0, 0x9FC00, 1},
    {0x9FC00, 0x400, 2},
    {0xE0000, 0x20000, 2},
    {0x100000, RAM - 0x100000, 1},
    {0xFFFC0000u, 0x40000, 2},
};
#define NMAP (sizeof(expect_map) / sizeof(expect_map[0]))

/* ---------------------------------------------------------- detection */

static void test_detect(void **state)
{
    struct fx *x = *state;
    uint8_t *f = x->f;
    assert_int_equal(mb_detect(f, FILE_CAP), MB_NONE);
    assert_int_equal(mb_detect(NULL, 0), MB_NONE);

    mb1_header(f + 0x1FF4, 0, NULL); /* the last 4-aligned slot ending within 8 KiB */
    assert_int_equal(mb_detect(f, FILE_CAP), MB_V1);
    assert_int_equal(mb_detect(f, 0x1FFF), MB_NONE); /* cut short */
    memset(f, 0, FILE_CAP);
    mb1_header(f + 0x1FF8, 0, NULL); /* would end past 8192 */
    assert_int_equal(mb_detect(f, FILE_CAP), MB_NONE);
    memset(f, 0, FILE_CAP);
    mb1_header(f + 0x102, 0, NULL); /* not 4-aligned */
    assert_int_equal(mb_detect(f, FILE_CAP), MB_NONE);
    memset(f, 0, FILE_CAP);
    mb1_header(f + 0x100, 0, NULL);
    put32(f + 0x108, 0); /* checksum wrong */
    assert_int_equal(mb_detect(f, FILE_CAP), MB_NONE);

    memset(f, 0, FILE_CAP);
    struct mb2w w;
    mb2_begin(&w, f + 0x7FE0);
    mb2_end(&w, 0);
    assert_int_equal(mb_detect(f, FILE_CAP), MB_V2);
    memset(f, 0, FILE_CAP);
    mb2_begin(&w, f + 0x8000); /* past 32 KiB */
    mb2_end(&w, 0);
    assert_int_equal(mb_detect(f, FILE_CAP), MB_NONE);
    memset(f, 0, FILE_CAP);
    mb2_begin(&w, f + 0x104); /* 4- but not 8-aligned */
    mb2_end(&w, 0);
    assert_int_equal(mb_detect(f, FILE_CAP), MB_NONE);
    memset(f, 0, FILE_CAP);
    mb2_begin(&w, f + 0x100);
    mb2_end(&w, 4); /* MIPS */
    assert_int_equal(mb_detect(f, FILE_CAP), MB_NONE);

    /* Both: Multiboot 1 wins. */
    memset(f, 0, FILE_CAP);
    mb2_begin(&w, f + 0x100);
    mb2_end(&w, 0);
    assert_int_equal(mb_detect(f, FILE_CAP), MB_V2);
    mb1_header(f + 0x1000, 0, NULL);
    assert_int_equal(mb_detect(f, FILE_CAP), MB_V1);
}

/* ------------------------------------------------- Multiboot 1, ELF */

static void test_mb1_elf_load(void **state)
{
    struct fx *x = *state;
    size_t n = kernel_elf(x->f, ET_EXEC, EM_386);
    mb1_header(x->f + 0x1000, MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMORY_INFO, NULL);
    /* Stale bytes where the bss goes, and A20 off: the loader must fix both. */
    uint8_t junk[0x3000];
    memset(junk, 0xCC, sizeof(junk));
    mmu_write_block(x->mmu, K_DATA, junk, sizeof(junk));
    mmu_set_a20(x->mmu, false);

    static const uint8_t mod0[] = {1, 2, 3, 4, 5};
    uint8_t *mod1 = malloc(0x1801);
    assert_non_null(mod1);
    for (unsigned k = 0; k < 0x1801; k++)
        mod1[k] = (uint8_t)(k * 7);
    const struct mb_module mods[2] = {{mod0, sizeof(mod0), "initrd arg=1"}, {mod1, 0x1801, NULL}};
    struct mb_boot b = {x->f, n, "console=ttyS0 quiet", mods, 2, "ringzero"};
    assert_int_equal(load(x, &b), 0);
    assert_string_equal(x->err, "");
    assert_true(mmu_a20(x->mmu));

    /* Image bytes, data, bss zeroed. */
    uint8_t buf[0x3000];
    mmu_read_block(x->mmu, K_TEXT, buf, 0x100);
    assert_memory_equal(buf, x->f + 0x1000, 0x100);
    assert_int_equal(rd32(x->mmu, K_TEXT), MB1_HEADER_MAGIC);
    mmu_read_block(x->mmu, K_DATA, buf, 0x3000);
    assert_memory_equal(buf, x->f + 0x2000, 0x10);
    for (unsigned k = 0x10; k < 0x3000; k++)
        if (buf[k] != 0)
            fail_msg("bss byte 0x%X not zeroed", K_DATA + k);

    /* Entry state. */
    assert_int_equal(x->entry.kind, BIOS_ENTRY_FLAT32);
    assert_int_equal(x->entry.eip, K_ENTRY);
    assert_false(x->entry.has_esp);
    assert_int_equal(x->eax, 0x2BADB002u);
    /* The information block: first page after the kernel's end. */
    uint32_t mbi = x->ebx;
    assert_int_equal(mbi, K_BSS_END);
    assert_int_equal(rd32(x->mmu, mbi + 0), 0x1u | 0x4u | 0x8u | 0x40u | 0x200u);
    assert_int_equal(rd32(x->mmu, mbi + 4), 639);
    assert_int_equal(rd32(x->mmu, mbi + 8), (RAM - 0x100000u) / 1024u);
    assert_int_equal(rd32(x->mmu, mbi + 12), 0); /* boot_device not given */
    assert_guest_string(x->mmu, rd32(x->mmu, mbi + 16), "console=ttyS0 quiet");
    assert_guest_string(x->mmu, rd32(x->mmu, mbi + 64), "ringzero");
    for (unsigned off = 28; off < 44; off += 4)
        assert_int_equal(rd32(x->mmu, mbi + off), 0); /* no symbols */
    for (unsigned off = 72; off < MB1_INFO_SIZE; off += 4)
        assert_int_equal(rd32(x->mmu, mbi + off), 0); /* no VBE, no framebuffer */

    /* Memory map: size-prefixed 24-byte entries. */
    uint32_t mmap = rd32(x->mmu, mbi + 48);
    assert_int_equal(rd32(x->mmu, mbi + 44), NMAP * 24);
    for (unsigned k = 0; k < NMAP; k++) {
        uint32_t e = mmap + 24 * k;
        assert_int_equal(rd32(x->mmu, e), 20);
        assert_int_equal(rd64(x->mmu, e + 4), expect_map[k].addr);
        assert_int_equal(rd64(x->mmu, e + 12), expect_map[k].size);
        assert_int_equal(rd32(x->mmu, e + 20), expect_map[k].type);
    }

    /* Modules: page-aligned, after the information, contents intact. */
    assert_int_equal(rd32(x->mmu, mbi + 20), 2);
    uint32_t mods_addr = rd32(x->mmu, mbi + 24);
    uint32_t m0 = rd32(x->mmu, mods_addr), m0_end = rd32(x->mmu, mods_addr + 4);
    uint32_t m1 = rd32(x->mmu, mods_addr + 16), m1_end = rd32(x->mmu, mods_addr + 20);
    assert_int_equal(m0 & 0xFFF, 0);
    assert_int_equal(m1 & 0xFFF, 0);
    assert_true(m0 > mbi);
    assert_int_equal(m0_end, m0 + sizeof(mod0));
    assert_int_equal(m1, m0 + 0x1000);
    assert_int_equal(m1_end, m1 + 0x1801);
    mmu_read_block(x->mmu, m0, buf, sizeof(mod0));
    assert_memory_equal(buf, mod0, sizeof(mod0));
    mmu_read_block(x->mmu, m1, buf, 0x1801);
    assert_memory_equal(buf, mod1, 0x1801);
    assert_guest_string(x->mmu, rd32(x->mmu, mods_addr + 8), "initrd arg=1");
    assert_guest_string(x->mmu, rd32(x->mmu, mods_addr + 24), "");
    assert_int_equal(rd32(x->mmu, mods_addr + 12), 0);

    /* Every pointer of the information block lies inside its page(s),
     * above the kernel. */
    uint32_t ptrs[] = {rd32(x->mmu, mbi + 16), rd32(x->mmu, mbi + 64), mmap, mods_addr};
    for (unsigned k = 0; k < 4; k++)
        assert_true(ptrs[k] >= mbi && ptrs[k] < m0);

    /* Loading is deterministic: the same again gives the same state. */
    struct bios_entry e1 = x->entry;
    uint32_t ebx1 = x->ebx;
    assert_int_equal(load(x, &b), 0);
    assert_int_equal(x->ebx, ebx1);
    assert_int_equal(x->entry.eip, e1.eip);
    free(mod1);
}

/* No cmdline, no loader name, no modules: flags say so, cmdline empty. */
static void test_mb1_minimal_info(void **state)
{
    struct fx *x = *state;
    size_t n = kernel_elf(x->f, ET_EXEC, EM_386);
    mb1_header(x->f + 0x1000, 0, NULL);
    struct mb_boot b = {x->f, n, NULL, NULL, 0, NULL};
    assert_int_equal(load(x, &b), 0);
    assert_int_equal(rd32(x->mmu, x->ebx), 0x1u | 0x4u | 0x40u);
    assert_guest_string(x->mmu, rd32(x->mmu, x->ebx + 16), "");
    assert_int_equal(rd32(x->mmu, x->ebx + 20), 0);
    assert_int_equal(rd32(x->mmu, x->ebx + 64), 0);
}

/* The video-mode flag (bit 2) is accepted; no video information is
 * claimed. */
static void test_mb1_video_flag(void **state)
{
    struct fx *x = *state;
    size_t n = kernel_elf(x->f, ET_EXEC, EM_386);
    mb1_header(x->f + 0x1000, MB1_FLAG_VIDEO_MODE | MB1_FLAG_MEMORY_INFO, NULL);
    assert_int_equal(load_image(x, n), 0);
    uint32_t flags = rd32(x->mmu, x->ebx);
    assert_int_equal(flags & (0x800u | 0x1000u), 0);
}

/* A kernel linked to run at 3 GiB and loaded at 1 MiB: segments go to
 * p_paddr, the entry point is translated to its physical address. */
static void test_mb1_higher_half(void **state)
{
    struct fx *x = *state;
    struct tseg s[2] = {
        {PT_LOAD, 0x1000, 0xC0100000u, 0x100000, 0x80, 0x80},
        {PT_LOAD, 0x2000, 0xC0101000u, 0x101000, 0x8, 0x1000},
    };
    elf_write(x->f, ET_EXEC, EM_386, 0xC0100020u, s, 2);
    mb1_header(x->f + 0x1000, 0, NULL);
    memset(x->f + 0x2000, 0xAB, 8);
    assert_int_equal(load_image(x, 0x2008), 0);
    assert_int_equal(x->entry.eip, 0x100020);
    assert_int_equal(rd32(x->mmu, 0x101000), 0xABABABABu);
    assert_int_equal(x->ebx, 0x102000);
}

/* Non-PT_LOAD headers and empty segments are skipped. */
static void test_mb1_skips_other_segments(void **state)
{
    struct fx *x = *state;
    struct tseg s[3] = {
        {PT_NOTE, 0x40, 0, 0, 0x10, 0x10},
        {PT_LOAD, 0x1000, 0x100000, 0x100000, 0x40, 0x40},
        {PT_LOAD, 0x1040, 0x0, 0x0, 0, 0}, /* empty: even at 0, never refused */
    };
    elf_write(x->f, ET_EXEC, EM_386, 0x100010, s, 3);
    mb1_header(x->f + 0x1000, 0, NULL);
    assert_int_equal(load_image(x, 0x1040), 0);
    assert_int_equal(x->entry.eip, 0x100010);
    assert_int_equal(x->ebx, 0x101000);
}

/* A kernel in conventional memory: the information goes right after it;
 * when no page is left below the EBDA it moves to 1 MiB. */
static void test_mb1_low_kernel_placement(void **state)
{
    struct fx *x = *state;
    struct tseg s[1] = {{PT_LOAD, 0x1000, 0x10000, 0x10000, 0x100, 0x2100}};
    elf_write(x->f, ET_EXEC, EM_386, 0x10040, s, 1);
    mb1_header(x->f + 0x1000, 0, NULL);
    assert_int_equal(load_image(x, 0x1100), 0);
    assert_int_equal(x->ebx, 0x13000);

    memset(x->f, 0, FILE_CAP);
    struct tseg t[1] = {{PT_LOAD, 0x1000, 0x10000, 0x10000, 0x100, 0x9FB00 - 0x10000}};
    elf_write(x->f, ET_EXEC, EM_386, 0x10040, t, 1);
    mb1_header(x->f + 0x1000, 0, NULL);
    assert_int_equal(load_image(x, 0x1100), 0);
    assert_int_equal(x->ebx, 0x100000); /* the next page, 0xA0000, is not RAM */
}

/* ------------------------------------------- Multiboot 1, a.out kludge */

static void test_mb1_aout_kludge(void **state)
{
    struct fx *x = *state;
    /* A raw binary: header at file offset 0x20, file loaded at 0x200000,
     * 0x400 bytes of file, bss up to 0x203000. */
    for (unsigned k = 0; k < 0x400; k++)
        x->f[k] = (uint8_t)(k + 3);
    const uint32_t addr[5] = {0x200020, 0x200000, 0x200400, 0x203000, 0x200100};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE | MB1_FLAG_MEMORY_INFO, addr);
    uint8_t junk[0x100];
    memset(junk, 0xEE, sizeof(junk));
    mmu_write_block(x->mmu, 0x202F00, junk, sizeof(junk));
    assert_int_equal(load_image(x, 0x800), 0); /* bytes past load_end_addr are not loaded */
    uint8_t buf[0x400];
    mmu_read_block(x->mmu, 0x200000, buf, 0x400);
    assert_memory_equal(buf, x->f, 0x400);
    assert_int_equal(rd32(x->mmu, 0x200400), 0);
    assert_int_equal(rd32(x->mmu, 0x202FFC), 0);
    assert_int_equal(x->entry.eip, 0x200100);
    assert_int_equal(x->ebx, 0x203000);

    /* load_end_addr 0: the whole rest of the file; bss_end_addr 0: none. */
    const uint32_t whole[5] = {0x200020, 0x200000, 0, 0, 0x200100};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE, whole);
    assert_int_equal(load_image(x, 0x1234), 0);
    assert_int_equal(x->ebx, 0x202000);

    /* The header need not be at the start of the loaded part. */
    const uint32_t mid[5] = {0x300010, 0x300000, 0, 0, 0x300000};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE, mid);
    assert_int_equal(load_image(x, 0x100), 0);
    mmu_read_block(x->mmu, 0x300000, buf, 0xF0);
    assert_memory_equal(buf, x->f + 0x10, 0xF0);
}

/* Flag 16 takes precedence over the ELF program headers. */
static void test_mb1_kludge_beats_elf(void **state)
{
    struct fx *x = *state;
    size_t n = kernel_elf(x->f, ET_EXEC, EM_386);
    /* Header at file 0x1000 claims to be at 0x400000, file from 0x1000. */
    const uint32_t addr[5] = {0x400000, 0x400000, 0x400100, 0, 0x400040};
    mb1_header(x->f + 0x1000, MB1_FLAG_AOUT_KLUDGE, addr);
    mmu_write_block(x->mmu, K_TEXT, "\x11\x22\x33\x44", 4);
    assert_int_equal(load_image(x, n), 0);
    assert_int_equal(x->entry.eip, 0x400040);
    assert_int_equal(rd32(x->mmu, 0x400000), MB1_HEADER_MAGIC);
    assert_int_equal(rd32(x->mmu, K_TEXT), 0x44332211u); /* the ELF segment was not loaded */
}

/* ------------------------------------------------ Multiboot 1 refusals */

static void test_mb1_refusals_header(void **state)
{
    struct fx *x = *state;
    expect_refusal(x, FILE_CAP, "no Multiboot header");

    /* Magic at the very end of a short file. */
    put32(x->f + 0x10, MB1_HEADER_MAGIC);
    expect_refusal(x, 0x18, "truncated Multiboot 1 header");

    /* Bad checksum. */
    memset(x->f, 0, FILE_CAP);
    mb1_header(x->f + 0x10, 0, NULL);
    put32(x->f + 0x18, 0x12345678);
    expect_refusal(x, 0x100, "bad checksum");

    /* Flag 16 with the address fields cut off. */
    memset(x->f, 0, FILE_CAP);
    mb1_header(x->f + 0x10, MB1_FLAG_AOUT_KLUDGE, NULL);
    expect_refusal(x, 0x10 + 20, "truncated Multiboot 1 header");

    /* A required feature this loader does not know (bit 3). */
    memset(x->f, 0, FILE_CAP);
    size_t n = kernel_elf(x->f, ET_EXEC, EM_386);
    mb1_header(x->f + 0x1000, 0x8u | MB1_FLAG_MEMORY_INFO, NULL);
    expect_refusal(x, n, "unknown required bits 0x0008");
    /* ... while unknown optional bits (17-31) are fine. */
    mb1_header(x->f + 0x1000, 0x80000000u, NULL);
    assert_int_equal(load_image(x, n), 0);
}

static void test_mb1_refusals_aout(void **state)
{
    struct fx *x = *state;
    const uint32_t above[5] = {0x200020, 0x200040, 0, 0, 0x200040};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE, above);
    expect_refusal(x, 0x100, "load_addr 0x200040 is above header_addr");

    const uint32_t before_file[5] = {0x200020, 0x200000 - 0x100, 0, 0, 0x200000};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE, before_file);
    expect_refusal(x, 0x100, "more than the header's file offset");

    const uint32_t past_end[5] = {0x200020, 0x200000, 0x201000, 0, 0x200000};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE, past_end);
    expect_refusal(x, 0x100, "truncated image");

    const uint32_t end_below[5] = {0x200020, 0x200000, 0x1FFF00, 0, 0x200000};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE, end_below);
    expect_refusal(x, 0x100, "load_end_addr 0x1FFF00 is below load_addr");

    const uint32_t bss_below[5] = {0x200020, 0x200000, 0x200080, 0x200040, 0x200000};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE, bss_below);
    expect_refusal(x, 0x100, "bss_end_addr 0x200040 is below");

    const uint32_t bad_entry[5] = {0x200020, 0x200000, 0x200080, 0, 0x200080};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE, bad_entry);
    expect_refusal(x, 0x100, "entry_addr 0x200080 is outside the loaded bytes");

    const uint32_t beyond_ram[5] = {RAM - 0x80, RAM - 0xA0, 0, RAM + 0x1000, RAM - 0x90};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE, beyond_ram);
    expect_refusal(x, 0x100, "beyond the end of RAM");

    const uint32_t low[5] = {0x420, 0x400, 0, 0, 0x400};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE, low);
    expect_refusal(x, 0x100, "interrupt vector table");

    const uint32_t vga[5] = {0xB8020, 0xB8000, 0, 0, 0xB8000};
    mb1_header(x->f + 0x20, MB1_FLAG_AOUT_KLUDGE, vga);
    expect_refusal(x, 0x100, "outside usable RAM (0x500-0x9FBFF, 0x100000-0xFFFFFF)");
}

static void test_mb1_refusals_elf(void **state)
{
    struct fx *x = *state;
    size_t n = kernel_elf(x->f, ET_EXEC, EM_386);
    mb1_header(x->f + 0x1000, 0, NULL);

    /* Not ELF at all, no flag 16. */
    memcpy(x->f, "MZ\0\0", 4);
    expect_refusal(x, n, "not an ELF file");
    n = kernel_elf(x->f, ET_EXEC, EM_386);

    x->f[EI_CLASS] = ELFCLASS64;
    expect_refusal(x, n, "ELF64");
    x->f[EI_CLASS] = ELFCLASS32;

    x->f[EI_DATA] = ELFDATA2MSB;
    expect_refusal(x, n, "not little-endian");
    x->f[EI_DATA] = ELFDATA2LSB;

    put16(x->f + offsetof(Elf32_Ehdr, e_machine), EM_X86_64);
    expect_refusal(x, n, "ELF machine 62 (x86-64) is not Intel 80386");
    put16(x->f + offsetof(Elf32_Ehdr, e_machine), EM_ARM);
    expect_refusal(x, n, "(ARM)");
    put16(x->f + offsetof(Elf32_Ehdr, e_machine), EM_386);

    put16(x->f + offsetof(Elf32_Ehdr, e_type), ET_DYN);
    expect_refusal(x, n, "ET_DYN");
    put16(x->f + offsetof(Elf32_Ehdr, e_type), ET_REL);
    expect_refusal(x, n, "not an executable");
    put16(x->f + offsetof(Elf32_Ehdr, e_type), ET_EXEC);

    put16(x->f + offsetof(Elf32_Ehdr, e_phentsize), 40);
    expect_refusal(x, n, "program header size 40 is not 32");
    put16(x->f + offsetof(Elf32_Ehdr, e_phentsize), sizeof(Elf32_Phdr));
    put16(x->f + offsetof(Elf32_Ehdr, e_phnum), PN_XNUM);
    expect_refusal(x, n, "PN_XNUM");
    put16(x->f + offsetof(Elf32_Ehdr, e_phnum), 2);
    assert_int_equal(load_image(x, n), 0);

    /* Truncated: the ELF header itself, the program headers, a segment. */
    memset(x->f, 0, FILE_CAP);
    elf_write(x->f, ET_EXEC, EM_386, 0x100000, NULL, 0);
    mb1_header(x->f + 0x20, 0, NULL); /* over e_shoff..e_phentsize: cut off anyway */
    expect_refusal(x, 0x2C, "truncated ELF header");
    memset(x->f, 0, FILE_CAP);
    elf_write(x->f, ET_EXEC, EM_386, 0x100000, NULL, 0);
    mb1_header(x->f + 0x40, 0, NULL);
    expect_refusal(x, 0x100, "no program headers");

    memset(x->f, 0, FILE_CAP);
    struct tseg many[4] = {{PT_LOAD, 0x1000, 0x100000, 0x100000, 0x10, 0x10}};
    elf_write(x->f, ET_EXEC, EM_386, 0x100000, many, 4);
    mb1_header(x->f + 0x60, 0, NULL); /* in the (zero) second program header */
    expect_refusal(x, 0xA0, "program headers (0x34-0xB3) extend past the end of the file");

    memset(x->f, 0, FILE_CAP);
    n = kernel_elf(x->f, ET_EXEC, EM_386);
    mb1_header(x->f + 0x1000, 0, NULL);
    expect_refusal(x, n - 1, "truncated ELF: segment 1 needs file bytes 0x2000-0x200F");

    /* Placement refusals. */
    struct tseg bad[1] = {{PT_LOAD, 0x1000, 0, 0, 0x40, 0x40}};
    memset(x->f, 0, FILE_CAP);
    bad[0].paddr = bad[0].vaddr = RAM - 0x20;
    elf_write(x->f, ET_EXEC, EM_386, RAM - 0x20, bad, 1);
    mb1_header(x->f + 0x1000, 0, NULL);
    expect_refusal(x, 0x1040, "segment 0 (0xFFFFE0-0x100001F) lies beyond the end of RAM");

    bad[0].paddr = bad[0].vaddr = 0x4F0;
    elf_write(x->f, ET_EXEC, EM_386, 0x4F0, bad, 1);
    expect_refusal(x, 0x1040, "segment 0 (0x4F0-0x52F) overlaps the interrupt vector table");

    bad[0].paddr = bad[0].vaddr = 0xFFFFFFE0u;
    elf_write(x->f, ET_EXEC, EM_386, 0xFFFFFFE0u, bad, 1);
    expect_refusal(x, 0x1040, "wraps past 4 GiB");

    bad[0].paddr = bad[0].vaddr = 0x9FBF0;
    elf_write(x->f, ET_EXEC, EM_386, 0x9FBF0, bad, 1);
    expect_refusal(x, 0x1040, "outside usable RAM");

    /* Entry point in no segment; file size above memory size. */
    bad[0].paddr = bad[0].vaddr = 0x100000;
    elf_write(x->f, ET_EXEC, EM_386, 0x100040, bad, 1);
    expect_refusal(x, 0x1040, "entry point 0x100040 is not inside any loadable segment");
    bad[0].memsz = 0x20;
    elf_write(x->f, ET_EXEC, EM_386, 0x100000, bad, 1);
    expect_refusal(x, 0x1040, "file size 0x40 larger than its memory size 0x20");

    /* Only non-loadable segments. */
    struct tseg note[1] = {{PT_NOTE, 0x1000, 0x100000, 0x100000, 0x40, 0x40}};
    elf_write(x->f, ET_EXEC, EM_386, 0x100000, note, 1);
    expect_refusal(x, 0x1040, "no loadable (PT_LOAD) segment");
}

/* Boot information and modules that do not fit below the top of RAM. */
static void test_mb1_refusals_no_room(void **state)
{
    struct fx *x = *state;
    struct tseg s[1] = {{PT_LOAD, 0x1000, 0x100000, 0x100000, 0x40, RAM - 0x100000 - 0x800}};
    elf_write(x->f, ET_EXEC, EM_386, 0x100000, s, 1);
    mb1_header(x->f + 0x1000, 0, NULL);
    expect_refusal(x, 0x1040, "not enough RAM for the boot information");

    s[0].memsz = RAM - 0x100000 - 0x2000; /* room for the information only */
    elf_write(x->f, ET_EXEC, EM_386, 0x100000, s, 1);
    static const uint8_t big[0x1800];
    const struct mb_module mods[1] = {{big, sizeof(big), "m"}};
    struct mb_boot b = {x->f, 0x1040, NULL, mods, 1, "ringzero"};
    assert_int_equal(load(x, &b), -1);
    assert_non_null(strstr(x->err, "not enough RAM for module 0 (0x1800 bytes)"));
    b.nmodules = 0;
    assert_int_equal(load(x, &b), 0);
    assert_int_equal(x->ebx, RAM - 0x2000);

    /* A module list that is missing, a module with no data, no image. */
    b.nmodules = 1;
    b.modules = NULL;
    assert_int_equal(load(x, &b), -1);
    const struct mb_module nodata[1] = {{NULL, 4, NULL}};
    b.modules = nodata;
    assert_int_equal(load(x, &b), -1);
    assert_non_null(strstr(x->err, "module 0 has no data"));
    struct mb_boot empty = {NULL, 0, NULL, NULL, 0, NULL};
    assert_int_equal(load(x, &empty), -1);
    assert_int_equal(mb_load(x->mmu, RAM, NULL, &x->entry, &x->eax, &x->ebx, NULL, 0), -1);
    /* A RAM size larger than the MMU's. */
    s[0].memsz = 0x40;
    elf_write(x->f, ET_EXEC, EM_386, 0x100000, s, 1);
    assert_int_equal(mb_load(x->mmu, RAM * 2, &b, &x->entry, &x->eax, &x->ebx, x->err,
                             sizeof(x->err)), -1);
}

/* ------------------------------------------------------- Multiboot 2 */

/* Walk the boot information tags at mbi; returns the count and checks
 * alignment and the end tag. */
static unsigned mb2_tags(struct mmu *mmu, uint32_t mbi, uint32_t *addr, unsigned max)
{
    uint32_t total = rd32(mmu, mbi);
    assert_int_equal(rd32(mmu, mbi + 4), 0);
    uint32_t pos = 8;
    unsigned n = 0;
    for (;;) {
        assert_true(pos + 8 <= total);
        assert_int_equal(pos & 7, 0);
        uint32_t type = rd32(mmu, mbi + pos), size = rd32(mmu, mbi + pos + 4);
        if (n < max)
            addr[n] = mbi + pos;
        n++;
        if (type == 0) {
            assert_int_equal(size, 8);
            assert_int_equal(pos + 8, total);
            return n;
        }
        pos += (size + 7) & ~7u;
    }
}

static void test_mb2_elf_load(void **state)
{
    struct fx *x = *state;
    size_t n = kernel_elf(x->f, ET_EXEC, EM_386);
    struct mb2w w;
    mb2_begin(&w, x->f + 0x1000);
    const uint32_t want[] = {1, 2, 3, 4, 6};
    mb2_tag(&w, 1, 0, want, 5);
    mb2_tag(&w, 6, 0, NULL, 0);                           /* module alignment */
    const uint32_t fb[] = {1024, 768, 32};
    mb2_tag(&w, 5, 1, fb, 3);                             /* framebuffer, optional */
    const uint32_t console[] = {2};                       /* EGA text supported */
    mb2_tag(&w, 4, 0, console, 1);
    mb2_tag(&w, 7, 0, NULL, 0);                           /* EFI boot services */
    mb2_tag(&w, 99, 1, NULL, 0);                          /* unknown but optional */
    mb2_end(&w, 0);
    assert_int_equal(mb_detect(x->f, n), MB_V2);

    uint8_t junk[0x3000];
    memset(junk, 0xCC, sizeof(junk));
    mmu_write_block(x->mmu, K_DATA, junk, sizeof(junk));
    static const uint8_t mod0[] = {9, 8, 7};
    const struct mb_module mods[2] = {{mod0, 3, "first module"}, {mod0, 0, NULL}};
    struct mb_boot b = {x->f, n, "root=/dev/ram0", mods, 2, "ringzero"};
    assert_int_equal(load(x, &b), 0);
    assert_string_equal(x->err, "");
    assert_int_equal(x->eax, 0x36D76289u);
    assert_int_equal(x->entry.eip, K_ENTRY);
    assert_int_equal(x->ebx, K_BSS_END);
    assert_int_equal(rd32(x->mmu, K_DATA + 0x10), 0);
    assert_int_equal(rd32(x->mmu, K_BSS_END - 4), 0);

    uint32_t t[16];
    assert_int_equal(mb2_tags(x->mmu, x->ebx, t, 16), 7);
    /* Command line, loader name. */
    assert_int_equal(rd32(x->mmu, t[0]), 1);
    assert_int_equal(rd32(x->mmu, t[0] + 4), 8 + 15);
    assert_guest_string(x->mmu, t[0] + 8, "root=/dev/ram0");
    assert_int_equal(rd32(x->mmu, t[1]), 2);
    assert_int_equal(rd32(x->mmu, t[1] + 4), 8 + 9);
    assert_guest_string(x->mmu, t[1] + 8, "ringzero");
    /* Modules. */
    assert_int_equal(rd32(x->mmu, t[2]), 3);
    assert_int_equal(rd32(x->mmu, t[2] + 4), 16 + 13);
    uint32_t m0 = rd32(x->mmu, t[2] + 8);
    assert_int_equal(m0 & 0xFFF, 0);
    assert_true(m0 > x->ebx);
    assert_int_equal(rd32(x->mmu, t[2] + 12), m0 + 3);
    assert_guest_string(x->mmu, t[2] + 16, "first module");
    uint8_t buf[3];
    mmu_read_block(x->mmu, m0, buf, 3);
    assert_memory_equal(buf, mod0, 3);
    assert_int_equal(rd32(x->mmu, t[3]), 3);
    assert_int_equal(rd32(x->mmu, t[3] + 4), 17);
    uint32_t m1 = rd32(x->mmu, t[3] + 8);
    assert_int_equal(m1 & 0xFFF, 0);
    assert_int_equal(rd32(x->mmu, t[3] + 12), m1); /* empty module */
    assert_guest_string(x->mmu, t[3] + 16, "");
    /* Basic memory information. */
    assert_int_equal(rd32(x->mmu, t[4]), 4);
    assert_int_equal(rd32(x->mmu, t[4] + 4), 16);
    assert_int_equal(rd32(x->mmu, t[4] + 8), 639);
    assert_int_equal(rd32(x->mmu, t[4] + 12), (RAM - 0x100000u) / 1024u);
    /* Memory map. */
    assert_int_equal(rd32(x->mmu, t[5]), 6);
    assert_int_equal(rd32(x->mmu, t[5] + 4), 16 + 24 * NMAP);
    assert_int_equal(rd32(x->mmu, t[5] + 8), 24);
    assert_int_equal(rd32(x->mmu, t[5] + 12), 0);
    for (unsigned k = 0; k < NMAP; k++) {
        uint32_t e = t[5] + 16 + 24 * k;
        assert_int_equal(rd64(x->mmu, e), expect_map[k].addr);
        assert_int_equal(rd64(x->mmu, e + 8), expect_map[k].size);
        assert_int_equal(rd32(x->mmu, e + 16), expect_map[k].type);
        assert_int_equal(rd32(x->mmu, e + 20), 0);
    }
    assert_int_equal(rd32(x->mmu, t[6]), 0);
}

/* The entry address tag replaces e_entry; ELF loading still applies. */
static void test_mb2_entry_tag(void **state)
{
    struct fx *x = *state;
    size_t n = kernel_elf(x->f, ET_EXEC, EM_386);
    struct mb2w w;
    mb2_begin(&w, x->f + 0x1000);
    const uint32_t entry[] = {0x100080};
    mb2_tag(&w, 3, 0, entry, 1);
    mb2_end(&w, 0);
    struct mb_boot b = {x->f, n, NULL, NULL, 0, NULL};
    assert_int_equal(load(x, &b), 0);
    assert_int_equal(x->entry.eip, 0x100080);
    uint32_t t[8];
    assert_int_equal(mb2_tags(x->mmu, x->ebx, t, 8), 4); /* cmdline, meminfo, mmap, end */
    assert_guest_string(x->mmu, t[0] + 8, "");
    assert_int_equal(rd32(x->mmu, t[1]), 4);

    /* An entry outside the loaded file bytes is refused. */
    mb2_begin(&w, x->f + 0x1000);
    const uint32_t outside[] = {0x100100};
    mb2_tag(&w, 3, 0, outside, 1);
    mb2_end(&w, 0);
    expect_refusal(x, n, "entry address 0x100100 is outside the loaded segments");
}

/* Address tag + entry tag on a raw binary. */
static void test_mb2_address_tag(void **state)
{
    struct fx *x = *state;
    for (unsigned k = 0; k < 0x200; k++)
        x->f[k] = (uint8_t)(k ^ 0x33);
    struct mb2w w;
    mb2_begin(&w, x->f + 0x40);
    const uint32_t addr[] = {0x300040, 0x300000, 0x300200, 0x302000};
    mb2_tag(&w, 2, 0, addr, 4);
    const uint32_t entry[] = {0x300100};
    mb2_tag(&w, 3, 0, entry, 1);
    mb2_end(&w, 0);
    uint8_t junk[8];
    memset(junk, 0x77, sizeof(junk));
    mmu_write_block(x->mmu, 0x300200, junk, sizeof(junk));
    assert_int_equal(load_image(x, 0x400), 0);
    uint8_t buf[0x200];
    mmu_read_block(x->mmu, 0x300000, buf, 0x200);
    assert_memory_equal(buf, x->f, 0x200);
    assert_int_equal(rd32(x->mmu, 0x300200), 0);
    assert_int_equal(x->entry.eip, 0x300100);
    assert_int_equal(x->ebx, 0x302000);

    /* load_addr = -1: the file from its start, the header at header_addr. */
    const uint32_t whole[] = {0x500040, 0xFFFFFFFFu, 0, 0};
    mb2_begin(&w, x->f + 0x40);
    mb2_tag(&w, 2, 0, whole, 4);
    const uint32_t entry2[] = {0x500000};
    mb2_tag(&w, 3, 0, entry2, 1);
    mb2_end(&w, 0);
    assert_int_equal(load_image(x, 0x300), 0);
    mmu_read_block(x->mmu, 0x500000, buf, 0x200);
    assert_memory_equal(buf, x->f, 0x200);
    assert_int_equal(x->ebx, 0x501000);

    /* Address tag without an entry tag. */
    mb2_begin(&w, x->f + 0x40);
    mb2_tag(&w, 2, 0, addr, 4);
    mb2_end(&w, 0);
    expect_refusal(x, 0x400, "address tag without an entry address tag");

    /* load_addr above header_addr. */
    const uint32_t above[] = {0x300040, 0x300080, 0, 0};
    mb2_begin(&w, x->f + 0x40);
    mb2_tag(&w, 2, 0, above, 4);
    mb2_tag(&w, 3, 0, entry, 1);
    mb2_end(&w, 0);
    expect_refusal(x, 0x400, "load_addr 0x300080 is above header_addr");
}

static void test_mb2_refusals(void **state)
{
    struct fx *x = *state;
    size_t n = kernel_elf(x->f, ET_EXEC, EM_386);
    struct mb2w w;

    /* A required information request the loader cannot meet. */
    mb2_begin(&w, x->f + 0x1000);
    const uint32_t want_fb[] = {1, 8};
    mb2_tag(&w, 1, 0, want_fb, 2);
    mb2_end(&w, 0);
    expect_refusal(x, n, "requires boot information tag 8 (framebuffer information)");
    /* ... the same request marked optional is fine. */
    mb2_begin(&w, x->f + 0x1000);
    mb2_tag(&w, 1, 1, want_fb, 2);
    mb2_end(&w, 0);
    assert_int_equal(load_image(x, n), 0);

    /* A required framebuffer. */
    mb2_begin(&w, x->f + 0x1000);
    const uint32_t fb[] = {640, 480, 8};
    mb2_tag(&w, 5, 0, fb, 3);
    mb2_end(&w, 0);
    expect_refusal(x, n, "requires a framebuffer");

    /* A required console. */
    mb2_begin(&w, x->f + 0x1000);
    const uint32_t console[] = {3};
    mb2_tag(&w, 4, 0, console, 1);
    mb2_end(&w, 0);
    expect_refusal(x, n, "requires a console");

    /* An unknown required tag. */
    mb2_begin(&w, x->f + 0x1000);
    mb2_tag(&w, 42, 0, NULL, 0);
    mb2_end(&w, 0);
    expect_refusal(x, n, "required tag type 42");

    /* A tag too short for its fields, a tag running past the header. */
    mb2_begin(&w, x->f + 0x1000);
    mb2_tag(&w, 2, 0, console, 1);
    mb2_end(&w, 0);
    expect_refusal(x, n, "tag type 2 has size 12, at least 24 expected");
    mb2_begin(&w, x->f + 0x1000);
    mb2_tag(&w, 6, 0, NULL, 0);
    mb2_end(&w, 0);
    put32(x->f + 0x1000 + 16 + 4, 0x100);
    expect_refusal(x, n, "bad size 256");

    /* No end tag: a header whose length stops before it. */
    mb2_begin(&w, x->f + 0x1000);
    mb2_tag(&w, 6, 0, NULL, 0);
    mb2_tag(&w, 6, 0, NULL, 0);
    w.len -= 8;
    put32(w.h, MB2_HEADER_MAGIC);
    put32(w.h + 4, 0);
    put32(w.h + 8, w.len);
    put32(w.h + 12, 0u - MB2_HEADER_MAGIC - w.len);
    expect_refusal(x, n, "no end tag");

    /* header_length smaller than the fixed part + end tag. */
    put32(w.h + 8, 16);
    put32(w.h + 12, 0u - MB2_HEADER_MAGIC - 16);
    expect_refusal(x, n, "header length 16 is too small");

    /* Truncated: header_length past the end of the file. */
    memset(x->f, 0, FILE_CAP);
    mb2_begin(&w, x->f + 0x40);
    mb2_tag(&w, 6, 0, NULL, 0);
    mb2_end(&w, 0);
    expect_refusal(x, 0x40 + 20, "truncated Multiboot 2 header");
    expect_refusal(x, 0x40 + 12, "truncated Multiboot 2 header at offset 0x40");

    /* Bad checksum, foreign architecture. */
    put32(w.h + 12, 1);
    expect_refusal(x, 0x100, "Multiboot 2 header at offset 0x40 has a bad checksum");
    mb2_end(&w, 4);
    expect_refusal(x, 0x100, "architecture 4, not i386");

    /* ELF refusals apply to Multiboot 2 too. */
    memset(x->f, 0, FILE_CAP);
    n = kernel_elf(x->f, ET_EXEC, EM_386);
    x->f[EI_CLASS] = ELFCLASS64;
    mb2_begin(&w, x->f + 0x1000);
    mb2_end(&w, 0);
    expect_refusal(x, n, "ELF64");

    /* mb2_load on an offset without a header. */
    struct mb_boot b = {x->f, n, NULL, NULL, 0, NULL};
    assert_int_equal(mb2_load(x->mmu, RAM, &b, 0x800, &x->entry, &x->eax, &x->ebx, x->err,
                              sizeof(x->err)), -1);
    assert_int_equal(mb2_load(x->mmu, RAM, &b, n, &x->entry, &x->eax, &x->ebx, x->err,
                              sizeof(x->err)), -1);
}

/* --------------------------------------------------------- entry state */

static void test_entry_state(void **state)
{
    struct fx *x = *state;
    struct cpu_bus_ops bus = empty_bus(NULL);
    struct cpu_config cfg = {CPU_MODEL_PENTIUM2, true};
    struct cpu *cpu = cpu_create(x->mmu, &bus, &cfg);
    assert_non_null(cpu);
    cpu_reset(cpu);
    cpu_set_eflags(cpu, 0x2u | CPU_FL_IF);

    /* A kernel that stores EAX, the info flags and its cmdline's first
     * bytes, then halts:
     *   mov [0x600], eax; mov ecx, [ebx]; mov [0x604], ecx;
     *   mov ecx, [ebx+16]; mov ecx, [ecx]; mov [0x608], ecx; hlt */
    static const uint8_t code[] = {
        0xA3, 0x00, 0x06, 0x00, 0x00,
        0x8B, 0x0B,
        0x89, 0x0D, 0x04, 0x06, 0x00, 0x00,
        0x8B, 0x4B, 0x10,
        0x8B, 0x09,
        0x89, 0x0D, 0x08, 0x06, 0x00, 0x00,
        0xF4,
    };
    size_t n = kernel_elf(x->f, ET_EXEC, EM_386);
    memcpy(x->f + 0x1040, code, sizeof(code));
    mb1_header(x->f + 0x1000, MB1_FLAG_MEMORY_INFO, NULL);
    struct mb_boot b = {x->f, n, "abcd", NULL, 0, "ringzero"};
    assert_int_equal(load(x, &b), 0);
    mb_apply_entry(cpu, RAM, &x->entry, x->eax, x->ebx);

    assert_int_equal(cpu_get_reg(cpu, CPU_EAX), 0x2BADB002u);
    assert_int_equal(cpu_get_reg(cpu, CPU_EBX), x->ebx);
    assert_int_equal(cpu_get_eip(cpu), K_ENTRY);
    assert_int_equal(cpu_get_reg(cpu, CPU_ESP), RAM);
    uint32_t cr0 = cpu_get_cr(cpu, 0);
    assert_int_equal(cr0 & 1u, 1u);
    assert_int_equal(cr0 & 0x80000000u, 0);
    uint32_t fl = cpu_get_eflags(cpu);
    assert_int_equal(fl & (CPU_FL_IF | CPU_FL_VM), 0);
    assert_int_equal(fl, 0x2);
    struct cpu_segment s;
    cpu_get_segment(cpu, CPU_CS, &s);
    assert_int_equal(s.base, 0);
    assert_int_equal(s.limit, 0xFFFFFFFFu);
    assert_int_equal(s.attr & 0x1Fu, 0x1Bu); /* code, execute/read (accessed) */
    assert_true(s.attr & 0x80u);             /* present */
    assert_true(s.attr & CPU_SEG_ATTR_DB);   /* 32-bit */
    static const enum cpu_sreg data[] = {CPU_DS, CPU_ES, CPU_FS, CPU_GS, CPU_SS};
    for (unsigned k = 0; k < 5; k++) {
        cpu_get_segment(cpu, data[k], &s);
        assert_int_equal(s.base, 0);
        assert_int_equal(s.limit, 0xFFFFFFFFu);
        assert_int_equal(s.attr & 0x1Fu, 0x13u); /* data, read/write (accessed) */
        assert_true(s.attr & CPU_SEG_ATTR_DB);
    }

    assert_int_equal(cpu_run(cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(rd32(x->mmu, 0x600), 0x2BADB002u);
    assert_int_equal(rd32(x->mmu, 0x604), 0x1u | 0x4u | 0x40u | 0x200u);
    assert_int_equal(rd32(x->mmu, 0x608), 0x64636261u);

    /* Paging on before the entry: mb_apply_entry turns it off. */
    cpu_reset(cpu);
    cpu_set_cr(cpu, 0, cpu_get_cr(cpu, 0) | 0x80000001u);
    mb_apply_entry(cpu, RAM, &x->entry, x->eax, x->ebx);
    assert_int_equal(cpu_get_cr(cpu, 0) & 0x80000001u, 1u);
    cpu_destroy(cpu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_detect, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_elf_load, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_minimal_info, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_video_flag, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_higher_half, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_skips_other_segments, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_low_kernel_placement, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_aout_kludge, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_kludge_beats_elf, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_refusals_header, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_refusals_aout, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_refusals_elf, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb1_refusals_no_room, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb2_elf_load, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb2_entry_tag, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb2_address_tag, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mb2_refusals, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_entry_state, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
