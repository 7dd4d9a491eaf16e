/*
 * test_system.c - system instructions (CPUID, TSC, MSRs, control and
 * debug registers, descriptor tables, LAR/LSL/VERR/VERW, SYSENTER/SYSEXIT,
 * x87/MMX escapes) run through the CPU's public API on a bare machine:
 * guest code is placed in RAM and executed with cpu_run().
 *
 * Every snippet ends in `jmp $` and runs until its instruction budget is
 * spent (a halted CPU would need an interrupt to run again).  Exceptions
 * are delivered for real: in real mode through an IVT whose every entry
 * points at a `jmp $`, in protected mode through an IDT of interrupt
 * gates to one.  A test tells "reached the end" from "took an exception"
 * by the EIP where the CPU ended, and reads the vector from
 * cpu_last_exception().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>

#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "tests/empty_bus.h"

#define RAM_SIZE (4u << 20)
#define CODE 0x1000u   /* test code */
#define DATA 0x2000u   /* scratch memory operands */
#define GDT 0x3000u
#define LDT 0x4000u
#define TSS 0x5000u
#define IDT 0x6000u
#define PM_HANDLER 0x7000u /* protected-mode exception handler: jmp $ */
#define RM_HANDLER 0x0500u /* real-mode exception handler: jmp $ */
#define SYSENTER_EIP 0x1800u /* SYSENTER target: jmp $ */
#define USER_CODE 0x1900u /* ring-3 code reached by SYSEXIT */
#define BUDGET 200
#define STACK 0x8000u
#define STACK0 0x9000u /* ring-0 stack from the TSS */

#define FL_ZF 0x40u
#define FL_IF 0x200u

struct machine {
    struct mmu *mmu;
    struct cpu *cpu;
};

static struct machine *machine_new(bool fpu)
{
    struct machine *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->mmu = mmu_create(RAM_SIZE);
    assert_non_null(m->mmu);
    struct cpu_bus_ops bus = empty_bus(NULL);
    struct cpu_config cfg = { CPU_MODEL_PENTIUM2, fpu };
    m->cpu = cpu_create(m->mmu, &bus, &cfg);
    assert_non_null(m->cpu);
    cpu_reset(m->cpu);
    return m;
}

static void machine_free(struct machine *m)
{
    cpu_destroy(m->cpu);
    mmu_destroy(m->mmu);
    free(m);
}

static void poke8(struct machine *m, uint32_t a, uint8_t v) { mmu_write_block(m->mmu, a, &v, 1); }
static void poke32(struct machine *m, uint32_t a, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    mmu_write_block(m->mmu, a, b, 4);
}
static uint8_t peek8(struct machine *m, uint32_t a)
{
    uint8_t v;
    mmu_read_block(m->mmu, a, &v, 1);
    return v;
}
static uint32_t peek32(struct machine *m, uint32_t a)
{
    uint8_t b[4];
    mmu_read_block(m->mmu, a, b, 4);
    return b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

static void put_loop(struct machine *m, uint32_t a)
{
    poke8(m, a, 0xEB); /* jmp $ */
    poke8(m, a + 1, 0xFE);
}

/* Real mode at 0000:CODE with an IVT of `jmp $` handlers, IF = 0. */
static struct machine *real_machine(bool fpu)
{
    struct machine *m = machine_new(fpu);
    for (unsigned v = 0; v < 32; v++)
        poke32(m, v * 4, RM_HANDLER);
    put_loop(m, RM_HANDLER);
    for (unsigned s = 0; s < 6; s++)
        cpu_set_segment_real(m->cpu, (enum cpu_sreg)s, 0);
    cpu_set_reg(m->cpu, CPU_ESP, STACK);
    cpu_set_eflags(m->cpu, 0x2);
    return m;
}

static void put_desc(struct machine *m, uint32_t table, unsigned sel, uint32_t lo, uint32_t hi)
{
    poke32(m, table + (sel & ~7u), lo);
    poke32(m, table + (sel & ~7u) + 4, hi);
}

/* GDT used by the protected-mode tests (selector: descriptor). */
enum {
    SEL_CODE0 = 0x08, SEL_DATA0 = 0x10, SEL_LDT = 0x18, SEL_TSS = 0x20, SEL_RODATA3 = 0x28,
    SEL_XCODE = 0x30, SEL_CONFCODE = 0x38, SEL_INTGATE = 0x40, SEL_SMALL = 0x48,
    SEL_LDT_NP = 0x50, SEL_CALLGATE3 = 0x58, SEL_SYSENTER = 0x60, GDT_LIMIT = 0x7F
};

/* 32-bit protected mode, CPL 0, flat CS/DS/ES/SS, IDT of interrupt gates
 * to a `jmp $`, IF = 0.  Entered through the public API (the transition
 * itself is tested by test_enter_protected_mode). */
static struct machine *pm_machine(void)
{
    struct machine *m = machine_new(false);
    put_desc(m, GDT, SEL_CODE0, 0x0000FFFFu, 0x00CF9A00u);
    put_desc(m, GDT, SEL_DATA0, 0x0000FFFFu, 0x00CF9200u);
    put_desc(m, GDT, SEL_LDT, 0x40000017u, 0x00008200u);      /* LDT at 4000h, limit 17h */
    put_desc(m, GDT, SEL_TSS, 0x50000067u, 0x00008900u);      /* available 386 TSS */
    put_desc(m, GDT, SEL_RODATA3, 0x0000FFFFu, 0x00CFF000u);  /* read-only data, DPL 3 */
    put_desc(m, GDT, SEL_XCODE, 0x0000FFFFu, 0x00CF9800u);    /* execute-only code */
    put_desc(m, GDT, SEL_CONFCODE, 0x0000FFFFu, 0x00CF9E00u); /* conforming readable code */
    put_desc(m, GDT, SEL_INTGATE, 0x00087000u, 0x00008E00u);  /* interrupt gate */
    put_desc(m, GDT, SEL_SMALL, 0x00001234u, 0x00409200u);    /* data, byte limit 1234h */
    put_desc(m, GDT, SEL_LDT_NP, 0x40000017u, 0x00000200u);   /* LDT, not present */
    put_desc(m, GDT, SEL_CALLGATE3, 0x00080000u, 0x0000EC00u); /* 386 call gate, DPL 3 */
    put_desc(m, GDT, SEL_SYSENTER, 0x0000FFFFu, 0x00CF9A00u);
    put_desc(m, GDT, SEL_SYSENTER + 8, 0x0000FFFFu, 0x00CF9200u);
    put_desc(m, GDT, SEL_SYSENTER + 16, 0x0000FFFFu, 0x00CFFA00u);
    put_desc(m, GDT, SEL_SYSENTER + 24, 0x0000FFFFu, 0x00CFF200u);
    /* LDT: 0Ch data limit FFFh */
    put_desc(m, LDT, 0x08, 0x00000FFFu, 0x00409200u);
    poke32(m, TSS + 4, STACK0); /* ESP0 */
    poke32(m, TSS + 8, SEL_DATA0); /* SS0 */
    for (unsigned v = 0; v < 32; v++)
        put_desc(m, IDT, v * 8, (SEL_CODE0 << 16) | PM_HANDLER, 0x00008E00u);
    put_loop(m, PM_HANDLER);
    put_loop(m, SYSENTER_EIP);

    struct cpu *c = m->cpu;
    cpu_set_dtr(c, false, GDT, GDT_LIMIT);
    cpu_set_dtr(c, true, IDT, 0xFF);
    cpu_set_cr(c, 0, 0x00000011u);
    struct cpu_segment cs = { SEL_CODE0, 0xC09B, 0, 0xFFFFFFFFu };
    struct cpu_segment ds = { SEL_DATA0, 0xC093, 0, 0xFFFFFFFFu };
    cpu_set_segment(c, CPU_CS, &cs);
    for (unsigned s = 0; s < 6; s++)
        if (s != CPU_CS)
            cpu_set_segment(c, (enum cpu_sreg)s, &ds);
    cpu_set_reg(c, CPU_ESP, STACK);
    cpu_set_eflags(c, 0x2);
    return m;
}

/* Place code at CODE followed by `jmp $` and run it; returns why cpu_run
 * stopped. */
static enum cpu_stop run_code(struct machine *m, const uint8_t *code, size_t len)
{
    mmu_write_block(m->mmu, CODE, code, len);
    put_loop(m, CODE + (uint32_t)len);
    cpu_set_eip(m->cpu, CODE);
    return cpu_run(m->cpu, BUDGET);
}
#define RUN(m, ...)                                                                        \
    do {                                                                                   \
        static const uint8_t code_[] = { __VA_ARGS__ };                                    \
        run_code((m), code_, sizeof code_);                                                \
    } while (0)

/* The code ran to its final `jmp $` without an exception. */
static void expect_done(struct machine *m, size_t len)
{
    assert_int_equal(cpu_get_eip(m->cpu), CODE + len);
}
#define RUN_OK(m, ...)                                                                     \
    do {                                                                                   \
        static const uint8_t code_[] = { __VA_ARGS__ };                                    \
        run_code((m), code_, sizeof code_);                                                \
        expect_done((m), sizeof code_);                                                    \
    } while (0)

/* The code took exception `vector` (with `error` when it has one) at
 * offset `at` of the test code and reached the handler. */
static void expect_exc(struct machine *m, unsigned vector, uint32_t at, bool has_error, uint32_t error)
{
    struct cpu_exception_info e;
    bool pm = cpu_get_cr(m->cpu, 0) & 1u;
    assert_int_equal(cpu_get_eip(m->cpu), pm ? PM_HANDLER : RM_HANDLER);
    cpu_last_exception(m->cpu, &e);
    assert_true(e.valid);
    assert_int_equal(e.vector, vector);
    assert_int_equal(e.eip, CODE + at);
    assert_int_equal(e.has_error, has_error);
    if (has_error)
        assert_int_equal(e.error, error);
}

static bool zf(struct machine *m) { return cpu_get_eflags(m->cpu) & FL_ZF; }

/* ------------------------------------------------------------------ */
/* CPUID                                                               */

static void cpuid(struct machine *m, uint32_t leaf, uint32_t r[4])
{
    cpu_set_reg(m->cpu, CPU_EAX, leaf);
    RUN_OK(m, 0x0F, 0xA2);
    r[0] = cpu_get_reg(m->cpu, CPU_EAX);
    r[1] = cpu_get_reg(m->cpu, CPU_EBX);
    r[2] = cpu_get_reg(m->cpu, CPU_ECX);
    r[3] = cpu_get_reg(m->cpu, CPU_EDX);
}

static void test_cpuid(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    uint32_t r[4];
    cpuid(m, 0, r);
    assert_int_equal(r[0], 2);
    char vendor[13];
    for (unsigned k = 0; k < 4; k++) {
        vendor[k] = (char)(r[1] >> (8 * k));
        vendor[4 + k] = (char)(r[3] >> (8 * k));
        vendor[8 + k] = (char)(r[2] >> (8 * k));
    }
    vendor[12] = 0;
    assert_string_equal(vendor, "GenuineIntel");

    cpuid(m, 1, r);
    assert_int_equal(r[0], 0x652);
    assert_int_equal(r[1], 0);
    assert_int_equal(r[2], 0);
    /* VME DE PSE TSC MSR PAE CX8 SEP MTRR PGE CMOV; no FPU without a
     * coprocessor, no APIC, MCE, MCA, PAT, PSE36, MMX */
    assert_int_equal(r[3], (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) |
                               (1u << 8) | (1u << 11) | (1u << 12) | (1u << 13) | (1u << 15));

    uint32_t l2[4];
    cpuid(m, 2, l2);
    assert_int_equal(l2[0], 0x03020101u);
    assert_int_equal(l2[3], 0x0C040843u);
    /* above the maximum: the highest basic leaf */
    cpuid(m, 0x80000000u, r);
    assert_memory_equal(r, l2, sizeof r);
    cpuid(m, 3, r);
    assert_memory_equal(r, l2, sizeof r);
    machine_free(m);

    m = real_machine(true);
    cpuid(m, 1, r);
    assert_int_equal(r[3] & 1u, 1u); /* FPU, MMX and FXSR with a coprocessor */
    assert_int_equal(r[3] & (1u << 23), 1u << 23);
    assert_int_equal(r[3] & (1u << 24), 1u << 24);
    machine_free(m);
}

/* ------------------------------------------------------------------ */
/* TSC and MSRs                                                        */

static void test_rdtsc(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    uint64_t before = cpu_icount(m->cpu);
    RUN_OK(m, 0x0F, 0x31);
    uint64_t t1 = cpu_get_reg(m->cpu, CPU_EAX) | ((uint64_t)cpu_get_reg(m->cpu, CPU_EDX) << 32);
    /* RDTSC is the first instruction: the virtual clock counts the
     * instructions retired, RDTSC itself included. */
    assert_true(t1 == before + 1);
    before = cpu_icount(m->cpu);
    RUN_OK(m, 0x90, 0x90, 0x0F, 0x31);
    uint64_t t2 = cpu_get_reg(m->cpu, CPU_EAX) | ((uint64_t)cpu_get_reg(m->cpu, CPU_EDX) << 32);
    assert_true(t2 > t1);
    assert_true(t2 == before + 3);

    /* WRMSR TSC: the next instruction reads the written value + 1; only
     * the low 32 bits are written on the P6 family */
    cpu_set_reg(m->cpu, CPU_ECX, 0x10);
    cpu_set_reg(m->cpu, CPU_EAX, 1000);
    cpu_set_reg(m->cpu, CPU_EDX, 5);
    RUN_OK(m, 0x0F, 0x30, 0x0F, 0x31);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 1001);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDX), 0);
    machine_free(m);
}

static uint64_t rdmsr(struct machine *m, uint32_t msr)
{
    cpu_set_reg(m->cpu, CPU_ECX, msr);
    cpu_set_reg(m->cpu, CPU_EAX, 0xDEADBEEFu);
    cpu_set_reg(m->cpu, CPU_EDX, 0xDEADBEEFu);
    RUN_OK(m, 0x0F, 0x32);
    return cpu_get_reg(m->cpu, CPU_EAX) | ((uint64_t)cpu_get_reg(m->cpu, CPU_EDX) << 32);
}

static void wrmsr(struct machine *m, uint32_t msr, uint64_t v)
{
    cpu_set_reg(m->cpu, CPU_ECX, msr);
    cpu_set_reg(m->cpu, CPU_EAX, (uint32_t)v);
    cpu_set_reg(m->cpu, CPU_EDX, (uint32_t)(v >> 32));
    RUN(m, 0x0F, 0x30);
}

static void wrmsr_ok(struct machine *m, uint32_t msr, uint64_t v)
{
    wrmsr(m, msr, v);
    expect_done(m, 2);
}

static void wrmsr_gp(struct machine *m, uint32_t msr, uint64_t v)
{
    wrmsr(m, msr, v);
    expect_exc(m, 13, 0, true, 0);
}

static void test_msr(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    /* power-on values */
    assert_true(rdmsr(m, 0x1B) == 0xFEE00900u);
    assert_true(rdmsr(m, 0xFE) == 0x508u);
    assert_true(rdmsr(m, 0x2FF) == 0);

    wrmsr_ok(m, 0x174, 0x0060);
    wrmsr_ok(m, 0x175, 0x12345678u);
    wrmsr_ok(m, 0x176, 0x9ABCDEF0u);
    assert_true(rdmsr(m, 0x174) == 0x60);
    assert_true(rdmsr(m, 0x175) == 0x12345678u);
    assert_true(rdmsr(m, 0x176) == 0x9ABCDEF0u);

    wrmsr_ok(m, 0x1B, 0xFED00800u);
    assert_true(rdmsr(m, 0x1B) == 0xFED00800u);
    wrmsr_gp(m, 0x1B, 0xFEE00001u);       /* reserved bit 0 */
    wrmsr_gp(m, 0x1B, 0x1000000000ull);   /* above 36 bits */
    assert_true(rdmsr(m, 0x1B) == 0xFED00800u);

    /* MTRRs */
    wrmsr_ok(m, 0x2FF, 0xC06);
    assert_true(rdmsr(m, 0x2FF) == 0xC06);
    wrmsr_gp(m, 0x2FF, 0x002);            /* type 2 is reserved */
    wrmsr_gp(m, 0x2FF, 0x1006);           /* reserved bit 12 */
    wrmsr_ok(m, 0x200, 0x0000000012345006ull);
    wrmsr_ok(m, 0x201, 0x0000000FFFF00800ull);
    wrmsr_ok(m, 0x20F, 0x0000000FFF000800ull);
    assert_true(rdmsr(m, 0x200) == 0x0000000012345006ull);
    assert_true(rdmsr(m, 0x201) == 0x0000000FFFF00800ull);
    assert_true(rdmsr(m, 0x20F) == 0x0000000FFF000800ull);
    wrmsr_gp(m, 0x202, 0x0000000000000106ull); /* PHYSBASE bit 8 reserved */
    wrmsr_gp(m, 0x203, 0x0000000000000001ull); /* PHYSMASK bit 0 reserved */
    wrmsr_ok(m, 0x250, 0x0606060606060606ull);
    wrmsr_ok(m, 0x26F, 0x0005040100060504ull);
    assert_true(rdmsr(m, 0x250) == 0x0606060606060606ull);
    assert_true(rdmsr(m, 0x26F) == 0x0005040100060504ull);
    wrmsr_gp(m, 0x259, 0x0000000000000700ull); /* type 7 in byte 1 */

    /* MTRRcap is read-only; unknown MSRs fault both ways */
    wrmsr_gp(m, 0xFE, 0x508);
    wrmsr_gp(m, 0x1234, 0);
    cpu_set_reg(m->cpu, CPU_ECX, 0x1234);
    RUN(m, 0x0F, 0x32);
    expect_exc(m, 13, 0, true, 0);
    cpu_set_reg(m->cpu, CPU_ECX, 0xC0000080u);
    RUN(m, 0x0F, 0x32);
    expect_exc(m, 13, 0, true, 0);
    machine_free(m);
}

static void test_rdpmc(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    cpu_set_reg(m->cpu, CPU_ECX, 1);
    cpu_set_reg(m->cpu, CPU_EAX, 0x55);
    RUN_OK(m, 0x0F, 0x33);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0);
    /* PerfCtr writes take 32 bits and sign-extend bit 31 through bit 39;
     * RDMSR and RDPMC read the 40-bit value back */
    wrmsr_ok(m, 0xC1, 0x1234567812345678ull);
    wrmsr_ok(m, 0xC2, 0x00000000F0000001ull);
    assert_true(rdmsr(m, 0xC1) == 0x12345678u);
    assert_true(rdmsr(m, 0xC2) == 0xFFF0000001ull);
    cpu_set_reg(m->cpu, CPU_ECX, 1);
    RUN_OK(m, 0x0F, 0x33);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0xF0000001u);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDX), 0xFF);
    /* PerfEvtSel: bit 21 and bits 63:32 reserved */
    wrmsr_ok(m, 0x186, 0x004300C0u);
    wrmsr_ok(m, 0x187, 0xFF8F0079u);
    assert_true(rdmsr(m, 0x186) == 0x004300C0u);
    assert_true(rdmsr(m, 0x187) == 0xFF8F0079u);
    wrmsr_gp(m, 0x186, 0x00200000u);
    wrmsr_gp(m, 0x187, 0x100000000ull);
    assert_true(rdmsr(m, 0x186) == 0x004300C0u);
    cpu_set_reg(m->cpu, CPU_ECX, 2);
    RUN(m, 0x0F, 0x33);
    expect_exc(m, 13, 0, true, 0);
    machine_free(m);
}

/* ------------------------------------------------------------------ */
/* Control registers                                                   */

static void write_cr0(struct machine *m, uint32_t v)
{
    cpu_set_reg(m->cpu, CPU_EAX, v);
    RUN(m, 0x0F, 0x22, 0xC0); /* mov cr0, eax */
}

static void test_cr0(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x60000010u);
    /* ET is hardwired to 1; reserved bits are ignored */
    write_cr0(m, 0x0000FFC0u);
    expect_done(m, 3);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x10u);
    write_cr0(m, 0x6000000Eu);
    expect_done(m, 3);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x6000001Eu);
    /* PG without PE, NW without CD: #GP(0), CR0 unchanged */
    write_cr0(m, 0x80000000u);
    expect_exc(m, 13, 0, true, 0);
    write_cr0(m, 0x20000000u);
    expect_exc(m, 13, 0, true, 0);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x6000001Eu);
    /* read back through MOV r32, CR0 */
    cpu_set_reg(m->cpu, CPU_EBX, 0);
    RUN_OK(m, 0x0F, 0x20, 0xC3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX), 0x6000001Eu);
    /* CR1 and CR5-7 do not exist */
    RUN(m, 0x0F, 0x22, 0xC8);
    expect_exc(m, 6, 0, false, 0);
    RUN(m, 0x0F, 0x20, 0xE8);
    expect_exc(m, 6, 0, false, 0);
    /* CLTS */
    RUN_OK(m, 0x0F, 0x06);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x60000016u);
    machine_free(m);
}

static void test_cr4(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    /* VME, PVI, TSD, DE, PSE, PAE, PGE and PCE exist; MCE and OSFXSR
     * are not reported, bits 11 and up are reserved */
    cpu_set_reg(m->cpu, CPU_EAX, 0x1BF);
    RUN_OK(m, 0x0F, 0x22, 0xE0, 0x0F, 0x20, 0xE3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX), 0x1BF);
    static const uint32_t bad[] = { 0x40, 0x200, 0x400, 0x1000, 0x80000000u };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        cpu_set_reg(m->cpu, CPU_EAX, bad[k]);
        RUN(m, 0x0F, 0x22, 0xE0);
        expect_exc(m, 13, 0, true, 0);
    }
    assert_int_equal(cpu_get_cr(m->cpu, 4), 0x1BF);
    machine_free(m);
}

static void test_lmsw_smsw(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    /* smsw ax keeps the upper half; smsw eax stores all of CR0 */
    cpu_set_reg(m->cpu, CPU_EAX, 0xAAAA5555u);
    RUN_OK(m, 0x0F, 0x01, 0xE0);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0xAAAA0010u);
    RUN_OK(m, 0x66, 0x0F, 0x01, 0xE0);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x60000010u);
    /* memory form: 16 bits, even with o32 */
    poke32(m, DATA, 0xCCCCCCCCu);
    RUN_OK(m, 0x66, 0x0F, 0x01, 0x26, 0x00, 0x20);
    assert_int_equal(peek32(m, DATA), 0xCCCC0010u);

    /* lmsw ax = 000Fh: PE MP EM TS set; lmsw bx = 0: PE stays */
    cpu_set_reg(m->cpu, CPU_EAX, 0xFFFF000Fu);
    cpu_set_reg(m->cpu, CPU_EBX, 0);
    RUN_OK(m, 0x0F, 0x01, 0xF0);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x6000001Fu);
    RUN_OK(m, 0x0F, 0x01, 0xF3);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x60000011u);
    machine_free(m);
}

static void test_debug_registers(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    /* mov dr0, eax; mov dr6, eax; mov dr7, eax; then read DR0/DR6/DR7 and
     * DR4/DR5 (aliases of DR6/DR7 with CR4.DE = 0) */
    cpu_set_reg(m->cpu, CPU_EAX, 0x12345678u);
    RUN_OK(m, 0x0F, 0x23, 0xC0, 0x0F, 0x21, 0xC3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX), 0x12345678u);
    cpu_set_reg(m->cpu, CPU_EAX, 0);
    RUN_OK(m, 0x0F, 0x23, 0xF0, 0x0F, 0x23, 0xF8, /* dr6 = dr7 = 0 */
           0x0F, 0x21, 0xF3, 0x0F, 0x21, 0xF9,      /* ebx = dr6, ecx = dr7 */
           0x0F, 0x21, 0xE2, 0x0F, 0x21, 0xEE);     /* edx = dr4, esi = dr5 */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX), 0xFFFF0FF0u);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 0x00000400u);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDX), 0xFFFF0FF0u);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESI), 0x00000400u);
    /* every bit but GD through the DR5 alias: bits 11, 12, 14, 15 stay 0 */
    cpu_set_reg(m->cpu, CPU_EAX, 0xFFFFDFFFu);
    RUN_OK(m, 0x0F, 0x23, 0xE8, 0x0F, 0x21, 0xFB); /* dr5 = eax (DR7), ebx = dr7 */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX), 0xFFFF07FFu);
    /* DR7.GD set: the next DR access is a #DB fault; DR6.BD set, GD cleared */
    cpu_set_reg(m->cpu, CPU_EAX, 0x2000u);
    RUN_OK(m, 0x0F, 0x23, 0xF8);
    RUN(m, 0x0F, 0x21, 0xC3);
    expect_exc(m, 1, 0, false, 0);
    RUN_OK(m, 0x0F, 0x21, 0xF3, 0x0F, 0x21, 0xF9);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0x2000u, 0x2000u);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX) & 0x2000u, 0);
    machine_free(m);
}

/* ------------------------------------------------------------------ */
/* Descriptor-table registers                                          */

static void test_sgdt_sidt(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    cpu_set_dtr(m->cpu, false, 0x12345678u, 0x01FF);
    cpu_set_dtr(m->cpu, true, 0x9ABCDEF0u, 0x07FF);
    for (unsigned k = 0; k < 0x40; k += 4)
        poke32(m, DATA + k, 0xCCCCCCCCu);
    RUN_OK(m, 0x0F, 0x01, 0x06, 0x00, 0x20,        /* sgdt [2000h] (o16) */
           0x66, 0x0F, 0x01, 0x06, 0x10, 0x20,     /* o32 sgdt [2010h] */
           0x0F, 0x01, 0x0E, 0x20, 0x20,           /* sidt [2020h] */
           0x66, 0x0F, 0x01, 0x0E, 0x30, 0x20);    /* o32 sidt [2030h] */
    static const uint8_t want[4][8] = {
        { 0xFF, 0x01, 0x78, 0x56, 0x34, 0x00, 0xCC, 0xCC },
        { 0xFF, 0x01, 0x78, 0x56, 0x34, 0x12, 0xCC, 0xCC },
        { 0xFF, 0x07, 0xF0, 0xDE, 0xBC, 0x00, 0xCC, 0xCC },
        { 0xFF, 0x07, 0xF0, 0xDE, 0xBC, 0x9A, 0xCC, 0xCC },
    };
    for (unsigned k = 0; k < 4; k++) {
        uint8_t got[8];
        mmu_read_block(m->mmu, DATA + 0x10 * k, got, 8);
        assert_memory_equal(got, want[k], 8);
    }
    /* the 6-byte image must fit below the limit: no wrap to offset 0 */
    cpu_set_dtr(m->cpu, true, 0, 0x3FF); /* the IVT again */
    poke32(m, 0, 0xCCCCCCCCu);
    RUN(m, 0x0F, 0x01, 0x06, 0xFE, 0xFF); /* sgdt [0FFFEh] */
    expect_exc(m, 13, 0, true, 0);
    assert_int_equal(peek32(m, 0), 0xCCCCCCCCu);
    machine_free(m);
}

static void test_lgdt_lidt(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    poke32(m, DATA, 0xCCDD0027u);
    poke32(m, DATA + 4, 0x0000AABBu);
    RUN_OK(m, 0x0F, 0x01, 0x16, 0x00, 0x20,       /* lgdt [2000h] (o16: 24-bit base) */
           0x66, 0x0F, 0x01, 0x1E, 0x00, 0x20);   /* o32 lidt [2000h] */
    uint32_t base;
    uint16_t limit;
    cpu_get_dtr(m->cpu, false, &base, &limit);
    assert_int_equal(base, 0x00BBCCDDu);
    assert_int_equal(limit, 0x27);
    cpu_get_dtr(m->cpu, true, &base, &limit);
    assert_int_equal(base, 0xAABBCCDDu);
    assert_int_equal(limit, 0x27);
    /* and back out with o32 SGDT */
    RUN_OK(m, 0x66, 0x0F, 0x01, 0x06, 0x10, 0x20);
    assert_int_equal(peek32(m, DATA + 0x10), 0xCCDD0027u);
    assert_int_equal(peek32(m, DATA + 0x14) & 0xFFFFu, 0x00BBu);
    machine_free(m);
}

static void test_real_mode_ud(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    RUN(m, 0x0F, 0x02, 0xC3); /* lar ax, bx */
    expect_exc(m, 6, 0, false, 0);
    RUN(m, 0x0F, 0x00, 0xD0); /* lldt ax */
    expect_exc(m, 6, 0, false, 0);
    RUN(m, 0x0F, 0x00, 0xC3); /* sldt bx */
    expect_exc(m, 6, 0, false, 0);
    RUN(m, 0x63, 0xC3);       /* arpl bx, ax */
    expect_exc(m, 6, 0, false, 0);
    RUN(m, 0x0F, 0x0B);       /* ud2 */
    expect_exc(m, 6, 0, false, 0);
    RUN(m, 0x0F, 0x34);       /* sysenter: #GP(0) in real mode */
    expect_exc(m, 13, 0, true, 0);
    machine_free(m);
}

static void test_hlt(void **state)
{
    (void)state;
    /* wbinvd; hlt: EIP stops after the HLT; with IF = 1 an interrupt
     * could wake the CPU, with IF = 0 (and no NMI) nothing can */
    static const uint8_t code[] = { 0x0F, 0x09, 0xF4 };
    for (unsigned k = 0; k < 2; k++) {
        struct machine *m = real_machine(false);
        cpu_set_eflags(m->cpu, k ? 0x2 : (0x2 | FL_IF));
        assert_int_equal(run_code(m, code, sizeof code), k ? CPU_STOP_DEAD_HALT : CPU_STOP_HALT);
        assert_int_equal(cpu_get_eip(m->cpu), CODE + 3);
        assert_int_equal(cpu_icount(m->cpu), 2);
        machine_free(m);
    }
}

/* ------------------------------------------------------------------ */
/* x87 / MMX escapes                                                   */

static void test_fpu_escape(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    RUN(m, 0x90, 0xD9, 0xE8); /* nop; fld1: no coprocessor */
    expect_exc(m, 7, 1, false, 0);
    RUN(m, 0xDD, 0x06, 0x00, 0x20); /* fld qword [2000h] */
    expect_exc(m, 7, 0, false, 0);
    RUN(m, 0x0F, 0xAE, 0x06, 0x00, 0x20); /* fxsave: FXSR not reported */
    expect_exc(m, 6, 0, false, 0);
    RUN(m, 0x0F, 0xEF, 0xC0); /* pxor mm0, mm0: MMX not reported */
    expect_exc(m, 6, 0, false, 0);
    RUN_OK(m, 0x9B); /* wait: MP = 0 */
    cpu_set_cr(m->cpu, 0, 0x6000001Au); /* MP, TS */
    RUN(m, 0x9B);
    expect_exc(m, 7, 0, false, 0);
    cpu_set_cr(m->cpu, 0, 0x60000018u); /* TS only: WAIT runs */
    RUN_OK(m, 0x9B);
    machine_free(m);

    m = real_machine(true);
    RUN_OK(m, 0xDB, 0xE3, 0xD9, 0xE8); /* fninit; fld1: the coprocessor executes them */
    RUN_OK(m, 0x0F, 0xAE, 0x06, 0x00, 0x20); /* fxsave [2000h]: FXSR reported */
    assert_int_equal(peek8(m, DATA + 4), 0x80); /* abridged tag: R7 in use */
    RUN(m, 0x0F, 0xAE, 0x06, 0x08, 0x20); /* fxsave [2008h]: not 16-byte aligned */
    expect_exc(m, 13, 0, true, 0);
    cpu_set_cr(m->cpu, 0, 0x60000014u); /* EM */
    RUN(m, 0xD9, 0xE8);
    expect_exc(m, 7, 0, false, 0);
    cpu_set_cr(m->cpu, 0, 0x60000018u); /* TS */
    RUN(m, 0xD9, 0xE8);
    expect_exc(m, 7, 0, false, 0);
    machine_free(m);
}

/* ------------------------------------------------------------------ */
/* Protected mode                                                      */

static void test_enter_protected_mode(void **state)
{
    (void)state;
    struct machine *m = real_machine(false);
    put_desc(m, GDT, 0x08, 0x0000FFFFu, 0x00CF9A00u);
    poke32(m, DATA, (GDT << 16) | 0x000F);
    poke32(m, DATA + 4, 0);
    put_loop(m, 0x1100);
    RUN(m, 0x0F, 0x01, 0x16, 0x00, 0x20,            /* lgdt [2000h] */
        0x0F, 0x20, 0xC0,                           /* mov eax, cr0 */
        0x0C, 0x01,                                 /* or al, 1 */
        0x0F, 0x22, 0xC0,                           /* mov cr0, eax */
        0x66, 0xEA, 0x00, 0x11, 0x00, 0x00, 0x08, 0x00); /* jmp dword 08h:1100h */
    assert_int_equal(cpu_get_eip(m->cpu), 0x1100);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x60000011u);
    struct cpu_segment cs;
    cpu_get_segment(m->cpu, CPU_CS, &cs);
    assert_int_equal(cs.selector, 0x08);
    assert_int_equal(cs.base, 0);
    assert_int_equal(cs.limit, 0xFFFFFFFFu);
    assert_true(cs.attr & CPU_SEG_ATTR_DB);
    machine_free(m);
}

static void test_lldt_sldt(void **state)
{
    (void)state;
    struct machine *m = pm_machine();
    cpu_set_reg(m->cpu, CPU_EAX, SEL_LDT);
    cpu_set_reg(m->cpu, CPU_EBX, 0xFFFFFFFFu);
    cpu_set_reg(m->cpu, CPU_ECX, 0xFFFFFFFFu);
    RUN_OK(m, 0x0F, 0x00, 0xD0,        /* lldt ax */
           0x0F, 0x00, 0xC3,           /* sldt ebx (o32: zero-extended) */
           0x66, 0x0F, 0x00, 0xC1);    /* sldt cx */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX), SEL_LDT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 0xFFFF0000u | SEL_LDT);
    /* the LDT is in use: LSL on LDT selector 0Ch gives its limit */
    cpu_set_reg(m->cpu, CPU_EBX, 0x0C);
    RUN_OK(m, 0x0F, 0x03, 0xC3); /* lsl eax, bx */
    assert_true(zf(m));
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0xFFF);

    /* not an LDT: #GP(sel); not present: #NP(sel); TI = 1: #GP(sel) */
    cpu_set_reg(m->cpu, CPU_EAX, SEL_TSS);
    RUN(m, 0x0F, 0x00, 0xD0);
    expect_exc(m, 13, 0, true, SEL_TSS);
    cpu_set_reg(m->cpu, CPU_EAX, SEL_LDT_NP);
    RUN(m, 0x0F, 0x00, 0xD0);
    expect_exc(m, 11, 0, true, SEL_LDT_NP);
    cpu_set_reg(m->cpu, CPU_EAX, 0x1C);
    RUN(m, 0x0F, 0x00, 0xD0);
    expect_exc(m, 13, 0, true, 0x1C);
    cpu_set_reg(m->cpu, CPU_EAX, 0x80);
    RUN(m, 0x0F, 0x00, 0xD0);
    expect_exc(m, 13, 0, true, 0x80); /* beyond the GDT limit */

    /* null selector: LDTR invalid, LDT selectors no longer resolve */
    cpu_set_reg(m->cpu, CPU_EAX, 0);
    RUN_OK(m, 0x0F, 0x00, 0xD0, 0x0F, 0x03, 0xC3);
    assert_false(zf(m));
    machine_free(m);
}

static void test_ltr_str(void **state)
{
    (void)state;
    struct machine *m = pm_machine();
    cpu_set_reg(m->cpu, CPU_EAX, SEL_TSS);
    RUN_OK(m, 0x0F, 0x00, 0xD8,   /* ltr ax */
           0x0F, 0x00, 0xC9);     /* str ecx */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), SEL_TSS);
    /* the descriptor is now busy (type 11) */
    assert_int_equal(peek8(m, GDT + SEL_TSS + 5), 0x8B);
    /* a busy TSS cannot be loaded again */
    RUN(m, 0x0F, 0x00, 0xD8);
    expect_exc(m, 13, 0, true, SEL_TSS);
    /* null selector: #GP(0); a data segment: #GP(sel) */
    cpu_set_reg(m->cpu, CPU_EAX, 0);
    RUN(m, 0x0F, 0x00, 0xD8);
    expect_exc(m, 13, 0, true, 0);
    cpu_set_reg(m->cpu, CPU_EAX, SEL_DATA0);
    RUN(m, 0x0F, 0x00, 0xD8);
    expect_exc(m, 13, 0, true, SEL_DATA0);
    machine_free(m);
}

/* lar/lsl eax, bx with the given selector: ZF, and EAX (preset to a marker) */
static bool probe(struct machine *m, uint8_t opcode, uint16_t sel, uint32_t *eax)
{
    cpu_set_reg(m->cpu, CPU_EAX, 0x5A5A5A5Au);
    cpu_set_reg(m->cpu, CPU_EBX, sel);
    uint8_t code[3] = { 0x0F, opcode, 0xC3 };
    run_code(m, code, sizeof code);
    expect_done(m, sizeof code);
    *eax = cpu_get_reg(m->cpu, CPU_EAX);
    return zf(m);
}

static void test_lar_lsl(void **state)
{
    (void)state;
    struct machine *m = pm_machine();
    uint32_t v;
    assert_true(probe(m, 0x02, SEL_CODE0, &v));
    assert_int_equal(v, 0x00C09A00u);
    assert_true(probe(m, 0x02, SEL_CALLGATE3, &v));
    assert_int_equal(v, 0x0000EC00u);
    assert_true(probe(m, 0x02, SEL_LDT, &v));
    assert_int_equal(v, 0x00008200u);
    /* interrupt gate, null, beyond the limit: ZF = 0, EAX untouched */
    assert_false(probe(m, 0x02, SEL_INTGATE, &v));
    assert_int_equal(v, 0x5A5A5A5Au);
    assert_false(probe(m, 0x02, 0, &v));
    assert_false(probe(m, 0x02, 0x80, &v));
    assert_int_equal(v, 0x5A5A5A5Au);
    /* RPL 3 against a DPL 0 data segment; conforming code ignores it */
    assert_false(probe(m, 0x02, SEL_DATA0 | 3, &v));
    assert_true(probe(m, 0x02, SEL_CONFCODE | 3, &v));

    assert_true(probe(m, 0x03, SEL_SMALL, &v));
    assert_int_equal(v, 0x1234);
    assert_true(probe(m, 0x03, SEL_CODE0, &v));
    assert_int_equal(v, 0xFFFFFFFFu);
    assert_true(probe(m, 0x03, SEL_TSS, &v));
    assert_int_equal(v, 0x67);
    assert_false(probe(m, 0x03, SEL_CALLGATE3, &v)); /* gates have no limit */
    assert_int_equal(v, 0x5A5A5A5Au);

    /* 16-bit forms write only AX */
    cpu_set_reg(m->cpu, CPU_EAX, 0x5A5A5A5Au);
    cpu_set_reg(m->cpu, CPU_EBX, SEL_SMALL);
    RUN_OK(m, 0x66, 0x0F, 0x03, 0xC3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x5A5A1234u);
    RUN_OK(m, 0x66, 0x0F, 0x02, 0xC3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x5A5A9200u);
    machine_free(m);
}

static bool verify(struct machine *m, uint8_t modrm, uint16_t sel)
{
    cpu_set_reg(m->cpu, CPU_EBX, sel);
    uint8_t code[3] = { 0x0F, 0x00, modrm };
    run_code(m, code, sizeof code);
    expect_done(m, sizeof code);
    return zf(m);
}

static void test_verr_verw(void **state)
{
    (void)state;
    struct machine *m = pm_machine();
    const uint8_t verr = 0xE3, verw = 0xEB;
    assert_true(verify(m, verr, SEL_DATA0));
    assert_true(verify(m, verw, SEL_DATA0));
    assert_true(verify(m, verr, SEL_CODE0));
    assert_false(verify(m, verw, SEL_CODE0));
    assert_false(verify(m, verr, SEL_XCODE));
    assert_true(verify(m, verr, SEL_CONFCODE | 3));
    assert_true(verify(m, verr, SEL_RODATA3));
    assert_false(verify(m, verw, SEL_RODATA3));
    assert_false(verify(m, verr, SEL_DATA0 | 3));
    assert_false(verify(m, verr, SEL_LDT));
    assert_false(verify(m, verr, 0));
    assert_false(verify(m, verw, 0x80));
    machine_free(m);
}

static void test_arpl(void **state)
{
    (void)state;
    struct machine *m = pm_machine();
    cpu_set_reg(m->cpu, CPU_EAX, 0x0003);
    cpu_set_reg(m->cpu, CPU_EBX, 0xFFFF0010u);
    RUN_OK(m, 0x63, 0xC3); /* arpl bx, ax */
    assert_true(zf(m));
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX), 0xFFFF0013u);
    cpu_set_reg(m->cpu, CPU_EAX, 0x0001);
    RUN_OK(m, 0x63, 0xC3);
    assert_false(zf(m));
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX), 0xFFFF0013u);
    /* memory destination */
    poke32(m, DATA, 0xCCCC0021u);
    RUN_OK(m, 0x63, 0x05, 0x00, 0x20, 0x00, 0x00); /* arpl [2000h], ax */
    assert_false(zf(m));
    cpu_set_reg(m->cpu, CPU_EAX, 0x0002);
    RUN_OK(m, 0x63, 0x05, 0x00, 0x20, 0x00, 0x00);
    assert_true(zf(m));
    assert_int_equal(peek32(m, DATA), 0xCCCC0022u);
    machine_free(m);
}

/* A machine with a TSS loaded and the SYSENTER MSRs set: CS 60h, ESP
 * 8800h, EIP SYSENTER_EIP.  Its IDT gates lead to a conforming code
 * segment, so exceptions from ring 3 are handled at ring 3 on the user
 * stack (SDM vol. 3, 6.12.1: no stack switch), which keeps these tests
 * about the faulting instruction rather than privilege-changing delivery. */
static struct machine *sysenter_machine(void)
{
    struct machine *m = pm_machine();
    for (unsigned v = 0; v < 32; v++)
        put_desc(m, IDT, v * 8, (SEL_CONFCODE << 16) | PM_HANDLER, 0x00008E00u);
    cpu_set_reg(m->cpu, CPU_EAX, SEL_TSS);
    RUN_OK(m, 0x0F, 0x00, 0xD8); /* ltr ax */
    wrmsr_ok(m, 0x174, SEL_SYSENTER);
    wrmsr_ok(m, 0x175, 0x8800);
    wrmsr_ok(m, 0x176, SYSENTER_EIP);
    return m;
}

/* SYSEXIT to USER_CODE (ring 3, ESP 8400h), run `code` there followed by
 * SYSENTER back to ring 0 (which ends at SYSENTER_EIP). */
static void run_cpl3(struct machine *m, const uint8_t *code, size_t len)
{
    struct cpu *c = m->cpu;
    mmu_write_block(m->mmu, USER_CODE, code, len);
    poke8(m, USER_CODE + (uint32_t)len, 0x0F);
    poke8(m, USER_CODE + 1 + (uint32_t)len, 0x34);
    cpu_set_reg(c, CPU_EDX, USER_CODE);
    cpu_set_reg(c, CPU_ECX, 0x8400);
    RUN(m, 0x0F, 0x35);
}

static void test_sysenter_sysexit(void **state)
{
    (void)state;
    struct machine *m = pm_machine();
    struct cpu *c = m->cpu;
    /* SYSENTER/SYSEXIT with SYSENTER_CS = 0: #GP(0) */
    RUN(m, 0x0F, 0x34);
    expect_exc(m, 13, 0, true, 0);
    RUN(m, 0x0F, 0x35);
    expect_exc(m, 13, 0, true, 0);
    machine_free(m);

    m = sysenter_machine();
    c = m->cpu;
    cpu_set_eflags(c, 0x2 | FL_IF);
    RUN(m, 0x0F, 0x34);
    assert_int_equal(cpu_get_eip(c), SYSENTER_EIP);
    assert_int_equal(cpu_get_reg(c, CPU_ESP), 0x8800);
    assert_int_equal(cpu_get_eflags(c) & FL_IF, 0);
    struct cpu_segment s;
    cpu_get_segment(c, CPU_CS, &s);
    assert_int_equal(s.selector, SEL_SYSENTER);
    assert_int_equal(s.attr, 0xC09B);
    assert_int_equal(s.limit, 0xFFFFFFFFu);
    cpu_get_segment(c, CPU_SS, &s);
    assert_int_equal(s.selector, SEL_SYSENTER + 8);
    assert_int_equal(s.attr, 0xC093);

    /* SYSEXIT: ring 3 at EDX with ESP = ECX (one instruction only) */
    cpu_set_reg(c, CPU_EDX, USER_CODE);
    cpu_set_reg(c, CPU_ECX, 0x8400);
    mmu_write_block(m->mmu, CODE, (const uint8_t[]){ 0x0F, 0x35 }, 2);
    cpu_set_eip(c, CODE);
    cpu_run(c, 1);
    assert_int_equal(cpu_get_eip(c), USER_CODE);
    assert_int_equal(cpu_get_reg(c, CPU_ESP), 0x8400);
    cpu_get_segment(c, CPU_CS, &s);
    assert_int_equal(s.selector, (SEL_SYSENTER + 16) | 3);
    assert_int_equal(s.attr, 0xC0FB);
    cpu_get_segment(c, CPU_SS, &s);
    assert_int_equal(s.selector, (SEL_SYSENTER + 24) | 3);
    assert_int_equal(s.attr, 0xC0F3);

    /* at CPL 3 RDMSR faults: #GP(0) with the ring-3 CS:EIP in the frame
     * on the user stack (ESP 8400h) */
    mmu_write_block(m->mmu, USER_CODE, (const uint8_t[]){ 0x0F, 0x32 }, 2);
    cpu_run(c, BUDGET);
    struct cpu_exception_info e;
    cpu_last_exception(c, &e);
    assert_int_equal(cpu_get_eip(c), PM_HANDLER);
    assert_int_equal(e.vector, 13);
    assert_int_equal(e.eip, USER_CODE);
    assert_int_equal(e.cs, (SEL_SYSENTER + 16) | 3);
    assert_int_equal(peek32(m, 0x8400 - 16), 0);
    assert_int_equal(peek32(m, 0x8400 - 12), USER_CODE);
    assert_int_equal(peek32(m, 0x8400 - 8), (SEL_SYSENTER + 16) | 3);
    machine_free(m);
}

static void expect_cpl3_gp(struct machine *m)
{
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_int_equal(cpu_get_eip(m->cpu), PM_HANDLER);
    assert_int_equal(e.vector, 13);
    assert_int_equal(e.eip, USER_CODE);
    assert_int_equal(e.error, 0);
}

static void test_cpl3_privilege(void **state)
{
    (void)state;
    static const uint8_t privileged[][3] = {
        { 0xF4, 0x90, 0x90 },       /* hlt */
        { 0x0F, 0x06, 0x90 },       /* clts */
        { 0x0F, 0x09, 0x90 },       /* wbinvd */
        { 0x0F, 0x08, 0x90 },       /* invd */
        { 0x0F, 0x20, 0xC0 },       /* mov eax, cr0 */
        { 0x0F, 0x22, 0xD8 },       /* mov cr3, eax */
        { 0x0F, 0x21, 0xC0 },       /* mov eax, dr0 */
        { 0x0F, 0x01, 0xF0 },       /* lmsw ax */
        { 0x0F, 0x01, 0x38 },       /* invlpg [eax] */
        { 0x0F, 0x00, 0xD0 },       /* lldt ax */
        { 0x0F, 0x00, 0xD8 },       /* ltr ax */
        { 0x0F, 0x30, 0x90 },       /* wrmsr */
        { 0x0F, 0x33, 0x90 },       /* rdpmc without CR4.PCE */
        { 0x0F, 0x35, 0x90 },       /* sysexit */
    };
    for (size_t k = 0; k < sizeof privileged / sizeof privileged[0]; k++) {
        struct machine *m = sysenter_machine();
        cpu_set_reg(m->cpu, CPU_EAX, 0);
        run_cpl3(m, privileged[k], 3);
        expect_cpl3_gp(m);
        machine_free(m);
    }

    /* allowed at CPL 3: RDTSC (CR4.TSD = 0), SMSW, LAR (of a DPL 0
     * segment: ZF = 0); then SYSENTER back to ring 0 */
    struct machine *m = sysenter_machine();
    cpu_set_reg(m->cpu, CPU_EBX, SEL_CODE0);
    static const uint8_t allowed[] = { 0x0F, 0x31, 0x0F, 0x01, 0xE0, 0x0F, 0x02, 0xC3 };
    run_cpl3(m, allowed, sizeof allowed);
    assert_int_equal(cpu_get_eip(m->cpu), SYSENTER_EIP);
    assert_false(zf(m));
    machine_free(m);

    /* CR4.TSD makes RDTSC privileged; CR4.PCE makes RDPMC available */
    m = sysenter_machine();
    cpu_set_reg(m->cpu, CPU_EAX, 0x4);
    RUN_OK(m, 0x0F, 0x22, 0xE0);
    run_cpl3(m, (const uint8_t[]){ 0x0F, 0x31 }, 2);
    expect_cpl3_gp(m);
    machine_free(m);
    m = sysenter_machine();
    cpu_set_reg(m->cpu, CPU_EAX, 0x100);
    RUN_OK(m, 0x0F, 0x22, 0xE0);
    /* ECX holds SYSEXIT's ESP: clear it (xor ecx, ecx) before RDPMC */
    run_cpl3(m, (const uint8_t[]){ 0x31, 0xC9, 0x0F, 0x33 }, 4);
    assert_int_equal(cpu_get_eip(m->cpu), SYSENTER_EIP);
    machine_free(m);
}

static void test_invlpg(void **state)
{
    (void)state;
    struct machine *m = pm_machine();
    /* page directory at 10000h, one page table at 11000h identity-mapping
     * the first 4 MiB (user, writable) */
    poke32(m, 0x10000, 0x11000 | 7);
    for (uint32_t p = 0; p < 1024; p++)
        poke32(m, 0x11000 + 4 * p, (p << 12) | 7);
    poke32(m, 0x200000, 0x11111111u);
    poke32(m, 0x201000, 0x22222222u);
    cpu_set_reg(m->cpu, CPU_EAX, 0x10000);
    cpu_set_reg(m->cpu, CPU_EBX, 0x80000011u);
    RUN_OK(m, 0x0F, 0x22, 0xD8,                   /* mov cr3, eax */
           0x0F, 0x22, 0xC3,                      /* mov cr0, ebx */
           0xA1, 0x00, 0x00, 0x20, 0x00);         /* mov eax, [200000h] */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x11111111u);
    /* remap linear 200000h to 201000h behind the TLB's back */
    poke32(m, 0x11000 + 4 * 0x200, 0x201000 | 7);
    RUN_OK(m, 0x0F, 0x01, 0x3D, 0x00, 0x00, 0x20, 0x00, /* invlpg [200000h] */
           0xA1, 0x00, 0x00, 0x20, 0x00);               /* mov eax, [200000h] */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x22222222u);
    /* CR3 keeps bits 31:3 (base, PCD, PWT; bits 11:5 locate a PAE
     * table); MOV CR3 flushes the TLB */
    poke32(m, 0x11000 + 4 * 0x200, 0x200000 | 7);
    cpu_set_reg(m->cpu, CPU_ECX, 0x10FFFu);
    RUN_OK(m, 0x0F, 0x22, 0xD9, 0x0F, 0x20, 0xDA,       /* mov cr3, ecx; mov edx, cr3 */
           0xA1, 0x00, 0x00, 0x20, 0x00);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDX), 0x10FF8u);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x11111111u);
    /* ... even when the value does not change */
    poke32(m, 0x11000 + 4 * 0x200, 0x201000 | 7);
    cpu_set_reg(m->cpu, CPU_ECX, 0x10FF8u);
    RUN_OK(m, 0x0F, 0x22, 0xD9, 0xA1, 0x00, 0x00, 0x20, 0x00);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x22222222u);
    machine_free(m);
}

/* A misaligned store or read-modify-write that crosses into a page it
 * may not write faults on the second page with CR2 = that page's first
 * byte, and writes nothing to the first page (SDM vol. 3, 4.7; faults
 * are precise, 6.5). */
static void test_page_crossing(void **state)
{
    (void)state;
    struct machine *m = pm_machine();
    poke32(m, 0x10000, 0x11000 | 3);
    for (uint32_t p = 0; p < 1024; p++)
        poke32(m, 0x11000 + 4 * p, (p << 12) | 3);
    poke32(m, 0x11000 + 4 * 0x201, 0); /* 201000h not present */
    poke32(m, 0x200FFC, 0x11223344u);
    cpu_set_reg(m->cpu, CPU_EAX, 0x10000);
    cpu_set_reg(m->cpu, CPU_EBX, 0x80010011u); /* PG, WP, PE */
    RUN_OK(m, 0x0F, 0x22, 0xD8, 0x0F, 0x22, 0xC3,
           0xC7, 0x05, 0xF8, 0x0F, 0x20, 0x00, 0x78, 0x56, 0x34, 0x12); /* prime the write TLB */
    static const struct { uint8_t code[8]; size_t len; } insn[] = {
        { { 0xA3, 0xFE, 0x0F, 0x20, 0x00 }, 5 },             /* mov [200FFEh], eax */
        { { 0x66, 0xA3, 0xFF, 0x0F, 0x20, 0x00 }, 6 },       /* mov [200FFFh], ax */
        { { 0x66, 0x01, 0x05, 0xFF, 0x0F, 0x20, 0x00 }, 7 }, /* add [200FFFh], ax */
        { { 0x87, 0x05, 0xFD, 0x0F, 0x20, 0x00 }, 6 },       /* xchg [200FFDh], eax */
    };
    for (unsigned ro = 0; ro < 2; ro++) {
        /* not present, then present but read-only (WP = 1) */
        poke32(m, 0x11000 + 4 * 0x201, ro ? 0x201001u : 0);
        for (size_t k = 0; k < sizeof insn / sizeof insn[0]; k++) {
            cpu_set_reg(m->cpu, CPU_EAX, 0xAABBCCDDu);
            cpu_set_cr(m->cpu, 2, 0);
            run_code(m, insn[k].code, insn[k].len);
            expect_exc(m, 14, 0, true, ro ? 3u : 2u);
            assert_int_equal(cpu_get_cr(m->cpu, 2), 0x201000u);
            assert_int_equal(peek32(m, 0x200FFC), 0x11223344u);
            assert_int_equal(peek32(m, 0x201000), 0);
            assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0xAABBCCDDu);
        }
    }
    /* a crossing load from the read-only page is fine */
    poke32(m, 0x201000, 0x99887766u);
    RUN_OK(m, 0xA1, 0xFE, 0x0F, 0x20, 0x00); /* mov eax, [200FFEh] */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x77661122u);
    /* and a load from a not-present second page faults with error 0 */
    poke32(m, 0x11000 + 4 * 0x201, 0);
    RUN_OK(m, 0x0F, 0x01, 0x3D, 0x00, 0x10, 0x20, 0x00); /* invlpg [201000h] */
    cpu_set_reg(m->cpu, CPU_EAX, 0x5A5A5A5Au);
    RUN(m, 0xA1, 0xFE, 0x0F, 0x20, 0x00);
    expect_exc(m, 14, 0, true, 0);
    assert_int_equal(cpu_get_cr(m->cpu, 2), 0x201000u);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x5A5A5A5Au);
    machine_free(m);
}

/* ------------------------------------------------------------------ */
/* PAE: the PDPTE registers and their load points (SDM vol. 3, 4.4.1)  */

#define PDPT_A 0x10000u   /* good table */
#define PDPT_B 0x10020u   /* PDPTE 2 sets reserved bit 1 */
#define PAE_PD 0x11000u   /* PDE 0: 2 MiB identity page; PDE 1 -> PAE_PT */
#define PAE_PT 0x12000u   /* PTE 0: linear 200000h -> 300000h */
#define PAE_PD1 0x13000u  /* PDE 0: 2 MiB page at 200000h */

static void pdptes(struct machine *m, uint64_t out[4]) { mmu_get_pdptes(m->mmu, out); }

/* PAE tables in RAM; CR3 = PDPT_A, CR4.PAE = 1, paging still off. */
static struct machine *pae_machine(void)
{
    struct machine *m = pm_machine();
    for (unsigned k = 0; k < 4; k++)
        poke32(m, PDPT_A + 8 * k, k == 0 ? PAE_PD | 1u : 0);
    poke32(m, PDPT_B + 0, PAE_PD | 1u);
    poke32(m, PDPT_B + 16, PAE_PD | 3u);
    poke32(m, PAE_PD + 0, 0x000000E3u); /* 2 MiB, P RW PS A D */
    poke32(m, PAE_PD + 8, PAE_PT | 3u);
    poke32(m, PAE_PT + 0, 0x00300000u | 3u);
    poke32(m, PAE_PD1 + 0, 0x00200000u | 0x83u);
    poke32(m, 0x300000u, 0x33333333u);
    cpu_set_cr(m->cpu, 3, PDPT_A);
    cpu_set_cr(m->cpu, 4, 0x20);
    return m;
}

static void test_pae_pdpte_loads(void **state)
{
    (void)state;
    uint64_t r[4], r2[4];
    struct machine *m = pae_machine();
    /* CR4.PAE with CR0.PG = 0 loads nothing: PDPTE 0 is still empty */
    pdptes(m, r);
    assert_true(r[0] == 0);
    /* MOV CR0 that enables PAE paging loads them; the walk works */
    cpu_set_reg(m->cpu, CPU_EBX, 0x80000011u);
    RUN_OK(m, 0x0F, 0x22, 0xC3, 0xA1, 0x00, 0x00, 0x20, 0x00); /* mov cr0, ebx; mov eax, [200000h] */
    pdptes(m, r);
    assert_true(r[0] == (PAE_PD | 1u));
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x33333333u);

    /* MOV CR3 to a table with a reserved bit in a present PDPTE: #GP(0),
     * CR3 and the PDPTE registers unchanged, the TLB not flushed */
    poke32(m, PAE_PT + 0, 0x00301000u | 3u);
    cpu_set_reg(m->cpu, CPU_EAX, PDPT_B);
    RUN(m, 0x0F, 0x22, 0xD8);
    expect_exc(m, 13, 0, true, 0);
    assert_int_equal(cpu_get_cr(m->cpu, 3), PDPT_A);
    pdptes(m, r2);
    assert_memory_equal(r, r2, sizeof r);
    RUN_OK(m, 0xA1, 0x00, 0x00, 0x20, 0x00);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x33333333u);
    poke32(m, PAE_PT + 0, 0x00300000u | 3u);
    /* bit 63 (no NX on the P6) and bit 36 (MAXPHYADDR 36) likewise;
     * bits 32-35 are address bits, a P = 0 entry may hold anything */
    poke32(m, PDPT_B + 16, PAE_PD | 1u);
    poke32(m, PDPT_B + 20, 0x80000000u);
    cpu_set_reg(m->cpu, CPU_EAX, PDPT_B);
    RUN(m, 0x0F, 0x22, 0xD8);
    expect_exc(m, 13, 0, true, 0);
    poke32(m, PDPT_B + 20, 0x10u);
    RUN(m, 0x0F, 0x22, 0xD8);
    expect_exc(m, 13, 0, true, 0);
    assert_int_equal(cpu_get_cr(m->cpu, 3), PDPT_A);
    poke32(m, PDPT_B + 20, 0x0Fu);
    poke32(m, PDPT_B + 24, 0xFFFFFFFEu);
    poke32(m, PDPT_B + 28, 0xFFFFFFFFu);
    RUN_OK(m, 0x0F, 0x22, 0xD8);
    assert_int_equal(cpu_get_cr(m->cpu, 3), PDPT_B);
    pdptes(m, r);
    assert_true(r[2] == (0x0000000F00000000ull | PAE_PD | 1u));
    assert_true(r[3] == 0xFFFFFFFFFFFFFFFEull);

    /* the walk uses the registers: PDPTE 1 (linear 40000000h, a 2 MiB
     * page at 200000h) cleared in memory changes nothing, even across
     * INVLPG, until CR3 is loaded again (same value): then the access
     * faults, #PF not present */
    poke32(m, PDPT_A + 8, PAE_PD1 | 1u);
    cpu_set_reg(m->cpu, CPU_EAX, PDPT_A);
    RUN_OK(m, 0x0F, 0x22, 0xD8, 0xA1, 0x00, 0x00, 0x10, 0x40); /* mov eax, [40100000h] */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x33333333u);
    poke32(m, PDPT_A + 8, 0);
    RUN_OK(m, 0x0F, 0x01, 0x3D, 0x00, 0x00, 0x10, 0x40, /* invlpg [40100000h] */
           0xA1, 0x00, 0x00, 0x10, 0x40);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x33333333u);
    cpu_set_reg(m->cpu, CPU_EAX, PDPT_A);
    RUN(m, 0x0F, 0x22, 0xD8, 0xA1, 0x00, 0x00, 0x10, 0x40);
    expect_exc(m, 14, 3, true, 0);
    assert_int_equal(cpu_get_cr(m->cpu, 2), 0x40100000u);
    machine_free(m);
}

/* MOV CR0 and MOV CR4 load the PDPTEs when PAE paging is in use after
 * them and they change PG, CD, NW, PAE, PGE or PSE. */
static void test_pae_cr0_cr4_loads(void **state)
{
    (void)state;
    uint64_t r[4];
    struct machine *m = pae_machine();
    /* enabling paging with a bad table: #GP(0), CR0 unchanged */
    cpu_set_cr(m->cpu, 3, PDPT_B);
    cpu_set_reg(m->cpu, CPU_EBX, 0x80000011u);
    RUN(m, 0x0F, 0x22, 0xC3);
    expect_exc(m, 13, 0, true, 0);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x00000011u);
    /* with CR4.PAE = 0 the same CR3 is fine (32-bit paging), and then
     * setting CR4.PAE faults, CR4 unchanged */
    cpu_set_cr(m->cpu, 4, 0);
    poke32(m, PDPT_B & ~0xFFFu, 0x00000083u); /* 32-bit PDE 0: 4 MiB identity */
    cpu_set_cr(m->cpu, 4, 0x10);
    RUN_OK(m, 0x0F, 0x22, 0xC3);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x80000011u);
    cpu_set_reg(m->cpu, CPU_EAX, 0x30);
    RUN(m, 0x0F, 0x22, 0xE0);
    expect_exc(m, 13, 0, true, 0);
    assert_int_equal(cpu_get_cr(m->cpu, 4), 0x10);
    /* a good table: CR4.PAE with paging on loads it */
    poke32(m, PDPT_B + 16, 0);
    RUN_OK(m, 0x0F, 0x22, 0xE0, 0xA1, 0x00, 0x00, 0x20, 0x00);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x33333333u);
    pdptes(m, r);
    assert_true(r[0] == (PAE_PD | 1u) && r[2] == 0);

    /* toggling PGE or PSE reloads (and checks) them; TS does not */
    poke32(m, PDPT_B + 16, PAE_PD | 0x21u); /* bit 5 reserved */
    cpu_set_reg(m->cpu, CPU_EAX, 0xB0);
    RUN(m, 0x0F, 0x22, 0xE0);
    expect_exc(m, 13, 0, true, 0);
    cpu_set_reg(m->cpu, CPU_EAX, 0x20);
    RUN(m, 0x0F, 0x22, 0xE0);
    expect_exc(m, 13, 0, true, 0);
    assert_int_equal(cpu_get_cr(m->cpu, 4), 0x30);
    cpu_set_reg(m->cpu, CPU_EBX, 0x80000019u);
    RUN_OK(m, 0x0F, 0x22, 0xC3);
    /* CD and NW are load points too (SDM vol. 3, 4.4.1) */
    cpu_set_reg(m->cpu, CPU_EBX, 0xC0000019u);
    RUN(m, 0x0F, 0x22, 0xC3);
    expect_exc(m, 13, 0, true, 0);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x80000019u);
    /* clearing PAE (back to 32-bit paging) loads nothing */
    cpu_set_reg(m->cpu, CPU_EAX, 0x10);
    RUN_OK(m, 0x0F, 0x22, 0xE0);
    /* a good table again: PGE reloads it, the new PDPTE 2 is seen */
    poke32(m, PDPT_B + 16, PAE_PD | 1u);
    cpu_set_reg(m->cpu, CPU_EAX, 0x30);
    RUN_OK(m, 0x0F, 0x22, 0xE0);
    poke32(m, PDPT_B + 16, 0);
    cpu_set_reg(m->cpu, CPU_EAX, 0xB0);
    cpu_set_reg(m->cpu, CPU_EBX, 0xC0000019u);
    RUN_OK(m, 0x0F, 0x22, 0xE0, 0x0F, 0x22, 0xC3);
    pdptes(m, r);
    assert_true(r[2] == 0);
    machine_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpuid),
        cmocka_unit_test(test_rdtsc),
        cmocka_unit_test(test_msr),
        cmocka_unit_test(test_rdpmc),
        cmocka_unit_test(test_cr0),
        cmocka_unit_test(test_cr4),
        cmocka_unit_test(test_lmsw_smsw),
        cmocka_unit_test(test_debug_registers),
        cmocka_unit_test(test_sgdt_sidt),
        cmocka_unit_test(test_lgdt_lidt),
        cmocka_unit_test(test_real_mode_ud),
        cmocka_unit_test(test_hlt),
        cmocka_unit_test(test_fpu_escape),
        cmocka_unit_test(test_enter_protected_mode),
        cmocka_unit_test(test_lldt_sldt),
        cmocka_unit_test(test_ltr_str),
        cmocka_unit_test(test_lar_lsl),
        cmocka_unit_test(test_verr_verw),
        cmocka_unit_test(test_arpl),
        cmocka_unit_test(test_sysenter_sysexit),
        cmocka_unit_test(test_cpl3_privilege),
        cmocka_unit_test(test_invlpg),
        cmocka_unit_test(test_page_crossing),
        cmocka_unit_test(test_pae_pdpte_loads),
        cmocka_unit_test(test_pae_cr0_cr4_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
