/*
 * icache.h - the decoded-instruction cache (cpu/icache.c).
 *
 * Traces of up to ICACHE_TRACE_MAX decoded instructions, keyed by the
 * physical address of their first byte and the code size (CS.D), in a
 * direct-mapped table.  Entries live in one pool that is flushed as a
 * whole when full.
 *
 * Self-modifying code: each RAM page has a generation number and a bitmap
 * of its 128-byte lines that hold decoded code.  A write that touches a
 * marked line discards the page: its generation advances (every trace
 * decoded from it becomes stale at once, checked on lookup), its bitmap
 * clears and the MMU's code mark is removed, so further writes run at
 * full speed until code is decoded there again.  Writes to data lines of
 * a page that also holds code cost a slow-path write and a bitmap test,
 * nothing more.
 *
 * Trace links: a trace remembers up to two successors, each keyed by the
 * EIP it continues at, so the run loop can go from one trace to the next
 * without translating the fetch address, hashing or checking generations.
 * A link is only as good as the facts its lookup used: the code
 * segment (base, limit, size), the TLB contents and the traces in the
 * table.  All links carry the cache's link epoch and die together when
 * any of those facts may have changed: a slot holding a trace is
 * overwritten, a page is discarded, the pool is flushed, the TLB is
 * flushed (the MMU calls back), or the run loop finds the code context
 * (CS, TLB set) different from the one the links were made under
 * (icache_check_context).
 */
#ifndef CPU_ICACHE_H
#define CPU_ICACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu_internal.h"

#define ICACHE_TRACE_MAX 32
#define ICACHE_HASH_BITS 14
#define ICACHE_HASH_SIZE (1u << ICACHE_HASH_BITS)
#define ICACHE_NO_TAG 0xFFFFFFFFu
#define ICACHE_NO_PAGE 0xFFFFFFFFu
/* Successors remembered per trace (a conditional branch has two). */
#define ICACHE_LINKS 2

struct cpu_trace {
    struct cpu_insn *insn; /* n entries in the pool, the last one marked */
    uint32_t phys;         /* physical address of the first instruction */
    uint32_t gen;          /* generation of its page when decoded */
    uint32_t page;         /* phys >> MMU_PAGE_SHIFT; ICACHE_NO_PAGE: scratch */
    uint16_t bytes;        /* code bytes covered (all in one page) */
    uint8_t n;
    uint8_t mode;          /* enum dec_mode */
    bool chain;            /* it ends with a near transfer or falls through:
                              its successors may be linked */
    uint32_t link_epoch;   /* links valid while this equals the cache's epoch */
    uint32_t link_eip[ICACHE_LINKS];
    const struct cpu_trace *link[ICACHE_LINKS];
    /* link[k]->insn: the run loop reads the successor's first entry
     * without waiting for link[k] first */
    const struct cpu_insn *link_insn[ICACHE_LINKS];
};

struct icache_page {
    uint32_t gen;   /* advanced when the page's decoded code is discarded */
    uint32_t lines; /* 128-byte lines holding decoded code */
};

/* The code context links were made under (see above). */
struct icache_context {
    uint32_t cs_base, cs_limit;
    uint16_t cs_attr;
    const struct mmu_tlb *tlb; /* the supervisor or user set (CPL) */
};

struct cpu_icache {
    struct cpu_trace hash[ICACHE_HASH_SIZE];
    struct icache_page *page; /* one per RAM page; ROM pages are never written */
    uint32_t npages;
    uint32_t epoch;           /* link epoch, never 0 */
    struct icache_context ctx;
    struct mmu *mmu;
    struct cpu_insn *pool;
    unsigned pool_next;
    struct cpu_trace scratch;
    struct cpu_insn scratch_insn;
    uint64_t smc_flushes;
};

struct cpu_icache *icache_create(struct mmu *mmu);
void icache_destroy(struct cpu_icache *ic);
/** Drop every trace (and every code mark). */
void icache_flush(struct cpu_icache *ic);

static inline unsigned icache_hash(uint32_t phys, unsigned mode)
{
    uint32_t h = phys ^ (phys >> ICACHE_HASH_BITS) ^ (mode << (ICACHE_HASH_BITS - 1));
    return h & (ICACHE_HASH_SIZE - 1);
}

static inline uint32_t icache_gen(const struct cpu_icache *ic, uint32_t phys)
{
    uint32_t pn = phys >> MMU_PAGE_SHIFT;
    return pn < ic->npages ? ic->page[pn].gen : 0;
}

/** The valid trace starting at phys in this mode, or NULL. */
static inline const struct cpu_trace *icache_lookup(struct cpu_icache *ic, uint32_t phys,
                                                    unsigned mode)
{
    const struct cpu_trace *t = &ic->hash[icache_hash(phys, mode)];
    if (t->phys == phys && t->mode == mode && t->gen == icache_gen(ic, phys))
        return t;
    return NULL;
}

/** Room for ICACHE_TRACE_MAX entries of a new trace (may flush the pool,
 * which invalidates every pointer into it). */
struct cpu_insn *icache_begin(struct cpu_icache *ic);
/** Publish the trace of `n` entries built in the room icache_begin()
 * gave: marks its lines (and the MMU code page) when it lies in RAM.
 * `chain`: see struct cpu_trace. */
const struct cpu_trace *icache_commit(struct cpu_icache *ic, uint32_t phys, unsigned mode,
                                      unsigned n, unsigned bytes, bool chain);
/** A one-entry trace outside the cache (page-crossing instructions, code
 * fetched from MMIO): decoded again each time it runs, never linked. */
struct cpu_trace *icache_scratch(struct cpu_icache *ic);

/** Start a new link epoch: every link dies. */
void icache_new_epoch(struct cpu_icache *ic);

/** Compare the code context with the one the links were made under and
 * start a new link epoch if it differs. */
static inline void icache_check_context(struct cpu_icache *ic, const struct cpu_seg *cs,
                                        const struct mmu_tlb *tlb)
{
    struct icache_context *x = &ic->ctx;
    if (CPU_LIKELY(x->cs_base == cs->base && x->cs_limit == cs->limit &&
                   x->cs_attr == cs->attr && x->tlb == tlb))
        return;
    x->cs_base = cs->base;
    x->cs_limit = cs->limit;
    x->cs_attr = cs->attr;
    x->tlb = tlb;
    icache_new_epoch(ic);
}

/** Link `from` to `to` for the successor EIP `eip` (no-op for traces that
 * cannot be linked).  The newest link goes first. */
static inline void icache_link(struct cpu_icache *ic, struct cpu_trace *from, uint32_t eip,
                               const struct cpu_trace *to)
{
    if (!from->chain || to == &ic->scratch)
        return;
    if (from->link_epoch != ic->epoch) {
        /* Fill every slot: a link is checked against the EIP, so the
         * copies are right wherever they are found. */
        from->link_epoch = ic->epoch;
        for (unsigned k = 0; k < ICACHE_LINKS; k++) {
            from->link[k] = to;
            from->link_insn[k] = to->insn;
            from->link_eip[k] = eip;
        }
        return;
    }
    for (unsigned k = ICACHE_LINKS - 1; k > 0; k--) {
        from->link[k] = from->link[k - 1];
        from->link_insn[k] = from->link_insn[k - 1];
        from->link_eip[k] = from->link_eip[k - 1];
    }
    from->link[0] = to;
    from->link_insn[0] = to->insn;
    from->link_eip[0] = eip;
}

/** The trace's page was discarded since it was decoded. */
static inline bool icache_stale(const struct cpu_icache *ic, const struct cpu_trace *t)
{
    return t != &ic->scratch && t->gen != icache_gen(ic, t->phys);
}

/** A write touched [phys, phys+size): discard the pages whose decoded
 * lines it overlaps.  True when it discarded any: the caller then ends the
 * running trace.  (Only the running trace's page matters, but telling
 * which one that is would cost the run loop a store per trace; discards
 * are rare, and ending a trace early changes nothing the guest sees.) */
bool icache_invalidate(struct cpu_icache *ic, uint32_t phys, uint32_t size);

uint64_t icache_smc_flushes(const struct cpu_icache *ic);

/** The MMU's code-write callback (opaque = struct cpu *). */
void cpu_code_write(void *opaque, uint32_t phys, unsigned size);

#endif
