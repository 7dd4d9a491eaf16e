/*
 * test_specialize.c - the decode-time handler specializations
 * (ctl_specialize, alu_specialize, shift_specialize) against the generic
 * handlers of the table: for every form a specializer accepts, random
 * register, flag and immediate values must give the same registers, EIP
 * and lazy flags either way.  A register-form or memory-form operand it
 * must refuse (DEC_F_MEM, a 16-bit operand size for rel8 Jcc) is checked
 * too.  The memory forms of move_specialize are compared the same way,
 * on registers and memory, with addresses that take the TLB fast path
 * and addresses that cross a page (slow path).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_internal.h"

struct state {
    uint32_t gpr[9];
    uint32_t eip;
    struct cpu_lazy_flags lf;
};

static uint32_t rnd_next(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(*s >> 32);
}

/* Interesting 32-bit values more often than uniform ones. */
static uint32_t rnd_value(uint64_t *s)
{
    static const uint32_t edge[] = {0, 1, 2, 0x7FFFFFFFu, 0x80000000u, 0x80000001u,
                                    0xFFFFFFFFu, 0xFFFFFFFEu, 0x0000000Fu, 0x00000010u};
    uint32_t r = rnd_next(s);
    if ((r & 3) == 0)
        return edge[(r >> 2) % (sizeof(edge) / sizeof(edge[0]))];
    return rnd_next(s);
}

static void load(struct cpu *c, const struct state *st)
{
    memcpy(c->gpr, st->gpr, sizeof(st->gpr));
    c->eip = st->eip;
    c->prev_eip = st->eip - 2;
    c->lf = st->lf;
}

static void save(const struct cpu *c, struct state *st)
{
    memcpy(st->gpr, c->gpr, sizeof(st->gpr));
    st->eip = c->eip;
    st->lf = c->lf;
}

typedef cpu_handler_fn *specializer_fn(const struct dec_insn *d);

/* Every form the specializer accepts with a 32-bit register operand:
 * compare it with the table's handler.  Returns how many forms. */
static unsigned check_specializer(struct cpu *c, specializer_fn *spec, uint64_t *seed)
{
    unsigned forms = 0;
    for (unsigned op = 0; op < DEC_OP_COUNT; op++) {
        struct dec_insn d;
        memset(&d, 0, sizeof(d));
        d.op = (uint16_t)op;
        d.flags = DEC_F_O32 | DEC_F_A32;
        d.len = 2;
        d.base = DEC_REG_NONE;
        d.index = DEC_REG_NONE;
        cpu_handler_fn *fast = spec(&d);
        if (fast == NULL)
            continue;
        forms++;
        assert_true(fast != cpu_handler_table[op]);
        /* a memory operand is never specialized */
        d.flags |= DEC_F_MEM;
        if (spec == alu_specialize || spec == shift_specialize)
            assert_null(spec(&d));
        d.flags &= (uint8_t)~DEC_F_MEM;
        for (unsigned k = 0; k < 2000; k++) {
            struct state in, a, b;
            for (unsigned r = 0; r < 8; r++)
                in.gpr[r] = rnd_value(seed);
            in.gpr[DEC_REG_NONE] = 0;
            in.eip = 0x00100000u + (rnd_next(seed) & 0xFFFFu);
            in.lf.res = rnd_value(seed);
            in.lf.aux = rnd_next(seed);
            d.reg = (uint8_t)(rnd_next(seed) & 7);
            d.rm = (uint8_t)(rnd_next(seed) & 7);
            d.imm = rnd_value(seed);
            struct cpu_insn i = {cpu_handler_table[op], d, true, 0};
            load(c, &in);
            cpu_handler_table[op](c, &i);
            save(c, &a);
            i.fn = fast;
            load(c, &in);
            fast(c, &i);
            save(c, &b);
            assert_memory_equal(a.gpr, b.gpr, sizeof(a.gpr));
            assert_int_equal(a.eip, b.eip);
            assert_int_equal(a.lf.res, b.lf.res);
            assert_int_equal(a.lf.aux, b.lf.aux);
        }
    }
    return forms;
}

/* Registers and the first 64 KiB of memory after running `fn` from the
 * same starting point. */
struct mem_state {
    uint32_t gpr[9];
    uint8_t mem[0x10000];
};

static void run_mem_form(struct cpu *c, struct mmu *mmu, cpu_handler_fn *fn,
                         const struct cpu_insn *i, const uint32_t *gpr, const uint8_t *mem,
                         struct mem_state *out)
{
    memcpy(c->gpr, gpr, sizeof(c->gpr));
    uint8_t *host = mmu_phys_host(mmu, 0, true);
    assert_non_null(host);
    memcpy(host, mem, sizeof(out->mem));
    fn(c, i);
    memcpy(out->gpr, c->gpr, sizeof(out->gpr));
    memcpy(out->mem, host, sizeof(out->mem));
}

static void test_move_memory_forms_match_generic(void **state)
{
    (void)state;
    struct mmu *mmu = mmu_create(1u << 20);
    assert_non_null(mmu);
    struct cpu_config cfg = {CPU_MODEL_PENTIUM2, false};
    struct cpu_bus_ops bus = {0};
    struct cpu *c = cpu_create(mmu, &bus, &cfg);
    assert_non_null(c);
    static const uint16_t ops[] = {DEC_MOV_EdGd, DEC_MOV_GdEd, DEC_MOVZX_B_GdEb};
    static struct mem_state a, b;
    static uint8_t mem[0x10000];
    uint64_t seed = 777;
    for (unsigned k = 0; k < sizeof(mem); k++)
        mem[k] = (uint8_t)rnd_next(&seed);
    for (unsigned o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
        struct dec_insn d;
        memset(&d, 0, sizeof(d));
        d.op = ops[o];
        d.len = 3;
        d.seg = CPU_DS;
        d.base = DEC_REG_NONE;
        d.index = DEC_REG_NONE;
        /* register operands and 16-bit addressing keep the generic handler */
        d.flags = DEC_F_O32 | DEC_F_A32;
        assert_null(move_specialize(&d));
        d.flags = DEC_F_O32 | DEC_F_MEM;
        assert_null(move_specialize(&d));
        d.flags = DEC_F_O32 | DEC_F_A32 | DEC_F_MEM;
        cpu_handler_fn *fast = move_specialize(&d);
        assert_non_null(fast);
        assert_true(fast != cpu_handler_table[d.op]);
        for (unsigned k = 0; k < 300; k++) {
            uint32_t gpr[9];
            for (unsigned r = 0; r < 8; r++)
                gpr[r] = rnd_value(&seed);
            gpr[DEC_REG_NONE] = 0;
            d.reg = (uint8_t)(rnd_next(&seed) & 7);
            d.base = (uint8_t)(rnd_next(&seed) % 9);
            d.index = (uint8_t)(rnd_next(&seed) % 9);
            if (d.index == CPU_ESP)
                d.index = DEC_REG_NONE;
            d.scale = (uint8_t)(rnd_next(&seed) & 3);
            /* within DS's 64 KiB limit; every 4th one at a page end */
            uint32_t target = (k & 3) == 0 ? 0x1000u * (1 + (rnd_next(&seed) & 14)) - 1 - (k & 2)
                                           : rnd_next(&seed) & 0xFFF0u;
            d.disp = target - gpr[d.base] - (gpr[d.index] << d.scale);
            struct cpu_insn i = {cpu_handler_table[d.op], d, true, 0};
            run_mem_form(c, mmu, cpu_handler_table[d.op], &i, gpr, mem, &a);
            /* the generic handler did the move (the comparison below is
             * not between two no-ops) */
            uint32_t m32 = (uint32_t)mem[target] | ((uint32_t)mem[target + 1] << 8) |
                           ((uint32_t)mem[target + 2] << 16) | ((uint32_t)mem[target + 3] << 24);
            if (d.op == DEC_MOV_GdEd)
                assert_int_equal(a.gpr[d.reg], m32);
            else if (d.op == DEC_MOVZX_B_GdEb)
                assert_int_equal(a.gpr[d.reg], mem[target]);
            else
                assert_int_equal(a.mem[target] | (a.mem[target + 1] << 8) |
                                     ((uint32_t)a.mem[target + 2] << 16) |
                                     ((uint32_t)a.mem[target + 3] << 24),
                                 gpr[d.reg]);
            i.fn = fast;
            run_mem_form(c, mmu, fast, &i, gpr, mem, &b);
            assert_memory_equal(a.gpr, b.gpr, sizeof(a.gpr));
            assert_memory_equal(a.mem, b.mem, sizeof(a.mem));
        }
    }
    cpu_destroy(c);
    mmu_destroy(mmu);
}

static void test_specializations_match_generic(void **state)
{
    (void)state;
    struct mmu *mmu = mmu_create(1u << 20);
    assert_non_null(mmu);
    struct cpu_config cfg = {CPU_MODEL_PENTIUM2, false};
    struct cpu_bus_ops bus = {0};
    struct cpu *c = cpu_create(mmu, &bus, &cfg);
    assert_non_null(c);
    /* A flat code segment: near branches never fault. */
    c->seg[CPU_CS].limit = 0xFFFFFFFFu;
    uint64_t seed = 12345;
    assert_int_equal(check_specializer(c, ctl_specialize, &seed), 16);  /* rel8 Jcc */
    assert_int_equal(check_specializer(c, alu_specialize, &seed), 34);  /* 8 ops x 4 + TEST x 2 */
    assert_int_equal(check_specializer(c, shift_specialize, &seed), 10); /* 5 ops x 2 */
    /* rel8 Jcc under a 16-bit operand size keeps the generic handler */
    struct dec_insn d;
    memset(&d, 0, sizeof(d));
    d.op = DEC_JNE_Jb;
    assert_null(ctl_specialize(&d));
    cpu_destroy(c);
    mmu_destroy(mmu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_specializations_match_generic),
        cmocka_unit_test(test_move_memory_forms_match_generic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
