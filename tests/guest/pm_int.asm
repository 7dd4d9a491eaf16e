; Interrupts and exceptions across privilege levels (SDM vol. 3, 6.12,
; 6.15; vol. 2, INT n and IRET): ring-3 code entered by IRETD takes INT n
; through DPL-3 gates to ring 0 (stack switch from the TSS, SS:ESP,
; EFLAGS, CS, EIP pushed), exceptions raised at ring 3 arrive at ring 0
; with the full frame, 16-bit interrupt and trap gates push 16-bit
; frames, gate DPL and presence are checked (#GP/#NP with the IDT error
; code), a bad SS0 or a full inner stack give #TS/#SS (EXT set for a
; hardware event), nested faults become #DF, and IRET returns to the
; outer level with its SS checks and the data-segment nulling.
;
; Ring-0 handlers "rec_N" record the frame they find (REC_*) and go back
; to the ring-0 driver (DRV_ESP, DRV_RESUME).  Handlers "conf_N" live in a
; conforming segment: they run at CPL 3 on the ring-3 stack (no stack
; switch, so they work while SS0/ESP0 are broken), record into CREC_*,
; repair the TSS and go home through INT 40h.
%include "rz_test.inc"

%define GDT_RAM  0x9000
%define TSS      0xA000
%define ESP0     0x30000
%define STACK3   0x3F000

%define REC_VEC    0x0700
%define REC_ESP    0x0704
%define REC_FL     0x0708
%define REC_CS     0x070C
%define REC_SS     0x0710
%define REC_DS     0x0714
%define REC_ES     0x0718
%define REC_FS     0x071C
%define REC_GS     0x0720
%define REC_CNT    0x0724
%define REC_FRAME  0x0740       ; 12 dwords as found at the handler's ESP
%define REC_REGS   0x0780       ; registers at handler entry
%define R_EDI      REC_REGS + 0
%define R_ESI      REC_REGS + 4
%define R_EBX      REC_REGS + 16
%define R_EDX      REC_REGS + 20
%define R_ECX      REC_REGS + 24
%define R_EAX      REC_REGS + 28
%define DRV_ESP    0x07C0
%define DRV_RESUME 0x07C4
%define CREC_VEC   0x07D0
%define CREC_ESP   0x07D4
%define CREC_CS    0x07D8
%define CREC_FRAME 0x07E0       ; 5 dwords

%define SEL_CODE3  0x1B
%define SEL_DATA3  0x23
%define SEL_TSS    0x28
%define SEL_CODE16 0x30
%define SEL_CONF   0x38
%define SEL_SMALL0 0x40         ; ring-0 data, limit 0xFFFFF
%define SEL_NP0    0x48         ; ring-0 data, not present

%define F_RF       0x10000

; GO3 entry, eflags: IRETD to ring 3 at `entry` with ESP = STACK3 and
; DS = ES = FS = GS = SS = 23h; a rec_ handler comes back to the label
; after the macro.
%macro GO3 2
        mov ax, SEL_DATA3
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov [ss:DRV_ESP], esp
        mov dword [ss:DRV_RESUME], %%back
        push dword SEL_DATA3
        push dword STACK3
        push dword %2
        push dword SEL_CODE3
        push dword %1
        iretd
%%back:
%endmacro

start:
        mov al, 0xFF                    ; no interrupts from the PICs
        out 0x21, al
        out 0xA1, al
        RZ_PM_ENTER
        ; GDT to RAM (LTR writes the busy bit), a 256-entry IDT, the TSS
        mov esi, gdt
        mov edi, GDT_RAM
        mov ecx, gdt_end - gdt
        cs rep movsb
        lgdt [cs:gdt_ram_desc]
        mov edi, IDT + 32 * 8
        xor eax, eax
        mov ecx, (256 - 32) * 2
        rep stosd
        lidt [cs:idt256_desc]
        mov edi, TSS
        mov ecx, 0x68 / 4
        rep stosd
        mov dword [TSS + 4], ESP0
        mov dword [TSS + 8], 0x10
        mov word [TSS + 0x66], 0x68
        mov ax, SEL_TSS
        ltr ax

        RZ_IDT_GATE 0x40, rec_0x40, 0xEE00, 0x08 ; ring-3 "go home" gate
        RZ_IDT_GATE 0x41, rec_0x41, 0xEE00, 0x08
        RZ_IDT_GATE 0x42, rec_0x41, 0x6E00, 0x08 ; not present
        RZ_IDT_GATE 0x43, rec_0x41, 0x8E00, 0x08 ; DPL 0
        RZ_IDT_GATE 0x44, h_44, 0xEE00, 0x08   ; returns with IRETD
        RZ_IDT_GATE 0x45, rec16_0x45, 0xE600, SEL_CODE16  ; 16-bit interrupt gate
        RZ_IDT_GATE 0x46, rec_0x46, 0xEF00, 0x08         ; 32-bit trap gate
        RZ_IDT_GATE 0x47, rec16_0x47, 0xE700, SEL_CODE16  ; 16-bit trap gate

        ; ---- INT n from ring 3 through a DPL-3 interrupt gate ----
        GO3 r3_int40, 0x0202
        CHECK32 dword [REC_VEC], 0x40
        CHECK32 dword [REC_ESP], ESP0 - 20
        CHECK32 dword [REC_FRAME], r3_int40.next
        CHECK32 word [REC_FRAME + 4], SEL_CODE3
        CHECK32 dword [REC_FRAME + 8], 0x0202
        CHECK32 dword [REC_FRAME + 12], STACK3
        CHECK32 word [REC_FRAME + 16], SEL_DATA3
        CHECK32 word [REC_CS], 0x08
        CHECK32 word [REC_SS], 0x10
        CHECK32 word [REC_DS], SEL_DATA3
        CHECK32 dword [REC_FL], 0x0002  ; IF, TF, NT cleared
        CHECK32 dword [R_EAX], 0x11111111

        ; ---- INT n to ring 0 and IRETD back to ring 3 ----
        GO3 r3_int44, 0x3202
        CHECK32 dword [REC_VEC], 0x40
        CHECK32 dword [R_EAX], 0x101    ; the handler ran
        CHECK32 dword [R_EBX], 0x08     ; at ring 0
        CHECK32 dword [R_ECX], ESP0 - 20
        CHECK32 dword [R_EDX], STACK3   ; the ring-3 stack is back
        CHECK32 word [R_ESI], SEL_CODE3
        CHECK32 word [R_EDI], SEL_DATA3
        CHECK32 dword [REC_FRAME + 8], 0x3202   ; IOPL 3 came back

        ; ---- IRET at ring 3 (same level) and POPFD cannot set IOPL or
        ; clear IF there (IOPL 0), but change the arithmetic flags ----
        GO3 r3_iret_same, 0x0202
        CHECK32 dword [REC_VEC], 0x40
        CHECK32 dword [R_EBX], 0x0203
        CHECK32 dword [R_ECX], 0x0A03
        CHECK32 dword [REC_FRAME], r3_iret_same.next

        ; ---- #GP(0) at ring 3 (CLI with IOPL 0) to ring 0 ----
        RZ_IDT_GATE 13, rec_13, 0x8E00, 0x08
        GO3 r3_cli, 0x0202
        CHECK32 dword [REC_VEC], 13
        CHECK32 dword [REC_ESP], ESP0 - 24
        CHECK32 dword [REC_FRAME], 0            ; error code
        CHECK32 dword [REC_FRAME + 4], r3_cli.fault
        CHECK32 word [REC_FRAME + 8], SEL_CODE3
        mov eax, [REC_FRAME + 12]
        and eax, ~F_RF                          ; RF is set for faults on P6+
        CHECK32 eax, 0x0202
        CHECK32 dword [REC_FRAME + 16], STACK3
        CHECK32 word [REC_FRAME + 20], SEL_DATA3

        ; ---- #UD at ring 3: no error code ----
        RZ_IDT_GATE 6, rec_6, 0x8E00, 0x08
        GO3 r3_ud, 0x0202
        CHECK32 dword [REC_VEC], 6
        CHECK32 dword [REC_ESP], ESP0 - 20
        CHECK32 dword [REC_FRAME], r3_ud.fault
        CHECK32 word [REC_FRAME + 4], SEL_CODE3
        CHECK32 dword [REC_FRAME + 12], STACK3

        ; ---- INT1 (ICEBP) ignores the gate DPL; INT3 does not ----
        RZ_IDT_GATE 1, rec_1, 0x8E00, 0x08
        GO3 r3_icebp, 0x0202
        CHECK32 dword [REC_VEC], 1
        CHECK32 dword [REC_FRAME], r3_icebp.next
        RZ_IDT_GATE 3, rec_3, 0x8E00, 0x08     ; DPL 0
        GO3 r3_int3, 0x0202
        CHECK32 dword [REC_VEC], 13
        CHECK32 dword [REC_FRAME], 3 * 8 + 2
        CHECK32 dword [REC_FRAME + 4], r3_int3.fault
        RZ_IDT_GATE 3, rec_3, 0xEE00, 0x08     ; DPL 3
        GO3 r3_int3, 0x0202
        CHECK32 dword [REC_VEC], 3
        CHECK32 dword [REC_FRAME], r3_int3.next

        ; ---- gate DPL < CPL: #GP(vector * 8 + 2) ----
        GO3 r3_int43, 0x0202
        CHECK32 dword [REC_VEC], 13
        CHECK32 dword [REC_FRAME], 0x43 * 8 + 2
        CHECK32 dword [REC_FRAME + 4], r3_int43.fault
        CHECK32 dword [REC_FRAME + 16], STACK3

        ; ---- not-present gate: #NP(vector * 8 + 2) ----
        RZ_IDT_GATE 11, rec_11, 0x8E00, 0x08
        GO3 r3_int42, 0x0202
        CHECK32 dword [REC_VEC], 11
        CHECK32 dword [REC_ESP], ESP0 - 24
        CHECK32 dword [REC_FRAME], 0x42 * 8 + 2
        CHECK32 dword [REC_FRAME + 4], r3_int42.fault
        CHECK32 word [REC_FRAME + 8], SEL_CODE3
        CHECK32 dword [REC_FRAME + 16], STACK3
        CHECK32 word [REC_FRAME + 20], SEL_DATA3

        ; ---- 16-bit interrupt gate: a 16-bit frame, IF cleared ----
        GO3 r3_int45, 0x0202
        CHECK32 dword [REC_VEC], 0x45
        CHECK32 dword [REC_ESP], ESP0 - 10
        CHECK32 word [REC_FRAME], r3_int45.next
        CHECK32 word [REC_FRAME + 2], SEL_CODE3
        CHECK32 word [REC_FRAME + 4], 0x0202
        CHECK32 word [REC_FRAME + 6], STACK3 & 0xFFFF
        CHECK32 word [REC_FRAME + 8], SEL_DATA3
        CHECK32 word [REC_CS], SEL_CODE16
        CHECK32 dword [REC_FL], 0x0002
        ; ---- 32-bit and 16-bit trap gates keep IF ----
        GO3 r3_int46, 0x0202
        CHECK32 dword [REC_VEC], 0x46
        CHECK32 dword [REC_ESP], ESP0 - 20
        CHECK32 dword [REC_FL], 0x0202
        GO3 r3_int47, 0x0202
        CHECK32 dword [REC_VEC], 0x47
        CHECK32 dword [REC_ESP], ESP0 - 10
        CHECK32 word [REC_FRAME], r3_int47.next
        CHECK32 dword [REC_FL], 0x0202
        ; ---- an exception through a 16-bit gate: 16-bit error code ----
        RZ_IDT_GATE 13, rec16_13, 0x8600, SEL_CODE16
        GO3 r3_cli, 0x0202
        CHECK32 dword [REC_VEC], 13
        CHECK32 dword [REC_ESP], ESP0 - 12
        CHECK32 word [REC_FRAME], 0
        CHECK32 word [REC_FRAME + 2], r3_cli.fault
        CHECK32 word [REC_FRAME + 4], SEL_CODE3
        CHECK32 word [REC_FRAME + 8], STACK3 & 0xFFFF
        CHECK32 word [REC_FRAME + 10], SEL_DATA3
        RZ_IDT_GATE 13, rec_13, 0x8E00, 0x08

        ; ---- bad SS0 in the TSS: #TS, delivered at CPL 3 through a
        ; conforming handler (no stack switch) ----
        RZ_IDT_GATE 10, conf_10, 0x8E00, SEL_CONF
        RZ_IDT_GATE 12, conf_12, 0x8E00, SEL_CONF
        mov dword [TSS + 8], SEL_DATA3 & 0xFFFC ; DPL 3 != 0
        mov dword [CREC_VEC], 0
        GO3 r3_int41, 0x0202
        CHECK32 dword [REC_VEC], 0x40           ; home through INT 40h
        CHECK32 dword [CREC_VEC], 10
        CHECK32 dword [CREC_FRAME], SEL_DATA3 & 0xFFFC  ; EXT = 0: INT n
        CHECK32 dword [CREC_FRAME + 4], r3_int41.fault
        CHECK32 word [CREC_FRAME + 8], SEL_CODE3
        CHECK32 dword [CREC_ESP], STACK3 - 16   ; nothing else was pushed
        CHECK32 word [CREC_CS], SEL_CONF | 3
        ; the same for a hardware exception (#UD, benign): EXT = 1
        mov dword [TSS + 8], SEL_DATA3 & 0xFFFC
        mov dword [CREC_VEC], 0
        GO3 r3_ud, 0x0202
        CHECK32 dword [CREC_VEC], 10
        CHECK32 dword [CREC_FRAME], (SEL_DATA3 & 0xFFFC) | 1
        CHECK32 dword [CREC_FRAME + 4], r3_ud.fault
        ; a null SS0: #TS(0)
        mov dword [TSS + 8], 0
        mov dword [CREC_VEC], 0
        GO3 r3_int41, 0x0202
        CHECK32 dword [CREC_VEC], 10
        CHECK32 dword [CREC_FRAME], 0
        CHECK32 dword [CREC_FRAME + 4], r3_int41.fault
        ; a not-present SS0: #SS(SS0)
        mov dword [TSS + 8], SEL_NP0
        mov dword [CREC_VEC], 0
        GO3 r3_int41, 0x0202
        CHECK32 dword [CREC_VEC], 12
        CHECK32 dword [CREC_FRAME], SEL_NP0
        CHECK32 dword [CREC_FRAME + 4], r3_int41.fault
        ; no room on the inner stack: #SS(SS0).  (The SDM checks the room
        ; before the first push; Bochs 2.7 writes the slots that fit before
        ; it faults, so the memory below ESP0 is not checked here.)
        mov dword [TSS + 8], SEL_SMALL0
        mov dword [TSS + 4], 0x10               ; 4 of the 5 slots fit
        mov dword [CREC_VEC], 0
        GO3 r3_int41, 0x0202
        CHECK32 dword [CREC_VEC], 12
        CHECK32 dword [CREC_FRAME], SEL_SMALL0
        CHECK32 dword [CREC_FRAME + 4], r3_int41.fault
        CHECK32 dword [CREC_ESP], STACK3 - 16
        ; the inner stack in SMALL0 works when it fits
        mov dword [TSS + 8], SEL_SMALL0
        mov dword [TSS + 4], 0x20
        GO3 r3_int40, 0x0202
        CHECK32 dword [REC_VEC], 0x40
        CHECK32 dword [REC_ESP], 0x20 - 20
        CHECK32 word [REC_SS], SEL_SMALL0
        CHECK32 dword [REC_FRAME + 12], STACK3
        mov dword [TSS + 4], ESP0
        mov dword [TSS + 8], 0x10

        ; ---- #GP at ring 3 while SS0 is bad: #TS during #GP is a double
        ; fault (contributory + contributory, SDM vol. 3, table 6-5) ----
        RZ_IDT_GATE 8, conf_8, 0x8E00, SEL_CONF
        mov dword [TSS + 8], SEL_DATA3 & 0xFFFC
        mov dword [CREC_VEC], 0
        GO3 r3_cli, 0x0202
        CHECK32 dword [CREC_VEC], 8
        CHECK32 dword [CREC_FRAME], 0
        CHECK32 word [CREC_FRAME + 8], SEL_CODE3
        RZ_IDT_GATE 8, exc_8, 0x8E00, 0x08
        RZ_IDT_GATE 10, exc_10, 0x8E00, 0x08
        RZ_IDT_GATE 12, exc_12, 0x8E00, 0x08

        ; ---- ring-0 nesting: #GP while delivering #NP -> #DF(0);
        ; #NP while delivering #UD (benign) -> just #NP, EXT = 1 ----
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        RZ_IDT_GATE 11, 0, 0x8E00, 0x78        ; 78h: beyond the GDT limit
        RZ_IDT_GATE 0x48, rec_0x41, 0x0E00, 0x08 ; not present, DPL 0
        mov dword [EXC_CNT], 0
        mov dword [EXC_SKIP], .df_end - .df
.df:    int 0x48
.df_end:
        CHECK32 dword [EXC_VEC], 8
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_EIP], .df
        CHECK32 dword [EXC_CNT], 1
        RZ_IDT_GATE 11, exc_11, 0x8E00, 0x08
        RZ_IDT_GATE 6, 0, 0x0E00, 0x08         ; #UD gate not present
        mov dword [EXC_SKIP], .udnp_end - .udnp
.udnp:  ud2
.udnp_end:
        CHECK32 dword [EXC_VEC], 11
        CHECK32 dword [EXC_ERR], 6 * 8 + 2 + 1
        CHECK32 dword [EXC_EIP], .udnp
        CHECK32 dword [EXC_CNT], 2
        RZ_IDT_GATE 6, exc_6, 0x8E00, 0x08

        ; ---- IRET to ring 3: DS/ES/FS/GS with DPL < 3 become null ----
        mov ax, 0x10
        mov es, ax                      ; data DPL 0: nulled
        mov ax, 0x08
        mov fs, ax                      ; non-conforming code DPL 0: nulled
        mov ax, SEL_CONF
        mov gs, ax                      ; conforming code: kept
        mov ax, SEL_DATA3
        mov ds, ax                      ; data DPL 3: kept
        mov [ss:DRV_ESP], esp
        mov dword [ss:DRV_RESUME], .null_back
        push dword SEL_DATA3
        push dword STACK3
        push dword 0x0202
        push dword SEL_CODE3
        push dword r3_int40
        iretd
.null_back:
        CHECK32 dword [REC_VEC], 0x40
        CHECK32 word [REC_ES], 0
        CHECK32 word [REC_FS], 0
        CHECK32 word [REC_GS], SEL_CONF
        CHECK32 word [REC_DS], SEL_DATA3

        ; ---- 16-bit IRET to ring 3: IP, CS, FLAGS, SP, SS ----
        mov [ss:DRV_ESP], esp
        mov dword [ss:DRV_RESUME], .iret16_back
        push word SEL_DATA3
        push word 0x6000
        push word 0x0202
        push word SEL_CODE3
        push word r3_int40
        o16 iret
.iret16_back:
        CHECK32 dword [REC_VEC], 0x40
        CHECK32 dword [REC_FRAME + 12], 0x6000
        CHECK32 dword [REC_FRAME], r3_int40.next

        ; ---- IRET to an outer level with a bad SS: #GP(SS), nothing
        ; changed ----
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        RZ_IDT_GATE 13, exc_13, 0x8E00, 0x08
        mov dword [EXC_SKIP], 1
        mov ebx, esp
        push dword 0x20                 ; RPL 0 != 3
        push dword STACK3
        push dword 0x0202
        push dword SEL_CODE3
        push dword r3_int40
.ir1:   iretd
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], 0x20
        CHECK32 dword [EXC_EIP], .ir1
        add esp, 20
        CHECK32 esp, ebx
        push dword 0x13                 ; DPL 0 != 3
        push dword STACK3
        push dword 0x0202
        push dword SEL_CODE3
        push dword r3_int40
.ir2:   iretd
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], 0x10
        CHECK32 dword [EXC_EIP], .ir2
        add esp, 20
        push dword SEL_NP0 | 3          ; DPL 0 != 3 comes before P
        push dword STACK3
        push dword 0x0202
        push dword SEL_CODE3
        push dword r3_int40
.ir3:   iretd
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], SEL_NP0
        add esp, 20
        push dword SEL_DATA3
        push dword STACK3
        push dword 0x0202
        push dword SEL_CODE3 & 0xFFFC   ; RPL 0, DPL 3: not conforming
        push dword r3_int40
.ir4:   iretd
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], SEL_CODE3 & 0xFFFC
        add esp, 20
        CHECK32 esp, ebx
        CHECK32 word [REC_CS], 0x08
        PASS32

; ---- ring-3 code --------------------------------------------------------
        bits 32
r3_int40:
        mov eax, 0x11111111
        int 0x40
.next:  jmp $

r3_int41:
.fault: int 0x41
        jmp $

r3_int42:
.fault: int 0x42
        jmp $

r3_int43:
.fault: int 0x43
        jmp $

r3_int44:
        mov eax, 1
        int 0x44
        mov edx, esp
        mov si, cs
        mov di, ss
        int 0x40

r3_int45:
        int 0x45
.next:  jmp $

r3_int46:
        int 0x46
        jmp $

r3_int47:
        int 0x47
.next:  jmp $

r3_iret_same:
        pushfd
        pop eax
        and eax, ~0x0200                ; try IF = 0
        or eax, 0x3001                  ; try IOPL = 3, CF = 1
        push eax
        popfd
        pushfd
        pop ebx
        or eax, 0x0800                  ; OF too, through IRETD
        push eax
        push dword SEL_CODE3
        push dword .back
        iretd
.back:  pushfd
        pop ecx
        int 0x40
.next:

r3_cli:
.fault: cli
        jmp $

r3_ud:
.fault: ud2

r3_icebp:
        db 0xF1
.next:  jmp $

r3_int3:
.fault: int3
.next:  jmp $

; ---- ring-0 handlers ------------------------------------------------------
h_44:
        add eax, 0x100
        mov ebx, cs
        mov ecx, esp
        iretd

%macro REC32 1
rec_%1:
        mov dword [ss:REC_VEC], %1
        mov [ss:REC_CS], cs
        jmp rec_common
%endmacro
        REC32 1
        REC32 3
        REC32 6
        REC32 11
        REC32 13
        REC32 0x40
        REC32 0x41
        REC32 0x46

rec_common:
        ; no more than one push: the inner stack may be nearly full
        mov [ss:REC_ESP], esp
        mov [ss:R_EAX], eax
        mov [ss:R_EBX], ebx
        mov [ss:R_ECX], ecx
        mov [ss:R_EDX], edx
        mov [ss:R_ESI], esi
        mov [ss:R_EDI], edi
        pushfd
        pop dword [ss:REC_FL]
        mov [ss:REC_SS], ss
        mov [ss:REC_DS], ds
        mov [ss:REC_ES], es
        mov [ss:REC_FS], fs
        mov [ss:REC_GS], gs
        mov esi, [ss:REC_ESP]
        mov edi, REC_FRAME
        mov ecx, 12
.frame: mov eax, [ss:esi]
        mov [ss:edi], eax
        add esi, 4
        add edi, 4
        loop .frame
        inc dword [ss:REC_CNT]
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, [DRV_ESP]
        jmp [DRV_RESUME]

; 16-bit handlers (code segment 30h): record and continue in 32-bit code
        bits 16
%macro REC16 1
rec16_%1:
        mov dword [ss:REC_VEC], %1
        mov [ss:REC_CS], cs
        jmp dword 0x08:rec_common
%endmacro
        REC16 0x45
        REC16 0x47
        REC16 13
        bits 32

; conforming handlers (CPL 3, ring-3 stack)
%macro CONF 1
conf_%1:
        mov dword [ss:CREC_VEC], %1
        mov [ss:CREC_ESP], esp
        mov [ss:CREC_CS], cs
        mov eax, [ss:esp]
        mov [ss:CREC_FRAME], eax
        mov eax, [ss:esp + 4]
        mov [ss:CREC_FRAME + 4], eax
        mov eax, [ss:esp + 8]
        mov [ss:CREC_FRAME + 8], eax
        mov eax, [ss:esp + 12]
        mov [ss:CREC_FRAME + 12], eax
        mov dword [ss:TSS + 4], ESP0
        mov dword [ss:TSS + 8], 0x10
        int 0x40
%endmacro
        CONF 8
        CONF 10
        CONF 12

        RZ_RUNTIME32
        RZ_PM_EXCEPTIONS

        RZ_GDT_BEGIN
        ; 0x18: ring-3 code, base ROMBASE, 32-bit
        dw 0xFFFF, 0x0000
        db 0x0F, 0xFB, 0xCF, 0x00
        ; 0x20: ring-3 data, flat
        dw 0xFFFF, 0x0000
        db 0x00, 0xF3, 0xCF, 0x00
        ; 0x28: 32-bit TSS at TSS, limit 67h
        dw 0x0067, TSS & 0xFFFF
        db (TSS >> 16) & 0xFF, 0x89, 0x00, 0x00
        ; 0x30: ring-0 16-bit code, base ROMBASE, 64 KiB
        dw 0xFFFF, 0x0000
        db 0x0F, 0x9B, 0x00, 0x00
        ; 0x38: ring-0 conforming code, base ROMBASE, 32-bit
        dw 0xFFFF, 0x0000
        db 0x0F, 0x9F, 0xCF, 0x00
        ; 0x40: ring-0 data, base 0, limit FFFFFh (byte granular), B = 1
        dw 0xFFFF, 0x0000
        db 0x00, 0x93, 0x4F, 0x00
        ; 0x48: ring-0 data, not present
        dw 0xFFFF, 0x0000
        db 0x00, 0x13, 0xCF, 0x00
        RZ_GDT_END
gdt_ram_desc:
        dw gdt_end - gdt - 1
        dd GDT_RAM
idt256_desc:
        dw 256 * 8 - 1
        dd IDT

        RZ_RUNTIME16
        RZ_RESET_VECTOR
