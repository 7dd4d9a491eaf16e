/*
 * f80_diff.c - differential test of the soft x87 core (cpu/fpu/f80*.c)
 * against the host's own x87: every operation runs natively (inline asm,
 * test-only) and in software on the same random and special operands,
 * under each rounding control and precision control with all exceptions
 * masked (then passes with OE/UE unmasked, all unmasked, DE unmasked);
 * result bits, exception flags, C1 and the condition codes must be
 * identical.  The operations themselves are in f80_ops.c / f80_host.c.
 *
 * Usage: test_f80_diff [--count N] [--seed S] [--reports N] [--skip REASON]
 *   --count   operations per operation kind and setting (default 1000000)
 * Exit: 0 all bit-exact, 1 a mismatch, 77 skipped (not an x86 host).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/f80/f80_ops.h"

#define DIFF_SKIP 77

/* The operand generator is only needed where there is an x87 to compare
 * with. */
#if F80T_HAVE_X87
struct diff_rng {
    uint64_t s;
};

static uint64_t rng_next(struct diff_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1Dull;
}

static unsigned rng_below(struct diff_rng *r, unsigned n) { return (unsigned)(rng_next(r) % n); }

/* A significand pattern that stresses rounding: random, sparse (exact
 * products and sums, ties), runs of ones/zeros around the 24/53/64-bit
 * rounding positions. */
static uint64_t rand_sig(struct diff_rng *r)
{
    uint64_t v;
    switch (rng_below(r, 8)) {
    case 0:
    case 1:
    case 2: v = rng_next(r); break;
    case 3: v = (1ull << rng_below(r, 64)) | (1ull << rng_below(r, 64)); break;
    case 4: {
        /* A few random bits near a rounding position. */
        static const unsigned pos[] = {0, 11, 40, 63};
        unsigned p = pos[rng_below(r, 4)];
        v = rng_next(r) & (0x7ull << (p > 1 ? p - 2 : 0));
        v |= rng_next(r) & rng_next(r) & rng_next(r);
        break;
    }
    case 5: {
        unsigned n = rng_below(r, 64);
        v = n ? ~0ull << n : ~0ull;
        if (rng_below(r, 2))
            v ^= 1ull << rng_below(r, 64);
        break;
    }
    case 6: v = rng_next(r) & ~((1ull << rng_below(r, 64)) - 1); break;
    default: v = (rng_next(r) >> rng_below(r, 64)) | (rng_next(r) & 1); break;
    }
    return v;
}

static f80 mk(bool s, unsigned e, uint64_t m) { return (f80){m, (uint16_t)((s ? 0x8000u : 0u) | e)}; }

/* An operand of any class, weighted toward finite values and the edges of
 * the exponent range. */
static f80 rand_f80(struct diff_rng *r)
{
    bool s = rng_below(r, 2);
    uint64_t m = rand_sig(r) | 0x8000000000000000ull;
    unsigned k = rng_below(r, 100);
    if (k < 30)
        return mk(s, 1 + rng_below(r, 0x7FFE), m);
    if (k < 50)
        return mk(s, 16383 - 70 + rng_below(r, 140), m);
    if (k < 58)
        return mk(s, 1 + rng_below(r, 140), m);
    if (k < 64)
        return mk(s, 0x7FFE - rng_below(r, 140), m);
    if (k < 72)
        return mk(s, 0, rand_sig(r) >> rng_below(r, 64) & 0x7FFFFFFFFFFFFFFFull);
    if (k < 74)
        return mk(s, 0, m);                       /* pseudo-denormal */
    if (k < 78)
        return mk(s, 0, 0);                       /* zero */
    if (k < 81)
        return mk(s, 0x7FFF, 0x8000000000000000ull); /* infinity */
    if (k < 85)
        return mk(s, 0x7FFF, m | 0x4000000000000000ull); /* QNaN */
    if (k < 89) {
        uint64_t q = (m & ~0x4000000000000000ull);
        if (q == 0x8000000000000000ull)
            q |= 1;
        return mk(s, 0x7FFF, q);                  /* SNaN */
    }
    if (k < 90)
        return mk(true, 0x7FFF, 0xC000000000000000ull); /* indefinite */
    if (k < 93)
        return mk(s, 0x7FFF, m & 0x7FFFFFFFFFFFFFFFull); /* pseudo-NaN/-inf */
    if (k < 96)
        return mk(s, 1 + rng_below(r, 0x7FFE), m & 0x7FFFFFFFFFFFFFFFull); /* unnormal */
    return mk(s, 16383 + rng_below(r, 64), m);   /* integers and halves */
}

/* A second operand related to the first: close exponents (cancellation,
 * alignment near the rounding position) or fully random. */
static f80 rand_pair(struct diff_rng *r, f80 a)
{
    unsigned k = rng_below(r, 10);
    unsigned ea = a.se & 0x7FFF;
    if (k < 4 && ea > 0 && ea < 0x7FFF) {
        int d = (int)rng_below(r, 140) - 70;
        if (k == 0)
            d = (int)rng_below(r, 5) - 2;
        int eb = (int)ea + d;
        if (eb < 0)
            eb = 0;
        if (eb > 0x7FFE)
            eb = 0x7FFE;
        uint64_t m = rand_sig(r) | (eb ? 0x8000000000000000ull : 0);
        if (k == 1) {
            m = a.sig ^ (rng_next(r) & 0xFF);
            if (eb)
                m |= 0x8000000000000000ull;
        }
        return mk(rng_below(r, 2), (unsigned)eb, m);
    }
    return rand_f80(r);
}

/* ---- the two implementations -------------------------------------------- */
/* Operands for one operation: 20 bytes (one or two extended values, or the
 * memory-format input in the first bytes). */
static void gen_input(struct diff_rng *r, enum f80t_op op, uint8_t *in)
{
    f80 a = rand_f80(r), b = rand_pair(r, a);
    switch (op) {
    case OP_SQRT:
        if (rng_below(r, 3) == 0) {
            /* Exact squares and their neighbours. */
            uint64_t x = rng_next(r) >> rng_below(r, 33) >> 31 | 0x80000000ull;
            a = mk(false, 1 + rng_below(r, 0x7FFE), x * x);
            if (!(a.sig >> 63)) {
                a.sig <<= 1;
            }
            a.sig += (uint64_t)(int64_t)((int)rng_below(r, 3) - 1);
            a.sig |= 0x8000000000000000ull;
        }
        break;
    case OP_MUL:
    case OP_DIV:
        if (rng_below(r, 3) == 0 && (a.se & 0x7FFF) > 0 && (a.se & 0x7FFF) < 0x7FFF) {
            /* Place the result's exponent near the underflow or overflow
             * threshold. */
            int ea = a.se & 0x7FFF, d = (int)rng_below(r, 140) - 70;
            int target = rng_below(r, 2) ? 0 : 0x7FFE;
            int eb = op == OP_MUL ? target - ea + 16383 + d : ea - target + 16383 + d;
            if (eb < 0)
                eb = 0;
            if (eb > 0x7FFE)
                eb = 0x7FFE;
            b = mk(rng_below(r, 2), (unsigned)eb, rand_sig(r) | (eb ? 1ull << 63 : 0));
        }
        break;
    case OP_SCALE: {
        unsigned k = rng_below(r, 4);
        if (k < 2)
            b = f80_from_int((int64_t)rng_below(r, 70000) - 35000);
        else if (k == 2)
            b = mk(rng_below(r, 2), 16383 + rng_below(r, 20), rand_sig(r) | 1ull << 63);
        break;
    }
    case OP_PREM:
    case OP_PREM1:
        if (rng_below(r, 2) && (a.se & 0x7FFF) > 0 && (a.se & 0x7FFF) < 0x7FFF) {
            int eb = (int)(a.se & 0x7FFF) - (int)rng_below(r, 140) + 3;
            if (eb < 1)
                eb = 1;
            b = mk(rng_below(r, 2), (unsigned)eb, rand_sig(r) | 1ull << 63);
        }
        break;
    case OP_IST16:
    case OP_IST32:
    case OP_IST64:
    case OP_BSTP:
        if (rng_below(r, 2)) {
            unsigned lim = op == OP_IST16 ? 17 : op == OP_IST32 ? 33 : op == OP_IST64 ? 65 : 61;
            a = mk(rng_below(r, 2), 16383 - 2 + rng_below(r, lim + 2), rand_sig(r) | 1ull << 63);
            if (op == OP_BSTP && rng_below(r, 4) == 0) {
                struct f80_env e = {0, 3, 0x3F, 0, false};
                int64_t v = 999999999999999999ll - (int64_t)rng_below(r, 3) + 1;
                a = f80_add(f80_from_int(v), mk(rng_below(r, 2), 16382, 1ull << 63), &e);
            }
        }
        break;
    case OP_ST32:
    case OP_ST64:
        if (rng_below(r, 2)) {
            unsigned lo = op == OP_ST32 ? 16383 - 126 - 30 : 16383 - 1022 - 60;
            unsigned hi = op == OP_ST32 ? 16383 + 127 : 16383 + 1023;
            unsigned e = rng_below(r, 2) ? lo + rng_below(r, 40) : hi - 5 + rng_below(r, 8);
            a = mk(rng_below(r, 2), e, rand_sig(r) | 1ull << 63);
        }
        break;
    case OP_LD32:
    case OP_LD64: {
        uint64_t v = rng_next(r);
        unsigned n = op == OP_LD32 ? 4 : 8, eb = op == OP_LD32 ? 8 : 11;
        unsigned fb = n * 8 - 1 - eb;
        unsigned k = rng_below(r, 4);
        if (k == 0)
            v &= ~(((1ull << eb) - 1) << fb); /* denormal or zero */
        else if (k == 1)
            v |= ((1ull << eb) - 1) << fb;    /* inf/NaN */
        if (k < 2 && rng_below(r, 2))
            v &= ~((1ull << rng_below(r, fb)) - 1) | (1ull << fb << eb);
        f80t_put_le(in, v, n);
        memset(in + n, 0, 20 - n);
        return;
    }
    case OP_BLD:
        for (int i = 0; i < 9; i++)
            in[i] = (uint8_t)(rng_below(r, 10) << 4 | rng_below(r, 10));
        in[9] = rng_below(r, 2) ? 0x80 : 0;
        if (rng_below(r, 4) == 0)
            memset(in, 0, (size_t)rng_below(r, 10));
        memset(in + 10, 0, 10);
        return;
    case OP_CONST:
        memset(in, 0, 20);
        in[0] = (uint8_t)rng_below(r, 7);
        return;
    default: break;
    }
    f80t_put80(in, a);
    f80t_put80(in + 10, b);
}

static void print_f80(const char *tag, const uint8_t *p)
{
    f80 v = f80t_get80(p);
    printf(" %s=%04X:%016" PRIX64, tag, v.se, v.sig);
}
#endif

int main(int argc, char **argv)
{
    unsigned long count = 1000000, reports = 20;
    uint64_t seed = 1;
    const char *skip = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--count") && i + 1 < argc)
            count = strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--reports") && i + 1 < argc)
            reports = strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--skip") && i + 1 < argc)
            skip = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--count N] [--seed S] [--reports N] [--skip R]\n",
                    argv[0]);
            return 1;
        }
    }
    if (!F80T_HAVE_X87 && !skip)
        skip = "the host CPU is not x86: no native x87 to compare with";
    if (skip) {
        printf("f80_diff: skipped: %s (count %lu, seed %" PRIu64 ", reports %lu)\n", skip, count,
               seed, reports);
        return DIFF_SKIP;
    }
#if F80T_HAVE_X87
    /* Settings: 4 RC x 3 PC with every exception masked (the full count),
     * then, with a quarter of the count each: OE and UE unmasked (wrapped
     * exponents, nothing stored), everything unmasked, DE unmasked. */
    static const uint16_t mask_sets[4] = {0x3F, 0x27, 0x00, 0x3D};
    static const uint8_t pcs[3] = {F80_PC_24, F80_PC_53, F80_PC_64};
    unsigned long long total = 0, bad = 0;
    unsigned long long op_total[OP_COUNT] = {0}, op_bad[OP_COUNT] = {0};
    for (unsigned op = 0; op < OP_COUNT; op++) {
        for (unsigned ms = 0; ms < 4; ms++) {
            for (unsigned setting = 0; setting < 12; setting++) {
                uint16_t cw = (uint16_t)(0x40 | mask_sets[ms] | pcs[setting % 3] << 8 |
                                         (setting / 3) << 10);
                struct diff_rng rng = {seed * 0x9E3779B97F4A7C15ull + op * 1000 + ms * 100 +
                                       setting + 1};
                unsigned long n = ms ? count / 4 : count;
                for (unsigned long i = 0; i < n; i++) {
                    uint8_t in[20];
                    struct f80t_out h, s;
                    gen_input(&rng, (enum f80t_op)op, in);
                    f80t_host_run((enum f80t_op)op, cw, in, &h);
                    f80t_soft_run((enum f80t_op)op, cw, in, &s);
                    op_total[op]++;
                    if (memcmp(&h.mem, &s.mem, sizeof h.mem) || h.sw != s.sw) {
                        op_bad[op]++;
                        if (bad++ < reports) {
                            printf("MISMATCH %s cw=%04X", f80t_names[op], cw);
                            print_f80("a", in);
                            print_f80("b", in + 10);
                            printf("\n  host sw=%04X", h.sw);
                            print_f80("r", h.mem);
                            print_f80("r2", h.mem + 10);
                            printf("\n  soft sw=%04X", s.sw);
                            print_f80("r", s.mem);
                            print_f80("r2", s.mem + 10);
                            printf("\n");
                        }
                    }
                }
            }
        }
        total += op_total[op];
    }
    for (unsigned op = 0; op < OP_COUNT; op++)
        printf("%-9s %12llu operations %10llu mismatches\n", f80t_names[op], op_total[op],
               op_bad[op]);
    printf("f80_diff: %llu operations, %llu mismatches (seed %" PRIu64 ", count %lu)\n", total,
           bad, seed, count);
    return bad ? 1 : 0;
#endif
}
