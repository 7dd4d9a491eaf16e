/*
 * mem.c - memory access slow paths: segment checks with the right fault,
 * alignment checks, translation (TLB fill) and page-crossing accesses.
 *
 * An access that crosses a page translates both pages before touching
 * either, so a fault on the second page commits nothing.
 *
 * Data breakpoints (SDM vol. 3, 17.3.1.2) are compared here only: while
 * one is enabled, every TLB entry filled for the page it watches is
 * dropped at once, so each access to that page comes this way.
 */
#include "cpu/debug_internal.h"

/* The segment check failed: #SS(0) for the stack segment, #GP(0) for the
 * others, #GP(0) for a null selector in protected mode (SDM vol. 3, 5.3
 * and 3.4.2). */
static _Noreturn void mem_seg_fault(struct cpu *c, unsigned sreg)
{
    const struct cpu_seg *s = &c->seg[sreg];
    if (cpu_protected(c) && !cpu_v86(c) && (s->sel & 0xFFFCu) == 0)
        cpu_exception(c, CPU_EXC_GP, 0);
    cpu_exception(c, sreg == CPU_SS ? CPU_EXC_SS : CPU_EXC_GP, 0);
}

static uint32_t mem_linear(struct cpu *c, unsigned sreg, uint32_t off, unsigned size, unsigned need)
{
    const struct cpu_seg *s = &c->seg[sreg];
    if (!cpu_seg_ok(s, off, size, need))
        mem_seg_fault(c, sreg);
    uint32_t lin = s->base + off;
    /* #AC: misaligned data access at CPL 3 with CR0.AM and EFLAGS.AC
     * (SDM vol. 3, 6.15, interrupt 17).  Misaligned accesses never hit
     * the TLB fast path, so checking here is enough. */
    if ((size == 2 || size == 4) && (lin & (size - 1)) && c->cpl == 3 &&
        (c->cr[0] & CPU_CR0_AM) && (c->eflags & CPU_FL_AC))
        cpu_exception(c, CPU_EXC_AC, 0);
    return lin;
}

static uint32_t mem_translate(struct cpu *c, uint32_t lin, enum mmu_access a, bool user)
{
    uint32_t phys;
    struct mmu_fault f;
    if (!mmu_translate(c->mmu, lin, a, user, &phys, &f))
        cpu_page_fault(c, &f);
    if (CPU_UNLIKELY(dbg_armed(c)))
        dbg_tlb_filter(c, lin, a, user);
    return phys;
}

/* Translate the one or two pages of an access; returns the bytes in the
 * first page. */
static uint32_t mem_translate2(struct cpu *c, uint32_t lin, unsigned size, enum mmu_access a,
                               bool user, uint32_t *p1, uint32_t *p2)
{
    uint32_t n1 = MMU_PAGE_SIZE - (lin & ~MMU_PAGE_MASK);
    *p1 = mem_translate(c, lin, a, user);
    if (n1 >= size)
        return size;
    *p2 = mem_translate(c, lin + n1, a, user);
    return n1;
}

static uint32_t mem_read_phys2(struct cpu *c, uint32_t p1, uint32_t p2, uint32_t n1, unsigned size)
{
    if (n1 >= size)
        return mmu_read_phys(c->mmu, p1, size);
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint32_t a = k < n1 ? p1 + k : p2 + (k - n1);
        v |= mmu_read_phys(c->mmu, a, 1) << (8 * k);
    }
    return v;
}

static void mem_write_phys2(struct cpu *c, uint32_t p1, uint32_t p2, uint32_t n1, uint32_t v,
                            unsigned size)
{
    if (n1 >= size) {
        mmu_write_phys(c->mmu, p1, v, size);
        return;
    }
    for (unsigned k = 0; k < size; k++) {
        uint32_t a = k < n1 ? p1 + k : p2 + (k - n1);
        mmu_write_phys(c->mmu, a, (v >> (8 * k)) & 0xFFu, 1);
    }
}

static uint32_t mem_read_lin(struct cpu *c, uint32_t lin, unsigned size, bool user)
{
    uint32_t p1, p2 = 0;
    uint32_t n1 = mem_translate2(c, lin, size, MMU_READ, user, &p1, &p2);
    if (CPU_UNLIKELY(dbg_armed(c)))
        dbg_data_access(c, lin, size, false);
    return mem_read_phys2(c, p1, p2, n1, size);
}

static void mem_write_lin(struct cpu *c, uint32_t lin, uint32_t v, unsigned size, bool user)
{
    uint32_t p1, p2 = 0;
    uint32_t n1 = mem_translate2(c, lin, size, MMU_WRITE, user, &p1, &p2);
    if (CPU_UNLIKELY(dbg_armed(c)))
        dbg_data_access(c, lin, size, true);
    mem_write_phys2(c, p1, p2, n1, v, size);
}

uint32_t cpu_read_slow(struct cpu *c, unsigned sreg, uint32_t off, unsigned size)
{
    uint32_t lin = mem_linear(c, sreg, off, size, CPU_SEGA_READ);
    return mem_read_lin(c, lin, size, c->cpl == 3);
}

void cpu_write_slow(struct cpu *c, unsigned sreg, uint32_t off, uint32_t v, unsigned size)
{
    uint32_t lin = mem_linear(c, sreg, off, size, CPU_SEGA_WRITE);
    mem_write_lin(c, lin, v, size, c->cpl == 3);
}

uint32_t cpu_rmw_read(struct cpu *c, unsigned sreg, uint32_t off, unsigned size)
{
    const struct cpu_seg *s = &c->seg[sreg];
    c->rmw.seg = sreg;
    c->rmw.off = off;
    c->rmw.size = size;
    if (CPU_LIKELY(cpu_seg_ok(s, off, size, CPU_SEGA_WRITE))) {
        uint8_t *p = mmu_tlb_hit(c->tlb->write, s->base + off, size);
        if (CPU_LIKELY(p != NULL)) {
            c->rmw.host = p;
            return size == 1 ? p[0] : size == 2 ? mmu_ld16(p) : mmu_ld32(p);
        }
    }
    /* Writable data segments are always readable; a fault here is a write
     * fault, as for the hardware's locked read. */
    uint32_t lin = mem_linear(c, sreg, off, size, CPU_SEGA_WRITE);
    uint32_t p1, p2 = 0;
    uint32_t n1 = mem_translate2(c, lin, size, MMU_WRITE, c->cpl == 3, &p1, &p2);
    /* The write half is compared by cpu_rmw_write (this slow path leaves
     * rmw.host NULL): here a read/write breakpoint sees the read. */
    if (CPU_UNLIKELY(dbg_armed(c)))
        dbg_data_access(c, lin, size, false);
    c->rmw.host = NULL;
    return mem_read_phys2(c, p1, p2, n1, size);
}

void cpu_rmw_write(struct cpu *c, uint32_t v)
{
    uint8_t *p = c->rmw.host;
    if (p != NULL) {
        if (c->rmw.size == 1)
            p[0] = (uint8_t)v;
        else if (c->rmw.size == 2)
            mmu_st16(p, (uint16_t)v);
        else
            mmu_st32(p, v);
        return;
    }
    /* Translated for writing by cpu_rmw_read: cannot fault now. */
    uint32_t lin = c->seg[c->rmw.seg].base + c->rmw.off;
    mem_write_lin(c, lin, v, c->rmw.size, c->cpl == 3);
}

void cpu_check_write(struct cpu *c, unsigned sreg, uint32_t off, unsigned size)
{
    const struct cpu_seg *s = &c->seg[sreg];
    uint32_t l = s->base + off;
    if (cpu_seg_ok(s, off, size, CPU_SEGA_WRITE) &&
        (l & ~MMU_PAGE_MASK) + size <= MMU_PAGE_SIZE && mmu_tlb_hit(c->tlb->write, l, 1))
        return;
    uint32_t lin = mem_linear(c, sreg, off, size, CPU_SEGA_WRITE);
    uint32_t p1, p2 = 0;
    mem_translate2(c, lin, size, MMU_WRITE, c->cpl == 3, &p1, &p2);
}

uint32_t cpu_read_sys(struct cpu *c, uint32_t linear, unsigned size)
{
    return mem_read_lin(c, linear, size, false);
}

void cpu_write_sys(struct cpu *c, uint32_t linear, uint32_t v, unsigned size)
{
    mem_write_lin(c, linear, v, size, false);
}
