/* nmap's reading of a reply to a probe from a fixed source port
 * (fixed_sport_match.h; scan_engine_raw.cc, tcp_probe_match()). */
#include "fixed_sport_match.h"

uint32_t fixed_sport_probe_number(uint8_t tcp_flags, uint32_t seq, uint32_t ack)
{
    /* sendIPScanProbe(): the try goes where a reply reflects it, the ack of
     * a probe with ACK set, the sequence number of any other. */
    return (tcp_flags & TCP_ACK) ? ack : seq;
}

bool fixed_sport_nmap_matches(uint32_t probe_number, const packet_view *reply)
{
    if (reply->flow.proto != PACKET_TCP || reply->has_quote)
        return false;
    return reply->ack - 1u == probe_number || reply->ack == probe_number ||
           reply->seq == probe_number;
}

uint32_t fixed_sport_ack_offset(uint32_t probe_number, const packet_view *reply)
{
    return reply->ack - probe_number;
}
