/*
 * stack.c - PUSH/POP (registers, memory, immediates, segment registers),
 * PUSHA/POPA, PUSHF/POPF, ENTER, LEAVE (SDM vol. 2).
 *
 * The stack width (SP or ESP) follows SS.B; the slot size follows the
 * operand size.  Every stack access is done before ESP or any other
 * register changes, so a faulting push or pop leaves no trace.
 */
#include "cpu/ops_internal.h"

/* --- general registers ---------------------------------------------- */

/* PUSH SP/ESP pushes the value it had before the instruction (SDM vol. 2,
 * PUSH: "the value of the SP register before it was decremented"). */
void cpu_h_PUSH_Zw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_push16(c, cpu_get_r16(c, i->d.reg));
}

void cpu_h_PUSH_Zd(struct cpu *c, const struct cpu_insn *i)
{
    cpu_push32(c, cpu_get_r32(c, i->d.reg));
}

/* POP SP/ESP: the stack pointer is incremented first, then the popped
 * value overwrites it (SDM vol. 2, POP). */
void cpu_h_POP_Zw(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t v = cpu_stack_read16(c, c->gpr[CPU_ESP]);
    cpu_set_sp(c, c->gpr[CPU_ESP] + 2);
    cpu_set_r16(c, i->d.reg, v);
}

void cpu_h_POP_Zd(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t v = cpu_stack_read32(c, c->gpr[CPU_ESP]);
    cpu_set_sp(c, c->gpr[CPU_ESP] + 4);
    cpu_set_r32(c, i->d.reg, v);
}

/* --- memory and immediates ------------------------------------------ */

void cpu_h_PUSH_Ew(struct cpu *c, const struct cpu_insn *i)
{
    cpu_push16(c, cpu_get_E16(c, &i->d));
}

void cpu_h_PUSH_Ed(struct cpu *c, const struct cpu_insn *i)
{
    cpu_push32(c, cpu_get_E32(c, &i->d));
}

/* POP r/m: an ESP-based destination address is computed with the
 * incremented ESP (SDM vol. 2, POP), but ESP is committed only once the
 * store has succeeded. */
static uint32_t stack_pop_ea(struct cpu *c, const struct cpu_insn *i, uint32_t new_esp)
{
    uint32_t old = c->gpr[CPU_ESP];
    c->gpr[CPU_ESP] = new_esp;
    uint32_t ea = cpu_ea(c, &i->d);
    c->gpr[CPU_ESP] = old;
    return ea;
}

void cpu_h_POP_Ew(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t v = cpu_stack_read16(c, c->gpr[CPU_ESP]);
    uint32_t new_esp = ops_sp_after(c, 2);
    if (i->d.flags & DEC_F_MEM) {
        cpu_write16(c, i->d.seg, stack_pop_ea(c, i, new_esp), v);
        c->gpr[CPU_ESP] = new_esp;
    } else {
        c->gpr[CPU_ESP] = new_esp;
        cpu_set_r16(c, i->d.rm, v);
    }
}

void cpu_h_POP_Ed(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t v = cpu_stack_read32(c, c->gpr[CPU_ESP]);
    uint32_t new_esp = ops_sp_after(c, 4);
    if (i->d.flags & DEC_F_MEM) {
        cpu_write32(c, i->d.seg, stack_pop_ea(c, i, new_esp), v);
        c->gpr[CPU_ESP] = new_esp;
    } else {
        c->gpr[CPU_ESP] = new_esp;
        cpu_set_r32(c, i->d.rm, v);
    }
}

void cpu_h_PUSH_Iw(struct cpu *c, const struct cpu_insn *i) { cpu_push16(c, (uint16_t)i->d.imm); }
void cpu_h_PUSH_Id(struct cpu *c, const struct cpu_insn *i) { cpu_push32(c, i->d.imm); }
void cpu_h_PUSH_Ibw(struct cpu *c, const struct cpu_insn *i) { cpu_push16(c, (uint16_t)i->d.imm); }
void cpu_h_PUSH_Ibd(struct cpu *c, const struct cpu_insn *i) { cpu_push32(c, i->d.imm); }

/* --- segment registers ---------------------------------------------- */

/* With a 32-bit operand size the slot is 4 bytes but P6-family processors
 * write only its low 16 bits (SDM vol. 2, PUSH: "...does a 16-bit move and
 * leaves the upper portion of the stack location unmodified"). */
static void stack_push_sreg(struct cpu *c, unsigned s, bool o32)
{
    uint32_t sp = c->gpr[CPU_ESP] - (o32 ? 4 : 2);
    cpu_stack_write16(c, sp, c->seg[s].sel);
    cpu_set_sp(c, sp);
}

/* The slot is read at the operand size (so a 4-byte pop checks 4 bytes)
 * and its low 16 bits are the selector.  ESP advances under the width of
 * the old SS even for POP SS, and only after the load succeeded. */
static void stack_pop_sreg(struct cpu *c, unsigned s, bool o32)
{
    uint16_t sel;
    uint32_t new_esp;
    if (o32) {
        sel = (uint16_t)cpu_stack_read32(c, c->gpr[CPU_ESP]);
        new_esp = ops_sp_after(c, 4);
    } else {
        sel = cpu_stack_read16(c, c->gpr[CPU_ESP]);
        new_esp = ops_sp_after(c, 2);
    }
    cpu_load_sreg(c, s, sel);
    c->gpr[CPU_ESP] = new_esp;
    if (s == CPU_SS)
        cpu_inhibit_interrupts(c);
}

#define STACK_SREG_OPS(NAME, S)                                                                  \
    void cpu_h_PUSH_##NAME##_O16(struct cpu *c, const struct cpu_insn *i)                        \
    {                                                                                            \
        (void)i;                                                                                 \
        stack_push_sreg(c, S, false);                                                            \
    }                                                                                            \
    void cpu_h_PUSH_##NAME##_O32(struct cpu *c, const struct cpu_insn *i)                        \
    {                                                                                            \
        (void)i;                                                                                 \
        stack_push_sreg(c, S, true);                                                             \
    }

#define STACK_SREG_POPS(NAME, S)                                                                 \
    void cpu_h_POP_##NAME##_O16(struct cpu *c, const struct cpu_insn *i)                         \
    {                                                                                            \
        (void)i;                                                                                 \
        stack_pop_sreg(c, S, false);                                                             \
    }                                                                                            \
    void cpu_h_POP_##NAME##_O32(struct cpu *c, const struct cpu_insn *i)                         \
    {                                                                                            \
        (void)i;                                                                                 \
        stack_pop_sreg(c, S, true);                                                              \
    }

STACK_SREG_OPS(ES, CPU_ES)
STACK_SREG_OPS(CS, CPU_CS)
STACK_SREG_OPS(SS, CPU_SS)
STACK_SREG_OPS(DS, CPU_DS)
STACK_SREG_OPS(FS, CPU_FS)
STACK_SREG_OPS(GS, CPU_GS)
STACK_SREG_POPS(ES, CPU_ES)
STACK_SREG_POPS(SS, CPU_SS)
STACK_SREG_POPS(DS, CPU_DS)
STACK_SREG_POPS(FS, CPU_FS)
STACK_SREG_POPS(GS, CPU_GS)

/* --- PUSHA / POPA ----------------------------------------------------- */

/* Pushes EAX ECX EDX EBX (original ESP) EBP ESI EDI.  The whole 8-slot
 * range is checked first so that nothing is written if any part faults. */
void cpu_h_PUSHA_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint32_t sp = c->gpr[CPU_ESP];
    ops_stack_check(c, sp, 16);
    for (unsigned r = 0; r < 8; r++)
        cpu_stack_write16(c, sp - 2 * (r + 1), (uint16_t)c->gpr[r]);
    cpu_set_sp(c, sp - 16);
}

void cpu_h_PUSHA_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint32_t sp = c->gpr[CPU_ESP];
    ops_stack_check(c, sp, 32);
    for (unsigned r = 0; r < 8; r++)
        cpu_stack_write32(c, sp - 4 * (r + 1), c->gpr[r]);
    cpu_set_sp(c, sp - 32);
}

/* The slot holding SP/ESP is skipped (SDM vol. 2, POPA). */
void cpu_h_POPA_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint32_t sp = c->gpr[CPU_ESP];
    uint16_t v[8];
    for (unsigned r = 0; r < 8; r++)
        v[r] = cpu_stack_read16(c, sp + 2 * (7 - r));
    for (unsigned r = 0; r < 8; r++)
        if (r != CPU_ESP)
            cpu_set_r16(c, r, v[r]);
    cpu_set_sp(c, sp + 16);
}

void cpu_h_POPA_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint32_t sp = c->gpr[CPU_ESP];
    uint32_t v[8];
    for (unsigned r = 0; r < 8; r++)
        v[r] = cpu_stack_read32(c, sp + 4 * (7 - r));
    for (unsigned r = 0; r < 8; r++)
        if (r != CPU_ESP)
            c->gpr[r] = v[r];
    cpu_set_sp(c, sp + 32);
}

/* --- PUSHF / POPF ----------------------------------------------------- */

static unsigned stack_iopl(const struct cpu *c)
{
    return (c->eflags & CPU_FL_IOPL) >> 12;
}

/* The image has VM and RF cleared (SDM vol. 2, PUSHF).  In virtual-8086
 * mode with IOPL < 3 the instruction is IOPL-sensitive: #GP(0), except
 * that with CR4.VME a 16-bit PUSHF pushes FLAGS with VIF in the IF
 * position and IOPL = 3 (SDM vol. 3, 20.4). */
static uint32_t stack_pushf_image(struct cpu *c, bool o32)
{
    uint32_t fl = cpu_eflags(c);
    if (cpu_v86(c) && stack_iopl(c) < 3) {
        if (o32 || !(c->cr[4] & CPU_CR4_VME))
            cpu_exception(c, CPU_EXC_GP, 0);
        fl &= ~CPU_FL_IF;
        if (c->eflags & CPU_FL_VIF)
            fl |= CPU_FL_IF;
        fl |= CPU_FL_IOPL;
    }
    return fl & ~(CPU_FL_VM | CPU_FL_RF);
}

void cpu_h_PUSHF_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_push16(c, (uint16_t)stack_pushf_image(c, false));
}

void cpu_h_PUSHF_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_push32(c, stack_pushf_image(c, true));
}

/* SDM vol. 2, POPF/POPFD, and vol. 3, 2.3 and 20.2.7:
 *  - real mode or CPL 0: every writable flag, IOPL and IF included;
 *  - protected mode, CPL > 0: IOPL unchanged; IF only if CPL <= IOPL;
 *  - virtual-8086 mode: #GP(0) if IOPL < 3, else IOPL unchanged;
 *  - VM, VIP and VIF never change; RF is cleared; bit 1 reads as 1 and the
 *    other reserved bits as 0; a 16-bit POPF leaves bits 16-31 alone, so
 *    AC and ID are writable only by POPFD.
 * IF or TF may have changed, so the trace ends here. */
static void stack_popf(struct cpu *c, uint32_t v, bool o32)
{
    bool iopl_ok, if_ok;
    if (cpu_v86(c)) {
        /* IOPL = 3 here: the handlers raised #GP(0) before the read. */
        iopl_ok = false;
        if_ok = true;
    } else if (!cpu_protected(c) || c->cpl == 0) {
        iopl_ok = true;
        if_ok = true;
    } else {
        iopl_ok = false;
        if_ok = c->cpl <= stack_iopl(c);
    }
    uint32_t mask = CPU_FL_OSZAPC | CPU_FL_TF | CPU_FL_DF | CPU_FL_NT;
    if (o32)
        mask |= CPU_FL_AC | CPU_FL_ID;
    if (iopl_ok)
        mask |= CPU_FL_IOPL;
    if (if_ok)
        mask |= CPU_FL_IF;
    uint32_t nf = (cpu_eflags(c) & ~mask) | (v & mask);
    nf = (nf & ~CPU_FL_RF) | 0x2u;
    flags_put_oszapc(&c->lf, nf, CPU_FL_OSZAPC);
    c->eflags = nf & ~CPU_FL_OSZAPC;
    cpu_end_trace(c);
}

/* Virtual-8086 mode, IOPL < 3, CR4.VME, 16-bit POPF: the popped IF goes
 * to VIF and IF and IOPL stay; a popped TF = 1, or IF = 1 while VIP is
 * set, traps to the monitor with #GP(0) (SDM vol. 2, POPF; vol. 3,
 * 20.4). */
static void stack_popf_vme(struct cpu *c, uint16_t v)
{
    if ((v & CPU_FL_TF) || ((v & CPU_FL_IF) && (c->eflags & CPU_FL_VIP)))
        cpu_exception(c, CPU_EXC_GP, 0);
    /* FLAGS bits 1, 3, 5 and 15 are reserved. */
    cpu_write_eflags(c, v, 0xFFFFu & ~(CPU_FL_IF | CPU_FL_IOPL | 0x802Au));
    if (v & CPU_FL_IF)
        c->eflags |= CPU_FL_VIF;
    else
        c->eflags &= ~CPU_FL_VIF;
    cpu_end_trace(c);
}

void cpu_h_POPF_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    bool vme = false;
    if (cpu_v86(c) && stack_iopl(c) < 3) {
        if (!(c->cr[4] & CPU_CR4_VME))
            cpu_exception(c, CPU_EXC_GP, 0);
        vme = true;
    }
    uint16_t v = cpu_stack_read16(c, c->gpr[CPU_ESP]);
    uint32_t new_esp = ops_sp_after(c, 2);
    if (vme)
        stack_popf_vme(c, v);
    else
        stack_popf(c, v, false);
    c->gpr[CPU_ESP] = new_esp;
}

void cpu_h_POPF_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    if (cpu_v86(c) && stack_iopl(c) < 3)
        cpu_exception(c, CPU_EXC_GP, 0);
    uint32_t v = cpu_stack_read32(c, c->gpr[CPU_ESP]);
    uint32_t new_esp = ops_sp_after(c, 4);
    stack_popf(c, v, true);
    c->gpr[CPU_ESP] = new_esp;
}

/* --- ENTER / LEAVE ---------------------------------------------------- */

/* SDM vol. 2, ENTER: push (E)BP; FrameTemp = the new stack pointer; for a
 * nesting level L > 0 copy L-1 frame pointers from the enclosing frame
 * (read at (E)BP - k * size, with the address width of SS.B) and push
 * FrameTemp; then (E)BP = FrameTemp and (E)SP -= the allocation size.
 * Every read and the whole write range are checked before anything is
 * written or any register changes. */
static void stack_enter(struct cpu *c, const struct cpu_insn *i, bool o32)
{
    unsigned size = o32 ? 4 : 2;
    unsigned level = i->d.imm2 & 31u;
    uint32_t alloc = i->d.imm & 0xFFFFu;
    uint32_t mask = cpu_sp_mask(c);
    uint32_t sp = c->gpr[CPU_ESP];
    uint32_t ebp = c->gpr[CPU_EBP];
    uint32_t copies[32];

    for (unsigned k = 1; k < level; k++) {
        uint32_t a = (ebp - k * size) & mask;
        copies[k] = o32 ? cpu_read32(c, CPU_SS, a) : cpu_read16(c, CPU_SS, a);
    }
    unsigned slots = level ? level + 1 : 1;
    ops_stack_check(c, sp, slots * size);

    uint32_t frame_temp = sp - size;
    uint32_t final_sp = (sp - slots * size - alloc) & mask;
    /* SDM vol. 2, ENTER: #SS(0) if the new stack pointer is outside the
     * stack segment limit. */
    const struct cpu_seg *ss = &c->seg[CPU_SS];
    if (final_sp < ss->lim_lo || final_sp > ss->lim_hi)
        cpu_exception(c, CPU_EXC_SS, 0);

    if (o32)
        cpu_stack_write32(c, frame_temp, ebp);
    else
        cpu_stack_write16(c, frame_temp, (uint16_t)ebp);
    uint32_t wp = frame_temp;
    if (level > 0) {
        for (unsigned k = 1; k < level; k++) {
            wp -= size;
            if (o32)
                cpu_stack_write32(c, wp, copies[k]);
            else
                cpu_stack_write16(c, wp, (uint16_t)copies[k]);
        }
        wp -= size;
        if (o32)
            cpu_stack_write32(c, wp, frame_temp & mask);
        else
            cpu_stack_write16(c, wp, (uint16_t)frame_temp);
    }
    if (o32)
        c->gpr[CPU_EBP] = frame_temp & mask; /* FrameTemp is SP, zero-extended, on a 16-bit stack */
    else
        cpu_set_r16(c, CPU_EBP, (uint16_t)frame_temp);
    cpu_set_sp(c, final_sp);
}

void cpu_h_ENTER_O16(struct cpu *c, const struct cpu_insn *i) { stack_enter(c, i, false); }
void cpu_h_ENTER_O32(struct cpu *c, const struct cpu_insn *i) { stack_enter(c, i, true); }

/* LEAVE: (E)SP = (E)BP at the stack width, then pop (E)BP. */
void cpu_h_LEAVE_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint32_t mask = cpu_sp_mask(c);
    uint32_t bp = c->gpr[CPU_EBP];
    uint16_t v = cpu_stack_read16(c, bp);
    cpu_set_sp(c, (bp & mask) + 2);
    cpu_set_r16(c, CPU_EBP, v);
}

void cpu_h_LEAVE_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint32_t mask = cpu_sp_mask(c);
    uint32_t bp = c->gpr[CPU_EBP];
    uint32_t v = cpu_stack_read32(c, bp);
    cpu_set_sp(c, (bp & mask) + 4);
    c->gpr[CPU_EBP] = v;
}
