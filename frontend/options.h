/*
 * options.h - ringzero's command line: QEMU's spelling where QEMU has the
 * flag, long options of our own for the rest.  rz_parse() validates
 * everything it can without touching files; bad input is one line
 * "ringzero: error: ..." on stderr and exit status RZ_STATUS_USAGE.
 */
#ifndef FRONTEND_OPTIONS_H
#define FRONTEND_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "bios/bios.h"
#include "devices/pc.h"

enum {
    RZ_STATUS_POWEROFF = 0,  /* the guest powered the machine off */
    RZ_STATUS_USAGE = 2,     /* host-side bad input */
    RZ_STATUS_HALT = 4,      /* the guest halted for good */
    RZ_STATUS_BUDGET = 6,    /* --max-insns exhausted */
    RZ_STATUS_SHUTDOWN = 8,  /* triple fault with -no-reboot */
    RZ_STATUS_REBOOT = 10    /* the guest asked for a reset with -no-reboot */
};

#define RZ_MAX_FLAT 16
#define RZ_RAM_MIB_DEFAULT 128u /* QEMU's default */
#define RZ_RAM_MIB_MAX 3584u

struct rz_flat {
    const char *path;
    uint32_t addr;
};

struct rz_options {
    uint32_t ram_mib;
    const char *bios_path;
    const char *debugcon;                   /* "stdio", "none" or "file:PATH" */
    const char *serial[PC_SERIAL_PORTS];    /* chardev specs; NULL: no port */
    const char *kernel, *initrd, *append;   /* -kernel, -initrd, -append */
    struct rz_flat flat[RZ_MAX_FLAT];
    unsigned nflat;
    struct bios_entry entry;
    bool entry_given;
    bool esp_given;
    uint32_t esp;
    uint64_t max_insns; /* 0: no limit */
    uint64_t ips;       /* 0: the default */
    int64_t rtc_start;  /* Unix seconds */
    bool stats;
    bool no_reboot;
    bool realtime;
    unsigned log_mask;  /* PC_LOG_* */
    const char *log_path; /* -D: NULL is stderr */
};

/** Print "ringzero: error: ..." and exit with RZ_STATUS_USAGE. */
_Noreturn void rz_fail(const char *fmt, ...);

/** Parse argv into *o (exits on --help, --version and bad input). */
void rz_parse(int argc, char **argv, struct rz_options *o);

#endif
