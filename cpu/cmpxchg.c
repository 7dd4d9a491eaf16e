/*
 * cmpxchg.c - XADD, CMPXCHG, CMPXCHG8B (SDM vol. 2).
 *
 * A memory destination of CMPXCHG always gets a write cycle: when the
 * comparison fails the destination is written back with its own value
 * ("the destination operand is written back if the comparison fails"), so
 * a read-only page faults on either path; cpu_rmw_read() checks for
 * writing first.  CMPXCHG8B does the same for its 8 bytes; both dwords are
 * checked for writing before anything is read or changed, so a fault on
 * the second half commits nothing.
 */
#include "cpu/alu_internal.h"

/* ------------------------------------------------------------------ */
/* XADD: temp = dest + src; src = dest; dest = temp                    */

static inline void cmpxchg_xadd(struct cpu *c, const struct dec_insn *d, unsigned size)
{
    uint32_t src = alu_get_reg(c, d->reg, size);
    if (d->flags & DEC_F_MEM) {
        uint32_t dst = cpu_rmw_read(c, d->seg, cpu_ea(c, d), size);
        uint32_t sum = dst + src;
        flags_set_add(&c->lf, size * 8, dst, src, sum);
        cpu_rmw_write(c, sum & alu_mask(size));
        alu_set_reg(c, d->reg, size, dst);
    } else {
        uint32_t dst = alu_get_reg(c, d->rm, size);
        uint32_t sum = dst + src;
        flags_set_add(&c->lf, size * 8, dst, src, sum);
        /* same register in both operands: the destination (the sum) wins */
        alu_set_reg(c, d->reg, size, dst);
        alu_set_reg(c, d->rm, size, sum);
    }
}

void cpu_h_XADD_EbGb(struct cpu *c, const struct cpu_insn *i) { cmpxchg_xadd(c, &i->d, 1); }
void cpu_h_XADD_EwGw(struct cpu *c, const struct cpu_insn *i) { cmpxchg_xadd(c, &i->d, 2); }
void cpu_h_XADD_EdGd(struct cpu *c, const struct cpu_insn *i) { cmpxchg_xadd(c, &i->d, 4); }

/* ------------------------------------------------------------------ */
/* CMPXCHG: compare accumulator with dest (flags as CMP acc, dest);     */
/* equal: dest = src; else: acc = dest (and dest rewritten)             */

static inline void cmpxchg_cmpxchg(struct cpu *c, const struct dec_insn *d, unsigned size)
{
    uint32_t src = alu_get_reg(c, d->reg, size);
    uint32_t acc = alu_get_reg(c, CPU_EAX, size);
    uint32_t dst;
    if (d->flags & DEC_F_MEM) {
        dst = cpu_rmw_read(c, d->seg, cpu_ea(c, d), size);
        cpu_rmw_write(c, acc == dst ? src : dst);
    } else {
        dst = alu_get_reg(c, d->rm, size);
        if (acc == dst)
            alu_set_reg(c, d->rm, size, src);
    }
    flags_set_sub(&c->lf, size * 8, acc, dst, acc - dst);
    if (acc != dst)
        alu_set_reg(c, CPU_EAX, size, dst);
}

void cpu_h_CMPXCHG_EbGb(struct cpu *c, const struct cpu_insn *i) { cmpxchg_cmpxchg(c, &i->d, 1); }
void cpu_h_CMPXCHG_EwGw(struct cpu *c, const struct cpu_insn *i) { cmpxchg_cmpxchg(c, &i->d, 2); }
void cpu_h_CMPXCHG_EdGd(struct cpu *c, const struct cpu_insn *i) { cmpxchg_cmpxchg(c, &i->d, 4); }

/* ------------------------------------------------------------------ */
/* CMPXCHG8B m64: EDX:EAX vs m64; equal: m64 = ECX:EBX, ZF = 1; else    */
/* EDX:EAX = m64, ZF = 0.  Only ZF changes.                             */

void cpu_h_CMPXCHG8B_Mq(struct cpu *c, const struct cpu_insn *i)
{
    const struct dec_insn *d = &i->d;
    uint32_t off = cpu_ea(c, d);
    uint32_t off_hi = off + 4; /* no 64 KiB wrap: the limit check catches it */
    cpu_check_write(c, d->seg, off_hi, 4);
    /* #AC wants the quadword 8-aligned (SDM vol. 3, table 6-7), which
     * the two dword accesses below would not see. */
    if (c->cpl == 3 && (c->cr[0] & CPU_CR0_AM) && (c->eflags & CPU_FL_AC) &&
        ((c->seg[d->seg].base + off) & 7u)) {
        cpu_check_write(c, d->seg, off, 4);
        cpu_exception(c, CPU_EXC_AC, 0);
    }
    uint32_t lo = cpu_rmw_read(c, d->seg, off, 4);
    uint32_t hi = cpu_read32(c, d->seg, off_hi);
    bool eq = lo == cpu_get_r32(c, CPU_EAX) && hi == cpu_get_r32(c, CPU_EDX);
    if (eq) {
        cpu_rmw_write(c, cpu_get_r32(c, CPU_EBX));
        cpu_write32(c, d->seg, off_hi, cpu_get_r32(c, CPU_ECX));
    } else {
        cpu_rmw_write(c, lo);
        cpu_write32(c, d->seg, off_hi, hi);
        cpu_set_r32(c, CPU_EAX, lo);
        cpu_set_r32(c, CPU_EDX, hi);
    }
    flags_set_szp(&c->lf, flags_sf(&c->lf), eq, flags_pf(&c->lf));
}
