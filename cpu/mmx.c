/*
 * mmx.c - the MMX instructions of the Pentium II and EMMS (SDM vol. 1,
 * chapter 9; vol. 2), with their #UD/#NM/#MF rules (SDM vol. 3, 12.5 and
 * table 12-1).
 *
 * MMX registers MM0-MM7 are the significands of the x87's physical
 * registers R0-R7, whatever TOP says (SDM vol. 1, 9.5; vol. 3, 12.2 and
 * table 12-2):
 *  - every MMX instruction, EMMS included, sets TOP to 0;
 *  - every MMX instruction except EMMS marks all eight registers valid
 *    (not empty); EMMS marks them all empty (11);
 *  - writing MMn stores the value in Rn's significand and sets bits 79-64
 *    (sign and exponent) to all ones; reading MMn reads the significand;
 *  - the other x87 state (CW, the rest of SW, FIP/FDP/FOP) is untouched.
 *
 * The hardware keeps only "valid" or "empty" per register and FSAVE/FSTENV
 * compute the stored tag from the register's contents (SDM vol. 3, table
 * 12-3: 00 nonzero, 01 zero, 10 special).  ringzero's tag word is kept
 * exact instead and stored as it is (cpu/x87_internal.h), so "valid" here
 * means the tag of the register's value: 10 for an MMX-written register
 * (exponent all ones), x87_tag_of() for one that was empty.
 *
 * Every fault is raised before any of that state changes: the checks, the
 * source operand read, and for stores a check that both halves of the
 * destination can be written.
 */
#include "cpu/x87_internal.h"

/* ------------------------------------------------------------------ */
/* Register file and x87 side effects                                  */

static inline uint64_t mmx_get(const struct cpu *c, unsigned r) { return c->fpu.r[r].sig; }

/* The x87 side effects of every MMX instruction but EMMS: TOP = 0 and no
 * register empty.  A register that was empty gets the tag of what it
 * holds; the others' tags are exact already. */
static inline void mmx_touch(struct cpu *c)
{
    c->fpu.sw &= (uint16_t)~X87_SW_TOP;
    uint16_t tw = c->fpu.tw;
    if (CPU_LIKELY((tw & (tw >> 1) & 0x5555u) == 0))
        return;
    for (unsigned p = 0; p < 8; p++)
        if (((tw >> (2 * p)) & 3u) == X87_TAG_EMPTY)
            tw = (uint16_t)((tw & ~(3u << (2 * p))) | (x87_tag_of(c->fpu.r[p]) << (2 * p)));
    c->fpu.tw = tw;
}

/* Write MMn, after mmx_touch(): bits 79-64 all ones make the value a NaN,
 * infinity or pseudo-NaN/-infinity to the x87, all tagged special. */
static inline void mmx_set(struct cpu *c, unsigned r, uint64_t v)
{
    c->fpu.r[r].sig = v;
    c->fpu.r[r].se = 0xFFFFu;
    c->fpu.tw = (uint16_t)((c->fpu.tw & ~(3u << (2 * r))) | (X87_TAG_SPECIAL << (2 * r)));
}

/* The checks every MMX instruction makes before anything else, in the
 * order the SDM lists them for each instruction (vol. 2, e.g. PADDB,
 * "Protected Mode Exceptions"; vol. 3, table 12-1): #UD without MMX or
 * with CR0.EM, #NM with CR0.TS, then a pending unmasked x87 exception,
 * because MMX instructions are waiting instructions (SDM vol. 3, 12.5.1):
 * #MF with CR0.NE, FERR# without (x87_check_pending). */
static inline void mmx_enter(struct cpu *c)
{
    if (!(cpu_sys_features(c) & CPU_FEAT_MMX))
        cpu_exception(c, CPU_EXC_UD, 0);
    if (c->cr[0] & CPU_CR0_EM)
        cpu_exception(c, CPU_EXC_UD, 0);
    if (c->cr[0] & CPU_CR0_TS)
        cpu_exception(c, CPU_EXC_NM, 0);
    if (CPU_UNLIKELY(c->fpu.sw & X87_SW_ES))
        x87_check_pending(c);
}

/* ------------------------------------------------------------------ */
/* Memory operands                                                     */

/* #AC wants a quadword operand 8-aligned (SDM vol. 3, 6.15 interrupt
 * 17, table 6-7); the two dword accesses below check only 4. */
static inline bool mmx_misaligned8(const struct cpu *c, unsigned seg, uint32_t off)
{
    return c->cpl == 3 && (c->cr[0] & CPU_CR0_AM) && (c->eflags & CPU_FL_AC) &&
           ((c->seg[seg].base + off) & 7u);
}

/* A segment-limit fault outranks #AC (the slow path checks the limit
 * first too): when the quadword does not fit the segment, access the half
 * that does not fit so it raises #GP/#SS.  (A quadword at FFFFFFFCh of a
 * 4 GiB segment wraps; each half fits, so nothing is raised here.) */
static void mmx_seg_check(struct cpu *c, unsigned seg, uint32_t off, bool write)
{
    unsigned need = write ? CPU_SEGA_WRITE : CPU_SEGA_READ;
    const struct cpu_seg *s = &c->seg[seg];
    if (cpu_seg_ok(s, off, 8, need))
        return;
    uint32_t bad = cpu_seg_ok(s, off, 4, need) ? off + 4 : off;
    if (write)
        cpu_check_write(c, seg, bad, 4);
    else
        (void)cpu_read32(c, seg, bad);
}

static uint64_t mmx_read64(struct cpu *c, unsigned seg, uint32_t off)
{
    if (CPU_UNLIKELY(mmx_misaligned8(c, seg, off))) {
        mmx_seg_check(c, seg, off, false);
        cpu_exception(c, CPU_EXC_AC, 0);
    }
    uint32_t lo = cpu_read32(c, seg, off);
    uint32_t hi = cpu_read32(c, seg, off + 4);
    return ((uint64_t)hi << 32) | lo;
}

/* Both halves are checked for writing before either is written, so a
 * fault on the second one commits nothing (as CMPXCHG8B, cpu/cmpxchg.c). */
static void mmx_write64(struct cpu *c, unsigned seg, uint32_t off, uint64_t v)
{
    if (CPU_UNLIKELY(mmx_misaligned8(c, seg, off))) {
        mmx_seg_check(c, seg, off, true);
        cpu_exception(c, CPU_EXC_AC, 0);
    }
    cpu_check_write(c, seg, off, 4);
    cpu_check_write(c, seg, off + 4, 4);
    cpu_write32(c, seg, off, (uint32_t)v);
    cpu_write32(c, seg, off + 4, (uint32_t)(v >> 32));
}

/* The Qq source: MMn or a quadword in memory. */
static inline uint64_t mmx_get_Q(struct cpu *c, const struct dec_insn *d)
{
    if (d->flags & DEC_F_MEM)
        return mmx_read64(c, d->seg, cpu_ea(c, d));
    return mmx_get(c, d->rm);
}

/* ------------------------------------------------------------------ */
/* Lane arithmetic.  Lanes are w = 8, 16 or 32 bits wide; values travel
 * as uint64_t, signed ones as int64_t, so nothing overflows. */

enum mmx_alu {
    MMX_ADD, MMX_ADDS, MMX_ADDUS, MMX_SUB, MMX_SUBS, MMX_SUBUS,
    MMX_CMPEQ, MMX_CMPGT, MMX_MULL, MMX_MULH
};

static inline int64_t mmx_sext(uint64_t x, unsigned w)
{
    int64_t sb = (int64_t)1 << (w - 1);
    return (int64_t)(x ^ (uint64_t)sb) - sb;
}

static inline uint64_t mmx_sat_s(int64_t v, unsigned w)
{
    int64_t max = ((int64_t)1 << (w - 1)) - 1;
    if (v > max)
        v = max;
    if (v < -max - 1)
        v = -max - 1;
    return (uint64_t)v;
}

static inline uint64_t mmx_sat_u(int64_t v, unsigned w)
{
    int64_t max = ((int64_t)1 << w) - 1;
    return (uint64_t)(v < 0 ? 0 : v > max ? max : v);
}

static inline uint64_t mmx_lane(uint64_t x, uint64_t y, unsigned w, enum mmx_alu op)
{
    switch (op) {
    case MMX_ADD: return x + y;
    case MMX_ADDS: return mmx_sat_s(mmx_sext(x, w) + mmx_sext(y, w), w);
    case MMX_ADDUS: return mmx_sat_u((int64_t)(x + y), w);
    case MMX_SUB: return x - y;
    case MMX_SUBS: return mmx_sat_s(mmx_sext(x, w) - mmx_sext(y, w), w);
    case MMX_SUBUS: return mmx_sat_u((int64_t)x - (int64_t)y, w);
    case MMX_CMPEQ: return x == y ? ~(uint64_t)0 : 0;
    case MMX_CMPGT: return mmx_sext(x, w) > mmx_sext(y, w) ? ~(uint64_t)0 : 0;
    case MMX_MULL: return x * y;
    case MMX_MULH: return (uint64_t)(mmx_sext(x, w) * mmx_sext(y, w)) >> w;
    }
    return 0;
}

static inline uint64_t mmx_lanes(uint64_t a, uint64_t b, unsigned w, enum mmx_alu op)
{
    uint64_t mask = ((uint64_t)1 << w) - 1, r = 0;
    for (unsigned s = 0; s < 64; s += w)
        r |= (mmx_lane((a >> s) & mask, (b >> s) & mask, w, op) & mask) << s;
    return r;
}

/* PACKSSWB/PACKSSDW/PACKUSWB: the lanes of a, then those of b, each
 * narrowed from w to w/2 bits with signed or unsigned saturation of the
 * signed source (SDM vol. 2, PACKSSWB/PACKUSWB). */
static inline uint64_t mmx_pack(uint64_t a, uint64_t b, unsigned w, bool uns)
{
    unsigned n = 64 / w, h = w / 2;
    uint64_t mask = ((uint64_t)1 << w) - 1, hmask = ((uint64_t)1 << h) - 1, r = 0;
    for (unsigned k = 0; k < 2 * n; k++) {
        uint64_t src = k < n ? a : b;
        int64_t v = mmx_sext((src >> (w * (k % n))) & mask, w);
        uint64_t s = uns ? mmx_sat_u(v, h) : mmx_sat_s(v, h);
        r |= (s & hmask) << (h * k);
    }
    return r;
}

/* PUNPCKLxx and PUNPCKHxx: interleave the w-bit lanes of the low (or high)
 * halves of a and b, a's lane first. */
static inline uint64_t mmx_unpack(uint64_t a, uint64_t b, unsigned w, bool high)
{
    uint64_t mask = ((uint64_t)1 << w) - 1, r = 0;
    unsigned base = high ? 32 : 0;
    for (unsigned k = 0; k < 32 / w; k++) {
        r |= ((a >> (base + w * k)) & mask) << (2 * w * k);
        r |= ((b >> (base + w * k)) & mask) << (2 * w * k + w);
    }
    return r;
}

/* PMADDWD: each dword = the sum of the two signed word products; only
 * 8000h*8000h twice overflows, wrapping to 80000000h as hardware does. */
static inline uint64_t mmx_pmaddwd(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (unsigned k = 0; k < 2; k++) {
        int64_t p0 = mmx_sext((a >> (32 * k)) & 0xFFFFu, 16) * mmx_sext((b >> (32 * k)) & 0xFFFFu, 16);
        int64_t p1 = mmx_sext((a >> (32 * k + 16)) & 0xFFFFu, 16) *
                     mmx_sext((b >> (32 * k + 16)) & 0xFFFFu, 16);
        r |= ((uint64_t)(p0 + p1) & 0xFFFFFFFFu) << (32 * k);
    }
    return r;
}

/* Shifts take the whole 64-bit count: a count above the lane width
 * clears a logical shift's lanes and fills an arithmetic shift's lanes
 * with their sign (SDM vol. 2, PSLLW/PSRAW). */
enum mmx_shift { MMX_SLL, MMX_SRL, MMX_SRA };

static inline uint64_t mmx_shift(uint64_t a, uint64_t count, unsigned w, enum mmx_shift kind)
{
    if (w == 64) {
        if (count > 63)
            return 0;
        return kind == MMX_SLL ? a << count : a >> count;
    }
    if (count > w - 1) {
        if (kind != MMX_SRA)
            return 0;
        count = w - 1;
    }
    uint64_t mask = ((uint64_t)1 << w) - 1, r = 0;
    for (unsigned s = 0; s < 64; s += w) {
        uint64_t x = (a >> s) & mask, v;
        if (kind == MMX_SLL)
            v = x << count;
        else if (kind == MMX_SRL || !(x >> (w - 1)))
            v = x >> count;
        else
            v = ~((~x & mask) >> count);
        r |= (v & mask) << s;
    }
    return r;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */

/* The result of a Pq, Qq form from a = MMreg and b = the Qq source;
 * false for the forms handled elsewhere. */
static bool mmx_binary(unsigned op, uint64_t a, uint64_t b, uint64_t *r)
{
    switch (op) {
    case DEC_PADDB_PqQq: *r = mmx_lanes(a, b, 8, MMX_ADD); break;
    case DEC_PADDW_PqQq: *r = mmx_lanes(a, b, 16, MMX_ADD); break;
    case DEC_PADDD_PqQq: *r = mmx_lanes(a, b, 32, MMX_ADD); break;
    case DEC_PADDSB_PqQq: *r = mmx_lanes(a, b, 8, MMX_ADDS); break;
    case DEC_PADDSW_PqQq: *r = mmx_lanes(a, b, 16, MMX_ADDS); break;
    case DEC_PADDUSB_PqQq: *r = mmx_lanes(a, b, 8, MMX_ADDUS); break;
    case DEC_PADDUSW_PqQq: *r = mmx_lanes(a, b, 16, MMX_ADDUS); break;
    case DEC_PSUBB_PqQq: *r = mmx_lanes(a, b, 8, MMX_SUB); break;
    case DEC_PSUBW_PqQq: *r = mmx_lanes(a, b, 16, MMX_SUB); break;
    case DEC_PSUBD_PqQq: *r = mmx_lanes(a, b, 32, MMX_SUB); break;
    case DEC_PSUBSB_PqQq: *r = mmx_lanes(a, b, 8, MMX_SUBS); break;
    case DEC_PSUBSW_PqQq: *r = mmx_lanes(a, b, 16, MMX_SUBS); break;
    case DEC_PSUBUSB_PqQq: *r = mmx_lanes(a, b, 8, MMX_SUBUS); break;
    case DEC_PSUBUSW_PqQq: *r = mmx_lanes(a, b, 16, MMX_SUBUS); break;
    case DEC_PCMPEQB_PqQq: *r = mmx_lanes(a, b, 8, MMX_CMPEQ); break;
    case DEC_PCMPEQW_PqQq: *r = mmx_lanes(a, b, 16, MMX_CMPEQ); break;
    case DEC_PCMPEQD_PqQq: *r = mmx_lanes(a, b, 32, MMX_CMPEQ); break;
    case DEC_PCMPGTB_PqQq: *r = mmx_lanes(a, b, 8, MMX_CMPGT); break;
    case DEC_PCMPGTW_PqQq: *r = mmx_lanes(a, b, 16, MMX_CMPGT); break;
    case DEC_PCMPGTD_PqQq: *r = mmx_lanes(a, b, 32, MMX_CMPGT); break;
    case DEC_PMULLW_PqQq: *r = mmx_lanes(a, b, 16, MMX_MULL); break;
    case DEC_PMULHW_PqQq: *r = mmx_lanes(a, b, 16, MMX_MULH); break;
    case DEC_PMADDWD_PqQq: *r = mmx_pmaddwd(a, b); break;
    case DEC_PAND_PqQq: *r = a & b; break;
    case DEC_PANDN_PqQq: *r = ~a & b; break;
    case DEC_POR_PqQq: *r = a | b; break;
    case DEC_PXOR_PqQq: *r = a ^ b; break;
    case DEC_PACKSSWB_PqQq: *r = mmx_pack(a, b, 16, false); break;
    case DEC_PACKSSDW_PqQq: *r = mmx_pack(a, b, 32, false); break;
    case DEC_PACKUSWB_PqQq: *r = mmx_pack(a, b, 16, true); break;
    case DEC_PUNPCKLBW_PqQq: *r = mmx_unpack(a, b, 8, false); break;
    case DEC_PUNPCKLWD_PqQq: *r = mmx_unpack(a, b, 16, false); break;
    case DEC_PUNPCKLDQ_PqQq: *r = mmx_unpack(a, b, 32, false); break;
    case DEC_PUNPCKHBW_PqQq: *r = mmx_unpack(a, b, 8, true); break;
    case DEC_PUNPCKHWD_PqQq: *r = mmx_unpack(a, b, 16, true); break;
    case DEC_PUNPCKHDQ_PqQq: *r = mmx_unpack(a, b, 32, true); break;
    case DEC_PSLLW_PqQq: case DEC_PSLLW_NqIb: *r = mmx_shift(a, b, 16, MMX_SLL); break;
    case DEC_PSLLD_PqQq: case DEC_PSLLD_NqIb: *r = mmx_shift(a, b, 32, MMX_SLL); break;
    case DEC_PSLLQ_PqQq: case DEC_PSLLQ_NqIb: *r = mmx_shift(a, b, 64, MMX_SLL); break;
    case DEC_PSRLW_PqQq: case DEC_PSRLW_NqIb: *r = mmx_shift(a, b, 16, MMX_SRL); break;
    case DEC_PSRLD_PqQq: case DEC_PSRLD_NqIb: *r = mmx_shift(a, b, 32, MMX_SRL); break;
    case DEC_PSRLQ_PqQq: case DEC_PSRLQ_NqIb: *r = mmx_shift(a, b, 64, MMX_SRL); break;
    case DEC_PSRAW_PqQq: case DEC_PSRAW_NqIb: *r = mmx_shift(a, b, 16, MMX_SRA); break;
    case DEC_PSRAD_PqQq: case DEC_PSRAD_NqIb: *r = mmx_shift(a, b, 32, MMX_SRA); break;
    default: return false;
    }
    return true;
}

/* One handler for every MMX form (decoder/opcodes.def, handler MMX).
 * Operand-size and repeat prefixes change nothing on a P6 (the decoder
 * maps 66/F2/F3 MMX opcodes to the plain forms; SSE2 and later gave them
 * meanings); LOCK was already #UD at decode time. */
void cpu_h_MMX(struct cpu *c, const struct cpu_insn *i)
{
    const struct dec_insn *d = &i->d;
    mmx_enter(c);
    switch (d->op) {
    case DEC_EMMS: /* all tags empty, TOP = 0 too (table 12-2) */
        c->fpu.sw &= (uint16_t)~X87_SW_TOP;
        c->fpu.tw = 0xFFFFu;
        return;
    case DEC_MOVD_PqEd: {
        uint32_t v = cpu_get_E32(c, d);
        mmx_touch(c);
        mmx_set(c, d->reg, v);
        return;
    }
    case DEC_MOVD_EdPq: {
        uint32_t v = (uint32_t)mmx_get(c, d->reg);
        cpu_set_E32(c, d, v);
        mmx_touch(c);
        return;
    }
    case DEC_MOVQ_PqQq: {
        uint64_t v = mmx_get_Q(c, d);
        mmx_touch(c);
        mmx_set(c, d->reg, v);
        return;
    }
    case DEC_MOVQ_QqPq: {
        uint64_t v = mmx_get(c, d->reg);
        if (d->flags & DEC_F_MEM)
            mmx_write64(c, d->seg, cpu_ea(c, d), v);
        mmx_touch(c);
        if (!(d->flags & DEC_F_MEM))
            mmx_set(c, d->rm, v);
        return;
    }
    case DEC_PSLLW_NqIb: case DEC_PSLLD_NqIb: case DEC_PSLLQ_NqIb:
    case DEC_PSRLW_NqIb: case DEC_PSRLD_NqIb: case DEC_PSRLQ_NqIb:
    case DEC_PSRAW_NqIb: case DEC_PSRAD_NqIb: {
        uint64_t r = 0;
        mmx_binary(d->op, mmx_get(c, d->rm), d->imm & 0xFFu, &r);
        mmx_touch(c);
        mmx_set(c, d->rm, r);
        return;
    }
    default: {
        /* every other MMX form is `op Pq, Qq`; the #UD only guards
         * against a form added to opcodes.def but not here */
        uint64_t b = mmx_get_Q(c, d), r;
        if (!mmx_binary(d->op, mmx_get(c, d->reg), b, &r))
            cpu_exception(c, CPU_EXC_UD, 0);
        mmx_touch(c);
        mmx_set(c, d->reg, r);
        return;
    }
    }
}
