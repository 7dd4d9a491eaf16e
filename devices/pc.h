/*
 * pc.h - the PC board: creates the address space, the CPU, the port bus
 * and every chip, wires the CPU's bus callbacks and the IRQ lines, and
 * runs the machine in slices bounded by the virtual clock.
 *
 * The board is an i440FX/PIIX3-class PC.  Where each chip sits:
 *
 *   chip                      ports                 IRQ
 *   8237 DMA pair             00-0F, C0-DF, 81-8F   -
 *   8259A PIC pair, ELCR      20-21, A0-A1, 4D0-4D1 (INTR)
 *   8254 PIT                  40-43                 0
 *   8042 + PS/2 kbd, mouse    60, 64                1, 12
 *   port B (speaker, OUT2)    61                    -
 *   MC146818 RTC/CMOS         70-71                 8
 *   POST code                 80                    -
 *   port A (fast A20, reset)  92                    -
 *   x87 FERR# latch           F0                    13
 *   16550A COM1..COM4         3F8, 2F8, 3E8, 2E8    4, 3, 4, 3
 *   PCI config mechanism #1   CF8-CFF (CF9 reset)   -
 *   ACPI PM registers         600-60B               9 (SCI)
 *   Bochs shutdown port       8900                  -
 *   debug console, exit port  E9, F4                -
 *
 * A UART exists only for the serial ports given a back-end, as on QEMU.
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
struct chardev;
struct i8042;

#define PC_SERIAL_PORTS 4

/* Debug log categories (-d). */
enum {
    PC_LOG_POST = 1u << 0,  /* POST codes written to port 0x80 */
    PC_LOG_RESET = 1u << 1, /* resets and power-off requests, with their source */
    PC_LOG_IO = 1u << 2     /* every port access and interrupt acknowledge */
};

struct pc_config {
    uint32_t ram_size;   /* bytes, a multiple of 4 KiB, 1 MiB .. 3.5 GiB */
    FILE *debugcon;      /* where port 0xE9 bytes go; NULL discards them */
    bool no_reboot;      /* a triple fault or a guest reset stops the run instead of resetting */
    struct chardev *serial[PC_SERIAL_PORTS]; /* COM1..COM4 back-ends (not owned); NULL: no UART */
    int64_t rtc_start;   /* guest wall-clock time at power-on, Unix seconds */
    uint64_t ips;        /* virtual-clock ticks (instructions) per guest second; 0: default */
    FILE *log;           /* debug log (stderr usually); NULL: off */
    unsigned log_mask;   /* PC_LOG_* categories written to `log` */
};

/** Build the board (the CPU is in its power-on state; call pc_reset()
 * after installing a reset hook and mapping the firmware).  NULL on
 * allocation failure or a bad configuration. */
struct pc *pc_create(const struct pc_config *cfg);
void pc_destroy(struct pc *pc);

struct mmu *pc_mmu(struct pc *pc);
struct cpu *pc_cpu(struct pc *pc);
struct bus *pc_bus(struct pc *pc);
struct clock *pc_clock(struct pc *pc);
struct i8042 *pc_i8042(struct pc *pc);

/** Called after every CPU reset (power-on, guest reboots), so the loader
 * can restore shadowed firmware, reload a kernel or set its entry state. */
typedef void pc_reset_hook_fn(void *opaque, struct pc *pc);
void pc_set_reset_hook(struct pc *pc, pc_reset_hook_fn *fn, void *opaque);

/** Called after every CPU slice with the virtual time in ticks (the
 * frontend paces the run to host time with it under --realtime). */
typedef void pc_slice_hook_fn(void *opaque, uint64_t now);
void pc_set_slice_hook(struct pc *pc, pc_slice_hook_fn *fn, void *opaque);

/** RESET: every chip and the CPU to their power-on state (RAM and CMOS
 * contents are kept), then the reset hook. */
void pc_reset(struct pc *pc);

/** Why pc_run() ended. */
enum pc_exit {
    PC_EXIT_PORT = 0,  /* the guest wrote the exit port: value */
    PC_EXIT_DEAD_HALT, /* HLT with IF = 0 and no NMI possible */
    PC_EXIT_IDLE_HALT, /* HLT with IF = 1 but no device can ever interrupt */
    PC_EXIT_BUDGET,    /* the instruction budget ran out */
    PC_EXIT_SHUTDOWN,  /* triple fault with no_reboot */
    PC_EXIT_POWEROFF,  /* the guest powered the machine off (ACPI S5, Bochs shutdown port) */
    PC_EXIT_REBOOT,    /* the guest asked for a reset with no_reboot */
    PC_EXIT_QUIT       /* the user typed Ctrl-A x on a serial terminal */
};

struct pc_result {
    enum pc_exit kind;
    uint32_t value;                /* PC_EXIT_PORT: the value written */
    uint16_t cs;                   /* where the CPU stopped */
    uint32_t eip;
    uint64_t insns;                /* instructions retired by this run */
    uint64_t vtime;                /* virtual time at the end, in ticks */
    unsigned resets;               /* reboots during the run */
    struct cpu_exception_info exc; /* the last exception delivered */
    char shutdown[256];            /* PC_EXIT_SHUTDOWN: the fault chain; REBOOT/POWEROFF: the source */
};

/** Run until the guest ends the run or `max_insns` instructions (time
 * spent halted counts as the instructions it stands for; counted
 * from this call, across reboots) have retired; 0 means no limit. */
void pc_run(struct pc *pc, uint64_t max_insns, struct pc_result *out);

#endif
