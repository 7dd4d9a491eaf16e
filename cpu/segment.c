/*
 * segment.c - segment registers: derived access fields, data/stack
 * segment loads, and code segment loads in real and virtual-8086 mode
 * (SDM vol. 3, chapter 3 and 5.5-5.8; protected-mode far transfers are in
 * cpu/far.c).
 */
#include "cpu/engine_internal.h"

void cpu_seg_update(struct cpu *c, struct cpu_seg *s)
{
    uint16_t a = s->attr;
    bool data = (a & SEG_A_S) && !(a & SEG_A_CODE);
    s->lim_lo = 0;
    s->lim_hi = s->limit;
    if (!cpu_protected(c) || cpu_v86(c)) {
        /* Real and virtual-8086 mode do no access-rights checks; the
         * limit (possibly a big "unreal" one) still applies. */
        s->access = CPU_SEGA_READ | CPU_SEGA_WRITE;
    } else if (!(a & SEG_A_P) || !(a & SEG_A_S)) {
        s->access = 0; /* null or system descriptor: no data access */
    } else if (a & SEG_A_CODE) {
        s->access = (a & SEG_A_RW) ? CPU_SEGA_READ : 0;
    } else {
        s->access = CPU_SEGA_READ | ((a & SEG_A_RW) ? CPU_SEGA_WRITE : 0);
    }
    if (data && (a & SEG_A_EC)) {
        /* Expand-down: valid offsets are limit+1 .. 0xFFFF or 0xFFFFFFFF
         * by the B flag (SDM vol. 3, 3.4.5.1). */
        uint32_t top = (a & CPU_SEG_ATTR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
        if (s->limit >= top) {
            s->lim_lo = 1; /* empty */
            s->lim_hi = 0;
        } else {
            s->lim_lo = s->limit + 1;
            s->lim_hi = top;
        }
    }
}

void cpu_seg_update_all(struct cpu *c)
{
    for (unsigned k = 0; k < 6; k++)
        cpu_seg_update(c, &c->seg[k]);
    c->seg_mode = (c->cr[0] & CPU_CR0_PE) | (c->eflags & CPU_FL_VM);
}

bool seg_fetch_desc(struct cpu *c, uint16_t sel, struct seg_desc *d)
{
    uint32_t base, limit;
    if (sel & 4) {
        if ((c->ldtr.sel & 0xFFFCu) == 0 || !(c->ldtr.attr & SEG_A_P))
            return false;
        base = c->ldtr.base;
        limit = c->ldtr.limit;
    } else {
        base = c->gdtr.base;
        limit = c->gdtr.limit;
    }
    uint32_t off = sel & 0xFFF8u;
    if (off + 7 > limit)
        return false;
    d->addr = base + off;
    d->lo = cpu_read_sys(c, d->addr, 4);
    d->hi = cpu_read_sys(c, d->addr + 4, 4);
    return true;
}

void seg_from_desc(struct cpu_seg *s, uint16_t sel, const struct seg_desc *d)
{
    uint32_t limit = (d->lo & 0xFFFFu) | (d->hi & 0x000F0000u);
    if (d->hi & 0x00800000u) /* G: 4 KiB granularity */
        limit = (limit << 12) | 0xFFFu;
    s->sel = sel;
    s->base = (d->lo >> 16) | ((d->hi & 0xFFu) << 16) | (d->hi & 0xFF000000u);
    s->limit = limit;
    s->attr = seg_desc_attr(d);
}

void seg_set_accessed(struct cpu *c, const struct seg_desc *d)
{
    if (!(d->hi & 0x100u))
        cpu_write_sys(c, d->addr + 5, ((d->hi >> 8) & 0xFFu) | SEG_A_ACCESSED, 1);
}

void cpu_load_sreg(struct cpu *c, unsigned sreg, uint16_t sel)
{
    struct cpu_seg *s = &c->seg[sreg];
    if (!cpu_protected(c)) {
        /* Real mode: only selector and base change; the cached limit and
         * attributes stay (which is what makes "unreal mode" work). */
        s->sel = sel;
        s->base = (uint32_t)sel << 4;
        cpu_seg_update(c, s);
        return;
    }
    if (cpu_v86(c)) {
        /* Virtual-8086 mode: base = sel << 4, 64 KiB, DPL 3 read/write
         * data (SDM vol. 3, 20.2.1). */
        s->sel = sel;
        s->base = (uint32_t)sel << 4;
        s->limit = 0xFFFF;
        s->attr = 0xF3;
        cpu_seg_update(c, s);
        return;
    }
    uint32_t err = sel & 0xFFFCu;
    unsigned rpl = sel & 3u;
    struct seg_desc d;
    if (err == 0) {
        /* A null selector may be loaded into DS, ES, FS, GS (any use
         * faults later); never into SS (SDM vol. 3, 3.4.2). */
        if (sreg == CPU_SS)
            cpu_exception(c, CPU_EXC_GP, 0);
        s->sel = sel;
        s->attr = 0;
        s->base = 0;
        s->limit = 0;
        cpu_seg_update(c, s);
        return;
    }
    if (!seg_fetch_desc(c, sel, &d))
        cpu_exception(c, CPU_EXC_GP, err);
    uint16_t a = seg_desc_attr(&d);
    unsigned dpl = SEG_A_DPL(a);
    if (sreg == CPU_SS) {
        /* SS: a writable data segment with RPL = DPL = CPL (SDM vol. 2,
         * MOV/POP: "IF SS is loaded"). */
        if (rpl != c->cpl || dpl != c->cpl || !(a & SEG_A_S) || (a & SEG_A_CODE) ||
            !(a & SEG_A_RW))
            cpu_exception(c, CPU_EXC_GP, err);
        if (!(a & SEG_A_P))
            cpu_exception(c, CPU_EXC_SS, err);
    } else {
        /* Data or readable code; for data and non-conforming code both
         * RPL and CPL must be <= DPL. */
        if (!(a & SEG_A_S) || ((a & SEG_A_CODE) && !(a & SEG_A_RW)))
            cpu_exception(c, CPU_EXC_GP, err);
        bool conforming = (a & SEG_A_CODE) && (a & SEG_A_EC);
        if (!conforming && (rpl > dpl || c->cpl > dpl))
            cpu_exception(c, CPU_EXC_GP, err);
        if (!(a & SEG_A_P))
            cpu_exception(c, CPU_EXC_NP, err);
    }
    seg_set_accessed(c, &d);
    d.hi |= 0x100u;
    seg_from_desc(s, sel, &d);
    cpu_seg_update(c, s);
}

void cpu_load_cs(struct cpu *c, uint16_t sel, uint32_t eip)
{
    struct cpu_seg *cs = &c->seg[CPU_CS];
    /* The new IP must lie within the (kept) CS limit: #GP(0). */
    uint32_t limit = cpu_v86(c) ? 0xFFFFu : cs->limit;
    if (eip > limit)
        cpu_exception(c, CPU_EXC_GP, 0);
    cs->sel = sel;
    cs->base = (uint32_t)sel << 4;
    if (cpu_v86(c)) {
        cs->limit = 0xFFFF;
        cs->attr = 0xF3;
    }
    cpu_seg_update(c, cs);
    c->eip = eip;
}
