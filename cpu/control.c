/*
 * control.c - near control transfers: Jcc, JMP, CALL, RET, LOOP/LOOPE/
 * LOOPNE, JCXZ/JECXZ, BOUND (SDM vol. 2).  Far transfers are in cpu/far.c.
 *
 * On entry c->eip is the address of the next instruction, so a relative
 * target is c->eip + displacement.  With a 16-bit operand size the new
 * EIP is truncated to 16 bits.  Every near target is checked against the
 * CS limit before anything changes (#GP(0)).
 */
#include "cpu/ops_internal.h"

/* Relative branch with the given operand-size mask. */
static inline void ctl_jump_rel(struct cpu *c, const struct cpu_insn *i, uint32_t omask)
{
    ops_near_branch(c, (c->eip + i->d.imm) & omask);
}

static inline uint32_t ctl_omask(const struct cpu_insn *i)
{
    return (i->d.flags & DEC_F_O32) ? 0xFFFFFFFFu : 0xFFFFu;
}

/* --- Jcc: one set of handlers (rel8, rel16, rel32) per condition ------ */

#define CTL_JCC(NAME, CC)                                                                        \
    void cpu_h_##NAME##_Jb(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                            \
        if (flags_cond(&c->lf, CC))                                                              \
            ctl_jump_rel(c, i, ctl_omask(i));                                                    \
    }                                                                                            \
    void cpu_h_##NAME##_Jw(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                            \
        if (flags_cond(&c->lf, CC))                                                              \
            ctl_jump_rel(c, i, 0xFFFFu);                                                         \
    }                                                                                            \
    void cpu_h_##NAME##_Jd(struct cpu *c, const struct cpu_insn *i)                              \
    {                                                                                            \
        if (flags_cond(&c->lf, CC))                                                              \
            ctl_jump_rel(c, i, 0xFFFFFFFFu);                                                     \
    }

CTL_JCC(JO, 0)
CTL_JCC(JNO, 1)
CTL_JCC(JB, 2)
CTL_JCC(JAE, 3)
CTL_JCC(JE, 4)
CTL_JCC(JNE, 5)
CTL_JCC(JBE, 6)
CTL_JCC(JA, 7)
CTL_JCC(JS, 8)
CTL_JCC(JNS, 9)
CTL_JCC(JP, 10)
CTL_JCC(JNP, 11)
CTL_JCC(JL, 12)
CTL_JCC(JGE, 13)
CTL_JCC(JLE, 14)
CTL_JCC(JG, 15)

/* rel8 Jcc with a 32-bit operand size, chosen at decode time
 * (ctl_specialize): no operand-size mask to compute. */
#define CTL_JCC32(NAME, CC)                                                                      \
    static void ctl_##NAME##_Jb32(struct cpu *c, const struct cpu_insn *i)                       \
    {                                                                                            \
        if (flags_cond(&c->lf, CC))                                                              \
            ops_near_branch(c, c->eip + i->d.imm);                                               \
    }

CTL_JCC32(JO, 0)
CTL_JCC32(JNO, 1)
CTL_JCC32(JB, 2)
CTL_JCC32(JAE, 3)
CTL_JCC32(JE, 4)
CTL_JCC32(JNE, 5)
CTL_JCC32(JBE, 6)
CTL_JCC32(JA, 7)
CTL_JCC32(JS, 8)
CTL_JCC32(JNS, 9)
CTL_JCC32(JP, 10)
CTL_JCC32(JNP, 11)
CTL_JCC32(JL, 12)
CTL_JCC32(JGE, 13)
CTL_JCC32(JLE, 14)
CTL_JCC32(JG, 15)

cpu_handler_fn *ctl_specialize(const struct dec_insn *d)
{
    if (!(d->flags & DEC_F_O32))
        return NULL;
    switch (d->op) {
    case DEC_JO_Jb: return ctl_JO_Jb32;
    case DEC_JNO_Jb: return ctl_JNO_Jb32;
    case DEC_JB_Jb: return ctl_JB_Jb32;
    case DEC_JAE_Jb: return ctl_JAE_Jb32;
    case DEC_JE_Jb: return ctl_JE_Jb32;
    case DEC_JNE_Jb: return ctl_JNE_Jb32;
    case DEC_JBE_Jb: return ctl_JBE_Jb32;
    case DEC_JA_Jb: return ctl_JA_Jb32;
    case DEC_JS_Jb: return ctl_JS_Jb32;
    case DEC_JNS_Jb: return ctl_JNS_Jb32;
    case DEC_JP_Jb: return ctl_JP_Jb32;
    case DEC_JNP_Jb: return ctl_JNP_Jb32;
    case DEC_JL_Jb: return ctl_JL_Jb32;
    case DEC_JGE_Jb: return ctl_JGE_Jb32;
    case DEC_JLE_Jb: return ctl_JLE_Jb32;
    case DEC_JG_Jb: return ctl_JG_Jb32;
    default: return NULL;
    }
}

/* --- JMP near --------------------------------------------------------- */

void cpu_h_JMP_Jb(struct cpu *c, const struct cpu_insn *i) { ctl_jump_rel(c, i, ctl_omask(i)); }
void cpu_h_JMP_Jw(struct cpu *c, const struct cpu_insn *i) { ctl_jump_rel(c, i, 0xFFFFu); }
void cpu_h_JMP_Jd(struct cpu *c, const struct cpu_insn *i) { ctl_jump_rel(c, i, 0xFFFFFFFFu); }

void cpu_h_JMP_Ew(struct cpu *c, const struct cpu_insn *i)
{
    ops_near_branch(c, cpu_get_E16(c, &i->d));
}

void cpu_h_JMP_Ed(struct cpu *c, const struct cpu_insn *i)
{
    ops_near_branch(c, cpu_get_E32(c, &i->d));
}

/* --- CALL near -------------------------------------------------------- */

/* SDM vol. 2, CALL: the target is checked against the CS limit before the
 * return address is pushed; the push is done before EIP changes. */
static void ctl_call_near(struct cpu *c, uint32_t target, bool o32)
{
    if (CPU_UNLIKELY(target > c->seg[CPU_CS].limit))
        cpu_exception(c, CPU_EXC_GP, 0);
    if (o32)
        cpu_push32(c, c->eip);
    else
        cpu_push16(c, (uint16_t)c->eip);
    c->eip = target;
}

void cpu_h_CALL_Jw(struct cpu *c, const struct cpu_insn *i)
{
    ctl_call_near(c, (c->eip + i->d.imm) & 0xFFFFu, false);
}

void cpu_h_CALL_Jd(struct cpu *c, const struct cpu_insn *i)
{
    ctl_call_near(c, c->eip + i->d.imm, true);
}

void cpu_h_CALL_Ew(struct cpu *c, const struct cpu_insn *i)
{
    ctl_call_near(c, cpu_get_E16(c, &i->d), false);
}

void cpu_h_CALL_Ed(struct cpu *c, const struct cpu_insn *i)
{
    ctl_call_near(c, cpu_get_E32(c, &i->d), true);
}

/* --- RET near --------------------------------------------------------- */

/* Pop the return address, check it against the CS limit, then release
 * `imm` more bytes of stack (SDM vol. 2, RET). */
static void ctl_ret_near(struct cpu *c, bool o32, uint32_t imm)
{
    uint32_t sp = c->gpr[CPU_ESP];
    uint32_t target = o32 ? cpu_stack_read32(c, sp) : cpu_stack_read16(c, sp);
    ops_near_branch(c, target);
    cpu_set_sp(c, sp + (o32 ? 4u : 2u) + imm);
}

void cpu_h_RET_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    ctl_ret_near(c, false, 0);
}

void cpu_h_RET_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    ctl_ret_near(c, true, 0);
}

void cpu_h_RET_Iw_O16(struct cpu *c, const struct cpu_insn *i)
{
    ctl_ret_near(c, false, i->d.imm & 0xFFFFu);
}

void cpu_h_RET_Iw_O32(struct cpu *c, const struct cpu_insn *i)
{
    ctl_ret_near(c, true, i->d.imm & 0xFFFFu);
}

/* --- LOOP family ------------------------------------------------------ */

/* The count register is CX or ECX by the ADDRESS size; the decrement does
 * not touch the flags.  The count is committed only after the branch
 * target passed its limit check. */
static void ctl_loop(struct cpu *c, const struct cpu_insn *i, int zf_cond)
{
    uint32_t amask = ops_amask(&i->d);
    uint32_t count = (c->gpr[CPU_ECX] - 1) & amask;
    bool take = count != 0;
    if (zf_cond >= 0)
        take = take && (flags_zf(&c->lf) == (zf_cond != 0));
    if (take)
        ctl_jump_rel(c, i, ctl_omask(i));
    c->gpr[CPU_ECX] = (c->gpr[CPU_ECX] & ~amask) | count;
}

void cpu_h_LOOPNE_Jb(struct cpu *c, const struct cpu_insn *i) { ctl_loop(c, i, 0); }
void cpu_h_LOOPE_Jb(struct cpu *c, const struct cpu_insn *i) { ctl_loop(c, i, 1); }
void cpu_h_LOOP_Jb(struct cpu *c, const struct cpu_insn *i) { ctl_loop(c, i, -1); }

void cpu_h_JCXZ_Jb(struct cpu *c, const struct cpu_insn *i)
{
    if ((c->gpr[CPU_ECX] & 0xFFFFu) == 0)
        ctl_jump_rel(c, i, ctl_omask(i));
}

void cpu_h_JECXZ_Jb(struct cpu *c, const struct cpu_insn *i)
{
    if (c->gpr[CPU_ECX] == 0)
        ctl_jump_rel(c, i, ctl_omask(i));
}

/* --- BOUND ------------------------------------------------------------ */

/* Map a 32-bit two's-complement value to an unsigned key with the same
 * order, so the signed compare needs no implementation-defined cast. */
static inline uint32_t ctl_signed_key(uint32_t v) { return v ^ 0x80000000u; }

/* Signed compare of the index register with the lower and upper bounds
 * stored in memory; out of range raises #BR, a fault (SDM vol. 2, BOUND). */
void cpu_h_BOUND_GwMwd(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t ea = cpu_ea(c, &i->d);
    uint16_t lo16 = cpu_read16(c, i->d.seg, ea);
    uint16_t hi16 = cpu_read16(c, i->d.seg, (ea + 2) & ops_amask(&i->d));
    uint32_t lo = ctl_signed_key(flags_sext(lo16, 16));
    uint32_t hi = ctl_signed_key(flags_sext(hi16, 16));
    uint32_t idx = ctl_signed_key(flags_sext(c->gpr[i->d.reg], 16));
    if (idx < lo || idx > hi)
        cpu_exception(c, CPU_EXC_BR, 0);
}

void cpu_h_BOUND_GdMdd(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t ea = cpu_ea(c, &i->d);
    uint32_t lo = ctl_signed_key(cpu_read32(c, i->d.seg, ea));
    uint32_t hi = ctl_signed_key(cpu_read32(c, i->d.seg, (ea + 4) & ops_amask(&i->d)));
    uint32_t idx = ctl_signed_key(c->gpr[i->d.reg]);
    if (idx < lo || idx > hi)
        cpu_exception(c, CPU_EXC_BR, 0);
}
