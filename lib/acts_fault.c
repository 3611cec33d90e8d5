// SPDX-License-Identifier: MIT
/*
 * Fault injection, recovery counters and devcoredumps.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_caps.h"
#include "acts_device.h"
#include "acts_fault.h"
#include "acts_test.h"

static const char *const fault_names[ACTS_FAULT_COUNT] = {
	[ACTS_FAULT_ALLOC] = "allocation failure",
	[ACTS_FAULT_JOB_ERROR] = "job error",
	[ACTS_FAULT_JOB_HANG] = "job hang",
	[ACTS_FAULT_MAC_CORRUPT] = "MAC corruption",
};

const char *acts_counter_name(enum acts_counter c)
{
	static const char *const names[ACTS_CNT_COUNT] = {
		[ACTS_CNT_ALLOC_FAILURES] = "allocation failures",
		[ACTS_CNT_JOB_FAILURES] = "job failures",
		[ACTS_CNT_HANGS] = "hangs",
		[ACTS_CNT_RESETS] = "resets",
		[ACTS_CNT_BANNED] = "banned contexts",
		[ACTS_CNT_MAC_CORRUPTIONS] = "MAC corruptions",
	};

	return (unsigned int)c < ACTS_CNT_COUNT ? names[c] : "?";
}

void acts_faults_clear(struct acts_dev *dev)
{
	int f;

	for (f = 0; f < ACTS_FAULT_COUNT; f++)
		acts_fault_set(dev, f, 0);
}

void acts_require_faults(struct acts_dev *dev)
{
	const struct acts_backend *be = dev->be;
	unsigned int left;
	int ret;

	acts_require_cap(dev, ACTS_CAP_FAULT_INJECTION);
	ret = be->fault_get(dev, ACTS_FAULT_JOB_ERROR, &left);
	acts_require(ret != -ENOENT && ret != -EACCES && ret != -EPERM,
		     "the device's fault controls are not reachable (%s): mount debugfs and run as root",
		     acts_errno_name(ret));
	acts_assert_ok(ret);
	acts_faults_clear(dev);
}

void acts_fault_set(struct acts_dev *dev, enum acts_fault f, unsigned int count)
{
	int ret;

	acts_dev_defaults_touched();
	ret = dev->be->fault_set(dev, f, count);

	if (ret)
		acts_fail("cannot arm %u %s fault(s): %s", count, fault_names[f],
			  acts_errno_name(ret));
}

unsigned int acts_fault_remaining(struct acts_dev *dev, enum acts_fault f)
{
	unsigned int left = 0;

	acts_assert_ok(dev->be->fault_get(dev, f, &left));
	return left;
}

uint64_t acts_counter(struct acts_dev *dev, enum acts_counter c)
{
	uint64_t v = 0;
	int ret = dev->be->counter(dev, c, &v);

	if (ret)
		acts_fail("cannot read the %s counter: %s", acts_counter_name(c),
			  acts_errno_name(ret));
	return v;
}

bool acts_has_faults(struct acts_dev *dev)
{
	unsigned int left;

	return acts_has_cap(dev, ACTS_CAP_FAULT_INJECTION) &&
	       !dev->be->fault_get(dev, ACTS_FAULT_JOB_ERROR, &left);
}

int __acts_counter(struct acts_dev *dev, enum acts_counter c, uint64_t *value)
{
	if (!acts_has_cap(dev, ACTS_CAP_FAULT_INJECTION))
		return -EOPNOTSUPP;
	return dev->be->counter(dev, c, value);
}

int __acts_job_timeout_get(struct acts_dev *dev, unsigned int *ms)
{
	if (!acts_has_cap(dev, ACTS_CAP_JOB_TIMEOUT))
		return -EOPNOTSUPP;
	return dev->be->job_timeout_get(dev, ms);
}

int __acts_job_timeout_set(struct acts_dev *dev, unsigned int ms)
{
	if (!acts_has_cap(dev, ACTS_CAP_JOB_TIMEOUT))
		return -EOPNOTSUPP;
	acts_dev_defaults_touched();
	return dev->be->job_timeout_set(dev, ms);
}

unsigned int acts_job_timeout_ms(struct acts_dev *dev)
{
	unsigned int ms = 0;

	acts_require_cap(dev, ACTS_CAP_JOB_TIMEOUT);
	acts_assert_ok(dev->be->job_timeout_get(dev, &ms));
	return ms;
}

void acts_set_job_timeout_ms(struct acts_dev *dev, unsigned int ms)
{
	acts_require_cap(dev, ACTS_CAP_JOB_TIMEOUT);
	acts_dev_defaults_touched();
	acts_assert_ok(dev->be->job_timeout_set(dev, ms));
}

void acts_engine_reset(struct acts_dev *dev, enum acts_engine e)
{
	acts_require_cap(dev, ACTS_CAP_ENGINE_RESET);
	acts_assert_ok(dev->be->engine_reset(dev, e));
}

#define DEVCD_ROOT "/sys/class/devcoredump"

int acts_devcoredump_find(struct acts_dev *dev, char *dir, size_t len)
{
	char device[PATH_MAX], link[PATH_MAX], real[PATH_MAX];
	struct dirent *de;
	int found = 0;
	DIR *d;

	acts_assert_ok(acts_dev_sysfs_device(dev, device, sizeof(device)));
	d = opendir(DEVCD_ROOT);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "devcd", 5))
			continue;
		snprintf(link, sizeof(link), DEVCD_ROOT "/%s/failing_device", de->d_name);
		if (!realpath(link, real) || strcmp(real, device))
			continue;
		if (!found++ && dir)
			snprintf(dir, len, DEVCD_ROOT "/%s", de->d_name);
	}
	closedir(d);
	return found;
}

size_t acts_devcoredump_read(const char *dir, char *buf, size_t len)
{
	char path[PATH_MAX];
	size_t total = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/data", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		acts_fail("cannot open %s: %s", path, acts_errno_name(-errno));
	while (total + 1 < len && (n = read(fd, buf + total, len - 1 - total)) > 0)
		total += (size_t)n;
	buf[total] = '\0';
	close(fd);
	return total;
}

void acts_devcoredump_discard_all(struct acts_dev *dev)
{
	char dir[PATH_MAX], path[PATH_MAX + 8];
	int tries = 64;

	while (tries-- && acts_devcoredump_find(dev, dir, sizeof(dir)) > 0) {
		int fd;

		/* Writing anything to data deletes the dump. */
		snprintf(path, sizeof(path), "%s/data", dir);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (write(fd, "1", 1) < 0)
				acts_info("cannot discard %s: %s\n", dir, acts_errno_name(-errno));
			close(fd);
		}
		usleep(10000);
	}
}
