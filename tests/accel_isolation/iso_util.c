// SPDX-License-Identifier: MIT
/*
 * accel_isolation's shared part: tenants in other processes (privileged or
 * not), secrets in BOs, and taking device memory until refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_device.h"
#include "acts_gem.h"
#include "acts_profile.h"
#include "acts_test.h"
#include "iso.h"

const uint32_t iso_top[ISO_NTOP] = { 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu };

bool iso_has_dmem_controller(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/cgroups", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "dmem\t", 5);
	fclose(f);
	return found;
}

struct acts_buf iso_secret_buf(struct acts_dev *dev, uint64_t size, uint32_t tag)
{
	struct acts_buf b = acts_buf_new(dev, size, 0);
	uint32_t *w = (uint32_t *)b.map;
	uint64_t i;

	for (i = 0; i < size / 4; i++)
		w[i] = ISO_SENTINEL ^ tag;
	return b;
}

bool iso_has_secret(const void *p, uint64_t size, uint32_t ntags)
{
	const uint32_t *w = p;
	uint64_t i;

	for (i = 0; i < size / 4; i++)
		if ((w[i] ^ ISO_SENTINEL) < ntags)
			return true;
	return false;
}

void iso_require_root(void)
{
	acts_require(geteuid() == 0,
		     "needs root: an unprivileged tenant is a child switched to uid %u",
		     ISO_UNPRIV_ID);
}

void iso_send(int fd, const void *buf, size_t len)
{
	acts_assert_eq(write(fd, buf, len), (ssize_t)len);
}

void iso_recv(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			acts_fail("the other process went away (%s)", n ? strerror(errno) : "EOF");
		got += (size_t)n;
	}
}

void iso_tenant_start(struct acts_dev *dev, struct iso_tenant *t, bool unpriv,
		      void (*body)(struct acts_dev *d, struct iso_tenant *t, void *arg), void *arg)
{
	int down[2], up[2];
	struct stat st;
	char c;

	if (unpriv)
		iso_require_root();
	acts_require_cap(dev, ACTS_CAP_MULTI_OPEN);
	snprintf(t->path, sizeof(t->path), "%s", dev->path);
	acts_assert_syscall(stat(t->path, &st));
	acts_assert_syscall(pipe(down));
	acts_assert_syscall(pipe(up));
	if (unpriv)
		acts_assert_syscall(chmod(t->path, 0666));
	fflush(NULL);
	t->pid = fork();
	if (t->pid < 0 && unpriv)
		chmod(t->path, st.st_mode & 07777);
	acts_assert(t->pid >= 0);
	if (!t->pid) {
		struct acts_dev *d;

		close(down[1]);
		close(up[0]);
		t->to_child = down[0];
		t->from_child = up[1];
		/* Not the parent's file: a tenant of its own (fork.c shares it on purpose). */
		close(dev->fd);
		if (unpriv) {
			gid_t g = ISO_UNPRIV_ID;

			if (setgroups(1, &g) || setgid(ISO_UNPRIV_ID) || setuid(ISO_UNPRIV_ID))
				acts_fail("cannot become uid %u: %s", ISO_UNPRIV_ID, strerror(errno));
			if (setuid(0) == 0)
				acts_fail("uid %u could become root again", ISO_UNPRIV_ID);
		}
		d = acts_dev_open(t->path);
		if (!d)
			acts_fail("the tenant cannot open %s: %s", t->path, strerror(errno));
		iso_send(t->from_child, "o", 1);
		body(d, t, arg);
		fflush(stdout);
		_exit(acts_expect_failures() ? ACTS_EXIT_FAILURE : ACTS_EXIT_SUCCESS);
	}
	close(down[0]);
	close(up[1]);
	t->to_child = down[1];
	t->from_child = up[0];
	/* Opened (or dead): the node goes back to its mode before anything is checked. */
	if (read(t->from_child, &c, 1) != 1)
		c = 0;
	if (unpriv)
		acts_assert_syscall(chmod(t->path, st.st_mode & 07777));
	if (c != 'o') {
		iso_tenant_end(t);
		acts_fail("the tenant never opened the node");
	}
}

void iso_tenant_end(struct iso_tenant *t)
{
	int status;

	acts_assert_eq(waitpid(t->pid, &status, 0), t->pid);
	close(t->to_child);
	close(t->from_child);
	if (WIFEXITED(status) && WEXITSTATUS(status) == ACTS_EXIT_SKIP)
		acts_skip("the tenant skipped (its reason is above)");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		acts_fail("the tenant failed (status %#x; its messages are above)", status);
}

void iso_tenant_kill(struct iso_tenant *t)
{
	int status;

	kill(t->pid, SIGKILL);
	acts_assert_eq(waitpid(t->pid, &status, 0), t->pid);
	close(t->to_child);
	close(t->from_child);
}

int iso_mem_used(struct acts_dev *dev, uint64_t *v)
{
	return __acts_query(dev, ACTS_Q_MEM_USED, v);
}

uint64_t iso_hog_memory(struct acts_dev *d, uint64_t chunk, uint64_t max, int *err)
{
	uint64_t held = 0;

	*err = 0;
	while (chunk >= SZ_4K && held < max) {
		struct acts_bo_create c = { .size = chunk };
		int ret = __acts_bo_create(d, &c);

		if (!ret) {
			held += c.size;
			continue;
		}
		if (ret != -ENOSPC && ret != -ENOMEM)
			acts_fail("creating a BO of %llu bytes with %llu held: %s, not ENOSPC or ENOMEM",
				  (unsigned long long)chunk, (unsigned long long)held,
				  acts_errno_name(ret));
		*err = ret;
		chunk /= 2;
	}
	return held;
}

void iso_tally(struct iso_tally *t, uint64_t what, int ret)
{
	int n, i;
	const int *row = acts_profile_errnos(t->rule, t->when, &n);

	if (!row)
		acts_fail("no profile errno for %s %s (a bug in the test)", t->rule, t->when);
	t->tried++;
	for (i = 0; ret && i < n; i++)
		if (ret == -row[i])
			return;
	if (t->wrong++ < 4)
		__acts_fail_later(__FILE__, __LINE__, "%s %s: guess %#llx answered %s, the profile says %s",
				  t->rule, t->when, (unsigned long long)what,
				  ret ? acts_errno_name(ret) : "success",
				  acts_errno_name(-row[0]));
}

unsigned long iso_tally_report(const struct iso_tally *t)
{
	acts_info("%s %s: %lu guesses, %lu answered otherwise than refused\n", t->rule, t->when,
		  t->tried, t->wrong);
	return t->wrong;
}

void iso_sweep_other_file(struct acts_dev *dev, const struct iso_sweep *s)
{
	struct acts_dev *other = acts_dev_reopen(dev);
	uint64_t bound;

	acts_assert(other);
	bound = s->make(dev, s->victim);
	s->sweep(other, bound);
	s->check(dev, s->victim);
	acts_dev_close(other);
}

static void sweeping_tenant(struct acts_dev *d, struct iso_tenant *t, void *arg)
{
	const struct iso_sweep *s = arg;
	uint64_t bound;

	iso_recv(t->to_child, &bound, sizeof(bound));
	s->sweep(d, bound);
	iso_send(t->from_child, "d", 1);
}

void iso_sweep_other_process(struct acts_dev *dev, const struct iso_sweep *s)
{
	struct iso_tenant t;
	uint64_t bound;
	char c;

	iso_tenant_start(dev, &t, false, sweeping_tenant, (void *)s);
	bound = s->make(dev, s->victim);
	iso_send(t.to_child, &bound, sizeof(bound));
	iso_recv(t.from_child, &c, 1);
	iso_tenant_end(&t);
	s->check(dev, s->victim);
}

ACTS_MAIN()
