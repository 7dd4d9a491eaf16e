/*
 * moo.c - MOO chunk parser and gzip inflation (see moo.h).
 */
#include "tests/conformance/moo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

const char *const moo_reg_names[MOO_NREGS] = {"ax", "bx", "cx", "dx", "cs", "ss", "ds",
                                              "es", "sp", "bp", "si", "di", "ip", "flags"};

/* A decompressed MOO file above this is treated as corrupt (the largest
 * published files are a few hundred MiB with bus cycles; ours far less). */
#define MOO_MAX_INFLATED (1024u * 1024u * 1024u)

static uint16_t moo_le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t moo_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void moo_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || !errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* A cursor over a chunk sequence: next() yields one chunk or reports a
 * header/length that does not fit. */
struct moo_cursor {
    const uint8_t *p;
    size_t left;
};

/* Returns 1 with a chunk, 0 at the clean end, -1 on a truncated chunk. */
static int moo_next(struct moo_cursor *c, char id[5], const uint8_t **payload, uint32_t *len)
{
    if (c->left == 0)
        return 0;
    if (c->left < 8)
        return -1;
    memcpy(id, c->p, 4);
    id[4] = '\0';
    *len = moo_le32(c->p + 4);
    if (*len > c->left - 8)
        return -1;
    *payload = c->p + 8;
    c->p += 8 + (size_t)*len;
    c->left -= 8 + (size_t)*len;
    return 1;
}

static int moo_parse_regs16(const uint8_t *p, uint32_t len, struct moo_regs *r)
{
    if (len < 2)
        return -1;
    memset(r, 0, sizeof *r);
    r->mask = moo_le16(p);
    if (r->mask >> MOO_NREGS)
        return -1;
    uint32_t off = 2;
    for (unsigned k = 0; k < MOO_NREGS; k++) {
        if (!(r->mask & (1u << k)))
            continue;
        if (off + 2 > len)
            return -1;
        r->v[k] = moo_le16(p + off);
        off += 2;
    }
    return 0;
}

static int moo_parse_regs32(const uint8_t *p, uint32_t len, struct moo_regs32 *r)
{
    if (len < 4)
        return -1;
    memset(r, 0, sizeof *r);
    r->mask = moo_le32(p);
    if (r->mask >> MOO32_NREGS)
        return -1;
    uint32_t off = 4;
    for (unsigned k = 0; k < MOO32_NREGS; k++) {
        if (!(r->mask & (1u << k)))
            continue;
        if (off + 4 > len)
            return -1;
        r->v[k] = moo_le32(p + off);
        off += 4;
    }
    return 0;
}

/* INIT or FINA: nested REGS / RG32 / RMSK / RM32 / RAM chunks. */
static int moo_parse_state(const uint8_t *p, uint32_t len, struct moo_state *s, char *err,
                           size_t errlen, const char *what)
{
    struct moo_cursor c = {p, len};
    char id[5];
    const uint8_t *q;
    uint32_t n;
    int rc;
    while ((rc = moo_next(&c, id, &q, &n)) == 1) {
        if (!memcmp(id, "REGS", 4)) {
            if (moo_parse_regs16(q, n, &s->regs)) {
                moo_err(err, errlen, "%s REGS chunk malformed", what);
                return -1;
            }
            s->has_regs = true;
        } else if (!memcmp(id, "RMSK", 4)) {
            if (moo_parse_regs16(q, n, &s->rmsk)) {
                moo_err(err, errlen, "%s RMSK chunk malformed", what);
                return -1;
            }
            s->has_rmsk = true;
        } else if (!memcmp(id, "RG32", 4)) {
            if (moo_parse_regs32(q, n, &s->regs32)) {
                moo_err(err, errlen, "%s RG32 chunk malformed", what);
                return -1;
            }
            s->has_regs32 = true;
        } else if (!memcmp(id, "RM32", 4)) {
            if (moo_parse_regs32(q, n, &s->rmsk32)) {
                moo_err(err, errlen, "%s RM32 chunk malformed", what);
                return -1;
            }
            s->has_rmsk32 = true;
        } else if (!memcmp(id, "RAM ", 4)) {
            if (n < 4) {
                moo_err(err, errlen, "%s RAM chunk too short", what);
                return -1;
            }
            uint32_t cnt = moo_le32(q);
            if (cnt > (n - 4) / 5) {
                moo_err(err, errlen, "%s RAM chunk: %u entries do not fit in %u bytes", what,
                        cnt, n);
                return -1;
            }
            s->ram_count = cnt;
            s->ram = q + 4;
        }
        /* Unknown ids are skipped by design. */
    }
    if (rc < 0) {
        moo_err(err, errlen, "%s: truncated chunk", what);
        return -1;
    }
    return 0;
}

/* NAME and BYTS: u32 length then the data, within the payload. */
static int moo_parse_blob(const uint8_t *q, uint32_t n, const uint8_t **data, uint32_t *dlen)
{
    if (n < 4)
        return -1;
    uint32_t l = moo_le32(q);
    if (l > n - 4)
        return -1;
    *data = q + 4;
    *dlen = l;
    return 0;
}

static int moo_parse_test(const uint8_t *p, uint32_t len, struct moo_test *t, char *err,
                          size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (len < 4) {
        moo_err(err, errlen, "TEST chunk too short");
        return -1;
    }
    t->index = moo_le32(p);
    struct moo_cursor c = {p + 4, len - 4};
    char id[5];
    const uint8_t *q;
    uint32_t n;
    int rc;
    bool have_init = false, have_fina = false;
    while ((rc = moo_next(&c, id, &q, &n)) == 1) {
        if (!memcmp(id, "NAME", 4)) {
            const uint8_t *d;
            if (moo_parse_blob(q, n, &d, &t->name_len)) {
                moo_err(err, errlen, "test %u: NAME chunk malformed", t->index);
                return -1;
            }
            t->name = (const char *)d;
        } else if (!memcmp(id, "BYTS", 4)) {
            if (moo_parse_blob(q, n, &t->bytes, &t->nbytes)) {
                moo_err(err, errlen, "test %u: BYTS chunk malformed", t->index);
                return -1;
            }
        } else if (!memcmp(id, "INIT", 4) || !memcmp(id, "FINA", 4)) {
            bool init = id[0] == 'I';
            char what[32];
            snprintf(what, sizeof what, "test %u %s", t->index, init ? "INIT" : "FINA");
            if (moo_parse_state(q, n, init ? &t->init : &t->fina, err, errlen, what))
                return -1;
            if (init)
                have_init = true;
            else
                have_fina = true;
        } else if (!memcmp(id, "EXCP", 4)) {
            if (n < 5) {
                moo_err(err, errlen, "test %u: EXCP chunk too short", t->index);
                return -1;
            }
            t->has_excp = true;
            t->excp_vector = q[0];
            t->excp_addr = moo_le32(q + 1);
        } else if (!memcmp(id, "HASH", 4)) {
            if (n < 20) {
                moo_err(err, errlen, "test %u: HASH chunk too short", t->index);
                return -1;
            }
            t->has_hash = true;
            memcpy(t->hash, q, 20);
        } else if (!memcmp(id, "RMSK", 4)) {
            /* A test-level mask applies to the final state. */
            if (moo_parse_regs16(q, n, &t->fina.rmsk)) {
                moo_err(err, errlen, "test %u: RMSK chunk malformed", t->index);
                return -1;
            }
            t->fina.has_rmsk = true;
        }
        /* Anything else (GMET, CYCL, QUEU, ...) is skipped by design. */
    }
    if (rc < 0) {
        moo_err(err, errlen, "test %u: truncated sub-chunk", t->index);
        return -1;
    }
    if (!have_init || !have_fina || !t->bytes) {
        moo_err(err, errlen, "test %u: missing %s chunk", t->index,
                !have_init ? "INIT" : !have_fina ? "FINA" : "BYTS");
        return -1;
    }
    if (!t->init.has_regs && !t->init.has_regs32) {
        moo_err(err, errlen, "test %u: INIT has no registers", t->index);
        return -1;
    }
    return 0;
}

int moo_parse(const uint8_t *buf, size_t len, struct moo_file *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct moo_cursor c = {buf, len};
    char id[5];
    const uint8_t *q;
    uint32_t n;
    int rc;
    size_t cap = 0;
    bool have_header = false;
    while ((rc = moo_next(&c, id, &q, &n)) == 1) {
        if (!memcmp(id, "MOO ", 4)) {
            if (n < 12) {
                moo_err(err, errlen, "MOO header too short");
                goto fail;
            }
            out->major = q[0];
            out->minor = q[1];
            out->declared_count = moo_le32(q + 4);
            memcpy(out->cpu_id, q + 8, 4);
            out->cpu_id[4] = '\0';
            have_header = true;
            if (out->major != 1) {
                moo_err(err, errlen, "unsupported MOO version %u.%u", out->major, out->minor);
                goto fail;
            }
            /* Sanity bound before allocating: each test needs > 8 bytes. */
            if (out->declared_count > len / 8) {
                moo_err(err, errlen, "header declares %u tests in %zu bytes",
                        out->declared_count, len);
                goto fail;
            }
        } else if (!have_header) {
            moo_err(err, errlen, "file does not start with a MOO header");
            goto fail;
        } else if (!memcmp(id, "META", 4)) {
            /* u8 version, u8 cpu type, u32 opcode, char[8] mnemonic,
             * u32 test count, u64 seed, u8 mode, u8[3] reserved. */
            if (n >= 14) {
                out->has_meta = true;
                out->opcode = moo_le32(q + 2);
                memcpy(out->mnemonic, q + 6, 8);
                out->mnemonic[8] = '\0';
                if (n >= 27)
                    out->cpu_mode = q[26];
            }
        } else if (!memcmp(id, "RMSK", 4)) {
            if (moo_parse_regs16(q, n, &out->rmsk)) {
                moo_err(err, errlen, "top-level RMSK chunk malformed");
                goto fail;
            }
            out->has_rmsk = true;
        } else if (!memcmp(id, "TEST", 4)) {
            if (out->ntests == cap) {
                cap = cap ? cap * 2 : (out->declared_count ? out->declared_count : 64);
                struct moo_test *nt = realloc(out->tests, cap * sizeof *nt);
                if (!nt) {
                    moo_err(err, errlen, "out of memory");
                    goto fail;
                }
                out->tests = nt;
            }
            if (moo_parse_test(q, n, &out->tests[out->ntests], err, errlen))
                goto fail;
            out->ntests++;
        }
    }
    if (rc < 0) {
        moo_err(err, errlen, "truncated chunk after %zu tests", out->ntests);
        goto fail;
    }
    if (!have_header) {
        moo_err(err, errlen, "no MOO header");
        goto fail;
    }
    if (out->ntests != out->declared_count) {
        moo_err(err, errlen, "header declares %u tests, file holds %zu", out->declared_count,
                out->ntests);
        goto fail;
    }
    return 0;
fail:
    moo_free(out);
    return -1;
}

void moo_free(struct moo_file *f)
{
    free(f->tests);
    memset(f, 0, sizeof *f);
}

int moo_gunzip(const uint8_t *in, size_t inlen, uint8_t **out, size_t *outlen, char *err,
               size_t errlen)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* 32 + MAX_WBITS: detect gzip or zlib headers automatically. */
    if (inflateInit2(&zs, 32 + MAX_WBITS) != Z_OK) {
        moo_err(err, errlen, "inflateInit failed");
        return -1;
    }
    size_t cap = inlen * 4 + 4096, used = 0, pos = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        inflateEnd(&zs);
        moo_err(err, errlen, "out of memory");
        return -1;
    }
    for (;;) {
        if (used == cap) {
            if (cap >= MOO_MAX_INFLATED) {
                moo_err(err, errlen, "inflated size exceeds %u bytes", MOO_MAX_INFLATED);
                goto fail;
            }
            cap *= 2;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                moo_err(err, errlen, "out of memory");
                goto fail;
            }
            buf = nb;
        }
        size_t in_now = inlen - pos > 0x40000000u ? 0x40000000u : inlen - pos;
        size_t out_now = cap - used > 0x40000000u ? 0x40000000u : cap - used;
        zs.next_in = (Bytef *)(uintptr_t)(in + pos);
        zs.avail_in = (uInt)in_now;
        zs.next_out = buf + used;
        zs.avail_out = (uInt)out_now;
        int zr = inflate(&zs, Z_NO_FLUSH);
        pos += in_now - zs.avail_in;
        used += out_now - zs.avail_out;
        if (zr == Z_STREAM_END) {
            if (pos == inlen)
                break;
            /* gzip allows concatenated members. */
            if (inflateReset(&zs) != Z_OK) {
                moo_err(err, errlen, "inflateReset failed");
                goto fail;
            }
            continue;
        }
        if (zr == Z_OK)
            continue;
        if (zr == Z_BUF_ERROR && zs.avail_out == 0)
            continue; /* output full: grow and go on */
        if (zr == Z_BUF_ERROR && pos == inlen) {
            moo_err(err, errlen, "truncated compressed data");
            goto fail;
        }
        moo_err(err, errlen, "corrupt compressed data (%s)", zs.msg ? zs.msg : "zlib error");
        goto fail;
    }
    inflateEnd(&zs);
    *out = buf;
    *outlen = used;
    return 0;
fail:
    inflateEnd(&zs);
    free(buf);
    return -1;
}
