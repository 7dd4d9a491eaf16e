/*
 * clock.c - a sorted singly linked list of events.  A PC has a handful of
 * timers (PIT, RTC, UART, disk), so insertion in order is cheap and the
 * next deadline is the head.
 */
#include "devices/clock.h"

#include <stdlib.h>

struct clock {
    clock_source_fn *source;
    void *opaque;
    uint64_t skipped;
    uint64_t rate;
    uint64_t horizon; /* end of the running CPU slice */
    clock_early_fn *early;
    void *early_opaque;
    struct clock_event *head;
};

struct clock *clock_create(clock_source_fn *source, void *opaque)
{
    struct clock *clk = calloc(1, sizeof(*clk));
    if (clk == NULL)
        return NULL;
    clk->source = source;
    clk->opaque = opaque;
    clk->rate = CLOCK_RATE_DEFAULT;
    return clk;
}

void clock_destroy(struct clock *clk)
{
    free(clk);
}

uint64_t clock_now(const struct clock *clk)
{
    return clk->source(clk->opaque) + clk->skipped;
}

void clock_set_early_handler(struct clock *clk, clock_early_fn *fn, void *opaque)
{
    clk->early = fn;
    clk->early_opaque = opaque;
}

void clock_set_horizon(struct clock *clk, uint64_t horizon) { clk->horizon = horizon; }

void clock_set_rate(struct clock *clk, uint64_t ticks_per_second)
{
    if (ticks_per_second != 0)
        clk->rate = ticks_per_second;
}

uint64_t clock_rate(const struct clock *clk) { return clk->rate; }

/* The 128-bit product a * b as two 64-bit halves, from 32-bit limbs. */
static void clock_mul128(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t al = a & 0xFFFFFFFFu, ah = a >> 32, bl = b & 0xFFFFFFFFu, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);
    *lo = (ll & 0xFFFFFFFFu) | (mid << 32);
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

uint64_t clock_muldiv(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t hi, lo;
    clock_mul128(a, b, &hi, &lo);
    if (hi >= c)
        return UINT64_MAX;
    if (hi == 0)
        return lo / c;
    /* Restoring division of hi:lo by c, one bit at a time; hi < c keeps
     * the quotient within 64 bits. */
    uint64_t rem = hi, q = 0;
    for (int i = 63; i >= 0; i--) {
        uint64_t top = rem >> 63;
        rem = (rem << 1) | ((lo >> i) & 1u);
        q <<= 1;
        if (top != 0 || rem >= c) {
            rem -= c;
            q |= 1u;
        }
    }
    return q;
}

uint64_t clock_ticks_to_hz(const struct clock *clk, uint64_t ticks, uint64_t hz)
{
    return clock_muldiv(ticks, hz, clk->rate);
}

uint64_t clock_hz_to_ticks(const struct clock *clk, uint64_t periods, uint64_t hz)
{
    if (hz == 0)
        return CLOCK_NEVER;
    /* ceil(periods * rate / hz) */
    uint64_t t = clock_muldiv(periods, clk->rate, hz);
    if (t == UINT64_MAX)
        return CLOCK_NEVER;
    if (clock_ticks_to_hz(clk, t, hz) < periods)
        t++;
    return t;
}

void clock_event_init(struct clock_event *ev, clock_event_fn *fn, void *opaque)
{
    ev->fn = fn;
    ev->opaque = opaque;
    ev->deadline = CLOCK_NEVER;
    ev->pending = false;
    ev->next = NULL;
}

void clock_cancel(struct clock *clk, struct clock_event *ev)
{
    if (!ev->pending)
        return;
    for (struct clock_event **pp = &clk->head; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == ev) {
            *pp = ev->next;
            break;
        }
    }
    ev->pending = false;
    ev->next = NULL;
}

void clock_schedule(struct clock *clk, struct clock_event *ev, uint64_t deadline)
{
    clock_cancel(clk, ev);
    struct clock_event **pp = &clk->head;
    while (*pp != NULL && (*pp)->deadline <= deadline)
        pp = &(*pp)->next;
    ev->deadline = deadline;
    ev->pending = true;
    ev->next = *pp;
    *pp = ev;
    if (deadline < clk->horizon && clk->early != NULL)
        clk->early(clk->early_opaque);
}

uint64_t clock_next_deadline(const struct clock *clk)
{
    return clk->head != NULL ? clk->head->deadline : CLOCK_NEVER;
}

unsigned clock_run_due(struct clock *clk)
{
    unsigned fired = 0;
    /* Re-read the time and the head after each callback: a callback may
     * schedule another event that is already due. */
    while (clk->head != NULL && clk->head->deadline <= clock_now(clk)) {
        struct clock_event *ev = clk->head;
        clk->head = ev->next;
        ev->pending = false;
        ev->next = NULL;
        ev->fn(ev->opaque, clock_now(clk));
        fired++;
    }
    return fired;
}

void clock_skip_to(struct clock *clk, uint64_t t)
{
    uint64_t now = clock_now(clk);
    if (t > now)
        clk->skipped += t - now;
}
