/* --shards: the seeded order deals every (target, probe) pair to exactly one
 * shard, the same on every machine for a seed and another for another seed;
 * the options' bad combinations are refused. */
#include <glib.h>
#include <string.h>

#include "shard.h"

/* Every position of the order is taken by one pair: the order is a
 * permutation, so shard I (positions = I mod N) holds each pair once, and the
 * shards' sizes differ by one at most. */
static void check_partition(guint64 seed, guint64 size, guint count)
{
    shard_order *o = shard_order_new(seed, size);
    g_autofree guint8 *hit = g_new0(guint8, size);
    g_autofree guint64 *per_shard = g_new0(guint64, count);
    for (guint64 x = 0; x < size; x++) {
        guint64 p = shard_order_position(o, x);
        g_assert_cmpuint(p, <, size);
        g_assert_cmpuint(hit[p], ==, 0);
        hit[p] = 1;
        per_shard[shard_of(o, x, count)]++;
    }
    guint64 sum = 0;
    for (guint i = 0; i < count; i++) {
        g_assert_cmpuint(per_shard[i], >=, size / count);
        g_assert_cmpuint(per_shard[i], <=, size / count + 1);
        sum += per_shard[i];
    }
    g_assert_cmpuint(sum, ==, size);
    shard_order_free(o);
}

static void test_partition(void)
{
    static const guint64 sizes[] = {1, 2, 3, 5, 17, 64, 65, 1000, 2 * 65535 + 3};
    static const guint counts[] = {1, 2, 3, 4, 7, 16};
    for (guint s = 0; s < G_N_ELEMENTS(sizes); s++)
        for (guint c = 0; c < G_N_ELEMENTS(counts); c++)
            check_partition(42 + s, sizes[s], counts[c]);
}

static void test_same_seed_same_order(void)
{
    shard_order *a = shard_order_new(7, 10000), *b = shard_order_new(7, 10000);
    for (guint64 x = 0; x < 10000; x++)
        g_assert_cmpuint(shard_order_position(a, x), ==, shard_order_position(b, x));
    shard_order_free(a);
    shard_order_free(b);
}

static void test_other_seed_other_order(void)
{
    static const guint64 seeds[] = {1, 2, 1ull << 32, G_MAXUINT64};
    shard_order *base = shard_order_new(0, 10000);
    for (guint s = 0; s < G_N_ELEMENTS(seeds); s++) {
        shard_order *o = shard_order_new(seeds[s], 10000);
        guint same = 0, same_shard = 0;
        for (guint64 x = 0; x < 10000; x++) {
            same += shard_order_position(o, x) == shard_order_position(base, x);
            same_shard += shard_of(o, x, 4) == shard_of(base, x, 4);
        }
        /* A random pair of orders agrees on about 1 position in 10000, and on
         * the shard of about a quarter of the pairs. */
        g_assert_cmpuint(same, <, 20);
        g_assert_cmpuint(same_shard, >, 2000);
        g_assert_cmpuint(same_shard, <, 3000);
        shard_order_free(o);
    }
    shard_order_free(base);
}

/* The order is part of the interface: machines with other builds or versions
 * must deal the same pairs to the same shards. These positions are what this
 * implementation gave when it was written; a change that moves them breaks
 * sharding across versions and must be deliberate. */
static void test_order_is_pinned(void)
{
    static const guint64 want[] = {687, 800, 59, 885, 314, 760, 1, 218, 231, 434, 281, 28};
    shard_order *o = shard_order_new(12345, 1000);
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpuint(shard_order_position(o, i), ==, want[i]);
    shard_order_free(o);
}

static void bad(const char *shards, const char *shard, const char *seed, const char *message)
{
    shard_spec spec;
    GError *error = NULL;
    g_assert_false(shard_spec_parse(shards, shard, seed, &spec, &error));
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, message));
    g_assert_null(strchr(error->message, '\n'));
    g_error_free(error);
}

static void test_spec(void)
{
    shard_spec spec;
    g_assert_true(shard_spec_parse(NULL, NULL, NULL, &spec, NULL));
    g_assert_cmpuint(spec.count, ==, 1);
    g_assert_false(spec.used);
    g_assert_true(shard_spec_parse("4", "3", "18446744073709551615", &spec, NULL));
    g_assert_cmpuint(spec.count, ==, 4);
    g_assert_cmpuint(spec.index, ==, 3);
    g_assert_cmpuint(spec.seed, ==, G_MAXUINT64);
    g_assert_true(spec.used);
    /* One shard is the whole scan: no seed needed, as with zmap. */
    g_assert_true(shard_spec_parse("1", NULL, NULL, &spec, NULL));
    bad("4", "4", "1", "out of range");
    bad("4", "-1", "1", "--shard must be a whole number");
    bad("0", NULL, "1", "--shards must be 1 or more");
    bad(NULL, "1", "1", "--shard needs --shards");
    bad("4", "1", NULL, "--shards needs --seed");
    bad("four", "1", "1", "--shards must be a whole number");
    bad("4", "1", "0x10", "--seed must be a whole number");
    bad("4", "1", "", "--seed must be a whole number");
    bad("4", "1 ", "1", "--shard must be a whole number");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/shard/partition", test_partition);
    g_test_add_func("/shard/same-seed-same-order", test_same_seed_same_order);
    g_test_add_func("/shard/other-seed-other-order", test_other_seed_other_order);
    g_test_add_func("/shard/order-is-pinned", test_order_is_pinned);
    g_test_add_func("/shard/spec", test_spec);
    return g_test_run();
}
