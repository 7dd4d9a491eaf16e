/*
 * loader.c - firmware mapping and the flat-binary loader.
 */
#include "bios/bios.h"

#include "cpu/cpu.h"
#include "mmu/mmu.h"

bool bios_rom_size_ok(size_t size)
{
    return size != 0 && size % BIOS_ROM_ALIGN == 0 && size <= BIOS_ROM_MAX;
}

int bios_map_rom(struct mmu *mmu, const uint8_t *img, uint32_t size)
{
    if (!bios_rom_size_ok(size))
        return -1;
    /* 4 GiB - size, computed without a 33-bit intermediate. */
    if (mmu_map_rom(mmu, 0u - size, img, size) != 0)
        return -1;
    uint32_t n = size < BIOS_LOW_ALIAS_MAX ? size : BIOS_LOW_ALIAS_MAX;
    return mmu_map_rom(mmu, BIOS_LOW_END - n, img + (size - n), n);
}

int bios_load_flat(struct mmu *mmu, uint32_t addr, const uint8_t *data, size_t size)
{
    uint32_t ram = mmu_ram_size(mmu);
    if (addr > ram || size > ram - addr)
        return -1;
    mmu_write_block(mmu, addr, data, size);
    return 0;
}

/* Descriptor-cache attributes (access byte | flags nibble << 8, as in
 * struct cpu_segment): present, DPL 0, S = 1, accessed; code is
 * execute/read, data is read/write; D/B = 1 and G = 1 (SDM vol. 3,
 * 3.4.5). */
#define BIOS_ATTR_CODE32 (0x9Bu | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G)
#define BIOS_ATTR_DATA32 (0x93u | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G)

static const enum cpu_sreg bios_data_sregs[] = { CPU_DS, CPU_ES, CPU_FS, CPU_GS, CPU_SS };

void bios_apply_entry(struct cpu *cpu, uint32_t ram_size, const struct bios_entry *e)
{
    switch (e->kind) {
    case BIOS_ENTRY_RESET:
        return;
    case BIOS_ENTRY_REAL:
        cpu_set_segment_real(cpu, CPU_CS, e->cs);
        for (unsigned k = 0; k < sizeof(bios_data_sregs) / sizeof(bios_data_sregs[0]); k++)
            cpu_set_segment_real(cpu, bios_data_sregs[k], 0);
        cpu_set_eip(cpu, e->eip & 0xFFFFu);
        cpu_set_reg(cpu, CPU_ESP, e->has_esp ? e->esp : BIOS_REAL_SP);
        break;
    case BIOS_ENTRY_FLAT32: {
        /* PE before the segment loads, so the caches are interpreted as
         * protected-mode descriptors from the first instruction on. */
        cpu_set_cr(cpu, 0, cpu_get_cr(cpu, 0) | 1u);
        const struct cpu_segment code = { 0x08, BIOS_ATTR_CODE32, 0, 0xFFFFFFFFu };
        const struct cpu_segment data = { 0x10, BIOS_ATTR_DATA32, 0, 0xFFFFFFFFu };
        cpu_set_segment(cpu, CPU_CS, &code);
        for (unsigned k = 0; k < sizeof(bios_data_sregs) / sizeof(bios_data_sregs[0]); k++)
            cpu_set_segment(cpu, bios_data_sregs[k], &data);
        cpu_set_dtr(cpu, false, 0, 0);
        cpu_set_dtr(cpu, true, 0, 0);
        cpu_set_eip(cpu, e->eip);
        cpu_set_reg(cpu, CPU_ESP, e->has_esp ? e->esp : ram_size);
        break;
    }
    }
    cpu_set_eflags(cpu, 0x2);
}
