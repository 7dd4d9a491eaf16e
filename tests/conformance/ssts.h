/*
 * ssts.h - pieces of the SingleStepTests runner (ssts-run) shared between
 * its files: the suite's metadata.json and revocation list, and the
 * reviewed exclusion list.
 */
#ifndef TESTS_CONFORMANCE_SSTS_H
#define TESTS_CONFORMANCE_SSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/conformance/moo.h"

/* ---- metadata.json ---------------------------------------------------- */

struct ssts_meta;

/** What metadata.json says about one instruction form. */
struct ssts_form {
    char key[8];           /* "80", "0F01": metadata key of the opcode */
    int reg;               /* ModRM reg field when the entry has a reg map, else -1 */
    bool found;            /* an entry (and reg entry) exists */
    const char *status;    /* "normal", "undefined", "alias", ... (or "") */
    uint16_t flags_mask;   /* AND mask of defined FLAGS bits (0xFFFF: all) */
};

/** Load metadata.json.  NULL with a message on error. */
struct ssts_meta *ssts_meta_load(const char *path, char *err, size_t errlen);
void ssts_meta_free(struct ssts_meta *m);

/** Find the form of an instruction from its bytes (prefixes skipped, 0F
 * two-byte opcodes, the ModRM reg field where the entry has a reg map). */
void ssts_meta_form(const struct ssts_meta *m, const uint8_t *bytes, uint32_t n,
                    struct ssts_form *out);

/* ---- revocation_list.txt ---------------------------------------------- */

struct ssts_revoked {
    size_t n;
    uint8_t (*hash)[20];   /* sorted */
};

/** Load the list (lines of 40 hex digits, '#' comments).  -1 on error. */
int ssts_revoked_load(const char *path, struct ssts_revoked *out, char *err, size_t errlen);
bool ssts_revoked_has(const struct ssts_revoked *r, const uint8_t hash[20]);
void ssts_revoked_free(struct ssts_revoked *r);

/* ---- exclusions (exclusions.c) ---------------------------------------- */

/* A documented 286-versus-P6 difference.  A test it applies to is still
 * run: if it passes exactly it counts as passed; otherwise it counts as
 * excluded when the only differences are the ones the entry allows, and as
 * failed otherwise.  Allowances:
 *  - relax_flags: FLAGS bits not compared (register and pushed images);
 *  - relax_regs: registers (bit n = enum moo_reg n) the P6 must leave at
 *    their INIT value where the 286 changed them;
 *  - alias_vector: the 286 raised exception alias_to where the P6 raises
 *    alias_vector; the test runs with IVT[alias_vector] = IVT[alias_to],
 *    so everything else must match exactly (0: none);
 *  - relax_all: the behaviour differs entirely: the state is not compared,
 *    but what the P6 must do instead is checked when p6_vector says so:
 *    SSTS_P6_ANY nothing, SSTS_P6_NO_EXC no exception (the instruction
 *    completes and the HLT after it stops the run), or an exception
 *    vector the CPU must deliver for the instruction itself (its IVT entry
 *    is pointed at a HLT so the run stops there). */
#define SSTS_P6_ANY (-1)
#define SSTS_P6_NO_EXC 0x100
struct ssts_exclusion {
    const char *key;       /* metadata opcode key, e.g. "9D", or "*" for any */
    int reg;               /* ModRM reg field, -1 for any */
    bool (*applies)(const struct moo_test *t); /* NULL: every test of the form */
    uint16_t relax_flags;
    uint16_t relax_regs;
    uint8_t alias_vector, alias_to;
    bool relax_all;
    int p6_vector;         /* with relax_all: see above */
    const char *reason;    /* one line, with the manual reference */
};

/** The first exclusion after `after` (NULL: from the start) that applies
 * to test t of form f, or NULL.  Several may apply to one test. */
const struct ssts_exclusion *ssts_exclusion_find(const struct ssts_form *f,
                                                 const struct moo_test *t,
                                                 const struct ssts_exclusion *after);
/** Every entry, for the summary. */
const struct ssts_exclusion *ssts_exclusion_list(size_t *n);

#endif
