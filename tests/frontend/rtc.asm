; rtc.asm - reads the date and time from the MC146818 the way a BIOS
; does: wait until no update is in progress (register A bit 7), then
; read seconds (0), minutes (2), hours (4), day of week (6), date (7),
; month (8), year (9) and the PC's century byte (32h).  The board sets
; register B to 24-hour BCD (02h).  Prints
;   rtc=CCYY-MM-DDThh:mm:ss dow=NN b=BB
; then waits for the seconds to change (one update cycle, at most about
; one guest second later) and prints the line again, then exits with 2Ah
; (status 85).  Use with a small --ips so the wait is short.
%include "cli32.inc"
        org     0x100000

start:
        call    print_time
        mov     al, 0
        call    cmos_read
        mov     bl, al
        mov     ecx, 100000000
.tick:  call    wait_no_uip
        mov     al, 0
        call    cmos_read
        cmp     al, bl
        jne     .changed
        dec     ecx
        jnz     .tick
        FAIL    2
.changed:
        call    print_time
        EXIT    PASS

; cmos_read: AL = register, returns its value in AL (NMI stays enabled).
cmos_read:
        out     0x70, al
        in      al, 0x71
        ret

; wait_no_uip: until register A bit 7 (UIP) reads 0.
wait_no_uip:
        push    ecx
        mov     ecx, 10000000
.uip:   mov     al, 0x0A
        call    cmos_read
        test    al, 0x80
        jz      .ok
        dec     ecx
        jnz     .uip
        FAIL    1
.ok:    pop     ecx
        ret

; put2: CMOS register AL as two hex digits (BCD prints as decimal).
put2:
        call    cmos_read
        call    cli_puthex8
        ret

print_time:
        call    wait_no_uip
        PRINT   "rtc="
        mov     al, 0x32
        call    put2
        mov     al, 0x09
        call    put2
        PRINT   "-"
        mov     al, 0x08
        call    put2
        PRINT   "-"
        mov     al, 0x07
        call    put2
        PRINT   "T"
        mov     al, 0x04
        call    put2
        PRINT   ":"
        mov     al, 0x02
        call    put2
        PRINT   ":"
        mov     al, 0x00
        call    put2
        PRINT   " dow="
        mov     al, 0x06
        call    put2
        PRINT   " b="
        mov     al, 0x0B
        call    put2
        call    cli_newline
        ret

        CLI32_LIB
