/*
 * portb.h - system control port B (61h) of the PC/AT and the PIIX
 * family (Intel 82371 PIIX/PIIX3 datasheet, "NMI Status and Control
 * Register").
 *
 *   bit 0  timer 2 gate (PIT counter 2 GATE)             read/write
 *   bit 1  speaker data enable                           read/write
 *   bit 2  parity / SERR# check enable                   read/write (stored)
 *   bit 3  IOCHK# check enable                           read/write (stored)
 *   bit 4  refresh request toggle                        read-only
 *   bit 5  OUT2 of the PIT, live                         read-only
 *   bit 6  IOCHK# NMI status                             read-only, reads 0
 *   bit 7  parity / SERR# NMI status                     read-only, reads 0
 *
 * Bit 4 toggles with every DRAM refresh request, every 18 PIT input
 * clocks (15.085 us), derived from the virtual clock: BIOSes and Linux
 * busy-wait on it to time short delays.  There is no sound output.
 * Reset value: 0 (gate 2 low, speaker off).
 */
#ifndef DEVICES_PORTB_H
#define DEVICES_PORTB_H

#include <stdint.h>

struct bus;
struct clock;
struct pit;
struct portb;

/**
 * Claim `port` (61h on a PC; byte access) on `bus`.  `pit` is the timer
 * whose counter 2 gate this port drives and whose OUT2 it reads (NULL:
 * bit 5 reads 0); `clk` paces the refresh toggle.  The port starts in its
 * reset state, so gate 2 is driven low.  Returns NULL if `bus` or `clk`
 * is NULL, the port is taken or memory runs out.
 */
struct portb *portb_create(struct bus *bus, uint16_t port, struct clock *clk, struct pit *pit);

/** Free the device (NULL is allowed). */
void portb_destroy(struct portb *pb);

/** Machine reset: the writable bits return to 0 and gate 2 goes low. */
void portb_reset(struct portb *pb);

#endif
