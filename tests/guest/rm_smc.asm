; Self-modifying code, real mode.  The routines are copied to RAM and run
; there.  Each store changes an instruction that is already decoded (it
; ran before) and is the very next one, or later in the same straight-line
; run; the new bytes must take effect at once (SDM vol. 3, 11.6).
%include "rz_test.inc"

%define RAMCODE 0x3000

start:
        RZ_INIT16

        ; copy the routines to RAM
        mov si, ram_routines
        mov di, RAMCODE
        mov cx, ram_routines_end - ram_routines
        cld
        cs rep movsb

        ; 1. patch the immediate of the very next instruction
        ; the first call decodes the routine (and undoes its patch), the
        ; second patches an instruction that is already in the decoded cache
        call 0:RAMCODE + (patch_next - ram_routines)
        CHECK ax, 1
        call 0:RAMCODE + (patch_next - ram_routines)
        CHECK ax, 0x5A5A
        ; 2. a REP STOSB that overwrites the code right after it with NOPs
        call 0:RAMCODE + (stos_over - ram_routines)
        CHECK bx, 0
        ; 3. a patched opcode: INC AX becomes DEC AX inside a loop
        call 0:RAMCODE + (loop_patch - ram_routines)
        CHECK ax, 0xFFFE

        PASS16

ram_routines:
patch_next:
        ; store into the imm16 of the very next instruction
        mov word [cs:RAMCODE + (.imm - ram_routines) + 1], 0x5A5A
.imm:   mov ax, 0x0001
        cmp word [0x0500], 0
        jne .second
        mov word [0x0500], 1
        ; undo the patch so the first call returns 1 and the second 5A5A
        mov word [cs:RAMCODE + (.imm - ram_routines) + 1], 0x0001
        mov ax, 1
        retf
.second:
        retf

stos_over:
        mov bx, 1
        push es
        push cs
        pop es
        mov di, RAMCODE + (.target - ram_routines)
        mov cx, 3
        mov al, 0x90                    ; NOP
        rep stosb                       ; overwrites the three bytes below
.target:
        mov bx, 0x4242                  ; 3 bytes: BB 42 42 -> NOP NOP NOP
        pop es
        xor bx, bx                      ; reached either way; BX = 0 proves it ran
        retf

loop_patch:
        xor ax, ax
        mov cx, 4
.l:     inc ax                          ; 40 -> becomes 48 (DEC AX)
        mov byte [cs:RAMCODE + (.l - ram_routines)], 0x48
        loop .l
        ; ran INC once, then DEC three times: 1 - 3 = -2
        mov byte [cs:RAMCODE + (.l - ram_routines)], 0x40
        retf
ram_routines_end:

        RZ_RUNTIME16
        RZ_RESET_VECTOR
