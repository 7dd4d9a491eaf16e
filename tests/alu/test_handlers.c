/*
 * test_handlers.c - the integer handlers (cpu/alu.c muldiv.c shift.c
 * bits.c bcd.c cmpxchg.c) run one decoded instruction at a time on the
 * stand-in machine of alu_test_machine.c, against independent reference
 * models: wide arithmetic for ALU/MUL/DIV, bit-at-a-time loops written
 * from the SDM pseudo-code for shifts and rotates, decimal arithmetic for
 * the BCD adjusts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "tests/alu/alu_ref.h"
#include "tests/alu/alu_test_machine.h"

static int setup(void **state)
{
    *state = tm_create();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    tm_destroy(*state);
    return 0;
}

/* ================================================================== */
/* ADD OR ADC SBB AND SUB XOR CMP TEST                                 */

enum { K_ADD, K_OR, K_ADC, K_SBB, K_AND, K_SUB, K_XOR, K_CMP, K_TEST };

/** Reference result and flags of a two-operand ALU op. */
static uint32_t ref_alu(unsigned k, uint32_t a, uint32_t b, bool cf, unsigned bits, uint32_t *fl)
{
    uint32_t r;
    switch (k) {
    case K_ADD: *fl = ref_add(a, b, 0, bits, &r); return r;
    case K_ADC: *fl = ref_add(a, b, cf, bits, &r); return r;
    case K_SUB:
    case K_CMP: *fl = ref_sub(a, b, 0, bits, &r); return r;
    case K_SBB: *fl = ref_sub(a, b, cf, bits, &r); return r;
    case K_OR: r = (a | b) & ref_mask(bits); break;
    case K_XOR: r = (a ^ b) & ref_mask(bits); break;
    default: r = a & b & ref_mask(bits); break; /* AND, TEST */
    }
    *fl = ref_szp(r, bits);
    return r;
}

struct alu_row {
    unsigned kind;
    cpu_handler_fn *eg[3], *ge[3], *acc[3], *ei[3], *eib[3];
};

#define ALU_ROW(K, N)                                                                              \
    {                                                                                              \
        K, {cpu_h_##N##_EbGb, cpu_h_##N##_EwGw, cpu_h_##N##_EdGd},                                 \
            {cpu_h_##N##_GbEb, cpu_h_##N##_GwEw, cpu_h_##N##_GdEd},                                \
            {cpu_h_##N##_ALIb, cpu_h_##N##_AXIw, cpu_h_##N##_EAXId},                               \
            {cpu_h_##N##_EbIb, cpu_h_##N##_EwIw, cpu_h_##N##_EdId},                                \
        {                                                                                          \
            NULL, cpu_h_##N##_EwIbw, cpu_h_##N##_EdIbd                                             \
        }                                                                                          \
    }

static const struct alu_row alu_rows[] = {
    ALU_ROW(K_ADD, ADD),
    ALU_ROW(K_OR, OR),
    ALU_ROW(K_ADC, ADC),
    ALU_ROW(K_SBB, SBB),
    ALU_ROW(K_AND, AND),
    ALU_ROW(K_SUB, SUB),
    ALU_ROW(K_XOR, XOR),
    ALU_ROW(K_CMP, CMP),
    {K_TEST,
     {cpu_h_TEST_EbGb, cpu_h_TEST_EwGw, cpu_h_TEST_EdGd},
     {NULL, NULL, NULL},
     {cpu_h_TEST_ALIb, cpu_h_TEST_AXIw, cpu_h_TEST_EAXId},
     {cpu_h_TEST_EbIb, cpu_h_TEST_EwIw, cpu_h_TEST_EdId},
     {NULL, NULL, NULL}},
};

/* One ALU case in one form.  form: 0 E,G reg  1 E,G mem  2 G,E reg
 * 3 G,E mem  4 acc,imm  5 E,imm reg  6 E,imm mem  7 E,Ib reg  8 E,Ib mem. */
static void alu_case(struct tm *m, const struct alu_row *row, unsigned sz, unsigned form,
                     uint64_t *s)
{
    unsigned size = 1u << sz, bits = size * 8;
    bool writes = row->kind != K_CMP && row->kind != K_TEST;
    unsigned reg = tm_rng(s) & 7, rm = tm_rng(s) & 7;
    uint32_t addr = 0x1000 + (tm_rng(s) & 0xFF);
    uint32_t memv = tm_rng(s), imm = tm_rng(s) & ref_mask(bits);
    cpu_handler_fn *fn;
    struct dec_insn d;
    tm_randomize(m, s);
    if (tm_rng(s) & 1) /* make equal operands likely sometimes */
        memv = m->cpu.gpr[reg];
    tm_st(m, addr, memv, 4);
    uint32_t fl_in = tm_rng(s) & ALL6;
    tm_put_flags(m, fl_in);
    bool cf = fl_in & CPU_FL_CF;
    uint32_t a, b;
    int dst = -1;
    bool mem_dst = false;
    switch (form) {
    case 0:
        fn = row->eg[sz];
        d = tm_reg(reg, rm, 0);
        a = tm_rd(m, rm, size);
        b = tm_rd(m, reg, size);
        dst = (int)rm;
        break;
    case 1:
        fn = row->eg[sz];
        d = tm_mem(reg, addr, 0);
        a = memv & ref_mask(bits);
        b = tm_rd(m, reg, size);
        mem_dst = true;
        break;
    case 2:
        fn = row->ge[sz];
        d = tm_reg(reg, rm, 0);
        a = tm_rd(m, reg, size);
        b = tm_rd(m, rm, size);
        dst = (int)reg;
        break;
    case 3:
        fn = row->ge[sz];
        d = tm_mem(reg, addr, 0);
        a = tm_rd(m, reg, size);
        b = memv & ref_mask(bits);
        dst = (int)reg;
        break;
    case 4:
        fn = row->acc[sz];
        d = tm_reg(0, 0, imm);
        a = tm_rd(m, 0, size);
        b = imm;
        dst = 0;
        break;
    case 5:
        fn = row->ei[sz];
        d = tm_reg(reg, rm, imm);
        a = tm_rd(m, rm, size);
        b = imm;
        dst = (int)rm;
        break;
    case 6:
        fn = row->ei[sz];
        d = tm_mem(reg, addr, imm);
        a = memv & ref_mask(bits);
        b = imm;
        mem_dst = true;
        break;
    case 7:
    case 8:
        /* 83 /r: the decoder hands over the sign-extended imm8 */
        fn = row->eib[sz];
        imm = (uint32_t)(int32_t)(int8_t)(tm_rng(s) & 0xFF);
        d = form == 7 ? tm_reg(reg, rm, imm) : tm_mem(reg, addr, imm);
        a = form == 7 ? tm_rd(m, rm, size) : memv & ref_mask(bits);
        b = imm & ref_mask(bits);
        if (form == 7)
            dst = (int)rm;
        else
            mem_dst = true;
        break;
    default: return;
    }
    if (!fn)
        return;
    uint32_t before[8];
    memcpy(before, m->cpu.gpr, sizeof before);
    uint32_t want_fl, want = ref_alu(row->kind, a, b, cf, bits, &want_fl);
    assert_int_equal(tm_exec(m, fn, &d), -1);
    if (tm_flags(m) != want_fl)
        fail_msg("kind %u size %u form %u a=%x b=%x cf=%d: flags %03x want %03x", row->kind, size,
                 form, (unsigned)a, (unsigned)b, cf, (unsigned)tm_flags(m), (unsigned)want_fl);
    if (!writes) {
        tm_expect_regs(m, before, -1, size, 0);
        assert_int_equal(tm_ld(m, addr, 4), memv);
    } else if (mem_dst) {
        tm_expect_regs(m, before, -1, size, 0);
        assert_int_equal(tm_ld(m, addr, 4), (memv & ~ref_mask(bits)) | want);
    } else {
        tm_expect_regs(m, before, dst, size, want);
        assert_int_equal(tm_ld(m, addr, 4), memv);
    }
}

static void test_alu_binary(void **state)
{
    struct tm *m = *state;
    uint64_t s = 0x1234567887654321ULL;
    for (size_t r = 0; r < sizeof alu_rows / sizeof alu_rows[0]; r++)
        for (unsigned sz = 0; sz < 3; sz++)
            for (unsigned form = 0; form < 9; form++)
                for (unsigned n = 0; n < 300; n++)
                    alu_case(m, &alu_rows[r], sz, form, &s);
}

/* A read-only destination makes ADD/NOT fault (write fault on the read
 * half) with nothing changed; CMP, TEST and a memory source only read, so
 * they succeed. */
static void test_alu_readonly_memory(void **state)
{
    struct tm *m = *state;
    tm_st(m, 0x3000, 0x11223344, 4);
    m->read_only[3] = true;
    m->cpu.gpr[CPU_EAX] = 0x11223344;
    tm_put_flags(m, CPU_FL_CF);
    struct dec_insn d = tm_mem(CPU_EAX, 0x3000, 0);
    assert_int_equal(tm_exec(m, cpu_h_ADD_EdGd, &d), CPU_EXC_PF);
    assert_int_equal(tm_flags(m), CPU_FL_CF);
    assert_int_equal(tm_ld(m, 0x3000, 4), 0x11223344);
    assert_int_equal(tm_exec(m, cpu_h_CMP_EdGd, &d), -1);
    assert_int_equal(tm_flags(m), CPU_FL_ZF | CPU_FL_PF);
    assert_int_equal(tm_exec(m, cpu_h_TEST_EdGd, &d), -1);
    assert_int_equal(tm_exec(m, cpu_h_ADD_GdEd, &d), -1); /* memory source only */
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x22446688);
    assert_int_equal(tm_exec(m, cpu_h_NOT_Ed, &d), CPU_EXC_PF);
    m->read_only[3] = false;
}

/* INC DEC NOT NEG, register (Z and E forms) and memory. */
static void test_alu_unary(void **state)
{
    struct tm *m = *state;
    uint64_t s = 99;
    static cpu_handler_fn *const inc[3] = {cpu_h_INC_Eb, cpu_h_INC_Ew, cpu_h_INC_Ed};
    static cpu_handler_fn *const dec[3] = {cpu_h_DEC_Eb, cpu_h_DEC_Ew, cpu_h_DEC_Ed};
    static cpu_handler_fn *const not_[3] = {cpu_h_NOT_Eb, cpu_h_NOT_Ew, cpu_h_NOT_Ed};
    static cpu_handler_fn *const neg[3] = {cpu_h_NEG_Eb, cpu_h_NEG_Ew, cpu_h_NEG_Ed};
    for (unsigned n = 0; n < 4000; n++) {
        unsigned sz = n % 3, size = 1u << sz, bits = size * 8, op = (n / 3) % 4;
        bool mem = (n / 12) & 1;
        unsigned rm = tm_rng(&s) & 7;
        tm_randomize(m, &s);
        uint32_t memv = tm_rng(&s);
        if (n % 7 == 0) /* edges: 0, max, sign boundaries */
            memv = m->cpu.gpr[rm & 3] = (n & 8) ? 0x7F7F7F7Fu : 0xFFFFFFFFu;
        if (n % 11 == 0)
            memv = m->cpu.gpr[rm & 3] = (n & 16) ? 0x80808080u : 0;
        tm_st(m, 0x2000, memv, 4);
        uint32_t fl_in = tm_rng(&s) & ALL6;
        tm_put_flags(m, fl_in);
        uint32_t a = mem ? memv & ref_mask(bits) : tm_rd(m, rm, size), r, want_fl;
        cpu_handler_fn *fn;
        switch (op) {
        case 0:
            fn = inc[sz];
            want_fl = (ref_add(a, 1, 0, bits, &r) & ~CPU_FL_CF) | (fl_in & CPU_FL_CF);
            break;
        case 1:
            fn = dec[sz];
            want_fl = (ref_sub(a, 1, 0, bits, &r) & ~CPU_FL_CF) | (fl_in & CPU_FL_CF);
            break;
        case 2:
            fn = not_[sz];
            r = ~a & ref_mask(bits);
            want_fl = fl_in;
            break;
        default:
            fn = neg[sz];
            want_fl = ref_sub(0, a, 0, bits, &r);
            break;
        }
        uint32_t before[8];
        memcpy(before, m->cpu.gpr, sizeof before);
        struct dec_insn d = mem ? tm_mem(0, 0x2000, 0) : tm_reg(0, rm, 0);
        assert_int_equal(tm_exec(m, fn, &d), -1);
        assert_int_equal(tm_flags(m), want_fl);
        if (mem) {
            tm_expect_regs(m, before, -1, size, 0);
            assert_int_equal(tm_ld(m, 0x2000, 4), (memv & ~ref_mask(bits)) | r);
        } else {
            tm_expect_regs(m, before, (int)rm, size, r);
        }
        /* the Z forms of INC/DEC (16/32-bit) */
        if (!mem && sz > 0 && op < 2) {
            memcpy(m->cpu.gpr, before, sizeof before);
            tm_put_flags(m, fl_in);
            d = tm_reg(rm, 0, 0);
            cpu_handler_fn *z = op == 0 ? (sz == 1 ? cpu_h_INC_Zw : cpu_h_INC_Zd)
                                        : (sz == 1 ? cpu_h_DEC_Zw : cpu_h_DEC_Zd);
            assert_int_equal(tm_exec(m, z, &d), -1);
            assert_int_equal(tm_flags(m), want_fl);
            tm_expect_regs(m, before, (int)rm, size, r);
        }
    }
}

/* ================================================================== */
/* Shifts and rotates: bit-at-a-time reference (SDM pseudo-code, with the
 * P6 OF formulas for counts other than 1 and AF = 0 after shifts).      */

#define SHIFT_ROW(N)                                                                               \
    {                                                                                              \
        {cpu_h_##N##_EbIb, cpu_h_##N##_EwIb, cpu_h_##N##_EdIb},                                    \
            {cpu_h_##N##_EbI1, cpu_h_##N##_EwI1, cpu_h_##N##_EdI1},                                \
        {                                                                                          \
            cpu_h_##N##_EbCL, cpu_h_##N##_EwCL, cpu_h_##N##_EdCL                                   \
        }                                                                                          \
    }

static const struct {
    cpu_handler_fn *ib[3], *i1[3], *cl[3];
} shift_rows[7] = {SHIFT_ROW(ROL), SHIFT_ROW(ROR), SHIFT_ROW(RCL), SHIFT_ROW(RCR),
                   SHIFT_ROW(SHL), SHIFT_ROW(SHR), SHIFT_ROW(SAR)};

static void shift_case(struct tm *m, unsigned k, unsigned sz, uint32_t v, unsigned count,
                       uint32_t fl_in, unsigned form, bool mem)
{
    unsigned size = 1u << sz, bits = size * 8;
    uint32_t want_fl, want = ref_shift(k, v, form == 1 ? 1 : count, bits, fl_in, &want_fl);
    cpu_handler_fn *fn = form == 0   ? shift_rows[k].ib[sz]
                         : form == 1 ? shift_rows[k].i1[sz]
                                     : shift_rows[k].cl[sz];
    unsigned rm = sz == 0 ? 7 : 3; /* BH / BX / EBX */
    m->cpu.gpr[CPU_ECX] = 0xABCDEF00u | (count & 0xFF);
    m->cpu.gpr[CPU_EBX] = 0x5A5A5A5Au;
    tm_st(m, 0x2100, 0xC3C3C3C3u, 4);
    if (mem)
        tm_st(m, 0x2100, v, size);
    else
        tm_wr(m, rm, size, v);
    tm_put_flags(m, fl_in);
    uint32_t before[8];
    memcpy(before, m->cpu.gpr, sizeof before);
    unsigned writes = m->writes;
    struct dec_insn d = mem ? tm_mem(0, 0x2100, count & 0xFF) : tm_reg(0, rm, count & 0xFF);
    assert_int_equal(tm_exec(m, fn, &d), -1);
    if (tm_flags(m) != want_fl || (mem ? tm_ld(m, 0x2100, size) : tm_rd(m, rm, size)) != want)
        fail_msg("shift %u size %u v=%x count=%u cf=%u: got %x fl %03x, want %x fl %03x", k, size,
                 (unsigned)v, form == 1 ? 1 : count, (unsigned)(fl_in & 1),
                 (unsigned)(mem ? tm_ld(m, 0x2100, size) : tm_rd(m, rm, size)),
                 (unsigned)tm_flags(m), (unsigned)want, (unsigned)want_fl);
    if (mem) {
        tm_expect_regs(m, before, -1, size, 0);
        if (size < 4)
            assert_int_equal(tm_ld(m, 0x2100 + size, 4 - size),
                             0xC3C3C3C3u & ref_mask((4 - size) * 8));
        /* masked count 0: no write cycle at all */
        if (form != 1 && (count & 31) == 0)
            assert_int_equal(m->writes, writes);
    } else {
        tm_expect_regs(m, before, (int)rm, size, want);
    }
}

static void test_shift_8bit_exhaustive(void **state)
{
    struct tm *m = *state;
    for (unsigned k = 0; k < 7; k++)
        for (uint32_t v = 0; v < 256; v++)
            for (unsigned count = 0; count < 34; count++) {
                uint32_t fl = ((v + count) & 1 ? CPU_FL_CF : 0) |
                              ((v * 7 + count) & 2 ? CPU_FL_OF | CPU_FL_AF : CPU_FL_ZF);
                shift_case(m, k, 0, v, count, fl, count & 1 ? 2 : 0, (v & 3) == 1);
            }
    /* count masking: 0x20 and 0xFF */
    for (unsigned k = 0; k < 7; k++) {
        shift_case(m, k, 0, 0x81, 0x20, CPU_FL_CF | CPU_FL_SF, 2, false);
        shift_case(m, k, 0, 0x81, 0xFF, CPU_FL_CF, 0, true);
        shift_case(m, k, 0, 0x81, 1, CPU_FL_CF, 1, false);
    }
}

static void test_shift_16_32_sample(void **state)
{
    struct tm *m = *state;
    uint64_t s = 4242;
    for (unsigned k = 0; k < 7; k++)
        for (unsigned sz = 1; sz < 3; sz++)
            for (unsigned n = 0; n < 1500; n++) {
                uint32_t v = tm_rng(&s);
                unsigned count = n < 64 ? n : tm_rng(&s) & 0xFF;
                shift_case(m, k, sz, v, count, tm_rng(&s) & ALL6, n % 3, n & 4);
            }
}

/* Directed rotate-through-carry cases: counts 9 (8-bit) and 17 (16-bit)
 * leave the value and CF unchanged but set OF; counts 10 / 18 = 1. */
static void test_shift_rcl_rcr_mod(void **state)
{
    struct tm *m = *state;
    struct dec_insn d = tm_reg(0, CPU_EAX, 9);
    m->cpu.gpr[CPU_EAX] = 0x12345681;
    tm_put_flags(m, CPU_FL_CF);
    assert_int_equal(tm_exec(m, cpu_h_RCL_EbIb, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x12345681);
    assert_int_equal(tm_flags(m), CPU_FL_CF); /* OF = MSB(0x81) ^ CF = 0 */
    tm_put_flags(m, 0);
    assert_int_equal(tm_exec(m, cpu_h_RCL_EbIb, &d), -1);
    assert_int_equal(tm_flags(m), CPU_FL_OF); /* OF = 1 ^ 0 */
    d.imm = 10;                               /* = RCL 1 */
    tm_put_flags(m, CPU_FL_CF);
    assert_int_equal(tm_exec(m, cpu_h_RCL_EbIb, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x12345603);
    assert_int_equal(tm_flags(m), CPU_FL_CF | CPU_FL_OF); /* CF = old bit 7; OF = 0 ^ CF */
    d.imm = 17;
    m->cpu.gpr[CPU_EAX] = 0x12348001;
    tm_put_flags(m, 0);
    assert_int_equal(tm_exec(m, cpu_h_RCR_EwIb, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x12348001);
    assert_int_equal(tm_flags(m), CPU_FL_OF); /* bit 15 ^ bit 14 of the result */
    d.imm = 18;                               /* = RCR 1 */
    tm_put_flags(m, CPU_FL_CF);
    assert_int_equal(tm_exec(m, cpu_h_RCR_EwIb, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x1234C000);
    assert_int_equal(tm_flags(m), CPU_FL_CF); /* CF = old bit 0; OF = 1 ^ 1 */
}

/* SHLD / SHRD: reference feeding the bit stream src (then, for 16-bit
 * counts above 16, the original destination) one bit at a time. */
static uint32_t ref_shxd(bool left, uint32_t dst, uint32_t src, unsigned count, unsigned bits,
                         uint32_t fl, uint32_t *fl_out)
{
    uint32_t m = ref_mask(bits), msb = 1u << (bits - 1);
    unsigned n = count & 31;
    dst &= m;
    src &= m;
    *fl_out = fl;
    if (!n)
        return dst;
    uint64_t stream = left ? (((uint64_t)src << bits) | dst) : (((uint64_t)dst << bits) | src);
    uint32_t d = dst;
    bool cf = false;
    for (unsigned t = 0; t < n; t++) {
        if (left) {
            bool in = (stream >> (2 * bits - 1 - t)) & 1;
            cf = d & msb;
            d = ((d << 1) | in) & m;
        } else {
            bool in = (stream >> t) & 1;
            cf = d & 1;
            d = (d >> 1) | (in ? msb : 0);
        }
    }
    bool of = left ? (((d & msb) != 0) ^ cf) : (((d & msb) != 0) ^ ((d & (msb >> 1)) != 0));
    *fl_out = ref_szp(d, bits) | (cf ? CPU_FL_CF : 0) | (of ? CPU_FL_OF : 0);
    return d;
}

static void test_shld_shrd(void **state)
{
    struct tm *m = *state;
    uint64_t s = 777;
    static cpu_handler_fn *const fns[2][2][2] = {
        {{cpu_h_SHRD_EwGwIb, cpu_h_SHRD_EwGwCL}, {cpu_h_SHRD_EdGdIb, cpu_h_SHRD_EdGdCL}},
        {{cpu_h_SHLD_EwGwIb, cpu_h_SHLD_EwGwCL}, {cpu_h_SHLD_EdGdIb, cpu_h_SHLD_EdGdCL}},
    };
    for (unsigned n = 0; n < 8000; n++) {
        bool left = n & 1, d32 = n & 2, cl = n & 4, mem = n & 8;
        unsigned size = d32 ? 4 : 2, bits = size * 8;
        unsigned count = (n >> 4) & 63;
        tm_randomize(m, &s);
        uint32_t v = tm_rng(&s), fl_in = tm_rng(&s) & ALL6;
        uint32_t src = tm_rd(m, CPU_EDX, size);
        if (cl)
            tm_wr(m, CPU_ECX, 1, count);
        tm_st(m, 0x2200, v, 4);
        if (!mem)
            tm_wr(m, CPU_EBX, size, v);
        tm_put_flags(m, fl_in);
        uint32_t before[8];
        memcpy(before, m->cpu.gpr, sizeof before);
        uint32_t want_fl, want = ref_shxd(left, v, src, count, bits, fl_in, &want_fl);
        struct dec_insn d = mem ? tm_mem(CPU_EDX, 0x2200, count) : tm_reg(CPU_EDX, CPU_EBX, count);
        assert_int_equal(tm_exec(m, fns[left][d32][cl], &d), -1);
        uint32_t got = mem ? tm_ld(m, 0x2200, size) : tm_rd(m, CPU_EBX, size);
        if (got != want || tm_flags(m) != want_fl)
            fail_msg("%s%u v=%x src=%x count=%u: %x fl %03x want %x fl %03x",
                     left ? "shld" : "shrd", bits, (unsigned)v, (unsigned)src, count, (unsigned)got,
                     (unsigned)tm_flags(m), (unsigned)want, (unsigned)want_fl);
        tm_expect_regs(m, before, mem ? -1 : CPU_EBX, size, want);
    }
}

/* ================================================================== */
/* MUL IMUL DIV IDIV                                                   */

static int64_t sx(uint32_t v, unsigned bits) { return ref_signed(v, bits); }

static void test_mul_imul(void **state)
{
    struct tm *m = *state;
    uint64_t s = 31337;
    static cpu_handler_fn *const mul[3] = {cpu_h_MUL_Eb, cpu_h_MUL_Ew, cpu_h_MUL_Ed};
    static cpu_handler_fn *const imul[3] = {cpu_h_IMUL_Eb, cpu_h_IMUL_Ew, cpu_h_IMUL_Ed};
    for (unsigned n = 0; n < 6000; n++) {
        unsigned sz = n % 3, size = 1u << sz, bits = size * 8;
        bool sgn = (n / 3) & 1, mem = (n / 6) & 1;
        tm_randomize(m, &s);
        if (n % 5 == 0)
            m->cpu.gpr[CPU_EAX] &= 0xF; /* small products: CF = 0 */
        uint32_t b = tm_rng(&s);
        if (n % 5 == 0)
            b &= 0x7;
        if (n % 13 == 0)
            b = 0xFFFFFFFF; /* -1 */
        if (n % 5 == 1) {   /* products just below / above the half boundary */
            b = (b & 0xFFFF00FFu) | 0x80;
            m->cpu.gpr[CPU_EAX] =
                (m->cpu.gpr[CPU_EAX] & ~ref_mask(bits)) | ((tm_rng(&s) & 0x1FF) << (bits - 8));
            if (size == 1)
                m->cpu.gpr[CPU_EAX] &= 0xFFFFFF01u;
        }
        tm_st(m, 0x2300, b, 4);
        if (!mem)
            tm_wr(m, CPU_ESI, size, b);
        b &= ref_mask(bits);
        uint32_t a = tm_rd(m, CPU_EAX, size);
        uint64_t p;
        bool ov;
        if (sgn) {
            int64_t sp = sx(a, bits) * sx(b, bits);
            p = (uint64_t)sp;
            ov = sx((uint32_t)p, bits) != sp;
        } else {
            p = (uint64_t)a * b;
            ov = (p >> bits) != 0;
        }
        uint32_t before[8];
        memcpy(before, m->cpu.gpr, sizeof before);
        tm_put_flags(m, CPU_FL_AF);
        struct dec_insn d = mem ? tm_mem(0, 0x2300, 0) : tm_reg(0, CPU_ESI, 0);
        assert_int_equal(tm_exec(m, (sgn ? imul : mul)[sz], &d), -1);
        uint32_t lo = (uint32_t)p & ref_mask(bits);
        uint32_t want_fl = ref_szp(lo, bits) | (ov ? CPU_FL_CF | CPU_FL_OF : 0);
        assert_int_equal(tm_flags(m), want_fl);
        if (size == 1) {
            tm_expect_regs(m, before, CPU_EAX, 2, (uint32_t)p & 0xFFFF);
        } else {
            assert_int_equal(tm_rd(m, CPU_EAX, size), lo);
            assert_int_equal(tm_rd(m, CPU_EDX, size), (uint32_t)(p >> bits) & ref_mask(bits));
            assert_int_equal(m->cpu.gpr[CPU_EAX] & ~ref_mask(bits),
                             before[CPU_EAX] & ~ref_mask(bits));
            assert_int_equal(m->cpu.gpr[CPU_EDX] & ~ref_mask(bits),
                             before[CPU_EDX] & ~ref_mask(bits));
        }
    }
}

static void test_imul_2_3_operand(void **state)
{
    struct tm *m = *state;
    uint64_t s = 5150;
    for (unsigned n = 0; n < 6000; n++) {
        bool d32 = n & 1;
        unsigned form = (n >> 1) % 3; /* 0: G,E  1: G,E,imm  2: G,E,imm8 */
        unsigned size = d32 ? 4 : 2, bits = size * 8;
        tm_randomize(m, &s);
        uint32_t e = tm_rng(&s), imm = tm_rng(&s);
        if (n % 4 == 0)
            e &= 0xFF;
        if (form == 2)
            imm = (uint32_t)(int32_t)(int8_t)imm;
        else if (!d32)
            imm &= 0xFFFF;
        tm_wr(m, CPU_EBX, size, e);
        e &= ref_mask(bits);
        uint32_t other = form == 0 ? tm_rd(m, CPU_EDI, size) : imm & ref_mask(bits);
        int64_t sp = sx(e, bits) * sx(other, bits);
        uint32_t lo = (uint32_t)sp & ref_mask(bits);
        bool ov = sx(lo, bits) != sp;
        cpu_handler_fn *fn;
        if (form == 0)
            fn = d32 ? cpu_h_IMUL_GdEd : cpu_h_IMUL_GwEw;
        else if (form == 1)
            fn = d32 ? cpu_h_IMUL_GdEdId : cpu_h_IMUL_GwEwIw;
        else
            fn = d32 ? cpu_h_IMUL_GdEdIbd : cpu_h_IMUL_GwEwIbw;
        uint32_t before[8];
        memcpy(before, m->cpu.gpr, sizeof before);
        struct dec_insn d = tm_reg(CPU_EDI, CPU_EBX, imm);
        assert_int_equal(tm_exec(m, fn, &d), -1);
        tm_expect_regs(m, before, CPU_EDI, size, lo);
        assert_int_equal(tm_flags(m), ref_szp(lo, bits) | (ov ? CPU_FL_CF | CPU_FL_OF : 0));
    }
}

static void test_div_idiv(void **state)
{
    struct tm *m = *state;
    uint64_t s = 8086;
    static cpu_handler_fn *const div[3] = {cpu_h_DIV_Eb, cpu_h_DIV_Ew, cpu_h_DIV_Ed};
    static cpu_handler_fn *const idiv[3] = {cpu_h_IDIV_Eb, cpu_h_IDIV_Ew, cpu_h_IDIV_Ed};
    unsigned faults = 0, oks = 0;
    for (unsigned n = 0; n < 20000; n++) {
        unsigned sz = n % 3, size = 1u << sz, bits = size * 8;
        bool sgn = (n / 3) & 1, mem = (n / 6) & 1;
        tm_randomize(m, &s);
        uint32_t b = tm_rng(&s);
        switch ((n / 12) % 6) {
        case 0: b = 0; break;          /* #DE: divide by zero */
        case 1: b = 0xFFFFFFFF; break; /* -1: overflow for the minimum */
        case 2: b &= 0xF; break;
        default: break;
        }
        if ((n / 12) % 6 == 1 && (n & 64)) {
            /* dividend = the most negative 2n-bit value */
            if (size == 1)
                m->cpu.gpr[CPU_EAX] = (m->cpu.gpr[CPU_EAX] & 0xFFFF0000u) | 0x8000;
            else {
                tm_wr(m, CPU_EAX, size, 0);
                tm_wr(m, CPU_EDX, size, 1u << (bits - 1));
            }
        } else if (n & 32) {
            /* small high half so the quotient usually fits */
            if (size == 1)
                m->cpu.gpr[CPU_EAX] &= 0xFFFF0FFFu;
            else
                tm_wr(m, CPU_EDX, size, tm_rng(&s) & 0x3);
            if (sgn && (n & 128)) { /* negative dividends with small magnitude */
                if (size == 1)
                    m->cpu.gpr[CPU_EAX] |= 0xF000;
                else
                    tm_wr(m, CPU_EDX, size, ref_mask(bits));
            }
        }
        tm_st(m, 0x2400, b, 4);
        if (!mem)
            tm_wr(m, CPU_EBP, size, b);
        b &= ref_mask(bits);
        uint64_t dividend =
            size == 1 ? (m->cpu.gpr[CPU_EAX] & 0xFFFF)
                      : (((uint64_t)tm_rd(m, CPU_EDX, size) << bits) | tm_rd(m, CPU_EAX, size));
        bool fault;
        uint32_t q = 0, r = 0;
        if (b == 0) {
            fault = true;
        } else if (!sgn) {
            uint64_t qq = dividend / b;
            fault = (qq >> bits) != 0;
            q = (uint32_t)qq;
            r = (uint32_t)(dividend % b);
        } else {
            int64_t sd = size == 4 ? (int64_t)dividend : ref_signed((uint32_t)dividend, 2 * bits);
            int64_t sv = sx(b, bits);
            if (size == 4 && sd == INT64_MIN && sv == -1) {
                fault = true;
            } else {
                int64_t qq = sd / sv, rr = sd % sv; /* C99: truncation toward zero */
                fault = qq < -((int64_t)1 << (bits - 1)) || qq > ((int64_t)1 << (bits - 1)) - 1;
                q = (uint32_t)qq;
                r = (uint32_t)rr;
            }
        }
        uint32_t fl_in = tm_rng(&s) & ALL6;
        tm_put_flags(m, fl_in);
        uint32_t before[8];
        memcpy(before, m->cpu.gpr, sizeof before);
        struct dec_insn d = mem ? tm_mem(0, 0x2400, 0) : tm_reg(0, CPU_EBP, 0);
        int exc = tm_exec(m, (sgn ? idiv : div)[sz], &d);
        assert_int_equal(tm_flags(m), fl_in); /* undefined: left unchanged */
        if (fault) {
            faults++;
            assert_int_equal(exc, CPU_EXC_DE);
            tm_expect_regs(m, before, -1, size, 0);
        } else {
            oks++;
            assert_int_equal(exc, -1);
            if (size == 1) {
                tm_expect_regs(m, before, CPU_EAX, 2, ((r & 0xFF) << 8) | (q & 0xFF));
            } else {
                assert_int_equal(tm_rd(m, CPU_EAX, size), q & ref_mask(bits));
                assert_int_equal(tm_rd(m, CPU_EDX, size), r & ref_mask(bits));
            }
        }
    }
    /* both paths were exercised in quantity */
    assert_true(faults > 2000);
    assert_true(oks > 2000);
}

/* Directed IDIV corner cases: -128 is a valid 8-bit quotient; the
 * remainder takes the dividend's sign. */
static void test_idiv_corners(void **state)
{
    struct tm *m = *state;
    struct dec_insn d = tm_reg(0, CPU_EBX, 0);
    m->cpu.gpr[CPU_EAX] = 0xFF80; /* -128 */
    m->cpu.gpr[CPU_EBX] = 0x01;
    assert_int_equal(tm_exec(m, cpu_h_IDIV_Eb, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX] & 0xFFFF, 0x0080);
    m->cpu.gpr[CPU_EAX] = 0x0080; /* +128 / 1: overflow */
    assert_int_equal(tm_exec(m, cpu_h_IDIV_Eb, &d), CPU_EXC_DE);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x0080);
    m->cpu.gpr[CPU_EAX] = 0xFFF9; /* -7 / 2 = -3 rem -1 */
    m->cpu.gpr[CPU_EBX] = 0x02;
    assert_int_equal(tm_exec(m, cpu_h_IDIV_Eb, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX] & 0xFFFF, 0xFFFD);
    m->cpu.gpr[CPU_EAX] = 0x00000007; /* 7 / -2 = -3 rem 1 (32-bit) */
    m->cpu.gpr[CPU_EDX] = 0;
    m->cpu.gpr[CPU_EBX] = 0xFFFFFFFE;
    assert_int_equal(tm_exec(m, cpu_h_IDIV_Ed, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0xFFFFFFFD);
    assert_int_equal(m->cpu.gpr[CPU_EDX], 1);
    m->cpu.gpr[CPU_EAX] = 0; /* -2^63 / -1 */
    m->cpu.gpr[CPU_EDX] = 0x80000000;
    m->cpu.gpr[CPU_EBX] = 0xFFFFFFFF;
    assert_int_equal(tm_exec(m, cpu_h_IDIV_Ed, &d), CPU_EXC_DE);
    assert_int_equal(m->cpu.gpr[CPU_EDX], 0x80000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alu_binary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alu_readonly_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alu_unary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shift_8bit_exhaustive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shift_16_32_sample, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shift_rcl_rcr_mod, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shld_shrd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mul_imul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_imul_2_3_operand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_div_idiv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idiv_corners, setup, teardown),
    };
    int fails = cmocka_run_group_tests_name("alu_handlers", tests, NULL, NULL);
    fails += alu_handler_tests_bits();
    fails += alu_handler_tests_misc();
    return fails;
}
