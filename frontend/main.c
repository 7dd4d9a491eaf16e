/*
 * main.c - ringzero's command line: parse and validate the options into
 * one configuration, build the board, run it, turn the outcome into an
 * exit status.
 *
 * Host-side bad input (unknown option, missing file, value out of range)
 * is one line "ringzero: error: ..." on stderr and exit status 2; nothing
 * is run.  Guest outcomes have their own statuses (see usage()).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bios/bios.h"
#include "cpu/cpu.h"
#include "devices/pc.h"

#define RZ_VERSION "0.1.0"

enum {
    RZ_STATUS_USAGE = 2,     /* host-side bad input */
    RZ_STATUS_HALT = 4,      /* the guest halted for good */
    RZ_STATUS_BUDGET = 6,    /* --max-insns exhausted */
    RZ_STATUS_SHUTDOWN = 8   /* triple fault with -no-reboot */
};

#define RZ_MAX_FLAT 16
#define RZ_RAM_MIB_DEFAULT 32u
#define RZ_RAM_MIB_MAX 3584u

struct rz_flat {
    const char *path;
    uint32_t addr;
};

struct rz_options {
    uint32_t ram_mib;
    const char *bios_path;
    const char *debugcon; /* "stdio", "none" or "file:PATH" */
    struct rz_flat flat[RZ_MAX_FLAT];
    unsigned nflat;
    struct bios_entry entry;
    bool entry_given;
    bool esp_given;
    uint32_t esp;
    uint64_t max_insns; /* 0: no limit */
    bool stats;
    bool no_reboot;
};

/* What the reset hook needs: the firmware image and the entry state. */
struct rz_boot {
    const uint8_t *rom;
    uint32_t rom_size;
    uint32_t ram_size;
    struct bios_entry entry;
};

static _Noreturn void rz_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("ringzero: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(RZ_STATUS_USAGE);
}

static void rz_usage(FILE *f)
{
    fputs(
        "usage: ringzero [options]\n"
        "An IA-32 PC emulator (Pentium II class, interpreted).  With no options it\n"
        "runs the built-in demo ROM, which prints primes to the debug console and\n"
        "exits with status 1.\n"
        "\n"
        "Machine:\n"
        "  -m MIB              RAM size in MiB, 1..3584 (default 32; suffix M or G allowed)\n"
        "  -bios FILE          firmware image (a multiple of 4 KiB, at most 16 MiB), mapped\n"
        "                      read-only at the top of 4 GiB; its last 128 KiB are mapped\n"
        "                      again to end at 0x100000.  Default: the built-in demo ROM\n"
        "  -no-reboot          a triple fault stops the run (status 8) instead of a reset\n"
        "  -debugcon DEV       port 0xE9 output: stdio (default), none, or file:PATH\n"
        "  -display none       headless (the only display for now); -nographic likewise\n"
        "\n"
        "Direct loading (for tests and bare-metal programs):\n"
        "  -flat FILE@ADDR     copy FILE into RAM at ADDR (repeatable, up to 16)\n"
        "  -entry CS:IP        start in real mode at CS:IP (hexadecimal, as in a debugger);\n"
        "                      DS=ES=FS=GS=SS=0, SP=7C00, interrupts off\n"
        "  -entry32 EIP        start in flat 32-bit protected mode at EIP: CR0.PE=1, all\n"
        "                      segments base 0 limit 4 GiB (selectors 08h code, 10h data)\n"
        "                      in the descriptor caches, GDTR/IDTR empty, interrupts off,\n"
        "                      ESP = top of RAM\n"
        "  -esp N              initial (E)SP with -entry or -entry32\n"
        "  Without -entry/-entry32 the CPU starts at the reset vector F000:FFF0.\n"
        "\n"
        "Run control:\n"
        "  --max-insns N       stop after N retired instructions (status 6)\n"
        "  --stats             at exit print instructions, MIPS and decoded-cache hit rate\n"
        "  --help, --version\n"
        "\n"
        "Numbers are decimal, or hexadecimal with 0x (CS:IP is always hexadecimal).\n"
        "Options may be written with one or two dashes.\n"
        "\n"
        "Exit status:\n"
        "  (V << 1) | 1  the guest wrote V to the exit port 0xF4 (modulo 256)\n"
        "  2             bad command line or unreadable file (one-line error)\n"
        "  4             the guest halted for good: HLT with interrupts off, or with\n"
        "                interrupts on but no device that could raise one\n"
        "  6             the --max-insns budget ran out\n"
        "  8             triple fault with -no-reboot\n",
        f);
}

/* An unsigned number: 0x-prefixed hexadecimal or decimal, <= max. */
static bool rz_parse_num(const char *s, int base, uint64_t max, uint64_t *out)
{
    if (base == 0) {
        base = 10;
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
            base = 16;
            s += 2;
        }
    } else if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
    }
    if (*s == '\0')
        return false;
    uint64_t v = 0;
    for (; *s != '\0'; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return false;
        if (v > (max - d) / (unsigned)base)
            return false;
        v = v * (unsigned)base + d;
    }
    *out = v;
    return true;
}

static uint32_t rz_parse_ram(const char *s)
{
    char buf[32];
    size_t n = strlen(s);
    uint64_t scale = 1;
    if (n == 0 || n >= sizeof(buf))
        rz_fail("-m: '%s' is not a RAM size in MiB", s);
    memcpy(buf, s, n + 1);
    if (buf[n - 1] == 'M' || buf[n - 1] == 'm') {
        buf[n - 1] = '\0';
    } else if (buf[n - 1] == 'G' || buf[n - 1] == 'g') {
        buf[n - 1] = '\0';
        scale = 1024;
    }
    uint64_t v;
    if (!rz_parse_num(buf, 0, UINT32_MAX, &v))
        rz_fail("-m: '%s' is not a RAM size in MiB", s);
    v *= scale;
    if (v < 1 || v > RZ_RAM_MIB_MAX)
        rz_fail("-m: %s is out of range (1..%u MiB)", s, RZ_RAM_MIB_MAX);
    return (uint32_t)v;
}

static void rz_parse_flat(struct rz_options *o, const char *arg)
{
    const char *at = strrchr(arg, '@');
    uint64_t addr;
    if (at == NULL || at == arg)
        rz_fail("-flat: '%s' is not FILE@ADDR", arg);
    if (!rz_parse_num(at + 1, 0, UINT32_MAX, &addr))
        rz_fail("-flat: '%s' is not a valid address in '%s'", at + 1, arg);
    if (o->nflat == RZ_MAX_FLAT)
        rz_fail("-flat: at most %d files", RZ_MAX_FLAT);
    size_t n = (size_t)(at - arg);
    char *path = malloc(n + 1);
    if (path == NULL)
        rz_fail("out of memory");
    memcpy(path, arg, n);
    path[n] = '\0';
    o->flat[o->nflat].path = path;
    o->flat[o->nflat].addr = (uint32_t)addr;
    o->nflat++;
}

static void rz_parse_entry16(struct rz_options *o, const char *arg)
{
    const char *colon = strchr(arg, ':');
    char seg[16];
    uint64_t cs, ip;
    if (colon == NULL || (size_t)(colon - arg) >= sizeof(seg))
        rz_fail("-entry: '%s' is not CS:IP", arg);
    memcpy(seg, arg, (size_t)(colon - arg));
    seg[colon - arg] = '\0';
    if (!rz_parse_num(seg, 16, 0xFFFF, &cs) || !rz_parse_num(colon + 1, 16, 0xFFFF, &ip))
        rz_fail("-entry: '%s' is not CS:IP (two hexadecimal numbers up to FFFF)", arg);
    o->entry.kind = BIOS_ENTRY_REAL;
    o->entry.cs = (uint16_t)cs;
    o->entry.eip = (uint32_t)ip;
}

/* The option's argument, or a usage error if it is missing. */
static const char *rz_arg(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        rz_fail("option %s needs an argument", argv[*i]);
    return argv[++*i];
}

static void rz_parse(int argc, char **argv, struct rz_options *o)
{
    memset(o, 0, sizeof(*o));
    o->ram_mib = RZ_RAM_MIB_DEFAULT;
    o->debugcon = "stdio";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        uint64_t v;
        /* QEMU accepts -opt and --opt alike. */
        const char *opt = (a[0] == '-' && a[1] == '-') ? a + 1 : a;
        if (strcmp(opt, "-help") == 0 || strcmp(opt, "-h") == 0) {
            rz_usage(stdout);
            exit(0);
        } else if (strcmp(opt, "-version") == 0) {
            printf("ringzero %s\n", RZ_VERSION);
            exit(0);
        } else if (strcmp(opt, "-m") == 0) {
            o->ram_mib = rz_parse_ram(rz_arg(argc, argv, &i));
        } else if (strcmp(opt, "-bios") == 0) {
            o->bios_path = rz_arg(argc, argv, &i);
        } else if (strcmp(opt, "-debugcon") == 0) {
            const char *d = rz_arg(argc, argv, &i);
            if (strcmp(d, "stdio") != 0 && strcmp(d, "none") != 0 && strcmp(d, "null") != 0 &&
                !(strncmp(d, "file:", 5) == 0 && d[5] != '\0'))
                rz_fail("-debugcon: '%s' is not stdio, none or file:PATH", d);
            o->debugcon = d;
        } else if (strcmp(opt, "-display") == 0) {
            const char *d = rz_arg(argc, argv, &i);
            if (strcmp(d, "none") != 0)
                rz_fail("-display: '%s' is not available (only 'none' for now)", d);
        } else if (strcmp(opt, "-nographic") == 0) {
            /* Headless is the only back-end so far. */
        } else if (strcmp(opt, "-no-reboot") == 0) {
            o->no_reboot = true;
        } else if (strcmp(opt, "-flat") == 0) {
            rz_parse_flat(o, rz_arg(argc, argv, &i));
        } else if (strcmp(opt, "-entry") == 0 || strcmp(opt, "-entry32") == 0) {
            const char *e = rz_arg(argc, argv, &i);
            if (o->entry_given)
                rz_fail("%s: only one -entry or -entry32 may be given", a);
            o->entry_given = true;
            if (strcmp(opt, "-entry") == 0) {
                rz_parse_entry16(o, e);
            } else {
                if (!rz_parse_num(e, 0, UINT32_MAX, &v))
                    rz_fail("-entry32: '%s' is not an address", e);
                o->entry.kind = BIOS_ENTRY_FLAT32;
                o->entry.eip = (uint32_t)v;
            }
        } else if (strcmp(opt, "-esp") == 0) {
            const char *e = rz_arg(argc, argv, &i);
            if (!rz_parse_num(e, 0, UINT32_MAX, &v))
                rz_fail("-esp: '%s' is not a number", e);
            o->esp_given = true;
            o->esp = (uint32_t)v;
        } else if (strcmp(opt, "-max-insns") == 0) {
            const char *e = rz_arg(argc, argv, &i);
            if (!rz_parse_num(e, 0, UINT64_MAX, &v) || v == 0)
                rz_fail("--max-insns: '%s' is not a positive number", e);
            o->max_insns = v;
        } else if (strcmp(opt, "-stats") == 0) {
            o->stats = true;
        } else if (a[0] == '-') {
            rz_fail("unknown option '%s' (try --help)", a);
        } else {
            rz_fail("unexpected argument '%s' (try --help)", a);
        }
    }
    if (o->esp_given && !o->entry_given)
        rz_fail("-esp needs -entry or -entry32");
    if (o->entry.kind == BIOS_ENTRY_REAL && o->esp_given && o->esp > 0xFFFF)
        rz_fail("-esp: 0x%x does not fit SP in real mode", (unsigned)o->esp);
    o->entry.has_esp = o->esp_given;
    o->entry.esp = o->esp;
}

/* The whole file, or a usage error naming `what`. */
static uint8_t *rz_read_file(const char *what, const char *path, size_t limit, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        rz_fail("%s: cannot open '%s': %s", what, path, strerror(errno));
    size_t cap = 65536, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (buf == NULL)
            rz_fail("out of memory reading '%s'", path);
        n += fread(buf + n, 1, cap - n, f);
        if (ferror(f))
            rz_fail("%s: cannot read '%s': %s", what, path, strerror(errno));
        if (n < cap)
            break;
        if (cap > limit)
            rz_fail("%s: '%s' is larger than %zu bytes", what, path, limit);
        cap *= 2;
        uint8_t *nb = realloc(buf, cap);
        if (nb == NULL)
            free(buf);
        buf = nb;
    }
    fclose(f);
    *size = n;
    return buf;
}

static void rz_reset_hook(void *opaque, struct pc *pc)
{
    const struct rz_boot *b = opaque;
    bios_apply_entry(pc_cpu(pc), b->ram_size, &b->entry);
}

static double rz_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void rz_print_stats(struct cpu *cpu, double seconds)
{
    struct cpu_stats st;
    cpu_get_stats(cpu, &st);
    uint64_t lookups = st.icache_hits + st.icache_misses;
    double mips = seconds > 0 ? (double)st.insns / seconds / 1e6 : 0.0;
    double hit = lookups ? 100.0 * (double)st.icache_hits / (double)lookups : 0.0;
    fprintf(stderr,
            "ringzero: stats: %llu instructions in %.3f s, %.2f MIPS, decoded-cache hit rate "
            "%.2f%% (%llu/%llu)\n",
            (unsigned long long)st.insns, seconds, mips, hit,
            (unsigned long long)st.icache_hits, (unsigned long long)lookups);
}

/* Exit status and one-line report for the run's outcome. */
static int rz_outcome(const struct pc_result *r, const struct rz_options *o)
{
    switch (r->kind) {
    case PC_EXIT_PORT:
        return (int)((r->value << 1 | 1u) & 0xFFu);
    case PC_EXIT_DEAD_HALT:
        fprintf(stderr, "ringzero: guest halted with interrupts disabled at %04X:%08X (dead halt)\n",
                r->cs, r->eip);
        return RZ_STATUS_HALT;
    case PC_EXIT_IDLE_HALT:
        fprintf(stderr,
                "ringzero: guest halted at %04X:%08X with interrupts enabled, but no device can "
                "raise one (treated as a dead halt)\n",
                r->cs, r->eip);
        return RZ_STATUS_HALT;
    case PC_EXIT_BUDGET:
        fprintf(stderr, "ringzero: instruction budget of %llu exhausted at %04X:%08X\n",
                (unsigned long long)o->max_insns, r->cs, r->eip);
        return RZ_STATUS_BUDGET;
    case PC_EXIT_SHUTDOWN:
        if (r->shutdown[0] != '\0')
            fprintf(stderr, "ringzero: %s (stopped by -no-reboot)\n", r->shutdown);
        else if (r->exc.valid)
            fprintf(stderr,
                    "ringzero: triple fault at %04X:%08X (last exception: vector %u error %#x "
                    "at %04X:%08X); stopped by -no-reboot\n",
                    r->cs, r->eip, r->exc.vector, (unsigned)r->exc.error, r->exc.cs, r->exc.eip);
        else
            fprintf(stderr, "ringzero: triple fault at %04X:%08X; stopped by -no-reboot\n", r->cs,
                    r->eip);
        return RZ_STATUS_SHUTDOWN;
    }
    return RZ_STATUS_USAGE;
}

int main(int argc, char **argv)
{
    struct rz_options o;
    rz_parse(argc, argv, &o);

    struct rz_boot boot = { 0 };
    boot.ram_size = o.ram_mib << 20;
    boot.entry = o.entry;
    if (o.bios_path != NULL) {
        size_t n;
        boot.rom = rz_read_file("-bios", o.bios_path, BIOS_ROM_MAX, &n);
        if (!bios_rom_size_ok(n))
            rz_fail("-bios: '%s' is %zu bytes; a firmware image must be a non-zero multiple of "
                    "4 KiB up to 16 MiB",
                    o.bios_path, n);
        boot.rom_size = (uint32_t)n;
    } else {
        boot.rom = bios_demo_rom;
        boot.rom_size = (uint32_t)bios_demo_rom_size;
    }
    /* Read every image before building the machine, so bad input costs
     * nothing and leaves no half-made state. */
    uint8_t *flat[RZ_MAX_FLAT];
    size_t flat_size[RZ_MAX_FLAT];
    for (unsigned k = 0; k < o.nflat; k++) {
        flat[k] = rz_read_file("-flat", o.flat[k].path, boot.ram_size, &flat_size[k]);
        if (o.flat[k].addr > boot.ram_size || flat_size[k] > boot.ram_size - o.flat[k].addr)
            rz_fail("-flat: '%s' (%zu bytes at %#x) does not fit in %u MiB of RAM",
                    o.flat[k].path, flat_size[k], (unsigned)o.flat[k].addr, (unsigned)o.ram_mib);
    }

    FILE *con = NULL;
    bool close_con = false;
    if (strcmp(o.debugcon, "stdio") == 0) {
        con = stdout;
    } else if (strncmp(o.debugcon, "file:", 5) == 0) {
        con = fopen(o.debugcon + 5, "wb");
        if (con == NULL)
            rz_fail("-debugcon: cannot create '%s': %s", o.debugcon + 5, strerror(errno));
        close_con = true;
    }

    const struct pc_config cfg = { boot.ram_size, con, o.no_reboot };
    struct pc *pc = pc_create(&cfg);
    if (pc == NULL)
        rz_fail("cannot create a machine with %u MiB of RAM: out of memory", (unsigned)o.ram_mib);
    if (bios_map_rom(pc_mmu(pc), boot.rom, boot.rom_size) != 0)
        rz_fail("-bios: cannot map a %u-byte image below 4 GiB", (unsigned)boot.rom_size);
    pc_set_reset_hook(pc, rz_reset_hook, &boot);
    pc_reset(pc);
    for (unsigned k = 0; k < o.nflat; k++) {
        if (bios_load_flat(pc_mmu(pc), o.flat[k].addr, flat[k], flat_size[k]) != 0)
            rz_fail("-flat: cannot load '%s' at %#x", o.flat[k].path, (unsigned)o.flat[k].addr);
        free(flat[k]);
        free((char *)o.flat[k].path);
    }

    double t0 = rz_seconds();
    struct pc_result res;
    pc_run(pc, o.max_insns, &res);
    double t1 = rz_seconds();

    fflush(stdout);
    int status = rz_outcome(&res, &o);
    if (o.stats)
        rz_print_stats(pc_cpu(pc), t1 - t0);
    pc_destroy(pc);
    if (close_con && fclose(con) != 0)
        fprintf(stderr, "ringzero: warning: -debugcon file: %s\n", strerror(errno));
    if (o.bios_path != NULL)
        free((void *)boot.rom);
    return status;
}
