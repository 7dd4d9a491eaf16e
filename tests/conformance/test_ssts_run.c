/*
 * test_ssts_run.c - end-to-end tests of the ssts-run binary (its path is
 * argv[1]) on small hand-built suites in a temporary directory: tests that
 * must pass, fail, be excluded or revoked, a truncated file, the exit
 * status, and the final summary line.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, popen */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "tests/conformance/moo.h"
#include "tests/conformance/moo_build.h"

/* What every test gets through cmocka's state pointer. */
struct ctx {
    char cmd[512];   /* the ssts-run command (emulator prefix, binary), quoted */
    char dir[64];    /* a fresh temporary directory */
};

/* Registers in MOO order: ax bx cx dx cs ss ds es sp bp si di ip flags. */
#define R_ALL 0x3FFFu
#define BIT(r) (1u << (r))

struct tcase {
    const char *name;
    uint8_t code[8];
    unsigned ncode;
    uint16_t init[MOO_NREGS];
    uint16_t fmask;                /* FINA registers */
    uint16_t fina[MOO_NREGS];      /* their values, in register order */
    unsigned nram;                 /* FINA RAM */
    uint32_t ram_addr[4];
    uint8_t ram_val[4];
    uint8_t hash;                  /* first byte of the (otherwise zero) hash */
};

static void put_case(struct moo_bld *w, uint32_t index, const struct tcase *c)
{
    mb_begin(w, "TEST");
    mb_put32(w, index);
    mb_begin(w, "NAME");
    mb_put32(w, (uint32_t)strlen(c->name));
    mb_putn(w, c->name, strlen(c->name));
    mb_end(w);
    mb_begin(w, "BYTS");
    mb_put32(w, c->ncode);
    mb_putn(w, c->code, c->ncode);
    mb_end(w);
    mb_begin(w, "INIT");
    mb_regs(w, R_ALL, c->init);
    uint32_t addr[8];
    uint8_t val[8];
    uint32_t at = ((uint32_t)c->init[MOO_CS] << 4) + c->init[MOO_IP];
    for (unsigned k = 0; k < c->ncode; k++) {
        addr[k] = at + k;
        val[k] = c->code[k];
    }
    mb_ram(w, c->ncode, addr, val);
    mb_end(w);
    mb_begin(w, "FINA");
    uint16_t fv[MOO_NREGS];
    unsigned n = 0;
    for (unsigned k = 0; k < MOO_NREGS; k++)
        if (c->fmask & BIT(k))
            fv[n++] = c->fina[k];
    mb_regs(w, c->fmask, fv);
    mb_ram(w, c->nram, c->ram_addr, c->ram_val);
    mb_end(w);
    mb_begin(w, "HASH");
    mb_put8(w, c->hash);
    for (unsigned k = 1; k < 20; k++)
        mb_put8(w, 0);
    mb_end(w);
    mb_end(w);
}

/* INC AX at 1000:0100 with AX = 1: AX = 2, FLAGS = 0002h (no flag set). */
static struct tcase inc_ax(void)
{
    struct tcase c = {"inc ax", {0x40, 0xF4}, 2,
                      {0x0001, 0x1111, 0x2222, 0x3333, 0x1000, 0x2000, 0x3000, 0x4000, 0x0100,
                       0x5555, 0x6666, 0x7777, 0x0100, 0x0002},
                      BIT(MOO_AX) | BIT(MOO_IP),
                      {[MOO_AX] = 0x0002, [MOO_IP] = 0x0102},
                      0, {0}, {0}, 1};
    return c;
}

/* MOV [0010h],AL with DS = 3000h, AL = 5Ah: writes 5Ah at 30010h. */
static struct tcase mov_mem(void)
{
    struct tcase c = {"mov [0010h],al", {0xA2, 0x10, 0x00, 0xF4}, 4,
                      {0x005A, 0, 0, 0, 0x1000, 0x2000, 0x3000, 0x4000, 0x0100, 0, 0, 0, 0x0200,
                       0x0002},
                      BIT(MOO_IP), {[MOO_IP] = 0x0204},
                      1, {0x30010}, {0x5A}, 2};
    return c;
}

static void write_file(const char *dir, const char *name, const uint8_t *b, size_t n, bool gz)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (gz) {
        uint8_t out[32768];
        z_stream zs;
        memset(&zs, 0, sizeof zs);
        assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                         Z_OK);
        zs.next_in = (Bytef *)(uintptr_t)b;
        zs.avail_in = (uInt)n;
        zs.next_out = out;
        zs.avail_out = sizeof out;
        assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
        assert_int_equal(fwrite(out, 1, zs.total_out, f), zs.total_out);
        deflateEnd(&zs);
    } else {
        assert_int_equal(fwrite(b, 1, n, f), n);
    }
    assert_int_equal(fclose(f), 0);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    write_file(dir, name, (const uint8_t *)text, strlen(text), false);
}

/* INC (40) leaves AF undefined here, so flipping AF must not matter; 41
 * has no mask. */
static const char metadata[] =
    "{\"opcodes\": {\"40\": {\"status\": \"normal\", \"flags-mask\": 65519},"
    " \"41\": {\"status\": \"normal\"}, \"A2\": {\"status\": \"normal\"}}}";

/* Run ssts-run, return its exit status and its whole stdout. */
static int run(const struct ctx *x, const char *args, char *out, size_t outlen)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", x->cmd, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static const char *last_line(const char *out)
{
    size_t n = strlen(out);
    while (n && out[n - 1] == '\n')
        n--;
    const char *p = out + n;
    while (p > out && p[-1] != '\n')
        p--;
    return p;
}

static void test_passing_suite(void **state)
{
    const struct ctx *x = *state;
    char dir[96];
    snprintf(dir, sizeof dir, "%s/good", x->dir);
    char mk[128];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", dir);
    assert_int_equal(system(mk), 0);
    write_text(dir, "metadata.json", metadata);
    /* Hash 0x77... is revoked. */
    write_text(dir, "revocation_list.txt",
               "# revoked\n7700000000000000000000000000000000000000\n");

    struct moo_bld w;
    memset(&w, 0, sizeof w);
    mb_header(&w, 4);
    struct tcase a = inc_ax();
    put_case(&w, 0, &a);
    struct tcase b = inc_ax(); /* AF flipped: masked for 40 */
    b.fmask |= BIT(MOO_FLAGS);
    b.fina[MOO_FLAGS] = 0x0012;
    b.hash = 3;
    put_case(&w, 1, &b);
    /* LOCK INC AX: the 286 ignores LOCK; a P6 raises #UD: excluded. */
    struct tcase c = inc_ax();
    c.name = "lock inc ax";
    c.code[0] = 0xF0;
    c.code[1] = 0x40;
    c.code[2] = 0xF4;
    c.ncode = 3;
    c.fina[MOO_IP] = 0x0103;
    c.hash = 4;
    put_case(&w, 2, &c);
    struct tcase d = inc_ax(); /* revoked, and wrong: must not count */
    d.fina[MOO_AX] = 0x0BAD;
    d.hash = 0x77;
    put_case(&w, 3, &d);
    write_file(dir, "40.MOO", w.b, w.n, false);

    memset(&w, 0, sizeof w);
    mb_header(&w, 1);
    struct tcase e = mov_mem();
    put_case(&w, 0, &e);
    write_file(dir, "A2.MOO.gz", w.b, w.n, true);

    char out[16384], args[256];
    snprintf(args, sizeof args, "'%s'", dir);
    int st = run(x, args, out, sizeof out);
    assert_non_null(strstr(out, "40.MOO: 2 passed, 0 failed, 1 excluded, 1 revoked\n"));
    assert_non_null(strstr(out, "A2.MOO.gz: 1 passed, 0 failed\n"));
    assert_non_null(strstr(out, "excluded: 1 (see tests/conformance/exclusions.c)\n"));
    assert_string_equal(last_line(out), "3 passed, 0 failed\n");
    assert_int_equal(st, 0);
}

static void test_failing_suite(void **state)
{
    const struct ctx *x = *state;
    char dir[96];
    snprintf(dir, sizeof dir, "%s/bad", x->dir);
    char mk[128];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", dir);
    assert_int_equal(system(mk), 0);
    write_text(dir, "metadata.json", metadata);
    write_text(dir, "revocation_list.txt", "");

    struct moo_bld w;
    memset(&w, 0, sizeof w);
    mb_header(&w, 3);
    struct tcase a = inc_ax(); /* wrong result */
    a.fina[MOO_AX] = 0x0003;
    put_case(&w, 0, &a);
    struct tcase b = inc_ax(); /* INC CX (41) with AF flipped: not masked */
    b.name = "inc cx";
    b.code[0] = 0x41;
    b.fmask = BIT(MOO_CX) | BIT(MOO_IP) | BIT(MOO_FLAGS);
    b.fina[MOO_CX] = 0x2223;
    b.fina[MOO_FLAGS] = 0x0012;
    put_case(&w, 1, &b);
    struct tcase c = inc_ax(); /* AX changes but FINA does not list it */
    c.fmask = BIT(MOO_IP);
    put_case(&w, 2, &c);
    write_file(dir, "40.MOO", w.b, w.n, false);

    memset(&w, 0, sizeof w);
    mb_header(&w, 1);
    struct tcase e = mov_mem(); /* the write is not listed: a stray write */
    e.nram = 0;
    put_case(&w, 0, &e);
    write_file(dir, "A2.MOO", w.b, w.n, false);

    memset(&w, 0, sizeof w);
    mb_header(&w, 1);
    struct tcase f = inc_ax();
    put_case(&w, 0, &f);
    write_file(dir, "B0.MOO", w.b, w.n - 7, false); /* truncated */

    char out[16384], args[256];
    snprintf(args, sizeof args, "--min-pass 0 '%s'", dir);
    int st = run(x, args, out, sizeof out);
    assert_non_null(strstr(out, "40.MOO: 0 passed, 3 failed\n"));
    assert_non_null(strstr(out, "ax: expected 0003, got 0002"));
    assert_non_null(strstr(out, "flags: expected 0012, got 0002"));
    assert_non_null(strstr(out, "ax: expected 0001, got 0002"));
    assert_non_null(strstr(out, "A2.MOO: 0 passed, 1 failed\n"));
    assert_non_null(strstr(out, "unexpected write: RAM 030010 = 5A"));
    assert_non_null(strstr(out, "B0.MOO: error: "));
    assert_string_equal(last_line(out), "0 passed, 5 failed\n");
    assert_int_equal(st, 1); /* a file error fails whatever the bar */
}

static void test_bad_directory(void **state)
{
    const struct ctx *x = *state;
    char out[4096];
    assert_int_equal(run(x, "/nonexistent/ssts-dir", out, sizeof out), 2);
    assert_non_null(strstr(out, "/nonexistent/ssts-dir"));
    assert_int_equal(run(x, "--min-pass abc /tmp", out, sizeof out), 2);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_ssts_run PATH-TO-ssts-run [EMULATOR ARGS...]\n");
        return 2;
    }
    /* Cross builds pass CMAKE_CROSSCOMPILING_EMULATOR after the binary:
     * ssts-run is started through it. */
    struct ctx x = {"", "/tmp/ssts-run-test-XXXXXX"};
    size_t o = 0;
    for (int k = 2; k <= argc; k++) {
        const char *a = argv[k == argc ? 1 : k];
        o += (size_t)snprintf(x.cmd + o, sizeof x.cmd - o, "%s'%s'", o ? " " : "", a);
        if (o >= sizeof x.cmd) {
            fprintf(stderr, "test_ssts_run: command line too long\n");
            return 2;
        }
    }
    if (!mkdtemp(x.dir)) {
        perror("mkdtemp");
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_passing_suite, &x),
        cmocka_unit_test_prestate(test_failing_suite, &x),
        cmocka_unit_test_prestate(test_bad_directory, &x),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (getenv("SSTS_KEEP"))
        return rc; /* keep the suites for a look */
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf '%s'", x.dir);
    if (system(rm) != 0)
        fprintf(stderr, "could not remove %s\n", x.dir);
    return rc;
}
