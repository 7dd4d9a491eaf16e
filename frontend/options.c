/*
 * options.c - parsing and validating ringzero's command line.
 */
#define _POSIX_C_SOURCE 200809L

#include "frontend/options.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RZ_VERSION "0.2.0"

/* -rtc default: 2000-01-01 00:00:00 UTC, fixed so runs repeat exactly. */
#define RZ_RTC_DEFAULT 946684800

_Noreturn void rz_fail(const char *fmt, ...)
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
        "  -m MIB              RAM size in MiB, 1..3584 (default 128; suffix M or G allowed)\n"
        "  -bios FILE          firmware image (a multiple of 4 KiB, at most 16 MiB), mapped\n"
        "                      read-only at the top of 4 GiB; its last 128 KiB are mapped\n"
        "                      again to end at 0x100000.  Default: the built-in demo ROM\n"
        "  -serial DEV         the next serial port (COM1, then COM2..COM4): stdio,\n"
        "                      file:PATH, null or none (no port).  Default: COM1 on stdio;\n"
        "                      a terminal there is raw (keys go to the guest, Ctrl-C\n"
        "                      too); Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A\n"
        "  -debugcon DEV       port 0xE9 output: stdio (default), none, or file:PATH\n"
        "  -rtc base=WHEN      the RTC's time at power-on: YYYY-MM-DDTHH:MM:SS (UTC),\n"
        "                      or utc for the host's time (default 2000-01-01T00:00:00,\n"
        "                      so runs are repeatable)\n"
        "  -no-reboot          a triple fault or a guest reset ends the run (status 8/10)\n"
        "  -display none       headless (the only display for now)\n"
        "  -nographic          headless, COM1 on stdio\n"
        "\n"
        "Direct kernel boot (no firmware runs):\n"
        "  -kernel FILE        a Linux bzImage (boot protocol 2.04+, 32-bit entry) or a\n"
        "                      Multiboot 1/2 image (ELF or a.out kludge)\n"
        "  -initrd FILE        Linux: the initial ramdisk.  Multiboot: modules, as\n"
        "                      \"file1 args,file2 args\" (QEMU's syntax; ,, is a comma)\n"
        "  -append CMDLINE     the kernel command line\n"
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
        "  Without -kernel, -entry or -entry32 the CPU starts at the reset vector.\n"
        "\n"
        "Run control and debugging:\n"
        "  --max-insns N       stop after N instructions (status 6); time spent halted\n"
        "                      counts as the instructions it stands for\n"
        "  --ips N             guest instructions per guest second (default 50000000):\n"
        "                      the virtual clock's rate, which timers and the TSC follow\n"
        "  --realtime          pace the virtual clock to the host's (interactive use;\n"
        "                      off by default, so runs are deterministic)\n"
        "  --stats             at exit print instructions, MIPS and decoded-cache hit rate\n"
        "  -d LIST             debug log categories, comma-separated: post (POST codes\n"
        "                      at port 80h), reset (resets and power-off), io (every port\n"
        "                      access); -d help lists them\n"
        "  -D FILE             write the debug log to FILE instead of stderr\n"
        "  --help, --version\n"
        "\n"
        "Numbers are decimal, or hexadecimal with 0x (CS:IP is always hexadecimal).\n"
        "Options may be written with one or two dashes.\n"
        "\n"
        "Exit status:\n"
        "  0             the guest powered the machine off (ACPI S5, or the Bochs\n"
        "                shutdown port 8900h), or Ctrl-A x on the serial terminal\n"
        "  (V << 1) | 1  the guest wrote V to the exit port 0xF4 (modulo 256)\n"
        "  2             bad command line or unreadable file (one-line error)\n"
        "  4             the guest halted for good: HLT with interrupts off, or with\n"
        "                interrupts on but no device that could raise one\n"
        "  6             the --max-insns budget ran out\n"
        "  8             triple fault with -no-reboot\n"
        "  10            the guest asked for a reset with -no-reboot\n",
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

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian), from the
 * usual era decomposition; no host time zone involved. */
static int64_t rz_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int64_t rz_parse_rtc(const char *arg)
{
    if (strncmp(arg, "base=", 5) != 0)
        rz_fail("-rtc: '%s' is not base=YYYY-MM-DDTHH:MM:SS or base=utc", arg);
    const char *w = arg + 5;
    if (strcmp(w, "utc") == 0)
        return (int64_t)time(NULL);
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    int date_end = -1, time_end = -1;
    /* The whole string must be a date, or a date and a time: nothing
     * may follow (%n records how far each form got). */
    sscanf(w, "%4u-%2u-%2u%n", &y, &mo, &d, &date_end);
    sscanf(w, "%4u-%2u-%2uT%2u:%2u:%2u%n", &y, &mo, &d, &h, &mi, &sec, &time_end);
    size_t len = strlen(w);
    if (time_end >= 0 && (size_t)time_end == len) {
        /* date and time */
    } else if (date_end >= 0 && (size_t)date_end == len) {
        h = mi = sec = 0;
    } else {
        rz_fail("-rtc: '%s' is not base=YYYY-MM-DDTHH:MM:SS or base=utc", arg);
    }
    static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1970 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
        mi > 59 || sec > 59 || (mo == 2 && d == 29 && y % 4 != 0))
        rz_fail("-rtc: '%s' is not a valid time between 1970 and 2099", w);
    return rz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

static unsigned rz_parse_log(const char *arg)
{
    static const struct {
        const char *name;
        unsigned mask;
    } cats[] = { { "post", PC_LOG_POST }, { "reset", PC_LOG_RESET }, { "cpu_reset", PC_LOG_RESET },
                  { "io", PC_LOG_IO } };
    if (strcmp(arg, "help") == 0) {
        printf("Log categories for -d:\n"
               "post       POST codes written to port 80h\n"
               "reset      guest resets and power-off requests, with their source\n"
               "cpu_reset  the same as reset (QEMU's name)\n"
               "io         every port access and interrupt acknowledge, with the\n"
               "           virtual time (instructions) it happened at\n");
        exit(0);
    }
    unsigned mask = 0;
    const char *p = arg;
    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        bool found = false;
        for (size_t k = 0; k < sizeof(cats) / sizeof(cats[0]); k++) {
            if (strlen(cats[k].name) == n && strncmp(p, cats[k].name, n) == 0) {
                mask |= cats[k].mask;
                found = true;
            }
        }
        if (!found)
            rz_fail("-d: unknown log category '%.*s' (try -d help)", (int)n, p);
        p += n;
        if (*p == ',')
            p++;
    }
    return mask;
}

/* The option's argument, or a usage error if it is missing. */
static const char *rz_arg(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        rz_fail("option %s needs an argument", argv[*i]);
    return argv[++*i];
}

void rz_parse(int argc, char **argv, struct rz_options *o)
{
    memset(o, 0, sizeof(*o));
    o->ram_mib = RZ_RAM_MIB_DEFAULT;
    o->debugcon = "stdio";
    o->rtc_start = RZ_RTC_DEFAULT;
    unsigned nserial = 0;
    bool serial_given = false;
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
            /* Headless is the only back-end so far; COM1 is on stdio
             * unless -serial says otherwise. */
        } else if (strcmp(opt, "-serial") == 0) {
            const char *d = rz_arg(argc, argv, &i);
            if (nserial == PC_SERIAL_PORTS)
                rz_fail("-serial: at most %d serial ports", PC_SERIAL_PORTS);
            if (strcmp(d, "stdio") != 0 && strcmp(d, "none") != 0 && strcmp(d, "null") != 0 &&
                !(strncmp(d, "file:", 5) == 0 && d[5] != '\0'))
                rz_fail("-serial: '%s' is not stdio, file:PATH, null or none", d);
            o->serial[nserial++] = strcmp(d, "none") == 0 ? NULL : d;
            serial_given = true;
        } else if (strcmp(opt, "-kernel") == 0) {
            o->kernel = rz_arg(argc, argv, &i);
        } else if (strcmp(opt, "-initrd") == 0) {
            o->initrd = rz_arg(argc, argv, &i);
        } else if (strcmp(opt, "-append") == 0) {
            o->append = rz_arg(argc, argv, &i);
        } else if (strcmp(opt, "-rtc") == 0) {
            o->rtc_start = rz_parse_rtc(rz_arg(argc, argv, &i));
        } else if (strcmp(opt, "-ips") == 0) {
            const char *e = rz_arg(argc, argv, &i);
            if (!rz_parse_num(e, 0, 100000000000ull, &v) || v < 1000)
                rz_fail("--ips: '%s' is not a rate between 1000 and 10^11", e);
            o->ips = v;
        } else if (strcmp(opt, "-realtime") == 0) {
            o->realtime = true;
        } else if (strcmp(opt, "-d") == 0) {
            o->log_mask |= rz_parse_log(rz_arg(argc, argv, &i));
        } else if (strcmp(opt, "-D") == 0) {
            o->log_path = rz_arg(argc, argv, &i);
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
    if (!serial_given)
        o->serial[0] = "stdio";
    if ((o->initrd != NULL || o->append != NULL) && o->kernel == NULL)
        rz_fail("%s needs -kernel", o->initrd != NULL ? "-initrd" : "-append");
    if (o->kernel != NULL && (o->entry_given || o->nflat != 0))
        rz_fail("-kernel cannot be combined with -entry, -entry32 or -flat");
    if (o->esp_given && !o->entry_given)
        rz_fail("-esp needs -entry or -entry32");
    if (o->entry.kind == BIOS_ENTRY_REAL && o->esp_given && o->esp > 0xFFFF)
        rz_fail("-esp: 0x%x does not fit SP in real mode", (unsigned)o->esp);
    o->entry.has_esp = o->esp_given;
    o->entry.esp = o->esp;
}

