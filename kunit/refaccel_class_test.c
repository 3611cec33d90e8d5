// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * KUnit suite refaccel_class: the classes module parameter, the
 * capabilities and DRM features of each class, and the rules of the
 * classes that the driver's per-file state shows: one open file at a time,
 * the implicit context (submissions, refused ioctls, banning), and
 * submissions that name syncobjs where the class takes none.
 */

#include <kunit/test.h>
#include <linux/devcoredump.h>
#include <linux/dma-fence.h>
#include <linux/mman.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_ctx.h"
#include "refaccel_drv.h"
#include "refaccel_job.h"
#include "refaccel_kunit.h"

/* Passes when valid lists give one class per name, in order. */
static void refaccel_class_parse_names(struct kunit *test)
{
	static const char * const names[] = {
		"full", "bo-wait", "implicit-ctx", "single-open", "ctx-syncobj",
	};
	static const char all[] = "full,bo-wait,implicit-ctx,single-open,ctx-syncobj";
	static const char eight[] = "full,full,full,full,full,full,full,full";
	const struct refaccel_class *classes[REFACCEL_MAX_DEVICES];
	int i;

	KUNIT_ASSERT_EQ(test, refaccel_classes_parse(all, classes, REFACCEL_MAX_DEVICES), 5);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		KUNIT_EXPECT_STREQ(test, classes[i]->name, names[i]);

	KUNIT_ASSERT_EQ(test, refaccel_classes_parse("bo-wait", classes, REFACCEL_MAX_DEVICES), 1);
	KUNIT_EXPECT_STREQ(test, classes[0]->name, "bo-wait");
	/* The same class may be named more than once, up to the device limit. */
	KUNIT_EXPECT_EQ(test, refaccel_classes_parse(eight, classes, REFACCEL_MAX_DEVICES),
			REFACCEL_MAX_DEVICES);
}

/* Passes when unknown, empty or partial names and too many devices are -EINVAL. */
static void refaccel_class_parse_rejects(struct kunit *test)
{
	static const char * const bad[] = {
		"", ",", "full,", ",full", "full,,bo-wait", "ful", "fullx", "bo_wait",
		"Full", "full bo-wait", "full,bo-wait ",
		"full,full,full,full,full,full,full,full,full",
	};
	const struct refaccel_class *classes[REFACCEL_MAX_DEVICES];
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, refaccel_classes_parse(bad[i], classes,
								 REFACCEL_MAX_DEVICES),
				    -EINVAL, "classes=\"%s\"", bad[i]);
	KUNIT_EXPECT_EQ(test, refaccel_classes_parse("full,bo-wait", classes, 1), -EINVAL);
	KUNIT_EXPECT_NULL(test, refaccel_class_lookup("full", 3));
	KUNIT_EXPECT_NOT_NULL(test, refaccel_class_lookup("full,", 4));
}

struct class_caps {
	const char *name;
	u64 caps;
	bool syncobj;
};

static const struct class_caps class_caps[] = {
	{ "full", REFACCEL_CAP_CONTEXTS | REFACCEL_CAP_JOB_SYNCOBJS, true },
	{ "bo-wait", REFACCEL_CAP_CONTEXTS, false },
	{ "implicit-ctx", REFACCEL_CAP_JOB_SYNCOBJS, true },
	{ "single-open", REFACCEL_CAP_CONTEXTS | REFACCEL_CAP_JOB_SYNCOBJS |
			 REFACCEL_CAP_SINGLE_OPEN, true },
	{ "ctx-syncobj", REFACCEL_CAP_CONTEXTS | REFACCEL_CAP_CTX_SYNCOBJ, true },
};

static void class_caps_desc(const struct class_caps *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(class_caps, class_caps, class_caps_desc);

/*
 * Passes when each class reports the capability bits of its shape, on top
 * of those every device has, and the DRM core sees syncobjs on the
 * device only when the class uses them.
 */
static void refaccel_class_caps(struct kunit *test)
{
	const struct class_caps *want = test->param_value;
	const u64 common = REFACCEL_CAP_PRIME | REFACCEL_CAP_FDINFO | REFACCEL_CAP_SUBMIT |
			   REFACCEL_CAP_MAC | REFACCEL_CAP_USERPTR;
	struct refaccel_device *rdev = refaccel_kunit_class_device(test, want->name, SZ_1M, 1000);

	KUNIT_EXPECT_STREQ(test, rdev->class_name, want->name);
	KUNIT_EXPECT_EQ(test, refaccel_device_caps(rdev), common | want->caps);
	KUNIT_EXPECT_EQ(test, drm_core_check_feature(&rdev->drm, DRIVER_SYNCOBJ), want->syncobj);
	KUNIT_EXPECT_EQ(test, drm_core_check_feature(&rdev->drm, DRIVER_SYNCOBJ_TIMELINE),
			want->syncobj);
	KUNIT_EXPECT_TRUE(test, drm_core_check_feature(&rdev->drm, DRIVER_GEM));
}

struct class_fx {
	struct kunit *test;
	struct refaccel_device *rdev;
	struct drm_file *file;
	unsigned long ucmds;	/* a user page for command buffers */
};

static void class_fx_close(void *fx_ptr)
{
	struct class_fx *fx = fx_ptr;

	refaccel_postclose(&fx->rdev->drm, fx->file);
}

/* A device of a class and one open file, closed with the test. */
static struct class_fx *class_fx_init(struct kunit *test, const char *class,
				      unsigned int timeout_ms)
{
	struct class_fx *fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->test = test;
	fx->rdev = refaccel_kunit_class_device(test, class, SZ_16M, timeout_ms);
	/* The driver's paths below need only its per-file state. */
	fx->file = kunit_kzalloc(test, sizeof(*fx->file), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->file);
	KUNIT_ASSERT_EQ(test, refaccel_open(&fx->rdev->drm, fx->file), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, class_fx_close, fx), 0);
	fx->ucmds = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
				  MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, fx->ucmds, 0, "no user memory for command buffers");
	return fx;
}

static const struct drm_refaccel_cmd_header nop = { REFACCEL_CMD_NOP, 8 };

/* Submit a NOP as *args says; on success *done holds the job's finished fence. */
static int submit(struct class_fx *fx, struct drm_refaccel_submit *args, struct dma_fence **done)
{
	KUNIT_ASSERT_EQ(fx->test, copy_to_user((void __user *)fx->ucmds, &nop, sizeof(nop)), 0);
	args->cmds = fx->ucmds;
	args->cmds_size = sizeof(nop);
	*done = NULL;
	return refaccel_submit(&fx->rdev->drm, args, fx->file, done);
}

/* Wait for a fence and return its error (0 for success), then drop it. */
static int wait_error(struct class_fx *fx, struct dma_fence *fence)
{
	long left = dma_fence_wait_timeout(fence, false, 10 * HZ);
	int error = fence->error;

	dma_fence_put(fence);
	KUNIT_ASSERT_GT_MSG(fx->test, left, 0, "the job's fence did not signal within 10 s");
	return error;
}

/*
 * Passes when a single-open device refuses a second open with -EBUSY and
 * takes one again once the first file is closed.
 */
static void refaccel_class_single_open(struct kunit *test)
{
	struct class_fx *fx = class_fx_init(test, "single-open", 1000);
	struct drm_file *second = kunit_kzalloc(test, sizeof(*second), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, second);
	KUNIT_EXPECT_EQ(test, refaccel_open(&fx->rdev->drm, second), -EBUSY);
	KUNIT_EXPECT_EQ(test, refaccel_open(&fx->rdev->drm, second), -EBUSY);

	refaccel_postclose(&fx->rdev->drm, fx->file);
	KUNIT_ASSERT_EQ(test, refaccel_open(&fx->rdev->drm, second), 0);
	KUNIT_EXPECT_EQ(test, refaccel_open(&fx->rdev->drm, fx->file), -EBUSY);
	refaccel_postclose(&fx->rdev->drm, second);
	/* Open again for the fixture, which closes it. */
	KUNIT_ASSERT_EQ(test, refaccel_open(&fx->rdev->drm, fx->file), 0);
}

/* Passes when a full device takes several open files at once. */
static void refaccel_class_full_multi_open(struct kunit *test)
{
	struct class_fx *fx = class_fx_init(test, "full", 1000);
	struct drm_file *second = kunit_kzalloc(test, sizeof(*second), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, second);
	KUNIT_ASSERT_EQ(test, refaccel_open(&fx->rdev->drm, second), 0);
	refaccel_postclose(&fx->rdev->drm, second);
}

/*
 * Passes when an implicit-ctx device refuses the context ioctls with
 * -EOPNOTSUPP and any ctx_id but 0 with -EINVAL, runs jobs on context 0,
 * and bans it after a hang (later submissions get -ECANCELED).
 */
static void refaccel_class_implicit_ctx(struct kunit *test)
{
	struct class_fx *fx = class_fx_init(test, "implicit-ctx", 100);
	struct drm_refaccel_ctx_create create = { .priority = REFACCEL_PRIORITY_NORMAL };
	struct drm_refaccel_ctx_destroy destroy = {};
	struct drm_refaccel_submit args = {};
	struct refaccel_faults *faults = &fx->rdev->faults;
	struct dma_fence *f;

	KUNIT_EXPECT_EQ(test, refaccel_ctx_create_ioctl(&fx->rdev->drm, &create, fx->file),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, refaccel_ctx_destroy_ioctl(&fx->rdev->drm, &destroy, fx->file),
			-EOPNOTSUPP);

	KUNIT_ASSERT_EQ(test, submit(fx, &args, &f), 0);
	KUNIT_EXPECT_EQ(test, args.seqno, 1);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), 0);
	args.ctx_id = 1;
	KUNIT_EXPECT_EQ(test, submit(fx, &args, &f), -EINVAL);
	KUNIT_EXPECT_NULL(test, f);

	args.ctx_id = 0;
	atomic_set(&faults->hang_job, 1);
	KUNIT_ASSERT_EQ(test, submit(fx, &args, &f), 0);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, atomic64_read(&faults->banned_contexts), 1);
	KUNIT_EXPECT_EQ(test, submit(fx, &args, &f), -ECANCELED);
	flush_work(&fx->rdev->engines[REFACCEL_ENGINE_COMPUTE].dump.work);
	dev_coredump_put(fx->rdev->drm.dev);
}

/* Passes when a full device, with contexts, still has no context 0. */
static void refaccel_class_full_no_ctx0(struct kunit *test)
{
	struct class_fx *fx = class_fx_init(test, "full", 1000);
	struct drm_refaccel_submit args = {};
	struct dma_fence *f;

	KUNIT_EXPECT_EQ(test, submit(fx, &args, &f), -ENOENT);
	KUNIT_EXPECT_NULL(test, f);
}

static const char * const no_job_syncobjs[] = { "bo-wait", "ctx-syncobj" };

static void no_job_syncobjs_desc(const char * const *name, char *desc)
{
	strscpy(desc, *name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(no_job_syncobjs, no_job_syncobjs, no_job_syncobjs_desc);

/*
 * Passes when a class without job syncobjs refuses input syncs and an
 * output syncobj with -EINVAL before looking anything up.
 */
static void refaccel_class_no_job_syncobjs(struct kunit *test)
{
	const char * const *name = test->param_value;
	struct class_fx *fx = class_fx_init(test, *name, 1000);
	struct drm_refaccel_submit in = { .in_sync_count = 1, .ctx_id = 1 };
	struct drm_refaccel_submit out = { .out_sync.handle = 1, .ctx_id = 1 };
	struct dma_fence *f;

	KUNIT_EXPECT_EQ(test, submit(fx, &in, &f), -EINVAL);
	KUNIT_EXPECT_EQ(test, submit(fx, &out, &f), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->rdev->jobs_alive), 0);
}

static struct kunit_case refaccel_class_cases[] = {
	KUNIT_CASE(refaccel_class_parse_names),
	KUNIT_CASE(refaccel_class_parse_rejects),
	KUNIT_CASE_PARAM(refaccel_class_caps, class_caps_gen_params),
	KUNIT_CASE(refaccel_class_single_open),
	KUNIT_CASE(refaccel_class_full_multi_open),
	KUNIT_CASE_SLOW(refaccel_class_implicit_ctx),
	KUNIT_CASE(refaccel_class_full_no_ctx0),
	KUNIT_CASE_PARAM(refaccel_class_no_job_syncobjs, no_job_syncobjs_gen_params),
	{}
};

static struct kunit_suite refaccel_class_suite = {
	.name = "refaccel_class",
	.test_cases = refaccel_class_cases,
};

kunit_test_suite(refaccel_class_suite);
