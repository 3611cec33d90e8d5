/* SPDX-License-Identifier: MIT */
/*
 * The Mann-Whitney U test: do two sets of samples come from the same
 * distribution? Rank-based, so it assumes no shape (benchmark samples are
 * skewed, with long tails) and one outlier cannot make a change significant.
 */
#ifndef ACTS_MANN_WHITNEY_H
#define ACTS_MANN_WHITNEY_H

#include <stddef.h>

struct mwu {
	double u;	/* U of the first set: pairs (x, y) with x > y, ties count one half */
	double p;	/* two-sided p-value */
	int exact;	/* 1: p from the exact distribution of U; 0: normal approximation */
};

/*
 * Test x[0..nx) against y[0..ny). Exact when there are no ties and both sets
 * are small (nx + ny <= 40); otherwise the normal approximation with tie
 * and continuity corrections. Empty sets, or all samples equal, give p = 1.
 */
void mwu_test(const double *x, size_t nx, const double *y, size_t ny, struct mwu *r);

#endif
