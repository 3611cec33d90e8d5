// SPDX-License-Identifier: MIT
/*
 * Backend for rocket (Rockchip RK3588 NPU, drivers/accel/rocket), written
 * from its uapi header (drm/rocket_accel.h, linux-libc-dev 7.2) and kernel
 * source; built, not run here.
 *
 * What the uapi expresses without register streams: BOs (CREATE_BO, which
 * returns the mmap offset; there is no info ioctl), PRIME, and waiting for
 * a BO's fences (PREP_BO, then FINI_BO). A job is a list of tasks, each a
 * register command stream (drm_rocket_task.regcmd) programming the NPU's
 * convolution units, as a compiler such as the Teflon delegate emits it:
 * so the submission, recovery and compute levels are not declared. There
 * are no contexts (one per file) and the completion shape would be a BO's
 * reservation.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "backend_util.h"

#include "rocket_accel.h"

/* The ABI this backend was written for: a header that moved fails the build. */
_Static_assert(sizeof(struct drm_rocket_create_bo) == 24, "drm_rocket_create_bo");
_Static_assert(sizeof(struct drm_rocket_prep_bo) == 16, "drm_rocket_prep_bo");
_Static_assert(sizeof(struct drm_rocket_fini_bo) == 8, "drm_rocket_fini_bo");
_Static_assert(DRM_ROCKET_CREATE_BO == 0 && DRM_ROCKET_PREP_BO == 2 && DRM_ROCKET_FINI_BO == 3,
	       "rocket ioctl numbers");

/*
 * Per open file: the mmap offset of each BO it created, as rocket tells it
 * only at creation. Threads share an open file, hence the lock.
 */
struct rocket_priv {
	pthread_mutex_t lock;
	unsigned int n, cap;
	struct { uint32_t handle; uint64_t offset; } *bo;
};

static int rocket_probe(struct acts_dev *dev, uint64_t *caps)
{
	struct rocket_priv *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	pthread_mutex_init(&p->lock, NULL);
	dev->be_priv = p;
	return 0;
}

static void rocket_release(struct acts_dev *dev)
{
	struct rocket_priv *p = dev->be_priv;

	if (!p)
		return;
	pthread_mutex_destroy(&p->lock);
	free(p->bo);
	free(p);
	dev->be_priv = NULL;
}

/* Remember handle's offset (a reused handle number replaces the old entry). */
static int rocket_remember(struct rocket_priv *p, uint32_t handle, uint64_t offset)
{
	unsigned int i;
	int ret = 0;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->n && p->bo[i].handle != handle; i++)
		;
	if (i == p->n && p->n == p->cap) {
		unsigned int cap = p->cap ? 2 * p->cap : 64;
		void *grown = realloc(p->bo, cap * sizeof(*p->bo));

		if (grown) {
			p->bo = grown;
			p->cap = cap;
		} else {
			ret = -ENOMEM;
		}
	}
	if (!ret) {
		p->bo[i].handle = handle;
		p->bo[i].offset = offset;
		p->n += i == p->n;
	}
	pthread_mutex_unlock(&p->lock);
	return ret;
}

static int rocket_offset(struct rocket_priv *p, uint32_t handle, uint64_t *offset)
{
	unsigned int i;
	int ret = -EOPNOTSUPP;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->n; i++) {
		if (p->bo[i].handle == handle) {
			*offset = p->bo[i].offset;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&p->lock);
	return ret;
}

/*
 * DRM_IOCTL_ROCKET_CREATE_BO -> rocket_ioctl_create_bo() ->
 * drm_gem_shmem_create(), mapped into the file's IOMMU domain. Its size
 * field is 32 bits and it has no flags or must-be-zero field.
 */
static int rocket_bo_create(struct acts_dev *dev, struct acts_bo_create *args)
{
	struct drm_rocket_create_bo c = { .size = (uint32_t)args->size };
	int ret;

	if (args->pad || args->flags)
		return -EOPNOTSUPP;
	/* A size the 32-bit field cannot carry is refused here, not truncated. */
	if (args->size > UINT32_MAX)
		return -EINVAL;
	ret = acts_be_ioctl(dev, DRM_IOCTL_ROCKET_CREATE_BO, &c);
	if (ret)
		return ret;
	args->handle = c.handle;
	ret = rocket_remember(dev->be_priv, c.handle, c.offset);
	if (!ret)
		ret = acts_be_dmabuf_size(dev, c.handle, &args->size);
	return ret;
}

/*
 * No info ioctl: the size is the dma-buf's (which also answers ENOENT for
 * a handle the file does not hold), the offset the one CREATE_BO gave.
 * A BO this file did not create (imported) has no known offset.
 */
static int rocket_bo_info(struct acts_dev *dev, uint32_t handle, uint32_t pad,
			  struct acts_bo_info *info)
{
	int ret;

	if (pad)
		return -EOPNOTSUPP;
	ret = acts_be_dmabuf_size(dev, handle, &info->size);
	if (ret)
		return ret;
	info->flags = 0;
	return rocket_offset(dev->be_priv, handle, &info->mmap_offset);
}

/*
 * DRM_IOCTL_ROCKET_PREP_BO -> rocket_ioctl_prep_bo() waits (absolute
 * deadline) for the BO's write fences and syncs it for the CPU; then
 * DRM_IOCTL_ROCKET_FINI_BO -> rocket_ioctl_fini_bo() gives it back to the
 * device. The suite's flags go in reserved, which must be zero (EINVAL).
 * No job status.
 */
static int rocket_bo_wait(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns,
			  uint32_t flags, int *status)
{
	struct drm_rocket_prep_bo prep = { .handle = handle, .reserved = flags,
					   .timeout_ns = deadline_ns };
	struct drm_rocket_fini_bo fini = { .handle = handle };
	int ret = acts_be_ioctl(dev, DRM_IOCTL_ROCKET_PREP_BO, &prep);

	/* PREP_BO synced for the CPU even when it timed out. */
	if (ret == 0 || ret == -ETIMEDOUT || ret == -EBUSY)
		acts_be_ioctl(dev, DRM_IOCTL_ROCKET_FINI_BO, &fini);
	if (!ret && status)
		*status = 0;
	return ret;
}

static const struct acts_errno_deviation rocket_deviations[] = {
	{ "SUB-WAIT-1", "deadline", ETIMEDOUT, "rocket_ioctl_prep_bo() times out with ETIMEDOUT" },
	{ "SUB-WAIT-1", "deadline", EBUSY,
	  "rocket_ioctl_prep_bo() answers a deadline already past with EBUSY" },
	{ NULL }
};

static const struct acts_uapi_ioctl rocket_uapi[] = {
	ACTS_UAPI_IOCTL(DRM_IOCTL_ROCKET_CREATE_BO, DRM_ROCKET_CREATE_BO,
			struct drm_rocket_create_bo, "rocket_ioctl_create_bo"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_ROCKET_PREP_BO, DRM_ROCKET_PREP_BO,
			struct drm_rocket_prep_bo, "rocket_ioctl_prep_bo"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_ROCKET_FINI_BO, DRM_ROCKET_FINI_BO,
			struct drm_rocket_fini_bo, "rocket_ioctl_fini_bo"),
	{ NULL }
};

const struct acts_backend acts_backend_rocket = {
	.name = "rocket",
	.node = ACTS_NODE_ACCEL,
	.uapi_header = ACTS_UAPI_HDR,
	.uapi = rocket_uapi,
	.notes = "jobs need compiled NPU register streams; no info ioctl",
	.caps = ACTS_CAP_BIT(ACTS_CAP_BO) | ACTS_CAP_BIT(ACTS_CAP_GEM_MMAP) |
		ACTS_CAP_BIT(ACTS_CAP_PRIME) | ACTS_CAP_BIT(ACTS_CAP_MULTI_OPEN) |
		ACTS_CAP_BIT(ACTS_CAP_BO_WAIT),
	.deviations = rocket_deviations,
	.probe = rocket_probe,
	.release = rocket_release,
	.bo_create = rocket_bo_create,
	.bo_info = rocket_bo_info,
	.bo_wait = rocket_bo_wait,
};
