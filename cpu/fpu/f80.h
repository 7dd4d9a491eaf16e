/*
 * f80.h - 80-bit extended-precision arithmetic in software, bit-exact to
 * the P6 family's x87 (Intel SDM vol. 1, chapter 8 and 4.8; vol. 2, the
 * F* instruction pages).  Pure integer code: no host floating point, no
 * struct cpu; the same bits on every host.
 *
 * Conventions
 *  - A value is the register image: 64-bit significand (explicit integer
 *    bit 63) and 16-bit sign/exponent (bit 15 sign, bits 14-0 biased
 *    exponent, bias 16383).
 *  - Every operation takes a struct f80_env: the rounding control, the
 *    precision control and the exception masks of the control word in,
 *    the exception flags raised (OR-ed into env->flags) and C1 out.
 *  - Masked responses are the SDM's (QNaN propagation, the real
 *    indefinite, infinities, denormal results ...).  Unmasked responses:
 *    for IE, DE and ZE the operation still returns the masked value but
 *    the caller must not store it (the x87 leaves the destination
 *    unchanged: check env->flags & ~env->masks for F80_PRE_MASK); then
 *    only that pre-computation exception is reported (no PE/UE/OE, C1
 *    false, f80_prem's *q and *incomplete zero), as the x87 stops first;
 *    for OE and UE with a register destination the returned value has its
 *    exponent adjusted by -/+ 24576 (SDM vol. 1, 8.5.4, 8.5.5) and PE/C1
 *    are reported as usual.
 *  - Tininess is detected after rounding (as the host x87 does): a result
 *    that, rounded to the precision with an unbounded exponent, reaches
 *    the smallest normal is not tiny.  Masked: UE only when tiny and
 *    inexact (then with PE); unmasked: UE whenever tiny.
 *  - env->c1 is written by every operation that rounds (false unless the
 *    result was rounded up in magnitude); env->flags is only OR-ed.
 *  - All of this is checked bit for bit against the host's x87 by
 *    tests/f80/f80_diff.c (every operation below except the
 *    transcendentals).
 *  - "Unsupported" encodings (pseudo-NaN, pseudo-infinity, unnormal,
 *    i.e. a non-zero exponent with bit 63 clear) are invalid operands
 *    (IE, result the real indefinite); pseudo-denormals (exponent 0, bit
 *    63 set) are accepted as operands as the P6 does (DE, exponent 1).
 */
#ifndef CPU_FPU_F80_H
#define CPU_FPU_F80_H

#include <stdbool.h>
#include <stdint.h>

typedef struct f80 {
    uint64_t sig; /* significand, integer bit = bit 63 */
    uint16_t se;  /* bit 15 sign, bits 14-0 biased exponent */
} f80;

/* Exception flags: the bit positions of the x87 status/control words. */
enum {
    F80_IE = 0x01, F80_DE = 0x02, F80_ZE = 0x04, F80_OE = 0x08, F80_UE = 0x10, F80_PE = 0x20
};
/* Exceptions that, unmasked, leave the destination unchanged. */
#define F80_PRE_MASK (F80_IE | F80_DE | F80_ZE)

/* x87 CW.RC and CW.PC. PC = 1 is reserved; it is treated as 64 bits. */
enum f80_rc { F80_RC_NEAR = 0, F80_RC_DOWN = 1, F80_RC_UP = 2, F80_RC_ZERO = 3 };
enum f80_pc { F80_PC_24 = 0, F80_PC_53 = 2, F80_PC_64 = 3 };

struct f80_env {
    uint8_t rc;    /* enum f80_rc */
    uint8_t pc;    /* enum f80_pc: applies to add/sub/mul/div/sqrt only */
    uint8_t masks; /* control-word exception masks (F80_*) */
    uint8_t flags; /* out: exceptions raised, OR-ed in */
    bool c1;       /* out: the result was rounded up (meaningful with PE) */
};

/* Constants. */
#define F80_EXP_BIAS 16383
#define F80_EXP_MAX 0x7FFF
/** The real indefinite: negative QNaN, significand C000000000000000h. */
static inline f80 f80_indefinite(void) { return (f80){0xC000000000000000ull, 0xFFFF}; }
static inline bool f80_sign(f80 a) { return (a.se & 0x8000u) != 0; }
static inline unsigned f80_exp(f80 a) { return a.se & 0x7FFFu; }

/* ---- classification (no flags) ---------------------------------------- */
bool f80_is_zero(f80 a);
bool f80_is_inf(f80 a);        /* exponent 7FFFh, significand 8000000000000000h */
bool f80_is_nan(f80 a);        /* exponent 7FFFh, bit 63 set, fraction non-zero */
bool f80_is_snan(f80 a);       /* a NaN with bit 62 clear */
bool f80_is_denormal(f80 a);   /* exponent 0, significand non-zero (pseudo-denormals too) */
bool f80_is_unsupported(f80 a);/* pseudo-NaN, pseudo-infinity, unnormal */

/* ---- arithmetic (rounded to env->pc, env->rc) ------------------------- */
f80 f80_add(f80 a, f80 b, struct f80_env *e);
f80 f80_sub(f80 a, f80 b, struct f80_env *e);
f80 f80_mul(f80 a, f80 b, struct f80_env *e);
f80 f80_div(f80 a, f80 b, struct f80_env *e);
f80 f80_sqrt(f80 a, struct f80_env *e);
/** FRNDINT: round to an integer by env->rc (PC does not apply). */
f80 f80_round_int(f80 a, struct f80_env *e);
/** FSCALE: a * 2^trunc(b), rounded to 64 bits (PC does not apply).  A
 * zero b returns a unchanged (no UE for a denormal); an unmasked
 * over/underflow beyond the wrapping range gives infinity (C1 = 1) or a
 * zero, as the host x87. */
f80 f80_scale(f80 a, f80 b, struct f80_env *e);
/** FXTRACT: *exp = the unbiased exponent as a value, *sig = the
 * significand with exponent 0 (SDM vol. 2, FXTRACT, zero -> ZE, -inf). */
void f80_xtract(f80 a, f80 *exp, f80 *sig, struct f80_env *e);
/** FPREM (ieee = false: truncating quotient) and FPREM1 (ieee = true:
 * round-to-nearest quotient): partial remainder of a / b.  *q gets the
 * three low quotient bits (Q2, Q1, Q0 -> C0, C3, C1) and *incomplete is
 * set when the exponent difference was 64 or more (C2 = 1; then the
 * exponent is reduced by 32 + (difference mod 32), the quotient is
 * truncated for both, and *q is 0 as C0/C3/C1 read on Intel hardware). */
f80 f80_prem(f80 a, f80 b, bool ieee, unsigned *q, bool *incomplete, struct f80_env *e);

/* ---- comparison -------------------------------------------------------- */
enum f80_cmp { F80_LT = 0, F80_EQ = 1, F80_GT = 2, F80_UN = 3 };
/** FCOM (quiet = false: any NaN is IE) / FUCOM (quiet = true: only SNaN
 * is IE); unsupported encodings are IE in both; denormals DE. */
enum f80_cmp f80_compare(f80 a, f80 b, bool quiet, struct f80_env *e);

/* ---- conversions ------------------------------------------------------- */
/** Integer to extended: exact. */
f80 f80_from_int(int64_t v);
/** FIST/FISTP (bits = 16, 32, 64): round by env->rc; out of range, NaN or
 * infinity -> IE and the integer indefinite (the most negative value,
 * sign-extended), without PE.  A denormal source is not DE (FIST, FST
 * m32/m64 and FBSTP never raise DE on the host x87). */
int64_t f80_to_int(f80 a, unsigned bits, struct f80_env *e);
/** FISTTP is SSE3, not P6: not provided. */
/** Single/double to extended (FLD m32/m64): exact; SNaN -> IE and quieted,
 * denormal -> DE. */
f80 f80_from_f32(uint32_t v, struct f80_env *e);
f80 f80_from_f64(uint64_t v, struct f80_env *e);
/** Extended to single/double (FST m32/m64): rounded by env->rc to the
 * format (PC does not apply), overflow/underflow per the SDM with the
 * format's masked and unmasked responses (unmasked OE/UE on a memory
 * destination: nothing is stored, only OE or UE is reported and the
 * returned value is meaningless).  NaNs keep their top fraction bits;
 * unsupported encodings -> IE and the format's indefinite. */
uint32_t f80_to_f32(f80 a, struct f80_env *e);
uint64_t f80_to_f64(f80 a, struct f80_env *e);
/** FBLD: 18-digit packed BCD (10 bytes, little-endian) to extended; the
 * result of invalid digits is undefined on the P6: converted as if each
 * nibble were its value. */
f80 f80_from_bcd(const uint8_t bcd[10]);
/** FBSTP: rounded by env->rc; beyond 18 digits, NaN or infinity -> IE and
 * the packed BCD indefinite (FFFF C000 0000 0000 0000h bytes, SDM vol. 1,
 * 4.7). */
void f80_to_bcd(f80 a, uint8_t bcd[10], struct f80_env *e);

/** The x87's load-constant instructions, rounded by rc as the P6 does
 * (FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ). */
enum f80_const { F80_ONE, F80_L2T, F80_L2E, F80_PI, F80_LG2, F80_LN2, F80_ZERO };
f80 f80_const(enum f80_const k, enum f80_rc rc);

/* ---- transcendentals (cpu/fpu/f80_trans*.c) ----------------------------
 * Within 1 ulp over the documented domains, identical bits on every host.
 * Out-of-range arguments of FSIN/FCOS/FSINCOS/FPTAN (|x| >= 2^63) set
 * *out_of_range (the x87 sets C2 and leaves the operand unchanged). */
f80 f80_sin(f80 a, bool *out_of_range, struct f80_env *e);
f80 f80_cos(f80 a, bool *out_of_range, struct f80_env *e);
void f80_sincos(f80 a, f80 *s, f80 *c, bool *out_of_range, struct f80_env *e);
/** FPTAN: tan(a); the x87 then pushes 1.0. */
f80 f80_tan(f80 a, bool *out_of_range, struct f80_env *e);
/** FPATAN: atan(y / x) with the quadrant from both signs. */
f80 f80_atan2(f80 y, f80 x, struct f80_env *e);
/** F2XM1: 2^a - 1 for -1 <= a <= 1 (undefined outside, as on the P6). */
f80 f80_2xm1(f80 a, struct f80_env *e);
/** FYL2X: y * log2(x); FYL2XP1: y * log2(x + 1). */
f80 f80_yl2x(f80 y, f80 x, struct f80_env *e);
f80 f80_yl2xp1(f80 y, f80 x, struct f80_env *e);

/* ---- for the transcendental code: rounding a wide intermediate --------- */
/** Round (-1)^sign * S / 2^127 * 2^(exp - 16383), where S is the 128-bit
 * integer sig_hi:sig_lo (so exp is the biased exponent when bit 127 of S
 * is its leading 1; S need not be normalized; exp may be out of range), to
 * extended precision by env->pc (prec_64 = true forces 64 bits, as the
 * transcendentals do) and env->rc.  Overflow, underflow, denormal results,
 * PE and C1 come out exactly as from the arithmetic operations. */
f80 f80_round_pack(bool sign, int32_t exp, uint64_t sig_hi, uint64_t sig_lo, bool prec_64,
                   struct f80_env *e);

#endif
