; serial_out.asm - sends a payload through a 16550 UART, the way a
; polled kernel console does (-flat serial_out.bin@0x100000 -entry32
; 0x100000).  -DCOM=base picks the port (default 3F8h, COM1);
; -DPAYLOAD="file" names the bytes to send (incbin).
;
; 115200 baud 8N1 (divisor 1), FIFOs off; each byte is written when LSR
; bit 5 (THRE) is set, and the guest waits for bit 6 (TEMT) before it
; exits, so every byte has left the transmitter (16550D datasheet, LSR).
; Exit 2Ah (status 85); a UART that never becomes ready: 1 or 2.
%ifndef COM
%define COM 0x3F8
%endif
%define LCR (COM + 3)
%define LSR (COM + 5)

%include "cli32.inc"
        org     0x100000

start:
        mov     dx, LCR
        mov     al, 0x80                ; DLAB
        out     dx, al
        mov     dx, COM
        mov     al, 1                   ; divisor latch low: 115200 baud
        out     dx, al
        inc     dx
        xor     al, al                  ; divisor latch high
        out     dx, al
        mov     dx, LCR
        mov     al, 0x03                ; 8 data bits, no parity, 1 stop bit
        out     dx, al
        mov     dx, COM + 1
        xor     al, al                  ; no interrupts
        out     dx, al

        mov     esi, payload
        mov     edi, payload_end
.byte:  cmp     esi, edi
        jae     .drain
        mov     ecx, 10000000           ; generous: the bound only stops a dead UART
        mov     dx, LSR
.wait:  in      al, dx
        test    al, 0x20                ; THRE
        jnz     .ready
        dec     ecx
        jnz     .wait
        FAIL    1
.ready: mov     dx, COM
        mov     al, [esi]
        out     dx, al
        inc     esi
        jmp     .byte
.drain: mov     ecx, 10000000           ; generous: the bound only stops a dead UART
        mov     dx, LSR
.idle:  in      al, dx
        test    al, 0x40                ; TEMT: holding and shift registers empty
        jnz     .done
        dec     ecx
        jnz     .idle
        FAIL    2
.done:  EXIT    PASS

        CLI32_LIB

payload:
        incbin  PAYLOAD
payload_end:
