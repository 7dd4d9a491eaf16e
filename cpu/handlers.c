/*
 * handlers.c - the handler table, generated from decoder/opcodes.def:
 * form DEC_<ID> runs cpu_h_<HANDLER>.
 */
#include "cpu/cpu_internal.h"

cpu_handler_fn *const cpu_handler_table[DEC_OP_COUNT] = {
#define DEC_OP(id, mnem, o1, o2, o3, flags, handler) [DEC_##id] = cpu_h_##handler,
#include "decoder/opcodes.def"
#undef DEC_OP
};
