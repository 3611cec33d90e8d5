/* SPDX-License-Identifier: MIT */
/*
 * `accel-cts compare`: the changes between two run folders.
 */
#ifndef ACTS_COMPARE_H
#define ACTS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "run_folder.h"

struct compare_opts {
	double threshold;	/* smallest relative change of a figure that counts (0.05) */
	double alpha;		/* false discovery rate over the figures compared (0.05) */
	bool normalise;		/* compare figures divided by the limit each run measured */
	bool all;		/* print every figure compared and every new subtest */
};
#define COMPARE_DEFAULTS { .threshold = 0.05, .alpha = 0.05 }

/*
 * Compare two groups of runs (each run one replicate), print the changes to
 * f (NULL: nowhere) and return how many are regressions, or -errno; *result
 * gets the comparison as JSON (the caller puts it).
 */
int compare_groups(const struct run_data *base, int nb, const struct run_data *new, int nn,
		   const struct compare_opts *o, FILE *f, struct json_object **result);
/* The same for one run a side: benchmark changes are inconclusive then. */
int compare_runs(const struct run_data *base, const struct run_data *new,
		 const struct compare_opts *o, FILE *f, struct json_object **result);

int cmd_compare(int argc, char **argv);

#endif
