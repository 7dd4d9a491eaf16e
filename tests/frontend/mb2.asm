; mb2.asm - a Multiboot 2 kernel (spec 2.0) for `ringzero -kernel`.
;
; Built with nasm -f bin in two forms:
;   -DELF   an ELF32 i386 executable (header written by hand, one PT_LOAD
;           segment); the Multiboot 2 header has an information request
;           tag (command line, modules, basic memory, memory map);
;   -DADDR  a flat image loaded through the address and entry address
;           header tags, no ELF header.
;
; It checks EAX = 36D76289h and the boot information's alignment and
; size, then prints each tag in order on the debug console:
;   total=N                      (total_size)
;   cmdline=[...]                (type 1)
;   loader=[...]                 (type 2)
;   mod=[string] size=N data=[bytes]   (type 3)
;   mem_lower=N mem_upper=N      (type 4)
;   mmap BASE LENGTH TYPE        (type 6, one line per entry)
;   tag=N                        (any other type)
;   end                          (type 0)
; then exits with 2Ah (status 85).

%define BASE 0x100000
%define MB2_MAGIC 0xE85250D6

%include "cli32.inc"
        org     BASE

%ifdef ELF
ehdr:   db      0x7F, "ELF", 1, 1, 1, 0
        times 8 db 0
        dw      2                       ; ET_EXEC
        dw      3                       ; EM_386
        dd      1
        dd      start                   ; e_entry
        dd      phdr - $$               ; e_phoff
        dd      0, 0                    ; e_shoff, e_flags
        dw      52, 32, 1, 40, 0, 0     ; sizes, e_phnum = 1, no sections
phdr:   dd      1                       ; PT_LOAD
        dd      0                       ; p_offset
        dd      $$, $$                  ; p_vaddr, p_paddr
        dd      image_end - $$          ; p_filesz
        dd      bss_end - $$            ; p_memsz
        dd      7, 0x1000               ; p_flags, p_align
%endif

        align   8
mb2_header:
        dd      MB2_MAGIC
        dd      0                       ; architecture: i386
        dd      mb2_header_end - mb2_header
        dd      -(MB2_MAGIC + (mb2_header_end - mb2_header))
%ifdef ADDR
        dw      2, 0                    ; address tag
        dd      24
        dd      mb2_header              ; header_addr
        dd      $$                      ; load_addr
        dd      image_end               ; load_end_addr
        dd      bss_end                 ; bss_end_addr
        dw      3, 0                    ; entry address tag
        dd      12
        dd      start
        dd      0                       ; padding to 8
%else
        dw      1, 0                    ; information request (required)
        dd      8 + 4 * 4
        dd      1, 3, 4, 6
%endif
        dw      0, 0                    ; end tag
        dd      8
mb2_header_end:

start:
        mov     esp, stack_top
        CHECK   eax, 0x36D76289, 1
        test    ebx, 7
        jz      .aligned
        FAIL    2
.aligned:
        mov     ebp, ebx
        PRINT   "total="
        mov     eax, [ebp]
        call    cli_putdec
        call    cli_newline
        lea     ebx, [ebp + 8]
        mov     edi, ebp
        add     edi, [ebp]              ; end of the information
        mov     ecx, 64                 ; at most 64 tags
.tag:   cmp     ebx, edi
        jb      .inside
        FAIL    3                       ; ran past total_size without an end tag
.inside:
        mov     eax, [ebx]              ; type (16 bits) and flags (16 bits)
        cmp     eax, 0
        je      .end
        cmp     eax, 1
        je      .cmdline
        cmp     eax, 2
        je      .loader
        cmp     eax, 3
        je      .module
        cmp     eax, 4
        je      .meminfo
        cmp     eax, 6
        je      .mmap
        PRINT   "tag="
        call    cli_putdec
        call    cli_newline
        jmp     .next
.cmdline:
        PRINT   "cmdline=["
        lea     esi, [ebx + 8]
        call    cli_puts
        PRINT   "]"
        call    cli_newline
        jmp     .next
.loader:
        PRINT   "loader=["
        lea     esi, [ebx + 8]
        call    cli_puts
        PRINT   "]"
        call    cli_newline
        jmp     .next
.module:
        mov     eax, [ebx + 8]          ; mod_start
        test    eax, 0xFFF
        jz      .mod_aligned
        FAIL    4
.mod_aligned:
        cmp     eax, bss_end
        jae     .mod_above
        FAIL    5
.mod_above:
        PRINT   "mod=["
        lea     esi, [ebx + 16]
        call    cli_puts
        PRINT   "] size="
        mov     eax, [ebx + 12]         ; mod_end
        sub     eax, [ebx + 8]
        call    cli_putdec
        PRINT   " data=["
        push    ecx
        mov     ecx, eax
        mov     esi, [ebx + 8]
        cmp     ecx, 64
        jbe     .short
        mov     ecx, 64
.short: call    cli_putn
        pop     ecx
        PRINT   "]"
        call    cli_newline
        jmp     .next
.meminfo:
        PRINT   "mem_lower="
        mov     eax, [ebx + 8]
        call    cli_putdec
        PRINT   " mem_upper="
        mov     eax, [ebx + 12]
        call    cli_putdec
        call    cli_newline
        jmp     .next
.mmap:  CHECK   dword [ebx + 8], 24, 6  ; entry_size
        CHECK   dword [ebx + 12], 0, 7  ; entry_version
        lea     esi, [ebx + 16]
        mov     edx, ebx
        add     edx, [ebx + 4]          ; end of the tag
.entry: cmp     esi, edx
        jae     .next
        PRINT   "mmap "
        mov     eax, [esi + 4]
        call    cli_puthex32
        mov     eax, [esi]
        call    cli_puthex32
        PRINT   " "
        mov     eax, [esi + 12]
        call    cli_puthex32
        mov     eax, [esi + 8]
        call    cli_puthex32
        PRINT   " "
        mov     eax, [esi + 16]
        call    cli_putdec
        call    cli_newline
        add     esi, 24
        jmp     .entry
.next:  mov     eax, [ebx + 4]          ; size, then up to the next 8-byte boundary
        cmp     eax, 8
        jae     .size_ok
        FAIL    8
.size_ok:
        add     eax, 7
        and     eax, ~7
        add     ebx, eax
        dec     ecx
        jnz     .tag
        FAIL    9
.end:   CHECK   dword [ebx + 4], 8, 10
        add     ebx, 8
        CHECK   ebx, edi, 11            ; the end tag closes total_size exactly
        PRINT   "end"
        call    cli_newline
        EXIT    PASS

        CLI32_LIB

        align   16
image_end:
bss_end equ image_end + 0x1000
stack_top equ bss_end
