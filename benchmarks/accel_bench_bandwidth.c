// SPDX-License-Identifier: MIT
/*
 * accel_bench_bandwidth: moving bytes into, out of and between BOs, from
 * 4 KiB up to 1 GiB (--quick: 64 MiB), each against a limit measured in the
 * same run at the same size:
 *
 *   bo-create-first-touch  create a BO, map it, touch every page
 *                          vs first touch of fresh anonymous memory
 *   bo-mmap-write          memcpy into the (prefaulted) BO mapping
 *   bo-mmap-read           memcpy out of the BO mapping
 *                          vs memcpy between prefaulted anonymous buffers
 *   copy-engine            COPY BO to BO, submit to its job's fence (devices with a
 *                          COPY engine)
 *   udmabuf-import-copy    a memfd's udmabuf imported as a BO, then COPY from it
 *                          vs memcpy
 *
 * GB/s are 10^9 bytes per second. Every copy is checked byte for byte once:
 * a fast wrong copy is a failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/udmabuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "acts_backend.h"
#include "acts_caps.h"
#include "acts_device.h"
#include "acts_fence.h"
#include "acts_gem.h"
#include "acts_submit.h"
#include "bench.h"

#define KiB 1024ull
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

struct ctx {
	struct acts_dev *dev;
	struct bench_env env;
	json_object *records;
	int cpu;
	uint32_t job_ctx;
	bool can_submit;
	long page;
};

static void die(const char *what, int err)
{
	fprintf(stderr, "accel_bench_bandwidth: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

/* At most this many timed samples per figure (--samples); the arrays hold 30. */
static unsigned int max_samples = 30;

static unsigned int reps_for(uint64_t size)
{
	uint64_t r = (256 * MiB) / size;

	if (r > max_samples)
		r = max_samples;
	return r < 3 ? 3 : (unsigned int)r;
}

static double gbps(uint64_t bytes, int64_t ns)
{
	return (double)bytes / (double)(ns > 0 ? ns : 1);
}

static json_object *size_param(uint64_t size)
{
	json_object *p = json_object_new_object();

	json_object_object_add(p, "bytes", json_object_new_int64((int64_t)size));
	return p;
}

static void *anon(uint64_t size, bool prefault)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (prefault ? MAP_POPULATE : 0), -1, 0);

	if (p == MAP_FAILED)
		die("anonymous mmap", errno);
	return p;
}

static void touch(volatile uint8_t *p, uint64_t size, long page)
{
	uint64_t o;

	for (o = 0; o < size; o += page)
		p[o] = 1;
}

/* Limits at this size: memcpy of prefaulted buffers, first touch of fresh memory. */
static void limits(struct ctx *c, uint64_t size, struct bench_stats *copy, struct bench_stats *ft)
{
	unsigned int n = reps_for(size), i;
	struct bench_copy_buffers cb;
	double sc[32], st[32];
	int ret = bench_copy_buffers(size, &cb);

	if (ret)
		die("mapping the memcpy limit's buffers", ret);
	memset(cb.src, 0x5a, size);
	for (i = 0; i < n + 1; i++) {
		int64_t t0 = bench_now_ns();
		void *f;

		memcpy(cb.dst, cb.src, size);
		if (i)
			sc[i - 1] = gbps(size, bench_now_ns() - t0);
		t0 = bench_now_ns();
		f = anon(size, false);
		touch(f, size, c->page);
		munmap(f, size);
		if (i)
			st[i - 1] = gbps(size, bench_now_ns() - t0);
	}
	bench_copy_buffers_free(&cb);
	bench_stats_compute(sc, n, copy);
	bench_stats_compute(st, n, ft);
}

static uint32_t bo_new(struct ctx *c, uint64_t size)
{
	struct acts_bo_create args = { .size = size };
	int ret = __acts_bo_create(c->dev, &args);

	if (ret)
		die("creating a BO", ret);
	return args.handle;
}

static uint8_t *bo_map(struct ctx *c, uint32_t h, uint64_t size)
{
	void *p;
	int ret = __acts_bo_mmap(c->dev, h, size, 0, &p);

	if (ret)
		die("mapping a BO", ret);
	return p;
}

/* 0 if the device takes two BOs of size bytes; -ENOSPC, -ENOMEM or -E2BIG if not. */
static int room_for_two(struct ctx *c, uint64_t size)
{
	struct acts_bo_create a = { .size = size }, b = { .size = size };
	int ret = __acts_bo_create(c->dev, &a);

	if (!ret) {
		ret = __acts_bo_create(c->dev, &b);
		if (!ret)
			__acts_gem_close(c->dev, b.handle);
		__acts_gem_close(c->dev, a.handle);
	}
	if (ret && ret != -ENOSPC && ret != -ENOMEM && ret != -E2BIG)
		die("creating a BO", ret);
	return ret;
}

static void cpu_paths(struct ctx *c, uint64_t size, struct bench_stats *create,
		      struct bench_stats *wr, struct bench_stats *rd)
{
	unsigned int n = reps_for(size), i;
	uint8_t *src = anon(size, true), *dst = anon(size, true), *map;
	double s0[32], s1[32], s2[32];
	uint32_t h;

	memset(src, 0xa5, size);
	for (i = 0; i < n + 1; i++) {
		int64_t t0 = bench_now_ns();

		h = bo_new(c, size);
		map = bo_map(c, h, size);
		touch(map, size, c->page);
		if (i)
			s0[i - 1] = gbps(size, bench_now_ns() - t0);

		t0 = bench_now_ns();
		memcpy(map, src, size);
		if (i)
			s1[i - 1] = gbps(size, bench_now_ns() - t0);
		t0 = bench_now_ns();
		memcpy(dst, map, size);
		if (i)
			s2[i - 1] = gbps(size, bench_now_ns() - t0);
		if (!i && memcmp(dst, src, size))
			die("the bytes read back from the BO differ from those written", EIO);
		munmap(map, size);
		__acts_gem_close(c->dev, h);
	}
	munmap(src, size);
	munmap(dst, size);
	bench_stats_compute(s0, n, create);
	bench_stats_compute(s1, n, wr);
	bench_stats_compute(s2, n, rd);
}

/* COPY the whole of src to dst on the copy engine; returns submit-to-fence ns. */
static int64_t engine_copy(struct ctx *c, uint32_t src, uint32_t dst, uint64_t size)
{
	struct acts_cmd cmd = { .op = ACTS_CMD_COPY, .src = 0, .bo = 1, .size = size };
	uint32_t bos[2] = { src, dst };
	struct acts_job job = {
		.ctx = c->job_ctx, .engine = ACTS_ENGINE_COPY, .cmds = &cmd, .ncmds = 1,
		.bos = bos, .nbos = 2,
	};
	int64_t t0 = bench_now_ns(), ns;
	int ret = __acts_submit(c->dev, &job);

	if (ret)
		die("submitting a COPY", ret);
	ret = __acts_fence_wait(c->dev, &job.fence, acts_deadline_ms(60000));
	if (ret)
		die("waiting for a COPY", ret);
	ns = bench_now_ns() - t0;
	/* A failed COPY is no figure (its bytes are checked too, once). */
	ret = acts_fence_status(c->dev, &job.fence);
	if (ret != 1)
		die("a COPY job failed", ret ? ret : -EIO);
	acts_fence_release(c->dev, &job.fence);
	return ns;
}

/* COPY from src (already filled with 0xc3) into a fresh BO, n times; checked once. */
static void copy_from(struct ctx *c, uint32_t src, uint64_t size, struct bench_stats *st)
{
	unsigned int n = reps_for(size), i;
	uint32_t dst = bo_new(c, size);
	double s[32];
	uint8_t *map;
	uint64_t o;

	for (i = 0; i < n + 1; i++) {
		int64_t ns = engine_copy(c, src, dst, size);

		if (i)
			s[i - 1] = gbps(size, ns);
	}
	map = bo_map(c, dst, size);
	for (o = 0; o < size; o++)
		if (map[o] != 0xc3)
			die("the COPY engine's result is wrong", EIO);
	munmap(map, size);
	__acts_gem_close(c->dev, dst);
	bench_stats_compute(s, n, st);
}

static void copy_engine(struct ctx *c, uint64_t size, struct bench_stats *st)
{
	uint32_t src = bo_new(c, size);
	uint8_t *map = bo_map(c, src, size);

	memset(map, 0xc3, size);
	munmap(map, size);
	copy_from(c, src, size, st);
	__acts_gem_close(c->dev, src);
}

/* A memfd wrapped as a dma-buf by udmabuf, imported as a BO. -errno if unavailable. */
static int udmabuf_import(struct ctx *c, uint64_t size, uint32_t *handle)
{
	int memfd, dev, buf, ret;
	struct udmabuf_create create = { .flags = UDMABUF_FLAGS_CLOEXEC, .size = size };
	uint8_t *p;

	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -errno;
	memfd = memfd_create("accel-bench", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, (off_t)size) ||
	    fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK)) {
		ret = -errno;
		close(dev);
		return ret;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (p != MAP_FAILED) {
		memset(p, 0xc3, size);
		munmap(p, size);
	}
	create.memfd = (uint32_t)memfd;
	buf = ioctl(dev, UDMABUF_CREATE, &create);
	ret = buf < 0 ? -errno : __acts_prime_import(c->dev, buf, handle);
	if (buf >= 0)
		close(buf);
	close(memfd);
	close(dev);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: accel_bench_bandwidth [--device PATH] [--quick] [--max-size MIB] [--samples N]\n"
		   "                             [--cpu N] [--out FILE]\n"
		   "  --quick         sizes up to 64 MiB (default: up to 1 GiB)\n"
		   "  --max-size MIB  stop at this size\n"
		   "  --samples N     at most N timed samples per figure, 3 to 30 (default 30;\n"
		   "                  fewer for sizes above 8 MiB)\n"
		   "  --cpu N         pin to CPU N (default 0)\n"
		   "  --out FILE      write the JSON records there\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' }, { "quick", no_argument, NULL, 'q' },
		{ "max-size", required_argument, NULL, 'm' }, { "cpu", required_argument, NULL, 'c' },
		{ "samples", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	const char *device = NULL, *out = NULL;
	uint64_t max = GiB, size, budget;
	struct ctx c = { 0 };
	bool udmabuf_failed = false;
	int opt, cpu = 0;
	char *end;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': device = optarg; break;
		case 'q': max = 64 * MiB; break;
		case 'o': out = optarg; break;
		case 'm':
			max = strtoull(optarg, &end, 10) * MiB;
			if (*end || !max) {
				fprintf(stderr, "accel_bench_bandwidth: --max-size '%s' is not MiB\n", optarg);
				return 2;
			}
			break;
		case 'n':
			max_samples = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || max_samples < 3 || max_samples > 30) {
				fprintf(stderr, "accel_bench_bandwidth: --samples '%s' is not 3 to 30\n",
					optarg);
				return 2;
			}
			break;
		case 'c':
			cpu = (int)strtol(optarg, &end, 10);
			if (*end || cpu < 0) {
				fprintf(stderr, "accel_bench_bandwidth: --cpu '%s' is not a CPU\n", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	c.dev = bench_open_device(device, false);
	if (!c.dev) {
		fprintf(stderr, "accel_bench_bandwidth: no device%s%s with a backend\n",
			device ? " at " : "", device ?: "");
		return device ? 2 : BENCH_EXIT_SKIP;
	}
	c.cpu = bench_pin(cpu);
	if (c.cpu < 0) {
		fprintf(stderr, "accel_bench_bandwidth: cannot pin to CPU %d\n", cpu);
		return 2;
	}
	c.page = sysconf(_SC_PAGESIZE);
	bench_env_fill(&c.env, c.dev);
	/* Every figure here moves bytes through a BO mapping. */
	if (!acts_has_cap(c.dev, ACTS_CAP_BO) || !acts_has_cap(c.dev, ACTS_CAP_GEM_MMAP)) {
		bench_skipped("bandwidth", "%s cannot create and map BOs (needs capabilities %s and %s)",
			      c.env.label, acts_cap_name(ACTS_CAP_BO), acts_cap_name(ACTS_CAP_GEM_MMAP));
		acts_dev_close(c.dev);
		return BENCH_EXIT_SKIP;
	}
	/* Two BOs of the largest size must fit the device's memory. */
	if (!__acts_query(c.dev, ACTS_Q_MEM_SIZE, &budget))
		while (max > 4 * KiB && 2 * max > budget)
			max /= 2;
	c.records = json_object_new_array();
	if (!acts_has_engine(c.dev, ACTS_ENGINE_COPY)) {
		bench_skipped("copy-engine", "%s runs no jobs on a COPY engine (so nor "
			      "udmabuf-import-copy)", c.env.label);
	} else if (acts_has_cap(c.dev, ACTS_CAP_CONTEXTS)) {
		struct acts_ctx_create cc = { .priority = ACTS_PRIO_NORMAL };
		int ret = __acts_ctx_create(c.dev, &cc);

		if (ret)
			die("creating a context", ret);
		c.can_submit = true;
		c.job_ctx = cc.id;
	} else {
		/* The file's implicit context. */
		c.can_submit = true;
		c.job_ctx = ACTS_CTX_IMPLICIT;
	}
	if (c.can_submit && !acts_has_cap(c.dev, ACTS_CAP_PRIME)) {
		bench_skipped("udmabuf-import-copy", "%s does not import dma-bufs (needs capability %s)",
			      c.env.label, acts_cap_name(ACTS_CAP_PRIME));
		udmabuf_failed = true;
	}

	for (size = 4 * KiB; size <= max; size *= 2) {
		struct bench_stats memcpy_st, ft_st, st, wr, rd;
		uint32_t imported;
		int ret;

		/* A device without a budget to query (vgem) may still refuse a size. */
		ret = room_for_two(&c, size);
		if (ret) {
			fprintf(stderr, "accel_bench_bandwidth: the device refuses two BOs of %llu bytes "
				"(%s): the last size measured is %llu bytes\n", (unsigned long long)size,
				strerror(-ret), (unsigned long long)(size / 2));
			break;
		}

		limits(&c, size, &memcpy_st, &ft_st);
		cpu_paths(&c, size, &st, &wr, &rd);
		bench_record(c.records, &c.env, "bo-create-first-touch", size_param(size), "GB/s",
			     &st, "anon-first-touch", ft_st.median, true, c.cpu);
		bench_record(c.records, &c.env, "bo-mmap-write", size_param(size), "GB/s", &wr,
			     "memcpy", memcpy_st.median, true, c.cpu);
		bench_record(c.records, &c.env, "bo-mmap-read", size_param(size), "GB/s", &rd,
			     "memcpy", memcpy_st.median, true, c.cpu);
		if (!c.can_submit)
			continue;

		copy_engine(&c, size, &st);
		bench_record(c.records, &c.env, "copy-engine", size_param(size), "GB/s", &st,
			     "memcpy", memcpy_st.median, true, c.cpu);
		if (udmabuf_failed)
			continue;
		ret = udmabuf_import(&c, size, &imported);
		if (ret) {
			/* udmabuf caps a buffer at its size_limit_mb (64 MiB by default). */
			bench_skipped("udmabuf-import-copy", "no udmabuf import of %llu bytes (%s): "
				      "none from this size on", (unsigned long long)size,
				      strerror(-ret));
			udmabuf_failed = true;
			continue;
		}
		copy_from(&c, imported, size, &st);
		__acts_gem_close(c.dev, imported);
		bench_record(c.records, &c.env, "udmabuf-import-copy", size_param(size), "GB/s", &st,
			     "memcpy", memcpy_st.median, true, c.cpu);
	}

	if (out && json_object_to_file_ext(out, c.records, JSON_C_TO_STRING_PRETTY)) {
		fprintf(stderr, "accel_bench_bandwidth: cannot write %s\n", out);
		return 1;
	}
	json_object_put(c.records);
	if (c.can_submit && c.job_ctx != ACTS_CTX_IMPLICIT)
		__acts_ctx_destroy(c.dev, c.job_ctx);
	acts_dev_close(c.dev);
	return 0;
}
