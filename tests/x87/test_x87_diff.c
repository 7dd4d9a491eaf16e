/*
 * test_x87_diff.c - whole x87 instructions, emulated and run natively on
 * the host's x87, compared bit for bit: the state image FNSAVE stores (CW,
 * SW with the condition codes, TOP and exception flags, the full tag
 * word, every register in use), the memory result of the store forms and
 * the EFLAGS of FCOMI & co.  Each case loads two random operands (special
 * encodings included: zeros, denormals, pseudo-denormals, unnormals,
 * infinities, pseudo-infinities, QNaN, SNaN, the indefinite, integers,
 * near-ties) under a random control word (exception masks, PC 24/53/64,
 * every RC), so masked and unmasked responses, stack handling and C0-C3
 * are all exercised.  The soft-float core has its own differential test;
 * this one checks what cpu/x87*.c adds around it.
 *
 * The instruction bytes are the same on both sides: ModRM memory forms use
 * rm = 7, which is [bx] in the emulator's 16-bit addressing and [rdi]
 * natively.  Inline assembly appears in this test helper only, on x86
 * hosts; elsewhere the test reports itself skipped.
 *
 * Transcendentals are not compared (within 1 ulp only, checked by the
 * core's tests).  X87_DIFF_N sets the cases per instruction (default
 * 20000).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "mmu/mmu.h"

#if !defined(X87_DIFF_NATIVE)
#if defined(__x86_64__) || defined(__i386__)
#define X87_DIFF_NATIVE 1
#else
#define X87_DIFF_NATIVE 0
#endif
#endif

#define RAM_SIZE (1u << 20)
#define CODE 0x1000u
#define HANDLER 0x0500u
#define OPS 0x2000u  /* A (ST0) at +0, B (ST1) at +10 */
#define CWA 0x2040u  /* control word */
#define RES 0x2100u  /* memory operand / result (rm = 7: [bx]) */
#define SAVE 0x2200u /* 108-byte FNSAVE image */
#define IMG 108u

/* The instructions: name, bytes, whether EFLAGS matter, memory result
 * size (0: none). */
#define X87_DIFF_OPS(X)                                                                  \
    X(fadd, 0, 0, 0xD8, 0xC1)                                                              \
    X(fmul, 0, 0, 0xD8, 0xC9)                                                              \
    X(fsub, 0, 0, 0xD8, 0xE1)                                                              \
    X(fsubr, 0, 0, 0xD8, 0xE9)                                                             \
    X(fdiv, 0, 0, 0xD8, 0xF1)                                                              \
    X(fdivr, 0, 0, 0xD8, 0xF9)                                                             \
    X(faddp_st1, 0, 0, 0xDE, 0xC1)                                                         \
    X(fsubp_st1, 0, 0, 0xDE, 0xE9)                                                         \
    X(fdivrp_st1, 0, 0, 0xDE, 0xF1)                                                        \
    X(fadd_st1_st0, 0, 0, 0xDC, 0xC1)                                                      \
    X(fsub_st1_st0, 0, 0, 0xDC, 0xE9)                                                      \
    X(fcom, 0, 0, 0xD8, 0xD1)                                                              \
    X(fcomp, 0, 0, 0xD8, 0xD9)                                                             \
    X(fucom, 0, 0, 0xDD, 0xE1)                                                             \
    X(fucompp, 0, 0, 0xDA, 0xE9)                                                           \
    X(fcompp, 0, 0, 0xDE, 0xD9)                                                            \
    X(ftst, 0, 0, 0xD9, 0xE4)                                                              \
    X(fxam, 0, 0, 0xD9, 0xE5)                                                              \
    X(fcomi, 1, 0, 0xDB, 0xF1)                                                             \
    X(fucomi, 1, 0, 0xDB, 0xE9)                                                            \
    X(fcomip, 1, 0, 0xDF, 0xF1)                                                            \
    X(fucomip, 1, 0, 0xDF, 0xE9)                                                           \
    X(fsqrt, 0, 0, 0xD9, 0xFA)                                                             \
    X(frndint, 0, 0, 0xD9, 0xFC)                                                           \
    X(fscale, 0, 0, 0xD9, 0xFD)                                                            \
    X(fprem, 0, 0, 0xD9, 0xF8)                                                             \
    X(fprem1, 0, 0, 0xD9, 0xF5)                                                            \
    X(fxtract, 0, 0, 0xD9, 0xF4)                                                           \
    X(fchs, 0, 0, 0xD9, 0xE0)                                                              \
    X(fabs, 0, 0, 0xD9, 0xE1)                                                              \
    X(fxch, 0, 0, 0xD9, 0xC9)                                                              \
    X(fld_st1, 0, 0, 0xD9, 0xC1)                                                           \
    X(fst_st1, 0, 0, 0xDD, 0xD1)                                                           \
    X(fldpi, 0, 0, 0xD9, 0xEB)                                                             \
    X(fldl2e, 0, 0, 0xD9, 0xEA)                                                            \
    X(fldln2, 0, 0, 0xD9, 0xED)                                                            \
    X(fistp_m16, 0, 2, 0xDF, 0x1F)                                                         \
    X(fist_m16, 0, 2, 0xDF, 0x17)                                                          \
    X(fistp_m32, 0, 4, 0xDB, 0x1F)                                                         \
    X(fistp_m64, 0, 8, 0xDF, 0x3F)                                                         \
    X(fstp_m32, 0, 4, 0xD9, 0x1F)                                                          \
    X(fst_m32, 0, 4, 0xD9, 0x17)                                                           \
    X(fstp_m64, 0, 8, 0xDD, 0x1F)                                                          \
    X(fstp_m80, 0, 10, 0xDB, 0x3F)                                                         \
    X(fbstp, 0, 10, 0xDF, 0x37)                                                            \
    X(fadd_m32, 0, 0, 0xD8, 0x07)                                                          \
    X(fdivr_m64, 0, 0, 0xDC, 0x3F)                                                         \
    X(fmul_m64, 0, 0, 0xDC, 0x0F)                                                          \
    X(fiadd_m16, 0, 0, 0xDE, 0x07)                                                         \
    X(fidiv_m32, 0, 0, 0xDA, 0x37)                                                         \
    X(ficom_m32, 0, 0, 0xDA, 0x17)                                                         \
    X(fcom_m64, 0, 0, 0xDC, 0x17)                                                          \
    X(fld_m32, 0, 0, 0xD9, 0x07)                                                           \
    X(fld_m64, 0, 0, 0xDD, 0x07)                                                           \
    X(fild_m64, 0, 0, 0xDF, 0x2F)                                                          \
    X(fbld, 0, 0, 0xDF, 0x27)

#if X87_DIFF_NATIVE
struct diff_case {
    uint8_t ops[20]; /* A, B: 80-bit images */
    uint16_t cw;
    uint8_t res[16]; /* memory operand / result */
};

struct diff_out {
    uint8_t save[IMG];
    uint8_t res[16];
    uint32_t eflags;
};

/* The stack before the instruction: ST0 = A, ST1 = B (pass 0); ST0 = A
 * and ST1 empty (pass 1: stack underflow); B seven times then A, every
 * register in use (pass 2: stack overflow of the pushing forms). */
#define X87_DIFF_PASSES 3
#define X87_DIFF_PRO0 "fldt 10(%2)\n\tfldt (%2)\n\t"
#define X87_DIFF_PRO1 "fldt (%2)\n\t"
#define X87_DIFF_PRO2                                                                     \
    "fldt 10(%2)\n\tfldt 10(%2)\n\tfldt 10(%2)\n\tfldt 10(%2)\n\t"                         \
    "fldt 10(%2)\n\tfldt 10(%2)\n\tfldt 10(%2)\n\tfldt (%2)\n\t"

/* The native side: the same bytes between the same prologue and FNSAVE. */
#define X87_DIFF_NATIVE_PASS(name, pass, pro, ...)                                         \
    static void diff_native_##name##pass(const struct diff_case *in, struct diff_out *out) \
    {                                                                                      \
        unsigned long flags;                                                               \
        memcpy(out->res, in->res, sizeof out->res);                                        \
        __asm__ volatile("fninit\n\t"                                                      \
                         "fldcw (%1)\n\t" pro ".byte " #__VA_ARGS__ "\n\t"                 \
                         "pushf\n\t"                                                       \
                         "pop %0\n\t"                                                      \
                         "fnsave (%3)"                                                     \
                         : "=&r"(flags)                                                    \
                         : "r"(&in->cw), "r"(in->ops), "r"(out->save), "D"(out->res)      \
                         : "memory", "cc");                                                \
        out->eflags = (uint32_t)flags;                                                     \
    }
#define X87_DIFF_NATIVE_FN(name, fl, rsize, ...)                                           \
    X87_DIFF_NATIVE_PASS(name, 0, X87_DIFF_PRO0, __VA_ARGS__)                               \
    X87_DIFF_NATIVE_PASS(name, 1, X87_DIFF_PRO1, __VA_ARGS__)                               \
    X87_DIFF_NATIVE_PASS(name, 2, X87_DIFF_PRO2, __VA_ARGS__)
X87_DIFF_OPS(X87_DIFF_NATIVE_FN)

struct diff_op {
    const char *name;
    bool flags;
    unsigned rsize;
    uint8_t bytes[2];
    void (*native[X87_DIFF_PASSES])(const struct diff_case *in, struct diff_out *out);
};

#define X87_DIFF_ENTRY(name, fl, rsize, b0, b1)                                           \
    {#name, fl, rsize, {b0, b1}, {diff_native_##name##0, diff_native_##name##1, diff_native_##name##2}},
static const struct diff_op diff_ops[] = {X87_DIFF_OPS(X87_DIFF_ENTRY)};

/* ------------------------------------------------------------------ */
/* Random operands                                                     */

static uint64_t diff_rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void diff_put80(uint8_t *b, uint64_t sig, uint16_t se)
{
    for (unsigned k = 0; k < 8; k++)
        b[k] = (uint8_t)(sig >> (8 * k));
    b[8] = (uint8_t)se;
    b[9] = (uint8_t)(se >> 8);
}

static void diff_operand(uint64_t *s, uint8_t *b)
{
    uint64_t r = diff_rng(s), sig = diff_rng(s);
    uint16_t sign = (r & 1) ? 0x8000 : 0;
    uint16_t e;
    switch ((r >> 1) % 16) {
    case 0: sig = 0; e = 0; break;                                          /* zero */
    case 1: sig >>= 1 + (r >> 8) % 63; e = 0; break;                        /* denormal */
    case 2: sig |= 1ull << 63; e = 0; break;                                /* pseudo-denormal */
    case 3: sig &= ~(1ull << 63); e = (uint16_t)(1 + (r >> 8) % 0x7FFE); break; /* unnormal */
    case 4: sig = 1ull << 63; e = 0x7FFF; break;                            /* infinity */
    case 5: sig |= 3ull << 62; e = 0x7FFF; break;                           /* QNaN */
    case 6: sig = (sig & ~(3ull << 62)) | (1ull << 63) | 1; e = 0x7FFF; break; /* SNaN */
    case 7: sig = 3ull << 62; e = 0x7FFF; sign = 0x8000; break;             /* indefinite */
    case 8: sig >>= 1; e = 0x7FFF; break;                                   /* pseudo-NaN/inf */
    case 9: /* a small integer */
        sig = ((r >> 8) % 100000) | 1;
        e = 0x3FFF + 63;
        while (!(sig >> 63)) {
            sig <<= 1;
            e--;
        }
        break;
    case 10: /* near a rounding tie of every precision */
        sig = (sig | (1ull << 63)) & ~0x7FFull;
        sig |= (r >> 8) & 1 ? 0x400 : 0x3FF;
        e = (uint16_t)(0x3FFF - 8 + (r >> 16) % 80);
        break;
    case 11: /* huge or tiny */
        sig |= 1ull << 63;
        e = (uint16_t)((r >> 8) & 1 ? 0x7FFE - (r >> 16) % 64 : 1 + (r >> 16) % 64);
        break;
    default: /* ordinary, around 1 */
        sig |= 1ull << 63;
        e = (uint16_t)(0x3FFF - 70 + (r >> 8) % 140);
        break;
    }
    diff_put80(b, sig, (uint16_t)(sign | e));
}

static void diff_make_case(uint64_t *s, struct diff_case *c)
{
    diff_operand(s, c->ops);
    diff_operand(s, c->ops + 10);
    uint64_t r = diff_rng(s);
    static const uint16_t pcs[3] = {0x000, 0x200, 0x300};
    uint16_t masks = (r & 3) ? 0x3F : (uint16_t)((r >> 2) & 0x3F);
    c->cw = (uint16_t)(0x40 | masks | pcs[(r >> 8) % 3] | (((r >> 12) & 3) << 10));
    /* The memory operand: random bits, or a copy of an extended operand's
     * leading bytes as a double/single/integer lookalike. */
    for (unsigned k = 0; k < 16; k += 8) {
        uint64_t v = diff_rng(s);
        for (unsigned j = 0; j < 8; j++)
            c->res[k + j] = (uint8_t)(v >> (8 * j));
    }
    if ((r >> 20) & 1)
        memcpy(c->res, c->ops + 2, 8);
}

/* ------------------------------------------------------------------ */
/* The emulated side                                                   */

static uint32_t dm_in(void *o, uint16_t p, unsigned s)
{
    (void)o;
    (void)p;
    (void)s;
    return 0xFFFFFFFFu;
}
static void dm_out(void *o, uint16_t p, uint32_t v, unsigned s)
{
    (void)o;
    (void)p;
    (void)v;
    (void)s;
}
static uint8_t dm_ack(void *o)
{
    (void)o;
    return 0;
}

struct diff_machine {
    struct mmu *mmu;
    struct cpu *cpu;
};

static void diff_machine_init(struct diff_machine *m)
{
    m->mmu = mmu_create(RAM_SIZE);
    assert_non_null(m->mmu);
    struct cpu_bus_ops bus = {NULL, dm_in, dm_out, dm_ack};
    struct cpu_config cfg = {CPU_MODEL_PENTIUM2, true};
    m->cpu = cpu_create(m->mmu, &bus, &cfg);
    assert_non_null(m->cpu);
    for (unsigned v = 0; v < 256; v++)
        mmu_write_phys(m->mmu, v * 4, HANDLER, 4);
    mmu_write_phys(m->mmu, HANDLER, 0xF4, 1);
    for (unsigned s = 0; s < 6; s++)
        cpu_set_segment_real(m->cpu, (enum cpu_sreg)s, 0);
    cpu_set_reg(m->cpu, CPU_ESP, 0x8000);
    cpu_set_reg(m->cpu, CPU_EBX, RES);
}

/* fninit; fldcw [CWA]; the pass's loads (fld tword [OPS+10] / [OPS]);
 * OP; o32 fnsave [SAVE]; hlt */
static void diff_machine_load(struct diff_machine *m, const struct diff_op *op, unsigned pass)
{
    uint8_t code[64];
    size_t n = 0;
    static const uint8_t head[] = {0xDB, 0xE3, 0xD9, 0x2E, CWA & 0xFF, CWA >> 8};
    static const uint8_t ld_b[] = {0xDB, 0x2E, (OPS + 10) & 0xFF, (OPS + 10) >> 8};
    static const uint8_t ld_a[] = {0xDB, 0x2E, OPS & 0xFF, OPS >> 8};
    static const uint8_t tail[] = {0x66, 0xDD, 0x36, SAVE & 0xFF, SAVE >> 8, 0xF4};
    memcpy(code + n, head, sizeof head);
    n += sizeof head;
    unsigned nb = pass == 0 ? 1 : pass == 1 ? 0 : 7;
    for (unsigned k = 0; k < nb; k++) {
        memcpy(code + n, ld_b, sizeof ld_b);
        n += sizeof ld_b;
    }
    memcpy(code + n, ld_a, sizeof ld_a);
    n += sizeof ld_a;
    code[n++] = op->bytes[0];
    code[n++] = op->bytes[1];
    memcpy(code + n, tail, sizeof tail);
    n += sizeof tail;
    mmu_write_block(m->mmu, CODE, code, n);
}

static void diff_emulate(struct diff_machine *m, const struct diff_case *in, struct diff_out *out)
{
    mmu_write_block(m->mmu, OPS, in->ops, sizeof in->ops);
    mmu_write_phys(m->mmu, CWA, in->cw, 2);
    mmu_write_block(m->mmu, RES, in->res, sizeof in->res);
    cpu_set_eflags(m->cpu, 0x2);
    cpu_set_eip(m->cpu, CODE);
    cpu_run(m->cpu, 100);
    mmu_read_block(m->mmu, SAVE, out->save, sizeof out->save);
    mmu_read_block(m->mmu, RES, out->res, sizeof out->res);
    out->eflags = cpu_get_eflags(m->cpu);
}

/* ------------------------------------------------------------------ */
/* Comparison                                                          */

static unsigned diff_get16(const uint8_t *b, unsigned at) { return b[at] | (b[at + 1] << 8); }

/* What must match: CW, SW, the tag word, the registers in use, the
 * memory result, and ZF PF CF OF SF AF for FCOMI & co. */
static bool diff_same(const struct diff_op *op, const struct diff_out *a, const struct diff_out *b)
{
    if (diff_get16(a->save, 0) != diff_get16(b->save, 0) ||
        diff_get16(a->save, 4) != diff_get16(b->save, 4) ||
        diff_get16(a->save, 8) != diff_get16(b->save, 8))
        return false;
    unsigned tw = diff_get16(a->save, 8), top = (diff_get16(a->save, 4) >> 11) & 7;
    for (unsigned k = 0; k < 8; k++) {
        unsigned p = (top + k) & 7;
        if (((tw >> (2 * p)) & 3) != 3 && memcmp(a->save + 28 + 10 * k, b->save + 28 + 10 * k, 10))
            return false;
    }
    if (op->rsize && memcmp(a->res, b->res, op->rsize))
        return false;
    if (op->flags && ((a->eflags ^ b->eflags) & 0x8D5u))
        return false;
    return true;
}

static void diff_dump(const char *what, const struct diff_out *o)
{
    printf("    %s: cw %04X sw %04X tw %04X st0 %04X:%016llX st1 %04X:%016llX res ", what,
           diff_get16(o->save, 0), diff_get16(o->save, 4), diff_get16(o->save, 8),
           diff_get16(o->save, 36), (unsigned long long)((uint64_t)diff_get16(o->save, 34) << 48 |
                                                         (uint64_t)diff_get16(o->save, 32) << 32 |
                                                         (uint64_t)diff_get16(o->save, 30) << 16 |
                                                         diff_get16(o->save, 28)),
           diff_get16(o->save, 46), (unsigned long long)((uint64_t)diff_get16(o->save, 44) << 48 |
                                                         (uint64_t)diff_get16(o->save, 42) << 32 |
                                                         (uint64_t)diff_get16(o->save, 40) << 16 |
                                                         diff_get16(o->save, 38)));
    for (unsigned k = 10; k-- > 0;)
        printf("%02X", o->res[k]);
    printf(" fl %03X\n", (unsigned)(o->eflags & 0x8D5u));
}

#endif

static void test_x87_native_diff(void **state)
{
    (void)state;
#if X87_DIFF_NATIVE
    unsigned n = 20000;
    const char *env = getenv("X87_DIFF_N");
    if (env != NULL && atoi(env) > 0)
        n = (unsigned)atoi(env);
    struct diff_machine m;
    diff_machine_init(&m);
    uint64_t total = 0, bad_total = 0;
    for (size_t o = 0; o < sizeof diff_ops / sizeof diff_ops[0]; o++) {
        const struct diff_op *op = &diff_ops[o];
        uint64_t seed = 0x9E3779B97F4A7C15ull ^ (o * 0x100000001B3ull);
        unsigned bad = 0;
        for (unsigned pass = 0; pass < X87_DIFF_PASSES; pass++) {
        /* the first pass gets most of the cases */
        unsigned cases = pass == 0 ? n : n / 8 + 1;
        diff_machine_load(&m, op, pass);
        for (unsigned k = 0; k < cases; k++) {
            struct diff_case c;
            struct diff_out want, got;
            diff_make_case(&seed, &c);
            op->native[pass](&c, &want);
            diff_emulate(&m, &c, &got);
            if (!diff_same(op, &want, &got)) {
                if (bad < 3) {
                    printf("  %s (pass %u) mismatch: cw %04X A %02X%02X:", op->name, pass, c.cw,
                           c.ops[9], c.ops[8]);
                    for (unsigned j = 8; j-- > 0;)
                        printf("%02X", c.ops[j]);
                    printf(" B %02X%02X:", c.ops[19], c.ops[18]);
                    for (unsigned j = 8; j-- > 0;)
                        printf("%02X", c.ops[10 + j]);
                    printf(" mem ");
                    for (unsigned j = 10; j-- > 0;)
                        printf("%02X", c.res[j]);
                    printf("\n");
                    diff_dump("host", &want);
                    diff_dump("emu ", &got);
                }
                bad++;
            }
        }
        total += cases;
        }
        if (bad)
            printf("  %-14s %u differ\n", op->name, bad);
        bad_total += bad;
    }
    printf("  x87 instructions vs host: %llu cases, %llu bit-exact (%.4f%%)\n",
           (unsigned long long)total, (unsigned long long)(total - bad_total),
           100.0 * (double)(total - bad_total) / (double)total);
    cpu_destroy(m.cpu);
    mmu_destroy(m.mmu);
    assert_int_equal(bad_total, 0);
#else
    printf("  x87_diff skipped: the host has no x87 to compare with\n");
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x87_native_diff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
