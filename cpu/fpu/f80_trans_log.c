/*
 * f80_trans_log.c - F2XM1, FYL2X and FYL2XP1 in software (SDM vol. 2,
 * the instruction pages and their result tables; vol. 1, 8.3.10).
 *
 * F2XM1: 2^x - 1 = t * E(t), t = x ln 2 (|t| <= ln 2 on the documented
 * domain), E(t) = (e^t - 1) / t = 1 + t/2 (1 + t/3 (1 + ...)), 31 factors
 * in Q1.127.  Omitted terms: below ln2^30 / 31! < 2^-128; each step adds
 * at most 2 units of 2^-127 damped by |t|/n <= 0.35; t and the final
 * product 2^-126 each: relative error under 2^-124.
 *
 * Logarithms: v = m 2^k with m in [sqrt(2)/2, sqrt(2)), u = (m - 1) /
 * (m + 1) (|u| <= 0.1716; m - 1 and m + 1 are exact), then
 *   log2 m = (2 / ln 2) * u * (1 + w/3 + w^2/5 + ...), w = u^2 <= 0.0295,
 * 25 terms (omitted: w^25 / 51 < 2^-132); the Horner steps add 2 units
 * of 2^-127 each, damped by w; the quotient, the constant and the
 * products 2^-126 each: relative error under 2^-123.  log2 v = k +
 * log2 m has no cancellation (|log2 m| <= 1/2 <= |k| when k != 0).
 * FYL2XP1 on its domain takes u = x / (2 + x) directly, so tiny x keeps
 * its full relative precision.  The final products with y add 2^-126.
 */
#include "cpu/fpu/f80_trans_internal.h"

/* sqrt(2) with a 128-bit significand (exponent 0), truncated. */
static const struct f80_u128 log_sqrt2 = {0xB504F333F9DE6484ull, 0x597D89B3754ABE9Full};

static f80 log_one(bool sign)
{
    return (f80){0x8000000000000000ull, (uint16_t)(F80_EXP_BIAS | (sign ? 0x8000u : 0))};
}

f80 f80_2xm1(f80 a, struct f80_env *e)
{
    f80 res;
    struct f80_wide t;
    struct f80_u128 tq, u = F80_Q127_ONE;
    e->c1 = false;
    switch (f80_trans_class1(a, &res, e)) {
    case F80_T_NAN:
        return res;
    case F80_T_ZERO:
        return a;
    case F80_T_INF:
        /* Outside the documented domain; 2^x - 1 has the limits -1
         * and +inf, which is what the P6 returns. */
        return f80_sign(a) ? log_one(true) : a;
    case F80_T_FINITE:
        break;
    }
    if (f80_trans_stop(e)) {
        /* Unmasked DE: nothing is computed. */
        return a;
    }
    if (f80_exp(a) >= F80_EXP_BIAS) {
        /* |x| >= 1.  The exact ends 2^1 - 1 = 1 and 2^-1 - 1 = -1/2 come
         * with PE, as the P6 computes them like any other point; beyond
         * them (undefined in the SDM) it returns x unchanged with PE.
         * Both measured on the host x87. */
        e->c1 = false;
        if (a.sig == 0x8000000000000000ull && f80_exp(a) == F80_EXP_BIAS) {
            a = f80_sign(a) ? (f80){a.sig, 0x8000u | (F80_EXP_BIAS - 1)} : a;
        }
        return f80_trans_inexact(a, e);
    }
    t = f80_wide_mul(f80_wide_from_f80(a), f80_wide_ln2());
    tq = f80_wide_to_q128(t);
    for (uint32_t n = 31; n >= 2; n--) {
        struct f80_u128 p = f80_u128_div_small(f80_u128_mul_hi(tq, u), n);
        u = t.sign ? f80_u128_sub(F80_Q127_ONE, p) : f80_u128_add(F80_Q127_ONE, p);
    }
    return f80_wide_round(f80_wide_mul(t, f80_wide_from_q127(u, false)), e);
}

/* log2(1 + ...) from u: (2 / ln 2) * u * (1 + w/3 + w^2/5 + ...). */
static struct f80_wide log_atanh2(struct f80_wide u)
{
    struct f80_u128 w, s;
    if (f80_u128_is_zero(u.m)) {
        return u;
    }
    w = f80_wide_to_q128(f80_wide_mul(u, u));
    s = f80_u128_div_small(F80_Q127_ONE, 2 * 25 + 1);
    for (uint32_t k = 25; k-- > 0;) {
        s = f80_u128_add(f80_u128_div_small(F80_Q127_ONE, 2 * k + 1), f80_u128_mul_hi(w, s));
    }
    return f80_wide_mul(f80_wide_mul(u, f80_wide_from_q127(s, false)), f80_wide_2_over_ln2());
}

/* log2 v for a positive wide v. */
static struct f80_wide log_log2(struct f80_wide v)
{
    int32_t k = v.exp;
    struct f80_wide one = f80_wide_from_int(1), u;
    v.exp = 0;
    if (f80_u128_cmp(v.m, log_sqrt2) > 0) {
        v.exp = -1;
        k++;
    }
    u = f80_wide_div(f80_wide_sub(v, one), f80_wide_add(v, one));
    if (f80_u128_is_zero(u.m) && k < 0) {
        /* log2 2^k for k < 0: the P6 family's result lies just below
         * |k| (it reports PE, and C1 = 1 when rounding to nearest gives
         * |k|), so a directed rounding toward zero yields the value
         * next to k.  Modelled by a jammed bit below k. */
        struct f80_wide kw = f80_wide_from_int(k);
        return f80_wide_add(kw, (struct f80_wide){kw.m, kw.exp - 200, false});
    }
    return f80_wide_add(f80_wide_from_int(k), log_atanh2(u));
}

/* The finite results of FYL2X and FYL2XP1 always report PE on the P6
 * family, even when exact (y * log2 2^k, measured on the host x87). */
static f80 log_result(struct f80_wide v, struct f80_env *e)
{
    return f80_trans_inexact(f80_wide_round(v, e), e);
}

/* FYL2X, SDM vol. 2 table "FYL2X Results": y = ST(1), x = ST(0). */
f80 f80_yl2x(f80 y, f80 x, struct f80_env *e)
{
    f80 res;
    enum f80_tclass cy, cx;
    bool sy = f80_sign(y), sx = f80_sign(x), below_one;
    e->c1 = false;
    if (f80_trans_nan2(y, x, &res, &cy, &cx, e)) {
        return res;
    }
    if (sx && cx != F80_T_ZERO) {
        return f80_trans_invalid(e);
    }
    if ((cx == F80_T_ZERO && cy == F80_T_ZERO) || (cx == F80_T_INF && cy == F80_T_ZERO) ||
        (cy == F80_T_INF && x.sig == 0x8000000000000000ull && f80_exp(x) == F80_EXP_BIAS)) {
        /* 0 * inf in disguise: log2 0, log2 inf, log2 1 = 0. */
        return f80_trans_invalid(e);
    }
    if (cx == F80_T_ZERO && cy == F80_T_FINITE) {
        /* ZE, and then the P6 does not report DE for a denormal y. */
        e->flags |= F80_ZE;
        return f80_trans_inf(!sy);
    }
    f80_trans_de2(y, x, e);
    if (f80_trans_stop(e)) {
        return x;
    }
    if (cx == F80_T_ZERO) {
        return f80_trans_inf(!sy);
    }
    if (cx == F80_T_INF) {
        return f80_trans_inf(sy);
    }
    if (x.sig == 0x8000000000000000ull && f80_exp(x) == F80_EXP_BIAS) {
        /* log2 1 = +0, exact. */
        return f80_trans_zero(sy);
    }
    below_one = f80_exp(x) < F80_EXP_BIAS;
    if (cy == F80_T_INF) {
        return f80_trans_inf(sy != below_one);
    }
    if (cy == F80_T_ZERO) {
        return f80_trans_zero(sy != below_one);
    }
    return log_result(f80_wide_mul(f80_wide_from_f80(y), log_log2(f80_wide_from_f80(x))), e);
}

/* FYL2XP1, SDM vol. 2 table "FYL2XP1 Results": y = ST(1), x = ST(0);
 * documented for |x| < 1 - sqrt(2)/2.  Outside it the result is
 * undefined; the P6 family returns y * log2(1 + x) while 1 + x > 0,
 * and we do the same. */
f80 f80_yl2xp1(f80 y, f80 x, struct f80_env *e)
{
    f80 res;
    enum f80_tclass cy, cx;
    bool sy = f80_sign(y), sx = f80_sign(x);
    struct f80_wide wx, l;
    e->c1 = false;
    if (f80_trans_nan2(y, x, &res, &cy, &cx, e)) {
        return res;
    }
    if ((cx == F80_T_ZERO && cy == F80_T_INF) || (cx == F80_T_INF && (sx || cy == F80_T_ZERO))) {
        return f80_trans_invalid(e);
    }
    f80_trans_de2(y, x, e);
    if (f80_trans_stop(e)) {
        return x;
    }
    if (cx == F80_T_ZERO) {
        return f80_trans_zero(sy != sx);
    }
    if (cx == F80_T_INF) {
        return f80_trans_inf(sy);
    }
    wx = f80_wide_from_f80(x);
    if (wx.exp >= -2) {
        /* |x| >= 1/4: through 1 + x, exact for |x| < 2^63 and normalized
         * into [sqrt(2)/2, sqrt(2)) by log_log2, so |u| <= 0.1716 also
         * outside the domain (|x| / (2 + x) would reach 1/3 at -1/2). */
        struct f80_wide v = f80_wide_add(wx, f80_wide_from_int(1));
        if (v.sign || f80_u128_is_zero(v.m)) {
            /* x <= -1 (undefined in the SDM): the P6 family treats
             * log2(1 + x) as a negative number for an infinite or zero
             * y, and otherwise returns x unchanged with PE (measured on
             * the host x87). */
            if (cy == F80_T_INF) {
                return f80_trans_inf(!sy);
            }
            if (cy == F80_T_ZERO) {
                return f80_trans_zero(!sy);
            }
            e->c1 = false;
            return f80_trans_inexact(x, e);
        }
        l = log_log2(v);
    } else {
        l = log_atanh2(f80_wide_div(wx, f80_wide_add(wx, f80_wide_from_int(2))));
    }
    if (cy == F80_T_INF) {
        return f80_trans_inf(sy != l.sign);
    }
    if (cy == F80_T_ZERO) {
        return f80_trans_zero(sy != l.sign);
    }
    return log_result(f80_wide_mul(f80_wide_from_f80(y), l), e);
}
