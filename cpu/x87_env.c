/*
 * x87_env.c - x87 control instructions and state images (SDM vol. 1,
 * 8.1.10 and 8.3.12; vol. 2, FINIT, FCLEX, FSTSW, FSTCW, FLDCW, FSTENV,
 * FLDENV, FSAVE, FRSTOR, FXSAVE, FXRSTOR), and the stack-control
 * instructions FINCSTP, FDECSTP, FFREE, FFREEP, FNOP.
 *
 * Environment images (SDM vol. 1, figures 8-9 to 8-12), 14 bytes with a
 * 16-bit operand size, 28 with a 32-bit one:
 *  - protected mode: CW, SW, TW, FIP offset, FCS (and FOP in bits 26-16
 *    of that dword in the 32-bit format), FDP offset, FDS;
 *  - real and virtual-8086 mode: 20-bit (16-bit format) or 32-bit
 *    linear pointers split into bits 15-0 and the high bits, which share
 *    a field with FOP (bits 10-0).
 * The 32-bit formats' unused upper halves of the CW, SW, TW and FDS
 * dwords (and of the real-mode low-pointer dwords) are stored as FFFFh,
 * as Intel processors (and Bochs) do.
 */
#include "cpu/x87_internal.h"

/* CW bits 15-13, 7 and 6 are reserved; bit 6 reads as 1 on the 387 and
 * later (the reset value 0040h), bit 12 (IC) is kept though it does
 * nothing. */
#define X87_CW_RESERVED 0xE0C0u

static void x87_put16(uint8_t *b, unsigned at, uint32_t v)
{
    b[at] = (uint8_t)v;
    b[at + 1] = (uint8_t)(v >> 8);
}
static void x87_put32(uint8_t *b, unsigned at, uint32_t v)
{
    x87_put16(b, at, v);
    x87_put16(b, at + 2, v >> 16);
}
static uint32_t x87_get16(const uint8_t *b, unsigned at) { return b[at] | ((uint32_t)b[at + 1] << 8); }
static uint32_t x87_get32(const uint8_t *b, unsigned at)
{
    return x87_get16(b, at) | (x87_get16(b, at + 2) << 16);
}
static void x87_put80(uint8_t *b, unsigned at, f80 v)
{
    x87_put32(b, at, (uint32_t)v.sig);
    x87_put32(b, at + 4, (uint32_t)(v.sig >> 32));
    x87_put16(b, at + 8, v.se);
}
static f80 x87_get80(const uint8_t *b, unsigned at)
{
    f80 v;
    v.sig = x87_get32(b, at) | ((uint64_t)x87_get32(b, at + 4) << 32);
    v.se = (uint16_t)x87_get16(b, at + 8);
    return v;
}

/* Guest memory in 16-bit units (every image has an even size); the
 * caller checked a write area with cpu_check_write first. */
static void x87_mem_write(struct cpu *c, unsigned seg, uint32_t off, const uint8_t *b, unsigned n)
{
    for (unsigned k = 0; k < n; k += 2)
        cpu_write16(c, seg, off + k, (uint16_t)x87_get16(b, k));
}
static void x87_mem_read(struct cpu *c, unsigned seg, uint32_t off, uint8_t *b, unsigned n)
{
    for (unsigned k = 0; k < n; k += 2)
        x87_put16(b, k, cpu_read16(c, seg, off + k));
}

/* The tag word as FSTENV/FSAVE store it: empty stays empty, the other
 * tags come from the register contents (so registers MMX wrote show as
 * special, SDM vol. 3, table 12-3). */
static uint16_t x87_tag_word(const struct cpu *c)
{
    uint16_t tw = 0;
    for (unsigned p = 0; p < 8; p++) {
        unsigned t = x87_tag_phys(c, p) == X87_TAG_EMPTY ? X87_TAG_EMPTY : x87_tag_of(c->fpu.r[p]);
        tw = (uint16_t)(tw | (t << (2 * p)));
    }
    return tw;
}

/* FLDENV/FRSTOR: a loaded tag says only empty or not; the rest is
 * recomputed from the registers (SDM vol. 2, FLDENV). */
static void x87_load_tags(struct cpu *c, uint16_t tw)
{
    uint16_t t = 0;
    for (unsigned p = 0; p < 8; p++) {
        unsigned v = ((tw >> (2 * p)) & 3u) == X87_TAG_EMPTY ? X87_TAG_EMPTY : x87_tag_of(c->fpu.r[p]);
        t = (uint16_t)(t | (v << (2 * p)));
    }
    c->fpu.tw = t;
}

static bool x87_pm_format(const struct cpu *c) { return cpu_protected(c) && !cpu_v86(c); }

/* Build the environment image; returns its size. */
static unsigned x87_env_image(const struct cpu *c, bool o32, uint8_t *b)
{
    const struct cpu_x87 *f = &c->fpu;
    uint16_t tw = x87_tag_word(c);
    if (x87_pm_format(c)) {
        if (!o32) {
            x87_put16(b, 0, f->cw);
            x87_put16(b, 2, f->sw);
            x87_put16(b, 4, tw);
            x87_put16(b, 6, f->fip);
            x87_put16(b, 8, f->fcs);
            x87_put16(b, 10, f->fdp);
            x87_put16(b, 12, f->fds);
            return 14;
        }
        x87_put32(b, 0, 0xFFFF0000u | f->cw);
        x87_put32(b, 4, 0xFFFF0000u | f->sw);
        x87_put32(b, 8, 0xFFFF0000u | tw);
        x87_put32(b, 12, f->fip);
        x87_put32(b, 16, f->fcs | ((uint32_t)(f->fop & 0x7FFu) << 16));
        x87_put32(b, 20, f->fdp);
        x87_put32(b, 24, 0xFFFF0000u | f->fds);
        return 28;
    }
    uint32_t ip = ((uint32_t)f->fcs << 4) + f->fip;
    uint32_t dp = ((uint32_t)f->fds << 4) + f->fdp;
    uint32_t fop = f->fop & 0x7FFu;
    if (!o32) {
        x87_put16(b, 0, f->cw);
        x87_put16(b, 2, f->sw);
        x87_put16(b, 4, tw);
        x87_put16(b, 6, ip);
        x87_put16(b, 8, ((ip >> 4) & 0xF000u) | fop);
        x87_put16(b, 10, dp);
        x87_put16(b, 12, (dp >> 4) & 0xF000u);
        return 14;
    }
    x87_put32(b, 0, 0xFFFF0000u | f->cw);
    x87_put32(b, 4, 0xFFFF0000u | f->sw);
    x87_put32(b, 8, 0xFFFF0000u | tw);
    x87_put32(b, 12, 0xFFFF0000u | (ip & 0xFFFFu));
    x87_put32(b, 16, ((ip >> 4) & 0x0FFFF000u) | fop);
    x87_put32(b, 20, 0xFFFF0000u | (dp & 0xFFFFu));
    x87_put32(b, 24, (dp >> 4) & 0x0FFFF000u);
    return 28;
}

static unsigned x87_env_size(const struct cpu_insn *i) { return (i->d.flags & DEC_F_O32) ? 28 : 14; }

/* Load CW, SW and the pointers from an image; returns the tag word (the
 * caller applies it once the registers are in place). */
static uint16_t x87_env_load(struct cpu *c, bool o32, const uint8_t *b)
{
    struct cpu_x87 *f = &c->fpu;
    uint16_t tw;
    f->cw = (uint16_t)((x87_get16(b, 0) & ~X87_CW_RESERVED) | 0x0040u);
    if (o32) {
        f->sw = (uint16_t)x87_get16(b, 4);
        tw = (uint16_t)x87_get16(b, 8);
    } else {
        f->sw = (uint16_t)x87_get16(b, 2);
        tw = (uint16_t)x87_get16(b, 4);
    }
    if (x87_pm_format(c)) {
        if (o32) {
            f->fip = x87_get32(b, 12);
            f->fcs = (uint16_t)x87_get16(b, 16);
            f->fop = (uint16_t)(x87_get16(b, 18) & 0x7FFu);
            f->fdp = x87_get32(b, 20);
            f->fds = (uint16_t)x87_get16(b, 24);
        } else {
            /* The 16-bit protected-mode image has no FOP: it reads 0. */
            f->fip = x87_get16(b, 6);
            f->fcs = (uint16_t)x87_get16(b, 8);
            f->fdp = x87_get16(b, 10);
            f->fds = (uint16_t)x87_get16(b, 12);
            f->fop = 0;
        }
    } else if (o32) {
        uint32_t w = x87_get32(b, 16);
        f->fip = (x87_get16(b, 12)) | ((w & 0x0FFFF000u) << 4);
        f->fop = (uint16_t)(w & 0x7FFu);
        f->fdp = (x87_get16(b, 20)) | ((x87_get32(b, 24) & 0x0FFFF000u) << 4);
        f->fcs = 0;
        f->fds = 0;
    } else {
        uint32_t w = x87_get16(b, 8);
        f->fip = x87_get16(b, 6) | ((w & 0xF000u) << 4);
        f->fop = (uint16_t)(w & 0x7FFu);
        f->fdp = x87_get16(b, 10) | ((x87_get16(b, 12) & 0xF000u) << 4);
        f->fcs = 0;
        f->fds = 0;
    }
    return tw;
}

/* ------------------------------------------------------------------ */
/* FSTENV FLDENV FSAVE FRSTOR                                          */

static void x87_fnstenv(struct cpu *c, const struct cpu_insn *i)
{
    uint8_t b[28];
    unsigned n = x87_env_image(c, i->d.flags & DEC_F_O32, b);
    uint32_t off = cpu_ea(c, &i->d);
    cpu_check_write(c, i->d.seg, off, n);
    x87_mem_write(c, i->d.seg, off, b, n);
    /* FSTENV then masks every exception (SDM vol. 2, FSTENV), so nothing
     * is pending any more: ES and B clear (as in Bochs). */
    c->fpu.cw |= X87_EXC_MASK;
    x87_update_es(c);
}

static void x87_fldenv(struct cpu *c, const struct cpu_insn *i)
{
    uint8_t b[28];
    unsigned n = x87_env_size(i);
    x87_mem_read(c, i->d.seg, cpu_ea(c, &i->d), b, n);
    x87_load_tags(c, x87_env_load(c, n == 28, b));
    x87_update_es(c);
}

static void x87_fnsave(struct cpu *c, const struct cpu_insn *i)
{
    uint8_t b[28 + 80];
    unsigned n = x87_env_image(c, i->d.flags & DEC_F_O32, b);
    for (unsigned k = 0; k < 8; k++)
        x87_put80(b, n + 10 * k, x87_st(c, k));
    uint32_t off = cpu_ea(c, &i->d);
    cpu_check_write(c, i->d.seg, off, n + 80);
    x87_mem_write(c, i->d.seg, off, b, n + 80);
    x87_init(c);
}

static void x87_frstor(struct cpu *c, const struct cpu_insn *i)
{
    uint8_t b[28 + 80];
    unsigned n = x87_env_size(i);
    x87_mem_read(c, i->d.seg, cpu_ea(c, &i->d), b, n + 80);
    uint16_t tw = x87_env_load(c, n == 28, b);
    /* The registers are in stack order, relative to the new TOP. */
    for (unsigned k = 0; k < 8; k++)
        c->fpu.r[x87_phys(c, k)] = x87_get80(b, n + 10 * k);
    x87_load_tags(c, tw);
    x87_update_es(c);
}

/* ------------------------------------------------------------------ */
/* FXSAVE FXRSTOR (SDM vol. 2, FXSAVE, table 3-53)                     */

/* The 512-byte area must be 16-byte aligned (#GP(0) otherwise).  The
 * Pentium II has no SSE state: only bytes 0-23 (the x87 environment) and
 * 32-159 (ST(0)-ST(7), 16 bytes each, bytes 10-15 zero) are written;
 * MXCSR and the XMM area are left alone. */
#define X87_FX_REGS 32u
#define X87_FX_USED 160u

static uint32_t x87_fx_area(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t off = cpu_ea(c, &i->d);
    if ((c->seg[i->d.seg].base + off) & 15u)
        cpu_exception(c, CPU_EXC_GP, 0);
    return off;
}

static void x87_fxsave(struct cpu *c, const struct cpu_insn *i)
{
    const struct cpu_x87 *f = &c->fpu;
    uint32_t off = x87_fx_area(c, i);
    uint8_t b[X87_FX_USED] = {0};
    uint8_t ftw = 0; /* abridged tag: bit p set = R[p] not empty */
    for (unsigned p = 0; p < 8; p++)
        if (x87_tag_phys(c, p) != X87_TAG_EMPTY)
            ftw = (uint8_t)(ftw | (1u << p));
    x87_put16(b, 0, f->cw);
    x87_put16(b, 2, f->sw);
    x87_put16(b, 4, ftw);
    x87_put16(b, 6, f->fop & 0x7FFu);
    x87_put32(b, 8, f->fip);
    x87_put16(b, 12, f->fcs);
    x87_put32(b, 16, f->fdp);
    x87_put16(b, 20, f->fds);
    for (unsigned k = 0; k < 8; k++)
        x87_put80(b, X87_FX_REGS + 16 * k, x87_st(c, k));
    cpu_check_write(c, i->d.seg, off, 512);
    x87_mem_write(c, i->d.seg, off, b, 24);
    x87_mem_write(c, i->d.seg, off + X87_FX_REGS, b + X87_FX_REGS, X87_FX_USED - X87_FX_REGS);
}

static void x87_fxrstor(struct cpu *c, const struct cpu_insn *i)
{
    struct cpu_x87 *f = &c->fpu;
    uint32_t off = x87_fx_area(c, i);
    uint8_t b[X87_FX_USED];
    x87_mem_read(c, i->d.seg, off, b, 24);
    x87_mem_read(c, i->d.seg, off + X87_FX_REGS, b + X87_FX_REGS, X87_FX_USED - X87_FX_REGS);
    f->cw = (uint16_t)((x87_get16(b, 0) & ~X87_CW_RESERVED) | 0x0040u);
    f->sw = (uint16_t)x87_get16(b, 2);
    f->fop = (uint16_t)(x87_get16(b, 6) & 0x7FFu);
    f->fip = x87_get32(b, 8);
    f->fcs = (uint16_t)x87_get16(b, 12);
    f->fdp = x87_get32(b, 16);
    f->fds = (uint16_t)x87_get16(b, 20);
    for (unsigned k = 0; k < 8; k++)
        f->r[x87_phys(c, k)] = x87_get80(b, X87_FX_REGS + 16 * k);
    uint16_t tw = 0;
    for (unsigned p = 0; p < 8; p++)
        if (!(b[4] & (1u << p)))
            tw = (uint16_t)(tw | (X87_TAG_EMPTY << (2 * p)));
    x87_load_tags(c, tw);
    x87_update_es(c);
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */

bool x87_exec_control(struct cpu *c, const struct cpu_insn *i)
{
    struct cpu_x87 *f = &c->fpu;
    switch (i->d.op) {
    case DEC_FNINIT:
        x87_init(c);
        return true;
    case DEC_FNCLEX:
        /* Exception flags, SF, ES and B (SDM vol. 2, FCLEX). */
        f->sw &= (uint16_t)~(X87_EXC_MASK | X87_SW_SF | X87_SW_ES | X87_SW_B);
        x87_update_es(c);
        return true;
    case DEC_FNSTSW_AX:
        cpu_set_r16(c, CPU_EAX, f->sw);
        return true;
    case DEC_FNSTSW_Mw:
        cpu_write16(c, i->d.seg, cpu_ea(c, &i->d), f->sw);
        return true;
    case DEC_FNSTCW_Mw:
        cpu_write16(c, i->d.seg, cpu_ea(c, &i->d), f->cw);
        return true;
    case DEC_FLDCW_Mw: {
        uint16_t cw = cpu_read16(c, i->d.seg, cpu_ea(c, &i->d));
        f->cw = (uint16_t)((cw & ~X87_CW_RESERVED) | 0x0040u);
        /* Unmasking a raised flag makes it pending (SDM vol. 2, FLDCW). */
        x87_update_es(c);
        return true;
    }
    case DEC_FNSTENV_Menv: x87_fnstenv(c, i); return true;
    case DEC_FLDENV_Menv: x87_fldenv(c, i); return true;
    case DEC_FNSAVE_Menv: x87_fnsave(c, i); return true;
    case DEC_FRSTOR_Menv: x87_frstor(c, i); return true;
    case DEC_FXSAVE_Menv: x87_fxsave(c, i); return true;
    case DEC_FXRSTOR_Menv: x87_fxrstor(c, i); return true;
    case DEC_FINCSTP:
        x87_set_top(c, x87_top(c) + 1);
        x87_clear_c1(c);
        return true;
    case DEC_FDECSTP:
        x87_set_top(c, x87_top(c) - 1);
        x87_clear_c1(c);
        return true;
    case DEC_FFREE_STi:
        x87_free_phys(c, x87_phys(c, i->d.rm));
        return true;
    case DEC_FFREEP_STi:
        /* Undocumented DF C0+i: FFREE ST(i), then pop. */
        x87_free_phys(c, x87_phys(c, i->d.rm));
        x87_pop(c);
        return true;
    case DEC_FNOP:
    case DEC_FENI:
    case DEC_FDISI:
    case DEC_FSETPM:
        return true;
    default:
        return false;
    }
}
