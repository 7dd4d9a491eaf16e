/*
 * f80_round.c - the rounding core of the soft x87 (SDM vol. 1, 4.8.4,
 * 8.1.5.2 and 8.5.4-8.5.6) and NaN propagation (table 8-10).
 */
#include "cpu/fpu/f80_internal.h"

f80 f80_nan2(f80 a, f80 b, struct f80_env *e)
{
    bool an = f80_is_nan(a), bn = f80_is_nan(b);
    if (f80_is_snan(a) || f80_is_snan(b))
        e->flags |= F80_IE;
    if (an && bn) {
        /* An SNaN and a QNaN give the QNaN; two of a kind, the larger
         * significand, and on a tie the positive one. */
        f80 r;
        if (f80_is_snan(a) != f80_is_snan(b))
            r = f80_is_snan(a) ? b : a;
        else
            r = a.sig > b.sig ? a : b.sig > a.sig ? b : (a.se < b.se ? a : b);
        r.sig |= F80_QUIET_BIT;
        return r;
    }
    f80 r = an ? a : b;
    r.sig |= F80_QUIET_BIT;
    return r;
}

f80 f80_nan1(f80 a, struct f80_env *e)
{
    if (f80_is_snan(a))
        e->flags |= F80_IE;
    a.sig |= F80_QUIET_BIT;
    return a;
}

/* Round hi (top `bits` bits kept, everything below plus lo is the rest);
 * returns the rounded significand, *carry when it overflowed 64 bits,
 * *inexact and *up (the magnitude was increased). */
static uint64_t round_sig(bool sign, uint64_t hi, uint64_t lo, unsigned bits, unsigned rc,
                          bool *carry, bool *inexact, bool *up)
{
    uint64_t mask = bits == 64 ? 0 : (~0ull >> bits);
    uint64_t unit = mask + 1;
    bool rbit, sticky;
    if (bits == 64) {
        rbit = (lo >> 63) != 0;
        sticky = (lo << 1) != 0;
    } else {
        uint64_t half = unit >> 1;
        rbit = (hi & half) != 0;
        sticky = (hi & (half - 1)) != 0 || lo != 0;
    }
    uint64_t sig = hi & ~mask;
    *inexact = rbit || sticky;
    bool inc = f80_round_up(rc, sign, (sig & unit) != 0, rbit, sticky);
    *up = inc;
    *carry = false;
    if (inc) {
        sig += unit;
        if (sig == 0) {
            *carry = true;
            sig = F80_INT_BIT;
        }
    }
    return sig;
}

f80 f80_round_bits(bool sign, int32_t exp_in, uint64_t hi, uint64_t lo, unsigned bits,
                   struct f80_env *e)
{
    bool carry, inexact, up;
    int64_t exp = exp_in;
    e->c1 = false;
    if (hi == 0 && lo == 0)
        return f80_zero(sign);
    if (hi == 0) {
        hi = lo;
        lo = 0;
        exp -= 64;
    }
    unsigned s = f80_clz64(hi);
    if (s) {
        hi = (hi << s) | (lo >> (64 - s));
        lo <<= s;
        exp -= s;
    }

    if (exp == 0) {
        /* Tininess is detected after rounding (SDM vol. 1, 4.9.1.5, as
         * the host x87 does): a result that rounds, with an unbounded
         * exponent, up to the smallest normal is not tiny. */
        uint64_t sig = round_sig(sign, hi, lo, bits, e->rc, &carry, &inexact, &up);
        if (carry) {
            e->flags |= F80_PE;
            e->c1 = up;
            return f80_make(sign, 1, sig);
        }
    }
    if (exp <= 0) {
        /* Tiny (SDM vol. 1, 4.9.1.5 and 8.5.5). */
        if (!(e->masks & F80_UE) && exp + F80_WRAP <= 0) {
            /* Unmasked, and too small even for the wrapped exponent
             * (only FSCALE gets here): a signed zero, as the host x87. */
            e->flags |= F80_UE | F80_PE;
            return f80_zero(sign);
        }
        if (!(e->masks & F80_UE)) {
            /* Unmasked: the normalized, rounded result with the exponent
             * wrapped; UE even when exact. */
            uint64_t sig = round_sig(sign, hi, lo, bits, e->rc, &carry, &inexact, &up);
            if (carry)
                exp++;
            e->flags |= F80_UE | (inexact ? F80_PE : 0);
            e->c1 = up;
            exp += F80_WRAP;
            return f80_make(sign, (unsigned)exp, sig);
        }
        /* Masked (or beyond the wrapping range, FSCALE): denormalize
         * (exponent field 0 stands for 2^-16382) and round at the same
         * bit position as a normal result. */
        int64_t shift = 1 - exp;
        f80_shr128_jam(&hi, &lo, shift > 200 ? 200 : (uint32_t)shift);
        uint64_t sig = round_sig(sign, hi, lo, bits, e->rc, &carry, &inexact, &up);
        if (inexact)
            e->flags |= F80_UE | F80_PE;
        e->c1 = up;
        return f80_make(sign, (sig & F80_INT_BIT) ? 1 : 0, sig);
    }

    uint64_t sig = round_sig(sign, hi, lo, bits, e->rc, &carry, &inexact, &up);
    if (carry)
        exp++;
    if (exp >= F80_EXP_MAX) {
        if (!(e->masks & F80_OE)) {
            if (exp - F80_WRAP < F80_EXP_MAX) {
                e->flags |= F80_OE | (inexact ? F80_PE : 0);
                e->c1 = up;
                return f80_make(sign, (unsigned)(exp - F80_WRAP), sig);
            }
            /* Too large even for the wrapped exponent (FSCALE): an
             * infinity whatever the rounding control, as the host x87. */
            e->flags |= F80_OE | F80_PE;
            e->c1 = true;
            return f80_inf(sign);
        }
        /* Masked (SDM vol. 1, 4.9.1.4, table 4-10): infinity when the
         * rounding direction points away from zero, else the largest
         * finite value of the precision. */
        e->flags |= F80_OE | F80_PE;
        bool to_inf = e->rc == F80_RC_NEAR || (e->rc == F80_RC_UP && !sign) ||
                      (e->rc == F80_RC_DOWN && sign);
        if (to_inf) {
            e->c1 = true;
            return f80_inf(sign);
        }
        e->c1 = false;
        return f80_make(sign, F80_EXP_MAX - 1, bits == 64 ? ~0ull : ~(~0ull >> bits));
    }
    if (inexact)
        e->flags |= F80_PE;
    e->c1 = up;
    return f80_make(sign, (unsigned)exp, sig);
}

bool f80_round_integer(bool sign, int32_t exp, uint64_t sig, uint64_t *mag, struct f80_env *e)
{
    if (exp > F80_EXP_BIAS + 63)
        return false;
    if (exp == F80_EXP_BIAS + 63) {
        *mag = sig;
        return true;
    }
    uint64_t hi = sig, lo = 0;
    int32_t shift = F80_EXP_BIAS + 63 - exp;
    f80_shr128_jam(&hi, &lo, shift > 200 ? 200 : (uint32_t)shift);
    bool rbit = (lo >> 63) != 0, sticky = (lo << 1) != 0;
    bool inc = f80_round_up(e->rc, sign, hi & 1, rbit, sticky);
    if (rbit || sticky)
        e->flags |= F80_PE;
    e->c1 = inc;
    /* hi < 2^63 here (shift >= 1): no carry out. */
    *mag = hi + inc;
    return true;
}

f80 f80_round_pack(bool sign, int32_t exp, uint64_t sig_hi, uint64_t sig_lo, bool prec_64,
                   struct f80_env *e)
{
    return f80_round_bits(sign, exp, sig_hi, sig_lo, prec_64 ? 64 : f80_pc_bits(e->pc), e);
}
