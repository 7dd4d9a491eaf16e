/*
 * pc.c - the board: which chip sits where, the IRQ wiring, reset and
 * power-off, and the run loop.  See pc.h for the port and IRQ map.
 */
#include "devices/pc.h"

#include <stdlib.h>
#include <string.h>

#include "devices/acpi_pm.h"
#include "devices/bus.h"
#include "devices/chardev.h"
#include "devices/clock.h"
#include "devices/debugcon.h"
#include "devices/dma.h"
#include "devices/exitport.h"
#include "devices/i8042.h"
#include "devices/irq.h"
#include "devices/pci.h"
#include "devices/pic.h"
#include "devices/pit.h"
#include "devices/portb.h"
#include "devices/rtc.h"
#include "devices/sysctl.h"
#include "devices/uart.h"
#include "mmu/mmu.h"

/* The longest CPU slice when no event is due: long enough that the
 * per-slice bookkeeping is negligible, short enough for a prompt return. */
#define PC_SLICE_MAX 1000000u

#define PC_IRQS 16
#define PC_FERR_PORT 0xF0u
#define PC_ACPI_PM_BASE 0x600u

static const uint16_t pc_uart_base[PC_SERIAL_PORTS] = { 0x3F8, 0x2F8, 0x3E8, 0x2E8 };
static const uint8_t pc_uart_irq[PC_SERIAL_PORTS] = { 4, 3, 4, 3 };

struct pc {
    struct pc_config cfg;
    struct mmu *mmu;
    struct cpu *cpu;
    struct bus *bus;
    struct clock *clock;

    struct irq_line intr;          /* PIC INT -> CPU INTR */
    struct irq_line irq[PC_IRQS];  /* device outputs -> PIC inputs */
    struct pic *pic;
    struct pit *pit;
    struct portb *portb;
    struct rtc *rtc;
    struct i8042 *kbc;
    struct dma *dma;
    struct sysctl *sysctl;
    struct pci *pci;
    struct acpi_pm *acpi_pm;
    struct uart *uart[PC_SERIAL_PORTS];
    struct irq_line uart_irq[PC_SERIAL_PORTS]; /* each UART's output, ORed onto its ISA IRQ */
    struct debugcon *debugcon;
    struct exitport *exitport;

    /* A20 is the OR of the 8042 output port and port 92h (PIIX3). */
    bool a20_kbc, a20_fast;
    /* The AT's FERR# latch: set by FERR#, cleared by a write to port F0h. */
    bool ferr_latch;

    /* Requests made by chips during a slice, acted on between slices. */
    bool reset_pending, poweroff_pending;
    bool quit_pending; /* Ctrl-A x on a serial terminal */
    bool reset_keeps_kbc; /* the 8042 pulsed RESET itself: it keeps its state */
    const char *request_source;

    pc_reset_hook_fn *reset_hook;
    void *reset_opaque;
    pc_slice_hook_fn *slice_hook;
    void *slice_opaque;
};

/* -d io: one line per access, stamped with the virtual time. */
static bool pc_log_io(const struct pc *pc)
{
    return pc->cfg.log != NULL && (pc->cfg.log_mask & PC_LOG_IO);
}

static uint32_t pc_io_in(void *opaque, uint16_t port, unsigned size)
{
    struct pc *pc = opaque;
    uint32_t v = bus_io_read(pc->bus, port, size);
    if (pc_log_io(pc))
        fprintf(pc->cfg.log, "io %llu: in  %04x/%u = %0*x\n",
                (unsigned long long)clock_now(pc->clock), port, size, (int)size * 2, (unsigned)v);
    return v;
}

static void pc_io_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct pc *pc = opaque;
    if (pc_log_io(pc))
        fprintf(pc->cfg.log, "io %llu: out %04x/%u   %0*x\n",
                (unsigned long long)clock_now(pc->clock), port, size, (int)size * 2,
                (unsigned)value);
    bus_io_write(pc->bus, port, value, size);
}

static uint8_t pc_intr_ack(void *opaque)
{
    struct pc *pc = opaque;
    uint8_t vector = pic_ack(pc->pic);
    if (pc_log_io(pc))
        fprintf(pc->cfg.log, "io %llu: INTA vector %02x\n",
                (unsigned long long)clock_now(pc->clock), vector);
    return vector;
}

static void pc_intr_sink(void *opaque, unsigned pin, bool level)
{
    struct pc *pc = opaque;
    (void)pin;
    cpu_set_intr(pc->cpu, level);
}

static uint64_t pc_clock_source(void *opaque)
{
    struct pc *pc = opaque;
    return cpu_icount(pc->cpu);
}

/* Two UARTs share each ISA IRQ (COM1/COM3 on 4, COM2/COM4 on 3): the line
 * is high while either drives it. */
static void pc_uart_irq_sink(void *opaque, unsigned port, bool level)
{
    struct pc *pc = opaque;
    (void)level;
    unsigned irq = pc_uart_irq[port];
    bool any = false;
    for (unsigned k = 0; k < PC_SERIAL_PORTS; k++)
        if (pc_uart_irq[k] == irq && pc->uart_irq[k].level)
            any = true;
    irq_set(&pc->irq[irq], any);
}

static void pc_log(struct pc *pc, unsigned category, const char *what)
{
    if (pc->cfg.log != NULL && (pc->cfg.log_mask & category))
        fprintf(pc->cfg.log, "ringzero: %s\n", what);
}

/* End the CPU slice after the current instruction: the guest wrote the
 * exit port, or a chip scheduled an event inside the running slice (a
 * timer programmed by the guest) that must fire on time. */
static void pc_end_slice(void *opaque)
{
    struct pc *pc = opaque;
    cpu_request_stop(pc->cpu);
}

static void pc_request_reset(struct pc *pc, const char *source)
{
    pc->reset_pending = true;
    pc->reset_keeps_kbc = false;
    pc->request_source = source;
    pc_log(pc, PC_LOG_RESET, source);
    cpu_request_stop(pc->cpu);
}

static void pc_kbc_reset(void *opaque)
{
    struct pc *pc = opaque;
    pc_request_reset(pc, "reset by the 8042 output port");
    pc->reset_keeps_kbc = true;
}
static void pc_sysctl_reset(void *opaque) { pc_request_reset(opaque, "reset by port 92h/CF9h"); }

static void pc_request_poweroff(struct pc *pc, const char *source)
{
    pc->poweroff_pending = true;
    pc->request_source = source;
    pc_log(pc, PC_LOG_RESET, source);
    cpu_request_stop(pc->cpu);
}

static void pc_acpi_poweroff(void *opaque)
{
    pc_request_poweroff(opaque, "power-off by ACPI S5 (PM1a_CNT SLP_EN)");
}

static void pc_port_poweroff(void *opaque)
{
    pc_request_poweroff(opaque, "power-off by the shutdown port 8900h");
}

static void pc_update_a20(struct pc *pc)
{
    mmu_set_a20(pc->mmu, pc->a20_kbc || pc->a20_fast);
}

static void pc_kbc_a20(void *opaque, bool enabled)
{
    struct pc *pc = opaque;
    pc->a20_kbc = enabled;
    pc_update_a20(pc);
}

static void pc_fast_a20(void *opaque, bool enabled)
{
    struct pc *pc = opaque;
    pc->a20_fast = enabled;
    pc_update_a20(pc);
}

/* The PC/AT routes the coprocessor's FERR# through a latch to IRQ 13; an
 * OUT to port F0h clears the latch (the handler's acknowledgement). */
static void pc_ferr(void *opaque, bool asserted)
{
    struct pc *pc = opaque;
    if (asserted && !pc->ferr_latch) {
        pc->ferr_latch = true;
        irq_raise(&pc->irq[13]);
    }
}

static void pc_ferr_clear(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct pc *pc = opaque;
    (void)port, (void)value, (void)size;
    pc->ferr_latch = false;
    irq_lower(&pc->irq[13]);
}

struct pc *pc_create(const struct pc_config *cfg)
{
    struct pc *pc = calloc(1, sizeof(*pc));
    if (pc == NULL)
        return NULL;
    pc->cfg = *cfg;
    pc->mmu = mmu_create(cfg->ram_size);
    pc->bus = bus_create();
    if (pc->mmu == NULL || pc->bus == NULL)
        goto fail;
    bus_attach_mmu(pc->bus, pc->mmu);
    const struct cpu_bus_ops ops = { pc, pc_io_in, pc_io_out, pc_intr_ack };
    const struct cpu_config ccfg = { CPU_MODEL_PENTIUM2, true };
    pc->cpu = cpu_create(pc->mmu, &ops, &ccfg);
    pc->clock = clock_create(pc_clock_source, pc);
    if (pc->cpu == NULL || pc->clock == NULL)
        goto fail;
    if (cfg->ips != 0)
        clock_set_rate(pc->clock, cfg->ips);
    clock_set_early_handler(pc->clock, pc_end_slice, pc);

    irq_line_init(&pc->intr, pc_intr_sink, pc, 0);
    pc->pic = pic_create(pc->bus, 0x20, 0xA0, 0x4D0, &pc->intr);
    if (pc->pic == NULL)
        goto fail;
    for (unsigned n = 0; n < PC_IRQS; n++)
        irq_line_init(&pc->irq[n], pic_irq_sink, pc->pic, n);

    pc->pit = pit_create(pc->bus, 0x40, pc->clock, &pc->irq[0]);
    pc->portb = pc->pit != NULL ? portb_create(pc->bus, 0x61, pc->clock, pc->pit) : NULL;
    const struct rtc_config rcfg = { cfg->rtc_start };
    pc->rtc = rtc_create(pc->bus, 0x70, pc->clock, &pc->irq[8], &rcfg);
    pc->kbc = i8042_create(pc->bus, 0x60, 0x64, pc->clock, &pc->irq[1], &pc->irq[12], pc_kbc_reset,
                           pc_kbc_a20, pc);
    pc->dma = dma_create(pc->bus, pc->mmu, 0x00, 0xC0, 0x81);
    pc->pci = pci_create(pc->bus, 0xCF8);
    const struct sysctl_config scfg = {
        .port_a = 0x92,
        .post = 0x80,
        .bochs_shutdown = 0x8900,
        .log = (cfg->log_mask & PC_LOG_POST) ? cfg->log : NULL,
        .reset = pc_sysctl_reset,
        .a20 = pc_fast_a20,
        .poweroff = pc_port_poweroff,
        .opaque = pc,
    };
    pc->sysctl = sysctl_create(pc->bus, &scfg);
    pc->acpi_pm = acpi_pm_create(pc->bus, PC_ACPI_PM_BASE, pc->clock, &pc->irq[9], pc_acpi_poweroff, pc);
    if (pc->pit == NULL || pc->portb == NULL || pc->rtc == NULL || pc->kbc == NULL ||
        pc->dma == NULL || pc->pci == NULL || pc->sysctl == NULL || pc->acpi_pm == NULL)
        goto fail;
    pci_set_cf9_handler(pc->pci, sysctl_rcr_io_read, sysctl_rcr_io_write, pc->sysctl);
    if (pci_add_pc_chipset(pc->pci) != 0)
        goto fail;
    rtc_setup_pc(pc->rtc, cfg->ram_size);
    for (unsigned k = 0; k < PC_SERIAL_PORTS; k++) {
        if (cfg->serial[k] == NULL)
            continue;
        irq_line_init(&pc->uart_irq[k], pc_uart_irq_sink, pc, k);
        pc->uart[k] = uart_create(pc->bus, pc_uart_base[k], pc->clock, &pc->uart_irq[k],
                                  cfg->serial[k]);
        if (pc->uart[k] == NULL)
            goto fail;
    }
    if (bus_register_io(pc->bus, PC_FERR_PORT, 1, BUS_W8, pc, NULL, pc_ferr_clear) != 0)
        goto fail;
    cpu_set_ferr_handler(pc->cpu, pc_ferr, pc);

    pc->debugcon = debugcon_create(pc->bus, DEBUGCON_PORT, cfg->debugcon);
    pc->exitport = exitport_create(pc->bus, EXITPORT_PORT, pc_end_slice, pc);
    if (pc->debugcon == NULL || pc->exitport == NULL)
        goto fail;
    return pc;
fail:
    pc_destroy(pc);
    return NULL;
}

void pc_destroy(struct pc *pc)
{
    if (pc == NULL)
        return;
    exitport_destroy(pc->exitport);
    debugcon_destroy(pc->debugcon);
    for (unsigned k = 0; k < PC_SERIAL_PORTS; k++)
        uart_destroy(pc->uart[k]);
    acpi_pm_destroy(pc->acpi_pm);
    sysctl_destroy(pc->sysctl);
    pci_destroy(pc->pci);
    dma_destroy(pc->dma);
    i8042_destroy(pc->kbc);
    rtc_destroy(pc->rtc);
    portb_destroy(pc->portb);
    pit_destroy(pc->pit);
    pic_destroy(pc->pic);
    clock_destroy(pc->clock);
    if (pc->cpu != NULL)
        cpu_destroy(pc->cpu);
    bus_destroy(pc->bus);
    if (pc->mmu != NULL)
        mmu_destroy(pc->mmu);
    free(pc);
}

struct mmu *pc_mmu(struct pc *pc) { return pc->mmu; }
struct cpu *pc_cpu(struct pc *pc) { return pc->cpu; }
struct bus *pc_bus(struct pc *pc) { return pc->bus; }
struct clock *pc_clock(struct pc *pc) { return pc->clock; }
struct i8042 *pc_i8042(struct pc *pc) { return pc->kbc; }

void pc_set_reset_hook(struct pc *pc, pc_reset_hook_fn *fn, void *opaque)
{
    pc->reset_hook = fn;
    pc->reset_opaque = opaque;
}

void pc_set_slice_hook(struct pc *pc, pc_slice_hook_fn *fn, void *opaque)
{
    pc->slice_hook = fn;
    pc->slice_opaque = opaque;
}

/* RESET of the whole board.  When the 8042 itself pulsed the line, it
 * keeps its command byte and output port (a warm boot: the system flag
 * survives, as on an AT). */
static void pc_reset_board(struct pc *pc, bool keep_kbc)
{
    cpu_reset(pc->cpu);
    pic_reset(pc->pic);
    pit_reset(pc->pit);
    portb_reset(pc->portb);
    rtc_reset(pc->rtc);
    if (!keep_kbc)
        i8042_reset(pc->kbc);
    dma_reset(pc->dma);
    pci_reset(pc->pci);
    sysctl_reset(pc->sysctl);
    acpi_pm_reset(pc->acpi_pm);
    for (unsigned k = 0; k < PC_SERIAL_PORTS; k++)
        if (pc->uart[k] != NULL)
            uart_reset(pc->uart[k]);
    exitport_reset(pc->exitport);
    pc->ferr_latch = false;
    irq_lower(&pc->irq[13]);
    /* The 8042's output port comes out of reset with the A20 bit set and
     * port 92h with its A20 bit clear, so A20 is on after a cold RESET. */
    pc->a20_kbc = i8042_a20(pc->kbc);
    pc->a20_fast = false;
    pc_update_a20(pc);
    pc->reset_pending = false;
    pc->reset_keeps_kbc = false;
    pc->poweroff_pending = false;
    if (pc->reset_hook != NULL)
        pc->reset_hook(pc->reset_opaque, pc);
}

void pc_reset(struct pc *pc) { pc_reset_board(pc, false); }

static void pc_fill_result(struct pc *pc, enum pc_exit kind, uint64_t start, struct pc_result *out)
{
    struct cpu_segment cs;
    cpu_get_segment(pc->cpu, CPU_CS, &cs);
    out->kind = kind;
    out->cs = cs.selector;
    out->eip = cpu_get_eip(pc->cpu);
    out->insns = cpu_icount(pc->cpu) - start;
    out->vtime = clock_now(pc->clock);
    cpu_last_exception(pc->cpu, &out->exc);
    if (kind == PC_EXIT_SHUTDOWN)
        cpu_shutdown_info(pc->cpu, out->shutdown, sizeof(out->shutdown));
    else if ((kind == PC_EXIT_REBOOT || kind == PC_EXIT_POWEROFF) && pc->request_source != NULL)
        snprintf(out->shutdown, sizeof(out->shutdown), "%s", pc->request_source);
}

/* Host input for the serial ports: bytes the back-end has ready go into
 * the UART's receive FIFO as far as it has room.  Input from a terminal
 * is the one thing that can make two runs differ. */
static void pc_pump_serial(struct pc *pc)
{
    for (unsigned k = 0; k < PC_SERIAL_PORTS; k++) {
        struct uart *u = pc->uart[k];
        if (u == NULL || !chardev_has_input(pc->cfg.serial[k]) || !uart_can_receive(u))
            continue;
        uint8_t buf[16];
        size_t room = uart_rx_room(u);
        size_t n = chardev_read(pc->cfg.serial[k], buf, room < sizeof(buf) ? room : sizeof(buf));
        if (n > 0)
            uart_receive(u, buf, n);
        if (chardev_quit_requested(pc->cfg.serial[k]))
            pc->quit_pending = true;
    }
}

/* Skip virtual time to the next event while the CPU is halted. */
static bool pc_idle(struct pc *pc)
{
    uint64_t next = clock_next_deadline(pc->clock);
    if (next == CLOCK_NEVER)
        return false;
    uint64_t now = clock_now(pc->clock);
    if (next > now) {
        clock_skip_to(pc->clock, next);
        cpu_advance_idle(pc->cpu, next - now);
    }
    clock_run_due(pc->clock);
    return true;
}

void pc_run(struct pc *pc, uint64_t max_insns, struct pc_result *out)
{
    const uint64_t start = cpu_icount(pc->cpu);
    /* The budget runs on virtual time, which is retired instructions
     * plus the time skipped while halted: a guest halted for good with a
     * masked timer still ticking would otherwise never reach it. */
    const uint64_t vstart = clock_now(pc->clock);
    *out = (struct pc_result){ 0 };
    for (;;) {
        if (exitport_requested(pc->exitport, &out->value)) {
            pc_fill_result(pc, PC_EXIT_PORT, start, out);
            return;
        }
        if (pc->poweroff_pending) {
            pc_fill_result(pc, PC_EXIT_POWEROFF, start, out);
            return;
        }
        if (pc->reset_pending) {
            if (pc->cfg.no_reboot) {
                pc_fill_result(pc, PC_EXIT_REBOOT, start, out);
                return;
            }
            out->resets++;
            pc_reset_board(pc, pc->reset_keeps_kbc);
        }
        uint64_t slice = PC_SLICE_MAX;
        if (max_insns != 0) {
            uint64_t done = clock_now(pc->clock) - vstart;
            if (done >= max_insns) {
                pc_fill_result(pc, PC_EXIT_BUDGET, start, out);
                return;
            }
            if (max_insns - done < slice)
                slice = max_insns - done;
        }
        pc_pump_serial(pc);
        if (pc->quit_pending) {
            pc_fill_result(pc, PC_EXIT_QUIT, start, out);
            return;
        }
        /* Bound the slice by the next event so it fires on time. */
        uint64_t now = clock_now(pc->clock);
        uint64_t next = clock_next_deadline(pc->clock);
        if (next <= now) {
            clock_run_due(pc->clock);
            continue;
        }
        if (next - now < slice)
            slice = next - now;

        clock_set_horizon(pc->clock, now + slice);
        enum cpu_stop why = cpu_run(pc->cpu, slice);
        clock_set_horizon(pc->clock, 0);
        clock_run_due(pc->clock);
        switch (why) {
        case CPU_STOP_BUDGET:
        case CPU_STOP_REQUEST:
            break;
        case CPU_STOP_HALT:
            if (exitport_requested(pc->exitport, NULL) || pc->poweroff_pending ||
                pc->reset_pending)
                break;
            /* Waiting for an interrupt: only a device event can bring
             * one, so jump virtual time to it; with none, nothing ever
             * will. */
            if (!pc_idle(pc)) {
                pc_fill_result(pc, PC_EXIT_IDLE_HALT, start, out);
                return;
            }
            break;
        case CPU_STOP_DEAD_HALT:
            /* Interrupts are off and no NMI source exists on this board,
             * so nothing will ever wake the CPU. */
            if (exitport_requested(pc->exitport, NULL) || pc->poweroff_pending ||
                pc->reset_pending)
                break;
            pc_fill_result(pc, PC_EXIT_DEAD_HALT, start, out);
            return;
        case CPU_STOP_SHUTDOWN:
            if (pc->cfg.no_reboot) {
                pc_fill_result(pc, PC_EXIT_SHUTDOWN, start, out);
                return;
            }
            /* A PC's chipset turns the shutdown cycle into RESET. */
            out->resets++;
            pc_reset(pc);
            break;
        }
        if (pc->slice_hook != NULL)
            pc->slice_hook(pc->slice_opaque, clock_now(pc->clock));
    }
}
