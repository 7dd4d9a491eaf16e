; fpu_ferr.asm - MS-DOS compatible x87 error reporting (CR0.NE = 0) on
; the PC/AT wiring: FERR# -> a latch -> IRQ 13 on the slave 8259A (its
; input 5), the latch cleared by an OUT to port F0h (SDM vol. 1, 8.7 and
; D.1; the board map in devices/pc.h).
;  - an unmasked exception with NE = 0 raises no #MF; the next waiting x87
;    instruction asserts FERR# and runs on (IGNNE# behaviour, as Bochs),
;    and IRQ 13 arrives at the boundary after it;
;  - with IF = 0 the request waits in the slave's IRR (read by OCW3) and
;    is delivered on STI;
;  - FNCLEX without the OUT to F0h leaves the latch (and the IRQ 13 line)
;    set, so a second error gives no new edge and no interrupt; the OUT
;    lowers the line and the next error interrupts again.
; Passes on Bochs 2.7 (p2_klamath).  QEMU TCG asserts FERR# at the
; faulting FDIV itself instead of at the next waiting instruction (the
; "deferred" reporting of SDM vol. 1, D.2.1.1 and D.2.2), so it fails
; check 3.
%include "rz_test.inc"
%include "rz_board.inc"

%define IRQ_CNT  0x0700         ; IRQ 13 handler runs
%define IRQ_EIP  0x0704         ; EIP it interrupted
%define IRQ_SW   0x0708         ; status word it saw
%define CLR_F0   0x070C         ; 1: the handler writes port F0h
%define CW       0x0710
%define SPUR     0x0714         ; other PIC vectors taken (must stay 0)

; RAISE_ZE: FNINIT, unmask ZE, divide by zero (sets ES, no fault).
%macro RAISE_ZE 0
        fninit
        mov word [CW], 0x037B           ; ZM = 0
        fldcw [CW]
        fld1
        fldz
        fdiv st1, st0
%endmacro

start:
        RZ_PM_ENTER
        ; vectors 20h-2Fh for the two PICs; the IDT grows to 48 entries
        mov ecx, 0x20
.spur:  mov eax, ecx
        shl eax, 3
        mov edx, other_irq
        mov [IDT + eax], dx
        mov word [IDT + eax + 2], 0x08
        mov word [IDT + eax + 4], 0x8E00
        shr edx, 16
        mov [IDT + eax + 6], dx
        inc ecx
        cmp ecx, 0x30
        jb .spur
        RZ_IDT_GATE 0x2D, irq13_handler, 0x8E00
        lidt [cs:big_idt]

        ; the 8259A pair as a BIOS programs it, bases 20h / 28h; master:
        ; only the cascade (IRQ 2), slave: only IRQ 13
        RZ_PIC_PROGRAM 0xFB, 0xDF
        out 0xF0, al                    ; latch clear to start with

        mov dword [IRQ_CNT], 0
        mov dword [SPUR], 0
        mov dword [CLR_F0], 1
        mov eax, cr0
        and eax, ~0x2C                  ; NE = 0, EM = 0, TS = 0
        or eax, 0x02                    ; MP = 1
        mov cr0, eax

        ; ---- 1: IF = 1, the interrupt follows the waiting instruction ----
        sti
        RAISE_ZE
        CHECK32 dword [IRQ_CNT], 0      ; the FDIV only records the error
        CHECK32 dword [EXC_CNT], 0
wait1:  fwait                           ; asserts FERR#; IRQ 13 after it
after1: CHECK32 dword [IRQ_CNT], 1
        CHECK32 dword [IRQ_EIP], after1
        CHECK32 word [IRQ_SW], 0xB084   ; B, TOP 6, ES, ZE: still pending
        CHECK32 dword [EXC_CNT], 0      ; no #MF with NE = 0
        fnstsw ax
        CHECK32 ax, 0x3000              ; the handler's FNCLEX cleared it

        ; ---- 2: IF = 0, the request waits in the IRR until STI ----
        cli
        RAISE_ZE
        fwait
        CHECK32 dword [IRQ_CNT], 1
        mov al, 0x0A                    ; OCW3: read IRR
        out 0xA0, al
        in al, 0xA0
        and al, 0x20
        CHECK32 al, 0x20                ; IRQ 13 requested
        sti
        nop                             ; (STI's one-instruction shadow)
        CHECK32 dword [IRQ_CNT], 2

        ; ---- 3: the latch holds until port F0h is written ----
        mov dword [CLR_F0], 0
        RAISE_ZE
        fwait
        CHECK32 dword [IRQ_CNT], 3      ; handler: FNCLEX only, latch kept
        RAISE_ZE
        fwait
        nop
        CHECK32 dword [IRQ_CNT], 3      ; latch still set: no new edge
        fnclex
        out 0xF0, al                    ; latch cleared: line low
        RAISE_ZE
        fwait
        nop
        CHECK32 dword [IRQ_CNT], 4      ; a new edge
        out 0xF0, al
        fnclex

        ; ---- 4: masked exceptions never assert FERR# ----
        mov dword [CLR_F0], 1
        fninit                          ; all masked
        fld1
        fldz
        fdiv st1, st0
        fwait
        nop
        CHECK32 dword [IRQ_CNT], 4
        CHECK32 dword [SPUR], 0
        cli
        PASS32

; IRQ 13: record, optionally clear the latch, clear the x87 error, EOI
; to both PICs (slave first).
irq13_handler:
        push eax
        inc dword [IRQ_CNT]
        mov eax, [esp + 4]
        mov [IRQ_EIP], eax
        fnstsw [IRQ_SW]
        cmp dword [CLR_F0], 0
        je .keep
        out 0xF0, al
.keep:  fnclex
        mov al, 0x20
        out 0xA0, al
        out 0x20, al
        pop eax
        iretd

other_irq:
        inc dword [SPUR]
        iretd

big_idt:
        dw 0x30 * 8 - 1
        dd IDT

        RZ_RUNTIME32
        RZ_PM_EXCEPTIONS
        RZ_GDT_BEGIN
        RZ_GDT_END
        RZ_RESET_VECTOR
