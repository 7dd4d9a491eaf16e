; bzimage.asm - a minimal Linux/x86 bzImage (boot protocol 2.15 by
; default) for `ringzero -kernel`: a setup part of 5 sectors holding the
; setup header at 1F1h (Documentation/arch/x86/boot.rst), then a 32-bit
; protected-mode part that the loader puts at 100000h.
;
; The protected-mode code checks the 32-bit boot protocol's entry state
; (CS = 10h, DS = ES = SS = 18h, ESI = the zero page, EBP = EDI = EBX =
; 0, IF = 0) and the fields a loader must fill (type_of_loader,
; loadflags), then prints on the debug console
;   cmdline=[...]
;   initrd addr=XXXXXXXX size=N data=[bytes]     ("initrd none" if absent)
;   alt_mem_k=N e820=N
;   e820 BASE LENGTH TYPE                        (one line per entry)
; and exits with 2Ah (status 85).
;
; Broken variants for the loader's error paths (each is still detected
; as a bzImage: boot flag AA55h and "HdrS" are in place):
;   -DPROTOCOL=0x0203    older than the 2.04 the loader requires;
;   -DCUT                the file ends at 220h, inside the setup header;
;   -DSYSSIZE_EXTRA=n    syssize claims n more 16-byte units than follow;
;   -DXLF=1              XLF_KERNEL_64: an x86-64 kernel;
;   -DLOADFLAGS=0        a zImage (LOADED_HIGH clear);
;   -DINIT_SIZE=n        the kernel needs n bytes of RAM from 1 MiB.
%ifndef PROTOCOL
%define PROTOCOL 0x020F
%endif
%ifndef SYSSIZE_EXTRA
%define SYSSIZE_EXTRA 0
%endif
%ifndef XLF
%define XLF 0
%endif
%ifndef LOADFLAGS
%define LOADFLAGS 0x01
%endif
%ifndef INIT_SIZE
%define INIT_SIZE 0x10000
%endif
%define SETUP_SECTS 4

%include "cli32.inc"

        section setup start=0 vstart=0
        times   0x1F1 db 0
        db      SETUP_SECTS             ; 1F1 setup_sects
        dw      0                       ; 1F2 root_flags
%ifdef CUT
        dd      0x100                   ; 1F4 syssize
%else
        dd      (pm_end - pm_start) / 16 + SYSSIZE_EXTRA ; 1F4 syssize
%endif
        dw      0                       ; 1F8 ram_size
        dw      0xFFFF                  ; 1FA vid_mode
        dw      0                       ; 1FC root_dev
        dw      0xAA55                  ; 1FE boot_flag
        db      0xEB, 0x26C - 0x202     ; 200 jump over the header (to 26Ch)
        db      "HdrS"                  ; 202 header
        dw      PROTOCOL                ; 206 version
        dd      0                       ; 208 realmode_swtch
        dw      0                       ; 20C start_sys_seg
        dw      0                       ; 20E kernel_version
        db      0                       ; 210 type_of_loader
        db      LOADFLAGS               ; 211 loadflags
        dw      0                       ; 212 setup_move_size
        dd      0x100000                ; 214 code32_start
        dd      0                       ; 218 ramdisk_image
        dd      0                       ; 21C ramdisk_size
%ifndef CUT
        dd      0                       ; 220 bootsect_kludge
        dw      0                       ; 224 heap_end_ptr
        db      0                       ; 226 ext_loader_ver
        db      0                       ; 227 ext_loader_type
        dd      0                       ; 228 cmd_line_ptr
        dd      0x37FFFFFF              ; 22C initrd_addr_max
        dd      0x1000                  ; 230 kernel_alignment
        db      0                       ; 234 relocatable_kernel
        db      0                       ; 235 min_alignment
        dw      XLF                     ; 236 xloadflags
        dd      255                     ; 238 cmdline_size
        dd      0                       ; 23C hardware_subarch
        dq      0                       ; 240 hardware_subarch_data
        dd      0                       ; 248 payload_offset
        dd      0                       ; 24C payload_length
        dq      0                       ; 250 setup_data
        dq      0x100000                ; 258 pref_address
        dd      INIT_SIZE               ; 260 init_size
        dd      0                       ; 264 handover_offset
        dd      0                       ; 268 kernel_info_offset
hdr_end:
        times   (SETUP_SECTS + 1) * 512 - ($ - $$) db 0

        section pm follows=setup vstart=0x100000
pm_start:
        mov     ax, cs
        CHECK   ax, 0x10, 1
        mov     ax, ds
        CHECK   ax, 0x18, 2
        mov     ax, es
        CHECK   ax, 0x18, 2
        mov     ax, ss
        CHECK   ax, 0x18, 2
        CHECK   esi, 0x90000, 3
        CHECK   ebp, 0, 4
        CHECK   edi, 0, 4
        CHECK   ebx, 0, 4
        pushfd
        pop     eax
        test    eax, 0x200
        jz      .if_ok
        FAIL    5
.if_ok: CHECK   byte [esi + 0x210], 0xFF, 6     ; type_of_loader: no assigned ID
        mov     al, [esi + 0x211]
        and     al, 0x81                        ; LOADED_HIGH and CAN_USE_HEAP
        CHECK   al, 0x81, 7
        mov     ebp, esi

        PRINT   "cmdline=["
        mov     esi, [ebp + 0x228]
        call    cli_puts
        PRINT   "]"
        call    cli_newline

        mov     ecx, [ebp + 0x21C]              ; ramdisk_size
        test    ecx, ecx
        jnz     .initrd
        PRINT   "initrd none"
        call    cli_newline
        jmp     .mem
.initrd:
        PRINT   "initrd addr="
        mov     eax, [ebp + 0x218]              ; ramdisk_image
        call    cli_puthex32
        PRINT   " size="
        mov     eax, ecx
        call    cli_putdec
        PRINT   " data=["
        mov     esi, [ebp + 0x218]
        cmp     ecx, 64
        jbe     .short
        mov     ecx, 64
.short: call    cli_putn
        PRINT   "]"
        call    cli_newline

.mem:   PRINT   "alt_mem_k="
        mov     eax, [ebp + 0x1E0]
        call    cli_putdec
        PRINT   " e820="
        movzx   ecx, byte [ebp + 0x1E8]
        mov     eax, ecx
        call    cli_putdec
        call    cli_newline
        cmp     ecx, 16
        jbe     .count_ok
        FAIL    8
.count_ok:
        lea     ebx, [ebp + 0x2D0]
        test    ecx, ecx
        jz      .done
.entry: PRINT   "e820 "
        mov     eax, [ebx + 4]
        call    cli_puthex32
        mov     eax, [ebx]
        call    cli_puthex32
        PRINT   " "
        mov     eax, [ebx + 12]
        call    cli_puthex32
        mov     eax, [ebx + 8]
        call    cli_puthex32
        PRINT   " "
        mov     eax, [ebx + 16]
        call    cli_putdec
        call    cli_newline
        add     ebx, 20
        dec     ecx
        jnz     .entry
.done:  EXIT    PASS

        CLI32_LIB
        align   16, db 0
pm_end:
%endif
