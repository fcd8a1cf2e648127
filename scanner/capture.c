#include "capture.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

struct capture {
    char *path;
    FILE *file;
    gboolean pcapng;
    gboolean append;       /* --append-output: after what the file holds */
    pcap_dumper_t *dumper; /* pcap, once started: it owns file then */
    FILE *ng;              /* pcapng, once started: file */
    FILE *records;         /* pcap appended to, once started: file, records only */
    gboolean failed;
};

/* libpcap's file header (pcap-savefile(5)), as pcap_dump_fopen() writes it:
 * host byte order, microsecond timestamps. */
enum { PCAP_MAGIC_USEC = 0xa1b2c3d4, PCAP_FILE_HEADER_LEN = 24, PCAP_LINKTYPE_AT = 20 };

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

capture *capture_create(const char *path, gboolean append, GError **error)
{
    /* "a+b": read the header back, write at the end whatever fseek() did. */
    FILE *f = fopen(path, append ? "a+b" : "wb");
    if (f == NULL) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot write %s: %s", path,
                    g_strerror(errno));
        return NULL;
    }
    capture *c = g_new0(capture, 1);
    c->path = g_strdup(path);
    c->file = f;
    c->pcapng = g_str_has_suffix(path, ".pcapng");
    c->append = append;
    return c;
}

/* Appending to a pcap file that holds something: its header must be one
 * libpcap wrote here (our byte order, microseconds) for the handle's link
 * type, since a pcap file has one link type; then only records follow. FALSE
 * and *error when the file is no such capture. */
static gboolean pcap_append_start(capture *c, int linktype, gboolean *empty, GError **error)
{
    guint8 head[PCAP_FILE_HEADER_LEN];
    if (fseek(c->file, 0, SEEK_SET) != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot read %s: %s", c->path,
                    g_strerror(errno));
        return FALSE;
    }
    size_t n = fread(head, 1, sizeof head, c->file);
    *empty = n == 0;
    if (*empty)
        return TRUE;
    guint32 magic, file_linktype;
    memcpy(&magic, head, 4);
    memcpy(&file_linktype, head + PCAP_LINKTYPE_AT, 4);
    if (n < sizeof head || magic != PCAP_MAGIC_USEC) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "cannot append to %s: it is not a pcap file scantrace wrote", c->path);
        return FALSE;
    }
    if ((int)(file_linktype & 0x0fffffff) != linktype) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "cannot append to %s: its link type is %s, this scan's %s (a pcap file "
                    "has one; give a .pcapng file, which takes several)",
                    c->path, pcap_datalink_val_to_name((int)(file_linktype & 0x0fffffff)),
                    pcap_datalink_val_to_name(linktype));
        return FALSE;
    }
    c->records = c->file;
    return TRUE;
}

gboolean capture_started(const capture *c)
{
    return c->dumper || c->ng || c->records;
}

gboolean capture_start(capture *c, pcap_t *handle, const char *device, GError **error)
{
    g_assert(!capture_started(c));
    gboolean ok;
    gboolean empty = TRUE;
    if (c->append && !c->pcapng) {
        if (!pcap_append_start(c, pcap_datalink(handle), &empty, error))
            return FALSE;
        if (!empty)
            return TRUE;
    }
    if (c->pcapng) {
        /* Appended, a section of its own: pcapng files hold any number. */
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
    if (c->records) {
        /* pcap's record header: seconds, microseconds, lengths, host order. */
        guint32 head[4] = {(guint32)h->ts.tv_sec, (guint32)h->ts.tv_usec, h->caplen, h->len};
        if (fwrite(head, sizeof head, 1, c->records) != 1 ||
            (h->caplen && fwrite(frame, h->caplen, 1, c->records) != 1))
            c->failed = TRUE;
        return;
    }
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
        /* Appended to, it is whole as it is (or refused: left as it was). */
        pcap_t *dead = pcap_open_dead(DLT_EN10MB, DEFAULT_SNAPLEN);
        ok = dead && capture_start(c, dead, NULL, NULL);
        if (dead)
            pcap_close(dead);
        if (!capture_started(c)) {
            fclose(c->file);
            ok = ok || (c->append && !c->pcapng);
        }
    }
    if (c->dumper) {
        ok = pcap_dump_flush(c->dumper) == 0;
        pcap_dump_close(c->dumper);
    } else if (c->ng || c->records) {
        FILE *f = c->ng ? c->ng : c->records;
        ok = !c->failed && fflush(f) == 0;
        ok = fclose(f) == 0 && ok;
    }
    if (!ok)
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "error writing %s", c->path);
    g_free(c->path);
    g_free(c);
    return ok;
}
