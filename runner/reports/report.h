/* SPDX-License-Identifier: MIT */
/*
 * The static HTML report of one or more run folders.
 */
#ifndef ACTS_REPORT_H
#define ACTS_REPORT_H

struct compare_opts;
struct run_data;

/*
 * Write out/index.html, out/plots/ and out/compare-N.json for runs (later
 * ones compared with runs[0]). Returns the regressions found, or -errno.
 */
int report_write(const char *out, const struct run_data *runs, int n,
		 const struct compare_opts *o);

int cmd_report(int argc, char **argv);

#endif
