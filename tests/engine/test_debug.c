/*
 * test_debug.c - debug exceptions at instruction boundaries (cpu/exec.c,
 * cpu/debug.c; SDM vol. 3, 17.3 and 6.8.3) on a tiny real-mode machine:
 * single-step after STI (not held) and across a MOV SS shadow split by the
 * budget, the order of a #DB trap and INTR, a single-step trap after HLT,
 * a pending T-flag trap (BT) and what it does to DR6, an instruction
 * breakpoint inside a trace decoded before it was set, I/O breakpoint
 * matching, and data breakpoints on a page already in the TLB.
 *
 * Code is hand-assembled (nasm syntax in the comments; the bytes come from
 * nasm).  Vector 1 goes to a #DB handler at 0000:0600 that records the IP
 * of each #DB (words at 0410h), the low word of DR6 (words at 0450h) and
 * counts them (word at 0400h); when the byte at 0402h is set it also
 * clears DR7.  Every other vector leads to a HLT at 0000:0500.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>

#include "cpu/debug_internal.h"
#include "tests/engine/engine_test_machine.h"

#define DB_HANDLER 0x0600u
#define DB_CNT 0x400u
#define DB_CLEAR_DR7 0x402u
#define DB_IP 0x410u
#define DB_DR6 0x450u

/* #DB handler (org 600h):
 *   push bp / mov bp, sp / push bx / push eax / mov bx, [400h] / shl bx, 1
 *   mov ax, [bp + 2] / mov [bx + 410h], ax / mov eax, dr6 / mov [bx + 450h], ax
 *   cmp byte [402h], 0 / je .keep / xor eax, eax / mov dr7, eax
 *   .keep: inc word [400h] / pop eax / pop bx / pop bp / iret */
static const uint8_t db_handler[] = {
    0x55, 0x89, 0xe5, 0x53, 0x66, 0x50, 0x8b, 0x1e, 0x00, 0x04, 0xd1, 0xe3,
    0x8b, 0x46, 0x02, 0x89, 0x87, 0x10, 0x04, 0x0f, 0x21, 0xf0, 0x89, 0x87,
    0x50, 0x04, 0x80, 0x3e, 0x02, 0x04, 0x00, 0x74, 0x06, 0x66, 0x31, 0xc0,
    0x0f, 0x23, 0xf8, 0xff, 0x06, 0x00, 0x04, 0x66, 0x58, 0x5b, 0x5d, 0xcf};

/* The engine test machine with the #DB handler on vector 1 and `code`
 * at 0000:1000. */
static struct machine *db_machine(const uint8_t *code, size_t len)
{
    struct machine *m = tm_new();
    set_vector(m, 1, 0, DB_HANDLER);
    load(m, DB_HANDLER, db_handler, sizeof(db_handler));
    load(m, CODE, code, len);
    return m;
}

static unsigned db_count(struct machine *m) { return peek16(m, DB_CNT); }
static uint16_t db_ip(struct machine *m, unsigned k) { return peek16(m, DB_IP + 2 * k); }
static uint16_t db_dr6(struct machine *m, unsigned k) { return peek16(m, DB_DR6 + 2 * k); }

/* sti / nop / nop / hlt with TF = 1: STI's shadow holds INTR only, so a
 * trap follows STI itself (SDM vol. 3, 6.8.3 names MOV SS and POP SS;
 * Bochs agrees). */
static void test_step_after_sti(void **state)
{
    (void)state;
    static const uint8_t code[] = {0xfb, 0x90, 0x90, 0xf4};
    struct machine *m = db_machine(code, sizeof(code));
    cpu_set_eflags(m->cpu, 0x102);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(db_count(m), 3);
    assert_int_equal(db_ip(m, 0), CODE + 1);
    assert_int_equal(db_ip(m, 1), CODE + 2);
    assert_int_equal(db_ip(m, 2), CODE + 3);
    assert_int_equal(db_dr6(m, 0) & 0xE00F, DBG_DR6_BS);
    tm_free(m);
}

/* mov ss, ax / nop / nop / hlt with TF = 1, the budget ending right
 * after MOV SS: the held trap still comes after the first NOP only. */
static void test_movss_shadow_across_budget(void **state)
{
    (void)state;
    static const uint8_t code[] = {0x8e, 0xd0, 0x90, 0x90, 0xf4};
    struct machine *m = db_machine(code, sizeof(code));
    cpu_set_eflags(m->cpu, 0x102);
    assert_int_equal(cpu_run(m->cpu, 1), CPU_STOP_BUDGET);
    assert_int_equal(cpu_get_eip(m->cpu), CODE + 2);
    assert_int_equal(db_count(m), 0);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(db_count(m), 2);
    assert_int_equal(db_ip(m, 0), CODE + 3);
    assert_int_equal(db_ip(m, 1), CODE + 4);
    tm_free(m);
}

/* out 80h, al / nop / hlt with TF = 1 and IF = 1, the OUT raising INTR:
 * the single-step trap of the OUT (table 6-2 priority 4) is delivered
 * before the interrupt (priority 5), which then comes at the same IP. */
static void test_trap_before_intr(void **state)
{
    (void)state;
    static const uint8_t code[] = {0xe6, 0x80, 0x90, 0xf4};
    struct machine *m = db_machine(code, sizeof(code));
    m->raise_on_out = true;
    cpu_set_eflags(m->cpu, 0x302);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(db_count(m), 1);
    assert_int_equal(db_ip(m, 0), CODE + 2);
    assert_int_equal(m->acks, 1);
    assert_int_equal(cpu_get_eip(m->cpu), HANDLER + 1);
    assert_int_equal(peek16(m, STACK - 6), CODE + 2); /* the INTR frame's IP */
    assert_int_equal(peek16(m, STACK - 2) & 0x100, 0x100); /* TF was restored */
    tm_free(m);
}

/* hlt with TF = 1 and IF = 1: the trap waits for the interrupt that ends
 * the halt and comes before it, with IP after the HLT. */
static void test_step_after_hlt(void **state)
{
    (void)state;
    static const uint8_t code[] = {0xf4, 0x90};
    struct machine *m = db_machine(code, sizeof(code));
    cpu_set_eflags(m->cpu, 0x302);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_HALT);
    assert_int_equal(db_count(m), 0);
    cpu_set_intr(m->cpu, true);
    assert_int_equal(cpu_run(m->cpu, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(db_count(m), 1);
    assert_int_equal(db_ip(m, 0), CODE + 1);
    assert_int_equal(m->acks, 1);
    assert_int_equal(peek16(m, STACK - 6), CODE + 1);
    tm_free(m);
}

/* A #DB trap pending from the previous instruction (a task switch into a
 * TSS with T = 1 sets BT in struct cpu.debug_trap) is delivered before
 * anything else; DR6 keeps BS (never cleared by the processor) and loses
 * the B0-B3 of an earlier #DB (SDM vol. 3, 17.2.3: "may clear"). */
static void test_pending_bt(void **state)
{
    (void)state;
    static const uint8_t code[] = {0x90, 0xf4};
    struct machine *m = db_machine(code, sizeof(code));
    struct cpu *c = m->cpu;
    c->dr[6] = 0xFFFF0FF0u | DBG_DR6_BS | 0x1u;
    c->debug_trap = DBG_DR6_BT;
    assert_int_equal(cpu_run(c, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(db_count(m), 1);
    assert_int_equal(db_ip(m, 0), CODE);
    assert_int_equal(db_dr6(m, 0), 0x0FF0u | DBG_DR6_BS | DBG_DR6_BT);
    assert_int_equal(c->debug_trap, 0);
    assert_int_equal(cpu_get_eip(c), CODE + 2);
    tm_free(m);
}

/* mov cx, 3 / .l: inc ax / inc bx / dec cx / jnz .l / hlt, run once to
 * fill the decoded cache (one trace covers the loop); then a breakpoint
 * on "inc bx" (1004h) must still fault before it, IP = 1004h, B0 set,
 * with BX not yet incremented. */
static void test_exec_breakpoint_in_cached_trace(void **state)
{
    (void)state;
    static const uint8_t code[] = {0xb9, 0x03, 0x00, 0x40, 0x43, 0x49, 0x75, 0xfb, 0xf4};
    struct machine *m = db_machine(code, sizeof(code));
    struct cpu *c = m->cpu;
    assert_int_equal(cpu_run(c, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(cpu_get_reg(c, CPU_EBX), 3);
    cpu_set_eip(c, CODE);
    cpu_set_reg(c, CPU_EAX, 0);
    cpu_set_reg(c, CPU_EBX, 0);
    c->halted = false;
    c->dr[0] = CODE + 4;
    c->dr[7] = 0x401; /* L0, R/W0 = 00 */
    poke8(m, DB_CLEAR_DR7, 1);
    assert_int_equal(cpu_run(c, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(db_count(m), 1);
    assert_int_equal(db_ip(m, 0), CODE + 4);
    assert_int_equal(db_dr6(m, 0) & 0xE00F, 1);
    assert_int_equal(cpu_get_reg(c, CPU_EAX), 3);
    assert_int_equal(cpu_get_reg(c, CPU_EBX), 3);
    tm_free(m);
}

/* I/O breakpoints (R/W = 10) exist only with CR4.DE; LEN aligns the
 * port range down like a data range. */
static void test_io_breakpoint_match(void **state)
{
    (void)state;
    static const uint8_t code[] = {0xf4};
    struct machine *m = db_machine(code, sizeof(code));
    struct cpu *c = m->cpu;
    c->dr[1] = 0x81;
    c->dr[7] = 0x400 | 0x4 | (2u << 20) | (3u << 22); /* L1, R/W1 = 10, LEN1 = 4 */
    cpu_debug_io(c, 0x80, 1);
    assert_int_equal(c->debug_trap, 0); /* CR4.DE = 0: no I/O breakpoint */
    c->cr[4] |= CPU_CR4_DE;
    cpu_debug_io(c, 0x7F, 1);
    assert_int_equal(c->debug_trap, 0);
    cpu_debug_io(c, 0x7E, 2); /* 7E-7F */
    assert_int_equal(c->debug_trap, 0);
    cpu_debug_io(c, 0x7F, 2); /* 7F-80 overlaps 80-83 */
    assert_int_equal(c->debug_trap, 2);
    c->debug_trap = 0;
    cpu_debug_io(c, 0x83, 1);
    assert_int_equal(c->debug_trap, 2);
    c->debug_trap = 0;
    cpu_debug_io(c, 0x84, 4);
    assert_int_equal(c->debug_trap, 0);
    c->dr[7] &= ~0x4u; /* disabled */
    cpu_debug_io(c, 0x80, 1);
    assert_int_equal(c->debug_trap, 0);
    tm_free(m);
}

/* A write breakpoint on 2000h-2003h (DR2 = 2002h, LEN 4) armed by MOV DR7
 * after a store has put the page in the TLB still traps after each store
 * that overlaps it, IP = the next instruction, B2. */
static void test_data_breakpoint_after_tlb_fill(void **state)
{
    (void)state;
    /* mov [bx], al / mov eax, 0D00_0010h (L2, R/W2 = 01, LEN2 = 4) /
     * mov dr7, eax / mov [bx], al / mov [bx+1], al / mov [bx+4], al / hlt */
    static const uint8_t code[] = {0x88, 0x07, 0x66, 0xb8, 0x10, 0x00, 0x00, 0x0d, 0x0f,
                                   0x23, 0xf8, 0x88, 0x07, 0x88, 0x47, 0x01, 0x88, 0x47,
                                   0x04, 0xf4};
    struct machine *m = db_machine(code, sizeof(code));
    struct cpu *c = m->cpu;
    cpu_set_reg(c, CPU_EBX, 0x2000);
    c->dr[2] = 0x2002;
    assert_int_equal(cpu_run(c, 100), CPU_STOP_DEAD_HALT);
    assert_int_equal(db_count(m), 2);
    assert_int_equal(db_ip(m, 0), CODE + 13);
    assert_int_equal(db_ip(m, 1), CODE + 16);
    assert_int_equal(db_dr6(m, 0) & 0xE00F, 4);
    assert_int_equal(db_dr6(m, 1) & 0xE00F, 4);
    tm_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_after_sti),
        cmocka_unit_test(test_movss_shadow_across_budget),
        cmocka_unit_test(test_trap_before_intr),
        cmocka_unit_test(test_step_after_hlt),
        cmocka_unit_test(test_pending_bt),
        cmocka_unit_test(test_exec_breakpoint_in_cached_trace),
        cmocka_unit_test(test_io_breakpoint_match),
        cmocka_unit_test(test_data_breakpoint_after_tlb_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
