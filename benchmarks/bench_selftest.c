// SPDX-License-Identifier: MIT
/*
 * Unit tests of the benchmarks' statistics: percentiles and moments on data
 * whose answers are known.
 */
#include <math.h>
#include <stdlib.h>

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

/* The clock's overhead is positive and far below a millisecond. */
static void test_clock_overhead(struct acts_dev *dev)
{
	double o = bench_clock_overhead_ns();

	acts_assert(o >= 0 && o < 1e6);
}

static const struct acts_subtest tests[] = {
	{ "percentiles", "", "nearest-rank percentiles, mean and stddev of 1..100",
	  test_percentiles, ACTS_NO_DEVICE },
	{ "small-samples", "", "statistics of one, two and no samples", test_small,
	  ACTS_NO_DEVICE },
	{ "clock-overhead", "", "the clock's read-to-read overhead is small and positive",
	  test_clock_overhead, ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)
