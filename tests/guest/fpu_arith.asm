; fpu_arith.asm - x87 arithmetic and stack basics in real mode, checked
; bit-exactly: FNINIT state, loads/stores of every format, the arithmetic
; forms, constants under RC, stack overflow/underflow and their masked
; responses (SW, C1, the indefinite), compares (FCOM, FUCOMI, FCOMI, FTST),
; FXAM classes, FCMOV, FXCH, FPREM, FRNDINT, FXTRACT, FSCALE, FBSTP/FBLD,
; FIST overflow, FPTAN's pushed 1.0 and its out-of-range C2, the
; undocumented aliases.  Expected values come from a real x87 (the host's,
; long double); the same image passes under Bochs 2.7.
%include "rz_test.inc"

%define R   0x0500              ; scratch results
%define CW  0x0580              ; a control word to load

; CHECK80 addr, sig_hi, sig_lo, se: a stored extended value.
%macro CHECK80 4
        CHECK dword [%1 + 4], %2
        CHECK dword [%1], %3
        CHECK word [%1 + 8], %4
%endmacro
; SWIS value: FNSTSW AX must give value.
%macro SWIS 1
        fnstsw ax
        CHECK ax, %1
%endmacro
; LDCW value: load a control word.
%macro LDCW 1
        mov word [CW], %1
        fldcw [CW]
%endmacro

start:
        RZ_INIT16
        mov eax, cr0                    ; NE = 1, EM = 0, MP = 1
        and al, ~0x04
        or al, 0x22
        mov cr0, eax

        ; ---- FNINIT state (SDM vol. 3, table 9-1 FINIT column) ----
        fninit
        fnstcw [R]
        CHECK word [R], 0x037F
        SWIS 0x0000
        fnstenv [R]
        CHECK word [R + 4], 0xFFFF      ; tag word: all empty

        ; ---- 1 + pi, stored as m80 ----
        fld1
        fldpi
        faddp st1, st0
        fstp tword [R]
        CHECK80 R, 0x8487ED51, 0x10B4611A, 0x4001
        SWIS 0x0020                     ; PE (C1 = 0: rounded down)

        ; ---- m64 * m32 -> m64 ----
        fninit
        fld qword [cs:d_tenth]
        fmul dword [cs:f_three]
        fstp qword [R]
        CHECK dword [R + 4], 0x3FD33333
        CHECK dword [R], 0x33333334

        ; ---- 1/3 to m32: rounded up, C1 = 1 ----
        fninit
        fld1
        fidiv word [cs:i16_three]
        fst dword [R]
        CHECK dword [R], 0x3EAAAAAB
        SWIS 0x3A20                     ; TOP 7, C1, PE
        fstp tword [R]
        CHECK80 R, 0xAAAAAAAA, 0xAAAAAAAB, 0x3FFD

        ; ---- sqrt(2) ----
        fninit
        fild word [cs:i16_two]
        fsqrt
        fstp tword [R]
        CHECK80 R, 0xB504F333, 0xF9DE6484, 0x3FFF

        ; ---- FLDPI under RC = down and nearest ----
        fninit
        LDCW 0x077F
        fldpi
        fstp tword [R]
        CHECK80 R, 0xC90FDAA2, 0x2168C234, 0x4000
        LDCW 0x037F
        fldpi
        fstp tword [R]
        CHECK80 R, 0xC90FDAA2, 0x2168C235, 0x4000

        ; ---- FIST with RC: 7/3 -> 2 (nearest), 3 (up) ----
        fninit
        fild dword [cs:i32_seven]
        fidiv word [cs:i16_three]
        fist word [R]
        CHECK word [R], 2
        LDCW 0x0B7F                     ; RC = up
        fistp dword [R]
        CHECK dword [R], 3
        LDCW 0x037F

        ; ---- FIST overflow: the integer indefinite, IE ----
        fninit
        fild dword [cs:i32_big]
        fist word [R]
        CHECK word [R], 0x8000
        SWIS 0x3801                     ; TOP 7, IE

        ; ---- 1/0: ZE masked -> +infinity ----
        fninit
        fld1
        fldz
        fdivp st1, st0
        SWIS 0x3804                     ; TOP 7, ZE
        fstp tword [R]
        CHECK80 R, 0x80000000, 0x00000000, 0x7FFF

        ; ---- stack overflow: 9th push -> IE SF C1, indefinite ----
        fninit
        mov cx, 8
.push:  fld1
        loop .push
        SWIS 0x0000                     ; TOP wrapped back to 0
        fldz
        SWIS 0x3A41                     ; TOP 7, C1, SF, IE
        fstp tword [R]
        CHECK80 R, 0xC0000000, 0x00000000, 0xFFFF

        ; ---- stack underflow: empty operands -> IE SF, C1 = 0 ----
        fninit
        fadd st0, st1
        SWIS 0x0041
        fxam                            ; the indefinite: NaN (C0), negative (C1)
        SWIS 0x0341
        fstp tword [R]
        CHECK80 R, 0xC0000000, 0x00000000, 0xFFFF

        ; ---- FXAM classes ----
        fninit
        fxam                            ; empty: C3 C0
        fnstsw ax
        and ax, 0x4500
        CHECK ax, 0x4100
        fldz
        fxam                            ; +0: C3
        SWIS 0x7800
        fchs
        fxam                            ; -0: C3 C1
        SWIS 0x7A00
        fld tword [cs:t_denormal]
        fxam                            ; denormal: C3 C2
        SWIS 0x7400
        fld1
        fxam                            ; normal: C2
        SWIS 0x2C00
        fld tword [cs:t_unnormal]
        fxam                            ; unsupported: 000
        SWIS 0x2000
        fld tword [cs:t_inf]
        fxam                            ; infinity: C2 C0
        SWIS 0x1D00

        ; ---- compares ----
        fninit
        fld1
        fldz
        fcom st1                        ; 0 < 1: C0
        SWIS 0x3100
        fcom st0                        ; equal: C3
        SWIS 0x7000
        fxch st1
        fcom st1                        ; 1 > 0: none
        SWIS 0x3000
        fcomi st0, st1                  ; CF = ZF = PF = 0
        CHECKF F_CF | F_ZF | F_PF | F_OF | F_SF | F_AF, 0
        fxch st1
        fcomi st0, st1                  ; 0 < 1: CF
        CHECKF F_CF | F_ZF | F_PF, F_CF
        fld tword [cs:t_qnan]
        fucomip st0, st1                ; unordered, no IE for a QNaN
        CHECKF F_CF | F_ZF | F_PF, F_CF | F_ZF | F_PF
        SWIS 0x3000
        ftst                            ; 0 vs 0: C3
        SWIS 0x7000
        fcompp                          ; 0 < 1: C0, pops both
        SWIS 0x0100
        fld tword [cs:t_qnan]
        fcom st0                        ; FCOM of a QNaN: IE, unordered
        SWIS 0x7D01

        ; ---- FCMOVcc, FXCH ----
        fninit
        fldz
        fld1                            ; ST0 = 1, ST1 = 0
        stc
        fcmovnb st0, st1                ; CF = 1: no move
        fist word [R]
        CHECK word [R], 1
        stc
        fcmovb st0, st1                 ; moves
        fist word [R]
        CHECK word [R], 0
        fld1
        fxch st2                        ; ST0 = 0, ST2 = 1
        fistp word [R]
        CHECK word [R], 0

        ; ---- FPREM: 7 rem 3 = 1, quotient 2 (Q1 -> C3) ----
        fninit
        fild word [cs:i16_three]
        fild dword [cs:i32_seven]
        fprem
        SWIS 0x7000
        fistp word [R]
        CHECK word [R], 1

        ; ---- FRNDINT 2.5: 2 (nearest, even), 3 (up) ----
        fninit
        fld dword [cs:f_2_5]
        frndint
        fistp word [R]
        CHECK word [R], 2
        LDCW 0x0B7F
        fld dword [cs:f_2_5]
        frndint
        LDCW 0x037F
        fistp word [R]
        CHECK word [R], 3

        ; ---- FXTRACT 8.0 -> 3.0, 1.0; FSCALE back ----
        fninit
        fild word [cs:i16_eight]
        fxtract
        fist word [R]
        CHECK word [R], 1
        fxch st1
        fist word [R]
        CHECK word [R], 3
        fxch st1
        fscale                          ; 1.0 * 2^3
        fistp word [R]
        CHECK word [R], 8

        ; ---- FBSTP / FBLD ----
        fninit
        fild dword [cs:i32_bcd]
        fchs
        fbstp [R]
        CHECK dword [R], 0x23456789
        CHECK dword [R + 4], 0x00000001
        CHECK word [R + 8], 0x8000
        fbld [R]
        fistp dword [R]
        CHECK dword [R], -123456789

        ; ---- FPTAN pushes 1.0; out of range sets C2 and keeps ST0 ----
        fninit
        fldz
        fptan
        SWIS 0x3000                     ; TOP 6, C2 = 0
        fstp tword [R]
        CHECK80 R, 0x80000000, 0x00000000, 0x3FFF
        fstp tword [R]
        CHECK80 R, 0x00000000, 0x00000000, 0x0000
        fld tword [cs:t_2p64]
        fptan
        SWIS 0x3C00                     ; TOP 7, C2
        fstp tword [R]
        CHECK80 R, 0x80000000, 0x00000000, 0x403F

        ; ---- FFREE, FINCSTP, FDECSTP and the tag word ----
        fninit
        fld1                            ; R7 valid
        fldz                            ; R6 zero
        ffree st1                       ; R7 empty
        fnstenv [R]
        CHECK word [R + 4], 0xDFFF
        fincstp
        SWIS 0x3800                     ; TOP 7
        fdecstp
        fdecstp
        SWIS 0x2800                     ; TOP 5

        ; ---- undocumented aliases: FSTP1 (D9 D8+i), FXCH4 (DD C8+i),
        ;      FCOMP5 (DE D0+i), FFREEP (DF C0+i) ----
        fninit
        fld1
        fldz
        db 0xDD, 0xC9                   ; fxch st1: ST0 = 1, ST1 = 0
        fist word [R]
        CHECK word [R], 1
        db 0xD9, 0xD9                   ; fstp st1: ST0 = 1 (popped)
        SWIS 0x3800
        fist word [R]
        CHECK word [R], 1
        fldz
        db 0xDE, 0xD1                   ; fcomp st1: 0 < 1, pop
        SWIS 0x3900
        fldz
        db 0xDF, 0xC1                   ; ffreep st1: R7 empty, pop
        SWIS 0x3900
        fnstenv [R]
        CHECK word [R + 4], 0xFFFF

        PASS16

        RZ_RUNTIME16

        align 16
d_tenth:    dq 0.1
f_three:    dd 3.0
f_2_5:      dd 2.5
i16_two:    dw 2
i16_three:  dw 3
i16_eight:  dw 8
i32_seven:  dd 7
i32_big:    dd 100000
i32_bcd:    dd 123456789
t_denormal: dq 0x0000000000000001
            dw 0x0000
t_unnormal: dq 0x4000000000000000
            dw 0x3FFF
t_inf:      dq 0x8000000000000000
            dw 0x7FFF
t_qnan:     dq 0xC000000000000001
            dw 0x7FFF
t_2p64:     dq 0x8000000000000000
            dw 0x403F

        RZ_RESET_VECTOR
