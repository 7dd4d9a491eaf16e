/*
 * test_cpuops.c - data movement, stack, control transfer, string, port I/O
 * and flag instructions (cpu/move.c, stack.c, control.c, string.c, io.c,
 * flagops.c) run through the CPU's public API on a small machine: RAM,
 * a port-I/O callback that logs every access, code written with
 * mmu_write_block and ended with HLT.
 *
 * The code arrays were assembled with nasm from the source shown in the
 * comments (each byte group is one instruction).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "mmu/mmu.h"

#define RAM_SIZE (1u << 20)
#define CODE_BASE 0x1000u
#define HANDLER 0x2000u /* exception handlers: a HLT */

struct io_log {
    uint16_t port;
    uint32_t value;
    unsigned size;
    bool out;
};

struct machine {
    struct mmu *mmu;
    struct cpu *cpu;
    struct io_log log[64];
    unsigned nlog;
    unsigned in_count;
    unsigned stop_after_outs; /* request a stop after this many OUTs (0: never) */
};

/* Port reads return a value derived from the port and a running count, so
 * a test can tell which read produced which value. */
static uint32_t io_value(uint16_t port, unsigned n)
{
    return ((uint32_t)(0xC0u + n) << 24) | ((uint32_t)port << 8) | ((0x31u + n) & 0xFFu);
}

static uint32_t tm_io_in(void *opaque, uint16_t port, unsigned size)
{
    struct machine *m = opaque;
    uint32_t v = io_value(port, m->in_count++);
    if (m->nlog < 64)
        m->log[m->nlog++] = (struct io_log){port, v, size, false};
    return v;
}

static void tm_io_out(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct machine *m = opaque;
    if (m->nlog < 64)
        m->log[m->nlog++] = (struct io_log){port, value, size, true};
    if (m->stop_after_outs != 0 && m->nlog == m->stop_after_outs)
        cpu_request_stop(m->cpu);
}

static uint8_t tm_intr_ack(void *opaque)
{
    (void)opaque;
    return 0x08;
}

static struct machine *tm_new(void)
{
    struct machine *m = calloc(1, sizeof(*m));
    assert_non_null(m);
    m->mmu = mmu_create(RAM_SIZE);
    assert_non_null(m->mmu);
    struct cpu_bus_ops bus = {m, tm_io_in, tm_io_out, tm_intr_ack};
    struct cpu_config cfg = {CPU_MODEL_PENTIUM2, false};
    m->cpu = cpu_create(m->mmu, &bus, &cfg);
    assert_non_null(m->cpu);
    return m;
}

static void tm_free(struct machine *m)
{
    cpu_destroy(m->cpu);
    mmu_destroy(m->mmu);
    free(m);
}

/* Real mode, CS = DS = ES = SS = 0, EIP = CODE_BASE; every IVT vector
 * points at a HLT at HANDLER. */
static struct machine *tm_real(const uint8_t *code, size_t len)
{
    struct machine *m = tm_new();
    for (unsigned v = 0; v < 32; v++) {
        uint8_t ent[4] = {(uint8_t)HANDLER, (uint8_t)(HANDLER >> 8), 0, 0};
        mmu_write_block(m->mmu, v * 4, ent, 4);
    }
    uint8_t hlt = 0xF4;
    mmu_write_block(m->mmu, HANDLER, &hlt, 1);
    mmu_write_block(m->mmu, CODE_BASE, code, len);
    for (unsigned s = CPU_ES; s <= CPU_GS; s++)
        cpu_set_segment_real(m->cpu, (enum cpu_sreg)s, 0);
    cpu_set_eip(m->cpu, CODE_BASE);
    cpu_set_reg(m->cpu, CPU_ESP, 0x8000);
    return m;
}

static void tm_put16(struct machine *m, uint32_t a, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    mmu_write_block(m->mmu, a, b, 2);
}

static void tm_put32(struct machine *m, uint32_t a, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    mmu_write_block(m->mmu, a, b, 4);
}

static uint8_t tm_get8(struct machine *m, uint32_t a)
{
    uint8_t b;
    mmu_read_block(m->mmu, a, &b, 1);
    return b;
}

static uint16_t tm_get16(struct machine *m, uint32_t a)
{
    uint8_t b[2];
    mmu_read_block(m->mmu, a, b, 2);
    return (uint16_t)(b[0] | (b[1] << 8));
}

static uint32_t tm_get32(struct machine *m, uint32_t a)
{
    uint8_t b[4];
    mmu_read_block(m->mmu, a, b, 4);
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
           ((uint32_t)b[3] << 24);
}

/* Run until the final HLT; it must be the one at the end of `len` bytes
 * of code at CODE_BASE (so no exception was taken on the way). */
static void tm_run_to_end(struct machine *m, size_t len)
{
    enum cpu_stop st = cpu_run(m->cpu, 1000000);
    assert_true(st == CPU_STOP_HALT || st == CPU_STOP_DEAD_HALT);
    assert_int_equal(cpu_get_eip(m->cpu), CODE_BASE + len);
}

/* Run until an exception handler's HLT. */
static void tm_run_to_handler(struct machine *m, uint32_t handler_end)
{
    enum cpu_stop st = cpu_run(m->cpu, 1000000);
    assert_true(st == CPU_STOP_HALT || st == CPU_STOP_DEAD_HALT);
    assert_int_equal(cpu_get_eip(m->cpu), handler_end);
}

/* rm_stack_code: 16-bit code at 0x1000 */
static const uint8_t rm_stack_code[] = {
    0xBC, 0x00, 0x80,                        /* mov sp, 0x8000 */
    0xB8, 0x34, 0x12,                        /* mov ax, 0x1234 */
    0x50,                                    /* push ax */
    0x5B,                                    /* pop bx */
    0x89, 0x1E, 0x00, 0x60,                  /* mov [0x6000], bx */
    0x54,                                    /* push sp */
    0x59,                                    /* pop cx */
    0x89, 0x0E, 0x02, 0x60,                  /* mov [0x6002], cx */
    0x68, 0x55, 0x55,                        /* push word 0x5555 */
    0x5C,                                    /* pop sp */
    0x89, 0x26, 0x04, 0x60,                  /* mov [0x6004], sp */
    0xBC, 0x00, 0x80,                        /* mov sp, 0x8000 */
    0x66, 0xC7, 0x06, 0xFC, 0x7F, 0xEF, 0xBE, 0xAD, 0xDE, /* mov dword [0x7FFC], 0xDEADBEEF */
    0xB8, 0x23, 0x01,                        /* mov ax, 0x0123 */
    0x8E, 0xC0,                              /* mov es, ax */
    0x66, 0x06,                              /* o32 push es */
    0x89, 0x26, 0x06, 0x60,                  /* mov [0x6006], sp */
    0x66, 0xA1, 0xFC, 0x7F,                  /* mov eax, [0x7FFC] */
    0x66, 0xA3, 0x08, 0x60,                  /* mov [0x6008], eax */
    0x66, 0x0F, 0xA1,                        /* o32 pop fs */
    0x89, 0x26, 0x0C, 0x60,                  /* mov [0x600C], sp */
    0x8C, 0xE0,                              /* mov ax, fs */
    0xA3, 0x0E, 0x60,                        /* mov [0x600E], ax */
    0x68, 0xAA, 0xAA,                        /* push word 0xAAAA */
    0x68, 0xBB, 0xBB,                        /* push word 0xBBBB */
    0x67, 0x8F, 0x04, 0x24,                  /* pop word [esp] */
    0x89, 0x26, 0x10, 0x60,                  /* mov [0x6010], sp */
    0xA1, 0xFE, 0x7F,                        /* mov ax, [0x7FFE] */
    0xA3, 0x12, 0x60,                        /* mov [0x6012], ax */
    0xBC, 0x00, 0x80,                        /* mov sp, 0x8000 */
    0xB8, 0x01, 0x00,                        /* mov ax, 1 */
    0xB9, 0x02, 0x00,                        /* mov cx, 2 */
    0xBA, 0x03, 0x00,                        /* mov dx, 3 */
    0xBB, 0x04, 0x00,                        /* mov bx, 4 */
    0xBD, 0x06, 0x00,                        /* mov bp, 6 */
    0xBE, 0x07, 0x00,                        /* mov si, 7 */
    0xBF, 0x08, 0x00,                        /* mov di, 8 */
    0x60,                                    /* pusha */
    0x89, 0x26, 0x14, 0x60,                  /* mov [0x6014], sp */
    0x31, 0xC0,                              /* xor ax, ax */
    0x31, 0xC9,                              /* xor cx, cx */
    0x31, 0xD2,                              /* xor dx, dx */
    0x31, 0xDB,                              /* xor bx, bx */
    0x31, 0xED,                              /* xor bp, bp */
    0x31, 0xF6,                              /* xor si, si */
    0x31, 0xFF,                              /* xor di, di */
    0xC7, 0x06, 0xF6, 0x7F, 0x99, 0x99,      /* mov word [0x7FF6], 0x9999 */
    0x61,                                    /* popa */
    0xA3, 0x16, 0x60,                        /* mov [0x6016], ax */
    0x89, 0x0E, 0x18, 0x60,                  /* mov [0x6018], cx */
    0x89, 0x16, 0x1A, 0x60,                  /* mov [0x601A], dx */
    0x89, 0x1E, 0x1C, 0x60,                  /* mov [0x601C], bx */
    0x89, 0x26, 0x1E, 0x60,                  /* mov [0x601E], sp */
    0x89, 0x2E, 0x20, 0x60,                  /* mov [0x6020], bp */
    0x89, 0x36, 0x22, 0x60,                  /* mov [0x6022], si */
    0x89, 0x3E, 0x24, 0x60,                  /* mov [0x6024], di */
    0xBC, 0x00, 0x70,                        /* mov sp, 0x7000 */
    0x66, 0xB8, 0x11, 0x11, 0x11, 0x11,      /* mov eax, 0x11111111 */
    0x66, 0xB9, 0x22, 0x22, 0x22, 0x22,      /* mov ecx, 0x22222222 */
    0x66, 0x60,                              /* pushad */
    0x89, 0x26, 0x26, 0x60,                  /* mov [0x6026], sp */
    0x66, 0x31, 0xC0,                        /* xor eax, eax */
    0x66, 0x31, 0xC9,                        /* xor ecx, ecx */
    0x66, 0x61,                              /* popad */
    0x66, 0xA3, 0x28, 0x60,                  /* mov [0x6028], eax */
    0x66, 0x89, 0x0E, 0x2C, 0x60,            /* mov [0x602C], ecx */
    0x66, 0x89, 0x26, 0x30, 0x60,            /* mov [0x6030], esp */
    0xF4,                                    /* hlt */
};
/* rm_enter_code: 16-bit code at 0x1000 */
static const uint8_t rm_enter_code[] = {
    0xBC, 0x00, 0x80,                        /* mov sp, 0x8000 */
    0xBD, 0x00, 0x90,                        /* mov bp, 0x9000 */
    0xC7, 0x06, 0xFE, 0x8F, 0x11, 0x11,      /* mov word [0x8FFE], 0x1111 */
    0xC7, 0x06, 0xFC, 0x8F, 0x22, 0x22,      /* mov word [0x8FFC], 0x2222 */
    0xC8, 0x08, 0x00, 0x03,                  /* enter 8, 3 */
    0x89, 0x26, 0x00, 0x60,                  /* mov [0x6000], sp */
    0x89, 0x2E, 0x02, 0x60,                  /* mov [0x6002], bp */
    0xA1, 0xFE, 0x7F,                        /* mov ax, [0x7FFE] */
    0xA3, 0x20, 0x60,                        /* mov [0x6020], ax */
    0xA1, 0xFC, 0x7F,                        /* mov ax, [0x7FFC] */
    0xA3, 0x22, 0x60,                        /* mov [0x6022], ax */
    0xA1, 0xFA, 0x7F,                        /* mov ax, [0x7FFA] */
    0xA3, 0x24, 0x60,                        /* mov [0x6024], ax */
    0xA1, 0xF8, 0x7F,                        /* mov ax, [0x7FF8] */
    0xA3, 0x26, 0x60,                        /* mov [0x6026], ax */
    0xC9,                                    /* leave */
    0x89, 0x26, 0x04, 0x60,                  /* mov [0x6004], sp */
    0x89, 0x2E, 0x06, 0x60,                  /* mov [0x6006], bp */
    0xC8, 0x04, 0x00, 0x00,                  /* enter 4, 0 */
    0x89, 0x26, 0x08, 0x60,                  /* mov [0x6008], sp */
    0x89, 0x2E, 0x0A, 0x60,                  /* mov [0x600A], bp */
    0xC9,                                    /* leave */
    0xC8, 0x00, 0x00, 0x01,                  /* enter 0, 1 */
    0x89, 0x26, 0x0C, 0x60,                  /* mov [0x600C], sp */
    0x89, 0x2E, 0x0E, 0x60,                  /* mov [0x600E], bp */
    0xA1, 0xFC, 0x7F,                        /* mov ax, [0x7FFC] */
    0xA3, 0x10, 0x60,                        /* mov [0x6010], ax */
    0xC9,                                    /* leave */
    0x89, 0x26, 0x12, 0x60,                  /* mov [0x6012], sp */
    0x89, 0x2E, 0x14, 0x60,                  /* mov [0x6014], bp */
    0xF4,                                    /* hlt */
};
/* rm_far_code: 16-bit code at 0x1000 */
static const uint8_t rm_far_code[] = {
    0xBC, 0x00, 0x80,                        /* mov sp, 0x8000 */
    0x68, 0x77, 0x77,                        /* push word 0x7777 */
    0x9A, 0x10, 0x00, 0x00, 0x02,            /* call 0x0200:0x0010 */
    0x89, 0x26, 0x04, 0x60,                  /* mov [0x6004], sp */
    0x8C, 0xC8,                              /* mov ax, cs */
    0xA3, 0x06, 0x60,                        /* mov [0x6006], ax */
    0xC7, 0x06, 0x00, 0x61, 0x20, 0x00,      /* mov word [0x6100], 0x0020 */
    0xC7, 0x06, 0x02, 0x61, 0x00, 0x02,      /* mov word [0x6102], 0x0200 */
    0xFF, 0x1E, 0x00, 0x61,                  /* call far [0x6100] */
    0x89, 0x26, 0x0A, 0x60,                  /* mov [0x600A], sp */
    0xEA, 0x00, 0x00, 0x00, 0x03,            /* jmp 0x0300:0x0000 */
};
/* rm_far_sub1: 16-bit code at 0x10 */
static const uint8_t rm_far_sub1[] = {
    0x8C, 0xC8,                              /* mov ax, cs */
    0xA3, 0x00, 0x60,                        /* mov [0x6000], ax */
    0x89, 0x26, 0x02, 0x60,                  /* mov [0x6002], sp */
    0xCA, 0x02, 0x00,                        /* retf 2 */
};
/* rm_far_sub2: 16-bit code at 0x20 */
static const uint8_t rm_far_sub2[] = {
    0x89, 0x26, 0x08, 0x60,                  /* mov [0x6008], sp */
    0xCB,                                    /* retf */
};
/* rm_far_tail: 16-bit code at 0x0 */
static const uint8_t rm_far_tail[] = {
    0x8C, 0xC8,                              /* mov ax, cs */
    0xA3, 0x0C, 0x60,                        /* mov [0x600C], ax */
    0x6A, 0x01,                              /* push word 1 */
    0xE8, 0x05, 0x00,                        /* call f */
    0x89, 0x26, 0x0E, 0x60,                  /* mov [0x600E], sp */
    0xF4,                                    /* hlt */
    0xC2, 0x02, 0x00,                        /* f: ret 2 */
};
/* rm_string_code: 16-bit code at 0x1000 */
static const uint8_t rm_string_code[] = {
    0xFC,                                    /* cld */
    0xBE, 0x00, 0x30,                        /* mov si, 0x3000 */
    0xBF, 0x00, 0x40,                        /* mov di, 0x4000 */
    0xB9, 0x0A, 0x00,                        /* mov cx, 10 */
    0xF3, 0xA4,                              /* rep movsb */
    0x89, 0x36, 0x00, 0x60,                  /* mov [0x6000], si */
    0x89, 0x3E, 0x02, 0x60,                  /* mov [0x6002], di */
    0x89, 0x0E, 0x04, 0x60,                  /* mov [0x6004], cx */
    0xFD,                                    /* std */
    0xBE, 0x09, 0x30,                        /* mov si, 0x3009 */
    0xBF, 0x09, 0x41,                        /* mov di, 0x4109 */
    0xB9, 0x0A, 0x00,                        /* mov cx, 10 */
    0xF3, 0xA4,                              /* rep movsb */
    0xFC,                                    /* cld */
    0x89, 0x36, 0x06, 0x60,                  /* mov [0x6006], si */
    0x89, 0x3E, 0x08, 0x60,                  /* mov [0x6008], di */
    0xB9, 0x00, 0x00,                        /* mov cx, 0 */
    0xBE, 0x34, 0x12,                        /* mov si, 0x1234 */
    0xF3, 0xA4,                              /* rep movsb */
    0x89, 0x36, 0x0A, 0x60,                  /* mov [0x600A], si */
    0x66, 0xB8, 0x44, 0x33, 0x22, 0x11,      /* mov eax, 0x11223344 */
    0xBF, 0x00, 0x42,                        /* mov di, 0x4200 */
    0xB9, 0x04, 0x00,                        /* mov cx, 4 */
    0xF3, 0x66, 0xAB,                        /* rep stosd */
    0x89, 0x3E, 0x0C, 0x60,                  /* mov [0x600C], di */
    0xBE, 0x00, 0x30,                        /* mov si, 0x3000 */
    0xBF, 0x00, 0x43,                        /* mov di, 0x4300 */
    0xB9, 0x0A, 0x00,                        /* mov cx, 10 */
    0xF3, 0xA6,                              /* repe cmpsb */
    0x89, 0x0E, 0x0E, 0x60,                  /* mov [0x600E], cx */
    0x89, 0x36, 0x10, 0x60,                  /* mov [0x6010], si */
    0x9F,                                    /* lahf */
    0x88, 0x26, 0x12, 0x60,                  /* mov [0x6012], ah */
    0xB8, 0xEF, 0xBE,                        /* mov ax, 0xBEEF */
    0xBF, 0x00, 0x44,                        /* mov di, 0x4400 */
    0xB9, 0x08, 0x00,                        /* mov cx, 8 */
    0xF2, 0xAF,                              /* repne scasw */
    0x89, 0x0E, 0x14, 0x60,                  /* mov [0x6014], cx */
    0x89, 0x3E, 0x16, 0x60,                  /* mov [0x6016], di */
    0x9F,                                    /* lahf */
    0x88, 0x26, 0x18, 0x60,                  /* mov [0x6018], ah */
    0x66, 0xBE, 0x00, 0x30, 0x00, 0x00,      /* mov esi, 0x3000 */
    0x66, 0xBF, 0x00, 0x45, 0x00, 0x00,      /* mov edi, 0x4500 */
    0x66, 0xB9, 0x05, 0x00, 0x00, 0x00,      /* mov ecx, 5 */
    0xF3, 0x67, 0xA4,                        /* a32 rep movsb */
    0x66, 0x89, 0x36, 0x1A, 0x60,            /* mov [0x601A], esi */
    0x66, 0x89, 0x0E, 0x1E, 0x60,            /* mov [0x601E], ecx */
    0x66, 0xBE, 0x00, 0x30, 0x00, 0x00,      /* mov esi, 0x3000 */
    0x66, 0xBF, 0x00, 0x46, 0x00, 0x00,      /* mov edi, 0x4600 */
    0x66, 0xB9, 0x02, 0x00, 0x01, 0x00,      /* mov ecx, 0x00010002 */
    0xF3, 0xA4,                              /* rep movsb */
    0x66, 0x89, 0x0E, 0x22, 0x60,            /* mov [0x6022], ecx */
    0x66, 0xBE, 0xFF, 0xFF, 0x01, 0x00,      /* mov esi, 0x0001FFFF */
    0xBF, 0x00, 0x47,                        /* mov di, 0x4700 */
    0xB9, 0x01, 0x00,                        /* mov cx, 1 */
    0xF3, 0xA4,                              /* rep movsb */
    0x66, 0x89, 0x36, 0x26, 0x60,            /* mov [0x6026], esi */
    0xFD,                                    /* std */
    0xB8, 0x22, 0x22,                        /* mov ax, 0x2222 */
    0xBF, 0x06, 0x44,                        /* mov di, 0x4406 */
    0xB9, 0x08, 0x00,                        /* mov cx, 8 */
    0xF2, 0xAF,                              /* repne scasw */
    0xFC,                                    /* cld */
    0x89, 0x0E, 0x2A, 0x60,                  /* mov [0x602A], cx */
    0x89, 0x3E, 0x2C, 0x60,                  /* mov [0x602C], di */
    0xB9, 0x00, 0x00,                        /* mov cx, 0 */
    0xB8, 0x11, 0x11,                        /* mov ax, 0x1111 */
    0xBF, 0x00, 0x44,                        /* mov di, 0x4400 */
    0x3D, 0x12, 0x11,                        /* cmp ax, 0x1112 */
    0xF3, 0xAF,                              /* repe scasw */
    0x9F,                                    /* lahf */
    0x88, 0x26, 0x2E, 0x60,                  /* mov [0x602E], ah */
    0x89, 0x3E, 0x30, 0x60,                  /* mov [0x6030], di */
    0xF4,                                    /* hlt */
};
/* rm_budget_code: 16-bit code at 0x1000 */
static const uint8_t rm_budget_code[] = {
    0xBE, 0x00, 0x30,                        /* mov si, 0x3000 */
    0xBF, 0x00, 0x40,                        /* mov di, 0x4000 */
    0xB9, 0x14, 0x00,                        /* mov cx, 20 */
    0xF3, 0xA4,                              /* rep movsb */
    0xF4,                                    /* hlt */
};
/* rm_loop_code: 16-bit code at 0x1000 */
static const uint8_t rm_loop_code[] = {
    0x66, 0xB9, 0x01, 0x00, 0x01, 0x00,      /* mov ecx, 0x10001 */
    0xE2, 0x00,                              /* loop a */
    0x66, 0x89, 0x0E, 0x00, 0x60,            /* mov [0x6000], ecx */
    0x66, 0xB9, 0x01, 0x00, 0x01, 0x00,      /* mov ecx, 0x10001 */
    0xBB, 0x00, 0x00,                        /* mov bx, 0 */
    0x67, 0xE2, 0x03,                        /* a32 loop b */
    0xBB, 0x01, 0x00,                        /* mov bx, 1 */
    0x66, 0x89, 0x0E, 0x04, 0x60,            /* mov [0x6004], ecx */
    0x89, 0x1E, 0x08, 0x60,                  /* mov [0x6008], bx */
    0xB9, 0x05, 0x00,                        /* mov cx, 5 */
    0x31, 0xC0,                              /* xor ax, ax */
    0x40,                                    /* inc ax */
    0xE2, 0xFD,                              /* loop l1 */
    0xA3, 0x0A, 0x60,                        /* mov [0x600A], ax */
    0x66, 0xB9, 0x00, 0x00, 0x01, 0x00,      /* mov ecx, 0x10000 */
    0xBB, 0x00, 0x00,                        /* mov bx, 0 */
    0xE3, 0x03,                              /* jcxz c1 */
    0xBB, 0x01, 0x00,                        /* mov bx, 1 */
    0x89, 0x1E, 0x0C, 0x60,                  /* mov [0x600C], bx */
    0xBB, 0x00, 0x00,                        /* mov bx, 0 */
    0x67, 0xE3, 0x03,                        /* jecxz c2 */
    0xBB, 0x02, 0x00,                        /* mov bx, 2 */
    0x89, 0x1E, 0x0E, 0x60,                  /* mov [0x600E], bx */
    0xB9, 0x03, 0x00,                        /* mov cx, 3 */
    0xBA, 0x00, 0x00,                        /* mov dx, 0 */
    0x42,                                    /* inc dx */
    0x83, 0xFA, 0x02,                        /* cmp dx, 2 */
    0xE0, 0xFA,                              /* loopne l2 */
    0x89, 0x0E, 0x10, 0x60,                  /* mov [0x6010], cx */
    0x89, 0x16, 0x12, 0x60,                  /* mov [0x6012], dx */
    0xF4,                                    /* hlt */
};
/* rm_bound_code: 16-bit code at 0x1000 */
static const uint8_t rm_bound_code[] = {
    0xC7, 0x06, 0x00, 0x50, 0xFB, 0xFF,      /* mov word [0x5000], 0xFFFB */
    0xC7, 0x06, 0x02, 0x50, 0x05, 0x00,      /* mov word [0x5002], 5 */
    0xB8, 0xFE, 0xFF,                        /* mov ax, 0xFFFE */
    0x62, 0x06, 0x00, 0x50,                  /* bound ax, [0x5000] */
    0xC7, 0x06, 0x02, 0x60, 0x01, 0x00,      /* mov word [0x6002], 1 */
    0xC7, 0x06, 0x04, 0x50, 0x0A, 0x00,      /* mov word [0x5004], 10 */
    0xC7, 0x06, 0x06, 0x50, 0x14, 0x00,      /* mov word [0x5006], 20 */
    0xB8, 0x0F, 0x00,                        /* mov ax, 15 */
    0x62, 0x06, 0x04, 0x50,                  /* bound ax, [0x5004] */
    0xC7, 0x06, 0x00, 0x60, 0x01, 0x00,      /* mov word [0x6000], 1 */
    0xB8, 0x19, 0x00,                        /* mov ax, 25 */
    0x62, 0x06, 0x04, 0x50,                  /* bound ax, [0x5004] */
    0xC7, 0x06, 0x00, 0x60, 0x02, 0x00,      /* mov word [0x6000], 2 */
    0xF4,                                    /* hlt */
};
/* rm_io_code: 16-bit code at 0x1000 */
static const uint8_t rm_io_code[] = {
    0xB0, 0x42,                              /* mov al, 0x42 */
    0xE6, 0x80,                              /* out 0x80, al */
    0xBA, 0xF0, 0x01,                        /* mov dx, 0x1F0 */
    0xB8, 0xEF, 0xBE,                        /* mov ax, 0xBEEF */
    0xEF,                                    /* out dx, ax */
    0x66, 0xB8, 0x78, 0x56, 0x34, 0x12,      /* mov eax, 0x12345678 */
    0x66, 0xEF,                              /* out dx, eax */
    0xE4, 0x60,                              /* in al, 0x60 */
    0xA2, 0x00, 0x60,                        /* mov [0x6000], al */
    0x66, 0xED,                              /* in eax, dx */
    0x66, 0xA3, 0x04, 0x60,                  /* mov [0x6004], eax */
    0xE5, 0x70,                              /* in ax, 0x70 */
    0xA3, 0x08, 0x60,                        /* mov [0x6008], ax */
    0xBE, 0x00, 0x30,                        /* mov si, 0x3000 */
    0xB9, 0x03, 0x00,                        /* mov cx, 3 */
    0xBA, 0xE9, 0x00,                        /* mov dx, 0xE9 */
    0xF3, 0x6E,                              /* rep outsb */
    0xBF, 0x00, 0x40,                        /* mov di, 0x4000 */
    0xB9, 0x02, 0x00,                        /* mov cx, 2 */
    0xBA, 0xF0, 0x01,                        /* mov dx, 0x1F0 */
    0xF3, 0x6D,                              /* rep insw */
    0x89, 0x3E, 0x0A, 0x60,                  /* mov [0x600A], di */
    0xF4,                                    /* hlt */
};
/* rm_precise_push_code: 16-bit code at 0x1000 */
static const uint8_t rm_precise_push_code[] = {
    0xBC, 0x02, 0x00,                        /* mov sp, 2 */
    0x66, 0xB8, 0xBE, 0xBA, 0xFE, 0xCA,      /* mov eax, 0xCAFEBABE */
    0x66, 0x50,                              /* push eax */
    0xF4,                                    /* hlt */
};
/* rm_flags_code: 16-bit code at 0x1000 */
static const uint8_t rm_flags_code[] = {
    0xBC, 0x00, 0x80,                        /* mov sp, 0x8000 */
    0x68, 0xFF, 0xFE,                        /* push word 0xFEFF */
    0x9D,                                    /* popf */
    0x9C,                                    /* pushf */
    0x58,                                    /* pop ax */
    0xA3, 0x00, 0x60,                        /* mov [0x6000], ax */
    0x6A, 0x00,                              /* push word 0 */
    0x9D,                                    /* popf */
    0x9C,                                    /* pushf */
    0x58,                                    /* pop ax */
    0xA3, 0x02, 0x60,                        /* mov [0x6002], ax */
    0x66, 0x68, 0x00, 0x00, 0x3F, 0x00,      /* push dword 0x003F0000 */
    0x66, 0x9D,                              /* popfd */
    0x66, 0x9C,                              /* pushfd */
    0x66, 0x58,                              /* pop eax */
    0x66, 0xA3, 0x04, 0x60,                  /* mov [0x6004], eax */
    0x6A, 0x00,                              /* push word 0 */
    0x9D,                                    /* popf */
    0xB4, 0xFF,                              /* mov ah, 0xFF */
    0x9E,                                    /* sahf */
    0x9F,                                    /* lahf */
    0x88, 0x26, 0x08, 0x60,                  /* mov [0x6008], ah */
    0xF5,                                    /* cmc */
    0x9F,                                    /* lahf */
    0x88, 0x26, 0x09, 0x60,                  /* mov [0x6009], ah */
    0xF9,                                    /* stc */
    0x9F,                                    /* lahf */
    0x88, 0x26, 0x0A, 0x60,                  /* mov [0x600A], ah */
    0xF8,                                    /* clc */
    0x9F,                                    /* lahf */
    0x88, 0x26, 0x0B, 0x60,                  /* mov [0x600B], ah */
    0xFD,                                    /* std */
    0x9C,                                    /* pushf */
    0x58,                                    /* pop ax */
    0xA3, 0x0C, 0x60,                        /* mov [0x600C], ax */
    0xFC,                                    /* cld */
    0xFB,                                    /* sti */
    0xFA,                                    /* cli */
    0x9C,                                    /* pushf */
    0x58,                                    /* pop ax */
    0xA3, 0x0E, 0x60,                        /* mov [0x600E], ax */
    0xB8, 0x05, 0x00,                        /* mov ax, 5 */
    0xBB, 0x00, 0x00,                        /* mov bx, 0 */
    0x83, 0xF8, 0x07,                        /* cmp ax, 7 */
    0x7C, 0x03,                              /* jl j1 */
    0x83, 0xCB, 0x01,                        /* or bx, 1 */
    0x83, 0xF8, 0x03,                        /* cmp ax, 3 */
    0x7F, 0x03,                              /* jg j2 */
    0x83, 0xCB, 0x02,                        /* or bx, 2 */
    0x83, 0xF8, 0x05,                        /* cmp ax, 5 */
    0x0F, 0x85, 0x03, 0x00,                  /* jne near j3 */
    0x83, 0xCB, 0x04,                        /* or bx, 4 */
    0x83, 0xF8, 0xFF,                        /* cmp ax, 0xFFFF */
    0x77, 0x03,                              /* ja j4 */
    0x83, 0xCB, 0x08,                        /* or bx, 8 */
    0x89, 0x1E, 0x10, 0x60,                  /* mov [0x6010], bx */
    0xF4,                                    /* hlt */
};
/* rm_move_code: 16-bit code at 0x1000 */
static const uint8_t rm_move_code[] = {
    0xBC, 0x00, 0x80,                        /* mov sp, 0x8000 */
    0xBB, 0x00, 0x10,                        /* mov bx, 0x1000 */
    0xBE, 0x20, 0x00,                        /* mov si, 0x0020 */
    0x8D, 0x40, 0x10,                        /* lea ax, [bx+si+0x10] */
    0xA3, 0x00, 0x60,                        /* mov [0x6000], ax */
    0x66, 0x67, 0x8D, 0x84, 0xB3, 0x00, 0x01, 0x00, 0x00, /* lea eax, [ebx+esi*4+0x100] */
    0x66, 0xA3, 0x02, 0x60,                  /* mov [0x6002], eax */
    0xB9, 0x11, 0x11,                        /* mov cx, 0x1111 */
    0xC7, 0x06, 0x00, 0x50, 0x22, 0x22,      /* mov word [0x5000], 0x2222 */
    0x87, 0x0E, 0x00, 0x50,                  /* xchg [0x5000], cx */
    0x89, 0x0E, 0x06, 0x60,                  /* mov [0x6006], cx */
    0xA1, 0x00, 0x50,                        /* mov ax, [0x5000] */
    0xA3, 0x08, 0x60,                        /* mov [0x6008], ax */
    0xB0, 0x80,                              /* mov al, 0x80 */
    0x0F, 0xB6, 0xD0,                        /* movzx dx, al */
    0x89, 0x16, 0x0A, 0x60,                  /* mov [0x600A], dx */
    0x66, 0x0F, 0xBE, 0xD0,                  /* movsx edx, al */
    0x66, 0x89, 0x16, 0x0C, 0x60,            /* mov [0x600C], edx */
    0xBB, 0x00, 0x51,                        /* mov bx, 0x5100 */
    0xB0, 0x03,                              /* mov al, 3 */
    0xD7,                                    /* xlat */
    0xA2, 0x10, 0x60,                        /* mov [0x6010], al */
    0xB8, 0x80, 0x00,                        /* mov ax, 0x80 */
    0x98,                                    /* cbw */
    0xA3, 0x12, 0x60,                        /* mov [0x6012], ax */
    0xB8, 0x00, 0x80,                        /* mov ax, 0x8000 */
    0x99,                                    /* cwd */
    0x89, 0x16, 0x14, 0x60,                  /* mov [0x6014], dx */
    0xB8, 0x00, 0x80,                        /* mov ax, 0x8000 */
    0x66, 0x98,                              /* cwde */
    0x66, 0xA3, 0x16, 0x60,                  /* mov [0x6016], eax */
    0xC7, 0x06, 0x00, 0x52, 0x44, 0x44,      /* mov word [0x5200], 0x4444 */
    0xC7, 0x06, 0x02, 0x52, 0x23, 0x01,      /* mov word [0x5202], 0x0123 */
    0xC4, 0x3E, 0x00, 0x52,                  /* les di, [0x5200] */
    0x89, 0x3E, 0x1A, 0x60,                  /* mov [0x601A], di */
    0x8C, 0xC0,                              /* mov ax, es */
    0xA3, 0x1C, 0x60,                        /* mov [0x601C], ax */
    0xB8, 0x56, 0x04,                        /* mov ax, 0x0456 */
    0x8E, 0xC0,                              /* mov es, ax */
    0x8C, 0xC0,                              /* mov ax, es */
    0xA3, 0x1E, 0x60,                        /* mov [0x601E], ax */
    0x8C, 0xDA,                              /* mov dx, ds */
    0x89, 0x16, 0x20, 0x60,                  /* mov [0x6020], dx */
    0x66, 0xBB, 0xFF, 0xFF, 0xFF, 0xFF,      /* mov ebx, 0xFFFFFFFF */
    0x8C, 0xC3,                              /* mov bx, es */
    0x66, 0x89, 0x1E, 0x22, 0x60,            /* mov [0x6022], ebx */
    0x66, 0xBB, 0xFF, 0xFF, 0xFF, 0xFF,      /* mov ebx, 0xFFFFFFFF */
    0x66, 0x8C, 0xC3,                        /* mov ebx, es */
    0x66, 0x89, 0x1E, 0x26, 0x60,            /* mov [0x6026], ebx */
    0xC6, 0x06, 0x2A, 0x60, 0x77,            /* mov byte [0x602A], 0x77 */
    0xA0, 0x2A, 0x60,                        /* mov al, [0x602A] */
    0xA2, 0x2B, 0x60,                        /* mov [0x602B], al */
    0x90,                                    /* nop */
    0xF4,                                    /* hlt */
};
/* pm_code: 32-bit code at 0x1000 */
static const uint8_t pm_code[] = {
    0xBC, 0x00, 0x80, 0x00, 0x00,            /* mov esp, 0x8000 */
    0x68, 0x78, 0x56, 0x34, 0x12,            /* push 0x12345678 */
    0x58,                                    /* pop eax */
    0xA3, 0x00, 0x60, 0x00, 0x00,            /* mov [0x6000], eax */
    0x54,                                    /* push esp */
    0x59,                                    /* pop ecx */
    0x89, 0x0D, 0x04, 0x60, 0x00, 0x00,      /* mov [0x6004], ecx */
    0xC7, 0x05, 0xFC, 0x7F, 0x00, 0x00, 0xEF, 0xBE, 0xAD, 0xDE, /* mov dword [0x7FFC], 0xDEADBEEF */
    0x1E,                                    /* push ds */
    0x89, 0x25, 0x08, 0x60, 0x00, 0x00,      /* mov [0x6008], esp */
    0xA1, 0xFC, 0x7F, 0x00, 0x00,            /* mov eax, [0x7FFC] */
    0xA3, 0x0C, 0x60, 0x00, 0x00,            /* mov [0x600C], eax */
    0x0F, 0xA9,                              /* pop gs */
    0x89, 0x25, 0x10, 0x60, 0x00, 0x00,      /* mov [0x6010], esp */
    0x66, 0x8C, 0xE8,                        /* mov ax, gs */
    0x66, 0xA3, 0x14, 0x60, 0x00, 0x00,      /* mov [0x6014], ax */
    0x66, 0x68, 0x21, 0x43,                  /* push word 0x4321 */
    0x89, 0x25, 0x18, 0x60, 0x00, 0x00,      /* mov [0x6018], esp */
    0x66, 0x58,                              /* pop ax */
    0x66, 0xA3, 0x1C, 0x60, 0x00, 0x00,      /* mov [0x601C], ax */
    0xB8, 0xA0, 0xA0, 0xA0, 0xA0,            /* mov eax, 0xA0A0A0A0 */
    0xBB, 0xB0, 0xB0, 0xB0, 0xB0,            /* mov ebx, 0xB0B0B0B0 */
    0x60,                                    /* pushad */
    0x89, 0x25, 0x20, 0x60, 0x00, 0x00,      /* mov [0x6020], esp */
    0x31, 0xC0,                              /* xor eax, eax */
    0x31, 0xDB,                              /* xor ebx, ebx */
    0x61,                                    /* popad */
    0xA3, 0x24, 0x60, 0x00, 0x00,            /* mov [0x6024], eax */
    0x89, 0x1D, 0x28, 0x60, 0x00, 0x00,      /* mov [0x6028], ebx */
    0xBD, 0x00, 0x90, 0x00, 0x00,            /* mov ebp, 0x9000 */
    0xC7, 0x05, 0xFC, 0x8F, 0x00, 0x00, 0x55, 0x55, 0xAA, 0xAA, /* mov dword [0x8FFC], 0xAAAA5555 */
    0xC8, 0x10, 0x00, 0x02,                  /* enter 16, 2 */
    0x89, 0x25, 0x2C, 0x60, 0x00, 0x00,      /* mov [0x602C], esp */
    0x89, 0x2D, 0x30, 0x60, 0x00, 0x00,      /* mov [0x6030], ebp */
    0xA1, 0xF8, 0x7F, 0x00, 0x00,            /* mov eax, [0x7FF8] */
    0xA3, 0x34, 0x60, 0x00, 0x00,            /* mov [0x6034], eax */
    0xA1, 0xF4, 0x7F, 0x00, 0x00,            /* mov eax, [0x7FF4] */
    0xA3, 0x38, 0x60, 0x00, 0x00,            /* mov [0x6038], eax */
    0xC9,                                    /* leave */
    0x89, 0x25, 0x3C, 0x60, 0x00, 0x00,      /* mov [0x603C], esp */
    0x89, 0x2D, 0x40, 0x60, 0x00, 0x00,      /* mov [0x6040], ebp */
    0xE8, 0x99, 0x00, 0x00, 0x00,            /* call sub1 */
    0x89, 0x25, 0x44, 0x60, 0x00, 0x00,      /* mov [0x6044], esp */
    0xFD,                                    /* std */
    0xBF, 0x0C, 0x40, 0x00, 0x00,            /* mov edi, 0x400C */
    0xB9, 0x04, 0x00, 0x00, 0x00,            /* mov ecx, 4 */
    0xB8, 0x88, 0x77, 0x66, 0x55,            /* mov eax, 0x55667788 */
    0xF3, 0xAB,                              /* rep stosd */
    0xFC,                                    /* cld */
    0x89, 0x3D, 0x48, 0x60, 0x00, 0x00,      /* mov [0x6048], edi */
    0xBE, 0x00, 0x40, 0x00, 0x00,            /* mov esi, 0x4000 */
    0xBF, 0x00, 0x41, 0x00, 0x00,            /* mov edi, 0x4100 */
    0xB9, 0x04, 0x00, 0x00, 0x00,            /* mov ecx, 4 */
    0xF3, 0xA5,                              /* rep movsd */
    0x89, 0x35, 0x4C, 0x60, 0x00, 0x00,      /* mov [0x604C], esi */
    0x89, 0x0D, 0x50, 0x60, 0x00, 0x00,      /* mov [0x6050], ecx */
    0xBE, 0x00, 0x40, 0x00, 0x00,            /* mov esi, 0x4000 */
    0xBF, 0x00, 0x41, 0x00, 0x00,            /* mov edi, 0x4100 */
    0xB9, 0x04, 0x00, 0x00, 0x00,            /* mov ecx, 4 */
    0xF3, 0xA7,                              /* repe cmpsd */
    0x89, 0x0D, 0x54, 0x60, 0x00, 0x00,      /* mov [0x6054], ecx */
    0x9F,                                    /* lahf */
    0x88, 0x25, 0x58, 0x60, 0x00, 0x00,      /* mov [0x6058], ah */
    0xC7, 0x05, 0x00, 0x61, 0x00, 0x00, 0x56, 0x11, 0x00, 0x00, /* mov dword [0x6100], sub2 */
    0xFF, 0x15, 0x00, 0x61, 0x00, 0x00,      /* call [0x6100] */
    0xA3, 0x5C, 0x60, 0x00, 0x00,            /* mov [0x605C], eax */
    0xEA, 0x32, 0x11, 0x00, 0x00, 0x08, 0x00, /* jmp 0x08:farj */
    0xC7, 0x05, 0x04, 0x61, 0x00, 0x00, 0x5C, 0x11, 0x00, 0x00, /* mov dword [0x6104], fars */
    0x66, 0xC7, 0x05, 0x08, 0x61, 0x00, 0x00, 0x08, 0x00, /* mov word [0x6108], 0x08 */
    0xFF, 0x1D, 0x04, 0x61, 0x00, 0x00,      /* call far [0x6104] */
    0x89, 0x25, 0x60, 0x60, 0x00, 0x00,      /* mov [0x6060], esp */
    0x6A, 0x11,                              /* push 0x11 */
    0x07,                                    /* pop es */
    0xF4,                                    /* hlt */
    0xC3,                                    /* ret */
    0xB8, 0x5A, 0x5A, 0x00, 0x00,            /* mov eax, 0x5A5A */
    0xC3,                                    /* ret */
    0x89, 0x25, 0x64, 0x60, 0x00, 0x00,      /* mov [0x6064], esp */
    0xCB,                                    /* retf */
};

/* pm_ltr_code: 32-bit code at 0x1000 */
static const uint8_t pm_ltr_code[] = {
    0x66, 0xB8, 0x18, 0x00,                  /* mov ax, 0x18 */
    0x0F, 0x00, 0xD8,                        /* ltr ax */
};

/* pm_ring3_code: 32-bit code at 0x1007 */
static const uint8_t pm_ring3_code[] = {
    0x9C,                                    /* pushfd */
    0x58,                                    /* pop eax */
    0xA3, 0x00, 0x60, 0x00, 0x00,            /* mov [0x6000], eax */
    0x68, 0x03, 0x32, 0x00, 0x00,            /* push dword 0x3203 */
    0x9D,                                    /* popfd */
    0x9C,                                    /* pushfd */
    0x58,                                    /* pop eax */
    0xA3, 0x04, 0x60, 0x00, 0x00,            /* mov [0x6004], eax */
    0xB0, 0x11,                              /* mov al, 0x11 */
    0xE6, 0x80,                              /* out 0x80, al */
    0x66, 0xE5, 0x80,                        /* in ax, 0x80 */
    0x66, 0xA3, 0x08, 0x60, 0x00, 0x00,      /* mov [0x6008], ax */
    0x66, 0xE7, 0x86,                        /* out 0x86, ax */
    0x66, 0xBA, 0xF0, 0x01,                  /* mov dx, 0x1F0 */
    0x66, 0x89, 0x15, 0x0C, 0x60, 0x00, 0x00, /* mov [0x600C], dx */
};

/* rm_rep_fault_code: 16-bit code at 0x1000 */
static const uint8_t rm_rep_fault_code[] = {
    0x66, 0xBF, 0xFE, 0xFF, 0x00, 0x00,      /* mov edi, 0xFFFE */
    0x66, 0xB9, 0x05, 0x00, 0x00, 0x00,      /* mov ecx, 5 */
    0xB0, 0xEE,                              /* mov al, 0xEE */
    0xF3, 0x67, 0xAA,                        /* a32 rep stosb */
    0xF4,                                    /* hlt */
};

/* pm_pushad_fault_code: 32-bit code at 0x1000 */
static const uint8_t pm_pushad_fault_code[] = {
    0xB8, 0x11, 0x11, 0x11, 0x11,            /* mov eax, 0x11111111 */
    0xBC, 0x14, 0x70, 0x00, 0x00,            /* mov esp, 0x7014 */
    0x60,                                    /* pushad */
    0xF4,                                    /* hlt */
};

/* rm_outs_stop_code: 16-bit code at 0x1000 */
static const uint8_t rm_outs_stop_code[] = {
    0xBE, 0x00, 0x30,                        /* mov si, 0x3000 */
    0xB9, 0x05, 0x00,                        /* mov cx, 5 */
    0xBA, 0xE9, 0x00,                        /* mov dx, 0xE9 */
    0xF3, 0x6E,                              /* rep outsb */
    0xF4,                                    /* hlt */
};

/* ------------------------------------------------------------------ */

static void test_rm_stack(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_stack_code, sizeof(rm_stack_code));
    tm_run_to_end(m, sizeof(rm_stack_code));
    assert_int_equal(tm_get16(m, 0x6000), 0x1234);     /* push ax / pop bx */
    assert_int_equal(tm_get16(m, 0x6002), 0x8000);     /* push sp: value before the decrement */
    assert_int_equal(tm_get16(m, 0x6004), 0x5555);     /* pop sp: the popped value wins */
    assert_int_equal(tm_get16(m, 0x6006), 0x7FFC);     /* o32 push es moves SP by 4 */
    assert_int_equal(tm_get32(m, 0x6008), 0xDEAD0123); /* ...but writes 16 bits */
    assert_int_equal(tm_get16(m, 0x600C), 0x8000);     /* o32 pop fs */
    assert_int_equal(tm_get16(m, 0x600E), 0x0123);
    assert_int_equal(tm_get16(m, 0x6010), 0x7FFE);     /* pop [esp]: address after the increment */
    assert_int_equal(tm_get16(m, 0x6012), 0xBBBB);
    /* PUSHA image: DI SI BP SP BX DX CX AX from the lowest address */
    assert_int_equal(tm_get16(m, 0x6014), 0x7FF0);
    assert_int_equal(tm_get16(m, 0x7FF0), 8);
    assert_int_equal(tm_get16(m, 0x7FF2), 7);
    assert_int_equal(tm_get16(m, 0x7FF4), 6);
    assert_int_equal(tm_get16(m, 0x7FF8), 4);
    assert_int_equal(tm_get16(m, 0x7FFA), 3);
    assert_int_equal(tm_get16(m, 0x7FFC), 2);
    assert_int_equal(tm_get16(m, 0x7FFE), 1);
    /* POPA restores everything but SP (its slot was overwritten with 9999h) */
    assert_int_equal(tm_get16(m, 0x6016), 1);
    assert_int_equal(tm_get16(m, 0x6018), 2);
    assert_int_equal(tm_get16(m, 0x601A), 3);
    assert_int_equal(tm_get16(m, 0x601C), 4);
    assert_int_equal(tm_get16(m, 0x601E), 0x8000);
    assert_int_equal(tm_get16(m, 0x6020), 6);
    assert_int_equal(tm_get16(m, 0x6022), 7);
    assert_int_equal(tm_get16(m, 0x6024), 8);
    /* PUSHAD/POPAD with an operand-size prefix in 16-bit code */
    assert_int_equal(tm_get16(m, 0x6026), 0x6FE0);
    assert_int_equal(tm_get32(m, 0x6FEC), 0x7000);     /* the ESP slot */
    assert_int_equal(tm_get32(m, 0x6FF8), 0x22222222);
    assert_int_equal(tm_get32(m, 0x6FFC), 0x11111111);
    assert_int_equal(tm_get32(m, 0x6028), 0x11111111);
    assert_int_equal(tm_get32(m, 0x602C), 0x22222222);
    assert_int_equal(tm_get32(m, 0x6030), 0x7000);
    struct cpu_segment fs;
    cpu_get_segment(m->cpu, CPU_FS, &fs);
    assert_int_equal(fs.selector, 0x0123);
    assert_int_equal(fs.base, 0x1230);
    tm_free(m);
}

static void test_rm_enter_leave(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_enter_code, sizeof(rm_enter_code));
    tm_run_to_end(m, sizeof(rm_enter_code));
    /* enter 8, 3 */
    assert_int_equal(tm_get16(m, 0x6000), 0x7FF0);
    assert_int_equal(tm_get16(m, 0x6002), 0x7FFE);
    assert_int_equal(tm_get16(m, 0x6020), 0x9000); /* old BP */
    assert_int_equal(tm_get16(m, 0x6022), 0x1111); /* copied frame pointers */
    assert_int_equal(tm_get16(m, 0x6024), 0x2222);
    assert_int_equal(tm_get16(m, 0x6026), 0x7FFE); /* FrameTemp */
    assert_int_equal(tm_get16(m, 0x6004), 0x8000); /* leave */
    assert_int_equal(tm_get16(m, 0x6006), 0x9000);
    /* enter 4, 0 */
    assert_int_equal(tm_get16(m, 0x6008), 0x7FFA);
    assert_int_equal(tm_get16(m, 0x600A), 0x7FFE);
    /* enter 0, 1 */
    assert_int_equal(tm_get16(m, 0x600C), 0x7FFC);
    assert_int_equal(tm_get16(m, 0x600E), 0x7FFE);
    assert_int_equal(tm_get16(m, 0x6010), 0x7FFE);
    assert_int_equal(tm_get16(m, 0x6012), 0x8000);
    assert_int_equal(tm_get16(m, 0x6014), 0x9000);
    tm_free(m);
}

static void test_rm_far_call_ret(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_far_code, sizeof(rm_far_code));
    mmu_write_block(m->mmu, 0x2010, rm_far_sub1, sizeof(rm_far_sub1));
    mmu_write_block(m->mmu, 0x2020, rm_far_sub2, sizeof(rm_far_sub2));
    mmu_write_block(m->mmu, 0x3000, rm_far_tail, sizeof(rm_far_tail));
    enum cpu_stop st = cpu_run(m->cpu, 1000000);
    assert_true(st == CPU_STOP_HALT || st == CPU_STOP_DEAD_HALT);
    struct cpu_segment cs;
    cpu_get_segment(m->cpu, CPU_CS, &cs);
    assert_int_equal(cs.selector, 0x0300);
    assert_int_equal(cs.base, 0x3000);
    /* the final HLT is followed by "ret 2" (3 bytes) */
    assert_int_equal(cpu_get_eip(m->cpu), sizeof(rm_far_tail) - 3);
    assert_int_equal(tm_get16(m, 0x6000), 0x0200); /* CS inside the callee */
    assert_int_equal(tm_get16(m, 0x6002), 0x7FFA); /* param, CS, IP pushed */
    assert_int_equal(tm_get16(m, 0x7FFA), 0x100B); /* return IP */
    assert_int_equal(tm_get16(m, 0x6004), 0x8000); /* retf 2 released the parameter */
    assert_int_equal(tm_get16(m, 0x6006), 0x0000);
    assert_int_equal(tm_get16(m, 0x6008), 0x7FFC); /* call far [mem] */
    assert_int_equal(tm_get16(m, 0x600A), 0x8000);
    assert_int_equal(tm_get16(m, 0x600C), 0x0300); /* jmp far */
    assert_int_equal(tm_get16(m, 0x600E), 0x8000); /* near call + ret 2 */
    tm_free(m);
}

static const char str_src[] = "ABCDEFGHIJ";

static void test_rm_string(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_string_code, sizeof(rm_string_code));
    static const uint16_t words[8] = {0x1111, 0x2222, 0xBEEF, 0x3333,
                                      0x4444, 0x5555, 0x6666, 0x7777};
    mmu_write_block(m->mmu, 0x3000, str_src, 10);
    mmu_write_block(m->mmu, 0x4300, "ABCDEXGHIJ", 10);
    for (unsigned k = 0; k < 8; k++)
        tm_put16(m, 0x4400 + 2 * k, words[k]);
    uint8_t b99 = 0x99;
    mmu_write_block(m->mmu, 0xFFFF, &b99, 1);
    tm_run_to_end(m, sizeof(rm_string_code));
    uint8_t buf[16];

    /* rep movsb forwards */
    assert_int_equal(tm_get16(m, 0x6000), 0x300A);
    assert_int_equal(tm_get16(m, 0x6002), 0x400A);
    assert_int_equal(tm_get16(m, 0x6004), 0);
    mmu_read_block(m->mmu, 0x4000, buf, 10);
    assert_memory_equal(buf, str_src, 10);
    assert_int_equal(tm_get8(m, 0x400A), 0);
    /* rep movsb backwards (DF = 1) */
    assert_int_equal(tm_get16(m, 0x6006), 0x2FFF);
    assert_int_equal(tm_get16(m, 0x6008), 0x40FF);
    mmu_read_block(m->mmu, 0x4100, buf, 10);
    assert_memory_equal(buf, str_src, 10);
    assert_int_equal(tm_get8(m, 0x40FF), 0);
    /* count 0 does nothing */
    assert_int_equal(tm_get16(m, 0x600A), 0x1234);
    /* rep stosd with 16-bit addressing */
    assert_int_equal(tm_get16(m, 0x600C), 0x4210);
    for (unsigned k = 0; k < 4; k++)
        assert_int_equal(tm_get32(m, 0x4200 + 4 * k), 0x11223344);
    assert_int_equal(tm_get32(m, 0x4210), 0);
    /* repe cmpsb stops after the first difference ('F' - 'X') */
    assert_int_equal(tm_get16(m, 0x600E), 4);
    assert_int_equal(tm_get16(m, 0x6010), 0x3006);
    assert_int_equal(tm_get8(m, 0x6012), 0x97); /* SF AF PF CF, ZF = 0 */
    /* repne scasw stops on the match */
    assert_int_equal(tm_get16(m, 0x6014), 5);
    assert_int_equal(tm_get16(m, 0x6016), 0x4406);
    assert_int_equal(tm_get8(m, 0x6018), 0x46); /* ZF PF */
    /* a32 rep movsb counts with ECX and moves ESI/EDI */
    assert_int_equal(tm_get32(m, 0x601A), 0x3005);
    assert_int_equal(tm_get32(m, 0x601E), 0);
    mmu_read_block(m->mmu, 0x4500, buf, 6);
    assert_memory_equal(buf, "ABCDE\0", 6);
    /* a16 rep movsb counts with CX only: ECX = 10002h moves 2 bytes */
    assert_int_equal(tm_get32(m, 0x6022), 0x00010000);
    mmu_read_block(m->mmu, 0x4600, buf, 3);
    assert_memory_equal(buf, "AB\0", 3);
    /* a16: SI wraps from FFFFh to 0 keeping the upper half of ESI */
    assert_int_equal(tm_get8(m, 0x4700), 0x99);
    assert_int_equal(tm_get32(m, 0x6026), 0x00010000);
    /* std; repne scasw walks down */
    assert_int_equal(tm_get16(m, 0x602A), 5);
    assert_int_equal(tm_get16(m, 0x602C), 0x4400);
    /* repe scasw with CX = 0 keeps the flags of the CMP before it */
    assert_int_equal(tm_get8(m, 0x602E), 0x97);
    assert_int_equal(tm_get16(m, 0x6030), 0x4400);
    tm_free(m);
}

/* A REP MOVSB that runs out of budget stops between iterations with EIP
 * on the instruction and resumes where it left off. */
static void test_rm_rep_budget(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_budget_code, sizeof(rm_budget_code));
    uint8_t src[20], buf[20];
    for (unsigned k = 0; k < 20; k++)
        src[k] = (uint8_t)(k + 1);
    mmu_write_block(m->mmu, 0x3000, src, 20);
    uint64_t t0 = cpu_icount(m->cpu);
    /* three MOVs, then five iterations */
    assert_int_equal(cpu_run(m->cpu, 8), CPU_STOP_BUDGET);
    assert_int_equal(cpu_icount(m->cpu) - t0, 8);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 15);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESI), 0x3005);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDI), 0x4005);
    assert_int_equal(cpu_get_eip(m->cpu), CODE_BASE + 9); /* the REP MOVSB */
    mmu_read_block(m->mmu, 0x4000, buf, 20);
    assert_memory_equal(buf, src, 5);
    assert_int_equal(buf[5], 0);
    /* one more instruction's worth: exactly one more iteration */
    assert_int_equal(cpu_run(m->cpu, 1), CPU_STOP_BUDGET);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 14);
    assert_int_equal(cpu_get_eip(m->cpu), CODE_BASE + 9);
    tm_run_to_end(m, sizeof(rm_budget_code));
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 0);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESI), 0x3014);
    mmu_read_block(m->mmu, 0x4000, buf, 20);
    assert_memory_equal(buf, src, 20);
    assert_int_equal(tm_get8(m, 0x4014), 0);
    tm_free(m);
}

static void test_rm_loop(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_loop_code, sizeof(rm_loop_code));
    tm_run_to_end(m, sizeof(rm_loop_code));
    assert_int_equal(tm_get32(m, 0x6000), 0x00010000); /* a16 LOOP: CX 1 -> 0, not taken */
    assert_int_equal(tm_get32(m, 0x6004), 0x00010000); /* a32 LOOP: ECX -> 10000h, taken */
    assert_int_equal(tm_get16(m, 0x6008), 0);
    assert_int_equal(tm_get16(m, 0x600A), 5);          /* loop ran 5 times */
    assert_int_equal(tm_get16(m, 0x600C), 0);          /* jcxz taken: CX = 0 */
    assert_int_equal(tm_get16(m, 0x600E), 2);          /* jecxz not taken: ECX = 10000h */
    assert_int_equal(tm_get16(m, 0x6010), 1);          /* loopne ended on ZF = 1 */
    assert_int_equal(tm_get16(m, 0x6012), 2);
    tm_free(m);
}

static void test_rm_bound(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_bound_code, sizeof(rm_bound_code));
    tm_run_to_handler(m, HANDLER + 1);
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_true(e.valid);
    assert_int_equal(e.vector, 5);
    assert_int_equal(e.eip, CODE_BASE + 0x35);
    assert_int_equal(tm_get16(m, 0x6002), 1); /* -2 within [-5, 5]: signed compare */
    assert_int_equal(tm_get16(m, 0x6000), 1); /* 15 within [10, 20] */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX) & 0xFFFF, 25);
    /* #BR is a fault: the pushed IP is the BOUND itself */
    uint32_t sp = cpu_get_reg(m->cpu, CPU_ESP);
    assert_int_equal(sp, 0x8000 - 6);
    assert_int_equal(tm_get16(m, sp), CODE_BASE + 0x35);
    tm_free(m);
}

static void expect_io(const struct machine *m, unsigned k, bool out, uint16_t port, uint32_t v,
                      unsigned size)
{
    assert_true(k < m->nlog);
    assert_int_equal(m->log[k].out, out);
    assert_int_equal(m->log[k].port, port);
    assert_int_equal(m->log[k].value, v);
    assert_int_equal(m->log[k].size, size);
}

static void test_rm_io(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_io_code, sizeof(rm_io_code));
    mmu_write_block(m->mmu, 0x3000, "abc", 3);
    tm_run_to_end(m, sizeof(rm_io_code));
    assert_int_equal(m->nlog, 11);
    expect_io(m, 0, true, 0x80, 0x42, 1);
    expect_io(m, 1, true, 0x1F0, 0xBEEF, 2);
    expect_io(m, 2, true, 0x1F0, 0x12345678, 4);
    expect_io(m, 3, false, 0x60, io_value(0x60, 0), 1);
    expect_io(m, 4, false, 0x1F0, io_value(0x1F0, 1), 4);
    expect_io(m, 5, false, 0x70, io_value(0x70, 2), 2);
    assert_int_equal(tm_get8(m, 0x6000), io_value(0x60, 0) & 0xFF);
    assert_int_equal(tm_get32(m, 0x6004), io_value(0x1F0, 1));
    assert_int_equal(tm_get16(m, 0x6008), io_value(0x70, 2) & 0xFFFF);
    expect_io(m, 6, true, 0xE9, 'a', 1);
    expect_io(m, 7, true, 0xE9, 'b', 1);
    expect_io(m, 8, true, 0xE9, 'c', 1);
    expect_io(m, 9, false, 0x1F0, io_value(0x1F0, 3), 2);
    expect_io(m, 10, false, 0x1F0, io_value(0x1F0, 4), 2);
    assert_int_equal(tm_get16(m, 0x4000), io_value(0x1F0, 3) & 0xFFFF);
    assert_int_equal(tm_get16(m, 0x4002), io_value(0x1F0, 4) & 0xFFFF);
    assert_int_equal(tm_get16(m, 0x600A), 0x4004);
    tm_free(m);
}

/* A dword push at SP = 2 would write SS:FFFEh..10001h, beyond the 64 KiB
 * limit: #SS, and neither ESP nor memory changes.  The real-mode frame of
 * the exception (FLAGS, CS, IP at SP-2, -4, -6 from SP = 2) proves ESP
 * was still 2. */
static void test_rm_precise_push(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_precise_push_code, sizeof(rm_precise_push_code));
    tm_put16(m, 0x10000, 0x5A5A);
    tm_run_to_handler(m, HANDLER + 1);
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_true(e.valid);
    assert_int_equal(e.vector, 12);
    assert_int_equal(e.eip, CODE_BASE + 9);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), 0xFFFC);
    assert_int_equal(tm_get16(m, 0xFFFC), CODE_BASE + 9);
    assert_int_equal(tm_get16(m, 0xFFFE), 0);
    assert_int_equal(tm_get16(m, 0x10000), 0x5A5A);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0xCAFEBABE);
    tm_free(m);
}

static void test_rm_flags(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_flags_code, sizeof(rm_flags_code));
    tm_run_to_end(m, sizeof(rm_flags_code));
    /* real mode: IOPL, NT, IF writable; bits 15, 5, 3 read 0; bit 1 reads 1 */
    assert_int_equal(tm_get16(m, 0x6000), 0x7ED7);
    assert_int_equal(tm_get16(m, 0x6002), 0x0002);
    /* POPFD: AC and ID writable; VM, VIF, VIP unchanged; RF cleared */
    assert_int_equal(tm_get32(m, 0x6004), 0x00240002);
    assert_int_equal(tm_get8(m, 0x6008), 0xD7); /* sahf FFh; lahf */
    assert_int_equal(tm_get8(m, 0x6009), 0xD6); /* cmc */
    assert_int_equal(tm_get8(m, 0x600A), 0xD7); /* stc */
    assert_int_equal(tm_get8(m, 0x600B), 0xD6); /* clc */
    assert_int_equal(tm_get16(m, 0x600C), 0x04D6); /* std */
    assert_int_equal(tm_get16(m, 0x600E), 0x00D6); /* cld; sti; cli */
    assert_int_equal(tm_get16(m, 0x6010), 12);     /* jl, jg taken; jne, ja not */
    tm_free(m);
}

static void test_rm_move(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_move_code, sizeof(rm_move_code));
    uint8_t c3 = 0xC3;
    mmu_write_block(m->mmu, 0x5103, &c3, 1);
    tm_run_to_end(m, sizeof(rm_move_code));
    assert_int_equal(tm_get16(m, 0x6000), 0x1030);     /* lea ax, [bx+si+10h] */
    assert_int_equal(tm_get32(m, 0x6002), 0x1180);     /* lea eax, [ebx+esi*4+100h] */
    assert_int_equal(tm_get16(m, 0x6006), 0x2222);     /* xchg [mem], cx */
    assert_int_equal(tm_get16(m, 0x6008), 0x1111);
    assert_int_equal(tm_get16(m, 0x600A), 0x0080);     /* movzx */
    assert_int_equal(tm_get32(m, 0x600C), 0xFFFFFF80); /* movsx */
    assert_int_equal(tm_get8(m, 0x6010), 0xC3);        /* xlat */
    assert_int_equal(tm_get16(m, 0x6012), 0xFF80);     /* cbw */
    assert_int_equal(tm_get16(m, 0x6014), 0xFFFF);     /* cwd */
    assert_int_equal(tm_get32(m, 0x6016), 0xFFFF8000); /* cwde */
    assert_int_equal(tm_get16(m, 0x601A), 0x4444);     /* les */
    assert_int_equal(tm_get16(m, 0x601C), 0x0123);
    assert_int_equal(tm_get16(m, 0x601E), 0x0456);     /* mov es, ax / mov ax, es */
    assert_int_equal(tm_get16(m, 0x6020), 0);
    assert_int_equal(tm_get32(m, 0x6022), 0xFFFF0456); /* mov bx, es keeps the upper half */
    assert_int_equal(tm_get32(m, 0x6026), 0x00000456); /* mov ebx, es zero-extends */
    assert_int_equal(tm_get8(m, 0x602B), 0x77);        /* moffs forms */
    struct cpu_segment es;
    cpu_get_segment(m->cpu, CPU_ES, &es);
    assert_int_equal(es.base, 0x4560);
    tm_free(m);
}

/* --- 32-bit flat protected mode -------------------------------------- */

#define GDT_BASE 0x500u
#define IDT_BASE 0x600u

static void tm_put_desc(struct machine *m, uint32_t a, uint32_t lo, uint32_t hi)
{
    tm_put32(m, a, lo);
    tm_put32(m, a + 4, hi);
}

/* GDT: 08h flat 32-bit code, 10h flat data; IDT: 32 interrupt gates to
 * 08h:HANDLER (a HLT). */
static struct machine *tm_pm32(const uint8_t *code, size_t len)
{
    struct machine *m = tm_new();
    tm_put_desc(m, GDT_BASE, 0, 0);
    tm_put_desc(m, GDT_BASE + 8, 0x0000FFFFu, 0x00CF9B00u);
    tm_put_desc(m, GDT_BASE + 16, 0x0000FFFFu, 0x00CF9300u);
    for (unsigned v = 0; v < 32; v++)
        tm_put_desc(m, IDT_BASE + 8 * v, (0x08u << 16) | (HANDLER & 0xFFFFu),
                    (HANDLER & 0xFFFF0000u) | 0x8E00u);
    uint8_t hlt = 0xF4;
    mmu_write_block(m->mmu, HANDLER, &hlt, 1);
    mmu_write_block(m->mmu, CODE_BASE, code, len);
    cpu_set_dtr(m->cpu, false, GDT_BASE, 23);
    cpu_set_dtr(m->cpu, true, IDT_BASE, 32 * 8 - 1);
    cpu_set_cr(m->cpu, 0, 0x11);
    struct cpu_segment cs = {0x08, 0x9B | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G, 0, 0xFFFFFFFFu};
    struct cpu_segment ds = {0x10, 0x93 | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G, 0, 0xFFFFFFFFu};
    cpu_set_segment(m->cpu, CPU_CS, &cs);
    for (unsigned s = CPU_ES; s <= CPU_GS; s++)
        if (s != CPU_CS)
            cpu_set_segment(m->cpu, (enum cpu_sreg)s, &ds);
    cpu_set_eip(m->cpu, CODE_BASE);
    cpu_set_reg(m->cpu, CPU_ESP, 0x8000);
    return m;
}

static void test_pm32(void **state)
{
    (void)state;
    struct machine *m = tm_pm32(pm_code, sizeof(pm_code));
    /* the program ends with "push 11h; pop es": RPL 1 > DPL 0 -> #GP(10h) */
    tm_run_to_handler(m, HANDLER + 1);
    assert_int_equal(tm_get32(m, 0x6000), 0x12345678);
    assert_int_equal(tm_get32(m, 0x6004), 0x8000);     /* push esp */
    assert_int_equal(tm_get32(m, 0x6008), 0x7FFC);     /* push ds: 4-byte slot... */
    assert_int_equal(tm_get32(m, 0x600C), 0xDEAD0010); /* ...16-bit write */
    assert_int_equal(tm_get32(m, 0x6010), 0x8000);     /* pop gs */
    assert_int_equal(tm_get16(m, 0x6014), 0x10);
    assert_int_equal(tm_get32(m, 0x6018), 0x7FFE);     /* o16 push imm */
    assert_int_equal(tm_get16(m, 0x601C), 0x4321);
    assert_int_equal(tm_get32(m, 0x6020), 0x7FE0);     /* pushad */
    assert_int_equal(tm_get32(m, 0x6024), 0xA0A0A0A0); /* popad */
    assert_int_equal(tm_get32(m, 0x6028), 0xB0B0B0B0);
    assert_int_equal(tm_get32(m, 0x602C), 0x7FE4);     /* enter 16, 2 */
    assert_int_equal(tm_get32(m, 0x6030), 0x7FFC);
    assert_int_equal(tm_get32(m, 0x6034), 0xAAAA5555);
    assert_int_equal(tm_get32(m, 0x6038), 0x7FFC);
    assert_int_equal(tm_get32(m, 0x603C), 0x8000);     /* leave */
    assert_int_equal(tm_get32(m, 0x6040), 0x9000);
    assert_int_equal(tm_get32(m, 0x6044), 0x8000);     /* call / ret */
    assert_int_equal(tm_get32(m, 0x6048), 0x3FFC);     /* std; rep stosd */
    for (unsigned k = 0; k < 4; k++) {
        assert_int_equal(tm_get32(m, 0x4000 + 4 * k), 0x55667788);
        assert_int_equal(tm_get32(m, 0x4100 + 4 * k), 0x55667788); /* rep movsd */
    }
    assert_int_equal(tm_get32(m, 0x4010), 0);
    assert_int_equal(tm_get32(m, 0x604C), 0x4010);
    assert_int_equal(tm_get32(m, 0x6050), 0);
    assert_int_equal(tm_get32(m, 0x6054), 0);          /* repe cmpsd: all equal */
    assert_int_equal(tm_get8(m, 0x6058), 0x46);
    assert_int_equal(tm_get32(m, 0x605C), 0x5A5A);     /* call [mem] */
    assert_int_equal(tm_get32(m, 0x6064), 0x7FF8);     /* call far [mem] pushed CS, EIP */
    assert_int_equal(tm_get32(m, 0x6060), 0x8000);     /* retf */
    /* precise POP ES: #GP(10h) with ESP still 7FFCh; frame: error, EIP, CS, EFLAGS */
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_true(e.valid);
    assert_int_equal(e.vector, 13);
    assert_int_equal(e.error, 0x10);
    assert_int_equal(e.eip, CODE_BASE + 0x153);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), 0x7FFC - 16);
    assert_int_equal(tm_get32(m, 0x7FEC), 0x10);
    assert_int_equal(tm_get32(m, 0x7FF0), CODE_BASE + 0x153);
    struct cpu_segment es;
    cpu_get_segment(m->cpu, CPU_ES, &es);
    assert_int_equal(es.selector, 0x10);
    tm_free(m);
}

/* Ring-3 code under a 32-bit TSS whose I/O permission bitmap allows ports
 * 80h-87h except 82h (map bytes 0-15 and 17-18 all ones, byte 16 = 04h;
 * the TSS limit ends at byte 18).  IOPL = 0, so every port access from
 * CPL 3 consults the bitmap; CLI and HLT fault.  Each test appends one
 * instruction sequence (`tail`) that must end in #GP(0).
 *
 * Ring 0 only runs LTR; the test then puts the CPU at CPL 3 directly
 * through cpu_set_segment.  The IDT gates lead to a conforming ring-0
 * code segment, so exceptions are handled at CPL 3 on the same stack (no
 * TSS stack switch needed), by a "jmp $" the run spins on. */
#define TSS_BASE 0x0A00u
#define TSS_MAP 0x68u
#define RING3_SP 0x8800u

static struct machine *tm_ring3(const uint8_t *tail, size_t tail_len)
{
    uint8_t code[sizeof(pm_ltr_code) + sizeof(pm_ring3_code) + 32];
    size_t len = 0;
    memcpy(code, pm_ltr_code, sizeof(pm_ltr_code));
    len += sizeof(pm_ltr_code);
    memcpy(code + len, pm_ring3_code, sizeof(pm_ring3_code));
    len += sizeof(pm_ring3_code);
    assert_true(tail_len <= 32);
    memcpy(code + len, tail, tail_len);
    len += tail_len;
    struct machine *m = tm_pm32(code, len);
    uint32_t limit = TSS_MAP + 18;
    tm_put_desc(m, GDT_BASE + 0x18, (TSS_BASE << 16) | limit, 0x00008900u);
    tm_put_desc(m, GDT_BASE + 0x20, 0x0000FFFFu, 0x00CFFB00u); /* code, DPL 3 */
    tm_put_desc(m, GDT_BASE + 0x28, 0x0000FFFFu, 0x00CFF300u); /* data, DPL 3 */
    tm_put_desc(m, GDT_BASE + 0x30, 0x0000FFFFu, 0x00CF9E00u); /* conforming code */
    cpu_set_dtr(m->cpu, false, GDT_BASE, 7 * 8 - 1);
    for (unsigned v = 0; v < 32; v++)
        tm_put_desc(m, IDT_BASE + 8 * v, (0x30u << 16) | (HANDLER & 0xFFFFu),
                    (HANDLER & 0xFFFF0000u) | 0x8E00u);
    static const uint8_t spin[2] = {0xEB, 0xFE}; /* jmp $ */
    mmu_write_block(m->mmu, HANDLER, spin, 2);
    tm_put16(m, TSS_BASE + 0x66, TSS_MAP);
    for (unsigned k = 0; k < 19; k++) {
        uint8_t b = k == 16 ? 0x04 : 0xFF;
        mmu_write_block(m->mmu, TSS_BASE + TSS_MAP + k, &b, 1);
    }
    /* ring 0: mov ax, 18h; ltr ax */
    assert_int_equal(cpu_run(m->cpu, 2), CPU_STOP_BUDGET);
    assert_int_equal(cpu_get_eip(m->cpu), CODE_BASE + sizeof(pm_ltr_code));
    struct cpu_segment cs = {0x23, 0xFB | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G, 0, 0xFFFFFFFFu};
    struct cpu_segment ds = {0x2B, 0xF3 | CPU_SEG_ATTR_DB | CPU_SEG_ATTR_G, 0, 0xFFFFFFFFu};
    for (unsigned s = CPU_ES; s <= CPU_GS; s++)
        if (s != CPU_CS)
            cpu_set_segment(m->cpu, (enum cpu_sreg)s, &ds);
    cpu_set_segment(m->cpu, CPU_CS, &cs);
    cpu_set_reg(m->cpu, CPU_ESP, RING3_SP);
    cpu_set_eflags(m->cpu, 0x0002);
    return m;
}

/* Run to the #GP handler and check the fault hit the instruction at
 * `fault_off` within the tail, from CPL 3, with nothing left undone. */
static void ring3_expect_gp(struct machine *m, size_t fault_off, unsigned nlog)
{
    uint32_t fault_eip = CODE_BASE + sizeof(pm_ltr_code) + sizeof(pm_ring3_code) + fault_off;
    assert_int_equal(cpu_run(m->cpu, 10000), CPU_STOP_BUDGET);
    assert_int_equal(cpu_get_eip(m->cpu), HANDLER);
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_true(e.valid);
    assert_int_equal(e.vector, 13);
    assert_int_equal(e.error, 0);
    assert_int_equal(e.eip, fault_eip);
    /* frame on the ring-3 stack: error code, EIP, CS, EFLAGS */
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), RING3_SP - 16);
    assert_int_equal(tm_get32(m, RING3_SP - 16), 0);
    assert_int_equal(tm_get32(m, RING3_SP - 12), fault_eip);
    assert_int_equal(tm_get32(m, RING3_SP - 8), 0x23);
    /* POPFD at CPL 3 > IOPL changed CF but neither IF nor IOPL */
    assert_int_equal(tm_get32(m, 0x6000), 0x0002);
    assert_int_equal(tm_get32(m, 0x6004), 0x0003);
    /* the common part: out 80h, in ax 80h, out 86h ax were allowed */
    assert_int_equal(m->nlog, nlog);
    expect_io(m, 0, true, 0x80, 0x11, 1);
    expect_io(m, 1, false, 0x80, io_value(0x80, 0), 2);
    expect_io(m, 2, true, 0x86, io_value(0x80, 0) & 0xFFFF, 2);
    assert_int_equal(tm_get16(m, 0x6008), io_value(0x80, 0) & 0xFFFF);
    assert_int_equal(tm_get16(m, 0x600C), 0x1F0);
}

static void test_ring3_io_allowed_then_hlt(void **state)
{
    (void)state;
    static const uint8_t tail[] = {0xE6, 0x84, 0xF4}; /* out 84h, al; hlt */
    struct machine *m = tm_ring3(tail, sizeof(tail));
    ring3_expect_gp(m, 2, 4);
    expect_io(m, 3, true, 0x84, io_value(0x80, 0) & 0xFF, 1);
    tm_free(m);
}

static void test_ring3_io_denied_bit(void **state)
{
    (void)state;
    static const uint8_t tail[] = {0x66, 0xE7, 0x81}; /* out 81h, ax: port 82h denied */
    struct machine *m = tm_ring3(tail, sizeof(tail));
    ring3_expect_gp(m, 0, 3);
    tm_free(m);
}

static void test_ring3_io_denied_next_byte(void **state)
{
    (void)state;
    static const uint8_t tail[] = {0xE7, 0x87}; /* out 87h, eax: ports 88h-8Ah denied */
    struct machine *m = tm_ring3(tail, sizeof(tail));
    ring3_expect_gp(m, 0, 3);
    tm_free(m);
}

static void test_ring3_io_beyond_limit(void **state)
{
    (void)state;
    static const uint8_t tail[] = {0x66, 0xED}; /* in ax, dx (1F0h): map byte past the limit */
    struct machine *m = tm_ring3(tail, sizeof(tail));
    ring3_expect_gp(m, 0, 3);
    tm_free(m);
}

static void test_ring3_cli(void **state)
{
    (void)state;
    static const uint8_t tail[] = {0xFA}; /* cli: CPL 3 > IOPL 0 */
    struct machine *m = tm_ring3(tail, sizeof(tail));
    ring3_expect_gp(m, 0, 3);
    tm_free(m);
}

/* INS checks the port before touching the device: a denied REP INSB
 * reads nothing and changes no register. */
static void test_ring3_ins_denied(void **state)
{
    (void)state;
    static const uint8_t tail[] = {0xBF, 0x00, 0x40, 0x00, 0x00, /* mov edi, 4000h */
                                   0xB9, 0x02, 0x00, 0x00, 0x00, /* mov ecx, 2 */
                                   0x66, 0xBA, 0x82, 0x00,       /* mov dx, 82h */
                                   0xF3, 0x6C};                  /* rep insb */
    struct machine *m = tm_ring3(tail, sizeof(tail));
    ring3_expect_gp(m, 14, 3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 2);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDI), 0x4000);
    tm_free(m);
}

/* A fault in iteration k of a REP leaves exactly k-1 iterations done and
 * EIP on the instruction: a32 rep stosb from ES:FFFEh runs past the
 * 64 KiB limit on its third iteration (#GP(0)). */
static void test_rm_rep_fault_midway(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_rep_fault_code, sizeof(rm_rep_fault_code));
    tm_put32(m, 0xFFFC, 0);
    tm_put32(m, 0x10000, 0x5A5A5A5A);
    tm_run_to_handler(m, HANDLER + 1);
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_true(e.valid);
    assert_int_equal(e.vector, 13);
    assert_int_equal(e.eip, CODE_BASE + 14);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EDI), 0x10000);
    assert_int_equal(tm_get16(m, 0xFFFE), 0xEEEE);
    assert_int_equal(tm_get32(m, 0x10000), 0x5A5A5A5A);
    tm_free(m);
}

/* PUSHAD on an expand-down stack (valid offsets 7000h and up) with
 * ESP = 7014h: the low slots fall below the segment, so #SS(0) is raised
 * before any slot is written (the 16-byte exception frame fits above
 * 7003h; the ESP slot at 7000h keeps its old contents). */
static void test_pm_pushad_precise(void **state)
{
    (void)state;
    struct machine *m = tm_pm32(pm_pushad_fault_code, sizeof(pm_pushad_fault_code));
    struct cpu_segment ss = {0x10, 0x97 | CPU_SEG_ATTR_DB, 0, 0x6FFF};
    cpu_set_segment(m->cpu, CPU_SS, &ss);
    tm_put32(m, 0x7000, 0x5A5A5A5A);
    tm_run_to_handler(m, HANDLER + 1);
    struct cpu_exception_info e;
    cpu_last_exception(m->cpu, &e);
    assert_true(e.valid);
    assert_int_equal(e.vector, 12);
    assert_int_equal(e.error, 0);
    assert_int_equal(e.eip, CODE_BASE + 10);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESP), 0x7014 - 16);
    assert_int_equal(tm_get32(m, 0x7004), 0);              /* error code */
    assert_int_equal(tm_get32(m, 0x7008), CODE_BASE + 10); /* EIP */
    assert_int_equal(tm_get32(m, 0x7000), 0x5A5A5A5A);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_EAX), 0x11111111);
    tm_free(m);
}

/* A device that asks the CPU to stop (as after raising an interrupt)
 * ends a REP OUTSB between iterations; the instruction then resumes. */
static void test_rm_rep_outs_stop_request(void **state)
{
    (void)state;
    struct machine *m = tm_real(rm_outs_stop_code, sizeof(rm_outs_stop_code));
    mmu_write_block(m->mmu, 0x3000, "abcde", 5);
    m->stop_after_outs = 2;
    assert_int_equal(cpu_run(m->cpu, 1000000), CPU_STOP_REQUEST);
    assert_int_equal(m->nlog, 2);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 3);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ESI), 0x3002);
    assert_int_equal(cpu_get_eip(m->cpu), CODE_BASE + 9); /* the REP OUTSB */
    m->stop_after_outs = 0;
    tm_run_to_end(m, sizeof(rm_outs_stop_code));
    assert_int_equal(m->nlog, 5);
    for (unsigned k = 0; k < 5; k++)
        expect_io(m, k, true, 0xE9, (uint32_t)"abcde"[k], 1);
    assert_int_equal(cpu_get_reg(m->cpu, CPU_ECX), 0);
    tm_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rm_stack),
        cmocka_unit_test(test_rm_enter_leave),
        cmocka_unit_test(test_rm_far_call_ret),
        cmocka_unit_test(test_rm_string),
        cmocka_unit_test(test_rm_rep_budget),
        cmocka_unit_test(test_rm_rep_outs_stop_request),
        cmocka_unit_test(test_rm_loop),
        cmocka_unit_test(test_rm_bound),
        cmocka_unit_test(test_rm_io),
        cmocka_unit_test(test_rm_precise_push),
        cmocka_unit_test(test_rm_flags),
        cmocka_unit_test(test_rm_move),
        cmocka_unit_test(test_pm32),
        cmocka_unit_test(test_rm_rep_fault_midway),
        cmocka_unit_test(test_pm_pushad_precise),
        cmocka_unit_test(test_ring3_io_allowed_then_hlt),
        cmocka_unit_test(test_ring3_io_denied_bit),
        cmocka_unit_test(test_ring3_io_denied_next_byte),
        cmocka_unit_test(test_ring3_io_beyond_limit),
        cmocka_unit_test(test_ring3_cli),
        cmocka_unit_test(test_ring3_ins_denied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
