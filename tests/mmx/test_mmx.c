/*
 * test_mmx.c - the MMX instructions (cpu/mmx.c) run through the whole CPU
 * (decoder, run loop, handler) on a bare real-mode machine: instruction
 * bytes placed in RAM at 0000:1000h, followed by `jmp $`.  Exceptions go
 * through an IVT whose every entry points at a `jmp $` at 0000:0500h.
 *
 * The x87 state (registers, SW, tag word) is read and preset through
 * struct cpu (cpu/cpu_internal.h): the aliasing is what is under test.
 * Every expected value is a constant worked out from the SDM, so the test
 * means the same on every host (s390x included).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>

#include "cpu/cpu_internal.h"
#include "mmu/mmu.h"
#include "tests/empty_bus.h"

#define RAM_SIZE (1u << 20)
#define CODE 0x1000u
#define DATA 0x2000u
#define RM_HANDLER 0x0500u
#define STACK 0x8000u

struct machine {
    struct mmu *mmu;
    struct cpu *cpu;
};

static void poke8(struct machine *m, uint32_t a, uint8_t v) { mmu_write_block(m->mmu, a, &v, 1); }
static void poke32(struct machine *m, uint32_t a, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    mmu_write_block(m->mmu, a, b, 4);
}
static void poke64(struct machine *m, uint32_t a, uint64_t v)
{
    poke32(m, a, (uint32_t)v);
    poke32(m, a + 4, (uint32_t)(v >> 32));
}
static uint32_t peek32(struct machine *m, uint32_t a)
{
    uint8_t b[4];
    mmu_read_block(m->mmu, a, b, 4);
    return b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}
static uint64_t peek64(struct machine *m, uint32_t a)
{
    return peek32(m, a) | ((uint64_t)peek32(m, a + 4) << 32);
}

/* Real mode, flat 64 KiB segments at 0, IF = 0, an x87 present (or not). */
static struct machine *machine_new(bool fpu)
{
    struct machine *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->mmu = mmu_create(RAM_SIZE);
    assert_non_null(m->mmu);
    struct cpu_bus_ops bus = empty_bus(NULL);
    struct cpu_config cfg = { CPU_MODEL_PENTIUM2, fpu };
    m->cpu = cpu_create(m->mmu, &bus, &cfg);
    assert_non_null(m->cpu);
    cpu_reset(m->cpu);
    for (unsigned v = 0; v < 32; v++)
        poke32(m, v * 4, RM_HANDLER);
    poke8(m, RM_HANDLER, 0xEB); /* jmp $ */
    poke8(m, RM_HANDLER + 1, 0xFE);
    for (unsigned s = 0; s < 6; s++)
        cpu_set_segment_real(m->cpu, (enum cpu_sreg)s, 0);
    cpu_set_reg(m->cpu, CPU_ESP, STACK);
    cpu_set_eflags(m->cpu, 0x2);
    /* a known x87 state: FNINIT's control and tag words, TOP = 5, some
     * condition codes set, registers of a recognisable pattern */
    struct cpu_x87 *f = &m->cpu->fpu;
    f->cw = 0x037F;
    f->sw = 0x2800u | 0x4000u | 0x0100u; /* TOP = 5, C3, C0 */
    f->tw = 0xFFFFu;
    for (unsigned r = 0; r < 8; r++) {
        f->r[r].sig = 0x8000000000000000ull | (0x1111111111111111ull * r);
        f->r[r].se = (uint16_t)(0x3FFF + r);
    }
    return m;
}

static void machine_free(struct machine *m)
{
    cpu_destroy(m->cpu);
    mmu_destroy(m->mmu);
    free(m);
}

/* Place `code` and `jmp $` at CODE and run until one of them loops. */
static void run_code(struct machine *m, const uint8_t *code, size_t n)
{
    mmu_write_block(m->mmu, CODE, code, n);
    poke8(m, CODE + (uint32_t)n, 0xEB);
    poke8(m, CODE + (uint32_t)n + 1, 0xFE);
    cpu_set_eip(m->cpu, CODE);
    cpu_run(m->cpu, 40);
}

#define RUN(m, ...)                                                                        \
    do {                                                                                   \
        static const uint8_t code_[] = { __VA_ARGS__ };                                    \
        run_code((m), code_, sizeof code_);                                                \
    } while (0)

/* The run ended at the `jmp $` after `len` bytes of code. */
static void expect_done(struct machine *m, uint32_t len)
{
    assert_int_equal(cpu_get_eip(m->cpu), CODE + len);
}

static void expect_exc(struct machine *m, unsigned vector, uint32_t at)
{
    struct cpu_exception_info e;
    assert_int_equal(cpu_get_eip(m->cpu), RM_HANDLER);
    cpu_last_exception(m->cpu, &e);
    assert_true(e.valid);
    assert_int_equal(e.vector, vector);
    assert_int_equal(e.eip, CODE + at);
}

static uint64_t mm(struct machine *m, unsigned r) { return m->cpu->fpu.r[r].sig; }
static void set_mm(struct machine *m, unsigned r, uint64_t v) { m->cpu->fpu.r[r].sig = v; }
static unsigned top(struct machine *m) { return (m->cpu->fpu.sw >> 11) & 7u; }

/* ------------------------------------------------------------------ */
/* Aliasing: SDM vol. 3, 12.2 and table 12-2                           */

static void test_alias_write(void **state)
{
    (void)state;
    struct machine *m = machine_new(true);
    struct cpu_x87 *f = &m->cpu->fpu;
    f->r[1] = (f80){ 0, 0 };     /* a zero */
    f->r[2] = (f80){ 1, 0x8000 }; /* a denormal */
    poke64(m, DATA, 0x0123456789ABCDEFull);
    RUN(m, 0x0F, 0x6F, 0x06, 0x00, 0x20); /* movq mm0, [2000h] */
    expect_done(m, 5);
    assert_int_equal(f->r[0].sig, 0x0123456789ABCDEFull);
    assert_int_equal(f->r[0].se, 0xFFFF);  /* bits 79-64 all ones */
    assert_int_equal(top(m), 0);           /* TOP = 0 */
    /* no register empty any more; each tag is what FSAVE would store
     * (table 12-3): R0 special (an MMX value), R1 zero, R2 special
     * (denormal), R3-R7 valid (normal numbers) */
    assert_int_equal(f->tw, 0x0026);
    assert_int_equal(f->sw, 0x4100);       /* C3, C0 kept */
    assert_int_equal(f->cw, 0x037F);
    assert_int_equal(f->r[1].sig, 0);
    assert_int_equal(f->r[1].se, 0);
    assert_int_equal(f->r[2].sig, 1);
    assert_int_equal(f->r[2].se, 0x8000);
    for (unsigned r = 3; r < 8; r++) {     /* the others untouched */
        assert_int_equal(f->r[r].sig, 0x8000000000000000ull | (0x1111111111111111ull * r));
        assert_int_equal(f->r[r].se, 0x3FFF + r);
    }
    /* tags already exact stay as they are */
    f->tw = 0x0000;
    RUN(m, 0x0F, 0xEF, 0xC9); /* pxor mm1, mm1 */
    expect_done(m, 3);
    assert_int_equal(f->tw, 0x0008); /* R1 special; R0, R2 as they were */
    machine_free(m);
}

/* MMn is physical Rn whatever TOP is: with TOP = 5, MM7 is R7 (= ST2). */
static void test_alias_fixed_mapping(void **state)
{
    (void)state;
    struct machine *m = machine_new(true);
    cpu_set_reg(m->cpu, CPU_EAX, 0xCAFEF00Du);
    RUN(m, 0x0F, 0x6E, 0xF8); /* movd mm7, eax */
    expect_done(m, 3);
    assert_int_equal(mm(m, 7), 0xCAFEF00Dull); /* zero-extended */
    assert_int_equal(m->cpu->fpu.r[7].se, 0xFFFF);
    assert_int_equal(m->cpu->fpu.r[2].se, 0x4001); /* ST2's old slot unchanged */
    machine_free(m);
}

/* Reading an MMX register changes neither its exponent nor its
 * significand, but TOP and the tags change all the same. */
static void test_alias_read(void **state)
{
    (void)state;
    struct machine *m = machine_new(true);
    RUN(m, 0x0F, 0x7E, 0xCB,             /* movd ebx, mm1 */
        0x0F, 0x7F, 0x16, 0x00, 0x20);   /* movq [2000h], mm2 */
    expect_done(m, 8);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX), 0x11111111u);
    assert_int_equal(peek64(m, DATA), 0xA222222222222222ull);
    assert_int_equal(m->cpu->fpu.r[1].se, 0x4000);
    assert_int_equal(m->cpu->fpu.r[2].se, 0x4001);
    assert_int_equal(top(m), 0);
    assert_int_equal(m->cpu->fpu.tw, 0);
    machine_free(m);
}

static void test_emms(void **state)
{
    (void)state;
    struct machine *m = machine_new(true);
    m->cpu->fpu.tw = 0x1234;
    RUN(m, 0x0F, 0x77); /* emms */
    expect_done(m, 2);
    assert_int_equal(m->cpu->fpu.tw, 0xFFFF);
    assert_int_equal(top(m), 0); /* EMMS sets TOP = 0 too (table 12-2) */
    assert_int_equal(m->cpu->fpu.sw, 0x4100);
    assert_int_equal(m->cpu->fpu.r[3].se, 0x4002);
    assert_int_equal(m->cpu->fpu.r[3].sig, 0xB333333333333333ull);
    /* an MMX instruction after it makes the tags valid again */
    RUN(m, 0x0F, 0xEF, 0xED, 0x0F, 0x77, 0x0F, 0xDB, 0xC0); /* pxor mm5, mm5; emms; pand mm0, mm0 */
    expect_done(m, 8);
    assert_int_equal(mm(m, 5), 0);
    assert_int_equal(m->cpu->fpu.tw, 0x0802); /* R0, R5 hold MMX values: special */
    machine_free(m);
}

/* ------------------------------------------------------------------ */
/* Data movement                                                       */

static void test_movd_movq(void **state)
{
    (void)state;
    struct machine *m = machine_new(true);
    poke32(m, DATA, 0x89ABCDEFu);
    set_mm(m, 3, 0xFFFFFFFFFFFFFFFFull);
    set_mm(m, 4, 0x1122334455667788ull);
    RUN(m, 0x0F, 0x6E, 0x1E, 0x00, 0x20,       /* movd mm3, [2000h] */
        0x0F, 0x7E, 0x26, 0x08, 0x20,          /* movd [2008h], mm4 */
        0x0F, 0x6F, 0xEC,                      /* movq mm5, mm4 */
        0x0F, 0x7F, 0xE6,                      /* movq mm6, mm4 (0F 7F form) */
        0x0F, 0x7F, 0x26, 0x10, 0x20);         /* movq [2010h], mm4 */
    expect_done(m, 21);
    assert_int_equal(mm(m, 3), 0x0000000089ABCDEFull);
    assert_int_equal(peek32(m, 0x2008), 0x55667788u);
    assert_int_equal(peek32(m, 0x200C), 0);
    assert_int_equal(mm(m, 5), 0x1122334455667788ull);
    assert_int_equal(m->cpu->fpu.r[5].se, 0xFFFF);
    assert_int_equal(mm(m, 6), 0x1122334455667788ull);
    assert_int_equal(m->cpu->fpu.r[6].se, 0xFFFF);
    assert_int_equal(peek64(m, 0x2010), 0x1122334455667788ull);
    assert_int_equal(m->cpu->fpu.r[4].se, 0x4003);
    machine_free(m);
}

/* ------------------------------------------------------------------ */
/* Arithmetic: `op mm0, mm1` (0F xx C1) on fixed operands              */

static uint64_t op2(uint8_t opc, uint64_t a, uint64_t b)
{
    struct machine *m = machine_new(true);
    set_mm(m, 0, a);
    set_mm(m, 1, b);
    uint8_t code[3] = { 0x0F, opc, 0xC1 };
    run_code(m, code, 3);
    expect_done(m, 3);
    assert_int_equal(mm(m, 1), b);
    uint64_t r = mm(m, 0);
    machine_free(m);
    return r;
}

static void test_add_sub(void **state)
{
    (void)state;
    /* wrapping */
    assert_int_equal(op2(0xFC, 0xFF7F800100FF0102ull, 0x0101010101010101ull), 0x0080810201000203ull);
    assert_int_equal(op2(0xFD, 0xFFFF7FFF00010000ull, 0x0001000100010001ull), 0x0000800000020001ull);
    assert_int_equal(op2(0xFE, 0xFFFFFFFF7FFFFFFFull, 0x0000000100000001ull), 0x0000000080000000ull);
    assert_int_equal(op2(0xF8, 0x0000800100000000ull, 0x0101010101010101ull), 0xFFFF7F00FFFFFFFFull);
    assert_int_equal(op2(0xF9, 0x0000800000000000ull, 0x0001000100010000ull), 0xFFFF7FFFFFFF0000ull);
    assert_int_equal(op2(0xFA, 0x0000000080000000ull, 0x0000000100000001ull), 0xFFFFFFFF7FFFFFFFull);
    /* signed saturation: 7F+1, 80+FF(-1), 80+80, 7F+7F, 01+FE, 00+00 */
    assert_int_equal(op2(0xEC, 0x7F80807F01000000ull, 0x01FF807FFE000000ull), 0x7F80807FFF000000ull);
    assert_int_equal(op2(0xED, 0x7FFF800080007FFFull, 0x0001FFFF80007FFFull), 0x7FFF800080007FFFull);
    /* signed saturating subtract: 80-1, 7F-FF(-1), 00-80, FF-7F, 80-80 */
    assert_int_equal(op2(0xE8, 0x807F00FF80000000ull, 0x01FF807F80000000ull), 0x807F7F8000000000ull);
    assert_int_equal(op2(0xE9, 0x80007FFF0000FFFFull, 0x0001FFFF80007FFFull), 0x80007FFF7FFF8000ull);
    /* unsigned saturation */
    assert_int_equal(op2(0xDC, 0xFFFE80FF00000000ull, 0x0101808000000000ull), 0xFFFFFFFF00000000ull);
    assert_int_equal(op2(0xDD, 0xFFFF80000001FFFEull, 0x0001800000010001ull), 0xFFFFFFFF0002FFFFull);
    assert_int_equal(op2(0xD8, 0x0001FF8000000000ull, 0x0102FF7F00000000ull), 0x0000000100000000ull);
    assert_int_equal(op2(0xD9, 0x00008000FFFF0005ull, 0x0001800000010006ull), 0x00000000FFFE0000ull);
}

static void test_compare_logic(void **state)
{
    (void)state;
    assert_int_equal(op2(0x74, 0x0102030405060708ull, 0x0102000405000708ull), 0xFFFF00FFFF00FFFFull);
    assert_int_equal(op2(0x75, 0x1234567800000000ull, 0x1234567900000000ull), 0xFFFF0000FFFFFFFFull);
    assert_int_equal(op2(0x76, 0x8000000000000001ull, 0x8000000000000000ull), 0xFFFFFFFF00000000ull);
    /* signed: 7F > 80, 80 > 7F is false, 00 > FF, FF > 00 is false */
    assert_int_equal(op2(0x64, 0x7F8000FF01020304ull, 0x807FFF0001020305ull), 0xFF00FF0000000000ull);
    assert_int_equal(op2(0x65, 0x7FFF80000000FFFFull, 0x80007FFFFFFF0000ull), 0xFFFF0000FFFF0000ull);
    assert_int_equal(op2(0x66, 0x000000007FFFFFFFull, 0xFFFFFFFF80000000ull), 0xFFFFFFFFFFFFFFFFull);
    assert_int_equal(op2(0xDB, 0xF0F0F0F0FFFF0000ull, 0xFF00FF0012345678ull), 0xF000F00012340000ull);
    assert_int_equal(op2(0xDF, 0xF0F0F0F0FFFF0000ull, 0xFF00FF0012345678ull), 0x0F000F0000005678ull);
    assert_int_equal(op2(0xEB, 0xF0F0F0F0FFFF0000ull, 0xFF00FF0012345678ull), 0xFFF0FFF0FFFF5678ull);
    assert_int_equal(op2(0xEF, 0xF0F0F0F0FFFF0000ull, 0xFF00FF0012345678ull), 0x0FF00FF0EDCB5678ull);
}

static void test_multiply(void **state)
{
    (void)state;
    /* 8000h * 8000h = 40000000h; FFFFh * FFFFh = 1; 7FFFh * 8000h = C0008000h */
    assert_int_equal(op2(0xD5, 0x8000FFFF7FFF0003ull, 0x8000FFFF80000005ull), 0x000000018000000Full);
    assert_int_equal(op2(0xE5, 0x8000FFFF7FFF0003ull, 0x8000FFFF80000005ull), 0x40000000C0000000ull);
    /* PMADDWD: 8000h*8000h + 8000h*8000h wraps to 80000000h */
    assert_int_equal(op2(0xF5, 0x8000800000020003ull, 0x8000800000040005ull), 0x8000000000000017ull);
    assert_int_equal(op2(0xF5, 0x7FFF7FFFFFFF0001ull, 0x7FFF800000010001ull), 0xFFFF800100000000ull);
}

static void test_pack_unpack(void **state)
{
    (void)state;
    /* PACKSSWB: words 0080h 7FFFh 7F7Fh 8000h / 007Fh FF80h 0000h FFFFh */
    assert_int_equal(op2(0x63, 0x80007F7F7FFF0080ull, 0xFFFF0000FF80007Full), 0xFF00807F807F7F7Full);
    /* PACKSSDW: 00008000h FFFF7FFFh / 00007FFFh 80000000h */
    assert_int_equal(op2(0x6B, 0xFFFF7FFF00008000ull, 0x8000000000007FFFull), 0x80007FFF80007FFFull);
    /* PACKUSWB: 0100h FFFFh 00FFh 8000h / 7FFFh 0001h 0080h FF00h */
    assert_int_equal(op2(0x67, 0x800000FFFFFF0100ull, 0xFF00008000017FFFull), 0x008001FF00FF00FFull);
    assert_int_equal(op2(0x60, 0x0706050403020100ull, 0x1716151413121110ull), 0x1303120211011000ull);
    assert_int_equal(op2(0x61, 0x0706050403020100ull, 0x1716151413121110ull), 0x1312030211100100ull);
    assert_int_equal(op2(0x62, 0x0706050403020100ull, 0x1716151413121110ull), 0x1312111003020100ull);
    assert_int_equal(op2(0x68, 0x0706050403020100ull, 0x1716151413121110ull), 0x1707160615051404ull);
    assert_int_equal(op2(0x69, 0x0706050403020100ull, 0x1716151413121110ull), 0x1716070615140504ull);
    assert_int_equal(op2(0x6A, 0x0706050403020100ull, 0x1716151413121110ull), 0x1716151407060504ull);
}

/* Shifts by mm1: counts past the lane width clear the lanes (logical) or
 * fill them with the sign (arithmetic); the whole 64-bit count counts. */
static void test_shift_counts(void **state)
{
    (void)state;
    const uint64_t a = 0x8001F00F7FFF0001ull;
    assert_int_equal(op2(0xF1, a, 15), 0x8000800080008000ull);
    assert_int_equal(op2(0xF1, a, 16), 0);
    assert_int_equal(op2(0xF1, a, 0x100000000ull), 0);
    assert_int_equal(op2(0xF1, a, 0), a);
    assert_int_equal(op2(0xD1, a, 4), 0x08000F0007FF0000ull);
    assert_int_equal(op2(0xD1, a, 0xFFFFFFFFFFFFFFFFull), 0);
    assert_int_equal(op2(0xE1, a, 4), 0xF800FF0007FF0000ull);
    assert_int_equal(op2(0xE1, a, 16), 0xFFFFFFFF00000000ull);
    assert_int_equal(op2(0xE1, a, 0x8000000000000000ull), 0xFFFFFFFF00000000ull);
    assert_int_equal(op2(0xF2, a, 31), 0x8000000080000000ull);
    assert_int_equal(op2(0xF2, a, 32), 0);
    assert_int_equal(op2(0xD2, a, 31), 0x0000000100000000ull);
    assert_int_equal(op2(0xD2, a, 33), 0);
    assert_int_equal(op2(0xE2, a, 31), 0xFFFFFFFF00000000ull);
    assert_int_equal(op2(0xE2, a, 1000), 0xFFFFFFFF00000000ull);
    assert_int_equal(op2(0xF3, a, 63), 0x8000000000000000ull);
    assert_int_equal(op2(0xF3, a, 64), 0);
    assert_int_equal(op2(0xD3, a, 63), 1);
    assert_int_equal(op2(0xD3, a, 64), 0);
    assert_int_equal(op2(0xD3, a, 12), 0x0008001F00F7FFF0ull);
}

/* Immediate counts (0F 71-73 /2 /4 /6 ib): an imm8 up to 255. */
static void test_shift_imm(void **state)
{
    (void)state;
    struct machine *m = machine_new(true);
    const uint64_t a = 0x8001F00F7FFF0001ull;
    for (unsigned r = 0; r < 8; r++)
        set_mm(m, r, a);
    RUN(m, 0x0F, 0x71, 0xF0, 0x03,   /* psllw mm0, 3 */
        0x0F, 0x71, 0xD1, 0x10,      /* psrlw mm1, 16 */
        0x0F, 0x71, 0xE2, 0xFF,      /* psraw mm2, 255 */
        0x0F, 0x72, 0xF3, 0x20,      /* pslld mm3, 32 */
        0x0F, 0x72, 0xD4, 0x04,      /* psrld mm4, 4 */
        0x0F, 0x72, 0xE5, 0x1F,      /* psrad mm5, 31 */
        0x0F, 0x73, 0xF6, 0x40,      /* psllq mm6, 64 */
        0x0F, 0x73, 0xD7, 0x3F);     /* psrlq mm7, 63 */
    expect_done(m, 32);
    assert_int_equal(mm(m, 0), 0x00088078FFF80008ull);
    assert_int_equal(mm(m, 1), 0);
    assert_int_equal(mm(m, 2), 0xFFFFFFFF00000000ull);
    assert_int_equal(mm(m, 3), 0);
    assert_int_equal(mm(m, 4), 0x08001F0007FFF000ull);
    assert_int_equal(mm(m, 5), 0xFFFFFFFF00000000ull);
    assert_int_equal(mm(m, 6), 0);
    assert_int_equal(mm(m, 7), 1);
    for (unsigned r = 0; r < 8; r++)
        assert_int_equal(m->cpu->fpu.r[r].se, 0xFFFF);
    machine_free(m);
}

/* Memory sources: the quadword and a shift count from memory, 16- and
 * 32-bit addressing, prefixes the P6 ignores. */
static void test_memory_forms(void **state)
{
    (void)state;
    struct machine *m = machine_new(true);
    poke64(m, DATA, 0x0101010101010101ull);
    poke64(m, DATA + 8, 0x0000000000000004ull);
    set_mm(m, 2, 0x00FF00FF00FF00FFull);
    set_mm(m, 3, 0x1234567812345678ull);
    cpu_set_reg(m->cpu, CPU_ESI, DATA);
    RUN(m, 0x0F, 0xFC, 0x16, 0x00, 0x20,             /* paddb mm2, [2000h] */
        0x67, 0x0F, 0xF2, 0x5E, 0x08,                /* pslld mm3, [esi+8] */
        0x66, 0x0F, 0xFD, 0x16, 0x00, 0x20,          /* paddw mm2, [2000h] (66 ignored) */
        0xF3, 0x0F, 0xEF, 0xC0);                     /* pxor mm0, mm0 (F3 ignored) */
    expect_done(m, 20);
    assert_int_equal(mm(m, 2), 0x0201020102010201ull);
    assert_int_equal(mm(m, 3), 0x2345678023456780ull);
    assert_int_equal(mm(m, 0), 0);
    machine_free(m);
}

/* ------------------------------------------------------------------ */
/* Exceptions                                                          */

/* #UD / #NM / #MF leave every register, the tags and TOP as they were. */
static void expect_untouched(struct machine *m)
{
    assert_int_equal(m->cpu->fpu.tw, 0xFFFF);
    assert_int_equal(top(m), 5);
    assert_int_equal(m->cpu->fpu.r[0].se, 0x3FFF);
    assert_int_equal(mm(m, 0), 0x8000000000000000ull);
}

static void test_em_ts(void **state)
{
    (void)state;
    struct machine *m = machine_new(true);
    cpu_set_cr(m->cpu, 0, 0x60000014u); /* EM: #UD (not #NM as for x87) */
    RUN(m, 0x90, 0x0F, 0xEF, 0xC1);     /* nop; pxor mm0, mm1 */
    expect_exc(m, 6, 1);
    expect_untouched(m);
    RUN(m, 0x0F, 0x77);                 /* emms */
    expect_exc(m, 6, 0);
    expect_untouched(m);
    cpu_set_cr(m->cpu, 0, 0x6000001Cu); /* EM and TS: EM wins */
    RUN(m, 0x0F, 0xEF, 0xC1);
    expect_exc(m, 6, 0);
    cpu_set_cr(m->cpu, 0, 0x60000018u); /* TS: #NM */
    RUN(m, 0x0F, 0x6F, 0x06, 0x00, 0x20);
    expect_exc(m, 7, 0);
    expect_untouched(m);
    RUN(m, 0x0F, 0x77);
    expect_exc(m, 7, 0);
    expect_untouched(m);
    cpu_set_cr(m->cpu, 0, 0x6000001Au); /* TS with MP: #NM still */
    RUN(m, 0x0F, 0xEF, 0xC1);
    expect_exc(m, 7, 0);
    cpu_set_cr(m->cpu, 0, 0x60000012u); /* MP alone: runs */
    RUN(m, 0x0F, 0xEF, 0xC1);
    expect_done(m, 3);
    machine_free(m);

    m = machine_new(false); /* no x87: CPUID has no MMX, #UD */
    RUN(m, 0x0F, 0x77);
    expect_exc(m, 6, 0);
    machine_free(m);
}

static void test_pending_mf(void **state)
{
    (void)state;
    struct machine *m = machine_new(true);
    cpu_set_cr(m->cpu, 0, 0x60000030u); /* NE */
    m->cpu->fpu.sw |= 0x8081u;          /* B, ES, IE: an unmasked invalid pending */
    m->cpu->fpu.cw = 0x037E;
    RUN(m, 0x0F, 0xEF, 0xC1);
    expect_exc(m, 16, 0);
    expect_untouched(m);
    RUN(m, 0x0F, 0x77); /* EMMS waits too */
    expect_exc(m, 16, 0);
    expect_untouched(m);
    cpu_set_cr(m->cpu, 0, 0x60000038u); /* TS outranks #MF */
    RUN(m, 0x0F, 0x77);
    expect_exc(m, 7, 0);
    /* NE = 0 (MS-DOS compatible reporting): no #MF; FERR# goes out and
     * the instruction runs */
    cpu_set_cr(m->cpu, 0, 0x60000010u);
    assert_false(m->cpu->fpu.ferr);
    RUN(m, 0x0F, 0xEF, 0xC1);
    expect_done(m, 3);
    assert_true(m->cpu->fpu.ferr);
    assert_int_equal(top(m), 0);
    m->cpu->fpu.sw &= (uint16_t)~0x8081u; /* cleared: runs */
    cpu_set_cr(m->cpu, 0, 0x60000030u);
    RUN(m, 0x0F, 0x77);
    expect_done(m, 2);
    machine_free(m);
}

/* A store that does not fit the segment faults before writing anything
 * or touching the x87 state; so does LOCK (decoder #UD). */
static void test_precise_faults(void **state)
{
    (void)state;
    struct machine *m = machine_new(true);
    poke64(m, 0xFFF8, 0x5555555555555555ull);
    RUN(m, 0x0F, 0x7F, 0x06, 0xFC, 0xFF); /* movq [0FFFCh], mm0: past the limit */
    expect_exc(m, 13, 0);
    assert_int_equal(peek64(m, 0xFFF8), 0x5555555555555555ull);
    expect_untouched(m);
    RUN(m, 0x0F, 0x6F, 0x06, 0xFC, 0xFF); /* movq mm0, [0FFFCh] */
    expect_exc(m, 13, 0);
    expect_untouched(m);
    RUN(m, 0x0F, 0xFC, 0x06, 0xFF, 0xFF); /* paddb mm0, [0FFFFh] */
    expect_exc(m, 13, 0);
    expect_untouched(m);
    RUN(m, 0xF0, 0x0F, 0xFC, 0x06, 0x00, 0x20); /* lock paddb */
    expect_exc(m, 6, 0);
    expect_untouched(m);
    RUN(m, 0x0F, 0x7F, 0x06, 0xF8, 0xFF); /* movq [0FFF8h], mm0 fits */
    expect_done(m, 5);
    assert_int_equal(peek64(m, 0xFFF8), 0x8000000000000000ull);
    machine_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alias_write),
        cmocka_unit_test(test_alias_fixed_mapping),
        cmocka_unit_test(test_alias_read),
        cmocka_unit_test(test_emms),
        cmocka_unit_test(test_movd_movq),
        cmocka_unit_test(test_add_sub),
        cmocka_unit_test(test_compare_logic),
        cmocka_unit_test(test_multiply),
        cmocka_unit_test(test_pack_unpack),
        cmocka_unit_test(test_shift_counts),
        cmocka_unit_test(test_shift_imm),
        cmocka_unit_test(test_memory_forms),
        cmocka_unit_test(test_em_ts),
        cmocka_unit_test(test_pending_mf),
        cmocka_unit_test(test_precise_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
