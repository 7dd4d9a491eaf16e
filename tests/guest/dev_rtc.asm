; dev_rtc.asm - the MC146818A RTC and CMOS RAM on the PC board, through
; ports 70h/71h and IRQ 8 on the slave 8259A (MC146818A datasheet,
; "Address Map", "Registers", "Update Cycle", "Interrupts"; the CMOS
; layout of the IBM PC/AT Technical Reference; the board map in
; devices/pc.h).  The machine runs with its defaults: 128 MiB of RAM and
; the clock starting at 2000-01-01 00:00:00 UTC.
;  - registers A = 26h (32.768 kHz, 1024 Hz rate), B = 02h (BCD, 24 h),
;    D = 80h (VRT); the time read as a BIOS does (wait for UIP clear):
;    00:00:00, Saturday (day of week 7), 01-01-00, century 32h = 20h;
;    index bit 7 (the board's NMI mask) does not change the register;
;  - the memory bytes: 15h/16h base 640 KiB, 17h/18h and 30h/31h extended
;    memory in KiB (capped at FFFFh), 34h/35h memory above 16 MiB in
;    64 KiB blocks, and the checksum of 10h-2Dh at 2Eh (high)/2Fh (low);
;  - the periodic interrupt through IRQ 8: 64 interrupts at 1024 Hz and at
;    8192 Hz (rate 3) span exactly 64/f s of TSC time; the handler sees
;    IRQF|PF in register C;
;  - the update-ended interrupt comes once a second, the first one second
;    after power-on; the seconds then read 01; UIP rises 244 us (tBUC)
;    before the next update and falls when it is done, the seconds then
;    read 02;
;  - register C is cleared by reading it; PF is set with PIE = 0 too, but
;    IRQF only for an enabled flag.
;
; Cross-checked under QEMU 7.2 (-DQEMU; -icount shift=0,sleep=off, -rtc
; base=2000-01-01T00:00:00,clock=vm; TSC_HZ 10^9) and Bochs 2.7 (-DBOCHS;
; ips=50M, clock sync=none, time0=946684800).  Where they depart from the
; datasheet the check is skipped for them: both set PF only while PIE is
; on; QEMU leaves the checksum 2Eh/2Fh zero, ties its seconds to its own
; clock rather than to power-on, and under -icount gives the periodic
; interrupt at half the rate; Bochs caps extended memory at FC00h KiB
; and times the periodic interrupt in whole microseconds (976 us).
%include "rz_test.inc"
%include "rz_board.inc"

%ifdef BOCHS
%define PER_TOL(us) (US(us) / 1000) ; 0.1%
%else
%define PER_TOL(us) 16
%endif

%define IRQ8_CNT  0x0500        ; IRQ 8 handler runs
%define IRQ8_TSC  0x0504        ; TSC (low) at the last IRQ 8
%define IRQ8_C    0x0508        ; register C as the handler read it
%define SPUR      0x050C        ; other vectors 20h-2Fh taken
%define T0        0x0510
%define T1        0x0514
%define T2        0x0518
%define SUM       0x051C

; CMOS index -> AL (the index written with bit 7, NMI masked, as BIOSes do)
%macro CMOS_READ 1
        mov al, 0x80 | (%1)
        out 0x70, al
        in al, 0x71
%endmacro

%macro CMOS_WRITE 2
        mov al, 0x80 | (%1)
        out 0x70, al
        mov al, %2
        out 0x71, al
%endmacro

start:
        RZ_INIT16
        RZ_BOARD_IRQ_SETUP16 0x28, irq8_handler
        mov dword [IRQ8_CNT], 0
        mov dword [SPUR], 0

        ; ---- 1: registers and the time at power-on ----
        CMOS_READ 0x0A
        and al, 0x7F
        CHECK al, 0x26
        CMOS_READ 0x0B
        CHECK al, 0x02
        CMOS_READ 0x0D
        CHECK al, 0x80
        mov al, 0x0B                    ; without the NMI bit: the same register
        out 0x70, al
        in al, 0x71
        CHECK al, 0x02
        call wait_no_uip
        CMOS_READ 0x00
        CHECK al, 0x00                  ; seconds
        CMOS_READ 0x02
        CHECK al, 0x00                  ; minutes
        CMOS_READ 0x04
        CHECK al, 0x00                  ; hours
        CMOS_READ 0x06
        CHECK al, 0x07                  ; day of week: Saturday
        CMOS_READ 0x07
        CHECK al, 0x01                  ; date
        CMOS_READ 0x08
        CHECK al, 0x01                  ; month
        CMOS_READ 0x09
        CHECK al, 0x00                  ; year
        CMOS_READ 0x32
        CHECK al, 0x20                  ; century

        ; ---- 2: the memory size bytes and the checksum ----
        CMOS_READ 0x15
        CHECK al, 0x80                  ; 640 KiB base memory
        CMOS_READ 0x16
        CHECK al, 0x02
%ifdef BOCHS
; Bochs caps the extended memory at FC00h KiB (63 MiB)
%define EXT_LO 0x00
%define EXT_HI 0xFC
%else
%define EXT_LO 0xFF
%define EXT_HI 0xFF
%endif
        CMOS_READ 0x17
        CHECK al, EXT_LO                ; 127 MiB above 1 MiB: capped
        CMOS_READ 0x18
        CHECK al, EXT_HI
        CMOS_READ 0x30
        CHECK al, EXT_LO
        CMOS_READ 0x31
        CHECK al, EXT_HI
        CMOS_READ 0x34
        CHECK al, 0x00                  ; (128 - 16) MiB / 64 KiB = 0700h
        CMOS_READ 0x35
        CHECK al, 0x07
%ifndef QEMU
        mov word [SUM], 0
        mov bl, 0x10
.sum:   mov al, bl
        or al, 0x80
        out 0x70, al
        in al, 0x71
        xor ah, ah
        add [SUM], ax
        inc bl
        cmp bl, 0x2E
        jb .sum
        CMOS_READ 0x2E
        CHECK al, [SUM + 1]             ; checksum, high byte first
        CMOS_READ 0x2F
        CHECK al, [SUM]
%else
%assign RZ_CHECK RZ_CHECK + 2           ; QEMU leaves 2Eh/2Fh zero (SeaBIOS ignores them)
%endif

        ; ---- 3: the periodic interrupt at 1024 Hz, then 8192 Hz ----
        CMOS_WRITE 0x0C, 0              ; (C is read-only: no effect)
        CMOS_READ 0x0C                  ; clear old flags
        CMOS_WRITE 0x0B, 0x42           ; PIE, 24 h, BCD
        ; the first interrupt: spin with a time-out, so a missing IRQ 8
        ; fails here instead of sleeping in HLT for ever (later waits
        ; sleep: the line is known to work)
        RZ_WAIT_FIRST_IRQ IRQ8_CNT, US(5000)
        call time_64_irq8
%ifndef QEMU
        CHECK_RANGE eax, US(62500) - PER_TOL(62500), US(62500) + PER_TOL(62500) ; 64 / 1024 Hz
%else
%assign RZ_CHECK RZ_CHECK + 1           ; under -icount QEMU interrupts at half the rate
%endif
        CHECK byte [IRQ8_C], 0xC0       ; IRQF | PF

        CMOS_WRITE 0x0A, 0x23           ; rate 3: 8192 Hz
        mov dword [IRQ8_CNT], 0
        mov ecx, 1
        call wait_irq8
        call time_64_irq8
%ifndef QEMU
        CHECK_RANGE eax, US(7812) - PER_TOL(7812), US(7813) + PER_TOL(7812) ; 64 / 8192 Hz
%else
%assign RZ_CHECK RZ_CHECK + 1
%endif
        CMOS_WRITE 0x0A, 0x26

        ; ---- 4: the update-ended interrupt, once a second ----
        CMOS_WRITE 0x0B, 0x12           ; UIE only
        CMOS_READ 0x0C
        mov dword [IRQ8_CNT], 0
        mov ecx, 1
        call wait_irq8
        mov al, [IRQ8_C]
        and al, 0xB0                    ; (PF runs on with PIE = 0: ignore it)
        CHECK al, 0x90                  ; IRQF | UF
        mov eax, [IRQ8_TSC]
        mov [T1], eax
%ifndef QEMU
        ; the first update one second after power-on (the TSC started
        ; with the machine); a real chip may end the update up to tUC =
        ; 1984 us later
        CHECK_RANGE eax, US(1000000), US(1000000 + 1984) + 200
%else
%assign RZ_CHECK RZ_CHECK + 1           ; QEMU's second boundary is not tied to power-on
%endif
        CMOS_READ 0x00
        CHECK al, 0x01
        CMOS_READ 0x06
        CHECK al, 0x07

        ; ---- 5: UIP around the next update ----
        ; sleep on the 1024 Hz interrupt to 3 ms before it, then poll
        CMOS_WRITE 0x0B, 0x42
.sleep: hlt
        mov eax, [IRQ8_TSC]
        sub eax, [T1]
        cmp eax, US(1000000 - 3000)
        jb .sleep
        cli
        CMOS_WRITE 0x0B, 0x02
        mov al, 0x0A
        out 0x70, al
.uip1:  in al, 0x71
        test al, 0x80
        jz .uip1
        rdtsc
        mov [T0], eax
.uip0:  in al, 0x71
        test al, 0x80
        jnz .uip0
        rdtsc
        mov [T2], eax
        sub eax, [T0]
        ; high for tBUC = 244 us before the update, and at most tUC =
        ; 1984 us more while it runs
        CHECK_RANGE eax, US(244), US(244 + 1984) + 20
        mov eax, [T0]
        sub eax, [T1]
        ; from the end of the last update to the next UIP: one second
        ; less tBUC (less tUC on a chip whose update takes time)
        CHECK_RANGE eax, US(1000000 - 244 - 1984), US(1000000 - 244) + 20
        CMOS_READ 0x00
        CHECK al, 0x02

        ; ---- 6: register C clears on read ----
        mov ecx, US(2000)               ; two periods of 1024 Hz with PIE = 0
        call delay
        CMOS_READ 0x0C
        ; (QEMU and Bochs run the periodic divider tap only while PIE is
        ; set; the datasheet sets PF "independent of the state of PIE")
%ifndef RZ_EMU
        CHECK al, 0x50                  ; PF, and UF of the update 2 ms ago; no IRQF
%else
%assign RZ_CHECK RZ_CHECK + 1
%endif
        CMOS_READ 0x0C
        CHECK al, 0x00
        CMOS_WRITE 0x0B, 0x42           ; PIE with IF = 0: the request waits
        mov ecx, US(2000)
        call delay
        mov al, 0x0A                    ; slave OCW3: read IRR
        out 0xA0, al
        in al, 0xA0
        and al, 0x01
        CHECK al, 0x01                  ; IRQ 8 requested
        CMOS_READ 0x0C
        CHECK al, 0xC0
        CMOS_READ 0x0C
        CHECK al, 0x00
        CMOS_WRITE 0x0B, 0x02
        CMOS_READ 0x0C
        CHECK dword [SPUR], 0
        RZ_BOARD_PASS16

; wait_no_uip: wait until register A's UIP is clear (as a BIOS does before
; reading the time; the next 244 us then hold no update)
wait_no_uip:
        mov al, 0x8A
        out 0x70, al
.w:     in al, 0x71
        test al, 0x80
        jnz .w
        ret

; time_64_irq8: with [IRQ8_CNT] = 1, EAX = TSC ticks from that IRQ 8 to
; the 64th after it
time_64_irq8:
        mov eax, [IRQ8_TSC]
        mov [T0], eax
        mov ecx, 1 + 64
        call wait_irq8
        mov eax, [IRQ8_TSC]
        sub eax, [T0]
        ret

; wait_irq8: HLT until [IRQ8_CNT] >= ECX (interrupts on)
wait_irq8:
        sti
.h:     hlt
        cmp [IRQ8_CNT], ecx
        jb .h
        ret

; IRQ 8: record TSC and register C (reading C acknowledges the chip),
; EOI to the slave, then the master
irq8_handler:
        push eax
        push edx
        rdtsc
        mov [IRQ8_TSC], eax
        mov al, 0x8C
        out 0x70, al
        in al, 0x71
        mov [IRQ8_C], al
        inc dword [IRQ8_CNT]
        mov al, 0x20
        out 0xA0, al
        out 0x20, al
        pop edx
        pop eax
        iret

        RZ_BOARD_PIC16 0xFB, 0xFE, SPUR   ; the cascade (IRQ 2) and IRQ 8 unmasked
        RZ_BOARD_RUNTIME16
        RZ_RUNTIME16
        RZ_RESET_VECTOR
