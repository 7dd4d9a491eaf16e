/*
 * linux.h - the Linux/x86 boot protocol loader (bzImage, 32-bit entry),
 * as Documentation/arch/x86/boot.rst ("32-bit boot protocol") and
 * zero-page.rst describe it.  The kernel's real-mode setup code is not
 * run: the loader does its work (zero page, memory map, command line,
 * initrd) and enters the protected-mode kernel directly.
 *
 * Guest memory used (all below the EBDA at 0x9FC00, in RAM the E820 map
 * reports usable; the kernel copies what it needs before reusing it):
 *   0x90000 - 0x90FFF   the zero page (struct boot_params, 4 KiB)
 *   0x91000 - 0x9101F   a GDT: null, null, __BOOT_CS (0x10), __BOOT_DS (0x18)
 *   0x92000 - 0x9EFFF   the command line, NUL-terminated
 *   below 0x90000       the initial stack (ESP = 0x90000)
 *   0x100000 -          the protected-mode kernel (code32_start)
 *   top of RAM          the initrd, page-aligned, as high as initrd_addr_max
 *                       allows
 */
#ifndef BIOS_LINUX_H
#define BIOS_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmu;
struct cpu;

#define LINUX_ZERO_PAGE 0x90000u
#define LINUX_GDT_ADDR 0x91000u
#define LINUX_CMDLINE_ADDR 0x92000u
#define LINUX_CMDLINE_END 0x9F000u
#define LINUX_STACK_TOP 0x90000u
#define LINUX_KERNEL_ADDR 0x100000u

/* Selectors the 32-bit entry requires (boot.rst: __BOOT_CS, __BOOT_DS). */
#define LINUX_BOOT_CS 0x10u
#define LINUX_BOOT_DS 0x18u
#define LINUX_GDT_LIMIT 0x1Fu /* four descriptors */

/* Oldest boot protocol accepted: 2.04 has the 32-bit syssize and
 * initrd_addr_max (2.03) that a loader needs without the setup code. */
#define LINUX_MIN_PROTOCOL 0x0204u
/* Command line limit of kernels before protocol 2.06 (no cmdline_size). */
#define LINUX_OLD_CMDLINE_MAX 255u

/* What to boot. */
struct linux_boot {
    const uint8_t *kernel; /* the bzImage file */
    size_t kernel_size;
    const uint8_t *initrd; /* may be NULL when initrd_size is 0 */
    size_t initrd_size;
    const char *cmdline;   /* may be NULL: empty command line */
};

/* The CPU state of the 32-bit entry, filled by linux_load(). */
struct linux_entry {
    uint32_t eip;       /* code32_start: LINUX_KERNEL_ADDR */
    uint32_t zero_page; /* ESI */
    uint32_t esp;
    uint32_t gdt_base;
    uint16_t gdt_limit;
};

/**
 * True if the file carries a Linux setup header (boot_flag AA55h at 1FEh
 * and "HdrS" at 202h), whatever its protocol version: the frontend then
 * hands it to linux_load(), which explains what it cannot boot (zImage,
 * old protocol), rather than to the multiboot loader.
 */
bool linux_is_bzimage(const uint8_t *data, size_t size);

/**
 * Load a bzImage, its initrd and command line into RAM (`ram_size` bytes
 * from 0, A20 enabled) and fill *entry.  The zero page gets the image's
 * setup header (0x1F1 to 0x202 + the byte at 0x201) with type_of_loader
 * FFh, CAN_USE_HEAP, heap_end_ptr, vid_mode FFFFh ("normal"),
 * code32_start, cmd_line_ptr and ramdisk_image/size filled in, the E820
 * map (bios/e820.h) and ext_mem_k/alt_mem_k.  screen_info stays zero
 * (orig_video_isVGA 0, no lines/columns), so the kernel starts no VGA
 * console: use console=ttyS0.
 *
 * Refused, with a one-line reason in err (if err and errlen are given)
 * and -1 returned, before anything is written to RAM: a file too short
 * for its header, setup code or syssize; no "HdrS" or boot_flag; protocol
 * before 2.04; a zImage (LOADED_HIGH clear); a 64-bit-only kernel
 * (XLF_KERNEL_64); a kernel that needs more RAM than given (from 1 MiB, or
 * up to pref_address + init_size from 2.10 on); a command line longer than
 * cmdline_size (255 before 2.06): refused, never silently truncated; an
 * initrd that does not fit between the kernel and min(initrd_addr_max + 1,
 * top of RAM); A20 disabled.  Returns 0 on success.
 */
int linux_load(struct mmu *mmu, uint32_t ram_size, const struct linux_boot *lb,
               struct linux_entry *entry, char *err, size_t errlen);

/**
 * Put a freshly reset CPU in the 32-bit entry state: CR0.PE set, paging
 * off; GDTR at the loader's GDT; CS = 10h, DS = ES = FS = GS = SS = 18h,
 * flat 4 GiB (caches loaded to match the GDT, so a reload changes
 * nothing); IDTR empty; EFLAGS = 2 (interrupts off); EIP = code32_start,
 * ESI = the zero page, EBP = EDI = EBX = 0, ESP = LINUX_STACK_TOP.
 */
void linux_apply_entry(struct cpu *cpu, const struct linux_entry *entry);

#endif
