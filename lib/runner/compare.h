/* SPDX-License-Identifier: MIT */
/*
 * Run folders read back for comparison, plotting and reports.
 */
#ifndef ACTS_COMPARE_H
#define ACTS_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

struct json_object;

struct run_data {
	const char *path;
	struct json_object *devices;	/* device folder name -> results.json "tests" */
	struct json_object *bench;	/* "<driver>-<node> <benchmark> <params>" -> record */
	struct json_object *env;	/* environment.json, or NULL */
};

/* Read a run folder (or one device folder). 0, or -errno with a message printed. */
int run_data_load(struct run_data *r, const char *path);
void run_data_free(struct run_data *r);

/*
 * Compare two runs, print the changes to f (NULL: nowhere) and return how
 * many are regressions, or -errno; *result gets the comparison as JSON (the
 * caller puts it). threshold is relative (0.05), alpha the significance level.
 */
int compare_runs(const struct run_data *base, const struct run_data *new, double threshold,
		 double alpha, bool all, FILE *f, struct json_object **result);

int cmd_compare(int argc, char **argv);

#endif
