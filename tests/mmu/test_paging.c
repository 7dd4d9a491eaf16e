/*
 * test_paging.c - page walks and the software TLB through mmu/mmu.h:
 * TLB hits and misses, every #PF error-code bit, A/D updates, every
 * flush rule and the separate user and supervisor TLB sets (SDM vol. 3,
 * chapter 4).  PAE paging has its own file, test_pae.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

#include "mmu/mmu.h"
#include "tests/mmu/paging_test_util.h"

#define RAM (8u << 20)
#define PD 0x10000u  /* page directory */
#define PT 0x11000u  /* page table of PDE 0 */
#define PT1 0x12000u /* page table of PDE 1 */



static void set_paging(struct mmu *m, bool wp, bool pse, bool pge, uint32_t cr3)
{
    struct mmu_paging p = {.enabled = true, .wp = wp, .pse = pse, .pge = pge, .cr3 = cr3};
    mmu_set_paging(m, &p);
}

/* Fresh 8 MiB machine with 32-bit paging on, CR3 = PD, PDE 0 -> PT,
 * PDE 1 -> PT1, both user R/W; no PTE yet. */
static struct mmu *machine(bool wp, bool pse, bool pge)
{
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    wr(m, PD + 0, PT | P | RW | US);
    wr(m, PD + 4, PT1 | P | RW | US);
    set_paging(m, wp, pse, pge, PD);
    return m;
}

static void pte(struct mmu *m, unsigned n, uint32_t v) { wr(m, PT + 4 * n, v); }

static struct mmu_tlb_entry *set_of(struct mmu *m, bool user, enum mmu_access acc)
{
    struct mmu_tlb *t = mmu_tlb_for(m, user);
    return acc == MMU_READ ? t->read : acc == MMU_WRITE ? t->write : t->fetch;
}

static bool cached(struct mmu *m, bool user, enum mmu_access acc, uint32_t lin)
{
    return mmu_tlb_hit(set_of(m, user, acc), lin, 1) != NULL;
}

/* ---- hits and misses ---- */

static void test_hits_and_misses(void **state)
{
    (void)state;
    struct mmu *m = machine(false, false, false);
    pte(m, 1, 0x00345000u | P | RW);
    pte(m, 2, 0x00346000u | P | RW);
    uint64_t f0 = fills(m);
    assert_false(cached(m, false, MMU_READ, 0x1000));
    assert_int_equal(xlate(m, 0x1234, MMU_READ, false), 0x00345234u);
    assert_int_equal(fills(m), f0 + 1);
    /* a hit returns the host byte of the physical address */
    uint8_t *h = mmu_tlb_hit(mmu_tlb(m)->read, 0x1FFC, 4);
    assert_non_null(h);
    assert_ptr_equal(h, mmu_phys_host(m, 0x00345FFCu, false));
    /* misses: another page, another kind, a crossing access */
    assert_false(cached(m, false, MMU_READ, 0x2000));
    assert_false(cached(m, false, MMU_WRITE, 0x1000));
    assert_false(cached(m, false, MMU_FETCH, 0x1000));
    assert_null(mmu_tlb_hit(mmu_tlb(m)->read, 0x1FFE, 4));
    /* each kind is filled by its own walk */
    xlate(m, 0x1000, MMU_WRITE, false);
    xlate(m, 0x1000, MMU_FETCH, false);
    assert_int_equal(fills(m), f0 + 3);
    assert_true(cached(m, false, MMU_WRITE, 0x1FFF));
    assert_true(cached(m, false, MMU_FETCH, 0x1000));
    /* a page aliasing the same TLB slot (1024 pages further) evicts it */
    wr(m, PD + 4, PT | P | RW | US); /* PDE 1 -> the same table */
    assert_int_equal(xlate(m, 0x00401000u, MMU_READ, false), 0x00345000u);
    assert_false(cached(m, false, MMU_READ, 0x1000));
    assert_true(cached(m, false, MMU_READ, 0x00401000u));
    /* changing a PTE does not change a cached translation (no snooping) */
    pte(m, 2, 0x00347000u | P | RW);
    xlate(m, 0x2000, MMU_READ, false);
    pte(m, 2, 0x00348000u | P | RW);
    assert_ptr_equal(mmu_tlb_hit(mmu_tlb(m)->read, 0x2000, 1),
                     mmu_phys_host(m, 0x00347000u, false));
    mmu_destroy(m);
}

static uint32_t mmio_rd(void *opaque, uint32_t addr, unsigned size)
{
    (void)opaque;
    (void)size;
    return addr;
}

static void mmio_wr(void *opaque, uint32_t addr, uint32_t value, unsigned size)
{
    (void)opaque;
    (void)addr;
    (void)value;
    (void)size;
}

/* Only RAM (and ROM for reads/fetches) enters the TLB; the translation
 * itself still succeeds. */
static void test_fill_only_host_pages(void **state)
{
    (void)state;
    struct mmu *m = machine(false, false, false);
    static const uint8_t rom[4096] = {0x5A};
    assert_int_equal(mmu_map_rom(m, 0x00600000u, rom, sizeof(rom)), 0);
    struct mmu_mmio_ops ops = {NULL, mmio_rd, mmio_wr};
    assert_int_equal(mmu_map_mmio(m, 0x00601000u, 0x1000, &ops), 0);
    pte(m, 1, 0x00600000u | P | RW);
    pte(m, 2, 0x00601000u | P | RW);
    pte(m, 3, 0x00050000u | P | RW);
    uint64_t f0 = fills(m);
    assert_int_equal(xlate(m, 0x1010, MMU_READ, false), 0x00600010u);
    assert_int_equal(xlate(m, 0x1010, MMU_WRITE, false), 0x00600010u);
    assert_int_equal(fills(m), f0 + 1);
    assert_true(cached(m, false, MMU_READ, 0x1000));
    assert_false(cached(m, false, MMU_WRITE, 0x1000));
    assert_int_equal(xlate(m, 0x2020, MMU_READ, false), 0x00601020u);
    assert_int_equal(fills(m), f0 + 1);
    assert_false(cached(m, false, MMU_READ, 0x2000));
    /* a code page: readable through the TLB, writes take the slow path */
    mmu_mark_code_page(m, 0x00050000u);
    xlate(m, 0x3000, MMU_WRITE, false);
    xlate(m, 0x3000, MMU_FETCH, false);
    assert_false(cached(m, false, MMU_WRITE, 0x3000));
    assert_true(cached(m, false, MMU_FETCH, 0x3000));
    mmu_destroy(m);
}

/* ---- #PF error codes (SDM vol. 3, 4.7) ---- */

static void test_error_not_present(void **state)
{
    (void)state;
    struct mmu *m = machine(false, true, false);
    pte(m, 1, 0xFFFFFFFEu); /* P = 0: every other bit is ignored */
    /* P = 0 in the PTE: W/R and U/S describe the access */
    expect_pf(m, 0x1234, MMU_READ, false, 0);
    expect_pf(m, 0x1235, MMU_WRITE, false, E_W);
    expect_pf(m, 0x1236, MMU_READ, true, E_U);
    expect_pf(m, 0x1237, MMU_WRITE, true, E_W | E_U);
    /* a fetch is a read (no I/D bit without NX) */
    expect_pf(m, 0x1FFF, MMU_FETCH, false, 0);
    expect_pf(m, 0x1FFF, MMU_FETCH, true, E_U);
    /* P = 0 in the PDE, even with PS and reserved bits set */
    wr(m, PD + 8, 0xFFFFFFFEu);
    expect_pf(m, 0x00812345u, MMU_READ, false, 0);
    expect_pf(m, 0x00812345u, MMU_WRITE, true, E_W | E_U);
    /* PDE present, PTE not: nothing marked accessed */
    assert_int_equal(rd(m, PD) & (A | D), 0);
    mmu_destroy(m);
}

static void test_error_protection(void **state)
{
    (void)state;
    struct mmu *m = machine(false, false, false);
    pte(m, 1, 0x00101000u | P | RW);      /* supervisor R/W */
    pte(m, 2, 0x00102000u | P);           /* supervisor read-only */
    pte(m, 3, 0x00103000u | P | US);      /* user read-only */
    pte(m, 4, 0x00104000u | P | RW | US); /* user R/W */
    /* user access to a supervisor page: P | U (| W) */
    expect_pf(m, 0x1004, MMU_READ, true, E_P | E_U);
    expect_pf(m, 0x1008, MMU_WRITE, true, E_P | E_W | E_U);
    expect_pf(m, 0x100C, MMU_FETCH, true, E_P | E_U);
    expect_pf(m, 0x2000, MMU_READ, true, E_P | E_U);
    /* user write to a read-only user page */
    assert_int_equal(xlate(m, 0x3010, MMU_READ, true), 0x00103010u);
    assert_int_equal(xlate(m, 0x3010, MMU_FETCH, true), 0x00103010u);
    expect_pf(m, 0x3010, MMU_WRITE, true, E_P | E_W | E_U);
    assert_int_equal(xlate(m, 0x4010, MMU_WRITE, true), 0x00104010u);
    /* the supervisor reaches user pages (no SMAP on this processor) */
    assert_int_equal(xlate(m, 0x4020, MMU_WRITE, false), 0x00104020u);
    /* WP = 0: supervisor writes ignore R/W */
    assert_int_equal(xlate(m, 0x2030, MMU_WRITE, false), 0x00102030u);
    assert_int_equal(xlate(m, 0x3030, MMU_WRITE, false), 0x00103030u);
    /* WP = 1: they fault with P | W, U/S clear */
    set_paging(m, true, false, false, PD);
    expect_pf(m, 0x2030, MMU_WRITE, false, E_P | E_W);
    expect_pf(m, 0x3030, MMU_WRITE, false, E_P | E_W);
    assert_int_equal(xlate(m, 0x2030, MMU_READ, false), 0x00102030u);
    assert_int_equal(xlate(m, 0x1030, MMU_WRITE, false), 0x00101030u);
    /* the rights of the PDE and the PTE combine (SDM vol. 3, 4.6) */
    wr(m, PD, PT | P | US); /* read-only directory entry */
    mmu_tlb_flush(m, true);
    expect_pf(m, 0x4040, MMU_WRITE, true, E_P | E_W | E_U);
    expect_pf(m, 0x4040, MMU_WRITE, false, E_P | E_W);
    assert_int_equal(xlate(m, 0x4040, MMU_READ, true), 0x00104040u);
    wr(m, PD, PT | P | RW); /* supervisor directory entry */
    mmu_tlb_flush(m, true);
    expect_pf(m, 0x4040, MMU_READ, true, E_P | E_U);
    assert_int_equal(xlate(m, 0x4040, MMU_WRITE, false), 0x00104040u);
    mmu_destroy(m);
}

static void test_error_large_pages(void **state)
{
    (void)state;
    struct mmu *m = machine(true, true, false);
    wr(m, PD + 8, 0x00400000u | P | PS);           /* supervisor read-only */
    wr(m, PD + 12, 0x00400000u | P | RW | US | PS); /* user R/W */
    assert_int_equal(xlate(m, 0x00812345u, MMU_READ, false), 0x00412345u);
    expect_pf(m, 0x00812345u, MMU_WRITE, false, E_P | E_W);
    expect_pf(m, 0x00812345u, MMU_READ, true, E_P | E_U);
    assert_int_equal(xlate(m, 0x00FFFFFFu, MMU_WRITE, true), 0x007FFFFFu);
    /* bit 21 of a 4 MiB PDE is reserved (SDM vol. 3, table 4-4):
     * P | RSVD, with W/R and U/S of the access, before any rights check */
    wr(m, PD + 16, 0x00400000u | 0x00200000u | P | PS);
    expect_pf(m, 0x01000010u, MMU_READ, false, E_P | E_RSVD);
    expect_pf(m, 0x01000010u, MMU_WRITE, false, E_P | E_W | E_RSVD);
    expect_pf(m, 0x01000010u, MMU_READ, true, E_P | E_U | E_RSVD);
    expect_pf(m, 0x01000010u, MMU_WRITE, true, E_P | E_W | E_U | E_RSVD);
    expect_pf(m, 0x01000010u, MMU_FETCH, false, E_P | E_RSVD);
    assert_int_equal(rd(m, PD + 16) & (A | D), 0);
    /* without CR4.PSE, PS and bit 21 mean nothing: the entry names a table */
    set_paging(m, true, false, false, PD);
    wr(m, 0x00600000u + 4 * 5, 0x00123000u | P);
    assert_int_equal(xlate(m, 0x01005010u, MMU_READ, false), 0x00123010u);
    mmu_destroy(m);
}

/* ---- A and D bits (SDM vol. 3, 4.8) ---- */

static void test_accessed_dirty(void **state)
{
    (void)state;
    struct mmu *m = machine(true, true, false);
    pte(m, 1, 0x00101000u | P | RW | US);
    pte(m, 2, 0x00102000u | P | US);
    /* a read sets A in the PDE and the PTE, not D */
    xlate(m, 0x1000, MMU_READ, true);
    assert_int_equal(rd(m, PD) & (A | D), A);
    assert_int_equal(rd(m, PT + 4) & (A | D), A);
    /* so does a fetch */
    pte(m, 3, 0x00103000u | P | RW);
    xlate(m, 0x3000, MMU_FETCH, false);
    assert_int_equal(rd(m, PT + 12) & (A | D), A);
    /* a write sets D in the PTE only: D is ignored in a PDE naming a table */
    xlate(m, 0x1000, MMU_WRITE, true);
    assert_int_equal(rd(m, PT + 4) & (A | D), A | D);
    assert_int_equal(rd(m, PD) & (A | D), A);
    /* a first access that is a write sets both */
    pte(m, 4, 0x00104000u | P | RW);
    xlate(m, 0x4000, MMU_WRITE, false);
    assert_int_equal(rd(m, PT + 16) & (A | D), A | D);
    /* the other bits of the entry are kept */
    assert_int_equal(rd(m, PT + 16), 0x00104000u | P | RW | A | D);
    /* faults change nothing: protection (WP = 1), user vs supervisor */
    xlate(m, 0x2000, MMU_READ, true);
    assert_int_equal(rd(m, PT + 8) & (A | D), A);
    pte(m, 2, 0x00102000u | P | US);
    expect_pf(m, 0x2000, MMU_WRITE, false, E_P | E_W);
    expect_pf(m, 0x2000, MMU_WRITE, true, E_P | E_W | E_U);
    assert_int_equal(rd(m, PT + 8), 0x00102000u | P | US);
    pte(m, 5, 0x00105000u | P | RW);
    wr(m, PD, PT | P | RW | US);
    expect_pf(m, 0x5000, MMU_READ, true, E_P | E_U);
    assert_int_equal(rd(m, PT + 20), 0x00105000u | P | RW);
    assert_int_equal(rd(m, PD), PT | P | RW | US);
    /* 4 MiB page: A on read, D on write, in the PDE */
    wr(m, PD + 8, 0x00400000u | P | RW | PS);
    xlate(m, 0x00800000u, MMU_READ, false);
    assert_int_equal(rd(m, PD + 8) & (A | D), A);
    xlate(m, 0x00800000u, MMU_WRITE, false);
    assert_int_equal(rd(m, PD + 8) & (A | D), A | D);
    mmu_destroy(m);
}

/* A page table behind an MMIO window shows which entries are written:
 * A and D are written only when they change, as 4-byte stores. */
struct pt_window {
    uint32_t entry[1024];
    unsigned writes;
    uint32_t last_addr;
    unsigned last_size;
};

static uint32_t ptw_read(void *opaque, uint32_t addr, unsigned size)
{
    struct pt_window *w = opaque;
    assert_int_equal(size, 4);
    return w->entry[(addr & 0xFFFu) >> 2];
}

static void ptw_write(void *opaque, uint32_t addr, uint32_t value, unsigned size)
{
    struct pt_window *w = opaque;
    w->entry[(addr & 0xFFFu) >> 2] = value;
    w->writes++;
    w->last_addr = addr;
    w->last_size = size;
}

static void test_ad_written_only_when_needed(void **state)
{
    (void)state;
    struct mmu *m = machine(false, false, false);
    struct pt_window w = {0};
    struct mmu_mmio_ops ops = {&w, ptw_read, ptw_write};
    assert_int_equal(mmu_map_mmio(m, 0x00700000u, 0x1000, &ops), 0);
    wr(m, PD + 4, 0x00700000u | P | RW | US | A);
    w.entry[1] = 0x00101000u | P | RW;
    xlate(m, 0x00401000u, MMU_READ, false);
    assert_int_equal(w.writes, 1);
    assert_int_equal(w.last_addr, 0x00700004u);
    assert_int_equal(w.last_size, 4);
    assert_int_equal(w.entry[1], 0x00101000u | P | RW | A);
    /* A already set: a second read walk writes nothing */
    mmu_tlb_flush(m, true);
    xlate(m, 0x00401000u, MMU_READ, false);
    assert_int_equal(w.writes, 1);
    /* a write sets D: one store */
    xlate(m, 0x00401000u, MMU_WRITE, false);
    assert_int_equal(w.writes, 2);
    assert_int_equal(w.entry[1], 0x00101000u | P | RW | A | D);
    /* A and D already set: walks for reads and writes store nothing */
    mmu_tlb_flush(m, true);
    xlate(m, 0x00401000u, MMU_WRITE, false);
    xlate(m, 0x00401000u, MMU_READ, false);
    assert_int_equal(w.writes, 2);
    /* the PDE had A already: never rewritten */
    assert_int_equal(rd(m, PD + 4), 0x00700000u | P | RW | US | A);
    /* a not-present PTE: no store at all */
    w.entry[2] = 0x00102000u;
    expect_pf(m, 0x00402000u, MMU_WRITE, false, E_W);
    assert_int_equal(w.writes, 2);
    mmu_destroy(m);
}

/* ---- flush rules (SDM vol. 3, 4.10.4.1) ---- */

static void count_flush(void *opaque) { (*(unsigned *)opaque)++; }

/* Fill every kind in both sets for page 1 (local) and page 2 (global). */
static void fill_all(struct mmu *m)
{
    for (unsigned u = 0; u < 2; u++) {
        for (unsigned k = 0; k < 3; k++) {
            xlate(m, 0x1000, (enum mmu_access)k, u != 0);
            xlate(m, 0x2000, (enum mmu_access)k, u != 0);
        }
    }
}

static bool all_cached(struct mmu *m, uint32_t lin, bool want)
{
    for (unsigned u = 0; u < 2; u++)
        for (unsigned k = 0; k < 3; k++)
            if (cached(m, u != 0, (enum mmu_access)k, lin) != want)
                return false;
    return true;
}

static struct mmu *flush_machine(unsigned *notified)
{
    struct mmu *m = machine(false, true, true);
    pte(m, 1, 0x00101000u | P | RW | US);
    pte(m, 2, 0x00102000u | P | RW | US | G);
    mmu_set_tlb_flush_handler(m, count_flush, notified);
    fill_all(m);
    assert_true(all_cached(m, 0x1000, true));
    assert_true(all_cached(m, 0x2000, true));
    return m;
}

static void test_flush_cr3(void **state)
{
    (void)state;
    unsigned n = 0;
    struct mmu *m = flush_machine(&n);
    uint64_t f0 = flushes(m);
    /* a new CR3 drops non-global entries, keeps global ones */
    wr(m, 0x30000u, PT | P | RW | US);
    set_paging(m, false, true, true, 0x30000u);
    assert_true(all_cached(m, 0x1000, false));
    assert_true(all_cached(m, 0x2000, true));
    assert_int_equal(flushes(m), f0 + 1);
    assert_int_equal(n, 1);
    /* the same configuration again: nothing to do (the CPU itself
     * flushes non-global entries on a MOV CR3 of the same value) */
    fill_all(m);
    set_paging(m, false, true, true, 0x30000u);
    assert_true(all_cached(m, 0x1000, true));
    assert_int_equal(n, 1);
    mmu_tlb_flush(m, false);
    assert_true(all_cached(m, 0x1000, false));
    assert_true(all_cached(m, 0x2000, true));
    assert_int_equal(n, 2);
    mmu_destroy(m);
    /* without CR4.PGE the G bit is ignored: CR3 drops the page too */
    m = machine(false, true, false);
    pte(m, 2, 0x00102000u | P | RW | US | G);
    xlate(m, 0x2000, MMU_READ, false);
    assert_true(cached(m, false, MMU_READ, 0x2000));
    set_paging(m, false, true, false, PD + 0x1000);
    assert_false(cached(m, false, MMU_READ, 0x2000));
    mmu_destroy(m);
}

/* Any change of PG, WP, PSE, PGE or PAE drops everything, global entries
 * included. */
static void test_flush_mode_changes(void **state)
{
    (void)state;
    for (unsigned bit = 0; bit < 5; bit++) {
        unsigned n = 0;
        struct mmu *m = flush_machine(&n);
        uint64_t f0 = flushes(m);
        struct mmu_paging p = {.enabled = true, .pse = true, .pge = true, .cr3 = PD};
        switch (bit) {
        case 0: p.enabled = false; break;
        case 1: p.wp = true; break;
        case 2: p.pse = false; break;
        case 3: p.pge = false; break;
        default: p.pae = true; break;
        }
        mmu_set_paging(m, &p);
        assert_true(all_cached(m, 0x1000, false));
        assert_true(all_cached(m, 0x2000, false));
        assert_int_equal(flushes(m), f0 + 1);
        assert_int_equal(n, 1);
        mmu_destroy(m);
    }
    /* the WP flush matters: a supervisor write entry to a read-only page,
     * filled with WP = 0, must not survive WP = 1 */
    struct mmu *m = machine(false, false, false);
    pte(m, 1, 0x00101000u | P);
    xlate(m, 0x1000, MMU_WRITE, false);
    assert_true(cached(m, false, MMU_WRITE, 0x1000));
    set_paging(m, true, false, false, PD);
    assert_false(cached(m, false, MMU_WRITE, 0x1000));
    expect_pf(m, 0x1000, MMU_WRITE, false, E_P | E_W);
    mmu_destroy(m);
}

static void test_flush_invlpg(void **state)
{
    (void)state;
    unsigned n = 0;
    struct mmu *m = flush_machine(&n);
    pte(m, 3, 0x00103000u | P | RW | US);
    xlate(m, 0x3000, MMU_READ, false);
    /* a 4 KiB page: all kinds, both sets, neighbours kept */
    mmu_tlb_flush_page(m, 0x1FFF);
    assert_true(all_cached(m, 0x1000, false));
    assert_true(all_cached(m, 0x2000, true));
    assert_true(cached(m, false, MMU_READ, 0x3000));
    assert_int_equal(n, 1);
    /* a global page too */
    mmu_tlb_flush_page(m, 0x2000);
    assert_true(all_cached(m, 0x2000, false));
    assert_true(cached(m, false, MMU_READ, 0x3000));
    /* an address that shares the TLB slot but not the page: kept */
    mmu_tlb_flush_page(m, 0x00403000u);
    assert_true(cached(m, false, MMU_READ, 0x3000));
    mmu_destroy(m);

    /* a 4 MiB page is cached as 4 KiB pieces: INVLPG of any address in
     * it drops all of them (global ones too), nothing outside it */
    m = machine(false, true, true);
    wr(m, PD + 8, 0x00400000u | P | RW | US | PS | G);
    wr(m, PD + 12, 0x00400000u | P | RW | US | PS);
    pte(m, 1, 0x00101000u | P | RW | US);
    xlate(m, 0x00800000u, MMU_READ, false);
    xlate(m, 0x00A01000u, MMU_WRITE, true);
    xlate(m, 0x00BFF000u, MMU_FETCH, false);
    xlate(m, 0x00C05000u, MMU_READ, false);
    xlate(m, 0x1000, MMU_READ, false);
    mmu_tlb_flush(m, false); /* CR3: the global 4 MiB page stays */
    assert_true(cached(m, false, MMU_READ, 0x00800000u));
    assert_false(cached(m, false, MMU_READ, 0x00C05000u));
    xlate(m, 0x00C05000u, MMU_READ, false);
    xlate(m, 0x1000, MMU_READ, false);
    mmu_tlb_flush_page(m, 0x00B55123u);
    assert_false(cached(m, false, MMU_READ, 0x00800000u));
    assert_false(cached(m, true, MMU_WRITE, 0x00A01000u));
    assert_false(cached(m, false, MMU_FETCH, 0x00BFF000u));
    assert_true(cached(m, false, MMU_READ, 0x00C05000u));
    assert_true(cached(m, false, MMU_READ, 0x1000));
    /* and a 4 KiB INVLPG elsewhere leaves a cached 4 MiB page alone */
    xlate(m, 0x00800000u, MMU_READ, false);
    mmu_tlb_flush_page(m, 0x1000);
    assert_true(cached(m, false, MMU_READ, 0x00800000u));
    assert_false(cached(m, false, MMU_READ, 0x1000));
    mmu_destroy(m);
}

/* ---- the user and supervisor TLB sets ---- */

static void test_user_supervisor_sets(void **state)
{
    (void)state;
    struct mmu *m = machine(false, false, false);
    pte(m, 1, 0x00101000u | P);           /* supervisor read-only */
    pte(m, 2, 0x00102000u | P | US);      /* user read-only */
    pte(m, 3, 0x00103000u | P | RW | US); /* user R/W */
    /* a walk fills only the set of its privilege */
    xlate(m, 0x3000, MMU_READ, true);
    assert_true(cached(m, true, MMU_READ, 0x3000));
    assert_false(cached(m, false, MMU_READ, 0x3000));
    xlate(m, 0x3000, MMU_WRITE, false);
    assert_true(cached(m, false, MMU_WRITE, 0x3000));
    assert_false(cached(m, true, MMU_WRITE, 0x3000));
    assert_ptr_equal(mmu_tlb(m), mmu_tlb_for(m, false));
    assert_ptr_not_equal(mmu_tlb(m), mmu_tlb_for(m, true));
    /* WP = 0: the supervisor may write a user read-only page; the
     * user set never gets that write entry */
    xlate(m, 0x2000, MMU_WRITE, false);
    assert_true(cached(m, false, MMU_WRITE, 0x2000));
    expect_pf(m, 0x2000, MMU_WRITE, true, E_P | E_W | E_U);
    assert_false(cached(m, true, MMU_WRITE, 0x2000));
    /* a supervisor page cached for the supervisor is not visible to user */
    xlate(m, 0x1000, MMU_READ, false);
    expect_pf(m, 0x1000, MMU_READ, true, E_P | E_U);
    assert_false(cached(m, true, MMU_READ, 0x1000));
    /* flushes reach both sets */
    xlate(m, 0x3000, MMU_WRITE, true);
    mmu_tlb_flush_page(m, 0x3000);
    assert_false(cached(m, true, MMU_WRITE, 0x3000));
    assert_false(cached(m, false, MMU_WRITE, 0x3000));
    xlate(m, 0x3000, MMU_READ, true);
    xlate(m, 0x3000, MMU_READ, false);
    mmu_tlb_flush(m, false);
    assert_false(cached(m, true, MMU_READ, 0x3000));
    assert_false(cached(m, false, MMU_READ, 0x3000));
    mmu_destroy(m);
}

/* Paging off: linear = physical (A20 applied), nothing walked. */
static void test_paging_off(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    assert_int_equal(xlate(m, 0x00123456u, MMU_WRITE, true), 0x00123456u);
    assert_true(cached(m, true, MMU_WRITE, 0x00123000u));
    mmu_set_a20(m, false);
    assert_int_equal(xlate(m, 0x00123456u, MMU_READ, false), 0x00023456u);
    mmu_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hits_and_misses),
        cmocka_unit_test(test_fill_only_host_pages),
        cmocka_unit_test(test_error_not_present),
        cmocka_unit_test(test_error_protection),
        cmocka_unit_test(test_error_large_pages),
        cmocka_unit_test(test_accessed_dirty),
        cmocka_unit_test(test_ad_written_only_when_needed),
        cmocka_unit_test(test_flush_cr3),
        cmocka_unit_test(test_flush_mode_changes),
        cmocka_unit_test(test_flush_invlpg),
        cmocka_unit_test(test_user_supervisor_sets),
        cmocka_unit_test(test_paging_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
