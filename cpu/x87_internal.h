/*
 * x87_internal.h - the x87 FPU's execution helpers, shared by
 * cpu/fpu_escape.c (dispatch, #NM/#MF rules, FERR#), cpu/x87.c (stack,
 * tags, status word, pointers), cpu/x87_arith.c (arithmetic, compares,
 * transcendentals), cpu/x87_load_store.c (loads, stores, register moves)
 * and cpu/x87_env.c (control word, environment and state images).
 *
 * Conventions (SDM vol. 1, chapter 8):
 *  - ST(i) is physical register R[(TOP + i) & 7]; the full tag word has
 *    two bits per physical register and is kept exact at every write, so
 *    FSTENV/FSAVE store it as it is;
 *  - handlers read every memory operand and check every memory
 *    destination before they change any x87 or CPU state (faults are
 *    precise), then commit;
 *  - SW.ES (and SW.B, its 8087-compatible copy on the P6) is set exactly
 *    while some exception flag in SW is unmasked in CW: that is the
 *    "pending" exception the next waiting instruction reports.
 */
#ifndef CPU_X87_INTERNAL_H
#define CPU_X87_INTERNAL_H

#include "cpu/cpu_internal.h"

/* Status word bits. */
enum {
    X87_SW_IE = 0x0001, X87_SW_DE = 0x0002, X87_SW_ZE = 0x0004, X87_SW_OE = 0x0008,
    X87_SW_UE = 0x0010, X87_SW_PE = 0x0020, X87_SW_SF = 0x0040, X87_SW_ES = 0x0080,
    X87_SW_C0 = 0x0100, X87_SW_C1 = 0x0200, X87_SW_C2 = 0x0400, X87_SW_TOP = 0x3800,
    X87_SW_C3 = 0x4000, X87_SW_B = 0x8000
};
#define X87_SW_CC (X87_SW_C0 | X87_SW_C1 | X87_SW_C2 | X87_SW_C3)
#define X87_EXC_MASK 0x3Fu

/* Tags (two bits per physical register). */
enum { X87_TAG_VALID = 0, X87_TAG_ZERO = 1, X87_TAG_SPECIAL = 2, X87_TAG_EMPTY = 3 };

/* Power-on / RESET and FNINIT values (SDM vol. 3, table 9-1). */
#define X87_CW_RESET 0x0040u
#define X87_TW_RESET 0x5555u
#define X87_CW_INIT 0x037Fu

/* ---- stack and tags (cpu/x87.c) --------------------------------------- */

static inline unsigned x87_top(const struct cpu *c) { return (c->fpu.sw >> 11) & 7u; }
static inline unsigned x87_phys(const struct cpu *c, unsigned st) { return (x87_top(c) + st) & 7u; }
static inline unsigned x87_tag_phys(const struct cpu *c, unsigned p) { return (c->fpu.tw >> (2 * p)) & 3u; }
static inline bool x87_empty(const struct cpu *c, unsigned st)
{
    return x87_tag_phys(c, x87_phys(c, st)) == X87_TAG_EMPTY;
}
static inline f80 x87_st(const struct cpu *c, unsigned st) { return c->fpu.r[x87_phys(c, st)]; }

/** The tag a value gets when written to a register (SDM vol. 1, 8.1.7). */
unsigned x87_tag_of(f80 v);
/** Write ST(st) and its tag. */
void x87_set_st(struct cpu *c, unsigned st, f80 v);
/** Mark physical register p empty. */
void x87_free_phys(struct cpu *c, unsigned p);
/** TOP - 1 (the caller then writes ST(0)). */
void x87_push(struct cpu *c);
/** Mark ST(0) empty and TOP + 1. */
void x87_pop(struct cpu *c);
/** Set TOP. */
void x87_set_top(struct cpu *c, unsigned top);

/* ---- status word and exceptions (cpu/x87.c) -------------------------- */

/** A fresh f80 environment from CW (rounding, precision, masks). */
void x87_env(const struct cpu *c, struct f80_env *e);
/** Recompute SW.ES and SW.B from the flags and masks; FERR# follows ES
 * down (it is asserted only at the next waiting instruction). */
void x87_update_es(struct cpu *c);
/**
 * Record the exceptions an operation raised (SDM vol. 1, 8.5 and 8.7):
 * IE alone when IE was raised; an unmasked DE or ZE aborts before the
 * later exceptions are detected; C1 = "rounded up" with PE, else 0.
 * Returns true when the result may be stored: no unmasked IE, DE or ZE,
 * and for a memory destination (mem = true) no unmasked OE or UE either.
 */
bool x87_exceptions(struct cpu *c, const struct f80_env *e, bool mem);
/** What x87_exceptions() will return, without changing anything (for
 * memory stores, which must be done before the status word changes). */
bool x87_store_ok(const struct cpu *c, const struct f80_env *e, bool mem);
/** Stack underflow (IE, SF, C1 = 0).  Returns true when IE is masked:
 * the caller then writes the real indefinite as its masked response. */
bool x87_underflow(struct cpu *c);
/** Stack overflow (IE, SF, C1 = 1).  Returns true when masked. */
bool x87_overflow(struct cpu *c);
/** Set C3 C2 C1 C0 to `cc` (X87_SW_C* bits). */
static inline void x87_set_cc(struct cpu *c, unsigned cc)
{
    c->fpu.sw = (uint16_t)((c->fpu.sw & ~X87_SW_CC) | (cc & X87_SW_CC));
}
static inline void x87_clear_c1(struct cpu *c) { c->fpu.sw &= (uint16_t)~X87_SW_C1; }

/** The real indefinite as a register value. */
static inline f80 x87_indefinite(void) { return f80_indefinite(); }

/* ---- pointers, FOP and the pending exception (cpu/x87.c) ------------- */

/** Record FIP/FCS/FOP (and FDP/FDS for a memory form) for a non-control
 * instruction (SDM vol. 1, 8.1.8 and 8.1.9). */
void x87_update_pointers(struct cpu *c, const struct cpu_insn *i);
/** A waiting instruction's check for a pending unmasked exception: #MF
 * with CR0.NE = 1, else FERR# asserted (SDM vol. 1, 8.7; vol. 3, 2.5). */
void x87_check_pending(struct cpu *c);
/** Power-on / RESET state (SDM vol. 3, table 9-1). */
void x87_reset(struct cpu *c);
/** FNINIT (also the end of FNSAVE). */
void x87_init(struct cpu *c);

/* ---- memory operands (cpu/x87_load_store.c) -------------------------- */

uint64_t x87_read64(struct cpu *c, unsigned seg, uint32_t off);
f80 x87_read80(struct cpu *c, unsigned seg, uint32_t off);
/** Writes that assume the destination was checked with cpu_check_write. */
void x87_write64(struct cpu *c, unsigned seg, uint32_t off, uint64_t v);
void x87_write80(struct cpu *c, unsigned seg, uint32_t off, f80 v);

/* ---- instruction groups ----------------------------------------------- */

/* Each returns false when `i->d.op` is not one of its forms. */
bool x87_exec_arith(struct cpu *c, const struct cpu_insn *i);     /* cpu/x87_arith.c */
bool x87_exec_trans(struct cpu *c, const struct cpu_insn *i);     /* cpu/x87_arith.c */
bool x87_exec_load_store(struct cpu *c, const struct cpu_insn *i); /* cpu/x87_load_store.c */
bool x87_exec_control(struct cpu *c, const struct cpu_insn *i);   /* cpu/x87_env.c */

#endif
