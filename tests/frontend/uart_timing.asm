; uart_timing.asm - a byte written to an idle 16550's THR leaves the
; transmitter one character time later: at 115200 baud 8N1 (divisor 1)
; that is 10 bits of 16 crystal cycles, 160 / 1843200 Hz = 86.8 us, so
; about 4341 instructions at the default 50 M per second.  The guest
; writes a byte and polls LSR until TEMT (bit 6) is set, timing it with
; the TSC; it passes (exit 2Ah, status 85) if TEMT came within 4300 to
; 4700 ticks, else prints "ticks=N" and fails with 3 (status 7).  A
; device event scheduled in the middle of a CPU slice must fire on time,
; not when the slice would have ended anyway.
%include "cli32.inc"
        org     0x100000

start:
        mov     dx, 0x3FB
        mov     al, 0x80                ; DLAB
        out     dx, al
        mov     dx, 0x3F8
        mov     al, 1                   ; divisor 1: 115200 baud
        out     dx, al
        inc     dx
        xor     al, al
        out     dx, al
        mov     dx, 0x3FB
        mov     al, 0x03                ; 8N1
        out     dx, al
        mov     dx, 0x3F8
        mov     al, '*'
        out     dx, al
        rdtsc
        mov     edi, eax
        mov     dx, 0x3FD
        mov     ecx, 10000000
.poll:  in      al, dx
        test    al, 0x40
        jnz     .sent
        dec     ecx
        jnz     .poll
        FAIL    2
.sent:  rdtsc
        sub     eax, edi
        cmp     eax, 4300
        jb      .bad
        cmp     eax, 4700
        ja      .bad
        EXIT    PASS
.bad:   PRINT   "ticks="
        call    cli_putdec
        call    cli_newline
        FAIL    3

        CLI32_LIB
