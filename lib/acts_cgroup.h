/* SPDX-License-Identifier: MIT */
/*
 * cgroup v2 for tests that put clients in cgroups of their own: find the
 * unified hierarchy, enable a controller for the root's children, make and
 * remove child cgroups, move a process in, read and write interface files.
 * Driver-agnostic; the dmem helpers find a device's region of the dmem
 * controller (Linux 6.14+, CONFIG_CGROUP_DMEM) by the name DRM gives it,
 * "drm/<device name>/<region>".
 */
#ifndef ACTS_CGROUP_H
#define ACTS_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct acts_dev;

/* Where cgroup2 is mounted (from /proc/self/mountinfo): 0 or -ENOENT. */
int acts_cgroup_root(char *path, size_t len);
/* Is the controller available in the root cgroup (cgroup.controllers)? */
bool acts_cgroup_has_controller(const char *controller);
/*
 * Enable the controller for the root's children (cgroup.subtree_control,
 * "+controller"). 0 or -errno.
 */
int acts_cgroup_enable(const char *controller);

/*
 * Make a child of the root named "accel-cts-<pid>-<name>" (removed first if
 * a dead run left it); its path goes to path. 0 or -errno.
 */
int acts_cgroup_create(const char *name, char *path, size_t len);
/* Remove a cgroup made by acts_cgroup_create(); it must hold no process. */
int acts_cgroup_remove(const char *path);
/* The caller's own cgroup (from /proc/self/cgroup) as a path. 0 or -errno. */
int acts_cgroup_self(char *path, size_t len);
/* Move a process (0: the caller) into the cgroup. 0 or -errno. */
int acts_cgroup_enter(const char *path, pid_t pid);

/* Write value to path/file. 0 or -errno. */
int acts_cgroup_write(const char *path, const char *file, const char *value);
/* Read path/file (NUL-terminated, at most len - 1 bytes). 0 or -errno. */
int acts_cgroup_read(const char *path, const char *file, char *buf, size_t len);
/*
 * The value of key in a flat keyed file ("key value" lines, as dmem.current
 * and dmem.capacity): 0, -ENOENT without the key, -ERANGE for "max", or
 * another -errno.
 */
int acts_cgroup_keyed_u64(const char *path, const char *file, const char *key, uint64_t *value);

/*
 * The dmem region of a device: the first one in the root's dmem.capacity
 * named "drm/<the node's device name>/...", and its capacity in bytes.
 * Turns the controller on in the root's cgroup.subtree_control when its
 * files are not there yet (-EACCES or -EPERM without the right to).
 * 0, -EOPNOTSUPP without the dmem controller, -ENOENT when the device
 * registered no region.
 */
int acts_dmem_region(const struct acts_dev *dev, char *region, size_t len, uint64_t *capacity);

/* Why dmem subtests skip on kernels without the controller. */
#define ACTS_DMEM_MISSING "needs the dmem cgroup controller: CONFIG_CGROUP_DMEM, Linux >= 6.14"

#endif
