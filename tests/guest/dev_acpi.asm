; dev_acpi.asm - the ACPI power-management registers of the PC board at
; 600h, and their SCI on IRQ 9 (ACPI 2.0, 4.7.3.1 "PM1 Event Grouping",
; 4.7.3.2 "PM1 Control Grouping", 4.7.3.3 "Power Management Timer"; the
; board map in devices/pc.h):
;  - PM_TMR (608h) is a 24-bit counter at 3.579545 MHz: over 20 ms of TSC
;    time it advances by TSC * 3579545 / TSC rate, to 2 counts; bits
;    31:24 read 0; it counts from power-on, so it agrees with the TSC;
;  - PM1_CNT reads SCI_EN = 1 (no SMI_CMD: always in ACPI mode);
;    PM1_EN keeps its defined bits (TMR_EN, GBL_EN, PWRBTN_EN, RTC_EN);
;  - with TMR_EN set, TMR_STS rises when the counter's bit 23 changes
;    (at 800000h) and raises the SCI: IRQ 9 through the slave 8259A,
;    here level-triggered through the ELCR (4D1h bit 1) as a BIOS sets
;    it up for the SCI; writing 1 to TMR_STS clears it and drops the
;    line, so the interrupt comes exactly once;
;  - finally the test passes through the exit port.  Writing SLP_TYP = 0
;    with SLP_EN (2000h) to PM1_CNT powers the machine off, which ends
;    the run with another status: that is checked by
;    tests/devices/test_pc.c.
;
;  - while sleeping for the SCI, counter 0 of the PIT (IRQ 0) serves as a
;    watchdog, so a missing SCI fails instead of halting for ever.
;
; Cross-checked under QEMU 7.2 (-DQEMU) and Bochs 2.7 (-DBOCHS): their
; PIIX4 PM function 00:01.3 must first be given its base (600h) in PMBA
; and enabled in PMREGMISC, as a BIOS does.  Skipped for them: SCI_EN
; (set through SMI_CMD there) and the PM1_EN reserved bits (kept); the
; timer's origin (not power-on); on QEMU the final spurious check (it
; takes a spurious IRQ 15 once the level SCI drops); on Bochs the SCI
; part (it raises none for TMR_STS), and its timer moves in whole
; microseconds (4 counts of tolerance).
%include "rz_test.inc"

%ifdef QEMU
%define TSC_HZ 1000000000       ; -icount: the TSC counts nanoseconds
%else
%define TSC_HZ 50000000
%endif
%define PM_HZ 3579545
%ifdef BOCHS
%define RATE_TOL 4              ; Bochs's timer moves in whole microseconds
%else
%define RATE_TOL 2
%endif
; TSC ticks for `us` microseconds
%define US(us) ((us) * TSC_HZ / 1000000)

%define PM_BASE 0x600
%define PM1_STS PM_BASE + 0
%define PM1_EN  PM_BASE + 2
%define PM1_CNT PM_BASE + 4
%define PM_TMR  PM_BASE + 8

%define IRQ9_CNT 0x0500
%define IRQ9_TMR 0x0504         ; PM_TMR as the SCI handler read it
%define IRQ9_STS 0x0508         ; PM1_STS as it read it
%define SPUR     0x050C
%define WD_CNT   0x0518         ; watchdog ticks (IRQ 0)
%define T0       0x0510
%define P0       0x0514

; CHECK_RANGE value, lo, hi: lo <= value <= hi, unsigned 32-bit; a
; failure also prints the value.
%macro CHECK_RANGE 3
        push eax
        mov eax, %1
        push eax
        sub eax, %2
        cmp eax, (%3) - (%2)
        pop eax
        jbe %%in
        call put_value
        mov al, 0
        jmp %%chk
%%in:   mov al, 1
%%chk:  CHECK al, 1
        pop eax
%endmacro

start:
        RZ_INIT16
        mov cx, 0x10
        mov bx, 0x20 * 4
.vec:   mov word [bx], other_irq
        mov word [bx + 2], 0xF000
        add bx, 4
        loop .vec
        mov word [0x29 * 4], irq9_handler
        call pic_init
        mov dword [IRQ9_CNT], 0
        mov dword [SPUR], 0
%ifdef QEMU
        call enable_piix4_pm
%endif
%ifdef BOCHS
        call enable_piix4_pm
%endif

        ; ---- 1: the registers ----
        mov dx, PM1_CNT
        in ax, dx
%ifndef QEMU
%ifndef BOCHS
        CHECK ax, 0x0001                ; SCI_EN
%else
%assign RZ_CHECK RZ_CHECK + 1
%endif
%else
%assign RZ_CHECK RZ_CHECK + 1           ; (QEMU, Bochs: SCI_EN comes from SMI_CMD)
%endif
        mov dx, PM1_EN
        in ax, dx
        CHECK ax, 0x0000
        mov ax, 0xFFFF
        out dx, ax
        in ax, dx
%ifndef QEMU
%ifndef BOCHS
        CHECK ax, 0x0521                ; RTC_EN, PWRBTN_EN, GBL_EN, TMR_EN
%else
%assign RZ_CHECK RZ_CHECK + 1
%endif
%else
%assign RZ_CHECK RZ_CHECK + 1           ; (QEMU, Bochs keep reserved bits)
%endif
        xor ax, ax
        out dx, ax
        mov dx, PM1_STS
        mov ax, 0xFFFF                  ; clear everything
        out dx, ax
        in ax, dx
        and ax, 0x0001
        CHECK ax, 0x0000                ; TMR_STS clear (the counter is far below 800000h)

        ; ---- 2: the timer's rate against the TSC ----
        mov dx, PM_TMR
        in eax, dx
        mov ebx, eax
        shr ebx, 24
        CHECK bl, 0                     ; a 24-bit timer: bits 31:24 read 0
        rdtsc
        mov [T0], eax
        mov dx, PM_TMR
        in eax, dx
        mov [P0], eax
        mov ecx, US(20000)
        call delay
        rdtsc
        mov esi, eax
        mov dx, PM_TMR
        in eax, dx
        sub eax, [P0]
        and eax, 0x00FFFFFF
        mov edi, eax                    ; PM counts elapsed
        mov eax, esi
        sub eax, [T0]                   ; TSC ticks elapsed
        mov ebx, PM_HZ
        mul ebx
        mov ebx, TSC_HZ
        div ebx                         ; counts expected
        sub edi, eax
        add edi, RATE_TOL
        CHECK_RANGE edi, 0, 2 * RATE_TOL ; 71591 counts, to RATE_TOL
%ifndef QEMU
%ifndef BOCHS
        ; from power-on: the counter and the TSC started together
        rdtsc
        mov esi, eax
        mov dx, PM_TMR
        in eax, dx
        mov edi, eax
        mov eax, esi
        mov ebx, PM_HZ
        mul ebx
        mov ebx, TSC_HZ
        div ebx
        sub edi, eax
        add edi, 2
        CHECK_RANGE edi, 0, 4
%else
%assign RZ_CHECK RZ_CHECK + 1
%endif
%else
%assign RZ_CHECK RZ_CHECK + 1
%endif

        ; ---- 3: TMR_STS and the SCI on IRQ 9 (level-triggered) ----
%ifndef BOCHS
        mov dx, 0x4D1
        mov al, 0x02                    ; ELCR2: IRQ 9 level
        out dx, al
        in al, dx
        CHECK al, 0x02
        mov dx, PM1_EN
        mov ax, 0x0001                  ; TMR_EN
        out dx, ax
        ; sleep until the SCI, with counter 0 of the PIT as a watchdog
        ; (18.2 Hz on IRQ 0): a missing SCI fails after 3.3 s
        mov dword [WD_CNT], 0
        mov word [0x20 * 4], irq0_watchdog
        mov al, 0x34
        out 0x43, al
        xor al, al
        out 0x40, al
        out 0x40, al
        in al, 0x21
        and al, 0xFE
        out 0x21, al
        sti
.wait:  hlt
        cmp dword [WD_CNT], 60
        ja .late
        cmp dword [IRQ9_CNT], 1
        jb .wait
.late:  CHECK_RANGE dword [IRQ9_CNT], 1, 1
        mov ecx, US(2000)               ; a level IRQ not cleared would come back at once
        call delay
        cli
        in al, 0x21                     ; watchdog off
        or al, 0x01
        out 0x21, al
        mov al, 0x30
        out 0x43, al
        CHECK dword [IRQ9_CNT], 1
        mov eax, [IRQ9_TMR]
        CHECK_RANGE eax, 0x800000, 0x800000 + 40 ; bit 23 just went to 1
        mov ax, [IRQ9_STS]
        and ax, 0x0001
        CHECK ax, 0x0001                ; TMR_STS was set
        mov dx, PM1_STS
        in ax, dx
        and ax, 0x0001
        CHECK ax, 0x0000                ; and the handler's write cleared it
        mov dx, PM1_EN
        xor ax, ax
        out dx, ax
        mov dx, 0x4D1
        xor al, al
        out dx, al
%else
%assign RZ_CHECK RZ_CHECK + 6           ; Bochs raises no SCI for TMR_STS
%endif
%ifndef QEMU
        CHECK dword [SPUR], 0
%else
%assign RZ_CHECK RZ_CHECK + 1           ; QEMU takes a spurious IRQ 15 after the level SCI drops
%endif
%ifdef BOCHS
        call bochs_quit_pass
%endif
        PASS16

; IRQ 9 (the SCI): record the timer and the status, clear TMR_STS, EOI
irq9_handler:
        push eax
        push dx
        mov dx, PM_TMR
        in eax, dx
        mov [IRQ9_TMR], eax
        mov dx, PM1_STS
        in ax, dx
        mov [IRQ9_STS], ax
        mov ax, 0x0001
        out dx, ax
        inc dword [IRQ9_CNT]
        mov al, 0x20
        out 0xA0, al
        out 0x20, al
        pop dx
        pop eax
        iret

irq0_watchdog:
        push ax
        inc dword [WD_CNT]
        mov al, 0x20
        out 0x20, al
        pop ax
        iret

other_irq:
        push ax
        inc dword [SPUR]
        mov al, 0x20
        out 0xA0, al
        out 0x20, al
        pop ax
        iret

; put_value: print EAX as "value XXXXXXXX " on the debug console
put_value:
        push si
        push cx
        push eax
        mov si, msg_value
        call puts16
        pop eax
        push eax
        mov cx, 8
.dig:   rol eax, 4
        push ax
        and al, 0x0F
        add al, '0'
        cmp al, '9'
        jbe .out
        add al, 7
.out:   out DEBUGCON, al
        pop ax
        loop .dig
        mov al, ' '
        out DEBUGCON, al
        pop eax
        pop cx
        pop si
        ret
msg_value: db "value ", 0

; delay: spin for ECX TSC ticks (interrupts as they are)
delay:
        push eax
        push edx
        push ebx
        rdtsc
        mov ebx, eax
.spin:  rdtsc
        sub eax, ebx
        cmp eax, ecx
        jb .spin
        pop ebx
        pop edx
        pop eax
        ret

pic_init:
%ifdef QEMU
        call qemu_virtual_wire
%endif
        mov al, 0x11
        out 0x20, al
        out 0xA0, al
        mov al, 0x20
        out 0x21, al
        mov al, 0x28
        out 0xA1, al
        mov al, 0x04
        out 0x21, al
        mov al, 0x02
        out 0xA1, al
        mov al, 0x01
        out 0x21, al
        out 0xA1, al
        mov al, 0xFB                    ; the cascade
        out 0x21, al
        mov al, 0xFD                    ; IRQ 9
        out 0xA1, al
        ret

%ifdef QEMU
%define NEED_PIIX4_PM
%endif
%ifdef BOCHS
%define NEED_PIIX4_PM
%endif
%ifdef NEED_PIIX4_PM
; enable_piix4_pm: the PIIX4 PM function (00:01.3) decodes its registers
; only once PMBA (40h) holds a base and PMREGMISC (80h) bit 0 is set
enable_piix4_pm:
        mov dx, 0xCF8
        mov eax, 0x80000B40
        out dx, eax
        mov dx, 0xCFC
        mov eax, PM_BASE | 1
        out dx, eax
        mov dx, 0xCF8
        mov eax, 0x80000B80
        out dx, eax
        mov dx, 0xCFC
        mov al, 0x01
        out dx, al
        ret
%endif

%ifdef QEMU
; QEMU's local APIC comes out of reset with LINT0 masked and drops the
; 8259A's INTR (a BIOS sets up the virtual wire): make LINT0 ExtINT and
; enable the APIC, writing its registers at FEE00000h through FS in big
; real mode.
qemu_virtual_wire:
        o32 lgdt [cs:.gdtr]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        mov bx, 8
        mov fs, bx
        and al, 0xFE
        mov cr0, eax
        xor bx, bx
        mov fs, bx
        mov dword [fs:dword 0xFEE000F0], 0x1FF  ; spurious vector register: enabled
        mov dword [fs:dword 0xFEE00350], 0x700  ; LVT LINT0: ExtINT, unmasked
        ret
        align 8
.gdt:   dq 0
        dw 0xFFFF, 0
        db 0, 0x93, 0xCF, 0
.gdtr:  dw 15
        dd ROMBASE + .gdt
%endif

%ifdef BOCHS
; Bochs has no exit port: its shutdown port ends the run.
bochs_quit_pass:
        mov si, msg_pass
        call puts16
        mov si, bochs_shutdown
        mov dx, 0x8900
.b:     cs lodsb
        test al, al
        jz .e
        out dx, al
        jmp .b
.e:     ret
bochs_shutdown: db "Shutdown", 0
%endif

        RZ_RUNTIME16
        RZ_RESET_VECTOR
