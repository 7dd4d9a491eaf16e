/*
 * test_mmu.c - the physical address space (RAM, ROM, MMIO, unmapped),
 * the A20 gate, the TLB, 32-bit page walks and code-page tracking.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "mmu/mmu.h"

#define RAM (1u << 20)

/* An MMIO window that logs its accesses and returns address-derived data. */
struct mmio_log {
    unsigned n;
    uint32_t addr[16];
    unsigned size[16];
    uint32_t value[16];
    bool write[16];
};

static uint32_t mmio_read(void *opaque, uint32_t addr, unsigned size)
{
    struct mmio_log *l = opaque;
    if (l->n < 16) {
        l->addr[l->n] = addr;
        l->size[l->n] = size;
        l->write[l->n] = false;
        l->n++;
    }
    return 0xA0A0A0A0u ^ addr;
}

static void mmio_write(void *opaque, uint32_t addr, uint32_t value, unsigned size)
{
    struct mmio_log *l = opaque;
    if (l->n < 16) {
        l->addr[l->n] = addr;
        l->size[l->n] = size;
        l->value[l->n] = value;
        l->write[l->n] = true;
        l->n++;
    }
}

struct code_log {
    unsigned n;
    uint32_t phys;
    unsigned size;
};

static void code_write(void *opaque, uint32_t phys, unsigned size)
{
    struct code_log *l = opaque;
    l->n++;
    l->phys = phys;
    l->size = size;
}

static void test_ram(void **state)
{
    (void)state;
    assert_null(mmu_create(1000)); /* not a page multiple */
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    assert_int_equal(mmu_ram_size(m), RAM);
    assert_int_equal(mmu_read_phys(m, 0x1234, 4), 0);
    mmu_write_phys(m, 0x1000, 0x11223344u, 4);
    assert_int_equal(mmu_read_phys(m, 0x1000, 1), 0x44);
    assert_int_equal(mmu_read_phys(m, 0x1001, 2), 0x2233);
    uint8_t b[4];
    mmu_read_block(m, 0x1000, b, 4);
    assert_int_equal(b[0], 0x44);
    assert_int_equal(b[3], 0x11);
    /* a word across the end of RAM: the missing byte reads as FFh */
    mmu_write_phys(m, RAM - 1, 0x5A, 1);
    assert_int_equal(mmu_read_phys(m, RAM - 1, 2), 0xFF5A);
    uint8_t *h = mmu_phys_host(m, 0x1000, true);
    assert_non_null(h);
    assert_int_equal(h[1], 0x33);
    mmu_destroy(m);
}

static void test_rom_and_unmapped(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    uint8_t img[0x2000];
    for (unsigned k = 0; k < sizeof(img); k++)
        img[k] = (uint8_t)k;
    assert_int_equal(mmu_map_rom(m, 0xFFFFE000u, img, sizeof(img)), 0);
    img[0] = 0x99; /* the ROM holds a copy */
    assert_int_equal(mmu_read_phys(m, 0xFFFFE000u, 1), 0);
    assert_int_equal(mmu_read_phys(m, 0xFFFFE010u, 4), 0x13121110u);
    mmu_write_phys(m, 0xFFFFE010u, 0, 4); /* ignored */
    assert_int_equal(mmu_read_phys(m, 0xFFFFE010u, 4), 0x13121110u);
    assert_non_null(mmu_phys_host(m, 0xFFFFE000u, false));
    assert_null(mmu_phys_host(m, 0xFFFFE000u, true));
    /* overlapping another window and misalignment are refused */
    assert_int_equal(mmu_map_rom(m, 0xFFFFF000u, img, 0x1000), -1);
    assert_int_equal(mmu_map_rom(m, 0x20000800u, img, 0x1000), -1);
    /* unmapped: reads all ones, writes dropped */
    assert_int_equal(mmu_read_phys(m, 0x40000000u, 4), 0xFFFFFFFFu);
    assert_int_equal(mmu_read_phys(m, 0x40000000u, 2), 0xFFFF);
    mmu_write_phys(m, 0x40000000u, 0, 4);
    assert_int_equal(mmu_read_phys(m, 0x40000000u, 1), 0xFF);
    assert_null(mmu_phys_host(m, 0x40000000u, false));
    mmu_destroy(m);
}

/* A window over RAM hides the RAM behind it (the PC's BIOS alias below
 * 1 MiB); the RAM around it is untouched. */
static void test_rom_over_ram(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    mmu_write_phys(m, 0xEFFFE, 0x1122, 2);
    mmu_write_phys(m, 0xF0000, 0x33, 1);
    uint8_t img[0x1000];
    memset(img, 0xA5, sizeof(img));
    assert_int_equal(mmu_map_rom(m, 0xF0000, img, sizeof(img)), 0);
    assert_int_equal(mmu_read_phys(m, 0xF0000, 1), 0xA5);
    mmu_write_phys(m, 0xF0000, 0x55, 1); /* ROM: ignored */
    assert_int_equal(mmu_read_phys(m, 0xF0000, 1), 0xA5);
    assert_null(mmu_phys_host(m, 0xF0000, true));
    assert_ptr_not_equal(mmu_phys_host(m, 0xF0000, false), NULL);
    /* an access straddling RAM and the window takes each byte from its owner */
    assert_int_equal(mmu_read_phys(m, 0xEFFFE, 4), 0xA5A51122u);
    mmu_write_phys(m, 0xEFFFE, 0x00000000u, 4);
    assert_int_equal(mmu_read_phys(m, 0xEFFFE, 4), 0xA5A50000u);
    /* RAM after the window is plain RAM again */
    mmu_write_phys(m, 0xF1000, 0x77, 1);
    assert_int_equal(mmu_read_phys(m, 0xF1000, 1), 0x77);
    assert_non_null(mmu_phys_host(m, 0xF1000, true));
    /* two windows still may not overlap */
    assert_int_equal(mmu_map_rom(m, 0xF0000, img, sizeof(img)), -1);
    mmu_destroy(m);
}

static void test_mmio(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    struct mmio_log l = {0};
    struct mmu_mmio_ops ops = {&l, mmio_read, mmio_write};
    assert_int_equal(mmu_map_mmio(m, 0xFEC00000u, 0x1000, &ops), 0);
    assert_int_equal(mmu_map_mmio(m, 0xFEC00000u, 0x1000, &ops), -1);
    assert_int_equal(mmu_read_phys(m, 0xFEC00010u, 4), 0xA0A0A0A0u ^ 0xFEC00010u);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.size[0], 4);
    mmu_write_phys(m, 0xFEC00020u, 0xCAFEu, 2);
    assert_int_equal(l.n, 2);
    assert_true(l.write[1]);
    assert_int_equal(l.addr[1], 0xFEC00020u);
    assert_int_equal(l.value[1], 0xCAFEu);
    /* a dword across the window's end: split, only bytes inside reach it */
    l.n = 0;
    uint32_t v = mmu_read_phys(m, 0xFEC00FFEu, 4);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.size[0], 1);
    assert_int_equal(l.addr[1], 0xFEC00FFFu);
    assert_int_equal(v >> 16, 0xFFFF); /* the unmapped half */
    assert_null(mmu_phys_host(m, 0xFEC00000u, false));
    mmu_destroy(m);
}

static void test_a20(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(2u << 20);
    mmu_write_phys(m, 0x100010u, 0xAB, 1);
    assert_true(mmu_a20(m));
    uint32_t phys;
    struct mmu_fault f;
    assert_true(mmu_translate(m, 0x100010u, MMU_READ, false, &phys, &f));
    assert_int_equal(phys, 0x100010u);
    struct mmu_tlb *t = mmu_tlb(m);
    uint8_t *p = mmu_tlb_hit(t->read, 0x100010u, 1);
    assert_non_null(p);
    assert_int_equal(*p, 0xAB);
    /* A20 off: the entry is flushed and the address wraps to 10h */
    mmu_set_a20(m, false);
    assert_false(mmu_a20(m));
    assert_null(mmu_tlb_hit(t->read, 0x100010u, 1));
    assert_true(mmu_translate(m, 0x100010u, MMU_READ, false, &phys, &f));
    assert_int_equal(phys, 0x10u);
    mmu_write_phys(m, 0x10u, 0xCD, 1);
    assert_int_equal(mmu_read_phys(m, 0x100010u, 1), 0xCD);
    assert_int_equal(*mmu_tlb_hit(t->read, 0x100010u, 1), 0xCD);
    mmu_set_a20(m, true);
    assert_int_equal(mmu_read_phys(m, 0x100010u, 1), 0xAB);
    mmu_destroy(m);
}

static void test_tlb(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    struct mmu_tlb *t = mmu_tlb(m);
    struct mmu_stats s0, s1;
    mmu_get_stats(m, &s0);
    assert_null(mmu_tlb_hit(t->write, 0x5000, 4));
    uint32_t phys;
    struct mmu_fault f;
    assert_true(mmu_translate(m, 0x5004, MMU_WRITE, false, &phys, &f));
    assert_int_equal(phys, 0x5004);
    mmu_get_stats(m, &s1);
    assert_int_equal(s1.tlb_fills - s0.tlb_fills, 1);
    uint8_t *p = mmu_tlb_hit(t->write, 0x5008, 4);
    assert_non_null(p);
    mmu_st32(p, 0x01020304u);
    assert_int_equal(mmu_read_phys(m, 0x5008, 4), 0x01020304u);
    /* only the write set was filled */
    assert_null(mmu_tlb_hit(t->read, 0x5008, 4));
    /* misaligned accesses miss (and so never cross a page) */
    assert_null(mmu_tlb_hit(t->write, 0x5FFF, 2));
    assert_null(mmu_tlb_hit(t->write, 0x5FFE, 4));
    assert_non_null(mmu_tlb_hit(t->write, 0x5FFE, 2));
    /* flushes */
    mmu_tlb_flush_page(m, 0x5123);
    assert_null(mmu_tlb_hit(t->write, 0x5008, 4));
    assert_true(mmu_translate(m, 0x5004, MMU_WRITE, false, &phys, &f));
    assert_true(mmu_translate(m, 0x6004, MMU_READ, true, &phys, &f));
    /* the user set is separate */
    assert_null(mmu_tlb_hit(t->read, 0x6004, 1));
    assert_non_null(mmu_tlb_hit(mmu_tlb_for(m, true)->read, 0x6004, 1));
    mmu_tlb_flush(m, true);
    assert_null(mmu_tlb_hit(t->write, 0x5008, 4));
    assert_null(mmu_tlb_hit(mmu_tlb_for(m, true)->read, 0x6004, 1));
    mmu_get_stats(m, &s1);
    assert_true(s1.tlb_flushes > s0.tlb_flushes);
    mmu_destroy(m);
}

static void test_code_pages(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    struct code_log l = {0};
    mmu_set_code_write_handler(m, code_write, &l);
    struct mmu_tlb *t = mmu_tlb(m);
    uint32_t phys;
    struct mmu_fault f;
    assert_true(mmu_translate(m, 0x7000, MMU_WRITE, false, &phys, &f));
    assert_non_null(mmu_tlb_hit(t->write, 0x7000, 1));
    /* marking drops the write entry, and no new one is made */
    mmu_mark_code_page(m, 0x7123);
    assert_true(mmu_is_code_page(m, 0x7FFF));
    assert_false(mmu_is_code_page(m, 0x8000));
    assert_null(mmu_tlb_hit(t->write, 0x7000, 1));
    assert_true(mmu_translate(m, 0x7000, MMU_WRITE, false, &phys, &f));
    assert_null(mmu_tlb_hit(t->write, 0x7000, 1));
    /* reads still go fast */
    assert_true(mmu_translate(m, 0x7000, MMU_READ, false, &phys, &f));
    assert_non_null(mmu_tlb_hit(t->read, 0x7000, 1));
    /* every kind of write reports */
    mmu_write_phys(m, 0x7010, 0x1234, 2);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.phys, 0x7010);
    assert_int_equal(l.size, 2);
    static const uint8_t dma[0x20] = {1};
    mmu_write_block(m, 0x6FF0, dma, sizeof(dma)); /* DMA across into the page */
    assert_int_equal(l.n, 2);
    assert_int_equal(l.phys, 0x7000);
    assert_int_equal(l.size, 0x10);
    mmu_write_phys(m, 0x8000, 1, 1); /* another page: silent */
    assert_int_equal(l.n, 2);
    struct mmu_stats s;
    mmu_get_stats(m, &s);
    assert_int_equal(s.slow_writes_code, 2);
    /* cleared: writes fill the TLB again */
    mmu_clear_code_page(m, 0x7000);
    assert_false(mmu_is_code_page(m, 0x7000));
    assert_true(mmu_translate(m, 0x7000, MMU_WRITE, false, &phys, &f));
    assert_non_null(mmu_tlb_hit(t->write, 0x7000, 1));
    mmu_destroy(m);
}

/* ------------------------------------------------------------------ */
/* 32-bit paging                                                       */

#define PD 0x10000u
#define PT 0x11000u

static struct mmu *paged(bool wp, bool pse)
{
    struct mmu *m = mmu_create(RAM);
    /* PDE 0 -> PT (user, writable); PTEs:
     *   page 0x00400000 + 1 (linear 00001000): -> 20000, user RW
     *   linear 00002000 -> 21000, user read-only
     *   linear 00003000 -> 22000, supervisor RW
     *   linear 00004000: not present
     * PDE 1 (00400000): 4 MiB page at 0 (PS), supervisor RW, global */
    mmu_write_phys(m, PD + 0, PT | 0x007, 4);
    mmu_write_phys(m, PT + 1 * 4, 0x20000 | 0x007, 4);
    mmu_write_phys(m, PT + 2 * 4, 0x21000 | 0x005, 4);
    mmu_write_phys(m, PT + 3 * 4, 0x22000 | 0x003, 4);
    mmu_write_phys(m, PT + 4 * 4, 0x23000 | 0x006, 4);
    mmu_write_phys(m, PD + 4, 0x00000000 | 0x183, 4);
    struct mmu_paging p = {.enabled = true, .wp = wp, .pse = pse, .pge = true, .cr3 = PD};
    mmu_set_paging(m, &p);
    return m;
}

static void expect_pf(struct mmu *m, uint32_t lin, enum mmu_access a, bool user, uint32_t err)
{
    uint32_t phys = 0xDEAD;
    struct mmu_fault f = {0, 0};
    assert_false(mmu_translate(m, lin, a, user, &phys, &f));
    assert_int_equal(f.linear, lin);
    assert_int_equal(f.error, err);
    assert_int_equal(phys, 0xDEAD);
}

static void test_paging_walk(void **state)
{
    (void)state;
    struct mmu *m = paged(false, true);
    uint32_t phys;
    struct mmu_fault f;
    /* read: A set on PDE and PTE, not D */
    assert_true(mmu_translate(m, 0x1234, MMU_READ, true, &phys, &f));
    assert_int_equal(phys, 0x20234);
    assert_int_equal(mmu_read_phys(m, PD, 4) & 0x60, 0x20);
    assert_int_equal(mmu_read_phys(m, PT + 4, 4) & 0x60, 0x20);
    /* the read entry does not allow writes: a write walks and sets D */
    assert_null(mmu_tlb_hit(mmu_tlb_for(m, true)->write, 0x1234, 1));
    assert_true(mmu_translate(m, 0x1234, MMU_WRITE, true, &phys, &f));
    assert_int_equal(mmu_read_phys(m, PT + 4, 4) & 0x60, 0x60);
    assert_non_null(mmu_tlb_hit(mmu_tlb_for(m, true)->write, 0x1234, 1));
    /* not present: P = 0 in the error code */
    expect_pf(m, 0x5000, MMU_READ, false, 0x0);
    expect_pf(m, 0x4000, MMU_WRITE, true, 0x6);
    expect_pf(m, 0x00800000u, MMU_FETCH, true, 0x4); /* PDE 2 not present */
    /* protection: user write to a read-only page, user access to a
     * supervisor page; no A/D change on a fault */
    expect_pf(m, 0x2000, MMU_WRITE, true, 0x7);
    assert_int_equal(mmu_read_phys(m, PT + 8, 4) & 0x60, 0);
    expect_pf(m, 0x3000, MMU_READ, true, 0x5);
    /* supervisor write to a read-only page succeeds with WP = 0 */
    assert_true(mmu_translate(m, 0x2000, MMU_WRITE, false, &phys, &f));
    assert_int_equal(phys, 0x21000);
    mmu_destroy(m);
    /* ... and faults with WP = 1 */
    m = paged(true, true);
    expect_pf(m, 0x2000, MMU_WRITE, false, 0x3);
    mmu_destroy(m);
}

static void test_paging_large_and_global(void **state)
{
    (void)state;
    struct mmu *m = paged(false, true);
    uint32_t phys;
    struct mmu_fault f;
    assert_true(mmu_translate(m, 0x00456789u, MMU_WRITE, false, &phys, &f));
    assert_int_equal(phys, 0x56789u);
    assert_int_equal(mmu_read_phys(m, PD + 4, 4) & 0x60, 0x60); /* A and D in the PDE */
    expect_pf(m, 0x00456789u, MMU_READ, true, 0x5);             /* supervisor page */
    struct mmu_tlb *t = mmu_tlb(m);
    assert_true(mmu_translate(m, 0x00401000u, MMU_READ, false, &phys, &f));
    assert_non_null(mmu_tlb_hit(t->read, 0x00401000u, 4));
    /* global entries survive a CR3-style flush, not a full one */
    mmu_tlb_flush(m, false);
    assert_non_null(mmu_tlb_hit(t->read, 0x00401000u, 4));
    /* INVLPG anywhere in the 4 MiB page drops all its pieces */
    mmu_tlb_flush_page(m, 0x00755000u);
    assert_null(mmu_tlb_hit(t->read, 0x00401000u, 4));
    assert_null(mmu_tlb_hit(t->write, 0x00456789u, 1));
    mmu_destroy(m);
    /* without CR4.PSE the PS bit is ignored: PDE 1 points at a table */
    m = paged(false, false);
    mmu_write_phys(m, 0, 0x30000 | 0x003, 4); /* entry 0 of the "table" at 0 */
    assert_true(mmu_translate(m, 0x00400000u, MMU_READ, false, &phys, &f));
    assert_int_equal(phys, 0x30000);
    mmu_destroy(m);
}

/* PAE: PDPT at 30000h; PDPTE 0 -> PD 31000h; PDE 0 -> PT 32000h,
 * PDE 2 -> 2 MiB page at 00400000h (global); PTE 1 -> 40000h (user RW),
 * PTE 2 with a reserved high bit; PDPTE 1 not present. */
static void test_paging_pae(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(8u << 20);
    mmu_write_phys(m, 0x30000, 0x31000 | 0x001, 4);
    mmu_write_phys(m, 0x31000, 0x32000 | 0x007, 4);
    mmu_write_phys(m, 0x31010, 0x00400000 | 0x183, 4);
    mmu_write_phys(m, 0x32008, 0x40000 | 0x007, 4);
    mmu_write_phys(m, 0x32010, 0x41000 | 0x007, 4);
    mmu_write_phys(m, 0x32014, 0x00100000, 4); /* bit 52: reserved */
    struct mmu_paging p = {.enabled = true, .pae = true, .pge = true, .cr3 = 0x30000};
    assert_true(mmu_load_pdptes(m, 0x30000));
    mmu_set_paging(m, &p);
    uint32_t phys;
    struct mmu_fault f;
    assert_true(mmu_translate(m, 0x1ABC, MMU_WRITE, true, &phys, &f));
    assert_int_equal(phys, 0x40ABC);
    assert_int_equal(mmu_read_phys(m, 0x32008, 4) & 0x60, 0x60);
    assert_int_equal(mmu_read_phys(m, 0x31000, 4) & 0x60, 0x20);
    assert_true(mmu_translate(m, 0x00523456u, MMU_READ, false, &phys, &f));
    assert_int_equal(phys, 0x00523456u);
    expect_pf(m, 0x00523456u, MMU_READ, true, 0x5);  /* supervisor 2 MiB page */
    expect_pf(m, 0x2000, MMU_READ, false, 0x9);      /* reserved bit: P | RSVD */
    expect_pf(m, 0x40000000u, MMU_READ, false, 0x0); /* PDPTE 1 not present */
    expect_pf(m, 0x3000, MMU_WRITE, true, 0x6);      /* PTE 3 not present */
    /* INVLPG of the 2 MiB page drops its pieces, not the 4 KiB page */
    struct mmu_tlb *t = mmu_tlb(m);
    assert_non_null(mmu_tlb_hit(t->read, 0x00523456u, 1));
    mmu_tlb_flush_page(m, 0x005FF000u);
    assert_null(mmu_tlb_hit(t->read, 0x00523456u, 1));
    assert_non_null(mmu_tlb_hit(mmu_tlb_for(m, true)->write, 0x1ABC, 1));
    mmu_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ram),
        cmocka_unit_test(test_rom_and_unmapped),
        cmocka_unit_test(test_rom_over_ram),
        cmocka_unit_test(test_mmio),
        cmocka_unit_test(test_a20),
        cmocka_unit_test(test_tlb),
        cmocka_unit_test(test_code_pages),
        cmocka_unit_test(test_paging_walk),
        cmocka_unit_test(test_paging_large_and_global),
        cmocka_unit_test(test_paging_pae),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
