// SPDX-License-Identifier: MIT
/*
 * Ops above single ioctls: mmap and munmap of BO offsets (own, foreign,
 * junk), closing and reopening a file with its objects and jobs, fork with
 * jobs in flight (the child submits on the inherited file and exits), and
 * refaccel's fault knobs.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acts_backend.h"
#include "refaccel_accel.h"
#include "fz.h"

static void op_mmap(struct fz_state *s)
{
	unsigned int k = fz_chance(s, 85) ? 0 : 1;
	struct fz_file *f = &s->f[k], *o = &s->f[!k];
	uint64_t off, len, bo_size = 0;
	int li = fz_pick_live_bo(s, k);
	bool own;
	void *p;

	if (li >= 0 && fz_chance(s, 70)) {
		unsigned int i = (unsigned int)li;

		off = f->bo_off[i];
		len = f->bo_size[i];
	} else if (o->nbo && fz_chance(s, 50)) {
		unsigned int i = (unsigned int)fz_below(s, o->nbo);

		/* Another file's BO: the mapping must be refused, whatever its size. */
		off = o->bo_off[i];
		len = o->bo_size[i];
	} else {
		off = fz_u64(s) & ~4095ull;
		len = 4096;
	}
	if (fz_chance(s, 15))
		len = fz_chance(s, 50) ? len + 4096 : fz_u64(s) & ~4095ull;
	if (len > (1u << 20) && fz_chance(s, 95))
		len = 4096;
	if (fz_chance(s, 5))
		off += 4096;
	own = fz_offset_live(f, off, &bo_size);
	fz_log(s, "mmap(f%u offset=%#llx%s len=%#llx)", k, (unsigned long long)off,
	       own ? "" : " (not this file's)", (unsigned long long)len);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, (off_t)off);
	s->ioctls++;
	if (p == MAP_FAILED) {
		fz_log(s, " -> %s", strerror(errno));
		return;
	}
	fz_log(s, " -> ok");
	fz_expect_fail(s, 0, !own && !f->untracked,
		       "mmap: offset %#llx is no BO of this file: it must be refused",
		       (unsigned long long)off);
	fz_expect_fail(s, 0, own && len > bo_size,
		       "mmap: %#llx bytes of a BO of %#llx must be refused", (unsigned long long)len,
		       (unsigned long long)bo_size);
	if (s->violation[0]) {
		munmap(p, len);
		return;
	}
	/* Touch it: the first and the last page. */
	((volatile uint8_t *)p)[0] ^= 0;
	((volatile uint8_t *)p)[len - 1] ^= 0;
	if (s->nmaps == FZ_MAX_MAPS || fz_chance(s, 50)) {
		munmap(p, len);
		return;
	}
	s->maps[s->nmaps++] = (struct fz_map){ p, len };
}

static void op_munmap(struct fz_state *s)
{
	unsigned int i;

	if (!s->nmaps)
		return;
	i = (unsigned int)fz_below(s, s->nmaps);
	fz_log(s, "munmap(map %u)", i);
	munmap(s->maps[i].addr, s->maps[i].len);
	s->maps[i] = s->maps[--s->nmaps];
}

static void op_reopen(struct fz_state *s)
{
	unsigned int k = (unsigned int)fz_below(s, FZ_FILES);

	fz_log(s, "close and reopen f%u (%u BOs, %u syncobjs, %u contexts)", k, s->f[k].nbo,
	       s->f[k].nsync, s->f[k].nctx);
	fz_file_close(s, k);
	if (fz_file_open(s, k)) {
		fz_log(s, " -> reopen failed");
		s->sh->stop = 1;
	}
}

/*
 * The child shares the parent's files: it submits NOP jobs on an
 * inherited file's live context, and maybe opens the node and submits
 * there, then exits with them in flight. It changes no handle table the
 * parent tracks (submitting creates no handle). No allocation in the child
 * (the parent may have other threads).
 */
static void op_fork(struct fz_state *s)
{
	struct fz_file *f = &s->f[0];
	uint32_t ctx = f->nctx ? f->ctx[fz_below(s, f->nctx)] : 0;
	unsigned int jobs = 1 + (unsigned int)fz_below(s, 8);
	bool reopen = fz_chance(s, 50);
	int status;
	pid_t pid;

	fz_log(s, "fork: child submits %u NOP jobs on f0 ctx %u%s and exits", jobs, ctx,
	       reopen ? ", opens the node and submits there too" : "");
	__atomic_add_fetch(&s->sh->forks, 1, __ATOMIC_RELAXED);
	pid = fork();
	if (pid == 0) {
		struct drm_refaccel_cmd_header nop = { REFACCEL_CMD_NOP, sizeof(nop) };
		struct drm_refaccel_submit a = {
			.cmds = (uintptr_t)&nop, .cmds_size = sizeof(nop), .ctx_id = ctx,
		};
		unsigned int i;

		for (i = 0; i < jobs; i++)
			ioctl(f->fd, DRM_IOCTL_REFACCEL_SUBMIT, &a);
		if (reopen) {
			int fd = open(s->opts->device, O_RDWR | O_CLOEXEC);
			struct drm_refaccel_ctx_create c = { .priority = 1 };

			if (fd >= 0 && !ioctl(fd, DRM_IOCTL_REFACCEL_CTX_CREATE, &c)) {
				a.ctx_id = c.ctx_id;
				for (i = 0; i < jobs; i++)
					ioctl(fd, DRM_IOCTL_REFACCEL_SUBMIT, &a);
			}
		}
		_exit(0);
	}
	if (pid < 0)
		return;
	s->ioctls += jobs * (reopen ? 3 : 1);
	if (waitpid(pid, &status, 0) == pid && WIFSIGNALED(status))
		fz_expect_fail(s, 0, true, "fork: the child died of signal %d", WTERMSIG(status));
}

/* refaccel's fault knobs, through the backend (debugfs): armed for a few events. */
static void op_fault(struct fz_state *s)
{
	static const enum acts_fault knobs[] = {
		ACTS_FAULT_ALLOC, ACTS_FAULT_JOB_ERROR, ACTS_FAULT_JOB_HANG, ACTS_FAULT_MAC_CORRUPT,
	};
	struct acts_dev *dev = s->f[0].dev;
	enum acts_fault knob = knobs[fz_below(s, 4)];
	unsigned int count = (unsigned int)fz_below(s, 3);

	if (!s->opts->faults || !dev->be->fault_set)
		return;
	/* Hangs cost a job timeout each: rarer. */
	if (knob == ACTS_FAULT_JOB_HANG && fz_chance(s, 70))
		count = 0;
	fz_log(s, "fault knob %u = %u", knob, count);
	dev->be->fault_set(dev, knob, count);
}

const struct fz_op fz_ops_proc[] = {
	/* Weights against the ioctl ops' (tens): fork and reopen cost milliseconds. */
	{ "mmap", 20, op_mmap },
	{ "munmap", 8, op_munmap },
	{ "reopen", 2, op_reopen },
	{ "fork", 1, op_fork },
	{ "fault", 5, op_fault },
};
const unsigned int fz_nops_proc = sizeof(fz_ops_proc) / sizeof(fz_ops_proc[0]);
