; Hardware task switches that succeed (SDM vol. 3, chapter 7): JMP to a
; 32-bit TSS and back, CALL through a task gate and IRET back (NT, back
; link, busy bits in the GDT, the old task's state saved in its TSS),
; INT n and exceptions (#GP with its error code, #DF) through IDT task
; gates, a 16-bit TSS, CR3 and LDTR loaded with the new task, a switch
; into a virtual-8086 task (EFLAGS.VM = 1 in the TSS), and the
; T flag (#DB with DR6.BT; DR7's local enables cleared).
;
; Passes on Bochs 2.7 (p2_klamath).  QEMU (TCG) fails: its task switch
; does not set the accessed bit of the segments it loads.
;
; The GDT is copied to RAM: task switches write busy bits into it.  Every
; task runs with CS = 08h (base ROMBASE) and flat data, paging on.
%include "rz_test.inc"

%define GDT_RAM   0x1000
%define TSS_MAIN  0x2000
%define TSS_A     0x2100
%define TSS_B     0x2200
%define TSS16     0x2300
%define TSS_C     0x2400
%define TSS_I     0x2500
%define TSS_E     0x2600
%define TSS_D     0x2700
%define TSS_T     0x2800
%define TSS_V     0x2900
%define LDT       0x3000
%define LDTSEG    0x5000        ; base of the LDT's data segment
%define RES       0x0700        ; values recorded inside a task
%define EXPECT    0x07F0        ; dword: the EIP main expects saved

; Paging: two directories sharing the identity map of 0..4 MiB; linear
; 400000h maps to a different physical page in each.
%define PD1       0x00100000
%define PD2       0x00101000
%define PT0       0x00102000
%define PTA       0x00103000
%define PTB       0x00104000
%define PAGEA     0x00200000
%define PAGEB     0x00201000
%define MARKA     0xAAAA0001
%define MARKB     0xBBBB0002

start:
        RZ_PM_ENTER
        ; ---- the GDT in RAM ----
        mov esi, ROMBASE + gdt
        mov edi, GDT_RAM
        mov ecx, (gdt_end - gdt) / 4
        rep movsd
        lgdt [cs:gdt_ram_desc]

        ; ---- paging ----
        mov edi, PD1
        xor eax, eax
        mov ecx, 5 * 1024
        rep stosd
        mov edi, PT0                              ; user pages: the v86 task
        mov eax, 0x007
        mov ecx, 1024
.ident: stosd
        add eax, 0x1000
        loop .ident
        mov dword [PD1], PT0 | 7
        mov dword [PD2], PT0 | 7
        mov dword [PD1 + 4], PTA | 3
        mov dword [PD2 + 4], PTB | 3
        mov dword [PTA], PAGEA | 3
        mov dword [PTB], PAGEB | 3
        mov dword [PAGEA], MARKA
        mov dword [PAGEB], MARKB
        mov eax, PD1
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80000000
        mov cr0, eax
        jmp .pg
.pg:    CHECK32 dword [0x00400000], MARKA

        ; ---- the main task ----
        mov edi, TSS_MAIN
        mov ebx, 0
        mov edx, 0
        call tss_init
        mov ax, SEL_MAIN
        ltr ax
        CHECK32 byte [GDT_RAM + SEL_MAIN + 5], 0x8B
        mov dword [EXC_CNT], 0

        ; ======== JMP to a 32-bit TSS and back ========
        mov edi, TSS_A
        mov ebx, task_a
        mov edx, 0x71000
        call tss_init
        mov dword [TSS_A + 0x24], 0x00000087      ; EFLAGS: SF PF CF
        mov dword [TSS_A + 0x28], 0xA0A0A0A0      ; EAX
        mov dword [TSS_A + 0x2C], 0xA1A1A1A1      ; ECX
        mov dword [TSS_A + 0x30], 0xA2A2A2A2      ; EDX
        mov dword [TSS_A + 0x34], 0xA3A3A3A3      ; EBX
        mov dword [TSS_A + 0x3C], 0xA5A5A5A5      ; EBP
        mov dword [TSS_A + 0x40], 0xA6A6A6A6      ; ESI
        mov dword [TSS_A + 0x44], 0xA7A7A7A7      ; EDI
        mov word [TSS_A], 0x5555                  ; back link: JMP leaves it
        clts
        xor eax, eax                              ; ZF PF: main's flags
        pushfd
        pop dword [RES + 0x60]
        mov eax, 0x11111111
        mov ecx, 0x22222222
        mov edx, 0x33333333
        mov ebx, 0x44444444
        mov ebp, 0x66666666
        mov esi, 0x77777777
        mov edi, 0x88888888
        jmp SEL_A:0x12345678                      ; the offset is ignored
main_a_back:
        ; main resumes here with the state saved in its TSS
        mov [RES + 0x64], esp
        pushfd
        pop dword [RES + 0x68]
        CHECK32 eax, 0x11111111
        CHECK32 ecx, 0x22222222
        CHECK32 edx, 0x33333333
        CHECK32 ebx, 0x44444444
        CHECK32 ebp, 0x66666666
        CHECK32 esi, 0x77777777
        CHECK32 edi, 0x88888888
        CHECK32 dword [RES + 0x64], 0x90000
        mov eax, [RES + 0x60]
        CHECK32 [RES + 0x68], eax
        str ax
        CHECK32 ax, SEL_MAIN
        mov eax, cr0
        and eax, 8
        CHECK32 eax, 8                            ; TS set by the switch back
        CHECK32 byte [GDT_RAM + SEL_A + 5], 0x89
        CHECK32 byte [GDT_RAM + SEL_MAIN + 5], 0x8B
        CHECK32 dword [TSS_A + 0x20], task_a.after
        CHECK32 dword [TSS_A + 0x28], 0xCAFEBABE
        CHECK32 dword [TSS_A + 0x38], 0x71000
        CHECK32 word [TSS_A], 0x5555
        CHECK32 dword [EXC_CNT], 0

        ; ======== CALL through a task gate, IRET back ========
        mov edi, TSS_B
        mov ebx, task_b
        mov edx, 0x72000
        call tss_init
        mov word [TSS_B], 0x5555
        mov dword [EXPECT], .b_back
        mov ebx, 0x12345678
        call SEL_GATE_B:0
.b_back:
        pushfd
        pop dword [RES + 0x40]
        CHECK32 ebx, 0x12345678
        CHECK32 dword [RES + 0x40], 0x0046        ; main's EFLAGS image (ZF PF)
        str ax
        CHECK32 ax, SEL_MAIN
        CHECK32 byte [GDT_RAM + SEL_B + 5], 0x89
        CHECK32 byte [GDT_RAM + SEL_MAIN + 5], 0x8B
        CHECK32 word [TSS_B], SEL_MAIN
        CHECK32 dword [TSS_B + 0x20], task_b.after
        CHECK32 dword [TSS_B + 0x2C], 0xB0B0B0B0
        CHECK32 dword [TSS_B + 0x24], 0x0046      ; IRET clears NT in the image
        ; CALL naming the TSS itself; task B runs on from .after
        mov dword [EXPECT], .b_back2
        mov ebx, 0x9ABCDEF0
        call SEL_B:0
.b_back2:
        CHECK32 ebx, 0x9ABCDEF0
        CHECK32 byte [GDT_RAM + SEL_B + 5], 0x89
        CHECK32 dword [TSS_B + 0x2C], 0xB0B0B0B0
        CHECK32 dword [RES + 0x10], 2             ; task B ran twice
        CHECK32 dword [EXC_CNT], 0

        ; ======== INT n through an IDT task gate ========
        mov edi, TSS_I
        mov ebx, task_i
        mov edx, 0x74000
        call tss_init
        mov dword [IDT + 31 * 8], SEL_I << 16
        mov dword [IDT + 31 * 8 + 4], 0x8500      ; task gate, DPL 0
        mov dword [EXPECT], .i_back
        mov esi, 0x5151
        int 31
.i_back:
        CHECK32 esi, 0x5151
        CHECK32 dword [RES + 0x20], 0x74000       ; no error code pushed
        CHECK32 dword [RES + 0x24], 0x4002        ; NT set in the new task
        CHECK32 word [TSS_I], SEL_MAIN
        CHECK32 byte [GDT_RAM + SEL_I + 5], 0x89
        CHECK32 dword [EXC_CNT], 0

        ; ======== #GP through a task gate: error code on the new stack ========
        mov edi, TSS_E
        mov ebx, task_e
        mov edx, 0x75000
        call tss_init
        mov eax, [IDT + 13 * 8]
        mov [RES + 0x70], eax
        mov eax, [IDT + 13 * 8 + 4]
        mov [RES + 0x74], eax
        mov dword [IDT + 13 * 8], SEL_E << 16
        mov dword [IDT + 13 * 8 + 4], 0x8500
        mov dword [EXPECT], .gp_insn
        mov ax, 0x0FF8                            ; beyond the GDT limit
.gp_insn:
        mov ds, ax                                ; #GP(0FF8h): task E skips it
        mov eax, ds
        CHECK32 ax, 0x10
        CHECK32 dword [RES + 0x30], 0x0FF8        ; the error code
        CHECK32 dword [RES + 0x34], 0x75000 - 4   ; ... on task E's stack
        CHECK32 word [TSS_E], SEL_MAIN
        CHECK32 byte [GDT_RAM + SEL_E + 5], 0x89

        ; ======== #DF through a task gate ========
        ; #GP whose gate is not present: #NP during its delivery, so #DF
        mov edi, TSS_D
        mov ebx, task_d
        mov edx, 0x76000
        call tss_init
        mov dword [IDT + 8 * 8], SEL_D << 16
        mov dword [IDT + 8 * 8 + 4], 0x8500
        mov dword [IDT + 13 * 8 + 4], 0x0E00      ; interrupt gate, P = 0
        mov dword [EXPECT], .df_insn
        mov ax, 0x0FF8
.df_insn:
        mov ds, ax
        CHECK32 dword [RES + 0x50], 0             ; #DF's error code
        CHECK32 dword [RES + 0x54], 0x76000 - 4
        CHECK32 word [TSS_D], SEL_MAIN
        CHECK32 dword [EXC_CNT], 0
        mov eax, [RES + 0x70]
        mov [IDT + 13 * 8], eax
        mov eax, [RES + 0x74]
        mov [IDT + 13 * 8 + 4], eax

        ; ======== a 16-bit TSS ========
        mov edi, TSS16
        xor eax, eax
        mov ecx, 0x2C / 4
        rep stosd
        mov word [TSS16 + 0x0E], task16           ; IP
        mov word [TSS16 + 0x10], 0x0087           ; FLAGS
        mov word [TSS16 + 0x12], 0x1616           ; AX
        mov word [TSS16 + 0x14], 0x2626           ; CX
        mov word [TSS16 + 0x16], 0x3636           ; DX
        mov word [TSS16 + 0x18], 0x4646           ; BX
        mov word [TSS16 + 0x1A], 0x3000           ; SP
        mov word [TSS16 + 0x1C], 0x5656           ; BP
        mov word [TSS16 + 0x1E], 0x6666           ; SI
        mov word [TSS16 + 0x20], 0x7676           ; DI
        mov word [TSS16 + 0x22], 0x10             ; ES
        mov word [TSS16 + 0x24], 0x08             ; CS
        mov word [TSS16 + 0x26], 0x10             ; SS
        mov word [TSS16 + 0x28], 0x10             ; DS
        mov word [TSS16 + 0x2A], 0                ; LDT
        mov dword [EXPECT], .t16_back
        mov ebp, 0xBEBEBEBE
        call SEL_T16:0
.t16_back:
        CHECK32 ebp, 0xBEBEBEBE
        mov eax, fs                               ; restored from the 32-bit TSS
        CHECK32 ax, 0x10
        mov eax, gs
        CHECK32 ax, 0x10
        CHECK32 word [TSS16 + 0x0E], task16.after
        CHECK32 word [TSS16 + 0x12], 0x4242       ; AX saved as a word
        CHECK32 word [TSS16 + 0x1E], 0x5353       ; SI
        CHECK32 word [TSS16 + 0x1A], 0x6000       ; SP
        CHECK32 word [TSS16 + 0x2A], 0            ; LDT field untouched
        mov ax, [TSS16 + 0x10]
        and ax, 0x4000
        CHECK32 ax, 0                             ; IRET cleared NT in the image
        CHECK32 word [TSS16], SEL_MAIN
        CHECK32 byte [GDT_RAM + SEL_T16 + 5], 0x81
        CHECK32 byte [GDT_RAM + SEL_MAIN + 5], 0x8B
        CHECK32 dword [EXC_CNT], 0

        ; ======== CR3 and LDTR switched with the task ========
        mov dword [LDT], (LDTSEG << 16) | 0xFFFF  ; data, base LDTSEG, 64 KiB
        mov dword [LDT + 4], 0x00009200 | (LDTSEG >> 16)
        mov dword [LDT + 8], 0
        mov dword [LDT + 12], 0
        mov dword [LDTSEG + 0x10], 0x1D7A1D7A
        mov edi, TSS_C
        mov ebx, task_c
        mov edx, 0x77000
        call tss_init
        mov dword [TSS_C + 0x1C], PD2             ; CR3
        mov dword [TSS_C + 0x54], 0x0004          ; DS: LDT entry 0
        mov dword [TSS_C + 0x60], SEL_LDT
        jmp SEL_C:0
.c_back:
        mov eax, cr3                              ; main's CR3 from its TSS
        CHECK32 eax, PD1
        CHECK32 dword [0x00400000], MARKA
        sldt ax
        CHECK32 ax, 0
        CHECK32 dword [RES + 0x00], 0x1D7A1D7A    ; task C read DS:10h
        CHECK32 dword [RES + 0x04], MARKB         ; ... and 400000h through PD2
        CHECK32 dword [RES + 0x08], PD2
        CHECK32 word [RES + 0x0C], SEL_LDT
        CHECK32 word [RES + 0x0E], 0x0004
        CHECK32 byte [LDT + 5], 0x93              ; accessed bit set
        CHECK32 dword [TSS_C + 0x1C], PD2         ; CR3 is never saved
        CHECK32 word [TSS_C + 0x60], SEL_LDT
        CHECK32 word [TSS_C + 0x54], 0x0004
        CHECK32 dword [TSS_C + 0x20], task_c.after
        CHECK32 byte [GDT_RAM + SEL_C + 5], 0x89
        CHECK32 dword [EXC_CNT], 0

        ; ======== a TSS with EFLAGS.VM = 1: a virtual-8086 task ========
        mov edi, TSS_V
        mov ebx, v86_code
        mov edx, 0x0FF0
        call tss_init
        mov dword [TSS_V + 0x04], 0x79000         ; ESP0
        mov dword [TSS_V + 0x08], 0x10            ; SS0
        mov dword [TSS_V + 0x24], 0x00020002      ; VM
        mov dword [TSS_V + 0x48], 0x0500          ; ES
        mov dword [TSS_V + 0x4C], 0xF000          ; CS: the ROM
        mov dword [TSS_V + 0x50], 0x7000          ; SS
        mov dword [TSS_V + 0x54], 0x0500          ; DS
        mov dword [TSS_V + 0x58], 0
        mov dword [TSS_V + 0x5C], 0
        mov word [LDTSEG + 0x20], 0
        mov eax, v86_gp
        mov [IDT + 13 * 8], ax
        mov word [IDT + 13 * 8 + 2], 0x08
        mov word [IDT + 13 * 8 + 4], 0x8E00
        shr eax, 16
        mov [IDT + 13 * 8 + 6], ax
        jmp SEL_V:0
.v_back:
        CHECK32 dword [RES + 0x80], 0             ; HLT at CPL 3: #GP(0)
        CHECK32 dword [RES + 0x84], v86_code.hlt  ; ... at the v86 task's IP
        CHECK32 dword [RES + 0x88], 0xF000
        mov eax, [RES + 0x8C]
        and eax, 0x00024000
        CHECK32 eax, 0x00020000                   ; VM, no NT (a JMP)
        CHECK32 dword [RES + 0x90], 0x0FF0        ; the v86 SS:SP
        CHECK32 dword [RES + 0x94], 0x7000
        CHECK32 dword [RES + 0x98], 0x0500        ; the v86 ES, DS
        CHECK32 dword [RES + 0x9C], 0x0500
        CHECK32 word [RES + 0xA0], SEL_V
        CHECK32 word [LDTSEG + 0x20], 0x1D7A      ; DS = ES = 0500h worked
        CHECK32 byte [GDT_RAM + SEL_V + 5], 0x89
        mov eax, [RES + 0x70]
        mov [IDT + 13 * 8], eax
        mov eax, [RES + 0x74]
        mov [IDT + 13 * 8 + 4], eax
        CHECK32 dword [EXC_CNT], 0

        ; ======== the T flag: #DB (DR6.BT) before the new task's first
        ; instruction; DR7 L0-L3 and LE cleared by the switch ========
        mov edi, TSS_T
        mov ebx, task_t
        mov edx, 0x78000
        call tss_init
        mov word [TSS_T + 0x64], 1                ; T
        xor eax, eax
        mov dr6, eax
        mov dr0, eax                              ; execute breakpoints at 0:
        mov dr1, eax                              ; never reached
        mov eax, 0x0000030B                       ; GE LE G1 G0 L0
        mov dr7, eax
        mov dword [EXC_SKIP], 0
        jmp SEL_T:0
.t_back:
        CHECK32 dword [EXC_CNT], 1
        CHECK32 dword [EXC_VEC], 1
        CHECK32 dword [EXC_EIP], task_t           ; before its first instruction
        mov eax, [RES + 0x60]
        and eax, 0xE00F
        CHECK32 eax, 0x8000                       ; DR6.BT
        CHECK32 dword [RES + 0x64], 0x0000060A    ; GE G1 G0 (+ bit 10)
        CHECK32 word [RES + 0x68], SEL_T
        mov eax, dr6
        and eax, 0xE00F
        CHECK32 eax, 0x8000                       ; no second #DB for main
        xor eax, eax
        mov dr7, eax

        PASS32

; ---- tasks ---------------------------------------------------------------

task_a:
        mov [RES + 0x00], eax
        mov [RES + 0x04], ecx
        mov [RES + 0x08], edx
        mov [RES + 0x0C], ebx
        mov [RES + 0x10], esp
        mov [RES + 0x14], ebp
        mov [RES + 0x18], esi
        mov [RES + 0x1C], edi
        pushfd
        pop dword [RES + 0x20]
        str [RES + 0x24]
        mov eax, cr0
        mov [RES + 0x28], eax
        CHECK32 dword [RES + 0x00], 0xA0A0A0A0
        CHECK32 dword [RES + 0x04], 0xA1A1A1A1
        CHECK32 dword [RES + 0x08], 0xA2A2A2A2
        CHECK32 dword [RES + 0x0C], 0xA3A3A3A3
        CHECK32 dword [RES + 0x10], 0x71000
        CHECK32 dword [RES + 0x14], 0xA5A5A5A5
        CHECK32 dword [RES + 0x18], 0xA6A6A6A6
        CHECK32 dword [RES + 0x1C], 0xA7A7A7A7
        CHECK32 dword [RES + 0x20], 0x00000087    ; NT clear after a JMP
        CHECK32 word [RES + 0x24], SEL_A
        mov eax, [RES + 0x28]
        and eax, 8
        CHECK32 eax, 8                            ; CR0.TS
        CHECK32 byte [GDT_RAM + SEL_A + 5], 0x8B
        CHECK32 byte [GDT_RAM + SEL_MAIN + 5], 0x89
        CHECK32 word [TSS_A], 0x5555
        ; main's state in its TSS
        CHECK32 dword [TSS_MAIN + 0x20], main_a_back
        mov eax, [RES + 0x60]
        CHECK32 [TSS_MAIN + 0x24], eax
        CHECK32 dword [TSS_MAIN + 0x28], 0x11111111
        CHECK32 dword [TSS_MAIN + 0x2C], 0x22222222
        CHECK32 dword [TSS_MAIN + 0x30], 0x33333333
        CHECK32 dword [TSS_MAIN + 0x34], 0x44444444
        CHECK32 dword [TSS_MAIN + 0x38], 0x90000
        CHECK32 dword [TSS_MAIN + 0x3C], 0x66666666
        CHECK32 dword [TSS_MAIN + 0x40], 0x77777777
        CHECK32 dword [TSS_MAIN + 0x44], 0x88888888
        CHECK32 word [TSS_MAIN + 0x48], 0x10
        CHECK32 word [TSS_MAIN + 0x4C], 0x08
        CHECK32 word [TSS_MAIN + 0x50], 0x10
        CHECK32 word [TSS_MAIN + 0x54], 0x10
        CHECK32 word [TSS_MAIN + 0x58], 0x10
        CHECK32 word [TSS_MAIN + 0x5C], 0x10
        CHECK32 dword [TSS_MAIN + 0x1C], PD1      ; CR3 field not written
        clts
        mov eax, 0xCAFEBABE
        jmp SEL_MAIN:0
.after:
        mov eax, 0x7F                             ; never resumed
        jmp fail32

task_b:
        mov dword [RES + 0x10], 0
.again:
        inc dword [RES + 0x10]
        pushfd
        pop dword [RES + 0x00]
        str [RES + 0x04]
        CHECK32 dword [RES + 0x00], 0x4002        ; NT set by the CALL
        CHECK32 word [RES + 0x04], SEL_B
        CHECK32 word [TSS_B], SEL_MAIN            ; back link
        CHECK32 byte [GDT_RAM + SEL_B + 5], 0x8B
        CHECK32 byte [GDT_RAM + SEL_MAIN + 5], 0x8B ; the caller stays busy
        mov eax, [EXPECT]
        CHECK32 [TSS_MAIN + 0x20], eax
        mov eax, [TSS_MAIN + 0x24]
        and eax, 0x4000
        CHECK32 eax, 0
        mov ecx, 0xB0B0B0B0
        xor eax, eax                              ; EFLAGS = NT ZF PF
        iretd
.after:
        jmp .again

task_i:
        mov [RES + 0x20], esp
        pushfd
        pop dword [RES + 0x24]
        mov eax, [EXPECT]
        CHECK32 [TSS_MAIN + 0x20], eax            ; INT n saves the next EIP
        iretd

task_e:
        mov [RES + 0x34], esp
        pop dword [RES + 0x30]
        mov eax, [EXPECT]
        CHECK32 [TSS_MAIN + 0x20], eax            ; a fault saves its own EIP
        add dword [TSS_MAIN + 0x20], 2            ; skip the MOV DS
        iretd

task_d:
        mov [RES + 0x54], esp
        pop dword [RES + 0x50]
        mov eax, [EXPECT]
        CHECK32 [TSS_MAIN + 0x20], eax
        add dword [TSS_MAIN + 0x20], 2
        iretd

task16:
        mov [RES + 0x00], eax
        mov [RES + 0x04], ecx
        mov [RES + 0x08], edx
        mov [RES + 0x0C], ebx
        mov [RES + 0x10], esp
        mov [RES + 0x14], ebp
        mov [RES + 0x18], esi
        mov [RES + 0x1C], edi
        ; the upper halves of registers loaded from a 16-bit TSS are
        ; undefined (SDM vol. 3, 7.6): give ESP a usable value
        mov esp, 0x76000
        pushfd
        pop dword [RES + 0x20]
        mov [RES + 0x24], fs
        mov [RES + 0x26], gs
        str [RES + 0x28]
        CHECK32 word [RES + 0x00], 0x1616
        CHECK32 word [RES + 0x04], 0x2626
        CHECK32 word [RES + 0x08], 0x3636
        CHECK32 word [RES + 0x0C], 0x4646
        CHECK32 word [RES + 0x10], 0x3000
        CHECK32 word [RES + 0x14], 0x5656
        CHECK32 word [RES + 0x18], 0x6666
        CHECK32 word [RES + 0x1C], 0x7676
        CHECK32 dword [RES + 0x20], 0x4087        ; NT set, upper half 0
        ; a 16-bit TSS has no FS/GS: they become null (the SDM is silent;
        ; Bochs does this)
        CHECK32 word [RES + 0x24], 0
        CHECK32 word [RES + 0x26], 0
        CHECK32 word [RES + 0x28], SEL_T16
        CHECK32 word [TSS16], SEL_MAIN
        CHECK32 byte [GDT_RAM + SEL_T16 + 5], 0x83
        mov eax, [EXPECT]
        CHECK32 [TSS_MAIN + 0x20], eax            ; saved in the 32-bit format
        CHECK32 dword [TSS_MAIN + 0x3C], 0xBEBEBEBE
        mov eax, 0xFFFF4242
        mov esi, 0x5353
        iretd
.after:
        mov eax, 0x7E
        jmp fail32

task_c:
        mov eax, [0x10]                           ; DS = the LDT's segment
        mov [es:RES + 0x00], eax
        mov eax, [es:0x00400000]
        mov [es:RES + 0x04], eax
        mov eax, cr3
        mov [es:RES + 0x08], eax
        sldt [es:RES + 0x0C]
        mov [es:RES + 0x0E], ds
        jmp SEL_MAIN:0
.after:
        mov eax, 0x7D
        jmp fail32

        bits 16
v86_code:
        mov ax, [0x10]
        mov [es:0x20], ax
.hlt:   hlt
        bits 32

; #GP from the v86 task, on its ring-0 stack: error, EIP, CS, EFLAGS,
; ESP, SS, ES, DS, FS, GS (the data segment registers are now null)
v86_gp:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov esi, esp
        mov edi, RES + 0x80
        mov ecx, 8
        rep movsd
        str [RES + 0xA0]
        jmp SEL_MAIN:0

task_t:
        mov eax, dr6
        mov [RES + 0x60], eax
        mov eax, dr7
        mov [RES + 0x64], eax
        str [RES + 0x68]
        jmp SEL_MAIN:0

; tss_init: a 32-bit TSS at EDI: EIP = EBX, ESP = EDX, CR3 = the current
; one, EFLAGS = 2, CS = 08h, the other selectors 10h, everything else 0.
tss_init:
        push eax
        push ecx
        push edi
        xor eax, eax
        mov ecx, 0x68 / 4
        rep stosd
        pop edi
        mov eax, cr3
        mov [edi + 0x1C], eax
        mov [edi + 0x20], ebx
        mov dword [edi + 0x24], 2
        mov [edi + 0x38], edx
        mov dword [edi + 0x48], 0x10
        mov dword [edi + 0x4C], 0x08
        mov dword [edi + 0x50], 0x10
        mov dword [edi + 0x54], 0x10
        mov dword [edi + 0x58], 0x10
        mov dword [edi + 0x5C], 0x10
        mov word [edi + 0x66], 0x68               ; no I/O bitmap
        pop ecx
        pop eax
        ret

        RZ_PM_EXCEPTIONS


        RZ_GDT_BEGIN
SEL_MAIN  equ $ - gdt
        RZ_DESC TSS_MAIN, 0x67, 0x89, 0
SEL_A     equ $ - gdt
        RZ_DESC TSS_A, 0x67, 0x89, 0
SEL_B     equ $ - gdt
        RZ_DESC TSS_B, 0x67, 0x89, 0
SEL_GATE_B equ $ - gdt
        RZ_TGATE SEL_B, 0x85
SEL_T16   equ $ - gdt
        RZ_DESC TSS16, 0x2B, 0x81, 0
SEL_C     equ $ - gdt
        RZ_DESC TSS_C, 0x67, 0x89, 0
SEL_LDT   equ $ - gdt
        RZ_DESC LDT, 0x0F, 0x82, 0
SEL_I     equ $ - gdt
        RZ_DESC TSS_I, 0x67, 0x89, 0
SEL_E     equ $ - gdt
        RZ_DESC TSS_E, 0x67, 0x89, 0
SEL_D     equ $ - gdt
        RZ_DESC TSS_D, 0x67, 0x89, 0
SEL_T     equ $ - gdt
        RZ_DESC TSS_T, 0x67, 0x89, 0
SEL_V     equ $ - gdt
        RZ_DESC TSS_V, 0x67, 0x89, 0
        RZ_GDT_END
gdt_ram_desc:
        dw gdt_end - gdt - 1
        dd GDT_RAM

        RZ_RUNTIME32
        RZ_RESET_VECTOR
