/*
 * f80_internal.h - helpers shared by the soft-float files (cpu/fpu/f80_*.c):
 * 128-bit integer pieces, unpacking, NaN propagation and the rounding core.
 * Not part of the f80 API.
 */
#ifndef CPU_FPU_F80_INTERNAL_H
#define CPU_FPU_F80_INTERNAL_H

#include "cpu/fpu/f80.h"

#define F80_INT_BIT 0x8000000000000000ull
#define F80_QUIET_BIT 0x4000000000000000ull
/* Unmasked overflow/underflow: the exponent is wrapped by this bias
 * adjustment (SDM vol. 1, 8.5.4 and 8.5.5). */
#define F80_WRAP 24576

static inline f80 f80_make(bool sign, unsigned exp, uint64_t sig)
{
    return (f80){sig, (uint16_t)((sign ? 0x8000u : 0u) | (exp & 0x7FFFu))};
}

static inline f80 f80_zero(bool sign) { return f80_make(sign, 0, 0); }
static inline f80 f80_inf(bool sign) { return f80_make(sign, F80_EXP_MAX, F80_INT_BIT); }

/** Count of leading zero bits of a non-zero 64-bit value (portable). */
static inline unsigned f80_clz64(uint64_t x)
{
    unsigned n = 0;
    if (!(x >> 32)) { n += 32; x <<= 32; }
    if (!(x >> 48)) { n += 16; x <<= 16; }
    if (!(x >> 56)) { n += 8; x <<= 8; }
    if (!(x >> 60)) { n += 4; x <<= 4; }
    if (!(x >> 62)) { n += 2; x <<= 2; }
    if (!(x >> 63)) n += 1;
    return n;
}

/** Full 64x64 -> 128-bit product. */
static inline void f80_mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t al = a & 0xFFFFFFFFu, ah = a >> 32, bl = b & 0xFFFFFFFFu, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);
    *lo = (ll & 0xFFFFFFFFu) | (mid << 32);
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/** Shift hi:lo right by n, OR-ing every bit shifted out into bit 0. */
static inline void f80_shr128_jam(uint64_t *hi, uint64_t *lo, uint32_t n)
{
    if (n == 0)
        return;
    if (n < 64) {
        uint64_t sticky = (*lo << (64 - n)) != 0;
        *lo = (*lo >> n) | (*hi << (64 - n)) | sticky;
        *hi >>= n;
    } else if (n < 128) {
        unsigned m = n - 64;
        uint64_t sticky = *lo != 0 || (m && (*hi << (64 - m)) != 0);
        *lo = (m ? *hi >> m : *hi) | sticky;
        *hi = 0;
    } else {
        *lo = (*hi | *lo) != 0;
        *hi = 0;
    }
}

/** A finite operand's significand and effective biased exponent:
 * denormals and pseudo-denormals have exponent 1 (SDM vol. 1, 8.2.2). */
static inline int32_t f80_unpack_exp(f80 a) { return f80_exp(a) ? (int32_t)f80_exp(a) : 1; }

/** Normalize a non-zero finite operand: *sig gets bit 63 set, and the
 * returned biased exponent may be below 1. */
static inline int32_t f80_normalize(f80 a, uint64_t *sig)
{
    unsigned s = f80_clz64(a.sig);
    *sig = a.sig << s;
    return f80_unpack_exp(a) - (int32_t)s;
}

/** A pseudo-denormal operand passed through unchanged gets the exponent
 * it stands for (1), as the P6 writes it back. */
static inline f80 f80_fix_pseudo_denormal(f80 a)
{
    if (f80_exp(a) == 0 && (a.sig & F80_INT_BIT))
        a.se |= 1;
    return a;
}

/** Call before an operation: the flags raised so far are set aside. */
static inline uint8_t f80_begin(struct f80_env *e)
{
    uint8_t before = e->flags;
    e->flags = 0;
    return before;
}

/** Call after an operation: when an unmasked IE, DE or ZE was raised the
 * x87 stops before computing (SDM vol. 1, 8.5), so only that exception is
 * reported (no PE, UE, OE and no C1 from the masked result computed). */
static inline void f80_end(struct f80_env *e, uint8_t before)
{
    if (e->flags & ~e->masks & F80_PRE_MASK) {
        e->flags &= F80_PRE_MASK;
        e->c1 = false;
    }
    e->flags |= before;
}

/** Number of significand bits for a precision control value. */
static inline unsigned f80_pc_bits(unsigned pc)
{
    return pc == F80_PC_24 ? 24 : pc == F80_PC_53 ? 53 : 64;
}

/** IE with the real indefinite as the (masked) result. */
static inline f80 f80_invalid(struct f80_env *e)
{
    e->flags |= F80_IE;
    return f80_indefinite();
}

/** Whether rounding by rc adds one unit in the last place, given the
 * sign, the kept least significant bit, the round bit and the sticky bit
 * (SDM vol. 1, 4.8.4). */
static inline bool f80_round_up(unsigned rc, bool sign, bool lsb, bool rbit, bool sticky)
{
    switch (rc) {
    case F80_RC_NEAR: return rbit && (sticky || lsb);
    case F80_RC_DOWN: return (rbit || sticky) && sign;
    case F80_RC_UP: return (rbit || sticky) && !sign;
    default: return false;
    }
}

/** Round a finite magnitude sig * 2^(exp - 16383 - 63) to an integer by
 * env->rc, setting PE and C1 (FRNDINT, FIST, FBSTP).  Returns false when
 * it is 2^64 or more. */
bool f80_round_integer(bool sign, int32_t exp, uint64_t sig, uint64_t *mag, struct f80_env *e);

/** NaN result of an operation with one or two NaN operands (SDM vol. 1,
 * table 8-10): SNaNs raise IE and are quieted; two NaNs give the one
 * with the larger significand (the positive one if equal). */
f80 f80_nan2(f80 a, f80 b, struct f80_env *e);
/** NaN result of a one-operand operation (a is a NaN). */
f80 f80_nan1(f80 a, struct f80_env *e);

/** Round (-1)^sign * (hi:lo / 2^127) * 2^(exp - 16383) to `bits`
 * significand bits with the extended exponent range (the common rounding
 * core of every operation; see f80_round_pack). */
f80 f80_round_bits(bool sign, int32_t exp, uint64_t hi, uint64_t lo, unsigned bits,
                   struct f80_env *e);

#endif
