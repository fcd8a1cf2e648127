/* --shards N --shard I --seed S: one scan split over N machines, as zmap and
 * masscan users split theirs. Every (target, probe) pair of the scan gets a
 * number, x = target ordinal * probes per target + probe index (targets in the
 * order the command line and -iL give them, duplicates counted again; probes
 * in plan order: the TCP type's ports ascending, then UDP's; -sn counts one
 * probe per target, the host itself). A seeded permutation puts every pair at
 * a position of one order, the same on every machine given the same seed,
 * targets and ports; shard I takes the positions p with p mod N == I, which is
 * how zmap (0-based --shard, "--seed is required when sharding") and masscan
 * (--shard x/y, every y-th element of its blackrock permutation) deal out
 * their orders. So every pair is in exactly one shard, and the shards differ
 * in size by one pair at most.
 *
 * The permutation is a balanced Feistel network over the smallest even power
 * of two that holds every pair, cycle-walked back into range (Black and
 * Rogaway's "Ciphers with arbitrary finite domains", masscan's blackrock):
 * computed pair by pair, never stored, so a /8 times 65535 ports costs nothing
 * up front. Its round key is drawn from GLib's GRand seeded with the seed
 * (Mersenne Twister, whose sequence for a given seed GLib keeps stable), and
 * its rounds are SipHash-2-4 (common/siphash.c). */
#ifndef SCANTRACE_SHARD_H
#define SCANTRACE_SHARD_H

#include <glib.h>
#include <stdint.h>

typedef struct shard_spec {
    guint count;   /* N: shards of the scan; 1 when not sharded */
    guint index;   /* I: this shard, 0 .. N - 1 (zmap's numbering) */
    guint64 seed;  /* S: the permutation's seed */
    gboolean used; /* --shards was given */
} shard_spec;

typedef struct shard_order shard_order;

/* The order of size pairs (positions 0 .. size - 1) for that seed. */
shard_order *shard_order_new(guint64 seed, guint64 size);
void shard_order_free(shard_order *o);

/* Pair x's position in the order (x < size): a bijection of 0 .. size - 1. */
guint64 shard_order_position(const shard_order *o, guint64 x);

/* The shard (0 .. count - 1) that pair x belongs to. */
static inline guint shard_of(const shard_order *o, guint64 x, guint count)
{
    return (guint)(shard_order_position(o, x) % count);
}

/* Parses the three options' values (NULL: not given) into *spec. FALSE and a
 * one-line error for anything zmap would refuse: a value that is not a whole
 * number, --shards below 1, --shard without --shards, --shard not below
 * --shards, or more than one shard without --seed (a seed of its own on each
 * machine would not partition the scan). */
gboolean shard_spec_parse(const char *shards, const char *shard, const char *seed, shard_spec *spec,
                          GError **error);

#endif
