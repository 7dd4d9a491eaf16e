/*
 * ssts_meta.c - metadata.json (per-form status and undefined-flags mask)
 * and revocation_list.txt of a SingleStepTests suite.
 */
#include <cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/conformance/ssts.h"

struct ssts_meta {
    cJSON *root;
    const cJSON *opcodes;
};

static char *ssts_slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
        } else {
            buf = nb;
        }
    }
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "%s: read error", path);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

struct ssts_meta *ssts_meta_load(const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = ssts_slurp(path, &len, err, errlen);
    if (!text)
        return NULL;
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    if (!root) {
        snprintf(err, errlen, "%s: JSON parse error", path);
        return NULL;
    }
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(root, "opcodes");
    if (!cJSON_IsObject(ops)) {
        cJSON_Delete(root);
        snprintf(err, errlen, "%s: no \"opcodes\" object", path);
        return NULL;
    }
    struct ssts_meta *m = malloc(sizeof *m);
    if (!m) {
        cJSON_Delete(root);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->root = root;
    m->opcodes = ops;
    return m;
}

void ssts_meta_free(struct ssts_meta *m)
{
    if (!m)
        return;
    cJSON_Delete(m->root);
    free(m);
}

/* Prefixes of the 8086/286 (the 386 ones, 64-67, are "undefined" opcodes
 * in this suite and are not skipped). */
static bool ssts_is_prefix(uint8_t b)
{
    return b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0xF0 || b == 0xF2 ||
           b == 0xF3;
}

static void ssts_fill(const cJSON *e, struct ssts_form *out)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "status");
    const cJSON *fm = cJSON_GetObjectItemCaseSensitive(e, "flags-mask");
    out->found = true;
    out->status = cJSON_IsString(st) ? st->valuestring : "";
    if (cJSON_IsNumber(fm) && fm->valuedouble >= 0 && fm->valuedouble <= 65535)
        out->flags_mask = (uint16_t)fm->valueint;
}

void ssts_meta_form(const struct ssts_meta *m, const uint8_t *bytes, uint32_t n,
                    struct ssts_form *out)
{
    memset(out, 0, sizeof *out);
    out->reg = -1;
    out->status = "";
    out->flags_mask = 0xFFFF;
    uint32_t k = 0;
    while (k < n && ssts_is_prefix(bytes[k]))
        k++;
    if (k >= n)
        return;
    uint32_t modrm_at;
    if (bytes[k] == 0x0F && k + 1 < n) {
        snprintf(out->key, sizeof out->key, "0F%02X", bytes[k + 1]);
        modrm_at = k + 2;
    } else {
        snprintf(out->key, sizeof out->key, "%02X", bytes[k]);
        modrm_at = k + 1;
    }
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(m->opcodes, out->key);
    if (!cJSON_IsObject(e))
        return;
    const cJSON *regs = cJSON_GetObjectItemCaseSensitive(e, "reg");
    if (cJSON_IsObject(regs) && modrm_at < n) {
        char r[2] = {(char)('0' + ((bytes[modrm_at] >> 3) & 7)), '\0'};
        out->reg = r[0] - '0';
        const cJSON *re = cJSON_GetObjectItemCaseSensitive(regs, r);
        if (cJSON_IsObject(re))
            ssts_fill(re, out);
        return;
    }
    ssts_fill(e, out);
}

static int ssts_hash_cmp(const void *a, const void *b) { return memcmp(a, b, 20); }

static int ssts_hex(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = tolower(ch);
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

int ssts_revoked_load(const char *path, struct ssts_revoked *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t len;
    char *text = ssts_slurp(path, &len, err, errlen);
    if (!text)
        return -1;
    size_t cap = 0;
    unsigned line = 0;
    for (char *p = text, *next; p && *p; p = next) {
        line++;
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        while (isspace((unsigned char)*p))
            p++;
        size_t l = strlen(p);
        while (l && isspace((unsigned char)p[l - 1]))
            p[--l] = '\0';
        if (l == 0 || *p == '#')
            continue;
        uint8_t h[20];
        bool ok = l == 40;
        for (size_t k = 0; ok && k < 20; k++) {
            int hi = ssts_hex(p[2 * k]), lo = ssts_hex(p[2 * k + 1]);
            ok = hi >= 0 && lo >= 0;
            h[k] = (uint8_t)(hi << 4 | lo);
        }
        if (!ok) {
            snprintf(err, errlen, "%s:%u: not a SHA-1 hash", path, line);
            free(text);
            ssts_revoked_free(out);
            return -1;
        }
        if (out->n == cap) {
            cap = cap ? 2 * cap : 16;
            uint8_t(*nh)[20] = realloc(out->hash, cap * sizeof *nh);
            if (!nh) {
                snprintf(err, errlen, "out of memory");
                free(text);
                ssts_revoked_free(out);
                return -1;
            }
            out->hash = nh;
        }
        memcpy(out->hash[out->n++], h, 20);
    }
    free(text);
    if (out->n)
        qsort(out->hash, out->n, sizeof out->hash[0], ssts_hash_cmp);
    return 0;
}

bool ssts_revoked_has(const struct ssts_revoked *r, const uint8_t hash[20])
{
    return r->n && bsearch(hash, r->hash, r->n, sizeof r->hash[0], ssts_hash_cmp) != NULL;
}

void ssts_revoked_free(struct ssts_revoked *r)
{
    free(r->hash);
    memset(r, 0, sizeof *r);
}
