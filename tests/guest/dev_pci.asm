; dev_pci.asm - PCI configuration mechanism #1 on the PC board and its two
; chipset functions (PCI Local Bus Specification 2.1, 3.7.4.1; Intel
; 82441FX PMC and 82371SB PIIX3 datasheets, register tables; the board
; map in devices/pc.h):
;  - CONFIG_ADDRESS (CF8h) is a dword register: it reads back with the
;    reserved bits 30:24 and 1:0 as 0, and byte writes to CF8h do not
;    change it (CF9h is the PIIX3's reset control register, reading 00h);
;  - a scan of bus 0: 8086:1237 (i440FX) at 00:00.0, 8086:7000 (PIIX3) at
;    00:01.0 with header type 80h (multi-function), nothing else (all
;    ones); with the enable bit clear, and on bus 1, everything reads all
;    ones;
;  - the ID, class code, command and status registers of both, through
;    dword, word and byte accesses at CFCh-CFFh; the read-only IDs ignore
;    writes;
;  - the PIIX3's PIRQ route control registers 60h-63h: 80h (routing
;    disabled) after reset, read/write with bits 6:4 reserved (read 0).
;
; Cross-checked under QEMU 7.2 (-DQEMU, -nodefaults) and Bochs 2.7
; (-DBOCHS, pci: enabled=1, chipset=i440fx).  Both have more functions on
; device 1 (IDE, USB, ACPI), so that part of the scan is skipped there.
; Where they depart from the specifications the check is skipped too:
; both keep the reserved bits of CONFIG_ADDRESS; QEMU's i440FX has
; command and status 0 and its PIRQRC keeps bits 6:4; Bochs's i440FX is
; revision 00h and a dword write of 80808080h leaves 8Fh in 63h.
%include "rz_test.inc"
%include "rz_board.inc"

%define FOUND     0x0500        ; bitmap of bus-0 devices whose function 0 answered

; CFG_ADDR dev, fn, reg: CONFIG_ADDRESS for bus 0
%define CFG_ADDR(dev, fn, reg) (0x80000000 | ((dev) << 11) | ((fn) << 8) | (reg))

; CFG_READ: EAX = the configuration dword CONFIG_ADDRESS = EAX selects
%macro CFG_READ 0
        mov dx, 0xCF8
        out dx, eax
        mov dx, 0xCFC
        in eax, dx
%endmacro

; CHECK_NO_FNS dev: functions 1-7 of bus-0 device `dev` read all ones
; (one check)
%macro CHECK_NO_FNS 1
        mov ebx, 1
%%fn:   mov eax, ebx
        shl eax, 8
        or eax, CFG_ADDR(%1, 0, 0)
        CFG_READ
        CHECK_EQ eax, 0xFFFFFFFF
        inc ebx
        cmp ebx, 8
        jb %%fn
%endmacro

; SELECT dev, fn, reg: write CONFIG_ADDRESS
%macro SELECT 3
        mov dx, 0xCF8
        mov eax, CFG_ADDR(%1, %2, (%3) & 0xFC)
        out dx, eax
%endmacro

start:
        RZ_INIT16

        ; ---- 1: CONFIG_ADDRESS ----
        mov dx, 0xCF8
        mov eax, 0x80000000
        out dx, eax
        in eax, dx
        CHECK_EQ eax, 0x80000000
        mov eax, 0xFFFFFFFF
        out dx, eax
        in eax, dx
        ; bits 30:24 and 1:0 "are read-only and must return 0's when
        ; read" (PCI 2.1, 3.7.4.1); QEMU and Bochs keep every bit written
%ifndef RZ_EMU
        CHECK_EQ eax, 0x80FFFFFC
%else
%assign RZ_CHECK RZ_CHECK + 1
%endif
        mov eax, CFG_ADDR(1, 0, 0x60)
        out dx, eax
        mov al, 0x12                    ; a byte at CF8h: ordinary I/O
        out dx, al
        in eax, dx
        CHECK_EQ eax, CFG_ADDR(1, 0, 0x60)
        mov dx, 0xCF9
        in al, dx
        CHECK al, 0x00                  ; reset control register
        mov dx, 0xCF8
        xor eax, eax
        out dx, eax
        in eax, dx
        CHECK_EQ eax, 0

        ; ---- 2: scan bus 0, function 0 of each device ----
        mov dword [FOUND], 0
        xor ebx, ebx                    ; device
.scan:  mov eax, ebx
        shl eax, 11
        or eax, 0x80000000
        CFG_READ
        cmp eax, 0xFFFFFFFF
        je .none
        bts dword [FOUND], ebx
        cmp bl, 0
        jne .not0
        CHECK_EQ eax, 0x12378086        ; i440FX
        jmp .none
.not0:  cmp bl, 1
        jne .none
        CHECK_EQ eax, 0x70008086        ; PIIX3
.none:  inc ebx
        cmp ebx, 32
        jb .scan
        CHECK_EQ dword [FOUND], 0x00000003 ; devices 0 and 1 only
        ; the other functions: none on device 0 (single-function)
        CHECK_NO_FNS 0
%ifndef RZ_EMU
        ; none on device 1 either: only the ISA bridge is modelled
        CHECK_NO_FNS 1
%else
%assign RZ_CHECK RZ_CHECK + 1
%endif
        ; enable bit clear, and bus 1: all ones
        mov eax, 0x00000000             ; 00:00.0 reg 0 without the enable bit
        CFG_READ
        CHECK_EQ eax, 0xFFFFFFFF
        mov eax, 0x80010000             ; bus 1, device 0
        CFG_READ
        CHECK_EQ eax, 0xFFFFFFFF

        ; ---- 3: the two functions' headers ----
        SELECT 0, 0, 0x08
        mov dx, 0xCFC
        in eax, dx
%ifdef BOCHS
        and eax, 0xFFFFFF00             ; (Bochs's revision is 00h)
        or eax, 0x02
%endif
        CHECK_EQ eax, 0x06000002        ; host bridge, revision 02h
        SELECT 0, 0, 0x0C
        mov dx, 0xCFE
        in al, dx
        CHECK al, 0x00                  ; header type 0, single function
        SELECT 0, 0, 0x04
        mov dx, 0xCFC
        in eax, dx
%ifndef QEMU
        CHECK_EQ eax, 0x02800006        ; status FB2B, DEVSEL medium; command MSE, BME
%else
%assign RZ_CHECK RZ_CHECK + 1           ; QEMU: both 0
%endif
        SELECT 1, 0, 0x08
        mov dx, 0xCFC
        in eax, dx
        and eax, 0xFFFFFF00             ; (the PIIX3's stepping varies)
        CHECK_EQ eax, 0x06010000        ; ISA bridge
        SELECT 1, 0, 0x0C
        mov dx, 0xCFE
        in al, dx
        CHECK al, 0x80                  ; header type 0, multi-function
        ; word and byte reads within the dword
        SELECT 1, 0, 0x00
        mov dx, 0xCFE
        in ax, dx
        CHECK ax, 0x7000                ; device ID
        mov dx, 0xCFD
        in al, dx
        CHECK al, 0x80                  ; vendor ID, high byte
        mov dx, 0xCFC
        xor eax, eax                    ; the IDs are read-only
        out dx, eax
        in eax, dx
        CHECK_EQ eax, 0x70008086

        ; ---- 4: PIRQ route control, PIIX3 60h-63h ----
        SELECT 1, 0, 0x60
        mov dx, 0xCFC
        in eax, dx
        CHECK_EQ eax, 0x80808080        ; all four disabled
        mov dx, 0xCFD
        mov al, 0x0B                    ; PIRQB# -> IRQ 11
        out dx, al
        mov dx, 0xCFC
        in eax, dx
        CHECK_EQ eax, 0x80800B80
        mov dx, 0xCFE
        mov ax, 0x050A                  ; PIRQC# -> IRQ 10, PIRQD# -> IRQ 5
        out dx, ax
        mov dx, 0xCFC
        in eax, dx
        CHECK_EQ eax, 0x050A0B80
        mov dx, 0xCFF
        mov al, 0xFF
        out dx, al
        in al, dx
%ifndef QEMU
        CHECK al, 0x8F                  ; bits 6:4 reserved
%else
%assign RZ_CHECK RZ_CHECK + 1           ; QEMU keeps the reserved bits
%endif
        mov dx, 0xCFC
        mov eax, 0x80808080
        out dx, eax
        in eax, dx
%ifndef BOCHS
        CHECK_EQ eax, 0x80808080
%else
%assign RZ_CHECK RZ_CHECK + 1           ; Bochs leaves 8Fh in 63h
%endif
        ; the address decodes the register: read 62h alone
        SELECT 1, 0, 0x62
        mov dx, 0xCFE
        in al, dx
        CHECK al, 0x80
        RZ_BOARD_PASS16

        RZ_BOARD_RUNTIME16
        RZ_RUNTIME16
        RZ_RESET_VECTOR
