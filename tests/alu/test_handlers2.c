/*
 * test_handlers2.c - bit instructions, BCD adjusts and the exchange
 * family on the stand-in machine of alu_test_machine.c.
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
/* BT BTS BTR BTC                                                      */

static cpu_handler_fn *const bt_gw[4] = {cpu_h_BT_EwGw, cpu_h_BTS_EwGw, cpu_h_BTR_EwGw,
                                         cpu_h_BTC_EwGw};
static cpu_handler_fn *const bt_gd[4] = {cpu_h_BT_EdGd, cpu_h_BTS_EdGd, cpu_h_BTR_EdGd,
                                         cpu_h_BTC_EdGd};
static cpu_handler_fn *const bt_iw[4] = {cpu_h_BT_EwIb, cpu_h_BTS_EwIb, cpu_h_BTR_EwIb,
                                         cpu_h_BTC_EwIb};
static cpu_handler_fn *const bt_id[4] = {cpu_h_BT_EdIb, cpu_h_BTS_EdIb, cpu_h_BTR_EdIb,
                                         cpu_h_BTC_EdIb};

static uint8_t bt_apply(unsigned op, uint8_t byte, unsigned bit)
{
    switch (op) {
    case 1: return (uint8_t)(byte | (1u << bit));
    case 2: return (uint8_t)(byte & ~(1u << bit));
    case 3: return (uint8_t)(byte ^ (1u << bit));
    default: return byte;
    }
}

/* Register bit offsets with a memory operand address the bit string as a
 * whole: bit `off` (signed) relative to the EA.  Checked against a byte
 * array model for every op, both sizes, offsets around the EA. */
static void test_bt_memory_bitstring(void **state)
{
    struct tm *m = *state;
    uint64_t s = 11;
    uint8_t model[0x100];
    const uint32_t base = 0x4000, ea = base + 0x80;
    for (unsigned n = 0; n < 6000; n++) {
        unsigned op = n & 3;
        bool d32 = n & 4;
        for (unsigned k = 0; k < sizeof model; k++)
            model[k] = (uint8_t)tm_rng(&s);
        for (unsigned k = 0; k < sizeof model; k++)
            m->mem[base + k] = model[k];
        int32_t off = (int32_t)(tm_rng(&s) % 0x3C0) - 0x1E0; /* within +-60 bytes */
        if (n % 17 == 0)
            off = d32 ? -1 : -32768 + 0x7FFF; /* edges: -1 and +32767 (>> 4 = 2047 words) */
        if (!d32 && (off < -0x400 || off > 0x3FF))
            off = -1;
        tm_randomize(m, &s);
        tm_wr(m, CPU_ECX, d32 ? 4 : 2, (uint32_t)off);
        uint32_t fl_in = tm_rng(&s) & ALL6;
        tm_put_flags(m, fl_in);
        uint32_t before[8];
        memcpy(before, m->cpu.gpr, sizeof before);
        /* expected: byte (ea + floor(off / 8)), bit off mod 8 */
        int32_t byte = (int32_t)(ea - base) + (off >> 3 | (off < 0 ? ~(~0u >> 3) : 0));
        unsigned bit = (unsigned)off & 7;
        bool old = (model[byte] >> bit) & 1;
        model[byte] = bt_apply(op, model[byte], bit);
        struct dec_insn d = tm_mem(CPU_ECX, ea, 0);
        assert_int_equal(tm_exec(m, (d32 ? bt_gd : bt_gw)[op], &d), -1);
        assert_int_equal(tm_flags(m), (fl_in & ~CPU_FL_CF) | (old ? CPU_FL_CF : 0));
        assert_memory_equal(&m->mem[base], model, sizeof model);
        tm_expect_regs(m, before, -1, 4, 0);
    }
}

/* Register operands and immediate offsets: offset mod the operand size. */
static void test_bt_register_and_imm(void **state)
{
    struct tm *m = *state;
    uint64_t s = 12;
    for (unsigned n = 0; n < 8000; n++) {
        unsigned op = n & 3;
        bool d32 = n & 4, imm = n & 8, mem = n & 16;
        unsigned size = d32 ? 4 : 2, bits = size * 8;
        tm_randomize(m, &s);
        uint32_t v = tm_rng(&s), offv = tm_rng(&s) & 0xFF;
        tm_st(m, 0x5000, v, 4);
        if (mem && !imm)
            offv &= bits - 1; /* keep a register offset inside the operand here */
        if (!imm)
            tm_wr(m, CPU_EDX, size, offv);
        uint32_t fl_in = tm_rng(&s) & ALL6;
        tm_put_flags(m, fl_in);
        unsigned bit = offv & (bits - 1);
        uint32_t orig = mem ? v & ref_mask(bits) : tm_rd(m, CPU_ESI, size);
        uint32_t want = orig;
        if (op == 1)
            want |= 1u << bit;
        else if (op == 2)
            want &= ~(1u << bit);
        else if (op == 3)
            want ^= 1u << bit;
        uint32_t before[8];
        memcpy(before, m->cpu.gpr, sizeof before);
        struct dec_insn d = mem ? tm_mem(CPU_EDX, 0x5000, offv) : tm_reg(CPU_EDX, CPU_ESI, offv);
        cpu_handler_fn *fn = imm ? (d32 ? bt_id : bt_iw)[op] : (d32 ? bt_gd : bt_gw)[op];
        assert_int_equal(tm_exec(m, fn, &d), -1);
        assert_int_equal(tm_flags(m), (fl_in & ~CPU_FL_CF) | (((orig >> bit) & 1) ? CPU_FL_CF : 0));
        if (mem) {
            assert_int_equal(tm_ld(m, 0x5000, 4), (v & ~ref_mask(bits)) | want);
            tm_expect_regs(m, before, -1, size, 0);
        } else {
            tm_expect_regs(m, before, CPU_ESI, size, want);
        }
    }
}

/* 16-bit addressing: EA + 2 * (offset SAR 4) wraps at 64 KiB. */
static void test_bt_negative_offset_a16(void **state)
{
    struct tm *m = *state;
    memset(m->mem, 0, 0x100);
    memset(&m->mem[0xFF00], 0, 0x100);
    m->mem[0xFFFE] = 0x80;
    m->mem[0xFFFF] = 0x80;        /* bit 15 of the word at FFFE */
    m->cpu.gpr[CPU_EAX] = 0xFFFF; /* offset -1: word at EA - 2, bit 15 */
    struct dec_insn d = tm_mem(CPU_EAX, 0x0000, 0);
    d.flags &= (uint8_t)~DEC_F_A32;
    tm_put_flags(m, 0);
    assert_int_equal(tm_exec(m, cpu_h_BTR_EwGw, &d), -1);
    assert_int_equal(tm_flags(m), CPU_FL_CF);
    assert_int_equal(m->mem[0xFFFF], 0x00);
    assert_int_equal(m->mem[0xFFFE], 0x80);
    /* 32-bit: offset -1 with a 32-bit register reads the dword at EA - 4 */
    m->cpu.gpr[CPU_EAX] = 0xFFFFFFFF;
    d = tm_mem(CPU_EAX, 0xFF04, 0);
    assert_int_equal(tm_exec(m, cpu_h_BTC_EdGd, &d), -1);
    assert_int_equal(tm_flags(m), 0);
    assert_int_equal(tm_ld(m, 0xFF00, 4), 0x80000000u);
}

/* ================================================================== */
/* BSF BSR BSWAP                                                       */

static void test_bsf_bsr(void **state)
{
    struct tm *m = *state;
    uint64_t s = 13;
    for (unsigned n = 0; n < 4000; n++) {
        bool rev = n & 1, d32 = n & 2, mem = n & 4;
        unsigned size = d32 ? 4 : 2, bits = size * 8;
        tm_randomize(m, &s);
        uint32_t v = tm_rng(&s);
        if (n % 3 == 0)
            v &= tm_rng(&s) & tm_rng(&s) & tm_rng(&s);
        if (n % 11 == 0)
            v = 0;
        if (n % 13 == 0)
            v = 0xFFFF0000u; /* zero as a 16-bit source */
        tm_st(m, 0x5100, v, 4);
        tm_wr(m, CPU_EBX, size, v);
        v &= ref_mask(bits);
        uint32_t fl_in = tm_rng(&s) & ALL6;
        tm_put_flags(m, fl_in);
        uint32_t before[8];
        memcpy(before, m->cpu.gpr, sizeof before);
        struct dec_insn d = mem ? tm_mem(CPU_EDI, 0x5100, 0) : tm_reg(CPU_EDI, CPU_EBX, 0);
        cpu_handler_fn *fn =
            rev ? (d32 ? cpu_h_BSR_GdEd : cpu_h_BSR_GwEw) : (d32 ? cpu_h_BSF_GdEd : cpu_h_BSF_GwEw);
        assert_int_equal(tm_exec(m, fn, &d), -1);
        if (v == 0) {
            /* undefined flags as Intel hardware: PF = 1, the rest 0 */
            assert_int_equal(tm_flags(m), CPU_FL_ZF | CPU_FL_PF);
            tm_expect_regs(m, before, -1, size, 0);
        } else {
            int idx = -1;
            for (unsigned k = 0; k < bits; k++)
                if ((v >> k) & 1) {
                    if (rev || idx < 0)
                        idx = (int)k;
                }
            /* ZF = 0; undefined flags as Intel hardware: PF from the index */
            assert_int_equal(tm_flags(m), ref_szp((uint32_t)idx, 8) & CPU_FL_PF);
            tm_expect_regs(m, before, CPU_EDI, size, (uint32_t)idx);
        }
    }
}

static void test_bswap(void **state)
{
    struct tm *m = *state;
    m->cpu.gpr[CPU_EBP] = 0x11223344;
    struct dec_insn d = tm_reg(CPU_EBP, 0, 0);
    assert_int_equal(tm_exec(m, cpu_h_BSWAP_Zd, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EBP], 0x44332211);
    assert_int_equal(tm_exec(m, cpu_h_BSWAP_Zw, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EBP], 0x44330000); /* P6: low word cleared */
}

/* ================================================================== */
/* SETcc / CMOVcc                                                      */

static cpu_handler_fn *const setcc[16] = {
    cpu_h_SETO_Eb,  cpu_h_SETNO_Eb, cpu_h_SETB_Eb,  cpu_h_SETAE_Eb, cpu_h_SETE_Eb, cpu_h_SETNE_Eb,
    cpu_h_SETBE_Eb, cpu_h_SETA_Eb,  cpu_h_SETS_Eb,  cpu_h_SETNS_Eb, cpu_h_SETP_Eb, cpu_h_SETNP_Eb,
    cpu_h_SETL_Eb,  cpu_h_SETGE_Eb, cpu_h_SETLE_Eb, cpu_h_SETG_Eb};
static cpu_handler_fn *const cmovw[16] = {
    cpu_h_CMOVO_GwEw, cpu_h_CMOVNO_GwEw, cpu_h_CMOVB_GwEw,  cpu_h_CMOVAE_GwEw,
    cpu_h_CMOVE_GwEw, cpu_h_CMOVNE_GwEw, cpu_h_CMOVBE_GwEw, cpu_h_CMOVA_GwEw,
    cpu_h_CMOVS_GwEw, cpu_h_CMOVNS_GwEw, cpu_h_CMOVP_GwEw,  cpu_h_CMOVNP_GwEw,
    cpu_h_CMOVL_GwEw, cpu_h_CMOVGE_GwEw, cpu_h_CMOVLE_GwEw, cpu_h_CMOVG_GwEw};
static cpu_handler_fn *const cmovd[16] = {
    cpu_h_CMOVO_GdEd, cpu_h_CMOVNO_GdEd, cpu_h_CMOVB_GdEd,  cpu_h_CMOVAE_GdEd,
    cpu_h_CMOVE_GdEd, cpu_h_CMOVNE_GdEd, cpu_h_CMOVBE_GdEd, cpu_h_CMOVA_GdEd,
    cpu_h_CMOVS_GdEd, cpu_h_CMOVNS_GdEd, cpu_h_CMOVP_GdEd,  cpu_h_CMOVNP_GdEd,
    cpu_h_CMOVL_GdEd, cpu_h_CMOVGE_GdEd, cpu_h_CMOVLE_GdEd, cpu_h_CMOVG_GdEd};

/* Condition truth table written out independently of flags_cond. */
static bool cc_truth(unsigned cc, uint32_t f)
{
    bool cf = f & CPU_FL_CF, pf = f & CPU_FL_PF, zf = f & CPU_FL_ZF, sf = f & CPU_FL_SF,
         of = f & CPU_FL_OF;
    static const char *const names[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                          "s", "ns", "p", "np", "l", "ge", "le", "g"};
    const char *nm = names[cc];
    if (!strcmp(nm, "o"))
        return of;
    if (!strcmp(nm, "no"))
        return !of;
    if (!strcmp(nm, "b"))
        return cf;
    if (!strcmp(nm, "ae"))
        return !cf;
    if (!strcmp(nm, "e"))
        return zf;
    if (!strcmp(nm, "ne"))
        return !zf;
    if (!strcmp(nm, "be"))
        return cf || zf;
    if (!strcmp(nm, "a"))
        return !cf && !zf;
    if (!strcmp(nm, "s"))
        return sf;
    if (!strcmp(nm, "ns"))
        return !sf;
    if (!strcmp(nm, "p"))
        return pf;
    if (!strcmp(nm, "np"))
        return !pf;
    if (!strcmp(nm, "l"))
        return sf != of;
    if (!strcmp(nm, "ge"))
        return sf == of;
    if (!strcmp(nm, "le"))
        return zf || sf != of;
    return !zf && sf == of;
}

static void test_setcc_cmovcc(void **state)
{
    struct tm *m = *state;
    uint64_t s = 14;
    for (unsigned cc = 0; cc < 16; cc++)
        for (unsigned v = 0; v < 64; v++) {
            uint32_t f = ((v & 1) ? CPU_FL_CF : 0) | ((v & 2) ? CPU_FL_PF : 0) |
                         ((v & 4) ? CPU_FL_AF : 0) | ((v & 8) ? CPU_FL_ZF : 0) |
                         ((v & 16) ? CPU_FL_SF : 0) | ((v & 32) ? CPU_FL_OF : 0);
            bool t = cc_truth(cc, f);
            /* SETcc register (AH) and memory */
            tm_randomize(m, &s);
            tm_put_flags(m, f);
            uint32_t before[8];
            memcpy(before, m->cpu.gpr, sizeof before);
            struct dec_insn d = tm_reg(0, 4, 0);
            assert_int_equal(tm_exec(m, setcc[cc], &d), -1);
            tm_expect_regs(m, before, 4, 1, t);
            tm_st(m, 0x5200, 0xA5A5A5A5u, 4);
            d = tm_mem(0, 0x5200, 0);
            assert_int_equal(tm_exec(m, setcc[cc], &d), -1);
            assert_int_equal(tm_ld(m, 0x5200, 4), 0xA5A5A500u | t);
            assert_int_equal(tm_flags(m), f);
            /* CMOVcc 16 and 32, memory source */
            uint32_t src = tm_rng(&s);
            tm_st(m, 0x5200, src, 4);
            d = tm_mem(CPU_ESI, 0x5200, 0);
            memcpy(before, m->cpu.gpr, sizeof before);
            assert_int_equal(tm_exec(m, cmovw[cc], &d), -1);
            tm_expect_regs(m, before, t ? CPU_ESI : -1, 2, src);
            memcpy(before, m->cpu.gpr, sizeof before);
            assert_int_equal(tm_exec(m, cmovd[cc], &d), -1);
            tm_expect_regs(m, before, t ? CPU_ESI : -1, 4, src);
            assert_int_equal(tm_flags(m), f);
            /* the source is read (and faults) even when the condition is false */
            d = tm_mem(CPU_ESI, 0xFFFE, 0);
            memcpy(before, m->cpu.gpr, sizeof before);
            assert_int_equal(tm_exec(m, cmovd[cc], &d), CPU_EXC_GP);
            tm_expect_regs(m, before, -1, 4, 0);
            d = tm_mem(CPU_ESI, 0xFFFF, 0);
            assert_int_equal(tm_exec(m, cmovw[cc], &d), CPU_EXC_GP);
            tm_expect_regs(m, before, -1, 4, 0);
        }
}

int alu_handler_tests_bits(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bt_memory_bitstring, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bt_register_and_imm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bt_negative_offset_a16, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bsf_bsr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bswap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_setcc_cmovcc, setup, teardown),
    };
    return cmocka_run_group_tests_name("alu_bits", tests, NULL, NULL);
}

/* ================================================================== */
/* BCD                                                                 */

static unsigned bcd(unsigned v) { return ((v / 10) << 4) | (v % 10); }

static void run_op(struct tm *m, cpu_handler_fn *fn, uint32_t imm)
{
    struct dec_insn d = tm_reg(0, 0, imm);
    assert_int_equal(tm_exec(m, fn, &d), -1);
}

/* ADD/ADC then DAA gives the packed-BCD sum for every pair of BCD bytes,
 * SUB/SBB then DAS the packed-BCD difference, with CF the decimal carry or
 * borrow (SDM vol. 2, DAA/DAS: CF set on a decimal carry/borrow). */
static void test_daa_das_decimal(void **state)
{
    struct tm *m = *state;
    for (unsigned a = 0; a < 100; a++)
        for (unsigned b = 0; b < 100; b++)
            for (unsigned cin = 0; cin < 2; cin++) {
                m->cpu.gpr[CPU_EAX] = 0x12345600u | bcd(a);
                m->cpu.gpr[CPU_EBX] = bcd(b);
                tm_put_flags(m, cin ? CPU_FL_CF : 0);
                struct dec_insn d = tm_reg(CPU_EBX, CPU_EAX, 0);
                assert_int_equal(tm_exec(m, cpu_h_ADC_EbGb, &d), -1);
                run_op(m, cpu_h_DAA, 0);
                unsigned sum = a + b + cin;
                assert_int_equal(m->cpu.gpr[CPU_EAX], 0x12345600u | bcd(sum % 100));
                assert_int_equal(flags_cf(&m->cpu.lf), sum >= 100);
                assert_int_equal(flags_zf(&m->cpu.lf), sum % 100 == 0);
                assert_int_equal(tm_flags(m) & (CPU_FL_SF | CPU_FL_PF),
                                 ref_szp(bcd(sum % 100), 8) & (CPU_FL_SF | CPU_FL_PF));

                m->cpu.gpr[CPU_EAX] = 0x12345600u | bcd(a);
                tm_put_flags(m, cin ? CPU_FL_CF : 0);
                assert_int_equal(tm_exec(m, cpu_h_SBB_EbGb, &d), -1);
                run_op(m, cpu_h_DAS, 0);
                int diff = (int)a - (int)b - (int)cin;
                assert_int_equal(m->cpu.gpr[CPU_EAX],
                                 0x12345600u | bcd((unsigned)(diff + 100) % 100));
                assert_int_equal(flags_cf(&m->cpu.lf), diff < 0);
                assert_int_equal(flags_zf(&m->cpu.lf), diff == 0 || diff == -100);
            }
}

/* The examples of SDM vol. 2, DAA and DAS. */
static void test_daa_das_sdm_examples(void **state)
{
    struct tm *m = *state;
    /* ADD AL, BL: 79h + 35h = AEh; DAA -> 14h, CF = AF = 1, PF = 1 */
    m->cpu.gpr[CPU_EAX] = 0x79;
    m->cpu.gpr[CPU_EBX] = 0x35;
    struct dec_insn d = tm_reg(CPU_EBX, CPU_EAX, 0);
    assert_int_equal(tm_exec(m, cpu_h_ADD_EbGb, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0xAE);
    run_op(m, cpu_h_DAA, 0);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x14);
    assert_int_equal(tm_flags(m) & ~CPU_FL_OF, CPU_FL_AF | CPU_FL_PF | CPU_FL_CF);
    /* SUB AL, BL: 35h - 47h = EEh (S A P C); DAS -> 88h, S A P C */
    m->cpu.gpr[CPU_EAX] = 0x35;
    m->cpu.gpr[CPU_EBX] = 0x47;
    assert_int_equal(tm_exec(m, cpu_h_SUB_EbGb, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0xEE);
    assert_int_equal(tm_flags(m) & ~CPU_FL_OF, CPU_FL_SF | CPU_FL_AF | CPU_FL_PF | CPU_FL_CF);
    run_op(m, cpu_h_DAS, 0);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x88);
    assert_int_equal(tm_flags(m) & ~CPU_FL_OF, CPU_FL_SF | CPU_FL_AF | CPU_FL_PF | CPU_FL_CF);
    /* DAS: the borrow of AL - 6 sets CF even without the second step */
    m->cpu.gpr[CPU_EAX] = 0x03;
    tm_put_flags(m, CPU_FL_AF);
    run_op(m, cpu_h_DAS, 0);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0xFD);
    assert_true(flags_cf(&m->cpu.lf));
}

/* AAA/AAS after adding/subtracting unpacked digits; AAM/AAD. */
static void test_aaa_aas_aam_aad(void **state)
{
    struct tm *m = *state;
    for (unsigned a = 0; a < 10; a++)
        for (unsigned b = 0; b < 10; b++)
            for (unsigned hi = 0; hi < 3; hi++) {
                unsigned ah = hi * 0x7F; /* 0, 7F, FE */
                m->cpu.gpr[CPU_EAX] = 0xCAFE0000u | (ah << 8) | a;
                m->cpu.gpr[CPU_EBX] = b;
                struct dec_insn d = tm_reg(CPU_EBX, CPU_EAX, 0);
                assert_int_equal(tm_exec(m, cpu_h_ADD_EbGb, &d), -1);
                run_op(m, cpu_h_AAA, 0);
                unsigned sum = a + b;
                assert_int_equal(m->cpu.gpr[CPU_EAX],
                                 0xCAFE0000u | (((ah + (sum >= 10)) & 0xFF) << 8) | (sum % 10));
                assert_int_equal(flags_cf(&m->cpu.lf), sum >= 10);
                assert_int_equal(flags_af(&m->cpu.lf), sum >= 10);

                m->cpu.gpr[CPU_EAX] = 0xCAFE0000u | (ah << 8) | a;
                assert_int_equal(tm_exec(m, cpu_h_SUB_EbGb, &d), -1);
                run_op(m, cpu_h_AAS, 0);
                int diff = (int)a - (int)b;
                assert_int_equal(m->cpu.gpr[CPU_EAX], 0xCAFE0000u |
                                                          (((ah - (diff < 0)) & 0xFF) << 8) |
                                                          (unsigned)((diff + 10) % 10));
                assert_int_equal(flags_cf(&m->cpu.lf), diff < 0);
            }
    /* ASCII digits: '9' + '9' -> AAA gives 0108h */
    m->cpu.gpr[CPU_EAX] = 0x0039;
    m->cpu.gpr[CPU_EBX] = 0x39;
    struct dec_insn d = tm_reg(CPU_EBX, CPU_EAX, 0);
    assert_int_equal(tm_exec(m, cpu_h_ADD_EbGb, &d), -1);
    run_op(m, cpu_h_AAA, 0);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x0108);
    /* AAM / AAD with base 10 and another base, every AL */
    for (unsigned base = 7; base <= 10; base += 3)
        for (unsigned al = 0; al < 256; al++) {
            m->cpu.gpr[CPU_EAX] = 0xBEEF5500u | al;
            run_op(m, cpu_h_AAM_Ib, base);
            assert_int_equal(m->cpu.gpr[CPU_EAX], 0xBEEF0000u | ((al / base) << 8) | (al % base));
            assert_int_equal(tm_flags(m) & (CPU_FL_SF | CPU_FL_ZF | CPU_FL_PF),
                             ref_szp(al % base, 8));
            run_op(m, cpu_h_AAD_Ib, base);
            assert_int_equal(m->cpu.gpr[CPU_EAX], 0xBEEF0000u | al);
            assert_int_equal(tm_flags(m) & (CPU_FL_SF | CPU_FL_ZF | CPU_FL_PF), ref_szp(al, 8));
        }
    /* AAM 0 -> #DE, nothing changed */
    m->cpu.gpr[CPU_EAX] = 0x1234;
    tm_put_flags(m, CPU_FL_OF);
    d = tm_reg(0, 0, 0);
    assert_int_equal(tm_exec(m, cpu_h_AAM_Ib, &d), CPU_EXC_DE);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x1234);
    assert_int_equal(tm_flags(m), CPU_FL_OF);
    /* SALC */
    tm_put_flags(m, CPU_FL_CF);
    run_op(m, cpu_h_SALC, 0);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x12FF);
    tm_put_flags(m, CPU_FL_ZF);
    run_op(m, cpu_h_SALC, 0);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x1200);
    assert_int_equal(tm_flags(m), CPU_FL_ZF);
}

/* ================================================================== */
/* XADD CMPXCHG CMPXCHG8B                                              */

static void test_xadd(void **state)
{
    struct tm *m = *state;
    uint32_t r;
    m->cpu.gpr[CPU_EBX] = 0x7FFFFFFF;
    tm_st(m, 0x6000, 0x00000001, 4);
    struct dec_insn d = tm_mem(CPU_EBX, 0x6000, 0);
    assert_int_equal(tm_exec(m, cpu_h_XADD_EdGd, &d), -1);
    assert_int_equal(tm_ld(m, 0x6000, 4), 0x80000000u);
    assert_int_equal(m->cpu.gpr[CPU_EBX], 1);
    assert_int_equal(tm_flags(m), ref_add(1, 0x7FFFFFFF, 0, 32, &r));
    /* register form, 8-bit high registers: XADD AH, BH */
    m->cpu.gpr[CPU_EAX] = 0x0000F000;
    m->cpu.gpr[CPU_EBX] = 0x00002000;
    d = tm_reg(7, 4, 0);
    assert_int_equal(tm_exec(m, cpu_h_XADD_EbGb, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x00001000);
    assert_int_equal(m->cpu.gpr[CPU_EBX], 0x0000F000);
    assert_true(flags_cf(&m->cpu.lf));
    /* same register: the destination (the sum) wins */
    m->cpu.gpr[CPU_ECX] = 0x1234;
    d = tm_reg(CPU_ECX, CPU_ECX, 0);
    assert_int_equal(tm_exec(m, cpu_h_XADD_EwGw, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_ECX], 0x2468);
}

static void test_cmpxchg(void **state)
{
    struct tm *m = *state;
    uint32_t r;
    /* equal: dest = src, ZF = 1 */
    m->cpu.gpr[CPU_EAX] = 0x11111111;
    m->cpu.gpr[CPU_ECX] = 0x22222222;
    tm_st(m, 0x6100, 0x11111111, 4);
    struct dec_insn d = tm_mem(CPU_ECX, 0x6100, 0);
    assert_int_equal(tm_exec(m, cpu_h_CMPXCHG_EdGd, &d), -1);
    assert_int_equal(tm_ld(m, 0x6100, 4), 0x22222222);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x11111111);
    assert_int_equal(tm_flags(m), CPU_FL_ZF | CPU_FL_PF);
    /* not equal: accumulator = dest, the destination is rewritten */
    unsigned w = m->writes;
    assert_int_equal(tm_exec(m, cpu_h_CMPXCHG_EdGd, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x22222222);
    assert_int_equal(tm_ld(m, 0x6100, 4), 0x22222222);
    assert_int_equal(m->writes, w + 1);
    assert_int_equal(tm_flags(m), ref_sub(0x11111111, 0x22222222, 0, 32, &r));
    /* a read-only destination faults on the failing path too, no change */
    m->read_only[6] = true;
    m->cpu.gpr[CPU_EAX] = 0x5;
    tm_put_flags(m, CPU_FL_OF);
    assert_int_equal(tm_exec(m, cpu_h_CMPXCHG_EdGd, &d), CPU_EXC_PF);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x5);
    assert_int_equal(tm_flags(m), CPU_FL_OF);
    m->read_only[6] = false;
    /* 16-bit register form, both paths; 8-bit with AH/CH */
    m->cpu.gpr[CPU_EAX] = 0xAAAA1234;
    m->cpu.gpr[CPU_EDX] = 0xBBBB1234;
    m->cpu.gpr[CPU_EBX] = 0xCCCC5678;
    d = tm_reg(CPU_EBX, CPU_EDX, 0);
    assert_int_equal(tm_exec(m, cpu_h_CMPXCHG_EwGw, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EDX], 0xBBBB5678);
    assert_true(flags_zf(&m->cpu.lf));
    assert_int_equal(tm_exec(m, cpu_h_CMPXCHG_EwGw, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0xAAAA5678);
    assert_false(flags_zf(&m->cpu.lf));
    m->cpu.gpr[CPU_EAX] = 0x00000010;
    m->cpu.gpr[CPU_ECX] = 0x00000900;
    d = tm_reg(4, 5, 0); /* cmpxchg ch, ah */
    assert_int_equal(tm_exec(m, cpu_h_CMPXCHG_EbGb, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x00000009); /* AL = CH */
    assert_int_equal(tm_flags(m), ref_sub(0x10, 0x09, 0, 8, &r));
}

static void test_cmpxchg8b(void **state)
{
    struct tm *m = *state;
    m->cpu.gpr[CPU_EAX] = 0x11111111;
    m->cpu.gpr[CPU_EDX] = 0x22222222;
    m->cpu.gpr[CPU_EBX] = 0x33333333;
    m->cpu.gpr[CPU_ECX] = 0x44444444;
    tm_st(m, 0x7000, 0x11111111, 4);
    tm_st(m, 0x7004, 0x22222222, 4);
    tm_put_flags(m, CPU_FL_CF | CPU_FL_SF);
    struct dec_insn d = tm_mem(1, 0x7000, 0);
    assert_int_equal(tm_exec(m, cpu_h_CMPXCHG8B_Mq, &d), -1);
    assert_int_equal(tm_ld(m, 0x7000, 4), 0x33333333);
    assert_int_equal(tm_ld(m, 0x7004, 4), 0x44444444);
    assert_int_equal(tm_flags(m), CPU_FL_CF | CPU_FL_SF | CPU_FL_ZF);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x11111111);
    /* not equal: EDX:EAX = m64, ZF = 0 */
    assert_int_equal(tm_exec(m, cpu_h_CMPXCHG8B_Mq, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x33333333);
    assert_int_equal(m->cpu.gpr[CPU_EDX], 0x44444444);
    assert_int_equal(tm_flags(m), CPU_FL_CF | CPU_FL_SF);
    /* only the upper half equal: still not equal */
    m->cpu.gpr[CPU_EAX] = 0x33333334;
    assert_int_equal(tm_exec(m, cpu_h_CMPXCHG8B_Mq, &d), -1);
    assert_int_equal(m->cpu.gpr[CPU_EAX], 0x33333333);
    /* second half on a read-only page: fault, nothing written or changed */
    tm_st(m, 0x7FFC, 0x55555555, 4);
    tm_st(m, 0x8000, 0x66666666, 4);
    m->cpu.gpr[CPU_EAX] = 0x55555555;
    m->cpu.gpr[CPU_EDX] = 0x66666666;
    m->read_only[8] = true;
    d = tm_mem(1, 0x7FFC, 0);
    tm_put_flags(m, 0);
    unsigned w = m->writes;
    assert_int_equal(tm_exec(m, cpu_h_CMPXCHG8B_Mq, &d), CPU_EXC_PF);
    assert_int_equal(m->writes, w);
    assert_int_equal(tm_ld(m, 0x7FFC, 4), 0x55555555);
    assert_int_equal(tm_flags(m), 0);
    m->read_only[8] = false;
    /* beyond the segment limit on the second half: #GP, no write */
    d = tm_mem(1, TM_MEM_SIZE - 4, 0);
    assert_int_equal(tm_exec(m, cpu_h_CMPXCHG8B_Mq, &d), CPU_EXC_GP);
    assert_int_equal(m->writes, w);
}

int alu_handler_tests_misc(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_daa_das_decimal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_daa_das_sdm_examples, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aaa_aas_aam_aad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xadd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cmpxchg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cmpxchg8b, setup, teardown),
    };
    return cmocka_run_group_tests_name("alu_misc", tests, NULL, NULL);
}
