// SPDX-License-Identifier: MIT
/*
 * The generic backend: for an accel or render node whose driver has no
 * backend of its own. It knows nothing of the driver's ioctls, so it
 * declares only what the DRM core provides to every driver (VERSION,
 * GET_CAP, GEM_CLOSE and PRIME on handles, syncobjs when the driver has
 * them, fdinfo, sysfs); the capability probe keeps those the device has.
 * accel-cts run on an unknown driver gives the core level's result at once
 * and SKIPs the rest, naming what a backend would have to add.
 */
#include "../acts_backend.h"

const struct acts_backend acts_backend_generic = {
	.name = "generic",
	.verified = true,
	.uapi_header = "libdrm's drm.h (the DRM core)",
	.node = ACTS_NODE_ACCEL,
	.any_node = true,
	.notes = "no backend for this driver: the DRM core's ioctls only",
	.caps = ACTS_CAP_BIT(ACTS_CAP_PRIME) | ACTS_CAP_BIT(ACTS_CAP_MULTI_OPEN) |
		ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ) | ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ_TIMELINE),
};
