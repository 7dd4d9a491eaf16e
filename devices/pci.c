/*
 * pci.c - PCI configuration mechanism #1, the function registry, the
 * generic configuration space and the i440FX/PIIX3 chipset functions
 * (see pci.h).
 *
 * Register defaults: Intel 82441FX PMC (i440FX) and 82371SB PIIX3
 * datasheets, configuration register chapters.  Both functions only store
 * their chipset registers: PAM shadowing, SMRAM, DRAM timing, chip
 * selects and SMI generation have no effect in this model.
 */
#include "devices/pci.h"

#include <stdlib.h>
#include <string.h>

#define PCI_ENABLE 0x80000000u
/* Bits 30:24 are reserved (read 0) and bits 1:0 read 0 (PCI 2.1, 3.7.4.1). */
#define PCI_ADDRESS_BITS 0x80FFFFFCu
#define PCI_PORTS 8u

struct pci_slot {
    const struct pci_function_ops *ops; /* NULL: no function */
    void *opaque;
};

struct pci {
    struct bus *bus;
    uint16_t base;
    uint32_t config_address;
    struct pci_slot slot[PCI_DEVICES * PCI_FUNCTIONS];
    bus_read_fn *cf9_read;
    bus_write_fn *cf9_write;
    void *cf9_opaque;
    bool chipset;             /* pci_add_pc_chipset() done */
    struct pci_space i440fx;  /* 00:00.0 */
    struct pci_space piix3;   /* 00:01.0 */
};

static uint32_t pci_ones(unsigned size)
{
    return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1u;
}

/* ---- generic configuration space ---- */

void pci_space_init(struct pci_space *s, const struct pci_id *id, const struct pci_reg_def *defs,
                    unsigned ndefs)
{
    memset(s, 0, sizeof(*s));
    s->value[0x00] = (uint8_t)id->vendor;
    s->value[0x01] = (uint8_t)(id->vendor >> 8);
    s->value[0x02] = (uint8_t)id->device;
    s->value[0x03] = (uint8_t)(id->device >> 8);
    s->value[0x08] = id->revision;
    s->value[0x09] = (uint8_t)id->class_code;         /* programming interface */
    s->value[0x0A] = (uint8_t)(id->class_code >> 8);  /* subclass */
    s->value[0x0B] = (uint8_t)(id->class_code >> 16); /* base class */
    s->value[0x0E] = id->header_type;
    for (unsigned d = 0; d < ndefs; d++) {
        const struct pci_reg_def *def = &defs[d];
        for (unsigned k = 0; k < def->size && k < 4 && def->reg + k < PCI_CONFIG_SIZE; k++) {
            unsigned r = def->reg + k;
            s->value[r] = (uint8_t)(def->value >> (8 * k));
            s->write_mask[r] = (uint8_t)(def->write_mask >> (8 * k));
            s->clear_mask[r] = (uint8_t)(def->clear_mask >> (8 * k));
        }
    }
    memcpy(s->reset_value, s->value, sizeof(s->value));
}

void pci_space_reset(struct pci_space *s)
{
    memcpy(s->value, s->reset_value, sizeof(s->value));
}

uint32_t pci_space_read(const struct pci_space *s, unsigned reg, unsigned size)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < size && k < 4; k++) {
        unsigned r = reg + k;
        uint32_t b = r < PCI_CONFIG_SIZE ? s->value[r] : 0xFFu;
        v |= b << (8 * k);
    }
    return v;
}

void pci_space_write(struct pci_space *s, unsigned reg, uint32_t value, unsigned size)
{
    for (unsigned k = 0; k < size && k < 4; k++) {
        unsigned r = reg + k;
        if (r >= PCI_CONFIG_SIZE)
            break;
        uint8_t b = (uint8_t)(value >> (8 * k));
        uint8_t v = (uint8_t)((s->value[r] & ~s->write_mask[r]) | (b & s->write_mask[r]));
        s->value[r] = (uint8_t)(v & ~(b & s->clear_mask[r]));
    }
}

static uint32_t pci_space_op_read(void *opaque, unsigned reg, unsigned size)
{
    return pci_space_read(opaque, reg, size);
}

static void pci_space_op_write(void *opaque, unsigned reg, uint32_t value, unsigned size)
{
    pci_space_write(opaque, reg, value, size);
}

static void pci_space_op_reset(void *opaque)
{
    pci_space_reset(opaque);
}

const struct pci_function_ops pci_space_ops = {
    pci_space_op_read,
    pci_space_op_write,
    pci_space_op_reset,
};

/* ---- function registry ---- */

static const struct pci_slot *pci_find(const struct pci *pci, unsigned dev, unsigned fn)
{
    if (dev >= PCI_DEVICES || fn >= PCI_FUNCTIONS)
        return NULL;
    const struct pci_slot *s = &pci->slot[dev * PCI_FUNCTIONS + fn];
    return s->ops != NULL ? s : NULL;
}

int pci_add_function(struct pci *pci, unsigned dev, unsigned fn, const struct pci_function_ops *ops,
                     void *opaque)
{
    if (dev >= PCI_DEVICES || fn >= PCI_FUNCTIONS || ops == NULL ||
        pci->slot[dev * PCI_FUNCTIONS + fn].ops != NULL)
        return -1;
    pci->slot[dev * PCI_FUNCTIONS + fn] = (struct pci_slot){ ops, opaque };
    return 0;
}

/* A configuration access to a present function, split into bytes when
 * `reg` is not aligned to `size` (the function sees aligned accesses). */
uint32_t pci_config_read(struct pci *pci, unsigned dev, unsigned fn, unsigned reg, unsigned size)
{
    const struct pci_slot *s = pci_find(pci, dev, fn);
    reg &= 0xFFu;
    if (s == NULL || s->ops->read == NULL || reg + size > PCI_CONFIG_SIZE)
        return pci_ones(size);
    if (reg & (size - 1u)) {
        uint32_t v = 0;
        for (unsigned k = 0; k < size; k++)
            v |= (s->ops->read(s->opaque, reg + k, 1) & 0xFFu) << (8 * k);
        return v;
    }
    return s->ops->read(s->opaque, reg, size) & pci_ones(size);
}

void pci_config_write(struct pci *pci, unsigned dev, unsigned fn, unsigned reg, uint32_t value,
                      unsigned size)
{
    const struct pci_slot *s = pci_find(pci, dev, fn);
    reg &= 0xFFu;
    if (s == NULL || s->ops->write == NULL || reg + size > PCI_CONFIG_SIZE)
        return;
    value &= pci_ones(size);
    if (reg & (size - 1u)) {
        for (unsigned k = 0; k < size; k++)
            s->ops->write(s->opaque, reg + k, (value >> (8 * k)) & 0xFFu, 1);
        return;
    }
    s->ops->write(s->opaque, reg, value, size);
}

/* ---- mechanism #1 ports ---- */

/* The configuration cycle CONFIG_DATA byte `byte` (0-3) addresses, or
 * false for a master abort (disabled, or a bus other than 0). */
static bool pci_decode(const struct pci *pci, unsigned byte, unsigned *dev, unsigned *fn,
                       unsigned *reg)
{
    uint32_t a = pci->config_address;
    if (!(a & PCI_ENABLE) || ((a >> 16) & 0xFFu) != 0)
        return false;
    *dev = (a >> 11) & 0x1Fu;
    *fn = (a >> 8) & 0x07u;
    *reg = (a & 0xFCu) | byte;
    return true;
}

static uint32_t pci_io_read(void *opaque, uint16_t port, unsigned size);
static void pci_io_write(void *opaque, uint16_t port, uint32_t value, unsigned size);

/* An access the registers do not take whole: one byte at a time; bytes
 * past our window go back to the bus (their own owner). */
static uint32_t pci_io_read_bytes(struct pci *pci, uint16_t port, unsigned size)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint16_t p = (uint16_t)(port + k);
        uint32_t b = (uint16_t)(p - pci->base) < PCI_PORTS ? pci_io_read(pci, p, 1)
                                                           : bus_io_read(pci->bus, p, 1);
        v |= (b & 0xFFu) << (8 * k);
    }
    return v;
}

static void pci_io_write_bytes(struct pci *pci, uint16_t port, uint32_t value, unsigned size)
{
    for (unsigned k = 0; k < size; k++) {
        uint16_t p = (uint16_t)(port + k);
        uint32_t b = (value >> (8 * k)) & 0xFFu;
        if ((uint16_t)(p - pci->base) < PCI_PORTS)
            pci_io_write(pci, p, b, 1);
        else
            bus_io_write(pci->bus, p, b, 1);
    }
}

static uint32_t pci_io_read(void *opaque, uint16_t port, unsigned size)
{
    struct pci *pci = opaque;
    unsigned off = (uint16_t)(port - pci->base);
    if (off + size > PCI_PORTS || (off < 4 && off + size > 4))
        return pci_io_read_bytes(pci, port, size);
    if (off < 4) {
        /* Only a dword at CF8h is CONFIG_ADDRESS; smaller accesses are
         * plain I/O, of which only CF9h (the reset register) exists. */
        if (off == 0 && size == 4)
            return pci->config_address;
        if (size != 1)
            return pci_io_read_bytes(pci, port, size);
        if (off == 1 && pci->cf9_read != NULL)
            return pci->cf9_read(pci->cf9_opaque, port, 1) & 0xFFu;
        return 0xFF;
    }
    unsigned dev, fn, reg;
    if (!pci_decode(pci, off & 3u, &dev, &fn, &reg))
        return pci_ones(size);
    return pci_config_read(pci, dev, fn, reg, size);
}

static void pci_io_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct pci *pci = opaque;
    unsigned off = (uint16_t)(port - pci->base);
    if (off + size > PCI_PORTS || (off < 4 && off + size > 4)) {
        pci_io_write_bytes(pci, port, value, size);
        return;
    }
    if (off < 4) {
        if (off == 0 && size == 4)
            pci->config_address = value & PCI_ADDRESS_BITS;
        else if (size != 1)
            pci_io_write_bytes(pci, port, value, size);
        else if (off == 1 && pci->cf9_write != NULL)
            pci->cf9_write(pci->cf9_opaque, port, value & 0xFFu, 1);
        return;
    }
    unsigned dev, fn, reg;
    if (pci_decode(pci, off & 3u, &dev, &fn, &reg))
        pci_config_write(pci, dev, fn, reg, value, size);
}

struct pci *pci_create(struct bus *bus, uint16_t base)
{
    struct pci *pci = calloc(1, sizeof(*pci));
    if (pci == NULL)
        return NULL;
    pci->bus = bus;
    pci->base = base;
    if (bus_register_io(bus, base, PCI_PORTS, BUS_WALL, pci, pci_io_read, pci_io_write) != 0) {
        free(pci);
        return NULL;
    }
    return pci;
}

void pci_destroy(struct pci *pci)
{
    free(pci);
}

void pci_reset(struct pci *pci)
{
    pci->config_address = 0;
    for (unsigned k = 0; k < PCI_DEVICES * PCI_FUNCTIONS; k++) {
        const struct pci_slot *s = &pci->slot[k];
        if (s->ops != NULL && s->ops->reset != NULL)
            s->ops->reset(s->opaque);
    }
}

void pci_set_cf9_handler(struct pci *pci, bus_read_fn *read, bus_write_fn *write, void *opaque)
{
    pci->cf9_read = read;
    pci->cf9_write = write;
    pci->cf9_opaque = opaque;
}

/* ---- i440FX PMC (82441FX) ---- */

#define I440FX_SMRAM 0x72u
#define SMRAM_D_OPEN 0x40u
#define SMRAM_D_LCK 0x10u

static const struct pci_id i440fx_id = { 0x8086, 0x1237, 0x02, 0x060000, 0x00 };

static const struct pci_reg_def i440fx_regs[] = {
    { 0x04, 2, 0x0006, 0x0140, 0 },          /* PCICMD: MSE, BME fixed; PERRE, SERRE R/W */
    { 0x06, 2, 0x0280, 0, 0xF900 },          /* PCISTS: FB2B, DEVSEL medium; errors R/WC */
    { 0x0D, 1, 0x00, 0xF8, 0 },              /* MLT */
    { 0x50, 2, 0x0000, 0xFFFF, 0 },          /* PMCCFG */
    { 0x53, 1, 0x80, 0xFF, 0 },              /* DBC */
    { 0x55, 2, 0x0000, 0xFFFF, 0 },          /* DRT */
    { 0x57, 1, 0x01, 0xFF, 0 },              /* DRAMC */
    { 0x58, 1, 0x10, 0xFF, 0 },              /* DRAMT */
    { 0x59, 1, 0x00, 0x30, 0 },              /* PAM0: F0000-FFFFF in bits 5:4 only */
    { 0x5A, 4, 0x00000000, 0x33333333, 0 },  /* PAM1-PAM4 */
    { 0x5E, 2, 0x0000, 0x3333, 0 },          /* PAM5-PAM6 */
    { 0x60, 4, 0x02020202, 0xFFFFFFFF, 0 },  /* DRB0-DRB3 */
    { 0x64, 4, 0x02020202, 0xFFFFFFFF, 0 },  /* DRB4-DRB7 */
    { 0x68, 1, 0x00, 0xC0, 0 },              /* FDHC */
    { 0x70, 1, 0x20, 0xF8, 0 },              /* MTT */
    { 0x71, 1, 0x10, 0xF8, 0 },              /* CLT */
    { 0x72, 1, 0x02, 0x78, 0 },              /* SMRAM: C_BASE_SEG 010b fixed */
    { 0x90, 1, 0x00, 0xFF, 0 },              /* ERRCMD */
    { 0x91, 1, 0x00, 0, 0xFF },              /* ERRSTS */
};

/* SMRAM (82441FX, "SMRAM - System Management RAM Control"): setting
 * D_LCK clears D_OPEN and makes the register read-only until RST#. */
static void i440fx_write(void *opaque, unsigned reg, uint32_t value, unsigned size)
{
    struct pci_space *s = opaque;
    uint8_t smram = s->value[I440FX_SMRAM];
    pci_space_write(s, reg, value, size);
    if (reg <= I440FX_SMRAM && I440FX_SMRAM < reg + size) {
        if (smram & SMRAM_D_LCK)
            s->value[I440FX_SMRAM] = smram;
        else if (s->value[I440FX_SMRAM] & SMRAM_D_LCK)
            s->value[I440FX_SMRAM] &= (uint8_t)~SMRAM_D_OPEN;
    }
}

static const struct pci_function_ops i440fx_ops = {
    pci_space_op_read,
    i440fx_write,
    pci_space_op_reset,
};

/* ---- PIIX3 (82371SB) function 0: PCI-to-ISA bridge ---- */

#define PIIX3_PIRQRC 0x60u
#define PIRQRC_DISABLE 0x80u
#define PIRQRC_IRQ 0x0Fu

static const struct pci_id piix3_id = { 0x8086, 0x7000, 0x00, 0x060100, 0x80 };

static const struct pci_reg_def piix3_regs[] = {
    { 0x04, 2, 0x0007, 0x0109, 0 },          /* PCICMD: MSE, BME fixed; IOSE, SCE, SERRE R/W */
    { 0x06, 2, 0x0200, 0, 0x7800 },          /* PCISTS: DEVSEL medium; aborts, SERR R/WC */
    { 0x4C, 1, 0x4D, 0x7F, 0 },              /* IORT: ISA I/O recovery timer */
    { 0x4E, 2, 0x0003, 0x03FF, 0 },          /* XBCS: RTC and KBC decode enabled */
    { 0x60, 4, 0x80808080, 0x8F8F8F8F, 0 },  /* PIRQRC[A:D]: routing disabled */
    { 0x69, 1, 0x02, 0xFE, 0 },              /* TOM: top of memory */
    { 0x6A, 2, 0x0000, 0xFFFF, 0 },          /* MSTAT */
    { 0x70, 1, 0x80, 0xCF, 0 },              /* MBIRQ0: disabled */
    { 0x76, 2, 0x0C0C, 0x8F8F, 0 },          /* MBDMA0-1: no channel */
    { 0x78, 2, 0x0002, 0xFFFF, 0 },          /* PCSC */
    { 0x80, 1, 0x00, 0x7F, 0 },              /* APICBASE */
    { 0x82, 1, 0x00, 0x0F, 0 },              /* DLC */
    { 0xA0, 1, 0x08, 0x1F, 0 },              /* SMICNTL */
    { 0xA2, 2, 0x0000, 0x00FF, 0 },          /* SMIEN */
    { 0xA4, 4, 0x00000000, 0xFFFFFFFF, 0 },  /* SEE */
    { 0xA8, 1, 0x0F, 0xFF, 0 },              /* FTMR */
    { 0xAA, 2, 0x0000, 0x00FF, 0 },          /* SMIREQ */
    { 0xAC, 1, 0x00, 0xFF, 0 },              /* CTLTMR */
    { 0xAE, 1, 0x00, 0xFF, 0 },              /* CTHTMR */
};

int pci_add_pc_chipset(struct pci *pci)
{
    if (pci->chipset || pci_find(pci, PCI_I440FX_DEV, 0) != NULL ||
        pci_find(pci, PCI_PIIX3_DEV, 0) != NULL)
        return -1;
    pci_space_init(&pci->i440fx, &i440fx_id, i440fx_regs,
                   (unsigned)(sizeof(i440fx_regs) / sizeof(i440fx_regs[0])));
    pci_space_init(&pci->piix3, &piix3_id, piix3_regs,
                   (unsigned)(sizeof(piix3_regs) / sizeof(piix3_regs[0])));
    if (pci_add_function(pci, PCI_I440FX_DEV, 0, &i440fx_ops, &pci->i440fx) != 0 ||
        pci_add_function(pci, PCI_PIIX3_DEV, 0, &pci_space_ops, &pci->piix3) != 0)
        return -1;
    pci->chipset = true;
    return 0;
}

int pci_piix3_pirq_route(const struct pci *pci, unsigned pirq)
{
    if (!pci->chipset || pirq >= 4)
        return -1;
    uint8_t v = pci->piix3.value[PIIX3_PIRQRC + pirq];
    unsigned irq = v & PIRQRC_IRQ;
    /* IRQ 0-2, 8 and 13 are reserved encodings (82371SB, "PIRQRC"). */
    if ((v & PIRQRC_DISABLE) || irq < 3 || irq == 8 || irq == 13)
        return -1;
    return (int)irq;
}
