// SPDX-License-Identifier: MIT
/*
 * The Mann-Whitney U test. See mann_whitney.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mann_whitney.h"

struct tagged {
	double v;
	int set;	/* 0: x, 1: y */
};

static int cmp_tagged(const void *a, const void *b)
{
	double x = ((const struct tagged *)a)->v, y = ((const struct tagged *)b)->v;

	return (x > y) - (x < y);
}

/*
 * P(U <= u) when there are no ties: the number of arrangements of m x's and
 * n y's whose U is at most u, over all C(m + n, m), counted by the recurrence
 * f(m, n, u) = f(m - 1, n, u - n) + f(m, n - 1, u) (the largest value is an
 * x, which beats all n y's, or a y, which beats no x).
 */
static double exact_cdf(size_t m, size_t n, size_t u)
{
	size_t umax = m * n, i, j, k;
	/* f[j][k]: arrangements of i x's and j y's with U = k, for the current i. */
	double *f = calloc((n + 1) * (umax + 1), sizeof(*f)), total = 0, below = 0;

	if (!f)
		return NAN;
	for (j = 0; j <= n; j++)
		f[j * (umax + 1)] = 1;		/* i = 0: U is 0 */
	for (i = 1; i <= m; i++) {
		/* In place: row j for i needs row j for i - 1 and row j - 1 for i. */
		for (j = 0; j <= n; j++) {
			double *row = f + j * (umax + 1);

			for (k = umax + 1; k-- > 0;) {
				double v = k >= j ? row[k - j] : 0;	/* from (i - 1, j, k - j) */

				if (j)
					v += f[(j - 1) * (umax + 1) + k];	/* from (i, j - 1, k) */
				row[k] = v;
			}
		}
	}
	for (k = 0; k <= umax; k++) {
		total += f[n * (umax + 1) + k];
		if (k <= u)
			below += f[n * (umax + 1) + k];
	}
	free(f);
	return below / total;
}

void mwu_test(const double *x, size_t nx, const double *y, size_t ny, struct mwu *r)
{
	size_t n = nx + ny, i, j;
	struct tagged *t;
	double rank_x = 0, ties = 0, mean, var, z;
	int tied = 0;

	memset(r, 0, sizeof(*r));
	r->p = 1;
	if (!nx || !ny)
		return;
	t = malloc(n * sizeof(*t));
	if (!t)
		return;
	for (i = 0; i < nx; i++)
		t[i] = (struct tagged){ x[i], 0 };
	for (i = 0; i < ny; i++)
		t[nx + i] = (struct tagged){ y[i], 1 };
	qsort(t, n, sizeof(*t), cmp_tagged);
	/* Ranks from 1; a run of equal values shares their mean rank. */
	for (i = 0; i < n; i = j) {
		double rank;

		for (j = i + 1; j < n && t[j].v == t[i].v; j++)
			;
		rank = (double)(i + 1 + j) / 2;
		if (j - i > 1) {
			double len = (double)(j - i);

			tied = 1;
			ties += len * len * len - len;
		}
		for (size_t k = i; k < j; k++)
			if (!t[k].set)
				rank_x += rank;
	}
	free(t);
	r->u = rank_x - (double)nx * (double)(nx + 1) / 2;
	mean = (double)nx * (double)ny / 2;

	if (!tied && n <= 40) {
		/* U is symmetric about its mean: double the smaller tail. */
		double lo = r->u < mean ? r->u : (double)nx * (double)ny - r->u;

		r->exact = 1;
		r->p = 2 * exact_cdf(nx, ny, (size_t)lo);
		if (r->p > 1)
			r->p = 1;
		return;
	}
	var = (double)nx * (double)ny / 12 * ((double)(n + 1) - ties / ((double)n * (double)(n - 1)));
	if (var <= 0)
		return;		/* every sample equal: no evidence of a change */
	z = (fabs(r->u - mean) - 0.5) / sqrt(var);
	r->p = z > 0 ? erfc(z / sqrt(2)) : 1;
}
