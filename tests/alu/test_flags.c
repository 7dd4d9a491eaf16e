/*
 * test_flags.c - cpu/flags.h against a brute-force reference that derives
 * OF SF ZF AF PF CF directly from wide arithmetic.
 *
 * 8-bit operands are checked exhaustively (every pair, both carry-ins);
 * 16 and 32 bits with edge values plus a deterministic pseudo-random
 * sample.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

#include "cpu/flags.h"
#include "tests/alu/alu_ref.h"

/* Compare every accessor of f with the expected EFLAGS bits. */
static void check_flags(const struct cpu_lazy_flags *f, uint32_t want, uint32_t a, uint32_t b)
{
    uint32_t got = flags_get_oszapc(f);
    if (got != want)
        fail_msg("a=%08x b=%08x: flags %03x, want %03x", (unsigned)a, (unsigned)b, (unsigned)got,
                 (unsigned)want);
    assert_int_equal(flags_cf(f), !!(want & CPU_FL_CF));
    assert_int_equal(flags_pf(f), !!(want & CPU_FL_PF));
    assert_int_equal(flags_af(f), !!(want & CPU_FL_AF));
    assert_int_equal(flags_zf(f), !!(want & CPU_FL_ZF));
    assert_int_equal(flags_sf(f), !!(want & CPU_FL_SF));
    assert_int_equal(flags_of(f), !!(want & CPU_FL_OF));
}

/* Run every setter on one operand pair. */
static void check_pair(uint32_t a, uint32_t b, unsigned bits)
{
    struct cpu_lazy_flags f = {0, 0};
    uint32_t r, want;
    uint32_t m = ref_mask(bits);

    for (unsigned cin = 0; cin < 2; cin++) {
        want = ref_add(a, b, cin, bits, &r); /* ADD / ADC */
        flags_set_add(&f, bits, a, b, (a + b + cin) & m);
        check_flags(&f, want, a, b);
        want = ref_sub(a, b, cin, bits, &r); /* SUB / SBB / CMP */
        flags_set_sub(&f, bits, a, b, (a - b - cin) & m);
        check_flags(&f, want, a, b);
    }
    /* logic: CF = OF = AF = 0 */
    flags_set_logic(&f, bits, a & b);
    check_flags(&f, ref_szp(a & b, bits), a, b);
    flags_set_logic(&f, bits, a | b);
    check_flags(&f, ref_szp(a | b, bits), a, b);
    flags_set_logic(&f, bits, a ^ b);
    check_flags(&f, ref_szp(a ^ b, bits), a, b);
}

/* Unary setters on one operand, with both prior CF values. */
static void check_unary(uint32_t a, unsigned bits)
{
    struct cpu_lazy_flags f = {0, 0};
    uint32_t r, want;
    uint32_t m = ref_mask(bits);
    for (unsigned oldcf = 0; oldcf < 2; oldcf++) {
        flags_put_oszapc(&f, oldcf ? ALL6 : 0, ALL6);
        want = (ref_add(a, 1, 0, bits, &r) & ~CPU_FL_CF) | (oldcf ? CPU_FL_CF : 0);
        flags_set_inc(&f, bits, a, (a + 1) & m);
        check_flags(&f, want, a, 1);
        flags_put_oszapc(&f, oldcf ? ALL6 : 0, ALL6);
        want = (ref_sub(a, 1, 0, bits, &r) & ~CPU_FL_CF) | (oldcf ? CPU_FL_CF : 0);
        flags_set_dec(&f, bits, a, (a - 1) & m);
        check_flags(&f, want, a, 1);
    }
    want = ref_sub(0, a, 0, bits, &r); /* NEG */
    flags_set_sub(&f, bits, 0, a, (0u - a) & m);
    check_flags(&f, want, 0, a);
    assert_int_equal(flags_cf(&f), (a & m) != 0);
}

static void test_flags_8bit_exhaustive(void **state)
{
    (void)state;
    for (uint32_t a = 0; a < 256; a++) {
        for (uint32_t b = 0; b < 256; b++)
            check_pair(a, b, 8);
        check_unary(a, 8);
    }
}

static uint32_t rng_next(uint64_t *s)
{
    /* xorshift64*: deterministic sample */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (uint32_t)((*s * 0x2545F4914F6CDD1DULL) >> 32);
}

static const uint32_t edge[] = {0,          1,          2,          0x0F,       0x10,
                                0x7F,       0x80,       0xFF,       0x7FFF,     0x8000,
                                0xFFFF,     0x10000,    0x7FFFFFFF, 0x80000000, 0x80000001,
                                0xFFFFFFFE, 0xFFFFFFFF, 0x12345678, 0xDEADBEEF};

static void check_wide(unsigned bits)
{
    uint64_t s = 0x9E3779B97F4A7C15ULL ^ bits;
    uint32_t m = ref_mask(bits);
    size_t ne = sizeof edge / sizeof edge[0];
    for (size_t x = 0; x < ne; x++) {
        for (size_t y = 0; y < ne; y++)
            check_pair(edge[x] & m, edge[y] & m, bits);
        check_unary(edge[x] & m, bits);
    }
    for (unsigned n = 0; n < 200000; n++) {
        uint32_t a = rng_next(&s) & m, b = rng_next(&s) & m;
        /* bias some samples toward nearby values (small differences) */
        if (n & 1)
            b = (a + (rng_next(&s) & 0x1F) - 0x10) & m;
        check_pair(a, b, bits);
        check_unary(a, bits);
    }
}

static void test_flags_16bit_sample(void **state)
{
    (void)state;
    check_wide(16);
}

static void test_flags_32bit_sample(void **state)
{
    (void)state;
    check_wide(32);
}

/* flags_put_oszapc / flags_get_oszapc for all 64 combinations, full mask
 * and every single-flag mask on top of every prior state. */
static void test_flags_put_get_roundtrip(void **state)
{
    (void)state;
    static const uint32_t bit[6] = {CPU_FL_CF, CPU_FL_PF, CPU_FL_AF,
                                    CPU_FL_ZF, CPU_FL_SF, CPU_FL_OF};
    for (unsigned v = 0; v < 64; v++) {
        uint32_t ef = 0;
        for (unsigned k = 0; k < 6; k++)
            if (v & (1u << k))
                ef |= bit[k];
        struct cpu_lazy_flags f = {0x12345678u, 0xFFFFFFFFu};
        flags_put_oszapc(&f, ef | ~ALL6, ALL6);
        assert_int_equal(flags_get_oszapc(&f), ef);
        for (unsigned w = 0; w < 64; w++) {
            uint32_t prior = 0;
            for (unsigned k = 0; k < 6; k++)
                if (w & (1u << k))
                    prior |= bit[k];
            for (unsigned k = 0; k < 6; k++) {
                struct cpu_lazy_flags g = {0, 0};
                flags_put_oszapc(&g, prior, ALL6);
                flags_put_oszapc(&g, ef, bit[k]);
                assert_int_equal(flags_get_oszapc(&g), (prior & ~bit[k]) | (ef & bit[k]));
            }
        }
    }
}

/* The small setters each change exactly their own flags. */
static void test_flags_setters_keep_others(void **state)
{
    (void)state;
    for (unsigned v = 0; v < 64; v++) {
        uint32_t prior = ((v & 1) ? CPU_FL_CF : 0) | ((v & 2) ? CPU_FL_PF : 0) |
                         ((v & 4) ? CPU_FL_AF : 0) | ((v & 8) ? CPU_FL_ZF : 0) |
                         ((v & 16) ? CPU_FL_SF : 0) | ((v & 32) ? CPU_FL_OF : 0);
        for (unsigned x = 0; x < 2; x++) {
            struct cpu_lazy_flags f = {0, 0};
            flags_put_oszapc(&f, prior, ALL6);
            flags_set_cf(&f, x);
            assert_int_equal(flags_get_oszapc(&f), (prior & ~CPU_FL_CF) | (x ? CPU_FL_CF : 0));
            flags_put_oszapc(&f, prior, ALL6);
            flags_set_of(&f, x);
            assert_int_equal(flags_get_oszapc(&f), (prior & ~CPU_FL_OF) | (x ? CPU_FL_OF : 0));
            flags_put_oszapc(&f, prior, ALL6);
            flags_set_af(&f, x);
            assert_int_equal(flags_get_oszapc(&f), (prior & ~CPU_FL_AF) | (x ? CPU_FL_AF : 0));
            for (unsigned y = 0; y < 2; y++) {
                flags_put_oszapc(&f, prior, ALL6);
                flags_set_cf_of(&f, x, y);
                assert_int_equal(flags_get_oszapc(&f), (prior & ~(CPU_FL_CF | CPU_FL_OF)) |
                                                           (x ? CPU_FL_CF : 0) |
                                                           (y ? CPU_FL_OF : 0));
            }
        }
        for (unsigned szp = 0; szp < 8; szp++) {
            struct cpu_lazy_flags f = {0, 0};
            flags_put_oszapc(&f, prior, ALL6);
            flags_set_szp(&f, szp & 1, szp & 2, szp & 4);
            uint32_t want = (prior & (CPU_FL_CF | CPU_FL_OF | CPU_FL_AF)) |
                            ((szp & 1) ? CPU_FL_SF : 0) | ((szp & 2) ? CPU_FL_ZF : 0) |
                            ((szp & 4) ? CPU_FL_PF : 0);
            assert_int_equal(flags_get_oszapc(&f), want);
        }
        /* szp from a result, keeping C/O/A; and the all-explicit setter */
        for (uint32_t r = 0; r < 256; r++) {
            static const unsigned sizes[3] = {8, 16, 32};
            for (unsigned k = 0; k < 3; k++) {
                unsigned bits = sizes[k];
                /* low byte r; the upper bytes give sign and zero cases that
                 * differ from the low byte's */
                uint32_t val = r * 0x01010101u & ref_mask(bits);
                val ^= (r & 0x80) ? 0 : (ref_mask(bits) & ~0xFFu & 0x80808000u);
                struct cpu_lazy_flags f = {0, 0};
                flags_put_oszapc(&f, prior, ALL6);
                flags_set_szp_result(&f, bits, val);
                assert_int_equal(flags_get_oszapc(&f),
                                 (prior & (CPU_FL_CF | CPU_FL_OF | CPU_FL_AF)) |
                                     ref_szp(val, bits));
                flags_set_result(&f, bits, val, v & 1, v & 2, v & 4);
                assert_int_equal(flags_get_oszapc(&f),
                                 ref_szp(val, bits) | ((v & 1) ? CPU_FL_CF : 0) |
                                     ((v & 2) ? CPU_FL_OF : 0) | ((v & 4) ? CPU_FL_AF : 0));
            }
        }
    }
}

/* flags_cond for the 16 condition codes over all 64 flag states
 * (SDM vol. 1, appendix B). */
static void test_flags_cond(void **state)
{
    (void)state;
    for (unsigned v = 0; v < 64; v++) {
        bool cf = v & 1, pf = v & 2, af = v & 4, zf = v & 8, sf = v & 16, of = v & 32;
        uint32_t ef = (cf ? CPU_FL_CF : 0) | (pf ? CPU_FL_PF : 0) | (af ? CPU_FL_AF : 0) |
                      (zf ? CPU_FL_ZF : 0) | (sf ? CPU_FL_SF : 0) | (of ? CPU_FL_OF : 0);
        struct cpu_lazy_flags f = {0, 0};
        flags_put_oszapc(&f, ef, ALL6);
        const bool want[16] = {
            of, !of, cf, !cf, zf,       !zf,      cf || zf,       !(cf || zf),
            sf, !sf, pf, !pf, sf != of, sf == of, zf || sf != of, !zf && sf == of,
        };
        for (unsigned cc = 0; cc < 16; cc++)
            assert_int_equal(flags_cond(&f, cc), want[cc]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flags_8bit_exhaustive),
        cmocka_unit_test(test_flags_16bit_sample),
        cmocka_unit_test(test_flags_32bit_sample),
        cmocka_unit_test(test_flags_put_get_roundtrip),
        cmocka_unit_test(test_flags_setters_keep_others),
        cmocka_unit_test(test_flags_cond),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
