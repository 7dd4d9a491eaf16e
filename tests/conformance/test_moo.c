/*
 * test_moo.c - unit tests of the MOO parser and gzip inflation on
 * hand-built in-memory files, including truncated and corrupt ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "tests/conformance/moo.h"

/* A little byte builder with chunk nesting. */
struct bld {
    uint8_t b[4096];
    size_t n;
    size_t open[8];
    int depth;
};

static void put8(struct bld *w, uint8_t v) { w->b[w->n++] = v; }
static void put16(struct bld *w, uint16_t v)
{
    put8(w, (uint8_t)v);
    put8(w, (uint8_t)(v >> 8));
}
static void put32(struct bld *w, uint32_t v)
{
    put16(w, (uint16_t)v);
    put16(w, (uint16_t)(v >> 16));
}
static void putn(struct bld *w, const void *p, size_t n)
{
    memcpy(w->b + w->n, p, n);
    w->n += n;
}
static void begin(struct bld *w, const char *id)
{
    putn(w, id, 4);
    w->open[w->depth++] = w->n;
    put32(w, 0);
}
static void end(struct bld *w)
{
    size_t at = w->open[--w->depth];
    uint32_t len = (uint32_t)(w->n - at - 4);
    w->b[at] = (uint8_t)len;
    w->b[at + 1] = (uint8_t)(len >> 8);
    w->b[at + 2] = (uint8_t)(len >> 16);
    w->b[at + 3] = (uint8_t)(len >> 24);
}

static void build_test(struct bld *w, uint32_t index, bool with_excp)
{
    begin(w, "TEST");
    put32(w, index);
    begin(w, "GMET"); /* unknown: must be skipped */
    put32(w, 0xDEADBEEF);
    end(w);
    begin(w, "NAME");
    put32(w, 8);
    putn(w, "inc ax\0\0", 8);
    end(w);
    begin(w, "BYTS");
    put32(w, 2);
    put8(w, 0x40);
    put8(w, 0xF4);
    end(w);
    begin(w, "INIT");
    begin(w, "REGS");
    put16(w, 0x3FFF);
    for (uint16_t k = 0; k < MOO_NREGS; k++)
        put16(w, (uint16_t)(0x1000 + k));
    end(w);
    begin(w, "RAM ");
    put32(w, 2);
    put32(w, 0x10100);
    put8(w, 0x40);
    put32(w, 0x10101);
    put8(w, 0xF4);
    end(w);
    end(w);
    begin(w, "FINA");
    begin(w, "REGS");
    put16(w, (1u << MOO_AX) | (1u << MOO_IP) | (1u << MOO_FLAGS));
    put16(w, 0x1001);
    put16(w, 0x0103);
    put16(w, 0x0002);
    end(w);
    begin(w, "RAM ");
    put32(w, 1);
    put32(w, 0x20000);
    put8(w, 0x7F);
    end(w);
    end(w);
    if (with_excp) {
        begin(w, "EXCP");
        put8(w, 6);
        put32(w, 0x12344);
        end(w);
    }
    begin(w, "HASH");
    for (uint8_t k = 0; k < 20; k++)
        put8(w, k);
    end(w);
    end(w);
}

static size_t build_file(struct bld *w, uint32_t declared, unsigned ntests)
{
    memset(w, 0, sizeof *w);
    begin(w, "MOO ");
    put8(w, 1);
    put8(w, 1);
    put16(w, 0);
    put32(w, declared);
    putn(w, "C286", 4);
    end(w);
    begin(w, "META");
    put8(w, 1);
    put8(w, 0);
    put32(w, 0x40);
    putn(w, "inc     ", 8);
    put32(w, ntests);
    put32(w, 1);
    put32(w, 0);
    put8(w, 0);
    put8(w, 0);
    put8(w, 0);
    put8(w, 0);
    end(w);
    begin(w, "XTRA"); /* unknown top-level chunk */
    put32(w, 1);
    end(w);
    for (unsigned k = 0; k < ntests; k++)
        build_test(w, k, k == 1);
    return w->n;
}

static void test_parse_ok(void **state)
{
    (void)state;
    struct bld w;
    size_t n = build_file(&w, 2, 2);
    struct moo_file f;
    char err[128] = "";
    assert_int_equal(moo_parse(w.b, n, &f, err, sizeof err), 0);
    assert_int_equal(f.major, 1);
    assert_int_equal(f.minor, 1);
    assert_string_equal(f.cpu_id, "C286");
    assert_true(f.has_meta);
    assert_int_equal(f.opcode, 0x40);
    assert_string_equal(f.mnemonic, "inc     ");
    assert_int_equal(f.ntests, 2);
    const struct moo_test *t = &f.tests[0];
    assert_int_equal(t->index, 0);
    assert_int_equal(t->name_len, 8);
    assert_memory_equal(t->name, "inc ax", 6);
    assert_int_equal(t->nbytes, 2);
    assert_int_equal(t->bytes[0], 0x40);
    assert_true(t->init.has_regs);
    assert_int_equal(t->init.regs.mask, 0x3FFF);
    assert_int_equal(t->init.regs.v[MOO_AX], 0x1000);
    assert_int_equal(t->init.regs.v[MOO_FLAGS], 0x100D);
    assert_int_equal(t->init.ram_count, 2);
    assert_int_equal(moo_ram_addr(&t->init, 1), 0x10101);
    assert_int_equal(moo_ram_val(&t->init, 1), 0xF4);
    assert_int_equal(t->fina.regs.mask, (1u << MOO_AX) | (1u << MOO_IP) | (1u << MOO_FLAGS));
    assert_int_equal(t->fina.regs.v[MOO_AX], 0x1001);
    assert_int_equal(t->fina.regs.v[MOO_IP], 0x0103);
    assert_int_equal(t->fina.regs.v[MOO_FLAGS], 0x0002);
    assert_int_equal(t->fina.regs.v[MOO_BX], 0); /* absent: not set */
    assert_int_equal(t->fina.ram_count, 1);
    assert_int_equal(moo_ram_addr(&t->fina, 0), 0x20000);
    assert_int_equal(moo_ram_val(&t->fina, 0), 0x7F);
    assert_false(t->has_excp);
    assert_true(t->has_hash);
    assert_int_equal(t->hash[19], 19);
    assert_true(f.tests[1].has_excp);
    assert_int_equal(f.tests[1].excp_vector, 6);
    assert_int_equal(f.tests[1].excp_addr, 0x12344);
    moo_free(&f);
    assert_null(f.tests);
}

/* Every proper prefix of a valid file is an error, never a crash or an
 * out-of-bounds read (run under ASan: cmake -DRZ_SANITIZE=ON). */
static void test_truncated_everywhere(void **state)
{
    (void)state;
    struct bld w;
    size_t n = build_file(&w, 2, 2);
    for (size_t cut = 0; cut < n; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1); /* exact size: ASan sees overreads */
        assert_non_null(copy);
        memcpy(copy, w.b, cut);
        struct moo_file f;
        char err[128] = "";
        assert_int_equal(moo_parse(copy, cut, &f, err, sizeof err), -1);
        assert_true(err[0] != '\0');
        assert_int_equal(f.ntests, 0);
        free(copy);
    }
}

static void test_corrupt_lengths(void **state)
{
    (void)state;
    struct bld w;
    size_t n = build_file(&w, 2, 2);
    struct moo_file f;
    char err[128];

    /* The first TEST's length made huge. */
    struct bld c = w;
    size_t test_at = 0;
    for (size_t k = 0; k + 4 <= n; k++)
        if (!memcmp(c.b + k, "TEST", 4)) {
            test_at = k;
            break;
        }
    assert_true(test_at > 0);
    c.b[test_at + 7] = 0x7F;
    assert_int_equal(moo_parse(c.b, n, &f, err, sizeof err), -1);

    /* A RAM count larger than its chunk. */
    c = w;
    size_t ram_at = 0;
    for (size_t k = 0; k + 4 <= n; k++)
        if (!memcmp(c.b + k, "RAM ", 4)) {
            ram_at = k;
            break;
        }
    assert_true(ram_at > 0);
    c.b[ram_at + 8] = 0xFF; /* count low byte */
    assert_int_equal(moo_parse(c.b, n, &f, err, sizeof err), -1);
    assert_non_null(strstr(err, "RAM"));

    /* A REGS mask with more registers than values. */
    c = w;
    size_t regs_at = 0;
    for (size_t k = 0; k + 4 <= n; k++)
        if (!memcmp(c.b + k, "FINA", 4)) {
            regs_at = k + 8;
            break;
        }
    assert_memory_equal(c.b + regs_at, "REGS", 4);
    c.b[regs_at + 8] = 0xFF;
    c.b[regs_at + 9] = 0x3F;
    assert_int_equal(moo_parse(c.b, n, &f, err, sizeof err), -1);

    /* Declared count differs from the tests present. */
    n = build_file(&w, 3, 2);
    assert_int_equal(moo_parse(w.b, n, &f, err, sizeof err), -1);
    assert_non_null(strstr(err, "declares"));

    /* Not a MOO file at all. */
    assert_int_equal(moo_parse((const uint8_t *)"NOPE\0\0\0\0", 8, &f, err, sizeof err), -1);
}

/* Random byte corruption (a fixed-seed LCG, so the run is repeatable):
 * the parser either accepts the file or reports an error, and every test
 * it accepts stays inside the buffer. */
static void test_random_corruption(void **state)
{
    (void)state;
    struct bld w;
    size_t n = build_file(&w, 2, 2);
    uint32_t seed = 12345;
    unsigned accepted = 0;
    for (unsigned iter = 0; iter < 20000; iter++) {
        uint8_t *copy = malloc(n);
        assert_non_null(copy);
        memcpy(copy, w.b, n);
        unsigned flips = 1 + iter % 4;
        for (unsigned k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % n;
            seed = seed * 1103515245u + 12345u;
            copy[at] ^= (uint8_t)(1u << ((seed >> 16) & 7));
        }
        struct moo_file f;
        char err[128];
        if (moo_parse(copy, n, &f, err, sizeof err) == 0) {
            accepted++;
            for (size_t k = 0; k < f.ntests; k++) {
                const struct moo_test *t = &f.tests[k];
                assert_true(t->bytes >= copy && t->bytes + t->nbytes <= copy + n);
                for (uint32_t r = 0; r < t->fina.ram_count; r++)
                    (void)moo_ram_val(&t->fina, r);
                for (uint32_t r = 0; r < t->init.ram_count; r++)
                    (void)moo_ram_val(&t->init, r);
            }
            moo_free(&f);
        }
        free(copy);
    }
    /* Flips inside values (not lengths or ids) leave valid files. */
    assert_true(accepted > 0);
}

static size_t gzip_mem(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                     Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t len = zs.total_out;
    deflateEnd(&zs);
    return len;
}

static void test_gunzip(void **state)
{
    (void)state;
    struct bld w;
    size_t n = build_file(&w, 2, 2);
    uint8_t gz[8192];
    size_t gzn = gzip_mem(w.b, n, gz, sizeof gz);
    uint8_t *out = NULL;
    size_t outn = 0;
    char err[128];
    assert_int_equal(moo_gunzip(gz, gzn, &out, &outn, err, sizeof err), 0);
    assert_int_equal(outn, n);
    assert_memory_equal(out, w.b, n);
    free(out);

    /* Two concatenated members inflate to both payloads. */
    uint8_t two[16384];
    memcpy(two, gz, gzn);
    memcpy(two + gzn, gz, gzn);
    assert_int_equal(moo_gunzip(two, 2 * gzn, &out, &outn, err, sizeof err), 0);
    assert_int_equal(outn, 2 * n);
    free(out);

    /* Every truncation of the compressed stream is an error. */
    for (size_t cut = 0; cut < gzn; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        assert_non_null(copy);
        memcpy(copy, gz, cut);
        out = NULL;
        assert_int_equal(moo_gunzip(copy, cut, &out, &outn, err, sizeof err), -1);
        assert_null(out);
        free(copy);
    }

    /* Corrupt deflate data. */
    uint8_t bad[8192];
    memcpy(bad, gz, gzn);
    for (size_t k = 12; k < gzn - 8; k++)
        bad[k] ^= 0x5A;
    assert_int_equal(moo_gunzip(bad, gzn, &out, &outn, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_corrupt_lengths),
        cmocka_unit_test(test_random_corruption),
        cmocka_unit_test(test_gunzip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
