// SPDX-License-Identifier: MIT
/*
 * `accel-cts plot --out DIR RUN...`: gnuplot plots (PNG and SVG) from any set
 * of run folders. This file turns the records into gnuplot data files
 * (DIR/data/) and runs the scripts of runner/reports/plots/ on them:
 *
 *   latency-cdf     NOP round-trip CDF per driver, kernel and device
 *   bandwidth       GB/s against transfer size (log2), with the memcpy and
 *                   first-touch limits dashed
 *   weights         weight-load GB/s per strategy, warm and cold, beside
 *                   the limits of the same run
 *   trend-latency   medians across the runs, in µs
 *   trend-bandwidth medians across the runs, in GB/s
 *   results         pass, skip, fail and other counts per run and device
 *
 * A plot whose data no run holds is not drawn.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "compare.h"
#include "plot.h"

#define TREND_BYTES (4ull << 20)	/* bandwidth trends at 4 MiB: every pass measures it */

struct series {
	char title[256];
	double *x, *y;
	size_t n, cap;
};

/* oom: a point or series was lost to a failed allocation; its plot is not drawn. */
struct plot_set {
	struct series *s;
	size_t n, cap;
	bool oom;
};

static struct series *series_get(struct plot_set *ps, const char *title)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (!strcmp(ps->s[i].title, title))
			return &ps->s[i];
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 8;
		struct series *grown = realloc(ps->s, cap * sizeof(*ps->s));

		if (!grown) {
			ps->oom = true;
			return NULL;
		}
		ps->s = grown;
		ps->cap = cap;
	}
	memset(&ps->s[ps->n], 0, sizeof(ps->s[ps->n]));
	snprintf(ps->s[ps->n].title, sizeof(ps->s[ps->n].title), "%s", title);
	return &ps->s[ps->n++];
}

/* Add a point to s of ps (s NULL: series_get failed, already marked). */
static void series_add(struct plot_set *ps, struct series *s, double x, double y)
{
	if (!s)
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		double *gx = realloc(s->x, cap * sizeof(*s->x)), *gy;

		if (gx)
			s->x = gx;
		gy = gx ? realloc(s->y, cap * sizeof(*s->y)) : NULL;
		if (!gy) {
			ps->oom = true;
			return;
		}
		s->y = gy;
		s->cap = cap;
	}
	s->x[s->n] = x;
	s->y[s->n++] = y;
}

static void plot_set_free(struct plot_set *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		free(ps->s[i].x);
		free(ps->s[i].y);
	}
	free(ps->s);
}

/* Points of a series in x order (bandwidth records come in any order). */
static void series_sort(struct series *s)
{
	size_t i, j;

	for (i = 1; i < s->n; i++)
		for (j = i; j > 0 && s->x[j - 1] > s->x[j]; j--) {
			double tx = s->x[j], ty = s->y[j];

			s->x[j] = s->x[j - 1];
			s->y[j] = s->y[j - 1];
			s->x[j - 1] = tx;
			s->y[j - 1] = ty;
		}
}

static json_object *params_of(json_object *rec)
{
	json_object *p;

	return json_object_object_get_ex(rec, "params", &p) ? p : NULL;
}

static bool write_blocks(const char *path, struct plot_set *ps, double xscale, double yscale)
{
	FILE *f = ps->oom ? NULL : fopen(path, "we");
	size_t i, j;

	if (ps->oom)
		fprintf(stderr, "accel-cts: out of memory gathering %s\n", path);
	if (!f)
		return false;
	for (i = 0; i < ps->n; i++) {
		fprintf(f, "%s\"%s\" \"y\"\n", i ? "\n\n" : "", ps->s[i].title);
		for (j = 0; j < ps->s[i].n; j++)
			fprintf(f, "%.9g %.9g\n", ps->s[i].x[j] * xscale, ps->s[i].y[j] * yscale);
	}
	return !fclose(f);
}

/* A table: rows of labels, columns of series; a missing value is "-". */
struct table {
	char **rows;
	size_t nrows;
	struct plot_set cols;	/* x: row index, y: value */
};

/* The index of row label, added if new; SIZE_MAX (marked) if out of memory. */
static size_t table_row(struct table *t, const char *label)
{
	char **grown;
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i], label))
			return i;
	grown = realloc(t->rows, (t->nrows + 1) * sizeof(*t->rows));
	if (grown)
		t->rows = grown;
	if (!grown || !(t->rows[t->nrows] = strdup(label))) {
		t->cols.oom = true;
		return SIZE_MAX;
	}
	return t->nrows++;
}

static void table_set(struct table *t, const char *row, const char *col, double v)
{
	size_t r = table_row(t, row);

	if (r != SIZE_MAX)
		series_add(&t->cols, series_get(&t->cols, col), (double)r, v);
}

static bool write_table(const char *path, const struct table *t)
{
	FILE *f = t->cols.oom ? NULL : fopen(path, "we");
	size_t r, c, k;

	if (t->cols.oom)
		fprintf(stderr, "accel-cts: out of memory gathering %s\n", path);
	if (!f)
		return false;
	fprintf(f, "\"row\"");
	for (c = 0; c < t->cols.n; c++)
		fprintf(f, " \"%s\"", t->cols.s[c].title);
	fprintf(f, "\n");
	for (r = 0; r < t->nrows; r++) {
		fprintf(f, "\"%s\"", t->rows[r]);
		for (c = 0; c < t->cols.n; c++) {
			const struct series *s = &t->cols.s[c];
			double v = NAN;

			for (k = 0; k < s->n; k++)
				if ((size_t)s->x[k] == r)
					v = s->y[k];
			if (isnan(v))
				fprintf(f, " -");
			else
				fprintf(f, " %.9g", v);
		}
		fprintf(f, "\n");
	}
	return !fclose(f);
}

static void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	free(t->rows);
	plot_set_free(&t->cols);
}

struct plotter {
	const char *out;
	const char *scripts;
	struct plot_made *made;
	int nmade, max;
	int failures;
};

/*
 * Run runner/reports/plots/<script>.gp for PNG and SVG of plot name; vars are extra
 * "name=value" gnuplot settings.
 */
static void draw(struct plotter *p, const char *name, const char *script_name, const char *title,
		 const char *vars)
{
	const char *const terms[] = { "png", "svg" };
	char script[PATH_MAX], data[PATH_MAX], outbase[PATH_MAX], log[PATH_MAX], *e;
	int t;

	snprintf(script, sizeof(script), "%s/%s.gp", p->scripts, script_name);
	snprintf(data, sizeof(data), "%s/data/%s.dat", p->out, name);
	snprintf(outbase, sizeof(outbase), "%s/%s", p->out, name);
	snprintf(log, sizeof(log), "%s/data/%s.log", p->out, name);
	unlink(log);
	for (t = 0; t < 2; t++) {
		pid_t pid;
		int status;

		if (asprintf(&e, "datafile='%s'; outbase='%s'; term='%s'; scriptdir='%s'; %s", data,
			     outbase, terms[t], p->scripts, vars) < 0) {
			p->failures++;
			return;
		}
		pid = fork();
		if (pid == 0) {
			/* gnuplot's warnings (a one-point range) go to a log, not the terminal. */
			int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

			if (fd >= 0)
				dup2(fd, 2);
			execlp("gnuplot", "gnuplot", "-e", e, script, (char *)NULL);
			_exit(127);
		}
		free(e);
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "accel-cts: gnuplot failed on %s (%s); see %s\n", script,
				terms[t], log);
			p->failures++;
			return;
		}
	}
	if (p->nmade < p->max) {
		snprintf(p->made[p->nmade].name, sizeof(p->made[p->nmade].name), "%s", name);
		snprintf(p->made[p->nmade].title, sizeof(p->made[p->nmade].title), "%s", title);
		p->nmade++;
	}
}

static void data_path(const struct plotter *p, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/data/%s.dat", p->out, name);
}

static void plot_latency(struct plotter *p, const struct run_data *runs, int n)
{
	struct plot_set ps = { 0 };
	char path[PATH_MAX], label[128], dev[96], title[256], vars[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(label, sizeof(label), "%s", runs[i].label);
		json_object_object_foreach(runs[i].bench, key, rec) {
			json_object *samples;
			struct series *s;
			size_t k, m;

			if (strcmp(json_str(rec, "benchmark") ?: "", "nop-round-trip") ||
			    !json_object_object_get_ex(rec, "samples", &samples))
				continue;
			bench_key_device(key, dev, sizeof(dev));
			snprintf(title, sizeof(title), "%s %s", dev, label);
			s = series_get(&ps, title);
			m = json_object_array_length(samples);
			for (k = 0; k < m; k++)
				series_add(&ps, s, json_object_get_double(json_object_array_get_idx(samples, k)),
					   (double)(k + 1) / (double)m);
		}
	}
	if (ps.n) {
		data_path(p, "latency-cdf", path, sizeof(path));
		if (write_blocks(path, &ps, 1e-3, 1)) {
			snprintf(vars, sizeof(vars), "nblocks=%zu", ps.n);
			draw(p, "latency-cdf", "latency-cdf",
			     "NOP round-trip latency, cumulative distribution", vars);
		} else {
			p->failures++;
		}
	}
	plot_set_free(&ps);
}

static bool is_bandwidth(const char *b)
{
	static const char *const names[] = { "bo-create-first-touch", "bo-mmap-write",
					     "bo-mmap-read", "copy-engine", "udmabuf-import-copy" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(b, names[i]))
			return true;
	return false;
}

static void plot_bandwidth(struct plotter *p, const struct run_data *runs, int n)
{
	struct plot_set ps = { 0 }, lim = { 0 };
	char path[PATH_MAX], label[128], dev[96], title[256], vars[64];
	size_t k;
	int i;

	for (i = 0; i < n; i++) {
		snprintf(label, sizeof(label), "%s", runs[i].label);
		json_object_object_foreach(runs[i].bench, key, rec) {
			const char *b = json_str(rec, "benchmark") ?: "";
			json_object *limit;
			double bytes = json_num(params_of(rec), "bytes");

			if (!is_bandwidth(b) || isnan(bytes))
				continue;
			bench_key_device(key, dev, sizeof(dev));
			snprintf(title, sizeof(title), "%s %s %s", b, dev, label);
			series_add(&ps, series_get(&ps, title), bytes, json_num(rec, "median"));
			/* Each limit once per run and device. */
			if ((!strcmp(b, "bo-mmap-write") || !strcmp(b, "bo-create-first-touch")) &&
			    json_object_object_get_ex(rec, "limit", &limit)) {
				snprintf(title, sizeof(title), "limit: %s %s %s", json_str(limit, "name"),
					 dev, label);
				series_add(&lim, series_get(&lim, title), bytes,
					   json_num(limit, "value"));
			}
		}
	}
	for (k = 0; k < lim.n; k++) {
		struct series *s = series_get(&ps, lim.s[k].title);
		size_t j;

		for (j = 0; j < lim.s[k].n; j++)
			series_add(&ps, s, lim.s[k].x[j], lim.s[k].y[j]);
	}
	for (k = 0; k < ps.n; k++)
		series_sort(&ps.s[k]);
	if (ps.n) {
		data_path(p, "bandwidth", path, sizeof(path));
		if (write_blocks(path, &ps, 1, 1)) {
			snprintf(vars, sizeof(vars), "nblocks=%zu; nlimits=%zu", ps.n, lim.n);
			draw(p, "bandwidth", "bandwidth", "Bandwidth against transfer size", vars);
		} else {
			p->failures++;
		}
	}
	plot_set_free(&ps);
	plot_set_free(&lim);
}

static void plot_weights(struct plotter *p, const struct run_data *runs, int n)
{
	static const char *const order[] = { "memcpy", "page-cache-read", "odirect-read-cold" };
	struct table t = { 0 };
	char path[PATH_MAX], label[128], dev[96], col[256], vars[64];
	size_t k;
	int i;

	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		table_row(&t, order[k]);
	for (i = 0; i < n; i++) {
		snprintf(label, sizeof(label), "%s", runs[i].label);
		json_object_object_foreach(runs[i].bench, key, rec) {
			const char *b = json_str(rec, "benchmark") ?: "";
			json_object *limit;

			bench_key_device(key, dev, sizeof(dev));
			if (!strcmp(b, "page-cache-read")) {
				snprintf(col, sizeof(col), "%s %s warm", dev, label);
				table_set(&t, b, col, json_num(rec, "median"));
				if (json_object_object_get_ex(rec, "limit", &limit))
					table_set(&t, "memcpy", col, json_num(limit, "value"));
			} else if (!strcmp(b, "odirect-read-cold")) {
				snprintf(col, sizeof(col), "%s %s cold", dev, label);
				table_set(&t, b, col, json_num(rec, "median"));
			} else if (!strcmp(b, "weight-load")) {
				json_object *prm = params_of(rec);

				snprintf(col, sizeof(col), "%s %s %s", dev, label,
					 json_str(prm, "cache") ?: "?");
				table_set(&t, json_str(prm, "strategy") ?: "?", col, json_num(rec, "median"));
			}
		}
	}
	if (t.cols.n) {
		data_path(p, "weights", path, sizeof(path));
		if (write_table(path, &t)) {
			snprintf(vars, sizeof(vars), "ncols=%zu", t.cols.n + 1);
			draw(p, "weights", "weights", "LLM weight load per strategy, warm and cold", vars);
		} else {
			p->failures++;
		}
	}
	table_free(&t);
}

/* Medians across runs: latency figures in µs, or 4 MiB bandwidths and weight loads in GB/s. */
static void plot_trend(struct plotter *p, const struct run_data *runs, int n, bool latency)
{
	static const char *const lat[] = { "nop-round-trip", "null-ioctl", "eventfd-round-trip" };
	const char *name = latency ? "trend-latency" : "trend-bandwidth";
	char path[PATH_MAX], label[128], dev[96], col[256], vars[512];
	struct table t = { 0 };
	size_t k;
	int i;

	for (i = 0; i < n; i++) {
		snprintf(label, sizeof(label), "%s", runs[i].label);
		table_row(&t, label);
		json_object_object_foreach(runs[i].bench, key, rec) {
			const char *b = json_str(rec, "benchmark") ?: "";
			json_object *prm = params_of(rec);

			bench_key_device(key, dev, sizeof(dev));
			col[0] = '\0';
			if (latency) {
				for (k = 0; k < sizeof(lat) / sizeof(lat[0]); k++)
					if (!strcmp(b, lat[k]))
						snprintf(col, sizeof(col), "%s %s", b, dev);
			} else if (is_bandwidth(b) && json_num(prm, "bytes") == (double)TREND_BYTES) {
				snprintf(col, sizeof(col), "%s 4 MiB %s", b, dev);
			} else if (!strcmp(b, "weight-load") &&
				   !strcmp(json_str(prm, "strategy") ?: "", "read-into-bo")) {
				snprintf(col, sizeof(col), "weight-load read-into-bo %s %s",
					 json_str(prm, "cache") ?: "?", dev);
			}
			if (col[0])
				table_set(&t, label, col, json_num(rec, "median") * (latency ? 1e-3 : 1));
		}
	}
	if (t.cols.n) {
		data_path(p, name, path, sizeof(path));
		if (write_table(path, &t)) {
			snprintf(vars, sizeof(vars), "ncols=%zu; ylabel_text='%s'; title_text='%s'",
				 t.cols.n + 1, latency ? "median latency (µs)" : "median GB/s",
				 latency ? "Latency medians across kernels"
					 : "Bandwidth and weight-load medians across kernels");
			draw(p, name, "trend", latency ? "Latency medians across kernels"
					      : "Bandwidth and weight-load medians across kernels", vars);
		} else {
			p->failures++;
		}
	}
	table_free(&t);
}

static void plot_results(struct plotter *p, const struct run_data *runs, int n)
{
	static const char *const cols[] = { "pass", "skip", "fail", "crash, timeout, dmesg" };
	char path[PATH_MAX], label[128], row[256];
	struct table t = { 0 };
	size_t k;
	int i;

	for (i = 0; i < n; i++) {
		snprintf(label, sizeof(label), "%s", runs[i].label);
		json_object_object_foreach(runs[i].devices, dev, tests) {
			int c[4];

			run_device_counts(tests, c);
			snprintf(row, sizeof(row), "%s %s", dev, label);
			for (k = 0; k < 4; k++)
				table_set(&t, row, cols[k], c[k]);
		}
	}
	if (t.nrows) {
		data_path(p, "results", path, sizeof(path));
		if (write_table(path, &t))
			draw(p, "results", "results", "Conformance results per kernel and device", "");
		else
			p->failures++;
	}
	table_free(&t);
}

/* runner/reports/plots next to the program (build/accel-cts), or plots/ in a bundle. */
static int find_scripts(char *buf, size_t len)
{
	const char *env = getenv("ACCEL_CTS_PLOT_SCRIPTS");
	const char *const rel[] = { "../runner/reports/plots", "plots", "../share/accel-cts/plots" };
	char exe[PATH_MAX], probe[PATH_MAX + 32], *slash;
	ssize_t n;
	size_t i;

	if (env) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(probe, sizeof(probe), "%s/%s/common.gp", exe, rel[i]);
		if (!access(probe, R_OK) &&
		    (size_t)snprintf(buf, len, "%s/%s", exe, rel[i]) < len)
			return 0;
	}
	return -ENOENT;
}

int plot_runs(const struct run_data *runs, int n, const char *out_dir, struct plot_made *made,
	      int max)
{
	struct plotter p = { .out = out_dir, .made = made, .max = max };
	char scripts[PATH_MAX], data[PATH_MAX];

	if (find_scripts(scripts, sizeof(scripts))) {
		fprintf(stderr, "accel-cts: cannot find the gnuplot scripts (runner/reports/plots); "
			"set ACCEL_CTS_PLOT_SCRIPTS\n");
		return -ENOENT;
	}
	if (strchr(scripts, '\'') || strchr(out_dir, '\'')) {
		fprintf(stderr, "accel-cts: paths with a quote (') cannot be passed to gnuplot\n");
		return -EINVAL;
	}
	p.scripts = scripts;
	snprintf(data, sizeof(data), "%s/data", out_dir);
	if ((mkdir(out_dir, 0755) && errno != EEXIST) || (mkdir(data, 0755) && errno != EEXIST)) {
		fprintf(stderr, "accel-cts: cannot create %s: %s\n", data, strerror(errno));
		return -errno;
	}
	plot_latency(&p, runs, n);
	plot_bandwidth(&p, runs, n);
	plot_weights(&p, runs, n);
	if (n > 1) {
		plot_trend(&p, runs, n, true);
		plot_trend(&p, runs, n, false);
	}
	plot_results(&p, runs, n);
	return p.failures ? -EIO : p.nmade;
}

bool have_gnuplot(void)
{
	return !system("gnuplot --version > /dev/null 2>&1");
}

int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct plot_made made[16];
	struct run_data *runs;
	const char *out = NULL;
	int opt, n, i, made_n;

	while ((opt = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'h':
			printf("usage: accel-cts plot --out DIR RUN...\n");
			return 0;
		default:
			fprintf(stderr, "usage: accel-cts plot --out DIR RUN...\n");
			return 2;
		}
	}
	n = argc - optind;
	if (!out || n < 1) {
		fprintf(stderr, "usage: accel-cts plot --out DIR RUN...\n");
		return 2;
	}
	if (!have_gnuplot()) {
		fprintf(stderr, "accel-cts: gnuplot not found (apt-get install gnuplot-nox)\n");
		return 2;
	}
	runs = run_data_load_all(argv + optind, n);
	if (!runs)
		return 2;
	made_n = plot_runs(runs, n, out, made, 16);
	for (i = 0; i < made_n; i++)
		printf("%s/%s.png  %s\n", out, made[i].name, made[i].title);
	if (made_n == 0)
		printf("accel-cts: nothing to plot in these runs\n");
	run_data_free_all(runs, n);
	return made_n < 0 ? 1 : 0;
}
