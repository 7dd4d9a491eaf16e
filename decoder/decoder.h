/*
 * decoder.h - pure IA-32 instruction decoder (8086 .. Pentium II).
 *
 * Bytes + available length + mode in, a compact decoded record and a status
 * out.  No CPU state, no allocation, no globals: every table is const.
 *
 * The instruction forms are listed once, in decoder/opcodes.def (an X-macro
 * table).  That file generates the enum below, the CPU's handler table and
 * the disassembler's mnemonics.  Forms are operand-size specific (ADD_EwGw
 * and ADD_EdGd are different forms): the decoder resolves the operand size,
 * so an execution handler never has to look at it.
 */
#ifndef DECODER_DECODER_H
#define DECODER_DECODER_H

#include <stddef.h>
#include <stdint.h>

/* Operand kinds used in opcodes.def (for the disassembler and for the
 * decoder's immediate/ModRM parsing).  Naming follows the SDM appendix A
 * conventions, with the size resolved: b = byte, w = word, d = dword,
 * q = qword, p = far pointer (16:16 or 16:32), s = pseudo-descriptor. */
enum dec_operand {
    DEC_OPND_NONE = 0,
    /* ModRM r/m operand (register or memory) of the given size */
    DEC_OPND_Eb, DEC_OPND_Ew, DEC_OPND_Ed,
    /* ModRM reg field: general register of the given size */
    DEC_OPND_Gb, DEC_OPND_Gw, DEC_OPND_Gd,
    /* ModRM reg field: segment, control, debug, test register */
    DEC_OPND_Sw, DEC_OPND_Cd, DEC_OPND_Dd, DEC_OPND_Td,
    /* ModRM r/m that must be a register (mod == 3) */
    DEC_OPND_Rw, DEC_OPND_Rd,
    /* ModRM r/m that must be memory (mod != 3); size in the name */
    DEC_OPND_M,   /* memory, size irrelevant (LEA, INVLPG, prefetch-like) */
    DEC_OPND_Mb, DEC_OPND_Mw, DEC_OPND_Md, DEC_OPND_Mq, DEC_OPND_Mt,
    DEC_OPND_Mp16, DEC_OPND_Mp32, /* far pointer m16:16 / m16:32 */
    DEC_OPND_Ms,   /* pseudo-descriptor for LGDT & co */
    DEC_OPND_Mwd,  /* BOUND m16&16 */
    DEC_OPND_Mdd,  /* BOUND m32&32 */
    DEC_OPND_Menv, /* x87 environment / state image */
    /* immediates */
    DEC_OPND_Ib,   /* imm8 */
    DEC_OPND_Ibw,  /* imm8 sign-extended to 16 */
    DEC_OPND_Ibd,  /* imm8 sign-extended to 32 */
    DEC_OPND_Iw, DEC_OPND_Id,
    DEC_OPND_I1,   /* the constant 1 (shift forms D0/D1) */
    DEC_OPND_Iw2,  /* second immediate: ENTER's imm8 level (in imm2) */
    /* relative branch targets */
    DEC_OPND_Jb, DEC_OPND_Jw, DEC_OPND_Jd,
    /* direct far pointer ptr16:16 / ptr16:32 (offset in imm, selector in imm2) */
    DEC_OPND_Ap16, DEC_OPND_Ap32,
    /* moffs: absolute offset (in disp), segment in seg */
    DEC_OPND_Ob, DEC_OPND_Ow, DEC_OPND_Od,
    /* register encoded in the low 3 opcode bits (in reg) */
    DEC_OPND_Zb, DEC_OPND_Zw, DEC_OPND_Zd,
    /* fixed registers */
    DEC_OPND_AL, DEC_OPND_AX, DEC_OPND_EAX, DEC_OPND_CL, DEC_OPND_DX,
    DEC_OPND_ES, DEC_OPND_CS, DEC_OPND_SS, DEC_OPND_DS, DEC_OPND_FS,
    DEC_OPND_GS,
    /* string operands: source seg:[(e)si], destination es:[(e)di] */
    DEC_OPND_Xb, DEC_OPND_Xw, DEC_OPND_Xd,
    DEC_OPND_Yb, DEC_OPND_Yw, DEC_OPND_Yd,
    /* x87 */
    DEC_OPND_ST0, DEC_OPND_STi, /* STi: ST(rm) */
    /* MMX: P = mm in reg field, Q = mm or m64 in r/m, N = mm in r/m */
    DEC_OPND_Pq, DEC_OPND_Qq, DEC_OPND_Nq, DEC_OPND_Qd,
    DEC_OPND_COUNT
};

/* Per-form flags (the FLAGS column of opcodes.def). */
enum {
    DEC_DF_MODRM    = 1u << 0,  /* has a ModRM byte */
    DEC_DF_LOCK     = 1u << 1,  /* LOCK allowed (only with a memory operand) */
    DEC_DF_BRANCH   = 1u << 2,  /* may transfer control: ends a trace */
    DEC_DF_ENDTRACE = 1u << 3,  /* changes mode, CR0, interrupt state...: ends a trace */
    DEC_DF_STRING   = 1u << 4,  /* string instruction: REP/REPE/REPNE apply */
    DEC_DF_X87      = 1u << 5,  /* x87 escape */
    DEC_DF_MMX      = 1u << 6,  /* MMX instruction */
    DEC_DF_PRIV     = 1u << 7,  /* privileged (CPL 0 only in protected mode) */
    DEC_DF_P6       = 1u << 8,  /* first appeared in the P6 family (CMOV, ...) */
    DEC_DF_P5       = 1u << 9,  /* first appeared in the Pentium (CPUID, ...) */
    DEC_DF_I486     = 1u << 10, /* first appeared in the i486 (BSWAP, ...) */
    DEC_DF_I386     = 1u << 11, /* first appeared in the i386 */
    DEC_DF_INVALID  = 1u << 12  /* the #UD form */
};

/* One X-macro row per form:
 *   DEC_OP(ID, "mnemonic", OPERAND1, OPERAND2, OPERAND3, FLAGS, HANDLER)
 * OPERANDn are dec_operand suffixes (NONE, Eb, Gb, ...); FLAGS is an
 * expression of DEC_DF_* constants (or 0); HANDLER names the CPU handler
 * function cpu_h_<HANDLER> (usually HANDLER == ID; several forms may share
 * one handler). */
enum dec_op {
#define DEC_OP(id, mnem, o1, o2, o3, flags, handler) DEC_##id,
#include "decoder/opcodes.def"
#undef DEC_OP
    DEC_OP_COUNT
};

enum dec_mode {
    DEC_MODE_16 = 0, /* 16-bit default operand and address size (CS.D = 0) */
    DEC_MODE_32 = 1  /* 32-bit default operand and address size (CS.D = 1) */
};

enum dec_status {
    DEC_OK = 0,       /* a complete, valid instruction */
    DEC_TRUNCATED,    /* the available bytes end before the instruction does
                         (and fewer than 15 were available): fetch more */
    DEC_TOO_LONG,     /* more than 15 bytes: #GP(0) */
    DEC_INVALID       /* #UD: undefined opcode, register form of a
                         memory-only operand (or vice versa), or LOCK where
                         it is not allowed; op = DEC_INVALID_OP, len covers
                         the bytes consumed so far */
};

/* Segment numbers as encoded in instructions (SDM vol. 2, 3.1.1.3). */
enum { DEC_SEG_ES = 0, DEC_SEG_CS, DEC_SEG_SS, DEC_SEG_DS, DEC_SEG_FS, DEC_SEG_GS };

/* "No register" in base/index; the CPU keeps an always-zero register in
 * slot 8 so effective-address computation needs no branch. */
#define DEC_REG_NONE 8

/* dec_insn.flags */
enum {
    DEC_F_O32    = 1u << 0, /* operand size is 32 bits */
    DEC_F_A32    = 1u << 1, /* address size is 32 bits */
    DEC_F_MEM    = 1u << 2, /* the ModRM r/m operand is memory */
    DEC_F_LOCK   = 1u << 3, /* LOCK prefix present */
    DEC_F_REP    = 1u << 4, /* F3 (REP/REPE) was the last repeat prefix */
    DEC_F_REPNE  = 1u << 5, /* F2 (REPNE) was the last repeat prefix */
    DEC_F_SEGOVR = 1u << 6  /* a segment override prefix was present */
};

/* A decoded instruction: 20 bytes, embedded in the CPU's decoded cache. */
struct dec_insn {
    uint32_t disp;   /* displacement, sign-extended to 32 bits; moffs offset */
    uint32_t imm;    /* first immediate, extended as the operand kind says
                        (Ibw/Ibd sign-extended; Ib/Iw zero-extended); far
                        pointer offset; relative branch displacement
                        sign-extended */
    uint16_t imm2;   /* ENTER nesting level; far pointer selector */
    uint16_t op;     /* enum dec_op */
    uint8_t len;     /* total length in bytes, prefixes included (1..15) */
    uint8_t flags;   /* DEC_F_* */
    uint8_t seg;     /* effective segment of the memory/string-source
                        operand: the override, else DS, or SS for
                        BP/EBP/ESP-based addressing */
    uint8_t reg;     /* ModRM.reg, or the register in the opcode's low bits */
    uint8_t rm;      /* ModRM.rm (register number when !DEC_F_MEM) */
    uint8_t base;    /* base register 0..7 or DEC_REG_NONE */
    uint8_t index;   /* index register 0..7 or DEC_REG_NONE */
    uint8_t scale;   /* index shift count 0..3 */
};

/* Operand kinds and flags of a form, from opcodes.def. */
struct dec_form_info {
    const char *mnemonic;
    uint8_t operand[3]; /* enum dec_operand */
    uint16_t flags;     /* DEC_DF_* */
};

/**
 * Decode one instruction.
 * @param bytes  the instruction bytes starting at EIP
 * @param avail  how many bytes are readable (the decoder never reads more,
 *               and never more than 15)
 * @param mode   default operand/address size of the code segment
 * @param out    filled on every status; on DEC_INVALID out->op is
 *               DEC_INVALID_OP and out->len the bytes consumed
 * @return DEC_OK, DEC_TRUNCATED, DEC_TOO_LONG or DEC_INVALID
 */
enum dec_status dec_decode(const uint8_t *bytes, size_t avail, enum dec_mode mode,
                           struct dec_insn *out);

/** Static description (mnemonic, operand kinds, flags) of a form. */
const struct dec_form_info *dec_form(enum dec_op op);

/**
 * Disassemble a decoded instruction in Intel syntax ("add word [bx+si+0x4], ax").
 * @param eip  address of the instruction (relative branch targets are shown
 *             as absolute addresses)
 * @return the length the full text would have (like snprintf)
 */
int dec_disasm(const struct dec_insn *insn, uint32_t eip, enum dec_mode mode, char *buf,
               size_t bufsize);

#endif
