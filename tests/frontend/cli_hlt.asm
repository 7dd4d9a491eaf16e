; HLT with interrupts off: nothing can wake the CPU (status 4).
        bits    16
        org     0x7C00
        cli
        hlt
