/*
 * flagops.c - CLC STC CMC CLD STD CLI STI (SDM vol. 2).
 */
#include "cpu/ops_internal.h"

void cpu_h_CLC(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    flags_set_cf(&c->lf, false);
}

void cpu_h_STC(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    flags_set_cf(&c->lf, true);
}

void cpu_h_CMC(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    flags_set_cf(&c->lf, !flags_cf(&c->lf));
}

void cpu_h_CLD(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    c->eflags &= ~CPU_FL_DF;
}

void cpu_h_STD(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    c->eflags |= CPU_FL_DF;
}

/* CLI and STI are IOPL-sensitive (SDM vol. 2, CLI and STI, decision
 * tables; vol. 3, 20.4): where IF may not be touched they work on VIF
 * instead in virtual-8086 mode with CR4.VME and at CPL 3 in protected
 * mode with CR4.PVI, and otherwise raise #GP(0).  Returns true when IF
 * itself is the flag to change. */
static bool flagops_if_allowed(struct cpu *c)
{
    if (!cpu_protected(c))
        return true;
    unsigned iopl = (c->eflags & CPU_FL_IOPL) >> 12;
    if (cpu_v86(c)) {
        if (iopl == 3)
            return true;
        if (!(c->cr[4] & CPU_CR4_VME))
            cpu_exception(c, CPU_EXC_GP, 0);
        return false;
    }
    if (c->cpl <= iopl)
        return true;
    if (c->cpl != 3 || !(c->cr[4] & CPU_CR4_PVI))
        cpu_exception(c, CPU_EXC_GP, 0);
    return false;
}

void cpu_h_CLI(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    if (flagops_if_allowed(c))
        c->eflags &= ~CPU_FL_IF;
    else
        c->eflags &= ~CPU_FL_VIF;
}

/* Setting IF delays interrupt recognition until after the next
 * instruction (SDM vol. 2, STI), so "STI; HLT" and "STI; RET" work; STI
 * with IF already set has no shadow.  Setting VIF while a virtual
 * interrupt is pending (VIP = 1) traps to the monitor with #GP(0). */
void cpu_h_STI(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    if (!flagops_if_allowed(c)) {
        if (c->eflags & CPU_FL_VIP)
            cpu_exception(c, CPU_EXC_GP, 0);
        c->eflags |= CPU_FL_VIF;
        return;
    }
    if (!(c->eflags & CPU_FL_IF)) {
        c->eflags |= CPU_FL_IF;
        cpu_inhibit_interrupts(c);
        cpu_end_trace(c);
    }
}
