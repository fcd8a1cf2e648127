#include "crc32c.h"

#include "packet.h"

/* Bit by bit, without a table: a probe is a few dozen octets, and no
 * shared state means no race between the scanner's threads. */
static uint32_t crc32c_update(uint32_t crc, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int k = 0; k < 8; k++)
            crc = (crc & 1) ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
    }
    return crc;
}

uint32_t crc32c(const uint8_t *data, size_t len)
{
    return crc32c_update(0xffffffffu, data, len) ^ 0xffffffffu;
}

/* The CRC over the packet with its checksum field (octets 8-11) as zeros. */
static uint32_t sctp_crc(const uint8_t *sctp, size_t len)
{
    static const uint8_t zero[4];
    uint32_t crc = crc32c_update(0xffffffffu, sctp, 8);
    crc = crc32c_update(crc, zero, 4);
    crc = crc32c_update(crc, sctp + SCTP_COMMON_HEADER_LEN, len - SCTP_COMMON_HEADER_LEN);
    return crc ^ 0xffffffffu;
}

void sctp_checksum_set(uint8_t *sctp, size_t len)
{
    if (len < SCTP_COMMON_HEADER_LEN)
        return;
    uint32_t crc = sctp_crc(sctp, len);
    for (int i = 0; i < 4; i++)
        sctp[8 + i] = (uint8_t)(crc >> (8 * i));
}

bool sctp_checksum_ok(const uint8_t *sctp, size_t len)
{
    if (len < SCTP_COMMON_HEADER_LEN)
        return false;
    uint32_t crc = sctp_crc(sctp, len);
    for (int i = 0; i < 4; i++)
        if (sctp[8 + i] != (uint8_t)(crc >> (8 * i)))
            return false;
    return true;
}
