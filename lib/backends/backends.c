// SPDX-License-Identifier: MIT
/*
 * The list of backends. Add a backend here and in the Makefile; the generic
 * one (backend_generic.c) takes every accel or render node left over. The
 * upstream drivers' backends are built only when the Makefile found their
 * uapi header (ACTS_HAVE_<DRIVER>); the others are listed as left out.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../acts_backend.h"
#include "../acts_caps.h"

extern const struct acts_backend acts_backend_refaccel;
extern const struct acts_backend acts_backend_vgem;
extern const struct acts_backend acts_backend_ivpu;
extern const struct acts_backend acts_backend_qaic;
extern const struct acts_backend acts_backend_habanalabs;
extern const struct acts_backend acts_backend_amdxdna;
extern const struct acts_backend acts_backend_rocket;
extern const struct acts_backend acts_backend_ethosu;

const struct acts_backend *const acts_backends[] = {
	&acts_backend_refaccel,
	&acts_backend_vgem,
#ifdef ACTS_HAVE_IVPU
	&acts_backend_ivpu,
#endif
#ifdef ACTS_HAVE_QAIC
	&acts_backend_qaic,
#endif
#ifdef ACTS_HAVE_HABANALABS
	&acts_backend_habanalabs,
#endif
#ifdef ACTS_HAVE_AMDXDNA
	&acts_backend_amdxdna,
#endif
#ifdef ACTS_HAVE_ROCKET
	&acts_backend_rocket,
#endif
#ifdef ACTS_HAVE_ETHOSU
	&acts_backend_ethosu,
#endif
	NULL,
};

#define LEFT_OUT(drv) drv ": not built: drm/" drv "_accel.h was not found at build time (make deps)"

const char *const acts_backends_left_out[] = {
#ifndef ACTS_HAVE_IVPU
	LEFT_OUT("ivpu"),
#endif
#ifndef ACTS_HAVE_QAIC
	LEFT_OUT("qaic"),
#endif
#ifndef ACTS_HAVE_HABANALABS
	LEFT_OUT("habanalabs"),
#endif
#ifndef ACTS_HAVE_AMDXDNA
	LEFT_OUT("amdxdna"),
#endif
#ifndef ACTS_HAVE_ROCKET
	LEFT_OUT("rocket"),
#endif
#ifndef ACTS_HAVE_ETHOSU
	LEFT_OUT("ethosu"),
#endif
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
	int i;

	if (!strcmp(name, "generic"))
		return &acts_backend_generic;
	for (i = 0; acts_backends[i]; i++)
		if (acts_backends[i]->alias && !strcmp(acts_backends[i]->alias, name))
			return acts_backends[i];
	return acts_backend_for(name);
}

/* What each capability needs of the backend, as docs/BACKENDS.md's table says. */
int acts_backend_check_ops(const struct acts_backend *be, char *why, size_t len)
{
	static const struct {
		enum acts_cap cap;
		size_t off;
		const char *op;
	} need[] = {
#define NEED(c, field) { c, offsetof(struct acts_backend, field), #field }
		NEED(ACTS_CAP_BO, bo_create),
		NEED(ACTS_CAP_BO, bo_info),
		NEED(ACTS_CAP_GEM_MMAP, bo_info),
		NEED(ACTS_CAP_RAW_QUERY, query_raw),
		NEED(ACTS_CAP_SUBMIT, encode),
		NEED(ACTS_CAP_SUBMIT, submit),
		NEED(ACTS_CAP_SUBMIT, encoded_free),
		NEED(ACTS_CAP_CONTEXTS, ctx_create),
		NEED(ACTS_CAP_CONTEXTS, ctx_destroy),
		NEED(ACTS_CAP_BO_WAIT, bo_wait),
		NEED(ACTS_CAP_JOB_SYNCOBJS, submit),
		NEED(ACTS_CAP_CTX_SYNCOBJ, submit),
		NEED(ACTS_CAP_CTX_SYNCOBJ, ctx_create),
		NEED(ACTS_CAP_FAULT_INJECTION, fault_set),
		NEED(ACTS_CAP_FAULT_INJECTION, fault_get),
		NEED(ACTS_CAP_FAULT_INJECTION, counter),
		NEED(ACTS_CAP_FAULT_INJECTION, defaults_restore),
		NEED(ACTS_CAP_JOB_TIMEOUT, job_timeout_get),
		NEED(ACTS_CAP_JOB_TIMEOUT, job_timeout_set),
		NEED(ACTS_CAP_JOB_TIMEOUT, defaults_restore),
		NEED(ACTS_CAP_ENGINE_RESET, engine_reset),
		NEED(ACTS_CAP_MAC, encode),
		NEED(ACTS_CAP_USERPTR, bo_create_userptr),
#undef NEED
	};
	unsigned int i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		void (*fn)(void);

		if (!(be->caps & ACTS_CAP_BIT(need[i].cap)))
			continue;
		memcpy(&fn, (const char *)be + need[i].off, sizeof(fn));
		if (fn)
			continue;
		snprintf(why, len, "%s declares capability %s but its %s is NULL", be->name,
			 acts_cap_name(need[i].cap), need[i].op);
		return -EINVAL;
	}
	/* A driver with a raw parameter ioctl needs an id it knows and one it does not. */
	if ((be->caps & ACTS_CAP_BIT(ACTS_CAP_RAW_QUERY)) &&
	    be->query_raw_known == be->query_raw_unknown) {
		snprintf(why, len, "%s: query_raw_known and query_raw_unknown are equal", be->name);
		return -EINVAL;
	}
	return 0;
}
