#include "capture.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

struct capture {
    char *path;
    pcap_dumper_t *dumper; /* pcap */
    FILE *ng;              /* pcapng */
    gboolean failed;
};

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

capture *capture_open(const char *path, pcap_t *handle, const char *device, GError **error)
{
    capture *c = g_new0(capture, 1);
    c->path = g_strdup(path);
    if (g_str_has_suffix(path, ".pcapng")) {
        c->ng = fopen(path, "wb");
        if (c->ng && ng_header(c, pcap_datalink(handle), pcap_snapshot(handle), device))
            return c;
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot write %s: %s", path,
                    g_strerror(errno));
    } else {
        c->dumper = pcap_dump_open(handle, path);
        if (c->dumper)
            return c;
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot write %s: %s", path,
                    pcap_geterr(handle));
    }
    if (c->ng)
        fclose(c->ng);
    g_free(c->path);
    g_free(c);
    return NULL;
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
