/*
 * pci.h - PCI configuration mechanism #1 on bus 0, a registry of PCI
 * functions, a generic 256-byte configuration space, and the board's two
 * chipset functions: the i440FX host bridge and the PIIX3 ISA bridge.
 *
 * Mechanism #1 (PCI Local Bus Specification 2.1, 3.7.4.1): a dword write
 * to CF8h latches CONFIG_ADDRESS (bit 31 enable, 23:16 bus, 15:11 device,
 * 10:8 function, 7:2 register); byte, word or dword accesses to CFCh-CFFh
 * then reach the addressed register at (CONFIG_ADDRESS & FCh) + (port & 3).
 * Byte and word accesses to CF8h-CFBh are ordinary I/O, not
 * CONFIG_ADDRESS: the byte at CF9h is the PIIX3's reset control register,
 * which the owner hands in with pci_set_cf9_handler().
 *
 * Only bus 0 exists.  A function nobody registered reads all ones and
 * drops writes (the master abort), as does an access with the enable bit
 * clear.
 */
#ifndef DEVICES_PCI_H
#define DEVICES_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/bus.h"

struct pci;

#define PCI_CONFIG_ADDRESS 0xCF8u
#define PCI_DEVICES 32u
#define PCI_FUNCTIONS 8u
#define PCI_CONFIG_SIZE 256u

/* What a function answers.  `reg` is the register offset, aligned to
 * `size` (1, 2 or 4), so the access never leaves its dword. */
struct pci_function_ops {
    uint32_t (*read)(void *opaque, unsigned reg, unsigned size);
    void (*write)(void *opaque, unsigned reg, uint32_t value, unsigned size);
    void (*reset)(void *opaque); /* PCI RST#; may be NULL */
};

/** Create the mechanism and claim CF8h-CFFh (`base` = CF8h on the PC).
 * No function exists yet.  NULL if a port is taken or out of memory. */
struct pci *pci_create(struct bus *bus, uint16_t base);
/** Free the mechanism and the chipset functions it created (NULL-safe).
 * Its ports stay claimed on the bus. */
void pci_destroy(struct pci *pci);

/** PCI RST#: CONFIG_ADDRESS reads 0 and every function's reset runs. */
void pci_reset(struct pci *pci);

/**
 * Register function `fn` (0-7) of device `dev` (0-31) on bus 0.  Returns
 * 0, or -1 if the slot is out of range or taken.  `ops` and `opaque` must
 * outlive the mechanism.  A multi-function device sets bit 7 of its
 * header type at function 0, or the OS will not look at the others.
 */
int pci_add_function(struct pci *pci, unsigned dev, unsigned fn, const struct pci_function_ops *ops,
                     void *opaque);

/** Route byte accesses at base + 1 (CF9h) to a handler (the PIIX3's
 * reset control register, see sysctl.h).  Without one they float high. */
void pci_set_cf9_handler(struct pci *pci, bus_read_fn *read, bus_write_fn *write, void *opaque);

/** Configuration access from the host side (the board, loaders, tests),
 * with the guest's semantics: absent functions read all ones.  `reg` is
 * aligned to `size` (1, 2 or 4). */
uint32_t pci_config_read(struct pci *pci, unsigned dev, unsigned fn, unsigned reg, unsigned size);
void pci_config_write(struct pci *pci, unsigned dev, unsigned fn, unsigned reg, uint32_t value,
                      unsigned size);

/* ---- a generic configuration space: simple functions are data ---- */

/* Each byte has a value, a mask of the bits software may write and a mask
 * of the bits it clears by writing 1 (status bits); other bits are read
 * only.  `reset_value` is what pci_space_reset() restores. */
struct pci_space {
    uint8_t value[PCI_CONFIG_SIZE];
    uint8_t reset_value[PCI_CONFIG_SIZE];
    uint8_t write_mask[PCI_CONFIG_SIZE];
    uint8_t clear_mask[PCI_CONFIG_SIZE];
};

/* One register of a table that defines a configuration space. */
struct pci_reg_def {
    uint8_t reg;
    uint8_t size;        /* 1, 2 or 4 */
    uint32_t value;      /* value after RST# */
    uint32_t write_mask; /* read/write bits */
    uint32_t clear_mask; /* write-1-to-clear bits */
};

/* The standard type-0 header fields every function has. */
struct pci_id {
    uint16_t vendor, device;
    uint8_t revision;
    uint32_t class_code; /* base class, subclass, programming interface */
    uint8_t header_type; /* bit 7: multi-function */
};

/** Zero the space, then set the ID fields and apply `ndefs` register
 * definitions (later ones override earlier ones).  The result is also
 * the reset value.  Definitions reaching past 256 bytes are clipped. */
void pci_space_init(struct pci_space *s, const struct pci_id *id, const struct pci_reg_def *defs,
                    unsigned ndefs);
/** Restore the reset value. */
void pci_space_reset(struct pci_space *s);
/** Read `size` bytes (1, 2, 4) at `reg`, little-endian; bytes past 255
 * read FFh. */
uint32_t pci_space_read(const struct pci_space *s, unsigned reg, unsigned size);
/** Write through the masks: writable bits take the new value, 1s clear
 * write-1-to-clear bits, the rest stay.  Bytes past 255 are dropped. */
void pci_space_write(struct pci_space *s, unsigned reg, uint32_t value, unsigned size);

/** Ops whose opaque is a struct pci_space: a function that is only data. */
extern const struct pci_function_ops pci_space_ops;

/* ---- the board's chipset ---- */

/* i440FX PMC (82441FX), device 0: PAM0-PAM6 at 59h-5Fh and SMRAM at 72h
 * are stored but the memory map ignores them (shadow RAM and SMRAM are
 * not modelled).  PIIX3 (82371SB) function 0, device 1: PIRQ route
 * control at 60h-63h, TOM, chip-select and SMI registers with their
 * datasheet defaults, stored. */
#define PCI_I440FX_DEV 0u
#define PCI_PIIX3_DEV 1u

/** Add the i440FX host bridge at 00:00.0 and the PIIX3 ISA bridge at
 * 00:01.0.  Returns 0, or -1 if either slot is taken or they were added
 * already. */
int pci_add_pc_chipset(struct pci *pci);

/**
 * The IRQ the PIIX3 routes PIRQ `pirq` (0-3 = PIRQA#-PIRQD#) to, from its
 * PIRQRC register: 3-7, 9-12, 14 or 15, or -1 when routing is disabled
 * (bit 7, the reset state), the value is reserved (0-2, 8, 13), pirq is
 * out of range or there is no PIIX3.
 */
int pci_piix3_pirq_route(const struct pci *pci, unsigned pirq);

#endif
