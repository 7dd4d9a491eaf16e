; 32-bit protected mode: entry from real mode (LGDT, CR0.PE, far JMP),
; flat segments, 32-bit instruction groups, and exceptions delivered
; through IDT interrupt gates with their error codes.
%include "rz_test.inc"

start:
        RZ_PM_ENTER
        CHECK32 esp, 0x00090000
        mov eax, cr0
        CHECK32 eax, 0x60000011

        ; ---- integer groups in 32-bit code ----
        mov eax, 0x7FFFFFFF
        add eax, 1
        CHECKF32 (F_OF | F_SF | F_CF), (F_OF | F_SF)
        mov ebx, 0x10000
        mov ecx, 0x10000
        imul ebx, ecx
        CHECKF32 (F_CF | F_OF), (F_CF | F_OF)
        CHECK32 ebx, 0
        mov eax, 0xFFFFFFFF
        mov edx, 0xFFFFFFFF
        mov ecx, 0xFFFFFFFF
        mul ecx
        CHECK32 eax, 1
        CHECK32 edx, 0xFFFFFFFE
        mov eax, 0x12345678
        ror eax, 8
        CHECK32 eax, 0x78123456
        mov edx, 0x80000001
        shrd eax, edx, 4
        CHECK32 eax, 0x17812345
        mov esi, 0x00100000
        mov dword [esi], 0xCAFEBABE
        mov edi, 0x00100100
        mov ecx, 1
        rep movsd
        CHECK32 dword [0x00100100], 0xCAFEBABE
        push dword 0x1234
        pop word ax
        pop word bx
        CHECK32 ax, 0x1234
        CHECK32 bx, 0
        call near32_fn
        CHECK32 eax, 0x600DF00D
        enter 8, 0
        mov dword [ebp - 4], 0x55
        leave
        CHECK32 esp, 0x00090000

        ; ---- CPUID / RDTSC ----
        xor eax, eax
        cpuid
        CHECK32 ebx, 0x756E6547         ; "Genu"
        CHECK32 edx, 0x49656E69         ; "ineI"
        CHECK32 ecx, 0x6C65746E         ; "ntel"
        rdtsc
        mov ebx, eax
        rdtsc
        sub eax, ebx                    ; strictly increasing, by a little
        test eax, eax
        jnz .tsc_ok
        mov eax, 0xEE01
        jmp fail32
.tsc_ok:
        cmp eax, 100000
        jb .tsc_small
        mov eax, 0xEE02
        jmp fail32
.tsc_small:

        ; ---- exceptions through the IDT ----
        mov dword [EXC_SKIP], .ud_end - .ud
.ud:    ud2
.ud_end:
        CHECK32 dword [EXC_VEC], 6
        CHECK32 dword [EXC_ERR], 0xEEEEEEEE
        CHECK32 dword [EXC_EIP], .ud
        xor ecx, ecx
        mov eax, 5
        xor edx, edx
        mov dword [EXC_SKIP], .de_end - .de
.de:    div ecx
.de_end:
        CHECK32 dword [EXC_VEC], 0
        CHECK32 dword [EXC_EIP], .de
        CHECK32 eax, 5                  ; nothing changed
        ; #GP(0): write through a read-only data segment
        mov ax, 0x18
        mov es, ax
        mov dword [EXC_SKIP], .gp1_end - .gp1
.gp1:   mov [es:0x100], al
.gp1_end:
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], 0
        ; #GP(selector): a selector past the GDT limit
        mov ax, 0x50
        mov dword [EXC_SKIP], .gp2_end - .gp2
.gp2:   mov ds, ax
.gp2_end:
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], 0x50
        mov ax, 0x10
        mov ds, ax
        ; #NP(selector): a not-present data segment
        mov ax, 0x28
        mov dword [EXC_SKIP], .np_end - .np
.np:    mov fs, ax
.np_end:
        CHECK32 dword [EXC_VEC], 11
        CHECK32 dword [EXC_ERR], 0x28
        ; #GP(0): past the limit of a 4 KiB segment
        mov ax, 0x20
        mov gs, ax
        mov eax, [gs:0xFFC]             ; last dword: fine
        mov dword [EXC_SKIP], .lim_end - .lim
.lim:   mov eax, [gs:0xFFD]
.lim_end:
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_EIP], .lim

        ; ---- self-modifying code in 32-bit mode ----
        ; the routine is copied to RAM at 0x200000 and called twice; the
        ; second call patches an instruction decoded by the first
        mov ax, 0x10
        mov es, ax
        mov esi, smc32
        mov edi, 0x00200000
        mov ecx, smc32_end - smc32
        cld
        db 0x2E                         ; CS: source override
        rep movsb
        mov ebx, 0x11111111
        call 0x00200000 - ROMBASE
        CHECK32 eax, 0x11111111
        mov ebx, 0x22222222
        call 0x00200000 - ROMBASE
        CHECK32 eax, 0x22222222
        PASS32

near32_fn:
        mov eax, 0x600DF00D
        ret

        RZ_PM_EXCEPTIONS

        RZ_GDT_BEGIN
        ; 0x18: data, base 0, limit 4 GiB, read-only
        dw 0xFFFF, 0x0000
        db 0x00, 0x91, 0xCF, 0x00
        ; 0x20: data, base 0x00300000, limit 4 KiB (byte granular)
        dw 0x0FFF, 0x0000
        db 0x30, 0x93, 0x40, 0x00
        ; 0x28: data, not present
        dw 0xFFFF, 0x0000
        db 0x00, 0x13, 0xCF, 0x00
        RZ_GDT_END

smc32:  ; position-dependent: runs at linear 0x200000 (data offsets = linear)
        mov [0x00200000 + (.imm - smc32) + 1], ebx   ; the very next instruction
.imm:   mov eax, 0
        ret
smc32_end:

        RZ_RUNTIME32
        RZ_RESET_VECTOR
