/*
 * icache.c - the decoded-instruction cache: see cpu/icache.h for the
 * structure and the self-modifying-code scheme.
 */
#include <stdlib.h>

#include "cpu/icache.h"

#define ICACHE_HASH_BITS 14
#define ICACHE_HASH_SIZE (1u << ICACHE_HASH_BITS)
#define ICACHE_POOL_SIZE 65536u
#define ICACHE_NO_TAG 0xFFFFFFFFu
#define ICACHE_LINE_SHIFT 7 /* 128-byte lines: 32 per page, one uint32_t */
#define ICACHE_NO_PAGE 0xFFFFFFFFu

struct icache_page {
    uint32_t gen;   /* advanced when the page's decoded code is discarded */
    uint32_t lines; /* 128-byte lines holding decoded code */
};

struct cpu_icache {
    struct mmu *mmu;
    struct cpu_trace hash[ICACHE_HASH_SIZE];
    struct cpu_insn *pool;
    unsigned pool_next;
    struct icache_page *page; /* one per RAM page; ROM pages are never written */
    uint32_t npages;
    uint32_t cur_page;
    struct cpu_trace scratch;
    struct cpu_insn scratch_insn;
    uint64_t smc_flushes;
};

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
    ic->cur_page = ICACHE_NO_PAGE;
    return ic;
}

void icache_destroy(struct cpu_icache *ic)
{
    if (ic == NULL)
        return;
    free(ic->pool);
    free(ic->page);
    free(ic);
}

static void icache_discard_page(struct cpu_icache *ic, uint32_t pn)
{
    struct icache_page *p = &ic->page[pn];
    p->gen++;
    p->lines = 0;
    mmu_clear_code_page(ic->mmu, pn << MMU_PAGE_SHIFT);
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
}

static unsigned icache_hash(uint32_t phys, unsigned mode)
{
    uint32_t h = phys ^ (phys >> ICACHE_HASH_BITS) ^ (mode << (ICACHE_HASH_BITS - 1));
    return h & (ICACHE_HASH_SIZE - 1);
}

static uint32_t icache_gen(const struct cpu_icache *ic, uint32_t phys)
{
    uint32_t pn = phys >> MMU_PAGE_SHIFT;
    return pn < ic->npages ? ic->page[pn].gen : 0;
}

const struct cpu_trace *icache_lookup(struct cpu_icache *ic, uint32_t phys, unsigned mode)
{
    const struct cpu_trace *t = &ic->hash[icache_hash(phys, mode)];
    if (t->phys == phys && t->mode == mode && t->gen == icache_gen(ic, phys))
        return t;
    return NULL;
}

struct cpu_insn *icache_begin(struct cpu_icache *ic)
{
    if (ic->pool_next + ICACHE_TRACE_MAX > ICACHE_POOL_SIZE)
        icache_flush(ic);
    return &ic->pool[ic->pool_next];
}

const struct cpu_trace *icache_commit(struct cpu_icache *ic, uint32_t phys, unsigned mode,
                                      unsigned n, unsigned bytes)
{
    struct cpu_trace *t = &ic->hash[icache_hash(phys, mode)];
    t->phys = phys;
    t->mode = (uint8_t)mode;
    t->n = (uint8_t)n;
    t->bytes = (uint16_t)bytes;
    t->insn = &ic->pool[ic->pool_next];
    t->gen = icache_gen(ic, phys);
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

void icache_set_current(struct cpu_icache *ic, const struct cpu_trace *t)
{
    ic->cur_page = t == &ic->scratch ? ICACHE_NO_PAGE : t->phys >> MMU_PAGE_SHIFT;
}

bool icache_invalidate(struct cpu_icache *ic, uint32_t phys, uint32_t size)
{
    bool hit_current = false;
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
                if (pn == ic->cur_page)
                    hit_current = true;
            }
        }
        a = stop;
    }
    return hit_current;
}

bool icache_stale(const struct cpu_icache *ic, const struct cpu_trace *t)
{
    return t != &ic->scratch && t->gen != icache_gen(ic, t->phys);
}

uint64_t icache_smc_flushes(const struct cpu_icache *ic) { return ic->smc_flushes; }
