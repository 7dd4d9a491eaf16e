/*
 * bcd.c - decimal adjusts DAA DAS AAA AAS AAM AAD and the undocumented
 * SALC.
 *
 * Defined results follow the SDM vol. 2 pseudo-code exactly (the IA-32
 * forms: AAA adds 106h to AX and AAS subtracts 6 from AX, so a carry or
 * borrow out of AL reaches AH).  Choices for the undefined flags:
 *  - DAA, DAS: OF = 0 (Bochs documents its DAA/DAS as validated against
 *    Pentium-family hardware and clears OF);
 *  - AAA, AAS: SF, ZF, PF from the final AL, OF = 0 (real CPUs are
 *    reported to set SF/ZF/PF from the result; OF = 0 as for DAA);
 *  - AAM: CF = OF = AF = 0;
 *  - AAD: CF, OF, AF as the 8-bit addition AL + (AH * imm8) that forms
 *    the result (SF, ZF, PF are defined and agree with it).
 * A 32-bit probe on an Intel host produced exactly these flags for every
 * one of these instructions.
 */
#include "cpu/alu_internal.h"

void cpu_h_DAA(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint8_t old_al = cpu_get_r8(c, CPU_EAX), al = old_al;
    bool old_cf = flags_cf(&c->lf), af = false, cf;
    if ((al & 0x0F) > 9 || flags_af(&c->lf)) {
        al = (uint8_t)(al + 6);
        af = true;
    }
    if (old_al > 0x99 || old_cf) {
        al = (uint8_t)(al + 0x60);
        cf = true;
    } else {
        cf = false;
    }
    cpu_set_r8(c, CPU_EAX, al);
    flags_set_result(&c->lf, 8, al, cf, false, af);
}

void cpu_h_DAS(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint8_t old_al = cpu_get_r8(c, CPU_EAX), al = old_al;
    bool old_cf = flags_cf(&c->lf), af = false, cf = false;
    if ((al & 0x0F) > 9 || flags_af(&c->lf)) {
        cf = old_cf || al < 6; /* borrow from AL - 6 */
        al = (uint8_t)(al - 6);
        af = true;
    }
    if (old_al > 0x99 || old_cf) {
        al = (uint8_t)(al - 0x60);
        cf = true;
    }
    cpu_set_r8(c, CPU_EAX, al);
    flags_set_result(&c->lf, 8, al, cf, false, af);
}

void cpu_h_AAA(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint16_t ax = cpu_get_r16(c, CPU_EAX);
    bool adj = (ax & 0x0F) > 9 || flags_af(&c->lf);
    if (adj)
        ax = (uint16_t)(ax + 0x106);
    ax &= 0xFF0F;
    cpu_set_r16(c, CPU_EAX, ax);
    flags_set_result(&c->lf, 8, ax & 0xFF, adj, false, adj);
}

void cpu_h_AAS(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint16_t ax = cpu_get_r16(c, CPU_EAX);
    bool adj = (ax & 0x0F) > 9 || flags_af(&c->lf);
    if (adj)
        ax = (uint16_t)(ax - 6 - 0x100);
    ax &= 0xFF0F;
    cpu_set_r16(c, CPU_EAX, ax);
    flags_set_result(&c->lf, 8, ax & 0xFF, adj, false, adj);
}

void cpu_h_AAM_Ib(struct cpu *c, const struct cpu_insn *i)
{
    uint8_t base = (uint8_t)i->d.imm;
    if (base == 0)
        cpu_exception(c, CPU_EXC_DE, 0);
    uint8_t al = cpu_get_r8(c, CPU_EAX);
    uint8_t q = al / base, r = al % base;
    cpu_set_r16(c, CPU_EAX, (uint16_t)((q << 8) | r));
    flags_set_result(&c->lf, 8, r, false, false, false);
}

void cpu_h_AAD_Ib(struct cpu *c, const struct cpu_insn *i)
{
    uint8_t base = (uint8_t)i->d.imm;
    uint8_t al = cpu_get_r8(c, CPU_EAX);
    uint8_t prod = (uint8_t)(cpu_get_r8(c, 4) * base); /* AH * imm8 */
    uint8_t r = (uint8_t)(al + prod);
    cpu_set_r16(c, CPU_EAX, r);
    flags_set_add(&c->lf, 8, al, prod, r);
}

void cpu_h_SALC(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_set_r8(c, CPU_EAX, flags_cf(&c->lf) ? 0xFF : 0x00);
}
