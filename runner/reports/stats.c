// SPDX-License-Identifier: MIT
/*
 * Small-sample statistics for comparing runs (see stats.h): Welch's t test
 * with Student's t distribution from the regularised incomplete beta
 * function, Benjamini-Hochberg adjustment, and change points of a series.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

void stats_mean_var(const double *v, size_t n, double *mean, double *var)
{
	double m = 0, s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m += v[i];
	m = n ? m / n : 0;
	for (i = 0; i < n; i++)
		s += (v[i] - m) * (v[i] - m);
	*mean = m;
	*var = n > 1 ? s / (n - 1) : 0;
}

/* The continued fraction of the incomplete beta function (modified Lentz). */
static double beta_fraction(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;
	int m;

	d = fabs(d) < tiny ? tiny : d;
	d = 1 / d;
	h = d;
	for (m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, num, delta;

		num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + num * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1 + num / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1 / d;
		h *= d * c;
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + num * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1 + num / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1 / d;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1) < 1e-14)
			break;
	}
	return h;
}

/* I_x(a, b), the regularised incomplete beta function. */
static double incomplete_beta(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	/* The fraction converges fast on one side of the mean; use symmetry. */
	if (x < (a + 1) / (a + b + 2))
		return front * beta_fraction(a, b, x) / a;
	return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

double student_t_cdf(double t, double df)
{
	double tail;

	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return t > 0 ? 1 : 0;
	tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
	return t > 0 ? 1 - tail : tail;
}

void welch_test(const double *a, size_t na, const double *b, size_t nb, struct welch *w)
{
	double ma, va, mb, vb, sa, sb, se2;

	if (na < 2 || nb < 2) {
		w->t = w->df = w->p = NAN;
		return;
	}
	stats_mean_var(a, na, &ma, &va);
	stats_mean_var(b, nb, &mb, &vb);
	sa = va / na;
	sb = vb / nb;
	se2 = sa + sb;
	if (se2 <= 0) {
		w->t = mb == ma ? 0 : copysign(INFINITY, mb - ma);
		w->df = na + nb - 2;
		w->p = mb == ma ? 1 : 0;
		return;
	}
	w->t = (mb - ma) / sqrt(se2);
	/* Welch-Satterthwaite; a side with no spread contributes no term. */
	w->df = se2 * se2 / ((sa ? sa * sa / (na - 1) : 0) + (sb ? sb * sb / (nb - 1) : 0));
	w->p = 2 * student_t_cdf(-fabs(w->t), w->df);
}

static const double *sort_base;

/* Ascending p, NaN last (it stays NaN: nothing was tested). */
static int by_p(const void *x, const void *y)
{
	double a = sort_base[*(const size_t *)x], b = sort_base[*(const size_t *)y];

	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return a < b ? -1 : a > b;
}

void bh_adjust(double *p, size_t n)
{
	size_t *idx = malloc(n * sizeof(*idx)), i;
	double running = 1;

	if (!idx) {
		/* Without memory, Bonferroni: stricter, never looser. */
		for (i = 0; i < n; i++)
			p[i] = fmin(1, p[i] * n);
		return;
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	sort_base = p;
	qsort(idx, n, sizeof(*idx), by_p);
	while (n && isnan(p[idx[n - 1]]))
		n--;
	for (i = n; i-- > 0;) {
		double adj = p[idx[i]] * n / (i + 1);

		running = fmin(running, adj);
		p[idx[i]] = fmin(1, running);
	}
	free(idx);
}

/* Prefix sums of values and squares, for the mean and variance of any run. */
struct sums {
	double *s, *q;
};

static void sums_fill(struct sums *ps, const double *v, size_t n)
{
	size_t i;

	ps->s[0] = ps->q[0] = 0;
	for (i = 0; i < n; i++) {
		ps->s[i + 1] = ps->s[i] + v[i];
		ps->q[i + 1] = ps->q[i] + v[i] * v[i];
	}
}

/* |Welch t| of v[i..j) against the rest of v[0..n). */
static double inside_vs_outside(const struct sums *ps, size_t n, size_t i, size_t j)
{
	double ni = j - i, no = n - ni;
	double si = ps->s[j] - ps->s[i], qi = ps->q[j] - ps->q[i];
	double so = ps->s[n] - si, qo = ps->q[n] - qi;
	double mi = si / ni, mo = so / no;
	double vi = ni > 1 ? fmax(0, (qi - ni * mi * mi) / (ni - 1)) : 0;
	double vo = no > 1 ? fmax(0, (qo - no * mo * mo) / (no - 1)) : 0;
	double se2 = vi / ni + vo / no;

	if (se2 <= 0)
		return mi == mo ? 0 : HUGE_VAL;
	return fabs(mi - mo) / sqrt(se2);
}

/*
 * The best change of v[0..n): a step at i (j == n) or an excursion v[i..j)
 * that returns (both ends change points), each part at least min_seg long;
 * false if none fits.
 */
static bool best_change(const struct sums *ps, size_t n, size_t min_seg, size_t *bi, size_t *bj,
			double *score)
{
	size_t i, j;
	bool found = false;

	*score = -1;
	for (i = min_seg; i + min_seg <= n; i++) {
		for (j = i + min_seg; j <= n; j++) {
			double t;

			if (j < n && j + min_seg > n)
				continue;
			t = inside_vs_outside(ps, n, i, j);
			if (t > *score) {
				*score = t;
				*bi = i;
				*bj = j;
				found = true;
			}
		}
	}
	return found;
}

/* xorshift64*: reproducible shuffles from the caller's seed. */
static unsigned long long next_rand(unsigned long long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static size_t segment(const double *v, size_t off, size_t n, size_t min_seg, double alpha,
		      double min_change, unsigned int rounds, unsigned long long *rng,
		      size_t *cp, size_t count, size_t max)
{
	struct sums ps = { malloc((n + 1) * sizeof(double)), malloc((n + 1) * sizeof(double)) };
	double score, *shuffled = malloc(n * sizeof(*shuffled));
	size_t i, j, i2, j2, k;
	unsigned int r, beaten = 0;
	bool keep = false;

	if (count >= max || !ps.s || !ps.q || !shuffled)
		goto out;
	sums_fill(&ps, v + off, n);
	if (!best_change(&ps, n, min_seg, &i, &j, &score))
		goto out;
	if (fabs((ps.s[j] - ps.s[i]) / (j - i) - (ps.s[n] - ps.s[j] + ps.s[i]) / (n - j + i)) <
	    min_change)
		goto out;

	/* How often does the best change of a shuffled series score as high? */
	for (r = 0; r < rounds; r++) {
		double s2;

		memcpy(shuffled, v + off, n * sizeof(*shuffled));
		for (k = n - 1; k > 0; k--) {
			size_t m = next_rand(rng) % (k + 1);
			double t = shuffled[k];

			shuffled[k] = shuffled[m];
			shuffled[m] = t;
		}
		sums_fill(&ps, shuffled, n);
		if (best_change(&ps, n, min_seg, &i2, &j2, &s2) && s2 >= score)
			beaten++;
	}
	keep = (beaten + 1.0) / (rounds + 1.0) < alpha;
out:
	free(ps.s);
	free(ps.q);
	free(shuffled);
	if (!keep)
		return count;
	/* Each part is searched again: [0, i), [i, j), [j, n). */
	count = segment(v, off, i, min_seg, alpha, min_change, rounds, rng, cp, count, max);
	if (count < max)
		cp[count++] = off + i;
	count = segment(v, off + i, j - i, min_seg, alpha, min_change, rounds, rng, cp, count, max);
	if (j == n)
		return count;
	if (count < max)
		cp[count++] = off + j;
	return segment(v, off + j, n - j, min_seg, alpha, min_change, rounds, rng, cp, count, max);
}

size_t change_points(const double *v, size_t n, size_t min_seg, double alpha, double min_change,
		     unsigned int rounds, unsigned long seed, size_t *cp, size_t max)
{
	unsigned long long rng = seed ? seed : 0x9e3779b97f4a7c15ull;

	if (min_seg < 1)
		min_seg = 1;
	return segment(v, 0, n, min_seg, alpha, min_change, rounds, &rng, cp, 0, max);
}
