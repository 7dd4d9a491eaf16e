/*
 * disasm.c - Intel-syntax text for a decoded instruction (NASM flavour:
 * "add word [bx+si+0x4], ax", "mov eax, dword es:[ebx+ecx*4-0x10]").
 */
#include <stdio.h>

#include "decoder/decoder_internal.h"

/* snprintf-like output: counts the full length, writes what fits. */
struct dec_out {
    char *buf;
    size_t size;
    size_t len;
};

static void dec_put(struct dec_out *o, const char *s)
{
    for (; *s; s++, o->len++)
        if (o->len + 1 < o->size)
            o->buf[o->len] = *s;
    if (o->size)
        o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
}

static void dec_puthex(struct dec_out *o, uint32_t v)
{
    char t[16];
    snprintf(t, sizeof t, "0x%x", (unsigned)v);
    dec_put(o, t);
}

static const char *const dec_r8[8] = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
static const char *const dec_r16[9] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di", ""};
static const char *const dec_r32[9] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                       ""};
static const char *const dec_sreg[8] = {"es", "cs", "ss", "ds", "fs", "gs", "?", "?"};

static void dec_putreg(struct dec_out *o, unsigned r, unsigned size)
{
    dec_put(o, size == 1 ? dec_r8[r & 7] : size == 2 ? dec_r16[r & 7] : dec_r32[r & 7]);
}

/* Memory operand: [size] [seg:][base+index*scale+disp] */
static void dec_putmem(struct dec_out *o, const struct dec_insn *d, const char *size)
{
    const char *const *names = (d->flags & DEC_F_A32) ? dec_r32 : dec_r16;
    int any = 0;
    if (size) {
        dec_put(o, size);
        dec_put(o, " ");
    }
    if (d->flags & DEC_F_SEGOVR) {
        dec_put(o, dec_sreg[d->seg & 7]);
        dec_put(o, ":");
    }
    dec_put(o, "[");
    if (d->base != DEC_REG_NONE) {
        dec_put(o, names[d->base]);
        any = 1;
    }
    if (d->index != DEC_REG_NONE) {
        if (any)
            dec_put(o, "+");
        dec_put(o, names[d->index]);
        if (d->scale) {
            static const char *const sc[4] = {"", "*2", "*4", "*8"};
            dec_put(o, sc[d->scale & 3]);
        }
        any = 1;
    }
    uint32_t disp = (d->flags & DEC_F_A32) ? d->disp : (d->disp & 0xFFFFu);
    if (!any) {
        dec_puthex(o, disp);
    } else if (disp) {
        /* relative displacements read as signed: [bp-0x2], [eax-0x10] */
        uint32_t sign = (d->flags & DEC_F_A32) ? 0x80000000u : 0x8000u;
        uint32_t mask = (d->flags & DEC_F_A32) ? 0xFFFFFFFFu : 0xFFFFu;
        if (disp & sign) {
            dec_put(o, "-");
            dec_puthex(o, (0u - disp) & mask);
        } else {
            dec_put(o, "+");
            dec_puthex(o, disp);
        }
    }
    dec_put(o, "]");
}

static void dec_put_rm(struct dec_out *o, const struct dec_insn *d, unsigned size,
                       const char *msize)
{
    if (d->flags & DEC_F_MEM)
        dec_putmem(o, d, msize);
    else
        dec_putreg(o, d->rm, size);
}

static void dec_putmm(struct dec_out *o, unsigned r)
{
    char t[8];
    snprintf(t, sizeof t, "mm%u", r & 7);
    dec_put(o, t);
}

/* The string operand shown for an overridden source segment. */
static void dec_putstrsrc(struct dec_out *o, const struct dec_insn *d)
{
    dec_put(o, dec_sreg[d->seg & 7]);
    dec_put(o, (d->flags & DEC_F_A32) ? ":[esi]" : ":[si]");
}

static void dec_operand(struct dec_out *o, const struct dec_insn *d, unsigned kind,
                        uint32_t eip)
{
    char t[32];
    switch (kind) {
    case DEC_OPND_Eb: dec_put_rm(o, d, 1, "byte"); break;
    case DEC_OPND_Ew:
        /* SLDT/STR/SMSW r32 and LAR/LSL r32, r32 use the full register
         * with a 32-bit operand size (SDM vol. 2) */
        dec_put_rm(o, d,
                   (d->flags & DEC_F_O32) &&
                           (d->op == DEC_SLDT_Ew || d->op == DEC_STR_Ew ||
                            d->op == DEC_SMSW_Ew || d->op == DEC_LAR_GdEw ||
                            d->op == DEC_LSL_GdEw)
                       ? 4
                       : 2,
                   "word");
        break;
    case DEC_OPND_Ed:
        /* MOV m16, Sreg stores 16 bits whatever the operand size */
        dec_put_rm(o, d, 4, d->op == DEC_MOV_EdSw ? "word" : "dword");
        break;
    case DEC_OPND_Gb: dec_putreg(o, d->reg, 1); break;
    case DEC_OPND_Gw: dec_putreg(o, d->reg, 2); break;
    case DEC_OPND_Gd: dec_putreg(o, d->reg, 4); break;
    case DEC_OPND_Sw: dec_put(o, dec_sreg[d->reg & 7]); break;
    case DEC_OPND_Cd: snprintf(t, sizeof t, "cr%u", d->reg & 7u); dec_put(o, t); break;
    case DEC_OPND_Dd: snprintf(t, sizeof t, "dr%u", d->reg & 7u); dec_put(o, t); break;
    case DEC_OPND_Td: snprintf(t, sizeof t, "tr%u", d->reg & 7u); dec_put(o, t); break;
    case DEC_OPND_Rw: dec_putreg(o, d->rm, 2); break;
    case DEC_OPND_Rd: dec_putreg(o, d->rm, 4); break;
    case DEC_OPND_M: case DEC_OPND_Mp16: case DEC_OPND_Mp32: case DEC_OPND_Ms:
    case DEC_OPND_Mwd: case DEC_OPND_Mdd: case DEC_OPND_Menv:
        dec_putmem(o, d, NULL);
        break;
    case DEC_OPND_Mb: dec_putmem(o, d, "byte"); break;
    case DEC_OPND_Mw: dec_putmem(o, d, "word"); break;
    case DEC_OPND_Md: dec_putmem(o, d, "dword"); break;
    case DEC_OPND_Mq: dec_putmem(o, d, "qword"); break;
    case DEC_OPND_Mt: dec_putmem(o, d, "tword"); break;
    case DEC_OPND_Ib: case DEC_OPND_Ibw: case DEC_OPND_Ibd: case DEC_OPND_Iw:
    case DEC_OPND_Id:
        dec_puthex(o, d->imm);
        break;
    case DEC_OPND_I1: dec_put(o, "1"); break;
    case DEC_OPND_Iw2: dec_puthex(o, d->imm2); break;
    case DEC_OPND_Jb: case DEC_OPND_Jw: case DEC_OPND_Jd: {
        uint32_t target = eip + d->len + d->imm;
        /* a 16-bit operand size truncates EIP (SDM vol. 2, "Jcc", "JMP") */
        if (!(d->flags & DEC_F_O32))
            target &= 0xFFFFu;
        dec_puthex(o, target);
        break;
    }
    case DEC_OPND_Ap16: case DEC_OPND_Ap32:
        dec_puthex(o, d->imm2);
        dec_put(o, ":");
        dec_puthex(o, d->imm);
        break;
    case DEC_OPND_Ob: case DEC_OPND_Ow: case DEC_OPND_Od: {
        struct dec_insn m = *d;
        m.base = DEC_REG_NONE;
        m.index = DEC_REG_NONE;
        dec_putmem(o, &m, kind == DEC_OPND_Ob ? "byte" : kind == DEC_OPND_Ow ? "word" : "dword");
        break;
    }
    case DEC_OPND_Zb: dec_putreg(o, d->reg, 1); break;
    case DEC_OPND_Zw: dec_putreg(o, d->reg, 2); break;
    case DEC_OPND_Zd: dec_putreg(o, d->reg, 4); break;
    case DEC_OPND_AL: dec_put(o, "al"); break;
    case DEC_OPND_AX: dec_put(o, "ax"); break;
    case DEC_OPND_EAX: dec_put(o, "eax"); break;
    case DEC_OPND_CL: dec_put(o, "cl"); break;
    case DEC_OPND_DX: dec_put(o, "dx"); break;
    case DEC_OPND_ES: dec_put(o, "es"); break;
    case DEC_OPND_CS: dec_put(o, "cs"); break;
    case DEC_OPND_SS: dec_put(o, "ss"); break;
    case DEC_OPND_DS: dec_put(o, "ds"); break;
    case DEC_OPND_FS: dec_put(o, "fs"); break;
    case DEC_OPND_GS: dec_put(o, "gs"); break;
    case DEC_OPND_ST0: dec_put(o, "st0"); break;
    case DEC_OPND_STi: snprintf(t, sizeof t, "st%u", d->rm & 7u); dec_put(o, t); break;
    case DEC_OPND_Pq: dec_putmm(o, d->reg); break;
    case DEC_OPND_Nq: dec_putmm(o, d->rm); break;
    case DEC_OPND_Qq:
        if (d->flags & DEC_F_MEM)
            dec_putmem(o, d, "qword");
        else
            dec_putmm(o, d->rm);
        break;
    case DEC_OPND_Qd:
        if (d->flags & DEC_F_MEM)
            dec_putmem(o, d, "dword");
        else
            dec_putmm(o, d->rm);
        break;
    default:
        break;
    }
}

int dec_disasm(const struct dec_insn *insn, uint32_t eip, enum dec_mode mode, char *buf,
               size_t bufsize)
{
    struct dec_out o = {buf, bufsize, 0};
    const struct dec_form_info *fi = dec_form((enum dec_op)insn->op);
    (void)mode; /* the record already carries the effective sizes */

    if (bufsize)
        buf[0] = '\0';
    if (insn->op == DEC_INVALID_OP) {
        dec_put(&o, "(bad)");
        return (int)o.len;
    }
    if (insn->flags & DEC_F_LOCK)
        dec_put(&o, "lock ");
    if (fi->flags & DEC_DF_STRING) {
        /* CMPS and SCAS test ZF: F3 reads as REPE there, REP elsewhere */
        int cond = insn->op == DEC_CMPSB || insn->op == DEC_CMPSW || insn->op == DEC_CMPSD ||
                   insn->op == DEC_SCASB || insn->op == DEC_SCASW || insn->op == DEC_SCASD;
        if (insn->flags & DEC_F_REP)
            dec_put(&o, cond ? "repe " : "rep ");
        else if (insn->flags & DEC_F_REPNE)
            dec_put(&o, "repne ");
        dec_put(&o, fi->mnemonic);
        /* only the source (DS:[(E)SI]) can be overridden */
        if ((insn->flags & DEC_F_SEGOVR) &&
            (fi->operand[0] == DEC_OPND_Xb || fi->operand[0] == DEC_OPND_Xw ||
             fi->operand[0] == DEC_OPND_Xd || fi->operand[1] == DEC_OPND_Xb ||
             fi->operand[1] == DEC_OPND_Xw || fi->operand[1] == DEC_OPND_Xd)) {
            dec_put(&o, " ");
            dec_putstrsrc(&o, insn);
        }
        return (int)o.len;
    }
    dec_put(&o, fi->mnemonic);
    for (unsigned k = 0; k < 3 && fi->operand[k] != DEC_OPND_NONE; k++) {
        dec_put(&o, k ? ", " : " ");
        dec_operand(&o, insn, fi->operand[k], eip);
    }
    if (insn->op == DEC_XLAT && (insn->flags & DEC_F_SEGOVR)) {
        dec_put(&o, " ");
        dec_put(&o, dec_sreg[insn->seg & 7]);
        dec_put(&o, (insn->flags & DEC_F_A32) ? ":[ebx]" : ":[bx]");
    }
    return (int)o.len;
}
