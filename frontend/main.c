/*
 * main.c - ringzero's entry point: read every image the options name,
 * build the board, load the firmware or the kernel, run it, and turn the
 * outcome into an exit status.
 *
 * Host-side bad input (unknown option, missing file, corrupt image, value
 * out of range) is one line "ringzero: error: ..." on stderr and exit
 * status 2; nothing is run.  Guest outcomes have their own statuses (see
 * --help).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bios/acpi.h"
#include "bios/bios.h"
#include "bios/linux.h"
#include "bios/multiboot.h"
#include "cpu/cpu.h"
#include "devices/chardev.h"
#include "devices/clock.h"
#include "devices/pc.h"
#include "frontend/options.h"
#include "mmu/mmu.h"

#define RZ_MAX_MODULES 32
#define RZ_IMAGE_MAX (1024u << 20) /* no kernel, initrd or module is larger */

enum rz_kernel_kind { RZ_KERNEL_NONE, RZ_KERNEL_LINUX, RZ_KERNEL_MULTIBOOT };

/* What the reset hook needs to put the machine in its entry state again
 * after every reset: the firmware image, or the kernel and what goes with
 * it (reloaded each time, as the guest may have overwritten it). */
struct rz_boot {
    const uint8_t *rom;
    uint32_t rom_size;
    uint32_t ram_size;
    struct bios_entry entry;
    enum rz_kernel_kind kind;
    struct linux_boot linux;
    struct mb_boot mb;
    struct mb_module modules[RZ_MAX_MODULES];
};

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

/* Load the kernel (and the ACPI tables a direct boot publishes) into
 * `mmu` and, when `cpu` is given, put the CPU in its entry state.
 * Returns 0, or -1 with a one-line reason in err. */
static int rz_load_kernel(const struct rz_boot *b, struct mmu *mmu, struct cpu *cpu, char *err,
                          size_t errlen)
{
    if (acpi_build_tables(mmu, b->ram_size) != 0) {
        snprintf(err, errlen, "cannot write the ACPI tables at 0xE0000");
        return -1;
    }
    if (b->kind == RZ_KERNEL_LINUX) {
        struct linux_entry le;
        if (linux_load(mmu, b->ram_size, &b->linux, &le, err, errlen) != 0)
            return -1;
        if (cpu != NULL)
            linux_apply_entry(cpu, &le);
        return 0;
    }
    struct bios_entry e;
    uint32_t eax, ebx;
    if (mb_load(mmu, b->ram_size, &b->mb, &e, &eax, &ebx, err, errlen) != 0)
        return -1;
    if (cpu != NULL)
        mb_apply_entry(cpu, b->ram_size, &e, eax, ebx);
    return 0;
}

static void rz_reset_hook(void *opaque, struct pc *pc)
{
    const struct rz_boot *b = opaque;
    char err[256];
    if (b->kind == RZ_KERNEL_NONE) {
        bios_apply_entry(pc_cpu(pc), b->ram_size, &b->entry);
        return;
    }
    /* Checked once before anything was created (rz_check_kernel), so a
     * failure here can only be running out of memory. */
    if (rz_load_kernel(b, pc_mmu(pc), pc_cpu(pc), err, sizeof(err)) != 0)
        rz_fail("-kernel: %s", err);
}

/* Load the kernel once into a scratch address space of the same size, so
 * that a refused image is reported before any output file is created. */
static void rz_check_kernel(const struct rz_boot *b)
{
    struct mmu *mmu = mmu_create(b->ram_size);
    if (mmu == NULL)
        rz_fail("cannot create %u MiB of RAM: out of memory", (unsigned)(b->ram_size >> 20));
    char err[256];
    int r = rz_load_kernel(b, mmu, NULL, err, sizeof(err));
    mmu_destroy(mmu);
    if (r != 0)
        rz_fail("-kernel: %s", err);
}

/* Everything rz_prepare_kernel and the -bios reader allocated. */
static void rz_boot_free(struct rz_boot *b)
{
    if (b->kind == RZ_KERNEL_LINUX) {
        free((void *)b->linux.kernel);
        free((void *)b->linux.initrd);
    } else if (b->kind == RZ_KERNEL_MULTIBOOT) {
        free((void *)b->mb.image);
        free((void *)b->mb.cmdline);
        for (unsigned k = 0; k < b->mb.nmodules; k++) {
            free((void *)b->modules[k].data);
            free((void *)b->modules[k].cmdline);
        }
    }
}

/* Multiboot modules from -initrd, in QEMU's syntax: "file args,file2 args"
 * where ",," stands for a literal comma.  Each module is read whole. */
static unsigned rz_read_modules(struct rz_boot *b, const char *spec)
{
    unsigned n = 0;
    const char *p = spec;
    while (*p != '\0') {
        if (n == RZ_MAX_MODULES)
            rz_fail("-initrd: at most %d multiboot modules", RZ_MAX_MODULES);
        size_t len = strlen(p);
        char *item = malloc(len + 1);
        if (item == NULL)
            rz_fail("out of memory");
        size_t k = 0;
        for (; *p != '\0'; p++) {
            if (*p == ',' && p[1] == ',') {
                item[k++] = ',';
                p++;
            } else if (*p == ',') {
                p++;
                break;
            } else {
                item[k++] = *p;
            }
        }
        item[k] = '\0';
        char *space = strchr(item, ' ');
        if (space != NULL)
            *space = '\0';
        if (item[0] == '\0')
            rz_fail("-initrd: empty module name in '%s'", spec);
        size_t size;
        b->modules[n].data = rz_read_file("-initrd", item, RZ_IMAGE_MAX, &size);
        b->modules[n].size = size;
        /* A module's string is its whole entry, file name included, as
         * GRUB and QEMU pass it. */
        if (space != NULL)
            *space = ' ';
        b->modules[n].cmdline = item;
        n++;
    }
    return n;
}

static void rz_prepare_kernel(struct rz_boot *b, const struct rz_options *o)
{
    size_t ksize;
    uint8_t *kernel = rz_read_file("-kernel", o->kernel, RZ_IMAGE_MAX, &ksize);
    if (linux_is_bzimage(kernel, ksize)) {
        b->kind = RZ_KERNEL_LINUX;
        b->linux.kernel = kernel;
        b->linux.kernel_size = ksize;
        b->linux.cmdline = o->append;
        if (o->initrd != NULL) {
            size_t isize;
            b->linux.initrd = rz_read_file("-initrd", o->initrd, RZ_IMAGE_MAX, &isize);
            b->linux.initrd_size = isize;
        }
        return;
    }
    if (mb_detect(kernel, ksize) == MB_NONE) {
        free(kernel);
        rz_fail("-kernel: '%s' is neither a Linux bzImage nor a Multiboot image", o->kernel);
    }
    b->kind = RZ_KERNEL_MULTIBOOT;
    b->mb.image = kernel;
    b->mb.image_size = ksize;
    /* Like GRUB and QEMU, the command line starts with the kernel's own
     * file name. */
    size_t n = strlen(o->kernel) + (o->append != NULL ? strlen(o->append) + 1 : 0) + 1;
    char *cmdline = malloc(n);
    if (cmdline == NULL)
        rz_fail("out of memory");
    snprintf(cmdline, n, "%s%s%s", o->kernel, o->append != NULL ? " " : "",
             o->append != NULL ? o->append : "");
    b->mb.cmdline = cmdline;
    b->mb.loader_name = "ringzero";
    b->mb.modules = b->modules;
    b->mb.nmodules = o->initrd != NULL ? rz_read_modules(b, o->initrd) : 0;
}

/* --realtime: hold the run back whenever virtual time gets ahead of the
 * host's, so guest timers fire at wall-clock pace. */
struct rz_pacer {
    struct clock *clock;
    double t0;
    uint64_t v0;
};

static double rz_seconds(void);

static void rz_pace(void *opaque, uint64_t now)
{
    struct rz_pacer *p = opaque;
    double ahead = (double)(now - p->v0) / (double)clock_rate(p->clock) - (rz_seconds() - p->t0);
    if (ahead > 0.002) {
        struct timespec ts = { (time_t)ahead, (long)((ahead - (double)(time_t)ahead) * 1e9) };
        nanosleep(&ts, NULL);
    }
}

static double rz_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void rz_print_stats(struct cpu *cpu, const struct pc_result *r, uint64_t rate,
                           double seconds)
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
    fprintf(stderr, "ringzero: stats: virtual time %.3f s (%llu ticks at %llu per second), %u reset%s\n",
            (double)r->vtime / (double)rate, (unsigned long long)r->vtime,
            (unsigned long long)rate, r->resets, r->resets == 1 ? "" : "s");
}

/* Exit status and one-line report for the run's outcome. */
static int rz_outcome(const struct pc_result *r, const struct rz_options *o)
{
    switch (r->kind) {
    case PC_EXIT_POWEROFF:
        return RZ_STATUS_POWEROFF;
    case PC_EXIT_QUIT:
        fprintf(stderr, "\r\nringzero: quit from the terminal (Ctrl-A x) at %04X:%08X\n", r->cs,
                r->eip);
        return RZ_STATUS_POWEROFF;
    case PC_EXIT_REBOOT:
        fprintf(stderr, "ringzero: the guest asked for a reset at %04X:%08X (%s); stopped by "
                "-no-reboot\n", r->cs, r->eip, r->shutdown);
        return RZ_STATUS_REBOOT;
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
    if (o.kernel != NULL && o.bios_path != NULL)
        rz_fail("-kernel and -bios cannot be combined yet (a direct kernel boot runs no firmware)");

    struct rz_boot boot = { 0 };
    boot.ram_size = o.ram_mib << 20;
    boot.entry = o.entry;
    /* Read every image before building the machine, so bad input costs
     * nothing and leaves no half-made state. */
    if (o.kernel != NULL) {
        rz_prepare_kernel(&boot, &o);
        rz_check_kernel(&boot);
    } else if (o.bios_path != NULL) {
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
    FILE *log = stderr;
    if (o.log_path != NULL) {
        log = fopen(o.log_path, "w");
        if (log == NULL)
            rz_fail("-D: cannot create '%s': %s", o.log_path, strerror(errno));
    }
    struct pc_config cfg = { 0 };
    cfg.ram_size = boot.ram_size;
    cfg.debugcon = con;
    cfg.no_reboot = o.no_reboot;
    cfg.rtc_start = o.rtc_start;
    cfg.ips = o.ips;
    cfg.log = log;
    cfg.log_mask = o.log_mask;
    for (unsigned k = 0; k < PC_SERIAL_PORTS; k++) {
        if (o.serial[k] == NULL)
            continue;
        char err[256];
        cfg.serial[k] = chardev_open(o.serial[k], err, sizeof(err));
        if (cfg.serial[k] == NULL)
            rz_fail("-serial: %s", err);
    }

    struct pc *pc = pc_create(&cfg);
    if (pc == NULL)
        rz_fail("cannot create a machine with %u MiB of RAM: out of memory", (unsigned)o.ram_mib);
    if (boot.rom != NULL && bios_map_rom(pc_mmu(pc), boot.rom, boot.rom_size) != 0)
        rz_fail("-bios: cannot map a %u-byte image below 4 GiB", (unsigned)boot.rom_size);
    pc_set_reset_hook(pc, rz_reset_hook, &boot);
    struct rz_pacer pacer = { pc_clock(pc), 0, 0 };
    pc_reset(pc);
    for (unsigned k = 0; k < o.nflat; k++) {
        if (bios_load_flat(pc_mmu(pc), o.flat[k].addr, flat[k], flat_size[k]) != 0)
            rz_fail("-flat: cannot load '%s' at %#x", o.flat[k].path, (unsigned)o.flat[k].addr);
        free(flat[k]);
        free((char *)o.flat[k].path);
    }

    double t0 = rz_seconds();
    if (o.realtime) {
        pacer.t0 = t0;
        pacer.v0 = clock_now(pc_clock(pc));
        pc_set_slice_hook(pc, rz_pace, &pacer);
    }
    struct pc_result res;
    pc_run(pc, o.max_insns, &res);
    double t1 = rz_seconds();

    fflush(stdout);
    int status = rz_outcome(&res, &o);
    if (o.stats)
        rz_print_stats(pc_cpu(pc), &res, clock_rate(pc_clock(pc)), t1 - t0);
    pc_destroy(pc);
    for (unsigned k = 0; k < PC_SERIAL_PORTS; k++)
        chardev_close(cfg.serial[k]);
    if (close_con && fclose(con) != 0)
        fprintf(stderr, "ringzero: warning: -debugcon file: %s\n", strerror(errno));
    if (log != stderr)
        fclose(log);
    rz_boot_free(&boot);
    if (o.bios_path != NULL)
        free((void *)boot.rom);
    return status;
}
