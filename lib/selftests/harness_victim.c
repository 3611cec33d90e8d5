// SPDX-License-Identifier: MIT
/*
 * A test binary whose subtests pass, fail, skip, crash and hang on purpose,
 * so that the harness and the runner can be checked from the outside.
 * Needs no device.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_test.h"

static void victim_pass(struct acts_dev *dev)
{
	acts_assert_eq(1 + 1, 2);
}

static void victim_fail(struct acts_dev *dev)
{
	acts_assert_err(-ENOENT, -EINVAL);
}

static void victim_skip(struct acts_dev *dev)
{
	acts_require(0, "victim skips on purpose");
}

static void victim_crash(struct acts_dev *dev)
{
	raise(SIGSEGV);
}

static void victim_hang(struct acts_dev *dev)
{
	/* A helper process that outlives the subtest must be reaped too. */
	if (fork() == 0)
		for (;;)
			pause();
	for (;;)
		pause();
}

static void victim_exit(struct acts_dev *dev)
{
	exit(3);
}

/* Log a line at warning level, as if the kernel had logged it. */
static void kmsg_warn(const char *text)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	acts_require(fd >= 0, "cannot open /dev/kmsg for writing");
	acts_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void victim_kernel_warns(struct acts_dev *dev)
{
	kmsg_warn("<4>harness_victim: a driver complains\n");
}

static void victim_host_noise(struct acts_dev *dev)
{
	kmsg_warn("<4>hrtimer: interrupt took 1234567 ns\n");
	kmsg_warn("<4>clocksource: Long readout interval, skipping watchdog check: cs_nsec: 1 wd_nsec: 2\n");
}

/* Fails the first time, passes after: a flake, for the expectation files' retries. */
static void victim_flaky_once(struct acts_dev *dev)
{
	const char *dir = getenv("ACCEL_CTS_VICTIM_STATE");
	char path[4096];
	int fd;

	acts_require(dir, "ACCEL_CTS_VICTIM_STATE (a folder for its state) is not set");
	snprintf(path, sizeof(path), "%s/flaky-once", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd >= 0) {
		close(fd);
		acts_fail("first run: failing on purpose");
	}
}

static const struct acts_subtest tests[] = {
	{ "pass", "SELF-1", "passes", victim_pass, ACTS_NO_DEVICE },
	{ "fail", "SELF-2", "fails an errno assertion", victim_fail, ACTS_NO_DEVICE },
	{ "skip", "SELF-3", "skips with a reason", victim_skip, ACTS_NO_DEVICE },
	{ "crash", "SELF-4", "dies of SIGSEGV", victim_crash, ACTS_NO_DEVICE },
	{ "hang", "SELF-5", "never returns", victim_hang, ACTS_NO_DEVICE },
	{ "odd-exit", "SELF-6", "exits with a status that means nothing", victim_exit,
	  ACTS_NO_DEVICE },
	{ "kernel-warns", "SELF-7", "passes while the kernel logs a warning",
	  victim_kernel_warns, ACTS_NO_DEVICE },
	{ "host-noise", "SELF-7", "passes while the kernel logs known host noise",
	  victim_host_noise, ACTS_NO_DEVICE },
	{ "flaky-once", "SELF-1", "fails on its first run, passes on the next", victim_flaky_once,
	  ACTS_NO_DEVICE },
	{ "pass-after", "SELF-1", "passes after all the others", victim_pass, ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)
