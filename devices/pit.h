/*
 * pit.h - the Intel 8254 programmable interval timer.
 *
 * Three 16-bit down counters clocked at CLOCK_HZ_PIT (1.193182 MHz),
 * each with a GATE input and an OUT output, programmed through four ports:
 * base + 0..2 are counters 0..2, base + 3 is the control word register
 * (write-only).  On a PC (base 0x40) counter 0's OUT drives IRQ 0,
 * counter 1 paces DRAM refresh and counter 2 feeds the speaker; gates 0
 * and 1 are tied high and gate 2 is bit 0 of port 61h (devices/portb.h).
 *
 * The model implements the whole 8254 datasheet: modes 0-5 (6 and 7 act
 * as 2 and 3), binary and BCD counting, the three access modes with
 * separate read and write byte toggles, the counter latch and read-back
 * commands, the status byte with its null-count flag, and the GATE rules
 * of each mode.  Nothing ticks: counts and OUT levels are computed from
 * the virtual clock when they are looked at, and the only event scheduled
 * is the next edge of counter 0's OUT.
 *
 * Power-on and pit_reset() state: the 8254 has no reset pin and comes up
 * undefined; a BIOS programs every counter it uses.  This model comes out
 * of reset with every counter in mode 0, binary, LSB-then-MSB access and
 * no count written: nothing counts, every OUT is low and IRQ 0 is quiet
 * until software writes a count.  The GATE inputs are wires, not chip
 * state: reset keeps their levels.
 */
#ifndef DEVICES_PIT_H
#define DEVICES_PIT_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/irq.h"

struct bus;
struct clock;
struct pit;

/** Number of counters. */
#define PIT_CHANNELS 3u

/**
 * Create the timer and claim ports base .. base + 3 on `bus` (byte
 * access; wider accesses reach consecutive ports).  Counters count at
 * CLOCK_HZ_PIT on `clk`.  `out0` is the line counter 0's OUT drives (IRQ 0
 * on a PC; NULL leaves it unwired); it follows OUT0 edge for edge at the
 * input clock where each happens, so in mode 2 it drops for one clock
 * before each reload and rises at the reload, the edge the PIC latches.
 * All gates start high.  Returns NULL
 * if `bus` or `clk` is NULL, the ports are taken or memory runs out.
 */
struct pit *pit_create(struct bus *bus, uint16_t base, struct clock *clk, struct irq_line *out0);

/** Cancel the timer's clock event and free it (NULL is allowed). */
void pit_destroy(struct pit *pit);

/** Machine reset: every counter to the state described above; `out0`
 * goes low and no event stays scheduled.  Gate levels are kept. */
void pit_reset(struct pit *pit);

/**
 * Drive the GATE input of `channel` (0-2; others are ignored).  A low
 * gate pauses modes 0 and 4 and stops modes 2 and 3 with OUT forced high;
 * a rising edge triggers modes 1 and 5 and reloads modes 2 and 3 on the
 * next input clock.  On a PC gates 0 and 1 are tied high.
 */
void pit_set_gate(struct pit *pit, unsigned channel, bool level);

/** The level of `channel`'s OUT pin now (false for channels >= 3). */
bool pit_out(struct pit *pit, unsigned channel);

#endif
