/* SPDX-License-Identifier: MIT */
/*
 * Device discovery and opening: accel nodes (/dev/accel/accelN) and DRM
 * nodes (/dev/dri/cardN, renderDN) for drivers that are not accel drivers,
 * such as vgem.
 */
#ifndef ACTS_DEVICE_H
#define ACTS_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct acts_backend;

enum acts_node_kind {
	ACTS_NODE_ACCEL,	/* /dev/accel/accelN */
	ACTS_NODE_PRIMARY,	/* /dev/dri/cardN */
	ACTS_NODE_RENDER,	/* /dev/dri/renderDN */
};

struct acts_node {
	char path[256];
	char driver[64];
	enum acts_node_kind kind;
	const struct acts_backend *be;	/* NULL: no backend for this driver */
};

/* An open device: one client of the driver. */
struct acts_dev {
	int fd;
	char path[256];
	char driver[64];
	enum acts_node_kind kind;
	const struct acts_backend *be;
	uint64_t caps;		/* ACTS_CAP_BIT()s this device has (acts_caps.h) */
	void *be_priv;		/* the backend's per-open state */
};

/*
 * Fill nodes with the DRM nodes under the device root ($ACCEL_CTS_DEV_ROOT,
 * default /dev): accel nodes first, then primary and render nodes, in name
 * order. Returns how many were found (at most max), or -errno.
 */
int acts_discover(struct acts_node *nodes, int max);

/*
 * The node a test should use: the first one whose driver has a backend that
 * drives this kind of node (and, if driver is not NULL, of that driver).
 * Returns 0 or -ENODEV.
 */
int acts_find_device(const char *driver, char *path, size_t len);

/*
 * Open a node, identify its driver, pick its backend (ACCEL_CTS_BACKEND
 * names one to use instead, e.g. "generic") and probe its capabilities.
 * NULL with errno set on failure.
 */
struct acts_dev *acts_dev_open(const char *path);
/*
 * Why the last discovery or open found no backend for a node because of
 * ACCEL_CTS_BACKEND (an unknown name, or a driver's backend named for
 * another driver's node; acts_dev_open() fails with ENXIO then), or "".
 */
const char *acts_backend_refusal(void);
/*
 * Another open file on the same node: a second client. Inside a subtest,
 * SKIPs when the device takes one open file at a time.
 */
struct acts_dev *acts_dev_reopen(const struct acts_dev *dev);
void acts_dev_close(struct acts_dev *dev);

/*
 * Return the device at path to its defaults (faults disarmed, the driver's
 * job timeout), as the harness and the runner do after a subtest that did
 * not pass. 0, or -errno.
 */
int acts_dev_restore_defaults(const char *path);

/*
 * Called before anything that may move a device off its defaults (a fault
 * armed, the job timeout written): the harness then restores them even
 * after a subtest that skipped. Every other skip costs no restore.
 */
void acts_dev_defaults_touched(void);
/* Where acts_dev_defaults_touched() records it (the harness's shared page). */
void acts_dev_defaults_flag(bool *flag);

const char *acts_node_kind_name(enum acts_node_kind kind);

/* The real sysfs path of the device behind a node (its "device" link). */
int acts_dev_sysfs_device(const struct acts_dev *dev, char *buf, size_t len);
/* The node's device folder in debugfs; -ENOENT when debugfs is not mounted. */
int acts_dev_debugfs_dir(const struct acts_dev *dev, char *buf, size_t len);

#endif
