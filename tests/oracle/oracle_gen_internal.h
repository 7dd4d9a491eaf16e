/*
 * oracle_gen_internal.h - the generator's state and encoder, shared by
 * oracle_gen.c (random numbers, encoding, flag bookkeeping, programs) and
 * oracle_groups.c (the instruction groups).
 */
#ifndef TESTS_ORACLE_ORACLE_GEN_INTERNAL_H
#define TESTS_ORACLE_ORACLE_GEN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/oracle/oracle_gen.h"

enum {
    F_CF = 0x001, F_PF = 0x004, F_AF = 0x010, F_ZF = 0x040, F_SF = 0x080, F_OF = 0x800,
    F_ALL = F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF,
    F_SZP = F_SF | F_ZF | F_PF
};

enum { R_EAX = 0, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI };

#define GEN_MAX_GROUPS 32
#define GEN_MAX_PATCHES 32
/* Push/pop keep ESP within this many bytes of ORACLE_ESP. */
#define GEN_STACK_SLACK 0x300

struct gen {
    struct gen_prog *p;
    uint64_t rng;
    uint32_t undef;       /* flags currently undefined */
    int depth;            /* bytes pushed (ESP = ORACLE_ESP - depth) */
    unsigned reserved;    /* ESI or EDI when no group may write it (a loop counter), or 8 */
    unsigned group;       /* index of the group being emitted */
    unsigned n_groups;
    unsigned open_until;  /* groups below this index may be skipped */
    uint32_t pending[GEN_MAX_GROUPS + 1]; /* undefined flags arriving by a branch */
    uint32_t group_off[GEN_MAX_GROUPS + 1];
    struct { uint32_t pos; unsigned target; } patch[GEN_MAX_PATCHES];
    unsigned n_patches;
    bool overflow;        /* code or instruction table full */
};

/* A ModRM r/m operand: a register or an encoded memory reference. */
struct opnd {
    bool mem;
    unsigned reg;         /* register number when !mem */
    uint8_t mod, rm, sib;
    bool has_sib;
    unsigned disp_size;   /* 0, 1 or 4 */
    uint32_t disp;
    uint8_t seg_prefix;   /* 0 or 26/36/3E */
    uint32_t addr;        /* the linear address it refers to */
};

/* Random numbers (splitmix64: deterministic for a seed). */
uint32_t gen_rnd32(struct gen *g);
unsigned gen_rnd(struct gen *g, unsigned n);
bool gen_chance(struct gen *g, unsigned one_in);
/** A value with a bias toward edge cases. */
uint32_t gen_value(struct gen *g);
/** Operand size 1, 2 or 4. */
unsigned gen_size(struct gen *g);
/** A register the sequence may write: never ESP, EBP or g->reserved. */
unsigned gen_wreg(struct gen *g);
/** The same at operand size `size` (every byte register is writable). */
unsigned gen_wreg_sz(struct gen *g, unsigned size);

/* Emission: bytes, instruction boundaries, flags bookkeeping. */
void gen_byte(struct gen *g, uint8_t v);
void gen_imm(struct gen *g, uint32_t v, unsigned size);
/** An instruction starts here. */
void gen_begin(struct gen *g);
/** The instruction just emitted wrote `def` with defined values and left
 * `undef` undefined. */
void gen_end(struct gen *g, uint32_t def, uint32_t undef);
/** CMP r32, r32: defines all six arithmetic flags. */
void gen_flag_fixer(struct gen *g);
/** The next instruction reads `mask`: emit a fixer if any is undefined. */
void gen_need_flags(struct gen *g, uint32_t mask);
/** The 66h prefix for a word operation. */
void gen_opsize(struct gen *g, unsigned size);

/* Operands. */
struct opnd gen_reg_opnd(unsigned r);
/** A memory operand for `addr` in one of the EBP-based or absolute forms. */
struct opnd gen_mem_at(struct gen *g, uint32_t addr);
/** A random `size`-byte location in the data buffer. */
uint32_t gen_data_addr(struct gen *g, unsigned size);
struct opnd gen_mem(struct gen *g, unsigned size);
/** Register or memory operand; `write` excludes ESP/EBP. */
struct opnd gen_rm(struct gen *g, unsigned size, bool write);
/** Like gen_rm, and decides on a LOCK prefix (aligned memory only). */
struct opnd gen_rm_lk(struct gen *g, unsigned size, bool write, bool *lock);
/** Emit [seg] [66] [F0] opcode bytes ModRM/SIB/disp. */
void gen_emit_rm(struct gen *g, unsigned size, bool lock, const uint8_t *op, unsigned n_op,
                 unsigned regf, const struct opnd *o);

/** Operand-size dependent opcode: base for bytes, base + 1 otherwise. */
static inline uint8_t gen_wop(uint8_t base, unsigned size)
{
    return (uint8_t)(size == 1 ? base : base + 1);
}

/* Groups (oracle_groups.c). */
/** One random group at g->group. */
void gen_group(struct gen *g);
/** A final group that ends in a #DE or #UD. */
void gen_group_fault(struct gen *g);

#endif
