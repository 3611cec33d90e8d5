// SPDX-License-Identifier: MIT
/*
 * Helpers the upstream drivers' backends share (backend_util.h).
 */
#include <fcntl.h>
#include <unistd.h>

#include "backend_util.h"

int acts_be_dmabuf_size(struct acts_dev *dev, uint32_t handle, uint64_t *size)
{
	off_t end;
	int fd, ret = 0;

	if (drmPrimeHandleToFD(dev->fd, handle, DRM_CLOEXEC, &fd))
		return -errno;
	end = lseek(fd, 0, SEEK_END);
	if (end < 0)
		ret = -errno;
	else
		*size = (uint64_t)end;
	close(fd);
	return ret;
}
