/*
 * cpu_mem.h - guest memory access for instruction handlers: segment checks,
 * then the TLB fast path (slow paths in cpu/mem.c); r/m operand helpers;
 * stack primitives.  Included by cpu/cpu_internal.h only, after the
 * definition of struct cpu.
 */
#ifndef CPU_CPU_MEM_H
#define CPU_CPU_MEM_H

/* ------------------------------------------------------------------ */
/* Memory (cpu/mem.c): segment checks, then the TLB fast path          */

uint32_t cpu_read_slow(struct cpu *c, unsigned sreg, uint32_t off, unsigned size);
void cpu_write_slow(struct cpu *c, unsigned sreg, uint32_t off, uint32_t v, unsigned size);

static inline bool cpu_seg_ok(const struct cpu_seg *s, uint32_t off, unsigned size, unsigned need)
{
    return (s->access & need) && off >= s->lim_lo &&
           (uint64_t)off + (size - 1) <= (uint64_t)s->lim_hi;
}

static inline uint8_t cpu_read8(struct cpu *c, unsigned sreg, uint32_t off)
{
    const struct cpu_seg *s = &c->seg[sreg];
    if (CPU_LIKELY(cpu_seg_ok(s, off, 1, CPU_SEGA_READ))) {
        const uint8_t *p = mmu_tlb_hit(c->tlb->read, s->base + off, 1);
        if (CPU_LIKELY(p != NULL))
            return *p;
    }
    return (uint8_t)cpu_read_slow(c, sreg, off, 1);
}
static inline uint16_t cpu_read16(struct cpu *c, unsigned sreg, uint32_t off)
{
    const struct cpu_seg *s = &c->seg[sreg];
    if (CPU_LIKELY(cpu_seg_ok(s, off, 2, CPU_SEGA_READ))) {
        const uint8_t *p = mmu_tlb_hit(c->tlb->read, s->base + off, 2);
        if (CPU_LIKELY(p != NULL))
            return mmu_ld16(p);
    }
    return (uint16_t)cpu_read_slow(c, sreg, off, 2);
}
static inline uint32_t cpu_read32(struct cpu *c, unsigned sreg, uint32_t off)
{
    const struct cpu_seg *s = &c->seg[sreg];
    if (CPU_LIKELY(cpu_seg_ok(s, off, 4, CPU_SEGA_READ))) {
        const uint8_t *p = mmu_tlb_hit(c->tlb->read, s->base + off, 4);
        if (CPU_LIKELY(p != NULL))
            return mmu_ld32(p);
    }
    return cpu_read_slow(c, sreg, off, 4);
}
static inline void cpu_write8(struct cpu *c, unsigned sreg, uint32_t off, uint8_t v)
{
    const struct cpu_seg *s = &c->seg[sreg];
    if (CPU_LIKELY(cpu_seg_ok(s, off, 1, CPU_SEGA_WRITE))) {
        uint8_t *p = mmu_tlb_hit(c->tlb->write, s->base + off, 1);
        if (CPU_LIKELY(p != NULL)) {
            *p = v;
            return;
        }
    }
    cpu_write_slow(c, sreg, off, v, 1);
}
static inline void cpu_write16(struct cpu *c, unsigned sreg, uint32_t off, uint16_t v)
{
    const struct cpu_seg *s = &c->seg[sreg];
    if (CPU_LIKELY(cpu_seg_ok(s, off, 2, CPU_SEGA_WRITE))) {
        uint8_t *p = mmu_tlb_hit(c->tlb->write, s->base + off, 2);
        if (CPU_LIKELY(p != NULL)) {
            mmu_st16(p, v);
            return;
        }
    }
    cpu_write_slow(c, sreg, off, v, 2);
}
static inline void cpu_write32(struct cpu *c, unsigned sreg, uint32_t off, uint32_t v)
{
    const struct cpu_seg *s = &c->seg[sreg];
    if (CPU_LIKELY(cpu_seg_ok(s, off, 4, CPU_SEGA_WRITE))) {
        uint8_t *p = mmu_tlb_hit(c->tlb->write, s->base + off, 4);
        if (CPU_LIKELY(p != NULL)) {
            mmu_st32(p, v);
            return;
        }
    }
    cpu_write_slow(c, sreg, off, v, 4);
}

/** Read-modify-write: cpu_rmw_read() checks the location for *writing*
 * (segment and page; a fault here is a write fault) and reads it;
 * cpu_rmw_write() then stores to the same place and cannot fault. */
uint32_t cpu_rmw_read(struct cpu *c, unsigned sreg, uint32_t off, unsigned size);
void cpu_rmw_write(struct cpu *c, uint32_t v);

/** Check that `size` bytes at sreg:off can be written, without writing
 * (for instructions that must not write anything unless every write
 * succeeds: PUSHA, ENTER, far CALL, interrupt frames). */
void cpu_check_write(struct cpu *c, unsigned sreg, uint32_t off, unsigned size);

/** Implicit supervisor accesses by linear address (descriptor tables, the
 * IDT, the TSS): no segment checks, paging with supervisor rights (#PF on
 * failure), any alignment. */
uint32_t cpu_read_sys(struct cpu *c, uint32_t linear, unsigned size);
void cpu_write_sys(struct cpu *c, uint32_t linear, uint32_t v, unsigned size);

/* ModRM r/m operand helpers: register or memory. */
static inline uint8_t cpu_get_E8(struct cpu *c, const struct dec_insn *d)
{
    return (d->flags & DEC_F_MEM) ? cpu_read8(c, d->seg, cpu_ea(c, d)) : cpu_get_r8(c, d->rm);
}
static inline uint16_t cpu_get_E16(struct cpu *c, const struct dec_insn *d)
{
    return (d->flags & DEC_F_MEM) ? cpu_read16(c, d->seg, cpu_ea(c, d)) : cpu_get_r16(c, d->rm);
}
static inline uint32_t cpu_get_E32(struct cpu *c, const struct dec_insn *d)
{
    return (d->flags & DEC_F_MEM) ? cpu_read32(c, d->seg, cpu_ea(c, d)) : cpu_get_r32(c, d->rm);
}
static inline void cpu_set_E8(struct cpu *c, const struct dec_insn *d, uint8_t v)
{
    if (d->flags & DEC_F_MEM)
        cpu_write8(c, d->seg, cpu_ea(c, d), v);
    else
        cpu_set_r8(c, d->rm, v);
}
static inline void cpu_set_E16(struct cpu *c, const struct dec_insn *d, uint16_t v)
{
    if (d->flags & DEC_F_MEM)
        cpu_write16(c, d->seg, cpu_ea(c, d), v);
    else
        cpu_set_r16(c, d->rm, v);
}
static inline void cpu_set_E32(struct cpu *c, const struct dec_insn *d, uint32_t v)
{
    if (d->flags & DEC_F_MEM)
        cpu_write32(c, d->seg, cpu_ea(c, d), v);
    else
        cpu_set_r32(c, d->rm, v);
}

/* Stack: explicit-SP primitives (the caller commits SP after all
 * accesses succeeded) and simple push/pop for single accesses. */
static inline void cpu_stack_write16(struct cpu *c, uint32_t sp, uint16_t v)
{
    cpu_write16(c, CPU_SS, sp & cpu_sp_mask(c), v);
}
static inline void cpu_stack_write32(struct cpu *c, uint32_t sp, uint32_t v)
{
    cpu_write32(c, CPU_SS, sp & cpu_sp_mask(c), v);
}
static inline uint16_t cpu_stack_read16(struct cpu *c, uint32_t sp)
{
    return cpu_read16(c, CPU_SS, sp & cpu_sp_mask(c));
}
static inline uint32_t cpu_stack_read32(struct cpu *c, uint32_t sp)
{
    return cpu_read32(c, CPU_SS, sp & cpu_sp_mask(c));
}
static inline void cpu_push16(struct cpu *c, uint16_t v)
{
    uint32_t sp = c->gpr[CPU_ESP] - 2;
    cpu_stack_write16(c, sp, v);
    cpu_set_sp(c, sp);
}
static inline void cpu_push32(struct cpu *c, uint32_t v)
{
    uint32_t sp = c->gpr[CPU_ESP] - 4;
    cpu_stack_write32(c, sp, v);
    cpu_set_sp(c, sp);
}
static inline uint16_t cpu_pop16(struct cpu *c)
{
    uint16_t v = cpu_stack_read16(c, c->gpr[CPU_ESP]);
    cpu_set_sp(c, c->gpr[CPU_ESP] + 2);
    return v;
}
static inline uint32_t cpu_pop32(struct cpu *c)
{
    uint32_t v = cpu_stack_read32(c, c->gpr[CPU_ESP]);
    cpu_set_sp(c, c->gpr[CPU_ESP] + 4);
    return v;
}

#endif
