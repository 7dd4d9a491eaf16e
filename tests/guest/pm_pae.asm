; PAE paging at CPL 0 (SDM vol. 3, 4.4): the PDPTE registers loaded by
; MOV CR0/CR3/CR4 and used instead of memory, #GP(0) for a reserved bit
; in a present PDPTE (register unchanged), 4 KiB and 2 MiB pages, A and
; D bits, #PF error codes and CR2, CPUID.01H:EDX.PAE.
;
; The emulated P6 has MAXPHYADDR 36, no NX and no PAT (PAT came with the
; Pentium III), so bits 63:36 of every entry, PTE bit 7 and bit 12 of a
; 2 MiB PDE are reserved (SDM vol. 3, 4.4.1 table 4-8, 4.4.2 "If the PAT
; is not supported").
;
; Cross-checked on Bochs 2.7 (p2_klamath) assembled with -DBOCHS_XCHECK,
; which leaves out the checks where Bochs departs from the SDM for a P6:
; it treats physical-address bits 36-39 as valid (a 40-bit MAXPHYADDR)
; and does not check the PAT bits.  Everything else passes there.
; QEMU (TCG) fails early: it keeps no PDPTE registers (no #GP at the load).
%include "rz_test.inc"

%define PDPT     0x00100000     ; good table: PDPTE 0 -> PD0, 1 -> PD1
%define PDPT_BAD 0x00100020     ; PDPTE 1 sets a reserved bit
%define PDPT_ALT 0x00100040     ; PDPTE 1 -> PD1B
%define PD0      0x00101000     ; linear 0..1 GiB
%define PT0      0x00102000     ; identity map of 0..2 MiB (4 KiB pages)
%define PT1      0x00103000     ; the 4 KiB test pages at 4 MiB
%define PD1      0x00104000     ; linear 1..2 GiB: PDE 0 -> 2 MiB at 1000000h
%define PD1B     0x00105000     ; PDE 0 -> 2 MiB at 1200000h
%define BIG      0x00200000     ; linear: PDE 1 of PD0, 2 MiB page at ...
%define BIGPHYS  0x00800000
%define TEST     0x00400000     ; linear: PDE 2 of PD0 -> PT1
%define HIGH     0x40000000     ; linear: PDPTE 1
%define RSV2M    0x00600000     ; linear: PDE 3 of PD0, reserved-bit tests

%define MARK(p)  (0xC0DE0000 | ((p) >> 12))
%define PTE(n)   (PT1 + (n) * 8)
%define LIN(n)   (TEST + (n) * 0x1000)

; PAE_ON: CR4.PAE, CR3 = PDPT, CR0.PG (WP = 0)
%macro PAE_ON 0
        mov eax, 0x20
        mov cr4, eax
        mov eax, PDPT
        mov cr3, eax
        mov eax, cr0
        and eax, ~0x00010000
        or eax, 0x80000000
        mov cr0, eax
%endmacro

start:
        RZ_PM_ENTER

        ; ---- CPUID reports PAE (and CR4.PAE is accepted) ----
        mov eax, 1
        cpuid
        and edx, 0x40
        CHECK32 edx, 0x40

        ; ---- tables (paging off) ----
        mov edi, PDPT
        xor eax, eax
        mov ecx, 6 * 1024
        rep stosd
        mov edi, PT0                    ; identity, supervisor R/W
        mov eax, 0x003
        mov ecx, 512
.ident: mov [edi], eax
        mov dword [edi + 4], 0
        add edi, 8
        add eax, 0x1000
        loop .ident
        mov dword [PDPT + 0], PD0 | 1
        mov dword [PDPT + 8], PD1 | 1
        mov dword [PDPT_BAD + 0], PD0 | 1
        mov dword [PDPT_BAD + 8], PD1 | 1 | 0x4   ; bit 2 is reserved
        mov dword [PDPT_ALT + 0], PD0 | 1
        mov dword [PDPT_ALT + 8], PD1B | 1
        mov dword [PD0 + 0 * 8], PT0 | 0x003
        mov dword [PD0 + 1 * 8], BIGPHYS | 0x083  ; 2 MiB, R/W, A = D = 0
        mov dword [PD0 + 2 * 8], PT1 | 0x003
        mov dword [PD1 + 0], 0x01000000 | 0x083
        mov dword [PD1B + 0], 0x01200000 | 0x083
        ; markers: first dword of physical pages 200000h..21FFFFh
        mov edi, 0x00200000
.mark:  mov eax, edi
        shr eax, 12
        or eax, 0xC0DE0000
        mov [edi], eax
        add edi, 0x1000
        cmp edi, 0x00220000
        jb .mark
        mov dword [BIGPHYS + 0x1FFFFC], 0x2B16E2D0
        mov dword [BIGPHYS + 0x200000 + 0x12344], 0x3B3B3B3B
        mov dword [0x01000000 + 0x1234], 0x11111111
        mov dword [0x01200000 + 0x1234], 0x22222222
        mov dword [PTE(0)], 0x00205000 | 0x003    ; R/W
        mov dword [PTE(1)], 0x00206000 | 0x001    ; read-only
        mov dword [PTE(2)], 0x00207000 | 0x003    ; A/D test
        mov dword [PTE(3)], 0x00208000 | 0x003    ; reserved-bit tests
        mov dword [PTE(4)], 0xFFFFF006            ; not present
        mov dword [PTE(4) + 4], 0xFFFFFFFF
        mov dword [PTE(5)], 0x00209000 | 0x003    ; INVLPG test

        ; ---- enabling with a bad table: #GP(0) on MOV CR0 ----
        mov eax, 0x20
        mov cr4, eax
        mov eax, PDPT_BAD
        mov cr3, eax                    ; paging off: nothing loaded
        mov eax, cr3
        CHECK32 eax, PDPT_BAD
        mov dword [EXC_CNT], 0
        mov eax, cr0
        or eax, 0x80000000
        mov dword [EXC_SKIP], .gp0_end - .gp0
.gp0:   mov cr0, eax
.gp0_end:
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_EIP], .gp0
        mov eax, cr0
        CHECK32 eax, 0x60000011         ; PG still clear

        ; ---- paging on ----
        PAE_ON
        jmp .on
.on:    mov dword [EXC_CNT], 0
        mov eax, cr0
        CHECK32 eax, 0xE0000011
        mov eax, cr4
        CHECK32 eax, 0x20
        mov eax, cr3
        CHECK32 eax, PDPT

        ; ---- 4 KiB pages and the walk's A/D bits ----
        CHECK32 dword [LIN(0)], MARK(0x00205000)
        CHECK32 dword [LIN(1)], MARK(0x00206000)
        mov eax, [PTE(2)]
        and eax, 0x60
        CHECK32 eax, 0
        mov eax, [LIN(2) + 0x10]
        mov eax, [PTE(2)]
        and eax, 0x60
        CHECK32 eax, 0x20               ; read: A
        mov dword [LIN(2) + 0x10], 5
        mov eax, [PTE(2)]
        and eax, 0x60
        CHECK32 eax, 0x60               ; write: A and D
        CHECK32 dword [PTE(2) + 4], 0   ; high dword untouched
        mov eax, [PD0 + 2 * 8]
        and eax, 0x60
        CHECK32 eax, 0x20               ; PDE of a table: A only
        mov eax, [PDPT + 8]
        CHECK32 eax, PD1 | 1            ; no A bit in a PDPTE

        ; ---- a 2 MiB page ----
        CHECK32 dword [BIG + 0x1FFFFC], 0x2B16E2D0
        mov eax, [PD0 + 1 * 8]
        and eax, 0x60
        CHECK32 eax, 0x20
        mov dword [BIG + 0x12344], 0x2A2A2A2A
        mov eax, [PD0 + 1 * 8]
        and eax, 0x60
        CHECK32 eax, 0x60
        ; INVLPG of another address in the page drops all of it
        mov dword [PD0 + 1 * 8], (BIGPHYS + 0x200000) | 0x083
        invlpg [BIG + 0x1FF000]
        CHECK32 dword [BIG + 0x12344], 0x3B3B3B3B
        mov dword [PD0 + 1 * 8], BIGPHYS | 0x083
        invlpg [BIG]
        CHECK32 dword [BIG + 0x12344], 0x2A2A2A2A

        ; ---- PDPTE 1 ----
        CHECK32 dword [HIGH + 0x1234], 0x11111111
        mov eax, [PD1]
        and eax, 0x60
        CHECK32 eax, 0x20

        ; ---- the PDPTE registers: memory changes are ignored until a
        ;      load, even across INVLPG ----
        mov dword [PDPT + 8], PD1B | 1
        invlpg [HIGH + 0x1234]
        CHECK32 dword [HIGH + 0x1234], 0x11111111
        mov dword [PDPT + 8], 0         ; even a not-present PDPTE
        invlpg [HIGH + 0x1234]
        CHECK32 dword [HIGH + 0x1234], 0x11111111
        CHECK32 dword [EXC_CNT], 0
        mov dword [PDPT + 8], PD1B | 1
        mov eax, cr3
        mov cr3, eax                    ; reload (same value)
        CHECK32 dword [HIGH + 0x1234], 0x22222222
        mov dword [PDPT + 8], PD1 | 1
        mov eax, PDPT_ALT
        mov cr3, eax
        CHECK32 dword [HIGH + 0x1234], 0x22222222
        mov eax, PDPT
        mov cr3, eax
        CHECK32 dword [HIGH + 0x1234], 0x11111111

        ; ---- MOV CR3 with a reserved bit in a present PDPTE: #GP(0),
        ;      CR3 and the PDPTE registers unchanged ----
        mov eax, PDPT_BAD
        mov dword [EXC_SKIP], .gp1_end - .gp1
.gp1:   mov cr3, eax
.gp1_end:
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_EIP], .gp1
        mov eax, cr3
        CHECK32 eax, PDPT
        mov dword [PDPT + 8], PD1B | 1  ; the registers still hold PD1
        invlpg [HIGH]
        CHECK32 dword [HIGH + 0x1234], 0x11111111
        mov dword [PDPT + 8], PD1 | 1
        ; bit 63 (no NX), bits 8:5, bit 36: all reserved
        mov dword [PDPT_BAD + 8], PD1 | 1
        mov dword [PDPT_BAD + 12], 0x80000000
        mov eax, PDPT_BAD
        mov dword [EXC_SKIP], .gp2_end - .gp2
.gp2:   mov cr3, eax
.gp2_end:
        CHECK32 dword [EXC_CNT], 2
        CHECK32 dword [EXC_EIP], .gp2
        mov dword [PDPT_BAD + 12], 0
        mov dword [PDPT_BAD + 8], PD1 | 1 | 0x20
.gp3:   mov cr3, eax
        CHECK32 dword [EXC_CNT], 3
        CHECK32 dword [EXC_EIP], .gp3
        mov dword [PDPT_BAD + 8], PD1 | 1
        mov dword [PDPT_BAD + 12], 0x00040000     ; bit 50
.gp4:   mov cr3, eax
        CHECK32 dword [EXC_CNT], 4
        CHECK32 dword [EXC_EIP], .gp4
%ifndef BOCHS_XCHECK
        mov dword [PDPT_BAD + 12], 0x10 ; bit 36: above MAXPHYADDR
.gp4b:  mov cr3, eax
        CHECK32 dword [EXC_EIP], .gp4b
%else
        inc dword [EXC_CNT]
%endif
        CHECK32 dword [EXC_CNT], 5
        ; address bits 35:32 are valid, and P = 0 entries may hold anything
        mov dword [PDPT_BAD + 12], 0x0F
        mov dword [PDPT_BAD + 16], 0xFFFFFFFE
        mov dword [PDPT_BAD + 20], 0xFFFFFFFF
        mov cr3, eax
        mov eax, cr3
        CHECK32 eax, PDPT_BAD
        CHECK32 dword [EXC_CNT], 5
        mov eax, PDPT
        mov cr3, eax
        CHECK32 dword [HIGH + 0x1234], 0x11111111

        ; ---- MOV CR4 that changes PGE reloads (and checks) them ----
        mov dword [PDPT + 8], PD1 | 1 | 0x100     ; bit 8 reserved
        mov eax, 0xA0
        mov dword [EXC_SKIP], .gp5_end - .gp5
.gp5:   mov cr4, eax
.gp5_end:
        CHECK32 dword [EXC_CNT], 6
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_EIP], .gp5
        mov eax, cr4
        CHECK32 eax, 0x20
        mov dword [PDPT + 8], PD1B | 1
        mov eax, 0xA0
        mov cr4, eax
        CHECK32 dword [HIGH + 0x1234], 0x22222222
        mov dword [PDPT + 8], PD1 | 1
        mov eax, 0x20
        mov cr4, eax
        CHECK32 dword [HIGH + 0x1234], 0x11111111

        ; ---- #PF error codes and CR2 ----
        mov dword [EXC_CNT], 0
        mov dword [EXC_SKIP], .pf1_end - .pf1
.pf1:   mov eax, [LIN(4) + 0x123]       ; PTE not present
.pf1_end:
        CHECK32 dword [EXC_VEC], 14
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_CR2], LIN(4) + 0x123
        CHECK32 dword [EXC_EIP], .pf1
        mov dword [EXC_SKIP], .pf2_end - .pf2
.pf2:   mov byte [LIN(4) + 0xFFF], 1
.pf2_end:
        CHECK32 dword [EXC_ERR], 2
        CHECK32 dword [EXC_CR2], LIN(4) + 0xFFF
        mov dword [EXC_SKIP], .pf3_end - .pf3
.pf3:   mov eax, [0x80001000]           ; PDPTE 2 not present
.pf3_end:
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_CR2], 0x80001000
        mov dword [EXC_SKIP], .pf4_end - .pf4
.pf4:   mov dword [0x00800010], 1       ; PDE 4 not present
.pf4_end:
        CHECK32 dword [EXC_ERR], 2
        CHECK32 dword [EXC_CR2], 0x00800010
        ; reserved bit 44 in a PTE: P | RSVD (and W/R)
        mov dword [PTE(3) + 4], 0x1000
        mov dword [EXC_SKIP], .pf5_end - .pf5
.pf5:   mov eax, [LIN(3) + 8]
.pf5_end:
        CHECK32 dword [EXC_VEC], 14
        CHECK32 dword [EXC_ERR], 0x9
        CHECK32 dword [EXC_CR2], LIN(3) + 8
        mov dword [EXC_SKIP], .pf6_end - .pf6
.pf6:   add dword [LIN(3) + 8], 1
.pf6_end:
        CHECK32 dword [EXC_ERR], 0xB
        mov eax, [PTE(3)]
        and eax, 0x60
        CHECK32 eax, 0                  ; no A bit on a faulting walk
        ; bit 63 (no NX on the P6)
        mov dword [PTE(3) + 4], 0x80000000
        mov dword [EXC_SKIP], .pf7_end - .pf7
.pf7:   mov eax, [LIN(3)]
.pf7_end:
        CHECK32 dword [EXC_ERR], 0x9
%ifndef BOCHS_XCHECK
        ; bit 36, the first one above MAXPHYADDR
        mov dword [PTE(3) + 4], 0x10
        mov dword [EXC_SKIP], .pf7b_end - .pf7b
.pf7b:  mov eax, [LIN(3)]
.pf7b_end:
        CHECK32 dword [EXC_ERR], 0x9
        CHECK32 dword [EXC_EIP], .pf7b
%else
        inc dword [EXC_CNT]
%endif
        mov dword [PTE(3) + 4], 0
        ; a 2 MiB PDE with bit 13 set; then bit 40
        mov dword [PD0 + 3 * 8], 0x00A00000 | 0x2000 | 0x083
        mov dword [EXC_SKIP], .pf8_end - .pf8
.pf8:   mov eax, [RSV2M + 0x4444]
.pf8_end:
        CHECK32 dword [EXC_ERR], 0x9
        CHECK32 dword [EXC_CR2], RSV2M + 0x4444
        mov dword [PD0 + 3 * 8], 0x00A00000 | 0x083
        mov dword [PD0 + 3 * 8 + 4], 0x100
        mov dword [EXC_SKIP], .pf9_end - .pf9
.pf9:   mov dword [RSV2M + 0x4444], 0
.pf9_end:
        CHECK32 dword [EXC_ERR], 0xB
        mov dword [PD0 + 3 * 8 + 4], 0
        ; a table PDE with bit 51 set
        mov dword [PD0 + 3 * 8], PT1 | 0x003
        mov dword [PD0 + 3 * 8 + 4], 0x00080000
        mov dword [EXC_SKIP], .pf10_end - .pf10
.pf10:  mov eax, [RSV2M]
.pf10_end:
        CHECK32 dword [EXC_ERR], 0x9
        mov dword [PD0 + 3 * 8 + 4], 0
        mov dword [PD0 + 3 * 8], 0
        CHECK32 dword [EXC_CNT], 11
        ; CR0.WP: a supervisor write to a read-only page
        mov dword [LIN(1) + 8], 0x57575757      ; WP = 0: allowed
        CHECK32 dword [LIN(1) + 8], 0x57575757
        mov eax, cr0
        or eax, 0x00010000
        mov cr0, eax
        mov dword [EXC_SKIP], .pf11_end - .pf11
.pf11:  mov dword [LIN(1) + 8], 0
.pf11_end:
        CHECK32 dword [EXC_ERR], 0x3
        CHECK32 dword [EXC_CR2], LIN(1) + 8
        CHECK32 dword [LIN(1) + 8], 0x57575757
        ; a fetch from a not-present page: error 0 (no I/D bit without NX)
        mov dword [EXC_SKIP], .fetch_back - (LIN(4) - ROMBASE)
        mov eax, LIN(4) - ROMBASE
        jmp eax
.fetch_back:
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_CR2], LIN(4)
        CHECK32 dword [EXC_EIP], LIN(4) - ROMBASE
        CHECK32 dword [EXC_CNT], 13

        ; ---- the PAT bits (no PAT on the P6: reserved) ----
%ifndef BOCHS_XCHECK
        mov dword [PTE(3)], 0x00208000 | 0x083  ; PTE bit 7
        invlpg [LIN(3)]
        mov dword [EXC_SKIP], .pat1_end - .pat1
.pat1:  mov eax, [LIN(3) + 4]
.pat1_end:
        CHECK32 dword [EXC_CNT], 14
        CHECK32 dword [EXC_ERR], 0x9
        CHECK32 dword [EXC_CR2], LIN(3) + 4
        mov dword [PD0 + 3 * 8], 0x00A00000 | 0x1000 | 0x083
        mov dword [EXC_SKIP], .pat2_end - .pat2
.pat2:  mov eax, [RSV2M + 0x10]
.pat2_end:
        CHECK32 dword [EXC_CNT], 15
        CHECK32 dword [EXC_ERR], 0x9
        CHECK32 dword [EXC_CR2], RSV2M + 0x10
        mov dword [PD0 + 3 * 8], 0
%endif
        mov dword [PTE(3)], 0x00208000 | 0x003
        invlpg [LIN(3)]
        CHECK32 dword [LIN(3)], MARK(0x00208000)

        ; ---- paging off: what was written landed where it should ----
        mov eax, cr0
        and eax, ~0x80010000
        mov cr0, eax
        jmp .off
.off:   CHECK32 dword [0x00207010], 5
        CHECK32 dword [BIGPHYS + 0x12344], 0x2A2A2A2A
        CHECK32 dword [0x00206008], 0x57575757
        PASS32

; exception stubs: record vector, error code, CR2 and EIP; resume at EIP
        RZ_PM_EXCEPTIONS

        RZ_GDT_BEGIN
        RZ_GDT_END

        RZ_RUNTIME32
        RZ_RESET_VECTOR
