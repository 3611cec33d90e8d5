// SPDX-License-Identifier: MIT
/*
 * cgroup v2 helpers (see acts_cgroup.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acts_cgroup.h"
#include "acts_device.h"

int acts_cgroup_root(char *path, size_t len)
{
	char line[1024], mnt[512], fstype[64];
	int ret = -ENOENT;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	/* "id parent major:minor root mount-point options... - fstype source opts" */
	while (fgets(line, sizeof(line), f)) {
		const char *sep = strstr(line, " - ");

		if (!sep || sscanf(sep, " - %63s", fstype) != 1 || strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1)
			continue;
		if ((size_t)snprintf(path, len, "%s", mnt) >= len) {
			ret = -ENAMETOOLONG;
			break;
		}
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

static int path_of(const char *dir, const char *file, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/%s", dir, file) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int acts_cgroup_write(const char *path, const char *file, const char *value)
{
	char p[PATH_MAX];
	ssize_t n = 0;
	int fd, ret;

	ret = path_of(path, file, p, sizeof(p));
	if (ret)
		return ret;
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	ret = n < 0 ? -errno : (size_t)n == strlen(value) ? 0 : -EIO;
	close(fd);
	return ret;
}

int acts_cgroup_read(const char *path, const char *file, char *buf, size_t len)
{
	char p[PATH_MAX];
	size_t got = 0;
	ssize_t n = 0;
	int fd, ret;

	ret = path_of(path, file, p, sizeof(p));
	if (ret)
		return ret;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	ret = n < 0 ? -errno : 0;
	buf[got] = '\0';
	close(fd);
	return ret;
}

int acts_cgroup_keyed_u64(const char *path, const char *file, const char *key, uint64_t *value)
{
	char buf[8192], *line, *save = NULL;
	size_t klen = strlen(key);
	int ret;

	ret = acts_cgroup_read(path, file, buf, sizeof(buf));
	if (ret)
		return ret;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end;

		if (strncmp(line, key, klen) || line[klen] != ' ')
			continue;
		if (!strcmp(line + klen + 1, "max"))
			return -ERANGE;
		errno = 0;
		*value = strtoull(line + klen + 1, &end, 10);
		if (errno || *end)
			return -EINVAL;
		return 0;
	}
	return -ENOENT;
}

bool acts_cgroup_has_controller(const char *controller)
{
	char root[512], buf[1024], *w, *save = NULL;

	if (acts_cgroup_root(root, sizeof(root)) ||
	    acts_cgroup_read(root, "cgroup.controllers", buf, sizeof(buf)))
		return false;
	for (w = strtok_r(buf, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
		if (!strcmp(w, controller))
			return true;
	return false;
}

int acts_cgroup_enable(const char *controller)
{
	char root[512], value[64];
	int ret;

	ret = acts_cgroup_root(root, sizeof(root));
	if (ret)
		return ret;
	snprintf(value, sizeof(value), "+%s", controller);
	return acts_cgroup_write(root, "cgroup.subtree_control", value);
}

int acts_cgroup_create(const char *name, char *path, size_t len)
{
	char root[512];
	int ret;

	ret = acts_cgroup_root(root, sizeof(root));
	if (ret)
		return ret;
	if ((size_t)snprintf(path, len, "%s/accel-cts-%d-%s", root, (int)getpid(), name) >= len)
		return -ENAMETOOLONG;
	if (rmdir(path) && errno != ENOENT)
		return -errno;
	if (mkdir(path, 0755))
		return -errno;
	return 0;
}

int acts_cgroup_remove(const char *path)
{
	return rmdir(path) ? -errno : 0;
}

int acts_cgroup_self(char *path, size_t len)
{
	char root[512], line[1024];
	int ret = acts_cgroup_root(root, sizeof(root));
	FILE *f;

	if (ret)
		return ret;
	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return -errno;
	ret = -ENOENT;
	/* cgroup2's line is "0::/path". */
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		ret = (size_t)snprintf(path, len, "%s%s", root, line + 3) >= len ? -ENAMETOOLONG : 0;
		break;
	}
	fclose(f);
	return ret;
}

int acts_cgroup_enter(const char *path, pid_t pid)
{
	char value[32];

	snprintf(value, sizeof(value), "%d", (int)pid);
	return acts_cgroup_write(path, "cgroup.procs", value);
}

int acts_dmem_region(const struct acts_dev *dev, char *region, size_t len, uint64_t *capacity)
{
	char root[512], device[PATH_MAX], prefix[300], buf[8192], *line, *save = NULL;
	const char *base;
	int ret;

	if (!acts_cgroup_has_controller("dmem"))
		return -EOPNOTSUPP;
	ret = acts_cgroup_root(root, sizeof(root));
	if (ret)
		return ret;
	/* DRM names the region after its device's unique name: the parent's. */
	ret = acts_dev_sysfs_device(dev, device, sizeof(device));
	if (ret)
		return ret;
	base = strrchr(device, '/') + 1;
	snprintf(prefix, sizeof(prefix), "drm/%s/", base);
	/*
	 * The root shows a controller's files only once the controller is on
	 * in its cgroup.subtree_control: turn it on (root only) and read again.
	 */
	ret = acts_cgroup_read(root, "dmem.capacity", buf, sizeof(buf));
	if (ret == -ENOENT) {
		ret = acts_cgroup_enable("dmem");
		if (ret)
			return ret == -ENOENT ? -EIO : ret;
		ret = acts_cgroup_read(root, "dmem.capacity", buf, sizeof(buf));
		if (ret == -ENOENT)
			ret = -EIO;
	}
	if (ret)
		return ret;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (!sp || strncmp(line, prefix, strlen(prefix)))
			continue;
		*sp = '\0';
		if ((size_t)snprintf(region, len, "%s", line) >= len)
			return -ENAMETOOLONG;
		*capacity = strtoull(sp + 1, NULL, 10);
		return 0;
	}
	return -ENOENT;
}
