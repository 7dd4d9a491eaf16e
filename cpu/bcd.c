/*
 * bcd.c - instruction handlers (see decoder/opcodes.def for the forms).
 */
#include "cpu/cpu_internal.h"

void cpu_h_DAA(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_DAS(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_AAA(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_AAS(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_AAM_Ib(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_AAD_Ib(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SALC(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

