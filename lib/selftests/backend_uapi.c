// SPDX-License-Identifier: MIT
/*
 * What can be checked of the backends without their devices: each ioctl a
 * backend issues against the header it was built with (the request's
 * type, number and encoded size against the driver's command number and
 * the argument struct), every capability a backend declares wired to its
 * operations, and the names ACCEL_CTS_BACKEND takes. Prints the table of
 * ioctls; exit 0 when every check holds, 1 otherwise.
 *
 *   backend_uapi [--expect NAME...]   NAME: backends that must be built
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <xf86drm.h>

#include "acts_backend.h"
#include "acts_caps.h"

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL: " __VA_ARGS__);				\
		printf("\n");						\
		failures++;						\
	}								\
} while (0)

static void check_ioctls(const struct acts_backend *be)
{
	const struct acts_uapi_ioctl *u, *v;

	for (u = be->uapi; u && u->name; u++) {
		printf("%-12s %-38s 0x%08lx  nr 0x%02x  size %3lu  %-3s %s\n", be->alias ?: be->name,
		       u->name, u->req, u->nr, u->size,
		       _IOC_DIR(u->req) == (_IOC_READ | _IOC_WRITE) ? "RW" :
		       _IOC_DIR(u->req) == _IOC_WRITE ? "W" : _IOC_DIR(u->req) == _IOC_READ ? "R" : "-",
		       u->kfunc);
		CHECK(_IOC_TYPE(u->req) == DRM_IOCTL_BASE, "%s: type '%c', not DRM's", u->name,
		      (int)_IOC_TYPE(u->req));
		CHECK(_IOC_NR(u->req) == DRM_COMMAND_BASE + u->nr,
		      "%s: number 0x%x, the driver's command is DRM_COMMAND_BASE + 0x%x", u->name,
		      (unsigned int)_IOC_NR(u->req), u->nr);
		CHECK(_IOC_SIZE(u->req) == u->size, "%s: encodes %u bytes, its struct has %lu",
		      u->name, (unsigned int)_IOC_SIZE(u->req), u->size);
		CHECK(_IOC_DIR(u->req) & _IOC_WRITE, "%s: the kernel never reads its argument",
		      u->name);
		CHECK(u->kfunc && *u->kfunc, "%s: no kernel function named", u->name);
		for (v = be->uapi; v != u; v++)
			CHECK(_IOC_NR(v->req) != _IOC_NR(u->req), "%s and %s share number 0x%x",
			      v->name, u->name, (unsigned int)_IOC_NR(u->req));
	}
}

static void check_backend(const struct acts_backend *be)
{
	char why[256];

	CHECK(!acts_backend_check_ops(be, why, sizeof(why)), "%s", why);
	CHECK(be->name && *be->name, "a backend without a name");
	CHECK(acts_backend_named(be->name) == be, "%s: not found by its name", be->name);
	if (be->alias)
		CHECK(acts_backend_named(be->alias) == be, "%s: not found by its alias %s",
		      be->name, be->alias);
	CHECK(be->uapi_header && *be->uapi_header, "%s: built against which header?", be->name);
	if (be->verified)
		return;
	/* Not run here: it must say what it cannot do, and show its ioctls. */
	CHECK(be->notes && *be->notes, "%s: no notes on what it cannot express", be->name);
	CHECK(be->uapi && be->uapi->name, "%s: no ioctl table", be->name);
	CHECK(!strstr(be->uapi_header, "unknown"), "%s: built without its header's name", be->name);
	check_ioctls(be);
}

/* The ops check must be able to fail: a backend that declares what it does not wire. */
static void check_check_fails(void)
{
	struct acts_backend broken = {
		.name = "broken",
		.caps = ACTS_CAP_BIT(ACTS_CAP_BO) | ACTS_CAP_BIT(ACTS_CAP_BO_WAIT),
	};
	char why[256] = "";

	CHECK(acts_backend_check_ops(&broken, why, sizeof(why)) && strstr(why, "bo_create"),
	      "a backend declaring bo without bo_create passed the ops check");
	broken.caps = ACTS_CAP_BIT(ACTS_CAP_RAW_QUERY);
	CHECK(acts_backend_check_ops(&broken, why, sizeof(why)),
	      "a backend declaring raw-query without query_raw passed the ops check");
}

int main(int argc, char **argv)
{
	int i, n = 0;

	printf("%-12s %-38s %-10s  %-7s  %-8s  %-3s %s\n", "backend", "ioctl", "request", "nr",
	       "size", "dir", "kernel function");
	for (i = 0; acts_backends[i]; i++, n++)
		check_backend(acts_backends[i]);
	check_backend(&acts_backend_generic);
	check_check_fails();
	CHECK(!acts_backend_named("no-such-backend"), "an unknown backend name was found");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--expect"))
			continue;
		CHECK(acts_backend_named(argv[i]), "backend %s was not built", argv[i]);
	}
	for (i = 0; acts_backends_left_out[i]; i++)
		printf("left out: %s\n", acts_backends_left_out[i]);
	printf("%d backends with a driver, %d failures\n", n, failures);
	return failures ? 1 : 0;
}
