; Real mode: string instructions with REP/REPE/REPNE, both directions,
; 16- and 32-bit addressing, segment overrides; XLAT; port I/O.
%include "rz_test.inc"

start:
        cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7000
        mov ax, 0x0100
        mov es, ax                      ; ES base 0x1000

        ; REP STOSB / STOSW / STOSD forward
        cld
        mov di, 0
        mov cx, 7
        mov al, 0xAA
        rep stosb
        CHECK di, 7
        CHECK cx, 0
        CHECK byte [0x1006], 0xAA
        CHECK byte [0x1007], 0x00
        mov di, 0x10
        mov cx, 3
        mov eax, 0x11223344
        rep stosd
        CHECK dword [0x1018], 0x11223344
        CHECK di, 0x1C

        ; REP MOVSB backwards (overlapping copy done right to left)
        mov si, 0x1005                  ; DS:SI = 0x1005
        mov di, 0x0008                  ; ES:DI = 0x1008
        mov byte [0x1000], 1
        mov byte [0x1001], 2
        mov byte [0x1002], 3
        mov byte [0x1003], 4
        mov byte [0x1004], 5
        mov byte [0x1005], 6
        std
        mov cx, 6
        rep movsb
        cld
        CHECK byte [0x1003], 1
        CHECK byte [0x1008], 6
        CHECK si, 0x0FFF
        CHECK di, 0x0002

        ; count 0 does nothing
        mov cx, 0
        mov di, 0x40
        rep stosb
        CHECK di, 0x40

        ; REPE CMPSB stops at the first difference
        mov dword [0x2000], 0x44434241  ; "ABCD"
        mov dword [0x1100], 0x44584241  ; "ABXD" at ES:0x100
        mov si, 0x2000
        mov di, 0x100
        mov cx, 4
        repe cmpsb
        CHECKF (F_ZF | F_CF), F_CF      ; 'C' < 'X'
        CHECK cx, 1
        CHECK si, 0x2003

        ; REPNE SCASW finds a word
        mov word [0x1200], 1
        mov word [0x1202], 2
        mov word [0x1204], 0x55AA
        mov word [0x1206], 4
        mov di, 0x200
        mov cx, 10
        mov ax, 0x55AA
        repne scasw
        CHECKF F_ZF, F_ZF
        CHECK di, 0x206
        CHECK cx, 7

        ; LODSB with a segment override, 32-bit addressing MOVSD
        mov ax, 0x0200
        mov fs, ax                      ; FS base 0x2000
        mov si, 1
        fs lodsb
        CHECK al, 0x42
        mov esi, 0x2000
        mov edi, 0x0300                 ; ES:EDI = 0x1300
        mov ecx, 1
        a32 rep movsd
        CHECK dword [0x1300], 0x44434241
        CHECK esi, 0x2004
        CHECK ecx, 0

        ; XLAT
        mov bx, 0x2000
        mov al, 2
        xlatb
        CHECK al, 0x43

        ; port I/O: unclaimed ports float high; OUTSB to the debug console
        in al, 0xE3                     ; nothing decodes ports E3h, 2C0h
        CHECK al, 0xFF
        mov dx, 0x2C0
        in ax, dx
        CHECK ax, 0xFFFF
        in eax, dx
        CHECK eax, 0xFFFFFFFF
        mov si, msg_io
        mov cx, msg_io_len
        mov dx, DEBUGCON
        cs rep outsb

        ; the BIOS image below 1 MiB is ROM: a write leaves it unchanged
        mov ax, 0xF000
        mov es, ax
        mov al, [es:rom_probe]
        mov byte [es:rom_probe], 0x55
        CHECK byte [es:rom_probe], al
        CHECK al, 0xA5

        PASS16

rom_probe: db 0xA5
msg_io: db "outsb ok", 10
msg_io_len equ $ - msg_io

        RZ_RUNTIME16
        RZ_RESET_VECTOR
