/*
 * ssts_run.c - ssts-run: run a directory of SingleStepTests MOO files
 * (hardware-captured single-instruction tests, real mode) through the CPU.
 *
 *   ssts-run [-v] [--min-pass PCT] [--only PREFIX] DIR
 *
 * Each test runs on one 16 MiB machine that is cheaply reset between
 * tests: only the bytes a test wrote (its INIT and FINA addresses) are
 * zeroed again, and the pages it touched (those bytes' pages, the stack,
 * every page in the write TLB) are then checked to be all zero, which
 * catches stray writes.  A full scan after every run that did not end on a
 * HLT, and after each file, catches any other.
 *
 * Address space: the 286 has 24 address lines, so real-mode segment:offset
 * reaches at most FFFF:FFFF = 10FFEFh and nothing wraps at 1 MiB (A20 is
 * enabled); with 16 MiB of RAM every such address is plain RAM.
 *
 * Exit status: 0 when the pass rate over non-excluded, non-revoked tests is
 * at least --min-pass (99.5 by default) and every file parsed; 1 otherwise;
 * 2 when the directory itself cannot be used.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, opendir */

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "mmu/mmu.h"
#include "tests/conformance/moo.h"
#include "tests/conformance/ssts.h"

#define SSTS_RAM_SIZE (16u * 1024u * 1024u)
#define SSTS_BUDGET 4096u       /* the longest test is a REP of 128 iterations */
#define SSTS_DETAILS_DEFAULT 3u /* failing tests detailed per file without -v */
#define SSTS_MAX_PAGES 64u      /* pages checked for stray writes per test */

struct ssts_opts {
    bool verbose;
    double min_pass;
    const char *only;
    const char *dir;
};

struct ssts_totals {
    unsigned long passed, failed, excluded, revoked, file_errors;
};

struct ssts_machine {
    struct mmu *mmu;
    struct cpu *cpu;
    uint32_t pages[SSTS_MAX_PAGES];
    unsigned npages;
    bool pages_overflow;
};

/* ---- the (device-less) bus ------------------------------------------- */

/* No device answers: reads float high, as on the capture rig (the data
 * shows IN returning FFh/FFFFh). */
static uint32_t ssts_io_in(void *opaque, uint16_t port, unsigned size)
{
    (void)opaque;
    (void)port;
    return size == 1 ? 0xFFu : size == 2 ? 0xFFFFu : 0xFFFFFFFFu;
}

static void ssts_io_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    (void)opaque;
    (void)port;
    (void)value;
    (void)size;
}

static uint8_t ssts_intr_ack(void *opaque)
{
    (void)opaque;
    return 0;
}

/* ---- failure reporting ---------------------------------------------- */

#define SSTS_MSG_MAX 8
struct ssts_result {
    unsigned nmsg;
    char msg[SSTS_MSG_MAX][120];
    unsigned ndiff;           /* differences found (after masking) */
    unsigned nrelaxed_only;   /* differences an exclusion relaxation hides */
};

#if defined(__GNUC__)
static void ssts_note(struct ssts_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#endif
static void ssts_note(struct ssts_result *r, const char *fmt, ...)
{
    if (r->nmsg >= SSTS_MSG_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg[r->nmsg++], sizeof r->msg[0], fmt, ap);
    va_end(ap);
}

/* ---- helpers ---------------------------------------------------------- */

static void ssts_track_page(struct ssts_machine *m, uint32_t addr)
{
    uint32_t pg = addr & MMU_PAGE_MASK;
    for (unsigned k = 0; k < m->npages; k++)
        if (m->pages[k] == pg)
            return;
    if (m->npages < SSTS_MAX_PAGES)
        m->pages[m->npages++] = pg;
    else
        m->pages_overflow = true;
}

static int ssts_u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* FINA addresses, sorted, to ask "did the test expect this byte to change". */
struct ssts_addrset {
    uint32_t *a;
    size_t n, cap;
};

static bool ssts_addrset_fill(struct ssts_addrset *s, const struct moo_state *st)
{
    if (st->ram_count > s->cap) {
        uint32_t *na = realloc(s->a, st->ram_count * sizeof *na);
        if (!na)
            return false;
        s->a = na;
        s->cap = st->ram_count;
    }
    s->n = st->ram_count;
    for (uint32_t k = 0; k < st->ram_count; k++)
        s->a[k] = moo_ram_addr(st, k);
    if (s->n)
        qsort(s->a, s->n, sizeof *s->a, ssts_u32_cmp);
    return true;
}

static bool ssts_addrset_has(const struct ssts_addrset *s, uint32_t a)
{
    return s->n && bsearch(&a, s->a, s->n, sizeof *s->a, ssts_u32_cmp) != NULL;
}

static void ssts_hex_bytes(const uint8_t *b, uint32_t n, char *out, size_t outlen)
{
    size_t o = 0;
    for (uint32_t k = 0; k < n && o + 4 < outlen; k++)
        o += (size_t)snprintf(out + o, outlen - o, "%s%02X", k ? " " : "", b[k]);
    if (n == 0 && outlen)
        out[0] = '\0';
}

static const enum cpu_reg ssts_gpr_of[MOO_NREGS] = {
    [MOO_AX] = CPU_EAX, [MOO_BX] = CPU_EBX, [MOO_CX] = CPU_ECX, [MOO_DX] = CPU_EDX,
    [MOO_SP] = CPU_ESP, [MOO_BP] = CPU_EBP, [MOO_SI] = CPU_ESI, [MOO_DI] = CPU_EDI,
};
static const enum cpu_sreg ssts_sreg_of[MOO_NREGS] = {
    [MOO_CS] = CPU_CS, [MOO_SS] = CPU_SS, [MOO_DS] = CPU_DS, [MOO_ES] = CPU_ES,
};

static bool ssts_is_gpr(unsigned r)
{
    return r == MOO_AX || r == MOO_BX || r == MOO_CX || r == MOO_DX || r == MOO_SP ||
           r == MOO_BP || r == MOO_SI || r == MOO_DI;
}
static bool ssts_is_sreg(unsigned r)
{
    return r == MOO_CS || r == MOO_SS || r == MOO_DS || r == MOO_ES;
}

static uint16_t ssts_cs(const struct cpu *c)
{
    struct cpu_segment s;
    cpu_get_segment(c, CPU_CS, &s);
    return s.selector;
}

/* The 286 keeps FLAGS bits 12-15 clear in real mode; the suite asks for
 * the initial value to be masked the same way. */
#define SSTS_INIT_FLAGS_MASK 0x0FFFu

/* What the exclusions that apply to a test allow, added up. */
struct ssts_relax {
    uint16_t flags, regs;
    uint8_t alias_vector, alias_to;
    bool aliased; /* the alias was installed for this run */
};

/* ---- one test --------------------------------------------------------- */

static const char *ssts_stop_name(enum cpu_stop s)
{
    switch (s) {
    case CPU_STOP_BUDGET: return "budget exhausted";
    case CPU_STOP_REQUEST: return "stop request";
    case CPU_STOP_HALT: return "halt";
    case CPU_STOP_DEAD_HALT: return "halt";
    case CPU_STOP_SHUTDOWN: return "shutdown (triple fault)";
    }
    return "?";
}

/* Load the test's initial state.  false (with a note) if it cannot be. */
static bool ssts_load(struct ssts_machine *m, const struct moo_test *t, struct ssts_result *r)
{
    const struct moo_regs *in = &t->init.regs;
    if (!t->init.has_regs || in->mask != (1u << MOO_NREGS) - 1) {
        ssts_note(r, "INIT does not hold all 14 registers (16-bit REGS)");
        return false;
    }
    cpu_reset(m->cpu);
    /* An empty TLB: afterwards its write entries name the pages this test
     * wrote through the fast path, which ssts_clean() then checks. */
    mmu_tlb_flush(m->mmu, true);
    for (uint32_t k = 0; k < t->init.ram_count; k++) {
        uint32_t a = moo_ram_addr(&t->init, k);
        if (a >= SSTS_RAM_SIZE) {
            ssts_note(r, "INIT RAM address %08X outside 16 MiB", a);
            return false;
        }
        mmu_write_phys(m->mmu, a, moo_ram_val(&t->init, k), 1);
        ssts_track_page(m, a);
    }
    for (unsigned k = 0; k < MOO_NREGS; k++) {
        if (ssts_is_gpr(k))
            cpu_set_reg(m->cpu, ssts_gpr_of[k], in->v[k]);
        if (ssts_is_sreg(k)) {
            /* Real-mode cache: base = selector * 16, 64 KiB limit,
             * present read/write accessed data attributes (93h), as
             * after RESET (SDM vol. 3A, 9.1.1, table 9-1), CS included. */
            struct cpu_segment s = {in->v[k], 0x93, (uint32_t)in->v[k] << 4, 0xFFFF};
            cpu_set_segment(m->cpu, ssts_sreg_of[k], &s);
        }
    }
    cpu_set_eip(m->cpu, in->v[MOO_IP]);
    cpu_set_eflags(m->cpu, in->v[MOO_FLAGS] & SSTS_INIT_FLAGS_MASK);
    /* Stack page(s) the instruction may push to (interrupts, exceptions). */
    uint32_t ss = (uint32_t)in->v[MOO_SS] << 4;
    ssts_track_page(m, ss + (uint16_t)(in->v[MOO_SP] - 6));
    ssts_track_page(m, ss + in->v[MOO_SP]);
    return true;
}

/* Compare one 16-bit value; `relax` bits are differences an exclusion
 * allows. */
static void ssts_cmp16(struct ssts_result *r, const char *what, uint16_t want, uint16_t got,
                       uint16_t mask, uint16_t relax)
{
    uint16_t diff = (uint16_t)((want ^ got) & mask);
    if (!diff)
        return;
    r->ndiff++;
    if (!(diff & ~relax))
        r->nrelaxed_only++;
    ssts_note(r, "%s: expected %04X, got %04X (mask %04X)", what, want & mask, got & mask, mask);
}

static void ssts_compare(struct ssts_machine *m, const struct moo_test *t,
                         const struct ssts_form *f, const struct moo_file *mf,
                         const struct ssts_relax *rx, struct ssts_addrset *fina_set,
                         struct ssts_result *r)
{
    const struct moo_regs *in = &t->init.regs, *out = &t->fina.regs;
    for (unsigned k = 0; k < MOO_NREGS; k++) {
        uint32_t got32;
        if (ssts_is_gpr(k))
            got32 = cpu_get_reg(m->cpu, ssts_gpr_of[k]);
        else if (ssts_is_sreg(k)) {
            struct cpu_segment s;
            cpu_get_segment(m->cpu, ssts_sreg_of[k], &s);
            got32 = s.selector;
            if (s.base != (uint32_t)s.selector << 4) {
                r->ndiff++;
                ssts_note(r, "%s base %08X is not selector*16", moo_reg_names[k], s.base);
            }
        } else if (k == MOO_IP)
            got32 = cpu_get_eip(m->cpu);
        else
            got32 = cpu_get_eflags(m->cpu);
        /* A 16-bit program never changes the upper halves (and the 286
         * has none); EFLAGS' upper bits are the CPU's own business.  EIP
         * is 10000h after the HLT at offset FFFFh: the 286's 16-bit IP
         * reads 0, a 386+ keeps counting (the next fetch would fault on
         * the limit, SDM vol. 3A, 20.1.3), so only the low half of that
         * one value is compared. */
        if (k != MOO_FLAGS && (got32 >> 16) && !(k == MOO_IP && got32 == 0x10000u)) {
            r->ndiff++;
            ssts_note(r, "%s: upper half set (%08X)", moo_reg_names[k], got32);
        }
        uint16_t mask = 0xFFFF;
        if (t->fina.has_rmsk && (t->fina.rmsk.mask & (1u << k)))
            mask &= t->fina.rmsk.v[k];
        else if (mf->has_rmsk && (mf->rmsk.mask & (1u << k)))
            mask &= mf->rmsk.v[k];
        uint16_t want;
        if (out->mask & (1u << k)) {
            want = out->v[k];
        } else {
            /* FINA lists only changed registers: the rest keep INIT. */
            want = in->v[k];
            if (k == MOO_FLAGS)
                want &= SSTS_INIT_FLAGS_MASK;
        }
        /* A relaxed register is one the P6 leaves untouched (a precise
         * fault) where the 286 changed it: it must still hold INIT. */
        uint16_t relax = (rx->regs & (1u << k)) && (uint16_t)got32 == in->v[k] ? 0xFFFF : 0;
        if (k == MOO_FLAGS) {
            mask &= f->flags_mask;
            relax |= rx->flags;
        }
        /* FLAGS bit 1 is always 1, bits 3, 5 always 0 on both: compared. */
        ssts_cmp16(r, moo_reg_names[k], want, (uint16_t)got32, mask, relax);
    }

    /* Where an exception pushed FLAGS: the handler is a HLT, so the final
     * SS:SP points at the pushed IP, CS, FLAGS.  (EXCP's address is the
     * same for an even SP, but rounded down to even for an odd one.) */
    uint32_t fl_lo = 0xFFFFFFFFu, fl_hi = 0xFFFFFFFFu;
    if (t->has_excp) {
        uint16_t ss = (out->mask & (1u << MOO_SS)) ? out->v[MOO_SS] : in->v[MOO_SS];
        uint16_t sp = (out->mask & (1u << MOO_SP)) ? out->v[MOO_SP] : in->v[MOO_SP];
        fl_lo = ((uint32_t)ss << 4) + (uint16_t)(sp + 4);
        fl_hi = ((uint32_t)ss << 4) + (uint16_t)(sp + 5);
    }
    /* Memory: every FINA byte; the pushed FLAGS image of an exception is
     * masked like FLAGS. */
    for (uint32_t k = 0; k < t->fina.ram_count; k++) {
        uint32_t a = moo_ram_addr(&t->fina, k);
        uint8_t want = moo_ram_val(&t->fina, k);
        if (a >= SSTS_RAM_SIZE) {
            r->ndiff++;
            ssts_note(r, "FINA RAM address %08X outside 16 MiB", a);
            continue;
        }
        ssts_track_page(m, a);
        uint8_t got = (uint8_t)mmu_read_phys(m->mmu, a, 1);
        uint8_t mask = 0xFF, rel = 0;
        if (a == fl_lo) {
            mask = (uint8_t)f->flags_mask;
            rel = (uint8_t)rx->flags;
        } else if (a == fl_hi) {
            mask = (uint8_t)(f->flags_mask >> 8);
            rel = (uint8_t)(rx->flags >> 8);
        }
        uint8_t diff = (uint8_t)((want ^ got) & mask);
        if (diff) {
            r->ndiff++;
            if (!(diff & ~rel))
                r->nrelaxed_only++;
            ssts_note(r, "RAM %06X: expected %02X, got %02X", a, want & mask, got & mask);
        }
    }
    /* INIT bytes the test did not expect to change. */
    for (uint32_t k = 0; k < t->init.ram_count; k++) {
        uint32_t a = moo_ram_addr(&t->init, k);
        if (ssts_addrset_has(fina_set, a))
            continue;
        uint8_t want = moo_ram_val(&t->init, k);
        uint8_t got = (uint8_t)mmu_read_phys(m->mmu, a, 1);
        if (want != got) {
            r->ndiff++;
            ssts_note(r, "RAM %06X: expected unchanged %02X, got %02X", a, want, got);
        }
    }
}

static unsigned long ssts_scan_all(struct ssts_machine *m, uint32_t *first);

/* Zero what the test wrote and check its pages are clean: the pages of its
 * INIT/FINA bytes and stack, and every page the write TLB holds (real mode:
 * linear = physical).  Writes the TLB cannot show (slow path, evicted
 * entries) are caught by the full scan after the file. */
static void ssts_clean(struct ssts_machine *m, const struct moo_test *t, struct ssts_result *r)
{
    for (unsigned set = 0; set < 2; set++) {
        const struct mmu_tlb *tlb = mmu_tlb_for(m->mmu, set == 1);
        for (unsigned k = 0; k < MMU_TLB_SIZE; k++)
            if (tlb->write[k].tag != MMU_TLB_INVALID)
                ssts_track_page(m, tlb->write[k].phys);
    }
    for (uint32_t k = 0; k < t->init.ram_count; k++) {
        uint32_t a = moo_ram_addr(&t->init, k);
        if (a < SSTS_RAM_SIZE)
            mmu_write_phys(m->mmu, a, 0, 1);
    }
    for (uint32_t k = 0; k < t->fina.ram_count; k++) {
        uint32_t a = moo_ram_addr(&t->fina, k);
        if (a < SSTS_RAM_SIZE)
            mmu_write_phys(m->mmu, a, 0, 1);
    }
    for (unsigned p = 0; p < m->npages; p++) {
        const uint8_t *h = mmu_phys_host(m->mmu, m->pages[p], false);
        if (!h)
            continue;
        for (uint32_t o = 0; o < MMU_PAGE_SIZE; o++) {
            if (!h[o])
                continue;
            r->ndiff++;
            ssts_note(r, "unexpected write: RAM %06X = %02X", m->pages[p] + o, h[o]);
            mmu_write_phys(m->mmu, m->pages[p] + o, 0, 1);
        }
    }
    if (m->pages_overflow) {
        uint32_t first = 0;
        unsigned long n = ssts_scan_all(m, &first);
        if (n) {
            r->ndiff++;
            ssts_note(r, "%lu stray byte(s) written, first at %06X", n, first);
        }
    }
    m->npages = 0;
    m->pages_overflow = false;
}

/* Full scan: stray writes outside the pages checked per test.  Run after
 * every test whose run did not end on a HLT (a wrong path can write
 * anywhere) and after each file. */
static unsigned long ssts_scan_all(struct ssts_machine *m, uint32_t *first)
{
    static const uint8_t zero[MMU_PAGE_SIZE];
    unsigned long n = 0;
    for (uint32_t pg = 0; pg < SSTS_RAM_SIZE; pg += MMU_PAGE_SIZE) {
        const uint8_t *h = mmu_phys_host(m->mmu, pg, false);
        if (!h || !memcmp(h, zero, MMU_PAGE_SIZE))
            continue;
        for (uint32_t o = 0; o < MMU_PAGE_SIZE; o++) {
            if (!h[o])
                continue;
            if (!n++)
                *first = pg + o;
            mmu_write_phys(m->mmu, pg + o, 0, 1);
        }
    }
    return n;
}

/* Point IVT entry `from` at the handler of entry `to` (real-mode IVT at
 * 0, 4 bytes an entry), unless the test itself provides bytes there. */
static bool ssts_alias_vector(struct ssts_machine *m, const struct moo_test *t, uint8_t from,
                              uint8_t to)
{
    for (uint32_t k = 0; k < t->init.ram_count; k++) {
        uint32_t a = moo_ram_addr(&t->init, k);
        if (a >= 4u * from && a < 4u * from + 4)
            return false;
    }
    for (unsigned k = 0; k < 4; k++)
        mmu_write_phys(m->mmu, 4u * from + k, mmu_read_phys(m->mmu, 4u * to + k, 1), 1);
    return true;
}

static void ssts_unalias_vector(struct ssts_machine *m, uint8_t from)
{
    for (unsigned k = 0; k < 4; k++)
        mmu_write_phys(m->mmu, 4u * from + k, 0, 1);
}

static bool ssts_init_has(const struct moo_test *t, uint32_t lo, uint32_t n)
{
    for (uint32_t k = 0; k < t->init.ram_count; k++) {
        uint32_t a = moo_ram_addr(&t->init, k);
        if (a >= lo && a < lo + n)
            return true;
    }
    return false;
}

/* Point IVT entry `v` at a HLT placed where the test has no bytes, so a
 * run that raises `v` stops right after delivering it.  Returns the HLT's
 * address, or 0 when the test itself provides that IVT entry. */
static uint32_t ssts_install_stub(struct ssts_machine *m, const struct moo_test *t, uint8_t v)
{
    static const uint32_t spots[] = {0x00500, 0x07C00, 0x50000, 0x9F000, 0xE0000};
    if (ssts_init_has(t, 4u * v, 4))
        return 0;
    uint32_t ss_sp = ((uint32_t)t->init.regs.v[MOO_SS] << 4) + t->init.regs.v[MOO_SP];
    for (size_t k = 0; k < sizeof spots / sizeof spots[0]; k++) {
        uint32_t a = spots[k];
        if (ssts_init_has(t, a, 1) || (a + 16 > ss_sp && a < ss_sp + 16))
            continue;
        mmu_write_phys(m->mmu, a, 0xF4, 1);
        mmu_write_phys(m->mmu, 4u * v, 0, 2);             /* offset 0 */
        mmu_write_phys(m->mmu, 4u * v + 2, a >> 4, 2);    /* segment */
        return a;
    }
    return 0;
}

static void ssts_remove_stub(struct ssts_machine *m, uint8_t v, uint32_t a)
{
    mmu_write_phys(m->mmu, a, 0, 1);
    mmu_write_phys(m->mmu, 4u * v, 0, 4);
}

enum ssts_outcome { SSTS_PASS, SSTS_FAIL, SSTS_EXCLUDED };

static enum ssts_outcome ssts_run_test(struct ssts_machine *m, const struct moo_file *mf,
                                       const struct moo_test *t, const struct ssts_meta *meta,
                                       struct ssts_addrset *fina_set, struct ssts_result *r,
                                       const struct ssts_exclusion **exo)
{
    struct ssts_form f;
    ssts_meta_form(meta, t->bytes, t->nbytes, &f);
    /* Several entries may apply (LOCK POPF): their allowances add up; the
     * one credited is the first that allows everything, else the first. */
    const struct ssts_exclusion *ex = NULL, *all = NULL;
    struct ssts_relax rx = {0, 0, 0, 0, false};
    for (const struct ssts_exclusion *e = ssts_exclusion_find(&f, t, NULL); e;
         e = ssts_exclusion_find(&f, t, e)) {
        if (!ex)
            ex = e;
        if (e->relax_all && !all)
            all = e;
        rx.flags |= e->relax_flags;
        rx.regs |= e->relax_regs;
        if (e->alias_vector && !rx.alias_vector) {
            rx.alias_vector = e->alias_vector;
            rx.alias_to = e->alias_to;
        }
    }
    *exo = all ? all : ex;
    memset(r, 0, sizeof *r);
    if (!ssts_addrset_fill(fina_set, &t->fina)) {
        ssts_note(r, "out of memory");
        return SSTS_FAIL;
    }
    bool ok = ssts_load(m, t, r);
    bool took = false;
    struct cpu_exception_info xi = {0};
    enum cpu_stop st = CPU_STOP_BUDGET;
    int p6 = all ? all->p6_vector : SSTS_P6_ANY;
    uint32_t stub = 0;
    if (ok && rx.alias_vector)
        rx.aliased = ssts_alias_vector(m, t, rx.alias_vector, rx.alias_to);
    if (ok && p6 >= 0 && p6 < 256)
        stub = ssts_install_stub(m, t, (uint8_t)p6);
    if (ok) {
        struct cpu_stats before, after;
        cpu_get_stats(m->cpu, &before);
        st = cpu_run(m->cpu, SSTS_BUDGET);
        cpu_get_stats(m->cpu, &after);
        /* Exceptions delivered during this test (cpu_last_exception is
         * only meaningful when the count moved). */
        cpu_last_exception(m->cpu, &xi);
        took = after.exceptions != before.exceptions && xi.valid;
        if (st != CPU_STOP_HALT && st != CPU_STOP_DEAD_HALT) {
            r->ndiff++;
            ssts_note(r, "run ended: %s at %04X:%04X", ssts_stop_name(st), ssts_cs(m->cpu),
                      cpu_get_eip(m->cpu));
        }
        ssts_compare(m, t, &f, mf, &rx, fina_set, r);
        if (r->ndiff) {
            if (t->has_excp && took)
                ssts_note(r, "expected exception %u, we delivered %u (at %04X:%04X)",
                          t->excp_vector, xi.vector, xi.cs, xi.eip);
            else if (t->has_excp)
                ssts_note(r, "expected exception %u, we delivered none", t->excp_vector);
            else if (took)
                ssts_note(r, "no exception expected, we delivered %u (at %04X:%04X)",
                          xi.vector, xi.cs, xi.eip);
        }
        if (rx.aliased)
            ssts_unalias_vector(m, rx.alias_vector);
        if (stub)
            ssts_remove_stub(m, (uint8_t)p6, stub);
    }
    ssts_clean(m, t, r);
    /* Matching only thanks to the vector alias is the documented
     * difference, not a pass. */
    bool used_alias = rx.aliased && took && xi.vector == rx.alias_vector;
    if (ok && !r->ndiff && !used_alias)
        return SSTS_PASS;
    if (ok && !r->ndiff)
        return SSTS_EXCLUDED;
    bool halted = st == CPU_STOP_HALT || st == CPU_STOP_DEAD_HALT;
    if (!halted) {
        /* A run that never reached a HLT may have written anywhere. */
        uint32_t first = 0;
        unsigned long stray = ssts_scan_all(m, &first);
        if (stray) {
            r->ndiff++;
            ssts_note(r, "%lu stray byte(s) written elsewhere, first at %06X", stray, first);
        }
    }
    if (!ok)
        return SSTS_FAIL;
    if (all) {
        /* The form behaves differently on the P6: check it does what the
         * manual says the P6 does. */
        if (p6 == SSTS_P6_NO_EXC && (took || !halted)) {
            ssts_note(r, "excluded form: a P6 completes it without an exception");
            return SSTS_FAIL;
        }
        if (stub && !(halted && took && xi.vector == p6 &&
                      xi.cs == t->init.regs.v[MOO_CS] && xi.eip == t->init.regs.v[MOO_IP])) {
            ssts_note(r, "excluded form: a P6 raises exception %d at the instruction", p6);
            return SSTS_FAIL;
        }
        return SSTS_EXCLUDED;
    }
    if (ex && r->nrelaxed_only == r->ndiff)
        return SSTS_EXCLUDED;
    return SSTS_FAIL;
}

/* ---- files and the directory ------------------------------------------ */

static uint8_t *ssts_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 1u << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "read error");
        return NULL;
    }
    *len = n;
    return buf;
}

static bool ssts_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int ssts_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct ssts_run {
    const struct ssts_opts *o;
    struct ssts_machine m;
    struct ssts_meta *meta;
    struct ssts_revoked revoked;
    struct ssts_addrset fina_set;
    struct ssts_totals tot;
    unsigned long *excl_counts; /* per exclusion entry */
};

static void ssts_print_details(const struct moo_test *t, const struct ssts_result *r,
                               const char *tag)
{
    char hex[3 * 16 + 1];
    ssts_hex_bytes(t->bytes, t->nbytes > 16 ? 16 : t->nbytes, hex, sizeof hex);
    printf("  %s #%u \"%.*s\" [%s]\n", tag, t->index, (int)(t->name_len > 60 ? 60 : t->name_len),
           t->name ? t->name : "", hex);
    for (unsigned k = 0; k < r->nmsg; k++)
        printf("      %s\n", r->msg[k]);
}

static void ssts_run_file(struct ssts_run *run, const char *name)
{
    char path[4096], err[256];
    snprintf(path, sizeof path, "%s/%s", run->o->dir, name);
    size_t len, raw_len;
    uint8_t *raw = ssts_read_file(path, &raw_len, err, sizeof err), *data = NULL;
    struct moo_file mf;
    bool parsed = false;
    if (raw) {
        if (ssts_ends_with(name, ".gz")) {
            if (moo_gunzip(raw, raw_len, &data, &len, err, sizeof err))
                data = NULL;
            free(raw);
        } else {
            data = raw;
            len = raw_len;
        }
        if (data)
            parsed = moo_parse(data, len, &mf, err, sizeof err) == 0;
    }
    if (!parsed) {
        printf("%s: error: %s (counted as 1 failed test)\n", name, err);
        free(data);
        run->tot.failed++;
        run->tot.file_errors++;
        return;
    }
    unsigned long pass = 0, fail = 0, excl = 0, rev = 0, shown = 0;
    size_t nex;
    const struct ssts_exclusion *exlist = ssts_exclusion_list(&nex);
    for (size_t k = 0; k < mf.ntests; k++) {
        const struct moo_test *t = &mf.tests[k];
        if (t->has_hash && ssts_revoked_has(&run->revoked, t->hash)) {
            rev++;
            continue;
        }
        struct ssts_result r;
        const struct ssts_exclusion *ex;
        enum ssts_outcome oc = ssts_run_test(&run->m, &mf, t, run->meta, &run->fina_set, &r, &ex);
        if (oc == SSTS_PASS) {
            pass++;
        } else if (oc == SSTS_EXCLUDED) {
            excl++;
            run->excl_counts[ex - exlist]++;
            if (run->o->verbose)
                ssts_print_details(t, &r, "excluded");
        } else {
            fail++;
            if (run->o->verbose || shown < SSTS_DETAILS_DEFAULT)
                ssts_print_details(t, &r, "FAIL");
            shown++;
        }
    }
    uint32_t first = 0;
    unsigned long stray = ssts_scan_all(&run->m, &first);
    printf("%s: %lu passed, %lu failed", name, pass, fail);
    if (excl)
        printf(", %lu excluded", excl);
    if (rev)
        printf(", %lu revoked", rev);
    printf("\n");
    if (stray) {
        /* Not attributable to one test: the file fails one more. */
        printf("%s: error: %lu stray byte(s) written outside the tests' pages, first at %06X "
               "(counted as 1 failed test)\n", name, stray, first);
        run->tot.failed++;
        run->tot.file_errors++;
    }
    run->tot.passed += pass;
    run->tot.failed += fail;
    run->tot.excluded += excl;
    run->tot.revoked += rev;
    moo_free(&mf);
    free(data);
}

static void ssts_usage(FILE *f)
{
    fprintf(f, "usage: ssts-run [-v] [--min-pass PCT] [--only PREFIX] DIR\n"
               "  runs every *.MOO.gz / *.MOO file of DIR (with metadata.json and\n"
               "  revocation_list.txt) through the CPU; exit 0 when the pass rate is\n"
               "  at least PCT (default 99.5) and every file parsed.\n");
}

static int ssts_parse_args(int argc, char **argv, struct ssts_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_pass = 99.5;
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o->verbose = true;
        } else if (!strcmp(a, "--min-pass") && k + 1 < argc) {
            char *end;
            o->min_pass = strtod(argv[++k], &end);
            if (*end || o->min_pass < 0 || o->min_pass > 100) {
                fprintf(stderr, "ssts-run: --min-pass wants a percentage, got '%s'\n", argv[k]);
                return -1;
            }
        } else if (!strcmp(a, "--only") && k + 1 < argc) {
            o->only = argv[++k];
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            ssts_usage(stdout);
            exit(0);
        } else if (a[0] == '-' || o->dir) {
            fprintf(stderr, "ssts-run: unexpected argument '%s'\n", a);
            ssts_usage(stderr);
            return -1;
        } else {
            o->dir = a;
        }
    }
    if (!o->dir) {
        ssts_usage(stderr);
        return -1;
    }
    return 0;
}

/* The sorted list of test files in the directory. */
static char **ssts_list_dir(const char *dir, const char *only, size_t *n, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return NULL;
    }
    size_t cap = 0;
    char **names = NULL;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!ssts_ends_with(e->d_name, ".MOO.gz") && !ssts_ends_with(e->d_name, ".MOO"))
            continue;
        if (only && strncmp(e->d_name, only, strlen(only)) != 0)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 512;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        if (!(names[*n] = strdup(e->d_name)))
            break;
        (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, ssts_name_cmp);
    else {
        snprintf(err, errlen, "%s: no *.MOO.gz or *.MOO test files%s%s", dir,
                 only ? " matching " : "", only ? only : "");
        free(names);
        return NULL;
    }
    return names;
}

int main(int argc, char **argv)
{
    struct ssts_opts o;
    if (ssts_parse_args(argc, argv, &o))
        return 2;
    struct ssts_run run;
    memset(&run, 0, sizeof run);
    run.o = &o;
    char err[512], path[4096];
    size_t nfiles;
    char **files = ssts_list_dir(o.dir, o.only, &nfiles, err, sizeof err);
    if (!files) {
        fprintf(stderr, "ssts-run: %s\n", err);
        return 2;
    }
    snprintf(path, sizeof path, "%s/metadata.json", o.dir);
    run.meta = ssts_meta_load(path, err, sizeof err);
    if (!run.meta) {
        fprintf(stderr, "ssts-run: %s\n", err);
        return 2;
    }
    snprintf(path, sizeof path, "%s/revocation_list.txt", o.dir);
    if (ssts_revoked_load(path, &run.revoked, err, sizeof err)) {
        fprintf(stderr, "ssts-run: %s\n", err);
        return 2;
    }
    size_t nex;
    const struct ssts_exclusion *exlist = ssts_exclusion_list(&nex);
    run.excl_counts = calloc(nex ? nex : 1, sizeof *run.excl_counts);
    run.m.mmu = mmu_create(SSTS_RAM_SIZE);
    struct cpu_bus_ops bus = {NULL, ssts_io_in, ssts_io_out, ssts_intr_ack};
    /* No coprocessor, as on the capture rig. */
    struct cpu_config cfg = {CPU_MODEL_PENTIUM2, false};
    run.m.cpu = run.m.mmu ? cpu_create(run.m.mmu, &bus, &cfg) : NULL;
    if (!run.excl_counts || !run.m.cpu) {
        fprintf(stderr, "ssts-run: cannot create the machine\n");
        return 2;
    }
    mmu_set_a20(run.m.mmu, true);

    for (size_t k = 0; k < nfiles; k++) {
        ssts_run_file(&run, files[k]);
        free(files[k]);
    }
    free(files);

    for (size_t k = 0; k < nex; k++)
        if (run.excl_counts[k])
            printf("  excluded %lu x %s: %s\n", run.excl_counts[k], exlist[k].key,
                   exlist[k].reason);
    if (run.tot.revoked)
        printf("revoked: %lu (revocation_list.txt)\n", run.tot.revoked);
    if (run.tot.file_errors)
        printf("file errors: %lu\n", run.tot.file_errors);
    unsigned long graded = run.tot.passed + run.tot.failed;
    double rate = graded ? 100.0 * (double)run.tot.passed / (double)graded : 0.0;
    printf("pass rate: %.2f %% of %lu graded tests (bar %.2f %%)\n", rate, graded, o.min_pass);
    printf("excluded: %lu (see tests/conformance/exclusions.c)\n", run.tot.excluded);
    printf("%lu passed, %lu failed\n", run.tot.passed, run.tot.failed);

    cpu_destroy(run.m.cpu);
    mmu_destroy(run.m.mmu);
    ssts_meta_free(run.meta);
    ssts_revoked_free(&run.revoked);
    free(run.fina_set.a);
    free(run.excl_counts);
    return (graded && rate >= o.min_pass && !run.tot.file_errors) ? 0 : 1;
}
