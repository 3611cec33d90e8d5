/* SPDX-License-Identifier: MIT */
/*
 * gnuplot plots of run folders: see plot.c for the list.
 */
#ifndef ACTS_PLOT_H
#define ACTS_PLOT_H

#include <stdbool.h>
#include <stddef.h>

struct run_data;

struct plot_made {
	char name[32];		/* DIR/<name>.png and .svg */
	char title[128];
};

/*
 * Draw every plot the runs have data for into out_dir (PNG and SVG, data
 * files in out_dir/data), a series per run (named runs[i].label) and device.
 * Returns how many were drawn (listed in made), or -errno.
 */
int plot_runs(const struct run_data *runs, int n, const char *out_dir, struct plot_made *made,
	      int max);
bool have_gnuplot(void);

int cmd_plot(int argc, char **argv);

#endif
