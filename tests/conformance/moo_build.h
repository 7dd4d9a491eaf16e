/*
 * moo_build.h - a tiny MOO writer for the conformance unit tests: bytes
 * with nested chunks whose lengths are patched when a chunk ends.
 */
#ifndef TESTS_CONFORMANCE_MOO_BUILD_H
#define TESTS_CONFORMANCE_MOO_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct moo_bld {
    uint8_t b[16384];
    size_t n;
    size_t open[8];
    int depth;
};

static inline void mb_put8(struct moo_bld *w, uint8_t v) { w->b[w->n++] = v; }
static inline void mb_put16(struct moo_bld *w, uint16_t v)
{
    mb_put8(w, (uint8_t)v);
    mb_put8(w, (uint8_t)(v >> 8));
}
static inline void mb_put32(struct moo_bld *w, uint32_t v)
{
    mb_put16(w, (uint16_t)v);
    mb_put16(w, (uint16_t)(v >> 16));
}
static inline void mb_putn(struct moo_bld *w, const void *p, size_t n)
{
    memcpy(w->b + w->n, p, n);
    w->n += n;
}
static inline void mb_begin(struct moo_bld *w, const char *id)
{
    mb_putn(w, id, 4);
    w->open[w->depth++] = w->n;
    mb_put32(w, 0);
}
static inline void mb_end(struct moo_bld *w)
{
    size_t at = w->open[--w->depth];
    uint32_t len = (uint32_t)(w->n - at - 4);
    w->b[at] = (uint8_t)len;
    w->b[at + 1] = (uint8_t)(len >> 8);
    w->b[at + 2] = (uint8_t)(len >> 16);
    w->b[at + 3] = (uint8_t)(len >> 24);
}

/** The MOO header chunk. */
static inline void mb_header(struct moo_bld *w, uint32_t count)
{
    mb_begin(w, "MOO ");
    mb_put8(w, 1);
    mb_put8(w, 1);
    mb_put16(w, 0);
    mb_put32(w, count);
    mb_putn(w, "C286", 4);
    mb_end(w);
}

/** A REGS chunk from a mask and the values of the set bits, in order. */
static inline void mb_regs(struct moo_bld *w, uint16_t mask, const uint16_t *v)
{
    mb_begin(w, "REGS");
    mb_put16(w, mask);
    for (unsigned k = 0, i = 0; k < 16; k++)
        if (mask & (1u << k))
            mb_put16(w, v[i++]);
    mb_end(w);
}

/** A RAM chunk from address/value pairs. */
static inline void mb_ram(struct moo_bld *w, unsigned n, const uint32_t *addr, const uint8_t *val)
{
    mb_begin(w, "RAM ");
    mb_put32(w, n);
    for (unsigned k = 0; k < n; k++) {
        mb_put32(w, addr[k]);
        mb_put8(w, val[k]);
    }
    mb_end(w);
}

#endif
