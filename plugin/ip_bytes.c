#include "ip_bytes.h"

#include "compat.h"

static int proto_ip = SCANTRACE_ID_INIT;
static int proto_arp = SCANTRACE_ID_INIT;

void ip_bytes_init(void)
{
    proto_ip = proto_get_id_by_filter_name("ip");
    proto_arp = proto_get_id_by_filter_name("arp");
}

void ip_bytes_want(dissector_handle_t handle, bool want)
{
    GArray *wanted = NULL;
    if (want) {
        wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
        if (proto_ip >= 0)
            g_array_append_val(wanted, proto_ip);
        if (proto_arp >= 0)
            g_array_append_val(wanted, proto_arp);
    }
    /* Wireshark takes the array over. */
    set_postdissector_wanted_hfids(handle, wanted);
}

/* The IP layer with the lowest layer number: an ICMP error's quoted packet and a
 * tunnel's inner packet are later layers of the same protocol. */
static const field_info *outermost(GPtrArray *items)
{
    const field_info *best = NULL;
    for (guint i = 0; i < items->len; i++) {
        const field_info *fi = g_ptr_array_index(items, i);
        if (fi && fi->ds_tvb && (!best || fi->proto_layer_num < best->proto_layer_num))
            best = fi;
    }
    return best;
}

/* The bytes of the outermost layer of protocol proto, to the end of its data. */
static bool layer_bytes(proto_tree *tree, int proto, const uint8_t **bytes, size_t *len)
{
    if (!tree || proto < 0)
        return false;
    GPtrArray *items = proto_get_finfo_ptr_array(tree, proto);
    if (!items || items->len == 0)
        return false;
    const field_info *fi = outermost(items);
    if (!fi)
        return false;
    /* The item's start is an offset into its data source, which holds the link
     * layer before it and perhaps a trailer after the datagram; packet_parse()
     * reads no further than the IP total length. */
    guint captured = tvb_captured_length(fi->ds_tvb);
    if (fi->start < 0 || (guint)fi->start >= captured)
        return false;
    guint n = captured - (guint)fi->start;
    *bytes = tvb_get_ptr(fi->ds_tvb, fi->start, (gint)n);
    *len = n;
    return *bytes != NULL;
}

bool ip_bytes_outermost(proto_tree *tree, const uint8_t **bytes, size_t *len)
{
    return layer_bytes(tree, proto_ip, bytes, len);
}

bool ip_bytes_arp(proto_tree *tree, const uint8_t **bytes, size_t *len)
{
    return layer_bytes(tree, proto_arp, bytes, len);
}
