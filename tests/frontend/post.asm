; post.asm - writes POST codes 12h, ABh, 00h, FFh to port 80h, checks
; that the port reads back the last code (the PIIX3 latches it), then
; exits with 2Ah (status 85).
%include "cli32.inc"
        org     0x100000

start:
        mov     al, 0x12
        out     0x80, al
        mov     al, 0xAB
        out     0x80, al
        xor     al, al
        out     0x80, al
        mov     al, 0xFF
        out     0x80, al
        mov     al, 0x5A
        in      al, 0x80
        CHECK   al, 0xFF, 1
        EXIT    PASS

        CLI32_LIB
