/*
 * system_internal.h - system-register state and helpers shared by the
 * system-instruction files (cpu/system.c, cpu/cpuid.c,
 * cpu/descriptor_insns.c, cpu/fpu_escape.c).
 *
 * struct cpu embeds struct cpu_sysregs as `sys`; cpu_internal.h includes
 * this header, so it must not include cpu_internal.h itself.
 */
#ifndef CPU_SYSTEM_INTERNAL_H
#define CPU_SYSTEM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

struct cpu;

/* Variable-range MTRR pairs on the P6 family (MTRRcap.VCNT = 8). */
#define CPU_MTRR_VAR_COUNT 8
/* Fixed-range MTRRs: 64K_00000, 16K_80000, 16K_A0000, 4K_C0000..4K_F8000. */
#define CPU_MTRR_FIX_COUNT 11

/* Model-specific registers without another home in struct cpu (the TSC
 * is icount + cpu.tsc_offset).  All zero after cpu_create(); see
 * cpu_sys_reset() for the power-on values. */
struct cpu_sysregs {
    uint64_t apic_base;       /* IA32_APIC_BASE (1Bh) */
    uint32_t sysenter_cs;     /* IA32_SYSENTER_CS (174h) */
    uint32_t sysenter_esp;    /* IA32_SYSENTER_ESP (175h) */
    uint32_t sysenter_eip;    /* IA32_SYSENTER_EIP (176h) */
    uint64_t mtrr_def_type;   /* IA32_MTRR_DEF_TYPE (2FFh) */
    uint64_t mtrr_var[CPU_MTRR_VAR_COUNT * 2]; /* PHYSBASE0, PHYSMASK0, ... (200h-20Fh) */
    uint64_t mtrr_fix[CPU_MTRR_FIX_COUNT];     /* 250h, 258h, 259h, 268h-26Fh */
    uint64_t perfctr[2];      /* PerfCtr0/1 (C1h, C2h): 40-bit counters */
    uint32_t perfevtsel[2];   /* PerfEvtSel0/1 (186h, 187h) */
};

/* CPUID.01H:EDX feature bits (SDM vol. 2, CPUID, table 3-11). */
#define CPU_FEAT_FPU (1u << 0)
#define CPU_FEAT_VME (1u << 1)
#define CPU_FEAT_DE (1u << 2)
#define CPU_FEAT_PSE (1u << 3)
#define CPU_FEAT_TSC (1u << 4)
#define CPU_FEAT_MSR (1u << 5)
#define CPU_FEAT_PAE (1u << 6)
#define CPU_FEAT_MCE (1u << 7)
#define CPU_FEAT_CX8 (1u << 8)
#define CPU_FEAT_APIC (1u << 9)
#define CPU_FEAT_SEP (1u << 11)
#define CPU_FEAT_MTRR (1u << 12)
#define CPU_FEAT_PGE (1u << 13)
#define CPU_FEAT_MCA (1u << 14)
#define CPU_FEAT_CMOV (1u << 15)
#define CPU_FEAT_PAT (1u << 16)
#define CPU_FEAT_PSE36 (1u << 17)
#define CPU_FEAT_MMX (1u << 23)
#define CPU_FEAT_FXSR (1u << 24)

/* CR4 bits beyond the ones in cpu_internal.h. */
#define CPU_CR4_OSFXSR 0x200u

/** CPUID.01H:EDX of the emulated model: exactly what the emulator
 * implements (cpu/cpuid.c).  CR4 writes and feature-gated instructions
 * consult it so the guest never sees a feature that CPUID denies. */
uint32_t cpu_sys_features(const struct cpu *c);

/** Power-on values of the registers in struct cpu_sysregs (SDM vol. 3,
 * table 9-1).  To be called from cpu_reset(). */
void cpu_sys_reset(struct cpu *c);

/** #GP(0) unless the instruction may run at the current privilege: CPL 0
 * in protected mode, never in virtual-8086 mode (real mode always). */
void cpu_sys_require_cpl0(struct cpu *c);

/** Push CR0.PG/WP, CR3 and CR4.PSE/PGE/PAE to the MMU. */
void cpu_sys_push_paging(struct cpu *c);

#endif
