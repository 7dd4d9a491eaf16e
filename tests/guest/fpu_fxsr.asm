; fpu_fxsr.asm - FXSAVE/FXRSTOR (SDM vol. 2, FXSAVE, table 3-53) in 32-bit
; protected mode: CPUID reports FXSR, the 512-byte image's x87 part (CW,
; SW, the abridged tag byte, FOP, FIP/FCS, FDP/FDS, ST(0)-ST(7) in 16-byte
; slots), FXRSTOR rebuilding the full tag word from the abridged one, and
; #GP(0) for an area not 16-byte aligned.  (Bochs's p2_klamath has no
; FXSR: cross-check this one with model=p3_katmai.)
%include "rz_test.inc"

%define AREA    0x1000          ; 16-byte aligned
%define ENV     0x0A00
%define OPND    0x0540

start:
        RZ_PM_ENTER
        mov eax, 1
        cpuid
        and edx, 0x01000001             ; FXSR, FPU
        CHECK32 edx, 0x01000001
        mov eax, cr0
        and eax, ~0x0C
        or eax, 0x22
        mov cr0, eax
        mov eax, cr4
        or eax, 0x200                   ; OSFXSR
        mov cr4, eax

        mov dword [OPND], 0x40000000    ; 2.0f
        mov edi, AREA                   ; the image area starts all ones
        mov ecx, 512 / 4
        mov eax, 0xFFFFFFFF
        rep stosd
        fninit
        fld1                            ; R7 = 1.0
        fldz
pm_last:
        fadd dword [OPND]               ; R6 = 2.0; FOP 005h
        fxsave [AREA]
        CHECK32 word [AREA], 0x037F
        CHECK32 word [AREA + 2], 0x3000
        CHECK32 byte [AREA + 4], 0xC0   ; R7, R6 in use
        CHECK32 byte [AREA + 5], 0
        CHECK32 word [AREA + 6], 0x0005
        CHECK32 dword [AREA + 8], pm_last
        CHECK32 word [AREA + 12], 0x0008
        CHECK32 word [AREA + 14], 0
        CHECK32 dword [AREA + 16], OPND
        CHECK32 word [AREA + 20], 0x0010
        CHECK32 word [AREA + 22], 0
        CHECK32 dword [AREA + 32], 0            ; ST0 = 2.0
        CHECK32 dword [AREA + 36], 0x80000000
        CHECK32 word [AREA + 40], 0x4000
        CHECK32 word [AREA + 42], 0
        CHECK32 dword [AREA + 44], 0
        CHECK32 dword [AREA + 52], 0x80000000   ; ST1 = 1.0
        CHECK32 word [AREA + 56], 0x3FFF
        fxsave [AREA]                   ; FXSAVE does not re-initialise
        fnstsw ax
        CHECK32 ax, 0x3000

        ; FXRSTOR: state back, full tags rebuilt from the registers
        fninit
        fxrstor [AREA]
        fnstenv [ENV]
        CHECK32 dword [ENV + 4], 0xFFFF3000
        CHECK32 dword [ENV + 8], 0xFFFF0FFF
        CHECK32 dword [ENV + 12], pm_last
        CHECK32 dword [ENV + 16], 0x00050008
        CHECK32 dword [ENV + 20], OPND
        ; only R7 in use: ST0 (R6) empty
        mov byte [AREA + 4], 0x80
        fxrstor [AREA]
        fxam
        fnstsw ax
        and ax, 0x7D00
        CHECK32 ax, 0x7100              ; TOP 6, C3 C0: empty
        fnstenv [ENV]
        CHECK32 dword [ENV + 8], 0xFFFF3FFF

        ; misaligned: #GP(0)
        mov dword [EXC_CNT], 0
        mov dword [EXC_SKIP], 7
        fxsave [AREA + 8]               ; 0F AE 05 disp32
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], 0
        fxrstor [AREA + 4]
        CHECK32 dword [EXC_CNT], 2
        CHECK32 dword [EXC_VEC], 13

        PASS32

        RZ_RUNTIME32
        RZ_PM_EXCEPTIONS
        RZ_GDT_BEGIN
        RZ_GDT_END
        RZ_RESET_VECTOR
