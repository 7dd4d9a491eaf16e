/*
 * test_decoder_zydis.c - differential test of dec_decode() against Zydis.
 *
 * Millions of random, biased byte sequences are decoded in 16- and 32-bit
 * mode by ringzero and by Zydis (legacy modes).  Zydis knows every later
 * ISA extension; its ISA-set tag decides which Zydis-valid instructions a
 * Pentium II has.  For those, validity, length and mnemonic must agree;
 * for the others ringzero must report #UD.  Every remaining disagreement
 * must match a row of dec_accepted[] below, which says why real Pentium II
 * hardware (the SDM) disagrees with Zydis; any other mismatch fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <Zydis/Zydis.h>

#include "decoder/decoder.h"

#define SAMPLES_PER_MODE 1000000u

/* ------------------------------------------------------------------ */
/* Deterministic generator (xorshift64*) and biased instruction bytes   */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static const uint8_t prefix_bytes[] = {0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x26,
                                       0x2E, 0x36, 0x3E, 0x64, 0x65};
static const uint8_t group_ops[][2] = {
    {0x80, 0}, {0x81, 0}, {0x82, 0}, {0x83, 0}, {0xC0, 0}, {0xC1, 0}, {0xD0, 0},
    {0xD1, 0}, {0xD2, 0}, {0xD3, 0}, {0xF6, 0}, {0xF7, 0}, {0xFE, 0}, {0xFF, 0},
    {0x8F, 0}, {0xC6, 0}, {0xC7, 0}, {0x8C, 0}, {0x8E, 0}, {0x0F, 0x00},
    {0x0F, 0x01}, {0x0F, 0xBA}, {0x0F, 0xC7}, {0x0F, 0x71}, {0x0F, 0x72},
    {0x0F, 0x73}, {0x0F, 0xAE}, {0x0F, 0x20}, {0x0F, 0x22}, {0x0F, 0x18}};

/* Fill buf[0..15]: prefixes, an opcode (one-byte, 0F,
 * x87 or a group), a ModRM biased to both register and memory forms, then
 * random bytes. */
static void gen_insn(uint64_t *s, uint8_t *buf)
{
    uint64_t r = rng_next(s);
    unsigned k = 0, npfx;
    for (unsigned i = 0; i < 16; i++)
        buf[i] = (uint8_t)(rng_next(s) >> 24);
    switch (r & 15) {
    case 0: case 1: case 2: case 3: case 4: case 5: npfx = 0; break;
    case 6: case 7: case 8: case 9: npfx = 1; break;
    case 10: case 11: npfx = 2; break;
    case 12: npfx = 3; break;
    case 13: npfx = 4 + (unsigned)((r >> 8) % 4); break;
    case 14: npfx = 9 + (unsigned)((r >> 8) % 8); break; /* near and past 15 */
    default: npfx = (unsigned)((r >> 8) % 3); break;
    }
    for (; k < npfx && k < 16; k++)
        buf[k] = prefix_bytes[(rng_next(s) >> 20) % sizeof prefix_bytes];
    if (k >= 15)
        return;
    r = rng_next(s);
    switch ((r >> 4) % 16) {
    case 0: case 1: case 2: case 3: case 4: case 5:
        buf[k++] = (uint8_t)(r >> 16);
        break;
    case 6: case 7: case 8: case 9: case 10: case 11:
        buf[k++] = 0x0F;
        buf[k++] = (uint8_t)(r >> 16);
        break;
    case 12: case 13:
        buf[k++] = (uint8_t)(0xD8 + ((r >> 16) & 7));
        break;
    default: {
        const uint8_t *g = group_ops[(r >> 16) % (sizeof group_ops / sizeof group_ops[0])];
        buf[k++] = g[0];
        if (g[0] == 0x0F)
            buf[k++] = g[1];
        break;
    }
    }
    if (k < 16 && ((r >> 32) & 3) == 0)
        buf[k] = (uint8_t)(0xC0 | buf[k]); /* register form */
}

/* ------------------------------------------------------------------ */
/* What a sample looks like after the legacy prefixes                   */

struct sample {
    const uint8_t *b;
    enum dec_mode mode;
    unsigned npfx;        /* prefix bytes */
    int p66, p67, lock, rep, segovr;
    unsigned op0, op1;    /* opcode byte(s); op1 valid when op0 == 0x0F */
    unsigned modrm;       /* byte after the opcode */
    enum dec_status st;
    struct dec_insn d;
    int zok;
    ZydisDecodedInstruction zi;
};

static void parse_prefixes(struct sample *x)
{
    unsigned k = 0;
    for (; k < 15; k++) {
        uint8_t c = x->b[k];
        if (c == 0x66) x->p66 = 1;
        else if (c == 0x67) x->p67 = 1;
        else if (c == 0xF0) x->lock = 1;
        else if (c == 0xF2 || c == 0xF3) x->rep = c;
        else if (c == 0x26 || c == 0x2E || c == 0x36 || c == 0x3E || c == 0x64 || c == 0x65)
            x->segovr = 1;
        else
            break;
    }
    x->npfx = k;
    x->op0 = x->b[k];
    x->op1 = x->b[k + 1];
    x->modrm = x->op0 == 0x0F ? x->b[k + 2] : x->b[k + 1];
}


/* ------------------------------------------------------------------ */
/* Pentium II ISA sets                                                  */

/* The 64-bit-register integer instructions the Pentium III (SSE) added to
 * MMX.  Zydis files them under the PENTIUMMMX set and MMX extension, but
 * the SDM lists CPUID.01H:EDX.SSE[bit 25] as their feature flag (vol. 2,
 * e.g. "PAVGB/PAVGW", "PSHUFW", "MOVNTQ"), so a Pentium II raises #UD. */
static const ZydisMnemonic sse_mmx[] = {
    ZYDIS_MNEMONIC_PAVGB, ZYDIS_MNEMONIC_PAVGW, ZYDIS_MNEMONIC_PEXTRW, ZYDIS_MNEMONIC_PINSRW,
    ZYDIS_MNEMONIC_PMAXSW, ZYDIS_MNEMONIC_PMAXUB, ZYDIS_MNEMONIC_PMINSW, ZYDIS_MNEMONIC_PMINUB,
    ZYDIS_MNEMONIC_PMOVMSKB, ZYDIS_MNEMONIC_PMULHUW, ZYDIS_MNEMONIC_PSADBW,
    ZYDIS_MNEMONIC_PSHUFW, ZYDIS_MNEMONIC_MASKMOVQ, ZYDIS_MNEMONIC_MOVNTQ,
    ZYDIS_MNEMONIC_PADDQ, ZYDIS_MNEMONIC_PSUBQ, ZYDIS_MNEMONIC_PMULUDQ,
};

static int zydis_isa_p2(const ZydisDecodedInstruction *zi)
{
    /* FXSAVE/FXRSTOR came with the Pentium II (Zydis tags them SSE) */
    if (zi->meta.isa_set == ZYDIS_ISA_SET_FXSAVE)
        return 1;
    for (size_t k = 0; k < sizeof sse_mmx / sizeof sse_mmx[0]; k++)
        if (zi->mnemonic == sse_mmx[k])
            return 0;
    switch (zi->meta.isa_ext) {
    case ZYDIS_ISA_EXT_SSE: case ZYDIS_ISA_EXT_SSE2: case ZYDIS_ISA_EXT_SSE3:
    case ZYDIS_ISA_EXT_SSSE3: case ZYDIS_ISA_EXT_SSE4: case ZYDIS_ISA_EXT_SSE4A:
    case ZYDIS_ISA_EXT_AMD3DNOW: case ZYDIS_ISA_EXT_AMD3DNOW_PREFETCH:
        return 0;
    default:
        break;
    }
    switch (zi->meta.isa_set) {
    case ZYDIS_ISA_SET_I86: case ZYDIS_ISA_SET_I186: case ZYDIS_ISA_SET_I286REAL:
    case ZYDIS_ISA_SET_I286PROTECTED: case ZYDIS_ISA_SET_I386: case ZYDIS_ISA_SET_I486REAL:
    case ZYDIS_ISA_SET_I486: case ZYDIS_ISA_SET_PENTIUMREAL: case ZYDIS_ISA_SET_PENTIUMMMX:
    case ZYDIS_ISA_SET_PPRO: case ZYDIS_ISA_SET_CMOV: case ZYDIS_ISA_SET_FCMOV:
    case ZYDIS_ISA_SET_X87: case ZYDIS_ISA_SET_RDPMC: case ZYDIS_ISA_SET_FAT_NOP:
    case ZYDIS_ISA_SET_LAHF: case ZYDIS_ISA_SET_FXSAVE:
    /* F3 90 is PAUSE since the Pentium 4 and REP NOP (a NOP) before it */
    case ZYDIS_ISA_SET_PAUSE:
        return 1;
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------ */
/* Mnemonic comparison                                                  */

/* Canonical condition-code spelling (Zydis uses b/nb/z/nz/be/nbe/l/nl/le/nle). */
static void canon(const char *in, char *out, size_t n)
{
    static const struct { const char *from, *to; } alias[] = {
        {"fstpnce", "fstp"},        {"pause", "nop"},           {"fwait", "wait"},
        {"sal", "shl"},             {"feni8087_nop", "feni"},   {"fdisi8087_nop", "fdisi"},
        {"fsetpm287_nop", "fsetpm"}, {"retf", "ret"},
    };
    static const struct { const char *from, *to; } cc[] = {
        {"ae", "nb"}, {"e", "z"}, {"ne", "nz"}, {"a", "nbe"}, {"ge", "nl"}, {"g", "nle"},
        {"c", "b"}, {"nae", "b"}, {"nc", "nb"},
    };
    char t[32];
    size_t i = 0;
    for (; in[i] && in[i] != ' ' && i + 1 < sizeof t; i++)
        t[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] - 'A' + 'a' : in[i]);
    t[i] = '\0';
    for (size_t a = 0; a < sizeof alias / sizeof alias[0]; a++)
        if (!strcmp(t, alias[a].from)) {
            snprintf(out, n, "%s", alias[a].to);
            return;
        }
    static const char *const stems[] = {"fcmov", "cmov", "set", "j"};
    for (size_t s = 0; s < 4; s++) {
        size_t l = strlen(stems[s]);
        if (strncmp(t, stems[s], l) || !strcmp(t, "jmp") || !strcmp(t, "jcxz") ||
            !strcmp(t, "jecxz"))
            continue;
        for (size_t c = 0; c < sizeof cc / sizeof cc[0]; c++)
            if (!strcmp(t + l, cc[c].from)) {
                snprintf(out, n, "%s%s", stems[s], cc[c].to);
                return;
            }
        break;
    }
    snprintf(out, n, "%s", t);
}

/* ------------------------------------------------------------------ */
/* Accepted differences                                                 */

enum mismatch {
    MM_VALIDITY_ZYDIS_P2, /* Zydis: valid Pentium II instruction; ringzero: not OK */
    MM_VALIDITY_RZ,       /* ringzero: OK; Zydis: invalid */
    MM_BEYOND_P2,         /* Zydis: valid, later ISA; ringzero: OK (expected #UD) */
    MM_LENGTH,            /* both valid, lengths differ */
    MM_MNEMONIC,          /* both valid, mnemonics differ */
    MM_TOO_LONG,          /* Zydis: longer than 15 bytes; ringzero decoded it */
    MM_COUNT
};
static const char *const mismatch_name[MM_COUNT] = {
    "zydis-valid/rz-invalid", "rz-valid/zydis-invalid", "rz-valid/beyond-P2", "length",
    "mnemonic", "too-long"};

struct accepted {
    const char *what;
    enum mismatch kind;
    int (*match)(const struct sample *x);
    unsigned hits;
};

static int is_mmx_opcode(const struct sample *x)
{
    return (dec_form((enum dec_op)x->d.op)->flags & DEC_DF_MMX) != 0;
}

/* 66/F2/F3 + an MMX (or FXSAVE/FXRSTOR) opcode: Zydis decodes the later
 * SSE2/SSE3 form or rejects the prefix.  A Pentium II has no SSE: the SDM
 * (vol. 2, 2.1.1 "Instruction prefixes") calls other uses of 66H/F2H/F3H
 * reserved, and P6 hardware ignores them, so the MMX form executes. */
static int acc_mmx_prefixed(const struct sample *x)
{
    return x->op0 == 0x0F && (x->p66 || x->rep) &&
           (is_mmx_opcode(x) || x->d.op == DEC_FXSAVE_Menv || x->d.op == DEC_FXRSTOR_Menv);
}

/* 0F B9 (UD1) and 0F FF (UD0): Zydis decodes them as instructions; they
 * exist only to raise #UD (SDM vol. 2, "UD"), which is what DEC_INVALID
 * makes the CPU do. */
static int acc_ud01(const struct sample *x)
{
    return x->op0 == 0x0F && (x->op1 == 0xB9 || x->op1 == 0xFF);
}

/* 0F AA (RSM): #UD outside system-management mode (SDM vol. 2, "RSM");
 * ringzero has no SMM, so the decoder reports #UD. */
static int acc_rsm(const struct sample *x)
{
    return x->op0 == 0x0F && x->op1 == 0xAA;
}

/* 0F 18 /0-/3: PREFETCHh since the Pentium III; on the P6 family the whole
 * 0F 18-1F row is the reserved hint-NOP space (SDM vol. 2, "NOP", table
 * A-3 note), so a Pentium II executes a NOP.  Prefetches are
 * architecturally NOPs too, so no guest can tell. */
static int acc_prefetch_hint(const struct sample *x)
{
    return x->op0 == 0x0F && x->op1 == 0x18 && x->d.op != DEC_INVALID_OP &&
           (x->d.op == DEC_NOP_Ew || x->d.op == DEC_NOP_Ed);
}

static struct accepted dec_accepted[] = {
    {"66/F2/F3 + MMX/FXSAVE opcode: SSE2 form in Zydis, MMX on a Pentium II", MM_BEYOND_P2,
     acc_mmx_prefixed, 0},
    {"66/F2/F3 + MMX/FXSAVE opcode: invalid in Zydis, prefix ignored on a Pentium II",
     MM_VALIDITY_RZ, acc_mmx_prefixed, 0},
    {"0F B9 / 0F FF (UD1/UD0): an instruction in Zydis, #UD by definition",
     MM_VALIDITY_ZYDIS_P2, acc_ud01, 0},
    {"0F AA (RSM): #UD outside SMM", MM_VALIDITY_ZYDIS_P2, acc_rsm, 0},
    {"0F 18 /0-3: PREFETCHh (SSE) in Zydis, hint NOP on the P6", MM_BEYOND_P2,
     acc_prefetch_hint, 0},
};
#define N_ACCEPTED (sizeof dec_accepted / sizeof dec_accepted[0])

/* ------------------------------------------------------------------ */

struct stats {
    unsigned long compared, valid, invalid, beyond, too_long, accepted, unexplained;
};

/* Unexplained mismatches, grouped by kind and opcode for the failure
 * message. */
struct unexplained {
    unsigned key, count;
    char example[200];
};
#define MAX_UNEXPLAINED 64
static struct unexplained unexpl[MAX_UNEXPLAINED];
static unsigned n_unexpl;

static void report(const struct sample *x, enum mismatch kind, struct stats *st)
{
    for (size_t a = 0; a < N_ACCEPTED; a++)
        if (dec_accepted[a].kind == kind && dec_accepted[a].match(x)) {
            dec_accepted[a].hits++;
            st->accepted++;
            return;
        }
    st->unexplained++;
    unsigned key = (unsigned)kind << 24 | x->op0 << 16 | (x->op0 == 0x0F ? x->op1 << 8 : 0) |
                   (unsigned)x->mode;
    for (unsigned u = 0; u < n_unexpl; u++)
        if (unexpl[u].key == key) {
            unexpl[u].count++;
            return;
        }
    if (n_unexpl == MAX_UNEXPLAINED)
        return;
    char t[96] = "";
    char hex[40] = "";
    if (x->st == DEC_OK)
        dec_disasm(&x->d, 0, x->mode, t, sizeof t);
    for (unsigned i = 0; i < 15; i++)
        snprintf(hex + 2 * i, 3, "%02x", x->b[i]);
    struct unexplained *u = &unexpl[n_unexpl++];
    u->key = key;
    u->count = 1;
    snprintf(u->example, sizeof u->example,
             "mode%d %s: %s  rz st=%d len=%u [%s]  zydis %s len=%u %s %s/%s",
             x->mode ? 32 : 16, mismatch_name[kind], hex, x->st, x->d.len, t,
             x->zok ? "ok" : "err", x->zok ? x->zi.length : 0,
             x->zok ? ZydisMnemonicGetString(x->zi.mnemonic) : "-",
             x->zok ? ZydisISASetGetString(x->zi.meta.isa_set) : "-",
             x->zok ? ZydisISAExtGetString(x->zi.meta.isa_ext) : "-");
}

static void run_mode(enum dec_mode mode, uint64_t seed, struct stats *st)
{
    ZydisDecoder z;
    assert_int_equal(ZYAN_SUCCESS(ZydisDecoderInit(
                         &z, mode ? ZYDIS_MACHINE_MODE_LEGACY_32 : ZYDIS_MACHINE_MODE_LEGACY_16,
                         mode ? ZYDIS_STACK_WIDTH_32 : ZYDIS_STACK_WIDTH_16)),
                     1);
    /* A Pentium II knows none of these; with them off Zydis decodes the
     * plain encodings (F3 0F BC = BSF, 0F 1E FA = hint NOP, F2 E8 = CALL). */
    ZydisDecoderEnableMode(&z, ZYDIS_DECODER_MODE_CET, ZYAN_FALSE);
    ZydisDecoderEnableMode(&z, ZYDIS_DECODER_MODE_MPX, ZYAN_FALSE);
    ZydisDecoderEnableMode(&z, ZYDIS_DECODER_MODE_LZCNT, ZYAN_FALSE);
    ZydisDecoderEnableMode(&z, ZYDIS_DECODER_MODE_TZCNT, ZYAN_FALSE);
    ZydisDecoderEnableMode(&z, ZYDIS_DECODER_MODE_WBNOINVD, ZYAN_FALSE);
    ZydisDecoderEnableMode(&z, ZYDIS_DECODER_MODE_CLDEMOTE, ZYAN_FALSE);

    uint64_t s = seed;
    /* 16 generated bytes, plus slack for parse_prefixes() peeking at the
     * opcode and ModRM after 15 prefixes */
    uint8_t buf[20] = {0};
    for (unsigned n = 0; n < SAMPLES_PER_MODE; n++) {
        struct sample x;
        memset(&x, 0, sizeof x);
        gen_insn(&s, buf);
        x.b = buf;
        x.mode = mode;
        parse_prefixes(&x);
        x.st = dec_decode(buf, 15, mode, &x.d);
        ZydisDecoderContext ctx;
        ZyanStatus zs = ZydisDecoderDecodeInstruction(&z, &ctx, buf, 15, &x.zi);
        x.zok = ZYAN_SUCCESS(zs);
        st->compared++;
        /* Zydis checks prefix legality before length, so only "Zydis: too
         * long" is binding: ringzero must then not decode an instruction
         * (#UD from an earlier invalid opcode is fine). */
        if (zs == ZYDIS_STATUS_INSTRUCTION_TOO_LONG) {
            if (x.st == DEC_TOO_LONG)
                st->too_long++;
            else if (x.st != DEC_INVALID)
                report(&x, MM_TOO_LONG, st);
            continue;
        }

        int zp2 = x.zok && zydis_isa_p2(&x.zi);
        if (x.zok && !zp2) {
            st->beyond++;
            if (x.st == DEC_OK)
                report(&x, MM_BEYOND_P2, st);
            continue;
        }
        if (!x.zok) {
            st->invalid++;
            if (x.st == DEC_OK)
                report(&x, MM_VALIDITY_RZ, st);
            continue;
        }
        st->valid++;
        if (x.st != DEC_OK) {
            report(&x, MM_VALIDITY_ZYDIS_P2, st);
            continue;
        }
        if (x.d.len != x.zi.length) {
            report(&x, MM_LENGTH, st);
            continue;
        }
        char a[32], b[32];
        canon(dec_form((enum dec_op)x.d.op)->mnemonic, a, sizeof a);
        canon(ZydisMnemonicGetString(x.zi.mnemonic), b, sizeof b);
        if (strcmp(a, b))
            report(&x, MM_MNEMONIC, st);
    }
}

static void test_differential(void **state)
{
    (void)state;
    struct stats st[2];
    memset(st, 0, sizeof st);
    run_mode(DEC_MODE_16, 0x5EED16u, &st[0]);
    run_mode(DEC_MODE_32, 0x5EED32u, &st[1]);
    for (int m = 0; m < 2; m++)
        print_message("mode%d: %lu compared, %lu P2-valid, %lu Zydis-invalid, %lu beyond P2, "
                      "%lu both too long, %lu accepted differences, %lu unexplained\n",
                      m ? 32 : 16, st[m].compared, st[m].valid, st[m].invalid, st[m].beyond,
                      st[m].too_long,
                      st[m].accepted, st[m].unexplained);
    for (size_t a = 0; a < N_ACCEPTED; a++)
        print_message("accepted %6u x  %s\n", dec_accepted[a].hits, dec_accepted[a].what);
    for (unsigned u = 0; u < n_unexpl; u++)
        print_message("UNEXPLAINED %6u x  %s\n", unexpl[u].count, unexpl[u].example);
    /* every row must still be needed, or it hides nothing and should go */
    for (size_t a = 0; a < N_ACCEPTED; a++)
        assert_true(dec_accepted[a].hits > 0);
    assert_true(st[0].valid > SAMPLES_PER_MODE / 4 && st[1].valid > SAMPLES_PER_MODE / 4);
    assert_true(st[0].too_long > 0 && st[1].too_long > 0);
    assert_int_equal(st[0].unexplained + st[1].unexplained, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_differential)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
