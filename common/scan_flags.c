/* --scanflags: any TCP flags on the probes of a raw TCP scan type, which keeps
 * judging the replies by its own rules (nmap's documentation, "Custom Scan
 * Type with --scanflags": "the TCP scan type (such as -sA or -sF) tells Nmap
 * how to interpret responses"; the SYN scan when none is given). Such a type is
 * made on demand, one per (base, flags), and tagged with the base's tag code and
 * the custom-flags bit, so a capture names both. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scan_type.h"

/* The raw TCP port scans that can take other flags. */
static const scan_type *const bases[] = {&scan_syn,  &scan_ack,    &scan_fin,   &scan_null,
                                         &scan_xmas, &scan_maimon, &scan_window};
#define N_BASES (sizeof bases / sizeof bases[0])

typedef struct custom_type {
    scan_type type;
    char option[48]; /* "--scanflags URGPSH", after the base's option unless -sS */
    bool made;
} custom_type;

static custom_type customs[N_BASES][256];

const scan_type *scan_type_judging(const scan_type *type)
{
    return type->base ? type->base : type;
}

const scan_type *scan_flags_type(const scan_type *base, uint8_t flags)
{
    base = scan_type_judging(base);
    for (size_t b = 0; b < N_BASES; b++) {
        if (bases[b] != base)
            continue;
        custom_type *c = &customs[b][flags];
        if (!c->made) {
            char text[SCAN_FLAGS_TEXT_MAX];
            scan_flags_format(flags, text);
            if (base == &scan_syn)
                snprintf(c->option, sizeof c->option, "--scanflags %s", *text ? text : "NONE");
            else
                snprintf(c->option, sizeof c->option, "%s --scanflags %s", base->option,
                         *text ? text : "NONE");
            c->type = *base;
            c->type.option = c->option;
            c->type.tcp_flags = flags;
            c->type.base = base;
            c->made = true;
        }
        return &c->type;
    }
    return NULL;
}

static const struct {
    const char *name;
    uint8_t flag;
} flag_names[] = {
    {"FIN", TCP_FIN}, {"SYN", TCP_SYN}, {"RST", TCP_RST}, {"PSH", TCP_PSH},
    {"ACK", TCP_ACK}, {"URG", TCP_URG}, {"ECE", 0x40},    {"CWR", 0x80},
};
#define N_FLAGS (sizeof flag_names / sizeof flag_names[0])

void scan_flags_format(uint8_t flags, char *out)
{
    out[0] = '\0';
    for (size_t i = 0; i < N_FLAGS; i++)
        if (flags & flag_names[i].flag)
            strcat(out, flag_names[i].name);
}

bool scan_flags_parse(const char *text, uint8_t *flags)
{
    if (!text || !*text)
        return false;
    if (isdigit((unsigned char)text[0])) {
        char *end = NULL;
        long v = strtol(text, &end, 0);
        if (*end || v < 0 || v > 255)
            return false;
        *flags = (uint8_t)v;
        return true;
    }
    if (strcasecmp(text, "ALL") == 0 || strcasecmp(text, "NONE") == 0) {
        *flags = strcasecmp(text, "ALL") == 0 ? 0xff : 0;
        return true;
    }
    uint8_t v = 0;
    for (const char *p = text; *p;) {
        size_t i = 0;
        while (i < N_FLAGS && strncasecmp(p, flag_names[i].name, 3) != 0)
            i++;
        if (i == N_FLAGS)
            return false;
        v |= flag_names[i].flag;
        p += 3;
    }
    *flags = v;
    return true;
}

const scan_type *scan_flags_of_probe(const packet_view *pkt, probe_tag *tag)
{
    if (pkt->flow.proto != PACKET_TCP ||
        !tag_find_in_tcp_options(pkt->tcp_options, pkt->tcp_options_len, tag) ||
        tag->version != TAG_VERSION_SCAN || !tag->custom_flags || tag->discovery)
        return NULL;
    for (size_t b = 0; b < N_BASES; b++)
        if (bases[b]->tag_code == tag->scan_code)
            return scan_flags_type(bases[b], pkt->tcp_flags);
    return NULL;
}
