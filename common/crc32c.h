/* CRC32c (Castagnoli), the checksum of SCTP packets (RFC 9260 section 6.8 and
 * appendix A, which replaced RFC 2960's Adler-32 after RFC 3309). */
#ifndef SCANTRACE_CRC32C_H
#define SCANTRACE_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The CRC32c of data: reflected polynomial 0x82F63B78, initial value and
 * final XOR 0xffffffff (RFC 9260 appendix A; iSCSI's, RFC 3720 section
 * 12.1). CRC32c of the ASCII digits "123456789" is 0xe3069283. */
uint32_t crc32c(const uint8_t *data, size_t len);

/* Computes the checksum of the SCTP packet at sctp (common header and
 * chunks, len octets) with its checksum field taken as zero, and writes it
 * there as RFC 9260 appendix A places it: the CRC's least significant octet
 * first. */
void sctp_checksum_set(uint8_t *sctp, size_t len);

/* Whether the SCTP packet's checksum field holds its CRC32c. */
bool sctp_checksum_ok(const uint8_t *sctp, size_t len);

#endif
