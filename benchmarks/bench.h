/* SPDX-License-Identifier: MIT */
/*
 * What every benchmark shares: samples and their statistics, the limit a
 * figure is measured against, JSON records with the environment, the
 * clock's own overhead, and CPU pinning.
 */
#ifndef ACTS_BENCH_H
#define ACTS_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct acts_dev;
struct json_object;

/* Samples a record keeps for later comparisons (accel-cts compare). */
#define BENCH_KEEP 512

struct bench_stats {
	size_t n;
	double min, median, p90, p99, p999, max, mean, stddev;
	/* All samples in order when n <= BENCH_KEEP, else BENCH_KEEP evenly spaced order statistics. */
	size_t nkept;
	double kept[BENCH_KEEP];
};

/* Sorts samples in place. Percentiles are nearest-rank: the smallest sample
 * with at least q of all samples at or below it. */
void bench_stats_compute(double *samples, size_t n, struct bench_stats *s);
double bench_percentile_sorted(const double *sorted, size_t n, double q);

/* Nanoseconds on CLOCK_MONOTONIC. */
int64_t bench_now_ns(void);
/* The cost of reading the clock twice back to back, in ns, over 10001 tries. */
void bench_clock_overhead(struct bench_stats *s);
/* Pin the calling thread to one CPU; returns the CPU, or -1. */
int bench_pin(int cpu);

/*
 * The two buffers of a memcpy limit, size bytes each, prefaulted, from one
 * mapping, the destination 17 pages past a 2 MiB multiple from the source.
 * When the distance is within a page of a multiple of 1 MiB (two adjacent
 * mappings of 8 MiB), source and destination pages share entries of QEMU's
 * direct-mapped soft TLB and memcpy ran 4x slower in the guest (0.6 against
 * 2.4 GB/s), a collision no load is bound to meet.
 * Returns 0 or -errno; bench_copy_buffers_free() unmaps them.
 */
struct bench_copy_buffers {
	void *src, *dst;
	void *map;
	size_t len;
};
int bench_copy_buffers(size_t size, struct bench_copy_buffers *cb);
void bench_copy_buffers_free(struct bench_copy_buffers *cb);

struct bench_env {
	const char *device;
	const char *driver;
	char variant[32];	/* the backend's shape of the device ("bo-wait"), or "" */
	char label[96];		/* "refaccel/bo-wait": driver and variant, for messages */
	char driver_version[32];
	char kernel[128];
	char cpu_model[128];
	bool virtualized;
	char git_sha[48];
	char date[32];
	char clock[64];		/* acts_env_clock(): real, or virtual (icount) */
};

/*
 * The node at path, or else the first node with a backend (that can submit
 * jobs, if need_submit). NULL when there is none.
 */
struct acts_dev *bench_open_device(const char *path, bool need_submit);
/*
 * A figure (or a family of them) this device cannot give: one line on
 * stdout, "<name> skipped: <why>", and no record.
 */
void bench_skipped(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Exit status of a benchmark with nothing it can measure on the device. */
#define BENCH_EXIT_SKIP 77
/* What the machine and the device can tell about this run. */
void bench_env_fill(struct bench_env *env, struct acts_dev *dev);

/*
 * One measurement: name, parameters (a JSON object, taken over), unit, its
 * statistics, the limit's name and statistic in the same unit, and whether
 * higher is better (throughputs) to orient the ratio. Appends a record to
 * records and prints one line.
 */
void bench_record(struct json_object *records, const struct bench_env *env, const char *name,
		  struct json_object *params, const char *unit, const struct bench_stats *s,
		  const char *limit_name, double limit_value, bool higher_is_better, int cpu);

#endif
