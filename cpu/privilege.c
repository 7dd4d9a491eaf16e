/*
 * privilege.c - the pieces every privilege-level change shares: the inner
 * stack from the TSS, the checks on a new SS, committing CS/SS, and the
 * data-segment clean-up after a return to an outer level (SDM vol. 3,
 * 5.8.5 and 6.12.1; vol. 2, CALL, RET, IRET, INT n).
 */
#include "cpu/engine_internal.h"

void priv_tss_stack(struct cpu *c, unsigned dpl, uint16_t *ss, uint32_t *esp, uint32_t ext)
{
    unsigned type = c->tr.attr & 0x0Fu;
    uint32_t err = (c->tr.sel & 0xFFFCu) | ext;
    if (type == SEG_T_TSS32_BUSY || type == SEG_T_TSS32_AVAIL) {
        /* 32-bit TSS: ESPn at 4 + 8n, SSn at 8 + 8n (SDM vol. 3, fig. 7-2). */
        uint32_t at = (dpl << 3) + 4;
        if (at + 5 > c->tr.limit)
            cpu_exception(c, CPU_EXC_TS, err);
        *esp = cpu_read_sys(c, c->tr.base + at, 4);
        *ss = (uint16_t)cpu_read_sys(c, c->tr.base + at + 4, 2);
    } else {
        /* 16-bit TSS: SPn at 2 + 4n, SSn at 4 + 4n (SDM vol. 3, fig. 7-11). */
        uint32_t at = (dpl << 2) + 2;
        if (at + 3 > c->tr.limit)
            cpu_exception(c, CPU_EXC_TS, err);
        *esp = cpu_read_sys(c, c->tr.base + at, 2);
        *ss = (uint16_t)cpu_read_sys(c, c->tr.base + at + 2, 2);
    }
}

/* A stack segment must be a present, writable data segment whose DPL and
 * RPL equal the privilege level it serves. */
static void priv_check_ss(struct cpu *c, uint16_t sel, unsigned cpl, unsigned vec,
                          uint32_t ext, struct seg_desc *d, struct cpu_seg *s)
{
    uint32_t err = (sel & 0xFFFCu) | ext;
    if (!seg_fetch_desc(c, sel, d))
        cpu_exception(c, vec, err);
    uint16_t a = seg_desc_attr(d);
    if ((sel & 3u) != cpl || SEG_A_DPL(a) != cpl || !(a & SEG_A_S) || (a & SEG_A_CODE) ||
        !(a & SEG_A_RW))
        cpu_exception(c, vec, err);
    if (!(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_SS, err);
    seg_from_desc(s, sel, d);
    s->attr |= SEG_A_ACCESSED;
    cpu_seg_update(c, s);
}

void priv_check_stack_seg(struct cpu *c, uint16_t sel, unsigned cpl, uint32_t ext,
                          struct seg_desc *d, struct cpu_seg *s)
{
    if ((sel & 0xFFFCu) == 0)
        cpu_exception(c, CPU_EXC_TS, ext);
    priv_check_ss(c, sel, cpl, CPU_EXC_TS, ext, d, s);
}

void priv_check_return_cs(struct cpu *c, uint16_t sel, struct seg_desc *d)
{
    uint32_t err = sel & 0xFFFCu;
    unsigned rpl = sel & 3u;
    if (err == 0)
        cpu_exception(c, CPU_EXC_GP, 0);
    if (!seg_fetch_desc(c, sel, d))
        cpu_exception(c, CPU_EXC_GP, err);
    uint16_t a = seg_desc_attr(d);
    unsigned dpl = SEG_A_DPL(a);
    if (!(a & SEG_A_S) || !(a & SEG_A_CODE) || rpl < c->cpl)
        cpu_exception(c, CPU_EXC_GP, err);
    if ((a & SEG_A_EC) ? dpl > rpl : dpl != rpl)
        cpu_exception(c, CPU_EXC_GP, err);
    if (!(a & SEG_A_P))
        cpu_exception(c, CPU_EXC_NP, err);
}

void priv_check_return_ss(struct cpu *c, uint16_t sel, unsigned rpl, struct seg_desc *d,
                          struct cpu_seg *s)
{
    if ((sel & 0xFFFCu) == 0)
        cpu_exception(c, CPU_EXC_GP, 0);
    priv_check_ss(c, sel, rpl, CPU_EXC_GP, 0, d, s);
}

void priv_commit_seg(struct cpu *c, unsigned sreg, const struct seg_desc *d,
                     const struct cpu_seg *s)
{
    seg_set_accessed(c, d);
    c->seg[sreg] = *s;
    cpu_seg_update(c, &c->seg[sreg]);
}

void priv_commit_cs(struct cpu *c, uint16_t sel, const struct seg_desc *d, unsigned cpl,
                    uint32_t eip)
{
    struct cpu_seg *cs = &c->seg[CPU_CS];
    seg_set_accessed(c, d);
    seg_from_desc(cs, (uint16_t)((sel & 0xFFFCu) | cpl), d);
    cs->attr |= SEG_A_ACCESSED;
    cpu_seg_update(c, cs);
    if (c->cpl != cpl)
        cpu_set_cpl(c, cpl);
    c->eip = eip;
    cpu_end_trace(c);
}

void priv_null_outer_segments(struct cpu *c)
{
    static const unsigned regs[4] = {CPU_ES, CPU_DS, CPU_FS, CPU_GS};
    for (unsigned k = 0; k < 4; k++) {
        struct cpu_seg *s = &c->seg[regs[k]];
        uint16_t a = s->attr;
        if ((s->sel & 0xFFFCu) == 0 || !(a & SEG_A_S))
            continue;
        bool conforming_code = (a & SEG_A_CODE) && (a & SEG_A_EC);
        if (!conforming_code && SEG_A_DPL(a) < c->cpl) {
            s->sel = 0;
            s->attr = 0;
            s->base = 0;
            s->limit = 0;
            cpu_seg_update(c, s);
        }
    }
}
