/* SPDX-License-Identifier: MIT */
/*
 * Helpers the upstream drivers' backends share: the ioctl call, and what
 * the DRM core tells of a BO when the driver has no info ioctl.
 */
#ifndef ACTS_BACKEND_UTIL_H
#define ACTS_BACKEND_UTIL_H

#include <errno.h>
#include <stdint.h>

#include <xf86drm.h>

#include "../acts_backend.h"

/* The header the Makefile found, for `accel-cts backends`. */
#ifndef ACTS_UAPI_HDR
#define ACTS_UAPI_HDR "unknown header"
#endif

static inline int acts_be_ioctl(struct acts_dev *dev, unsigned long req, void *arg)
{
	return drmIoctl(dev->fd, req, arg) ? -errno : 0;
}

/*
 * A BO's size when the driver has no ioctl that reports it: export it
 * (DRM_IOCTL_PRIME_HANDLE_TO_FD, drm_gem_prime_handle_to_fd()) and seek
 * to the dma-buf's end. -ENOENT for a handle the file does not hold.
 */
int acts_be_dmabuf_size(struct acts_dev *dev, uint32_t handle, uint64_t *size);

#endif
