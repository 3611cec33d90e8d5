// SPDX-License-Identifier: MIT
/*
 * `accel-cts compare BASE NEW`: what changed between two runs, or between two
 * groups of runs (each side a run set folder, or --base/--new given again).
 *
 * The unit of replication is the run, a guest boot: most of the variance of
 * a figure on a shared or emulated machine lies between boots, so the
 * samples inside one run say nothing about whether another run differs.
 *
 * Conformance: each device's results.json, subtest by subtest, a group's
 * result being the one most of its runs gave (a tie goes to the failure). A
 * subtest that did not fail before (or did not exist) and fails now is a
 * regression; the other changes (fixed, new, removed, lost coverage, a
 * different failure, flaky in a group) are reported but do not gate.
 *
 * Benchmarks: the records in bench/, matched by device, benchmark and
 * parameters, each run summarised by its median. A change is a regression
 * when it goes the wrong way, the geometric means of the runs' medians
 * differ by more than the threshold, and Welch's t test on the logarithms
 * of those medians (the between-run noise, measured from the replicates)
 * finds it significant after the Benjamini-Hochberg adjustment for the
 * number of figures compared. With fewer than two runs a side the noise is
 * unknown: the figures are reported as inconclusive, never as regressions.
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
#include "stats.h"

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

/* A group's result of a subtest: the one most runs gave, a tie going to a failure. */
static const char *majority_result(const struct run_data *runs, int n, const char *dev,
				   const char *test, int *fails, int *have)
{
	const char *best = NULL;
	int i, j, best_count = 0;

	*fails = *have = 0;
	for (i = 0; i < n; i++) {
		json_object *tests = NULL;
		const char *r;
		int count = 0;

		json_object_object_get_ex(runs[i].devices, dev, &tests);
		r = result_of(tests, test);
		if (!r)
			continue;
		(*have)++;
		*fails += failing(r);
		for (j = 0; j < n; j++) {
			json_object *t2 = NULL;
			const char *r2;

			json_object_object_get_ex(runs[j].devices, dev, &t2);
			r2 = result_of(t2, test);
			count += r2 && !strcmp(r2, r);
		}
		if (count > best_count || (count == best_count && failing(r) && !failing(best))) {
			best = r;
			best_count = count;
		}
	}
	return best;
}

/*
 * One device's subtests of a group as results.json's "tests" would have them,
 * with the majority result, and how many of its runs failed each.
 */
static json_object *group_tests(const struct run_data *runs, int n, const char *dev)
{
	json_object *out = json_object_new_object();
	int i;

	for (i = 0; i < n; i++) {
		json_object *tests = NULL;

		if (!json_object_object_get_ex(runs[i].devices, dev, &tests))
			continue;
		json_object_object_foreach(tests, name, v) {
			json_object *t;
			const char *r;
			int fails, have;

			(void)v;
			if (json_object_object_get_ex(out, name, NULL))
				continue;
			r = majority_result(runs, n, dev, name, &fails, &have);
			t = json_object_new_object();
			json_object_object_add(t, "result", json_object_new_string(r ?: "notrun"));
			json_object_object_add(t, "fails", json_object_new_int(fails));
			json_object_object_add(t, "runs", json_object_new_int(have));
			json_object_object_add(out, name, t);
		}
	}
	return out;
}

/* The devices any run of either group has results for. */
static json_object *all_devices(const struct run_data *b, int nb, const struct run_data *n, int nn)
{
	json_object *devs = json_object_new_object();
	int i;

	for (i = 0; i < nb + nn; i++) {
		const struct run_data *r = i < nb ? &b[i] : &n[i - nb];

		json_object_object_foreach(r->devices, dev, v) {
			(void)v;
			if (!json_object_object_get_ex(devs, dev, NULL))
				json_object_object_add(devs, dev, NULL);
		}
	}
	return devs;
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

/* Did some runs of a group fail a subtest and others not? */
static bool flaky_in(json_object *tests, const char *name)
{
	json_object *t;
	double fails, runs;

	if (!tests || !json_object_object_get_ex(tests, name, &t))
		return false;
	fails = json_num(t, "fails");
	runs = json_num(t, "runs");
	return fails > 0 && fails < runs;
}

static void compare_device(json_object *out, struct tally *t, const char *dev, json_object *bt,
			   json_object *nt)
{
	if (nt) {
		json_object_object_foreach(nt, name, v) {
			const char *b = result_of(bt, name), *n = result_of(nt, name);
			const char *change = conformance_change(b, n);

			(void)v;
			if (!change && (flaky_in(bt, name) || flaky_in(nt, name)))
				change = "flaky";
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

/* One figure of the two groups: the runs' medians on a log scale. */
struct figure {
	const char *key;
	json_object *unit;
	bool higher_better;
	double *b, *n;		/* log(median / scale) of each run that measured it */
	size_t nb, nn;
	double change, p, p_adj, noise;
};

static void figure_collect(const struct compare_opts *o, struct figure *fig,
			   const struct run_data *runs, int count, bool base)
{
	double *v = calloc((size_t)count, sizeof(*v));
	size_t k = 0;
	int i;

	for (i = 0; v && i < count; i++) {
		json_object *rec, *hib;
		double m;

		if (!json_object_object_get_ex(runs[i].bench, fig->key, &rec))
			continue;
		m = json_num(rec, "median") / scale_of(o, rec);
		if (!(m > 0))
			continue;
		v[k++] = log(m);
		if (!fig->unit)
			json_object_object_get_ex(rec, "unit", &fig->unit);
		if (json_object_object_get_ex(rec, "higher_is_better", &hib))
			fig->higher_better = json_object_get_boolean(hib);
	}
	if (base) {
		fig->b = v;
		fig->nb = k;
	} else {
		fig->n = v;
		fig->nn = k;
	}
}

/* Change, p and the between-run noise of one figure (p 1: not testable). */
static void figure_test(struct figure *fig)
{
	double mb, vb, mn, vn;
	struct welch w;

	stats_mean_var(fig->b, fig->nb, &mb, &vb);
	stats_mean_var(fig->n, fig->nn, &mn, &vn);
	fig->change = exp(mn - mb) - 1;
	fig->p = 1;
	fig->noise = NAN;
	if (fig->nb < 2 || fig->nn < 2)
		return;
	welch_test(fig->b, fig->nb, fig->n, fig->nn, &w);
	fig->p = w.p;
	/* Pooled between-run spread, as a relative standard deviation. */
	fig->noise = exp(sqrt(((fig->nb - 1) * vb + (fig->nn - 1) * vn) /
			      (double)(fig->nb + fig->nn - 2))) - 1;
}

static const char *figure_verdict(const struct compare_opts *o, const struct figure *fig,
				  bool clocks_differ)
{
	bool worse = fig->higher_better ? fig->change < 0 : fig->change > 0;

	if (fig->nb < 2 || fig->nn < 2 || clocks_differ)
		return "inconclusive";
	if (fabs(fig->change) < o->threshold)
		return "unchanged";
	if (fig->p_adj >= o->alpha)
		return "not-significant";
	return worse ? "regression" : "improvement";
}

static void print_bench(FILE *f, json_object *changes, bool all)
{
	size_t i;

	for (i = 0; i < json_object_array_length(changes); i++) {
		json_object *c = json_object_array_get_idx(changes, i), *v;
		const char *verdict = "", *key = "", *unit = "";
		double noise;

		if (json_object_object_get_ex(c, "verdict", &v))
			verdict = json_object_get_string(v);
		if (!all && strcmp(verdict, "regression") && strcmp(verdict, "improvement"))
			continue;
		if (json_object_object_get_ex(c, "key", &v))
			key = json_object_get_string(v);
		if (json_object_object_get_ex(c, "unit", &v))
			unit = json_object_get_string(v);
		noise = json_num(c, "noise");
		fprintf(f, "  %-15s %s\n  %15s %.4g -> %.4g %s (%+.1f%%", verdict, key, "",
			json_num(c, "base_median"), json_num(c, "new_median"), unit,
			100 * json_num(c, "change"));
		if (isfinite(noise))
			fprintf(f, ", noise between runs %.1f%%, adjusted p %.2g", 100 * noise,
				json_num(c, "p_adjusted"));
		fprintf(f, ", runs %d/%d)\n", (int)json_num(c, "n_base"), (int)json_num(c, "n_new"));
	}
}

/* Every key measured by some run of either group, each once. */
static json_object *all_keys(const struct run_data *b, int nb, const struct run_data *n, int nn)
{
	json_object *keys = json_object_new_object();
	int i;

	for (i = 0; i < nb + nn; i++) {
		const struct run_data *r = i < nb ? &b[i] : &n[i - nb];

		json_object_object_foreach(r->bench, key, v) {
			(void)v;
			if (!json_object_object_get_ex(keys, key, NULL))
				json_object_object_add(keys, key, NULL);
		}
	}
	return keys;
}

/* The clock a run's figures were measured with (runs from before clocks were recorded: real). */
static const char *run_clock(const struct run_data *r)
{
	return run_env_str(r, "clock", "clock") ?: "real";
}

/* Do the runs of the two groups not all share one clock (real or icount)? */
static bool clocks_differ(const struct run_data *base, int nb, const struct run_data *new, int nn)
{
	const char *first = run_clock(&base[0]);
	int i;

	for (i = 0; i < nb + nn; i++)
		if (strcmp(first, run_clock(i < nb ? &base[i] : &new[i - nb])))
			return true;
	return false;
}

static int compare_bench(const struct compare_opts *o, json_object *out, struct tally *t,
			 const struct run_data *base, int nb, const struct run_data *new, int nn,
			 bool mixed, int *only, int *inconclusive)
{
	json_object *keys = all_keys(base, nb, new, nn);
	size_t nf = 0, tested = 0, i, k = (size_t)json_object_object_length(keys);
	struct figure *figs = calloc(k ? k : 1, sizeof(*figs));
	double *p = calloc(k ? k : 1, sizeof(*p));
	int ret = 0;

	if (!figs || !p) {
		ret = -ENOMEM;
		goto out;
	}
	json_object_object_foreach(keys, key, unused) {
		struct figure *fig = &figs[nf];

		(void)unused;
		fig->key = key;
		figure_collect(o, fig, base, nb, true);
		figure_collect(o, fig, new, nn, false);
		if (!fig->b || !fig->n) {
			ret = -ENOMEM;
			goto out;
		}
		if (!fig->nb || !fig->nn) {
			/* Measured on one side only: the slot is reused, clean. */
			(*only)++;
			free(fig->b);
			free(fig->n);
			memset(fig, 0, sizeof(*fig));
			continue;
		}
		figure_test(fig);
		if (fig->nb >= 2 && fig->nn >= 2)
			p[tested++] = fig->p;
		nf++;
	}
	/* Adjust for the number of figures tested, in the order they were. */
	bh_adjust(p, tested);
	for (i = 0, tested = 0; i < nf; i++) {
		struct figure *fig = &figs[i];
		json_object *rec = json_object_new_object();
		const char *verdict;
		double mb, mn, vb, vn;

		fig->p_adj = fig->nb >= 2 && fig->nn >= 2 ? p[tested++] : 1;
		verdict = figure_verdict(o, fig, mixed);
		stats_mean_var(fig->b, fig->nb, &mb, &vb);
		stats_mean_var(fig->n, fig->nn, &mn, &vn);
		json_object_object_add(rec, "key", json_object_new_string(fig->key));
		json_object_object_add(rec, "unit", fig->unit ? json_object_get(fig->unit) : NULL);
		/* Geometric means of the runs' medians, back on the figure's own scale. */
		json_object_object_add(rec, "base_median", json_object_new_double(exp(mb)));
		json_object_object_add(rec, "new_median", json_object_new_double(exp(mn)));
		json_object_object_add(rec, "change", json_object_new_double(fig->change));
		json_object_object_add(rec, "p", json_object_new_double(fig->p));
		json_object_object_add(rec, "p_adjusted", json_object_new_double(fig->p_adj));
		json_object_object_add(rec, "confidence", json_object_new_double(1 - fig->p_adj));
		json_object_object_add(rec, "noise", isfinite(fig->noise) ?
				       json_object_new_double(fig->noise) : NULL);
		json_object_object_add(rec, "n_base", json_object_new_int64((int64_t)fig->nb));
		json_object_object_add(rec, "n_new", json_object_new_int64((int64_t)fig->nn));
		json_object_object_add(rec, "verdict", json_object_new_string(verdict));
		json_object_array_add(out, rec);
		if (!strcmp(verdict, "regression"))
			t->regressions++;
		else if (!strcmp(verdict, "improvement"))
			t->fixed++;
		else if (!strcmp(verdict, "inconclusive"))
			(*inconclusive)++;
		else
			t->unchanged++;
	}
out:
	for (i = 0; figs && i < k; i++) {
		free(figs[i].b);
		free(figs[i].n);
	}
	free(figs);
	free(p);
	json_object_put(keys);
	return ret;
}

static void print_conformance(FILE *f, json_object *changes, bool all)
{
	static const char *const order[] = { "regression", "fixed", "changed-failure", "flaky",
					     "new", "removed", "lost-coverage", "gained-coverage" };
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

/* "a", or "a + 4 more": a group's name for headings. */
static void group_name(char *buf, size_t len, const struct run_data *runs, int n)
{
	if (n == 1)
		snprintf(buf, len, "%s", runs[0].path);
	else
		snprintf(buf, len, "%s + %d more", runs[0].path, n - 1);
}

int compare_groups(const struct run_data *base, int nb, const struct run_data *new, int nn,
		   const struct compare_opts *o, FILE *f, json_object **result)
{
	json_object *out = json_object_new_object(), *conf = json_object_new_array();
	json_object *bench = json_object_new_array(), *devs;
	struct tally tc = { 0 }, tb = { 0 };
	char bname[PATH_MAX + 32], nname[PATH_MAX + 32];
	int only = 0, inconclusive = 0, ret;
	bool own = !f, mixed;

	if (own && !(f = fopen("/dev/null", "we")))
		return -errno;
	group_name(bname, sizeof(bname), base, nb);
	group_name(nname, sizeof(nname), new, nn);
	fprintf(f, "accel-cts compare: %s -> %s (%d run%s -> %d run%s)\n", bname, nname,
		nb, nb == 1 ? "" : "s", nn, nn == 1 ? "" : "s");
	devs = all_devices(base, nb, new, nn);
	json_object_object_foreach(devs, dev, unused) {
		json_object *bt = group_tests(base, nb, dev), *nt = group_tests(new, nn, dev);

		(void)unused;
		compare_device(conf, &tc, dev, json_object_object_length(bt) ? bt : NULL,
			       json_object_object_length(nt) ? nt : NULL);
		json_object_put(bt);
		json_object_put(nt);
	}
	json_object_put(devs);
	fprintf(f, "conformance: %d regressions, %d fixed, %d other changes, %d unchanged\n",
		tc.regressions, tc.fixed, tc.other, tc.unchanged);
	print_conformance(f, conf, o->all);

	mixed = clocks_differ(base, nb, new, nn);
	ret = compare_bench(o, bench, &tb, base, nb, new, nn, mixed, &only, &inconclusive);
	if (ret) {
		if (own)
			fclose(f);
		json_object_put(conf);
		json_object_put(bench);
		json_object_put(out);
		return ret;
	}
	if (inconclusive && mixed)
		fprintf(f, "benchmarks: inconclusive: the runs were measured with different clocks "
			"(real time against instruction counts, see environment.json's clock), "
			"so no change is judged; %d only in one side\n", only);
	else if (inconclusive)
		fprintf(f, "benchmarks: inconclusive: %d figures measured by fewer than 2 runs a side, "
			"so the noise between runs is unknown and no change is judged (compare "
			"groups of runs: REPEAT=N, N >= 3); %d only in one side\n", inconclusive, only);
	if (!inconclusive || tb.regressions + tb.fixed + tb.unchanged)
		fprintf(f, "benchmarks: %d regressions, %d improvements, %d without a significant change "
			"(threshold %.1f%%, false discovery rate %.3g over the runs' medians), "
			"%d only in one side\n", tb.regressions, tb.fixed, tb.unchanged,
			100 * o->threshold, o->alpha, only);
	if (o->normalise)
		fprintf(f, "(figures divided by the limit each run measured)\n");
	print_bench(f, bench, o->all);
	if (own)
		fclose(f);

	json_object_object_add(out, "base", json_object_new_string(bname));
	json_object_object_add(out, "new", json_object_new_string(nname));
	json_object_object_add(out, "base_runs", json_object_new_int(nb));
	json_object_object_add(out, "new_runs", json_object_new_int(nn));
	json_object_object_add(out, "threshold", json_object_new_double(o->threshold));
	json_object_object_add(out, "alpha", json_object_new_double(o->alpha));
	json_object_object_add(out, "normalised", json_object_new_boolean(o->normalise));
	json_object_object_add(out, "conformance", conf);
	json_object_object_add(out, "benchmarks", bench);
	json_object_object_add(out, "conformance_regressions", json_object_new_int(tc.regressions));
	json_object_object_add(out, "benchmark_regressions", json_object_new_int(tb.regressions));
	json_object_object_add(out, "benchmarks_inconclusive", json_object_new_int(inconclusive));
	*result = out;
	return tc.regressions + tb.regressions;
}

int compare_runs(const struct run_data *base, const struct run_data *new,
		 const struct compare_opts *o, FILE *f, json_object **result)
{
	return compare_groups(base, 1, new, 1, o, f, result);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: accel-cts compare [options] BASE NEW\n"
		   "       accel-cts compare [options] --base RUN... --new RUN...\n"
		   "  BASE, NEW         a run folder (or a device folder holding results.json), or a\n"
		   "                    folder of run folders (REPEAT=N makes one): a group of runs\n"
		   "  --base RUN, --new RUN  a run (or run set) of either side; repeatable\n"
		   "  --threshold PCT   smallest benchmark change that counts (default 5)\n"
		   "  --alpha Q         false discovery rate over the figures compared (default 0.05)\n"
		   "  --normalise       compare each figure divided by the limit its run measured\n"
		   "                    (a host that slowed down as a whole is not a regression)\n"
		   "  --json FILE       also write the comparison as JSON\n"
		   "  --all             list every compared figure and every new subtest\n"
		   "Each run is one replicate, summarised by its median: benchmark changes are judged\n"
		   "only with at least 2 runs a side (3 or more to catch small changes); with fewer\n"
		   "they are reported as inconclusive. Conformance compares the result most runs gave.\n"
		   "exit status: 0 no regression, 1 regressions, 2 usage or unreadable input\n");
}

static bool parse_double(const char *s, double *v, double lo, double hi)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return !errno && end != s && !*end && *v >= lo && *v <= hi;
}

/* A side of the comparison: the runs of every folder given for it. */
struct side {
	char **paths;
	int n;
};

static int side_add(struct side *s, const char *arg)
{
	char **found;
	int n = run_set_paths(arg, &found), i;
	char **grown;

	if (n < 0)
		return n;
	grown = realloc(s->paths, (size_t)(s->n + n) * sizeof(*grown));
	if (!grown) {
		run_set_paths_free(found, n);
		return -ENOMEM;
	}
	s->paths = grown;
	for (i = 0; i < n; i++)
		s->paths[s->n++] = found[i];
	free(found);
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' }, { "alpha", required_argument, NULL, 'a' },
		{ "json", required_argument, NULL, 'j' }, { "all", no_argument, NULL, 'A' },
		{ "normalise", no_argument, NULL, 'N' }, { "base", required_argument, NULL, 'b' },
		{ "new", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct compare_opts o = COMPARE_DEFAULTS;
	struct side base = { 0 }, new = { 0 };
	struct run_data *bruns = NULL, *nruns = NULL;
	const char *json_out = NULL;
	json_object *result = NULL;
	int opt, regressions, ret = 2;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (!parse_double(optarg, &o.threshold, 0, 1e6)) {
				fprintf(stderr, "accel-cts: --threshold '%s' is not a percentage\n", optarg);
				goto out;
			}
			o.threshold /= 100;
			break;
		case 'a':
			if (!parse_double(optarg, &o.alpha, 1e-12, 1)) {
				fprintf(stderr, "accel-cts: --alpha '%s' is not a probability\n", optarg);
				goto out;
			}
			break;
		case 'j': json_out = optarg; break;
		case 'A': o.all = true; break;
		case 'N': o.normalise = true; break;
		case 'b':
		case 'n':
			if (side_add(opt == 'b' ? &base : &new, optarg))
				goto out;
			break;
		case 'h': usage(stdout); ret = 0; goto out;
		default: usage(stderr); goto out;
		}
	}
	if (base.n || new.n) {
		if (!base.n || !new.n || optind != argc) {
			fprintf(stderr, "accel-cts: compare takes --base and --new runs, and no others\n");
			usage(stderr);
			goto out;
		}
	} else if (argc - optind != 2) {
		fprintf(stderr, "accel-cts: compare needs two run folders (or run sets), BASE and NEW\n");
		usage(stderr);
		goto out;
	} else if (side_add(&base, argv[optind]) || side_add(&new, argv[optind + 1])) {
		goto out;
	}
	bruns = run_data_load_all(base.paths, base.n);
	nruns = bruns ? run_data_load_all(new.paths, new.n) : NULL;
	if (!nruns)
		goto out;
	fflush(stdout);
	regressions = compare_groups(bruns, base.n, nruns, new.n, &o, stdout, &result);
	if (regressions < 0) {
		fprintf(stderr, "accel-cts: %s\n", strerror(-regressions));
		goto out;
	}
	ret = regressions ? 1 : 0;
	if (json_out && json_object_to_file_ext(json_out, result, JSON_C_TO_STRING_PRETTY)) {
		fprintf(stderr, "accel-cts: cannot write %s\n", json_out);
		ret = 2;
	}
	printf("%s\n", regressions ? "REGRESSED" : "no regression");
	json_object_put(result);
out:
	run_data_free_all(bruns, base.n);
	run_data_free_all(nruns, new.n);
	run_set_paths_free(base.paths, base.n);
	run_set_paths_free(new.paths, new.n);
	return ret;
}
