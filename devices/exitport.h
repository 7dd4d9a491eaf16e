/*
 * exitport.h - QEMU's isa-debug-exit device: a write of V asks the board
 * to end the run with host exit status (V << 1) | 1.  Guests use it to
 * report pass/fail to a script (a guest writing 0 exits 1).
 */
#ifndef DEVICES_EXITPORT_H
#define DEVICES_EXITPORT_H

#include <stdbool.h>
#include <stdint.h>

struct bus;
struct exitport;

#define EXITPORT_PORT 0xF4u

/** Called on every write, so the board can end the CPU slice at once. */
typedef void exitport_notify_fn(void *opaque);

/** Claim `port` on `bus` (accepts 1-, 2- and 4-byte writes).  NULL if the
 * port is taken or out of memory. */
struct exitport *exitport_create(struct bus *bus, uint16_t port, exitport_notify_fn *notify,
                                 void *opaque);
void exitport_destroy(struct exitport *ep);

/** True once the guest wrote the port; *value gets the last value written. */
bool exitport_requested(const struct exitport *ep, uint32_t *value);
/** Forget a request (machine reset). */
void exitport_reset(struct exitport *ep);

/** The exit status QEMU gives for value V: (V << 1) | 1.  The host shell
 * sees it modulo 256. */
static inline uint32_t exitport_status(uint32_t value) { return (value << 1) | 1u; }

#endif
