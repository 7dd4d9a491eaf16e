/*
 * f80trans_host.h - the host x87 oracle of the transcendental
 * differential test (x86 hosts only).
 */
#ifndef TESTS_F80TRANS_HOST_H
#define TESTS_F80TRANS_HOST_H

#include <stdbool.h>
#include <stdint.h>

enum f80trans_op {
    F80TRANS_SIN,
    F80TRANS_COS,
    F80TRANS_SINCOS,
    F80TRANS_TAN,
    F80TRANS_ATAN2,
    F80TRANS_2XM1,
    F80TRANS_YL2X,
    F80TRANS_YL2XP1
};

struct f80trans_host_result {
    uint16_t sw;      /* status word after the instruction */
    uint8_t st0[10];  /* ST(0) and ST(1) afterwards, m80 images */
    uint8_t st1[10];
};

/** True when this host can execute x87 instructions natively. */
bool f80trans_host_available(void);
/** Run op natively with rounding control rc, all exceptions masked and
 * 64-bit precision: x is ST(0), y is ST(1) (two-operand ops only). */
void f80trans_host_run(enum f80trans_op op, unsigned rc, const uint8_t x[10], const uint8_t y[10],
                       struct f80trans_host_result *out);

#endif
