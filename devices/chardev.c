/*
 * chardev.c - host character back-ends (stdio, null, file) for the serial
 * ports.  Output goes through a stdio stream, flushed at '\n' and on
 * request; input is a file descriptor probed with poll(2) so that the
 * emulator never blocks on the host.
 *
 * "stdio" on a terminal puts the terminal in raw mode, as QEMU's
 * -nographic does: every key goes to the guest as typed (Ctrl-C
 * included), the guest does the echoing, and Ctrl-A x quits (Ctrl-A
 * Ctrl-A sends one Ctrl-A).  The terminal's settings come back at
 * chardev_close().
 */
#define _POSIX_C_SOURCE 200809L

#include "devices/chardev.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define CHARDEV_ESCAPE 0x01 /* Ctrl-A */

struct chardev {
    FILE *out;      /* NULL: output discarded */
    bool owns_out;  /* a file we opened: closed by chardev_close */
    int in_fd;      /* -1: no input */
    bool in_eof;    /* the input has ended for good */
    bool raw;       /* a terminal we put in raw mode: `saved` restores it */
    struct termios saved;
    bool escape;    /* the last key was Ctrl-A */
    bool quit;      /* Ctrl-A x was typed */
};

/* Raw input on the terminal at `fd`, keeping output processing (the
 * guest's "\r\n" stays as it is either way). */
static void chardev_make_raw(struct chardev *cd, int fd)
{
    if (!isatty(fd) || tcgetattr(fd, &cd->saved) != 0)
        return;
    struct termios t = cd->saved;
    t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &t) == 0)
        cd->raw = true;
}

static void chardev_error(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

struct chardev *chardev_open_stream(int in_fd, FILE *out)
{
    struct chardev *cd = calloc(1, sizeof(*cd));
    if (cd == NULL)
        return NULL;
    cd->out = out;
    cd->owns_out = false;
    cd->in_fd = in_fd < 0 ? -1 : in_fd;
    cd->in_eof = cd->in_fd < 0;
    return cd;
}

struct chardev *chardev_open(const char *spec, char *err, size_t errlen)
{
    if (spec == NULL) {
        chardev_error(err, errlen, "no serial back-end given");
        return NULL;
    }
    if (strcmp(spec, "stdio") == 0) {
        struct chardev *cd = chardev_open_stream(STDIN_FILENO, stdout);
        if (cd == NULL)
            chardev_error(err, errlen, "out of memory");
        else
            chardev_make_raw(cd, STDIN_FILENO);
        return cd;
    }
    if (strcmp(spec, "null") == 0 || strcmp(spec, "none") == 0) {
        struct chardev *cd = chardev_open_stream(-1, NULL);
        if (cd == NULL)
            chardev_error(err, errlen, "out of memory");
        return cd;
    }
    if (strncmp(spec, "file:", 5) == 0) {
        const char *path = spec + 5;
        if (path[0] == '\0') {
            chardev_error(err, errlen, "serial back-end 'file:' needs a path (file:PATH)");
            return NULL;
        }
        FILE *f = fopen(path, "wb");
        if (f == NULL) {
            chardev_error(err, errlen, "cannot open serial output file '%s': %s", path,
                          strerror(errno));
            return NULL;
        }
        struct chardev *cd = chardev_open_stream(-1, f);
        if (cd == NULL) {
            fclose(f);
            chardev_error(err, errlen, "out of memory");
            return NULL;
        }
        cd->owns_out = true;
        return cd;
    }
    chardev_error(err, errlen, "unknown serial back-end '%s' (expected stdio, null, none or file:PATH)",
                  spec);
    return NULL;
}

void chardev_close(struct chardev *cd)
{
    if (cd == NULL)
        return;
    if (cd->out != NULL) {
        if (cd->owns_out)
            fclose(cd->out);
        else
            fflush(cd->out);
    }
    if (cd->raw)
        tcsetattr(cd->in_fd, TCSANOW, &cd->saved);
    free(cd);
}

void chardev_write(struct chardev *cd, uint8_t byte)
{
    if (cd == NULL || cd->out == NULL)
        return;
    fputc(byte, cd->out);
    if (byte == '\n')
        fflush(cd->out);
}

void chardev_flush(struct chardev *cd)
{
    if (cd != NULL && cd->out != NULL)
        fflush(cd->out);
}

/* The terminal's escape: Ctrl-A x quits, Ctrl-A Ctrl-A is one Ctrl-A,
 * Ctrl-A and anything else is dropped.  Filters buf[0..n) in place and
 * returns what is left for the guest. */
static size_t chardev_keys(struct chardev *cd, uint8_t *buf, size_t n)
{
    size_t kept = 0;
    for (size_t k = 0; k < n; k++) {
        uint8_t c = buf[k];
        if (cd->escape) {
            cd->escape = false;
            if (c == 'x' || c == 'X')
                cd->quit = true;
            else if (c == CHARDEV_ESCAPE)
                buf[kept++] = c;
        } else if (c == CHARDEV_ESCAPE) {
            cd->escape = true;
        } else {
            buf[kept++] = c;
        }
    }
    return kept;
}

bool chardev_quit_requested(const struct chardev *cd) { return cd != NULL && cd->quit; }

size_t chardev_read(struct chardev *cd, uint8_t *buf, size_t max)
{
    if (cd == NULL || cd->in_eof || max == 0)
        return 0;
    struct pollfd pfd = { .fd = cd->in_fd, .events = POLLIN };
    int ready = poll(&pfd, 1, 0);
    if (ready <= 0)
        return 0; /* nothing yet, or EINTR: try again later */
    if (pfd.revents & POLLNVAL) {
        cd->in_eof = true;
        return 0;
    }
    /* POLLHUP and POLLERR also make read() return at once: data still
     * buffered in a closed pipe first, then end of file. */
    ssize_t got = read(cd->in_fd, buf, max);
    if (got > 0)
        return cd->raw ? chardev_keys(cd, buf, (size_t)got) : (size_t)got;
    if (got < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    cd->in_eof = true;
    return 0;
}

bool chardev_has_input(const struct chardev *cd)
{
    return cd != NULL && !cd->in_eof;
}
