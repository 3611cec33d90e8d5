// SPDX-License-Identifier: MIT
/*
 * The list of backends. Add a backend here and in the Makefile.
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
