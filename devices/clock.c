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
    struct clock_event *head;
};

struct clock *clock_create(clock_source_fn *source, void *opaque)
{
    struct clock *clk = calloc(1, sizeof(*clk));
    if (clk == NULL)
        return NULL;
    clk->source = source;
    clk->opaque = opaque;
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
