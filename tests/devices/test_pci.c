/*
 * test_pci.c - PCI configuration mechanism #1 through ports CF8h/CFCh,
 * the function registry, the generic configuration space and the
 * i440FX/PIIX3 functions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "devices/bus.h"
#include "devices/pci.h"

static uint32_t cfg_addr(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
    return 0x80000000u | (bus << 16) | (dev << 11) | (fn << 8) | (reg & 0xFCu);
}

/* What a driver does: latch the address, access CFCh + (reg & 3). */
static uint32_t cfg_read(struct bus *b, unsigned dev, unsigned fn, unsigned reg, unsigned size)
{
    bus_io_write(b, 0xCF8, cfg_addr(0, dev, fn, reg), 4);
    return bus_io_read(b, (uint16_t)(0xCFC + (reg & 3)), size);
}

static void cfg_write(struct bus *b, unsigned dev, unsigned fn, unsigned reg, uint32_t v,
                      unsigned size)
{
    bus_io_write(b, 0xCF8, cfg_addr(0, dev, fn, reg), 4);
    bus_io_write(b, (uint16_t)(0xCFC + (reg & 3)), v, size);
}

struct rig {
    struct bus *bus;
    struct pci *pci;
};

static void rig_init(struct rig *r)
{
    r->bus = bus_create();
    assert_non_null(r->bus);
    r->pci = pci_create(r->bus, PCI_CONFIG_ADDRESS);
    assert_non_null(r->pci);
    assert_int_equal(pci_add_pc_chipset(r->pci), 0);
}

static void rig_fini(struct rig *r)
{
    pci_destroy(r->pci);
    bus_destroy(r->bus);
}

/* Linux's pci_check_type1() and pci_sanity_check() (arch/x86/pci/direct.c)
 * as port accesses. */
static void test_linux_conf1_probe(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    struct bus *b = r.bus;
    bus_io_write(b, 0xCFB, 0x01, 1); /* byte: not CONFIG_ADDRESS */
    uint32_t saved = bus_io_read(b, 0xCF8, 4);
    assert_int_equal(saved, 0);
    bus_io_write(b, 0xCF8, 0x80000000u, 4);
    assert_int_equal(bus_io_read(b, 0xCF8, 4), 0x80000000u);
    bus_io_write(b, 0xCF8, saved, 4);
    assert_int_equal(bus_io_read(b, 0xCF8, 4), 0);
    /* Type 2 check must fail: byte writes do not stick. */
    bus_io_write(b, 0xCFB, 0x00, 1);
    bus_io_write(b, 0xCF8, 0x00, 1);
    bus_io_write(b, 0xCFA, 0x00, 1);
    assert_int_not_equal(bus_io_read(b, 0xCF8, 1), 0x00);

    /* Sanity check: some device on bus 0 is a host or ISA bridge. */
    unsigned bridges = 0;
    for (unsigned dev = 0; dev < 32; dev++) {
        uint16_t cls = (uint16_t)(cfg_read(b, dev, 0, 0x08, 4) >> 16);
        uint16_t vendor = (uint16_t)cfg_read(b, dev, 0, 0x00, 2);
        if (cls == 0x0600 || cls == 0x0601 || vendor == 0x8086)
            bridges++;
    }
    assert_int_equal(bridges, 2);
    rig_fini(&r);
}

static void test_chipset_ids(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    struct bus *b = r.bus;
    assert_int_equal(cfg_read(b, 0, 0, 0x00, 4), 0x12378086u);
    assert_int_equal(cfg_read(b, 0, 0, 0x08, 4), 0x06000002u);
    assert_int_equal(cfg_read(b, 0, 0, 0x0E, 1), 0x00);
    assert_int_equal(cfg_read(b, 0, 0, 0x04, 2), 0x0006);
    assert_int_equal(cfg_read(b, 0, 0, 0x06, 2), 0x0280);
    assert_int_equal(cfg_read(b, 0, 0, 0x72, 1), 0x02);
    assert_int_equal(cfg_read(b, 0, 0, 0x60, 4), 0x02020202u);

    assert_int_equal(cfg_read(b, 1, 0, 0x00, 4), 0x70008086u);
    assert_int_equal(cfg_read(b, 1, 0, 0x08, 4) >> 8, 0x060100u);
    assert_int_equal(cfg_read(b, 1, 0, 0x0C, 4), 0x00800000u); /* multi-function */
    assert_int_equal(cfg_read(b, 1, 0, 0x04, 2), 0x0007);
    assert_int_equal(cfg_read(b, 1, 0, 0x06, 2), 0x0200);
    assert_int_equal(cfg_read(b, 1, 0, 0x4C, 1), 0x4D);
    assert_int_equal(cfg_read(b, 1, 0, 0x4E, 2), 0x0003);
    assert_int_equal(cfg_read(b, 1, 0, 0x60, 4), 0x80808080u);
    assert_int_equal(cfg_read(b, 1, 0, 0x69, 1), 0x02);
    assert_int_equal(cfg_read(b, 1, 0, 0x70, 1), 0x80);
    assert_int_equal(cfg_read(b, 1, 0, 0x76, 2), 0x0C0C);
    assert_int_equal(cfg_read(b, 1, 0, 0xA0, 1), 0x08);
    assert_int_equal(cfg_read(b, 1, 0, 0xA8, 1), 0x0F);
    /* The host side sees the same space. */
    assert_int_equal(pci_config_read(r.pci, 1, 0, 0x02, 2), 0x7000);
    assert_int_equal(pci_add_pc_chipset(r.pci), -1);
    rig_fini(&r);
}

static void test_access_widths(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    struct bus *b = r.bus;
    bus_io_write(b, 0xCF8, cfg_addr(0, 0, 0, 0x00), 4);
    assert_int_equal(bus_io_read(b, 0xCFC, 1), 0x86);
    assert_int_equal(bus_io_read(b, 0xCFD, 1), 0x80);
    assert_int_equal(bus_io_read(b, 0xCFE, 1), 0x37);
    assert_int_equal(bus_io_read(b, 0xCFF, 1), 0x12);
    assert_int_equal(bus_io_read(b, 0xCFC, 2), 0x8086);
    assert_int_equal(bus_io_read(b, 0xCFE, 2), 0x1237);
    assert_int_equal(bus_io_read(b, 0xCFD, 2), 0x3780); /* unaligned: bytes 1-2 */
    /* Crossing CFFh: the bytes past the window float. */
    assert_int_equal(bus_io_read(b, 0xCFE, 4), 0xFFFF1237u);
    /* Bits 1:0 of CONFIG_ADDRESS read 0, the port picks the byte. */
    bus_io_write(b, 0xCF8, cfg_addr(0, 0, 0, 0x08) | 3, 4);
    assert_int_equal(bus_io_read(b, 0xCF8, 4), cfg_addr(0, 0, 0, 0x08));
    assert_int_equal(bus_io_read(b, 0xCFF, 1), 0x06);
    /* Reserved bits 30:24 read 0. */
    bus_io_write(b, 0xCF8, 0xFFFFFFFFu, 4);
    assert_int_equal(bus_io_read(b, 0xCF8, 4), 0x80FFFFFCu);

    /* Writes of each width to PIRQRC (mask 8Fh). */
    cfg_write(b, 1, 0, 0x60, 0x0B, 1);
    cfg_write(b, 1, 0, 0x62, 0x0A09, 2);
    cfg_write(b, 1, 0, 0x61, 0x05, 1);
    assert_int_equal(cfg_read(b, 1, 0, 0x60, 4), 0x0A09050Bu);
    cfg_write(b, 1, 0, 0x60, 0xFFFFFFFFu, 4);
    assert_int_equal(cfg_read(b, 1, 0, 0x60, 4), 0x8F8F8F8Fu);
    rig_fini(&r);
}

static void test_absent_and_disabled(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    struct bus *b = r.bus;
    assert_int_equal(cfg_read(b, 2, 0, 0x00, 4), 0xFFFFFFFFu);
    assert_int_equal(cfg_read(b, 31, 7, 0xFC, 2), 0xFFFF);
    assert_int_equal(cfg_read(b, 0, 1, 0x00, 1), 0xFF);
    cfg_write(b, 2, 0, 0x04, 0x0007, 2); /* dropped */
    /* Bus 1 does not exist (no bridges). */
    bus_io_write(b, 0xCF8, cfg_addr(1, 0, 0, 0x00), 4);
    assert_int_equal(bus_io_read(b, 0xCFC, 4), 0xFFFFFFFFu);
    /* Enable bit clear: no configuration cycle. */
    bus_io_write(b, 0xCF8, 0x00000800u | 0x60, 4); /* 00:01.0 reg 60h, disabled */
    assert_int_equal(bus_io_read(b, 0xCFC, 4), 0xFFFFFFFFu);
    bus_io_write(b, 0xCFC, 0x05, 1);
    assert_int_equal(cfg_read(b, 1, 0, 0x60, 1), 0x80);
    assert_int_equal(pci_config_read(r.pci, 40, 0, 0, 4), 0xFFFFFFFFu);
    assert_int_equal(pci_config_read(r.pci, 0, 9, 0, 2), 0xFFFF);
    rig_fini(&r);
}

static void test_write_masks(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    struct bus *b = r.bus;
    /* Read-only IDs and class. */
    cfg_write(b, 0, 0, 0x00, 0, 4);
    cfg_write(b, 0, 0, 0x08, 0, 4);
    assert_int_equal(cfg_read(b, 0, 0, 0x00, 4), 0x12378086u);
    assert_int_equal(cfg_read(b, 0, 0, 0x08, 4), 0x06000002u);
    /* Command: only the writable bits move. */
    cfg_write(b, 0, 0, 0x04, 0xFFFF, 2);
    assert_int_equal(cfg_read(b, 0, 0, 0x04, 2), 0x0146);
    cfg_write(b, 1, 0, 0x04, 0x0000, 2);
    assert_int_equal(cfg_read(b, 1, 0, 0x04, 2), 0x0006);
    /* PAM registers. */
    cfg_write(b, 0, 0, 0x58, 0xFFFFFFFFu, 4); /* DRAMT, PAM0-PAM2 */
    cfg_write(b, 0, 0, 0x5C, 0xFFFFFFFFu, 4); /* PAM3-PAM6 */
    assert_int_equal(cfg_read(b, 0, 0, 0x58, 4), 0x333330FFu);
    assert_int_equal(cfg_read(b, 0, 0, 0x59, 1), 0x30);
    assert_int_equal(cfg_read(b, 0, 0, 0x5C, 4), 0x33333333u);
    /* SMRAM: D_LCK clears D_OPEN and freezes the register. */
    cfg_write(b, 0, 0, 0x72, 0x48, 1);
    assert_int_equal(cfg_read(b, 0, 0, 0x72, 1), 0x4A);
    cfg_write(b, 0, 0, 0x72, 0x58, 1);
    assert_int_equal(cfg_read(b, 0, 0, 0x72, 1), 0x1A);
    cfg_write(b, 0, 0, 0x70, 0x40000000u, 4);
    assert_int_equal(cfg_read(b, 0, 0, 0x72, 1), 0x1A);
    /* ERRSTS is write-1-to-clear: nothing set, nothing to clear. */
    cfg_write(b, 0, 0, 0x91, 0xFF, 1);
    assert_int_equal(cfg_read(b, 0, 0, 0x91, 1), 0x00);
    /* TOM and XBCS. */
    cfg_write(b, 1, 0, 0x69, 0xFF, 1);
    assert_int_equal(cfg_read(b, 1, 0, 0x69, 1), 0xFE);
    /* Undefined registers are read-only zeros. */
    cfg_write(b, 1, 0, 0xF0, 0xFFFFFFFFu, 4);
    assert_int_equal(cfg_read(b, 1, 0, 0xF0, 4), 0);

    /* RST# restores the defaults and clears CONFIG_ADDRESS. */
    pci_reset(r.pci);
    assert_int_equal(bus_io_read(b, 0xCF8, 4), 0);
    assert_int_equal(cfg_read(b, 0, 0, 0x72, 1), 0x02);
    assert_int_equal(cfg_read(b, 0, 0, 0x59, 1), 0x00);
    assert_int_equal(cfg_read(b, 1, 0, 0x69, 1), 0x02);
    assert_int_equal(cfg_read(b, 0, 0, 0x04, 2), 0x0006);
    rig_fini(&r);
}

static void test_pirq_route(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    struct bus *b = r.bus;
    for (unsigned k = 0; k < 4; k++)
        assert_int_equal(pci_piix3_pirq_route(r.pci, k), -1); /* disabled at reset */
    cfg_write(b, 1, 0, 0x60, 0x0B0A050Bu, 4);
    assert_int_equal(pci_piix3_pirq_route(r.pci, 0), 11);
    assert_int_equal(pci_piix3_pirq_route(r.pci, 1), 5);
    assert_int_equal(pci_piix3_pirq_route(r.pci, 2), 10);
    assert_int_equal(pci_piix3_pirq_route(r.pci, 3), 11);
    assert_int_equal(pci_piix3_pirq_route(r.pci, 4), -1);
    /* Bit 7 disables; 0-2, 8 and 13 are reserved. */
    cfg_write(b, 1, 0, 0x60, 0x8B, 1);
    assert_int_equal(pci_piix3_pirq_route(r.pci, 0), -1);
    static const uint8_t reserved[] = { 0, 1, 2, 8, 13 };
    for (unsigned k = 0; k < sizeof(reserved); k++) {
        cfg_write(b, 1, 0, 0x61, reserved[k], 1);
        assert_int_equal(pci_piix3_pirq_route(r.pci, 1), -1);
    }
    cfg_write(b, 1, 0, 0x61, 15, 1);
    assert_int_equal(pci_piix3_pirq_route(r.pci, 1), 15);
    cfg_write(b, 1, 0, 0x61, 3, 1);
    assert_int_equal(pci_piix3_pirq_route(r.pci, 1), 3);

    struct bus *bare_bus = bus_create();
    struct pci *bare = pci_create(bare_bus, 0xCF8);
    assert_int_equal(pci_piix3_pirq_route(bare, 0), -1);
    pci_destroy(bare);
    bus_destroy(bare_bus);
    rig_fini(&r);
}

/* A function with its own callbacks, recording what it is asked. */
struct probe {
    unsigned reads, writes, resets;
    unsigned reg, size;
    uint32_t value;
};

static uint32_t probe_read(void *opaque, unsigned reg, unsigned size)
{
    struct probe *p = opaque;
    p->reads++;
    p->reg = reg;
    p->size = size;
    return 0xA0B0C0D0u >> (8 * (reg & 3));
}

static void probe_write(void *opaque, unsigned reg, uint32_t value, unsigned size)
{
    struct probe *p = opaque;
    p->writes++;
    p->reg = reg;
    p->size = size;
    p->value = value;
}

static void probe_reset(void *opaque) { ((struct probe *)opaque)->resets++; }

static const struct pci_function_ops probe_ops = { probe_read, probe_write, probe_reset };

static void test_registry(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct pci *pci = pci_create(b, 0xCF8);
    assert_non_null(pci);
    assert_null(pci_create(b, 0xCF8)); /* ports taken */
    struct probe p = { 0 };
    assert_int_equal(pci_add_function(pci, 5, 3, &probe_ops, &p), 0);
    assert_int_equal(pci_add_function(pci, 5, 3, &probe_ops, &p), -1);
    assert_int_equal(pci_add_function(pci, 32, 0, &probe_ops, &p), -1);
    assert_int_equal(pci_add_function(pci, 0, 8, &probe_ops, &p), -1);
    assert_int_equal(pci_add_function(pci, 0, 0, NULL, &p), -1);

    assert_int_equal(cfg_read(b, 5, 3, 0x42, 2), 0xA0B0);
    assert_int_equal(p.reg, 0x42);
    assert_int_equal(p.size, 2);
    cfg_write(b, 5, 3, 0x44, 0x11223344u, 4);
    assert_int_equal(p.reg, 0x44);
    assert_int_equal(p.size, 4);
    assert_int_equal(p.value, 0x11223344u);
    /* An unaligned word reaches the function as two bytes. */
    unsigned writes = p.writes;
    cfg_write(b, 5, 3, 0x45, 0xBEEF, 2);
    assert_int_equal(p.writes, writes + 2);
    assert_int_equal(p.reg, 0x46);
    assert_int_equal(p.size, 1);
    assert_int_equal(p.value, 0xBE);
    pci_reset(pci);
    assert_int_equal(p.resets, 1);
    pci_destroy(pci);
    pci_destroy(NULL);
    bus_destroy(b);
}

/* A function that is only data, with write-1-to-clear status bits. */
static void test_generic_space(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct pci *pci = pci_create(b, 0xCF8);
    static const struct pci_reg_def defs[] = {
        { 0x04, 2, 0x0000, 0x0007, 0 },
        { 0x06, 2, 0x3280, 0, 0xF900 }, /* two error bits already set */
        { 0x3C, 1, 0x00, 0xFF, 0 },     /* interrupt line */
        { 0x3D, 1, 0x01, 0, 0 },        /* INTA# */
        { 0xFE, 4, 0xDDCCBBAAu, 0xFFFFFFFFu, 0 }, /* clipped at 100h */
    };
    const struct pci_id id = { 0x1234, 0x5678, 0x09, 0x020000, 0x00 };
    struct pci_space space;
    pci_space_init(&space, &id, defs, sizeof(defs) / sizeof(defs[0]));
    assert_int_equal(pci_add_function(pci, 3, 0, &pci_space_ops, &space), 0);

    assert_int_equal(cfg_read(b, 3, 0, 0x00, 4), 0x56781234u);
    assert_int_equal(cfg_read(b, 3, 0, 0x08, 4), 0x02000009u);
    assert_int_equal(cfg_read(b, 3, 0, 0x3D, 1), 0x01);
    assert_int_equal(cfg_read(b, 3, 0, 0xFC, 4), 0xBBAA0000u);
    /* Writing 1 clears a status bit, writing 0 leaves it. */
    cfg_write(b, 3, 0, 0x06, 0x1000, 2);
    assert_int_equal(cfg_read(b, 3, 0, 0x06, 2), 0x2280);
    cfg_write(b, 3, 0, 0x04, 0x2000FFFFu, 4); /* command FFFFh, status bit 13 */
    assert_int_equal(cfg_read(b, 3, 0, 0x04, 4), 0x02800007u);
    cfg_write(b, 3, 0, 0x3C, 0x0B, 1);
    cfg_write(b, 3, 0, 0x3D, 0x04, 1);
    assert_int_equal(cfg_read(b, 3, 0, 0x3C, 2), 0x010B);
    pci_reset(pci);
    assert_int_equal(cfg_read(b, 3, 0, 0x04, 4), 0x32800000u);
    assert_int_equal(cfg_read(b, 3, 0, 0x3C, 1), 0x00);
    /* The helpers themselves at the edge of the space. */
    assert_int_equal(pci_space_read(&space, 0xFE, 4), 0xFFFFBBAAu);
    pci_space_write(&space, 0xFF, 0x11223344u, 4);
    assert_int_equal(space.value[0xFF], 0x44);
    pci_destroy(pci);
    bus_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linux_conf1_probe),
        cmocka_unit_test(test_chipset_ids),
        cmocka_unit_test(test_access_widths),
        cmocka_unit_test(test_absent_and_disabled),
        cmocka_unit_test(test_write_masks),
        cmocka_unit_test(test_pirq_route),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_generic_space),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
