// SPDX-License-Identifier: MIT
/*
 * accel_core: the profile's core level. Node discovery, DRM_IOCTL_VERSION,
 * capabilities and parameter queries, many opens, fdinfo keys.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "acts_assert.h"
#include "acts_gem.h"
#include "acts_test.h"

#define DRM_MAJOR_NUM	226
#define ACCEL_MAJOR_NUM	261
#define MANY_OPENS	64

ACTS_SUBTEST(node_present, "CORE-NODE-1",
	     "the device node is a character device of the right major with a matching sysfs entry")
{
	char sysfs[512], buf[64], want[64];
	const char *base = strrchr(dev->path, '/') + 1;
	struct stat st;
	FILE *f;

	acts_assert_syscall(stat(dev->path, &st));
	acts_assert(S_ISCHR(st.st_mode));
	acts_assert_eq(major(st.st_rdev),
		       dev->kind == ACTS_NODE_ACCEL ? ACCEL_MAJOR_NUM : DRM_MAJOR_NUM);

	snprintf(sysfs, sizeof(sysfs), "/sys/class/%s/%s/dev",
		 dev->kind == ACTS_NODE_ACCEL ? "accel" : "drm", base);
	f = fopen(sysfs, "re");
	if (!f)
		acts_fail("%s: %s", sysfs, strerror(errno));
	acts_assert(fgets(buf, sizeof(buf), f) != NULL);
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(want, sizeof(want), "%u:%u", major(st.st_rdev), minor(st.st_rdev));
	if (strcmp(buf, want))
		acts_fail("%s says %s, the node is %s", sysfs, buf, want);
}

static bool printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isprint((unsigned char)s[i]))
			return false;
	return true;
}

ACTS_SUBTEST(version, "CORE-VERSION-1",
	     "DRM_IOCTL_VERSION names the driver and gives a printable description")
{
	drmVersionPtr v = drmGetVersion(dev->fd);

	acts_assert(v != NULL);
	acts_assert_gt(v->name_len, 0);
	acts_assert(printable(v->name, v->name_len));
	acts_assert_gt(v->desc_len, 0);
	acts_assert(printable(v->desc, v->desc_len));
	acts_assert_gte(v->version_major, 0);
	acts_assert_gte(v->version_minor, 0);
	if (strcmp(v->name, dev->driver) ||
	    (dev->be != &acts_backend_generic && strcmp(v->name, acts_backend_name(dev))))
		acts_fail("driver name '%s', backend '%s'", v->name, acts_backend_name(dev));
	acts_info("driver %s %d.%d.%d: %s", v->name, v->version_major, v->version_minor,
		  v->version_patchlevel, v->desc);
	drmFreeVersion(v);
}

ACTS_SUBTEST(version_short_buffer, "CORE-VERSION-2",
	     "DRM_IOCTL_VERSION with a short buffer writes only what fits and reports the full length")
{
	struct drm_version v = { 0 };
	char name[2] = { 'X', 'X' };
	size_t full;

	acts_assert_syscall(drmIoctl(dev->fd, DRM_IOCTL_VERSION, &v));
	full = v.name_len;
	acts_assert_gt(full, 1);

	memset(&v, 0, sizeof(v));
	v.name = name;
	v.name_len = 1;
	acts_assert_syscall(drmIoctl(dev->fd, DRM_IOCTL_VERSION, &v));
	/* The full length is reported; only one byte is written. */
	acts_assert_eq(v.name_len, full);
	acts_assert_eq(name[0], dev->driver[0]);
	acts_assert_eq(name[1], 'X');
}

ACTS_SUBTEST(caps, "CORE-CAPS-1",
	     "the driver reports memory size, largest BO size and BO flags, consistently")
{
	uint64_t mem, max_bo;

	mem = acts_require_query(dev, ACTS_Q_MEM_SIZE);
	max_bo = acts_query(dev, ACTS_Q_MAX_BO_SIZE);
	acts_assert_gt(mem, 0);
	acts_assert_gt(max_bo, 0);
	acts_assert_lte_u64(max_bo, mem);
	acts_assert_eq(max_bo % (uint64_t)getpagesize(), 0);
	acts_assert_lte_u64(acts_query(dev, ACTS_Q_MEM_USED), mem);
	(void)acts_query(dev, ACTS_Q_BO_FLAGS);
	acts_info("device memory %llu MiB, max BO %llu MiB, uapi %#llx",
		  (unsigned long long)(mem >> 20), (unsigned long long)(max_bo >> 20),
		  (unsigned long long)acts_query(dev, ACTS_Q_UAPI_VERSION));
}

ACTS_SUBTEST(query_unknown_param, "CORE-QUERY-1",
	     "querying an unknown parameter fails with EINVAL and writes nothing")
{
	uint64_t v = 0xdeadbeef;

	acts_require_cap(dev, ACTS_CAP_RAW_QUERY);
	acts_assert_err(__acts_query_raw(dev, false, 0, &v), -EINVAL);
	acts_assert_eq_u64(v, 0xdeadbeef);
}

ACTS_SUBTEST(query_nonzero_pad, "CORE-QUERY-2",
	     "a parameter query with non-zero padding fails with EINVAL")
{
	uint64_t v = 0;

	acts_require_cap(dev, ACTS_CAP_RAW_QUERY);
	/* The same query succeeds with pad zero... */
	acts_assert_ok(__acts_query_raw(dev, true, 0, &v));
	/* ...and is refused with any bit of pad set. */
	acts_assert_err(__acts_query_raw(dev, true, 1, &v), -EINVAL);
	acts_assert_err(__acts_query_raw(dev, true, 0x80000000u, &v), -EINVAL);
}

/* What an output field holds before a call that must fail: the driver must leave it so. */
#define SENTINEL 0xa5a5a5a5a5a5a5a5ull

ACTS_SUBTEST(query_failed_output_untouched, "CORE-QUERY-1 CORE-QUERY-2 CORE-OUTPUT-1",
	     "a refused query (unknown parameter, padding set) leaves a sentinel in its output")
{
	uint64_t v = SENTINEL;

	acts_require_cap(dev, ACTS_CAP_RAW_QUERY);
	acts_require_failed_outputs(dev);
	acts_assert_err(__acts_query_raw(dev, false, 0, &v), -EINVAL);
	acts_assert_eq_u64(v, SENTINEL);
	acts_assert_err(__acts_query_raw(dev, true, 1, &v), -EINVAL);
	acts_assert_eq_u64(v, SENTINEL);
	/* The same query, valid, does write it. */
	acts_assert_ok(__acts_query_raw(dev, true, 0, &v));
	acts_assert(v != SENTINEL);
}

ACTS_SUBTEST(get_cap_prime, "CORE-CAPS-2",
	     "DRM_CAP_PRIME reports both import and export")
{
	uint64_t cap = 0;

	acts_assert_syscall(drmGetCap(dev->fd, DRM_CAP_PRIME, &cap));
	acts_assert_eq(cap & DRM_PRIME_CAP_IMPORT, DRM_PRIME_CAP_IMPORT);
	acts_assert_eq(cap & DRM_PRIME_CAP_EXPORT, DRM_PRIME_CAP_EXPORT);
}

ACTS_SUBTEST(many_opens, "CORE-OPEN-1",
	     "64 open files at once each work and are distinct clients")
{
	struct acts_dev *c[MANY_OPENS];
	char ids[MANY_OPENS][32];
	bool have_ids;
	int i, j;

	for (i = 0; i < MANY_OPENS; i++) {
		c[i] = acts_dev_reopen(dev);
		if (!c[i])
			acts_fail("open #%d of %s: %s", i + 1, dev->path, strerror(errno));
	}
	have_ids = acts_fdinfo_value(c[0], "drm-client-id", ids[0], sizeof(ids[0])) == 0;
	for (i = 0; i < MANY_OPENS; i++) {
		drmVersionPtr v = drmGetVersion(c[i]->fd);

		acts_assert(v != NULL);
		drmFreeVersion(v);
		if (have_ids)
			acts_assert_ok(acts_fdinfo_value(c[i], "drm-client-id", ids[i], sizeof(ids[i])));
	}
	for (i = 0; have_ids && i < MANY_OPENS; i++)
		for (j = i + 1; j < MANY_OPENS; j++)
			if (!strcmp(ids[i], ids[j]))
				acts_fail("open files %d and %d share drm-client-id %s", i, j, ids[i]);
	for (i = 0; i < MANY_OPENS; i++)
		acts_dev_close(c[i]);
}

ACTS_SUBTEST(fdinfo_keys, "CORE-FDINFO-1",
	     "fdinfo names the driver and a numeric client id")
{
	char driver[64], id[32];
	char *end;
	int ret;

	ret = acts_fdinfo_value(dev, "drm-driver", driver, sizeof(driver));
	acts_require(ret != -ENOENT, "%s publishes no drm-* keys in fdinfo", dev->driver);
	acts_assert_ok(ret);
	if (strcmp(driver, dev->driver))
		acts_fail("fdinfo drm-driver is '%s', the driver is '%s'", driver, dev->driver);
	acts_assert_ok(acts_fdinfo_value(dev, "drm-client-id", id, sizeof(id)));
	errno = 0;
	strtoull(id, &end, 10);
	if (errno || end == id || *end)
		acts_fail("drm-client-id '%s' is not a number", id);
}

ACTS_MAIN()
