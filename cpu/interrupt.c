/*
 * interrupt.c - event delivery through the IVT (real mode) and the IDT
 * (protected mode, same privilege), IRET, and the INT/INT3/INTO/INT1 and
 * invalid-opcode handlers.
 *
 * Delivery checks everything that can fault (gate, target segment, every
 * stack slot) before it writes anything, so a fault during delivery leaves
 * the state of the interrupted instruction intact for the next event.
 */
#include "cpu/engine_internal.h"

/* EFLAGS bits that exist (the rest read as 0, bit 1 as 1). */
#define INT_FL_ALL 0x003F7FD5u

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
    c->seg[CPU_CS].sel = cs;
    c->seg[CPU_CS].base = (uint32_t)cs << 4;
    cpu_seg_update(c, &c->seg[CPU_CS]);
    c->eip = ip;
}

/* Protected mode through an interrupt or trap gate to a handler at the
 * current privilege (SDM vol. 3, 6.12.1). */
static void int_deliver_protected(struct cpu *c, unsigned vector, enum cpu_event kind,
                                  bool has_error, uint32_t error)
{
    uint32_t ext = (kind == CPU_EV_SOFT) ? 0 : 1;
    uint32_t idt_err = vector * 8u + 2u + ext;
    if (cpu_v86(c)) {
        /* Virtual-8086 mode leaves to ring 0 through the IDT: the
         * privilege-changing path is the next issue. */
        cpu_exception(c, CPU_EXC_GP, idt_err);
    }
    if (vector * 8u + 7u > c->idtr.limit)
        cpu_exception(c, CPU_EXC_GP, idt_err);
    uint32_t lo = cpu_read_sys(c, c->idtr.base + vector * 8u, 4);
    uint32_t hi = cpu_read_sys(c, c->idtr.base + vector * 8u + 4, 4);
    unsigned type = (hi >> 8) & 0x1Fu; /* S bit included: must be 0 */
    bool gate32, trap;
    switch (type) {
    case 0x06: gate32 = false; trap = false; break;
    case 0x07: gate32 = false; trap = true; break;
    case 0x0E: gate32 = true; trap = false; break;
    case 0x0F: gate32 = true; trap = true; break;
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
     * (SDM vol. 3, 6.12.1.1); INT1 and hardware events skip this. */
    if (kind == CPU_EV_SOFT && ((hi >> 13) & 3u) < c->cpl)
        cpu_exception(c, CPU_EXC_GP, idt_err);
    if (!(hi & 0x8000u))
        cpu_exception(c, CPU_EXC_NP, idt_err);
    uint16_t sel = (uint16_t)(lo >> 16);
    uint32_t offset = (lo & 0xFFFFu) | (gate32 ? (hi & 0xFFFF0000u) : 0);
    uint32_t sel_err = (sel & 0xFFFCu) + ext;
    if ((sel & 0xFFFCu) == 0)
        cpu_exception(c, CPU_EXC_GP, ext);
    struct seg_desc d;
    if (!seg_fetch_desc(c, sel, &d))
        cpu_exception(c, CPU_EXC_GP, sel_err);
    uint16_t a = seg_desc_attr(&d);
    unsigned dpl = SEG_A_DPL(a);
    if (!(a & SEG_A_S) || !(a & SEG_A_CODE) || dpl > c->cpl)
        cpu_exception(c, CPU_EXC_GP, sel_err);
    if (!(a & SEG_A_EC) && dpl < c->cpl) {
        /* A more privileged non-conforming handler: stack switch through
         * the TSS, the next issue. */
        cpu_exception(c, CPU_EXC_GP, sel_err);
    }
    if (!(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_NP, sel_err);
    struct cpu_seg t = c->seg[CPU_CS];
    seg_from_desc(&t, (uint16_t)((sel & 0xFFFCu) | c->cpl), &d);
    if (offset > t.limit)
        cpu_exception(c, CPU_EXC_GP, ext);
    unsigned size = gate32 ? 4 : 2;
    unsigned count = has_error ? 4 : 3;
    int_push_check(c, c->gpr[CPU_ESP], count, size);
    seg_set_accessed(c, &d);
    uint32_t frame[4] = {cpu_eflags(c), c->seg[CPU_CS].sel, c->eip, error};
    int_push_frame(c, frame, count, size);
    c->eflags &= ~(CPU_FL_TF | CPU_FL_NT | CPU_FL_RF | CPU_FL_VM);
    if (!trap)
        c->eflags &= ~CPU_FL_IF;
    t.attr |= SEG_A_ACCESSED;
    c->seg[CPU_CS] = t;
    cpu_seg_update(c, &c->seg[CPU_CS]);
    c->eip = offset;
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

void cpu_software_interrupt(struct cpu *c, uint8_t vector, enum cpu_int_kind kind)
{
    /* INT n in virtual-8086 mode is IOPL-sensitive (SDM vol. 2, INT n). */
    if (kind == CPU_INT_SOFT && cpu_v86(c) && (c->eflags & CPU_FL_IOPL) != CPU_FL_IOPL)
        cpu_exception(c, CPU_EXC_GP, 0);
    c->delivering = -1;
    cpu_deliver(c, vector, kind == CPU_INT_ICEBP ? CPU_EV_ICEBP : CPU_EV_SOFT, false, 0);
}

/* ------------------------------------------------------------------ */
/* IRET                                                                */

static void int_iret_real(struct cpu *c, bool o32)
{
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
    if (cpu_v86(c)) {
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
    c->seg[CPU_CS].sel = cs;
    c->seg[CPU_CS].base = (uint32_t)cs << 4;
    cpu_seg_update(c, &c->seg[CPU_CS]);
    c->eip = eip;
}

/* Protected-mode IRET to the same privilege level (SDM vol. 2, IRET,
 * "PROTECTED-MODE" and "RETURN-TO-SAME-PRIVILEGE-LEVEL"). */
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
    /* A return to virtual-8086 mode (VM = 1 popped at CPL 0) is the next
     * issue. */
    if (o32 && (fl & CPU_FL_VM) && c->cpl == 0)
        cpu_exception(c, CPU_EXC_GP, 0);
    uint32_t err = sel & 0xFFFCu;
    unsigned rpl = sel & 3u;
    if (err == 0)
        cpu_exception(c, CPU_EXC_GP, 0);
    struct seg_desc d;
    if (!seg_fetch_desc(c, sel, &d))
        cpu_exception(c, CPU_EXC_GP, err);
    uint16_t a = seg_desc_attr(&d);
    unsigned dpl = SEG_A_DPL(a);
    if (!(a & SEG_A_S) || !(a & SEG_A_CODE) || rpl < c->cpl)
        cpu_exception(c, CPU_EXC_GP, err);
    if ((a & SEG_A_EC) ? dpl > rpl : dpl != rpl)
        cpu_exception(c, CPU_EXC_GP, err);
    if (!(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_NP, err);
    /* RPL > CPL: return to an outer level (pops SS:ESP): the next issue. */
    if (rpl > c->cpl)
        cpu_exception(c, CPU_EXC_GP, err);
    struct cpu_seg t = c->seg[CPU_CS];
    seg_from_desc(&t, sel, &d);
    if (eip > t.limit)
        cpu_exception(c, CPU_EXC_GP, 0);
    seg_set_accessed(c, &d);
    uint32_t mask = CPU_FL_OSZAPC | CPU_FL_TF | CPU_FL_DF | CPU_FL_NT | CPU_FL_RF | CPU_FL_AC |
                    CPU_FL_ID;
    unsigned iopl = (c->eflags & CPU_FL_IOPL) >> 12;
    if (c->cpl <= iopl)
        mask |= CPU_FL_IF;
    if (c->cpl == 0)
        mask |= CPU_FL_IOPL | CPU_FL_VIF | CPU_FL_VIP;
    if (!o32)
        mask &= 0xFFFFu;
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
        /* IRET in virtual-8086 mode is IOPL-sensitive (SDM vol. 3, 20.2.7). */
        if ((c->eflags & CPU_FL_IOPL) != CPU_FL_IOPL)
            cpu_exception(c, CPU_EXC_GP, 0);
        int_iret_real(c, o32);
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
