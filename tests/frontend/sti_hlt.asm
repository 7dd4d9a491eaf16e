; HLT with interrupts on, but the board has no device that can raise one:
; treated as a dead halt (status 4).
        bits    16
        org     0x7C00
        sti
        hlt
