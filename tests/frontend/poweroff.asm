; poweroff.asm - turns the machine off (status 0):
;   -DACPI   SLP_TYP = 0 (the board's \_S5) with SLP_EN: 2000h written
;            as a word to PM1a_CNT at 604h (ACPI 1.0, 4.7.2.4);
;   -DBOCHS  the bytes "Shutdown" to port 8900h (Bochs and QEMU's
;            convention).
; If the machine stays on, the guest halts with interrupts off (status 4).
%include "cli32.inc"
        org     0x100000

start:
%ifdef ACPI
        mov     dx, 0x604
        mov     ax, 0x2000
        out     dx, ax
%elifdef BOCHS
        mov     dx, 0x8900
        mov     esi, shutdown_word
        mov     ecx, 8
.next:  mov     al, [esi]
        out     dx, al
        inc     esi
        loop    .next
%else
%error "choose -DACPI or -DBOCHS"
%endif
        cli
        hlt
shutdown_word:
        db      "Shutdown"
