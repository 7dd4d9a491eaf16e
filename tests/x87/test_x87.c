/*
 * test_x87.c - x87 instruction semantics on a tiny real-mode machine with
 * a coprocessor: what the guest tests (tests/guest/fpu_*.asm) do not
 * cover because it differs from Bochs, needs the FERR# output, or is an
 * unmasked-exception corner (destination and stack left alone, biased
 * overflow results, no store to memory), FOP for prefixes/aliases, the
 * RESET state, FLDCW's reserved bits, the BCD indefinite, FCMOVcc's
 * conditions, FSIN's out-of-range C2 and FPREM's incomplete C2.
 *
 * The state is read back through FNSAVE (16-bit real-mode image) run by
 * the guest itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "tests/empty_bus.h"

#define RAM_SIZE (1u << 20)
#define CODE 0x1000u
#define HANDLER 0x0500u
#define STACK 0x8000u
#define DATA 0x2000u  /* operands: A at +0, B at +10h, control word at +40h */
#define RES 0x2100u   /* results */
#define SAVE 0x2200u  /* FNSAVE image (94 bytes) */

struct machine {
    struct mmu *mmu;
    struct cpu *cpu;
    unsigned ferr_asserts;   /* FERR# callback calls with true ... */
    unsigned ferr_deasserts; /* ... and with false */
    bool ferr;
};

static void tm_ferr(void *opaque, bool asserted)
{
    struct machine *m = opaque;
    if (asserted)
        m->ferr_asserts++;
    else
        m->ferr_deasserts++;
    m->ferr = asserted;
}

static void poke8(struct machine *m, uint32_t a, uint8_t v) { mmu_write_phys(m->mmu, a, v, 1); }
static void poke16(struct machine *m, uint32_t a, uint16_t v) { mmu_write_phys(m->mmu, a, v, 2); }
static void poke32(struct machine *m, uint32_t a, uint32_t v) { mmu_write_phys(m->mmu, a, v, 4); }
static uint16_t peek16(struct machine *m, uint32_t a) { return (uint16_t)mmu_read_phys(m->mmu, a, 2); }
static uint32_t peek32(struct machine *m, uint32_t a) { return mmu_read_phys(m->mmu, a, 4); }
static uint64_t peek64(struct machine *m, uint32_t a)
{
    return peek32(m, a) | ((uint64_t)peek32(m, a + 4) << 32);
}
static void poke80(struct machine *m, uint32_t a, uint64_t sig, uint16_t se)
{
    poke32(m, a, (uint32_t)sig);
    poke32(m, a + 4, (uint32_t)(sig >> 32));
    poke16(m, a + 8, se);
}

/* Real mode at 0000:1000 with a coprocessor, every vector -> HLT. */
static struct machine *tm_new(bool fpu)
{
    struct machine *m = calloc(1, sizeof(*m));
    assert_non_null(m);
    m->mmu = mmu_create(RAM_SIZE);
    assert_non_null(m->mmu);
    struct cpu_bus_ops bus = empty_bus(m);
    struct cpu_config cfg = {CPU_MODEL_PENTIUM2, fpu};
    m->cpu = cpu_create(m->mmu, &bus, &cfg);
    assert_non_null(m->cpu);
    cpu_set_ferr_handler(m->cpu, tm_ferr, m);
    for (unsigned v = 0; v < 256; v++)
        poke32(m, v * 4, HANDLER);
    poke8(m, HANDLER, 0xF4);
    for (unsigned s = 0; s < 6; s++)
        cpu_set_segment_real(m->cpu, (enum cpu_sreg)s, 0);
    cpu_set_reg(m->cpu, CPU_ESP, STACK);
    cpu_set_eflags(m->cpu, 0x2);
    return m;
}

static void tm_free(struct machine *m)
{
    cpu_destroy(m->cpu);
    mmu_destroy(m->mmu);
    free(m);
}

/* Run code placed at CODE and followed by FNSAVE [SAVE] (non-waiting: it
 * reports nothing pending) and HLT.  Returns true when it got to the HLT
 * (false: an exception went to the handler). */
static bool run(struct machine *m, const uint8_t *code, size_t len)
{
    static const uint8_t tail[] = {0xDD, 0x36, SAVE & 0xFF, SAVE >> 8, 0xF4};
    mmu_write_block(m->mmu, CODE, code, len);
    mmu_write_block(m->mmu, CODE + (uint32_t)len, tail, sizeof tail);
    cpu_set_eip(m->cpu, CODE);
    cpu_run(m->cpu, 10000);
    return cpu_get_eip(m->cpu) == CODE + len + sizeof tail;
}
#define RUN(m, ...)                                                                        \
    run((m), (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

/* Fields of the 16-bit real-mode FNSAVE image. */
static uint16_t sv_cw(struct machine *m) { return peek16(m, SAVE); }
static uint16_t sv_sw(struct machine *m) { return peek16(m, SAVE + 2); }
static uint16_t sv_tw(struct machine *m) { return peek16(m, SAVE + 4); }
static uint32_t sv_ip(struct machine *m)
{
    return peek16(m, SAVE + 6) | ((uint32_t)(peek16(m, SAVE + 8) & 0xF000u) << 4);
}
static uint16_t sv_fop(struct machine *m) { return peek16(m, SAVE + 8) & 0x7FFu; }
static uint32_t sv_dp(struct machine *m)
{
    return peek16(m, SAVE + 10) | ((uint32_t)(peek16(m, SAVE + 12) & 0xF000u) << 4);
}
static uint64_t sv_sig(struct machine *m, unsigned st) { return peek64(m, SAVE + 14 + 10 * st); }
static uint16_t sv_se(struct machine *m, unsigned st) { return peek16(m, SAVE + 22 + 10 * st); }
static unsigned sv_top(struct machine *m) { return (sv_sw(m) >> 11) & 7u; }

/* Encodings used below (16-bit addressing, DS = 0). */
#define FNINIT 0xDB, 0xE3
#define FLDCW_CW 0xD9, 0x2E, 0x40, 0x20   /* fldcw [2040h] */
#define FLD_A 0xDB, 0x2E, 0x00, 0x20      /* fld tword [2000h] */
#define FLD_B 0xDB, 0x2E, 0x10, 0x20      /* fld tword [2010h] */
#define FLD1 0xD9, 0xE8
#define FLDZ 0xD9, 0xEE
#define FNSTSW_AX 0xDF, 0xE0

enum { SW_IE = 1, SW_DE = 2, SW_ZE = 4, SW_OE = 8, SW_PE = 0x20, SW_SF = 0x40, SW_ES = 0x80,
       SW_C0 = 0x100, SW_C1 = 0x200, SW_C2 = 0x400, SW_C3 = 0x4000, SW_B = 0x8000 };
#define SW_FLAGS 0x00FFu
#define SW_CC (SW_C0 | SW_C1 | SW_C2 | SW_C3)

static void set_cw(struct machine *m, uint16_t cw) { poke16(m, DATA + 0x40, cw); }

/* ------------------------------------------------------------------ */

static void test_reset_state(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    cpu_reset(m->cpu);
    for (unsigned s = 0; s < 6; s++)
        cpu_set_segment_real(m->cpu, (enum cpu_sreg)s, 0);
    assert_true(RUN(m, 0x90));
    /* SDM vol. 3, table 9-1: CW 0040h, SW 0, TW 5555h, registers +0. */
    assert_int_equal(sv_cw(m), 0x0040);
    assert_int_equal(sv_sw(m), 0);
    assert_int_equal(sv_tw(m), 0x5555);
    for (unsigned k = 0; k < 8; k++) {
        assert_true(sv_sig(m, k) == 0);
        assert_int_equal(sv_se(m, k), 0);
    }
    /* Every register is in use after RESET: a push overflows (and with
     * CW = 0040h the exception is unmasked: nothing is pushed). */
    cpu_reset(m->cpu);
    for (unsigned s = 0; s < 6; s++)
        cpu_set_segment_real(m->cpu, (enum cpu_sreg)s, 0);
    assert_true(RUN(m, FLD1));
    assert_int_equal(sv_top(m), 0);
    assert_int_equal(sv_sw(m) & (SW_FLAGS | SW_C1), SW_IE | SW_SF | SW_C1 | SW_ES);
    tm_free(m);
}

/* CR0.NE = 0: the waiting instruction asserts FERR# and goes on;
 * FNCLEX deasserts it.  No #MF. */
static void test_ferr_ne0(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    set_cw(m, 0x037B); /* ZE unmasked */
    poke16(m, DATA + 0x42, 0x037F);
    assert_true((cpu_get_cr(m->cpu, 0) & 0x20) == 0);
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD1, FLDZ, 0xDE, 0xF9, /* fdivp st1, st0 */
                    FNSTSW_AX));
    assert_int_equal(m->ferr_asserts, 0); /* pending, not reported yet */
    assert_int_equal(m->ferr_deasserts, 0);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFFFF, 0xB084); /* B, TOP 6, ES, ZE */
    /* ZE unmasked: no store, no pop; ST0 = 0, ST1 = 1.0 */
    assert_int_equal(sv_top(m), 6);
    assert_int_equal(sv_se(m, 1), 0x3FFF);

    /* The first waiting instruction asserts FERR# and runs anyway; the
     * run's final FNSAVE re-initialises and deasserts it. */
    struct cpu_exception_info e;
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD1, FLDZ, 0xDE, 0xF9, FLD1, FLD1, 0x9B, FNSTSW_AX));
    assert_int_equal(m->ferr_asserts, 1);
    assert_int_equal(m->ferr_deasserts, 1);
    assert_false(m->ferr);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFFFF, 0xA084); /* both FLD1 ran: TOP 4 */
    cpu_last_exception(m->cpu, &e);
    assert_false(e.valid);

    /* WAIT asserts it, FNCLEX deasserts it. */
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD1, FLDZ, 0xDE, 0xF9, 0x9B, 0xDB, 0xE2 /* fnclex */,
                    FNSTSW_AX, 0x9B));
    assert_int_equal(m->ferr_asserts, 2);
    assert_int_equal(m->ferr_deasserts, 2);
    assert_false(m->ferr);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFFFF, 0x3000);

    /* FLDCW masking the flag withdraws the request too. */
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD1, FLDZ, 0xDE, 0xF9, 0x9B, 0xD9, 0x2E, 0x42, 0x20));
    assert_int_equal(m->ferr_asserts, 3);
    assert_int_equal(m->ferr_deasserts, 3);
    assert_int_equal(sv_sw(m) & (SW_ES | SW_B | SW_ZE), SW_ZE);
    tm_free(m);
}

/* CR0.NE = 1: #MF at the next waiting instruction, FERR# untouched. */
static void test_mf_ne1(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    cpu_set_cr(m->cpu, 0, cpu_get_cr(m->cpu, 0) | 0x20);
    set_cw(m, 0x037B);
    assert_false(RUN(m, FNINIT, FLDCW_CW, FLD1, FLDZ, 0xDE, 0xF9, 0x90, FLD1));
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_true(e.valid);
    assert_int_equal(e.vector, 16);
    assert_false(e.has_error);
    assert_int_equal(e.eip, CODE + 13);
    assert_int_equal(m->ferr_asserts, 0);
    tm_free(m);
}

/* Unmasked IE: destination unchanged and no pop (FADDP with an SNaN). */
static void test_unmasked_ie(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    set_cw(m, 0x037E);
    poke80(m, DATA, 0x8000000000000001ull, 0x7FFF); /* SNaN */
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD_A, FLD1, 0xDE, 0xC1 /* faddp st1, st0 */));
    assert_int_equal(sv_top(m), 6);
    assert_int_equal(sv_sw(m) & SW_FLAGS, SW_IE | SW_ES);
    assert_true(sv_sw(m) & SW_B);
    assert_true(sv_sig(m, 0) == 0x8000000000000000ull);
    assert_int_equal(sv_se(m, 0), 0x3FFF);
    assert_true(sv_sig(m, 1) == 0x8000000000000001ull); /* SNaN kept, not quieted */
    assert_int_equal(sv_se(m, 1), 0x7FFF);

    /* Masked: the quieted NaN, popped. */
    set_cw(m, 0x037F);
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD_A, FLD1, 0xDE, 0xC1));
    assert_int_equal(sv_top(m), 7);
    assert_int_equal(sv_sw(m) & SW_FLAGS, SW_IE);
    assert_true(sv_sig(m, 0) == 0xC000000000000001ull);
    tm_free(m);
}

/* Unmasked DE stops before the operation: no result, no PE. */
static void test_unmasked_de(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    set_cw(m, 0x037D);
    poke80(m, DATA, 0x0000000000000001ull, 0x0000); /* denormal */
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD_A, FLD1, 0xD8, 0xC1 /* fadd st0, st1 */));
    assert_int_equal(sv_sw(m) & SW_FLAGS, SW_DE | SW_ES);
    assert_int_equal(sv_se(m, 0), 0x3FFF); /* still 1.0 */
    assert_true(sv_sig(m, 0) == 0x8000000000000000ull);
    tm_free(m);
}

/* Unmasked OE: a register destination gets the result with its exponent
 * reduced by 24576 (SDM vol. 1, 8.5.4); a memory destination gets nothing
 * and the stack is not popped. */
static void test_unmasked_oe(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    set_cw(m, 0x0377);
    poke80(m, DATA, 0x8000000000000000ull, 0x3FFF + 16000); /* 2^16000 */
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD_A, 0xD8, 0xC8 /* fmul st0, st0 */));
    assert_int_equal(sv_sw(m) & (SW_OE | SW_ES), SW_OE | SW_ES);
    assert_int_equal(sv_se(m, 0), 0x3FFF + 32000 - 24576);
    assert_true(sv_sig(m, 0) == 0x8000000000000000ull);

    poke32(m, RES, 0xAAAAAAAAu);
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD_A, 0xD9, 0x1E, 0x00, 0x21 /* fstp dword [2100h] */));
    assert_int_equal(peek32(m, RES), 0xAAAAAAAAu);
    assert_int_equal(sv_top(m), 7);
    assert_int_equal(sv_sw(m) & (SW_OE | SW_ES | SW_IE), SW_OE | SW_ES);
    tm_free(m);
}

/* Unmasked stack faults: nothing pushed, stored or popped. */
static void test_unmasked_stack_faults(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    set_cw(m, 0x037E);
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD1, FLD1, FLD1, FLD1, FLD1, FLD1, FLD1, FLD1, FLDZ));
    assert_int_equal(sv_top(m), 0);
    assert_int_equal(sv_sw(m) & (SW_FLAGS | SW_CC | SW_B), SW_IE | SW_SF | SW_ES | SW_C1 | SW_B);
    assert_int_equal(sv_se(m, 0), 0x3FFF); /* the 8th 1.0, not overwritten */

    poke32(m, RES, 0xAAAAAAAAu);
    assert_true(RUN(m, FNINIT, FLDCW_CW, 0xD9, 0x1E, 0x00, 0x21 /* fstp dword [2100h] */));
    assert_int_equal(peek32(m, RES), 0xAAAAAAAAu);
    assert_int_equal(sv_top(m), 0);
    assert_int_equal(sv_sw(m) & (SW_FLAGS | SW_C1), SW_IE | SW_SF | SW_ES);
    assert_int_equal(sv_tw(m), 0xFFFF);

    /* Masked: the format's indefinite is stored and the stack popped. */
    set_cw(m, 0x037F);
    assert_true(RUN(m, FNINIT, FLDCW_CW, 0xD9, 0x1E, 0x00, 0x21));
    assert_int_equal(peek32(m, RES), 0xFFC00000u);
    assert_int_equal(sv_top(m), 1);
    assert_true(RUN(m, FNINIT, 0xDF, 0x36, 0x00, 0x21 /* fbstp [2100h] */));
    assert_int_equal(peek32(m, RES), 0);
    assert_int_equal(peek32(m, RES + 4), 0xC0000000u);
    assert_int_equal(peek16(m, RES + 8), 0xFFFF);
    tm_free(m);
}

/* FCOM/FCOMI with an unmasked invalid operand: the condition codes and
 * EFLAGS say unordered (as on the host x87, whatever SDM vol. 2 says) but
 * nothing is popped. */
static void test_unmasked_compare(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    set_cw(m, 0x037E);
    poke80(m, DATA, 0x8000000000000001ull, 0x7FFF); /* SNaN */
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD_A, FLD1, 0xD8, 0xD9 /* fcomp st1 */));
    assert_int_equal(sv_sw(m) & (SW_CC | SW_FLAGS), SW_C3 | SW_C2 | SW_C0 | SW_IE | SW_ES);
    assert_int_equal(sv_top(m), 6);
    assert_true(RUN(m, FNINIT, FLDCW_CW, FLD_A, FLD1, 0x31, 0xC0 /* xor ax, ax */,
                    0xDF, 0xF1 /* fcomip st0, st1 */));
    uint32_t fl = cpu_get_eflags(m->cpu);
    assert_int_equal(fl & 0x8C5u, 0x45u); /* ZF PF CF: unordered */
    assert_int_equal(sv_top(m), 6);       /* not popped */
    tm_free(m);
}

/* FOP and FIP: prefixes counted in FIP, FOP from the escape byte and the
 * ModRM byte (mod/rm of the memory form, the alias's own escape). */
static void test_fop(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    cpu_set_reg(m->cpu, CPU_ESI, DATA);
    assert_true(RUN(m, FNINIT, 0x90, 0x26, 0xDD, 0x44, 0x08 /* fld qword [es:si+8] */));
    assert_int_equal(sv_ip(m), CODE + 3);
    assert_int_equal(sv_fop(m), 0x544);
    assert_int_equal(sv_dp(m), DATA + 8);
    assert_true(RUN(m, FNINIT, 0x26, 0xDD, 0x44, 0x08, FLDZ, 0xDF, 0xC9 /* fxch st1 (DF alias) */,
                    FNSTSW_AX /* control: FIP/FOP stay */));
    assert_int_equal(sv_fop(m), 0x7C9);
    assert_int_equal(sv_ip(m), CODE + 8);
    assert_int_equal(sv_dp(m), DATA + 8); /* no memory operand: kept */
    assert_true(RUN(m, FNINIT, FLD1, 0xDD, 0x86, 0x00, 0x01 /* fld qword [bp+100h] (mod 10) */));
    assert_int_equal(sv_fop(m), 0x586);
    assert_true(RUN(m, FNINIT)); /* FNINIT clears them */
    assert_int_equal(sv_fop(m), 0);
    assert_int_equal(sv_ip(m), 0);
    assert_int_equal(sv_dp(m), 0);
    tm_free(m);
}

/* FLDCW keeps CW bits 12 and 0-5, 8-11; bit 6 reads 1, 7 and 13-15 0. */
static void test_fldcw_reserved(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    set_cw(m, 0xFFFF);
    assert_true(RUN(m, FNINIT, FLDCW_CW));
    assert_int_equal(sv_cw(m), 0x1F7F);
    set_cw(m, 0x0000);
    assert_true(RUN(m, FNINIT, FLDCW_CW, 0xD9, 0x3E, 0x00, 0x21 /* fnstcw [2100h] */));
    assert_int_equal(peek16(m, RES), 0x0040);
    tm_free(m);
}

/* FBSTP beyond 18 digits: IE and the packed BCD indefinite. */
static void test_fbstp_range(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    poke80(m, DATA, 0x8AC7230489E80000ull, 0x3FFF + 63); /* 10^19 */
    assert_true(RUN(m, FNINIT, FLD_A, 0xDF, 0x36, 0x00, 0x21 /* fbstp [2100h] */));
    assert_int_equal(sv_sw(m) & SW_FLAGS, SW_IE);
    assert_int_equal(peek32(m, RES), 0);
    assert_int_equal(peek32(m, RES + 4), 0xC0000000u);
    assert_int_equal(peek16(m, RES + 8), 0xFFFF);
    tm_free(m);
}

/* FCMOVcc against every flag combination of CF, ZF, PF. */
static void test_fcmov(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    static const struct {
        uint8_t esc, modrm;
        int kind; /* 0 B, 1 E, 2 BE, 3 U */
        bool neg;
    } forms[] = {
        {0xDA, 0xC1, 0, false}, {0xDA, 0xC9, 1, false}, {0xDA, 0xD1, 2, false},
        {0xDA, 0xD9, 3, false}, {0xDB, 0xC1, 0, true},  {0xDB, 0xC9, 1, true},
        {0xDB, 0xD1, 2, true},  {0xDB, 0xD9, 3, true},
    };
    for (unsigned f = 0; f < 8; f++) {
        for (unsigned fl = 0; fl < 8; fl++) {
            bool cf = fl & 1, zf = fl & 2, pf = fl & 4;
            uint8_t ah = (uint8_t)(0x02 | (cf ? 0x01 : 0) | (zf ? 0x40 : 0) | (pf ? 0x04 : 0));
            uint8_t code[] = {FNINIT, FLDZ, FLD1, 0xB4, ah /* mov ah, imm */, 0x9E /* sahf */,
                              forms[f].esc, forms[f].modrm};
            assert_true(run(m, code, sizeof code));
            bool c = forms[f].kind == 0 ? cf : forms[f].kind == 1 ? zf
                   : forms[f].kind == 2 ? (cf || zf) : pf;
            if (forms[f].neg)
                c = !c;
            /* moved: ST0 = +0, else 1.0 */
            assert_int_equal(sv_se(m, 0), c ? 0x0000 : 0x3FFF);
        }
    }
    tm_free(m);
}

/* FSIN of |x| >= 2^63: C2 = 1, ST0 unchanged; FPREM far apart: C2 = 1. */
static void test_c2_cases(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    poke80(m, DATA, 0x8000000000000000ull, 0x3FFF + 63);
    assert_true(RUN(m, FNINIT, FLD_A, 0xD9, 0xFE /* fsin */));
    assert_int_equal(sv_sw(m) & (SW_C2 | SW_FLAGS), SW_C2);
    assert_int_equal(sv_se(m, 0), 0x3FFF + 63);
    assert_true(sv_sig(m, 0) == 0x8000000000000000ull);

    poke80(m, DATA + 0x10, 0xC000000000000000ull, 0x3FFF + 1);   /* 3 */
    poke80(m, DATA, 0x8000000000000000ull, 0x3FFF + 100);        /* 2^100 */
    assert_true(RUN(m, FNINIT, FLD_B, FLD_A, 0xD9, 0xF8 /* fprem */));
    assert_true(sv_sw(m) & SW_C2);
    assert_int_equal(sv_se(m, 1), 0x4000); /* ST1 = 3 kept */
    tm_free(m);
}

/* FXCH with an empty register, masked: the indefinite comes in. */
static void test_fxch_underflow(void **state)
{
    (void)state;
    struct machine *m = tm_new(true);
    assert_true(RUN(m, FNINIT, FLD1, 0xD9, 0xC9 /* fxch st1 */));
    assert_int_equal(sv_sw(m) & (SW_FLAGS | SW_C1), SW_IE | SW_SF);
    assert_int_equal(sv_se(m, 0), 0xFFFF);
    assert_true(sv_sig(m, 0) == 0xC000000000000000ull);
    assert_int_equal(sv_se(m, 1), 0x3FFF);
    tm_free(m);
}

/* Without a coprocessor, WAIT does nothing and x87 instructions are #NM. */
static void test_no_fpu(void **state)
{
    (void)state;
    struct machine *m = tm_new(false);
    static const uint8_t wait_hlt[] = {0x9B, 0xF4};
    mmu_write_block(m->mmu, CODE, wait_hlt, sizeof wait_hlt);
    cpu_set_eip(m->cpu, CODE);
    cpu_run(m->cpu, 100);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 2);
    assert_false(RUN(m, FLD1));
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_int_equal(e.vector, 7);
    tm_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_state),
        cmocka_unit_test(test_ferr_ne0),
        cmocka_unit_test(test_mf_ne1),
        cmocka_unit_test(test_unmasked_ie),
        cmocka_unit_test(test_unmasked_de),
        cmocka_unit_test(test_unmasked_oe),
        cmocka_unit_test(test_unmasked_stack_faults),
        cmocka_unit_test(test_unmasked_compare),
        cmocka_unit_test(test_fop),
        cmocka_unit_test(test_fldcw_reserved),
        cmocka_unit_test(test_fbstp_range),
        cmocka_unit_test(test_fcmov),
        cmocka_unit_test(test_c2_cases),
        cmocka_unit_test(test_fxch_underflow),
        cmocka_unit_test(test_no_fpu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
