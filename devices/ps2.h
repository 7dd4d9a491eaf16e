/*
 * ps2.h - the devices at the far end of the 8042's two serial links: a
 * PS/2 (MF2) keyboard and a PS/2 mouse with the IntelliMouse extensions.
 *
 * The 8042 (devices/i8042.c) owns both and is their only user: it writes
 * the bytes the CPU sends to a device with ps2_*_write(), and pulls the
 * device's output one byte at a time with ps2_*_read() whenever its own
 * output buffer is free and the interface is enabled.  A device calls its
 * `notify` callback when output appears on its own (a key, a mouse
 * movement, the end of a self-test), never from inside ps2_*_write() or
 * ps2_*_read().
 *
 * Each device keeps, as the real ones do, a small buffer of its own:
 * command responses go out before buffered key codes or movement packets,
 * but never in the middle of a multi-byte key sequence or packet.
 *
 * Timing (self-test, typematic repeat, the mouse's sample rate) runs on
 * the virtual clock, so it is deterministic.
 */
#ifndef DEVICES_PS2_H
#define DEVICES_PS2_H

#include <stdbool.h>
#include <stdint.h>

struct clock;
struct ps2_kbd;
struct ps2_mouse;

/** The device has new output for the controller. */
typedef void ps2_notify_fn(void *opaque);

/* Replies common to both devices. */
#define PS2_ACK 0xFAu
#define PS2_RESEND 0xFEu
#define PS2_BAT_OK 0xAAu

/* Keyboard LED bits (the argument of command EDh). */
#define PS2_LED_SCROLL 0x01u
#define PS2_LED_NUM 0x02u
#define PS2_LED_CAPS 0x04u

/* Mouse buttons as ps2_mouse_input() takes them. */
#define PS2_BTN_LEFT 0x01u
#define PS2_BTN_RIGHT 0x02u
#define PS2_BTN_MIDDLE 0x04u
#define PS2_BTN_4 0x08u
#define PS2_BTN_5 0x10u

/** The byte the 8042 delivers for `code` when it translates keyboard
 * data to scan code set 1 (the XT code of an AT set 2 key); a preceding
 * F0h (break prefix) is the caller's business: it sets bit 7 of the
 * result.  Also how the keyboard makes its own set 1 codes. */
uint8_t ps2_set2_to_set1(uint8_t code);

/* ---- keyboard ---- */

/** A keyboard in its power-on state (scan code set 2, scanning, LEDs off,
 * 500 ms / 10.9 characters per second typematic).  NULL if out of
 * memory. */
struct ps2_kbd *ps2_kbd_create(struct clock *clk, ps2_notify_fn *notify, void *opaque);
/** Free the keyboard and cancel its events (NULL-safe). */
void ps2_kbd_destroy(struct ps2_kbd *kbd);
/** Power-on state again; buffered output is dropped and no BAT code is
 * sent. */
void ps2_kbd_reset(struct ps2_kbd *kbd);

/** A byte from the host (a command or a command's argument). */
void ps2_kbd_write(struct ps2_kbd *kbd, uint8_t byte);
/** True if the keyboard has a byte to send. */
bool ps2_kbd_pending(const struct ps2_kbd *kbd);
/** Take the next byte the keyboard sends (0 if there is none). */
uint8_t ps2_kbd_read(struct ps2_kbd *kbd);

/**
 * A key changes state.  The key is named by its scan code set 2 make
 * code (01h-84h) and whether it has the E0h prefix; the keyboard sends
 * it in its current set.  Two extended codes stand for the keys whose
 * set 2 sequences are not simply E0h + code: (7Ch, extended) is Print
 * Screen (E0 12 E0 7C) and (77h, extended) is Pause (E1 14 77 E1 F0 14
 * F0 77, no break code).  Other codes are ignored.  The keyboard repeats
 * the last key pressed by itself (typematic), so the caller reports state
 * changes only, without host auto-repeat.
 */
void ps2_kbd_key(struct ps2_kbd *kbd, uint8_t set2_code, bool extended, bool down);

/** The LEDs last set by the host (PS2_LED_*). */
uint8_t ps2_kbd_leds(const struct ps2_kbd *kbd);
/** The current scan code set (1, 2 or 3). */
unsigned ps2_kbd_scancode_set(const struct ps2_kbd *kbd);

/* ---- mouse ---- */

/** A mouse in its power-on state (ID 0, stream mode, reporting disabled,
 * 100 samples/s, 4 counts/mm, 1:1 scaling).  NULL if out of memory. */
struct ps2_mouse *ps2_mouse_create(struct clock *clk, ps2_notify_fn *notify, void *opaque);
/** Free the mouse and cancel its events (NULL-safe). */
void ps2_mouse_destroy(struct ps2_mouse *m);
/** Power-on state again; buffered output and movement are dropped. */
void ps2_mouse_reset(struct ps2_mouse *m);

/** A byte from the host (a command or a command's argument). */
void ps2_mouse_write(struct ps2_mouse *m, uint8_t byte);
/** True if the mouse has a byte to send. */
bool ps2_mouse_pending(const struct ps2_mouse *m);
/** Take the next byte the mouse sends (0 if there is none). */
uint8_t ps2_mouse_read(struct ps2_mouse *m);

/**
 * Movement and button state from the host: dx counts to the right, dy
 * counts up (the PS/2 convention: a frontend with screen coordinates
 * negates), dz wheel detents toward the user (positive, as the
 * IntelliMouse reports scrolling down), `buttons` the PS2_BTN_* held
 * now.  In stream mode with reporting enabled the mouse sends a packet at
 * most once per sample period; movement in between adds up.
 */
void ps2_mouse_input(struct ps2_mouse *m, int dx, int dy, int dz, unsigned buttons);

/** The device ID the mouse reports: 0, 3 (IntelliMouse) or 4
 * (IntelliMouse Explorer). */
uint8_t ps2_mouse_id(const struct ps2_mouse *m);

#endif
