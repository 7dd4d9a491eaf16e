/*
 * test_specialize.c - the decode-time handler specializations
 * (ctl_specialize, alu_specialize, shift_specialize) against the generic
 * handlers of the table: for every form a specializer accepts, random
 * register, flag and immediate values must give the same registers, EIP
 * and lazy flags either way.  A register-form or memory-form operand it
 * must refuse (DEC_F_MEM, a 16-bit operand size for rel8 Jcc) is checked
 * too.
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
            struct cpu_insn i = {cpu_handler_table[op], d};
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
