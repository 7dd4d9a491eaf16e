/*
 * muldiv.c - MUL, IMUL (one-, two- and three-operand forms), DIV, IDIV.
 *
 * SDM vol. 2, MUL/IMUL/DIV/IDIV.  Flags:
 *  - MUL/IMUL: CF = OF = 1 when the upper half of the full product is
 *    significant (MUL: non-zero; IMUL: not the sign extension of the lower
 *    half).  SF, ZF, AF and PF are undefined: we set SF/ZF/PF from the
 *    low half of the result (the destination for the 2/3-operand forms)
 *    and clear AF, as Bochs does.  (Recent Intel cores agree for SF, PF
 *    and AF but always clear ZF.)
 *  - DIV/IDIV: all six flags are undefined; we leave them unchanged (as
 *    Intel hardware does).
 * A zero divisor or a quotient that does not fit raises #DE before
 * anything is written (the exception is a fault: SDM vol. 3, 6.15).
 * IDIV truncates toward zero and the remainder takes the dividend's sign;
 * the most negative quotient (-2^(n-1)) is representable and allowed on
 * the 286 and later.
 */
#include "cpu/alu_internal.h"

/* ------------------------------------------------------------------ */
/* MUL / IMUL                                                          */

void cpu_h_MUL_Eb(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t p = (uint32_t)cpu_get_r8(c, CPU_EAX) * cpu_get_E8(c, &i->d);
    bool hi = (p >> 8) != 0;
    cpu_set_r16(c, CPU_EAX, (uint16_t)p);
    flags_set_result(&c->lf, 8, p, hi, hi, false);
}

void cpu_h_MUL_Ew(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t p = (uint32_t)cpu_get_r16(c, CPU_EAX) * cpu_get_E16(c, &i->d);
    bool hi = (p >> 16) != 0;
    cpu_set_r16(c, CPU_EAX, (uint16_t)p);
    cpu_set_r16(c, CPU_EDX, (uint16_t)(p >> 16));
    flags_set_result(&c->lf, 16, p, hi, hi, false);
}

void cpu_h_MUL_Ed(struct cpu *c, const struct cpu_insn *i)
{
    uint64_t p = (uint64_t)cpu_get_r32(c, CPU_EAX) * cpu_get_E32(c, &i->d);
    bool hi = (p >> 32) != 0;
    cpu_set_r32(c, CPU_EAX, (uint32_t)p);
    cpu_set_r32(c, CPU_EDX, (uint32_t)(p >> 32));
    flags_set_result(&c->lf, 32, (uint32_t)p, hi, hi, false);
}

/* Signed products are formed on sign-extended two's-complement patterns in
 * unsigned arithmetic (no signed overflow in C); the low 2n bits of the
 * unsigned product equal those of the signed one. */
static inline uint64_t muldiv_sext64(uint32_t v, unsigned bits)
{
    uint64_t m = (uint64_t)1 << (bits - 1);
    v = (bits == 32) ? v : (v & (uint32_t)((m << 1) - 1));
    return ((uint64_t)v ^ m) - m;
}

/** Signed product of two `bits`-wide values, truncated to 2*bits bits and
 * returned sign-extended to 64 bits; *overflow = it does not fit `bits`. */
static inline uint64_t muldiv_imul(uint32_t a, uint32_t b, unsigned bits, bool *overflow)
{
    uint64_t p = muldiv_sext64(a, bits) * muldiv_sext64(b, bits);
    *overflow = muldiv_sext64((uint32_t)p, bits) != p;
    return p;
}

void cpu_h_IMUL_Eb(struct cpu *c, const struct cpu_insn *i)
{
    bool ov;
    uint64_t p = muldiv_imul(cpu_get_r8(c, CPU_EAX), cpu_get_E8(c, &i->d), 8, &ov);
    cpu_set_r16(c, CPU_EAX, (uint16_t)p);
    flags_set_result(&c->lf, 8, (uint32_t)p, ov, ov, false);
}

void cpu_h_IMUL_Ew(struct cpu *c, const struct cpu_insn *i)
{
    bool ov;
    uint64_t p = muldiv_imul(cpu_get_r16(c, CPU_EAX), cpu_get_E16(c, &i->d), 16, &ov);
    cpu_set_r16(c, CPU_EAX, (uint16_t)p);
    cpu_set_r16(c, CPU_EDX, (uint16_t)(p >> 16));
    flags_set_result(&c->lf, 16, (uint32_t)p, ov, ov, false);
}

void cpu_h_IMUL_Ed(struct cpu *c, const struct cpu_insn *i)
{
    bool ov;
    uint64_t p = muldiv_imul(cpu_get_r32(c, CPU_EAX), cpu_get_E32(c, &i->d), 32, &ov);
    cpu_set_r32(c, CPU_EAX, (uint32_t)p);
    cpu_set_r32(c, CPU_EDX, (uint32_t)(p >> 32));
    flags_set_result(&c->lf, 32, (uint32_t)p, ov, ov, false);
}

/* Two- and three-operand forms: G = E * (G or imm), truncated. */
static inline void muldiv_imul_g16(struct cpu *c, const struct cpu_insn *i, uint32_t b, uint32_t a)
{
    bool ov;
    uint64_t p = muldiv_imul(a, b, 16, &ov);
    cpu_set_r16(c, i->d.reg, (uint16_t)p);
    flags_set_result(&c->lf, 16, (uint32_t)p, ov, ov, false);
}

static inline void muldiv_imul_g32(struct cpu *c, const struct cpu_insn *i, uint32_t b, uint32_t a)
{
    bool ov;
    uint64_t p = muldiv_imul(a, b, 32, &ov);
    cpu_set_r32(c, i->d.reg, (uint32_t)p);
    flags_set_result(&c->lf, 32, (uint32_t)p, ov, ov, false);
}

void cpu_h_IMUL_GwEwIw(struct cpu *c, const struct cpu_insn *i)
{
    muldiv_imul_g16(c, i, cpu_get_E16(c, &i->d), i->d.imm);
}
void cpu_h_IMUL_GdEdId(struct cpu *c, const struct cpu_insn *i)
{
    muldiv_imul_g32(c, i, cpu_get_E32(c, &i->d), i->d.imm);
}
void cpu_h_IMUL_GwEwIbw(struct cpu *c, const struct cpu_insn *i)
{
    muldiv_imul_g16(c, i, cpu_get_E16(c, &i->d), i->d.imm);
}
void cpu_h_IMUL_GdEdIbd(struct cpu *c, const struct cpu_insn *i)
{
    muldiv_imul_g32(c, i, cpu_get_E32(c, &i->d), i->d.imm);
}
void cpu_h_IMUL_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    muldiv_imul_g16(c, i, cpu_get_E16(c, &i->d), cpu_get_r16(c, i->d.reg));
}
void cpu_h_IMUL_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    muldiv_imul_g32(c, i, cpu_get_E32(c, &i->d), cpu_get_r32(c, i->d.reg));
}

/* ------------------------------------------------------------------ */
/* DIV / IDIV                                                          */

/** Unsigned divide of a 2n-bit dividend by an n-bit divisor; #DE on a
 * zero divisor or a quotient wider than n bits. */
static inline void muldiv_div(struct cpu *c, uint64_t dividend, uint32_t divisor, unsigned bits,
                              uint32_t *q, uint32_t *r)
{
    if (divisor == 0)
        cpu_exception(c, CPU_EXC_DE, 0);
    uint64_t quo = dividend / divisor;
    if (quo >> bits)
        cpu_exception(c, CPU_EXC_DE, 0);
    *q = (uint32_t)quo;
    *r = (uint32_t)(dividend % divisor);
}

/** Signed divide: the dividend is 2n bits, the divisor n bits (both given
 * as raw patterns).  Done on magnitudes so no C signed overflow occurs
 * (e.g. -2^63 / -1). */
static inline void muldiv_idiv(struct cpu *c, uint64_t dividend, uint32_t divisor, unsigned bits,
                               uint32_t *q, uint32_t *r)
{
    uint64_t sd = dividend;
    if (bits < 32) {
        /* the dividend has 2n <= 32 significant bits: sign-extend from 2n */
        uint64_t m = (uint64_t)1 << (2 * bits - 1);
        sd = ((dividend & ((m << 1) - 1)) ^ m) - m;
    }
    uint64_t sv = muldiv_sext64(divisor, bits);
    if (sv == 0)
        cpu_exception(c, CPU_EXC_DE, 0);
    bool dneg = sd >> 63, vneg = sv >> 63;
    uint64_t ad = dneg ? 0 - sd : sd;
    uint64_t av = vneg ? 0 - sv : sv;
    uint64_t aq = ad / av, ar = ad % av;
    uint64_t limit = (uint64_t)1 << (bits - 1); /* |q| <= 2^(n-1), and < it if q >= 0 */
    bool qneg = dneg != vneg;
    if (aq > limit || (aq == limit && !qneg))
        cpu_exception(c, CPU_EXC_DE, 0);
    *q = (uint32_t)(qneg ? 0 - aq : aq);
    *r = (uint32_t)(dneg ? 0 - ar : ar);
}

void cpu_h_DIV_Eb(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t q, r;
    muldiv_div(c, cpu_get_r16(c, CPU_EAX), cpu_get_E8(c, &i->d), 8, &q, &r);
    cpu_set_r16(c, CPU_EAX, (uint16_t)((r << 8) | q));
}

void cpu_h_DIV_Ew(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t q, r;
    uint32_t n = ((uint32_t)cpu_get_r16(c, CPU_EDX) << 16) | cpu_get_r16(c, CPU_EAX);
    muldiv_div(c, n, cpu_get_E16(c, &i->d), 16, &q, &r);
    cpu_set_r16(c, CPU_EAX, (uint16_t)q);
    cpu_set_r16(c, CPU_EDX, (uint16_t)r);
}

void cpu_h_DIV_Ed(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t q, r;
    uint64_t n = ((uint64_t)cpu_get_r32(c, CPU_EDX) << 32) | cpu_get_r32(c, CPU_EAX);
    muldiv_div(c, n, cpu_get_E32(c, &i->d), 32, &q, &r);
    cpu_set_r32(c, CPU_EAX, q);
    cpu_set_r32(c, CPU_EDX, r);
}

void cpu_h_IDIV_Eb(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t q, r;
    muldiv_idiv(c, cpu_get_r16(c, CPU_EAX), cpu_get_E8(c, &i->d), 8, &q, &r);
    cpu_set_r16(c, CPU_EAX, (uint16_t)(((r & 0xFFu) << 8) | (q & 0xFFu)));
}

void cpu_h_IDIV_Ew(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t q, r;
    uint32_t n = ((uint32_t)cpu_get_r16(c, CPU_EDX) << 16) | cpu_get_r16(c, CPU_EAX);
    muldiv_idiv(c, n, cpu_get_E16(c, &i->d), 16, &q, &r);
    cpu_set_r16(c, CPU_EAX, (uint16_t)q);
    cpu_set_r16(c, CPU_EDX, (uint16_t)r);
}

void cpu_h_IDIV_Ed(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t q, r;
    uint64_t n = ((uint64_t)cpu_get_r32(c, CPU_EDX) << 32) | cpu_get_r32(c, CPU_EAX);
    muldiv_idiv(c, n, cpu_get_E32(c, &i->d), 32, &q, &r);
    cpu_set_r32(c, CPU_EAX, q);
    cpu_set_r32(c, CPU_EDX, r);
}
