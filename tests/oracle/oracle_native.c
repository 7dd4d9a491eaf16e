/*
 * oracle_native.c - the 32-bit helper of the host-CPU oracle.
 *
 * Built with -m32 and run as a child of the oracle driver.  It maps the
 * data/stack region and a code page at the fixed addresses of
 * oracle_proto.h, then for every request on stdin: fills the region from
 * the pool window the seed selects, copies the code, appends an exit stub, runs it natively and
 * answers on stdout with the registers, EFLAGS and a hash of the region.
 *
 * No inline asm: the entry and exit stubs are machine code bytes written
 * into the code page (so every absolute address in them is a constant of
 * oracle_proto.h).  The entry stub saves the host registers and ESP, loads
 * EFLAGS and the eight guest registers and jumps to the sequence; the exit
 * stub stores them back and returns to C with the host state restored.
 * Segment registers are never touched (GS holds the TLS pointer).
 *
 * A fault in the sequence (a generator bug: the sequences are built not to
 * fault) is caught on an alternate signal stack and reported.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#include "tests/oracle/oracle_pipe.h"
#include "tests/oracle/oracle_proto.h"

/* Register block at ORACLE_CTRL. */
#define CTRL_IN_REGS (ORACLE_CTRL + 0x00u)  /* 8 dwords */
#define CTRL_IN_FLAGS (ORACLE_CTRL + 0x20u)
#define CTRL_HOST_ESP (ORACLE_CTRL + 0x24u)
#define CTRL_OUT_REGS (ORACLE_CTRL + 0x40u) /* 8 dwords */
#define CTRL_OUT_FLAGS (ORACLE_CTRL + 0x60u)

struct native {
    uint8_t pool[ORACLE_POOL_SIZE];
    sigjmp_buf env;
    volatile sig_atomic_t running;
    volatile uint32_t fault_eip;
    volatile int signo;
    volatile uint32_t fault_regs[8];
    volatile uint32_t fault_eflags;
};

/* The signal handler needs the jump buffer; a handler cannot take an
 * argument, so this one pointer is the helper's only file-scope state. */
static struct native *native_self;

static uint8_t *at(uint32_t addr) { return (uint8_t *)(uintptr_t)addr; }

static size_t put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return 4;
}

/* mov r32, [abs] (8B /r with mod 00 rm 101) or mov [abs], r32 (89 /r). */
static size_t mov_abs(uint8_t *p, uint8_t opcode, unsigned reg, uint32_t addr)
{
    p[0] = opcode;
    p[1] = (uint8_t)(0x05 | (reg << 3));
    return 2 + put32(p + 2, addr);
}

static void write_entry_stub(void)
{
    uint8_t *p = at(ORACLE_ENTRY);
    size_t n = 0;
    unsigned r;
    p[n++] = 0x60;                                   /* pushad */
    p[n++] = 0x9C;                                   /* pushfd */
    n += mov_abs(p + n, 0x89, 4, CTRL_HOST_ESP);     /* mov [host_esp], esp */
    p[n++] = 0xBC;                                   /* mov esp, in_flags */
    n += put32(p + n, CTRL_IN_FLAGS);
    p[n++] = 0x9D;                                   /* popfd */
    for (r = 0; r < 8; r++) {
        if (r != 4)
            n += mov_abs(p + n, 0x8B, r, CTRL_IN_REGS + 4 * r);
    }
    n += mov_abs(p + n, 0x8B, 4, CTRL_IN_REGS + 16); /* mov esp, [in_esp] */
    p[n] = 0xE9;                                     /* jmp ORACLE_CODE */
    put32(p + n + 1, ORACLE_CODE - (ORACLE_ENTRY + (uint32_t)n + 5));
}

static void write_exit_stub(uint8_t *p)
{
    size_t n = 0;
    unsigned r;
    n += mov_abs(p + n, 0x89, 4, CTRL_OUT_REGS + 16); /* mov [out_esp], esp */
    p[n++] = 0xBC;                                    /* mov esp, out_flags+4 */
    n += put32(p + n, CTRL_OUT_FLAGS + 4);
    p[n++] = 0x9C;                                    /* pushfd */
    for (r = 0; r < 8; r++) {
        if (r != 4)
            n += mov_abs(p + n, 0x89, r, CTRL_OUT_REGS + 4 * r);
    }
    n += mov_abs(p + n, 0x8B, 4, CTRL_HOST_ESP);      /* mov esp, [host_esp] */
    p[n++] = 0x9D;                                    /* popfd */
    p[n++] = 0x61;                                    /* popad */
    p[n] = 0xC3;                                      /* ret */
}

static void on_signal(int sig, siginfo_t *si, void *uc_v)
{
    ucontext_t *uc = uc_v;
    (void)si;
    if (native_self == NULL || !native_self->running)
        _exit(3);
    static const int greg[8] = {REG_EAX, REG_ECX, REG_EDX, REG_EBX,
                                REG_ESP, REG_EBP, REG_ESI, REG_EDI};
    unsigned r;
    native_self->signo = sig;
    native_self->fault_eip = (uint32_t)uc->uc_mcontext.gregs[REG_EIP];
    for (r = 0; r < 8; r++)
        native_self->fault_regs[r] = (uint32_t)uc->uc_mcontext.gregs[greg[r]];
    native_self->fault_eflags = (uint32_t)uc->uc_mcontext.gregs[REG_EFL];
    siglongjmp(native_self->env, 1);
}

static void run_one(struct native *nv, const struct oracle_req *rq, struct oracle_res *rs)
{
    void (*entry)(void);
    uintptr_t entry_addr = ORACLE_ENTRY;
    uint32_t *ctrl = (uint32_t *)(uintptr_t)ORACLE_CTRL;
    uint64_t h;
    uint32_t skip = 0;
    unsigned r;

    memset(rs, 0, sizeof *rs);
    rs->magic = ORACLE_MAGIC;
    if (rq->magic != ORACLE_MAGIC || rq->code_len > ORACLE_MAX_CODE) {
        rs->status = ORACLE_RES_BADREQ;
        return;
    }
    memcpy(at(ORACLE_REGION), oracle_region_src(nv->pool, rq->mem_seed), ORACLE_REGION_SIZE);
    memcpy(at(ORACLE_CODE), rq->code, rq->code_len);
    write_exit_stub(at(ORACLE_CODE) + rq->code_len);
    for (r = 0; r < 8; r++)
        ctrl[r] = rq->regs[r];
    /* Only OSZAPC come from the request: bit 1 is reserved-set, IF is kept
     * by POPFD at CPL 3 anyway, TF/AC would trap. */
    ctrl[8] = (rq->eflags & 0x8D5u) | 0x202u;
    memcpy(&entry, &entry_addr, sizeof entry);

    nv->signo = 0;
    if (sigsetjmp(nv->env, 1) == 0) {
        /* a watchdog: a sequence that loops (a generator bug) ends in
         * SIGVTALRM instead of hanging the test */
        struct itimerval watchdog = {{0, 0}, {1, 0}};
        nv->running = 1;
        setitimer(ITIMER_VIRTUAL, &watchdog, NULL);
        entry();
        watchdog.it_value.tv_sec = 0;
        setitimer(ITIMER_VIRTUAL, &watchdog, NULL);
        nv->running = 0;
        for (r = 0; r < 8; r++)
            rs->regs[r] = ctrl[16 + r];
        rs->eflags = ctrl[24];
        rs->status = ORACLE_RES_OK;
    } else {
        struct itimerval off = {{0, 0}, {0, 0}};
        setitimer(ITIMER_VIRTUAL, &off, NULL);
        nv->running = 0;
        rs->status = ORACLE_RES_SIGNAL;
        rs->signo = (uint32_t)nv->signo;
        rs->fault_eip = nv->fault_eip;
        for (r = 0; r < 8; r++)
            rs->regs[r] = nv->fault_regs[r];
        rs->eflags = nv->fault_eflags;
        /* the emulated CPU pushes its 12-byte exception frame below ESP;
         * both sides hash the region with those bytes left out */
        skip = nv->fault_regs[4];
    }
    h = oracle_hash_skip(at(ORACLE_REGION), ORACLE_REGION_SIZE, skip);
    rs->hash_lo = (uint32_t)h;
    rs->hash_hi = (uint32_t)(h >> 32);
}

int main(void)
{
    static uint8_t altstack[65536];
    static struct oracle_req rq;
    static struct native nv;
    struct oracle_hello hello = {ORACLE_MAGIC, 0, 0};
    struct oracle_res rs;
    struct sigaction sa;
    stack_t ss;
    void *m;
    const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGVTALRM};
    unsigned k;

    native_self = &nv;
    oracle_pool_init(nv.pool);
    m = mmap(at(ORACLE_REGION), ORACLE_MAP_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (m == MAP_FAILED || m != at(ORACLE_REGION)) {
        hello.status = (m == MAP_FAILED) ? (uint32_t)errno : (uint32_t)EEXIST;
        hello.addr = (uint32_t)(uintptr_t)m;
        oracle_write_full(1, &hello, sizeof hello);
        return 2;
    }
    hello.addr = (uint32_t)(uintptr_t)m;
    write_entry_stub();

    ss.ss_sp = altstack;
    ss.ss_size = sizeof altstack;
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
        sigaction(sigs[k], &sa, NULL);

    if (oracle_write_full(1, &hello, sizeof hello) != 0)
        return 1;
    for (;;) {
        int got = oracle_read_full(0, &rq, sizeof rq);
        if (got <= 0)
            return got == 0 ? 0 : 1;
        run_one(&nv, &rq, &rs);
        if (oracle_write_full(1, &rs, sizeof rs) != 0)
            return 1;
        if ((rq.flags & ORACLE_REQ_DUMP) &&
            oracle_write_full(1, at(ORACLE_REGION), ORACLE_REGION_SIZE) != 0)
            return 1;
    }
}
