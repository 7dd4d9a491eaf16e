; Real mode: jumps, calls, returns, LOOP family, stack instructions, and
; interrupts/exceptions through the IVT (INT n, INT3, INTO, BOUND, #DE, #UD).
%include "rz_test.inc"

%define HITS 0x0600             ; word: handler hit counter
%define LASTIP 0x0602           ; word: IP pushed by the last exception

%macro SETVEC 2                 ; vector, handler (in this ROM segment)
        mov word [%1 * 4], %2
        mov word [%1 * 4 + 2], 0xF000
%endmacro

start:
        RZ_INIT16
        mov word [HITS], 0

        ; near call/ret, ret imm
        mov ax, 1
        call add_two
        CHECK ax, 3
        push word 0x1111
        push word 0x2222
        call pop_nothing_ret4
        CHECK sp, 0x7000
        ; indirect near call through register and memory
        mov bx, add_two
        call bx
        CHECK ax, 5
        mov word [0x0610], add_two
        call word [0x0610]
        CHECK ax, 7
        ; far call/retf through a pointer in memory
        mov word [0x0620], far_target
        mov word [0x0622], 0xF000
        call far [0x0620]
        CHECK dx, 0xFA12
        call 0xF000:far_target
        CHECK dx, 0xFA12

        ; conditional jumps on signed/unsigned conditions
        mov ax, -1
        cmp ax, 1
        jl .l1
        CHECK ax, 0xDEAD                ; not reached
.l1:    ja .l2
        CHECK ax, 0xDEAD
.l2:    ; LOOP family
        mov cx, 5
        xor dx, dx
.lp:    inc dx
        loop .lp
        CHECK dx, 5
        CHECK cx, 0
        mov cx, 10
        mov ax, 0
.lpe:   inc ax
        cmp ax, 3
        loopne .lpe
        CHECK ax, 3
        CHECK cx, 7
        xor cx, cx
        jcxz .cxz
        CHECK cx, 0xDEAD
.cxz:   ; LOOP with a 32-bit address size counts ECX
        mov ecx, 0x00010002
        a32 loop .cxz2
.cxz2:  CHECK ecx, 0x00010001

        ; stack: PUSHA/POPA, PUSH SP, ENTER/LEAVE, PUSHF/POPF
        mov ax, 0x1111
        mov bx, 0x2222
        mov cx, 0x3333
        mov dx, 0x4444
        mov si, 0x5555
        mov di, 0x6666
        mov bp, 0x7777
        pusha
        CHECK word [0x7000 - 10], 0x7000   ; pushed SP is the original
        xor ax, ax
        xor bx, bx
        xor bp, bp
        popa
        CHECK ax, 0x1111
        CHECK bp, 0x7777
        CHECK sp, 0x7000
        push sp
        pop ax
        CHECK ax, 0x7000
        mov bp, 0x1234
        enter 4, 0
        CHECK bp, 0x7000 - 2
        CHECK sp, 0x7000 - 6
        CHECK word [bp], 0x1234
        leave
        CHECK bp, 0x1234
        CHECK sp, 0x7000
        mov word [0x6F00 - 2], 0xABCD    ; the outer frame's saved frame pointer
        mov bp, 0x6F00
        enter 2, 2                      ; level 2: copy one outer frame pointer
        CHECK bp, 0x7000 - 2
        CHECK word [0x7000 - 4], 0xABCD
        CHECK word [0x7000 - 6], 0x7000 - 2
        CHECK sp, 0x7000 - 8
        leave
        CHECK bp, 0x6F00
        push word 0x08D5
        popf
        CHECKF F_ARITH, F_ARITH
        push word 0
        popf
        CHECKF F_ARITH, 0

        ; INT n through the IVT, IRET restores flags
        SETVEC 0x40, int40
        stc
        int 0x40
        CHECKF F_CF, F_CF
        CHECK word [HITS], 1
        ; INT3 and INTO
        SETVEC 3, int_count
        int3
        CHECK word [HITS], 2
        SETVEC 4, int_count
        mov al, 0x7F
        add al, 1                       ; OF = 1
        into
        CHECK word [HITS], 3
        mov al, 1
        add al, 1                       ; OF = 0
        into
        CHECK word [HITS], 3

        ; faults push the address of the faulting instruction
        SETVEC 0, fault_skip2           ; #DE
        xor cx, cx
        mov ax, 1
.div:   div cl                          ; 2 bytes: F6 F1
        CHECK word [LASTIP], .div
        SETVEC 6, fault_skip2           ; #UD
.ud:    ud2
        CHECK word [LASTIP], .ud
        SETVEC 5, fault_bound           ; #BR
        mov word [0x0630], 10
        mov word [0x0632], 20
        mov ax, 15
        bound ax, [0x0630]              ; in range: no fault
        mov ax, 25
.bnd:   bound ax, [0x0630]
        CHECK word [LASTIP], .bnd
        CHECK ax, 20                    ; the handler clamped it

        PASS16

add_two:
        add ax, 2
        ret
pop_nothing_ret4:
        ret 4
far_target:
        mov dx, 0xFA12
        retf
int40:
        inc word [HITS]
        iret
int_count:
        inc word [HITS]
        iret
fault_skip2:                            ; record the faulting IP, skip 2 bytes
        push bp
        mov bp, sp
        mov ax, [bp + 2]
        mov [LASTIP], ax
        add word [bp + 2], 2
        pop bp
        iret
fault_bound:                            ; record IP, clamp AX to the upper bound, retry
        push bp
        mov bp, sp
        mov bx, [bp + 2]
        mov [LASTIP], bx
        mov ax, [0x0632]
        pop bp
        iret

        RZ_RUNTIME16
        RZ_RESET_VECTOR
