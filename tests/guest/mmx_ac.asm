; MMX memory operands under alignment checking (SDM vol. 3, 6.15
; "Interrupt 17" and table 6-7; vol. 2, MMX instructions: "#AC(0) If
; alignment checking is enabled and an unaligned memory reference is made
; while the current privilege level is 3"): at CPL 3 with CR0.AM = 1 and
; EFLAGS.AC = 1 a quadword operand must be 8-aligned and a MOVD doubleword
; 4-aligned; the fault changes nothing (no register, no memory, no x87
; TOP/tag change).  Not checked at CPL 0 or with AC = 0.
; Cross-checked on Bochs 2.7 (cpu model p2_klamath): it passes there too.
%include "rz_test.inc"

%define TSS      0xA000
%define ESP0     0x30000
%define STACK3   0x3F000
%define DATA     0x5000
%define DRV_ESP  0x0720
%define DRV_RES  0x0724
%define SEL_CODE3 0x1B
%define SEL_DATA3 0x23
%define SEL_TSS   0x28
%define F_AC     0x00040000
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

; AC_BEGIN label ... AC_END label: the instruction at label must raise
; #AC(0) once, at its own address (the harness's stub resumes after it).
%macro AC_BEGIN 1
        mov dword [EXC_SKIP], %1_end - %1
        mov dword [EXC_CNT], 0
%endmacro
%macro AC_END 1
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], 17
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_EIP], %1
%endmacro

start:
        mov al, 0xFF                    ; no interrupts from the PICs
        out 0x21, al
        out 0xA1, al
        RZ_PM_ENTER
        mov edi, TSS
        xor eax, eax
        mov ecx, 0x68
        rep stosb
        mov dword [TSS + 4], ESP0
        mov dword [TSS + 8], 0x10
        mov word [TSS + 0x66], 0x68
        mov ax, SEL_TSS
        ltr ax
        RZ_IDT_GATE 0x20, home, 0xEE00
        lidt [cs:idt33_desc]
        mov eax, cr0
        and eax, ~0x0C                  ; EM = TS = 0
        or eax, CR0_AM | 0x20           ; AM, NE
        mov cr0, eax
        fninit
        mov dword [DATA], 0x03020100
        mov dword [DATA + 4], 0x07060504
        mov dword [DATA + 8], 0x0B0A0908
        mov dword [DATA + 12], 0x0F0E0D0C
        mov dword [DATA + 16], 0x13121110

        ; CPL 0 with AM = 1 and AC = 1: no check
        pushfd
        or dword [esp], F_AC
        popfd
        mov dword [EXC_CNT], 0
        movq mm0, [DATA + 4]
        movq [DATA + 20], mm0
        CHECK32 dword [EXC_CNT], 0
        CHECK32 dword [DATA + 24], 0x0B0A0908
        pushfd
        and dword [esp], ~F_AC
        popfd

        GO3 r3_ac, F_AC | 0x3002
        GO3 r3_noac, 0x3002
        PASS32

; ---- ring 3 -------------------------------------------------------------
r3_ac:
        mov ebx, DATA
        fninit
        movq mm0, [ebx + 8]             ; 8-aligned: fine
        movq mm1, [ebx]
        movd mm2, [ebx + 4]             ; a doubleword 4-aligned: fine
        emms
        fld1                            ; TOP = 7: a fault must keep it
        AC_BEGIN .ld
.ld:    movq mm0, [ebx + 4]             ; quadword at 4 mod 8
.ld_end:
        AC_END .ld
        AC_BEGIN .st
.st:    movq [ebx + 12], mm1            ; store: nothing written
.st_end:
        AC_END .st
        CHECK32 dword [ebx + 12], 0x0F0E0D0C
        CHECK32 dword [ebx + 16], 0x13121110
        AC_BEGIN .add
.add:   paddb mm0, [ebx + 1]
.add_end:
        AC_END .add
        AC_BEGIN .sh
.sh:    psllq mm1, [ebx + 12]           ; a memory shift count
.sh_end:
        AC_END .sh
        AC_BEGIN .dld
.dld:   movd mm2, [ebx + 2]             ; doubleword at 2 mod 4
.dld_end:
        AC_END .dld
        AC_BEGIN .dst
.dst:   movd [ebx + 6], mm2
.dst_end:
        AC_END .dst
        CHECK32 dword [ebx + 4], 0x07060504
        CHECK32 dword [ebx + 8], 0x0B0A0908
        ; nothing changed: the registers, TOP = 7 from the FLD1
        fnstsw ax
        and ax, 0x3800
        CHECK32 ax, 0x3800
        movq [ebx + 32], mm0
        CHECK32 dword [ebx + 32], 0x0B0A0908
        CHECK32 dword [ebx + 36], 0x0F0E0D0C
        movq [ebx + 32], mm1
        CHECK32 dword [ebx + 32], 0x03020100
        CHECK32 dword [ebx + 36], 0x07060504
        movd eax, mm2
        CHECK32 eax, 0x07060504
        fninit
        int 0x20

r3_noac:                                ; AC = 0: no check
        mov ebx, DATA
        mov dword [EXC_CNT], 0
        movq mm0, [ebx + 4]
        paddb mm0, [ebx + 1]
        movd [ebx + 42], mm0
        CHECK32 dword [EXC_CNT], 0
        emms
        int 0x20

; ---- ring 0 ---------------------------------------------------------------
home:                                   ; INT 20h from ring 3: back to the driver
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov esp, [DRV_ESP]
        jmp [DRV_RES]

        RZ_PM_EXCEPTIONS
        RZ_RUNTIME32

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
idt33_desc:
        dw 33 * 8 - 1
        dd IDT

        RZ_RESET_VECTOR
