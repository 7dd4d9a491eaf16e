/*
 * io.c - IN/OUT and the port I/O path with its protection checks
 * (SDM vol. 1, chapter 19 "Input/Output"; vol. 2, IN and OUT).
 *
 * The CPU knows no device: a permitted access becomes a call to the
 * board's io_in/io_out callbacks.
 */
#include "cpu/debug_internal.h"
#include "cpu/ops_internal.h"

/* SDM vol. 1, 19.5.2: the 16-bit I/O map base is at offset 66h of a
 * 32-bit TSS; the bit of every byte port the access touches must be 0.
 * The processor always reads two bytes of the map (an access can span a
 * byte boundary), and both must lie within the TSS limit.  A 16-bit TSS
 * has no map, so the access is refused. */
static void io_check_bitmap(struct cpu *c, uint16_t port, unsigned size)
{
    unsigned type = c->tr.attr & 0x0Fu;
    if ((type != 0x9u && type != 0xBu) || c->tr.limit < 0x67u)
        cpu_exception(c, CPU_EXC_GP, 0);
    /* TSS reads are implicit supervisor accesses (a #PF is possible). */
    uint32_t map = cpu_read_sys(c, c->tr.base + 0x66u, 2);
    uint32_t at = map + (port >> 3);
    if (at + 1 > c->tr.limit)
        cpu_exception(c, CPU_EXC_GP, 0);
    uint32_t bits = cpu_read_sys(c, c->tr.base + at, 2);
    uint32_t want = ((1u << size) - 1) << (port & 7u);
    if (bits & want)
        cpu_exception(c, CPU_EXC_GP, 0);
}

/* SDM vol. 1, 19.5.1 and 20.2.8: in protected mode with CPL > IOPL the
 * bitmap decides; in virtual-8086 mode it always decides (IOPL does not
 * matter for IN/OUT there). */
void ops_io_check(struct cpu *c, uint16_t port, unsigned size)
{
    if (!cpu_protected(c))
        return;
    if (cpu_v86(c) || c->cpl > ((c->eflags & CPU_FL_IOPL) >> 12))
        io_check_bitmap(c, port, size);
}

static uint32_t io_size_mask(unsigned size)
{
    return size == 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1);
}

/* With no callback installed the bus floats high, as an empty ISA bus
 * does. */
uint32_t ops_io_bus_in(struct cpu *c, uint16_t port, unsigned size)
{
    cpu_debug_io(c, port, size); /* I/O breakpoints, SDM vol. 3, 17.2.4 */
    uint32_t v = c->bus.io_in ? c->bus.io_in(c->bus.opaque, port, size) : 0xFFFFFFFFu;
    return v & io_size_mask(size);
}

void ops_io_bus_out(struct cpu *c, uint16_t port, uint32_t v, unsigned size)
{
    cpu_debug_io(c, port, size); /* I/O breakpoints, SDM vol. 3, 17.2.4 */
    if (c->bus.io_out)
        c->bus.io_out(c->bus.opaque, port, v & io_size_mask(size), size);
}

uint32_t cpu_io_in(struct cpu *c, uint16_t port, unsigned size)
{
    ops_io_check(c, port, size);
    return ops_io_bus_in(c, port, size);
}

void cpu_io_out(struct cpu *c, uint16_t port, uint32_t v, unsigned size)
{
    ops_io_check(c, port, size);
    ops_io_bus_out(c, port, v, size);
}

/* --- IN --------------------------------------------------------------- */

void cpu_h_IN_ALIb(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r8(c, CPU_EAX, (uint8_t)cpu_io_in(c, (uint8_t)i->d.imm, 1));
}

void cpu_h_IN_AXIb(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r16(c, CPU_EAX, (uint16_t)cpu_io_in(c, (uint8_t)i->d.imm, 2));
}

void cpu_h_IN_EAXIb(struct cpu *c, const struct cpu_insn *i)
{
    c->gpr[CPU_EAX] = cpu_io_in(c, (uint8_t)i->d.imm, 4);
}

void cpu_h_IN_ALDX(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_set_r8(c, CPU_EAX, (uint8_t)cpu_io_in(c, cpu_get_r16(c, CPU_EDX), 1));
}

void cpu_h_IN_AXDX(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_set_r16(c, CPU_EAX, (uint16_t)cpu_io_in(c, cpu_get_r16(c, CPU_EDX), 2));
}

void cpu_h_IN_EAXDX(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    c->gpr[CPU_EAX] = cpu_io_in(c, cpu_get_r16(c, CPU_EDX), 4);
}

/* --- OUT -------------------------------------------------------------- */

void cpu_h_OUT_IbAL(struct cpu *c, const struct cpu_insn *i)
{
    cpu_io_out(c, (uint8_t)i->d.imm, c->gpr[CPU_EAX], 1);
}

void cpu_h_OUT_IbAX(struct cpu *c, const struct cpu_insn *i)
{
    cpu_io_out(c, (uint8_t)i->d.imm, c->gpr[CPU_EAX], 2);
}

void cpu_h_OUT_IbEAX(struct cpu *c, const struct cpu_insn *i)
{
    cpu_io_out(c, (uint8_t)i->d.imm, c->gpr[CPU_EAX], 4);
}

void cpu_h_OUT_DXAL(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_io_out(c, cpu_get_r16(c, CPU_EDX), c->gpr[CPU_EAX], 1);
}

void cpu_h_OUT_DXAX(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_io_out(c, cpu_get_r16(c, CPU_EDX), c->gpr[CPU_EAX], 2);
}

void cpu_h_OUT_DXEAX(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_io_out(c, cpu_get_r16(c, CPU_EDX), c->gpr[CPU_EAX], 4);
}
