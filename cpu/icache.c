/*
 * icache.c - the decoded-instruction cache: see cpu/icache.h for the
 * structure, the self-modifying-code scheme and trace links.
 */
#include <stdlib.h>

#include "cpu/icache.h"

#define ICACHE_POOL_SIZE 65536u
#define ICACHE_LINE_SHIFT 7 /* 128-byte lines: 32 per page, one uint32_t */

static void icache_tlb_flushed(void *opaque) { icache_new_epoch(opaque); }

struct cpu_icache *icache_create(struct mmu *mmu)
{
    struct cpu_icache *ic = calloc(1, sizeof(*ic));
    if (ic == NULL)
        return NULL;
    ic->mmu = mmu;
    ic->npages = mmu_ram_size(mmu) >> MMU_PAGE_SHIFT;
    ic->pool = calloc(ICACHE_POOL_SIZE, sizeof(*ic->pool));
    ic->page = calloc(ic->npages + 1, sizeof(*ic->page));
    if (ic->pool == NULL || ic->page == NULL) {
        icache_destroy(ic);
        return NULL;
    }
    for (unsigned k = 0; k < ICACHE_HASH_SIZE; k++)
        ic->hash[k].phys = ICACHE_NO_TAG;
    ic->scratch.insn = &ic->scratch_insn;
    ic->scratch.n = 1;
    ic->scratch.page = ICACHE_NO_PAGE;
    ic->epoch = 1; /* link_epoch 0 (calloc) is never valid */
    mmu_set_tlb_flush_handler(mmu, icache_tlb_flushed, ic);
    return ic;
}

void icache_destroy(struct cpu_icache *ic)
{
    if (ic == NULL)
        return;
    if (ic->mmu != NULL)
        mmu_set_tlb_flush_handler(ic->mmu, NULL, NULL);
    free(ic->pool);
    free(ic->page);
    free(ic);
}

void icache_new_epoch(struct cpu_icache *ic)
{
    if (++ic->epoch != 0)
        return;
    /* Wrapped: clear every link so that none of the old epochs can match
     * again. */
    for (unsigned k = 0; k < ICACHE_HASH_SIZE; k++)
        ic->hash[k].link_epoch = 0;
    ic->epoch = 1;
}

static void icache_discard_page(struct cpu_icache *ic, uint32_t pn)
{
    struct icache_page *p = &ic->page[pn];
    p->gen++;
    p->lines = 0;
    mmu_clear_code_page(ic->mmu, pn << MMU_PAGE_SHIFT);
    icache_new_epoch(ic);
}

void icache_flush(struct cpu_icache *ic)
{
    for (unsigned k = 0; k < ICACHE_HASH_SIZE; k++)
        ic->hash[k].phys = ICACHE_NO_TAG;
    for (uint32_t pn = 0; pn < ic->npages; pn++) {
        if (ic->page[pn].lines != 0)
            icache_discard_page(ic, pn);
    }
    ic->pool_next = 0;
    icache_new_epoch(ic);
}

struct cpu_insn *icache_begin(struct cpu_icache *ic)
{
    if (ic->pool_next + ICACHE_TRACE_MAX > ICACHE_POOL_SIZE)
        icache_flush(ic);
    return &ic->pool[ic->pool_next];
}

const struct cpu_trace *icache_commit(struct cpu_icache *ic, uint32_t phys, unsigned mode,
                                      unsigned n, unsigned bytes, bool chain)
{
    struct cpu_trace *t = &ic->hash[icache_hash(phys, mode)];
    /* Links to the slot's previous trace would now lead here. */
    if (t->phys != ICACHE_NO_TAG)
        icache_new_epoch(ic);
    t->phys = phys;
    t->mode = (uint8_t)mode;
    t->n = (uint8_t)n;
    t->page = phys >> MMU_PAGE_SHIFT;
    t->bytes = (uint16_t)bytes;
    t->insn = &ic->pool[ic->pool_next];
    t->gen = icache_gen(ic, phys);
    t->chain = chain;
    t->link_epoch = 0;
    ic->pool_next += n;
    uint32_t pn = phys >> MMU_PAGE_SHIFT;
    if (pn < ic->npages && bytes > 0) {
        uint32_t off = phys & ~MMU_PAGE_MASK;
        unsigned first = off >> ICACHE_LINE_SHIFT;
        unsigned last = (off + bytes - 1) >> ICACHE_LINE_SHIFT;
        uint32_t mask = (last >= 31 ? 0xFFFFFFFFu : ((2u << last) - 1)) & ~((1u << first) - 1);
        ic->page[pn].lines |= mask;
        mmu_mark_code_page(ic->mmu, phys);
    }
    return t;
}

struct cpu_trace *icache_scratch(struct cpu_icache *ic) { return &ic->scratch; }

bool icache_invalidate(struct cpu_icache *ic, uint32_t phys, uint32_t size)
{
    bool discarded = false;
    uint64_t end = (uint64_t)phys + size; /* exclusive */
    uint64_t a = phys;
    while (a < end) {
        uint32_t pn = (uint32_t)(a >> MMU_PAGE_SHIFT);
        uint64_t page_end = ((uint64_t)pn + 1) << MMU_PAGE_SHIFT;
        uint64_t stop = end < page_end ? end : page_end;
        if (pn < ic->npages && ic->page[pn].lines != 0) {
            unsigned first = (unsigned)(a & ~MMU_PAGE_MASK) >> ICACHE_LINE_SHIFT;
            unsigned last = (unsigned)((stop - 1) & ~MMU_PAGE_MASK) >> ICACHE_LINE_SHIFT;
            uint32_t mask = (last >= 31 ? 0xFFFFFFFFu : ((2u << last) - 1)) & ~((1u << first) - 1);
            if (ic->page[pn].lines & mask) {
                icache_discard_page(ic, pn);
                ic->smc_flushes++;
                discarded = true;
            }
        }
        a = stop;
    }
    return discarded;
}

uint64_t icache_smc_flushes(const struct cpu_icache *ic) { return ic->smc_flushes; }
