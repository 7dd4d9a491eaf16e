/*
 * f80_ops.h - the operations the f80 tests run, one dispatcher for the
 * soft x87 core (portable) and one for the host's x87 (x86 hosts only,
 * test-only inline asm): operands and results as little-endian memory
 * images so both sides see the same bytes.
 */
#ifndef TESTS_F80_OPS_H
#define TESTS_F80_OPS_H

#include <stdint.h>

#include "cpu/fpu/f80.h"

#if defined(__x86_64__) || defined(__i386__)
#define F80T_HAVE_X87 1
#else
#define F80T_HAVE_X87 0
#endif

enum f80t_op {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_RNDINT, OP_SCALE, OP_XTRACT, OP_PREM,
    OP_PREM1, OP_COM, OP_UCOM, OP_IST16, OP_IST32, OP_IST64, OP_ST32, OP_ST64, OP_LD32,
    OP_LD64, OP_BSTP, OP_BLD, OP_CONST, OP_COUNT
};

extern const char *const f80t_names[OP_COUNT];
#if 0
    "fadd", "fsub", "fmul", "fdiv", "fsqrt", "frndint", "fscale", "fxtract", "fprem",
    "fprem1", "fcom", "fucom", "fist16", "fist32", "fist64", "fst32", "fst64", "fld32",
    "fld64", "fbstp", "fbld", "fldconst",
#endif

/* One observed outcome: up to two extended results or a memory image,
 * and the status word bits compared (flags, C0-C3). */
struct f80t_out {
    uint8_t mem[20];
    uint16_t sw;
};

#define SW_CMP_MASK 0x473Fu /* C3, C2, C1, C0 and the six flags */


/** The 80-bit image of v (little-endian) and back. */
void f80t_put80(uint8_t *p, f80 v);
f80 f80t_get80(const uint8_t *p);
/** The n low bytes of v, little-endian. */
void f80t_put_le(uint8_t *p, uint64_t v, unsigned n);

/** Run op on the input image (20 bytes: one or two extended values, or a
 * memory-format operand) with control word cw, in software. */
void f80t_soft_run(enum f80t_op op, uint16_t cw, const uint8_t *in, struct f80t_out *o);
#if F80T_HAVE_X87
/** The same on the host's x87. */
void f80t_host_run(enum f80t_op op, uint16_t cw, const uint8_t *in, struct f80t_out *o);
#endif

#endif
