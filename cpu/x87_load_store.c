/*
 * x87_load_store.c - x87 data transfer (SDM vol. 1, 8.3.3; vol. 2, FLD,
 * FILD, FBLD, FST/FSTP, FIST/FISTP, FBSTP, FXCH, FCMOVcc, FLD1 ...):
 * loads and stores of every memory format, register moves and the
 * load-constant instructions, with their stack overflow/underflow
 * responses (SDM vol. 1, 8.5.1.1).
 */
#include "cpu/x87_internal.h"

/* ------------------------------------------------------------------ */
/* Memory operands (little-endian, through the CPU's checked accessors) */

uint64_t x87_read64(struct cpu *c, unsigned seg, uint32_t off)
{
    uint64_t lo = cpu_read32(c, seg, off);
    uint64_t hi = cpu_read32(c, seg, off + 4);
    return lo | (hi << 32);
}

f80 x87_read80(struct cpu *c, unsigned seg, uint32_t off)
{
    f80 v;
    v.sig = x87_read64(c, seg, off);
    v.se = cpu_read16(c, seg, off + 8);
    return v;
}

void x87_write64(struct cpu *c, unsigned seg, uint32_t off, uint64_t v)
{
    cpu_write32(c, seg, off, (uint32_t)v);
    cpu_write32(c, seg, off + 4, (uint32_t)(v >> 32));
}

void x87_write80(struct cpu *c, unsigned seg, uint32_t off, f80 v)
{
    x87_write64(c, seg, off, v.sig);
    cpu_write16(c, seg, off + 8, v.se);
}

static void x87_read_bcd(struct cpu *c, unsigned seg, uint32_t off, uint8_t b[10])
{
    f80 raw = x87_read80(c, seg, off);
    for (unsigned k = 0; k < 8; k++)
        b[k] = (uint8_t)(raw.sig >> (8 * k));
    b[8] = (uint8_t)raw.se;
    b[9] = (uint8_t)(raw.se >> 8);
}

static f80 x87_bcd_raw(const uint8_t b[10])
{
    f80 raw = {0, (uint16_t)(b[8] | (b[9] << 8))};
    for (unsigned k = 0; k < 8; k++)
        raw.sig |= (uint64_t)b[k] << (8 * k);
    return raw;
}

/* ------------------------------------------------------------------ */
/* Loads                                                               */

/* Push a loaded value: stack overflow when the register that becomes
 * ST(0) is not empty (masked response: the indefinite is pushed), then
 * the conversion's exceptions (SNaN -> IE, denormal -> DE).  Only an
 * unmasked IE keeps the value out: with DE unmasked the denormal is
 * loaded all the same (as the host x87 does, tests/x87/test_x87_diff.c). */
static void x87_push_value(struct cpu *c, f80 v, const struct f80_env *e)
{
    if (!x87_empty(c, 7)) {
        if (x87_overflow(c)) {
            x87_push(c);
            x87_set_st(c, 0, x87_indefinite());
        }
        return;
    }
    x87_exceptions(c, e, false);
    if ((e->flags & F80_IE) && !(c->fpu.cw & F80_IE))
        return;
    x87_push(c);
    x87_set_st(c, 0, v);
}

static void x87_fld_mem(struct cpu *c, const struct cpu_insn *i)
{
    unsigned seg = i->d.seg;
    uint32_t off = cpu_ea(c, &i->d);
    struct f80_env e;
    x87_env(c, &e);
    f80 v;
    switch (i->d.op) {
    case DEC_FLD_Md:
        v = f80_from_f32(cpu_read32(c, seg, off), &e);
        break;
    case DEC_FLD_Mq:
        v = f80_from_f64(x87_read64(c, seg, off), &e);
        break;
    case DEC_FLD_Mt:
        v = x87_read80(c, seg, off); /* exact: no exception at all */
        break;
    case DEC_FILD_Mw:
        v = f80_from_int((int16_t)cpu_read16(c, seg, off));
        break;
    case DEC_FILD_Md:
        v = f80_from_int((int32_t)cpu_read32(c, seg, off));
        break;
    case DEC_FILD_Mq:
        v = f80_from_int((int64_t)x87_read64(c, seg, off));
        break;
    default: { /* DEC_FBLD_Mt */
        uint8_t b[10];
        x87_read_bcd(c, seg, off, b);
        v = f80_from_bcd(b);
        break;
    }
    }
    x87_push_value(c, v, &e);
}

static void x87_fld_sti(struct cpu *c, unsigned st)
{
    f80 v = x87_st(c, st);
    if (x87_empty(c, st)) {
        if (!x87_underflow(c))
            return;
        v = x87_indefinite();
    } else {
        x87_clear_c1(c);
    }
    if (!x87_empty(c, 7)) {
        if (x87_overflow(c)) {
            x87_push(c);
            x87_set_st(c, 0, x87_indefinite());
        }
        return;
    }
    x87_push(c);
    x87_set_st(c, 0, v);
}

static void x87_fld_const(struct cpu *c, enum f80_const k)
{
    struct f80_env e;
    x87_env(c, &e);
    /* The constants are rounded by RC but raise no exception, not even
     * PE (SDM vol. 2, FLD1/FLDL2T/...: "#IS Stack overflow" only). */
    x87_push_value(c, f80_const(k, (enum f80_rc)e.rc), &e);
}

/* ------------------------------------------------------------------ */
/* Stores                                                              */

static unsigned x87_store_size(unsigned op)
{
    switch (op) {
    case DEC_FIST_Mw:
    case DEC_FISTP_Mw:
        return 2;
    case DEC_FST_Md:
    case DEC_FSTP_Md:
    case DEC_FIST_Md:
    case DEC_FISTP_Md:
        return 4;
    case DEC_FST_Mq:
    case DEC_FSTP_Mq:
    case DEC_FISTP_Mq:
        return 8;
    default:
        return 10; /* FSTP m80, FBSTP */
    }
}

static bool x87_store_pops(unsigned op)
{
    return op == DEC_FSTP_Md || op == DEC_FSTP_Mq || op == DEC_FSTP_Mt || op == DEC_FISTP_Mw ||
           op == DEC_FISTP_Md || op == DEC_FISTP_Mq || op == DEC_FBSTP_Mt;
}

/* The memory image of `v` (or, with `empty`, of the masked stack
 * underflow response: the indefinite of the format). */
static f80 x87_store_image(unsigned op, f80 v, bool empty, struct f80_env *e)
{
    f80 img = {0, 0};
    switch (op) {
    case DEC_FST_Md:
    case DEC_FSTP_Md:
        img.sig = empty ? 0xFFC00000u : f80_to_f32(v, e);
        break;
    case DEC_FST_Mq:
    case DEC_FSTP_Mq:
        img.sig = empty ? 0xFFF8000000000000ull : f80_to_f64(v, e);
        break;
    case DEC_FSTP_Mt:
        img = empty ? x87_indefinite() : v;
        break;
    case DEC_FIST_Mw:
    case DEC_FISTP_Mw:
        img.sig = empty ? 0x8000u : (uint16_t)f80_to_int(v, 16, e);
        break;
    case DEC_FIST_Md:
    case DEC_FISTP_Md:
        img.sig = empty ? 0x80000000u : (uint32_t)f80_to_int(v, 32, e);
        break;
    case DEC_FISTP_Mq:
        img.sig = empty ? 0x8000000000000000ull : (uint64_t)f80_to_int(v, 64, e);
        break;
    default: { /* DEC_FBSTP_Mt: the packed BCD indefinite is FFFF C000 0..0h
                (SDM vol. 1, table 4-3: bytes 9 and 8 FFh, byte 7 C0h) */
        uint8_t b[10] = {0, 0, 0, 0, 0, 0, 0, 0xC0, 0xFF, 0xFF};
        if (!empty)
            f80_to_bcd(v, b, e);
        img = x87_bcd_raw(b);
        break;
    }
    }
    return img;
}

static void x87_write_image(struct cpu *c, unsigned seg, uint32_t off, unsigned size, f80 img)
{
    switch (size) {
    case 2:
        cpu_write16(c, seg, off, (uint16_t)img.sig);
        break;
    case 4:
        cpu_write32(c, seg, off, (uint32_t)img.sig);
        break;
    case 8:
        cpu_check_write(c, seg, off, 8);
        x87_write64(c, seg, off, img.sig);
        break;
    default:
        cpu_check_write(c, seg, off, 10);
        x87_write80(c, seg, off, img);
        break;
    }
}

static void x87_fst_mem(struct cpu *c, const struct cpu_insn *i)
{
    unsigned op = i->d.op;
    unsigned seg = i->d.seg;
    uint32_t off = cpu_ea(c, &i->d);
    unsigned size = x87_store_size(op);
    bool pop = x87_store_pops(op);
    struct f80_env e;
    x87_env(c, &e);
    /* Everything that changes x87 state comes after the memory write, so
     * a fault on the destination leaves the x87 as it was. */
    if (x87_empty(c, 0)) {
        if (c->fpu.cw & X87_SW_IE)
            x87_write_image(c, seg, off, size, x87_store_image(op, x87_indefinite(), true, &e));
        if (x87_underflow(c) && pop)
            x87_pop(c);
        return;
    }
    f80 img = x87_store_image(op, x87_st(c, 0), false, &e);
    if (x87_store_ok(c, &e, true))
        x87_write_image(c, seg, off, size, img);
    if (x87_exceptions(c, &e, true) && pop)
        x87_pop(c);
}

/* FST/FSTP ST(i) and the undocumented FSTP aliases (D9 D8+i, DF D0+i,
 * DF D8+i): a register copy, no exception but stack underflow. */
static void x87_fst_sti(struct cpu *c, unsigned st, bool pop)
{
    f80 v = x87_st(c, 0);
    if (x87_empty(c, 0)) {
        if (!x87_underflow(c))
            return;
        v = x87_indefinite();
    } else {
        x87_clear_c1(c);
    }
    x87_set_st(c, st, v);
    if (pop)
        x87_pop(c);
}

static void x87_fxch(struct cpu *c, unsigned st)
{
    f80 a = x87_st(c, 0), b = x87_st(c, st);
    bool ea = x87_empty(c, 0), eb = x87_empty(c, st);
    if (ea || eb) {
        if (!x87_underflow(c))
            return;
        /* Masked response: an empty register reads as the indefinite. */
        if (ea)
            a = x87_indefinite();
        if (eb)
            b = x87_indefinite();
    } else {
        x87_clear_c1(c);
    }
    x87_set_st(c, 0, b);
    x87_set_st(c, st, a);
}

/* FCMOVcc (P6): EFLAGS condition, SDM vol. 2, FCMOVcc. */
static void x87_fcmov(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t fl = cpu_eflags(c);
    bool cf = fl & CPU_FL_CF, zf = fl & CPU_FL_ZF, pf = fl & CPU_FL_PF;
    bool cond;
    switch (i->d.op) {
    case DEC_FCMOVB_ST0STi: cond = cf; break;
    case DEC_FCMOVE_ST0STi: cond = zf; break;
    case DEC_FCMOVBE_ST0STi: cond = cf || zf; break;
    case DEC_FCMOVU_ST0STi: cond = pf; break;
    case DEC_FCMOVNB_ST0STi: cond = !cf; break;
    case DEC_FCMOVNE_ST0STi: cond = !zf; break;
    case DEC_FCMOVNBE_ST0STi: cond = !cf && !zf; break;
    default: cond = !pf; break; /* FCMOVNU */
    }
    if (x87_empty(c, 0) || x87_empty(c, i->d.rm)) {
        if (x87_underflow(c))
            x87_set_st(c, 0, x87_indefinite());
        return;
    }
    x87_clear_c1(c);
    if (cond)
        x87_set_st(c, 0, x87_st(c, i->d.rm));
}

bool x87_exec_load_store(struct cpu *c, const struct cpu_insn *i)
{
    switch (i->d.op) {
    case DEC_FLD_Md:
    case DEC_FLD_Mq:
    case DEC_FLD_Mt:
    case DEC_FILD_Mw:
    case DEC_FILD_Md:
    case DEC_FILD_Mq:
    case DEC_FBLD_Mt:
        x87_fld_mem(c, i);
        return true;
    case DEC_FST_Md:
    case DEC_FSTP_Md:
    case DEC_FST_Mq:
    case DEC_FSTP_Mq:
    case DEC_FSTP_Mt:
    case DEC_FIST_Mw:
    case DEC_FISTP_Mw:
    case DEC_FIST_Md:
    case DEC_FISTP_Md:
    case DEC_FISTP_Mq:
    case DEC_FBSTP_Mt:
        x87_fst_mem(c, i);
        return true;
    case DEC_FLD_STi:
        x87_fld_sti(c, i->d.rm);
        return true;
    case DEC_FST_STi:
        x87_fst_sti(c, i->d.rm, false);
        return true;
    case DEC_FSTP_STi:
    case DEC_FSTP1_STi:
        x87_fst_sti(c, i->d.rm, true);
        return true;
    case DEC_FXCH_STi:
        x87_fxch(c, i->d.rm);
        return true;
    case DEC_FCMOVB_ST0STi:
    case DEC_FCMOVE_ST0STi:
    case DEC_FCMOVBE_ST0STi:
    case DEC_FCMOVU_ST0STi:
    case DEC_FCMOVNB_ST0STi:
    case DEC_FCMOVNE_ST0STi:
    case DEC_FCMOVNBE_ST0STi:
    case DEC_FCMOVNU_ST0STi:
        x87_fcmov(c, i);
        return true;
    case DEC_FLD1: x87_fld_const(c, F80_ONE); return true;
    case DEC_FLDL2T: x87_fld_const(c, F80_L2T); return true;
    case DEC_FLDL2E: x87_fld_const(c, F80_L2E); return true;
    case DEC_FLDPI: x87_fld_const(c, F80_PI); return true;
    case DEC_FLDLG2: x87_fld_const(c, F80_LG2); return true;
    case DEC_FLDLN2: x87_fld_const(c, F80_LN2); return true;
    case DEC_FLDZ: x87_fld_const(c, F80_ZERO); return true;
    default:
        return false;
    }
}
