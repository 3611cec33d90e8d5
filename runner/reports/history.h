/* SPDX-License-Identifier: MIT */
/*
 * `accel-cts history`: figures as series over runs, with change points, and
 * failure rates of subtests (see history.c).
 */
#ifndef ACTS_HISTORY_H
#define ACTS_HISTORY_H

int cmd_history(int argc, char **argv);

#endif
