/*
 * irq.h - interrupt request lines.
 *
 * A line is the wire from one device output to one input pin of an
 * interrupt controller.  The board owns the lines and hands each device
 * the one its output is wired to; the device drives it with irq_set()
 * and never knows what sits at the other end.  The sink is called only
 * when the level changes, so an edge-triggered input sees each rising
 * edge exactly once and a level-triggered input sees the level.
 */
#ifndef DEVICES_IRQ_H
#define DEVICES_IRQ_H

#include <stdbool.h>
#include <stddef.h>

/** The receiving end: `pin` is the input the line is wired to. */
typedef void irq_sink_fn(void *opaque, unsigned pin, bool level);

struct irq_line {
    irq_sink_fn *sink; /* NULL: the line goes nowhere */
    void *opaque;
    unsigned pin;
    bool level;
};

/** Wire `line` to input `pin` of the sink (low to start with). */
static inline void irq_line_init(struct irq_line *line, irq_sink_fn *sink, void *opaque,
                                 unsigned pin)
{
    line->sink = sink;
    line->opaque = opaque;
    line->pin = pin;
    line->level = false;
}

/** Drive the line.  A NULL line (an unwired output) is allowed. */
static inline void irq_set(struct irq_line *line, bool level)
{
    if (line == NULL || line->level == level)
        return;
    line->level = level;
    if (line->sink != NULL)
        line->sink(line->opaque, line->pin, level);
}

static inline void irq_raise(struct irq_line *line) { irq_set(line, true); }
static inline void irq_lower(struct irq_line *line) { irq_set(line, false); }

/** A rising edge followed by a return to low (an ISA device's pulse). */
static inline void irq_pulse(struct irq_line *line)
{
    irq_set(line, true);
    irq_set(line, false);
}

#endif
