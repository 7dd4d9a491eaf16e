; Alignment check (SDM vol. 3, 6.15 "Interrupt 17", table 6-7): with
; CR0.AM = 1 and EFLAGS.AC = 1, a misaligned data access at CPL 3 (a word
; not 2-aligned, a doubleword or a 48-bit far pointer not 4-aligned, a
; stack push included) is #AC with error code 0, a fault (EIP = the
; instruction, RF = 1 in the image, nothing written).  Not checked: CPL 0,
; AC = 0, AM = 0, aligned accesses, and the processor's own accesses at
; CPL 3 (a descriptor read from a GDT at an odd address, the TSS read for
; SS0:ESP0 at an odd address, the pushes on a misaligned ring-0 stack).
%include "rz_test.inc"

%define GDT_RAM  0x9001         ; odd on purpose: descriptor reads are not checked
%define TSS      0xA001         ; odd too: the SS0:ESP0 read is not checked
%define ESP0     0x2FFFE        ; not 4-aligned: pushes at CPL 0 are not checked
%define STACK3   0x3F000
%define DATA     0x5000

%define AC_CNT   0x0700
%define AC_ERR   0x0704
%define AC_EIP   0x0708
%define AC_CS    0x070C
%define AC_FL    0x0710
%define AC_UESP  0x0714         ; ring-3 ESP in the frame
%define AC_HESP  0x0718         ; handler's ESP after its push
%define AC_SKIP  0x071C
%define DRV_ESP  0x0720
%define DRV_RES  0x0724

%define SEL_CODE3 0x1B
%define SEL_DATA3 0x23
%define SEL_TSS   0x28

%define F_AC     0x00040000
%define F_RF     0x00010000
%define CR0_AM   0x00040000


; GO3 entry, eflags: IRETD to ring 3; the ring-3 code comes back through
; INT 20h to the label after the macro.
%macro GO3 2
        mov [DRV_ESP], esp
        mov dword [DRV_RES], %%back
        push dword SEL_DATA3
        push dword STACK3
        push dword %2
        push dword SEL_CODE3
        push dword %1
        mov ax, SEL_DATA3
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        iretd
%%back:
%endmacro

; ACSKIP label: the #AC handler resumes after the instruction at label.
%macro ACSKIP 1
        mov dword [AC_SKIP], %1_end - %1
%endmacro

start:
        mov al, 0xFF                    ; no interrupts from the PICs
        out 0x21, al
        out 0xA1, al
        RZ_PM_ENTER
        mov esi, gdt
        mov edi, GDT_RAM
        mov ecx, gdt_end - gdt
        cs rep movsb
        lgdt [cs:gdt_ram_desc]
        mov edi, TSS
        xor eax, eax
        mov ecx, 0x68
        rep stosb
        mov dword [TSS + 4], ESP0
        mov dword [TSS + 8], 0x10
        mov word [TSS + 0x66], 0x68
        mov ax, SEL_TSS
        ltr ax
        RZ_IDT_GATE 17, ac_handler, 0x8E00
        RZ_IDT_GATE 0x20, home, 0xEE00
        lidt [cs:idt33_desc]
        xor eax, eax
        mov [AC_CNT], eax
        mov dword [DATA + 8], SEL_DATA3 ; a far pointer's selector

        ; ---- CPL 0 with AM = 1 and AC = 1: no check ----
        mov eax, cr0
        or eax, CR0_AM
        mov cr0, eax
        pushfd
        or dword [esp], F_AC
        popfd
        mov eax, [DATA + 1]
        mov [DATA + 3], ax
        CHECK32 dword [AC_CNT], 0
        pushfd
        and dword [esp], ~F_AC
        popfd

        ; ---- CPL 3, AM = 1, AC = 1 (IOPL 3 so that the checks can report) ----
        GO3 r3_ac, F_AC | 0x3002
        CHECK32 dword [AC_CNT], 7

        ; ---- CPL 3 with AM = 0: no check ----
        mov eax, cr0
        and eax, ~CR0_AM
        mov cr0, eax
        GO3 r3_noam, F_AC | 0x3002
        CHECK32 dword [AC_CNT], 7
        PASS32

; ---- ring 3 -------------------------------------------------------------
r3_ac:
        mov ebx, DATA
        mov al, [ebx + 1]               ; bytes: any address
        mov ax, [ebx + 2]               ; words: 2-aligned
        mov eax, [ebx + 4]              ; doublewords: 4-aligned
        CHECK32 dword [AC_CNT], 0

        ACSKIP .w
.w:     mov ax, [ebx + 1]
.w_end:
        CHECK32 dword [AC_CNT], 1
        CHECK32 dword [AC_ERR], 0
        CHECK32 dword [AC_EIP], .w
        CHECK32 dword [AC_CS], SEL_CODE3
        mov eax, [AC_FL]
        and eax, F_AC | F_RF
        CHECK32 eax, F_AC | F_RF        ; a fault: RF = 1 in the image
        CHECK32 dword [AC_UESP], STACK3
        CHECK32 dword [AC_HESP], ESP0 - 24 ; SS ESP EFLAGS CS EIP error, one push
        mov eax, 0x12345678
        mov [ebx + 4], eax

        ACSKIP .d
.d:     mov eax, [ebx + 2]
.d_end:
        CHECK32 dword [AC_CNT], 2
        CHECK32 dword [AC_EIP], .d
        CHECK32 eax, 0x12345678         ; not loaded

        ACSKIP .st
.st:    mov [ebx + 5], eax              ; a store: nothing written
.st_end:
        CHECK32 dword [AC_CNT], 3
        CHECK32 dword [AC_EIP], .st
        CHECK32 dword [ebx + 4], 0x12345678

        ACSKIP .rmw
.rmw:   add [ebx + 6], eax              ; read-modify-write
.rmw_end:
        CHECK32 dword [AC_CNT], 4
        CHECK32 dword [AC_EIP], .rmw

        ACSKIP .les                     ; a 48-bit far pointer: 4-aligned
.les:   les ecx, [ebx + 2]
.les_end:
        CHECK32 dword [AC_CNT], 5
        CHECK32 dword [AC_EIP], .les
        les ecx, [ebx + 4]              ; aligned: loads ES = 23h
        CHECK32 ecx, 0x12345678

        ; a push on a misaligned stack is a checked data access
        mov ebp, esp
        sub esp, 2
        ACSKIP .push
.push:  push eax
.push_end:
        CHECK32 dword [AC_CNT], 6
        CHECK32 dword [AC_EIP], .push
        CHECK32 dword [AC_UESP], STACK3 - 2
        mov ax, 0x5555
        push ax                         ; a word at a 2-aligned address
        pop ax
        mov esp, ebp

        ; the GDT is at an odd address: loading DS reads it unchecked
        mov ax, SEL_DATA3
        mov ds, ax
        CHECK32 dword [AC_CNT], 6

        ; AC = 0: no check; AC back to 1: checked again
        pushfd
        and dword [esp], ~F_AC
        popfd
        mov eax, [ebx + 1]
        CHECK32 dword [AC_CNT], 6
        pushfd
        or dword [esp], F_AC
        popfd
        ACSKIP .again
.again: mov [ebx + 1], ax
.again_end:
        CHECK32 dword [AC_CNT], 7
        int 0x20

r3_noam:
        mov ebx, DATA
        mov eax, [ebx + 1]
        mov [ebx + 3], eax
        push eax
        pop eax
        int 0x20

; ---- ring-0 handlers ----------------------------------------------------
ac_handler:
        pop dword [ss:AC_ERR]
        push eax
        mov [ss:AC_HESP], esp
        mov eax, [ss:esp + 4]
        mov [ss:AC_EIP], eax
        mov eax, [ss:esp + 8]
        mov [ss:AC_CS], eax
        mov eax, [ss:esp + 12]
        mov [ss:AC_FL], eax
        mov eax, [ss:esp + 16]
        mov [ss:AC_UESP], eax
        mov eax, [ss:AC_SKIP]
        add [ss:esp + 4], eax
        inc dword [ss:AC_CNT]
        pop eax
        iretd

home:                                   ; INT 20h from ring 3: back to the driver
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov esp, [DRV_ESP]
        jmp [DRV_RES]

        RZ_PM_EXCEPTIONS

        RZ_GDT_BEGIN
        ; 0x18: ring-3 code, base ROMBASE, 4 GiB, 32-bit
        dw 0xFFFF, 0x0000
        db 0x0F, 0xFB, 0xCF, 0x00
        ; 0x20: ring-3 data, flat
        dw 0xFFFF, 0x0000
        db 0x00, 0xF3, 0xCF, 0x00
        ; 0x28: 32-bit TSS at TSS, limit 67h
        dw 0x0067, TSS & 0xFFFF
        db (TSS >> 16) & 0xFF, 0x89, 0x00, (TSS >> 24) & 0xFF
        RZ_GDT_END
gdt_ram_desc:
        dw gdt_end - gdt - 1
        dd GDT_RAM
idt33_desc:
        dw 33 * 8 - 1
        dd IDT

        RZ_RUNTIME32
        RZ_RESET_VECTOR
