#include "data_length.h"

#include <string.h>

#include "nmap_data.h"

#define RUNS_PER_SOURCE 4

typedef struct payload {
    size_t len, captured; /* the stated length, the bytes kept */
    uint8_t head[DATA_LENGTH_HEAD];
} payload;

typedef struct source_runs {
    packet_addr src;
    unsigned count;
    payload run[RUNS_PER_SOURCE];
    uint32_t frame[RUNS_PER_SOURCE];
} source_runs;

typedef struct candidate {
    uint32_t key;     /* key_of(): compared first, so that most slots cost one comparison */
    packet_flow flow; /* proto 0: free */
    uint32_t frame;
    payload bytes;
} candidate;

/* A datagram's sender, its port, and where it went; used: a slot is taken. */
typedef struct sent {
    packet_addr src, dst;
    uint16_t sport;
    bool used;
} sent;

struct data_length {
    GHashTable *known; /* packet_addr -> source_runs */
    candidate kept[DATA_LENGTH_CANDIDATES];
    unsigned next;
    sent sent[DATA_LENGTH_SENT]; /* direct-mapped by sent_slot() */
};

static guint addr_hash(gconstpointer key)
{
    return packet_addr_hash(key);
}

static gboolean addr_equal(gconstpointer a, gconstpointer b)
{
    return packet_addr_equal(a, b);
}

data_length *data_length_new(void)
{
    data_length *d = g_new0(data_length, 1);
    d->known = g_hash_table_new_full(addr_hash, addr_equal, NULL, g_free);
    return d;
}

void data_length_free(data_length *d)
{
    if (!d)
        return;
    g_hash_table_destroy(d->known);
    g_free(d);
}

/* A UDP datagram's stated payload length; any other packet's captured one. */
static payload payload_of(const packet_view *pkt)
{
    payload p = {0};
    p.len = pkt->flow.proto == PACKET_UDP ? pkt->udp_stated_len : pkt->payload_len;
    p.captured = pkt->payload_len < DATA_LENGTH_HEAD ? pkt->payload_len : DATA_LENGTH_HEAD;
    if (pkt->payload)
        memcpy(p.head, pkt->payload, p.captured);
    else
        p.captured = 0;
    return p;
}

/* The source and stated length, and the first bytes, hashed: equal for the
 * same bytes from the same source (a cut payload keeps fewer than 4 bytes
 * rarely: nmap_data_random() wants 4). */
static uint32_t key_of(const packet_addr *src, const payload *p)
{
    uint32_t h = packet_addr_hash(src) ^ (uint32_t)p->len * 0x9e3779b1u;
    for (size_t i = 0; i < NMAP_DATA_MIN && i < p->captured; i++)
        h = (h ^ p->head[i]) * 0x01000193u;
    return h;
}

static bool same(const payload *a, const payload *b)
{
    return nmap_data_same(a->head, a->captured, a->len, b->head, b->captured, b->len);
}

void data_length_learn(data_length *d, const packet_view *pkt, uint32_t frame)
{
    payload p = payload_of(pkt);
    if (p.captured == 0)
        return;
    source_runs *s = g_hash_table_lookup(d->known, &pkt->flow.src);
    if (!s) {
        s = g_new0(source_runs, 1);
        s->src = pkt->flow.src;
        g_hash_table_insert(d->known, &s->src, s);
    }
    unsigned n = s->count < RUNS_PER_SOURCE ? s->count : RUNS_PER_SOURCE;
    for (unsigned i = 0; i < n; i++)
        if (same(&s->run[i], &p))
            return;
    unsigned slot = s->count++ % RUNS_PER_SOURCE;
    s->run[slot] = p;
    s->frame[slot] = frame;
}

uint32_t data_length_known(const data_length *d, const packet_view *pkt)
{
    const source_runs *s = g_hash_table_lookup(d->known, &pkt->flow.src);
    if (!s)
        return 0;
    payload p = payload_of(pkt);
    unsigned n = s->count < RUNS_PER_SOURCE ? s->count : RUNS_PER_SOURCE;
    for (unsigned i = 0; i < n; i++)
        if (same(&s->run[i], &p))
            return s->frame[i];
    return 0;
}

GArray *data_length_candidate(data_length *d, const packet_view *pkt, uint32_t frame)
{
    payload p = payload_of(pkt);
    uint32_t key = key_of(&pkt->flow.src, &p);
    GArray *frames = NULL;
    bool elsewhere = false;
    /* The oldest first: kept[next] is the oldest slot. */
    for (unsigned k = 0; k < DATA_LENGTH_CANDIDATES; k++) {
        const candidate *c = &d->kept[(d->next + k) % DATA_LENGTH_CANDIDATES];
        if (c->key != key || c->flow.proto != pkt->flow.proto ||
            !packet_addr_equal(&c->flow.src, &pkt->flow.src) || !same(&c->bytes, &p))
            continue;
        if (!frames)
            frames = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        g_array_append_val(frames, c->frame);
        elsewhere = elsewhere || c->flow.dport != pkt->flow.dport ||
                    !packet_addr_equal(&c->flow.dst, &pkt->flow.dst);
    }
    if (elsewhere) {
        g_array_append_val(frames, frame);
        return frames;
    }
    if (frames)
        g_array_unref(frames);
    d->kept[d->next] = (candidate){.key = key, .flow = pkt->flow, .frame = frame, .bytes = p};
    d->next = (d->next + 1) % DATA_LENGTH_CANDIDATES;
    return NULL;
}

static unsigned sent_slot(const packet_addr *src, uint16_t sport, const packet_addr *dst)
{
    uint32_t h = packet_addr_hash(src) * 0x9e3779b1u ^ packet_addr_hash(dst) ^ sport * 0x01000193u;
    return (h ^ h >> 16) & (DATA_LENGTH_SENT - 1);
}

void data_length_note_sent(data_length *d, const packet_view *pkt)
{
    if (pkt->flow.proto != PACKET_UDP || pkt->has_quote)
        return;
    d->sent[sent_slot(&pkt->flow.src, pkt->flow.sport, &pkt->flow.dst)] =
        (sent){.src = pkt->flow.src, .dst = pkt->flow.dst, .sport = pkt->flow.sport, .used = true};
}

bool data_length_answers(const data_length *d, const packet_view *pkt)
{
    const sent *s = &d->sent[sent_slot(&pkt->flow.dst, pkt->flow.dport, &pkt->flow.src)];
    return s->used && s->sport == pkt->flow.dport && packet_addr_equal(&s->src, &pkt->flow.dst) &&
           packet_addr_equal(&s->dst, &pkt->flow.src);
}
