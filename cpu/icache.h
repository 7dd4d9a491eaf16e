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
 */
#ifndef CPU_ICACHE_H
#define CPU_ICACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu_internal.h"

#define ICACHE_TRACE_MAX 32

struct cpu_trace {
    uint32_t phys;         /* physical address of the first instruction */
    uint32_t gen;          /* generation of its page when decoded */
    struct cpu_insn *insn; /* n entries in the pool */
    uint16_t bytes;        /* code bytes covered (all in one page) */
    uint8_t n;
    uint8_t mode;          /* enum dec_mode */
};

struct cpu_icache *icache_create(struct mmu *mmu);
void icache_destroy(struct cpu_icache *ic);
/** Drop every trace (and every code mark). */
void icache_flush(struct cpu_icache *ic);

/** The valid trace starting at phys in this mode, or NULL. */
const struct cpu_trace *icache_lookup(struct cpu_icache *ic, uint32_t phys, unsigned mode);
/** Room for ICACHE_TRACE_MAX entries of a new trace (may flush the pool,
 * which invalidates every pointer into it). */
struct cpu_insn *icache_begin(struct cpu_icache *ic);
/** Publish the trace built in the room icache_begin() gave: marks its
 * lines (and the MMU code page) when it lies in RAM. */
const struct cpu_trace *icache_commit(struct cpu_icache *ic, uint32_t phys, unsigned mode,
                                      unsigned n, unsigned bytes);
/** A one-entry trace outside the cache (page-crossing instructions, code
 * fetched from MMIO): decoded again each time it runs. */
struct cpu_trace *icache_scratch(struct cpu_icache *ic);

/** The trace about to run (SMC checks end it when its page is discarded). */
void icache_set_current(struct cpu_icache *ic, const struct cpu_trace *t);
/** The trace's page was discarded since it was decoded. */
bool icache_stale(const struct cpu_icache *ic, const struct cpu_trace *t);
/** A write touched [phys, phys+size): discard the pages whose decoded
 * lines it overlaps.  True when the running trace's page was discarded. */
bool icache_invalidate(struct cpu_icache *ic, uint32_t phys, uint32_t size);

uint64_t icache_smc_flushes(const struct cpu_icache *ic);

/** The MMU's code-write callback (opaque = struct cpu *). */
void cpu_code_write(void *opaque, uint32_t phys, unsigned size);

#endif
