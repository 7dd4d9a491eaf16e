; Virtual-8086 mode (SDM vol. 3, chapter 20; vol. 2, INT n, IRET, CLI,
; STI, PUSHF, POPF): IRETD at CPL 0 enters v86 mode with its 9-dword
; frame; 8086-style segments; INT n (IOPL 3) leaves to ring 0 through a
; 32-bit or 16-bit gate with GS, FS, DS, ES, SS, ESP, EFLAGS, CS, EIP on
; the ring-0 stack and null data segments; the gate and handler checks;
; the IOPL-sensitive instructions with IOPL < 3 (#GP(0)); IN/OUT through
; the TSS I/O bitmap; CR4.VME: INT n redirected through the interrupt
; redirection bitmap to the 8086 IVT, VIF for CLI/STI/PUSHF/POPF/IRET,
; VIP; CR4.PVI at CPL 3 in protected mode.
;
; Ring-0 handlers "rec_N" record what they find and go back to the
; driver; gp_v86 (the #GP handler while v86 code runs) logs the error code
; and EIP, steps over the faulting instruction and returns to v86 mode
; with IRETD.
%include "rz_test.inc"

%define GDT_RAM  0x9000
%define TSS      0xA000
%define TSS_LIM  0xA8
%define ESP0     0x28000
%define STACK3   0x3F000

%define V86_CS   0xF000
%define V86_SS   0x2000
%define V86_SP   0x1000
%define V86_DS   0x3000
%define V86_ES   0x6000
%define V86_FS   0x5000
%define V86_GS   0x4000
%define V86_DATA 0x30000        ; linear address of V86_DS:0

%define REC_VEC    0x0700
%define REC_ESP    0x0704
%define REC_FL     0x0708
%define REC_CS     0x070C
%define REC_SS     0x0710
%define REC_DS     0x0714
%define REC_ES     0x0718
%define REC_FS     0x071C
%define REC_GS     0x0720
%define REC_FRAME  0x0740       ; 12 dwords as found at the handler's ESP
%define R_EAX      0x0780
%define R_EBX      0x0784
%define R_ECX      0x0788
%define R_EDX      0x078C
%define R_ESI      0x0790
%define R_EDI      0x0794
%define R_EBP      0x0798
%define DRV_ESP    0x07C0
%define DRV_RESUME 0x07C4
%define LOG_N      0x07C8
%define LOG        0x0800       ; gp_v86: (error code, EIP) pairs

%define SEL_CODE3  0x1B
%define SEL_DATA3  0x23
%define SEL_TSS    0x28
%define SEL_CODE16 0x30
%define SEL_CONF   0x38

%define F_VM   0x20000
%define F_VIF  0x80000
%define F_VIP  0x100000

; GOV86 ip, eflags: IRETD into v86 mode at V86_CS:ip with the V86_*
; segments; a rec_ handler comes back to the label after the macro.
%macro GOV86 2
        mov [ss:DRV_ESP], esp
        mov dword [ss:DRV_RESUME], %%back
        mov dword [ss:LOG_N], 0
        push dword V86_GS
        push dword V86_FS
        push dword V86_DS
        push dword V86_ES
        push dword V86_SS
        push dword V86_SP
        push dword (%2) | F_VM
        push dword V86_CS
        push dword %1
        iretd
%%back:
%endmacro

; GO3 entry, eflags: IRETD to 32-bit ring-3 code.
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
        ; TSS: SS0:ESP0, the interrupt redirection bitmap at 68h (only
        ; vector 30h redirected to the 8086 handler), the I/O bitmap at 88h
        ; for ports 0-FFh (80h and 87h allowed), the terminating FFh byte
        mov edi, TSS
        mov ecx, 0x68 / 4
        rep stosd
        mov dword [TSS + 4], ESP0
        mov dword [TSS + 8], 0x10
        mov word [TSS + 0x66], 0x88
        mov edi, TSS + 0x68
        mov al, 0xFF
        mov ecx, TSS_LIM + 1 - 0x68
        rep stosb
        mov byte [TSS + 0x68 + (0x30 >> 3)], 0xFE
        mov byte [TSS + 0x88 + (0x80 >> 3)], 0x7E
        mov ax, SEL_TSS
        ltr ax
        ; 8086 side: IVT entry 30h, data patterns
        mov word [0x30 * 4], v86_h30
        mov word [0x30 * 4 + 2], V86_CS
        mov word [V86_DATA], 0x1234
        mov word [V86_DATA + 0x1000], 0x9ABC
        mov word [V86_ES * 16], 0x5678

        RZ_IDT_GATE 0x40, rec_0x40, 0xEE00, 0x08       ; home
        RZ_IDT_GATE 3, rec_3, 0xEE00, 0x08             ; home with IOPL < 3
        RZ_IDT_GATE 6, rec_6, 0x8E00, 0x08
        RZ_IDT_GATE 13, gp_v86, 0x8E00, 0x08
        RZ_IDT_GATE 0x31, rec_0x31, 0xEE00, 0x08
        RZ_IDT_GATE 0x41, rec_0x40, 0x8E00, 0x08       ; DPL 0
        RZ_IDT_GATE 0x42, rec_0x40, 0xEE00, SEL_CODE3  ; to a DPL-3 handler
        RZ_IDT_GATE 0x43, rec_0x40, 0xEE00, SEL_CONF   ; to a conforming handler
        RZ_IDT_GATE 0x44, rec16_0x44, 0xE600, SEL_CODE16
        RZ_IDT_GATE 0x45, rec_0x45, 0xEF00, 0x08       ; trap gate

        ; ---- enter v86 mode, look around, INT 40h to ring 0 ----
        GOV86 v86_basic, 0x3202
        CHECK32 dword [REC_VEC], 0x40
        CHECK32 word [R_EAX], 0x1234            ; DS base = DS * 16
        CHECK32 word [R_EBX], V86_DS
        CHECK32 word [R_ECX], V86_SS
        CHECK32 word [R_EDX], V86_SP
        CHECK32 word [R_ESI], 0x5678
        CHECK32 word [R_EDI], V86_CS
        CHECK32 word [R_EBP], 0x9ABC            ; after MOV DS in v86 mode
        CHECK32 dword [REC_ESP], ESP0 - 36
        CHECK32 dword [REC_FRAME], v86_basic.next
        CHECK32 dword [REC_FRAME + 4], V86_CS
        CHECK32 dword [REC_FRAME + 8], F_VM | 0x3202
        CHECK32 dword [REC_FRAME + 12], V86_SP
        CHECK32 dword [REC_FRAME + 16], V86_SS
        CHECK32 dword [REC_FRAME + 20], V86_ES
        CHECK32 dword [REC_FRAME + 24], V86_DS + 0x100
        CHECK32 dword [REC_FRAME + 28], V86_FS
        CHECK32 dword [REC_FRAME + 32], V86_GS
        CHECK32 word [REC_DS], 0                ; data segments made null
        CHECK32 word [REC_ES], 0
        CHECK32 word [REC_FS], 0
        CHECK32 word [REC_GS], 0
        CHECK32 word [REC_CS], 0x08
        CHECK32 word [REC_SS], 0x10
        CHECK32 dword [REC_FL], 0x3002          ; VM, IF cleared

        ; ---- a 16-bit interrupt gate: the same frame in words ----
        GOV86 v86_int44, 0x3202
        CHECK32 dword [REC_VEC], 0x44
        CHECK32 dword [REC_ESP], ESP0 - 18
        CHECK32 word [REC_FRAME], v86_int44.next
        CHECK32 word [REC_FRAME + 2], V86_CS
        CHECK32 word [REC_FRAME + 4], 0x3202
        CHECK32 word [REC_FRAME + 6], V86_SP
        CHECK32 word [REC_FRAME + 8], V86_SS
        CHECK32 word [REC_FRAME + 10], V86_ES
        CHECK32 word [REC_FRAME + 12], V86_DS
        CHECK32 word [REC_FRAME + 14], V86_FS
        CHECK32 word [REC_FRAME + 16], V86_GS
        CHECK32 word [REC_DS], 0
        CHECK32 word [REC_CS], SEL_CODE16
        ; ---- a trap gate keeps IF ----
        GOV86 v86_int45, 0x3202
        CHECK32 dword [REC_VEC], 0x45
        CHECK32 dword [REC_ESP], ESP0 - 36
        CHECK32 dword [REC_FL], 0x3202
        CHECK32 dword [LOG_N], 1
        CHECK32 dword [LOG], 0
        CHECK32 dword [LOG + 4], v86_int45.out81

        ; ---- gate checks from v86 mode (IOPL 3): gate DPL 0 ->
        ; #GP(vector * 8 + 2); a DPL-3 or conforming handler -> #GP(sel);
        ; then #UD: a 9-dword frame, no error code ----
        GOV86 v86_gates, 0x3202
        CHECK32 dword [LOG_N], 3
        CHECK32 dword [LOG], 0x41 * 8 + 2
        CHECK32 dword [LOG + 4], v86_gates.a
        CHECK32 dword [LOG + 8], SEL_CODE3 & 0xFFFC
        CHECK32 dword [LOG + 12], v86_gates.b
        CHECK32 dword [LOG + 16], SEL_CONF
        CHECK32 dword [LOG + 20], v86_gates.c
        CHECK32 dword [REC_VEC], 6
        CHECK32 dword [REC_ESP], ESP0 - 36
        CHECK32 dword [REC_FRAME], v86_gates.ud
        CHECK32 dword [REC_FRAME + 12], V86_SP
        CHECK32 dword [REC_FRAME + 24], V86_DS

        ; ---- IOPL 0 without VME: CLI STI PUSHF POPF INT n IRET PUSHFD
        ; fault with #GP(0); IN/OUT follow the I/O bitmap; INT3 does not
        ; depend on IOPL ----
        GOV86 v86_iopl0, 0x0202
        CHECK32 dword [LOG_N], 9
        CHECK32 dword [LOG], 0
        CHECK32 dword [LOG + 4], v86_iopl0.cli
        CHECK32 dword [LOG + 12], v86_iopl0.sti
        CHECK32 dword [LOG + 20], v86_iopl0.pushf
        CHECK32 dword [LOG + 28], v86_iopl0.popf
        CHECK32 dword [LOG + 36], v86_iopl0.int
        CHECK32 dword [LOG + 44], v86_iopl0.iret
        CHECK32 dword [LOG + 52], v86_iopl0.pushfd
        CHECK32 dword [LOG + 60], v86_iopl0.out81
        CHECK32 dword [LOG + 68], v86_iopl0.out87w
        mov eax, [LOG + 8]
        or eax, [LOG + 16]
        or eax, [LOG + 24]
        or eax, [LOG + 32]
        or eax, [LOG + 40]
        or eax, [LOG + 48]
        or eax, [LOG + 56]
        or eax, [LOG + 64]
        CHECK32 eax, 0                          ; every error code 0
        CHECK32 dword [REC_VEC], 3
        CHECK32 dword [REC_FRAME], v86_iopl0.next
        CHECK32 dword [REC_FRAME + 8], F_VM | 0x0202
        CHECK32 dword [REC_FRAME + 12], V86_SP
        CHECK32 word [R_EBX], 0xFFFF            ; IN from an allowed port ran

        ; ---- IRETD to v86 mode with EIP beyond 64 KiB: the SDM checks
        ; EIP against the limit of the CS still loaded (flat here) and does
        ; not say what becomes of EIP[31:16]; Bochs loads only IP ----
        GOV86 0x10000 + v86_int40, 0x3202
        CHECK32 dword [REC_VEC], 0x40
        CHECK32 dword [REC_FRAME], v86_int40.next

        ; ---- CR4.VME with IOPL 3: INT 30h (bitmap bit clear) goes to
        ; the 8086 handler and IRET returns; INT 31h (bit set) to ring 0 ----
        mov eax, cr4
        or eax, 1                               ; VME
        mov cr4, eax
        GOV86 v86_vme3, 0x3202
        CHECK32 dword [REC_VEC], 0x31
        CHECK32 dword [REC_FRAME], v86_vme3.next
        CHECK32 dword [REC_FRAME + 12], V86_SP  ; the 8086 frame is gone
        CHECK32 word [R_EBP], 0xBEEF            ; the 8086 handler ran
        CHECK32 word [R_EDX], 0x3202            ; FLAGS it found pushed
        CHECK32 word [R_ECX], 0x3002            ; its own FLAGS: IF = 0
        CHECK32 word [R_ESI], v86_vme3.ret      ; return IP
        CHECK32 word [R_EDI], V86_CS

        ; ---- CR4.VME with IOPL 0: CLI/STI/PUSHF/POPF/IRET work on VIF,
        ; IF stays 0; the 8086 handler gets FLAGS with VIF as IF and
        ; IOPL 3; PUSHFD/POPFD/IRETD and INT 31h fault ----
        GOV86 v86_vme0, F_VIF | 0x0002
        CHECK32 word [V86_DATA + 0x100], 0x3202 ; STI: VIF = 1 shown as IF
        CHECK32 word [V86_DATA + 0x102], 0x3002 ; CLI: VIF = 0
        CHECK32 word [V86_DATA + 0x104], 0x3202 ; POPF IF=1: VIF = 1
        CHECK32 word [V86_DATA + 0x106], 0x3202 ; pushed by INT 30h
        CHECK32 word [V86_DATA + 0x108], 0x3002 ; inside: VIF = 0
        CHECK32 word [V86_DATA + 0x10A], 0x3202 ; IRET: VIF = popped IF
        CHECK32 dword [LOG_N], 4
        CHECK32 dword [LOG], 0
        CHECK32 dword [LOG + 4], v86_vme0.pushfd
        CHECK32 dword [LOG + 12], v86_vme0.popfd
        CHECK32 dword [LOG + 20], v86_vme0.iretd
        CHECK32 dword [LOG + 28], v86_vme0.int31
        CHECK32 dword [REC_VEC], 3
        CHECK32 dword [REC_FRAME], v86_vme0.next
        CHECK32 dword [REC_FRAME + 8], F_VM | 0x0002    ; IF and VIF 0
        CHECK32 dword [REC_FRAME + 12], V86_SP

        ; ---- VIP = 1: STI, POPF with IF = 1 or TF = 1, IRET with IF = 1
        ; trap with #GP(0) and change nothing ----
        GOV86 v86_vip, F_VIP | 0x0002
        CHECK32 dword [LOG_N], 4
        CHECK32 dword [LOG + 4], v86_vip.sti
        CHECK32 dword [LOG + 12], v86_vip.popf
        CHECK32 dword [LOG + 20], v86_vip.popf2
        CHECK32 dword [LOG + 28], v86_vip.iret
        CHECK32 dword [LOG], 0
        CHECK32 word [V86_DATA + 0x110], 0x3002
        CHECK32 dword [REC_VEC], 3
        CHECK32 dword [REC_FRAME], v86_vip.next
        CHECK32 dword [REC_FRAME + 8], F_VM | F_VIP | 0x0002
        CHECK32 dword [REC_FRAME + 12], V86_SP
        mov eax, cr4
        and eax, ~1
        mov cr4, eax

        ; ---- CR4.PVI at CPL 3 in protected mode: CLI/STI change VIF ----
        RZ_IDT_GATE 13, rec_13, 0x8E00, 0x08
        mov eax, cr4
        or eax, 2                               ; PVI
        mov cr4, eax
        GO3 r3_pvi, 0x0202
        CHECK32 dword [REC_VEC], 0x40
        CHECK32 dword [R_EAX], 0x0202           ; after CLI: IF 1, VIF 0
        CHECK32 dword [R_EBX], F_VIF | 0x0202   ; after STI: VIF 1
        CHECK32 dword [REC_FRAME + 8], F_VIF | 0x0202
        GO3 r3_pvi_vip, F_VIP | 0x0202
        CHECK32 dword [REC_VEC], 13
        CHECK32 dword [REC_FRAME], 0
        CHECK32 dword [REC_FRAME + 4], r3_pvi_vip.sti
        mov eax, cr4
        and eax, ~2
        mov cr4, eax
        GO3 r3_pvi, 0x0202                      ; without PVI: #GP(0)
        CHECK32 dword [REC_VEC], 13
        CHECK32 dword [REC_FRAME], 0
        CHECK32 dword [REC_FRAME + 4], r3_pvi
        mov ax, 0x10
        mov ds, ax
        PASS32

; ---- v86 code -------------------------------------------------------------
        bits 16
v86_basic:
        mov ax, [0]
        mov bx, ds
        mov cx, ss
        mov dx, sp
        mov si, [es:0]
        mov di, cs
        mov bp, V86_DS + 0x100
        mov ds, bp
        mov bp, [0]
        int 0x40
.next:

v86_int40:
        int 0x40
.next:

v86_int44:
        int 0x44
.next:

v86_int45:
.out81: out 0x81, al                    ; IOPL 3 does not open the port
        int 0x45

v86_gates:
.a:     int 0x41
.b:     int 0x42
.c:     int 0x43
.ud:    ud2

v86_iopl0:
        mov bx, 0
.cli:   cli
.sti:   sti
.pushf: pushf
.popf:  popf
.int:   int 0x30
.iret:  iret
.pushfd: o32 pushf
        out 0x80, al                    ; allowed
.out81: out 0x81, al                    ; not allowed
        mov dx, 0x87
.out87w: out dx, ax                     ; 88h is not allowed
        out dx, al                      ; allowed
        in al, 0x80
        mov bx, 0xFFFF
        int3
.next:

v86_vme3:
        mov bp, 0
        int 0x30
.ret:   int 0x31
.next:

v86_vme0:
        cli
        sti
        pushf
        pop word [0x100]
        cli
        pushf
        pop word [0x102]
        push word 0x0200
        popf
        pushf
        pop word [0x104]
        int 0x30
        mov [0x106], dx
        mov [0x108], cx
        pushf
        pop word [0x10A]
        push word 0
        popf
.pushfd: o32 pushf
.popfd: o32 popf
.iretd: o32 iret
.int31: int 0x31
        int3
.next:

v86_vip:
.sti:   sti
        push word 0x0200
.popf:  popf
        add sp, 2
        push word 0x0100
.popf2: popf
        add sp, 2
        push word 0x0200
        push cs
        push word .iret
.iret:  iret
        add sp, 6
        push word 0
        popf
        pushf
        pop word [0x110]
        int3
.next:

; the 8086 handler of INT 30h
v86_h30:
        mov bp, sp
        mov dx, [bp + 4]                ; pushed FLAGS
        mov si, [bp]                    ; pushed IP
        mov di, [bp + 2]                ; pushed CS
        pushf
        pop cx
        mov bp, 0xBEEF
        iret

; ---- ring-3 protected-mode code ---------------------------------------
        bits 32
r3_pvi:
        cli
        pushfd
        pop eax
        sti
        pushfd
        pop ebx
        int 0x40

r3_pvi_vip:
.sti:   sti
        jmp $

; ---- ring-0 handlers ------------------------------------------------------
gp_v86:
        push eax
        push ebx
        mov ebx, [ss:LOG_N]
        mov eax, [ss:esp + 8]           ; error code
        mov [ss:LOG + ebx * 8], eax
        mov eax, [ss:esp + 12]          ; EIP
        mov [ss:LOG + ebx * 8 + 4], eax
        inc dword [ss:LOG_N]
        movzx ebx, word [ss:esp + 16]   ; CS
        shl ebx, 4
        add ebx, eax
        mov al, [ss:ebx]                ; the faulting opcode
        mov ebx, 1
        cmp al, 0xCD
        je .two
        cmp al, 0x66
        je .two
        cmp al, 0xE6
        je .two
        cmp al, 0xE4
        jne .add
.two:   mov ebx, 2
.add:   add [ss:esp + 12], ebx
        pop ebx
        pop eax
        add esp, 4
        iretd

%macro REC32 1
rec_%1:
        mov dword [ss:REC_VEC], %1
        mov [ss:REC_CS], cs
        jmp rec_common
%endmacro
        REC32 3
        REC32 6
        REC32 13
        REC32 0x31
        REC32 0x40
        REC32 0x45

rec_common:
        mov [ss:REC_ESP], esp
        mov [ss:R_EAX], eax
        mov [ss:R_EBX], ebx
        mov [ss:R_ECX], ecx
        mov [ss:R_EDX], edx
        mov [ss:R_ESI], esi
        mov [ss:R_EDI], edi
        mov [ss:R_EBP], ebp
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
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, [DRV_ESP]
        jmp [DRV_RESUME]

        bits 16
rec16_0x44:
        mov dword [ss:REC_VEC], 0x44
        mov [ss:REC_CS], cs
        jmp dword 0x08:rec_common
        bits 32

        RZ_RUNTIME32
        RZ_PM_EXCEPTIONS

        RZ_GDT_BEGIN
        ; 0x18: ring-3 code, base ROMBASE, 32-bit
        dw 0xFFFF, 0x0000
        db 0x0F, 0xFB, 0xCF, 0x00
        ; 0x20: ring-3 data, flat
        dw 0xFFFF, 0x0000
        db 0x00, 0xF3, 0xCF, 0x00
        ; 0x28: 32-bit TSS with the bitmaps
        dw TSS_LIM, TSS & 0xFFFF
        db (TSS >> 16) & 0xFF, 0x89, 0x00, 0x00
        ; 0x30: ring-0 16-bit code, base ROMBASE, 64 KiB
        dw 0xFFFF, 0x0000
        db 0x0F, 0x9B, 0x00, 0x00
        ; 0x38: ring-0 conforming code, base ROMBASE, 32-bit
        dw 0xFFFF, 0x0000
        db 0x0F, 0x9F, 0xCF, 0x00
        RZ_GDT_END
gdt_ram_desc:
        dw gdt_end - gdt - 1
        dd GDT_RAM
idt256_desc:
        dw 256 * 8 - 1
        dd IDT

        RZ_RUNTIME16
        RZ_RESET_VECTOR
