/*
 * test_f80.c - unit tests of the soft x87 core (cpu/fpu/f80*.c).  The
 * expected values are worked out by hand from the SDM (vol. 1, 4.8, 4.9,
 * 8.2.2, 8.5, table 8-10; vol. 2, the instruction pages), and, for the
 * table of every operand class x operation (f80_vectors.inc), taken from
 * the host's x87 by f80_vecgen.c.  No host floating point: they run the
 * same on every host, big-endian too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cpu/fpu/f80.h"
#include "tests/f80/f80_ops.h"

#define ONE ((f80){0x8000000000000000ull, 0x3FFF})
#define TWO ((f80){0x8000000000000000ull, 0x4000})
#define NONE ((f80){0x8000000000000000ull, 0xBFFF})
#define PZERO ((f80){0, 0x0000})
#define NZERO ((f80){0, 0x8000})
#define PINF ((f80){0x8000000000000000ull, 0x7FFF})
#define NINF ((f80){0x8000000000000000ull, 0xFFFF})
#define MAXF ((f80){0xFFFFFFFFFFFFFFFFull, 0x7FFE})
#define MINN ((f80){0x8000000000000000ull, 0x0001})
#define THIRD ((f80){0xAAAAAAAAAAAAAAABull, 0x3FFD})
#define SNAN ((f80){0x8000000000000001ull, 0x7FFF})
#define QNAN ((f80){0xC000000000000002ull, 0x7FFF})
#define INDEF ((f80){0xC000000000000000ull, 0xFFFF})

static struct f80_env env(unsigned rc, unsigned pc, unsigned masks)
{
    return (struct f80_env){(uint8_t)rc, (uint8_t)pc, (uint8_t)masks, 0, false};
}

static struct f80_env masked(unsigned rc, unsigned pc) { return env(rc, pc, 0x3F); }

#define assert_f80(v, se_, sig_)                                                            \
    do {                                                                                    \
        f80 v_ = (v);                                                                       \
        assert_int_equal(v_.se, (se_));                                                     \
        assert_int_equal(v_.sig, (sig_));                                                   \
    } while (0)

static void test_classify(void **state)
{
    (void)state;
    assert_true(f80_is_zero(PZERO) && f80_is_zero(NZERO) && !f80_is_zero(MINN));
    assert_true(f80_is_inf(PINF) && f80_is_inf(NINF) && !f80_is_inf(QNAN));
    assert_true(f80_is_nan(SNAN) && f80_is_nan(QNAN) && f80_is_nan(INDEF) && !f80_is_nan(PINF));
    assert_true(f80_is_snan(SNAN) && !f80_is_snan(QNAN) && !f80_is_snan(INDEF));
    /* Denormals, pseudo-denormals (exponent 0, bit 63 set). */
    assert_true(f80_is_denormal((f80){1, 0}) && f80_is_denormal((f80){0x8000000000000001ull, 0}));
    assert_false(f80_is_denormal(PZERO));
    /* Unsupported: pseudo-NaN, pseudo-infinity, unnormal. */
    assert_true(f80_is_unsupported((f80){0x4000000000000001ull, 0x7FFF}));
    assert_true(f80_is_unsupported((f80){0, 0x7FFF}));
    assert_true(f80_is_unsupported((f80){0x4000000000000000ull, 0x3FFF}));
    assert_false(f80_is_unsupported((f80){0x4000000000000000ull, 0x0000}));
    assert_false(f80_is_nan((f80){0x4000000000000001ull, 0x7FFF}));
}

/* 1 + 2^-64 under every RC and PC: half an ulp at 64 bits, less at 53 and
 * 24; round-up gives 1 + ulp(pc) with C1. */
static void test_add_rounding_matrix(void **state)
{
    (void)state;
    static const unsigned pcs[3] = {F80_PC_24, F80_PC_53, F80_PC_64};
    static const uint64_t up_sig[3] = {0x8000010000000000ull, 0x8000000000000800ull,
                                       0x8000000000000001ull};
    for (unsigned rc = 0; rc < 4; rc++) {
        for (unsigned p = 0; p < 3; p++) {
            struct f80_env e = masked(rc, pcs[p]);
            f80 r = f80_add(ONE, (f80){0x8000000000000000ull, 0x3FBF}, &e);
            bool up = rc == F80_RC_UP;
            assert_f80(r, 0x3FFF, up ? up_sig[p] : 0x8000000000000000ull);
            assert_int_equal(e.flags, F80_PE);
            assert_int_equal(e.c1, up);
            /* The same negated: RC = down is the one that rounds up. */
            e = masked(rc, pcs[p]);
            r = f80_sub(NONE, (f80){0x8000000000000000ull, 0x3FBF}, &e);
            assert_f80(r, 0xBFFF, rc == F80_RC_DOWN ? up_sig[p] : 0x8000000000000000ull);
            assert_int_equal(e.c1, rc == F80_RC_DOWN);
        }
    }
}

/* SDM vol. 1, 4.8.3.6 and 8.5.1: invalid operations give the real
 * indefinite with IE. */
static void test_invalid_operations(void **state)
{
    (void)state;
    struct f80_env e = masked(0, 3);
    assert_f80(f80_add(PINF, NINF, &e), 0xFFFF, 0xC000000000000000ull);
    assert_int_equal(e.flags, F80_IE);
    e = masked(0, 3);
    assert_f80(f80_sub(PINF, PINF, &e), 0xFFFF, 0xC000000000000000ull);
    assert_int_equal(e.flags, F80_IE);
    e = masked(0, 3);
    assert_f80(f80_mul(NZERO, PINF, &e), 0xFFFF, 0xC000000000000000ull);
    e = masked(0, 3);
    assert_f80(f80_div(PZERO, NZERO, &e), 0xFFFF, 0xC000000000000000ull);
    assert_int_equal(e.flags, F80_IE);
    e = masked(0, 3);
    assert_f80(f80_div(NINF, PINF, &e), 0xFFFF, 0xC000000000000000ull);
    e = masked(0, 3);
    assert_f80(f80_sqrt(NONE, &e), 0xFFFF, 0xC000000000000000ull);
    assert_int_equal(e.flags, F80_IE);
    /* sqrt(-0) = -0, no exception. */
    e = masked(0, 3);
    assert_f80(f80_sqrt(NZERO, &e), 0x8000, 0);
    assert_int_equal(e.flags, 0);
    /* Unsupported encodings are invalid operands (8.2.2). */
    e = masked(0, 3);
    assert_f80(f80_add((f80){0x4000000000000000ull, 0x3FFF}, ONE, &e), 0xFFFF,
               0xC000000000000000ull);
    assert_int_equal(e.flags, F80_IE);
    e = masked(0, 3);
    assert_f80(f80_mul(ONE, (f80){0, 0x7FFF}, &e), 0xFFFF, 0xC000000000000000ull);
    assert_int_equal(e.flags, F80_IE);
    /* Unmasked: only IE is reported, even if a masked result would be
     * inexact. */
    e = env(0, 3, 0);
    f80_add(PINF, NINF, &e);
    assert_int_equal(e.flags, F80_IE);
}

/* Table 8-10: SNaN quieted with IE; an SNaN and a QNaN give the QNaN; two
 * of a kind give the larger significand, the positive one on a tie. */
static void test_nan_rules(void **state)
{
    (void)state;
    struct f80_env e = masked(0, 3);
    assert_f80(f80_add(SNAN, ONE, &e), 0x7FFF, 0xC000000000000001ull);
    assert_int_equal(e.flags, F80_IE);
    e = masked(0, 3);
    assert_f80(f80_mul(ONE, QNAN, &e), 0x7FFF, 0xC000000000000002ull);
    assert_int_equal(e.flags, 0);
    e = masked(0, 3);
    f80 big_snan = {0xBFFFFFFFFFFFFFFFull, 0xFFFF};
    assert_f80(f80_div(big_snan, QNAN, &e), 0x7FFF, 0xC000000000000002ull);
    assert_int_equal(e.flags, F80_IE);
    e = masked(0, 3);
    assert_f80(f80_sub((f80){0xC000000000000001ull, 0x7FFF}, (f80){0xC000000000000009ull, 0xFFFF},
                       &e),
               0xFFFF, 0xC000000000000009ull);
    e = masked(0, 3);
    assert_f80(f80_add((f80){0xC000000000000002ull, 0xFFFF}, QNAN, &e), 0x7FFF,
               0xC000000000000002ull);
    e = masked(0, 3);
    assert_f80(f80_sqrt(SNAN, &e), 0x7FFF, 0xC000000000000001ull);
    assert_int_equal(e.flags, F80_IE);
    /* A NaN beats a zero divisor and a denormal: no ZE, no DE. */
    e = masked(0, 3);
    assert_f80(f80_div(QNAN, PZERO, &e), 0x7FFF, 0xC000000000000002ull);
    assert_int_equal(e.flags, 0);
}

/* 8.5.4 / table 4-10: masked overflow gives infinity or the largest
 * finite value of the precision by RC; unmasked, the exponent wraps. */
static void test_overflow(void **state)
{
    (void)state;
    struct f80_env e = masked(F80_RC_NEAR, F80_PC_64);
    assert_f80(f80_add(MAXF, MAXF, &e), 0x7FFF, 0x8000000000000000ull);
    assert_int_equal(e.flags, F80_OE | F80_PE);
    assert_true(e.c1);
    e = masked(F80_RC_ZERO, F80_PC_64);
    assert_f80(f80_add(MAXF, MAXF, &e), 0x7FFE, 0xFFFFFFFFFFFFFFFFull);
    assert_int_equal(e.flags, F80_OE | F80_PE);
    assert_false(e.c1);
    /* PC = 24 keeps the extended exponent range but the largest finite
     * value has 24 significand bits. */
    e = masked(F80_RC_ZERO, F80_PC_24);
    assert_f80(f80_add(MAXF, MAXF, &e), 0x7FFE, 0xFFFFFF0000000000ull);
    e = masked(F80_RC_DOWN, F80_PC_53);
    assert_f80(f80_add(MAXF, MAXF, &e), 0x7FFE, 0xFFFFFFFFFFFFF800ull);
    e = masked(F80_RC_DOWN, F80_PC_64);
    assert_f80(f80_mul(MAXF, (f80){0x8000000000000000ull, 0xC000}, &e), 0xFFFF,
               0x8000000000000000ull);
    /* Unmasked: 2 * max = 2^16384 * (1 - 2^-64), exact: exponent 7FFFh
     * wrapped by 24576 to 1FFFh, OE only. */
    e = env(F80_RC_NEAR, F80_PC_64, 0x3F & ~F80_OE);
    assert_f80(f80_add(MAXF, MAXF, &e), 0x1FFF, 0xFFFFFFFFFFFFFFFFull);
    assert_int_equal(e.flags, F80_OE);
}

/* 8.5.5 and 4.9.1.5: denormal results, UE when tiny and inexact (masked)
 * or tiny (unmasked, wrapped exponent); tininess after rounding. */
static void test_underflow(void **state)
{
    (void)state;
    struct f80_env e = masked(0, 3);
    f80 half = {0x8000000000000000ull, 0x3FFE};
    assert_f80(f80_mul(MINN, half, &e), 0x0000, 0x4000000000000000ull);
    assert_int_equal(e.flags, 0); /* exact denormal: no UE */
    e = masked(0, 3);
    assert_f80(f80_mul(MINN, THIRD, &e), 0x0000, 0x2AAAAAAAAAAAAAABull);
    assert_int_equal(e.flags, F80_UE | F80_PE);
    assert_true(e.c1);
    e = env(0, 3, 0x3F & ~F80_UE);
    assert_f80(f80_mul(MINN, half, &e), 0x6000, 0x8000000000000000ull);
    assert_int_equal(e.flags, F80_UE);
    /* -(2^-16382 - 2^-16445): at PC = 24 it rounds to -2^-16382, so it is
     * not tiny: PE and C1, no UE (DE from the denormal operand). */
    e = masked(F80_RC_NEAR, F80_PC_24);
    assert_f80(f80_add((f80){0x8000000000000000ull, 0x8001}, (f80){1, 0}, &e), 0x8001,
               0x8000000000000000ull);
    assert_int_equal(e.flags, F80_DE | F80_PE);
    assert_true(e.c1);
    /* At PC = 64 the same sum is an exact denormal. */
    e = masked(F80_RC_NEAR, F80_PC_64);
    assert_f80(f80_add((f80){0x8000000000000000ull, 0x8001}, (f80){1, 0}, &e), 0x8000,
               0x7FFFFFFFFFFFFFFFull);
    assert_int_equal(e.flags, F80_DE);
    /* Denormal results are rounded at the precision's bit position. */
    e = masked(F80_RC_UP, F80_PC_24);
    assert_f80(f80_mul(MINN, THIRD, &e), 0x0000, 0x2AAAAB0000000000ull);
    assert_int_equal(e.flags, F80_UE | F80_PE);
}

static void test_zero_divide_and_denormals(void **state)
{
    (void)state;
    struct f80_env e = masked(0, 3);
    assert_f80(f80_div(NONE, PZERO, &e), 0xFFFF, 0x8000000000000000ull);
    assert_int_equal(e.flags, F80_ZE);
    /* A denormal dividend over zero: ZE only. */
    e = masked(0, 3);
    assert_f80(f80_div((f80){5, 0}, NZERO, &e), 0xFFFF, 0x8000000000000000ull);
    assert_int_equal(e.flags, F80_ZE);
    /* inf / 0 is inf without ZE. */
    e = masked(0, 3);
    assert_f80(f80_div(PINF, PZERO, &e), 0x7FFF, 0x8000000000000000ull);
    assert_int_equal(e.flags, 0);
    /* Pseudo-denormal operand: DE, it stands for exponent 1. */
    e = masked(0, 3);
    assert_f80(f80_add((f80){0x8000000000000001ull, 0}, PZERO, &e), 0x0001,
               0x8000000000000001ull);
    assert_int_equal(e.flags, F80_DE);
    /* Unmasked DE: only DE (no PE from the masked computation). */
    e = env(0, 3, 0x3F & ~F80_DE);
    f80_add((f80){1, 0}, ONE, &e);
    assert_int_equal(e.flags, F80_DE);
    /* Masked: the sum is computed, DE and PE. */
    e = masked(0, 3);
    assert_f80(f80_add((f80){1, 0}, ONE, &e), 0x3FFF, 0x8000000000000000ull);
    assert_int_equal(e.flags, F80_DE | F80_PE);
    /* Exact zero sums: +0, or -0 with RC = down. */
    e = masked(F80_RC_NEAR, 3);
    assert_f80(f80_sub(ONE, ONE, &e), 0x0000, 0);
    e = masked(F80_RC_DOWN, 3);
    assert_f80(f80_sub(ONE, ONE, &e), 0x8000, 0);
    e = masked(F80_RC_UP, 3);
    assert_f80(f80_add(NZERO, NZERO, &e), 0x8000, 0);
}

static void test_sqrt_div_mul(void **state)
{
    (void)state;
    /* sqrt(2) = 1.6A09E667F3BCC908B2Fh...: significand B504F333F9DE6484
     * followed by 0101b: round to nearest and down agree, up adds one. */
    f80 two = TWO;
    struct f80_env e = masked(F80_RC_NEAR, 3);
    assert_f80(f80_sqrt(two, &e), 0x3FFF, 0xB504F333F9DE6484ull);
    assert_int_equal(e.flags, F80_PE);
    assert_false(e.c1);
    e = masked(F80_RC_UP, 3);
    assert_f80(f80_sqrt(two, &e), 0x3FFF, 0xB504F333F9DE6485ull);
    assert_true(e.c1);
    e = masked(0, 3);
    assert_f80(f80_sqrt((f80){0x8000000000000000ull, 0x4001}, &e), 0x4000, 0x8000000000000000ull);
    assert_int_equal(e.flags, 0);
    /* 1 / 3 = 0.AAAA...: nearest rounds up (C1), zero truncates. */
    f80 three = {0xC000000000000000ull, 0x4000};
    e = masked(F80_RC_NEAR, 3);
    assert_f80(f80_div(ONE, three, &e), 0x3FFD, 0xAAAAAAAAAAAAAAABull);
    assert_true(e.c1);
    e = masked(F80_RC_ZERO, 3);
    assert_f80(f80_div(ONE, three, &e), 0x3FFD, 0xAAAAAAAAAAAAAAAAull);
    assert_false(e.c1);
    e = masked(F80_RC_NEAR, F80_PC_24);
    assert_f80(f80_div(ONE, three, &e), 0x3FFD, 0xAAAAAB0000000000ull);
    e = masked(F80_RC_NEAR, F80_PC_53);
    assert_f80(f80_div(ONE, three, &e), 0x3FFD, 0xAAAAAAAAAAAAA800ull);
    /* (1/3 rounded) * 3 = 1 + 2^-64 exactly representable? 0.AAAA..AB * 3
     * = 1.0000..01 (2^-63 ulp at exponent 0): 1 + 2^-64 ties to even. */
    e = masked(F80_RC_NEAR, 3);
    assert_f80(f80_mul(THIRD, three, &e), 0x3FFF, 0x8000000000000000ull);
    assert_int_equal(e.flags, F80_PE);
}

static void test_round_int_scale_xtract(void **state)
{
    (void)state;
    f80 p25 = {0xA000000000000000ull, 0x4000}, m25 = {0xA000000000000000ull, 0xC000};
    static const uint64_t pos[4] = {0x8000000000000000ull, 0x8000000000000000ull,
                                    0xC000000000000000ull, 0x8000000000000000ull};
    static const uint16_t pos_se[4] = {0x4000, 0x4000, 0x4000, 0x4000};
    for (unsigned rc = 0; rc < 4; rc++) {
        struct f80_env e = masked(rc, F80_PC_24);
        assert_f80(f80_round_int(p25, &e), pos_se[rc], pos[rc]);
        assert_int_equal(e.flags, F80_PE);
        assert_int_equal(e.c1, rc == F80_RC_UP);
        e = masked(rc, F80_PC_24);
        assert_f80(f80_round_int(m25, &e), 0xC000, rc == F80_RC_DOWN ? 0xC000000000000000ull
                                                                     : 0x8000000000000000ull);
    }
    /* 0.3 rounds to +0 / -0 keeping the sign. */
    struct f80_env e = masked(F80_RC_NEAR, 3);
    assert_f80(f80_round_int((f80){0x9999999999999999ull, 0xBFFD}, &e), 0x8000, 0);
    /* FSCALE: 1.5 * 2^trunc(-2.7) = 0.375. */
    e = masked(0, 3);
    assert_f80(f80_scale((f80){0xC000000000000000ull, 0x3FFF}, (f80){0xACCCCCCCCCCCCCCDull, 0xC000},
                         &e),
               0x3FFD, 0xC000000000000000ull);
    assert_int_equal(e.flags, 0);
    /* 0 * 2^+inf is invalid, x * 2^-inf is a signed zero. */
    e = masked(0, 3);
    assert_f80(f80_scale(PZERO, PINF, &e), 0xFFFF, 0xC000000000000000ull);
    e = masked(0, 3);
    assert_f80(f80_scale(NONE, NINF, &e), 0x8000, 0);
    /* FXTRACT: 10 = 1.25 * 2^3. */
    f80 ex, sig;
    e = masked(0, 3);
    f80_xtract((f80){0xA000000000000000ull, 0x4002}, &ex, &sig, &e);
    assert_f80(ex, 0x4000, 0xC000000000000000ull);
    assert_f80(sig, 0x3FFF, 0xA000000000000000ull);
    /* Zero: ZE, exponent -inf, the zero itself. */
    e = masked(0, 3);
    f80_xtract(NZERO, &ex, &sig, &e);
    assert_int_equal(e.flags, F80_ZE);
    assert_f80(ex, 0xFFFF, 0x8000000000000000ull);
    assert_f80(sig, 0x8000, 0);
    /* Denormal 2^-16400: DE, exponent -16400, significand 1.0. */
    e = masked(0, 3);
    f80_xtract((f80){1ull << 45, 0}, &ex, &sig, &e);
    assert_int_equal(e.flags, F80_DE);
    assert_f80(ex, 0xC00D, 0x8020000000000000ull);
    assert_f80(sig, 0x3FFF, 0x8000000000000000ull);
}

static void test_prem(void **state)
{
    (void)state;
    f80 a = {0xB000000000000000ull, 0x4001}; /* 5.5 */
    unsigned q;
    bool inc;
    struct f80_env e = masked(0, 3);
    /* FPREM: 5.5 = 2 * 2 + 1.5. */
    assert_f80(f80_prem(a, TWO, false, &q, &inc, &e), 0x3FFF, 0xC000000000000000ull);
    assert_int_equal(q, 2);
    assert_false(inc);
    /* FPREM1: 5.5 = 3 * 2 - 0.5. */
    e = masked(0, 3);
    assert_f80(f80_prem(a, TWO, true, &q, &inc, &e), 0xBFFE, 0x8000000000000000ull);
    assert_int_equal(q, 3);
    /* Exponent difference >= 64: partial (C2), by 32 + (d mod 32). */
    e = masked(0, 3);
    f80 big = {0x8000000000000000ull, 0x4063}; /* 2^100 */
    f80 r = f80_prem(big, (f80){0xC000000000000000ull, 0x4000}, false, &q, &inc, &e);
    assert_true(inc);
    assert_int_equal(q, 0);
    /* d = 99, reduced by 32 + 3 = 35: the result is below 3 * 2^(99-35+1). */
    assert_true(f80_exp(r) <= 0x4000 + 65 && f80_exp(r) >= 0x4000 + 60);
    /* x rem inf = x; inf rem x and x rem 0 invalid. */
    e = masked(0, 3);
    assert_f80(f80_prem(a, PINF, false, &q, &inc, &e), 0x4001, 0xB000000000000000ull);
    e = masked(0, 3);
    assert_f80(f80_prem(a, PZERO, false, &q, &inc, &e), 0xFFFF, 0xC000000000000000ull);
    assert_int_equal(e.flags, F80_IE);
}

static void test_compare(void **state)
{
    (void)state;
    struct f80_env e = masked(0, 3);
    assert_int_equal(f80_compare(PZERO, NZERO, false, &e), F80_EQ);
    assert_int_equal(f80_compare(NONE, ONE, false, &e), F80_LT);
    assert_int_equal(f80_compare(PINF, MAXF, false, &e), F80_GT);
    assert_int_equal(e.flags, 0);
    assert_int_equal(f80_compare(QNAN, ONE, true, &e), F80_UN);
    assert_int_equal(e.flags, 0);
    assert_int_equal(f80_compare(QNAN, ONE, false, &e), F80_UN);
    assert_int_equal(e.flags, F80_IE);
    e = masked(0, 3);
    assert_int_equal(f80_compare(ONE, SNAN, true, &e), F80_UN);
    assert_int_equal(e.flags, F80_IE);
    /* Denormal vs its pseudo-denormal twin of the same value: equal, DE. */
    e = masked(0, 3);
    assert_int_equal(f80_compare((f80){0x8000000000000000ull, 0}, MINN, true, &e), F80_EQ);
    assert_int_equal(e.flags, F80_DE);
}

static void test_integers(void **state)
{
    (void)state;
    f80 p25 = {0xA000000000000000ull, 0x4000}, m25 = {0xA000000000000000ull, 0xC000};
    static const int64_t p_exp[4] = {2, 2, 3, 2}, m_exp[4] = {-2, -3, -2, -2};
    for (unsigned rc = 0; rc < 4; rc++) {
        struct f80_env e = masked(rc, 3);
        assert_int_equal(f80_to_int(p25, 16, &e), p_exp[rc]);
        assert_int_equal(e.flags, F80_PE);
        assert_int_equal(e.c1, rc == F80_RC_UP);
        e = masked(rc, 3);
        assert_int_equal(f80_to_int(m25, 64, &e), m_exp[rc]);
        assert_int_equal(e.c1, rc == F80_RC_DOWN);
    }
    /* 32767.5 rounds to 32768: out of range, IE and the indefinite, no PE. */
    struct f80_env e = masked(F80_RC_NEAR, 3);
    assert_int_equal(f80_to_int((f80){0xFFFF000000000000ull, 0x400D}, 16, &e), -32768);
    assert_int_equal(e.flags, F80_IE);
    /* -32768.25 rounds to -32768: in range. */
    e = masked(F80_RC_NEAR, 3);
    assert_int_equal(f80_to_int((f80){0x8000800000000000ull, 0xC00E}, 16, &e), -32768);
    assert_int_equal(e.flags, F80_PE);
    e = masked(0, 3);
    assert_int_equal(f80_to_int(QNAN, 32, &e), INT32_MIN);
    assert_int_equal(e.flags, F80_IE);
    e = masked(0, 3);
    assert_int_equal(f80_to_int((f80){0x8000000000000000ull, 0x403E}, 64, &e), INT64_MIN);
    assert_int_equal(e.flags, F80_IE);
    e = masked(0, 3);
    assert_int_equal(f80_to_int((f80){0x8000000000000000ull, 0xC03E}, 64, &e), INT64_MIN);
    assert_int_equal(e.flags, 0);
    assert_f80(f80_from_int(-5), 0xC001, 0xA000000000000000ull);
    assert_f80(f80_from_int(INT64_MIN), 0xC03E, 0x8000000000000000ull);
    assert_f80(f80_from_int(0), 0x0000, 0);
}

static void test_binary_formats(void **state)
{
    (void)state;
    struct f80_env e = masked(F80_RC_NEAR, F80_PC_24);
    assert_int_equal(f80_to_f32(THIRD, &e), 0x3EAAAAABu);
    assert_int_equal(e.flags, F80_PE);
    assert_true(e.c1);
    e = masked(F80_RC_ZERO, 3);
    assert_int_equal(f80_to_f32(THIRD, &e), 0x3EAAAAAAu);
    assert_false(e.c1);
    e = masked(F80_RC_NEAR, 3);
    assert_int_equal(f80_to_f64(THIRD, &e), 0x3FD5555555555555ull);
    /* Overflow into single: infinity (nearest) or the largest single. */
    e = masked(F80_RC_NEAR, 3);
    assert_int_equal(f80_to_f32(MAXF, &e), 0x7F800000u);
    assert_int_equal(e.flags, F80_OE | F80_PE);
    e = masked(F80_RC_ZERO, 3);
    assert_int_equal(f80_to_f32(MAXF, &e), 0x7F7FFFFFu);
    /* Unmasked OE to memory: nothing stored, OE only. */
    e = env(F80_RC_NEAR, 3, 0x3F & ~F80_OE);
    f80_to_f32(MAXF, &e);
    assert_int_equal(e.flags, F80_OE);
    /* Single denormals: 2^-149 exact; 1.5 * 2^-149 ties to 2^-148. */
    e = masked(F80_RC_NEAR, 3);
    assert_int_equal(f80_to_f32((f80){0x8000000000000000ull, 0x3F6A}, &e), 1u);
    assert_int_equal(e.flags, 0);
    e = masked(F80_RC_NEAR, 3);
    assert_int_equal(f80_to_f32((f80){0xC000000000000000ull, 0x3F6A}, &e), 2u);
    assert_int_equal(e.flags, F80_UE | F80_PE);
    assert_true(e.c1);
    /* NaNs keep their top bits; SNaN quieted with IE; unsupported ->
     * the indefinite. */
    e = masked(0, 3);
    assert_int_equal(f80_to_f32(SNAN, &e), 0x7FC00000u);
    assert_int_equal(e.flags, F80_IE);
    e = masked(0, 3);
    assert_int_equal(f80_to_f64((f80){0xC000000000000800ull, 0xFFFF}, &e), 0xFFF8000000000001ull);
    e = masked(0, 3);
    assert_int_equal(f80_to_f32((f80){0, 0x7FFF}, &e), 0xFFC00000u);
    assert_int_equal(e.flags, F80_IE);
    /* Loads: exact, denormals DE (normalized), SNaN IE and quieted. */
    e = masked(0, 3);
    assert_f80(f80_from_f32(1u, &e), 0x3F6A, 0x8000000000000000ull);
    assert_int_equal(e.flags, F80_DE);
    e = masked(0, 3);
    assert_f80(f80_from_f32(0x7F800001u, &e), 0x7FFF, 0xC000010000000000ull);
    assert_int_equal(e.flags, F80_IE);
    e = masked(0, 3);
    assert_f80(f80_from_f64(0xBFF8000000000000ull, &e), 0xBFFF, 0xC000000000000000ull);
    assert_f80(f80_from_f64(0xFFF0000000000000ull, &e), 0xFFFF, 0x8000000000000000ull);
    assert_int_equal(e.flags, 0);
}

static void test_bcd(void **state)
{
    (void)state;
    uint8_t b[10];
    struct f80_env e = masked(F80_RC_NEAR, 3);
    f80_to_bcd(f80_from_int(-1234), b, &e);
    static const uint8_t m1234[10] = {0x34, 0x12, 0, 0, 0, 0, 0, 0, 0, 0x80};
    assert_memory_equal(b, m1234, 10);
    assert_int_equal(e.flags, 0);
    /* 10^18 needs 19 digits: IE and the packed BCD indefinite. */
    e = masked(F80_RC_NEAR, 3);
    f80_to_bcd(f80_from_int(1000000000000000000ll), b, &e);
    static const uint8_t indef[10] = {0, 0, 0, 0, 0, 0, 0, 0xC0, 0xFF, 0xFF};
    assert_memory_equal(b, indef, 10);
    assert_int_equal(e.flags, F80_IE);
    /* 2.5 rounds by RC. */
    e = masked(F80_RC_UP, 3);
    f80_to_bcd((f80){0xA000000000000000ull, 0x4000}, b, &e);
    assert_int_equal(b[0], 3);
    assert_int_equal(e.flags, F80_PE);
    assert_true(e.c1);
    static const uint8_t nines[10] = {0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0};
    assert_f80(f80_from_bcd(nines), 0x403A, 0xDE0B6B3A763FFFF0ull);
    static const uint8_t negzero[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80};
    assert_f80(f80_from_bcd(negzero), 0x8000, 0);
}

/* SDM vol. 1, 8.3.8: the constants are rounded by RC (pi = C90FDAA2
 * 2168C234 C4C6...: nearest and up give ...235, down and chop ...234). */
static void test_constants(void **state)
{
    (void)state;
    assert_f80(f80_const(F80_PI, F80_RC_NEAR), 0x4000, 0xC90FDAA22168C235ull);
    assert_f80(f80_const(F80_PI, F80_RC_UP), 0x4000, 0xC90FDAA22168C235ull);
    assert_f80(f80_const(F80_PI, F80_RC_DOWN), 0x4000, 0xC90FDAA22168C234ull);
    assert_f80(f80_const(F80_PI, F80_RC_ZERO), 0x4000, 0xC90FDAA22168C234ull);
    assert_f80(f80_const(F80_L2T, F80_RC_NEAR), 0x4000, 0xD49A784BCD1B8AFEull);
    assert_f80(f80_const(F80_L2T, F80_RC_UP), 0x4000, 0xD49A784BCD1B8AFFull);
    assert_f80(f80_const(F80_L2E, F80_RC_NEAR), 0x3FFF, 0xB8AA3B295C17F0BCull);
    assert_f80(f80_const(F80_L2E, F80_RC_DOWN), 0x3FFF, 0xB8AA3B295C17F0BBull);
    assert_f80(f80_const(F80_LG2, F80_RC_NEAR), 0x3FFD, 0x9A209A84FBCFF799ull);
    assert_f80(f80_const(F80_LN2, F80_RC_ZERO), 0x3FFE, 0xB17217F7D1CF79ABull);
    assert_f80(f80_const(F80_ONE, F80_RC_UP), 0x3FFF, 0x8000000000000000ull);
    assert_f80(f80_const(F80_ZERO, F80_RC_DOWN), 0x0000, 0);
}

/* f80_round_pack, the transcendental code's rounding entry. */
static void test_round_pack(void **state)
{
    (void)state;
    struct f80_env e = masked(F80_RC_NEAR, F80_PC_24);
    assert_f80(f80_round_pack(false, 0x3FFF, 0x8000000000000000ull, 1, true, &e), 0x3FFF,
               0x8000000000000000ull);
    assert_int_equal(e.flags, F80_PE);
    e = masked(F80_RC_UP, F80_PC_24);
    assert_f80(f80_round_pack(false, 0x3FFF, 0x8000000000000000ull, 1, true, &e), 0x3FFF,
               0x8000000000000001ull);
    assert_true(e.c1);
    e = masked(F80_RC_UP, F80_PC_24);
    assert_f80(f80_round_pack(false, 0x3FFF, 0x8000000000000000ull, 1, false, &e), 0x3FFF,
               0x8000010000000000ull);
    /* Unnormalized input: 1 at bit 63 of sig_lo with exp 16383 + 64. */
    e = masked(F80_RC_NEAR, F80_PC_64);
    assert_f80(f80_round_pack(true, 0x3FFF + 64, 0, 0x8000000000000000ull, true, &e), 0xBFFF,
               0x8000000000000000ull);
    assert_int_equal(e.flags, 0);
    /* Far out of range. */
    e = masked(F80_RC_NEAR, F80_PC_64);
    assert_f80(f80_round_pack(false, 100000, 1, 0, true, &e), 0x7FFF, 0x8000000000000000ull);
    assert_int_equal(e.flags, F80_OE | F80_PE);
    e = masked(F80_RC_NEAR, F80_PC_64);
    assert_f80(f80_round_pack(false, -100000, 1, 0, true, &e), 0x0000, 0);
    assert_int_equal(e.flags, F80_UE | F80_PE);
}

/* Every operand class through every operation, and the RC/PC matrix of
 * rounding cases, against the host x87's answers (f80_vectors.inc). */
struct f80_vector {
    enum f80t_op op;
    uint16_t cw;
    f80 a, b, r, r2;
    uint16_t sw;
};

static const struct f80_vector f80_vectors[] = {
#include "tests/f80/f80_vectors.inc"
};

static void test_host_vectors(void **state)
{
    (void)state;
    unsigned bad = 0;
    size_t n = sizeof f80_vectors / sizeof f80_vectors[0];
    for (size_t i = 0; i < n; i++) {
        const struct f80_vector *v = &f80_vectors[i];
        uint8_t in[20], want[20];
        struct f80t_out o;
        f80t_put80(in, v->a);
        f80t_put80(in + 10, v->b);
        f80t_put80(want, v->r);
        f80t_put80(want + 10, v->r2);
        f80t_soft_run(v->op, v->cw, in, &o);
        if (memcmp(o.mem, want, 20) || o.sw != v->sw) {
            f80 r = f80t_get80(o.mem);
            if (bad++ < 10)
                printf("vector %zu (%s cw=%04X a=%04X:%016llX b=%04X:%016llX): got "
                       "%04X:%016llX sw=%04X, want %04X:%016llX sw=%04X\n",
                       i, f80t_names[v->op], v->cw, v->a.se, (unsigned long long)v->a.sig,
                       v->b.se, (unsigned long long)v->b.sig, r.se, (unsigned long long)r.sig,
                       o.sw, v->r.se, (unsigned long long)v->r.sig, v->sw);
        }
    }
    assert_true(n > 1500);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_add_rounding_matrix),
        cmocka_unit_test(test_invalid_operations),
        cmocka_unit_test(test_nan_rules),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_underflow),
        cmocka_unit_test(test_zero_divide_and_denormals),
        cmocka_unit_test(test_sqrt_div_mul),
        cmocka_unit_test(test_round_int_scale_xtract),
        cmocka_unit_test(test_prem),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_binary_formats),
        cmocka_unit_test(test_bcd),
        cmocka_unit_test(test_constants),
        cmocka_unit_test(test_round_pack),
        cmocka_unit_test(test_host_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
