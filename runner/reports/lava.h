/* SPDX-License-Identifier: MIT */
/*
 * A run folder as LAVA test cases (see lava.c).
 */
#ifndef ACTS_LAVA_H
#define ACTS_LAVA_H

int cmd_lava_cases(int argc, char **argv);

#endif
