; mb_reboot.asm - a Multiboot 1 kernel (a.out kludge) that resets the
; machine through the 8042 twice.  The loader must boot it again after
; each reset, from a fresh copy of the image: every boot checks the boot
; magic and that `mark`, which it overwrites before resetting, holds its
; original value again.  Boots are counted in RAM at 300000h, which
; nothing loads over; the third boot exits with the count, 3 (status 7).
; With -no-reboot the first reset ends the run (status 10).
%define MB_MAGIC 0x1BADB002
%define MB_FLAGS 0x00010003
%define COUNTER 0x300000

%include "cli32.inc"
        org     0x100000

mb_header:
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)
        dd      mb_header, $$, image_end, bss_end, start

start:
        mov     esp, stack_top
        CHECK   eax, 0x2BADB002, 1
        CHECK   byte [mark], 0x55, 2
        inc     dword [COUNTER]
        cmp     dword [COUNTER], 3
        jae     .done
        mov     byte [mark], 0xAA
        mov     ecx, 1000000
.ibf:   in      al, 0x64
        test    al, 0x02
        jz      .ready
        dec     ecx
        jnz     .ibf
        FAIL    3
.ready: mov     al, 0xFE                ; pulse the output port: CPU reset
        out     0x64, al
        FAIL    4
.done:  mov     eax, [COUNTER]
        out     EXITPORT, al
        cli
        hlt

mark:   db      0x55

        CLI32_LIB

        align   16
image_end:
bss_end equ image_end + 0x1000
stack_top equ bss_end
