/*
 * engine_internal.h - descriptor helpers shared by cpu/segment.c and
 * cpu/interrupt.c.
 */
#ifndef CPU_ENGINE_INTERNAL_H
#define CPU_ENGINE_INTERNAL_H

#include "cpu/cpu_internal.h"

/* Descriptor access byte (attr bits 0..7), SDM vol. 3, 3.4.5. */
#define SEG_A_ACCESSED 0x01u
#define SEG_A_RW 0x02u   /* data: writable; code: readable */
#define SEG_A_EC 0x04u   /* data: expand-down; code: conforming */
#define SEG_A_CODE 0x08u
#define SEG_A_S 0x10u    /* code/data (not system) */
#define SEG_A_DPL(a) (((a) >> 5) & 3u)
#define SEG_A_P 0x80u

/* A descriptor read from the GDT/LDT. */
struct seg_desc {
    uint32_t lo, hi;
    uint32_t addr; /* linear address (for the accessed bit) */
};

/** Read the descriptor of `sel` from the GDT or LDT; false when the
 * selector is beyond the table limit (or the LDT is unusable). */
bool seg_fetch_desc(struct cpu *c, uint16_t sel, struct seg_desc *d);
/** The attr value (access byte + flags nibble) of a descriptor. */
static inline uint16_t seg_desc_attr(const struct seg_desc *d)
{
    return (uint16_t)((d->hi >> 8) & 0xF0FFu);
}
/** Fill a segment cache from a descriptor (derived fields not updated). */
void seg_from_desc(struct cpu_seg *s, uint16_t sel, const struct seg_desc *d);
/** Set the descriptor's accessed bit in memory if clear. */
void seg_set_accessed(struct cpu *c, const struct seg_desc *d);
#endif
