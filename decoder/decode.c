/*
 * decode.c - dec_decode(): prefixes, opcode map, ModRM/SIB/displacement,
 * immediates.  Table-driven and allocation-free; it runs on every miss of
 * the CPU's decoded-instruction cache.
 */
#include "decoder/decoder_internal.h"

/* An instruction may be at most 15 bytes long; a longer one raises #GP
 * (SDM vol. 2, 2.1 "Instruction format"). */
#define DEC_MAX_LEN 15u

/* What the bytes after the ModRM/SIB/displacement hold, per operand kind. */
enum { IMM_NONE = 0, IMM_IB, IMM_IBW, IMM_IBD, IMM_IW, IMM_ID, IMM_I1, IMM_IW2,
       IMM_JB, IMM_JW, IMM_JD, IMM_AP16, IMM_AP32, IMM_MOFFS };

static const uint8_t dec_imm_kind[DEC_OPND_COUNT] = {
    [DEC_OPND_Ib] = IMM_IB,     [DEC_OPND_Ibw] = IMM_IBW,   [DEC_OPND_Ibd] = IMM_IBD,
    [DEC_OPND_Iw] = IMM_IW,     [DEC_OPND_Id] = IMM_ID,     [DEC_OPND_I1] = IMM_I1,
    [DEC_OPND_Iw2] = IMM_IW2,   [DEC_OPND_Jb] = IMM_JB,     [DEC_OPND_Jw] = IMM_JW,
    [DEC_OPND_Jd] = IMM_JD,     [DEC_OPND_Ap16] = IMM_AP16, [DEC_OPND_Ap32] = IMM_AP32,
    [DEC_OPND_Ob] = IMM_MOFFS,  [DEC_OPND_Ow] = IMM_MOFFS,  [DEC_OPND_Od] = IMM_MOFFS,
};

/* 16-bit addressing (SDM vol. 2, table 2-1): base and index per ModRM.rm. */
static const uint8_t dec_base16[8] = {3, 3, 5, 5, 6, 7, 5, 3};       /* BX BX BP BP SI DI BP BX */
static const uint8_t dec_index16[8] = {6, 7, 6, 7, DEC_REG_NONE, DEC_REG_NONE,
                                       DEC_REG_NONE, DEC_REG_NONE};  /* SI DI SI DI */

/* Little-endian load of n (1, 2 or 4) bytes. */
static uint32_t dec_le(const uint8_t *p, unsigned n)
{
    uint32_t v = 0;
    for (unsigned k = n; k-- > 0;)
        v = (v << 8) | p[k];
    return v;
}

/* Sign extension by arithmetic (no implementation-defined narrowing). */
static uint32_t dec_sx8(uint32_t v) { return (v ^ 0x80u) - 0x80u; }
static uint32_t dec_sx16(uint32_t v) { return (v ^ 0x8000u) - 0x8000u; }

/* The bytes ran out at pos (pos + need > limit): TRUNCATED when the caller
 * could supply more, TOO_LONG when the 15-byte limit was hit. */
static enum dec_status dec_short(struct dec_insn *out, size_t limit)
{
    out->op = DEC_INVALID_OP;
    if (limit < DEC_MAX_LEN) {
        out->len = (uint8_t)limit;
        return DEC_TRUNCATED;
    }
    out->len = DEC_MAX_LEN;
    return DEC_TOO_LONG;
}

static enum dec_status dec_bad(struct dec_insn *out, unsigned pos)
{
    out->op = DEC_INVALID_OP;
    out->len = (uint8_t)pos;
    return DEC_INVALID;
}

/* Extra ModRM.reg checks (DEC_A_CHECK): MOV to/from Sreg 6/7 and MOV to CS
 * are #UD (SDM vol. 2, "MOV"); CR1 and CR5-CR7 do not exist on a P6
 * (SDM vol. 3, 2.5). */
static int dec_reg_ok(unsigned op, unsigned reg)
{
    switch (op) {
    case DEC_MOV_SwEw:
        return reg != 1 && reg < 6;
    case DEC_MOV_EwSw:
    case DEC_MOV_EdSw:
        return reg < 6;
    default: /* MOV_RdCd, MOV_CdRd */
        return reg == 0 || reg == 2 || reg == 3 || reg == 4;
    }
}

enum dec_status dec_decode(const uint8_t *bytes, size_t avail, enum dec_mode mode,
                           struct dec_insn *out)
{
    const size_t limit = avail < DEC_MAX_LEN ? avail : DEC_MAX_LEN;
    const unsigned def32 = mode == DEC_MODE_32;
    unsigned o32 = def32, a32 = def32;
    unsigned pos = 0, b, flags = 0, seg = DEC_SEG_DS, lock = 0, rep = 0;
    int segovr = 0;

    out->disp = 0;
    out->imm = 0;
    out->imm2 = 0;
    out->reg = 0;
    out->rm = 0;
    out->base = DEC_REG_NONE;
    out->index = DEC_REG_NONE;
    out->scale = 0;
    out->flags = 0;
    out->seg = DEC_SEG_DS;

    /* Prefixes: any number, in any order; the last segment override and
     * the last of F2/F3 win (SDM vol. 2, 2.1.1). */
    for (;;) {
        if (pos >= limit)
            return dec_short(out, limit);
        b = bytes[pos];
        if (b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E) {
            seg = (b >> 3) & 3;
            segovr = 1;
        } else if (b == 0x64 || b == 0x65) {
            seg = b - 0x60;
            segovr = 1;
        } else if (b == 0x66) {
            o32 = !def32;
        } else if (b == 0x67) {
            a32 = !def32;
        } else if (b == 0xF0) {
            lock = 1;
        } else if (b == 0xF2) {
            rep = DEC_F_REPNE;
        } else if (b == 0xF3) {
            rep = DEC_F_REP;
        } else {
            break;
        }
        pos++;
    }

    pos++;
    struct dec_ent e;
    if (b == 0x0F) {
        if (pos >= limit)
            return dec_short(out, limit);
        b = bytes[pos++];
        e = dec_map0f[b];
    } else {
        e = dec_map1[b];
    }
    /* register in the low opcode bits (Z operands); ModRM overrides it */
    out->reg = (uint8_t)(b & 7);

    flags = (o32 ? DEC_F_O32 : 0) | (a32 ? DEC_F_A32 : 0) | (lock ? DEC_F_LOCK : 0) | rep |
            (segovr ? DEC_F_SEGOVR : 0);

    int mem = 0;
    if (e.attr & DEC_A_MODRM) {
        if (pos >= limit)
            return dec_short(out, limit);
        unsigned modrm = bytes[pos++];
        unsigned mod = modrm >> 6, rm = modrm & 7;
        unsigned reg = (modrm >> 3) & 7;
        out->reg = (uint8_t)reg;
        out->rm = (uint8_t)rm;
        if (mod != 3 && !(e.attr & DEC_A_MODREG)) {
            unsigned dsize, base, index = DEC_REG_NONE;
            mem = 1;
            if (a32) {
                dsize = mod == 1 ? 1 : mod == 2 ? 4 : 0;
                base = rm;
                if (rm == 4) {
                    if (pos >= limit)
                        return dec_short(out, limit);
                    unsigned sib = bytes[pos++];
                    out->scale = (uint8_t)(sib >> 6);
                    index = (sib >> 3) & 7;
                    if (index == 4)
                        index = DEC_REG_NONE;
                    base = sib & 7;
                    if (base == 5 && mod == 0) {
                        base = DEC_REG_NONE;
                        dsize = 4;
                    }
                } else if (rm == 5 && mod == 0) {
                    base = DEC_REG_NONE;
                    dsize = 4;
                }
            } else {
                dsize = mod;
                base = dec_base16[rm];
                index = dec_index16[rm];
                if (mod == 0 && rm == 6) {
                    base = DEC_REG_NONE;
                    dsize = 2;
                }
            }
            if (pos + dsize > limit)
                return dec_short(out, limit);
            if (dsize == 1)
                out->disp = dec_sx8(bytes[pos]);
            else if (dsize == 2)
                out->disp = dec_sx16(dec_le(bytes + pos, 2));
            else if (dsize == 4)
                out->disp = dec_le(bytes + pos, 4);
            pos += dsize;
            out->base = (uint8_t)base;
            out->index = (uint8_t)index;
            /* BP/EBP/ESP-based addressing defaults to SS (SDM vol. 1,
             * 3.7.5 / table 3-5) */
            if (!segovr && (base == 4 || base == 5))
                seg = DEC_SEG_SS;
        }

        if (e.attr & DEC_A_GROUP) {
            e = dec_groups[e.grp][reg];
        } else if (e.attr & DEC_A_X87) {
            unsigned esc = e.grp;
            if (mem) {
                e.op16 = dec_x87_mem[esc][reg];
                e.attr = 0;
            } else {
                e = dec_x87_reg[esc][reg];
                if (e.attr & DEC_A_GROUP)
                    e.op16 = dec_x87_rm[e.grp][rm];
                e.attr = 0;
            }
            e.op32 = e.op16;
        }
        if (((e.attr & DEC_A_MEMONLY) && !mem) || ((e.attr & DEC_A_REGONLY) && mem))
            return dec_bad(out, pos);
    }

    unsigned op = ((e.attr & DEC_A_ASIZE) ? a32 : o32) ? e.op32 : e.op16;
    if (op == DEC_INVALID_OP)
        return dec_bad(out, pos);

    const struct dec_form_info *fi = dec_form((enum dec_op)op);
    for (unsigned k = 0; k < 3; k++) {
        unsigned kind = dec_imm_kind[fi->operand[k]];
        unsigned n;
        if (kind == IMM_NONE)
            continue;
        switch (kind) {
        case IMM_IB: case IMM_IBW: case IMM_IBD: case IMM_IW2: case IMM_JB:
            n = 1;
            break;
        case IMM_IW: case IMM_JW:
            n = 2;
            break;
        case IMM_ID: case IMM_JD:
            n = 4;
            break;
        case IMM_AP16:
            n = 4;
            break;
        case IMM_AP32:
            n = 6;
            break;
        case IMM_MOFFS:
            n = a32 ? 4 : 2;
            break;
        default: /* IMM_I1 */
            n = 0;
            break;
        }
        if (pos + n > limit)
            return dec_short(out, limit);
        const uint8_t *p = bytes + pos;
        pos += n;
        switch (kind) {
        case IMM_IB:
            out->imm = p[0];
            break;
        case IMM_IBW:
            out->imm = dec_sx8(p[0]) & 0xFFFFu;
            break;
        case IMM_IBD: case IMM_JB:
            out->imm = dec_sx8(p[0]);
            break;
        case IMM_IW:
            out->imm = dec_le(p, 2);
            break;
        case IMM_JW:
            out->imm = dec_sx16(dec_le(p, 2));
            break;
        case IMM_ID: case IMM_JD:
            out->imm = dec_le(p, 4);
            break;
        case IMM_IW2:
            out->imm2 = p[0];
            break;
        case IMM_AP16:
            out->imm = dec_le(p, 2);
            out->imm2 = (uint16_t)dec_le(p + 2, 2);
            break;
        case IMM_AP32:
            out->imm = dec_le(p, 4);
            out->imm2 = (uint16_t)dec_le(p + 4, 2);
            break;
        case IMM_MOFFS:
            out->disp = dec_le(p, n);
            break;
        default: /* IMM_I1 */
            out->imm = 1;
            break;
        }
    }

    if (mem)
        flags |= DEC_F_MEM;
    out->flags = (uint8_t)flags;
    out->seg = (uint8_t)seg;
    out->len = (uint8_t)pos;
    out->op = (uint16_t)op;

    /* LOCK is #UD unless the instruction is a lockable read-modify-write
     * of memory (SDM vol. 2, "LOCK"). */
    if (lock && !((fi->flags & DEC_DF_LOCK) && mem))
        return dec_bad(out, pos);
    if ((e.attr & DEC_A_CHECK) && !dec_reg_ok(op, out->reg))
        return dec_bad(out, pos);
    return DEC_OK;
}
