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
%include "rz_board.inc"

%define PM_HZ 3579545
%ifdef BOCHS
%define RATE_TOL 4              ; Bochs's timer moves in whole microseconds
%else
%define RATE_TOL 2
%endif

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

start:
        RZ_INIT16
        RZ_BOARD_IRQ_SETUP16 0x29, irq9_handler
        mov dword [IRQ9_CNT], 0
        mov dword [SPUR], 0
%ifdef RZ_EMU
        call enable_piix4_pm
%endif

        ; ---- 1: the registers ----
        mov dx, PM1_CNT
        in ax, dx
%ifndef RZ_EMU
        CHECK ax, 0x0001                ; SCI_EN
%else
%assign RZ_CHECK RZ_CHECK + 1           ; (QEMU, Bochs: SCI_EN comes from SMI_CMD)
%endif
        mov dx, PM1_EN
        in ax, dx
        CHECK ax, 0x0000
        mov ax, 0xFFFF
        out dx, ax
        in ax, dx
%ifndef RZ_EMU
        CHECK ax, 0x0521                ; RTC_EN, PWRBTN_EN, GBL_EN, TMR_EN
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
        RZ_TSC_TO_CLOCKS PM_HZ                  ; counts expected
        sub edi, eax
        add edi, RATE_TOL
        CHECK_RANGE edi, 0, 2 * RATE_TOL ; 71591 counts, to RATE_TOL
%ifndef RZ_EMU
        ; from power-on: the counter and the TSC started together
        rdtsc
        mov esi, eax
        mov dx, PM_TMR
        in eax, dx
        mov edi, eax
        mov eax, esi
        RZ_TSC_TO_CLOCKS PM_HZ
        sub edi, eax
        add edi, 2
        CHECK_RANGE edi, 0, 4
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
        RZ_BOARD_PASS16

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

%ifdef RZ_EMU
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

        RZ_BOARD_PIC16 0xFB, 0xFD, SPUR   ; the cascade and IRQ 9 unmasked
        RZ_BOARD_RUNTIME16
        RZ_RUNTIME16
        RZ_RESET_VECTOR
