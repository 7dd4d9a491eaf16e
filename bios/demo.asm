; demo.asm - ringzero's built-in demo guest: a 4 KiB real-mode ROM.
;
; The board maps it at the top of 4 GiB and aliases it below 1 MiB at
; F000:F000, so the reset vector F000:FFF0 lands on the far jump at the
; end of the image.  It prints a banner and the primes below 100 (found by
; trial division, so the CPU really computes them) to the debug console on
; port 0xE9, then writes 0 to the exit port 0xF4: ringzero exits with
; status (0 << 1) | 1 = 1.  Only 8086 instructions, so it runs on the
; smallest subset of the engine.

        cpu     8086
        bits    16
        org     0xF000

DEBUGCON equ 0xE9
EXITPORT equ 0xF4
LIMIT    equ 100

start:
        cli
        cld
        mov     ax, cs
        mov     ds, ax
        xor     ax, ax
        mov     ss, ax
        mov     sp, 0x7000
        mov     si, banner
        call    puts

        xor     di, di                  ; how many primes
        xor     bp, bp                  ; their sum
        mov     bx, 2                   ; candidate
.candidate:
        mov     cx, 2                   ; trial divisor
.trial:
        mov     ax, cx
        mul     cx                      ; divisor squared
        cmp     ax, bx
        ja      .prime
        mov     ax, bx
        xor     dx, dx
        div     cx
        test    dx, dx
        jz      .next
        inc     cx
        jmp     .trial
.prime:
        inc     di
        add     bp, bx
        mov     al, ' '
        call    putc
        mov     ax, bx
        call    putdec
.next:
        inc     bx
        cmp     bx, LIMIT
        jb      .candidate

        mov     si, count_msg
        call    puts
        mov     ax, di
        call    putdec
        mov     si, sum_msg
        call    puts
        mov     ax, bp
        call    putdec
        mov     si, bye_msg
        call    puts

        xor     al, al
        out     EXITPORT, al
        ; Without an exit port (another emulator), stop here.
.stop:
        hlt
        jmp     .stop

; Print the NUL-terminated string at DS:SI.
puts:
        lodsb
        test    al, al
        jz      .done
        call    putc
        jmp     puts
.done:
        ret

; Print AL.
putc:
        out     DEBUGCON, al
        ret

; Print AX in decimal.
putdec:
        push    bx
        push    cx
        push    dx
        mov     bx, 10
        xor     cx, cx
.divide:
        xor     dx, dx
        div     bx
        push    dx
        inc     cx
        test    ax, ax
        jnz     .divide
.emit:
        pop     ax
        add     al, '0'
        call    putc
        loop    .emit
        pop     dx
        pop     cx
        pop     bx
        ret

banner:    db "ringzero demo guest: real mode, reset vector F000:FFF0", 10
           db "primes below 100:", 0
count_msg: db 10, "count ", 0
sum_msg:   db ", sum ", 0
bye_msg:   db 10, "writing 0 to the exit port (exit status 1)", 10, 0

        times   0xFF0 - ($ - $$) db 0
reset:
        jmp     0xF000:start
        times   0x1000 - ($ - $$) db 0
