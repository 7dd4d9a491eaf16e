/*
 * move.c - data movement: MOV (all forms), MOVZX/MOVSX, LEA, XCHG, NOP,
 * XLAT, CBW/CWDE/CWD/CDQ, LAHF/SAHF and the far-pointer loads
 * LES/LDS/LSS/LFS/LGS (SDM vol. 2).
 */
#include "cpu/ops_internal.h"

/* --- MOV r/m <-> r -------------------------------------------------- */

void cpu_h_MOV_EbGb(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_E8(c, &i->d, cpu_get_r8(c, i->d.reg));
}

void cpu_h_MOV_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_E16(c, &i->d, cpu_get_r16(c, i->d.reg));
}

void cpu_h_MOV_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_E32(c, &i->d, cpu_get_r32(c, i->d.reg));
}

void cpu_h_MOV_GbEb(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r8(c, i->d.reg, cpu_get_E8(c, &i->d));
}

void cpu_h_MOV_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r16(c, i->d.reg, cpu_get_E16(c, &i->d));
}

void cpu_h_MOV_GdEd(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r32(c, i->d.reg, cpu_get_E32(c, &i->d));
}

/* Memory forms with 32-bit addressing, chosen at decode time
 * (move_specialize): the effective address needs no 16-bit wrap and the
 * operand is known to be in memory.  The checks are those of
 * cpu_read32() & co., in the same order, so faults are the same; the
 * slow path is a separate function so that the fast one needs no stack
 * frame. */
static inline uint32_t move_ea32(const struct cpu *c, const struct dec_insn *d)
{
    return c->gpr[d->base] + (c->gpr[d->index] << d->scale) + d->disp;
}

/* Host address of `size` bytes at sreg:off for reading (writing when
 * `write`), or NULL when the segment check or the TLB says slow path. */
static inline uint8_t *move_fast_addr(struct cpu *c, unsigned sreg, uint32_t off, unsigned size,
                                      bool write)
{
    const struct cpu_seg *s = &c->seg[sreg];
    if (!cpu_seg_ok(s, off, size, write ? CPU_SEGA_WRITE : CPU_SEGA_READ))
        return NULL;
    return mmu_tlb_hit(write ? c->tlb->write : c->tlb->read, s->base + off, size);
}

#if defined(__GNUC__)
#define MOVE_NOINLINE __attribute__((noinline))
#else
#define MOVE_NOINLINE
#endif

static MOVE_NOINLINE void move_load_slow(struct cpu *c, const struct cpu_insn *i, uint32_t off,
                                         unsigned size)
{
    c->gpr[i->d.reg] = cpu_read_slow(c, i->d.seg, off, size);
}

static void move_MOV_EdGd_m32(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t off = move_ea32(c, &i->d);
    uint8_t *p = move_fast_addr(c, i->d.seg, off, 4, true);
    if (CPU_LIKELY(p != NULL))
        mmu_st32(p, c->gpr[i->d.reg]);
    else
        cpu_write_slow(c, i->d.seg, off, c->gpr[i->d.reg], 4);
}

static void move_MOV_GdEd_m32(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t off = move_ea32(c, &i->d);
    const uint8_t *p = move_fast_addr(c, i->d.seg, off, 4, false);
    if (CPU_LIKELY(p != NULL))
        c->gpr[i->d.reg] = mmu_ld32(p);
    else
        move_load_slow(c, i, off, 4);
}

static void move_MOVZX_B_GdEb_m32(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t off = move_ea32(c, &i->d);
    const uint8_t *p = move_fast_addr(c, i->d.seg, off, 1, false);
    if (CPU_LIKELY(p != NULL))
        c->gpr[i->d.reg] = *p;
    else
        move_load_slow(c, i, off, 1);
}

cpu_handler_fn *move_specialize(const struct dec_insn *d)
{
    if ((d->flags & (DEC_F_MEM | DEC_F_A32)) != (DEC_F_MEM | DEC_F_A32))
        return NULL;
    switch (d->op) {
    case DEC_MOV_EdGd: return move_MOV_EdGd_m32;
    case DEC_MOV_GdEd: return move_MOV_GdEd_m32;
    case DEC_MOVZX_B_GdEb: return move_MOVZX_B_GdEb_m32;
    default: return NULL;
    }
}

/* --- MOV with segment registers ------------------------------------- */

/* 8C /r: Sreg 6 and 7 do not exist (#UD). */
void cpu_h_MOV_EwSw(struct cpu *c, const struct cpu_insn *i)
{
    if (i->d.reg > CPU_GS)
        cpu_exception(c, CPU_EXC_UD, 0);
    cpu_set_E16(c, &i->d, c->seg[i->d.reg].sel);
}

/* 8C /r with a 32-bit operand size: SDM vol. 2, MOV: a register
 * destination gets the selector zero-extended (P6 and later); a memory
 * destination is always written as 16 bits. */
void cpu_h_MOV_EdSw(struct cpu *c, const struct cpu_insn *i)
{
    if (i->d.reg > CPU_GS)
        cpu_exception(c, CPU_EXC_UD, 0);
    if (i->d.flags & DEC_F_MEM)
        cpu_write16(c, i->d.seg, cpu_ea(c, &i->d), c->seg[i->d.reg].sel);
    else
        cpu_set_r32(c, i->d.rm, c->seg[i->d.reg].sel);
}

/* 8E /r: loading CS this way is #UD (SDM vol. 2, MOV); MOV SS blocks
 * interrupts until after the next instruction so that SS and ESP can be
 * loaded as a pair (SDM vol. 3, 6.8.3). */
void cpu_h_MOV_SwEw(struct cpu *c, const struct cpu_insn *i)
{
    unsigned s = i->d.reg;
    if (s > CPU_GS || s == CPU_CS)
        cpu_exception(c, CPU_EXC_UD, 0);
    uint16_t sel = cpu_get_E16(c, &i->d);
    cpu_load_sreg(c, s, sel);
    if (s == CPU_SS)
        cpu_inhibit_interrupts(c);
}

/* --- MOV with an absolute offset (moffs) ------------------------------ */

void cpu_h_MOV_ALOb(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r8(c, CPU_EAX, cpu_read8(c, i->d.seg, i->d.disp));
}

void cpu_h_MOV_AXOw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r16(c, CPU_EAX, cpu_read16(c, i->d.seg, i->d.disp));
}

void cpu_h_MOV_EAXOd(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r32(c, CPU_EAX, cpu_read32(c, i->d.seg, i->d.disp));
}

void cpu_h_MOV_ObAL(struct cpu *c, const struct cpu_insn *i)
{
    cpu_write8(c, i->d.seg, i->d.disp, cpu_get_r8(c, CPU_EAX));
}

void cpu_h_MOV_OwAX(struct cpu *c, const struct cpu_insn *i)
{
    cpu_write16(c, i->d.seg, i->d.disp, cpu_get_r16(c, CPU_EAX));
}

void cpu_h_MOV_OdEAX(struct cpu *c, const struct cpu_insn *i)
{
    cpu_write32(c, i->d.seg, i->d.disp, cpu_get_r32(c, CPU_EAX));
}

/* --- MOV immediate -------------------------------------------------- */

void cpu_h_MOV_ZbIb(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r8(c, i->d.reg, (uint8_t)i->d.imm);
}

void cpu_h_MOV_ZwIw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r16(c, i->d.reg, (uint16_t)i->d.imm);
}

void cpu_h_MOV_ZdId(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r32(c, i->d.reg, i->d.imm);
}

void cpu_h_MOV_EbIb(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_E8(c, &i->d, (uint8_t)i->d.imm);
}

void cpu_h_MOV_EwIw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_E16(c, &i->d, (uint16_t)i->d.imm);
}

void cpu_h_MOV_EdId(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_E32(c, &i->d, i->d.imm);
}

/* --- MOVZX / MOVSX -------------------------------------------------- */

void cpu_h_MOVZX_B_GwEb(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r16(c, i->d.reg, cpu_get_E8(c, &i->d));
}

void cpu_h_MOVZX_B_GdEb(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r32(c, i->d.reg, cpu_get_E8(c, &i->d));
}

void cpu_h_MOVZX_W_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r16(c, i->d.reg, cpu_get_E16(c, &i->d));
}

void cpu_h_MOVZX_W_GdEw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r32(c, i->d.reg, cpu_get_E16(c, &i->d));
}

void cpu_h_MOVSX_B_GwEb(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r16(c, i->d.reg, (uint16_t)flags_sext(cpu_get_E8(c, &i->d), 8));
}

void cpu_h_MOVSX_B_GdEb(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r32(c, i->d.reg, flags_sext(cpu_get_E8(c, &i->d), 8));
}

void cpu_h_MOVSX_W_GwEw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r16(c, i->d.reg, cpu_get_E16(c, &i->d));
}

void cpu_h_MOVSX_W_GdEw(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r32(c, i->d.reg, flags_sext(cpu_get_E16(c, &i->d), 16));
}

/* --- LEA ------------------------------------------------------------ */

/* The effective address is computed at the address size and then
 * truncated or zero-extended to the operand size (SDM vol. 2, LEA). */
void cpu_h_LEA_GwM(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r16(c, i->d.reg, (uint16_t)cpu_ea(c, &i->d));
}

void cpu_h_LEA_GdM(struct cpu *c, const struct cpu_insn *i)
{
    cpu_set_r32(c, i->d.reg, cpu_ea(c, &i->d));
}

/* --- XCHG ----------------------------------------------------------- */

/* The memory form is a locked read-modify-write: the location is checked
 * for writing before it is read, and the register changes only after the
 * store. */
void cpu_h_XCHG_EbGb(struct cpu *c, const struct cpu_insn *i)
{
    uint8_t r = cpu_get_r8(c, i->d.reg);
    if (i->d.flags & DEC_F_MEM) {
        uint8_t m = (uint8_t)cpu_rmw_read(c, i->d.seg, cpu_ea(c, &i->d), 1);
        cpu_rmw_write(c, r);
        cpu_set_r8(c, i->d.reg, m);
    } else {
        uint8_t m = cpu_get_r8(c, i->d.rm);
        cpu_set_r8(c, i->d.rm, r);
        cpu_set_r8(c, i->d.reg, m);
    }
}

void cpu_h_XCHG_EwGw(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t r = cpu_get_r16(c, i->d.reg);
    if (i->d.flags & DEC_F_MEM) {
        uint16_t m = (uint16_t)cpu_rmw_read(c, i->d.seg, cpu_ea(c, &i->d), 2);
        cpu_rmw_write(c, r);
        cpu_set_r16(c, i->d.reg, m);
    } else {
        uint16_t m = cpu_get_r16(c, i->d.rm);
        cpu_set_r16(c, i->d.rm, r);
        cpu_set_r16(c, i->d.reg, m);
    }
}

void cpu_h_XCHG_EdGd(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t r = cpu_get_r32(c, i->d.reg);
    if (i->d.flags & DEC_F_MEM) {
        uint32_t m = cpu_rmw_read(c, i->d.seg, cpu_ea(c, &i->d), 4);
        cpu_rmw_write(c, r);
        cpu_set_r32(c, i->d.reg, m);
    } else {
        uint32_t m = cpu_get_r32(c, i->d.rm);
        cpu_set_r32(c, i->d.rm, r);
        cpu_set_r32(c, i->d.reg, m);
    }
}

void cpu_h_XCHG_ZwAX(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t a = cpu_get_r16(c, CPU_EAX);
    cpu_set_r16(c, CPU_EAX, cpu_get_r16(c, i->d.reg));
    cpu_set_r16(c, i->d.reg, a);
}

void cpu_h_XCHG_ZdEAX(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t a = c->gpr[CPU_EAX];
    c->gpr[CPU_EAX] = c->gpr[i->d.reg];
    c->gpr[i->d.reg] = a;
}

void cpu_h_NOP(struct cpu *c, const struct cpu_insn *i)
{
    (void)c;
    (void)i;
}

/* 0F 18-1F: hint NOPs.  The ModRM operand is decoded but never accessed,
 * so even an address outside the segment does not fault. */
void cpu_h_NOP_Ew(struct cpu *c, const struct cpu_insn *i)
{
    (void)c;
    (void)i;
}

/* --- XLAT, sign extensions, AH <-> flags ------------------------------ */

void cpu_h_XLAT(struct cpu *c, const struct cpu_insn *i)
{
    uint32_t off = (c->gpr[CPU_EBX] + cpu_get_r8(c, CPU_EAX)) & ops_amask(&i->d);
    cpu_set_r8(c, CPU_EAX, cpu_read8(c, i->d.seg, off));
}

void cpu_h_CBW(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_set_r16(c, CPU_EAX, (uint16_t)flags_sext(c->gpr[CPU_EAX], 8));
}

void cpu_h_CWDE(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    c->gpr[CPU_EAX] = flags_sext(c->gpr[CPU_EAX], 16);
}

void cpu_h_CWD(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    cpu_set_r16(c, CPU_EDX, (c->gpr[CPU_EAX] & 0x8000u) ? 0xFFFFu : 0);
}

void cpu_h_CDQ(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    c->gpr[CPU_EDX] = (c->gpr[CPU_EAX] & 0x80000000u) ? 0xFFFFFFFFu : 0;
}

#define MOVE_AH_FLAGS (CPU_FL_SF | CPU_FL_ZF | CPU_FL_AF | CPU_FL_PF | CPU_FL_CF)

/* AH = SF:ZF:0:AF:0:PF:1:CF (bit 1 of EFLAGS always reads as 1). */
void cpu_h_LAHF(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    uint32_t f = (flags_get_oszapc(&c->lf) & MOVE_AH_FLAGS) | 0x02u;
    cpu_set_r8(c, 4, (uint8_t)f);
}

void cpu_h_SAHF(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    flags_put_oszapc(&c->lf, cpu_get_r8(c, 4), MOVE_AH_FLAGS);
}

/* --- far pointer loads ---------------------------------------------- */

/* SDM vol. 2, LDS/LES/LFS/LGS/LSS: read offset and selector (both may
 * fault), load the segment register (may fault), then write the general
 * register.  The selector follows the offset; its address wraps at the
 * address size like any effective-address arithmetic. */
static void move_load_far16(struct cpu *c, const struct cpu_insn *i, unsigned sreg)
{
    uint32_t ea = cpu_ea(c, &i->d);
    uint16_t off = cpu_read16(c, i->d.seg, ea);
    uint16_t sel = cpu_read16(c, i->d.seg, (ea + 2) & ops_amask(&i->d));
    cpu_load_sreg(c, sreg, sel);
    cpu_set_r16(c, i->d.reg, off);
}

static void move_load_far32(struct cpu *c, const struct cpu_insn *i, unsigned sreg)
{
    uint32_t ea = cpu_ea(c, &i->d);
    uint32_t off = cpu_read32(c, i->d.seg, ea);
    uint16_t sel = cpu_read16(c, i->d.seg, (ea + 4) & ops_amask(&i->d));
    cpu_load_sreg(c, sreg, sel);
    cpu_set_r32(c, i->d.reg, off);
}

void cpu_h_LES_GwMp16(struct cpu *c, const struct cpu_insn *i) { move_load_far16(c, i, CPU_ES); }
void cpu_h_LES_GdMp32(struct cpu *c, const struct cpu_insn *i) { move_load_far32(c, i, CPU_ES); }
void cpu_h_LDS_GwMp16(struct cpu *c, const struct cpu_insn *i) { move_load_far16(c, i, CPU_DS); }
void cpu_h_LDS_GdMp32(struct cpu *c, const struct cpu_insn *i) { move_load_far32(c, i, CPU_DS); }
/* LSS does not block interrupts: SS and ESP change in one instruction. */
void cpu_h_LSS_GwMp16(struct cpu *c, const struct cpu_insn *i) { move_load_far16(c, i, CPU_SS); }
void cpu_h_LSS_GdMp32(struct cpu *c, const struct cpu_insn *i) { move_load_far32(c, i, CPU_SS); }
void cpu_h_LFS_GwMp16(struct cpu *c, const struct cpu_insn *i) { move_load_far16(c, i, CPU_FS); }
void cpu_h_LFS_GdMp32(struct cpu *c, const struct cpu_insn *i) { move_load_far32(c, i, CPU_FS); }
void cpu_h_LGS_GwMp16(struct cpu *c, const struct cpu_insn *i) { move_load_far16(c, i, CPU_GS); }
void cpu_h_LGS_GdMp32(struct cpu *c, const struct cpu_insn *i) { move_load_far32(c, i, CPU_GS); }
