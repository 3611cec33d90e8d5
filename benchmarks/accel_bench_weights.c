// SPDX-License-Identifier: MIT
/*
 * accel_bench_weights: loading LLM weights from a safetensors file into one
 * device BO per tensor, the way inference runtimes start up. Each strategy
 * is timed from the first BO creation until the last byte is in a BO, warm
 * (file in the page cache) and cold (evicted before every sample), and
 * every sample's tensors are checksummed against the file: a fast wrong
 * load is a failure.
 *
 *   read-into-bo      pread() of each tensor straight into its BO mapping
 *   mmap-memcpy       mmap of the file, memcpy of each tensor into its BO
 *   odirect-bounce    O_DIRECT reads of large aligned chunks into a bounce
 *                     buffer, memcpy into the BOs (cold only: O_DIRECT skips
 *                     the page cache). GEM shmem mappings are VM_PFNMAP, so
 *                     O_DIRECT cannot land in a BO mapping itself.
 *   threads           read-into-bo with the tensors shared among threads
 *   staging-copy      pread into one of two staging BOs while the COPY
 *                     engine moves the other into the tensors' BOs
 *   read-into-anon    read-into-bo with fresh anonymous memory instead of
 *                     BOs: what any loader pays for new memory (first
 *                     touch), so the ratio of read-into-bo to it is the
 *                     driver's own cost
 *   odirect-userptr   (devices with userptr BOs; cold) O_DIRECT reads of the
 *                     whole data section into one page-aligned anonymous
 *                     arena, then made into userptr BOs: the device uses the
 *                     memory the disk wrote, with no copy by the CPU
 *   odirect-userptr-pipelined
 *                     the same with several O_DIRECT reads in flight (one per
 *                     thread, --threads of them, each taking the next chunk)
 *   read-userptr      pread() (the page cache when warm) into the arena,
 *                     then userptr BOs: one copy, the kernel's
 *   read-userptr-threads
 *                     read-userptr with the chunks shared among threads
 *   odirect-userptr-reused
 *                     odirect-userptr into an arena kept from one load to the
 *                     next with its userptr BOs (a loader's pool, made the
 *                     device's once): no first touch, no pinning. The arena
 *                     is poisoned after each load's checksum, outside the
 *                     timing, so a load that reads nothing fails
 *   odirect-userptr-pipelined-reused
 *                     odirect-userptr-pipelined into the kept arena and BOs
 *   read-userptr-reused, read-userptr-threads-reused
 *                     read-userptr and read-userptr-threads into the kept
 *                     arena and BOs
 *
 * Except in the -reused loads, the arena is fresh memory in every load, as a
 * loader's would be (first touch included, as in read-into-anon), backed by
 * transparent huge pages where the kernel has them. The tensors are
 * checksummed in the arena, which is the BOs' memory (MEM-USERPTR-1).
 *
 * Limits in the same run, on the same file: page-cache read() (warm) and
 * O_DIRECT sequential read after eviction (cold), each a chunk at a time
 * into resident memory of the data section's size (the kept arena), and
 * memcpy between prefaulted buffers (the limit of both); with userptr BOs,
 * also the first touch of a fresh arena (what a userptr load pays besides
 * the read). Every load is paired with a read of its limit taken a moment
 * after it (measure()), and its ratio is to the median of those reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "acts_backend.h"
#include "acts_caps.h"
#include "acts_device.h"
#include "acts_fence.h"
#include "acts_gem.h"
#include "acts_submit.h"
#include "bench.h"
#include "safetensors.h"

#define MiB (1024ull * 1024)
#define CHUNK (8 * MiB)		/* read size of the limits, O_DIRECT and staging */
#define DIRECT_ALIGN 4096

struct ctx {
	struct acts_dev *dev;
	struct bench_env env;
	json_object *records;
	int cpu;
	unsigned int samples;
	unsigned int threads;
	long page;
	long ncpu;		/* online CPUs, asked once: sysconf() reads sysfs each time */

	const char *path;
	int fd;
	struct st_file st;
	uint64_t *sums;		/* expected checksum of each tensor */
	uint64_t bytes;		/* the data section */
	bool can_copy;
	uint64_t max_bo;	/* largest BO, page aligned (userptr arenas are split by it) */
	uint8_t *pool;		/* the arena the -reused loads keep between loads */
	uint64_t pool_len;
	uint32_t *pool_bo;	/* and its userptr BOs, made once as a loader's pool is */
	size_t pool_nbo;
	uint32_t job_ctx;
	uint64_t max_job_bos;
	/* Every read of the two read limits in the run, warm [0] and cold [1]. */
	struct limit_reads {
		double *v;
		size_t n, cap;
	} reads[2];
};

/* The BOs of one load, one per tensor (none for an empty tensor). */
struct load {
	uint32_t *handle;
	uint8_t **map;
	bool anon;		/* fresh anonymous memory stands in for the BOs */
	/* Userptr loads: the arena holding [arena_start, arena_start + arena_len) of the file. */
	uint8_t *arena;
	uint64_t arena_start, arena_len;
	uint32_t *arena_bo;	/* its userptr BOs, each at most the largest BO */
	size_t arena_nbo;
	bool arena_reused;	/* the context's pooled arena: poisoned, not unmapped */
};

static void die(const char *what, int err)
{
	fprintf(stderr, "accel_bench_weights: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static void *zalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		die("out of memory", ENOMEM);
	return p;
}

static uint64_t tensor_size(const struct st_tensor *t)
{
	return t->end - t->begin;
}

static off_t file_off(struct ctx *c, const struct st_tensor *t)
{
	return (off_t)(c->st.data_start + t->begin);
}

/* The end of the data section in the file. */
static uint64_t c_data_end(const struct ctx *c)
{
	return c->st.data_start + c->bytes;
}

/*
 * Read through a bounce buffer: for a file system that cannot read straight
 * into a BO mapping (9p's zero-copy reads pin user pages, which a GEM shmem
 * mapping, VM_PFNMAP, does not have: EFAULT).
 */
static void pread_bounced(int fd, uint8_t *p, uint64_t len, off_t off)
{
	static atomic_bool told;
	const size_t size = 1 << 20;
	uint8_t *bounce = malloc(size);	/* its own: the threads strategy reads in parallel */

	if (!bounce)
		die("a bounce buffer", ENOMEM);
	if (!atomic_exchange(&told, true)) {
		fprintf(stderr, "note: this file system cannot read into a BO mapping (EFAULT); "
			"reading through a bounce buffer, whose copy the figures include\n");
	}
	while (len) {
		size_t chunk = len < size ? (size_t)len : size;
		ssize_t r = pread(fd, bounce, chunk, off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			die("reading the model", r < 0 ? errno : EIO);
		memcpy(p, bounce, (size_t)r);
		p += r;
		len -= (uint64_t)r;
		off += r;
	}
	free(bounce);
}

static void pread_all(int fd, void *buf, uint64_t len, off_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t r = pread(fd, p, len, off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EFAULT) {
			pread_bounced(fd, p, len, off);
			return;
		}
		if (r <= 0)
			die("reading the model", r < 0 ? errno : EIO);
		p += r;
		len -= (uint64_t)r;
		off += r;
	}
}

static void *anon(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		die("anonymous mmap", errno);
	return p;
}

/* Create and map tensor i's BO (inside the timed region, as a loader would). */
static void bo_for(struct ctx *c, struct load *l, size_t i)
{
	uint64_t size = tensor_size(&c->st.tensors[i]);
	struct acts_bo_create args = { .size = size };
	void *p;
	int ret;

	if (!size || l->map[i])
		return;
	if (l->anon) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("anonymous mmap", errno);
		l->map[i] = p;
		return;
	}
	ret = __acts_bo_create(c->dev, &args);
	if (ret)
		die("creating a BO for a tensor", ret);
	ret = __acts_bo_mmap(c->dev, args.handle, size, 0, &p);
	if (ret)
		die("mapping a tensor's BO", ret);
	l->handle[i] = args.handle;
	l->map[i] = p;
}

static void load_init(struct ctx *c, struct load *l)
{
	*l = (struct load){
		.handle = zalloc(c->st.n * sizeof(*l->handle)),
		.map = zalloc(c->st.n * sizeof(*l->map)),
	};
}

/* Checksum every tensor against the file. */
static void load_check(struct ctx *c, struct load *l, const char *strategy)
{
	size_t i;

	for (i = 0; i < c->st.n; i++) {
		uint64_t size = tensor_size(&c->st.tensors[i]);
		const uint8_t *data = l->arena ? l->arena + (file_off(c, &c->st.tensors[i]) -
							      l->arena_start) : l->map[i];

		if (size && st_checksum(data, size) != c->sums[i]) {
			fprintf(stderr, "accel_bench_weights: %s loaded tensor '%s' wrong: its bytes "
				"differ from the file's\n", strategy, c->st.tensors[i].name);
			exit(1);
		}
	}
}

/* Free the load's BOs and memory; a kept arena is poisoned instead. */
static void load_free(struct ctx *c, struct load *l)
{
	size_t i;

	for (i = 0; i < c->st.n && !l->arena; i++) {
		uint64_t size = tensor_size(&c->st.tensors[i]);

		if (!size)
			continue;
		munmap(l->map[i], size);
		if (!l->anon)
			__acts_gem_close(c->dev, l->handle[i]);
	}
	for (i = 0; i < l->arena_nbo; i++)
		__acts_gem_close(c->dev, l->arena_bo[i]);
	if (l->arena_reused)
		memset(l->arena, 0xa5, l->arena_len);
	else if (l->arena)
		munmap(l->arena, l->arena_len);
	free(l->arena_bo);
	free(l->handle);
	free(l->map);
}

static void load_read(struct ctx *c, struct load *l)
{
	size_t i;

	for (i = 0; i < c->st.n; i++) {
		bo_for(c, l, i);
		if (l->map[i])
			pread_all(c->fd, l->map[i], tensor_size(&c->st.tensors[i]),
				  file_off(c, &c->st.tensors[i]));
	}
}

static void load_anon(struct ctx *c, struct load *l)
{
	l->anon = true;
	load_read(c, l);
}

static void load_mmap(struct ctx *c, struct load *l)
{
	uint64_t len = c->st.data_start + c->bytes;
	uint8_t *file = mmap(NULL, len, PROT_READ, MAP_SHARED, c->fd, 0);
	size_t i;

	if (file == MAP_FAILED)
		die("mapping the model file", errno);
	for (i = 0; i < c->st.n; i++) {
		bo_for(c, l, i);
		if (l->map[i])
			memcpy(l->map[i], file + file_off(c, &c->st.tensors[i]),
			       tensor_size(&c->st.tensors[i]));
	}
	munmap(file, len);
}

/*
 * Copy the part of the data section [pos, pos + len) held in buf into the
 * tensors it overlaps. first is the first tensor that may overlap; returns
 * the first tensor that ends after this piece.
 */
static size_t scatter(struct ctx *c, struct load *l, size_t first, const uint8_t *buf,
		      uint64_t pos, uint64_t len)
{
	size_t i;

	for (i = first; i < c->st.n; i++) {
		const struct st_tensor *t = &c->st.tensors[i];
		uint64_t from = t->begin > pos ? t->begin : pos;
		uint64_t to = t->end < pos + len ? t->end : pos + len;

		if (t->begin >= pos + len)
			break;
		bo_for(c, l, i);
		if (to > from)
			memcpy(l->map[i] + (from - t->begin), buf + (from - pos), to - from);
		if (t->end > pos + len)
			break;
	}
	return i;
}

static int open_direct(struct ctx *c)
{
	int fd = open(c->path, O_RDONLY | O_DIRECT | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* O_DIRECT reads of aligned chunks covering the data section, then scatter. */
static void load_direct(struct ctx *c, struct load *l)
{
	uint64_t start = c->st.data_start & ~(uint64_t)(DIRECT_ALIGN - 1);
	uint64_t end = c->st.data_start + c->bytes, at;
	uint8_t *buf = anon(CHUNK);
	int fd = open_direct(c);
	size_t next = 0;

	if (fd < 0)
		die("opening the model with O_DIRECT", fd);
	for (at = start; at < end; at += CHUNK) {
		ssize_t r = pread(fd, buf, CHUNK, (off_t)at);
		uint64_t lo = at < c->st.data_start ? c->st.data_start : at;
		uint64_t hi = at + (uint64_t)(r > 0 ? r : 0);

		if (r < 0)
			die("an O_DIRECT read of the model", errno);
		if (hi > end)
			hi = end;
		if (hi <= lo)
			die("an O_DIRECT read of the model came back short", EIO);
		next = scatter(c, l, next, buf + (lo - at), lo - c->st.data_start, hi - lo);
	}
	close(fd);
	munmap(buf, CHUNK);
}

struct worker {
	pthread_t thread;
	struct ctx *c;
	struct load *l;
	unsigned int index;
	int cpu;
};

/* Tensors go to threads round robin by index: similar byte counts, interleaved in the file. */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct ctx *c = w->c;
	size_t i;

	if (w->cpu >= 0)
		bench_pin(w->cpu);
	for (i = w->index; i < c->st.n; i += c->threads) {
		bo_for(c, w->l, i);
		if (w->l->map[i])
			pread_all(c->fd, w->l->map[i], tensor_size(&c->st.tensors[i]),
				  file_off(c, &c->st.tensors[i]));
	}
	return NULL;
}

/* The CPU of a load's thread i: the next ones after --cpu, round the online CPUs. */
static int thread_cpu(const struct ctx *c, unsigned int i)
{
	return c->ncpu > 0 ? (int)((c->cpu + i) % c->ncpu) : -1;
}

static void load_threads(struct ctx *c, struct load *l)
{
	struct worker *w = zalloc(c->threads * sizeof(*w));
	unsigned int i;

	for (i = 0; i < c->threads; i++) {
		w[i] = (struct worker){ .c = c, .l = l, .index = i,
					.cpu = thread_cpu(c, i) };
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]))
			die("starting a loader thread", errno);
	}
	for (i = 0; i < c->threads; i++)
		pthread_join(w[i].thread, NULL);
	bench_pin(c->cpu);
	free(w);
}

/*
 * Two staging BOs; while the COPY engine drains one, the CPU fills the
 * other. done[k]: the fence of the last job that reads staging BO k.
 */
struct staging {
	uint32_t bo[2];
	struct acts_fence done[2];
	uint8_t *map[2];
	bool busy[2];
};

static void staging_wait(struct ctx *c, struct staging *s, int k)
{
	int ret;

	if (!s->busy[k])
		return;
	ret = __acts_fence_wait(c->dev, &s->done[k], acts_deadline_ms(60000));
	if (ret)
		die("waiting for a staging COPY", ret);
	/* A failed COPY shows in the tensors' checksums; the fence is freed either way. */
	acts_fence_release(c->dev, &s->done[k]);
	s->busy[k] = false;
}

/* Submit COPYs of staging buffer k, holding [pos, pos + len) of the data, into the tensors. */
static size_t staging_submit(struct ctx *c, struct load *l, struct staging *s, int k,
			     size_t first, uint64_t pos, uint64_t len)
{
	size_t max = c->max_job_bos - 1, i = first, n;
	struct acts_cmd *cmds = zalloc(max * sizeof(*cmds));
	uint32_t *bos = zalloc((max + 1) * sizeof(*bos));

	while (i < c->st.n && c->st.tensors[i].begin < pos + len) {
		struct acts_job job = {
			.ctx = c->job_ctx, .engine = ACTS_ENGINE_COPY, .cmds = cmds, .bos = bos,
		};
		int ret;

		bos[0] = s->bo[k];
		for (n = 0; n < max && i < c->st.n && c->st.tensors[i].begin < pos + len; i++) {
			const struct st_tensor *t = &c->st.tensors[i];
			uint64_t from = t->begin > pos ? t->begin : pos;
			uint64_t to = t->end < pos + len ? t->end : pos + len;

			if (to > from) {
				bo_for(c, l, i);
				bos[n + 1] = l->handle[i];
				cmds[n] = (struct acts_cmd){
					.op = ACTS_CMD_COPY, .src = 0, .bo = (uint32_t)n + 1,
					.src_offset = from - pos, .offset = from - t->begin,
					.size = to - from,
				};
				n++;
			}
			if (t->end > pos + len)
				break;
		}
		if (!n)
			break;
		/*
		 * Jobs on one context run in order: the last one's fence covers
		 * them all, so an earlier job's is freed unwaited (the job keeps
		 * its own reference to what signals it).
		 */
		job.ncmds = (unsigned int)n;
		job.nbos = (unsigned int)n + 1;
		ret = __acts_submit(c->dev, &job);
		if (ret)
			die("submitting staging COPYs", ret);
		acts_fence_release(c->dev, &s->done[k]);
		s->done[k] = job.fence;
		s->busy[k] = true;
		if (i < c->st.n && c->st.tensors[i].end > pos + len)
			break;
	}
	free(cmds);
	free(bos);
	return i;
}

static void load_staging(struct ctx *c, struct load *l)
{
	uint64_t chunk = c->bytes < CHUNK ? c->bytes : CHUNK, pos;
	struct staging s = { 0 };
	size_t next = 0;
	int k;

	for (k = 0; k < 2; k++) {
		struct acts_bo_create args = { .size = chunk };
		void *p;
		int ret = __acts_bo_create(c->dev, &args);

		if (!ret)
			ret = __acts_bo_mmap(c->dev, args.handle, chunk, 0, &p);
		if (ret)
			die("creating a staging BO", ret);
		s.bo[k] = args.handle;
		s.map[k] = p;
	}
	for (pos = 0, k = 0; pos < c->bytes; pos += chunk, k ^= 1) {
		uint64_t len = c->bytes - pos < chunk ? c->bytes - pos : chunk;

		staging_wait(c, &s, k);
		pread_all(c->fd, s.map[k], len, (off_t)(c->st.data_start + pos));
		next = staging_submit(c, l, &s, k, next, pos, len);
	}
	for (k = 0; k < 2; k++) {
		staging_wait(c, &s, k);
		munmap(s.map[k], chunk);
		__acts_gem_close(c->dev, s.bo[k]);
	}
}

/* Drop the file from the page cache; false if the kernel kept most of it. */
static bool evict(struct ctx *c)
{
	uint64_t len = c->st.data_start + c->bytes, pages = (len + c->page - 1) / c->page, in = 0, i;
	unsigned char *vec = zalloc(pages);
	void *map;
	int fd;

	fdatasync(c->fd);
	posix_fadvise(c->fd, 0, 0, POSIX_FADV_DONTNEED);
	/* As root, drop the clean page cache too; otherwise fadvise must do, and mincore judges. */
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0)
			fprintf(stderr, "accel_bench_weights: drop_caches: %s\n", strerror(errno));
		close(fd);
	}
	map = mmap(NULL, len, PROT_READ, MAP_SHARED, c->fd, 0);
	if (map == MAP_FAILED || mincore(map, len, vec))
		die("checking what of the model is cached", errno);
	for (i = 0; i < pages; i++)
		in += vec[i] & 1;
	munmap(map, len);
	free(vec);
	return in * 20 < pages;		/* under 5% resident */
}

static double gbps(uint64_t bytes, int64_t ns)
{
	return (double)bytes / (double)(ns > 0 ? ns : 1);
}

/* The page-aligned span of the file an arena holds: the data section, whole pages. */
static void arena_span(const struct ctx *c, uint64_t *start, uint64_t *len)
{
	*start = c->st.data_start & ~(uint64_t)(c->page - 1);
	*len = (c_data_end(c) - *start + c->page - 1) & ~(uint64_t)(c->page - 1);
}

/*
 * The context's arena, made resident on first use: the -reused loads keep it
 * as a loader's pool, and the read limits read into it, so a limit and a
 * load write the same memory.
 */
static uint8_t *pool_arena(struct ctx *c)
{
	uint64_t start, at;

	if (c->pool)
		return c->pool;
	arena_span(c, &start, &c->pool_len);
	c->pool = mmap(NULL, c->pool_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (c->pool == MAP_FAILED)
		die("mapping the arena", errno);
	madvise(c->pool, c->pool_len, MADV_HUGEPAGE);	/* as every arena is */
	for (at = 0; at < c->pool_len; at += (uint64_t)c->page)
		c->pool[at] = 0xa5;
	return c->pool;
}

/*
 * One sequential read of the data section, a chunk at a time, into resident
 * memory of its size (the pool arena): the read limits' GB/s. Reading into
 * memory of the model's size, not again and again into one chunk that stays
 * in the caches, is the least any load pays.
 */
static double read_pass(struct ctx *c, int fd)
{
	uint8_t *buf = pool_arena(c);
	uint64_t start, len, at, got = 0;
	int64_t t0 = bench_now_ns();
	ssize_t r = 0;

	arena_span(c, &start, &len);
	for (at = 0; at < len && start + at < c_data_end(c); at += (uint64_t)r) {
		r = pread(fd, buf + at, len - at < CHUNK ? len - at : CHUNK, (off_t)(start + at));
		if (r <= 0)
			die("a sequential read of the model", r < 0 ? errno : EIO);
		got += (uint64_t)r;
	}
	return gbps(got, bench_now_ns() - t0);
}

static json_object *bytes_param(struct ctx *c)
{
	json_object *p = json_object_new_object();

	json_object_object_add(p, "bytes", json_object_new_int64((int64_t)c->bytes));
	return p;
}

static void limit_read_keep(struct ctx *c, bool cold, double gbps)
{
	struct limit_reads *r = &c->reads[cold];

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		if (!r->v)
			die("out of memory", ENOMEM);
	}
	r->v[r->n++] = gbps;
}

/*
 * The limit alone, before any load. Its record, the plots' bar, is made at
 * the end from these reads and every read paired with a load (measure()),
 * so it stands for the limit over the whole run, as the loads' ratios do.
 */
static void limit_read(struct ctx *c, bool cold)
{
	int fd = cold ? open_direct(c) : c->fd;
	unsigned int i;

	if (fd < 0)
		die("opening the model with O_DIRECT", fd);
	if (!cold)
		read_pass(c, fd);
	for (i = 0; i < c->samples; i++) {
		if (cold)
			evict(c);
		limit_read_keep(c, cold, read_pass(c, fd));
	}
	if (cold)
		close(fd);
}

static void limit_read_record(struct ctx *c, bool cold, const struct bench_stats *copy)
{
	struct limit_reads *r = &c->reads[cold];
	struct bench_stats st;

	if (!r->n)
		return;
	bench_stats_compute(r->v, r->n, &st);
	bench_record(c->records, &c->env, cold ? "odirect-read-cold" : "page-cache-read",
		     bytes_param(c), "GB/s", &st, "memcpy", copy->median, true, c->cpu);
	free(r->v);
	*r = (struct limit_reads){ 0 };
}

/* memcpy between two prefaulted buffers, as many bytes as the model holds. */
static void limit_memcpy(struct ctx *c, struct bench_stats *st)
{
	struct bench_copy_buffers cb;
	double *s = zalloc(c->samples * sizeof(*s));
	unsigned int i;
	int ret = bench_copy_buffers(CHUNK, &cb);

	if (ret)
		die("mapping the memcpy limit's buffers", ret);
	memset(cb.src, 0x3c, CHUNK);
	for (i = 0; i < c->samples + 1; i++) {
		int64_t t0 = bench_now_ns();
		uint64_t at;

		for (at = 0; at < c->bytes; at += CHUNK)
			memcpy(cb.dst, cb.src, c->bytes - at < CHUNK ? c->bytes - at : CHUNK);
		if (i)
			s[i - 1] = gbps(c->bytes, bench_now_ns() - t0);
	}
	bench_copy_buffers_free(&cb);
	bench_stats_compute(s, c->samples, st);
	free(s);
}

/*
 * Userptr loads: read the data section into a fresh page-aligned arena
 * (O_DIRECT or the page cache), by one thread or several, each read a
 * CHUNK; then make the arena into userptr BOs.
 */
struct arena_reader {
	pthread_t thread;
	struct ctx *c;
	struct load *l;
	int fd;
	atomic_uint_fast64_t *next;	/* the next chunk to read, shared */
	int cpu;
};

/* Read [off, off + len) of the file to p; the arena may end past the file. */
static void arena_read(struct ctx *c, int fd, uint8_t *p, uint64_t len, uint64_t off)
{
	while (len && off < c_data_end(c)) {
		ssize_t got = pread(fd, p, len, (off_t)off);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			die("reading the model into the arena", errno);
		if (!got)
			die("a read of the model into the arena came back short", EIO);
		p += got;
		len -= (uint64_t)got;
		off += (uint64_t)got;
	}
}

static void *arena_reader_main(void *arg)
{
	struct arena_reader *r = arg;
	struct load *l = r->l;

	if (r->cpu >= 0)
		bench_pin(r->cpu);
	for (;;) {
		uint64_t at = atomic_fetch_add(r->next, CHUNK), len;

		if (at >= l->arena_len)
			break;
		len = l->arena_len - at < CHUNK ? l->arena_len - at : CHUNK;
		arena_read(r->c, r->fd, l->arena + at, len, l->arena_start + at);
	}
	return NULL;
}

static void load_userptr(struct ctx *c, struct load *l, bool direct, unsigned int nthreads,
			 bool reuse)
{
	uint64_t max = c->max_bo, at;
	struct arena_reader *r = zalloc(nthreads * sizeof(*r));
	atomic_uint_fast64_t next = 0;
	unsigned int i;
	int fd = direct ? open_direct(c) : c->fd;
	void *p;

	if (fd < 0)
		die("opening the model with O_DIRECT", fd);
	arena_span(c, &l->arena_start, &l->arena_len);
	if (reuse) {
		p = pool_arena(c);
		l->arena_reused = true;
	} else {
		p = mmap(NULL, l->arena_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
		if (p == MAP_FAILED)
			die("mapping the arena", errno);
		madvise(p, l->arena_len, MADV_HUGEPAGE);	/* fewer faults; ignored without THP */
	}
	l->arena = p;
	for (i = 0; i < nthreads; i++) {
		r[i] = (struct arena_reader){ .c = c, .l = l, .fd = fd, .next = &next,
					      .cpu = thread_cpu(c, i) };
		if (nthreads == 1)
			arena_reader_main(&r[i]);
		else if (pthread_create(&r[i].thread, NULL, arena_reader_main, &r[i]))
			die("starting a reader thread", errno);
	}
	if (nthreads > 1) {
		for (i = 0; i < nthreads; i++)
			pthread_join(r[i].thread, NULL);
		bench_pin(c->cpu);
	}
	free(r);
	if (direct)
		close(fd);
	if (reuse && c->pool_bo)
		return;	/* the pool is the device's already */
	/* The arena becomes the device's: BOs of at most the largest size, in order. */
	l->arena_nbo = (size_t)((l->arena_len + max - 1) / max);
	l->arena_bo = zalloc(l->arena_nbo * sizeof(*l->arena_bo));
	for (at = 0, i = 0; at < l->arena_len; at += max, i++) {
		struct acts_bo_userptr u = {
			.user_ptr = (uintptr_t)(l->arena + at),
			.size = l->arena_len - at < max ? l->arena_len - at : max,
		};
		int ret = __acts_bo_create_userptr(c->dev, &u);

		if (ret)
			die("making the arena a userptr BO", ret);
		l->arena_bo[i] = u.handle;
	}
	if (reuse) {
		/* The pool's BOs outlive the load, as its memory does. */
		c->pool_bo = l->arena_bo;
		c->pool_nbo = l->arena_nbo;
		l->arena_bo = NULL;
		l->arena_nbo = 0;
	}
}

static void load_odirect_userptr(struct ctx *c, struct load *l)
{
	load_userptr(c, l, true, 1, false);
}

static void load_odirect_userptr_pipelined(struct ctx *c, struct load *l)
{
	load_userptr(c, l, true, c->threads, false);
}

static void load_read_userptr(struct ctx *c, struct load *l)
{
	load_userptr(c, l, false, 1, false);
}

static void load_read_userptr_threads(struct ctx *c, struct load *l)
{
	load_userptr(c, l, false, c->threads, false);
}

static void load_odirect_userptr_reused(struct ctx *c, struct load *l)
{
	load_userptr(c, l, true, 1, true);
}

static void load_odirect_userptr_pipelined_reused(struct ctx *c, struct load *l)
{
	load_userptr(c, l, true, c->threads, true);
}

static void load_read_userptr_reused(struct ctx *c, struct load *l)
{
	load_userptr(c, l, false, 1, true);
}

static void load_read_userptr_threads_reused(struct ctx *c, struct load *l)
{
	load_userptr(c, l, false, c->threads, true);
}

/*
 * Fresh arena memory made resident, as the userptr loads get it (huge pages
 * where the kernel has them): what they pay on top of the read, which the
 * read limits, reading again and again into one buffer, do not.
 */
static void limit_first_touch(struct ctx *c, struct bench_stats *st)
{
	uint64_t len = (c->bytes + (uint64_t)c->page - 1) & ~(uint64_t)(c->page - 1);
	double *s = zalloc(c->samples * sizeof(*s));
	unsigned int i;

	for (i = 0; i < c->samples + 1; i++) {
		int64_t t0 = bench_now_ns();
		volatile uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t at;

		if (p == MAP_FAILED)
			die("mapping an arena", errno);
		madvise((void *)p, len, MADV_HUGEPAGE);
		for (at = 0; at < len; at += (uint64_t)c->page)
			p[at] = 1;
		if (i)
			s[i - 1] = gbps(len, bench_now_ns() - t0);
		munmap((void *)p, len);
	}
	bench_stats_compute(s, c->samples, st);
	free(s);
}

struct strategy {
	const char *name;
	void (*load)(struct ctx *c, struct load *l);
	bool warm, cold;
	bool needs_copy;
	bool needs_userptr;
	bool threaded;		/* takes --threads */
};

static const struct strategy strategies[] = {
	{ "read-into-bo", load_read, true, true },
	{ "mmap-memcpy", load_mmap, true, true },
	{ "odirect-bounce", load_direct, false, true },
	{ "threads", load_threads, true, true, .threaded = true },
	{ "staging-copy", load_staging, true, true, .needs_copy = true },
	{ "read-into-anon", load_anon, true, true },
	{ "odirect-userptr", load_odirect_userptr, false, true, .needs_userptr = true },
	{ "odirect-userptr-pipelined", load_odirect_userptr_pipelined, false, true,
	  .needs_userptr = true, .threaded = true },
	{ "read-userptr", load_read_userptr, true, true, .needs_userptr = true },
	{ "read-userptr-threads", load_read_userptr_threads, true, true, .needs_userptr = true,
	  .threaded = true },
	{ "odirect-userptr-reused", load_odirect_userptr_reused, false, true,
	  .needs_userptr = true },
	{ "odirect-userptr-pipelined-reused", load_odirect_userptr_pipelined_reused, false, true,
	  .needs_userptr = true, .threaded = true },
	{ "read-userptr-reused", load_read_userptr_reused, true, true, .needs_userptr = true },
	{ "read-userptr-threads-reused", load_read_userptr_threads_reused, true, true,
	  .needs_userptr = true, .threaded = true },
};

static json_object *load_params(struct ctx *c, const struct strategy *s, bool cold)
{
	json_object *p = json_object_new_object();

	json_object_object_add(p, "strategy", json_object_new_string(s->name));
	json_object_object_add(p, "cache", json_object_new_string(cold ? "cold" : "warm"));
	json_object_object_add(p, "bytes", json_object_new_int64((int64_t)c->bytes));
	json_object_object_add(p, "tensors", json_object_new_int64((int64_t)c->st.n));
	if (s->threaded)
		json_object_object_add(p, "threads", json_object_new_int((int)c->threads));
	return p;
}

/*
 * One warm-up load, then the samples; every load is checked. Each load is
 * paired with a read of its limit, taken under the same cache state right
 * after the load's checksum, so the ratio compares the two a moment apart:
 * a guest's disk and memory drift by tens of percent over seconds. The read
 * comes before the load's memory is freed, and the next load after it: a
 * load pays whatever its predecessor's teardown leaves behind, the limit
 * does not get to.
 */
static void measure(struct ctx *c, const struct strategy *s, bool cold, struct bench_stats *st,
		    struct bench_stats *lim)
{
	double *v = zalloc(c->samples * sizeof(*v)), *u = zalloc(c->samples * sizeof(*u));
	int fd = cold ? open_direct(c) : c->fd;
	unsigned int i;

	if (fd < 0)
		die("opening the model with O_DIRECT", fd);
	if (!cold)
		read_pass(c, fd);	/* the file into the page cache */
	for (i = 0; i < c->samples + 1; i++) {
		struct load l;
		double load, read;
		int64_t t0;

		if (cold && !evict(c))
			die("the kernel kept the model cached after eviction", EBUSY);
		load_init(c, &l);
		t0 = bench_now_ns();
		s->load(c, &l);
		load = gbps(c->bytes, bench_now_ns() - t0);
		/* Before the limit's read, which writes the kept arena with the right bytes. */
		load_check(c, &l, s->name);
		if (cold && !evict(c))
			die("the kernel kept the model cached after eviction", EBUSY);
		read = read_pass(c, fd);
		load_free(c, &l);
		if (i) {
			v[i - 1] = load;
			u[i - 1] = read;
			limit_read_keep(c, cold, read);
		}
	}
	if (cold)
		close(fd);
	bench_stats_compute(v, c->samples, st);
	bench_stats_compute(u, c->samples, lim);
	free(v);
	free(u);
}

/* Open the model, check its header, and learn each tensor's checksum. */
static void open_model(struct ctx *c)
{
	char err[256];
	uint8_t *buf = NULL;
	uint64_t cap = 0;
	size_t i;
	int ret;

	struct stat st;

	/* Not blocking on a FIFO: anything but a regular file is refused. */
	c->fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (c->fd < 0) {
		fprintf(stderr, "accel_bench_weights: %s: %s\n", c->path, strerror(errno));
		exit(2);
	}
	if (fstat(c->fd, &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "accel_bench_weights: %s is not a regular file\n", c->path);
		exit(2);
	}
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) & ~O_NONBLOCK);
	ret = st_read(c->fd, &c->st, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "accel_bench_weights: %s is not a usable safetensors file: %s\n",
			c->path, err);
		exit(2);
	}
	c->bytes = c->st.data_size;
	if (!c->bytes) {
		fprintf(stderr, "accel_bench_weights: %s holds no tensor data\n", c->path);
		exit(2);
	}
	c->sums = zalloc(c->st.n * sizeof(*c->sums));
	for (i = 0; i < c->st.n; i++) {
		uint64_t size = tensor_size(&c->st.tensors[i]);

		if (size > cap) {
			free(buf);
			cap = size;
			buf = zalloc(cap);
		}
		pread_all(c->fd, buf, size, file_off(c, &c->st.tensors[i]));
		c->sums[i] = st_checksum(buf, size);
	}
	free(buf);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: accel_bench_weights [--device PATH] [--model FILE | --dir DIR] [--size MIB]\n"
		   "                           [--quick] [--samples N] [--threads N] [--cpu N] [--out FILE]\n"
		   "  --model FILE    load this safetensors file (default: write a synthetic model)\n"
		   "  --dir DIR       where the synthetic model is written (default $ACCEL_CTS_SCRATCH,\n"
		   "                  else /var/tmp, else /tmp); cold loads need a file system with\n"
		   "                  O_DIRECT whose page cache can be evicted (a disk, not tmpfs)\n"
		   "  --size MIB      size of the synthetic model (default 2048; --quick 256)\n"
		   "  --samples N     timed loads per figure after one warm-up (default 5; --quick 3)\n"
		   "  --threads N     threads of the threads strategy (default: online CPUs, at least 2)\n"
		   "  --cpu N         pin to CPU N (default 0)\n"
		   "  --strategies L  only the load strategies of the comma-separated list L\n"
		   "  --out FILE      write the JSON records there\n");
}

/* Is name one of the comma-separated list's items? */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (*list) {
		size_t len = strcspn(list, ",");

		if (len == n && !strncmp(list, name, n))
			return true;
		list += len + (list[len] == ',');
	}
	return false;
}

static unsigned long number(const char *opt, const char *arg, unsigned long min)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg == '-' || *end || v < min) {
		fprintf(stderr, "accel_bench_weights: %s '%s' is not a number of at least %lu\n",
			opt, arg, min);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' }, { "model", required_argument, NULL, 'M' },
		{ "dir", required_argument, NULL, 'D' }, { "size", required_argument, NULL, 's' },
		{ "quick", no_argument, NULL, 'q' }, { "samples", required_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 't' }, { "cpu", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
		{ "strategies", required_argument, NULL, 'S' }, { 0 },
	};
	const char *device = NULL, *out = NULL, *model = NULL, *dir = getenv("ACCEL_CTS_SCRATCH");
	const char *only = NULL;
	unsigned long size_mib = 0, samples = 0, threads = 0, cpu = 0;
	struct bench_stats lim_copy, lim_touch, lim, st;
	bool quick = false, cold_ok;
	char path[4096], err[256], no_copy[160] = "";
	struct ctx c = { 0 };
	int opt, direct;
	size_t i;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': device = optarg; break;
		case 'M': model = optarg; break;
		case 'D': dir = optarg; break;
		case 's': size_mib = number("--size", optarg, 1); break;
		case 'q': quick = true; break;
		case 'n': samples = number("--samples", optarg, 1); break;
		case 't': threads = number("--threads", optarg, 1); break;
		case 'c': cpu = number("--cpu", optarg, 0); break;
		case 'o': out = optarg; break;
		case 'S': only = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || (model && size_mib)) {
		if (model && size_mib)
			fprintf(stderr, "accel_bench_weights: --size is for the synthetic model, not --model\n");
		usage(stderr);
		return 2;
	}
	c.samples = samples ? (unsigned int)samples : quick ? 3 : 5;
	c.ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (!threads)
		threads = c.ncpu > 2 ? (unsigned long)c.ncpu : 2;
	c.threads = (unsigned int)threads;
	c.page = sysconf(_SC_PAGESIZE);

	/* A model of the user's is checked before anything else is asked of the machine. */
	if (model) {
		c.path = model;
		open_model(&c);
	}
	c.dev = bench_open_device(device, false);
	if (!c.dev) {
		fprintf(stderr, "accel_bench_weights: no device%s%s with a backend\n",
			device ? " at " : "", device ?: "");
		return device ? 2 : BENCH_EXIT_SKIP;
	}
	c.cpu = bench_pin((int)cpu);
	if (c.cpu < 0) {
		fprintf(stderr, "accel_bench_weights: cannot pin to CPU %lu\n", cpu);
		return 2;
	}
	bench_env_fill(&c.env, c.dev);
	/* Every strategy but read-into-anon loads into BO mappings. */
	if (!acts_has_cap(c.dev, ACTS_CAP_BO) || !acts_has_cap(c.dev, ACTS_CAP_GEM_MMAP)) {
		bench_skipped("weights", "%s cannot create and map BOs (needs capabilities %s and %s)",
			      c.env.label, acts_cap_name(ACTS_CAP_BO), acts_cap_name(ACTS_CAP_GEM_MMAP));
		acts_dev_close(c.dev);
		return BENCH_EXIT_SKIP;
	}

	if (!model) {
		uint64_t target = (size_mib ? size_mib : quick ? 256 : 2048) * MiB;

		if (!dir)
			dir = access("/var/tmp", W_OK) ? "/tmp" : "/var/tmp";
		snprintf(path, sizeof(path), "%s/accel-cts-model-%lluMiB.safetensors", dir,
			 (unsigned long long)(target / MiB));
		printf("writing a synthetic model of %llu MiB to %s\n",
		       (unsigned long long)(target / MiB), path);
		fflush(stdout);
		if (st_write_model(path, target, 0x5eed, err, sizeof(err))) {
			fprintf(stderr, "accel_bench_weights: %s\n", err);
			return 1;
		}
		model = path;
	}
	if (!c.path) {
		c.path = model;
		open_model(&c);
	}
	printf("model %s: %zu tensors, %.1f MiB of data\n", c.path, c.st.n,
	       (double)c.bytes / (double)MiB);

	if (!acts_has_engine(c.dev, ACTS_ENGINE_COPY)) {
		snprintf(no_copy, sizeof(no_copy), "%s runs no jobs on a COPY engine", c.env.label);
	} else if (__acts_query(c.dev, ACTS_Q_MAX_JOB_BOS, &c.max_job_bos) || c.max_job_bos < 2) {
		snprintf(no_copy, sizeof(no_copy), "%s's jobs cannot list two BOs", c.env.label);
	} else if (acts_has_cap(c.dev, ACTS_CAP_CONTEXTS)) {
		struct acts_ctx_create cc = { .priority = ACTS_PRIO_NORMAL };
		int ret = __acts_ctx_create(c.dev, &cc);

		if (ret)
			die("creating a context", ret);
		c.can_copy = true;
		c.job_ctx = cc.id;
	} else {
		c.can_copy = true;
		c.job_ctx = ACTS_CTX_IMPLICIT;	/* the file's own */
	}
	c.max_bo = 1ull << 30;
	if (!__acts_query(c.dev, ACTS_Q_MAX_BO_SIZE, &c.max_bo) && c.max_bo < (uint64_t)c.page)
		c.max_bo = (uint64_t)c.page;
	c.max_bo &= ~(uint64_t)(c.page - 1);
	direct = open_direct(&c);
	if (direct >= 0)
		close(direct);
	cold_ok = direct >= 0 && evict(&c);
	if (!cold_ok)
		fprintf(stderr, "accel_bench_weights: no cold figures: %s\n",
			direct < 0 ? "the model's file system refuses O_DIRECT (use --dir on a disk)"
				   : "the kernel keeps the model cached after eviction");

	c.records = json_object_new_array();
	limit_memcpy(&c, &lim_copy);
	limit_read(&c, false);
	if (acts_has_cap(c.dev, ACTS_CAP_USERPTR)) {
		limit_first_touch(&c, &lim_touch);
		bench_record(c.records, &c.env, "arena-first-touch", bytes_param(&c), "GB/s",
			     &lim_touch, "memcpy", lim_copy.median, true, c.cpu);
	}
	if (cold_ok)
		limit_read(&c, true);
	for (i = 0; i < sizeof(strategies) / sizeof(strategies[0]); i++) {
		const struct strategy *s = &strategies[i];
		int cold;

		if (only && !listed(only, s->name))
			continue;
		if (s->needs_copy && !c.can_copy) {
			bench_skipped(s->name, "%s", no_copy);
			continue;
		}
		if (s->needs_userptr && !acts_has_cap(c.dev, ACTS_CAP_USERPTR)) {
			bench_skipped(s->name, "%s cannot make BOs of user memory (needs capability %s)",
				      c.env.label, acts_cap_name(ACTS_CAP_USERPTR));
			continue;
		}
		for (cold = 0; cold < 2; cold++) {
			if (!(cold ? s->cold && cold_ok : s->warm))
				continue;
			measure(&c, s, cold, &st, &lim);
			bench_record(c.records, &c.env, "weight-load", load_params(&c, s, cold), "GB/s",
				     &st, cold ? "odirect-read-cold" : "page-cache-read", lim.median,
				     true, c.cpu);
		}
	}
	limit_read_record(&c, false, &lim_copy);
	limit_read_record(&c, true, &lim_copy);

	if (out && json_object_to_file_ext(out, c.records, JSON_C_TO_STRING_PRETTY)) {
		fprintf(stderr, "accel_bench_weights: cannot write %s\n", out);
		return 1;
	}
	json_object_put(c.records);
	for (i = 0; i < c.pool_nbo; i++)
		__acts_gem_close(c.dev, c.pool_bo[i]);
	free(c.pool_bo);
	if (c.pool)
		munmap(c.pool, c.pool_len);
	st_free(&c.st);
	free(c.sums);
	close(c.fd);
	if (model == path)
		unlink(path);	/* a synthetic model is gigabytes: do not leave it behind */
	if (c.can_copy && c.job_ctx != ACTS_CTX_IMPLICIT)
		__acts_ctx_destroy(c.dev, c.job_ctx);
	acts_dev_close(c.dev);
	return 0;
}
