/*
 * oracle_groups.c - the instruction groups of the oracle's generator: each
 * emits one instruction under test plus what makes it safe (see
 * oracle_gen.c for the rules) and records its flag effects as the SDM's
 * "Flags Affected" sections give them.
 */
#include "tests/oracle/oracle_gen_internal.h"

#include <string.h>

/* Little-endian store into the code buffer (a patched address). */
static void gen_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ------------------------------------------------------------------ */
/* Condition codes                                                     */

static uint32_t cc_reads(unsigned cc)
{
    switch (cc >> 1) {
    case 0: return F_OF;
    case 1: return F_CF;
    case 2: return F_ZF;
    case 3: return F_CF | F_ZF;
    case 4: return F_SF;
    case 5: return F_PF;
    case 6: return F_SF | F_OF;
    default: return F_ZF | F_SF | F_OF;
    }
}

/* ------------------------------------------------------------------ */
/* Groups                                                              */

/* ADD OR ADC SBB AND SUB XOR CMP in every form. */
static void grp_alu(struct gen *g)
{
    unsigned op = gen_rnd(g, 8), size = gen_size(g), form = gen_rnd(g, 5);
    bool writes = op != 7;
    bool logic = op == 1 || op == 4 || op == 6;
    bool lock;
    uint32_t v = gen_value(g);
    struct opnd o;
    uint8_t opc;

    if (op == 2 || op == 3)
        gen_need_flags(g, F_CF);
    gen_begin(g);
    switch (form) {
    case 0: /* E, G */
        o = gen_rm_lk(g, size, writes, &lock);
        opc = gen_wop((uint8_t)(op * 8), size);
        gen_emit_rm(g, size, lock, &opc, 1, gen_rnd(g, 8), &o);
        break;
    case 1: /* G, E */
        o = gen_rm(g, size, false);
        opc = gen_wop((uint8_t)(op * 8 + 2), size);
        gen_emit_rm(g, size, false, &opc, 1, writes ? gen_wreg_sz(g, size) : gen_rnd(g, 8), &o);
        break;
    case 2: /* AL/AX/EAX, imm */
        gen_opsize(g, size);
        gen_byte(g, gen_wop((uint8_t)(op * 8 + 4), size));
        gen_imm(g, v, size);
        break;
    default: /* 80/81/83 (and the 82 alias) /op, imm */
        o = gen_rm_lk(g, size, writes, &lock);
        if (size == 1)
            opc = gen_chance(g, 8) ? 0x82 : 0x80;
        else
            opc = gen_chance(g, 2) ? 0x83 : 0x81;
        gen_emit_rm(g, size, lock, &opc, 1, op, &o);
        gen_imm(g, v, (opc == 0x81) ? size : 1);
        break;
    }
    gen_end(g, logic ? (F_ALL & ~F_AF) : F_ALL, logic ? F_AF : 0);
}

static void grp_test(struct gen *g)
{
    unsigned size = gen_size(g);
    uint32_t v = gen_value(g);
    struct opnd o;
    uint8_t opc;
    gen_begin(g);
    switch (gen_rnd(g, 3)) {
    case 0:
        o = gen_rm(g, size, false);
        opc = gen_wop(0x84, size);
        gen_emit_rm(g, size, false, &opc, 1, gen_rnd(g, 8), &o);
        break;
    case 1:
        gen_opsize(g, size);
        gen_byte(g, gen_wop(0xA8, size));
        gen_imm(g, v, size);
        break;
    default:
        o = gen_rm(g, size, false);
        opc = gen_wop(0xF6, size);
        gen_emit_rm(g, size, false, &opc, 1, 0, &o);
        gen_imm(g, v, size);
        break;
    }
    gen_end(g, F_ALL & ~F_AF, F_AF);
}

/* INC DEC NOT NEG */
static void grp_unary(struct gen *g)
{
    unsigned size = gen_size(g), kind = gen_rnd(g, 4);
    bool lock;
    struct opnd o;
    uint8_t opc;
    gen_begin(g);
    if (kind < 2 && size != 1 && gen_chance(g, 3)) {
        gen_opsize(g, size);
        gen_byte(g, (uint8_t)(0x40 + kind * 8 + gen_wreg(g)));
    } else {
        o = gen_rm_lk(g, size, true, &lock);
        opc = kind < 2 ? gen_wop(0xFE, size) : gen_wop(0xF6, size);
        gen_emit_rm(g, size, lock, &opc, 1, kind, &o);
    }
    if (kind < 2)
        gen_end(g, F_ALL & ~F_CF, 0);
    else if (kind == 3)
        gen_end(g, F_ALL, 0);
}

/* MUL, IMUL with one, two and three operands. */
static void grp_mul(struct gen *g)
{
    unsigned size = gen_size(g);
    struct opnd o;
    uint8_t opc[2];
    gen_begin(g);
    switch (gen_rnd(g, 4)) {
    case 0:
    case 1:
        o = gen_rm(g, size, false);
        opc[0] = gen_wop(0xF6, size);
        gen_emit_rm(g, size, false, opc, 1, gen_chance(g, 2) ? 4 : 5, &o);
        break;
    case 2:
        if (size == 1)
            size = 4;
        o = gen_rm(g, size, false);
        opc[0] = 0x0F;
        opc[1] = 0xAF;
        gen_emit_rm(g, size, false, opc, 2, gen_wreg(g), &o);
        break;
    default:
        if (size == 1)
            size = 2;
        o = gen_rm(g, size, false);
        opc[0] = gen_chance(g, 2) ? 0x6B : 0x69;
        gen_emit_rm(g, size, false, opc, 1, gen_wreg(g), &o);
        gen_imm(g, gen_value(g), opc[0] == 0x6B ? 1 : size);
        break;
    }
    /* SDM: MUL/IMUL define CF and OF only. */
    gen_end(g, F_CF | F_OF, F_SZP | F_AF);
}

/* DIV/IDIV, made safe: the divisor is forced into [0x100, 0x7FFF] (words,
 * dwords) or [2, 0x7F] (bytes) and the dividend's high half is cleared,
 * sign-extended or made small, so the quotient always fits. */
static void grp_div(struct gen *g)
{
    static const unsigned wide[] = {R_ECX, R_EBX, R_ESI, R_EDI};
    static const unsigned narrow[] = {1, 2, 3, 5, 6, 7}; /* CL DL BL CH DH BH */
    unsigned size = gen_size(g), d;
    bool sgn = gen_chance(g, 2);
    struct opnd o;
    uint8_t opc;

    do
        d = size == 1 ? narrow[gen_rnd(g, 6)] : wide[gen_rnd(g, 4)];
    while (size != 1 && d == g->reserved);
    if (gen_chance(g, 2))
        o = gen_mem(g, size);
    else
        o = gen_reg_opnd(d);
    /* and divisor, mask; or divisor, low */
    gen_begin(g);
    opc = size == 1 ? 0x80 : 0x81;
    gen_emit_rm(g, size, false, &opc, 1, 4, &o);
    gen_imm(g, size == 1 ? 0x7F : 0x7FFF, size);
    gen_end(g, F_ALL & ~F_AF, F_AF);
    gen_begin(g);
    gen_emit_rm(g, size, false, &opc, 1, 1, &o);
    gen_imm(g, size == 1 ? 2 : 0x100, size);
    gen_end(g, F_ALL & ~F_AF, F_AF);

    gen_begin(g);
    if (size == 1) {
        if (sgn && gen_chance(g, 2)) {
            gen_byte(g, 0x66); /* cbw */
            gen_byte(g, 0x98);
        } else {
            gen_byte(g, 0x25); /* and eax, 0x1ff (unsigned) / 0xff (signed) */
            gen_imm(g, sgn ? 0xFF : 0x1FF, 4);
            gen_end(g, F_ALL & ~F_AF, F_AF);
        }
    } else if (gen_chance(g, 2)) {
        /* xor edx, edx / cwd / cdq */
        if (sgn) {
            gen_opsize(g, size);
            gen_byte(g, 0x99);
        } else {
            gen_byte(g, 0x31);
            gen_byte(g, 0xD2);
            gen_end(g, F_ALL & ~F_AF, F_AF);
        }
    } else {
        /* and edx, 0xff (below every divisor) / 0x7f (positive, quotient
         * below 2^(n-1)) */
        gen_byte(g, 0x81);
        gen_byte(g, 0xE2);
        gen_imm(g, sgn ? 0x7F : 0xFF, 4);
        gen_end(g, F_ALL & ~F_AF, F_AF);
    }
    gen_begin(g);
    opc = gen_wop(0xF6, size);
    gen_emit_rm(g, size, false, &opc, 1, sgn ? 7 : 6, &o);
    gen_end(g, 0, F_ALL); /* SDM: all six undefined */
}

/* ROL ROR RCL RCR SHL SHR SAL(/6) SAR by imm8, 1 or CL. */
static void grp_shift(struct gen *g)
{
    unsigned size = gen_size(g), bits = size * 8;
    unsigned op = gen_chance(g, 16) ? 6 : gen_rnd(g, 8);
    unsigned form = gen_rnd(g, 3), count, mc;
    uint32_t def = 0, undef = 0;
    struct opnd o;
    uint8_t opc;

    if (op == 6 && gen_rnd(g, 2))
        op = gen_rnd(g, 6);
    if (gen_chance(g, 3))
        count = gen_rnd(g, 256);
    else
        count = gen_rnd(g, bits + 2);
    if (form == 1)
        count = 1;
    mc = count & 31;
    if (op == 2 || op == 3)
        gen_need_flags(g, F_CF);
    if (form == 2) {
        gen_begin(g);
        if (gen_chance(g, 2)) {
            gen_byte(g, 0xB1); /* mov cl, imm8 */
            gen_imm(g, count, 1);
        } else {
            gen_byte(g, 0xB9); /* mov ecx, imm32: only CL counts */
            gen_imm(g, (gen_rnd32(g) & ~0xFFu) | count, 4);
        }
    }
    gen_begin(g);
    o = gen_rm(g, size, true);
    opc = form == 0 ? gen_wop(0xC0, size) : form == 1 ? gen_wop(0xD0, size) : gen_wop(0xD2, size);
    gen_emit_rm(g, size, false, &opc, 1, op, &o);
    if (form == 0)
        gen_imm(g, count, 1);
    if (mc != 0) {
        /* SDM SAL/SAR/SHL/SHR and RCL/RCR/ROL/ROR "Flags Affected": OF only
         * for 1-bit shifts; AF undefined for shifts; CF undefined for
         * SHL/SHR by at least the operand width. */
        if (mc == 1)
            def |= F_OF;
        else
            undef |= F_OF;
        if (op < 4) {
            def |= F_CF;
        } else {
            def |= F_SZP;
            undef |= F_AF;
            if (op != 7 && mc >= bits)
                undef |= F_CF;
            else
                def |= F_CF;
        }
    }
    gen_end(g, def, undef);
}

/* SHLD/SHRD by imm8 or CL; a 16-bit count above 16 is undefined and
 * avoided. */
static void grp_shxd(struct gen *g)
{
    unsigned size = gen_chance(g, 2) ? 2 : 4, count, mc;
    bool cl = gen_chance(g, 2);
    struct opnd o;
    uint8_t opc[2];
    uint32_t def = 0, undef = 0;

    count = gen_chance(g, 2) ? gen_rnd(g, size == 2 ? 17 : 32) : gen_rnd(g, 256);
    if (size == 2 && (count & 31) > 16)
        count &= 0xEF; /* clear bit 4: masked count now <= 15 */
    mc = count & 31;
    if (cl) {
        gen_begin(g);
        gen_byte(g, 0xB1);
        gen_imm(g, count, 1);
    }
    gen_begin(g);
    o = gen_rm(g, size, true);
    opc[0] = 0x0F;
    opc[1] = (uint8_t)((gen_chance(g, 2) ? 0xA4 : 0xAC) + (cl ? 1 : 0));
    gen_emit_rm(g, size, false, opc, 2, gen_rnd(g, 8), &o);
    if (!cl)
        gen_imm(g, count, 1);
    if (mc != 0) {
        def = F_CF | F_SZP | (mc == 1 ? F_OF : 0);
        undef = F_AF | (mc == 1 ? 0 : F_OF);
    }
    gen_end(g, def, undef);
}

/* BT BTS BTR BTC with a register or imm8 bit offset, register or memory
 * destination; a register offset into memory may be negative. */
static void grp_bt(struct gen *g)
{
    unsigned size = gen_chance(g, 2) ? 2 : 4, op = gen_rnd(g, 4);
    bool writes = op != 0, lock;
    struct opnd o;
    uint8_t opc[2];

    if (gen_chance(g, 2)) {
        /* imm8 form: offset taken modulo the operand width */
        gen_begin(g);
        o = gen_rm_lk(g, size, writes, &lock);
        opc[0] = 0x0F;
        opc[1] = 0xBA;
        gen_emit_rm(g, size, lock, opc, 2, 4 + op, &o);
        gen_imm(g, gen_rnd(g, 256), 1);
    } else if (gen_chance(g, 2)) {
        /* register destination */
        gen_begin(g);
        o = gen_reg_opnd(writes ? gen_wreg(g) : gen_rnd(g, 8));
        opc[0] = 0x0F;
        opc[1] = (uint8_t)(0xA3 + op * 8);
        gen_emit_rm(g, size, false, opc, 2, gen_rnd(g, 8), &o);
    } else {
        /* memory with a signed register offset: the bit string starts near
         * EBP and the offset reaches at most 0x600 bytes either way */
        unsigned r = gen_wreg(g);
        int32_t off = (int32_t)gen_rnd(g, 0x3000 * 2) - 0x3000;
        gen_begin(g);
        gen_opsize(g, size);
        gen_byte(g, (uint8_t)(0xB8 + r)); /* mov r, off */
        gen_imm(g, (uint32_t)off, size);
        gen_begin(g);
        lock = writes && gen_chance(g, 6);
        /* the word accessed is ea + size * floor(off / bits): aligned when
         * ea is, as a locked access must be (see gen_rm_lk) */
        o = gen_mem_at(g, (ORACLE_EBP - 0x40 + gen_rnd(g, 0x80)) & ~(lock ? size - 1 : 0));
        opc[0] = 0x0F;
        opc[1] = (uint8_t)(0xA3 + op * 8);
        gen_emit_rm(g, size, lock, opc, 2, r, &o);
    }
    /* SDM BT: CF defined, ZF unaffected, OF SF AF PF undefined. */
    gen_end(g, F_CF, F_OF | F_SF | F_AF | F_PF);
}

/* BSF/BSR with a nonzero source; with a zero source the destination is
 * undefined (SDM), so that case overwrites it right after. */
static void grp_bsx(struct gen *g)
{
    unsigned size = gen_chance(g, 2) ? 2 : 4, dst = gen_wreg(g);
    bool zero = gen_chance(g, 8);
    struct opnd o = gen_rm(g, size, true);
    uint8_t opc[2];

    gen_begin(g);
    if (zero) {
        /* mov src, 0 */
        opc[0] = 0xC7;
        gen_emit_rm(g, size, false, opc, 1, 0, &o);
        gen_imm(g, 0, size);
    } else {
        /* or src, nonzero */
        uint32_t v = gen_value(g);
        if ((v & (size == 2 ? 0xFFFFu : 0xFFFFFFFFu)) == 0)
            v = 1u << gen_rnd(g, size * 8);
        opc[0] = 0x81;
        gen_emit_rm(g, size, false, opc, 1, 1, &o);
        gen_imm(g, v, size);
        gen_end(g, F_ALL & ~F_AF, F_AF);
    }
    gen_begin(g);
    opc[0] = 0x0F;
    opc[1] = gen_chance(g, 2) ? 0xBC : 0xBD;
    gen_emit_rm(g, size, false, opc, 2, dst, &o);
    gen_end(g, F_ZF, F_CF | F_OF | F_SF | F_AF | F_PF);
    if (zero) {
        gen_begin(g);
        gen_byte(g, (uint8_t)(0xB8 + dst)); /* mov dst32, imm32 */
        gen_imm(g, gen_value(g), 4);
    }
}

static void grp_bswap(struct gen *g)
{
    gen_begin(g);
    gen_byte(g, 0x0F);
    gen_byte(g, (uint8_t)(0xC8 + gen_wreg(g)));
}

static void grp_setcc(struct gen *g)
{
    unsigned cc = gen_rnd(g, 16);
    struct opnd o = gen_rm(g, 1, true);
    uint8_t opc[2] = {0x0F, (uint8_t)(0x90 + cc)};
    gen_need_flags(g, cc_reads(cc));
    gen_begin(g);
    gen_emit_rm(g, 1, false, opc, 2, 0, &o);
}

static void grp_cmov(struct gen *g)
{
    unsigned cc = gen_rnd(g, 16), size = gen_chance(g, 3) ? 2 : 4;
    struct opnd o = gen_rm(g, size, false);
    uint8_t opc[2] = {0x0F, (uint8_t)(0x40 + cc)};
    gen_need_flags(g, cc_reads(cc));
    gen_begin(g);
    gen_emit_rm(g, size, false, opc, 2, gen_wreg(g), &o);
}

/* MOV in its forms, MOVZX/MOVSX. */
static void grp_mov(struct gen *g)
{
    unsigned size = gen_size(g);
    struct opnd o;
    uint8_t opc[2];
    gen_begin(g);
    switch (gen_rnd(g, 7)) {
    case 0: /* E <- G */
        o = gen_rm(g, size, true);
        opc[0] = gen_wop(0x88, size);
        gen_emit_rm(g, size, false, opc, 1, gen_rnd(g, 8), &o);
        break;
    case 1: /* G <- E */
        o = gen_rm(g, size, false);
        opc[0] = gen_wop(0x8A, size);
        gen_emit_rm(g, size, false, opc, 1, gen_wreg_sz(g, size), &o);
        break;
    case 2: /* B0+r / B8+r */
        gen_opsize(g, size);
        gen_byte(g, (uint8_t)((size == 1 ? 0xB0 : 0xB8) + gen_wreg_sz(g, size)));
        gen_imm(g, gen_value(g), size);
        break;
    case 3: /* C6/C7 /0 */
        o = gen_rm(g, size, true);
        opc[0] = gen_wop(0xC6, size);
        gen_emit_rm(g, size, false, opc, 1, 0, &o);
        gen_imm(g, gen_value(g), size);
        break;
    case 4: { /* A0-A3 moffs */
        uint32_t addr = gen_data_addr(g, size);
        gen_opsize(g, size);
        gen_byte(g, gen_wop(gen_chance(g, 2) ? 0xA0 : 0xA2, size));
        gen_imm(g, addr, 4);
        break;
    }
    default: { /* MOVZX / MOVSX */
        unsigned src = gen_chance(g, 2) ? 1 : 2, dsz = gen_chance(g, 3) ? 2 : 4;
        o = gen_rm(g, src, false);
        opc[0] = 0x0F;
        opc[1] = (uint8_t)((gen_chance(g, 2) ? 0xB6 : 0xBE) + (src == 2 ? 1 : 0));
        gen_emit_rm(g, dsz, false, opc, 2, gen_wreg(g), &o);
        break;
    }
    }
}

/* LEA with fully random 32-bit or 16-bit addressing (no memory access). */
static void grp_lea(struct gen *g)
{
    unsigned mod = gen_rnd(g, 3), rm = gen_rnd(g, 8), dsz = gen_chance(g, 3) ? 2 : 4;
    bool a16 = gen_chance(g, 3);
    gen_begin(g);
    gen_opsize(g, dsz);
    if (a16)
        gen_byte(g, 0x67);
    gen_byte(g, 0x8D);
    gen_byte(g, (uint8_t)((mod << 6) | (gen_wreg(g) << 3) | rm));
    if (a16) {
        if (mod == 1)
            gen_imm(g, gen_rnd32(g), 1);
        else if (mod == 2 || (mod == 0 && rm == 6))
            gen_imm(g, gen_value(g), 2);
    } else {
        unsigned base = 0;
        if (rm == 4) {
            uint8_t sib = (uint8_t)gen_rnd32(g);
            gen_byte(g, sib);
            base = sib & 7;
        }
        if (mod == 1)
            gen_imm(g, gen_rnd32(g), 1);
        else if (mod == 2 || (mod == 0 && (rm == 5 || (rm == 4 && base == 5))))
            gen_imm(g, gen_value(g), 4);
    }
}

/* XCHG, XADD, CMPXCHG. */
static void grp_xchg(struct gen *g)
{
    unsigned size = gen_size(g), kind = gen_rnd(g, 4), r = gen_wreg_sz(g, size);
    bool lock;
    struct opnd o = gen_rm_lk(g, size, true, &lock);
    uint8_t opc[2];

    /* XCHG with memory is always locked: keep it aligned */
    if (kind == 0 && o.mem && !lock)
        o = gen_mem_at(g, gen_data_addr(g, size) & ~(size - 1));

    if (kind == 3 && gen_chance(g, 2)) {
        /* make the compare succeed: mov accumulator, E */
        gen_begin(g);
        opc[0] = gen_wop(0x8A, size);
        gen_emit_rm(g, size, false, opc, 1, R_EAX, &o);
    }
    gen_begin(g);
    switch (kind) {
    case 0:
        if (size != 1 && gen_chance(g, 3)) {
            gen_opsize(g, size);
            gen_byte(g, (uint8_t)(0x90 + gen_wreg(g)));
        } else {
            opc[0] = gen_wop(0x86, size);
            gen_emit_rm(g, size, false, opc, 1, r, &o);
        }
        break;
    case 1:
    case 2:
        opc[0] = 0x0F;
        opc[1] = gen_wop(0xC0, size);
        gen_emit_rm(g, size, lock, opc, 2, r, &o);
        gen_end(g, F_ALL, 0);
        break;
    default:
        opc[0] = 0x0F;
        opc[1] = gen_wop(0xB0, size);
        gen_emit_rm(g, size, lock, opc, 2, r, &o);
        gen_end(g, F_ALL, 0);
        break;
    }
}

static void grp_cmpxchg8b(struct gen *g)
{
    bool lock = gen_chance(g, 4);
    uint32_t addr = gen_data_addr(g, 8) & ~(lock ? 7u : 0u);
    struct opnd o;
    uint8_t opc[2];
    if (gen_chance(g, 2)) {
        /* mov eax, [m]; mov edx, [m+4]: the compare succeeds */
        gen_begin(g);
        gen_byte(g, 0xA1);
        gen_imm(g, addr, 4);
        gen_begin(g);
        gen_byte(g, 0x8B);
        gen_byte(g, 0x15);
        gen_imm(g, addr + 4, 4);
    }
    gen_begin(g);
    o = gen_mem_at(g, addr);
    opc[0] = 0x0F;
    opc[1] = 0xC7;
    gen_emit_rm(g, 4, lock, opc, 2, 1, &o);
    gen_end(g, F_ZF, 0);
}

/* CBW/CWDE/CWD/CDQ, LAHF/SAHF, CLC/STC/CMC, SALC, BCD adjust. */
static void grp_misc(struct gen *g)
{
    unsigned k = gen_rnd(g, 14);
    switch (k) {
    case 0:
    case 1:
        gen_begin(g);
        if (gen_chance(g, 2))
            gen_byte(g, 0x66);
        gen_byte(g, (uint8_t)(0x98 + k));
        break;
    case 2:
        gen_need_flags(g, F_SZP | F_AF | F_CF);
        gen_begin(g);
        gen_byte(g, 0x9F); /* lahf */
        break;
    case 3:
        gen_begin(g);
        gen_byte(g, 0x9E); /* sahf */
        gen_end(g, F_SZP | F_AF | F_CF, 0);
        break;
    case 4:
    case 5:
        gen_begin(g);
        gen_byte(g, (uint8_t)(0xF8 + (k - 4))); /* clc / stc */
        gen_end(g, F_CF, 0);
        break;
    case 6:
        gen_need_flags(g, F_CF);
        gen_begin(g);
        gen_byte(g, 0xF5); /* cmc */
        gen_end(g, F_CF, 0);
        break;
    case 7:
        gen_need_flags(g, F_CF);
        gen_begin(g);
        gen_byte(g, 0xD6); /* salc */
        break;
    case 8:
    case 9:
        /* DAA/DAS: OF undefined (SDM) */
        gen_need_flags(g, F_AF | F_CF);
        gen_begin(g);
        gen_byte(g, k == 8 ? 0x27 : 0x2F);
        gen_end(g, F_SZP | F_AF | F_CF, F_OF);
        break;
    case 10:
    case 11:
        /* AAA/AAS: AF CF defined, OF SF ZF PF undefined (SDM) */
        gen_need_flags(g, F_AF);
        gen_begin(g);
        gen_byte(g, k == 10 ? 0x37 : 0x3F);
        gen_end(g, F_AF | F_CF, F_OF | F_SZP);
        break;
    default: {
        /* AAM (nonzero base) / AAD: SF ZF PF defined, OF AF CF undefined */
        uint8_t base = gen_chance(g, 2) ? 10 : (uint8_t)(1 + gen_rnd(g, 255));
        gen_begin(g);
        gen_byte(g, k == 12 ? 0xD4 : 0xD5);
        gen_byte(g, base);
        gen_end(g, F_SZP, F_OF | F_AF | F_CF);
        break;
    }
    }
}

/* [esp+disp8] with disp8 in 0..124: inside the stack area (ESP stays
 * within GEN_STACK_SLACK of ORACLE_ESP). */
static struct opnd esp_opnd(struct gen *g)
{
    struct opnd o;
    memset(&o, 0, sizeof o);
    o.mem = true;
    o.mod = 1;
    o.rm = 4;
    o.has_sib = true;
    o.sib = 0x24;
    o.disp_size = 1;
    o.disp = gen_rnd(g, 125);
    o.addr = ORACLE_ESP - (uint32_t)g->depth + o.disp;
    return o;
}

/* PUSH/POP of registers, immediates and memory, inside the stack area. */
static void grp_stack(struct gen *g)
{
    unsigned size = gen_chance(g, 4) ? 2 : 4;
    bool push = g->depth + (int)size > GEN_STACK_SLACK   ? false
                : g->depth - (int)size < -GEN_STACK_SLACK ? true
                                                          : gen_chance(g, 2);
    struct opnd o;
    uint8_t opc;

    if (push && gen_chance(g, 8)) {
        /* PUSHFD/PUSHF stores every flag: none may be undefined */
        gen_need_flags(g, F_ALL);
        gen_begin(g);
        gen_opsize(g, size);
        gen_byte(g, 0x9C);
        g->depth += (int)size;
        return;
    }
    if (push && g->depth + 16 * (int)size <= GEN_STACK_SLACK && gen_chance(g, 10)) {
        gen_begin(g);
        gen_opsize(g, size);
        gen_byte(g, 0x60); /* pushad / pusha */
        g->depth += 8 * (int)size;
        return;
    }
    gen_begin(g);
    if (push) {
        switch (gen_rnd(g, 4)) {
        case 0:
            gen_opsize(g, size);
            gen_byte(g, (uint8_t)(0x50 + gen_rnd(g, 8)));
            break;
        case 1:
            gen_opsize(g, size);
            gen_byte(g, 0x6A);
            gen_imm(g, gen_value(g), 1);
            break;
        case 2:
            gen_opsize(g, size);
            gen_byte(g, 0x68);
            gen_imm(g, gen_value(g), size);
            break;
        default:
            o = gen_chance(g, 3) ? esp_opnd(g) : gen_mem(g, size);
            opc = 0xFF;
            gen_emit_rm(g, size, false, &opc, 1, 6, &o);
            break;
        }
        g->depth += (int)size;
    } else {
        if (gen_chance(g, 2)) {
            gen_opsize(g, size);
            gen_byte(g, (uint8_t)(0x58 + gen_wreg(g)));
        } else {
            /* an ESP-based destination is addressed with ESP after the
             * pop (SDM vol. 2, POP) */
            o = gen_chance(g, 3) ? esp_opnd(g) : gen_mem(g, size);
            opc = 0x8F;
            gen_emit_rm(g, size, false, &opc, 1, 0, &o);
        }
        g->depth -= (int)size;
    }
}

/* MOVS CMPS STOS LODS SCAS, with or without REP/REPE/REPNE, either
 * direction; ESI/EDI/ECX are set here so every element is in the buffer. */
static void grp_string(struct gen *g)
{
    static const uint8_t ops[] = {0xA4, 0xA6, 0xAA, 0xAC, 0xAE};
    unsigned which = gen_rnd(g, 5), size = gen_size(g);
    uint8_t op = ops[which];
    bool cmp = op == 0xA6 || op == 0xAE;
    bool src = op == 0xA4 || op == 0xA6 || op == 0xAC;
    bool dst = op != 0xAC;
    bool down = gen_chance(g, 3);
    unsigned rep = gen_rnd(g, 3); /* 0 none, 1 F3, 2 F2 (compare only) */
    unsigned n;
    uint32_t span, lo, hi, start;

    if (rep == 2 && !cmp)
        rep = 1;
    n = rep ? gen_rnd(g, 40) : 1;
    span = n ? (n - 1) * size : 0;
    if (down) {
        gen_begin(g);
        gen_byte(g, 0xFD); /* std */
    }
    if (rep) {
        gen_begin(g);
        gen_byte(g, 0xB9); /* mov ecx, n */
        gen_imm(g, n, 4);
    }
    /* the strings may run past the buffer's page into the first 0x100
     * bytes of the stack area, still inside the compared region */
    lo = ORACLE_DATA + (down ? span : 0);
    hi = ORACLE_DATA + ORACLE_DATA_SIZE + 0x100 - size - (down ? 0 : span);
    if (src) {
        start = lo + gen_rnd(g, hi - lo + 1);
        gen_begin(g);
        gen_byte(g, 0x8D); /* lea esi, [ebp+disp32] */
        gen_byte(g, 0xB5);
        gen_imm(g, start - ORACLE_EBP, 4);
    }
    if (dst) {
        start = lo + gen_rnd(g, hi - lo + 1);
        gen_begin(g);
        gen_byte(g, 0xBF); /* mov edi, imm32 */
        gen_imm(g, start, 4);
    }
    gen_begin(g);
    if (src && gen_chance(g, 6)) {
        static const uint8_t seg[] = {0x26, 0x36, 0x3E};
        gen_byte(g, seg[gen_rnd(g, 3)]);
    }
    gen_opsize(g, size);
    if (rep)
        gen_byte(g, rep == 1 ? 0xF3 : 0xF2);
    gen_byte(g, gen_wop(op, size));
    if (cmp && n > 0)
        gen_end(g, F_ALL, 0);
    if (down) {
        gen_begin(g);
        gen_byte(g, 0xFC); /* cld */
    }
}

/* PUSH imm; POPFD/POPF: OSZAPC from a known value.  IF stays set (at CPL 3
 * the native POPF cannot change it) and TF, AC, NT stay clear; the ID bit
 * toggles freely on both. */
static void grp_popf(struct gen *g)
{
    unsigned size = gen_chance(g, 4) ? 2 : 4;
    uint32_t v = (gen_rnd32(g) & (size == 4 ? 0x2008D5u : 0x8D5u)) | 0x202u;
    gen_begin(g);
    gen_opsize(g, size);
    gen_byte(g, 0x68);
    gen_imm(g, v, size);
    gen_begin(g);
    gen_opsize(g, size);
    gen_byte(g, 0x9D);
    gen_end(g, F_ALL, 0);
}

/* ENTER (with nesting levels: the frame pointer copies are read below
 * EBP, inside the buffer); the new frame pointer and ESP copied out; LEAVE
 * restores EBP and ESP. */
static void grp_enter(struct gen *g)
{
    unsigned size = gen_chance(g, 4) ? 2 : 4;
    unsigned level = gen_chance(g, 2) ? gen_rnd(g, 3) : gen_rnd(g, 256);
    uint32_t frame = gen_rnd(g, 0x40);
    if (g->depth > GEN_STACK_SLACK - 0x40)
        return;
    gen_begin(g);
    gen_opsize(g, size);
    gen_byte(g, 0xC8);
    gen_imm(g, frame, 2);
    gen_imm(g, level, 1);
    gen_begin(g);
    gen_byte(g, 0x8B); /* mov r, ebp */
    gen_byte(g, (uint8_t)(0xC0 | (gen_wreg(g) << 3) | R_EBP));
    if (gen_chance(g, 2)) {
        gen_begin(g);
        gen_byte(g, 0x8B); /* mov r, esp */
        gen_byte(g, (uint8_t)(0xC0 | (gen_wreg(g) << 3) | R_ESP));
    }
    gen_begin(g);
    gen_opsize(g, size);
    gen_byte(g, 0xC9);
}

/* PUSHAD; overwrite some saved registers through [esp+disp8] (never the
 * EBP slot; the ESP slot is ignored by POPAD); POPAD. */
static void grp_pusha(struct gen *g)
{
    unsigned size = gen_chance(g, 4) ? 2 : 4, n = gen_rnd(g, 3), k;
    if (g->depth + 8 * (int)size > GEN_STACK_SLACK)
        return;
    gen_begin(g);
    gen_opsize(g, size);
    gen_byte(g, 0x60);
    for (k = 0; k < n; k++) {
        unsigned slot = gen_rnd(g, 8);
        if (slot == 2)
            slot = 3;
        gen_begin(g);
        gen_opsize(g, size);
        gen_byte(g, 0xC7); /* mov [esp+disp8], imm */
        gen_byte(g, 0x44);
        gen_byte(g, 0x24);
        gen_byte(g, (uint8_t)(slot * size));
        gen_imm(g, gen_value(g), size);
    }
    gen_begin(g);
    gen_opsize(g, size);
    gen_byte(g, 0x61);
}

/* XLAT through a table in the buffer. */
static void grp_xlat(struct gen *g)
{
    uint32_t t = ORACLE_DATA + gen_rnd(g, ORACLE_DATA_SIZE - 256);
    gen_begin(g);
    gen_byte(g, 0x8D); /* lea ebx, [ebp+disp32] */
    gen_byte(g, 0x9D);
    gen_imm(g, t - ORACLE_EBP, 4);
    gen_begin(g);
    if (gen_chance(g, 4))
        gen_byte(g, 0x3E);
    gen_byte(g, 0xD7);
}

/* NOP, PAUSE (F3 90), and the P6 multi-byte NOP 0F 1F /0 (no access). */
static void grp_nop(struct gen *g)
{
    struct opnd o;
    uint8_t opc[2] = {0x0F, 0x1F};
    gen_begin(g);
    switch (gen_rnd(g, 3)) {
    case 0:
        gen_byte(g, 0x90);
        break;
    case 1:
        gen_byte(g, 0xF3);
        gen_byte(g, 0x90);
        break;
    default:
        o = gen_rm(g, gen_chance(g, 2) ? 2 : 4, false);
        gen_emit_rm(g, gen_chance(g, 2) ? 2 : 4, false, opc, 2, 0, &o);
        break;
    }
}

/* Self-modifying code: a store into the next instruction, which both CPUs
 * must then execute as modified (SDM vol. 3, 11.6: P6 and later detect a
 * write to an instruction already fetched).  Either an immediate byte or
 * dword of a MOV r32, imm32, or the opcode of a one-byte INC/DEC. */
static void grp_smc(struct gen *g)
{
    uint32_t next, at;
    unsigned r = gen_wreg(g);
    unsigned store_len;

    switch (gen_rnd(g, 3)) {
    case 0: /* mov byte [abs], imm8 -> an immediate byte */
        store_len = 7;
        next = ORACLE_CODE + g->p->len + store_len;
        at = next + 1 + gen_rnd(g, 4);
        gen_begin(g);
        gen_byte(g, 0xC6);
        gen_byte(g, 0x05);
        gen_imm(g, at, 4);
        gen_imm(g, gen_rnd32(g), 1);
        g->p->glued[g->p->n_insns - 1] = 1;
        gen_begin(g);
        gen_byte(g, (uint8_t)(0xB8 + r));
        gen_imm(g, gen_value(g), 4);
        break;
    case 1: /* mov dword [ebp+disp32], imm32 -> the whole immediate */
        store_len = 10;
        next = ORACLE_CODE + g->p->len + store_len;
        gen_begin(g);
        gen_byte(g, 0xC7);
        gen_byte(g, 0x85);
        gen_imm(g, next + 1 - ORACLE_EBP, 4);
        gen_imm(g, gen_value(g), 4);
        g->p->glued[g->p->n_insns - 1] = 1;
        gen_begin(g);
        gen_byte(g, (uint8_t)(0xB8 + r));
        gen_imm(g, gen_value(g), 4);
        break;
    default: /* mov byte [abs], 40+r/48+r -> INC/DEC of another register */
        store_len = 7;
        next = ORACLE_CODE + g->p->len + store_len;
        gen_begin(g);
        gen_byte(g, 0xC6);
        gen_byte(g, 0x05);
        gen_imm(g, next, 4);
        gen_byte(g, (uint8_t)((gen_chance(g, 2) ? 0x40 : 0x48) + gen_wreg(g)));
        g->p->glued[g->p->n_insns - 1] = 1;
        gen_begin(g);
        gen_byte(g, (uint8_t)((gen_chance(g, 2) ? 0x40 : 0x48) + r));
        gen_end(g, F_ALL & ~F_CF, 0);
        break;
    }
}

/* The last group may end the sequence with a #DE or #UD on purpose: the
 * native side reports SIGFPE/SIGILL with the registers at the fault,
 * ringzero delivers the exception; both must agree on the vector, the
 * faulting EIP and the state. */
void gen_group_fault(struct gen *g)
{
    static const unsigned wide[] = {R_ECX, R_EBX, R_ESI, R_EDI};
    unsigned size = gen_size(g), d = size == 1 ? R_ECX : wide[gen_rnd(g, 4)];
    uint8_t opc;
    struct opnd o;

    switch (gen_rnd(g, 4)) {
    case 0: { /* divide by zero, register or memory divisor, or AAM 0 */
        bool mem = gen_chance(g, 2);
        if (gen_chance(g, 8)) {
            gen_begin(g);
            gen_byte(g, 0xD4);
            gen_byte(g, 0x00);
            break;
        }
        o = mem ? gen_mem(g, size) : gen_reg_opnd(d);
        gen_begin(g);
        opc = gen_wop(0xC6, size); /* mov E, 0 */
        gen_emit_rm(g, size, false, &opc, 1, 0, &o);
        gen_imm(g, 0, size);
        gen_begin(g);
        opc = gen_wop(0xF6, size);
        gen_emit_rm(g, size, false, &opc, 1, gen_chance(g, 2) ? 6 : 7, &o);
        break;
    }
    case 1: /* DIV overflow: high half of the dividend >= divisor */
        o = gen_reg_opnd(d);
        gen_begin(g);
        opc = gen_wop(0xC6, size);
        gen_emit_rm(g, size, false, &opc, 1, 0, &o);
        gen_imm(g, 1 + gen_rnd(g, 0x7F), size);
        gen_begin(g);
        if (size == 1) {
            gen_byte(g, 0xB4); /* mov ah, imm8 >= 0x80 */
            gen_imm(g, 0x80 + gen_rnd(g, 0x80), 1);
        } else {
            gen_opsize(g, size);
            gen_byte(g, 0xBA); /* mov (e)dx, imm >= 0x80 */
            gen_imm(g, 0x80 + gen_rnd(g, 0x7F00), size);
        }
        gen_begin(g);
        opc = gen_wop(0xF6, size);
        gen_emit_rm(g, size, false, &opc, 1, 6, &o);
        break;
    case 2: { /* IDIV overflow: quotient beyond the signed range */
        o = gen_reg_opnd(d);
        gen_begin(g);
        opc = gen_wop(0xC6, size);
        gen_emit_rm(g, size, false, &opc, 1, 0, &o);
        gen_imm(g, gen_chance(g, 2) ? 1 : 0xFFFFFFFFu, size);
        gen_begin(g);
        if (size == 1) {
            /* AX in [-32768, -129] or [128, 32767]: |AX / +-1| > 127 */
            uint32_t ax = gen_rnd(g, 0x7F80) + (gen_chance(g, 2) ? 0x8000u : 0x80u);
            gen_byte(g, 0x66);
            gen_byte(g, 0xB8);
            gen_imm(g, ax, 2);
        } else {
            /* dividend = sign-extended minimum (or 2^(n-1)): / +-1 overflows */
            gen_opsize(g, size);
            gen_byte(g, 0xB8);
            gen_imm(g, 0x80000000u >> (size == 2 ? 16 : 0), size);
            gen_begin(g);
            gen_opsize(g, size);
            if (gen_chance(g, 2)) {
                gen_byte(g, 0x99); /* cwd/cdq: -2^(n-1) */
            } else {
                gen_byte(g, 0xBA); /* mov (e)dx, 0: +2^(n-1) */
                gen_imm(g, 0, size);
            }
        }
        gen_begin(g);
        opc = gen_wop(0xF6, size);
        gen_emit_rm(g, size, false, &opc, 1, 7, &o);
        break;
    }
    default: /* #UD forms */
        gen_begin(g);
        switch (gen_rnd(g, 7)) {
        case 0: /* UD2 */
            gen_byte(g, 0x0F);
            gen_byte(g, 0x0B);
            break;
        case 1: /* LOCK NOP */
            gen_byte(g, 0xF0);
            gen_byte(g, 0x90);
            break;
        case 2: /* LOCK with a register destination */
            gen_byte(g, 0xF0);
            gen_byte(g, (uint8_t)(gen_rnd(g, 7) * 8 + 1));
            gen_byte(g, (uint8_t)(0xC0 | gen_rnd(g, 64)));
            break;
        case 3: /* LOCK on a non-lockable memory instruction (MOV, CMP, BT) */
            o = gen_mem(g, 4);
            {
                static const uint8_t mov[] = {0x89}, cmp[] = {0x39}, bt[] = {0x0F, 0xA3};
                unsigned k = gen_rnd(g, 3);
                gen_emit_rm(g, 4, true, k == 0 ? mov : k == 1 ? cmp : bt, k == 2 ? 2 : 1,
                        gen_rnd(g, 8), &o);
            }
            break;
        case 4: /* LEA with a register operand */
            gen_byte(g, 0x8D);
            gen_byte(g, (uint8_t)(0xC0 | gen_rnd(g, 64)));
            break;
        case 5: /* CMPXCHG8B with a register operand */
            gen_byte(g, 0x0F);
            gen_byte(g, 0xC7);
            gen_byte(g, (uint8_t)(0xC8 | gen_rnd(g, 8)));
            break;
        default: /* BOUND with a register operand */
            gen_byte(g, 0x62);
            gen_byte(g, (uint8_t)(0xC0 | gen_rnd(g, 64)));
            break;
        }
        break;
    }
}

/* A memory operand through other base and index registers, loaded in the
 * group: [base + index*scale + disp] with any base (ESP too: its value is
 * known, no PUSH/POP can be skipped) or none. */
static void grp_sib(struct gen *g)
{
    unsigned size = gen_size(g), s = gen_rnd(g, 4), base, index, kind, r, op;
    uint32_t target = gen_data_addr(g, size), bval = 0, ival = 0, disp;
    struct opnd o;
    uint8_t opc[2];

    memset(&o, 0, sizeof o);
    o.mem = true;
    o.addr = target;
    base = gen_chance(g, 6) ? R_ESP : gen_chance(g, 6) ? 8 : gen_wreg(g);
    index = gen_chance(g, 4) ? 4 : gen_wreg(g);
    if (base == 8 && index == 4)
        index = gen_wreg(g);
    if (index != 4) {
        ival = (uint32_t)((int32_t)gen_rnd(g, 129) - 64);
        gen_begin(g);
        gen_byte(g, (uint8_t)(0xB8 + index));
        gen_imm(g, ival, 4);
    }
    if (base == R_ESP) {
        bval = ORACLE_ESP - (uint32_t)g->depth;
    } else if (base != 8) {
        bval = ORACLE_DATA + gen_rnd(g, ORACLE_DATA_SIZE);
        if (base != index) {
            gen_begin(g);
            gen_byte(g, (uint8_t)(0xB8 + base));
            gen_imm(g, bval, 4);
        } else {
            bval = ival;
        }
    }
    disp = target - bval - (index != 4 ? ival << s : 0);
    if (base == 8) {
        o.mod = 0;
        o.disp_size = 4;
    } else if (disp == 0 && gen_chance(g, 2)) {
        o.mod = 0;
    } else if ((int32_t)disp >= -128 && (int32_t)disp <= 127) {
        o.mod = 1;
        o.disp_size = 1;
    } else {
        o.mod = 2;
        o.disp_size = 4;
    }
    o.disp = disp;
    if (index == 4 && base != R_ESP && base != 8 && gen_chance(g, 2)) {
        o.rm = (uint8_t)base; /* no SIB byte */
    } else {
        o.rm = 4;
        o.has_sib = true;
        o.sib = (uint8_t)((s << 6) | (index << 3) | (base == 8 ? 5 : base));
    }

    r = gen_rnd(g, 8);
    kind = gen_rnd(g, 6);
    op = gen_rnd(g, 8);
    if ((kind == 2 || kind == 3) && (op == 2 || op == 3))
        gen_need_flags(g, F_CF);
    gen_begin(g);
    switch (kind) {
    case 0: /* load */
        opc[0] = gen_wop(0x8A, size);
        gen_emit_rm(g, size, false, opc, 1, gen_wreg_sz(g, size), &o);
        break;
    case 1: /* store */
        opc[0] = gen_wop(0x88, size);
        gen_emit_rm(g, size, false, opc, 1, r, &o);
        break;
    case 2: /* ALU E, G */
    case 3: { /* ALU G, E */
        bool logic = op == 1 || op == 4 || op == 6;
        opc[0] = gen_wop((uint8_t)(op * 8 + (kind == 3 ? 2 : 0)), size);
        gen_emit_rm(g, size, false, opc, 1, kind == 3 && op != 7 ? gen_wreg_sz(g, size) : r, &o);
        gen_end(g, logic ? (F_ALL & ~F_AF) : F_ALL, logic ? F_AF : 0);
        break;
    }
    case 4: /* INC/DEC */
        opc[0] = gen_wop(0xFE, size);
        gen_emit_rm(g, size, false, opc, 1, gen_rnd(g, 2), &o);
        gen_end(g, F_ALL & ~F_CF, 0);
        break;
    default: /* MOVZX/MOVSX r32, m8/m16 */
        opc[0] = 0x0F;
        opc[1] = (uint8_t)((gen_chance(g, 2) ? 0xB6 : 0xBE) + (size == 1 ? 0 : 1));
        gen_emit_rm(g, 4, false, opc, 2, gen_wreg(g), &o);
        break;
    }
}

typedef void gen_group_fn(struct gen *g);


/* Groups that may form a loop body: none moves ESP, branches by group
 * index or writes ESI/EDI implicitly. */
static gen_group_fn *const gen_loop_body[] = {
    grp_alu, grp_test, grp_unary, grp_mul, grp_div, grp_shift, grp_shxd, grp_bt, grp_bsx,
    grp_bswap, grp_setcc, grp_cmov, grp_mov, grp_lea, grp_xchg, grp_cmpxchg8b, grp_misc,
    grp_popf, grp_enter, grp_xlat, grp_nop, grp_smc, grp_sib,
};

/* A counted loop, the only backward branch: MOV ctr, n; L: CMP (flags
 * defined at every iteration's start); 1-3 body groups; DEC ctr; JNZ L.
 * The decoded code runs again, with any SMC store in it. */
static void grp_loop(struct gen *g)
{
    unsigned ctr = gen_chance(g, 2) ? R_ESI : R_EDI;
    unsigned n = 1 + gen_rnd(g, 6), nb = 1 + gen_rnd(g, 3), k;
    uint32_t head;
    int32_t rel;

    gen_begin(g);
    gen_byte(g, (uint8_t)(0xB8 + ctr));
    gen_imm(g, n, 4);
    head = g->p->len;
    gen_flag_fixer(g);
    g->reserved = ctr;
    for (k = 0; k < nb; k++)
        gen_loop_body[gen_rnd(g, sizeof gen_loop_body / sizeof gen_loop_body[0])](g);
    g->reserved = 8;
    gen_begin(g);
    gen_byte(g, (uint8_t)(0x48 + ctr)); /* dec ctr */
    gen_end(g, F_ALL & ~F_CF, 0);
    gen_begin(g);
    gen_byte(g, 0x75); /* jnz head */
    rel = (int32_t)head - (int32_t)(g->p->len + 1);
    if (rel < -128)
        g->overflow = true; /* regenerate: body too long for rel8 */
    gen_byte(g, (uint8_t)rel);
}

/* Capture flags mid-sequence without disturbing them: SETcc on a
 * condition whose flags are all defined (register or memory), or LAHF
 * (stored) when SF ZF AF PF CF are.  Most ALU results would otherwise be
 * overwritten before the end. */
static void grp_capture(struct gen *g)
{
    unsigned cc = 0, tries;
    struct opnd o;
    uint8_t opc[2];

    if (!(g->undef & (F_SZP | F_AF | F_CF)) && gen_chance(g, 3)) {
        gen_begin(g);
        gen_byte(g, 0x9F); /* lahf */
        gen_begin(g);
        o = gen_mem(g, 1);
        opc[0] = 0x88; /* mov [m], ah */
        gen_emit_rm(g, 1, false, opc, 1, 4, &o);
        return;
    }
    for (tries = 0; tries < 8; tries++) {
        cc = gen_rnd(g, 16);
        if (!(cc_reads(cc) & g->undef))
            break;
    }
    if (tries == 8)
        return;
    o = gen_rm(g, 1, true);
    opc[0] = 0x0F;
    opc[1] = (uint8_t)(0x90 + cc);
    gen_begin(g);
    gen_emit_rm(g, 1, false, opc, 2, 0, &o);
}

/* A near subroutine inside the group: [PUSH arg] [setup] CALL sub;
 * JMP over; sub: 1-2 body groups; RET / RET 4; over:.  The call is
 * direct (rel32), through a register or through memory; the jump over the
 * subroutine is short or through a register.  Code addresses are the same
 * on both sides, so loaded and pushed return addresses compare too. */
static void grp_call(struct gen *g)
{
    unsigned kind = gen_rnd(g, 3), r = gen_wreg(g), r2 = 8, nb = 1 + gen_rnd(g, 2), k;
    bool arg = gen_chance(g, 3);
    uint32_t patch_sub = 0, patch_over = 0, sub, over;
    struct opnd o;
    uint8_t opc;

    if (g->depth + 8 > GEN_STACK_SLACK || g->reserved != 8)
        return;
    if (arg) {
        gen_begin(g);
        gen_byte(g, 0x6A);
        gen_imm(g, gen_value(g), 1);
    }
    if (gen_chance(g, 3)) {
        /* only ESI/EDI can be reserved: body groups write EAX-EDX
         * implicitly (MUL, CBW, XLAT, byte registers...) */
        r2 = r == R_ESI ? R_EDI : r == R_EDI ? R_ESI : gen_chance(g, 2) ? R_ESI : R_EDI;
        gen_begin(g);
        gen_byte(g, (uint8_t)(0xB8 + r2)); /* mov r2, over */
        patch_over = g->p->len;
        gen_imm(g, 0, 4);
    }
    gen_begin(g);
    switch (kind) {
    case 0: /* call rel32: the subroutine starts after the 2-byte jump */
        gen_byte(g, 0xE8);
        gen_imm(g, 2, 4);
        break;
    case 1: /* mov r, sub; call r */
        gen_byte(g, (uint8_t)(0xB8 + r));
        patch_sub = g->p->len;
        gen_imm(g, 0, 4);
        gen_begin(g);
        gen_byte(g, 0xFF);
        gen_byte(g, (uint8_t)(0xD0 + r));
        break;
    default: /* mov dword [m], sub; call [m] */
        o = gen_mem(g, 4);
        opc = 0xC7;
        gen_emit_rm(g, 4, false, &opc, 1, 0, &o);
        patch_sub = g->p->len;
        gen_imm(g, 0, 4);
        gen_begin(g);
        o = gen_mem_at(g, o.addr);
        opc = 0xFF;
        gen_emit_rm(g, 4, false, &opc, 1, 2, &o);
        break;
    }
    gen_begin(g);
    if (r2 != 8) {
        gen_byte(g, 0xFF); /* jmp r2 */
        gen_byte(g, (uint8_t)(0xE0 + r2));
    } else {
        gen_byte(g, 0xEB); /* jmp short over (patched) */
        gen_byte(g, 0);
    }
    sub = ORACLE_CODE + g->p->len;
    g->depth += 4 + (arg ? 4 : 0);
    g->reserved = r2;
    for (k = 0; k < nb; k++)
        gen_loop_body[gen_rnd(g, sizeof gen_loop_body / sizeof gen_loop_body[0])](g);
    g->reserved = 8;
    g->depth -= 4 + (arg ? 4 : 0);
    gen_begin(g);
    if (arg || gen_chance(g, 4)) {
        gen_byte(g, 0xC2); /* ret imm16 */
        gen_imm(g, arg ? 4 : 0, 2);
    } else {
        gen_byte(g, 0xC3);
    }
    over = ORACLE_CODE + g->p->len;
    if (over - sub > 127)
        g->overflow = true; /* regenerate: the short jump cannot reach */
    if (r2 == 8)
        g->p->code[sub - ORACLE_CODE - 1] = (uint8_t)(over - sub);
    if (patch_sub)
        gen_put32(g->p->code + patch_sub, sub);
    if (patch_over)
        gen_put32(g->p->code + patch_over, over);
}

/* A short forward Jcc/JMP/LOOP/LOOPE/LOOPNE/JECXZ over 0-3 whole groups. */
static void grp_branch(struct gen *g)
{
    unsigned kind = gen_rnd(g, 8), target;
    uint8_t opc;
    if (kind < 3) {
        unsigned cc = gen_rnd(g, 16);
        gen_need_flags(g, cc_reads(cc));
        opc = (uint8_t)(0x70 + cc);
    } else if (kind == 3) {
        opc = 0xEB;
    } else if (kind == 4) {
        opc = 0xE2;
    } else if (kind == 5 || kind == 6) {
        gen_need_flags(g, F_ZF);
        opc = kind == 5 ? 0xE1 : 0xE0;
    } else {
        opc = 0xE3;
    }
    gen_begin(g);
    g->p->is_branch[g->p->n_insns - 1] = 1;
    gen_byte(g, opc);
    target = g->group + 1 + gen_rnd(g, 4);
    if (target > g->n_groups)
        target = g->n_groups;
    if (g->n_patches < GEN_MAX_PATCHES) {
        g->patch[g->n_patches].pos = g->p->len;
        g->patch[g->n_patches].target = target;
        g->n_patches++;
    } else {
        g->overflow = true;
    }
    gen_byte(g, 0);
    g->pending[target] |= g->undef;
    if (target > g->open_until)
        g->open_until = target;
}


struct gen_kind {
    gen_group_fn *fn;
    unsigned weight;
};

static const struct gen_kind gen_kinds[] = {
    {grp_alu, 14},   {grp_test, 3},  {grp_unary, 5}, {grp_mul, 4},         {grp_div, 4},
    {grp_shift, 10}, {grp_shxd, 4},  {grp_bt, 5},    {grp_bsx, 3},         {grp_bswap, 1},
    {grp_setcc, 3},  {grp_cmov, 3},  {grp_mov, 6},   {grp_lea, 3},         {grp_xchg, 4},
    {grp_cmpxchg8b, 1}, {grp_misc, 8}, {grp_stack, 5}, {grp_string, 4}, {grp_branch, 5},
    {grp_popf, 1},   {grp_enter, 1}, {grp_pusha, 1}, {grp_xlat, 1},        {grp_nop, 1},
    {grp_smc, 2},    {grp_sib, 6},   {grp_loop, 3},  {grp_capture, 8},     {grp_call, 3},
};

void gen_group(struct gen *g)
{
    unsigned total = 0, k, pick;
    for (k = 0; k < sizeof gen_kinds / sizeof gen_kinds[0]; k++)
        total += gen_kinds[k].weight;
    for (;;) {
        pick = gen_rnd(g, total);
        for (k = 0; pick >= gen_kinds[k].weight; k++)
            pick -= gen_kinds[k].weight;
        /* No PUSH/POP where a branch may skip it: the depth would depend
         * on the path taken. */
        if (gen_kinds[k].fn == grp_stack && g->group < g->open_until)
            continue;
        gen_kinds[k].fn(g);
        return;
    }
}

