/*
 * cmpxchg.c - instruction handlers (see decoder/opcodes.def for the forms).
 */
#include "cpu/cpu_internal.h"

void cpu_h_XADD_EbGb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_XADD_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_XADD_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMPXCHG_EbGb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMPXCHG_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMPXCHG_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMPXCHG8B_Mq(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

