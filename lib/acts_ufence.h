/* SPDX-License-Identifier: MIT */
/*
 * Userspace-signalled fences: a fence that stays unsignalled until the test
 * says so, to hold jobs back deterministically (a job waiting on it cannot
 * start, a BO it guards stays busy). Built from vgem's fences, exported
 * from a vgem dma-buf as a sync_file and imported into a syncobj of the
 * device under test. vgem signals a forgotten fence after 10 s itself.
 */
#ifndef ACTS_UFENCE_H
#define ACTS_UFENCE_H

#include <stdint.h>

struct acts_dev;

struct acts_ufence {
	struct acts_dev *vgem;
	uint32_t bo;
	uint32_t fence;
	int sync_fd;		/* a sync_file of the fence */
	int signalled;
};

/* 0, or -errno (-ENODEV without vgem, -EOPNOTSUPP when built without vgem_drm.h). */
int __acts_ufence_create(struct acts_ufence *uf);
/* Create one, skipping the subtest when the machine cannot. */
void acts_require_ufence(struct acts_ufence *uf);
/* A new syncobj on dev holding the fence: a job's input that blocks it. */
uint32_t acts_ufence_syncobj(struct acts_dev *dev, struct acts_ufence *uf);
void acts_ufence_signal(struct acts_ufence *uf);
/* Signals it if still pending, then frees it. */
void acts_ufence_destroy(struct acts_ufence *uf);

#endif
