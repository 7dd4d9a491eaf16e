/*
 * alu_internal.h - operand helpers shared by the integer handlers
 * (alu.c, muldiv.c, shift.c, bits.c, bcd.c, cmpxchg.c).
 * Only files in cpu/ include this.
 *
 * Sizes are in bytes (1, 2, 4) as in cpu_rmw_read(); every caller passes
 * a constant, so the switches below fold away when inlined.
 */
#ifndef CPU_ALU_INTERNAL_H
#define CPU_ALU_INTERNAL_H

#include "cpu/cpu_internal.h"

/** Value mask of an operand of `size` bytes. */
static inline uint32_t alu_mask(unsigned size)
{
    return size == 4 ? 0xFFFFFFFFu : ((1u << (size * 8)) - 1);
}

/** General register `r` of the given size (8-bit: AL..BH numbering). */
static inline uint32_t alu_get_reg(const struct cpu *c, unsigned r, unsigned size)
{
    switch (size) {
    case 1: return cpu_get_r8(c, r);
    case 2: return cpu_get_r16(c, r);
    default: return cpu_get_r32(c, r);
    }
}

static inline void alu_set_reg(struct cpu *c, unsigned r, unsigned size, uint32_t v)
{
    switch (size) {
    case 1: cpu_set_r8(c, r, (uint8_t)v); break;
    case 2: cpu_set_r16(c, r, (uint16_t)v); break;
    default: cpu_set_r32(c, r, v); break;
    }
}

/** Read the ModRM r/m operand (register or memory) without writing it. */
static inline uint32_t alu_get_e(struct cpu *c, const struct dec_insn *d, unsigned size)
{
    switch (size) {
    case 1: return cpu_get_E8(c, d);
    case 2: return cpu_get_E16(c, d);
    default: return cpu_get_E32(c, d);
    }
}

/** Plain memory read of `size` bytes at seg:off. */
static inline uint32_t alu_read(struct cpu *c, unsigned seg, uint32_t off, unsigned size)
{
    switch (size) {
    case 1: return cpu_read8(c, seg, off);
    case 2: return cpu_read16(c, seg, off);
    default: return cpu_read32(c, seg, off);
    }
}

/** Signed (arithmetic) right shift of a 32-bit pattern, without relying
 * on implementation-defined behaviour of >> on negative ints. */
static inline uint32_t alu_sar32(uint32_t v, unsigned n)
{
    uint32_t fill = (v & 0x80000000u) ? ~(0xFFFFFFFFu >> n) : 0;
    return (v >> n) | fill;
}

#endif
