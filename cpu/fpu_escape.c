/*
 * fpu_escape.c - what the CPU does with x87 instructions until the x87 is
 * executed: the device-not-available (#NM) and #UD rules of SDM vol. 3,
 * 2.5 (CR0.MP/EM/TS) and table 9-3.
 */
#include "cpu/cpu_internal.h"

void cpu_h_WAIT(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    /* WAIT/FWAIT faults only when MP and TS are both set (table 2-2);
     * with no pending x87 exception there is nothing else to do. */
    if ((c->cr[0] & (CPU_CR0_MP | CPU_CR0_TS)) == (CPU_CR0_MP | CPU_CR0_TS))
        cpu_exception(c, CPU_EXC_NM, 0);
}

void cpu_h_FPU_ESC(struct cpu *c, const struct cpu_insn *i)
{
    /* FXSAVE/FXRSTOR are #UD while CPUID does not report FXSR (SDM vol. 2,
     * FXSAVE: the #UD condition precedes the #NM ones). */
    if ((i->d.op == DEC_FXSAVE_Menv || i->d.op == DEC_FXRSTOR_Menv) &&
        !(cpu_sys_features(c) & CPU_FEAT_FXSR))
        cpu_exception(c, CPU_EXC_UD, 0);
    /* EM (emulate) or TS (task switched) hand the instruction to the OS. */
    if (c->cr[0] & (CPU_CR0_EM | CPU_CR0_TS))
        cpu_exception(c, CPU_EXC_NM, 0);
    /* No coprocessor configured (the default): #NM as well.  A PC without
     * an x87 and with EM clear would hang on real hardware, waiting for
     * the coprocessor; software that probes with FNINIT/FNSTSW must set EM
     * (or sees #NM here instead of the hang). */
    if (!c->cfg.fpu)
        cpu_exception(c, CPU_EXC_NM, 0);
    /* An x87 is configured but not executed yet (a later issue adds it). */
    cpu_exception(c, CPU_EXC_UD, 0);
}
