// SPDX-License-Identifier: MIT
/*
 * accel_isolation, device memory per tenant through the kernel's dmem
 * cgroup controller (Linux 6.14+, CONFIG_CGROUP_DMEM): the driver registers
 * its device memory as a dmem region, a BO is charged to the cgroup of the
 * process that created it, a cgroup's dmem.max holds for its clients while
 * clients of other cgroups still allocate, and sharing a BO through PRIME
 * charges nobody twice. Every client runs in a forked child moved into a
 * cgroup of its own; the subtest's process stays where it is and removes
 * the cgroups afterwards. Needs root (cgroup2 is mounted by the guest's
 * init). Where the controller is missing (Debian's 6.12 and 7.x) each
 * subtest skips naming it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_caps.h"
#include "acts_cgroup.h"
#include "acts_device.h"
#include "acts_gem.h"
#include "acts_test.h"

#define SZ_4K	4096ull
#define SZ_64K	(64ull << 10)
#define SZ_1M	(1ull << 20)

struct dmem_fx {
	char region[256];
	uint64_t capacity;
	char cg[2][512];	/* cgroups A and B */
	int ncg;
};

/* Skips unless the dmem controller is there and the device has a region. */
static void dmem_setup(struct acts_dev *dev, struct dmem_fx *fx)
{
	int ret;

	memset(fx, 0, sizeof(*fx));
	acts_require_cap(dev, ACTS_CAP_BO);
	ret = acts_dmem_region(dev, fx->region, sizeof(fx->region), &fx->capacity);
	acts_require(ret != -EOPNOTSUPP, ACTS_DMEM_MISSING);
	acts_require(ret != -ENOENT, "the driver registers no dmem region for %s", dev->path);
	acts_require(ret != -EACCES && ret != -EPERM,
		     "needs root to turn the dmem controller on (cgroup.subtree_control)");
	acts_assert_ok(ret);
	acts_info("dmem region %s, %" PRIu64 " bytes\n", fx->region, fx->capacity);
	acts_require(geteuid() == 0, "needs root to make cgroups");
	acts_assert_ok(acts_cgroup_enable("dmem"));
}

static const char *dmem_cgroup(struct dmem_fx *fx, const char *name)
{
	char *cg = fx->cg[fx->ncg];

	acts_assert_lt(fx->ncg, 2);
	acts_assert_ok(acts_cgroup_create(name, cg, sizeof(fx->cg[0])));
	fx->ncg++;
	return cg;
}

static void dmem_set_max(struct dmem_fx *fx, const char *cg, uint64_t max)
{
	char v[300];

	snprintf(v, sizeof(v), "%s %" PRIu64, fx->region, max);
	acts_assert_ok(acts_cgroup_write(cg, "dmem.max", v));
}

/* dmem.current of the region in cg (0 before the region's first charge there). */
static uint64_t dmem_current(struct dmem_fx *fx, const char *cg)
{
	uint64_t v = 0;
	int ret = acts_cgroup_keyed_u64(cg, "dmem.current", fx->region, &v);

	if (ret == -ENOENT)
		return 0;
	acts_assert_ok(ret);
	return v;
}

static void dmem_teardown(struct dmem_fx *fx)
{
	while (fx->ncg)
		acts_expect_ok(acts_cgroup_remove(fx->cg[--fx->ncg]));
}

/*
 * A client in a child process: moves itself into cg, opens the device and
 * runs fn, whose failure fails the child. Returns its pid; the parent and
 * the child talk through the pipes of struct client.
 */
struct client {
	pid_t pid;
	int to[2], from[2];
};

static void client_send(int fd, char c)
{
	acts_assert_eq(write(fd, &c, 1), 1);
}

static char client_recv(int fd)
{
	char c = 0;

	acts_assert_eq(read(fd, &c, 1), 1);
	return c;
}

static void client_start(struct client *c, const char *cg, struct acts_dev *dev,
			 void (*fn)(struct acts_dev *d, struct client *c))
{
	acts_assert_syscall(pipe(c->to));
	acts_assert_syscall(pipe(c->from));
	c->pid = fork();
	acts_assert(c->pid >= 0);
	if (!c->pid) {
		struct acts_dev *d;

		close(c->to[1]);
		close(c->from[0]);
		acts_assert_ok(acts_cgroup_enter(cg, 0));
		d = acts_dev_open(dev->path);
		acts_assert(d);
		fn(d, c);
		acts_dev_close(d);
		_exit(0);
	}
	close(c->to[0]);
	close(c->from[1]);
}

/* Wait for the client's exit; it must have passed. */
static void client_join(struct client *c)
{
	int status;

	close(c->to[1]);
	acts_assert_eq(waitpid(c->pid, &status, 0), c->pid);
	close(c->from[0]);
	acts_assert(WIFEXITED(status));
	acts_assert_eq(WEXITSTATUS(status), 0);
}

static int try_create(struct acts_dev *d, uint64_t size, uint32_t *handle)
{
	struct acts_bo_create args = { .size = size };
	int ret = __acts_bo_create(d, &args);

	if (!ret)
		*handle = args.handle;
	return ret;
}

ACTS_SUBTEST(dmem_region, "ISO-DMEM-1",
	     "the device's memory is a dmem region named after the device, as large as the device memory")
{
	struct dmem_fx fx;

	dmem_setup(dev, &fx);
	if (acts_has_query(dev, ACTS_Q_MEM_SIZE))
		acts_expect_eq_u64(fx.capacity, acts_query(dev, ACTS_Q_MEM_SIZE));
	else
		acts_expect_gt(fx.capacity, 0);
	dmem_teardown(&fx);
}

/* Client in A: fills its 1 MiB limit, then is refused; frees one BO, creates again. */
static void limited_client(struct acts_dev *d, struct client *c)
{
	uint32_t h[4], extra;
	int i;

	for (i = 0; i < 4; i++)
		acts_assert_ok(try_create(d, 256 << 10, &h[i]));
	/* Over the cgroup's limit, not the device's. */
	acts_assert_err(try_create(d, SZ_4K, &extra), -ENOSPC, -ENOMEM);
	client_send(c->from[1], 'f');	/* full: let B allocate */
	acts_assert_eq(client_recv(c->to[0]), 'g');
	acts_gem_close(d, h[0]);
	acts_assert_ok(try_create(d, SZ_4K, &extra));
	acts_assert_err(try_create(d, 256 << 10, &h[0]), -ENOSPC, -ENOMEM);
}

/* Client in B (no limit): allocates beyond A's limit while A is full. */
static void free_client(struct acts_dev *d, struct client *c)
{
	uint32_t h[3];
	int i;

	for (i = 0; i < 3; i++)
		acts_assert_ok(try_create(d, SZ_1M, &h[i]));
	for (i = 0; i < 3; i++)
		acts_gem_close(d, h[i]);
}

ACTS_SUBTEST(dmem_limit_holds, "ISO-DMEM-2",
	     "a client over its cgroup's dmem.max gets ENOSPC/ENOMEM while a client in another cgroup still allocates")
{
	struct client a, b;
	const char *cga, *cgb;
	struct dmem_fx fx;

	dmem_setup(dev, &fx);
	acts_require_cap(dev, ACTS_CAP_MULTI_OPEN);
	acts_require(fx.capacity >= 8 * SZ_1M, "the device has less than 8 MiB");
	cga = dmem_cgroup(&fx, "a");
	cgb = dmem_cgroup(&fx, "b");
	dmem_set_max(&fx, cga, SZ_1M);

	client_start(&a, cga, dev, limited_client);
	acts_assert_eq(client_recv(a.from[0]), 'f');
	acts_expect_eq_u64(dmem_current(&fx, cga), SZ_1M);
	client_start(&b, cgb, dev, free_client);
	client_join(&b);
	acts_expect_eq_u64(dmem_current(&fx, cgb), 0);
	client_send(a.to[1], 'g');
	client_join(&a);
	/* The client's file is closed: its BOs are gone, and their charge. */
	acts_expect_eq_u64(dmem_current(&fx, cga), 0);
	dmem_teardown(&fx);
}

/* Reports dmem.current's steps by letters: create 64K, create 4K, close, close the file. */
static void stepping_client(struct acts_dev *d, struct client *c)
{
	uint32_t h1, h2;

	acts_assert_eq(client_recv(c->to[0]), '1');
	h1 = acts_bo_create(d, SZ_64K);
	client_send(c->from[1], '1');
	acts_assert_eq(client_recv(c->to[0]), '2');
	/* A size that is no page multiple is charged as the BO's size. */
	acts_assert_ok(try_create(d, 100, &h2));
	client_send(c->from[1], '2');
	acts_assert_eq(client_recv(c->to[0]), '3');
	acts_gem_close(d, h1);
	client_send(c->from[1], '3');
	acts_assert_eq(client_recv(c->to[0]), '4');
	/* h2 stays open: closing the file must return its charge. */
}

ACTS_SUBTEST(dmem_current_follows, "ISO-DMEM-3",
	     "dmem.current of the creator's cgroup rises by the BO size on create and falls back on close and on file close")
{
	struct client a;
	const char *cga;
	uint64_t now;
	struct dmem_fx fx;

	dmem_setup(dev, &fx);
	cga = dmem_cgroup(&fx, "a");
	acts_expect_eq_u64(dmem_current(&fx, cga), 0);
	client_start(&a, cga, dev, stepping_client);
	client_send(a.to[1], '1');
	acts_assert_eq(client_recv(a.from[0]), '1');
	acts_expect_eq_u64(dmem_current(&fx, cga), SZ_64K);
	client_send(a.to[1], '2');
	acts_assert_eq(client_recv(a.from[0]), '2');
	/* The 100-byte BO is charged its real size (a page on refaccel). */
	now = dmem_current(&fx, cga);
	acts_expect_gte_u64(now, SZ_64K + 100);
	acts_expect_lte_u64(now, SZ_64K + SZ_64K);
	client_send(a.to[1], '3');
	acts_assert_eq(client_recv(a.from[0]), '3');
	acts_expect_lte_u64(dmem_current(&fx, cga), SZ_64K);
	acts_expect_gt(dmem_current(&fx, cga), 0);
	client_send(a.to[1], '4');
	client_join(&a);
	acts_expect_eq_u64(dmem_current(&fx, cga), 0);
	dmem_teardown(&fx);
}

/*
 * Creates a BO in A (limit: exactly the BO), exports it, moves itself into
 * B and imports it on a second file there, then drops the creator's
 * handle: the import keeps the BO, still charged to A alone.
 */
static const char *prime_cgb;

static void prime_client(struct acts_dev *d, struct client *c)
{
	struct acts_dev *d2;
	uint32_t h, imp, extra;
	int fd;

	h = acts_bo_create(d, SZ_1M);
	/* A is full. */
	acts_assert_err(try_create(d, SZ_4K, &extra), -ENOSPC, -ENOMEM);
	fd = acts_prime_export(d, h);
	acts_assert_ok(acts_cgroup_enter(prime_cgb, 0));
	d2 = acts_dev_reopen(d);
	imp = acts_prime_import(d2, fd);
	client_send(c->from[1], 'i');	/* imported in B */
	acts_assert_eq(client_recv(c->to[0]), 'c');
	acts_gem_close(d, h);
	close(fd);
	client_send(c->from[1], 'c');	/* creator's handle closed */
	acts_assert_eq(client_recv(c->to[0]), 'x');
	acts_gem_close(d2, imp);
	acts_dev_close(d2);
	client_send(c->from[1], 'x');	/* import closed */
	acts_assert_eq(client_recv(c->to[0]), 'e');
}

ACTS_SUBTEST(dmem_prime_shared, "ISO-DMEM-4",
	     "a BO shared through PRIME stays charged to its creator's cgroup alone, until its last reference goes")
{
	struct client a;
	const char *cga;
	struct dmem_fx fx;

	dmem_setup(dev, &fx);
	acts_require_cap(dev, ACTS_CAP_PRIME);
	acts_require_cap(dev, ACTS_CAP_MULTI_OPEN);
	cga = dmem_cgroup(&fx, "a");
	prime_cgb = dmem_cgroup(&fx, "b");
	dmem_set_max(&fx, cga, SZ_1M);

	client_start(&a, cga, dev, prime_client);
	acts_assert_eq(client_recv(a.from[0]), 'i');
	acts_expect_eq_u64(dmem_current(&fx, cga), SZ_1M);
	acts_expect_eq_u64(dmem_current(&fx, prime_cgb), 0);
	client_send(a.to[1], 'c');
	acts_assert_eq(client_recv(a.from[0]), 'c');
	/* Only the import in B holds it: still A's charge, and still nobody else's. */
	acts_expect_eq_u64(dmem_current(&fx, cga), SZ_1M);
	acts_expect_eq_u64(dmem_current(&fx, prime_cgb), 0);
	client_send(a.to[1], 'x');
	acts_assert_eq(client_recv(a.from[0]), 'x');
	acts_expect_eq_u64(dmem_current(&fx, cga), 0);
	acts_expect_eq_u64(dmem_current(&fx, prime_cgb), 0);
	client_send(a.to[1], 'e');
	client_join(&a);
	dmem_teardown(&fx);
}

static int try_userptr(struct acts_dev *d, void *p, uint64_t size, uint32_t *handle)
{
	struct acts_bo_userptr args = { .user_ptr = (uintptr_t)p, .size = size };
	int ret = __acts_bo_create_userptr(d, &args);

	if (!ret)
		*handle = args.handle;
	return ret;
}

/*
 * Client in A (limit 1 MiB): pins 1 MiB of its own memory as a BO and asks
 * for 4 KiB more, userptr and created: refused ('p'), or the userptr one
 * taken ('u': the cgroup was not charged). Then closes the BO and pins the
 * 1 MiB again.
 */
static void userptr_client(struct acts_dev *d, struct client *c)
{
	void *mem = mmap(NULL, 2 * SZ_1M, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t h = 0, extra = 0;
	int ret;

	acts_assert(mem != MAP_FAILED);
	acts_assert_ok(try_userptr(d, mem, SZ_1M, &h));
	ret = try_userptr(d, (char *)mem + SZ_1M, SZ_4K, &extra);
	if (!ret) {
		acts_gem_close(d, extra);
		client_send(c->from[1], 'u');
	} else {
		acts_assert_err(ret, -ENOSPC, -ENOMEM);
		acts_assert_err(try_create(d, SZ_4K, &extra), -ENOSPC, -ENOMEM);
		client_send(c->from[1], 'p');
	}
	acts_assert_eq(client_recv(c->to[0]), 'c');
	acts_gem_close(d, h);
	client_send(c->from[1], 'c');	/* closed */
	acts_assert_eq(client_recv(c->to[0]), 'a');
	acts_assert_ok(try_userptr(d, mem, SZ_1M, &h));
	acts_gem_close(d, h);
	munmap(mem, 2 * SZ_1M);
}

ACTS_SUBTEST(dmem_userptr_charged, "ISO-DMEM-5",
	     "a BO of the caller's own pinned memory that the device counts is charged to its cgroup as a created BO is: refused over dmem.max, returned on close")
{
	bool counted = true;
	uint64_t used = 0;
	struct client a;
	const char *cga;
	struct dmem_fx fx;
	char said;

	dmem_setup(dev, &fx);
	acts_require_cap(dev, ACTS_CAP_USERPTR);
	cga = dmem_cgroup(&fx, "a");
	dmem_set_max(&fx, cga, SZ_1M);

	if (acts_has_query(dev, ACTS_Q_MEM_USED))
		used = acts_query(dev, ACTS_Q_MEM_USED);
	client_start(&a, cga, dev, userptr_client);
	said = client_recv(a.from[0]);
	/* A driver whose device memory is not the caller's RAM need not count it. */
	if (acts_has_query(dev, ACTS_Q_MEM_USED))
		counted = acts_query(dev, ACTS_Q_MEM_USED) != used;
	if (counted) {
		/* 'u': the device counts the memory, the cgroup was not charged. */
		acts_expect_eq(said, 'p');
		acts_expect_eq_u64(dmem_current(&fx, cga), SZ_1M);
	}
	client_send(a.to[1], 'c');
	acts_assert_eq(client_recv(a.from[0]), 'c');
	acts_expect_eq_u64(dmem_current(&fx, cga), 0);
	client_send(a.to[1], 'a');
	client_join(&a);
	acts_expect_eq_u64(dmem_current(&fx, cga), 0);
	dmem_teardown(&fx);
	acts_require(counted, "the driver does not count userptr BOs as device memory in use");
}
