/*
 * mmx.c - the MMX instructions (SDM vol. 1, chapter 9; vol. 2): their
 * #UD/#NM rules (SDM vol. 3, table 12-1).  MMX registers alias the x87's
 * physical registers (cpu/x87_state.h).
 */
#include "cpu/cpu_internal.h"

void cpu_h_MMX(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    /* Every MMX instruction is #UD while CPUID does not report MMX (SDM
     * vol. 2, e.g. PADD: "#UD if CPUID.01H:EDX.MMX = 0").  Once it does:
     * EM gives #UD, TS gives #NM (SDM vol. 3, table 12-1). */
    if (!(cpu_sys_features(c) & CPU_FEAT_MMX))
        cpu_exception(c, CPU_EXC_UD, 0);
    if (c->cr[0] & CPU_CR0_EM)
        cpu_exception(c, CPU_EXC_UD, 0);
    if (c->cr[0] & CPU_CR0_TS)
        cpu_exception(c, CPU_EXC_NM, 0);
    /* MMX is not executed yet. */
    cpu_exception(c, CPU_EXC_UD, 0);
}
