/*
 * descriptor_insns.c - descriptor-table instructions: LGDT/LIDT, SGDT/SIDT,
 * LLDT/SLDT, LTR/STR, LAR, LSL, VERR, VERW, ARPL.
 *
 * Descriptor-table reads are implicit supervisor accesses to linear
 * addresses (SDM vol. 3, 4.6.1): they ignore CPL and segment registers.
 */
#include "cpu/cpu_internal.h"

/* Descriptor type field values for system descriptors (S = 0),
 * SDM vol. 3, table 3-2. */
enum {
    SYS_DT_TSS16_AVAIL = 1,
    SYS_DT_LDT = 2,
    SYS_DT_TSS16_BUSY = 3,
    SYS_DT_CALLGATE16 = 4,
    SYS_DT_TASKGATE = 5,
    SYS_DT_TSS32_AVAIL = 9,
    SYS_DT_TSS32_BUSY = 11,
    SYS_DT_CALLGATE32 = 12
};

/* Descriptor bits, in the high doubleword. */
#define SYS_D_S 0x00001000u    /* code/data (1) or system (0) */
#define SYS_D_P 0x00008000u    /* present */
#define SYS_D_G 0x00800000u    /* granularity */
#define SYS_D_CODE 0x00000800u /* type bit 3: code */
#define SYS_D_CONF 0x00000400u /* code: conforming */
#define SYS_D_RW 0x00000200u   /* code: readable; data: writable */
#define SYS_D_BUSY 0x00000200u /* TSS: busy (type bit 1) */

/* A descriptor as read from a table. */
struct sys_desc {
    uint32_t lo, hi;
};

static unsigned sys_desc_type(const struct sys_desc *d) { return (d->hi >> 8) & 0xFu; }
static unsigned sys_desc_dpl(const struct sys_desc *d) { return (d->hi >> 13) & 3u; }
static uint32_t sys_desc_base(const struct sys_desc *d)
{
    return (d->lo >> 16) | ((d->hi & 0xFFu) << 16) | (d->hi & 0xFF000000u);
}
/** Byte-granular limit (G applied). */
static uint32_t sys_desc_limit(const struct sys_desc *d)
{
    uint32_t lim = (d->lo & 0xFFFFu) | (d->hi & 0x000F0000u);
    return (d->hi & SYS_D_G) ? (lim << 12) | 0xFFFu : lim;
}
/** Segment-cache attributes (struct cpu_segment.attr layout). */
static uint16_t sys_desc_attr(const struct sys_desc *d) { return (uint16_t)((d->hi >> 8) & 0xF0FFu); }

/* Read a descriptor's 8 bytes at a linear address (an implicit
 * supervisor access; both halves are read before anything changes). */
static struct sys_desc sys_read_desc(struct cpu *c, uint32_t lin)
{
    struct sys_desc d;
    d.lo = cpu_read_sys(c, lin, 4);
    d.hi = cpu_read_sys(c, lin + 4, 4);
    return d;
}

/* Locate a selector's descriptor: its linear address, or false when the
 * selector is beyond its table's limit (or names an invalid LDT). */
static bool sys_desc_addr(const struct cpu *c, uint16_t sel, uint32_t *lin)
{
    uint32_t base, limit;
    if (sel & 4) {
        if (!(c->ldtr.attr & (SYS_D_P >> 8)))
            return false; /* LDTR loaded with a null selector */
        base = c->ldtr.base;
        limit = c->ldtr.limit;
    } else {
        base = c->gdtr.base;
        limit = c->gdtr.limit;
    }
    if ((uint32_t)(sel | 7u) > limit)
        return false;
    *lin = base + (sel & 0xFFF8u);
    return true;
}

/* SLDT, STR, LLDT, LTR, LAR, LSL, VERR, VERW and ARPL do not exist in
 * real-address and virtual-8086 mode (SDM vol. 2: #UD). */
static void sys_require_pmode(struct cpu *c)
{
    if (!cpu_protected(c) || cpu_v86(c))
        cpu_exception(c, CPU_EXC_UD, 0);
}

static void sys_set_zf(struct cpu *c, bool zf)
{
    flags_set_szp(&c->lf, flags_sf(&c->lf), zf, flags_pf(&c->lf));
}

/* ------------------------------------------------------------------ */
/* GDTR / IDTR                                                         */

static void sys_store_dtr(struct cpu *c, const struct cpu_insn *i, uint32_t base, uint16_t limit)
{
    uint32_t off = cpu_ea(c, &i->d);
    uint32_t off2 = off + 2; /* beyond FFFFh: a limit fault, no wrap */
    /* With a 16-bit operand the 386 and later store the 4th base byte as
     * 0 (the 286 stored FFh) (SDM vol. 2, SGDT, "IA-32 Architecture
     * Compatibility").  The same page's Operation section stores the full
     * base for both sizes, as Bochs 2.7 does; QEMU stores 0. */
    if (!(i->d.flags & DEC_F_O32))
        base &= 0x00FFFFFFu;
    cpu_check_write(c, i->d.seg, off2, 4);
    cpu_write16(c, i->d.seg, off, limit);
    cpu_write32(c, i->d.seg, off2, base);
}

static void sys_load_dtr(struct cpu *c, const struct cpu_insn *i, uint32_t *base, uint16_t *limit)
{
    cpu_sys_require_cpl0(c);
    uint32_t off = cpu_ea(c, &i->d);
    uint32_t off2 = off + 2; /* beyond FFFFh: a limit fault, no wrap */
    uint16_t l = cpu_read16(c, i->d.seg, off);
    uint32_t b = cpu_read32(c, i->d.seg, off2);
    /* A 16-bit operand loads a 24-bit base (SDM vol. 2, LGDT). */
    if (!(i->d.flags & DEC_F_O32))
        b &= 0x00FFFFFFu;
    *base = b;
    *limit = l;
}

void cpu_h_SGDT_Ms(struct cpu *c, const struct cpu_insn *i)
{
    sys_store_dtr(c, i, c->gdtr.base, c->gdtr.limit);
}

void cpu_h_SIDT_Ms(struct cpu *c, const struct cpu_insn *i)
{
    sys_store_dtr(c, i, c->idtr.base, c->idtr.limit);
}

void cpu_h_LGDT_Ms(struct cpu *c, const struct cpu_insn *i)
{
    sys_load_dtr(c, i, &c->gdtr.base, &c->gdtr.limit);
}

void cpu_h_LIDT_Ms(struct cpu *c, const struct cpu_insn *i)
{
    sys_load_dtr(c, i, &c->idtr.base, &c->idtr.limit);
}

/* ------------------------------------------------------------------ */
/* LDTR / TR                                                           */

/* SLDT/STR: memory form stores 16 bits; register form with a 32-bit
 * operand zero-extends (P6 family, SDM vol. 2, SLDT/STR). */
static void sys_store_sel(struct cpu *c, const struct cpu_insn *i, uint16_t sel)
{
    if (!(i->d.flags & DEC_F_MEM) && (i->d.flags & DEC_F_O32))
        cpu_set_r32(c, i->d.rm, sel);
    else
        cpu_set_E16(c, &i->d, sel);
}

void cpu_h_SLDT_Ew(struct cpu *c, const struct cpu_insn *i)
{
    sys_require_pmode(c);
    sys_store_sel(c, i, c->ldtr.sel);
}

void cpu_h_STR_Ew(struct cpu *c, const struct cpu_insn *i)
{
    sys_require_pmode(c);
    sys_store_sel(c, i, c->tr.sel);
}

/* Common part of LLDT/LTR: a non-null GDT selector within the limit,
 * returns its descriptor and linear address. */
static struct sys_desc sys_load_system_desc(struct cpu *c, uint16_t sel, uint32_t *lin)
{
    uint32_t err = sel & 0xFFFCu;
    if ((sel & 4) || !sys_desc_addr(c, sel, lin))
        cpu_exception(c, CPU_EXC_GP, err);
    return sys_read_desc(c, *lin);
}

static void sys_set_cache(struct cpu *c, struct cpu_seg *s, uint16_t sel, const struct sys_desc *d)
{
    s->sel = sel;
    s->base = sys_desc_base(d);
    s->limit = sys_desc_limit(d);
    s->attr = sys_desc_attr(d);
    cpu_seg_update(c, s);
}

void cpu_h_LLDT_Ew(struct cpu *c, const struct cpu_insn *i)
{
    sys_require_pmode(c);
    cpu_sys_require_cpl0(c);
    uint16_t sel = cpu_get_E16(c, &i->d);
    if ((sel & 0xFFFCu) == 0) {
        /* A null selector marks LDTR invalid: any later LDT reference
         * fails (the cache is not present and has a zero limit). */
        struct sys_desc none = { 0, 0 };
        sys_set_cache(c, &c->ldtr, sel, &none);
        return;
    }
    uint32_t lin;
    struct sys_desc d = sys_load_system_desc(c, sel, &lin);
    if ((d.hi & SYS_D_S) || sys_desc_type(&d) != SYS_DT_LDT)
        cpu_exception(c, CPU_EXC_GP, sel & 0xFFFCu);
    if (!(d.hi & SYS_D_P))
        cpu_exception(c, CPU_EXC_NP, sel & 0xFFFCu);
    sys_set_cache(c, &c->ldtr, sel, &d);
}

void cpu_h_LTR_Ew(struct cpu *c, const struct cpu_insn *i)
{
    sys_require_pmode(c);
    cpu_sys_require_cpl0(c);
    uint16_t sel = cpu_get_E16(c, &i->d);
    if ((sel & 0xFFFCu) == 0)
        cpu_exception(c, CPU_EXC_GP, 0);
    uint32_t lin;
    struct sys_desc d = sys_load_system_desc(c, sel, &lin);
    unsigned type = sys_desc_type(&d);
    if ((d.hi & SYS_D_S) || (type != SYS_DT_TSS16_AVAIL && type != SYS_DT_TSS32_AVAIL))
        cpu_exception(c, CPU_EXC_GP, sel & 0xFFFCu);
    if (!(d.hi & SYS_D_P))
        cpu_exception(c, CPU_EXC_NP, sel & 0xFFFCu);
    /* Mark the TSS busy in the GDT (SDM vol. 2, LTR): a locked write of
     * the access byte, which can itself page-fault. */
    d.hi |= SYS_D_BUSY;
    cpu_write_sys(c, lin + 5, (d.hi >> 8) & 0xFFu, 1);
    sys_set_cache(c, &c->tr, sel, &d);
}

/* ------------------------------------------------------------------ */
/* LAR, LSL, VERR, VERW                                                */

enum sys_probe { SYS_PROBE_LAR, SYS_PROBE_LSL, SYS_PROBE_VERR, SYS_PROBE_VERW };

/* Is a system-descriptor type visible to LAR (all but interrupt/trap
 * gates and reserved types) or LSL (TSS and LDT only)?  SDM vol. 2. */
static bool sys_probe_type_ok(enum sys_probe p, unsigned type)
{
    switch (type) {
    case SYS_DT_TSS16_AVAIL:
    case SYS_DT_LDT:
    case SYS_DT_TSS16_BUSY:
    case SYS_DT_TSS32_AVAIL:
    case SYS_DT_TSS32_BUSY:
        return true;
    case SYS_DT_CALLGATE16:
    case SYS_DT_TASKGATE:
    case SYS_DT_CALLGATE32:
        return p == SYS_PROBE_LAR;
    default:
        return false;
    }
}

/* The checks shared by LAR/LSL/VERR/VERW.  Invalid selectors never
 * fault: they clear ZF (returns false).  Only a page fault on the
 * descriptor read can fault. */
static bool sys_probe(struct cpu *c, uint16_t sel, enum sys_probe p, struct sys_desc *out)
{
    uint32_t lin;
    if ((sel & 0xFFFCu) == 0 || !sys_desc_addr(c, sel, &lin))
        return false;
    struct sys_desc d = sys_read_desc(c, lin);
    bool code = d.hi & SYS_D_CODE;
    if (!(d.hi & SYS_D_S)) {
        if (p == SYS_PROBE_VERR || p == SYS_PROBE_VERW || !sys_probe_type_ok(p, sys_desc_type(&d)))
            return false;
    } else if (p == SYS_PROBE_VERR && code && !(d.hi & SYS_D_RW)) {
        return false; /* execute-only code */
    } else if (p == SYS_PROBE_VERW && (code || !(d.hi & SYS_D_RW))) {
        return false; /* code, or read-only data */
    }
    /* Conforming code segments skip the privilege check; everything
     * else needs DPL >= CPL and DPL >= RPL. */
    bool conforming = (d.hi & SYS_D_S) && code && (d.hi & SYS_D_CONF);
    if (!conforming) {
        unsigned dpl = sys_desc_dpl(&d);
        if (dpl < c->cpl || dpl < (sel & 3u))
            return false;
    }
    *out = d;
    return true;
}

/* LAR/LSL: a destination register is written only when ZF is set. */
static void sys_lar_lsl(struct cpu *c, const struct cpu_insn *i, enum sys_probe p, bool o32)
{
    sys_require_pmode(c);
    uint16_t sel = cpu_get_E16(c, &i->d);
    struct sys_desc d;
    if (!sys_probe(c, sel, p, &d)) {
        sys_set_zf(c, false);
        return;
    }
    uint32_t v;
    if (p == SYS_PROBE_LSL)
        v = sys_desc_limit(&d);
    else
        /* Type, S, DPL, P and AVL, D/B, G; bits 16-19 (the limit) are
         * undefined in the SDM ("masked by 00FxFF00H") and stored as 0. */
        v = d.hi & 0x00F0FF00u;
    if (o32)
        cpu_set_r32(c, i->d.reg, v);
    else
        cpu_set_r16(c, i->d.reg, (uint16_t)v);
    sys_set_zf(c, true);
}

void cpu_h_LAR_GwEw(struct cpu *c, const struct cpu_insn *i) { sys_lar_lsl(c, i, SYS_PROBE_LAR, false); }
void cpu_h_LAR_GdEw(struct cpu *c, const struct cpu_insn *i) { sys_lar_lsl(c, i, SYS_PROBE_LAR, true); }
void cpu_h_LSL_GwEw(struct cpu *c, const struct cpu_insn *i) { sys_lar_lsl(c, i, SYS_PROBE_LSL, false); }
void cpu_h_LSL_GdEw(struct cpu *c, const struct cpu_insn *i) { sys_lar_lsl(c, i, SYS_PROBE_LSL, true); }

void cpu_h_VERR_Ew(struct cpu *c, const struct cpu_insn *i)
{
    sys_require_pmode(c);
    struct sys_desc d;
    sys_set_zf(c, sys_probe(c, cpu_get_E16(c, &i->d), SYS_PROBE_VERR, &d));
}

void cpu_h_VERW_Ew(struct cpu *c, const struct cpu_insn *i)
{
    sys_require_pmode(c);
    struct sys_desc d;
    sys_set_zf(c, sys_probe(c, cpu_get_E16(c, &i->d), SYS_PROBE_VERW, &d));
}

/* ------------------------------------------------------------------ */
/* ARPL                                                                */

void cpu_h_ARPL_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    sys_require_pmode(c);
    /* A memory destination is read for writing even when it is left
     * unchanged: a non-writable segment is #GP(0) (SDM vol. 2, ARPL,
     * protected-mode exceptions). */
    bool mem = i->d.flags & DEC_F_MEM;
    uint16_t dst = mem ? (uint16_t)cpu_rmw_read(c, i->d.seg, cpu_ea(c, &i->d), 2)
                       : cpu_get_r16(c, i->d.rm);
    uint16_t src = cpu_get_r16(c, i->d.reg);
    bool adjust = (dst & 3u) < (src & 3u);
    if (adjust)
        dst = (uint16_t)((dst & ~3u) | (src & 3u));
    if (mem)
        cpu_rmw_write(c, dst);
    else
        cpu_set_r16(c, i->d.rm, dst);
    sys_set_zf(c, adjust);
}
