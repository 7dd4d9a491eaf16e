/*
 * test_decoder_golden.c - golden decoder cases: byte strings with the
 * expected status, length, form and disassembly, plus field checks and an
 * exhaustive prefix/opcode sweep that must never read past `avail`.
 *
 * The expected texts were cross-checked against Zydis 4.0 (Intel syntax)
 * and the SDM opcode maps when the table was written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "decoder/decoder.h"

struct golden {
    int mode;          /* 16 or 32 */
    const char *hex;   /* instruction bytes */
    size_t avail;      /* bytes available; 0 = all of hex */
    enum dec_status st;
    unsigned len;
    enum dec_op op;
    const char *text;  /* dec_disasm() at EIP 0x1000 ("" when not decoded) */
};

static const struct golden golden[] = {
    {16, "0000", 0, DEC_OK, 2, DEC_ADD_EbGb, "add byte [bx+si], al"},
    {16, "0107", 0, DEC_OK, 2, DEC_ADD_EwGw, "add word [bx], ax"},
    {16, "6601c0", 0, DEC_OK, 3, DEC_ADD_EdGd, "add eax, eax"},
    {32, "01c0", 0, DEC_OK, 2, DEC_ADD_EdGd, "add eax, eax"},
    {32, "6601c0", 0, DEC_OK, 3, DEC_ADD_EwGw, "add ax, ax"},
    {16, "0204", 0, DEC_OK, 2, DEC_ADD_GbEb, "add al, byte [si]"},
    {16, "03472a", 0, DEC_OK, 3, DEC_ADD_GwEw, "add ax, word [bx+0x2a]"},
    {32, "0345f8", 0, DEC_OK, 3, DEC_ADD_GdEd, "add eax, dword [ebp-0x8]"},
    {16, "0412", 0, DEC_OK, 2, DEC_ADD_ALIb, "add al, 0x12"},
    {16, "053412", 0, DEC_OK, 3, DEC_ADD_AXIw, "add ax, 0x1234"},
    {16, "66057856341200", 0, DEC_OK, 6, DEC_ADD_EAXId, "add eax, 0x12345678"},
    {32, "0578563412", 0, DEC_OK, 5, DEC_ADD_EAXId, "add eax, 0x12345678"},
    {32, "66053412", 0, DEC_OK, 4, DEC_ADD_AXIw, "add ax, 0x1234"},
    {16, "0840ff", 0, DEC_OK, 3, DEC_OR_EbGb, "or byte [bx+si-0x1], al"},
    {16, "09c8", 0, DEC_OK, 2, DEC_OR_EwGw, "or ax, cx"},
    {32, "0ac4", 0, DEC_OK, 2, DEC_OR_GbEb, "or al, ah"},
    {16, "1000", 0, DEC_OK, 2, DEC_ADC_EbGb, "adc byte [bx+si], al"},
    {16, "1100", 0, DEC_OK, 2, DEC_ADC_EwGw, "adc word [bx+si], ax"},
    {32, "1200", 0, DEC_OK, 2, DEC_ADC_GbEb, "adc al, byte [eax]"},
    {32, "1314", 0, DEC_TRUNCATED, 2, DEC_INVALID_OP, ""},
    {16, "1400", 0, DEC_OK, 2, DEC_ADC_ALIb, "adc al, 0x0"},
    {16, "1500ff", 0, DEC_OK, 3, DEC_ADC_AXIw, "adc ax, 0xff00"},
    {32, "1800", 0, DEC_OK, 2, DEC_SBB_EbGb, "sbb byte [eax], al"},
    {32, "1980ff00", 0, DEC_TRUNCATED, 4, DEC_INVALID_OP, ""},
    {16, "1a00", 0, DEC_OK, 2, DEC_SBB_GbEb, "sbb al, byte [bx+si]"},
    {16, "1b00", 0, DEC_OK, 2, DEC_SBB_GwEw, "sbb ax, word [bx+si]"},
    {16, "1c7f", 0, DEC_OK, 2, DEC_SBB_ALIb, "sbb al, 0x7f"},
    {16, "1d0080", 0, DEC_OK, 3, DEC_SBB_AXIw, "sbb ax, 0x8000"},
    {16, "2000", 0, DEC_OK, 2, DEC_AND_EbGb, "and byte [bx+si], al"},
    {16, "2100", 0, DEC_OK, 2, DEC_AND_EwGw, "and word [bx+si], ax"},
    {32, "2200", 0, DEC_OK, 2, DEC_AND_GbEb, "and al, byte [eax]"},
    {32, "2300", 0, DEC_OK, 2, DEC_AND_GdEd, "and eax, dword [eax]"},
    {16, "24f0", 0, DEC_OK, 2, DEC_AND_ALIb, "and al, 0xf0"},
    {32, "250000ffff", 0, DEC_OK, 5, DEC_AND_EAXId, "and eax, 0xffff0000"},
    {16, "2800", 0, DEC_OK, 2, DEC_SUB_EbGb, "sub byte [bx+si], al"},
    {16, "2900", 0, DEC_OK, 2, DEC_SUB_EwGw, "sub word [bx+si], ax"},
    {16, "2a00", 0, DEC_OK, 2, DEC_SUB_GbEb, "sub al, byte [bx+si]"},
    {16, "2b00", 0, DEC_OK, 2, DEC_SUB_GwEw, "sub ax, word [bx+si]"},
    {16, "2c01", 0, DEC_OK, 2, DEC_SUB_ALIb, "sub al, 0x1"},
    {16, "2d0100", 0, DEC_OK, 3, DEC_SUB_AXIw, "sub ax, 0x1"},
    {16, "3000", 0, DEC_OK, 2, DEC_XOR_EbGb, "xor byte [bx+si], al"},
    {32, "31c0", 0, DEC_OK, 2, DEC_XOR_EdGd, "xor eax, eax"},
    {16, "3200", 0, DEC_OK, 2, DEC_XOR_GbEb, "xor al, byte [bx+si]"},
    {16, "3300", 0, DEC_OK, 2, DEC_XOR_GwEw, "xor ax, word [bx+si]"},
    {16, "34aa", 0, DEC_OK, 2, DEC_XOR_ALIb, "xor al, 0xaa"},
    {16, "35aa55", 0, DEC_OK, 3, DEC_XOR_AXIw, "xor ax, 0x55aa"},
    {16, "3800", 0, DEC_OK, 2, DEC_CMP_EbGb, "cmp byte [bx+si], al"},
    {32, "39d8", 0, DEC_OK, 2, DEC_CMP_EdGd, "cmp eax, ebx"},
    {16, "3a00", 0, DEC_OK, 2, DEC_CMP_GbEb, "cmp al, byte [bx+si]"},
    {16, "3b00", 0, DEC_OK, 2, DEC_CMP_GwEw, "cmp ax, word [bx+si]"},
    {16, "3c00", 0, DEC_OK, 2, DEC_CMP_ALIb, "cmp al, 0x0"},
    {32, "3d78563412", 0, DEC_OK, 5, DEC_CMP_EAXId, "cmp eax, 0x12345678"},
    {16, "06", 0, DEC_OK, 1, DEC_PUSH_ES_O16, "push es"},
    {32, "06", 0, DEC_OK, 1, DEC_PUSH_ES_O32, "push es"},
    {16, "07", 0, DEC_OK, 1, DEC_POP_ES_O16, "pop es"},
    {16, "0e", 0, DEC_OK, 1, DEC_PUSH_CS_O16, "push cs"},
    {32, "660e", 0, DEC_OK, 2, DEC_PUSH_CS_O16, "push cs"},
    {16, "16", 0, DEC_OK, 1, DEC_PUSH_SS_O16, "push ss"},
    {16, "17", 0, DEC_OK, 1, DEC_POP_SS_O16, "pop ss"},
    {16, "1e", 0, DEC_OK, 1, DEC_PUSH_DS_O16, "push ds"},
    {16, "1f", 0, DEC_OK, 1, DEC_POP_DS_O16, "pop ds"},
    {16, "27", 0, DEC_OK, 1, DEC_DAA, "daa"},
    {16, "2f", 0, DEC_OK, 1, DEC_DAS, "das"},
    {16, "37", 0, DEC_OK, 1, DEC_AAA, "aaa"},
    {16, "3f", 0, DEC_OK, 1, DEC_AAS, "aas"},
    {16, "40", 0, DEC_OK, 1, DEC_INC_Zw, "inc ax"},
    {16, "47", 0, DEC_OK, 1, DEC_INC_Zw, "inc di"},
    {32, "40", 0, DEC_OK, 1, DEC_INC_Zd, "inc eax"},
    {32, "6648", 0, DEC_OK, 2, DEC_DEC_Zw, "dec ax"},
    {16, "4f", 0, DEC_OK, 1, DEC_DEC_Zw, "dec di"},
    {16, "50", 0, DEC_OK, 1, DEC_PUSH_Zw, "push ax"},
    {32, "57", 0, DEC_OK, 1, DEC_PUSH_Zd, "push edi"},
    {16, "58", 0, DEC_OK, 1, DEC_POP_Zw, "pop ax"},
    {32, "5f", 0, DEC_OK, 1, DEC_POP_Zd, "pop edi"},
    {16, "60", 0, DEC_OK, 1, DEC_PUSHA_O16, "pusha"},
    {32, "60", 0, DEC_OK, 1, DEC_PUSHA_O32, "pushad"},
    {16, "61", 0, DEC_OK, 1, DEC_POPA_O16, "popa"},
    {32, "61", 0, DEC_OK, 1, DEC_POPA_O32, "popad"},
    {16, "623f", 0, DEC_OK, 2, DEC_BOUND_GwMwd, "bound di, [bx]"},
    {32, "623f", 0, DEC_OK, 2, DEC_BOUND_GdMdd, "bound edi, [edi]"},
    {16, "62c0", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "63c8", 0, DEC_OK, 2, DEC_ARPL_EwGw, "arpl ax, cx"},
    {32, "63c8", 0, DEC_OK, 2, DEC_ARPL_EwGw, "arpl ax, cx"},
    {16, "683412", 0, DEC_OK, 3, DEC_PUSH_Iw, "push 0x1234"},
    {32, "6878563412", 0, DEC_OK, 5, DEC_PUSH_Id, "push 0x12345678"},
    {16, "69c03412", 0, DEC_OK, 4, DEC_IMUL_GwEwIw, "imul ax, ax, 0x1234"},
    {32, "69c078563412", 0, DEC_OK, 6, DEC_IMUL_GdEdId, "imul eax, eax, 0x12345678"},
    {16, "6a80", 0, DEC_OK, 2, DEC_PUSH_Ibw, "push 0xff80"},
    {32, "6a80", 0, DEC_OK, 2, DEC_PUSH_Ibd, "push 0xffffff80"},
    {16, "6bc0ff", 0, DEC_OK, 3, DEC_IMUL_GwEwIbw, "imul ax, ax, 0xffff"},
    {32, "6bc0ff", 0, DEC_OK, 3, DEC_IMUL_GdEdIbd, "imul eax, eax, 0xffffffff"},
    {16, "6c", 0, DEC_OK, 1, DEC_INSB, "insb"},
    {16, "6d", 0, DEC_OK, 1, DEC_INSW, "insw"},
    {32, "6d", 0, DEC_OK, 1, DEC_INSD, "insd"},
    {16, "6e", 0, DEC_OK, 1, DEC_OUTSB, "outsb"},
    {32, "6f", 0, DEC_OK, 1, DEC_OUTSD, "outsd"},
    {16, "70fe", 0, DEC_OK, 2, DEC_JO_Jb, "jo 0x1000"},
    {16, "7100", 0, DEC_OK, 2, DEC_JNO_Jb, "jno 0x1002"},
    {16, "7210", 0, DEC_OK, 2, DEC_JB_Jb, "jb 0x1012"},
    {16, "7380", 0, DEC_OK, 2, DEC_JAE_Jb, "jae 0xf82"},
    {32, "74fe", 0, DEC_OK, 2, DEC_JE_Jb, "je 0x1000"},
    {32, "7500", 0, DEC_OK, 2, DEC_JNE_Jb, "jne 0x1002"},
    {16, "76fe", 0, DEC_OK, 2, DEC_JBE_Jb, "jbe 0x1000"},
    {16, "77fe", 0, DEC_OK, 2, DEC_JA_Jb, "ja 0x1000"},
    {16, "78fe", 0, DEC_OK, 2, DEC_JS_Jb, "js 0x1000"},
    {16, "79fe", 0, DEC_OK, 2, DEC_JNS_Jb, "jns 0x1000"},
    {16, "7afe", 0, DEC_OK, 2, DEC_JP_Jb, "jp 0x1000"},
    {16, "7bfe", 0, DEC_OK, 2, DEC_JNP_Jb, "jnp 0x1000"},
    {16, "7cfe", 0, DEC_OK, 2, DEC_JL_Jb, "jl 0x1000"},
    {16, "7dfe", 0, DEC_OK, 2, DEC_JGE_Jb, "jge 0x1000"},
    {16, "7efe", 0, DEC_OK, 2, DEC_JLE_Jb, "jle 0x1000"},
    {16, "7ffe", 0, DEC_OK, 2, DEC_JG_Jb, "jg 0x1000"},
    {16, "eb80", 0, DEC_OK, 2, DEC_JMP_Jb, "jmp 0xf82"},
    {32, "eb80", 0, DEC_OK, 2, DEC_JMP_Jb, "jmp 0xf82"},
    {16, "e2fe", 0, DEC_OK, 2, DEC_LOOP_Jb, "loop 0x1000"},
    {16, "e1fe", 0, DEC_OK, 2, DEC_LOOPE_Jb, "loope 0x1000"},
    {16, "e0fe", 0, DEC_OK, 2, DEC_LOOPNE_Jb, "loopne 0x1000"},
    {16, "e3fe", 0, DEC_OK, 2, DEC_JCXZ_Jb, "jcxz 0x1000"},
    {32, "e3fe", 0, DEC_OK, 2, DEC_JECXZ_Jb, "jecxz 0x1000"},
    {16, "67e3fe", 0, DEC_OK, 3, DEC_JECXZ_Jb, "jecxz 0x1001"},
    {32, "67e3fe", 0, DEC_OK, 3, DEC_JCXZ_Jb, "jcxz 0x1001"},
    {16, "e80000", 0, DEC_OK, 3, DEC_CALL_Jw, "call 0x1003"},
    {16, "e8fdef", 0, DEC_OK, 3, DEC_CALL_Jw, "call 0x0"},
    {32, "e800000000", 0, DEC_OK, 5, DEC_CALL_Jd, "call 0x1005"},
    {32, "66e80010", 0, DEC_OK, 4, DEC_CALL_Jw, "call 0x2004"},
    {16, "e90010", 0, DEC_OK, 3, DEC_JMP_Jw, "jmp 0x2003"},
    {32, "e9fbefffff", 0, DEC_OK, 5, DEC_JMP_Jd, "jmp 0x0"},
    {16, "ea78563412", 0, DEC_OK, 5, DEC_JMPF_Ap16, "jmp far 0x1234:0x5678"},
    {32, "ea785634121234", 0, DEC_OK, 7, DEC_JMPF_Ap32, "jmp far 0x3412:0x12345678"},
    {16, "66ea785634123412", 0, DEC_OK, 8, DEC_JMPF_Ap32, "jmp far 0x1234:0x12345678"},
    {16, "9a78563412", 0, DEC_OK, 5, DEC_CALLF_Ap16, "call far 0x1234:0x5678"},
    {32, "9a785634121234", 0, DEC_OK, 7, DEC_CALLF_Ap32, "call far 0x3412:0x12345678"},
    {16, "800001", 0, DEC_OK, 3, DEC_ADD_EbIb, "add byte [bx+si], 0x1"},
    {16, "80c8ff", 0, DEC_OK, 3, DEC_OR_EbIb, "or al, 0xff"},
    {16, "80d001", 0, DEC_OK, 3, DEC_ADC_EbIb, "adc al, 0x1"},
    {16, "80d801", 0, DEC_OK, 3, DEC_SBB_EbIb, "sbb al, 0x1"},
    {16, "80e001", 0, DEC_OK, 3, DEC_AND_EbIb, "and al, 0x1"},
    {16, "80e801", 0, DEC_OK, 3, DEC_SUB_EbIb, "sub al, 0x1"},
    {16, "80f001", 0, DEC_OK, 3, DEC_XOR_EbIb, "xor al, 0x1"},
    {16, "80f801", 0, DEC_OK, 3, DEC_CMP_EbIb, "cmp al, 0x1"},
    {16, "820001", 0, DEC_OK, 3, DEC_ADD_EbIb, "add byte [bx+si], 0x1"},
    {32, "82c001", 0, DEC_OK, 3, DEC_ADD_EbIb, "add al, 0x1"},
    {16, "81c03412", 0, DEC_OK, 4, DEC_ADD_EwIw, "add ax, 0x1234"},
    {32, "81c078563412", 0, DEC_OK, 6, DEC_ADD_EdId, "add eax, 0x12345678"},
    {16, "8100ffff", 0, DEC_OK, 4, DEC_ADD_EwIw, "add word [bx+si], 0xffff"},
    {16, "83c0ff", 0, DEC_OK, 3, DEC_ADD_EwIbw, "add ax, 0xffff"},
    {32, "83c0ff", 0, DEC_OK, 3, DEC_ADD_EdIbd, "add eax, 0xffffffff"},
    {32, "83c07f", 0, DEC_OK, 3, DEC_ADD_EdIbd, "add eax, 0x7f"},
    {16, "83f880", 0, DEC_OK, 3, DEC_CMP_EwIbw, "cmp ax, 0xff80"},
    {32, "6683c0ff", 0, DEC_OK, 4, DEC_ADD_EwIbw, "add ax, 0xffff"},
    {16, "8400", 0, DEC_OK, 2, DEC_TEST_EbGb, "test byte [bx+si], al"},
    {32, "85c0", 0, DEC_OK, 2, DEC_TEST_EdGd, "test eax, eax"},
    {16, "8600", 0, DEC_OK, 2, DEC_XCHG_EbGb, "xchg byte [bx+si], al"},
    {32, "87d8", 0, DEC_OK, 2, DEC_XCHG_EdGd, "xchg eax, ebx"},
    {16, "8800", 0, DEC_OK, 2, DEC_MOV_EbGb, "mov byte [bx+si], al"},
    {32, "8900", 0, DEC_OK, 2, DEC_MOV_EdGd, "mov dword [eax], eax"},
    {16, "8a00", 0, DEC_OK, 2, DEC_MOV_GbEb, "mov al, byte [bx+si]"},
    {32, "8b00", 0, DEC_OK, 2, DEC_MOV_GdEd, "mov eax, dword [eax]"},
    {16, "8cd8", 0, DEC_OK, 2, DEC_MOV_EwSw, "mov ax, ds"},
    {32, "8cd8", 0, DEC_OK, 2, DEC_MOV_EdSw, "mov eax, ds"},
    {32, "8c18", 0, DEC_OK, 2, DEC_MOV_EdSw, "mov word [eax], ds"},
    {32, "668cd8", 0, DEC_OK, 3, DEC_MOV_EwSw, "mov ax, ds"},
    {16, "8ce0", 0, DEC_OK, 2, DEC_MOV_EwSw, "mov ax, fs"},
    {16, "8cf0", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "8cf8", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "8ed8", 0, DEC_OK, 2, DEC_MOV_SwEw, "mov ds, ax"},
    {16, "8ed0", 0, DEC_OK, 2, DEC_MOV_SwEw, "mov ss, ax"},
    {16, "8ec8", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "8ef0", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "8ee8", 0, DEC_OK, 2, DEC_MOV_SwEw, "mov gs, ax"},
    {32, "8d0424", 0, DEC_OK, 3, DEC_LEA_GdM, "lea eax, [esp]"},
    {32, "8d4508", 0, DEC_OK, 3, DEC_LEA_GdM, "lea eax, [ebp+0x8]"},
    {16, "8d00", 0, DEC_OK, 2, DEC_LEA_GwM, "lea ax, [bx+si]"},
    {16, "8dc0", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {32, "8dc0", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "8f00", 0, DEC_OK, 2, DEC_POP_Ew, "pop word [bx+si]"},
    {32, "8f00", 0, DEC_OK, 2, DEC_POP_Ed, "pop dword [eax]"},
    {16, "8f08", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "8fc0", 0, DEC_OK, 2, DEC_POP_Ew, "pop ax"},
    {16, "8fc8", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "90", 0, DEC_OK, 1, DEC_NOP, "nop"},
    {16, "f390", 0, DEC_OK, 2, DEC_NOP, "nop"},
    {16, "91", 0, DEC_OK, 1, DEC_XCHG_ZwAX, "xchg cx, ax"},
    {32, "97", 0, DEC_OK, 1, DEC_XCHG_ZdEAX, "xchg edi, eax"},
    {32, "6697", 0, DEC_OK, 2, DEC_XCHG_ZwAX, "xchg di, ax"},
    {16, "98", 0, DEC_OK, 1, DEC_CBW, "cbw"},
    {32, "98", 0, DEC_OK, 1, DEC_CWDE, "cwde"},
    {16, "99", 0, DEC_OK, 1, DEC_CWD, "cwd"},
    {32, "99", 0, DEC_OK, 1, DEC_CDQ, "cdq"},
    {16, "9b", 0, DEC_OK, 1, DEC_WAIT, "wait"},
    {16, "9c", 0, DEC_OK, 1, DEC_PUSHF_O16, "pushf"},
    {32, "9c", 0, DEC_OK, 1, DEC_PUSHF_O32, "pushfd"},
    {16, "9d", 0, DEC_OK, 1, DEC_POPF_O16, "popf"},
    {32, "9d", 0, DEC_OK, 1, DEC_POPF_O32, "popfd"},
    {16, "9e", 0, DEC_OK, 1, DEC_SAHF, "sahf"},
    {16, "9f", 0, DEC_OK, 1, DEC_LAHF, "lahf"},
    {16, "a03412", 0, DEC_OK, 3, DEC_MOV_ALOb, "mov al, byte [0x1234]"},
    {32, "a078563412", 0, DEC_OK, 5, DEC_MOV_ALOb, "mov al, byte [0x12345678]"},
    {32, "67a03412", 0, DEC_OK, 4, DEC_MOV_ALOb, "mov al, byte [0x1234]"},
    {16, "67a078563412", 0, DEC_OK, 6, DEC_MOV_ALOb, "mov al, byte [0x12345678]"},
    {16, "a13412", 0, DEC_OK, 3, DEC_MOV_AXOw, "mov ax, word [0x1234]"},
    {32, "a178563412", 0, DEC_OK, 5, DEC_MOV_EAXOd, "mov eax, dword [0x12345678]"},
    {16, "a23412", 0, DEC_OK, 3, DEC_MOV_ObAL, "mov byte [0x1234], al"},
    {16, "a33412", 0, DEC_OK, 3, DEC_MOV_OwAX, "mov word [0x1234], ax"},
    {32, "a378563412", 0, DEC_OK, 5, DEC_MOV_OdEAX, "mov dword [0x12345678], eax"},
    {16, "26a03412", 0, DEC_OK, 4, DEC_MOV_ALOb, "mov al, byte es:[0x1234]"},
    {32, "64a178563412", 0, DEC_OK, 6, DEC_MOV_EAXOd, "mov eax, dword fs:[0x12345678]"},
    {16, "a4", 0, DEC_OK, 1, DEC_MOVSB, "movsb"},
    {16, "a5", 0, DEC_OK, 1, DEC_MOVSW, "movsw"},
    {32, "a5", 0, DEC_OK, 1, DEC_MOVSD, "movsd"},
    {16, "f3a4", 0, DEC_OK, 2, DEC_MOVSB, "rep movsb"},
    {32, "f3a5", 0, DEC_OK, 2, DEC_MOVSD, "rep movsd"},
    {16, "f2a4", 0, DEC_OK, 2, DEC_MOVSB, "repne movsb"},
    {16, "a6", 0, DEC_OK, 1, DEC_CMPSB, "cmpsb"},
    {16, "f3a6", 0, DEC_OK, 2, DEC_CMPSB, "repe cmpsb"},
    {16, "f2a6", 0, DEC_OK, 2, DEC_CMPSB, "repne cmpsb"},
    {32, "f2f3a6", 0, DEC_OK, 3, DEC_CMPSB, "repe cmpsb"},
    {32, "f3f2a6", 0, DEC_OK, 3, DEC_CMPSB, "repne cmpsb"},
    {16, "a7", 0, DEC_OK, 1, DEC_CMPSW, "cmpsw"},
    {16, "a8ff", 0, DEC_OK, 2, DEC_TEST_ALIb, "test al, 0xff"},
    {16, "a9ffff", 0, DEC_OK, 3, DEC_TEST_AXIw, "test ax, 0xffff"},
    {32, "a9ffffffff", 0, DEC_OK, 5, DEC_TEST_EAXId, "test eax, 0xffffffff"},
    {16, "aa", 0, DEC_OK, 1, DEC_STOSB, "stosb"},
    {32, "ab", 0, DEC_OK, 1, DEC_STOSD, "stosd"},
    {16, "f3ab", 0, DEC_OK, 2, DEC_STOSW, "rep stosw"},
    {16, "ac", 0, DEC_OK, 1, DEC_LODSB, "lodsb"},
    {16, "ad", 0, DEC_OK, 1, DEC_LODSW, "lodsw"},
    {32, "ad", 0, DEC_OK, 1, DEC_LODSD, "lodsd"},
    {16, "ae", 0, DEC_OK, 1, DEC_SCASB, "scasb"},
    {16, "f2ae", 0, DEC_OK, 2, DEC_SCASB, "repne scasb"},
    {16, "af", 0, DEC_OK, 1, DEC_SCASW, "scasw"},
    {32, "f3af", 0, DEC_OK, 2, DEC_SCASD, "repe scasd"},
    {16, "26a4", 0, DEC_OK, 2, DEC_MOVSB, "movsb es:[si]"},
    {32, "2ea5", 0, DEC_OK, 2, DEC_MOVSD, "movsd cs:[esi]"},
    {16, "3e26a4", 0, DEC_OK, 3, DEC_MOVSB, "movsb es:[si]"},
    {16, "f3266c", 0, DEC_OK, 3, DEC_INSB, "rep insb"},
    {16, "6e", 0, DEC_OK, 1, DEC_OUTSB, "outsb"},
    {32, "f36f", 0, DEC_OK, 2, DEC_OUTSD, "rep outsd"},
    {16, "b012", 0, DEC_OK, 2, DEC_MOV_ZbIb, "mov al, 0x12"},
    {16, "b7ff", 0, DEC_OK, 2, DEC_MOV_ZbIb, "mov bh, 0xff"},
    {16, "b83412", 0, DEC_OK, 3, DEC_MOV_ZwIw, "mov ax, 0x1234"},
    {32, "b878563412", 0, DEC_OK, 5, DEC_MOV_ZdId, "mov eax, 0x12345678"},
    {32, "66bb3412", 0, DEC_OK, 4, DEC_MOV_ZwIw, "mov bx, 0x1234"},
    {16, "66bf78563412", 0, DEC_OK, 6, DEC_MOV_ZdId, "mov edi, 0x12345678"},
    {16, "c00001", 0, DEC_OK, 3, DEC_ROL_EbIb, "rol byte [bx+si], 0x1"},
    {16, "c0c801", 0, DEC_OK, 3, DEC_ROR_EbIb, "ror al, 0x1"},
    {16, "c0d001", 0, DEC_OK, 3, DEC_RCL_EbIb, "rcl al, 0x1"},
    {16, "c0d801", 0, DEC_OK, 3, DEC_RCR_EbIb, "rcr al, 0x1"},
    {16, "c0e001", 0, DEC_OK, 3, DEC_SHL_EbIb, "shl al, 0x1"},
    {16, "c0e801", 0, DEC_OK, 3, DEC_SHR_EbIb, "shr al, 0x1"},
    {16, "c0f001", 0, DEC_OK, 3, DEC_SHL_EbIb, "shl al, 0x1"},
    {16, "c0f801", 0, DEC_OK, 3, DEC_SAR_EbIb, "sar al, 0x1"},
    {16, "c1e004", 0, DEC_OK, 3, DEC_SHL_EwIb, "shl ax, 0x4"},
    {32, "c1e81f", 0, DEC_OK, 3, DEC_SHR_EdIb, "shr eax, 0x1f"},
    {16, "d000", 0, DEC_OK, 2, DEC_ROL_EbI1, "rol byte [bx+si], 1"},
    {16, "d1e0", 0, DEC_OK, 2, DEC_SHL_EwI1, "shl ax, 1"},
    {32, "d1f8", 0, DEC_OK, 2, DEC_SAR_EdI1, "sar eax, 1"},
    {16, "d2c0", 0, DEC_OK, 2, DEC_ROL_EbCL, "rol al, cl"},
    {16, "d3e0", 0, DEC_OK, 2, DEC_SHL_EwCL, "shl ax, cl"},
    {32, "d3f8", 0, DEC_OK, 2, DEC_SAR_EdCL, "sar eax, cl"},
    {16, "d030", 0, DEC_OK, 2, DEC_SHL_EbI1, "shl byte [bx+si], 1"},
    {16, "c3", 0, DEC_OK, 1, DEC_RET_O16, "ret"},
    {32, "c3", 0, DEC_OK, 1, DEC_RET_O32, "ret"},
    {16, "c20800", 0, DEC_OK, 3, DEC_RET_Iw_O16, "ret 0x8"},
    {32, "c20800", 0, DEC_OK, 3, DEC_RET_Iw_O32, "ret 0x8"},
    {16, "cb", 0, DEC_OK, 1, DEC_RETF_O16, "retf"},
    {32, "cb", 0, DEC_OK, 1, DEC_RETF_O32, "retf"},
    {16, "ca0400", 0, DEC_OK, 3, DEC_RETF_Iw_O16, "retf 0x4"},
    {16, "c41e3412", 0, DEC_OK, 4, DEC_LES_GwMp16, "les bx, [0x1234]"},
    {32, "c41e", 0, DEC_OK, 2, DEC_LES_GdMp32, "les ebx, [esi]"},
    {16, "c4c0", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "c51e3412", 0, DEC_OK, 4, DEC_LDS_GwMp16, "lds bx, [0x1234]"},
    {16, "c5c0", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "c60012", 0, DEC_OK, 3, DEC_MOV_EbIb, "mov byte [bx+si], 0x12"},
    {16, "c6c012", 0, DEC_OK, 3, DEC_MOV_EbIb, "mov al, 0x12"},
    {16, "c60812", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "c6f812", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "c7003412", 0, DEC_OK, 4, DEC_MOV_EwIw, "mov word [bx+si], 0x1234"},
    {32, "c70078563412", 0, DEC_OK, 6, DEC_MOV_EdId, "mov dword [eax], 0x12345678"},
    {16, "c70834", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {32, "c7c078563412", 0, DEC_OK, 6, DEC_MOV_EdId, "mov eax, 0x12345678"},
    {16, "c8100001", 0, DEC_OK, 4, DEC_ENTER_O16, "enter 0x10, 0x1"},
    {32, "c8080000", 0, DEC_OK, 4, DEC_ENTER_O32, "enter 0x8, 0x0"},
    {16, "c9", 0, DEC_OK, 1, DEC_LEAVE_O16, "leave"},
    {32, "c9", 0, DEC_OK, 1, DEC_LEAVE_O32, "leave"},
    {16, "cc", 0, DEC_OK, 1, DEC_INT3, "int3"},
    {16, "cd21", 0, DEC_OK, 2, DEC_INT_Ib, "int 0x21"},
    {16, "ce", 0, DEC_OK, 1, DEC_INTO, "into"},
    {16, "cf", 0, DEC_OK, 1, DEC_IRET_O16, "iret"},
    {32, "cf", 0, DEC_OK, 1, DEC_IRET_O32, "iretd"},
    {32, "66cf", 0, DEC_OK, 2, DEC_IRET_O16, "iret"},
    {16, "d4", 0, DEC_TRUNCATED, 1, DEC_INVALID_OP, ""},
    {16, "d40a", 0, DEC_OK, 2, DEC_AAM_Ib, "aam 0xa"},
    {16, "d50a", 0, DEC_OK, 2, DEC_AAD_Ib, "aad 0xa"},
    {16, "d6", 0, DEC_OK, 1, DEC_SALC, "salc"},
    {16, "d7", 0, DEC_OK, 1, DEC_XLAT, "xlat"},
    {16, "26d7", 0, DEC_OK, 2, DEC_XLAT, "xlat es:[bx]"},
    {16, "e460", 0, DEC_OK, 2, DEC_IN_ALIb, "in al, 0x60"},
    {16, "e560", 0, DEC_OK, 2, DEC_IN_AXIb, "in ax, 0x60"},
    {32, "e560", 0, DEC_OK, 2, DEC_IN_EAXIb, "in eax, 0x60"},
    {16, "e680", 0, DEC_OK, 2, DEC_OUT_IbAL, "out 0x80, al"},
    {16, "e780", 0, DEC_OK, 2, DEC_OUT_IbAX, "out 0x80, ax"},
    {32, "e780", 0, DEC_OK, 2, DEC_OUT_IbEAX, "out 0x80, eax"},
    {16, "ec", 0, DEC_OK, 1, DEC_IN_ALDX, "in al, dx"},
    {16, "ed", 0, DEC_OK, 1, DEC_IN_AXDX, "in ax, dx"},
    {32, "ed", 0, DEC_OK, 1, DEC_IN_EAXDX, "in eax, dx"},
    {16, "ee", 0, DEC_OK, 1, DEC_OUT_DXAL, "out dx, al"},
    {16, "ef", 0, DEC_OK, 1, DEC_OUT_DXAX, "out dx, ax"},
    {32, "ef", 0, DEC_OK, 1, DEC_OUT_DXEAX, "out dx, eax"},
    {16, "f1", 0, DEC_OK, 1, DEC_INT1, "int1"},
    {16, "f4", 0, DEC_OK, 1, DEC_HLT, "hlt"},
    {16, "f5", 0, DEC_OK, 1, DEC_CMC, "cmc"},
    {16, "f8", 0, DEC_OK, 1, DEC_CLC, "clc"},
    {16, "f9", 0, DEC_OK, 1, DEC_STC, "stc"},
    {16, "fa", 0, DEC_OK, 1, DEC_CLI, "cli"},
    {16, "fb", 0, DEC_OK, 1, DEC_STI, "sti"},
    {16, "fc", 0, DEC_OK, 1, DEC_CLD, "cld"},
    {16, "fd", 0, DEC_OK, 1, DEC_STD, "std"},
    {16, "f60012", 0, DEC_OK, 3, DEC_TEST_EbIb, "test byte [bx+si], 0x12"},
    {16, "f60812", 0, DEC_OK, 3, DEC_TEST_EbIb, "test byte [bx+si], 0x12"},
    {16, "f610", 0, DEC_OK, 2, DEC_NOT_Eb, "not byte [bx+si]"},
    {16, "f618", 0, DEC_OK, 2, DEC_NEG_Eb, "neg byte [bx+si]"},
    {16, "f620", 0, DEC_OK, 2, DEC_MUL_Eb, "mul byte [bx+si]"},
    {16, "f628", 0, DEC_OK, 2, DEC_IMUL_Eb, "imul byte [bx+si]"},
    {16, "f630", 0, DEC_OK, 2, DEC_DIV_Eb, "div byte [bx+si]"},
    {16, "f638", 0, DEC_OK, 2, DEC_IDIV_Eb, "idiv byte [bx+si]"},
    {16, "f7003412", 0, DEC_OK, 4, DEC_TEST_EwIw, "test word [bx+si], 0x1234"},
    {32, "f70078563412", 0, DEC_OK, 6, DEC_TEST_EdId, "test dword [eax], 0x12345678"},
    {16, "f7083412", 0, DEC_OK, 4, DEC_TEST_EwIw, "test word [bx+si], 0x1234"},
    {32, "f7d0", 0, DEC_OK, 2, DEC_NOT_Ed, "not eax"},
    {32, "f7d8", 0, DEC_OK, 2, DEC_NEG_Ed, "neg eax"},
    {32, "f7e0", 0, DEC_OK, 2, DEC_MUL_Ed, "mul eax"},
    {32, "f7e8", 0, DEC_OK, 2, DEC_IMUL_Ed, "imul eax"},
    {32, "f7f0", 0, DEC_OK, 2, DEC_DIV_Ed, "div eax"},
    {32, "f7f8", 0, DEC_OK, 2, DEC_IDIV_Ed, "idiv eax"},
    {16, "fe00", 0, DEC_OK, 2, DEC_INC_Eb, "inc byte [bx+si]"},
    {16, "fe08", 0, DEC_OK, 2, DEC_DEC_Eb, "dec byte [bx+si]"},
    {16, "fe10", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "fe38", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "fec0", 0, DEC_OK, 2, DEC_INC_Eb, "inc al"},
    {16, "ff00", 0, DEC_OK, 2, DEC_INC_Ew, "inc word [bx+si]"},
    {32, "ff08", 0, DEC_OK, 2, DEC_DEC_Ed, "dec dword [eax]"},
    {16, "ffd0", 0, DEC_OK, 2, DEC_CALL_Ew, "call ax"},
    {32, "ffd0", 0, DEC_OK, 2, DEC_CALL_Ed, "call eax"},
    {16, "ff10", 0, DEC_OK, 2, DEC_CALL_Ew, "call word [bx+si]"},
    {16, "ff1e3412", 0, DEC_OK, 4, DEC_CALLF_Mp16, "call far [0x1234]"},
    {32, "ff18", 0, DEC_OK, 2, DEC_CALLF_Mp32, "call far [eax]"},
    {16, "ffd8", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "ffe0", 0, DEC_OK, 2, DEC_JMP_Ew, "jmp ax"},
    {32, "ff20", 0, DEC_OK, 2, DEC_JMP_Ed, "jmp dword [eax]"},
    {16, "ff2e3412", 0, DEC_OK, 4, DEC_JMPF_Mp16, "jmp far [0x1234]"},
    {32, "ff28", 0, DEC_OK, 2, DEC_JMPF_Mp32, "jmp far [eax]"},
    {16, "ffe8", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "ff30", 0, DEC_OK, 2, DEC_PUSH_Ew, "push word [bx+si]"},
    {32, "fff0", 0, DEC_OK, 2, DEC_PUSH_Ed, "push eax"},
    {16, "ff38", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "fff8", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "8b00", 0, DEC_OK, 2, DEC_MOV_GwEw, "mov ax, word [bx+si]"},
    {16, "8b01", 0, DEC_OK, 2, DEC_MOV_GwEw, "mov ax, word [bx+di]"},
    {16, "8b02", 0, DEC_OK, 2, DEC_MOV_GwEw, "mov ax, word [bp+si]"},
    {16, "8b03", 0, DEC_OK, 2, DEC_MOV_GwEw, "mov ax, word [bp+di]"},
    {16, "8b04", 0, DEC_OK, 2, DEC_MOV_GwEw, "mov ax, word [si]"},
    {16, "8b05", 0, DEC_OK, 2, DEC_MOV_GwEw, "mov ax, word [di]"},
    {16, "8b063412", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word [0x1234]"},
    {16, "8b07", 0, DEC_OK, 2, DEC_MOV_GwEw, "mov ax, word [bx]"},
    {16, "8b4004", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word [bx+si+0x4]"},
    {16, "8b41fc", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word [bx+di-0x4]"},
    {16, "8b4200", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word [bp+si]"},
    {16, "8b4380", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word [bp+di-0x80]"},
    {16, "8b447f", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word [si+0x7f]"},
    {16, "8b4501", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word [di+0x1]"},
    {16, "8b46fe", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word [bp-0x2]"},
    {16, "8b4710", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word [bx+0x10]"},
    {16, "8b803412", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word [bx+si+0x1234]"},
    {16, "8b810080", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word [bx+di-0x8000]"},
    {16, "8b82ffff", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word [bp+si-0x1]"},
    {16, "8b830100", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word [bp+di+0x1]"},
    {16, "8b840000", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word [si]"},
    {16, "8b850100", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word [di+0x1]"},
    {16, "8b860001", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word [bp+0x100]"},
    {16, "8b873412", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word [bx+0x1234]"},
    {16, "8bc0", 0, DEC_OK, 2, DEC_MOV_GwEw, "mov ax, ax"},
    {16, "8bff", 0, DEC_OK, 2, DEC_MOV_GwEw, "mov di, di"},
    {16, "268b00", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word es:[bx+si]"},
    {16, "3e8b02", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word ds:[bp+si]"},
    {16, "368b07", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word ss:[bx]"},
    {16, "648b46fe", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word fs:[bp-0x2]"},
    {16, "658b063412", 0, DEC_OK, 5, DEC_MOV_GwEw, "mov ax, word gs:[0x1234]"},
    {16, "2e3e8b00", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word ds:[bx+si]"},
    {16, "3e2e8b00", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word cs:[bx+si]"},
    {16, "678b00", 0, DEC_OK, 3, DEC_MOV_GwEw, "mov ax, word [eax]"},
    {16, "678b0424", 0, DEC_OK, 4, DEC_MOV_GwEw, "mov ax, word [esp]"},
    {32, "8b00", 0, DEC_OK, 2, DEC_MOV_GdEd, "mov eax, dword [eax]"},
    {32, "8b01", 0, DEC_OK, 2, DEC_MOV_GdEd, "mov eax, dword [ecx]"},
    {32, "8b02", 0, DEC_OK, 2, DEC_MOV_GdEd, "mov eax, dword [edx]"},
    {32, "8b03", 0, DEC_OK, 2, DEC_MOV_GdEd, "mov eax, dword [ebx]"},
    {32, "8b0424", 0, DEC_OK, 3, DEC_MOV_GdEd, "mov eax, dword [esp]"},
    {32, "8b0578563412", 0, DEC_OK, 6, DEC_MOV_GdEd, "mov eax, dword [0x12345678]"},
    {32, "8b06", 0, DEC_OK, 2, DEC_MOV_GdEd, "mov eax, dword [esi]"},
    {32, "8b07", 0, DEC_OK, 2, DEC_MOV_GdEd, "mov eax, dword [edi]"},
    {32, "8b4004", 0, DEC_OK, 3, DEC_MOV_GdEd, "mov eax, dword [eax+0x4]"},
    {32, "8b45fc", 0, DEC_OK, 3, DEC_MOV_GdEd, "mov eax, dword [ebp-0x4]"},
    {32, "8b4424fc", 0, DEC_OK, 4, DEC_MOV_GdEd, "mov eax, dword [esp-0x4]"},
    {32, "8b4500", 0, DEC_OK, 3, DEC_MOV_GdEd, "mov eax, dword [ebp]"},
    {32, "8b8078563412", 0, DEC_OK, 6, DEC_MOV_GdEd, "mov eax, dword [eax+0x12345678]"},
    {32, "8b85f0ffffff", 0, DEC_OK, 6, DEC_MOV_GdEd, "mov eax, dword [ebp-0x10]"},
    {32, "8b0488", 0, DEC_OK, 3, DEC_MOV_GdEd, "mov eax, dword [eax+ecx*4]"},
    {32, "8b4488f0", 0, DEC_OK, 4, DEC_MOV_GdEd, "mov eax, dword [eax+ecx*4-0x10]"},
    {32, "8b04cd78563412", 0, DEC_OK, 7, DEC_MOV_GdEd, "mov eax, dword [ecx*8+0x12345678]"},
    {32, "8b0425efbeadde", 0, DEC_OK, 7, DEC_MOV_GdEd, "mov eax, dword [0xdeadbeef]"},
    {32, "8b04e0", 0, DEC_OK, 3, DEC_MOV_GdEd, "mov eax, dword [eax]"},
    {32, "8b0c60", 0, DEC_OK, 3, DEC_MOV_GdEd, "mov ecx, dword [eax]"},
    {32, "8b1c25", 0, DEC_TRUNCATED, 3, DEC_INVALID_OP, ""},
    {32, "8b14ad00000000", 0, DEC_OK, 7, DEC_MOV_GdEd, "mov edx, dword [ebp*4]"},
    {32, "8b442404", 0, DEC_OK, 4, DEC_MOV_GdEd, "mov eax, dword [esp+0x4]"},
    {32, "8b842400010000", 0, DEC_OK, 7, DEC_MOV_GdEd, "mov eax, dword [esp+0x100]"},
    {32, "8b04b5", 0, DEC_TRUNCATED, 3, DEC_INVALID_OP, ""},
    {32, "8b4c6d00", 0, DEC_OK, 4, DEC_MOV_GdEd, "mov ecx, dword [ebp+ebp*2]"},
    {32, "8b8c9b78563412", 0, DEC_OK, 7, DEC_MOV_GdEd, "mov ecx, dword [ebx+ebx*4+0x12345678]"},
    {32, "268b4500", 0, DEC_OK, 4, DEC_MOV_GdEd, "mov eax, dword es:[ebp]"},
    {32, "2e8b0424", 0, DEC_OK, 4, DEC_MOV_GdEd, "mov eax, dword cs:[esp]"},
    {32, "648b0c08", 0, DEC_OK, 4, DEC_MOV_GdEd, "mov ecx, dword fs:[eax+ecx]"},
    {32, "678b00", 0, DEC_OK, 3, DEC_MOV_GdEd, "mov eax, dword [bx+si]"},
    {32, "678b4604", 0, DEC_OK, 4, DEC_MOV_GdEd, "mov eax, dword [bp+0x4]"},
    {16, "f00000", 0, DEC_OK, 3, DEC_ADD_EbGb, "lock add byte [bx+si], al"},
    {16, "f00100", 0, DEC_OK, 3, DEC_ADD_EwGw, "lock add word [bx+si], ax"},
    {32, "f001c0", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "f08000ff", 0, DEC_OK, 4, DEC_ADD_EbIb, "lock add byte [eax], 0xff"},
    {32, "f083080f", 0, DEC_OK, 4, DEC_OR_EdIbd, "lock or dword [eax], 0xf"},
    {32, "f0fe00", 0, DEC_OK, 3, DEC_INC_Eb, "lock inc byte [eax]"},
    {32, "f0ff08", 0, DEC_OK, 3, DEC_DEC_Ed, "lock dec dword [eax]"},
    {32, "f0f610", 0, DEC_OK, 3, DEC_NOT_Eb, "lock not byte [eax]"},
    {32, "f0f718", 0, DEC_OK, 3, DEC_NEG_Ed, "lock neg dword [eax]"},
    {32, "f08600", 0, DEC_OK, 3, DEC_XCHG_EbGb, "lock xchg byte [eax], al"},
    {32, "f08700", 0, DEC_OK, 3, DEC_XCHG_EdGd, "lock xchg dword [eax], eax"},
    {32, "f0863e", 0, DEC_OK, 3, DEC_XCHG_EbGb, "lock xchg byte [esi], bh"},
    {32, "f00fb10e", 0, DEC_OK, 4, DEC_CMPXCHG_EdGd, "lock cmpxchg dword [esi], ecx"},
    {32, "f00fc00e", 0, DEC_OK, 4, DEC_XADD_EbGb, "lock xadd byte [esi], cl"},
    {32, "f00fc70e", 0, DEC_OK, 4, DEC_CMPXCHG8B_Mq, "lock cmpxchg8b qword [esi]"},
    {32, "f00fab00", 0, DEC_OK, 4, DEC_BTS_EdGd, "lock bts dword [eax], eax"},
    {32, "f00fba2805", 0, DEC_OK, 5, DEC_BTS_EdIb, "lock bts dword [eax], 0x5"},
    {32, "f00fa300", 0, DEC_INVALID, 4, DEC_INVALID_OP, "(bad)"},
    {32, "f08b00", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "f03800", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "f090", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {32, "f0a4", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {32, "f00fc8", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {16, "6666666601c0", 0, DEC_OK, 6, DEC_ADD_EdGd, "add eax, eax"},
    {32, "67676601c0", 0, DEC_OK, 5, DEC_ADD_EwGw, "add ax, ax"},
    {32, "f3f3f3a4", 0, DEC_OK, 4, DEC_MOVSB, "rep movsb"},
    {16, "2e3e263665648b00", 0, DEC_OK, 8, DEC_MOV_GwEw, "mov ax, word fs:[bx+si]"},
    {32, "6666666666666666666666666690", 0, DEC_OK, 14, DEC_NOP, "nop"},
    {32, "666666666666666666666666666690", 0, DEC_OK, 15, DEC_NOP, "nop"},
    {32, "26262626262626262626262626262626", 0, DEC_TOO_LONG, 15, DEC_INVALID_OP, ""},
    {16, "666666666666666666666666660fc8", 0, DEC_OK, 15, DEC_BSWAP_Zd, "bswap eax"},
    {16, "6666666666666666666666660fc8", 0, DEC_OK, 14, DEC_BSWAP_Zd, "bswap eax"},
    {16, "66666666666666666666663e8b00", 0, DEC_OK, 14, DEC_MOV_GdEd, "mov eax, dword ds:[bx+si]"},
    {32, "66666666666666666666666681c078563412", 0, DEC_TOO_LONG, 15, DEC_INVALID_OP, ""},
    {16, "", 0, DEC_TRUNCATED, 0, DEC_INVALID_OP, ""},
    {16, "66", 1, DEC_TRUNCATED, 1, DEC_INVALID_OP, ""},
    {16, "0f", 1, DEC_TRUNCATED, 1, DEC_INVALID_OP, ""},
    {16, "8b", 1, DEC_TRUNCATED, 1, DEC_INVALID_OP, ""},
    {16, "8b46", 2, DEC_TRUNCATED, 2, DEC_INVALID_OP, ""},
    {16, "8b80", 2, DEC_TRUNCATED, 2, DEC_INVALID_OP, ""},
    {16, "8b8034", 3, DEC_TRUNCATED, 3, DEC_INVALID_OP, ""},
    {32, "8b04", 2, DEC_TRUNCATED, 2, DEC_INVALID_OP, ""},
    {32, "8b44", 2, DEC_TRUNCATED, 2, DEC_INVALID_OP, ""},
    {32, "8b4424", 3, DEC_TRUNCATED, 3, DEC_INVALID_OP, ""},
    {32, "8b0578", 2, DEC_TRUNCATED, 2, DEC_INVALID_OP, ""},
    {16, "b8", 1, DEC_TRUNCATED, 1, DEC_INVALID_OP, ""},
    {16, "b834", 2, DEC_TRUNCATED, 2, DEC_INVALID_OP, ""},
    {32, "b8785634", 4, DEC_TRUNCATED, 4, DEC_INVALID_OP, ""},
    {16, "ea785634", 4, DEC_TRUNCATED, 4, DEC_INVALID_OP, ""},
    {32, "ea7856341234", 6, DEC_TRUNCATED, 6, DEC_INVALID_OP, ""},
    {16, "c810", 2, DEC_TRUNCATED, 2, DEC_INVALID_OP, ""},
    {16, "c81000", 3, DEC_TRUNCATED, 3, DEC_INVALID_OP, ""},
    {16, "81c034", 3, DEC_TRUNCATED, 3, DEC_INVALID_OP, ""},
    {16, "f00f", 2, DEC_TRUNCATED, 2, DEC_INVALID_OP, ""},
    {32, "d9", 1, DEC_TRUNCATED, 1, DEC_INVALID_OP, ""},
    {16, "0f0000", 0, DEC_OK, 3, DEC_SLDT_Ew, "sldt word [bx+si]"},
    {16, "0f00c8", 0, DEC_OK, 3, DEC_STR_Ew, "str ax"},
    {16, "0f0010", 0, DEC_OK, 3, DEC_LLDT_Ew, "lldt word [bx+si]"},
    {16, "0f0018", 0, DEC_OK, 3, DEC_LTR_Ew, "ltr word [bx+si]"},
    {16, "0f0020", 0, DEC_OK, 3, DEC_VERR_Ew, "verr word [bx+si]"},
    {16, "0f0028", 0, DEC_OK, 3, DEC_VERW_Ew, "verw word [bx+si]"},
    {16, "0f0030", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {16, "0f0038", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {16, "0f0100", 0, DEC_OK, 3, DEC_SGDT_Ms, "sgdt [bx+si]"},
    {16, "0f01c0", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {16, "0f0108", 0, DEC_OK, 3, DEC_SIDT_Ms, "sidt [bx+si]"},
    {16, "0f01c8", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {16, "0f0110", 0, DEC_OK, 3, DEC_LGDT_Ms, "lgdt [bx+si]"},
    {16, "0f01d0", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {16, "0f0118", 0, DEC_OK, 3, DEC_LIDT_Ms, "lidt [bx+si]"},
    {16, "0f0120", 0, DEC_OK, 3, DEC_SMSW_Ew, "smsw word [bx+si]"},
    {16, "0f01e0", 0, DEC_OK, 3, DEC_SMSW_Ew, "smsw ax"},
    {32, "0f01e0", 0, DEC_OK, 3, DEC_SMSW_Ew, "smsw eax"},
    {16, "0f0128", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {16, "0f0130", 0, DEC_OK, 3, DEC_LMSW_Ew, "lmsw word [bx+si]"},
    {16, "0f01f0", 0, DEC_OK, 3, DEC_LMSW_Ew, "lmsw ax"},
    {16, "0f0138", 0, DEC_OK, 3, DEC_INVLPG_M, "invlpg [bx+si]"},
    {16, "0f01f8", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f0338", 0, DEC_OK, 3, DEC_LSL_GdEw, "lsl edi, word [eax]"},
    {32, "0f02c1", 0, DEC_OK, 3, DEC_LAR_GdEw, "lar eax, ecx"},
    {16, "0f03c1", 0, DEC_OK, 3, DEC_LSL_GwEw, "lsl ax, cx"},
    {16, "660f02c1", 0, DEC_OK, 4, DEC_LAR_GdEw, "lar eax, ecx"},
    {16, "0f06", 0, DEC_OK, 2, DEC_CLTS, "clts"},
    {16, "0f08", 0, DEC_OK, 2, DEC_INVD, "invd"},
    {16, "0f09", 0, DEC_OK, 2, DEC_WBINVD, "wbinvd"},
    {16, "0f0b", 0, DEC_OK, 2, DEC_UD2, "ud2"},
    {16, "0f05", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "0f07", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "0f04", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "0f0a", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "0f0c", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "0f0d00", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {16, "0f0e", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "0f0f00b4", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f1000", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f2800", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f1800", 0, DEC_OK, 3, DEC_NOP_Ed, "nop dword [eax]"},
    {32, "0f1f00", 0, DEC_OK, 3, DEC_NOP_Ed, "nop dword [eax]"},
    {32, "0f1f4000", 0, DEC_OK, 4, DEC_NOP_Ed, "nop dword [eax]"},
    {32, "660f1f440000", 0, DEC_OK, 6, DEC_NOP_Ew, "nop word [eax+eax]"},
    {16, "0f1ec0", 0, DEC_OK, 3, DEC_NOP_Ew, "nop ax"},
    {32, "0f20c0", 0, DEC_OK, 3, DEC_MOV_RdCd, "mov eax, cr0"},
    {32, "0f20d0", 0, DEC_OK, 3, DEC_MOV_RdCd, "mov eax, cr2"},
    {32, "0f20d8", 0, DEC_OK, 3, DEC_MOV_RdCd, "mov eax, cr3"},
    {32, "0f20e0", 0, DEC_OK, 3, DEC_MOV_RdCd, "mov eax, cr4"},
    {32, "0f20c8", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f20e8", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f20f0", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f20f8", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f2000", 0, DEC_OK, 3, DEC_MOV_RdCd, "mov eax, cr0"},
    {32, "0f2040", 0, DEC_OK, 3, DEC_MOV_RdCd, "mov eax, cr0"},
    {32, "0f22c0", 0, DEC_OK, 3, DEC_MOV_CdRd, "mov cr0, eax"},
    {32, "0f22d8", 0, DEC_OK, 3, DEC_MOV_CdRd, "mov cr3, eax"},
    {32, "0f22c8", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f21c0", 0, DEC_OK, 3, DEC_MOV_RdDd, "mov eax, dr0"},
    {32, "0f21f8", 0, DEC_OK, 3, DEC_MOV_RdDd, "mov eax, dr7"},
    {32, "0f23f8", 0, DEC_OK, 3, DEC_MOV_DdRd, "mov dr7, eax"},
    {32, "0f23e8", 0, DEC_OK, 3, DEC_MOV_DdRd, "mov dr5, eax"},
    {32, "0f24c0", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f26c0", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f30", 0, DEC_OK, 2, DEC_WRMSR, "wrmsr"},
    {32, "0f31", 0, DEC_OK, 2, DEC_RDTSC, "rdtsc"},
    {32, "0f32", 0, DEC_OK, 2, DEC_RDMSR, "rdmsr"},
    {32, "0f33", 0, DEC_OK, 2, DEC_RDPMC, "rdpmc"},
    {32, "0f34", 0, DEC_OK, 2, DEC_SYSENTER, "sysenter"},
    {32, "0f35", 0, DEC_OK, 2, DEC_SYSEXIT, "sysexit"},
    {32, "0f37", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {32, "0f3800", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {32, "0f3a00", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {32, "0f40c1", 0, DEC_OK, 3, DEC_CMOVO_GdEd, "cmovo eax, ecx"},
    {16, "0f40c1", 0, DEC_OK, 3, DEC_CMOVO_GwEw, "cmovo ax, cx"},
    {32, "0f4400", 0, DEC_OK, 3, DEC_CMOVE_GdEd, "cmove eax, dword [eax]"},
    {32, "0f4fc1", 0, DEC_OK, 3, DEC_CMOVG_GdEd, "cmovg eax, ecx"},
    {16, "0f9000", 0, DEC_OK, 3, DEC_SETO_Eb, "seto byte [bx+si]"},
    {32, "0f94c0", 0, DEC_OK, 3, DEC_SETE_Eb, "sete al"},
    {32, "0f9fc0", 0, DEC_OK, 3, DEC_SETG_Eb, "setg al"},
    {32, "0f9438", 0, DEC_OK, 3, DEC_SETE_Eb, "sete byte [eax]"},
    {16, "0f800000", 0, DEC_OK, 4, DEC_JO_Jw, "jo 0x1004"},
    {16, "0f84fcef", 0, DEC_OK, 4, DEC_JE_Jw, "je 0x0"},
    {32, "0f8400000000", 0, DEC_OK, 6, DEC_JE_Jd, "je 0x1006"},
    {32, "0f85faffffff", 0, DEC_OK, 6, DEC_JNE_Jd, "jne 0x1000"},
    {32, "660f8f0000", 0, DEC_OK, 5, DEC_JG_Jw, "jg 0x1005"},
    {16, "660f8f00000000", 0, DEC_OK, 7, DEC_JG_Jd, "jg 0x1007"},
    {16, "0fa0", 0, DEC_OK, 2, DEC_PUSH_FS_O16, "push fs"},
    {32, "0fa0", 0, DEC_OK, 2, DEC_PUSH_FS_O32, "push fs"},
    {16, "0fa1", 0, DEC_OK, 2, DEC_POP_FS_O16, "pop fs"},
    {16, "0fa2", 0, DEC_OK, 2, DEC_CPUID, "cpuid"},
    {32, "0fa3c8", 0, DEC_OK, 3, DEC_BT_EdGd, "bt eax, ecx"},
    {32, "0fa4c804", 0, DEC_OK, 4, DEC_SHLD_EdGdIb, "shld eax, ecx, 0x4"},
    {32, "0fa5c8", 0, DEC_OK, 3, DEC_SHLD_EdGdCL, "shld eax, ecx, cl"},
    {16, "0fa8", 0, DEC_OK, 2, DEC_PUSH_GS_O16, "push gs"},
    {32, "0fa9", 0, DEC_OK, 2, DEC_POP_GS_O32, "pop gs"},
    {16, "0faa", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {32, "0fabc8", 0, DEC_OK, 3, DEC_BTS_EdGd, "bts eax, ecx"},
    {32, "0facc804", 0, DEC_OK, 4, DEC_SHRD_EdGdIb, "shrd eax, ecx, 0x4"},
    {32, "0fadc8", 0, DEC_OK, 3, DEC_SHRD_EdGdCL, "shrd eax, ecx, cl"},
    {32, "0fae00", 0, DEC_OK, 3, DEC_FXSAVE_Menv, "fxsave [eax]"},
    {32, "0fae08", 0, DEC_OK, 3, DEC_FXRSTOR_Menv, "fxrstor [eax]"},
    {32, "0fae10", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0faec0", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fafc1", 0, DEC_OK, 3, DEC_IMUL_GdEd, "imul eax, ecx"},
    {16, "0fb000", 0, DEC_OK, 3, DEC_CMPXCHG_EbGb, "cmpxchg byte [bx+si], al"},
    {32, "0fb100", 0, DEC_OK, 3, DEC_CMPXCHG_EdGd, "cmpxchg dword [eax], eax"},
    {16, "0fb21e3412", 0, DEC_OK, 5, DEC_LSS_GwMp16, "lss bx, [0x1234]"},
    {32, "0fb2c0", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fb3c8", 0, DEC_OK, 3, DEC_BTR_EdGd, "btr eax, ecx"},
    {32, "0fb400", 0, DEC_OK, 3, DEC_LFS_GdMp32, "lfs eax, [eax]"},
    {32, "0fb500", 0, DEC_OK, 3, DEC_LGS_GdMp32, "lgs eax, [eax]"},
    {32, "0fb6c1", 0, DEC_OK, 3, DEC_MOVZX_B_GdEb, "movzx eax, cl"},
    {16, "0fb6c1", 0, DEC_OK, 3, DEC_MOVZX_B_GwEb, "movzx ax, cl"},
    {32, "0fb7c1", 0, DEC_OK, 3, DEC_MOVZX_W_GdEw, "movzx eax, cx"},
    {32, "0fb8c1", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {32, "0fb9c1", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fbae004", 0, DEC_OK, 4, DEC_BT_EdIb, "bt eax, 0x4"},
    {32, "0fbae804", 0, DEC_OK, 4, DEC_BTS_EdIb, "bts eax, 0x4"},
    {32, "0fbaf004", 0, DEC_OK, 4, DEC_BTR_EdIb, "btr eax, 0x4"},
    {32, "0fbaf804", 0, DEC_OK, 4, DEC_BTC_EdIb, "btc eax, 0x4"},
    {32, "0fbac004", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fbad804", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fbbc8", 0, DEC_OK, 3, DEC_BTC_EdGd, "btc eax, ecx"},
    {32, "0fbcc1", 0, DEC_OK, 3, DEC_BSF_GdEd, "bsf eax, ecx"},
    {32, "0fbdc1", 0, DEC_OK, 3, DEC_BSR_GdEd, "bsr eax, ecx"},
    {32, "f30fbcc1", 0, DEC_OK, 4, DEC_BSF_GdEd, "bsf eax, ecx"},
    {32, "0fbec1", 0, DEC_OK, 3, DEC_MOVSX_B_GdEb, "movsx eax, cl"},
    {16, "0fbfc1", 0, DEC_OK, 3, DEC_MOVSX_W_GwEw, "movsx ax, cx"},
    {32, "0fc0c8", 0, DEC_OK, 3, DEC_XADD_EbGb, "xadd al, cl"},
    {32, "0fc1c8", 0, DEC_OK, 3, DEC_XADD_EdGd, "xadd eax, ecx"},
    {32, "0fc200", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fc7c8", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fc708", 0, DEC_OK, 3, DEC_CMPXCHG8B_Mq, "cmpxchg8b qword [eax]"},
    {32, "0fc700", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fc710", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fc8", 0, DEC_OK, 2, DEC_BSWAP_Zd, "bswap eax"},
    {32, "0fcf", 0, DEC_OK, 2, DEC_BSWAP_Zd, "bswap edi"},
    {16, "0fcb", 0, DEC_OK, 2, DEC_BSWAP_Zw, "bswap bx"},
    {32, "0f60c1", 0, DEC_OK, 3, DEC_PUNPCKLBW_PqQq, "punpcklbw mm0, mm1"},
    {32, "0f6b00", 0, DEC_OK, 3, DEC_PACKSSDW_PqQq, "packssdw mm0, qword [eax]"},
    {32, "0f6ec8", 0, DEC_OK, 3, DEC_MOVD_PqEd, "movd mm1, eax"},
    {32, "0f6e00", 0, DEC_OK, 3, DEC_MOVD_PqEd, "movd mm0, dword [eax]"},
    {32, "0f6fc1", 0, DEC_OK, 3, DEC_MOVQ_PqQq, "movq mm0, mm1"},
    {32, "0f7ec8", 0, DEC_OK, 3, DEC_MOVD_EdPq, "movd eax, mm1"},
    {32, "0f7f00", 0, DEC_OK, 3, DEC_MOVQ_QqPq, "movq qword [eax], mm0"},
    {32, "0f71d004", 0, DEC_OK, 4, DEC_PSRLW_NqIb, "psrlw mm0, 0x4"},
    {32, "0f71e004", 0, DEC_OK, 4, DEC_PSRAW_NqIb, "psraw mm0, 0x4"},
    {32, "0f71f004", 0, DEC_OK, 4, DEC_PSLLW_NqIb, "psllw mm0, 0x4"},
    {32, "0f71c004", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f711004", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f72d204", 0, DEC_OK, 4, DEC_PSRLD_NqIb, "psrld mm2, 0x4"},
    {32, "0f72e204", 0, DEC_OK, 4, DEC_PSRAD_NqIb, "psrad mm2, 0x4"},
    {32, "0f72f204", 0, DEC_OK, 4, DEC_PSLLD_NqIb, "pslld mm2, 0x4"},
    {32, "0f73d304", 0, DEC_OK, 4, DEC_PSRLQ_NqIb, "psrlq mm3, 0x4"},
    {32, "0f73f304", 0, DEC_OK, 4, DEC_PSLLQ_NqIb, "psllq mm3, 0x4"},
    {32, "0f73e304", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0f74c1", 0, DEC_OK, 3, DEC_PCMPEQB_PqQq, "pcmpeqb mm0, mm1"},
    {32, "0f77", 0, DEC_OK, 2, DEC_EMMS, "emms"},
    {32, "0fd1c1", 0, DEC_OK, 3, DEC_PSRLW_PqQq, "psrlw mm0, mm1"},
    {32, "0fefc1", 0, DEC_OK, 3, DEC_PXOR_PqQq, "pxor mm0, mm1"},
    {32, "0ffec1", 0, DEC_OK, 3, DEC_PADDD_PqQq, "paddd mm0, mm1"},
    {32, "0f70c100", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fd4c1", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fd7c1", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fe7c1", 0, DEC_INVALID, 3, DEC_INVALID_OP, "(bad)"},
    {32, "0fffc1", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {32, "660fefc1", 0, DEC_OK, 4, DEC_PXOR_PqQq, "pxor mm0, mm1"},
    {16, "d800", 0, DEC_OK, 2, DEC_FADD_Md, "fadd dword [bx+si]"},
    {16, "d808", 0, DEC_OK, 2, DEC_FMUL_Md, "fmul dword [bx+si]"},
    {16, "d838", 0, DEC_OK, 2, DEC_FDIVR_Md, "fdivr dword [bx+si]"},
    {32, "d900", 0, DEC_OK, 2, DEC_FLD_Md, "fld dword [eax]"},
    {16, "d908", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "d920", 0, DEC_OK, 2, DEC_FLDENV_Menv, "fldenv [bx+si]"},
    {16, "d928", 0, DEC_OK, 2, DEC_FLDCW_Mw, "fldcw word [bx+si]"},
    {16, "d930", 0, DEC_OK, 2, DEC_FNSTENV_Menv, "fnstenv [bx+si]"},
    {16, "d938", 0, DEC_OK, 2, DEC_FNSTCW_Mw, "fnstcw word [bx+si]"},
    {16, "da00", 0, DEC_OK, 2, DEC_FIADD_Md, "fiadd dword [bx+si]"},
    {16, "da38", 0, DEC_OK, 2, DEC_FIDIVR_Md, "fidivr dword [bx+si]"},
    {16, "db00", 0, DEC_OK, 2, DEC_FILD_Md, "fild dword [bx+si]"},
    {16, "db08", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "db20", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "db28", 0, DEC_OK, 2, DEC_FLD_Mt, "fld tword [bx+si]"},
    {16, "db30", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "db38", 0, DEC_OK, 2, DEC_FSTP_Mt, "fstp tword [bx+si]"},
    {16, "dc00", 0, DEC_OK, 2, DEC_FADD_Mq, "fadd qword [bx+si]"},
    {16, "dc38", 0, DEC_OK, 2, DEC_FDIVR_Mq, "fdivr qword [bx+si]"},
    {16, "dd00", 0, DEC_OK, 2, DEC_FLD_Mq, "fld qword [bx+si]"},
    {16, "dd08", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "dd20", 0, DEC_OK, 2, DEC_FRSTOR_Menv, "frstor [bx+si]"},
    {16, "dd28", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "dd30", 0, DEC_OK, 2, DEC_FNSAVE_Menv, "fnsave [bx+si]"},
    {16, "dd38", 0, DEC_OK, 2, DEC_FNSTSW_Mw, "fnstsw word [bx+si]"},
    {16, "de00", 0, DEC_OK, 2, DEC_FIADD_Mw, "fiadd word [bx+si]"},
    {16, "df00", 0, DEC_OK, 2, DEC_FILD_Mw, "fild word [bx+si]"},
    {16, "df08", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "df20", 0, DEC_OK, 2, DEC_FBLD_Mt, "fbld tword [bx+si]"},
    {16, "df28", 0, DEC_OK, 2, DEC_FILD_Mq, "fild qword [bx+si]"},
    {16, "df30", 0, DEC_OK, 2, DEC_FBSTP_Mt, "fbstp tword [bx+si]"},
    {16, "df38", 0, DEC_OK, 2, DEC_FISTP_Mq, "fistp qword [bx+si]"},
    {16, "d8c1", 0, DEC_OK, 2, DEC_FADD_ST0STi, "fadd st0, st1"},
    {16, "d8d1", 0, DEC_OK, 2, DEC_FCOM_ST0STi, "fcom st0, st1"},
    {16, "d8d9", 0, DEC_OK, 2, DEC_FCOMP_ST0STi, "fcomp st0, st1"},
    {16, "d8e1", 0, DEC_OK, 2, DEC_FSUB_ST0STi, "fsub st0, st1"},
    {16, "d8f9", 0, DEC_OK, 2, DEC_FDIVR_ST0STi, "fdivr st0, st1"},
    {16, "d9c1", 0, DEC_OK, 2, DEC_FLD_STi, "fld st1"},
    {16, "d9c9", 0, DEC_OK, 2, DEC_FXCH_STi, "fxch st1"},
    {16, "d9d0", 0, DEC_OK, 2, DEC_FNOP, "fnop"},
    {16, "d9d1", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "d9d9", 0, DEC_OK, 2, DEC_FSTP1_STi, "fstp st1"},
    {16, "d9e0", 0, DEC_OK, 2, DEC_FCHS, "fchs"},
    {16, "d9e1", 0, DEC_OK, 2, DEC_FABS, "fabs"},
    {16, "d9e2", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "d9e4", 0, DEC_OK, 2, DEC_FTST, "ftst"},
    {16, "d9e5", 0, DEC_OK, 2, DEC_FXAM, "fxam"},
    {16, "d9e8", 0, DEC_OK, 2, DEC_FLD1, "fld1"},
    {16, "d9ee", 0, DEC_OK, 2, DEC_FLDZ, "fldz"},
    {16, "d9ef", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "d9f0", 0, DEC_OK, 2, DEC_F2XM1, "f2xm1"},
    {16, "d9f7", 0, DEC_OK, 2, DEC_FINCSTP, "fincstp"},
    {16, "d9f8", 0, DEC_OK, 2, DEC_FPREM, "fprem"},
    {16, "d9ff", 0, DEC_OK, 2, DEC_FCOS, "fcos"},
    {16, "dac1", 0, DEC_OK, 2, DEC_FCMOVB_ST0STi, "fcmovb st0, st1"},
    {16, "dac9", 0, DEC_OK, 2, DEC_FCMOVE_ST0STi, "fcmove st0, st1"},
    {16, "dad1", 0, DEC_OK, 2, DEC_FCMOVBE_ST0STi, "fcmovbe st0, st1"},
    {16, "dad9", 0, DEC_OK, 2, DEC_FCMOVU_ST0STi, "fcmovu st0, st1"},
    {16, "dae1", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "dae9", 0, DEC_OK, 2, DEC_FUCOMPP, "fucompp"},
    {16, "daea", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "dbc1", 0, DEC_OK, 2, DEC_FCMOVNB_ST0STi, "fcmovnb st0, st1"},
    {16, "dbd9", 0, DEC_OK, 2, DEC_FCMOVNU_ST0STi, "fcmovnu st0, st1"},
    {16, "dbe0", 0, DEC_OK, 2, DEC_FENI, "feni"},
    {16, "dbe1", 0, DEC_OK, 2, DEC_FDISI, "fdisi"},
    {16, "dbe2", 0, DEC_OK, 2, DEC_FNCLEX, "fnclex"},
    {16, "dbe3", 0, DEC_OK, 2, DEC_FNINIT, "fninit"},
    {16, "dbe4", 0, DEC_OK, 2, DEC_FSETPM, "fsetpm"},
    {16, "dbe5", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "dbe9", 0, DEC_OK, 2, DEC_FUCOMI_ST0STi, "fucomi st0, st1"},
    {16, "dbf1", 0, DEC_OK, 2, DEC_FCOMI_ST0STi, "fcomi st0, st1"},
    {16, "dbf9", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "dcc1", 0, DEC_OK, 2, DEC_FADD_STiST0, "fadd st1, st0"},
    {16, "dcd1", 0, DEC_OK, 2, DEC_FCOM2_STi, "fcom st1"},
    {16, "dcd9", 0, DEC_OK, 2, DEC_FCOMP3_STi, "fcomp st1"},
    {16, "dce1", 0, DEC_OK, 2, DEC_FSUBR_STiST0, "fsubr st1, st0"},
    {16, "dce9", 0, DEC_OK, 2, DEC_FSUB_STiST0, "fsub st1, st0"},
    {16, "dcf1", 0, DEC_OK, 2, DEC_FDIVR_STiST0, "fdivr st1, st0"},
    {16, "dcf9", 0, DEC_OK, 2, DEC_FDIV_STiST0, "fdiv st1, st0"},
    {16, "ddc1", 0, DEC_OK, 2, DEC_FFREE_STi, "ffree st1"},
    {16, "ddc9", 0, DEC_OK, 2, DEC_FXCH_STi, "fxch st1"},
    {16, "ddd1", 0, DEC_OK, 2, DEC_FST_STi, "fst st1"},
    {16, "ddd9", 0, DEC_OK, 2, DEC_FSTP_STi, "fstp st1"},
    {16, "dde1", 0, DEC_OK, 2, DEC_FUCOM_STi, "fucom st1"},
    {16, "dde9", 0, DEC_OK, 2, DEC_FUCOMP_STi, "fucomp st1"},
    {16, "ddf1", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "dec1", 0, DEC_OK, 2, DEC_FADDP_STiST0, "faddp st1, st0"},
    {16, "ded1", 0, DEC_OK, 2, DEC_FCOMP3_STi, "fcomp st1"},
    {16, "ded9", 0, DEC_OK, 2, DEC_FCOMPP, "fcompp"},
    {16, "deda", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "dee1", 0, DEC_OK, 2, DEC_FSUBRP_STiST0, "fsubrp st1, st0"},
    {16, "def9", 0, DEC_OK, 2, DEC_FDIVP_STiST0, "fdivp st1, st0"},
    {16, "dfc1", 0, DEC_OK, 2, DEC_FFREEP_STi, "ffreep st1"},
    {16, "dfc9", 0, DEC_OK, 2, DEC_FXCH_STi, "fxch st1"},
    {16, "dfd1", 0, DEC_OK, 2, DEC_FSTP1_STi, "fstp st1"},
    {16, "dfd9", 0, DEC_OK, 2, DEC_FSTP1_STi, "fstp st1"},
    {16, "dfe0", 0, DEC_OK, 2, DEC_FNSTSW_AX, "fnstsw ax"},
    {16, "dfe1", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    {16, "dfe9", 0, DEC_OK, 2, DEC_FUCOMIP_ST0STi, "fucomip st0, st1"},
    {16, "dff1", 0, DEC_OK, 2, DEC_FCOMIP_ST0STi, "fcomip st0, st1"},
    {16, "dff9", 0, DEC_INVALID, 2, DEC_INVALID_OP, "(bad)"},
    /* #UD forms still report the ModRM/SIB/displacement bytes consumed */
    {16, "fe903412", 0, DEC_INVALID, 4, DEC_INVALID_OP, "(bad)"},
    {16, "8f883412", 0, DEC_INVALID, 4, DEC_INVALID_OP, "(bad)"},
    {16, "c60e341212", 0, DEC_INVALID, 4, DEC_INVALID_OP, "(bad)"},
    {16, "0fc71e3412", 0, DEC_INVALID, 5, DEC_INVALID_OP, "(bad)"},
    {16, "d90e3412", 0, DEC_INVALID, 4, DEC_INVALID_OP, "(bad)"},
    {32, "0f00b078563412", 0, DEC_INVALID, 7, DEC_INVALID_OP, "(bad)"},
    {32, "f0015c8804", 0, DEC_OK, 5, DEC_ADD_EdGd, "lock add dword [eax+ecx*4+0x4], ebx"},
    {32, "8d8424f0ffffff", 0, DEC_OK, 7, DEC_LEA_GdM, "lea eax, [esp-0x10]"},
    {16, "f06601c0", 0, DEC_INVALID, 4, DEC_INVALID_OP, "(bad)"},
};

static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
    size_t n = 0;
    for (; hex[0] && hex[1] && n < max; hex += 2) {
        unsigned v;
        assert_int_equal(sscanf(hex, "%2x", &v), 1);
        out[n++] = (uint8_t)v;
    }
    return n;
}

static void test_golden(void **state)
{
    (void)state;
    size_t fails = 0;
    for (size_t k = 0; k < sizeof golden / sizeof golden[0]; k++) {
        const struct golden *g = &golden[k];
        uint8_t b[32];
        size_t n = unhex(g->hex, b, sizeof b);
        size_t avail = g->avail ? g->avail : n;
        struct dec_insn d;
        enum dec_mode mode = g->mode == 32 ? DEC_MODE_32 : DEC_MODE_16;
        enum dec_status st = dec_decode(b, avail, mode, &d);
        char t[128] = "";
        if (st == DEC_OK || st == DEC_INVALID)
            dec_disasm(&d, 0x1000, mode, t, sizeof t);
        if (st != g->st || d.len != g->len || d.op != g->op || strcmp(t, g->text)) {
            print_error("golden %zu (%d-bit %s): got st=%d len=%u op=%u \"%s\", want st=%d "
                        "len=%u op=%u \"%s\"\n",
                        k, g->mode, g->hex, st, d.len, d.op, t, g->st, g->len, g->op, g->text);
            fails++;
        }
    }
    print_message("%zu golden cases\n", sizeof golden / sizeof golden[0]);
    assert_int_equal(fails, 0);
}

/* Field-level expectations for the forms whose operands live in the
 * record rather than in the text. */
struct fields {
    int mode;
    const char *hex;
    unsigned flags, seg, reg, rm, base, index, scale;
    uint32_t disp, imm;
    uint16_t imm2;
};

#define NO DEC_REG_NONE
#define O32 DEC_F_O32
#define A32 DEC_F_A32
#define MEM DEC_F_MEM
#define SO DEC_F_SEGOVR
static const struct fields field_cases[] = {
    /* 16-bit addressing: default segment SS for [bp+si], [bp+di], [bp+d] */
    {16, "8b00", MEM, DEC_SEG_DS, 0, 0, 3, 6, 0, 0, 0, 0},
    {16, "8b02", MEM, DEC_SEG_SS, 0, 2, 5, 6, 0, 0, 0, 0},
    {16, "8b03", MEM, DEC_SEG_SS, 0, 3, 5, 7, 0, 0, 0, 0},
    {16, "8b46fe", MEM, DEC_SEG_SS, 0, 6, 5, NO, 0, 0xFFFFFFFEu, 0, 0},
    {16, "8b063412", MEM, DEC_SEG_DS, 0, 6, NO, NO, 0, 0x1234, 0, 0},
    {16, "8b810080", MEM, DEC_SEG_DS, 0, 1, 3, 7, 0, 0xFFFF8000u, 0, 0},
    {16, "268b46fe", MEM | SO, DEC_SEG_ES, 0, 6, 5, NO, 0, 0xFFFFFFFEu, 0, 0},
    /* 32-bit addressing: SS for EBP (mod != 0) and ESP bases */
    {32, "8b4488f0", O32 | A32 | MEM, DEC_SEG_DS, 0, 4, 0, 1, 2, 0xFFFFFFF0u, 0, 0},
    {32, "8b0424", O32 | A32 | MEM, DEC_SEG_SS, 0, 4, 4, NO, 0, 0, 0, 0},
    {32, "8b4500", O32 | A32 | MEM, DEC_SEG_SS, 0, 5, 5, NO, 0, 0, 0, 0},
    {32, "8b0578563412", O32 | A32 | MEM, DEC_SEG_DS, 0, 5, NO, NO, 0, 0x12345678, 0, 0},
    {32, "8b04ad78563412", O32 | A32 | MEM, DEC_SEG_DS, 0, 4, NO, 5, 2, 0x12345678, 0, 0},
    {32, "8b4c6d00", O32 | A32 | MEM, DEC_SEG_SS, 1, 4, 5, 5, 1, 0, 0, 0},
    {32, "3e8b4500", O32 | A32 | MEM | SO, DEC_SEG_DS, 0, 5, 5, NO, 0, 0, 0, 0},
    {32, "8bc1", O32 | A32, DEC_SEG_DS, 0, 1, NO, NO, 0, 0, 0, 0},
    /* immediates: Ib/Iw zero-extended, Ibw/Ibd sign-extended */
    {16, "83c0ff", 0, DEC_SEG_DS, 0, 0, NO, NO, 0, 0, 0xFFFF, 0},
    {32, "83c0ff", O32 | A32, DEC_SEG_DS, 0, 0, NO, NO, 0, 0, 0xFFFFFFFFu, 0},
    {32, "80c0ff", O32 | A32, DEC_SEG_DS, 0, 0, NO, NO, 0, 0, 0xFF, 0},
    {16, "b8ffff", 0, DEC_SEG_DS, 0, 0, NO, NO, 0, 0, 0xFFFF, 0},
    {32, "6a80", O32 | A32, DEC_SEG_DS, 2, 0, NO, NO, 0, 0, 0xFFFFFF80u, 0},
    {16, "6a80", 0, DEC_SEG_DS, 2, 0, NO, NO, 0, 0, 0xFF80, 0},
    /* relative branches: sign-extended to 32 bits */
    {16, "eb80", 0, DEC_SEG_DS, 3, 0, NO, NO, 0, 0, 0xFFFFFF80u, 0},
    {16, "e90080", 0, DEC_SEG_DS, 1, 0, NO, NO, 0, 0, 0xFFFF8000u, 0},
    {32, "0f85faffffff", O32 | A32, DEC_SEG_DS, 5, 0, NO, NO, 0, 0, 0xFFFFFFFAu, 0},
    /* far pointers and ENTER */
    {16, "ea78563412", 0, DEC_SEG_DS, 2, 0, NO, NO, 0, 0, 0x5678, 0x1234},
    {32, "9a785634123412", O32 | A32, DEC_SEG_DS, 2, 0, NO, NO, 0, 0, 0x12345678, 0x1234},
    {16, "c8100003", 0, DEC_SEG_DS, 0, 0, NO, NO, 0, 0, 0x10, 3},
    /* moffs: offset in disp, width by address size */
    {32, "67a13412", O32, DEC_SEG_DS, 1, 0, NO, NO, 0, 0x1234, 0, 0},
    {16, "2ea07856", SO, DEC_SEG_CS, 0, 0, NO, NO, 0, 0x5678, 0, 0},
    /* string forms: seg = override or DS; REP flags, last one wins */
    {16, "f3a4", DEC_F_REP, DEC_SEG_DS, 4, 0, NO, NO, 0, 0, 0, 0},
    {16, "f3f2a6", DEC_F_REPNE, DEC_SEG_DS, 6, 0, NO, NO, 0, 0, 0, 0},
    {16, "f2f3a6", DEC_F_REP, DEC_SEG_DS, 6, 0, NO, NO, 0, 0, 0, 0},
    {32, "64f3a5", O32 | A32 | DEC_F_REP | SO, DEC_SEG_FS, 5, 0, NO, NO, 0, 0, 0, 0},
    {32, "2636a5", O32 | A32 | SO, DEC_SEG_SS, 5, 0, NO, NO, 0, 0, 0, 0},
    /* register in the opcode, LOCK flag, 0F 20 ignores mod */
    {32, "0fcb", O32 | A32, DEC_SEG_DS, 3, 0, NO, NO, 0, 0, 0, 0},
    {32, "f00fc10e", O32 | A32 | MEM | DEC_F_LOCK, DEC_SEG_DS, 1, 6, 6, NO, 0, 0, 0, 0},
    {32, "0f2018", O32 | A32, DEC_SEG_DS, 3, 0, NO, NO, 0, 0, 0, 0},
    {16, "6667d9c3", O32 | A32, DEC_SEG_DS, 0, 3, NO, NO, 0, 0, 0, 0},
};

static void test_fields(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof field_cases / sizeof field_cases[0]; k++) {
        const struct fields *f = &field_cases[k];
        uint8_t b[32];
        size_t n = unhex(f->hex, b, sizeof b);
        struct dec_insn d;
        enum dec_status st = dec_decode(b, n, f->mode == 32 ? DEC_MODE_32 : DEC_MODE_16, &d);
        if (st != DEC_OK || d.flags != f->flags || d.seg != f->seg || d.reg != f->reg ||
            d.rm != f->rm || d.base != f->base || d.index != f->index || d.scale != f->scale ||
            d.disp != f->disp || d.imm != f->imm || d.imm2 != f->imm2) {
            print_error("fields %zu (%s): st=%d flags=%#x seg=%u reg=%u rm=%u base=%u index=%u "
                        "scale=%u disp=%#x imm=%#x imm2=%#x\n",
                        k, f->hex, st, d.flags, d.seg, d.reg, d.rm, d.base, d.index, d.scale,
                        d.disp, d.imm, d.imm2);
            fail();
        }
    }
}

/* Every one- and two-byte opcode under a set of prefix combinations, with
 * ModRM/SIB/displacement tails, decoded with every avail from 0 up to its
 * length.  The bytes sit at the very end of a heap block, so an ASan build
 * (-DRZ_SANITIZE=ON) catches any read past avail; the statuses must be
 * consistent: TRUNCATED below the length, the full result from there on. */
static const char *const sweep_prefixes[] = {
    "", "66", "67", "f0", "f2", "f3", "26", "64", "6667", "f066", "f36667", "2ef2",
    "3e6567f0f3f2", "66666666666666666666666666", /* 13 prefixes */
};
static const uint8_t sweep_tails[][14] = {
    {0x84, 0x88, 0x78, 0x56, 0x34, 0x12, 0x9A, 0xBC, 0xDE, 0xF0, 0x11, 0x22, 0x33, 0x44},
    {0x05, 0x78, 0x56, 0x34, 0x12, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09},
    {0xC1, 0x44, 0x24, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},
};

static void test_sweep(void **state)
{
    (void)state;
    uint8_t *block = test_malloc(32);
    unsigned long decodes = 0;
    for (size_t p = 0; p < sizeof sweep_prefixes / sizeof sweep_prefixes[0]; p++) {
        uint8_t pfx[16];
        size_t np = unhex(sweep_prefixes[p], pfx, sizeof pfx);
        for (unsigned op = 0; op < 65536; op++) {
            for (size_t t = 0; t < sizeof sweep_tails / sizeof sweep_tails[0]; t++) {
                uint8_t full[32];
                size_t n = 0;
                memcpy(full, pfx, np);
                n = np;
                full[n++] = (uint8_t)(op >> 8);
                full[n++] = (uint8_t)op;
                memcpy(full + n, sweep_tails[t], sizeof sweep_tails[t]);
                n += sizeof sweep_tails[t];
                for (int mode = 0; mode < 2; mode++) {
                    struct dec_insn ref, d;
                    enum dec_status rst = dec_decode(full, n, (enum dec_mode)mode, &ref);
                    assert_true(rst != DEC_TRUNCATED);
                    assert_true(ref.len >= 1 && ref.len <= 15);
                    if (rst == DEC_TOO_LONG)
                        assert_int_equal(ref.len, 15);
                    for (size_t avail = 0; avail <= ref.len && avail < 15; avail++) {
                        uint8_t *b = block + 32 - avail;
                        memcpy(b, full, avail);
                        enum dec_status st = dec_decode(b, avail, (enum dec_mode)mode, &d);
                        decodes++;
                        if (avail < ref.len && rst != DEC_INVALID) {
                            assert_int_equal(st, DEC_TRUNCATED);
                        } else if (st != DEC_TRUNCATED) {
                            assert_int_equal(st, rst);
                            assert_int_equal(d.len, ref.len);
                            assert_int_equal(d.op, ref.op);
                        }
                        assert_true(d.len <= avail || st == DEC_TOO_LONG);
                    }
                }
            }
        }
    }
    test_free(block);
    print_message("sweep: %lu decodes\n", decodes);
}

/* Every form in opcodes.def is reachable from some encoding: walk all
 * one-byte opcodes with every ModRM and all 0F opcodes with every ModRM,
 * with and without 66, in both modes. */
static void test_every_form_reachable(void **state)
{
    (void)state;
    static uint8_t seen[DEC_OP_COUNT];
    memset(seen, 0, sizeof seen);
    for (int mode = 0; mode < 2; mode++)
        for (int o = 0; o < 2; o++)
            for (int a = 0; a < 2; a++)
                for (unsigned esc = 0; esc < 2; esc++)
                    for (unsigned op = 0; op < 256; op++)
                        for (unsigned m = 0; m < 256; m++) {
                            uint8_t b[16] = {0};
                            size_t n = 0;
                            if (o)
                                b[n++] = 0x66;
                            if (a)
                                b[n++] = 0x67;
                            if (esc)
                                b[n++] = 0x0F;
                            b[n++] = (uint8_t)op;
                            b[n++] = (uint8_t)m;
                            struct dec_insn d;
                            if (dec_decode(b, sizeof b, (enum dec_mode)mode, &d) == DEC_OK)
                                seen[d.op] = 1;
                        }
    unsigned missing = 0;
    for (unsigned k = 1; k < DEC_OP_COUNT; k++)
        if (!seen[k]) {
            print_error("form %u (%s) is never decoded\n", k, dec_form((enum dec_op)k)->mnemonic);
            missing++;
        }
    assert_int_equal(missing, 0);
}

/* dec_disasm() behaves like snprintf; dec_form() tolerates bad IDs. */
static void test_disasm_buffer(void **state)
{
    (void)state;
    static const uint8_t b[] = {0x8b, 0x44, 0x88, 0xf0};
    struct dec_insn d;
    char small[8], big[64];
    assert_int_equal(dec_decode(b, sizeof b, DEC_MODE_32, &d), DEC_OK);
    int n = dec_disasm(&d, 0, DEC_MODE_32, big, sizeof big);
    assert_string_equal(big, "mov eax, dword [eax+ecx*4-0x10]");
    assert_int_equal(n, (int)strlen(big));
    assert_int_equal(dec_disasm(&d, 0, DEC_MODE_32, small, sizeof small), n);
    assert_string_equal(small, "mov eax");
    assert_int_equal(dec_disasm(&d, 0, DEC_MODE_32, NULL, 0), n);
    assert_string_equal(dec_form(DEC_OP_COUNT)->mnemonic, "(bad)");
    assert_string_equal(dec_form(DEC_ADD_EbGb)->mnemonic, "add");
    assert_int_equal(dec_form(DEC_ADD_EbGb)->operand[0], DEC_OPND_Eb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_sweep),
        cmocka_unit_test(test_every_form_reachable),
        cmocka_unit_test(test_disasm_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
