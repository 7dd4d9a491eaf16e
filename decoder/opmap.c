/*
 * opmap.c - the Pentium II opcode map: which bytes select which form.
 *
 * Sources: Intel SDM vol. 2, appendix A (opcode map) and the P6 family
 * notes; entries not listed are zero, i.e. DEC_INVALID_OP without ModRM.
 * SSE/SSE2/3DNow! encodings stay #UD (a Pentium II has none of them); a
 * few are listed as "UDM" so that the "(bad)" length covers their ModRM.
 */
#include "decoder/decoder_internal.h"

#define OP(a)       {DEC_##a, DEC_##a, 0, 0}
#define OPV(w, d)   {DEC_##w, DEC_##d, 0, 0}
#define OPM(a)      {DEC_##a, DEC_##a, DEC_A_MODRM, 0}
#define OPVM(w, d)  {DEC_##w, DEC_##d, DEC_A_MODRM, 0}
#define OPVA(w, d, a) {DEC_##w, DEC_##d, DEC_A_MODRM | (a), 0}
#define GRP(g)      {DEC_INVALID_OP, DEC_INVALID_OP, DEC_A_MODRM | DEC_A_GROUP, DEC_##g}
#define UDM         {DEC_INVALID_OP, DEC_INVALID_OP, DEC_A_MODRM, 0}
#define X87(n)      {DEC_INVALID_OP, DEC_INVALID_OP, DEC_A_MODRM | DEC_A_X87, n}

/* The six ALU encodings at base+0..5 (ADD OR ADC SBB AND SUB XOR CMP). */
#define ALU(base, N)                                                                 \
    [(base) + 0] = OPM(N##_EbGb), [(base) + 1] = OPVM(N##_EwGw, N##_EdGd),         \
    [(base) + 2] = OPM(N##_GbEb), [(base) + 3] = OPVM(N##_GwEw, N##_GdEd),         \
    [(base) + 4] = OP(N##_ALIb), [(base) + 5] = OPV(N##_AXIw, N##_EAXId)
/* Eight consecutive opcodes with the register in the low three bits. */
#define REG8(base, w, d)                                                             \
    [(base) + 0] = OPV(w, d), [(base) + 1] = OPV(w, d), [(base) + 2] = OPV(w, d),   \
    [(base) + 3] = OPV(w, d), [(base) + 4] = OPV(w, d), [(base) + 5] = OPV(w, d),   \
    [(base) + 6] = OPV(w, d), [(base) + 7] = OPV(w, d)

const struct dec_ent dec_map1[256] = {
    ALU(0x00, ADD), ALU(0x08, OR), ALU(0x10, ADC), ALU(0x18, SBB),
    ALU(0x20, AND), ALU(0x28, SUB), ALU(0x30, XOR), ALU(0x38, CMP),
    [0x06] = OPV(PUSH_ES_O16, PUSH_ES_O32), [0x07] = OPV(POP_ES_O16, POP_ES_O32),
    [0x0E] = OPV(PUSH_CS_O16, PUSH_CS_O32),
    [0x16] = OPV(PUSH_SS_O16, PUSH_SS_O32), [0x17] = OPV(POP_SS_O16, POP_SS_O32),
    [0x1E] = OPV(PUSH_DS_O16, PUSH_DS_O32), [0x1F] = OPV(POP_DS_O16, POP_DS_O32),
    [0x27] = OP(DAA), [0x2F] = OP(DAS), [0x37] = OP(AAA), [0x3F] = OP(AAS),
    REG8(0x40, INC_Zw, INC_Zd), REG8(0x48, DEC_Zw, DEC_Zd),
    REG8(0x50, PUSH_Zw, PUSH_Zd), REG8(0x58, POP_Zw, POP_Zd),
    [0x60] = OPV(PUSHA_O16, PUSHA_O32), [0x61] = OPV(POPA_O16, POPA_O32),
    [0x62] = OPVA(BOUND_GwMwd, BOUND_GdMdd, DEC_A_MEMONLY),
    [0x63] = OPM(ARPL_EwGw),
    [0x68] = OPV(PUSH_Iw, PUSH_Id), [0x69] = OPVM(IMUL_GwEwIw, IMUL_GdEdId),
    [0x6A] = OPV(PUSH_Ibw, PUSH_Ibd), [0x6B] = OPVM(IMUL_GwEwIbw, IMUL_GdEdIbd),
    [0x6C] = OP(INSB), [0x6D] = OPV(INSW, INSD),
    [0x6E] = OP(OUTSB), [0x6F] = OPV(OUTSW, OUTSD),
    [0x70] = OP(JO_Jb), [0x71] = OP(JNO_Jb), [0x72] = OP(JB_Jb), [0x73] = OP(JAE_Jb),
    [0x74] = OP(JE_Jb), [0x75] = OP(JNE_Jb), [0x76] = OP(JBE_Jb), [0x77] = OP(JA_Jb),
    [0x78] = OP(JS_Jb), [0x79] = OP(JNS_Jb), [0x7A] = OP(JP_Jb), [0x7B] = OP(JNP_Jb),
    [0x7C] = OP(JL_Jb), [0x7D] = OP(JGE_Jb), [0x7E] = OP(JLE_Jb), [0x7F] = OP(JG_Jb),
    /* 82 is an alias of 80 outside 64-bit mode (SDM vol. 2, table A-2) */
    [0x80] = GRP(G1_EB), [0x81] = GRP(G1_EV), [0x82] = GRP(G1_EB), [0x83] = GRP(G1_EVIB),
    [0x84] = OPM(TEST_EbGb), [0x85] = OPVM(TEST_EwGw, TEST_EdGd),
    [0x86] = OPM(XCHG_EbGb), [0x87] = OPVM(XCHG_EwGw, XCHG_EdGd),
    [0x88] = OPM(MOV_EbGb), [0x89] = OPVM(MOV_EwGw, MOV_EdGd),
    [0x8A] = OPM(MOV_GbEb), [0x8B] = OPVM(MOV_GwEw, MOV_GdEd),
    [0x8C] = OPVA(MOV_EwSw, MOV_EdSw, DEC_A_CHECK),
    [0x8D] = OPVA(LEA_GwM, LEA_GdM, DEC_A_MEMONLY),
    [0x8E] = OPVA(MOV_SwEw, MOV_SwEw, DEC_A_CHECK),
    [0x8F] = GRP(G1A),
    [0x90] = OP(NOP),
    [0x91] = OPV(XCHG_ZwAX, XCHG_ZdEAX), [0x92] = OPV(XCHG_ZwAX, XCHG_ZdEAX),
    [0x93] = OPV(XCHG_ZwAX, XCHG_ZdEAX), [0x94] = OPV(XCHG_ZwAX, XCHG_ZdEAX),
    [0x95] = OPV(XCHG_ZwAX, XCHG_ZdEAX), [0x96] = OPV(XCHG_ZwAX, XCHG_ZdEAX),
    [0x97] = OPV(XCHG_ZwAX, XCHG_ZdEAX),
    [0x98] = OPV(CBW, CWDE), [0x99] = OPV(CWD, CDQ),
    [0x9A] = OPV(CALLF_Ap16, CALLF_Ap32), [0x9B] = OP(WAIT),
    [0x9C] = OPV(PUSHF_O16, PUSHF_O32), [0x9D] = OPV(POPF_O16, POPF_O32),
    [0x9E] = OP(SAHF), [0x9F] = OP(LAHF),
    [0xA0] = OP(MOV_ALOb), [0xA1] = OPV(MOV_AXOw, MOV_EAXOd),
    [0xA2] = OP(MOV_ObAL), [0xA3] = OPV(MOV_OwAX, MOV_OdEAX),
    [0xA4] = OP(MOVSB), [0xA5] = OPV(MOVSW, MOVSD),
    [0xA6] = OP(CMPSB), [0xA7] = OPV(CMPSW, CMPSD),
    [0xA8] = OP(TEST_ALIb), [0xA9] = OPV(TEST_AXIw, TEST_EAXId),
    [0xAA] = OP(STOSB), [0xAB] = OPV(STOSW, STOSD),
    [0xAC] = OP(LODSB), [0xAD] = OPV(LODSW, LODSD),
    [0xAE] = OP(SCASB), [0xAF] = OPV(SCASW, SCASD),
    REG8(0xB0, MOV_ZbIb, MOV_ZbIb), REG8(0xB8, MOV_ZwIw, MOV_ZdId),
    [0xC0] = GRP(G2_EBIB), [0xC1] = GRP(G2_EVIB),
    [0xC2] = OPV(RET_Iw_O16, RET_Iw_O32), [0xC3] = OPV(RET_O16, RET_O32),
    [0xC4] = OPVA(LES_GwMp16, LES_GdMp32, DEC_A_MEMONLY),
    [0xC5] = OPVA(LDS_GwMp16, LDS_GdMp32, DEC_A_MEMONLY),
    [0xC6] = GRP(G11_EB), [0xC7] = GRP(G11_EV),
    [0xC8] = OPV(ENTER_O16, ENTER_O32), [0xC9] = OPV(LEAVE_O16, LEAVE_O32),
    [0xCA] = OPV(RETF_Iw_O16, RETF_Iw_O32), [0xCB] = OPV(RETF_O16, RETF_O32),
    [0xCC] = OP(INT3), [0xCD] = OP(INT_Ib), [0xCE] = OP(INTO),
    [0xCF] = OPV(IRET_O16, IRET_O32),
    [0xD0] = GRP(G2_EB1), [0xD1] = GRP(G2_EV1), [0xD2] = GRP(G2_EBCL), [0xD3] = GRP(G2_EVCL),
    [0xD4] = OP(AAM_Ib), [0xD5] = OP(AAD_Ib), [0xD6] = OP(SALC), [0xD7] = OP(XLAT),
    [0xD8] = X87(0), [0xD9] = X87(1), [0xDA] = X87(2), [0xDB] = X87(3),
    [0xDC] = X87(4), [0xDD] = X87(5), [0xDE] = X87(6), [0xDF] = X87(7),
    [0xE0] = OP(LOOPNE_Jb), [0xE1] = OP(LOOPE_Jb), [0xE2] = OP(LOOP_Jb),
    [0xE3] = {DEC_JCXZ_Jb, DEC_JECXZ_Jb, DEC_A_ASIZE, 0},
    [0xE4] = OP(IN_ALIb), [0xE5] = OPV(IN_AXIb, IN_EAXIb),
    [0xE6] = OP(OUT_IbAL), [0xE7] = OPV(OUT_IbAX, OUT_IbEAX),
    [0xE8] = OPV(CALL_Jw, CALL_Jd), [0xE9] = OPV(JMP_Jw, JMP_Jd),
    [0xEA] = OPV(JMPF_Ap16, JMPF_Ap32), [0xEB] = OP(JMP_Jb),
    [0xEC] = OP(IN_ALDX), [0xED] = OPV(IN_AXDX, IN_EAXDX),
    [0xEE] = OP(OUT_DXAL), [0xEF] = OPV(OUT_DXAX, OUT_DXEAX),
    [0xF1] = OP(INT1), [0xF4] = OP(HLT), [0xF5] = OP(CMC),
    [0xF6] = GRP(G3_EB), [0xF7] = GRP(G3_EV),
    [0xF8] = OP(CLC), [0xF9] = OP(STC), [0xFA] = OP(CLI), [0xFB] = OP(STI),
    [0xFC] = OP(CLD), [0xFD] = OP(STD),
    [0xFE] = GRP(G4), [0xFF] = GRP(G5),
};

#define MMX(opc, N) [opc] = OPM(N##_PqQq)

const struct dec_ent dec_map0f[256] = {
    [0x00] = GRP(G6), [0x01] = GRP(G7),
    [0x02] = OPVM(LAR_GwEw, LAR_GdEw), [0x03] = OPVM(LSL_GwEw, LSL_GdEw),
    [0x06] = OP(CLTS), [0x08] = OP(INVD), [0x09] = OP(WBINVD), [0x0B] = OP(UD2),
    [0x0D] = UDM, /* 3DNow! prefetch */
    [0x0F] = UDM, /* 3DNow! (its opcode byte follows the ModRM) */
    [0x10] = UDM, [0x11] = UDM, [0x12] = UDM, [0x13] = UDM,
    [0x14] = UDM, [0x15] = UDM, [0x16] = UDM, [0x17] = UDM,
    /* 0F 18-1F: reserved hint NOPs on the P6 family */
    [0x18] = OPVM(NOP_Ew, NOP_Ed), [0x19] = OPVM(NOP_Ew, NOP_Ed),
    [0x1A] = OPVM(NOP_Ew, NOP_Ed), [0x1B] = OPVM(NOP_Ew, NOP_Ed),
    [0x1C] = OPVM(NOP_Ew, NOP_Ed), [0x1D] = OPVM(NOP_Ew, NOP_Ed),
    [0x1E] = OPVM(NOP_Ew, NOP_Ed), [0x1F] = OPVM(NOP_Ew, NOP_Ed),
    [0x20] = {DEC_MOV_RdCd, DEC_MOV_RdCd, DEC_A_MODRM | DEC_A_MODREG | DEC_A_CHECK, 0},
    [0x21] = {DEC_MOV_RdDd, DEC_MOV_RdDd, DEC_A_MODRM | DEC_A_MODREG, 0},
    [0x22] = {DEC_MOV_CdRd, DEC_MOV_CdRd, DEC_A_MODRM | DEC_A_MODREG | DEC_A_CHECK, 0},
    [0x23] = {DEC_MOV_DdRd, DEC_MOV_DdRd, DEC_A_MODRM | DEC_A_MODREG, 0},
    /* 0F 24/26: test registers existed on the i386/i486 only */
    [0x24] = {DEC_INVALID_OP, DEC_INVALID_OP, DEC_A_MODRM | DEC_A_MODREG, 0},
    [0x26] = {DEC_INVALID_OP, DEC_INVALID_OP, DEC_A_MODRM | DEC_A_MODREG, 0},
    [0x28] = UDM, [0x29] = UDM, [0x2A] = UDM, [0x2B] = UDM,
    [0x2C] = UDM, [0x2D] = UDM, [0x2E] = UDM, [0x2F] = UDM,
    [0x30] = OP(WRMSR), [0x31] = OP(RDTSC), [0x32] = OP(RDMSR), [0x33] = OP(RDPMC),
    [0x34] = OP(SYSENTER), [0x35] = OP(SYSEXIT),
    [0x40] = OPVM(CMOVO_GwEw, CMOVO_GdEd), [0x41] = OPVM(CMOVNO_GwEw, CMOVNO_GdEd),
    [0x42] = OPVM(CMOVB_GwEw, CMOVB_GdEd), [0x43] = OPVM(CMOVAE_GwEw, CMOVAE_GdEd),
    [0x44] = OPVM(CMOVE_GwEw, CMOVE_GdEd), [0x45] = OPVM(CMOVNE_GwEw, CMOVNE_GdEd),
    [0x46] = OPVM(CMOVBE_GwEw, CMOVBE_GdEd), [0x47] = OPVM(CMOVA_GwEw, CMOVA_GdEd),
    [0x48] = OPVM(CMOVS_GwEw, CMOVS_GdEd), [0x49] = OPVM(CMOVNS_GwEw, CMOVNS_GdEd),
    [0x4A] = OPVM(CMOVP_GwEw, CMOVP_GdEd), [0x4B] = OPVM(CMOVNP_GwEw, CMOVNP_GdEd),
    [0x4C] = OPVM(CMOVL_GwEw, CMOVL_GdEd), [0x4D] = OPVM(CMOVGE_GwEw, CMOVGE_GdEd),
    [0x4E] = OPVM(CMOVLE_GwEw, CMOVLE_GdEd), [0x4F] = OPVM(CMOVG_GwEw, CMOVG_GdEd),
    [0x50] = UDM, [0x51] = UDM, [0x52] = UDM, [0x53] = UDM,
    [0x54] = UDM, [0x55] = UDM, [0x56] = UDM, [0x57] = UDM,
    [0x58] = UDM, [0x59] = UDM, [0x5A] = UDM, [0x5B] = UDM,
    [0x5C] = UDM, [0x5D] = UDM, [0x5E] = UDM, [0x5F] = UDM,
    MMX(0x60, PUNPCKLBW), MMX(0x61, PUNPCKLWD), MMX(0x62, PUNPCKLDQ),
    MMX(0x63, PACKSSWB), MMX(0x64, PCMPGTB), MMX(0x65, PCMPGTW),
    MMX(0x66, PCMPGTD), MMX(0x67, PACKUSWB), MMX(0x68, PUNPCKHBW),
    MMX(0x69, PUNPCKHWD), MMX(0x6A, PUNPCKHDQ), MMX(0x6B, PACKSSDW),
    [0x6C] = UDM, [0x6D] = UDM,
    [0x6E] = OPM(MOVD_PqEd), [0x6F] = OPM(MOVQ_PqQq),
    [0x70] = UDM,
    [0x71] = GRP(G12), [0x72] = GRP(G13), [0x73] = GRP(G14),
    MMX(0x74, PCMPEQB), MMX(0x75, PCMPEQW), MMX(0x76, PCMPEQD),
    [0x77] = OP(EMMS),
    [0x7E] = OPM(MOVD_EdPq), [0x7F] = OPM(MOVQ_QqPq),
    [0x80] = OPV(JO_Jw, JO_Jd), [0x81] = OPV(JNO_Jw, JNO_Jd),
    [0x82] = OPV(JB_Jw, JB_Jd), [0x83] = OPV(JAE_Jw, JAE_Jd),
    [0x84] = OPV(JE_Jw, JE_Jd), [0x85] = OPV(JNE_Jw, JNE_Jd),
    [0x86] = OPV(JBE_Jw, JBE_Jd), [0x87] = OPV(JA_Jw, JA_Jd),
    [0x88] = OPV(JS_Jw, JS_Jd), [0x89] = OPV(JNS_Jw, JNS_Jd),
    [0x8A] = OPV(JP_Jw, JP_Jd), [0x8B] = OPV(JNP_Jw, JNP_Jd),
    [0x8C] = OPV(JL_Jw, JL_Jd), [0x8D] = OPV(JGE_Jw, JGE_Jd),
    [0x8E] = OPV(JLE_Jw, JLE_Jd), [0x8F] = OPV(JG_Jw, JG_Jd),
    [0x90] = OPM(SETO_Eb), [0x91] = OPM(SETNO_Eb), [0x92] = OPM(SETB_Eb),
    [0x93] = OPM(SETAE_Eb), [0x94] = OPM(SETE_Eb), [0x95] = OPM(SETNE_Eb),
    [0x96] = OPM(SETBE_Eb), [0x97] = OPM(SETA_Eb), [0x98] = OPM(SETS_Eb),
    [0x99] = OPM(SETNS_Eb), [0x9A] = OPM(SETP_Eb), [0x9B] = OPM(SETNP_Eb),
    [0x9C] = OPM(SETL_Eb), [0x9D] = OPM(SETGE_Eb), [0x9E] = OPM(SETLE_Eb),
    [0x9F] = OPM(SETG_Eb),
    [0xA0] = OPV(PUSH_FS_O16, PUSH_FS_O32), [0xA1] = OPV(POP_FS_O16, POP_FS_O32),
    [0xA2] = OP(CPUID), [0xA3] = OPVM(BT_EwGw, BT_EdGd),
    [0xA4] = OPVM(SHLD_EwGwIb, SHLD_EdGdIb), [0xA5] = OPVM(SHLD_EwGwCL, SHLD_EdGdCL),
    [0xA8] = OPV(PUSH_GS_O16, PUSH_GS_O32), [0xA9] = OPV(POP_GS_O16, POP_GS_O32),
    /* 0F AA (RSM) is #UD outside system-management mode, which ringzero
     * does not emulate */
    [0xAB] = OPVM(BTS_EwGw, BTS_EdGd),
    [0xAC] = OPVM(SHRD_EwGwIb, SHRD_EdGdIb), [0xAD] = OPVM(SHRD_EwGwCL, SHRD_EdGdCL),
    [0xAE] = GRP(G15), [0xAF] = OPVM(IMUL_GwEw, IMUL_GdEd),
    [0xB0] = OPM(CMPXCHG_EbGb), [0xB1] = OPVM(CMPXCHG_EwGw, CMPXCHG_EdGd),
    [0xB2] = OPVA(LSS_GwMp16, LSS_GdMp32, DEC_A_MEMONLY),
    [0xB3] = OPVM(BTR_EwGw, BTR_EdGd),
    [0xB4] = OPVA(LFS_GwMp16, LFS_GdMp32, DEC_A_MEMONLY),
    [0xB5] = OPVA(LGS_GwMp16, LGS_GdMp32, DEC_A_MEMONLY),
    [0xB6] = OPVM(MOVZX_B_GwEb, MOVZX_B_GdEb), [0xB7] = OPVM(MOVZX_W_GwEw, MOVZX_W_GdEw),
    [0xB9] = UDM, /* UD1 */
    [0xBA] = GRP(G8), [0xBB] = OPVM(BTC_EwGw, BTC_EdGd),
    [0xBC] = OPVM(BSF_GwEw, BSF_GdEd), [0xBD] = OPVM(BSR_GwEw, BSR_GdEd),
    [0xBE] = OPVM(MOVSX_B_GwEb, MOVSX_B_GdEb), [0xBF] = OPVM(MOVSX_W_GwEw, MOVSX_W_GdEw),
    [0xC0] = OPM(XADD_EbGb), [0xC1] = OPVM(XADD_EwGw, XADD_EdGd),
    [0xC2] = UDM, [0xC3] = UDM, [0xC4] = UDM, [0xC5] = UDM, [0xC6] = UDM,
    [0xC7] = GRP(G9),
    REG8(0xC8, BSWAP_Zw, BSWAP_Zd),
    [0xD0] = UDM, MMX(0xD1, PSRLW), MMX(0xD2, PSRLD), MMX(0xD3, PSRLQ),
    [0xD4] = UDM, MMX(0xD5, PMULLW), [0xD6] = UDM, [0xD7] = UDM,
    MMX(0xD8, PSUBUSB), MMX(0xD9, PSUBUSW), [0xDA] = UDM, MMX(0xDB, PAND),
    MMX(0xDC, PADDUSB), MMX(0xDD, PADDUSW), [0xDE] = UDM, MMX(0xDF, PANDN),
    [0xE0] = UDM, MMX(0xE1, PSRAW), MMX(0xE2, PSRAD), [0xE3] = UDM,
    [0xE4] = UDM, MMX(0xE5, PMULHW), [0xE6] = UDM, [0xE7] = UDM,
    MMX(0xE8, PSUBSB), MMX(0xE9, PSUBSW), [0xEA] = UDM, MMX(0xEB, POR),
    MMX(0xEC, PADDSB), MMX(0xED, PADDSW), [0xEE] = UDM, MMX(0xEF, PXOR),
    [0xF0] = UDM, MMX(0xF1, PSLLW), MMX(0xF2, PSLLD), MMX(0xF3, PSLLQ),
    [0xF4] = UDM, MMX(0xF5, PMADDWD), [0xF6] = UDM, [0xF7] = UDM,
    MMX(0xF8, PSUBB), MMX(0xF9, PSUBW), MMX(0xFA, PSUBD), [0xFB] = UDM,
    MMX(0xFC, PADDB), MMX(0xFD, PADDW), MMX(0xFE, PADDD),
};

/* Group rows: one entry per ModRM.reg.  An entry with op 0 is #UD. */
#define G(a)          {DEC_##a, DEC_##a, 0, 0}
#define GV(w, d)      {DEC_##w, DEC_##d, 0, 0}
#define GVA(w, d, a)  {DEC_##w, DEC_##d, (a), 0}
#define GU            {DEC_INVALID_OP, DEC_INVALID_OP, 0, 0}
#define G8V(suf16, suf32)                                                            \
    {GV(ADD_##suf16, ADD_##suf32), GV(OR_##suf16, OR_##suf32),                       \
     GV(ADC_##suf16, ADC_##suf32), GV(SBB_##suf16, SBB_##suf32),                     \
     GV(AND_##suf16, AND_##suf32), GV(SUB_##suf16, SUB_##suf32),                     \
     GV(XOR_##suf16, XOR_##suf32), GV(CMP_##suf16, CMP_##suf32)}
/* Group 2: /6 is an undocumented alias of /4 (SAL = SHL) on every IA-32 CPU */
#define G2V(suf16, suf32)                                                            \
    {GV(ROL_##suf16, ROL_##suf32), GV(ROR_##suf16, ROR_##suf32),                     \
     GV(RCL_##suf16, RCL_##suf32), GV(RCR_##suf16, RCR_##suf32),                     \
     GV(SHL_##suf16, SHL_##suf32), GV(SHR_##suf16, SHR_##suf32),                     \
     GV(SHL_##suf16, SHL_##suf32), GV(SAR_##suf16, SAR_##suf32)}

const struct dec_ent dec_groups[DEC_GRP_COUNT][8] = {
    [DEC_G1_EB] = G8V(EbIb, EbIb),
    [DEC_G1_EV] = G8V(EwIw, EdId),
    [DEC_G1_EVIB] = G8V(EwIbw, EdIbd),
    [DEC_G1A] = {GV(POP_Ew, POP_Ed), GU, GU, GU, GU, GU, GU, GU},
    [DEC_G2_EBIB] = G2V(EbIb, EbIb),
    [DEC_G2_EVIB] = G2V(EwIb, EdIb),
    [DEC_G2_EB1] = G2V(EbI1, EbI1),
    [DEC_G2_EV1] = G2V(EwI1, EdI1),
    [DEC_G2_EBCL] = G2V(EbCL, EbCL),
    [DEC_G2_EVCL] = G2V(EwCL, EdCL),
    /* Group 3: /1 is an undocumented alias of TEST /0 */
    [DEC_G3_EB] = {G(TEST_EbIb), G(TEST_EbIb), G(NOT_Eb), G(NEG_Eb),
                   G(MUL_Eb), G(IMUL_Eb), G(DIV_Eb), G(IDIV_Eb)},
    [DEC_G3_EV] = {GV(TEST_EwIw, TEST_EdId), GV(TEST_EwIw, TEST_EdId),
                   GV(NOT_Ew, NOT_Ed), GV(NEG_Ew, NEG_Ed), GV(MUL_Ew, MUL_Ed),
                   GV(IMUL_Ew, IMUL_Ed), GV(DIV_Ew, DIV_Ed), GV(IDIV_Ew, IDIV_Ed)},
    [DEC_G4] = {G(INC_Eb), G(DEC_Eb), GU, GU, GU, GU, GU, GU},
    [DEC_G5] = {GV(INC_Ew, INC_Ed), GV(DEC_Ew, DEC_Ed), GV(CALL_Ew, CALL_Ed),
                GVA(CALLF_Mp16, CALLF_Mp32, DEC_A_MEMONLY), GV(JMP_Ew, JMP_Ed),
                GVA(JMPF_Mp16, JMPF_Mp32, DEC_A_MEMONLY), GV(PUSH_Ew, PUSH_Ed), GU},
    [DEC_G11_EB] = {G(MOV_EbIb), GU, GU, GU, GU, GU, GU, GU},
    [DEC_G11_EV] = {GV(MOV_EwIw, MOV_EdId), GU, GU, GU, GU, GU, GU, GU},
    [DEC_G6] = {G(SLDT_Ew), G(STR_Ew), G(LLDT_Ew), G(LTR_Ew), G(VERR_Ew), G(VERW_Ew),
                GU, GU},
    /* Group 7: the register forms of /0-/3 and /7 became VMX, MONITOR,
     * SWAPGS... on later CPUs; on a Pentium II they are #UD. */
    [DEC_G7] = {GVA(SGDT_Ms, SGDT_Ms, DEC_A_MEMONLY), GVA(SIDT_Ms, SIDT_Ms, DEC_A_MEMONLY),
                GVA(LGDT_Ms, LGDT_Ms, DEC_A_MEMONLY), GVA(LIDT_Ms, LIDT_Ms, DEC_A_MEMONLY),
                G(SMSW_Ew), GU, G(LMSW_Ew), GVA(INVLPG_M, INVLPG_M, DEC_A_MEMONLY)},
    [DEC_G8] = {GU, GU, GU, GU, GV(BT_EwIb, BT_EdIb), GV(BTS_EwIb, BTS_EdIb),
                GV(BTR_EwIb, BTR_EdIb), GV(BTC_EwIb, BTC_EdIb)},
    [DEC_G9] = {GU, GVA(CMPXCHG8B_Mq, CMPXCHG8B_Mq, DEC_A_MEMONLY), GU, GU, GU, GU, GU, GU},
    [DEC_G12] = {GU, GU, GVA(PSRLW_NqIb, PSRLW_NqIb, DEC_A_REGONLY), GU,
                 GVA(PSRAW_NqIb, PSRAW_NqIb, DEC_A_REGONLY), GU,
                 GVA(PSLLW_NqIb, PSLLW_NqIb, DEC_A_REGONLY), GU},
    [DEC_G13] = {GU, GU, GVA(PSRLD_NqIb, PSRLD_NqIb, DEC_A_REGONLY), GU,
                 GVA(PSRAD_NqIb, PSRAD_NqIb, DEC_A_REGONLY), GU,
                 GVA(PSLLD_NqIb, PSLLD_NqIb, DEC_A_REGONLY), GU},
    [DEC_G14] = {GU, GU, GVA(PSRLQ_NqIb, PSRLQ_NqIb, DEC_A_REGONLY), GU, GU, GU,
                 GVA(PSLLQ_NqIb, PSLLQ_NqIb, DEC_A_REGONLY), GU},
    [DEC_G15] = {GVA(FXSAVE_Menv, FXSAVE_Menv, DEC_A_MEMONLY),
                 GVA(FXRSTOR_Menv, FXRSTOR_Menv, DEC_A_MEMONLY), GU, GU, GU, GU, GU, GU},
};

/* x87 memory forms, [escape D8..DF][ModRM.reg] (SDM vol. 2, A.5). */
const uint16_t dec_x87_mem[8][8] = {
    {DEC_FADD_Md, DEC_FMUL_Md, DEC_FCOM_Md, DEC_FCOMP_Md,
     DEC_FSUB_Md, DEC_FSUBR_Md, DEC_FDIV_Md, DEC_FDIVR_Md},
    {DEC_FLD_Md, DEC_INVALID_OP, DEC_FST_Md, DEC_FSTP_Md,
     DEC_FLDENV_Menv, DEC_FLDCW_Mw, DEC_FNSTENV_Menv, DEC_FNSTCW_Mw},
    {DEC_FIADD_Md, DEC_FIMUL_Md, DEC_FICOM_Md, DEC_FICOMP_Md,
     DEC_FISUB_Md, DEC_FISUBR_Md, DEC_FIDIV_Md, DEC_FIDIVR_Md},
    {DEC_FILD_Md, DEC_INVALID_OP, DEC_FIST_Md, DEC_FISTP_Md,
     DEC_INVALID_OP, DEC_FLD_Mt, DEC_INVALID_OP, DEC_FSTP_Mt},
    {DEC_FADD_Mq, DEC_FMUL_Mq, DEC_FCOM_Mq, DEC_FCOMP_Mq,
     DEC_FSUB_Mq, DEC_FSUBR_Mq, DEC_FDIV_Mq, DEC_FDIVR_Mq},
    {DEC_FLD_Mq, DEC_INVALID_OP, DEC_FST_Mq, DEC_FSTP_Mq,
     DEC_FRSTOR_Menv, DEC_INVALID_OP, DEC_FNSAVE_Menv, DEC_FNSTSW_Mw},
    {DEC_FIADD_Mw, DEC_FIMUL_Mw, DEC_FICOM_Mw, DEC_FICOMP_Mw,
     DEC_FISUB_Mw, DEC_FISUBR_Mw, DEC_FIDIV_Mw, DEC_FIDIVR_Mw},
    {DEC_FILD_Mw, DEC_INVALID_OP, DEC_FIST_Mw, DEC_FISTP_Mw,
     DEC_FBLD_Mt, DEC_FILD_Mq, DEC_FBSTP_Mt, DEC_FISTP_Mq},
};

#define XR(a)  {DEC_##a, DEC_##a, 0, 0}
#define XRM(n) {DEC_INVALID_OP, DEC_INVALID_OP, DEC_A_GROUP, DEC_X87RM_##n}
#define XU     {DEC_INVALID_OP, DEC_INVALID_OP, 0, 0}

/* x87 register forms, [escape][ModRM.reg]; the undocumented aliases
 * (DC D0/D8, DD C8, DE D0, DF C8/D0/D8, DF C0) behave as their documented
 * twins on P6 hardware. */
const struct dec_ent dec_x87_reg[8][8] = {
    {XR(FADD_ST0STi), XR(FMUL_ST0STi), XR(FCOM_ST0STi), XR(FCOMP_ST0STi),
     XR(FSUB_ST0STi), XR(FSUBR_ST0STi), XR(FDIV_ST0STi), XR(FDIVR_ST0STi)},
    {XR(FLD_STi), XR(FXCH_STi), XRM(D9_2), XR(FSTP1_STi),
     XRM(D9_4), XRM(D9_5), XRM(D9_6), XRM(D9_7)},
    {XR(FCMOVB_ST0STi), XR(FCMOVE_ST0STi), XR(FCMOVBE_ST0STi), XR(FCMOVU_ST0STi),
     XU, XRM(DA_5), XU, XU},
    {XR(FCMOVNB_ST0STi), XR(FCMOVNE_ST0STi), XR(FCMOVNBE_ST0STi), XR(FCMOVNU_ST0STi),
     XRM(DB_4), XR(FUCOMI_ST0STi), XR(FCOMI_ST0STi), XU},
    {XR(FADD_STiST0), XR(FMUL_STiST0), XR(FCOM2_STi), XR(FCOMP3_STi),
     XR(FSUBR_STiST0), XR(FSUB_STiST0), XR(FDIVR_STiST0), XR(FDIV_STiST0)},
    {XR(FFREE_STi), XR(FXCH_STi), XR(FST_STi), XR(FSTP_STi),
     XR(FUCOM_STi), XR(FUCOMP_STi), XU, XU},
    {XR(FADDP_STiST0), XR(FMULP_STiST0), XR(FCOMP3_STi), XRM(DE_3),
     XR(FSUBRP_STiST0), XR(FSUBP_STiST0), XR(FDIVRP_STiST0), XR(FDIVP_STiST0)},
    {XR(FFREEP_STi), XR(FXCH_STi), XR(FSTP1_STi), XR(FSTP1_STi),
     XRM(DF_4), XR(FUCOMIP_ST0STi), XR(FCOMIP_ST0STi), XU},
};

#define U DEC_INVALID_OP
const uint16_t dec_x87_rm[DEC_X87RM_COUNT][8] = {
    [DEC_X87RM_D9_2] = {DEC_FNOP, U, U, U, U, U, U, U},
    [DEC_X87RM_D9_4] = {DEC_FCHS, DEC_FABS, U, U, DEC_FTST, DEC_FXAM, U, U},
    [DEC_X87RM_D9_5] = {DEC_FLD1, DEC_FLDL2T, DEC_FLDL2E, DEC_FLDPI,
                        DEC_FLDLG2, DEC_FLDLN2, DEC_FLDZ, U},
    [DEC_X87RM_D9_6] = {DEC_F2XM1, DEC_FYL2X, DEC_FPTAN, DEC_FPATAN,
                        DEC_FXTRACT, DEC_FPREM1, DEC_FDECSTP, DEC_FINCSTP},
    [DEC_X87RM_D9_7] = {DEC_FPREM, DEC_FYL2XP1, DEC_FSQRT, DEC_FSINCOS,
                        DEC_FRNDINT, DEC_FSCALE, DEC_FSIN, DEC_FCOS},
    [DEC_X87RM_DA_5] = {U, DEC_FUCOMPP, U, U, U, U, U, U},
    /* DB E0/E1/E4 (FENI, FDISI, FSETPM) are no-ops after the 8087/287 */
    [DEC_X87RM_DB_4] = {DEC_FENI, DEC_FDISI, DEC_FNCLEX, DEC_FNINIT, DEC_FSETPM, U, U, U},
    [DEC_X87RM_DE_3] = {U, DEC_FCOMPP, U, U, U, U, U, U},
    [DEC_X87RM_DF_4] = {DEC_FNSTSW_AX, U, U, U, U, U, U, U},
};
