/* SPDX-License-Identifier: MIT */
/*
 * Capabilities: what a device has (enum acts_cap in acts_backend.h), and
 * the requirements subtests derive from them.
 */
#ifndef ACTS_CAPS_H
#define ACTS_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acts_backend.h"

/* The capability's name in skip reasons and reports, e.g. "job-syncobjs". */
const char *acts_cap_name(enum acts_cap cap);
/* Parse a name back; -1 if unknown. */
int acts_cap_parse(const char *name);
/* "bo gem-mmap prime ...": the names of the bits set in caps. */
void acts_caps_format(uint64_t caps, char *buf, size_t len);

/*
 * What the device at dev has: the backend's declared capabilities, less
 * what its probe, the DRM core and a second open say the device lacks.
 */
uint64_t acts_caps_probe(struct acts_dev *dev);

static inline bool acts_has_cap(const struct acts_dev *dev, enum acts_cap cap)
{
	return dev->caps & ACTS_CAP_BIT(cap);
}

/* The backend's name: the driver's, or "generic". */
const char *acts_backend_name(const struct acts_dev *dev);
/* Facts of the driver's behaviour its backend declares (see struct acts_backend). */
bool acts_mac_bit_exact(const struct acts_dev *dev);
bool acts_timestamps_monotonic(const struct acts_dev *dev);
/* Does a failed call show what the driver left in its outputs? Skip unless. */
bool acts_has_failed_outputs(const struct acts_dev *dev);
void acts_require_failed_outputs(const struct acts_dev *dev);

/* Skip, naming the capability, unless the device has it. */
/*
 * The reason a subtest SKIPs with when the device lacks a capability:
 * "needs capability <name>, which <label> does not have". Certificates read
 * the name back from it (runner/certificate.c).
 */
#define ACTS_NEEDS_CAP "needs capability "
/*
 * Is a capability part of a driver's shape that the profile leaves to the
 * driver (contexts, syncobjs, job submission, MAC ...)? A rule that needs
 * one the device lacks does not apply to it. The others (fault injection,
 * padding fields, raw queries ...) are what a backend needs to check a rule
 * that applies to every driver: without them the rule is left unchecked.
 */
bool acts_cap_optional(enum acts_cap cap);
void acts_require_cap(const struct acts_dev *dev, enum acts_cap cap);

/* The device's shape among its driver's devices, e.g. "bo-wait"; NULL: none. */
const char *acts_dev_variant(const struct acts_dev *dev);
/* The device's label in reports: "refaccel/bo-wait", or the driver alone ("vgem"). */
const char *acts_dev_label(const struct acts_dev *dev, char *buf, size_t len);

#endif
