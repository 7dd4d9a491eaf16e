/*
 * test_linux.c - the Linux boot protocol loader (bios/linux.c) and the
 * E820 map (bios/e820.c): a synthetic bzImage built here is loaded into a
 * real MMU, and the zero page, command line, initrd, GDT and CPU entry
 * state are read back; every refusal is checked with its message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bios/e820.h"
#include "bios/linux.h"
#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "tests/empty_bus.h"

#define MIB 0x100000u
#define RAM (64u * MIB)

/* What the synthetic bzImage says about itself. */
struct image_spec {
    unsigned version;
    uint8_t setup_sects; /* 0 means 4 */
    uint8_t loadflags;
    uint32_t syssize;    /* in 16-byte units */
    uint32_t initrd_addr_max;
    uint32_t kernel_alignment;
    uint8_t relocatable;
    uint16_t xloadflags;
    uint32_t cmdline_size;
    uint64_t pref_address;
    uint32_t init_size;
    size_t pm_size;
};

static struct image_spec default_spec(void)
{
    struct image_spec s = {
        .version = 0x020F,
        .setup_sects = 4,
        .loadflags = 0x01,
        .syssize = 0x3000 / 16,
        .initrd_addr_max = 0x7FFFFFFF,
        .kernel_alignment = 0x200000,
        .relocatable = 1,
        .xloadflags = 0,
        .cmdline_size = 0x7FF,
        .pref_address = 0x1000000,
        .init_size = 0x800000,
        .pm_size = 0x3000,
    };
    return s;
}

#define HDR_END 0x26Cu /* 0x202 + the jump byte 0x6A, as 2.15 kernels have it */

static void st16(uint8_t *p, uint32_t v) { mmu_st16(p, (uint16_t)v); }
static void st32(uint8_t *p, uint32_t v) { mmu_st32(p, v); }

/* The first bytes of the protected-mode part: reload DS/ES/SS with
 * __BOOT_DS and CS with __BOOT_CS from the loader's GDT, read
 * type_of_loader through ESI, halt. */
static const uint8_t pm_program[] = {
    0xB8, 0x18, 0x00, 0x00, 0x00,             /* mov eax, 18h */
    0x8E, 0xD8,                               /* mov ds, eax */
    0x8E, 0xC0,                               /* mov es, eax */
    0x8E, 0xD0,                               /* mov ss, eax */
    0xEA, 0x12, 0x00, 0x10, 0x00, 0x10, 0x00, /* jmp 10h:100012h */
    0x8A, 0x86, 0x10, 0x02, 0x00, 0x00,       /* mov al, [esi + 210h] */
    0xF4                                      /* hlt */
};

static uint8_t *make_image(const struct image_spec *s, size_t *size)
{
    size_t setup = ((size_t)(s->setup_sects ? s->setup_sects : 4) + 1) * 512;
    *size = setup + s->pm_size;
    uint8_t *k = calloc(1, *size);
    assert_non_null(k);
    /* Setup code bytes everywhere, so that stray copies show. */
    memset(k, 0xEE, setup);
    k[0x1F1] = s->setup_sects;
    st16(k + 0x1F2, 1);        /* root_flags */
    st32(k + 0x1F4, s->syssize);
    st16(k + 0x1F8, 0);        /* ram_size (obsolete) */
    st16(k + 0x1FA, 0xFFFF);   /* vid_mode */
    st16(k + 0x1FC, 0);        /* root_dev */
    st16(k + 0x1FE, 0xAA55);   /* boot_flag */
    k[0x200] = 0xEB;           /* jmp short */
    k[0x201] = HDR_END - 0x202;
    memcpy(k + 0x202, "HdrS", 4);
    st16(k + 0x206, s->version);
    st32(k + 0x208, 0);        /* realmode_swtch */
    st16(k + 0x20C, 0x1000);   /* start_sys_seg */
    st16(k + 0x20E, 0x3E0);    /* kernel_version */
    k[0x210] = 0;              /* type_of_loader */
    k[0x211] = s->loadflags;
    st16(k + 0x212, 0x8000);   /* setup_move_size */
    st32(k + 0x214, 0x100000); /* code32_start */
    st32(k + 0x218, 0);
    st32(k + 0x21C, 0);
    st32(k + 0x220, 0);
    st16(k + 0x224, 0);
    k[0x226] = 0;
    k[0x227] = 0;
    st32(k + 0x228, 0);
    st32(k + 0x22C, s->initrd_addr_max);
    st32(k + 0x230, s->kernel_alignment);
    k[0x234] = s->relocatable;
    k[0x235] = 13;             /* min_alignment */
    st16(k + 0x236, s->xloadflags);
    st32(k + 0x238, s->cmdline_size);
    st32(k + 0x23C, 0);        /* hardware_subarch */
    memset(k + 0x240, 0, 8);
    st32(k + 0x248, 0x3AB);    /* payload_offset */
    st32(k + 0x24C, 0x1000);   /* payload_length */
    memset(k + 0x250, 0, 8);   /* setup_data */
    st32(k + 0x258, (uint32_t)s->pref_address);
    st32(k + 0x25C, (uint32_t)(s->pref_address >> 32));
    st32(k + 0x260, s->init_size);
    st32(k + 0x264, 0);        /* handover_offset */
    st32(k + 0x268, 0);        /* kernel_info_offset */
    for (size_t i = 0; i < s->pm_size; i++)
        k[setup + i] = (uint8_t)(i * 7 + 3);
    if (s->pm_size >= sizeof(pm_program))
        memcpy(k + setup, pm_program, sizeof(pm_program));
    return k;
}

static uint8_t rd8(struct mmu *m, uint32_t a) { return (uint8_t)mmu_read_phys(m, a, 1); }
static uint16_t rd16(struct mmu *m, uint32_t a) { return (uint16_t)mmu_read_phys(m, a, 2); }
static uint32_t rd32(struct mmu *m, uint32_t a) { return mmu_read_phys(m, a, 4); }
static uint64_t rd64(struct mmu *m, uint32_t a)
{
    return (uint64_t)rd32(m, a) | ((uint64_t)rd32(m, a + 4) << 32);
}

static uint32_t zp(uint32_t off) { return LINUX_ZERO_PAGE + off; }

/* Load with the given spec and inputs; returns linux_load's result. */
static int load(struct mmu *m, uint32_t ram, const struct image_spec *s, const uint8_t *initrd,
                size_t initrd_size, const char *cmdline, struct linux_entry *e, char *err,
                size_t errlen)
{
    size_t size;
    uint8_t *k = make_image(s, &size);
    struct linux_boot lb = { k, size, initrd, initrd_size, cmdline };
    int r = linux_load(m, ram, &lb, e, err, errlen);
    free(k);
    return r;
}

static bool all_zero(struct mmu *m, uint32_t a, uint32_t len)
{
    for (uint32_t k = 0; k < len; k++)
        if (rd8(m, a + k) != 0)
            return false;
    return true;
}

/* ---- E820 ---- */

static void check_entry(const struct e820_entry *e, uint64_t addr, uint64_t size, uint32_t type)
{
    assert_int_equal(e->addr, addr);
    assert_int_equal(e->size, size);
    assert_int_equal(e->type, type);
}

static void test_e820_map(void **state)
{
    (void)state;
    struct e820_entry map[E820_MAX_ENTRIES];
    assert_int_equal(e820_build(RAM, map, E820_MAX_ENTRIES), 5);
    check_entry(&map[0], 0, 0x9FC00, E820_USABLE);
    check_entry(&map[1], 0x9FC00, 0x400, E820_RESERVED);
    check_entry(&map[2], 0xE0000, 0x20000, E820_RESERVED);
    check_entry(&map[3], 0x100000, RAM - 0x100000, E820_USABLE);
    check_entry(&map[4], 0xFFFC0000u, 0x40000, E820_RESERVED);

    /* The largest board: 3.5 GiB. */
    assert_int_equal(e820_build(0xE0000000u, map, E820_MAX_ENTRIES), 5);
    check_entry(&map[3], 0x100000, 0xE0000000u - 0x100000u, E820_USABLE);

    /* 1 MiB: no extended memory. */
    assert_int_equal(e820_build(MIB, map, E820_MAX_ENTRIES), 4);
    check_entry(&map[2], 0xE0000, 0x20000, E820_RESERVED);
    check_entry(&map[3], 0xFFFC0000u, 0x40000, E820_RESERVED);

    /* 512 KiB: conventional memory shortened, no EBDA. */
    assert_int_equal(e820_build(0x80000, map, E820_MAX_ENTRIES), 3);
    check_entry(&map[0], 0, 0x80000, E820_USABLE);
    check_entry(&map[1], 0xE0000, 0x20000, E820_RESERVED);

    /* A short buffer: cut, never overrun. */
    struct e820_entry two[3];
    memset(two, 0xA5, sizeof(two));
    assert_int_equal(e820_build(RAM, two, 2), 2);
    check_entry(&two[1], 0x9FC00, 0x400, E820_RESERVED);
    assert_int_equal(two[2].type, 0xA5A5A5A5u);
    assert_int_equal(e820_build(RAM, two, 0), 0);
}

/* ---- a successful load ---- */

static void test_load_zero_page(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    struct image_spec s = default_spec();
    struct linux_entry e;
    char err[160] = "";
    size_t size;
    uint8_t *k = make_image(&s, &size);
    struct linux_boot lb = { k, size, NULL, 0, "console=ttyS0" };
    assert_int_equal(linux_load(m, RAM, &lb, &e, err, sizeof(err)), 0);
    assert_string_equal(err, "");

    /* The protected-mode part at 1 MiB, byte for byte. */
    uint8_t *pm = malloc(s.pm_size);
    assert_non_null(pm);
    mmu_read_block(m, 0x100000, pm, s.pm_size);
    assert_memory_equal(pm, k + 5 * 512, s.pm_size);
    free(pm);

    /* The setup header, copied from 0x1F1 to its end... */
    uint8_t hdr[HDR_END - 0x1F1];
    mmu_read_block(m, zp(0x1F1), hdr, sizeof(hdr));
    for (unsigned off = 0x1F1; off < HDR_END; off++) {
        bool ours = off == 0x1FA || off == 0x1FB || (off >= 0x210 && off <= 0x211) ||
                    (off >= 0x214 && off < 0x220) || (off >= 0x224 && off < 0x226) ||
                    (off >= 0x228 && off < 0x22C);
        if (!ours)
            assert_int_equal(hdr[off - 0x1F1], k[off]);
    }
    /* ...and not beyond (setup code bytes are 0xEE). */
    assert_true(all_zero(m, zp(HDR_END), 0x290 - HDR_END));
    assert_int_equal(rd8(m, zp(0x1F1)), 4);
    assert_int_equal(rd16(m, zp(0x1FE)), 0xAA55);
    assert_int_equal(rd32(m, zp(0x202)), 0x53726448); /* "HdrS" */
    assert_int_equal(rd16(m, zp(0x206)), 0x020F);

    /* The loader's fields. */
    assert_int_equal(rd16(m, zp(0x1FA)), 0xFFFF);     /* vid_mode: normal */
    assert_int_equal(rd8(m, zp(0x210)), 0xFF);        /* type_of_loader */
    assert_int_equal(rd8(m, zp(0x211)), 0x81);        /* LOADED_HIGH | CAN_USE_HEAP */
    assert_int_equal(rd32(m, zp(0x214)), 0x100000);   /* code32_start */
    assert_int_equal(rd32(m, zp(0x218)), 0);          /* no initrd */
    assert_int_equal(rd32(m, zp(0x21C)), 0);
    assert_int_equal(rd16(m, zp(0x224)), 0xDE00);     /* heap_end_ptr */
    assert_int_equal(rd32(m, zp(0x228)), LINUX_CMDLINE_ADDR);

    /* Memory sizes, screen_info zero apart from ext_mem_k (no VGA
     * console), the sentinel clear. */
    assert_int_equal(rd16(m, zp(0x002)), (RAM - MIB) / 1024);
    assert_int_equal(rd32(m, zp(0x1E0)), (RAM - MIB) / 1024);
    assert_true(all_zero(m, zp(0x000), 2));
    assert_true(all_zero(m, zp(0x004), 0x40 - 4));
    assert_int_equal(rd8(m, zp(0x1EF)), 0);
    assert_true(all_zero(m, zp(0x040), 0x1E0 - 0x40));

    /* The E820 table, as e820_build() gives it. */
    struct e820_entry map[E820_MAX_ENTRIES];
    unsigned n = e820_build(RAM, map, E820_MAX_ENTRIES);
    assert_int_equal(rd8(m, zp(0x1E8)), n);
    for (unsigned i = 0; i < n; i++) {
        uint32_t a = zp(0x2D0 + 20 * i);
        assert_int_equal(rd64(m, a), map[i].addr);
        assert_int_equal(rd64(m, a + 8), map[i].size);
        assert_int_equal(rd32(m, a + 16), map[i].type);
    }
    assert_true(all_zero(m, zp(0x2D0 + 20 * n), 0x1000 - (0x2D0 + 20 * n)));

    /* The command line. */
    char cmd[32];
    mmu_read_block(m, LINUX_CMDLINE_ADDR, cmd, sizeof(cmd));
    assert_string_equal(cmd, "console=ttyS0");

    /* The entry. */
    assert_int_equal(e.eip, 0x100000);
    assert_int_equal(e.zero_page, LINUX_ZERO_PAGE);
    assert_int_equal(e.gdt_base, LINUX_GDT_ADDR);
    assert_int_equal(e.gdt_limit, 0x1F);
    assert_true(e.esp <= LINUX_ZERO_PAGE);
    free(k);
    mmu_destroy(m);
}

static void test_gdt(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    struct image_spec s = default_spec();
    struct linux_entry e;
    assert_int_equal(load(m, RAM, &s, NULL, 0, NULL, &e, NULL, 0), 0);
    /* null, null, flat code 0x10, flat data 0x18 (SDM vol. 3, 3.4.5). */
    assert_int_equal(rd64(m, e.gdt_base + 0x00), 0);
    assert_int_equal(rd64(m, e.gdt_base + 0x08), 0);
    assert_int_equal(rd64(m, e.gdt_base + 0x10), 0x00CF9B000000FFFFull);
    assert_int_equal(rd64(m, e.gdt_base + 0x18), 0x00CF93000000FFFFull);
    mmu_destroy(m);
}

/* The entry state through a real CPU, then a few instructions that
 * reload every segment from the GDT and read the zero page via ESI. */
static void test_entry_cpu(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    struct image_spec s = default_spec();
    struct linux_entry e;
    assert_int_equal(load(m, RAM, &s, NULL, 0, NULL, &e, NULL, 0), 0);

    struct cpu_bus_ops bus = empty_bus(NULL);
    struct cpu_config cfg = { CPU_MODEL_PENTIUM2, true };
    struct cpu *cpu = cpu_create(m, &bus, &cfg);
    assert_non_null(cpu);
    cpu_set_reg(cpu, CPU_EBX, 0x1234); /* must be cleared */
    cpu_set_reg(cpu, CPU_EBP, 0x5678);
    cpu_set_reg(cpu, CPU_EDI, 0x9ABC);
    linux_apply_entry(cpu, &e);

    assert_int_equal(cpu_get_cr(cpu, 0) & 0x80000001u, 1); /* PE, no PG */
    assert_int_equal(cpu_get_eip(cpu), 0x100000);
    assert_int_equal(cpu_get_reg(cpu, CPU_ESI), LINUX_ZERO_PAGE);
    assert_int_equal(cpu_get_reg(cpu, CPU_EBX), 0);
    assert_int_equal(cpu_get_reg(cpu, CPU_EBP), 0);
    assert_int_equal(cpu_get_reg(cpu, CPU_EDI), 0);
    assert_int_equal(cpu_get_reg(cpu, CPU_ESP), LINUX_STACK_TOP);
    assert_int_equal(cpu_get_eflags(cpu), 0x2);
    uint32_t base;
    uint16_t limit;
    cpu_get_dtr(cpu, false, &base, &limit);
    assert_int_equal(base, LINUX_GDT_ADDR);
    assert_int_equal(limit, 0x1F);
    cpu_get_dtr(cpu, true, &base, &limit);
    assert_int_equal(limit, 0);
    struct cpu_segment seg;
    cpu_get_segment(cpu, CPU_CS, &seg);
    assert_int_equal(seg.selector, 0x10);
    assert_int_equal(seg.base, 0);
    assert_int_equal(seg.limit, 0xFFFFFFFFu);
    assert_int_equal(seg.attr, 0x9B | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G);
    const enum cpu_sreg data[] = { CPU_DS, CPU_ES, CPU_SS, CPU_FS, CPU_GS };
    for (unsigned i = 0; i < 5; i++) {
        cpu_get_segment(cpu, data[i], &seg);
        assert_int_equal(seg.selector, 0x18);
        assert_int_equal(seg.base, 0);
        assert_int_equal(seg.limit, 0xFFFFFFFFu);
        assert_int_equal(seg.attr, 0x93 | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G);
    }

    assert_int_equal(cpu_run(cpu, 100), CPU_STOP_DEAD_HALT);
    struct cpu_exception_info ex;
    cpu_last_exception(cpu, &ex);
    assert_false(ex.valid);
    assert_int_equal(cpu_get_reg(cpu, CPU_EAX), 0xFF); /* type_of_loader */
    assert_int_equal(cpu_get_eip(cpu), 0x100000 + sizeof(pm_program));
    cpu_get_segment(cpu, CPU_CS, &seg);
    assert_int_equal(seg.selector, 0x10);
    assert_int_equal(seg.attr, 0x9B | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G);
    cpu_get_segment(cpu, CPU_SS, &seg);
    assert_int_equal(seg.attr, 0x93 | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G);
    /* The accessed bits were already set: the GDT is unchanged. */
    assert_int_equal(rd64(m, LINUX_GDT_ADDR + 0x10), 0x00CF9B000000FFFFull);
    assert_int_equal(rd64(m, LINUX_GDT_ADDR + 0x18), 0x00CF93000000FFFFull);
    cpu_destroy(cpu);
    mmu_destroy(m);
}

/* ---- command line ---- */

static void test_cmdline(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    struct image_spec s = default_spec();
    struct linux_entry e;
    char err[160];

    /* NULL: an empty string, still pointed to. */
    mmu_write_phys(m, LINUX_CMDLINE_ADDR, 0x41, 1);
    assert_int_equal(load(m, RAM, &s, NULL, 0, NULL, &e, err, sizeof(err)), 0);
    assert_int_equal(rd32(m, zp(0x228)), LINUX_CMDLINE_ADDR);
    assert_int_equal(rd8(m, LINUX_CMDLINE_ADDR), 0);

    /* Exactly cmdline_size characters: accepted, NUL-terminated. */
    s.cmdline_size = 16;
    assert_int_equal(load(m, RAM, &s, NULL, 0, "0123456789abcdef", &e, err, sizeof(err)), 0);
    char buf[18];
    mmu_read_block(m, LINUX_CMDLINE_ADDR, buf, sizeof(buf));
    assert_memory_equal(buf, "0123456789abcdef", 17);

    /* One more: refused (never truncated), RAM untouched. */
    struct mmu *fresh = mmu_create(RAM);
    assert_non_null(fresh);
    assert_int_equal(load(fresh, RAM, &s, NULL, 0, "0123456789abcdefg", &e, err, sizeof(err)), -1);
    assert_string_equal(err,
                        "command line of 17 bytes is longer than the kernel's limit of 16 bytes");
    assert_true(all_zero(fresh, LINUX_ZERO_PAGE, 0x1000));
    assert_true(all_zero(fresh, 0x100000, 0x100));

    /* Before 2.06 (no cmdline_size): 255 characters. */
    char long_cmd[300];
    memset(long_cmd, 'x', sizeof(long_cmd));
    long_cmd[255] = 0;
    s.version = 0x0205;
    s.cmdline_size = 0; /* not a field yet: must be ignored */
    assert_int_equal(load(fresh, RAM, &s, NULL, 0, long_cmd, &e, err, sizeof(err)), 0);
    assert_int_equal(rd8(fresh, LINUX_CMDLINE_ADDR + 254), 'x');
    assert_int_equal(rd8(fresh, LINUX_CMDLINE_ADDR + 255), 0);
    long_cmd[255] = 'x';
    long_cmd[256] = 0;
    assert_int_equal(load(fresh, RAM, &s, NULL, 0, long_cmd, &e, err, sizeof(err)), -1);
    assert_string_equal(err,
                        "command line of 256 bytes is longer than the kernel's limit of 255 bytes");

    /* A cmdline_size beyond the loader's area is capped by that area. */
    s.version = 0x020F;
    s.cmdline_size = 0xFFFFFFFFu;
    size_t room = LINUX_CMDLINE_END - LINUX_CMDLINE_ADDR;
    char *huge = malloc(room + 1);
    assert_non_null(huge);
    memset(huge, 'y', room);
    huge[room] = 0;
    assert_int_equal(load(fresh, RAM, &s, NULL, 0, huge, &e, err, sizeof(err)), -1);
    huge[room - 1] = 0;
    assert_int_equal(load(fresh, RAM, &s, NULL, 0, huge, &e, err, sizeof(err)), 0);
    assert_int_equal(rd8(fresh, LINUX_CMDLINE_END - 1), 0);
    free(huge);
    mmu_destroy(fresh);
    mmu_destroy(m);
}

/* ---- initrd ---- */

static void test_initrd(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    struct image_spec s = default_spec();
    struct linux_entry e;
    char err[160];
    size_t n = 0x12345;
    uint8_t *rd = malloc(n);
    assert_non_null(rd);
    for (size_t i = 0; i < n; i++)
        rd[i] = (uint8_t)(i ^ (i >> 8));

    /* As high as RAM allows, page-aligned. */
    assert_int_equal(load(m, RAM, &s, rd, n, NULL, &e, err, sizeof(err)), 0);
    uint32_t at = rd32(m, zp(0x218));
    assert_int_equal(at, (RAM - n) & ~0xFFFu);
    assert_int_equal(at % 4096, 0);
    assert_true(at + n <= RAM);
    assert_int_equal(rd32(m, zp(0x21C)), n);
    uint8_t *back = malloc(n);
    assert_non_null(back);
    mmu_read_block(m, at, back, n);
    assert_memory_equal(back, rd, n);

    /* initrd_addr_max (highest byte allowed) below the top of RAM. */
    s.initrd_addr_max = 0x01FFFFFF;
    assert_int_equal(load(m, RAM, &s, rd, n, NULL, &e, err, sizeof(err)), 0);
    at = rd32(m, zp(0x218));
    assert_int_equal(at, (0x2000000u - n) & ~0xFFFu);
    mmu_read_block(m, at, back, n);
    assert_memory_equal(back, rd, n);

    /* A page-multiple size ends exactly at the limit. */
    assert_int_equal(load(m, RAM, &s, rd, 0x10000, NULL, &e, err, sizeof(err)), 0);
    assert_int_equal(rd32(m, zp(0x218)), 0x2000000u - 0x10000u);

    /* Right above the kernel (pref_address + init_size = 24 MiB): fits
     * exactly, one page more does not. */
    s.initrd_addr_max = 0x7FFFFFFF;
    uint32_t kernel_end = 0x1000000u + s.init_size;
    uint8_t *big = calloc(1, RAM - kernel_end);
    assert_non_null(big);
    assert_int_equal(load(m, RAM, &s, big, RAM - kernel_end, NULL, &e, err, sizeof(err)), 0);
    assert_int_equal(rd32(m, zp(0x218)), kernel_end);
    free(big);
    free(back);
    free(rd);
    mmu_destroy(m);
}

static void test_initrd_too_big(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    struct image_spec s = default_spec();
    struct linux_entry e;
    char err[200];
    uint32_t kernel_end = 0x1000000u + s.init_size;
    size_t n = RAM - kernel_end + 1;
    uint8_t *rd = calloc(1, n);
    assert_non_null(rd);
    assert_int_equal(load(m, RAM, &s, rd, n, NULL, &e, err, sizeof(err)), -1);
    char want[200];
    snprintf(want, sizeof(want),
             "initrd (%zu bytes) does not fit below 0x4000000 above the kernel (which uses RAM up "
             "to 0x1800000)", n);
    assert_string_equal(err, want);
    /* Larger than RAM. */
    assert_int_equal(load(m, RAM, &s, rd, (size_t)RAM + 1, NULL, &e, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "does not fit below 0x4000000"));
    /* Limited by initrd_addr_max. */
    s.initrd_addr_max = 0x017FFFFF;
    assert_int_equal(load(m, RAM, &s, rd, 0x1000, NULL, &e, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "initrd (4096 bytes) does not fit below 0x1800000"));
    /* NULL data with a size. */
    s.initrd_addr_max = 0x7FFFFFFF;
    assert_int_equal(load(m, RAM, &s, NULL, 0x1000, NULL, &e, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "initrd (4096 bytes)"));
    assert_true(all_zero(m, LINUX_ZERO_PAGE, 0x1000));
    free(rd);
    mmu_destroy(m);
}

/* ---- refusals ---- */

static void expect_refusal(const struct image_spec *s, size_t cut, uint32_t ram, const char *msg)
{
    struct mmu *m = mmu_create(ram);
    assert_non_null(m);
    size_t size;
    uint8_t *k = make_image(s, &size);
    if (cut != 0)
        size = cut;
    struct linux_boot lb = { k, size, NULL, 0, "quiet" };
    struct linux_entry e;
    char err[200] = "";
    assert_int_equal(linux_load(m, ram, &lb, &e, err, sizeof(err)), -1);
    if (strcmp(err, msg) != 0)
        fail_msg("got \"%s\", want \"%s\"", err, msg);
    /* Nothing written. */
    assert_true(all_zero(m, LINUX_ZERO_PAGE, 0x10000));
    assert_true(all_zero(m, 0x100000, 0x1000));
    /* No room for the message: still refused, no overrun. */
    char tiny[4] = { 'a', 'b', 'c', 'd' };
    assert_int_equal(linux_load(m, ram, &lb, &e, tiny, 1), -1);
    assert_int_equal(tiny[0], 0);
    assert_int_equal(tiny[1], 'b');
    assert_int_equal(linux_load(m, ram, &lb, &e, NULL, 0), -1);
    free(k);
    mmu_destroy(m);
}

static void test_refusals(void **state)
{
    (void)state;
    struct image_spec s = default_spec();
    expect_refusal(&s, 0x100, RAM, "bzImage: setup header incomplete (truncated at 256 bytes)");
    expect_refusal(&s, 0x206, RAM, "bzImage: setup header incomplete (truncated at 518 bytes)");
    expect_refusal(&s, 0x9FF, RAM, "bzImage: setup code of 2560 bytes (truncated at 2559 bytes)");
    expect_refusal(&s, 0xA00, RAM, "bzImage: no protected-mode kernel after 2560 bytes of setup");
    expect_refusal(&s, 0xA00 + 0x2FF0, RAM,
                   "bzImage: protected-mode kernel of 12288 bytes after 2560 bytes of setup "
                   "(truncated at 14832 bytes)");

    struct image_spec t = s;
    t.setup_sects = 0; /* means 4 */
    expect_refusal(&t, 0x9FF, RAM, "bzImage: setup code of 2560 bytes (truncated at 2559 bytes)");
    t.setup_sects = 30;
    expect_refusal(&t, 0xA00, RAM, "bzImage: setup code of 15872 bytes (truncated at 2560 bytes)");

    t = s;
    t.syssize = 0x3001 / 16 + 1;
    expect_refusal(&t, 0, RAM,
                   "bzImage: protected-mode kernel of 12304 bytes after 2560 bytes of setup "
                   "(truncated at 14848 bytes)");

    t = s;
    t.version = 0x0203;
    expect_refusal(&t, 0, RAM, "boot protocol 2.03 too old (need 2.04)");
    t.version = 0x0100;
    expect_refusal(&t, 0, RAM, "boot protocol 1.00 too old (need 2.04)");

    t = s;
    t.loadflags = 0;
    expect_refusal(&t, 0, RAM,
                   "zImage (LOADED_HIGH clear: kernel runs at 0x10000) not supported: need a "
                   "bzImage");

    t = s;
    t.xloadflags = 0x0001;
    expect_refusal(&t, 0, RAM,
                   "64-bit kernel (XLF_KERNEL_64): the emulated CPU has no long mode, use an i386 "
                   "kernel");

    /* RAM: pref_address + init_size = 24 MiB. */
    expect_refusal(&s, 0, 16 * MIB,
                   "kernel needs RAM up to 0x1800000 (24576 KiB), only 16384 KiB given");
    t = s;
    t.init_size = 0;
    t.pref_address = 0x100000;
    t.pm_size = 0x300000;
    t.syssize = 0x300000 / 16;
    expect_refusal(&t, 0, 3 * MIB,
                   "kernel needs RAM up to 0x400000 (4096 KiB), only 3072 KiB given");
    /* Relocatable: the load address aligned up to kernel_alignment when
     * that is above pref_address. */
    t = s;
    t.pref_address = 0x100000;
    t.kernel_alignment = 0x4000000;
    expect_refusal(&t, 0, RAM,
                   "kernel needs RAM up to 0x4800000 (73728 KiB), only 65536 KiB given");

    /* Magic numbers. */
    size_t size;
    uint8_t *k = make_image(&s, &size);
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    struct linux_entry e;
    char err[160];
    k[0x202] = 'h';
    struct linux_boot lb = { k, size, NULL, 0, NULL };
    assert_int_equal(linux_load(m, RAM, &lb, &e, err, sizeof(err)), -1);
    assert_string_equal(err, "not a Linux kernel: no HdrS signature");
    k[0x202] = 'H';
    k[0x1FE] = 0x54;
    assert_int_equal(linux_load(m, RAM, &lb, &e, err, sizeof(err)), -1);
    assert_string_equal(err, "not a Linux kernel: boot_flag is 0xAA54, not 0xAA55");
    k[0x1FE] = 0x55;
    lb.kernel = NULL;
    assert_int_equal(linux_load(m, RAM, &lb, &e, err, sizeof(err)), -1);
    assert_string_equal(err, "bzImage: setup header incomplete (truncated at 0 bytes)");
    lb.kernel = k;

    /* A20 off: a load at 1 MiB would wrap to 0. */
    mmu_set_a20(m, false);
    assert_int_equal(linux_load(m, RAM, &lb, &e, err, sizeof(err)), -1);
    assert_string_equal(err, "cannot load a kernel at 1 MiB with the A20 gate disabled");
    mmu_set_a20(m, true);
    assert_int_equal(linux_load(m, RAM, &lb, &e, err, sizeof(err)), 0);
    free(k);
    mmu_destroy(m);
}

/* Every protocol from 2.04 to 2.15 loads; fields newer than the image's
 * version are ignored. */
static void test_versions(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    for (unsigned v = 0x0204; v <= 0x020F; v++) {
        struct image_spec s = default_spec();
        s.version = v;
        /* init_size (2.10) that no RAM could satisfy. */
        s.init_size = 0xF0000000u;
        s.pref_address = 0x100000;
        /* XLF_KERNEL_64 (2.12). */
        s.xloadflags = 0x0001;
        struct linux_entry e;
        char err[160] = "";
        int r = load(m, RAM, &s, NULL, 0, "x", &e, err, sizeof(err));
        if (v < 0x020A) {
            assert_int_equal(r, 0);
            assert_int_equal(rd16(m, zp(0x206)), v);
            assert_int_equal(rd8(m, zp(0x210)), 0xFF);
        } else if (v < 0x020C) {
            assert_int_equal(r, -1);
            assert_non_null(strstr(err, "kernel needs RAM"));
            s.init_size = 0x100000;
            assert_int_equal(load(m, RAM, &s, NULL, 0, "x", &e, err, sizeof(err)), 0);
        } else {
            assert_int_equal(r, -1);
            assert_non_null(strstr(err, "64-bit kernel"));
            s.init_size = 0x100000;
            s.xloadflags = 0x0002; /* XLF_CAN_BE_LOADED_ABOVE_4G alone */
            assert_int_equal(load(m, RAM, &s, NULL, 0, "x", &e, err, sizeof(err)), 0);
        }
    }
    mmu_destroy(m);
}

static void test_is_bzimage(void **state)
{
    (void)state;
    struct image_spec s = default_spec();
    size_t size;
    uint8_t *k = make_image(&s, &size);
    assert_true(linux_is_bzimage(k, size));
    assert_true(linux_is_bzimage(k, 0x206));
    assert_false(linux_is_bzimage(k, 0x205));
    assert_false(linux_is_bzimage(NULL, 0));
    k[0x205] = 'T';
    assert_false(linux_is_bzimage(k, size));
    k[0x205] = 'S';
    k[0x1FF] = 0;
    assert_false(linux_is_bzimage(k, size));
    /* Old protocols and zImages still count: linux_load explains. */
    k[0x1FF] = 0xAA;
    st16(k + 0x206, 0x0201);
    k[0x211] = 0;
    assert_true(linux_is_bzimage(k, size));
    /* An ELF file (a multiboot kernel). */
    uint8_t elf[0x300];
    memset(elf, 0, sizeof(elf));
    memcpy(elf, "\x7F" "ELF", 4);
    assert_false(linux_is_bzimage(elf, sizeof(elf)));
    free(k);
}

/* A real kernel: RZ_TEST_BZIMAGE (ctest sets it to the Debian kernel the
 * boot_assets fixture fetches; a missing file is then a failure), else,
 * for a manual run, the benchmark's
 * $XDG_CACHE_HOME/ringzero-bench/out/vmlinuz if bench/build.sh made it. */
static void test_real_kernel(void **state)
{
    (void)state;
    char path[512];
    const char *env = getenv("RZ_TEST_BZIMAGE");
    const char *cache = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (env != NULL)
        snprintf(path, sizeof(path), "%s", env);
    else if (cache != NULL)
        snprintf(path, sizeof(path), "%s/ringzero-bench/out/vmlinuz", cache);
    else
        snprintf(path, sizeof(path), "%s/.cache/ringzero-bench/out/vmlinuz", home ? home : "");
    FILE *f = fopen(path, "rb");
    if (f == NULL && env != NULL)
        fail_msg("RZ_TEST_BZIMAGE=%s cannot be opened", env);
    if (f == NULL) {
        print_message("SKIPPED: no real bzImage at %s (set RZ_TEST_BZIMAGE)\n", path);
        skip();
        return;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    assert_true(len > 0);
    uint8_t *k = malloc((size_t)len);
    assert_non_null(k);
    assert_int_equal(fread(k, 1, (size_t)len, f), (size_t)len);
    fclose(f);

    assert_true(linux_is_bzimage(k, (size_t)len));
    struct mmu *m = mmu_create(128 * MIB);
    assert_non_null(m);
    uint8_t rd[4096] = { 0x1F, 0x8B };
    struct linux_boot lb = { k, (size_t)len, rd, sizeof(rd), "console=ttyS0 nokaslr" };
    struct linux_entry e;
    char err[200] = "";
    if (linux_load(m, 128 * MIB, &lb, &e, err, sizeof(err)) != 0)
        fail_msg("%s: %s", path, err);
    unsigned setup = (k[0x1F1] ? k[0x1F1] : 4u) + 1u;
    uint8_t first[64];
    mmu_read_block(m, 0x100000, first, sizeof(first));
    assert_memory_equal(first, k + setup * 512, sizeof(first));
    assert_int_equal(rd32(m, zp(0x218)), 128 * MIB - 4096);
    print_message("loaded %s: protocol %u.%02u, %u setup sectors, %ld bytes\n", path,
                  k[0x207], k[0x206], setup - 1, len);
    free(k);
    mmu_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_e820_map),
        cmocka_unit_test(test_load_zero_page),
        cmocka_unit_test(test_gdt),
        cmocka_unit_test(test_entry_cpu),
        cmocka_unit_test(test_cmdline),
        cmocka_unit_test(test_initrd),
        cmocka_unit_test(test_initrd_too_big),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_is_bzimage),
        cmocka_unit_test(test_real_kernel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
