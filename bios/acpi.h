/*
 * acpi.h - the ACPI 1.0 tables a direct-kernel boot publishes: RSDP, RSDT,
 * FADT (revision 1), FACS and a DSDT that only defines \_S5 (soft off).
 *
 * They describe the board's fixed ACPI hardware (the PM1a event/control
 * blocks and the PM timer at the ports below, SCI on IRQ 9, no SMI command
 * port: the system is always in ACPI mode).  There is no MADT: the board
 * has no APIC and the CPU reports none, so an OS stays in 8259 mode.
 *
 * Where they live: 0xE0000-0xE01FF, shadow RAM inside the BIOS area that
 * the E820 map (bios/e820.h) reports as reserved, so the OS never reuses
 * it.  The RSDP is at 0xE0000, on a 16-byte boundary inside 0xE0000-
 * 0xFFFFF, where an OS looks for it (ACPI 1.0b, 5.2.4.1).
 */
#ifndef BIOS_ACPI_H
#define BIOS_ACPI_H

#include <stdint.h>

struct mmu;

/* Table addresses (each 16-byte aligned; the FACS 64-byte aligned as
 * ACPI 1.0b, 5.2.8 requires). */
#define ACPI_RSDP_ADDR 0xE0000u
#define ACPI_FACS_ADDR 0xE0040u
#define ACPI_RSDT_ADDR 0xE0080u
#define ACPI_FADT_ADDR 0xE00C0u
#define ACPI_DSDT_ADDR 0xE0140u
#define ACPI_TABLES_END 0xE0200u /* first byte past the tables */

/* Sizes of what acpi_build_tables() writes. */
#define ACPI_RSDP_SIZE 20u /* ACPI 1.0 RSDP (revision 0) */
#define ACPI_FACS_SIZE 64u
#define ACPI_RSDT_SIZE 40u /* header + one entry (the FADT) */
#define ACPI_FADT_SIZE 116u /* FADT revision 1 */
#define ACPI_DSDT_SIZE 49u  /* header + 13 bytes of AML */

/* The board's fixed ACPI hardware, as the FADT describes it. */
#define ACPI_SCI_IRQ 9u
#define ACPI_PM1A_EVT_BLK 0x600u /* PM1 status (2 bytes) + enable (2 bytes) */
#define ACPI_PM1_EVT_LEN 4u
#define ACPI_PM1A_CNT_BLK 0x604u /* PM1 control: SCI_EN, SLP_TYP, SLP_EN */
#define ACPI_PM1_CNT_LEN 2u
#define ACPI_PM_TMR_BLK 0x608u /* 24-bit 3.579545 MHz PM timer */
#define ACPI_PM_TMR_LEN 4u
#define ACPI_S5_SLP_TYP 0u /* SLP_TYP value of soft off (\_S5) */

/* FADT fixed feature flags we set (ACPI 1.0b, table 5-9).  PWR_BUTTON
 * (bit 4) stays clear: the board's PM1 block has the fixed-feature power
 * button (PWRBTN_STS/PWRBTN_EN, devices/acpi_pm.h).  There is no sleep
 * button, and nothing sets RTC_STS (the RTC alarm is not wired to it).
 * TMR_VAL_EXT (bit 8) clear: the PM timer is 24 bits wide. */
#define ACPI_FADT_WBINVD (1u << 0)
#define ACPI_FADT_PROC_C1 (1u << 2)
#define ACPI_FADT_SLP_BUTTON (1u << 5) /* no fixed-feature sleep button */
#define ACPI_FADT_FIX_RTC (1u << 6)    /* no RTC wake status in PM1 */

/* OEM fields of every table header. */
#define ACPI_OEM_ID "RINGZ0"         /* 6 bytes */
#define ACPI_OEM_TABLE_ID "RINGZERO" /* 8 bytes */

/**
 * Write the tables into RAM at ACPI_RSDP_ADDR..ACPI_TABLES_END, every
 * checksum filled in.  Returns 0, or -1 (nothing written) if that range is
 * not plain writable RAM: RAM of 1 MiB or less (`ram_size`), or a ROM
 * mapped over the BIOS area.
 */
int acpi_build_tables(struct mmu *mmu, uint32_t ram_size);

#endif
