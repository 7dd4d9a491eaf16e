; Real mode: ALU results and flags, 8/16/32-bit operands, memory forms.
%include "rz_test.inc"

start:
        RZ_INIT16

        ; ADD: carry, overflow, zero, parity, auxiliary carry
        mov al, 0x7F
        add al, 1
        CHECKF F_ARITH, (F_SF | F_OF | F_AF)
        CHECK al, 0x80
        mov ax, 0xFFFF
        add ax, 1
        CHECKF F_ARITH, (F_ZF | F_CF | F_AF | F_PF)
        CHECK ax, 0
        mov eax, 0x80000000
        add eax, 0x80000000
        CHECKF F_ARITH, (F_ZF | F_CF | F_OF | F_PF)
        CHECK eax, 0

        ; ADC / SBB chain a 64-bit add and subtract
        mov eax, 0xFFFFFFFF
        mov edx, 1
        add eax, 1
        adc edx, 0
        CHECK eax, 0
        CHECK edx, 2
        stc
        mov bl, 0
        sbb bl, 0
        CHECKF (F_CF | F_SF | F_ZF), (F_CF | F_SF)
        CHECK bl, 0xFF

        ; SUB / CMP / NEG
        mov cx, 0x8000
        sub cx, 1
        CHECKF (F_OF | F_CF | F_SF), F_OF
        CHECK cx, 0x7FFF
        mov al, 0
        neg al
        CHECKF F_CF, 0
        mov al, 5
        neg al
        CHECKF F_CF, F_CF
        CHECK al, 0xFB
        mov ax, 3
        cmp ax, 5
        CHECKF (F_CF | F_ZF | F_SF), (F_CF | F_SF)

        ; logic clears CF/OF
        stc
        mov eax, 0xF0F0F0F0
        and eax, 0x0FF00FF0
        CHECKF (F_CF | F_OF | F_ZF | F_SF), 0
        CHECK eax, 0x00F000F0
        or eax, 0x80000000
        CHECKF F_SF, F_SF
        xor eax, eax
        CHECKF (F_ZF | F_PF), (F_ZF | F_PF)
        mov ax, 0x00FF
        test al, 0x80
        CHECKF (F_ZF | F_SF), F_SF

        ; INC/DEC preserve CF
        stc
        mov dx, 0xFFFF
        inc dx
        CHECKF (F_CF | F_ZF), (F_CF | F_ZF)
        CHECK dx, 0
        clc
        mov dl, 0x80
        dec dl
        CHECKF (F_CF | F_OF), F_OF
        CHECK dl, 0x7F

        ; memory destinations, 16-bit addressing forms
        mov word [0x1000], 0x1234
        mov bx, 0x0F00
        mov si, 0x0100
        add word [bx+si], 0x1111
        CHECK word [0x1000], 0x2345
        mov bp, 0x1000
        sub byte [bp+1], 0x03           ; SS-relative, SS = 0
        CHECK word [0x1000], 0x2045
        mov di, 0x0FFE
        xor word [di+2], 0xFFFF
        CHECK word [0x1000], 0xDFBA
        not word [0x1000]
        CHECK word [0x1000], 0x2045
        mov eax, 0x01020304
        mov dword [0x1004], 0xF0F0F0F0
        add [0x1004], eax
        CHECK dword [0x1004], 0xF1F2F3F4

        ; 32-bit addressing in real mode
        mov ebx, 0x1000
        mov ecx, 2
        mov word [ebx+ecx*2], 0xBEEF
        CHECK word [0x1004], 0xBEEF

        ; multiply / divide
        mov ax, 0x1234
        mov bx, 0x0100
        mul bx
        CHECKF (F_CF | F_OF), (F_CF | F_OF)
        CHECK ax, 0x3400
        CHECK dx, 0x0012
        mov al, -3
        mov cl, 7
        imul cl
        CHECKF (F_CF | F_OF), 0
        CHECK ax, -21
        mov eax, 1000003
        xor edx, edx
        mov ecx, 1000
        div ecx
        CHECK eax, 1000
        CHECK edx, 3
        mov ax, -7
        cwd
        mov cx, 2
        idiv cx
        CHECK ax, -3
        CHECK dx, -1
        imul si, si, -3                 ; 0x100 * -3
        CHECK si, 0xFD00

        ; shifts and rotates
        mov al, 0x81
        rol al, 1
        CHECKF F_CF, F_CF
        CHECK al, 0x03
        mov ax, 0x8001
        shr ax, 1
        CHECKF (F_CF | F_OF), (F_CF | F_OF)
        CHECK ax, 0x4000
        mov eax, 0x80000000
        sar eax, 31
        CHECK eax, 0xFFFFFFFF
        mov cl, 33                       ; masked to 1
        mov edx, 1
        shl edx, cl
        CHECK edx, 2
        clc
        mov bl, 0x80
        rcl bl, 1
        CHECKF F_CF, F_CF
        CHECK bl, 0
        mov ax, 0x1234
        mov dx, 0xABCD
        shld ax, dx, 4
        CHECK ax, 0x234A

        ; bit instructions
        mov eax, 0x00010000
        bsf ecx, eax
        CHECK ecx, 16
        bsr ecx, eax
        CHECK ecx, 16
        bts eax, 3
        CHECKF F_CF, 0
        CHECK eax, 0x00010008
        btr eax, 16
        CHECKF F_CF, F_CF
        CHECK eax, 8
        mov dword [0x1100], 0
        mov ebx, 35
        bts dword [0x1100], ebx          ; bit 3 of the next dword
        CHECK dword [0x1104], 8

        ; BCD
        mov al, 0x19
        add al, 0x28
        daa
        CHECK al, 0x47
        mov ax, 0x0009
        add al, 3
        aaa
        CHECK ax, 0x0102
        mov al, 79
        aam
        CHECK ax, 0x0709
        aad
        CHECK ax, 79

        ; MOVZX/MOVSX, XCHG, XADD, CMPXCHG, BSWAP, SETcc, CMOVcc
        mov bl, 0xF0
        movsx ax, bl
        CHECK ax, 0xFFF0
        movzx ecx, bl
        CHECK ecx, 0xF0
        mov eax, 1
        mov ecx, 2
        xadd eax, ecx
        CHECK eax, 3
        CHECK ecx, 1
        mov eax, 3
        mov dword [0x1200], 3
        mov ecx, 9
        cmpxchg [0x1200], ecx
        CHECKF F_ZF, F_ZF
        CHECK dword [0x1200], 9
        cmpxchg [0x1200], ecx
        CHECK eax, 9
        mov eax, 0x11223344
        bswap eax
        CHECK eax, 0x44332211
        mov al, 1
        cmp al, 2
        setb bl
        CHECK bl, 1
        mov ecx, 5
        mov edx, 7
        cmp ecx, edx
        cmovl ecx, edx
        CHECK ecx, 7

        PASS16

        RZ_RUNTIME16
        RZ_RESET_VECTOR
