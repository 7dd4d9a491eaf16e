/*
 * bits.c - BT BTS BTR BTC, BSF BSR, BSWAP, SETcc, CMOVcc.
 *
 * SDM vol. 2 "BT": with a register bit offset and a memory operand the
 * offset is a signed integer that may reach outside the addressed word or
 * dword: the operand accessed is at EA + 2 * (offset SAR 4) (16-bit) or
 * EA + 4 * (offset SAR 5) (32-bit), wrapped to the address size, and the
 * bit is offset mod 16/32.  An immediate offset (and any register-operand
 * form) is taken mod the operand size.  Only CF is defined; the P6 leaves
 * OF, SF, ZF, AF and PF unchanged, and so do we.
 *
 * BSF/BSR: a zero source sets ZF and leaves the destination unchanged
 * (what P6 hardware does; the SDM calls it undefined); otherwise ZF is
 * cleared.  CF, OF, SF, AF and PF are undefined; we produce what Intel
 * hardware was observed to produce (a 32-bit probe on the build host, and
 * Bochs agrees for a non-zero source): CF = OF = SF = AF = 0 and PF = the
 * parity of the index found, or PF = 1 for a zero source.
 *
 * BSWAP with a 16-bit operand is undefined; the P6 clears the low word
 * (the upper half of the 32-bit register is kept), and so do we.
 *
 * CMOVcc always reads its source (a memory source may fault even when the
 * condition is false) and writes the destination only when the condition
 * holds (IA-32: no zero-extension question arises).
 */
#include "cpu/alu_internal.h"

enum bits_op { BITS_BT, BITS_BTS, BITS_BTR, BITS_BTC };

static inline uint32_t bits_apply(enum bits_op op, uint32_t v, uint32_t mask)
{
    switch (op) {
    case BITS_BTS: return v | mask;
    case BITS_BTR: return v & ~mask;
    case BITS_BTC: return v ^ mask;
    default: return v;
    }
}

/** The bit-test family on the r/m operand: `offset` is the raw bit offset
 * (register or immediate), `reg_offset` selects the signed memory
 * displacement of the register forms. */
static inline void bits_test(struct cpu *c, const struct dec_insn *d, unsigned size,
                             uint32_t offset, bool reg_offset, enum bits_op op)
{
    unsigned bits = size * 8;
    uint32_t mask = 1u << (offset & (bits - 1));
    uint32_t v;
    if (d->flags & DEC_F_MEM) {
        uint32_t off = cpu_ea(c, d);
        if (reg_offset) {
            /* signed offset SAR log2(bits), times the operand size in bytes */
            uint32_t words = alu_sar32(flags_sext(offset, bits), bits == 16 ? 4 : 5);
            off += words * size;
            if (!(d->flags & DEC_F_A32))
                off &= 0xFFFFu;
        }
        if (op == BITS_BT) {
            v = alu_read(c, d->seg, off, size);
        } else {
            v = cpu_rmw_read(c, d->seg, off, size);
            cpu_rmw_write(c, bits_apply(op, v, mask));
        }
    } else {
        v = alu_get_reg(c, d->rm, size);
        if (op != BITS_BT)
            alu_set_reg(c, d->rm, size, bits_apply(op, v, mask));
    }
    flags_set_cf(&c->lf, (v & mask) != 0);
}

void cpu_h_BT_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 2, cpu_get_r16(c, i->d.reg), true, BITS_BT);
}
void cpu_h_BT_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 4, cpu_get_r32(c, i->d.reg), true, BITS_BT);
}
void cpu_h_BT_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 2, i->d.imm, false, BITS_BT);
}
void cpu_h_BT_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 4, i->d.imm, false, BITS_BT);
}
void cpu_h_BTS_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 2, cpu_get_r16(c, i->d.reg), true, BITS_BTS);
}
void cpu_h_BTS_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 4, cpu_get_r32(c, i->d.reg), true, BITS_BTS);
}
void cpu_h_BTS_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 2, i->d.imm, false, BITS_BTS);
}
void cpu_h_BTS_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 4, i->d.imm, false, BITS_BTS);
}
void cpu_h_BTR_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 2, cpu_get_r16(c, i->d.reg), true, BITS_BTR);
}
void cpu_h_BTR_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 4, cpu_get_r32(c, i->d.reg), true, BITS_BTR);
}
void cpu_h_BTR_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 2, i->d.imm, false, BITS_BTR);
}
void cpu_h_BTR_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 4, i->d.imm, false, BITS_BTR);
}
void cpu_h_BTC_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 2, cpu_get_r16(c, i->d.reg), true, BITS_BTC);
}
void cpu_h_BTC_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 4, cpu_get_r32(c, i->d.reg), true, BITS_BTC);
}
void cpu_h_BTC_EwIb(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 2, i->d.imm, false, BITS_BTC);
}
void cpu_h_BTC_EdIb(struct cpu *c, const struct cpu_insn *i)
{
    bits_test(c, &i->d, 4, i->d.imm, false, BITS_BTC);
}

/* ------------------------------------------------------------------ */
/* BSF / BSR                                                           */

/** Flags after BSF/BSR (see the top of the file); `index` is ignored when
 * the source was zero. */
static inline void bits_scan_flags(struct cpu_lazy_flags *f, bool zero_src, uint32_t index)
{
    /* logic flags of the index give CF = OF = AF = SF = 0 and its parity;
     * then ZF is set from the source, not from the index */
    flags_set_logic(f, 8, zero_src ? 0 : index);
    flags_set_szp(f, false, zero_src, flags_pf(f));
}

static inline void bits_scan(struct cpu *c, const struct cpu_insn *i, unsigned size, bool reverse)
{
    uint32_t v = alu_get_e(c, &i->d, size);
    if (v == 0) {
        bits_scan_flags(&c->lf, true, 0);
        return;
    }
    unsigned n = 0;
    if (reverse) {
        n = size * 8 - 1;
        while (!((v >> n) & 1u))
            n--;
    } else {
        while (!((v >> n) & 1u))
            n++;
    }
    alu_set_reg(c, i->d.reg, size, n);
    bits_scan_flags(&c->lf, false, n);
}

void cpu_h_BSF_GwEw(struct cpu *c, const struct cpu_insn *i) { bits_scan(c, i, 2, false); }
void cpu_h_BSF_GdEd(struct cpu *c, const struct cpu_insn *i) { bits_scan(c, i, 4, false); }
void cpu_h_BSR_GwEw(struct cpu *c, const struct cpu_insn *i) { bits_scan(c, i, 2, true); }
void cpu_h_BSR_GdEd(struct cpu *c, const struct cpu_insn *i) { bits_scan(c, i, 4, true); }

/* ------------------------------------------------------------------ */
/* BSWAP                                                               */

void cpu_h_BSWAP_Zw(struct cpu *c, const struct cpu_insn *i) { cpu_set_r16(c, i->d.reg, 0); }

void cpu_h_BSWAP_Zd(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t v = cpu_get_r32(c, i->d.reg);
    cpu_set_r32(c, i->d.reg,
                (v >> 24) | ((v >> 8) & 0x0000FF00u) | ((v << 8) & 0x00FF0000u) | (v << 24));
}

/* ------------------------------------------------------------------ */
/* SETcc / CMOVcc                                                      */

static inline void bits_cmov16(struct cpu *c, const struct cpu_insn *i, unsigned cc)
{
    uint16_t v = cpu_get_E16(c, &i->d);
    if (flags_cond(&c->lf, cc))
        cpu_set_r16(c, i->d.reg, v);
}

static inline void bits_cmov32(struct cpu *c, const struct cpu_insn *i, unsigned cc)
{
    uint32_t v = cpu_get_E32(c, &i->d);
    if (flags_cond(&c->lf, cc))
        cpu_set_r32(c, i->d.reg, v);
}

/* Defines SETcc Eb and CMOVcc Gw,Ew / Gd,Ed for condition code CC
 * (SDM vol. 1, appendix B). */
#define BITS_DEFINE_CC(NAME, CC)                                                                   \
    void cpu_h_SET##NAME##_Eb(struct cpu *c, const struct cpu_insn *i)                             \
    {                                                                                              \
        cpu_set_E8(c, &i->d, flags_cond(&c->lf, CC));                                              \
    }                                                                                              \
    void cpu_h_CMOV##NAME##_GwEw(struct cpu *c, const struct cpu_insn *i)                          \
    {                                                                                              \
        bits_cmov16(c, i, CC);                                                                     \
    }                                                                                              \
    void cpu_h_CMOV##NAME##_GdEd(struct cpu *c, const struct cpu_insn *i) { bits_cmov32(c, i, CC); }

BITS_DEFINE_CC(O, 0)
BITS_DEFINE_CC(NO, 1)
BITS_DEFINE_CC(B, 2)
BITS_DEFINE_CC(AE, 3)
BITS_DEFINE_CC(E, 4)
BITS_DEFINE_CC(NE, 5)
BITS_DEFINE_CC(BE, 6)
BITS_DEFINE_CC(A, 7)
BITS_DEFINE_CC(S, 8)
BITS_DEFINE_CC(NS, 9)
BITS_DEFINE_CC(P, 10)
BITS_DEFINE_CC(NP, 11)
BITS_DEFINE_CC(L, 12)
BITS_DEFINE_CC(GE, 13)
BITS_DEFINE_CC(LE, 14)
BITS_DEFINE_CC(G, 15)
