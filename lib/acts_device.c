// SPDX-License-Identifier: MIT
/*
 * Device discovery and opening.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "acts_backend.h"
#include "acts_caps.h"
#include "acts_device.h"
#include "acts_test.h"

const char *acts_node_kind_name(enum acts_node_kind kind)
{
	switch (kind) {
	case ACTS_NODE_ACCEL: return "accel";
	case ACTS_NODE_PRIMARY: return "primary";
	case ACTS_NODE_RENDER: return "render";
	}
	return "?";
}

static const char *dev_root(void)
{
	const char *root = getenv("ACCEL_CTS_DEV_ROOT");

	return root && *root ? root : "/dev";
}

/* DRM_IOCTL_VERSION's name, or -errno if fd is not a DRM node. */
static int driver_name(int fd, char *name, size_t len)
{
	drmVersionPtr v = drmGetVersion(fd);

	if (!v)
		return errno ? -errno : -ENOTTY;
	snprintf(name, len, "%s", v->name);
	drmFreeVersion(v);
	return 0;
}

/* Why ACCEL_CTS_BACKEND's backend cannot drive the last node picked, or "". */
static char refusal[256];

const char *acts_backend_refusal(void)
{
	return refusal;
}

/*
 * The node's backend, or the one ACCEL_CTS_BACKEND names for every node.
 * A driver's backend issues that driver's ioctls: it drives its own
 * driver's nodes only, so naming it for another's gives no backend (NULL,
 * and acts_backend_refusal() says why) rather than wrong ioctls. The
 * generic backend drives any node.
 */
static const struct acts_backend *acts_backend_pick(const char *driver, enum acts_node_kind kind)
{
	const char *name = getenv("ACCEL_CTS_BACKEND");
	const struct acts_backend *be;

	refusal[0] = '\0';
	if (!name || !*name)
		return acts_backend_for_node(driver, kind);
	be = acts_backend_named(name);
	if (!be)
		snprintf(refusal, sizeof(refusal),
			 "ACCEL_CTS_BACKEND=%s: no such backend in this build (accel-cts backends lists them)",
			 name);
	else if (!be->any_node && strcmp(be->name, driver))
		snprintf(refusal, sizeof(refusal), "ACCEL_CTS_BACKEND=%s drives %s nodes only",
			 name, be->name);
	else
		return be;
	return NULL;
}

static int cmp_names(const void *a, const void *b)
{
	const char *x = *(char * const *)a, *y = *(char * const *)b;
	size_t lx = strlen(x), ly = strlen(y);

	/* accel2 before accel10 */
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

static int scan_dir(const char *dir, const char *prefix, enum acts_node_kind kind,
		    struct acts_node *nodes, int count, int max)
{
	char *names[256];
	struct dirent *de;
	int n = 0, i;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return count;
	while ((de = readdir(d)) && n < 256)
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);

	for (i = 0; i < n; i++) {
		struct acts_node *node = &nodes[count];
		int fd;

		if (count < max) {
			snprintf(node->path, sizeof(node->path), "%s/%s", dir, names[i]);
			fd = open(node->path, O_RDWR | O_CLOEXEC);
			if (fd >= 0 && driver_name(fd, node->driver, sizeof(node->driver)) == 0) {
				node->kind = kind;
				node->be = acts_backend_pick(node->driver, kind);
				count++;
			}
			if (fd >= 0)
				close(fd);
		}
		free(names[i]);
	}
	return count;
}

int acts_discover(struct acts_node *nodes, int max)
{
	char dir[256];
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/accel", dev_root());
	n = scan_dir(dir, "accel", ACTS_NODE_ACCEL, nodes, n, max);
	snprintf(dir, sizeof(dir), "%s/dri", dev_root());
	n = scan_dir(dir, "card", ACTS_NODE_PRIMARY, nodes, n, max);
	n = scan_dir(dir, "renderD", ACTS_NODE_RENDER, nodes, n, max);
	return n;
}

int acts_find_device(const char *driver, char *path, size_t len)
{
	struct acts_node nodes[64];
	int n = acts_discover(nodes, 64), i;

	for (i = 0; i < n; i++) {
		if (!nodes[i].be)
			continue;
		if (driver && strcmp(driver, nodes[i].driver))
			continue;
		snprintf(path, len, "%s", nodes[i].path);
		return 0;
	}
	return -ENODEV;
}

static enum acts_node_kind kind_of(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (!strncmp(base, "accel", 5))
		return ACTS_NODE_ACCEL;
	if (!strncmp(base, "renderD", 7))
		return ACTS_NODE_RENDER;
	return ACTS_NODE_PRIMARY;
}

struct acts_dev *acts_dev_open(const char *path)
{
	struct acts_dev *dev = calloc(1, sizeof(*dev));
	int ret;

	if (!dev)
		return NULL;
	dev->fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0) {
		ret = -errno;
		goto err_free;
	}
	ret = driver_name(dev->fd, dev->driver, sizeof(dev->driver));
	if (ret)
		goto err_close;
	snprintf(dev->path, sizeof(dev->path), "%s", path);
	dev->kind = kind_of(path);
	dev->be = acts_backend_pick(dev->driver, dev->kind);
	if (!dev->be && acts_backend_refusal()[0]) {
		size_t n = strlen(refusal);

		/* A backend that exists but drives another driver: say whose node this is. */
		if (acts_backend_named(getenv("ACCEL_CTS_BACKEND")))
			snprintf(refusal + n, sizeof(refusal) - n, " (%s is %s's)", path,
				 dev->driver);
		ret = -ENXIO;
		goto err_close;
	}
	if (!dev->be)
		dev->be = &acts_backend_generic;
	dev->caps = acts_caps_probe(dev);
	return dev;

err_close:
	close(dev->fd);
err_free:
	free(dev);
	errno = -ret;
	return NULL;
}

struct acts_dev *acts_dev_reopen(const struct acts_dev *dev)
{
	if (acts_current_subtest())
		acts_require_cap(dev, ACTS_CAP_MULTI_OPEN);
	return acts_dev_open(dev->path);
}

void acts_dev_close(struct acts_dev *dev)
{
	if (!dev)
		return;
	if (dev->be && dev->be->release)
		dev->be->release(dev);
	close(dev->fd);
	free(dev);
}

static bool *defaults_touched;

void acts_dev_defaults_flag(bool *flag)
{
	defaults_touched = flag;
}

void acts_dev_defaults_touched(void)
{
	if (defaults_touched)
		*defaults_touched = true;
}

int acts_dev_restore_defaults(const char *path)
{
	struct acts_dev *dev = acts_dev_open(path);
	int ret = 0;

	/* Its backend was refused (ACCEL_CTS_BACKEND): it never touched the device. */
	if (!dev && errno == ENXIO && acts_backend_refusal()[0])
		return 0;
	if (!dev)
		return -errno ?: -ENODEV;
	if (dev->be && dev->be->defaults_restore)
		ret = dev->be->defaults_restore(dev);
	acts_dev_close(dev);
	/* Without the fault controls (no debugfs, not root) there is nothing to undo. */
	return ret == -ENOENT || ret == -EACCES || ret == -EPERM ? 0 : ret;
}

/* The class directory of a node in sysfs, from its name: accel0, card0, renderD128. */
static int sysfs_node_dir(const struct acts_dev *dev, char *buf, size_t len)
{
	const char *name = strrchr(dev->path, '/');
	const char *cls = dev->kind == ACTS_NODE_ACCEL ? "accel" : "drm";
	int n;

	name = name ? name + 1 : dev->path;
	n = snprintf(buf, len, "/sys/class/%s/%s", cls, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int acts_dev_sysfs_device(const struct acts_dev *dev, char *buf, size_t len)
{
	char link[512], real[PATH_MAX];
	int ret = sysfs_node_dir(dev, link, sizeof(link) - 8);

	if (ret)
		return ret;
	strcat(link, "/device");
	if (!realpath(link, real))
		return -errno;
	if (strlen(real) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, real);
	return 0;
}

int acts_dev_debugfs_dir(const struct acts_dev *dev, char *buf, size_t len)
{
	char device[PATH_MAX];
	const char *base;
	int n, ret;

	if (dev->kind == ACTS_NODE_ACCEL) {
		/* DRM names an accel device's folder after its parent device. */
		ret = acts_dev_sysfs_device(dev, device, sizeof(device));
		if (ret)
			return ret;
		base = strrchr(device, '/') + 1;
		n = snprintf(buf, len, "/sys/kernel/debug/accel/%s", base);
	} else {
		struct stat st;

		if (fstat(dev->fd, &st))
			return -errno;
		n = snprintf(buf, len, "/sys/kernel/debug/dri/%u", minor(st.st_rdev));
	}
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return access(buf, F_OK) ? -errno : 0;
}
