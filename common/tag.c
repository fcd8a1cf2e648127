#include "tag.h"

#include "packet.h"

size_t tag_write_tcp_option(uint8_t *out, uint32_t scan_id, uint8_t try_no, bool discovery)
{
    out[0] = TAG_TCP_OPTION_KIND;
    out[1] = TAG_TCP_OPTION_LEN;
    put_be16(out + 2, TAG_EXID);
    out[4] = TAG_VERSION;
    out[5] = (uint8_t)((try_no & TAG_TRY_MASK) | (discovery ? TAG_DISCOVERY : 0));
    put_be32(out + 6, scan_id);
    return TAG_TCP_OPTION_LEN;
}

size_t tag_write_scan_option(uint8_t *out, uint32_t scan_id, uint8_t try_no, bool discovery,
                             uint8_t scan_code, bool custom_flags)
{
    tag_write_tcp_option(out, scan_id, try_no, discovery);
    out[1] = TAG_SCAN_OPTION_LEN;
    out[4] = TAG_VERSION_SCAN;
    out[10] = (uint8_t)((scan_code & ~TAG_CUSTOM_FLAGS) | (custom_flags ? TAG_CUSTOM_FLAGS : 0));
    return TAG_SCAN_OPTION_LEN;
}

void tag_mark_fixed_sport(uint8_t *option)
{
    option[5] |= TAG_FIXED_SPORT;
}

/* p holds at least len bytes, len being the option's or the rest of a payload. */
static bool tag_read(const uint8_t *p, size_t len, probe_tag *out)
{
    if (len < TAG_TCP_OPTION_LEN || p[0] != TAG_TCP_OPTION_KIND || get_be16(p + 2) != TAG_EXID)
        return false;
    bool v1 = p[1] == TAG_TCP_OPTION_LEN && p[4] == TAG_VERSION;
    bool v2 = p[1] == TAG_SCAN_OPTION_LEN && p[4] == TAG_VERSION_SCAN &&
              len >= TAG_SCAN_OPTION_LEN && (p[10] & ~TAG_CUSTOM_FLAGS) != 0;
    if (!v1 && !v2)
        return false;
    out->version = p[4];
    out->try_no = p[5] & TAG_TRY_MASK;
    out->discovery = (p[5] & TAG_DISCOVERY) != 0;
    out->fixed_sport = (p[5] & TAG_FIXED_SPORT) != 0;
    out->scan_id = get_be32(p + 6);
    out->scan_code = v2 ? (uint8_t)(p[10] & ~TAG_CUSTOM_FLAGS) : 0;
    out->custom_flags = v2 && (p[10] & TAG_CUSTOM_FLAGS);
    return true;
}

bool tag_find_in_payload(const uint8_t *payload, size_t len, probe_tag *out)
{
    for (size_t i = 0; i + TAG_TCP_OPTION_LEN <= len; i++)
        if ((payload[i + 1] == TAG_TCP_OPTION_LEN || payload[i + 1] == TAG_SCAN_OPTION_LEN) &&
            tag_read(payload + i, len - i, out))
            return true;
    return false;
}

bool tag_find_scan_in_payload(const uint8_t *payload, size_t len, probe_tag *out)
{
    for (size_t i = 0; i + TAG_SCAN_OPTION_LEN <= len; i++)
        if (payload[i + 1] == TAG_SCAN_OPTION_LEN && tag_read(payload + i, len - i, out))
            return true;
    return false;
}

bool tag_find_in_tcp_options(const uint8_t *options, size_t len, probe_tag *out)
{
    enum { END = 0, NOP = 1 };
    size_t i = 0;
    while (i < len) {
        uint8_t kind = options[i];
        if (kind == END)
            return false;
        if (kind == NOP) {
            i++;
            continue;
        }
        if (i + 1 >= len)
            return false;
        uint8_t olen = options[i + 1];
        if (olen < 2 || i + olen > len)
            return false;
        if (tag_read(options + i, olen, out))
            return true;
        i += olen;
    }
    return false;
}
