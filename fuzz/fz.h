/* SPDX-License-Identifier: MIT */
/*
 * accel_fuzz: a structured, seeded fuzzer of refaccel's uapi and the DRM
 * core ioctls it uses (docs/FUZZ.md).
 *
 * A run is several streams (threads in processes); stream n draws its ops
 * from a generator seeded with the run's seed and n, and every op draws its
 * own arguments from a generator seeded with one value of its stream: an op
 * is (table index, op seed), so a stream replays from the seed alone and a
 * failing stream shrinks by replaying subsets of its ops in a fresh process.
 *
 * Files: fz_values.c (value generators), fz_state.c (open files and what
 * lives in them), fz_ops*.c (the ops table: driver ioctls, DRM core ioctls,
 * process-level ops), fz_model.c (the command-stream rules), fz_oracle.c
 * (what counts as a failure), fz_shrink.c (delta debugging), fz_main.c.
 */
#ifndef FZ_H
#define FZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acts_device.h"
#include "acts_rand.h"

#define FZ_MAX_BO	16	/* live BOs tracked per file */
#define FZ_MAX_SYNC	16	/* live syncobjs tracked per file */
#define FZ_MAX_CTX	8	/* live contexts tracked per file */
#define FZ_DEAD		8	/* recently closed ids remembered per kind */
#define FZ_MAX_DMABUF	8	/* dma-buf fds a stream keeps */
#define FZ_MAX_MAPS	4	/* BO mappings a stream keeps */
#define FZ_FILES	2	/* [0] the file ops target; [1] another one (foreign objects) */
#define FZ_MAX_STREAMS	64
#define FZ_ARENA	(256u << 10)

/*
 * The DRM core's syncobj array ioctls allocate count-sized arrays with
 * kmalloc_array() and no __GFP_NOWARN: above 4 MiB (order 10) the page
 * allocator WARNs (drm_syncobj_array_find, and the wait entries of 64
 * bytes each). Counts stay at or below this unless
 * --allow-core-bug=syncobj-huge-count.
 */
#define FZ_SYNCOBJ_SAFE_COUNT	(1u << 16)

struct fz_opts {
	const char *device;
	uint64_t seed;
	unsigned int procs, threads;
	uint64_t ioctls;		/* stop once the run issued this many */
	unsigned int seconds;		/* or after this long (0: no limit) */
	bool faults;			/* toggle refaccel's fault knobs */
	bool allow_syncobj_huge;	/* --allow-core-bug=syncobj-huge-count */
	bool shrink;
	unsigned int shrink_window;	/* ops before the failing one the shrinker starts from */
	unsigned int shrink_seconds;
	bool verbose;
};

/* One open of the node and what the fuzzer knows lives in it. */
struct fz_file {
	struct acts_dev *dev;
	int fd;
	uint32_t bo[FZ_MAX_BO];
	uint64_t bo_size[FZ_MAX_BO];
	uint64_t bo_off[FZ_MAX_BO];	/* mmap offset; 0: not known */
	unsigned int nbo;
	uint32_t sync[FZ_MAX_SYNC];
	unsigned int nsync;
	uint32_t ctx[FZ_MAX_CTX];
	unsigned int nctx;
	uint32_t dead_bo[FZ_DEAD], dead_sync[FZ_DEAD], dead_ctx[FZ_DEAD];
	unsigned int dead_bo_n, dead_sync_n, dead_ctx_n;
	bool untracked;			/* handles appeared that we could not follow */
};

struct fz_map {
	void *addr;
	size_t len;
};

/* What the device reported at the start; the rules are judged against it. */
struct fz_limits {
	uint64_t caps;
	uint64_t mem_size, max_bo_size, max_cmds_size, max_job_bos, max_job_syncs, max_ctx;
	uint64_t mac_max_m, mac_max_n, mac_max_k, bo_flags;
	uint64_t nparams;		/* first parameter id the driver does not know */
	/*
	 * The flags the running kernel's DRM core takes in SYNCOBJ_HANDLE_TO_FD
	 * and FD_TO_HANDLE: EXPORT/IMPORT_SYNC_FILE (bit 0) always, TIMELINE
	 * (bit 1) on kernels that know it (later than 6.12). The core's uapi,
	 * not the driver's: probed once.
	 */
	uint32_t syncobj_fd_flags;
};

struct fz_shared;

/* One stream's state: its files, pools and the current op's generator. */
struct fz_state {
	const struct fz_opts *opts;
	struct fz_shared *sh;
	const struct fz_limits *lim;
	unsigned int stream;
	uint64_t op_index;
	struct fz_file f[FZ_FILES];
	int dmabuf[FZ_MAX_DMABUF];
	unsigned int ndmabuf;
	struct fz_map maps[FZ_MAX_MAPS];
	unsigned int nmaps;
	uint8_t *arena;			/* FZ_ARENA bytes for user arrays, a guard page after */
	size_t arena_used;		/* reset by each op */
	bool arena_tail;		/* an array sits against the guard page (this op) */
	struct acts_rand r;		/* the current op's generator */
	uint64_t ioctls;		/* this stream's count */
	/* Trace: each op describes what it issued (replays and reproducers). */
	bool trace;
	char desc[1024];
	size_t desc_len;
	/* The first rule the current op broke, "" when none. */
	char violation[512];
};

/* ---- values (fz_values.c) ---- */
uint64_t fz_below(struct fz_state *s, uint64_t bound);
bool fz_chance(struct fz_state *s, unsigned int percent);
uint64_t fz_u64(struct fz_state *s);		/* a boundary value or a random one */
uint32_t fz_u32(struct fz_state *s);
uint32_t fz_pad(struct fz_state *s);		/* mostly 0: a must-be-zero field */
uint64_t fz_bo_size(struct fz_state *s);	/* sizes around pages and the budget */
/*
 * A user pointer to a copy of bytes of src in the stream's arena (now and
 * then misaligned), or a bad one: *bad when unreadable, *readable how many
 * bytes can be read from it before the guard page.
 */
uint64_t fz_user(struct fz_state *s, const void *src, size_t bytes, bool *bad,
		 uint64_t *readable);
/* A count: small mostly, huge sometimes. */
uint32_t fz_count(struct fz_state *s, uint32_t typical);
/* Handles: live (of file k), closed, foreign (of the other file), junk. */
uint32_t fz_pick_bo(struct fz_state *s, unsigned int k);
uint32_t fz_pick_sync(struct fz_state *s, unsigned int k);
uint32_t fz_pick_ctx(struct fz_state *s, unsigned int k);
/* A deadline on CLOCK_MONOTONIC: past, now, a few ms ahead, or odd values. */
int64_t fz_deadline(struct fz_state *s);
int64_t fz_now_ns(void);

/* ---- state (fz_state.c) ---- */
int fz_state_init(struct fz_state *s, const struct fz_opts *o, struct fz_shared *sh,
		  const struct fz_limits *lim, unsigned int stream);
void fz_state_fini(struct fz_state *s);
int fz_file_open(struct fz_state *s, unsigned int k);
void fz_file_close(struct fz_state *s, unsigned int k);
int fz_limits_read(const char *device, struct fz_limits *lim);
bool fz_bo_live(const struct fz_file *f, uint32_t h, uint64_t *size);
bool fz_sync_live(const struct fz_file *f, uint32_t h);
bool fz_ctx_live(const struct fz_file *f, uint32_t id);
bool fz_offset_live(const struct fz_file *f, uint64_t off, uint64_t *size);
void fz_bo_add(struct fz_state *s, unsigned int k, uint32_t h);
void fz_bo_del(struct fz_file *f, uint32_t h);
/* A live BO of file k to map or run a job on (mostly small ones); -1: none. */
int fz_pick_live_bo(struct fz_state *s, unsigned int k);
void fz_sync_add(struct fz_file *f, uint32_t h);
void fz_sync_del(struct fz_file *f, uint32_t h);
void fz_ctx_add(struct fz_file *f, uint32_t id);
void fz_ctx_del(struct fz_file *f, uint32_t id);
/* Wait for every BO of every file to go idle; 0, or -ETIME when one did not. */
int fz_drain(struct fz_state *s, char *why, size_t len);

/* ---- ops (fz_ops*.c) ---- */
struct fz_op {
	const char *name;
	unsigned int weight;
	void (*run)(struct fz_state *s);
};
/* The tables, joined in fz_ops.c: driver ioctls, DRM core ioctls, process-level ops. */
const char *fz_op_name(unsigned int i);
extern const struct fz_op fz_ops_refaccel[], fz_ops_drm[], fz_ops_proc[];
extern const unsigned int fz_nops_refaccel, fz_nops_drm, fz_nops_proc;
/* Run one op from its seed; returns its table index. */
unsigned int fz_op_run(struct fz_state *s, uint64_t op_seed);
/* Every ioctl goes through here: counted, and traced. 0 or -errno. */
int fz_ioctl(struct fz_state *s, int fd, unsigned long req, void *arg);
/* Add to the current op's description (trace mode only). */
void fz_log(struct fz_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The op broke a rule when ret == 0 and must_fail: record why. */
void fz_expect_fail(struct fz_state *s, int ret, bool must_fail, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- command-stream rules (fz_model.c) ---- */
/*
 * Is this command stream one the uapi says the driver must refuse on this
 * engine, over BOs of these sizes? Sound only: false when unsure. why gets
 * the rule.
 */
bool fz_cmds_invalid(const struct fz_limits *lim, const void *cmds, uint32_t size,
		     uint32_t engine, const uint32_t *bos, const uint64_t *bo_sizes,
		     uint32_t nbos, char *why, size_t len);

/* ---- oracle (fz_oracle.c) ---- */
enum fz_fail_kind {
	FZ_FAIL_NONE,
	FZ_FAIL_RULE,		/* an ioctl succeeded where the rules say it must fail */
	FZ_FAIL_KERNEL,		/* an Oops, BUG, WARN, lockdep or KASAN report */
	FZ_FAIL_HANG,		/* a fence not signalled well past the job timeout */
	FZ_FAIL_DIED,		/* a fuzzing process died */
	FZ_FAIL_LEAK,		/* device memory still in use after every file closed */
};

struct fz_shared {
	uint64_t ioctls;		/* all streams, atomically */
	int stop;
	int failed;			/* first failure wins */
	enum fz_fail_kind kind;
	unsigned int stream;
	uint64_t op_index;
	char msg[512];
	uint64_t ops_done[FZ_MAX_STREAMS];
	uint64_t capped_counts;		/* syncobj counts bounded below the core bug */
	uint64_t forks;
};

const char *fz_fail_name(enum fz_fail_kind k);
/* Record a failure (the first one is kept); stops the run. */
void fz_fail(struct fz_shared *sh, enum fz_fail_kind k, unsigned int stream, uint64_t op,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The kernel log from now on: a report line in it, or NULL. */
int fz_kmsg_open(void);
char *fz_kmsg_report(int fd);
/* Device memory in use once every file is closed; 0, or -ENOSPC with the figure. */
int fz_leak_check(const char *device, uint64_t *used);

/* ---- shrinker (fz_shrink.c) ---- */
/* The op seeds of a stream, 0..n-1. */
uint64_t *fz_stream_seeds(uint64_t seed, unsigned int stream, uint64_t n);
uint64_t fz_stream_seed(uint64_t seed, unsigned int stream);
/*
 * Replay ops[0..n) of a stream single-threaded in a fresh child; returns
 * true when it failed as the original did (a rule with the same text, or a
 * kernel report). print: trace each op to stdout.
 */
bool fz_replay(const struct fz_opts *o, const struct fz_limits *lim, unsigned int stream,
	       const uint64_t *idx, size_t n, const uint64_t *seeds, enum fz_fail_kind kind,
	       const char *want, bool print);
/* Shrink the failure recorded in sh; prints the reproducer. 0 when it reproduced. */
int fz_shrink(const struct fz_opts *o, const struct fz_limits *lim, const struct fz_shared *sh);

#endif
