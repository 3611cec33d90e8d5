// SPDX-License-Identifier: MIT
/*
 * Userspace-signalled fences from vgem.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "acts_assert.h"
#include "acts_device.h"
#include "acts_gem.h"
#include "acts_test.h"
#include "acts_ufence.h"

#if __has_include(<vgem_drm.h>)
#include <vgem_drm.h>
#define HAVE_VGEM_UAPI 1
#else
#define HAVE_VGEM_UAPI 0
#endif

int __acts_ufence_create(struct acts_ufence *uf)
{
#if HAVE_VGEM_UAPI
	struct drm_vgem_fence_attach attach = { 0 };
	struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_READ, .fd = -1 };
	char path[256];
	int dmabuf, ret;

	memset(uf, 0, sizeof(*uf));
	uf->sync_fd = -1;
	if (acts_find_device("vgem", path, sizeof(path)))
		return -ENODEV;
	uf->vgem = acts_dev_open(path);
	if (!uf->vgem)
		return -errno;

	{
		struct acts_bo_create c = { .size = 4096 };

		ret = __acts_bo_create(uf->vgem, &c);
		if (ret)
			goto err_close;
		uf->bo = c.handle;
	}

	attach.handle = uf->bo;
	attach.flags = VGEM_FENCE_WRITE;
	if (drmIoctl(uf->vgem->fd, DRM_IOCTL_VGEM_FENCE_ATTACH, &attach)) {
		ret = -errno;
		goto err_close;
	}
	uf->fence = attach.out_fence;

	/* A reader must wait for the write fence: that is the one exported. */
	ret = __acts_prime_export(uf->vgem, uf->bo, &dmabuf);
	if (ret)
		goto err_signal;
	ret = ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp) ? -errno : 0;
	close(dmabuf);
	if (ret)
		goto err_signal;
	uf->sync_fd = exp.fd;
	return 0;

err_signal:
	acts_ufence_signal(uf);
err_close:
	acts_dev_close(uf->vgem);
	uf->vgem = NULL;
	return ret;
#else
	(void)uf;
	return -EOPNOTSUPP;
#endif
}

void acts_require_ufence(struct acts_ufence *uf)
{
	int ret = __acts_ufence_create(uf);

	acts_require(ret != -ENODEV, "needs vgem for userspace-signalled fences, and no vgem node was found");
	acts_require(ret != -EOPNOTSUPP, "built without vgem_drm.h, so no userspace-signalled fences");
	acts_assert_ok(ret);
}

uint32_t acts_ufence_syncobj(struct acts_dev *dev, struct acts_ufence *uf)
{
	uint32_t handle = 0;

	acts_assert_syscall(drmSyncobjCreate(dev->fd, 0, &handle));
	acts_assert_syscall(drmSyncobjImportSyncFile(dev->fd, handle, uf->sync_fd));
	return handle;
}

void acts_ufence_signal(struct acts_ufence *uf)
{
#if HAVE_VGEM_UAPI
	struct drm_vgem_fence_signal sig = { .fence = uf->fence };

	if (uf->signalled)
		return;
	acts_assert_syscall(drmIoctl(uf->vgem->fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig));
	uf->signalled = 1;
#endif
}

void acts_ufence_destroy(struct acts_ufence *uf)
{
	if (!uf->vgem)
		return;
#if HAVE_VGEM_UAPI
	/* It may have expired on its own by now: no error matters here. */
	if (!uf->signalled) {
		struct drm_vgem_fence_signal sig = { .fence = uf->fence };

		drmIoctl(uf->vgem->fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig);
		uf->signalled = 1;
	}
#endif
	if (uf->sync_fd >= 0)
		close(uf->sync_fd);
	acts_dev_close(uf->vgem);
	uf->vgem = NULL;
}
