/*
 * x87_arith.c - x87 arithmetic (SDM vol. 1, 8.3.5-8.3.10; vol. 2, the F*
 * instruction pages): the basic operations in all their forms, compares
 * and classification, the other single-register operations, partial
 * remainders, and the transcendentals.  The arithmetic is cpu/fpu/f80.h;
 * this file picks the operands, applies the stack rules and sets the
 * condition codes.
 */
#include "cpu/x87_internal.h"

/* ------------------------------------------------------------------ */
/* FADD FMUL FSUB FSUBR FDIV FDIVR                                     */

enum x87_aop { X87_ADD, X87_MUL, X87_SUB, X87_SUBR, X87_DIV, X87_DIVR };

static f80 x87_aop_do(enum x87_aop k, f80 a, f80 b, struct f80_env *e)
{
    switch (k) {
    case X87_ADD: return f80_add(a, b, e);
    case X87_MUL: return f80_mul(a, b, e);
    case X87_SUB: return f80_sub(a, b, e);
    case X87_SUBR: return f80_sub(b, a, e);
    case X87_DIV: return f80_div(a, b, e);
    default: return f80_div(b, a, e); /* X87_DIVR */
    }
}

/* dst = dst OP src (registers), pop afterwards for the P forms.  An
 * empty operand is a stack underflow: masked, the destination gets the
 * indefinite (and the P forms still pop); unmasked, nothing changes. */
static void x87_arith_reg(struct cpu *c, enum x87_aop k, unsigned dst, unsigned src, bool pop)
{
    if (x87_empty(c, dst) || x87_empty(c, src)) {
        if (x87_underflow(c)) {
            x87_set_st(c, dst, x87_indefinite());
            if (pop)
                x87_pop(c);
        }
        return;
    }
    struct f80_env e;
    x87_env(c, &e);
    f80 r = x87_aop_do(k, x87_st(c, dst), x87_st(c, src), &e);
    if (!x87_exceptions(c, &e, false))
        return;
    x87_set_st(c, dst, r);
    if (pop)
        x87_pop(c);
}

/* The m32fp/m64fp/m16int/m32int source operand of an arithmetic or
 * compare instruction, as an extended value, read before anything
 * changes.  Two things the plain conversions (which quiet an SNaN and
 * flag a denormal at once) would get wrong, as the host x87 shows:
 *  - an SNaN operand keeps its SNaN-ness, so that the operation applies
 *    the NaN rules to the operands as they are (SNaN and QNaN give the
 *    QNaN; two SNaNs the larger significand; SDM vol. 1, table 4-7) and
 *    raises IE itself; widening a NaN is exact (fraction shifted up);
 *  - a denormal operand's DE is raised only when ST(0) is not a NaN (or
 *    an unsupported encoding): *de tells the caller. */
static f80 x87_mem_source(struct cpu *c, const struct cpu_insn *i, bool *de)
{
    unsigned seg = i->d.seg;
    uint32_t off = cpu_ea(c, &i->d);
    struct f80_env conv;
    x87_env(c, &conv);
    conv.masks = X87_EXC_MASK;
    f80 b;
    switch (i->d.op) {
    case DEC_FADD_Md: case DEC_FMUL_Md: case DEC_FSUB_Md: case DEC_FSUBR_Md:
    case DEC_FDIV_Md: case DEC_FDIVR_Md: case DEC_FCOM_Md: case DEC_FCOMP_Md: {
        uint32_t v = cpu_read32(c, seg, off);
        if ((v & 0x7FC00000u) == 0x7F800000u && (v & 0x003FFFFFu))
            return (f80){(1ull << 63) | ((uint64_t)(v & 0x003FFFFFu) << 40),
                         (uint16_t)((v >> 16 & 0x8000u) | 0x7FFFu)};
        b = f80_from_f32(v, &conv);
        break;
    }
    case DEC_FADD_Mq: case DEC_FMUL_Mq: case DEC_FSUB_Mq: case DEC_FSUBR_Mq:
    case DEC_FDIV_Mq: case DEC_FDIVR_Mq: case DEC_FCOM_Mq: case DEC_FCOMP_Mq: {
        uint64_t v = x87_read64(c, seg, off);
        if ((v & 0x7FF8000000000000ull) == 0x7FF0000000000000ull && (v & 0x0007FFFFFFFFFFFFull))
            return (f80){(1ull << 63) | ((v & 0x0007FFFFFFFFFFFFull) << 11),
                         (uint16_t)((v >> 48 & 0x8000u) | 0x7FFFu)};
        b = f80_from_f64(v, &conv);
        break;
    }
    case DEC_FIADD_Md: case DEC_FIMUL_Md: case DEC_FISUB_Md: case DEC_FISUBR_Md:
    case DEC_FIDIV_Md: case DEC_FIDIVR_Md: case DEC_FICOM_Md: case DEC_FICOMP_Md:
        b = f80_from_int((int32_t)cpu_read32(c, seg, off));
        break;
    default: /* the m16int forms */
        b = f80_from_int((int16_t)cpu_read16(c, seg, off));
        break;
    }
    *de = (conv.flags & F80_DE) != 0;
    return b;
}

/* The denormal exception of a memory source (see x87_mem_source). */
static void x87_mem_source_de(const struct cpu *c, bool de, struct f80_env *e)
{
    f80 a = x87_st(c, 0);
    if (de && !f80_is_nan(a) && !f80_is_unsupported(a))
        e->flags |= F80_DE;
}

/* ST(0) = ST(0) OP m32fp/m64fp/m16int/m32int. */
static void x87_arith_mem(struct cpu *c, const struct cpu_insn *i, enum x87_aop k)
{
    bool de = false;
    f80 b = x87_mem_source(c, i, &de);
    if (x87_empty(c, 0)) {
        if (x87_underflow(c))
            x87_set_st(c, 0, x87_indefinite());
        return;
    }
    struct f80_env e;
    x87_env(c, &e);
    x87_mem_source_de(c, de, &e);
    f80 r = x87_aop_do(k, x87_st(c, 0), b, &e);
    if (x87_exceptions(c, &e, false))
        x87_set_st(c, 0, r);
}

/* ------------------------------------------------------------------ */
/* Compares                                                            */

/* C3 C2 C0 of FCOM & co (SDM vol. 2, FCOM, table 3-21). */
static unsigned x87_cmp_cc(enum f80_cmp r)
{
    switch (r) {
    case F80_GT: return 0;
    case F80_LT: return X87_SW_C0;
    case F80_EQ: return X87_SW_C3;
    default: return X87_SW_C3 | X87_SW_C2 | X87_SW_C0;
    }
}

/* FCOM, FCOMP, FCOMPP, FUCOM and co, FICOM, FTST: compare ST(0) with b,
 * set the condition codes (C1 = 0), pop `pops` times.  With an unmasked
 * invalid-operand (stack underflow included) or denormal exception the
 * condition codes are still set (unordered for IE) but nothing is popped: so does real hardware
 * (the host x87 in tests/x87/test_x87_diff.c), though SDM vol. 2, FCOM
 * says the flags are not set. */
static void x87_fcom(struct cpu *c, f80 b, bool b_empty, bool quiet, unsigned pops,
                     struct f80_env *e)
{
    if (x87_empty(c, 0) || b_empty) {
        bool masked = x87_underflow(c);
        x87_set_cc(c, X87_SW_C3 | X87_SW_C2 | X87_SW_C0);
        while (masked && pops--)
            x87_pop(c);
        return;
    }
    enum f80_cmp r = f80_compare(x87_st(c, 0), b, quiet, e);
    bool ok = x87_exceptions(c, e, false);
    x87_set_cc(c, x87_cmp_cc(r));
    while (ok && pops--)
        x87_pop(c);
}

static void x87_fcom_mem(struct cpu *c, const struct cpu_insn *i, unsigned pops)
{
    bool de = false;
    f80 b = x87_mem_source(c, i, &de);
    struct f80_env e;
    x87_env(c, &e);
    if (!x87_empty(c, 0))
        x87_mem_source_de(c, de, &e);
    x87_fcom(c, b, false, false, pops, &e);
}

static void x87_fcom_reg(struct cpu *c, unsigned st, bool quiet, unsigned pops)
{
    struct f80_env e;
    x87_env(c, &e);
    x87_fcom(c, x87_st(c, st), x87_empty(c, st), quiet, pops, &e);
}

/* FCOMI/FCOMIP/FUCOMI/FUCOMIP (P6): ZF PF CF as FCOM's C3 C2 C0, OF SF
 * AF cleared (SDM vol. 2, FCOMI); C1 = 0.  Unmasked exceptions: EFLAGS
 * set all the same, no pop (as FCOM above). */
static void x87_fcomi(struct cpu *c, unsigned st, bool quiet, bool pop)
{
    const uint32_t all = CPU_FL_OF | CPU_FL_SF | CPU_FL_ZF | CPU_FL_AF | CPU_FL_PF | CPU_FL_CF;
    const uint32_t un = CPU_FL_ZF | CPU_FL_PF | CPU_FL_CF;
    if (x87_empty(c, 0) || x87_empty(c, st)) {
        bool masked = x87_underflow(c);
        cpu_write_eflags(c, un, all);
        if (masked && pop)
            x87_pop(c);
        return;
    }
    struct f80_env e;
    x87_env(c, &e);
    enum f80_cmp r = f80_compare(x87_st(c, 0), x87_st(c, st), quiet, &e);
    bool ok = x87_exceptions(c, &e, false);
    uint32_t fl = r == F80_LT ? CPU_FL_CF : r == F80_EQ ? CPU_FL_ZF : r == F80_UN ? un : 0;
    cpu_write_eflags(c, fl, all);
    if (ok && pop)
        x87_pop(c);
}

/* FXAM: C1 = sign, C3 C2 C0 = class (SDM vol. 2, FXAM, table 3-45).
 * Pseudo-denormals show as denormals, the other unsupported encodings
 * as unsupported (000). */
static void x87_fxam(struct cpu *c)
{
    f80 v = x87_st(c, 0);
    unsigned cc;
    if (x87_empty(c, 0))
        cc = X87_SW_C3 | X87_SW_C0;
    else if (f80_is_unsupported(v))
        cc = 0;
    else if (f80_is_nan(v))
        cc = X87_SW_C0;
    else if (f80_is_inf(v))
        cc = X87_SW_C2 | X87_SW_C0;
    else if (f80_is_zero(v))
        cc = X87_SW_C3;
    else if (f80_is_denormal(v))
        cc = X87_SW_C3 | X87_SW_C2;
    else
        cc = X87_SW_C2;
    if (f80_sign(v))
        cc |= X87_SW_C1;
    x87_set_cc(c, cc);
}

/* ------------------------------------------------------------------ */
/* Single-register operations                                          */

enum x87_uop { X87_CHS, X87_ABS, X87_SQRT, X87_RNDINT, X87_SIN, X87_COS, X87_F2XM1 };

static void x87_unary(struct cpu *c, enum x87_uop k)
{
    if (x87_empty(c, 0)) {
        if (x87_underflow(c))
            x87_set_st(c, 0, x87_indefinite());
        return;
    }
    f80 a = x87_st(c, 0), r;
    struct f80_env e;
    x87_env(c, &e);
    bool oor = false;
    switch (k) {
    case X87_CHS: /* sign only, no exception even for an SNaN */
        x87_clear_c1(c);
        x87_set_st(c, 0, (f80){a.sig, (uint16_t)(a.se ^ 0x8000u)});
        return;
    case X87_ABS:
        x87_clear_c1(c);
        x87_set_st(c, 0, (f80){a.sig, (uint16_t)(a.se & 0x7FFFu)});
        return;
    case X87_SQRT: r = f80_sqrt(a, &e); break;
    case X87_RNDINT: r = f80_round_int(a, &e); break;
    case X87_SIN: r = f80_sin(a, &oor, &e); break;
    case X87_COS: r = f80_cos(a, &oor, &e); break;
    default: r = f80_2xm1(a, &e); break;
    }
    if (k == X87_SIN || k == X87_COS) {
        /* |x| >= 2^63: C2 = 1 and ST(0) unchanged (SDM vol. 2, FSIN). */
        if (oor) {
            x87_clear_c1(c);
            c->fpu.sw |= X87_SW_C2;
            return;
        }
        c->fpu.sw &= (uint16_t)~X87_SW_C2;
    }
    if (x87_exceptions(c, &e, false))
        x87_set_st(c, 0, r);
}

/* FTST: compare ST(0) with +0.0. */
static void x87_ftst(struct cpu *c)
{
    struct f80_env e;
    x87_env(c, &e);
    x87_fcom(c, (f80){0, 0}, false, false, 0, &e);
}

/* Two-register operations with the result in ST(0) (FSCALE, FPREM,
 * FPREM1) or in ST(1) followed by a pop (FPATAN, FYL2X, FYL2XP1). */
enum x87_bop { X87_SCALE, X87_PREM, X87_PREM1, X87_PATAN, X87_YL2X, X87_YL2XP1 };

static void x87_binary(struct cpu *c, enum x87_bop k)
{
    bool to_st1 = k == X87_PATAN || k == X87_YL2X || k == X87_YL2XP1;
    if (x87_empty(c, 0) || x87_empty(c, 1)) {
        if (x87_underflow(c)) {
            x87_set_st(c, to_st1 ? 1 : 0, x87_indefinite());
            if (to_st1)
                x87_pop(c);
        }
        return;
    }
    f80 a = x87_st(c, 0), b = x87_st(c, 1), r;
    struct f80_env e;
    x87_env(c, &e);
    unsigned q = 0;
    bool incomplete = false;
    switch (k) {
    case X87_SCALE: r = f80_scale(a, b, &e); break;
    case X87_PREM: r = f80_prem(a, b, false, &q, &incomplete, &e); break;
    case X87_PREM1: r = f80_prem(a, b, true, &q, &incomplete, &e); break;
    case X87_PATAN: r = f80_atan2(b, a, &e); break;
    case X87_YL2X: r = f80_yl2x(b, a, &e); break;
    default: r = f80_yl2xp1(b, a, &e); break;
    }
    if (!x87_exceptions(c, &e, false))
        return;
    if (k == X87_PREM || k == X87_PREM1) {
        /* C2 = incomplete; when complete, Q2 Q1 Q0 -> C0 C3 C1 (SDM vol.
         * 2, FPREM); the quotient bits read 0 while incomplete. */
        unsigned cc = 0;
        if (incomplete)
            cc = X87_SW_C2;
        else
            cc = ((q & 4) ? X87_SW_C0 : 0) | ((q & 2) ? X87_SW_C3 : 0) | ((q & 1) ? X87_SW_C1 : 0);
        x87_set_cc(c, cc);
    }
    x87_set_st(c, to_st1 ? 1 : 0, r);
    if (to_st1)
        x87_pop(c);
}

/* FXTRACT, FPTAN, FSINCOS: ST(0) is replaced and a second value pushed.
 * Stack underflow (ST(0) empty) or overflow (ST(7) in use): the masked
 * response leaves the indefinite in both (SDM vol. 2, FXTRACT). */
enum x87_pop2 { X87_XTRACT, X87_PTAN, X87_SINCOS };

static void x87_push2(struct cpu *c, enum x87_pop2 k)
{
    if (x87_empty(c, 0) || !x87_empty(c, 7)) {
        bool masked = x87_empty(c, 0) ? x87_underflow(c) : x87_overflow(c);
        if (masked) {
            x87_set_st(c, 0, x87_indefinite());
            x87_push(c);
            x87_set_st(c, 0, x87_indefinite());
        }
        return;
    }
    f80 a = x87_st(c, 0), lo, hi; /* ST(1) and ST(0) afterwards */
    struct f80_env e;
    x87_env(c, &e);
    bool oor = false;
    switch (k) {
    case X87_XTRACT:
        f80_xtract(a, &lo, &hi, &e);
        break;
    case X87_PTAN:
        lo = f80_tan(a, &oor, &e);
        hi = f80_const(F80_ONE, F80_RC_NEAR);
        break;
    default:
        f80_sincos(a, &lo, &hi, &oor, &e);
        break;
    }
    if (k != X87_XTRACT) {
        if (oor) {
            /* Out of range: C2 = 1, the operand stays, nothing is pushed. */
            x87_clear_c1(c);
            c->fpu.sw |= X87_SW_C2;
            return;
        }
        c->fpu.sw &= (uint16_t)~X87_SW_C2;
    }
    if (!x87_exceptions(c, &e, false))
        return;
    /* FPTAN of a NaN leaves the NaN in both registers instead of pushing
     * 1.0 (as Bochs does; the SDM only says the result is a NaN); FXTRACT
     * of a NaN gets the NaN in both from the core. */
    if (k == X87_PTAN && f80_is_nan(lo))
        hi = lo;
    x87_set_st(c, 0, lo);
    x87_push(c);
    x87_set_st(c, 0, hi);
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */

bool x87_exec_arith(struct cpu *c, const struct cpu_insn *i)
{
    unsigned st = i->d.rm;
    switch (i->d.op) {
    /* ST(0), ST(i) */
    case DEC_FADD_ST0STi: x87_arith_reg(c, X87_ADD, 0, st, false); return true;
    case DEC_FMUL_ST0STi: x87_arith_reg(c, X87_MUL, 0, st, false); return true;
    case DEC_FSUB_ST0STi: x87_arith_reg(c, X87_SUB, 0, st, false); return true;
    case DEC_FSUBR_ST0STi: x87_arith_reg(c, X87_SUBR, 0, st, false); return true;
    case DEC_FDIV_ST0STi: x87_arith_reg(c, X87_DIV, 0, st, false); return true;
    case DEC_FDIVR_ST0STi: x87_arith_reg(c, X87_DIVR, 0, st, false); return true;
    /* ST(i), ST(0) */
    case DEC_FADD_STiST0: x87_arith_reg(c, X87_ADD, st, 0, false); return true;
    case DEC_FMUL_STiST0: x87_arith_reg(c, X87_MUL, st, 0, false); return true;
    case DEC_FSUB_STiST0: x87_arith_reg(c, X87_SUB, st, 0, false); return true;
    case DEC_FSUBR_STiST0: x87_arith_reg(c, X87_SUBR, st, 0, false); return true;
    case DEC_FDIV_STiST0: x87_arith_reg(c, X87_DIV, st, 0, false); return true;
    case DEC_FDIVR_STiST0: x87_arith_reg(c, X87_DIVR, st, 0, false); return true;
    case DEC_FADDP_STiST0: x87_arith_reg(c, X87_ADD, st, 0, true); return true;
    case DEC_FMULP_STiST0: x87_arith_reg(c, X87_MUL, st, 0, true); return true;
    case DEC_FSUBP_STiST0: x87_arith_reg(c, X87_SUB, st, 0, true); return true;
    case DEC_FSUBRP_STiST0: x87_arith_reg(c, X87_SUBR, st, 0, true); return true;
    case DEC_FDIVP_STiST0: x87_arith_reg(c, X87_DIV, st, 0, true); return true;
    case DEC_FDIVRP_STiST0: x87_arith_reg(c, X87_DIVR, st, 0, true); return true;
    /* memory operands */
    case DEC_FADD_Md: case DEC_FADD_Mq: case DEC_FIADD_Md: case DEC_FIADD_Mw:
        x87_arith_mem(c, i, X87_ADD);
        return true;
    case DEC_FMUL_Md: case DEC_FMUL_Mq: case DEC_FIMUL_Md: case DEC_FIMUL_Mw:
        x87_arith_mem(c, i, X87_MUL);
        return true;
    case DEC_FSUB_Md: case DEC_FSUB_Mq: case DEC_FISUB_Md: case DEC_FISUB_Mw:
        x87_arith_mem(c, i, X87_SUB);
        return true;
    case DEC_FSUBR_Md: case DEC_FSUBR_Mq: case DEC_FISUBR_Md: case DEC_FISUBR_Mw:
        x87_arith_mem(c, i, X87_SUBR);
        return true;
    case DEC_FDIV_Md: case DEC_FDIV_Mq: case DEC_FIDIV_Md: case DEC_FIDIV_Mw:
        x87_arith_mem(c, i, X87_DIV);
        return true;
    case DEC_FDIVR_Md: case DEC_FDIVR_Mq: case DEC_FIDIVR_Md: case DEC_FIDIVR_Mw:
        x87_arith_mem(c, i, X87_DIVR);
        return true;
    /* compares (FCOM2/FCOMP3 are the undocumented DC/DE aliases) */
    case DEC_FCOM_ST0STi: case DEC_FCOM2_STi: x87_fcom_reg(c, st, false, 0); return true;
    case DEC_FCOMP_ST0STi: case DEC_FCOMP3_STi: x87_fcom_reg(c, st, false, 1); return true;
    case DEC_FCOMPP: x87_fcom_reg(c, 1, false, 2); return true;
    case DEC_FUCOM_STi: x87_fcom_reg(c, st, true, 0); return true;
    case DEC_FUCOMP_STi: x87_fcom_reg(c, st, true, 1); return true;
    case DEC_FUCOMPP: x87_fcom_reg(c, 1, true, 2); return true;
    case DEC_FCOM_Md: case DEC_FCOM_Mq: case DEC_FICOM_Md: case DEC_FICOM_Mw:
        x87_fcom_mem(c, i, 0);
        return true;
    case DEC_FCOMP_Md: case DEC_FCOMP_Mq: case DEC_FICOMP_Md: case DEC_FICOMP_Mw:
        x87_fcom_mem(c, i, 1);
        return true;
    case DEC_FCOMI_ST0STi: x87_fcomi(c, st, false, false); return true;
    case DEC_FCOMIP_ST0STi: x87_fcomi(c, st, false, true); return true;
    case DEC_FUCOMI_ST0STi: x87_fcomi(c, st, true, false); return true;
    case DEC_FUCOMIP_ST0STi: x87_fcomi(c, st, true, true); return true;
    case DEC_FTST: x87_ftst(c); return true;
    case DEC_FXAM: x87_fxam(c); return true;
    /* single register */
    case DEC_FCHS: x87_unary(c, X87_CHS); return true;
    case DEC_FABS: x87_unary(c, X87_ABS); return true;
    case DEC_FSQRT: x87_unary(c, X87_SQRT); return true;
    case DEC_FRNDINT: x87_unary(c, X87_RNDINT); return true;
    case DEC_FSCALE: x87_binary(c, X87_SCALE); return true;
    case DEC_FPREM: x87_binary(c, X87_PREM); return true;
    case DEC_FPREM1: x87_binary(c, X87_PREM1); return true;
    case DEC_FXTRACT: x87_push2(c, X87_XTRACT); return true;
    default:
        return false;
    }
}

bool x87_exec_trans(struct cpu *c, const struct cpu_insn *i)
{
    switch (i->d.op) {
    case DEC_FSIN: x87_unary(c, X87_SIN); return true;
    case DEC_FCOS: x87_unary(c, X87_COS); return true;
    case DEC_F2XM1: x87_unary(c, X87_F2XM1); return true;
    case DEC_FPTAN: x87_push2(c, X87_PTAN); return true;
    case DEC_FSINCOS: x87_push2(c, X87_SINCOS); return true;
    case DEC_FPATAN: x87_binary(c, X87_PATAN); return true;
    case DEC_FYL2X: x87_binary(c, X87_YL2X); return true;
    case DEC_FYL2XP1: x87_binary(c, X87_YL2XP1); return true;
    default:
        return false;
    }
}
