// SPDX-License-Identifier: MIT
/*
 * Unit tests of the benchmarks' statistics: percentiles and moments on data
 * whose answers are known.
 */
#include <math.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_test.h"
#include "bench.h"

static void expect_near(double got, double want)
{
	if (fabs(got - want) > 1e-9 * (fabs(want) + 1))
		acts_fail("got %.12g, expected %.12g", got, want);
}

/* 1..100 shuffled: nearest-rank percentiles are the ranks themselves. */
static void test_percentiles(struct acts_dev *dev)
{
	double d[100];
	struct bench_stats s;
	int i;

	for (i = 0; i < 100; i++)
		d[i] = (double)((i * 37) % 100 + 1);
	bench_stats_compute(d, 100, &s);
	acts_assert_eq(s.n, 100);
	expect_near(s.min, 1);
	expect_near(s.median, 50);
	expect_near(s.p90, 90);
	expect_near(s.p99, 99);
	expect_near(s.p999, 100);
	expect_near(s.max, 100);
	expect_near(s.mean, 50.5);
	expect_near(s.stddev, sqrt(100.0 * 101 / 12));	/* sample stddev of 1..n: n(n+1)/12 */
	for (i = 1; i < 100; i++)
		acts_assert(d[i - 1] <= d[i]);	/* sorted in place */
}

/* One sample is every statistic; two give the lower as median; none gives n = 0. */
static void test_small(struct acts_dev *dev)
{
	double one[1] = { 7 }, two[2] = { 9, 3 };
	struct bench_stats s;

	bench_stats_compute(one, 1, &s);
	expect_near(s.median, 7);
	expect_near(s.p999, 7);
	expect_near(s.stddev, 0);
	bench_stats_compute(two, 2, &s);
	expect_near(s.median, 3);
	expect_near(s.p90, 9);
	bench_stats_compute(NULL, 0, &s);
	acts_assert_eq(s.n, 0);
	acts_assert(isnan(bench_percentile_sorted(NULL, 0, 0.5)));
}

/* A record keeps every sample of a small run, and evenly spaced order
 * statistics (first and last included) of a large one. */
static void test_kept_samples(struct acts_dev *dev)
{
	static double big[10000];
	double small[5] = { 5, 1, 4, 2, 3 };
	struct bench_stats s;
	size_t i;

	bench_stats_compute(small, 5, &s);
	acts_assert_eq(s.nkept, 5);
	for (i = 0; i < 5; i++)
		expect_near(s.kept[i], (double)i + 1);
	for (i = 0; i < 10000; i++)
		big[i] = (double)(9999 - i);
	bench_stats_compute(big, 10000, &s);
	acts_assert_eq(s.nkept, BENCH_KEEP);
	expect_near(s.kept[0], 0);
	expect_near(s.kept[BENCH_KEEP - 1], 9999);
	for (i = 1; i < BENCH_KEEP; i++) {
		double step = s.kept[i] - s.kept[i - 1];

		acts_assert(step >= 19 && step <= 20);	/* 9999 / 511 = 19.6 */
	}
}

/* The clock's overhead is positive and far below a millisecond. */
static void test_clock_overhead(struct acts_dev *dev)
{
	struct bench_stats s;

	bench_clock_overhead(&s);
	acts_assert_eq(s.n, 10001);
	acts_assert(s.min >= 0 && s.median < 1e6);
}

/*
 * A memcpy limit's buffers: both resident, 17 pages past a 2 MiB multiple
 * apart (never within a page of a power-of-two distance), not overlapping.
 */
static void test_copy_buffers(struct acts_dev *dev)
{
	static const size_t sizes[] = { 1, 4096, 65536 + 100, 8 << 20 };
	size_t page = (size_t)sysconf(_SC_PAGESIZE), i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct bench_copy_buffers cb;
		size_t gap, n, resident = 0, j;
		unsigned char *vec;

		acts_assert_eq(bench_copy_buffers(sizes[i], &cb), 0);
		gap = (size_t)((char *)cb.dst - (char *)cb.src);
		acts_assert(gap >= sizes[i] && gap % page == 0);
		acts_assert_eq(gap % (2u << 20), 17 * page);
		acts_assert((char *)cb.dst + sizes[i] <= (char *)cb.map + cb.len);
		n = (cb.len + page - 1) / page;
		vec = malloc(n);
		acts_assert(vec && !mincore(cb.map, cb.len, vec));
		for (j = 0; j < n; j++)
			resident += vec[j] & 1;
		acts_assert_eq(resident, n);	/* prefaulted: first touch is not in a limit */
		free(vec);
		bench_copy_buffers_free(&cb);
		acts_assert(!cb.map);
	}
}

static const struct acts_subtest tests[] = {
	{ "percentiles", "", "nearest-rank percentiles, mean and stddev of 1..100",
	  test_percentiles, ACTS_NO_DEVICE },
	{ "small-samples", "", "statistics of one, two and no samples", test_small,
	  ACTS_NO_DEVICE },
	{ "kept-samples", "", "records keep all small sample sets and spaced order statistics of big ones",
	  test_kept_samples, ACTS_NO_DEVICE },
	{ "clock-overhead", "", "the clock's read-to-read overhead is small and positive",
	  test_clock_overhead, ACTS_NO_DEVICE },
	{ "copy-buffers", "", "a memcpy limit's buffers are resident and never a power of two apart",
	  test_copy_buffers, ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)
