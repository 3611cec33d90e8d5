// SPDX-License-Identifier: MIT
/*
 * Backend for ivpu (Intel NPU, drivers/accel/ivpu), written from its uapi
 * header (drm/ivpu_accel.h) and kernel source; built, not run here.
 *
 * What the uapi expresses without firmware programs: parameters, BOs (with
 * MAPPABLE for the CPU), BO waits, and from 6.16 command queues. A job's
 * command buffer holds commands of the NPU firmware's job format, which
 * the uapi does not define (the kernel passes it through untouched, see
 * ivpu_submit_ioctl()), so the submission, fence, recovery and compute
 * levels are not declared.
 *
 * Built against the 7.2 header when the Makefile finds it (command queues,
 * userptr capability), else the 6.12 one; both compile (make check).
 */
#include <errno.h>
#include <stdint.h>

#include "backend_util.h"

#include "ivpu_accel.h"

/* The ABI this backend was written for: a header that moved fails the build. */
_Static_assert(sizeof(struct drm_ivpu_param) == 16, "drm_ivpu_param");
_Static_assert(sizeof(struct drm_ivpu_bo_create) == 24, "drm_ivpu_bo_create");
_Static_assert(sizeof(struct drm_ivpu_bo_info) == 32, "drm_ivpu_bo_info");
_Static_assert(sizeof(struct drm_ivpu_bo_wait) == 24, "drm_ivpu_bo_wait");
_Static_assert(DRM_IVPU_GET_PARAM == 0x00 && DRM_IVPU_BO_CREATE == 0x02 &&
	       DRM_IVPU_BO_INFO == 0x03 && DRM_IVPU_BO_WAIT == 0x06, "ivpu ioctl numbers");
_Static_assert(DRM_IVPU_BO_MAPPABLE == 0x2, "DRM_IVPU_BO_MAPPABLE");
#ifdef DRM_IOCTL_IVPU_CMDQ_CREATE
#define IVPU_HAVE_CMDQ 1
_Static_assert(sizeof(struct drm_ivpu_cmdq_create) == 12, "drm_ivpu_cmdq_create");
_Static_assert(sizeof(struct drm_ivpu_cmdq_destroy) == 4, "drm_ivpu_cmdq_destroy");
_Static_assert(DRM_IVPU_CMDQ_CREATE == 0x0b && DRM_IVPU_CMDQ_DESTROY == 0x0c,
	       "ivpu cmdq ioctl numbers");
#endif
#ifdef DRM_IOCTL_IVPU_BO_CREATE_FROM_USERPTR
#define IVPU_HAVE_USERPTR 1
_Static_assert(sizeof(struct drm_ivpu_bo_create_from_userptr) == 32,
	       "drm_ivpu_bo_create_from_userptr");
_Static_assert(DRM_IVPU_BO_CREATE_FROM_USERPTR == 0x0e, "ivpu userptr ioctl number");
#endif
#if defined(IVPU_HAVE_CMDQ) || defined(IVPU_HAVE_USERPTR)
#define IVPU_HAVE_PROBE 1
#endif

/* An id ivpu_get_param_ioctl() does not know: its switch falls to -EINVAL. */
#define IVPU_PARAM_UNKNOWN 0xffffu

/* DRM_IOCTL_IVPU_GET_PARAM -> ivpu_get_param_ioctl() */
static int ivpu_get_param(struct acts_dev *dev, uint32_t param, uint32_t index, uint64_t *value)
{
	struct drm_ivpu_param p = { .param = param, .index = index };
	int ret = acts_be_ioctl(dev, DRM_IOCTL_IVPU_GET_PARAM, &p);

	if (!ret)
		*value = p.value;
	return ret;
}

/* drm_ivpu_param has no must-be-zero field: index selects an instance. */
static int ivpu_query_raw(struct acts_dev *dev, uint32_t param, uint32_t pad, uint64_t *value)
{
	if (pad)
		return -EOPNOTSUPP;
	return ivpu_get_param(dev, param, 0, value);
}

#ifdef IVPU_HAVE_PROBE
/* Command queues need firmware with DRM_IVPU_CAP_MANAGE_CMDQ, userptr BOs their capability. */
static int ivpu_probe(struct acts_dev *dev, uint64_t *caps)
{
	uint64_t v = 0;

#ifdef IVPU_HAVE_CMDQ
	if (ivpu_get_param(dev, DRM_IVPU_PARAM_CAPABILITIES, DRM_IVPU_CAP_MANAGE_CMDQ, &v) || !v)
		*caps &= ~ACTS_CAP_BIT(ACTS_CAP_CONTEXTS);
#endif
#ifdef IVPU_HAVE_USERPTR
	v = 0;
	if (ivpu_get_param(dev, DRM_IVPU_PARAM_CAPABILITIES,
			   DRM_IVPU_CAP_BO_CREATE_FROM_USERPTR, &v) || !v)
		*caps &= ~ACTS_CAP_BIT(ACTS_CAP_USERPTR);
#endif
	return 0;
}
#endif

#ifdef IVPU_HAVE_USERPTR
/*
 * DRM_IOCTL_IVPU_BO_CREATE_FROM_USERPTR ->
 * ivpu_bo_create_from_userptr_ioctl(): pins the range (FOLL_LONGTERM, plus
 * FOLL_WRITE unless DRM_IVPU_BO_READ_ONLY) into a dma-buf of its own and
 * imports it, so the BO exports as that dma-buf and has no mmap of its own.
 */
static int ivpu_bo_create_userptr(struct acts_dev *dev, struct acts_bo_userptr *args)
{
	struct drm_ivpu_bo_create_from_userptr c = {
		.user_ptr = args->user_ptr, .size = args->size, .handle = args->handle,
	};
	int ret;

	/* No must-be-zero field; flags are 32 bits. */
	if (args->pad)
		return -EOPNOTSUPP;
	if (args->flags > UINT32_MAX)
		return -EINVAL;
	c.flags = (uint32_t)args->flags;
	ret = acts_be_ioctl(dev, DRM_IOCTL_IVPU_BO_CREATE_FROM_USERPTR, &c);
	args->handle = c.handle;
	return ret;
}
#endif

static int ivpu_query(struct acts_dev *dev, enum acts_query q, uint64_t *value)
{
	switch (q) {
	case ACTS_Q_BO_FLAGS:
		/* MAPPABLE is the backend's to set (ivpu_bo_create). */
		*value = DRM_IVPU_BO_FLAGS & ~(uint64_t)DRM_IVPU_BO_MAPPABLE;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* DRM_IOCTL_IVPU_BO_INFO -> ivpu_bo_info_ioctl(): size, flags, mmap offset. */
static int ivpu_bo_info(struct acts_dev *dev, uint32_t handle, uint32_t pad,
			struct acts_bo_info *info)
{
	struct drm_ivpu_bo_info i = { .handle = handle };
	int ret;

	/* drm_ivpu_bo_info has no must-be-zero field. */
	if (pad)
		return -EOPNOTSUPP;
	ret = acts_be_ioctl(dev, DRM_IOCTL_IVPU_BO_INFO, &i);
	if (ret)
		return ret;
	info->size = i.size;
	info->flags = i.flags & ~(uint32_t)DRM_IVPU_BO_MAPPABLE;
	info->mmap_offset = i.mmap_offset;
	return 0;
}

/*
 * DRM_IOCTL_IVPU_BO_CREATE -> ivpu_bo_create_ioctl() -> ivpu_bo_alloc().
 * Every BO gets DRM_IVPU_BO_MAPPABLE, without which ivpu gives no mmap
 * offset; bo_info hides it again so flags read back as asked.
 */
static int ivpu_bo_create(struct acts_dev *dev, struct acts_bo_create *args)
{
	struct drm_ivpu_bo_create c = { .size = args->size };
	struct acts_bo_info info;
	int ret;

	/* drm_ivpu_bo_create has no must-be-zero field. */
	if (args->pad)
		return -EOPNOTSUPP;
	/*
	 * The suite's flags are ivpu's less MAPPABLE, which is the backend's
	 * (ACTS_Q_BO_FLAGS leaves it out); bits the 32-bit field cannot
	 * carry do not exist. Both are refused as unknown flags are.
	 */
	if (args->flags > UINT32_MAX || (args->flags & DRM_IVPU_BO_MAPPABLE))
		return -EINVAL;
	c.flags = (uint32_t)args->flags | DRM_IVPU_BO_MAPPABLE;
	ret = acts_be_ioctl(dev, DRM_IOCTL_IVPU_BO_CREATE, &c);
	if (ret)
		return ret;
	args->handle = c.handle;
	/* ivpu does not return the size it allocated: read it back. */
	ret = ivpu_bo_info(dev, c.handle, 0, &info);
	if (!ret)
		args->size = info.size;
	return ret;
}

/*
 * DRM_IOCTL_IVPU_BO_WAIT -> ivpu_bo_wait_ioctl() -> dma_resv_wait_timeout()
 * with an absolute CLOCK_MONOTONIC deadline; job_status is the firmware's
 * status of the job whose command buffer this BO is.
 */
static int ivpu_bo_wait(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns, uint32_t flags,
			int *status)
{
	struct drm_ivpu_bo_wait w = { .handle = handle, .flags = flags, .timeout_ns = deadline_ns };
	int ret = acts_be_ioctl(dev, DRM_IOCTL_IVPU_BO_WAIT, &w);

	if (ret)
		return ret;
	if (status)
		*status = w.job_status == DRM_IVPU_JOB_STATUS_SUCCESS ? 0 :
			  w.job_status == DRM_IVPU_JOB_STATUS_ABORTED ? -ECANCELED : -EIO;
	return 0;
}

#ifdef IVPU_HAVE_CMDQ
static uint32_t ivpu_priority(enum acts_priority p)
{
	switch (p) {
	case ACTS_PRIO_LOW: return DRM_IVPU_JOB_PRIORITY_IDLE;
	case ACTS_PRIO_NORMAL: return DRM_IVPU_JOB_PRIORITY_NORMAL;
	case ACTS_PRIO_HIGH: return DRM_IVPU_JOB_PRIORITY_FOCUS;
	default: return DRM_IVPU_JOB_PRIORITY_REALTIME + 1;	/* refused: EINVAL */
	}
}

/* DRM_IOCTL_IVPU_CMDQ_CREATE -> ivpu_cmdq_create_ioctl() -> ivpu_cmdq_create() */
static int ivpu_ctx_create(struct acts_dev *dev, struct acts_ctx_create *args)
{
	struct drm_ivpu_cmdq_create c = {
		.priority = ivpu_priority(args->priority),
		.flags = args->flags,
	};
	int ret;

	/* drm_ivpu_cmdq_create has no must-be-zero field. */
	if (args->pad_field)
		return -ERANGE;
	if (args->pad)
		return -EOPNOTSUPP;
	ret = acts_be_ioctl(dev, DRM_IOCTL_IVPU_CMDQ_CREATE, &c);
	if (!ret)
		args->id = c.cmdq_id;
	return ret;
}

/* DRM_IOCTL_IVPU_CMDQ_DESTROY -> ivpu_cmdq_destroy_ioctl(): ENOENT if unknown. */
static int ivpu_ctx_destroy(struct acts_dev *dev, uint32_t id, uint32_t pad)
{
	struct drm_ivpu_cmdq_destroy d = { .cmdq_id = id };

	if (pad)
		return -EOPNOTSUPP;
	return acts_be_ioctl(dev, DRM_IOCTL_IVPU_CMDQ_DESTROY, &d);
}
#endif

static const struct acts_errno_deviation ivpu_deviations[] = {
	{ "SUB-WAIT-1", "deadline", ETIMEDOUT, "ivpu_bo_wait_ioctl() times out with ETIMEDOUT" },
	{ "SUB-WAIT-1", "unknown-handle", EINVAL,
	  "ivpu_bo_wait_ioctl() answers a failed BO lookup with EINVAL" },
	{ NULL }
};

static const struct acts_uapi_ioctl ivpu_uapi[] = {
	ACTS_UAPI_IOCTL(DRM_IOCTL_IVPU_GET_PARAM, DRM_IVPU_GET_PARAM, struct drm_ivpu_param,
			"ivpu_get_param_ioctl"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_IVPU_BO_CREATE, DRM_IVPU_BO_CREATE, struct drm_ivpu_bo_create,
			"ivpu_bo_create_ioctl"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_IVPU_BO_INFO, DRM_IVPU_BO_INFO, struct drm_ivpu_bo_info,
			"ivpu_bo_info_ioctl"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_IVPU_BO_WAIT, DRM_IVPU_BO_WAIT, struct drm_ivpu_bo_wait,
			"ivpu_bo_wait_ioctl"),
#ifdef IVPU_HAVE_CMDQ
	ACTS_UAPI_IOCTL(DRM_IOCTL_IVPU_CMDQ_CREATE, DRM_IVPU_CMDQ_CREATE,
			struct drm_ivpu_cmdq_create, "ivpu_cmdq_create_ioctl"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_IVPU_CMDQ_DESTROY, DRM_IVPU_CMDQ_DESTROY,
			struct drm_ivpu_cmdq_destroy, "ivpu_cmdq_destroy_ioctl"),
#endif
#ifdef IVPU_HAVE_USERPTR
	ACTS_UAPI_IOCTL(DRM_IOCTL_IVPU_BO_CREATE_FROM_USERPTR, DRM_IVPU_BO_CREATE_FROM_USERPTR,
			struct drm_ivpu_bo_create_from_userptr,
			"ivpu_bo_create_from_userptr_ioctl"),
#endif
	{ NULL }
};

const struct acts_backend acts_backend_ivpu = {
	.name = "intel_vpu",
	.alias = "ivpu",
	.node = ACTS_NODE_ACCEL,
	.uapi_header = ACTS_UAPI_HDR,
	.uapi = ivpu_uapi,
	.notes = "jobs need the NPU firmware's command format, which the uapi does not define",
	.caps = ACTS_CAP_BIT(ACTS_CAP_BO) | ACTS_CAP_BIT(ACTS_CAP_GEM_MMAP) |
		ACTS_CAP_BIT(ACTS_CAP_PRIME) | ACTS_CAP_BIT(ACTS_CAP_MULTI_OPEN) |
		ACTS_CAP_BIT(ACTS_CAP_RAW_QUERY) | ACTS_CAP_BIT(ACTS_CAP_BO_WAIT)
#ifdef IVPU_HAVE_CMDQ
		| ACTS_CAP_BIT(ACTS_CAP_CONTEXTS)
#endif
#ifdef IVPU_HAVE_USERPTR
		| ACTS_CAP_BIT(ACTS_CAP_USERPTR)
#endif
		,
	.deviations = ivpu_deviations,
	.query = ivpu_query,
	.query_raw = ivpu_query_raw,
	.query_raw_known = DRM_IVPU_PARAM_DEVICE_ID,
	.query_raw_unknown = IVPU_PARAM_UNKNOWN,
	.bo_create = ivpu_bo_create,
	.bo_info = ivpu_bo_info,
	.bo_wait = ivpu_bo_wait,
#ifdef IVPU_HAVE_USERPTR
	.bo_create_userptr = ivpu_bo_create_userptr,
	.userptr_export = true,
	.userptr_flags = DRM_IVPU_BO_HIGH_MEM | DRM_IVPU_BO_DMA_MEM | DRM_IVPU_BO_READ_ONLY,
#endif
#ifdef IVPU_HAVE_PROBE
	.probe = ivpu_probe,
#endif
#ifdef IVPU_HAVE_CMDQ
	.ctx_create = ivpu_ctx_create,
	.ctx_destroy = ivpu_ctx_destroy,
#endif
};
