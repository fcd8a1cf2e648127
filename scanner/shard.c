#include "shard.h"

#include <string.h>

#include "error.h"
#include "siphash.h"

enum { FEISTEL_ROUNDS = 4 }; /* Luby and Rackoff: four rounds make a strong PRP */

struct shard_order {
    guint64 size;
    guint half_bits; /* each Feistel half; 2 * half_bits covers size */
    guint64 half_mask;
    uint8_t key[16];
};

shard_order *shard_order_new(guint64 seed, guint64 size)
{
    shard_order *o = g_new0(shard_order, 1);
    o->size = size;
    guint bits = 0;
    while (bits < 64 && (bits == 0 || ((guint64)1 << bits) < size))
        bits++;
    o->half_bits = (bits + 1) / 2;
    o->half_mask = ((guint64)1 << o->half_bits) - 1;
    /* The seed's both halves seed GRand, so every 64-bit seed is its own. */
    guint32 words[2] = {(guint32)seed, (guint32)(seed >> 32)};
    GRand *rand = g_rand_new_with_seed_array(words, 2);
    for (guint i = 0; i < sizeof o->key; i += 4) {
        guint32 v = g_rand_int(rand);
        memcpy(o->key + i, &v, 4);
    }
    g_rand_free(rand);
    return o;
}

void shard_order_free(shard_order *o)
{
    g_free(o);
}

static guint64 round_value(const shard_order *o, guint round, guint64 half)
{
    /* Little-endian on every machine, so the order is too. */
    uint8_t in[9];
    for (guint i = 0; i < 8; i++)
        in[i] = (uint8_t)(half >> (8 * i));
    in[8] = (uint8_t)round;
    return siphash24(o->key, in, sizeof in) & o->half_mask;
}

static guint64 feistel(const shard_order *o, guint64 x)
{
    guint64 left = x >> o->half_bits, right = x & o->half_mask;
    for (guint r = 0; r < FEISTEL_ROUNDS; r++) {
        guint64 next = left ^ round_value(o, r, right);
        left = right;
        right = next;
    }
    return (left << o->half_bits) | right;
}

guint64 shard_order_position(const shard_order *o, guint64 x)
{
    g_assert(x < o->size);
    if (o->size == 1)
        return 0;
    /* Cycle walking: the network permutes 0 .. 4^half_bits - 1; following the
     * cycle of x until it comes back under size permutes 0 .. size - 1. At
     * most four steps on average, since 4^half_bits < 4 * size. */
    guint64 y = feistel(o, x);
    while (y >= o->size)
        y = feistel(o, y);
    return y;
}

static gboolean whole_number(const char *name, const char *text, guint64 max, guint64 *out,
                             GError **error)
{
    GError *local = NULL;
    if (!g_ascii_string_to_unsigned(text, 10, 0, max, out, &local)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "%s must be a whole number from 0 to %" G_GUINT64_FORMAT ", not \"%s\"", name,
                    max, text);
        g_error_free(local);
        return FALSE;
    }
    return TRUE;
}

gboolean shard_spec_parse(const char *shards, const char *shard, const char *seed, shard_spec *spec,
                          GError **error)
{
    *spec = (shard_spec){.count = 1};
    guint64 count = 1, index = 0, value = 0;
    if (shards && !whole_number("--shards", shards, G_MAXUINT32, &count, error))
        return FALSE;
    if (shard && !whole_number("--shard", shard, G_MAXUINT32, &index, error))
        return FALSE;
    if (seed && !whole_number("--seed", seed, G_MAXUINT64, &value, error))
        return FALSE;
    if (shards && count < 1) {
        g_set_error_literal(error, ST_ERROR, ST_ERROR_INPUT, "--shards must be 1 or more");
        return FALSE;
    }
    if (shard && !shards) {
        g_set_error_literal(error, ST_ERROR, ST_ERROR_INPUT,
                            "--shard needs --shards: how many shards the scan is split into");
        return FALSE;
    }
    if (index >= count) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "--shard %" G_GUINT64_FORMAT " is out of range: shards are numbered from 0 "
                    "to --shards - 1 (%" G_GUINT64_FORMAT ")",
                    index, count - 1);
        return FALSE;
    }
    if (count > 1 && !seed) {
        g_set_error_literal(error, ST_ERROR, ST_ERROR_INPUT,
                            "--shards needs --seed: every shard must use the same seed, or they "
                            "would not split the scan");
        return FALSE;
    }
    *spec = (shard_spec){
        .count = (guint)count, .index = (guint)index, .seed = value, .used = shards != NULL};
    return TRUE;
}
