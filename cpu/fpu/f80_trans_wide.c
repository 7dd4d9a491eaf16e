/*
 * f80_trans_wide.c - 128-bit integer helpers and the wide intermediate
 * format of the x87 transcendentals (see f80_trans_internal.h for the
 * jamming discipline).  Portable C: 64-bit products are built from
 * 32-bit halves, no compiler 128-bit type.
 */
#include "cpu/fpu/f80_trans_internal.h"

struct f80_u128 f80_u128_shr_jam(struct f80_u128 a, unsigned n)
{
    struct f80_u128 r;
    bool sticky;
    if (n == 0) {
        return a;
    }
    if (n >= 128) {
        r.hi = 0;
        r.lo = !f80_u128_is_zero(a);
        return r;
    }
    if (n >= 64) {
        sticky = a.lo != 0 || (n > 64 && (a.hi << (128 - n)) != 0);
        r.lo = n == 64 ? a.hi : a.hi >> (n - 64);
        r.hi = 0;
    } else {
        sticky = (a.lo << (64 - n)) != 0;
        r.lo = (a.lo >> n) | (a.hi << (64 - n));
        r.hi = a.hi >> n;
    }
    r.lo |= sticky;
    return r;
}

struct f80_u128 f80_u128_shl(struct f80_u128 a, unsigned n)
{
    struct f80_u128 r;
    if (n == 0) {
        return a;
    }
    if (n >= 64) {
        r.hi = a.lo << (n - 64);
        r.lo = 0;
    } else {
        r.hi = (a.hi << n) | (a.lo >> (64 - n));
        r.lo = a.lo << n;
    }
    return r;
}

struct f80_u128 f80_u128_mul64(uint64_t a, uint64_t b)
{
    uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32;
    uint64_t b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    /* The middle column cannot overflow: three values < 2^32 each. */
    uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
    struct f80_u128 r;
    r.lo = (mid << 32) | (p00 & 0xFFFFFFFFu);
    r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return r;
}

struct f80_u128 f80_u128_mul_hi(struct f80_u128 a, struct f80_u128 b)
{
    struct f80_u128 ll = f80_u128_mul64(a.lo, b.lo);
    struct f80_u128 lh = f80_u128_mul64(a.lo, b.hi);
    struct f80_u128 hl = f80_u128_mul64(a.hi, b.lo);
    struct f80_u128 hh = f80_u128_mul64(a.hi, b.hi);
    /* Limbs r0..r3 of the 256-bit product; c collects column carries. */
    uint64_t r1 = ll.hi, r2 = hh.lo, r3 = hh.hi, c;
    r1 += lh.lo;
    c = r1 < lh.lo;
    r1 += hl.lo;
    c += r1 < hl.lo;
    r2 += c;
    c = r2 < c;
    r2 += lh.hi;
    c += r2 < lh.hi;
    r2 += hl.hi;
    c += r2 < hl.hi;
    r3 += c;
    return (struct f80_u128){r3, r2 | ((r1 | ll.lo) != 0)};
}

struct f80_u128 f80_u128_div_small(struct f80_u128 a, uint32_t d)
{
    uint32_t w[4] = {(uint32_t)(a.hi >> 32), (uint32_t)a.hi, (uint32_t)(a.lo >> 32),
                     (uint32_t)a.lo};
    uint64_t rem = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t cur = (rem << 32) | w[i];
        w[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
    struct f80_u128 r = {((uint64_t)w[0] << 32) | w[1], ((uint64_t)w[2] << 32) | w[3]};
    r.lo |= rem != 0;
    return r;
}

static unsigned clz64(uint64_t v)
{
    unsigned n = 0;
    if (v == 0) {
        return 64;
    }
    while (!(v & 0x8000000000000000ull)) {
        v <<= 1;
        n++;
    }
    return n;
}

static unsigned clz128(struct f80_u128 v) { return v.hi ? clz64(v.hi) : 64 + clz64(v.lo); }

struct f80_wide f80_wide_from_f80(f80 a)
{
    struct f80_wide w;
    int32_t exp = (int32_t)f80_exp(a);
    unsigned n = clz64(a.sig);
    /* Denormals and pseudo-denormals have the exponent of 1 (SDM vol. 1,
     * 8.2.2 and table 8-3). */
    if (exp == 0) {
        exp = 1;
    }
    w.m.hi = a.sig << n;
    w.m.lo = 0;
    w.exp = exp - F80_EXP_BIAS - (int32_t)n;
    w.sign = f80_sign(a);
    return w;
}

struct f80_wide f80_wide_from_q127(struct f80_u128 v, bool sign)
{
    unsigned n = clz128(v);
    return (struct f80_wide){f80_u128_shl(v, n), -(int32_t)n, sign};
}

struct f80_wide f80_wide_from_int(int32_t v)
{
    uint64_t mag = v < 0 ? (uint64_t)(-(int64_t)v) : (uint64_t)v;
    struct f80_wide w = {{0, 0}, 0, v < 0};
    unsigned n;
    if (mag == 0) {
        return w;
    }
    n = clz64(mag);
    w.m.hi = mag << n;
    w.exp = 63 - (int32_t)n;
    return w;
}

struct f80_u128 f80_wide_to_q128(struct f80_wide a)
{
    /* v / 2^128 = m / 2^127 * 2^exp, so v = m >> (-exp - 1). */
    int64_t sh = -(int64_t)a.exp - 1;
    return f80_u128_shr_jam(a.m, sh > 200 ? 200u : (unsigned)sh);
}

struct f80_wide f80_wide_mul(struct f80_wide a, struct f80_wide b)
{
    struct f80_wide r = {{0, 0}, 0, a.sign != b.sign};
    if (f80_u128_is_zero(a.m) || f80_u128_is_zero(b.m)) {
        return r;
    }
    /* m_a * m_b / 2^254 is in [1, 4): the high half is in [2^126, 2^128). */
    r.m = f80_u128_mul_hi(a.m, b.m);
    r.exp = a.exp + b.exp + 1;
    if (!(r.m.hi & 0x8000000000000000ull)) {
        /* Shifting the jammed value left keeps its low bits non-zero. */
        r.m = f80_u128_shl(r.m, 1);
        r.exp--;
    }
    return r;
}

struct f80_wide f80_wide_div(struct f80_wide a, struct f80_wide b)
{
    struct f80_wide r = {{0, 0}, a.exp - b.exp, a.sign != b.sign};
    struct f80_u128 rem = a.m, q = {0, 0};
    if (f80_u128_is_zero(a.m)) {
        r.exp = 0;
        return r;
    }
    /* Restoring division, one quotient bit per step: 128 bits of
     * m_a / m_b (in (1/2, 2)) with the leading one at bit 127. */
    if (f80_u128_cmp(rem, b.m) < 0) {
        r.exp--;
    } else {
        rem = f80_u128_sub(rem, b.m);
        q.lo = 1;
    }
    for (int i = q.lo ? 1 : 0; i < 128; i++) {
        bool carry = (rem.hi >> 63) != 0;
        rem = f80_u128_shl(rem, 1);
        q = f80_u128_shl(q, 1);
        if (carry || f80_u128_cmp(rem, b.m) >= 0) {
            rem = f80_u128_sub(rem, b.m);
            q.lo |= 1;
        }
    }
    q.lo |= !f80_u128_is_zero(rem);
    r.m = q;
    return r;
}

/* Signed addition through a 192-bit window (m:guard): with an exponent
 * difference of 0 or 1 the aligned operand fits exactly, so massive
 * cancellation is exact; with a difference of 2 or more at most one bit
 * of normalization follows, and the jammed guard keeps the error below
 * 2^-190 relative. */
struct f80_wide f80_wide_add(struct f80_wide a, struct f80_wide b)
{
    struct f80_wide r;
    uint64_t ag = 0, bg = 0, g;
    struct f80_u128 bm;
    int64_t d;
    if (f80_u128_is_zero(b.m)) {
        return a;
    }
    if (f80_u128_is_zero(a.m)) {
        return b;
    }
    if (a.exp < b.exp || (a.exp == b.exp && f80_u128_cmp(a.m, b.m) < 0)) {
        r = a;
        a = b;
        b = r;
    }
    d = (int64_t)a.exp - b.exp;
    /* Align b: shift the 192-bit value b.m:0 right by d, jamming. */
    bm = b.m;
    if (d >= 192) {
        bm = (struct f80_u128){0, 0};
        bg = 1;
    } else if (d >= 128) {
        struct f80_u128 t = f80_u128_shr_jam(b.m, (unsigned)(d - 64));
        bg = t.lo;
        bm = (struct f80_u128){0, 0};
    } else if (d >= 64) {
        bg = d == 64 ? b.m.lo : (b.m.lo >> (d - 64)) | (b.m.hi << (128 - d));
        bg |= d > 64 && (b.m.lo << (128 - d)) != 0;
        bm = (struct f80_u128){0, d == 64 ? b.m.hi : b.m.hi >> (d - 64)};
    } else if (d > 0) {
        bg = b.m.lo << (64 - d);
        bm = (struct f80_u128){b.m.hi >> d, (b.m.lo >> d) | (b.m.hi << (64 - d))};
    }
    r.sign = a.sign;
    r.exp = a.exp;
    if (a.sign == b.sign) {
        struct f80_u128 s = f80_u128_add(a.m, bm);
        g = ag + bg;
        if (f80_u128_cmp(s, a.m) < 0) {
            /* Carry out of bit 127: one place right, jamming. */
            g = (g >> 1) | (s.lo << 63) | (g & 1);
            s = (struct f80_u128){(s.hi >> 1) | 0x8000000000000000ull, (s.lo >> 1) | (s.hi << 63)};
            r.exp++;
        }
        r.m = s;
    } else {
        struct f80_u128 s = f80_u128_sub(a.m, bm);
        g = ag - bg;
        if (bg > ag) {
            s = f80_u128_sub(s, (struct f80_u128){0, 1});
        }
        if (f80_u128_is_zero(s) && g == 0) {
            return (struct f80_wide){{0, 0}, 0, false};
        }
        while (!(s.hi & 0x8000000000000000ull)) {
            if (s.hi == 0 && (s.lo >> 63) == 0 && s.lo == 0) {
                /* Only guard bits left (cancellation of exactly aligned
                 * operands leaves them exact): move a whole limb. */
                s = (struct f80_u128){g, 0};
                g = 0;
                r.exp -= 128;
                continue;
            }
            s = (struct f80_u128){(s.hi << 1) | (s.lo >> 63), (s.lo << 1) | (g >> 63)};
            g <<= 1;
            r.exp--;
        }
        r.m = s;
    }
    r.m.lo |= g != 0;
    return r;
}

struct f80_wide f80_wide_pi(void)
{
    return (struct f80_wide){{0xC90FDAA22168C234ull, 0xC4C6628B80DC1CD1ull | 1}, 1, false};
}

struct f80_wide f80_wide_ln2(void)
{
    return (struct f80_wide){{0xB17217F7D1CF79ABull, 0xC9E3B39803F2F6AFull | 1}, -1, false};
}

struct f80_wide f80_wide_2_over_ln2(void)
{
    return (struct f80_wide){{0xB8AA3B295C17F0BBull, 0xBE87FED0691D3E88ull | 1}, 1, false};
}

f80 f80_wide_round(struct f80_wide a, struct f80_env *e)
{
    if (f80_u128_is_zero(a.m)) {
        return f80_trans_zero(a.sign);
    }
    return f80_round_pack(a.sign, a.exp + F80_EXP_BIAS, a.m.hi, a.m.lo, true, e);
}
