; fpu_mf.asm - x87 exception delivery in 32-bit protected mode:
;  - #MF with CR0.NE = 1: an unmasked exception leaves the destination
;    unchanged, sets ES and B, and is raised at the NEXT waiting x87
;    instruction (or WAIT), with that instruction's EIP pushed; the
;    handler sees FIP/FCS/FOP (and FDP/FDS) of the instruction that caused
;    it; non-waiting instructions (FNSTSW, FNSTENV, FNINIT) do not fault;
;    FNSTENV masks everything (clearing ES and B); FLDCW unmasking a
;    raised flag makes it pending;
;  - #NM (SDM vol. 3, table 2-2): EM = 1 -> every x87 instruction; TS = 1
;    -> every x87 instruction; WAIT only when MP = 1 and TS = 1.
; FERR#/IRQ 13 (CR0.NE = 0) is fpu_ferr.asm.
%include "rz_test.inc"

%define ENV     0x0700          ; 28-byte environment the #MF handler stores
%define MF_CNT  0x0780          ; #MF count
%define MF_EIP  0x0784          ; EIP pushed for the last #MF
%define MF_SW   0x0788          ; FNSTSW in the handler
%define CW      0x078C
%define ZERO32  0x0790          ; dword 0.0f
%define SAVE    0x0800          ; FNSAVE area

; SWIS value: FNSTSW AX (non-waiting) must give value.
%macro SWIS 1
        fnstsw ax
        CHECK32 ax, %1
%endmacro

start:
        RZ_PM_ENTER
        RZ_IDT_GATE 16, mf_handler, 0x8E00
        mov dword [MF_CNT], 0
        mov dword [ZERO32], 0
        mov eax, cr0
        and eax, ~0x0C                  ; EM = TS = 0
        or eax, 0x22                    ; NE = 1, MP = 1
        mov cr0, eax

        ; ---- a register destination: 1/0 with ZE unmasked ----
        fninit
        mov word [CW], 0x037B           ; ZM = 0
        fldcw [CW]
        fld1
        fldz
fdiv_reg:
        fdiv st1, st0                   ; ST1 = ST1 / ST0: ZE, no store
        SWIS 0xB084                     ; B, TOP 6, ES, ZE
        CHECK32 dword [MF_CNT], 0       ; FNSTSW does not wait
        fnstenv [SAVE]                  ; nor does FNSTENV, which then masks
        CHECK32 dword [MF_CNT], 0       ; every exception: ES and B clear
        CHECK32 word [SAVE + 4], 0xB084
        SWIS 0x3004
        fldcw [CW]                      ; no #MF (nothing pending); ZE is
        CHECK32 dword [MF_CNT], 0       ; unmasked again: pending
        SWIS 0xB084
mf1_at:
        fwait                           ; #MF here
        CHECK32 dword [MF_CNT], 1
        CHECK32 dword [MF_EIP], mf1_at
        ; the handler's FNSTENV: SW, FIP, FCS|FOP of the FDIV
        CHECK32 word [ENV + 4], 0xB084
        CHECK32 dword [ENV + 12], fdiv_reg
        CHECK32 dword [ENV + 16], 0x04F90008 ; FOP DC F9 -> 4F9h, FCS 08h
        ; the destination kept its value: ST1 = 1.0
        fxch st1
        fistp dword [ENV]
        CHECK32 dword [ENV], 1

        ; ---- a memory operand: FDP/FDS, and WAIT as the waiting insn ----
        fninit
        fldcw [CW]
        fld1
fdiv_mem:
        fdiv dword [ZERO32]             ; D8 /6, ModRM 35h
        nop
wait_at:
        fwait
        CHECK32 dword [MF_CNT], 2
        CHECK32 dword [MF_EIP], wait_at
        CHECK32 dword [ENV + 12], fdiv_mem
        CHECK32 dword [ENV + 16], 0x00350008 ; FOP D8 35 -> 035h
        CHECK32 dword [ENV + 20], ZERO32     ; FDP
        CHECK32 word [ENV + 24], 0x10        ; FDS

        ; ---- FNINIT discards a pending exception ----
        fninit
        fldcw [CW]
        fld1
        fldz
        fdivp st1, st0
        fninit
        fld1
        CHECK32 dword [MF_CNT], 2

        ; ---- FLDCW unmasking a raised flag makes it pending ----
        fninit
        fld1
        fldz
        fdivp st1, st0                  ; masked: +inf, ZE set
        SWIS 0x3804
        fldcw [CW]                      ; unmask ZE: ES, B
        SWIS 0xB884
unmask_at:
        fld1
        CHECK32 dword [MF_CNT], 3
        CHECK32 dword [MF_EIP], unmask_at
        fninit

        ; ---- #NM: EM, TS, MP+TS with WAIT ----
        mov dword [EXC_CNT], 0
        mov dword [EXC_VEC], 0
        mov dword [EXC_SKIP], 2
        mov eax, cr0
        or eax, 0x04                    ; EM
        mov cr0, eax
nm_em:  fld1
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], 7
        CHECK32 dword [EXC_EIP], nm_em
        fninit                          ; non-waiting, still #NM
        CHECK32 dword [EXC_CNT], 2
        fwait                           ; EM does not affect WAIT
        CHECK32 dword [EXC_CNT], 2
        mov eax, cr0
        and eax, ~0x06                  ; EM = 0, MP = 0
        or eax, 0x08                    ; TS
        mov cr0, eax
        fld1
        CHECK32 dword [EXC_CNT], 3
        fwait                           ; TS without MP: no fault
        CHECK32 dword [EXC_CNT], 3
        mov eax, cr0
        or eax, 0x02                    ; MP and TS
        mov cr0, eax
        mov dword [EXC_SKIP], 1
nm_wait:
        fwait
        CHECK32 dword [EXC_CNT], 4
        CHECK32 dword [EXC_VEC], 7
        CHECK32 dword [EXC_EIP], nm_wait
        clts
        fwait
        fld1
        CHECK32 dword [EXC_CNT], 4

        PASS32

; #MF: record, store the environment, clear the exception, resume the
; waiting instruction (which then runs).
mf_handler:
        push eax
        inc dword [MF_CNT]
        mov eax, [esp + 4]
        mov [MF_EIP], eax
        fnstsw [MF_SW]
        fnstenv [ENV]
        fnclex
        fldcw [ENV]                     ; FNSTENV masked everything: undo
        pop eax
        iretd

        RZ_RUNTIME32
        RZ_PM_EXCEPTIONS
        RZ_GDT_BEGIN
        RZ_GDT_END
        RZ_RESET_VECTOR
