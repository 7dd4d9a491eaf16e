/*
 * exclusions.c - THE reviewed list of SingleStepTests 80286 cases that
 * legitimately differ on ringzero's P6 model.
 *
 * The suite was captured on a real 80286 in real mode; ringzero models a
 * Pentium II.  Only differences the manuals document as 286-versus-386+
 * behaviour belong here, each with its reference.  An entry never hides a
 * test outright: the test still runs, passes if it matches exactly, counts
 * as "excluded" only when its differences are the ones the entry allows,
 * and fails otherwise (see struct ssts_exclusion).
 *
 * Checked and deliberately NOT listed (the 286 behaves like the P6 here,
 * and the data agrees):
 *  - shift/rotate counts: "all other IA-32 processors (starting with the
 *    Intel 286 processor) do mask the shift count to 5 bits" (SDM vol. 2B,
 *    SAL/SAR/SHL/SHR "IA-32 Architecture Compatibility");
 *  - PUSH SP pushes the value before the decrement on the 286 and later
 *    (SDM vol. 2B, PUSH "IA-32 Architecture Compatibility");
 *  - undefined forms 8F /1-7, C6 /1-7, C7 /1-7: the captured 286 raised
 *    #UD (vector 6) for them, as a P6 does;
 *  - a word access at offset 0FFFFh of DS/ES/CS raises interrupt 13 on
 *    both (SDM vol. 2, each instruction's "Real-Address Mode Exceptions":
 *    #GP if an effective address is outside the segment limit);
 *  - WAIT (9B) with no coprocessor: a no-op on both (SDM vol. 2B WAIT:
 *    #NM only when CR0.MP and CR0.TS are set);
 *  - divide-error return address: the faulting instruction on both;
 *  - undefined flags: masked with metadata.json's flags-mask, not here.
 */
#include <string.h>

#include "tests/conformance/ssts.h"

#define SSTS_FL_OF 0x0800u /* FLAGS.OF */

/* Linear address of word `off` above SS:SP in the initial state, and the
 * initial RAM word there if the test provides both bytes. */
static bool ssts_init_stack_word(const struct moo_test *t, unsigned off, uint16_t *out)
{
    const struct moo_regs *r = &t->init.regs;
    if (!t->init.has_regs || (r->mask & ((1u << MOO_SS) | (1u << MOO_SP))) !=
                                 ((1u << MOO_SS) | (1u << MOO_SP)))
        return false;
    uint32_t base = (uint32_t)r->v[MOO_SS] << 4;
    uint32_t lo = base + (uint16_t)(r->v[MOO_SP] + off);
    uint32_t hi = base + (uint16_t)(r->v[MOO_SP] + off + 1);
    int got = 0;
    uint16_t w = 0;
    for (uint32_t k = 0; k < t->init.ram_count; k++) {
        uint32_t a = moo_ram_addr(&t->init, k);
        if (a == lo) {
            w = (uint16_t)((w & 0xFF00u) | moo_ram_val(&t->init, k));
            got |= 1;
        } else if (a == hi) {
            w = (uint16_t)((w & 0x00FFu) | (moo_ram_val(&t->init, k) << 8));
            got |= 2;
        }
    }
    *out = w;
    return got == 3;
}

/* POPF (9D): the popped image sets IOPL or NT. */
static bool ssts_popf_sets_iopl_nt(const struct moo_test *t)
{
    uint16_t w;
    return ssts_init_stack_word(t, 0, &w) && (w & 0x7000u);
}

/* IRET (CF): the FLAGS image at SS:SP+4 sets IOPL or NT. */
static bool ssts_iret_sets_iopl_nt(const struct moo_test *t)
{
    uint16_t w;
    return ssts_init_stack_word(t, 4, &w) && (w & 0x7000u);
}

/* The x87 escapes D8-DF.  The suite was captured with no 80287 and
 * MSW.EM = 0: the 286 then runs an escape as a no-op apart from the
 * operand's segment-limit check (the data: FINA changes only IP; one case
 * with a word at offset 0FFFFh takes interrupt 13).  A P6 has an on-chip
 * x87, and ringzero configured without one (cpu_config.fpu = false, as on
 * the capture rig) raises #NM: the device-not-available rules of SDM vol.
 * 3A, 2.5 and table 2-2 have no "no coprocessor, EM = 0" case for a P6. */
#define SSTS_FPU_ESC(k)                                                                  \
    {k, -1, NULL, 0, 0, 0, 0, true, 7,                                                     \
     "x87 escape: 286 without 80287 runs it as a no-op; P6 model without x87 raises "      \
     "#NM (SDM 3A 2.5, table 2-2)"}

/* LOCK (F0) on a form the P6 does not allow it on.  The 286 only asserts
 * LOCK# for the instruction's bus cycles and checks nothing in real mode
 * (80286 PRM, LOCK: no real-mode exceptions); the 386 and later raise #UD
 * unless the instruction is ADD, ADC, AND, BTC, BTR, BTS, CMPXCHG,
 * CMPXCHG8B, DEC, INC, NEG, NOT, OR, SBB, SUB, XOR, XADD or XCHG with a
 * memory destination (SDM vol. 2A, LOCK, "Description" and "Protected
 * Mode Exceptions: #UD").  The 286 opcode space has the one-byte forms
 * below; the bit-test and exchange-and-add forms are 386+ opcodes. */
static bool ssts_lock_invalid_on_p6(const struct moo_test *t)
{
    bool lock = false;
    uint32_t k = 0;
    for (; k < t->nbytes; k++) {
        uint8_t b = t->bytes[k];
        if (b == 0xF0)
            lock = true;
        else if (!(b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0xF2 || b == 0xF3))
            break;
    }
    if (!lock)
        return false;
    if (k + 1 >= t->nbytes)
        return true; /* no ModRM: never lockable */
    uint8_t op = t->bytes[k], modrm = t->bytes[k + 1];
    unsigned reg = (modrm >> 3) & 7;
    if ((modrm >> 6) == 3)
        return true; /* register destination */
    switch (op) {
    case 0x00: case 0x01: case 0x08: case 0x09: case 0x10: case 0x11: case 0x18: case 0x19:
    case 0x20: case 0x21: case 0x28: case 0x29: case 0x30: case 0x31: /* op r/m, reg */
    case 0x86: case 0x87:                                              /* XCHG */
        return false;
    case 0x80: case 0x81: case 0x82: case 0x83:                        /* group 1, not CMP */
        return reg == 7;
    case 0xF6: case 0xF7:                                              /* NOT, NEG */
        return reg != 2 && reg != 3;
    case 0xFE: case 0xFF:                                              /* INC, DEC */
        return reg > 1;
    default:
        return true;
    }
}

/* The instruction under test: prefixes skipped (segment override noted),
 * opcode and ModRM. */
struct ssts_insn {
    int seg;        /* override prefix byte, or 0 */
    uint32_t op_at; /* index of the opcode byte */
    uint32_t len;   /* instruction length: the bytes before the closing HLT */
};

static void ssts_insn_of(const struct moo_test *t, struct ssts_insn *in)
{
    in->seg = 0;
    /* The suite places HLT (F4) right after the instruction. */
    in->len = t->nbytes && t->bytes[t->nbytes - 1] == 0xF4 ? t->nbytes - 1 : t->nbytes;
    uint32_t k = 0;
    for (; k < t->nbytes; k++) {
        uint8_t b = t->bytes[k];
        if (b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E)
            in->seg = b;
        else if (b != 0xF0 && b != 0xF2 && b != 0xF3)
            break;
    }
    in->op_at = k;
}

static uint16_t ssts_init_reg(const struct moo_test *t, enum moo_reg r)
{
    return t->init.regs.v[r];
}

/* Instructions longer than 10 bytes (redundant prefixes): the 80286 raises
 * interrupt 13 (80286 PRM, real-address-mode exceptions: "instruction
 * length > 10 bytes"); the 386 and later accept up to 15 bytes (SDM vol.
 * 2A, 2.1: maximum length 15 bytes; vol. 3A, 6.15 #GP). */
static bool ssts_longer_than_10(const struct moo_test *t)
{
    struct ssts_insn in;
    ssts_insn_of(t, &in);
    return in.len > 10;
}

/* 8C /4-5 and 8E /4-5 name FS and GS, which the 386 introduced (SDM vol.
 * 2B, MOV "Move to/from segment registers"); the 286 has four segment
 * registers and no such form. */
static bool ssts_fs_gs_form(const struct moo_test *t)
{
    struct ssts_insn in;
    ssts_insn_of(t, &in);
    if (in.op_at + 1 >= t->nbytes)
        return false;
    unsigned reg = (t->bytes[in.op_at + 1] >> 3) & 7;
    return reg == 4 || reg == 5;
}

/* A real-mode stack-segment overrun: the 286 reports every segment overrun
 * as interrupt 13 (the captured data: POP/RET/LEAVE at SS:FFFFh and
 * BP-based operands at offset FFFFh all show vector 13; 80286 PRM,
 * real-address-mode exceptions "interrupt 13: segment overrun"), while the
 * 386 and later raise #SS (vector 12) when the segment is SS (SDM vol. 2,
 * every instruction's "Real-Address Mode Exceptions": "#SS if a memory
 * operand effective address is outside the SS segment limit").  Applies
 * when the test expects vector 13 and the instruction's overrunning access
 * is SS-relative: a pop past offset FFFFh, LEAVE with BP = FFFFh, a ModRM
 * operand in SS whose end passes FFFFh, or an SS-overridden word source at
 * offset FFFFh.  (SDM vol. 2A LEAVE lists #GP for real mode, worded for an
 * EBP above FFFFh; its POP BP at SS:FFFFh is a stack-limit fault like any
 * other pop.  A CPU that raises 13 there simply passes.) */
static bool ssts_ss_overrun(const struct moo_test *t)
{
    if (!t->has_excp || t->excp_vector != 13)
        return false;
    struct ssts_insn in;
    ssts_insn_of(t, &in);
    if (in.op_at >= t->nbytes)
        return false;
    uint8_t op = t->bytes[in.op_at];
    uint16_t sp = ssts_init_reg(t, MOO_SP);
    unsigned pop = 0; /* bytes popped from SS:SP */
    switch (op) {
    case 0x07: case 0x17: case 0x1F: case 0x58: case 0x59: case 0x5A: case 0x5B: case 0x5C:
    case 0x5D: case 0x5E: case 0x5F: case 0x8F: case 0x9D: case 0xC2: case 0xC3:
        pop = 2;
        break;
    case 0xCA: case 0xCB:
        pop = 4;
        break;
    case 0xCF:
        pop = 6;
        break;
    case 0x61:
        pop = 16;
        break;
    case 0xC9:
        return ssts_init_reg(t, MOO_BP) == 0xFFFF;
    default:
        break;
    }
    if (pop && (uint32_t)sp + pop - 1 > 0xFFFF)
        return true;
    /* Word string sources and MOV AX,[moffs] / MOV [moffs],AX under an SS
     * override. */
    if (in.seg == 0x36) {
        if (op == 0x6F || op == 0xA5 || op == 0xA7 || op == 0xAD)
            return ssts_init_reg(t, MOO_SI) == 0xFFFF;
        if ((op == 0xA1 || op == 0xA3) && in.op_at + 2 < t->nbytes)
            return t->bytes[in.op_at + 1] == 0xFF && t->bytes[in.op_at + 2] == 0xFF;
    }
    /* ModRM operand: 16-bit addressing, SS by default for BP-based forms. */
    static const uint8_t modrm_ops[] = {
        0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x0A, 0x0B, 0x10, 0x11, 0x12, 0x13, 0x18, 0x19,
        0x1A, 0x1B, 0x20, 0x21, 0x22, 0x23, 0x28, 0x29, 0x2A, 0x2B, 0x30, 0x31, 0x32, 0x33,
        0x38, 0x39, 0x3A, 0x3B, 0x62, 0x69, 0x6B, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86,
        0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8E, 0x8F, 0xC0, 0xC1, 0xC4, 0xC5, 0xC6, 0xC7,
        0xD0, 0xD1, 0xD2, 0xD3, 0xF6, 0xF7, 0xFE, 0xFF};
    bool has_modrm = false;
    for (size_t k = 0; k < sizeof modrm_ops; k++)
        has_modrm |= modrm_ops[k] == op;
    if (!has_modrm || in.op_at + 1 >= t->nbytes)
        return false;
    uint8_t modrm = t->bytes[in.op_at + 1];
    unsigned mod = modrm >> 6, rm = modrm & 7;
    if (mod == 3)
        return false;
    uint16_t bx = ssts_init_reg(t, MOO_BX), bp = ssts_init_reg(t, MOO_BP);
    uint16_t si = ssts_init_reg(t, MOO_SI), di = ssts_init_reg(t, MOO_DI);
    static const bool bp_based[8] = {false, false, true, true, false, false, true, false};
    bool ss_default = bp_based[rm] && !(mod == 0 && rm == 6);
    bool ss = in.seg ? in.seg == 0x36 : ss_default;
    if (!ss)
        return false;
    uint32_t d = in.op_at + 2;
    uint16_t disp = 0;
    if ((mod == 0 && rm == 6) || mod == 2) {
        if (d + 1 >= t->nbytes)
            return false;
        disp = (uint16_t)(t->bytes[d] | (t->bytes[d + 1] << 8));
    } else if (mod == 1) {
        if (d >= t->nbytes)
            return false;
        disp = (uint16_t)(int16_t)(int8_t)t->bytes[d];
    }
    uint16_t base;
    switch (rm) {
    case 0: base = (uint16_t)(bx + si); break;
    case 1: base = (uint16_t)(bx + di); break;
    case 2: base = (uint16_t)(bp + si); break;
    case 3: base = (uint16_t)(bp + di); break;
    case 4: base = si; break;
    case 5: base = di; break;
    case 6: base = mod == 0 ? 0 : bp; break;
    default: base = bx; break;
    }
    uint16_t ea = (uint16_t)(base + disp);
    /* Operands are at most 4 bytes (LES/LDS/BOUND/far pointers). */
    return ea >= 0xFFFD;
}

/* String instructions faulting on a word at offset FFFFh: the 286 has
 * already stepped SI/DI (and, under REP, CX) when it raises interrupt 13
 * (the data: DI = FFFFh +/- 2 in FINA); the P6's faults are precise, the
 * instruction restarts with its registers unchanged (SDM vol. 3A, 6.5
 * "faults ... the state of the processor is restored to the state prior to
 * the beginning of the faulting instruction"; 6.15 #GP). */
static bool ssts_string_overrun(const struct moo_test *t)
{
    if (!t->has_excp || t->excp_vector != 13)
        return false;
    struct ssts_insn in;
    ssts_insn_of(t, &in);
    if (in.op_at >= t->nbytes)
        return false;
    uint8_t op = t->bytes[in.op_at];
    return (op >= 0x6C && op <= 0x6F) || (op >= 0xA4 && op <= 0xA7) || (op >= 0xAA && op <= 0xAF);
}

static const struct ssts_exclusion ssts_exclusions[] = {
    /* First: a LOCK #UD comes from decoding, before anything the
     * instruction itself would do (an x87 escape's #NM included). */
    {"*", -1, ssts_lock_invalid_on_p6, 0, 0, 0, 0, true, 6,
     "LOCK on a non-lockable form or register destination: 286 ignores it, 386+ #UD "
     "(SDM 2A LOCK)"},
    SSTS_FPU_ESC("D8"), SSTS_FPU_ESC("D9"), SSTS_FPU_ESC("DA"), SSTS_FPU_ESC("DB"),
    SSTS_FPU_ESC("DC"), SSTS_FPU_ESC("DD"), SSTS_FPU_ESC("DE"), SSTS_FPU_ESC("DF"),
    /* In real-address mode the 80286 keeps FLAGS bits 12-15 clear: POPF
     * and IRET cannot load IOPL or NT (the classic 286 detection test,
     * Intel AP-485 "Processor Identification", 286 vs 386).  On the 386
     * and later POPF/IRET in real mode load IOPL and NT from the image
     * (SDM vol. 2B POPF "Operation": real-address mode, all non-reserved
     * flags except VIP/VIF/VM; SDM vol. 2A IRET real-address-mode
     * operation).  Only bits 12-14 are relaxed. */
    {"9D", -1, ssts_popf_sets_iopl_nt, 0x7000u, 0, 0, 0, false, SSTS_P6_ANY,
     "POPF: 286 real mode keeps IOPL/NT clear, 386+ loads them (AP-485; SDM 2B POPF)"},
    {"CF", -1, ssts_iret_sets_iopl_nt, 0x7000u, 0, 0, 0, false, SSTS_P6_ANY,
     "IRET: 286 real mode keeps IOPL/NT clear, 386+ loads them (AP-485; SDM 2A IRET)"},
    {"*", -1, ssts_longer_than_10, 0, 0, 0, 0, true, SSTS_P6_NO_EXC,
     "instruction longer than 10 bytes: 286 raises interrupt 13, 386+ allows 15 "
     "(80286 PRM; SDM 2A 2.1)"},
    {"8C", -1, ssts_fs_gs_form, 0, 0, 0, 0, true, SSTS_P6_NO_EXC,
     "MOV r/m,FS/GS (8C /4-5): no FS/GS on the 286 (SDM 2B MOV)"},
    {"8E", -1, ssts_fs_gs_form, 0, 0, 0, 0, true, SSTS_P6_NO_EXC,
     "MOV FS/GS,r/m (8E /4-5): no FS/GS on the 286 (SDM 2B MOV)"},
    {"*", -1, ssts_ss_overrun, 0, 0, 12, 13, false, SSTS_P6_ANY,
     "SS overrun in real mode: 286 raises interrupt 13, 386+ #SS (12) (SDM 2 real-mode "
     "exceptions; run with IVT[12] = IVT[13])"},
    {"*", -1, ssts_string_overrun, 0, (1u << MOO_SI) | (1u << MOO_DI) | (1u << MOO_CX), 0, 0,
     false, SSTS_P6_ANY,
     "string op faulting at offset FFFFh: 286 has already stepped SI/DI/CX, P6 faults "
     "precisely (SDM 3A 6.5)"},
};

const struct ssts_exclusion *ssts_exclusion_find(const struct ssts_form *f,
                                                 const struct moo_test *t,
                                                 const struct ssts_exclusion *after)
{
    size_t n = sizeof ssts_exclusions / sizeof ssts_exclusions[0];
    for (size_t k = after ? (size_t)(after - ssts_exclusions) + 1 : 0; k < n; k++) {
        const struct ssts_exclusion *e = &ssts_exclusions[k];
        if (strcmp(e->key, "*") != 0 && strcmp(e->key, f->key) != 0)
            continue;
        if (e->reg >= 0 && e->reg != f->reg)
            continue;
        if (e->applies && !e->applies(t))
            continue;
        return e;
    }
    return NULL;
}

const struct ssts_exclusion *ssts_exclusion_list(size_t *n)
{
    *n = sizeof ssts_exclusions / sizeof ssts_exclusions[0];
    return ssts_exclusions;
}
