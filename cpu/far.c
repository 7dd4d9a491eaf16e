/*
 * far.c - far JMP, CALL and RET (SDM vol. 2, JMP/CALL/RET; vol. 3, 5.8):
 * real and virtual-8086 mode, protected-mode code segments, call gates
 * (with the stack switch of a call to a more privileged level), returns
 * to the same and to an outer level, and the routing of TSS descriptors
 * and task gates to the task switch.
 *
 * Every check that can fault (descriptors, limits, both stacks, page
 * translations of the new stack) is done before any register or
 * segment changes, so a faulting transfer restarts cleanly.
 */
#include "cpu/ops_internal.h"
#include "cpu/engine_internal.h"

/* A protected-mode transfer in progress: the target CS descriptor and its
 * uncommitted cache. */
struct far_code {
    uint16_t sel;
    struct seg_desc d;
    struct cpu_seg cs;
};

/* Fetch the descriptor a far JMP/CALL/RET names: a null selector is
 * #GP(0), one beyond its table #GP(selector). */
static void far_fetch(struct cpu *c, uint16_t sel, struct seg_desc *d)
{
    if ((sel & 0xFFFCu) == 0)
        cpu_exception(c, CPU_EXC_GP, 0);
    if (!seg_fetch_desc(c, sel, d))
        cpu_exception(c, CPU_EXC_GP, sel & 0xFFFCu);
}

/* The cache CS would get (RPL = rpl) and the check of the new EIP
 * against its limit: #GP(0) (SDM vol. 2, JMP/CALL/RET: "IF tempEIP not
 * in code segment limit"). */
static void far_code_cache(struct cpu *c, struct far_code *t, uint16_t sel, unsigned rpl,
                           uint32_t eip)
{
    t->sel = sel;
    t->cs = c->seg[CPU_CS];
    seg_from_desc(&t->cs, (uint16_t)((sel & 0xFFFCu) | rpl), &t->d);
    if (eip > t->cs.limit)
        cpu_exception(c, CPU_EXC_GP, 0);
}

/* Set the accessed bits of descriptors about to be loaded, before any
 * register changes (the write may page-fault), and note it in the local
 * copies so the commit functions do not write them again. */
static void far_touch(struct cpu *c, struct seg_desc *d)
{
    seg_set_accessed(c, d);
    d->hi |= 0x100u;
}

/* --- the new stack of a privilege change ------------------------------ */

/* Pushes onto a stack that is not yet SS: the offsets are checked
 * against the uncommitted cache `ss` and translated as supervisor
 * writes (the new CPL is 0-2), all before anything is written. */
struct far_stack {
    const struct cpu_seg *ss;
    uint32_t esp;  /* ESP after the pushes so far */
    uint32_t mask; /* 0xFFFF or 0xFFFFFFFF by ss->B */
};

static void far_stack_init(struct far_stack *st, const struct cpu_seg *ss, uint32_t esp)
{
    st->ss = ss;
    st->esp = esp;
    st->mask = (ss->attr & CPU_SEG_ATTR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
}

/* Limit check of `count` pushes of `size` bytes below st->esp: #SS(err)
 * (SDM vol. 2, CALL: "IF stack does not have room for parameters plus 16
 * bytes THEN #SS(NewSS)"). */
static void far_stack_room(struct cpu *c, const struct far_stack *st, unsigned count,
                           unsigned size, uint32_t err)
{
    for (unsigned k = 1; k <= count; k++) {
        uint32_t off = (st->esp - k * size) & st->mask;
        if (!cpu_seg_ok(st->ss, off, size, CPU_SEGA_WRITE))
            cpu_exception(c, CPU_EXC_SS, err);
    }
}

/* Translate every slot of the pushes for writing (#PF before anything
 * changes). */
static void far_stack_translate(struct cpu *c, const struct far_stack *st, unsigned count,
                                unsigned size)
{
    for (unsigned k = 1; k <= count; k++) {
        uint32_t lin = st->ss->base + ((st->esp - k * size) & st->mask);
        for (unsigned b = 0; b < size; b += size - 1) {
            uint32_t phys;
            struct mmu_fault f;
            if (!mmu_translate(c->mmu, lin + b, MMU_WRITE, false, &phys, &f))
                cpu_page_fault(c, &f);
        }
    }
}

/* Push onto the new stack (already checked and translated: cannot fault). */
static void far_stack_push(struct cpu *c, struct far_stack *st, uint32_t v, unsigned size)
{
    st->esp = (st->esp & ~st->mask) | ((st->esp - size) & st->mask);
    cpu_write_sys(c, st->ss->base + (st->esp & st->mask), v, size);
}

/* --- protected-mode far JMP and CALL ------------------------------------ */

/* Push the return address CS:EIP on the current stack and load the
 * checked target (same privilege level).  The stack room was checked. */
static void far_commit_same(struct cpu *c, struct far_code *t, uint32_t eip, bool call,
                            unsigned size)
{
    far_touch(c, &t->d);
    if (call) {
        uint32_t sp = c->gpr[CPU_ESP];
        if (size == 4) {
            /* The 32-bit push of CS writes it zero-extended. */
            cpu_stack_write32(c, sp - 4, c->seg[CPU_CS].sel);
            cpu_stack_write32(c, sp - 8, c->eip);
        } else {
            cpu_stack_write16(c, sp - 2, c->seg[CPU_CS].sel);
            cpu_stack_write16(c, sp - 4, (uint16_t)c->eip);
        }
        cpu_set_sp(c, sp - 2 * size);
    }
    priv_commit_cs(c, t->sel, &t->d, c->cpl, eip);
}

/* CALL through a call gate to a more privileged non-conforming segment
 * (SDM vol. 2, CALL, "MORE-PRIVILEGE"; vol. 3, 5.8.5): the inner stack
 * from the TSS receives the caller's SS:ESP, `count` parameters copied
 * from the caller's stack and the return CS:EIP, each of the gate's size. */
static void far_call_inner(struct cpu *c, struct far_code *t, uint32_t eip, unsigned size,
                           unsigned count)
{
    unsigned dpl = SEG_A_DPL(seg_desc_attr(&t->d));
    uint16_t nss;
    uint32_t nesp;
    priv_tss_stack(c, dpl, &nss, &nesp, 0);
    struct seg_desc ssd;
    struct cpu_seg ssc;
    priv_check_stack_seg(c, nss, dpl, 0, &ssd, &ssc);
    struct far_stack st;
    far_stack_init(&st, &ssc, nesp);
    far_stack_room(c, &st, 4 + count, size, nss & 0xFFFCu);
    far_code_cache(c, t, t->sel, dpl, eip);

    /* The parameters, read from the caller's stack at its privilege
     * (#SS(0) or #PF when they are not there). */
    uint32_t param[31];
    uint32_t sp = c->gpr[CPU_ESP];
    for (unsigned k = 0; k < count; k++)
        param[k] = size == 4 ? cpu_stack_read32(c, sp + 4 * k)
                             : cpu_stack_read16(c, sp + 2 * k);
    far_stack_translate(c, &st, 4 + count, size);
    far_touch(c, &ssd);
    far_touch(c, &t->d);

    /* Nothing can fault from here on. */
    uint32_t ret_mask = size == 4 ? 0xFFFFFFFFu : 0xFFFFu;
    far_stack_push(c, &st, c->seg[CPU_SS].sel, size);
    far_stack_push(c, &st, c->gpr[CPU_ESP] & ret_mask, size);
    for (unsigned k = count; k > 0; k--)
        far_stack_push(c, &st, param[k - 1], size);
    far_stack_push(c, &st, c->seg[CPU_CS].sel, size);
    far_stack_push(c, &st, c->eip & ret_mask, size);
    priv_commit_seg(c, CPU_SS, &ssd, &ssc);
    c->gpr[CPU_ESP] = st.esp;
    priv_commit_cs(c, t->sel, &t->d, dpl, eip);
}

/* JMP or CALL through a call gate (SDM vol. 2, JMP/CALL, "CALL-GATE"). */
static void far_via_gate(struct cpu *c, uint16_t gsel, const struct seg_desc *g, bool call)
{
    uint16_t ga = seg_desc_attr(g);
    unsigned gdpl = SEG_A_DPL(ga);
    if (gdpl < c->cpl || gdpl < (gsel & 3u))
        cpu_exception(c, CPU_EXC_GP, gsel & 0xFFFCu);
    if (!(ga & SEG_A_P))
        cpu_exception(c, CPU_EXC_NP, gsel & 0xFFFCu);
    /* A 16-bit gate holds a 16-bit offset and makes 16-bit pushes, a
     * 32-bit gate 32-bit ones, whatever the target segment's size. */
    bool g32 = (ga & 0x0Fu) == SEG_T_CALLGATE32;
    unsigned size = g32 ? 4u : 2u;
    uint32_t eip = (g->lo & 0xFFFFu) | (g32 ? (g->hi & 0xFFFF0000u) : 0);
    unsigned count = g->hi & 0x1Fu;

    struct far_code t;
    uint16_t sel = (uint16_t)(g->lo >> 16);
    uint32_t err = sel & 0xFFFCu;
    far_fetch(c, sel, &t.d);
    t.sel = sel;
    uint16_t a = seg_desc_attr(&t.d);
    unsigned dpl = SEG_A_DPL(a);
    bool conforming = a & SEG_A_EC;
    if (!(a & SEG_A_S) || !(a & SEG_A_CODE))
        cpu_exception(c, CPU_EXC_GP, err);
    /* CALL may go inward (DPL <= CPL); JMP never changes privilege, so
     * a non-conforming target needs DPL = CPL. */
    if (dpl > c->cpl || (!call && !conforming && dpl != c->cpl))
        cpu_exception(c, CPU_EXC_GP, err);
    if (!(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_NP, err);
    if (call && !conforming && dpl < c->cpl) {
        far_call_inner(c, &t, eip, size, count);
        return;
    }
    /* Same privilege: the CS RPL becomes CPL. */
    if (call)
        ops_stack_check(c, c->gpr[CPU_ESP], 2 * size);
    far_code_cache(c, &t, sel, c->cpl, eip);
    far_commit_same(c, &t, eip, call, size);
}

/* Far JMP/CALL in protected mode (SDM vol. 2, JMP/CALL, "IF far call and
 * (PE = 1 and VM = 0)").  `eip` is already truncated to the operand size
 * for a direct code-segment target; o32 sizes the pushes of a CALL. */
static void far_protected(struct cpu *c, uint16_t sel, uint32_t eip, bool o32, bool call)
{
    struct far_code t;
    uint32_t err = sel & 0xFFFCu;
    far_fetch(c, sel, &t.d);
    uint16_t a = seg_desc_attr(&t.d);
    if (a & SEG_A_S) {
        if (!(a & SEG_A_CODE))
            cpu_exception(c, CPU_EXC_GP, err);
        unsigned dpl = SEG_A_DPL(a);
        if ((a & SEG_A_EC) ? dpl > c->cpl : ((sel & 3u) > c->cpl || dpl != c->cpl))
            cpu_exception(c, CPU_EXC_GP, err);
        if (!(a & SEG_A_P))
            cpu_exception(c, CPU_EXC_NP, err);
        unsigned size = o32 ? 4u : 2u;
        if (call)
            ops_stack_check(c, c->gpr[CPU_ESP], 2 * size);
        far_code_cache(c, &t, sel, c->cpl, eip);
        far_commit_same(c, &t, eip, call, size);
        return;
    }
    switch (a & 0x0Fu) {
    case SEG_T_CALLGATE16:
    case SEG_T_CALLGATE32:
        far_via_gate(c, sel, &t.d, call);
        return;
    case SEG_T_TSS16_AVAIL:
    case SEG_T_TSS32_AVAIL:
    case SEG_T_TASKGATE:
        task_far_transfer(c, sel, &t.d, call);
        return;
    default:
        cpu_exception(c, CPU_EXC_GP, err);
    }
}

static void far_jmp(struct cpu *c, uint16_t sel, uint32_t off, bool o32)
{
    if (cpu_protected(c) && !cpu_v86(c))
        far_protected(c, sel, off, o32, false);
    else
        cpu_load_cs(c, sel, off);
}

/* Real and virtual-8086 mode: the stack room is checked (#SS(0)) before
 * the target (#GP(0) beyond the CS limit), both before any write
 * (SDM vol. 2, CALL, "IF far call and (PE = 0 or VM = 1)"). */
static void far_call(struct cpu *c, uint16_t sel, uint32_t off, bool o32)
{
    if (cpu_protected(c) && !cpu_v86(c)) {
        far_protected(c, sel, off, o32, true);
        return;
    }
    unsigned size = o32 ? 4u : 2u;
    uint32_t sp = c->gpr[CPU_ESP];
    uint16_t old_cs = c->seg[CPU_CS].sel;
    uint32_t ret = c->eip;
    ops_stack_check(c, sp, 2 * size);
    cpu_load_cs(c, sel, off);
    if (o32) {
        cpu_stack_write32(c, sp - 4, old_cs);
        cpu_stack_write32(c, sp - 8, ret);
    } else {
        cpu_stack_write16(c, sp - 2, old_cs);
        cpu_stack_write16(c, sp - 4, (uint16_t)ret);
    }
    cpu_set_sp(c, sp - 2 * size);
}

/* Read a m16:16 or m16:32 far pointer; the selector follows the offset and
 * its address wraps at the address size. */
static void far_read_ptr(struct cpu *c, const struct cpu_insn *i, bool o32, uint16_t *sel,
                         uint32_t *off)
{
    uint32_t ea = cpu_ea(c, &i->d);
    uint32_t amask = ops_amask(&i->d);
    if (o32) {
        *off = cpu_read32(c, i->d.seg, ea);
        *sel = cpu_read16(c, i->d.seg, (ea + 4) & amask);
    } else {
        *off = cpu_read16(c, i->d.seg, ea);
        *sel = cpu_read16(c, i->d.seg, (ea + 2) & amask);
    }
}

void cpu_h_JMPF_Ap16(struct cpu *c, const struct cpu_insn *i)
{
    far_jmp(c, i->d.imm2, i->d.imm & 0xFFFFu, false);
}

void cpu_h_JMPF_Ap32(struct cpu *c, const struct cpu_insn *i)
{
    far_jmp(c, i->d.imm2, i->d.imm, true);
}

void cpu_h_JMPF_Mp16(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t sel;
    uint32_t off;
    far_read_ptr(c, i, false, &sel, &off);
    far_jmp(c, sel, off, false);
}

void cpu_h_JMPF_Mp32(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t sel;
    uint32_t off;
    far_read_ptr(c, i, true, &sel, &off);
    far_jmp(c, sel, off, true);
}

void cpu_h_CALLF_Ap16(struct cpu *c, const struct cpu_insn *i)
{
    far_call(c, i->d.imm2, i->d.imm & 0xFFFFu, false);
}

void cpu_h_CALLF_Ap32(struct cpu *c, const struct cpu_insn *i)
{
    far_call(c, i->d.imm2, i->d.imm, true);
}

void cpu_h_CALLF_Mp16(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t sel;
    uint32_t off;
    far_read_ptr(c, i, false, &sel, &off);
    far_call(c, sel, off, false);
}

void cpu_h_CALLF_Mp32(struct cpu *c, const struct cpu_insn *i)
{
    uint16_t sel;
    uint32_t off;
    far_read_ptr(c, i, true, &sel, &off);
    far_call(c, sel, off, true);
}

/* --- RET far ---------------------------------------------------------- */

/* Protected-mode far return (SDM vol. 2, RET, "IF (PE = 1 and VM = 0)
 * and far return"). */
static void far_ret_protected(struct cpu *c, bool o32, uint32_t imm)
{
    unsigned size = o32 ? 4u : 2u;
    uint32_t sp = c->gpr[CPU_ESP];
    uint32_t eip;
    uint16_t sel;
    /* The return address must be within the stack limits: #SS(0). */
    if (o32) {
        eip = cpu_stack_read32(c, sp);
        sel = (uint16_t)cpu_stack_read32(c, sp + 4);
    } else {
        eip = cpu_stack_read16(c, sp);
        sel = cpu_stack_read16(c, sp + 2);
    }
    struct far_code t;
    unsigned rpl = sel & 3u;
    priv_check_return_cs(c, sel, &t.d);
    t.sel = sel;

    if (rpl == c->cpl) {
        far_code_cache(c, &t, sel, rpl, eip);
        uint32_t new_esp = ops_sp_after(c, 2 * size + imm);
        far_touch(c, &t.d);
        c->gpr[CPU_ESP] = new_esp;
        priv_commit_cs(c, sel, &t.d, rpl, eip);
        return;
    }

    /* RETURN-TO-OUTER-PRIVILEGE-LEVEL: the caller's SS:ESP lies above
     * the parameters the immediate releases (#SS(0) when outside the
     * stack limits). */
    uint32_t at = sp + 2 * size + imm;
    uint32_t new_esp;
    uint16_t nss;
    if (o32) {
        new_esp = cpu_stack_read32(c, at);
        nss = (uint16_t)cpu_stack_read32(c, at + 4);
    } else {
        new_esp = cpu_stack_read16(c, at);
        nss = cpu_stack_read16(c, at + 2);
    }
    struct seg_desc ssd;
    struct cpu_seg ssc;
    priv_check_return_ss(c, nss, rpl, &ssd, &ssc);
    far_code_cache(c, &t, sel, rpl, eip);
    far_touch(c, &ssd);
    far_touch(c, &t.d);

    /* "ESP <- tempESP; SS <- tempSS", then the immediate also releases
     * the caller's parameters, under the new stack's address size. */
    uint32_t m = (ssc.attr & CPU_SEG_ATTR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
    priv_commit_cs(c, sel, &t.d, rpl, eip);
    priv_commit_seg(c, CPU_SS, &ssd, &ssc);
    c->gpr[CPU_ESP] = (new_esp & ~m) | ((new_esp + imm) & m);
    priv_null_outer_segments(c);
}

static void far_ret(struct cpu *c, bool o32, uint32_t imm)
{
    if (cpu_protected(c) && !cpu_v86(c)) {
        far_ret_protected(c, o32, imm);
        return;
    }
    uint32_t sp = c->gpr[CPU_ESP];
    uint32_t off;
    uint16_t sel;
    if (o32) {
        off = cpu_stack_read32(c, sp);
        sel = (uint16_t)cpu_stack_read32(c, sp + 4);
    } else {
        off = cpu_stack_read16(c, sp);
        sel = cpu_stack_read16(c, sp + 2);
    }
    cpu_load_cs(c, sel, off);
    cpu_set_sp(c, sp + (o32 ? 8u : 4u) + imm);
}

void cpu_h_RETF_O16(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    far_ret(c, false, 0);
}

void cpu_h_RETF_O32(struct cpu *c, const struct cpu_insn *i)
{
    (void)i;
    far_ret(c, true, 0);
}

void cpu_h_RETF_Iw_O16(struct cpu *c, const struct cpu_insn *i)
{
    far_ret(c, false, i->d.imm & 0xFFFFu);
}

void cpu_h_RETF_Iw_O32(struct cpu *c, const struct cpu_insn *i)
{
    far_ret(c, true, i->d.imm & 0xFFFFu);
}
