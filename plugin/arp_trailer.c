#include "arp_trailer.h"

#include <epan/packet.h>

#include "compat.h"
#include "tag.h"

static int proto_arp_trailer = SCANTRACE_ID_INIT;
static int hf_arp_tag = SCANTRACE_ID_INIT;

/* The trailer of a tagged ARP request starts with the tag (arp_request_build()),
 * zeros after it. Only an ARP frame's trailer is looked at, so that no other
 * frame's padding pays for a search. */
static scantrace_heur_result dissect_arp_trailer(tvbuff_t *tvb, packet_info *pinfo,
                                                 proto_tree *tree, void *data _U_)
{
    guint len = tvb_captured_length(tvb);
    if (len < TAG_TCP_OPTION_LEN || !proto_is_frame_protocol(pinfo->layers, "arp"))
        return false;
    probe_tag tag;
    if (!tag_find_in_payload(tvb_get_ptr(tvb, 0, TAG_TCP_OPTION_LEN), TAG_TCP_OPTION_LEN, &tag) ||
        !tag.discovery)
        return false;
    proto_item *item = proto_tree_add_item(tree, hf_arp_tag, tvb, 0, len, ENC_NA);
    proto_item_append_text(item, " (scan 0x%08x, try %u: Tag, under Scantrace port scan analysis)",
                           tag.scan_id, tag.try_no);
    return true;
}

void arp_trailer_register(int proto)
{
    static hf_register_info hf[] = {
        {&hf_arp_tag,
         {"Scantrace tag in the Ethernet padding", "scantrace.arp_tag", FT_BYTES, BASE_NONE, NULL,
          0x0, "The tag of a scantrace ARP ping, where the ARP message leaves room", HFILL}},
    };
    proto_arp_trailer = proto;
    proto_register_field_array(proto, hf, array_length(hf));
}

void arp_trailer_handoff(void)
{
    heur_dissector_add("eth.trailer", dissect_arp_trailer, "Scantrace tag in ARP padding",
                       "scantrace_arp_trailer", proto_arp_trailer, HEURISTIC_ENABLE);
}
