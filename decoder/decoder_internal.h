/*
 * decoder_internal.h - the opcode map shared by decode.c, opmap.c and
 * disasm.c.  Not for use outside decoder/.
 */
#ifndef DECODER_DECODER_INTERNAL_H
#define DECODER_DECODER_INTERNAL_H

#include <stdint.h>

#include "decoder/decoder.h"

/* dec_ent.attr: how the decoder treats an opcode-map entry. */
enum {
    DEC_A_MODRM   = 1u << 0, /* a ModRM byte follows the opcode */
    DEC_A_GROUP   = 1u << 1, /* the form comes from dec_groups[grp][ModRM.reg]
                                (in the x87 register table: from
                                dec_x87_rm[grp][ModRM.rm]) */
    DEC_A_MEMONLY = 1u << 2, /* register form (mod == 3) is #UD */
    DEC_A_REGONLY = 1u << 3, /* memory form (mod != 3) is #UD */
    DEC_A_MODREG  = 1u << 4, /* mod is ignored: always the register form
                                (MOV CRn/DRn, SDM vol. 2 "MOV-Move to/from
                                Control Registers") */
    DEC_A_ASIZE   = 1u << 5, /* op16/op32 selected by address size (JCXZ) */
    DEC_A_X87     = 1u << 6, /* x87 escape D8-DF; grp = escape number */
    DEC_A_CHECK   = 1u << 7  /* extra ModRM.reg validity check (MOV Sreg,
                                MOV CRn) */
};

/* One opcode-map entry: the form for 16- and 32-bit operand size. */
struct dec_ent {
    uint16_t op16;
    uint16_t op32;
    uint8_t attr;
    uint8_t grp;
};

/* ModRM.reg groups (SDM vol. 2, table A-6). */
enum {
    DEC_GRP_NONE = 0,
    DEC_G1_EB, DEC_G1_EV, DEC_G1_EVIB, DEC_G1A,
    DEC_G2_EBIB, DEC_G2_EVIB, DEC_G2_EB1, DEC_G2_EV1, DEC_G2_EBCL, DEC_G2_EVCL,
    DEC_G3_EB, DEC_G3_EV, DEC_G4, DEC_G5, DEC_G11_EB, DEC_G11_EV,
    DEC_G6, DEC_G7, DEC_G8, DEC_G9, DEC_G12, DEC_G13, DEC_G14, DEC_G15,
    DEC_GRP_COUNT
};

/* x87 register-form rows decoded by ModRM.rm (index into dec_x87_rm). */
enum {
    DEC_X87RM_D9_2 = 0, DEC_X87RM_D9_4, DEC_X87RM_D9_5, DEC_X87RM_D9_6,
    DEC_X87RM_D9_7, DEC_X87RM_DA_5, DEC_X87RM_DB_4, DEC_X87RM_DE_3,
    DEC_X87RM_DF_4, DEC_X87RM_COUNT
};

extern const struct dec_ent dec_map1[256];   /* one-byte opcodes */
extern const struct dec_ent dec_map0f[256];  /* 0F xx */
extern const struct dec_ent dec_groups[DEC_GRP_COUNT][8];
extern const uint16_t dec_x87_mem[8][8];      /* [escape][reg], mod != 3 */
extern const struct dec_ent dec_x87_reg[8][8]; /* [escape][reg], mod == 3 */
extern const uint16_t dec_x87_rm[DEC_X87RM_COUNT][8];

#endif
