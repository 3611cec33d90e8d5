// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * refaccel: the reference compute accelerator of accel-cts. The module
 * creates num_devices devices with no resources (faux devices, or platform
 * devices before Linux 6.14); each probes into one accel node. With the
 * classes parameter, it creates one device per class named there instead,
 * each presenting the uapi shape of its class (struct refaccel_class).
 */

#include <linux/debugfs.h>
#include <linux/devcoredump.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <drm/drm_accel.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>

#include <kunit/visibility.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_compat.h"
#include "refaccel_ctx.h"
#include "refaccel_drv.h"
#include "refaccel_gem.h"
#include "refaccel_job.h"
#include "refaccel_mac.h"
#include "refaccel_thp.h"

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Number of refaccel devices to create (1-8, default 1)");

static char *classes;
module_param(classes, charp, 0444);
#define REFACCEL_CLASS_NAMES	"full, bo-wait, implicit-ctx, single-open, ctx-syncobj"
MODULE_PARM_DESC(classes, "Comma-separated classes, one device each, instead of num_devices ("
		 REFACCEL_CLASS_NAMES ")");

static unsigned long mem_budget_mb = 256;
module_param(mem_budget_mb, ulong, 0444);
MODULE_PARM_DESC(mem_budget_mb, "Device memory budget of each device in MiB (default 256)");

static unsigned int job_timeout_ms = 5000;
module_param(job_timeout_ms, uint, 0444);
MODULE_PARM_DESC(job_timeout_ms, "Initial job timeout in ms (default 5000; debugfs changes it)");

/*
 * The classes, each the shape of upstream drivers: full is refaccel's own;
 * bo-wait has no syncobjs and completes through BO waits (ivpu, ethosu);
 * implicit-ctx has one context per open file (rocket, ethosu); single-open
 * allows one open file at a time (habanalabs); ctx-syncobj signals each
 * job's seqno on a syncobj of its context (amdxdna).
 */
static const struct refaccel_class refaccel_classes[] = {
	{ "full", REFACCEL_CAP_CONTEXTS | REFACCEL_CAP_JOB_SYNCOBJS },
	{ "bo-wait", REFACCEL_CAP_CONTEXTS },
	{ "implicit-ctx", REFACCEL_CAP_JOB_SYNCOBJS },
	{ "single-open", REFACCEL_CAP_CONTEXTS | REFACCEL_CAP_JOB_SYNCOBJS |
			 REFACCEL_CAP_SINGLE_OPEN },
	{ "ctx-syncobj", REFACCEL_CAP_CONTEXTS | REFACCEL_CAP_CTX_SYNCOBJ },
};

/**
 * refaccel_class_lookup() - find a class by name
 * @name: the name; need not be NUL-terminated
 * @len: its length
 *
 * Return: the class, or NULL if none has that name.
 */
VISIBLE_IF_KUNIT const struct refaccel_class *refaccel_class_lookup(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(refaccel_classes); i++)
		if (strlen(refaccel_classes[i].name) == len &&
		    !memcmp(refaccel_classes[i].name, name, len))
			return &refaccel_classes[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_class_lookup);

/**
 * refaccel_classes_parse() - parse the classes module parameter
 * @list: class names separated by commas, without spaces
 * @classes: receives the class of each device, in order
 * @max: entries in @classes
 *
 * Return: the number of devices (at least 1), or -EINVAL for an empty
 * list or name, an unknown name, or more than @max names; the reason is
 * logged.
 */
VISIBLE_IF_KUNIT int refaccel_classes_parse(const char *list,
					    const struct refaccel_class **classes,
					    unsigned int max)
{
	const char *name = list;
	unsigned int n = 0;

	for (;;) {
		size_t len = strchrnul(name, ',') - name;
		const struct refaccel_class *class = refaccel_class_lookup(name, len);

		if (!class) {
			pr_err("refaccel: classes=%s: unknown class '%.*s' (known: %s)\n",
			       list, (int)len, name, REFACCEL_CLASS_NAMES);
			return -EINVAL;
		}
		if (n == max) {
			pr_err("refaccel: classes=%s: more than %u devices\n", list, max);
			return -EINVAL;
		}
		classes[n++] = class;
		if (!name[len])
			return n;
		name += len + 1;
	}
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_classes_parse);

/**
 * refaccel_device_caps() - the REFACCEL_PARAM_CAPABILITIES of a device
 * @rdev: the device
 *
 * Return: the REFACCEL_CAP_* bits every class has and those of its own.
 */
VISIBLE_IF_KUNIT u64 refaccel_device_caps(const struct refaccel_device *rdev)
{
	return REFACCEL_CAP_PRIME | REFACCEL_CAP_FDINFO | REFACCEL_CAP_SUBMIT | REFACCEL_CAP_MAC |
	       REFACCEL_CAP_USERPTR | rdev->caps;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_device_caps);

static int refaccel_get_param_ioctl(struct drm_device *dev, void *data,
				    struct drm_file *file)
{
	struct refaccel_device *rdev = to_refaccel_device(dev);
	struct drm_refaccel_get_param *args = data;

	if (args->pad) {
		drm_dbg(dev, "get_param: pad %u not zero\n", args->pad);
		return -EINVAL;
	}

	switch (args->param) {
	case REFACCEL_PARAM_UAPI_VERSION:
		args->value = (REFACCEL_UAPI_MAJOR << 16) | REFACCEL_UAPI_MINOR;
		break;
	case REFACCEL_PARAM_DEVICE_MEMORY_SIZE:
		args->value = rdev->mem_budget;
		break;
	case REFACCEL_PARAM_DEVICE_MEMORY_USED:
		args->value = atomic64_read(&rdev->mem_used);
		break;
	case REFACCEL_PARAM_MAX_BO_SIZE:
		args->value = rdev->max_bo_size;
		break;
	case REFACCEL_PARAM_CAPABILITIES:
		args->value = refaccel_device_caps(rdev);
		break;
	case REFACCEL_PARAM_BO_FLAGS:
		args->value = REFACCEL_BO_FLAGS_VALID;
		break;
	case REFACCEL_PARAM_ENGINES:
		args->value = BIT(REFACCEL_ENGINE_COMPUTE) | BIT(REFACCEL_ENGINE_COPY);
		break;
	case REFACCEL_PARAM_MAX_CMDS_SIZE:
		args->value = REFACCEL_MAX_CMDS_SIZE;
		break;
	case REFACCEL_PARAM_MAX_JOB_BOS:
		args->value = REFACCEL_MAX_JOB_BOS;
		break;
	case REFACCEL_PARAM_MAX_JOB_SYNCS:
		args->value = REFACCEL_MAX_JOB_SYNCS;
		break;
	case REFACCEL_PARAM_MAX_CONTEXTS:
		args->value = refaccel_has_cap(rdev, REFACCEL_CAP_CONTEXTS) ?
			      REFACCEL_MAX_CONTEXTS : 1;
		break;
	case REFACCEL_PARAM_TIMESTAMP_FREQUENCY:
		args->value = NSEC_PER_SEC;
		break;
	case REFACCEL_PARAM_MAC_DTYPES:
		args->value = BIT(REFACCEL_MAC_DTYPE_COUNT) - 1;
		break;
	case REFACCEL_PARAM_MAC_MAX_M:
		args->value = REFACCEL_MAC_MAX_M;
		break;
	case REFACCEL_PARAM_MAC_MAX_N:
		args->value = REFACCEL_MAC_MAX_N;
		break;
	case REFACCEL_PARAM_MAC_MAX_K:
		args->value = REFACCEL_MAC_MAX_K;
		break;
	case REFACCEL_PARAM_MAX_QUEUED_JOBS:
		args->value = REFACCEL_MAX_QUEUED_JOBS;
		break;
	default:
		drm_dbg(dev, "get_param: no parameter %u\n", args->param);
		return -EINVAL;
	}

	return 0;
}

static const struct drm_ioctl_desc refaccel_ioctls[] = {
	DRM_IOCTL_DEF_DRV(REFACCEL_GET_PARAM, refaccel_get_param_ioctl, 0),
	DRM_IOCTL_DEF_DRV(REFACCEL_BO_CREATE, refaccel_bo_create_ioctl, 0),
	DRM_IOCTL_DEF_DRV(REFACCEL_BO_INFO, refaccel_bo_info_ioctl, 0),
	DRM_IOCTL_DEF_DRV(REFACCEL_CTX_CREATE, refaccel_ctx_create_ioctl, 0),
	DRM_IOCTL_DEF_DRV(REFACCEL_CTX_DESTROY, refaccel_ctx_destroy_ioctl, 0),
	DRM_IOCTL_DEF_DRV(REFACCEL_SUBMIT, refaccel_submit_ioctl, 0),
	DRM_IOCTL_DEF_DRV(REFACCEL_BO_WAIT, refaccel_bo_wait_ioctl, 0),
	DRM_IOCTL_DEF_DRV(REFACCEL_BO_CREATE_USERPTR, refaccel_bo_create_userptr_ioctl, 0),
};

static void refaccel_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct refaccel_device *rdev = to_refaccel_device(file->minor->dev);
	struct refaccel_file *rfile = file->driver_priv;
	int i;

	drm_show_memory_stats(p, file);
	for (i = 0; i < REFACCEL_ENGINE_COUNT; i++)
		drm_printf(p, "drm-engine-%s:\t%llu ns\n", rdev->engines[i].name,
			   (unsigned long long)atomic64_read(&rfile->busy_ns[i]));
}

static const struct file_operations refaccel_fops = {
	.owner = THIS_MODULE,
	DRM_ACCEL_FOPS,
#if IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE)
	.get_unmapped_area = refaccel_get_unmapped_area,
#endif
	.show_fdinfo = drm_show_fdinfo,
};

VISIBLE_IF_KUNIT const struct drm_driver refaccel_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_COMPUTE_ACCEL |
			   DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE,
	.gem_create_object = refaccel_gem_create_object,
	.gem_prime_import_sg_table = refaccel_gem_prime_import_sg_table,
	.open = refaccel_open,
	.postclose = refaccel_postclose,
	.show_fdinfo = refaccel_show_fdinfo,
	.ioctls = refaccel_ioctls,
	.num_ioctls = ARRAY_SIZE(refaccel_ioctls),
	.fops = &refaccel_fops,
	.name = REFACCEL_DRIVER_NAME,
	.desc = REFACCEL_DRIVER_DESC,
#if REFACCEL_HAVE_DRIVER_DATE
	.date = REFACCEL_DRIVER_DATE,
#endif
	.major = REFACCEL_UAPI_MAJOR,
	.minor = REFACCEL_UAPI_MINOR,
};

/*
 * Runs when the last reference to the DRM device goes, which is after the
 * last BO is freed: anything still charged then is an accounting leak.
 */
static void refaccel_check_leaks(struct drm_device *drm, void *unused)
{
	struct refaccel_device *rdev = to_refaccel_device(drm);

	drm_WARN(drm, atomic64_read(&rdev->mem_used),
		 "%lld bytes of device memory still charged at release\n",
		 (long long)atomic64_read(&rdev->mem_used));
}

/**
 * refaccel_device_init() - set up a device's class, memory budget, engines and checks
 * @rdev: the device, allocated with refaccel_drm_driver and not registered
 * @class: the uapi shape it presents
 * @mem_budget: device memory in bytes
 * @timeout_ms: the engines' starting job timeout
 *
 * Return: 0 or a negative errno; on error nothing is left to undo.
 */
VISIBLE_IF_KUNIT int refaccel_device_init(struct refaccel_device *rdev,
					  const struct refaccel_class *class,
					  u64 mem_budget, unsigned int timeout_ms)
{
	int i, ret;

	rdev->class_name = class->name;
	rdev->caps = class->caps;
	atomic_set(&rdev->open_files, 0);
	/*
	 * The DRM core checks the driver's features and the device's: without
	 * syncobjs of any kind, its syncobj ioctls fail with -EOPNOTSUPP and
	 * DRM_CAP_SYNCOBJ{,_TIMELINE} read 0 on this device only.
	 */
	if (!refaccel_has_cap(rdev, REFACCEL_CAP_JOB_SYNCOBJS | REFACCEL_CAP_CTX_SYNCOBJ))
		rdev->drm.driver_features &= ~(DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE);

	rdev->mem_budget = mem_budget;
	rdev->max_bo_size = mem_budget;
	atomic64_set(&rdev->mem_used, 0);
	atomic_set(&rdev->jobs_alive, 0);
	init_waitqueue_head(&rdev->jobs_idle);

	ret = drmm_add_action(&rdev->drm, refaccel_check_leaks, NULL);
	if (ret)
		return ret;
	refaccel_thp_init(rdev);

	/* Unregistered by the DRM core when the device is released. */
	rdev->dmem_region = refaccel_dmem_register(&rdev->drm, mem_budget);
	if (IS_ERR(rdev->dmem_region))
		return PTR_ERR(rdev->dmem_region);

	rdev->reset_wq = alloc_ordered_workqueue("refaccel-reset-%s", 0,
						 dev_name(rdev->drm.dev));
	if (!rdev->reset_wq)
		return -ENOMEM;

	for (i = 0; i < REFACCEL_ENGINE_COUNT; i++) {
		ret = refaccel_engine_init(rdev, &rdev->engines[i], i, timeout_ms);
		if (ret)
			goto err_engines;
	}
	return 0;

err_engines:
	while (i--)
		refaccel_engine_fini(&rdev->engines[i]);
	destroy_workqueue(rdev->reset_wq);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_device_init);

/**
 * refaccel_device_fini() - stop a device's engines once its last job is gone
 * @rdev: the device; no file can submit any more
 *
 * Jobs can outlive their files: queued ones are cancelled once their
 * dependencies signal, and a hung one ends at its timeout. drm_sched_fini()
 * must not find any.
 */
VISIBLE_IF_KUNIT void refaccel_device_fini(struct refaccel_device *rdev)
{
	int i;

	wait_event(rdev->jobs_idle, !atomic_read(&rdev->jobs_alive));
	for (i = 0; i < REFACCEL_ENGINE_COUNT; i++)
		refaccel_engine_fini(&rdev->engines[i]);
	destroy_workqueue(rdev->reset_wq);
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_device_fini);

static int refaccel_class_show(struct seq_file *m, void *unused)
{
	struct refaccel_device *rdev = m->private;

	seq_printf(m, "%s\n", rdev->class_name);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(refaccel_class);

/* The class of each device, by the N of its name "refaccel.N". */
static const struct refaccel_class *refaccel_device_classes[REFACCEL_MAX_DEVICES];

static int refaccel_probe(struct device *dev)
{
	const struct refaccel_class *class;
	struct refaccel_device *rdev;
	unsigned int index;
	int ret;

	if (sscanf(dev_name(dev), REFACCEL_DRIVER_NAME ".%u", &index) != 1 ||
	    index >= REFACCEL_MAX_DEVICES || !refaccel_device_classes[index])
		return -ENODEV;
	class = refaccel_device_classes[index];

	/* The "hardware" is the CPU: it can reach all of memory. */
	ret = dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	rdev = devm_drm_dev_alloc(dev, &refaccel_drm_driver, struct refaccel_device, drm);
	if (IS_ERR(rdev))
		return PTR_ERR(rdev);
	dev_set_drvdata(dev, rdev);

	ret = refaccel_device_init(rdev, class, (u64)mem_budget_mb * SZ_1M, job_timeout_ms);
	if (ret)
		return ret;

	ret = drm_dev_register(&rdev->drm, 0);
	if (ret) {
		dev_err(dev, "drm_dev_register failed: %d\n", ret);
		refaccel_device_fini(rdev);
		return ret;
	}
	debugfs_create_file("class", 0444, rdev->drm.debugfs_root, rdev, &refaccel_class_fops);
	refaccel_fault_debugfs_init(rdev);

	return 0;
}

static void refaccel_remove(struct device *dev)
{
	struct refaccel_device *rdev = dev_get_drvdata(dev);

	drm_dev_unplug(&rdev->drm);
	/* Every file is closed (the module is going away); jobs may not be. */
	refaccel_device_fini(rdev);
	dev_coredump_put(dev);
}

#if REFACCEL_HAVE_FAUX_DEVICE

static int refaccel_faux_probe(struct faux_device *fdev)
{
	return refaccel_probe(&fdev->dev);
}

static void refaccel_faux_remove(struct faux_device *fdev)
{
	refaccel_remove(&fdev->dev);
}

static const struct faux_device_ops refaccel_faux_ops = {
	.probe = refaccel_faux_probe,
	.remove = refaccel_faux_remove,
};

static struct faux_device *refaccel_fdevs[REFACCEL_MAX_DEVICES];

static int refaccel_bus_init(void)
{
	return 0;
}

static void refaccel_bus_exit(void)
{
}

/* Named as the platform devices were, "refaccel.N": users find it by name. */
static int refaccel_create_device(unsigned int i)
{
	char name[32];

	snprintf(name, sizeof(name), "%s.%u", REFACCEL_DRIVER_NAME, i);
	refaccel_fdevs[i] = faux_device_create(name, NULL, &refaccel_faux_ops);
	/* NULL covers a failed probe too: the device is not kept then. */
	return refaccel_fdevs[i] ? 0 : -ENODEV;
}

static void refaccel_destroy_devices(void)
{
	int i;

	for (i = REFACCEL_MAX_DEVICES - 1; i >= 0; i--) {
		faux_device_destroy(refaccel_fdevs[i]);
		refaccel_fdevs[i] = NULL;
	}
}

#else /* !REFACCEL_HAVE_FAUX_DEVICE */

static int refaccel_platform_probe(struct platform_device *pdev)
{
	return refaccel_probe(&pdev->dev);
}

static void refaccel_platform_remove(struct platform_device *pdev)
{
	refaccel_remove(&pdev->dev);
}

static struct platform_driver refaccel_platform_driver = {
	.probe = refaccel_platform_probe,
	.remove = refaccel_platform_remove,
	.driver = {
		.name = REFACCEL_DRIVER_NAME,
		/* Unbinding with files open would pull the engines from under them. */
		.suppress_bind_attrs = true,
	},
};

static struct platform_device *refaccel_pdevs[REFACCEL_MAX_DEVICES];

static int refaccel_bus_init(void)
{
	return platform_driver_register(&refaccel_platform_driver);
}

static void refaccel_bus_exit(void)
{
	platform_driver_unregister(&refaccel_platform_driver);
}

static int refaccel_create_device(unsigned int i)
{
	struct platform_device *pdev;

	pdev = platform_device_register_simple(REFACCEL_DRIVER_NAME, i, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	refaccel_pdevs[i] = pdev;
	return platform_get_drvdata(pdev) ? 0 : -ENODEV;
}

static void refaccel_destroy_devices(void)
{
	int i;

	for (i = REFACCEL_MAX_DEVICES - 1; i >= 0; i--) {
		platform_device_unregister(refaccel_pdevs[i]);
		refaccel_pdevs[i] = NULL;
	}
}

#endif /* REFACCEL_HAVE_FAUX_DEVICE */

static int __init refaccel_init(void)
{
	unsigned int i, count = num_devices;
	int ret;

	if (classes) {
		ret = refaccel_classes_parse(classes, refaccel_device_classes,
					     REFACCEL_MAX_DEVICES);
		if (ret < 0)
			return ret;
		count = ret;
	} else {
		if (num_devices < 1 || num_devices > REFACCEL_MAX_DEVICES) {
			pr_err("refaccel: num_devices must be 1-%d, not %u\n",
			       REFACCEL_MAX_DEVICES, num_devices);
			return -EINVAL;
		}
		for (i = 0; i < num_devices; i++)
			refaccel_device_classes[i] = &refaccel_classes[0];
	}
	if (job_timeout_ms < 1 || job_timeout_ms > 600000) {
		pr_err("refaccel: job_timeout_ms must be 1-600000, not %u\n", job_timeout_ms);
		return -EINVAL;
	}
	if (mem_budget_mb < 1 || mem_budget_mb > SZ_1M) {
		pr_err("refaccel: mem_budget_mb must be 1-%u, not %lu\n", SZ_1M, mem_budget_mb);
		return -EINVAL;
	}

	ret = refaccel_bus_init();
	if (ret)
		return ret;

	for (i = 0; i < count; i++) {
		ret = refaccel_create_device(i);
		if (ret) {
			pr_err("refaccel: cannot create device %u: %d\n", i, ret);
			goto err_destroy_devices;
		}
	}

	return 0;

err_destroy_devices:
	refaccel_destroy_devices();
	refaccel_bus_exit();
	return ret;
}

static void __exit refaccel_exit(void)
{
	refaccel_destroy_devices();
	refaccel_bus_exit();
}

module_init(refaccel_init);
module_exit(refaccel_exit);

MODULE_AUTHOR("The accel-cts authors");
MODULE_DESCRIPTION(REFACCEL_DRIVER_DESC);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(REFACCEL_NS_DMA_BUF);
