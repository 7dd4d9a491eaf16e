/*
 * acpi_pm.h - the ACPI fixed-hardware power-management registers of the
 * board (ACPI 1.0b/2.0, 4.7.3 "PM1 Event Grouping", "PM1 Control
 * Grouping", "Power Management Timer"), at a base port the board's FADT
 * publishes (600h on the PC):
 *
 *   base + 0  PM1a_STS  16-bit, write 1 to clear: TMR_STS (0), BM_STS (4),
 *                       GBL_STS (5), PWRBTN_STS (8), RTC_STS (10),
 *                       WAK_STS (15)
 *   base + 2  PM1a_EN   16-bit: TMR_EN (0), GBL_EN (5), PWRBTN_EN (8),
 *                       RTC_EN (10)
 *   base + 4  PM1a_CNT  16-bit: SCI_EN (0) always reads 1 (the machine is
 *                       always in ACPI mode: there is no SMI_CMD port),
 *                       BM_RLD (1), SLP_TYP (12:10), SLP_EN (13, write-only)
 *   base + 8  PM_TMR    32-bit read-only: a 24-bit counter at 3.579545 MHz
 *
 * Writing SLP_EN with SLP_TYP = 0, the S5 value the board's tables give
 * (as on QEMU's PIIX4), powers the machine off; other sleep types are
 * ignored (no sleep states).  The timer counts from virtual time 0, so
 * its value is a pure function of the clock.  TMR_STS is set each time
 * the counter's bit 23 changes.  The SCI is a level output, high while
 * (PM1_STS & PM1_EN) != 0.  Registers take byte, word and dword accesses.
 */
#ifndef DEVICES_ACPI_PM_H
#define DEVICES_ACPI_PM_H

#include <stdint.h>

struct bus;
struct clock;
struct irq_line;
struct acpi_pm;

#define ACPI_PM_PM1_STS 0u
#define ACPI_PM_PM1_EN 2u
#define ACPI_PM_PM1_CNT 4u
#define ACPI_PM_TMR 8u

/**
 * Claim base..base+5 and base+8..base+11 on `bus`.  `sci` is the SCI
 * output (NULL: unwired); `poweroff(opaque)` is called on an S5 request
 * (may be NULL).  Starts in the RESET state.  NULL if a port is taken
 * (some may then stay claimed: discard the bus) or out of memory.
 */
struct acpi_pm *acpi_pm_create(struct bus *bus, uint16_t base, struct clock *clock,
                               struct irq_line *sci, void (*poweroff)(void *), void *opaque);
/** Cancel the pending timer event and free the device (NULL-safe). */
void acpi_pm_destroy(struct acpi_pm *pm);

/** RESET: status, enables and control clear, SCI low.  The timer keeps
 * counting (it follows the virtual clock). */
void acpi_pm_reset(struct acpi_pm *pm);

/** A press of the power button: sets PWRBTN_STS (an SCI if PWRBTN_EN). */
void acpi_pm_power_button(struct acpi_pm *pm);

/** The PM timer's current 24-bit value (what PM_TMR reads). */
uint32_t acpi_pm_timer(const struct acpi_pm *pm);

#endif
