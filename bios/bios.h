/*
 * bios.h - what runs before the guest's own code: firmware images and
 * direct loaders.
 *
 * Firmware (-bios FILE, or the built-in demo ROM): the image is mapped
 * read-only at the top of the 4 GiB space, and its last 128 KiB (the whole
 * image if smaller) are copied below 1 MiB so that they end at 0x100000,
 * where real-mode code runs after the reset vector's far jump.  That low
 * copy is shadow RAM: writable by the guest, restored at every reset.
 *
 * Flat loader (-flat FILE@ADDR, -entry CS:IP, -entry32 EIP, -esp N): raw
 * files copied into RAM, and a CPU entry state that replaces the reset
 * vector.
 */
#ifndef BIOS_BIOS_H
#define BIOS_BIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmu;
struct cpu;

/* The built-in demo ROM (bios/demo.asm, assembled at build time). */
extern const unsigned char bios_demo_rom[];
extern const size_t bios_demo_rom_size;

#define BIOS_ROM_ALIGN 0x1000u      /* image sizes are multiples of 4 KiB */
#define BIOS_ROM_MAX 0x1000000u     /* at most 16 MiB */
#define BIOS_LOW_ALIAS_MAX 0x20000u /* the part also mapped below 1 MiB */
#define BIOS_LOW_END 0x100000u

/** True if `size` is a valid firmware size (4 KiB multiple, <= 16 MiB). */
bool bios_rom_size_ok(size_t size);

/** Map the image read-only at 4 GiB - size, and its last 128 KiB (or all
 * of it) again so that it ends at 0x100000, over the RAM there, as a PC's
 * chipset decodes the BIOS at reset.  Returns 0, or -1 if the MMU refuses
 * a mapping. */
int bios_map_rom(struct mmu *mmu, const uint8_t *img, uint32_t size);

/** Copy a raw file image into RAM at `addr`.  Returns 0, or -1 if it does
 * not fit inside RAM. */
int bios_load_flat(struct mmu *mmu, uint32_t addr, const uint8_t *data, size_t size);

/* Where the CPU starts. */
enum bios_entry_kind {
    BIOS_ENTRY_RESET = 0, /* the reset vector F000:FFF0 (the firmware) */
    BIOS_ENTRY_REAL,      /* real mode at CS:IP */
    BIOS_ENTRY_FLAT32     /* flat 32-bit protected mode at EIP */
};

struct bios_entry {
    enum bios_entry_kind kind;
    uint16_t cs;  /* BIOS_ENTRY_REAL */
    uint32_t eip;
    bool has_esp; /* else the default stack below */
    uint32_t esp;
};

/* Default stacks: real mode SS:SP = 0000:7C00 (below a boot sector's load
 * address, as a BIOS leaves it); flat 32-bit ESP = the top of RAM. */
#define BIOS_REAL_SP 0x7C00u

/**
 * Put a freshly reset CPU in the entry state.
 *  - REAL: CS:IP as given (CS base = CS << 4), DS = ES = FS = GS = SS = 0.
 *  - FLAT32: CR0.PE set (paging off); CS a 32-bit code segment and
 *    DS/ES/FS/GS/SS 32-bit data segments, all base 0, limit 4 GiB, DPL 0,
 *    loaded straight into the descriptor caches.  GDTR and IDTR are left
 *    empty (limit 0), as the Multiboot specification allows: the guest
 *    must load its own GDT before it reloads a segment register, and its
 *    own IDT before it enables interrupts or faults.
 *  EFLAGS = 2 (interrupts off) in both cases; other registers keep their
 *  reset values.
 */
void bios_apply_entry(struct cpu *cpu, uint32_t ram_size, const struct bios_entry *e);

#endif
