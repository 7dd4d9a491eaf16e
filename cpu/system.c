/*
 * system.c - control registers and the simple privileged
 * instructions: MOV CRn, LMSW/SMSW, CLTS, HLT, INVLPG, INVD/WBINVD, UD2.
 *
 * Descriptor-table instructions live in cpu/descriptor_insns.c, CPUID and
 * the MSR/TSC/SYSENTER group in cpu/cpuid.c, MOV DRn and the debug
 * facilities in cpu/debug.c.
 */
#include "cpu/cpu_internal.h"

/* CR0 bits that exist on the P6 family.  "Reserved bits in CR0 and CR3
 * remain clear after any load of those registers; attempts to set them
 * have no impact" (SDM vol. 2, MOV to/from control registers): unlike
 * CR4's, they do not fault. */
#define SYS_CR0_DEFINED                                                                    \
    (CPU_CR0_PE | CPU_CR0_MP | CPU_CR0_EM | CPU_CR0_TS | CPU_CR0_ET | CPU_CR0_NE |          \
     CPU_CR0_WP | CPU_CR0_AM | CPU_CR0_NW | CPU_CR0_CD | CPU_CR0_PG)

/* CR3: bits 31:5 (the page-directory base, whose bits 11:5 also locate
 * PAE paging's 32-byte page-directory-pointer table, SDM vol. 3, table
 * 4-7), PCD and PWT; bits 2:0 are reserved and stay clear. */
#define SYS_CR3_DEFINED 0xFFFFFFF8u

void cpu_sys_require_cpl0(struct cpu *c)
{
    if (cpu_protected(c) && (c->cpl != 0 || cpu_v86(c)))
        cpu_exception(c, CPU_EXC_GP, 0);
}

void cpu_sys_push_paging(struct cpu *c)
{
    struct mmu_paging p = {
        .enabled = (c->cr[0] & CPU_CR0_PG) != 0,
        .wp = (c->cr[0] & CPU_CR0_WP) != 0,
        .pse = (c->cr[4] & CPU_CR4_PSE) != 0,
        .pge = (c->cr[4] & CPU_CR4_PGE) != 0,
        .pae = (c->cr[4] & CPU_CR4_PAE) != 0,
        .cr3 = c->cr[3],
    };
    mmu_set_paging(c->mmu, &p);
}

/* Load PAE paging's PDPTE registers from the table at `cr3`, or #GP(0)
 * if a present PDPTE sets a reserved bit; the instruction then changes
 * nothing (SDM vol. 3, 4.4.1).  Called before any register is written. */
static void sys_load_pdptes(struct cpu *c, uint32_t cr3)
{
    if (!mmu_load_pdptes(c->mmu, cr3))
        cpu_exception(c, CPU_EXC_GP, 0);
}

void cpu_write_cr0(struct cpu *c, uint32_t v)
{
    /* ET is hardwired to 1 from the Pentium on (SDM vol. 3, 2.5). */
    v = (v & SYS_CR0_DEFINED) | CPU_CR0_ET;
    if ((v & CPU_CR0_PG) && !(v & CPU_CR0_PE))
        cpu_exception(c, CPU_EXC_GP, 0);
    if ((v & CPU_CR0_NW) && !(v & CPU_CR0_CD))
        cpu_exception(c, CPU_EXC_GP, 0);

    uint32_t changed = c->cr[0] ^ v;
    /* The PDPTEs are loaded when PAE paging is in use afterwards and the
     * write modifies CD, NW or PG (SDM vol. 3, 4.4.1). */
    if ((v & CPU_CR0_PG) && (c->cr[4] & CPU_CR4_PAE) &&
        (changed & (CPU_CR0_PG | CPU_CR0_CD | CPU_CR0_NW)))
        sys_load_pdptes(c, c->cr[3]);
    c->cr[0] = v;
    /* A PG or WP change flushes every TLB entry, global ones included
     * (SDM vol. 3, 4.10.4.1; the software TLB also caches the write
     * permission WP decides): mmu_set_paging() does it when they change. */
    if (changed & (CPU_CR0_PG | CPU_CR0_WP))
        cpu_sys_push_paging(c);
    /* PE and PG change the mode decoded traces were made for. */
    if (changed & (CPU_CR0_PG | CPU_CR0_PE))
        cpu_end_trace(c);
}

void cpu_write_cr3(struct cpu *c, uint32_t v)
{
    /* The reserved bits stay clear (SDM vol. 2, MOV to control
     * registers). */
    v &= SYS_CR3_DEFINED;
    /* Under PAE paging MOV to CR3 (and a task switch, which loads CR3
     * through here) reloads the PDPTEs from the new table first (SDM
     * vol. 3, 4.4.1). */
    if ((c->cr[0] & CPU_CR0_PG) && (c->cr[4] & CPU_CR4_PAE))
        sys_load_pdptes(c, v);
    bool same = c->cr[3] == v;
    c->cr[3] = v;
    /* MOV to CR3 invalidates the non-global translations even when the
     * value does not change (SDM vol. 3, 4.10.4.1); mmu_set_paging()
     * does that itself for a new value. */
    cpu_sys_push_paging(c);
    if (same)
        mmu_tlb_flush(c->mmu, false);
}

/* CR4 bits the emulated processor accepts: the ones whose feature CPUID
 * reports, plus TSD (with the TSC) and PCE (P6 family, no CPUID bit). */
static uint32_t sys_cr4_valid(const struct cpu *c)
{
    uint32_t f = cpu_sys_features(c);
    uint32_t ok = CPU_CR4_PCE;
    if (f & CPU_FEAT_TSC)
        ok |= CPU_CR4_TSD;
    if (f & CPU_FEAT_VME)
        ok |= CPU_CR4_VME | CPU_CR4_PVI;
    if (f & CPU_FEAT_DE)
        ok |= CPU_CR4_DE;
    if (f & CPU_FEAT_PSE)
        ok |= CPU_CR4_PSE;
    if (f & CPU_FEAT_PAE)
        ok |= CPU_CR4_PAE;
    if (f & CPU_FEAT_MCE)
        ok |= CPU_CR4_MCE;
    if (f & CPU_FEAT_PGE)
        ok |= CPU_CR4_PGE;
    if (f & CPU_FEAT_FXSR)
        ok |= CPU_CR4_OSFXSR;
    return ok;
}

void cpu_write_cr4(struct cpu *c, uint32_t v)
{
    /* Setting a reserved bit, or one whose feature is absent, is #GP(0)
     * (SDM vol. 2, MOV to CR4). */
    if (v & ~sys_cr4_valid(c))
        cpu_exception(c, CPU_EXC_GP, 0);
    uint32_t changed = c->cr[4] ^ v;
    /* The PDPTEs are loaded when PAE paging is in use afterwards and the
     * write modifies PAE, PGE or PSE (SDM vol. 3, 4.4.1). */
    if ((c->cr[0] & CPU_CR0_PG) && (v & CPU_CR4_PAE) &&
        (changed & (CPU_CR4_PAE | CPU_CR4_PGE | CPU_CR4_PSE)))
        sys_load_pdptes(c, c->cr[3]);
    c->cr[4] = v;
    /* A PSE, PGE or PAE change flushes all entries, global ones too
     * (SDM vol. 3, 4.10.4.1): mmu_set_paging() does it. */
    if (changed & (CPU_CR4_PSE | CPU_CR4_PGE | CPU_CR4_PAE))
        cpu_sys_push_paging(c);
}

void cpu_h_MOV_RdCd(struct cpu *c, const struct cpu_insn *i)
{
    unsigned n = i->d.reg;
    /* CR1 and CR5-CR7 do not exist: #UD, which the SDM ranks before the
     * privilege check (vol. 3, table 6-2). */
    if (n == 1 || n > 4)
        cpu_exception(c, CPU_EXC_UD, 0);
    cpu_sys_require_cpl0(c);
    cpu_set_r32(c, i->d.rm, c->cr[n]);
}

void cpu_h_MOV_CdRd(struct cpu *c, const struct cpu_insn *i)
{
    unsigned n = i->d.reg;
    if (n == 1 || n > 4)
        cpu_exception(c, CPU_EXC_UD, 0);
    cpu_sys_require_cpl0(c);
    uint32_t v = cpu_get_r32(c, i->d.rm);
    switch (n) {
    case 0: cpu_write_cr0(c, v); break;
    case 2: c->cr[2] = v; break;
    case 3: cpu_write_cr3(c, v); break;
    default: cpu_write_cr4(c, v); break;
    }
}

void cpu_h_SMSW_Ew(struct cpu *c, const struct cpu_insn *i)
{
    /* The register form with a 32-bit operand stores all of CR0 (its
     * upper bits are undefined in the SDM; P6 processors store CR0);
     * the memory form always stores 16 bits. */
    if (!(i->d.flags & DEC_F_MEM) && (i->d.flags & DEC_F_O32))
        cpu_set_r32(c, i->d.rm, c->cr[0]);
    else
        cpu_set_E16(c, &i->d, (uint16_t)c->cr[0]);
}

void cpu_h_LMSW_Ew(struct cpu *c, const struct cpu_insn *i)
{
    cpu_sys_require_cpl0(c);
    uint16_t v = cpu_get_E16(c, &i->d);
    /* Only PE, MP, EM, TS are loaded, and PE can be set but not cleared
     * (SDM vol. 2, LMSW). */
    uint32_t cr0 = (c->cr[0] & ~(CPU_CR0_MP | CPU_CR0_EM | CPU_CR0_TS)) |
                   (v & (CPU_CR0_PE | CPU_CR0_MP | CPU_CR0_EM | CPU_CR0_TS));
    cpu_write_cr0(c, cr0);
}

void cpu_h_CLTS(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_sys_require_cpl0(c);
    c->cr[0] &= ~CPU_CR0_TS;
}

void cpu_h_HLT(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_sys_require_cpl0(c);
    cpu_halt(c);
}

void cpu_h_INVLPG_M(struct cpu *c, const struct cpu_insn *i)
{
    cpu_sys_require_cpl0(c);
    /* No segment check: INVLPG never faults on its operand (SDM vol. 2). */
    uint32_t lin = c->seg[i->d.seg].base + cpu_ea(c, &i->d);
    mmu_tlb_flush_page(c->mmu, lin);
}

/* No cache is modelled: INVD and WBINVD only check privilege. */
void cpu_h_INVD(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_sys_require_cpl0(c);
}

void cpu_h_WBINVD(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_sys_require_cpl0(c);
}

void cpu_h_UD2(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_exception(c, CPU_EXC_UD, 0);
}
