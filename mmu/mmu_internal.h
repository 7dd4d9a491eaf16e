/*
 * mmu_internal.h - the MMU object, shared by the files of mmu/ only.
 */
#ifndef MMU_MMU_INTERNAL_H
#define MMU_MMU_INTERNAL_H

#include "mmu/mmu.h"

#define MMU_MAX_REGIONS 32

enum mmu_region_kind { MMU_REGION_ROM, MMU_REGION_MMIO };

struct mmu_region {
    uint32_t base;
    uint32_t size;
    enum mmu_region_kind kind;
    uint8_t *rom;             /* MMU_REGION_ROM: the private copy */
    struct mmu_mmio_ops mmio; /* MMU_REGION_MMIO */
};

struct mmu {
    uint8_t *ram;
    uint32_t ram_size;
    uint32_t ram_pages;
    uint8_t *code_bits;       /* one bit per RAM page: holds decoded code */
    uint8_t *hole_bits;       /* one bit per RAM page: hidden behind a ROM or
                                 MMIO window (a PC's 640 KiB-1 MiB hole) */
    struct mmu_region region[MMU_MAX_REGIONS];
    unsigned nregions;
    uint32_t a20_mask;        /* 0xFFFFFFFF, or bit 20 clear when A20 is off */
    struct mmu_paging paging;
    uint64_t pdpte[4];        /* PAE PDPTE registers (mmu_load_pdptes) */
    mmu_code_write_fn code_write;
    void *code_write_opaque;
    struct mmu_stats stats;
    /* Two TLB sets: supervisor (CPL 0-2) and user (CPL 3) accesses see
     * different permissions under paging, and the fast path compares only
     * the tag.  tlb_global marks entries from global pages (CR4.PGE). */
    struct mmu_tlb tlb[2];
    uint8_t tlb_global[2][3][MMU_TLB_SIZE];
    bool tlb_large; /* some entry may come from a 4 MiB page (INVLPG scans) */
};

/** phys is in plain RAM: below the RAM size and not behind a window. */
static inline bool mmu_is_ram(const struct mmu *mmu, uint32_t phys)
{
    uint32_t page = phys >> MMU_PAGE_SHIFT;
    return page < mmu->ram_pages && !((mmu->hole_bits[page >> 3] >> (page & 7)) & 1u);
}

/** The region containing phys, or NULL (RAM and unmapped space). */
const struct mmu_region *mmu_find_region(const struct mmu *mmu, uint32_t phys);
/** Drop every write-TLB entry (both sets) that maps the physical page. */
void mmu_tlb_drop_write_phys(struct mmu *mmu, uint32_t phys_page);

#endif
