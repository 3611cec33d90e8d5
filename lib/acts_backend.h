/* SPDX-License-Identifier: MIT */
/*
 * The backend operations table: how the driver-agnostic suite reaches one
 * driver's uapi. Generic code never looks at the driver's name; a missing
 * operation (NULL, or -EOPNOTSUPP from a query) makes the subtests that
 * need it SKIP with a reason.
 */
#ifndef ACTS_BACKEND_H
#define ACTS_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "acts_device.h"

/* Device facts a backend may be able to report. */
enum acts_query {
	ACTS_Q_UAPI_VERSION,	/* driver uapi version, (major << 16) | minor */
	ACTS_Q_MEM_SIZE,	/* device memory budget, bytes */
	ACTS_Q_MEM_USED,	/* bytes of it in use by live BOs */
	ACTS_Q_MAX_BO_SIZE,	/* largest BO the driver accepts, bytes */
	ACTS_Q_BO_FLAGS,	/* mask of the BO creation flags it accepts */
	ACTS_Q_COUNT
};

struct acts_bo_create {
	uint64_t size;		/* in: requested; out: actual */
	uint64_t flags;		/* in: driver BO flags */
	uint32_t pad;		/* in: copied into the driver's must-be-zero field */
	uint32_t handle;	/* out */
};

struct acts_bo_info {
	uint64_t size;
	uint64_t flags;
	uint64_t mmap_offset;
};

struct acts_backend {
	const char *name;		/* driver name from DRM_IOCTL_VERSION */
	enum acts_node_kind node;	/* the node kind it drives */
	const char *notes;		/* what the backend cannot express, for skip reasons */
	/* The driver's ioctls have must-be-zero fields that pad reaches. */
	bool has_pad_fields;

	/* 0 or -errno; -EOPNOTSUPP when the driver cannot tell. */
	int (*query)(struct acts_dev *dev, enum acts_query q, uint64_t *value);
	/*
	 * The driver's own parameter ioctl with a raw parameter id and pad
	 * value, for its error paths: query_raw_known is an id it knows,
	 * query_raw_unknown one it does not.
	 */
	int (*query_raw)(struct acts_dev *dev, uint32_t param, uint32_t pad, uint64_t *value);
	uint32_t query_raw_known;
	uint32_t query_raw_unknown;

	int (*bo_create)(struct acts_dev *dev, struct acts_bo_create *args);
	int (*bo_info)(struct acts_dev *dev, uint32_t handle, uint32_t pad,
		       struct acts_bo_info *info);
};

const struct acts_backend *acts_backend_for(const char *driver);
/* All backends, NULL-terminated. */
extern const struct acts_backend *const acts_backends[];

#endif
