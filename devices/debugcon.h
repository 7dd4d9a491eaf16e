/*
 * debugcon.h - the Bochs/QEMU debug console: each byte written to its
 * port (0xE9 on the PC board) goes to a host stream.
 */
#ifndef DEVICES_DEBUGCON_H
#define DEVICES_DEBUGCON_H

#include <stdint.h>
#include <stdio.h>

struct bus;
struct debugcon;

#define DEBUGCON_PORT 0xE9u

/** Claim `port` on `bus`.  Bytes go to `out` (not closed by the device;
 * NULL discards them).  NULL if the port is taken or out of memory. */
struct debugcon *debugcon_create(struct bus *bus, uint16_t port, FILE *out);
void debugcon_destroy(struct debugcon *dc);

#endif
