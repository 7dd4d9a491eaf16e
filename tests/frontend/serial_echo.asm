; serial_echo.asm - COM1 echo for the terminal test (pty_serial.py): 8N1,
; then forever: wait for a received byte (LSR bit 0), send it back plus
; one ("a" -> "b"), so the test sees that each key arrived on its own,
; unbuffered and unechoed by the host.  Never exits: only Ctrl-A x ends it.
%include "cli32.inc"
        org     0x100000

start:
        mov     dx, 0x3FB
        mov     al, 0x03                ; LCR: 8 data bits, no parity, 1 stop
        out     dx, al
        mov     dx, 0x3FA
        mov     al, 0x07                ; FCR: FIFOs on and cleared
        out     dx, al
.wait:  mov     dx, 0x3FD
        in      al, dx
        test    al, 0x01
        jz      .wait
        mov     dx, 0x3F8
        in      al, dx
        inc     al
        out     dx, al
        jmp     .wait
