/*
 * exec.c - the run loop: trace lookup and decoding, instruction dispatch,
 * exceptions (with double and triple fault), external interrupts, the
 * interrupt shadow, HLT, and the debug exceptions that belong to
 * instruction boundaries: single-step and data/I/O breakpoint traps,
 * instruction-breakpoint faults and the RF flag (SDM vol. 3, 17.3).
 *
 * Time is icount.  The inner loop runs a trace while icount < stop_at;
 * anything that must be looked at between instructions (a pending
 * interrupt, the end of an interrupt shadow, a write to the running code,
 * a stop request, the budget) lowers stop_at so the outer loop sees it.
 *
 * Speed: traces that end with a near transfer (or fall through) go
 * straight on to their successor through the trace links of
 * cpu/icache.h, without going back to the outer loop, translating the
 * fetch address or hashing; and some forms get a handler specialized at
 * decode time (register operand, 32-bit operand size: see
 * ctl_specialize() & co.).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cpu/debug_internal.h"
#include "cpu/icache.h"

/* A bit of struct cpu.debug_trap that is no DR6 status bit (DR6 bit 31
 * reads as 1 and is never stored from debug_trap): the pending #DB was
 * raised by MOV SS / POP SS, or the instruction after one, and waits for
 * the boundary after the next instruction (SDM vol. 3, 6.8.3).  STI's
 * shadow holds only maskable interrupts. */
#define EXEC_DB_SHADOW 0x80000000u

/* Exception classes for double-fault detection (SDM vol. 3, 6.15, table
 * 6-4): #DE, #TS, #NP, #SS and #GP are contributory; #PF has its own
 * class; everything else is benign. */
enum exec_class { EXEC_BENIGN, EXEC_CONTRIBUTORY, EXEC_PAGE_FAULT, EXEC_DOUBLE_FAULT };

static enum exec_class exec_class_of(unsigned vector)
{
    switch (vector) {
    case CPU_EXC_DE:
    case CPU_EXC_TS:
    case CPU_EXC_NP:
    case CPU_EXC_SS:
    case CPU_EXC_GP: return EXEC_CONTRIBUTORY;
    case CPU_EXC_PF: return EXEC_PAGE_FAULT;
    case CPU_EXC_DF: return EXEC_DOUBLE_FAULT;
    default: return EXEC_BENIGN;
    }
}

/* Vectors that push an error code (SDM vol. 3, table 6-1). */
static bool exec_has_error(unsigned vector)
{
    return vector == CPU_EXC_DF || (vector >= CPU_EXC_TS && vector <= CPU_EXC_PF) ||
           vector == CPU_EXC_AC;
}

_Noreturn void cpu_exception(struct cpu *c, unsigned vector, uint32_t error)
{
    if (!c->in_run) {
        /* Only instruction handlers (inside cpu_run) may raise: anything
         * else is a bug in the caller, and unwinding would jump into a
         * dead stack frame. */
        fprintf(stderr, "ringzero: cpu_exception(%u) outside cpu_run\n", vector);
        abort();
    }
    c->eip = c->prev_eip;
    /* The instruction does not complete: the data breakpoints it hit
     * report nothing (it is restarted, and hits them again). */
    c->debug_trap &= ~DBG_DR6_B0_B3;
    c->exc_vector = (uint8_t)vector;
    c->exc_error = error;
    longjmp(c->unwind, 1);
}

_Noreturn void cpu_page_fault(struct cpu *c, const struct mmu_fault *f)
{
    c->cr[2] = f->linear;
    cpu_exception(c, CPU_EXC_PF, f->error);
}

void cpu_inhibit_interrupts(struct cpu *c)
{
    /* icount already counts the current instruction: the shadow covers
     * exactly the next one (SDM vol. 3, 6.8.3). */
    c->inhibit_until = c->icount + 1;
    cpu_end_trace(c);
}

void cpu_halt(struct cpu *c)
{
    c->halted = true;
    cpu_end_trace(c);
}

void cpu_request_stop(struct cpu *c)
{
    if (c->in_run) {
        c->stop_requested = true;
        cpu_end_trace(c);
    }
}

void cpu_set_intr(struct cpu *c, bool level)
{
    c->intr_line = level;
    if (level)
        cpu_end_trace(c);
}

void cpu_set_nmi(struct cpu *c, bool level)
{
    if (level && !c->nmi_line) {
        c->nmi_pending = true;
        cpu_end_trace(c);
    }
    c->nmi_line = level;
}

void cpu_code_write(void *opaque, uint32_t phys, unsigned size)
{
    struct cpu *c = opaque;
    if (icache_invalidate(c->icache, phys, size))
        cpu_end_trace(c); /* the next instruction may be one changed */
}

/* ------------------------------------------------------------------ */
/* Exceptions                                                          */

static void exec_chain_add(struct cpu *c, unsigned vector, bool has_error, uint32_t error)
{
    struct cpu_exception_info e = {
        .valid = true,
        .vector = (uint8_t)vector,
        .has_error = has_error,
        .error = error,
        .cs = c->seg[CPU_CS].sel,
        .eip = c->eip,
    };
    c->last_exc = e;
    struct cpu_shutdown_info *s = &c->shutdown_info;
    if (s->n < CPU_SHUTDOWN_CHAIN)
        s->chain[s->n++] = e;
}

/* Deliver the exception in c->exc_vector/exc_error, applying the double
 * fault rules (SDM vol. 3, 6.15, table 6-5) when it was raised while
 * another exception was being delivered.  `fault`: a fault-class
 * exception, which pushes RF = 1 (see below). */
static void exec_deliver_exception(struct cpu *c, bool fault)
{
    unsigned vector = c->exc_vector;
    uint32_t error = c->exc_error;
    c->resume = NULL;
    if (c->delivering < 0) {
        c->shutdown_info.n = 0;
    } else {
        enum exec_class first = exec_class_of((unsigned)c->delivering);
        enum exec_class second = exec_class_of(vector);
        if (first == EXEC_DOUBLE_FAULT) {
            /* A fault while delivering #DF: shutdown.  The processor
             * stays there until RESET (SDM vol. 3, 6.15, interrupt 8). */
            exec_chain_add(c, vector, exec_has_error(vector), error);
            c->shutdown = true;
            c->shutdown_info.valid = true;
            c->delivering = -1;
            return;
        }
        if ((first == EXEC_CONTRIBUTORY && second == EXEC_CONTRIBUTORY) ||
            (first == EXEC_PAGE_FAULT && second != EXEC_BENIGN)) {
            exec_chain_add(c, vector, exec_has_error(vector), error);
            vector = CPU_EXC_DF;
            error = 0;
        }
    }
    exec_chain_add(c, vector, exec_has_error(vector), error);
    /* "For any fault-class exception except a debug exception generated
     * in response to an instruction breakpoint, the value pushed for RF
     * is 1" (SDM vol. 3, 17.3.1.1), so that IRET resumes the faulting
     * instruction without hitting its instruction breakpoint again.
     * Everything raised through cpu_exception() is a fault (general
     * detect included); #DF is an abort and pushes RF as it is.
     * cpu_deliver() clears RF once the frame is pushed. */
    if (fault && vector != CPU_EXC_DF)
        c->eflags |= CPU_FL_RF;
    c->stats.exceptions++;
    /* Delivering an exception takes a tick of virtual time: a fault loop
     * (a handler address that faults on fetch) then still advances the
     * clock and ends the slice, it never spins inside cpu_run. */
    c->icount++;
    c->delivering = (int)vector;
    cpu_deliver(c, vector, CPU_EV_EXCEPTION, exec_has_error(vector), error);
    c->delivering = -1;
}

/* ------------------------------------------------------------------ */
/* Fetch and decode                                                    */

static void exec_h_too_long(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_GP, 0); /* more than 15 bytes (SDM vol. 2, 2.3.11) */
}

static uint32_t exec_translate_fetch_slow(struct cpu *c, uint32_t lin)
{
    uint32_t phys;
    struct mmu_fault f;
    if (!mmu_translate(c->mmu, lin, MMU_FETCH, c->cpl == 3, &phys, &f))
        cpu_page_fault(c, &f);
    return phys;
}

static inline uint32_t exec_translate_fetch(struct cpu *c, uint32_t lin)
{
    const struct mmu_tlb_entry *e = &c->tlb->fetch[(lin >> MMU_PAGE_SHIFT) & (MMU_TLB_SIZE - 1)];
    if (CPU_LIKELY(e->tag == (lin & MMU_PAGE_MASK)))
        return e->phys | (lin & ~MMU_PAGE_MASK);
    return exec_translate_fetch_slow(c, lin);
}

static void exec_read_code(struct cpu *c, uint32_t phys, uint8_t *buf, size_t n)
{
    const uint8_t *host = mmu_phys_host(c->mmu, phys, false);
    for (size_t k = 0; k < n; k++)
        buf[k] = host != NULL ? host[k] : (uint8_t)mmu_read_phys(c->mmu, phys + (uint32_t)k, 1);
}

static cpu_handler_fn *exec_handler(enum dec_status st, const struct dec_insn *d)
{
    if (st == DEC_OK) {
        cpu_handler_fn *fn = ctl_specialize(d);
        if (fn == NULL)
            fn = alu_specialize(d);
        if (fn == NULL)
            fn = shift_specialize(d);
        if (fn == NULL)
            fn = move_specialize(d);
        return fn != NULL ? fn : cpu_handler_table[d->op];
    }
    if (st == DEC_TOO_LONG)
        return exec_h_too_long;
    return cpu_handler_table[DEC_INVALID_OP];
}

/* FOP of an x87 form: the escape is the first byte in D8h-DFh (no prefix
 * lies in that range) and the ModRM byte follows it. */
static uint16_t exec_fop(const uint8_t *bytes, const struct dec_insn *d)
{
    if (!(dec_form((enum dec_op)d->op)->flags & DEC_DF_X87))
        return 0;
    for (unsigned k = 0; k + 1 < d->len; k++)
        if ((bytes[k] & 0xF8u) == 0xD8u)
            return (uint16_t)(((bytes[k] & 7u) << 8) | bytes[k + 1]);
    return 0;
}

/* One instruction, decoded outside the cache: it crosses into the next
 * page, or the code is not in RAM/ROM.  `avail_lim` = bytes up to the CS
 * limit.  Bytes of the second page are fetched only when the instruction
 * needs them, so the #PF (CR2 = the first byte of that page) happens
 * exactly when the hardware's would. */
static const struct cpu_trace *exec_decode_one(struct cpu *c, uint32_t lin, uint32_t phys,
                                               unsigned mode, uint64_t avail_lim)
{
    uint8_t buf[15];
    size_t want = avail_lim < 15 ? (size_t)avail_lim : 15;
    size_t page_left = MMU_PAGE_SIZE - (phys & ~MMU_PAGE_MASK);
    size_t n1 = want < page_left ? want : page_left;
    struct dec_insn d;
    exec_read_code(c, phys, buf, n1);
    enum dec_status st = dec_decode(buf, n1, (enum dec_mode)mode, &d);
    if (st == DEC_TRUNCATED && n1 < want) {
        uint32_t phys2 = exec_translate_fetch(c, lin + (uint32_t)n1);
        exec_read_code(c, phys2, buf + n1, want - n1);
        st = dec_decode(buf, want, (enum dec_mode)mode, &d);
    }
    if (st == DEC_TRUNCATED) /* the instruction runs past the CS limit */
        cpu_exception(c, CPU_EXC_GP, 0);
    struct cpu_trace *t = icache_scratch(c->icache);
    t->phys = phys;
    t->mode = (uint8_t)mode;
    t->bytes = d.len;
    t->insn->d = d;
    t->insn->fn = exec_handler(st, &d);
    t->insn->last = true;
    t->insn->fop = st == DEC_OK ? exec_fop(buf, &d) : 0;
    return t;
}

/* Near transfers: they leave CS, CPL, the mode and the interrupt state
 * alone, so the trace they end can be linked to its successors.  Far
 * transfers, INT/IRET, SYSENTER/SYSEXIT and trace-ending forms go back
 * to the run loop, which looks at everything again. */
static bool exec_near_branch(enum dec_op op)
{
    switch (op) {
    case DEC_JMP_Jb: case DEC_JMP_Jw: case DEC_JMP_Jd: case DEC_JMP_Ew: case DEC_JMP_Ed:
    case DEC_CALL_Jw: case DEC_CALL_Jd: case DEC_CALL_Ew: case DEC_CALL_Ed:
    case DEC_RET_O16: case DEC_RET_O32: case DEC_RET_Iw_O16: case DEC_RET_Iw_O32:
    case DEC_LOOPNE_Jb: case DEC_LOOPE_Jb: case DEC_LOOP_Jb: case DEC_JCXZ_Jb: case DEC_JECXZ_Jb:
#define EXEC_JCC(cc) case DEC_##cc##_Jb: case DEC_##cc##_Jw: case DEC_##cc##_Jd:
    EXEC_JCC(JO) EXEC_JCC(JNO) EXEC_JCC(JB) EXEC_JCC(JAE) EXEC_JCC(JE) EXEC_JCC(JNE)
    EXEC_JCC(JBE) EXEC_JCC(JA) EXEC_JCC(JS) EXEC_JCC(JNS) EXEC_JCC(JP) EXEC_JCC(JNP)
    EXEC_JCC(JL) EXEC_JCC(JGE) EXEC_JCC(JLE) EXEC_JCC(JG)
#undef EXEC_JCC
        return true;
    default:
        return false;
    }
}

/* Decode a trace at phys: up to ICACHE_TRACE_MAX instructions, ending
 * after a branch or trace-ending form, after a REP string form (it loops
 * on itself), before an instruction that crosses the page or the CS
 * limit, and at the page end. */
static const struct cpu_trace *exec_decode(struct cpu *c, uint32_t lin, uint32_t phys,
                                           unsigned mode, uint64_t avail_lim)
{
    const uint8_t *host = mmu_phys_host(c->mmu, phys, false);
    if (host == NULL)
        return exec_decode_one(c, lin, phys, mode, avail_lim);
    c->resume = NULL; /* icache_begin() may recycle the pool */
    struct cpu_insn *out = icache_begin(c->icache);
    uint32_t off = phys & ~MMU_PAGE_MASK;
    unsigned n = 0, pos = 0;
    bool chain = true; /* falls through unless the last entry says otherwise */
    while (n < ICACHE_TRACE_MAX && pos < avail_lim && off + pos < MMU_PAGE_SIZE) {
        uint64_t avail = MMU_PAGE_SIZE - (off + pos);
        if (avail > avail_lim - pos)
            avail = avail_lim - pos;
        if (avail > 15)
            avail = 15;
        struct dec_insn d;
        enum dec_status st = dec_decode(host + pos, (size_t)avail, (enum dec_mode)mode, &d);
        if (st == DEC_TRUNCATED) {
            if (n > 0)
                break; /* it becomes the start of its own (uncached) trace */
            return exec_decode_one(c, lin, phys, mode, avail_lim);
        }
        out[n].d = d;
        out[n].fn = exec_handler(st, &d);
        out[n].last = false;
        out[n].fop = st == DEC_OK ? exec_fop(host + pos, &d) : 0;
        n++;
        if (st != DEC_OK) {
            /* The #UD/#GP entry depends on every byte the decoder could
             * look at: cover them all, so that rewriting any of them
             * discards the entry. */
            pos += (unsigned)avail;
            chain = false;
            break;
        }
        pos += d.len;
        unsigned f = dec_form((enum dec_op)d.op)->flags;
        if (f & (DEC_DF_BRANCH | DEC_DF_ENDTRACE)) {
            chain = !(f & DEC_DF_ENDTRACE) && exec_near_branch((enum dec_op)d.op);
            break;
        }
        if ((f & DEC_DF_STRING) && (d.flags & (DEC_F_REP | DEC_F_REPNE))) {
            /* It advances icount itself: the run loop must look at
             * icount again after it (exec_trace). */
            chain = false;
            break;
        }
    }
    out[n - 1].last = true; /* n > 0: exec_fetch() checked EIP against the CS limit */
    return icache_commit(c->icache, phys, mode, n, pos, chain);
}

static inline const struct cpu_trace *exec_fetch(struct cpu *c)
{
    const struct cpu_seg *cs = &c->seg[CPU_CS];
    uint32_t eip = c->eip;
    if (eip > cs->limit)
        cpu_exception(c, CPU_EXC_GP, 0);
    uint32_t lin = cs->base + eip;
    uint32_t phys = exec_translate_fetch(c, lin);
    unsigned mode = cpu_code32(c) ? DEC_MODE_32 : DEC_MODE_16;
    uint64_t avail_lim = (uint64_t)cs->limit - eip + 1;
    const struct cpu_trace *t = icache_lookup(c->icache, phys, mode);
    if (t != NULL && t->bytes <= avail_lim) {
        c->stats.icache_hits++;
        return t;
    }
    c->stats.icache_misses++;
    return exec_decode(c, lin, phys, mode, avail_lim);
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

static bool exec_is_rep_string(const struct cpu_insn *i)
{
    return (i->d.flags & (DEC_F_REP | DEC_F_REPNE)) &&
           (dec_form((enum dec_op)i->d.op)->flags & DEC_DF_STRING);
}

/* The loops must not be inlined into cpu_run(): a function that calls
 * setjmp() keeps its variables in memory, and the hot loop would reload
 * `c` from the stack around every handler call.  exec_trace() stays out
 * of exec_loop() too, so that its own loop gets the registers. */
#if defined(__GNUC__)
#define EXEC_NOINLINE __attribute__((noinline))
#else
#define EXEC_NOINLINE
#endif

/* Runs one or more instructions; returns the last one executed. */
static EXEC_NOINLINE const struct cpu_insn *exec_trace(struct cpu *c)
{
    if (c->resume != NULL) {
        /* A REP string instruction overwrote its own code: like the
         * hardware, it completes with the decoding it started with; the
         * new bytes are fetched when it is done or interrupted. */
        const struct cpu_insn *i = c->resume;
        c->resume = NULL;
        c->prev_eip = c->eip;
        c->eip += i->d.len;
        c->icount++;
        i->fn(c, i);
        if (c->eip == c->prev_eip && !c->halted) {
            c->resume = i;
            c->eflags |= CPU_FL_RF; /* stopped between iterations: below */
        }
        return i;
    }
    struct cpu_icache *ic = c->icache;
    icache_check_context(ic, &c->seg[CPU_CS], c->tlb);
    c->prev_eip = c->eip;
    const struct cpu_trace *t = exec_fetch(c);
    /* Run traces back to back while nothing needs the run loop: each
     * trace ends at a near transfer or falls through (t->chain), and
     * icount is below stop_at (which every event, SMC hit and stop
     * request lowers).  The successor comes from the trace's links, else
     * from a full lookup that then links it.
     *
     * Inside the loop only the loop itself changes icount: the one
     * handler that advances it, a REP string instruction, ends an
     * unchained trace (exec_decode), so the loop returns right after it
     * and `n` stays equal to c->icount.  EIP stays in a local between
     * entries: an instruction that changes it otherwise than by raising
     * is a branch or trace-ending form, hence the last of its trace
     * (running the next entry after it would be wrong anyway). */
    uint64_t n = c->icount;
    const struct cpu_insn *i = t->insn;
    for (;;) {
        uint32_t eip = c->eip;
        for (;;) {
            c->prev_eip = eip;
            eip += i->d.len;
            c->eip = eip;
            c->icount = ++n;
            i->fn(c, i);
            if (n >= c->stop_at)
                goto stop;
            if (i->last)
                break;
            i++;
        }
        /* Only a trace-ending (hence unchained) instruction changes CS,
         * CPL or the mode; a TLB flush, which may come from any port or
         * MMIO access (the A20 gate, the memory map), kills the links. */
        eip = c->eip;
        const struct cpu_trace *next;
        if (t->link_eip[0] == eip && t->link_epoch == ic->epoch) {
            next = t->link[0];
            i = t->link_insn[0];
            c->stats.icache_hits++;
        } else if (t->link_eip[1] == eip && t->link_epoch == ic->epoch) {
            next = t->link[1];
            i = t->link_insn[1];
            c->stats.icache_hits++;
        } else {
            /* Links exist only from chainable traces. */
            if (!t->chain)
                break;
            c->prev_eip = eip;
            next = exec_fetch(c);
            /* The fetch may have decoded, and so recycled t's slot or
             * the pool: linking then is still right (see icache_link). */
            icache_link(ic, (struct cpu_trace *)t, eip, next);
            i = next->insn;
        }
        t = next;
    }
stop:
    /* A REP string instruction stopped by stop_at (EIP left on it)
     * whose code was overwritten meanwhile finishes with its old
     * decoding (see above). */
    if (c->eip == c->prev_eip && exec_is_rep_string(i)) {
        if (icache_stale(ic, t))
            c->resume = i;
        /* Stopped between two iterations: an event delivered now pushes
         * RF = 1 (SDM vol. 3, 17.3.1.1), and the resumed instruction does
         * not hit its own instruction breakpoint again. */
        c->eflags |= CPU_FL_RF;
    }
    return i;
}

/* Deliver a pending NMI or INTR if one is allowed now. */
static bool exec_interrupts(struct cpu *c)
{
    unsigned vector;
    if (c->nmi_pending && !c->nmi_blocked) {
        c->nmi_pending = false;
        c->nmi_blocked = true; /* until the next IRET (SDM vol. 3, 6.7.1) */
        vector = CPU_EXC_NMI;
    } else if (c->intr_line && (c->eflags & CPU_FL_IF) && c->bus.intr_ack != NULL) {
        vector = c->bus.intr_ack(c->bus.opaque);
    } else {
        return false;
    }
    c->halted = false;
    c->resume = NULL;
    c->prev_eip = c->eip;
    c->delivering = -1;
    c->stats.interrupts++;
    /* A tick, like an exception: a stuck INTR line into a trap gate
     * still advances time and ends the slice. */
    c->icount++;
    cpu_deliver(c, vector, CPU_EV_EXTERNAL, false, 0);
    return true;
}

/* An NMI or INTR would be delivered now (and so ends HLT). */
static bool exec_wakes(const struct cpu *c, bool inhibited)
{
    if (inhibited)
        return false;
    return (c->nmi_pending && !c->nmi_blocked) ||
           (c->intr_line && (c->eflags & CPU_FL_IF) && c->bus.intr_ack != NULL);
}

/* A #DB with DR6 status `status`, returning to c->eip: a trap after the
 * previous instruction, or an instruction-breakpoint fault (EIP = the
 * instruction).  Neither forces RF in the image. */
static void exec_debug_exception(struct cpu *c, uint32_t status)
{
    dbg_set_dr6(c, status);
    c->prev_eip = c->eip;
    c->delivering = -1;
    c->exc_vector = CPU_EXC_DB;
    c->exc_error = 0;
    exec_deliver_exception(c, false);
}

/* MOV SS and POP SS: their shadow also holds #DB traps. */
static bool exec_loads_ss(const struct cpu_insn *i)
{
    return (i->d.op == DEC_MOV_SwEw && i->d.reg == CPU_SS) || i->d.op == DEC_POP_SS_O16 ||
           i->d.op == DEC_POP_SS_O32;
}

static EXEC_NOINLINE enum cpu_stop exec_loop(struct cpu *c)
{
    for (;;) {
        if (c->shutdown)
            return CPU_STOP_SHUTDOWN;
        if (c->stop_requested) {
            c->stop_requested = false;
            return CPU_STOP_REQUEST;
        }
        uint32_t mode = (c->cr[0] & CPU_CR0_PE) | (c->eflags & CPU_FL_VM);
        if (CPU_UNLIKELY(mode != c->seg_mode))
            cpu_seg_update_all(c);
        bool inhibited = c->icount < c->inhibit_until;
        /* Table 6-2 (SDM vol. 3, 6.9): the #DB trap of the previous
         * instruction (T flag of a new TSS, data and I/O breakpoints,
         * single-step: one exception, all its DR6 bits) comes before NMI
         * and INTR, unless the MOV SS shadow holds it. */
        if (CPU_UNLIKELY(c->debug_trap != 0)) {
            if (!inhibited)
                c->debug_trap &= ~EXEC_DB_SHADOW;
            if (c->debug_trap != 0 && !(c->debug_trap & EXEC_DB_SHADOW) &&
                c->icount < c->run_end && (!c->halted || exec_wakes(c, inhibited))) {
                /* A trap after HLT waits for the event that ends the
                 * halt and is delivered before it (as Bochs does). */
                c->halted = false;
                uint32_t status = c->debug_trap;
                c->debug_trap = 0;
                exec_debug_exception(c, status);
                continue;
            }
        }
        if (!inhibited && c->icount < c->run_end && exec_interrupts(c))
            continue;
        if (c->halted) {
            bool dead = !(c->eflags & CPU_FL_IF) && !c->nmi_pending;
            return dead ? CPU_STOP_DEAD_HALT : CPU_STOP_HALT;
        }
        if (c->icount >= c->run_end)
            return CPU_STOP_BUDGET;
        c->stop_at = c->run_end;
        if (inhibited && c->inhibit_until < c->stop_at)
            c->stop_at = c->inhibit_until;
        /* Instruction breakpoints (table 6-2 priority 7, after NMI and
         * INTR): a #DB fault before the instruction unless RF = 1
         * (SDM vol. 3, 17.3.1.1).  While one is enabled the loop goes one
         * instruction at a time so that each is compared. */
        if (CPU_UNLIKELY(dbg_armed(c)) && dbg_exec_armed(c)) {
            /* Not on the instruction right after MOV SS / POP SS: the
             * SDM says such a breakpoint "may not be triggered" (vol. 2,
             * MOV), and a #DB between the loads of SS and ESP is what
             * the shadow exists to prevent. */
            bool shadow = inhibited && (c->debug_trap & EXEC_DB_SHADOW);
            if (!(c->eflags & CPU_FL_RF) && !shadow) {
                uint32_t hit = dbg_exec_match(c, c->seg[CPU_CS].base + c->eip);
                if (hit != 0) {
                    exec_debug_exception(c, hit);
                    continue;
                }
            }
            c->stop_at = c->icount + 1;
        }
        /* "The RF flag is cleared at the start of the instruction after
         * the check for instruction breakpoints" (17.3.1.1).  Only IRET,
         * a task switch and an interrupted REP string set it, and all
         * three end the trace, so clearing it here is enough. */
        c->eflags &= ~CPU_FL_RF;
        /* Single-step (17.3.1.4): TF at the start of the instruction
         * decides; no trap after an instruction that delivered an event
         * (INT n clears TF on the way in). */
        bool tf = (c->eflags & CPU_FL_TF) != 0;
        uint64_t events = c->events;
        if (tf)
            c->stop_at = c->icount + 1;
        const struct cpu_insn *last = exec_trace(c);
        if (c->icount < c->inhibit_until && exec_loads_ss(last))
            c->debug_trap |= EXEC_DB_SHADOW;
        if (tf && c->events == events)
            c->debug_trap |= DBG_DR6_BS;
    }
}

enum cpu_stop cpu_run(struct cpu *c, uint64_t budget)
{
    if (c->shutdown)
        return CPU_STOP_SHUTDOWN;
    c->run_end = c->icount + budget < c->icount ? UINT64_MAX : c->icount + budget;
    c->stop_requested = false;
    c->in_run = true;
    /* Everything the code below needs after a longjmp lives in *c. */
    if (setjmp(c->unwind) != 0)
        exec_deliver_exception(c, true);
    enum cpu_stop r = exec_loop(c);
    c->in_run = false;
    c->resume = NULL;
    return r;
}

/* ------------------------------------------------------------------ */
/* Shutdown report                                                     */

static const char *const exec_mnemonic[32] = {
    "DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "CSO", "TS", "NP", "SS", "GP", "PF",
    "15", "MF", "AC", "MC", "XM",
};

void cpu_get_shutdown_info(const struct cpu *c, struct cpu_shutdown_info *out)
{
    *out = c->shutdown_info;
}

void cpu_shutdown_info(const struct cpu *c, char *buf, size_t n)
{
    if (n == 0)
        return;
    buf[0] = '\0';
    const struct cpu_shutdown_info *s = &c->shutdown_info;
    if (!s->valid)
        return;
    size_t used = 0;
    for (unsigned k = 0; k < s->n && used < n; k++) {
        const struct cpu_exception_info *e = &s->chain[k];
        const char *m = e->vector < 32 && exec_mnemonic[e->vector] ? exec_mnemonic[e->vector] : "?";
        int w;
        if (e->has_error)
            w = snprintf(buf + used, n - used, "%s#%s(%04x) at %04x:%08x", k ? " -> " : "", m,
                         (unsigned)e->error, e->cs, (unsigned)e->eip);
        else
            w = snprintf(buf + used, n - used, "%s#%s at %04x:%08x", k ? " -> " : "", m, e->cs,
                         (unsigned)e->eip);
        if (w < 0)
            return;
        used += (size_t)w;
    }
    if (used < n)
        snprintf(buf + used, n - used, ": triple fault");
}
