; Protected-mode segmentation (SDM vol. 3, 3.4, 5.1-5.7; vol. 2, MOV,
; POP, LDS/LSS, LAR, LSL, VERR, VERW, ARPL, LLDT, LTR, SLDT, STR, SGDT,
; SIDT, LMSW, SMSW, CLTS, MOV CRn): segment-register loads and every
; fault kind with its error code, the accessed bit, null selectors, LDT
; selectors, expand-down data and stack segments (16- and 32-bit),
; conforming code, the descriptor probes, the system-register
; instructions, and the CPL 3 #GP(0) of the privileged ones.
%include "rz_test.inc"

%define GDT_RAM  0x00020000
%define TSS      0x00021000
%define LDT_RAM  0x00022000
%define ESP3     0x0000E000
%define SCRATCH  0x0700


; FAULT vector, error, instruction: the instruction must fault with that
; vector and error code (EEEEEEEEh: none) at its own address; the handler
; resumes after it.  DS is flat (base 0) wherever a fault is expected
; (SS is not: the expand-down stack section).
%macro FAULT 3+
        mov dword [EXC_SKIP], %%e - %%s
%%s:    %3
%%e:
        CHECK32 dword [EXC_VEC], %1
        CHECK32 dword [EXC_ERR], %2
        CHECK32 dword [EXC_EIP], %%s
%endmacro

start:
        RZ_PM_ENTER
        mov esi, ROMBASE + gdt
        mov edi, GDT_RAM
        mov ecx, gdt_end - gdt
        rep movsb
        mov esi, ROMBASE + ldt
        mov edi, LDT_RAM
        mov ecx, ldt_end - ldt
        rep movsb
        lgdt [cs:gdt_ram_desc]
        ; vectors 10-13 through the conforming segment 50h (any CPL)
        mov ecx, 10
.gate:  mov eax, [cs:r3exc_table + ecx * 4 - 40]
        mov word [IDT + ecx * 8], ax
        mov word [IDT + ecx * 8 + 2], 0x50
        shr eax, 16
        mov word [IDT + ecx * 8 + 6], ax
        inc ecx
        cmp ecx, 14
        jb .gate
        mov edi, TSS
        xor eax, eax
        mov ecx, 0x68 / 4
        rep stosd
        mov dword [TSS + 4], 0x00090000
        mov dword [TSS + 8], 0x10

        ; ---- data segment loads ----
        mov ax, 0x38                    ; read-only data, A = 0
        FAULT 13, 0x38, mov ss, ax      ; SS must be writable
        CHECK32 byte [GDT_RAM + 0x38 + 5], 0x90 ; a failed load sets no A
        mov es, ax
        CHECK32 byte [GDT_RAM + 0x38 + 5], 0x91 ; accessed
        mov eax, [es:0]
        FAULT 13, 0, mov [es:0], eax    ; read-only
        mov ax, 0x1F8                   ; beyond the GDT limit
        FAULT 13, 0x1F8, mov ds, ax
        mov ax, 0x28                    ; a TSS
        FAULT 13, 0x28, mov ds, ax
        mov ax, 0x40                    ; execute-only code
        FAULT 13, 0x40, mov fs, ax
        mov ax, 0x48                    ; readable code, RPL 0: fine
        mov fs, ax
        CHECK32 dword [fs:start], 0x8EC031FA ; cli; xor ax, ax; mov ds, ax
        mov ax, 0x4B                    ; readable non-conforming, RPL 3 > DPL 0
        FAULT 13, 0x48, mov fs, ax
        mov ax, 0x53                    ; conforming readable: RPL ignored
        mov gs, ax
        mov ax, gs
        CHECK32 ax, 0x53
        mov ax, 0x13                    ; data, RPL 3 > DPL 0
        FAULT 13, 0x10, mov ds, ax
        mov ax, 0x58                    ; not present
        FAULT 11, 0x58, mov ds, ax
        ; a null selector loads (RPL kept); using it is #GP(0)
        mov ax, 3
        mov fs, ax
        mov ax, fs
        CHECK32 ax, 3
        FAULT 13, 0, mov eax, [fs:0]
        FAULT 13, 0, mov [fs:0], eax
        ; SS: null, RPL != CPL, DPL != CPL, code, not present
        xor ax, ax
        FAULT 13, 0, mov ss, ax
        mov ax, 0x13
        FAULT 13, 0x10, mov ss, ax
        mov ax, 0x23
        FAULT 13, 0x20, mov ss, ax
        mov ax, 0x48
        FAULT 13, 0x48, mov ss, ax
        mov ax, 0x58
        FAULT 12, 0x58, mov ss, ax
        mov eax, ss
        CHECK32 eax, 0x10
        ; POP DS/SS and LDS/LSS: a failing load changes nothing
        mov ebx, esp
        lea edx, [ebx - 4]
        push dword 0x58
        FAULT 11, 0x58, pop ds
        CHECK32 esp, edx
        mov dword [esp], 0x38
        FAULT 13, 0x38, pop ss
        CHECK32 esp, edx
        mov dword [esp], 0x23           ; DPL 3 data at CPL 0: fine
        pop es
        CHECK32 esp, ebx
        mov eax, es
        CHECK32 eax, 0x23
        mov ax, 0x10
        mov es, ax
        mov dword [SCRATCH], 0x12345678
        mov word [SCRATCH + 4], 0x58
        mov eax, 0xAAAAAAAA
        FAULT 11, 0x58, lds eax, [SCRATCH]
        CHECK32 eax, 0xAAAAAAAA
        mov word [SCRATCH + 4], 0x10
        lds eax, [SCRATCH]
        CHECK32 eax, 0x12345678
        mov dword [SCRATCH], 0x00088000
        lss esp, [SCRATCH]
        CHECK32 esp, 0x00088000
        mov esp, ebx

        ; ---- LDT selectors ----
        mov ax, 0x04
        FAULT 13, 0x04, mov ds, ax      ; LDTR null
        mov ax, 0x30
        lldt ax
        sldt ecx
        CHECK32 ecx, 0x30
        mov ax, 0x04
        mov ds, ax
        mov eax, ds
        CHECK32 eax, 0x04
        CHECK32 byte [es:LDT_RAM + 5], 0x93
        mov ax, 0x0C
        FAULT 11, 0x0C, mov ds, ax      ; not present
        mov ax, 0x14
        FAULT 13, 0x14, mov ds, ax      ; beyond the LDT limit
        mov ax, 0x10
        mov ds, ax
        ; LLDT: data, not present, TI = 1, null
        mov ax, 0x10
        FAULT 13, 0x10, lldt ax
        mov ax, 0x88
        FAULT 11, 0x88, lldt ax
        mov ax, 0x34
        FAULT 13, 0x34, lldt ax
        xor ax, ax
        lldt ax
        mov ax, 0x04
        FAULT 13, 0x04, mov ds, ax

        ; ---- LTR / STR ----
        xor ax, ax
        FAULT 13, 0, ltr ax
        mov ax, 0x10
        FAULT 13, 0x10, ltr ax
        mov ax, 0x80                    ; busy TSS
        FAULT 13, 0x80, ltr ax
        mov ax, 0x78                    ; not present
        FAULT 11, 0x78, ltr ax
        mov ax, 0x2C                    ; TI = 1
        FAULT 13, 0x2C, ltr ax
        mov ax, 0x28
        ltr ax
        CHECK32 byte [GDT_RAM + 0x28 + 5], 0x8B
        FAULT 13, 0x28, ltr ax          ; busy now
        mov eax, 0xFFFFFFFF
        str eax                         ; 32-bit register: zero-extended
        CHECK32 eax, 0x28
        mov dword [SCRATCH], 0xFFFFFFFF
        str [SCRATCH]                   ; memory: 16 bits
        CHECK32 dword [SCRATCH], 0xFFFF0028
        mov eax, 0xFFFFFFFF
        sldt eax
        CHECK32 eax, 0

        ; ---- expand-down data segments ----
        mov ax, 0x60                    ; 32-bit (B = 1), limit FFFh
        mov es, ax
        mov dword [es:0x2000], 0x600DF00D
        CHECK32 dword [0x2000], 0x600DF00D
        mov eax, [es:0x1000]
        mov eax, [es:0xFFFFFFFC]
        FAULT 13, 0, mov eax, [es:0xFFF]
        FAULT 13, 0, mov eax, [es:0xFFE]
        FAULT 13, 0, mov eax, [es:0]
        mov ax, 0x68                    ; 16-bit (B = 0), limit FFFh
        mov es, ax
        mov eax, [es:0xFFFC]
        mov al, [es:0xFFFF]
        mov ax, [es:0x1000]
        FAULT 13, 0, mov ax, [es:0xFFFF]
        FAULT 13, 0, mov al, [es:0x10000]
        FAULT 13, 0, mov al, [es:0xFFF]
        ; an expand-down stack (B = 1, limit FFFFh): SS faults are #SS(0)
        mov ax, 0xA0
        mov ss, ax
        push dword 0x5555AAAA
        pop eax
        CHECK32 eax, 0x5555AAAA
        mov eax, [ss:0x10000]
        FAULT 12, 0, mov eax, [ss:0xFFFE]
        mov ebp, 0xFFFF
        FAULT 12, 0, mov al, [ebp]
        mov ax, 0x10
        mov ss, ax
        mov es, ax

        ; ---- conforming code at CPL 0: CS RPL = CPL ----
        jmp 0x53:.conf
.conf:  mov eax, cs
        CHECK32 eax, 0x50
        jmp 0x08:.conf_back
.conf_back:

        ; ---- LAR, LSL, VERR, VERW ----
        mov ax, 0x90                    ; DPL 3 data, limit 12345h
        mov ecx, 0xFFFFFFFF
        lar ecx, ax
        CHECKF32 F_ZF, F_ZF
        and ecx, 0x00F0FF00             ; bits 19:16 are undefined
        CHECK32 ecx, 0x0040F300
        lsl ecx, ax
        CHECKF32 F_ZF, F_ZF
        CHECK32 ecx, 0x12345
        mov cx, 0xFFFF
        lar cx, ax                      ; 16-bit: access byte only
        CHECK32 cx, 0xF300
        mov ax, 0x10
        lsl ecx, ax
        CHECK32 ecx, 0xFFFFFFFF         ; G = 1
        mov ax, 0x28                    ; busy TSS: LAR and LSL see it
        lar ecx, ax
        CHECKF32 F_ZF, F_ZF
        and ecx, 0xFF00
        CHECK32 ecx, 0x8B00
        lsl ecx, ax
        CHECK32 ecx, 0x67
        mov ax, 0xB0                    ; call gate: LAR yes, LSL no
        lar ecx, ax
        CHECKF32 F_ZF, F_ZF
        and ecx, 0xFF00
        CHECK32 ecx, 0xEC00
        mov ecx, 0x77
        lsl ecx, ax
        CHECKF32 F_ZF, 0
        CHECK32 ecx, 0x77               ; unchanged
        mov ax, 0xB8                    ; interrupt gate: neither
        lar ecx, ax
        CHECKF32 F_ZF, 0
        mov ax, 0xA8                    ; 16-bit TSS
        lsl ecx, ax
        CHECKF32 F_ZF, F_ZF
        CHECK32 ecx, 0x2B
        xor ax, ax                      ; null
        lar ecx, ax
        CHECKF32 F_ZF, 0
        mov ax, 0x1F8                   ; beyond the limit
        lsl ecx, ax
        CHECKF32 F_ZF, 0
        mov ax, 0x13                    ; RPL 3 > DPL 0
        lar ecx, ax
        CHECKF32 F_ZF, 0
        mov ax, 0x53                    ; conforming: no privilege check
        lar ecx, ax
        CHECKF32 F_ZF, F_ZF
        mov ax, 0x40
        verr ax                         ; execute-only
        CHECKF32 F_ZF, 0
        mov ax, 0x48
        verr ax
        CHECKF32 F_ZF, F_ZF
        verw ax                         ; code is never writable
        CHECKF32 F_ZF, 0
        mov ax, 0x38
        verr ax
        CHECKF32 F_ZF, F_ZF
        verw ax                         ; read-only
        CHECKF32 F_ZF, 0
        mov ax, 0x10
        verw ax
        CHECKF32 F_ZF, F_ZF
        mov ax, 0x58                    ; not present: not checked
        verw ax
        CHECKF32 F_ZF, F_ZF
        mov ax, 0x28                    ; system
        verr ax
        CHECKF32 F_ZF, 0
        mov ax, 0x9B                    ; DPL 1 data, RPL 3
        verr ax
        CHECKF32 F_ZF, 0
        mov ax, 0x99                    ; RPL 1
        verr ax
        CHECKF32 F_ZF, F_ZF

        ; ---- ARPL ----
        mov ax, 0x10
        mov bx, 0x02
        arpl ax, bx
        CHECKF32 F_ZF, F_ZF
        CHECK32 ax, 0x12
        arpl ax, bx
        CHECKF32 F_ZF, 0
        CHECK32 ax, 0x12
        mov word [SCRATCH], 0x21
        mov bx, 0x03
        arpl [SCRATCH], bx
        CHECKF32 F_ZF, F_ZF
        CHECK32 word [SCRATCH], 0x23
        ; a read-only destination faults even when left unchanged
        mov ax, 0x38
        mov es, ax
        mov bx, 0
        FAULT 13, 0, arpl [es:SCRATCH], bx
        mov ax, 0x10
        mov es, ax

        ; ---- SGDT / SIDT ----
        sgdt [SCRATCH]
        CHECK32 word [SCRATCH], gdt_end - gdt - 1
        CHECK32 dword [SCRATCH + 2], GDT_RAM
        sidt [SCRATCH]
        CHECK32 word [SCRATCH], 32 * 8 - 1
        CHECK32 dword [SCRATCH + 2], IDT

        ; ---- CR0: SMSW, LMSW, CLTS, MOV CRn ----
        mov eax, cr0
        CHECK32 eax, 0x60000011
        mov eax, 0xFFFFFFFF
        smsw eax
        CHECK32 eax, 0x60000011
        mov eax, 0xFFFFFFFF
        smsw ax
        CHECK32 eax, 0xFFFF0011
        mov dword [SCRATCH], 0xFFFFFFFF
        smsw [SCRATCH]
        CHECK32 dword [SCRATCH], 0xFFFF0011
        mov ax, 0x000E                  ; MP, EM, TS; PE = 0 is ignored
        lmsw ax
        mov eax, cr0
        CHECK32 eax, 0x6000001F
        clts
        mov eax, cr0
        CHECK32 eax, 0x60000017
        xor ax, ax
        lmsw ax
        mov eax, cr0
        CHECK32 eax, 0x60000011
        FAULT 6, 0xEEEEEEEE, mov cr1, eax
        FAULT 6, 0xEEEEEEEE, mov eax, cr5
        mov eax, 0xE0000010             ; PG without PE
        FAULT 13, 0, mov cr0, eax
        mov eax, cr0
        CHECK32 eax, 0x60000011

        ; ---- CPL 3: the privileged instructions fault, SMSW does not ----
        pushfd
        or dword [esp], 0x3000          ; IOPL 3 (ring 3 reports on the ports)
        popfd
        push dword 0x23
        push dword ESP3
        push dword 0x1B
        push dword ring3
        retf
ring3:
        mov ax, 0x23
        mov ds, ax
        mov es, ax
        FAULT 13, 0, mov eax, cr0
        FAULT 13, 0, mov cr3, eax
        FAULT 13, 0, lmsw ax
        FAULT 13, 0, clts
        FAULT 13, 0, lgdt [cs:gdt_ram_desc]
        FAULT 13, 0, lidt [cs:gdt_ram_desc]
        mov ax, 0x30
        FAULT 13, 0, lldt ax
        mov ax, 0x28
        FAULT 13, 0, ltr ax
        smsw eax
        CHECK32 eax, 0x60000011
        str eax
        CHECK32 eax, 0x28
        sgdt [SCRATCH]
        CHECK32 dword [SCRATCH + 2], GDT_RAM
        ; data loads at CPL 3
        mov ax, 0x10
        FAULT 13, 0x10, mov fs, ax      ; DPL 0 < CPL 3
        mov ax, 0x53
        mov fs, ax                      ; conforming readable: fine
        mov ax, 0x21
        FAULT 13, 0x20, mov ss, ax      ; RPL 1 != CPL 3
        ; probes at CPL 3
        mov ax, 0x10
        verr ax
        CHECKF32 F_ZF, 0
        mov ax, 0x50
        verr ax
        CHECKF32 F_ZF, F_ZF
        mov ax, 0x23
        verw ax
        CHECKF32 F_ZF, F_ZF
        mov ax, 0x28
        lar ecx, ax
        CHECKF32 F_ZF, 0
        ; back to ring 0 through a gate
        call 0x73:0

back0:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov eax, cs
        CHECK32 eax, 0x08
        PASS32

%macro R3STUB 1
r3exc_%1:
        pop dword [EXC_ERR]
        mov dword [EXC_VEC], %1
        inc dword [EXC_CNT]
        push eax
        mov eax, [esp + 4]
        mov [EXC_EIP], eax
        mov eax, [EXC_SKIP]
        add [esp + 4], eax
        pop eax
        iretd
%endmacro
; stubs for vectors 10-13 usable at any CPL (no CR2 read)
        R3STUB 10
        R3STUB 11
        R3STUB 12
        R3STUB 13
r3exc_table:
        dd r3exc_10, r3exc_11, r3exc_12, r3exc_13

        RZ_RUNTIME32
        RZ_PM_EXCEPTIONS

        align 8
ldt:
        RZ_DESC 0, 0xFFFFF, 0x92, 0xC0     ; 04h: data, flat (A = 0)
        RZ_DESC 0, 0xFFFFF, 0x13, 0xC0     ; 0Ch: data, not present
ldt_end:

        RZ_GDT_BEGIN
        RZ_DESC ROMBASE, 0xFFFFF, 0xFB, 0xC0       ; 18h: ring 3 code
        RZ_DESC 0, 0xFFFFF, 0xF3, 0xC0             ; 20h: ring 3 data
        RZ_DESC TSS, 0x67, 0x89, 0x00              ; 28h: 32-bit TSS
        RZ_DESC LDT_RAM, 0x0F, 0x82, 0x00          ; 30h: LDT, 2 entries
        RZ_DESC 0, 0xFFFFF, 0x90, 0xC0             ; 38h: read-only data, A = 0
        RZ_DESC ROMBASE, 0xFFFFF, 0x99, 0xC0       ; 40h: execute-only code
        RZ_DESC ROMBASE, 0xFFFFF, 0x9B, 0xC0       ; 48h: readable code
        RZ_DESC ROMBASE, 0xFFFFF, 0x9F, 0xC0       ; 50h: conforming readable code
        RZ_DESC 0, 0xFFFFF, 0x13, 0xC0             ; 58h: data, not present
        RZ_DESC 0, 0x00FFF, 0x97, 0x40             ; 60h: expand-down, B = 1
        RZ_DESC 0, 0x00FFF, 0x97, 0x00             ; 68h: expand-down, B = 0
        RZ_GATE 0x08, back0 - $$, 0xEC, 0          ; 70h: call gate DPL 3 -> back0
        RZ_DESC TSS, 0x67, 0x09, 0x00              ; 78h: TSS, not present
        RZ_DESC TSS, 0x67, 0x8B, 0x00              ; 80h: TSS, busy
        RZ_DESC LDT_RAM, 0x0F, 0x02, 0x00          ; 88h: LDT, not present
        RZ_DESC 0, 0x12345, 0xF3, 0x40             ; 90h: DPL 3 data, limit 12345h
        RZ_DESC 0, 0xFFFFF, 0xB3, 0xC0             ; 98h: DPL 1 data
        RZ_DESC 0, 0x0FFFF, 0x97, 0x40             ; A0h: expand-down stack, B = 1
        RZ_DESC TSS, 0x2B, 0x81, 0x00              ; A8h: 16-bit TSS
        RZ_GATE 0x08, 0, 0xEC, 0                   ; B0h: call gate
        RZ_GATE 0x08, 0, 0x8E, 0                   ; B8h: interrupt gate
        RZ_GDT_END
gdt_ram_desc:
        dw gdt_end - gdt - 1
        dd GDT_RAM

        RZ_RESET_VECTOR
