; fpuloop.asm - an x87-heavy benchmark guest (64 KiB ROM image).
;
; Enters flat 32-bit protected mode and sets 64 doubles x to j / 65
; (FILD, FIDIV, FSTP).  Then, ITERS times, each x steps through the
; logistic map x' = 3.9 x (1 - x), which is chaotic in (0, 1), and an
; accumulator beside it gains sqrt(x) / (x' + 1): FLD, FLD1, FSUB, FMUL,
; FMUL m64, FXCH, FSQRT, FLD1, FADD, FDIVP, FADD m64, FSTP m64 twice per
; element.  Every operation is correctly rounded (PC = 64 bits after
; FNINIT, then one rounding to double per store), and the map amplifies
; any difference in a last bit, so only exact x87s print the same
; checksum.  It prints "FPULOOP DONE checksum=XXXXXXXX" (the XOR of all the
; doubles' dwords) on port 0xE9 and ends the run on Bochs (port 0x8900
; "Shutdown"), QEMU (isa-debug-exit at 0xF4) and ringzero (exit port 0xF4).
%ifndef ITERS
%define ITERS 2000
%endif
%define BUF  0x00100000         ; x[N]
%define ACC  (BUF + N * 8)       ; accumulators[N], right after x[N]
%define N    64

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
        and al, ~0x0C                   ; EM = TS = 0
        or al, 0x23                     ; PE, MP, NE
        mov cr0, eax
        jmp 0x08:pm

        bits 32
pm:     mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov esp, 0x00090000
        fninit
        mov edi, BUF
        mov ecx, 1
        mov dword [esp - 8], N + 1
.fill:  mov [esp - 4], ecx
        fild dword [esp - 4]
        fidiv dword [esp - 8]
        fstp qword [edi]
        fldz
        fstp qword [edi + ACC - BUF]
        add edi, 8
        inc ecx
        cmp ecx, N
        jbe .fill

        mov edx, ITERS
.iter:  mov esi, BUF
        mov ecx, N
.elem:  fld qword [esi]                 ; x
        fld1
        fsub st0, st1                   ; 1 - x, x
        fmul st0, st1                   ; x (1 - x), x
        fmul qword [cs:k39]             ; x', x
        fxch st1                        ; x, x'
        fsqrt                           ; sqrt x, x'
        fld1
        fadd st0, st2                   ; x' + 1, sqrt x, x'
        fdivp st1, st0                  ; sqrt x / (x' + 1), x'
        fadd qword [esi + ACC - BUF]
        fstp qword [esi + ACC - BUF]
        fstp qword [esi]
        add esi, 8
        dec ecx
        jnz .elem
        dec edx
        jnz .iter

        xor ebp, ebp                    ; checksum: XOR of every dword
        mov esi, BUF
        mov ecx, N * 2 * 2
.sum:   xor ebp, [esi]
        add esi, 4
        dec ecx
        jnz .sum

        BENCH_REPORT

        align 8
k39:      dq 3.9
msg:      db "FPULOOP DONE checksum=", 0
        BENCH_RUNTIME
