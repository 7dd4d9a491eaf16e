/*
 * test_run.c - the integer instructions through the CPU's public API:
 * mmu_create + cpu_create, code bytes written with mmu_write_block and
 * ended with HLT, cpu_run, then registers, EFLAGS and memory checked.
 *
 * Most tests run 16-bit real-mode code (0x66/0x67 prefixes select the
 * 32-bit forms) so an exception is delivered through the IVT to a HLT;
 * one test runs flat 32-bit protected-mode code.  The instruction bytes
 * are built by the small emitters below (encodings from SDM vol. 2,
 * appendix A/B); expected values come from the wide-arithmetic and
 * bit-at-a-time references of alu_ref.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "tests/alu/alu_ref.h"

#define RAM_SIZE (1u << 20)
#define CODE 0x1000u
#define DATA 0x6000u    /* memory operands */
#define HANDLER 0x2000u /* every exception vector: a HLT */
#define STACK 0x8000u

struct rm {
    struct mmu *mmu;
    struct cpu *cpu;
    uint8_t code[256];
    size_t len;
};

static uint32_t no_in(void *o, uint16_t p, unsigned s)
{
    (void)o;
    (void)p;
    (void)s;
    return 0xFFFFFFFFu;
}
static void no_out(void *o, uint16_t p, uint32_t v, unsigned s)
{
    (void)o;
    (void)p;
    (void)v;
    (void)s;
}
static uint8_t no_ack(void *o)
{
    (void)o;
    return 0x08;
}

static int setup(void **state)
{
    struct rm *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    m->mmu = mmu_create(RAM_SIZE);
    struct cpu_bus_ops bus = {m, no_in, no_out, no_ack};
    struct cpu_config cfg = {CPU_MODEL_PENTIUM2, false};
    m->cpu = m->mmu ? cpu_create(m->mmu, &bus, &cfg) : NULL;
    if (!m->cpu)
        return -1;
    *state = m;
    return 0;
}

static int teardown(void **state)
{
    struct rm *m = *state;
    cpu_destroy(m->cpu);
    mmu_destroy(m->mmu);
    free(m);
    return 0;
}

/* ---- memory -------------------------------------------------------- */

static void put(struct rm *m, uint32_t a, uint32_t v, unsigned size)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    mmu_write_block(m->mmu, a, b, size);
}

static uint32_t get(struct rm *m, uint32_t a, unsigned size)
{
    uint8_t b[4] = {0, 0, 0, 0};
    mmu_read_block(m->mmu, a, b, size);
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

/* ---- code emitters -------------------------------------------------- */

static void emit(struct rm *m, unsigned n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (unsigned k = 0; k < n; k++)
        m->code[m->len++] = (uint8_t)va_arg(ap, int);
    va_end(ap);
}

static void emit_imm(struct rm *m, uint32_t v, unsigned size)
{
    for (unsigned k = 0; k < size; k++)
        m->code[m->len++] = (uint8_t)(v >> (8 * k));
}

/** Operand-size prefix for real-mode code: none for 8/16 bits, 66 for 32. */
static void emit_osz(struct rm *m, unsigned size)
{
    if (size == 4)
        emit(m, 1, 0x66);
}

/** mov reg, imm of the given size (B0+r / B8+r). */
static void emit_mov_ri(struct rm *m, unsigned reg, uint32_t v, unsigned size)
{
    emit_osz(m, size);
    emit(m, 1, (size == 1 ? 0xB0 : 0xB8) + reg);
    emit_imm(m, v, size);
}

/** ModRM for a register operand, or [disp16] when mem. */
static void emit_modrm(struct rm *m, unsigned reg, unsigned rm, bool mem)
{
    if (mem) {
        emit(m, 1, (reg << 3) | 6);
        emit_imm(m, DATA, 2);
    } else {
        emit(m, 1, 0xC0 | (reg << 3) | rm);
    }
}

/* Real mode, all segments 0, IVT -> HANDLER (a HLT), EIP = CODE.  The
 * CPU is reset first: the previous case ended in HLT, and a halted CPU
 * stays halted until an interrupt or RESET. */
static void start_real(struct rm *m, uint32_t eflags)
{
    cpu_reset(m->cpu);
    for (unsigned v = 0; v < 32; v++)
        put(m, v * 4, HANDLER, 4);
    put(m, HANDLER, 0xF4, 1);
    for (unsigned s = CPU_ES; s <= CPU_GS; s++)
        cpu_set_segment_real(m->cpu, (enum cpu_sreg)s, 0);
    cpu_set_reg(m->cpu, CPU_ESP, STACK);
    cpu_set_eip(m->cpu, CODE);
    cpu_set_eflags(m->cpu, eflags);
    m->len = 0;
}

/** Append HLT, load the code, run; the run must end at that HLT (or at
 * the exception handler's when `expect_fault`). */
static void run(struct rm *m, bool expect_fault)
{
    emit(m, 1, 0xF4);
    mmu_write_block(m->mmu, CODE, m->code, m->len);
    enum cpu_stop st = cpu_run(m->cpu, 10000);
    assert_true(st == CPU_STOP_HALT || st == CPU_STOP_DEAD_HALT);
    assert_int_equal(cpu_get_eip(m->cpu), expect_fault ? HANDLER + 1 : CODE + m->len);
}

static uint32_t reg(struct rm *m, unsigned r, unsigned size)
{
    uint32_t v = cpu_get_reg(m->cpu, (enum cpu_reg)(size == 1 && r >= 4 ? r - 4 : r));
    if (size == 1 && r >= 4)
        v >>= 8;
    return v & ref_mask(size * 8);
}

static uint32_t oszapc(struct rm *m) { return cpu_get_eflags(m->cpu) & ALL6; }

static uint64_t rng_state = 0x0123456789ABCDEFULL;
static uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

/* ================================================================== */

enum { K_ADD, K_OR, K_ADC, K_SBB, K_AND, K_SUB, K_XOR, K_CMP };

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
    default: r = a & b & ref_mask(bits); break;
    }
    *fl = ref_szp(r, bits);
    return r;
}

/* op r/m, reg and op reg, r/m (00-3B) for the eight operations, three
 * sizes, register and memory; 8-bit forms use AH and BH. */
static void test_run_alu(void **state)
{
    struct rm *m = *state;
    static const unsigned sizes[3] = {1, 2, 4};
    for (unsigned k = 0; k < 8; k++)
        for (unsigned si = 0; si < 3; si++)
            for (unsigned form = 0; form < 4; form++) /* bit0: G,E; bit1: memory */
                for (unsigned n = 0; n < 6; n++) {
                    unsigned size = sizes[si], bits = size * 8;
                    bool ge = form & 1, mem = form & 2;
                    uint32_t a = rnd() & ref_mask(bits), b = rnd() & ref_mask(bits);
                    if (n == 0)
                        b = a; /* equal operands: ZF paths */
                    if (n == 1)
                        a = ref_mask(bits) >> 1; /* signed overflow boundary */
                    bool cf = n & 1;
                    unsigned dreg = size == 1 ? 4 : CPU_EAX; /* AH / AX / EAX */
                    unsigned sreg = size == 1 ? 7 : CPU_EBX; /* BH / BX / EBX */
                    start_real(m, 0x2 | (cf ? CPU_FL_CF : 0));
                    emit_mov_ri(m, CPU_EAX, 0x5A5A5A5A, 4);
                    emit_mov_ri(m, CPU_EBX, 0xA5A5A5A5, 4);
                    emit_mov_ri(m, dreg, a, size);
                    emit_mov_ri(m, sreg, b, size);
                    put(m, DATA, 0xC3C3C3C3, 4);
                    put(m, DATA, ge ? b : a, size);
                    emit_osz(m, size);
                    emit(m, 1, k * 8 + (ge ? 2 : 0) + (size == 1 ? 0 : 1));
                    /* G = dreg for G,E forms, else the source sreg */
                    emit_modrm(m, ge ? dreg : sreg, ge ? sreg : dreg, mem);
                    run(m, false);
                    uint32_t fl, want = ref_alu(k, a, b, cf, bits, &fl);
                    if (k == K_CMP)
                        want = a;
                    assert_int_equal(oszapc(m), fl);
                    if (mem && !ge)
                        assert_int_equal(get(m, DATA, size), want);
                    else
                        assert_int_equal(reg(m, dreg, size), want);
                    if (size == 1) /* the low bytes of the other halves kept */
                        assert_int_equal(reg(m, CPU_EAX, 1), 0x5A);
                }
}

/* INC DEC NOT NEG (FE/FF /0 /1, F6/F7 /2 /3) and TEST (84/85, F6/F7 /0). */
static void test_run_unary_test(void **state)
{
    struct rm *m = *state;
    static const unsigned sizes[3] = {1, 2, 4};
    static const uint32_t vals[] = {0,      1,      0x7F,       0x80,       0xFF,       0x7FFF,
                                    0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x12345678};
    for (unsigned si = 0; si < 3; si++)
        for (unsigned v = 0; v < sizeof vals / sizeof vals[0]; v++)
            for (unsigned op = 0; op < 5; op++)
                for (unsigned mem = 0; mem < 2; mem++) {
                    unsigned size = sizes[si], bits = size * 8;
                    uint32_t a = vals[v] & ref_mask(bits), r, fl;
                    uint32_t fl_in = 0x2 | CPU_FL_CF | CPU_FL_OF;
                    start_real(m, fl_in);
                    emit_mov_ri(m, CPU_ECX, a, size);
                    put(m, DATA, a, size);
                    emit_osz(m, size);
                    switch (op) {
                    case 0: /* inc */
                        emit(m, 1, size == 1 ? 0xFE : 0xFF);
                        emit_modrm(m, 0, CPU_ECX, mem);
                        fl = (ref_add(a, 1, 0, bits, &r) & ~CPU_FL_CF) | CPU_FL_CF;
                        break;
                    case 1: /* dec */
                        emit(m, 1, size == 1 ? 0xFE : 0xFF);
                        emit_modrm(m, 1, CPU_ECX, mem);
                        fl = (ref_sub(a, 1, 0, bits, &r) & ~CPU_FL_CF) | CPU_FL_CF;
                        break;
                    case 2: /* not */
                        emit(m, 1, size == 1 ? 0xF6 : 0xF7);
                        emit_modrm(m, 2, CPU_ECX, mem);
                        r = ~a & ref_mask(bits);
                        fl = CPU_FL_CF | CPU_FL_OF;
                        break;
                    case 3: /* neg */
                        emit(m, 1, size == 1 ? 0xF6 : 0xF7);
                        emit_modrm(m, 3, CPU_ECX, mem);
                        fl = ref_sub(0, a, 0, bits, &r);
                        break;
                    default: /* test r/m, imm with the value's complement ^ 1 */
                        emit(m, 1, size == 1 ? 0xF6 : 0xF7);
                        emit_modrm(m, 0, CPU_ECX, mem);
                        emit_imm(m, a ^ 1, size);
                        r = a;
                        fl = ref_szp(a & (a ^ 1), bits);
                        break;
                    }
                    run(m, false);
                    assert_int_equal(oszapc(m), fl);
                    assert_int_equal(mem ? get(m, DATA, size) : reg(m, CPU_ECX, size), r);
                }
}

/* Group 2 with counts 0, 1, imm, CL (masked, RCL/RCR mod 9/17). */
static void test_run_shifts(void **state)
{
    struct rm *m = *state;
    static const unsigned sizes[3] = {1, 2, 4};
    static const unsigned counts[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 18, 31, 32, 33, 0xFF};
    for (unsigned k = 0; k < 7; k++)
        for (unsigned si = 0; si < 3; si++)
            for (unsigned c = 0; c < sizeof counts / sizeof counts[0]; c++)
                for (unsigned form = 0; form < 3; form++) { /* Ib, 1, CL */
                    unsigned size = sizes[si], bits = size * 8, count = counts[c];
                    unsigned ext = k < 4 ? k : k == 4 ? 4 : k == 5 ? 5 : 7; /* /r */
                    bool mem = (c + form) & 1;
                    uint32_t v = rnd() & ref_mask(bits);
                    uint32_t fl_in = (rnd() & ALL6) | 0x2;
                    if (form == 1)
                        count = 1;
                    start_real(m, fl_in);
                    emit_mov_ri(m, CPU_ECX, count, 1);
                    emit_mov_ri(m, CPU_EDX, v, size);
                    put(m, DATA, v, size);
                    emit_osz(m, size);
                    if (form == 0) {
                        emit(m, 1, size == 1 ? 0xC0 : 0xC1);
                        emit_modrm(m, ext, CPU_EDX, mem);
                        emit(m, 1, count);
                    } else {
                        emit(m, 1, (form == 1 ? 0xD0 : 0xD2) + (size == 1 ? 0 : 1));
                        emit_modrm(m, ext, CPU_EDX, mem);
                    }
                    run(m, false);
                    uint32_t fl, want = ref_shift(k, v, count, bits, fl_in & ALL6, &fl);
                    if (oszapc(m) != fl)
                        fail_msg("shift %u size %u v=%x count=%u: flags %03x want %03x", k, size,
                                 (unsigned)v, count, (unsigned)oszapc(m), (unsigned)fl);
                    assert_int_equal(mem ? get(m, DATA, size) : reg(m, CPU_EDX, size), want);
                }
}

/* DIV/IDIV faults: #DE through the real-mode IVT, no state changed, the
 * return address is the faulting instruction. */
static void test_run_div_fault(void **state)
{
    struct rm *m = *state;
    static const struct {
        uint8_t prefix, opcode, ext;
        uint32_t eax, edx, divisor;
    } cases[] = {
        {0x00, 0xF6, 6, 0x1234, 0, 0},                       /* div bl, bl = 0 */
        {0x00, 0xF6, 6, 0x1234, 0, 0x12},                    /* div bl: quotient 0x102 */
        {0x00, 0xF6, 7, 0x0080, 0, 0x01},                    /* idiv bl: +128 */
        {0x00, 0xF7, 6, 0x0000, 0x0001, 0x0001},             /* div bx: 0x10000 */
        {0x00, 0xF7, 7, 0x8000, 0xFFFF, 0xFFFF},             /* idiv bx: -32768 / -1 */
        {0x66, 0xF7, 6, 0x00000000, 0x00000001, 1},          /* div ebx */
        {0x66, 0xF7, 7, 0x00000000, 0x80000000, 0xFFFFFFFF}, /* idiv ebx: -2^63 / -1 */
        {0x66, 0xF7, 7, 0x12345678, 0, 0},                   /* idiv ebx, 0 */
    };
    for (unsigned n = 0; n < sizeof cases / sizeof cases[0]; n++) {
        uint32_t fl_in = 0x2 | CPU_FL_ZF | CPU_FL_AF | CPU_FL_CF;
        start_real(m, fl_in);
        emit_mov_ri(m, CPU_EAX, cases[n].eax, 4);
        emit_mov_ri(m, CPU_EDX, cases[n].edx, 4);
        emit_mov_ri(m, CPU_EBX, cases[n].divisor, 4);
        uint32_t at = CODE + (uint32_t)m->len;
        if (cases[n].prefix)
            emit(m, 1, cases[n].prefix);
        emit(m, 2, cases[n].opcode, 0xC0 | (cases[n].ext << 3) | CPU_EBX);
        run(m, true);
        assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), cases[n].eax);
        assert_int_equal(cpu_get_reg(m->cpu, CPU_EDX), cases[n].edx);
        assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX), cases[n].divisor);
        assert_int_equal(oszapc(m), fl_in & ALL6);
        /* the IVT frame: IP, CS, FLAGS; IP = the DIV itself (a fault) */
        assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), STACK - 6);
        assert_int_equal(get(m, STACK - 6, 2), at);
        struct cpu_exception_info e;
        cpu_last_exception(m->cpu, &e);
        assert_true(e.valid);
        assert_int_equal(e.vector, 0);
        assert_int_equal(e.eip, at);
    }
    /* and one that works: div bx, DX:AX = 0x00012345 / 0x10 */
    start_real(m, 0x2);
    emit_mov_ri(m, CPU_EAX, 0x2345, 2);
    emit_mov_ri(m, CPU_EDX, 0x0001, 2);
    emit_mov_ri(m, CPU_EBX, 0x0010, 2);
    emit(m, 2, 0xF7, 0xF3);
    run(m, false);
    assert_int_equal(reg(m, CPU_EAX, 2), 0x1234);
    assert_int_equal(reg(m, CPU_EDX, 2), 0x0005);
}

/* MUL/IMUL samples including the 2- and 3-operand forms. */
static void test_run_mul(void **state)
{
    struct rm *m = *state;
    start_real(m, 0x2);
    emit_mov_ri(m, CPU_EAX, 0x80000000, 4);
    emit_mov_ri(m, CPU_EBX, 0x00000002, 4);
    emit(m, 3, 0x66, 0xF7, 0xE3); /* mul ebx */
    run(m, false);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDX), 1);
    assert_int_equal(oszapc(m), CPU_FL_CF | CPU_FL_OF | CPU_FL_ZF | CPU_FL_PF);

    start_real(m, 0x2);
    emit_mov_ri(m, CPU_ECX, 0xFFFF, 2); /* cx = -1 */
    emit(m, 4, 0x6B, 0xD1, 0x80, 0x90); /* imul dx, cx, -128; nop */
    emit(m, 3, 0x69, 0xC1, 0x00);       /* imul ax, cx, 0x8000 */
    emit(m, 1, 0x80);
    run(m, false);
    assert_int_equal(reg(m, CPU_EDX, 2), 0x0080);
    assert_int_equal(reg(m, CPU_EAX, 2), 0x8000); /* -1 * -32768 = 32768: overflow */
    assert_int_equal(oszapc(m) & (CPU_FL_CF | CPU_FL_OF), CPU_FL_CF | CPU_FL_OF);

    start_real(m, 0x2);
    emit_mov_ri(m, CPU_EAX, 0xFFFFFFFD, 4); /* -3 */
    emit_mov_ri(m, CPU_ESI, 7, 4);
    emit(m, 4, 0x66, 0x0F, 0xAF, 0xF0); /* imul esi, eax */
    run(m, false);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESI), (uint32_t)-21);
    assert_int_equal(oszapc(m), CPU_FL_SF | ref_szp((uint32_t)-21, 32));
}

/* BT family with a register offset reaching outside the addressed word /
 * dword, negative included. */
static void test_run_bt_negative(void **state)
{
    struct rm *m = *state;
    put(m, DATA - 4, 0, 4);
    put(m, DATA, 0, 4);
    put(m, DATA - 2, 0x8000, 2); /* bit -1 relative to DATA */
    start_real(m, 0x2 | CPU_FL_ZF | CPU_FL_SF);
    emit_mov_ri(m, CPU_EAX, 0xFFFF, 2);        /* ax = -1 */
    emit(m, 4, 0x0F, 0xB3, 0x06, DATA & 0xFF); /* btr [DATA], ax */
    emit(m, 1, DATA >> 8);
    emit_mov_ri(m, CPU_EAX, (uint32_t)-33, 4);       /* eax = -33 */
    emit(m, 5, 0x66, 0x0F, 0xAB, 0x06, DATA & 0xFF); /* bts [DATA], eax */
    emit(m, 1, DATA >> 8);
    emit_mov_ri(m, CPU_EAX, 35, 2);            /* ax = 35 */
    emit(m, 4, 0x0F, 0xBB, 0x06, DATA & 0xFF); /* btc [DATA], ax */
    emit(m, 1, DATA >> 8);
    run(m, false);
    assert_int_equal(get(m, DATA - 2, 2), 0x0000);      /* bit -1 cleared */
    assert_int_equal(get(m, DATA - 8, 4), 0x80000000u); /* bit -33: dword at -8, bit 31 */
    assert_int_equal(get(m, DATA + 4, 2), 0x0008);      /* bit 35: word at +4, bit 3 */
    /* the last BTC found the bit clear; SF/ZF untouched */
    assert_int_equal(oszapc(m), CPU_FL_ZF | CPU_FL_SF);
}

/* CMPXCHG both paths, CMPXCHG8B both paths. */
static void test_run_cmpxchg(void **state)
{
    struct rm *m = *state;
    put(m, DATA, 0x12345678, 4);
    start_real(m, 0x2);
    emit_mov_ri(m, CPU_EAX, 0x12345678, 4);
    emit_mov_ri(m, CPU_ECX, 0xCAFEBABE, 4);
    emit(m, 5, 0x66, 0x0F, 0xB1, 0x0E, DATA & 0xFF); /* cmpxchg [DATA], ecx */
    emit(m, 1, DATA >> 8);
    run(m, false);
    assert_int_equal(get(m, DATA, 4), 0xCAFEBABE);
    assert_true(oszapc(m) & CPU_FL_ZF);
    start_real(m, 0x2);
    emit_mov_ri(m, CPU_EAX, 0x12345678, 4);
    emit(m, 5, 0x66, 0x0F, 0xB1, 0x0E, DATA & 0xFF); /* again: not equal */
    emit(m, 1, DATA >> 8);
    run(m, false);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0xCAFEBABE);
    uint32_t r;
    assert_int_equal(oszapc(m), ref_sub(0x12345678, 0xCAFEBABE, 0, 32, &r));

    put(m, DATA, 0x11111111, 4);
    put(m, DATA + 4, 0x22222222, 4);
    start_real(m, 0x2);
    emit_mov_ri(m, CPU_EAX, 0x11111111, 4);
    emit_mov_ri(m, CPU_EDX, 0x22222222, 4);
    emit_mov_ri(m, CPU_EBX, 0x33333333, 4);
    emit_mov_ri(m, CPU_ECX, 0x44444444, 4);
    emit(m, 4, 0x0F, 0xC7, 0x0E, DATA & 0xFF); /* cmpxchg8b [DATA] */
    emit(m, 1, DATA >> 8);
    emit(m, 4, 0x0F, 0xC7, 0x0E, DATA & 0xFF); /* again: not equal */
    emit(m, 1, DATA >> 8);
    run(m, false);
    assert_int_equal(get(m, DATA, 4), 0x33333333);
    assert_int_equal(get(m, DATA + 4, 4), 0x44444444);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x33333333);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDX), 0x44444444);
    assert_false(oszapc(m) & CPU_FL_ZF);
}

/* The DAA and DAS examples of SDM vol. 2. */
static void test_run_daa_das(void **state)
{
    struct rm *m = *state;
    start_real(m, 0x2);
    emit(m, 4, 0xB0, 0x79, 0xB3, 0x35); /* mov al, 79h; mov bl, 35h */
    emit(m, 3, 0x00, 0xD8, 0x27);       /* add al, bl; daa */
    run(m, false);
    assert_int_equal(reg(m, CPU_EAX, 1), 0x14);
    assert_int_equal(oszapc(m) & ~CPU_FL_OF, CPU_FL_AF | CPU_FL_PF | CPU_FL_CF);
    start_real(m, 0x2);
    emit(m, 4, 0xB0, 0x35, 0xB3, 0x47); /* mov al, 35h; mov bl, 47h */
    emit(m, 3, 0x28, 0xD8, 0x2F);       /* sub al, bl; das */
    run(m, false);
    assert_int_equal(reg(m, CPU_EAX, 1), 0x88);
    assert_int_equal(oszapc(m) & ~CPU_FL_OF, CPU_FL_SF | CPU_FL_AF | CPU_FL_PF | CPU_FL_CF);
    /* AAM 0 is #DE */
    start_real(m, 0x2);
    emit(m, 2, 0xD4, 0x00);
    run(m, true);
}

/* Flat 32-bit protected mode: 32-bit addressing, SIB, no prefixes. */
static void test_run_flat32(void **state)
{
    struct rm *m = *state;
    start_real(m, 0x2);
    cpu_set_cr(m->cpu, 0, cpu_get_cr(m->cpu, 0) | 1u);
    struct cpu_segment data = {0x10, 0x93 | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G, 0, 0xFFFFFFFF};
    struct cpu_segment code = {0x08, 0x9B | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G, 0, 0xFFFFFFFF};
    for (unsigned s = CPU_ES; s <= CPU_GS; s++)
        if (s != CPU_CS)
            cpu_set_segment(m->cpu, (enum cpu_sreg)s, &data);
    cpu_set_segment(m->cpu, CPU_CS, &code);
    put(m, DATA, 0xFFFFFFFF, 4);
    put(m, DATA + 4, 0x00000000, 4);
    emit(m, 5, 0xBB, DATA & 0xFF, DATA >> 8, 0, 0); /* mov ebx, DATA */
    emit(m, 5, 0xB9, 1, 0, 0, 0);                   /* mov ecx, 1 */
    emit(m, 4, 0x01, 0x0C, 0x8B, 0x90);             /* add [ebx+ecx*4], ecx; nop */
    emit(m, 3, 0x83, 0x13, 0x01);                   /* adc dword [ebx], 1 */
    emit(m, 5, 0xB8, 0xDF, 0xFF, 0xFF, 0xFF);       /* mov eax, -33 */
    emit(m, 4, 0x0F, 0xAB, 0x43, 0x08);             /* bts [ebx+8], eax */
    emit(m, 3, 0xC1, 0x23, 0x01);                   /* shl dword [ebx], 1 */
    run(m, false);
    assert_int_equal(get(m, DATA + 4, 4), 1);
    /* [DATA]: 0xFFFFFFFF + 1 + CF 0 = 0; BTS bit -33 from DATA + 8 is bit 31
     * of the dword at DATA; then SHL 1 shifts it out. */
    assert_int_equal(get(m, DATA, 4), 0);
    uint32_t fl;
    uint32_t r = ref_shift(4, 0x80000000u, 1, 32, 0, &fl);
    assert_int_equal(r, 0);
    assert_int_equal(fl, CPU_FL_CF | CPU_FL_OF | CPU_FL_ZF | CPU_FL_PF);
    assert_int_equal(oszapc(m), fl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_run_alu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_unary_test, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_shifts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_div_fault, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_mul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_bt_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_cmpxchg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_daa_das, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_flat32, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
