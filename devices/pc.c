/*
 * pc.c - the board: wiring and the run loop.
 */
#include "devices/pc.h"

#include <stdlib.h>

#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/debugcon.h"
#include "devices/exitport.h"
#include "mmu/mmu.h"

/* The longest CPU slice when no event is due: long enough that the
 * per-slice bookkeeping is negligible, short enough for a prompt return. */
#define PC_SLICE_MAX 1000000u

struct pc {
    struct pc_config cfg;
    struct mmu *mmu;
    struct cpu *cpu;
    struct bus *bus;
    struct clock *clock;
    struct debugcon *debugcon;
    struct exitport *exitport;
    pc_reset_hook_fn *reset_hook;
    void *reset_opaque;
};

static uint32_t pc_io_in(void *opaque, uint16_t port, unsigned size)
{
    struct pc *pc = opaque;
    return bus_io_read(pc->bus, port, size);
}

static void pc_io_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct pc *pc = opaque;
    bus_io_write(pc->bus, port, value, size);
}

/* There is no 8259 yet, so nothing ever raises INTR and an acknowledge
 * cycle cannot happen; should one occur, answer like a PIC with no
 * request pending, which supplies its spurious vector (IRQ 7's, here the
 * conventional 0xFF of a floating data bus). */
static uint8_t pc_intr_ack(void *opaque)
{
    (void)opaque;
    return 0xFF;
}

static uint64_t pc_clock_source(void *opaque)
{
    struct pc *pc = opaque;
    return cpu_icount(pc->cpu);
}

static void pc_exit_notify(void *opaque)
{
    struct pc *pc = opaque;
    cpu_request_stop(pc->cpu);
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
    const struct cpu_bus_ops ops = { pc, pc_io_in, pc_io_out, pc_intr_ack };
    const struct cpu_config ccfg = { CPU_MODEL_PENTIUM2, true };
    pc->cpu = cpu_create(pc->mmu, &ops, &ccfg);
    if (pc->cpu == NULL)
        goto fail;
    pc->clock = clock_create(pc_clock_source, pc);
    pc->debugcon = debugcon_create(pc->bus, DEBUGCON_PORT, cfg->debugcon);
    pc->exitport = exitport_create(pc->bus, EXITPORT_PORT, pc_exit_notify, pc);
    if (pc->clock == NULL || pc->debugcon == NULL || pc->exitport == NULL)
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

void pc_set_reset_hook(struct pc *pc, pc_reset_hook_fn *fn, void *opaque)
{
    pc->reset_hook = fn;
    pc->reset_opaque = opaque;
}

void pc_reset(struct pc *pc)
{
    cpu_reset(pc->cpu);
    exitport_reset(pc->exitport);
    if (pc->reset_hook != NULL)
        pc->reset_hook(pc->reset_opaque, pc);
}

static void pc_fill_result(struct pc *pc, enum pc_exit kind, uint64_t start, struct pc_result *out)
{
    struct cpu_segment cs;
    cpu_get_segment(pc->cpu, CPU_CS, &cs);
    out->kind = kind;
    out->cs = cs.selector;
    out->eip = cpu_get_eip(pc->cpu);
    out->insns = cpu_icount(pc->cpu) - start;
    cpu_last_exception(pc->cpu, &out->exc);
    if (kind == PC_EXIT_SHUTDOWN)
        cpu_shutdown_info(pc->cpu, out->shutdown, sizeof(out->shutdown));
}

void pc_run(struct pc *pc, uint64_t max_insns, struct pc_result *out)
{
    const uint64_t start = cpu_icount(pc->cpu);
    *out = (struct pc_result){ 0 };
    for (;;) {
        if (exitport_requested(pc->exitport, &out->value)) {
            pc_fill_result(pc, PC_EXIT_PORT, start, out);
            return;
        }
        uint64_t slice = PC_SLICE_MAX;
        if (max_insns != 0) {
            uint64_t done = cpu_icount(pc->cpu) - start;
            if (done >= max_insns) {
                pc_fill_result(pc, PC_EXIT_BUDGET, start, out);
                return;
            }
            if (max_insns - done < slice)
                slice = max_insns - done;
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

        enum cpu_stop why = cpu_run(pc->cpu, slice);
        clock_run_due(pc->clock);
        switch (why) {
        case CPU_STOP_BUDGET:
        case CPU_STOP_REQUEST:
            break;
        case CPU_STOP_HALT:
            if (exitport_requested(pc->exitport, NULL))
                break;
            /* Waiting for an interrupt: only a device event can bring
             * one, so jump virtual time to it; with none, nothing ever
             * will. */
            if (clock_next_deadline(pc->clock) == CLOCK_NEVER) {
                pc_fill_result(pc, PC_EXIT_IDLE_HALT, start, out);
                return;
            }
            clock_skip_to(pc->clock, clock_next_deadline(pc->clock));
            clock_run_due(pc->clock);
            break;
        case CPU_STOP_DEAD_HALT:
            /* No device can raise NMI yet, so nothing will ever wake the
             * CPU; once one can, pending events must be run first. */
            if (exitport_requested(pc->exitport, NULL))
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
    }
}
