/*
 * paging_test_util.h - what the page-walk unit tests share (test_paging.c,
 * test_pae.c): entry and #PF error-code bits, physical-memory access, TLB
 * statistics, and translate-or-fault assertions.  Include after cmocka.h.
 */
#ifndef TESTS_MMU_PAGING_TEST_UTIL_H
#define TESTS_MMU_PAGING_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/mmu.h"

/* Entry bits and #PF error-code bits (SDM vol. 3, tables 4-4 to 4-6, 4.7). */
#define P 0x001u
#define RW 0x002u
#define US 0x004u
#define PWT 0x008u
#define PCD 0x010u
#define A 0x020u
#define D 0x040u
#define PS 0x080u
#define G 0x100u
#define E_P 0x1u
#define E_W 0x2u
#define E_U 0x4u
#define E_RSVD 0x8u

static inline void wr(struct mmu *m, uint32_t a, uint32_t v) { mmu_write_phys(m, a, v, 4); }
static inline uint32_t rd(struct mmu *m, uint32_t a) { return mmu_read_phys(m, a, 4); }

static inline uint64_t fills(const struct mmu *m)
{
    struct mmu_stats s;
    mmu_get_stats(m, &s);
    return s.tlb_fills;
}

static inline uint64_t flushes(const struct mmu *m)
{
    struct mmu_stats s;
    mmu_get_stats(m, &s);
    return s.tlb_flushes;
}

/* `lin` translates (the physical address is returned). */
static inline uint32_t xlate(struct mmu *m, uint32_t lin, enum mmu_access acc, bool user)
{
    uint32_t phys = 0;
    struct mmu_fault f;
    assert_true(mmu_translate(m, lin, acc, user, &phys, &f));
    return phys;
}

/* `lin` faults with error code `err`, CR2 = lin, and fills nothing. */
static inline void expect_pf(struct mmu *m, uint32_t lin, enum mmu_access acc, bool user,
                             uint32_t err)
{
    uint32_t phys = 0xDEADBEEFu;
    struct mmu_fault f = {0, 0xFFFFFFFFu};
    uint64_t before = fills(m);
    assert_false(mmu_translate(m, lin, acc, user, &phys, &f));
    assert_int_equal(f.linear, lin);
    assert_int_equal(f.error, err);
    assert_int_equal(phys, 0xDEADBEEFu);
    assert_int_equal(fills(m), before);
}

#endif
