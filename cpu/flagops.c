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

/* CLI/STI are IOPL-sensitive (SDM vol. 2, CLI and STI, without the VME/PVI
 * virtual-interrupt extensions): #GP(0) in protected mode when CPL > IOPL
 * and in virtual-8086 mode when IOPL < 3. */
static void flagops_check_iopl(struct cpu *c)
{
    unsigned iopl = (c->eflags & CPU_FL_IOPL) >> 12;
    if (cpu_v86(c)) {
        if (iopl < 3)
            cpu_exception(c, CPU_EXC_GP, 0);
    } else if (cpu_protected(c) && c->cpl > iopl) {
        cpu_exception(c, CPU_EXC_GP, 0);
    }
}

void cpu_h_CLI(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    flagops_check_iopl(c);
    c->eflags &= ~CPU_FL_IF;
}

/* Setting IF delays interrupt recognition until after the next
 * instruction (SDM vol. 2, STI), so "STI; HLT" and "STI; RET" work; STI
 * with IF already set has no shadow. */
void cpu_h_STI(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    flagops_check_iopl(c);
    if (!(c->eflags & CPU_FL_IF)) {
        c->eflags |= CPU_FL_IF;
        cpu_inhibit_interrupts(c);
        cpu_end_trace(c);
    }
}
