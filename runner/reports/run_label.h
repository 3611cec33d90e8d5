/* SPDX-License-Identifier: MIT */
/*
 * How a run is named in plot legends and report tables.
 */
#ifndef ACTS_RUN_LABEL_H
#define ACTS_RUN_LABEL_H

struct run_data;

/* accel-cts run --label: longer ones crowd the legends (room is left for " #NN"). */
#define RUN_LABEL_GIVEN_MAX 48

/*
 * Set runs[i].label for n runs read together: the label the run recorded
 * (accel-cts run --label), else its short git sha, kernel release and start
 * time ("f18579d 7.2.13 00:24", the date too when the runs span several
 * days), else its folder name. Labels are unique among the n: a repeated one
 * gets " #2", " #3"..., so no two run folders ever share a series.
 */
void run_labels_assign(struct run_data *runs, int n);

#endif
