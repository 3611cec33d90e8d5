// SPDX-License-Identifier: MIT
/*
 * Unit tests of the Mann-Whitney U test behind `accel-cts compare`, on
 * sets whose U and p are known by hand.
 */
#include <math.h>

#include "acts_assert.h"
#include "acts_test.h"
#include "mann_whitney.h"

static void expect_near(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		acts_fail("got %.10g, expected %.10g", got, want);
}

/* Fully separated sets: U = 0, and p = 2 / C(n1 + n2, n1), the two extreme orders. */
static void test_separated(struct acts_dev *dev)
{
	double a[] = { 3, 1, 2 }, b[] = { 6, 4, 5 };
	double c[] = { 1, 2, 3, 4, 5 }, d[] = { 6, 7, 8, 9, 10 };
	struct mwu r;

	mwu_test(a, 3, b, 3, &r);
	acts_assert(r.exact);
	expect_near(r.u, 0, 0);
	expect_near(r.p, 2.0 / 20, 1e-12);
	mwu_test(d, 5, c, 5, &r);	/* the other way round: U = 25, same p */
	expect_near(r.u, 25, 0);
	expect_near(r.p, 2.0 / 252, 1e-12);
}

/*
 * {1,3,5,7} against {2,4,6,8}: U = 6. Of the 70 orders of 4 + 4, 24 have
 * U <= 6 (counts 1,1,2,3,5,5,7 for U = 0..6), so p = 48/70.
 */
static void test_interleaved(struct acts_dev *dev)
{
	double x[] = { 1, 3, 5, 7 }, y[] = { 2, 4, 6, 8 };
	struct mwu r;

	mwu_test(x, 4, y, 4, &r);
	expect_near(r.u, 6, 0);
	expect_near(r.p, 48.0 / 70, 1e-12);
}

/* Ties take the normal approximation; identical sets give p = 1, U = n1 n2 / 2. */
static void test_ties(struct acts_dev *dev)
{
	double x[] = { 5, 5, 5, 5 }, y[] = { 5, 5, 5 };
	double a[] = { 1, 1, 2, 3 }, b[] = { 1, 2, 2, 3 };
	struct mwu r;

	mwu_test(x, 4, y, 3, &r);
	acts_assert(!r.exact);
	expect_near(r.u, 6, 0);
	expect_near(r.p, 1, 0);
	/* Ranks: 1,1,1 -> 2; 2,2,2 -> 5; 3,3 -> 7.5. x: 2+2+5+7.5 = 16.5, U = 6.5. */
	mwu_test(a, 4, b, 4, &r);
	expect_near(r.u, 6.5, 1e-12);
	acts_assert(r.p > 0.5 && r.p <= 1);
}

/*
 * Large sets: 0..99 against 50..149. U = 1225 + 25 = 1250 (x > y in 1225
 * pairs, and the 50 shared values tie, a half each), mean 5000; the normal
 * approximation with tie correction gives z of about 9.2: p below 1e-15.
 * The test is symmetric in its arguments.
 */
static void test_large(struct acts_dev *dev)
{
	static double x[100], y[100];
	struct mwu r, s;
	int i;

	for (i = 0; i < 100; i++) {
		x[i] = i;
		y[i] = i + 50;
	}
	mwu_test(x, 100, y, 100, &r);
	mwu_test(y, 100, x, 100, &s);
	expect_near(r.u, 1250, 0);
	expect_near(r.u + s.u, 100 * 100, 0);
	acts_assert(r.p < 1e-15);
	expect_near(r.p, s.p, 1e-18);
}

/* No samples on one side: nothing to test, p = 1. */
static void test_empty(struct acts_dev *dev)
{
	double x[] = { 1 };
	struct mwu r;

	mwu_test(x, 1, x, 0, &r);
	expect_near(r.p, 1, 0);
}

static const struct acts_subtest tests[] = {
	{ "separated", "", "fully separated sets: U = 0 and the exact p", test_separated,
	  ACTS_NO_DEVICE },
	{ "interleaved", "", "interleaved sets: exact p from the U distribution", test_interleaved,
	  ACTS_NO_DEVICE },
	{ "ties", "", "tied ranks share their mean; all-equal sets give p = 1", test_ties,
	  ACTS_NO_DEVICE },
	{ "large", "", "large sets: normal approximation, symmetric in its arguments", test_large,
	  ACTS_NO_DEVICE },
	{ "empty", "", "an empty set gives p = 1", test_empty, ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)
