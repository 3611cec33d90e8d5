// SPDX-License-Identifier: MIT
/*
 * Statistics, records, environment, clock overhead and pinning for the
 * benchmarks. See bench.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "acts_backend.h"
#include "acts_caps.h"
#include "acts_device.h"
#include "acts_env.h"
#include "acts_gem.h"
#include "bench.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_percentile_sorted(const double *sorted, size_t n, double q)
{
	size_t rank;

	if (!n)
		return NAN;
	rank = (size_t)ceil(q * (double)n);
	return sorted[rank ? rank - 1 : 0];
}

void bench_stats_compute(double *samples, size_t n, struct bench_stats *s)
{
	double sum = 0, sq = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (!n)
		return;
	qsort(samples, n, sizeof(*samples), cmp_double);
	for (i = 0; i < n; i++)
		sum += samples[i];
	s->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		sq += (samples[i] - s->mean) * (samples[i] - s->mean);
	s->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
	s->min = samples[0];
	s->max = samples[n - 1];
	s->median = bench_percentile_sorted(samples, n, 0.5);
	s->p90 = bench_percentile_sorted(samples, n, 0.9);
	s->p99 = bench_percentile_sorted(samples, n, 0.99);
	s->p999 = bench_percentile_sorted(samples, n, 0.999);
	s->nkept = n < BENCH_KEEP ? n : BENCH_KEEP;
	for (i = 0; i < s->nkept; i++)
		s->kept[i] = samples[s->nkept == n ? i : i * (n - 1) / (BENCH_KEEP - 1)];
}

int64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void bench_clock_overhead(struct bench_stats *s)
{
	enum { N = 10001 };
	static double d[N];
	int i;

	for (i = 0; i < N; i++) {
		int64_t a = bench_now_ns();

		d[i] = (double)(bench_now_ns() - a);
	}
	bench_stats_compute(d, N, s);
}

int bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -1 : cpu;
}

/*
 * The destination starts this many pages past a 2 MiB boundary counted from
 * the source: the distance is then 17 pages away from every multiple of 2^k
 * pages up to 512 and at least 17 away beyond, never within a page of a soft
 * TLB's period.
 */
#define COPY_GAP_PAGES 17
#define COPY_ALIGN (2u << 20)

int bench_copy_buffers(size_t size, struct bench_copy_buffers *cb)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t dist = (size + COPY_ALIGN - 1) / COPY_ALIGN * COPY_ALIGN + COPY_GAP_PAGES * page;

	cb->len = dist + (size + page - 1) / page * page;
	cb->map = mmap(NULL, cb->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (cb->map == MAP_FAILED) {
		cb->map = NULL;
		return -errno;
	}
	cb->src = cb->map;
	cb->dst = (char *)cb->map + dist;
	return 0;
}

void bench_copy_buffers_free(struct bench_copy_buffers *cb)
{
	if (cb->map)
		munmap(cb->map, cb->len);
	cb->map = NULL;
}

static void first_line_value(const char *path, const char *key, char *out, size_t len)
{
	char line[512];
	FILE *f = fopen(path, "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, key, strlen(key)) && colon) {
			colon += 1 + strspn(colon + 1, " \t");
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(out, len, "%s", colon);
			break;
		}
	}
	fclose(f);
}

struct acts_dev *bench_open_device(const char *path, bool need_submit)
{
	struct acts_node nodes[32];
	int n, i;

	if (path)
		return acts_dev_open(path);
	n = acts_discover(nodes, 32);
	for (i = 0; i < n; i++) {
		struct acts_dev *dev;

		if (!nodes[i].be)
			continue;
		dev = acts_dev_open(nodes[i].path);
		if (dev && (!need_submit || acts_has_cap(dev, ACTS_CAP_SUBMIT)))
			return dev;
		acts_dev_close(dev);
	}
	return NULL;
}

void bench_skipped(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%-24s skipped: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void bench_env_fill(struct bench_env *env, struct acts_dev *dev)
{
	struct utsname u;
	char flags[4096] = "", clock[64];
	const char *sha = getenv("ACCEL_CTS_GIT_SHA");
	time_t now = time(NULL);
	uint64_t ver;

	env->device = dev->path;
	env->driver = dev->driver;
	snprintf(env->variant, sizeof(env->variant), "%s", acts_dev_variant(dev) ?: "");
	acts_dev_label(dev, env->label, sizeof(env->label));
	if (!__acts_query(dev, ACTS_Q_UAPI_VERSION, &ver))
		snprintf(env->driver_version, sizeof(env->driver_version), "%u.%u",
			 (unsigned int)(ver >> 16), (unsigned int)(ver & 0xffff));
	if (!uname(&u))
		snprintf(env->kernel, sizeof(env->kernel), "%s", u.release);
	first_line_value("/proc/cpuinfo", "model name", env->cpu_model, sizeof(env->cpu_model));
	first_line_value("/proc/cpuinfo", "flags", flags, sizeof(flags));
	env->virtualized = strstr(flags, " hypervisor") != NULL;
	snprintf(env->git_sha, sizeof(env->git_sha), "%s", sha ? sha : "unknown");
	snprintf(env->clock, sizeof(env->clock), "%s", acts_env_clock(clock, sizeof(clock)));
	strftime(env->date, sizeof(env->date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
}

static json_object *env_json(const struct bench_env *env)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "kernel", json_object_new_string(env->kernel));
	json_object_object_add(o, "driver", json_object_new_string(env->driver ?: ""));
	/* The device's shape among the driver's ("bo-wait"): reports tell such devices apart. */
	json_object_object_add(o, "variant", json_object_new_string(env->variant));
	json_object_object_add(o, "driver_version", json_object_new_string(env->driver_version));
	json_object_object_add(o, "device", json_object_new_string(env->device ?: ""));
	json_object_object_add(o, "cpu_model", json_object_new_string(env->cpu_model));
	json_object_object_add(o, "virtualized", json_object_new_boolean(env->virtualized));
	json_object_object_add(o, "git_sha", json_object_new_string(env->git_sha));
	json_object_object_add(o, "date", json_object_new_string(env->date));
	json_object_object_add(o, "clock", json_object_new_string(env->clock));
	return o;
}

void bench_record(json_object *records, const struct bench_env *env, const char *name,
		  json_object *params, const char *unit, const struct bench_stats *s,
		  const char *limit_name, double limit_value, bool higher_is_better, int cpu)
{
	json_object *r = json_object_new_object(), *lim = json_object_new_object();
	/* value / limit: 1 is the limit; above it for times, below it for rates. */
	double ratio = s->median / limit_value;
	json_object *samples = json_object_new_array_ext((int)s->nkept);
	const char *p;
	size_t i;

	for (i = 0; i < s->nkept; i++)
		json_object_array_add(samples, json_object_new_double(s->kept[i]));
	if (!params)
		params = json_object_new_object();
	p = json_object_to_json_string_ext(params, JSON_C_TO_STRING_PLAIN);

	json_object_object_add(r, "benchmark", json_object_new_string(name));
	json_object_object_add(r, "params", params);
	json_object_object_add(r, "unit", json_object_new_string(unit));
	json_object_object_add(r, "n", json_object_new_int64((int64_t)s->n));
	json_object_object_add(r, "min", json_object_new_double(s->min));
	json_object_object_add(r, "median", json_object_new_double(s->median));
	json_object_object_add(r, "p90", json_object_new_double(s->p90));
	json_object_object_add(r, "p99", json_object_new_double(s->p99));
	json_object_object_add(r, "p999", json_object_new_double(s->p999));
	json_object_object_add(r, "max", json_object_new_double(s->max));
	json_object_object_add(r, "mean", json_object_new_double(s->mean));
	json_object_object_add(r, "stddev", json_object_new_double(s->stddev));
	json_object_object_add(r, "samples", samples);
	json_object_object_add(r, "samples_decimated", json_object_new_boolean(s->nkept < s->n));
	json_object_object_add(lim, "name", json_object_new_string(limit_name));
	json_object_object_add(lim, "value", json_object_new_double(limit_value));
	json_object_object_add(r, "limit", lim);
	json_object_object_add(r, "ratio", json_object_new_double(ratio));
	json_object_object_add(r, "higher_is_better", json_object_new_boolean(higher_is_better));
	json_object_object_add(r, "cpu", json_object_new_int(cpu));
	json_object_object_add(r, "env", env_json(env));
	json_object_array_add(records, r);

	printf("%-24s %-28s median %9.4g %-5s (min %.4g, p99 %.4g, n %zu)  limit %s %.4g  ratio %.3g\n",
	       name, p, s->median, unit, s->min, s->p99, s->n, limit_name, limit_value, ratio);
	fflush(stdout);
}
