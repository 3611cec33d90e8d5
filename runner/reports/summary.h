/* SPDX-License-Identifier: MIT */
#ifndef ACTS_SUMMARY_H
#define ACTS_SUMMARY_H

/* `accel-cts summary RUN`: the totals of a run folder, KUnit results included. */
int cmd_summary(int argc, char **argv);

#endif
