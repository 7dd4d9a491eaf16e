; intloop.asm - a CPU-bound integer benchmark guest (64 KiB ROM image).
;
; Enters flat 32-bit protected mode and runs a fixed mix ITERS times: an
; LCG fill of 4 KiB, a bitwise CRC-32 over 1 KiB, a table-free checksum
; with shifts and rotates, multiply/divide, a short insertion sort and
; calls.  No REP string instructions, so every emulator counts the same
; instructions.  It prints "INTLOOP DONE checksum=XXXXXXXX" on port 0xE9,
; then ends the run on Bochs (port 0x8900 "Shutdown"), QEMU (isa-debug-exit
; at 0xF4) and ringzero (exit port 0xF4): exit status 1.
; Assembled with -DPAGING it first turns on paging, 0-8 MiB identity-mapped
; with 4 KiB pages (page directory at 2 MiB), to measure the TLB path.
%ifndef ITERS
%define ITERS 2000
%endif
%define BUF  0x00100000
%define SORT 0x00102000

%include "bench.inc"

        bits 16
        org 0
start:
        cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7000
        o32 lgdt [cs:gdt_desc]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp 0x08:pm

        bits 32
pm:     mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov esp, 0x00090000
%ifdef PAGING
        mov edi, 0x00201000             ; two page tables: 0-8 MiB
        mov eax, 0x00000003             ; present, writable
.pte:   mov [edi], eax
        add edi, 4
        add eax, 0x1000
        cmp eax, 0x00800003
        jb .pte
        mov edi, 0x00200000             ; page directory
        mov ecx, 1024
.pde:   mov dword [edi + ecx * 4 - 4], 0
        dec ecx
        jnz .pde
        mov dword [edi], 0x00201003
        mov dword [edi + 4], 0x00202003
        mov cr3, edi
        mov eax, cr0
        or eax, 0x80000000
        mov cr0, eax
        jmp .paged
.paged:
%endif
        xor ebp, ebp                    ; running checksum
        mov edi, ITERS
.iter:  ; LCG fill
        mov eax, 12345
        mov esi, BUF
        mov ecx, 1024
.fill:  imul eax, eax, 1103515245
        add eax, 12345
        mov [esi], eax
        add esi, 4
        dec ecx
        jnz .fill
        ; bitwise CRC-32 over the first KiB
        mov esi, BUF
        mov ecx, 1024
        mov edx, 0xFFFFFFFF
.crc:   movzx eax, byte [esi]
        xor edx, eax
        mov ebx, 8
.bit:   shr edx, 1
        jnc .nox
        xor edx, 0xEDB88320
.nox:   dec ebx
        jnz .bit
        inc esi
        dec ecx
        jnz .crc
        add ebp, edx
        ; shift/rotate/mul/div mix
        mov ecx, 256
        mov eax, ebp
.mix:   rol eax, 5
        xor eax, ecx
        mov ebx, eax
        shr ebx, 3
        add eax, ebx
        push eax
        xor edx, edx
        mov ebx, ecx
        or ebx, 1
        div ebx
        pop eax
        add eax, edx
        call mixer
        dec ecx
        jnz .mix
        add ebp, eax
        ; insertion sort of 32 words taken from the buffer
        mov esi, BUF
        mov ebx, SORT
        mov ecx, 32
.copy:  mov eax, [esi]
        mov [ebx], eax
        add esi, 4
        add ebx, 4
        dec ecx
        jnz .copy
        mov ecx, 1
.outer: mov eax, [SORT + ecx * 4]
        mov edx, ecx
.inner: test edx, edx
        jz .place
        mov ebx, [SORT + edx * 4 - 4]
        cmp ebx, eax
        jle .place
        mov [SORT + edx * 4], ebx
        dec edx
        jmp .inner
.place: mov [SORT + edx * 4], eax
        inc ecx
        cmp ecx, 32
        jb .outer
        add ebp, [SORT + 16 * 4]
        dec edi
        jnz .iter

        ; report
        BENCH_REPORT

mixer:  imul eax, eax, 33
        xor eax, 0x5bd1e995
        ret

msg:      db "INTLOOP DONE checksum=", 0
        BENCH_RUNTIME
