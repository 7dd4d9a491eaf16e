; mb1.asm - a Multiboot 1 kernel (spec 0.6.96) for `ringzero -kernel`.
;
; Built with nasm -f bin in two forms:
;   -DELF   an ELF32 i386 executable (header written by hand below, one
;           PT_LOAD segment), the Multiboot header without flag 16;
;   -DAOUT  a flat image with the "a.out kludge" (flag 16 and the address
;           fields), no ELF header at all.
; or with nasm -f elf32 -DLD, as an object for ld -m elf_i386 (sections
; .text, .data, .bss: an ELF as a toolchain makes it).
; -DBASE=addr moves the load address (default 1 MiB); -DMBFLAGS=f adds
; header flags (an unknown required bit makes the loader refuse it).
;
; It checks the machine state at entry (3.2: EAX = 2BADB002h, EBX the
; boot information, CR0.PE = 1, PG = 0, IF = VM = 0) and prints the boot
; information (3.3) on the debug console, one item per line:
;   flags=XXXXXXXX mem_lower=N mem_upper=N
;   cmdline=[...]
;   loader=[...]
;   mods=N                        ("mods=-" when flag 3 is clear)
;   mod=[string] size=N data=[bytes]
;   mmap BASE LENGTH TYPE         (64-bit hex, type in decimal)
; then exits with 2Ah (status 85).  The test compares the whole output.

%ifndef BASE
%define BASE 0x100000
%endif
%ifndef MBFLAGS
%define MBFLAGS 0
%endif
%define MB_MAGIC 0x1BADB002
%ifdef AOUT
%define MB_FLAGS (0x00010003 | MBFLAGS)
%else
%define MB_FLAGS (0x00000003 | MBFLAGS)
%endif

%include "cli32.inc"
%ifdef LD
        section .text
%else
        org     BASE
%endif

%ifdef ELF
ehdr:   db      0x7F, "ELF", 1, 1, 1, 0 ; ELFCLASS32, ELFDATA2LSB, EV_CURRENT
        times 8 db 0
        dw      2                       ; e_type: ET_EXEC
        dw      3                       ; e_machine: EM_386
        dd      1                       ; e_version
        dd      start                   ; e_entry
        dd      phdr - $$               ; e_phoff
        dd      0                       ; e_shoff: no sections
        dd      0                       ; e_flags
        dw      52                      ; e_ehsize
        dw      32                      ; e_phentsize
        dw      1                       ; e_phnum
        dw      40                      ; e_shentsize
        dw      0                       ; e_shnum
        dw      0                       ; e_shstrndx
phdr:   dd      1                       ; p_type: PT_LOAD
        dd      0                       ; p_offset
        dd      $$                      ; p_vaddr
        dd      $$                      ; p_paddr
        dd      image_end - $$          ; p_filesz
        dd      bss_end - $$            ; p_memsz
        dd      7                       ; p_flags: RWX
        dd      0x1000                  ; p_align
%endif

        align   4
mb_header:
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)
%ifdef AOUT
        dd      mb_header               ; header_addr
        dd      $$                      ; load_addr: the file's first byte
        dd      image_end               ; load_end_addr
        dd      bss_end                 ; bss_end_addr
        dd      start                   ; entry_addr
%endif

        global  start
start:
        cmp     eax, 0x2BADB002
        je      .magic
        mov     esp, stack_top
        FAIL    1
.magic: mov     esp, stack_top
        mov     ebp, ebx
        pushfd
        pop     eax
        test    eax, 0x00020200         ; VM, IF
        jz      .flags_ok
        FAIL    2
.flags_ok:
        mov     eax, cr0
        and     eax, 0x80000001
        CHECK   eax, 1, 3
        ; The boot information lies after the kernel, in RAM below 4 GiB.
        cmp     ebp, bss_end
        jae     .info_ok
        FAIL    4
.info_ok:

        PRINT   "flags="
        mov     eax, [ebp]
        call    cli_puthex32
        PRINT   " mem_lower="
        mov     eax, [ebp + 4]
        call    cli_putdec
        PRINT   " mem_upper="
        mov     eax, [ebp + 8]
        call    cli_putdec
        call    cli_newline

        test    dword [ebp], 1 << 2
        jnz     .cmdline
        FAIL    5
.cmdline:
        PRINT   "cmdline=["
        mov     esi, [ebp + 16]
        call    cli_puts
        PRINT   "]"
        call    cli_newline

        test    dword [ebp], 1 << 9
        jnz     .loader
        FAIL    6
.loader:
        PRINT   "loader=["
        mov     esi, [ebp + 64]
        call    cli_puts
        PRINT   "]"
        call    cli_newline

        PRINT   "mods="
        test    dword [ebp], 1 << 3
        jnz     .mods
        PRINT   "-"
        call    cli_newline
        jmp     .mmap
.mods:  mov     ecx, [ebp + 20]
        mov     eax, ecx
        call    cli_putdec
        call    cli_newline
        cmp     ecx, 8
        jbe     .count_ok
        FAIL    7
.count_ok:
        mov     ebx, [ebp + 24]
        test    ecx, ecx
        jz      .mmap
.mod:   mov     eax, [ebx]              ; mod_start: page-aligned (flag 0)
        test    eax, 0xFFF
        jz      .aligned
        FAIL    8
.aligned:
        cmp     eax, bss_end
        jae     .above
        FAIL    9
.above: PRINT   "mod=["
        mov     esi, [ebx + 8]
        call    cli_puts
        PRINT   "] size="
        mov     eax, [ebx + 4]          ; mod_end: one past the last byte
        sub     eax, [ebx]
        call    cli_putdec
        PRINT   " data=["
        push    ecx
        mov     ecx, eax
        mov     esi, [ebx]
        cmp     ecx, 64
        jbe     .short
        mov     ecx, 64
.short: call    cli_putn
        pop     ecx
        PRINT   "]"
        call    cli_newline
        add     ebx, 16
        dec     ecx
        jnz     .mod

.mmap:  test    dword [ebp], 1 << 6
        jnz     .have_mmap
        FAIL    10
.have_mmap:
        mov     ebx, [ebp + 48]         ; mmap_addr
        mov     edi, ebx
        add     edi, [ebp + 44]         ; + mmap_length
        mov     ecx, 32                 ; at most 32 entries
.entry: cmp     ebx, edi
        jae     .done
        PRINT   "mmap "
        mov     eax, [ebx + 8]
        call    cli_puthex32
        mov     eax, [ebx + 4]
        call    cli_puthex32
        PRINT   " "
        mov     eax, [ebx + 16]
        call    cli_puthex32
        mov     eax, [ebx + 12]
        call    cli_puthex32
        PRINT   " "
        mov     eax, [ebx + 20]
        call    cli_putdec
        call    cli_newline
        mov     eax, [ebx]              ; size, not counting itself
        lea     ebx, [ebx + eax + 4]
        dec     ecx
        jnz     .entry
        FAIL    11
.done:  EXIT    PASS

        CLI32_LIB

%ifdef LD
        section .bss
        alignb  16
        resb    0x1000
stack_top:
bss_end:
%else
        align   16
image_end:
bss_end equ image_end + 0x1000
stack_top equ bss_end
%endif
