/*
 * shift.c - ROL ROR RCL RCR SHL SHR SAR (group 2) and SHLD SHRD.
 *
 * SDM vol. 2, "RCL/RCR/ROL/ROR", "SAL/SAR/SHL/SHR", "SHLD", "SHRD":
 *  - the count is masked to 5 bits; a masked count of 0 changes nothing,
 *    not even the flags, and nothing is written; a memory operand is
 *    still fetched as a read-for-write (so a read-only page faults), as
 *    Bochs does: the operand fetch does not depend on the count;
 *  - ROL/ROR on 8/16-bit operands rotate by count mod 8/16, but with a
 *    non-zero masked count CF and OF are still updated (from the
 *    unchanged value when the rotation is a multiple of the size);
 *  - RCL/RCR rotate through CF by (count & 31) mod 9 / mod 17 on 8/16-bit
 *    operands; with a non-zero masked count OF is still computed;
 *  - rotates change only CF and OF.
 * OF is defined only for a count of 1; for other counts we use formulas
 * of the result that equal the documented count-1 definition:
 *   ROL, RCL, SHL, SHLD: OF = MSB(result) xor CF
 *   ROR, RCR, SHR, SHRD: OF = MSB(result) xor MSB-1(result)
 *   SAR:                 OF = 0
 * For SHR this gives 0 for every count above 1, which is what the
 * hardware-captured 286 vectors (shared/conformance, C0 /5) and Bochs
 * show.  Recent Intel cores
 * differ: they compute OF with the count-1 formula from the original
 * operand whatever the count, so OF for counts above 1 is not comparable
 * with a modern host.  AF is undefined after a shift with a non-zero
 * count: we clear it (SHL SHR SAR SHLD SHRD), as Intel hardware does.
 *
 * SHLD/SHRD with a 16-bit operand and a count above 16 have an undefined
 * result; we model the P6, which shifts through the 48-bit concatenation
 * dest:src:dest, so bits of dest re-enter after all of src has been
 * shifted in.  CF is the last bit shifted out of that 48-bit value.  A
 * 32-bit probe on an Intel host gives the same results and CF for every
 * count.
 */
#include "cpu/alu_internal.h"

typedef uint32_t shift_fn(struct cpu_lazy_flags *f, unsigned bits, uint32_t v, unsigned cnt);

static inline bool shift_msb(uint32_t v, unsigned bits) { return (v >> (bits - 1)) & 1u; }

/* Rotates: only CF and OF change. cnt is the masked count, 1..31. */

static inline uint32_t shift_rol(struct cpu_lazy_flags *f, unsigned bits, uint32_t v, unsigned cnt)
{
    unsigned n = cnt & (bits - 1);
    uint32_t m = alu_mask(bits / 8);
    uint32_t r = n ? (((v << n) | (v >> (bits - n))) & m) : v;
    bool cf = r & 1u;
    flags_set_cf_of(f, cf, shift_msb(r, bits) ^ cf);
    return r;
}

static inline uint32_t shift_ror(struct cpu_lazy_flags *f, unsigned bits, uint32_t v, unsigned cnt)
{
    unsigned n = cnt & (bits - 1);
    uint32_t m = alu_mask(bits / 8);
    uint32_t r = n ? (((v >> n) | (v << (bits - n))) & m) : v;
    bool msb = shift_msb(r, bits);
    flags_set_cf_of(f, msb, msb ^ shift_msb(r, bits - 1));
    return r;
}

/* RCL/RCR: the (bits + 1)-bit value CF:v rotated in 64-bit arithmetic. */
static inline uint32_t shift_rcl(struct cpu_lazy_flags *f, unsigned bits, uint32_t v, unsigned cnt)
{
    unsigned n = bits == 32 ? cnt : cnt % (bits + 1);
    uint64_t m = ((uint64_t)1 << (bits + 1)) - 1;
    uint64_t x = ((uint64_t)flags_cf(f) << bits) | v;
    if (n)
        x = ((x << n) | (x >> (bits + 1 - n))) & m;
    uint32_t r = (uint32_t)x & alu_mask(bits / 8);
    bool cf = (x >> bits) & 1u;
    flags_set_cf_of(f, cf, shift_msb(r, bits) ^ cf);
    return r;
}

static inline uint32_t shift_rcr(struct cpu_lazy_flags *f, unsigned bits, uint32_t v, unsigned cnt)
{
    unsigned n = bits == 32 ? cnt : cnt % (bits + 1);
    uint64_t m = ((uint64_t)1 << (bits + 1)) - 1;
    uint64_t x = ((uint64_t)flags_cf(f) << bits) | v;
    if (n)
        x = ((x >> n) | (x << (bits + 1 - n))) & m;
    uint32_t r = (uint32_t)x & alu_mask(bits / 8);
    bool cf = (x >> bits) & 1u;
    flags_set_cf_of(f, cf, shift_msb(r, bits) ^ shift_msb(r, bits - 1));
    return r;
}

/* Shifts: all six flags (AF = 0).  Counts above the operand size shift
 * everything out (CF = 0, or the sign for SAR). */
static inline uint32_t shift_shl(struct cpu_lazy_flags *f, unsigned bits, uint32_t v, unsigned cnt)
{
    uint64_t x = (uint64_t)v << cnt;
    uint32_t r = (uint32_t)x & alu_mask(bits / 8);
    bool cf = (x >> bits) & 1u;
    flags_set_result(f, bits, r, cf, shift_msb(r, bits) ^ cf, false);
    return r;
}

static inline uint32_t shift_shr(struct cpu_lazy_flags *f, unsigned bits, uint32_t v, unsigned cnt)
{
    uint32_t r = v >> cnt;
    bool cf = (v >> (cnt - 1)) & 1u;
    /* MSB(result) xor MSB-1(result): MSB(v) for a count of 1, else 0 */
    bool of = ((r >> (bits - 1)) ^ (r >> (bits - 2))) & 1u;
    flags_set_result(f, bits, r, cf, of, false);
    return r;
}

static inline uint32_t shift_sar(struct cpu_lazy_flags *f, unsigned bits, uint32_t v, unsigned cnt)
{
    uint32_t s = flags_sext(v, bits);
    uint32_t r = alu_sar32(s, cnt) & alu_mask(bits / 8);
    bool cf = alu_sar32(s, cnt - 1) & 1u;
    flags_set_result(f, bits, r, cf, false, false);
    return r;
}

/** Apply a group-2 operation to the r/m operand.  A memory operand is
 * checked for writing (and read) even when the count is 0. */
static inline void shift_e(struct cpu *c, const struct dec_insn *d, unsigned size, unsigned count,
                           shift_fn *op)
{
    count &= 31;
    if (d->flags & DEC_F_MEM) {
        uint32_t v = cpu_rmw_read(c, d->seg, cpu_ea(c, d), size);
        if (count)
            cpu_rmw_write(c, op(&c->lf, size * 8, v, count));
    } else if (count) {
        alu_set_reg(c, d->rm, size, op(&c->lf, size * 8, alu_get_reg(c, d->rm, size), count));
    }
}

/* Defines the nine forms (Eb/Ew/Ed x Ib/1/CL) of one group-2 operation. */
#define SHIFT_DEFINE_FORMS(NAME, OP)                                                               \
    void cpu_h_##NAME##_EbIb(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        shift_e(c, &i->d, 1, i->d.imm, OP);                                                        \
    }                                                                                              \
    void cpu_h_##NAME##_EwIb(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        shift_e(c, &i->d, 2, i->d.imm, OP);                                                        \
    }                                                                                              \
    void cpu_h_##NAME##_EdIb(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        shift_e(c, &i->d, 4, i->d.imm, OP);                                                        \
    }                                                                                              \
    void cpu_h_##NAME##_EbI1(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        shift_e(c, &i->d, 1, 1, OP);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_EwI1(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        shift_e(c, &i->d, 2, 1, OP);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_EdI1(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        shift_e(c, &i->d, 4, 1, OP);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_EbCL(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        shift_e(c, &i->d, 1, cpu_get_r8(c, 1), OP);                                                \
    }                                                                                              \
    void cpu_h_##NAME##_EwCL(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        shift_e(c, &i->d, 2, cpu_get_r8(c, 1), OP);                                                \
    }                                                                                              \
    void cpu_h_##NAME##_EdCL(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        shift_e(c, &i->d, 4, cpu_get_r8(c, 1), OP);                                                \
    }

SHIFT_DEFINE_FORMS(ROL, shift_rol)
SHIFT_DEFINE_FORMS(ROR, shift_ror)
SHIFT_DEFINE_FORMS(RCL, shift_rcl)
SHIFT_DEFINE_FORMS(RCR, shift_rcr)
SHIFT_DEFINE_FORMS(SHL, shift_shl)
SHIFT_DEFINE_FORMS(SHR, shift_shr)
SHIFT_DEFINE_FORMS(SAR, shift_sar)

/* Register-form 32-bit variants with an immediate count, chosen at
 * decode time (shift_specialize). */
#define SHIFT_DEFINE_REG32(NAME, OP)                                                               \
    static void shift_##NAME##_EdI1_r(struct cpu *c, const struct cpu_insn *i)                     \
    {                                                                                              \
        c->gpr[i->d.rm] = OP(&c->lf, 32, c->gpr[i->d.rm], 1);                                      \
    }                                                                                              \
    static void shift_##NAME##_EdIb_r(struct cpu *c, const struct cpu_insn *i)                     \
    {                                                                                              \
        unsigned count = i->d.imm & 31;                                                            \
        if (count)                                                                                 \
            c->gpr[i->d.rm] = OP(&c->lf, 32, c->gpr[i->d.rm], count);                              \
    }

SHIFT_DEFINE_REG32(ROL, shift_rol)
SHIFT_DEFINE_REG32(ROR, shift_ror)
SHIFT_DEFINE_REG32(SHL, shift_shl)
SHIFT_DEFINE_REG32(SHR, shift_shr)
SHIFT_DEFINE_REG32(SAR, shift_sar)

#define SHIFT_SPECIALIZE(NAME)                                                                     \
    case DEC_##NAME##_EdI1: return shift_##NAME##_EdI1_r;                                          \
    case DEC_##NAME##_EdIb: return shift_##NAME##_EdIb_r;

cpu_handler_fn *shift_specialize(const struct dec_insn *d)
{
    if (d->flags & DEC_F_MEM)
        return NULL;
    switch (d->op) {
    SHIFT_SPECIALIZE(ROL)
    SHIFT_SPECIALIZE(ROR)
    SHIFT_SPECIALIZE(SHL)
    SHIFT_SPECIALIZE(SHR)
    SHIFT_SPECIALIZE(SAR)
    default: return NULL;
    }
}

/* ------------------------------------------------------------------ */
/* SHLD / SHRD                                                         */

/** SHLD: dest shifted left, src bits entering from the right.  cnt 1..31. */
static inline uint32_t shift_shld(struct cpu_lazy_flags *f, unsigned bits, uint32_t dst,
                                  uint32_t src, unsigned cnt)
{
    uint64_t x;
    unsigned width;
    if (bits == 16) {
        x = ((uint64_t)dst << 32) | ((uint64_t)src << 16) | dst; /* 48-bit dest:src:dest */
        width = 48;
    } else {
        x = ((uint64_t)dst << 32) | src;
        width = 64;
    }
    bool cf = (x >> (width - cnt)) & 1u;
    uint32_t r = (uint32_t)((x << cnt) >> (width - bits)) & alu_mask(bits / 8);
    flags_set_result(f, bits, r, cf, shift_msb(r, bits) ^ cf, false);
    return r;
}

/** SHRD: dest shifted right, src bits entering from the left.  cnt 1..31. */
static inline uint32_t shift_shrd(struct cpu_lazy_flags *f, unsigned bits, uint32_t dst,
                                  uint32_t src, unsigned cnt)
{
    uint64_t x;
    if (bits == 16)
        x = ((uint64_t)dst << 32) | ((uint64_t)src << 16) | dst; /* 48-bit dest:src:dest */
    else
        x = ((uint64_t)src << 32) | dst;
    bool cf = (x >> (cnt - 1)) & 1u;
    uint32_t r = (uint32_t)(x >> cnt) & alu_mask(bits / 8);
    flags_set_result(f, bits, r, cf, shift_msb(r, bits) ^ shift_msb(r, bits - 1), false);
    return r;
}

typedef uint32_t shift_d_fn(struct cpu_lazy_flags *f, unsigned bits, uint32_t dst, uint32_t src,
                            unsigned cnt);

static inline void shift_double(struct cpu *c, const struct dec_insn *d, unsigned size,
                                unsigned count, shift_d_fn *op)
{
    uint32_t src = alu_get_reg(c, d->reg, size);
    count &= 31;
    if (d->flags & DEC_F_MEM) {
        uint32_t v = cpu_rmw_read(c, d->seg, cpu_ea(c, d), size);
        if (count)
            cpu_rmw_write(c, op(&c->lf, size * 8, v, src, count));
    } else if (count) {
        alu_set_reg(c, d->rm, size, op(&c->lf, size * 8, alu_get_reg(c, d->rm, size), src, count));
    }
}

void cpu_h_SHLD_EwGwIb(struct cpu *c, const struct cpu_insn *i)
{
    shift_double(c, &i->d, 2, i->d.imm, shift_shld);
}
void cpu_h_SHLD_EdGdIb(struct cpu *c, const struct cpu_insn *i)
{
    shift_double(c, &i->d, 4, i->d.imm, shift_shld);
}
void cpu_h_SHLD_EwGwCL(struct cpu *c, const struct cpu_insn *i)
{
    shift_double(c, &i->d, 2, cpu_get_r8(c, 1), shift_shld);
}
void cpu_h_SHLD_EdGdCL(struct cpu *c, const struct cpu_insn *i)
{
    shift_double(c, &i->d, 4, cpu_get_r8(c, 1), shift_shld);
}
void cpu_h_SHRD_EwGwIb(struct cpu *c, const struct cpu_insn *i)
{
    shift_double(c, &i->d, 2, i->d.imm, shift_shrd);
}
void cpu_h_SHRD_EdGdIb(struct cpu *c, const struct cpu_insn *i)
{
    shift_double(c, &i->d, 4, i->d.imm, shift_shrd);
}
void cpu_h_SHRD_EwGwCL(struct cpu *c, const struct cpu_insn *i)
{
    shift_double(c, &i->d, 2, cpu_get_r8(c, 1), shift_shrd);
}
void cpu_h_SHRD_EdGdCL(struct cpu *c, const struct cpu_insn *i)
{
    shift_double(c, &i->d, 4, cpu_get_r8(c, 1), shift_shrd);
}
