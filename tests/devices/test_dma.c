/*
 * test_dma.c - the 8237A DMA pair driven through its ports as a BIOS or
 * driver programs it, moving data into a real address space.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "devices/bus.h"
#include "devices/dma.h"
#include "mmu/mmu.h"

struct rig {
    struct bus *bus;
    struct mmu *mmu;
    struct dma *dma;
};

static void rig_init(struct rig *r)
{
    r->bus = bus_create();
    r->mmu = mmu_create(1u << 20);
    assert_non_null(r->bus);
    assert_non_null(r->mmu);
    r->dma = dma_create(r->bus, r->mmu, DMA1_BASE, DMA2_BASE, DMA_PAGE_BASE);
    assert_non_null(r->dma);
}

static void rig_fini(struct rig *r)
{
    dma_destroy(r->dma);
    mmu_destroy(r->mmu);
    bus_destroy(r->bus);
}

static void out8(struct rig *r, uint16_t port, uint8_t v) { bus_io_write(r->bus, port, v, 1); }
static uint8_t in8(struct rig *r, uint16_t port) { return (uint8_t)bus_io_read(r->bus, port, 1); }

/* Register ports of channel `ch` (0-7). */
static const uint16_t page_port[8] = { 0x87, 0x83, 0x81, 0x82, 0x8F, 0x8B, 0x89, 0x8A };
static uint16_t addr_port(unsigned ch)
{
    return ch < 4 ? (uint16_t)(ch * 2) : (uint16_t)(0xC0 + (ch - 4) * 4);
}
static uint16_t count_port(unsigned ch) { return (uint16_t)(addr_port(ch) + (ch < 4 ? 1 : 2)); }
static uint16_t mask_port(unsigned ch) { return ch < 4 ? 0x0A : 0xD4; }
static uint16_t mode_port(unsigned ch) { return ch < 4 ? 0x0B : 0xD6; }
static uint16_t ff_port(unsigned ch) { return ch < 4 ? 0x0C : 0xD8; }

/* The BIOS's set-up: channel 4 in cascade mode and unmasked. */
static void enable_cascade(struct rig *r)
{
    out8(r, 0xD6, 0xC0);
    out8(r, 0xD4, 0x00);
}

/* What a driver does: mask, clear the flip-flop, mode, address, count,
 * page, unmask.  `mode` gives bits 7:2. */
static void program(struct rig *r, unsigned ch, uint8_t mode, uint8_t page, uint16_t addr,
                    uint16_t count)
{
    out8(r, mask_port(ch), (uint8_t)(0x04 | (ch & 3)));
    out8(r, ff_port(ch), 0);
    out8(r, mode_port(ch), (uint8_t)((mode & 0xFC) | (ch & 3)));
    out8(r, addr_port(ch), (uint8_t)addr);
    out8(r, addr_port(ch), (uint8_t)(addr >> 8));
    out8(r, count_port(ch), (uint8_t)count);
    out8(r, count_port(ch), (uint8_t)(count >> 8));
    out8(r, page_port[ch], page);
    out8(r, mask_port(ch), (uint8_t)(ch & 3));
}

static uint16_t read_addr(struct rig *r, unsigned ch)
{
    out8(r, ff_port(ch), 0);
    uint8_t lo = in8(r, addr_port(ch));
    return (uint16_t)(lo | (in8(r, addr_port(ch)) << 8));
}

static uint16_t read_count(struct rig *r, unsigned ch)
{
    out8(r, ff_port(ch), 0);
    uint8_t lo = in8(r, count_port(ch));
    return (uint16_t)(lo | (in8(r, count_port(ch)) << 8));
}

/* Mode bits. */
enum {
    M_VERIFY = 0x00, M_WRITE = 0x04, M_READ = 0x08, M_AUTO = 0x10, M_DEC = 0x20,
    M_DEMAND = 0x00, M_SINGLE = 0x40, M_BLOCK = 0x80, M_CASCADE = 0xC0
};

static void test_registers(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);

    /* Address and count through the flip-flop: base and current at once. */
    out8(&r, 0x0C, 0);
    out8(&r, 0x04, 0x34);
    out8(&r, 0x04, 0x12);
    out8(&r, 0x05, 0xFF);
    out8(&r, 0x05, 0x01);
    assert_int_equal(read_addr(&r, 2), 0x1234);
    assert_int_equal(read_count(&r, 2), 0x01FF);
    /* One flip-flop per controller, shared by all its registers. */
    out8(&r, 0x0C, 0);
    assert_int_equal(in8(&r, 0x04), 0x34);
    assert_int_equal(in8(&r, 0x05), 0x01); /* high byte of the count */

    /* Page registers and the scratch ports between them; 80h is not ours. */
    static const uint16_t ports[] = { 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
                                      0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F };
    for (unsigned k = 0; k < sizeof(ports) / sizeof(ports[0]); k++)
        out8(&r, ports[k], (uint8_t)(0x50 + k));
    for (unsigned k = 0; k < sizeof(ports) / sizeof(ports[0]); k++)
        assert_int_equal(in8(&r, ports[k]), 0x50 + k);
    assert_int_equal(in8(&r, 0x80), 0xFF);

    /* Mask register: all masked after RESET; single, clear, write-all. */
    assert_int_equal(in8(&r, 0x0F), 0x0F);
    out8(&r, 0x0A, 0x02);
    assert_int_equal(in8(&r, 0x0F), 0x0B);
    out8(&r, 0x0A, 0x06);
    assert_int_equal(in8(&r, 0x0F), 0x0F);
    out8(&r, 0x0E, 0);
    assert_int_equal(in8(&r, 0x0F), 0x00);
    out8(&r, 0x0F, 0xF5);
    assert_int_equal(in8(&r, 0x0F), 0x05);

    /* Software request shows in the status register's request bits. */
    out8(&r, 0x09, 0x04 | 3);
    assert_int_equal(in8(&r, 0x08), 0x80);
    out8(&r, 0x09, 0x00 | 3);
    assert_int_equal(in8(&r, 0x08), 0x00);
    /* Write-only registers float. */
    assert_int_equal(in8(&r, 0x0B), 0xFF);
    assert_int_equal(in8(&r, 0x0C), 0xFF);

    /* Master clear: masks set, flip-flop and requests cleared. */
    out8(&r, 0x09, 0x04 | 1);
    out8(&r, 0x04, 0x99); /* flip-flop now points at the high byte */
    out8(&r, 0x0D, 0);
    assert_int_equal(in8(&r, 0x0F), 0x0F);
    assert_int_equal(in8(&r, 0x08), 0x00);
    assert_int_equal(in8(&r, 0x04), 0x99); /* low byte: flip-flop was cleared */
    assert_int_equal(in8(&r, 0x0D), 0x00); /* temporary register */

    /* DMA2: registers at even ports, odd ports alias them. */
    out8(&r, 0xD8, 0);
    out8(&r, 0xC4, 0x78);
    out8(&r, 0xC5, 0x56); /* alias of C4h: the high byte */
    assert_int_equal(read_addr(&r, 5), 0x5678);
    out8(&r, 0xD8, 0);
    assert_int_equal(in8(&r, 0xC5), 0x78);
    assert_int_equal(in8(&r, 0xDE), 0x0F);
    out8(&r, 0xDC, 0);
    assert_int_equal(in8(&r, 0xDE), 0x00);
    out8(&r, 0xD4, 0x04 | 2);
    assert_int_equal(in8(&r, 0xDF), 0x04);
    out8(&r, 0xDA, 0); /* master clear of DMA2 only */
    assert_int_equal(in8(&r, 0xDE), 0x0F);
    out8(&r, 0x0E, 0);
    assert_int_equal(in8(&r, 0x0F), 0x00);

    /* RESET masks everything and zeroes the counters. */
    dma_reset(r.dma);
    assert_int_equal(in8(&r, 0x0F), 0x0F);
    assert_int_equal(read_addr(&r, 2), 0);
    assert_int_equal(in8(&r, 0x81), 0);
    rig_fini(&r);
}

static void test_write_to_memory_tc(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    uint8_t data[300], mem[300];
    for (unsigned k = 0; k < sizeof(data); k++)
        data[k] = (uint8_t)(k * 7 + 1);

    /* Floppy-style: channel 2, single mode, write to memory at 11000h. */
    program(&r, 2, M_SINGLE | M_WRITE, 0x01, 0x1000, 0x00FF);
    /* Channel 4 is still masked from RESET: the cascade blocks DMA1. */
    assert_false(dma_dreq(r.dma, 2, true));
    assert_int_equal(dma_transfer(r.dma, 2, data, sizeof(data), true), 0);
    enable_cascade(&r);
    assert_true(dma_dreq(r.dma, 2, true));
    assert_int_equal(in8(&r, 0x08), 0x40); /* DREQ2 pending */

    /* count + 1 = 256 bytes, then terminal count. */
    assert_int_equal(dma_transfer(r.dma, 2, data, sizeof(data), true), 256);
    assert_true(dma_terminal_count(r.dma, 2));
    mmu_read_block(r.mmu, 0x11000, mem, 257);
    assert_memory_equal(mem, data, 256);
    assert_int_equal(mem[256], 0);
    assert_int_equal(read_addr(&r, 2), 0x1100);
    assert_int_equal(read_count(&r, 2), 0xFFFF);
    /* Not auto-initialising: the channel masked itself. */
    assert_int_equal(in8(&r, 0x0F) & 0x04, 0x04);
    dma_dreq(r.dma, 2, false);
    /* TC bit 2, cleared by the read. */
    assert_int_equal(in8(&r, 0x08), 0x04);
    assert_int_equal(in8(&r, 0x08), 0x00);
    assert_int_equal(dma_transfer(r.dma, 2, data, sizeof(data), true), 0);
    assert_false(dma_terminal_count(r.dma, 2));

    /* A transfer in pieces: no TC until the count runs out. */
    program(&r, 2, M_SINGLE | M_WRITE, 0x01, 0x2000, 9);
    assert_int_equal(dma_transfer(r.dma, 2, data, 4, true), 4);
    assert_false(dma_terminal_count(r.dma, 2));
    assert_int_equal(read_count(&r, 2), 5);
    assert_int_equal(dma_transfer(r.dma, 2, data + 4, 100, true), 6);
    assert_true(dma_terminal_count(r.dma, 2));
    mmu_read_block(r.mmu, 0x12000, mem, 10);
    assert_memory_equal(mem, data, 10);
    rig_fini(&r);
}

static void test_wrap_in_page(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    enable_cascade(&r);
    uint8_t data[32], mem[32];
    for (unsigned k = 0; k < sizeof(data); k++)
        data[k] = (uint8_t)(0xA0 + k);
    /* 32 bytes from 2FFF0h: the address wraps to 20000h, not 30000h. */
    program(&r, 1, M_BLOCK | M_WRITE, 0x02, 0xFFF0, 31);
    assert_int_equal(dma_transfer(r.dma, 1, data, sizeof(data), true), 32);
    mmu_read_block(r.mmu, 0x2FFF0, mem, 16);
    assert_memory_equal(mem, data, 16);
    mmu_read_block(r.mmu, 0x20000, mem, 16);
    assert_memory_equal(mem, data + 16, 16);
    assert_int_equal(mmu_read_phys(r.mmu, 0x30000, 1), 0);
    assert_int_equal(read_addr(&r, 1), 0x0010);
    rig_fini(&r);
}

static void test_autoinit_read(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    enable_cascade(&r);
    uint8_t src[16], buf[40];
    for (unsigned k = 0; k < sizeof(src); k++)
        src[k] = (uint8_t)k;
    mmu_write_block(r.mmu, 0x40100, src, sizeof(src));
    /* Sound-Blaster style: memory -> device, auto-initialise. */
    program(&r, 3, M_SINGLE | M_READ | M_AUTO, 0x04, 0x0100, 15);
    memset(buf, 0xEE, sizeof(buf));
    assert_int_equal(dma_transfer(r.dma, 3, buf, sizeof(buf), false), 16);
    assert_memory_equal(buf, src, 16);
    assert_int_equal(buf[16], 0xEE);
    assert_true(dma_terminal_count(r.dma, 3));
    /* Reloaded from the base registers and still unmasked. */
    assert_int_equal(in8(&r, 0x0F) & 0x08, 0);
    assert_int_equal(read_addr(&r, 3), 0x0100);
    assert_int_equal(read_count(&r, 3), 15);
    assert_int_equal(in8(&r, 0x08), 0x08);
    assert_int_equal(dma_transfer(r.dma, 3, buf, 10, false), 10);
    assert_false(dma_terminal_count(r.dma, 3));
    assert_memory_equal(buf, src, 10);
    assert_int_equal(read_addr(&r, 3), 0x010A);
    assert_int_equal(read_count(&r, 3), 5);
    /* A read transfer never writes memory. */
    uint8_t check[16];
    mmu_read_block(r.mmu, 0x40100, check, 16);
    assert_memory_equal(check, src, 16);
    rig_fini(&r);
}

static void test_decrement(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    enable_cascade(&r);
    uint8_t data[6] = { 'A', 'B', 'C', 'D', 'E', 'F' };
    program(&r, 1, M_DEMAND | M_WRITE | M_DEC, 0x00, 0x2005, 5);
    assert_int_equal(dma_transfer(r.dma, 1, data, 6, true), 6);
    for (unsigned k = 0; k < 6; k++)
        assert_int_equal(mmu_read_phys(r.mmu, 0x2005 - k, 1), data[k]);
    assert_int_equal(read_addr(&r, 1), 0x1FFF);
    /* Decrementing through 0000h wraps to FFFFh inside the page. */
    program(&r, 1, M_DEMAND | M_WRITE | M_DEC, 0x05, 0x0001, 3);
    assert_int_equal(dma_transfer(r.dma, 1, data, 6, true), 4);
    assert_int_equal(mmu_read_phys(r.mmu, 0x50001, 1), 'A');
    assert_int_equal(mmu_read_phys(r.mmu, 0x50000, 1), 'B');
    assert_int_equal(mmu_read_phys(r.mmu, 0x5FFFF, 1), 'C');
    assert_int_equal(mmu_read_phys(r.mmu, 0x5FFFE, 1), 'D');
    assert_int_equal(mmu_read_phys(r.mmu, 0x4FFFF, 1), 0);
    rig_fini(&r);
}

static void test_16bit(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    uint8_t data[16], mem[16];
    for (unsigned k = 0; k < sizeof(data); k++)
        data[k] = (uint8_t)(0x30 + k);
    /* Channel 5: word address 1000h with page 03h (bit 0 ignored) is byte
     * address 20000h + 2000h; 4 words.  No cascade needed for DMA2. */
    program(&r, 5, M_SINGLE | M_WRITE, 0x03, 0x1000, 3);
    assert_int_equal(dma_transfer(r.dma, 5, data, 7, true), 6); /* whole words */
    assert_int_equal(read_addr(&r, 5), 0x1003);
    assert_int_equal(read_count(&r, 5), 0);
    assert_int_equal(dma_transfer(r.dma, 5, data + 6, 1, true), 0);
    assert_int_equal(dma_transfer(r.dma, 5, data + 6, 10, true), 2);
    assert_true(dma_terminal_count(r.dma, 5));
    mmu_read_block(r.mmu, 0x22000, mem, 9);
    assert_memory_equal(mem, data, 8);
    assert_int_equal(mem[8], 0);
    assert_int_equal(in8(&r, 0xD0), 0x02); /* TC on channel 5 */
    assert_int_equal(in8(&r, 0xDE) & 0x02, 0x02);

    /* The 128 KiB block wraps: word FFFFh is 3FFFEh, then 20000h. */
    program(&r, 6, M_SINGLE | M_WRITE, 0x02, 0xFFFF, 1);
    assert_int_equal(dma_transfer(r.dma, 6, data, 4, true), 4);
    assert_int_equal(mmu_read_phys(r.mmu, 0x3FFFE, 2), 0x3130);
    assert_int_equal(mmu_read_phys(r.mmu, 0x20000, 2), 0x3332);
    assert_int_equal(mmu_read_phys(r.mmu, 0x40000, 1), 0);

    /* 16-bit read, decrementing by words; bytes stay in order in a word. */
    mmu_write_phys(r.mmu, 0x20002, 0xBEEF, 2);
    program(&r, 7, M_SINGLE | M_READ | M_DEC, 0x02, 0x0001, 1);
    uint8_t buf[4];
    assert_int_equal(dma_transfer(r.dma, 7, buf, 4, false), 4);
    assert_int_equal(buf[0], 0xEF); /* word 1 = 20002h */
    assert_int_equal(buf[1], 0xBE);
    assert_int_equal(buf[2], 0x32); /* word 0 = 20000h */
    assert_int_equal(buf[3], 0x33);
    assert_int_equal(read_addr(&r, 7), 0xFFFF);
    rig_fini(&r);
}

static void test_masking_and_modes(void **state)
{
    (void)state;
    struct rig r;
    rig_init(&r);
    enable_cascade(&r);
    uint8_t buf[8];
    memset(buf, 0x11, sizeof(buf));

    program(&r, 0, M_SINGLE | M_WRITE, 0x00, 0x3000, 7);
    out8(&r, 0x0A, 0x04 | 0); /* masked */
    assert_int_equal(dma_transfer(r.dma, 0, buf, 8, true), 0);
    out8(&r, 0x0A, 0x00);
    /* Controller disabled (command bit 2). */
    out8(&r, 0x08, 0x04);
    assert_int_equal(dma_transfer(r.dma, 0, buf, 8, true), 0);
    out8(&r, 0x08, 0x00);
    /* DMA2 disabled: the cascade stops DMA1 as well. */
    out8(&r, 0xD0, 0x04);
    assert_int_equal(dma_transfer(r.dma, 0, buf, 8, true), 0);
    assert_false(dma_dreq(r.dma, 0, true));
    out8(&r, 0xD0, 0x00);
    assert_true(dma_dreq(r.dma, 0, true));
    dma_dreq(r.dma, 0, false);
    /* Channel 4 and channels in cascade mode move nothing. */
    assert_int_equal(dma_transfer(r.dma, 4, buf, 8, true), 0);
    out8(&r, 0x0B, M_CASCADE | 0);
    assert_int_equal(dma_transfer(r.dma, 0, buf, 8, true), 0);
    assert_int_equal(dma_transfer(r.dma, 8, buf, 8, true), 0);
    assert_int_equal(dma_transfer(r.dma, 0xFFFFFFFFu, buf, 8, true), 0);
    assert_false(dma_dreq(r.dma, 99, true));
    assert_false(dma_terminal_count(r.dma, 99));

    /* Verify: counters run, memory untouched, a reading device gets FFh. */
    program(&r, 0, M_SINGLE | M_VERIFY, 0x00, 0x3000, 7);
    assert_int_equal(dma_transfer(r.dma, 0, buf, 8, true), 8);
    assert_int_equal(mmu_read_phys(r.mmu, 0x3000, 4), 0);
    assert_true(dma_terminal_count(r.dma, 0));
    program(&r, 0, M_SINGLE | M_VERIFY, 0x00, 0x3000, 7);
    assert_int_equal(dma_transfer(r.dma, 0, buf, 8, false), 8);
    assert_int_equal(buf[0], 0xFF);

    /* Direction mismatch: nobody drives the bus. */
    mmu_write_phys(r.mmu, 0x3000, 0x5A, 1);
    program(&r, 0, M_SINGLE | M_READ, 0x00, 0x3000, 7);
    memset(buf, 0x11, sizeof(buf));
    assert_int_equal(dma_transfer(r.dma, 0, buf, 8, true), 8);
    assert_int_equal(mmu_read_phys(r.mmu, 0x3000, 1), 0x5A);
    assert_int_equal(buf[0], 0x11);
    program(&r, 0, M_SINGLE | M_WRITE, 0x00, 0x3000, 7);
    assert_int_equal(dma_transfer(r.dma, 0, buf, 8, false), 8);
    assert_int_equal(mmu_read_phys(r.mmu, 0x3000, 1), 0x5A);
    assert_int_equal(buf[0], 0xFF);

    /* Outside RAM (1 MiB here): reads give FFh, writes vanish. */
    program(&r, 0, M_SINGLE | M_READ, 0xFF, 0xFFF8, 7);
    memset(buf, 0, sizeof(buf));
    assert_int_equal(dma_transfer(r.dma, 0, buf, 8, false), 8);
    for (unsigned k = 0; k < 8; k++)
        assert_int_equal(buf[k], 0xFF);
    program(&r, 0, M_SINGLE | M_WRITE, 0xFF, 0xFFF8, 7);
    assert_int_equal(dma_transfer(r.dma, 0, buf, 8, true), 8);
    rig_fini(&r);
}

static void test_ports_taken(void **state)
{
    (void)state;
    struct bus *b = bus_create();
    struct mmu *m = mmu_create(1u << 20);
    struct dma *d = dma_create(b, m, DMA1_BASE, DMA2_BASE, DMA_PAGE_BASE);
    assert_non_null(d);
    assert_null(dma_create(b, m, DMA1_BASE, DMA2_BASE, DMA_PAGE_BASE));
    dma_destroy(d);
    dma_destroy(NULL);
    mmu_destroy(m);
    bus_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registers),
        cmocka_unit_test(test_write_to_memory_tc),
        cmocka_unit_test(test_wrap_in_page),
        cmocka_unit_test(test_autoinit_read),
        cmocka_unit_test(test_decrement),
        cmocka_unit_test(test_16bit),
        cmocka_unit_test(test_masking_and_modes),
        cmocka_unit_test(test_ports_taken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
