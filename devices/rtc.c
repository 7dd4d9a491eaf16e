/*
 * rtc.c - the MC146818A real-time clock plus RAM (PC CMOS at ports 70h/71h).
 *
 * Model.  The chip's 22-stage divider is reduced to what a 32.768 kHz time
 * base uses: a count of oscillator cycles, computed lazily from the virtual
 * clock (count = base_count + cycles elapsed since base_tick).  The update
 * cycle happens when the count crosses a multiple of 32768, the periodic
 * flag when it crosses a multiple of the selected tap's period, and UIP is
 * high for the last 8 cycles (244.14 us, tBUC) before each update.  The
 * update itself is instantaneous: software never sees the registers in
 * transition, and UIP does not stay high for the chip's update-cycle time
 * tUC (up to 1984 us) after the update instant.
 *
 * Every register access first brings the chip up to the present ("sync"):
 * it sets the flags for the edges and updates that happened since the last
 * access and advances the time by the number of updates, in closed form.
 * A clock event is scheduled only for the next moment IRQF would rise
 * (an enabled flag that is clear becoming set); while IRQF is set nothing
 * is scheduled, since further flags cannot change the IRQ line.
 *
 * The time registers hold raw bytes in the format register B selects, as
 * on the chip: changing DM or 24/12 does not convert them (the datasheet
 * asks software to rewrite the time after changing the format), and an
 * update re-encodes only the fields it changes.  A byte that is not a
 * valid value for its field behaves as "past the end": the next carry into
 * it wraps it to the field's first value and carries on.  The calendar
 * follows the chip: a year is a leap year when the two-digit year is a
 * multiple of 4.  The century byte 32h is a PC convention, not part of the
 * chip; it is advanced when the year wraps from 99 to 00, in the current
 * data mode, as PC BIOSes expect.
 *
 * Not modelled: DSE (daylight saving) is stored but ignored; SQWE is stored
 * (the SQW pin is not connected on a PC); divider selections other than
 * 010 (32.768 kHz) and 11x (chain reset) - the 4.194304 / 1.048576 MHz
 * bases and the test modes, which the PC's 32.768 kHz crystal cannot use
 * (Intel PIIX/ICH datasheets call them invalid) - stop the divider.
 */
#include "devices/rtc.h"

#include <stdlib.h>

#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"

#define RTC_HZ 32768u
/* tBUC: UIP rises 244 us before the update, i.e. 8 cycles of 32.768 kHz
 * (datasheet Table "Update cycle times"). */
#define RTC_UIP_CYCLES 8u
#define RTC_SECONDS_PER_DAY 86400u
/* Days in 100 years of the chip's calendar (every fourth year is leap). */
#define RTC_DAYS_PER_CENTURY 36525u
#define RTC_DAYS_PER_4_YEARS 1461u
/* Decoded value of a byte that is not a number in the current mode. */
#define RTC_INVALID 0xFFu
#define RTC_NEVER UINT64_MAX

struct rtc {
    struct clock *clk;
    struct irq_line *irq;
    struct clock_event event;
    uint16_t base;
    uint8_t index;              /* last byte written to the index port (bit 7: NMI mask) */
    uint8_t flags;              /* PF, AF, UF of register C */
    bool chain_reset;           /* DV = 11x was written since the divider last ran */
    uint8_t ram[RTC_NVRAM_SIZE]; /* A: bits 6-0 only; C and D are not kept here */
    uint64_t base_tick;         /* divider count was base_count at virtual time base_tick */
    uint64_t base_count;
    uint64_t synced_count;      /* count up to which edges and updates have been applied */
};

/* Decoded time and calendar; a field may hold an out-of-range value (a
 * byte the guest wrote), which the update treats as past the end. */
struct rtc_time {
    unsigned sec, min, hour, dow, date, month, year, century;
};

/* ---- field encoding (register B: DM, 24/12) ---- */

static bool rtc_binary(const struct rtc *rtc) { return (rtc->ram[RTC_REG_B] & RTC_B_DM_BINARY) != 0; }
static bool rtc_24h(const struct rtc *rtc) { return (rtc->ram[RTC_REG_B] & RTC_B_24H) != 0; }

static unsigned rtc_decode(const struct rtc *rtc, uint8_t raw)
{
    if (rtc_binary(rtc))
        return raw;
    if ((raw & 0x0Fu) > 9 || (raw >> 4) > 9)
        return RTC_INVALID;
    return (raw >> 4) * 10u + (raw & 0x0Fu);
}

static uint8_t rtc_encode(const struct rtc *rtc, unsigned v)
{
    if (rtc_binary(rtc))
        return (uint8_t)v;
    return (uint8_t)((((v / 10u) % 10u) << 4) | (v % 10u));
}

/* Hours as 0-23, or RTC_INVALID.  In 12-hour mode the register holds 1-12
 * with bit 7 set for PM (datasheet, "Time, calendar and alarm locations"). */
static unsigned rtc_decode_hours(const struct rtc *rtc, uint8_t raw)
{
    if (rtc_24h(rtc)) {
        unsigned h = rtc_decode(rtc, raw);
        return h < 24 ? h : RTC_INVALID;
    }
    unsigned h12 = rtc_decode(rtc, raw & 0x7Fu);
    if (h12 < 1 || h12 > 12)
        return RTC_INVALID;
    return h12 % 12u + ((raw & 0x80u) != 0 ? 12u : 0u);
}

static uint8_t rtc_encode_hours(const struct rtc *rtc, unsigned h)
{
    if (rtc_24h(rtc))
        return rtc_encode(rtc, h);
    unsigned h12 = h % 12u == 0 ? 12u : h % 12u;
    return (uint8_t)(rtc_encode(rtc, h12) | (h >= 12 ? 0x80u : 0u));
}

static void rtc_time_read(const struct rtc *rtc, struct rtc_time *t)
{
    t->sec = rtc_decode(rtc, rtc->ram[RTC_SECONDS]);
    t->min = rtc_decode(rtc, rtc->ram[RTC_MINUTES]);
    t->hour = rtc_decode_hours(rtc, rtc->ram[RTC_HOURS]);
    t->dow = rtc_decode(rtc, rtc->ram[RTC_DAY_OF_WEEK]);
    t->date = rtc_decode(rtc, rtc->ram[RTC_DATE]);
    t->month = rtc_decode(rtc, rtc->ram[RTC_MONTH]);
    t->year = rtc_decode(rtc, rtc->ram[RTC_YEAR]);
    t->century = rtc_decode(rtc, rtc->ram[RTC_CENTURY]);
}

/* Store one field if it changed (always when `changed_only` is false) and
 * has an encoding (is below `limit`). */
static void rtc_store(struct rtc *rtc, unsigned reg, unsigned v, unsigned old, bool changed_only,
                      unsigned limit)
{
    if (v < limit && (!changed_only || v != old))
        rtc->ram[reg] = rtc_encode(rtc, v);
}

/* Store the fields of `t` that differ from `old` (all of them if old is
 * NULL): an update rewrites only what it changed, so a byte it did not
 * reach keeps what the guest wrote. */
static void rtc_time_write(struct rtc *rtc, const struct rtc_time *old, const struct rtc_time *t)
{
    static const struct rtc_time none = { 0 };
    bool changed_only = old != NULL;
    const struct rtc_time *o = old != NULL ? old : &none;
    rtc_store(rtc, RTC_SECONDS, t->sec, o->sec, changed_only, 60);
    rtc_store(rtc, RTC_MINUTES, t->min, o->min, changed_only, 60);
    if (t->hour < 24 && (!changed_only || t->hour != o->hour))
        rtc->ram[RTC_HOURS] = rtc_encode_hours(rtc, t->hour);
    rtc_store(rtc, RTC_DAY_OF_WEEK, t->dow, o->dow, changed_only, 8);
    rtc_store(rtc, RTC_DATE, t->date, o->date, changed_only, 32);
    rtc_store(rtc, RTC_MONTH, t->month, o->month, changed_only, 13);
    rtc_store(rtc, RTC_YEAR, t->year, o->year, changed_only, 100);
    rtc_store(rtc, RTC_CENTURY, t->century, o->century, changed_only, 100);
}

/* ---- the chip's calendar ---- */

static bool rtc_leap(unsigned year) { return year % 4u == 0; }

/* Days in `month`; an invalid month counts as 31 days. */
static unsigned rtc_days_in_month(unsigned month, unsigned year)
{
    switch (month) {
    case 2:
        return rtc_leap(year) ? 29u : 28u;
    case 4:
    case 6:
    case 9:
    case 11:
        return 30u;
    default:
        return 31u;
    }
}

static unsigned rtc_days_before_month(unsigned month, unsigned year)
{
    static const uint16_t cumulative[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    return cumulative[month - 1] + (month > 2 && rtc_leap(year) ? 1u : 0u);
}

static bool rtc_tod_valid(const struct rtc_time *t) { return t->sec < 60 && t->min < 60 && t->hour < 24; }

static bool rtc_calendar_valid(const struct rtc_time *t)
{
    return t->month >= 1 && t->month <= 12 && t->date >= 1 &&
           t->date <= rtc_days_in_month(t->month, t->year) && t->year <= 99;
}

/* `k` carries into the century byte (each: 99 or beyond wraps to 0). */
static void rtc_carry_century(struct rtc_time *t, uint64_t k)
{
    if (k == 0)
        return;
    if (t->century > 99) {
        t->century = 0;
        k--;
    }
    t->century = (unsigned)((t->century + k % 100u) % 100u);
}

/* One carry into the date, one update's worth of calendar logic. */
static void rtc_carry_date(struct rtc_time *t)
{
    if (t->date < rtc_days_in_month(t->month, t->year)) {
        t->date++;
        return;
    }
    t->date = 1;
    if (t->month < 12) {
        t->month++;
        return;
    }
    t->month = 1;
    if (t->year < 99) {
        t->year++;
        return;
    }
    t->year = 0;
    rtc_carry_century(t, 1);
}

/* `days` (>= 1) carries into the day of week and date. */
static void rtc_advance_days(struct rtc_time *t, uint64_t days)
{
    if (t->dow >= 1 && t->dow <= 7)
        t->dow = (unsigned)((t->dow - 1 + days) % 7u) + 1u;
    else
        t->dow = (unsigned)((days - 1) % 7u) + 1u;

    /* An invalid date, month or year is cleared by carries within a year
     * and a month: step until the calendar is valid, then use arithmetic. */
    while (days > 0 && !rtc_calendar_valid(t)) {
        rtc_carry_date(t);
        days--;
    }
    if (days == 0)
        return;
    uint64_t day = (uint64_t)t->year * 365u + (t->year + 3u) / 4u +
                   rtc_days_before_month(t->month, t->year) + t->date - 1u + days;
    rtc_carry_century(t, day / RTC_DAYS_PER_CENTURY);
    unsigned rem = (unsigned)(day % RTC_DAYS_PER_CENTURY);
    unsigned year = rem / RTC_DAYS_PER_4_YEARS * 4u;
    rem %= RTC_DAYS_PER_4_YEARS;
    if (rem >= 366u) { /* the first year of each four is the leap year */
        rem -= 366u;
        year += 1u + rem / 365u;
        rem %= 365u;
    }
    unsigned month = 1;
    while (month < 12 && rem >= rtc_days_before_month(month + 1, year))
        month++;
    t->year = year;
    t->month = month;
    t->date = rem - rtc_days_before_month(month, year) + 1u;
}

static void rtc_advance_hours(struct rtc_time *t, uint64_t hours)
{
    uint64_t first = t->hour >= 23 ? 1u : 24u - t->hour;
    if (hours < first) {
        t->hour += (unsigned)hours;
        return;
    }
    hours -= first;
    t->hour = (unsigned)(hours % 24u);
    rtc_advance_days(t, 1u + hours / 24u);
}

static void rtc_advance_minutes(struct rtc_time *t, uint64_t minutes)
{
    uint64_t first = t->min >= 59 ? 1u : 60u - t->min;
    if (minutes < first) {
        t->min += (unsigned)minutes;
        return;
    }
    minutes -= first;
    t->min = (unsigned)(minutes % 60u);
    rtc_advance_hours(t, 1u + minutes / 60u);
}

/* The effect of `n` update cycles, in closed form. */
static void rtc_time_advance(struct rtc_time *t, uint64_t n)
{
    uint64_t first = t->sec >= 59 ? 1u : 60u - t->sec;
    if (n < first) {
        t->sec += (unsigned)n;
        return;
    }
    n -= first;
    t->sec = (unsigned)(n % 60u);
    rtc_advance_minutes(t, 1u + n / 60u);
}

/* Unix seconds to the proleptic Gregorian calendar, with integers only (no
 * host time zone).  The year is kept modulo 10000 for the century byte. */
static void rtc_time_from_unix(int64_t secs, struct rtc_time *t)
{
    int64_t days = secs / (int64_t)RTC_SECONDS_PER_DAY;
    int64_t sod = secs % (int64_t)RTC_SECONDS_PER_DAY;
    if (sod < 0) {
        sod += RTC_SECONDS_PER_DAY;
        days--;
    }
    t->hour = (unsigned)(sod / 3600);
    t->min = (unsigned)(sod / 60 % 60);
    t->sec = (unsigned)(sod % 60);
    int64_t dow = (days + 4) % 7; /* 1970-01-01 was a Thursday; Sunday is 1 */
    t->dow = (unsigned)(dow < 0 ? dow + 7 : dow) + 1u;

    /* Whole 400-year cycles (146097 days) from 2000-01-01, then years and
     * months one at a time (bounded: at most 400 and 12). */
    int64_t d = days - 10957;
    int64_t cycles = d / 146097;
    d %= 146097;
    if (d < 0) {
        d += 146097;
        cycles--;
    }
    int64_t year = 2000 + cycles * 400;
    for (;;) {
        bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        int64_t len = leap ? 366 : 365;
        if (d < len)
            break;
        d -= len;
        year++;
    }
    bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    static const uint8_t mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    unsigned month = 1;
    for (;;) {
        int64_t len = mdays[month - 1] + (month == 2 && leap ? 1 : 0);
        if (d < len || month == 12)
            break;
        d -= len;
        month++;
    }
    t->month = month;
    t->date = (unsigned)d + 1u;
    int64_t ymod = year % 10000;
    if (ymod < 0)
        ymod += 10000;
    t->year = (unsigned)(ymod % 100);
    t->century = (unsigned)(ymod / 100);
}

/* ---- alarm ---- */

/* An alarm byte of 11xxxxxxb matches any value (datasheet, "Alarm"). */
static bool rtc_alarm_field(uint8_t alarm, uint8_t value)
{
    return (alarm & 0xC0u) == 0xC0u || alarm == value;
}

static bool rtc_alarm_matches(const struct rtc *rtc)
{
    return rtc_alarm_field(rtc->ram[RTC_SECONDS_ALARM], rtc->ram[RTC_SECONDS]) &&
           rtc_alarm_field(rtc->ram[RTC_MINUTES_ALARM], rtc->ram[RTC_MINUTES]) &&
           rtc_alarm_field(rtc->ram[RTC_HOURS_ALARM], rtc->ram[RTC_HOURS]);
}

/* How many updates from time `t` (a valid time of day) until the first one
 * after which the time matches the alarm: 1..86400, or RTC_NEVER. */
static uint64_t rtc_alarm_wait(const struct rtc *rtc, const struct rtc_time *t)
{
    bool sec_ok[60], min_ok[60], hour_ok[24];
    bool any_sec = false, any_min = false, any_hour = false;
    for (unsigned v = 0; v < 60; v++) {
        sec_ok[v] = rtc_alarm_field(rtc->ram[RTC_SECONDS_ALARM], rtc_encode(rtc, v));
        min_ok[v] = rtc_alarm_field(rtc->ram[RTC_MINUTES_ALARM], rtc_encode(rtc, v));
        any_sec |= sec_ok[v];
        any_min |= min_ok[v];
    }
    for (unsigned v = 0; v < 24; v++) {
        hour_ok[v] = rtc_alarm_field(rtc->ram[RTC_HOURS_ALARM], rtc_encode_hours(rtc, v));
        any_hour |= hour_ok[v];
    }
    if (!any_sec || !any_min || !any_hour)
        return RTC_NEVER;
    /* Candidates in increasing order: the rest of this hour, the next 23
     * hours, then this hour again up to the present second. */
    unsigned now_ms = t->min * 60u + t->sec;
    for (unsigned i = 0; i <= 24; i++) {
        if (!hour_ok[(t->hour + i) % 24u])
            continue;
        for (unsigned m = i == 0 ? t->min : 0; m < 60; m++) {
            if (!min_ok[m])
                continue;
            for (unsigned s = (i == 0 && m == t->min) ? t->sec + 1u : 0; s < 60; s++) {
                if (sec_ok[s]) {
                    uint64_t k = (uint64_t)i * 3600u + m * 60u + s - now_ms;
                    return k <= RTC_SECONDS_PER_DAY ? k : RTC_NEVER;
                }
            }
        }
    }
    return RTC_NEVER;
}

/* ---- the divider and the update cycle ---- */

/* DV2-0 = 010: the 32.768 kHz time base runs (datasheet, "Register A"). */
static bool rtc_divider_running(const struct rtc *rtc)
{
    return (rtc->ram[RTC_REG_A] & RTC_A_DV_MASK) == RTC_A_DV_32K;
}

static bool rtc_updates_enabled(const struct rtc *rtc)
{
    return rtc_divider_running(rtc) && (rtc->ram[RTC_REG_B] & RTC_B_SET) == 0;
}

/* Divider cycles between periodic flags for RS3-0 with a 32.768 kHz time
 * base: 0 (none), 256 Hz, 128 Hz, then 8192 Hz halving down to 2 Hz. */
static uint64_t rtc_periodic_cycles(const struct rtc *rtc)
{
    unsigned rs = rtc->ram[RTC_REG_A] & RTC_A_RS_MASK;
    if (rs == 0)
        return 0;
    if (rs <= 2)
        return rs == 1 ? 128u : 256u;
    return (uint64_t)1 << (rs - 1);
}

static uint64_t rtc_divider_count(const struct rtc *rtc)
{
    if (!rtc_divider_running(rtc))
        return rtc->synced_count;
    uint64_t now = clock_now(rtc->clk);
    uint64_t elapsed = now > rtc->base_tick ? now - rtc->base_tick : 0;
    return rtc->base_count + clock_ticks_to_hz(rtc->clk, elapsed, RTC_HZ);
}

/* IRQF = PF.PIE + AF.AIE + UF.UIE; the flag and enable bits line up. */
static bool rtc_irqf(const struct rtc *rtc)
{
    return (rtc->flags & rtc->ram[RTC_REG_B] & (RTC_C_PF | RTC_C_AF | RTC_C_UF)) != 0;
}

static void rtc_update_irq(struct rtc *rtc) { irq_set(rtc->irq, rtc_irqf(rtc)); }

/* `n` (>= 1) update cycles: UF, the alarm compare after each, the time. */
static void rtc_run_updates(struct rtc *rtc, uint64_t n)
{
    rtc->flags |= RTC_C_UF;
    struct rtc_time t;
    rtc_time_read(rtc, &t);
    /* While the time of day holds a byte that is not a valid value, the
     * alarm compare must see the raw bytes: go one update at a time.  The
     * time of day is valid again after at most an hour of updates. */
    while (n > 0 && !rtc_tod_valid(&t)) {
        struct rtc_time old = t;
        rtc_time_advance(&t, 1);
        rtc_time_write(rtc, &old, &t);
        n--;
        if (rtc_alarm_matches(rtc))
            rtc->flags |= RTC_C_AF;
    }
    if (n == 0)
        return;
    if ((rtc->flags & RTC_C_AF) == 0 && rtc_alarm_wait(rtc, &t) <= n)
        rtc->flags |= RTC_C_AF;
    struct rtc_time old = t;
    rtc_time_advance(&t, n);
    rtc_time_write(rtc, &old, &t);
}

/* Bring the chip up to the present: periodic edges and update cycles
 * since the last sync (register writes sync first, so the settings were
 * constant over that span). */
static void rtc_sync(struct rtc *rtc)
{
    uint64_t now = rtc_divider_count(rtc);
    uint64_t prev = rtc->synced_count;
    if (now <= prev)
        return;
    uint8_t flags_before = rtc->flags;
    uint64_t period = rtc_periodic_cycles(rtc);
    if (period != 0 && now / period != prev / period)
        rtc->flags |= RTC_C_PF;
    uint64_t updates = now / RTC_HZ - prev / RTC_HZ;
    if (updates > 0 && (rtc->ram[RTC_REG_B] & RTC_B_SET) == 0)
        rtc_run_updates(rtc, updates);
    rtc->synced_count = now;
    /* A flag may have been set on the way (the event for it may not have
     * run yet if the access came first): IRQ follows IRQF at once. */
    if (rtc->flags != flags_before)
        rtc_update_irq(rtc);
}

static uint64_t rtc_min(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* Schedule the event for the next divider count at which IRQF would rise:
 * nothing while it is already set. */
static void rtc_reschedule(struct rtc *rtc)
{
    clock_cancel(rtc->clk, &rtc->event);
    if (rtc_irqf(rtc) || !rtc_divider_running(rtc))
        return;
    uint8_t b = rtc->ram[RTC_REG_B];
    uint64_t count = rtc->synced_count;
    uint64_t target = RTC_NEVER;
    uint64_t period = rtc_periodic_cycles(rtc);
    if ((b & RTC_B_PIE) != 0 && (rtc->flags & RTC_C_PF) == 0 && period != 0)
        target = (count / period + 1u) * period;
    if (rtc_updates_enabled(rtc)) {
        uint64_t next_update = (count / RTC_HZ + 1u) * RTC_HZ;
        if ((b & RTC_B_UIE) != 0 && (rtc->flags & RTC_C_UF) == 0)
            target = rtc_min(target, next_update);
        if ((b & RTC_B_AIE) != 0 && (rtc->flags & RTC_C_AF) == 0) {
            struct rtc_time t;
            rtc_time_read(rtc, &t);
            if (!rtc_tod_valid(&t)) {
                target = rtc_min(target, next_update); /* look again then */
            } else {
                uint64_t k = rtc_alarm_wait(rtc, &t);
                if (k != RTC_NEVER)
                    target = rtc_min(target, next_update + (k - 1u) * RTC_HZ);
            }
        }
    }
    if (target == RTC_NEVER)
        return;
    uint64_t dt = clock_hz_to_ticks(rtc->clk, target - rtc->base_count, RTC_HZ);
    if (dt == CLOCK_NEVER || dt > CLOCK_NEVER - 1u - rtc->base_tick)
        return;
    clock_schedule(rtc->clk, &rtc->event, rtc->base_tick + dt);
}

static void rtc_event_fired(void *opaque, uint64_t now)
{
    struct rtc *rtc = opaque;
    (void)now;
    rtc_sync(rtc);
    rtc_update_irq(rtc);
    rtc_reschedule(rtc);
}

/* ---- registers ---- */

static uint8_t rtc_read_register(struct rtc *rtc, unsigned index, bool consume)
{
    rtc_sync(rtc);
    switch (index) {
    case RTC_REG_A: {
        /* UIP: set from tBUC before the update; SET clears it. */
        bool uip = rtc_updates_enabled(rtc) &&
                   rtc->synced_count % RTC_HZ >= RTC_HZ - RTC_UIP_CYCLES;
        return (uint8_t)(rtc->ram[RTC_REG_A] | (uip ? RTC_A_UIP : 0u));
    }
    case RTC_REG_C: {
        uint8_t v = (uint8_t)(rtc->flags | (rtc_irqf(rtc) ? RTC_C_IRQF : 0u));
        if (consume) {
            /* Reading C clears every flag and releases IRQ. */
            rtc->flags = 0;
            rtc_update_irq(rtc);
            rtc_reschedule(rtc);
        }
        return v;
    }
    case RTC_REG_D:
        return RTC_D_VRT; /* the battery is always good */
    default:
        return rtc->ram[index];
    }
}

static void rtc_write_register(struct rtc *rtc, unsigned index, uint8_t v)
{
    rtc_sync(rtc);
    switch (index) {
    case RTC_REG_A: {
        bool was_running = rtc_divider_running(rtc);
        rtc->ram[RTC_REG_A] = v & (uint8_t)~RTC_A_UIP;
        if ((v & 0x60u) == 0x60u)
            rtc->chain_reset = true;
        if (rtc_divider_running(rtc) && !was_running) {
            uint64_t count = rtc->synced_count;
            /* Released from reset, the chain starts half-way through a
             * second: the first update comes 500 ms later (datasheet,
             * "DV2-DV0"). */
            if (rtc->chain_reset)
                count = (count / RTC_HZ + 1u) * RTC_HZ + RTC_HZ / 2u;
            rtc->chain_reset = false;
            rtc->synced_count = count;
            rtc->base_count = count;
            rtc->base_tick = clock_now(rtc->clk);
        }
        break;
    }
    case RTC_REG_B:
        /* SET going high clears UIE (DS12887 datasheet, "UIE"). */
        if ((v & RTC_B_SET) != 0 && (rtc->ram[RTC_REG_B] & RTC_B_SET) == 0)
            v &= (uint8_t)~RTC_B_UIE;
        rtc->ram[RTC_REG_B] = v;
        break;
    case RTC_REG_C:
    case RTC_REG_D:
        return; /* read-only */
    default:
        rtc->ram[index] = v;
        break;
    }
    rtc_update_irq(rtc);
    rtc_reschedule(rtc);
}

static uint32_t rtc_port_read(void *opaque, uint16_t port, unsigned size)
{
    struct rtc *rtc = opaque;
    (void)size;
    if (port == rtc->base)
        return 0xFF; /* the index port is write-only on the PC */
    return rtc_read_register(rtc, rtc->index & 0x7Fu, true);
}

static void rtc_port_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct rtc *rtc = opaque;
    (void)size;
    if (port == rtc->base)
        rtc->index = (uint8_t)value;
    else
        rtc_write_register(rtc, rtc->index & 0x7Fu, (uint8_t)value);
}

/* ---- public interface ---- */

struct rtc *rtc_create(struct bus *bus, uint16_t base, struct clock *clk, struct irq_line *irq8,
                       const struct rtc_config *cfg)
{
    if (bus == NULL || clk == NULL)
        return NULL;
    struct rtc *rtc = calloc(1, sizeof(*rtc));
    if (rtc == NULL)
        return NULL;
    rtc->clk = clk;
    rtc->irq = irq8;
    rtc->base = base;
    clock_event_init(&rtc->event, rtc_event_fired, rtc);
    rtc->ram[RTC_REG_A] = RTC_A_DV_32K | 0x06u;
    rtc->ram[RTC_REG_B] = RTC_B_24H;
    rtc->base_tick = clock_now(clk);
    struct rtc_time t;
    rtc_time_from_unix(cfg != NULL ? cfg->start_time : RTC_DEFAULT_START, &t);
    rtc_time_write(rtc, NULL, &t);
    if (bus_register_io(bus, base, 2, BUS_W8, rtc, rtc_port_read, rtc_port_write) != 0) {
        free(rtc);
        return NULL;
    }
    return rtc;
}

void rtc_destroy(struct rtc *rtc)
{
    if (rtc == NULL)
        return;
    clock_cancel(rtc->clk, &rtc->event);
    free(rtc);
}

void rtc_reset(struct rtc *rtc)
{
    rtc_sync(rtc);
    rtc->ram[RTC_REG_B] &= (uint8_t)~(RTC_B_PIE | RTC_B_AIE | RTC_B_UIE | RTC_B_SQWE);
    rtc->flags = 0;
    rtc_update_irq(rtc);
    rtc_reschedule(rtc);
}

uint8_t rtc_nvram_read(struct rtc *rtc, unsigned index)
{
    return rtc_read_register(rtc, index & 0x7Fu, false);
}

void rtc_nvram_write(struct rtc *rtc, unsigned index, uint8_t v)
{
    rtc_write_register(rtc, index & 0x7Fu, v);
}

bool rtc_nmi_disabled(const struct rtc *rtc) { return (rtc->index & 0x80u) != 0; }

void rtc_set_time(struct rtc *rtc, int64_t unix_seconds)
{
    rtc_sync(rtc);
    struct rtc_time t;
    rtc_time_from_unix(unix_seconds, &t);
    rtc_time_write(rtc, NULL, &t);
    rtc_update_irq(rtc);
    rtc_reschedule(rtc);
}

void rtc_update_checksum(struct rtc *rtc)
{
    unsigned sum = 0;
    for (unsigned i = 0x10; i <= 0x2D; i++)
        sum += rtc->ram[i];
    rtc->ram[0x2E] = (uint8_t)(sum >> 8);
    rtc->ram[0x2F] = (uint8_t)sum;
}

static void rtc_put16(struct rtc *rtc, unsigned index, uint32_t v)
{
    if (v > 0xFFFFu)
        v = 0xFFFFu;
    rtc->ram[index] = (uint8_t)v;
    rtc->ram[index + 1] = (uint8_t)(v >> 8);
}

void rtc_setup_pc(struct rtc *rtc, uint32_t ram_bytes)
{
    rtc_sync(rtc);
    struct rtc_time t;
    rtc_time_read(rtc, &t);
    rtc_write_register(rtc, RTC_REG_A, RTC_A_DV_32K | 0x06u);
    rtc_write_register(rtc, RTC_REG_B, RTC_B_24H);
    rtc_time_write(rtc, NULL, &t); /* re-encoded in BCD, 24-hour */

    uint32_t kib = ram_bytes / 1024u;
    rtc->ram[0x10] = 0x00; /* floppy drive types: none */
    rtc->ram[0x12] = 0x00; /* hard disk types: none */
    /* Equipment: bit 1 coprocessor; bits 5-4 = 00 display with its own
     * BIOS (EGA/VGA); bit 0 and bits 7-6 floppies (none). */
    rtc->ram[0x14] = 0x02;
    rtc_put16(rtc, 0x15, kib < 640u ? kib : 640u);
    uint32_t ext = kib > 1024u ? kib - 1024u : 0;
    rtc_put16(rtc, 0x17, ext);
    rtc_put16(rtc, 0x30, ext);
    uint32_t above16 = ram_bytes > (16u << 20) ? (ram_bytes - (16u << 20)) / 65536u : 0;
    rtc_put16(rtc, 0x34, above16);
    rtc_update_checksum(rtc);
}
