// SPDX-License-Identifier: MIT
/*
 * Ops on refaccel's own ioctls (refaccel_accel.h), one function each, and
 * the rule each must keep: a must-be-zero field set, an unknown flag, an
 * out-of-range value, a handle that does not live in the file, an
 * unreadable pointer with a non-zero count: the ioctl must fail.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "acts_backend.h"
#include "backends/backend_refaccel.h"
#include "refaccel_accel.h"
#include "fz.h"

/* Most ops target file 0; now and then file 1, so both fill up. */
static unsigned int pick_file(struct fz_state *s)
{
	return fz_chance(s, 85) ? 0 : 1;
}

static void close_one_bo(struct fz_state *s, unsigned int k)
{
	struct fz_file *f = &s->f[k];
	struct drm_gem_close c = { .handle = f->bo[fz_below(s, f->nbo)] };

	fz_log(s, "GEM_CLOSE(%u) ", c.handle);
	if (!fz_ioctl(s, f->fd, DRM_IOCTL_GEM_CLOSE, &c))
		fz_bo_del(f, c.handle);
	fz_log(s, "; ");
}

static void op_get_param(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_refaccel_get_param a = {
		.param = fz_chance(s, 80) ? (uint32_t)fz_below(s, s->lim->nparams) : fz_u32(s),
		.pad = fz_pad(s),
	};
	int ret;

	fz_log(s, "REFACCEL_GET_PARAM(f%u param=%u pad=%#x)", k, a.param, a.pad);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_REFACCEL_GET_PARAM, &a);
	fz_expect_fail(s, ret, a.pad, "GET_PARAM: pad %#x must be refused", a.pad);
	fz_expect_fail(s, ret, a.param >= s->lim->nparams,
		       "GET_PARAM: unknown param %u must be refused", a.param);
}

static void op_bo_create(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_refaccel_bo_create a = {
		.size = fz_bo_size(s),
		.flags = fz_chance(s, 85) ? (fz_chance(s, 50) ? REFACCEL_BO_WC : 0) : fz_u64(s),
		.handle = fz_chance(s, 90) ? 0 : fz_u32(s),
		.pad = fz_pad(s),
	};
	bool bad = a.pad || (a.flags & ~s->lim->bo_flags) || !a.size ||
		   a.size > s->lim->max_bo_size;
	int ret;

	if (s->f[k].nbo == FZ_MAX_BO)
		close_one_bo(s, k);
	fz_log(s, "REFACCEL_BO_CREATE(f%u size=%#llx flags=%#llx pad=%#x)", k,
	       (unsigned long long)a.size, (unsigned long long)a.flags, a.pad);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_REFACCEL_BO_CREATE, &a);
	fz_expect_fail(s, ret, bad,
		       "BO_CREATE: size %#llx flags %#llx pad %#x must be refused (size 0 or above MAX_BO_SIZE %#llx, unknown flag, or pad)",
		       (unsigned long long)a.size, (unsigned long long)a.flags, a.pad,
		       (unsigned long long)s->lim->max_bo_size);
	if (!ret) {
		fz_log(s, " handle=%u", a.handle);
		fz_bo_add(s, k, a.handle);
	}
}

/*
 * A BO of user memory: a fresh anonymous mapping of a few pages, made
 * read-only or inaccessible (PROT_NONE: still reserved, so another thread
 * cannot map there meanwhile) now and then, the pointer and size shifted off
 * a page boundary now and then. The mapping goes at once: a pinned BO keeps
 * its pages, which is what a loader that frees its arena does. A range past
 * the mapping may meet other memory of the process, so it is not judged.
 */
static void op_bo_create_userptr(struct fz_state *s)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned int k = pick_file(s), pages = 1 + fz_below(s, 16);
	size_t len = (size_t)pages * page;
	int kind = fz_below(s, 10);	/* 0: read-only, 1: no access, else writable */
	uint8_t *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_refaccel_bo_create_userptr a = { 0 };
	bool bad, within;
	int ret;

	if (mem == MAP_FAILED)
		return;
	memset(mem, 0xa5, len);
	a.user_ptr = (uintptr_t)mem + (fz_chance(s, 90) ? 0 : 1 + fz_below(s, page - 1));
	a.size = fz_chance(s, 85) ? len - fz_below(s, pages) * page :
		 fz_chance(s, 50) ? fz_bo_size(s) : fz_u64(s);
	a.flags = fz_chance(s, 90) ? 0 : fz_u64(s);
	a.handle = fz_chance(s, 90) ? 0 : fz_u32(s);
	a.pad = fz_pad(s);
	if (kind == 0)
		mprotect(mem, len, PROT_READ);
	else if (kind == 1)
		mprotect(mem, len, PROT_NONE);
	within = a.user_ptr + a.size >= a.user_ptr && a.user_ptr + a.size <= (uintptr_t)mem + len;
	bad = a.pad || a.flags || !a.size || a.size % page || a.user_ptr % page ||
	      a.size > s->lim->max_bo_size || a.user_ptr + a.size < a.user_ptr ||
	      (within && kind < 2);
	if (s->f[k].nbo == FZ_MAX_BO)
		close_one_bo(s, k);
	fz_log(s, "REFACCEL_BO_CREATE_USERPTR(f%u ptr=%s%#llx size=%#llx flags=%#llx pad=%#x)", k,
	       kind == 0 ? "read-only " : kind == 1 ? "no-access " : "",
	       (unsigned long long)(a.user_ptr - (uintptr_t)mem), (unsigned long long)a.size,
	       (unsigned long long)a.flags, a.pad);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_REFACCEL_BO_CREATE_USERPTR, &a);
	/* Without the capability every call is refused; with it, only bad ones must be. */
	fz_expect_fail(s, ret, bad || !(s->lim->caps & REFACCEL_CAP_USERPTR),
		       "BO_CREATE_USERPTR: ptr +%#llx size %#llx flags %#llx pad %#x of %zu %s bytes must be refused",
		       (unsigned long long)(a.user_ptr - (uintptr_t)mem), (unsigned long long)a.size,
		       (unsigned long long)a.flags, a.pad, len,
		       kind == 0 ? "read-only" : kind == 1 ? "no-access" : "writable");
	if (!ret) {
		fz_log(s, " handle=%u", a.handle);
		fz_bo_add(s, k, a.handle);
	}
	munmap(mem, len);
}

static void op_bo_info(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_refaccel_bo_info a = {
		.handle = fz_pick_bo(s, k), .pad = fz_pad(s),
	};
	bool live = fz_bo_live(&s->f[k], a.handle, NULL);
	int ret;

	fz_log(s, "REFACCEL_BO_INFO(f%u handle=%u%s pad=%#x)", k, a.handle,
	       live ? "" : " (not live)", a.pad);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_REFACCEL_BO_INFO, &a);
	fz_expect_fail(s, ret, a.pad, "BO_INFO: pad %#x must be refused", a.pad);
	fz_expect_fail(s, ret, !live && !s->f[k].untracked,
		       "BO_INFO: handle %u does not live in this file and must be refused",
		       a.handle);
}

static void op_ctx_create(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_refaccel_ctx_create a = {
		.priority = fz_chance(s, 85) ? (uint32_t)fz_below(s, 3) : fz_u32(s),
		.flags = fz_pad(s), .pad = fz_pad(s), .pad2 = fz_pad(s),
		.ctx_id = fz_chance(s, 90) ? 0 : fz_u32(s),
	};
	bool bad = a.priority > REFACCEL_PRIORITY_HIGH || a.flags || a.pad || a.pad2;
	struct fz_file *f = &s->f[k];
	int ret;

	if (f->nctx == FZ_MAX_CTX) {
		struct drm_refaccel_ctx_destroy d = { .ctx_id = f->ctx[fz_below(s, f->nctx)] };

		fz_log(s, "REFACCEL_CTX_DESTROY(%u) ", d.ctx_id);
		if (!fz_ioctl(s, f->fd, DRM_IOCTL_REFACCEL_CTX_DESTROY, &d))
			fz_ctx_del(f, d.ctx_id);
		fz_log(s, "; ");
	}
	fz_log(s, "REFACCEL_CTX_CREATE(f%u prio=%u flags=%#x pad=%#x pad2=%#x)", k, a.priority,
	       a.flags, a.pad, a.pad2);
	ret = fz_ioctl(s, f->fd, DRM_IOCTL_REFACCEL_CTX_CREATE, &a);
	fz_expect_fail(s, ret, bad,
		       "CTX_CREATE: priority %u flags %#x pad %#x pad2 %#x must be refused",
		       a.priority, a.flags, a.pad, a.pad2);
	if (!ret) {
		fz_log(s, " id=%u", a.ctx_id);
		fz_ctx_add(f, a.ctx_id);
		if (a.syncobj_handle)
			fz_sync_add(f, a.syncobj_handle);
	}
}

static void op_ctx_destroy(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_refaccel_ctx_destroy a = { .ctx_id = fz_pick_ctx(s, k), .pad = fz_pad(s) };
	bool live = fz_ctx_live(&s->f[k], a.ctx_id);
	int ret;

	fz_log(s, "REFACCEL_CTX_DESTROY(f%u id=%u%s pad=%#x)", k, a.ctx_id,
	       live ? "" : " (not live)", a.pad);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_REFACCEL_CTX_DESTROY, &a);
	fz_expect_fail(s, ret, a.pad, "CTX_DESTROY: pad %#x must be refused", a.pad);
	fz_expect_fail(s, ret, !live && !s->f[k].untracked,
		       "CTX_DESTROY: context %u does not live in this file and must be refused",
		       a.ctx_id);
	if (!ret)
		fz_ctx_del(&s->f[k], a.ctx_id);
}

static void op_bo_wait(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_refaccel_bo_wait a = {
		.handle = fz_pick_bo(s, k), .flags = fz_pad(s), .pad = fz_pad(s),
		.timeout_ns = fz_deadline(s),
	};
	bool live = fz_bo_live(&s->f[k], a.handle, NULL);
	int ret;

	fz_log(s, "REFACCEL_BO_WAIT(f%u handle=%u%s flags=%#x pad=%#x)", k, a.handle,
	       live ? "" : " (not live)", a.flags, a.pad);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_REFACCEL_BO_WAIT, &a);
	fz_expect_fail(s, ret, a.flags || a.pad, "BO_WAIT: flags %#x or pad %#x must be refused",
		       a.flags, a.pad);
	fz_expect_fail(s, ret, !live && !s->f[k].untracked,
		       "BO_WAIT: handle %u does not live in this file and must be refused",
		       a.handle);
}

/* ---- SUBMIT ---- */

struct job_draw {
	uint32_t bos[8];
	uint64_t sizes[8];
	uint32_t nbos;
	bool all_live;
};

static void draw_bos(struct fz_state *s, unsigned int k, struct job_draw *j)
{
	struct fz_file *f = &s->f[k];
	uint32_t i, want = 1 + (uint32_t)fz_below(s, 4);

	j->nbos = 0;
	j->all_live = true;
	for (i = 0; i < want; i++) {
		int li = fz_chance(s, 92) ? fz_pick_live_bo(s, k) : -1;
		uint32_t h = li >= 0 ? f->bo[li] : fz_pick_bo(s, k);
		uint64_t size = 0;

		if (!fz_bo_live(f, h, &size))
			j->all_live = false;
		j->bos[j->nbos] = h;
		j->sizes[j->nbos++] = size;
	}
}

/* An offset and length in a BO of size sz: in range mostly, at its edges sometimes. */
static void draw_range(struct fz_state *s, uint64_t sz, uint64_t align, uint64_t *off,
		       uint64_t *len)
{
	uint64_t room = sz > (64u << 10) ? (64u << 10) : sz;

	switch (fz_below(s, 8)) {
	case 0:
		*off = sz - align;
		*len = align * (1 + fz_below(s, 2));
		break;
	case 1:
		*off = fz_u64(s);
		*len = fz_u64(s);
		break;
	case 2:
		*off = fz_below(s, room) / align * align;
		*len = room - *off + align * fz_below(s, 2);
		break;
	default:
		*off = room > align ? fz_below(s, room - align) / align * align : 0;
		*len = align + fz_below(s, (room - *off) / align) * align;
		if (*off + *len > room)
			*len = room - *off;
		break;
	}
	if (fz_chance(s, 3))
		*off += 1 + fz_below(s, align);
}

static void draw_cmd(struct fz_state *s, const struct job_draw *j, uint32_t engine,
		     struct acts_cmd *c)
{
	static const uint32_t es[] = { 1, 1, 2, 2, 4 };
	uint32_t bi = (uint32_t)fz_below(s, j->nbos + (fz_chance(s, 5) ? 2 : 0));
	uint64_t sz = bi < j->nbos ? j->sizes[bi] : 4096;

	memset(c, 0, sizeof(*c));
	c->bo = bi;
	switch (fz_below(s, 10)) {
	case 0:
		c->op = ACTS_CMD_NOP;
		break;
	case 1:
	case 2:
	case 3:
		c->op = ACTS_CMD_FILL;
		c->value = fz_u32(s);
		draw_range(s, sz, 4, &c->offset, &c->size);
		break;
	case 4:
	case 5:
		c->op = ACTS_CMD_TIMESTAMP;
		draw_range(s, sz, 8, &c->offset, &c->size);
		break;
	case 6:
	case 7:
	case 8:
		c->op = ACTS_CMD_COPY;
		c->src = (uint32_t)fz_below(s, j->nbos);
		draw_range(s, sz < j->sizes[c->src] ? sz : j->sizes[c->src], 4, &c->src_offset,
			   &c->size);
		c->offset = fz_chance(s, 70) ? c->src_offset + c->size : c->src_offset;
		if (engine != REFACCEL_ENGINE_COPY && fz_chance(s, 80))
			c->op = ACTS_CMD_FILL;
		break;
	default: {
		struct acts_mac *m = &c->mac;

		c->op = ACTS_CMD_MAC;
		m->dtype = (enum acts_mac_dtype)(fz_chance(s, 90) ? fz_below(s, 5) : fz_below(s, 7));
		m->m = fz_chance(s, 90) ? 1 + (uint32_t)fz_below(s, 8) : fz_u32(s);
		m->n = fz_chance(s, 90) ? 1 + (uint32_t)fz_below(s, 8) : fz_u32(s);
		m->k = fz_chance(s, 90) ? 1 + (uint32_t)fz_below(s, 8) : fz_u32(s);
		m->flags = (uint32_t)fz_below(s, 4) | (fz_chance(s, 5) ? ACTS_MAC_FLAG_UNKNOWN : 0);
		m->a_bo = (uint32_t)fz_below(s, j->nbos);
		m->b_bo = (uint32_t)fz_below(s, j->nbos);
		m->c_bo = (uint32_t)fz_below(s, j->nbos);
		if (m->dtype < 5) {
			uint32_t e = es[m->dtype];

			m->a_stride = (uint64_t)m->k * e;
			m->b_stride = (uint64_t)(m->flags & ACTS_MAC_TRANSPOSE_B ? m->k : m->n) * e;
			m->c_stride = (uint64_t)m->n * 4;
			m->b_offset = 1024;
			m->c_offset = 2048;
		}
		if (fz_chance(s, 10))
			m->c_stride = fz_u64(s);
		if (fz_chance(s, 10))
			m->a_offset = fz_u64(s);
		if (engine == REFACCEL_ENGINE_COPY && fz_chance(s, 80))
			c->op = ACTS_CMD_NOP;
		break;
	}
	}
}

/* Break an encoded stream now and then: a bit, a word, a pad field. */
static void mutate(struct fz_state *s, uint8_t *cmds, uint32_t size)
{
	uint32_t pos = 0;

	if (!size)
		return;
	switch (fz_below(s, 4)) {
	case 0:
		cmds[fz_below(s, size)] ^= (uint8_t)(1u << fz_below(s, 8));
		break;
	case 1: {
		uint32_t w = (uint32_t)fz_below(s, size / 4), v = fz_u32(s);

		memcpy(cmds + w * 4, &v, 4);
		break;
	}
	default:
		/* A TIMESTAMP's pad: the must-be-zero field inside a command. */
		while (pos + sizeof(struct drm_refaccel_cmd_header) <= size) {
			struct drm_refaccel_cmd_header h;

			memcpy(&h, cmds + pos, sizeof(h));
			if (!h.size || pos + h.size > size)
				break;
			if (h.opcode == REFACCEL_CMD_TIMESTAMP &&
			    h.size == sizeof(struct drm_refaccel_cmd_timestamp)) {
				uint32_t pad = fz_u32(s) | 1;

				memcpy(cmds + pos + offsetof(struct drm_refaccel_cmd_timestamp, pad),
				       &pad, 4);
				break;
			}
			pos += h.size;
		}
		break;
	}
}

static void log_cmds(struct fz_state *s, const uint8_t *cmds, uint32_t size)
{
	uint32_t pos = 0, i;

	if (!s->trace)
		return;
	fz_log(s, " cmds=[");
	while (pos + 8 <= size && pos < 512) {
		struct drm_refaccel_cmd_header h;
		uint32_t n;

		memcpy(&h, cmds + pos, sizeof(h));
		n = h.size >= 8 && pos + h.size <= size ? h.size : size - pos;
		fz_log(s, "%s{op=%u size=%u", pos ? " " : "", h.opcode, h.size);
		for (i = 8; i + 4 <= n && i < 96; i += 4) {
			uint32_t w;

			memcpy(&w, cmds + pos + i, 4);
			fz_log(s, " %#x", w);
		}
		fz_log(s, "}");
		pos += n;
	}
	fz_log(s, "]");
}

/* Encode through the backend, then maybe break it; the rules judge the result. */
static void op_submit(struct fz_state *s)
{
	unsigned int k = pick_file(s), i, ncmds = 1 + (unsigned int)fz_below(s, 6);
	struct fz_file *f = &s->f[k];
	struct acts_cmd cmds[6];
	struct acts_encoded *enc = NULL;
	struct acts_job job = { 0 };
	struct job_draw j;
	struct drm_refaccel_sync in[2];
	struct drm_refaccel_submit a = { 0 };
	uint32_t nin = 0, engine;
	bool cbad = false, bbad = false, ibad = false, defect = false, ctx_live, in_live = true;
	uint64_t crd, brd, ird;
	char why[160] = "";
	int ret;

	engine = fz_chance(s, 95) ? (uint32_t)fz_below(s, 2) : fz_u32(s);
	draw_bos(s, k, &j);
	for (i = 0; i < ncmds; i++)
		draw_cmd(s, &j, engine, &cmds[i]);
	job.ctx = fz_chance(s, 90) && f->nctx ? f->ctx[fz_below(s, f->nctx)] : fz_pick_ctx(s, k);
	job.engine = engine;
	job.cmds = cmds;
	job.ncmds = ncmds;
	job.bos = j.bos;
	job.nbos = j.nbos;
	if (f->dev->be->encode(f->dev, &job, &enc))
		return;
	if (fz_chance(s, 8)) {
		enum acts_job_defect d = 1 + (enum acts_job_defect)fz_below(s, ACTS_DEFECT_COUNT - 1);

		defect = !f->dev->be->inval(f->dev, &job, enc, d);
		if (defect)
			fz_log(s, "[backend defect %u] ", d);
	}
	if (fz_chance(s, 20))
		mutate(s, enc->cmds, (uint32_t)enc->size);

	if ((s->lim->caps & REFACCEL_CAP_JOB_SYNCOBJS) && fz_chance(s, 30)) {
		nin = 1 + (uint32_t)fz_below(s, 2);
		for (i = 0; i < nin; i++) {
			in[i] = (struct drm_refaccel_sync){
				.handle = fz_pick_sync(s, k), .flags = fz_pad(s),
				.point = fz_chance(s, 90) ? 0 : fz_u64(s),
			};
			if (!fz_sync_live(f, in[i].handle))
				in_live = false;
		}
	}
	a.ctx_id = job.ctx;
	a.engine = engine;
	a.cmds_size = (uint32_t)enc->size;
	if (enc->cmds_ptr != (uintptr_t)enc->cmds) {
		a.cmds = enc->cmds_ptr;
		cbad = true;
	} else {
		a.cmds = fz_user(s, enc->cmds, enc->size, &cbad, &crd);
		cbad = cbad || crd < a.cmds_size;
	}
	a.bo_count = j.nbos;
	if (enc->bos_ptr) {
		a.bo_handles = enc->bos_ptr;
		bbad = true;
	} else {
		a.bo_handles = fz_user(s, j.bos, j.nbos * 4, &bbad, &brd);
		bbad = bbad || brd < a.bo_count * 4ull;
	}
	a.in_sync_count = nin;
	if (nin) {
		a.in_syncs = fz_user(s, in, nin * sizeof(in[0]), &ibad, &ird);
		ibad = ibad || ird < nin * sizeof(in[0]);
	}
	if ((s->lim->caps & REFACCEL_CAP_JOB_SYNCOBJS) && f->nsync && fz_chance(s, 50))
		a.out_sync.handle = f->sync[fz_below(s, f->nsync)];
	a.flags = fz_chance(s, 97) ? 0 : fz_u64(s);
	a.pad = fz_pad(s);
	a.out_sync.flags = fz_chance(s, 97) ? 0 : fz_u32(s);
	ctx_live = fz_ctx_live(f, a.ctx_id);

	fz_log(s, "REFACCEL_SUBMIT(f%u ctx=%u%s engine=%u bos=[", k, a.ctx_id,
	       ctx_live ? "" : " (not live)", a.engine);
	for (i = 0; i < j.nbos; i++)
		fz_log(s, "%s%u:%#llx", i ? " " : "", j.bos[i], (unsigned long long)j.sizes[i]);
	fz_log(s, "]%s in=%u out=%u flags=%#llx pad=%#x%s", bbad ? " (unreadable)" : "", nin,
	       a.out_sync.handle, (unsigned long long)a.flags, a.pad, cbad ? " cmds unreadable" : "");
	if (!cbad)
		log_cmds(s, enc->cmds, a.cmds_size);
	ret = fz_ioctl(s, f->fd, DRM_IOCTL_REFACCEL_SUBMIT, &a);

	fz_expect_fail(s, ret, a.flags || a.pad || a.out_sync.flags,
		       "SUBMIT: flags %#llx, pad %#x or out_sync.flags %#x must be refused",
		       (unsigned long long)a.flags, a.pad, a.out_sync.flags);
	fz_expect_fail(s, ret, a.engine >= REFACCEL_ENGINE_COUNT,
		       "SUBMIT: engine %u must be refused", a.engine);
	fz_expect_fail(s, ret, defect, "SUBMIT: the backend's malformed job must be refused");
	fz_expect_fail(s, ret, !ctx_live && !f->untracked,
		       "SUBMIT: context %u does not live in this file and must be refused",
		       a.ctx_id);
	fz_expect_fail(s, ret, cbad || bbad || ibad,
		       "SUBMIT: an unreadable array with a non-zero count must be refused");
	fz_expect_fail(s, ret, !j.all_live && !bbad && !f->untracked,
		       "SUBMIT: a BO handle that does not live in this file must be refused");
	fz_expect_fail(s, ret, !in_live && !ibad && !f->untracked,
		       "SUBMIT: an in_sync handle that does not live in this file must be refused");
	if (!ret && !cbad && j.all_live && engine < REFACCEL_ENGINE_COUNT &&
	    fz_cmds_invalid(s->lim, enc->cmds, a.cmds_size, engine, j.bos, j.sizes, j.nbos, why,
			    sizeof(why)))
		fz_expect_fail(s, ret, true, "SUBMIT: command stream must be refused: %s", why);
	f->dev->be->encoded_free(enc);
}

/* Every field raw: boundary values, junk command words, odd counts and pointers. */
static void op_submit_raw(struct fz_state *s)
{
	static const uint32_t sizes[] = { 8, 32, 40, 24, 96 };
	unsigned int k = pick_file(s), i;
	struct fz_file *f = &s->f[k];
	uint8_t cmds[256];
	uint32_t bos[8], n = 0, len = 8 * (1 + (uint32_t)fz_below(s, 30));
	struct drm_refaccel_submit a = { 0 };
	bool cbad, bbad, ibad, bos_live = true;
	uint64_t crd, brd, ird;

	/* Headers with a plausible opcode and size, junk between them. */
	for (i = 0; i < sizeof(cmds) / 4; i++) {
		uint32_t w = fz_chance(s, 50) ? (uint32_t)fz_below(s, 8) : fz_u32(s);

		memcpy(cmds + i * 4, &w, 4);
	}
	while (n + 8 <= len) {
		uint32_t op = 1 + (uint32_t)fz_below(s, 5), sz = sizes[op - 1];

		memcpy(cmds + n, &op, 4);
		memcpy(cmds + n + 4, &sz, 4);
		n += sz;
	}
	for (i = 0; i < 8; i++)
		bos[i] = fz_pick_bo(s, k);
	a.cmds_size = fz_chance(s, 80) ? len : fz_u32(s);
	a.cmds = fz_user(s, cmds, len, &cbad, &crd);
	a.bo_count = fz_count(s, 4);
	a.bo_handles = fz_user(s, bos, sizeof(bos), &bbad, &brd);
	a.in_sync_count = fz_count(s, 2);
	a.in_syncs = fz_user(s, cmds, 64, &ibad, &ird);
	a.ctx_id = fz_pick_ctx(s, k);
	a.engine = fz_chance(s, 80) ? (uint32_t)fz_below(s, 2) : fz_u32(s);
	a.flags = fz_chance(s, 80) ? 0 : fz_u64(s);
	a.pad = fz_pad(s);
	a.out_sync.handle = fz_chance(s, 70) ? 0 : fz_pick_sync(s, k);
	a.out_sync.flags = fz_pad(s);
	a.out_sync.point = fz_chance(s, 80) ? 0 : fz_u64(s);
	for (i = 0; i < a.bo_count && i < 8; i++)
		if (!fz_bo_live(f, bos[i], NULL))
			bos_live = false;
	fz_log(s, "REFACCEL_SUBMIT raw(f%u ctx=%u engine=%u cmds_size=%u bo_count=%u in=%u flags=%#llx pad=%#x out=%u/%#x/%#llx)",
	       k, a.ctx_id, a.engine, a.cmds_size, a.bo_count, a.in_sync_count,
	       (unsigned long long)a.flags, a.pad, a.out_sync.handle, a.out_sync.flags,
	       (unsigned long long)a.out_sync.point);
	if (!cbad && a.cmds_size <= len)
		log_cmds(s, cmds, a.cmds_size);
	{
		int ret = fz_ioctl(s, f->fd, DRM_IOCTL_REFACCEL_SUBMIT, &a);
		char why[160];

		fz_expect_fail(s, ret, a.flags || a.pad || a.out_sync.flags ||
				       (!a.out_sync.handle && a.out_sync.point),
			       "SUBMIT: flags, pad, out_sync.flags, or a point without a handle must be refused");
		fz_expect_fail(s, ret, a.engine >= REFACCEL_ENGINE_COUNT,
			       "SUBMIT: engine %u must be refused", a.engine);
		fz_expect_fail(s, ret, !a.cmds_size || a.cmds_size % 8 ||
				       a.cmds_size > s->lim->max_cmds_size,
			       "SUBMIT: cmds_size %u must be refused (zero, not a multiple of 8, or above %llu)",
			       a.cmds_size, (unsigned long long)s->lim->max_cmds_size);
		fz_expect_fail(s, ret, a.bo_count > s->lim->max_job_bos ||
				       a.in_sync_count > s->lim->max_job_syncs,
			       "SUBMIT: bo_count %u or in_sync_count %u above the device's limit must be refused",
			       a.bo_count, a.in_sync_count);
		fz_expect_fail(s, ret, !fz_ctx_live(f, a.ctx_id) && !f->untracked,
			       "SUBMIT: context %u does not live in this file and must be refused",
			       a.ctx_id);
		fz_expect_fail(s, ret, cbad || crd < a.cmds_size ||
				       (a.bo_count && (bbad || brd < a.bo_count * 4ull)) ||
				       (a.in_sync_count && (ibad || ird < a.in_sync_count * 16ull)),
			       "SUBMIT: an unreadable array with a non-zero count must be refused");
		fz_expect_fail(s, ret, !bos_live && a.bo_count <= 8 && !bbad && !f->untracked,
			       "SUBMIT: a BO handle that does not live in this file must be refused");
		if (!ret && a.cmds_size <= len && a.bo_count <= 8 && bos_live && !cbad) {
			uint64_t bsz[8] = { 0 };

			for (i = 0; i < a.bo_count; i++)
				fz_bo_live(f, bos[i], &bsz[i]);
			if (a.cmds + a.cmds_size <= (uintptr_t)s->arena + FZ_ARENA &&
			    fz_cmds_invalid(s->lim, (const void *)(uintptr_t)a.cmds, a.cmds_size,
					    a.engine, bos, bsz, a.bo_count, why, sizeof(why)))
				fz_expect_fail(s, ret, true,
					       "SUBMIT: command stream must be refused: %s", why);
		}
	}
}

const struct fz_op fz_ops_refaccel[] = {
	{ "REFACCEL_GET_PARAM", 40, op_get_param },
	{ "REFACCEL_BO_CREATE", 100, op_bo_create },
	{ "REFACCEL_BO_CREATE_USERPTR", 30, op_bo_create_userptr },
	{ "REFACCEL_BO_INFO", 60, op_bo_info },
	{ "REFACCEL_CTX_CREATE", 40, op_ctx_create },
	{ "REFACCEL_CTX_DESTROY", 30, op_ctx_destroy },
	{ "REFACCEL_SUBMIT", 200, op_submit },
	{ "REFACCEL_SUBMIT raw", 80, op_submit_raw },
	{ "REFACCEL_BO_WAIT", 50, op_bo_wait },
};
const unsigned int fz_nops_refaccel = sizeof(fz_ops_refaccel) / sizeof(fz_ops_refaccel[0]);
