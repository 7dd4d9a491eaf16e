/*
 * cpuid.c - processor identification and model-specific state: CPUID,
 * RDTSC, RDMSR/WRMSR, RDPMC, SYSENTER/SYSEXIT.
 *
 * The model is a Pentium II "Deschutes" (family 6, model 5, stepping 2).
 */
#include "cpu/cpu_internal.h"

/* MSR numbers (SDM vol. 4, table 2-3 / P6 family MSRs). */
enum {
    SYS_MSR_TSC = 0x10,
    SYS_MSR_PLATFORM_ID = 0x17,
    SYS_MSR_BIOS_UPDT_TRIG = 0x79,
    SYS_MSR_BIOS_SIGN_ID = 0x8B,
    SYS_MSR_APIC_BASE = 0x1B,
    SYS_MSR_PERFCTR0 = 0xC1,   /* C1h, C2h */
    SYS_MSR_PERFEVTSEL0 = 0x186, /* 186h, 187h */
    SYS_MSR_MTRRCAP = 0xFE,
    SYS_MSR_SYSENTER_CS = 0x174,
    SYS_MSR_SYSENTER_ESP = 0x175,
    SYS_MSR_SYSENTER_EIP = 0x176,
    SYS_MSR_MTRR_PHYS = 0x200, /* 200h-20Fh: PHYSBASE0, PHYSMASK0, ... */
    SYS_MSR_MTRR_FIX64K = 0x250,
    SYS_MSR_MTRR_FIX16K_80000 = 0x258,
    SYS_MSR_MTRR_FIX16K_A0000 = 0x259,
    SYS_MSR_MTRR_FIX4K = 0x268, /* 268h-26Fh: C0000h .. F8000h */
    SYS_MSR_MTRR_DEF_TYPE = 0x2FF
};

/* MTRRcap: 8 variable ranges, fixed ranges supported (FIX, bit 8), write
 * combining supported (WC, bit 10) (SDM vol. 3, 11.11.1). */
#define SYS_MTRRCAP 0x508u

/* P6 physical addresses are 36 bits wide: MSR address fields stop there. */
#define SYS_PHYS_MASK_36 0x0000000FFFFFF000ull

/*
 * CPUID.01H:EDX - THE feature list.  Report exactly what is implemented
 * today; add a bit here in the same change that implements it (APIC,
 * MCE/MCA, PSE36 are real Pentium II features still missing;
 * PAT came with the Pentium III).  CR4 write checks and feature-gated
 * instructions read this function.
 *   PSE  - 4 MiB pages (mmu/tlb.c page walk, CR4.PSE)
 *   PAE  - PAE paging with 2 MiB pages and the PDPTE registers loaded at
 *          MOV CR0/CR3/CR4 (mmu/tlb.c, cpu/system.c); MAXPHYADDR 36
 *   MTRR - MTRRcap, MTRRdefType, the fixed and variable MTRRs (below);
 *          no caches are modelled, so memory types change nothing
 *   VME  - virtual-8086 mode extensions (CR4.VME/PVI, cpu/interrupt.c)
 *   DE   - debugging extensions (CR4.DE: DR4/DR5 raise #UD, cpu/debug.c)
 *   PGE  - global pages kept across CR3 loads (CR4.PGE)
 *   TSC  - RDTSC and CR4.TSD
 *   MSR  - RDMSR/WRMSR
 *   CX8  - CMPXCHG8B
 *   SEP  - SYSENTER/SYSEXIT (below)
 *   CMOV - CMOVcc (and FCMOVcc with the x87)
 *   FPU  - only when an x87 is configured (cpu/x87*.c)
 *   MMX  - with the x87 (its registers alias the x87's)
 *   FXSR - FXSAVE/FXRSTOR and CR4.OSFXSR, with the x87: they came with
 *          the Pentium II (its developer's manual, table 11-2, lists the
 *          FXSR flag; Deschutes parts report it); x87 state only, as
 *          there is no SSE
 */
uint32_t cpu_sys_features(const struct cpu *c)
{
    uint32_t f = CPU_FEAT_VME | CPU_FEAT_DE | CPU_FEAT_PSE | CPU_FEAT_TSC | CPU_FEAT_MSR |
                 CPU_FEAT_PAE | CPU_FEAT_CX8 | CPU_FEAT_SEP | CPU_FEAT_MTRR | CPU_FEAT_PGE |
                 CPU_FEAT_CMOV;
    if (c->cfg.fpu)
        f |= CPU_FEAT_FPU | CPU_FEAT_MMX | CPU_FEAT_FXSR; /* MMX lives in the x87's registers */
    return f;
}

void cpu_sys_reset(struct cpu *c)
{
    /* SDM vol. 3, table 9-1: MTRRs disabled, SYSENTER MSRs 0; the APIC
     * base MSR holds FEE00000h with EN and BSP set. */
    c->sys = (struct cpu_sysregs){ .apic_base = 0xFEE00900u };
}

/* Pentium II leaf 2 descriptors (SDM vol. 2, CPUID, table 3-12):
 * 01h instruction TLB 4K, 02h instruction TLB 4M, 03h data TLB 4K,
 * 04h data TLB 4M, 08h L1 instruction cache 16K, 0Ch L1 data cache 16K,
 * 43h L2 cache 512K; AL = 01h: one CPUID(2) call gives all of them. */
static const uint32_t sys_leaf2[4] = { 0x03020101u, 0x00000000u, 0x00000000u, 0x0C040843u };

/* Highest basic leaf of the model. */
#define SYS_CPUID_MAX 2u

void cpu_h_CPUID(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint32_t leaf = c->gpr[CPU_EAX];
    uint32_t r[4]; /* EAX EBX ECX EDX */
    /* Leaves above the maximum return the highest basic leaf's data
     * (Intel behaviour, SDM vol. 2, CPUID). */
    if (leaf > SYS_CPUID_MAX)
        leaf = SYS_CPUID_MAX;
    switch (leaf) {
    case 0:
        r[0] = SYS_CPUID_MAX;
        r[1] = 0x756E6547u; /* "Genu" */
        r[3] = 0x49656E69u; /* "ineI" */
        r[2] = 0x6C65746Eu; /* "ntel" */
        break;
    case 1:
        r[0] = 0x00000652u; /* type 0, family 6, model 5, stepping 2 */
        r[1] = 0;
        r[2] = 0;
        r[3] = cpu_sys_features(c);
        break;
    default:
        for (unsigned k = 0; k < 4; k++)
            r[k] = sys_leaf2[k];
        break;
    }
    c->gpr[CPU_EAX] = r[0];
    c->gpr[CPU_EBX] = r[1];
    c->gpr[CPU_ECX] = r[2];
    c->gpr[CPU_EDX] = r[3];
}

/* The TSC ticks once per retired instruction.  While a handler runs,
 * icount already counts the instruction itself, so RDTSC reads the count
 * including the RDTSC and a value written by WRMSR is what the WRMSR
 * instruction itself "saw" (the next instruction reads it + 1). */
static uint64_t sys_tsc(const struct cpu *c) { return c->icount + c->tsc_offset; }

void cpu_h_RDTSC(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    /* CR4.TSD restricts RDTSC to CPL 0 (v8086 mode runs at CPL 3). */
    if ((c->cr[4] & CPU_CR4_TSD) && cpu_protected(c) && (c->cpl != 0 || cpu_v86(c)))
        cpu_exception(c, CPU_EXC_GP, 0);
    uint64_t t = sys_tsc(c);
    c->gpr[CPU_EAX] = (uint32_t)t;
    c->gpr[CPU_EDX] = (uint32_t)(t >> 32);
}

/* Memory types an MTRR may hold: UC, WC, WT, WP, WB (SDM vol. 3, table 11-8). */
static bool sys_mtrr_type_ok(unsigned t) { return t == 0 || t == 1 || t == 4 || t == 5 || t == 6; }

/* Locate a fixed-range MTRR: index into sys.mtrr_fix, or -1. */
static int sys_mtrr_fix_index(uint32_t msr)
{
    if (msr == SYS_MSR_MTRR_FIX64K)
        return 0;
    if (msr == SYS_MSR_MTRR_FIX16K_80000)
        return 1;
    if (msr == SYS_MSR_MTRR_FIX16K_A0000)
        return 2;
    if (msr >= SYS_MSR_MTRR_FIX4K && msr < SYS_MSR_MTRR_FIX4K + 8)
        return 3 + (int)(msr - SYS_MSR_MTRR_FIX4K);
    return -1;
}

/* Read an MSR; false if it does not exist. */
static bool sys_msr_read(const struct cpu *c, uint32_t msr, uint64_t *v)
{
    const struct cpu_sysregs *s = &c->sys;
    int fix = sys_mtrr_fix_index(msr);
    if (fix >= 0) {
        *v = s->mtrr_fix[fix];
        return true;
    }
    if (msr >= SYS_MSR_MTRR_PHYS && msr < SYS_MSR_MTRR_PHYS + 2 * CPU_MTRR_VAR_COUNT) {
        *v = s->mtrr_var[msr - SYS_MSR_MTRR_PHYS];
        return true;
    }
    if (msr - SYS_MSR_PERFCTR0 < 2) {
        *v = s->perfctr[msr - SYS_MSR_PERFCTR0];
        return true;
    }
    if (msr - SYS_MSR_PERFEVTSEL0 < 2) {
        *v = s->perfevtsel[msr - SYS_MSR_PERFEVTSEL0];
        return true;
    }
    switch (msr) {
    case SYS_MSR_TSC: *v = sys_tsc(c); return true;
    /* Platform ID bits 52:50 = 0 (the processor's slot/package type 0),
     * which Linux folds into the microcode signature it prints. */
    case SYS_MSR_PLATFORM_ID: *v = 0; return true;
    /* The microcode update signature: no update is ever loaded, so the
     * revision in bits 63:32 is 0 (SDM vol. 3, 9.11.7). */
    case SYS_MSR_BIOS_SIGN_ID: *v = 0; return true;
    case SYS_MSR_APIC_BASE: *v = s->apic_base; return true;
    case SYS_MSR_MTRRCAP: *v = SYS_MTRRCAP; return true;
    case SYS_MSR_SYSENTER_CS: *v = s->sysenter_cs; return true;
    case SYS_MSR_SYSENTER_ESP: *v = s->sysenter_esp; return true;
    case SYS_MSR_SYSENTER_EIP: *v = s->sysenter_eip; return true;
    case SYS_MSR_MTRR_DEF_TYPE: *v = s->mtrr_def_type; return true;
    default: return false;
    }
}

/* Write an MSR; false if it does not exist, is read-only, or a reserved
 * bit or an invalid value is written (both #GP(0)). */
static bool sys_msr_write(struct cpu *c, uint32_t msr, uint64_t v)
{
    struct cpu_sysregs *s = &c->sys;
    int fix = sys_mtrr_fix_index(msr);
    if (fix >= 0) {
        /* eight type bytes, each a valid memory type */
        for (unsigned k = 0; k < 8; k++)
            if (!sys_mtrr_type_ok((unsigned)(v >> (8 * k)) & 0xFFu))
                return false;
        s->mtrr_fix[fix] = v;
        return true;
    }
    if (msr >= SYS_MSR_MTRR_PHYS && msr < SYS_MSR_MTRR_PHYS + 2 * CPU_MTRR_VAR_COUNT) {
        if (msr & 1) {
            /* PHYSMASKn: V (bit 11) and the mask; bits 0-10 reserved */
            if (v & ~(SYS_PHYS_MASK_36 | 0x800u))
                return false;
        } else {
            /* PHYSBASEn: type (bits 0-7) and the base; bits 8-11 reserved */
            if ((v & ~(SYS_PHYS_MASK_36 | 0xFFu)) || !sys_mtrr_type_ok((unsigned)v & 0xFFu))
                return false;
        }
        s->mtrr_var[msr - SYS_MSR_MTRR_PHYS] = v;
        return true;
    }
    if (msr - SYS_MSR_PERFCTR0 < 2) {
        /* P6 family: the low 32 bits are written and bit 31 is
         * sign-extended through bit 39 (SDM vol. 3, 18.22 / P6 PMCs). */
        uint64_t lo = v & 0xFFFFFFFFu;
        s->perfctr[msr - SYS_MSR_PERFCTR0] = (lo & 0x80000000u) ? (lo | 0xFF00000000ull) : lo;
        return true;
    }
    if (msr - SYS_MSR_PERFEVTSEL0 < 2) {
        /* Event, unit mask, USR, OS, E, PC, INT, EN, INV, CMASK; bit 21
         * and bits 63:32 are reserved (SDM vol. 3, P6 PerfEvtSel). */
        if (v & ~0xFFDFFFFFull)
            return false;
        s->perfevtsel[msr - SYS_MSR_PERFEVTSEL0] = (uint32_t)v;
        return true;
    }
    switch (msr) {
    case SYS_MSR_TSC:
        /* P6 family: only the low 32 bits can be written, the high 32
         * bits are cleared (SDM vol. 3, 17.17, P6 note). */
        c->tsc_offset = (v & 0xFFFFFFFFu) - c->icount;
        return true;
    case SYS_MSR_APIC_BASE:
        /* BSP (bit 8), EN (bit 11), base (bits 12-35); the rest reserved. */
        if (v & ~(SYS_PHYS_MASK_36 | 0x900u))
            return false;
        s->apic_base = v;
        return true;
    case SYS_MSR_BIOS_SIGN_ID:
        /* Software writes 0 before CPUID to read the signature back
         * (SDM vol. 3, 9.11.7.1); the register always reads 0 here. */
        return true;
    case SYS_MSR_BIOS_UPDT_TRIG:
        /* A microcode update trigger: there is no microcode to patch, so
         * the update is accepted and changes nothing (the signature stays
         * 0, which is how software sees that no update took). */
        return true;
    case SYS_MSR_SYSENTER_CS:
    case SYS_MSR_SYSENTER_ESP:
    case SYS_MSR_SYSENTER_EIP:
        /* 32-bit registers on IA-32 processors: EDX is ignored. */
        if (msr == SYS_MSR_SYSENTER_CS)
            s->sysenter_cs = (uint32_t)v;
        else if (msr == SYS_MSR_SYSENTER_ESP)
            s->sysenter_esp = (uint32_t)v;
        else
            s->sysenter_eip = (uint32_t)v;
        return true;
    case SYS_MSR_MTRR_DEF_TYPE:
        /* type (bits 0-7), FE (bit 10), E (bit 11) (SDM vol. 3, 11.11.2.1) */
        if ((v & ~0xCFFull) || !sys_mtrr_type_ok((unsigned)v & 0xFFu))
            return false;
        s->mtrr_def_type = v;
        return true;
    default:
        return false; /* MTRRcap is read-only; everything else is absent */
    }
}

void cpu_h_RDMSR(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_sys_require_cpl0(c);
    uint64_t v;
    if (!sys_msr_read(c, c->gpr[CPU_ECX], &v))
        cpu_exception(c, CPU_EXC_GP, 0);
    c->gpr[CPU_EAX] = (uint32_t)v;
    c->gpr[CPU_EDX] = (uint32_t)(v >> 32);
}

void cpu_h_WRMSR(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_sys_require_cpl0(c);
    uint64_t v = ((uint64_t)c->gpr[CPU_EDX] << 32) | c->gpr[CPU_EAX];
    if (!sys_msr_write(c, c->gpr[CPU_ECX], v))
        cpu_exception(c, CPU_EXC_GP, 0);
}

void cpu_h_RDPMC(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    /* Allowed at CPL 0, or at any privilege with CR4.PCE (SDM vol. 2, RDPMC). */
    if (!(c->cr[4] & CPU_CR4_PCE) && cpu_protected(c) && (c->cpl != 0 || cpu_v86(c)))
        cpu_exception(c, CPU_EXC_GP, 0);
    /* The P6 family has two counters, PMC0 and PMC1. */
    if (c->gpr[CPU_ECX] > 1)
        cpu_exception(c, CPU_EXC_GP, 0);
    /* The 40-bit counter as WRMSR left it: events are not counted (the
     * event selects are stored and read back only). */
    uint64_t v = c->sys.perfctr[c->gpr[CPU_ECX]];
    c->gpr[CPU_EAX] = (uint32_t)v;
    c->gpr[CPU_EDX] = (uint32_t)(v >> 32) & 0xFFu;
}

/* Load a flat 4 GiB segment with the given selector and access byte
 * (SYSENTER/SYSEXIT build their segments without reading descriptors). */
static void sys_flat_segment(struct cpu *c, unsigned sreg, uint16_t sel, uint16_t access)
{
    struct cpu_seg *s = &c->seg[sreg];
    s->sel = sel;
    s->base = 0;
    s->limit = 0xFFFFFFFFu;
    s->attr = (uint16_t)(access | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G);
    cpu_seg_update(c, s);
}

/* Access bytes: P, DPL, S=1, type 11 (code, execute/read, accessed) or
 * type 3 (data, read/write, accessed). */
#define SYS_ACC_CODE(dpl) (0x9Bu | ((dpl) << 5))
#define SYS_ACC_DATA(dpl) (0x93u | ((dpl) << 5))

void cpu_h_SYSENTER(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    /* SDM vol. 2, SYSENTER: #GP(0) in real mode or with a null
     * SYSENTER_CS; works from any CPL, v8086 mode included. */
    uint16_t cs = (uint16_t)c->sys.sysenter_cs;
    if (!cpu_protected(c) || (cs & 0xFFFCu) == 0)
        cpu_exception(c, CPU_EXC_GP, 0);
    c->eflags &= ~(CPU_FL_VM | CPU_FL_IF | CPU_FL_RF);
    cpu_set_cpl(c, 0);
    sys_flat_segment(c, CPU_CS, cs & 0xFFFCu, SYS_ACC_CODE(0u));
    sys_flat_segment(c, CPU_SS, (uint16_t)((cs + 8) & 0xFFFCu), SYS_ACC_DATA(0u));
    c->gpr[CPU_ESP] = c->sys.sysenter_esp;
    c->eip = c->sys.sysenter_eip;
    cpu_end_trace(c);
}

void cpu_h_SYSEXIT(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    /* SDM vol. 2, SYSEXIT: #GP(0) in real mode, at CPL > 0 (v8086 mode
     * is CPL 3) or with a null SYSENTER_CS. */
    uint16_t cs = (uint16_t)c->sys.sysenter_cs;
    if (!cpu_protected(c) || (cs & 0xFFFCu) == 0)
        cpu_exception(c, CPU_EXC_GP, 0);
    cpu_sys_require_cpl0(c);
    cpu_set_cpl(c, 3);
    sys_flat_segment(c, CPU_CS, (uint16_t)((cs + 16) | 3u), SYS_ACC_CODE(3u));
    sys_flat_segment(c, CPU_SS, (uint16_t)((cs + 24) | 3u), SYS_ACC_DATA(3u));
    c->gpr[CPU_ESP] = c->gpr[CPU_ECX];
    c->eip = c->gpr[CPU_EDX];
    cpu_end_trace(c);
}
