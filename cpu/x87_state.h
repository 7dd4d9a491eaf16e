/*
 * x87_state.h - the x87 FPU's architectural state (SDM vol. 1, 8.1), kept
 * in struct cpu as `fpu`.  MMX registers alias the significands of the
 * physical registers R0-R7 (SDM vol. 1, 9.5).  In real and virtual-8086
 * mode FLDENV/FRSTOR load 20- or 32-bit linear pointers: they go to fip
 * and fdp with fcs = fds = 0, so that (selector << 4) + offset, what
 * FSTENV stores there, gives them back.  Included by
 * cpu_internal.h; includes nothing of the CPU's.
 */
#ifndef CPU_X87_STATE_H
#define CPU_X87_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/fpu/f80.h"

struct cpu_x87 {
    f80 r[8];      /* physical registers R0-R7 (ST(i) = R[(TOP + i) & 7]) */
    uint16_t cw;   /* control word */
    uint16_t sw;   /* status word, TOP in bits 13-11 */
    uint16_t tw;   /* full tag word: 2 bits per physical register
                      (00 valid, 01 zero, 10 special, 11 empty) */
    uint16_t fop;  /* last non-control instruction's opcode (11 bits) */
    uint32_t fip;  /* last non-control instruction: offset ... */
    uint16_t fcs;  /*  ... and CS selector */
    uint32_t fdp;  /* its memory operand: offset ... */
    uint16_t fds;  /*  ... and segment selector */
    bool ferr;     /* the FERR# output is asserted (cpu/x87.c) */
    /* FERR# listener (cpu_set_ferr_handler); kept across resets */
    void (*ferr_fn)(void *opaque, bool asserted);
    void *ferr_opaque;
};

#endif
