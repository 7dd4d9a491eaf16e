/*
 * test_pc.c - the board's run loop: exit port, halts, and CPU slices
 * bounded by the virtual clock's events (real CPU, tiny guests in RAM).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpu/cpu.h"
#include "devices/clock.h"
#include "devices/pc.h"
#include "mmu/mmu.h"

#define GUEST_AT 0x7C00u

/* Start every reset in real mode at 0000:7C00. */
static void real_entry(void *opaque, struct pc *pc)
{
    (void)opaque;
    struct cpu *c = pc_cpu(pc);
    cpu_set_segment_real(c, CPU_CS, 0);
    cpu_set_segment_real(c, CPU_SS, 0);
    cpu_set_eip(c, GUEST_AT);
    cpu_set_reg(c, CPU_ESP, GUEST_AT);
}

static struct pc *make_pc(const uint8_t *code, size_t len)
{
    const struct pc_config cfg = { .ram_size = 1u << 20, .no_reboot = true };
    struct pc *pc = pc_create(&cfg);
    assert_non_null(pc);
    mmu_write_block(pc_mmu(pc), GUEST_AT, code, len);
    pc_set_reset_hook(pc, real_entry, NULL);
    pc_reset(pc);
    return pc;
}

static void test_exit_port(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0xB0, 0x21, 0xE6, 0xF4, 0xEB, 0xFE }; /* mov al,21h; out F4h,al; jmp $ */
    struct pc *pc = make_pc(code, sizeof(code));
    struct pc_result r;
    pc_run(pc, 1000, &r);
    assert_int_equal(r.kind, PC_EXIT_PORT);
    assert_int_equal(r.value, 0x21);
    /* The run ends right after the OUT, not at the end of a slice. */
    assert_int_equal(r.insns, 2);
    pc_destroy(pc);
}

static void test_dead_halt(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0xFA, 0xF4 }; /* cli; hlt */
    struct pc *pc = make_pc(code, sizeof(code));
    struct pc_result r;
    pc_run(pc, 1000, &r);
    assert_int_equal(r.kind, PC_EXIT_DEAD_HALT);
    assert_int_equal(r.cs, 0);
    assert_int_equal(r.eip, GUEST_AT + 2);
    pc_destroy(pc);
}

struct ticker {
    struct clock *clk;
    struct cpu *cpu;
    struct clock_event ev;
    unsigned fired;
    uint64_t now[8], icount[8];
    uint64_t period; /* re-arm when non-zero */
};

static void ticker_fire(void *opaque, uint64_t now)
{
    struct ticker *t = opaque;
    if (t->fired < 8) {
        t->now[t->fired] = now;
        t->icount[t->fired] = cpu_icount(t->cpu);
    }
    t->fired++;
    if (t->period != 0)
        clock_schedule(t->clk, &t->ev, now + t->period);
}

static void test_events_bound_slices(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0xEB, 0xFE }; /* jmp $ */
    struct pc *pc = make_pc(code, sizeof(code));
    struct ticker t = { .clk = pc_clock(pc), .cpu = pc_cpu(pc), .period = 100 };
    clock_event_init(&t.ev, ticker_fire, &t);
    uint64_t start = clock_now(t.clk);
    clock_schedule(t.clk, &t.ev, start + 100);

    struct pc_result r;
    pc_run(pc, 350, &r);
    assert_int_equal(r.kind, PC_EXIT_BUDGET);
    assert_int_equal(r.insns, 350);
    /* Each event ran exactly at its instruction boundary. */
    assert_int_equal(t.fired, 3);
    for (unsigned k = 0; k < 3; k++) {
        assert_int_equal(t.now[k], start + 100 * (k + 1));
        assert_int_equal(t.icount[k], start + 100 * (k + 1));
    }
    pc_destroy(pc);
}

static void test_halt_skips_to_event(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0xFB, 0xF4, 0xEB, 0xFE }; /* sti; hlt; jmp $ */
    struct pc *pc = make_pc(code, sizeof(code));
    struct ticker t = { .clk = pc_clock(pc), .cpu = pc_cpu(pc) };
    clock_event_init(&t.ev, ticker_fire, &t);
    uint64_t start = clock_now(t.clk);
    clock_schedule(t.clk, &t.ev, start + 1000);

    struct pc_result r;
    pc_run(pc, 0, &r);
    /* The halted CPU retired 2 instructions, yet virtual time reached the
     * event; with no event left, nothing can wake it. */
    assert_int_equal(t.fired, 1);
    assert_int_equal(t.now[0], start + 1000);
    assert_int_equal(t.icount[0], start + 2);
    assert_int_equal(r.kind, PC_EXIT_IDLE_HALT);
    assert_int_equal(r.insns, 2);
    pc_destroy(pc);
}

static void test_triple_fault_no_reboot(void **state)
{
    (void)state;
    /* lidt [cs:7C0Ah] (limit 0); int3 -> #GP -> #DF -> shutdown */
    static const uint8_t code[] = { 0x2E, 0x0F, 0x01, 0x1E, 0x0A, 0x7C, 0xCC, 0xEB, 0xFE, 0x90,
                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
    struct pc *pc = make_pc(code, sizeof(code));
    struct pc_result r;
    pc_run(pc, 10000, &r);
    assert_int_equal(r.kind, PC_EXIT_SHUTDOWN);
    assert_int_equal(r.resets, 0);
    assert_true(r.shutdown[0] != '\0');
    pc_destroy(pc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_port),
        cmocka_unit_test(test_dead_halt),
        cmocka_unit_test(test_events_bound_slices),
        cmocka_unit_test(test_halt_skips_to_event),
        cmocka_unit_test(test_triple_fault_no_reboot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
