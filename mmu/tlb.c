/*
 * tlb.c - linear to physical translation: the page walks (SDM vol. 3,
 * chapter 4: 32-bit paging with 4 KiB and 4 MiB pages, PAE paging with
 * 4 KiB and 2 MiB pages) and the software TLB the CPU's fast path probes.
 */
#include "mmu/mmu_internal.h"

/* Paging-structure entry bits (SDM vol. 3, 4.3, tables 4-4 to 4-6). */
#define PG_P 0x001u
#define PG_RW 0x002u
#define PG_US 0x004u
#define PG_A 0x020u
#define PG_D 0x040u
#define PG_PS 0x080u
#define PG_G 0x100u
#define PDE4M_RSVD 0x00200000u /* bit 21 of a 4 MiB PDE */

/* #PF error code bits (SDM vol. 3, 4.7). */
#define PF_P 0x1u
#define PF_W 0x2u
#define PF_U 0x4u
#define PF_RSVD 0x8u

/* tlb_global[][][] flags */
#define TLBF_GLOBAL 1u
#define TLBF_LARGE 2u    /* filled from a 4 MiB page: INVLPG drops the whole page */
#define TLBF_LARGE_2M 4u /* filled from a 2 MiB (PAE) page */

struct mmu_tlb *mmu_tlb(struct mmu *mmu) { return &mmu->tlb[0]; }
struct mmu_tlb *mmu_tlb_for(struct mmu *mmu, bool user) { return &mmu->tlb[user ? 1 : 0]; }

static struct mmu_tlb_entry *tlb_array(struct mmu_tlb *t, unsigned kind)
{
    return kind == MMU_READ ? t->read : kind == MMU_WRITE ? t->write : t->fetch;
}

void mmu_set_tlb_flush_handler(struct mmu *mmu, mmu_tlb_flush_fn fn, void *opaque)
{
    for (unsigned u = 0; u < 2; u++) {
        mmu->tlb[u].flushed = fn;
        mmu->tlb[u].flushed_opaque = opaque;
    }
}

static void tlb_notify(struct mmu *mmu)
{
    if (mmu->tlb[0].flushed != NULL)
        mmu->tlb[0].flushed(mmu->tlb[0].flushed_opaque);
}

void mmu_tlb_flush(struct mmu *mmu, bool include_global)
{
    if (include_global)
        mmu->tlb_large = false;
    for (unsigned u = 0; u < 2; u++) {
        for (unsigned k = 0; k < 3; k++) {
            struct mmu_tlb_entry *a = tlb_array(&mmu->tlb[u], k);
            for (unsigned n = 0; n < MMU_TLB_SIZE; n++) {
                if (include_global || !(mmu->tlb_global[u][k][n] & TLBF_GLOBAL)) {
                    a[n].tag = MMU_TLB_INVALID;
                    mmu->tlb_global[u][k][n] = 0;
                }
            }
        }
    }
    mmu->stats.tlb_flushes++;
    tlb_notify(mmu);
}

void mmu_tlb_flush_page(struct mmu *mmu, uint32_t linear)
{
    uint32_t tag = linear & MMU_PAGE_MASK;
    unsigned idx = (linear >> MMU_PAGE_SHIFT) & (MMU_TLB_SIZE - 1);
    for (unsigned u = 0; u < 2; u++) {
        for (unsigned k = 0; k < 3; k++) {
            struct mmu_tlb_entry *a = tlb_array(&mmu->tlb[u], k);
            if (a[idx].tag == tag) {
                a[idx].tag = MMU_TLB_INVALID;
                mmu->tlb_global[u][k][idx] = 0;
            }
            /* A 4 MiB page is cached as 4 KiB pieces; INVLPG of any
             * address in it drops all of them (SDM vol. 3, 4.10.4.1). */
            for (unsigned n = 0; mmu->tlb_large && n < MMU_TLB_SIZE; n++) {
                uint8_t fl = mmu->tlb_global[u][k][n];
                if (((fl & TLBF_LARGE) && (a[n].tag >> 22) == (linear >> 22)) ||
                    ((fl & TLBF_LARGE_2M) && (a[n].tag >> 21) == (linear >> 21))) {
                    a[n].tag = MMU_TLB_INVALID;
                    mmu->tlb_global[u][k][n] = 0;
                }
            }
        }
    }
    tlb_notify(mmu);
}

void mmu_tlb_drop_write_phys(struct mmu *mmu, uint32_t phys_page)
{
    for (unsigned u = 0; u < 2; u++) {
        struct mmu_tlb_entry *a = mmu->tlb[u].write;
        for (unsigned n = 0; n < MMU_TLB_SIZE; n++) {
            if (a[n].tag != MMU_TLB_INVALID && a[n].phys == phys_page) {
                a[n].tag = MMU_TLB_INVALID;
                mmu->tlb_global[u][MMU_WRITE][n] = 0;
            }
        }
    }
}

void mmu_set_paging(struct mmu *mmu, const struct mmu_paging *p)
{
    struct mmu_paging old = mmu->paging;
    mmu->paging = *p;
    if (old.enabled != p->enabled || old.wp != p->wp || old.pse != p->pse ||
        old.pge != p->pge || old.pae != p->pae)
        mmu_tlb_flush(mmu, true);
    else if (old.cr3 != p->cr3)
        mmu_tlb_flush(mmu, false);
}

/* Enter a translation in the TLB set of the access kind.  Only pages with
 * a host pointer (RAM; ROM for reads and fetches) are entered, and code
 * pages never in the write set, so their writes reach the SMC check. */
static void tlb_fill(struct mmu *mmu, bool user, enum mmu_access access, uint32_t linear,
                     uint32_t page, unsigned flags)
{
    uint8_t *host = mmu_phys_host(mmu, page, access == MMU_WRITE);
    if (host == NULL || (access == MMU_WRITE && mmu_is_code_page(mmu, page)))
        return;
    unsigned u = user ? 1 : 0;
    unsigned idx = (linear >> MMU_PAGE_SHIFT) & (MMU_TLB_SIZE - 1);
    struct mmu_tlb_entry *e = &tlb_array(&mmu->tlb[u], access)[idx];
    e->tag = linear & MMU_PAGE_MASK;
    e->phys = page;
    e->host = host;
    mmu->tlb_global[u][access][idx] = (uint8_t)flags;
    if (flags & (TLBF_LARGE | TLBF_LARGE_2M))
        mmu->tlb_large = true;
    mmu->stats.tlb_fills++;
}

static bool walk_fault(struct mmu_fault *fault, uint32_t linear, uint32_t error)
{
    fault->linear = linear;
    fault->error = error;
    return false;
}

/* Rights check common to both levels: `us` and `rw` are the combined
 * (ANDed) U/S and R/W bits of the walk (SDM vol. 3, 4.6). */
static bool walk_allowed(const struct mmu *mmu, bool write, bool user, uint32_t us, uint32_t rw)
{
    if (user)
        return us && (!write || rw);
    return !write || rw || !mmu->paging.wp;
}

/* Set the accessed (and for writes dirty) bits of an entry: a locked
 * read-modify-write on hardware, only done once the access is known to
 * succeed (no A/D update on a faulting walk). */
static void walk_update(struct mmu *mmu, uint32_t addr, uint32_t entry, uint32_t set)
{
    if ((entry & set) != set)
        mmu_write_phys(mmu, addr, entry | set, 4);
}

/* 32-bit paging walk (SDM vol. 3, 4.3). */
static bool walk32(struct mmu *mmu, uint32_t linear, enum mmu_access access, bool user,
                   uint32_t *page, unsigned *flags, struct mmu_fault *fault)
{
    bool write = access == MMU_WRITE;
    uint32_t err = (write ? PF_W : 0) | (user ? PF_U : 0);
    uint32_t pde_addr = (mmu->paging.cr3 & MMU_PAGE_MASK) | ((linear >> 22) << 2);
    uint32_t pde = mmu_read_phys(mmu, pde_addr, 4);
    if (!(pde & PG_P))
        return walk_fault(fault, linear, err);
    if (mmu->paging.pse && (pde & PG_PS)) {
        /* Bit 21 of a 4 MiB PDE is reserved whatever MAXPHYADDR is
         * (SDM vol. 3, table 4-4; table 5-10 "PSE36 - PDE, 4-MByte page:
         * bit 21"): the entry maps nothing, #PF with P and RSVD. */
        if (pde & PDE4M_RSVD)
            return walk_fault(fault, linear, err | PF_P | PF_RSVD);
        if (!walk_allowed(mmu, write, user, pde & PG_US, pde & PG_RW))
            return walk_fault(fault, linear, err | PF_P);
        walk_update(mmu, pde_addr, pde, PG_A | (write ? PG_D : 0));
        /* PSE-36 address bits 13-16 select memory above 4 GiB, which this
         * 32-bit physical address space does not have: ignored. */
        *page = (pde & 0xFFC00000u) | (linear & 0x003FF000u);
        *flags = TLBF_LARGE | ((mmu->paging.pge && (pde & PG_G)) ? TLBF_GLOBAL : 0);
        return true;
    }
    uint32_t pte_addr = (pde & MMU_PAGE_MASK) | (((linear >> 12) & 0x3FFu) << 2);
    uint32_t pte = mmu_read_phys(mmu, pte_addr, 4);
    if (!(pte & PG_P))
        return walk_fault(fault, linear, err);
    if (!walk_allowed(mmu, write, user, pde & pte & PG_US, pde & pte & PG_RW))
        return walk_fault(fault, linear, err | PF_P);
    walk_update(mmu, pde_addr, pde, PG_A);
    walk_update(mmu, pte_addr, pte, PG_A | (write ? PG_D : 0));
    *page = pte & MMU_PAGE_MASK;
    *flags = (mmu->paging.pge && (pte & PG_G)) ? TLBF_GLOBAL : 0;
    return true;
}

/* PAE entry bits on the P6 family (SDM vol. 3, 4.4.2 and tables 4-8 to
 * 4-11).  MAXPHYADDR is 36; there is no NX (IA32_EFER does not exist, so
 * bit 63 is reserved like the rest of 63:36) and no PAT (it came with
 * the Pentium III), so PTE bit 7 and bit 12 of a 2 MiB PDE are reserved
 * too ("If the PAT is not supported", 4.4.2). */
#define PAE_RSVD_HIGH (~0ull << MMU_MAXPHYADDR)              /* 63:36 */
#define PAE_PDPTE_RSVD (PAE_RSVD_HIGH | 0x1E6u)              /* + 8:5, 2:1 */
#define PAE_PDE2M_RSVD (PAE_RSVD_HIGH | 0x001FF000u)         /* + 20:13, PAT 12 */
#define PAE_PTE_RSVD (PAE_RSVD_HIGH | 0x80u)                 /* + PAT 7 */
/* Address bits 35:32: valid, but this board has nothing above 4 GiB. */
#define PAE_ABOVE_4G 0x0000000F00000000ull

/* A 64-bit PAE entry (two little-endian dwords) at a 36-bit physical
 * address.  Nothing answers above 4 GiB: the bus floats high, as for any
 * unmapped address (mmu_read_phys), so a table there reads as all ones
 * and its entries fault as present with reserved bits set. */
static uint64_t walk_read64(struct mmu *mmu, uint64_t addr)
{
    if (addr > 0xFFFFFFFFull)
        return ~0ull;
    uint32_t a = (uint32_t)addr;
    return mmu_read_phys(mmu, a, 4) | ((uint64_t)mmu_read_phys(mmu, a + 4, 4) << 32);
}

bool mmu_load_pdptes(struct mmu *mmu, uint32_t cr3)
{
    /* CR3 bits 31:5 locate the table; bits 4:0 are ignored (table 4-7). */
    uint32_t base = cr3 & 0xFFFFFFE0u;
    uint64_t e[4];
    for (unsigned k = 0; k < 4; k++) {
        e[k] = walk_read64(mmu, base + 8u * k);
        if ((e[k] & PG_P) && (e[k] & PAE_PDPTE_RSVD))
            return false;
    }
    for (unsigned k = 0; k < 4; k++)
        mmu->pdpte[k] = e[k];
    return true;
}

void mmu_get_pdptes(const struct mmu *mmu, uint64_t out[4])
{
    for (unsigned k = 0; k < 4; k++)
        out[k] = mmu->pdpte[k];
}

/* PAE paging walk (SDM vol. 3, 4.4.2): PDPTE register -> PDE (2 MiB page
 * or table) -> PTE.  The PDPTE comes from the registers loaded at MOV
 * CR0/CR3/CR4 and task switches, not from memory, and was checked for
 * reserved bits then.  The PDPTE has no R/W or U/S bits (they are
 * reserved), so only the PDE and PTE rights combine (4.6).
 *
 * One simplification: a page whose address has bits 35:32 set lies
 * where this board has nothing, and mmu_translate can only return a
 * 32-bit physical address; such a page is refused with a reserved-bit
 * fault instead of reading as all ones. */
static bool walk_pae(struct mmu *mmu, uint32_t linear, enum mmu_access access, bool user,
                     uint32_t *page, unsigned *flags, struct mmu_fault *fault)
{
    bool write = access == MMU_WRITE;
    uint32_t err = (write ? PF_W : 0) | (user ? PF_U : 0);
    uint64_t pdpte = mmu->pdpte[linear >> 30];
    if (!(pdpte & PG_P))
        return walk_fault(fault, linear, err);
    uint64_t pde_addr = (pdpte & ~PAE_RSVD_HIGH & ~0xFFFull) | (((linear >> 21) & 0x1FFu) << 3);
    uint64_t pde = walk_read64(mmu, pde_addr);
    if (!(pde & PG_P))
        return walk_fault(fault, linear, err);
    uint32_t lo = (uint32_t)pde;
    if (lo & PG_PS) {
        /* CR4.PSE does not matter: PAE always honours PS (4.4.2). */
        if (pde & (PAE_PDE2M_RSVD | PAE_ABOVE_4G))
            return walk_fault(fault, linear, err | PF_P | PF_RSVD);
        if (!walk_allowed(mmu, write, user, lo & PG_US, lo & PG_RW))
            return walk_fault(fault, linear, err | PF_P);
        walk_update(mmu, (uint32_t)pde_addr, lo, PG_A | (write ? PG_D : 0));
        *page = (lo & 0xFFE00000u) | (linear & 0x001FF000u);
        *flags = TLBF_LARGE_2M | ((mmu->paging.pge && (lo & PG_G)) ? TLBF_GLOBAL : 0);
        return true;
    }
    if (pde & PAE_RSVD_HIGH)
        return walk_fault(fault, linear, err | PF_P | PF_RSVD);
    uint64_t pte_addr = (pde & ~PAE_RSVD_HIGH & ~0xFFFull) | (((linear >> 12) & 0x1FFu) << 3);
    uint64_t pte = walk_read64(mmu, pte_addr);
    if (!(pte & PG_P))
        return walk_fault(fault, linear, err);
    if (pte & (PAE_PTE_RSVD | PAE_ABOVE_4G))
        return walk_fault(fault, linear, err | PF_P | PF_RSVD);
    uint32_t plo = (uint32_t)pte;
    if (!walk_allowed(mmu, write, user, lo & plo & PG_US, lo & plo & PG_RW))
        return walk_fault(fault, linear, err | PF_P);
    walk_update(mmu, (uint32_t)pde_addr, lo, PG_A);
    walk_update(mmu, (uint32_t)pte_addr, plo, PG_A | (write ? PG_D : 0));
    *page = plo & MMU_PAGE_MASK;
    *flags = (mmu->paging.pge && (plo & PG_G)) ? TLBF_GLOBAL : 0;
    return true;
}

bool mmu_translate(struct mmu *mmu, uint32_t linear, enum mmu_access access, bool user,
                   uint32_t *phys, struct mmu_fault *fault)
{
    uint32_t page = linear & MMU_PAGE_MASK;
    unsigned flags = 0;
    if (mmu->paging.enabled) {
        bool ok = mmu->paging.pae ? walk_pae(mmu, linear, access, user, &page, &flags, fault)
                                  : walk32(mmu, linear, access, user, &page, &flags, fault);
        if (!ok)
            return false;
    }
    page &= mmu->a20_mask;
    *phys = page | (linear & ~MMU_PAGE_MASK);
    tlb_fill(mmu, user, access, linear, page, flags);
    return true;
}
