/*
 * uart.h - the National/TI PC16550D UART (the PC's COM1..COM4), with
 * 16-byte FIFOs, transmit timing on the virtual clock and a host
 * character back-end (devices/chardev.h).
 *
 * Eight byte-wide registers at base..base+7 (DLAB = LCR bit 7):
 *   +0  RBR (read) / THR (write); DLL when DLAB = 1
 *   +1  IER;                      DLM when DLAB = 1
 *   +2  IIR (read) / FCR (write)
 *   +3  LCR   +4  MCR   +5  LSR   +6  MSR   +7  SCR
 *
 * The board's PC wiring: 0x3F8/IRQ 4, 0x2F8/IRQ 3, 0x3E8/IRQ 4,
 * 0x2E8/IRQ 3.  The IRQ output is a level: high while an enabled
 * interrupt is pending and MCR OUT2 is 1 (OUT2 gates the interrupt driver
 * on a PC's serial card).  In loopback mode the gate still follows MCR
 * bit 3, as on the Super I/O chips of i440FX-era boards, where it is
 * internal; only the OUT2 pin is forced inactive there.
 *
 * Behaviour chosen where the datasheet leaves a value open:
 *   - the divisor latch is not changed by RESET and is undefined at power
 *     on; it starts at 12 (9600 baud, what a PC BIOS programs), so a
 *     guest that never sets it still gets a working, paced port;
 *   - divisor 0 is outside the datasheet's range (1 .. 2^16 - 1): the
 *     baud generator then produces no clock, so the transmitter and the
 *     receiver timeout stand still until a valid divisor is loaded;
 *   - the host side of the modem lines reads as CTS, DSR and DCD asserted
 *     and RI off (a null-modem cable to a ready terminal), whether or not
 *     a back-end is attached;
 *   - host input arrives at once (it is not paced at the baud rate): the
 *     board hands over only as many bytes as the receiver has room for.
 */
#ifndef DEVICES_UART_H
#define DEVICES_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bus;
struct clock;
struct irq_line;
struct chardev;
struct uart;

/* The 16550's reference crystal on a PC: the baud rate is this / (16 *
 * divisor). */
#define UART_XTAL_HZ 1843200u
#define UART_FIFO_SIZE 16u

/**
 * A UART at ports base..base+7 driving `irq` (may be NULL), timed by
 * `clk`, sending to and receiving from `cd` (may be NULL: nothing
 * attached; not owned).  In its RESET state.  NULL if a port is taken or
 * out of memory.
 */
struct uart *uart_create(struct bus *bus, uint16_t base, struct clock *clk, struct irq_line *irq,
                         struct chardev *cd);

/** Cancel its clock events and free it (its ports stay claimed: destroy
 * the bus too).  A byte still being shifted out is lost.  NULL-safe. */
void uart_destroy(struct uart *u);

/** Master reset (datasheet table "UART reset configuration"): IER, FCR,
 * LCR, MCR cleared, FIFOs and the shift registers emptied, LSR = 60h,
 * MSR deltas cleared, IRQ low.  The divisor latch and SCR keep their
 * values. */
void uart_reset(struct uart *u);

/**
 * Host -> guest bytes: stores as many as the receiver has room for (16
 * minus the FIFO's fill level with FIFOs on, 1 if RBR is empty with them
 * off, none in loopback mode, where the serial input is disconnected) and
 * returns that count.  The data-ready, trigger-level and timeout
 * interrupts follow.
 */
size_t uart_receive(struct uart *u, const uint8_t *buf, size_t len);

/** How many bytes uart_receive() would accept now. */
size_t uart_rx_room(const struct uart *u);

/** Whether uart_receive() would accept at least one byte. */
bool uart_can_receive(const struct uart *u);

/**
 * A break condition from the host (the line held spacing for a character
 * time or more): a zero character with BI set enters the receiver, which
 * raises the line status interrupt when it reaches the top of the FIFO.
 * False in loopback mode (nothing happens) or if the receiver was full:
 * that is an overrun, and the break character is lost in FIFO mode or
 * replaces RBR in 16450 mode, as any received character would.
 */
bool uart_receive_break(struct uart *u);

#endif
