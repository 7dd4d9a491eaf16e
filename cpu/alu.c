/*
 * alu.c - two-operand integer arithmetic and logic (ADD OR ADC SBB AND SUB
 * XOR CMP TEST) and the one-operand INC DEC NOT NEG.
 *
 * Each operation is a small function computing the result and the lazy
 * flags for any operand size; the handlers below only fetch operands and
 * store the result.  SDM vol. 2, and vol. 1 appendix A (EFLAGS
 * cross-reference) for the flags:
 *  - ADC/SBB include the carry-in in CF, OF and AF (the carry vector of
 *    flags.h is derived from a, b and the final result, so it holds);
 *  - AND/OR/XOR/TEST clear CF and OF; AF is undefined and real CPUs
 *    clear it, so do we;
 *  - INC/DEC keep CF; NOT changes no flag; NEG is 0 - x (CF = x != 0).
 * A memory destination is checked for writing before it is read
 * (cpu_rmw_read), so a read-only page gives a write fault even for the
 * read half, as on hardware; CMP and TEST only read.
 */
#include "cpu/alu_internal.h"

typedef uint32_t alu_op_fn(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t b);
typedef uint32_t alu_unop_fn(struct cpu_lazy_flags *f, unsigned bits, uint32_t a);

/* ------------------------------------------------------------------ */
/* Operations                                                          */

static inline uint32_t alu_add(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t b)
{
    uint32_t r = a + b;
    flags_set_add(f, bits, a, b, r);
    return r;
}

static inline uint32_t alu_adc(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t b)
{
    uint32_t r = a + b + (uint32_t)flags_cf(f);
    flags_set_add(f, bits, a, b, r);
    return r;
}

static inline uint32_t alu_sub(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t b)
{
    uint32_t r = a - b;
    flags_set_sub(f, bits, a, b, r);
    return r;
}

static inline uint32_t alu_sbb(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t b)
{
    uint32_t r = a - b - (uint32_t)flags_cf(f);
    flags_set_sub(f, bits, a, b, r);
    return r;
}

static inline uint32_t alu_and(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t b)
{
    flags_set_logic(f, bits, a & b);
    return a & b;
}

static inline uint32_t alu_or(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t b)
{
    flags_set_logic(f, bits, a | b);
    return a | b;
}

static inline uint32_t alu_xor(struct cpu_lazy_flags *f, unsigned bits, uint32_t a, uint32_t b)
{
    flags_set_logic(f, bits, a ^ b);
    return a ^ b;
}

static inline uint32_t alu_inc(struct cpu_lazy_flags *f, unsigned bits, uint32_t a)
{
    flags_set_inc(f, bits, a, a + 1);
    return a + 1;
}

static inline uint32_t alu_dec(struct cpu_lazy_flags *f, unsigned bits, uint32_t a)
{
    flags_set_dec(f, bits, a, a - 1);
    return a - 1;
}

static inline uint32_t alu_neg(struct cpu_lazy_flags *f, unsigned bits, uint32_t a)
{
    flags_set_sub(f, bits, 0, a, 0u - a);
    return 0u - a;
}

static inline uint32_t alu_not(struct cpu_lazy_flags *f, unsigned bits, uint32_t a)
{
    (void)f;
    (void)bits;
    return ~a;
}

/* ------------------------------------------------------------------ */
/* Operand plumbing                                                    */

/** r/m op= src; the r/m operand is written back only when `write`. */
static inline void alu_e_src(struct cpu *c, const struct dec_insn *d, unsigned size, uint32_t src,
                             alu_op_fn *op, bool write)
{
    if (d->flags & DEC_F_MEM) {
        uint32_t off = cpu_ea(c, d);
        if (write) {
            uint32_t a = cpu_rmw_read(c, d->seg, off, size);
            cpu_rmw_write(c, op(&c->lf, size * 8, a, src) & alu_mask(size));
        } else {
            op(&c->lf, size * 8, alu_read(c, d->seg, off, size), src);
        }
    } else {
        uint32_t r = op(&c->lf, size * 8, alu_get_reg(c, d->rm, size), src);
        if (write)
            alu_set_reg(c, d->rm, size, r);
    }
}

/** r/m op= G register. */
static inline void alu_e_g(struct cpu *c, const struct cpu_insn *i, unsigned size, alu_op_fn *op,
                           bool write)
{
    alu_e_src(c, &i->d, size, alu_get_reg(c, i->d.reg, size), op, write);
}

/** r/m op= immediate. */
static inline void alu_e_i(struct cpu *c, const struct cpu_insn *i, unsigned size, alu_op_fn *op,
                           bool write)
{
    alu_e_src(c, &i->d, size, i->d.imm & alu_mask(size), op, write);
}

/** G register op= r/m (the r/m read may fault: it comes first). */
static inline void alu_g_e(struct cpu *c, const struct cpu_insn *i, unsigned size, alu_op_fn *op,
                           bool write)
{
    uint32_t b = alu_get_e(c, &i->d, size);
    uint32_t r = op(&c->lf, size * 8, alu_get_reg(c, i->d.reg, size), b);
    if (write)
        alu_set_reg(c, i->d.reg, size, r);
}

/** AL/AX/EAX op= immediate. */
static inline void alu_acc_i(struct cpu *c, const struct cpu_insn *i, unsigned size, alu_op_fn *op,
                             bool write)
{
    uint32_t r = op(&c->lf, size * 8, alu_get_reg(c, CPU_EAX, size), i->d.imm & alu_mask(size));
    if (write)
        alu_set_reg(c, CPU_EAX, size, r);
}

/** One-operand r/m (INC DEC NOT NEG). */
static inline void alu_unary_e(struct cpu *c, const struct dec_insn *d, unsigned size,
                               alu_unop_fn *op)
{
    if (d->flags & DEC_F_MEM) {
        uint32_t a = cpu_rmw_read(c, d->seg, cpu_ea(c, d), size);
        cpu_rmw_write(c, op(&c->lf, size * 8, a) & alu_mask(size));
    } else {
        alu_set_reg(c, d->rm, size, op(&c->lf, size * 8, alu_get_reg(c, d->rm, size)));
    }
}

/* ------------------------------------------------------------------ */
/* Handlers                                                            */

/* Defines the 14 forms of one of the eight classic ALU operations
 * (00-3D, 80-83).  `write` is false for CMP. */
#define ALU_DEFINE_FORMS(NAME, OP, WRITE)                                                          \
    void cpu_h_##NAME##_EbGb(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        alu_e_g(c, i, 1, OP, WRITE);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_EwGw(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        alu_e_g(c, i, 2, OP, WRITE);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_EdGd(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        alu_e_g(c, i, 4, OP, WRITE);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_GbEb(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        alu_g_e(c, i, 1, OP, WRITE);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_GwEw(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        alu_g_e(c, i, 2, OP, WRITE);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_GdEd(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        alu_g_e(c, i, 4, OP, WRITE);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_ALIb(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        alu_acc_i(c, i, 1, OP, WRITE);                                                             \
    }                                                                                              \
    void cpu_h_##NAME##_AXIw(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        alu_acc_i(c, i, 2, OP, WRITE);                                                             \
    }                                                                                              \
    void cpu_h_##NAME##_EAXId(struct cpu *c, const struct cpu_insn *i)                             \
    {                                                                                              \
        alu_acc_i(c, i, 4, OP, WRITE);                                                             \
    }                                                                                              \
    void cpu_h_##NAME##_EbIb(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        alu_e_i(c, i, 1, OP, WRITE);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_EwIw(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        alu_e_i(c, i, 2, OP, WRITE);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_EdId(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                              \
        alu_e_i(c, i, 4, OP, WRITE);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_EwIbw(struct cpu *c, const struct cpu_insn *i)                             \
    {                                                                                              \
        alu_e_i(c, i, 2, OP, WRITE);                                                               \
    }                                                                                              \
    void cpu_h_##NAME##_EdIbd(struct cpu *c, const struct cpu_insn *i)                             \
    {                                                                                              \
        alu_e_i(c, i, 4, OP, WRITE);                                                               \
    }

ALU_DEFINE_FORMS(ADD, alu_add, true)
ALU_DEFINE_FORMS(OR, alu_or, true)
ALU_DEFINE_FORMS(ADC, alu_adc, true)
ALU_DEFINE_FORMS(SBB, alu_sbb, true)
ALU_DEFINE_FORMS(AND, alu_and, true)
ALU_DEFINE_FORMS(SUB, alu_sub, true)
ALU_DEFINE_FORMS(XOR, alu_xor, true)
ALU_DEFINE_FORMS(CMP, alu_sub, false)

/* Register-form 32-bit variants, chosen at decode time (alu_specialize):
 * no memory test, no operand-size switch. */
#define ALU_DEFINE_REG32(NAME, OP, WRITE)                                                          \
    static void alu_##NAME##_EdGd_r(struct cpu *c, const struct cpu_insn *i)                       \
    {                                                                                              \
        uint32_t r = OP(&c->lf, 32, c->gpr[i->d.rm], c->gpr[i->d.reg]);                            \
        if (WRITE)                                                                                 \
            c->gpr[i->d.rm] = r;                                                                   \
    }                                                                                              \
    static void alu_##NAME##_GdEd_r(struct cpu *c, const struct cpu_insn *i)                       \
    {                                                                                              \
        uint32_t r = OP(&c->lf, 32, c->gpr[i->d.reg], c->gpr[i->d.rm]);                            \
        if (WRITE)                                                                                 \
            c->gpr[i->d.reg] = r;                                                                  \
    }                                                                                              \
    static void alu_##NAME##_EdId_r(struct cpu *c, const struct cpu_insn *i)                       \
    {                                                                                              \
        uint32_t r = OP(&c->lf, 32, c->gpr[i->d.rm], i->d.imm);                                    \
        if (WRITE)                                                                                 \
            c->gpr[i->d.rm] = r;                                                                   \
    }

ALU_DEFINE_REG32(ADD, alu_add, true)
ALU_DEFINE_REG32(OR, alu_or, true)
ALU_DEFINE_REG32(ADC, alu_adc, true)
ALU_DEFINE_REG32(SBB, alu_sbb, true)
ALU_DEFINE_REG32(AND, alu_and, true)
ALU_DEFINE_REG32(SUB, alu_sub, true)
ALU_DEFINE_REG32(XOR, alu_xor, true)
ALU_DEFINE_REG32(CMP, alu_sub, false)

static void alu_TEST_EdGd_r(struct cpu *c, const struct cpu_insn *i)
{
    alu_and(&c->lf, 32, c->gpr[i->d.rm], c->gpr[i->d.reg]);
}
static void alu_TEST_EdId_r(struct cpu *c, const struct cpu_insn *i)
{
    alu_and(&c->lf, 32, c->gpr[i->d.rm], i->d.imm);
}

#define ALU_SPECIALIZE(NAME)                                                                       \
    case DEC_##NAME##_EdGd: return alu_##NAME##_EdGd_r;                                            \
    case DEC_##NAME##_GdEd: return alu_##NAME##_GdEd_r;                                            \
    case DEC_##NAME##_EdId:                                                                        \
    case DEC_##NAME##_EdIbd: return alu_##NAME##_EdId_r;

cpu_handler_fn *alu_specialize(const struct dec_insn *d)
{
    if (d->flags & DEC_F_MEM)
        return NULL;
    switch (d->op) {
    ALU_SPECIALIZE(ADD)
    ALU_SPECIALIZE(OR)
    ALU_SPECIALIZE(ADC)
    ALU_SPECIALIZE(SBB)
    ALU_SPECIALIZE(AND)
    ALU_SPECIALIZE(SUB)
    ALU_SPECIALIZE(XOR)
    ALU_SPECIALIZE(CMP)
    case DEC_TEST_EdGd: return alu_TEST_EdGd_r;
    case DEC_TEST_EdId: return alu_TEST_EdId_r;
    default: return NULL;
    }
}

/* TEST: AND without storing the result (84, 85, A8, A9, F6/F7 /0 /1). */
void cpu_h_TEST_EbGb(struct cpu *c, const struct cpu_insn *i) { alu_e_g(c, i, 1, alu_and, false); }
void cpu_h_TEST_EwGw(struct cpu *c, const struct cpu_insn *i) { alu_e_g(c, i, 2, alu_and, false); }
void cpu_h_TEST_EdGd(struct cpu *c, const struct cpu_insn *i) { alu_e_g(c, i, 4, alu_and, false); }
void cpu_h_TEST_ALIb(struct cpu *c, const struct cpu_insn *i)
{
    alu_acc_i(c, i, 1, alu_and, false);
}
void cpu_h_TEST_AXIw(struct cpu *c, const struct cpu_insn *i)
{
    alu_acc_i(c, i, 2, alu_and, false);
}
void cpu_h_TEST_EAXId(struct cpu *c, const struct cpu_insn *i)
{
    alu_acc_i(c, i, 4, alu_and, false);
}
void cpu_h_TEST_EbIb(struct cpu *c, const struct cpu_insn *i) { alu_e_i(c, i, 1, alu_and, false); }
void cpu_h_TEST_EwIw(struct cpu *c, const struct cpu_insn *i) { alu_e_i(c, i, 2, alu_and, false); }
void cpu_h_TEST_EdId(struct cpu *c, const struct cpu_insn *i) { alu_e_i(c, i, 4, alu_and, false); }

/* INC/DEC with the register in the opcode (40-4F). */
void cpu_h_INC_Zw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r16(c, i->d.reg, (uint16_t)alu_inc(&c->lf, 16, cpu_get_r16(c, i->d.reg)));
}
void cpu_h_INC_Zd(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r32(c, i->d.reg, alu_inc(&c->lf, 32, cpu_get_r32(c, i->d.reg)));
}
void cpu_h_DEC_Zw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r16(c, i->d.reg, (uint16_t)alu_dec(&c->lf, 16, cpu_get_r16(c, i->d.reg)));
}
void cpu_h_DEC_Zd(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r32(c, i->d.reg, alu_dec(&c->lf, 32, cpu_get_r32(c, i->d.reg)));
}

void cpu_h_INC_Eb(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 1, alu_inc); }
void cpu_h_INC_Ew(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 2, alu_inc); }
void cpu_h_INC_Ed(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 4, alu_inc); }
void cpu_h_DEC_Eb(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 1, alu_dec); }
void cpu_h_DEC_Ew(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 2, alu_dec); }
void cpu_h_DEC_Ed(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 4, alu_dec); }
void cpu_h_NOT_Eb(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 1, alu_not); }
void cpu_h_NOT_Ew(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 2, alu_not); }
void cpu_h_NOT_Ed(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 4, alu_not); }
void cpu_h_NEG_Eb(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 1, alu_neg); }
void cpu_h_NEG_Ew(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 2, alu_neg); }
void cpu_h_NEG_Ed(struct cpu *c, const struct cpu_insn *i) { alu_unary_e(c, &i->d, 4, alu_neg); }
