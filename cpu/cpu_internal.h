/*
 * cpu_internal.h - CPU state and the services instruction handlers use.
 * Only files in cpu/ include this.
 *
 * Rules every handler follows (faults are precise, SDM vol. 3, 6.5):
 *  - read every operand and do every access that can fault before changing
 *    any register; memory writes come last, and a handler that writes two
 *    locations checks both (or writes the one that can fault first);
 *  - on entry c->eip already holds the address of the next instruction
 *    (relative branches add to it) and c->prev_eip the current one;
 *    cpu_exception() restores EIP and unwinds to the run loop;
 *  - arithmetic flags only through cpu/flags.h on c->lf.
 */
#ifndef CPU_CPU_INTERNAL_H
#define CPU_CPU_INTERNAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/flags.h"
#include "cpu/system_internal.h"
#include "cpu/x87_state.h"
#include "decoder/decoder.h"
#include "mmu/mmu.h"

#if defined(__GNUC__)
#define CPU_LIKELY(x) __builtin_expect(!!(x), 1)
#define CPU_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define CPU_LIKELY(x) (x)
#define CPU_UNLIKELY(x) (x)
#endif

/* Exception vectors (SDM vol. 3, table 6-1). */
enum {
    CPU_EXC_DE = 0, CPU_EXC_DB = 1, CPU_EXC_NMI = 2, CPU_EXC_BP = 3, CPU_EXC_OF = 4,
    CPU_EXC_BR = 5, CPU_EXC_UD = 6, CPU_EXC_NM = 7, CPU_EXC_DF = 8, CPU_EXC_TS = 10,
    CPU_EXC_NP = 11, CPU_EXC_SS = 12, CPU_EXC_GP = 13, CPU_EXC_PF = 14, CPU_EXC_MF = 16,
    CPU_EXC_AC = 17, CPU_EXC_MC = 18
};

/* Control register bits (#defines: CR0.PG does not fit an int enumerator). */
#define CPU_CR0_PE 0x00000001u
#define CPU_CR0_MP 0x00000002u
#define CPU_CR0_EM 0x00000004u
#define CPU_CR0_TS 0x00000008u
#define CPU_CR0_ET 0x00000010u
#define CPU_CR0_NE 0x00000020u
#define CPU_CR0_WP 0x00010000u
#define CPU_CR0_AM 0x00040000u
#define CPU_CR0_NW 0x20000000u
#define CPU_CR0_CD 0x40000000u
#define CPU_CR0_PG 0x80000000u
#define CPU_CR4_VME 0x001u
#define CPU_CR4_PVI 0x002u
#define CPU_CR4_TSD 0x004u
#define CPU_CR4_DE 0x008u
#define CPU_CR4_PSE 0x010u
#define CPU_CR4_PAE 0x020u
#define CPU_CR4_MCE 0x040u
#define CPU_CR4_PGE 0x080u
#define CPU_CR4_PCE 0x100u

/* Which data accesses a segment allows (derived from its attributes). */
enum { CPU_SEGA_READ = 1u, CPU_SEGA_WRITE = 2u };

/* A segment register: selector, descriptor cache, and the derived fields
 * the fast path checks (cpu_seg_update() recomputes them). */
struct cpu_seg {
    uint32_t base;
    uint32_t limit;  /* byte granular */
    uint32_t lim_lo; /* lowest valid offset (expand-down: limit + 1) */
    uint32_t lim_hi; /* highest valid offset */
    uint16_t sel;
    uint16_t attr;   /* as struct cpu_segment.attr */
    uint8_t access;  /* CPU_SEGA_* */
};

struct cpu;
struct cpu_insn;
typedef void cpu_handler_fn(struct cpu *c, const struct cpu_insn *i);

/* A decoded-cache entry: the decoded instruction and its handler. */
struct cpu_insn {
    cpu_handler_fn *fn;
    struct dec_insn d;
    bool last; /* the last entry of its trace (set by cpu/exec.c) */
    uint16_t fop; /* x87 forms: FOP, the escape byte's low 3 bits and the
                     ModRM byte (SDM vol. 1, 8.1.9), from the code bytes at
                     decode time; 0 for other forms */
};

struct cpu_icache; /* cpu/icache.c */

struct cpu {
    /* --- hot state first --- */
    uint32_t gpr[9];       /* EAX..EDI; gpr[DEC_REG_NONE] is always 0 */
    uint32_t eip;          /* while a handler runs: EIP of the next instruction */
    uint32_t prev_eip;     /* EIP of the instruction being executed */
    struct cpu_lazy_flags lf;
    uint32_t eflags;       /* every EFLAGS bit except OSZAPC (kept in lf) */
    struct cpu_seg seg[6];
    struct mmu_tlb *tlb;
    unsigned cpl;
    uint64_t icount;       /* retired instructions: the virtual clock */
    uint64_t stop_at;      /* the run loop leaves its inner loop when icount
                              reaches this (budget end, cpu_end_trace) */

    /* --- system state --- */
    uint32_t cr[5];
    uint32_t dr[8];
    struct { uint32_t base; uint16_t limit; } gdtr, idtr;
    struct cpu_seg ldtr, tr;
    uint64_t tsc_offset;

    /* --- run state --- */
    uint64_t run_end;      /* icount at which the current cpu_run budget ends */
    bool halted;
    bool intr_line;
    bool nmi_line;
    bool nmi_pending;
    bool nmi_blocked;      /* inside an NMI handler until IRET */
    bool stop_requested;
    bool shutdown;
    uint64_t inhibit_until; /* interrupts inhibited while icount < this (STI, MOV SS shadow) */
    jmp_buf unwind;        /* cpu_exception() longjmps here */
    bool in_run;
    unsigned fault_depth;  /* for double/triple fault detection */
    uint8_t first_vector;

    /* read-modify-write: the location checked by cpu_rmw_read*() */
    struct { uint8_t *host; uint32_t seg, off; unsigned size; } rmw;

    struct cpu_exception_info last_exc;
    struct cpu_config cfg;
    struct cpu_bus_ops bus;
    struct mmu *mmu;
    struct cpu_icache *icache;
    struct cpu_stats stats;
    struct cpu_sysregs sys;
    struct cpu_x87 fpu;    /* x87 and MMX state (cpu/x87*.c, cpu/mmx.c) */

    /* --- run loop and event delivery (cpu/exec.c, cpu/interrupt.c) --- */
    uint32_t seg_mode;     /* CR0.PE | EFLAGS.VM the segments' derived fields
                              were computed for (real mode ignores access
                              rights); the loop recomputes them on change */
    uint8_t exc_vector;    /* the exception cpu_exception() is unwinding with */
    uint32_t exc_error;
    int delivering;        /* vector of the exception being delivered, or -1
                              (double-fault classification, SDM vol. 3, 6.15) */
    uint64_t events;       /* events delivered (the TF trap skips INT n) */
    uint32_t debug_trap;   /* DR6 bits (B0-B3, BS, BT) of a #DB trap to raise
                              after the current instruction: set by data
                              breakpoints, single-step and task switches
                              into a TSS with T = 1; cpu/exec.c delivers.
                              Bit 31 (fixed at 1 in DR6) is private to
                              cpu/exec.c: the MOV SS / POP SS hold */
    const struct cpu_insn *resume; /* a REP string instruction to finish with
                                      its old decoding after its own code was
                                      overwritten (cpu/exec.c) */
    struct cpu_shutdown_info shutdown_info;
};

/* ------------------------------------------------------------------ */
/* Registers                                                           */

static inline uint8_t cpu_get_r8(const struct cpu *c, unsigned r)
{
    return (uint8_t)(r < 4 ? c->gpr[r] : c->gpr[r - 4] >> 8);
}
static inline void cpu_set_r8(struct cpu *c, unsigned r, uint8_t v)
{
    if (r < 4)
        c->gpr[r] = (c->gpr[r] & 0xFFFFFF00u) | v;
    else
        c->gpr[r - 4] = (c->gpr[r - 4] & 0xFFFF00FFu) | ((uint32_t)v << 8);
}
static inline uint16_t cpu_get_r16(const struct cpu *c, unsigned r) { return (uint16_t)c->gpr[r]; }
static inline void cpu_set_r16(struct cpu *c, unsigned r, uint16_t v)
{
    c->gpr[r] = (c->gpr[r] & 0xFFFF0000u) | v;
}
static inline uint32_t cpu_get_r32(const struct cpu *c, unsigned r) { return c->gpr[r]; }
static inline void cpu_set_r32(struct cpu *c, unsigned r, uint32_t v) { c->gpr[r] = v; }

/** Effective address (offset within the segment) of the ModRM memory
 * operand, wrapped to 16 bits under 16-bit addressing. */
static inline uint32_t cpu_ea(const struct cpu *c, const struct dec_insn *d)
{
    uint32_t ea = c->gpr[d->base] + (c->gpr[d->index] << d->scale) + d->disp;
    return (d->flags & DEC_F_A32) ? ea : (ea & 0xFFFFu);
}

/** Complete EFLAGS value. */
static inline uint32_t cpu_eflags(const struct cpu *c)
{
    return (c->eflags & ~CPU_FL_OSZAPC) | flags_get_oszapc(&c->lf);
}

static inline bool cpu_protected(const struct cpu *c) { return c->cr[0] & CPU_CR0_PE; }
static inline bool cpu_v86(const struct cpu *c) { return c->eflags & CPU_FL_VM; }
/** Stack address-size mask from SS.B. */
static inline uint32_t cpu_sp_mask(const struct cpu *c)
{
    return (c->seg[CPU_SS].attr & CPU_SEG_ATTR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
}
static inline uint32_t cpu_get_sp(const struct cpu *c) { return c->gpr[CPU_ESP] & cpu_sp_mask(c); }
/** Write SP or ESP according to SS.B (upper half kept for a 16-bit stack). */
static inline void cpu_set_sp(struct cpu *c, uint32_t sp)
{
    uint32_t m = cpu_sp_mask(c);
    c->gpr[CPU_ESP] = (c->gpr[CPU_ESP] & ~m) | (sp & m);
}

/* ------------------------------------------------------------------ */
/* Exceptions and run control (cpu/exec.c, cpu/interrupt.c)            */

/** Raise an exception for the current instruction: restores EIP to the
 * instruction start and unwinds to the run loop, which delivers it.
 * error is pushed only for vectors that take one (8, 10-14, 17). */
_Noreturn void cpu_exception(struct cpu *c, unsigned vector, uint32_t error);

/** Leave the trace after the current instruction (mode changes, IF set,
 * writes to code, ...). */
static inline void cpu_end_trace(struct cpu *c) { c->stop_at = c->icount; }

/** Block interrupts (and single-step/data breakpoints) until after the next
 * instruction: STI (when IF was 0), MOV SS, POP SS. */
void cpu_inhibit_interrupts(struct cpu *c);

/** HLT: stop until an interrupt (the handler has already advanced EIP). */
void cpu_halt(struct cpu *c);

/** Software interrupt INT n / INT3 / INTO / INT1 (EIP already points past
 * the instruction). `kind` tells the delivery code what to check. */
enum cpu_int_kind { CPU_INT_SOFT, CPU_INT_INT3, CPU_INT_INTO, CPU_INT_ICEBP };
void cpu_software_interrupt(struct cpu *c, uint8_t vector, enum cpu_int_kind kind);

/** IRET / IRETD (operand size 32 when o32). */
void cpu_iret(struct cpu *c, bool o32);

/** Raise #PF for a failed translation: CR2 = the linear address. */
_Noreturn void cpu_page_fault(struct cpu *c, const struct mmu_fault *f);

/** What is being delivered through the IVT/IDT. */
enum cpu_event {
    CPU_EV_EXCEPTION, /* a fault or trap raised by the processor (EXT = 1) */
    CPU_EV_EXTERNAL,  /* INTR or NMI (EXT = 1) */
    CPU_EV_SOFT,      /* INT n, INT3, INTO: gate DPL checked (EXT = 0) */
    CPU_EV_ICEBP      /* INT1 (F1): no DPL check (EXT = 1) */
};
/** Deliver an event through the IVT (real mode) or the IDT.  EIP must be
 * the return address to push.  May raise an exception (cpu_exception). */
void cpu_deliver(struct cpu *c, unsigned vector, enum cpu_event kind, bool has_error,
                 uint32_t error);

/** Write the EFLAGS bits in `mask` (arithmetic flags go to the lazy
 * flags; bit 1 stays set).  No privilege checks: callers mask. */
static inline void cpu_write_eflags(struct cpu *c, uint32_t v, uint32_t mask)
{
    flags_put_oszapc(&c->lf, v, mask & CPU_FL_OSZAPC);
    c->eflags = (c->eflags & ~(mask & ~CPU_FL_OSZAPC)) | (v & mask & ~CPU_FL_OSZAPC) | 2u;
}

/** Change CPL: also switches the TLB set (user pages differ under paging). */
static inline void cpu_set_cpl(struct cpu *c, unsigned cpl)
{
    c->cpl = cpl;
    c->tlb = mmu_tlb_for(c->mmu, cpl == 3);
}

/* ------------------------------------------------------------------ */
/* Segments (cpu/segment.c)                                            */

/** Recompute a segment's derived fields after base/limit/attr changed. */
void cpu_seg_update(struct cpu *c, struct cpu_seg *s);
/** MOV/POP/LxS to a data or stack segment register: in real and v8086 mode
 * base = sel << 4; in protected mode the descriptor is loaded with its
 * checks (#GP/#SS/#NP with the selector as error code). */
void cpu_load_sreg(struct cpu *c, unsigned sreg, uint16_t sel);
/** Far JMP/CALL/RET target in real or virtual-8086 mode: CS = sel << 4,
 * EIP = eip after the limit check (#GP(0)); protected mode is cpu/far.c. */
void cpu_load_cs(struct cpu *c, uint16_t sel, uint32_t eip);
/** Recompute every segment's derived fields (after a mode change). */
void cpu_seg_update_all(struct cpu *c);
/** Current code segment is 32-bit (CS.D). */
static inline bool cpu_code32(const struct cpu *c) { return c->seg[CPU_CS].attr & CPU_SEG_ATTR_DB; }

/* Memory, r/m operands and the stack: cpu/cpu_mem.h */
#include "cpu/cpu_mem.h"

/* ------------------------------------------------------------------ */
/* Port I/O (cpu/io.c): permission checks (IOPL, TSS bitmap) then the bus */

uint32_t cpu_io_in(struct cpu *c, uint16_t port, unsigned size);
void cpu_io_out(struct cpu *c, uint16_t port, uint32_t v, unsigned size);

/* ------------------------------------------------------------------ */
/* Control registers (cpu/system.c): MOV CRn with its side effects       */

void cpu_write_cr0(struct cpu *c, uint32_t v);
void cpu_write_cr3(struct cpu *c, uint32_t v);
void cpu_write_cr4(struct cpu *c, uint32_t v);

/* ------------------------------------------------------------------ */
/* Handler table (cpu/handlers.c, generated from decoder/opcodes.def)   */

extern cpu_handler_fn *const cpu_handler_table[DEC_OP_COUNT];

/* Decode-time specializations: a faster handler for some forms with
 * particular operands (register r/m, a fixed operand size), or NULL to
 * use the table's.  The run loop asks when it fills the decoded cache. */
cpu_handler_fn *ctl_specialize(const struct dec_insn *d);  /* cpu/control.c */
cpu_handler_fn *alu_specialize(const struct dec_insn *d);  /* cpu/alu.c */
cpu_handler_fn *shift_specialize(const struct dec_insn *d); /* cpu/shift.c */
cpu_handler_fn *move_specialize(const struct dec_insn *d);  /* cpu/move.c */

#define DEC_OP(id, mnem, o1, o2, o3, flags, handler) cpu_handler_fn cpu_h_##handler;
#include "decoder/opcodes.def"
#undef DEC_OP

#endif
