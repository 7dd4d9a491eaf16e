/*
 * i8042.h - the 8042 keyboard controller of the PC/AT and PS/2, with a
 * PS/2 keyboard on its first port and a PS/2 mouse on its second
 * (devices/ps2.h).
 *
 * Ports (the board passes them; 60h and 64h on a PC):
 *  - data port, read: the output buffer (clears OBF; reading with OBF
 *    clear returns the last byte again); write: the argument of the
 *    pending controller command, else a byte for the keyboard;
 *  - command port, read: the status register; write: a controller
 *    command.
 *
 * Power-on and i8042_reset() state: command byte 70h (translation on,
 * both interfaces disabled, no interrupts, system flag clear), status 10h
 * (not inhibited), output port CFh (A20 on, as the 8042's port pins come
 * out of reset high), the keyboard and mouse in their power-on state with
 * nothing to send.  Self-test (AAh) answers 55h, sets the system flag and
 * puts the command byte back to its reset value with the system flag set
 * (74h), as later 8042-compatible controllers do; callers rewrite it.
 *
 * Bytes from the devices reach the output buffer one at a time: the next
 * one no sooner than I8042_BYTE_GAP_US of virtual time after the guest
 * read the previous one, so a multi-byte reply or key sequence comes out
 * byte by byte with an interrupt each, and an interrupt handler can read
 * port 60h twice and see the same byte.  A controller command's reply
 * (and D2h/D3h data) is placed in the output buffer at once, replacing
 * any byte there, as the 8042 does.
 */
#ifndef DEVICES_I8042_H
#define DEVICES_I8042_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/irq.h"

struct bus;
struct clock;
struct i8042;

#define I8042_DATA_PORT 0x60u
#define I8042_CMD_PORT 0x64u

/* Status register bits (command port, read). */
#define I8042_STR_OBF 0x01u     /* output buffer full */
#define I8042_STR_IBF 0x02u     /* input buffer full (always 0 here) */
#define I8042_STR_SYS 0x04u     /* system flag (command byte bit 2) */
#define I8042_STR_CMD 0x08u     /* last write was to the command port (A2) */
#define I8042_STR_UNLOCK 0x10u  /* keyboard not inhibited by the keylock */
#define I8042_STR_AUXOBF 0x20u  /* the output buffer holds mouse data */
#define I8042_STR_TIMEOUT 0x40u /* general timeout (never set here) */
#define I8042_STR_PARITY 0x80u  /* parity error (never set here) */

/* Command byte bits (controller RAM byte 0). */
#define I8042_CTR_KBDINT 0x01u  /* IRQ 1 when keyboard data is in the output buffer */
#define I8042_CTR_AUXINT 0x02u  /* IRQ 12 when mouse data is in the output buffer */
#define I8042_CTR_SYS 0x04u     /* system flag */
#define I8042_CTR_KBDDIS 0x10u  /* keyboard interface disabled (clock held low) */
#define I8042_CTR_AUXDIS 0x20u  /* mouse interface disabled */
#define I8042_CTR_XLATE 0x40u   /* translate keyboard data to scan code set 1 */

/* Virtual time between two device bytes in the output buffer. */
#define I8042_BYTE_GAP_US 250u

/** Output port bit 0 pulsed low (D1h with bit 0 clear, or F0h-FFh with
 * bit 0 clear, such as FEh): reset the CPU.  Called last, after the
 * controller's own state is settled, so it may reset the machine (and
 * this device) at once. */
typedef void i8042_reset_fn(void *opaque);
/** Output port bit 1 (the A20 gate) changed. */
typedef void i8042_a20_fn(void *opaque, bool enabled);

/**
 * Create the controller with its keyboard and mouse, in the power-on
 * state (no callback is called), and claim `data_port` and `cmd_port` on
 * `bus` (byte-wide).  irq1/irq12 are the lines of the keyboard and mouse
 * interrupts (either may be NULL); reset/a20 may be NULL.  NULL if a port
 * is taken (one may then stay claimed: discard the bus) or out of memory.
 */
struct i8042 *i8042_create(struct bus *bus, uint16_t data_port, uint16_t cmd_port,
                           struct clock *clk, struct irq_line *irq1, struct irq_line *irq12,
                           i8042_reset_fn *reset, i8042_a20_fn *a20, void *opaque);
/** Free the device and cancel its events (NULL-safe).  Its ports stay
 * claimed on the bus. */
void i8042_destroy(struct i8042 *k);

/** Hardware RESET: the power-on state above; both IRQ lines go low and
 * the a20 callback is told if A20 was off. */
void i8042_reset(struct i8042 *k);

/** One key changes state, named in scan code set 2 terms (E0h prefix if
 * `extended`); see ps2_kbd_key() for the codes.  The keyboard sends it
 * in its current set, and the controller translates to set 1 when the
 * command byte says so. */
void i8042_key(struct i8042 *k, uint8_t set2_code, bool extended, bool down);

/** Mouse movement and buttons; see ps2_mouse_input() for the units. */
void i8042_mouse(struct i8042 *k, int dx, int dy, int dz, unsigned buttons);

/** The output port's A20 bit (the board ORs it with port 92h's). */
bool i8042_a20(const struct i8042 *k);
/** The keyboard LEDs the guest set (PS2_LED_*). */
uint8_t i8042_leds(const struct i8042 *k);

#endif
