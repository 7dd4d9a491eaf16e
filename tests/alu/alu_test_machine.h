/*
 * alu_test_machine.h - a minimal stand-in for cpu/mem.c and cpu/exec.c so
 * the integer handlers can be unit-tested directly, one decoded
 * instruction at a time, on 64 KiB of flat memory.
 *
 * Every segment has access = 0, so the inline fast paths of
 * cpu_internal.h always miss and land in the slow-path functions defined
 * in alu_test_machine.c; those apply the segment limit (#GP) and a
 * per-page read-only flag (#PF with a write error code) and record the
 * exception vector before unwinding through c->unwind, as the real run
 * loop does.
 */
#ifndef TESTS_ALU_TEST_MACHINE_H
#define TESTS_ALU_TEST_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu_internal.h"

#define TM_MEM_SIZE 0x10000u
#define TM_PAGES (TM_MEM_SIZE / 4096u)

struct tm {
    struct cpu cpu; /* first member: handlers see &tm->cpu */
    uint8_t mem[TM_MEM_SIZE];
    bool read_only[TM_PAGES];
    int exc;         /* vector of the last exception, -1 if none */
    unsigned writes; /* memory write count (for "no write happened" checks) */
};

struct tm *tm_create(void);
void tm_destroy(struct tm *m);

/** Run one handler; returns the exception vector or -1. */
int tm_exec(struct tm *m, cpu_handler_fn *fn, const struct dec_insn *d);

uint32_t tm_ld(const struct tm *m, uint32_t addr, unsigned size);
void tm_st(struct tm *m, uint32_t addr, uint32_t v, unsigned size);

/** Decoded forms: register r/m, memory r/m at DS:addr (32-bit addressing). */
struct dec_insn tm_reg(unsigned reg, unsigned rm, uint32_t imm);
struct dec_insn tm_mem(unsigned reg, uint32_t addr, uint32_t imm);

/* Helpers for the test files. */
uint32_t tm_rng(uint64_t *s); /* xorshift64*: deterministic sample */
uint32_t tm_flags(const struct tm *m);
void tm_put_flags(struct tm *m, uint32_t oszapc);
/** Register by number and size (8-bit: AL CL DL BL AH CH DH BH). */
uint32_t tm_rd(const struct tm *m, unsigned r, unsigned size);
void tm_wr(struct tm *m, unsigned r, unsigned size, uint32_t v);
void tm_randomize(struct tm *m, uint64_t *s);
/** Fail unless the registers equal `before` with only register `dst`
 * (of `size`, -1 for none) replaced by `want`. */
void tm_expect_regs(const struct tm *m, const uint32_t *before, int dst, unsigned size,
                    uint32_t want);

/* Test groups of test_handlers2.c, run from test_handlers.c's main. */
int alu_handler_tests_bits(void);
int alu_handler_tests_misc(void);

#endif
