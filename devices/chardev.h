/*
 * chardev.h - host character back-ends: where a serial port's bytes go
 * and where its input comes from.  The spellings are QEMU's -serial ones.
 *
 * Output is buffered and flushed at each '\n' and whenever the device
 * calls chardev_flush() (a UART does when its transmitter goes idle), so a
 * script reading the output line by line sees each line as soon as the
 * guest has sent it, without a system call per byte.  Input is read
 * without blocking.
 */
#ifndef DEVICES_CHARDEV_H
#define DEVICES_CHARDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct chardev;

/**
 * Open a back-end from its -serial spelling:
 *   "stdio"        output to stdout, input from stdin (a terminal is put
 *                  in raw mode until chardev_close(); Ctrl-A x quits);
 *   "null", "none" output discarded, no input;
 *   "file:PATH"    output to PATH (created or truncated), no input.
 * NULL on a bad spec or a file that cannot be opened, with a one-line
 * reason (no trailing newline) in err[errlen] (err may be NULL).
 */
struct chardev *chardev_open(const char *spec, char *err, size_t errlen);

/**
 * A back-end on streams the caller already has: input from file
 * descriptor `in_fd` (-1: none), output to `out` (NULL: discarded).
 * Neither is closed by chardev_close().  NULL on allocation failure.
 */
struct chardev *chardev_open_stream(int in_fd, FILE *out);

/** Flush and release (a file back-end's file is closed).  NULL-safe. */
void chardev_close(struct chardev *cd);

/** Send one byte to the host; a '\n' flushes the output. */
void chardev_write(struct chardev *cd, uint8_t byte);

/** Push buffered output to the host now. */
void chardev_flush(struct chardev *cd);

/**
 * Read up to `max` bytes of host input without blocking (poll(2) on the
 * descriptor): the count read, 0 if nothing is ready now.  End of file
 * (or a read error) ends the input for good.
 */
size_t chardev_read(struct chardev *cd, uint8_t *buf, size_t max);

/** Ctrl-A x was typed on the terminal behind a "stdio" back-end (the
 * user wants out). */
bool chardev_quit_requested(const struct chardev *cd);

/** Whether input can still arrive: false for null and file back-ends,
 * and for stdio once stdin has reached end of file. */
bool chardev_has_input(const struct chardev *cd);

#endif
