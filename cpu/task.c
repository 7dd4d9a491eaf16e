/*
 * task.c - hardware task switches (SDM vol. 3, chapter 7; vol. 2, JMP,
 * CALL, INT n and IRET, "TASK-GATE", "TASK-STATE-SEGMENT" and
 * "TASK-RETURN").
 *
 * A switch has two halves (SDM vol. 3, 7.3).  Up to the commit point every
 * check and every page that will be touched is verified first, so a fault
 * there leaves the old task exactly as it was.  After the commit point
 * (TR loaded) the new task's LDTR, CR3, EFLAGS, EIP, general registers
 * and segment selectors are in place, and a fault while qualifying the
 * new segment descriptors is raised in the context of the new task:
 * selectors loaded, descriptor caches not yet usable (table 7-1).
 */
#include "cpu/debug_internal.h"
#include "cpu/engine_internal.h"

/* EFLAGS bits that exist (the rest read as 0, bit 1 as 1). */
#define TASK_FL_ALL 0x003F7FD5u
/* DR7 L0-L3 and LE: cleared on every task switch (SDM vol. 3, 17.2.4;
 * the 80386 manual also clears LE). */
#define TASK_DR7_LOCAL 0x00000155u
/* Busy bit of a TSS descriptor's type, in the access byte. */
#define TASK_BUSY 0x02u

enum task_source { TASK_JMP, TASK_CALL, TASK_INT, TASK_IRET };

/* What a 16- or 32-bit TSS holds for the new task (SDM vol. 3, figures
 * 7-2 and 7-11). */
struct task_image {
    uint32_t cr3, eip, eflags, gpr[8];
    uint16_t sreg[6], ldt;
    bool trap; /* T flag */
};

static bool task_is_tss32(unsigned type)
{
    return type == SEG_T_TSS32_AVAIL || type == SEG_T_TSS32_BUSY;
}

/* Translate the first and last byte of [lin, lin + len) (a TSS region is
 * far smaller than a page, so it spans at most two) with supervisor
 * rights: #PF now rather than half-way through the switch (SDM vol. 3,
 * 7.3, step 5: "all ... used in the task switch are paged into system
 * memory"). */
static void task_probe(struct cpu *c, uint32_t lin, uint32_t len, enum mmu_access a)
{
    uint32_t ends[2] = {lin, lin + len - 1};
    for (unsigned k = 0; k < 2; k++) {
        uint32_t phys;
        struct mmu_fault f;
        if (!mmu_translate(c->mmu, ends[k], a, false, &phys, &f))
            cpu_page_fault(c, &f);
        /* A page with an enabled data breakpoint stays out of the TLB,
         * as after any other fill (cpu/mem.c). */
        if (CPU_UNLIKELY(dbg_armed(c)))
            dbg_tlb_filter(c, ends[k], a, false);
    }
}

/* Set or clear the busy bit of the TSS descriptor whose access byte is at
 * linear address `at`. */
static void task_set_busy(struct cpu *c, uint32_t at, bool busy)
{
    uint32_t a = cpu_read_sys(c, at, 1);
    a = busy ? (a | TASK_BUSY) : (a & ~TASK_BUSY);
    cpu_write_sys(c, at, a, 1);
}

/* Save the outgoing task's dynamic state into the current TSS (step 8). */
static void task_save(struct cpu *c, uint32_t eflags)
{
    uint32_t b = c->tr.base;
    if (task_is_tss32(c->tr.attr & 0x0Fu)) {
        cpu_write_sys(c, b + 0x20, c->eip, 4);
        cpu_write_sys(c, b + 0x24, eflags, 4);
        for (unsigned r = 0; r < 8; r++)
            cpu_write_sys(c, b + 0x28 + 4 * r, c->gpr[r], 4);
        for (unsigned s = 0; s < 6; s++)
            cpu_write_sys(c, b + 0x48 + 4 * s, c->seg[s].sel, 2);
    } else {
        /* A 16-bit TSS keeps IP, FLAGS, the low words and ES, CS, SS, DS:
         * the upper halves, FS and GS are lost (SDM vol. 3, 7.6). */
        cpu_write_sys(c, b + 0x0E, c->eip & 0xFFFFu, 2);
        cpu_write_sys(c, b + 0x10, eflags & 0xFFFFu, 2);
        for (unsigned r = 0; r < 8; r++)
            cpu_write_sys(c, b + 0x12 + 2 * r, c->gpr[r] & 0xFFFFu, 2);
        for (unsigned s = 0; s < 4; s++)
            cpu_write_sys(c, b + 0x22 + 2 * s, c->seg[s].sel, 2);
    }
}

/* Read the incoming task's state from its TSS (base b). */
static void task_read(struct cpu *c, uint32_t b, bool tss32, struct task_image *t)
{
    if (tss32) {
        t->cr3 = cpu_read_sys(c, b + 0x1C, 4);
        t->eip = cpu_read_sys(c, b + 0x20, 4);
        t->eflags = cpu_read_sys(c, b + 0x24, 4);
        for (unsigned r = 0; r < 8; r++)
            t->gpr[r] = cpu_read_sys(c, b + 0x28 + 4 * r, 4);
        for (unsigned s = 0; s < 6; s++)
            t->sreg[s] = (uint16_t)cpu_read_sys(c, b + 0x48 + 4 * s, 2);
        t->ldt = (uint16_t)cpu_read_sys(c, b + 0x60, 2);
        t->trap = (cpu_read_sys(c, b + 0x64, 2) & 1u) != 0;
    } else {
        /* The SDM leaves the upper halves of the general registers
         * "modified and not maintained" (7.6); they read as FFFFh, as in
         * Bochs.  EIP and EFLAGS have zero upper halves, FS and GS become
         * null, CR3 is not loaded and there is no T flag. */
        t->cr3 = 0;
        t->eip = cpu_read_sys(c, b + 0x0E, 2);
        t->eflags = cpu_read_sys(c, b + 0x10, 2);
        for (unsigned r = 0; r < 8; r++)
            t->gpr[r] = 0xFFFF0000u | cpu_read_sys(c, b + 0x12 + 2 * r, 2);
        for (unsigned s = 0; s < 4; s++)
            t->sreg[s] = (uint16_t)cpu_read_sys(c, b + 0x22 + 2 * s, 2);
        t->sreg[CPU_FS] = 0;
        t->sreg[CPU_GS] = 0;
        t->ldt = (uint16_t)cpu_read_sys(c, b + 0x2A, 2);
        t->trap = false;
    }
}

/* ------------------------------------------------------------------ */
/* After the commit point: qualifying the new task's descriptors         */

/* LDTR: null is fine; otherwise a present LDT descriptor in the GDT, else
 * #TS(LDT selector). */
static void task_load_ldt(struct cpu *c, uint16_t sel, uint32_t ext)
{
    uint32_t err = (sel & 0xFFFCu) | ext;
    if ((sel & 0xFFFCu) == 0)
        return;
    struct seg_desc d;
    if ((sel & 4u) || !seg_fetch_desc(c, sel, &d))
        cpu_exception(c, CPU_EXC_TS, err);
    uint16_t a = seg_desc_attr(&d);
    if ((a & SEG_A_S) || (a & 0x0Fu) != SEG_T_LDT || !(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_TS, err);
    seg_from_desc(&c->ldtr, sel, &d);
    cpu_seg_update(c, &c->ldtr);
}

/* Install a checked descriptor (accessed bit set in memory). */
static void task_commit_seg(struct cpu *c, unsigned sreg, uint16_t sel, struct seg_desc *d)
{
    seg_set_accessed(c, d);
    d->hi |= 0x100u;
    seg_from_desc(&c->seg[sreg], sel, d);
    cpu_seg_update(c, &c->seg[sreg]);
}

/* SS: a present writable data segment with DPL = RPL = the new CPL
 * (table 7-1). */
static void task_load_ss(struct cpu *c, uint16_t sel, unsigned cpl, uint32_t ext)
{
    uint32_t err = (sel & 0xFFFCu) | ext;
    struct seg_desc d;
    if ((sel & 0xFFFCu) == 0 || !seg_fetch_desc(c, sel, &d))
        cpu_exception(c, CPU_EXC_TS, err);
    uint16_t a = seg_desc_attr(&d);
    if (!(a & SEG_A_S) || (a & SEG_A_CODE) || !(a & SEG_A_RW))
        cpu_exception(c, CPU_EXC_TS, err);
    if (!(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_SS, err);
    if (SEG_A_DPL(a) != cpl || SEG_A_DPL(a) != (sel & 3u))
        cpu_exception(c, CPU_EXC_TS, err);
    task_commit_seg(c, CPU_SS, sel, &d);
}

/* CS: a present code segment, non-conforming with DPL = RPL or
 * conforming with DPL <= RPL; the new CPL is its RPL. */
static void task_load_cs(struct cpu *c, uint16_t sel, uint32_t ext)
{
    uint32_t err = (sel & 0xFFFCu) | ext;
    unsigned rpl = sel & 3u;
    struct seg_desc d;
    if ((sel & 0xFFFCu) == 0 || !seg_fetch_desc(c, sel, &d))
        cpu_exception(c, CPU_EXC_TS, err);
    uint16_t a = seg_desc_attr(&d);
    unsigned dpl = SEG_A_DPL(a);
    if (!(a & SEG_A_S) || !(a & SEG_A_CODE))
        cpu_exception(c, CPU_EXC_TS, err);
    if ((a & SEG_A_EC) ? dpl > rpl : dpl != rpl)
        cpu_exception(c, CPU_EXC_TS, err);
    if (!(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_NP, err);
    task_commit_seg(c, CPU_CS, sel, &d);
}

/* DS, ES, FS, GS: null, or a present data or readable code segment;
 * data and non-conforming code need RPL <= DPL and CPL <= DPL. */
static void task_load_data(struct cpu *c, unsigned sreg, uint16_t sel, unsigned cpl,
                           uint32_t ext)
{
    uint32_t err = (sel & 0xFFFCu) | ext;
    if ((sel & 0xFFFCu) == 0)
        return; /* already loaded as null */
    struct seg_desc d;
    if (!seg_fetch_desc(c, sel, &d))
        cpu_exception(c, CPU_EXC_TS, err);
    uint16_t a = seg_desc_attr(&d);
    if (!(a & SEG_A_S) || ((a & SEG_A_CODE) && !(a & SEG_A_RW)))
        cpu_exception(c, CPU_EXC_TS, err);
    bool conforming = (a & SEG_A_CODE) && (a & SEG_A_EC);
    if (!conforming && ((sel & 3u) > SEG_A_DPL(a) || cpl > SEG_A_DPL(a)))
        cpu_exception(c, CPU_EXC_TS, err);
    if (!(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_NP, err);
    task_commit_seg(c, sreg, sel, &d);
}

/* Step 12/13: load the new task's state, then qualify its descriptors. */
static void task_load(struct cpu *c, const struct task_image *t, bool tss32, uint32_t ext)
{
    /* Registers first: from here on, a fault belongs to the new task and
     * is raised with its EIP (cpu_exception restores prev_eip). */
    c->eip = t->eip;
    c->prev_eip = t->eip;
    for (unsigned r = 0; r < 8; r++)
        c->gpr[r] = t->gpr[r];
    cpu_write_eflags(c, t->eflags & TASK_FL_ALL, 0xFFFFFFFFu);
    /* Selectors are loaded with unusable caches until qualified below. */
    for (unsigned s = 0; s < 6; s++) {
        struct cpu_seg *sg = &c->seg[s];
        sg->sel = t->sreg[s];
        sg->base = 0;
        sg->limit = 0;
        sg->attr = 0;
        cpu_seg_update(c, sg);
    }
    c->ldtr.sel = t->ldt;
    c->ldtr.base = 0;
    c->ldtr.limit = 0;
    c->ldtr.attr = 0;
    cpu_seg_update(c, &c->ldtr);
    /* CR3 only from a 32-bit TSS and only with paging; an unchanged value
     * flushes nothing (SDM vol. 3, 4.10.4.1). */
    if (tss32 && (c->cr[0] & CPU_CR0_PG) && (t->cr3 & 0xFFFFFFF8u) != c->cr[3])
        cpu_write_cr3(c, t->cr3);

    /* Until SS is qualified the new task has no usable stack: CPL 3 then
     * makes an exception raised meanwhile switch to the inner stack of
     * the new TSS (the SDM does not say which stack such a handler gets;
     * this is Bochs's behaviour). */
    cpu_set_cpl(c, 3);
    task_load_ldt(c, t->ldt, ext);
    if (c->eflags & CPU_FL_VM) {
        /* A switch into virtual-8086 mode: 8086-style segments at CPL 3
         * (SDM vol. 3, 20.2.5). */
        for (unsigned s = 0; s < 6; s++) {
            struct cpu_seg *sg = &c->seg[s];
            sg->base = (uint32_t)sg->sel << 4;
            sg->limit = 0xFFFF;
            sg->attr = 0xF3;
            cpu_seg_update(c, sg);
        }
        return;
    }
    unsigned cpl = t->sreg[CPU_CS] & 3u;
    task_load_ss(c, t->sreg[CPU_SS], cpl, ext);
    cpu_set_cpl(c, cpl);
    task_load_cs(c, t->sreg[CPU_CS], ext);
    task_load_data(c, CPU_DS, t->sreg[CPU_DS], cpl, ext);
    task_load_data(c, CPU_ES, t->sreg[CPU_ES], cpl, ext);
    task_load_data(c, CPU_FS, t->sreg[CPU_FS], cpl, ext);
    task_load_data(c, CPU_GS, t->sreg[CPU_GS], cpl, ext);
}

/* ------------------------------------------------------------------ */
/* The switch                                                          */

/* Switch to the TSS `sel` (descriptor *d, read from the GDT) after the
 * source-specific checks passed (SDM vol. 3, 7.3). */
static void task_switch(struct cpu *c, uint16_t sel, const struct seg_desc *d,
                        enum task_source src, uint32_t ext)
{
    uint16_t a = seg_desc_attr(d);
    bool tss32 = task_is_tss32(a & 0x0Fu);
    struct cpu_seg ntss = {0};
    seg_from_desc(&ntss, sel, d);
    /* Step 3: the new TSS must hold at least the fixed part (limit 67h,
     * or 2Bh for a 16-bit TSS). */
    uint32_t new_max = tss32 ? 0x67u : 0x2Bu;
    if (ntss.limit < new_max)
        cpu_exception(c, CPU_EXC_TS, (sel & 0xFFFCu) | ext);
    /* The current TSS must have room for the state saved into it. */
    bool old32 = task_is_tss32(c->tr.attr & 0x0Fu);
    uint32_t old_lo = old32 ? 0x20u : 0x0Eu, old_hi = old32 ? 0x5Fu : 0x29u;
    if (c->tr.limit < old_hi)
        cpu_exception(c, CPU_EXC_TS, (c->tr.sel & 0xFFFCu) | ext);

    /* Step 5: every page the switch writes or reads must be present. */
    uint32_t old_desc = c->gdtr.base + (c->tr.sel & 0xFFF8u) + 5;
    task_probe(c, ntss.base, new_max + 1, MMU_READ);
    if (src == TASK_CALL || src == TASK_INT)
        task_probe(c, ntss.base, 2, MMU_WRITE);
    task_probe(c, c->tr.base + old_lo, old_hi - old_lo + 1, MMU_WRITE);
    if (src == TASK_JMP || src == TASK_IRET)
        task_probe(c, old_desc, 1, MMU_WRITE);
    if (src != TASK_IRET)
        task_probe(c, d->addr + 5, 1, MMU_WRITE);

    /* Step 6: JMP and IRET leave the old task: not busy any more. */
    if (src == TASK_JMP || src == TASK_IRET)
        task_set_busy(c, old_desc, false);
    /* Steps 7-8: save the old task; IRET clears NT in the saved image. */
    uint32_t old_eflags = cpu_eflags(c);
    if (src == TASK_IRET)
        old_eflags &= ~(uint32_t)CPU_FL_NT;
    task_save(c, old_eflags);
    /* CALL and events nest: the new task links back to the old one
     * (7.4). */
    if (src == TASK_CALL || src == TASK_INT)
        cpu_write_sys(c, ntss.base, c->tr.sel, 2);
    struct task_image t;
    task_read(c, ntss.base, tss32, &t);
    /* Steps 9-10: NT set for a nested task; the new TSS becomes busy. */
    if (src == TASK_CALL || src == TASK_INT)
        t.eflags |= CPU_FL_NT;
    if (src != TASK_IRET)
        task_set_busy(c, d->addr + 5, true);

    /* Step 11, the commit point: TR names the new task. */
    c->tr = ntss;
    c->tr.attr |= TASK_BUSY;
    cpu_seg_update(c, &c->tr);
    c->cr[0] |= CPU_CR0_TS;
    c->dr[7] &= ~TASK_DR7_LOCAL;
    /* Pending traps of the old task are dropped and its TF does not
     * single-step the switch: a TF set in the new task traps after the
     * new task's first instruction (SDM vol. 3, 17.3.1.4).  Counting the
     * switch as an event tells the run loop so. */
    c->debug_trap = 0;
    c->events++;
    cpu_end_trace(c);
    task_load(c, &t, tss32, ext);
    /* T flag: a #DB trap before the new task's first instruction
     * (SDM vol. 3, 17.3.1.5). */
    if (t.trap)
        c->debug_trap |= DBG_DR6_BT;
}

/* The new task's first EIP must lie within its CS: #GP(0) in the new
 * task (SDM vol. 2, JMP/CALL/IRET; INT n raises #GP(EXT)). */
static void task_check_eip(struct cpu *c, uint32_t ext)
{
    if (c->eip > c->seg[CPU_CS].limit)
        cpu_exception(c, CPU_EXC_GP, ext);
}

/* The TSS named by a task gate (JMP, CALL, INT): a GDT selector of an
 * available, present TSS; #GP/#NP(TSS selector + ext) otherwise. */
static void task_gate_target(struct cpu *c, uint16_t tss_sel, uint32_t ext, struct seg_desc *d)
{
    uint32_t err = (tss_sel & 0xFFFCu) | ext;
    if ((tss_sel & 4u) || !seg_fetch_desc(c, tss_sel, d))
        cpu_exception(c, CPU_EXC_GP, err);
    uint16_t a = seg_desc_attr(d);
    unsigned type = a & 0x0Fu;
    if ((a & SEG_A_S) || (type != SEG_T_TSS16_AVAIL && type != SEG_T_TSS32_AVAIL))
        cpu_exception(c, CPU_EXC_GP, err);
    if (!(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_NP, err);
}

void task_far_transfer(struct cpu *c, uint16_t sel, const struct seg_desc *d, bool call)
{
    uint16_t a = seg_desc_attr(d);
    uint32_t err = sel & 0xFFFCu;
    unsigned dpl = SEG_A_DPL(a), rpl = sel & 3u;
    enum task_source src = call ? TASK_CALL : TASK_JMP;
    /* SDM vol. 2, JMP/CALL: a task gate or TSS descriptor is reached
     * with the data-access rule DPL >= CPL and DPL >= RPL. */
    if (dpl < c->cpl || dpl < rpl)
        cpu_exception(c, CPU_EXC_GP, err);
    if ((a & 0x0Fu) == SEG_T_TASKGATE) {
        if (!(a & SEG_A_P))
            cpu_exception(c, CPU_EXC_NP, err);
        uint16_t tss_sel = (uint16_t)(d->lo >> 16);
        struct seg_desc td;
        task_gate_target(c, tss_sel, 0, &td);
        task_switch(c, tss_sel, &td, src, 0);
    } else {
        /* A TSS descriptor lives only in the GDT (table 7-1); a busy one
         * never gets here (cpu/far.c refuses it with #GP(sel)). */
        if (sel & 4u)
            cpu_exception(c, CPU_EXC_GP, err);
        if (!(a & SEG_A_P))
            cpu_exception(c, CPU_EXC_NP, err);
        task_switch(c, sel, d, src, 0);
    }
    task_check_eip(c, 0);
}

void task_gate_event(struct cpu *c, uint32_t gate_lo, uint32_t gate_hi, uint32_t ext,
                     bool has_error, uint32_t error)
{
    (void)gate_hi; /* DPL and P were checked by the IDT code */
    uint16_t tss_sel = (uint16_t)(gate_lo >> 16);
    struct seg_desc d;
    task_gate_target(c, tss_sel, ext, &d);
    task_switch(c, tss_sel, &d, TASK_INT, ext);
    if (has_error) {
        /* The error code goes on the new task's stack, a dword for a
         * 32-bit TSS; #SS(EXT) when SS cannot hold it (SDM vol. 2, INT n,
         * "TASK-GATE"). */
        unsigned size = task_is_tss32(c->tr.attr & 0x0Fu) ? 4u : 2u;
        uint32_t sp = (c->gpr[CPU_ESP] - size) & cpu_sp_mask(c);
        if (!cpu_seg_ok(&c->seg[CPU_SS], sp, size, CPU_SEGA_WRITE))
            cpu_exception(c, CPU_EXC_SS, ext);
        if (size == 4)
            cpu_stack_write32(c, sp, error);
        else
            cpu_stack_write16(c, sp, (uint16_t)error);
        cpu_set_sp(c, sp);
    }
    task_check_eip(c, ext);
}

void task_iret_nested(struct cpu *c)
{
    /* The back link in the current TSS must name a busy TSS in the GDT:
     * #TS(back link) otherwise, #NP when not present (SDM vol. 2, IRET,
     * "TASK-RETURN"). */
    uint16_t sel = (uint16_t)cpu_read_sys(c, c->tr.base, 2);
    uint32_t err = sel & 0xFFFCu;
    struct seg_desc d;
    if ((sel & 4u) || !seg_fetch_desc(c, sel, &d))
        cpu_exception(c, CPU_EXC_TS, err);
    uint16_t a = seg_desc_attr(&d);
    unsigned type = a & 0x0Fu;
    if ((a & SEG_A_S) || (type != SEG_T_TSS16_BUSY && type != SEG_T_TSS32_BUSY))
        cpu_exception(c, CPU_EXC_TS, err);
    if (!(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_NP, err);
    task_switch(c, sel, &d, TASK_IRET, 0);
    task_check_eip(c, 0);
}
