/* SipHash-2-4 (Aumasson & Bernstein): a keyed 64-bit hash, small and fast enough
 * to compute once per probe and once per response. */
#ifndef SCANTRACE_SIPHASH_H
#define SCANTRACE_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t siphash24(const uint8_t key[16], const uint8_t *data, size_t len);

#endif
