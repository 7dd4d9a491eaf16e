; reset.asm - asks the board for a reset, counting boots in RAM at
; 200000h (RAM survives a reset; -flat loads the image once).  The third
; boot exits with the count, 3 (status 7).  With -no-reboot the first
; request ends the run (status 10).  The way to reset is chosen with
;   -DKBC   the 8042's "pulse output port" command FEh on port 64h
;           (after waiting for its input buffer to empty, status bit 1);
;   -DP92   port 92h (PIIX3 Port A) bit 0 from 0 to 1;
;   -DCF9   the PIIX3 reset control register CF9h: 02h, then 06h
;           (RST_CPU rising with SYS_RST set: a hard reset).
; The OUT that asks for the reset ends at 100100h: the instruction after
; it (and where the CPU is when the run stops) is at 100100h.
%define COUNTER 0x200000

%include "cli32.inc"
        org     0x100000

start:
        inc     dword [COUNTER]
        cmp     dword [COUNTER], 3
        jb      .reset
        mov     eax, [COUNTER]
        out     EXITPORT, al
        cli
        hlt
.reset:
%ifdef KBC
        mov     ecx, 1000000
.ibf:   in      al, 0x64
        test    al, 0x02
        jz      .ready
        dec     ecx
        jnz     .ibf
        FAIL    1
.ready: mov     al, 0xFE
        jmp     request
%elifdef P92
        in      al, 0x92
        and     al, 0xFE
        out     0x92, al
        or      al, 0x01
        mov     dx, 0x92
        jmp     request
%elifdef CF9
        mov     dx, 0xCF9
        mov     al, 0x02
        out     dx, al
        mov     al, 0x06
        jmp     request
%else
%error "choose -DKBC, -DP92 or -DCF9"
%endif

        times   0xFD - ($ - $$) db 0xCC
request:
%ifdef KBC
        nop
        out     0x64, al                ; E6 64, at 1000FEh
%else
        nop
        nop
        out     dx, al                  ; EE, at 1000FFh
%endif
        ; 100100h: the reset must stop the CPU here.
        FAIL    2
        CLI32_LIB
