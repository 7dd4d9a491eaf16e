/*
 * f80_conv.c - conversions between extended real and the x87's memory
 * formats: integers (FILD/FIST), single and double real (FLD/FST m32/m64),
 * packed BCD (FBLD/FBSTP), and the load-constant instructions (SDM vol. 1,
 * 4.2, 4.7, 4.8, 8.3.4; vol. 2, FIST, FST, FLD, FBLD, FBSTP, FLD1/FLDPI).
 */
#include "cpu/fpu/f80_internal.h"

f80 f80_from_int(int64_t v)
{
    if (v == 0)
        return f80_zero(false);
    bool sign = v < 0;
    uint64_t mag = sign ? 0 - (uint64_t)v : (uint64_t)v;
    unsigned s = f80_clz64(mag);
    return f80_make(sign, F80_EXP_BIAS + 63 - s, mag << s);
}

int64_t f80_to_int(f80 a, unsigned bits, struct f80_env *e)
{
    e->c1 = false;
    int64_t indefinite = bits == 64 ? INT64_MIN : -(int64_t)(1ull << (bits - 1));
    if (f80_is_unsupported(a) || f80_exp(a) == F80_EXP_MAX) {
        e->flags |= F80_IE;
        return indefinite;
    }
    if (a.sig == 0)
        return 0;
    uint64_t mag;
    uint8_t saved = e->flags;
    bool ok = f80_round_integer(f80_sign(a), f80_unpack_exp(a), a.sig, &mag, e);
    uint64_t limit = (1ull << (bits - 1)) - (f80_sign(a) ? 0 : 1);
    if (!ok || mag > limit) {
        /* Out of range: IE and the integer indefinite, no PE. */
        e->flags = (uint8_t)(saved | F80_IE);
        e->c1 = false;
        return indefinite;
    }
    return f80_sign(a) ? (int64_t)(0 - mag) : (int64_t)mag;
}

/* Single/double to extended: fbits fraction bits, ebits exponent bits. */
static f80 from_binary(uint64_t v, unsigned fbits, unsigned ebits, struct f80_env *e)
{
    e->c1 = false;
    bool sign = (v >> (fbits + ebits)) & 1;
    uint32_t emax = (1u << ebits) - 1, bias = emax >> 1;
    uint32_t exp = (uint32_t)(v >> fbits) & emax;
    uint64_t frac = v & ((1ull << fbits) - 1);
    if (exp == emax) {
        if (frac == 0)
            return f80_inf(sign);
        f80 r = f80_make(sign, F80_EXP_MAX, F80_INT_BIT | (frac << (63 - fbits)));
        return f80_nan1(r, e);
    }
    if (exp == 0) {
        if (frac == 0)
            return f80_zero(sign);
        e->flags |= F80_DE;
        unsigned s = f80_clz64(frac);
        /* frac * 2^(1 - bias - fbits) */
        return f80_make(sign, (unsigned)(F80_EXP_BIAS + 1 - (int32_t)bias - (int32_t)fbits + 63 - (int32_t)s),
                        frac << s);
    }
    return f80_make(sign, exp - bias + F80_EXP_BIAS, F80_INT_BIT | (frac << (63 - fbits)));
}

f80 f80_from_f32(uint32_t v, struct f80_env *e) { return from_binary(v, 23, 8, e); }

f80 f80_from_f64(uint64_t v, struct f80_env *e) { return from_binary(v, 52, 11, e); }

/* Extended to single/double (fbits fraction bits, ebits exponent bits),
 * rounded by rc with the narrower format's range (SDM vol. 1, 4.9.1.4,
 * 4.9.1.5). */
static uint64_t to_binary(f80 a, unsigned fbits, unsigned ebits, struct f80_env *e)
{
    e->c1 = false;
    uint64_t sign = (uint64_t)f80_sign(a) << (fbits + ebits);
    uint64_t emax = (1u << ebits) - 1, bias = emax >> 1;
    uint64_t inf = emax << fbits;
    if (f80_is_unsupported(a)) {
        e->flags |= F80_IE;
        return (1ull << (fbits + ebits)) | inf | (1ull << (fbits - 1));
    }
    if (f80_is_nan(a)) {
        f80 q = f80_nan1(a, e);
        return sign | inf | ((q.sig << 1) >> (64 - fbits));
    }
    if (f80_exp(a) == F80_EXP_MAX)
        return sign | inf;
    if (a.sig == 0)
        return sign;
    uint64_t m;
    int64_t be = (int64_t)f80_normalize(a, &m) - F80_EXP_BIAS + (int64_t)bias;
    /* Keep fbits + 1 bits (fewer when the result is a denormal). */
    uint64_t hi = m, lo = 0;
    bool tiny = be < 1;
    int64_t shift = 63 - (int64_t)fbits + (tiny ? 1 - be : 0);
    f80_shr128_jam(&hi, &lo, shift > 200 ? 200 : (uint32_t)shift);
    bool rbit = (lo >> 63) != 0, sticky = (lo << 1) != 0, inexact = rbit || sticky;
    bool inc = f80_round_up(e->rc, sign != 0, hi & 1, rbit, sticky);
    hi += inc;
    if (tiny && be == 0) {
        /* Tininess is detected after rounding for stores to memory: a
         * value that rounds (with an unbounded exponent) up to the
         * smallest normal is not tiny. */
        uint64_t h = m, l = 0;
        f80_shr128_jam(&h, &l, 63 - fbits);
        bool up = f80_round_up(e->rc, sign != 0, h & 1, (l >> 63) != 0, (l << 1) != 0);
        if (up && ((h + 1) >> (fbits + 1)))
            tiny = false;
    }
    if (be < 1) {
        if (!tiny) {
            e->flags |= F80_PE;
            e->c1 = inc;
            return sign | hi;
        }
        if (!(e->masks & F80_UE)) {
            /* Unmasked underflow to memory: nothing is stored. */
            e->flags |= F80_UE;
            return 0;
        }
        if (inexact)
            e->flags |= F80_UE | F80_PE;
        e->c1 = inc;
        /* A carry into bit fbits makes the smallest normal, naturally. */
        return sign | hi;
    }
    if (hi >> (fbits + 1)) {
        hi >>= 1;
        be++;
    }
    if (be >= (int64_t)emax) {
        if (!(e->masks & F80_OE)) {
            e->flags |= F80_OE;
            return 0;
        }
        e->flags |= F80_OE | F80_PE;
        bool to_inf = e->rc == F80_RC_NEAR || (e->rc == F80_RC_UP && !sign) ||
                      (e->rc == F80_RC_DOWN && sign);
        e->c1 = to_inf;
        return sign | (to_inf ? inf : inf - 1);
    }
    if (inexact)
        e->flags |= F80_PE;
    e->c1 = inc;
    return sign | ((uint64_t)be << fbits) | (hi & ((1ull << fbits) - 1));
}

uint32_t f80_to_f32(f80 a, struct f80_env *e) { return (uint32_t)to_binary(a, 23, 8, e); }

uint64_t f80_to_f64(f80 a, struct f80_env *e) { return to_binary(a, 52, 11, e); }

f80 f80_from_bcd(const uint8_t bcd[10])
{
    uint64_t v = 0;
    for (int i = 8; i >= 0; i--)
        v = v * 100 + (uint64_t)(bcd[i] >> 4) * 10 + (bcd[i] & 0xF);
    bool sign = (bcd[9] & 0x80) != 0;
    if (v == 0)
        return f80_zero(sign);
    unsigned s = f80_clz64(v);
    return f80_make(sign, F80_EXP_BIAS + 63 - s, v << s);
}

void f80_to_bcd(f80 a, uint8_t bcd[10], struct f80_env *e)
{
    e->c1 = false;
    uint64_t mag = 0;
    uint8_t saved = e->flags;
    bool ok = true;
    if (f80_is_unsupported(a) || f80_exp(a) == F80_EXP_MAX) {
        ok = false;
    } else if (a.sig != 0) {
        ok = f80_round_integer(f80_sign(a), f80_unpack_exp(a), a.sig, &mag, e) && mag <= 999999999999999999ull;
    }
    if (!ok) {
        e->flags = (uint8_t)(saved | F80_IE);
        e->c1 = false;
        for (int i = 0; i < 7; i++)
            bcd[i] = 0;
        bcd[7] = 0xC0;
        bcd[8] = 0xFF;
        bcd[9] = 0xFF;
        return;
    }
    for (int i = 0; i < 9; i++) {
        unsigned lo = (unsigned)(mag % 10);
        mag /= 10;
        unsigned hi = (unsigned)(mag % 10);
        mag /= 10;
        bcd[i] = (uint8_t)(hi << 4 | lo);
    }
    bcd[9] = f80_sign(a) ? 0x80 : 0x00;
}

/* The constants to 128 bits (exponent of the leading bit, significand
 * bits 127..0), rounded per rc like any result (SDM vol. 1, 8.3.8: the
 * P6 rounds its 66-bit internal constants by RC, which for these values
 * equals rounding the exact value). */
static const struct {
    int32_t exp;
    uint64_t hi, lo;
} f80_consts[] = {
    [F80_ONE] = {0, 0x8000000000000000ull, 0},
    [F80_L2T] = {1, 0xD49A784BCD1B8AFEull, 0x492BF6FF4DAFDB4Cull},
    [F80_L2E] = {0, 0xB8AA3B295C17F0BBull, 0xBE87FED0691D3E88ull},
    [F80_PI] = {1, 0xC90FDAA22168C234ull, 0xC4C6628B80DC1CD1ull},
    [F80_LG2] = {-2, 0x9A209A84FBCFF798ull, 0x8F8959AC0B7C9178ull},
    [F80_LN2] = {-1, 0xB17217F7D1CF79ABull, 0xC9E3B39803F2F6AFull},
    [F80_ZERO] = {0, 0, 0},
};

f80 f80_const(enum f80_const k, enum f80_rc rc)
{
    struct f80_env e = {(uint8_t)rc, F80_PC_64, 0x3F, 0, false};
    return f80_round_bits(false, f80_consts[k].exp + F80_EXP_BIAS, f80_consts[k].hi,
                          f80_consts[k].lo, 64, &e);
}
