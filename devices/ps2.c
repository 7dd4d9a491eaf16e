/*
 * ps2.c - the PS/2 keyboard (an MF2 keyboard, ID AB 83) and the PS/2
 * mouse (with the IntelliMouse and IntelliMouse Explorer extensions).
 *
 * Facts from the IBM PS/2 Hardware Interface Technical Reference
 * ("Keyboard and Auxiliary Device Controller", "Keyboard", "Pointing
 * Device"), A. Brouwer's "Keyboard scancodes" (sections 9-12) and
 * Microsoft's IntelliMouse PS/2 protocol notes.
 */
#include "devices/ps2.h"

#include <stdlib.h>

#include "devices/clock.h"

/* Basic assurance test: the device answers FF (reset) with ACK at once
 * and with its BAT code this long after.  Real devices take hundreds of
 * milliseconds; drivers wait for seconds, simple polling loops for much
 * less, so the model takes a short, fixed time. */
#define PS2_BAT_US 500u
#define PS2_US_HZ 1000000u

/* ---- the device's output buffer ---- */

/* Responses to commands (at most FA + a 4-byte packet) and buffered key
 * sequences or movement packets (the keyboard's 16-byte buffer). */
#define PS2_RESP_SIZE 8u
#define PS2_DATA_SIZE 16u

struct ps2_queue {
    uint8_t resp[PS2_RESP_SIZE];
    unsigned resp_head, resp_count;
    uint8_t data[PS2_DATA_SIZE];
    bool data_last[PS2_DATA_SIZE]; /* this byte ends its key sequence or packet */
    unsigned data_head, data_count;
    bool mid_sequence; /* part of a sequence has been sent, the rest has not */
    bool data_held;    /* waiting for a command's argument: only responses go out */
    uint8_t last_sent; /* for the Resend command */
};

static void q_clear_data(struct ps2_queue *q)
{
    q->data_head = 0;
    q->data_count = 0;
    q->mid_sequence = false;
}

static void q_clear(struct ps2_queue *q)
{
    q->resp_head = 0;
    q->resp_count = 0;
    q->data_held = false;
    q_clear_data(q);
}

/* A response byte; dropped if the host keeps sending commands without
 * reading the answers. */
static void q_respond(struct ps2_queue *q, uint8_t b)
{
    if (q->resp_count >= PS2_RESP_SIZE)
        return;
    q->resp[(q->resp_head + q->resp_count) % PS2_RESP_SIZE] = b;
    q->resp_count++;
}

static unsigned q_data_free(const struct ps2_queue *q)
{
    return PS2_DATA_SIZE - q->data_count;
}

/* Append a whole sequence, or nothing if it does not fit. */
static bool q_push(struct ps2_queue *q, const uint8_t *bytes, unsigned n)
{
    if (n == 0 || n > q_data_free(q))
        return false;
    for (unsigned i = 0; i < n; i++) {
        unsigned at = (q->data_head + q->data_count) % PS2_DATA_SIZE;
        q->data[at] = bytes[i];
        q->data_last[at] = i + 1 == n;
        q->data_count++;
    }
    return true;
}

static bool q_data_ready(const struct ps2_queue *q)
{
    return q->data_count != 0 && (q->mid_sequence || !q->data_held);
}

static bool q_pending(const struct ps2_queue *q)
{
    return q->resp_count != 0 || q_data_ready(q);
}

/* Responses go first, but a key sequence or packet that has started goes
 * out whole. */
static uint8_t q_pop(struct ps2_queue *q)
{
    uint8_t b;
    if (q->resp_count != 0 && !(q->mid_sequence && q->data_count != 0)) {
        b = q->resp[q->resp_head];
        q->resp_head = (q->resp_head + 1) % PS2_RESP_SIZE;
        q->resp_count--;
    } else if (q_data_ready(q)) {
        b = q->data[q->data_head];
        q->mid_sequence = !q->data_last[q->data_head];
        q->data_head = (q->data_head + 1) % PS2_DATA_SIZE;
        q->data_count--;
    } else {
        return 0;
    }
    q->last_sent = b;
    return b;
}

static uint64_t ps2_us(const struct clock *clk, uint64_t us)
{
    return clock_hz_to_ticks(clk, us, PS2_US_HZ);
}

/* ---- scan codes ---- */

/* The 8042's translation of keyboard bytes 00h-7Fh (bytes 80h-FFh pass
 * unchanged except 83h, the F7 key, and 84h, SysRq).  Each entry is the
 * set 1 make code of the key with that set 2 make code; the codes no
 * 101/102-key keyboard sends carry the set 1 codes of the 122-key
 * keyboard's extra keys (F13-F24 ...) and of the Japanese and Brazilian
 * keys.  00h, the set 2 overrun code, becomes FFh, the set 1 one. */
static const uint8_t ps2_xlate[128] = {
    0xFF, 0x43, 0x41, 0x3F, 0x3D, 0x3B, 0x3C, 0x58, 0x64, 0x44, 0x42, 0x40, 0x3E, 0x0F, 0x29, 0x59,
    0x65, 0x38, 0x2A, 0x70, 0x1D, 0x10, 0x02, 0x5A, 0x66, 0x71, 0x2C, 0x1F, 0x1E, 0x11, 0x03, 0x5B,
    0x67, 0x2E, 0x2D, 0x20, 0x12, 0x05, 0x04, 0x5C, 0x68, 0x39, 0x2F, 0x21, 0x14, 0x13, 0x06, 0x5D,
    0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5E, 0x6A, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5F,
    0x6B, 0x33, 0x25, 0x17, 0x18, 0x0B, 0x0A, 0x60, 0x6C, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0C, 0x61,
    0x6D, 0x73, 0x28, 0x74, 0x1A, 0x0D, 0x62, 0x6E, 0x3A, 0x36, 0x1C, 0x1B, 0x75, 0x2B, 0x63, 0x76,
    0x55, 0x56, 0x77, 0x78, 0x79, 0x7A, 0x0E, 0x7B, 0x7C, 0x4F, 0x7D, 0x4B, 0x47, 0x7E, 0x7F, 0x6F,
    0x52, 0x53, 0x50, 0x4C, 0x4D, 0x48, 0x01, 0x45, 0x57, 0x4E, 0x51, 0x4A, 0x37, 0x49, 0x46, 0x54,
};

uint8_t ps2_set2_to_set1(uint8_t code)
{
    if (code < 0x80)
        return ps2_xlate[code];
    if (code == 0x83)
        return 0x41;
    if (code == 0x84)
        return 0x54;
    return code;
}

/* Set 3 codes of the keys without E0h prefix in set 2 (0: none).  Set 3
 * gives every key one code, the same for the extended keys. */
static const uint8_t ps2_set3[0x85] = {
    [0x01] = 0x47, [0x03] = 0x27, [0x04] = 0x17, [0x05] = 0x07, [0x06] = 0x0F, [0x07] = 0x5E,
    [0x09] = 0x4F, [0x0A] = 0x3F, [0x0B] = 0x2F, [0x0C] = 0x1F, [0x0D] = 0x0D, [0x0E] = 0x0E,
    [0x11] = 0x19, [0x12] = 0x12, [0x14] = 0x11, [0x15] = 0x15, [0x16] = 0x16, [0x1A] = 0x1A,
    [0x1B] = 0x1B, [0x1C] = 0x1C, [0x1D] = 0x1D, [0x1E] = 0x1E, [0x21] = 0x21, [0x22] = 0x22,
    [0x23] = 0x23, [0x24] = 0x24, [0x25] = 0x25, [0x26] = 0x26, [0x29] = 0x29, [0x2A] = 0x2A,
    [0x2B] = 0x2B, [0x2C] = 0x2C, [0x2D] = 0x2D, [0x2E] = 0x2E, [0x31] = 0x31, [0x32] = 0x32,
    [0x33] = 0x33, [0x34] = 0x34, [0x35] = 0x35, [0x36] = 0x36, [0x3A] = 0x3A, [0x3B] = 0x3B,
    [0x3C] = 0x3C, [0x3D] = 0x3D, [0x3E] = 0x3E, [0x41] = 0x41, [0x42] = 0x42, [0x43] = 0x43,
    [0x44] = 0x44, [0x45] = 0x45, [0x46] = 0x46, [0x49] = 0x49, [0x4A] = 0x4A, [0x4B] = 0x4B,
    [0x4C] = 0x4C, [0x4D] = 0x4D, [0x4E] = 0x4E, [0x52] = 0x52, [0x54] = 0x54, [0x55] = 0x55,
    [0x58] = 0x14, [0x59] = 0x59, [0x5A] = 0x5A, [0x5B] = 0x5B, [0x5D] = 0x5C, [0x61] = 0x13,
    [0x66] = 0x66, [0x69] = 0x69, [0x6B] = 0x6B, [0x6C] = 0x6C, [0x70] = 0x70, [0x71] = 0x71,
    [0x72] = 0x72, [0x73] = 0x73, [0x74] = 0x74, [0x75] = 0x75, [0x76] = 0x08, [0x77] = 0x76,
    [0x78] = 0x56, [0x79] = 0x7C, [0x7A] = 0x7A, [0x7B] = 0x84, [0x7C] = 0x7E, [0x7D] = 0x7D,
    [0x7E] = 0x5F, [0x83] = 0x37, [0x84] = 0x57,
};

/* Set 3 codes of the E0h-prefixed set 2 keys. */
static const struct {
    uint8_t set2, set3;
} ps2_set3_extended[] = {
    { 0x11, 0x39 }, /* right Alt */
    { 0x14, 0x58 }, /* right Ctrl */
    { 0x1F, 0x8B }, /* left Windows */
    { 0x27, 0x8C }, /* right Windows */
    { 0x2F, 0x8D }, /* Menu */
    { 0x4A, 0x77 }, /* keypad / */
    { 0x5A, 0x79 }, /* keypad Enter */
    { 0x69, 0x65 }, /* End */
    { 0x6B, 0x61 }, /* Left */
    { 0x6C, 0x6E }, /* Home */
    { 0x70, 0x67 }, /* Insert */
    { 0x71, 0x64 }, /* Delete */
    { 0x72, 0x60 }, /* Down */
    { 0x74, 0x6A }, /* Right */
    { 0x75, 0x63 }, /* Up */
    { 0x77, 0x62 }, /* Pause */
    { 0x7A, 0x6D }, /* Page Down */
    { 0x7C, 0x57 }, /* Print Screen */
    { 0x7D, 0x6F }, /* Page Up */
    { 0x7E, 0x62 }, /* Break (Ctrl+Pause) */
};

#define PS2_SEQ_MAX 8u
#define PS2_KEY_PAUSE 0x77u
#define PS2_KEY_PRTSC 0x7Cu

/* The set 2 sequence of a key event; 0 if there is none (Pause has no
 * break code). */
static unsigned ps2_set2_sequence(uint8_t code, bool ext, bool down, uint8_t *out)
{
    static const uint8_t pause[] = { 0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77 };
    static const uint8_t prtsc_make[] = { 0xE0, 0x12, 0xE0, 0x7C };
    static const uint8_t prtsc_break[] = { 0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12 };
    const uint8_t *fixed = NULL;
    unsigned n = 0;
    if (ext && code == PS2_KEY_PAUSE) {
        if (!down)
            return 0;
        fixed = pause;
        n = sizeof(pause);
    } else if (ext && code == PS2_KEY_PRTSC) {
        fixed = down ? prtsc_make : prtsc_break;
        n = down ? sizeof(prtsc_make) : sizeof(prtsc_break);
    }
    if (fixed != NULL) {
        for (unsigned i = 0; i < n; i++)
            out[i] = fixed[i];
        return n;
    }
    if (ext)
        out[n++] = 0xE0;
    if (!down)
        out[n++] = 0xF0;
    out[n++] = code;
    return n;
}

/* Set 1 is set 2 through the 8042's translation: F0h becomes bit 7 of
 * the next code. */
static unsigned ps2_set2_to_set1_sequence(const uint8_t *in, unsigned n, uint8_t *out)
{
    unsigned m = 0;
    bool brk = false;
    for (unsigned i = 0; i < n; i++) {
        if (in[i] == 0xF0) {
            brk = true;
            continue;
        }
        out[m++] = (uint8_t)(ps2_set2_to_set1(in[i]) | (brk ? 0x80u : 0u));
        brk = false;
    }
    return m;
}

static uint8_t ps2_set3_code(uint8_t code, bool ext)
{
    if (!ext)
        return code < sizeof(ps2_set3) ? ps2_set3[code] : 0;
    for (size_t i = 0; i < sizeof(ps2_set3_extended) / sizeof(ps2_set3_extended[0]); i++) {
        if (ps2_set3_extended[i].set2 == code)
            return ps2_set3_extended[i].set3;
    }
    return 0;
}

/* ---- keyboard ---- */

/* The argument a command waits for. */
enum kbd_arg { KBD_ARG_NONE, KBD_ARG_LEDS, KBD_ARG_TYPEMATIC, KBD_ARG_SCANSET, KBD_ARG_KEYLIST };

/* Power-on typematic setting: 500 ms delay, 10.9 characters/s. */
#define KBD_TYPEMATIC_DEFAULT 0x2Bu

struct ps2_kbd {
    struct clock *clk;
    ps2_notify_fn *notify;
    void *opaque;
    struct ps2_queue q;
    struct clock_event bat_ev;    /* end of the self-test after FF */
    struct clock_event repeat_ev; /* next typematic repeat */
    unsigned set;                 /* scan code set 1, 2 or 3 */
    bool scanning;                /* keys are reported */
    uint8_t leds;
    uint8_t typematic; /* the F3 argument */
    enum kbd_arg awaiting;
    bool repeat_held; /* the key below is held and repeats */
    uint8_t repeat_code;
    bool repeat_ext;
};

static void kbd_notify(struct ps2_kbd *kbd)
{
    if (kbd->notify != NULL)
        kbd->notify(kbd->opaque);
}

static void kbd_stop_repeat(struct ps2_kbd *kbd)
{
    kbd->repeat_held = false;
    clock_cancel(kbd->clk, &kbd->repeat_ev);
}

/* Typematic delay (bits 6-5: 250 ms steps from 250 ms) and period
 * ((8 + bits 2-0) * 2^(bits 4-3) / 240 s), from the F3 command. */
static uint64_t kbd_repeat_delay(const struct ps2_kbd *kbd)
{
    return clock_muldiv(clock_rate(kbd->clk), ((kbd->typematic >> 5) & 3u) + 1u, 4);
}

static uint64_t kbd_repeat_period(const struct ps2_kbd *kbd)
{
    uint64_t units = (8u + (kbd->typematic & 7u)) << ((kbd->typematic >> 3) & 3u);
    return clock_muldiv(clock_rate(kbd->clk), units, 240);
}

/* The bytes of a key event in the current set; 0 if none. */
static unsigned kbd_sequence(const struct ps2_kbd *kbd, uint8_t code, bool ext, bool down,
                             uint8_t *out)
{
    if (kbd->set == 3) {
        uint8_t c3 = ps2_set3_code(code, ext);
        if (c3 == 0)
            return 0;
        if (down) {
            out[0] = c3;
            return 1;
        }
        out[0] = 0xF0;
        out[1] = c3;
        return 2;
    }
    uint8_t set2[PS2_SEQ_MAX];
    unsigned n = ps2_set2_sequence(code, ext, down, set2);
    if (kbd->set == 1)
        return ps2_set2_to_set1_sequence(set2, n, out);
    for (unsigned i = 0; i < n; i++)
        out[i] = set2[i];
    return n;
}

/* Buffer a key event.  One slot stays free for the overrun code (00h in
 * sets 2 and 3, FFh in set 1), which takes the place of events that do
 * not fit and is sent once. */
static void kbd_buffer_key(struct ps2_kbd *kbd, const uint8_t *seq, unsigned n)
{
    struct ps2_queue *q = &kbd->q;
    if (n + 1 <= q_data_free(q)) {
        q_push(q, seq, n);
        return;
    }
    uint8_t overrun = kbd->set == 1 ? 0xFF : 0x00;
    unsigned tail = (q->data_head + q->data_count + PS2_DATA_SIZE - 1) % PS2_DATA_SIZE;
    if (q->data_count != 0 && q->data[tail] == overrun)
        return;
    q_push(q, &overrun, 1);
}

static void kbd_repeat_fire(void *opaque, uint64_t now)
{
    struct ps2_kbd *kbd = opaque;
    if (!kbd->repeat_held || !kbd->scanning)
        return;
    uint8_t seq[PS2_SEQ_MAX];
    unsigned n = kbd_sequence(kbd, kbd->repeat_code, kbd->repeat_ext, true, seq);
    /* Repeats never overrun the buffer: they are simply not sent while
     * the host is not reading. */
    if (n != 0 && n + 1 <= q_data_free(&kbd->q)) {
        q_push(&kbd->q, seq, n);
        kbd_notify(kbd);
    }
    clock_schedule(kbd->clk, &kbd->repeat_ev, now + kbd_repeat_period(kbd));
}

static void kbd_bat_fire(void *opaque, uint64_t now)
{
    struct ps2_kbd *kbd = opaque;
    (void)now;
    kbd->scanning = true;
    q_respond(&kbd->q, PS2_BAT_OK);
    kbd_notify(kbd);
}

/* The defaults F5, F6 and FF restore: typematic rate and delay, no key
 * repeating, an empty buffer.  The scan code set and the LEDs are kept
 * (FF changes them itself). */
static void kbd_defaults(struct ps2_kbd *kbd)
{
    kbd->typematic = KBD_TYPEMATIC_DEFAULT;
    kbd_stop_repeat(kbd);
    q_clear_data(&kbd->q);
}

void ps2_kbd_reset(struct ps2_kbd *kbd)
{
    q_clear(&kbd->q);
    kbd->q.last_sent = PS2_BAT_OK;
    clock_cancel(kbd->clk, &kbd->bat_ev);
    kbd_defaults(kbd);
    kbd->set = 2;
    kbd->scanning = true;
    kbd->leds = 0;
    kbd->awaiting = KBD_ARG_NONE;
}

struct ps2_kbd *ps2_kbd_create(struct clock *clk, ps2_notify_fn *notify, void *opaque)
{
    struct ps2_kbd *kbd = calloc(1, sizeof(*kbd));
    if (kbd == NULL)
        return NULL;
    kbd->clk = clk;
    kbd->notify = notify;
    kbd->opaque = opaque;
    clock_event_init(&kbd->bat_ev, kbd_bat_fire, kbd);
    clock_event_init(&kbd->repeat_ev, kbd_repeat_fire, kbd);
    ps2_kbd_reset(kbd);
    return kbd;
}

void ps2_kbd_destroy(struct ps2_kbd *kbd)
{
    if (kbd == NULL)
        return;
    clock_cancel(kbd->clk, &kbd->bat_ev);
    clock_cancel(kbd->clk, &kbd->repeat_ev);
    free(kbd);
}

/* The bytes that end a list of key codes (FB-FD) or replace a missing
 * argument: the keyboard executes them as commands (Brouwer 11.1). */
static bool kbd_is_command(uint8_t b)
{
    return b == 0xED || b == 0xEE || b == 0xF0 || b >= 0xF2;
}

static void kbd_await(struct ps2_kbd *kbd, enum kbd_arg arg)
{
    kbd->awaiting = arg;
    kbd->q.data_held = arg != KBD_ARG_NONE;
}

static void kbd_command(struct ps2_kbd *kbd, uint8_t cmd)
{
    struct ps2_queue *q = &kbd->q;
    switch (cmd) {
    case 0xED: /* set LEDs */
        q_respond(q, PS2_ACK);
        kbd_await(kbd, KBD_ARG_LEDS);
        break;
    case 0xEE: /* echo */
        q_respond(q, 0xEE);
        break;
    case 0xF0: /* get/set scan code set */
        q_respond(q, PS2_ACK);
        kbd_await(kbd, KBD_ARG_SCANSET);
        break;
    case 0xF2: /* identify: an MF2 keyboard */
        q_respond(q, PS2_ACK);
        q_respond(q, 0xAB);
        q_respond(q, 0x83);
        break;
    case 0xF3: /* set typematic rate and delay */
        q_respond(q, PS2_ACK);
        kbd_await(kbd, KBD_ARG_TYPEMATIC);
        break;
    case 0xF4: /* enable: clears the buffer, scanning on */
        q_clear_data(q);
        kbd->scanning = true;
        q_respond(q, PS2_ACK);
        break;
    case 0xF5: /* defaults, scanning off */
        kbd_defaults(kbd);
        kbd->scanning = false;
        q_respond(q, PS2_ACK);
        break;
    case 0xF6: /* defaults, scanning on */
        kbd_defaults(kbd);
        kbd->scanning = true;
        q_respond(q, PS2_ACK);
        break;
    case 0xF7: /* set 3 key types for all keys: accepted, not modelled */
    case 0xF8:
    case 0xF9:
    case 0xFA:
        q_respond(q, PS2_ACK);
        break;
    case 0xFB: /* set 3 key types for listed keys */
    case 0xFC:
    case 0xFD:
        q_respond(q, PS2_ACK);
        kbd_await(kbd, KBD_ARG_KEYLIST);
        break;
    case 0xFE: /* resend the last byte */
        q_respond(q, q->last_sent);
        break;
    case 0xFF: /* reset: ACK now, BAT code when the self-test ends */
        q_clear(q);
        kbd_defaults(kbd);
        kbd->set = 2;
        kbd->leds = 0;
        kbd->scanning = false;
        q_respond(q, PS2_ACK);
        clock_schedule(kbd->clk, &kbd->bat_ev, clock_now(kbd->clk) + ps2_us(kbd->clk, PS2_BAT_US));
        break;
    default:
        q_respond(q, PS2_RESEND);
        break;
    }
}

void ps2_kbd_write(struct ps2_kbd *kbd, uint8_t byte)
{
    struct ps2_queue *q = &kbd->q;
    enum kbd_arg arg = kbd->awaiting;
    kbd_await(kbd, KBD_ARG_NONE);
    switch (arg) {
    case KBD_ARG_NONE:
        break;
    case KBD_ARG_LEDS:
        if (!kbd_is_command(byte)) {
            kbd->leds = byte & 7u;
            q_respond(q, PS2_ACK);
            return;
        }
        break;
    case KBD_ARG_TYPEMATIC:
        if ((byte & 0x80) == 0) {
            kbd->typematic = byte;
            q_respond(q, PS2_ACK);
            return;
        }
        break;
    case KBD_ARG_SCANSET:
        if (byte == 0) {
            q_respond(q, PS2_ACK);
            q_respond(q, (uint8_t)kbd->set);
            return;
        }
        if (byte <= 3) {
            kbd->set = byte;
            q_clear_data(q);
            kbd_stop_repeat(kbd);
            q_respond(q, PS2_ACK);
            return;
        }
        if (!kbd_is_command(byte)) {
            q_respond(q, PS2_RESEND);
            return;
        }
        break;
    case KBD_ARG_KEYLIST:
        if (!kbd_is_command(byte)) {
            q_respond(q, PS2_ACK);
            kbd_await(kbd, KBD_ARG_KEYLIST);
            return;
        }
        break;
    }
    kbd_command(kbd, byte);
}

bool ps2_kbd_pending(const struct ps2_kbd *kbd)
{
    return q_pending(&kbd->q);
}

uint8_t ps2_kbd_read(struct ps2_kbd *kbd)
{
    return q_pop(&kbd->q);
}

void ps2_kbd_key(struct ps2_kbd *kbd, uint8_t set2_code, bool extended, bool down)
{
    if (set2_code == 0 || set2_code > 0x84)
        return;
    if (!down && kbd->repeat_held && kbd->repeat_code == set2_code && kbd->repeat_ext == extended)
        kbd_stop_repeat(kbd);
    if (!kbd->scanning)
        return;
    uint8_t seq[PS2_SEQ_MAX];
    unsigned n = kbd_sequence(kbd, set2_code, extended, down, seq);
    if (n != 0) {
        kbd_buffer_key(kbd, seq, n);
        kbd_notify(kbd);
    }
    /* The last key pressed repeats (Pause never does). */
    if (down && n != 0 && !(extended && set2_code == PS2_KEY_PAUSE)) {
        kbd->repeat_held = true;
        kbd->repeat_code = set2_code;
        kbd->repeat_ext = extended;
        clock_schedule(kbd->clk, &kbd->repeat_ev, clock_now(kbd->clk) + kbd_repeat_delay(kbd));
    }
}

uint8_t ps2_kbd_leds(const struct ps2_kbd *kbd)
{
    return kbd->leds;
}

unsigned ps2_kbd_scancode_set(const struct ps2_kbd *kbd)
{
    return kbd->set;
}

/* ---- mouse ---- */

enum mouse_arg { MOUSE_ARG_NONE, MOUSE_ARG_RATE, MOUSE_ARG_RESOLUTION };

/* Movement counters are clamped here between reports so that sums of
 * host input cannot overflow; far beyond the 9-bit packet range. */
#define MOUSE_COUNT_LIMIT (1 << 20)

struct ps2_mouse {
    struct clock *clk;
    ps2_notify_fn *notify;
    void *opaque;
    struct ps2_queue q;
    struct clock_event bat_ev;
    struct clock_event sample_ev; /* the next sample period starts */
    uint8_t id;
    bool remote;    /* remote mode (F0) rather than stream mode (EA) */
    bool wrap;      /* wrap (echo) mode */
    bool reporting; /* data reporting enabled (F4) */
    bool scaling21;
    uint8_t resolution; /* 0-3: 1, 2, 4, 8 counts/mm */
    uint8_t rate;       /* samples per second */
    uint8_t rate_history[3];
    enum mouse_arg awaiting;
    int32_t dx, dy, dz;
    unsigned buttons, reported_buttons;
    uint64_t next_sample; /* no streamed packet before this time */
};

static void mouse_notify(struct ps2_mouse *m)
{
    if (m->notify != NULL)
        m->notify(m->opaque);
}

static unsigned mouse_button_mask(const struct ps2_mouse *m)
{
    return m->id == 4 ? 0x1Fu : 0x07u;
}

static void mouse_reset_counters(struct ps2_mouse *m)
{
    m->dx = 0;
    m->dy = 0;
    m->dz = 0;
    m->reported_buttons = m->buttons & mouse_button_mask(m);
}

/* 2:1 scaling (stream mode only): 1->1, 2->1, 3->3, 4->6, 5->9, and
 * twice the count above 5. */
static int32_t mouse_scale(int32_t v)
{
    static const int32_t small[6] = { 0, 1, 1, 3, 6, 9 };
    int32_t a = v < 0 ? -v : v;
    int32_t r = a <= 5 ? small[a] : 2 * a;
    return v < 0 ? -r : r;
}

/* A movement packet from the counters, which it empties: byte 0 holds the
 * buttons, bit 3 set, the X/Y sign bits (4, 5) and overflow bits (6, 7);
 * bytes 1 and 2 the low 8 bits of the 9-bit counts.  A count beyond the
 * 9-bit range sets its overflow bit and is sent at the limit.  ID 3 adds
 * the wheel as a signed byte, ID 4 the wheel in bits 3-0 and buttons 4
 * and 5 in bits 4 and 5; the wheel sends at most 8 detents a packet and
 * keeps the rest. */
static unsigned mouse_packet(struct ps2_mouse *m, bool scaled, uint8_t *out)
{
    int32_t x = m->dx, y = m->dy;
    if (scaled) {
        x = mouse_scale(x);
        y = mouse_scale(y);
    }
    uint8_t b0 = (uint8_t)(0x08u | (m->buttons & 0x07u));
    if (x > 255 || x < -256) {
        x = x > 0 ? 255 : -256;
        b0 |= 0x40;
    }
    if (y > 255 || y < -256) {
        y = y > 0 ? 255 : -256;
        b0 |= 0x80;
    }
    if (x < 0)
        b0 |= 0x10;
    if (y < 0)
        b0 |= 0x20;
    out[0] = b0;
    out[1] = (uint8_t)((uint32_t)x & 0xFFu);
    out[2] = (uint8_t)((uint32_t)y & 0xFFu);
    m->dx = 0;
    m->dy = 0;
    m->reported_buttons = m->buttons & mouse_button_mask(m);
    if (m->id < 3) {
        m->dz = 0;
        return 3;
    }
    int32_t z = m->dz > 7 ? 7 : m->dz < -8 ? -8 : m->dz;
    m->dz -= z;
    if (m->id == 4) {
        out[3] = (uint8_t)(((uint32_t)z & 0x0Fu) | ((m->buttons & PS2_BTN_4) ? 0x10u : 0u) |
                           ((m->buttons & PS2_BTN_5) ? 0x20u : 0u));
    } else {
        out[3] = (uint8_t)((uint32_t)z & 0xFFu);
    }
    return 4;
}

static bool mouse_has_report(const struct ps2_mouse *m)
{
    return m->dx != 0 || m->dy != 0 || (m->id >= 3 && m->dz != 0) ||
           (m->buttons & mouse_button_mask(m)) != m->reported_buttons;
}

/* Stream mode: send a packet if something changed, at most once per
 * sample period; later changes wait for the period to end.  A full
 * buffer keeps the counts until the host takes a byte.  True if a
 * packet was queued. */
static bool mouse_stream(struct ps2_mouse *m)
{
    if (!m->reporting || m->remote || m->wrap || !mouse_has_report(m))
        return false;
    uint64_t now = clock_now(m->clk);
    if (now < m->next_sample) {
        clock_schedule(m->clk, &m->sample_ev, m->next_sample);
        return false;
    }
    if (q_data_free(&m->q) < 4)
        return false;
    uint8_t pkt[4];
    unsigned n = mouse_packet(m, m->scaling21, pkt);
    q_push(&m->q, pkt, n);
    m->next_sample = now + clock_hz_to_ticks(m->clk, 1, m->rate);
    return true;
}

static void mouse_sample_fire(void *opaque, uint64_t now)
{
    struct ps2_mouse *m = opaque;
    (void)now;
    if (mouse_stream(m))
        mouse_notify(m);
}

static void mouse_bat_fire(void *opaque, uint64_t now)
{
    struct ps2_mouse *m = opaque;
    (void)now;
    q_respond(&m->q, PS2_BAT_OK);
    q_respond(&m->q, m->id);
    mouse_notify(m);
}

/* Set Defaults (F6) and the end of a reset: stream mode, reporting off,
 * 100 samples/s, 4 counts/mm, 1:1 scaling. */
static void mouse_defaults(struct ps2_mouse *m)
{
    m->remote = false;
    m->reporting = false;
    m->scaling21 = false;
    m->resolution = 2;
    m->rate = 100;
    m->next_sample = 0;
    clock_cancel(m->clk, &m->sample_ev);
    q_clear_data(&m->q);
    mouse_reset_counters(m);
}

void ps2_mouse_reset(struct ps2_mouse *m)
{
    q_clear(&m->q);
    m->q.last_sent = PS2_BAT_OK;
    clock_cancel(m->clk, &m->bat_ev);
    m->id = 0;
    m->wrap = false;
    m->awaiting = MOUSE_ARG_NONE;
    for (unsigned i = 0; i < 3; i++)
        m->rate_history[i] = 0;
    m->buttons = 0;
    mouse_defaults(m);
}

struct ps2_mouse *ps2_mouse_create(struct clock *clk, ps2_notify_fn *notify, void *opaque)
{
    struct ps2_mouse *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return NULL;
    m->clk = clk;
    m->notify = notify;
    m->opaque = opaque;
    clock_event_init(&m->bat_ev, mouse_bat_fire, m);
    clock_event_init(&m->sample_ev, mouse_sample_fire, m);
    ps2_mouse_reset(m);
    return m;
}

void ps2_mouse_destroy(struct ps2_mouse *m)
{
    if (m == NULL)
        return;
    clock_cancel(m->clk, &m->bat_ev);
    clock_cancel(m->clk, &m->sample_ev);
    free(m);
}

/* The IntelliMouse knocks: sample rates 200, 100, 80 make a standard
 * mouse report ID 3 (wheel); then 200, 200, 80 make it ID 4 (wheel and
 * buttons 4 and 5). */
static void mouse_set_rate(struct ps2_mouse *m, uint8_t rate)
{
    m->rate = rate;
    m->rate_history[0] = m->rate_history[1];
    m->rate_history[1] = m->rate_history[2];
    m->rate_history[2] = rate;
    const uint8_t *h = m->rate_history;
    if (m->id == 0 && h[0] == 200 && h[1] == 100 && h[2] == 80)
        m->id = 3;
    else if (m->id == 3 && h[0] == 200 && h[1] == 200 && h[2] == 80)
        m->id = 4;
}

static void mouse_argument(struct ps2_mouse *m, enum mouse_arg arg, uint8_t byte)
{
    struct ps2_queue *q = &m->q;
    if (arg == MOUSE_ARG_RATE) {
        if (byte == 0) {
            q_respond(q, PS2_RESEND);
            return;
        }
        mouse_set_rate(m, byte);
    } else {
        if (byte > 3) {
            q_respond(q, PS2_RESEND);
            return;
        }
        m->resolution = byte;
    }
    q_respond(q, PS2_ACK);
}

static void mouse_await(struct ps2_mouse *m, enum mouse_arg arg)
{
    m->awaiting = arg;
    m->q.data_held = arg != MOUSE_ARG_NONE;
}

void ps2_mouse_write(struct ps2_mouse *m, uint8_t byte)
{
    struct ps2_queue *q = &m->q;
    enum mouse_arg arg = m->awaiting;
    if (arg != MOUSE_ARG_NONE) {
        mouse_await(m, MOUSE_ARG_NONE);
        mouse_argument(m, arg, byte);
        return;
    }
    /* Wrap mode echoes every byte but Reset and Reset Wrap Mode. */
    if (m->wrap && byte != 0xFF && byte != 0xEC) {
        q_respond(q, byte);
        return;
    }
    uint8_t pkt[4];
    unsigned n;
    switch (byte) {
    case 0xE6: /* scaling 1:1 */
        m->scaling21 = false;
        q_respond(q, PS2_ACK);
        break;
    case 0xE7: /* scaling 2:1 */
        m->scaling21 = true;
        q_respond(q, PS2_ACK);
        break;
    case 0xE8: /* set resolution */
        q_respond(q, PS2_ACK);
        mouse_await(m, MOUSE_ARG_RESOLUTION);
        break;
    case 0xE9: { /* status request: mode/buttons, resolution, rate */
        uint8_t status = (uint8_t)((m->remote ? 0x40u : 0u) | (m->reporting ? 0x20u : 0u) |
                                   (m->scaling21 ? 0x10u : 0u) |
                                   ((m->buttons & PS2_BTN_LEFT) ? 0x04u : 0u) |
                                   ((m->buttons & PS2_BTN_MIDDLE) ? 0x02u : 0u) |
                                   ((m->buttons & PS2_BTN_RIGHT) ? 0x01u : 0u));
        q_respond(q, PS2_ACK);
        q_respond(q, status);
        q_respond(q, m->resolution);
        q_respond(q, m->rate);
        break;
    }
    case 0xEA: /* stream mode */
        m->remote = false;
        mouse_reset_counters(m);
        q_respond(q, PS2_ACK);
        break;
    case 0xEB: /* read data: one packet, in any mode, unscaled */
        q_respond(q, PS2_ACK);
        n = mouse_packet(m, false, pkt);
        for (unsigned i = 0; i < n; i++)
            q_respond(q, pkt[i]);
        break;
    case 0xEC: /* reset wrap mode */
        m->wrap = false;
        mouse_reset_counters(m);
        q_respond(q, PS2_ACK);
        break;
    case 0xEE: /* wrap mode */
        m->wrap = true;
        mouse_reset_counters(m);
        q_respond(q, PS2_ACK);
        break;
    case 0xF0: /* remote mode */
        m->remote = true;
        mouse_reset_counters(m);
        q_respond(q, PS2_ACK);
        break;
    case 0xF2: /* get device ID */
        q_respond(q, PS2_ACK);
        q_respond(q, m->id);
        mouse_reset_counters(m);
        break;
    case 0xF3: /* set sample rate */
        q_respond(q, PS2_ACK);
        mouse_await(m, MOUSE_ARG_RATE);
        break;
    case 0xF4: /* enable data reporting */
        m->reporting = true;
        mouse_reset_counters(m);
        q_respond(q, PS2_ACK);
        break;
    case 0xF5: /* disable data reporting */
        m->reporting = false;
        q_clear_data(q);
        mouse_reset_counters(m);
        q_respond(q, PS2_ACK);
        break;
    case 0xF6: /* set defaults */
        mouse_defaults(m);
        q_respond(q, PS2_ACK);
        break;
    case 0xFE: /* resend the last byte */
        q_respond(q, q->last_sent);
        break;
    case 0xFF: { /* reset: ACK now, AA and the ID after the self-test */
        unsigned buttons = m->buttons;
        uint64_t now = clock_now(m->clk);
        ps2_mouse_reset(m);
        m->buttons = buttons;
        mouse_reset_counters(m);
        q_respond(q, PS2_ACK);
        clock_schedule(m->clk, &m->bat_ev, now + ps2_us(m->clk, PS2_BAT_US));
        break;
    }
    default:
        q_respond(q, PS2_RESEND);
        break;
    }
}

bool ps2_mouse_pending(const struct ps2_mouse *m)
{
    return q_pending(&m->q);
}

uint8_t ps2_mouse_read(struct ps2_mouse *m)
{
    uint8_t b = q_pop(&m->q);
    /* Room again: movement that waited for it can go (the controller
     * looks for it when its output buffer is free). */
    mouse_stream(m);
    return b;
}

static int32_t mouse_add(int32_t acc, int delta)
{
    int64_t v = (int64_t)acc + delta;
    if (v > MOUSE_COUNT_LIMIT)
        v = MOUSE_COUNT_LIMIT;
    if (v < -MOUSE_COUNT_LIMIT)
        v = -MOUSE_COUNT_LIMIT;
    return (int32_t)v;
}

void ps2_mouse_input(struct ps2_mouse *m, int dx, int dy, int dz, unsigned buttons)
{
    m->dx = mouse_add(m->dx, dx);
    m->dy = mouse_add(m->dy, dy);
    m->dz = mouse_add(m->dz, dz);
    m->buttons = buttons & 0x1Fu;
    if (mouse_stream(m))
        mouse_notify(m);
}

uint8_t ps2_mouse_id(const struct ps2_mouse *m)
{
    return m->id;
}
