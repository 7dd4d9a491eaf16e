/*
 * moo.h - parser for SingleStepTests MOO files (format v1.x).
 *
 * A MOO file is a stream of chunks: a 4-byte ASCII id, a little-endian u32
 * payload length, the payload.  The parser always advances by the declared
 * length, skips ids it does not know and checks every length against the
 * bytes actually present, so a truncated or corrupt file is an error
 * message, never an out-of-bounds read.  Parsed tests point into the
 * caller's buffer, which must outlive the struct moo_file.
 */
#ifndef TESTS_CONFORMANCE_MOO_H
#define TESTS_CONFORMANCE_MOO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 16-bit register order of REGS/RMSK chunks (bit n of the mask). */
enum moo_reg {
    MOO_AX = 0, MOO_BX, MOO_CX, MOO_DX, MOO_CS, MOO_SS, MOO_DS, MOO_ES,
    MOO_SP, MOO_BP, MOO_SI, MOO_DI, MOO_IP, MOO_FLAGS, MOO_NREGS
};

/* 32-bit register order of RG32/RM32 chunks. */
enum moo_reg32 {
    MOO32_CR0 = 0, MOO32_CR3, MOO32_EAX, MOO32_EBX, MOO32_ECX, MOO32_EDX, MOO32_ESI,
    MOO32_EDI, MOO32_EBP, MOO32_ESP, MOO32_CS, MOO32_DS, MOO32_ES, MOO32_FS, MOO32_GS,
    MOO32_SS, MOO32_EIP, MOO32_EFLAGS, MOO32_DR6, MOO32_DR7, MOO32_NREGS
};

extern const char *const moo_reg_names[MOO_NREGS];

struct moo_regs {
    uint16_t mask;             /* bit n set: v[n] is present */
    uint16_t v[MOO_NREGS];
};

struct moo_regs32 {
    uint32_t mask;
    uint32_t v[MOO32_NREGS];
};

/* The RAM entries stay in the file buffer: 5 bytes each (u32 address, u8). */
struct moo_state {
    bool has_regs, has_regs32, has_rmsk, has_rmsk32;
    struct moo_regs regs;
    struct moo_regs32 regs32;
    struct moo_regs rmsk;      /* AND masks of defined bits (absent: all bits) */
    struct moo_regs32 rmsk32;
    uint32_t ram_count;
    const uint8_t *ram;
};

struct moo_test {
    uint32_t index;
    const char *name;          /* not NUL-terminated */
    uint32_t name_len;
    const uint8_t *bytes;
    uint32_t nbytes;
    struct moo_state init, fina;
    bool has_excp;
    uint8_t excp_vector;
    uint32_t excp_addr;        /* linear address of the pushed FLAGS image */
    bool has_hash;
    uint8_t hash[20];
};

struct moo_file {
    uint8_t major, minor;
    uint32_t declared_count;   /* from the MOO header */
    char cpu_id[5];
    bool has_meta;
    uint32_t opcode;           /* META */
    char mnemonic[9];
    uint8_t cpu_mode;
    bool has_rmsk;             /* a top-level RMSK applying to every test */
    struct moo_regs rmsk;
    size_t ntests;
    struct moo_test *tests;
};

/** Parse `len` bytes of decompressed MOO data.  Returns 0, or -1 with a
 * one-line message in err (the struct is then left empty). */
int moo_parse(const uint8_t *buf, size_t len, struct moo_file *out, char *err, size_t errlen);
void moo_free(struct moo_file *f);

/** RAM entry `i` of a state. */
static inline uint32_t moo_ram_addr(const struct moo_state *s, uint32_t i)
{
    const uint8_t *p = s->ram + 5u * i;
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint8_t moo_ram_val(const struct moo_state *s, uint32_t i) { return s->ram[5u * i + 4]; }

/** Inflate a gzip (or zlib) stream, accepting concatenated members.
 * Returns 0 with a malloc'd buffer, or -1 with a message. */
int moo_gunzip(const uint8_t *in, size_t inlen, uint8_t **out, size_t *outlen, char *err,
               size_t errlen);

#endif
