/*
 * pic.h - the PC's two 8259A programmable interrupt controllers and the
 * PIIX3 edge/level control registers (ELCR).
 *
 * The master takes IRQ 0-7, the slave IRQ 8-15; the slave's INT output is
 * wired to the master's IR2 input (the cascade), so IRQ 2 itself is not
 * an input of this device (the ISA bus's IRQ 2 pin is IRQ 9 on an AT).
 * The master's INT output drives the CPU's INTR pin through `intr`, and
 * the CPU's interrupt acknowledge cycle is pic_ack().
 *
 * Power-on and pic_reset() state: the 8259A has no reset pin, and the
 * PIIX3 datasheet gives the ICWs and OCW1 as undefined after reset; a
 * BIOS always initialises both controllers before use.  This model comes
 * out of reset as if ICW1 had been written with every other bit and every
 * following ICW zero and the sequence finished: IMR = 0, IRR = ISR = 0,
 * IR7 lowest priority, IRR selected for reads, vector base 0, no AEOI, no
 * special mask, master ICW3 = 0 (no cascade configured), slave ID 7 (the
 * ICW1 default).  A write to the data port is therefore OCW1 until the
 * first ICW1.  The ELCRs reset to 0 (all edge) as the PIIX3 datasheet
 * gives.
 */
#ifndef DEVICES_PIC_H
#define DEVICES_PIC_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/irq.h"

struct bus;
struct pic;

/** The input pin of the master that the slave's INT output drives. */
#define PIC_CASCADE_IRQ 2u
/** Number of IRQ inputs (0-15; 2 is the cascade). */
#define PIC_IRQS 16u

/**
 * Create both controllers and claim their ports on `bus`: the master at
 * master_base and master_base + 1 (0x20/0x21 on a PC), the slave at
 * slave_base and slave_base + 1 (0xA0/0xA1), and the two ELCRs at
 * elcr_base (master, 0x4D0) and elcr_base + 1 (slave, 0x4D1).  `intr` is
 * the line to the CPU's INTR pin (may be NULL).  Returns NULL if a port
 * range is taken or memory runs out.
 */
struct pic *pic_create(struct bus *bus, uint16_t master_base, uint16_t slave_base,
                       uint16_t elcr_base, struct irq_line *intr);

/** Free the device (NULL is allowed). */
void pic_destroy(struct pic *pic);

/**
 * Machine reset: both controllers and the ELCRs return to the power-on
 * state described above.  The levels of the input pins are kept (they
 * belong to the devices driving them), but an edge-triggered input must
 * rise again to make a request.
 */
void pic_reset(struct pic *pic);

/**
 * An irq_sink_fn for the board's IRQ lines: `opaque` is the struct pic,
 * `irq` the input (0-15), `level` the new pin level.  Inputs 2 and
 * >= 16 are ignored.
 */
void pic_irq_sink(void *opaque, unsigned irq, bool level);

/** Drive input `irq` (0-15) to `level`; the same as pic_irq_sink(). */
void pic_set_irq(struct pic *pic, unsigned irq, bool level);

/**
 * The CPU's interrupt acknowledge (both INTA pulses): returns the vector
 * and updates ISR/IRR of the master and, for a cascaded request, of the
 * slave.  With no request left to grant it returns IRQ 7's vector and
 * sets no ISR bit (a spurious interrupt); when the slave's request went
 * away it returns IRQ 15's vector from the slave while the master's IR2
 * ISR bit stays set.  Drives `intr` afterwards.
 */
uint8_t pic_ack(struct pic *pic);

#endif
