/*
 * cpu.h - the IA-32 CPU's public seam.
 *
 * The CPU knows no device.  It sees guest memory through the MMU, port I/O
 * and interrupt acknowledge through callbacks the board installs, and an
 * INTR/NMI level.  Time is the count of retired instructions.
 */
#ifndef CPU_CPU_H
#define CPU_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cpu;
struct mmu;

enum cpu_reg { CPU_EAX = 0, CPU_ECX, CPU_EDX, CPU_EBX, CPU_ESP, CPU_EBP, CPU_ESI, CPU_EDI };
enum cpu_sreg { CPU_ES = 0, CPU_CS, CPU_SS, CPU_DS, CPU_FS, CPU_GS };

/* EFLAGS bits (SDM vol. 1, 3.4.3). */
enum {
    CPU_FL_CF = 1u << 0,
    CPU_FL_PF = 1u << 2,
    CPU_FL_AF = 1u << 4,
    CPU_FL_ZF = 1u << 6,
    CPU_FL_SF = 1u << 7,
    CPU_FL_TF = 1u << 8,
    CPU_FL_IF = 1u << 9,
    CPU_FL_DF = 1u << 10,
    CPU_FL_OF = 1u << 11,
    CPU_FL_IOPL = 3u << 12,
    CPU_FL_NT = 1u << 14,
    CPU_FL_RF = 1u << 16,
    CPU_FL_VM = 1u << 17,
    CPU_FL_AC = 1u << 18,
    CPU_FL_VIF = 1u << 19,
    CPU_FL_VIP = 1u << 20,
    CPU_FL_ID = 1u << 21
};

/* A segment register with its descriptor cache.  `attr` holds the
 * descriptor's access byte in bits 0..7 (type, S, DPL, P) and the flags
 * nibble in bits 12..15 (AVL, L, D/B, G), as in descriptor bytes 5..6. */
struct cpu_segment {
    uint16_t selector;
    uint16_t attr;
    uint32_t base;
    uint32_t limit; /* byte granular (G already applied) */
};
#define CPU_SEG_ATTR_DB 0x4000u /* D/B: 32-bit code / big stack */
#define CPU_SEG_ATTR_G 0x8000u

/* Callbacks the board installs. */
struct cpu_bus_ops {
    void *opaque;
    /* Port input/output; size is 1, 2 or 4. */
    uint32_t (*io_in)(void *opaque, uint16_t port, unsigned size);
    void (*io_out)(void *opaque, uint16_t port, uint32_t value, unsigned size);
    /* INTA cycle: returns the vector of the interrupt being acknowledged. */
    uint8_t (*intr_ack)(void *opaque);
};

/**
 * The FERR# output (SDM vol. 1, 8.7 and appendix D): asserted when a
 * waiting x87 instruction finds an unmasked exception pending while
 * CR0.NE = 0 (MS-DOS compatible error reporting), deasserted when nothing
 * is pending any more (FNINIT, FNCLEX, ...).  A PC board wires it to
 * IRQ 13 through the PIC (and port F0h to clear it).  `fn` is called on
 * every change; NULL disconnects.  Kept across cpu_reset().
 */
void cpu_set_ferr_handler(struct cpu *cpu, void (*fn)(void *opaque, bool asserted), void *opaque);

enum cpu_model {
    CPU_MODEL_PENTIUM2 = 0 /* family 6, model 5: the default */
};

struct cpu_config {
    enum cpu_model model;
    bool fpu; /* an x87 is present (cpu/x87*.c); without one every x87 instruction is #NM */
};

/* Why cpu_run returned. */
enum cpu_stop {
    CPU_STOP_BUDGET = 0,  /* executed the whole budget */
    CPU_STOP_REQUEST,     /* cpu_request_stop() was called */
    CPU_STOP_HALT,        /* HLT executed, waiting for an interrupt (IF = 1 or NMI possible) */
    CPU_STOP_DEAD_HALT,   /* HLT with IF = 0 and no NMI pending: nothing can wake it */
    CPU_STOP_SHUTDOWN     /* triple fault: the processor entered shutdown */
};

/** Create a CPU in its power-on state, attached to `mmu`.  `bus` is copied.
 * NULL on allocation failure. */
struct cpu *cpu_create(struct mmu *mmu, const struct cpu_bus_ops *bus, const struct cpu_config *cfg);
void cpu_destroy(struct cpu *cpu);

/** Power-on / RESET state (SDM vol. 3, 9.1.1): CS:EIP = F000:FFF0 with CS
 * base FFFF0000, EDX = signature, CR0 = 60000010h. */
void cpu_reset(struct cpu *cpu);

/**
 * Execute at most `budget` instructions (a REP string iteration counts as
 * one).  Returns early on HLT, shutdown or cpu_request_stop().  While
 * halted, a call returns CPU_STOP_HALT at once unless an interrupt is
 * deliverable.
 */
enum cpu_stop cpu_run(struct cpu *cpu, uint64_t budget);

/** Make the current cpu_run return after the current instruction
 * (devices call this when they raise an interrupt or need the clock). */
void cpu_request_stop(struct cpu *cpu);

/** INTR and NMI input levels.  NMI is edge-triggered on the rising edge. */
void cpu_set_intr(struct cpu *cpu, bool level);
void cpu_set_nmi(struct cpu *cpu, bool level);

/** Instructions retired since creation: the virtual clock. */
uint64_t cpu_icount(const struct cpu *cpu);

/** Time passed while the CPU was halted (the board skipped `ticks` ticks
 * of virtual time to the next device event): the TSC counts them, as a
 * real TSC keeps counting in HLT, so the TSC stays equal to virtual time. */
void cpu_advance_idle(struct cpu *cpu, uint64_t ticks);

/* Register access for loaders, tests and the debugger. */
uint32_t cpu_get_reg(const struct cpu *cpu, enum cpu_reg r);
void cpu_set_reg(struct cpu *cpu, enum cpu_reg r, uint32_t v);
uint32_t cpu_get_eip(const struct cpu *cpu);
void cpu_set_eip(struct cpu *cpu, uint32_t eip);
/** EFLAGS with the lazily evaluated arithmetic flags materialized. */
uint32_t cpu_get_eflags(const struct cpu *cpu);
/** Set all of EFLAGS (reserved bit 1 forced to 1, other reserved bits to 0). */
void cpu_set_eflags(struct cpu *cpu, uint32_t eflags);
void cpu_get_segment(const struct cpu *cpu, enum cpu_sreg s, struct cpu_segment *out);
/** Load a segment register and its descriptor cache directly (no checks). */
void cpu_set_segment(struct cpu *cpu, enum cpu_sreg s, const struct cpu_segment *seg);
/** Real-mode style load: selector, base = selector << 4, other cache fields kept. */
void cpu_set_segment_real(struct cpu *cpu, enum cpu_sreg s, uint16_t selector);
/** Control registers 0, 2, 3, 4 (others read as 0 / ignored). */
uint32_t cpu_get_cr(const struct cpu *cpu, unsigned n);
void cpu_set_cr(struct cpu *cpu, unsigned n, uint32_t v);
/** GDTR/IDTR: base and limit. */
void cpu_get_dtr(const struct cpu *cpu, bool idt, uint32_t *base, uint16_t *limit);
void cpu_set_dtr(struct cpu *cpu, bool idt, uint32_t base, uint16_t limit);

/* The last exception delivered (for reports and tests). */
struct cpu_exception_info {
    bool valid;
    uint8_t vector;
    bool has_error;
    uint32_t error;
    uint16_t cs;
    uint32_t eip; /* of the faulting instruction */
};
void cpu_last_exception(const struct cpu *cpu, struct cpu_exception_info *out);

/* Why the processor entered shutdown: every exception of the event that
 * ended in a triple fault, oldest first (the first fault, each fault raised
 * while delivering, the #DF, and the fault raised while delivering the
 * #DF), each with the CS:EIP it was raised at. */
#define CPU_SHUTDOWN_CHAIN 8
struct cpu_shutdown_info {
    bool valid;  /* the CPU is in shutdown (until cpu_reset) */
    unsigned n;  /* entries used in chain[] */
    struct cpu_exception_info chain[CPU_SHUTDOWN_CHAIN];
};
void cpu_get_shutdown_info(const struct cpu *cpu, struct cpu_shutdown_info *out);
/** The shutdown chain as one line of text ("#GP(0000) at 0008:00001000 ->
 * #DF(0000) ... -> #NP(0042) ...: triple fault"); empty when not shut down. */
void cpu_shutdown_info(const struct cpu *cpu, char *buf, size_t n);

struct cpu_stats {
    uint64_t insns;          /* retired instructions */
    uint64_t icache_hits;    /* trace lookups served from the decoded cache */
    uint64_t icache_misses;  /* trace lookups that had to decode */
    uint64_t smc_flushes;    /* decoded pages discarded by writes to code */
    uint64_t exceptions;     /* exceptions delivered */
    uint64_t interrupts;     /* external interrupts delivered */
};
void cpu_get_stats(const struct cpu *cpu, struct cpu_stats *out);

#endif
