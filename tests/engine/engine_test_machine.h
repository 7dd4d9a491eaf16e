/*
 * engine_test_machine.h - the tiny real-mode machine the engine unit tests
 * run code on (test_engine.c, test_debug.c): 1 MiB of RAM, CPU at
 * 0000:1000 with SP = 8000h and IF = 0, every IVT vector -> a HLT at
 * 0000:0500, port callbacks the tests steer through struct machine.
 * Include after cmocka.h.
 */
#ifndef TESTS_ENGINE_ENGINE_TEST_MACHINE_H
#define TESTS_ENGINE_ENGINE_TEST_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "cpu/cpu.h"
#include "mmu/mmu.h"

#define RAM_SIZE (1u << 20)
#define CODE 0x1000u
#define HANDLER 0x0500u /* default IVT target: hlt */
#define STACK 0x8000u

struct machine {
    struct mmu *mmu;
    struct cpu *cpu;
    uint8_t vector;   /* what INTA returns */
    unsigned acks;
    bool raise_on_out; /* an OUT raises INTR (from inside an instruction) */
    bool sticky;       /* INTA leaves the line high */
    bool stop_on_out;  /* an OUT calls cpu_request_stop */
    unsigned a20_outs; /* the OUT that makes this 0 disables the A20 gate */
};

static inline uint32_t tm_in(void *opaque, uint16_t port, unsigned size)
{
    (void)opaque;
    (void)port;
    (void)size;
    return 0xFFFFFFFFu;
}

static inline void tm_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct machine *m = opaque;
    (void)port;
    (void)value;
    (void)size;
    if (m->raise_on_out)
        cpu_set_intr(m->cpu, true);
    if (m->stop_on_out)
        cpu_request_stop(m->cpu);
    if (m->a20_outs != 0 && --m->a20_outs == 0)
        mmu_set_a20(m->mmu, false);
}

static inline uint8_t tm_ack(void *opaque)
{
    struct machine *m = opaque;
    m->acks++;
    if (!m->sticky)
        cpu_set_intr(m->cpu, false); /* edge-like: one interrupt per raise */
    return m->vector;
}

static inline void poke8(struct machine *m, uint32_t a, uint8_t v) { mmu_write_phys(m->mmu, a, v, 1); }
static inline void poke16(struct machine *m, uint32_t a, uint16_t v) { mmu_write_phys(m->mmu, a, v, 2); }
static inline void poke32(struct machine *m, uint32_t a, uint32_t v) { mmu_write_phys(m->mmu, a, v, 4); }
static inline uint8_t peek8(struct machine *m, uint32_t a) { return (uint8_t)mmu_read_phys(m->mmu, a, 1); }
static inline uint16_t peek16(struct machine *m, uint32_t a) { return (uint16_t)mmu_read_phys(m->mmu, a, 2); }
static inline uint32_t peek32(struct machine *m, uint32_t a) { return mmu_read_phys(m->mmu, a, 4); }

static inline void set_vector(struct machine *m, unsigned v, uint16_t cs, uint16_t ip)
{
    poke32(m, v * 4, ((uint32_t)cs << 16) | ip);
}

/* Real mode at 0000:1000, SP = 8000h, IF = 0, every vector -> hlt. */
static inline struct machine *tm_new_ram(uint32_t ram_size)
{
    struct machine *m = calloc(1, sizeof(*m));
    assert_non_null(m);
    m->mmu = mmu_create(ram_size);
    assert_non_null(m->mmu);
    struct cpu_bus_ops bus = {m, tm_in, tm_out, tm_ack};
    struct cpu_config cfg = {CPU_MODEL_PENTIUM2, false};
    m->cpu = cpu_create(m->mmu, &bus, &cfg);
    assert_non_null(m->cpu);
    for (unsigned v = 0; v < 256; v++)
        set_vector(m, v, 0, HANDLER);
    poke8(m, HANDLER, 0xF4); /* hlt */
    for (unsigned s = 0; s < 6; s++)
        cpu_set_segment_real(m->cpu, (enum cpu_sreg)s, 0);
    cpu_set_reg(m->cpu, CPU_ESP, STACK);
    cpu_set_eflags(m->cpu, 0x2);
    cpu_set_eip(m->cpu, CODE);
    m->vector = 0x20;
    return m;
}

static inline struct machine *tm_new(void) { return tm_new_ram(RAM_SIZE); }

static inline void tm_free(struct machine *m)
{
    cpu_destroy(m->cpu);
    mmu_destroy(m->mmu);
    free(m);
}

static inline void load(struct machine *m, uint32_t at, const uint8_t *code, size_t len)
{
    mmu_write_block(m->mmu, at, code, len);
}

#endif
