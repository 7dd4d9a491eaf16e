/*
 * f80_class.c - classification of extended-precision encodings (SDM
 * vol. 1, 8.2.2 and table 8-3).
 */
#include "cpu/fpu/f80.h"

#define F80_INT_BIT 0x8000000000000000ull

bool f80_is_zero(f80 a) { return f80_exp(a) == 0 && a.sig == 0; }

bool f80_is_inf(f80 a) { return f80_exp(a) == F80_EXP_MAX && a.sig == F80_INT_BIT; }

bool f80_is_nan(f80 a)
{
    return f80_exp(a) == F80_EXP_MAX && (a.sig & F80_INT_BIT) && (a.sig << 1) != 0;
}

bool f80_is_snan(f80 a) { return f80_is_nan(a) && !(a.sig & 0x4000000000000000ull); }

bool f80_is_denormal(f80 a) { return f80_exp(a) == 0 && a.sig != 0; }

/* Pseudo-NaN and pseudo-infinity (exponent 7FFFh, bit 63 clear) and
 * unnormals (exponent 1..7FFEh, bit 63 clear): invalid operands on the
 * 387 and later. */
bool f80_is_unsupported(f80 a) { return f80_exp(a) != 0 && !(a.sig & F80_INT_BIT); }
