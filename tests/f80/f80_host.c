/*
 * f80_host.c - the host side of the f80 tests' operations: the host's own
 * x87 through inline asm (test-only; x86 hosts only, never in emulator
 * code).
 */
#include <string.h>

#include "tests/f80/f80_ops.h"

#if F80T_HAVE_X87
/* Test-only: the host x87 runs the same operation.  Every block starts
 * with FNINIT + FLDCW and reads the status word with FNSTSW before FNCLEX,
 * so unmasked exceptions never reach a waiting instruction. */
#define X87_2(insn)                                                                       \
    __asm__ __volatile__("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t" insn        \
                         "\n\tfnstsw %[sw]\n\tfnclex\n\tfstpt %[r]\n\tfninit"              \
                         : [sw] "=m"(sw), [r] "=m"(*(uint8_t(*)[10])o->mem)              \
                         : [cw] "m"(cw), [a] "m"(*(const uint8_t(*)[10])in),             \
                           [b] "m"(*(const uint8_t(*)[10])(in + 10)))
#define X87_ST(ld, insn, n)                                                               \
    __asm__ __volatile__("fninit\n\tfldcw %[cw]\n\t" ld " %[a]\n\t" insn " %[r]\n\t"       \
                         "fnstsw %[sw]\n\tfnclex\n\tfninit"                                \
                         : [sw] "=m"(sw), [r] "=m"(*(uint8_t(*)[n])o->mem)               \
                         : [cw] "m"(cw), [a] "m"(*(const uint8_t(*)[10])in))
#define X87_LD(insn)                                                                      \
    __asm__ __volatile__("fninit\n\tfldcw %[cw]\n\t" insn "\n\tfnstsw %[sw]\n\tfnclex\n\t"  \
                         "fstpt %[r]\n\tfninit"                                            \
                         : [sw] "=m"(sw), [r] "=m"(*(uint8_t(*)[10])o->mem)              \
                         : [cw] "m"(cw), [a] "m"(*(const uint8_t(*)[10])in))

void f80t_host_run(enum f80t_op op, uint16_t cw, const uint8_t *in, struct f80t_out *o)
{
    uint16_t sw = 0;
    memset(o, 0, sizeof *o);
    switch (op) {
    case OP_ADD: X87_2("fadd %%st(1), %%st"); break;
    case OP_SUB: X87_2("fsub %%st(1), %%st"); break;
    case OP_MUL: X87_2("fmul %%st(1), %%st"); break;
    case OP_DIV: X87_2("fdiv %%st(1), %%st"); break;
    case OP_SQRT: X87_2("fsqrt"); break;
    case OP_RNDINT: X87_2("frndint"); break;
    case OP_SCALE: X87_2("fscale"); break;
    case OP_PREM: X87_2("fprem"); break;
    case OP_PREM1: X87_2("fprem1"); break;
    case OP_XTRACT:
        __asm__ __volatile__("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\tfxtract\n\tfnstsw %[sw]\n\t"
                             "fnclex\n\tfstpt %[r]\n\tfstpt %[r2]\n\tfninit"
                             : [sw] "=m"(sw), [r] "=m"(*(uint8_t(*)[10])o->mem),
                               [r2] "=m"(*(uint8_t(*)[10])(o->mem + 10))
                             : [cw] "m"(cw), [a] "m"(*(const uint8_t(*)[10])in));
        break;
    case OP_COM:
        __asm__ __volatile__("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\tfcom %%st(1)\n\t"
                             "fnstsw %[sw]\n\tfninit"
                             : [sw] "=m"(sw)
                             : [cw] "m"(cw), [a] "m"(*(const uint8_t(*)[10])in),
                               [b] "m"(*(const uint8_t(*)[10])(in + 10)));
        break;
    case OP_UCOM:
        __asm__ __volatile__("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\tfucom %%st(1)\n\t"
                             "fnstsw %[sw]\n\tfninit"
                             : [sw] "=m"(sw)
                             : [cw] "m"(cw), [a] "m"(*(const uint8_t(*)[10])in),
                               [b] "m"(*(const uint8_t(*)[10])(in + 10)));
        break;
    case OP_IST16: X87_ST("fldt", "fistps", 2); break;
    case OP_IST32: X87_ST("fldt", "fistpl", 4); break;
    case OP_IST64: X87_ST("fldt", "fistpll", 8); break;
    case OP_ST32: X87_ST("fldt", "fstps", 4); break;
    case OP_ST64: X87_ST("fldt", "fstpl", 8); break;
    case OP_BSTP: X87_ST("fldt", "fbstp", 10); break;
    case OP_LD32: X87_LD("flds %[a]"); break;
    case OP_LD64: X87_LD("fldl %[a]"); break;
    case OP_BLD: X87_LD("fbld %[a]"); break;
    case OP_CONST:
        switch (in[0] % 7) {
        case 0: X87_LD("fld1"); break;
        case 1: X87_LD("fldl2t"); break;
        case 2: X87_LD("fldl2e"); break;
        case 3: X87_LD("fldpi"); break;
        case 4: X87_LD("fldlg2"); break;
        case 5: X87_LD("fldln2"); break;
        default: X87_LD("fldz"); break;
        }
        break;
    default: break;
    }
    /* As in soft_run: a register result left alone, or a store not done,
     * is not compared. */
    if (op < OP_IST16 || op == OP_LD32 || op == OP_LD64 || op == OP_BLD || op == OP_CONST) {
        if (sw & ~cw & F80_PRE_MASK)
            memset(o->mem, 0, sizeof o->mem);
    }
    if (((op >= OP_IST16 && op <= OP_ST64) || op == OP_BSTP) && (sw & ~cw & 0x1F))
        memset(o->mem, 0, sizeof o->mem);
    if (op == OP_COM || op == OP_UCOM)
        memset(o->mem, 0, sizeof o->mem);
    o->sw = sw & SW_CMP_MASK;
}
#endif
