; 32-bit paging at CPL 0: 4 KiB and 4 MiB (PSE) pages, #PF error codes
; and CR2, CR0.WP, A and D bits, INVLPG, CR3 reloads and global pages
; (SDM vol. 3, chapter 4).
;
; Elsewhere: CPL 3 accesses and the U/S bit of the error code in
; pm_tlb.asm and tests/mmu/test_paging.c, PAE in pm_pae.asm.
;
; Passes on Bochs 2.7 (p2_klamath).  QEMU (TCG) fails two kinds of check
; where it departs from Bochs: it drops global translations on every
; MOV CR3 (allowed: keeping them is optional, SDM vol. 3, 4.10.2.4) and
; it does not fault on bit 21 of a 4 MiB PDE (reserved, SDM vol. 3,
; table 4-4).
%include "rz_test.inc"


; Paging structures (identity-mapped below 4 MiB)
%define PD       0x00100000
%define PT0      0x00101000     ; identity map of 0..4 MiB
%define PT1      0x00102000     ; the test pages at 4 MiB
%define PD2      0x00103000     ; a second directory ...
%define PT2      0x00104000     ; ... whose PDE 1 names this table
%define TEST     0x00400000     ; linear address of PT1's first page
%define BIG      0x00800000     ; PDE 2: a 4 MiB page
%define BIGPHYS  0x01000000
%define BIGPHYS2 0x01400000
%define RSVD     0x00C00000     ; PDE 3: 4 MiB page with a reserved bit

; Marker of a physical page: its first dword.
%define MARK(p)  (0xC0DE0000 | ((p) >> 12))

; PT1 entry n maps TEST + n * 4 KiB
%define PTE(n)   (PT1 + (n) * 4)
%define LIN(n)   (TEST + (n) * 0x1000)

start:
        RZ_PM_ENTER

        ; ---- page tables (paging off: linear = physical) ----
        mov edi, PD
        xor eax, eax
        mov ecx, 5 * 1024               ; PD, PT0, PT1, PD2, PT2
        rep stosd
        mov edi, PT0                    ; identity map, supervisor R/W
        mov eax, 0x003
        mov ecx, 1024
.ident: stosd
        add eax, 0x1000
        loop .ident
        mov dword [PD + 0 * 4], PT0 | 0x003
        mov dword [PD + 1 * 4], PT1 | 0x007        ; user R/W table
        mov dword [PD + 2 * 4], BIGPHYS | 0x083    ; 4 MiB, R/W, A = D = 0
        ; markers: the first dword of every physical page 200000h..21FFFFh
        mov edi, 0x00200000
.mark:  mov eax, edi
        shr eax, 12
        or eax, 0xC0DE0000
        mov [edi], eax
        add edi, 0x1000
        cmp edi, 0x00220000
        jb .mark
        mov dword [BIGPHYS + 0x12344], 0x4B1600D1
        mov dword [BIGPHYS2 + 0x12344], 0x4B1600D2
        mov dword [0x00205FFC], 0x11112222
        mov dword [0x01A00000 + 4 * 4], 0x00205000 | 0x003
        ; the test pages
        mov dword [PTE(0)], 0x00205000 | 0x003     ; scrambled R/W page
        mov dword [PTE(1)], 0xFFFFF006             ; P = 0, the rest ignored
        mov dword [PTE(2)], 0x00206000 | 0x001     ; read-only (WP = 0 test)
        mov dword [PTE(3)], 0x00207000 | 0x003     ; A/D test
        mov dword [PTE(4)], 0x00208000 | 0x003     ; INVLPG test
        mov dword [PTE(5)], 0x0020A000 | 0x003     ; CR3 reload test
        mov dword [PTE(6)], 0x0020C000 | 0x103     ; global
        mov dword [PTE(7)], 0x0020E000 | 0x001     ; read-only (WP = 1 test)
        mov dword [PTE(8)], 0x0020F000 | 0x007     ; user R/W
        mov dword [PTE(9)], 0x00210000 | 0x005     ; user read-only
        mov dword [PTE(15)], 0x00205000 | 0x003    ; alias of page 0

        ; ---- paging on: CR4.PSE | PGE, CR3, CR0.PG (WP = 0) ----
        mov eax, 0x90
        mov cr4, eax
        mov eax, PD
        mov cr3, eax
        mov eax, cr0
        and eax, ~0x00010000
        or eax, 0x80000000
        mov cr0, eax
        jmp .flushq
.flushq:
        mov dword [EXC_CNT], 0
        mov eax, cr0
        CHECK32 eax, 0xE0000011
        mov eax, cr3
        CHECK32 eax, PD

        ; ---- 4 KiB page at a scrambled address, and an alias ----
        CHECK32 dword [LIN(0)], MARK(0x00205000)
        CHECK32 dword [LIN(0) + 0xFFC], 0x11112222
        mov dword [LIN(15) + 0x10], 0x600DCAFE
        CHECK32 dword [LIN(0) + 0x10], 0x600DCAFE
        CHECK32 dword [EXC_CNT], 0
        ; the page tables themselves got A (and D for written entries)
        mov eax, [PTE(0)]
        and eax, 0x60
        CHECK32 eax, 0x20
        mov eax, [PTE(15)]
        and eax, 0x60
        CHECK32 eax, 0x60
        mov eax, [PD + 1 * 4]
        and eax, 0x60
        CHECK32 eax, 0x20                 ; A only: D is ignored in a PDE

        ; ---- 4 MiB page ----
        CHECK32 dword [BIG + 0x12344], 0x4B1600D1
        mov eax, [PD + 2 * 4]
        and eax, 0x60
        CHECK32 eax, 0x20
        mov dword [BIG + 0x3FFFFC], 0x0BADF00D   ; last dword of the page
        mov eax, [PD + 2 * 4]
        and eax, 0x60
        CHECK32 eax, 0x60
        ; INVLPG of another address in the same 4 MiB page drops it all
        mov dword [PD + 2 * 4], BIGPHYS2 | 0x083
        invlpg [BIG + 0x3FF000]
        CHECK32 dword [BIG + 0x12344], 0x4B1600D2
        CHECK32 dword [EXC_CNT], 0

        ; ---- #PF: not present ----
        mov dword [EXC_SKIP], .np1_end - .np1
.np1:   mov eax, [LIN(1) + 0x234]
.np1_end:
        CHECK32 dword [EXC_VEC], 14
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_CR2], LIN(1) + 0x234
        CHECK32 dword [EXC_EIP], .np1
        mov dword [EXC_SKIP], .np2_end - .np2
.np2:   mov dword [LIN(1) + 0xFFF], 0x12345678
.np2_end:
        CHECK32 dword [EXC_ERR], 2
        CHECK32 dword [EXC_CR2], LIN(1) + 0xFFF
        CHECK32 dword [EXC_EIP], .np2
        ; PDE not present
        mov dword [EXC_SKIP], .np3_end - .np3
.np3:   mov byte [0x00C01234], 1
.np3_end:
        CHECK32 dword [EXC_ERR], 2
        CHECK32 dword [EXC_CR2], 0x00C01234
        ; a dword straddling a present and a not-present page: CR2 is
        ; the first byte of the missing page, nothing is written
        mov dword [LIN(0) + 0xFFC], 0x11112222
        mov dword [EXC_SKIP], .np4_end - .np4
.np4:   mov dword [LIN(0) + 0xFFE], 0xAAAABBBB
.np4_end:
        CHECK32 dword [EXC_ERR], 2
        CHECK32 dword [EXC_CR2], LIN(1)
        CHECK32 dword [LIN(0) + 0xFFC], 0x11112222
        ; instruction fetch from a not-present page: error 0 (no I/D
        ; bit without NX), EIP = CR2 - CS base; the handler returns to
        ; .fetch_back
        mov dword [EXC_SKIP], .fetch_back - (LIN(1) - ROMBASE)
        mov eax, LIN(1) - ROMBASE
        jmp eax
.fetch_back:
        CHECK32 dword [EXC_VEC], 14
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_CR2], LIN(1)
        CHECK32 dword [EXC_EIP], LIN(1) - ROMBASE
        CHECK32 dword [EXC_CNT], 5

        ; ---- CR0.WP: supervisor writes to read-only pages ----
        mov dword [EXC_CNT], 0
        mov dword [LIN(2) + 8], 0x57575757       ; WP = 0: allowed
        CHECK32 dword [LIN(2) + 8], 0x57575757
        mov dword [LIN(9) + 8], 0x59595959       ; user read-only too
        CHECK32 dword [LIN(9) + 8], 0x59595959
        mov dword [LIN(8) + 8], 0x58585858       ; user R/W
        CHECK32 dword [LIN(8) + 8], 0x58585858
        CHECK32 dword [EXC_CNT], 0
        mov eax, [PTE(2)]
        and eax, 0x60
        CHECK32 eax, 0x60
        mov eax, cr0
        or eax, 0x00010000
        mov cr0, eax
        ; WP = 1: the same write now faults, P | W/R, and nothing changes
        mov dword [EXC_SKIP], .wp1_end - .wp1
.wp1:   mov dword [LIN(2) + 8], 0
.wp1_end:
        CHECK32 dword [EXC_VEC], 14
        CHECK32 dword [EXC_ERR], 3
        CHECK32 dword [EXC_CR2], LIN(2) + 8
        CHECK32 dword [EXC_EIP], .wp1
        CHECK32 dword [LIN(2) + 8], 0x57575757
        ; a read-only page never written: the faulting write sets no D
        CHECK32 dword [LIN(7)], MARK(0x0020E000)
        mov dword [EXC_SKIP], .wp2_end - .wp2
.wp2:   add dword [LIN(7) + 0x123], 5
.wp2_end:
        CHECK32 dword [EXC_ERR], 3
        CHECK32 dword [EXC_CR2], LIN(7) + 0x123
        mov eax, [PTE(7)]
        and eax, 0x60
        CHECK32 eax, 0x20
        ; user read-only page at CPL 0: U/S = 0 in the error code
        mov dword [EXC_SKIP], .wp3_end - .wp3
.wp3:   mov byte [LIN(9) + 8], 0
.wp3_end:
        CHECK32 dword [EXC_ERR], 3
        CHECK32 dword [EXC_CR2], LIN(9) + 8
        CHECK32 dword [EXC_CNT], 3
        ; a read-only PDE makes the whole table read-only with WP = 1
        and dword [PD + 1 * 4], ~0x002
        invlpg [LIN(8)]
        mov dword [EXC_SKIP], .wp4_end - .wp4
.wp4:   mov dword [LIN(8) + 8], 0
.wp4_end:
        CHECK32 dword [EXC_ERR], 3
        CHECK32 dword [EXC_CR2], LIN(8) + 8
        CHECK32 dword [LIN(8) + 8], 0x58585858
        or dword [PD + 1 * 4], 0x002
        invlpg [LIN(8)]
        mov dword [LIN(8) + 8], 0x58585859
        CHECK32 dword [LIN(8) + 8], 0x58585859
        CHECK32 dword [EXC_CNT], 4
        mov eax, cr0
        and eax, ~0x00010000
        mov cr0, eax

        ; ---- A and D bits ----
        mov eax, [PTE(3)]
        and eax, 0x60
        CHECK32 eax, 0                    ; untouched
        mov eax, [LIN(3) + 0x40]
        mov eax, [PTE(3)]
        and eax, 0x60
        CHECK32 eax, 0x20                 ; read: A only
        mov eax, [LIN(3) + 0x80]
        mov eax, [PTE(3)]
        and eax, 0x60
        CHECK32 eax, 0x20
        mov dword [LIN(3) + 0x40], 1
        mov eax, [PTE(3)]
        and eax, 0x60
        CHECK32 eax, 0x60                 ; write: A and D
        ; cleared by software and flushed: a read sets A again, not D
        and dword [PTE(3)], ~0x60
        invlpg [LIN(3)]
        mov eax, [LIN(3)]
        mov eax, [PTE(3)]
        and eax, 0x60
        CHECK32 eax, 0x20
        ; a first access that is a write sets both at once
        and dword [PTE(3)], ~0x60
        invlpg [LIN(3)]
        mov byte [LIN(3) + 1], 7
        mov eax, [PTE(3)]
        and eax, 0x60
        CHECK32 eax, 0x60

        ; ---- INVLPG makes a changed PTE visible ----
        CHECK32 dword [LIN(4)], MARK(0x00208000)
        mov dword [PTE(4)], 0x00209000 | 0x003
        invlpg [LIN(4) + 0x800]
        CHECK32 dword [LIN(4)], MARK(0x00209000)
        mov dword [LIN(4) + 4], 0x44444444      ; write TLB follows too
        mov dword [PTE(4)], 0x00208000 | 0x003
        invlpg [LIN(4)]
        CHECK32 dword [LIN(4) + 4], 0
        mov dword [PTE(4)], 0x00209000 | 0x003
        invlpg [LIN(4)]
        CHECK32 dword [LIN(4) + 4], 0x44444444
        ; INVLPG of a not-present page does not fault
        invlpg [LIN(1)]
        invlpg [0x00C00000]
        CHECK32 dword [EXC_CNT], 4

        ; ---- MOV CR3 flushes non-global entries, keeps global ones ----
        CHECK32 dword [LIN(5)], MARK(0x0020A000)
        CHECK32 dword [LIN(6)], MARK(0x0020C000)
        mov dword [PTE(5)], 0x0020B000 | 0x003
        mov dword [PTE(6)], 0x0020D000 | 0x103
        mov eax, cr3
        mov cr3, eax                      ; same value: still a flush
        CHECK32 dword [LIN(5)], MARK(0x0020B000)
        ; the global translation survives (what Bochs and the emulator
        ; do; the SDM allows it to stay cached, vol. 3, 4.10.2.4)
        CHECK32 dword [LIN(6)], MARK(0x0020C000)
        ; a CR4.PGE change flushes global entries too (SDM vol. 3, 4.10.4.1)
        mov eax, cr4
        and eax, ~0x80
        mov cr4, eax
        CHECK32 dword [LIN(6)], MARK(0x0020D000)
        mov eax, cr4
        or eax, 0x80
        mov cr4, eax
        ; a global 4 MiB page also survives MOV CR3
        mov dword [PD + 2 * 4], BIGPHYS | 0x183
        invlpg [BIG]
        CHECK32 dword [BIG + 0x12344], 0x4B1600D1
        mov dword [PD + 2 * 4], BIGPHYS2 | 0x183
        mov eax, cr3
        mov cr3, eax
        CHECK32 dword [BIG + 0x12344], 0x4B1600D1
        invlpg [BIG + 0x12344]            ; INVLPG drops global entries
        CHECK32 dword [BIG + 0x12344], 0x4B1600D2

        ; ---- MOV CR3 to another directory, and back ----
        mov esi, PD
        mov edi, PD2
        mov ecx, 1024
        rep movsd
        mov dword [PD2 + 1 * 4], PT2 | 0x003
        mov dword [PT2], 0x00211000 | 0x003
        CHECK32 dword [LIN(0)], MARK(0x00205000)
        mov eax, PD2
        mov cr3, eax
        CHECK32 dword [LIN(0)], MARK(0x00211000)
        mov eax, cr3
        CHECK32 eax, PD2
        mov eax, PD
        mov cr3, eax
        CHECK32 dword [LIN(0)], MARK(0x00205000)

        ; ---- reserved bits of a 4 MiB PDE (bit 21: SDM vol. 3, table 4-4) ----
        mov dword [PD + 3 * 4], 0x01800000 | 0x00200000 | 0x083
        mov dword [EXC_SKIP], .rsv1_end - .rsv1
.rsv1:  mov eax, [RSVD + 0x10]
.rsv1_end:
        CHECK32 dword [EXC_VEC], 14
        CHECK32 dword [EXC_ERR], 0x9      ; P | RSVD
        CHECK32 dword [EXC_CR2], RSVD + 0x10
        mov dword [EXC_SKIP], .rsv2_end - .rsv2
.rsv2:  mov dword [RSVD + 0x14], 0
.rsv2_end:
        CHECK32 dword [EXC_ERR], 0xB      ; P | W/R | RSVD
        mov eax, [PD + 3 * 4]
        and eax, 0x60
        CHECK32 eax, 0                    ; no A bit on a faulting walk
        ; with CR4.PSE = 0 the PS bit is ignored: PDE 3 names the page
        ; table at 1A00000h, whose entry 4 maps 205000h
        mov eax, cr4
        and eax, ~0x10
        mov cr4, eax
        CHECK32 dword [RSVD + 0x4000], MARK(0x00205000)
        mov eax, cr4
        or eax, 0x10
        mov cr4, eax
        CHECK32 dword [EXC_CNT], 6

        ; ---- paging off again: linear = physical ----
        mov eax, cr0
        and eax, ~0x80000000
        mov cr0, eax
        jmp .off
.off:   CHECK32 dword [0x00208000 + 4], 0
        CHECK32 dword [0x00209000 + 4], 0x44444444
        CHECK32 dword [BIGPHYS + 0x3FFFFC], 0x0BADF00D
        PASS32

; exception stubs: record vector, error code, CR2 and EIP; resume at EIP
        RZ_PM_EXCEPTIONS

        RZ_GDT_BEGIN
        RZ_GDT_END

        RZ_RUNTIME32
        RZ_RESET_VECTOR
