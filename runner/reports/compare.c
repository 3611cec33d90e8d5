// SPDX-License-Identifier: MIT
/*
 * `accel-cts compare BASE NEW`: what changed between two run folders.
 *
 * Conformance: each device's results.json, subtest by subtest. A subtest
 * that did not fail before (or did not exist) and fails now is a
 * regression; the other changes (fixed, new, removed, lost coverage, a
 * different failure) are reported but do not gate.
 *
 * Benchmarks: the records in the JSON files of bench/, matched by device, benchmark and
 * parameters. A change is a regression only when it goes the wrong way, is
 * larger than the threshold, and is significant: the Mann-Whitney U test on
 * the two sets of samples gives p below alpha. Noise alone, however large,
 * is not a regression.
 *
 * Exit status: 0 no regression, 1 regressions, 2 bad usage or input.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "compare.h"
#include "mann_whitney.h"

static const char *result_of(json_object *tests, const char *name)
{
	json_object *t, *res;

	if (!tests || !json_object_object_get_ex(tests, name, &t) ||
	    !json_object_object_get_ex(t, "result", &res))
		return NULL;
	return json_object_get_string(res);
}

static bool failing(const char *r)
{
	return r && strcmp(r, "pass") && strcmp(r, "skip") && strcmp(r, "notrun");
}

/* What a subtest's move from b to n (NULL: absent) means. */
static const char *conformance_change(const char *b, const char *n)
{
	if (b && n && !strcmp(b, n))
		return NULL;
	if (failing(n) && !failing(b))
		return "regression";
	if (failing(b) && failing(n))
		return "changed-failure";
	if (failing(b))
		return n ? "fixed" : "removed";
	if (!b)
		return "new";
	if (!n)
		return "removed";
	return !strcmp(n, "skip") ? "lost-coverage" : "gained-coverage";
}

struct tally {
	int regressions, fixed, other, unchanged;
};

static void add_conformance(json_object *out, const char *dev, const char *test, const char *b,
			    const char *n, const char *change)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "device", json_object_new_string(dev));
	json_object_object_add(o, "test", json_object_new_string(test));
	json_object_object_add(o, "base", b ? json_object_new_string(b) : NULL);
	json_object_object_add(o, "new", n ? json_object_new_string(n) : NULL);
	json_object_object_add(o, "change", json_object_new_string(change));
	json_object_array_add(out, o);
}

static void compare_device(json_object *out, struct tally *t, const char *dev, json_object *bt,
			   json_object *nt)
{
	if (nt) {
		json_object_object_foreach(nt, name, v) {
			const char *b = result_of(bt, name), *n = result_of(nt, name);
			const char *change = conformance_change(b, n);

			(void)v;
			if (!change) {
				t->unchanged++;
				continue;
			}
			add_conformance(out, dev, name, b, n, change);
			if (!strcmp(change, "regression"))
				t->regressions++;
			else if (!strcmp(change, "fixed"))
				t->fixed++;
			else
				t->other++;
		}
	}
	if (bt) {
		json_object_object_foreach(bt, name, v) {
			const char *b = result_of(bt, name);

			(void)v;
			if (nt && json_object_object_get_ex(nt, name, NULL))
				continue;
			add_conformance(out, dev, name, b, NULL, conformance_change(b, NULL));
			t->other++;
		}
	}
}

/*
 * What a record's figures are divided by: its in-run limit when comparing
 * normalised figures (a host that got slower slows the limit too), else 1.
 */
static double scale_of(const struct compare_opts *o, json_object *rec)
{
	json_object *limit;
	double v;

	if (!o->normalise || !json_object_object_get_ex(rec, "limit", &limit))
		return 1;
	v = json_num(limit, "value");
	return v > 0 ? v : 1;
}

/* The record's samples, or its median alone if it kept none, divided by scale. */
static double *samples_of(json_object *rec, double scale, size_t *n)
{
	json_object *s;
	double *v;
	size_t i;

	if (!json_object_object_get_ex(rec, "samples", &s) ||
	    !json_object_is_type(s, json_type_array) || !json_object_array_length(s)) {
		v = malloc(sizeof(*v));
		if (v)
			*v = json_num(rec, "median") / scale;
		*n = 1;
		return v;
	}
	*n = json_object_array_length(s);
	v = calloc(*n, sizeof(*v));
	for (i = 0; v && i < *n; i++)
		v[i] = json_object_get_double(json_object_array_get_idx(s, i)) / scale;
	return v;
}

static const char *bench_verdict(const struct compare_opts *o, json_object *b, json_object *n,
				 double *change, struct mwu *m, size_t *nb, size_t *nn)
{
	json_object *hib;
	bool higher_better = json_object_object_get_ex(n, "higher_is_better", &hib) &&
			     json_object_get_boolean(hib);
	double bscale = scale_of(o, b), nscale = scale_of(o, n);
	double bm = json_num(b, "median") / bscale, nm = json_num(n, "median") / nscale;
	double *bs = samples_of(b, bscale, nb), *ns = samples_of(n, nscale, nn);
	bool worse;

	*change = bm ? (nm - bm) / fabs(bm) : 0;
	if (bs && ns)
		mwu_test(bs, *nb, ns, *nn, m);
	free(bs);
	free(ns);
	if (fabs(*change) < o->threshold)
		return "unchanged";
	if (m->p >= o->alpha)
		return "not-significant";
	worse = higher_better ? *change < 0 : *change > 0;
	return worse ? "regression" : "improvement";
}

static void print_bench(FILE *f, json_object *changes, bool all)
{
	size_t i;

	for (i = 0; i < json_object_array_length(changes); i++) {
		json_object *c = json_object_array_get_idx(changes, i), *v;
		const char *verdict = "", *key = "", *unit = "";

		if (json_object_object_get_ex(c, "verdict", &v))
			verdict = json_object_get_string(v);
		if (!all && strcmp(verdict, "regression") && strcmp(verdict, "improvement"))
			continue;
		if (json_object_object_get_ex(c, "key", &v))
			key = json_object_get_string(v);
		if (json_object_object_get_ex(c, "unit", &v))
			unit = json_object_get_string(v);
		fprintf(f, "  %-15s %s\n  %15s %.4g -> %.4g %s (%+.1f%%, confidence %.1f%%, p %.2g, "
			"n %d/%d)\n", verdict, key, "", json_num(c, "base_median"), json_num(c, "new_median"),
			unit, 100 * json_num(c, "change"), 100 * json_num(c, "confidence"), json_num(c, "p"),
			(int)json_num(c, "n_base"), (int)json_num(c, "n_new"));
	}
}

static void compare_bench(const struct compare_opts *o, json_object *out, struct tally *t,
			  json_object *base, json_object *new, int *only)
{
	json_object_object_foreach(new, key, n) {
		json_object *b, *o_rec, *unit;
		const char *verdict;
		struct mwu m = { .p = 1 };
		size_t nb = 0, nn = 0;
		double change;

		if (!json_object_object_get_ex(base, key, &b)) {
			(*only)++;
			continue;
		}
		verdict = bench_verdict(o, b, n, &change, &m, &nb, &nn);
		o_rec = json_object_new_object();
		json_object_object_add(o_rec, "key", json_object_new_string(key));
		json_object_object_add(o_rec, "unit", json_object_object_get_ex(n, "unit", &unit) ?
				       json_object_get(unit) : NULL);
		json_object_object_add(o_rec, "base_median", json_object_new_double(json_num(b, "median")));
		json_object_object_add(o_rec, "new_median", json_object_new_double(json_num(n, "median")));
		json_object_object_add(o_rec, "change", json_object_new_double(change));
		json_object_object_add(o_rec, "p", json_object_new_double(m.p));
		json_object_object_add(o_rec, "confidence", json_object_new_double(1 - m.p));
		json_object_object_add(o_rec, "exact", json_object_new_boolean(m.exact));
		json_object_object_add(o_rec, "n_base", json_object_new_int64((int64_t)nb));
		json_object_object_add(o_rec, "n_new", json_object_new_int64((int64_t)nn));
		json_object_object_add(o_rec, "verdict", json_object_new_string(verdict));
		json_object_array_add(out, o_rec);
		if (!strcmp(verdict, "regression"))
			t->regressions++;
		else if (!strcmp(verdict, "improvement"))
			t->fixed++;
		else
			t->unchanged++;
	}
	json_object_object_foreach(base, bkey, bv) {
		(void)bv;
		if (!json_object_object_get_ex(new, bkey, NULL))
			(*only)++;
	}
}

static void print_conformance(FILE *f, json_object *changes, bool all)
{
	static const char *const order[] = { "regression", "fixed", "changed-failure", "new",
					     "removed", "lost-coverage", "gained-coverage" };
	size_t k, i;

	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		for (i = 0; i < json_object_array_length(changes); i++) {
			json_object *c = json_object_array_get_idx(changes, i), *v;
			const char *b = NULL, *n = NULL, *dev = "", *test = "", *change = "";

			if (json_object_object_get_ex(c, "change", &v))
				change = json_object_get_string(v);
			if (strcmp(change, order[k]))
				continue;
			/* New passing subtests are many and dull: listed with --all only. */
			if (!all && !strcmp(change, "new"))
				continue;
			if (json_object_object_get_ex(c, "base", &v))
				b = json_object_get_string(v);
			if (json_object_object_get_ex(c, "new", &v))
				n = json_object_get_string(v);
			if (json_object_object_get_ex(c, "device", &v))
				dev = json_object_get_string(v);
			if (json_object_object_get_ex(c, "test", &v))
				test = json_object_get_string(v);
			fprintf(f, "  %-15s %-20s %-48s %s -> %s\n", change, dev, test, b ?: "(none)",
				n ?: "(none)");
		}
	}
}

int compare_runs(const struct run_data *base, const struct run_data *new,
		 const struct compare_opts *o, FILE *f, json_object **result)
{
	json_object *out = json_object_new_object(), *conf = json_object_new_array();
	json_object *bench = json_object_new_array();
	struct tally tc = { 0 }, tb = { 0 };
	bool own = !f;
	int only = 0;

	if (own && !(f = fopen("/dev/null", "we")))
		return -errno;
	fprintf(f, "accel-cts compare: %s -> %s\n", base->path, new->path);
	json_object_object_foreach(new->devices, dev, nt) {
		json_object *bt = NULL;

		json_object_object_get_ex(base->devices, dev, &bt);
		compare_device(conf, &tc, dev, bt, nt);
	}
	json_object_object_foreach(base->devices, bdev, bt2) {
		if (!json_object_object_get_ex(new->devices, bdev, NULL))
			compare_device(conf, &tc, bdev, bt2, NULL);
	}
	fprintf(f, "conformance: %d regressions, %d fixed, %d other changes, %d unchanged\n",
		tc.regressions, tc.fixed, tc.other, tc.unchanged);
	print_conformance(f, conf, o->all);

	compare_bench(o, bench, &tb, base->bench, new->bench, &only);
	fprintf(f, "benchmarks: %d regressions, %d improvements, %d without a significant change "
		"(threshold %.1f%%, alpha %.3g), %d only in one run\n",
		tb.regressions, tb.fixed, tb.unchanged, 100 * o->threshold, o->alpha, only);
	if (o->normalise)
		fprintf(f, "(figures divided by the limit each run measured)\n");
	print_bench(f, bench, o->all);
	if (own)
		fclose(f);

	json_object_object_add(out, "base", json_object_new_string(base->path));
	json_object_object_add(out, "new", json_object_new_string(new->path));
	json_object_object_add(out, "threshold", json_object_new_double(o->threshold));
	json_object_object_add(out, "alpha", json_object_new_double(o->alpha));
	json_object_object_add(out, "normalised", json_object_new_boolean(o->normalise));
	json_object_object_add(out, "conformance", conf);
	json_object_object_add(out, "benchmarks", bench);
	json_object_object_add(out, "conformance_regressions", json_object_new_int(tc.regressions));
	json_object_object_add(out, "benchmark_regressions", json_object_new_int(tb.regressions));
	*result = out;
	return tc.regressions + tb.regressions;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: accel-cts compare [options] BASE NEW\n"
		   "  BASE, NEW         run folders (or device folders holding results.json)\n"
		   "  --threshold PCT   smallest benchmark change that counts (default 5)\n"
		   "  --alpha P         significance level of the Mann-Whitney U test (default 0.01)\n"
		   "  --normalise       compare each figure divided by the limit its run measured\n"
		   "                    (a host that slowed down as a whole is not a regression)\n"
		   "  --json FILE       also write the comparison as JSON\n"
		   "  --all             list every compared figure and every new subtest\n"
		   "exit status: 0 no regression, 1 regressions, 2 usage or unreadable input\n");
}

static bool parse_double(const char *s, double *v, double lo, double hi)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return !errno && end != s && !*end && *v >= lo && *v <= hi;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' }, { "alpha", required_argument, NULL, 'a' },
		{ "json", required_argument, NULL, 'j' }, { "all", no_argument, NULL, 'A' },
		{ "normalise", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct compare_opts o = COMPARE_DEFAULTS;
	const char *json_out = NULL;
	struct run_data base, new;
	json_object *result = NULL;
	int opt, regressions, ret;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (!parse_double(optarg, &o.threshold, 0, 1e6)) {
				fprintf(stderr, "accel-cts: --threshold '%s' is not a percentage\n", optarg);
				return 2;
			}
			o.threshold /= 100;
			break;
		case 'a':
			if (!parse_double(optarg, &o.alpha, 1e-12, 1)) {
				fprintf(stderr, "accel-cts: --alpha '%s' is not a probability\n", optarg);
				return 2;
			}
			break;
		case 'j': json_out = optarg; break;
		case 'A': o.all = true; break;
		case 'N': o.normalise = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "accel-cts: compare needs two run folders, BASE and NEW\n");
		usage(stderr);
		return 2;
	}
	if (run_data_load(&base, argv[optind])) {
		run_data_free(&base);
		return 2;
	}
	if (run_data_load(&new, argv[optind + 1])) {
		run_data_free(&base);
		run_data_free(&new);
		return 2;
	}
	fflush(stdout);
	regressions = compare_runs(&base, &new, &o, stdout, &result);
	if (regressions < 0) {
		fprintf(stderr, "accel-cts: %s\n", strerror(-regressions));
		run_data_free(&base);
		run_data_free(&new);
		return 2;
	}
	ret = regressions ? 1 : 0;
	if (json_out && json_object_to_file_ext(json_out, result, JSON_C_TO_STRING_PRETTY)) {
		fprintf(stderr, "accel-cts: cannot write %s\n", json_out);
		ret = 2;
	}
	printf("%s\n", regressions ? "REGRESSED" : "no regression");
	json_object_put(result);
	run_data_free(&base);
	run_data_free(&new);
	return ret;
}
