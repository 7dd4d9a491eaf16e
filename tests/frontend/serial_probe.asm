; serial_probe.asm - is there a UART at 3F8h (COM1)?  An absent port
; floats: reads of the line status register 3FDh give FFh.  A present
; 16550 after reset reads 60h there (THRE and TEMT set, DR clear).
; Exit 10h (status 33): absent; 11h (status 35): a 16550 at reset;
; 12h (status 37): anything else.
%include "cli32.inc"
        org     0x100000

start:
        mov     dx, 0x3FD
        in      al, dx
        cmp     al, 0xFF
        je      .absent
        cmp     al, 0x60
        je      .present
        EXIT    0x12
.absent:
        EXIT    0x10
.present:
        EXIT    0x11
