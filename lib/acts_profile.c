// SPDX-License-Identifier: MIT
/*
 * The profile's errno table and the check against it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "acts_assert.h"
#include "acts_backend.h"
#include "acts_device.h"
#include "acts_profile.h"
#include "acts_test.h"

#define MAX_ERRNOS 3

struct rule_errnos {
	const char *rule;
	const char *when;
	int errnos[MAX_ERRNOS];	/* positive, 0-terminated */
};

/* Rows in the order of docs/PROFILE.md. */
static const struct rule_errnos profile[] = {
	{ "CORE-QUERY-1", "unknown-param", { EINVAL } },
	{ "CORE-QUERY-2", "pad", { EINVAL } },
	{ "MEM-CREATE-3", "zero-size", { EINVAL } },
	{ "MEM-CREATE-6", "unknown-flag", { EINVAL } },
	{ "MEM-CREATE-7", "pad", { EINVAL } },
	{ "MEM-INFO-2", "unknown-handle", { ENOENT } },
	{ "MEM-INFO-3", "pad", { EINVAL } },
	{ "SUB-CTX-1", "unknown-ctx", { ENOENT } },
	{ "SUB-CTX-2", "bad-field", { EINVAL } },
	{ "SUB-CTX-3", "other-file", { ENOENT } },
	{ "SUB-WAIT-1", "deadline", { ETIME } },
	{ "SUB-WAIT-1", "unknown-handle", { ENOENT } },
	{ "SUB-WAIT-1", "flags", { EINVAL } },
	{ "SUB-BOUND-1", "refused", { EBUSY, EAGAIN } },
	{ "SUB-INVAL-1", "bad-field", { EINVAL } },
	{ "SUB-INVAL-1", "over-limit", { EINVAL, E2BIG } },
	{ "SUB-INVAL-2", "bad-command", { EINVAL } },
	{ "SUB-INVAL-3", "unknown-object", { ENOENT } },
	{ "SUB-INVAL-3", "no-fence", { EINVAL } },
	{ "SUB-INVAL-4", "bad-pointer", { EFAULT } },
	{ "FENCE-WAIT-2", "deadline", { ETIME } },
	{ "FENCE-WAIT-3", "no-fence", { EINVAL } },
	{ "REC-ALLOC-1", "injected", { ENOMEM } },
	{ "REC-HANG-2", "banned", { ECANCELED } },
	{ "ISO-HANDLE-1", "info", { ENOENT } },
	{ "ISO-HANDLE-1", "export", { ENOENT } },
	{ "ISO-HANDLE-1", "close", { EINVAL } },
	{ "ISO-HANDLE-1", "job", { ENOENT } },
	{ "ISO-OFFSET-1", "mmap", { EACCES, EINVAL, EPERM } },
	{ "ISO-CTX-1", "submit", { ENOENT } },
	{ "ISO-CTX-1", "destroy", { ENOENT } },
	{ "ISO-SYNCOBJ-1", "lookup", { ENOENT } },
	{ "ISO-SYNCOBJ-1", "export", { EINVAL, ENOENT } },
	{ "ISO-SYNCOBJ-1", "destroy", { EINVAL, ENOENT } },
	{ "ISO-SYNCOBJ-1", "job", { ENOENT } },
	{ "ISO-DMABUF-1", "import", { EBADF, EINVAL } },
	{ "ISO-PRIV-1", "open", { EACCES, EPERM } },
};

const char *const acts_profile_levels[ACTS_PROFILE_NLEVELS] = {
	"core", "memory", "submit", "fences", "recovery", "compute", "isolation",
};

const char *acts_profile_level(const char *rule)
{
	static const char *const prefixes[ACTS_PROFILE_NLEVELS] = {
		"CORE-", "MEM-", "SUB-", "FENCE-", "REC-", "MAC-", "ISO-",
	};
	int i;

	for (i = 0; i < ACTS_PROFILE_NLEVELS; i++)
		if (!strncmp(rule, prefixes[i], strlen(prefixes[i])))
			return acts_profile_levels[i];
	return NULL;
}

const int *acts_profile_errnos(const char *rule, const char *when, int *n)
{
	unsigned int i;

	for (i = 0; i < sizeof(profile) / sizeof(profile[0]); i++) {
		if (strcmp(profile[i].rule, rule) || strcmp(profile[i].when, when))
			continue;
		for (*n = 0; *n < MAX_ERRNOS && profile[i].errnos[*n]; (*n)++)
			;
		return profile[i].errnos;
	}
	return NULL;
}

static const struct acts_errno_deviation *declared(const struct acts_dev *dev, const char *rule,
						    const char *when, long ret)
{
	const struct acts_errno_deviation *d = dev->be->deviations;

	for (; d && d->rule; d++)
		if (!strcmp(d->rule, rule) && !strcmp(d->when, when) && -ret == d->err)
			return d;
	return NULL;
}

void __acts_assert_rule(struct acts_dev *dev, const char *file, int line, const char *expr,
			const char *rule, const char *when, long ret)
{
	const struct acts_errno_deviation *d;
	int allowed[MAX_ERRNOS], n, i;
	const int *row = acts_profile_errnos(rule, when, &n);

	if (!row)
		acts_fail("%s:%d: no profile errno for %s %s (a bug in the test)", file, line,
			  rule, when);
	for (i = 0; i < n; i++) {
		if (ret == -row[i])
			return;
		allowed[i] = -row[i];
	}
	d = declared(dev, rule, when, ret);
	if (d) {
		/* On stdout, where the runner keeps it with the result. */
		printf("deviation: %s %s: %s returns %s where the profile says %s (%s)\n", rule,
		       when, dev->driver, acts_errno_name(ret), acts_errno_name(row[0]), d->why);
		fflush(stdout);
		return;
	}
	__acts_assert_err_fail(file, line, expr, allowed, n, ret);
}
