#include "capture.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

struct capture {
    char *path;
    FILE *file;
    gboolean pcapng;
    pcap_dumper_t *dumper; /* pcap, once started: it owns file then */
    FILE *ng;              /* pcapng, once started: file */
    gboolean failed;
};

/* What a capture never started says it holds; our receive handles' length. */
enum { DEFAULT_SNAPLEN = 2048 };

enum {
    NG_SHB = 0x0A0D0D0A,
    NG_IDB = 0x00000001,
    NG_EPB = 0x00000006,
    NG_BYTE_ORDER_MAGIC = 0x1A2B3C4D,
    NG_OPT_END = 0,
    NG_SHB_USERAPPL = 4,
    NG_IF_NAME = 2,
};

static void put32(GByteArray *b, guint32 v)
{
    g_byte_array_append(b, (const guint8 *)&v, 4);
}

static void put16(GByteArray *b, guint16 v)
{
    g_byte_array_append(b, (const guint8 *)&v, 2);
}

static void pad4(GByteArray *b)
{
    static const guint8 zero[4] = {0};
    g_byte_array_append(b, zero, (4 - b->len % 4) % 4);
}

static void put_option(GByteArray *b, guint16 code, const char *text)
{
    put16(b, code);
    put16(b, (guint16)strlen(text));
    g_byte_array_append(b, (const guint8 *)text, (guint)strlen(text));
    pad4(b);
}

/* Completes a block whose type and placeholder length open b: both length
 * fields must hold the whole block's size. */
static gboolean write_block(capture *c, GByteArray *b)
{
    put32(b, 0);
    guint32 len = b->len;
    memcpy(b->data + 4, &len, 4);
    memcpy(b->data + len - 4, &len, 4);
    if (fwrite(b->data, 1, len, c->ng) != len)
        c->failed = TRUE;
    g_byte_array_set_size(b, 0);
    return !c->failed;
}

static gboolean ng_header(capture *c, int linktype, int snaplen, const char *device)
{
    g_autoptr(GByteArray) b = g_byte_array_new();
    put32(b, NG_SHB);
    put32(b, 0);
    put32(b, NG_BYTE_ORDER_MAGIC);
    put16(b, 1);
    put16(b, 0);
    put32(b, 0xffffffff); /* section length unknown */
    put32(b, 0xffffffff);
    put_option(b, NG_SHB_USERAPPL, "scantrace " SCANTRACE_VERSION);
    put32(b, NG_OPT_END);
    if (!write_block(c, b))
        return FALSE;
    put32(b, NG_IDB);
    put32(b, 0);
    put16(b, (guint16)linktype);
    put16(b, 0);
    put32(b, (guint32)snaplen);
    if (device)
        put_option(b, NG_IF_NAME, device);
    put32(b, NG_OPT_END);
    return write_block(c, b);
}

capture *capture_create(const char *path, GError **error)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot write %s: %s", path,
                    g_strerror(errno));
        return NULL;
    }
    capture *c = g_new0(capture, 1);
    c->path = g_strdup(path);
    c->file = f;
    c->pcapng = g_str_has_suffix(path, ".pcapng");
    return c;
}

gboolean capture_started(const capture *c)
{
    return c->dumper || c->ng;
}

gboolean capture_start(capture *c, pcap_t *handle, const char *device, GError **error)
{
    g_assert(!capture_started(c));
    gboolean ok;
    if (c->pcapng) {
        c->ng = c->file;
        ok = ng_header(c, pcap_datalink(handle), pcap_snapshot(handle), device);
    } else {
        c->dumper = pcap_dump_fopen(handle, c->file);
        ok = c->dumper != NULL;
    }
    if (!ok)
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot write %s: %s", c->path,
                    c->pcapng ? g_strerror(errno) : pcap_geterr(handle));
    return ok;
}

void capture_write(capture *c, const struct pcap_pkthdr *h, const u_char *frame)
{
    if (c->dumper) {
        pcap_dump((u_char *)c->dumper, h, frame);
        return;
    }
    if (c->failed)
        return;
    /* Microsecond timestamps: the interface block leaves if_tsresol at its
     * default, 10^-6. */
    static const guint8 zero[4] = {0};
    guint64 ts = (guint64)h->ts.tv_sec * 1000000u + (guint64)h->ts.tv_usec;
    guint32 pad = (4 - h->caplen % 4) % 4;
    guint32 total = 28 + h->caplen + pad + 4;
    guint32 head[7] = {NG_EPB, total, 0, (guint32)(ts >> 32), (guint32)ts, h->caplen, h->len};
    if (fwrite(head, sizeof head, 1, c->ng) != 1 ||
        (h->caplen && fwrite(frame, h->caplen, 1, c->ng) != 1) ||
        (pad && fwrite(zero, pad, 1, c->ng) != 1) || fwrite(&total, 4, 1, c->ng) != 1)
        c->failed = TRUE;
}

gboolean capture_close(capture *c, GError **error)
{
    if (c == NULL)
        return TRUE;
    gboolean ok = TRUE;
    if (!capture_started(c)) {
        pcap_t *dead = pcap_open_dead(DLT_EN10MB, DEFAULT_SNAPLEN);
        ok = dead && capture_start(c, dead, NULL, NULL);
        if (dead)
            pcap_close(dead);
        if (!ok && c->dumper == NULL && c->ng == NULL)
            fclose(c->file);
    }
    if (c->dumper) {
        ok = pcap_dump_flush(c->dumper) == 0;
        pcap_dump_close(c->dumper);
    } else if (c->ng) {
        ok = !c->failed && fflush(c->ng) == 0;
        ok = fclose(c->ng) == 0 && ok;
    }
    if (!ok)
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "error writing %s", c->path);
    g_free(c->path);
    g_free(c);
    return ok;
}
