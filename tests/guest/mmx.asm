; MMX (SDM vol. 1, chapter 9; vol. 3, 12.2 and tables 12-1 to 12-3): a
; few instructions of each group with saturation, sign and large-count
; edges; the aliasing with the x87 as FNSTENV/FNSAVE show it (TOP = 0,
; tags from the register contents after an MMX instruction, all empty
; after EMMS, bits 79-64 all ones in a written register, an FLD without
; EMMS overflowing the stack); CR0.EM -> #UD, CR0.TS -> #NM, a pending
; unmasked x87 exception -> #MF with CR0.NE = 1.
; The sequences of the aliasing part were run on a real x86 to get the
; expected status and tag words.
; Cross-checked on Bochs 2.7 (cpu model p2_klamath): it passes there too.
%include "rz_test.inc"

%define RES      0x5000         ; quadword results
%define ENV      0x5100         ; FNSTENV image (28 bytes)
%define SAVE     0x5200         ; FNSAVE image (108 bytes)
%define SAVE2    0x5300
%define CR0_EM   0x04
%define CR0_TS   0x08
%define CR0_NE   0x20

; MMXCHK mm, lo, hi: the quadword in mm is hi:lo.
%macro MMXCHK 3
        movq [RES], %1
        CHECK32 dword [RES], %2
        CHECK32 dword [RES + 4], %3
%endmacro

; LOADQ mm, label: mm = the quadword at label (in the ROM).
%macro LOADQ 2
        movq %1, [ROMBASE + %2]
%endmacro

; EXPECT_EXC vector, len: the instruction that follows (len bytes) must
; raise `vector` once; the handler resumes after it.
%macro EXPECT_EXC_BEGIN 1
        mov dword [EXC_SKIP], %1
        mov dword [EXC_CNT], 0
        mov dword [EXC_VEC], 0xFF
%endmacro
%macro EXPECT_EXC_END 1
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], %1
%endmacro

start:
        mov al, 0xFF                    ; no interrupts from the PICs
        out 0x21, al
        out 0xA1, al
        RZ_PM_ENTER
        mov eax, cr0
        and eax, ~(CR0_EM | CR0_TS)
        or eax, CR0_NE
        mov cr0, eax
        fninit

        ; ---- data movement ----
        LOADQ mm0, q_pattern
        MMXCHK mm0, 0x89ABCDEF, 0x01234567
        movq mm7, mm0
        MMXCHK mm7, 0x89ABCDEF, 0x01234567
        movd eax, mm7
        CHECK32 eax, 0x89ABCDEF
        mov dword [RES + 8], 0xCAFEF00D
        movd mm1, [RES + 8]             ; zero-extended
        MMXCHK mm1, 0xCAFEF00D, 0
        mov ecx, 0x11223344
        movd mm2, ecx
        MMXCHK mm2, 0x11223344, 0
        movd [RES + 16], mm0
        CHECK32 dword [RES + 16], 0x89ABCDEF

        ; ---- add / subtract with saturation ----
        LOADQ mm0, q_addsb_a
        paddsb mm0, [ROMBASE + q_addsb_b]
        MMXCHK mm0, 0xFF000000, 0x7F80807F
        LOADQ mm1, q_addusw_a
        LOADQ mm2, q_addusw_b
        paddusw mm1, mm2
        MMXCHK mm1, 0x0002FFFF, 0xFFFFFFFF
        LOADQ mm3, q_subsw_a
        psubsw mm3, [ROMBASE + q_subsw_b]
        MMXCHK mm3, 0x7FFF8000, 0x80007FFF
        LOADQ mm4, q_addsb_a
        paddb mm4, [ROMBASE + q_addsb_b]  ; wraps: 80 7F 00 FE FF 00 00 00
        MMXCHK mm4, 0xFF000000, 0x807F00FE

        ; ---- compare, logic ----
        LOADQ mm5, q_gtb_a
        pcmpgtb mm5, [ROMBASE + q_gtb_b]
        MMXCHK mm5, 0x00000000, 0xFF00FF00
        LOADQ mm6, q_logic_a
        pandn mm6, [ROMBASE + q_logic_b]
        MMXCHK mm6, 0x00005678, 0x0F000F00
        LOADQ mm6, q_logic_a
        pxor mm6, [ROMBASE + q_logic_b]
        MMXCHK mm6, 0xEDCB5678, 0x0FF00FF0
        LOADQ mm6, q_pattern
        pcmpeqd mm6, mm7                ; mm7 = q_pattern still
        MMXCHK mm6, 0xFFFFFFFF, 0xFFFFFFFF
        LOADQ mm6, q_pattern
        pcmpeqd mm6, mm0                ; the PADDSB result: both differ
        MMXCHK mm6, 0x00000000, 0x00000000

        ; ---- multiply ----
        LOADQ mm0, q_mul_a
        LOADQ mm1, q_mul_b
        movq mm2, mm0
        pmulhw mm0, mm1
        MMXCHK mm0, 0xC0000000, 0x40000000
        pmullw mm2, mm1
        MMXCHK mm2, 0x8000000F, 0x00000001
        LOADQ mm3, q_madd_a
        pmaddwd mm3, [ROMBASE + q_madd_b]
        MMXCHK mm3, 0x00000017, 0x80000000

        ; ---- pack / unpack ----
        LOADQ mm0, q_packsswb_a
        packsswb mm0, [ROMBASE + q_packsswb_b]
        MMXCHK mm0, 0x807F7F7F, 0xFF00807F
        LOADQ mm1, q_packuswb_a
        packuswb mm1, [ROMBASE + q_packuswb_b]
        MMXCHK mm1, 0x00FF00FF, 0x008001FF
        LOADQ mm2, q_packssdw_a
        packssdw mm2, [ROMBASE + q_packssdw_b]
        MMXCHK mm2, 0x80007FFF, 0x80007FFF
        LOADQ mm3, q_bytes_a
        punpcklbw mm3, [ROMBASE + q_bytes_b]
        MMXCHK mm3, 0x11011000, 0x13031202
        LOADQ mm4, q_bytes_a
        punpckhdq mm4, [ROMBASE + q_bytes_b]
        MMXCHK mm4, 0x07060504, 0x17161514

        ; ---- shifts: immediate, register and memory counts ----
        LOADQ mm0, q_shift
        psllw mm0, 3
        MMXCHK mm0, 0xFFF80008, 0x00088078
        LOADQ mm0, q_shift
        psraw mm0, 255                  ; sign fill
        MMXCHK mm0, 0x00000000, 0xFFFFFFFF
        LOADQ mm0, q_shift
        psrlq mm0, [ROMBASE + q_count12]
        MMXCHK mm0, 0x00F7FFF0, 0x0008001F
        LOADQ mm0, q_shift
        psrlq mm0, [ROMBASE + q_count64] ; past the width: 0
        MMXCHK mm0, 0, 0
        LOADQ mm0, q_shift
        LOADQ mm1, q_count31
        psrad mm0, mm1
        MMXCHK mm0, 0x00000000, 0xFFFFFFFF
        LOADQ mm0, q_shift
        LOADQ mm1, q_count_hi           ; 1_0000_0000h: the high dword counts
        pslld mm0, mm1
        MMXCHK mm0, 0, 0

        ; ---- aliasing, as FNSTENV/FNSAVE see it ----
        fninit
        fld1
        fld1                            ; TOP = 6
        LOADQ mm0, q_one
        LOADQ mm1, q_one
        LOADQ mm2, q_one
        LOADQ mm3, q_pattern
        LOADQ mm4, q_one
        LOADQ mm5, q_one
        LOADQ mm6, q_one
        LOADQ mm7, q_one
        fnstenv [ENV]
        mov ax, [ENV + 4]
        and ax, 0x3800
        CHECK32 ax, 0                   ; TOP = 0
        CHECK32 word [ENV + 8], 0xAAAA  ; every register special (exponent all ones)
        fnsave [SAVE]                   ; TOP = 0: ST3 is R3 = MM3
        CHECK32 dword [SAVE + 28 + 30], 0x89ABCDEF
        CHECK32 dword [SAVE + 28 + 34], 0x01234567
        CHECK32 word [SAVE + 28 + 38], 0xFFFF
        CHECK32 word [SAVE + 28 + 8], 0xFFFF
        frstor [SAVE]                   ; MMX state survives FNSAVE/FRSTOR
        MMXCHK mm3, 0x89ABCDEF, 0x01234567
        emms
        fnstenv [ENV]
        CHECK32 word [ENV + 8], 0xFFFF  ; all empty
        mov ax, [ENV + 4]
        and ax, 0x3800
        CHECK32 ax, 0
        fninit
        fld1                            ; R7 valid
        fldz                            ; R6 zero, TOP = 6
        pxor mm0, mm0                   ; R0-R5 hold MMX values: special
        fnstenv [ENV]
        CHECK32 word [ENV + 8], 0x1AAA
        CHECK32 word [ENV + 4], 0x0000
        ; MMX code without EMMS leaves no register empty: FLD overflows
        fninit
        pxor mm0, mm0
        fld1
        fnstsw ax
        CHECK32 ax, 0x3A41              ; TOP 7, C1, SF, IE
        fninit

        ; ---- exceptions: CR0.EM -> #UD, CR0.TS -> #NM (table 12-1) ----
        mov dword [EXC_CNT], 0
        mov eax, cr0
        or eax, CR0_EM
        mov cr0, eax
        EXPECT_EXC_BEGIN 3
        pxor mm0, mm1
        EXPECT_EXC_END 6
        EXPECT_EXC_BEGIN 2
        emms
        EXPECT_EXC_END 6
        mov eax, cr0
        xor eax, CR0_EM | CR0_TS        ; TS only
        mov cr0, eax
        EXPECT_EXC_BEGIN 7
        movq mm0, [ROMBASE + q_one]
        EXPECT_EXC_END 7
        EXPECT_EXC_BEGIN 2
        emms
        EXPECT_EXC_END 7
        clts
        ; ---- a pending unmasked x87 exception: #MF first (CR0.NE = 1) ----
        fninit
        fldcw [ROMBASE + cw_ie_unmasked]
        fld1
        fchs
        fsqrt                           ; invalid, unmasked: pending
        EXPECT_EXC_BEGIN 3
        pxor mm0, mm0
        EXPECT_EXC_END 16
        EXPECT_EXC_BEGIN 2
        emms
        EXPECT_EXC_END 16
        fnclex
        mov dword [EXC_CNT], 0
        emms
        CHECK32 dword [EXC_CNT], 0
        fninit
        PASS32

        RZ_RUNTIME32
        RZ_PM_EXCEPTIONS

        align 8
q_pattern:      dq 0x0123456789ABCDEF
q_one:          dq 0x0000000000000001
q_addsb_a:      dq 0x7F80807F01000000
q_addsb_b:      dq 0x01FF807FFE000000
q_addusw_a:     dq 0xFFFF80000001FFFE
q_addusw_b:     dq 0x0001800000010001
q_subsw_a:      dq 0x80007FFF0000FFFF
q_subsw_b:      dq 0x0001FFFF80007FFF
q_gtb_a:        dq 0x7F8000FF01020304
q_gtb_b:        dq 0x807FFF0001020305
q_logic_a:      dq 0xF0F0F0F0FFFF0000
q_logic_b:      dq 0xFF00FF0012345678
q_mul_a:        dq 0x8000FFFF7FFF0003
q_mul_b:        dq 0x8000FFFF80000005
q_madd_a:       dq 0x8000800000020003
q_madd_b:       dq 0x8000800000040005
q_packsswb_a:   dq 0x80007F7F7FFF0080
q_packsswb_b:   dq 0xFFFF0000FF80007F
q_packuswb_a:   dq 0x800000FFFFFF0100
q_packuswb_b:   dq 0xFF00008000017FFF
q_packssdw_a:   dq 0xFFFF7FFF00008000
q_packssdw_b:   dq 0x8000000000007FFF
q_bytes_a:      dq 0x0706050403020100
q_bytes_b:      dq 0x1716151413121110
q_shift:        dq 0x8001F00F7FFF0001
q_count12:      dq 12
q_count31:      dq 31
q_count64:      dq 64
q_count_hi:     dq 0x0000000100000000
cw_ie_unmasked: dw 0x037E

        RZ_GDT_BEGIN
        RZ_GDT_END
        RZ_RESET_VECTOR
