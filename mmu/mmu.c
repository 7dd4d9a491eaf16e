/*
 * mmu.c - the guest physical address space: RAM, ROM images, MMIO windows,
 * the A20 gate, physical and block accesses, code-page tracking.
 *
 * Translation and the TLB live in mmu/tlb.c.
 */
#include <stdlib.h>
#include <string.h>

#include "mmu/mmu_internal.h"

/* 3.5 GiB: the board keeps RAM below the PCI hole. */
#define MMU_RAM_MAX 0xE0000000u

struct mmu *mmu_create(uint32_t ram_size)
{
    if (ram_size % MMU_PAGE_SIZE != 0 || ram_size > MMU_RAM_MAX)
        return NULL;
    struct mmu *mmu = calloc(1, sizeof(*mmu));
    if (mmu == NULL)
        return NULL;
    mmu->ram_size = ram_size;
    mmu->ram_pages = ram_size >> MMU_PAGE_SHIFT;
    mmu->ram = calloc(ram_size ? ram_size : 1, 1);
    mmu->code_bits = calloc(mmu->ram_pages / 8 + 1, 1);
    mmu->hole_bits = calloc(mmu->ram_pages / 8 + 1, 1);
    if (mmu->ram == NULL || mmu->code_bits == NULL || mmu->hole_bits == NULL) {
        mmu_destroy(mmu);
        return NULL;
    }
    mmu->a20_mask = 0xFFFFFFFFu;
    mmu_tlb_flush(mmu, true);
    mmu->stats.tlb_flushes = 0;
    return mmu;
}

void mmu_destroy(struct mmu *mmu)
{
    if (mmu == NULL)
        return;
    for (unsigned k = 0; k < mmu->nregions; k++)
        free(mmu->region[k].rom);
    free(mmu->code_bits);
    free(mmu->hole_bits);
    free(mmu->ram);
    free(mmu);
}

uint32_t mmu_ram_size(const struct mmu *mmu) { return mmu->ram_size; }

/* [base, base+size) must be page aligned and not overlap another region.
 * It may cover RAM: the window then hides the RAM behind it, as the ROM and
 * device windows between 640 KiB and 1 MiB do on a PC. */
static bool mmu_range_free(const struct mmu *mmu, uint32_t base, uint32_t size)
{
    uint64_t end = (uint64_t)base + size;
    if (size == 0 || (base | size) & ~MMU_PAGE_MASK || end > 0x100000000ull)
        return false;
    for (unsigned k = 0; k < mmu->nregions; k++) {
        const struct mmu_region *r = &mmu->region[k];
        if (base < (uint64_t)r->base + r->size && r->base < end)
            return false;
    }
    return mmu->nregions < MMU_MAX_REGIONS;
}

/* Hide the RAM pages a new window covers. */
static void mmu_hide_ram(struct mmu *mmu, uint32_t base, uint32_t size)
{
    for (uint64_t a = base; a < (uint64_t)base + size; a += MMU_PAGE_SIZE) {
        uint32_t page = (uint32_t)(a >> MMU_PAGE_SHIFT);
        if (page < mmu->ram_pages)
            mmu->hole_bits[page >> 3] |= (uint8_t)(1u << (page & 7));
    }
}

int mmu_map_rom(struct mmu *mmu, uint32_t base, const uint8_t *data, uint32_t size)
{
    if (!mmu_range_free(mmu, base, size))
        return -1;
    uint8_t *copy = malloc(size);
    if (copy == NULL)
        return -1;
    memcpy(copy, data, size);
    struct mmu_region *r = &mmu->region[mmu->nregions++];
    *r = (struct mmu_region){.base = base, .size = size, .kind = MMU_REGION_ROM, .rom = copy};
    mmu_hide_ram(mmu, base, size);
    mmu_tlb_flush(mmu, true);
    return 0;
}

int mmu_map_mmio(struct mmu *mmu, uint32_t base, uint32_t size, const struct mmu_mmio_ops *ops)
{
    if (ops == NULL || ops->read == NULL || ops->write == NULL || !mmu_range_free(mmu, base, size))
        return -1;
    struct mmu_region *r = &mmu->region[mmu->nregions++];
    *r = (struct mmu_region){.base = base, .size = size, .kind = MMU_REGION_MMIO, .mmio = *ops};
    mmu_hide_ram(mmu, base, size);
    mmu_tlb_flush(mmu, true);
    return 0;
}

int mmu_unmap(struct mmu *mmu, uint32_t base)
{
    for (unsigned k = 0; k < mmu->nregions; k++) {
        struct mmu_region *r = &mmu->region[k];
        if (r->base != base)
            continue;
        /* The RAM behind the window shows again. */
        for (uint64_t a = r->base; a < (uint64_t)r->base + r->size; a += MMU_PAGE_SIZE) {
            uint32_t page = (uint32_t)(a >> MMU_PAGE_SHIFT);
            if (page < mmu->ram_pages)
                mmu->hole_bits[page >> 3] &= (uint8_t)~(1u << (page & 7));
        }
        free(r->rom);
        mmu->region[k] = mmu->region[mmu->nregions - 1];
        mmu->nregions--;
        mmu_tlb_flush(mmu, true);
        return 0;
    }
    return -1;
}

const struct mmu_region *mmu_find_region(const struct mmu *mmu, uint32_t phys)
{
    for (unsigned k = 0; k < mmu->nregions; k++) {
        const struct mmu_region *r = &mmu->region[k];
        if (phys >= r->base && phys - r->base < r->size)
            return r;
    }
    return NULL;
}

void mmu_set_a20(struct mmu *mmu, bool enabled)
{
    uint32_t mask = enabled ? 0xFFFFFFFFu : ~(1u << 20);
    if (mask != mmu->a20_mask) {
        mmu->a20_mask = mask;
        /* Every cached translation may now point at the wrong page. */
        mmu_tlb_flush(mmu, true);
    }
}

bool mmu_a20(const struct mmu *mmu) { return mmu->a20_mask == 0xFFFFFFFFu; }

static uint32_t mmu_ones(unsigned size) { return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }

static uint32_t mmu_ld(const uint8_t *p, unsigned size)
{
    return size == 1 ? p[0] : size == 2 ? mmu_ld16(p) : mmu_ld32(p);
}

static void mmu_st(uint8_t *p, uint32_t v, unsigned size)
{
    if (size == 1)
        p[0] = (uint8_t)v;
    else if (size == 2)
        mmu_st16(p, (uint16_t)v);
    else
        mmu_st32(p, v);
}

static bool mmu_page_is_code(const struct mmu *mmu, uint32_t page)
{
    return page < mmu->ram_pages && (mmu->code_bits[page >> 3] >> (page & 7)) & 1u;
}

/* [phys, end) lies in plain RAM (an access is at most 4 bytes, so its two
 * ends decide). */
static bool mmu_ram_span(const struct mmu *mmu, uint32_t phys, uint64_t end)
{
    return end <= mmu->ram_size && mmu_is_ram(mmu, phys) && mmu_is_ram(mmu, (uint32_t)(end - 1));
}

/* Run the code-write callback when [phys, phys+len) touches a code page. */
static void mmu_code_check(struct mmu *mmu, uint32_t phys, uint32_t len)
{
    uint32_t first = phys >> MMU_PAGE_SHIFT, last = (phys + len - 1) >> MMU_PAGE_SHIFT;
    for (uint32_t p = first; p <= last; p++) {
        if (mmu_page_is_code(mmu, p)) {
            mmu->stats.slow_writes_code++;
            if (mmu->code_write != NULL)
                mmu->code_write(mmu->code_write_opaque, phys, len);
            return;
        }
    }
}

uint32_t mmu_read_phys(struct mmu *mmu, uint32_t phys, unsigned size)
{
    phys &= mmu->a20_mask;
    uint64_t end = (uint64_t)phys + size;
    if (mmu_ram_span(mmu, phys, end))
        return mmu_ld(mmu->ram + phys, size);
    const struct mmu_region *r = mmu_find_region(mmu, phys);
    if (r != NULL && end <= (uint64_t)r->base + r->size) {
        if (r->kind == MMU_REGION_ROM)
            return mmu_ld(r->rom + (phys - r->base), size);
        return r->mmio.read(r->mmio.opaque, phys, size);
    }
    if (r == NULL && size == 1)
        return 0xFFu; /* unmapped: the bus floats high */
    /* Crosses an edge between RAM, a window or unmapped space: bytes. */
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v |= mmu_read_phys(mmu, phys + k, 1) << (8 * k);
    return v & mmu_ones(size);
}

void mmu_write_phys(struct mmu *mmu, uint32_t phys, uint32_t value, unsigned size)
{
    phys &= mmu->a20_mask;
    uint64_t end = (uint64_t)phys + size;
    if (mmu_ram_span(mmu, phys, end)) {
        mmu_st(mmu->ram + phys, value, size);
        mmu_code_check(mmu, phys, size);
        return;
    }
    const struct mmu_region *r = mmu_find_region(mmu, phys);
    if (r != NULL && end <= (uint64_t)r->base + r->size) {
        if (r->kind == MMU_REGION_MMIO)
            r->mmio.write(r->mmio.opaque, phys, value, size);
        return; /* ROM: writes are ignored */
    }
    if (r == NULL && size == 1)
        return; /* unmapped: dropped */
    for (unsigned k = 0; k < size; k++)
        mmu_write_phys(mmu, phys + k, (value >> (8 * k)) & 0xFFu, 1);
}

void mmu_read_block(struct mmu *mmu, uint32_t phys, void *buf, size_t len)
{
    uint8_t *out = buf;
    while (len > 0) {
        uint32_t p = phys & mmu->a20_mask;
        size_t chunk = MMU_PAGE_SIZE - (p & ~MMU_PAGE_MASK);
        if (chunk > len)
            chunk = len;
        const uint8_t *host = mmu_phys_host(mmu, p, false);
        if (host != NULL) {
            memcpy(out, host, chunk);
        } else {
            for (size_t k = 0; k < chunk; k++)
                out[k] = (uint8_t)mmu_read_phys(mmu, p + (uint32_t)k, 1);
        }
        out += chunk;
        phys += (uint32_t)chunk;
        len -= chunk;
    }
}

void mmu_write_block(struct mmu *mmu, uint32_t phys, const void *buf, size_t len)
{
    const uint8_t *in = buf;
    while (len > 0) {
        uint32_t p = phys & mmu->a20_mask;
        size_t chunk = MMU_PAGE_SIZE - (p & ~MMU_PAGE_MASK);
        if (chunk > len)
            chunk = len;
        uint8_t *host = mmu_phys_host(mmu, p, true);
        if (host != NULL) {
            memcpy(host, in, chunk);
            mmu_code_check(mmu, p, (uint32_t)chunk);
        } else {
            for (size_t k = 0; k < chunk; k++)
                mmu_write_phys(mmu, p + (uint32_t)k, in[k], 1);
        }
        in += chunk;
        phys += (uint32_t)chunk;
        len -= chunk;
    }
}

uint8_t *mmu_phys_host(struct mmu *mmu, uint32_t phys, bool write)
{
    phys &= mmu->a20_mask;
    if (mmu_is_ram(mmu, phys))
        return mmu->ram + phys;
    if (write)
        return NULL;
    const struct mmu_region *r = mmu_find_region(mmu, phys);
    if (r != NULL && r->kind == MMU_REGION_ROM)
        return r->rom + (phys - r->base);
    return NULL;
}

void mmu_set_code_write_handler(struct mmu *mmu, mmu_code_write_fn fn, void *opaque)
{
    mmu->code_write = fn;
    mmu->code_write_opaque = opaque;
}

void mmu_mark_code_page(struct mmu *mmu, uint32_t phys)
{
    uint32_t page = (phys & mmu->a20_mask) >> MMU_PAGE_SHIFT;
    if (!mmu_is_ram(mmu, page << MMU_PAGE_SHIFT) || mmu_page_is_code(mmu, page))
        return;
    mmu->code_bits[page >> 3] |= (uint8_t)(1u << (page & 7));
    /* From now on every write to the page must reach the slow path. */
    mmu_tlb_drop_write_phys(mmu, page << MMU_PAGE_SHIFT);
}

void mmu_clear_code_page(struct mmu *mmu, uint32_t phys)
{
    uint32_t page = (phys & mmu->a20_mask) >> MMU_PAGE_SHIFT;
    if (page < mmu->ram_pages)
        mmu->code_bits[page >> 3] &= (uint8_t)~(1u << (page & 7));
}

bool mmu_is_code_page(const struct mmu *mmu, uint32_t phys)
{
    return mmu_page_is_code(mmu, (phys & mmu->a20_mask) >> MMU_PAGE_SHIFT);
}

void mmu_get_stats(const struct mmu *mmu, struct mmu_stats *out) { *out = mmu->stats; }
