; fpu_env.asm - the x87 environment and state images, byte by byte (SDM
; vol. 1, 8.1.10, figures 8-9 to 8-12): FNSTENV/FLDENV and FNSAVE/FRSTOR
; with 16- and 32-bit operand sizes, in real mode (20-bit and 32-bit
; linear instruction/operand pointers sharing a field with FOP) and in
; protected mode (offsets and selectors; FOP only in the 32-bit format),
; the full tag word computed from the registers, FNSAVE's re-initialise,
; FRSTOR/FLDENV loading TOP and tags.
%include "rz_test.inc"

%define ENV16   0x0A00
%define ENV32   0x0A20
%define SAVE16  0x0B00          ; 94 bytes
%define SAVE32  0x0C00          ; 108 bytes
%define CW      0x0A80
%define OPND    0x0540          ; the memory operand (offset)
%define OPSEG   0x1234          ; real mode: its segment, linear 12880h

start:
        RZ_INIT16
        mov eax, cr0
        and al, ~0x0C
        or al, 0x22
        mov cr0, eax

        ; ---- real mode state: R7 = 1.0, R6 = +0, R5 = +inf, R4 = 2.0 ----
        mov ax, OPSEG
        mov fs, ax
        mov dword [fs:OPND], 0x40000000 ; 2.0f
        fninit
        mov word [CW], 0x0B7F           ; RC = up
        fldcw [CW]
        fld1
        fldz
        fld tword [cs:t_inf]
        mov ax, OPSEG
        mov ds, ax
rm_last:
        fld dword [OPND]                ; D9 06: FOP 106h
        xor ax, ax
        mov ds, ax

        ; 16-bit real-mode format: 20-bit linear pointers
        fnstenv [ENV16]
        CHECK word [ENV16], 0x0B7F
        CHECK word [ENV16 + 2], 0x2000  ; TOP 4
        CHECK word [ENV16 + 4], 0x18FF  ; R7 valid, R6 zero, R5 special, R4 valid
        CHECK word [ENV16 + 6], rm_last ; (F0000h + IP) bits 15-0
        CHECK word [ENV16 + 8], 0xF106  ; bits 19-16, FOP
        CHECK word [ENV16 + 10], 0x2880 ; 12880h bits 15-0
        CHECK word [ENV16 + 12], 0x1000 ; bits 19-16
        ; 32-bit real-mode format
        o32 fnstenv [ENV32]
        CHECK dword [ENV32], 0xFFFF0B7F
        CHECK dword [ENV32 + 4], 0xFFFF2000
        CHECK dword [ENV32 + 8], 0xFFFF18FF
        CHECK dword [ENV32 + 12], 0xFFFF0000 + rm_last
        CHECK dword [ENV32 + 16], 0x0000F106 ; bits 31-16 in 27-12, FOP
        CHECK dword [ENV32 + 20], 0xFFFF2880
        CHECK dword [ENV32 + 24], 0x00001000

        ; FNSAVE (16-bit): environment, ST(0)..ST(7), then FNINIT
        fnsave [SAVE16]
        CHECK word [SAVE16 + 4], 0x18FF
        CHECK word [SAVE16 + 8], 0xF106
        CHECK dword [SAVE16 + 14], 0              ; ST0 = 2.0
        CHECK dword [SAVE16 + 18], 0x80000000
        CHECK word [SAVE16 + 22], 0x4000
        CHECK dword [SAVE16 + 28], 0x80000000     ; ST1 = +inf
        CHECK word [SAVE16 + 32], 0x7FFF
        CHECK dword [SAVE16 + 38], 0              ; ST2 = +0
        CHECK word [SAVE16 + 42], 0x0000
        CHECK dword [SAVE16 + 48], 0x80000000     ; ST3 = 1.0
        CHECK word [SAVE16 + 52], 0x3FFF
        fnstcw [CW]
        CHECK word [CW], 0x037F                   ; re-initialised
        fnstsw ax
        CHECK ax, 0
        ; FRSTOR gives everything back, pointers included
        frstor [SAVE16]
        fnstenv [ENV32]
        mov si, ENV16
        mov di, ENV32
        mov cx, 7
        repe cmpsw
        CHECKF F_ZF, F_ZF
        CHECK cx, 0
        ; FLDENV: TOP 0, every tag empty
        mov word [ENV16 + 2], 0
        mov word [ENV16 + 4], 0xFFFF
        fldenv [ENV16]
        fxam
        fnstsw ax
        and ax, 0x7D00                  ; TOP, C3 C2 C0
        CHECK ax, 0x4100                ; empty

        ; ---- protected mode ----
        RZ_PM_ENTER
        mov dword [OPND], 0x40000000    ; 2.0f
        fninit
        fld1                            ; R7
        fldz                            ; R6
pm_last:
        fadd dword [OPND]               ; D8 05: FOP 005h; R6 = 2.0
        fnstenv [ENV32]
        CHECK32 dword [ENV32], 0xFFFF037F
        CHECK32 dword [ENV32 + 4], 0xFFFF3000
        CHECK32 dword [ENV32 + 8], 0xFFFF0FFF
        CHECK32 dword [ENV32 + 12], pm_last
        CHECK32 dword [ENV32 + 16], 0x00050008  ; FOP, FCS
        CHECK32 dword [ENV32 + 20], OPND
        CHECK32 dword [ENV32 + 24], 0xFFFF0010
        o16 fnstenv [ENV16]
        CHECK32 word [ENV16], 0x037F
        CHECK32 word [ENV16 + 2], 0x3000
        CHECK32 word [ENV16 + 4], 0x0FFF
        CHECK32 word [ENV16 + 6], pm_last
        CHECK32 word [ENV16 + 8], 0x0008
        CHECK32 word [ENV16 + 10], OPND
        CHECK32 word [ENV16 + 12], 0x0010

        ; FNSAVE (32-bit): registers from byte 28
        fnsave [SAVE32]
        CHECK32 dword [SAVE32 + 16], 0x00050008
        CHECK32 dword [SAVE32 + 28], 0           ; ST0 = 2.0
        CHECK32 dword [SAVE32 + 32], 0x80000000
        CHECK32 word [SAVE32 + 36], 0x4000
        CHECK32 dword [SAVE32 + 42], 0x80000000  ; ST1 = 1.0
        CHECK32 word [SAVE32 + 46], 0x3FFF
        fnstsw ax
        CHECK32 ax, 0
        ; FRSTOR with TOP 3 and only R3 in use: ST0 = the image's first
        ; register (2.0)
        mov word [SAVE32 + 4], 0x1800
        mov word [SAVE32 + 8], 0xFF3F
        frstor [SAVE32]
        fxam
        fnstsw ax
        CHECK32 ax, 0x1C00              ; TOP 3, C2: normal, positive
        fstp tword [ENV16]
        CHECK32 dword [ENV16 + 4], 0x80000000
        CHECK32 word [ENV16 + 8], 0x4000
        fxam                            ; ST0 = R4: empty (holds 1.0)
        fnstsw ax
        and ax, 0x7D00
        CHECK32 ax, 0x6100              ; TOP 4, C3 C0
        ; 16-bit protected-mode image: no FOP, it reads back as 0
        o16 fnsave [SAVE16]
        CHECK32 word [SAVE16 + 8], 0x0008
        o16 frstor [SAVE16]
        fnstenv [ENV32]
        CHECK32 dword [ENV32 + 16], 0x00000008

        PASS32

        RZ_RUNTIME16
        RZ_RUNTIME32
        RZ_PM_EXCEPTIONS
t_inf:  dq 0x8000000000000000
        dw 0x7FFF
        RZ_GDT_BEGIN
        RZ_GDT_END
        RZ_RESET_VECTOR
