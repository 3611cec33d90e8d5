// SPDX-License-Identifier: MIT
/*
 * accel_isolation, device memory: can one tenant take the device's memory
 * from the others? The profile's per-tenant bound is the dmem cgroup
 * controller (CONFIG_CGROUP_DMEM, Linux >= 6.14; the driver registers its
 * memory as a region): a tenant's cgroup has a dmem.max. Without the
 * controller nothing bounds a tenant but the device's budget, and one
 * client can take all of it (docs/PROFILE.md, ISO-MEM-1): the subtest here
 * shows how much it took and SKIPs naming the controller. The subtests
 * with a bound, which put tenants in cgroups with dmem.max, are dmem.c's.
 * Either way, what a tenant held comes back when it dies (ISO-MEM-2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_caps.h"
#include "acts_cgroup.h"
#include "acts_gem.h"
#include "acts_test.h"
#include "iso.h"

#define HOG_CHUNK	(16ull << 20)

struct hold {
	uint64_t held;
	int err;
};

/* Take every byte the driver gives this file, report it, hold it until told. */
static void hog(struct acts_dev *d, struct iso_tenant *t, void *arg)
{
	uint64_t max = *(uint64_t *)arg;
	struct hold h;
	char c;

	h.held = iso_hog_memory(d, HOG_CHUNK, max, &h.err);
	iso_send(t->from_child, &h, sizeof(h));
	iso_recv(t->to_child, &c, 1);
}

struct dmem_bound {
	char home[600], cg[600];
};

/*
 * Where the kernel has the dmem controller and the driver a region: make a
 * cgroup limited to max of it and move the caller in (its children are born
 * there; the caller goes back home once they are). False without either.
 */
static bool dmem_bound_start(struct acts_dev *dev, struct dmem_bound *b, uint64_t max)
{
	char region[256], v[300];
	uint64_t capacity;

	if (geteuid() != 0 || acts_dmem_region(dev, region, sizeof(region), &capacity))
		return false;
	acts_assert_ok(acts_cgroup_enable("dmem"));
	acts_assert_ok(acts_cgroup_self(b->home, sizeof(b->home)));
	acts_assert_ok(acts_cgroup_create("iso-tenant", b->cg, sizeof(b->cg)));
	snprintf(v, sizeof(v), "%s %llu", region, (unsigned long long)max);
	acts_assert_ok(acts_cgroup_write(b->cg, "dmem.max", v));
	acts_assert_ok(acts_cgroup_enter(b->cg, 0));
	return true;
}

ACTS_SUBTEST(memory_tenant_leaves_room, "ISO-MEM-1",
	     "while one tenant holds all the device memory it can take, another can still create a BO")
{
	uint64_t size, used0 = 0;
	struct dmem_bound b;
	struct iso_tenant t;
	bool bounded;
	struct hold h;
	int ret;

	acts_require_cap(dev, ACTS_CAP_BO);
	size = acts_require_query(dev, ACTS_Q_MEM_SIZE);
	iso_mem_used(dev, &used0);
	/*
	 * With the dmem controller the tenant is born in a cgroup of its own
	 * whose dmem.max is half the device: the bound an administrator sets.
	 */
	bounded = dmem_bound_start(dev, &b, size / 2);
	/* Unprivileged when we can: the tenant of a shared machine. */
	iso_tenant_start(dev, &t, geteuid() == 0, hog, &size);
	if (bounded)
		acts_assert_ok(acts_cgroup_enter(b.home, 0));
	iso_recv(t.from_child, &h, sizeof(h));
	ret = __acts_bo_create(dev, &(struct acts_bo_create){ .size = SZ_1M });
	acts_info("one tenant%s took %llu MiB of the device's %llu MiB (%llu MiB in use before), "
		  "then %s; another client's 1 MiB BO: %s\n", bounded ? " (dmem.max: half)" : "",
		  (unsigned long long)(h.held >> 20), (unsigned long long)(size >> 20),
		  (unsigned long long)(used0 >> 20), h.err ? acts_errno_name(h.err) : "no refusal",
		  ret ? acts_errno_name(ret) : "created");
	iso_send(t.to_child, "x", 1);
	iso_tenant_end(&t);
	if (bounded) {
		acts_expect_ok(acts_cgroup_remove(b.cg));
		acts_assert(h.held <= size / 2);
		acts_assert_eq(ret, 0);
		return;
	}
	if (!ret)
		return;
	acts_assert_err(ret, -ENOSPC, -ENOMEM);
	/* The kernel's reason first: check_results.py knows a kernel's skips by it. */
	if (!iso_has_dmem_controller())
		acts_skip("%s (the profile's per-tenant bound): one tenant took the whole device "
			  "memory (%llu MiB) and refused everyone else's", ISO_DMEM_REASON,
			  (unsigned long long)(h.held >> 20));
	/* The kernel offers the bound and the driver does not take it: the rule is broken. */
	acts_fail("the kernel has the dmem controller but the driver registers no dmem region: "
		  "one tenant took the whole device memory (%llu MiB) and refused everyone else's",
		  (unsigned long long)(h.held >> 20));
}

/*
 * A tenant takes all it can, then is killed or exits by itself (the kernel
 * closes its file in both cases, from the exiting process): every byte
 * comes back, and another client can take at least as much.
 */
static void tenant_memory_returns(struct acts_dev *dev, bool kill_it)
{
	uint64_t size, used0 = 0, used = 0, again;
	struct iso_tenant t;
	struct acts_dev *other;
	struct hold h;
	int err, i;

	acts_require_cap(dev, ACTS_CAP_BO);
	size = acts_require_query(dev, ACTS_Q_MEM_SIZE);
	acts_assert_ok(iso_mem_used(dev, &used0));
	iso_tenant_start(dev, &t, geteuid() == 0, hog, &size);
	iso_recv(t.from_child, &h, sizeof(h));
	/*
	 * It took the free memory, to within one BO of the hog's smallest (a
	 * page), and some: the suite owns the device, so memory in use before
	 * is what an earlier tenant did not give back.
	 */
	if (!h.held) {
		iso_tenant_kill(&t);
		acts_fail("the tenant could take no device memory: %llu of %llu MiB in use while "
			  "no client holds any (an earlier tenant's memory never came back?)",
			  (unsigned long long)(used0 >> 20), (unsigned long long)(size >> 20));
	}
	if (h.held + used0 + SZ_4K <= size) {
		iso_tenant_kill(&t);
		acts_fail("the tenant took %llu bytes with %llu of %llu in use before: not all that was free",
			  (unsigned long long)h.held, (unsigned long long)used0,
			  (unsigned long long)size);
	}
	if (kill_it) {
		iso_tenant_kill(&t);
	} else {
		iso_send(t.to_child, "x", 1);
		iso_tenant_end(&t);
	}
	/* Freed when its file goes, which the kernel does as the process exits. */
	for (i = 0; i < 500; i++) {
		acts_assert_ok(iso_mem_used(dev, &used));
		if (used == used0)
			break;
		usleep(10 * 1000);
	}
	if (used != used0)
		acts_fail("%llu bytes of the %s tenant's %llu are still in use",
			  (unsigned long long)(used - used0), kill_it ? "killed" : "exited",
			  (unsigned long long)h.held);
	other = acts_dev_reopen(dev);
	acts_assert(other);
	again = iso_hog_memory(other, HOG_CHUNK, size, &err);
	acts_info("the tenant held %llu MiB; after it %s another client took %llu MiB\n",
		  (unsigned long long)(h.held >> 20), kill_it ? "was killed" : "exited",
		  (unsigned long long)(again >> 20));
	acts_expect_gte_u64(again, h.held);
	acts_dev_close(other);
}

ACTS_SUBTEST(memory_back_after_tenant_killed, "ISO-MEM-2 MEM-ACCOUNT-1",
	     "the device memory a killed tenant held is all free again for another client")
{
	tenant_memory_returns(dev, true);
}

ACTS_SUBTEST(memory_back_after_tenant_exit, "ISO-MEM-2 MEM-ACCOUNT-1",
	     "the device memory a tenant held when it exited is all free again for another client")
{
	tenant_memory_returns(dev, false);
}
