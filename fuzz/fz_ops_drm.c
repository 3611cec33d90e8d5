// SPDX-License-Identifier: MIT
/*
 * Ops on the DRM core ioctls refaccel's node serves: GEM close, PRIME,
 * syncobjs (create, destroy, wait, timeline wait and signal, reset,
 * signal, query, transfer, fd and sync_file conversions), VERSION, GET_CAP.
 * The rules are the core's documented ones: a handle that does not live in
 * the file, a non-zero pad, an unknown flag, an empty array must be refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <drm.h>

#include "fz.h"

static unsigned int pick_file(struct fz_state *s)
{
	return fz_chance(s, 85) ? 0 : 1;
}

static void op_gem_close(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_gem_close a = { .handle = fz_pick_bo(s, k) };
	bool live = fz_bo_live(&s->f[k], a.handle, NULL);
	int ret;

	fz_log(s, "GEM_CLOSE(f%u handle=%u%s)", k, a.handle, live ? "" : " (not live)");
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_GEM_CLOSE, &a);
	fz_expect_fail(s, ret, !live && !s->f[k].untracked,
		       "GEM_CLOSE: handle %u does not live in this file and must be refused",
		       a.handle);
	if (!ret)
		fz_bo_del(&s->f[k], a.handle);
}

static void keep_dmabuf(struct fz_state *s, int fd)
{
	if (s->ndmabuf == FZ_MAX_DMABUF) {
		unsigned int i = (unsigned int)fz_below(s, FZ_MAX_DMABUF);

		close(s->dmabuf[i]);
		s->dmabuf[i] = fd;
		return;
	}
	s->dmabuf[s->ndmabuf++] = fd;
}

static void op_prime_export(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_prime_handle a = {
		.handle = fz_pick_bo(s, k),
		.flags = fz_chance(s, 90) ? (uint32_t)(fz_chance(s, 50) ? DRM_CLOEXEC : DRM_CLOEXEC | DRM_RDWR) :
					    fz_u32(s),
		.fd = fz_chance(s, 90) ? -1 : (int32_t)fz_u32(s),
	};
	bool live = fz_bo_live(&s->f[k], a.handle, NULL);
	int ret;

	fz_log(s, "PRIME_HANDLE_TO_FD(f%u handle=%u%s flags=%#x)", k, a.handle,
	       live ? "" : " (not live)", a.flags);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &a);
	fz_expect_fail(s, ret, !live && !s->f[k].untracked,
		       "PRIME_HANDLE_TO_FD: handle %u does not live in this file and must be refused",
		       a.handle);
	fz_expect_fail(s, ret, a.flags & ~(DRM_CLOEXEC | DRM_RDWR),
		       "PRIME_HANDLE_TO_FD: unknown flags %#x must be refused", a.flags);
	if (!ret)
		keep_dmabuf(s, a.fd);
}

static void op_prime_import(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_prime_handle a = { 0 };
	struct fz_file *f = &s->f[k];
	int ret;

	if (s->ndmabuf && fz_chance(s, 80))
		a.fd = s->dmabuf[fz_below(s, s->ndmabuf)];
	else
		a.fd = fz_chance(s, 50) ? -1 : (int32_t)fz_below(s, 64);
	a.flags = fz_pad(s);
	a.handle = fz_chance(s, 90) ? 0 : fz_u32(s);
	if (f->nbo == FZ_MAX_BO) {
		struct drm_gem_close c = { .handle = f->bo[fz_below(s, f->nbo)] };

		if (!fz_ioctl(s, f->fd, DRM_IOCTL_GEM_CLOSE, &c))
			fz_bo_del(f, c.handle);
	}
	fz_log(s, "PRIME_FD_TO_HANDLE(f%u fd=%d)", k, a.fd);
	ret = fz_ioctl(s, f->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &a);
	fz_expect_fail(s, ret, a.fd < 0, "PRIME_FD_TO_HANDLE: fd %d must be refused", a.fd);
	if (!ret) {
		fz_log(s, " handle=%u", a.handle);
		fz_bo_add(s, k, a.handle);
	}
}

static void op_syncobj_create(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct fz_file *f = &s->f[k];
	struct drm_syncobj_create a = {
		.flags = fz_chance(s, 90) ? (uint32_t)fz_below(s, 2) * DRM_SYNCOBJ_CREATE_SIGNALED :
					    fz_u32(s),
	};
	int ret;

	if (f->nsync == FZ_MAX_SYNC) {
		struct drm_syncobj_destroy d = { .handle = f->sync[fz_below(s, f->nsync)] };

		if (!fz_ioctl(s, f->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d))
			fz_sync_del(f, d.handle);
	}
	fz_log(s, "SYNCOBJ_CREATE(f%u flags=%#x)", k, a.flags);
	ret = fz_ioctl(s, f->fd, DRM_IOCTL_SYNCOBJ_CREATE, &a);
	fz_expect_fail(s, ret, a.flags & ~DRM_SYNCOBJ_CREATE_SIGNALED,
		       "SYNCOBJ_CREATE: unknown flags %#x must be refused", a.flags);
	if (!ret) {
		fz_log(s, " handle=%u", a.handle);
		fz_sync_add(f, a.handle);
	}
}

static void op_syncobj_destroy(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_syncobj_destroy a = { .handle = fz_pick_sync(s, k), .pad = fz_pad(s) };
	bool live = fz_sync_live(&s->f[k], a.handle);
	int ret;

	fz_log(s, "SYNCOBJ_DESTROY(f%u handle=%u%s pad=%#x)", k, a.handle,
	       live ? "" : " (not live)", a.pad);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_SYNCOBJ_DESTROY, &a);
	fz_expect_fail(s, ret, a.pad, "SYNCOBJ_DESTROY: pad %#x must be refused", a.pad);
	fz_expect_fail(s, ret, !live && !s->f[k].untracked,
		       "SYNCOBJ_DESTROY: handle %u does not live in this file and must be refused",
		       a.handle);
	if (!ret)
		fz_sync_del(&s->f[k], a.handle);
}

/*
 * A syncobj handle array for the array ioctls: up to 16 handles copied in,
 * a count that may go past them. Counts above FZ_SYNCOBJ_SAFE_COUNT reach
 * the core's allocation WARN: bounded unless the switch allows it.
 */
struct sync_array {
	uint32_t h[16];
	uint64_t pts[16];
	uint32_t count;
	uint64_t ptr, pts_ptr;
	bool bad;	/* unreadable for count */
	bool known;	/* count <= 16 and readable: the live check below holds */
	bool all_live;
};

static void draw_sync_array(struct fz_state *s, unsigned int k, struct sync_array *a)
{
	uint64_t rd, prd;
	bool b, pb;
	unsigned int i;

	a->count = fz_count(s, 3);
	if (a->count > FZ_SYNCOBJ_SAFE_COUNT && !s->opts->allow_syncobj_huge) {
		__atomic_add_fetch(&s->sh->capped_counts, 1, __ATOMIC_RELAXED);
		a->count = FZ_SYNCOBJ_SAFE_COUNT - (uint32_t)fz_below(s, 2);
	}
	a->all_live = true;
	for (i = 0; i < 16; i++) {
		a->h[i] = fz_pick_sync(s, k);
		a->pts[i] = fz_chance(s, 70) ? fz_below(s, 4) : fz_u64(s);
		if (i < a->count && !fz_sync_live(&s->f[k], a->h[i]))
			a->all_live = false;
	}
	a->ptr = fz_user(s, a->h, sizeof(a->h), &b, &rd);
	a->pts_ptr = fz_user(s, a->pts, sizeof(a->pts), &pb, &prd);
	a->bad = a->count && (b || rd < a->count * 4ull);
	a->known = a->count <= 16 && !a->bad && !s->f[k].untracked;
	fz_log(s, "handles=[");
	for (i = 0; i < a->count && i < 4; i++)
		fz_log(s, "%s%u", i ? " " : "", a->h[i]);
	fz_log(s, "%s] count=%u%s ", a->count > 4 ? " ..." : "", a->count,
	       a->bad ? " (unreadable)" : "");
}

static void op_syncobj_wait(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct sync_array sa;
	struct drm_syncobj_wait a = { 0 };
	int ret;

	fz_log(s, "SYNCOBJ_WAIT(f%u ", k);
	draw_sync_array(s, k, &sa);
	a.handles = sa.ptr;
	a.count_handles = sa.count;
	a.timeout_nsec = fz_deadline(s);
	a.flags = fz_chance(s, 90) ? (uint32_t)fz_below(s, 4) : fz_u32(s);
	fz_log(s, "flags=%#x)", a.flags);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_SYNCOBJ_WAIT, &a);
	fz_expect_fail(s, ret, a.flags & ~0xbu, "SYNCOBJ_WAIT: unknown flags %#x must be refused",
		       a.flags);
	fz_expect_fail(s, ret, a.count_handles && sa.bad,
		       "SYNCOBJ_WAIT: an unreadable handle array must be refused");
	fz_expect_fail(s, ret, a.count_handles && sa.known && !sa.all_live,
		       "SYNCOBJ_WAIT: a handle that does not live in this file must be refused");
}

static void op_syncobj_timeline_wait(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct sync_array sa;
	struct drm_syncobj_timeline_wait a = { 0 };
	int ret;

	fz_log(s, "SYNCOBJ_TIMELINE_WAIT(f%u ", k);
	draw_sync_array(s, k, &sa);
	a.handles = sa.ptr;
	a.points = sa.pts_ptr;
	a.count_handles = sa.count;
	a.timeout_nsec = fz_deadline(s);
	a.flags = fz_chance(s, 90) ? (uint32_t)fz_below(s, 8) : fz_u32(s);
	fz_log(s, "flags=%#x)", a.flags);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &a);
	fz_expect_fail(s, ret, a.flags & ~0xfu,
		       "SYNCOBJ_TIMELINE_WAIT: unknown flags %#x must be refused", a.flags);
	fz_expect_fail(s, ret, a.count_handles && sa.bad,
		       "SYNCOBJ_TIMELINE_WAIT: an unreadable handle array must be refused");
	fz_expect_fail(s, ret, a.count_handles && sa.known && !sa.all_live,
		       "SYNCOBJ_TIMELINE_WAIT: a handle that does not live in this file must be refused");
}

/* RESET and SIGNAL share their argument. */
static void syncobj_array_op(struct fz_state *s, unsigned long req, const char *name)
{
	unsigned int k = pick_file(s);
	struct sync_array sa;
	struct drm_syncobj_array a = { 0 };
	int ret;

	fz_log(s, "%s(f%u ", name, k);
	draw_sync_array(s, k, &sa);
	a.handles = sa.ptr;
	a.count_handles = sa.count;
	a.pad = fz_pad(s);
	fz_log(s, "pad=%#x)", a.pad);
	ret = fz_ioctl(s, s->f[k].fd, req, &a);
	fz_expect_fail(s, ret, a.pad || !a.count_handles || sa.bad,
		       "%s: pad %#x, count 0 or an unreadable array must be refused", name, a.pad);
	fz_expect_fail(s, ret, sa.known && !sa.all_live,
		       "%s: a handle that does not live in this file must be refused", name);
}

static void op_syncobj_reset(struct fz_state *s)
{
	syncobj_array_op(s, DRM_IOCTL_SYNCOBJ_RESET, "SYNCOBJ_RESET");
}

static void op_syncobj_signal(struct fz_state *s)
{
	syncobj_array_op(s, DRM_IOCTL_SYNCOBJ_SIGNAL, "SYNCOBJ_SIGNAL");
}

/* TIMELINE_SIGNAL and QUERY share theirs. */
static void syncobj_timeline_array_op(struct fz_state *s, unsigned long req, const char *name,
				      uint32_t valid_flags)
{
	unsigned int k = pick_file(s);
	struct sync_array sa;
	struct drm_syncobj_timeline_array a = { 0 };
	int ret;

	fz_log(s, "%s(f%u ", name, k);
	draw_sync_array(s, k, &sa);
	a.handles = sa.ptr;
	a.points = sa.pts_ptr;
	a.count_handles = sa.count;
	a.flags = fz_chance(s, 90) ? (uint32_t)fz_below(s, 2) : fz_u32(s);
	fz_log(s, "flags=%#x)", a.flags);
	ret = fz_ioctl(s, s->f[k].fd, req, &a);
	fz_expect_fail(s, ret, (a.flags & ~valid_flags) || !a.count_handles || sa.bad,
		       "%s: flags %#x, count 0 or an unreadable array must be refused", name,
		       a.flags);
	fz_expect_fail(s, ret, sa.known && !sa.all_live,
		       "%s: a handle that does not live in this file must be refused", name);
}

static void op_syncobj_timeline_signal(struct fz_state *s)
{
	syncobj_timeline_array_op(s, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, "SYNCOBJ_TIMELINE_SIGNAL", 0);
}

static void op_syncobj_query(struct fz_state *s)
{
	syncobj_timeline_array_op(s, DRM_IOCTL_SYNCOBJ_QUERY, "SYNCOBJ_QUERY",
				  DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED);
}

static void op_syncobj_transfer(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_syncobj_transfer a = {
		.src_handle = fz_pick_sync(s, k), .dst_handle = fz_pick_sync(s, k),
		.src_point = fz_chance(s, 60) ? fz_below(s, 4) : fz_u64(s),
		.dst_point = fz_chance(s, 60) ? fz_below(s, 4) : fz_u64(s),
		/*
		 * WAIT_FOR_SUBMIT on a syncobj without a fence blocks for the
		 * core's submit timeout (seconds): rare.
		 */
		.flags = fz_below(s, 1000) < 995 ? 0 :
			 fz_chance(s, 50) ? DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT : fz_u32(s),
		.pad = fz_pad(s),
	};
	bool live = fz_sync_live(&s->f[k], a.src_handle) && fz_sync_live(&s->f[k], a.dst_handle);
	int ret;

	fz_log(s, "SYNCOBJ_TRANSFER(f%u %u:%llu -> %u:%llu flags=%#x pad=%#x)", k, a.src_handle,
	       (unsigned long long)a.src_point, a.dst_handle, (unsigned long long)a.dst_point,
	       a.flags, a.pad);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &a);
	fz_expect_fail(s, ret, a.pad, "SYNCOBJ_TRANSFER: pad %#x must be refused", a.pad);
	fz_expect_fail(s, ret, !live && !s->f[k].untracked,
		       "SYNCOBJ_TRANSFER: a handle that does not live in this file must be refused");
}

static void op_syncobj_to_fd(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_syncobj_handle a = {
		.handle = fz_pick_sync(s, k),
		.flags = fz_chance(s, 90) ? (uint32_t)fz_below(s, 4) : fz_u32(s),
		.pad = fz_pad(s), .fd = -1,
	};
	bool live = fz_sync_live(&s->f[k], a.handle);
	/* Bit 0: as a sync_file (the import takes a handle); bit 1 only names a point (0). */
	bool sync_file = a.flags & DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE;
	int ret;

	fz_log(s, "SYNCOBJ_HANDLE_TO_FD(f%u handle=%u%s flags=%#x pad=%#x)", k, a.handle,
	       live ? "" : " (not live)", a.flags, a.pad);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &a);
	fz_expect_fail(s, ret, a.pad || (a.flags & ~s->lim->syncobj_fd_flags),
		       "SYNCOBJ_HANDLE_TO_FD: pad %#x or flags %#x must be refused", a.pad, a.flags);
	fz_expect_fail(s, ret, !live && !s->f[k].untracked,
		       "SYNCOBJ_HANDLE_TO_FD: handle %u does not live in this file and must be refused",
		       a.handle);
	if (ret)
		return;
	/* Straight back in: into the other file, or as a sync_file into this one. */
	{
		unsigned int k2 = fz_chance(s, 50) ? !k : k;
		struct fz_file *f2 = &s->f[k2];
		struct drm_syncobj_handle b = {
			.fd = a.fd, .flags = a.flags,
			.handle = sync_file ? fz_pick_sync(s, k2) : 0,
			.pad = fz_pad(s),
		};
		bool live2 = fz_sync_live(f2, b.handle);

		if (!sync_file && f2->nsync == FZ_MAX_SYNC) {
			close(a.fd);
			return;
		}
		fz_log(s, "; SYNCOBJ_FD_TO_HANDLE(f%u fd flags=%#x handle=%u pad=%#x)", k2, b.flags,
		       b.handle, b.pad);
		ret = fz_ioctl(s, f2->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &b);
		fz_expect_fail(s, ret, b.pad, "SYNCOBJ_FD_TO_HANDLE: pad %#x must be refused", b.pad);
		fz_expect_fail(s, ret, sync_file && !live2 && !f2->untracked,
			       "SYNCOBJ_FD_TO_HANDLE (sync_file): handle %u does not live in this file and must be refused",
			       b.handle);
		if (!ret && !sync_file)
			fz_sync_add(f2, b.handle);
		close(a.fd);
	}
}

static void op_syncobj_fd_junk(struct fz_state *s)
{
	unsigned int k = pick_file(s);
	struct drm_syncobj_handle a = {
		.fd = fz_chance(s, 50) ? -1 : (int32_t)fz_u32(s),
		.flags = fz_chance(s, 80) ? (uint32_t)fz_below(s, 2) : fz_u32(s),
		.handle = fz_pick_sync(s, k),
	};
	int ret;

	fz_log(s, "SYNCOBJ_FD_TO_HANDLE(f%u fd=%d flags=%#x)", k, a.fd, a.flags);
	ret = fz_ioctl(s, s->f[k].fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &a);
	fz_expect_fail(s, ret, a.fd < 0 || a.flags > 1,
		       "SYNCOBJ_FD_TO_HANDLE: fd %d or flags %#x must be refused", a.fd, a.flags);
	if (!ret && !a.flags)
		fz_sync_add(&s->f[k], a.handle);
}

static void op_version(struct fz_state *s)
{
	char name[64], date[64], desc[128];
	struct drm_version a = {
		.name_len = fz_chance(s, 70) ? sizeof(name) : fz_below(s, 8),
		.date_len = fz_chance(s, 70) ? sizeof(date) : fz_below(s, 8),
		.desc_len = fz_chance(s, 70) ? sizeof(desc) : fz_below(s, 8),
		.name = name, .date = date, .desc = desc,
	};
	bool bad = false;

	if (fz_chance(s, 10)) {
		a.name = (char *)(uintptr_t)0xffff800000000000ull;
		bad = a.name_len != 0;
	}
	fz_log(s, "VERSION(lens %zu %zu %zu%s)", a.name_len, a.date_len, a.desc_len,
	       bad ? " name unwritable" : "");
	fz_expect_fail(s, fz_ioctl(s, s->f[0].fd, DRM_IOCTL_VERSION, &a), bad,
		       "VERSION: an unwritable name buffer must be refused");
}

static void op_get_cap(struct fz_state *s)
{
	struct drm_get_cap a = {
		.capability = fz_chance(s, 80) ? fz_below(s, 0x20) : fz_u64(s),
	};

	fz_log(s, "GET_CAP(%#llx)", (unsigned long long)a.capability);
	fz_ioctl(s, s->f[0].fd, DRM_IOCTL_GET_CAP, &a);
}

const struct fz_op fz_ops_drm[] = {
	{ "GEM_CLOSE", 50, op_gem_close },
	{ "PRIME_HANDLE_TO_FD", 30, op_prime_export },
	{ "PRIME_FD_TO_HANDLE", 30, op_prime_import },
	{ "SYNCOBJ_CREATE", 50, op_syncobj_create },
	{ "SYNCOBJ_DESTROY", 30, op_syncobj_destroy },
	{ "SYNCOBJ_WAIT", 30, op_syncobj_wait },
	{ "SYNCOBJ_TIMELINE_WAIT", 30, op_syncobj_timeline_wait },
	{ "SYNCOBJ_RESET", 20, op_syncobj_reset },
	{ "SYNCOBJ_SIGNAL", 20, op_syncobj_signal },
	{ "SYNCOBJ_TIMELINE_SIGNAL", 20, op_syncobj_timeline_signal },
	{ "SYNCOBJ_QUERY", 20, op_syncobj_query },
	{ "SYNCOBJ_TRANSFER", 20, op_syncobj_transfer },
	{ "SYNCOBJ_HANDLE_TO_FD", 30, op_syncobj_to_fd },
	{ "SYNCOBJ_FD_TO_HANDLE", 10, op_syncobj_fd_junk },
	{ "VERSION", 10, op_version },
	{ "GET_CAP", 10, op_get_cap },
};
const unsigned int fz_nops_drm = sizeof(fz_ops_drm) / sizeof(fz_ops_drm[0]);
