/*
 * far.c - far JMP, CALL and RET (SDM vol. 2, JMP/CALL/RET; vol. 3, 5.8):
 * real and virtual-8086 mode, protected-mode code segments, and the
 * system descriptors a far JMP/CALL may name (call gates, task gates,
 * TSS descriptors).
 */
#include "cpu/ops_internal.h"
#include "cpu/engine_internal.h"

/* --- far transfers ---------------------------------------------------- */

/* cpu_load_cs() loads CS:EIP for far JMP/CALL/RET: in real and
 * virtual-8086 mode CS = sel << 4 and the offset is checked against the
 * CS limit; in protected mode it does the descriptor checks.  Either way
 * it changes nothing when it faults. */

/* A far JMP/CALL whose selector names a system descriptor in protected
 * mode: TSS descriptors and task gates switch tasks.  Returns false for
 * anything cpu_load_cs() handles (code segments, and the faults for bad
 * selectors). */
static bool far_via_system(struct cpu *c, uint16_t sel, bool call)
{
    if (!cpu_protected(c) || cpu_v86(c) || (sel & 0xFFFCu) == 0)
        return false;
    struct seg_desc d;
    if (!seg_fetch_desc(c, sel, &d))
        return false;
    uint16_t a = seg_desc_attr(&d);
    if (a & SEG_A_S)
        return false;
    switch (a & 0x0Fu) {
    case SEG_T_TSS16_AVAIL:
    case SEG_T_TSS32_AVAIL:
    case SEG_T_TASKGATE:
        task_far_transfer(c, sel, &d, call);
        return true;
    default:
        return false;
    }
}

static void far_jmp(struct cpu *c, uint16_t sel, uint32_t off)
{
    if (!far_via_system(c, sel, false))
        cpu_load_cs(c, sel, off);
}

/* Read a m16:16 or m16:32 far pointer; the selector follows the offset and
 * its address wraps at the address size. */
static void ctl_read_far_ptr(struct cpu *c, const struct cpu_insn *i, bool o32, uint16_t *sel,
                             uint32_t *off)
{
    uint32_t ea = cpu_ea(c, &i->d);
    uint32_t amask = ops_amask(&i->d);
    if (o32) {
        *off = cpu_read32(c, i->d.seg, ea);
        *sel = cpu_read16(c, i->d.seg, (ea + 4) & amask);
    } else {
        *off = cpu_read16(c, i->d.seg, ea);
        *sel = cpu_read16(c, i->d.seg, (ea + 2) & amask);
    }
}

void cpu_h_JMPF_Ap16(struct cpu *c, const struct cpu_insn *i)
{
    far_jmp(c, i->d.imm2, i->d.imm & 0xFFFFu);
}

void cpu_h_JMPF_Ap32(struct cpu *c, const struct cpu_insn *i)
{
    far_jmp(c, i->d.imm2, i->d.imm);
}

void cpu_h_JMPF_Mp16(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t sel;
    uint32_t off;
    ctl_read_far_ptr(c, i, false, &sel, &off);
    far_jmp(c, sel, off);
}

void cpu_h_JMPF_Mp32(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t sel;
    uint32_t off;
    ctl_read_far_ptr(c, i, true, &sel, &off);
    far_jmp(c, sel, off);
}

/* --- CALL far --------------------------------------------------------- */

/* Pushes CS then the return (E)IP.  Both stack slots are checked first, so
 * neither memory nor registers change when the stack would fault; the
 * target is loaded (and checked) before anything is written.  A 32-bit
 * far CALL pushes CS zero-extended to 32 bits. */
static void ctl_call_far(struct cpu *c, uint16_t sel, uint32_t off, bool o32)
{
    unsigned size = o32 ? 4u : 2u;
    uint32_t sp = c->gpr[CPU_ESP];
    uint16_t old_cs = c->seg[CPU_CS].sel;
    uint32_t ret = c->eip;
    if (far_via_system(c, sel, true))
        return;
    ops_stack_check(c, sp, 2 * size);
    cpu_load_cs(c, sel, off);
    if (o32) {
        cpu_stack_write32(c, sp - 4, old_cs);
        cpu_stack_write32(c, sp - 8, ret);
    } else {
        cpu_stack_write16(c, sp - 2, old_cs);
        cpu_stack_write16(c, sp - 4, (uint16_t)ret);
    }
    cpu_set_sp(c, sp - 2 * size);
}

void cpu_h_CALLF_Ap16(struct cpu *c, const struct cpu_insn *i)
{
    ctl_call_far(c, i->d.imm2, i->d.imm & 0xFFFFu, false);
}

void cpu_h_CALLF_Ap32(struct cpu *c, const struct cpu_insn *i)
{
    ctl_call_far(c, i->d.imm2, i->d.imm, true);
}

void cpu_h_CALLF_Mp16(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t sel;
    uint32_t off;
    ctl_read_far_ptr(c, i, false, &sel, &off);
    ctl_call_far(c, sel, off, false);
}

void cpu_h_CALLF_Mp32(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t sel;
    uint32_t off;
    ctl_read_far_ptr(c, i, true, &sel, &off);
    ctl_call_far(c, sel, off, true);
}

/* --- RET far ---------------------------------------------------------- */

static void ctl_ret_far(struct cpu *c, bool o32, uint32_t imm)
{
    uint32_t sp = c->gpr[CPU_ESP];
    uint32_t off;
    uint16_t sel;
    if (o32) {
        off = cpu_stack_read32(c, sp);
        sel = (uint16_t)cpu_stack_read32(c, sp + 4);
    } else {
        off = cpu_stack_read16(c, sp);
        sel = cpu_stack_read16(c, sp + 2);
    }
    /* SDM vol. 2, RET: the return CS must not be more privileged than
     * the caller (RPL < CPL: #GP(selector)).  A return to an outer level
     * (RPL > CPL, which also pops SS:ESP) is refused by cpu_load_cs() with
     * #GP(selector) until privilege changes are implemented there. */
    if (cpu_protected(c) && !cpu_v86(c) && (sel & 3u) < c->cpl)
        cpu_exception(c, CPU_EXC_GP, sel & 0xFFFCu);
    cpu_load_cs(c, sel, off);
    cpu_set_sp(c, sp + (o32 ? 8u : 4u) + imm);
}

void cpu_h_RETF_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    ctl_ret_far(c, false, 0);
}

void cpu_h_RETF_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    ctl_ret_far(c, true, 0);
}

void cpu_h_RETF_Iw_O16(struct cpu *c, const struct cpu_insn *i)
{
    ctl_ret_far(c, false, i->d.imm & 0xFFFFu);
}

void cpu_h_RETF_Iw_O32(struct cpu *c, const struct cpu_insn *i)
{
    ctl_ret_far(c, true, i->d.imm & 0xFFFFu);
}

