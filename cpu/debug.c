/*
 * debug.c - the debug facilities (SDM vol. 3, chapter 17): MOV to and
 * from DR0-DR7.
 */
#include "cpu/cpu_internal.h"

/* DR6: B0-B3, BD, BS, BT are the only bits that hold a value; the others
 * read as 1 (bits 4-11, 16-31) or 0 (bit 12) on the P6 family
 * (SDM vol. 3, 17.2.3). */
#define SYS_DR6_BITS 0x0000E00Fu
#define SYS_DR6_FIXED 0xFFFF0FF0u
/* DR7: bit 10 reads as 1, bits 11, 12, 14 and 15 as 0 (SDM vol. 3, 17.2.4). */
#define SYS_DR7_BITS 0xFFFF23FFu
#define SYS_DR7_FIXED 0x00000400u
#define SYS_DR7_GD 0x00002000u
#define SYS_DR6_BD 0x00002000u

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
        c->dr[6] |= SYS_DR6_BD;
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
        v = (v & SYS_DR6_BITS) | SYS_DR6_FIXED;
    else if (n == 7)
        v = (v & SYS_DR7_BITS) | SYS_DR7_FIXED;
    cpu_set_r32(c, i->d.rm, v);
}

void cpu_h_MOV_DdRd(struct cpu *c, const struct cpu_insn *i)
{
    unsigned n = sys_dr_access(c, i->d.reg);
    uint32_t v = cpu_get_r32(c, i->d.rm);
    if (n == 6)
        v = (v & SYS_DR6_BITS) | SYS_DR6_FIXED;
    else if (n == 7)
        v = (v & SYS_DR7_BITS) | SYS_DR7_FIXED;
    c->dr[n] = v;
}

