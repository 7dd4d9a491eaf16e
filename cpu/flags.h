/*
 * flags.h - lazily evaluated arithmetic flags (OF SF ZF AF PF CF).
 *
 * Nobody reads or writes the arithmetic flags except through this header.
 * An arithmetic instruction stores two words and no opcode:
 *
 *   lf_res  the result, sign-extended from the operand size to 32 bits, so
 *           ZF = (lf_res == 0) and SF = bit 31 (possibly flipped, below);
 *   lf_aux  bit 31     CF
 *           bit 30     CF xor OF (so OF = bit31 xor bit30)
 *           bit 3      AF
 *           bits 8-15  parity delta: PF = even parity of (lf_res ^ delta)
 *                      in the low byte
 *           bit 0      sign delta: SF = bit 31 of lf_res xor this bit
 *
 * For an addition the carry-out vector of each bit position is
 * (a & b) | ((a | b) & ~r); for a subtraction the borrow vector is
 * (~a & b) | ((~a | b) & r).  Bit n-1 of the vector is CF, bit n-1 xor bit
 * n-2 is OF (carry into the sign bit differs from carry out of it) and bit 3
 * is AF.  Shifting the vector left by (32 - n) puts bits n-1 and n-2 at bits
 * 31 and 30, exactly the CF and CF^OF slots.  The deltas let any
 * combination of SF, ZF and PF be stored (POPF, SAHF, IRET).
 */
#ifndef CPU_FLAGS_H
#define CPU_FLAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

/* The two words live in struct cpu; this header needs only them, so it
 * works on a small struct that struct cpu embeds. */
struct cpu_lazy_flags {
    uint32_t res;
    uint32_t aux;
};

#define CPU_LF_CF 0x80000000u
#define CPU_LF_PO 0x40000000u
#define CPU_LF_AF 0x00000008u
#define CPU_LF_PDELTA 0x0000FF00u
#define CPU_LF_SDELTA 0x00000001u
#define CPU_FL_OSZAPC (CPU_FL_OF | CPU_FL_SF | CPU_FL_ZF | CPU_FL_AF | CPU_FL_PF | CPU_FL_CF)

/* Sign-extend the low `bits` bits of v (bits = 8, 16 or 32). */
static inline uint32_t flags_sext(uint32_t v, unsigned bits)
{
    uint32_t m = 1u << (bits - 1);
    v &= (bits == 32) ? 0xFFFFFFFFu : ((m << 1) - 1);
    return (v ^ m) - m;
}

static inline uint32_t flags_vec_aux(uint32_t vec, unsigned bits)
{
    return ((vec << (32 - bits)) & (CPU_LF_CF | CPU_LF_PO)) | (vec & CPU_LF_AF);
}

/* --- setters used by instruction handlers (bits = operand size) --- */

/** ADD/ADC/XADD result r = a + b (+ carry). */
static inline void flags_set_add(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t b,
                                 uint32_t r)
{
    f->res = flags_sext(r, bits);
    f->aux = flags_vec_aux((a & b) | ((a | b) & ~r), bits);
}

/** SUB/SBB/CMP/NEG result r = a - b (- borrow). */
static inline void flags_set_sub(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t b,
                                 uint32_t r)
{
    f->res = flags_sext(r, bits);
    f->aux = flags_vec_aux((~a & b) | ((~a | b) & r), bits);
}

/** AND/OR/XOR/TEST: CF = OF = 0, AF = 0 (undefined; 0 like real CPUs). */
static inline void flags_set_logic(struct cpu_lazy_flags *f, unsigned bits, uint32_t r)
{
    f->res = flags_sext(r, bits);
    f->aux = 0;
}

/** SF, ZF, PF from result r; CF, OF and AF given explicitly (shifts,
 * rotates through SZP-setting forms, multiplies, BCD adjusts). */
static inline void flags_set_result(struct cpu_lazy_flags *f, unsigned bits, uint32_t r, bool cf,
                                    bool of, bool af)
{
    f->res = flags_sext(r, bits);
    f->aux = ((uint32_t)cf << 31) | ((uint32_t)(cf ^ of) << 30) | ((uint32_t)af << 3);
}

static inline bool flags_cf(const struct cpu_lazy_flags *f) { return f->aux >> 31; }
static inline bool flags_of(const struct cpu_lazy_flags *f)
{
    return ((f->aux >> 31) ^ (f->aux >> 30)) & 1u;
}
static inline bool flags_af(const struct cpu_lazy_flags *f) { return (f->aux >> 3) & 1u; }
static inline bool flags_zf(const struct cpu_lazy_flags *f) { return f->res == 0; }
static inline bool flags_sf(const struct cpu_lazy_flags *f)
{
    return ((f->res >> 31) ^ f->aux) & 1u;
}
static inline bool flags_pf(const struct cpu_lazy_flags *f)
{
    uint32_t v = (f->res ^ (f->aux >> 8)) & 0xFFu;
    v ^= v >> 4;
    v ^= v >> 2;
    v ^= v >> 1;
    return !(v & 1u);
}

/** INC/DEC: like ADD/SUB of 1 but CF is preserved.  With b = 1 the
 * carry vector reduces to: t = a ^ r marks the bits that changed; OF =
 * the sign bit was set (INC: r & t) or cleared (DEC: a & t); AF = bit 4
 * of a ^ 1 ^ r, which is bit 4 of t; PO = old CF ^ new OF. */
static inline void flags_set_inc(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t r)
{
    uint32_t cf = f->aux & CPU_LF_CF;
    uint32_t t = a ^ r;
    uint32_t of = ((r & t) << (32 - bits)) & CPU_LF_CF;
    f->res = flags_sext(r, bits);
    f->aux = cf | ((cf ^ of) >> 1) | ((t >> 1) & CPU_LF_AF);
}
static inline void flags_set_dec(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t r)
{
    uint32_t cf = f->aux & CPU_LF_CF;
    uint32_t t = a ^ r;
    uint32_t of = ((a & t) << (32 - bits)) & CPU_LF_CF;
    f->res = flags_sext(r, bits);
    f->aux = cf | ((cf ^ of) >> 1) | ((t >> 1) & CPU_LF_AF);
}

/** Set CF and OF, keeping the others. */
static inline void flags_set_cf_of(struct cpu_lazy_flags *f, bool cf, bool of)
{
    f->aux = (f->aux & ~(CPU_LF_CF | CPU_LF_PO)) | ((uint32_t)cf << 31) |
             ((uint32_t)(cf ^ of) << 30);
}
static inline void flags_set_cf(struct cpu_lazy_flags *f, bool cf)
{
    flags_set_cf_of(f, cf, flags_of(f));
}
static inline void flags_set_of(struct cpu_lazy_flags *f, bool of)
{
    flags_set_cf_of(f, flags_cf(f), of);
}
static inline void flags_set_af(struct cpu_lazy_flags *f, bool af)
{
    f->aux = (f->aux & ~CPU_LF_AF) | ((uint32_t)af << 3);
}

/** Store an arbitrary SF/ZF/PF combination (keeps CF, OF, AF). */
static inline void flags_set_szp(struct cpu_lazy_flags *f, bool sf, bool zf, bool pf)
{
    /* low byte of the result is 0 (even parity), so the delta is !pf */
    uint32_t keep = f->aux & (CPU_LF_CF | CPU_LF_PO | CPU_LF_AF);
    if (zf) {
        f->res = 0;
        f->aux = keep | (uint32_t)sf | ((uint32_t)!pf << 8);
    } else {
        f->res = sf ? 0x80000000u : 0x00000100u;
        f->aux = keep | ((uint32_t)!pf << 8);
    }
}

/** Set SF, ZF, PF from a result as a logic op would, keep CF, OF, AF. */
static inline void flags_set_szp_result(struct cpu_lazy_flags *f, unsigned bits, uint32_t r)
{
    uint32_t keep = f->aux & (CPU_LF_CF | CPU_LF_PO | CPU_LF_AF);
    f->res = flags_sext(r, bits);
    f->aux = keep;
}

/** The six arithmetic flags as EFLAGS bits. */
static inline uint32_t flags_get_oszapc(const struct cpu_lazy_flags *f)
{
    return (flags_cf(f) ? CPU_FL_CF : 0) | (flags_pf(f) ? CPU_FL_PF : 0) |
           (flags_af(f) ? CPU_FL_AF : 0) | (flags_zf(f) ? CPU_FL_ZF : 0) |
           (flags_sf(f) ? CPU_FL_SF : 0) | (flags_of(f) ? CPU_FL_OF : 0);
}

/** Load the six arithmetic flags from EFLAGS bits (only bits in `mask`
 * change; e.g. SAHF passes SF|ZF|AF|PF|CF). */
static inline void flags_put_oszapc(struct cpu_lazy_flags *f, uint32_t eflags, uint32_t mask)
{
    uint32_t v = (flags_get_oszapc(f) & ~mask) | (eflags & mask);
    f->aux = 0;
    flags_set_szp(f, v & CPU_FL_SF, v & CPU_FL_ZF, v & CPU_FL_PF);
    flags_set_af(f, v & CPU_FL_AF);
    flags_set_cf_of(f, v & CPU_FL_CF, v & CPU_FL_OF);
}

/** Condition code 0..15 as in Jcc/SETcc/CMOVcc (SDM vol. 1, B.1). */
static inline bool flags_cond(const struct cpu_lazy_flags *f, unsigned cc)
{
    bool r;
    switch (cc >> 1) {
    case 0: r = flags_of(f); break;                                 /* O */
    case 1: r = flags_cf(f); break;                                 /* B */
    case 2: r = flags_zf(f); break;                                 /* Z */
    case 3: r = flags_cf(f) || flags_zf(f); break;                  /* BE */
    case 4: r = flags_sf(f); break;                                 /* S */
    case 5: r = flags_pf(f); break;                                 /* P */
    case 6: r = flags_sf(f) != flags_of(f); break;                  /* L */
    default: r = flags_zf(f) || (flags_sf(f) != flags_of(f)); break; /* LE */
    }
    return r ^ (cc & 1u);
}

#endif
