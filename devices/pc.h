/*
 * pc.h - the PC board: creates the address space, the CPU, the port bus
 * and the devices, wires the CPU's bus callbacks to them and runs the
 * machine in slices bounded by the virtual clock.
 *
 * Current devices: the 0xE9 debug console and the 0xF4 exit port.  There
 * is no interrupt controller yet.
 */
#ifndef DEVICES_PC_H
#define DEVICES_PC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"

struct pc;
struct mmu;
struct bus;
struct clock;

struct pc_config {
    uint32_t ram_size; /* bytes, a multiple of 4 KiB, 1 MiB .. 3.5 GiB */
    FILE *debugcon;    /* where port 0xE9 bytes go; NULL discards them */
    bool no_reboot;    /* a triple fault stops the run instead of resetting */
};

/** Build the board (the CPU is in its power-on state; call pc_reset()
 * after installing a reset hook and mapping the firmware).  NULL on
 * allocation failure. */
struct pc *pc_create(const struct pc_config *cfg);
void pc_destroy(struct pc *pc);

struct mmu *pc_mmu(struct pc *pc);
struct cpu *pc_cpu(struct pc *pc);
struct bus *pc_bus(struct pc *pc);
struct clock *pc_clock(struct pc *pc);

/** Called after every CPU reset (power-on and triple-fault reboots), so
 * the loader can restore shadowed firmware or its entry state. */
typedef void pc_reset_hook_fn(void *opaque, struct pc *pc);
void pc_set_reset_hook(struct pc *pc, pc_reset_hook_fn *fn, void *opaque);

/** RESET: the CPU to its power-on state, then the reset hook. */
void pc_reset(struct pc *pc);

/** Why pc_run() ended. */
enum pc_exit {
    PC_EXIT_PORT = 0,  /* the guest wrote the exit port: value */
    PC_EXIT_DEAD_HALT, /* HLT with IF = 0 and no NMI possible */
    PC_EXIT_IDLE_HALT, /* HLT with IF = 1 but no device can ever interrupt */
    PC_EXIT_BUDGET,    /* the instruction budget ran out */
    PC_EXIT_SHUTDOWN   /* triple fault with no_reboot */
};

struct pc_result {
    enum pc_exit kind;
    uint32_t value;                /* PC_EXIT_PORT: the value written */
    uint16_t cs;                   /* where the CPU stopped */
    uint32_t eip;
    uint64_t insns;                /* instructions retired by this run */
    unsigned resets;               /* triple-fault reboots during the run */
    struct cpu_exception_info exc; /* the last exception delivered */
    char shutdown[256];            /* PC_EXIT_SHUTDOWN: the fault chain, one line */
};

/** Run until the guest ends the run or `max_insns` instructions (counted
 * from this call, across reboots) have retired; 0 means no limit. */
void pc_run(struct pc *pc, uint64_t max_insns, struct pc_result *out);

#endif
