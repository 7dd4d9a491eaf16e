/*
 * f80trans_host.c - the host's own x87 as the oracle of the
 * transcendental differential test.  Test-only: this is the one place
 * with inline asm (x86 hosts only; elsewhere f80trans_host_available()
 * returns false and the test reports "skipped").
 *
 * Each call starts from FNINIT, loads the control word (all exceptions
 * masked, 64-bit precision, the requested rounding), pushes the
 * operands with FLD m80 (which never signals, so SNaNs and unsupported
 * encodings reach the instruction), runs it and dumps the whole state
 * with FNSAVE: the status word and the registers in ST order.
 */
#include "f80trans_host.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)

bool f80trans_host_available(void) { return true; }

/* FNSAVE image, 32-bit layout (also used in 64-bit mode): FSW at byte 4,
 * ST(0)..ST(7) from byte 28, 10 bytes each. */
struct host_save {
    uint8_t b[108];
};

#define HOST_OP1(insn)                                                                         \
    __asm__ volatile("fninit\n\tfldcw %1\n\tfldt %2\n\t" insn "\n\tfnsave %0"                  \
                     : "=m"(sv)                                                                \
                     : "m"(cw), "m"(*(const struct host_x80 *)x)                               \
                     : "memory")
#define HOST_OP2(insn)                                                                         \
    __asm__ volatile("fninit\n\tfldcw %1\n\tfldt %2\n\tfldt %3\n\t" insn "\n\tfnsave %0"       \
                     : "=m"(sv)                                                                \
                     : "m"(cw), "m"(*(const struct host_x80 *)y), "m"(*(const struct host_x80 *)x) \
                     : "memory")

struct host_x80 {
    uint8_t b[10];
};

void f80trans_host_run(enum f80trans_op op, unsigned rc, const uint8_t x[10], const uint8_t y[10],
                       struct f80trans_host_result *out)
{
    struct host_save sv;
    uint16_t cw = (uint16_t)(0x037F | (rc & 3) << 10);
    switch (op) {
    case F80TRANS_SIN: HOST_OP1("fsin"); break;
    case F80TRANS_COS: HOST_OP1("fcos"); break;
    case F80TRANS_SINCOS: HOST_OP1("fsincos"); break;
    case F80TRANS_TAN: HOST_OP1("fptan"); break;
    case F80TRANS_2XM1: HOST_OP1("f2xm1"); break;
    case F80TRANS_ATAN2: HOST_OP2("fpatan"); break;
    case F80TRANS_YL2X: HOST_OP2("fyl2x"); break;
    case F80TRANS_YL2XP1: HOST_OP2("fyl2xp1"); break;
    }
    out->sw = (uint16_t)(sv.b[4] | sv.b[5] << 8);
    memcpy(out->st0, &sv.b[28], 10);
    memcpy(out->st1, &sv.b[38], 10);
}

#else

bool f80trans_host_available(void) { return false; }

void f80trans_host_run(enum f80trans_op op, unsigned rc, const uint8_t x[10], const uint8_t y[10],
                       struct f80trans_host_result *out)
{
    (void)op;
    (void)rc;
    (void)x;
    (void)y;
    memset(out, 0, sizeof *out);
}

#endif
