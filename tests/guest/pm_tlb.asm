; The TLB and 32-bit paging's access rules (SDM vol. 3, 4.6, 4.7, 4.10):
;  - a misaligned access that crosses into a page it may not use faults
;    with CR2 = the first byte of that page and changes nothing on the
;    first page (plain and read-modify-write stores, loads);
;  - self-modifying code through an alias: code fetched through one
;    linear page and rewritten through another that maps the same
;    physical page runs in its new form (after the serializing CPUID the
;    SDM asks for, vol. 3, 11.6), also when the writing alias was already
;    in the TLB before the page held code;
;  - INVLPG drops fetch translations too, and the entries of both the
;    supervisor and the user set;
;  - CR0.WP with supervisor writes to user and supervisor read-only
;    pages; user accesses (CPL 3, reached by SYSEXIT, back by SYSENTER)
;    to supervisor and read-only pages, including a page the supervisor
;    just used (U/S must not leak between privilege levels through the
;    TLB); MOV CR3 keeps global pages, a CR4.PGE change drops them.
;
; Passes on Bochs 2.7 (p2_klamath).
; QEMU (TCG) fails at the first read-modify-write check: it reports a
; fault of ADD m, r as a read (W/R = 0); Bochs and the emulator report
; the write the instruction would do, as for the locked read on hardware.
%include "rz_test.inc"

%define PD       0x00100000
%define PT0      0x00101000     ; identity map of 0..4 MiB
%define PT1      0x00102000     ; the test pages at 4 MiB
%define TEST     0x00400000
%define GDT_RAM  0x9000
%define TSS      0xA000
%define ESP0     0x0008F000
%define R3PAGE   0x0007F000     ; ring-3 stack and results (user R/W)
%define STACK3   0x00080000
%define R3_A     (R3PAGE + 0)   ; results of ring-3 code
%define R3_B     (R3PAGE + 4)
%define SAVED_ESP 0x0700

%define SEL_FLAT0  0x18         ; SYSENTER_CS: flat code, then data at 20h
%define SEL_CODE3  0x2B
%define SEL_DATA3  0x33
%define SEL_TSS    0x38

%define MARK(p)  (0xC0DE0000 | ((p) >> 12))
%define PTE(n)   (PT1 + (n) * 4)
%define LIN(n)   (TEST + (n) * 0x1000)
; physical pages
%define PG_RW    0x00200000     ; LIN(0)
%define PG_CODE  0x00210000     ; LIN(2) (alias A, R/W) and LIN(3) (alias B)
%define PG_F1    0x00211000     ; LIN(4) before and after INVLPG
%define PG_F2    0x00212000
%define PG_U1    0x00213000     ; LIN(5): user R/W
%define PG_U2    0x00216000     ;   ... remapped
%define PG_URO   0x00214000     ; LIN(6): user read-only
%define PG_SUP   0x00215000     ; LIN(7): supervisor R/W
%define PG_GLB1  0x00217000     ; LIN(8): global
%define PG_GLB2  0x00218000

; RING3 entry: SYSEXIT to the ring-3 code at `entry` (flat CS 2Bh, SS
; 33h, ESP = STACK3), which ends with SYSENTER; continue after the macro
; at ring 0 with CS = 08h and the flat data segments again.
%macro RING3 1
        mov [SAVED_ESP], esp
        mov ecx, 0x176
        mov eax, ROMBASE + %%back
        xor edx, edx
        wrmsr
        mov ecx, STACK3
        mov edx, ROMBASE + %1
        sysexit
%%back: jmp dword 0x08:%%cs08
%%cs08: mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov esp, [SAVED_ESP]
%endmacro

start:
        mov al, 0xFF
        out 0x21, al
        out 0xA1, al
        RZ_PM_ENTER
        ; GDT to RAM (LTR writes the busy bit), TSS, SYSENTER MSRs
        mov esi, gdt
        mov edi, GDT_RAM
        mov ecx, gdt_end - gdt
        cs rep movsb
        lgdt [cs:gdt_ram_desc]
        mov edi, TSS
        xor eax, eax
        mov ecx, 0x68 / 4
        rep stosd
        mov dword [TSS + 4], ESP0
        mov dword [TSS + 8], 0x10
        mov word [TSS + 0x66], 0x68
        mov ax, SEL_TSS
        ltr ax
        xor edx, edx
        mov ecx, 0x174
        mov eax, SEL_FLAT0
        wrmsr
        mov ecx, 0x175
        mov eax, ESP0 - 0x100
        wrmsr

        ; ---- page tables ----
        mov edi, PD
        xor eax, eax
        mov ecx, 3 * 1024
        rep stosd
        mov edi, PT0                    ; identity, supervisor R/W ...
        mov eax, 0x003
        mov ecx, 1024
.ident: stosd
        add eax, 0x1000
        loop .ident
        mov dword [PT0 + (R3PAGE >> 12) * 4], R3PAGE | 0x007
        mov edi, PT0 + 0xF0 * 4         ; ... the ROM user read-only
        mov eax, 0x000F0005
        mov ecx, 16
.rom:   stosd
        add eax, 0x1000
        loop .rom
        mov dword [PD + 0 * 4], PT0 | 0x007
        mov dword [PD + 1 * 4], PT1 | 0x007
        mov edi, 0x00200000             ; markers of pages 200000h..21FFFFh
.mark:  mov eax, edi
        shr eax, 12
        or eax, 0xC0DE0000
        mov [edi], eax
        add edi, 0x1000
        cmp edi, 0x00220000
        jb .mark
        mov dword [PTE(0)], PG_RW | 0x003
        mov dword [PTE(1)], 0           ; not present (read-only later)
        mov dword [PTE(2)], PG_CODE | 0x003
        mov dword [PTE(3)], PG_CODE | 0x001
        mov dword [PTE(4)], PG_F1 | 0x001
        mov dword [PTE(5)], PG_U1 | 0x007
        mov dword [PTE(6)], PG_URO | 0x005
        mov dword [PTE(7)], PG_SUP | 0x003
        mov dword [PTE(8)], PG_GLB1 | 0x103
        ; code at PG_F1 / PG_F2: mov eax, imm32; ret
        mov byte [PG_F1 + 0x100], 0xB8
        mov dword [PG_F1 + 0x101], 0xF1F1F1F1
        mov byte [PG_F1 + 0x105], 0xC3
        mov byte [PG_F2 + 0x100], 0xB8
        mov dword [PG_F2 + 0x101], 0xF2F2F2F2
        mov byte [PG_F2 + 0x105], 0xC3

        ; ---- paging on: PGE, WP = 1 ----
        mov eax, 0x80
        mov cr4, eax
        mov eax, PD
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80010000
        mov cr0, eax
        jmp .on
.on:    mov dword [EXC_CNT], 0

        ; ==== page-crossing accesses that fault on the second page ====
        ; first page in the write TLB before the tests
        mov dword [LIN(0) + 0xFF8], 0x11223344
        mov dword [LIN(0) + 0xFFC], 0x55667788
        mov eax, 0xAABBCCDD
        ; not present: a dword store, 2 bytes in each page
        mov dword [EXC_SKIP], .x1_end - .x1
.x1:    mov [LIN(1) - 2], eax
.x1_end:
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], 14
        CHECK32 dword [EXC_ERR], 2
        CHECK32 dword [EXC_CR2], LIN(1)
        CHECK32 dword [EXC_EIP], .x1
        CHECK32 dword [LIN(0) + 0xFFC], 0x55667788
        ; a word store with 1 byte in each page
        mov dword [EXC_SKIP], .x2_end - .x2
.x2:    mov [LIN(1) - 1], ax
.x2_end:
        CHECK32 dword [EXC_ERR], 2
        CHECK32 dword [EXC_CR2], LIN(1)
        CHECK32 dword [LIN(0) + 0xFFC], 0x55667788
        ; read-modify-write forms
        mov dword [EXC_SKIP], .x3_end - .x3
.x3:    add [LIN(1) - 1], ax
.x3_end:
        CHECK32 dword [EXC_ERR], 2
        CHECK32 dword [EXC_CR2], LIN(1)
        CHECK32 dword [EXC_EIP], .x3
        mov dword [EXC_SKIP], .x4_end - .x4
.x4:    lock or dword [LIN(1) - 3], 0xFFFFFFFF
.x4_end:
        CHECK32 dword [EXC_ERR], 2
        CHECK32 dword [EXC_CR2], LIN(1)
        mov dword [EXC_SKIP], .x5_end - .x5
.x5:    xchg [LIN(1) - 2], eax
.x5_end:
        CHECK32 dword [EXC_ERR], 2
        CHECK32 eax, 0xAABBCCDD
        CHECK32 dword [LIN(0) + 0xFFC], 0x55667788
        ; a load: error 0, the register unchanged
        mov dword [EXC_SKIP], .x6_end - .x6
.x6:    mov eax, [LIN(1) - 2]
.x6_end:
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_CR2], LIN(1)
        CHECK32 eax, 0xAABBCCDD
        CHECK32 dword [EXC_CNT], 6
        ; second page present but read-only (WP = 1): P | W/R
        mov dword [PTE(1)], PG_RW + 0x1000 | 0x001
        mov dword [EXC_SKIP], .x7_end - .x7
.x7:    mov [LIN(1) - 2], eax
.x7_end:
        CHECK32 dword [EXC_ERR], 3
        CHECK32 dword [EXC_CR2], LIN(1)
        CHECK32 dword [EXC_EIP], .x7
        mov dword [EXC_SKIP], .x8_end - .x8
.x8:    add [LIN(1) - 1], ax
.x8_end:
        CHECK32 dword [EXC_ERR], 3
        CHECK32 dword [EXC_CR2], LIN(1)
        CHECK32 dword [LIN(0) + 0xFFC], 0x55667788
        CHECK32 dword [LIN(1)], MARK(PG_RW + 0x1000)
        ; the crossing load is fine, and the D bit of the read-only page
        ; stays clear
        CHECK32 dword [LIN(1) - 2], ((MARK(PG_RW + 0x1000) & 0xFFFF) << 16) | 0x5566
        mov eax, [PTE(1)]
        and eax, 0x60
        CHECK32 eax, 0x20
        ; the first page faults: CR2 is the access's own address
        mov dword [PTE(1)], PG_RW + 0x1000 | 0x003
        invlpg [LIN(1)]
        mov dword [PTE(0)], PG_RW | 0x001
        invlpg [LIN(0)]
        mov dword [EXC_SKIP], .x9_end - .x9
.x9:    mov [LIN(1) - 2], eax
.x9_end:
        CHECK32 dword [EXC_ERR], 3
        CHECK32 dword [EXC_CR2], LIN(1) - 2
        CHECK32 dword [LIN(1)], MARK(PG_RW + 0x1000)
        CHECK32 dword [EXC_CNT], 9
        mov dword [PTE(0)], PG_RW | 0x003
        invlpg [LIN(0)]
        mov dword [LIN(1) - 2], 0x12345678      ; and now it works
        CHECK32 dword [LIN(0) + 0xFFC], 0x56787788
        CHECK32 word [LIN(1)], 0x1234

        ; ==== self-modifying code through an alias ====
        ; PG_CODE: mov eax, imm32; ret.  Written through alias A (which
        ; is then in the write TLB), run through alias B.
        mov byte [LIN(2) + 0x40], 0xB8
        mov dword [LIN(2) + 0x41], 0x0000000A
        mov byte [LIN(2) + 0x45], 0xC3
        mov esi, LIN(3) + 0x40 - ROMBASE
        call esi
        CHECK32 eax, 0x0A
        ; rewrite through alias A (the page now holds decoded code)
        mov dword [LIN(2) + 0x41], 0x0000000B
        xor eax, eax
        cpuid
        call esi
        CHECK32 eax, 0x0B
        ; a byte store, and a read-modify-write
        mov byte [LIN(2) + 0x41], 0x0C
        cpuid
        call esi
        CHECK32 eax, 0x0C
        add dword [LIN(2) + 0x41], 0x100
        cpuid
        call esi
        CHECK32 eax, 0x10C
        ; a store that crosses into the next instruction's bytes: the
        ; imm32 and the RET become mov eax, 0DDh; nop; ret
        mov byte [LIN(2) + 0x46], 0xC3
        mov dword [LIN(2) + 0x42], 0x90000000
        mov byte [LIN(2) + 0x41], 0xDD
        xor eax, eax
        cpuid
        call esi
        CHECK32 eax, 0xDD
        ; and the new code is also what alias A runs
        mov esi, LIN(2) + 0x40 - ROMBASE
        call esi
        CHECK32 eax, 0xDD
        CHECK32 dword [EXC_CNT], 9

        ; ==== INVLPG drops fetch translations ====
        mov esi, LIN(4) + 0x100 - ROMBASE
        call esi
        CHECK32 eax, 0xF1F1F1F1
        mov dword [PTE(4)], PG_F2 | 0x001
        invlpg [LIN(4) + 0xABC]
        call esi
        CHECK32 eax, 0xF2F2F2F2

        ; ==== CR0.WP and supervisor writes to read-only pages ====
        ; WP = 1: user read-only and supervisor read-only both fault,
        ; U/S = 0 in the error code
        mov dword [EXC_SKIP], .w1_end - .w1
.w1:    mov dword [LIN(6) + 8], 1
.w1_end:
        CHECK32 dword [EXC_ERR], 3
        CHECK32 dword [EXC_CR2], LIN(6) + 8
        mov dword [EXC_SKIP], .w2_end - .w2
.w2:    mov dword [LIN(3) + 8], 1
.w2_end:
        CHECK32 dword [EXC_ERR], 3
        CHECK32 dword [EXC_CR2], LIN(3) + 8
        CHECK32 dword [EXC_CNT], 11
        ; WP = 0: both allowed, and D gets set
        mov eax, cr0
        and eax, ~0x00010000
        mov cr0, eax
        mov dword [LIN(6) + 8], 0x66
        CHECK32 dword [LIN(6) + 8], 0x66
        mov eax, [PTE(6)]
        and eax, 0x60
        CHECK32 eax, 0x60
        ; WP = 1 again: the write translation made under WP = 0 is gone
        mov eax, cr0
        or eax, 0x00010000
        mov cr0, eax
        mov dword [EXC_SKIP], .w3_end - .w3
.w3:    mov dword [LIN(6) + 8], 1
.w3_end:
        CHECK32 dword [EXC_ERR], 3
        CHECK32 dword [LIN(6) + 8], 0x66
        CHECK32 dword [EXC_CNT], 12

        ; ==== CPL 3 ====
        ; Ring 3 cannot write EXC_SKIP (a supervisor page): every faulting
        ; ring-3 access is a 5-byte MOV EAX, [moffs] or MOV [moffs], EAX.
        mov dword [EXC_SKIP], 5
        ; the supervisor uses LIN(7) and LIN(5) first (supervisor TLB set)
        CHECK32 dword [LIN(7)], MARK(PG_SUP)
        mov dword [LIN(5) + 4], 0x55
        CHECK32 dword [LIN(5)], MARK(PG_U1)
        mov dword [EXC_CNT], 0
        RING3 r3_access
        CHECK32 dword [EXC_CNT], 0
        CHECK32 dword [R3_A], MARK(PG_U1)
        CHECK32 dword [R3_B], MARK(PG_URO)
        CHECK32 dword [LIN(5) + 8], 0x3333
        ; user read of the supervisor page just used: P | U/S
        RING3 r3_sup_read
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], 14
        CHECK32 dword [EXC_ERR], 5
        CHECK32 dword [EXC_CR2], LIN(7) + 0x10
        CHECK32 dword [EXC_EIP], ROMBASE + r3_sup_read.f
        CHECK32 dword [R3_A], 0x0BADC0DE        ; EAX unchanged
        ; user write to a supervisor page: P | W/R | U/S
        RING3 r3_sup_write
        CHECK32 dword [EXC_CNT], 2
        CHECK32 dword [EXC_ERR], 7
        CHECK32 dword [EXC_CR2], LIN(7) + 0x30
        CHECK32 dword [EXC_EIP], ROMBASE + r3_sup_write.f
        CHECK32 dword [LIN(7) + 0x30], 0
        ; user write to a user read-only page, WP = 1 and WP = 0
        RING3 r3_ro_write
        CHECK32 dword [EXC_CNT], 3
        CHECK32 dword [EXC_ERR], 7
        CHECK32 dword [EXC_CR2], LIN(6) + 0x24
        mov eax, cr0
        and eax, ~0x00010000
        mov cr0, eax
        RING3 r3_ro_write
        CHECK32 dword [EXC_CNT], 4
        CHECK32 dword [EXC_ERR], 7
        CHECK32 dword [EXC_CR2], LIN(6) + 0x24
        CHECK32 dword [EXC_EIP], ROMBASE + r3_ro_write.f
        CHECK32 dword [LIN(6) + 0x24], 0
        mov eax, cr0
        or eax, 0x00010000
        mov cr0, eax
        ; INVLPG at CPL 0 reaches the user set: ring 3 read LIN(5)
        ; above, now it is remapped
        mov dword [PTE(5)], PG_U2 | 0x007
        invlpg [LIN(5)]
        RING3 r3_read5
        CHECK32 dword [EXC_CNT], 4
        CHECK32 dword [R3_A], MARK(PG_U2)
        mov dword [EXC_CNT], 0

        ; ==== MOV CR3 keeps global pages, a PGE change drops them ====
        CHECK32 dword [LIN(8)], MARK(PG_GLB1)
        mov dword [PTE(8)], PG_GLB2 | 0x103
        mov dword [PTE(0)], PG_RW + 0x2000 | 0x003
        mov eax, cr3
        mov cr3, eax
        CHECK32 dword [LIN(0)], MARK(PG_RW + 0x2000)
        ; (the SDM allows a global translation to stay cached, 4.10.2.4;
        ; the emulator and Bochs keep it)
        CHECK32 dword [LIN(8)], MARK(PG_GLB1)
        mov eax, cr4
        and eax, ~0x80
        mov cr4, eax
        CHECK32 dword [LIN(8)], MARK(PG_GLB2)
        CHECK32 dword [EXC_CNT], 0
        PASS32

; ---- ring-3 code (flat CS: EIP = ROMBASE + label) ----
r3_access:
        mov ax, SEL_DATA3
        mov ds, ax
        mov eax, [LIN(5)]               ; user page the supervisor used
        mov [R3_A], eax
        mov dword [LIN(5) + 8], 0x3333
        mov eax, [LIN(6)]               ; user read-only: reads are fine
        mov [R3_B], eax
        sysenter

r3_sup_read:
        mov ax, SEL_DATA3
        mov ds, ax
        mov eax, 0x0BADC0DE
.f:     mov eax, [LIN(7) + 0x10]
        mov [R3_A], eax
        sysenter

r3_sup_write:
        mov ax, SEL_DATA3
        mov ds, ax
        mov eax, 1
.f:     mov [LIN(7) + 0x30], eax
        sysenter

r3_ro_write:
        mov ax, SEL_DATA3
        mov ds, ax
        mov eax, 1
.f:     mov [LIN(6) + 0x24], eax
        sysenter

r3_read5:
        mov ax, SEL_DATA3
        mov ds, ax
        mov eax, [LIN(5)]
        mov [R3_A], eax
        sysenter

; exception stubs: record vector, error code, CR2 and EIP; resume at EIP
        RZ_PM_EXCEPTIONS

        RZ_GDT_BEGIN
        ; 18h: flat code, DPL 0 (SYSENTER CS); 20h: flat data, DPL 0
        dw 0xFFFF, 0x0000
        db 0x00, 0x9B, 0xCF, 0x00
        dw 0xFFFF, 0x0000
        db 0x00, 0x93, 0xCF, 0x00
        ; 28h: flat code, DPL 3 (SYSEXIT CS); 30h: flat data, DPL 3
        dw 0xFFFF, 0x0000
        db 0x00, 0xFB, 0xCF, 0x00
        dw 0xFFFF, 0x0000
        db 0x00, 0xF3, 0xCF, 0x00
        ; 38h: 32-bit TSS at TSS
        dw 0x0067, TSS
        db 0x00, 0x89, 0x00, 0x00
        RZ_GDT_END
gdt_ram_desc:
        dw gdt_end - gdt - 1
        dd GDT_RAM

        RZ_RUNTIME32
        RZ_RESET_VECTOR
