// SPDX-License-Identifier: MIT
/*
 * Buffer objects, queries, PRIME and fdinfo for subtests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "acts_assert.h"
#include "acts_gem.h"

int __acts_query(struct acts_dev *dev, enum acts_query q, uint64_t *value)
{
	if (!dev->be->query)
		return -EOPNOTSUPP;
	return dev->be->query(dev, q, value);
}

bool acts_has_query(struct acts_dev *dev, enum acts_query q)
{
	uint64_t v;

	return __acts_query(dev, q, &v) == 0;
}

uint64_t acts_query(struct acts_dev *dev, enum acts_query q)
{
	uint64_t v = 0;

	acts_assert_ok(__acts_query(dev, q, &v));
	return v;
}

uint64_t acts_require_query(struct acts_dev *dev, enum acts_query q)
{
	static const char *const names[ACTS_Q_COUNT] = {
		[ACTS_Q_UAPI_VERSION] = "its uapi version",
		[ACTS_Q_MEM_SIZE] = "its device memory size",
		[ACTS_Q_MEM_USED] = "its device memory use",
		[ACTS_Q_MAX_BO_SIZE] = "its maximum BO size",
		[ACTS_Q_BO_FLAGS] = "which BO flags it accepts",
		[ACTS_Q_MAX_JOB_BOS] = "how many BOs a job may list",
		[ACTS_Q_MAX_JOB_SYNCS] = "how many input syncs a job may list",
		[ACTS_Q_MAX_CONTEXTS] = "how many contexts a file may hold",
		[ACTS_Q_MAX_JOB_FILLS] = "how many commands a job may carry",
	};
	uint64_t v = 0;
	int ret = __acts_query(dev, q, &v);

	if (ret == -EOPNOTSUPP)
		acts_skip("%s cannot report %s%s%s%s", dev->driver, names[q],
			  dev->be->notes ? " (" : "", dev->be->notes ?: "", dev->be->notes ? ")" : "");
	acts_assert_ok(ret);
	return v;
}

int __acts_query_raw(struct acts_dev *dev, bool known, uint32_t pad, uint64_t *value)
{
	if (!acts_has_cap(dev, ACTS_CAP_RAW_QUERY))
		return -EOPNOTSUPP;
	return dev->be->query_raw(dev, known ? dev->be->query_raw_known : dev->be->query_raw_unknown,
				  pad, value);
}

int __acts_bo_create(struct acts_dev *dev, struct acts_bo_create *args)
{
	if (!acts_has_cap(dev, ACTS_CAP_BO))
		return -EOPNOTSUPP;
	return dev->be->bo_create(dev, args);
}

uint32_t acts_bo_create(struct acts_dev *dev, uint64_t size)
{
	struct acts_bo_create c = { .size = size };

	acts_require_cap(dev, ACTS_CAP_BO);
	acts_assert_ok(__acts_bo_create(dev, &c));
	acts_assert_gte_u64(c.size, size);
	return c.handle;
}

int __acts_bo_create_userptr(struct acts_dev *dev, struct acts_bo_userptr *args)
{
	if (!acts_has_cap(dev, ACTS_CAP_USERPTR))
		return -EOPNOTSUPP;
	return dev->be->bo_create_userptr(dev, args);
}

uint32_t acts_bo_create_userptr(struct acts_dev *dev, void *ptr, uint64_t size)
{
	struct acts_bo_userptr u = { .user_ptr = (uintptr_t)ptr, .size = size };

	acts_require_cap(dev, ACTS_CAP_USERPTR);
	acts_assert_ok(__acts_bo_create_userptr(dev, &u));
	acts_assert_neq(u.handle, 0);
	return u.handle;
}

int __acts_bo_info(struct acts_dev *dev, uint32_t handle, uint32_t pad, struct acts_bo_info *info)
{
	if (!acts_has_cap(dev, ACTS_CAP_BO))
		return -EOPNOTSUPP;
	return dev->be->bo_info(dev, handle, pad, info);
}

void acts_bo_info(struct acts_dev *dev, uint32_t handle, struct acts_bo_info *info)
{
	acts_require_cap(dev, ACTS_CAP_BO);
	acts_assert_ok(__acts_bo_info(dev, handle, 0, info));
}

int __acts_gem_close(struct acts_dev *dev, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return drmIoctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &c) ? -errno : 0;
}

void acts_gem_close(struct acts_dev *dev, uint32_t handle)
{
	acts_assert_ok(__acts_gem_close(dev, handle));
}

int __acts_bo_mmap(struct acts_dev *dev, uint32_t handle, size_t length, uint64_t delta,
		   void **ptr)
{
	struct acts_bo_info info;
	void *p;
	int ret;

	ret = __acts_bo_info(dev, handle, 0, &info);
	if (ret)
		return ret;
	p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
		 (off_t)(info.mmap_offset + delta));
	if (p == MAP_FAILED)
		return -errno;
	*ptr = p;
	return 0;
}

void *acts_bo_mmap(struct acts_dev *dev, uint32_t handle, size_t length)
{
	void *p = NULL;

	acts_require_cap(dev, ACTS_CAP_BO);
	acts_assert_ok(__acts_bo_mmap(dev, handle, length, 0, &p));
	return p;
}

int __acts_prime_export(struct acts_dev *dev, uint32_t handle, int *fd)
{
	return drmPrimeHandleToFD(dev->fd, handle, DRM_CLOEXEC | DRM_RDWR, fd) ? -errno : 0;
}

int acts_prime_export(struct acts_dev *dev, uint32_t handle)
{
	int fd = -1;

	acts_assert_ok(__acts_prime_export(dev, handle, &fd));
	acts_assert_gte(fd, 0);
	return fd;
}

int __acts_prime_import(struct acts_dev *dev, int fd, uint32_t *handle)
{
	return drmPrimeFDToHandle(dev->fd, fd, handle) ? -errno : 0;
}

uint32_t acts_prime_import(struct acts_dev *dev, int fd)
{
	uint32_t handle = 0;

	acts_assert_ok(__acts_prime_import(dev, fd, &handle));
	return handle;
}

int acts_fdinfo_value(struct acts_dev *dev, const char *key, char *value, size_t len)
{
	char path[64], line[512];
	size_t klen = strlen(key);
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", dev->fd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *v;

		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		v = line + klen + 1;
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = '\0';
		snprintf(value, len, "%s", v);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

int acts_parse_fdinfo_size(const char *s, uint64_t *bytes)
{
	static const struct { const char *unit; unsigned int shift; } units[] = {
		{ "", 0 }, { "KiB", 10 }, { "MiB", 20 }, { "GiB", 30 },
	};
	unsigned long long n;
	char *end;
	size_t i;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	n = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	end += strspn(end, " ");
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (units[i].shift && n > (UINT64_MAX >> units[i].shift))
			return -ERANGE;
		*bytes = (uint64_t)n << units[i].shift;
		return 0;
	}
	return -EINVAL;
}

int acts_fdinfo_bytes(struct acts_dev *dev, const char *key, uint64_t *bytes)
{
	char v[128];
	int ret = acts_fdinfo_value(dev, key, v, sizeof(v));

	return ret ? ret : acts_parse_fdinfo_size(v, bytes);
}
