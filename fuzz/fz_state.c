// SPDX-License-Identifier: MIT
/*
 * A stream's state: its two open files and what the fuzzer knows lives in
 * each (BOs with their sizes and mmap offsets, syncobjs, contexts), the
 * recently closed ids, dma-buf fds and mappings. The rules are judged
 * against it: a handle not live in a file must be refused there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm.h>

#include "refaccel_accel.h"
#include "fz.h"

static int param(int fd, uint32_t p, uint64_t *v)
{
	struct drm_refaccel_get_param a = { .param = p };

	if (ioctl(fd, DRM_IOCTL_REFACCEL_GET_PARAM, &a))
		return -errno;
	*v = a.value;
	return 0;
}

/* DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_TIMELINE, which 6.12's headers lack. */
#define SYNCOBJ_FD_TIMELINE	(1u << 1)

/* The TIMELINE bit joins the syncobj fd flags where an export with it alone works. */
static uint32_t syncobj_fd_flags(int fd)
{
	struct drm_syncobj_create c = { 0 };
	struct drm_syncobj_handle h = { .flags = SYNCOBJ_FD_TIMELINE, .fd = -1 };
	struct drm_syncobj_destroy d = { 0 };
	uint32_t flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE;

	if (ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &c))
		return flags;
	h.handle = c.handle;
	if (!ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h)) {
		flags |= SYNCOBJ_FD_TIMELINE;
		close(h.fd);
	}
	d.handle = c.handle;
	ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
	return flags;
}

int fz_limits_read(const char *device, struct fz_limits *lim)
{
	static const struct {
		uint32_t p;
		size_t off;
	} want[] = {
		{ REFACCEL_PARAM_CAPABILITIES, offsetof(struct fz_limits, caps) },
		{ REFACCEL_PARAM_DEVICE_MEMORY_SIZE, offsetof(struct fz_limits, mem_size) },
		{ REFACCEL_PARAM_MAX_BO_SIZE, offsetof(struct fz_limits, max_bo_size) },
		{ REFACCEL_PARAM_MAX_CMDS_SIZE, offsetof(struct fz_limits, max_cmds_size) },
		{ REFACCEL_PARAM_MAX_JOB_BOS, offsetof(struct fz_limits, max_job_bos) },
		{ REFACCEL_PARAM_MAX_JOB_SYNCS, offsetof(struct fz_limits, max_job_syncs) },
		{ REFACCEL_PARAM_MAX_CONTEXTS, offsetof(struct fz_limits, max_ctx) },
		{ REFACCEL_PARAM_MAC_MAX_M, offsetof(struct fz_limits, mac_max_m) },
		{ REFACCEL_PARAM_MAC_MAX_N, offsetof(struct fz_limits, mac_max_n) },
		{ REFACCEL_PARAM_MAC_MAX_K, offsetof(struct fz_limits, mac_max_k) },
		{ REFACCEL_PARAM_BO_FLAGS, offsetof(struct fz_limits, bo_flags) },
	};
	int fd = open(device, O_RDWR | O_CLOEXEC), ret = 0;
	uint64_t v;
	size_t i;

	if (fd < 0)
		return -errno;
	memset(lim, 0, sizeof(*lim));
	for (i = 0; i < sizeof(want) / sizeof(want[0]) && !ret; i++)
		ret = param(fd, want[i].p, (uint64_t *)((char *)lim + want[i].off));
	lim->syncobj_fd_flags = syncobj_fd_flags(fd);
	/* The first id it refuses: ids past it must be refused too. */
	for (lim->nparams = 0; lim->nparams < 256 && !param(fd, (uint32_t)lim->nparams, &v);
	     lim->nparams++)
		;
	close(fd);
	return ret;
}

int fz_file_open(struct fz_state *s, unsigned int k)
{
	struct fz_file *f = &s->f[k];

	memset(f, 0, sizeof(*f));
	f->dev = acts_dev_open(s->opts->device);
	if (!f->dev) {
		f->fd = -1;
		return -errno;
	}
	f->fd = f->dev->fd;
	return 0;
}

void fz_file_close(struct fz_state *s, unsigned int k)
{
	struct fz_file *f = &s->f[k];

	if (f->dev)
		acts_dev_close(f->dev);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}

int fz_state_init(struct fz_state *s, const struct fz_opts *o, struct fz_shared *sh,
		  const struct fz_limits *lim, unsigned int stream)
{
	unsigned int k;
	int ret;

	memset(s, 0, sizeof(*s));
	s->opts = o;
	s->sh = sh;
	s->lim = lim;
	s->stream = stream;
	s->arena = mmap(NULL, FZ_ARENA + 4096, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->arena == MAP_FAILED)
		return -errno;
	mprotect(s->arena + FZ_ARENA, 4096, PROT_NONE);
	for (k = 0; k < FZ_FILES; k++) {
		ret = fz_file_open(s, k);
		if (ret)
			return ret;
	}
	return 0;
}

void fz_state_fini(struct fz_state *s)
{
	unsigned int i;

	for (i = 0; i < s->nmaps; i++)
		munmap(s->maps[i].addr, s->maps[i].len);
	for (i = 0; i < s->ndmabuf; i++)
		close(s->dmabuf[i]);
	for (i = 0; i < FZ_FILES; i++)
		fz_file_close(s, i);
	if (s->arena)
		munmap(s->arena, FZ_ARENA + 4096);
	s->arena = NULL;
}

bool fz_bo_live(const struct fz_file *f, uint32_t h, uint64_t *size)
{
	unsigned int i;

	for (i = 0; i < f->nbo; i++)
		if (f->bo[i] == h) {
			if (size)
				*size = f->bo_size[i];
			return true;
		}
	return false;
}

bool fz_offset_live(const struct fz_file *f, uint64_t off, uint64_t *size)
{
	unsigned int i;

	for (i = 0; i < f->nbo; i++)
		if (f->bo_off[i] == off) {
			*size = f->bo_size[i];
			return true;
		}
	return false;
}

static bool has(const uint32_t *a, unsigned int n, uint32_t v)
{
	while (n--)
		if (a[n] == v)
			return true;
	return false;
}

bool fz_sync_live(const struct fz_file *f, uint32_t h)
{
	return has(f->sync, f->nsync, h);
}

bool fz_ctx_live(const struct fz_file *f, uint32_t id)
{
	return has(f->ctx, f->nctx, id);
}

static void bury(uint32_t *dead, unsigned int *n, uint32_t v)
{
	dead[*n % FZ_DEAD] = v;
	(*n)++;
}

void fz_bo_add(struct fz_state *s, unsigned int k, uint32_t h)
{
	struct fz_file *f = &s->f[k];
	struct drm_refaccel_bo_info info = { .handle = h };
	unsigned int i = f->nbo;

	if (fz_bo_live(f, h, NULL))
		return;
	if (i == FZ_MAX_BO) {
		/* Full: the handle lives on in the kernel, unknown to the rules. */
		f->untracked = true;
		return;
	}
	fz_log(s, "; REFACCEL_BO_INFO(f%u handle=%u)", k, h);
	if (fz_ioctl(s, f->fd, DRM_IOCTL_REFACCEL_BO_INFO, &info)) {
		f->untracked = true;
		return;
	}
	f->bo[i] = h;
	f->bo_size[i] = info.size;
	f->bo_off[i] = info.mmap_offset;
	f->nbo++;
}

int fz_pick_live_bo(struct fz_state *s, unsigned int k)
{
	struct fz_file *f = &s->f[k];
	unsigned int i, tries;

	if (!f->nbo)
		return -1;
	/*
	 * Mapping or running a job pins every page of a shmem BO: keep to BOs
	 * of at most 1 MiB but now and then, or the stream spends its time
	 * clearing pages.
	 */
	for (tries = 0; tries < 4; tries++) {
		i = (unsigned int)fz_below(s, f->nbo);
		if (f->bo_size[i] <= (1u << 20) || fz_chance(s, 2))
			return (int)i;
	}
	for (i = 0; i < f->nbo; i++)
		if (f->bo_size[i] <= (1u << 20))
			return (int)i;
	return -1;
}

void fz_bo_del(struct fz_file *f, uint32_t h)
{
	unsigned int i;

	for (i = 0; i < f->nbo; i++)
		if (f->bo[i] == h) {
			f->nbo--;
			f->bo[i] = f->bo[f->nbo];
			f->bo_size[i] = f->bo_size[f->nbo];
			f->bo_off[i] = f->bo_off[f->nbo];
			bury(f->dead_bo, &f->dead_bo_n, h);
			return;
		}
}

void fz_sync_add(struct fz_file *f, uint32_t h)
{
	if (fz_sync_live(f, h))
		return;
	if (f->nsync == FZ_MAX_SYNC) {
		f->untracked = true;
		return;
	}
	f->sync[f->nsync++] = h;
}

void fz_sync_del(struct fz_file *f, uint32_t h)
{
	unsigned int i;

	for (i = 0; i < f->nsync; i++)
		if (f->sync[i] == h) {
			f->sync[i] = f->sync[--f->nsync];
			bury(f->dead_sync, &f->dead_sync_n, h);
			return;
		}
}

void fz_ctx_add(struct fz_file *f, uint32_t id)
{
	if (fz_ctx_live(f, id))
		return;
	if (f->nctx == FZ_MAX_CTX) {
		f->untracked = true;
		return;
	}
	f->ctx[f->nctx++] = id;
}

void fz_ctx_del(struct fz_file *f, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < f->nctx; i++)
		if (f->ctx[i] == id) {
			f->ctx[i] = f->ctx[--f->nctx];
			bury(f->dead_ctx, &f->dead_ctx_n, id);
			return;
		}
}

int fz_drain(struct fz_state *s, char *why, size_t len)
{
	/*
	 * Every job ends within the job timeout (a hang is stopped then), and
	 * each file holds at most MAX_QUEUED_JOBS: 60 s covers a queue of hung
	 * jobs at the fuzz run's timeout with room to spare.
	 */
	int64_t deadline = fz_now_ns() + 60 * 1000000000LL;
	unsigned int k, i;

	for (k = 0; k < FZ_FILES; k++) {
		struct fz_file *f = &s->f[k];

		for (i = 0; i < f->nbo; i++) {
			struct drm_refaccel_bo_wait w = {
				.handle = f->bo[i], .timeout_ns = deadline,
			};
			int ret = fz_ioctl(s, f->fd, DRM_IOCTL_REFACCEL_BO_WAIT, &w);

			if (ret == -ETIME || ret == -ETIMEDOUT) {
				snprintf(why, len,
					 "BO %u of file %u still busy 60 s after the stream ended",
					 f->bo[i], k);
				return -ETIME;
			}
		}
	}
	return 0;
}
