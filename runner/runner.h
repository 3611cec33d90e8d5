/* SPDX-License-Identifier: MIT */
/*
 * accel-cts run: run every test binary's subtests against each device and
 * write an IGT-style results folder.
 */
#ifndef ACTS_RUNNER_H
#define ACTS_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "acts_device.h"

/* IGT's result names, in results.json order of badness. */
enum run_result {
	RUN_PASS,
	RUN_SKIP,
	RUN_DMESG_WARN,		/* passed, but the kernel logged a warning */
	RUN_FAIL,
	RUN_DMESG_FAIL,		/* failed, and the kernel logged a warning */
	RUN_CRASH,
	RUN_TIMEOUT,
	RUN_NRESULTS
};

struct expectations;

struct subtest_result {
	char *binary;		/* e.g. "accel_gem" */
	char *name;		/* e.g. "bo-create-zero-size" */
	char *desc;
	char *rules;
	enum run_result result;
	double start, end;	/* seconds since the run began */
	char *out, *err, *dmesg;
	char *reason;		/* why it did not pass, one line */
	int verdict;		/* enum expectation_verdict: what the expectation files made of it */
	int retries;		/* runs after the first (a listed flake that failed) */
	bool retry_passed;	/* the last of them passed */
};

struct device_run {
	struct acts_node node;
	const struct expectations *exp;	/* DRM CI expectation files for its driver, or NULL */
	struct subtest_result *results;
	int n, cap;
	double start, end;
};

struct run_options {
	const char *tests_dir;
	const char *out_dir;
	int timeout_s;
	int flake_retries;	/* reruns of a failing subtest listed as a flake */
	bool quiet;
};

const char *run_result_name(enum run_result r);
bool run_result_is_failure(enum run_result r);
/* Does this subtest fail the run, its expectations considered? */
bool subtest_is_failure(const struct subtest_result *r);
/* Write failures.csv in DRM CI's "binary@subtest,Result" form: what fails the run. */
int write_failures_csv(const char *dir, const struct device_run *dev);

/* Run one test binary's subtests on dev; appends to dev->results. */
int run_binary(const struct run_options *o, struct device_run *dev, const char *path,
	       double t0);

/* /dev/kmsg capture: open at the end of the log, then collect what follows. */
int kmsg_open(void);
/* Add a regex of warnings to ignore to the built-in list of host noise. */
int kmsg_set_ignore(const char *user_regex);
/*
 * Read the new records. *first_warning gets (malloc'd) the first one at
 * warning level or worse that is not ignored, or NULL.
 */
char *kmsg_collect(int fd, char **first_warning);

int write_results_json(const char *dir, const struct device_run *dev, const char *name);
int write_ktap(const char *dir, const struct device_run *dev);
int write_junit(const char *dir, const struct device_run *dev);
void print_summary(FILE *f, const struct device_run *devs, int n, const char *out_dir);

#endif
