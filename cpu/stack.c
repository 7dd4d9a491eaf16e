/*
 * stack.c - instruction handlers (see decoder/opcodes.def for the forms).
 */
#include "cpu/cpu_internal.h"

void cpu_h_PUSH_Zw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_Zd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_Zw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_Zd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_Ew(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_Ed(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_Ew(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_Ed(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_Iw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_Id(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_Ibw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_Ibd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_ES_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_ES_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_ES_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_ES_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_CS_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_CS_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_SS_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_SS_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_SS_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_SS_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_DS_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_DS_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_DS_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_DS_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_FS_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_FS_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_FS_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_FS_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_GS_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSH_GS_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_GS_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POP_GS_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSHA_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSHA_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POPA_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POPA_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSHF_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_PUSHF_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POPF_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_POPF_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ENTER_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_ENTER_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_LEAVE_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_LEAVE_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

