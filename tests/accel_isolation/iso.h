/* SPDX-License-Identifier: MIT */
/*
 * What the accel_isolation sources share: a tenant in another process
 * (optionally without privilege), content sentinels, and the sweep bounds.
 *
 * The binary is every .c file of this folder (the Makefile picks new ones
 * up): one concern per file. dmem.c, the dmem cgroup subtests, joins it and
 * builds on iso_tenant_*() and iso_hog_memory() below.
 */
#ifndef ISO_H
#define ISO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "acts_buf.h"

struct acts_dev;

#define SZ_4K		4096u
#define SZ_64K		(64u << 10)
#define SZ_1M		(1u << 20)
#define MS		1000000LL

/* The user and group an unprivileged tenant runs as: nobody, nogroup. */
#define ISO_UNPRIV_ID	65534

/*
 * How far beyond the highest live handle (BO, context, syncobj) a sweep
 * guesses: every number from 1 up to that.
 */
#define ISO_HANDLE_SWEEP	4096u

/* Numbers guessed past the sweep: 2^31-1, 2^31, 2^32-2, 2^32-1. */
#define ISO_NTOP	4
extern const uint32_t iso_top[ISO_NTOP];

/* A 32-bit word no freshly created or zeroed BO holds: a tenant's secret. */
#define ISO_SENTINEL	0x5ec2e7a5u

/* A BO of size bytes whose every 32-bit word is ISO_SENTINEL ^ tag. */
struct acts_buf iso_secret_buf(struct acts_dev *dev, uint64_t size, uint32_t tag);
/* Does a page of mapped memory hold any word of a secret (ISO_SENTINEL ^ tag, tag < ntags)? */
bool iso_has_secret(const void *p, uint64_t size, uint32_t ntags);

/*
 * A tenant: a child process with its own open file of the node, talking to
 * the parent through two pipes (one byte messages). With unpriv, the child
 * drops to uid and gid 65534 with no supplementary groups before opening
 * the node; the node is opened to it (mode 0666) only until it has opened
 * it, then its mode is restored. Unprivileged tenants need root: skip
 * otherwise.
 */
struct iso_tenant {
	pid_t pid;
	int to_child;
	int from_child;
	char path[256];
};

/*
 * Start body(dev_of_child, arg) in a tenant; returns once the child has
 * its file (or has died). body runs with acts_*() asserts: a failure ends
 * the child with the harness's failure status, which iso_tenant_end()
 * reports.
 */
void iso_tenant_start(struct acts_dev *dev, struct iso_tenant *t, bool unpriv,
		      void (*body)(struct acts_dev *d, struct iso_tenant *t, void *arg), void *arg);
/* In either process: send one byte, or a block of bytes. */
void iso_send(int fd, const void *buf, size_t len);
/* Receive exactly len bytes; fails the subtest on EOF. */
void iso_recv(int fd, void *buf, size_t len);
/* Wait for the child; fail the subtest unless it exited 0 (77: skip). */
void iso_tenant_end(struct iso_tenant *t);
/* Kill it (SIGKILL) and reap it. */
void iso_tenant_kill(struct iso_tenant *t);
/* Skip unless a tenant can be made unprivileged here (root). */
void iso_require_root(void);

/*
 * A guessing sweep at another tenant's numbers (handles, ids, mmap
 * offsets), the same two ways for each kind: from another open file of
 * this process, and from another process. make() creates the victim's
 * objects on dev and returns the bound the sweep goes to; sweep() guesses
 * on the other side's file up to it; check() finds the victim's objects
 * unharmed and frees them.
 */
struct iso_sweep {
	void *victim;
	uint64_t (*make)(struct acts_dev *dev, void *victim);
	void (*sweep)(struct acts_dev *other, uint64_t bound);
	void (*check)(struct acts_dev *dev, void *victim);
};

void iso_sweep_other_file(struct acts_dev *dev, const struct iso_sweep *s);
/* The tenant is forked before the victim's objects exist: it inherits none. */
void iso_sweep_other_process(struct acts_dev *dev, const struct iso_sweep *s);

/* Device memory in use, when the backend reports it: 0 or -errno. */
int iso_mem_used(struct acts_dev *dev, uint64_t *v);
/*
 * Create BOs of chunk bytes on d until the driver refuses one (ENOSPC or
 * ENOMEM, anything else fails the subtest), at most max bytes; then halve
 * the chunk down to a page to take what is left. Returns the bytes held;
 * *err gets the last refusal.
 */
uint64_t iso_hog_memory(struct acts_dev *d, uint64_t chunk, uint64_t max, int *err);

/*
 * The per-tenant bound on device memory is the dmem cgroup controller:
 * without it, subtests that need one SKIP with this reason (memory.c, and
 * dmem.c's).
 */
#define ISO_DMEM_REASON "needs the dmem cgroup controller: CONFIG_CGROUP_DMEM, Linux >= 6.14"
/* Is the controller built into this kernel (a "dmem" line in /proc/cgroups)? */
bool iso_has_dmem_controller(void);

/*
 * Guesses at another tenant's objects, each answered by a refusal of the
 * profile's row (rule, when) in acts_profile.c: a success, or another
 * errno, fails the subtest (the first few are named; the rest counted).
 */
struct iso_tally {
	const char *rule;
	const char *when;
	unsigned long tried;
	unsigned long wrong;
};

#define ISO_TALLY(r, w) ((struct iso_tally){ .rule = (r), .when = (w) })
/* Record a guess (what: the handle, offset or fd tried) and its answer (0 or -errno). */
void iso_tally(struct iso_tally *t, uint64_t what, int ret);
/* Print "N guesses, M answered otherwise" and return M. */
unsigned long iso_tally_report(const struct iso_tally *t);

#endif
