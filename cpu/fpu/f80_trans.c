/*
 * f80_trans.c - operand screening shared by the x87 transcendentals:
 * unsupported encodings, NaN propagation and denormal operands (SDM
 * vol. 1, 4.8.3.5 and table 4-7, 8.2.2, 8.5.1, 8.5.2).
 */
#include "cpu/fpu/f80_trans_internal.h"

#define F80_QUIET_BIT 0x4000000000000000ull

f80 f80_trans_invalid(struct f80_env *e)
{
    e->flags |= F80_IE;
    return f80_indefinite();
}

f80 f80_trans_inexact(f80 r, struct f80_env *e)
{
    e->flags |= F80_PE;
    if (f80_exp(r) == 0 && r.sig != 0) {
        if (!(e->masks & F80_UE)) {
            /* Unmasked UE: the exponent-wrapped result of the rounding
             * core (r is exact, so it rounds to itself). */
            bool c1 = e->c1;
            r = f80_round_pack(f80_sign(r), 1, r.sig, 0, true, e);
            e->c1 = c1;
        }
        e->flags |= F80_UE;
    }
    return r;
}

bool f80_trans_stop(const struct f80_env *e)
{
    return (e->flags & ~e->masks & F80_PRE_MASK) != 0;
}

enum f80_tclass f80_trans_class0(f80 a)
{
    if (f80_is_inf(a)) {
        return F80_T_INF;
    }
    return f80_is_zero(a) ? F80_T_ZERO : F80_T_FINITE;
}

enum f80_tclass f80_trans_class1(f80 a, f80 *res, struct f80_env *e)
{
    if (f80_is_unsupported(a)) {
        *res = f80_trans_invalid(e);
        return F80_T_NAN;
    }
    if (f80_is_nan(a)) {
        if (f80_is_snan(a)) {
            e->flags |= F80_IE;
        }
        *res = (f80){a.sig | F80_QUIET_BIT, a.se};
        return F80_T_NAN;
    }
    if (f80_is_inf(a)) {
        return F80_T_INF;
    }
    if (f80_is_zero(a)) {
        return F80_T_ZERO;
    }
    if (f80_is_denormal(a)) {
        e->flags |= F80_DE;
    }
    return F80_T_FINITE;
}

bool f80_trans_nan2(f80 a, f80 b, f80 *res, enum f80_tclass *ca, enum f80_tclass *cb,
                    struct f80_env *e)
{
    bool na, nb;
    if (f80_is_unsupported(a) || f80_is_unsupported(b)) {
        *res = f80_trans_invalid(e);
        return true;
    }
    na = f80_is_nan(a);
    nb = f80_is_nan(b);
    if (na || nb) {
        f80 qa = {a.sig | F80_QUIET_BIT, a.se}, qb = {b.sig | F80_QUIET_BIT, b.se};
        bool sa = na && f80_is_snan(a), sb = nb && f80_is_snan(b);
        if (sa || sb) {
            e->flags |= F80_IE;
        }
        if (na && nb && sa != sb) {
            /* An SNaN and a QNaN: the QNaN (table 4-7; a real P6 and
             * its successors agree). */
            *res = sa ? qb : qa;
        } else if (na && nb) {
            /* Two of a kind: the larger significand, on a tie the
             * positive one. */
            if (qa.sig != qb.sig) {
                *res = qa.sig > qb.sig ? qa : qb;
            } else {
                *res = f80_sign(qa) ? qb : qa;
            }
        } else {
            *res = na ? qa : qb;
        }
        return true;
    }
    *ca = f80_trans_class0(a);
    *cb = f80_trans_class0(b);
    return false;
}

void f80_trans_de2(f80 a, f80 b, struct f80_env *e)
{
    if (f80_is_denormal(a) || f80_is_denormal(b)) {
        e->flags |= F80_DE;
    }
}
