/*
 * f80_misc.c - FRNDINT, FSCALE, FXTRACT, FPREM/FPREM1 and FCOM/FUCOM in
 * software (SDM vol. 2, the instruction pages; vol. 1, 8.1.4, 8.5).
 */
#include "cpu/fpu/f80_internal.h"

/* Exact value (-1)^sign * mag as an extended real (mag != 0). */
static f80 from_mag(bool sign, uint64_t mag)
{
    unsigned s = f80_clz64(mag);
    return f80_make(sign, F80_EXP_BIAS + 63 - s, mag << s);
}

static f80 round_int_impl(f80 a, struct f80_env *e)
{
    e->c1 = false;
    if (f80_is_unsupported(a))
        return f80_invalid(e);
    if (f80_is_nan(a))
        return f80_nan1(a, e);
    if (f80_exp(a) == F80_EXP_MAX || f80_is_zero(a))
        return a;
    if (f80_is_denormal(a))
        e->flags |= F80_DE;
    uint64_t mag;
    if (f80_unpack_exp(a) >= F80_EXP_BIAS + 63 ||
        !f80_round_integer(f80_sign(a), f80_unpack_exp(a), a.sig, &mag, e))
        return f80_fix_pseudo_denormal(a);
    if (mag == 0)
        return f80_zero(f80_sign(a));
    return from_mag(f80_sign(a), mag);
}

static f80 scale_impl(f80 a, f80 b, struct f80_env *e)
{
    e->c1 = false;
    if (f80_is_unsupported(a) || f80_is_unsupported(b))
        return f80_invalid(e);
    if (f80_is_nan(a) || f80_is_nan(b))
        return f80_nan2(a, b, e);
    bool ainf = f80_exp(a) == F80_EXP_MAX, binf = f80_exp(b) == F80_EXP_MAX;
    if (binf) {
        /* SDM vol. 2, FSCALE table: 0 * 2^+inf and inf * 2^-inf are
         * invalid. */
        if (!f80_sign(b)) {
            if (f80_is_zero(a))
                return f80_invalid(e);
            if (f80_is_denormal(a))
                e->flags |= F80_DE;
            return f80_inf(f80_sign(a));
        }
        if (ainf)
            return f80_invalid(e);
        if (f80_is_denormal(a))
            e->flags |= F80_DE;
        return f80_zero(f80_sign(a));
    }
    if (f80_is_denormal(a) || f80_is_denormal(b))
        e->flags |= F80_DE;
    /* A zero scale returns the operand as is (a denormal stays one, no
     * UE even when unmasked). */
    if (ainf || f80_is_zero(a) || f80_is_zero(b))
        return f80_fix_pseudo_denormal(a);
    /* trunc(b), clamped far beyond any exponent that can still round to
     * a finite non-zero result. */
    int32_t n = 0;
    int32_t eb = f80_unpack_exp(b);
    if (eb >= F80_EXP_BIAS) {
        if (eb > F80_EXP_BIAS + 20)
            n = 1 << 20;
        else
            n = (int32_t)(b.sig >> (F80_EXP_BIAS + 63 - eb));
        if (f80_sign(b))
            n = -n;
    }
    return f80_round_bits(f80_sign(a), f80_unpack_exp(a) + n, a.sig, 0, 64, e);
}

static void xtract_impl(f80 a, f80 *exp, f80 *sig, struct f80_env *e)
{
    e->c1 = false;
    if (f80_is_unsupported(a)) {
        *exp = *sig = f80_invalid(e);
        return;
    }
    if (f80_is_nan(a)) {
        *exp = *sig = f80_nan1(a, e);
        return;
    }
    if (f80_exp(a) == F80_EXP_MAX) {
        *exp = f80_inf(false);
        *sig = a;
        return;
    }
    if (f80_is_zero(a)) {
        /* SDM vol. 2, FXTRACT: a zero gives ZE, -inf and the zero. */
        e->flags |= F80_ZE;
        *exp = f80_inf(true);
        *sig = a;
        return;
    }
    if (f80_is_denormal(a))
        e->flags |= F80_DE;
    uint64_t m;
    int32_t ex = f80_normalize(a, &m) - F80_EXP_BIAS;
    *exp = f80_from_int(ex);
    *sig = f80_make(f80_sign(a), F80_EXP_BIAS, m);
}

static f80 prem_impl(f80 a, f80 b, bool ieee, unsigned *q, bool *incomplete,
                     struct f80_env *e)
{
    e->c1 = false;
    *q = 0;
    *incomplete = false;
    if (f80_is_unsupported(a) || f80_is_unsupported(b))
        return f80_invalid(e);
    if (f80_is_nan(a) || f80_is_nan(b))
        return f80_nan2(a, b, e);
    if (f80_exp(a) == F80_EXP_MAX || f80_is_zero(b))
        return f80_invalid(e);
    if (f80_is_denormal(a) || f80_is_denormal(b))
        e->flags |= F80_DE;
    if (f80_exp(b) == F80_EXP_MAX || f80_is_zero(a))
        return f80_fix_pseudo_denormal(a);
    uint64_t ma, mb;
    int32_t ea = f80_normalize(a, &ma), eb = f80_normalize(b, &mb);
    int32_t d = ea - eb;
    bool sign = f80_sign(a);
    if (d < 0) {
        /* |a| < |b|: the quotient is 0, or 1 for FPREM1 when |a| > |b| / 2. */
        if (ieee && d == -1 && ma > mb) {
            *q = 1;
            return f80_round_bits(!sign, ea, mb + mb - ma, 0, 64, e);
        }
        return f80_round_bits(sign, ea, ma, 0, 64, e);
    }
    int32_t steps = d;
    if (d >= 64) {
        /* Partial remainder (SDM vol. 2, FPREM): the exponent is reduced
         * by N = 32..63, here 32 + (d mod 32) as on Intel hardware; the
         * quotient bits reported are 0. */
        *incomplete = true;
        steps = 32 + (d & 31);
    }
    /* Restoring division over steps + 1 quotient bits; the running
     * remainder is below 2 * mb, so it needs one bit above 64 (top). */
    uint64_t r = ma, quo = 0;
    bool top = false;
    for (int32_t i = 0; i <= steps; i++) {
        uint64_t bit = top || r >= mb;
        if (bit)
            r -= mb;
        quo = (quo << 1) | bit;
        if (i < steps) {
            top = (r >> 63) != 0;
            r <<= 1;
        }
    }
    if (ieee && !*incomplete) {
        /* FPREM1: the quotient rounded to nearest-even (compare 2r, mb). */
        bool gt = (r >> 63) != 0 || (r << 1) > mb;
        bool eq = !(r >> 63) && (r << 1) == mb;
        if (gt || (eq && (quo & 1))) {
            quo++;
            r = mb - r;
            sign = !sign;
        }
    }
    *q = *incomplete ? 0 : (unsigned)(quo & 7u);
    if (r == 0)
        return f80_zero(f80_sign(a));
    return f80_round_bits(sign, ea - steps, r, 0, 64, e);
}

f80 f80_round_int(f80 a, struct f80_env *e)
{
    uint8_t before = f80_begin(e);
    f80 r = round_int_impl(a, e);
    f80_end(e, before);
    return r;
}

f80 f80_scale(f80 a, f80 b, struct f80_env *e)
{
    uint8_t before = f80_begin(e);
    f80 r = scale_impl(a, b, e);
    f80_end(e, before);
    return r;
}

void f80_xtract(f80 a, f80 *exp, f80 *sig, struct f80_env *e)
{
    uint8_t before = f80_begin(e);
    xtract_impl(a, exp, sig, e);
    f80_end(e, before);
}

f80 f80_prem(f80 a, f80 b, bool ieee, unsigned *q, bool *incomplete, struct f80_env *e)
{
    uint8_t before = f80_begin(e);
    f80 r = prem_impl(a, b, ieee, q, incomplete, e);
    if (e->flags & ~e->masks & F80_PRE_MASK) {
        *q = 0;
        *incomplete = false;
    }
    f80_end(e, before);
    return r;
}

enum f80_cmp f80_compare(f80 a, f80 b, bool quiet, struct f80_env *e)
{
    e->c1 = false;
    if (f80_is_unsupported(a) || f80_is_unsupported(b)) {
        e->flags |= F80_IE;
        return F80_UN;
    }
    if (f80_is_nan(a) || f80_is_nan(b)) {
        if (!quiet || f80_is_snan(a) || f80_is_snan(b))
            e->flags |= F80_IE;
        return F80_UN;
    }
    if (f80_is_denormal(a) || f80_is_denormal(b))
        e->flags |= F80_DE;
    bool az = a.sig == 0, bz = b.sig == 0;
    if (az && bz)
        return F80_EQ;
    bool sa = f80_sign(a), sb = f80_sign(b);
    if (az)
        return sb ? F80_GT : F80_LT;
    if (bz)
        return sa ? F80_LT : F80_GT;
    if (sa != sb)
        return sa ? F80_LT : F80_GT;
    uint64_t ma, mb;
    int32_t ea = f80_normalize(a, &ma), eb = f80_normalize(b, &mb);
    if (ea == eb && ma == mb)
        return F80_EQ;
    bool mag_lt = ea < eb || (ea == eb && ma < mb);
    return (mag_lt != sa) ? F80_LT : F80_GT;
}
