/*
 * f80_trans_internal.h - private helpers of the x87 transcendentals
 * (cpu/fpu/f80_trans*.c): 128-bit integer arithmetic, a wide
 * intermediate format with a 128-bit significand, and the operand
 * screening (NaNs, unsupported encodings, denormals) the instructions
 * share.  Pure integer code: the same bits on every host.
 *
 * Error discipline.  Every truncation "jams": when bits are dropped and
 * any of them is non-zero, bit 0 of the kept value is set.  A non-zero
 * quantity therefore never becomes zero, and a value that is not exact
 * never looks exact, so the final f80_round_pack sees the right side of
 * every representable number when the true result lies extremely close
 * to one (sin x = x - x^3/6 for tiny x, and the like) and reports PE.
 * Each primitive is within 2 units of bit 0 of its 128-bit result
 * (relative error < 2^-126); the per-function budgets are in the
 * comments of f80_trans_trig.c and f80_trans_log.c.
 */
#ifndef CPU_FPU_F80_TRANS_INTERNAL_H
#define CPU_FPU_F80_TRANS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/fpu/f80.h"

/** An unsigned 128-bit integer as two 64-bit halves. */
struct f80_u128 {
    uint64_t hi, lo;
};

/** A wide intermediate: (-1)^sign * m / 2^127 * 2^exp, exp unbiased.
 * m has bit 127 set unless the value is zero (m == 0). */
struct f80_wide {
    struct f80_u128 m;
    int32_t exp;
    bool sign;
};

/* Fixed-point formats used by the series: Q0.128 (value = v / 2^128,
 * for quantities in [0, 1)) and Q1.127 (value = v / 2^127, in [0, 2)). */
#define F80_Q127_ONE ((struct f80_u128){0x8000000000000000ull, 0})

static inline bool f80_u128_is_zero(struct f80_u128 a) { return (a.hi | a.lo) == 0; }

static inline int f80_u128_cmp(struct f80_u128 a, struct f80_u128 b)
{
    if (a.hi != b.hi) {
        return a.hi < b.hi ? -1 : 1;
    }
    if (a.lo != b.lo) {
        return a.lo < b.lo ? -1 : 1;
    }
    return 0;
}

static inline struct f80_u128 f80_u128_add(struct f80_u128 a, struct f80_u128 b)
{
    struct f80_u128 r;
    r.lo = a.lo + b.lo;
    r.hi = a.hi + b.hi + (r.lo < a.lo);
    return r;
}

static inline struct f80_u128 f80_u128_sub(struct f80_u128 a, struct f80_u128 b)
{
    struct f80_u128 r;
    r.lo = a.lo - b.lo;
    r.hi = a.hi - b.hi - (a.lo < b.lo);
    return r;
}

/* ---- f80_trans_wide.c --------------------------------------------------- */
/** a >> n, bit 0 jammed with the bits shifted out (any n >= 0). */
struct f80_u128 f80_u128_shr_jam(struct f80_u128 a, unsigned n);
/** a << n (n < 128; bits shifted out are lost: callers know they are 0). */
struct f80_u128 f80_u128_shl(struct f80_u128 a, unsigned n);
/** The full 64 x 64 -> 128-bit product. */
struct f80_u128 f80_u128_mul64(uint64_t a, uint64_t b);
/** The high 128 bits of the 256-bit product a * b, jammed. */
struct f80_u128 f80_u128_mul_hi(struct f80_u128 a, struct f80_u128 b);
/** floor(a / d) for 1 <= d < 2^32, jammed with the remainder. */
struct f80_u128 f80_u128_div_small(struct f80_u128 a, uint32_t d);

/** A finite non-zero extended value as a wide one (denormals and
 * pseudo-denormals normalized). */
struct f80_wide f80_wide_from_f80(f80 a);
/** A Q1.127 fixed-point value (non-zero) as a wide one. */
struct f80_wide f80_wide_from_q127(struct f80_u128 v, bool sign);
/** The small integer v as a wide value (exact). */
struct f80_wide f80_wide_from_int(int32_t v);
/** |a| (exp <= -1, so |a| < 1) as a Q0.128 fixed-point value, jammed. */
struct f80_u128 f80_wide_to_q128(struct f80_wide a);
struct f80_wide f80_wide_mul(struct f80_wide a, struct f80_wide b);
/** a / b, b non-zero. */
struct f80_wide f80_wide_div(struct f80_wide a, struct f80_wide b);
/** a + b (signs included); exact cancellation gives +0. */
struct f80_wide f80_wide_add(struct f80_wide a, struct f80_wide b);
static inline struct f80_wide f80_wide_neg(struct f80_wide a)
{
    a.sign = !a.sign;
    return a;
}
static inline struct f80_wide f80_wide_sub(struct f80_wide a, struct f80_wide b)
{
    return f80_wide_add(a, f80_wide_neg(b));
}
/** pi with a 128-bit significand (the true value, truncated and jammed). */
struct f80_wide f80_wide_pi(void);
/** ln 2 and 2 / ln 2 likewise. */
struct f80_wide f80_wide_ln2(void);
struct f80_wide f80_wide_2_over_ln2(void);
/** Round a wide value to extended precision (64 bits whatever env->pc,
 * SDM vol. 1, 8.1.5.2) through f80_round_pack; zero gives +/-0. */
f80 f80_wide_round(struct f80_wide a, struct f80_env *e);

/* ---- f80_trans.c: operand screening ------------------------------------- */
/** Operand classes after screening. */
enum f80_tclass { F80_T_ZERO, F80_T_FINITE, F80_T_INF, F80_T_NAN };
/** Classify one operand of a transcendental; raises DE for a denormal.
 * Unsupported encodings are returned as F80_T_NAN with *res the real
 * indefinite and IE raised; an SNaN is quieted in *res with IE. */
enum f80_tclass f80_trans_class1(f80 a, f80 *res, struct f80_env *e);
/** The class of a supported, non-NaN operand (no flags). */
enum f80_tclass f80_trans_class0(f80 a);
/** Two-operand screening (FPATAN, FYL2X, FYL2XP1; a = ST(1), b = ST(0)):
 * returns true when the result is a NaN, in *res: the real indefinite
 * for an unsupported operand (IE); otherwise per SDM vol. 1, table 4-7
 * (IE for an SNaN; an SNaN and a QNaN give the QNaN; two of a kind the
 * larger significand).  Otherwise classifies both in *ca, *cb and raises
 * nothing: the caller raises DE with f80_trans_de2 once it knows the
 * operation is not invalid (a real x87 reports IE alone then). */
bool f80_trans_nan2(f80 a, f80 b, f80 *res, enum f80_tclass *ca, enum f80_tclass *cb,
                    struct f80_env *e);
/** DE when either operand is a denormal. */
void f80_trans_de2(f80 a, f80 b, struct f80_env *e);
/** The masked invalid-operation response: IE and the real indefinite. */
f80 f80_trans_invalid(struct f80_env *e);
/** Report r as an inexact result although it may be exactly
 * representable (the P6's habit in the cases the callers document): PE,
 * and UE when r is denormal (a tiny inexact result).  C1 is the
 * caller's (the rounding's, or cleared for a value returned as is). */
f80 f80_trans_inexact(f80 r, struct f80_env *e);
/** True when an unmasked IE, DE or ZE has been raised: the x87 stops
 * before computing (f80.h: only that exception is reported, C1 false,
 * and the destination is left alone). */
bool f80_trans_stop(const struct f80_env *e);
/** A signed zero / infinity. */
static inline f80 f80_trans_zero(bool sign) { return (f80){0, (uint16_t)(sign ? 0x8000u : 0)}; }
static inline f80 f80_trans_inf(bool sign)
{
    return (f80){0x8000000000000000ull, (uint16_t)(sign ? 0xFFFFu : 0x7FFFu)};
}

#endif
