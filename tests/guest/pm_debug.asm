; Debug facilities at CPL 0 (SDM vol. 3, chapter 17): instruction
; breakpoints and RF, data breakpoints (write, read/write, LEN 1/2/4 and
; the alignment of their address, REP strings), single-step (count, MOV SS
; and POP SS shadow, REP iterations), a data breakpoint and single-step in
; one #DB, I/O breakpoints (CR4.DE), INT1 (ICEBP), general detect, DR4/DR5
; aliasing and CR4.DE, and RF = 1 in the EFLAGS image of a fault.
;
; The #DB handler records DR6, the pushed EIP, EFLAGS and ECX, then clears
; DR6 (as the SDM advises handlers to: B0-B3 may or may not be cleared by
; the processor, 17.2.3) and, in mode 1, sets RF in the image so that the
; instruction under an instruction breakpoint can run (17.3.1.1).
;
; Cross-checked under Bochs 2.7 (p2_klamath) with `nasm -DBOCHS`, which
; leaves out the checks where Bochs departs from the SDM (each marked).
%include "rz_test.inc"

%define DB_CNT   0x0700         ; #DB taken
%define DB_DR6   0x0704         ; DR6 in the last #DB
%define DB_EIP   0x0708         ; EIP pushed by the last #DB
%define DB_FL    0x070C         ; EFLAGS pushed by the last #DB
%define DB_MODE  0x0710         ; 1: set RF in the image
%define DB_ECX   0x0714         ; ECX at the last #DB
%define DB_DR7   0x0718         ; DR7 at the last #DB
%define DB_LIST  0x0740         ; EIPs of the first 16 #DB
%define DB_DR6L  0x0780         ; DR6 of the first 16 #DB
%define UD_FL    0x0720         ; EFLAGS pushed by the last #UD (own handler)
%define UD_EIP   0x0724

%define RF       0x00010000
%define TF       0x00000100
%define DR6_ST   0x0000E00F     ; DR6 status bits
%define BS       0x00004000
%define BD       0x00002000


; EAX = the DR6 status bits of the last #DB.
%macro DR6_LAST 0
        mov eax, [DB_DR6]
        and eax, DR6_ST
%endmacro

%macro DBRESET 0
        xor eax, eax
        mov [DB_CNT], eax
        mov [DB_EIP], eax
        mov [DB_DR6], eax
        mov [DB_MODE], eax
        mov dr6, eax
%endmacro

%macro TF_ON 0
        pushfd
        or dword [esp], TF
        popfd
%endmacro

%macro TF_OFF 0
        pushfd
        and dword [esp], ~TF
        popfd
%endmacro

start:
        RZ_PM_ENTER
        RZ_IDT_GATE 1, db_handler, 0x8E00
        DBRESET

        ; ---- DR6/DR7 fixed bits, DR4/DR5 alias DR6/DR7 without CR4.DE ----
        mov eax, dr6
        CHECK32 eax, 0xFFFF0FF0
        mov eax, dr7
        CHECK32 eax, 0x00000400
        mov eax, 0x0000000F
        mov dr4, eax                    ; = DR6
        mov eax, dr6
        CHECK32 eax, 0xFFFF0FFF
        mov eax, 0x00000100             ; LE
        mov dr5, eax                    ; = DR7
        mov eax, dr7
        CHECK32 eax, 0x00000500
        mov eax, dr5
        CHECK32 eax, 0x00000500
        xor eax, eax
        mov dr6, eax
        mov dr7, eax
        ; CR4.DE = 1: DR4/DR5 are #UD (17.2.2)
        mov eax, cr4
        or eax, 8
        mov cr4, eax
        mov dword [EXC_SKIP], 3
        mov dword [EXC_CNT], 0
.dr4:   mov eax, dr4
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], 6
        CHECK32 dword [EXC_EIP], .dr4
.dr5:   mov dr5, eax
        CHECK32 dword [EXC_CNT], 2
        CHECK32 dword [EXC_VEC], 6
        CHECK32 dword [EXC_EIP], .dr5
        mov eax, cr4
        and eax, ~8
        mov cr4, eax

        ; ---- a fault pushes RF = 1 (17.3.1.1) ----
        RZ_IDT_GATE 6, ud_handler, 0x8E00
.ud:    ud2
        CHECK32 dword [UD_EIP], .ud
        mov eax, [UD_FL]
        and eax, RF
        CHECK32 eax, RF
        RZ_IDT_GATE 6, exc_6, 0x8E00

        ; ---- instruction breakpoint: fault before the instruction ----
        DBRESET
        mov dword [DB_MODE], 1          ; the handler resumes with RF = 1
        mov eax, ROMBASE + .ib
        mov dr0, eax
        mov eax, 0x00000001             ; L0, R/W0 = 00, LEN0 = 00
        mov dr7, eax
        xor ecx, ecx
.ib:    inc ecx                         ; #DB, then runs once (RF)
        CHECK32 ecx, 1
        CHECK32 dword [DB_CNT], 1
        CHECK32 dword [DB_EIP], .ib
        DR6_LAST
        CHECK32 eax, 1
        mov eax, [DB_FL]                ; an instruction breakpoint pushes RF as it was
        and eax, RF
        CHECK32 eax, 0
        ; RF lasts one instruction: each pass of a loop hits again
        DBRESET
        mov dword [DB_MODE], 1
        mov eax, ROMBASE + .ibl
        mov dr0, eax
        mov ecx, 3
.ibl:   dec ecx
        jnz .ibl
        CHECK32 dword [DB_CNT], 3
        CHECK32 dword [DB_EIP], .ibl
        DR6_LAST
        CHECK32 eax, 1
        ; B1 also reports a breakpoint that matches but is not enabled
        ; (G/L1 = 0) once an enabled one hits; DR2 at another address does
        ; not show.  (The SDM leaves this open; the P6 family and Bochs
        ; report it.)
        DBRESET
        mov dword [DB_MODE], 1
        mov eax, ROMBASE + .ib2
        mov dr0, eax
        mov dr1, eax
        mov eax, ROMBASE + .ib
        mov dr2, eax
        mov eax, 0x00000002 | 0x00000020 ; G0, G2 (DR1 disabled)
        mov dr7, eax
.ib2:   nop
        CHECK32 dword [DB_CNT], 1
        CHECK32 dword [DB_EIP], .ib2
        DR6_LAST
        CHECK32 eax, 3
        xor eax, eax
        mov dr7, eax

        ; ---- data write breakpoint, LEN 4 (DR1 = 2004h) ----
        DBRESET
        mov dword [0x2004], 0x11111111  ; before arming: the page is in the TLB
        mov eax, 0x2004
        mov dr1, eax
        mov eax, 0x00D00004             ; L1, R/W1 = 01, LEN1 = 11
        mov dr7, eax
        mov dword [0x2000], 1           ; 2000-2003: no hit
        mov byte [0x2008], 1            ; no hit
        mov eax, [0x2004]               ; a read: no hit
        CHECK32 dword [DB_CNT], 0
        mov ebx, 0x2004
.dw:    mov [ebx + 2], al               ; hits (2006h): trap after it
.dw_next:
        CHECK32 dword [DB_CNT], 1
        CHECK32 dword [DB_EIP], .dw_next
        DR6_LAST
        CHECK32 eax, 2
        mov ebx, 0x2002
.dw2:   mov dword [ebx], 0              ; 2002-2005 overlaps 2004-2007
.dw2_next:
        CHECK32 dword [DB_CNT], 2
        CHECK32 dword [DB_EIP], .dw2_next
        DR6_LAST
        CHECK32 eax, 2
        mov ebx, 0x2000
.dw3:   add dword [ebx + 4], 5          ; read-modify-write hits
.dw3_next:
        CHECK32 dword [DB_CNT], 3
        CHECK32 dword [DB_EIP], .dw3_next
        DR6_LAST
        CHECK32 eax, 2
        CHECK32 dword [0x2004], 0x11110005

        ; ---- read/write breakpoint, LEN 2, address aligned down ----
        DBRESET
        mov eax, 0x3001                 ; LEN 2: 3000h-3001h
        mov dr2, eax
        mov eax, 0x3004                 ; a write breakpoint, not enabled
        mov dr3, eax
        mov eax, 0xD7000010             ; L2, R/W2 = 11, LEN2 = 01; R/W3 = 01, LEN3 = 11
        mov dr7, eax
        mov al, [0x3002]
        mov al, [0x2FFF]
        mov dword [0x3004], 0           ; DR3 is not enabled: nothing
        CHECK32 dword [DB_CNT], 0
.rw1:   mov ax, [0x2FFF]                ; 2FFF-3000
.rw1_next:
        CHECK32 dword [DB_CNT], 1
        CHECK32 dword [DB_EIP], .rw1_next
        DR6_LAST
        CHECK32 eax, 4
        mov esi, 0x3000
.rw2:   lodsb
.rw2_next:
        CHECK32 dword [DB_CNT], 2
        CHECK32 dword [DB_EIP], .rw2_next
        DR6_LAST
        CHECK32 eax, 4
        mov word [0x3000], 0x1234       ; a write hits too
        CHECK32 dword [DB_CNT], 3
        ; an instruction that faults after its read reports no breakpoint
        ; (it did not complete; run again it hits again)
        mov dword [EXC_SKIP], .br_end - .br
        mov dword [EXC_CNT], 0
        mov eax, 0x10000000             ; above the upper bound (3004h = 0)
.br:    bound eax, [0x3000]
.br_end:
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], 5
        CHECK32 dword [EXC_EIP], .br
        CHECK32 dword [DB_CNT], 3
        xor eax, eax
        mov dr7, eax
        mov ax, [0x3000]                ; disabled: nothing
        CHECK32 dword [DB_CNT], 3

        ; ---- REP STOSD: the trap comes after the iteration that hit ----
        DBRESET
        mov eax, 0x4008
        mov dr0, eax
        mov eax, 0x000D0001             ; L0, R/W0 = 01, LEN0 = 11
        mov dr7, eax
        mov edi, 0x4000
        mov ecx, 4
        mov eax, 0x55AA55AA
.rep:   rep stosd
        CHECK32 ecx, 0
        CHECK32 edi, 0x4010
        CHECK32 dword [DB_CNT], 1
        CHECK32 dword [DB_EIP], .rep
        DR6_LAST
        CHECK32 eax, 1              ; EIP = the REP instruction
        CHECK32 dword [DB_ECX], 1       ; three iterations done
        ; an iteration other than the last pushes RF = 1 (17.3.1.1).
        ; Bochs 2.7 pushes 0 here (built with -DBOCHS, the check is left out).
%ifndef BOCHS
        mov eax, [DB_FL]
        and eax, RF
        CHECK32 eax, RF
%else
%assign RZ_CHECK RZ_CHECK + 1           ; keep the numbers of checkno.py
%endif
        CHECK32 dword [0x400C], 0x55AA55AA
        xor eax, eax
        mov dr7, eax

        ; ---- single-step: a trap after each instruction ----
        DBRESET
        TF_ON
.s1:    nop
.s2:    mov eax, 1
.s3:    add eax, eax
.s4:    pushfd
.s5:    and dword [esp], ~TF
.s6:    popfd                           ; TF = 1 when it began: traps
.s7:    nop
        CHECK32 dword [DB_CNT], 6
        CHECK32 dword [DB_LIST], .s2
        CHECK32 dword [DB_LIST + 4], .s3
        CHECK32 dword [DB_LIST + 8], .s4
        CHECK32 dword [DB_LIST + 12], .s5
        CHECK32 dword [DB_LIST + 16], .s6
        CHECK32 dword [DB_LIST + 20], .s7
        mov eax, [DB_DR6]
        and eax, DR6_ST
        CHECK32 eax, BS
        mov eax, [DB_FL]                ; after the POPFD that cleared TF
        and eax, TF | RF
        CHECK32 eax, 0
        mov eax, [DB_DR6L]
        and eax, DR6_ST
        CHECK32 eax, BS

        ; ---- MOV SS / POP SS hold the trap over one more instruction ----
        DBRESET
        TF_ON
.m1:    mov ax, ss
.m2:    mov ss, ax                      ; no trap here
.m3:    nop                             ; one trap, after this one
.m4:    push ss
.m5:    pop ss                          ; no trap here
.m6:    nop
.m7:    TF_OFF
        CHECK32 dword [DB_LIST], .m2
        CHECK32 dword [DB_LIST + 4], .m4
        CHECK32 dword [DB_LIST + 8], .m5
        CHECK32 dword [DB_LIST + 12], .m7
        CHECK32 dword [DB_CNT], 7       ; + PUSHFD, AND, POPFD of TF_OFF

        ; ---- single-step through REP MOVSB: a trap per iteration ----
        DBRESET
        mov esi, 0x2000
        mov edi, 0x5000
        mov ecx, 3
        TF_ON
.rm:    rep movsb
.rm_end:
        TF_OFF
        CHECK32 dword [DB_LIST], .rm
        CHECK32 dword [DB_LIST + 4], .rm
        CHECK32 dword [DB_LIST + 8], .rm_end
        CHECK32 dword [DB_CNT], 6       ; + PUSHFD, AND, POPFD of TF_OFF

        ; ---- single-step and a data breakpoint: one #DB, both bits ----
        DBRESET
        mov eax, 0x2004
        mov dr3, eax
        mov eax, 0xD0000040             ; L3, R/W3 = 01, LEN3 = 11
        mov dr7, eax
        mov ebx, 0x2004
        TF_ON
.sd:    mov [ebx], eax
.sd_next:
        TF_OFF
        CHECK32 dword [DB_CNT], 4       ; + PUSHFD, AND, POPFD of TF_OFF
        CHECK32 dword [DB_LIST], .sd_next
        mov eax, [DB_DR6L]
        and eax, DR6_ST
        CHECK32 eax, BS | 8
        mov eax, [DB_DR6L + 4]
        and eax, DR6_ST
        CHECK32 eax, BS
        xor eax, eax
        mov dr7, eax

        ; ---- INT1 (F1): #DB as a trap, DR6 untouched ----
        DBRESET
        mov eax, 0xFFFF0FF0             ; DR6 status all clear
        mov dr6, eax
.ice:   db 0xF1
.ice_next:
        CHECK32 dword [DB_CNT], 1
        CHECK32 dword [DB_EIP], .ice_next
        DR6_LAST
        CHECK32 eax, 0

        ; ---- I/O breakpoint (CR4.DE, R/W = 10): a trap after IN/OUT ----
        DBRESET
        mov eax, cr4
        or eax, 8                       ; DE
        mov cr4, eax
        mov eax, 0x81                   ; LEN 2: ports 80h-81h
        mov dr0, eax
        mov eax, 0x00060001             ; L0, R/W0 = 10, LEN0 = 01
        mov dr7, eax
        out 0x82, al                    ; outside the range: no hit
        mov dx, 0x7E
        in ax, dx                       ; 7Eh-7Fh: no hit
        CHECK32 dword [DB_CNT], 0
.io1:   out 0x81, al
.io1_next:
        CHECK32 dword [DB_CNT], 1
        CHECK32 dword [DB_EIP], .io1_next
        DR6_LAST
        CHECK32 eax, 1
        mov dx, 0x7F
.io2:   in ax, dx                       ; 7Fh-80h overlaps
.io2_next:
        CHECK32 dword [DB_CNT], 2
        CHECK32 dword [DB_EIP], .io2_next
        xor eax, eax
        mov dr7, eax
        mov eax, cr4
        and eax, ~8
        mov cr4, eax

        ; ---- general detect: a fault on MOV DRn, BD, GD cleared ----
        DBRESET
        mov eax, 0x00002000             ; GD
        mov dr7, eax
.gd:    mov eax, dr0                    ; #DB; then runs (GD now clear)
        CHECK32 dword [DB_CNT], 1
        CHECK32 dword [DB_EIP], .gd
        DR6_LAST
        CHECK32 eax, BD
        mov eax, [DB_DR7]
        and eax, 0x2000
        CHECK32 eax, 0
        ; general detect is a fault-class #DB that is no instruction
        ; breakpoint: RF = 1 in the image (17.3.1.1).  Bochs 2.7 pushes 0.
%ifndef BOCHS
        mov eax, [DB_FL]
        and eax, RF
        CHECK32 eax, RF
%else
%assign RZ_CHECK RZ_CHECK + 1
%endif

        PASS32

; ---- handlers ----------------------------------------------------------
db_handler:
        push eax
        push ebx
        mov [DB_ECX], ecx
        mov eax, dr7
        mov [DB_DR7], eax
        mov eax, dr6
        mov [DB_DR6], eax
        mov eax, 0xFFFF0FF0
        mov dr6, eax
        mov eax, [esp + 8]              ; EIP
        mov [DB_EIP], eax
        mov ebx, [DB_CNT]
        cmp ebx, 16
        jae .nolist
        mov [DB_LIST + ebx * 4], eax
        mov eax, [DB_DR6]
        mov [DB_DR6L + ebx * 4], eax
.nolist:
        inc dword [DB_CNT]
        mov eax, [esp + 16]             ; EFLAGS
        mov [DB_FL], eax
        cmp dword [DB_MODE], 1
        jne .done
        or dword [esp + 16], RF
.done:  pop ebx
        pop eax
        iretd

ud_handler:
        push eax
        mov eax, [esp + 4]
        mov [UD_EIP], eax
        add dword [esp + 4], 2          ; past UD2
        mov eax, [esp + 12]
        mov [UD_FL], eax
        pop eax
        iretd

        RZ_PM_EXCEPTIONS

        RZ_GDT_BEGIN
        RZ_GDT_END

        RZ_RUNTIME32
        RZ_RESET_VECTOR
