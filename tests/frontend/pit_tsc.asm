; pit_tsc.asm - measures the TSC against the 8254, as Linux's
; pit_calibrate_tsc does: PIT channel 2 in mode 0 (interrupt on terminal
; count) with its gate on through port 61h bit 0, counting 59659 input
; clocks (59659 / 1193182 Hz = 50.0 ms); OUT2 (port 61h bit 5) goes high
; at terminal count (8254 datasheet, mode 0).  The TSC advances once per
; instruction, the PIT at 1193182 Hz of guest time, and --ips sets how
; many instructions make a guest second, so the TSC delta is ips / 20.
;
; Prints "ips=N" with N the delta rounded to a multiple of 100000 ips
; (delta / 5000, rounded, times 100000), then exits with 2Ah (status 85).
; OUT2 never rising: FAIL 1.
%include "cli32.inc"
        org     0x100000

start:
        in      al, 0x61
        and     al, 0xFC                ; speaker data off
        or      al, 0x01                ; gate 2 on
        out     0x61, al
        mov     al, 0xB0                ; channel 2, lobyte/hibyte, mode 0, binary
        out     0x43, al
        mov     al, 59659 & 0xFF
        out     0x42, al
        rdtsc
        mov     edi, eax
        mov     al, 59659 >> 8          ; writing the MSB starts the count
        out     0x42, al
        mov     ecx, 100000000
.wait:  in      al, 0x61
        test    al, 0x20                ; OUT2
        jnz     .done
        dec     ecx
        jnz     .wait
        FAIL    1
.done:  rdtsc
        sub     eax, edi
        add     eax, 2500
        xor     edx, edx
        mov     ecx, 5000
        div     ecx
        mov     ecx, 100000
        mul     ecx
        PRINT   "ips="
        call    cli_putdec
        call    cli_newline
        EXIT    PASS

        CLI32_LIB
