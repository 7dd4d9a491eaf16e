/*
 * debug_internal.h - breakpoint matching of the debug registers (cpu/debug.c)
 * for the run loop (cpu/exec.c), the memory slow path (cpu/mem.c) and port
 * I/O (SDM vol. 3, 17.2 and 17.3).
 *
 * Cost model: nothing on the fast paths.  An instruction breakpoint makes
 * the run loop go one instruction at a time while it is enabled; a data
 * breakpoint keeps the linear page it watches out of the TLB (mem.c drops
 * the entry each fill makes), so only slow-path accesses ever need to be
 * compared, and only while some L/G bit of DR7 is set.
 */
#ifndef CPU_DEBUG_INTERNAL_H
#define CPU_DEBUG_INTERNAL_H

#include "cpu/cpu_internal.h"

/* DR6 status bits (SDM vol. 3, 17.2.3). */
#define DBG_DR6_B0_B3 0x0000000Fu
#define DBG_DR6_BD 0x00002000u
#define DBG_DR6_BS 0x00004000u
#define DBG_DR6_BT 0x00008000u
#define DBG_DR6_STATUS (DBG_DR6_B0_B3 | DBG_DR6_BD | DBG_DR6_BS | DBG_DR6_BT)
/* DR7 L0-G3: some breakpoint is enabled. */
#define DBG_DR7_ENABLES 0x000000FFu

/** Some breakpoint is enabled (the only test the slow paths make). */
static inline bool dbg_armed(const struct cpu *c) { return (c->dr[7] & DBG_DR7_ENABLES) != 0; }

/** B0-B3 bits of the instruction breakpoints that match the instruction
 * at linear address `lin`, or 0 when no enabled one does. */
uint32_t dbg_exec_match(const struct cpu *c, uint32_t lin);
/** An instruction breakpoint (R/W = 00) is enabled. */
bool dbg_exec_armed(const struct cpu *c);

/** A data access of `size` bytes at linear `lin` (a write when `write`)
 * completed its checks: record the data breakpoints it hits as a #DB trap
 * after the instruction (struct cpu.debug_trap) and end the trace so the
 * run loop delivers it (a REP string instruction then stops after this
 * iteration, SDM vol. 3, 17.3.1.2). */
void dbg_data_access(struct cpu *c, uint32_t lin, unsigned size, bool write);

/** The TLB entry just filled for `lin` (access kind `a`, set `user`) is
 * dropped again if its page holds an enabled data breakpoint. */
void dbg_tlb_filter(struct cpu *c, uint32_t lin, enum mmu_access a, bool user);

/** Port I/O of `size` bytes at `port` passed its permission checks: with
 * CR4.DE, I/O breakpoints (R/W = 10) that cover it raise a #DB trap after
 * the instruction (SDM vol. 3, 17.2.4, 17.2.5).  Called by cpu/io.c. */
void cpu_debug_io(struct cpu *c, uint16_t port, unsigned size);

/** Commit the status of a #DB to DR6: B0-B3 report this exception only
 * ("certain debug exceptions may clear bits 0-3", SDM vol. 3, 17.2.3; the
 * P6 family and Bochs do), BD, BS and BT stay set until software clears
 * them. */
static inline void dbg_set_dr6(struct cpu *c, uint32_t status)
{
    c->dr[6] = (c->dr[6] & ~DBG_DR6_B0_B3) | (status & DBG_DR6_STATUS);
}

#endif
