/*
 * test_engine.c - the run loop (cpu/exec.c), decoded-instruction cache,
 * exceptions, interrupts and their delivery, on a tiny machine: 1 MiB of
 * RAM, port callbacks, an INTA callback that returns a chosen vector.
 *
 * Code is hand-assembled (nasm syntax in the comments; the byte groups
 * were checked with nasm/ndisasm).  Real-mode tests run at 0000:1000 with
 * an IVT whose every entry leads to a HLT at 0000:0500, so a delivered
 * exception shows as a halt there with its frame on the stack.
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
#include "tests/engine/engine_test_machine.h"

/* The exception `vector` hit the instruction at `eip` and was delivered
 * to the default handler (its hlt ran). */
static void expect_exc(struct machine *m, unsigned vector, uint32_t eip)
{
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_true(e.valid);
    assert_int_equal(e.vector, vector);
    assert_int_equal(e.eip, eip);
    assert_int_equal(cpu_get_eip(m->cpu), HANDLER + 1);
}

/* ------------------------------------------------------------------ */

static void test_reset_state(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    cpu_reset(m->cpu);
    struct cpu_segment s;
    cpu_get_segment(m->cpu, CPU_CS, &s);
    assert_int_equal(s.selector, 0xF000);
    assert_int_equal(s.base, 0xFFFF0000u);
    assert_int_equal(s.limit, 0xFFFF);
    assert_int_equal(cpu_get_eip(m->cpu), 0xFFF0);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDX), 0x0652);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0);
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x60000010u);
    assert_int_equal(cpu_get_eflags(m->cpu), 0x2);
    cpu_get_segment(m->cpu, CPU_SS, &s);
    assert_int_equal(s.selector, 0);
    assert_int_equal(s.base, 0);
    assert_int_equal(s.limit, 0xFFFF);
    assert_int_equal(s.attr & 0xFF, 0x93);
    uint32_t base;
    uint16_t limit;
    cpu_get_dtr(m->cpu, true, &base, &limit);
    assert_int_equal(base, 0);
    assert_int_equal(limit, 0xFFFF);
    tm_free(m);
}

/* The reset vector in a ROM at the top of 4 GiB: jmp 0000:1000. */
static void test_reset_vector_rom(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static uint8_t rom[0x10000];
    memset(rom, 0xF4, sizeof(rom));
    static const uint8_t jmpf[5] = {0xEA, 0x00, 0x10, 0x00, 0x00}; /* jmp 0000:1000 */
    memcpy(rom + 0xFFF0, jmpf, sizeof(jmpf));
    assert_int_equal(mmu_map_rom(m->mmu, 0xFFFF0000u, rom, sizeof(rom)), 0);
    static const uint8_t code[] = {0xB3, 0x07, 0xF4}; /* mov bl, 7; hlt */
    load(m, CODE, code, sizeof(code));
    cpu_reset(m->cpu);
    cpu_set_eflags(m->cpu, 0x202);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 7);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 3);
    tm_free(m);
}

/* (a) A store that changes the immediate of the very next instruction in
 * the same trace: the new value is used. */
static void test_smc_next_instruction(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {
        0xC6, 0x06, 0x06, 0x10, 0x42, /* mov byte [1006h], 42h */
        0xB0, 0x11,                   /* mov al, 11h   (imm at 1006h) */
        0xF4,                         /* hlt */
    };
    load(m, CODE, code, sizeof(code));
    struct cpu_stats before, after;
    cpu_get_stats(m->cpu, &before);
    cpu_set_eflags(m->cpu, 0x202);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFF, 0x42);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + sizeof(code));
    cpu_get_stats(m->cpu, &after);
    assert_int_equal(after.smc_flushes - before.smc_flushes, 1);
    tm_free(m);
}

/* A store to another 128-byte line of a page that holds code discards
 * nothing. */
static void test_smc_other_line_keeps_code(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {
        0xC6, 0x06, 0x00, 0x1F, 0x01, /* mov byte [1F00h], 1 */
        0xB0, 0x11,                   /* mov al, 11h */
        0xF4,                         /* hlt */
    };
    load(m, CODE, code, sizeof(code));
    struct cpu_stats before, after;
    cpu_get_stats(m->cpu, &before);
    cpu_set_eflags(m->cpu, 0x202);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(peek8(m, 0x1F00), 1);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFF, 0x11);
    cpu_get_stats(m->cpu, &after);
    assert_int_equal(after.smc_flushes, before.smc_flushes);
    /* running it again is served from the cache */
    cpu_set_eip(m->cpu, CODE);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    struct cpu_stats again;
    cpu_get_stats(m->cpu, &again);
    assert_int_equal(again.icache_misses, after.icache_misses);
    assert_true(again.icache_hits > after.icache_hits);
    tm_free(m);
}

/* REP STOSB overwrites code that already sits decoded in the cache. */
static void test_smc_rep_stos_following_code(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {
        0xBF, 0x0A, 0x10, /* 1000: mov di, 100Ah */
        0xB0, 0x90,       /* 1003: mov al, 90h (nop) */
        0x90, 0x90, 0x90, /* 1005: nop x3 */
        0xF3, 0xAA,       /* 1008: rep stosb (CX from the test) */
        0xB3, 0x01,       /* 100A: mov bl, 1  } overwritten */
        0xF4,             /* 100C: hlt        } by nops */
        0xB3, 0x02,       /* 100D: mov bl, 2 */
        0xF4,             /* 100F: hlt */
    };
    load(m, CODE, code, sizeof(code));
    cpu_set_eflags(m->cpu, 0x202);
    /* first pass: CX = 0, nothing written, the code at 100Ah runs and is
     * cached */
    cpu_set_reg(m->cpu, CPU_ECX, 0);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_get_eip(m->cpu), 0x100D);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 1);
    /* second pass: three NOPs over it */
    cpu_set_reg(m->cpu, CPU_EBX, 0);
    cpu_set_reg(m->cpu, CPU_ECX, 3);
    cpu_set_eip(m->cpu, CODE);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_get_eip(m->cpu), 0x1010);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 2);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX) & 0xFFFF, 0);
    assert_int_equal(peek8(m, 0x100C), 0x90);
    tm_free(m);
}

/* REP STOSB over its own bytes and the next instruction: like the
 * hardware it completes with its original decoding (all iterations), and
 * what follows runs as rewritten. */
static void test_smc_rep_stos_over_itself(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {
        0xF3, 0xAA, /* 1000: rep stosb (DI = 1000h, CX = 4, AL = 90h) */
        0xB3, 0x01, /* 1002: mov bl, 1 (becomes nop; nop) */
        0xF4,       /* 1004: hlt */
    };
    load(m, CODE, code, sizeof(code));
    cpu_set_eflags(m->cpu, 0x202);
    cpu_set_reg(m->cpu, CPU_EDI, CODE);
    cpu_set_reg(m->cpu, CPU_ECX, 4);
    cpu_set_reg(m->cpu, CPU_EAX, 0x90);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX) & 0xFFFF, 0);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDI) & 0xFFFF, 0x1004);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 0);
    assert_int_equal(cpu_get_eip(m->cpu), 0x1005);
    assert_int_equal(peek32(m, CODE), 0x90909090u);
    tm_free(m);
}

/* An instruction split across two pages runs, and runs again correctly
 * after its second half changes. */
static void test_page_crossing_instruction(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0xB8, 0x34, 0x12, 0xF4}; /* 1FFF: mov ax, 1234h; hlt */
    load(m, 0x1FFF, code, sizeof(code));
    cpu_set_eip(m->cpu, 0x1FFF);
    cpu_set_eflags(m->cpu, 0x202);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFFFF, 0x1234);
    poke8(m, 0x2001, 0x56);
    cpu_set_eip(m->cpu, 0x1FFF);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFFFF, 0x5634);
    tm_free(m);
}

/* (b) Precise faults: a word read at offset FFFFh is #GP(0); nothing of
 * the instruction is committed and the frame points at it. */
static void test_precise_gp_read(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {
        0xB8, 0x11, 0x11, /* mov ax, 1111h */
        0xA1, 0xFF, 0xFF, /* mov ax, [0FFFFh] */
        0xF4,
    };
    load(m, CODE, code, sizeof(code));
    poke16(m, 0xFFFF, 0xBEEF);
    cpu_set_reg(m->cpu, CPU_EBX, 0x22222222u);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    expect_exc(m, 13, CODE + 3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x1111);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX), 0x22222222u);
    /* frame: IP, CS, FLAGS; SP moved only by the delivery */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), STACK - 6);
    assert_int_equal(peek16(m, STACK - 6), CODE + 3);
    assert_int_equal(peek16(m, STACK - 4), 0);
    assert_int_equal(peek16(m, STACK - 2), 0x0002);
    tm_free(m);
}

static void test_precise_gp_write(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0xA3, 0xFF, 0xFF, 0xF4}; /* mov [0FFFFh], ax; hlt */
    load(m, CODE, code, sizeof(code));
    poke8(m, 0xFFFF, 0x5A);
    poke8(m, 0x10000, 0xA5);
    cpu_set_reg(m->cpu, CPU_EAX, 0x1234);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    expect_exc(m, 13, CODE);
    assert_int_equal(peek8(m, 0xFFFF), 0x5A);
    assert_int_equal(peek8(m, 0x10000), 0xA5);
    assert_int_equal(peek8(m, 0), (HANDLER & 0xFF)); /* IVT untouched */
    tm_free(m);
}

/* A 32-bit push at SP = 2 straddles the end of the 64 KiB stack segment
 * (SP wraps to FFFEh): #SS(0), ESP and memory unchanged.  The 16-bit
 * pushes of the delivery fit. */
static void test_precise_push_overflow(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0x66, 0x50, 0xF4}; /* push eax; hlt */
    load(m, CODE, code, sizeof(code));
    cpu_set_segment_real(m->cpu, CPU_SS, 0x7000);
    cpu_set_reg(m->cpu, CPU_ESP, 2);
    cpu_set_reg(m->cpu, CPU_EAX, 0xDEADBEEFu);
    poke32(m, 0x80000, 0x77777777u);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    expect_exc(m, 12, CODE);
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_true(e.has_error);
    assert_int_equal(e.error, 0);
    /* the delivery pushed at 0000h, FFFEh, FFFCh (and nothing else) */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), 0xFFFC);
    assert_int_equal(peek16(m, 0x7FFFC), CODE);
    assert_int_equal(peek32(m, 0x80000), 0x77777777u);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0xDEADBEEFu);
    tm_free(m);
}

/* Executing past the CS limit, and an instruction crossing it: #GP(0). */
static void test_cs_limit(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    poke8(m, 0xFFFF, 0x90); /* nop as the last byte of the segment */
    cpu_set_eip(m->cpu, 0xFFFF);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    expect_exc(m, 13, 0x10000);
    cpu_set_reg(m->cpu, CPU_ESP, STACK);
    poke8(m, 0xFFFF, 0xB0); /* mov al, imm8: needs 10000h */
    cpu_set_eip(m->cpu, 0xFFFF);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    expect_exc(m, 13, 0xFFFF);
    tm_free(m);
}

/* ------------------------------------------------------------------ */
/* (c) Interrupt shadows                                               */

/* Run `first` alone (budget 1), raise INTR, run on: return the IP the
 * interrupt pushed. */
static uint16_t shadow_case(const uint8_t *first, size_t len, uint8_t *bl_out)
{
    struct machine *m = tm_new();
    uint8_t code[16];
    memcpy(code, first, len);
    static const uint8_t tail[] = {0xB3, 0x01, 0xB3, 0x02, 0xF4}; /* mov bl,1; mov bl,2; hlt */
    memcpy(code + len, tail, sizeof(tail));
    load(m, CODE, code, len + sizeof(tail));
    poke16(m, STACK, 0); /* for pop ss */
    cpu_set_eflags(m->cpu, 0x202);
    if (first[0] == 0xFB)
        cpu_set_eflags(m->cpu, 0x002); /* sti from IF = 0 */
    assert_int_equal(cpu_run(m->cpu, 1), CPU_STOP_BUDGET);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + len);
    cpu_set_intr(m->cpu, true);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(m->acks, 1);
    assert_int_equal(cpu_get_eip(m->cpu), HANDLER + 1);
    uint32_t sp = cpu_get_reg(m->cpu, CPU_ESP);
    uint16_t ip = peek16(m, sp);
    *bl_out = (uint8_t)cpu_get_reg(m->cpu, CPU_EBX);
    tm_free(m);
    return ip;
}

static void test_shadow_mov_ss(void **state)
{
    (void)state;
    uint8_t bl;
    static const uint8_t mov_ss[] = {0x8E, 0xD0}; /* mov ss, ax (AX = 0) */
    assert_int_equal(shadow_case(mov_ss, 2, &bl), CODE + 4);
    assert_int_equal(bl, 1);
    /* control: an ordinary instruction there leaves no shadow */
    static const uint8_t mov_al[] = {0xB0, 0x05}; /* mov al, 5 */
    assert_int_equal(shadow_case(mov_al, 2, &bl), CODE + 2);
    assert_int_equal(bl, 0);
}

static void test_shadow_pop_ss(void **state)
{
    (void)state;
    uint8_t bl;
    static const uint8_t pop_ss[] = {0x17}; /* pop ss */
    assert_int_equal(shadow_case(pop_ss, 1, &bl), CODE + 3);
    assert_int_equal(bl, 1);
}

static void test_shadow_sti(void **state)
{
    (void)state;
    uint8_t bl;
    static const uint8_t sti[] = {0xFB}; /* sti */
    assert_int_equal(shadow_case(sti, 1, &bl), CODE + 3);
    assert_int_equal(bl, 1);
}

/* INTR raised by a device during an instruction is taken right after it. */
static void test_intr_from_io(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {
        0xE6, 0x80,       /* out 80h, al (raises INTR) */
        0xB3, 0x01,       /* mov bl, 1 */
        0xF4,
    };
    load(m, CODE, code, sizeof(code));
    m->raise_on_out = true;
    cpu_set_eflags(m->cpu, 0x202);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(m->acks, 1);
    assert_int_equal(peek16(m, STACK - 6), CODE + 2);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 0);
    struct cpu_stats s;
    cpu_get_stats(m->cpu, &s);
    assert_int_equal(s.interrupts, 1);
    tm_free(m);
}

/* ------------------------------------------------------------------ */
/* (d) HLT                                                             */

static void test_hlt_and_wakeup(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0xF4, 0xB3, 0x07, 0xF4}; /* hlt; mov bl, 7; hlt */
    load(m, CODE, code, sizeof(code));
    static const uint8_t isr[] = {0xB1, 0x55, 0xCF}; /* mov cl, 55h; iret */
    load(m, 0x600, isr, sizeof(isr));
    set_vector(m, 0x20, 0, 0x600);
    cpu_set_eflags(m->cpu, 0x202);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 1);
    uint64_t t = cpu_icount(m->cpu);
    /* still halted: returns at once */
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_icount(m->cpu), t);
    /* an interrupt wakes it: the handler returns after the HLT */
    cpu_set_intr(m->cpu, true);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX) & 0xFF, 0x55);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 7);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 4);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), STACK);
    assert_true(cpu_get_eflags(m->cpu) & 0x200);
    tm_free(m);
}

static void test_dead_halt_and_nmi(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0xFA, 0xF4, 0xB3, 0x07, 0xF4}; /* cli; hlt; mov bl, 7; hlt */
    load(m, CODE, code, sizeof(code));
    static const uint8_t nmi[] = {0xB1, 0x66, 0xCF}; /* mov cl, 66h; iret */
    load(m, 0x640, nmi, sizeof(nmi));
    set_vector(m, 2, 0, 0x640);
    cpu_set_eflags(m->cpu, 0x202);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    /* INTR cannot wake it with IF = 0 */
    cpu_set_intr(m->cpu, true);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(m->acks, 0);
    cpu_set_intr(m->cpu, false);
    /* an NMI edge does */
    cpu_set_nmi(m->cpu, true);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX) & 0xFF, 0x66);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 7);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 5);
    /* the line is still high: no second NMI without a new edge */
    cpu_set_reg(m->cpu, CPU_ECX, 0);
    cpu_set_eip(m->cpu, CODE + 1);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX) & 0xFF, 0);
    tm_free(m);
}

/* An NMI blocks further NMIs until the next IRET (SDM vol. 3, 6.7.1): an
 * edge that comes while the handler runs is held and delivered right after
 * its IRET. */
static void test_nmi_blocked_until_iret(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0xFA, 0xF4, 0xF4}; /* cli; hlt; hlt */
    load(m, CODE, code, sizeof(code));
    /* inc cx; l: dec bx; jnz l; iret */
    static const uint8_t nmi[] = {0x41, 0x4B, 0x75, 0xFD, 0xCF};
    load(m, 0x640, nmi, sizeof(nmi));
    set_vector(m, 2, 0, 0x640);
    cpu_set_eflags(m->cpu, 0x202);
    cpu_set_reg(m->cpu, CPU_EBX, 1000);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    cpu_set_nmi(m->cpu, true);
    assert_int_equal(cpu_run(m->cpu, 50), CPU_STOP_BUDGET);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX) & 0xFFFF, 1);
    /* a new edge inside the handler is held */
    cpu_set_nmi(m->cpu, false);
    cpu_set_nmi(m->cpu, true);
    assert_int_equal(cpu_run(m->cpu, 50), CPU_STOP_BUDGET);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX) & 0xFFFF, 1);
    assert_true(cpu_get_eip(m->cpu) >= 0x641 && cpu_get_eip(m->cpu) <= 0x643);
    /* ... and taken after the IRET, before the second HLT */
    assert_int_equal(cpu_run(m->cpu, 1000000), CPU_STOP_DEAD_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX) & 0xFFFF, 2);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 3);
    tm_free(m);
}

/* ------------------------------------------------------------------ */
/* (e) Budget                                                          */

static void test_budget(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0x41, 0xEB, 0xFD}; /* l: inc cx; jmp l */
    load(m, CODE, code, sizeof(code));
    uint64_t t = cpu_icount(m->cpu);
    assert_int_equal(cpu_run(m->cpu, 0), CPU_STOP_BUDGET);
    assert_int_equal(cpu_icount(m->cpu), t);
    assert_int_equal(cpu_run(m->cpu, 1001), CPU_STOP_BUDGET);
    assert_int_equal(cpu_icount(m->cpu), t + 1001);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 501);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 1);
    tm_free(m);
}

/* A REP iteration counts as one instruction; the instruction resumes. */
static void test_budget_rep(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0xF3, 0xAA, 0xF4}; /* rep stosb; hlt */
    load(m, CODE, code, sizeof(code));
    cpu_set_reg(m->cpu, CPU_EDI, 0x3000);
    cpu_set_reg(m->cpu, CPU_ECX, 100);
    cpu_set_eflags(m->cpu, 0x202);
    uint64_t t = cpu_icount(m->cpu);
    assert_int_equal(cpu_run(m->cpu, 10), CPU_STOP_BUDGET);
    assert_int_equal(cpu_icount(m->cpu), t + 10);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 90);
    assert_int_equal(cpu_get_eip(m->cpu), CODE);
    assert_int_equal(cpu_run(m->cpu, 1000), CPU_STOP_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 0);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDI), 0x3064);
    assert_int_equal(cpu_icount(m->cpu), t + 101);
    tm_free(m);
}

/* ------------------------------------------------------------------ */
/* (f) Triple fault                                                    */

static void test_triple_fault(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0xB0, 0x01, 0x0F, 0x0B}; /* mov al, 1; ud2 */
    load(m, CODE, code, sizeof(code));
    /* an IVT too small for any vector: #UD -> #GP -> #GP = #DF -> #GP */
    cpu_set_dtr(m->cpu, true, 0, 0);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_SHUTDOWN);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 2);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFF, 1);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), STACK);
    struct cpu_shutdown_info si;
    cpu_get_shutdown_info(m->cpu, &si);
    assert_true(si.valid);
    assert_true(si.n >= 4);
    assert_int_equal(si.chain[0].vector, 6);
    assert_int_equal(si.chain[0].eip, CODE + 2);
    assert_int_equal(si.chain[si.n - 2].vector, 8);
    assert_int_equal(si.chain[si.n - 1].vector, 13);
    char buf[256];
    cpu_shutdown_info(m->cpu, buf, sizeof(buf));
    assert_non_null(strstr(buf, "#UD"));
    assert_non_null(strstr(buf, "#DF"));
    assert_non_null(strstr(buf, "triple fault"));
    /* it stays there until reset */
    uint64_t t = cpu_icount(m->cpu);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_SHUTDOWN);
    assert_int_equal(cpu_icount(m->cpu), t);
    cpu_reset(m->cpu);
    cpu_get_shutdown_info(m->cpu, &si);
    assert_false(si.valid);
    assert_int_equal(cpu_get_eip(m->cpu), 0xFFF0);
    tm_free(m);
}

/* A fault loop (the handler address itself faults) cannot hang cpu_run. */
static void test_fault_loop_is_bounded(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    poke8(m, 0xFFFF, 0xB0); /* crosses the CS limit: #GP */
    set_vector(m, 13, 0, 0xFFFF);
    cpu_set_eip(m->cpu, 0xFFFF);
    cpu_set_reg(m->cpu, CPU_ESP, 0);
    assert_int_equal(cpu_run(m->cpu, 50), CPU_STOP_BUDGET);
    tm_free(m);
}

/* ------------------------------------------------------------------ */
/* (g) Decoded cache                                                   */

static void test_icache_hits(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0x41, 0xEB, 0xFD}; /* l: inc cx; jmp l */
    load(m, CODE, code, sizeof(code));
    struct cpu_stats a, b;
    cpu_get_stats(m->cpu, &a);
    assert_int_equal(cpu_run(m->cpu, 200), CPU_STOP_BUDGET);
    cpu_get_stats(m->cpu, &b);
    /* 100 trips through one two-instruction trace: one decode */
    assert_int_equal(b.icache_misses - a.icache_misses, 1);
    assert_int_equal(b.icache_hits - a.icache_hits, 99);
    assert_int_equal(b.insns - a.insns, 200);
    tm_free(m);
}

/* ------------------------------------------------------------------ */
/* Software interrupts, IRET, single step                              */

static void test_int_iret_real(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0xCD, 0x21, 0xB3, 0x02, 0xF4}; /* int 21h; mov bl, 2; hlt */
    load(m, CODE, code, sizeof(code));
    static const uint8_t isr[] = {0x9C, 0x58, 0xCF}; /* pushf; pop ax; iret */
    load(m, 0x700, isr, sizeof(isr));
    set_vector(m, 0x21, 0, 0x700);
    cpu_set_eflags(m->cpu, 0x302 & ~0x100); /* IF = 1 */
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0x200, 0); /* IF clear inside */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 2);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), STACK);
    assert_true(cpu_get_eflags(m->cpu) & 0x200); /* restored */
    tm_free(m);
}

static void test_single_step(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0xB3, 0x01, 0xB3, 0x02, 0xF4};
    load(m, CODE, code, sizeof(code));
    cpu_set_eflags(m->cpu, 0x102); /* TF */
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    expect_exc(m, 1, CODE + 2);
    assert_int_equal(peek16(m, STACK - 6), CODE + 2);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 1);
    assert_int_equal(cpu_get_eflags(m->cpu) & 0x100, 0);
    tm_free(m);
}

/* ------------------------------------------------------------------ */
/* Protected mode, same privilege                                      */

#define GDT 0x0800u
#define IDT 0x4000u
#define PM_ISR 0x3000u

static void put_desc(struct machine *m, uint32_t at, uint32_t lo, uint32_t hi)
{
    poke32(m, at, lo);
    poke32(m, at + 4, hi);
}

/* Flat 32-bit ring 0: code 08h, data 10h; IDT gates to PM_ISR. */
static struct machine *tm_pm(void)
{
    struct machine *m = tm_new();
    put_desc(m, GDT + 0x08, 0x0000FFFFu, 0x00CF9B00u);
    put_desc(m, GDT + 0x10, 0x0000FFFFu, 0x00CF9300u);
    put_desc(m, GDT + 0x18, 0x0000FFFFu, 0x00CF1B00u); /* code, not present */
    cpu_set_dtr(m->cpu, false, GDT, 0x1F);
    for (unsigned v = 0; v < 256; v++)
        put_desc(m, IDT + 8 * v, (0x08u << 16) | PM_ISR, 0x00008E00u); /* 32-bit int gate */
    cpu_set_dtr(m->cpu, true, IDT, 256 * 8 - 1);
    poke8(m, PM_ISR, 0xF4);
    cpu_set_cr(m->cpu, 0, 0x60000011u);
    struct cpu_segment cs = {0x08, 0x9B | 0x4000 | 0x8000, 0, 0xFFFFFFFFu};
    struct cpu_segment ds = {0x10, 0x93 | 0x4000 | 0x8000, 0, 0xFFFFFFFFu};
    for (unsigned s = 0; s < 6; s++)
        if (s != CPU_CS)
            cpu_set_segment(m->cpu, (enum cpu_sreg)s, &ds);
    cpu_set_segment(m->cpu, CPU_CS, &cs);
    cpu_set_reg(m->cpu, CPU_ESP, STACK);
    return m;
}

static void test_pm_int_gate_frame(void **state)
{
    (void)state;
    struct machine *m = tm_pm();
    static const uint8_t code[] = {0x0F, 0x0B}; /* ud2 */
    load(m, CODE, code, sizeof(code));
    cpu_set_eflags(m->cpu, 0x202);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT); /* int gate cleared IF */
    assert_int_equal(cpu_get_eip(m->cpu), PM_ISR + 1);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), STACK - 12);
    assert_int_equal(peek32(m, STACK - 12), CODE);
    assert_int_equal(peek32(m, STACK - 8), 0x08);
    /* #UD is a fault: RF = 1 in the image (SDM vol. 3, 17.3.1.1). */
    assert_int_equal(peek32(m, STACK - 4), 0x10202);
    tm_free(m);
}

/* #GP pushes an error code; INT n through a not-present gate is
 * #NP(vector * 8 + 2). */
static void test_pm_error_codes(void **state)
{
    (void)state;
    struct machine *m = tm_pm();
    put_desc(m, IDT + 8 * 0x30, (0x08u << 16) | PM_ISR, 0x00000E00u); /* not present */
    static const uint8_t code[] = {0xCD, 0x30}; /* int 30h */
    load(m, CODE, code, sizeof(code));
    cpu_set_eflags(m->cpu, 0x002);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_int_equal(e.vector, 11);
    assert_int_equal(e.error, 0x30 * 8 + 2);
    assert_int_equal(e.eip, CODE);
    assert_int_equal(peek32(m, STACK - 16), 0x30 * 8 + 2);
    assert_int_equal(peek32(m, STACK - 12), CODE);
    /* a load of a not-present code segment by far jmp: #NP(18h) */
    static const uint8_t jmpf[] = {0xEA, 0x00, 0x10, 0x00, 0x00, 0x18, 0x00}; /* jmp 18h:1000h */
    load(m, CODE, jmpf, sizeof(jmpf));
    cpu_set_eip(m->cpu, CODE);
    cpu_set_reg(m->cpu, CPU_ESP, STACK);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    cpu_last_exception(m->cpu, &e);
    assert_int_equal(e.vector, 11);
    assert_int_equal(e.error, 0x18);
    tm_free(m);
}

static void test_pm_int_iretd(void **state)
{
    (void)state;
    struct machine *m = tm_pm();
    put_desc(m, IDT + 8 * 0x40, (0x08u << 16) | 0x3100u, 0x00008F00u); /* trap gate */
    static const uint8_t isr[] = {0xB3, 0x09, 0xCF}; /* mov bl, 9; iretd */
    load(m, 0x3100, isr, sizeof(isr));
    static const uint8_t code[] = {0xCD, 0x40, 0xB1, 0x03, 0xF4}; /* int 40h; mov cl, 3; hlt */
    load(m, CODE, code, sizeof(code));
    cpu_set_eflags(m->cpu, 0x202);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 9);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX) & 0xFF, 3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), STACK);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 5);
    tm_free(m);
}

/* Paging: identity map of the first 4 MiB with page 6000h not present. */
#define PGDIR 0x20000u
#define PGTAB 0x21000u

static struct machine *tm_paged(void)
{
    struct machine *m = tm_pm();
    poke32(m, PGDIR, PGTAB | 0x003);
    for (uint32_t k = 0; k < 1024; k++)
        poke32(m, PGTAB + 4 * k, (k << 12) | 0x003);
    poke32(m, PGTAB + 4 * 6, 0);
    cpu_set_cr(m->cpu, 3, PGDIR);
    cpu_set_cr(m->cpu, 0, 0xE0000011u);
    assert_int_equal(cpu_get_cr(m->cpu, 0) & 0x80000001u, 0x80000001u);
    return m;
}

/* An instruction whose tail lies in a not-present page: #PF for the
 * first byte of that page, at the instruction. */
static void test_pf_fetch_second_page(void **state)
{
    (void)state;
    struct machine *m = tm_paged();
    static const uint8_t code[] = {0xB8, 0x11, 0x22}; /* mov eax, imm32: 2 bytes missing */
    load(m, 0x5FFD, code, sizeof(code));
    cpu_set_eip(m->cpu, 0x5FFD);
    cpu_set_reg(m->cpu, CPU_EAX, 0x12345678u);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_int_equal(e.vector, 14);
    assert_int_equal(e.eip, 0x5FFD);
    assert_int_equal(e.error, 0);
    assert_int_equal(cpu_get_cr(m->cpu, 2), 0x6000);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x12345678u);
    assert_int_equal(peek32(m, STACK - 16), 0);
    assert_int_equal(peek32(m, STACK - 12), 0x5FFD);
    /* straight-line code running into the page faults at its start */
    static const uint8_t nops[] = {0x90, 0x90};
    load(m, 0x5FFE, nops, sizeof(nops));
    cpu_set_eip(m->cpu, 0x5FFE);
    cpu_set_reg(m->cpu, CPU_ESP, STACK);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    cpu_last_exception(m->cpu, &e);
    assert_int_equal(e.vector, 14);
    assert_int_equal(e.eip, 0x6000);
    tm_free(m);
}

/* A data write into the missing page: #PF(W), nothing written, precise. */
static void test_pf_data_write(void **state)
{
    (void)state;
    struct machine *m = tm_paged();
    static const uint8_t code[] = {0xA3, 0xFE, 0x5F, 0x00, 0x00}; /* mov [5FFEh], eax */
    load(m, CODE, code, sizeof(code));
    poke32(m, 0x5FFC, 0xAAAAAAAAu);
    cpu_set_reg(m->cpu, CPU_EAX, 0x01020304u);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_int_equal(e.vector, 14);
    assert_int_equal(e.error, 2);
    assert_int_equal(e.eip, CODE);
    assert_int_equal(cpu_get_cr(m->cpu, 2), 0x6000);
    assert_int_equal(peek32(m, 0x5FFC), 0xAAAAAAAAu); /* first half not written */
    tm_free(m);
}

/* #PF while delivering #PF is #DF; a #PF while delivering #DF shuts the
 * processor down (the stack is in the missing page). */
static void test_pf_double_then_triple(void **state)
{
    (void)state;
    struct machine *m = tm_paged();
    static const uint8_t code[] = {0x8B, 0x05, 0x00, 0x60, 0x00, 0x00}; /* mov eax, [6000h] */
    load(m, CODE, code, sizeof(code));
    cpu_set_reg(m->cpu, CPU_ESP, 0x6800);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_SHUTDOWN);
    struct cpu_shutdown_info si;
    cpu_get_shutdown_info(m->cpu, &si);
    assert_int_equal(si.n, 4);
    assert_int_equal(si.chain[0].vector, 14);
    assert_int_equal(si.chain[1].vector, 14);
    assert_int_equal(si.chain[2].vector, 8);
    assert_int_equal(si.chain[3].vector, 14);
    assert_int_equal(si.chain[0].error, 0);
    assert_int_equal(si.chain[1].error, 2); /* the push */
    assert_int_equal(cpu_get_eip(m->cpu), CODE);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), 0x6800);
    tm_free(m);
}

/* A line that stays high into a trap gate (IF stays 1) re-interrupts at
 * every boundary; each delivery is a tick, so the slice still ends. */
static void test_stuck_intr_is_bounded(void **state)
{
    (void)state;
    struct machine *m = tm_pm();
    put_desc(m, IDT + 8 * 0x20, (0x08u << 16) | PM_ISR, 0x00008F00u); /* trap gate */
    m->sticky = true;
    cpu_set_eflags(m->cpu, 0x202);
    cpu_set_intr(m->cpu, true);
    uint64_t t = cpu_icount(m->cpu);
    assert_int_equal(cpu_run(m->cpu, 50), CPU_STOP_BUDGET);
    assert_int_equal(cpu_icount(m->cpu), t + 50);
    assert_int_equal(m->acks, 50);
    tm_free(m);
}

/* An undefined opcode is #UD; once rewritten (here by DMA-style block
 * write) the new instruction runs, not the cached #UD entry. */
static void test_invalid_opcode_rewritten(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t bad[] = {0x0F, 0x04}; /* undefined on the P6 */
    load(m, CODE, bad, sizeof(bad));
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    expect_exc(m, 6, CODE);
    static const uint8_t good[] = {0xB3, 0x05, 0xF4}; /* mov bl, 5; hlt */
    load(m, CODE, good, sizeof(good));
    cpu_set_eip(m->cpu, CODE);
    cpu_set_reg(m->cpu, CPU_ESP, STACK);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 5);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 3);
    tm_free(m);
}

/* A device asks the CPU to stop: cpu_run returns after that instruction. */
static void test_request_stop(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {0xE6, 0x80, 0xB3, 0x01, 0xF4}; /* out 80h, al; mov bl, 1; hlt */
    load(m, CODE, code, sizeof(code));
    m->stop_on_out = true;
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_REQUEST);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 2);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 0);
    m->stop_on_out = false;
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EBX) & 0xFF, 1);
    tm_free(m);
}

/* Control registers set from outside: an invalid CR0 is refused. */
static void test_set_cr_outside_run(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    cpu_set_cr(m->cpu, 0, 0x80000000u); /* PG without PE: #GP for MOV CR0 */
    assert_int_equal(cpu_get_cr(m->cpu, 0), 0x60000010u);
    assert_int_equal(cpu_get_eip(m->cpu), CODE);
    cpu_set_cr(m->cpu, 2, 0x1234);
    assert_int_equal(cpu_get_cr(m->cpu, 2), 0x1234);
    tm_free(m);
}

/* "Unreal mode": a real-mode segment load keeps the cached 4 GiB limit. */
/* Trace links (cpu/icache.h) die when the trace they lead to is
 * discarded: a loop calls a routine on another page, which the loop
 * rewrites halfway; the linked call must then run the new code. */
static void test_link_smc_other_page(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {
        0xB9, 0x14, 0x00,             /* 1000: mov cx, 20 */
        0xE8, 0xFA, 0x0F,             /* 1003: call 2000h */
        0x83, 0xF9, 0x0A,             /* 1006: cmp cx, 10 */
        0x75, 0x05,                   /* 1009: jne 1010h */
        0xC6, 0x06, 0x01, 0x20, 0x02, /* 100B: mov byte [2001h], 2 */
        0xE2, 0xF1,                   /* 1010: loop 1003h */
        0xF4,                         /* 1012: hlt */
    };
    static const uint8_t routine[] = {
        0x05, 0x01, 0x00, /* 2000: add ax, 1 (imm at 2001h) */
        0xC3,             /* 2003: ret */
    };
    load(m, CODE, code, sizeof(code));
    load(m, 0x2000, routine, sizeof(routine));
    cpu_set_eflags(m->cpu, 0x202);
    assert_int_equal(cpu_run(m->cpu, 1000), CPU_STOP_HALT);
    /* 11 calls add 1 (cx = 20..10), the 9 after the rewrite add 2 */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFFFF, 11 + 9 * 2);
    assert_int_equal(cpu_get_eip(m->cpu), 0x1013);
    struct cpu_stats st;
    cpu_get_stats(m->cpu, &st);
    assert_int_equal(st.smc_flushes, 1);
    tm_free(m);
}

/* Links hold only under the code context they were made in: a routine
 * shared by two code segments returns to the same IP in both, which is
 * different code in each. */
static void test_link_code_context(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t caller1[] = {
        0xE8, 0xFD, 0x1F,             /* 0000:1000 call 3000h */
        0xE8, 0xFA, 0x1F,             /* 0000:1003 call 3000h */
        0xEA, 0x00, 0x10, 0x00, 0x01, /* 0000:1006 jmp 0100:1000 */
    };
    static const uint8_t caller2[] = {
        0xE8, 0xFD, 0x0F, /* 0100:1000 call 2000h (linear 3000h) */
        0xBA, 0x34, 0x12, /* 0100:1003 mov dx, 1234h */
        0xF4,             /* 0100:1006 hlt */
    };
    static const uint8_t routine[] = {
        0x40, /* 3000: inc ax */
        0xC3, /* 3001: ret */
    };
    load(m, CODE, caller1, sizeof(caller1));
    load(m, 0x2000, caller2, sizeof(caller2));
    load(m, 0x3000, routine, sizeof(routine));
    cpu_set_eflags(m->cpu, 0x202);
    assert_int_equal(cpu_run(m->cpu, 1000), CPU_STOP_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFFFF, 3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDX) & 0xFFFF, 0x1234);
    assert_int_equal(cpu_get_eip(m->cpu), 0x1007);
    struct cpu_segment cs;
    cpu_get_segment(m->cpu, CPU_CS, &cs);
    assert_int_equal(cs.selector, 0x0100);
    tm_free(m);
}

/* A TLB flush in the middle of a trace (here the A20 gate, switched by
 * a port write) kills the links: the loop's jump back, linked to its own
 * trace, must then reach the code the address now maps to. */
static void test_link_tlb_flush(void **state)
{
    (void)state;
    struct machine *m = tm_new_ram(2u << 20);
    static const uint8_t high[] = {
        0x40,       /* FFFF:1010 (101000h) inc ax */
        0xE6, 0x80, /* FFFF:1011 out 80h, al (the third one disables A20) */
        0xEB, 0xFB, /* FFFF:1013 jmp 1010h */
    };
    static const uint8_t low[] = {
        0xBA, 0x34, 0x12, /* FFFF:1010 with A20 off (001000h): mov dx, 1234h */
        0xF4,             /* hlt */
    };
    load(m, 0x101000, high, sizeof(high));
    load(m, 0x001000, low, sizeof(low));
    cpu_set_segment_real(m->cpu, CPU_CS, 0xFFFF);
    cpu_set_eip(m->cpu, 0x1010);
    cpu_set_eflags(m->cpu, 0x202);
    m->a20_outs = 3;
    assert_int_equal(cpu_run(m->cpu, 1000), CPU_STOP_HALT);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFFFF, 3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDX) & 0xFFFF, 0x1234);
    assert_int_equal(cpu_get_eip(m->cpu), 0x1014);
    tm_free(m);
}

static void test_unreal_mode(void **state)
{
    (void)state;
    struct machine *m = tm_new();
    static const uint8_t code[] = {
        0x67, 0x8A, 0x03, /* mov al, [ebx] */
        0x8E, 0xD9,       /* mov ds, cx (CX = 0) */
        0x67, 0x8A, 0x23, /* mov ah, [ebx] */
        0xF4,
    };
    load(m, CODE, code, sizeof(code));
    poke8(m, 0x20000, 0x77);
    struct cpu_segment big = {0, 0x93 | 0x8000, 0, 0xFFFFFFFFu};
    cpu_set_segment(m->cpu, CPU_DS, &big);
    cpu_set_reg(m->cpu, CPU_EBX, 0x20000);
    cpu_set_reg(m->cpu, CPU_ECX, 0);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + sizeof(code));
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFFFF, 0x7777);
    /* with the ordinary 64 KiB limit the same access is #GP */
    struct cpu_segment small = {0, 0x93, 0, 0xFFFF};
    cpu_set_segment(m->cpu, CPU_DS, &small);
    cpu_set_eip(m->cpu, CODE);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    expect_exc(m, 13, CODE);
    tm_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_state),
        cmocka_unit_test(test_reset_vector_rom),
        cmocka_unit_test(test_smc_next_instruction),
        cmocka_unit_test(test_smc_other_line_keeps_code),
        cmocka_unit_test(test_smc_rep_stos_following_code),
        cmocka_unit_test(test_smc_rep_stos_over_itself),
        cmocka_unit_test(test_page_crossing_instruction),
        cmocka_unit_test(test_precise_gp_read),
        cmocka_unit_test(test_precise_gp_write),
        cmocka_unit_test(test_precise_push_overflow),
        cmocka_unit_test(test_cs_limit),
        cmocka_unit_test(test_shadow_mov_ss),
        cmocka_unit_test(test_shadow_pop_ss),
        cmocka_unit_test(test_shadow_sti),
        cmocka_unit_test(test_intr_from_io),
        cmocka_unit_test(test_hlt_and_wakeup),
        cmocka_unit_test(test_dead_halt_and_nmi),
        cmocka_unit_test(test_nmi_blocked_until_iret),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_budget_rep),
        cmocka_unit_test(test_triple_fault),
        cmocka_unit_test(test_fault_loop_is_bounded),
        cmocka_unit_test(test_icache_hits),
        cmocka_unit_test(test_int_iret_real),
        cmocka_unit_test(test_single_step),
        cmocka_unit_test(test_pm_int_gate_frame),
        cmocka_unit_test(test_pm_error_codes),
        cmocka_unit_test(test_pm_int_iretd),
        cmocka_unit_test(test_pf_fetch_second_page),
        cmocka_unit_test(test_pf_data_write),
        cmocka_unit_test(test_pf_double_then_triple),
        cmocka_unit_test(test_stuck_intr_is_bounded),
        cmocka_unit_test(test_invalid_opcode_rewritten),
        cmocka_unit_test(test_request_stop),
        cmocka_unit_test(test_set_cr_outside_run),
        cmocka_unit_test(test_unreal_mode),
        cmocka_unit_test(test_link_smc_other_page),
        cmocka_unit_test(test_link_code_context),
        cmocka_unit_test(test_link_tlb_flush),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
