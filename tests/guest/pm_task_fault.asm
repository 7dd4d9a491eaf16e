; Task switches that fault (SDM vol. 3, 7.3 and table 7-1; vol. 2, JMP,
; CALL, IRET).
;
; Before the commit point a fault leaves the old task untouched: busy TSS
; (#GP), not-present TSS or gate (#NP), TSS limit too small (#TS), RPL or
; DPL checks (#GP), a task gate naming something other than an available
; TSS in the GDT (#GP), IRET with NT = 1 to a back link that is not a
; busy TSS (#TS/#NP), a TSS on a not-present page (#PF).
;
; After the commit point the fault belongs to the new task: TR, EIP and
; the selectors are the new task's.  A bad DS/CS (and CS's limit) is
; caught by an interrupt gate whose handler records the frame and jumps
; back to the main task; a bad SS or LDT leaves no usable stack, so those
; are caught through task gates.
;
; Passes on Bochs 2.7 (p2_klamath).  QEMU (TCG) fails where it follows
; a task gate naming an LDT selector instead of raising #GP.
%include "rz_test.inc"

%define GDT_RAM   0x1000
%define TSS_MAIN  0x2000
%define TSS_A     0x2100
%define TSS_NP    0x2200
%define TSS_SMALL 0x2300
%define TSS_S16   0x2400
%define TSS_BNP   0x2500
%define TSS_BAD   0x2600
%define TSS_H10   0x2700
%define TSS_H11   0x2800
%define TSS_H12   0x2900
%define LDT       0x3000
%define TSS_PF    0x5FC0        ; runs into the not-present page 6000h
%define IDT_SAVE  0x0780        ; IDT entries 10-13 of the harness
%define MAINEIP   0xDEADBEEF    ; sentinel in the main TSS's EIP field

; What the catchers record about a fault in the new task
%define C_VEC     0x0700
%define C_ERR     0x0704
%define C_EIP     0x0708
%define C_CS      0x070C
%define C_EFL     0x0710
%define C_ESP     0x0714
%define C_SS      0x0718
%define C_TR      0x071C
%define C_LINK    0x0720
%define C_CNT     0x0724

%define PD        0x00100000
%define PT0       0x00101000

; EXPECT_EXC vector, error, eip: the harness recorded this fault
%macro EXPECT_EXC 3
        CHECK32 dword [EXC_VEC], %1
        CHECK32 dword [EXC_ERR], %2
        CHECK32 dword [EXC_EIP], %3
%endmacro

; UNCHANGED: the main task is still running, busy, its TSS not written
%macro UNCHANGED 0
        str ax
        CHECK32 ax, SEL_MAIN
        CHECK32 byte [GDT_RAM + SEL_MAIN + 5], 0x8B
        CHECK32 dword [TSS_MAIN + 0x20], MAINEIP
%endmacro

; SKIP label: the harness resumes after the instruction at label
%macro SKIP 1
        mov dword [EXC_SKIP], %1_end - %1
%endmacro

start:
        RZ_PM_ENTER
        mov esi, ROMBASE + gdt
        mov edi, GDT_RAM
        mov ecx, (gdt_end - gdt) / 4
        rep movsd
        lgdt [cs:gdt_ram_desc]
        mov esi, IDT + 10 * 8
        mov edi, IDT_SAVE
        mov ecx, 8
        rep movsd

        ; identity paging of 0..4 MiB except the page at 6000h
        mov edi, PD
        xor eax, eax
        mov ecx, 2 * 1024
        rep stosd
        mov edi, PT0
        mov eax, 0x003
        mov ecx, 1024
.ident: stosd
        add eax, 0x1000
        loop .ident
        mov dword [PT0 + 6 * 4], 0
        mov dword [PD], PT0 | 3
        mov eax, PD
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80000000
        mov cr0, eax
        jmp .pg
.pg:
        mov edi, TSS_MAIN
        xor ebx, ebx
        mov edx, 0
        call tss_init
        mov ax, SEL_MAIN
        ltr ax
        mov edi, TSS_A
        mov ebx, task_a
        mov edx, 0x71000
        call tss_init
        mov word [TSS_A], 0x5555
        mov dword [TSS_MAIN + 0x20], MAINEIP
        mov dword [EXC_CNT], 0

        ; ======== before the commit point ========
        ; JMP to the running (busy) TSS: #GP(sel)
        SKIP .busy1
.busy1: jmp SEL_MAIN:0
.busy1_end:
        EXPECT_EXC 13, SEL_MAIN, .busy1
        UNCHANGED
        ; CALL through a task gate to a busy TSS: #GP(TSS sel)
        SKIP .busy2
.busy2: call SEL_GATE_MAIN:0
.busy2_end:
        EXPECT_EXC 13, SEL_MAIN, .busy2
        UNCHANGED
        ; TSS not present: #NP(sel)
        SKIP .np1
.np1:   jmp SEL_NP:0
.np1_end:
        EXPECT_EXC 11, SEL_NP, .np1
        UNCHANGED
        ; task gate not present: #NP(gate)
        SKIP .np2
.np2:   call SEL_GATE_NP:0
.np2_end:
        EXPECT_EXC 11, SEL_GATE_NP, .np2
        UNCHANGED
        CHECK32 byte [GDT_RAM + SEL_A + 5], 0x89
        ; limit below 67h (32-bit) / 2Bh (16-bit): #TS(sel)
        mov dword [TSS_SMALL + 0x20], 0x12345678
        SKIP .lim1
.lim1:  call SEL_SMALL:0
.lim1_end:
        EXPECT_EXC 10, SEL_SMALL, .lim1
        UNCHANGED
        CHECK32 byte [GDT_RAM + SEL_SMALL + 5], 0x89
        CHECK32 dword [TSS_SMALL + 0x20], 0x12345678
        SKIP .lim2
.lim2:  jmp SEL_S16:0
.lim2_end:
        EXPECT_EXC 10, SEL_S16, .lim2
        UNCHANGED
        CHECK32 byte [GDT_RAM + SEL_S16 + 5], 0x81
        ; RPL 3 above the TSS's DPL 0: #GP(sel)
        SKIP .rpl1
.rpl1:  jmp (SEL_A | 3):0
.rpl1_end:
        EXPECT_EXC 13, SEL_A, .rpl1
        UNCHANGED
        ; ... and above a task gate's DPL 0: #GP(gate)
        SKIP .rpl2
.rpl2:  call (SEL_GATE_MAIN | 3):0
.rpl2_end:
        EXPECT_EXC 13, SEL_GATE_MAIN, .rpl2
        ; a task gate naming an LDT selector: #GP(TSS sel)
        SKIP .tgl
.tgl:   call SEL_GATE_TI:0
.tgl_end:
        EXPECT_EXC 13, SEL_A | 4, .tgl
        UNCHANGED
        ; a task gate naming a data segment: #GP(10h)
        SKIP .tgd
.tgd:   jmp SEL_GATE_DATA:0
.tgd_end:
        EXPECT_EXC 13, 0x10, .tgd
        UNCHANGED
        ; a TSS descriptor in the LDT: #GP(sel)
        mov dword [LDT], (TSS_A << 16) | 0x67
        mov dword [LDT + 4], 0x00008900
        mov ax, SEL_LDT
        lldt ax
        SKIP .tldt
.tldt:  jmp 0x0004:0
.tldt_end:
        EXPECT_EXC 13, 0x0004, .tldt
        UNCHANGED
        xor eax, eax
        lldt ax
        ; a TSS whose end lies on a not-present page: #PF, nothing written
        mov dword [EXC_CR2], 0
        SKIP .pf
.pf:    jmp SEL_PF:0
.pf_end:
        EXPECT_EXC 14, 0, .pf
        mov eax, [EXC_CR2]
        and eax, 0xFFFFF000
        CHECK32 eax, 0x6000
        UNCHANGED
        CHECK32 byte [GDT_RAM + SEL_PF + 5], 0x89
        ; an exception through an IDT task gate naming a busy TSS:
        ; #GP(TSS selector + EXT)
        mov dword [IDT + 6 * 8], SEL_MAIN << 16
        mov dword [IDT + 6 * 8 + 4], 0x8500
        SKIP .ud
.ud:    ud2
.ud_end:
        EXPECT_EXC 13, SEL_MAIN | 1, .ud
        UNCHANGED
        ; ... and INT n through such a gate: EXT = 0
        mov dword [IDT + 31 * 8], SEL_MAIN << 16
        mov dword [IDT + 31 * 8 + 4], 0x8500
        SKIP .int
.int:   int 31
.int_end:
        EXPECT_EXC 13, SEL_MAIN, .int
        UNCHANGED
        CHECK32 dword [EXC_CNT], 14

        ; through a DPL 3 gate with RPL 3 the TSS's own DPL 0 is not
        ; checked: this switch succeeds
        mov dword [C_CNT], 0
        call (SEL_GATE3 | 3):0
        CHECK32 dword [C_CNT], 1
        CHECK32 word [TSS_A], SEL_MAIN
        CHECK32 byte [GDT_RAM + SEL_A + 5], 0x89
        CHECK32 dword [EXC_CNT], 14
        mov dword [TSS_MAIN + 0x20], MAINEIP

        ; IRET with NT = 1: the back link must be a busy TSS in the GDT
        mov word [TSS_MAIN], SEL_A                ; available: #TS(link)
        pushfd
        or dword [esp], 0x4000
        popfd
        SKIP .ir1
.ir1:   iretd
.ir1_end:
        EXPECT_EXC 10, SEL_A, .ir1
        UNCHANGED
        CHECK32 byte [GDT_RAM + SEL_A + 5], 0x89
        mov word [TSS_MAIN], SEL_A | 4            ; in the LDT: #TS(link)
        SKIP .ir2
.ir2:   iretd
.ir2_end:
        EXPECT_EXC 10, SEL_A | 4, .ir2
        mov word [TSS_MAIN], 0x0FF8               ; beyond the GDT: #TS(link)
        SKIP .ir3
.ir3:   iretd
.ir3_end:
        EXPECT_EXC 10, 0x0FF8, .ir3
        mov word [TSS_MAIN], SEL_BNP + 3          ; busy, not present: #NP
        SKIP .ir4
.ir4:   iretd
.ir4_end:
        EXPECT_EXC 11, SEL_BNP, .ir4
        UNCHANGED
        pushfd
        and dword [esp], ~0x4000
        popfd
        CHECK32 dword [EXC_CNT], 18

        ; ======== after the commit point: faults in the new task ========
        ; DS beyond the GDT: #TS(DS) with TR, CS:EIP, SS:ESP and EFLAGS of
        ; the new task
        mov esi, 0x0FF8
        call bad_prepare
        mov dword [TSS_BAD + 0x54], esi
        call catch_gates
        jmp SEL_BAD:0
        call expect_caught
        CHECK32 dword [C_VEC], 10
        CHECK32 dword [C_ERR], 0x0FF8
        CHECK32 dword [C_CS], 0x08
        CHECK32 dword [C_EFL], 0x10087            ; the new EFLAGS, RF set for a fault
        CHECK32 dword [C_ESP], 0x78000 - 16
        CHECK32 dword [C_SS], SEL_DATA2
        ; DS execute-only code: #TS(DS)
        mov esi, SEL_XO
        call bad_prepare
        mov dword [TSS_BAD + 0x54], esi
        jmp SEL_BAD:0
        call expect_caught
        CHECK32 dword [C_VEC], 10
        CHECK32 dword [C_ERR], SEL_XO
        ; ES with RPL 3 above its DPL 0: #TS(ES)
        mov esi, SEL_DATA2 | 3
        call bad_prepare
        mov dword [TSS_BAD + 0x48], esi
        jmp SEL_BAD:0
        call expect_caught
        CHECK32 dword [C_VEC], 10
        CHECK32 dword [C_ERR], SEL_DATA2
        ; GS not present: #NP(GS)
        mov esi, SEL_DNP
        call bad_prepare
        mov dword [TSS_BAD + 0x5C], esi
        jmp SEL_BAD:0
        call expect_caught
        CHECK32 dword [C_VEC], 11
        CHECK32 dword [C_ERR], SEL_DNP
        ; CS a data segment: #TS(CS)
        mov esi, 0x10
        call bad_prepare
        mov dword [TSS_BAD + 0x4C], esi
        jmp SEL_BAD:0
        call expect_caught
        CHECK32 dword [C_VEC], 10
        CHECK32 dword [C_ERR], 0x10
        CHECK32 dword [C_CS], 0x10
        CHECK32 dword [C_SS], SEL_DATA2
        ; CS not present: #NP(CS)
        mov esi, SEL_CNP
        call bad_prepare
        mov dword [TSS_BAD + 0x4C], esi
        jmp SEL_BAD:0
        call expect_caught
        CHECK32 dword [C_VEC], 11
        CHECK32 dword [C_ERR], SEL_CNP
        CHECK32 dword [C_CS], SEL_CNP
        ; EIP beyond the new CS limit: #GP(0) in the new task
        mov esi, SEL_CSMALL
        call bad_prepare
        mov dword [TSS_BAD + 0x4C], esi
        jmp SEL_BAD:0
        call expect_caught
        CHECK32 dword [C_VEC], 13
        CHECK32 dword [C_ERR], 0
        CHECK32 dword [C_CS], SEL_CSMALL
        CHECK32 dword [C_ESP], 0x78000 - 16
        CHECK32 dword [EXC_CNT], 18

        ; SS read-only: #TS(SS), caught by a task gate (no usable stack)
        mov esi, SEL_RO
        call bad_prepare
        mov dword [TSS_BAD + 0x50], esi
        call handler_gates
        jmp SEL_BAD:0
        call expect_handled
        CHECK32 dword [C_VEC], 10
        CHECK32 dword [C_ERR], SEL_RO
        CHECK32 word [TSS_BAD + 0x50], SEL_RO     ; the bad task's state
        CHECK32 dword [TSS_BAD + 0x20], bad_entry ; ... saved by the #TS
        ; SS not present: #SS(SS)
        mov esi, SEL_DNP
        call bad_prepare
        mov dword [TSS_BAD + 0x50], esi
        call handler_gates
        jmp SEL_BAD:0
        call expect_handled
        CHECK32 dword [C_VEC], 12
        CHECK32 dword [C_ERR], SEL_DNP
        ; SS DPL 3 while CS RPL is 0: #TS(SS)
        mov esi, SEL_DATA3 | 3
        call bad_prepare
        mov dword [TSS_BAD + 0x50], esi
        call handler_gates
        jmp SEL_BAD:0
        call expect_handled
        CHECK32 dword [C_VEC], 10
        CHECK32 dword [C_ERR], SEL_DATA3
        ; null SS: #TS(0)
        call bad_prepare
        mov dword [TSS_BAD + 0x50], 0
        call handler_gates
        jmp SEL_BAD:0
        call expect_handled
        CHECK32 dword [C_VEC], 10
        CHECK32 dword [C_ERR], 0
        ; LDT selector naming a data segment: #TS(LDT)
        call bad_prepare
        mov dword [TSS_BAD + 0x60], 0x10
        call handler_gates
        jmp SEL_BAD:0
        call expect_handled
        CHECK32 dword [C_VEC], 10
        CHECK32 dword [C_ERR], 0x10
        CHECK32 word [TSS_BAD + 0x60], 0x10
        ; LDT selector with TI = 1: #TS(LDT)
        call bad_prepare
        mov dword [TSS_BAD + 0x60], SEL_LDT | 4
        call handler_gates
        jmp SEL_BAD:0
        call expect_handled
        CHECK32 dword [C_VEC], 10
        CHECK32 dword [C_ERR], SEL_LDT | 4
        CHECK32 dword [EXC_CNT], 18
        call restore_idt

        PASS32

; ---- helpers -------------------------------------------------------------

; bad_prepare: TSS_BAD = a task at bad_entry with SS = SEL_DATA2, ESP =
; 78000h and EFLAGS = 87h, available; main's TSS EIP field = sentinel.
bad_prepare:
        push edi
        push ebx
        push edx
        mov edi, TSS_BAD
        mov ebx, bad_entry
        mov edx, 0x78000
        call tss_init
        mov dword [TSS_BAD + 0x24], 0x0087
        mov dword [TSS_BAD + 0x50], SEL_DATA2
        mov byte [GDT_RAM + SEL_BAD + 5], 0x89
        mov dword [C_VEC], 0xFFFFFFFF
        mov dword [C_ERR], 0xFFFFFFFF
        mov dword [C_TR], 0
        mov dword [TSS_MAIN + 0x20], MAINEIP
        pop edx
        pop ebx
        pop edi
        ret

; expect_caught: the fault came through catch_*, in task TSS_BAD at
; bad_entry, and the catcher jumped back to main
expect_caught:
        CHECK32 dword [C_TR], SEL_BAD
        CHECK32 dword [C_EIP], bad_entry
        CHECK32 byte [GDT_RAM + SEL_BAD + 5], 0x89 ; the catcher's JMP left it
        str ax
        CHECK32 ax, SEL_MAIN
        ret

; expect_handled: the fault came through a handler task nested in TSS_BAD
expect_handled:
        CHECK32 dword [C_LINK], SEL_BAD
        CHECK32 byte [GDT_RAM + SEL_BAD + 5], 0x8B ; nested: still busy
        mov eax, [C_VEC]                          ; handler task of that vector
        sub eax, 10
        shl eax, 3
        add eax, SEL_H10
        CHECK32 [C_TR], ax
        str ax
        CHECK32 ax, SEL_MAIN
        ret

; catch_gates: IDT 10, 11, 13 -> the catch_* interrupt gates
catch_gates:
        RZ_IDT_GATE 10, catch_ts, 0x8E00
        RZ_IDT_GATE 11, catch_np, 0x8E00
        RZ_IDT_GATE 13, catch_gp, 0x8E00
        ret

; handler_gates: IDT 10, 11, 12 -> task gates to fresh handler tasks
; whose EAX is their vector
handler_gates:
        push edi
        push ebx
        push edx
        mov ebx, task_h
        mov edi, TSS_H10
        mov edx, 0x7A000
        call tss_init
        mov dword [TSS_H10 + 0x28], 10            ; EAX: the vector
        mov dword [TSS_H10 + 0x34], TSS_H10       ; EBX: its own TSS
        mov edi, TSS_H11
        mov edx, 0x7B000
        call tss_init
        mov dword [TSS_H11 + 0x28], 11
        mov dword [TSS_H11 + 0x34], TSS_H11
        mov edi, TSS_H12
        mov edx, 0x7C000
        call tss_init
        mov dword [TSS_H12 + 0x28], 12
        mov dword [TSS_H12 + 0x34], TSS_H12
        mov byte [GDT_RAM + SEL_H10 + 5], 0x89
        mov byte [GDT_RAM + SEL_H11 + 5], 0x89
        mov byte [GDT_RAM + SEL_H12 + 5], 0x89
        mov dword [IDT + 10 * 8], SEL_H10 << 16
        mov dword [IDT + 10 * 8 + 4], 0x8500
        mov dword [IDT + 11 * 8], SEL_H11 << 16
        mov dword [IDT + 11 * 8 + 4], 0x8500
        mov dword [IDT + 12 * 8], SEL_H12 << 16
        mov dword [IDT + 12 * 8 + 4], 0x8500
        mov dword [C_LINK], 0
        pop edx
        pop ebx
        pop edi
        ret

restore_idt:
        mov esi, IDT_SAVE
        mov edi, IDT + 10 * 8
        mov ecx, 8
        rep movsd
        ret

; tss_init: a 32-bit TSS at EDI: EIP = EBX, ESP = EDX, CR3 = the current
; one, EFLAGS = 2, CS = 08h, the other selectors 10h, everything else 0.
tss_init:
        push eax
        push ecx
        push edi
        xor eax, eax
        mov ecx, 0x68 / 4
        rep stosd
        pop edi
        mov eax, cr3
        mov [edi + 0x1C], eax
        mov [edi + 0x20], ebx
        mov dword [edi + 0x24], 2
        mov [edi + 0x38], edx
        mov dword [edi + 0x48], 0x10
        mov dword [edi + 0x4C], 0x08
        mov dword [edi + 0x50], 0x10
        mov dword [edi + 0x54], 0x10
        mov dword [edi + 0x58], 0x10
        mov dword [edi + 0x5C], 0x10
        mov word [edi + 0x66], 0x68
        pop ecx
        pop eax
        ret

; ---- tasks and catchers ------------------------------------------------

task_a:
        inc dword [C_CNT]
        iretd
        jmp task_a

bad_entry:                      ; the faulting tasks never run
        mov eax, 0x7C
        jmp fail32

; Interrupt gates for faults raised in the new task: SS is usable, DS
; may not be.  Frame: error, EIP, CS, EFLAGS.
catch_ts:
        mov dword [ss:C_VEC], 10
        jmp catch
catch_np:
        mov dword [ss:C_VEC], 11
        jmp catch
catch_gp:
        mov dword [ss:C_VEC], 13
catch:
        mov [ss:C_ESP], esp
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov eax, [esp]
        mov [C_ERR], eax
        mov eax, [esp + 4]
        mov [C_EIP], eax
        mov eax, [esp + 8]
        mov [C_CS], eax
        mov eax, [esp + 12]
        mov [C_EFL], eax
        mov eax, ss
        mov [C_SS], eax
        str [C_TR]
        jmp SEL_MAIN:0

; Handler task for a fault in the new task (EAX = its vector, EBX = its
; TSS)
task_h:
        mov [C_VEC], eax
        pop dword [C_ERR]
        str [C_TR]
        mov ax, [ebx]                             ; back link
        mov [C_LINK], ax
        jmp SEL_MAIN:0

        RZ_PM_EXCEPTIONS


        RZ_GDT_BEGIN
SEL_MAIN  equ $ - gdt
        RZ_DESC TSS_MAIN, 0x67, 0x89, 0
SEL_A     equ $ - gdt
        RZ_DESC TSS_A, 0x67, 0x89, 0
SEL_GATE_MAIN equ $ - gdt
        RZ_TGATE SEL_MAIN, 0x85
SEL_NP    equ $ - gdt
        RZ_DESC TSS_NP, 0x67, 0x09, 0
SEL_GATE_NP equ $ - gdt
        RZ_TGATE SEL_A, 0x05
SEL_SMALL equ $ - gdt
        RZ_DESC TSS_SMALL, 0x66, 0x89, 0
SEL_S16   equ $ - gdt
        RZ_DESC TSS_S16, 0x2A, 0x81, 0
SEL_GATE_TI equ $ - gdt
        RZ_TGATE SEL_A | 4, 0x85
SEL_GATE_DATA equ $ - gdt
        RZ_TGATE 0x10, 0x85
SEL_GATE3 equ $ - gdt
        RZ_TGATE SEL_A, 0xE5
SEL_LDT   equ $ - gdt
        RZ_DESC LDT, 0x0F, 0x82, 0
SEL_BNP   equ $ - gdt
        RZ_DESC TSS_BNP, 0x67, 0x0B, 0
SEL_PF    equ $ - gdt
        RZ_DESC TSS_PF, 0x67, 0x89, 0
SEL_BAD   equ $ - gdt
        RZ_DESC TSS_BAD, 0x67, 0x89, 0
SEL_H10   equ $ - gdt
        RZ_DESC TSS_H10, 0x67, 0x89, 0
SEL_H11   equ $ - gdt
        RZ_DESC TSS_H11, 0x67, 0x89, 0
SEL_H12   equ $ - gdt
        RZ_DESC TSS_H12, 0x67, 0x89, 0
SEL_DATA2 equ $ - gdt
        RZ_DESC 0, 0xFFFFF, 0x93, 0xC0
SEL_RO    equ $ - gdt
        RZ_DESC 0, 0xFFFFF, 0x91, 0xC0
SEL_DNP   equ $ - gdt
        RZ_DESC 0, 0xFFFFF, 0x13, 0xC0
SEL_XO    equ $ - gdt
        RZ_DESC ROMBASE, 0xFFFFF, 0x99, 0xC0
SEL_CNP   equ $ - gdt
        RZ_DESC ROMBASE, 0xFFFFF, 0x1B, 0xC0
SEL_CSMALL equ $ - gdt
        RZ_DESC ROMBASE, 0xFF, 0x9B, 0x40
SEL_DATA3 equ $ - gdt
        RZ_DESC 0, 0xFFFFF, 0xF3, 0xC0
        RZ_GDT_END
gdt_ram_desc:
        dw gdt_end - gdt - 1
        dd GDT_RAM

        RZ_RUNTIME32
        RZ_RESET_VECTOR
