/*
 * sysctl.h - the PC's system-control ports:
 *
 *  - System Control Port A (92h on the PC, in the PIIX3): bit 1 is the
 *    fast A20 gate, a 0->1 write of bit 0 resets the CPU (ALT_RST); the
 *    other bits are stored and read back, without effect;
 *  - the PIIX3's Reset Control Register (CF9h): bit 1 SYS_RST picks a
 *    hard or soft reset, a 0->1 write of bit 2 RST_CPU performs it, bit 3
 *    (FULL_RST on later chipsets) is stored; writes of 06h or 0Eh reset;
 *  - the POST code port (80h): writes are logged as "POST XX", reads
 *    return the last value written;
 *  - the Bochs shutdown port (8900h): writing the bytes "Shutdown" one
 *    after the other requests power-off.
 *
 * CF9h shares the dword window CF8h-CFBh with PCI's CONFIG_ADDRESS: only
 * byte accesses reach the reset register.  On a board with the PCI
 * mechanism the PCI device owns CF8h-CFFh and forwards those bytes: leave
 * `rcr` at 0 and hand sysctl_rcr_io_read/sysctl_rcr_io_write to
 * pci_set_cf9_handler().  Without PCI, set `rcr` and the register claims
 * its port itself, byte-wide.
 *
 * The reset request covers both reset kinds (the CPU's INIT and a hard
 * reset): the board performs a machine reset and calls sysctl_reset().
 */
#ifndef DEVICES_SYSCTL_H
#define DEVICES_SYSCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct bus;
struct sysctl;

#define SYSCTL_PORT_A 0x92u
#define SYSCTL_RCR 0xCF9u
#define SYSCTL_POST 0x80u
#define SYSCTL_BOCHS_SHUTDOWN 0x8900u

struct sysctl_config {
    uint16_t port_a;         /* System Control Port A (92h); 0: absent */
    uint16_t rcr;            /* Reset Control Register (CF9h); 0: absent or via PCI */
    uint16_t post;           /* POST code port (80h); 0: absent */
    uint16_t bochs_shutdown; /* Bochs shutdown port (8900h); 0: absent */
    FILE *log;               /* POST codes go here; NULL: not logged */
    void (*reset)(void *opaque);              /* reset the machine */
    void (*a20)(void *opaque, bool enabled);  /* port A bit 1 changed */
    void (*poweroff)(void *opaque);           /* power the machine off */
    void *opaque;                             /* first argument of the callbacks */
};

/** Claim the configured ports (byte-wide) on `bus`.  Callbacks may be
 * NULL.  NULL if a port is taken (some may then stay claimed: discard the
 * bus) or out of memory. */
struct sysctl *sysctl_create(struct bus *bus, const struct sysctl_config *cfg);
/** Free the device (NULL-safe).  Its ports stay claimed on the bus. */
void sysctl_destroy(struct sysctl *sc);

/** Hardware RESET: port A and the reset register read 00h (fast A20
 * off: the a20 callback is told if it was on), the shutdown sequence
 * starts over.  The last POST code is kept. */
void sysctl_reset(struct sysctl *sc);

/** Port A's fast-A20 bit (the board ORs it with the 8042's A20 output). */
bool sysctl_fast_a20(const struct sysctl *sc);
/** The last byte written to the POST port (00h after creation). */
uint8_t sysctl_post_code(const struct sysctl *sc);

/** The reset control register as a bus_read_fn/bus_write_fn pair whose
 * opaque is the struct sysctl: for pci_set_cf9_handler().  Accesses of
 * any width act on the low byte. */
uint32_t sysctl_rcr_io_read(void *sysctl, uint16_t port, unsigned size);
void sysctl_rcr_io_write(void *sysctl, uint16_t port, uint32_t value, unsigned size);

#endif
