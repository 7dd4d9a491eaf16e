/*
 * bits.c - instruction handlers (see decoder/opcodes.def for the forms).
 */
#include "cpu/cpu_internal.h"

void cpu_h_BT_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BT_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BT_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BT_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTS_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTS_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTS_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTS_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTR_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTR_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTR_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTR_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTC_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTC_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTC_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BTC_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BSF_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BSF_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BSR_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BSR_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BSWAP_Zw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_BSWAP_Zd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVO_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVO_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVNO_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVNO_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVB_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVB_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVAE_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVAE_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVE_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVE_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVNE_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVNE_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVBE_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVBE_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVA_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVA_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVS_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVS_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVNS_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVNS_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVP_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVP_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVNP_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVNP_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVL_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVL_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVGE_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVGE_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVLE_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVLE_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVG_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_CMOVG_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETO_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETNO_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETB_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETAE_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETE_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETNE_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETBE_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETA_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETS_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETNS_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETP_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETNP_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETL_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETGE_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETLE_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

void cpu_h_SETG_Eb(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0); /* RZ_STUB */
}

