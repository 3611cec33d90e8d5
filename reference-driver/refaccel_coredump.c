// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * devcoredump of a hung job: what a developer needs to see why it hung, as
 * text under /sys/class/devcoredump/devcdN/data. Written without allocating,
 * on the path to the hung job's fence, and handed over from a worker.
 */

#include <linux/devcoredump.h>
#include <linux/dma-fence.h>
#include <linux/sizes.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "refaccel_coredump.h"
#include "refaccel_ctx.h"
#include "refaccel_drv.h"
#include "refaccel_engine.h"
#include "refaccel_job.h"

/* Room for the header, the BO list and a hex dump of the largest command buffer. */
#define REFACCEL_COREDUMP_SIZE	(SZ_4K + REFACCEL_MAX_JOB_BOS * 64 + REFACCEL_MAX_CMDS_SIZE * 3)

static void refaccel_coredump_work(struct work_struct *work)
{
	struct refaccel_coredump *cd = container_of(work, struct refaccel_coredump, work);
	void *ready = xchg(&cd->ready, NULL);

	/* dev_coredumpv() owns the buffer from here and vfree()s it. */
	if (ready)
		dev_coredumpv(cd->dev, ready, cd->ready_len, GFP_KERNEL);
	if (!READ_ONCE(cd->spare))
		WRITE_ONCE(cd->spare, vmalloc(REFACCEL_COREDUMP_SIZE));
}

/**
 * refaccel_coredump_init() - allocate the first dump buffer of an engine
 * @cd: the engine's dump state
 * @dev: the device the dumps are of
 *
 * Return: 0 or -ENOMEM.
 */
int refaccel_coredump_init(struct refaccel_coredump *cd, struct device *dev)
{
	cd->dev = dev;
	cd->ready = NULL;
	INIT_WORK(&cd->work, refaccel_coredump_work);
	cd->spare = vmalloc(REFACCEL_COREDUMP_SIZE);
	return cd->spare ? 0 : -ENOMEM;
}

/**
 * refaccel_coredump_fini() - wait for a pending dump and free the buffers
 * @cd: the engine's dump state; no hang can be recorded any more
 */
void refaccel_coredump_fini(struct refaccel_coredump *cd)
{
	cancel_work_sync(&cd->work);
	vfree(cd->ready);
	vfree(cd->spare);
}

/**
 * refaccel_coredump_capture() - record a hung job in a devcoredump
 * @cd: the engine's dump state
 * @engine: the engine it hung on
 * @job: the hung job, still on the hardware
 * @reason: what detected the hang
 *
 * Allocates nothing: the job's fence has not signalled yet. Best effort:
 * when the buffer of the previous dump was not replaced yet, or while an
 * earlier dump of the device is still unread, no dump is made.
 */
void refaccel_coredump_capture(struct refaccel_coredump *cd, struct refaccel_engine *engine,
			       struct refaccel_job *job, const char *reason)
{
	struct drm_print_iterator iter = {};
	struct drm_printer p;
	u32 i;

	iter.data = xchg(&cd->spare, NULL);
	if (!iter.data)
		return;
	iter.remain = REFACCEL_COREDUMP_SIZE;
	p = drm_coredump_printer(&iter);

	drm_printf(&p, "driver: %s\n", REFACCEL_DRIVER_NAME);
	drm_printf(&p, "device: %s\n", dev_name(engine->rdev->drm.dev));
	drm_printf(&p, "kernel: %s\n", init_utsname()->release);
	drm_printf(&p, "reason: %s\n", reason);
	drm_printf(&p, "time_ns: %llu\n", ktime_get_ns());
	drm_printf(&p, "engine: %s\n", engine->name);
	drm_printf(&p, "context: %u\n", job->ctx->id);
	drm_printf(&p, "seqno: %llu\n", job->seqno);
	drm_printf(&p, "state: %s\n", job->hang ? "hung" : "running past the timeout");
	drm_printf(&p, "bo_count: %u\n", job->bo_count);
	for (i = 0; i < job->bo_count; i++)
		drm_printf(&p, "bo[%u]: size %zu\n", i, job->bos[i]->size);
	drm_printf(&p, "cmds_size: %u\n", job->cmds_size);
	for (i = 0; i < job->cmds_size; i += 4) {
		u32 word = *(u32 *)(job->cmds + i);

		drm_printf(&p, "%08x%c", word, (i % 32 == 28) ? '\n' : ' ');
	}
	drm_printf(&p, "\n");

	cd->ready_len = REFACCEL_COREDUMP_SIZE - iter.remain;
	/* Pairs with the xchg() in the worker: it sees ready_len once it sees the dump. */
	smp_store_release(&cd->ready, iter.data);
	queue_work(system_dfl_wq, &cd->work);
}
