/*
 * test_pae.c - PAE paging through mmu/mmu.h (SDM vol. 3, 4.4): the PDPTE
 * registers and their load-time reserved-bit check, walks that use the
 * cached PDPTEs and not memory, 4 KiB and 2 MiB pages, A/D bits, every
 * #PF error-code bit, global 2 MiB pages and INVLPG.
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
#define PDPT 0x20000u /* page-directory-pointer table (32 bytes) */
#define PD0 0x21000u  /* directory of PDPTE 0: linear 0-1 GiB */
#define PT0 0x22000u  /* table of PDE 0: linear 0-2 MiB */
#define PD1 0x23000u  /* directory of PDPTE 1: linear 1-2 GiB */
#define PD1B 0x24000u /* another directory for PDPTE 1 */


static void wr64(struct mmu *m, uint32_t a, uint64_t v)
{
    wr(m, a, (uint32_t)v);
    wr(m, a + 4, (uint32_t)(v >> 32));
}

static void set_pae(struct mmu *m, bool wp, bool pge, uint32_t cr3)
{
    struct mmu_paging p = {.enabled = true, .wp = wp, .pge = pge, .pae = true, .cr3 = cr3};
    mmu_set_paging(m, &p);
}

/* PAE paging on: PDPTE 0 -> PD0, PDPTE 1 -> PD1, PDPTEs 2 and 3 not
 * present; PDE 0 -> PT0 (user R/W); no PTE yet. */
static struct mmu *machine(bool wp, bool pge)
{
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    wr64(m, PDPT + 0, PD0 | P);
    wr64(m, PDPT + 8, PD1 | P);
    wr64(m, PD0, PT0 | P | RW | US);
    assert_true(mmu_load_pdptes(m, PDPT));
    set_pae(m, wp, pge, PDPT);
    return m;
}

static bool cached(struct mmu *m, bool user, enum mmu_access acc, uint32_t lin)
{
    struct mmu_tlb *t = mmu_tlb_for(m, user);
    const struct mmu_tlb_entry *set = acc == MMU_READ ? t->read : acc == MMU_WRITE ? t->write : t->fetch;
    return mmu_tlb_hit(set, lin, 1) != NULL;
}

/* ---- the PDPTE registers (SDM vol. 3, 4.4.1, table 4-8) ---- */

static void test_pdpte_load(void **state)
{
    (void)state;
    struct mmu *m = mmu_create(RAM);
    uint64_t got[4];
    /* PWT, PCD, the ignored bits 11:9 and address bits 35:32 are fine */
    wr64(m, PDPT + 0, PD0 | P | PWT | PCD | 0xE00u);
    wr64(m, PDPT + 8, 0x0000000F00000000ull | PD1 | P);
    wr64(m, PDPT + 16, 0);
    wr64(m, PDPT + 24, 0xFFFFFFFFFFFFFFFEull); /* not present: anything */
    assert_true(mmu_load_pdptes(m, PDPT));
    mmu_get_pdptes(m, got);
    assert_true(got[0] == (PD0 | P | PWT | PCD | 0xE00u));
    assert_true(got[1] == (0x0000000F00000000ull | PD1 | P));
    assert_true(got[2] == 0);
    assert_true(got[3] == 0xFFFFFFFFFFFFFFFEull);

    /* every reserved bit of a present PDPTE: refused, registers kept */
    static const unsigned rsvd[] = { 1, 2, 5, 6, 7, 8, 36, 40, 51, 52, 62, 63 };
    for (size_t k = 0; k < sizeof rsvd / sizeof rsvd[0]; k++) {
        for (unsigned slot = 0; slot < 4; slot++) {
            struct mmu *n = mmu_create(RAM);
            for (unsigned e = 0; e < 4; e++)
                wr64(n, 0x30000u + 8 * e, 0x00040000u | P);
            assert_true(mmu_load_pdptes(n, 0x30000u));
            wr64(n, PDPT + 8 * slot, (PD0 | P) | (1ull << rsvd[k]));
            assert_false(mmu_load_pdptes(n, PDPT));
            mmu_get_pdptes(n, got);
            for (unsigned e = 0; e < 4; e++)
                assert_true(got[e] == (0x00040000u | P));
            /* the same bit with P = 0 is no error */
            wr64(n, PDPT + 8 * slot, PD0 | (1ull << rsvd[k]));
            assert_true(mmu_load_pdptes(n, PDPT));
            mmu_destroy(n);
        }
    }

    /* CR3 bits 31:5 locate the table, bits 4:0 are ignored (table 4-7) */
    wr64(m, PDPT + 0x20, PD1 | P);
    wr64(m, PDPT + 0x28, 0);
    wr64(m, PDPT + 0x30, 0);
    wr64(m, PDPT + 0x38, 0);
    assert_true(mmu_load_pdptes(m, PDPT | 0x3Fu));
    mmu_get_pdptes(m, got);
    assert_true(got[0] == (PD1 | P));
    assert_true(mmu_load_pdptes(m, PDPT | 0x1Fu));
    mmu_get_pdptes(m, got);
    assert_true(got[0] == (PD0 | P | PWT | PCD | 0xE00u));
    mmu_destroy(m);
}

/* The walk uses the PDPTE registers: the table in memory may change or
 * vanish without effect until the next load. */
static void test_cached_pdptes(void **state)
{
    (void)state;
    struct mmu *m = machine(false, false);
    wr64(m, PD1, 0x00400000u | P | RW | PS);
    wr64(m, PD1B, 0x00600000u | P | RW | PS);
    assert_int_equal(xlate(m, 0x40012345u, MMU_READ, false), 0x00412345u);
    /* repoint PDPTE 1, clear PDPTE 0, scribble reserved bits on both */
    wr64(m, PDPT + 8, PD1B | P | RW);
    wr64(m, PDPT + 0, 0);
    mmu_tlb_flush(m, true);
    assert_int_equal(xlate(m, 0x40012345u, MMU_READ, false), 0x00412345u);
    wr64(m, PT0 + 8, 0x00101000u | P | RW);
    assert_int_equal(xlate(m, 0x1234, MMU_WRITE, false), 0x00101234u);
    /* a new CR3 value in mmu_set_paging alone loads nothing either */
    set_pae(m, false, false, PDPT + 0x1000);
    assert_int_equal(xlate(m, 0x40012345u, MMU_READ, false), 0x00412345u);
    /* a load sees the reserved bit and keeps the old registers */
    assert_false(mmu_load_pdptes(m, PDPT));
    mmu_tlb_flush(m, true);
    assert_int_equal(xlate(m, 0x40012345u, MMU_READ, false), 0x00412345u);
    /* a good table: now the walk follows it */
    wr64(m, PDPT + 8, PD1B | P);
    assert_true(mmu_load_pdptes(m, PDPT));
    mmu_tlb_flush(m, true);
    assert_int_equal(xlate(m, 0x40012345u, MMU_READ, false), 0x00612345u);
    expect_pf(m, 0x1234, MMU_READ, false, 0); /* PDPTE 0 not present now */
    mmu_destroy(m);
}

/* ---- 4 KiB and 2 MiB pages ---- */

static void test_pages(void **state)
{
    (void)state;
    struct mmu *m = machine(false, true);
    /* 4 KiB: PTE n of PT0 maps linear n * 4 KiB; 512 entries of 8 bytes */
    wr64(m, PT0 + 8 * 1, 0x00345000u | P | RW);
    wr64(m, PT0 + 8 * 511, 0x00346000u | P | RW);
    assert_int_equal(xlate(m, 0x1ABC, MMU_READ, false), 0x00345ABCu);
    assert_int_equal(xlate(m, 0x001FFFFFu, MMU_READ, false), 0x00346FFFu);
    /* PDE 1 of PD0 (linear 2-4 MiB): a 2 MiB page, PS honoured whatever
     * CR4.PSE says (mmu_paging.pse is false here) */
    wr64(m, PD0 + 8, 0x00600000u | P | RW | PS);
    assert_int_equal(xlate(m, 0x00200000u, MMU_READ, false), 0x00600000u);
    assert_int_equal(xlate(m, 0x003FFFFFu, MMU_WRITE, false), 0x007FFFFFu);
    /* PDPTE 1, PDE 511: linear 7FE00000h */
    wr64(m, PD1 + 8 * 511, 0x00200000u | P | PS);
    assert_int_equal(xlate(m, 0x7FF00010u, MMU_READ, false), 0x00300010u);
    /* the pieces of a 2 MiB page are cached per 4 KiB page, and INVLPG
     * of any address in it drops them all, global or not */
    wr64(m, PD0 + 16, 0x00400000u | P | RW | PS | G);
    xlate(m, 0x00400000u, MMU_READ, false);
    xlate(m, 0x005FF000u, MMU_FETCH, false);
    xlate(m, 0x1000, MMU_READ, false);
    mmu_tlb_flush(m, false); /* MOV CR3: global pieces stay */
    assert_true(cached(m, false, MMU_READ, 0x00400000u));
    assert_true(cached(m, false, MMU_FETCH, 0x005FF000u));
    assert_false(cached(m, false, MMU_READ, 0x1000));
    xlate(m, 0x1000, MMU_READ, false);
    xlate(m, 0x00200000u, MMU_READ, false);
    mmu_tlb_flush_page(m, 0x00456789u);
    assert_false(cached(m, false, MMU_READ, 0x00400000u));
    assert_false(cached(m, false, MMU_FETCH, 0x005FF000u));
    assert_true(cached(m, false, MMU_READ, 0x1000));
    assert_true(cached(m, false, MMU_READ, 0x00200000u));
    /* G without PGE: not global */
    mmu_destroy(m);
    m = machine(false, false);
    wr64(m, PD0 + 16, 0x00400000u | P | RW | PS | G);
    xlate(m, 0x00400000u, MMU_READ, false);
    mmu_tlb_flush(m, false);
    assert_false(cached(m, false, MMU_READ, 0x00400000u));
    mmu_destroy(m);
}

/* ---- A and D bits (SDM vol. 3, 4.8) ---- */

static void test_accessed_dirty(void **state)
{
    (void)state;
    struct mmu *m = machine(false, false);
    wr64(m, PT0 + 8, 0x00101000u | P | RW | 0xE00u);
    /* a read: A in the PDE and the PTE; the high dwords are untouched */
    wr(m, PD0 + 4, 0);
    xlate(m, 0x1000, MMU_READ, false);
    assert_int_equal(rd(m, PD0) & (A | D), A);
    assert_int_equal(rd(m, PT0 + 8), 0x00101000u | P | RW | 0xE00u | A);
    assert_int_equal(rd(m, PT0 + 12), 0);
    /* a write: D in the PTE only */
    xlate(m, 0x1000, MMU_WRITE, false);
    assert_int_equal(rd(m, PT0 + 8), 0x00101000u | P | RW | 0xE00u | A | D);
    assert_int_equal(rd(m, PD0) & (A | D), A);
    /* a first access that is a write sets both */
    wr64(m, PT0 + 16, 0x00102000u | P | RW);
    xlate(m, 0x2000, MMU_WRITE, false);
    assert_int_equal(rd(m, PT0 + 16) & (A | D), A | D);
    /* a fetch sets A */
    wr64(m, PT0 + 24, 0x00103000u | P);
    xlate(m, 0x3000, MMU_FETCH, false);
    assert_int_equal(rd(m, PT0 + 24) & (A | D), A);
    /* 2 MiB page: A then D in the PDE */
    wr64(m, PD0 + 8, 0x00600000u | P | RW | PS);
    xlate(m, 0x00212345u, MMU_READ, false);
    assert_int_equal(rd(m, PD0 + 8) & (A | D), A);
    xlate(m, 0x00212345u, MMU_WRITE, false);
    assert_int_equal(rd(m, PD0 + 8), 0x00600000u | P | RW | PS | A | D);
    /* the PDPTEs have no A bit (bit 5 is reserved): memory untouched */
    assert_int_equal(rd(m, PDPT), PD0 | P);
    /* faulting walks set nothing */
    wr64(m, PT0 + 32, 0x00104000u | P);
    expect_pf(m, 0x4000, MMU_WRITE, true, E_P | E_W | E_U);
    assert_int_equal(rd(m, PT0 + 32), 0x00104000u | P);
    wr64(m, PD0 + 16, 0x00800000u | P | PS | 0x1000u); /* PAT bit: reserved */
    expect_pf(m, 0x00400000u, MMU_READ, false, E_P | E_RSVD);
    assert_int_equal(rd(m, PD0 + 16), 0x00800000u | P | PS | 0x1000u);
    mmu_destroy(m);
}

/* ---- #PF error codes (SDM vol. 3, 4.7) ---- */

static void test_error_codes(void **state)
{
    (void)state;
    struct mmu *m = machine(false, false);
    /* not present at each level: P = 0, W/R and U/S from the access */
    expect_pf(m, 0x80000000u, MMU_READ, false, 0);            /* PDPTE 2 */
    expect_pf(m, 0xC0000123u, MMU_WRITE, true, E_W | E_U);    /* PDPTE 3 */
    expect_pf(m, 0x40000000u, MMU_WRITE, false, E_W);         /* PDE 0 of PD1 */
    expect_pf(m, 0x5000, MMU_READ, true, E_U);                /* PTE 5 */
    /* no I/D bit without NX: a fetch reports like a read */
    expect_pf(m, 0x5000, MMU_FETCH, false, 0);
    expect_pf(m, 0x5000, MMU_FETCH, true, E_U);
    /* a not-present entry may hold anything */
    wr64(m, PT0 + 8 * 6, 0xFFFFFFFFFFFFFFFEull);
    expect_pf(m, 0x6000, MMU_WRITE, true, E_W | E_U);

    /* protection: P = 1 */
    wr64(m, PT0 + 8 * 1, 0x00101000u | P);           /* supervisor read-only */
    wr64(m, PT0 + 8 * 2, 0x00102000u | P | US);      /* user read-only */
    wr64(m, PT0 + 8 * 3, 0x00103000u | P | RW | US); /* user R/W */
    expect_pf(m, 0x1000, MMU_READ, true, E_P | E_U);
    expect_pf(m, 0x1000, MMU_FETCH, true, E_P | E_U);
    expect_pf(m, 0x1000, MMU_WRITE, true, E_P | E_W | E_U);
    expect_pf(m, 0x2000, MMU_WRITE, true, E_P | E_W | E_U);
    assert_int_equal(xlate(m, 0x2000, MMU_READ, true), 0x00102000u);
    assert_int_equal(xlate(m, 0x3000, MMU_WRITE, true), 0x00103000u);
    /* WP = 0: the supervisor writes read-only pages, user or not */
    assert_int_equal(xlate(m, 0x1004, MMU_WRITE, false), 0x00101004u);
    assert_int_equal(xlate(m, 0x2004, MMU_WRITE, false), 0x00102004u);
    mmu_destroy(m);

    m = machine(true, false);
    wr64(m, PT0 + 8 * 1, 0x00101000u | P);
    wr64(m, PT0 + 8 * 2, 0x00102000u | P | US);
    wr64(m, PT0 + 8 * 3, 0x00103000u | P | RW | US);
    /* WP = 1: they fault, with U/S = 0 */
    expect_pf(m, 0x1004, MMU_WRITE, false, E_P | E_W);
    expect_pf(m, 0x2004, MMU_WRITE, false, E_P | E_W);
    assert_int_equal(xlate(m, 0x3004, MMU_WRITE, false), 0x00103004u);
    /* the PDE's R/W and U/S combine with the PTE's */
    wr64(m, PD0, PT0 | P | US);
    mmu_tlb_flush(m, true);
    expect_pf(m, 0x3004, MMU_WRITE, true, E_P | E_W | E_U);
    expect_pf(m, 0x3004, MMU_WRITE, false, E_P | E_W);
    assert_int_equal(xlate(m, 0x3004, MMU_READ, true), 0x00103004u);
    wr64(m, PD0, PT0 | P | RW);
    mmu_tlb_flush(m, true);
    expect_pf(m, 0x3004, MMU_READ, true, E_P | E_U);
    assert_int_equal(xlate(m, 0x3004, MMU_WRITE, false), 0x00103004u);
    wr64(m, PD0, PT0 | P | RW | US);
    mmu_tlb_flush(m, true);
    /* 2 MiB page rights come from the PDE alone */
    wr64(m, PD0 + 8, 0x00600000u | P | PS | US);
    expect_pf(m, 0x00200000u, MMU_WRITE, true, E_P | E_W | E_U);
    expect_pf(m, 0x00200000u, MMU_WRITE, false, E_P | E_W);
    wr64(m, PD0 + 8, 0x00600000u | P | RW | PS);
    expect_pf(m, 0x00200000u, MMU_READ, true, E_P | E_U);

    /* reserved bits: P | RSVD, plus W/R and U/S of the access; a
     * reserved bit wins over missing rights (no translation at all) */
    static const struct { uint32_t at; uint64_t entry; } rsvd[] = {
        { PT0 + 8 * 4, 0x00104000ull | P | RW | US | (1ull << 36) },  /* PTE 63:36 */
        { PT0 + 8 * 4, 0x00104000ull | P | RW | US | (1ull << 63) },  /* no NX */
        { PT0 + 8 * 4, 0x00104000ull | P | RW | US | PS },            /* PAT bit 7 */
        { PD0 + 8 * 1, 0x00600000ull | P | RW | US | PS | 0x2000u },  /* 2 MiB 20:13 */
        { PD0 + 8 * 1, 0x00600000ull | P | RW | US | PS | 0x100000u },
        { PD0 + 8 * 1, 0x00600000ull | P | RW | US | PS | 0x1000u },  /* PAT bit 12 */
        { PD0 + 8 * 1, 0x00600000ull | P | RW | US | PS | (1ull << 40) },
        { PD0 + 8 * 2, 0x00104000ull | P | RW | US | (1ull << 50) },  /* table PDE */
        { PD0 + 8 * 2, 0x00104000ull | P | (1ull << 63) },
    };
    for (size_t k = 0; k < sizeof rsvd / sizeof rsvd[0]; k++) {
        uint32_t lin = rsvd[k].at == PT0 + 32 ? 0x4000u
                     : rsvd[k].at == PD0 + 8 ? 0x00234567u : 0x00401000u;
        if (rsvd[k].at == PD0 + 16)
            wr64(m, 0x00104000u + 8, 0x00105000u | P | RW | US);
        wr64(m, rsvd[k].at, rsvd[k].entry);
        mmu_tlb_flush(m, true);
        expect_pf(m, lin, MMU_READ, false, E_P | E_RSVD);
        expect_pf(m, lin, MMU_WRITE, true, E_P | E_W | E_U | E_RSVD);
        expect_pf(m, lin, MMU_FETCH, true, E_P | E_U | E_RSVD);
        wr64(m, rsvd[k].at, 0);
    }
    /* PDE 2 -> table at 104000h is fine once its reserved bit is gone */
    wr64(m, PD0 + 16, 0x00104000u | P | RW | US);
    assert_int_equal(xlate(m, 0x00401234u, MMU_WRITE, true), 0x00105234u);
    /* a PTE bit 7 with P = 0 is no error */
    wr64(m, PT0 + 8 * 4, PS);
    expect_pf(m, 0x4000, MMU_READ, false, 0);
    mmu_destroy(m);
}

/* Address bits 35:32 are valid in every entry, but this board has
 * nothing above 4 GiB: a table there reads as all ones (present, reserved
 * bits set), and a page there is refused with P | RSVD (mmu/tlb.c). */
static void test_above_4g(void **state)
{
    (void)state;
    struct mmu *m = machine(false, false);
    wr64(m, PDPT + 8, 0x0000000100000000ull | PD1 | P);
    assert_true(mmu_load_pdptes(m, PDPT));
    mmu_tlb_flush(m, true);
    expect_pf(m, 0x40000000u, MMU_READ, false, E_P | E_RSVD);
    wr64(m, PD0 + 8, 0x0000000200000000ull | 0x00104000u | P | RW);
    expect_pf(m, 0x00200000u, MMU_WRITE, false, E_P | E_W | E_RSVD);
    wr64(m, PD0 + 8, 0x0000000800000000ull | 0x00600000u | P | RW | PS);
    expect_pf(m, 0x00200000u, MMU_READ, false, E_P | E_RSVD);
    wr64(m, PT0 + 8, 0x0000000400000000ull | 0x00101000u | P | RW);
    expect_pf(m, 0x1000, MMU_READ, false, E_P | E_RSVD);
    /* nothing was marked accessed */
    assert_int_equal(rd(m, PD0 + 8) & A, 0);
    assert_int_equal(rd(m, PT0 + 8) & A, 0);
    mmu_destroy(m);
}

/* PAE on and off switches walks; the flush on the change is tested in
 * test_paging.c.  32-bit paging does not see the PDPTE registers. */
static void test_mode_switch(void **state)
{
    (void)state;
    struct mmu *m = machine(false, false);
    wr64(m, PT0 + 8, 0x00101000u | P | RW);
    assert_int_equal(xlate(m, 0x1000, MMU_READ, false), 0x00101000u);
    /* a 32-bit directory at 30000h: PDE 0 -> table at 31000h */
    wr(m, 0x30000u, 0x31000u | P | RW);
    wr(m, 0x31004u, 0x00107000u | P | RW);
    struct mmu_paging p = {.enabled = true, .cr3 = 0x30000u};
    mmu_set_paging(m, &p);
    assert_int_equal(xlate(m, 0x1000, MMU_READ, false), 0x00107000u);
    set_pae(m, false, false, PDPT);
    assert_int_equal(xlate(m, 0x1000, MMU_READ, false), 0x00101000u);
    mmu_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdpte_load),
        cmocka_unit_test(test_cached_pdptes),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_accessed_dirty),
        cmocka_unit_test(test_error_codes),
        cmocka_unit_test(test_above_4g),
        cmocka_unit_test(test_mode_switch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
