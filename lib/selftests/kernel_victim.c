// SPDX-License-Identifier: MIT
/*
 * Subtests that take the kernel down, for the crash-survival check of
 * `make check`: an Oops the kernel survives (tainted), a panic, and a hard
 * hang with every CPU's interrupts off. The runner must record each against
 * the subtest that caused it and finish the rest in fresh guests. Needs the
 * VM tooling's acts_crash module (vm/selftest/); never run it on a machine
 * you care about.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_test.h"

static void poke(const char *path, const char *byte, const char *what)
{
	int fd = open(path, O_WRONLY);

	acts_require(fd >= 0, "cannot open %s (%s): load vm/selftest/acts_crash.ko", path,
		     strerror(errno));
	acts_info("%s\n", what);
	if (write(fd, byte, 1) != 1)
		acts_fail("writing %s: %s", path, strerror(errno));
	close(fd);
	acts_fail("the kernel survived %s", what);
}

static void before(struct acts_dev *dev)
{
}

static void oops(struct acts_dev *dev)
{
	poke("/sys/kernel/debug/acts_crash/bug", "1", "a BUG() in this process");
}

static void panic_kernel(struct acts_dev *dev)
{
	poke("/proc/sysrq-trigger", "c", "a panic (sysrq c)");
}

static void freeze(struct acts_dev *dev)
{
	poke("/sys/kernel/debug/acts_crash/freeze", "1", "every CPU spinning with interrupts off");
}

static void after(struct acts_dev *dev)
{
}

static const struct acts_subtest tests[] = {
	{ "before", "SELF-5", "passes before the kernel is hurt", before, ACTS_NO_DEVICE },
	{ "oops", "SELF-5", "BUG()s in the kernel: an Oops, the kernel tainted", oops,
	  ACTS_NO_DEVICE },
	{ "panic", "SELF-5", "panics the kernel", panic_kernel, ACTS_NO_DEVICE },
	{ "freeze", "SELF-5", "hangs every CPU with interrupts off", freeze, ACTS_NO_DEVICE },
	{ "after", "SELF-5", "passes after all that, in a fresh kernel", after, ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)
