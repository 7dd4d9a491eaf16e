/*
 * clock.h - the virtual clock and its event queue.
 *
 * Guest time is virtual: it counts ticks of retired instructions (the
 * CPU's icount) plus the ticks the board skipped while the CPU was halted
 * waiting for an event.  Devices never poll: they schedule a callback at a
 * deadline, and the board bounds each CPU slice by the next deadline so
 * the callback runs at the right instruction boundary.  Same inputs, same
 * run: no host time enters here.
 */
#ifndef DEVICES_CLOCK_H
#define DEVICES_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct clock;
struct clock_event;

#define CLOCK_NEVER UINT64_MAX

/* Ticks per guest second unless clock_set_rate() says otherwise: one tick
 * is one retired instruction, so this is the guest's notion of the CPU's
 * speed (the TSC runs at this rate too). */
#define CLOCK_RATE_DEFAULT 50000000u

/* Common device frequencies (Hz). */
#define CLOCK_HZ_PIT 1193182u    /* 8254 input: 14.31818 MHz / 12 */
#define CLOCK_HZ_ACPI_PM 3579545u /* ACPI PM timer: 14.31818 MHz / 4 */
#define CLOCK_HZ_NS 1000000000u  /* nanoseconds */

/** Raw tick source (the board passes the CPU's instruction count). */
typedef uint64_t clock_source_fn(void *opaque);
/** An event callback; `now` is the current virtual time.  It may schedule
 * or cancel any event, itself included. */
typedef void clock_event_fn(void *opaque, uint64_t now);

/* An event, owned (embedded) by the device that schedules it.  Initialise
 * with clock_event_init(); the fields are the clock's. */
struct clock_event {
    clock_event_fn *fn;
    void *opaque;
    uint64_t deadline;
    bool pending;
    struct clock_event *next;
};

/** A clock reading `source`.  NULL on allocation failure. */
struct clock *clock_create(clock_source_fn *source, void *opaque);
void clock_destroy(struct clock *clk);

/** Current virtual time: source ticks plus skipped ticks. */
uint64_t clock_now(const struct clock *clk);

/** Set the rate in ticks per guest second (> 0; default
 * CLOCK_RATE_DEFAULT). */
void clock_set_rate(struct clock *clk, uint64_t ticks_per_second);
uint64_t clock_rate(const struct clock *clk);

/** How many whole periods of an `hz` signal have elapsed after `ticks`
 * ticks: floor(ticks * hz / rate), exact for all 64-bit inputs. */
uint64_t clock_ticks_to_hz(const struct clock *clk, uint64_t ticks, uint64_t hz);
/** The first tick at which `periods` periods of an `hz` signal have
 * elapsed: the least t with clock_ticks_to_hz(t, hz) >= periods
 * (CLOCK_NEVER if that does not fit in 64 bits). */
uint64_t clock_hz_to_ticks(const struct clock *clk, uint64_t periods, uint64_t hz);

/** floor(a * b / c) without overflow (c > 0); UINT64_MAX if the result
 * does not fit. */
uint64_t clock_muldiv(uint64_t a, uint64_t b, uint64_t c);

void clock_event_init(struct clock_event *ev, clock_event_fn *fn, void *opaque);
/** (Re)schedule `ev` at absolute time `deadline` (a past deadline fires at
 * the next clock_run_due).  Events with equal deadlines fire in the order
 * they were scheduled. */
void clock_schedule(struct clock *clk, struct clock_event *ev, uint64_t deadline);
void clock_cancel(struct clock *clk, struct clock_event *ev);

/** Called when an event is scheduled before the horizon: a device
 * programmed during a CPU slice wants to run before the slice would end,
 * so the board must end the slice now. */
typedef void clock_early_fn(void *opaque);
void clock_set_early_handler(struct clock *clk, clock_early_fn *fn, void *opaque);
/** The time the current CPU slice ends (0 between slices: nothing to end). */
void clock_set_horizon(struct clock *clk, uint64_t horizon);

/** Deadline of the earliest pending event, or CLOCK_NEVER. */
uint64_t clock_next_deadline(const struct clock *clk);
/** Fire every event whose deadline is <= now, earliest first.  Returns
 * how many fired. */
unsigned clock_run_due(struct clock *clk);
/** Advance virtual time to `t` without retiring instructions (the CPU is
 * halted and the next event is at t).  Never moves time backwards. */
void clock_skip_to(struct clock *clk, uint64_t t);

#endif
