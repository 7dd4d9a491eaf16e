/*
 * cpu.c - CPU object lifetime, the power-on state, and the public register
 * API of cpu/cpu.h.
 */
#include <stdlib.h>
#include <string.h>

#include "cpu/icache.h"
#include "cpu/x87_internal.h"

/* Processor signature in EDX after RESET: family 6, model 5, stepping 2
 * (Pentium II), SDM vol. 3, 9.1.4. */
#define CPU_RESET_EDX_P2 0x00000652u

struct cpu *cpu_create(struct mmu *mmu, const struct cpu_bus_ops *bus, const struct cpu_config *cfg)
{
    struct cpu *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->mmu = mmu;
    if (bus != NULL)
        c->bus = *bus;
    if (cfg != NULL)
        c->cfg = *cfg;
    c->icache = icache_create(mmu);
    if (c->icache == NULL) {
        free(c);
        return NULL;
    }
    mmu_set_code_write_handler(mmu, cpu_code_write, c);
    cpu_reset(c);
    return c;
}

void cpu_destroy(struct cpu *c)
{
    if (c == NULL)
        return;
    mmu_set_code_write_handler(c->mmu, NULL, NULL);
    icache_destroy(c->icache);
    free(c);
}

static void cpu_reset_seg(struct cpu_seg *s, uint16_t sel, uint32_t base, uint16_t attr)
{
    s->sel = sel;
    s->base = base;
    s->limit = 0xFFFF;
    s->attr = attr;
}

void cpu_reset(struct cpu *c)
{
    /* SDM vol. 3, 9.1.1 and table 9-1. */
    memset(c->gpr, 0, sizeof(c->gpr));
    c->gpr[CPU_EDX] = CPU_RESET_EDX_P2;
    c->eip = 0xFFF0;
    c->prev_eip = 0xFFF0;
    c->eflags = 2;
    flags_put_oszapc(&c->lf, 0, CPU_FL_OSZAPC);
    for (unsigned k = 0; k < 6; k++)
        cpu_reset_seg(&c->seg[k], 0, 0, 0x93); /* present, read/write, accessed */
    cpu_reset_seg(&c->seg[CPU_CS], 0xF000, 0xFFFF0000u, 0x93);
    cpu_reset_seg(&c->ldtr, 0, 0, 0x82);
    cpu_reset_seg(&c->tr, 0, 0, 0x8B);
    memset(c->cr, 0, sizeof(c->cr));
    c->cr[0] = 0x60000010u;
    memset(c->dr, 0, sizeof(c->dr));
    c->dr[6] = 0xFFFF0FF0u;
    c->dr[7] = 0x00000400u;
    c->gdtr.base = 0;
    c->gdtr.limit = 0xFFFF;
    c->idtr.base = 0;
    c->idtr.limit = 0xFFFF;
    /* The time-stamp counter restarts at 0 (SDM vol. 3, 17.17). */
    c->tsc_offset = (uint64_t)0 - c->icount;
    c->halted = false;
    c->nmi_pending = false;
    c->nmi_blocked = false;
    c->stop_requested = false;
    c->shutdown = false;
    c->inhibit_until = 0;
    c->delivering = -1;
    c->resume = NULL;
    memset(&c->shutdown_info, 0, sizeof(c->shutdown_info));
    memset(&c->last_exc, 0, sizeof(c->last_exc));
    struct mmu_paging p = {.enabled = false};
    mmu_set_paging(c->mmu, &p);
    mmu_tlb_flush(c->mmu, true);
    cpu_set_cpl(c, 0);
    cpu_seg_update_all(c);
    cpu_sys_reset(c);
    /* The x87 takes its power-up/RESET state too (table 9-1); an INIT
     * would leave it unchanged, but ringzero has no INIT without RESET. */
    x87_reset(c);
}

uint64_t cpu_icount(const struct cpu *c) { return c->icount; }

void cpu_advance_idle(struct cpu *c, uint64_t ticks) { c->tsc_offset += ticks; }

uint32_t cpu_get_reg(const struct cpu *c, enum cpu_reg r) { return c->gpr[r & 7]; }
void cpu_set_reg(struct cpu *c, enum cpu_reg r, uint32_t v) { c->gpr[r & 7] = v; }
uint32_t cpu_get_eip(const struct cpu *c) { return c->eip; }

void cpu_set_eip(struct cpu *c, uint32_t eip)
{
    c->eip = eip;
    c->resume = NULL;
    c->halted = false; /* execution moves on from the new address */
}

uint32_t cpu_get_eflags(const struct cpu *c) { return cpu_eflags(c); }

void cpu_set_eflags(struct cpu *c, uint32_t eflags)
{
    cpu_write_eflags(c, eflags & 0x003F7FD5u, 0xFFFFFFFFu);
}

void cpu_get_segment(const struct cpu *c, enum cpu_sreg s, struct cpu_segment *out)
{
    const struct cpu_seg *g = &c->seg[s];
    out->selector = g->sel;
    out->attr = g->attr;
    out->base = g->base;
    out->limit = g->limit;
}

void cpu_set_segment(struct cpu *c, enum cpu_sreg s, const struct cpu_segment *seg)
{
    struct cpu_seg *g = &c->seg[s];
    g->sel = seg->selector;
    g->attr = seg->attr;
    g->base = seg->base;
    g->limit = seg->limit;
    cpu_seg_update(c, g);
    /* A loader entering protected mode directly sets CS last: CPL is its
     * RPL (real mode is CPL 0, virtual-8086 mode CPL 3). */
    if (s == CPU_CS)
        cpu_set_cpl(c, !cpu_protected(c) ? 0 : cpu_v86(c) ? 3 : (seg->selector & 3u));
}

void cpu_set_segment_real(struct cpu *c, enum cpu_sreg s, uint16_t selector)
{
    c->seg[s].sel = selector;
    c->seg[s].base = (uint32_t)selector << 4;
    cpu_seg_update(c, &c->seg[s]);
}

uint32_t cpu_get_cr(const struct cpu *c, unsigned n)
{
    return (n == 0 || n == 2 || n == 3 || n == 4) ? c->cr[n] : 0;
}

void cpu_set_cr(struct cpu *c, unsigned n, uint32_t v)
{
    if (n == 2) {
        c->cr[2] = v;
        return;
    }
    if (n != 0 && n != 3 && n != 4)
        return;
    if (c->in_run) {
        /* From a callback inside cpu_run: faults unwind to the loop. */
        if (n == 0)
            cpu_write_cr0(c, v);
        else if (n == 3)
            cpu_write_cr3(c, v);
        else
            cpu_write_cr4(c, v);
        return;
    }
    /* From outside: an invalid value is refused (the MOV CRn checks raise
     * #GP, caught here) and leaves the registers as they were. */
    uint32_t eip = c->eip, prev = c->prev_eip;
    c->in_run = true;
    if (setjmp(c->unwind) == 0) {
        if (n == 0)
            cpu_write_cr0(c, v);
        else if (n == 3)
            cpu_write_cr3(c, v);
        else
            cpu_write_cr4(c, v);
    }
    c->in_run = false;
    c->eip = eip;
    c->prev_eip = prev;
    cpu_seg_update_all(c);
}

void cpu_get_dtr(const struct cpu *c, bool idt, uint32_t *base, uint16_t *limit)
{
    *base = idt ? c->idtr.base : c->gdtr.base;
    *limit = idt ? c->idtr.limit : c->gdtr.limit;
}

void cpu_set_dtr(struct cpu *c, bool idt, uint32_t base, uint16_t limit)
{
    if (idt) {
        c->idtr.base = base;
        c->idtr.limit = limit;
    } else {
        c->gdtr.base = base;
        c->gdtr.limit = limit;
    }
}

void cpu_last_exception(const struct cpu *c, struct cpu_exception_info *out) { *out = c->last_exc; }

void cpu_get_stats(const struct cpu *c, struct cpu_stats *out)
{
    *out = c->stats;
    out->insns = c->icount;
    out->smc_flushes = icache_smc_flushes(c->icache);
}
