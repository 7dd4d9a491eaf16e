/*
 * ops_internal.h - small helpers shared by the data-movement, stack and
 * control-transfer handlers (move.c, stack.c, control.c, string.c, io.c).
 * Only files in cpu/ include this.
 */
#ifndef CPU_OPS_INTERNAL_H
#define CPU_OPS_INTERNAL_H

#include "cpu/cpu_internal.h"

/** Address-size mask of an instruction (DEC_F_A32). */
static inline uint32_t ops_amask(const struct dec_insn *d)
{
    return (d->flags & DEC_F_A32) ? 0xFFFFFFFFu : 0xFFFFu;
}

/** Add `delta` to register r within the bits of `mask`, keeping the others
 * (SI/DI/CX under 16-bit addressing keep the upper halves of ESI/EDI/ECX). */
static inline void ops_reg_add(struct cpu *c, unsigned r, uint32_t mask, uint32_t delta)
{
    c->gpr[r] = (c->gpr[r] & ~mask) | ((c->gpr[r] + delta) & mask);
}

/** Near branch to an offset in the current code segment.  SDM vol. 2, JMP
 * and CALL: a target outside the CS limit raises #GP(0) before anything
 * changes (in real mode too). */
static inline void ops_near_branch(struct cpu *c, uint32_t target)
{
    if (CPU_UNLIKELY(target > c->seg[CPU_CS].limit))
        cpu_exception(c, CPU_EXC_GP, 0);
    c->eip = target;
}

/** Check that `size` bytes of stack below `sp` (that is, SS:[sp - size,
 * sp)) can be written.  Under a 16-bit stack the range may wrap at 64 KiB,
 * in which case both pieces are checked. */
static inline void ops_stack_check(struct cpu *c, uint32_t sp, unsigned size)
{
    uint32_t mask = cpu_sp_mask(c);
    uint32_t lo = (sp - size) & mask;
    if ((uint64_t)lo + size - 1 <= mask) {
        cpu_check_write(c, CPU_SS, lo, size);
    } else {
        unsigned first = (unsigned)(mask - lo + 1);
        cpu_check_write(c, CPU_SS, lo, first);
        cpu_check_write(c, CPU_SS, 0, size - first);
    }
}

/** ESP after adding `delta` under the stack width of SS.B (the upper half
 * of ESP is kept for a 16-bit stack). */
static inline uint32_t ops_sp_after(const struct cpu *c, uint32_t delta)
{
    uint32_t m = cpu_sp_mask(c);
    return (c->gpr[CPU_ESP] & ~m) | ((c->gpr[CPU_ESP] + delta) & m);
}

/* Port I/O pieces (cpu/io.c) for INS/OUTS, which must check the port
 * permission before their memory access and do the bus cycle after it.
 * cpu_io_in/cpu_io_out are ops_io_check followed by the bus cycle. */

/** #GP(0) unless the access is allowed: CPL <= IOPL outside virtual-8086
 * mode, else the TSS I/O permission bitmap (SDM vol. 1, 19.5). */
void ops_io_check(struct cpu *c, uint16_t port, unsigned size);
/** The bus cycle alone (no permission check); the value is masked to size. */
uint32_t ops_io_bus_in(struct cpu *c, uint16_t port, unsigned size);
void ops_io_bus_out(struct cpu *c, uint16_t port, uint32_t v, unsigned size);

#endif
