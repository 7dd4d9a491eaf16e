; Model-specific features of the emulated Pentium II (SDM vol. 2: CPUID,
; RDTSC, RDMSR/WRMSR, RDPMC, SYSENTER/SYSEXIT, INVD/WBINVD; vol. 3,
; chapter 11 for the MTRRs): CPUID leaves, the TSC and writing it, the
; SYSENTER MSRs, the APIC base, the microcode MSRs (platform ID 17h,
; update signature 8Bh, update trigger 79h), MTRRcap/MTRRdefType/fixed and variable
; MTRRs (reserved bits and bad memory types #GP(0)), unknown MSRs,
; SYSENTER/SYSEXIT (the flat segments they build, #GP(0) with a null
; SYSENTER_CS), and the CPL 3 rules: RDMSR/WRMSR/INVD/WBINVD/SYSEXIT
; #GP(0), RDTSC unless CR4.TSD, RDPMC only with CR4.PCE.  Ring 3 is
; reached by SYSEXIT and left by SYSENTER; a fault at ring 3 goes through
; the IDT to ring 0 on the TSS stack and returns there with IRETD.
;
; Cross-checked on Bochs 2.7 (p2_klamath) assembled with -DBOCHS_XCHECK,
; which leaves out what Bochs models differently from this P6: its CPUID
; (a Klamath, family 6 model 3, with other feature bits), WRMSR to the
; TSC (Bochs writes all 64 bits; P6 processors write the low 32 and clear
; the high 32, SDM vol. 3, 17.17), physical-address bits 36-39 in MSRs
; (Bochs accepts a 40-bit width) and unknown MSRs (Bochs ignores them
; unless configured otherwise).
; QEMU's default CPU model differs in CPUID, so it fails early.
; Most checks sit inside macros (WRMSR_OK, WRMSR_GP, MSR_ABSENT);
; checkno.py names the macro use a failing number belongs to.
%include "rz_test.inc"

%define GDT_RAM  0x9000
%define TSS      0xA000
%define ESP0     0x0008F000
%define STACK3   0x00080000
%define SAVED_ESP 0x0700
%define R3_FAIL  0x0710         ; ring-3 records
%define R3_CS    0x0714
%define R3_SS    0x0718
%define R3_ESP   0x071C
%define R3_EIP   0x0720
%define R3_TSC   0x0724
%define R3_PMC   0x0728
%define R3_CNT   0x072C
%define ENTER_FL 0x0730         ; EFLAGS right after SYSENTER
%define ENTER_CS 0x0734
%define ENTER_SS 0x0738
%define ENTER_ESP 0x073C

%define SYSCS    0x1B           ; SYSENTER_CS with RPL 3: RPL is ignored
%define SEL_TSS  0x38

; RDMSR_CHECK msr, lo, hi
%macro RDMSR_CHECK 3
        mov ecx, %1
        rdmsr
        CHECK32 eax, %2
        CHECK32 edx, %3
%endmacro
; WRMSR_OK msr, lo, hi: written and read back
%macro WRMSR_OK 3
        mov ecx, %1
        mov eax, %2
        mov edx, %3
        wrmsr
        RDMSR_CHECK %1, %2, %3
%endmacro
; WRMSR_GP msr, lo, hi: #GP(0) at the WRMSR, the MSR unchanged
%macro WRMSR_GP 3
        mov ecx, %1
        rdmsr
        mov esi, eax
        mov edi, edx
        mov ecx, %1
        mov eax, %2
        mov edx, %3
        mov ebx, [EXC_CNT]
%%i:    wrmsr
        inc ebx
        CHECK32 [EXC_CNT], ebx
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_EIP], %%i
        mov ecx, %1
        rdmsr
        CHECK32 eax, esi
        CHECK32 edx, edi
%endmacro

; MSR_ABSENT msr: RDMSR and WRMSR both #GP(0), EAX/EDX untouched
%macro MSR_ABSENT 1
        mov ecx, %1
        mov eax, 0x5A5A5A5A
        mov edx, 0xA5A5A5A5
        mov ebx, [EXC_CNT]
%%r:    rdmsr
        inc ebx
        CHECK32 [EXC_CNT], ebx
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_EIP], %%r
        CHECK32 eax, 0x5A5A5A5A
        CHECK32 edx, 0xA5A5A5A5
%%w:    wrmsr
        inc ebx
        CHECK32 [EXC_CNT], ebx
        CHECK32 dword [EXC_EIP], %%w
%endmacro

; RING3 entry: SYSEXIT to ring-3 code at `entry` (ESP = STACK3), which
; ends with SYSENTER; continue after the macro at ring 0 with CS = 08h.
; Records the state SYSENTER built in ENTER_*.
%macro RING3 1
        mov [SAVED_ESP], esp
        mov ecx, 0x175
        mov eax, ESP0 - 0x200
        xor edx, edx
        wrmsr
        mov ecx, 0x176
        mov eax, ROMBASE + %%back
        wrmsr
        mov ecx, STACK3
        mov edx, ROMBASE + %1
        sti                             ; the PICs are masked: SYSENTER must clear IF
        sysexit
%%back: mov [ss:ENTER_ESP], esp
        mov [ss:ENTER_CS], cs
        mov [ss:ENTER_SS], ss
        pushfd
        pop dword [ss:ENTER_FL]
        jmp dword 0x08:%%cs08
%%cs08: mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov esp, [SAVED_ESP]
%endmacro

; At ring 3: `insn` (2 bytes) must raise #GP(0) there; a mismatch is
; recorded in R3_FAIL (ring 3 cannot print).
%assign R3N 0
%macro R3_GP 1
%assign R3N R3N + 1
%%i:    %1
        cmp dword [EXC_EIP], ROMBASE + %%i
        jne %%bad
        cmp dword [EXC_VEC], 13
        jne %%bad
        cmp dword [EXC_ERR], 0
        je %%ok
%%bad:  mov dword [R3_FAIL], R3N
%%ok:
%endmacro

start:
        mov al, 0xFF
        out 0x21, al
        out 0xA1, al
        RZ_PM_ENTER
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
        mov dword [EXC_SKIP], 2         ; every faulting instruction here is 2 bytes
        mov dword [EXC_CNT], 0

        ; ---- CPUID ----
        xor eax, eax
        cpuid
        CHECK32 ebx, 0x756E6547
        CHECK32 edx, 0x49656E69
        CHECK32 ecx, 0x6C65746E
%ifndef BOCHS_XCHECK
        CHECK32 eax, 2
%endif
        mov eax, 1
        cpuid
        mov esi, edx
        and edx, 0x00003870             ; TSC MSR PAE SEP MTRR PGE
        CHECK32 edx, 0x00003870
%ifndef BOCHS_XCHECK
        CHECK32 eax, 0x00000652         ; family 6, model 5, stepping 2
        CHECK32 ebx, 0
        CHECK32 ecx, 0
        ; VME DE PSE TSC MSR PAE CX8 SEP MTRR PGE CMOV (FPU, MMX and FXSR as
        ; configured)
        and esi, ~0x01800001
        CHECK32 esi, 0x0000B97E
        mov eax, 2
        cpuid
        CHECK32 eax, 0x03020101
        CHECK32 edx, 0x0C040843
        mov eax, 0x80000000             ; above the maximum: leaf 2's data
        cpuid
        CHECK32 eax, 0x03020101
        CHECK32 edx, 0x0C040843
%endif

        ; ---- the TSC ----
        rdtsc
        mov esi, eax
        mov edi, edx
        rdtsc
        sub eax, esi
        sbb edx, edi
        CHECK32 edx, 0
        cmp eax, 0
        ja .tsc_up
        mov eax, 0xEE01
        jmp fail32
.tsc_up:
        ; RDMSR 10h reads it too
        mov ecx, 0x10
        rdmsr
        mov esi, eax
        rdtsc
        sub eax, esi
        cmp eax, 100
        jb .tsc_msr
        mov eax, 0xEE02
        jmp fail32
.tsc_msr:
        ; WRMSR sets it: RDTSC right after reads a little more
        mov ecx, 0x10
        mov eax, 0x7FFFFF00
%ifndef BOCHS_XCHECK
        mov edx, 5                      ; P6: the high half is cleared
%else
        xor edx, edx
%endif
        wrmsr
        rdtsc
        CHECK32 edx, 0
        sub eax, 0x7FFFFF00
        cmp eax, 100
        jb .tsc_set
        mov eax, 0xEE03
        jmp fail32
.tsc_set:

        ; ---- SYSENTER MSRs, APIC base ----
        WRMSR_OK 0x174, SYSCS, 0
        WRMSR_OK 0x175, 0x12345678, 0
        WRMSR_OK 0x176, 0x9ABCDEF0, 0
        RDMSR_CHECK 0x1B, 0xFEE00900, 0

        ; ---- microcode: platform ID, update signature and trigger ----
        ; (the microcode loader's sequence: write 0 to 8Bh, CPUID, read 8Bh)
        RDMSR_CHECK 0x17, 0, 0
        WRMSR_OK 0x8B, 0, 0
        mov eax, 1
        cpuid
        RDMSR_CHECK 0x8B, 0, 0          ; no update loaded: revision 0
        mov ecx, 0x79                   ; the trigger is accepted, loads nothing
        xor eax, eax
        xor edx, edx
        wrmsr
        RDMSR_CHECK 0x8B, 0, 0
        WRMSR_GP 0x1B, 0xFEE00901, 0    ; reserved bit 0
        WRMSR_GP 0x1B, 0xFEE00B00, 0    ; reserved bit 9
%ifndef BOCHS_XCHECK
        WRMSR_GP 0x1B, 0xFEE00900, 0x10 ; bit 36: above the 36-bit width
%endif

        ; ---- MTRRs (SDM vol. 3, 11.11) ----
        RDMSR_CHECK 0xFE, 0x508, 0      ; MTRRcap: VCNT 8, FIX, WC
        WRMSR_GP 0xFE, 0x508, 0         ; read-only
        RDMSR_CHECK 0x2FF, 0, 0         ; all off after reset
        WRMSR_OK 0x2FF, 0xC06, 0        ; E, FE, type WB
        WRMSR_GP 0x2FF, 0xC02, 0        ; type 2 is reserved
        WRMSR_GP 0x2FF, 0xD06, 0        ; bit 8 reserved
        WRMSR_GP 0x2FF, 0x1006, 0       ; bit 12 reserved
        WRMSR_OK 0x2FF, 0x000, 0
        ; variable ranges: PHYSBASEn type + base, PHYSMASKn V + mask
        WRMSR_OK 0x200, 0x00000006, 0
        WRMSR_OK 0x201, 0xF8000800, 0
        WRMSR_OK 0x20E, 0x12345005, 0
        WRMSR_OK 0x20F, 0xFFFFF800, 0
        RDMSR_CHECK 0x200, 0x00000006, 0
        WRMSR_GP 0x202, 0x00000007, 0   ; type 7 is reserved
        WRMSR_GP 0x202, 0x00000106, 0   ; bit 8 reserved
        WRMSR_GP 0x203, 0x00000801, 0   ; bit 0 reserved
%ifndef BOCHS_XCHECK
        WRMSR_OK 0x202, 0x12345006, 0x0F        ; bits 35:32 exist
        WRMSR_GP 0x202, 0x00000006, 0x10        ; bit 36 does not
%endif
        ; fixed ranges: eight type bytes each
        WRMSR_OK 0x250, 0x06060606, 0x06060606
        WRMSR_OK 0x258, 0x00010405, 0x06000104
        WRMSR_OK 0x259, 0x00000000, 0x00000000
        WRMSR_OK 0x268, 0x06050401, 0x00060504
        WRMSR_OK 0x26F, 0x05050505, 0x05050505
        WRMSR_GP 0x26F, 0x05050505, 0x05070505  ; type 7 in byte 6
        WRMSR_GP 0x250, 0x06060602, 0x06060606  ; type 2 in byte 0
        ; MSRs that do not exist
%ifndef BOCHS_XCHECK
        MSR_ABSENT 0x1234
        MSR_ABSENT 0x249
        MSR_ABSENT 0xC0000080           ; no EFER on the P6
        MSR_ABSENT 0x1A0                ; IA32_MISC_ENABLE came later
%endif

        ; ---- RDPMC, INVD, WBINVD at CPL 0 ----
        mov ebx, [EXC_CNT]
        xor ecx, ecx
        rdpmc
        mov ecx, 1
        rdpmc
        invd
        wbinvd
        CHECK32 [EXC_CNT], ebx
        mov ecx, 2                      ; the P6 has PMC0 and PMC1 only
.pmc2:  rdpmc
        inc ebx
        CHECK32 [EXC_CNT], ebx
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_EIP], .pmc2

        ; ---- SYSENTER/SYSEXIT with SYSENTER_CS = 0: #GP(0) ----
        xor eax, eax
        xor edx, edx
        mov ecx, 0x174
        wrmsr
.se0:   sysenter
        inc ebx
        CHECK32 [EXC_CNT], ebx
        CHECK32 dword [EXC_EIP], .se0
.sx0:   sysexit
        inc ebx
        CHECK32 [EXC_CNT], ebx
        CHECK32 dword [EXC_EIP], .sx0
        CHECK32 dword [EXC_VEC], 13
        mov ax, cs
        CHECK32 ax, 0x08
        ; SYSENTER_CS 3: bits 15:2 zero still count as null
        mov eax, 3
        mov ecx, 0x174
        wrmsr
.se1:   sysenter
        inc ebx
        CHECK32 [EXC_CNT], ebx
        CHECK32 dword [EXC_EIP], .se1
        mov eax, SYSCS
        mov ecx, 0x174
        wrmsr

        ; ---- ring 3 ----
        mov dword [EXC_CNT], 0
        mov dword [R3_FAIL], 0
        RING3 r3_main
        ; SYSEXIT built CS = (SYSENTER_CS + 16) | 3, SS = (+ 24) | 3,
        ; ESP = ECX, EIP = EDX
        CHECK32 dword [R3_CS], 0x2B
        CHECK32 dword [R3_SS], 0x33
        CHECK32 dword [R3_ESP], STACK3
        CHECK32 dword [R3_EIP], ROMBASE + r3_main.here
        ; and SYSENTER CS = SYSENTER_CS & FFFCh, SS = that + 8, ESP from
        ; the MSR, IF cleared
        CHECK32 word [ENTER_CS], 0x18
        CHECK32 word [ENTER_SS], 0x20
        CHECK32 dword [ENTER_ESP], ESP0 - 0x200
        mov eax, [ENTER_FL]
        and eax, 0x00020200
        CHECK32 eax, 0
        ; the privileged instructions faulted at ring 3, RDTSC did not
        CHECK32 dword [R3_FAIL], 0
        CHECK32 dword [EXC_CNT], 6       ; the six R3_GP in r3_main
        CHECK32 dword [R3_CNT], 6
        CHECK32 dword [R3_TSC], 1

        ; CR4.TSD: RDTSC is privileged; CR4.PCE: RDPMC is not
        mov eax, 0x104
        mov cr4, eax
        mov dword [EXC_CNT], 0
        RING3 r3_tsd_pce
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], 13
        CHECK32 dword [EXC_ERR], 0
        CHECK32 dword [EXC_EIP], ROMBASE + r3_tsd_pce.tsc
        CHECK32 dword [R3_PMC], 1
        mov eax, 0
        mov cr4, eax
        ; RDTSC at CPL 0 with TSD is fine
        mov eax, 0x4
        mov cr4, eax
        mov ebx, [EXC_CNT]
        rdtsc
        CHECK32 [EXC_CNT], ebx
        xor eax, eax
        mov cr4, eax
        PASS32

; ---- ring-3 code (flat CS: EIP = ROMBASE + label) ----
r3_main:
        mov [ss:R3_ESP], esp
        mov ax, ss
        mov ds, ax
        mov es, ax
        call .here
.here:  pop dword [R3_EIP]
        xor eax, eax
        mov ax, cs
        mov [R3_CS], eax
        mov ax, ss
        mov [R3_SS], eax
        rdtsc
        mov dword [R3_TSC], 1
        R3_GP rdmsr
        R3_GP wrmsr
        R3_GP invd
        R3_GP wbinvd
        R3_GP rdpmc
        R3_GP sysexit
        mov eax, [EXC_CNT]
        mov [R3_CNT], eax
        sysenter

r3_tsd_pce:
        mov ax, ss
        mov ds, ax
        mov dword [R3_PMC], 0
        xor ecx, ecx
        rdpmc
        mov dword [R3_PMC], 1
.tsc:   rdtsc
        sysenter

; exception stubs: record vector, error code, CR2 and EIP; resume at EIP + 2
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
