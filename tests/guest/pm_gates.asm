; Call gates and far returns across privilege levels (SDM vol. 2, CALL,
; JMP, RET; vol. 3, 5.8): same-level calls through 16- and 32-bit gates,
; JMP through a gate, a gate whose offset is above 64 KiB, a 32-bit gate
; into 16-bit code and a 16-bit gate into 32-bit code, ring 3 -> ring 0
; and ring 3 -> ring 1 with the stack switch and the parameter copy, RETF
; and RETF imm16 back to ring 3 with the data segments nulled, a direct
; CALL to conforming code, and the failure paths with their vector,
; error code and EIP, nothing changed: gate DPL and RPL, not-present gate
; and code segment, null and data targets, bad inner SS (#TS), inner SS
; not present (#SS), inner stack too small (#SS), TSS too short (#TS),
; and bad far returns.
;
; Faults at ring 3 are delivered through interrupt gates (vectors 10-13)
; to a conforming ring-0 code segment, so they run at CPL 3 on the ring-3
; stack without a privilege change.
;
; Assemble with -DBOCHS to skip the one check Bochs 2.7 is known to fail
; (see .q8); map its check numbers with `checkno.py pm_gates.asm N -DBOCHS`.
%include "rz_test.inc"

%define GDT_RAM  0x00020000
%define TSS      0x00021000
%define ESP0     0x00080000
%define ESP1     0x00070000
%define ESP3     0x0000E000     ; below 64 KiB: a 16-bit gate saves SP only
%define STAGE    0x0700         ; which ring-3 part runs (see finish)
%define R_ESP    0x0704         ; recorded by the gate targets
%define R_SS     0x0708
%define R_CS     0x070C
%define R_EIP    0x0710
%define R_STK    0x0720         ; 8 dwords from the target's stack
%define MARKS    0x0000         ; 0x20 bytes of marker at the bottom of the
                                ; inner stack of the #SS test

%define OFS(l) ((l) - $$)

; record ESP, SS, CS and 8 dwords of stack (SS is flat at every level)
%macro RECORD 0
        mov [ss:R_ESP], esp
        mov dword [ss:R_SS], 0
        mov [ss:R_SS], ss
        mov dword [ss:R_CS], 0
        mov [ss:R_CS], cs
%assign k 0
%rep 8
        mov eax, [esp + k]
        mov [ss:R_STK + k], eax
%assign k k + 4
%endrep
%endmacro

; exception expected: vector, error code, faulting EIP
%macro EXPECT 3
        CHECK32 dword [ss:EXC_VEC], %1
        CHECK32 dword [ss:EXC_ERR], %2
        CHECK32 dword [ss:EXC_EIP], %3
%endmacro

start:
        RZ_PM_ENTER
        ; the GDT goes to RAM (accessed and busy bits are written)
        mov esi, ROMBASE + gdt
        mov edi, GDT_RAM
        mov ecx, gdt_end - gdt
        rep movsb
        lgdt [cs:gdt_ram_desc]
        ; vectors 10-13 through the conforming segment 78h
        mov ecx, 10
.gate:  mov eax, [cs:r3exc_table + ecx * 4 - 40]
        mov word [IDT + ecx * 8], ax
        mov word [IDT + ecx * 8 + 2], 0x78
        shr eax, 16
        mov word [IDT + ecx * 8 + 6], ax
        inc ecx
        cmp ecx, 14
        jb .gate
        ; the TSS: SS0:ESP0, SS1:ESP1
        mov edi, TSS
        xor eax, eax
        mov ecx, 0x68 / 4
        rep stosd
        mov dword [TSS + 4], ESP0
        mov dword [TSS + 8], 0x10
        mov dword [TSS + 12], ESP1
        mov dword [TSS + 16], 0xA9
        mov word [TSS + 0x66], 0x68
        mov ax, 0x28
        ltr ax
        CHECK32 byte [GDT_RAM + 0x28 + 5], 0x8B        ; busy now
        mov dword [STAGE], 1

        ; ---- same level through a 32-bit gate (count ignored) ----
        mov ebx, esp
        push dword 0x33333333           ; released by the target's RETF 8
        push dword 0x44444444
        call 0x30:0
.c1:    CHECK32 esp, ebx
        lea edx, [ebx - 16]
        CHECK32 dword [R_ESP], edx
        CHECK32 dword [R_STK + 8], 0x44444444
        CHECK32 dword [R_SS], 0x10
        CHECK32 dword [R_CS], 0x08
        CHECK32 dword [R_STK], .c1
        CHECK32 dword [R_STK + 4], 0x08
        CHECK32 byte [GDT_RAM + 0x30 + 5], 0xEC        ; gates have no A bit

        ; ---- same level through a 16-bit gate: 16-bit pushes ----
        push word 1                     ; released by O16 RETF 6
        push word 2
        push word 3
        call 0x38:0
.c2:    CHECK32 esp, ebx
        lea edx, [ebx - 10]
        CHECK32 dword [R_ESP], edx
        CHECK32 word [R_STK], .c2
        CHECK32 word [R_STK + 2], 0x08

        ; ---- gate offset above 64 KiB (code segment based 64 KiB lower) ----
        call 0x60:0
.c3:    CHECK32 esp, ebx
        lea edx, [ebx - 8]
        CHECK32 dword [R_ESP], edx
        CHECK32 dword [R_CS], 0x58
        CHECK32 dword [R_EIP], hi_here - $$ + 0x10000
        CHECK32 dword [R_STK], .c3
        CHECK32 dword [R_STK + 4], 0x08

        ; ---- 32-bit gate into 16-bit code: 32-bit pushes, o32 retf ----
        call 0x68:0
.c4:    CHECK32 esp, ebx
        CHECK32 dword [R_CS], 0x50
        CHECK32 dword [R_STK], .c4
        CHECK32 dword [R_STK + 4], 0x08

        ; ---- JMP through a gate ----
        jmp 0x70:0
jmp_back:
        CHECK32 esp, ebx
        CHECK32 dword [R_CS], 0x08
        CHECK32 dword [R_EIP], jmp_here

        ; ---- failing calls at ring 0: nothing changes ----
        mov dword [EXC_CNT], 0
        ; gate RPL 3 > gate DPL 0
        mov dword [EXC_SKIP], 7
.f1:    call 0x43:0
        EXPECT 13, 0x40, .f1
        CHECK32 esp, ebx
        ; gate not present (checked after the DPL)
        mov dword [EXC_SKIP], 7
.f2:    call 0x48:0
        EXPECT 11, 0x48, .f2
        ; gate naming a null code selector: #GP(0)
        mov dword [EXC_SKIP], 7
.f3:    call 0xC0:0
        EXPECT 13, 0, .f3
        ; gate naming a data segment: #GP(10h)
        mov dword [EXC_SKIP], 7
.f4:    call 0xC8:0
        EXPECT 13, 0x10, .f4
        ; gate naming a not-present code segment: #NP(D0h)
        mov dword [EXC_SKIP], 7
.f5:    jmp 0xD8:0
        EXPECT 11, 0xD0, .f5
        ; direct CALL to non-conforming code of another DPL: #GP(18h)
        mov dword [EXC_SKIP], 7
.f6:    call 0x1B:0
        EXPECT 13, 0x18, .f6
        ; a gate to a less privileged segment (DPL 1 > CPL 0): #GP(98h)
        mov dword [EXC_SKIP], 7
.f7:    jmp 0xA0:0
        EXPECT 13, 0x98, .f7
        CHECK32 esp, ebx
        CHECK32 dword [EXC_CNT], 7

        ; ---- failing far returns at ring 0 ----
        ; outer level, SS RPL 0 != CS RPL 3: #GP(10h)
        mov dword [EXC_SKIP], 1
        push dword 0x10
        push dword ESP3
        push dword 0x1B
        push dword ring3_never
.r1:    retf
        EXPECT 13, 0x10, .r1
        lea edx, [ebx - 16]
        CHECK32 esp, edx
        mov esp, ebx
        ; outer level, null SS: #GP(0)
        push dword 0
        push dword ESP3
        push dword 0x1B
        push dword ring3_never
.r2:    retf
        EXPECT 13, 0, .r2
        mov esp, ebx
        ; outer level, SS not present: #SS(B8h)
        push dword 0xBB
        push dword ESP3
        push dword 0x1B
        push dword ring3_never
.r3:    retf
        EXPECT 12, 0xB8, .r3
        mov esp, ebx
        ; code segment not present: #NP(D0h)
        push dword 0xD0
        push dword ring3_never
.r4:    retf
        EXPECT 11, 0xD0, .r4
        mov esp, ebx
        ; EIP beyond the limit of a 64 KiB code segment: #GP(0)
        push dword 0x50
        push dword 0x12345
.r5:    retf
        EXPECT 13, 0, .r5
        mov esp, ebx
        ; a data segment: #GP(10h)
        push dword 0x10
        push dword ring3_never
.r6:    retf
        EXPECT 13, 0x10, .r6
        mov esp, ebx
        ; return address beyond the stack limit: #SS(0)
        mov ax, 0x88
        mov ss, ax
        mov esp, 0x7FFFC
        mov dword [EXC_SKIP], 1
.r7:    retf
        mov ax, 0x10
        mov ss, ax
        mov esp, ebx
        EXPECT 12, 0, .r7
        CHECK32 dword [EXC_CNT], 14

        ; ---- to ring 3 by RETF: DS, ES (DPL 0 data) are nulled, FS (DPL
        ; 3 data) and GS (conforming code) stay ----
        pushfd
        or dword [esp], 0x3000          ; IOPL 3: ring 3 may use the ports
        popfd
        mov ax, 0x23
        mov fs, ax
        mov ax, 0x78
        mov gs, ax
        push dword 0x23
        push dword ESP3
        push dword 0x1B
        push dword ring3
        retf

ring3_never:
        mov eax, 0xDEAD
        jmp fail32

; ---------------------------------------------------------------------
; Ring 3
ring3:
        CHECK32 esp, ESP3
        mov eax, cs
        CHECK32 eax, 0x1B
        mov eax, ss
        CHECK32 eax, 0x23
        mov eax, ds
        CHECK32 eax, 0
        mov eax, es
        CHECK32 eax, 0
        mov eax, fs
        CHECK32 eax, 0x23
        mov eax, gs
        CHECK32 eax, 0x78
        mov ax, 0x23
        mov ds, ax
        mov es, ax
        cmp dword [STAGE], 2
        je ring3_stage2

        ; ---- ring 3 -> ring 0 through a 32-bit gate, 2 dwords copied;
        ; the target loads DS with a DPL 0 segment and returns by RETF 8 ----
        mov ebx, esp
        push dword 0x11111111
        push dword 0x22222222
        call 0x33:0
.p1:    CHECK32 esp, ebx
        mov eax, ds
        CHECK32 eax, 0                  ; nulled by the return
        mov eax, es
        CHECK32 eax, 0x23
        mov ax, 0x23
        mov ds, ax
        CHECK32 dword [R_ESP], ESP0 - 24
        CHECK32 dword [R_SS], 0x10
        CHECK32 dword [R_CS], 0x08
        CHECK32 dword [R_STK], .p1
        CHECK32 dword [R_STK + 4], 0x1B
        CHECK32 dword [R_STK + 8], 0x22222222
        CHECK32 dword [R_STK + 12], 0x11111111
        lea edx, [ebx - 8]
        CHECK32 dword [R_STK + 16], edx
        CHECK32 dword [R_STK + 20], 0x23

        ; ---- ring 3 -> ring 0 through a 16-bit gate into 32-bit code,
        ; 3 words copied, O16 RETF 6 back ----
        push word 0xAAAA
        push word 0xBBBB
        push word 0xCCCC
        call 0x3B:0
.p2:    CHECK32 esp, ebx
        mov ax, 0x23
        mov ds, ax
        CHECK32 dword [R_ESP], ESP0 - 14
        CHECK32 word [R_STK], .p2
        CHECK32 word [R_STK + 2], 0x1B
        CHECK32 word [R_STK + 4], 0xCCCC
        CHECK32 word [R_STK + 6], 0xBBBB
        CHECK32 word [R_STK + 8], 0xAAAA
        lea edx, [ebx - 6]
        CHECK32 word [R_STK + 10], dx
        CHECK32 word [R_STK + 12], 0x23

        ; ---- ring 3 -> ring 0 at an offset above 64 KiB ----
        call 0x63:0
.p3:    CHECK32 esp, ebx
        CHECK32 dword [R_CS], 0x58
        CHECK32 dword [R_ESP], ESP0 - 16
        CHECK32 dword [R_EIP], hi_here - $$ + 0x10000
        CHECK32 dword [R_STK], .p3
        CHECK32 dword [R_STK + 8], ebx
        CHECK32 dword [R_STK + 12], 0x23

        ; ---- ring 3 -> ring 0 through a 32-bit gate into 16-bit code ----
        call 0x6B:0
.p4:    CHECK32 esp, ebx
        CHECK32 dword [R_CS], 0x50
        CHECK32 dword [R_ESP], ESP0 - 16
        CHECK32 dword [R_STK], .p4
        CHECK32 dword [R_STK + 8], ebx

        ; ---- ring 3 -> ring 1: SS1:ESP1 from the TSS ----
        call 0xA3:0
.p5:    CHECK32 esp, ebx
        CHECK32 dword [R_CS], 0x99
        CHECK32 dword [R_SS], 0xA9
        CHECK32 dword [R_ESP], ESP1 - 16
        CHECK32 dword [R_STK + 12], 0x23

        ; ---- direct CALL to conforming code: CPL stays 3, CS RPL = 3 ----
        call 0x78:conf_target
.p6:    CHECK32 esp, ebx
        CHECK32 dword [R_CS], 0x7B
        CHECK32 dword [R_STK], .p6
        CHECK32 dword [R_STK + 4], 0x1B

        ; ---- failures at ring 3 (handled at CPL 3, conforming) ----
        mov dword [EXC_CNT], 0
        mov dword [EXC_SKIP], 7
        ; gate DPL 0 < CPL 3: #GP(40h)
.q1:    call 0x43:0
        EXPECT 13, 0x40, .q1
        ; gate not present: #NP(48h)
.q2:    call 0x4B:0
        EXPECT 11, 0x48, .q2
        ; JMP through a gate to ring 0 code: #GP(08h)
.q3:    jmp 0x33:0
        EXPECT 13, 0x08, .q3
        ; bad inner SS: a DPL 3 segment in SS0: #TS(20h)
        mov dword [TSS + 8], 0x23
.q4:    call 0x33:0
        EXPECT 10, 0x20, .q4
        ; null SS0: #TS(0)
        mov dword [TSS + 8], 0
.q5:    call 0x33:0
        EXPECT 10, 0, .q5
        ; SS0 names a code segment: #TS(08h)
        mov dword [TSS + 8], 0x08
.q6:    call 0x33:0
        EXPECT 10, 0x08, .q6
        ; SS0 not present: #SS(80h)
        mov dword [TSS + 8], 0x80
.q7:    call 0x33:0
        EXPECT 12, 0x80, .q7
        ; inner stack (limit 7FFFFh) too small for 2 params + 16 bytes:
        ; #SS(88h), and nothing written
        mov dword [TSS + 8], 0x88
        mov dword [TSS + 4], MARKS + 0x14
        mov edi, MARKS
        mov eax, 0x5A5A5A5A
        mov ecx, 8
        rep stosd
        push dword 1
        push dword 2
.q8:    call 0x33:0
        EXPECT 12, 0x88, .q8
        add esp, 8
        ; The SDM checks the room before pushing anything ("IF stack does
        ; not have room for parameters plus 16 bytes THEN #SS"); Bochs 2.7
        ; writes the slots that fit before it faults, so assemble with
        ; -DBOCHS to skip this check when cross-checking there.
%ifndef BOCHS
        mov esi, MARKS
        mov ecx, 8
.q8m:   CHECK32 dword [esi], 0x5A5A5A5A
        add esi, 4
        loop .q8m
%endif
        mov dword [TSS + 4], ESP0
        mov dword [TSS + 8], 0x10
        ; RETF to a more privileged level (RPL 0 < CPL 3): #GP(08h)
        mov dword [EXC_SKIP], 1
        push dword 0x08
        push dword ring3_never
.q9:    retf
        EXPECT 13, 0x08, .q9
        add esp, 8
        CHECK32 esp, ebx
        mov eax, cs
        CHECK32 eax, 0x1B
        mov eax, ss
        CHECK32 eax, 0x23
        CHECK32 dword [EXC_CNT], 9
        ; back to ring 0
        call 0xB3:0

ring3_stage2:
        ; TR now names a TSS whose limit (0Fh) holds SS0:ESP0 but not
        ; SS1:ESP1: a call to ring 1 is #TS(TR selector 90h)
        mov ebx, esp
        mov dword [EXC_CNT], 0
        mov dword [EXC_SKIP], 7
.s1:    call 0xA3:0
        EXPECT 10, 0x90, .s1
        CHECK32 esp, ebx
        CHECK32 dword [EXC_CNT], 1
        ; ring 0 is still reachable
        call 0xB3:0

; ---------------------------------------------------------------------
; Gate targets

; ring 0 from ring 3 (STAGE 1, 2) or PASS
finish:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov eax, cs
        CHECK32 eax, 0x08
        CHECK32 esp, ESP0 - 16
        CHECK32 dword [esp + 4], 0x1B
        CHECK32 dword [esp + 12], 0x23
        cmp dword [STAGE], 1
        jne .pass
        mov dword [STAGE], 2
        mov ax, 0x90
        ltr ax
        CHECK32 byte [GDT_RAM + 0x90 + 5], 0x8B
        push dword 0x23
        push dword ESP3
        push dword 0x1B
        push dword ring3
        retf
.pass:
        PASS32

g32_target:
        RECORD
        mov ax, 0x10
        mov ds, ax
        retf 8

g16_target:
        RECORD
        o16 retf 6

jmp_target:
        mov dword [ss:R_CS], 0
        mov [ss:R_CS], cs
        call jmp_here
jmp_here:
        pop dword [ss:R_EIP]
        jmp 0x08:jmp_back

conf_target:
        RECORD
        retf

r1_target:
        RECORD
        retf

; runs with CS = 58h (base ROMBASE - 10000h)
hi_target:
        RECORD
        call hi_here
hi_here:
        pop dword [ss:R_EIP]
        retf

        bits 16
c16_target:
        mov [ss:R_ESP], esp
        mov dword [ss:R_CS], 0
        mov [ss:R_CS], cs
        mov eax, [esp]
        mov [ss:R_STK], eax
        mov eax, [esp + 4]
        mov [ss:R_STK + 4], eax
        mov eax, [esp + 8]
        mov [ss:R_STK + 8], eax
        o32 retf
        bits 32

; exception stubs usable at any CPL (no CR2 read; SS is flat everywhere)
%macro R3STUB 1
r3exc_%1:
        pop dword [ss:EXC_ERR]
        mov dword [ss:EXC_VEC], %1
        inc dword [ss:EXC_CNT]
        push eax
        mov eax, [esp + 4]
        mov [ss:EXC_EIP], eax
        mov eax, [ss:EXC_SKIP]
        add [esp + 4], eax
        pop eax
        iretd
%endmacro
        R3STUB 10
        R3STUB 11
        R3STUB 12
        R3STUB 13
r3exc_table:
        dd r3exc_10, r3exc_11, r3exc_12, r3exc_13

        RZ_RUNTIME32
        RZ_PM_EXCEPTIONS

        RZ_GDT_BEGIN
        ; 18h: ring 3 code, base ROMBASE, 32-bit
        RZ_DESC ROMBASE, 0xFFFFF, 0xFB, 0xC0
        ; 20h: ring 3 data, flat
        RZ_DESC 0, 0xFFFFF, 0xF3, 0xC0
        ; 28h: 32-bit TSS, available
        RZ_DESC TSS, 0x67, 0x89, 0x00
        ; 30h: 32-bit call gate, DPL 3, 2 parameters -> 08h:g32_target
        RZ_GATE 0x08, OFS(g32_target), 0xEC, 2
        ; 38h: 16-bit call gate, DPL 3, 3 parameters -> 08h:g16_target
        RZ_GATE 0x08, OFS(g16_target), 0xE4, 3
        ; 40h: 32-bit call gate, DPL 0
        RZ_GATE 0x08, OFS(g32_target), 0x8C, 0
        ; 48h: 32-bit call gate, DPL 3, not present
        RZ_GATE 0x08, OFS(g32_target), 0x6C, 0
        ; 50h: ring 0 code, 16-bit, 64 KiB, base ROMBASE
        RZ_DESC ROMBASE, 0xFFFF, 0x9B, 0x00
        ; 58h: ring 0 code, 32-bit, base ROMBASE - 10000h
        RZ_DESC ROMBASE - 0x10000, 0xFFFFF, 0x9B, 0xC0
        ; 60h: 32-bit gate, DPL 3 -> 58h:hi_target + 10000h
        RZ_GATE 0x58, OFS(hi_target) + 0x10000, 0xEC, 0
        ; 68h: 32-bit gate, DPL 3 -> 50h:c16_target (16-bit code)
        RZ_GATE 0x50, OFS(c16_target), 0xEC, 0
        ; 70h: 32-bit gate, DPL 0 -> 08h:jmp_target
        RZ_GATE 0x08, OFS(jmp_target), 0x8C, 0
        ; 78h: ring 0 conforming code, readable, base ROMBASE
        RZ_DESC ROMBASE, 0xFFFFF, 0x9F, 0xC0
        ; 80h: ring 0 data, not present
        RZ_DESC 0, 0xFFFFF, 0x13, 0xC0
        ; 88h: ring 0 data, limit 7FFFFh (byte granular), B = 1
        RZ_DESC 0, 0x7FFFF, 0x93, 0x40
        ; 90h: 32-bit TSS, limit 0Fh (SS0:ESP0 only)
        RZ_DESC TSS, 0x0F, 0x89, 0x00
        ; 98h: ring 1 code, 32-bit
        RZ_DESC ROMBASE, 0xFFFFF, 0xBB, 0xC0
        ; A0h: 32-bit gate, DPL 3 -> 98h:r1_target
        RZ_GATE 0x98, OFS(r1_target), 0xEC, 0
        ; A8h: ring 1 data, flat
        RZ_DESC 0, 0xFFFFF, 0xB3, 0xC0
        ; B0h: 32-bit gate, DPL 3 -> 08h:finish
        RZ_GATE 0x08, OFS(finish), 0xEC, 0
        ; B8h: ring 3 data, not present
        RZ_DESC 0, 0xFFFFF, 0x73, 0xC0
        ; C0h: 32-bit gate, DPL 0, null code selector
        RZ_GATE 0x00, 0, 0x8C, 0
        ; C8h: 32-bit gate, DPL 0 -> a data segment
        RZ_GATE 0x10, 0, 0x8C, 0
        ; D0h: ring 0 code, not present
        RZ_DESC ROMBASE, 0xFFFFF, 0x1B, 0xC0
        ; D8h: 32-bit gate, DPL 0 -> D0h
        RZ_GATE 0xD0, 0, 0x8C, 0
        RZ_GDT_END
gdt_ram_desc:
        dw gdt_end - gdt - 1
        dd GDT_RAM

        RZ_RESET_VECTOR
