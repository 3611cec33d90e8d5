// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Fault injection and recovery counters, under the device's debugfs folder
 * (/sys/kernel/debug/accel/<device name>/):
 *
 *   fail_alloc, fail_job, hang_job  how many of the next allocations or jobs
 *                                   to fail or hang (read: how many are left)
 *   corrupt_mac                     how many of the next MAC commands get one
 *                                   wrong bit in their result
 *   job_delay_us                    every job runs this much longer (0-1000000)
 *   copy_throttle_mbps              COPY commands move at most this many MB/s
 *                                   (0: no limit): slower ones are not slowed
 *   job_timeout_ms                  drm_sched job timeout of every engine
 *   broken                          fail_alloc, fail_job, corrupt_mac (comma
 *                                   separated) or none: those faults fire on
 *                                   every event until set back to none
 *   reset                           write an engine name or "all" to reset
 *   counters                        faults fired, hangs, resets, bans,
 *                                   corrupted MAC results
 *
 * (The same folder has the read-only file class, made by refaccel_drv.c.)
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "refaccel_drv.h"
#include "refaccel_engine.h"
#include "refaccel_fault.h"

/* Upper bound of job_timeout_ms: ten minutes is longer than any test. */
#define REFACCEL_MAX_JOB_TIMEOUT_MS	600000
/* Upper bound of job_delay_us: a second per job is slow enough for any test. */
#define REFACCEL_MAX_JOB_DELAY_US	1000000

static int refaccel_job_delay_get(void *data, u64 *val)
{
	struct refaccel_faults *f = data;

	*val = atomic_read(&f->job_delay_us);
	return 0;
}

static int refaccel_job_delay_set(void *data, u64 val)
{
	struct refaccel_faults *f = data;

	if (val > REFACCEL_MAX_JOB_DELAY_US)
		return -EINVAL;
	atomic_set(&f->job_delay_us, val);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(refaccel_job_delay_fops, refaccel_job_delay_get,
			 refaccel_job_delay_set, "%llu\n");

static int refaccel_job_timeout_get(void *data, u64 *val)
{
	struct refaccel_device *rdev = data;

	*val = refaccel_engine_get_timeout_ms(&rdev->engines[0]);
	return 0;
}

static int refaccel_job_timeout_set(void *data, u64 val)
{
	struct refaccel_device *rdev = data;
	int i;

	if (!val || val > REFACCEL_MAX_JOB_TIMEOUT_MS)
		return -EINVAL;

	for (i = 0; i < REFACCEL_ENGINE_COUNT; i++)
		refaccel_engine_set_timeout_ms(&rdev->engines[i], val);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(refaccel_job_timeout_fops, refaccel_job_timeout_get,
			 refaccel_job_timeout_set, "%llu\n");

static ssize_t refaccel_reset_write(struct file *f, const char __user *ubuf,
				    size_t len, loff_t *pos)
{
	struct refaccel_device *rdev = f->private_data;
	char buf[16];
	bool found = false;
	int i;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);

	for (i = 0; i < REFACCEL_ENGINE_COUNT; i++) {
		struct refaccel_engine *engine = &rdev->engines[i];

		if (!strcmp(buf, "all") || !strcmp(buf, engine->name)) {
			refaccel_engine_request_reset(engine);
			found = true;
		}
	}
	if (!found)
		return -EINVAL;

	/* Return once the resets are done, so that a reader sees their effect. */
	flush_workqueue(rdev->reset_wq);
	return len;
}

static const struct file_operations refaccel_reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = refaccel_reset_write,
	.llseek = noop_llseek,
};

static const struct {
	const char *name;
	u32 bit;
} refaccel_broken_names[] = {
	{ "fail_alloc", REFACCEL_BROKEN_FAIL_ALLOC },
	{ "fail_job", REFACCEL_BROKEN_FAIL_JOB },
	{ "corrupt_mac", REFACCEL_BROKEN_CORRUPT_MAC },
};

static int refaccel_broken_show(struct seq_file *m, void *unused)
{
	struct refaccel_faults *f = m->private;
	u32 bits = atomic_read(&f->broken);
	const char *sep = "";
	int i;

	for (i = 0; i < ARRAY_SIZE(refaccel_broken_names); i++) {
		if (!(bits & refaccel_broken_names[i].bit))
			continue;
		seq_printf(m, "%s%s", sep, refaccel_broken_names[i].name);
		sep = ",";
	}
	seq_printf(m, "%s\n", bits ? "" : "none");
	return 0;
}

static int refaccel_broken_open(struct inode *inode, struct file *file)
{
	return single_open(file, refaccel_broken_show, inode->i_private);
}

/*
 * A whole list replaces the last one; an unknown name changes nothing, so
 * that a typo never leaves a run with fewer faults than asked.
 */
static ssize_t refaccel_broken_write(struct file *file, const char __user *ubuf,
				     size_t len, loff_t *pos)
{
	struct refaccel_faults *f = file_inode(file)->i_private;
	char buf[64], *p = buf, *name;
	u32 bits = 0;
	int i;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	while ((name = strsep(&p, ",\n "))) {
		if (!*name || !strcmp(name, "none"))
			continue;
		for (i = 0; i < ARRAY_SIZE(refaccel_broken_names); i++)
			if (!strcmp(name, refaccel_broken_names[i].name))
				break;
		if (i == ARRAY_SIZE(refaccel_broken_names))
			return -EINVAL;
		bits |= refaccel_broken_names[i].bit;
	}
	atomic_set(&f->broken, bits);
	return len;
}

static const struct file_operations refaccel_broken_fops = {
	.owner = THIS_MODULE,
	.open = refaccel_broken_open,
	.read = seq_read,
	.write = refaccel_broken_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int refaccel_counters_show(struct seq_file *m, void *unused)
{
	struct refaccel_device *rdev = m->private;
	struct refaccel_faults *f = &rdev->faults;

	seq_printf(m, "alloc_failures: %lld\n", atomic64_read(&f->alloc_failures));
	seq_printf(m, "job_failures: %lld\n", atomic64_read(&f->job_failures));
	seq_printf(m, "hangs: %lld\n", atomic64_read(&f->hangs));
	seq_printf(m, "resets: %lld\n", atomic64_read(&f->resets));
	seq_printf(m, "banned_contexts: %lld\n", atomic64_read(&f->banned_contexts));
	seq_printf(m, "mac_corruptions: %lld\n", atomic64_read(&f->mac_corruptions));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(refaccel_counters);

/**
 * refaccel_fault_debugfs_init() - create the fault files of a device
 * @rdev: the device, registered (its debugfs folder exists)
 */
void refaccel_fault_debugfs_init(struct refaccel_device *rdev)
{
	struct dentry *root = rdev->drm.debugfs_root;
	struct refaccel_faults *f = &rdev->faults;

	debugfs_create_atomic_t("fail_alloc", 0600, root, &f->fail_alloc);
	debugfs_create_atomic_t("fail_job", 0600, root, &f->fail_job);
	debugfs_create_atomic_t("hang_job", 0600, root, &f->hang_job);
	debugfs_create_atomic_t("corrupt_mac", 0600, root, &f->corrupt_mac);
	debugfs_create_file_unsafe("job_delay_us", 0600, root, f, &refaccel_job_delay_fops);
	debugfs_create_atomic_t("copy_throttle_mbps", 0600, root, &f->copy_throttle_mbps);
	debugfs_create_file_unsafe("job_timeout_ms", 0600, root, rdev,
				   &refaccel_job_timeout_fops);
	debugfs_create_file("broken", 0600, root, f, &refaccel_broken_fops);
	debugfs_create_file("reset", 0200, root, rdev, &refaccel_reset_fops);
	debugfs_create_file("counters", 0400, root, rdev, &refaccel_counters_fops);
}
