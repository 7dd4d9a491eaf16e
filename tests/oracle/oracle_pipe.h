/*
 * oracle_pipe.h - whole-record reads and writes on the pipes between the
 * oracle driver and its native helper (both processes include it).
 */
#ifndef TESTS_ORACLE_ORACLE_PIPE_H
#define TESTS_ORACLE_ORACLE_PIPE_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

/** Read exactly n bytes: 1 when done, 0 at end of file, -1 on error. */
static inline int oracle_read_full(int fd, void *buf, size_t n)
{
    uint8_t *p = buf;
    while (n > 0) {
        ssize_t k = read(fd, p, n);
        if (k == 0)
            return 0;
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

/** Write exactly n bytes: 0 when done, -1 on error. */
static inline int oracle_write_full(int fd, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

#endif
