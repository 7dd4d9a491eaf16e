/*
 * task.c - hardware task switches (SDM vol. 3, chapter 7).
 */
#include "cpu/engine_internal.h"

void task_far_transfer(struct cpu *c, uint16_t sel, const struct seg_desc *d, bool call)
{
    (void)d;
    (void)call;
    cpu_exception(c, CPU_EXC_GP, sel & 0xFFFCu);
}

void task_gate_event(struct cpu *c, uint32_t gate_lo, uint32_t gate_hi, uint32_t ext,
                     bool has_error, uint32_t error)
{
    (void)gate_hi;
    (void)has_error;
    (void)error;
    cpu_exception(c, CPU_EXC_GP, ((gate_lo >> 16) & 0xFFFCu) | ext);
}

void task_iret_nested(struct cpu *c)
{
    cpu_exception(c, CPU_EXC_GP, 0);
}
