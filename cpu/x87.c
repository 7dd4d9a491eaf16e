/*
 * x87.c - the x87 FPU's register stack, tag word, status word and
 * exception bookkeeping, and the instruction/data pointers (SDM vol. 1,
 * 8.1 and 8.5-8.7).  The arithmetic itself is cpu/fpu/f80.h.
 */
#include "cpu/x87_internal.h"

/* ------------------------------------------------------------------ */
/* Stack and tags                                                      */

unsigned x87_tag_of(f80 v)
{
    unsigned e = f80_exp(v);
    if (e == 0)
        return v.sig == 0 ? X87_TAG_ZERO : X87_TAG_SPECIAL; /* denormals are special */
    if (e == F80_EXP_MAX || !(v.sig >> 63))
        return X87_TAG_SPECIAL; /* NaN, infinity, unsupported encodings */
    return X87_TAG_VALID;
}

static void x87_set_tag_phys(struct cpu *c, unsigned p, unsigned tag)
{
    c->fpu.tw = (uint16_t)((c->fpu.tw & ~(3u << (2 * p))) | (tag << (2 * p)));
}

void x87_set_st(struct cpu *c, unsigned st, f80 v)
{
    unsigned p = x87_phys(c, st);
    c->fpu.r[p] = v;
    x87_set_tag_phys(c, p, x87_tag_of(v));
}

void x87_free_phys(struct cpu *c, unsigned p) { x87_set_tag_phys(c, p, X87_TAG_EMPTY); }

void x87_set_top(struct cpu *c, unsigned top)
{
    c->fpu.sw = (uint16_t)((c->fpu.sw & ~X87_SW_TOP) | ((top & 7u) << 11));
}

void x87_push(struct cpu *c) { x87_set_top(c, x87_top(c) - 1); }

void x87_pop(struct cpu *c)
{
    x87_free_phys(c, x87_top(c));
    x87_set_top(c, x87_top(c) + 1);
}

/* ------------------------------------------------------------------ */
/* Status word and exceptions                                          */

void x87_env(const struct cpu *c, struct f80_env *e)
{
    e->rc = (uint8_t)((c->fpu.cw >> 10) & 3u);
    e->pc = (uint8_t)((c->fpu.cw >> 8) & 3u);
    e->masks = (uint8_t)(c->fpu.cw & X87_EXC_MASK);
    e->flags = 0;
    e->c1 = false;
}

/* FERR# follows the pending exception: asserted by the waiting
 * instruction that finds one (x87_check_pending), deasserted as soon as
 * nothing is pending any more (FNINIT, FNCLEX, FLDCW/FLDENV/FRSTOR that
 * mask or clear the flags). */
static void x87_set_ferr(struct cpu *c, bool asserted)
{
    if (c->fpu.ferr == asserted)
        return;
    c->fpu.ferr = asserted;
    if (c->fpu.ferr_fn != NULL)
        c->fpu.ferr_fn(c->fpu.ferr_opaque, asserted);
}

void x87_update_es(struct cpu *c)
{
    if (c->fpu.sw & ~c->fpu.cw & X87_EXC_MASK) {
        c->fpu.sw |= X87_SW_ES | X87_SW_B;
    } else {
        c->fpu.sw &= (uint16_t)~(X87_SW_ES | X87_SW_B);
        x87_set_ferr(c, false);
    }
}

/* The flags an operation's exceptions leave in SW: invalid operation is
 * detected first and reported alone; an unmasked denormal or zero-divide
 * exception stops the instruction before overflow, underflow or
 * precision are looked at (SDM vol. 1, 8.7: pre-computation exceptions). */
static unsigned x87_reported(const struct cpu *c, const struct f80_env *e)
{
    unsigned f = e->flags & X87_EXC_MASK;
    unsigned unmasked = f & ~c->fpu.cw & X87_EXC_MASK;
    if (f & F80_IE)
        return F80_IE;
    if (unmasked & F80_DE)
        return F80_DE;
    if (f & F80_ZE)
        return f & (F80_ZE | F80_DE);
    return f;
}

bool x87_store_ok(const struct cpu *c, const struct f80_env *e, bool mem)
{
    unsigned unmasked = x87_reported(c, e) & ~c->fpu.cw & X87_EXC_MASK;
    unsigned abort = F80_PRE_MASK | (mem ? (F80_OE | F80_UE) : 0u);
    return (unmasked & abort) == 0;
}

bool x87_exceptions(struct cpu *c, const struct f80_env *e, bool mem)
{
    bool ok = x87_store_ok(c, e, mem);
    unsigned f = x87_reported(c, e);
    unsigned unmasked = f & ~c->fpu.cw & X87_EXC_MASK;
    c->fpu.sw |= (uint16_t)f;
    if ((f & F80_PE) && e->c1)
        c->fpu.sw |= X87_SW_C1;
    else
        c->fpu.sw &= (uint16_t)~X87_SW_C1;
    if (unmasked)
        c->fpu.sw |= X87_SW_ES | X87_SW_B;
    return ok;
}

static bool x87_stack_fault(struct cpu *c, bool overflow)
{
    c->fpu.sw |= X87_SW_IE | X87_SW_SF;
    if (overflow)
        c->fpu.sw |= X87_SW_C1;
    else
        c->fpu.sw &= (uint16_t)~X87_SW_C1;
    if (c->fpu.cw & X87_SW_IE)
        return true;
    c->fpu.sw |= X87_SW_ES | X87_SW_B;
    return false;
}

bool x87_underflow(struct cpu *c) { return x87_stack_fault(c, false); }
bool x87_overflow(struct cpu *c) { return x87_stack_fault(c, true); }

/* ------------------------------------------------------------------ */
/* Pointers and FOP                                                    */

/* One byte of the instruction being executed.  It was fetched a moment
 * ago, so the fetch TLB normally holds its page; otherwise the page is
 * walked again without faulting.  Returns -1 when it cannot be read (the
 * page tables changed under the running trace). */
void x87_update_pointers(struct cpu *c, const struct cpu_insn *i)
{
    /* FOP (SDM vol. 1, 8.1.9) comes from the code bytes, taken when the
     * instruction was decoded (cpu/exec.c): the decoded form keeps
     * neither the ModRM's mod field nor which escape an undocumented
     * alias came from. */
    c->fpu.fop = (uint16_t)(i->fop & 0x7FFu);
    c->fpu.fip = c->prev_eip;
    c->fpu.fcs = c->seg[CPU_CS].sel;
    /* Without a memory operand the data pointer is undefined (SDM vol.
     * 1, 8.1.8); the P6 leaves it as it was. */
    if (i->d.flags & DEC_F_MEM) {
        c->fpu.fdp = cpu_ea(c, &i->d);
        c->fpu.fds = c->seg[i->d.seg].sel;
    }
}

/* ------------------------------------------------------------------ */
/* The pending exception                                               */

/*
 * SDM vol. 1, 8.7 and vol. 3, 2.5 (CR0.NE).  With NE = 1 (native mode)
 * the waiting instruction raises #MF before it executes, with EIP
 * pointing at it.  With NE = 0 (MS-DOS compatible mode) the P6 asserts
 * FERR# at that point and freezes until an interrupt (the board routes
 * FERR# to IRQ 13 through the PIC) or IGNNE#.  Like Bochs, ringzero
 * asserts FERR# and lets the instruction go on (as with IGNNE# held):
 * the IRQ 13 handler then runs after this instruction instead of before
 * it, and a machine whose board does not wire FERR# cannot hang here.
 */
void x87_check_pending(struct cpu *c)
{
    if (!(c->fpu.sw & X87_SW_ES))
        return;
    if (c->cr[0] & CPU_CR0_NE)
        cpu_exception(c, CPU_EXC_MF, 0);
    x87_set_ferr(c, true);
}

void x87_init(struct cpu *c)
{
    c->fpu.cw = X87_CW_INIT;
    c->fpu.sw = 0;
    c->fpu.tw = 0xFFFF;
    c->fpu.fop = 0;
    c->fpu.fip = 0;
    c->fpu.fcs = 0;
    c->fpu.fdp = 0;
    c->fpu.fds = 0;
    x87_set_ferr(c, false);
}

void x87_reset(struct cpu *c)
{
    /* Table 9-1, P6 family, power-up and RESET: CW 0040h, SW 0, TW 5555h
     * (every register +0.0, tagged zero), pointers and FOP 0: FNINIT's
     * state but for CW, TW and the registers. */
    x87_init(c);
    for (unsigned k = 0; k < 8; k++)
        c->fpu.r[k] = (f80){0, 0};
    c->fpu.cw = X87_CW_RESET;
    c->fpu.tw = X87_TW_RESET;
}

void cpu_set_ferr_handler(struct cpu *c, void (*fn)(void *opaque, bool asserted), void *opaque)
{
    c->fpu.ferr_fn = fn;
    c->fpu.ferr_opaque = opaque;
}
