; "Unreal" mode (SDM vol. 3, 3.4.3 and 9.9.2): descriptor caches keep
; their base, limit and attributes across the return to real mode; a
; real-mode segment load changes only selector and base.  Also LGDT with
; a 16-bit operand (24-bit base) and SGDT/SIDT of both operand sizes.
%include "rz_test.inc"

%define GP_CNT  0x0500          ; word: real-mode #GP count (SS = 0)
%define GP_SKIP 0x0502          ; word: bytes the handler skips
%define GP_IP   0x0504          ; word: faulting IP
%define GP_VEC  0x0506          ; word: vector (12 or 13)
%define BIG     0x00200000      ; A20 alias free (bit 20 clear)

start:
        RZ_INIT16
        mov word [0x0D * 4], rm_gp
        mov word [0x0D * 4 + 2], 0xF000
        mov word [0x0C * 4], rm_ss
        mov word [0x0C * 4 + 2], 0xF000
        mov word [GP_CNT], 0

        ; ---- a 64 KiB real-mode segment faults past FFFFh ----
        mov word [GP_SKIP], .g1_end - .g1
.g1:    mov eax, [dword 0x10000]
.g1_end:
        CHECK word [GP_CNT], 1
        CHECK word [GP_VEC], 13
        CHECK word [GP_IP], .g1

        ; ---- into protected mode: DS/ES 4 GiB flat, FS based at BIG ----
        o32 lgdt [cs:gdt_desc]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp 0x18:.pm16                  ; 16-bit code, base ROMBASE
.pm16:  mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ax, 0x20
        mov fs, ax
        mov ax, 0x28                    ; expand-down, 16-bit: 1000h-FFFFh
        mov gs, ax
        mov eax, cr0
        and al, 0xFE
        mov cr0, eax
        jmp 0xF000:.rm
.rm:
        ; selectors still read as loaded in protected mode
        mov ax, ds
        CHECK ax, 0x10
        mov ax, fs
        CHECK ax, 0x20
        ; a real-mode load changes the base only: DS = 0, limit 4 GiB
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov dword [dword BIG], 0x12345678
        mov dword [dword BIG + 0x10000], 0x9ABCDEF0
        CHECK dword [dword BIG], 0x12345678
        mov ebx, BIG + 0xFFFFC
        mov dword [es:ebx], 0x55AA55AA
        ; FS kept its protected-mode base: FS:0 is BIG
        CHECK dword [fs:0], 0x12345678
        CHECK dword [fs:dword 0x10000], 0x9ABCDEF0
        CHECK dword [fs:dword 0xFFFFC], 0x55AA55AA
        ; reloading FS in real mode: base = sel << 4, the 4 GiB limit stays
        mov ax, 0x1000
        mov fs, ax
        CHECK dword [fs:dword BIG - 0x10000], 0x12345678
        ; GS kept its expand-down attributes: offsets below 1000h fault
        mov word [GS_PROBE], 0x4321
        mov ax, 0
        mov gs, ax
        CHECK word [gs:GS_PROBE], 0x4321
        mov word [GP_SKIP], .g2_end - .g2
.g2:    mov ax, [gs:0x0FFE]
.g2_end:
        CHECK word [GP_CNT], 2
        CHECK word [GP_VEC], 13
        CHECK word [GP_IP], .g2
        ; SS was never loaded in protected mode: still 64 KiB, and a
        ; stack-segment limit fault is interrupt 12
        mov word [GP_SKIP], .g3_end - .g3
.g3:    mov eax, [ss:dword 0x10000]
.g3_end:
        CHECK word [GP_CNT], 3
        CHECK word [GP_VEC], 12
        CHECK word [GP_IP], .g3

        ; ---- LGDT/SGDT operand sizes ----
        ; 16-bit LGDT: 24-bit base; 16-bit SGDT stores all 32 base bits
        lgdt [cs:dt_16]
        o32 sgdt [0x0600]
        CHECK word [0x0600], 0x1234
        CHECK dword [0x0602], 0x00BCDEF0
        ; 16-bit SGDT: the SDM's SGDT page says both "full 32-bit base" and
        ; "later processors fill [the upper 8 bits] with 0s" (Bochs stores
        ; 9Ah, QEMU 0); only the low 24 bits are checked
        o32 lgdt [cs:dt_16]
        sgdt [0x0610]
        CHECK word [0x0612], 0xDEF0
        CHECK byte [0x0614], 0xBC
        o32 sidt [0x0620]
        CHECK word [0x0620], 0xFFFF        ; reset value (SDM vol. 3, table 9-1)
        CHECK dword [0x0622], 0
        mov dword [0x0630], 0xFFFFFFFF
        mov word [0x0634], 0xFFFF
        sidt [0x0630]
        CHECK dword [0x0632], 0
        PASS16

GS_PROBE equ 0x2000

rm_ss:
        mov word [ss:GP_VEC], 12
        jmp rm_fault
rm_gp:
        mov word [ss:GP_VEC], 13
rm_fault:
        push bp
        mov bp, sp
        inc word [ss:GP_CNT]
        push ax
        mov ax, [bp + 2]
        mov [ss:GP_IP], ax
        mov ax, [ss:GP_SKIP]
        add [bp + 2], ax
        pop ax
        pop bp
        iret

dt_16:  dw 0x1234
        dd 0x9ABCDEF0

        RZ_RUNTIME16

        RZ_GDT_BEGIN
        ; 18h: code, base ROMBASE, 64 KiB, 16-bit
        dw 0xFFFF, 0x0000
        db 0x0F, 0x9B, 0x00, 0x00
        ; 20h: data, base BIG, 4 GiB, read/write
        dw 0xFFFF, 0x0000
        db 0x20, 0x93, 0xCF, 0x00
        ; 28h: data, base 0, expand-down, limit 0FFFh, 16-bit (B = 0)
        dw 0x0FFF, 0x0000
        db 0x00, 0x97, 0x00, 0x00
        RZ_GDT_END

        RZ_RESET_VECTOR
