/*
 * pit.c - the Intel 8254 programmable interval timer (Intel 8254 / 82C54
 * datasheet: "Control Word Format", "Read Operations", "Mode
 * Definitions", "Operation Common to All Modes").
 *
 * Time is counted in pulses of the 1.193182 MHz input clock since virtual
 * time 0: pulse k falls at the first tick t with
 * clock_ticks_to_hz(t, CLOCK_HZ_PIT) >= k, and a port access at tick t
 * happens after pulse clock_ticks_to_hz(t) and before the next one, which
 * is the "next CLK pulse" of the datasheet.
 *
 * Each counter keeps its counting element (CE) and OUT as of one pulse
 * (`sync`) and is brought forward in closed form whenever it is looked
 * at, written or its gate changes; between those moments its inputs are
 * constant, so every mode reduces to a little modular arithmetic.  Only
 * counter 0 drives an interrupt line: its next OUT edge is the one clock
 * event this device schedules, and each edge is driven onto `out0` in
 * order, so IRQ 0 sees every rising edge even when the board runs the
 * event late.
 *
 * Choices where the datasheet leaves the value undefined:
 * - the CE value read after a control word and before the first load is
 *   the value the counter held when the control word arrived;
 * - a count of 1 in mode 2 (illegal) keeps OUT low for good, and in mode 3
 *   (illegal) keeps OUT high, so neither produces edges;
 * - BCD counts with digits above 9 are taken digit by digit (A = 10, ...)
 *   modulo 10000;
 * - the one-pulse strobe of modes 4 and 5 ends on the next input clock
 *   even if GATE went low meanwhile;
 * - a control word also drops a pending count or status latch (all
 *   control logic is reset).
 */
#include "devices/pit.h"

#include <stdlib.h>

#include "devices/bus.h"
#include "devices/clock.h"

#define PIT_NEVER UINT64_MAX
/* Edges of OUT0 driven one at a time when the event is late; beyond this
 * many the counter jumps straight to now (only a board that stopped
 * running events could fall that far behind). */
#define PIT_CATCH_UP_EDGES 64u

/* Control word fields (datasheet "Control Word Format"). */
#define PIT_CW_SELECT(cw) (((unsigned)(cw) >> 6) & 3u)
#define PIT_CW_ACCESS(cw) (((unsigned)(cw) >> 4) & 3u)
#define PIT_CW_MODE(cw) (((unsigned)(cw) >> 1) & 7u)
#define PIT_CW_BCD 0x01u
#define PIT_SELECT_READ_BACK 3u
/* Read-back command: bit 5 low latches counts, bit 4 low latches status,
 * bits 3..1 select counters 2..0. */
#define PIT_RB_NO_COUNT 0x20u
#define PIT_RB_NO_STATUS 0x10u

enum { PIT_ACCESS_LATCH = 0, PIT_ACCESS_LSB = 1, PIT_ACCESS_MSB = 2, PIT_ACCESS_WORD = 3 };

struct pit_channel {
    /* As programmed by the control word. */
    uint8_t mode_bits; /* M2..M0 exactly as written (the status byte shows them) */
    uint8_t mode;      /* the mode they select: 0-5 */
    uint8_t access;    /* RW1..RW0, never PIT_ACCESS_LATCH */
    bool bcd;

    /* Count register (CR) and the byte toggles, separate for reads and
     * writes as the datasheet allows interleaving them. */
    uint32_t cr;   /* the last complete count, 1 .. modulus (0 written = modulus) */
    bool cr_valid; /* a count was written since the control word */
    uint8_t cr_lsb;
    bool write_msb;
    bool read_msb;

    /* Output latch and status latch. */
    bool count_latched;
    uint16_t latched_count;
    bool status_latched;
    uint8_t latched_status;
    bool null_count;

    bool gate;

    /* The counting element after pulse `sync`. */
    uint64_t sync;
    bool load_pending; /* CR -> CE on pulse sync + 1 */
    bool running;      /* CE loaded since the control word, not stopped */
    bool out;
    uint32_t ce;        /* modes 0, 1, 4, 5: 0 .. modulus - 1; mode 2: 1 .. cr */
    bool expired;       /* modes 0, 1, 4, 5: CE reached zero since the load */
    bool high_half;     /* mode 3: in the half-cycle with OUT high */
    uint32_t half_left; /* mode 3: pulses to the end of this half-cycle */
    uint32_t period;    /* mode 3: the count this half-cycle belongs to */
    uint16_t frozen;    /* the CE value while not running (binary) */
};

struct pit {
    struct clock *clk;
    struct irq_line *out0;
    uint16_t base;
    uint64_t last_pulse; /* time never runs backwards, even if the clock rate changes */
    struct clock_event edge;
    uint64_t edge_deadline; /* when `edge` is due; CLOCK_NEVER: not scheduled */
    struct pit_channel ch[PIT_CHANNELS];
};

/* ---- counts and BCD ---- */

/* A count of 0 means 2^16 in binary and 10^4 in BCD. */
static uint32_t ch_modulus(const struct pit_channel *ch)
{
    return ch->bcd ? 10000u : 65536u;
}

static uint32_t bcd_to_bin(uint32_t raw)
{
    uint32_t v = ((raw >> 12) & 15u) * 1000u + ((raw >> 8) & 15u) * 100u +
                 ((raw >> 4) & 15u) * 10u + (raw & 15u);
    return v % 10000u;
}

static uint16_t bin_to_bcd(uint32_t v)
{
    v %= 10000u;
    return (uint16_t)(((v / 1000u) << 12) | ((v / 100u % 10u) << 8) | ((v / 10u % 10u) << 4) |
                      (v % 10u));
}

/* The CE value as a number (not yet BCD-encoded). */
static uint32_t ch_count(const struct pit_channel *ch)
{
    if (!ch->running)
        return ch->frozen;
    switch (ch->mode) {
    case 2:
        return ch->ce % ch_modulus(ch);
    case 3: {
        /* Mode 3 counts down by two: an even count N shows N, N-2, .., 2
         * in each half; an odd count loads N-1 and in the high half
         * stays one pulse longer, showing N-1, .., 2, 0 (datasheet "Mode
         * 3 is implemented as follows"). */
        uint32_t v = 2u * ch->half_left;
        if ((ch->period & 1u) && ch->high_half)
            v -= 2u;
        return v % ch_modulus(ch);
    }
    default:
        return ch->ce;
    }
}

/* The CE value as the guest reads it. */
static uint16_t ch_count_reg(const struct pit_channel *ch)
{
    uint32_t v = ch_count(ch);
    return ch->bcd ? bin_to_bcd(v) : (uint16_t)v;
}

static uint8_t ch_status(const struct pit_channel *ch)
{
    return (uint8_t)((ch->out ? 0x80u : 0u) | (ch->null_count ? 0x40u : 0u) |
                     ((unsigned)ch->access << 4) | ((unsigned)ch->mode_bits << 1) |
                     (ch->bcd ? 1u : 0u));
}

/* ---- the counting element ---- */

/* CR -> CE on a load pulse (after a count write or a trigger). */
static void ch_load(struct pit_channel *ch)
{
    uint32_t mod = ch_modulus(ch);
    ch->running = true;
    ch->null_count = false;
    ch->expired = false;
    switch (ch->mode) {
    case 0: /* OUT went low when the count was written */
        ch->ce = ch->cr % mod;
        break;
    case 1: /* the one-shot pulse starts */
        ch->ce = ch->cr % mod;
        ch->out = false;
        break;
    case 2:
        ch->ce = ch->cr;
        ch->out = !(ch->gate && ch->ce == 1u);
        break;
    case 3:
        ch->period = ch->cr;
        ch->high_half = true;
        ch->half_left = (ch->cr + 1u) / 2u;
        ch->out = true;
        break;
    default: /* 4, 5: a strobe in progress is cut short */
        ch->ce = ch->cr % mod;
        ch->out = true;
        break;
    }
}

/* Modes 0, 1, 4, 5: `d` pulses of counting.  CE wraps past zero and
 * keeps counting; OUT reacts to the first expiry only: it goes high for
 * good (0, 1) or low for exactly one pulse (the strobe of 4, 5). */
static void ch_count_down(struct pit_channel *ch, uint64_t d, bool strobe)
{
    uint32_t mod = ch_modulus(ch);
    if (!ch->expired) {
        uint64_t dist = ch->ce == 0 ? mod : ch->ce;
        if (d >= dist) {
            ch->expired = true;
            ch->out = strobe ? d != dist : true;
        }
    }
    ch->ce = (uint32_t)((ch->ce + mod - d % mod) % mod);
}

/* Bring the counter forward to pulse `target` with its inputs constant. */
static void ch_advance(struct pit_channel *ch, uint64_t target)
{
    if (target <= ch->sync)
        return;
    uint64_t d = target - ch->sync;
    ch->sync = target;
    if (ch->load_pending) {
        /* The load pulse does not decrement (datasheet: OUT changes
         * N + 1 pulses after the count is written). */
        ch->load_pending = false;
        ch_load(ch);
        d--;
    }
    if (!ch->running || d == 0)
        return;

    switch (ch->mode) {
    case 0:
        if (ch->gate)
            ch_count_down(ch, d, false);
        break;
    case 1:
        ch_count_down(ch, d, false);
        break;
    case 2:
        /* CE runs N .. 1; OUT is low while CE is 1, and the next pulse
         * reloads CR (a count written meanwhile takes effect here). */
        if (!ch->gate)
            break;
        if (d < ch->ce) {
            ch->ce -= (uint32_t)d;
        } else {
            uint64_t after = d - ch->ce; /* pulses after the reload */
            ch->ce = ch->cr - (uint32_t)(after % ch->cr);
            ch->null_count = false;
        }
        ch->out = ch->ce != 1u;
        break;
    case 3:
        /* A period of N pulses: ceil(N/2) high, floor(N/2) low.  CR is
         * reloaded at the end of each half-cycle. */
        if (!ch->gate)
            break;
        if (d < ch->half_left) {
            ch->half_left -= (uint32_t)d;
        } else {
            uint64_t after = d - ch->half_left; /* pulses after the half-cycle end */
            uint32_t n = ch->cr, high = (n + 1u) / 2u;
            /* Position in the new period: it starts with the half-cycle
             * opposite to the one that just ended. */
            uint64_t pos = ((ch->high_half ? high : 0u) + after) % n;
            ch->period = n;
            ch->high_half = pos < high;
            ch->half_left = (uint32_t)(ch->high_half ? high - pos : n - pos);
            ch->null_count = false;
        }
        ch->out = ch->high_half;
        break;
    case 4:
        if (ch->expired)
            ch->out = true; /* the strobe lasted one pulse */
        if (ch->gate)
            ch_count_down(ch, d, true);
        break;
    default: /* 5 */
        if (ch->expired)
            ch->out = true;
        ch_count_down(ch, d, true);
        break;
    }
}

/* Pulses from `sync` to the next OUT change with the inputs constant and
 * no load pending; 0 if OUT never changes. */
static uint64_t ch_pulses_to_edge(const struct pit_channel *ch)
{
    if (!ch->running)
        return 0;
    uint64_t dist = ch->ce == 0 ? ch_modulus(ch) : ch->ce;
    switch (ch->mode) {
    case 0:
        return ch->gate && !ch->expired ? dist : 0;
    case 1:
        return ch->expired ? 0 : dist;
    case 2:
        if (!ch->gate)
            return 0;
        if (!ch->out) /* CE is 1: the reload raises OUT unless CR is 1 */
            return ch->cr == 1u ? 0 : 1;
        return ch->ce - 1u;
    case 3:
        if (!ch->gate || (ch->high_half && ch->cr == 1u))
            return 0;
        return ch->half_left;
    default: /* 4, 5 */
        if (ch->expired)
            return ch->out ? 0 : 1;
        if (ch->mode == 4 && !ch->gate)
            return 0;
        return dist;
    }
}

/* The pulse at which OUT next changes, or PIT_NEVER. */
static uint64_t ch_next_edge(const struct pit_channel *ch)
{
    struct pit_channel c = *ch;
    uint64_t at = c.sync;
    if (c.load_pending) {
        ch_advance(&c, at + 1u);
        at++;
        if (c.out != ch->out)
            return at;
    }
    uint64_t dt = ch_pulses_to_edge(&c);
    if (dt == 0 || dt > PIT_NEVER - 1u - at)
        return PIT_NEVER;
    return at + dt;
}

/* ---- programming ---- */

/* Counter latch command (and the count part of read-back): a second
 * latch before the first is read is ignored. */
static void ch_latch_count(struct pit_channel *ch)
{
    if (ch->count_latched)
        return;
    ch->latched_count = ch_count_reg(ch);
    ch->count_latched = true;
}

static void ch_latch_status(struct pit_channel *ch)
{
    if (ch->status_latched)
        return;
    ch->latched_status = ch_status(ch);
    ch->status_latched = true;
}

/* Stop counting; CE holds its value. */
static void ch_freeze(struct pit_channel *ch)
{
    ch->frozen = (uint16_t)ch_count(ch);
    ch->running = false;
    ch->load_pending = false;
}

/* A control word for this counter (not a latch, not read-back): all
 * control logic is reset, OUT goes to its initial level (low in mode 0,
 * high otherwise) and the counter waits for a count. */
static void ch_control(struct pit_channel *ch, uint8_t cw)
{
    ch_freeze(ch);
    ch->access = (uint8_t)PIT_CW_ACCESS(cw);
    ch->mode_bits = (uint8_t)PIT_CW_MODE(cw);
    ch->mode = (uint8_t)(ch->mode_bits >= 6u ? ch->mode_bits - 4u : ch->mode_bits);
    ch->bcd = (cw & PIT_CW_BCD) != 0;
    ch->cr_valid = false;
    ch->write_msb = false;
    ch->read_msb = false;
    ch->count_latched = false;
    ch->status_latched = false;
    ch->null_count = true;
    ch->expired = false;
    ch->out = ch->mode != 0;
}

/* A byte written to the counter's port. */
static void ch_write(struct pit_channel *ch, uint8_t v)
{
    uint32_t raw;
    switch (ch->access) {
    case PIT_ACCESS_LSB:
        raw = v;
        break;
    case PIT_ACCESS_MSB:
        raw = (uint32_t)v << 8;
        break;
    default:
        if (!ch->write_msb) {
            ch->cr_lsb = v;
            ch->write_msb = true;
            if (ch->mode == 0) {
                /* Mode 0: the first byte stops counting and OUT goes
                 * low at once. */
                ch_freeze(ch);
                ch->out = false;
            }
            return;
        }
        ch->write_msb = false;
        raw = ch->cr_lsb | ((uint32_t)v << 8);
        break;
    }
    uint32_t n = ch->bcd ? bcd_to_bin(raw) : raw;
    ch->cr = n == 0 ? ch_modulus(ch) : n;
    ch->cr_valid = true;
    ch->null_count = true;
    switch (ch->mode) {
    case 0: /* restart from the new count on the next pulse */
        ch->out = false;
        ch->load_pending = true;
        break;
    case 4:
        ch->load_pending = true;
        break;
    case 2:
    case 3: /* the first count loads on the next pulse; later ones at the next reload */
        if (!ch->running)
            ch->load_pending = true;
        break;
    default: /* 1, 5: CR waits for a trigger */
        break;
    }
}

/* A byte read from the counter's port: a latched status first, then the
 * latched count (released once fully read) or the live count. */
static uint8_t ch_read(struct pit_channel *ch)
{
    if (ch->status_latched) {
        ch->status_latched = false;
        return ch->latched_status;
    }
    uint16_t value = ch->count_latched ? ch->latched_count : ch_count_reg(ch);
    switch (ch->access) {
    case PIT_ACCESS_LSB:
        ch->count_latched = false;
        return (uint8_t)value;
    case PIT_ACCESS_MSB:
        ch->count_latched = false;
        return (uint8_t)(value >> 8);
    default:
        if (!ch->read_msb) {
            ch->read_msb = true;
            return (uint8_t)value;
        }
        ch->read_msb = false;
        ch->count_latched = false;
        return (uint8_t)(value >> 8);
    }
}

static void ch_gate(struct pit_channel *ch, bool level)
{
    if (level == ch->gate)
        return;
    ch->gate = level;
    if (!level) {
        /* Modes 2 and 3: a low gate forces OUT high at once. */
        if (ch->mode == 2 || ch->mode == 3)
            ch->out = true;
        return;
    }
    /* A trigger: modes 1, 2, 3, 5 (re)load CR on the next pulse. */
    if (ch->cr_valid && ch->mode != 0 && ch->mode != 4)
        ch->load_pending = true;
}

/* ---- the device ---- */

static uint64_t pit_pulse_now(struct pit *pit)
{
    uint64_t p = clock_ticks_to_hz(pit->clk, clock_now(pit->clk), CLOCK_HZ_PIT);
    if (p > pit->last_pulse)
        pit->last_pulse = p;
    return pit->last_pulse;
}

/* Bring every counter to now.  Counter 0's OUT edges on the way are
 * driven onto its line one by one. */
static void pit_sync(struct pit *pit)
{
    uint64_t now = pit_pulse_now(pit);
    struct pit_channel *ch0 = &pit->ch[0];
    for (unsigned i = 0; i < PIT_CATCH_UP_EDGES; i++) {
        uint64_t e = ch_next_edge(ch0);
        if (e > now)
            break;
        ch_advance(ch0, e);
        irq_set(pit->out0, ch0->out);
    }
    for (unsigned n = 0; n < PIT_CHANNELS; n++)
        ch_advance(&pit->ch[n], now);
}

/* After any change: drive OUT0's line and schedule its next edge. */
static void pit_commit(struct pit *pit)
{
    struct pit_channel *ch0 = &pit->ch[0];
    irq_set(pit->out0, ch0->out);
    uint64_t e = ch_next_edge(ch0);
    uint64_t deadline = e == PIT_NEVER ? CLOCK_NEVER : clock_hz_to_ticks(pit->clk, e, CLOCK_HZ_PIT);
    if (deadline == pit->edge_deadline)
        return;
    pit->edge_deadline = deadline;
    if (deadline == CLOCK_NEVER)
        clock_cancel(pit->clk, &pit->edge);
    else
        clock_schedule(pit->clk, &pit->edge, deadline);
}

static void pit_edge_event(void *opaque, uint64_t now)
{
    struct pit *pit = opaque;
    (void)now;
    pit->edge_deadline = CLOCK_NEVER; /* it just fired */
    pit_sync(pit);
    pit_commit(pit);
}

static void pit_control(struct pit *pit, uint8_t cw)
{
    unsigned sel = PIT_CW_SELECT(cw);
    if (sel == PIT_SELECT_READ_BACK) {
        for (unsigned n = 0; n < PIT_CHANNELS; n++) {
            if (!(cw & (2u << n)))
                continue;
            if (!(cw & PIT_RB_NO_COUNT))
                ch_latch_count(&pit->ch[n]);
            if (!(cw & PIT_RB_NO_STATUS))
                ch_latch_status(&pit->ch[n]);
        }
        return;
    }
    if (PIT_CW_ACCESS(cw) == PIT_ACCESS_LATCH)
        ch_latch_count(&pit->ch[sel]);
    else
        ch_control(&pit->ch[sel], cw);
}

static uint32_t pit_read(void *opaque, uint16_t port, unsigned size)
{
    struct pit *pit = opaque;
    unsigned idx = (uint16_t)(port - pit->base) & 3u;
    (void)size;
    if (idx == 3u)
        return 0xFF; /* the control word register cannot be read */
    pit_sync(pit);
    uint8_t v = ch_read(&pit->ch[idx]);
    pit_commit(pit);
    return v;
}

static void pit_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct pit *pit = opaque;
    unsigned idx = (uint16_t)(port - pit->base) & 3u;
    (void)size;
    pit_sync(pit);
    if (idx == 3u)
        pit_control(pit, (uint8_t)value);
    else
        ch_write(&pit->ch[idx], (uint8_t)value);
    pit_commit(pit);
}

struct pit *pit_create(struct bus *bus, uint16_t base, struct clock *clk, struct irq_line *out0)
{
    if (bus == NULL || clk == NULL)
        return NULL;
    struct pit *pit = calloc(1, sizeof(*pit));
    if (pit == NULL)
        return NULL;
    pit->clk = clk;
    pit->out0 = out0;
    pit->base = base;
    clock_event_init(&pit->edge, pit_edge_event, pit);
    pit->edge_deadline = CLOCK_NEVER;
    for (unsigned n = 0; n < PIT_CHANNELS; n++)
        pit->ch[n].gate = true;
    if (bus_register_io(bus, base, 4, BUS_W8, pit, pit_read, pit_write) != 0) {
        free(pit);
        return NULL;
    }
    pit_reset(pit);
    return pit;
}

void pit_destroy(struct pit *pit)
{
    if (pit == NULL)
        return;
    clock_cancel(pit->clk, &pit->edge);
    free(pit);
}

void pit_reset(struct pit *pit)
{
    if (pit == NULL)
        return;
    uint64_t now = pit_pulse_now(pit);
    for (unsigned n = 0; n < PIT_CHANNELS; n++) {
        struct pit_channel *ch = &pit->ch[n];
        bool gate = ch->gate;
        *ch = (struct pit_channel){ 0 };
        ch->gate = gate;
        ch->sync = now;
        ch->access = PIT_ACCESS_WORD;
        ch->null_count = true;
    }
    pit_commit(pit);
}

void pit_set_gate(struct pit *pit, unsigned channel, bool level)
{
    if (pit == NULL || channel >= PIT_CHANNELS)
        return;
    pit_sync(pit);
    ch_gate(&pit->ch[channel], level);
    pit_commit(pit);
}

bool pit_out(struct pit *pit, unsigned channel)
{
    if (pit == NULL || channel >= PIT_CHANNELS)
        return false;
    pit_sync(pit);
    pit_commit(pit);
    return pit->ch[channel].out;
}
