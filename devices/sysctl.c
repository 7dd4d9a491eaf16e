/*
 * sysctl.c - System Control Port A, the PIIX3 Reset Control Register,
 * the POST code port and the Bochs shutdown port (see sysctl.h).
 *
 * Port A and the reset register follow the Intel 82371SB (PIIX3)
 * datasheet, "Port 92h" and "RC - Reset Control Register"; the shutdown
 * port follows Bochs's convention, which the benchmark guests use.
 */
#include "devices/sysctl.h"

#include <stdlib.h>

#include "devices/bus.h"

#define PORT_A_ALT_RST 0x01u /* 0->1: reset the CPU */
#define PORT_A_ALT_A20 0x02u /* fast A20 gate */

#define RCR_SYS_RST 0x02u  /* 1: hard reset, 0: soft reset (INIT) */
#define RCR_RST_CPU 0x04u  /* 0->1: perform the reset SYS_RST selects */
#define RCR_FULL_RST 0x08u /* stored (a power cycle on later chipsets) */
#define RCR_BITS (RCR_SYS_RST | RCR_RST_CPU | RCR_FULL_RST)

static const char sysctl_shutdown_word[] = "Shutdown";
#define SYSCTL_SHUTDOWN_LEN (sizeof(sysctl_shutdown_word) - 1)

struct sysctl {
    struct sysctl_config cfg;
    uint8_t port_a;
    uint8_t rcr;
    uint8_t post;
    unsigned shutdown_matched; /* bytes of "Shutdown" seen in sequence */
};

static void sysctl_request_reset(struct sysctl *sc)
{
    if (sc->cfg.reset != NULL)
        sc->cfg.reset(sc->cfg.opaque);
}

static uint32_t sysctl_port_a_read(void *opaque, uint16_t port, unsigned size)
{
    const struct sysctl *sc = opaque;
    (void)port, (void)size;
    return sc->port_a;
}

static void sysctl_port_a_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct sysctl *sc = opaque;
    (void)port, (void)size;
    uint8_t old = sc->port_a;
    sc->port_a = (uint8_t)value;
    if (((old ^ sc->port_a) & PORT_A_ALT_A20) && sc->cfg.a20 != NULL)
        sc->cfg.a20(sc->cfg.opaque, (sc->port_a & PORT_A_ALT_A20) != 0);
    /* Only a rising edge resets; the bit must be written back to 0
     * before it can reset again. */
    if (!(old & PORT_A_ALT_RST) && (sc->port_a & PORT_A_ALT_RST))
        sysctl_request_reset(sc);
}

uint32_t sysctl_rcr_io_read(void *sysctl, uint16_t port, unsigned size)
{
    const struct sysctl *sc = sysctl;
    (void)port, (void)size;
    return sc->rcr;
}

void sysctl_rcr_io_write(void *sysctl, uint16_t port, uint32_t value, unsigned size)
{
    struct sysctl *sc = sysctl;
    (void)port, (void)size;
    uint8_t old = sc->rcr;
    sc->rcr = (uint8_t)(value & RCR_BITS);
    /* PIIX3: the reset happens on RST_CPU's 0->1 transition; the kind
     * (SYS_RST) is latched with it.  Both kinds reset the machine here. */
    if (!(old & RCR_RST_CPU) && (sc->rcr & RCR_RST_CPU))
        sysctl_request_reset(sc);
}

static uint32_t sysctl_post_read(void *opaque, uint16_t port, unsigned size)
{
    const struct sysctl *sc = opaque;
    (void)port, (void)size;
    return sc->post;
}

static void sysctl_post_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct sysctl *sc = opaque;
    (void)port, (void)size;
    sc->post = (uint8_t)value;
    if (sc->cfg.log != NULL)
        fprintf(sc->cfg.log, "POST %02X\n", sc->post);
}

/* Bochs: the bytes "Shutdown" written in sequence power the machine off;
 * any other byte restarts the match (an 'S' restarts it at one). */
static void sysctl_shutdown_write(void *opaque, uint16_t port, uint32_t value, unsigned size)
{
    struct sysctl *sc = opaque;
    (void)port, (void)size;
    char c = (char)(value & 0xFF);
    if (c == sysctl_shutdown_word[sc->shutdown_matched])
        sc->shutdown_matched++;
    else
        sc->shutdown_matched = c == sysctl_shutdown_word[0] ? 1 : 0;
    if (sc->shutdown_matched == SYSCTL_SHUTDOWN_LEN) {
        sc->shutdown_matched = 0;
        if (sc->cfg.poweroff != NULL)
            sc->cfg.poweroff(sc->cfg.opaque);
    }
}

/* Claim one byte-wide port, unless it is 0 (absent). */
static bool sysctl_claim(struct bus *bus, uint16_t port, struct sysctl *sc, bus_read_fn *read,
                         bus_write_fn *write)
{
    return port == 0 || bus_register_io(bus, port, 1, BUS_W8, sc, read, write) == 0;
}

struct sysctl *sysctl_create(struct bus *bus, const struct sysctl_config *cfg)
{
    struct sysctl *sc = calloc(1, sizeof(*sc));
    if (sc == NULL)
        return NULL;
    sc->cfg = *cfg;
    if (!sysctl_claim(bus, cfg->port_a, sc, sysctl_port_a_read, sysctl_port_a_write) ||
        !sysctl_claim(bus, cfg->rcr, sc, sysctl_rcr_io_read, sysctl_rcr_io_write) ||
        !sysctl_claim(bus, cfg->post, sc, sysctl_post_read, sysctl_post_write) ||
        !sysctl_claim(bus, cfg->bochs_shutdown, sc, NULL, sysctl_shutdown_write)) {
        free(sc);
        return NULL;
    }
    return sc;
}

void sysctl_destroy(struct sysctl *sc)
{
    free(sc);
}

void sysctl_reset(struct sysctl *sc)
{
    bool a20_was_on = (sc->port_a & PORT_A_ALT_A20) != 0;
    sc->port_a = 0;
    sc->rcr = 0;
    sc->shutdown_matched = 0;
    if (a20_was_on && sc->cfg.a20 != NULL)
        sc->cfg.a20(sc->cfg.opaque, false);
}

bool sysctl_fast_a20(const struct sysctl *sc)
{
    return (sc->port_a & PORT_A_ALT_A20) != 0;
}

uint8_t sysctl_post_code(const struct sysctl *sc)
{
    return sc->post;
}
