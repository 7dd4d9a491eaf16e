/*
 * oracle_proto.h - what the oracle driver (64-bit, runs ringzero) and the
 * native helper (32-bit, runs the same bytes on the host CPU) share: the
 * fixed guest addresses, the pipe records and the memory fill and hash.
 *
 * Both processes place the data buffer, the private stack and the code
 * page at the same linear addresses, so absolute displacements, pushed
 * addresses and LEA results are identical.  The addresses sit at 1 MiB:
 * free in a 32-bit Linux process (executables load at 0x08048000 or
 * 0x56555000, libraries near the top) and above any mmap_min_addr, and
 * small enough that the emulator needs only 2 MiB of RAM.
 *
 * The records hold only uint32_t fields and byte arrays, so their layout is
 * the same for -m32 and the 64-bit driver; both run on the same host, so
 * they are sent in host byte order.
 */
#ifndef TESTS_ORACLE_ORACLE_PROTO_H
#define TESTS_ORACLE_ORACLE_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ORACLE_DATA 0x00100000u     /* data buffer */
#define ORACLE_DATA_SIZE 0x1000u
#define ORACLE_EBP (ORACLE_DATA + 0x800u) /* the base register, never written */
#define ORACLE_STACK 0x00101000u    /* private stack area */
#define ORACLE_STACK_SIZE 0x800u
#define ORACLE_ESP (ORACLE_STACK + 0x400u) /* initial ESP: room both ways */
#define ORACLE_REGION ORACLE_DATA   /* data + stack: compared after a run */
#define ORACLE_REGION_SIZE (ORACLE_DATA_SIZE + ORACLE_STACK_SIZE)
/* The sequence starts 512 bytes before a page boundary, so most runs
 * execute instructions that straddle two code pages. */
#define ORACLE_CODE 0x00102E00u
#define ORACLE_MAX_CODE 0x400u
/* Native side only: the entry stub and the register block. */
#define ORACLE_ENTRY 0x00103800u
#define ORACLE_CTRL 0x00104000u
#define ORACLE_MAP_SIZE 0x5000u     /* native mapping: region, code, ctrl */

#define ORACLE_MAGIC 0x4F52434Cu /* "ORCL" */

/* The helper's first record on its stdout. */
struct oracle_hello {
    uint32_t magic;
    uint32_t status; /* 0 = ready; else errno of the failed mmap */
    uint32_t addr;   /* where the mapping landed (diagnostics) */
};

enum { ORACLE_REQ_DUMP = 1u }; /* send the whole region after the result */

struct oracle_req {
    uint32_t magic;
    uint32_t flags;
    uint32_t regs[8];  /* EAX..EDI in encoding order */
    uint32_t eflags;   /* OSZAPC only; DF clear */
    uint32_t mem_seed; /* oracle_region_src() seed for the region */
    uint32_t code_len;
    uint8_t code[ORACLE_MAX_CODE];
};

enum { ORACLE_RES_OK = 0, ORACLE_RES_SIGNAL = 1, ORACLE_RES_BADREQ = 2 };

struct oracle_res {
    uint32_t magic;
    uint32_t status;    /* ORACLE_RES_* */
    uint32_t signo;     /* signal number for ORACLE_RES_SIGNAL */
    uint32_t fault_eip; /* EIP at the signal */
    uint32_t regs[8];
    uint32_t eflags;
    uint32_t hash_lo, hash_hi; /* oracle_hash() of the region */
};

/* Region contents come from a pool both processes build once: a window
 * of the pool chosen by the request's seed.  Cheaper than generating 6 KiB
 * per sequence, and still ~15,000 different windows. */
#define ORACLE_POOL_SIZE 0x10000u

/** Build the pool: a mix of random words, zeros, all-ones, small values
 * and single bits, so BSF/BSR, DIV and compares meet edge cases. */
static inline void oracle_pool_init(uint8_t *pool)
{
    uint32_t x = 0x9E3779B9u;
    size_t i;
    for (i = 0; i < ORACLE_POOL_SIZE; i += 4) {
        uint32_t w;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        switch (x & 7u) {
        case 0: w = 0; break;
        case 1: w = 0xFFFFFFFFu; break;
        case 2: w = (x >> 8) & 0xFFu; break;
        case 3: w = 0x80000000u >> ((x >> 8) & 31u); break;
        default:
            w = x * 0x2545F491u;
            break;
        }
        pool[i] = (uint8_t)w;
        pool[i + 1] = (uint8_t)(w >> 8);
        pool[i + 2] = (uint8_t)(w >> 16);
        pool[i + 3] = (uint8_t)(w >> 24);
    }
}

/** The initial region for `seed`. */
static inline const uint8_t *oracle_region_src(const uint8_t *pool, uint32_t seed)
{
    return pool + (seed % ((ORACLE_POOL_SIZE - ORACLE_REGION_SIZE) / 4u)) * 4u;
}

/** A 64-bit multiply-xorshift hash over 8-byte little-endian words (`n` a
 * multiple of 8): enough to tell two regions apart; a mismatch is then
 * dumped byte by byte. */
static inline uint64_t oracle_hash(const uint8_t *p, size_t n)
{
    uint64_t h = 0xCBF29CE484222325ull;
    size_t i;
    for (i = 0; i + 8 <= n; i += 8) {
        uint64_t w = (uint64_t)p[i] | ((uint64_t)p[i + 1] << 8) | ((uint64_t)p[i + 2] << 16) |
                     ((uint64_t)p[i + 3] << 24) | ((uint64_t)p[i + 4] << 32) |
                     ((uint64_t)p[i + 5] << 40) | ((uint64_t)p[i + 6] << 48) |
                     ((uint64_t)p[i + 7] << 56);
        h = (h ^ w) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
    }
    return h;
}

/* Bytes below ESP that an exception frame (EFLAGS, CS, EIP) covers. */
#define ORACLE_FRAME 12u

/** The region's hash (region at ORACLE_REGION) with the ORACLE_FRAME bytes
 * below linear address `esp` read as zero; esp = 0: nothing left out.
 * Used after a #DE/#UD, which the emulated CPU delivers on the sequence's
 * stack while the native one does not (the signal frame goes to an
 * alternate stack). */
static inline uint64_t oracle_hash_skip(uint8_t *p, size_t n, uint32_t esp)
{
    uint8_t saved[ORACLE_FRAME];
    uint64_t h;
    uint32_t lo;
    if (esp < ORACLE_REGION + ORACLE_FRAME || esp > ORACLE_REGION + n)
        return oracle_hash(p, n);
    lo = esp - ORACLE_FRAME - ORACLE_REGION;
    memcpy(saved, p + lo, ORACLE_FRAME);
    memset(p + lo, 0, ORACLE_FRAME);
    h = oracle_hash(p, n);
    memcpy(p + lo, saved, ORACLE_FRAME);
    return h;
}

#endif
