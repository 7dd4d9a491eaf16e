/*
 * forms.c - static description of every form, generated from opcodes.def.
 */
#include "decoder/decoder_internal.h"

static const struct dec_form_info dec_forms[DEC_OP_COUNT] = {
#define DEC_OP(id, mnem, o1, o2, o3, flags, handler)                                 \
    [DEC_##id] = {mnem, {DEC_OPND_##o1, DEC_OPND_##o2, DEC_OPND_##o3}, (uint16_t)(flags)},
#include "decoder/opcodes.def"
#undef DEC_OP
};

const struct dec_form_info *dec_form(enum dec_op op)
{
    if ((unsigned)op >= DEC_OP_COUNT)
        op = DEC_INVALID_OP;
    return &dec_forms[op];
}
