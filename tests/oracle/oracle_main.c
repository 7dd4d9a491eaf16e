/*
 * oracle_main.c - the host CPU as oracle for ringzero's integer unit.
 *
 * Random sequences (oracle_gen.c) run natively in a 32-bit helper process
 * (oracle_native.c, fed through a pipe) and in ringzero in flat 32-bit
 * protected mode at the same linear addresses (half of the runs with
 * identity-mapped paging, 4 KiB or 4 MiB pages).  All eight registers,
 * EFLAGS (OSZAPC minus the flags the sequence left undefined, and DF), the
 * end EIP and the data/stack region are compared.
 *
 * A failing sequence is cut short (gen_truncate) by binary search to find
 * the first instruction after which the two states differ; that
 * instruction, the native state before it and both states after it are
 * printed, and failures are tallied per mnemonic.
 *
 * Usage: oracle_test --helper PATH [--count N] [--seed S] [--start I]
 *                    [--reports N] [--skip REASON]
 * Exit: 0 all passed, 1 a mismatch or an error, 77 skipped (the reason is
 * printed: no 32-bit helper on this host, or it cannot run).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "decoder/decoder.h"
#include "mmu/mmu.h"
#include "tests/oracle/oracle_gen.h"
#include "tests/oracle/oracle_pipe.h"
#include "tests/oracle/oracle_proto.h"

#define ORACLE_SKIP 77
#define BATCH 64
#define RAM_SIZE 0x200000u
/* Emulator-only tables (outside everything the native side maps). */
#define EMU_GDT 0x00110000u
#define EMU_IDT 0x00110100u
#define EMU_EXC_STUBS 0x00111000u /* vector v: HLT at EMU_EXC_STUBS + 16 v */
/* Identity-mapped paging for a quarter of the runs each: 4 KiB pages
 * (directory + one table for the low 4 MiB) or one 4 MiB PSE page. */
#define EMU_PD_4K 0x00120000u
#define EMU_PT_4K 0x00121000u
#define EMU_PD_4M 0x00122000u
#define EMU_BUDGET 1000000u
#define MAX_TALLY 128
#define ORACLE_OSZAPC \
    (CPU_FL_OF | CPU_FL_SF | CPU_FL_ZF | CPU_FL_AF | CPU_FL_PF | CPU_FL_CF)

static const char *const reg_names[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};

struct opts {
    uint64_t seed, count, start;
    unsigned reports;
    const char *helper;
    const char *skip;
};

struct helper {
    pid_t pid;
    int to, from;
};

/* One side's final state. */
struct state {
    uint32_t regs[8];
    uint32_t eflags;
    uint64_t hash;
    bool ok;              /* reached the end, or a #DE/#UD both sides can report */
    int fault;            /* -1, or the vector (0 #DE, 6 #UD) that ended the run */
    uint32_t fault_eip;
    char why[96];         /* if !ok */
    uint8_t region[ORACLE_REGION_SIZE];
    bool have_region;
};

struct emu {
    struct mmu *mmu;
    struct cpu *cpu;
    bool dirty;           /* the last run did not end cleanly: reset first */
    unsigned mode;        /* paging mode of the last run (emu_run) */
    uint8_t pool[ORACLE_POOL_SIZE];
};

struct tally {
    char key[64];
    uint64_t n;
    uint64_t first_index;
};

struct oracle {
    struct opts o;
    struct helper h;
    struct emu e;
    uint64_t passed, failed, reported;
    uint64_t ended_de, ended_ud; /* passed sequences that ended in #DE / #UD */
    struct tally tally[MAX_TALLY];
    unsigned n_tally;
};

/* ------------------------------------------------------------------ */
/* The native helper                                                   */

/** Start the helper.  0 on success; ORACLE_SKIP with `why` filled when the
 * host cannot run it. */
static int helper_start(struct helper *h, const char *path, char *why, size_t why_size)
{
    int to[2], from[2];
    struct oracle_hello hello;

    if (access(path, X_OK) != 0) {
        /* on hosts that build it, a missing helper is a broken build */
        snprintf(why, why_size, "native helper %s not executable: %s", path, strerror(errno));
        return 1;
    }
    if (pipe(to) != 0 || pipe(from) != 0) {
        snprintf(why, why_size, "pipe: %s", strerror(errno));
        return 1;
    }
    h->pid = fork();
    if (h->pid < 0) {
        snprintf(why, why_size, "fork: %s", strerror(errno));
        return 1;
    }
    if (h->pid == 0) {
        dup2(to[0], 0);
        dup2(from[1], 1);
        close(to[0]);
        close(to[1]);
        close(from[0]);
        close(from[1]);
        execl(path, path, (char *)NULL);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    h->to = to[1];
    h->from = from[0];
    if (oracle_read_full(h->from, &hello, sizeof hello) != 1 || hello.magic != ORACLE_MAGIC) {
        snprintf(why, why_size,
                 "the 32-bit helper %s did not start (no IA-32 execution support on this "
                 "kernel?)",
                 path);
        return ORACLE_SKIP;
    }
    if (hello.status != 0) {
        snprintf(why, why_size, "the helper cannot map 0x%08X..0x%08X: %s (got 0x%08X)",
                 ORACLE_REGION, ORACLE_REGION + ORACLE_MAP_SIZE, strerror((int)hello.status),
                 hello.addr);
        return ORACLE_SKIP;
    }
    return 0;
}

static void helper_stop(struct helper *h)
{
    int st;
    close(h->to);
    close(h->from);
    waitpid(h->pid, &st, 0);
}

static void make_req(const struct gen_prog *p, uint32_t flags, struct oracle_req *rq)
{
    memset(rq, 0, sizeof *rq);
    rq->magic = ORACLE_MAGIC;
    rq->flags = flags;
    memcpy(rq->regs, p->regs, sizeof rq->regs);
    rq->eflags = p->eflags;
    rq->mem_seed = p->mem_seed;
    rq->code_len = p->len;
    memcpy(rq->code, p->code, p->len);
}

static int native_collect(struct helper *h, bool dump, struct state *s)
{
    struct oracle_res rs;
    if (oracle_read_full(h->from, &rs, sizeof rs) != 1 || rs.magic != ORACLE_MAGIC)
        return -1;
    memcpy(s->regs, rs.regs, sizeof s->regs);
    s->eflags = rs.eflags;
    s->hash = rs.hash_lo | ((uint64_t)rs.hash_hi << 32);
    s->ok = rs.status == ORACLE_RES_OK;
    s->fault = -1;
    s->fault_eip = 0;
    s->have_region = false;
    if (rs.status == ORACLE_RES_SIGNAL && (rs.signo == SIGFPE || rs.signo == SIGILL)) {
        /* the sequence ends in a #DE or #UD on purpose (or ringzero must
         * agree that it faults) */
        s->ok = true;
        s->fault = rs.signo == SIGFPE ? 0 : 6;
        s->fault_eip = rs.fault_eip;
    } else if (rs.status == ORACLE_RES_SIGNAL)
        snprintf(s->why, sizeof s->why, "native signal %u at eip 0x%08X (generator bug)",
                 rs.signo, rs.fault_eip);
    else if (!s->ok)
        snprintf(s->why, sizeof s->why, "native helper rejected the request");
    if (dump) {
        if (oracle_read_full(h->from, s->region, sizeof s->region) != 1)
            return -1;
        s->have_region = true;
    }
    return 0;
}

/** Run one program natively, synchronously, with the region dumped. */
static int native_run_one(struct helper *h, const struct gen_prog *p, struct state *s)
{
    static struct oracle_req rq;
    make_req(p, ORACLE_REQ_DUMP, &rq);
    if (oracle_write_full(h->to, &rq, sizeof rq) != 0)
        return -1;
    return native_collect(h, true, s);
}

/* ------------------------------------------------------------------ */
/* ringzero                                                            */

static uint32_t emu_io_in(void *opaque, uint16_t port, unsigned size)
{
    (void)opaque;
    (void)port;
    (void)size;
    return 0xFFFFFFFFu;
}

/* A sequence ends with OUT 0xF4, AL: stop the run there.  (HLT would
 * leave the CPU halted and need a cpu_reset, with its TLB flush, per
 * sequence.) */
static void emu_io_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct emu *e = opaque;
    (void)value;
    (void)size;
    if (port == 0xF4)
        cpu_request_stop(e->cpu);
}

static uint8_t emu_intr_ack(void *opaque)
{
    (void)opaque;
    return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
    mmu_st32(p, v);
}

static int emu_create(struct emu *e)
{
    const struct cpu_bus_ops bus = {e, emu_io_in, emu_io_out, emu_intr_ack};
    struct cpu_config cfg = {CPU_MODEL_PENTIUM2, false};
    uint8_t gdt[24], idt[32 * 8], stubs[32 * 16];
    unsigned v;

    oracle_pool_init(e->pool);
    e->dirty = true;
    e->mmu = mmu_create(RAM_SIZE);
    if (e->mmu == NULL)
        return -1;
    mmu_set_a20(e->mmu, true);
    e->cpu = cpu_create(e->mmu, &bus, &cfg);
    if (e->cpu == NULL)
        return -1;
    /* GDT: null, flat 32-bit ring-0 code (0x08), flat data (0x10). */
    memset(gdt, 0, sizeof gdt);
    put32(gdt + 8, 0x0000FFFFu);
    put32(gdt + 12, 0x00CF9B00u);
    put32(gdt + 16, 0x0000FFFFu);
    put32(gdt + 20, 0x00CF9300u);
    mmu_write_block(e->mmu, EMU_GDT, gdt, sizeof gdt);
    /* IDT: every exception goes to its own HLT, so a fault in a sequence
     * stops the run with the vector known (cpu_last_exception). */
    for (v = 0; v < 32; v++) {
        uint32_t off = EMU_EXC_STUBS + 16 * v;
        put32(idt + 8 * v, (off & 0xFFFFu) | (0x08u << 16));
        put32(idt + 8 * v + 4, (off & 0xFFFF0000u) | 0x8E00u);
    }
    mmu_write_block(e->mmu, EMU_IDT, idt, sizeof idt);
    memset(stubs, 0xF4, sizeof stubs);
    mmu_write_block(e->mmu, EMU_EXC_STUBS, stubs, sizeof stubs);
    for (v = 0; v < 1024; v++) {
        uint8_t pte[4];
        put32(pte, (v << 12) | 0x003u); /* present, writable, supervisor */
        mmu_write_block(e->mmu, EMU_PT_4K + 4 * v, pte, 4);
    }
    put32(idt, EMU_PT_4K | 0x003u);
    mmu_write_block(e->mmu, EMU_PD_4K, idt, 4);
    put32(idt, 0x00000083u); /* 4 MiB page at 0: present, writable, PS */
    mmu_write_block(e->mmu, EMU_PD_4M, idt, 4);
    return 0;
}

static void emu_destroy(struct emu *e)
{
    if (e->cpu)
        cpu_destroy(e->cpu);
    if (e->mmu)
        mmu_destroy(e->mmu);
}

static void emu_run(struct emu *e, const struct gen_prog *p, struct state *s)
{
    static const struct cpu_segment code = {0x08, 0x9B | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G, 0,
                                            0xFFFFFFFFu};
    static const struct cpu_segment data = {0x10, 0x93 | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G, 0,
                                            0xFFFFFFFFu};
    static const enum cpu_sreg dsegs[] = {CPU_ES, CPU_SS, CPU_DS, CPU_FS, CPU_GS};
    uint8_t code_buf[ORACLE_MAX_CODE + 2];
    struct cpu *c = e->cpu;
    struct cpu_exception_info x;
    enum cpu_stop stop;
    unsigned k, mode;
    uint32_t eip;

    /* 0, 1: no paging; 2: 4 KiB pages; 3: a 4 MiB page.  A function of
     * the program, so a replay runs the same way. */
    mode = p->mem_seed >> 30;
    if (e->dirty) {
        /* the sequences load no segment or system register: set them up
         * only after a run that ended in an exception */
        cpu_reset(c);
        cpu_set_dtr(c, false, EMU_GDT, 23);
        cpu_set_dtr(c, true, EMU_IDT, 32 * 8 - 1);
        cpu_set_segment(c, CPU_CS, &code);
        for (k = 0; k < sizeof dsegs / sizeof dsegs[0]; k++)
            cpu_set_segment(c, dsegs[k], &data);
    }
    if (e->dirty || mode != e->mode) {
        cpu_set_cr(c, 0, 0x00000011u); /* PE, ET */
        cpu_set_cr(c, 4, mode == 3 ? 0x10u : 0u); /* PSE */
        cpu_set_cr(c, 3, mode == 3 ? EMU_PD_4M : EMU_PD_4K);
        cpu_set_cr(c, 0, 0x00000011u | (mode >= 2 ? 0x80000000u : 0u)); /* PG */
        e->mode = mode;
        e->dirty = false;
        if (cpu_get_cr(c, 0) != (0x00000011u | (mode >= 2 ? 0x80000000u : 0u)) ||
            cpu_get_cr(c, 4) != (mode == 3 ? 0x10u : 0u)) {
            /* cpu_set_cr refuses values the model rejects: say so rather
             * than compare runs in the wrong mode */
            memset(s, 0, sizeof *s);
            snprintf(s->why, sizeof s->why, "setup refused: CR0=%08X CR4=%08X (paging mode %u)",
                     cpu_get_cr(c, 0), cpu_get_cr(c, 4), mode);
            s->fault = -1;
            e->dirty = true;
            return;
        }
    }
    for (k = 0; k < 8; k++)
        cpu_set_reg(c, (enum cpu_reg)k, p->regs[k]);
    /* IF set as in the native process (POPFD at CPL 3 cannot clear it). */
    cpu_set_eflags(c, (p->eflags & ORACLE_OSZAPC) | CPU_FL_IF | 0x2u);
    cpu_set_eip(c, ORACLE_CODE);

    mmu_write_block(e->mmu, ORACLE_REGION, oracle_region_src(e->pool, p->mem_seed),
                    ORACLE_REGION_SIZE);
    memcpy(code_buf, p->code, p->len);
    code_buf[p->len] = 0xE6; /* out 0xF4, al */
    code_buf[p->len + 1] = 0xF4;
    mmu_write_block(e->mmu, ORACLE_CODE, code_buf, p->len + 2);

    stop = cpu_run(c, EMU_BUDGET);

    for (k = 0; k < 8; k++)
        s->regs[k] = cpu_get_reg(c, (enum cpu_reg)k);
    s->eflags = cpu_get_eflags(c);
    mmu_read_block(e->mmu, ORACLE_REGION, s->region, ORACLE_REGION_SIZE);
    s->have_region = true;
    eip = cpu_get_eip(c);
    s->fault = -1;
    s->fault_eip = 0;
    s->ok = stop == CPU_STOP_REQUEST && eip == ORACLE_CODE + p->len + 2;
    if (s->ok) {
        s->hash = oracle_hash(s->region, ORACLE_REGION_SIZE);
        return;
    }
    e->dirty = true;
    cpu_last_exception(c, &x);
    if (x.valid && (x.vector == 0 || x.vector == 6) && stop == CPU_STOP_DEAD_HALT &&
        eip == EMU_EXC_STUBS + 16u * x.vector + 1) {
        /* a #DE/#UD delivered through the IDT: the state at the fault is
         * the state now, minus the frame pushed (no error code) */
        s->ok = true;
        s->fault = x.vector;
        s->fault_eip = x.eip;
        s->regs[CPU_ESP] += ORACLE_FRAME;
        s->hash = oracle_hash_skip(s->region, ORACLE_REGION_SIZE, s->regs[CPU_ESP]);
        return;
    }
    s->hash = oracle_hash(s->region, ORACLE_REGION_SIZE);
    if (x.valid)
        snprintf(s->why, sizeof s->why, "exception %u (error 0x%X) at eip 0x%08X", x.vector,
                 x.has_error ? x.error : 0, x.eip);
    else
        snprintf(s->why, sizeof s->why, "stopped (%d) at eip 0x%08X", (int)stop, eip);
}

/* ------------------------------------------------------------------ */
/* Comparison and reports                                              */

/* Mask of the EFLAGS bits compared: OSZAPC not left undefined, and DF. */
static uint32_t flag_mask(const struct gen_prog *p)
{
    return (ORACLE_OSZAPC & ~p->undef_flags) | CPU_FL_DF;
}

static bool states_equal(const struct gen_prog *p, const struct state *n, const struct state *r)
{
    uint32_t m = flag_mask(p);
    if (!n->ok || !r->ok)
        return false;
    if (n->fault != r->fault || n->fault_eip != r->fault_eip)
        return false;
    if (memcmp(n->regs, r->regs, sizeof n->regs) != 0)
        return false;
    if ((n->eflags & m) != (r->eflags & m))
        return false;
    return n->hash == r->hash;
}

static void disasm_insn(const struct gen_prog *p, uint32_t k, char *buf, size_t size)
{
    struct dec_insn d;
    uint32_t off = p->insn_off[k];
    uint32_t end = k + 1 < p->n_insns ? p->insn_off[k + 1] : p->len;
    enum dec_status st = dec_decode(p->code + off, end - off, DEC_MODE_32, &d);
    int n = 0;
    uint32_t i;
    for (i = off; i < end && n < 48; i++)
        n += snprintf(buf + n, size - (size_t)n, "%02X ", p->code[i]);
    while (n < 36)
        buf[n++] = ' ';
    buf[n] = 0;
    if (st == DEC_OK && d.len == end - off)
        dec_disasm(&d, ORACLE_CODE + off, DEC_MODE_32, buf + n, size - (size_t)n);
    else
        snprintf(buf + n, size - (size_t)n, "(decoder: status %d, len %u)", (int)st, d.len);
}

/* Form names (ADD_EwGw, ...) straight from the opcode table. */
static const char *const form_names[DEC_OP_COUNT] = {
#define DEC_OP(id, mnem, o1, o2, o3, flags, handler) #id,
#include "decoder/opcodes.def"
#undef DEC_OP
};

/** The decoded form of instruction k and whether its r/m is memory: the
 * key failures are tallied under. */
static void insn_key(const struct gen_prog *p, uint32_t k, char *buf, size_t size)
{
    struct dec_insn d;
    uint32_t off = p->insn_off[k];
    uint32_t end = k + 1 < p->n_insns ? p->insn_off[k + 1] : p->len;
    if (dec_decode(p->code + off, end - off, DEC_MODE_32, &d) == DEC_OK && d.op < DEC_OP_COUNT)
        snprintf(buf, size, "%s%s%s", form_names[d.op], (d.flags & DEC_F_MEM) ? " mem" : "",
                 (d.flags & (DEC_F_REP | DEC_F_REPNE)) ? " rep" : "");
    else
        snprintf(buf, size, "undecodable %02X %02X %02X", p->code[off], p->code[off + 1],
                 p->code[off + 2]);
}

static void print_regs(const char *label, const struct state *s, uint32_t mask)
{
    unsigned k;
    printf("  %-9s", label);
    for (k = 0; k < 8; k++)
        printf(" %s=%08X", reg_names[k], s->regs[k]);
    printf(" efl=%08X (cmp %08X)", s->eflags, s->eflags & mask);
    if (s->fault >= 0)
        printf(" %s at %08X", s->fault == 0 ? "#DE" : "#UD", s->fault_eip);
    printf("\n");
}

static void print_diffs(const struct gen_prog *p, const struct state *n, const struct state *r)
{
    uint32_t m = flag_mask(p), d;
    unsigned k, shown = 0;
    static const struct { uint32_t bit; const char *name; } fl[] = {
        {CPU_FL_OF, "OF"}, {CPU_FL_DF, "DF"}, {CPU_FL_SF, "SF"}, {CPU_FL_ZF, "ZF"},
        {CPU_FL_AF, "AF"}, {CPU_FL_PF, "PF"}, {CPU_FL_CF, "CF"}};
    printf("  differs:");
    for (k = 0; k < 8; k++) {
        if (n->regs[k] != r->regs[k])
            printf(" %s", reg_names[k]);
    }
    d = (n->eflags ^ r->eflags) & m;
    for (k = 0; k < sizeof fl / sizeof fl[0]; k++) {
        if (d & fl[k].bit)
            printf(" %s", fl[k].name);
    }
    if (n->hash != r->hash)
        printf(" memory");
    printf("\n");
    if (n->hash != r->hash && n->have_region && r->have_region) {
        for (k = 0; k < ORACLE_REGION_SIZE && shown < 16; k++) {
            if (n->region[k] != r->region[k]) {
                printf("    [%08X] native %02X ringzero %02X\n", ORACLE_REGION + k, n->region[k],
                       r->region[k]);
                shown++;
            }
        }
    }
}

static void print_program(const struct gen_prog *p, int mark)
{
    uint32_t k;
    char line[256];
    for (k = 0; k < p->n_insns; k++) {
        disasm_insn(p, k, line, sizeof line);
        printf("  %s %08X  %s\n", (int)k == mark ? "=>" : "  ", ORACLE_CODE + p->insn_off[k],
               line);
    }
}

static void tally_add(struct oracle *o, const char *key, uint64_t index)
{
    unsigned k;
    for (k = 0; k < o->n_tally; k++) {
        if (strcmp(o->tally[k].key, key) == 0) {
            o->tally[k].n++;
            return;
        }
    }
    if (o->n_tally < MAX_TALLY) {
        snprintf(o->tally[o->n_tally].key, sizeof o->tally[0].key, "%s", key);
        o->tally[o->n_tally].n = 1;
        o->tally[o->n_tally].first_index = index;
        o->n_tally++;
    }
}

/**
 * Binary search for the first instruction after which native and ringzero
 * differ (programs cut with gen_truncate).  Returns the instruction index,
 * or -1 on a helper error; fills the native state before it and both
 * states after it.
 */
static int find_first_divergence(struct oracle *o, const struct gen_prog *p, struct state *before,
                                 struct state *nat, struct state *emu)
{
    static struct gen_prog t;
    static struct state sn, se;
    int lo = 0, hi = (int)p->n_insns - 1; /* hi: known (assumed) bad */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        gen_truncate(p, (uint32_t)mid, &t);
        if (native_run_one(&o->h, &t, &sn) != 0)
            return -1;
        emu_run(&o->e, &t, &se);
        if (states_equal(&t, &sn, &se))
            lo = mid + 1;
        else
            hi = mid;
    }
    gen_truncate(p, (uint32_t)lo, &t);
    if (native_run_one(&o->h, &t, nat) != 0)
        return -1;
    emu_run(&o->e, &t, emu);
    if (lo > 0) {
        gen_truncate(p, (uint32_t)lo - 1, &t);
        if (native_run_one(&o->h, &t, before) != 0)
            return -1;
    } else {
        memcpy(before->regs, p->regs, sizeof before->regs);
        before->eflags = p->eflags | 0x202u;
        before->ok = true;
        before->fault = -1;
    }
    return lo;
}

static int report_failure(struct oracle *o, uint64_t index, const struct gen_prog *p,
                          const struct state *n, const struct state *r)
{
    static struct state before, nat, emu;
    static struct gen_prog cut;
    char key[64], line[256];
    unsigned j;
    int k;

    o->failed++;
    k = -1;
    if (!n->ok) {
        /* the native side faulted: the generator produced something unsafe */
        snprintf(key, sizeof key, "GENERATOR: native fault");
    } else {
        k = find_first_divergence(o, p, &before, &nat, &emu);
        if (k < 0)
            return -1;
        insn_key(p, (uint32_t)k, key, sizeof key);
        if (!emu.ok && strstr(emu.why, "exception"))
            snprintf(key + strlen(key), sizeof key - strlen(key), " [exc]");
    }
    tally_add(o, key, index);
    if (o->reported >= o->o.reports)
        return 0;
    o->reported++;

    printf("MISMATCH: seed %" PRIu64 " index %" PRIu64 " (replay: --seed %" PRIu64
           " --start %" PRIu64 " --count 1)\n",
           o->o.seed, index, o->o.seed, index);
    printf("  initial   ");
    for (j = 0; j < 8; j++)
        printf(" %s=%08X", reg_names[j], p->regs[j]);
    printf(" efl=%08X mem_seed=%08X\n", p->eflags | 0x202u, p->mem_seed);
    printf("  ringzero paging: %s\n", p->mem_seed >> 30 == 3   ? "on, one 4 MiB page (CR4.PSE)"
                                   : p->mem_seed >> 30 == 2 ? "on, 4 KiB pages"
                                                            : "off");
    if (!n->ok) {
        print_program(p, -1);
        printf("  %s\n", n->why);
        return 0;
    }
    print_program(p, k);
    printf("  whole sequence:\n");
    print_regs("native", n, flag_mask(p));
    print_regs("ringzero", r, flag_mask(p));
    if (!r->ok)
        printf("  ringzero: %s\n", r->why);
    print_diffs(p, n, r);
    if (k >= 0) {
        gen_truncate(p, (uint32_t)k, &cut);
        disasm_insn(p, (uint32_t)k, line, sizeof line);
        printf("  first divergence after instruction %d: %s\n", k, line);
        print_regs("before", &before, 0xFFFFFFFFu);
        print_regs("native", &nat, flag_mask(&cut));
        print_regs("ringzero", &emu, flag_mask(&cut));
        if (!emu.ok)
            printf("  ringzero: %s\n", emu.why);
        print_diffs(&cut, &nat, &emu);
    }
    printf("\n");
    return 0;
}

/* ------------------------------------------------------------------ */
/* Main loop                                                           */

static uint64_t seq_seed(uint64_t seed, uint64_t index)
{
    uint64_t z = seed * 0x9E3779B97F4A7C15ull + index * 0xD1B54A32D192ED03ull + 1;
    z = (z ^ (z >> 31)) * 0xBF58476D1CE4E5B9ull;
    return z ^ (z >> 29);
}

/* Count a passed sequence. */
static void count_pass(struct oracle *o, const struct state *nat)
{
    o->passed++;
    o->ended_de += nat->fault == 0;
    o->ended_ud += nat->fault == 6;
}

/**
 * Sequence `k` of the batch failed: collect the remaining native results
 * first (the helper answers in order), then report every failure of the
 * batch, re-running each natively with the region dumped.
 */
static int finish_failed_batch(struct oracle *o, uint64_t first, unsigned n, unsigned k,
                               const struct gen_prog *progs, struct state *emu,
                               const struct state *nat_k)
{
    static struct state nat[BATCH];
    static unsigned bad_idx[BATCH];
    unsigned j, bad = 0;

    nat[k] = *nat_k;
    bad_idx[bad++] = k;
    for (j = k + 1; j < n; j++) {
        if (native_collect(&o->h, false, &nat[j]) != 0)
            return -1;
        if (states_equal(&progs[j], &nat[j], &emu[j]))
            count_pass(o, &nat[j]);
        else
            bad_idx[bad++] = j;
    }
    for (j = 0; j < bad; j++) {
        unsigned b = bad_idx[j];
        if (nat[b].ok && native_run_one(&o->h, &progs[b], &nat[b]) != 0)
            return -1;
        emu_run(&o->e, &progs[b], &emu[b]);
        if (report_failure(o, first + b, &progs[b], &nat[b], &emu[b]) != 0)
            return -1;
    }
    return 0;
}

static int run_batch(struct oracle *o, uint64_t first, unsigned n)
{
    static struct gen_prog progs[BATCH];
    static struct oracle_req rq;
    static struct state emu[BATCH];
    static struct state nat;
    unsigned k;

    for (k = 0; k < n; k++) {
        gen_program(&progs[k], seq_seed(o->o.seed, first + k));
        make_req(&progs[k], 0, &rq);
        if (oracle_write_full(o->h.to, &rq, sizeof rq) != 0)
            return -1;
    }
    /* the helper works on the batch while ringzero runs it here */
    for (k = 0; k < n; k++)
        emu_run(&o->e, &progs[k], &emu[k]);
    for (k = 0; k < n; k++) {
        if (native_collect(&o->h, false, &nat) != 0)
            return -1;
        if (!states_equal(&progs[k], &nat, &emu[k]))
            return finish_failed_batch(o, first, n, k, progs, emu, &nat);
        count_pass(o, &nat);
    }
    return 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return (errno != 0 || *s == 0 || *end != 0) ? -1 : 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    int i;
    uint64_t v;
    o->seed = 1;
    o->count = 100000;
    o->start = 0;
    o->reports = 10;
    o->helper = NULL;
    o->skip = NULL;
    for (i = 1; i < argc; i += 2) { /* every option takes one value */
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--helper") == 0 && val) {
            o->helper = val;
        } else if (strcmp(a, "--skip") == 0 && val) {
            o->skip = val;
        } else if (strcmp(a, "--count") == 0 && val && parse_u64(val, &o->count) == 0) {
        } else if (strcmp(a, "--seed") == 0 && val && parse_u64(val, &o->seed) == 0) {
        } else if (strcmp(a, "--start") == 0 && val && parse_u64(val, &o->start) == 0) {
        } else if (strcmp(a, "--reports") == 0 && val && parse_u64(val, &v) == 0) {
            o->reports = (unsigned)v;
        } else {
            fprintf(stderr,
                    "usage: %s --helper PATH [--count N] [--seed S] [--start I] "
                    "[--reports N] [--skip REASON]\n",
                    argv[0]);
            return -1;
        }
    }
    return 0;
}

static int tally_cmp(const void *a, const void *b)
{
    const struct tally *x = a, *y = b;
    return x->n < y->n ? 1 : x->n > y->n ? -1 : 0;
}

int main(int argc, char **argv)
{
    static struct oracle o;
    char why[256];
    uint64_t i;
    int rc;
    unsigned k;

    if (parse_opts(argc, argv, &o.o) != 0)
        return 1;
    if (o.o.skip) {
        printf("SKIPPED: %s\n", o.o.skip);
        return ORACLE_SKIP;
    }
    if (o.o.helper == NULL) {
        printf("SKIPPED: no native helper given (--helper)\n");
        return ORACLE_SKIP;
    }
    signal(SIGPIPE, SIG_IGN);
    rc = helper_start(&o.h, o.o.helper, why, sizeof why);
    if (rc != 0) {
        printf("%s: %s\n", rc == ORACLE_SKIP ? "SKIPPED" : "ERROR", why);
        return rc == ORACLE_SKIP ? ORACLE_SKIP : 1;
    }
    if (emu_create(&o.e) != 0) {
        printf("ERROR: cannot create the emulated CPU\n");
        return 1;
    }
    for (i = 0; i < o.o.count; i += BATCH) {
        unsigned n = (unsigned)(o.o.count - i < BATCH ? o.o.count - i : BATCH);
        if (run_batch(&o, o.o.start + i, n) != 0) {
            printf("ERROR: lost the native helper\n");
            return 1;
        }
    }
    helper_stop(&o.h);
    emu_destroy(&o.e);

    if (o.failed) {
        qsort(o.tally, o.n_tally, sizeof o.tally[0], tally_cmp);
        printf("failures by first divergent instruction (count, first index):\n");
        for (k = 0; k < o.n_tally; k++)
            printf("  %8" PRIu64 "  %8" PRIu64 "  %s\n", o.tally[k].n, o.tally[k].first_index,
                   o.tally[k].key);
    }
    printf("(%" PRIu64 " of the passed sequences ended in #DE, %" PRIu64 " in #UD, as intended)\n",
           o.ended_de, o.ended_ud);
    printf("%" PRIu64 " passed, %" PRIu64 " failed\n", o.passed, o.failed);
    return o.failed ? 1 : 0;
}
