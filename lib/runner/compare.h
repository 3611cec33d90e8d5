/* SPDX-License-Identifier: MIT */
/*
 * Run folders read back for comparison, plotting and reports.
 */
#ifndef ACTS_COMPARE_H
#define ACTS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json_object;

struct run_data {
	const char *path;
	struct json_object *devices;	/* device folder name -> results.json "tests" */
	struct json_object *bench;	/* "<driver>-<node> <benchmark> <params>" -> record */
	struct json_object *env;	/* environment.json, or NULL */
};

/* A string or number member of a JSON object: NULL or NAN when absent. */
const char *json_str(struct json_object *o, const char *key);
double json_num(struct json_object *o, const char *key);

/* The "<driver>-<node>" of a key of run_data.bench (its text up to the first space). */
void bench_key_device(const char *key, char *buf, size_t len);

/* A device's results.json "tests" counted: pass, skip, fail, and other failures. */
void run_device_counts(struct json_object *tests, int counts[4]);

/* Read a run folder (or one device folder). 0, or -errno with a message printed. */
int run_data_load(struct run_data *r, const char *path);
void run_data_free(struct run_data *r);
/* Read n run folders; NULL (messages printed) if one cannot be read. */
struct run_data *run_data_load_all(char **paths, int n);
void run_data_free_all(struct run_data *runs, int n);

struct compare_opts {
	double threshold;	/* smallest relative change of a figure that counts (0.05) */
	double alpha;		/* significance level of the Mann-Whitney U test (0.01) */
	bool normalise;		/* compare figures divided by the limit each run measured */
	bool all;		/* print every figure compared and every new subtest */
};
#define COMPARE_DEFAULTS { .threshold = 0.05, .alpha = 0.01 }

/*
 * Compare two runs, print the changes to f (NULL: nowhere) and return how
 * many are regressions, or -errno; *result gets the comparison as JSON (the
 * caller puts it).
 */
int compare_runs(const struct run_data *base, const struct run_data *new,
		 const struct compare_opts *o, FILE *f, struct json_object **result);

int cmd_compare(int argc, char **argv);

#endif
