; Flat 32-bit guest (-flat exit_flat32.bin@0x100000 -entry32 0x100000):
; checks it really runs in 32-bit code with the documented stack, prints
; a line, then writes 0x21 to the exit port: status (0x21 << 1) | 1 = 67.
; A wrong environment exits 0x7F instead (status 255).
        bits    32
        org     0x100000
start:
        mov     eax, 0x12345678         ; a 32-bit immediate decodes as such only in 32-bit code
        cmp     eax, 0x12345678
        jne     bad
        cmp     esp, 0x8000000          ; top of the default 128 MiB of RAM
        jne     bad
        mov     esi, msg
.print:
        mov     al, [esi]
        test    al, al
        jz      .done
        out     0xE9, al
        inc     esi
        jmp     .print
.done:
        mov     al, 0x21
        out     0xF4, al
bad:
        mov     al, 0x7F
        out     0xF4, al
        hlt
msg:    db      "flat32 guest", 10, 0
