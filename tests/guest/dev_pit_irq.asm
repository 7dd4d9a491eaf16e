; dev_pit_irq.asm - the 8254 PIT on the PC board, through its ports and
; IRQ 0 (Intel 8254 datasheet, "Mode Definitions", "Read Operations";
; the board map in devices/pc.h):
;  - the 8259A pair initialised as a BIOS does (vector bases 20h/28h);
;    counter 0 in mode 2 at divisor D raises IRQ 0 every D input clocks:
;    N interrupts, taken in an STI/HLT loop, span N * D / 1.193182 MHz of
;    TSC time (the TSC runs at the virtual clock's rate, 50 MHz by
;    default), checked to 0.01%;
;  - counter 0 in mode 0 (interrupt on terminal count) gives exactly one
;    IRQ 0, N+1 input clocks after the count was written at the latest;
;  - counter 2's GATE is port 61h bit 0 and its OUT is bit 5: in mode 0 a
;    low gate holds the count, a high gate lets it run to OUT high after
;    N clocks (the Linux TSC calibration loop); in mode 3 OUT2 is a square
;    wave of period N, forced high while the gate is low;
;  - the counter latch command freezes the count until it is read, and a
;    second latch before the read is ignored; the read-back command
;    latches status (OUT, null count, access, mode, BCD) and count.
;
; Cross-checked under QEMU 7.2 (assembled with -DQEMU, run with -icount
; shift=0,sleep=off: the TSC then counts virtual nanoseconds, TSC_HZ 10^9)
; and Bochs 2.7 (-DBOCHS; ips=50M, clock sync=none): all timings agree.
; QEMU departs from the datasheet, and those checks are skipped there:
; it leaves OUT as it was on a mode 0 control word, ignores GATE in mode
; 0 and on a falling gate in mode 3, has no null-count status bit, and
; its mode 2 OUT is a one-clock high pulse.
%include "rz_test.inc"
%include "rz_board.inc"

%define PIT_HZ 1193182
%ifdef QEMU
; QEMU's status byte: compare only access, mode and BCD
%define ST_MASK 0x3F
%else
%define ST_MASK 0xFF
%endif
; TSC ticks for `n` PIT input clocks
%define PIT_TICKS(n) ((n) * TSC_HZ / PIT_HZ)

%define IRQ0_CNT  0x0500        ; IRQ 0 handler runs
%define IRQ0_TSC  0x0504        ; TSC (low) at the last IRQ 0
%define SPUR      0x0508        ; other vectors 20h-2Fh taken
%define T0        0x0510
%define V1        0x0518
%define V2        0x051C

start:
        RZ_INIT16
        RZ_BOARD_IRQ_SETUP16 0x20, irq0_handler
        mov dword [IRQ0_CNT], 0
        mov dword [SPUR], 0

        ; ---- 1: mode 2, divisor D: N interrupts in N * D clocks ----
%define D1 2000
%define N1 100
        mov al, 0x34                    ; counter 0, LSB then MSB, mode 2, binary
        out 0x43, al
        mov al, D1 & 0xFF
        out 0x40, al
        mov al, D1 >> 8
        out 0x40, al
        ; the first interrupt: spin with a time-out, so a missing IRQ 0
        ; fails here instead of sleeping in HLT for ever
        RZ_WAIT_FIRST_IRQ IRQ0_CNT, PIT_TICKS(3 * D1)
        mov eax, [IRQ0_TSC]
        mov [T0], eax
.more:  hlt
        cmp dword [IRQ0_CNT], N1 + 1
        jb .more
        cli
        CHECK dword [IRQ0_CNT], N1 + 1  ; one per HLT: no interrupt lost or doubled
        mov eax, [IRQ0_TSC]
        sub eax, [T0]
%assign E1 PIT_TICKS(N1 * D1)
        CHECK_RANGE eax, E1 - E1 / 10000, E1 + E1 / 10000 ; to 0.01%
        CHECK dword [SPUR], 0

        ; ---- 2: mode 0 is a one-shot: exactly one IRQ 0 ----
%define D2 1000
        mov al, 0x30                    ; counter 0, LSB then MSB, mode 0
        out 0x43, al                    ; OUT0 goes low
        mov dword [IRQ0_CNT], 0
        mov al, D2 & 0xFF
        out 0x40, al
        rdtsc
        mov [T0], eax
        mov al, D2 >> 8
        out 0x40, al                    ; counting starts with the MSB
        sti
        mov ecx, PIT_TICKS(3 * 65536)   ; the counter wraps three times
        call delay
        cli
        CHECK dword [IRQ0_CNT], 1
        mov eax, [IRQ0_TSC]
        sub eax, [T0]
        ; OUT0 rises N+1 clocks after the count write at the latest
        ; (loaded on the next clock, then N counts); the handler's RDTSC
        ; comes a few instructions later
        CHECK_RANGE eax, PIT_TICKS(D2), PIT_TICKS(D2 + 1) + 200
        ; after terminal count the counter wraps and runs on: it reads
        ; (D - clocks since the load) mod 65536
        mov al, 0x00                    ; latch counter 0
        out 0x43, al
        rdtsc
        sub eax, [T0]
        RZ_TSC_TO_CLOCKS PIT_HZ                 ; EAX = clocks since the count write
        mov ebx, D2
        sub ebx, eax                    ; expected count (low 16 bits)
        call read_ch0
        sub eax, ebx
        add eax, 8
        and eax, 0xFFFF
        CHECK_RANGE eax, 0, 16
        mov al, 0x0A                    ; OCW3: read IRR
        out 0x20, al
        in al, 0x20
        and al, 1
        CHECK al, 0                     ; OUT0 is still high, but an edge request ends with its INTA
        mov al, 0x0B                    ; OCW3: read ISR
        out 0x20, al
        in al, 0x20
        CHECK al, 0                     ; the handler's EOI cleared it
        mov al, 0x0A
        out 0x20, al

        ; ---- 3: counter 2, its gate and OUT through port 61h ----
        in al, 0x61
        and al, 0xFC                    ; gate 2 low, speaker off
        out 0x61, al
        mov al, 0xB0                    ; counter 2, LSB then MSB, mode 0
        out 0x43, al
        in al, 0x61
        and al, 0x20
%ifndef QEMU
        CHECK al, 0                     ; mode 0: OUT2 low after the control word
%else
%assign RZ_CHECK RZ_CHECK + 1           ; QEMU leaves OUT2 as it was until a count is written
%endif
        mov al, 0x00
        out 0x42, al
        mov al, 0x10                    ; count 1000h
        out 0x42, al
%ifndef QEMU
        mov ecx, PIT_TICKS(5000)        ; longer than the count: the gate holds it
        call delay
        in al, 0x61
        and al, 0x20
        CHECK al, 0
        mov al, 0x80                    ; latch counter 2
        out 0x43, al
        in al, 0x42
        mov ah, al
        in al, 0x42
        xchg al, ah
        CHECK ax, 0x1000                ; loaded, not counting
        mov al, 0xE8                    ; read-back: status of counter 2
        out 0x43, al
        in al, 0x42
        CHECK al, 0x30                  ; OUT low, count loaded, LSB/MSB, mode 0, binary
        in al, 0x61
        or al, 0x01                     ; gate 2 high: counting
        mov bl, al
        rdtsc
        mov [T0], eax
        mov al, bl
        out 0x61, al
        mov ecx, PIT_TICKS(0x2000)
.out2:  in al, 0x61
        test al, 0x20
        jnz .out2hi
        rdtsc
        sub eax, [T0]
        cmp eax, ecx
        jb .out2
.out2hi:
        rdtsc
        sub eax, [T0]
        CHECK_RANGE eax, PIT_TICKS(0x1000 - 1), PIT_TICKS(0x1000 + 1) + 100
%else
        ; QEMU ignores GATE in mode 0 (the count runs from its write)
%assign RZ_CHECK RZ_CHECK + 4
        in al, 0x61
        or al, 0x01
        out 0x61, al
        mov ecx, PIT_TICKS(0x1200)
        call delay
%endif
        in al, 0x61
        and al, 0x20
        CHECK al, 0x20                  ; stays high

        ; mode 3, count 100: a square wave of period 100 clocks on OUT2;
        ; count its rising edges for 20.5 periods of TSC time
        mov al, 0xB6                    ; counter 2, LSB then MSB, mode 3
        out 0x43, al
        mov al, 100
        out 0x42, al
        mov al, 0
        out 0x42, al
        rdtsc
        mov [T0], eax
        xor esi, esi                    ; rising edges seen
        in al, 0x61
        mov bl, al                      ; previous level
.sq:    in al, 0x61
        mov bh, al
        not bl
        and bl, al
        test bl, 0x20
        jz .sqn
        inc esi
.sqn:   mov bl, bh
        rdtsc
        sub eax, [T0]
        cmp eax, PIT_TICKS(2050)
        jb .sq
        CHECK_RANGE esi, 20, 21
        in al, 0x61
        and al, 0xFE                    ; gate low: mode 3 forces OUT2 high
        out 0x61, al
%ifndef QEMU
        in al, 0x61
        and al, 0x20
        CHECK al, 0x20
        mov ecx, PIT_TICKS(300)
        call delay
        in al, 0x61
        and al, 0x20
        CHECK al, 0x20                  ; and holds it there
%else
%assign RZ_CHECK RZ_CHECK + 2           ; QEMU leaves OUT as it is when GATE falls
%endif

        ; ---- 4: the counter latch and the read-back command ----
        mov al, 0x34                    ; counter 0, mode 2, divisor 8000h
        out 0x43, al
        mov al, 0x00
        out 0x40, al
        mov al, 0x80
        out 0x40, al
        mov ecx, PIT_TICKS(100)
        call delay
        mov al, 0x00                    ; latch counter 0
        out 0x43, al
        mov ecx, PIT_TICKS(2000)
        call delay
        mov al, 0x00                    ; a second latch before the read: ignored
        out 0x43, al
        call read_ch0
        mov [V1], eax                   ; frozen 2000 clocks ago
        mov al, 0x00
        out 0x43, al
        call read_ch0
        mov [V2], eax                   ; now
        mov eax, [V1]
        sub eax, [V2]
        CHECK_RANGE eax, 1995, 2010     ; the first latch held its value
        mov eax, [V2]
        CHECK_RANGE eax, 0x8000 - 2200, 0x8000 - 2000

        mov al, 0xE2                    ; read-back: status only, counter 0
        out 0x43, al
        in al, 0x40
        and al, ST_MASK
        CHECK al, 0xB4 & ST_MASK        ; OUT high, LSB/MSB, mode 2, binary
        mov al, 0xC2                    ; read-back: status and count, counter 0
        out 0x43, al
        mov ecx, PIT_TICKS(1000)
        call delay
        in al, 0x40                     ; the status comes first
        and al, ST_MASK
        CHECK al, 0xB4 & ST_MASK
        call read_ch0                   ; then the count latched with it
        mov [V1], eax
        mov al, 0x00
        out 0x43, al
        call read_ch0
        mov ebx, [V1]
        sub ebx, eax
        CHECK_RANGE ebx, 995, 1010

        ; null count: set by a control word, cleared when the count
        ; reaches the counting element
        mov al, 0x34
        out 0x43, al
        mov al, 0xE2
        out 0x43, al
        in al, 0x40
        and al, ST_MASK
        CHECK al, 0xF4 & ST_MASK        ; OUT high (mode 2), null count, LSB/MSB, mode 2
        mov al, 0x00
        out 0x40, al
        out 0x40, al                    ; count 0 = 65536
        mov ecx, PIT_TICKS(3)
        call delay
        mov al, 0xE2
        out 0x43, al
        in al, 0x40
        and al, ST_MASK
        CHECK al, 0xB4 & ST_MASK

        mov al, 0x30                    ; quiet counter 0: mode 0, no count
        out 0x43, al
        CHECK dword [SPUR], 0
        RZ_BOARD_PASS16

; read_ch0: EAX = counter 0, LSB then MSB (as latched or live)
read_ch0:
        xor eax, eax
        in al, 0x40
        mov ah, al
        in al, 0x40
        xchg al, ah
        ret

irq0_handler:
        push eax
        push edx
        rdtsc
        mov [IRQ0_TSC], eax
        inc dword [IRQ0_CNT]
        mov al, 0x20
        out 0x20, al
        pop edx
        pop eax
        iret

        RZ_BOARD_PIC16 0xFE, 0xFF, SPUR   ; only IRQ 0 unmasked
        RZ_BOARD_RUNTIME16
        RZ_RUNTIME16
        RZ_RESET_VECTOR
