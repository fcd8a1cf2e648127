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

static bool tag_read(const uint8_t *p, probe_tag *out)
{
    if (p[0] != TAG_TCP_OPTION_KIND || p[1] != TAG_TCP_OPTION_LEN || get_be16(p + 2) != TAG_EXID ||
        p[4] != TAG_VERSION)
        return false;
    out->version = p[4];
    out->try_no = p[5] & TAG_TRY_MASK;
    out->discovery = (p[5] & TAG_DISCOVERY) != 0;
    out->scan_id = get_be32(p + 6);
    return true;
}

bool tag_find_in_payload(const uint8_t *payload, size_t len, probe_tag *out)
{
    for (size_t i = 0; i + TAG_TCP_OPTION_LEN <= len; i++)
        if (tag_read(payload + i, out))
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
        if (olen == TAG_TCP_OPTION_LEN && tag_read(options + i, out))
            return true;
        i += olen;
    }
    return false;
}
