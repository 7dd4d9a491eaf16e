/*
 * rtc.h - the MC146818A real-time clock and CMOS RAM as wired on a PC:
 * an index port (bit 7 of the written index masks NMI on the board) and
 * a data port one above it, 128 bytes behind them.
 *
 * Bytes 00-09 are the time, calendar and alarm, 0A-0D registers A-D,
 * 0E-7F battery-backed RAM (the PC keeps its configuration there and the
 * century at 32h).  The clock runs on virtual time: the 32.768 kHz
 * divider chain is computed from clock_now(), the once-a-second update
 * happens at exact virtual times, and clock events are scheduled only
 * when an interrupt is enabled and due.  The IRQ output is active high
 * (the inverse of the chip's open-drain IRQ# pin) while IRQF is set.
 */
#ifndef DEVICES_RTC_H
#define DEVICES_RTC_H

#include <stdbool.h>
#include <stdint.h>

struct bus;
struct clock;
struct irq_line;
struct rtc;

/* 2000-01-01 00:00:00 UTC: the board's default, so runs are repeatable. */
#define RTC_DEFAULT_START 946684800

#define RTC_NVRAM_SIZE 128u

/* Register indices and bits (MC146818A datasheet, "Registers"). */
enum {
    RTC_SECONDS = 0x00,
    RTC_SECONDS_ALARM = 0x01,
    RTC_MINUTES = 0x02,
    RTC_MINUTES_ALARM = 0x03,
    RTC_HOURS = 0x04,
    RTC_HOURS_ALARM = 0x05,
    RTC_DAY_OF_WEEK = 0x06,
    RTC_DATE = 0x07,
    RTC_MONTH = 0x08,
    RTC_YEAR = 0x09,
    RTC_REG_A = 0x0A,
    RTC_REG_B = 0x0B,
    RTC_REG_C = 0x0C,
    RTC_REG_D = 0x0D,
    RTC_CENTURY = 0x32 /* PC convention (IBM AT), not part of the chip */
};

enum {
    RTC_A_UIP = 0x80,     /* update in progress (read-only) */
    RTC_A_DV_MASK = 0x70, /* divider control */
    RTC_A_DV_32K = 0x20,  /* 010: 32.768 kHz time base, running */
    RTC_A_RS_MASK = 0x0F, /* periodic rate select */

    RTC_B_SET = 0x80,
    RTC_B_PIE = 0x40,
    RTC_B_AIE = 0x20,
    RTC_B_UIE = 0x10,
    RTC_B_SQWE = 0x08,
    RTC_B_DM_BINARY = 0x04,
    RTC_B_24H = 0x02,
    RTC_B_DSE = 0x01,

    RTC_C_IRQF = 0x80,
    RTC_C_PF = 0x40,
    RTC_C_AF = 0x20,
    RTC_C_UF = 0x10,

    RTC_D_VRT = 0x80
};

struct rtc_config {
    int64_t start_time; /* guest wall-clock time at power-on, Unix seconds UTC
                           (RTC_DEFAULT_START on the default board) */
};

/**
 * Create the chip and claim ports base (index) and base + 1 (data), byte
 * wide.  `clk` is the virtual clock; `irq8` the line the IRQ output drives
 * (may be NULL).  The clock starts at cfg->start_time (RTC_DEFAULT_START
 * if cfg is NULL) in BCD, 24-hour mode, with register A = 26h (32.768 kHz,
 * 1024 Hz periodic rate), B = 02h, the divider's first update one second
 * after creation, all other bytes zero.  NULL if the ports are taken or
 * memory runs out.
 */
struct rtc *rtc_create(struct bus *bus, uint16_t base, struct clock *clk, struct irq_line *irq8,
                       const struct rtc_config *cfg);

/** Cancel the chip's clock event and free it.  NULL is allowed.  The ports
 * stay claimed on the bus (destroy the bus with it). */
void rtc_destroy(struct rtc *rtc);

/**
 * The RESET pin (datasheet, "RESET"): clears PIE, AIE, UIE and SQWE in
 * register B and the PF, AF, UF and IRQF flags, and releases IRQ.  The
 * time, the divider, registers A and the other B bits and the RAM stay.
 */
void rtc_reset(struct rtc *rtc);

/**
 * Host-side read of byte `index` (masked to 0..127) as the guest would see
 * it, without side effects: register C is not cleared.
 */
uint8_t rtc_nvram_read(struct rtc *rtc, unsigned index);

/**
 * Host-side write of byte `index` (masked to 0..127), with the effect of a
 * guest write (registers A and B included; C and D are read-only).
 */
void rtc_nvram_write(struct rtc *rtc, unsigned index, uint8_t v);

/** Bit 7 of the last value written to the index port: the board's NMI
 * mask (set = NMI disabled). */
bool rtc_nmi_disabled(const struct rtc *rtc);

/**
 * Load the time and calendar (seconds .. year, day of week and the century
 * byte) from `unix_seconds` (UTC), encoded in the current data mode and
 * 12/24-hour mode.  Does not touch the divider: the next update still
 * comes at the divider's next second boundary.
 */
void rtc_set_time(struct rtc *rtc, int64_t unix_seconds);

/** Recompute the PC's CMOS checksum: the 16-bit sum of bytes 10h-2Dh,
 * stored at 2Eh (high byte) and 2Fh (low byte). */
void rtc_update_checksum(struct rtc *rtc);

/**
 * Fill in the PC's standard CMOS contents (IBM AT layout as BIOSes and
 * Linux read it): base memory 640 KiB (15h/16h), extended memory in KiB
 * above 1 MiB capped at 65535 (17h/18h and 30h/31h), memory above 16 MiB
 * in 64 KiB blocks (34h/35h), equipment byte 14h (no floppy, EGA/VGA,
 * coprocessor), no floppy (10h) or hard disk (12h) types, the checksum of
 * 10h-2Dh at 2Eh (high) / 2Fh (low), register A = 26h, B = 02h (BCD, 24 h)
 * with the current time re-encoded to match, and the century at 32h in BCD.
 */
void rtc_setup_pc(struct rtc *rtc, uint32_t ram_bytes);

#endif
