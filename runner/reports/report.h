/* SPDX-License-Identifier: MIT */
/*
 * The static HTML report of one or more run folders.
 */
#ifndef ACTS_REPORT_H
#define ACTS_REPORT_H

struct compare_opts;
struct run_data;

/* A group of replicates among the runs: runs[first .. first + n). */
struct report_group {
	const char *name;	/* the folder it was given as */
	int first, n;
};

/*
 * Write out/index.html, out/plots/ and out/compare-N.json for runs (each
 * later group compared with the first; every run plotted). Returns the
 * regressions found, or -errno.
 */
int report_write(const char *out, const struct run_data *runs, int n,
		 const struct report_group *groups, int ngroups, const struct compare_opts *o);

int cmd_report(int argc, char **argv);

#endif
