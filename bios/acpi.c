/*
 * acpi.c - the ACPI 1.0 tables of a direct-kernel boot (see bios/acpi.h).
 *
 * Layouts from the ACPI 1.0b specification: RSDP 5.2.4.3, table header
 * 5.2.5, RSDT 5.2.6, FADT 5.2.8 (table 5-7, 116 bytes), FACS 5.2.9, and
 * the AML encoding of chapter 16.
 */
#include "bios/acpi.h"

#include <string.h>

#include "mmu/mmu.h"

#define ACPI_IMAGE_SIZE (ACPI_TABLES_END - ACPI_RSDP_ADDR)
#define ACPI_HEADER_SIZE 36u

/* Offset of a table inside the image. */
#define ACPI_OFF(addr) ((addr) - ACPI_RSDP_ADDR)

/* Byte that makes `len` bytes at p sum to zero modulo 256. */
static uint8_t acpi_checksum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;
    for (size_t k = 0; k < len; k++)
        sum = (uint8_t)(sum + p[k]);
    return (uint8_t)(0u - sum);
}

/* The 36-byte header of a description table (5.2.5, table 5-4); the
 * checksum (byte 9) is filled once the body is written. */
static void acpi_header(uint8_t *t, const char sig[4], uint32_t len, uint8_t revision)
{
    memcpy(t, sig, 4);
    mmu_st32(t + 4, len);
    t[8] = revision;
    t[9] = 0;
    memcpy(t + 10, ACPI_OEM_ID, 6);
    memcpy(t + 16, ACPI_OEM_TABLE_ID, 8);
    mmu_st32(t + 24, 1);      /* OEM revision */
    memcpy(t + 28, "RNGZ", 4); /* creator ID: the tool that built the table */
    mmu_st32(t + 32, 1);      /* creator revision */
}

static void acpi_seal(uint8_t *t, uint32_t len)
{
    t[9] = acpi_checksum(t, len);
}

/* Root System Description Pointer, ACPI 1.0 form (revision 0, 20 bytes). */
static void acpi_build_rsdp(uint8_t *p)
{
    memcpy(p, "RSD PTR ", 8);
    p[8] = 0; /* checksum of the 20 bytes, below */
    memcpy(p + 9, ACPI_OEM_ID, 6);
    p[15] = 0; /* revision 0: ACPI 1.0, no XSDT */
    mmu_st32(p + 16, ACPI_RSDT_ADDR);
    p[8] = acpi_checksum(p, ACPI_RSDP_SIZE);
}

/* Firmware ACPI Control Structure: no checksum; hardware signature 0 (the
 * configuration never changes across a sleep), no waking vector, no
 * global lock owner, flags 0 (no S4BIOS). */
static void acpi_build_facs(uint8_t *p)
{
    memcpy(p, "FACS", 4);
    mmu_st32(p + 4, ACPI_FACS_SIZE);
}

static void acpi_build_rsdt(uint8_t *t)
{
    acpi_header(t, "RSDT", ACPI_RSDT_SIZE, 1);
    mmu_st32(t + ACPI_HEADER_SIZE, ACPI_FADT_ADDR);
    acpi_seal(t, ACPI_RSDT_SIZE);
}

/* FADT revision 1 (ACPI 1.0b, table 5-7).  Fields not set stay zero:
 * PM1b/PM2/GPE blocks absent, no duty cycle, no RTC alarm or century
 * registers declared.  IAPC_BOOT_ARCH (offset 109) is reserved in
 * revision 1, and an OS then assumes legacy devices and an 8042, which
 * the board has. */
static void acpi_build_fadt(uint8_t *t)
{
    acpi_header(t, "FACP", ACPI_FADT_SIZE, 1);
    mmu_st32(t + 36, ACPI_FACS_ADDR);       /* FIRMWARE_CTRL */
    mmu_st32(t + 40, ACPI_DSDT_ADDR);       /* DSDT */
    t[44] = 0;                              /* INT_MODEL: dual 8259 */
    mmu_st16(t + 46, ACPI_SCI_IRQ);         /* SCI_INT */
    mmu_st32(t + 48, 0);                    /* SMI_CMD 0: ACPI mode only */
    mmu_st32(t + 56, ACPI_PM1A_EVT_BLK);    /* PM1a_EVT_BLK */
    mmu_st32(t + 64, ACPI_PM1A_CNT_BLK);    /* PM1a_CNT_BLK */
    mmu_st32(t + 76, ACPI_PM_TMR_BLK);      /* PM_TMR_BLK */
    t[88] = ACPI_PM1_EVT_LEN;               /* PM1_EVT_LEN */
    t[89] = ACPI_PM1_CNT_LEN;               /* PM1_CNT_LEN */
    t[91] = ACPI_PM_TMR_LEN;                /* PM_TM_LEN */
    /* C2/C3 latencies above 100 and 1000 us mean "not supported". */
    mmu_st16(t + 96, 101);                  /* P_LVL2_LAT */
    mmu_st16(t + 98, 1001);                 /* P_LVL3_LAT */
    mmu_st32(t + 112, ACPI_FADT_WBINVD | ACPI_FADT_PROC_C1 | ACPI_FADT_SLP_BUTTON |
                          ACPI_FADT_FIX_RTC); /* Flags */
    acpi_seal(t, ACPI_FADT_SIZE);
}

/* DSDT: one definition block holding Name (\_S5, Package () {0, 0, 0, 0}),
 * hand-assembled (ACPI 1.0b, chapter 16):
 *   08                 NameOp
 *   5C                 RootChar '\'
 *   5F 53 35 5F        NameSeg "_S5_" (a trailing '_' pads a 3-character name)
 *   12                 PackageOp
 *   06                 PkgLength, one-byte form: the 6 bytes from here to
 *                      the end of the package (itself, NumElements, 4 data)
 *   04                 NumElements
 *   00 00 00 00        four ZeroOp: SLP_TYPa, SLP_TYPb, two reserved
 * An OS enters S5 by writing SLP_TYPa << 10 | SLP_EN (bit 13) to
 * PM1a_CNT: 0x2000, plus the bits it preserves (SCI_EN, bit 0).
 * Revision 1: integers are 32 bits. */
static const uint8_t acpi_dsdt_aml[ACPI_DSDT_SIZE - ACPI_HEADER_SIZE] = {
    0x08,
    0x5C, 0x5F, 0x53, 0x35, 0x5F,
    0x12, 0x06, 0x04,
    ACPI_S5_SLP_TYP, ACPI_S5_SLP_TYP, 0x00, 0x00
};

static void acpi_build_dsdt(uint8_t *t)
{
    acpi_header(t, "DSDT", ACPI_DSDT_SIZE, 1);
    memcpy(t + ACPI_HEADER_SIZE, acpi_dsdt_aml, sizeof(acpi_dsdt_aml));
    acpi_seal(t, ACPI_DSDT_SIZE);
}

int acpi_build_tables(struct mmu *mmu, uint32_t ram_size)
{
    if (ram_size <= 0x100000u)
        return -1;
    /* Shadow RAM, not a ROM mapped over the BIOS area (writes to a ROM
     * would be dropped and the OS would find no tables). */
    for (uint32_t a = ACPI_RSDP_ADDR; a < ACPI_TABLES_END; a += MMU_PAGE_SIZE)
        if (mmu_phys_host(mmu, a, true) == NULL)
            return -1;

    uint8_t img[ACPI_IMAGE_SIZE];
    memset(img, 0, sizeof(img));
    acpi_build_rsdp(img + ACPI_OFF(ACPI_RSDP_ADDR));
    acpi_build_facs(img + ACPI_OFF(ACPI_FACS_ADDR));
    acpi_build_rsdt(img + ACPI_OFF(ACPI_RSDT_ADDR));
    acpi_build_fadt(img + ACPI_OFF(ACPI_FADT_ADDR));
    acpi_build_dsdt(img + ACPI_OFF(ACPI_DSDT_ADDR));
    mmu_write_block(mmu, ACPI_RSDP_ADDR, img, sizeof(img));
    return 0;
}
