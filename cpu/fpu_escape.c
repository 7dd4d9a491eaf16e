/*
 * fpu_escape.c - the entry of every x87 instruction (the DEC_F* forms of
 * decoder/opcodes.def, handler FPU_ESC) and WAIT/FWAIT: the #UD and #NM
 * rules of SDM vol. 3, 2.5 and table 2-2 (CR0.MP/EM/TS), the pending
 * exception check of waiting instructions (SDM vol. 1, 8.7), the dispatch
 * to the instruction groups, and the pointer update of non-control
 * instructions (SDM vol. 1, 8.1.8).
 */
#include "cpu/x87_internal.h"

void cpu_h_WAIT(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    /* WAIT/FWAIT faults only when MP and TS are both set (table 2-2; EM
     * does not matter), then reports a pending unmasked exception. */
    if ((c->cr[0] & (CPU_CR0_MP | CPU_CR0_TS)) == (CPU_CR0_MP | CPU_CR0_TS))
        cpu_exception(c, CPU_EXC_NM, 0);
    if (c->cfg.fpu)
        x87_check_pending(c);
}

/* The non-waiting instructions: they do not report a pending exception
 * (SDM vol. 1, 8.3.11; FXSAVE/FXRSTOR: vol. 2, "does not check for
 * pending unmasked floating-point exceptions").  FENI, FDISI and FSETPM
 * (8087/287 controls, no-ops since the 387) are the FN forms too. */
static bool x87_nowait(unsigned op)
{
    switch (op) {
    case DEC_FNINIT:
    case DEC_FNCLEX:
    case DEC_FNSTSW_AX:
    case DEC_FNSTSW_Mw:
    case DEC_FNSTCW_Mw:
    case DEC_FNSTENV_Menv:
    case DEC_FNSAVE_Menv:
    case DEC_FXSAVE_Menv:
    case DEC_FXRSTOR_Menv:
    case DEC_FENI:
    case DEC_FDISI:
    case DEC_FSETPM:
        return true;
    default:
        return false;
    }
}

/* Control instructions leave FIP/FCS/FOP/FDP/FDS alone (SDM vol. 1,
 * 8.1.8): the non-waiting ones and FLDCW, FLDENV, FRSTOR. */
static bool x87_control(unsigned op)
{
    return x87_nowait(op) || op == DEC_FLDCW_Mw || op == DEC_FLDENV_Menv || op == DEC_FRSTOR_Menv;
}

void cpu_h_FPU_ESC(struct cpu *c, const struct cpu_insn *i)
{
    unsigned op = i->d.op;
    /* FXSAVE/FXRSTOR are #UD while CPUID does not report FXSR (SDM vol. 2,
     * FXSAVE: the #UD condition precedes the #NM ones). */
    if ((op == DEC_FXSAVE_Menv || op == DEC_FXRSTOR_Menv) && !(cpu_sys_features(c) & CPU_FEAT_FXSR))
        cpu_exception(c, CPU_EXC_UD, 0);
    /* EM (emulate) or TS (task switched) hand the instruction to the OS. */
    if (c->cr[0] & (CPU_CR0_EM | CPU_CR0_TS))
        cpu_exception(c, CPU_EXC_NM, 0);
    /* No coprocessor configured: #NM as well.  A PC without an x87 and
     * with EM clear would hang on real hardware, waiting for the
     * coprocessor; software that probes with FNINIT/FNSTSW must set EM
     * (or sees #NM here instead of the hang). */
    if (!c->cfg.fpu)
        cpu_exception(c, CPU_EXC_NM, 0);
    if (!x87_nowait(op))
        x87_check_pending(c);
    if (!x87_exec_load_store(c, i) && !x87_exec_arith(c, i) && !x87_exec_trans(c, i) &&
        !x87_exec_control(c, i))
        cpu_exception(c, CPU_EXC_UD, 0);
    if (!x87_control(op))
        x87_update_pointers(c, i);
}
