// SPDX-License-Identifier: MIT
/*
 * What counts as a failure: a rule broken (an ioctl that succeeded where it
 * must fail, recorded by the ops), a kernel report in the log (the same
 * patterns vm/run judges a guest by), a fence not signalled long after the
 * job timeout, a fuzzing process that died, and device memory still in use
 * once every file is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "refaccel_accel.h"
#include "runner.h"
#include "fz.h"

const char *fz_fail_name(enum fz_fail_kind k)
{
	static const char *const names[] = {
		[FZ_FAIL_NONE] = "none", [FZ_FAIL_RULE] = "rule", [FZ_FAIL_KERNEL] = "kernel",
		[FZ_FAIL_HANG] = "hang", [FZ_FAIL_DIED] = "died", [FZ_FAIL_LEAK] = "leak",
	};

	return (unsigned int)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

void fz_fail(struct fz_shared *sh, enum fz_fail_kind k, unsigned int stream, uint64_t op,
	     const char *fmt, ...)
{
	va_list ap;

	if (__atomic_exchange_n(&sh->failed, 1, __ATOMIC_ACQ_REL)) {
		sh->stop = 1;
		return;
	}
	sh->kind = k;
	sh->stream = stream;
	sh->op_index = op;
	va_start(ap, fmt);
	vsnprintf(sh->msg, sizeof(sh->msg), fmt, ap);
	va_end(ap);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
}

int fz_kmsg_open(void)
{
	return kmsg_open();
}

/* As vm/run's console scan. */
static const char report_re[] =
	"(Oops|BUG:|Kernel panic|WARNING:|INFO: possible|INFO: task .* blocked|"
	"general protection fault|UBSAN:|KASAN:|kmemleak:|refcount_t:|list_(add|del) corruption|"
	"possible circular locking|inconsistent lock state)";

char *fz_kmsg_report(int fd)
{
	static regex_t re;
	static bool compiled;
	char *first = NULL, *log, *line, *save = NULL, *found = NULL;

	if (fd < 0)
		return NULL;
	if (!compiled) {
		if (regcomp(&re, report_re, REG_EXTENDED | REG_NOSUB))
			return NULL;
		compiled = true;
	}
	log = kmsg_collect(fd, &first);
	free(first);
	if (!log)
		return NULL;
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!regexec(&re, line, 0, NULL, 0)) {
			found = strdup(line);
			break;
		}
	free(log);
	return found;
}

int fz_leak_check(const char *device, uint64_t *used)
{
	struct drm_refaccel_get_param a = { .param = REFACCEL_PARAM_DEVICE_MEMORY_USED };
	int fd, tries;

	/* Jobs still hold their BOs until they end; objects go when the last reference does. */
	for (tries = 0; tries < 120; tries++) {
		fd = open(device, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		a.value = 0;
		if (ioctl(fd, DRM_IOCTL_REFACCEL_GET_PARAM, &a)) {
			close(fd);
			return -errno;
		}
		close(fd);
		*used = a.value;
		if (!a.value)
			return 0;
		usleep(250000);
	}
	return -ENOSPC;
}
