// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test module for accel-cts's crash-survival runner: on request it takes
 * the kernel down the two ways a broken driver does, so that `make check`
 * can prove a run survives them. Writing to /sys/kernel/debug/acts_crash/
 *   bug     BUG()s in the writing process (an Oops; the kernel goes on, tainted)
 *   freeze  stops every CPU with interrupts off (a hard hang: nothing answers)
 * Never load it anywhere else.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/irqflags.h>
#include <linux/module.h>
#include <linux/smp.h>

static struct dentry *acts_crash_dir;

static ssize_t acts_crash_bug(struct file *file, const char __user *buf, size_t len,
			      loff_t *pos)
{
	BUG();
	return len;
}

static void acts_crash_spin(void *unused)
{
	for (;;)
		cpu_relax();
}

static ssize_t acts_crash_freeze(struct file *file, const char __user *buf, size_t len,
				 loff_t *pos)
{
	local_irq_disable();
	smp_call_function(acts_crash_spin, NULL, 0);
	acts_crash_spin(NULL);
	return len;
}

static const struct file_operations acts_crash_bug_fops = {
	.owner = THIS_MODULE,
	.write = acts_crash_bug,
};

static const struct file_operations acts_crash_freeze_fops = {
	.owner = THIS_MODULE,
	.write = acts_crash_freeze,
};

static int __init acts_crash_init(void)
{
	acts_crash_dir = debugfs_create_dir("acts_crash", NULL);
	debugfs_create_file("bug", 0200, acts_crash_dir, NULL, &acts_crash_bug_fops);
	debugfs_create_file("freeze", 0200, acts_crash_dir, NULL, &acts_crash_freeze_fops);
	return 0;
}

static void __exit acts_crash_exit(void)
{
	debugfs_remove_recursive(acts_crash_dir);
}

module_init(acts_crash_init);
module_exit(acts_crash_exit);

MODULE_DESCRIPTION("accel-cts crash-survival self-test: Oops or hard hang on request");
MODULE_LICENSE("GPL");
