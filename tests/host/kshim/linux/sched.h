/* SPDX-License-Identifier: MIT */
/* In userspace there is nothing to yield to. */
#ifndef ACTS_KSHIM_SCHED_H
#define ACTS_KSHIM_SCHED_H

#define cond_resched() do { } while (0)

#endif
