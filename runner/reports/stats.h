/* SPDX-License-Identifier: MIT */
/*
 * Statistics for comparing runs: each run (a guest boot) is one replicate,
 * summarised by its median, so the tests here see a handful of values per
 * side, not the thousands of samples inside a run.
 */
#ifndef ACTS_STATS_H
#define ACTS_STATS_H

#include <stddef.h>

/* Mean and sample variance (n - 1) of v[0..n). */
void stats_mean_var(const double *v, size_t n, double *mean, double *var);

/*
 * Welch's t test of mean(b) against mean(a): t, its degrees of freedom and
 * the two-sided p value. With fewer than 2 values a side, all three are NaN;
 * when both variances are 0, p is 0 for different means and 1 for equal ones.
 */
struct welch {
	double t, df, p;
};
void welch_test(const double *a, size_t na, const double *b, size_t nb, struct welch *w);

/* P(T <= t) for Student's t with df degrees of freedom. */
double student_t_cdf(double t, double df);

/*
 * Benjamini-Hochberg: replace p[0..n) by the adjusted values, so that
 * "adjusted p < q" keeps the expected share of false discoveries among the
 * figures flagged below q. A NaN (untested) stays NaN and counts for none.
 */
void bh_adjust(double *p, size_t n);

/*
 * Change points of a series by binary segmentation: the step, or the
 * excursion that returns, with the largest Welch t between the values inside
 * and outside it, kept when a permutation test (rounds
 * shuffles, from seed) finds it significant at alpha and the means differ by
 * at least min_change (on the values as given: pass logarithms, and the log
 * of 1 + the relative change, to test relative changes); then each side
 * again. Segments have at least min_seg values. Writes up to max indices
 * (the first value of each new segment, ascending) to cp; returns how many.
 */
size_t change_points(const double *v, size_t n, size_t min_seg, double alpha, double min_change,
		     unsigned int rounds, unsigned long seed, size_t *cp, size_t max);

#endif
