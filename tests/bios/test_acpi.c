/*
 * test_acpi.c - the ACPI tables of a direct-kernel boot (bios/acpi.c),
 * read back from guest RAM the way an OS finds them: a scan of
 * 0xE0000-0xFFFFF on 16-byte boundaries for the RSDP, then the pointers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bios/acpi.h"
#include "bios/e820.h"
#include "mmu/mmu.h"

#define RAM (32u * 1024u * 1024u)

static uint8_t rd8(struct mmu *m, uint32_t a) { return (uint8_t)mmu_read_phys(m, a, 1); }
static uint16_t rd16(struct mmu *m, uint32_t a) { return (uint16_t)mmu_read_phys(m, a, 2); }
static uint32_t rd32(struct mmu *m, uint32_t a) { return mmu_read_phys(m, a, 4); }

/* Sum of `len` bytes of guest memory, modulo 256. */
static uint8_t sum(struct mmu *m, uint32_t a, uint32_t len)
{
    uint8_t s = 0;
    for (uint32_t k = 0; k < len; k++)
        s = (uint8_t)(s + rd8(m, a + k));
    return s;
}

static bool sig_is(struct mmu *m, uint32_t a, const char *sig, size_t len)
{
    char buf[8];
    mmu_read_block(m, a, buf, len);
    return memcmp(buf, sig, len) == 0;
}

/* The OS's RSDP search (ACPI 1.0b, 5.2.4.1): signature on a 16-byte
 * boundary in the BIOS area, 20-byte checksum zero.  0 if none. */
static uint32_t scan_rsdp(struct mmu *m)
{
    for (uint32_t a = 0xE0000u; a < 0x100000u; a += 16)
        if (sig_is(m, a, "RSD PTR ", 8) && sum(m, a, 20) == 0)
            return a;
    return 0;
}

/* A description table: signature, length, checksum, the common header. */
static void check_table(struct mmu *m, uint32_t a, const char *sig, uint32_t len, uint8_t rev)
{
    assert_true(sig_is(m, a, sig, 4));
    assert_int_equal(rd32(m, a + 4), len);
    assert_int_equal(rd8(m, a + 8), rev);
    assert_int_equal(sum(m, a, len), 0);
    assert_true(sig_is(m, a + 10, "RINGZ0", 6));
    assert_true(sig_is(m, a + 16, "RINGZERO", 8));
}

static struct mmu *built(void)
{
    struct mmu *m = mmu_create(RAM);
    assert_non_null(m);
    assert_int_equal(acpi_build_tables(m, RAM), 0);
    return m;
}

static void test_rsdp_found_by_scan(void **state)
{
    (void)state;
    struct mmu *m = built();
    uint32_t rsdp = scan_rsdp(m);
    assert_int_equal(rsdp, ACPI_RSDP_ADDR);
    assert_int_equal(rsdp % 16, 0);
    assert_true(sig_is(m, rsdp + 9, "RINGZ0", 6));
    assert_int_equal(rd8(m, rsdp + 15), 0); /* revision 0: ACPI 1.0 */
    assert_int_equal(rd32(m, rsdp + 16), ACPI_RSDT_ADDR);
    mmu_destroy(m);
}

static void test_rsdt(void **state)
{
    (void)state;
    struct mmu *m = built();
    uint32_t rsdt = rd32(m, scan_rsdp(m) + 16);
    check_table(m, rsdt, "RSDT", 40, 1);
    /* One entry, the FADT: no MADT (no APIC), nothing else. */
    assert_int_equal(rd32(m, rsdt + 36), ACPI_FADT_ADDR);
    mmu_destroy(m);
}

static void test_fadt(void **state)
{
    (void)state;
    struct mmu *m = built();
    uint32_t f = rd32(m, rd32(m, scan_rsdp(m) + 16) + 36);
    check_table(m, f, "FACP", 116, 1);
    assert_int_equal(rd32(m, f + 36), ACPI_FACS_ADDR);
    assert_int_equal(rd32(m, f + 40), ACPI_DSDT_ADDR);
    assert_int_equal(rd8(m, f + 44), 0);       /* INT_MODEL: dual PIC */
    assert_int_equal(rd16(m, f + 46), 9);      /* SCI_INT */
    assert_int_equal(rd32(m, f + 48), 0);      /* SMI_CMD: always ACPI mode */
    assert_int_equal(rd8(m, f + 52), 0);       /* ACPI_ENABLE */
    assert_int_equal(rd8(m, f + 53), 0);       /* ACPI_DISABLE */
    assert_int_equal(rd32(m, f + 56), 0x600);  /* PM1a_EVT_BLK */
    assert_int_equal(rd32(m, f + 60), 0);      /* PM1b_EVT_BLK */
    assert_int_equal(rd32(m, f + 64), 0x604);  /* PM1a_CNT_BLK */
    assert_int_equal(rd32(m, f + 68), 0);      /* PM1b_CNT_BLK */
    assert_int_equal(rd32(m, f + 72), 0);      /* PM2_CNT_BLK */
    assert_int_equal(rd32(m, f + 76), 0x608);  /* PM_TMR_BLK */
    assert_int_equal(rd32(m, f + 80), 0);      /* GPE0_BLK */
    assert_int_equal(rd32(m, f + 84), 0);      /* GPE1_BLK */
    assert_int_equal(rd8(m, f + 88), 4);       /* PM1_EVT_LEN */
    assert_int_equal(rd8(m, f + 89), 2);       /* PM1_CNT_LEN */
    assert_int_equal(rd8(m, f + 90), 0);       /* PM2_CNT_LEN */
    assert_int_equal(rd8(m, f + 91), 4);       /* PM_TM_LEN */
    assert_int_equal(rd8(m, f + 92), 0);       /* GPE0_BLK_LEN */
    assert_int_equal(rd8(m, f + 93), 0);       /* GPE1_BLK_LEN */
    assert_true(rd16(m, f + 96) > 100);        /* C2 not supported */
    assert_true(rd16(m, f + 98) > 1000);       /* C3 not supported */
    assert_int_equal(rd16(m, f + 109), 0);     /* IAPC_BOOT_ARCH reserved in rev 1 */
    /* WBINVD | PROC_C1 | SLP_BUTTON | FIX_RTC; a fixed power button
     * (PWR_BUTTON clear), a 24-bit timer (TMR_VAL_EXT clear). */
    assert_int_equal(rd32(m, f + 112), 0x65);
    mmu_destroy(m);
}

static void test_facs(void **state)
{
    (void)state;
    struct mmu *m = built();
    uint32_t facs = rd32(m, ACPI_FADT_ADDR + 36);
    assert_int_equal(facs % 64, 0);
    assert_true(sig_is(m, facs, "FACS", 4));
    assert_int_equal(rd32(m, facs + 4), 64);
    assert_int_equal(rd32(m, facs + 8), 0);  /* hardware signature */
    assert_int_equal(rd32(m, facs + 12), 0); /* firmware waking vector */
    assert_int_equal(rd32(m, facs + 16), 0); /* global lock */
    assert_int_equal(rd32(m, facs + 20), 0); /* flags: no S4BIOS */
    mmu_destroy(m);
}

static void test_dsdt_s5(void **state)
{
    (void)state;
    struct mmu *m = built();
    uint32_t d = rd32(m, ACPI_FADT_ADDR + 40);
    check_table(m, d, "DSDT", 49, 1);
    /* Name (\_S5, Package (4) {0, 0, 0, 0}) */
    static const uint8_t aml[] = { 0x08, 0x5C, '_', 'S', '5', '_', 0x12, 0x06, 0x04,
                                   0x00, 0x00, 0x00, 0x00 };
    uint8_t got[sizeof(aml)];
    mmu_read_block(m, d + 36, got, sizeof(got));
    assert_memory_equal(got, aml, sizeof(aml));
    /* PkgLength counts itself, NumElements and the elements: up to the
     * end of the table. */
    assert_int_equal(36 + 7 + got[7], 49);
    mmu_destroy(m);
}

/* Every table inside the reserved BIOS area of the E820 map, none
 * overlapping another. */
static void test_layout(void **state)
{
    (void)state;
    const uint32_t base[] = { ACPI_RSDP_ADDR, ACPI_FACS_ADDR, ACPI_RSDT_ADDR, ACPI_FADT_ADDR,
                              ACPI_DSDT_ADDR };
    const uint32_t size[] = { ACPI_RSDP_SIZE, ACPI_FACS_SIZE, ACPI_RSDT_SIZE, ACPI_FADT_SIZE,
                              ACPI_DSDT_SIZE };
    for (unsigned i = 0; i < 5; i++) {
        assert_int_equal(base[i] % 16, 0);
        assert_true(base[i] + size[i] <= ACPI_TABLES_END);
        if (i + 1 < 5)
            assert_true(base[i] + size[i] <= base[i + 1]);
    }
    struct e820_entry map[E820_MAX_ENTRIES];
    unsigned n = e820_build(RAM, map, E820_MAX_ENTRIES);
    bool covered = false;
    for (unsigned i = 0; i < n; i++)
        if (map[i].addr <= ACPI_RSDP_ADDR && map[i].addr + map[i].size >= ACPI_TABLES_END)
            covered = map[i].type == E820_RESERVED;
    assert_true(covered);
}

static void test_refusals(void **state)
{
    (void)state;
    /* No RAM above 1 MiB: no BIOS-area shadow RAM assumed. */
    struct mmu *m = mmu_create(0x100000u);
    assert_non_null(m);
    assert_int_equal(acpi_build_tables(m, 0x100000u), -1);
    mmu_destroy(m);

    /* A ROM over the BIOS area: refused, nothing written. */
    m = mmu_create(RAM);
    assert_non_null(m);
    uint8_t *rom = calloc(1, 0x20000u);
    assert_non_null(rom);
    assert_int_equal(mmu_map_rom(m, 0xE0000u, rom, 0x20000u), 0);
    free(rom);
    assert_int_equal(acpi_build_tables(m, RAM), -1);
    assert_int_equal(scan_rsdp(m), 0);
    mmu_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rsdp_found_by_scan),
        cmocka_unit_test(test_rsdt),
        cmocka_unit_test(test_fadt),
        cmocka_unit_test(test_facs),
        cmocka_unit_test(test_dsdt_s5),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
