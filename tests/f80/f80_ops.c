/*
 * f80_ops.c - the soft side of the f80 tests' operations (portable).
 */
#include <string.h>

#include "tests/f80/f80_ops.h"

const char *const f80t_names[OP_COUNT] = {
    "fadd", "fsub", "fmul", "fdiv", "fsqrt", "frndint", "fscale", "fxtract", "fprem",
    "fprem1", "fcom", "fucom", "fist16", "fist32", "fist64", "fst32", "fst64", "fld32",
    "fld64", "fbstp", "fbld", "fldconst",
};

void f80t_put80(uint8_t *p, f80 v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v.sig >> (8 * i));
    p[8] = (uint8_t)v.se;
    p[9] = (uint8_t)(v.se >> 8);
}

f80 f80t_get80(const uint8_t *p)
{
    f80 v = {0, (uint16_t)(p[8] | p[9] << 8)};
    for (int i = 7; i >= 0; i--)
        v.sig = v.sig << 8 | p[i];
    return v;
}

void f80t_put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t sw_of(const struct f80_env *e) { return (uint16_t)(e->flags | (e->c1 ? 0x200 : 0)); }

static const uint16_t diff_cc[4] = {[F80_LT] = 0x0100, [F80_EQ] = 0x4000, [F80_GT] = 0,
                                    [F80_UN] = 0x4500};

void f80t_soft_run(enum f80t_op op, uint16_t cw, const uint8_t *in, struct f80t_out *o)
{
    struct f80_env e = {(uint8_t)(cw >> 10 & 3), (uint8_t)(cw >> 8 & 3), (uint8_t)(cw & 0x3F), 0,
                        false};
    f80 a = f80t_get80(in), b = f80t_get80(in + 10), r = {0, 0}, r2;
    unsigned q;
    bool inc;
    memset(o, 0, sizeof *o);
    switch (op) {
    case OP_ADD: r = f80_add(a, b, &e); break;
    case OP_SUB: r = f80_sub(a, b, &e); break;
    case OP_MUL: r = f80_mul(a, b, &e); break;
    case OP_DIV: r = f80_div(a, b, &e); break;
    case OP_SQRT: r = f80_sqrt(a, &e); break;
    case OP_RNDINT: r = f80_round_int(a, &e); break;
    case OP_SCALE: r = f80_scale(a, b, &e); break;
    case OP_XTRACT:
        f80_xtract(a, &r2, &r, &e);
        f80t_put80(o->mem + 10, r2);
        break;
    case OP_PREM:
    case OP_PREM1:
        r = f80_prem(a, b, op == OP_PREM1, &q, &inc, &e);
        o->sw = (uint16_t)((q & 4 ? 0x100 : 0) | (q & 2 ? 0x4000 : 0) | (inc ? 0x400 : 0));
        e.c1 = (q & 1) != 0;
        break;
    case OP_COM:
    case OP_UCOM:
        o->sw = diff_cc[f80_compare(a, b, op == OP_UCOM, &e)];
        o->sw |= sw_of(&e);
        return;
    case OP_IST16: f80t_put_le(o->mem, (uint64_t)f80_to_int(a, 16, &e), 2); break;
    case OP_IST32: f80t_put_le(o->mem, (uint64_t)f80_to_int(a, 32, &e), 4); break;
    case OP_IST64: f80t_put_le(o->mem, (uint64_t)f80_to_int(a, 64, &e), 8); break;
    case OP_ST32: f80t_put_le(o->mem, f80_to_f32(a, &e), 4); break;
    case OP_ST64: f80t_put_le(o->mem, f80_to_f64(a, &e), 8); break;
    case OP_LD32: {
        uint32_t v = (uint32_t)(in[0] | in[1] << 8 | in[2] << 16 | (uint32_t)in[3] << 24);
        r = f80_from_f32(v, &e);
        break;
    }
    case OP_LD64: {
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--)
            v = v << 8 | in[i];
        r = f80_from_f64(v, &e);
        break;
    }
    case OP_BSTP: f80_to_bcd(a, o->mem, &e); break;
    case OP_BLD: r = f80_from_bcd(in); break;
    case OP_CONST: r = f80_const((enum f80_const)(in[0] % 7), (enum f80_rc)(cw >> 10 & 3)); break;
    default: break;
    }
    if (op < OP_IST16 || op == OP_LD32 || op == OP_LD64 || op == OP_BLD || op == OP_CONST) {
        /* A register result the x87 leaves alone when an unmasked IE, DE
         * or ZE occurs: compare it only when it is written. */
        if (!(e.flags & ~e.masks & F80_PRE_MASK))
            f80t_put80(o->mem, r);
        else
            memset(o->mem, 0, sizeof o->mem);
    }
    if ((op >= OP_IST16 && op <= OP_ST64) || op == OP_BSTP) {
        /* Memory destination: nothing is stored on an unmasked exception
         * (other than PE). */
        if (e.flags & ~e.masks & ~F80_PE)
            memset(o->mem, 0, sizeof o->mem);
    }
    o->sw |= sw_of(&e);
}
