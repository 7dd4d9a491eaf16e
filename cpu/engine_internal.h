/*
 * engine_internal.h - descriptors, privilege changes and task switches:
 * the services shared by cpu/segment.c, cpu/far.c, cpu/interrupt.c,
 * cpu/privilege.c and cpu/task.c.
 */
#ifndef CPU_ENGINE_INTERNAL_H
#define CPU_ENGINE_INTERNAL_H

#include "cpu/cpu_internal.h"

/* Descriptor access byte (attr bits 0..7), SDM vol. 3, 3.4.5. */
#define SEG_A_ACCESSED 0x01u
#define SEG_A_RW 0x02u   /* data: writable; code: readable */
#define SEG_A_EC 0x04u   /* data: expand-down; code: conforming */
#define SEG_A_CODE 0x08u
#define SEG_A_S 0x10u    /* code/data (not system) */
#define SEG_A_DPL(a) (((a) >> 5) & 3u)
#define SEG_A_P 0x80u

/* A descriptor read from the GDT/LDT. */
struct seg_desc {
    uint32_t lo, hi;
    uint32_t addr; /* linear address (for the accessed bit) */
};

/** Read the descriptor of `sel` from the GDT or LDT; false when the
 * selector is beyond the table limit (or the LDT is unusable). */
bool seg_fetch_desc(struct cpu *c, uint16_t sel, struct seg_desc *d);
/** The attr value (access byte + flags nibble) of a descriptor. */
static inline uint16_t seg_desc_attr(const struct seg_desc *d)
{
    return (uint16_t)((d->hi >> 8) & 0xF0FFu);
}
/** Fill a segment cache from a descriptor (derived fields not updated). */
void seg_from_desc(struct cpu_seg *s, uint16_t sel, const struct seg_desc *d);
/** Set the descriptor's accessed bit in memory if clear. */
void seg_set_accessed(struct cpu *c, const struct seg_desc *d);

/* System descriptor types (attr bits 0..3 with S = 0), SDM vol. 3, 3.5. */
enum {
    SEG_T_TSS16_AVAIL = 0x1, SEG_T_LDT = 0x2, SEG_T_TSS16_BUSY = 0x3, SEG_T_CALLGATE16 = 0x4,
    SEG_T_TASKGATE = 0x5, SEG_T_INTGATE16 = 0x6, SEG_T_TRAPGATE16 = 0x7,
    SEG_T_TSS32_AVAIL = 0x9, SEG_T_TSS32_BUSY = 0xB, SEG_T_CALLGATE32 = 0xC,
    SEG_T_INTGATE32 = 0xE, SEG_T_TRAPGATE32 = 0xF
};

/* ------------------------------------------------------------------ */
/* Privilege changes (cpu/privilege.c)                                  */

/** The inner stack SS:ESP for privilege level `dpl` from the current TSS
 * (16- or 32-bit by TR's type).  #TS(TR selector + ext) when the slot lies
 * beyond the TSS limit (SDM vol. 3, 6.12.1; vol. 2, CALL). */
void priv_tss_stack(struct cpu *c, unsigned dpl, uint16_t *ss, uint32_t *esp, uint32_t ext);

/** Check a new stack segment for a switch to privilege `cpl` (an inner
 * stack from the TSS): null -> #TS(ext); outside its table, RPL or DPL !=
 * cpl, or not a writable data segment -> #TS(sel + ext); not present ->
 * #SS(sel + ext).  On success fills *d and the (uncommitted) cache *s,
 * accessed bit included; nothing is written. */
void priv_check_stack_seg(struct cpu *c, uint16_t sel, unsigned cpl, uint32_t ext,
                          struct seg_desc *d, struct cpu_seg *s);

/** Check the CS popped by a far RET or IRET (SDM vol. 2, RET and IRET,
 * "PROTECTED-MODE-RETURN"): null -> #GP(0); outside its table, not code,
 * RPL < CPL, a non-conforming segment with DPL != RPL or a conforming one
 * with DPL > RPL -> #GP(sel); not present -> #NP(sel).  Fills *d. */
void priv_check_return_cs(struct cpu *c, uint16_t sel, struct seg_desc *d);

/** Check the SS popped by a return to outer privilege level `rpl` (RET,
 * IRET): null -> #GP(0); outside its table, RPL != rpl, DPL != rpl or not
 * a writable data segment -> #GP(sel); not present -> #SS(sel).  Fills *d
 * and the uncommitted cache *s. */
void priv_check_return_ss(struct cpu *c, uint16_t sel, unsigned rpl, struct seg_desc *d,
                          struct cpu_seg *s);

/** Commit a checked segment: set the descriptor's accessed bit in memory
 * and install *s as segment register `sreg`. */
void priv_commit_seg(struct cpu *c, unsigned sreg, const struct seg_desc *d,
                     const struct cpu_seg *s);

/** Commit a new CS from its checked descriptor: accessed bit, cache with
 * RPL = cpl, CPL (and the TLB set) = cpl, EIP = eip. */
void priv_commit_cs(struct cpu *c, uint16_t sel, const struct seg_desc *d, unsigned cpl,
                    uint32_t eip);

/** After a return to an outer privilege level (RET, IRET): DS, ES, FS and
 * GS holding a data or non-conforming code segment whose DPL is below the
 * new CPL are loaded with a null selector (SDM vol. 2, RET,
 * "RETURN-TO-OUTER-PRIVILEGE-LEVEL"). */
void priv_null_outer_segments(struct cpu *c);

/* ------------------------------------------------------------------ */
/* Task switches (cpu/task.c), SDM vol. 3, 7.3                          */

/** Far JMP or CALL naming a TSS descriptor or a task gate (descriptor *d,
 * already read for `sel`): all checks, then the switch. */
void task_far_transfer(struct cpu *c, uint16_t sel, const struct seg_desc *d, bool call);

/** An interrupt or exception through an IDT task gate (gate words lo/hi,
 * ext = the EXT bit for error codes); pushes `error` on the new task's
 * stack when has_error. */
void task_gate_event(struct cpu *c, uint32_t gate_lo, uint32_t gate_hi, uint32_t ext,
                     bool has_error, uint32_t error);

/** IRET with EFLAGS.NT = 1: return to the task in the back link. */
void task_iret_nested(struct cpu *c);
#endif
