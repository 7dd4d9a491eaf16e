/*
 * alu_ref.h - brute-force reference for the arithmetic flags, computed
 * from wide (64-bit) arithmetic with no carry-vector tricks, shared by the
 * tests in this folder.
 */
#ifndef TESTS_ALU_ALU_REF_H
#define TESTS_ALU_ALU_REF_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

#define ALL6 (CPU_FL_OF | CPU_FL_SF | CPU_FL_ZF | CPU_FL_AF | CPU_FL_PF | CPU_FL_CF)

static inline uint32_t ref_mask(unsigned bits)
{
    return bits == 32 ? 0xFFFFFFFFu : (1u << bits) - 1;
}

static inline int64_t ref_signed(uint32_t v, unsigned bits)
{
    v &= ref_mask(bits);
    return (v >> (bits - 1)) ? (int64_t)v - ((int64_t)1 << bits) : (int64_t)v;
}

static inline bool ref_parity_even(uint32_t v)
{
    unsigned n = 0;
    for (unsigned k = 0; k < 8; k++)
        n += (v >> k) & 1u;
    return (n & 1u) == 0;
}

/** SF ZF PF of an n-bit result. */
static inline uint32_t ref_szp(uint32_t r, unsigned bits)
{
    r &= ref_mask(bits);
    return ((r >> (bits - 1)) & 1u ? CPU_FL_SF : 0) | (r == 0 ? CPU_FL_ZF : 0) |
           (ref_parity_even(r) ? CPU_FL_PF : 0);
}

static inline uint32_t ref_add(uint32_t a, uint32_t b, unsigned cin, unsigned bits, uint32_t *res)
{
    a &= ref_mask(bits);
    b &= ref_mask(bits);
    uint64_t full = (uint64_t)a + b + cin;
    int64_t sfull = ref_signed(a, bits) + ref_signed(b, bits) + cin;
    uint32_t r = (uint32_t)full & ref_mask(bits);
    uint32_t fl = ref_szp(r, bits);
    if (full >> bits)
        fl |= CPU_FL_CF;
    if (sfull != ref_signed(r, bits))
        fl |= CPU_FL_OF;
    if (((a ^ b ^ r) >> 4) & 1u)
        fl |= CPU_FL_AF;
    *res = r;
    return fl;
}

static inline uint32_t ref_sub(uint32_t a, uint32_t b, unsigned bin, unsigned bits, uint32_t *res)
{
    a &= ref_mask(bits);
    b &= ref_mask(bits);
    int64_t full = (int64_t)a - (int64_t)b - bin;
    int64_t sfull = ref_signed(a, bits) - ref_signed(b, bits) - bin;
    uint32_t r = (uint32_t)((uint64_t)full & ref_mask(bits));
    uint32_t fl = ref_szp(r, bits);
    if (full < 0)
        fl |= CPU_FL_CF;
    if (sfull != ref_signed(r, bits))
        fl |= CPU_FL_OF;
    if (((a ^ b ^ r) >> 4) & 1u)
        fl |= CPU_FL_AF;
    *res = r;
    return fl;
}

enum { S_ROL, S_ROR, S_RCL, S_RCR, S_SHL, S_SHR, S_SAR };

/** Group-2 shift/rotate, bit at a time from the SDM pseudo-code, with the
 * OF choices of cpu/shift.c for counts other than 1 and AF = 0 after
 * shifts. */
static inline uint32_t ref_shift(unsigned k, uint32_t v, unsigned count, unsigned bits, uint32_t fl,
                                 uint32_t *fl_out)
{
    uint32_t m = ref_mask(bits);
    uint32_t msb = 1u << (bits - 1);
    bool cf = fl & CPU_FL_CF, of;
    uint32_t orig = v &= m;
    unsigned n = count & 31, t;
    *fl_out = fl;
    if (n == 0)
        return v;
    switch (k) {
    case S_ROL:
        for (t = n % bits; t; t--)
            v = ((v << 1) | ((v & msb) ? 1 : 0)) & m;
        cf = v & 1;
        of = ((v & msb) != 0) ^ cf;
        break;
    case S_ROR:
        for (t = n % bits; t; t--)
            v = (v >> 1) | ((v & 1) ? msb : 0);
        cf = (v & msb) != 0;
        of = cf ^ ((v & (msb >> 1)) != 0);
        break;
    case S_RCL:
        for (t = bits == 32 ? n : n % (bits + 1); t; t--) {
            bool out = v & msb;
            v = ((v << 1) | cf) & m;
            cf = out;
        }
        of = ((v & msb) != 0) ^ cf;
        break;
    case S_RCR:
        for (t = bits == 32 ? n : n % (bits + 1); t; t--) {
            bool out = v & 1;
            v = (v >> 1) | (cf ? msb : 0);
            cf = out;
        }
        of = ((v & msb) != 0) ^ ((v & (msb >> 1)) != 0);
        break;
    case S_SHL:
        for (t = n; t; t--) {
            cf = v & msb;
            v = (v << 1) & m;
        }
        of = ((v & msb) != 0) ^ cf;
        break;
    case S_SHR:
        for (t = n; t; t--) {
            cf = v & 1;
            v >>= 1;
        }
        /* the SDM's count-1 value; 0 for larger counts, as the captured
         * 286 vectors and Bochs show */
        of = n == 1 ? (orig & msb) != 0 : false;
        break;
    default:
        for (t = n; t; t--) {
            cf = v & 1;
            v = (v >> 1) | (v & msb);
        }
        of = false;
        break;
    }
    if (k <= S_RCR)
        *fl_out = (fl & ~(CPU_FL_CF | CPU_FL_OF));
    else
        *fl_out = ref_szp(v, bits);
    *fl_out |= (cf ? CPU_FL_CF : 0) | (of ? CPU_FL_OF : 0);
    return v;
}

#endif
