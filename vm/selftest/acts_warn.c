// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test module for accel-cts's VM tooling: it logs a WARN on load, so that
 * `make check` can prove the console scan turns a kernel warning into a
 * failure. Never load it anywhere else.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init acts_warn_init(void)
{
	WARN(1, "accel-cts: deliberate warning to test the console scan\n");
	return 0;
}

static void __exit acts_warn_exit(void)
{
}

module_init(acts_warn_init);
module_exit(acts_warn_exit);

MODULE_DESCRIPTION("accel-cts console-scan self-test: warns on load");
MODULE_LICENSE("GPL");
