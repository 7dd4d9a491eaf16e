/*
 * f80_arith.c - FADD/FSUB/FMUL/FDIV/FSQRT in software (SDM vol. 1, 4.8,
 * 8.5; vol. 2, the instruction pages): exact intermediate results rounded
 * once by f80_round_bits to the precision control.
 */
#include "cpu/fpu/f80_internal.h"

static f80 addsub(f80 a, f80 b, bool negate_b, struct f80_env *e)
{
    e->c1 = false;
    if (f80_is_unsupported(a) || f80_is_unsupported(b))
        return f80_invalid(e);
    if (f80_is_nan(a) || f80_is_nan(b))
        return f80_nan2(a, b, e);
    bool sa = f80_sign(a), sb = f80_sign(b) ^ negate_b;
    bool ainf = f80_exp(a) == F80_EXP_MAX, binf = f80_exp(b) == F80_EXP_MAX;
    if (f80_is_denormal(a) || f80_is_denormal(b))
        e->flags |= F80_DE;
    if (ainf || binf) {
        if (ainf && binf && sa != sb)
            return f80_invalid(e);
        return f80_inf(ainf ? sa : sb);
    }
    if (a.sig == 0 && b.sig == 0) {
        /* Exact zero sums: -0 only for (-0) + (-0), or with RC = down
         * for opposite signs (IEEE 754, SDM vol. 1, table 4-7 note). */
        if (sa == sb)
            return f80_zero(sa);
        return f80_zero(e->rc == F80_RC_DOWN);
    }
    int32_t ea = f80_unpack_exp(a), eb = f80_unpack_exp(b);
    uint64_t ma = a.sig, mb = b.sig;
    if (eb > ea || (eb == ea && mb > ma)) {
        int32_t te = ea; ea = eb; eb = te;
        uint64_t tm = ma; ma = mb; mb = tm;
        bool ts = sa; sa = sb; sb = ts;
    }
    /* |a| >= |b| now (by exponent, then significand); b is aligned to a
     * with a sticky bit, exact enough: at most one bit of cancellation
     * can happen when the alignment shift exceeds the 64 guard bits. */
    uint64_t hi = ma, lo = 0, bh = mb, bl = 0;
    f80_shr128_jam(&bh, &bl, (uint32_t)(ea - eb));
    int32_t exp = ea;
    if (sa == sb) {
        uint64_t nlo = lo + bl;
        uint64_t nhi = hi + bh + (nlo < lo);
        bool carry = nhi < hi || (nhi == hi && nlo < lo);
        hi = nhi;
        lo = nlo;
        if (carry) {
            f80_shr128_jam(&hi, &lo, 1);
            hi |= F80_INT_BIT;
            exp++;
        }
    } else {
        uint64_t nlo = lo - bl;
        hi = hi - bh - (lo < bl);
        lo = nlo;
        if (hi == 0 && lo == 0)
            return f80_zero(e->rc == F80_RC_DOWN);
    }
    return f80_round_bits(sa, exp, hi, lo, f80_pc_bits(e->pc), e);
}


static f80 mul_impl(f80 a, f80 b, struct f80_env *e)
{
    e->c1 = false;
    if (f80_is_unsupported(a) || f80_is_unsupported(b))
        return f80_invalid(e);
    if (f80_is_nan(a) || f80_is_nan(b))
        return f80_nan2(a, b, e);
    bool sign = f80_sign(a) ^ f80_sign(b);
    bool ainf = f80_exp(a) == F80_EXP_MAX, binf = f80_exp(b) == F80_EXP_MAX;
    if ((ainf && f80_is_zero(b)) || (binf && f80_is_zero(a)))
        return f80_invalid(e);
    if (f80_is_denormal(a) || f80_is_denormal(b))
        e->flags |= F80_DE;
    if (ainf || binf)
        return f80_inf(sign);
    if (a.sig == 0 || b.sig == 0)
        return f80_zero(sign);
    uint64_t hi, lo;
    f80_mul64(a.sig, b.sig, &hi, &lo);
    int32_t exp = f80_unpack_exp(a) + f80_unpack_exp(b) - F80_EXP_BIAS + 1;
    return f80_round_bits(sign, exp, hi, lo, f80_pc_bits(e->pc), e);
}

/* (u1:u0) / v for a normalized v (bit 63 set) and u1 < v: the 64-bit
 * quotient, *rem the remainder.  Schoolbook division in two 32-bit quotient
 * digits, each estimated from the divisor's top half and corrected at
 * most twice (Knuth, TAOCP vol. 2, 4.3.1, algorithm D). */
static uint64_t div128by64(uint64_t u1, uint64_t u0, uint64_t v, uint64_t *rem)
{
    const uint64_t base = 1ull << 32;
    uint64_t vh = v >> 32, vl = v & 0xFFFFFFFFu;
    uint64_t uh = u0 >> 32, ul = u0 & 0xFFFFFFFFu;
    uint64_t q1 = u1 / vh, rh = u1 - q1 * vh;
    while (q1 >= base || q1 * vl > ((rh << 32) | uh)) {
        q1--;
        rh += vh;
        if (rh >= base)
            break;
    }
    uint64_t mid = (u1 << 32) + uh - q1 * v; /* the partial remainder, < v */
    uint64_t q0 = mid / vh;
    rh = mid - q0 * vh;
    while (q0 >= base || q0 * vl > ((rh << 32) | ul)) {
        q0--;
        rh += vh;
        if (rh >= base)
            break;
    }
    *rem = (mid << 32) + ul - q0 * v;
    return (q1 << 32) | q0;
}

static f80 div_impl(f80 a, f80 b, struct f80_env *e)
{
    e->c1 = false;
    if (f80_is_unsupported(a) || f80_is_unsupported(b))
        return f80_invalid(e);
    if (f80_is_nan(a) || f80_is_nan(b))
        return f80_nan2(a, b, e);
    bool sign = f80_sign(a) ^ f80_sign(b);
    bool ainf = f80_exp(a) == F80_EXP_MAX, binf = f80_exp(b) == F80_EXP_MAX;
    if ((ainf && binf) || (f80_is_zero(a) && f80_is_zero(b)))
        return f80_invalid(e);
    if (b.sig == 0 && !ainf) {
        /* x / 0: ZE only, even for a denormal dividend. */
        e->flags |= F80_ZE;
        return f80_inf(sign);
    }
    if (f80_is_denormal(a) || f80_is_denormal(b))
        e->flags |= F80_DE;
    if (ainf)
        return f80_inf(sign);
    if (binf)
        return f80_zero(sign);
    if (a.sig == 0)
        return f80_zero(sign);
    uint64_t ma, mb;
    int32_t ea = f80_normalize(a, &ma), eb = f80_normalize(b, &mb);
    /* ma / mb in (1/2, 2): the integer bit, 64 fraction bits by one
     * 128/64 division, one more bit g, then a sticky bit from the
     * remainder. */
    bool top = ma >= mb;
    uint64_t r = top ? ma - mb : ma;
    uint64_t f = div128by64(r, 0, mb, &r);
    uint64_t g = (r >> 63) != 0 || (r << 1) >= mb;
    uint64_t rem = (r << 1) - (g ? mb : 0);
    uint64_t hi = (top ? F80_INT_BIT : 0) | (f >> 1);
    uint64_t lo = (f << 63) | (g << 62) | (rem != 0);
    return f80_round_bits(sign, ea - eb + F80_EXP_BIAS, hi, lo, f80_pc_bits(e->pc), e);
}

static f80 sqrt_impl(f80 a, struct f80_env *e)
{
    e->c1 = false;
    if (f80_is_unsupported(a))
        return f80_invalid(e);
    if (f80_is_nan(a))
        return f80_nan1(a, e);
    if (f80_is_zero(a))
        return a;
    if (f80_sign(a))
        return f80_invalid(e);
    if (f80_exp(a) == F80_EXP_MAX)
        return a;
    if (f80_is_denormal(a))
        e->flags |= F80_DE;
    uint64_t m;
    int32_t ex = f80_normalize(a, &m) - F80_EXP_BIAS;
    /* x = m / 2^63 * 2^(ex & 1) in [1, 4).  With X = m << (ex & 1) (65
     * bits) and N = X * 2^67, R = floor(sqrt(N)) in [2^65, 2^66) is
     * sqrt(x) * 2^65 truncated, and the remainder N - R^2 the sticky bit. */
    unsigned odd = (unsigned)ex & 1u;
    uint64_t xl = m << odd, xh = odd ? m >> 63 : 0;
    uint64_t n1 = xl << 3, n2 = (xl >> 61) | (xh << 3); /* N = n2:n1:0 */
    /* The top: t = floor(N / 2^68) = floor(X / 2), s = floor(sqrt(t)) in
     * [2^31, 2^32) by integer Newton from an overestimate (the AM-GM
     * bound (y + 1) / 2 >= sqrt(y) for y = t / 2^62). */
    uint64_t t = odd ? m : m >> 1;
    uint64_t sq = (t >> 32) + (1ull << 30);
    for (;;) {
        uint64_t y = (sq + t / sq) >> 1;
        if (y >= sq)
            break;
        sq = y;
    }
    /* R ~ s * 2^34 + d with N - (s * 2^34)^2 = 2^67 * q, q = 2 (t - s^2) +
     * (X & 1) <= 2^34 + 1: d <= 2^32 q / s, which overestimates by a few
     * units at most (the d^2 term); the loops below make R exact. */
    uint64_t q = 2 * (t - sq * sq) + (xl & 1u);
    uint64_t d = ((q / sq) << 32) + (((q % sq) << 32) / sq);
    uint64_t rl = (sq << 34) + d, rh = (sq >> 30) + (rl < d);
    for (int up = 0; up < 2; up++) {
        for (;;) {
            /* R' = R + up; compare R'^2 with N */
            uint64_t cl = rl + (uint64_t)up, ch = rh + (cl < rl);
            uint64_t p1, p0, c1, c0;
            f80_mul64(cl, cl, &p1, &p0);
            f80_mul64(cl, 2 * ch, &c1, &c0);
            uint64_t l1 = p1 + c0;
            uint64_t l2 = c1 + ch * ch + (l1 < p1);
            int cmp = l2 != n2 ? (l2 > n2 ? 1 : -1)
                    : l1 != n1 ? (l1 > n1 ? 1 : -1)
                    : (p0 != 0);
            if (up == 0 ? cmp <= 0 : cmp > 0)
                break;
            /* up = 0: R^2 > N, step down; up = 1: (R + 1)^2 <= N, step up */
            if (up == 0) {
                rh -= (rl == 0);
                rl--;
            } else {
                rl++;
                rh += (rl == 0);
            }
        }
    }
    /* The remainder N - R^2 (zero or not) */
    uint64_t p1, p0, c1, c0;
    f80_mul64(rl, rl, &p1, &p0);
    f80_mul64(rl, 2 * rh, &c1, &c0);
    uint64_t l1 = p1 + c0;
    uint64_t l2 = c1 + rh * rh + (l1 < p1);
    bool inexact = p0 != 0 || l1 != n1 || l2 != n2;
    /* S = R << 62 */
    uint64_t hi = (rh << 62) | (rl >> 2);
    uint64_t lo = (rl << 62) | (inexact ? 1u : 0u);
    return f80_round_bits(false, (ex - (int32_t)odd) / 2 + F80_EXP_BIAS, hi, lo,
                          f80_pc_bits(e->pc), e);
}

f80 f80_add(f80 a, f80 b, struct f80_env *e)
{
    uint8_t before = f80_begin(e);
    f80 r = addsub(a, b, false, e);
    f80_end(e, before);
    return r;
}

f80 f80_sub(f80 a, f80 b, struct f80_env *e)
{
    uint8_t before = f80_begin(e);
    f80 r = addsub(a, b, true, e);
    f80_end(e, before);
    return r;
}

f80 f80_mul(f80 a, f80 b, struct f80_env *e)
{
    uint8_t before = f80_begin(e);
    f80 r = mul_impl(a, b, e);
    f80_end(e, before);
    return r;
}

f80 f80_div(f80 a, f80 b, struct f80_env *e)
{
    uint8_t before = f80_begin(e);
    f80 r = div_impl(a, b, e);
    f80_end(e, before);
    return r;
}

f80 f80_sqrt(f80 a, struct f80_env *e)
{
    uint8_t before = f80_begin(e);
    f80 r = sqrt_impl(a, e);
    f80_end(e, before);
    return r;
}
