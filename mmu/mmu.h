/*
 * mmu.h - guest physical address space, A20 gate, linear->physical
 * translation and the software TLB.
 *
 * The physical map is built by the board: RAM from address 0, ROM images
 * and MMIO windows registered at their addresses.  The MMU never knows what
 * a window is (VGA, APIC, ...), only its callbacks.  Guest memory is always
 * little-endian; every multi-byte access goes through mmu_ld16/32, mmu_st16/32.
 *
 * TLB: direct-mapped, separate arrays for read, write and fetch.  An entry
 * maps one linear 4 KiB page to a host pointer and is filled only for plain
 * RAM (and ROM for read/fetch).  A physical page that holds decoded code is
 * never entered in the write TLB, so every write to it takes the slow path,
 * where the code-write callback (the CPU's self-modifying-code check) runs.
 */
#ifndef MMU_MMU_H
#define MMU_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmu;

#define MMU_PAGE_SHIFT 12
#define MMU_PAGE_SIZE 4096u
#define MMU_PAGE_MASK 0xFFFFF000u
#define MMU_TLB_BITS 10
#define MMU_TLB_SIZE (1u << MMU_TLB_BITS)
/* A tag no access can match (see mmu_tlb_hit). */
#define MMU_TLB_INVALID 0xFFFFFFFFu

/* Little-endian load/store helpers, independent of host byte order and
 * alignment. */
static inline uint16_t mmu_ld16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t mmu_ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}
static inline void mmu_st16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void mmu_st32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

struct mmu_tlb_entry {
    uint32_t tag;  /* linear page address, or MMU_TLB_INVALID */
    uint32_t phys; /* physical page address */
    uint8_t *host; /* host pointer to the start of the page */
};

/* Called after every TLB flush, whole or of one page (hence also after
 * paging, A20 and memory-map changes): whoever remembers translations
 * outside the TLB (the CPU's trace links) forgets them. */
typedef void (*mmu_tlb_flush_fn)(void *opaque);

struct mmu_tlb {
    struct mmu_tlb_entry read[MMU_TLB_SIZE];
    struct mmu_tlb_entry write[MMU_TLB_SIZE];
    struct mmu_tlb_entry fetch[MMU_TLB_SIZE];
    mmu_tlb_flush_fn flushed; /* see mmu_set_tlb_flush_handler() */
    void *flushed_opaque;
};

/**
 * Fast-path probe: host pointer for a `size`-byte access at linear address
 * `lin`, or NULL.  A misaligned access fails the tag compare (its low bits
 * survive the mask), so accesses that might cross a page take the slow path.
 */
static inline uint8_t *mmu_tlb_hit(const struct mmu_tlb_entry *set, uint32_t lin, unsigned size)
{
    const struct mmu_tlb_entry *e = &set[(lin >> MMU_PAGE_SHIFT) & (MMU_TLB_SIZE - 1)];
    if ((lin & (MMU_PAGE_MASK | (size - 1))) == e->tag)
        return e->host + (lin & ~MMU_PAGE_MASK);
    return NULL;
}

enum mmu_access { MMU_READ = 0, MMU_WRITE = 1, MMU_FETCH = 2 };

/* A translation fault, ready to become #PF (vector 14): error code bits as
 * in SDM vol. 3, 4.7 (P, W/R, U/S, RSVD, I/D) and the linear address for CR2. */
struct mmu_fault {
    uint32_t linear;
    uint32_t error;
};

/* Callbacks of a memory-mapped I/O window.  size is 1, 2 or 4; addr is the
 * physical address.  Accesses are split so they never cross the window. */
struct mmu_mmio_ops {
    void *opaque;
    uint32_t (*read)(void *opaque, uint32_t addr, unsigned size);
    void (*write)(void *opaque, uint32_t addr, uint32_t value, unsigned size);
};

/* Called when a write (by the CPU or by DMA) touches a physical page marked
 * as holding code.  The CPU installs it. */
typedef void (*mmu_code_write_fn)(void *opaque, uint32_t phys, unsigned size);

/** Create an address space with `ram_size` bytes of zeroed RAM at 0 (a
 * multiple of 4 KiB, at most 3.5 GiB).  NULL if out of memory. */
struct mmu *mmu_create(uint32_t ram_size);
void mmu_destroy(struct mmu *mmu);

/** Map a read-only copy of `size` bytes (multiple of 4 KiB) at `base`.  A
 * window may cover RAM, which it then hides (a PC's 640 KiB-1 MiB hole).
 * Returns 0, or -1 if it overlaps another window or is misaligned. */
int mmu_map_rom(struct mmu *mmu, uint32_t base, const uint8_t *data, uint32_t size);
/** Map an MMIO window (same rules).  Returns 0 or -1. */
int mmu_map_mmio(struct mmu *mmu, uint32_t base, uint32_t size, const struct mmu_mmio_ops *ops);
/** Remove the ROM or MMIO window that starts at `base` (a PCI BAR moving):
 * the RAM it hid, if any, shows again.  Returns 0, or -1 if no window
 * starts there. */
int mmu_unmap(struct mmu *mmu, uint32_t base);

/** The A20 gate: when disabled, physical address bit 20 is forced to 0. */
void mmu_set_a20(struct mmu *mmu, bool enabled);
bool mmu_a20(const struct mmu *mmu);

uint32_t mmu_ram_size(const struct mmu *mmu);

/** Physical accesses with bus semantics (RAM, ROM ignores writes, MMIO
 * callbacks, unmapped reads return all ones).  The A20 mask is applied.
 * Writes run the code-write callback when they touch a code page. */
uint32_t mmu_read_phys(struct mmu *mmu, uint32_t phys, unsigned size);
void mmu_write_phys(struct mmu *mmu, uint32_t phys, uint32_t value, unsigned size);
/** Block copies for loaders, DMA and tests (byte at a time semantics). */
void mmu_read_block(struct mmu *mmu, uint32_t phys, void *buf, size_t len);
void mmu_write_block(struct mmu *mmu, uint32_t phys, const void *buf, size_t len);

/** Host pointer to the page containing `phys` if it is plain RAM (or ROM
 * when !write), else NULL.  The A20 mask is applied.  The pointer is to
 * the byte at `phys` and valid up to the end of its 4 KiB page. */
uint8_t *mmu_phys_host(struct mmu *mmu, uint32_t phys, bool write);

/* Paging configuration, pushed by the CPU when CR0/CR3/CR4 change. */
struct mmu_paging {
    bool enabled;  /* CR0.PG */
    bool wp;       /* CR0.WP */
    bool pse;      /* CR4.PSE */
    bool pge;      /* CR4.PGE */
    bool pae;      /* CR4.PAE */
    uint32_t cr3;
};
/** Install a paging configuration.  A change of enabled, wp, pse, pge or
 * pae flushes every TLB entry, a new cr3 the non-global ones.  PAE walks
 * take their PDPTEs from the PDPTE registers (mmu_load_pdptes), never
 * from memory at cr3. */
void mmu_set_paging(struct mmu *mmu, const struct mmu_paging *p);

/* PAE paging's physical-address width on the P6 family: MAXPHYADDR is 36
 * when CPUID reports PAE and has no leaf 80000008h (SDM vol. 3, 4.1.4). */
#define MMU_MAXPHYADDR 36

/**
 * Load the four PDPTE registers of PAE paging from the 32-byte
 * page-directory-pointer table at cr3 & FFFFFFE0h (SDM vol. 3, 4.4.1).
 * If a present PDPTE sets a reserved bit (2:1, 8:5, 63:MAXPHYADDR:
 * table 4-8) nothing is loaded and false is returned: the CPU's MOV to
 * CR0/CR3/CR4 then raises #GP(0).  Does not flush the TLB.
 */
bool mmu_load_pdptes(struct mmu *mmu, uint32_t cr3);
/** The PDPTE registers as last loaded (debugger, tests). */
void mmu_get_pdptes(const struct mmu *mmu, uint64_t out[4]);

/**
 * Translate a linear address for an access of the given kind at the given
 * privilege (user = CPL 3).  On success stores the physical address, fills
 * the matching TLB entry when the page is plain RAM/ROM (and, for writes,
 * not a code page) and returns true.  On a page fault fills *fault and
 * returns false; nothing is changed (no A/D bit is set on a fault).
 */
bool mmu_translate(struct mmu *mmu, uint32_t linear, enum mmu_access access, bool user,
                   uint32_t *phys, struct mmu_fault *fault);

/** The TLB the CPU probes on its fast path (the supervisor set). */
struct mmu_tlb *mmu_tlb(struct mmu *mmu);
/** The TLB set for supervisor (CPL 0-2) or user (CPL 3) accesses.  The two
 * sets are filled separately (mmu_translate fills the set of its `user`
 * argument) because paging gives the two privilege levels different
 * rights to the same page and the fast path only compares tags: the CPU
 * switches sets when CPL moves between 3 and 0-2. */
struct mmu_tlb *mmu_tlb_for(struct mmu *mmu, bool user);
/** Flush every TLB entry (or only non-global ones). */
void mmu_tlb_flush(struct mmu *mmu, bool include_global);
/** Flush the entries for one linear page (INVLPG). */
void mmu_tlb_flush_page(struct mmu *mmu, uint32_t linear);
/** Install the callback run after every flush (NULL: none). */
void mmu_set_tlb_flush_handler(struct mmu *mmu, mmu_tlb_flush_fn fn, void *opaque);

/** Code-page tracking for self-modifying code: the CPU marks a physical
 * page when it decodes from it (write TLB entries to it are dropped) and
 * clears the mark when it has discarded all its decoded code. */
void mmu_set_code_write_handler(struct mmu *mmu, mmu_code_write_fn fn, void *opaque);
void mmu_mark_code_page(struct mmu *mmu, uint32_t phys);
void mmu_clear_code_page(struct mmu *mmu, uint32_t phys);
bool mmu_is_code_page(const struct mmu *mmu, uint32_t phys);

struct mmu_stats {
    uint64_t tlb_fills;
    uint64_t tlb_flushes;
    uint64_t slow_writes_code; /* writes that hit a code page */
};
void mmu_get_stats(const struct mmu *mmu, struct mmu_stats *out);

#endif
