/*
 * debug.c - the debug facilities (SDM vol. 3, chapter 17): MOV to and
 * from DR0-DR7 and the breakpoint conditions of DR0-DR3 / DR7.
 *
 * DR7 per breakpoint n: Ln/Gn enable it (bits 2n, 2n+1; they act alike
 * here, except that a task switch clears L0-L3, cpu/task.c), R/Wn (bits
 * 16 + 4n) says what it watches: 00 instruction execution, 01 data
 * writes, 11 data reads and writes, 10 port I/O when CR4.DE = 1
 * (undefined otherwise: no breakpoint); LENn (bits 18 + 4n) its length,
 * 00/01/11 = 1/2/4 bytes (10 is undefined on the P6 family; later
 * processors use it for 8 bytes, and so do we).  A data or I/O range
 * starts at DRn aligned down to its length (17.2.5), and an access of any
 * size that overlaps the range hits it.  An instruction breakpoint is the
 * address of the instruction's first byte (prefixes included); its LEN
 * must be 00 and is not looked at.
 */
#include "cpu/debug_internal.h"

/* DR6: B0-B3, BD, BS, BT are the only bits that hold a value; the others
 * read as 1 (bits 4-11, 16-31) or 0 (bit 12) on the P6 family
 * (SDM vol. 3, 17.2.3). */
#define SYS_DR6_FIXED 0xFFFF0FF0u
/* DR7: bit 10 reads as 1, bits 11, 12, 14 and 15 as 0 (SDM vol. 3, 17.2.4). */
#define SYS_DR7_BITS 0xFFFF23FFu
#define SYS_DR7_FIXED 0x00000400u
#define SYS_DR7_GD 0x00002000u

enum dbg_kind { DBG_EXEC, DBG_READ, DBG_WRITE, DBG_IO };

static unsigned dbg_rw(uint32_t dr7, unsigned n) { return (dr7 >> (16 + 4 * n)) & 3u; }

static uint32_t dbg_len(uint32_t dr7, unsigned n)
{
    static const uint8_t len[4] = {1, 2, 8, 4};
    return len[(dr7 >> (18 + 4 * n)) & 3u];
}

static bool dbg_enabled(uint32_t dr7, unsigned n) { return (dr7 >> (2 * n)) & 3u; }

/* Breakpoint n watches accesses of this kind. */
static bool dbg_watches(const struct cpu *c, unsigned n, enum dbg_kind k)
{
    unsigned rw = dbg_rw(c->dr[7], n);
    switch (k) {
    case DBG_EXEC: return rw == 0;
    case DBG_READ: return rw == 3;
    case DBG_WRITE: return rw == 1 || rw == 3;
    case DBG_IO: return rw == 2 && (c->cr[4] & CPU_CR4_DE);
    }
    return false;
}

/* DR6 B0-B3 for an access of `size` bytes at `addr` of kind `k`.  Once an
 * enabled breakpoint hits, the bits of disabled breakpoints whose
 * condition holds are reported too: the SDM lets B0-B3 be set for
 * breakpoints not enabled in DR7 (17.2.3), the P6 family and Bochs do so,
 * and handlers are told to look only at the enabled ones. */
static uint32_t dbg_match(const struct cpu *c, uint32_t addr, unsigned size, enum dbg_kind k)
{
    uint32_t dr7 = c->dr[7];
    uint32_t hit = 0;
    bool enabled = false;
    for (unsigned n = 0; n < 4; n++) {
        if (!dbg_watches(c, n, k))
            continue;
        bool m;
        if (k == DBG_EXEC) {
            m = addr == c->dr[n];
        } else {
            uint32_t len = dbg_len(dr7, n);
            uint64_t start = c->dr[n] & ~(len - 1);
            m = (uint64_t)addr <= start + len - 1 && start <= (uint64_t)addr + size - 1;
        }
        if (m) {
            hit |= 1u << n;
            enabled |= dbg_enabled(dr7, n);
        }
    }
    return enabled ? hit : 0;
}

uint32_t dbg_exec_match(const struct cpu *c, uint32_t lin)
{
    return dbg_match(c, lin, 1, DBG_EXEC);
}

bool dbg_exec_armed(const struct cpu *c)
{
    for (unsigned n = 0; n < 4; n++)
        if (dbg_enabled(c->dr[7], n) && dbg_watches(c, n, DBG_EXEC))
            return true;
    return false;
}

void dbg_data_access(struct cpu *c, uint32_t lin, unsigned size, bool write)
{
    uint32_t hit = dbg_match(c, lin, size, write ? DBG_WRITE : DBG_READ);
    if (hit != 0) {
        c->debug_trap |= hit;
        cpu_end_trace(c);
    }
}

void cpu_debug_io(struct cpu *c, uint16_t port, unsigned size)
{
    if (!dbg_armed(c))
        return;
    uint32_t hit = dbg_match(c, port, size, DBG_IO);
    if (hit != 0) {
        c->debug_trap |= hit;
        cpu_end_trace(c);
    }
}

/* The page of an enabled data breakpoint. */
static bool dbg_data_page(const struct cpu *c, unsigned n, uint32_t page)
{
    return dbg_enabled(c->dr[7], n) && dbg_watches(c, n, DBG_WRITE) &&
           (c->dr[n] & MMU_PAGE_MASK) == page;
}

void dbg_tlb_filter(struct cpu *c, uint32_t lin, enum mmu_access a, bool user)
{
    uint32_t page = lin & MMU_PAGE_MASK;
    for (unsigned n = 0; n < 4; n++) {
        if (dbg_data_page(c, n, page)) {
            struct mmu_tlb *t = mmu_tlb_for(c->mmu, user);
            struct mmu_tlb_entry *e = a == MMU_WRITE ? t->write : t->read;
            unsigned idx = (lin >> MMU_PAGE_SHIFT) & (MMU_TLB_SIZE - 1);
            if (e[idx].tag == page)
                e[idx].tag = MMU_TLB_INVALID;
            return;
        }
    }
}

/* After DR0-DR3 or DR7 changed: the pages now watched leave the TLB, so
 * that their accesses take the slow path, which compares them. */
static void dbg_flush_watched(struct cpu *c)
{
    for (unsigned n = 0; n < 4; n++)
        if (dbg_enabled(c->dr[7], n) && dbg_watches(c, n, DBG_WRITE))
            mmu_tlb_flush_page(c->mmu, c->dr[n]);
}

/* Shared checks of MOV DRn: returns the register actually accessed. */
static unsigned sys_dr_access(struct cpu *c, unsigned n)
{
    /* DR4/DR5 alias DR6/DR7 unless CR4.DE makes them #UD (SDM vol. 3, 17.2.2). */
    if (n == 4 || n == 5) {
        if (c->cr[4] & CPU_CR4_DE)
            cpu_exception(c, CPU_EXC_UD, 0);
        n += 2;
    }
    cpu_sys_require_cpl0(c);
    /* General detect: any DR access while DR7.GD is set is a #DB fault
     * with DR6.BD set; the processor clears GD so the handler can use
     * the debug registers (SDM vol. 3, 17.2.4). */
    if (c->dr[7] & SYS_DR7_GD) {
        dbg_set_dr6(c, DBG_DR6_BD);
        c->dr[7] &= ~SYS_DR7_GD;
        cpu_exception(c, CPU_EXC_DB, 0);
    }
    return n;
}

void cpu_h_MOV_RdDd(struct cpu *c, const struct cpu_insn *i)
{
    unsigned n = sys_dr_access(c, i->d.reg);
    uint32_t v = c->dr[n];
    if (n == 6)
        v = (v & DBG_DR6_STATUS) | SYS_DR6_FIXED;
    else if (n == 7)
        v = (v & SYS_DR7_BITS) | SYS_DR7_FIXED;
    cpu_set_r32(c, i->d.rm, v);
}

void cpu_h_MOV_DdRd(struct cpu *c, const struct cpu_insn *i)
{
    unsigned n = sys_dr_access(c, i->d.reg);
    uint32_t v = cpu_get_r32(c, i->d.rm);
    if (n == 6)
        v = (v & DBG_DR6_STATUS) | SYS_DR6_FIXED;
    else if (n == 7)
        v = (v & SYS_DR7_BITS) | SYS_DR7_FIXED;
    c->dr[n] = v;
    if (n != 6) {
        /* Breakpoints changed: the pages they watch leave the TLB, and
         * the run loop looks at instruction breakpoints again from the
         * next instruction on. */
        dbg_flush_watched(c);
        cpu_end_trace(c);
    }
}
