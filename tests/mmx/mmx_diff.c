/*
 * mmx_diff.c - the host CPU's MMX as the oracle for cpu/mmx.c.
 *
 *   test_mmx_diff [--count N] [--seed S]
 *
 * For every MMX operation, N random operand pairs (N = 1,000,000 by
 * default; lanes are biased towards the saturation and sign boundaries,
 * shift counts towards the lane widths) go through ringzero's handler and
 * through the same instruction executed natively, and the results must be
 * bit-identical.  Immediate shifts run every imm8 (0-255).  Then the x87
 * side effects (SDM vol. 3, table 12-2): from a random x87 state loaded
 * with FRSTOR, a short MMX sequence, then FNSAVE; control word, status
 * word (TOP), tag word and the eight registers must match ringzero's.
 *
 * The native half is x86 inline assembly in this test only (x86-64 runs
 * MMX in 64-bit mode); other hosts report "skipped" (exit 77).
 * Exit: 0 all equal, 1 a mismatch, 77 skipped.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_internal.h"
#include "mmu/mmu.h"

#define DIFF_SKIP 77
#define DATA 0x2000u

/* 32-bit x86 compilers name the MMX registers in asm only with -mmmx. */
#if defined(__x86_64__) || (defined(__i386__) && defined(__MMX__))
#define DIFF_NATIVE 1
#else
#define DIFF_NATIVE 0
#endif

#if DIFF_NATIVE
/* ------------------------------------------------------------------ */
/* Random operands                                                     */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* A quadword whose 16-bit pieces are often boundary values, so byte,
 * word and dword lanes all meet their saturation and sign edges. */
static uint64_t rng_operand(uint64_t *s)
{
    static const uint16_t special[] = {
        0x0000, 0x0001, 0x7FFF, 0x8000, 0xFFFF, 0xFFFE, 0x8001, 0x7FFE,
        0x00FF, 0x0100, 0xFF00, 0x0080, 0xFF80, 0x007F, 0xFF7F, 0x7F80,
        0x807F, 0x8080, 0x7F7F, 0x0101, 0xFEFE, 0x4000, 0xC000, 0x00FE
    };
    uint64_t r = rng_next(s);
    if ((r & 7) == 0)
        return rng_next(s);
    uint64_t v = 0;
    for (unsigned k = 0; k < 4; k++) {
        uint64_t x = rng_next(s);
        uint16_t piece = (x & 3) == 0 ? (uint16_t)(x >> 16)
                                      : special[(x >> 8) % (sizeof special / sizeof special[0])];
        v |= (uint64_t)piece << (16 * k);
    }
    return v;
}

/* A shift count around the interesting values for lanes of w bits. */
static uint64_t rng_count(uint64_t *s, unsigned w)
{
    uint64_t x = rng_next(s);
    switch (x % 8) {
    case 0: case 1: case 2: case 3: return (x >> 8) % 72;
    case 4: return w - 1 + ((x >> 8) % 3);
    case 5: return rng_next(s);
    case 6: return (rng_next(s) << 32) | ((x >> 8) % 72);
    default: return ((x >> 8) % 2) ? 0xFFFFFFFFFFFFFFFFull : 0x8000000000000000ull + ((x >> 8) % 80);
    }
}

/* ------------------------------------------------------------------ */
/* Native side                                                         */

typedef uint64_t diff_native_fn(uint64_t a, uint64_t b);

#define NAT_BIN(fn, insn)                                                                 \
    static uint64_t fn(uint64_t a, uint64_t b)                                            \
    {                                                                                     \
        uint64_t r;                                                                       \
        __asm__ volatile("movq %1, %%mm0\n\tmovq %2, %%mm1\n\t" insn " %%mm1, %%mm0\n\t"  \
                         "movq %%mm0, %0"                                                 \
                         : "=m"(r) : "m"(a), "m"(b) : "mm0", "mm1");                      \
        return r;                                                                         \
    }

NAT_BIN(nat_paddb, "paddb") NAT_BIN(nat_paddw, "paddw") NAT_BIN(nat_paddd, "paddd")
NAT_BIN(nat_paddsb, "paddsb") NAT_BIN(nat_paddsw, "paddsw")
NAT_BIN(nat_paddusb, "paddusb") NAT_BIN(nat_paddusw, "paddusw")
NAT_BIN(nat_psubb, "psubb") NAT_BIN(nat_psubw, "psubw") NAT_BIN(nat_psubd, "psubd")
NAT_BIN(nat_psubsb, "psubsb") NAT_BIN(nat_psubsw, "psubsw")
NAT_BIN(nat_psubusb, "psubusb") NAT_BIN(nat_psubusw, "psubusw")
NAT_BIN(nat_pcmpeqb, "pcmpeqb") NAT_BIN(nat_pcmpeqw, "pcmpeqw") NAT_BIN(nat_pcmpeqd, "pcmpeqd")
NAT_BIN(nat_pcmpgtb, "pcmpgtb") NAT_BIN(nat_pcmpgtw, "pcmpgtw") NAT_BIN(nat_pcmpgtd, "pcmpgtd")
NAT_BIN(nat_pmullw, "pmullw") NAT_BIN(nat_pmulhw, "pmulhw") NAT_BIN(nat_pmaddwd, "pmaddwd")
NAT_BIN(nat_pand, "pand") NAT_BIN(nat_pandn, "pandn") NAT_BIN(nat_por, "por")
NAT_BIN(nat_pxor, "pxor")
NAT_BIN(nat_packsswb, "packsswb") NAT_BIN(nat_packssdw, "packssdw")
NAT_BIN(nat_packuswb, "packuswb")
NAT_BIN(nat_punpcklbw, "punpcklbw") NAT_BIN(nat_punpcklwd, "punpcklwd")
NAT_BIN(nat_punpckldq, "punpckldq") NAT_BIN(nat_punpckhbw, "punpckhbw")
NAT_BIN(nat_punpckhwd, "punpckhwd") NAT_BIN(nat_punpckhdq, "punpckhdq")
NAT_BIN(nat_psllw, "psllw") NAT_BIN(nat_pslld, "pslld") NAT_BIN(nat_psllq, "psllq")
NAT_BIN(nat_psrlw, "psrlw") NAT_BIN(nat_psrld, "psrld") NAT_BIN(nat_psrlq, "psrlq")
NAT_BIN(nat_psraw, "psraw") NAT_BIN(nat_psrad, "psrad")
NAT_BIN(nat_movq, "movq")

static uint64_t nat_movd_in(uint64_t a, uint64_t b)
{
    uint64_t r;
    uint32_t lo = (uint32_t)b;
    __asm__ volatile("movq %1, %%mm0\n\tmovd %2, %%mm0\n\tmovq %%mm0, %0"
                     : "=m"(r) : "m"(a), "r"(lo) : "mm0");
    return r;
}

static uint64_t nat_movd_out(uint64_t a, uint64_t b)
{
    uint32_t r = (uint32_t)b;
    __asm__ volatile("movq %1, %%mm0\n\tmovd %%mm0, %0" : "+r"(r) : "m"(a) : "mm0");
    return r;
}

/* Immediate shifts: one instruction per imm8, generated as switch cases
 * 0x00-0xFF (the count must be an assembly-time constant). */
#define NAT_IMM_CASE(insn, n)                                                             \
    case n:                                                                               \
        __asm__ volatile("movq %1, %%mm0\n\t" insn " $" #n ", %%mm0\n\tmovq %%mm0, %0"    \
                         : "=m"(r) : "m"(a) : "mm0");                                     \
        break;
#define NAT_IMM16(insn, h)                                                                \
    NAT_IMM_CASE(insn, h##0) NAT_IMM_CASE(insn, h##1) NAT_IMM_CASE(insn, h##2)            \
    NAT_IMM_CASE(insn, h##3) NAT_IMM_CASE(insn, h##4) NAT_IMM_CASE(insn, h##5)            \
    NAT_IMM_CASE(insn, h##6) NAT_IMM_CASE(insn, h##7) NAT_IMM_CASE(insn, h##8)            \
    NAT_IMM_CASE(insn, h##9) NAT_IMM_CASE(insn, h##A) NAT_IMM_CASE(insn, h##B)            \
    NAT_IMM_CASE(insn, h##C) NAT_IMM_CASE(insn, h##D) NAT_IMM_CASE(insn, h##E)            \
    NAT_IMM_CASE(insn, h##F)
#define NAT_IMM(fn, insn)                                                                 \
    static uint64_t fn(uint64_t a, uint64_t imm)                                          \
    {                                                                                     \
        uint64_t r = 0;                                                                   \
        switch (imm) {                                                                    \
            NAT_IMM16(insn, 0x0) NAT_IMM16(insn, 0x1) NAT_IMM16(insn, 0x2)                \
            NAT_IMM16(insn, 0x3) NAT_IMM16(insn, 0x4) NAT_IMM16(insn, 0x5)                \
            NAT_IMM16(insn, 0x6) NAT_IMM16(insn, 0x7) NAT_IMM16(insn, 0x8)                \
            NAT_IMM16(insn, 0x9) NAT_IMM16(insn, 0xA) NAT_IMM16(insn, 0xB)                \
            NAT_IMM16(insn, 0xC) NAT_IMM16(insn, 0xD) NAT_IMM16(insn, 0xE)                \
            NAT_IMM16(insn, 0xF)                                                          \
        default: abort();                                                                 \
        }                                                                                 \
        return r;                                                                         \
    }

NAT_IMM(nat_psllw_i, "psllw") NAT_IMM(nat_pslld_i, "pslld") NAT_IMM(nat_psllq_i, "psllq")
NAT_IMM(nat_psrlw_i, "psrlw") NAT_IMM(nat_psrld_i, "psrld") NAT_IMM(nat_psrlq_i, "psrlq")
NAT_IMM(nat_psraw_i, "psraw") NAT_IMM(nat_psrad_i, "psrad")

static void nat_emms(void) { __asm__ volatile("emms"); }

/* x87 state in and out through the 108-byte FSAVE image (32-bit layout,
 * which 64-bit mode uses too). */
static void nat_frstor(const uint8_t *img) { __asm__ volatile("frstor %0" : : "m"(*(const uint8_t(*)[108])img)); }
static void nat_fnsave(uint8_t *img) { __asm__ volatile("fnsave %0" : "=m"(*(uint8_t(*)[108])img)); }

static uint32_t nat_movd_from_mm3(void)
{
    uint32_t r;
    __asm__ volatile("movd %%mm3, %0" : "=r"(r));
    return r;
}

/* ------------------------------------------------------------------ */
/* The operations                                                      */

enum diff_kind {
    K_BIN,    /* op mm0, mm1: a, b */
    K_SHIFT,  /* op mm0, mm1: a, count b */
    K_IMM,    /* op mm0, imm8 */
    K_MOVD_IN,  /* movd mm0, r32 (b's low half) */
    K_MOVD_OUT  /* movd r32, mm0 */
};

struct diff_op {
    const char *name;
    unsigned op;     /* enum dec_op */
    enum diff_kind kind;
    unsigned w;      /* lane width of a shift */
    diff_native_fn *nat;
};

#define DOP(name, op, kind, w, nat) { name, DEC_##op, kind, w, nat }

static const struct diff_op diff_ops[] = {
    DOP("paddb", PADDB_PqQq, K_BIN, 0, nat_paddb),
    DOP("paddw", PADDW_PqQq, K_BIN, 0, nat_paddw),
    DOP("paddd", PADDD_PqQq, K_BIN, 0, nat_paddd),
    DOP("paddsb", PADDSB_PqQq, K_BIN, 0, nat_paddsb),
    DOP("paddsw", PADDSW_PqQq, K_BIN, 0, nat_paddsw),
    DOP("paddusb", PADDUSB_PqQq, K_BIN, 0, nat_paddusb),
    DOP("paddusw", PADDUSW_PqQq, K_BIN, 0, nat_paddusw),
    DOP("psubb", PSUBB_PqQq, K_BIN, 0, nat_psubb),
    DOP("psubw", PSUBW_PqQq, K_BIN, 0, nat_psubw),
    DOP("psubd", PSUBD_PqQq, K_BIN, 0, nat_psubd),
    DOP("psubsb", PSUBSB_PqQq, K_BIN, 0, nat_psubsb),
    DOP("psubsw", PSUBSW_PqQq, K_BIN, 0, nat_psubsw),
    DOP("psubusb", PSUBUSB_PqQq, K_BIN, 0, nat_psubusb),
    DOP("psubusw", PSUBUSW_PqQq, K_BIN, 0, nat_psubusw),
    DOP("pcmpeqb", PCMPEQB_PqQq, K_BIN, 0, nat_pcmpeqb),
    DOP("pcmpeqw", PCMPEQW_PqQq, K_BIN, 0, nat_pcmpeqw),
    DOP("pcmpeqd", PCMPEQD_PqQq, K_BIN, 0, nat_pcmpeqd),
    DOP("pcmpgtb", PCMPGTB_PqQq, K_BIN, 0, nat_pcmpgtb),
    DOP("pcmpgtw", PCMPGTW_PqQq, K_BIN, 0, nat_pcmpgtw),
    DOP("pcmpgtd", PCMPGTD_PqQq, K_BIN, 0, nat_pcmpgtd),
    DOP("pmullw", PMULLW_PqQq, K_BIN, 0, nat_pmullw),
    DOP("pmulhw", PMULHW_PqQq, K_BIN, 0, nat_pmulhw),
    DOP("pmaddwd", PMADDWD_PqQq, K_BIN, 0, nat_pmaddwd),
    DOP("pand", PAND_PqQq, K_BIN, 0, nat_pand),
    DOP("pandn", PANDN_PqQq, K_BIN, 0, nat_pandn),
    DOP("por", POR_PqQq, K_BIN, 0, nat_por),
    DOP("pxor", PXOR_PqQq, K_BIN, 0, nat_pxor),
    DOP("packsswb", PACKSSWB_PqQq, K_BIN, 0, nat_packsswb),
    DOP("packssdw", PACKSSDW_PqQq, K_BIN, 0, nat_packssdw),
    DOP("packuswb", PACKUSWB_PqQq, K_BIN, 0, nat_packuswb),
    DOP("punpcklbw", PUNPCKLBW_PqQq, K_BIN, 0, nat_punpcklbw),
    DOP("punpcklwd", PUNPCKLWD_PqQq, K_BIN, 0, nat_punpcklwd),
    DOP("punpckldq", PUNPCKLDQ_PqQq, K_BIN, 0, nat_punpckldq),
    DOP("punpckhbw", PUNPCKHBW_PqQq, K_BIN, 0, nat_punpckhbw),
    DOP("punpckhwd", PUNPCKHWD_PqQq, K_BIN, 0, nat_punpckhwd),
    DOP("punpckhdq", PUNPCKHDQ_PqQq, K_BIN, 0, nat_punpckhdq),
    DOP("psllw", PSLLW_PqQq, K_SHIFT, 16, nat_psllw),
    DOP("pslld", PSLLD_PqQq, K_SHIFT, 32, nat_pslld),
    DOP("psllq", PSLLQ_PqQq, K_SHIFT, 64, nat_psllq),
    DOP("psrlw", PSRLW_PqQq, K_SHIFT, 16, nat_psrlw),
    DOP("psrld", PSRLD_PqQq, K_SHIFT, 32, nat_psrld),
    DOP("psrlq", PSRLQ_PqQq, K_SHIFT, 64, nat_psrlq),
    DOP("psraw", PSRAW_PqQq, K_SHIFT, 16, nat_psraw),
    DOP("psrad", PSRAD_PqQq, K_SHIFT, 32, nat_psrad),
    DOP("psllw imm", PSLLW_NqIb, K_IMM, 16, nat_psllw_i),
    DOP("pslld imm", PSLLD_NqIb, K_IMM, 32, nat_pslld_i),
    DOP("psllq imm", PSLLQ_NqIb, K_IMM, 64, nat_psllq_i),
    DOP("psrlw imm", PSRLW_NqIb, K_IMM, 16, nat_psrlw_i),
    DOP("psrld imm", PSRLD_NqIb, K_IMM, 32, nat_psrld_i),
    DOP("psrlq imm", PSRLQ_NqIb, K_IMM, 64, nat_psrlq_i),
    DOP("psraw imm", PSRAW_NqIb, K_IMM, 16, nat_psraw_i),
    DOP("psrad imm", PSRAD_NqIb, K_IMM, 32, nat_psrad_i),
    DOP("movq", MOVQ_PqQq, K_BIN, 0, nat_movq),
    DOP("movd mm, r32", MOVD_PqEd, K_MOVD_IN, 0, nat_movd_in),
    DOP("movd r32, mm", MOVD_EdPq, K_MOVD_OUT, 0, nat_movd_out),
};
#define DIFF_NOPS (sizeof diff_ops / sizeof diff_ops[0])

/* ------------------------------------------------------------------ */
/* ringzero side: the handler called directly on a decoded instruction  */

static uint8_t bus_ack(void *opaque)
{
    (void)opaque;
    return 0;
}

static void emu_exec(struct cpu *c, unsigned op, unsigned reg, unsigned rm, bool mem, uint32_t disp,
                     uint32_t imm)
{
    struct cpu_insn in;
    memset(&in, 0, sizeof in);
    in.fn = cpu_h_MMX;
    in.d.op = (uint16_t)op;
    in.d.reg = (uint8_t)reg;
    in.d.rm = (uint8_t)rm;
    in.d.base = DEC_REG_NONE;
    in.d.index = DEC_REG_NONE;
    in.d.seg = DEC_SEG_DS;
    in.d.flags = mem ? DEC_F_MEM : 0;
    in.d.disp = disp;
    in.d.imm = imm;
    in.d.len = 3;
    cpu_h_MMX(c, &in);
}

/* Run one operation on a, b in ringzero: mm0 = a, mm1 = b (unless the
 * caller loaded them), op, result in mm0 (or EAX for movd r32, mm0, whose
 * old value is b's low half). */
static uint64_t emu_op(struct cpu *c, const struct diff_op *o, uint64_t a, uint64_t b, bool load)
{
    if (load) {
        c->fpu.r[0].sig = a;
        c->fpu.r[1].sig = b;
    }
    switch (o->kind) {
    case K_BIN:
    case K_SHIFT:
        emu_exec(c, o->op, 0, 1, false, 0, 0);
        return c->fpu.r[0].sig;
    case K_IMM:
        emu_exec(c, o->op, 0, 0, false, 0, (uint32_t)b);
        return c->fpu.r[0].sig;
    case K_MOVD_IN:
        c->gpr[CPU_EAX] = (uint32_t)b;
        emu_exec(c, o->op, 0, CPU_EAX, false, 0, 0);
        return c->fpu.r[0].sig;
    case K_MOVD_OUT:
        c->gpr[CPU_EAX] = (uint32_t)b;
        emu_exec(c, o->op, 0, CPU_EAX, false, 0, 0);
        return c->gpr[CPU_EAX];
    }
    return 0;
}

static int diff_results(struct cpu *c, uint64_t count, uint64_t *seed)
{
    int bad = 0;
    for (size_t k = 0; k < DIFF_NOPS; k++) {
        const struct diff_op *o = &diff_ops[k];
        uint64_t n = o->kind == K_IMM ? 256 * ((count + 255) / 256) : count, fails = 0;
        for (uint64_t j = 0; j < n; j++) {
            uint64_t a = rng_operand(seed);
            uint64_t b = o->kind == K_SHIFT ? rng_count(seed, o->w)
                         : o->kind == K_IMM ? j & 0xFF
                                            : rng_operand(seed);
            uint64_t want = o->nat(a, b);
            uint64_t got = emu_op(c, o, a, b, true);
            if (got != want || c->fpu.r[0].se != 0xFFFF || (c->fpu.sw & 0x3800u) != 0) {
                if (fails++ < 5)
                    printf("FAIL %s a=%016llx b=%016llx: host %016llx, ringzero %016llx\n", o->name,
                           (unsigned long long)a, (unsigned long long)b, (unsigned long long)want,
                           (unsigned long long)got);
            }
        }
        nat_emms();
        printf("%-13s %9llu operand pairs, %llu differ\n", o->name, (unsigned long long)n,
               (unsigned long long)fails);
        if (fails)
            bad = 1;
    }
    return bad;
}

/* A random x87 register value of any class: zero, normal, denormal,
 * pseudo-denormal, infinity, NaN, unnormal, pseudo-NaN. */
static f80 rng_f80(uint64_t *s)
{
    uint64_t x = rng_next(s), sig = rng_next(s);
    uint16_t sign = (uint16_t)((x >> 20) & 0x8000u);
    switch (x % 8) {
    case 0: return (f80){ 0, sign };
    case 1: return (f80){ sig | 0x8000000000000000ull, (uint16_t)(sign | (1 + (x >> 8) % 0x7FFE)) };
    case 2: return (f80){ sig & 0x7FFFFFFFFFFFFFFFull, sign };
    case 3: return (f80){ sig | 0x8000000000000000ull, sign };
    case 4: return (f80){ 0x8000000000000000ull, (uint16_t)(sign | 0x7FFF) };
    case 5: return (f80){ sig | 0xC000000000000000ull, (uint16_t)(sign | 0x7FFF) };
    case 6: return (f80){ sig & 0x7FFFFFFFFFFFFFFFull, (uint16_t)(sign | 0x1234) };
    default: return (f80){ sig & 0x7FFFFFFFFFFFFFFFull, (uint16_t)(sign | 0x7FFF) };
    }
}

/* The tag of a value (SDM vol. 1, 8.1.7): 01 zero, 10 special (NaN,
 * infinity, denormal, unsupported), 00 otherwise. */
static unsigned diff_tag_of(f80 v)
{
    unsigned e = v.se & 0x7FFFu;
    if (e == 0)
        return v.sig == 0 ? 1u : 2u;
    if (e == 0x7FFF || !(v.sig >> 63))
        return 2u;
    return 0u;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static void put_f80(uint8_t *p, f80 v)
{
    for (unsigned k = 0; k < 8; k++)
        p[k] = (uint8_t)(v.sig >> (8 * k));
    put16(p + 8, v.se);
}
static f80 get_f80(const uint8_t *p)
{
    f80 v = { 0, get16(p + 8) };
    for (unsigned k = 0; k < 8; k++)
        v.sig |= (uint64_t)p[k] << (8 * k);
    return v;
}

/* The x87 side effects.  Each trial loads a random state (registers of
 * every class, random TOP and empty/non-empty tags, all exceptions
 * masked) into both, runs one of: the operation on mm0, mm1 (both loaded
 * first), EMMS, or a read of mm3 (MOVD r32, mm3), then compares the
 * FNSAVE image with ringzero's state.  FNSAVE stores tags computed from
 * the register contents (table 12-3); ringzero keeps them exact. */
static int diff_alias(struct cpu *c, unsigned trials, uint64_t *seed)
{
    unsigned fails = 0;
    for (unsigned t = 0; t < trials; t++) {
        uint8_t img[108], out[108];
        f80 r[8];
        memset(img, 0, sizeof img);
        unsigned top = (unsigned)(rng_next(seed) % 8);
        uint16_t sw = (uint16_t)((top << 11) | (rng_next(seed) & 0x4700u));
        uint16_t tw = (uint16_t)rng_next(seed);
        put16(img, 0x037F);
        put16(img + 4, sw);
        put16(img + 8, tw);
        for (unsigned p = 0; p < 8; p++)
            r[p] = rng_f80(seed);
        for (unsigned i = 0; i < 8; i++)
            put_f80(img + 28 + 10 * i, r[(top + i) & 7]);
        /* FRSTOR keeps empty tags and computes the others */
        uint16_t etw = 0;
        for (unsigned p = 0; p < 8; p++) {
            unsigned tag = ((tw >> (2 * p)) & 3u) == 3u ? 3u : diff_tag_of(r[p]);
            etw = (uint16_t)(etw | (tag << (2 * p)));
        }
        c->fpu.cw = 0x037F;
        c->fpu.sw = sw;
        c->fpu.tw = etw;
        memcpy(c->fpu.r, r, sizeof r);

        const struct diff_op *o = &diff_ops[rng_next(seed) % DIFF_NOPS];
        unsigned what = (unsigned)(rng_next(seed) % 4);
        uint64_t a = rng_operand(seed), b = rng_operand(seed);
        const char *name = what == 0 ? "emms" : what == 1 ? "movd r32, mm3" : o->name;
        nat_frstor(img);
        if (what == 0) {
            nat_emms();
            emu_exec(c, DEC_EMMS, 0, 0, false, 0, 0);
        } else if (what == 1) {
            uint32_t nat = nat_movd_from_mm3();
            emu_exec(c, DEC_MOVD_EdPq, 3, CPU_EAX, false, 0, 0);
            if (nat != c->gpr[CPU_EAX])
                fails++;
        } else {
            if (o->kind == K_IMM)
                b &= 0xFF;
            /* the native function loads mm0 and mm1 with MOVQ from GPRs */
            uint64_t nat = o->nat(a, b);
            uint8_t q[16];
            for (unsigned k = 0; k < 8; k++) {
                q[k] = (uint8_t)(a >> (8 * k));
                q[8 + k] = (uint8_t)(b >> (8 * k));
            }
            mmu_write_block(c->mmu, DATA, q, sizeof q);
            emu_exec(c, DEC_MOVQ_PqQq, 0, 0, true, DATA, 0);
            if (o->kind == K_BIN || o->kind == K_SHIFT)
                emu_exec(c, DEC_MOVQ_PqQq, 1, 0, true, DATA + 8, 0);
            uint64_t got = emu_op(c, o, a, b, false);
            if (got != nat)
                fails++;
        }
        nat_fnsave(out);
        bool same = get16(out) == c->fpu.cw && get16(out + 4) == c->fpu.sw &&
                    get16(out + 8) == c->fpu.tw;
        unsigned ntop = (get16(out + 4) >> 11) & 7u;
        for (unsigned i = 0; i < 8; i++) {
            f80 v = get_f80(out + 28 + 10 * i);
            const f80 *e = &c->fpu.r[(ntop + i) & 7];
            if (v.sig != e->sig || v.se != e->se)
                same = false;
        }
        if (!same && fails++ < 5)
            printf("FAIL x87 state after %s: host sw %04x tw %04x, ringzero sw %04x tw %04x\n", name,
                   get16(out + 4), get16(out + 8), c->fpu.sw, c->fpu.tw);
    }
    printf("x87 side effects: %u random states, %u differ\n", trials, fails);
    return fails != 0;
}

/* The handler runs outside cpu_run, so this stands in for the run loop's
 * unwind point: nothing here can fault, and an exception would be a bug
 * in the test's setup. */
static int diff_run(struct cpu *c, uint64_t count, uint64_t seed)
{
    c->in_run = true;
    if (setjmp(c->unwind)) {
        printf("FAIL: unexpected exception %u\n", c->exc_vector);
        return 1;
    }
    uint64_t *s = malloc(sizeof *s);
    if (s == NULL)
        return 1;
    *s = seed ? seed : 1;
    printf("seed %llu, %llu operand pairs per operation\n", (unsigned long long)*s,
           (unsigned long long)count);
    int bad = diff_results(c, count, s);
    bad |= diff_alias(c, count < 100000 ? 1000 : 20000, s);
    free(s);
    printf(bad ? "MISMATCH\n" : "all bit-exact\n");
    return bad;
}

static int diff_main(uint64_t count, uint64_t seed)
{
    struct mmu *mmu = mmu_create(1u << 20);
    struct cpu_bus_ops bus = { NULL, NULL, NULL, bus_ack };
    struct cpu_config cfg = { CPU_MODEL_PENTIUM2, true };
    struct cpu *c = mmu ? cpu_create(mmu, &bus, &cfg) : NULL;
    if (c == NULL) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    cpu_reset(c);
    for (unsigned s = 0; s < 6; s++)
        cpu_set_segment_real(c, (enum cpu_sreg)s, 0);
    int bad = diff_run(c, count, seed);
    cpu_destroy(c);
    mmu_destroy(mmu);
    return bad;
}
#else
static int diff_main(uint64_t count, uint64_t seed)
{
    (void)count;
    (void)seed;
    printf("skipped: not an x86-64 host (or a 32-bit x86 build without -mmmx): "
           "no native MMX to compare with\n");
    return DIFF_SKIP;
}
#endif

int main(int argc, char **argv)
{
    uint64_t count = 1000000, seed = 1;
    for (int k = 1; k < argc; k++) {
        if (!strcmp(argv[k], "--count") && k + 1 < argc)
            count = strtoull(argv[++k], NULL, 0);
        else if (!strcmp(argv[k], "--seed") && k + 1 < argc)
            seed = strtoull(argv[++k], NULL, 0);
        else {
            fprintf(stderr, "usage: %s [--count N] [--seed S]\n", argv[0]);
            return 1;
        }
    }
    return diff_main(count, seed);
}
