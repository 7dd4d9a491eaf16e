/*
 * linux.c - the Linux/x86 boot protocol loader, 32-bit entry (see
 * bios/linux.h).  Field offsets are those of boot.rst ("The real-mode
 * kernel header") and zero-page.rst, relative to the start of the image
 * and of struct boot_params alike (the setup header sits at 0x1F1 in both).
 */
#include "bios/linux.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bios/e820.h"
#include "cpu/cpu.h"
#include "mmu/mmu.h"

/* Setup header fields (boot.rst), with the protocol that introduced them. */
#define HDR_SETUP_SECTS 0x1F1u     /* u8; 0 means 4 */
#define HDR_SYSSIZE 0x1F4u         /* u32 from 2.04: pm part in 16-byte units */
#define HDR_VID_MODE 0x1FAu        /* u16 */
#define HDR_BOOT_FLAG 0x1FEu       /* u16 AA55h */
#define HDR_JUMP 0x200u            /* 2-byte short jump; byte 0x201 gives the header end */
#define HDR_MAGIC 0x202u           /* "HdrS" */
#define HDR_VERSION 0x206u         /* u16, e.g. 020Fh */
#define HDR_TYPE_OF_LOADER 0x210u  /* u8 */
#define HDR_LOADFLAGS 0x211u       /* u8 */
#define HDR_CODE32_START 0x214u    /* u32 */
#define HDR_RAMDISK_IMAGE 0x218u   /* u32 */
#define HDR_RAMDISK_SIZE 0x21Cu    /* u32 */
#define HDR_HEAP_END_PTR 0x224u    /* u16 from 2.01 */
#define HDR_CMD_LINE_PTR 0x228u    /* u32 from 2.02 */
#define HDR_INITRD_ADDR_MAX 0x22Cu /* u32 from 2.03: highest byte the initrd may use */
#define HDR_KERNEL_ALIGN 0x230u    /* u32 from 2.05 */
#define HDR_RELOCATABLE 0x234u     /* u8 from 2.05 */
#define HDR_XLOADFLAGS 0x236u      /* u16 from 2.12 */
#define HDR_CMDLINE_SIZE 0x238u    /* u32 from 2.06: longest command line, NUL excluded */
#define HDR_PREF_ADDRESS 0x258u    /* u64 from 2.10 */
#define HDR_INIT_SIZE 0x260u       /* u32 from 2.10 */

#define HDR_MIN_SIZE 0x206u /* through the "HdrS" magic */
#define HDR_MAX_END 0x290u  /* boot_params: the header ends before edd_mbr_sig_buffer */

#define LOADFLAG_LOADED_HIGH 0x01u /* protected-mode code loaded at 100000h */
#define LOADFLAG_CAN_USE_HEAP 0x80u
#define XLF_KERNEL_64 0x0001u /* has the 64-bit entry at +200h: an x86-64 kernel */

/* Other zero-page fields (zero-page.rst). */
#define BP_EXT_MEM_K 0x002u    /* u16, screen_info.ext_mem_k: KiB above 1 MiB */
#define BP_ALT_MEM_K 0x1E0u    /* u32 */
#define BP_E820_ENTRIES 0x1E8u /* u8 */
#define BP_E820_TABLE 0x2D0u   /* 128 x { u64 addr, u64 size, u32 type } */
#define BP_E820_MAX 128u
#define BP_E820_ENTRY_SIZE 20u
#define BP_SIZE 0x1000u

#define LINUX_LOADER_ID 0xFFu /* type_of_loader: "no assigned ID" */
/* heap_end_ptr: end of the setup heap minus 200h, relative to the setup
 * code.  Only the real-mode setup code reads it, which this loader does
 * not run; set as boot.rst asks of every loader from protocol 2.01. */
#define LINUX_HEAP_END_PTR 0xDE00u

#define MIB 0x100000u

static uint64_t ld64(const uint8_t *p)
{
    return (uint64_t)mmu_ld32(p) | ((uint64_t)mmu_ld32(p + 4) << 32);
}

static void st64(uint8_t *p, uint64_t v)
{
    mmu_st32(p, (uint32_t)v);
    mmu_st32(p + 4, (uint32_t)(v >> 32));
}

static int linux_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err != NULL && errlen != 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

bool linux_is_bzimage(const uint8_t *data, size_t size)
{
    return data != NULL && size >= HDR_MIN_SIZE && mmu_ld16(data + HDR_BOOT_FLAG) == 0xAA55u &&
           memcmp(data + HDR_MAGIC, "HdrS", 4) == 0;
}

/* The facts linux_load() derives from the image before touching RAM. */
struct linux_plan {
    unsigned version;
    size_t setup_size;  /* real-mode part, (setup_sects + 1) sectors */
    size_t pm_size;     /* the rest of the file */
    size_t hdr_end;     /* setup header copied into the zero page up to here */
    uint64_t kernel_end; /* first byte the kernel leaves alone during boot */
    size_t cmdline_len;
    uint32_t initrd_addr;
};

/* The highest address the kernel occupies while it boots.  From 2.10 on
 * it decompresses itself at its runtime address: pref_address for a fixed
 * kernel, else the load address aligned up to kernel_alignment but never
 * below pref_address (LOAD_PHYSICAL_ADDR); it needs init_size bytes from
 * there (boot.rst, init_size). */
static uint64_t linux_kernel_end(const uint8_t *k, unsigned version, size_t pm_size)
{
    uint64_t end = (uint64_t)LINUX_KERNEL_ADDR + pm_size;
    if (version < 0x020Au)
        return end;
    uint64_t runtime = ld64(k + HDR_PREF_ADDRESS);
    if (runtime < LINUX_KERNEL_ADDR)
        runtime = LINUX_KERNEL_ADDR;
    uint32_t align = mmu_ld32(k + HDR_KERNEL_ALIGN);
    if (k[HDR_RELOCATABLE] != 0 && align != 0 && (align & (align - 1)) == 0) {
        uint64_t aligned = ((uint64_t)LINUX_KERNEL_ADDR + align - 1) & ~((uint64_t)align - 1);
        if (aligned > runtime)
            runtime = aligned;
    }
    uint64_t init_end = runtime + mmu_ld32(k + HDR_INIT_SIZE);
    return init_end > end ? init_end : end;
}

/* Check everything; fill *plan or write the reason. */
static int linux_check(const struct mmu *mmu, uint32_t ram_size, const struct linux_boot *lb,
                       struct linux_plan *plan, char *err, size_t errlen)
{
    const uint8_t *k = lb->kernel;
    size_t n = lb->kernel_size;
    if (k == NULL || n < HDR_MIN_SIZE)
        return linux_fail(err, errlen, "bzImage: setup header incomplete (truncated at %zu bytes)",
                          k == NULL ? (size_t)0 : n);
    if (memcmp(k + HDR_MAGIC, "HdrS", 4) != 0)
        return linux_fail(err, errlen, "not a Linux kernel: no HdrS signature");
    if (mmu_ld16(k + HDR_BOOT_FLAG) != 0xAA55u)
        return linux_fail(err, errlen, "not a Linux kernel: boot_flag is 0x%04X, not 0xAA55",
                          (unsigned)mmu_ld16(k + HDR_BOOT_FLAG));
    if (n < HDR_VERSION + 2)
        return linux_fail(err, errlen, "bzImage: setup header incomplete (truncated at %zu bytes)",
                          n);
    plan->version = mmu_ld16(k + HDR_VERSION);
    if (plan->version < LINUX_MIN_PROTOCOL)
        return linux_fail(err, errlen, "boot protocol %u.%02u too old (need %u.%02u)",
                          plan->version >> 8, plan->version & 0xFFu, LINUX_MIN_PROTOCOL >> 8,
                          LINUX_MIN_PROTOCOL & 0xFFu);
    unsigned sects = k[HDR_SETUP_SECTS] != 0 ? k[HDR_SETUP_SECTS] : 4u;
    plan->setup_size = ((size_t)sects + 1) * 512u;
    /* Every field read below lies inside the setup code's first sectors
     * (setup_size >= 2560 > HDR_MAX_END). */
    if (n < plan->setup_size)
        return linux_fail(err, errlen, "bzImage: setup code of %zu bytes (truncated at %zu bytes)",
                          plan->setup_size, n);
    if (!(k[HDR_LOADFLAGS] & LOADFLAG_LOADED_HIGH))
        return linux_fail(err, errlen,
                          "zImage (LOADED_HIGH clear: kernel runs at 0x10000) not supported: "
                          "need a bzImage");
    plan->pm_size = n - plan->setup_size;
    uint64_t sys_bytes = (uint64_t)mmu_ld32(k + HDR_SYSSIZE) * 16u;
    if (plan->pm_size == 0)
        return linux_fail(err, errlen, "bzImage: no protected-mode kernel after %zu bytes of setup",
                          plan->setup_size);
    if (plan->pm_size < sys_bytes)
        return linux_fail(err, errlen,
                          "bzImage: protected-mode kernel of %llu bytes after %zu bytes of setup "
                          "(truncated at %zu bytes)",
                          (unsigned long long)sys_bytes, plan->setup_size, n);
    if (plan->version >= 0x020Cu && (mmu_ld16(k + HDR_XLOADFLAGS) & XLF_KERNEL_64))
        return linux_fail(err, errlen,
                          "64-bit kernel (XLF_KERNEL_64): the emulated CPU has no long mode, "
                          "use an i386 kernel");
    if (!mmu_a20(mmu))
        return linux_fail(err, errlen, "cannot load a kernel at 1 MiB with the A20 gate disabled");

    plan->hdr_end = HDR_JUMP + 2u + k[HDR_JUMP + 1];
    if (plan->hdr_end > HDR_MAX_END)
        plan->hdr_end = HDR_MAX_END;

    plan->kernel_end = linux_kernel_end(k, plan->version, plan->pm_size);
    if (plan->kernel_end > ram_size)
        return linux_fail(err, errlen,
                          "kernel needs RAM up to 0x%llX (%llu KiB), only %u KiB given",
                          (unsigned long long)plan->kernel_end,
                          (unsigned long long)((plan->kernel_end + 1023u) / 1024u),
                          (unsigned)(ram_size / 1024u));

    /* Command line: refused rather than truncated, so that no option is
     * silently lost. */
    size_t limit =
        plan->version >= 0x0206u ? mmu_ld32(k + HDR_CMDLINE_SIZE) : LINUX_OLD_CMDLINE_MAX;
    if (limit > LINUX_CMDLINE_END - LINUX_CMDLINE_ADDR - 1u)
        limit = LINUX_CMDLINE_END - LINUX_CMDLINE_ADDR - 1u;
    plan->cmdline_len = lb->cmdline != NULL ? strlen(lb->cmdline) : 0;
    if (plan->cmdline_len > limit)
        return linux_fail(err, errlen,
                          "command line of %zu bytes is longer than the kernel's limit of %zu bytes",
                          plan->cmdline_len, limit);

    /* initrd: page-aligned, as high as both the top of RAM and
     * initrd_addr_max (its highest allowed byte) allow, above the kernel. */
    plan->initrd_addr = 0;
    if (lb->initrd_size != 0) {
        uint64_t max_end = (uint64_t)mmu_ld32(k + HDR_INITRD_ADDR_MAX) + 1u;
        if (max_end > ram_size)
            max_end = ram_size;
        uint64_t size = lb->initrd_size;
        if (lb->initrd == NULL || size > max_end ||
            ((max_end - size) & ~(uint64_t)(MMU_PAGE_SIZE - 1)) < plan->kernel_end)
            return linux_fail(err, errlen,
                              "initrd (%zu bytes) does not fit below 0x%llX above the kernel "
                              "(which uses RAM up to 0x%llX)",
                              lb->initrd_size, (unsigned long long)max_end,
                              (unsigned long long)plan->kernel_end);
        plan->initrd_addr = (uint32_t)((max_end - size) & ~(uint64_t)(MMU_PAGE_SIZE - 1));
    }
    return 0;
}

/* The zero page (struct boot_params), built in a host buffer. */
static void linux_build_zero_page(uint8_t *bp, uint32_t ram_size, const struct linux_boot *lb,
                                  const struct linux_plan *plan)
{
    memset(bp, 0, BP_SIZE);
    memcpy(bp + HDR_SETUP_SECTS, lb->kernel + HDR_SETUP_SECTS, plan->hdr_end - HDR_SETUP_SECTS);

    uint32_t ext_k = ram_size > MIB ? (ram_size - MIB) / 1024u : 0;
    mmu_st16(bp + BP_EXT_MEM_K, (uint16_t)(ext_k > 0xFFFFu ? 0xFFFFu : ext_k));
    mmu_st32(bp + BP_ALT_MEM_K, ext_k);

    struct e820_entry map[E820_MAX_ENTRIES];
    unsigned n = e820_build(ram_size, map, E820_MAX_ENTRIES);
    bp[BP_E820_ENTRIES] = (uint8_t)n;
    for (unsigned i = 0; i < n && i < BP_E820_MAX; i++) {
        uint8_t *e = bp + BP_E820_TABLE + i * BP_E820_ENTRY_SIZE;
        st64(e, map[i].addr);
        st64(e + 8, map[i].size);
        mmu_st32(e + 16, map[i].type);
    }

    mmu_st16(bp + HDR_VID_MODE, 0xFFFFu);
    bp[HDR_TYPE_OF_LOADER] = LINUX_LOADER_ID;
    bp[HDR_LOADFLAGS] = (uint8_t)(bp[HDR_LOADFLAGS] | LOADFLAG_CAN_USE_HEAP);
    mmu_st32(bp + HDR_CODE32_START, LINUX_KERNEL_ADDR);
    mmu_st32(bp + HDR_RAMDISK_IMAGE, plan->initrd_addr);
    mmu_st32(bp + HDR_RAMDISK_SIZE, (uint32_t)lb->initrd_size);
    mmu_st16(bp + HDR_HEAP_END_PTR, LINUX_HEAP_END_PTR);
    mmu_st32(bp + HDR_CMD_LINE_PTR, LINUX_CMDLINE_ADDR);
}

/* GDT descriptors (SDM vol. 3, 3.4.5): base 0, limit FFFFFh with G = 1
 * (4 GiB), D = 1; access byte 9Bh (present, DPL 0, code execute/read,
 * accessed) or 93h (data read/write, accessed).  The accessed bit is set
 * so that a reload by the kernel does not write the GDT. */
static const uint8_t linux_gdt[LINUX_GDT_LIMIT + 1u] = {
    0, 0, 0, 0, 0, 0, 0, 0,                        /* 00h null */
    0, 0, 0, 0, 0, 0, 0, 0,                        /* 08h unused */
    0xFF, 0xFF, 0x00, 0x00, 0x00, 0x9B, 0xCF, 0x00, /* 10h __BOOT_CS */
    0xFF, 0xFF, 0x00, 0x00, 0x00, 0x93, 0xCF, 0x00  /* 18h __BOOT_DS */
};

int linux_load(struct mmu *mmu, uint32_t ram_size, const struct linux_boot *lb,
               struct linux_entry *entry, char *err, size_t errlen)
{
    struct linux_plan plan = { 0 };
    if (linux_check(mmu, ram_size, lb, &plan, err, errlen) != 0)
        return -1;

    uint8_t bp[BP_SIZE];
    linux_build_zero_page(bp, ram_size, lb, &plan);
    mmu_write_block(mmu, LINUX_ZERO_PAGE, bp, sizeof(bp));
    mmu_write_block(mmu, LINUX_GDT_ADDR, linux_gdt, sizeof(linux_gdt));
    if (plan.cmdline_len != 0)
        mmu_write_block(mmu, LINUX_CMDLINE_ADDR, lb->cmdline, plan.cmdline_len);
    mmu_write_phys(mmu, LINUX_CMDLINE_ADDR + (uint32_t)plan.cmdline_len, 0, 1);
    mmu_write_block(mmu, LINUX_KERNEL_ADDR, lb->kernel + plan.setup_size, plan.pm_size);
    if (lb->initrd_size != 0)
        mmu_write_block(mmu, plan.initrd_addr, lb->initrd, lb->initrd_size);

    entry->eip = LINUX_KERNEL_ADDR;
    entry->zero_page = LINUX_ZERO_PAGE;
    entry->esp = LINUX_STACK_TOP;
    entry->gdt_base = LINUX_GDT_ADDR;
    entry->gdt_limit = LINUX_GDT_LIMIT;
    return 0;
}

/* Descriptor-cache attributes matching linux_gdt (as in bios/loader.c). */
#define LINUX_ATTR_CODE32 (0x9Bu | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G)
#define LINUX_ATTR_DATA32 (0x93u | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G)

static const enum cpu_sreg linux_data_sregs[] = { CPU_DS, CPU_ES, CPU_FS, CPU_GS, CPU_SS };

void linux_apply_entry(struct cpu *cpu, const struct linux_entry *entry)
{
    /* PE before the segment loads, so the caches are protected-mode
     * descriptors from the first instruction on. */
    cpu_set_cr(cpu, 0, cpu_get_cr(cpu, 0) | 1u);
    cpu_set_dtr(cpu, false, entry->gdt_base, entry->gdt_limit);
    cpu_set_dtr(cpu, true, 0, 0);
    const struct cpu_segment code = { LINUX_BOOT_CS, LINUX_ATTR_CODE32, 0, 0xFFFFFFFFu };
    const struct cpu_segment data = { LINUX_BOOT_DS, LINUX_ATTR_DATA32, 0, 0xFFFFFFFFu };
    cpu_set_segment(cpu, CPU_CS, &code);
    for (unsigned k = 0; k < sizeof(linux_data_sregs) / sizeof(linux_data_sregs[0]); k++)
        cpu_set_segment(cpu, linux_data_sregs[k], &data);
    cpu_set_eip(cpu, entry->eip);
    cpu_set_reg(cpu, CPU_ESI, entry->zero_page);
    cpu_set_reg(cpu, CPU_EBP, 0);
    cpu_set_reg(cpu, CPU_EDI, 0);
    cpu_set_reg(cpu, CPU_EBX, 0);
    cpu_set_reg(cpu, CPU_ESP, entry->esp);
    cpu_set_eflags(cpu, 0x2);
}
