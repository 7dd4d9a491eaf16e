/*
 * alu_test_machine.c - see alu_test_machine.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tests/alu/alu_ref.h"
#include "tests/alu/alu_test_machine.h"

static struct tm *tm_of(struct cpu *c) { return (struct tm *)(void *)c; }

struct tm *tm_create(void)
{
    struct tm *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    for (unsigned s = 0; s < 6; s++) {
        m->cpu.seg[s].base = 0;
        m->cpu.seg[s].limit = TM_MEM_SIZE - 1;
        m->cpu.seg[s].lim_lo = 0;
        m->cpu.seg[s].lim_hi = TM_MEM_SIZE - 1;
        m->cpu.seg[s].access = 0; /* force the slow paths below */
    }
    m->exc = -1;
    return m;
}

void tm_destroy(struct tm *m) { free(m); }

_Noreturn void cpu_exception(struct cpu *c, unsigned vector, uint32_t error)
{
    (void)error;
    tm_of(c)->exc = (int)vector;
    longjmp(c->unwind, 1);
}

uint32_t tm_ld(const struct tm *m, uint32_t addr, unsigned size)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v |= (uint32_t)m->mem[(addr + k) & (TM_MEM_SIZE - 1)] << (8 * k);
    return v;
}

void tm_st(struct tm *m, uint32_t addr, uint32_t v, unsigned size)
{
    for (unsigned k = 0; k < size; k++)
        m->mem[(addr + k) & (TM_MEM_SIZE - 1)] = (uint8_t)(v >> (8 * k));
}

static void tm_check(struct cpu *c, unsigned sreg, uint32_t off, unsigned size, bool write)
{
    struct tm *m = tm_of(c);
    if ((uint64_t)off + size - 1 > c->seg[sreg].limit)
        cpu_exception(c, sreg == CPU_SS ? CPU_EXC_SS : CPU_EXC_GP, 0);
    if (write) {
        for (unsigned k = 0; k < size; k++)
            if (m->read_only[((off + k) & (TM_MEM_SIZE - 1)) / 4096u])
                cpu_exception(c, CPU_EXC_PF, 3);
    }
}

uint32_t cpu_read_slow(struct cpu *c, unsigned sreg, uint32_t off, unsigned size)
{
    tm_check(c, sreg, off, size, false);
    return tm_ld(tm_of(c), c->seg[sreg].base + off, size);
}

void cpu_write_slow(struct cpu *c, unsigned sreg, uint32_t off, uint32_t v, unsigned size)
{
    tm_check(c, sreg, off, size, true);
    tm_st(tm_of(c), c->seg[sreg].base + off, v, size);
    tm_of(c)->writes++;
}

uint32_t cpu_rmw_read(struct cpu *c, unsigned sreg, uint32_t off, unsigned size)
{
    tm_check(c, sreg, off, size, true);
    c->rmw.seg = sreg;
    c->rmw.off = off;
    c->rmw.size = size;
    return tm_ld(tm_of(c), c->seg[sreg].base + off, size);
}

void cpu_rmw_write(struct cpu *c, uint32_t v)
{
    tm_st(tm_of(c), c->seg[c->rmw.seg].base + c->rmw.off, v, c->rmw.size);
    tm_of(c)->writes++;
}

void cpu_check_write(struct cpu *c, unsigned sreg, uint32_t off, unsigned size)
{
    tm_check(c, sreg, off, size, true);
}

int tm_exec(struct tm *m, cpu_handler_fn *fn, const struct dec_insn *d)
{
    struct cpu_insn insn;
    insn.fn = fn;
    insn.d = *d;
    m->exc = -1;
    m->cpu.gpr[DEC_REG_NONE] = 0;
    if (setjmp(m->cpu.unwind) == 0)
        insn.fn(&m->cpu, &insn);
    return m->exc;
}

struct dec_insn tm_reg(unsigned reg, unsigned rm, uint32_t imm)
{
    struct dec_insn d;
    memset(&d, 0, sizeof d);
    d.flags = DEC_F_O32 | DEC_F_A32;
    d.reg = (uint8_t)reg;
    d.rm = (uint8_t)rm;
    d.imm = imm;
    d.base = DEC_REG_NONE;
    d.index = DEC_REG_NONE;
    d.seg = CPU_DS;
    return d;
}

struct dec_insn tm_mem(unsigned reg, uint32_t addr, uint32_t imm)
{
    struct dec_insn d = tm_reg(reg, 0, imm);
    d.flags |= DEC_F_MEM;
    d.disp = addr;
    return d;
}

uint32_t tm_rng(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (uint32_t)((*s * 0x2545F4914F6CDD1DULL) >> 32);
}

uint32_t tm_flags(const struct tm *m) { return flags_get_oszapc(&m->cpu.lf); }
void tm_put_flags(struct tm *m, uint32_t oszapc) { flags_put_oszapc(&m->cpu.lf, oszapc, ALL6); }

static uint32_t tm_rd_gpr(const uint32_t *gpr, unsigned r, unsigned size)
{
    if (size == 1)
        return r < 4 ? gpr[r] & 0xFF : (gpr[r - 4] >> 8) & 0xFF;
    return gpr[r] & ref_mask(size * 8);
}

static void tm_wr_gpr(uint32_t *gpr, unsigned r, unsigned size, uint32_t v)
{
    if (size == 1) {
        if (r < 4)
            gpr[r] = (gpr[r] & ~0xFFu) | (v & 0xFF);
        else
            gpr[r - 4] = (gpr[r - 4] & ~0xFF00u) | ((v & 0xFF) << 8);
    } else {
        uint32_t mk = ref_mask(size * 8);
        gpr[r] = (gpr[r] & ~mk) | (v & mk);
    }
}

uint32_t tm_rd(const struct tm *m, unsigned r, unsigned size)
{
    return tm_rd_gpr(m->cpu.gpr, r, size);
}
void tm_wr(struct tm *m, unsigned r, unsigned size, uint32_t v)
{
    tm_wr_gpr(m->cpu.gpr, r, size, v);
}

void tm_randomize(struct tm *m, uint64_t *s)
{
    for (unsigned r = 0; r < 8; r++)
        m->cpu.gpr[r] = tm_rng(s);
}

void tm_expect_regs(const struct tm *m, const uint32_t *before, int dst, unsigned size,
                    uint32_t want)
{
    uint32_t gpr[8];
    memcpy(gpr, before, sizeof gpr);
    if (dst >= 0)
        tm_wr_gpr(gpr, (unsigned)dst, size, want);
    for (unsigned r = 0; r < 8; r++)
        if (gpr[r] != m->cpu.gpr[r])
            fail_msg("reg %u = %08x, want %08x", r, (unsigned)m->cpu.gpr[r], (unsigned)gpr[r]);
}
