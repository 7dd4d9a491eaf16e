/*
 * f80_trans_trig.c - FSIN, FCOS, FSINCOS, FPTAN and FPATAN in software
 * (SDM vol. 2, the instruction pages; vol. 1, 8.3.10).
 *
 * Argument reduction.  The P6 does not reduce with the true pi: it
 * computes the exact remainder of x modulo pi/2 taken with a 66-bit
 * significand (pi66 = floor(pi * 2^64) / 2^64), so results near
 * multiples of pi/2 reflect pi66 rather than pi (SDM vol. 1, 8.3.10
 * notes the limited-precision reduction).  We do the same: x is divided
 * exactly by P = pi66 / 2, the quotient rounded to the nearest integer
 * k, and r = x - k * P is exact (a 66-bit integer times 2^-65), so only
 * the kernels below round.
 *
 * Kernels, |r| <= P/2 < 0.7854, z = r^2 < 0.617 in Q0.128:
 *   sin r = r * (1 - z/(2*3) * (1 - z/(4*5) * (1 - ...)))   16 factors
 *   cos r =      1 - z/(1*2) * (1 - z/(3*4) * (1 - ...))    17 factors
 * Error budget (relative, of the 128-bit result): the omitted terms are
 * below r^32/33! < 2^-134 and r^34/34! < 2^-140; each Horner step adds
 * at most 2 units of 2^-127 (the jammed product and quotient), and
 * earlier errors are damped by z/(2k(2k+1)) < 0.11, so the polynomial is
 * within 2^-124.5; z carries 2^-127 and the final product 2^-126.  In all
 * under 2^-123, far below the 2^-64 of an extended-precision ulp: the
 * result is faithfully rounded always and correctly rounded unless the
 * true value lies within 2^-123 (relative) of a rounding boundary.
 */
#include "cpu/fpu/f80_trans_internal.h"

/* P = pi66 / 2 = TRIG_P * 2^-65 (a 66-bit integer). */
static const struct f80_u128 trig_p = {0x3, 0x243F6A8885A308D3ull};

/* tan(pi/8) = sqrt(2) - 1 as a 64-bit fraction with exponent -2: the
 * point above which atan reduces through pi/4. */
#define TRIG_TAN_PI_8 0xD413CCCFE7799211ull

struct trig_reduced {
    struct f80_wide r; /* x - k * P, signed, |r| <= P/2 */
    unsigned quad;     /* k mod 4 */
};

/* Reduce |a| (finite, non-zero, |a| < 2^63). */
static struct trig_reduced trig_reduce(f80 a)
{
    struct trig_reduced out;
    struct f80_wide x = f80_wide_from_f80(a);
    struct f80_u128 n, rem = {0, 0};
    uint64_t q = 0;
    unsigned s, top;
    x.sign = false;
    out.quad = 0;
    if (x.exp < -1) {
        /* |a| < 1/2 < P/2: k = 0. */
        out.r = x;
        return out;
    }
    /* |a| = M * 2^(exp-63) = (M << s) * 2^-65 with s = exp + 2 in
     * [1, 64]: divide the integer n = M << s by TRIG_P exactly. */
    s = (unsigned)(x.exp + 2);
    n = f80_u128_shl((struct f80_u128){0, x.m.hi}, s);
    top = 63 + s;
    for (int i = (int)top; i >= 0; i--) {
        uint64_t bit = i >= 64 ? (n.hi >> (i - 64)) & 1 : (n.lo >> i) & 1;
        rem = f80_u128_shl(rem, 1);
        rem.lo |= bit;
        q <<= 1;
        if (f80_u128_cmp(rem, trig_p) >= 0) {
            rem = f80_u128_sub(rem, trig_p);
            q |= 1;
        }
    }
    /* Round the quotient to nearest (2 * rem == P cannot happen: P is
     * odd and rem < P < 2^66 is a remainder of M * 2^s with M < P). */
    out.r.sign = false;
    if (f80_u128_cmp(f80_u128_shl(rem, 1), trig_p) > 0) {
        rem = f80_u128_sub(trig_p, rem);
        q++;
        out.r.sign = true;
    }
    out.quad = (unsigned)(q & 3);
    /* rem != 0: M * 2^s is never a multiple of the odd 66-bit P.
     * r = rem * 2^-65; normalized by S left shifts, exp = 62 - S. */
    out.r.exp = -65;
    out.r.m = rem;
    while (!(out.r.m.hi & 0x8000000000000000ull)) {
        unsigned sh = out.r.m.hi ? 1 : 64;
        out.r.m = f80_u128_shl(out.r.m, sh);
        out.r.exp -= (int32_t)sh;
    }
    out.r.exp += 127;
    return out;
}

static struct f80_u128 trig_square_q128(struct f80_wide r)
{
    return f80_wide_to_q128(f80_wide_mul(r, r));
}

static struct f80_wide trig_sin_kernel(struct f80_wide r)
{
    struct f80_u128 z = trig_square_q128(r), t = F80_Q127_ONE;
    for (uint32_t k = 16; k >= 1; k--) {
        t = f80_u128_sub(F80_Q127_ONE, f80_u128_div_small(f80_u128_mul_hi(z, t), 2 * k * (2 * k + 1)));
    }
    return f80_wide_mul(r, f80_wide_from_q127(t, false));
}

static struct f80_wide trig_cos_kernel(struct f80_wide r)
{
    struct f80_u128 z = trig_square_q128(r), t = F80_Q127_ONE;
    for (uint32_t k = 17; k >= 1; k--) {
        t = f80_u128_sub(F80_Q127_ONE, f80_u128_div_small(f80_u128_mul_hi(z, t), (2 * k - 1) * 2 * k));
    }
    return f80_wide_from_q127(t, false);
}

/* Screening shared by the four: returns true with *res set when no
 * computation is needed.  Zeros are left to the callers. */
static bool trig_screen(f80 a, f80 *res, bool *zero, bool *out_of_range, struct f80_env *e)
{
    *out_of_range = false;
    *zero = false;
    e->c1 = false;
    switch (f80_trans_class1(a, res, e)) {
    case F80_T_NAN:
        return true;
    case F80_T_INF:
        *res = f80_trans_invalid(e);
        return true;
    case F80_T_ZERO:
        *zero = true;
        *res = a;
        return true;
    case F80_T_FINITE:
        break;
    }
    if (f80_trans_stop(e)) {
        /* Unmasked DE: nothing is computed. */
        *res = a;
        return true;
    }
    /* |x| >= 2^63: C2 = 1 and ST(0) unchanged (SDM vol. 2, FSIN). */
    if (f80_exp(a) >= F80_EXP_BIAS + 63) {
        *out_of_range = true;
        *res = a;
        return true;
    }
    return false;
}

/* |x| < 2^-68: the P6 family returns sin x = tan x = x and cos x = 1
 * with PE (and C1 = 0) without rounding the tiny correction, so a
 * directed rounding keeps x (measured on the host x87; x^3/6 is below
 * 2^-136 relative there).  Returns true with *x_out = x (a
 * pseudo-denormal comes back normalized, exponent 1); the caller raises
 * UE through f80_trans_inexact when it returns x itself. */
static bool trig_tiny(f80 a, f80 *x_out, struct f80_env *e)
{
    if (f80_wide_from_f80(a).exp > -69) {
        return false;
    }
    e->c1 = false;
    *x_out = a;
    if (f80_exp(a) == 0 && (a.sig >> 63)) {
        x_out->se |= 1;
    }
    return true;
}

static f80 trig_one(void) { return (f80){0x8000000000000000ull, F80_EXP_BIAS}; }

/* sin and cos of |a| from the reduced argument, by quadrant. */
static struct f80_wide trig_sin_of(const struct trig_reduced *t)
{
    struct f80_wide v = (t->quad & 1) ? trig_cos_kernel(t->r) : trig_sin_kernel(t->r);
    if (t->quad & 2) {
        v.sign = !v.sign;
    }
    return v;
}

static struct f80_wide trig_cos_of(const struct trig_reduced *t)
{
    struct f80_wide v = (t->quad & 1) ? trig_sin_kernel(t->r) : trig_cos_kernel(t->r);
    if (((t->quad + 1) & 2) != 0) {
        v.sign = !v.sign;
    }
    return v;
}

f80 f80_sin(f80 a, bool *out_of_range, struct f80_env *e)
{
    f80 res;
    bool zero;
    struct trig_reduced t;
    struct f80_wide v;
    if (trig_screen(a, &res, &zero, out_of_range, e)) {
        return res;
    }
    if (trig_tiny(a, &res, e)) {
        return f80_trans_inexact(res, e);
    }
    t = trig_reduce(a);
    v = trig_sin_of(&t);
    v.sign ^= f80_sign(a);
    return f80_wide_round(v, e);
}

f80 f80_cos(f80 a, bool *out_of_range, struct f80_env *e)
{
    f80 res;
    bool zero;
    struct trig_reduced t;
    if (trig_screen(a, &res, &zero, out_of_range, e)) {
        return zero ? trig_one() : res;
    }
    if (trig_tiny(a, &res, e)) {
        return f80_trans_inexact(trig_one(), e);
    }
    t = trig_reduce(a);
    return f80_wide_round(trig_cos_of(&t), e);
}

void f80_sincos(f80 a, f80 *s, f80 *c, bool *out_of_range, struct f80_env *e)
{
    f80 res;
    bool zero;
    struct trig_reduced t;
    struct f80_wide v;
    if (trig_screen(a, &res, &zero, out_of_range, e)) {
        *s = res;
        *c = zero ? trig_one() : res;
        return;
    }
    if (trig_tiny(a, &res, e)) {
        *s = f80_trans_inexact(res, e);
        *c = f80_trans_inexact(trig_one(), e);
        return;
    }
    t = trig_reduce(a);
    v = trig_sin_of(&t);
    v.sign ^= f80_sign(a);
    *s = f80_wide_round(v, e);
    /* C1 reports the rounding of the cosine, the value left in ST(0). */
    *c = f80_wide_round(trig_cos_of(&t), e);
}

f80 f80_tan(f80 a, bool *out_of_range, struct f80_env *e)
{
    f80 res;
    bool zero;
    struct trig_reduced t;
    struct f80_wide sn, cs, v;
    if (trig_screen(a, &res, &zero, out_of_range, e)) {
        return res;
    }
    if (trig_tiny(a, &res, e)) {
        return f80_trans_inexact(res, e);
    }
    if (f80_wide_from_f80(a).exp < -33) {
        /* 2^-68 <= |x| < 2^-33: the P6 family's tan x lies just below
         * |x| (its error exceeds x^3/3 < 2^-66 relative there): rounding
         * to nearest or away from zero gives x with C1 = 1, toward zero
         * the value next to x, in every case measured on the host x87.
         * Modelled by a jammed bit below |x|. */
        struct f80_wide w = f80_wide_from_f80(a);
        return f80_wide_round(f80_wide_sub(w, (struct f80_wide){w.m, w.exp - 200, w.sign}), e);
    }
    t = trig_reduce(a);
    /* tan(kP + r) = tan r for even k, -cot r for odd k. */
    if (t.r.exp < -59) {
        /* r^2 < 2^-118: the quotient of the two kernels would lose the
         * sign of its correction (both are 1 - tiny, jammed alike), so
         * take the leading terms, whose correction is exact in sign:
         * tan r = r + r^3/3 and cot r = 1/r - r/3 (the next terms are
         * below 2^-236 relative). */
        struct f80_wide three = f80_wide_from_int(3);
        if (t.quad & 1) {
            v = f80_wide_sub(f80_wide_div(f80_wide_from_int(1), t.r), f80_wide_div(t.r, three));
            v.sign = !v.sign;
        } else {
            struct f80_wide r3 = f80_wide_mul(f80_wide_mul(t.r, t.r), t.r);
            v = f80_wide_add(t.r, f80_wide_div(r3, three));
        }
        v.sign ^= f80_sign(a);
        return f80_wide_round(v, e);
    }
    sn = trig_sin_kernel(t.r);
    cs = trig_cos_kernel(t.r);
    if (t.quad & 1) {
        v = f80_wide_div(cs, sn);
        v.sign = !v.sign;
    } else {
        v = f80_wide_div(sn, cs);
    }
    v.sign ^= f80_sign(a);
    return f80_wide_round(v, e);
}

/* atan t for |t| <= tan(pi/8), w = t^2 <= 0.1716:
 *   atan t = t * (1 - w/3 + w^2/5 - ...), 50 terms in Horner form.
 * The omitted terms are below w^50/101 < 2^-133; each step adds at most
 * 2 units of 2^-127, damped by w < 0.18; with the final product the
 * relative error stays under 2^-124. */
static struct f80_wide trig_atan_kernel(struct f80_wide t)
{
    struct f80_u128 w = f80_wide_to_q128(f80_wide_mul(t, t));
    struct f80_u128 b = f80_u128_div_small(F80_Q127_ONE, 2 * 50 + 1);
    for (uint32_t k = 50; k-- > 0;) {
        b = f80_u128_sub(f80_u128_div_small(F80_Q127_ONE, 2 * k + 1), f80_u128_mul_hi(w, b));
    }
    return f80_wide_mul(t, f80_wide_from_q127(b, false));
}

/* The multiple n/4 of pi, rounded (FPATAN's exact-quadrant results). */
static f80 trig_pi_quarters(unsigned n, bool sign, struct f80_env *e)
{
    struct f80_wide p = f80_wide_pi();
    p.sign = sign;
    if (n == 3) {
        struct f80_wide half = p;
        half.exp--;
        p = f80_wide_add(half, (struct f80_wide){p.m, p.exp - 2, sign});
    } else {
        p.exp -= n == 1 ? 2 : n == 2 ? 1 : 0;
    }
    return f80_wide_round(p, e);
}

/* FPATAN, SDM vol. 2 table "FPATAN Results": y = ST(1), x = ST(0). */
f80 f80_atan2(f80 y, f80 x, struct f80_env *e)
{
    f80 res;
    enum f80_tclass cy, cx;
    bool sy = f80_sign(y), sx = f80_sign(x), swap;
    struct f80_wide wy, wx, a, b, q, ang;
    e->c1 = false;
    if (f80_trans_nan2(y, x, &res, &cy, &cx, e)) {
        return res;
    }
    f80_trans_de2(y, x, e);
    if (f80_trans_stop(e)) {
        return x;
    }
    if (cy == F80_T_ZERO) {
        return sx ? trig_pi_quarters(4, sy, e) : f80_trans_zero(sy);
    }
    if (cy == F80_T_INF) {
        if (cx == F80_T_INF) {
            return trig_pi_quarters(sx ? 3 : 1, sy, e);
        }
        return trig_pi_quarters(2, sy, e);
    }
    if (cx == F80_T_ZERO) {
        return trig_pi_quarters(2, sy, e);
    }
    if (cx == F80_T_INF) {
        return sx ? trig_pi_quarters(4, sy, e) : f80_trans_zero(sy);
    }
    wy = f80_wide_from_f80(y);
    wx = f80_wide_from_f80(x);
    wy.sign = wx.sign = false;
    swap = wy.exp > wx.exp || (wy.exp == wx.exp && f80_u128_cmp(wy.m, wx.m) > 0);
    a = swap ? wx : wy;
    b = swap ? wy : wx;
    q = f80_wide_div(a, b);
    if (q.exp < -40 && !swap && !sx) {
        /* q < 2^-40: the P6 family returns the quotient itself, rounded,
         * with PE (atan q = q - q^3/3 differs by less than 2^-80
         * relative, but a directed rounding would see it; measured on
         * the host x87). */
        q.sign = sy;
        return f80_trans_inexact(f80_wide_round(q, e), e);
    }
    if (q.exp < -40) {
        ang = q;
    } else if (q.exp >= -1 || (q.exp == -2 && q.m.hi >= TRIG_TAN_PI_8)) {
        /* atan q = pi/4 + atan((a - b) / (a + b)), |t| <= tan(pi/8). */
        struct f80_wide t = f80_wide_div(f80_wide_sub(a, b), f80_wide_add(a, b));
        struct f80_wide quarter = f80_wide_pi();
        quarter.exp -= 2;
        ang = f80_wide_add(quarter, trig_atan_kernel(t));
    } else {
        ang = trig_atan_kernel(q);
    }
    if (swap) {
        struct f80_wide half = f80_wide_pi();
        half.exp--;
        ang = f80_wide_sub(half, ang);
    }
    if (sx) {
        ang = f80_wide_sub(f80_wide_pi(), ang);
    }
    ang.sign = sy;
    return f80_wide_round(ang, e);
}
