// SPDX-License-Identifier: MIT
/*
 * accel_isolation, dma-bufs: an exported BO is reachable through its
 * dma-buf descriptor only. A process that was not given the descriptor
 * guesses every descriptor number up to past the owner's and imports
 * each: none is a dma-buf of the owner's. A process of another user can
 * neither open the owner's descriptor through /proc/<pid>/fd nor take it
 * with pidfd_getfd().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_caps.h"
#include "acts_gem.h"
#include "acts_test.h"
#include "iso.h"

/* Descriptor numbers guessed: 0 .. at least this, and past the owner's. */
#define FD_SWEEP	1024

struct owner_fd {
	pid_t pid;
	int fd;
};

/* Import every descriptor number: EBADF (not open) or EINVAL (not a dma-buf). */
static void sweep(struct acts_dev *d, int upto)
{
	struct iso_tally t = ISO_TALLY("ISO-DMABUF-1", "import");
	int fd;

	for (fd = 0; fd <= upto; fd++) {
		uint32_t h;
		int ret = __acts_prime_import(d, fd, &h);

		iso_tally(&t, (uint64_t)fd, ret);
		if (!ret) {
			void *p = acts_bo_mmap(d, h, SZ_4K);

			if (iso_has_secret(p, SZ_4K, 1))
				__acts_fail_later(__FILE__, __LINE__,
						  "descriptor %d imported the owner's BO", fd);
			munmap(p, SZ_4K);
			acts_gem_close(d, h);
		}
	}
	iso_tally_report(&t);
}

static void tenant_guess(struct acts_dev *d, struct iso_tenant *t, void *arg)
{
	struct owner_fd o;
	char path[64];
	int fd;

	iso_recv(t->to_child, &o, sizeof(o));
	sweep(d, o.fd + FD_SWEEP);
	if (geteuid() == ISO_UNPRIV_ID) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", o.pid, o.fd);
		fd = open(path, O_RDWR);
		if (fd >= 0)
			__acts_fail_later(__FILE__, __LINE__, "uid %u opened %s", ISO_UNPRIV_ID, path);
		else
			acts_expect_err(-errno, -EACCES, -EPERM);
#ifdef SYS_pidfd_open
		{
			int pidfd = (int)syscall(SYS_pidfd_open, o.pid, 0);

			if (pidfd >= 0) {
				fd = (int)syscall(SYS_pidfd_getfd, pidfd, o.fd, 0);
				if (fd >= 0)
					__acts_fail_later(__FILE__, __LINE__,
							  "uid %u took the owner's dma-buf with pidfd_getfd()",
							  ISO_UNPRIV_ID);
				else
					acts_expect_err(-errno, -EPERM, -EACCES);
				close(pidfd);
			}
		}
#endif
	}
	iso_send(t->from_child, "d", 1);
}

static void guessed(struct acts_dev *dev, bool unpriv)
{
	struct iso_tenant t;
	struct acts_buf b;
	struct owner_fd o;
	char c;

	acts_require_cap(dev, ACTS_CAP_PRIME);
	/* Started first: the tenant never had the descriptor. */
	iso_tenant_start(dev, &t, unpriv, tenant_guess, NULL);
	b = iso_secret_buf(dev, SZ_64K, 0);
	o.pid = getpid();
	o.fd = acts_prime_export(dev, b.handle);
	iso_send(t.to_child, &o, sizeof(o));
	iso_recv(t.from_child, &c, 1);
	iso_tenant_end(&t);
	acts_buf_expect_u32(&b, 0, SZ_64K, ISO_SENTINEL);
	close(o.fd);
	acts_buf_free(&b);
}

ACTS_SUBTEST(dmabuf_other_process, "ISO-DMABUF-1",
	     "a process without the descriptor imports no dma-buf of another's, guessing every number")
{
	guessed(dev, false);
}

ACTS_SUBTEST(dmabuf_other_user, "ISO-DMABUF-1",
	     "another user's process reaches no dma-buf of this one: not by guessing, /proc/<pid>/fd or pidfd_getfd")
{
	guessed(dev, true);
}
