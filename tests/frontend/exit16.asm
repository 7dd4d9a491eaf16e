; Real-mode guest (-flat exit16.bin@0x7C00 -entry 0:7C00): a 16-bit OUT of
; 5 to the exit port: status (5 << 1) | 1 = 11.  SP must be the
; documented 7C00.
        bits    16
        org     0x7C00
start:
        cmp     sp, 0x7C00
        jne     bad
        mov     ax, 5
        out     0xF4, ax
bad:
        mov     al, 0x7F
        out     0xF4, al
        hlt
