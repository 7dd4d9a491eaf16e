/*
 * shift.c - instruction handlers (see decoder/opcodes.def for the forms).
 */
#include "cpu/cpu_internal.h"

void cpu_h_ROL_EbIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROL_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROL_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROL_EbI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROL_EwI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROL_EdI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROL_EbCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROL_EwCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROL_EdCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROR_EbIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROR_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROR_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROR_EbI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROR_EwI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROR_EdI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROR_EbCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROR_EwCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ROR_EdCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCL_EbIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCL_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCL_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCL_EbI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCL_EwI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCL_EdI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCL_EbCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCL_EwCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCL_EdCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCR_EbIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCR_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCR_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCR_EbI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCR_EwI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCR_EdI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCR_EbCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCR_EwCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_RCR_EdCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHL_EbIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHL_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHL_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHL_EbI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHL_EwI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHL_EdI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHL_EbCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHL_EwCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHL_EdCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHR_EbIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHR_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHR_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHR_EbI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHR_EwI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHR_EdI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHR_EbCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHR_EwCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHR_EdCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SAR_EbIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SAR_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SAR_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SAR_EbI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SAR_EwI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SAR_EdI1(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SAR_EbCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SAR_EwCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SAR_EdCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHLD_EwGwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHLD_EdGdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHLD_EwGwCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHLD_EdGdCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHRD_EwGwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHRD_EdGdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHRD_EwGwCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SHRD_EdGdCL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

