; An endless loop: only the instruction budget stops it (status 6).
        bits    16
        org     0x7C00
spin:
        jmp     spin
