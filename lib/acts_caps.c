// SPDX-License-Identifier: MIT
/*
 * Capabilities: the names, the run-time probe, and the requirement.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "acts_caps.h"
#include "acts_device.h"
#include "acts_test.h"

static const char *const cap_names[ACTS_CAP_COUNT] = {
	[ACTS_CAP_BO] = "bo",
	[ACTS_CAP_GEM_MMAP] = "gem-mmap",
	[ACTS_CAP_PRIME] = "prime",
	[ACTS_CAP_MULTI_OPEN] = "multi-open",
	[ACTS_CAP_PAD_FIELDS] = "pad-fields",
	[ACTS_CAP_RAW_QUERY] = "raw-query",
	[ACTS_CAP_SUBMIT] = "submit",
	[ACTS_CAP_CONTEXTS] = "contexts",
	[ACTS_CAP_BO_WAIT] = "bo-wait",
	[ACTS_CAP_SYNCOBJ] = "syncobj",
	[ACTS_CAP_SYNCOBJ_TIMELINE] = "syncobj-timeline",
	[ACTS_CAP_JOB_SYNCOBJS] = "job-syncobjs",
	[ACTS_CAP_CTX_SYNCOBJ] = "ctx-syncobj",
	[ACTS_CAP_FAULT_INJECTION] = "fault-injection",
	[ACTS_CAP_JOB_TIMEOUT] = "job-timeout",
	[ACTS_CAP_ENGINE_RESET] = "engine-reset",
	[ACTS_CAP_MAC] = "mac",
	[ACTS_CAP_USERPTR] = "userptr",
};

const char *acts_cap_name(enum acts_cap cap)
{
	return (unsigned int)cap < ACTS_CAP_COUNT ? cap_names[cap] : "?";
}

int acts_cap_parse(const char *name)
{
	int c;

	for (c = 0; c < ACTS_CAP_COUNT; c++)
		if (!strcmp(cap_names[c], name))
			return c;
	return -1;
}

void acts_caps_format(uint64_t caps, char *buf, size_t len)
{
	size_t pos = 0;
	int c, n;

	buf[0] = '\0';
	for (c = 0; c < ACTS_CAP_COUNT && pos < len; c++) {
		if (!(caps & ACTS_CAP_BIT(c)))
			continue;
		n = snprintf(buf + pos, len - pos, "%s%s", pos ? " " : "", cap_names[c]);
		if (n < 0)
			break;
		pos += (size_t)n;
	}
}

static bool drm_cap(int fd, uint64_t cap)
{
	uint64_t v = 0;

	return !drmGetCap(fd, cap, &v) && v;
}

/* Can a second file be open beside dev's? A driver that refuses says EBUSY. */
static bool second_open_works(const struct acts_dev *dev)
{
	int fd = open(dev->path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return errno != EBUSY;
	close(fd);
	return true;
}

uint64_t acts_caps_probe(struct acts_dev *dev)
{
	uint64_t caps = dev->be->caps, prime = 0;

	if (dev->be->probe && dev->be->probe(dev, &caps))
		caps &= ~ACTS_CAP_BIT(ACTS_CAP_SUBMIT);
	/* The DRM core answers for syncobjs and PRIME whatever the backend believes. */
	if (!drm_cap(dev->fd, DRM_CAP_SYNCOBJ))
		caps &= ~(ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ) | ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ_TIMELINE) |
			  ACTS_CAP_BIT(ACTS_CAP_JOB_SYNCOBJS) | ACTS_CAP_BIT(ACTS_CAP_CTX_SYNCOBJ));
	if (!drm_cap(dev->fd, DRM_CAP_SYNCOBJ_TIMELINE))
		caps &= ~(ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ_TIMELINE) | ACTS_CAP_BIT(ACTS_CAP_CTX_SYNCOBJ));
	if (drmGetCap(dev->fd, DRM_CAP_PRIME, &prime) ||
	    (prime & (DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT)) !=
	    (DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT))
		caps &= ~ACTS_CAP_BIT(ACTS_CAP_PRIME);
	if (!second_open_works(dev))
		caps &= ~ACTS_CAP_BIT(ACTS_CAP_MULTI_OPEN);
	return caps;
}

const char *acts_backend_name(const struct acts_dev *dev)
{
	return dev->be->name;
}

bool acts_mac_bit_exact(const struct acts_dev *dev)
{
	return dev->be->mac_bit_exact;
}

bool acts_timestamps_monotonic(const struct acts_dev *dev)
{
	return dev->be->timestamps_monotonic;
}

bool acts_cap_optional(enum acts_cap cap)
{
	static const uint64_t shape = ACTS_CAP_BIT(ACTS_CAP_MULTI_OPEN) |
		ACTS_CAP_BIT(ACTS_CAP_SUBMIT) | ACTS_CAP_BIT(ACTS_CAP_CONTEXTS) |
		ACTS_CAP_BIT(ACTS_CAP_BO_WAIT) | ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ) |
		ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ_TIMELINE) | ACTS_CAP_BIT(ACTS_CAP_JOB_SYNCOBJS) |
		ACTS_CAP_BIT(ACTS_CAP_CTX_SYNCOBJ) | ACTS_CAP_BIT(ACTS_CAP_MAC);

	return (unsigned int)cap < ACTS_CAP_COUNT && (shape & ACTS_CAP_BIT(cap));
}

bool acts_has_failed_outputs(const struct acts_dev *dev)
{
	return dev->be->failed_outputs_kept;
}

void acts_require_failed_outputs(const struct acts_dev *dev)
{
	if (!dev->be->failed_outputs_kept)
		acts_skip("the %s backend cannot show a failed call's output fields",
			  acts_backend_name(dev));
}

void acts_require_cap(const struct acts_dev *dev, enum acts_cap cap)
{
	if (acts_has_cap(dev, cap))
		return;
	char label[96];
	/*
	 * A backend not run here says why its uapi cannot express what it
	 * does not declare (e.g. jobs needing firmware programs).
	 */
	bool why = !dev->be->verified && dev->be->notes && !(dev->be->caps & ACTS_CAP_BIT(cap));

	acts_skip(ACTS_NEEDS_CAP "%s, which %s does not have%s%s%s", acts_cap_name(cap),
		  acts_dev_label(dev, label, sizeof(label)), why ? " (" : "",
		  why ? dev->be->notes : "", why ? ")" : "");
}

const char *acts_dev_variant(const struct acts_dev *dev)
{
	return dev->be && dev->be->variant ? dev->be->variant(dev) : NULL;
}

const char *acts_dev_label(const struct acts_dev *dev, char *buf, size_t len)
{
	const char *variant = acts_dev_variant(dev);

	snprintf(buf, len, "%s%s%s", dev->driver, variant ? "/" : "", variant ?: "");
	return buf;
}
