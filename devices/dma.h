/*
 * dma.h - the PC/AT's pair of 8237A DMA controllers and their page
 * registers.
 *
 * DMA1 serves the 8-bit channels 0-3, DMA2 the 16-bit channels 4-7;
 * DMA1's bus request is cascaded into DMA2's channel 4, so channel 4
 * moves no data and masking it (or disabling DMA2) stops channels 0-3.
 * A channel's 24-bit physical address is its page register (A23-A16)
 * followed by its 16-bit address counter: the counter wraps inside its
 * 64 KiB page.  DMA2's counters count words: the address is shifted left
 * by one, page bit 0 is ignored, so a channel wraps inside a 128 KiB
 * block, and the count is in words.
 *
 * Devices (floppy, Sound Blaster) move data with dma_transfer(), which
 * honours the channel's mode (direction, auto-initialise, decrement),
 * updates the address and count registers and reports terminal count in
 * the status register as the chip does.  Memory is reached only through
 * the MMU's physical accessors, so a channel pointing outside RAM reads
 * all ones and its writes are dropped.
 */
#ifndef DEVICES_DMA_H
#define DEVICES_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bus;
struct mmu;
struct dma;

/* The PC/AT's ports: DMA1 at 00-0F, DMA2 at C0-DF (one register every
 * second port: the AT wires DMA2's A0-A3 to SA1-SA4, so odd ports alias
 * the even port below them), page registers at 81-8F (80 is the POST
 * port, not ours). */
#define DMA1_BASE 0x00u
#define DMA2_BASE 0xC0u
#define DMA_PAGE_BASE 0x81u

#define DMA_CHANNELS 8u

/**
 * Create the pair and claim its ports (byte-wide): 16 at dma1_base, 32 at
 * dma2_base and 15 page-register ports at page_base (page_base is the
 * port of channel 2's page register, 81h on the PC; the unused ports in
 * the block are read/write scratch registers, as on the AT).  The
 * controllers start in their RESET state.  NULL if a port is taken or out
 * of memory.
 */
struct dma *dma_create(struct bus *bus, struct mmu *mmu, uint16_t dma1_base, uint16_t dma2_base,
                       uint16_t page_base);
/** Free the pair (NULL-safe).  Its ports stay claimed on the bus. */
void dma_destroy(struct dma *dma);

/** Hardware RESET (a master clear of both controllers: every channel
 * masked, command/status/request/flip-flop clear, mode registers zero).
 * The page registers, undefined after RESET on real hardware, are zeroed
 * so runs stay deterministic. */
void dma_reset(struct dma *dma);

/**
 * Move up to `len` bytes between a device and memory on `channel` (0-7),
 * as the device's DREQ would make the chip do.  The channel's mode picks
 * the memory side: a write transfer stores bytes into memory, a read
 * transfer loads them, a verify transfer touches no memory.  `to_memory`
 * says which way the device's buffer goes (true: `buf` holds bytes for
 * memory; false: `buf` receives bytes from memory).  When it disagrees
 * with the mode the device neither drives nor latches the data bus:
 * memory is untouched, and a `buf` expecting data is filled with FFh.
 *
 * The transfer stops early at terminal count (after count + 1 bytes or
 * words): the TC status bit is set, the software request cleared, and
 * the channel either reloads its base address and count (auto-initialise)
 * or masks itself.  On 16-bit channels `len` is rounded down to whole
 * words.  Returns the number of bytes moved: 0 when the channel is
 * masked, in cascade mode, is channel 4, or its controller (or, for
 * channels 0-3, the cascade through channel 4) is disabled.
 */
size_t dma_transfer(struct dma *dma, unsigned channel, void *buf, size_t len, bool to_memory);

/** True when the last dma_transfer() on `channel` ended at terminal
 * count (the device sees EOP/TC and ends its command). */
bool dma_terminal_count(const struct dma *dma, unsigned channel);

/**
 * Drive the device's DREQ line for `channel` (shown in the status
 * register's request bits).  Returns true when the channel would serve a
 * request now (unmasked, not in cascade mode, controller and cascade
 * enabled), i.e. when dma_transfer() would move data.
 */
bool dma_dreq(struct dma *dma, unsigned channel, bool level);

#endif
