// SPDX-License-Identifier: MIT
/*
 * `accel-cts plot --out DIR RUN...`: gnuplot plots (PNG and SVG) from any set
 * of run folders. This file turns the records into gnuplot data files
 * (DIR/data/) and runs the scripts of runner/reports/plots/ on them.
 *
 * Every run is its own series, told apart by its label (run_label.h), never
 * merged with another, even of the same kernel: a series is a run and a
 * device, the run giving its colour and the device its dash type or fill
 * pattern, the same in every plot. A single run compares its devices (two
 * drivers, a driver's classes) side by side: then each device has a colour
 * of its own. A device is "<driver>[/<variant>]-<node>" (bench_key_device()).
 * The scripts get each series' legend title and style as gnuplot arrays
 * (key_vars()).
 *
 *   latency-cdf     NOP round-trip CDF, a line per run and device
 *   bandwidth       GB/s against transfer size (log2), a panel per path, a
 *                   line per run and device with its in-run limit dashed
 *   weights         weight-load GB/s per strategy beside the limits of the
 *                   same run, warm and cold panels, a bar per run and device
 *   trend-latency   medians per run, the runs in the order given, in µs
 *   trend-bandwidth 4 MiB bandwidths and weight loads per run, in GB/s
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
#include "run_folder.h"

#define TREND_BYTES (4ull << 20)	/* bandwidth trends at 4 MiB: every pass measures it */
#define NCOLOURS 10	/* linetypes of common.gp: a run's colour */
#define NVARIANTS 3	/* dash types and fill patterns of common.gp: a device's */
#define DEV_LEN 96

/* A series is found by its id: for most plots a key, run * ndevs + device. */
struct series {
	int id;
	char title[256];	/* its column's name in a table */
	double *x, *y;
	size_t n, cap;
};

/* oom: a point or series was lost to a failed allocation; its plot is not drawn. */
struct plot_set {
	struct series *s;
	size_t n, cap;
	bool oom;
};

struct plotter {
	const char *out;
	const char *scripts;
	const struct run_data *runs;
	int nruns;
	char (*devs)[DEV_LEN];	/* every device of the runs, in name order */
	int ndevs;
	struct plot_made *made;
	int nmade, max;
	int failures;
};

static struct series *series_get(struct plot_set *ps, int id, const char *title)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->s[i].id == id)
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
	ps->s[ps->n].id = id;
	snprintf(ps->s[ps->n].title, sizeof(ps->s[ps->n].title), "%s", title ?: "");
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

static const struct series *series_find(const struct plot_set *ps, int id)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->s[i].id == id)
			return &ps->s[i];
	return NULL;
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

static int cmp_series_id(const void *a, const void *b)
{
	const struct series *sa = a, *sb = b;

	return (sa->id > sb->id) - (sa->id < sb->id);
}

/* Series in id order: the runs in the order given, then the devices. */
static void plot_set_sort(struct plot_set *ps)
{
	if (ps->n)
		qsort(ps->s, ps->n, sizeof(*ps->s), cmp_series_id);
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int dev_index(const struct plotter *p, const char *dev)
{
	const char (*found)[DEV_LEN];

	/* bsearch() on no array at all is undefined, even for no elements. */
	if (!p->ndevs)
		return 0;
	found = bsearch(dev, p->devs, p->ndevs, sizeof(*p->devs), cmp_dev);
	return found ? (int)(found - p->devs) : 0;
}

static int dev_add(struct plotter *p, const char *dev)
{
	char (*grown)[DEV_LEN];

	if (p->ndevs && bsearch(dev, p->devs, p->ndevs, sizeof(*p->devs), cmp_dev))
		return 0;
	grown = realloc(p->devs, (p->ndevs + 1) * sizeof(*p->devs));
	if (!grown)
		return -ENOMEM;
	p->devs = grown;
	snprintf(p->devs[p->ndevs++], DEV_LEN, "%s", dev);
	qsort(p->devs, p->ndevs, sizeof(*p->devs), cmp_dev);
	return 0;
}

/* The devices of every run's results and records, so that each keeps one style in all plots. */
static int collect_devs(struct plotter *p)
{
	char dev[DEV_LEN];
	int i;

	for (i = 0; i < p->nruns; i++) {
		json_object_object_foreach(p->runs[i].devices, name, tests) {
			(void)tests;
			snprintf(dev, sizeof(dev), "%s", name);
			if (dev_add(p, dev))
				return -ENOMEM;
		}
		json_object_object_foreach(p->runs[i].bench, key, rec) {
			(void)rec;
			bench_key_device(key, dev, sizeof(dev));
			if (dev_add(p, dev))
				return -ENOMEM;
		}
	}
	return 0;
}

static int key_id(const struct plotter *p, int run, const char *dev)
{
	return run * p->ndevs + dev_index(p, dev);
}

/* The series of a plot: keys (run * ndevs + device) that hold data, in order. */
struct keys {
	int *id;
	int n;
	int one_dev;	/* the device of every key, or -1 */
};

/* The keys of the series of sets that hold points: how many, or -ENOMEM (counted). */
static int keys_of(struct plotter *p, const struct plot_set *sets, int nsets, struct keys *k)
{
	int total = p->nruns * p->ndevs, i;
	bool *used = calloc(total ?: 1, sizeof(*used));
	size_t j;

	memset(k, 0, sizeof(*k));
	k->id = calloc(total ?: 1, sizeof(*k->id));
	if (!used || !k->id) {
		fprintf(stderr, "accel-cts: out of memory drawing the plots\n");
		p->failures++;
		free(used);
		free(k->id);
		k->id = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < nsets; i++)
		for (j = 0; j < sets[i].n; j++)
			if (sets[i].s[j].n && sets[i].s[j].id >= 0 && sets[i].s[j].id < total)
				used[sets[i].s[j].id] = true;
	for (i = 0; i < total; i++)
		if (used[i])
			k->id[k->n++] = i;
	k->one_dev = k->n ? k->id[0] % p->ndevs : -1;
	for (i = 1; i < k->n; i++)
		if (k->id[i] % p->ndevs != k->one_dev)
			k->one_dev = -1;
	free(used);
	return k->n;
}

/* A legend title: the run's label, and its device when the plot shows several. */
static void key_title(const struct plotter *p, const struct keys *k, int id, char *buf,
		      size_t len)
{
	const char *label = p->runs[id / p->ndevs].label;

	if (k->one_dev >= 0)
		snprintf(buf, len, "%s", label);
	else
		snprintf(buf, len, "%s %s", label, p->devs[id % p->ndevs]);
}

/* A gnuplot string: double quotes, nothing inside that ends or escapes it. */
static void gp_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || *s == '\\' ? '\'' : *s, f);
	fputc('"', f);
}

/*
 * The series of a plot for its script: nkeys; arrays T (legend titles), C
 * (linetype: the run's colour) and V (variant: the device's dash type or fill
 * pattern; runs past the NCOLOURS-th shift it, so that colours repeat with
 * another look); and device, the one device the plot shows ("" for several).
 * With one run the device gives the colour instead (and devices past the
 * NCOLOURS-th the variant): a colour per driver, legible side by side.
 */
static void key_vars(FILE *m, const struct plotter *p, const struct keys *k)
{
	char title[RUN_LABEL_MAX + DEV_LEN + 2];
	int i;

	fprintf(m, "nkeys=%d; array T[%d]; array C[%d]; array V[%d]; ", k->n, k->n, k->n, k->n);
	for (i = 0; i < k->n; i++) {
		int run = k->id[i] / p->ndevs, dev = k->id[i] % p->ndevs;

		key_title(p, k, k->id[i], title, sizeof(title));
		fprintf(m, "T[%d]=", i + 1);
		gp_string(m, title);
		if (p->nruns == 1)
			fprintf(m, "; C[%d]=%d; V[%d]=%d; ", i + 1, dev % NCOLOURS + 1, i + 1,
				dev / NCOLOURS % NVARIANTS);
		else
			fprintf(m, "; C[%d]=%d; V[%d]=%d; ", i + 1, run % NCOLOURS + 1, i + 1,
				(dev + run / NCOLOURS) % NVARIANTS);
	}
	fprintf(m, "device=");
	gp_string(m, k->one_dev >= 0 ? p->devs[k->one_dev] : "");
	fprintf(m, "; ");
}

static json_object *params_of(json_object *rec)
{
	json_object *p;

	return json_object_object_get_ex(rec, "params", &p) ? p : NULL;
}

/*
 * A block of "x y" lines headed by a comment naming it; gnuplot picks it by
 * its index. An empty one (a device without this path) holds one missing
 * point ("- -"): gnuplot counts no block of comments alone, and would read
 * the next block in its place.
 */
static void write_block(FILE *f, bool first, const char *title, const struct series *s,
			double xscale, double yscale)
{
	size_t j;

	fprintf(f, "%s# %s\n", first ? "" : "\n\n", title);
	for (j = 0; s && j < s->n; j++)
		fprintf(f, "%.9g %.9g\n", s->x[j] * xscale, s->y[j] * yscale);
	if (!s || !s->n)
		fprintf(f, "- -\n");
}

/* A table: rows of labels, columns of series; a missing value is "-". */
struct table {
	char **rows;
	size_t nrows;
	struct plot_set cols;	/* x: row index, y: value */
};

/* Append a row; SIZE_MAX (marked) if out of memory. */
static size_t table_add_row(struct table *t, const char *label)
{
	char **grown = realloc(t->rows, (t->nrows + 1) * sizeof(*t->rows));

	if (grown)
		t->rows = grown;
	if (!grown || !(t->rows[t->nrows] = strdup(label))) {
		t->cols.oom = true;
		return SIZE_MAX;
	}
	return t->nrows++;
}

/* The index of row label, added if new. */
static size_t table_row(struct table *t, const char *label)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i], label))
			return i;
	return table_add_row(t, label);
}

static void table_set(struct table *t, size_t row, int col, const char *title, double v)
{
	if (row != SIZE_MAX)
		series_add(&t->cols, series_get(&t->cols, col, title), (double)row, v);
}

/* A header row of column names (titles, or the keys' titles), then a row per label. */
static void write_table(FILE *f, bool first, const struct table *t, const struct plotter *p,
			const struct keys *k)
{
	char title[RUN_LABEL_MAX + DEV_LEN + 2];
	size_t r, c, j;

	fprintf(f, "%s\"row\"", first ? "" : "\n\n");
	for (c = 0; c < (k ? (size_t)k->n : t->cols.n); c++) {
		if (k)
			key_title(p, k, k->id[c], title, sizeof(title));
		fputc(' ', f);
		gp_string(f, k ? title : t->cols.s[c].title);
	}
	fprintf(f, "\n");
	for (r = 0; r < t->nrows; r++) {
		gp_string(f, t->rows[r]);
		for (c = 0; c < (k ? (size_t)k->n : t->cols.n); c++) {
			const struct series *s = k ? series_find(&t->cols, k->id[c]) : &t->cols.s[c];
			double v = NAN;

			for (j = 0; s && j < s->n; j++)
				if ((size_t)s->x[j] == r)
					v = s->y[j];
			if (isnan(v))
				fprintf(f, " -");
			else
				fprintf(f, " %.9g", v);
		}
		fprintf(f, "\n");
	}
}

static void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	free(t->rows);
	plot_set_free(&t->cols);
}

/* DIR/data/<name>.dat for writing; NULL (counted as a failure) if it cannot be. */
static FILE *data_open(struct plotter *p, const char *name, bool oom)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/data/%s.dat", p->out, name);
	if (oom)
		fprintf(stderr, "accel-cts: out of memory gathering %s\n", path);
	f = oom ? NULL : fopen(path, "we");
	if (!f && !oom)
		fprintf(stderr, "accel-cts: cannot write %s: %s\n", path, strerror(errno));
	if (!f)
		p->failures++;
	return f;
}

/* Close a data file; false (counted as a failure) if it could not be written. */
static bool data_close(struct plotter *p, FILE *f)
{
	if (fclose(f)) {
		p->failures++;
		return false;
	}
	return true;
}

/*
 * Run runner/reports/plots/<script>.gp for PNG and SVG of plot name; vars are extra
 * gnuplot settings ("name=value; ...").
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
			     outbase, terms[t], p->scripts, vars ?: "") < 0) {
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

/*
 * Draw with the series of keys and the columns of table t (either NULL: none)
 * and extra settings. A table's columns go as ncols and array H of their
 * names: gnuplot lays a legend out before it reads the names of a
 * columnheader() title, and would spill it off the canvas.
 */
static void draw_with(struct plotter *p, const char *name, const char *script,
		      const char *title, const struct keys *k, const struct table *t,
		      const char *extra)
{
	char *vars = NULL;
	size_t len = 0, c;
	FILE *m = open_memstream(&vars, &len);

	if (!m) {
		p->failures++;
		return;
	}
	if (k)
		key_vars(m, p, k);
	if (t) {
		fprintf(m, "ncols=%zu; array H[%zu]; ", t->cols.n, t->cols.n);
		for (c = 0; c < t->cols.n; c++) {
			fprintf(m, "H[%zu]=", c + 1);
			gp_string(m, t->cols.s[c].title);
			fprintf(m, "; ");
		}
	}
	fputs(extra, m);
	if (fclose(m))
		p->failures++;
	else
		draw(p, name, script, title, vars);
	free(vars);
}

static void plot_latency(struct plotter *p)
{
	char dev[DEV_LEN], title[RUN_LABEL_MAX + DEV_LEN + 2];
	struct plot_set ps = { 0 };
	struct keys k;
	FILE *f;
	int i;

	for (i = 0; i < p->nruns; i++) {
		json_object_object_foreach(p->runs[i].bench, key, rec) {
			json_object *samples;
			struct series *s;
			size_t j, m;

			if (strcmp(json_str(rec, "benchmark") ?: "", "nop-round-trip") ||
			    !json_object_object_get_ex(rec, "samples", &samples))
				continue;
			bench_key_device(key, dev, sizeof(dev));
			s = series_get(&ps, key_id(p, i, dev), NULL);
			/* One distribution per run and device: a second would join the first. */
			if (s && s->n)
				continue;
			m = json_object_array_length(samples);
			for (j = 0; j < m; j++)
				series_add(&ps, s, json_object_get_double(json_object_array_get_idx(samples, j)),
					   (double)(j + 1) / (double)m);
		}
	}
	if (keys_of(p, &ps, 1, &k) > 0) {
		f = data_open(p, "latency-cdf", ps.oom);
		for (i = 0; f && i < k.n; i++) {
			key_title(p, &k, k.id[i], title, sizeof(title));
			write_block(f, !i, title, series_find(&ps, k.id[i]), 1e-3, 1);
		}
		if (f && data_close(p, f))
			draw_with(p, "latency-cdf", "latency-cdf",
				  "NOP round-trip latency, cumulative distribution", &k, NULL, "");
	}
	free(k.id);
	plot_set_free(&ps);
}

static const char *const bandwidth_paths[] = {
	"bo-create-first-touch", "bo-mmap-write", "bo-mmap-read", "copy-engine",
	"udmabuf-import-copy",
};
#define NPATHS (sizeof(bandwidth_paths) / sizeof(bandwidth_paths[0]))

/* Which bandwidth path a benchmark is, or -1. */
static int bandwidth_path(const char *b)
{
	size_t i;

	for (i = 0; i < NPATHS; i++)
		if (!strcmp(b, bandwidth_paths[i]))
			return (int)i;
	return -1;
}

/* Add a word to a gnuplot list for word(): nothing in it that splits it or ends the string. */
static void word_add(char *buf, size_t len, const char *word)
{
	size_t n = strlen(buf);
	char *c;

	if (n + 2 >= len)
		return;
	snprintf(buf + n, len - n, "%s%s", n ? " " : "", word);
	for (c = buf + n + !!n; *c; c++)
		if (*c == ' ' || *c == '\'' || *c == '"' || *c == '\\')
			*c = '_';
}

/*
 * A panel per path, holding a line per run and device and the limit its
 * record carries. The data: blocks of measurements, panel by panel, a block
 * per key (empty where a run lacks the path), then the limits likewise.
 */
static void plot_bandwidth(struct plotter *p)
{
	struct plot_set meas[NPATHS] = { 0 }, lim[NPATHS] = { 0 }, shown[NPATHS];
	char dev[DEV_LEN], who[RUN_LABEL_MAX + DEV_LEN + 2], title[512];
	char panels[256] = "", limits[256] = "", extra[sizeof(panels) + sizeof(limits) + 64];
	size_t path, npanels = 0, j;
	bool oom = false, first = true;
	struct keys k;
	int i, limits_pass;
	FILE *f;

	for (i = 0; i < p->nruns; i++) {
		json_object_object_foreach(p->runs[i].bench, key, rec) {
			int pi = bandwidth_path(json_str(rec, "benchmark") ?: "");
			double bytes = json_num(params_of(rec), "bytes");
			json_object *limit;
			int id;

			if (pi < 0 || isnan(bytes))
				continue;
			bench_key_device(key, dev, sizeof(dev));
			id = key_id(p, i, dev);
			series_add(&meas[pi], series_get(&meas[pi], id, NULL), bytes,
				   json_num(rec, "median"));
			if (json_object_object_get_ex(rec, "limit", &limit))
				series_add(&lim[pi], series_get(&lim[pi], id, json_str(limit, "name")),
					   bytes, json_num(limit, "value"));
		}
	}
	for (path = 0; path < NPATHS; path++) {
		for (j = 0; j < meas[path].n; j++)
			series_sort(&meas[path].s[j]);
		for (j = 0; j < lim[path].n; j++)
			series_sort(&lim[path].s[j]);
		oom |= meas[path].oom || lim[path].oom;
		if (meas[path].n) {
			shown[npanels++] = meas[path];
			word_add(panels, sizeof(panels), bandwidth_paths[path]);
			word_add(limits, sizeof(limits), lim[path].n ? lim[path].s[0].title : "none");
		}
	}
	if (keys_of(p, shown, (int)npanels, &k) > 0) {
		f = data_open(p, "bandwidth", oom);
		for (limits_pass = 0; f && limits_pass < 2; limits_pass++) {
			for (path = 0; path < NPATHS; path++) {
				if (!meas[path].n)
					continue;
				for (i = 0; i < k.n; i++) {
					const struct series *s = series_find(limits_pass ? &lim[path] :
									     &meas[path], k.id[i]);

					key_title(p, &k, k.id[i], who, sizeof(who));
					if (limits_pass)
						snprintf(title, sizeof(title), "%s, its limit %s: %s",
							 bandwidth_paths[path], s ? s->title : "(none)", who);
					else
						snprintf(title, sizeof(title), "%s: %s", bandwidth_paths[path],
							 who);
					write_block(f, first, title, s, 1, 1);
					first = false;
				}
			}
		}
		snprintf(extra, sizeof(extra), "npanels=%zu; panels='%s'; limits='%s'", npanels,
			 panels, limits);
		if (f && data_close(p, f))
			draw_with(p, "bandwidth", "bandwidth", "Bandwidth against transfer size", &k,
				  NULL, extra);
	}
	free(k.id);
	for (path = 0; path < NPATHS; path++) {
		plot_set_free(&meas[path]);
		plot_set_free(&lim[path]);
	}
}

/*
 * Two tables, warm then cold page cache: rows are the limits of the run, then
 * the strategies; a column per run and device.
 */
static void plot_weights(struct plotter *p)
{
	struct table t[2] = { 0 };	/* warm, cold */
	struct plot_set cols[2];
	char dev[DEV_LEN], extra[64];
	struct keys k;
	FILE *f;
	int i;

	table_row(&t[0], "memcpy (limit)");
	table_row(&t[0], "page-cache-read (limit)");
	table_row(&t[1], "odirect-read-cold (limit)");
	for (i = 0; i < p->nruns; i++) {
		json_object_object_foreach(p->runs[i].bench, key, rec) {
			const char *b = json_str(rec, "benchmark") ?: "";
			json_object *limit, *prm = params_of(rec);
			int id;

			bench_key_device(key, dev, sizeof(dev));
			id = key_id(p, i, dev);
			if (!strcmp(b, "page-cache-read")) {
				table_set(&t[0], 1, id, NULL, json_num(rec, "median"));
				if (json_object_object_get_ex(rec, "limit", &limit))
					table_set(&t[0], 0, id, NULL, json_num(limit, "value"));
			} else if (!strcmp(b, "odirect-read-cold")) {
				table_set(&t[1], 0, id, NULL, json_num(rec, "median"));
			} else if (!strcmp(b, "weight-load")) {
				struct table *w = &t[!strcmp(json_str(prm, "cache") ?: "", "cold")];

				table_set(w, table_row(w, json_str(prm, "strategy") ?: "?"), id, NULL,
					  json_num(rec, "median"));
			}
		}
	}
	cols[0] = t[0].cols;
	cols[1] = t[1].cols;
	if (keys_of(p, cols, 2, &k) > 0) {
		f = data_open(p, "weights", t[0].cols.oom || t[1].cols.oom);
		for (i = 0; f && i < 2; i++)
			if (t[i].cols.n)
				write_table(f, !i || !t[0].cols.n, &t[i], p, &k);
		snprintf(extra, sizeof(extra), "ntables=%d; tables='%s'",
			 !!t[0].cols.n + !!t[1].cols.n,
			 !t[1].cols.n ? "warm" : !t[0].cols.n ? "cold" : "warm cold");
		if (f && data_close(p, f))
			draw_with(p, "weights", "weights", "LLM weight load per strategy, warm and cold",
				  &k, NULL, extra);
	}
	free(k.id);
	table_free(&t[0]);
	table_free(&t[1]);
}

/*
 * Medians per run, a row per run in the order given (two runs of one kernel
 * are two points): latency figures in µs, or 4 MiB bandwidths and weight
 * loads in GB/s; a column per figure and device.
 */
static void plot_trend(struct plotter *p, bool latency)
{
	static const char *const lat[] = { "nop-round-trip", "null-ioctl", "eventfd-round-trip" };
	const char *name = latency ? "trend-latency" : "trend-bandwidth";
	const char *title = latency ? "Latency medians per run" :
			    "Bandwidth (4 MiB) and weight-load medians per run";
	char dev[DEV_LEN], col[256], extra[256];
	struct table t = { 0 };
	size_t j;
	FILE *f;
	int i;

	for (i = 0; i < p->nruns; i++) {
		size_t row = table_add_row(&t, p->runs[i].label);

		json_object_object_foreach(p->runs[i].bench, key, rec) {
			const char *b = json_str(rec, "benchmark") ?: "";
			json_object *prm = params_of(rec);
			int figure = -1, pi = bandwidth_path(b);

			bench_key_device(key, dev, sizeof(dev));
			if (latency) {
				for (j = 0; j < sizeof(lat) / sizeof(lat[0]); j++)
					if (!strcmp(b, lat[j])) {
						figure = (int)j;
						snprintf(col, sizeof(col), "%s %s", b, dev);
					}
			} else if (pi >= 0 && json_num(prm, "bytes") == (double)TREND_BYTES) {
				figure = pi;
				snprintf(col, sizeof(col), "%s %s", b, dev);
			} else if (!strcmp(b, "weight-load") &&
				   !strcmp(json_str(prm, "strategy") ?: "", "read-into-bo")) {
				const char *cache = json_str(prm, "cache") ?: "?";

				figure = (int)NPATHS + !strcmp(cache, "cold");
				snprintf(col, sizeof(col), "weight-load read-into-bo %s %s", cache, dev);
			}
			if (figure >= 0)
				table_set(&t, row, figure * p->ndevs + dev_index(p, dev), col,
					  json_num(rec, "median") * (latency ? 1e-3 : 1));
		}
	}
	plot_set_sort(&t.cols);
	if (t.cols.n) {
		f = data_open(p, name, t.cols.oom);
		if (f)
			write_table(f, true, &t, p, NULL);
		snprintf(extra, sizeof(extra), "nrows=%zu; ylabel_text='%s'; title_text='%s'",
			 t.nrows, latency ? "median latency (µs)" : "median GB/s", title);
		if (f && data_close(p, f))
			draw_with(p, name, "trend", title, NULL, &t, extra);
	}
	table_free(&t);
}

/* A row per run and device, "label device", in the order of the runs. */
static void plot_results(struct plotter *p)
{
	static const char *const cols[] = { "pass", "skip", "fail", "crash, timeout, dmesg" };
	char row[RUN_LABEL_MAX + DEV_LEN + 2], extra[32];
	struct table t = { 0 };
	size_t r;
	FILE *f;
	int i, c;

	for (i = 0; i < p->nruns; i++) {
		json_object_object_foreach(p->runs[i].devices, dev, tests) {
			int counts[4];

			run_device_counts(tests, counts);
			snprintf(row, sizeof(row), "%s %s", p->runs[i].label, dev);
			r = table_add_row(&t, row);
			for (c = 0; c < 4; c++)
				table_set(&t, r, c, cols[c], counts[c]);
		}
	}
	if (t.nrows) {
		f = data_open(p, "results", t.cols.oom);
		if (f)
			write_table(f, true, &t, p, NULL);
		snprintf(extra, sizeof(extra), "nrows=%zu", t.nrows);
		if (f && data_close(p, f))
			draw_with(p, "results", "results", "Conformance results per run and device", NULL,
				  &t, extra);
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
	struct plotter p = { .out = out_dir, .runs = runs, .nruns = n, .made = made, .max = max };
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
	if (collect_devs(&p)) {
		free(p.devs);
		fprintf(stderr, "accel-cts: out of memory\n");
		return -ENOMEM;
	}
	plot_latency(&p);
	plot_bandwidth(&p);
	plot_weights(&p);
	if (n > 1) {
		plot_trend(&p, true);
		plot_trend(&p, false);
	}
	plot_results(&p);
	free(p.devs);
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
	const char *use = "usage: accel-cts plot --out DIR RUN...\n"
			  "  gnuplot plots (PNG, SVG, data in DIR/data/), a series per run and\n"
			  "  device, named by the run's label (accel-cts run --label) or its git\n"
			  "  sha, kernel and start time; a RUN that is a run set (a folder of\n"
			  "  runs) gives all of its runs\n";
	struct plot_made made[16];
	struct run_data *runs;
	char **paths;
	const char *out = NULL;
	int opt, n, i, made_n;

	while ((opt = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'h': fputs(use, stdout); return 0;
		default: fputs(use, stderr); return 2;
		}
	}
	n = argc - optind;
	if (!out || n < 1) {
		fputs(use, stderr);
		return 2;
	}
	if (!have_gnuplot()) {
		fprintf(stderr, "accel-cts: gnuplot not found (apt-get install gnuplot-nox)\n");
		return 2;
	}
	n = run_sets_paths(argv + optind, n, &paths, NULL);
	if (n < 0)
		return 2;
	runs = run_data_load_all(paths, n);
	run_set_paths_free(paths, n);
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
