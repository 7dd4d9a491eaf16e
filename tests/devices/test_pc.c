/*
 * test_pc.c - the board's run loop: exit port, halts, and CPU slices
 * bounded by the virtual clock's events; the ways a guest ends the run
 * (power-off through ACPI S5 and the Bochs shutdown port, reset requests
 * through the 8042, CF9h and port 92h, triple faults) with and without
 * -no-reboot; HLT skipping virtual time to the next timer interrupt
 * (real CPU, tiny guests in RAM; their nasm source is in the comments).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpu/cpu.h"
#include "devices/bus.h"
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

static struct pc *make_pc_reboot(const uint8_t *code, size_t len, bool no_reboot)
{
    const struct pc_config cfg = { .ram_size = 1u << 20, .no_reboot = no_reboot };
    struct pc *pc = pc_create(&cfg);
    assert_non_null(pc);
    mmu_write_block(pc_mmu(pc), GUEST_AT, code, len);
    pc_set_reset_hook(pc, real_entry, NULL);
    pc_reset(pc);
    return pc;
}

static struct pc *make_pc(const uint8_t *code, size_t len)
{
    return make_pc_reboot(code, len, true);
}

static uint32_t read32(struct pc *pc, uint32_t addr)
{
    return mmu_read_phys(pc_mmu(pc), addr, 4);
}

/* A guest halted for good with its timer still ticking behind a masked
 * IRQ retires no instructions, but the budget runs on virtual time and
 * still ends the run. */
static void test_budget_counts_halted_time(void **state)
{
    (void)state;
    /* mov al,FFh; out 21h,al (mask all); PIT ch0 mode 2, count 1000;
     * sti; .h: hlt; jmp .h */
    static const uint8_t code[] = { 0xB0, 0xFF, 0xE6, 0x21, 0xB0, 0x34, 0xE6, 0x43, 0xB0,
                                    0xE8, 0xE6, 0x40, 0xB0, 0x03, 0xE6, 0x40, 0xFB, 0xF4,
                                    0xEB, 0xFD };
    struct pc *pc = make_pc(code, sizeof(code));
    struct pc_result r;
    pc_run(pc, 1000000, &r);
    assert_int_equal(r.kind, PC_EXIT_BUDGET);
    assert_true(r.insns < 20);
    assert_true(r.vtime >= 1000000);
    pc_destroy(pc);
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

/* Run `code` with -no-reboot and expect the run to end with `kind` right
 * after the guest's OUT (the jmp $ after it never loops long). */
static void expect_end(const uint8_t *code, size_t len, enum pc_exit kind, struct pc_result *r)
{
    struct pc *pc = make_pc(code, len);
    pc_run(pc, 100000, r);
    assert_int_equal(r->kind, kind);
    assert_true(r->insns < 100);
    assert_int_equal(r->resets, 0);
    pc_destroy(pc);
}

static void test_poweroff_acpi_s5(void **state)
{
    (void)state;
    /* mov dx, 604h; mov ax, 2000h (SLP_TYP 0 = S5, SLP_EN); out dx, ax; jmp $ */
    static const uint8_t code[] = { 0xBA, 0x04, 0x06, 0xB8, 0x00, 0x20, 0xEF, 0xEB, 0xFE };
    struct pc_result r;
    expect_end(code, sizeof(code), PC_EXIT_POWEROFF, &r);
}

/* pc.h: for REBOOT and POWEROFF, pc_result.shutdown names the source. */
static void test_poweroff_names_its_source(void **state)
{
    (void)state;
    static const uint8_t code[] = { 0xBA, 0x04, 0x06, 0xB8, 0x00, 0x20, 0xEF, 0xEB, 0xFE };
    struct pc_result r;
    expect_end(code, sizeof(code), PC_EXIT_POWEROFF, &r);
    assert_true(r.shutdown[0] != '\0');
}

static void test_acpi_other_sleep_types_ignored(void **state)
{
    (void)state;
    /* mov dx, 604h; mov ax, 2400h (SLP_TYP 1, SLP_EN); out dx, ax;
     * mov al, 5; out F4h, al; jmp $ */
    static const uint8_t code[] = { 0xBA, 0x04, 0x06, 0xB8, 0x00, 0x24, 0xEF,
                                    0xB0, 0x05, 0xE6, 0xF4, 0xEB, 0xFE };
    struct pc *pc = make_pc(code, sizeof(code));
    struct pc_result r;
    pc_run(pc, 1000, &r);
    assert_int_equal(r.kind, PC_EXIT_PORT);
    assert_int_equal(r.value, 5);
    pc_destroy(pc);
}

static void test_poweroff_bochs_port(void **state)
{
    (void)state;
    /* mov dx, 8900h; mov si, msg; cld
     * .l: cs lodsb; test al, al; jz .d; out dx, al; jmp .l
     * .d: jmp $
     * msg: db "Shutdown", 0 */
    static const uint8_t code[] = { 0xBA, 0x00, 0x89, 0xBE, 0x12, 0x7C, 0xFC, 0x2E, 0xAC,
                                    0x84, 0xC0, 0x74, 0x03, 0xEE, 0xEB, 0xF7, 0xEB, 0xFE,
                                    'S',  'h',  'u',  't',  'd',  'o',  'w',  'n',  0 };
    struct pc_result r;
    expect_end(code, sizeof(code), PC_EXIT_POWEROFF, &r);
}

static void test_bochs_port_needs_the_whole_word(void **state)
{
    (void)state;
    /* As above with "Shutdowx": no power-off; the guest then halts. */
    static const uint8_t code[] = { 0xBA, 0x00, 0x89, 0xBE, 0x12, 0x7C, 0xFC, 0x2E, 0xAC,
                                    0x84, 0xC0, 0x74, 0x03, 0xEE, 0xEB, 0xF7, 0xFA, 0xF4,
                                    'S',  'h',  'u',  't',  'd',  'o',  'w',  'x',  0 };
    struct pc *pc = make_pc(code, sizeof(code));
    struct pc_result r;
    pc_run(pc, 1000, &r);
    assert_int_equal(r.kind, PC_EXIT_DEAD_HALT);
    pc_destroy(pc);
}

static void test_reboot_8042(void **state)
{
    (void)state;
    /* mov al, FEh (pulse output port bit 0); out 64h, al; jmp $ */
    static const uint8_t code[] = { 0xB0, 0xFE, 0xE6, 0x64, 0xEB, 0xFE };
    struct pc_result r;
    expect_end(code, sizeof(code), PC_EXIT_REBOOT, &r);
    assert_true(r.shutdown[0] != '\0'); /* the source */
}

static void test_reboot_cf9(void **state)
{
    (void)state;
    /* mov dx, CF9h; mov al, 06h (SYS_RST, RST_CPU); out dx, al; jmp $ */
    static const uint8_t code[] = { 0xBA, 0xF9, 0x0C, 0xB0, 0x06, 0xEE, 0xEB, 0xFE };
    struct pc_result r;
    expect_end(code, sizeof(code), PC_EXIT_REBOOT, &r);
    assert_true(r.shutdown[0] != '\0'); /* the source */
}

static void test_reboot_port92(void **state)
{
    (void)state;
    /* mov al, 01h (ALT_RST); out 92h, al; jmp $ */
    static const uint8_t code[] = { 0xB0, 0x01, 0xE6, 0x92, 0xEB, 0xFE };
    struct pc_result r;
    expect_end(code, sizeof(code), PC_EXIT_REBOOT, &r);
    assert_true(r.shutdown[0] != '\0'); /* the source */
}

static void test_cf9_needs_rst_cpu(void **state)
{
    (void)state;
    /* mov dx, CF9h; mov al, 02h (SYS_RST alone); out dx, al; in al, dx;
     * out F4h, al; jmp $: no reset, and the register reads back 02h */
    static const uint8_t code[] = { 0xBA, 0xF9, 0x0C, 0xB0, 0x02, 0xEE, 0xEC,
                                    0xE6, 0xF4, 0xEB, 0xFE };
    struct pc *pc = make_pc(code, sizeof(code));
    struct pc_result r;
    pc_run(pc, 1000, &r);
    assert_int_equal(r.kind, PC_EXIT_PORT);
    assert_int_equal(r.value, 0x02);
    pc_destroy(pc);
}

/* Without -no-reboot the machine restarts (the reset hook puts the CPU
 * back at 7C00h); RAM survives, so the guest counts its boots at 600h. */
static void test_reboot_8042_restarts(void **state)
{
    (void)state;
    /* inc byte [600h]; cmp byte [600h], 2; je .second
     * mov al, FEh; out 64h, al; jmp $
     * .second: mov al, [600h]; out F4h, al; jmp $ */
    static const uint8_t code[] = { 0xFE, 0x06, 0x00, 0x06, 0x80, 0x3E, 0x00, 0x06,
                                    0x02, 0x74, 0x06, 0xB0, 0xFE, 0xE6, 0x64, 0xEB,
                                    0xFE, 0xA0, 0x00, 0x06, 0xE6, 0xF4, 0xEB, 0xFE };
    struct pc *pc = make_pc_reboot(code, sizeof(code), false);
    struct pc_result r;
    pc_run(pc, 100000, &r);
    assert_int_equal(r.kind, PC_EXIT_PORT);
    assert_int_equal(r.value, 2);
    assert_int_equal(r.resets, 1);
    pc_destroy(pc);
}

static void test_reboot_port92_resets_the_port(void **state)
{
    (void)state;
    /* inc byte [600h]; cmp byte [600h], 2; je .second
     * mov al, 03h (fast A20, ALT_RST); out 92h, al; jmp $
     * .second: in al, 92h; out F4h, al; jmp $: RESET cleared port 92h */
    static const uint8_t code[] = { 0xFE, 0x06, 0x00, 0x06, 0x80, 0x3E, 0x00, 0x06,
                                    0x02, 0x74, 0x06, 0xB0, 0x03, 0xE6, 0x92, 0xEB,
                                    0xFE, 0xE4, 0x92, 0xE6, 0xF4, 0xEB, 0xFE };
    struct pc *pc = make_pc_reboot(code, sizeof(code), false);
    struct pc_result r;
    pc_run(pc, 100000, &r);
    assert_int_equal(r.kind, PC_EXIT_PORT);
    assert_int_equal(r.value, 0x00);
    assert_int_equal(r.resets, 1);
    pc_destroy(pc);
}

static void test_triple_fault_restarts(void **state)
{
    (void)state;
    /* inc byte [600h]; cmp byte [600h], 2; je .second
     * lidt [cs:idt0] (limit 0); int3 -> #GP -> #DF -> shutdown -> RESET
     * .second: mov al, [600h]; out F4h, al; jmp $
     * idt0: dw 0, dd 0 */
    static const uint8_t code[] = { 0xFE, 0x06, 0x00, 0x06, 0x80, 0x3E, 0x00, 0x06, 0x02,
                                    0x74, 0x09, 0x2E, 0x0F, 0x01, 0x1E, 0x1B, 0x7C, 0xCC,
                                    0xEB, 0xFE, 0xA0, 0x00, 0x06, 0xE6, 0xF4, 0xEB, 0xFE,
                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
    struct pc *pc = make_pc_reboot(code, sizeof(code), false);
    struct pc_result r;
    pc_run(pc, 100000, &r);
    assert_int_equal(r.kind, PC_EXIT_PORT);
    assert_int_equal(r.value, 2);
    assert_int_equal(r.resets, 1);
    pc_destroy(pc);
}

static void test_idle_halt_nothing_programmed(void **state)
{
    (void)state;
    /* sti; hlt; jmp $ on a fresh board: no chip has anything scheduled
     * (the RTC, PM timer and UARTs schedule only for enabled interrupts) */
    static const uint8_t code[] = { 0xFB, 0xF4, 0xEB, 0xFE };
    struct pc *pc = make_pc(code, sizeof(code));
    uint64_t start = clock_now(pc_clock(pc));
    struct pc_result r;
    pc_run(pc, 0, &r);
    assert_int_equal(r.kind, PC_EXIT_IDLE_HALT);
    assert_int_equal(r.eip, GUEST_AT + 2);
    assert_int_equal(r.insns, 2);
    assert_int_equal(r.vtime, start + 2); /* no time skipped */
    pc_destroy(pc);
}

/* A watchdog on virtual time: a guest that sleeps in HLT for ever (no
 * interrupt reaches it) retires no instructions, so the run's budget
 * cannot end it; after one virtual second the slice hook writes 7Eh to
 * the exit port instead. */
struct watchdog {
    struct pc *pc;
    uint64_t limit;
};

static void watchdog_slice(void *opaque, uint64_t now)
{
    struct watchdog *w = opaque;
    if (now > w->limit)
        bus_io_write(pc_bus(w->pc), 0xF4, 0x7E, 1);
}

/* The PIT programmed for 10 ms (mode 2, divisor 11932), then STI; HLT:
 * virtual time jumps to the IRQ 0 edge, the halted CPU retires nothing
 * meanwhile, and the TSC (RDTSC) counts the skipped time, so it stays
 * equal to virtual time.  (The control word itself raises OUT0 and may
 * give an interrupt at once: the guest sleeps until one comes later.) */
static void test_halt_skips_to_pit_irq(void **state)
{
    (void)state;
    /*      mov word [8*4], irq0; mov word [8*4+2], 0
     *      mov al, 11h; out 20h, al; mov al, 08h; out 21h, al   ; ICW1, ICW2
     *      mov al, 04h; out 21h, al; mov al, 01h; out 21h, al   ; ICW3, ICW4
     *      mov al, FEh; out 21h, al                             ; IRQ 0 only
     *      mov al, 34h; out 43h, al; mov al, 9Ch; out 40h, al   ; mode 2, LSB
     *      rdtsc; mov [500h], eax; mov [504h], edx; mov [508h], eax
     *      mov al, 2Eh; out 40h, al                             ; MSB: 2E9Ch
     *      sti
     * .w:  hlt; mov eax, [508h]; sub eax, [500h]; cmp eax, 1000; jb .w
     *      cli; rdtsc; mov [510h], eax; mov [514h], edx
     *      mov al, 0; out F4h, al; jmp $
     * irq0: rdtsc; mov [508h], eax; mov [50Ch], edx
     *      mov al, 20h; out 20h, al; iret */
    static const uint8_t code[] = {
        0xC7, 0x06, 0x20, 0x00, 0x60, 0x7C, 0xC7, 0x06, 0x22, 0x00, 0x00, 0x00, 0xB0, 0x11,
        0xE6, 0x20, 0xB0, 0x08, 0xE6, 0x21, 0xB0, 0x04, 0xE6, 0x21, 0xB0, 0x01, 0xE6, 0x21,
        0xB0, 0xFE, 0xE6, 0x21, 0xB0, 0x34, 0xE6, 0x43, 0xB0, 0x9C, 0xE6, 0x40, 0x0F, 0x31,
        0x66, 0xA3, 0x00, 0x05, 0x66, 0x89, 0x16, 0x04, 0x05, 0x66, 0xA3, 0x08, 0x05, 0xB0,
        0x2E, 0xE6, 0x40, 0xFB, 0xF4, 0x66, 0xA1, 0x08, 0x05, 0x66, 0x2B, 0x06, 0x00, 0x05,
        0x66, 0x3D, 0xE8, 0x03, 0x00, 0x00, 0x72, 0xEE, 0xFA, 0x0F, 0x31, 0x66, 0xA3, 0x10,
        0x05, 0x66, 0x89, 0x16, 0x14, 0x05, 0xB0, 0x00, 0xE6, 0xF4, 0xEB, 0xFE, 0x0F, 0x31,
        0x66, 0xA3, 0x08, 0x05, 0x66, 0x89, 0x16, 0x0C, 0x05, 0xB0, 0x20, 0xE6, 0x20, 0xCF,
    };
    struct pc *pc = make_pc(code, sizeof(code));
    struct clock *clk = pc_clock(pc);
    struct watchdog wd = { pc, clock_rate(clk) };
    pc_set_slice_hook(pc, watchdog_slice, &wd);
    struct pc_result r;
    pc_run(pc, 2000000, &r); /* virtual time: the halt skips 500,000-odd ticks */
    assert_int_equal(r.kind, PC_EXIT_PORT);
    assert_int_equal(r.value, 0);
    assert_int_equal(read32(pc, 0x504), 0);
    assert_int_equal(read32(pc, 0x50C), 0);
    assert_int_equal(read32(pc, 0x514), 0);
    uint32_t programmed = read32(pc, 0x500), irq = read32(pc, 0x508), end = read32(pc, 0x510);
    /* The MSB write comes 5 instructions after the first RDTSC; the count
     * loads on the next input clock and OUT0 rises 11932 clocks after
     * that, where the interrupt is taken (one tick for the delivery) and
     * the handler reads the TSC. */
    uint64_t lo = clock_hz_to_ticks(clk, 11932, CLOCK_HZ_PIT);
    uint64_t hi = clock_hz_to_ticks(clk, 11933, CLOCK_HZ_PIT) + 10;
    assert_in_range(irq - programmed, lo, hi);
    /* 500,000-odd ticks passed, but the CPU retired only the program. */
    assert_true(r.insns < 100);
    assert_true(r.vtime > 500000);
    /* The TSC is virtual time: RDTSC, two stores, MOV and the OUT. */
    assert_in_range(r.vtime - end, 1, 6);
    /* Power-on is virtual time 0 and the TSC starts there too: 16
     * instructions come before the first RDTSC. */
    assert_in_range(programmed, 16, 17);
    pc_destroy(pc);
}

/* A timer programmed in the middle of a CPU slice: its interrupt must
 * come on time, not when the slice would have ended (the slice was sized
 * before the event existed).  Mode 0, count 1000, and a busy loop. */
static void test_timer_programmed_mid_slice(void **state)
{
    (void)state;
    /*      mov word [8*4], irq0; mov word [8*4+2], 0
     *      (the PIC as above, IRQ 0 only)
     *      mov al, 30h; out 43h, al; mov al, E8h; out 40h, al   ; mode 0, LSB
     *      rdtsc; mov [500h], eax; mov [508h], eax
     *      mov al, 03h; out 40h, al                             ; MSB: 03E8h
     *      sti
     * .w:  mov eax, [508h]; cmp eax, [500h]; je .w
     *      cli; mov al, 0; out F4h, al; jmp $
     * irq0: rdtsc; mov [508h], eax; mov al, 20h; out 20h, al; iret */
    static const uint8_t code[] = {
        0xC7, 0x06, 0x20, 0x00, 0x49, 0x7C, 0xC7, 0x06, 0x22, 0x00, 0x00, 0x00, 0xB0, 0x11,
        0xE6, 0x20, 0xB0, 0x08, 0xE6, 0x21, 0xB0, 0x04, 0xE6, 0x21, 0xB0, 0x01, 0xE6, 0x21,
        0xB0, 0xFE, 0xE6, 0x21, 0xB0, 0x30, 0xE6, 0x43, 0xB0, 0xE8, 0xE6, 0x40, 0x0F, 0x31,
        0x66, 0xA3, 0x00, 0x05, 0x66, 0xA3, 0x08, 0x05, 0xB0, 0x03, 0xE6, 0x40, 0xFB, 0x66,
        0xA1, 0x08, 0x05, 0x66, 0x3B, 0x06, 0x00, 0x05, 0x74, 0xF5, 0xFA, 0xB0, 0x00, 0xE6,
        0xF4, 0xEB, 0xFE, 0x0F, 0x31, 0x66, 0xA3, 0x08, 0x05, 0xB0, 0x20, 0xE6, 0x20, 0xCF,
    };
    struct pc *pc = make_pc(code, sizeof(code));
    struct clock *clk = pc_clock(pc);
    struct pc_result r;
    pc_run(pc, 10000000, &r);
    assert_int_equal(r.kind, PC_EXIT_PORT);
    assert_int_equal(r.value, 0);
    uint32_t irq = read32(pc, 0x508) - read32(pc, 0x500);
    /* OUT0 rises N+1 input clocks after the MSB write at the latest. */
    assert_in_range(irq, clock_hz_to_ticks(clk, 1000, CLOCK_HZ_PIT),
                    clock_hz_to_ticks(clk, 1001, CLOCK_HZ_PIT) + 10);
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
        cmocka_unit_test(test_poweroff_acpi_s5),
        cmocka_unit_test(test_poweroff_names_its_source),
        cmocka_unit_test(test_acpi_other_sleep_types_ignored),
        cmocka_unit_test(test_poweroff_bochs_port),
        cmocka_unit_test(test_bochs_port_needs_the_whole_word),
        cmocka_unit_test(test_reboot_8042),
        cmocka_unit_test(test_reboot_cf9),
        cmocka_unit_test(test_reboot_port92),
        cmocka_unit_test(test_cf9_needs_rst_cpu),
        cmocka_unit_test(test_reboot_8042_restarts),
        cmocka_unit_test(test_reboot_port92_resets_the_port),
        cmocka_unit_test(test_triple_fault_restarts),
        cmocka_unit_test(test_idle_halt_nothing_programmed),
        cmocka_unit_test(test_halt_skips_to_pit_irq),
        cmocka_unit_test(test_timer_programmed_mid_slice),
        cmocka_unit_test(test_budget_counts_halted_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
