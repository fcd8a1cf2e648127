/* The IP protocol scan (-sO) and ping (-PO) in the first pass's state
 * (scan_state.c keeps the rest): scantrace's probes without a tag, tied to
 * their scan by a tagged one; nmap's probes of TCP, UDP, ICMP and SCTP, which
 * look like its other scans' until the scan shows itself; and protocol 1's
 * words, as nmap's receive loop gives them (common/proto_icmp_hack.h). */
#include "proto_scan_state.h"

#include <string.h>

#include <epan/wmem_scopes.h>

#include "cookie.h"
#include "proto_icmp_hack.h"
#include "scan_state_internal.h"
#include "tag.h"

/* -sO: our probes of most protocols carry no tag (nmap's bare headers, its
 * IGMP query, the SCTP INIT), only their cookie in the IP ID or flow label.
 * The scan id comes from the scan's tagged probes (TCP, UDP, echo) to the same
 * target: proto_scans maps (scanner, target) to it. Untagged ones seen before
 * any tagged one wait in pending_bare (the last PENDING_BARE_MAX) until a
 * tagged one names the scan. */
typedef struct proto_scan_key {
    packet_addr scanner, target;
} proto_scan_key;
static wmem_map_t *proto_scans; /* proto_scan_key -> uint32_t scan id */
/* nmap's -sO and -PO probes that look like other scans' (the section "nmap's -sO
 * and -PO, whatever probe came first" below). */
#define PROTO_LOOKBACK 2.0 /* seconds from a candidate to what shows its scan */
#define PROTO_KEPT_MAX 64  /* replies to candidates kept */
/* nmap sends a burst of probes before it reads any answer (scan_engine.cc,
 * ultra_scan(): doAnyNewProbes() sends while its congestion window has room,
 * then waitForResponses() reads until every probe out is answered, or 2 ms
 * pass with nothing): the end of a receive loop is read after every probe of
 * its burst, those after it in the capture's order too. The window holds 10
 * probes at first (timing.cc, group_initial_cwnd) and grows with each answer
 * (20, 40, ...), so the plugin takes a burst to end where, after at least 10
 * probes, the next comes PROTO_BURST_GAP or more after the last one: nmap
 * stopped to read (in the lab a burst's probes leave 5-20 us apart, the next
 * burst's first 40 us or more after them, 2 ms after a probe left
 * unanswered). A scanner silent for PROTO_LOOKBACK starts a new scan
 * (proto_burst_probe()). A window nmap shrank below 10 after losses makes two
 * bursts one here. */
#define PROTO_BURST_GAP  30e-6 /* seconds */
#define PROTO_CWND_FIRST 10
typedef struct proto_burst {
    unsigned no;   /* the burst, counted from 1 */
    unsigned sent; /* its probes so far */
    nstime_t last; /* the scanner's latest probe */
} proto_burst;
static wmem_map_t *proto_bursts; /* proto_burst, by scanner address */

enum { CAND_TCP, CAND_UDP, CAND_ICMP, CAND_SCTP, CAND_KINDS };

typedef struct nmap_proto_pair {
    packet_flow hosts; /* scanner and target, ports 0 */
    bool known;        /* its -sO or -PO probes seen: later probes of those shapes are its */
    port_record *cand[CAND_KINDS];
    nstime_t cand_when[CAND_KINDS];
    uint16_t cand_sport[CAND_KINDS];
    /* IPv4: the first end of nmap's receive loop in a burst that named this
     * host while its ICMP probe was not yet out (proto_icmp_burst()), with
     * its words and burst (proto_burst.no); 0: none. */
    uint32_t settle_frame;
    nstime_t settle_when;
    uint8_t settle_why, settle_ttl;
    unsigned settle_burst;
    /* IPv4: the words nmap's receive loop gives the ICMP protocol while the
     * echo that is its probe is still a candidate (cand[CAND_ICMP]): its
     * judged, judged_in, judged_ttl, icmp_unsettled and worded_in, which the
     * -sO record takes should the candidate become its (proto_convert()). */
    port_record icmp_words;
} nmap_proto_pair;
static wmem_map_t *nmap_proto_pairs; /* nmap_proto_pair, by its hosts */

typedef struct proto_kept_reply {
    uint32_t frame; /* 0: free */
    nstime_t when;
    packet_view pkt; /* without its pointers into the frame's bytes */
    const port_record *port;
} proto_kept_reply;
static proto_kept_reply proto_kept[PROTO_KEPT_MAX];
static unsigned proto_kept_next;

#define PENDING_BARE_MAX 512
typedef struct pending_bare {
    uint32_t frame; /* 0: free */
    nstime_t when;
    packet_flow flow;
    uint32_t cookie; /* the IP ID, or the flow label's low 16 bits */
    bool has_cookie; /* IPv6: the label carries the mark */
} pending_bare;
static pending_bare pending_bares[PENDING_BARE_MAX];
static unsigned pending_bare_next;
/* nmap words the ICMP protocol of an IPv4 -sO scan by the packet after the
 * ICMP message that made it open (proto_icmp_reason): that port, and until
 * when the next reply judged for the same scan rewords it. */
static proto_icmp_hack icmp_hack;

static guint proto_scan_hash(gconstpointer key)
{
    const proto_scan_key *k = key;
    return mix(packet_addr_hash(&k->scanner), packet_addr_hash(&k->target));
}

static gboolean proto_scan_equal(gconstpointer a, gconstpointer b)
{
    const proto_scan_key *x = a, *y = b;
    return packet_addr_equal(&x->scanner, &y->scanner) && packet_addr_equal(&x->target, &y->target);
}

void proto_scan_state_register(void)
{
    proto_scans = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), proto_scan_hash,
                                         proto_scan_equal);
    nmap_proto_pairs =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), flow_hash, flow_equal);
    proto_bursts =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), addr_hash, addr_equal);
}

void proto_scan_state_init(void)
{
    memset(pending_bares, 0, sizeof pending_bares);
    pending_bare_next = 0;
    memset(proto_kept, 0, sizeof proto_kept);
    proto_kept_next = 0;
    memset(&icmp_hack, 0, sizeof icmp_hack);
}

void proto_scan_state_cleanup(void)
{
    memset(&icmp_hack, 0, sizeof icmp_hack);
}

/* --- nmap's -sO and -PO, whatever probe came first -------------------------
 * nmap's IP protocol scan (-sO) and ping (-PO) send TCP, UDP, the family's ICMP
 * and SCTP as its -sA, -sU, -PE and -sY probes, byte for byte
 * (scan_engine_raw.cc, build_protoscan_packet): an ACK alone to port 80, an
 * empty datagram to 40125, an echo request without data, an INIT to port 80,
 * all from the run's one source port. What shows the scan is a probe no other
 * of nmap's sends (an IGMP query, a bare IP header: fingerprint.c), or a TCP
 * and a UDP or SCTP probe of those shapes from one source port to the same
 * target (its -sA and -sU runs draw source ports 256 apart). Probes of those
 * shapes sent before that (nmap -r sends protocol 1's echo first) are kept as
 * candidates, with their replies, and made the scan's once it shows itself:
 * their flows move to the scan's port record and their replies are judged
 * again by its rules (proto_convert()). */
static nmap_proto_pair *proto_pair(const packet_flow *flow, bool make)
{
    packet_flow hosts = host_pair(flow);
    hosts.proto = 0;
    nmap_proto_pair *pair = wmem_map_lookup(nmap_proto_pairs, &hosts);
    if (!pair && make) {
        pair = wmem_new0(wmem_file_scope(), nmap_proto_pair);
        pair->hosts = hosts;
        wmem_map_insert(nmap_proto_pairs, &pair->hosts, pair);
    }
    return pair;
}

/* Which of -sO's probes of a protocol with a header nmap builds pkt's shape
 * is (CAND_*), -1 if none: an ACK alone to port 80 (no option, no data), an
 * empty datagram to 40125, an echo request without data, an INIT to port 80;
 * no DF. */
static int nmap_proto_shape(const packet_view *pkt)
{
    if (pkt->df || pkt->has_quote)
        return -1;
    bool v4 = packet_addr_is_ipv4(&pkt->flow.src);
    packet_flow want =
        proto_probe_flow(&pkt->flow.src, &pkt->flow.dst, pkt->flow.proto, pkt->flow.sport, 0, 0);
    switch (pkt->flow.proto) {
    case PACKET_TCP:
        return pkt->tcp_flags == TCP_ACK && pkt->tcp_header_len == 20 && pkt->payload_len == 0 &&
                       want.dport == pkt->flow.dport
                   ? CAND_TCP
                   : -1;
    case PACKET_UDP:
        return pkt->payload_len == 0 && want.dport == pkt->flow.dport ? CAND_UDP : -1;
    case PACKET_SCTP:
        return pkt->sctp_has_chunk && pkt->sctp_chunk_type == SCTP_CHUNK_INIT &&
                       want.dport == pkt->flow.dport
                   ? CAND_SCTP
                   : -1;
    default:
        return pkt->flow.proto == (v4 ? PACKET_ICMP : PACKET_ICMPV6) &&
                       pkt->icmp_type == (v4 ? ICMP_ECHO : ICMPV6_ECHO) && pkt->payload_len == 0
                   ? CAND_ICMP
                   : -1;
    }
}

/* Makes fp the -sO probe of pkt's protocol; why: what showed the scan. */
static void nmap_proto_as(const packet_view *pkt, fingerprint *fp, const char *why)
{
    fp->tool = "nmap";
    fp->type = &scan_proto;
    fp->may_be_discovery = false;
    fp->has_run_word = false;
    g_snprintf(fp->evidence, sizeof fp->evidence,
               "protocol %u's probe of nmap -sO or -PO (no DF, TTL %u), %s: nmap -sO",
               pkt->flow.proto, pkt->ttl, why);
}

/* nmap's -sO probe of TCP, UDP, the family's ICMP or SCTP, once its scan of
 * the target is known. */
bool nmap_proto_probe(const packet_view *pkt, fingerprint *fp)
{
    /* Every untagged packet asks: the cheap tests first. */
    if (pkt->df || pkt->has_quote)
        return false;
    const nmap_proto_pair *pair = proto_pair(&pkt->flow, false);
    if (!pair || !pair->known || nmap_proto_shape(pkt) < 0)
        return false;
    nmap_proto_as(pkt, fp, "whose scan of this host began before");
    return true;
}

/* A reply to a candidate, kept to be judged again should it become -sO's. */
void proto_keep_reply(uint32_t frame, const nstime_t *when, const packet_view *pkt,
                      const port_record *port)
{
    proto_kept_reply *k = &proto_kept[proto_kept_next++ % PROTO_KEPT_MAX];
    k->frame = frame;
    k->when = *when;
    k->pkt = *pkt;
    k->pkt.tcp_options = k->pkt.payload = k->pkt.quote_payload = NULL;
    k->pkt.tcp_options_len = k->pkt.payload_len = k->pkt.quote_payload_len = 0;
    k->port = port;
}

/* The burst state of scanner's nmap probes; NULL if none seen (make: made). */
static proto_burst *proto_burst_of(const packet_addr *scanner, bool make)
{
    proto_burst *b = wmem_map_lookup(proto_bursts, scanner);
    if (!b && make) {
        b = wmem_new0(wmem_file_scope(), proto_burst);
        wmem_map_insert(proto_bursts, wmem_memdup(wmem_file_scope(), scanner, sizeof *scanner), b);
    }
    return b;
}

/* An nmap probe of -sO's (or of a candidate's shape) from scanner at when:
 * counted in its burst, or the first of the next (PROTO_BURST_GAP above). */
static void proto_burst_probe(const packet_addr *scanner, const nstime_t *when)
{
    proto_burst *b = proto_burst_of(scanner, true);
    double gap = seconds(when) - seconds(&b->last);
    if (!b->no || gap > PROTO_LOOKBACK || (gap >= PROTO_BURST_GAP && b->sent >= PROTO_CWND_FIRST)) {
        b->no++;
        b->sent = 0;
    }
    b->sent++;
    b->last = *when;
}

/* The burst an answer to scanner read now belongs to: 0 if none. */
static unsigned proto_burst_now(const packet_addr *scanner)
{
    const proto_burst *b = proto_burst_of(scanner, false);
    return b ? b->no : 0;
}

/* IPv4 (get_pcap_result, "protoscanicmphack"): nmap's receive loop ended at
 * frame (when) with st's words for a host whose ICMP probe was not yet out in
 * the capture's order; port: the untagged record the frame was tied to. Kept,
 * the first of a burst: should the probe follow in the same burst
 * (proto_icmp_burst()), nmap sent it before it read the frame, and words
 * protocol 1 by it. */
static void proto_icmp_settle_early(uint32_t frame, const nstime_t *when, const port_record *port,
                                    const proto_icmp_settle *st)
{
    if (!port->untagged)
        return;
    packet_flow hosts = {.src = port->scanner, .dst = st->host};
    nmap_proto_pair *pair = proto_pair(&hosts, true);
    unsigned burst = proto_burst_now(&port->scanner);
    if (pair->settle_frame && pair->settle_burst == burst)
        return;
    pair->settle_frame = frame;
    pair->settle_when = *when;
    pair->settle_why = (uint8_t)st->why;
    pair->settle_ttl = st->ttl;
    pair->settle_burst = burst;
}

/* The scan's ICMP probe (probe, IPv4), first sent at when: the end of a
 * receive loop kept (proto_icmp_settle_early()) from just before, in the same
 * burst, words icmp (probe's -sO record, or its pair's icmp_words while it is
 * a candidate). Whatever was kept is forgotten: the probe is out now. */
static void proto_icmp_burst(const nstime_t *when, const port_record *probe, port_record *icmp)
{
    packet_flow hosts = {.src = probe->scanner, .dst = probe->target};
    nmap_proto_pair *pair = proto_pair(&hosts, false);
    if (!pair || !pair->settle_frame || !packet_addr_is_ipv4(&probe->target))
        return;
    uint32_t frame = pair->settle_frame;
    pair->settle_frame = 0;
    if (icmp->judged_in || seconds(when) < seconds(&pair->settle_when) ||
        pair->settle_burst != proto_burst_now(&probe->scanner))
        return;
    icmp->judged = (verdict){PORT_OPEN, (reason)pair->settle_why};
    icmp->judged_in = frame;
    icmp->judged_ttl = pair->settle_ttl;
}

/* The candidate's flows (with their probes and replies) move to the -sO
 * record of its protocol, and the host's runs count it as the scan's: that
 * record. */
static port_record *proto_move(port_record *cand)
{
    packet_flow flow = {.src = cand->scanner, .dst = cand->target, .proto = cand->proto};
    bool fresh;
    port_record *q;
    {
        port_record wanted = port_wanted(&scan_proto, 0, &cand->scanner, false, &cand->target,
                                         SCAN_STATE_PROTO_IP, cand->proto);
        fresh = port_find(&wanted) == NULL;
        q = port_get(&scan_proto, 0, &cand->scanner, false, &flow);
    }
    q->untagged = true;
    /* Its probes' evidence says what they turned out to be; then their flows
     * (which their replies share) move. */
    uint32_t end = scan_state_frames_end();
    for (uint32_t f = cand->first_probe; f && f < end; f++) {
        frame_result *res = scan_state_frame(f);
        if (res && res->flow->port == cand && res->role == ROLE_PROBE)
            res->evidence = wmem_strdup_printf(
                wmem_file_scope(),
                "%s; but its scan of the host showed itself after: protocol %u's probe of nmap -sO",
                res->evidence ? res->evidence : "", cand->proto);
    }
    for (uint32_t f = cand->first_probe; f && f < end; f++) {
        frame_result *res = scan_state_frame(f);
        if (res && res->flow->port == cand)
            res->flow->port = q;
    }
    if (!q->first_probe || (cand->first_probe && cand->first_probe < q->first_probe))
        q->first_probe = cand->first_probe;
    q->last_probe = MAX(q->last_probe, cand->last_probe);
    q->tries += cand->tries;
    q->probes += cand->probes;
    q->responses += cand->responses;
    q->rtt_samples += cand->rtt_samples;
    nstime_add(&q->rtt_total, &cand->rtt_total);
    q->bad_checksum |= cand->bad_checksum;
    scan_state_port_retyped(cand, q, fresh);
    return q;
}

/* A kept reply to a candidate now -sO's, judged again by nmap's -sO and -PO
 * rules, as add_tied_reply() would have judged it. */
static void proto_rejudge(proto_kept_reply *k)
{
    frame_result *res = scan_state_frame(k->frame);
    if (!res || res->flow->port->type != &scan_proto)
        return;
    port_record *q = res->flow->port;
    verdict said;
    bool says = scan_proto.judge(&k->pkt, &said);
    if (res->role == ROLE_RESPONSE || res->role == ROLE_IGNORED) {
        res->says = says;
        res->own = says ? said : (verdict){0};
        res->role = says ? ROLE_RESPONSE : ROLE_IGNORED;
    }
    if (says && !q->judged_in) {
        q->judged = said;
        q->judged_in = k->frame;
        q->judged_ttl = k->pkt.ttl;
    }
    verdict ping;
    if (!q->ping_state && ping_proto.judge(&k->pkt, &ping)) {
        q->ping_state = (uint8_t)ping.state;
        q->ping_reason = (uint8_t)ping.why;
    }
    /* nmap's receive loop read it in the capture's order, as the candidate's
     * (proto_icmp_after()): its words are the pair's icmp_words. */
}

/* Whether candidate a moves before b (cand_move_order()). */
static bool cand_moves_first(const port_record *a, const port_record *b)
{
    if (!a || !b)
        return a != NULL;
    if (a->type->discovery != b->type->discovery)
        return !a->type->discovery;
    return a->first_probe < b->first_probe;
}

/* order: the pair's candidate kinds in the order they move to the -sO scan.
 * The host's first run (scan_state.c, host_probes) may be one of them, the
 * earliest port probe (the SCTP INIT when it went out first): it moves first,
 * so that the rest join the scan's run instead of counting as ports probed
 * after that candidate's run, which would read -sO of five protocols over two
 * hosts as a -PO sweep of four. Discovery probes (the echo) move last. */
static void cand_move_order(const nmap_proto_pair *pair, int order[CAND_KINDS])
{
    for (int k = 0; k < CAND_KINDS; k++) {
        int i = k;
        for (; i > 0 && cand_moves_first(pair->cand[k], pair->cand[order[i - 1]]); i--)
            order[i] = order[i - 1];
        order[i] = k;
    }
}

/* The pair's scan showed itself: its candidates sent within PROTO_LOOKBACK
 * become its probes, and their replies are judged again in the order seen;
 * the ICMP protocol takes the words nmap's receive loop gave its echo
 * meanwhile (icmp_words). */
static void proto_convert(nmap_proto_pair *pair, const nstime_t *now)
{
    pair->known = true;
    const port_record *moved[CAND_KINDS] = {NULL};
    port_record *icmp = NULL;
    int order[CAND_KINDS];
    cand_move_order(pair, order);
    for (int i = 0; i < CAND_KINDS; i++) {
        int k = order[i];
        port_record *cand = pair->cand[k];
        pair->cand[k] = NULL;
        if (!cand || !cand->proto_candidate)
            continue;
        cand->proto_candidate = false;
        if (seconds(now) - seconds(&pair->cand_when[k]) > PROTO_LOOKBACK)
            continue;
        port_record *q = proto_move(cand);
        if (k == CAND_ICMP)
            icmp = q;
        moved[k] = cand;
    }
    for (unsigned n = 0; n < PROTO_KEPT_MAX; n++) {
        proto_kept_reply *k = &proto_kept[(proto_kept_next + n) % PROTO_KEPT_MAX];
        for (int c = 0; k->frame && c < CAND_KINDS; c++)
            if (moved[c] && k->port == moved[c]) {
                k->port = NULL;
                proto_rejudge(k);
            }
    }
    const port_record *w = &pair->icmp_words;
    if (icmp && w->judged_in && packet_addr_is_ipv4(&icmp->target)) {
        icmp->judged = w->judged;
        icmp->judged_in = w->judged_in;
        icmp->judged_ttl = w->judged_ttl;
        icmp->icmp_unsettled = w->icmp_unsettled;
        icmp->worded_in = w->worded_in;
    }
    memset(&pair->icmp_words, 0, sizeof pair->icmp_words);
}

/* Forgets the pair's candidates: nmap's default host discovery (an echo, a
 * SYN to 443, an ACK to 80, a timestamp request) sent them. */
void proto_candidates_drop(const packet_flow *flow)
{
    nmap_proto_pair *pair = proto_pair(flow, false);
    if (!pair)
        return;
    for (int k = 0; k < CAND_KINDS; k++) {
        if (pair->cand[k])
            pair->cand[k]->proto_candidate = false;
        pair->cand[k] = NULL;
    }
    memset(&pair->icmp_words, 0, sizeof pair->icmp_words);
}

/* Before an nmap probe of one of -sO's shapes is recorded: a TCP probe and a
 * UDP or SCTP one of those shapes from one source port to the target show the
 * scan (the candidates become its probes, and so does this one: fp). */
void proto_paired(const packet_view *pkt, const nstime_t *when, fingerprint *fp)
{
    int kind = nmap_proto_shape(pkt);
    if (kind < 0 || kind == CAND_ICMP || strcmp(fp->tool, "nmap") != 0)
        return;
    nmap_proto_pair *pair = proto_pair(&pkt->flow, false);
    if (!pair || pair->known)
        return;
    for (int k = 0; k < CAND_KINDS; k++) {
        if (k == kind || k == CAND_ICMP || !pair->cand[k] ||
            pair->cand_sport[k] != pkt->flow.sport ||
            seconds(when) - seconds(&pair->cand_when[k]) > PROTO_LOOKBACK)
            continue;
        proto_convert(pair, when);
        nmap_proto_as(pkt, fp, "from the source port of the scan's other probe");
        return;
    }
}

/* After an nmap probe is recorded: one of -sO's shapes is a candidate of its
 * pair, until the scan shows itself (or its next one of that kind). */
static void proto_candidate(const packet_view *pkt, const nstime_t *when, port_record *port)
{
    int kind = nmap_proto_shape(pkt);
    if (kind < 0 || port->type == &scan_proto || !port->untagged || port->suspect)
        return;
    nmap_proto_pair *pair = proto_pair(&pkt->flow, true);
    if (pair->known || pair->cand[kind] == port)
        return;
    if (pair->cand[kind])
        pair->cand[kind]->proto_candidate = false;
    pair->cand[kind] = port;
    pair->cand_when[kind] = *when;
    pair->cand_sport[kind] = pkt->flow.sport;
    port->proto_candidate = true;
    if (kind == CAND_ICMP) {
        memset(&pair->icmp_words, 0, sizeof pair->icmp_words);
        proto_icmp_burst(when, port, &pair->icmp_words);
    }
}

/* nmap's -sO or -PO probe no other scan sends (fingerprint.c): its scan of the
 * target is known, with the candidates before it. */
void nmap_proto_seen(const packet_view *pkt, const nstime_t *when)
{
    nmap_proto_pair *pair = proto_pair(&pkt->flow, true);
    if (!pair->known)
        proto_convert(pair, when);
}

void proto_probe_recorded(const packet_view *pkt, const nstime_t *when, port_record *port)
{
    /* Counted before an echo's burst is looked at (proto_candidate()). */
    if (port->type == &scan_proto || nmap_proto_shape(pkt) >= 0)
        proto_burst_probe(&pkt->flow.src, when);
    proto_candidate(pkt, when, port);
    if (port->type == &scan_proto && port->probes == 1 && port->port == PACKET_ICMP)
        proto_icmp_burst(when, port, port);
}

/* The -sO record of the ICMP protocol of host, in the scan of port. */
static port_record *proto_icmp_record(const port_record *port, const packet_addr *host)
{
    /* Ours have the all-zero scanner; another tool's, its source. */
    port_record wanted = port_wanted(&scan_proto, port->scan_id, &port->scanner, false, host,
                                     SCAN_STATE_PROTO_IP, PACKET_ICMP);
    return port_find(&wanted);
}

/* What nmap's receive loop words for the ICMP protocol of host, in the scan
 * of port: its -sO record once it has a probe; before that, while nmap's
 * echo to host is a candidate (the section above), the pair's icmp_words,
 * which the record takes should the echo become its probe; else the record
 * or NULL. */
static port_record *proto_icmp_target(const port_record *port, const packet_addr *host)
{
    port_record *icmp = proto_icmp_record(port, host);
    if ((icmp && icmp->probes) || !port->untagged)
        return icmp;
    packet_flow hosts = {.src = port->scanner, .dst = *host};
    nmap_proto_pair *pair = proto_pair(&hosts, false);
    const port_record *echo = pair ? pair->cand[CAND_ICMP] : NULL;
    if (!echo || !echo->proto_candidate)
        return icmp;
    pair->icmp_words.first_probe = echo->first_probe;
    pair->icmp_words.probes = echo->probes;
    return &pair->icmp_words;
}

/* Words for the ICMP probe of the host nmap's receive loop marked
 * (common/proto_icmp_hack.h), as the scanner's proto_icmp_words(): final once
 * the loop ends (an undecided probe sent before frame is then open; with none
 * yet, kept for one sent in the same burst: proto_icmp_settle_early()), else
 * the words so far of a verdict still unsettled. port: the record the frame
 * (at when) was tied to. */
static void proto_icmp_words(const port_record *port, const proto_icmp_settle *st, bool final,
                             uint32_t frame, const nstime_t *when)
{
    port_record *icmp = proto_icmp_target(port, &st->host);
    if (final && (!icmp || !icmp->probes))
        proto_icmp_settle_early(frame, when, port, st);
    if (!icmp)
        return;
    if (final && !icmp->judged_in && icmp->first_probe && icmp->first_probe < frame) {
        icmp->judged = (verdict){PORT_OPEN, st->why};
        icmp->judged_in = frame;
        icmp->judged_ttl = st->ttl;
        icmp->worded_in = 0;
    } else if (icmp->icmp_unsettled) {
        icmp->judged.why = st->why;
        icmp->judged_ttl = st->ttl;
        icmp->worded_in = frame == icmp->judged_in ? 0 : frame;
    }
    if (final)
        icmp->icmp_unsettled = false;
}

/* Whether port is nmap's echo to its target that -sO may turn out to have
 * sent (a candidate: the section above). */
static bool proto_echo_candidate(const port_record *port)
{
    if (!port->proto_candidate)
        return false;
    packet_flow hosts = {.src = port->scanner, .dst = port->target};
    const nmap_proto_pair *pair = proto_pair(&hosts, false);
    return pair && pair->cand[CAND_ICMP] == port;
}

/* nmap's -sO over IPv4 (get_pcap_result, "protoscanicmphack"): any ICMP
 * message from the target while the ICMP protocol's probe is out (in the
 * capture's order) makes that protocol open, worded when nmap's receive loop
 * ends (proto_icmp_hack_read()), as the scanner reads it. port: the record
 * pkt was just tied to, an -sO record or a candidate of one (nmap reads the
 * answers of all its hosts in one loop, in the order they come, whether or
 * not the plugin knows their scan yet). */
void proto_icmp_after(uint32_t frame, const nstime_t *when, const packet_view *pkt,
                      port_record *port)
{
    if (!packet_addr_is_ipv4(&port->target))
        return;
    int64_t now = (int64_t)when->secs * 1000000 + when->nsecs / 1000;
    bool echo = port->type == &scan_proto ? port->port == PACKET_ICMP : proto_echo_candidate(port);
    bool own_answer = echo && !proto_is_error(pkt);
    /* The echo reply to protocol 1's probe decides nothing to nmap's loop. */
    bool decided = port->judged_in == frame && !own_answer;
    proto_icmp_settle st;
    if (proto_icmp_hack_expired(&icmp_hack, now, &st))
        proto_icmp_words(port, &st, true, frame, when);
    if (pkt->flow.proto == PACKET_ICMP) {
        port_record *icmp = proto_icmp_target(port, &port->target);
        verdict said;
        if (icmp && icmp != port && own_answer && !icmp->judged_in &&
            scan_proto.judge(pkt, &said)) {
            /* The candidate echo's reply, judged by -sO's rules. */
            icmp->judged = said;
            icmp->judged_in = frame;
            icmp->judged_ttl = pkt->ttl;
        }
        if (icmp && own_answer && icmp->judged_in == frame) {
            icmp->icmp_unsettled = true;
        } else if (icmp && !icmp->judged_in && icmp->first_probe && icmp->first_probe < frame) {
            icmp->judged = (verdict){PORT_OPEN, proto_icmp_reason(pkt)};
            icmp->judged_in = frame;
            icmp->judged_ttl = pkt->ttl;
            icmp->icmp_unsettled = true;
        }
    }
    if (proto_icmp_hack_read(&icmp_hack, pkt, true, decided, now, &st))
        proto_icmp_words(port, &st, true, frame, when);
    else if (icmp_hack.marked)
        proto_icmp_words(port, &(proto_icmp_settle){icmp_hack.host, icmp_hack.why, icmp_hack.ttl},
                         false, frame, when);
}

/* The try whose cookie's low 16 bits are cookie, for an untagged -sO probe
 * (its IP ID or flow label holds them, whatever the cookie's width), with
 * the COOKIE_LOW16_NONZERO rule or without it (older captures). */
static bool bare_try(uint32_t scan_id, const packet_flow *flow, uint32_t cookie, unsigned *try_no)
{
    for (unsigned t = 0; t < COOKIE_MAX_TRIES; t++)
        if (cookie_is_query(scan_id, flow, 0, t, cookie, 0xffffu)) {
            *try_no = t;
            return true;
        }
    return false;
}

/* An untagged -sO probe of a scan named by a tagged one: its cookie checks. */
static const frame_result *add_bare_probe(uint32_t frame, const nstime_t *when,
                                          const packet_flow *flow, uint32_t cookie)
{
    proto_scan_key key = {flow->src, flow->dst};
    const uint32_t *scan_id = wmem_map_lookup(proto_scans, &key);
    unsigned try_no;
    if (!scan_id || !bare_try(*scan_id, flow, cookie, &try_no))
        return NULL;
    probe_tag tag = {.version = TAG_VERSION_SCAN,
                     .try_no = (uint8_t)try_no,
                     .scan_id = *scan_id,
                     .scan_code = SCAN_CODE_PROTO};
    const frame_result *res = add_probe(frame, when, flow, &scan_proto, &tag, "scantrace", 0);
    if (res)
        settle_early_replies(flow, when);
    return res;
}

/* Whether pkt may be one of our untagged -sO probes, and the cookie it
 * carries: no TCP, UDP or ICMP of its family, nor an error. */
static bool bare_candidate(const packet_view *pkt, uint32_t *cookie)
{
    bool v4 = packet_addr_is_ipv4(&pkt->flow.src);
    uint8_t p = pkt->flow.proto;
    if (pkt->has_quote || p == PACKET_TCP || p == PACKET_UDP ||
        p == (v4 ? PACKET_ICMP : PACKET_ICMPV6))
        return false;
    if (v4) {
        *cookie = pkt->ip_id;
        return true;
    }
    *cookie = pkt->flow_label & 0xffffu;
    return (pkt->flow_label & PROBE_FLOW_LABEL_MASK) == PROBE_FLOW_LABEL_COOKIE;
}

/* A tagged -sO probe names its scan: the untagged probes from its source to
 * its target waiting for it are its scan's if their cookies check. */
void proto_scan_named(const packet_flow *flow, uint32_t scan_id)
{
    proto_scan_key key = {flow->src, flow->dst};
    if (wmem_map_lookup(proto_scans, &key))
        return;
    uint32_t *id = wmem_new(wmem_file_scope(), uint32_t);
    *id = scan_id;
    wmem_map_insert(proto_scans, wmem_memdup(wmem_file_scope(), &key, sizeof key), id);
    for (unsigned i = 0; i < PENDING_BARE_MAX; i++) {
        pending_bare *b = &pending_bares[i];
        if (!b->frame || !packet_addr_equal(&b->flow.src, &flow->src) ||
            !packet_addr_equal(&b->flow.dst, &flow->dst))
            continue;
        uint32_t frame = b->frame;
        b->frame = 0;
        if (!scan_state_lookup(frame))
            add_bare_probe(frame, &b->when, &b->flow, b->cookie);
    }
}

/* An untagged -sO probe, or one kept until a tagged probe names its scan. */
const frame_result *bare_probe(uint32_t frame, const nstime_t *when, const packet_view *pkt)
{
    uint32_t cookie;
    if (!bare_candidate(pkt, &cookie))
        return NULL;
    proto_scan_key key = {pkt->flow.src, pkt->flow.dst};
    if (wmem_map_lookup(proto_scans, &key))
        return add_bare_probe(frame, when, &pkt->flow, cookie);
    pending_bare *b = &pending_bares[pending_bare_next++ % PENDING_BARE_MAX];
    *b = (pending_bare){.frame = frame, .when = *when, .flow = pkt->flow, .cookie = cookie};
    return NULL;
}
