/*
 * dma.c - the PC/AT's 8237A DMA pair and page registers (see dma.h).
 *
 * Register behaviour follows the Intel 8237A datasheet ("Register
 * Description", Table 2 "Software Commands"); the PC-specific parts
 * (16-bit DMA2, the cascade through channel 4, the readable write-all-mask
 * register) follow the Intel 82378/82371 (SIO/PIIX) datasheets' DMA
 * chapters.  Memory-to-memory transfers (command bit 0), which the PC
 * cannot use, are not implemented; the timing bits of the command register
 * (compressed timing, priority, DREQ/DACK sense) are stored and ignored.
 */
#include "devices/dma.h"

#include <stdlib.h>
#include <string.h>

#include "devices/bus.h"
#include "mmu/mmu.h"

/* Register numbers inside one controller (A3-A0 of the 8237A). */
enum {
    DMA_REG_STATUS = 8,       /* read: status; write: command */
    DMA_REG_REQUEST = 9,      /* write: software request */
    DMA_REG_SINGLE_MASK = 10, /* write: set/clear one mask bit */
    DMA_REG_MODE = 11,        /* write */
    DMA_REG_CLEAR_FF = 12,    /* write: clear the byte flip-flop */
    DMA_REG_TEMP = 13,        /* read: temporary; write: master clear */
    DMA_REG_CLEAR_MASK = 14,  /* write: unmask all four channels */
    DMA_REG_ALL_MASK = 15     /* read/write: all four mask bits */
};

/* Mode register: bits 1:0 channel, 3:2 transfer type, 4 auto-initialise,
 * 5 address decrement, 7:6 mode select. */
#define DMA_MODE_TYPE(m) (((m) >> 2) & 3u)
#define DMA_MODE_AUTOINIT 0x10u
#define DMA_MODE_DECREMENT 0x20u
#define DMA_MODE_SELECT(m) (((m) >> 6) & 3u)
enum { DMA_TYPE_VERIFY = 0, DMA_TYPE_WRITE = 1, DMA_TYPE_READ = 2 }; /* 3 is illegal */
enum { DMA_SELECT_CASCADE = 3 };

/* Command register bit 2: controller disable. */
#define DMA_CMD_DISABLE 0x04u

struct dma_channel {
    uint16_t base_addr, base_count; /* reloaded by auto-initialise */
    uint16_t cur_addr, cur_count;
    uint8_t mode;
    bool tc; /* the last dma_transfer() ended at terminal count */
};

struct dma_controller {
    struct dma_channel ch[4];
    uint8_t command;
    uint8_t tc_status; /* status bits 3:0, cleared by a status read */
    uint8_t request;   /* software request bits 3:0 */
    uint8_t dreq;      /* device DREQ lines 3:0 */
    uint8_t mask;      /* mask bits 3:0 */
    uint8_t temp;      /* temporary register (memory-to-memory only) */
    bool flipflop;     /* byte pointer: false = low byte next */
};

struct dma {
    struct mmu *mmu;
    uint16_t dma1_base, dma2_base, page_base;
    struct dma_controller ctl[2];
    uint8_t page[16]; /* indexed by the port's offset from 80h (0 unused) */
};

/* Offset from 80h of each channel's page register (the AT's layout). */
static const uint8_t dma_page_offset[DMA_CHANNELS] = { 7, 3, 1, 2, 0xF, 0xB, 9, 0xA };

/* Master clear (8237A): command, status, request, temporary register and
 * flip-flop cleared, all channels masked; modes and counters unchanged. */
static void dma_master_clear(struct dma_controller *c)
{
    c->command = 0;
    c->tc_status = 0;
    c->request = 0;
    c->temp = 0;
    c->flipflop = false;
    c->mask = 0x0F;
}

static uint8_t dma_ctl_read(struct dma_controller *c, unsigned reg)
{
    if (reg < 8) {
        /* Current address (even) or current count (odd), low byte then
         * high byte through the shared flip-flop. */
        const struct dma_channel *ch = &c->ch[reg >> 1];
        uint16_t v = (reg & 1) ? ch->cur_count : ch->cur_addr;
        uint8_t b = (uint8_t)(c->flipflop ? v >> 8 : v);
        c->flipflop = !c->flipflop;
        return b;
    }
    switch (reg) {
    case DMA_REG_STATUS: {
        /* Bits 7:4 show pending requests (device or software), bits 3:0
         * terminal counts; reading clears the TC bits. */
        uint8_t s = (uint8_t)(c->tc_status | (((c->request | c->dreq) & 0x0F) << 4));
        c->tc_status = 0;
        return s;
    }
    case DMA_REG_TEMP:
        return c->temp;
    case DMA_REG_ALL_MASK:
        /* Readable on the 82378/82371 (bits 7:4 read 0). */
        return c->mask;
    default:
        /* Write-only registers: nothing drives the data bus. */
        return 0xFF;
    }
}

static void dma_ctl_write(struct dma_controller *c, unsigned reg, uint8_t v)
{
    if (reg < 8) {
        /* A write loads the base and current registers together. */
        struct dma_channel *ch = &c->ch[reg >> 1];
        uint16_t *base = (reg & 1) ? &ch->base_count : &ch->base_addr;
        uint16_t *cur = (reg & 1) ? &ch->cur_count : &ch->cur_addr;
        if (c->flipflop)
            *base = (uint16_t)((*base & 0x00FFu) | ((unsigned)v << 8));
        else
            *base = (uint16_t)((*base & 0xFF00u) | v);
        *cur = *base;
        c->flipflop = !c->flipflop;
        return;
    }
    uint8_t bit = (uint8_t)(1u << (v & 3u));
    switch (reg) {
    case DMA_REG_STATUS:
        c->command = v;
        break;
    case DMA_REG_REQUEST:
        c->request = (v & 4u) ? (uint8_t)(c->request | bit) : (uint8_t)(c->request & ~bit);
        break;
    case DMA_REG_SINGLE_MASK:
        c->mask = (v & 4u) ? (uint8_t)(c->mask | bit) : (uint8_t)(c->mask & ~bit);
        break;
    case DMA_REG_MODE:
        c->ch[v & 3u].mode = v;
        break;
    case DMA_REG_CLEAR_FF:
        c->flipflop = false;
        break;
    case DMA_REG_TEMP:
        dma_master_clear(c);
        break;
    case DMA_REG_CLEAR_MASK:
        c->mask = 0;
        break;
    default: /* DMA_REG_ALL_MASK */
        c->mask = v & 0x0Fu;
        break;
    }
}

static uint32_t dma1_read(void *opaque, uint16_t port, unsigned size)
{
    struct dma *dma = opaque;
    (void)size;
    return dma_ctl_read(&dma->ctl[0], (unsigned)(port - dma->dma1_base) & 0x0Fu);
}

static void dma1_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct dma *dma = opaque;
    (void)size;
    dma_ctl_write(&dma->ctl[0], (unsigned)(port - dma->dma1_base) & 0x0Fu, (uint8_t)value);
}

/* DMA2 sits on SA1-SA4: register n at base + 2n, the odd port aliasing. */
static uint32_t dma2_read(void *opaque, uint16_t port, unsigned size)
{
    struct dma *dma = opaque;
    (void)size;
    return dma_ctl_read(&dma->ctl[1], ((unsigned)(port - dma->dma2_base) >> 1) & 0x0Fu);
}

static void dma2_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct dma *dma = opaque;
    (void)size;
    dma_ctl_write(&dma->ctl[1], ((unsigned)(port - dma->dma2_base) >> 1) & 0x0Fu, (uint8_t)value);
}

/* page_base is the port at offset 1 of the 16-port block. */
static unsigned dma_page_port(const struct dma *dma, uint16_t port)
{
    return ((unsigned)(port - dma->page_base) + 1u) & 0x0Fu;
}

static uint32_t dma_page_read(void *opaque, uint16_t port, unsigned size)
{
    struct dma *dma = opaque;
    (void)size;
    return dma->page[dma_page_port(dma, port)];
}

static void dma_page_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct dma *dma = opaque;
    (void)size;
    dma->page[dma_page_port(dma, port)] = (uint8_t)value;
}

struct dma *dma_create(struct bus *bus, struct mmu *mmu, uint16_t dma1_base, uint16_t dma2_base,
                       uint16_t page_base)
{
    struct dma *dma = calloc(1, sizeof(*dma));
    if (dma == NULL)
        return NULL;
    dma->mmu = mmu;
    dma->dma1_base = dma1_base;
    dma->dma2_base = dma2_base;
    dma->page_base = page_base;
    dma_reset(dma);
    if (bus_register_io(bus, dma1_base, 16, BUS_W8, dma, dma1_read, dma1_write) != 0 ||
        bus_register_io(bus, dma2_base, 32, BUS_W8, dma, dma2_read, dma2_write) != 0 ||
        bus_register_io(bus, page_base, 15, BUS_W8, dma, dma_page_read, dma_page_write) != 0) {
        free(dma);
        return NULL;
    }
    return dma;
}

void dma_destroy(struct dma *dma)
{
    free(dma);
}

void dma_reset(struct dma *dma)
{
    for (unsigned k = 0; k < 2; k++) {
        struct dma_controller *c = &dma->ctl[k];
        uint8_t dreq = c->dreq; /* device inputs, not chip state */
        memset(c, 0, sizeof(*c));
        c->dreq = dreq;
        dma_master_clear(c);
    }
    memset(dma->page, 0, sizeof(dma->page));
}

/* Would `channel` serve a request now?  Channels 0-3 also need DMA2 to
 * grant the cascade: masking channel 4 or disabling DMA2 stops them
 * (82378 datasheet, "Mask Register - Write All Mask Bits"). */
static bool dma_channel_ready(const struct dma *dma, unsigned channel)
{
    if (channel >= DMA_CHANNELS || channel == 4)
        return false;
    const struct dma_controller *c = &dma->ctl[channel >> 2];
    unsigned n = channel & 3u;
    if ((c->command & DMA_CMD_DISABLE) || (c->mask & (1u << n)) ||
        DMA_MODE_SELECT(c->ch[n].mode) == DMA_SELECT_CASCADE)
        return false;
    if (channel < 4) {
        const struct dma_controller *c2 = &dma->ctl[1];
        if ((c2->command & DMA_CMD_DISABLE) || (c2->mask & 1u))
            return false;
    }
    return true;
}

/* One run of `n` contiguous bytes at `phys`. */
static void dma_move(struct dma *dma, unsigned type, uint32_t phys, uint8_t *p, size_t n,
                     bool to_memory)
{
    switch (type) {
    case DMA_TYPE_WRITE: /* I/O -> memory: MEMW# with IOR# */
        if (to_memory)
            mmu_write_block(dma->mmu, phys, p, n);
        else
            memset(p, 0xFF, n);
        break;
    case DMA_TYPE_READ: /* memory -> I/O: MEMR# with IOW# */
        if (!to_memory)
            mmu_read_block(dma->mmu, phys, p, n);
        break;
    default: /* verify (and the illegal type): no memory cycle */
        if (!to_memory)
            memset(p, 0xFF, n);
        break;
    }
}

size_t dma_transfer(struct dma *dma, unsigned channel, void *buf, size_t len, bool to_memory)
{
    if (channel >= DMA_CHANNELS)
        return 0;
    struct dma_controller *c = &dma->ctl[channel >> 2];
    unsigned n = channel & 3u;
    struct dma_channel *ch = &c->ch[n];
    ch->tc = false;
    if (!dma_channel_ready(dma, channel))
        return 0;

    bool word = channel >= 4;
    size_t unit = word ? 2 : 1;
    size_t units = len / unit;
    unsigned type = DMA_MODE_TYPE(ch->mode);
    bool decrement = (ch->mode & DMA_MODE_DECREMENT) != 0;
    uint8_t page = dma->page[dma_page_offset[channel]];
    uint8_t *p = buf;
    size_t done = 0;

    while (done < units) {
        /* The longest run that stays contiguous: the 16-bit address
         * counter wraps without carrying into the page register. */
        size_t run = decrement ? 1u : 0x10000u - ch->cur_addr;
        if (run > (size_t)ch->cur_count + 1u)
            run = (size_t)ch->cur_count + 1u;
        if (run > units - done)
            run = units - done;
        uint32_t phys = word ? ((uint32_t)(page & 0xFEu) << 16) | ((uint32_t)ch->cur_addr << 1)
                             : ((uint32_t)page << 16) | ch->cur_addr;
        dma_move(dma, type, phys, p + done * unit, run * unit, to_memory);
        ch->cur_addr = (uint16_t)(decrement ? ch->cur_addr - run : ch->cur_addr + run);
        done += run;
        if (run == (size_t)ch->cur_count + 1u) {
            /* Terminal count: the count rolled over from 0 to FFFFh. */
            uint8_t bit = (uint8_t)(1u << n);
            c->tc_status |= bit;
            c->request &= (uint8_t)~bit;
            ch->tc = true;
            if (ch->mode & DMA_MODE_AUTOINIT) {
                ch->cur_addr = ch->base_addr;
                ch->cur_count = ch->base_count;
            } else {
                ch->cur_count = 0xFFFF;
                c->mask |= bit;
            }
            break;
        }
        ch->cur_count = (uint16_t)(ch->cur_count - run);
    }
    return done * unit;
}

bool dma_terminal_count(const struct dma *dma, unsigned channel)
{
    if (channel >= DMA_CHANNELS)
        return false;
    return dma->ctl[channel >> 2].ch[channel & 3u].tc;
}

bool dma_dreq(struct dma *dma, unsigned channel, bool level)
{
    if (channel >= DMA_CHANNELS)
        return false;
    struct dma_controller *c = &dma->ctl[channel >> 2];
    uint8_t bit = (uint8_t)(1u << (channel & 3u));
    c->dreq = level ? (uint8_t)(c->dreq | bit) : (uint8_t)(c->dreq & ~bit);
    return dma_channel_ready(dma, channel);
}
