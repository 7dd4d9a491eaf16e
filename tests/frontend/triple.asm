; Triple fault in real mode: with an IDT limit of 0 every interrupt
; vector is beyond the limit, so INT3 raises #GP, whose delivery raises
; #GP again (double fault), whose delivery fails too: shutdown
; (SDM vol. 3, 6.15 "Interrupt 8" and 20.1.4 for the real-mode IDT limit).
        bits    16
        org     0x7C00
        lidt    [cs:empty_idt]
        int3
        mov     al, 0x7F                ; not reached
        out     0xF4, al
        hlt
empty_idt:
        dw      0
        dd      0
