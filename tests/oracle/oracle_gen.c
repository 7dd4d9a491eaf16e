/*
 * oracle_gen.c - random IA-32 integer sequences that run identically on
 * the host CPU and in ringzero: random numbers, a small encoder for the
 * forms used, flag bookkeeping, and the program assembly.  The groups
 * themselves are in oracle_groups.c.
 *
 * Safety rules the sequences keep (so neither side faults by accident):
 *  - EBP holds ORACLE_EBP and is never written (ENTER/LEAVE restore it);
 *    memory operands are EBP-based (disp8/disp32, SIB with EBP as base
 *    and/or index), absolute, or use base/index registers loaded in the
 *    same group, and always land inside the compared region;
 *  - ESP changes only through PUSH/POP (and net-zero ENTER/LEAVE,
 *    PUSHAD/POPAD pairs), inside the private stack area: the generator
 *    tracks the depth;
 *  - DIV/IDIV get a divisor forced into a range and a dividend high half
 *    small enough that the quotient fits;
 *  - string instructions get ESI/EDI/ECX set in their own group, and DF is
 *    set and cleared inside that group;
 *  - branches go forward over whole groups, and no PUSH/POP sits in a group
 *    a branch may skip (the depth would depend on the path); the only
 *    backward branch closes a counted loop inside one group;
 *  - locked accesses are aligned (no split locks);
 *  - the one deliberate exception is a final group ending in #DE or #UD.
 *
 * Flag bookkeeping follows SDM vol. 2, "Flags Affected" of each
 * instruction; gen_end() records which flags an instruction defines and
 * which it leaves undefined.
 */
#include "tests/oracle/oracle_gen_internal.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Random numbers                                                      */

uint32_t gen_rnd32(struct gen *g)
{
    /* splitmix64 */
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 16);
}

unsigned gen_rnd(struct gen *g, unsigned n) { return gen_rnd32(g) % n; }
bool gen_chance(struct gen *g, unsigned one_in) { return gen_rnd(g, one_in) == 0; }

/** A value with a bias toward edge cases. */
uint32_t gen_value(struct gen *g)
{
    static const uint32_t special[] = {0,          1,          2,          0x7F,       0x80,
                                       0xFF,       0x100,      0x7FFF,     0x8000,     0xFFFF,
                                       0x10000,    0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE,
                                       0x0F,       0x09,       0x99,       0x55555555, 0xAAAAAAAA};
    switch (gen_rnd(g, 6)) {
    case 0:
        return special[gen_rnd(g, sizeof special / sizeof special[0])];
    case 1:
        return gen_rnd32(g) & 0xFF;
    case 2:
        return (uint32_t)-(int32_t)gen_rnd(g, 16);
    case 3:
        return 1u << gen_rnd(g, 32);
    default:
        return gen_rnd32(g);
    }
}

/** Operand size 1, 2 or 4. */
unsigned gen_size(struct gen *g)
{
    static const unsigned sz[] = {1, 2, 4, 4};
    return sz[gen_rnd(g, 4)];
}

/** A register the sequence may write (never ESP or EBP). */
unsigned gen_wreg(struct gen *g)
{
    static const unsigned r[] = {R_EAX, R_ECX, R_EDX, R_EBX, R_ESI, R_EDI};
    unsigned k;
    do
        k = r[gen_rnd(g, 6)];
    while (k == g->reserved);
    return k;
}

/** A register that may be written at operand size `size`: for bytes every
 * encoding is fine (4..7 are AH CH DH BH). */
unsigned gen_wreg_sz(struct gen *g, unsigned size)
{
    return size == 1 ? gen_rnd(g, 8) : gen_wreg(g);
}

/* ------------------------------------------------------------------ */
/* Emission                                                            */

void gen_byte(struct gen *g, uint8_t v)
{
    if (g->p->len >= ORACLE_MAX_CODE - 64) {
        g->overflow = true;
        return;
    }
    g->p->code[g->p->len++] = v;
}

void gen_imm(struct gen *g, uint32_t v, unsigned size)
{
    unsigned k;
    for (k = 0; k < size; k++)
        gen_byte(g, (uint8_t)(v >> (8 * k)));
}

void gen_begin(struct gen *g)
{
    if (g->p->n_insns >= GEN_MAX_INSNS) {
        g->overflow = true;
        return;
    }
    if (g->p->n_insns > 0)
        g->p->undef_after[g->p->n_insns - 1] = g->undef;
    g->p->insn_off[g->p->n_insns++] = (uint16_t)g->p->len;
}

/** An instruction ends: it wrote `def` with defined values and left
 * `undef` undefined; other flags keep their state. */
void gen_end(struct gen *g, uint32_t def, uint32_t undef)
{
    g->undef = (g->undef & ~(def | undef)) | undef;
}

/** CMP r32, r32: defines all six arithmetic flags. */
void gen_flag_fixer(struct gen *g)
{
    gen_begin(g);
    gen_byte(g, 0x39);
    gen_byte(g, (uint8_t)(0xC0 | (gen_rnd(g, 8) << 3) | gen_rnd(g, 8)));
    gen_end(g, F_ALL, 0);
}

/** The next instruction reads `mask`: make sure none of it is undefined. */
void gen_need_flags(struct gen *g, uint32_t mask)
{
    if (g->undef & mask)
        gen_flag_fixer(g);
}

void gen_opsize(struct gen *g, unsigned size)
{
    if (size == 2)
        gen_byte(g, 0x66);
}

/** Prefixes of an operand (segment override). */
static void gen_prefixes(struct gen *g, const struct opnd *o)
{
    if (o->mem && o->seg_prefix)
        gen_byte(g, o->seg_prefix);
}

static void gen_modrm(struct gen *g, unsigned regf, const struct opnd *o)
{
    if (!o->mem) {
        gen_byte(g, (uint8_t)(0xC0 | (regf << 3) | o->reg));
        return;
    }
    gen_byte(g, (uint8_t)((o->mod << 6) | (regf << 3) | o->rm));
    if (o->has_sib)
        gen_byte(g, o->sib);
    gen_imm(g, o->disp, o->disp_size);
}

struct opnd gen_reg_opnd(unsigned r)
{
    struct opnd o;
    memset(&o, 0, sizeof o);
    o.reg = r;
    return o;
}

/** A memory operand for the linear address `addr`, in one of the EBP-based
 * or absolute forms. */
struct opnd gen_mem_at(struct gen *g, uint32_t addr)
{
    struct opnd o;
    int32_t rel = (int32_t)(addr - ORACLE_EBP);
    unsigned s;
    memset(&o, 0, sizeof o);
    o.mem = true;
    o.addr = addr;
    switch (gen_rnd(g, 6)) {
    case 0: /* [ebp+disp8] or [ebp+disp32] */
    case 1:
        o.rm = 5;
        if (rel >= -128 && rel <= 127 && !gen_chance(g, 4)) {
            o.mod = 1;
            o.disp_size = 1;
        } else {
            o.mod = 2;
            o.disp_size = 4;
        }
        o.disp = (uint32_t)rel;
        break;
    case 2: /* [disp32] */
        o.mod = 0;
        o.rm = 5;
        o.disp_size = 4;
        o.disp = addr;
        break;
    case 3: /* SIB: base EBP, no index (any scale bits) */
        o.rm = 4;
        o.has_sib = true;
        o.sib = (uint8_t)((gen_rnd(g, 4) << 6) | (4 << 3) | 5);
        o.mod = (rel >= -128 && rel <= 127) ? 1 : 2;
        o.disp_size = o.mod == 1 ? 1 : 4;
        o.disp = (uint32_t)rel;
        break;
    case 4: /* SIB: no base, index EBP scaled, disp32 */
        s = gen_rnd(g, 4);
        o.rm = 4;
        o.mod = 0;
        o.has_sib = true;
        o.sib = (uint8_t)((s << 6) | (5 << 3) | 5);
        o.disp_size = 4;
        o.disp = addr - (ORACLE_EBP << s);
        break;
    default: /* SIB: base EBP + index EBP scaled */
        s = gen_rnd(g, 4);
        o.rm = 4;
        o.mod = 2;
        o.has_sib = true;
        o.sib = (uint8_t)((s << 6) | (5 << 3) | 5);
        o.disp_size = 4;
        o.disp = addr - ORACLE_EBP - (ORACLE_EBP << s);
        break;
    }
    if (gen_chance(g, 8)) {
        static const uint8_t seg[] = {0x26, 0x36, 0x3E};
        o.seg_prefix = seg[gen_rnd(g, 3)];
    }
    return o;
}

/** A random `size`-byte location in the data buffer: often near EBP so
 * disp8 forms occur, sometimes straddling the page boundary at the end of
 * the buffer (the emulator's slow, split access path). */
uint32_t gen_data_addr(struct gen *g, unsigned size)
{
    if (size > 1 && gen_chance(g, 10))
        return ORACLE_DATA + ORACLE_DATA_SIZE - 1 - gen_rnd(g, size - 1);
    if (gen_chance(g, 2))
        return ORACLE_EBP - 128 + gen_rnd(g, 256 - size);
    return ORACLE_DATA + gen_rnd(g, ORACLE_DATA_SIZE - size + 1);
}

struct opnd gen_mem(struct gen *g, unsigned size)
{
    return gen_mem_at(g, gen_data_addr(g, size));
}

/** Register or memory operand of `size`; `write` excludes ESP/EBP. */
struct opnd gen_rm(struct gen *g, unsigned size, bool write)
{
    if (gen_chance(g, 2))
        return gen_mem(g, size);
    return gen_reg_opnd(write ? gen_wreg_sz(g, size) : gen_rnd(g, 8));
}

/**
 * Like gen_rm, and decides whether the instruction gets a LOCK prefix
 * (only for a written memory operand).  A locked operand is naturally
 * aligned: a locked access split across cache lines is a bus lock, which
 * Linux traps (split-lock detection) and slows down on purpose.
 */
struct opnd gen_rm_lk(struct gen *g, unsigned size, bool write, bool *lock)
{
    *lock = false;
    if (gen_chance(g, 2))
        return gen_reg_opnd(write ? gen_wreg_sz(g, size) : gen_rnd(g, 8));
    *lock = write && gen_chance(g, 6);
    return gen_mem_at(g, gen_data_addr(g, size) & ~(*lock ? size - 1 : 0));
}

/** Emit [seg] [66] [F0] opcode bytes ModRM [imm]. */
void gen_emit_rm(struct gen *g, unsigned size, bool lock, const uint8_t *op, unsigned n_op,
                    unsigned regf, const struct opnd *o)
{
    unsigned k;
    /* Now and then a prefix that changes nothing here (SDM vol. 2,
     * 2.1.1): a segment override without a memory operand, 66h on a byte
     * operation, F2/F3 on a one-byte opcode (a repeat prefix on a
     * non-string instruction is ignored by the P6 and current CPUs; in the
     * 0F map it selects other instructions, so not there). */
    if (!o->mem && gen_chance(g, 16)) {
        static const uint8_t idle[] = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0xF2, 0xF3};
        gen_byte(g, idle[gen_rnd(g, n_op == 1 ? 8 : 6)]);
    }
    if (size == 1 && gen_chance(g, 24))
        gen_byte(g, 0x66);
    gen_prefixes(g, o);
    gen_opsize(g, size);
    if (lock && o->mem)
        gen_byte(g, 0xF0);
    for (k = 0; k < n_op; k++)
        gen_byte(g, op[k]);
    gen_modrm(g, regf, o);
}



static bool gen_try(struct gen_prog *p, uint64_t seed)
{
    struct gen g;
    unsigned k;

    memset(&g, 0, sizeof g);
    memset(p, 0, sizeof *p);
    g.p = p;
    g.rng = seed;
    g.reserved = 8;
    g.n_groups = 8 + gen_rnd(&g, 17);
    for (k = 0; k < 8; k++)
        p->regs[k] = gen_value(&g);
    p->regs[R_ESP] = ORACLE_ESP;
    p->regs[R_EBP] = ORACLE_EBP;
    p->eflags = gen_rnd32(&g) & F_ALL;
    p->mem_seed = gen_rnd32(&g);

    for (g.group = 0; g.group < g.n_groups; g.group++) {
        g.undef |= g.pending[g.group];
        g.group_off[g.group] = p->len;
        if (g.group + 1 == g.n_groups && gen_rnd(&g, 12) == 0)
            gen_group_fault(&g);
        else
            gen_group(&g);
        if (g.overflow)
            return false;
    }
    g.group_off[g.n_groups] = p->len;
    g.undef |= g.pending[g.n_groups];
    for (k = 0; k < g.n_patches; k++) {
        int32_t rel = (int32_t)g.group_off[g.patch[k].target] - (int32_t)(g.patch[k].pos + 1);
        if (rel < 0 || rel > 127)
            return false;
        p->code[g.patch[k].pos] = (uint8_t)rel;
    }
    p->undef_flags = g.undef;
    p->undef_after[p->n_insns - 1] = g.undef;
    return true;
}

void gen_program(struct gen_prog *p, uint64_t seed)
{
    uint64_t s = seed;
    /* A program that overflows its tables or a branch out of rel8 range is
     * regenerated from the next sub-seed: still deterministic. */
    while (!gen_try(p, s))
        s += 0x632BE59BD9B4E019ull;
}

void gen_truncate(const struct gen_prog *p, uint32_t last, struct gen_prog *out)
{
    uint32_t k, undef;
    *out = *p;
    /* never cut between an SMC store and the instruction it patches: the
     * store would write into the NOPs */
    if (last + 1 < p->n_insns && p->glued[last])
        last++;
    if (last + 1 >= p->n_insns)
        return;
    memset(out->code + p->insn_off[last + 1], 0x90, p->len - p->insn_off[last + 1]);
    /* A branch before the cut that was taken lands in the NOPs and brings
     * the flags state it had. */
    undef = p->undef_after[last];
    for (k = 0; k <= last; k++) {
        if (p->is_branch[k])
            undef |= p->undef_after[k];
    }
    out->undef_flags = undef;
}
