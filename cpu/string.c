/*
 * string.c - MOVS CMPS STOS LODS SCAS INS OUTS and their REP forms
 * (SDM vol. 2, the instructions and "REP/REPE/REPZ/REPNE/REPNZ").
 *
 * The address size picks SI/DI/CX or ESI/EDI/ECX; DF picks the direction.
 * The source is seg:(E)SI with an overridable segment (i->d.seg); the
 * destination is always ES:(E)DI.
 *
 * REP runs iterations in a loop.  Each iteration does its memory and port
 * accesses first and then commits (E)SI, (E)DI and (E)CX, so a fault in
 * iteration k leaves exactly k-1 iterations done and the instruction
 * restartable (SDM vol. 2, REP: "the instruction is restartable").  The
 * first iteration is counted by the run loop; every further one advances
 * c->icount, and when the budget or a stop request ends the slice with
 * iterations left, EIP is set back to the instruction so that it resumes
 * there (interrupts are taken between iterations, as on hardware).
 */
#include "cpu/ops_internal.h"

enum str_kind { STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS, STR_INS, STR_OUTS };

static inline uint32_t str_read(struct cpu *c, unsigned seg, uint32_t off, unsigned size)
{
    if (size == 1)
        return cpu_read8(c, seg, off);
    if (size == 2)
        return cpu_read16(c, seg, off);
    return cpu_read32(c, seg, off);
}

static inline void str_write(struct cpu *c, unsigned seg, uint32_t off, uint32_t v, unsigned size)
{
    if (size == 1)
        cpu_write8(c, seg, off, (uint8_t)v);
    else if (size == 2)
        cpu_write16(c, seg, off, (uint16_t)v);
    else
        cpu_write32(c, seg, off, v);
}

/* One iteration without touching the count.  `kind` and `size` are
 * constants at every call site, so each handler gets its own loop. */
static inline void str_once(struct cpu *c, const struct cpu_insn *i, enum str_kind kind,
                            unsigned size, uint32_t am, uint32_t delta)
{
    unsigned bits = size * 8;
    uint32_t si = c->gpr[CPU_ESI] & am;
    uint32_t di = c->gpr[CPU_EDI] & am;
    uint32_t a, b;
    uint16_t port;

    switch (kind) {
    case STR_MOVS:
        a = str_read(c, i->d.seg, si, size);
        str_write(c, CPU_ES, di, a, size);
        ops_reg_add(c, CPU_ESI, am, delta);
        ops_reg_add(c, CPU_EDI, am, delta);
        break;
    case STR_CMPS:
        a = str_read(c, i->d.seg, si, size);
        b = str_read(c, CPU_ES, di, size);
        flags_set_sub(&c->lf, bits, a, b, a - b);
        ops_reg_add(c, CPU_ESI, am, delta);
        ops_reg_add(c, CPU_EDI, am, delta);
        break;
    case STR_STOS:
        str_write(c, CPU_ES, di, c->gpr[CPU_EAX], size);
        ops_reg_add(c, CPU_EDI, am, delta);
        break;
    case STR_LODS:
        a = str_read(c, i->d.seg, si, size);
        if (size == 1)
            cpu_set_r8(c, CPU_EAX, (uint8_t)a);
        else if (size == 2)
            cpu_set_r16(c, CPU_EAX, (uint16_t)a);
        else
            c->gpr[CPU_EAX] = a;
        ops_reg_add(c, CPU_ESI, am, delta);
        break;
    case STR_SCAS:
        a = c->gpr[CPU_EAX];
        b = str_read(c, CPU_ES, di, size);
        flags_set_sub(&c->lf, bits, a, b, a - b);
        ops_reg_add(c, CPU_EDI, am, delta);
        break;
    case STR_INS:
        /* Permission, then the destination check, and only then the port
         * read: a faulting store must not consume device data. */
        port = cpu_get_r16(c, CPU_EDX);
        ops_io_check(c, port, size);
        cpu_check_write(c, CPU_ES, di, size);
        a = ops_io_bus_in(c, port, size);
        str_write(c, CPU_ES, di, a, size);
        ops_reg_add(c, CPU_EDI, am, delta);
        break;
    case STR_OUTS:
        port = cpu_get_r16(c, CPU_EDX);
        ops_io_check(c, port, size);
        a = str_read(c, i->d.seg, si, size);
        ops_io_bus_out(c, port, a, size);
        ops_reg_add(c, CPU_ESI, am, delta);
        break;
    }
}

static inline void str_run(struct cpu *c, const struct cpu_insn *i, enum str_kind kind,
                           unsigned size)
{
    uint32_t am = ops_amask(&i->d);
    uint32_t delta = (c->eflags & CPU_FL_DF) ? (uint32_t)0 - size : size;

    if (!(i->d.flags & (DEC_F_REP | DEC_F_REPNE))) {
        str_once(c, i, kind, size, am, delta);
        return;
    }
    if ((c->gpr[CPU_ECX] & am) == 0)
        return;
    /* CMPS/SCAS: F3 repeats while equal (ZF = 1), F2 while not equal.
     * The other instructions repeat under either prefix. */
    bool cond = kind == STR_CMPS || kind == STR_SCAS;
    bool want_zf = (i->d.flags & DEC_F_REP) != 0;
    for (;;) {
        str_once(c, i, kind, size, am, delta);
        ops_reg_add(c, CPU_ECX, am, 0xFFFFFFFFu);
        if ((c->gpr[CPU_ECX] & am) == 0)
            return;
        if (cond && flags_zf(&c->lf) != want_zf)
            return;
        if (c->icount >= c->stop_at) {
            c->eip = c->prev_eip;
            return;
        }
        c->icount++;
    }
}

#define STR_HANDLERS(NAME, KIND)                                                                 \
    void cpu_h_##NAME##B(struct cpu *c, const struct cpu_insn *i) { str_run(c, i, KIND, 1); }    \
    void cpu_h_##NAME##W(struct cpu *c, const struct cpu_insn *i) { str_run(c, i, KIND, 2); }    \
    void cpu_h_##NAME##D(struct cpu *c, const struct cpu_insn *i) { str_run(c, i, KIND, 4); }

STR_HANDLERS(MOVS, STR_MOVS)
STR_HANDLERS(CMPS, STR_CMPS)
STR_HANDLERS(STOS, STR_STOS)
STR_HANDLERS(LODS, STR_LODS)
STR_HANDLERS(SCAS, STR_SCAS)
STR_HANDLERS(INS, STR_INS)
STR_HANDLERS(OUTS, STR_OUTS)
