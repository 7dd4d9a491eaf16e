/*
 * oracle_gen.h - random instruction sequences for the host-CPU oracle.
 *
 * A program is a run of "groups"; a group is one instruction under test
 * plus whatever makes it safe and deterministic (a divisor forced nonzero,
 * a shift count loaded into CL, ESI/EDI/ECX for a string instruction, an
 * instruction defining flags that the next one reads).  Forward branches
 * skip whole groups, so no path can enter a group halfway; a counted loop
 * is one group.  The last group may end the run in #DE or #UD on purpose.
 *
 * The generator tracks, per arithmetic flag, whether the last instruction
 * that wrote it left it undefined (SDM vol. 2, each instruction's "Flags
 * Affected"); `undef_flags` holds the flags undefined at the end, merged
 * over every path.  Flag readers (Jcc, SETcc, ADC, LAHF, DAA, ...) never
 * see an undefined flag: a CMP that defines all six is inserted first.
 */
#ifndef TESTS_ORACLE_ORACLE_GEN_H
#define TESTS_ORACLE_ORACLE_GEN_H

#include <stdint.h>

#include "tests/oracle/oracle_proto.h"

#define GEN_MAX_INSNS 256

struct gen_prog {
    uint8_t code[ORACLE_MAX_CODE];
    uint32_t len;
    uint16_t insn_off[GEN_MAX_INSNS]; /* start of each instruction */
    uint32_t n_insns;
    uint32_t regs[8];
    uint32_t eflags;      /* initial OSZAPC */
    uint32_t mem_seed;
    uint32_t undef_flags; /* OSZAPC bits not to compare at the end */
    /* For cutting a failing program short (gen_truncate): the flags
     * undefined after each instruction on the straight-line path, and
     * which instructions are branches. */
    uint32_t undef_after[GEN_MAX_INSNS];
    uint8_t is_branch[GEN_MAX_INSNS];
    uint8_t glued[GEN_MAX_INSNS]; /* an SMC store: keep the next one with it */
};

/** Build the program for one seed (deterministic). */
void gen_program(struct gen_prog *p, uint64_t seed);

/**
 * The program cut after instruction `last` (0-based): every later
 * instruction becomes NOPs of the same length, so branch targets stay
 * valid, and undef_flags becomes what may be undefined at that point on
 * any path.  Used to find the first instruction whose result differs.
 */
void gen_truncate(const struct gen_prog *p, uint32_t last, struct gen_prog *out);

#endif
