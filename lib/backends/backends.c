// SPDX-License-Identifier: MIT
/*
 * The list of backends. Add a backend here and in the Makefile; the generic
 * one (backend_generic.c) takes every accel or render node left over.
 */
#include <stddef.h>
#include <string.h>

#include "../acts_backend.h"

extern const struct acts_backend acts_backend_refaccel;
extern const struct acts_backend acts_backend_vgem;

const struct acts_backend *const acts_backends[] = {
	&acts_backend_refaccel,
	&acts_backend_vgem,
	NULL,
};

const struct acts_backend *acts_backend_for(const char *driver)
{
	int i;

	for (i = 0; acts_backends[i]; i++)
		if (!strcmp(acts_backends[i]->name, driver))
			return acts_backends[i];
	return NULL;
}

const struct acts_backend *acts_backend_for_node(const char *driver, enum acts_node_kind kind)
{
	const struct acts_backend *be = acts_backend_for(driver);

	if (be && be->node == kind)
		return be;
	/* vgem's render node, say: its backend drives the primary one. */
	return kind == ACTS_NODE_PRIMARY ? NULL : &acts_backend_generic;
}

const struct acts_backend *acts_backend_named(const char *name)
{
	if (!strcmp(name, "generic"))
		return &acts_backend_generic;
	return acts_backend_for(name);
}
