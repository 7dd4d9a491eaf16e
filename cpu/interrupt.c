/*
 * interrupt.c - event delivery through the IVT (real mode) and the IDT
 * (protected and virtual-8086 mode: same privilege, inner privilege with
 * a stack switch, out of virtual-8086 mode), the virtual-8086 software
 * interrupt redirection of CR4.VME, IRET in every form, and the
 * INT/INT3/INTO/INT1 and invalid-opcode handlers (SDM vol. 3, chapter 6
 * and 20.3; vol. 2, INT n and IRET).
 *
 * Delivery checks everything that can fault (gate, target segment, new
 * stack, every stack slot) before it writes anything, so a fault during
 * delivery leaves the state of the interrupted instruction intact for the
 * next event.
 */
#include "cpu/engine_internal.h"

/* EFLAGS bits that exist (the rest read as 0, bit 1 as 1). */
#define INT_FL_ALL 0x003F7FD5u

static unsigned int_iopl(const struct cpu *c)
{
    return (c->eflags & CPU_FL_IOPL) >> 12;
}

static void int_push_check(struct cpu *c, uint32_t sp, unsigned count, unsigned size)
{
    for (unsigned k = 1; k <= count; k++)
        cpu_check_write(c, CPU_SS, (sp - k * size) & cpu_sp_mask(c), size);
}

static void int_push_frame(struct cpu *c, const uint32_t *v, unsigned count, unsigned size)
{
    uint32_t sp = c->gpr[CPU_ESP];
    for (unsigned k = 0; k < count; k++) {
        sp -= size;
        if (size == 4)
            cpu_stack_write32(c, sp, v[k]);
        else
            cpu_stack_write16(c, sp, (uint16_t)v[k]);
    }
    cpu_set_sp(c, sp);
}

/* Load a segment register the real-address/virtual-8086 way: base =
 * sel << 4.  In virtual-8086 mode every segment is a 64 KiB DPL 3
 * read/write one (SDM vol. 3, 20.2.1); real mode keeps limit and
 * attributes. */
static void int_load_real_seg(struct cpu *c, unsigned sreg, uint16_t sel, bool v86)
{
    struct cpu_seg *s = &c->seg[sreg];
    s->sel = sel;
    s->base = (uint32_t)sel << 4;
    if (v86) {
        s->limit = 0xFFFF;
        s->attr = 0xF3;
    }
    cpu_seg_update(c, s);
}

/* Real-address mode: the IVT at IDTR.base, 4 bytes a vector (SDM vol. 3,
 * 20.1.4). */
static void int_deliver_real(struct cpu *c, unsigned vector)
{
    uint32_t off = vector * 4u;
    if (off + 3 > c->idtr.limit)
        cpu_exception(c, CPU_EXC_GP, 0);
    uint32_t ent = cpu_read_sys(c, c->idtr.base + off, 4);
    uint16_t ip = (uint16_t)ent, cs = (uint16_t)(ent >> 16);
    int_push_check(c, c->gpr[CPU_ESP], 3, 2);
    if (ip > c->seg[CPU_CS].limit)
        cpu_exception(c, CPU_EXC_GP, 0);
    uint32_t frame[3] = {cpu_eflags(c), c->seg[CPU_CS].sel, c->eip};
    int_push_frame(c, frame, 3, 2);
    c->eflags &= ~(CPU_FL_IF | CPU_FL_TF | CPU_FL_AC | CPU_FL_RF);
    int_load_real_seg(c, CPU_CS, cs, false);
    c->eip = ip;
}

/* A write of `size` bytes at a linear address with supervisor rights
 * must not page-fault: the frame on an inner stack is checked slot by
 * slot before the first byte is written. */
static void int_check_sys_write(struct cpu *c, uint32_t lin, unsigned size)
{
    uint32_t phys;
    struct mmu_fault f;
    if (!mmu_translate(c->mmu, lin, MMU_WRITE, false, &phys, &f))
        cpu_page_fault(c, &f);
    uint32_t last = lin + size - 1;
    if (((last ^ lin) & MMU_PAGE_MASK) != 0 &&
        !mmu_translate(c->mmu, last, MMU_WRITE, false, &phys, &f))
        cpu_page_fault(c, &f);
}

/* The handler-side description of a trap or interrupt gate. */
struct int_gate {
    uint16_t sel;        /* target code segment */
    uint32_t offset;     /* entry point */
    struct seg_desc cd;  /* its (checked) descriptor */
    unsigned dpl;        /* its DPL: the new CPL */
    bool gate32, trap;
};

/* Through a trap or interrupt gate to a more privileged non-conforming
 * handler, from protected mode or (DPL 0 only) from virtual-8086 mode:
 * SDM vol. 2, INT n, "INTER-PRIVILEGE-LEVEL-INTERRUPT" and
 * "INTERRUPT-FROM-VIRTUAL-8086-MODE"; vol. 3, 6.12.1 and 20.3.1.1.
 *
 * The new SS:ESP comes from the TSS; the frame (from v86 mode: GS, FS,
 * DS, ES first, then SS, ESP, EFLAGS, CS, EIP and the error code) goes on
 * the new stack in the gate's width, selectors zero-extended.  Coming
 * from v86 mode the data segment registers are then loaded with null. */
static void int_deliver_inner(struct cpu *c, const struct int_gate *g, uint32_t ext,
                              bool has_error, uint32_t error)
{
    bool v86 = cpu_v86(c);
    uint16_t ss_sel;
    uint32_t esp;
    priv_tss_stack(c, g->dpl, &ss_sel, &esp, ext);
    struct seg_desc sd;
    struct cpu_seg ss;
    priv_check_stack_seg(c, ss_sel, g->dpl, ext, &sd, &ss);

    uint32_t frame[10];
    unsigned n = 0;
    if (v86) {
        frame[n++] = c->seg[CPU_GS].sel;
        frame[n++] = c->seg[CPU_FS].sel;
        frame[n++] = c->seg[CPU_DS].sel;
        frame[n++] = c->seg[CPU_ES].sel;
    }
    frame[n++] = c->seg[CPU_SS].sel;
    frame[n++] = c->gpr[CPU_ESP];
    frame[n++] = cpu_eflags(c);
    frame[n++] = c->seg[CPU_CS].sel;
    frame[n++] = c->eip;
    if (has_error)
        frame[n++] = error;

    /* Room on the new stack: #SS(new SS) (SDM vol. 2, INT n). */
    unsigned size = g->gate32 ? 4 : 2;
    uint32_t mask = (ss.attr & CPU_SEG_ATTR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
    uint32_t ss_err = (ss_sel & 0xFFFCu) | ext;
    for (unsigned k = 1; k <= n; k++) {
        uint32_t off = (esp - k * size) & mask;
        if (off < ss.lim_lo || (uint64_t)off + size - 1 > ss.lim_hi)
            cpu_exception(c, CPU_EXC_SS, ss_err);
    }
    struct cpu_seg t;
    seg_from_desc(&t, g->sel, &g->cd);
    if (g->offset > t.limit)
        cpu_exception(c, CPU_EXC_GP, ext);
    for (unsigned k = 1; k <= n; k++)
        int_check_sys_write(c, ss.base + ((esp - k * size) & mask), size);
    /* The accessed bits are memory writes that can fault: done before the
     * frame, and the commits below then find them set. */
    struct seg_desc cd = g->cd;
    seg_set_accessed(c, &sd);
    sd.hi |= 0x100u;
    seg_set_accessed(c, &cd);
    cd.hi |= 0x100u;
    uint32_t vmask = size == 4 ? 0xFFFFFFFFu : 0xFFFFu;
    for (unsigned k = 1; k <= n; k++)
        cpu_write_sys(c, ss.base + ((esp - k * size) & mask), frame[k - 1] & vmask, size);

    /* Commit: flags first, so that the segment caches below get the
     * protected-mode access rights. */
    c->eflags &= ~(CPU_FL_TF | CPU_FL_NT | CPU_FL_RF | CPU_FL_VM);
    if (!g->trap)
        c->eflags &= ~CPU_FL_IF;
    priv_commit_seg(c, CPU_SS, &sd, &ss);
    c->gpr[CPU_ESP] = (esp & ~mask) | ((esp - n * size) & mask);
    if (v86) {
        static const unsigned data_regs[4] = {CPU_ES, CPU_DS, CPU_FS, CPU_GS};
        for (unsigned k = 0; k < 4; k++) {
            struct cpu_seg *s = &c->seg[data_regs[k]];
            s->sel = 0;
            s->base = 0;
            s->limit = 0;
            s->attr = 0;
            cpu_seg_update(c, s);
        }
    }
    priv_commit_cs(c, g->sel, &cd, g->dpl, g->offset);
}

/* Through a trap or interrupt gate to a handler at the current privilege
 * level (a conforming segment, or DPL = CPL): SDM vol. 2, INT n,
 * "INTRA-PRIVILEGE-LEVEL-INTERRUPT". */
static void int_deliver_same(struct cpu *c, const struct int_gate *g, uint32_t ext,
                             bool has_error, uint32_t error)
{
    /* No room on the stack is #SS(EXT), not the #SS(0) of an ordinary
     * push (SDM vol. 2, INT n; Bochs 2.7 raises #SS(0)), and it comes
     * before the entry point check. */
    unsigned size = g->gate32 ? 4 : 2;
    unsigned count = has_error ? 4 : 3;
    uint32_t sp = c->gpr[CPU_ESP];
    for (unsigned k = 1; k <= count; k++)
        if (!cpu_seg_ok(&c->seg[CPU_SS], (sp - k * size) & cpu_sp_mask(c), size,
                        CPU_SEGA_WRITE))
            cpu_exception(c, CPU_EXC_SS, ext);
    struct cpu_seg t = c->seg[CPU_CS];
    seg_from_desc(&t, (uint16_t)((g->sel & 0xFFFCu) | c->cpl), &g->cd);
    if (g->offset > t.limit)
        cpu_exception(c, CPU_EXC_GP, ext);
    int_push_check(c, sp, count, size);
    seg_set_accessed(c, &g->cd);
    uint32_t frame[4] = {cpu_eflags(c), c->seg[CPU_CS].sel, c->eip, error};
    int_push_frame(c, frame, count, size);
    c->eflags &= ~(CPU_FL_TF | CPU_FL_NT | CPU_FL_RF | CPU_FL_VM);
    if (!g->trap)
        c->eflags &= ~CPU_FL_IF;
    t.attr |= SEG_A_ACCESSED;
    c->seg[CPU_CS] = t;
    cpu_seg_update(c, &c->seg[CPU_CS]);
    c->eip = g->offset;
}

/* Protected and virtual-8086 mode: the IDT gate and the target code
 * segment, in the order of the checks of SDM vol. 2, INT n
 * ("PROTECTED-MODE", "TRAP-OR-INTERRUPT-GATE"). */
static void int_deliver_protected(struct cpu *c, unsigned vector, enum cpu_event kind,
                                  bool has_error, uint32_t error)
{
    uint32_t ext = (kind == CPU_EV_SOFT) ? 0 : 1;
    uint32_t idt_err = vector * 8u + 2u + ext;
    if (vector * 8u + 7u > c->idtr.limit)
        cpu_exception(c, CPU_EXC_GP, idt_err);
    uint32_t lo = cpu_read_sys(c, c->idtr.base + vector * 8u, 4);
    uint32_t hi = cpu_read_sys(c, c->idtr.base + vector * 8u + 4, 4);
    unsigned type = (hi >> 8) & 0x1Fu; /* S bit included: must be 0 */
    struct int_gate g;
    switch (type) {
    case SEG_T_INTGATE16: g.gate32 = false; g.trap = false; break;
    case SEG_T_TRAPGATE16: g.gate32 = false; g.trap = true; break;
    case SEG_T_INTGATE32: g.gate32 = true; g.trap = false; break;
    case SEG_T_TRAPGATE32: g.gate32 = true; g.trap = true; break;
    case SEG_T_TASKGATE:
        if (kind == CPU_EV_SOFT && ((hi >> 13) & 3u) < c->cpl)
            cpu_exception(c, CPU_EXC_GP, idt_err);
        if (!(hi & 0x8000u))
            cpu_exception(c, CPU_EXC_NP, idt_err);
        task_gate_event(c, lo, hi, ext, has_error, error);
        return;
    default:
        /* Not a gate the IDT may hold. */
        cpu_exception(c, CPU_EXC_GP, idt_err);
    }
    /* INT n, INT3, INTO from a less privileged level than the gate's DPL
     * (SDM vol. 3, 6.12.1.1); INT1 and hardware events skip this.  The
     * error code has EXT = 0: the event is a software interrupt. */
    if (kind == CPU_EV_SOFT && ((hi >> 13) & 3u) < c->cpl)
        cpu_exception(c, CPU_EXC_GP, idt_err);
    if (!(hi & 0x8000u))
        cpu_exception(c, CPU_EXC_NP, idt_err);
    g.sel = (uint16_t)(lo >> 16);
    g.offset = (lo & 0xFFFFu) | (g.gate32 ? (hi & 0xFFFF0000u) : 0);
    uint32_t sel_err = (g.sel & 0xFFFCu) | ext;
    if ((g.sel & 0xFFFCu) == 0)
        cpu_exception(c, CPU_EXC_GP, ext);
    if (!seg_fetch_desc(c, g.sel, &g.cd))
        cpu_exception(c, CPU_EXC_GP, sel_err);
    uint16_t a = seg_desc_attr(&g.cd);
    g.dpl = SEG_A_DPL(a);
    if (!(a & SEG_A_S) || !(a & SEG_A_CODE) || g.dpl > c->cpl)
        cpu_exception(c, CPU_EXC_GP, sel_err);
    if (!(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_NP, sel_err);
    if (!(a & SEG_A_EC) && g.dpl < c->cpl) {
        /* Virtual-8086 mode may only leave to ring 0 (SDM vol. 3,
         * 20.3.1.1). */
        if (cpu_v86(c) && g.dpl != 0)
            cpu_exception(c, CPU_EXC_GP, sel_err);
        int_deliver_inner(c, &g, ext, has_error, error);
        return;
    }
    /* A handler at CPL 3 cannot serve virtual-8086 mode: its frame would
     * not save the segment registers. */
    if (cpu_v86(c))
        cpu_exception(c, CPU_EXC_GP, sel_err);
    int_deliver_same(c, &g, ext, has_error, error);
}

void cpu_deliver(struct cpu *c, unsigned vector, enum cpu_event kind, bool has_error,
                 uint32_t error)
{
    c->events++;
    if (!cpu_protected(c))
        int_deliver_real(c, vector);
    else
        int_deliver_protected(c, vector, kind, has_error, error);
    cpu_end_trace(c);
}

/* ------------------------------------------------------------------ */
/* Virtual-8086 mode software interrupts (SDM vol. 3, 20.3.3)           */

/* The software interrupt redirection bit map: 32 bytes just below the
 * I/O permission bit map of the (32-bit) TSS.  A set bit sends INT n to
 * the protected-mode handler, a clear one to the 8086 program's IVT.
 * The map lies in the TSS: a TSS without room for it refuses with
 * #GP(0). */
static bool int_v86_to_protected(struct cpu *c, uint8_t vector)
{
    unsigned type = c->tr.attr & 0x0Fu;
    if ((type != SEG_T_TSS32_BUSY && type != SEG_T_TSS32_AVAIL) || c->tr.limit < 0x67u)
        cpu_exception(c, CPU_EXC_GP, 0);
    uint32_t map = cpu_read_sys(c, c->tr.base + 0x66u, 2);
    uint32_t at = map - 32u + (vector >> 3);
    if (map < 32u || at > c->tr.limit)
        cpu_exception(c, CPU_EXC_GP, 0);
    return (cpu_read_sys(c, c->tr.base + at, 1) >> (vector & 7u)) & 1u;
}

/* INT n redirected to the 8086 handler of the virtual-8086 task: a
 * real-mode style 16-bit frame on the v86 stack and CS:IP from the IVT
 * at linear 0.  With IOPL < 3 the pushed FLAGS carry VIF in the IF
 * position and IOPL = 3, and VIF (not IF) is cleared (SDM vol. 2, INT n;
 * vol. 3, 20.3.3.5, table 20-2, methods 5 and 6). */
static void int_v86_redirect(struct cpu *c, uint8_t vector)
{
    bool iopl3 = int_iopl(c) == 3;
    uint32_t ent = cpu_read_sys(c, vector * 4u, 4);
    int_push_check(c, c->gpr[CPU_ESP], 3, 2);
    uint32_t fl = cpu_eflags(c) & 0xFFFFu;
    if (!iopl3) {
        fl &= ~CPU_FL_IF;
        if (c->eflags & CPU_FL_VIF)
            fl |= CPU_FL_IF;
        fl |= CPU_FL_IOPL;
    }
    uint32_t frame[3] = {fl, c->seg[CPU_CS].sel, c->eip};
    int_push_frame(c, frame, 3, 2);
    c->eflags &= ~(CPU_FL_TF | (iopl3 ? CPU_FL_IF : CPU_FL_VIF));
    int_load_real_seg(c, CPU_CS, (uint16_t)(ent >> 16), true);
    c->eip = ent & 0xFFFFu;
    c->events++;
    cpu_end_trace(c);
}

void cpu_software_interrupt(struct cpu *c, uint8_t vector, enum cpu_int_kind kind)
{
    c->delivering = -1;
    /* Only INT n (CD) is IOPL-sensitive in virtual-8086 mode and subject
     * to redirection; INT3, INTO and INT1 always go to the protected-mode
     * handler (SDM vol. 2, INT n; vol. 3, 20.3.3). */
    if (kind == CPU_INT_SOFT && cpu_v86(c)) {
        if ((c->cr[4] & CPU_CR4_VME) && !int_v86_to_protected(c, vector)) {
            int_v86_redirect(c, vector);
            return;
        }
        if (int_iopl(c) != 3)
            cpu_exception(c, CPU_EXC_GP, 0);
    }
    cpu_deliver(c, vector, kind == CPU_INT_ICEBP ? CPU_EV_ICEBP : CPU_EV_SOFT, false, 0);
}

/* ------------------------------------------------------------------ */
/* IRET                                                                */

/* Real mode, and virtual-8086 mode with IOPL = 3 (SDM vol. 2, IRET,
 * "REAL-ADDRESS-MODE" and "RETURN-FROM-VIRTUAL-8086-MODE"). */
static void int_iret_real(struct cpu *c, bool o32)
{
    bool v86 = cpu_v86(c);
    uint32_t sp = c->gpr[CPU_ESP];
    uint32_t eip, fl;
    uint16_t cs;
    if (o32) {
        eip = cpu_stack_read32(c, sp);
        cs = (uint16_t)cpu_stack_read32(c, sp + 4);
        fl = cpu_stack_read32(c, sp + 8);
        if (eip > 0xFFFFu)
            cpu_exception(c, CPU_EXC_GP, 0);
    } else {
        eip = cpu_stack_read16(c, sp);
        cs = cpu_stack_read16(c, sp + 2);
        fl = cpu_stack_read16(c, sp + 4);
    }
    if (eip > c->seg[CPU_CS].limit)
        cpu_exception(c, CPU_EXC_GP, 0);
    uint32_t mask;
    if (v86) {
        /* IOPL = 3 here: IOPL itself and VM stay (SDM vol. 2, IRET). */
        mask = o32 ? (INT_FL_ALL & ~(CPU_FL_IOPL | CPU_FL_VM | CPU_FL_VIP | CPU_FL_VIF))
                   : (0xFFFFu & ~CPU_FL_IOPL);
    } else {
        /* Real mode: "EFLAGS <- (tempEFLAGS AND 257FD5H) OR (EFLAGS AND
         * 1A0000H)" for IRETD; IRET replaces FLAGS[15:0]. */
        mask = o32 ? 0x257FD5u : 0xFFFFu;
    }
    cpu_set_sp(c, sp + (o32 ? 12 : 6));
    cpu_write_eflags(c, fl & INT_FL_ALL, mask);
    int_load_real_seg(c, CPU_CS, cs, v86);
    c->eip = eip;
}

/* Virtual-8086 mode with IOPL < 3 and CR4.VME: a 16-bit IRET works on
 * VIF instead of IF; IRETD, a popped TF = 1, or a popped IF = 1 while VIP
 * is set trap to the monitor with #GP(0) (SDM vol. 2, IRET; vol. 3,
 * 20.4.3 "virtual interrupt flag"). */
static void int_iret_vme(struct cpu *c, bool o32)
{
    if (o32)
        cpu_exception(c, CPU_EXC_GP, 0);
    uint32_t sp = c->gpr[CPU_ESP];
    uint16_t ip = cpu_stack_read16(c, sp);
    uint16_t cs = cpu_stack_read16(c, sp + 2);
    uint16_t fl = cpu_stack_read16(c, sp + 4);
    if ((fl & CPU_FL_TF) || ((fl & CPU_FL_IF) && (c->eflags & CPU_FL_VIP)))
        cpu_exception(c, CPU_EXC_GP, 0);
    cpu_set_sp(c, sp + 6);
    cpu_write_eflags(c, fl & INT_FL_ALL, 0xFFFFu & ~(CPU_FL_IF | CPU_FL_IOPL));
    if (fl & CPU_FL_IF)
        c->eflags |= CPU_FL_VIF;
    else
        c->eflags &= ~CPU_FL_VIF;
    int_load_real_seg(c, CPU_CS, cs, true);
    c->eip = ip;
}

/* IRETD at CPL 0 with VM = 1 in the popped EFLAGS: the 9-dword frame
 * EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS; every segment is loaded the
 * 8086 way and CPL becomes 3 (SDM vol. 2, IRET,
 * "RETURN-TO-VIRTUAL-8086-MODE"; vol. 3, 20.2.5). */
static void int_iret_to_v86(struct cpu *c, uint32_t eip, uint16_t cs, uint32_t fl)
{
    uint32_t sp = c->gpr[CPU_ESP];
    uint32_t v[6]; /* ESP, SS, ES, DS, FS, GS */
    for (unsigned k = 0; k < 6; k++)
        v[k] = cpu_stack_read32(c, sp + 12 + 4 * k);
    /* "IF instruction pointer not within code segment limits": the check
     * comes before CS is loaded, so it is against the current (protected
     * mode) CS.  The SDM does not say what happens to EIP[31:16]; like
     * Bochs (the reference machine), only IP is loaded. */
    if (eip > c->seg[CPU_CS].limit)
        cpu_exception(c, CPU_EXC_GP, 0);
    eip &= 0xFFFFu;
    /* At CPL 0 every flag is loaded, VIF and VIP included. */
    cpu_write_eflags(c, fl & INT_FL_ALL, INT_FL_ALL);
    static const unsigned regs[5] = {CPU_SS, CPU_ES, CPU_DS, CPU_FS, CPU_GS};
    for (unsigned k = 0; k < 5; k++)
        int_load_real_seg(c, regs[k], (uint16_t)v[k + 1], true);
    int_load_real_seg(c, CPU_CS, cs, true);
    c->gpr[CPU_ESP] = v[0];
    cpu_set_cpl(c, 3);
    c->eip = eip;
}

/* The EFLAGS bits a protected-mode IRET may load at the current CPL and
 * IOPL (SDM vol. 2, IRET, "RETURN-TO-SAME-PRIVILEGE-LEVEL" and
 * "RETURN-TO-OUTER-PRIVILEGE-LEVEL"). */
static uint32_t int_iret_flag_mask(const struct cpu *c, bool o32)
{
    uint32_t mask = CPU_FL_OSZAPC | CPU_FL_TF | CPU_FL_DF | CPU_FL_NT | CPU_FL_RF | CPU_FL_AC |
                    CPU_FL_ID;
    if (c->cpl <= int_iopl(c))
        mask |= CPU_FL_IF;
    if (c->cpl == 0)
        mask |= CPU_FL_IOPL | CPU_FL_VIF | CPU_FL_VIP;
    if (!o32)
        mask &= 0xFFFFu;
    return mask;
}

/* Protected-mode IRET (SDM vol. 2, IRET, "PROTECTED-MODE"). */
static void int_iret_protected(struct cpu *c, bool o32)
{
    /* NT = 1 returns from a nested task (SDM vol. 3, 7.3). */
    if (c->eflags & CPU_FL_NT) {
        task_iret_nested(c);
        return;
    }
    unsigned size = o32 ? 4 : 2;
    uint32_t sp = c->gpr[CPU_ESP];
    uint32_t eip, fl;
    uint16_t sel;
    if (o32) {
        eip = cpu_stack_read32(c, sp);
        sel = (uint16_t)cpu_stack_read32(c, sp + 4);
        fl = cpu_stack_read32(c, sp + 8);
    } else {
        eip = cpu_stack_read16(c, sp);
        sel = cpu_stack_read16(c, sp + 2);
        fl = cpu_stack_read16(c, sp + 4);
    }
    if ((fl & CPU_FL_VM) && c->cpl == 0) {
        int_iret_to_v86(c, eip, sel, fl);
        return;
    }
    unsigned rpl = sel & 3u;
    struct seg_desc d;
    priv_check_return_cs(c, sel, &d);
    uint32_t mask = int_iret_flag_mask(c, o32);
    if (rpl > c->cpl) {
        /* To an outer level: SS:ESP follow on the stack and are checked
         * before the new EIP (SDM vol. 2, IRET,
         * "RETURN-TO-OUTER-PRIVILEGE-LEVEL"). */
        uint32_t new_esp;
        uint16_t ss_sel;
        if (o32) {
            new_esp = cpu_stack_read32(c, sp + 12);
            ss_sel = (uint16_t)cpu_stack_read32(c, sp + 16);
        } else {
            new_esp = cpu_stack_read16(c, sp + 6);
            ss_sel = cpu_stack_read16(c, sp + 8);
        }
        struct seg_desc sd;
        struct cpu_seg ss;
        priv_check_return_ss(c, ss_sel, rpl, &sd, &ss);
        struct cpu_seg t;
        seg_from_desc(&t, sel, &d);
        if (eip > t.limit)
            cpu_exception(c, CPU_EXC_GP, 0);
        /* Both accessed bits (writes that can fault) before any change. */
        seg_set_accessed(c, &d);
        d.hi |= 0x100u;
        seg_set_accessed(c, &sd);
        sd.hi |= 0x100u;
        cpu_write_eflags(c, fl & INT_FL_ALL, mask);
        priv_commit_cs(c, sel, &d, rpl, eip);
        priv_commit_seg(c, CPU_SS, &sd, &ss);
        /* A 16-bit stack segment takes only SP: the upper half of ESP
         * keeps its value (the behaviour behind Linux's "espfix"). */
        uint32_t m = (ss.attr & CPU_SEG_ATTR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
        c->gpr[CPU_ESP] = (c->gpr[CPU_ESP] & ~m) | (new_esp & m);
        priv_null_outer_segments(c);
        return;
    }
    struct cpu_seg t = c->seg[CPU_CS];
    seg_from_desc(&t, sel, &d);
    if (eip > t.limit)
        cpu_exception(c, CPU_EXC_GP, 0);
    seg_set_accessed(c, &d);
    cpu_set_sp(c, sp + 3 * size);
    cpu_write_eflags(c, fl & INT_FL_ALL, mask);
    t.attr |= SEG_A_ACCESSED;
    c->seg[CPU_CS] = t;
    cpu_seg_update(c, &c->seg[CPU_CS]);
    c->eip = eip;
}

void cpu_iret(struct cpu *c, bool o32)
{
    if (!cpu_protected(c)) {
        int_iret_real(c, o32);
    } else if (cpu_v86(c)) {
        /* IRET in virtual-8086 mode is IOPL-sensitive (SDM vol. 3,
         * 20.2.7), unless CR4.VME virtualizes IF (20.4). */
        if (int_iopl(c) == 3)
            int_iret_real(c, o32);
        else if (c->cr[4] & CPU_CR4_VME)
            int_iret_vme(c, o32);
        else
            cpu_exception(c, CPU_EXC_GP, 0);
    } else {
        int_iret_protected(c, o32);
    }
    /* IRET ends NMI blocking (SDM vol. 3, 6.7.1). */
    c->nmi_blocked = false;
    cpu_end_trace(c);
}

/* ------------------------------------------------------------------ */
/* Handlers                                                            */

void cpu_h_INVALID_OP(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0);
}

void cpu_h_INT3(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_software_interrupt(c, CPU_EXC_BP, CPU_INT_INT3);
}

void cpu_h_INT_Ib(struct cpu *c, const struct cpu_insn *i)
{
    cpu_software_interrupt(c, (uint8_t)i->d.imm, CPU_INT_SOFT);
}

void cpu_h_INTO(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    if (flags_of(&c->lf))
        cpu_software_interrupt(c, CPU_EXC_OF, CPU_INT_INTO);
}

void cpu_h_INT1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_software_interrupt(c, CPU_EXC_DB, CPU_INT_ICEBP);
}

void cpu_h_IRET_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_iret(c, false);
}

void cpu_h_IRET_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_iret(c, true);
}
