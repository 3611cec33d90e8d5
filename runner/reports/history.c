// SPDX-License-Identifier: MIT
/*
 * `accel-cts history RUN...`: every figure as a series over many runs in
 * time order, with its change points, and every subtest's failure rate.
 *
 * A CI that gates on "this run differs from the last one" fires on noise;
 * one that gates on "a change point starts a worse level here" needs the
 * series. Each run is one point, its median; change points come from
 * change_points() on the logarithms (a relative change), with at least
 * --min-runs runs on each side, so a change is confirmed only once that many
 * runs show it. --gate exits 1 when the newest segment of some figure is a
 * regression against the one before it.
 *
 * Conformance: each subtest that failed in some runs, with its rate, and the
 * declared failure rate of each entry of a DRM CI flakes file (--flakes)
 * beside the rate observed; --write-flakes writes the subtests that both
 * passed and failed as a flakes file with DRM CI's header.
 *
 * Exit status: 0, 1 (--gate and a regression), 2 bad usage or input.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "history.h"
#include "run_folder.h"
#include "stats.h"

struct history_opts {
	double threshold;	/* smallest relative change of a segment (0.05) */
	double alpha;		/* permutation test level (0.01) */
	int min_runs;		/* runs on each side of a change point (3) */
	bool gate;
};

/* When a run was made: environment.json's date, else its records' (bench-only runs). */
static const char *run_date(const struct run_data *r)
{
	return run_env_str(r, "date", "date");
}

/* Runs in time order: by date where every run has one, else as given. */
static const struct run_data *sort_base;

static int by_date(const void *a, const void *b)
{
	int c = strcmp(run_date(&sort_base[*(const int *)a]), run_date(&sort_base[*(const int *)b]));

	return c ? c : *(const int *)a - *(const int *)b;
}

static void time_order(const struct run_data *runs, int n, int *order)
{
	bool dated = true;
	int i;

	for (i = 0; i < n; i++) {
		order[i] = i;
		dated = dated && run_date(&runs[i]);
	}
	if (dated) {
		sort_base = runs;
		qsort(order, (size_t)n, sizeof(*order), by_date);
	}
}

/* One figure's series: log of each run's median (NAN: not measured). */
static int figure_history(const struct history_opts *o, const struct run_data *runs, int n,
			  const int *order, const char *key, FILE *f, json_object *out, bool *gate)
{
	double *v = calloc((size_t)n, sizeof(*v));
	int *idx = calloc((size_t)n, sizeof(*idx));	/* the position in time order of v[k] */
	size_t *cp = calloc((size_t)n, sizeof(*cp)), ncp, m = 0, c;
	bool higher_better = false, printed = false;
	json_object *changes, *unit = NULL;
	int i;

	if (!v || !idx || !cp) {
		free(v);
		free(idx);
		free(cp);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		json_object *rec, *hib;
		double med;

		if (!json_object_object_get_ex(runs[order[i]].bench, key, &rec))
			continue;
		med = json_num(rec, "median");
		if (!(med > 0))
			continue;
		if (json_object_object_get_ex(rec, "higher_is_better", &hib))
			higher_better = json_object_get_boolean(hib);
		if (!unit)
			json_object_object_get_ex(rec, "unit", &unit);
		v[m] = log(med);
		idx[m++] = i;
	}
	ncp = change_points(v, m, (size_t)o->min_runs, o->alpha, log1p(o->threshold), 999,
			    0x5eed, cp, m ? m : 1);
	changes = json_object_new_array();
	for (c = 0; c < ncp; c++) {
		size_t lo = c ? cp[c - 1] : 0, hi = c + 1 < ncp ? cp[c + 1] : m, k;
		double before = 0, after = 0, change;
		json_object *e = json_object_new_object();
		bool worse;

		for (k = lo; k < cp[c]; k++)
			before += v[k];
		for (k = cp[c]; k < hi; k++)
			after += v[k];
		before = exp(before / (double)(cp[c] - lo));
		after = exp(after / (double)(hi - cp[c]));
		change = after / before - 1;
		worse = higher_better ? change < 0 : change > 0;
		if (!printed) {
			fprintf(f, "  %s\n", key);
			printed = true;
		}
		fprintf(f, "      from run %d (%s): %.4g -> %.4g %s (%+.1f%%) %s\n", idx[cp[c]] + 1,
			runs[order[idx[cp[c]]]].label,
			before, after, unit ? json_object_get_string(unit) : "", 100 * change,
			worse ? "regression" : "improvement");
		json_object_object_add(e, "run", json_object_new_int(idx[cp[c]] + 1));
		json_object_object_add(e, "path", json_object_new_string(runs[order[idx[cp[c]]]].path));
		json_object_object_add(e, "before", json_object_new_double(before));
		json_object_object_add(e, "after", json_object_new_double(after));
		json_object_object_add(e, "change", json_object_new_double(change));
		json_object_object_add(e, "verdict",
				       json_object_new_string(worse ? "regression" : "improvement"));
		json_object_array_add(changes, e);
		/* The newest level is the last segment's. */
		if (c + 1 == ncp && worse)
			*gate = true;
	}
	if (ncp) {
		json_object *fig = json_object_new_object();

		json_object_object_add(fig, "key", json_object_new_string(key));
		json_object_object_add(fig, "runs", json_object_new_int64((int64_t)m));
		json_object_object_add(fig, "change_points", changes);
		json_object_array_add(out, fig);
	} else {
		json_object_put(changes);
	}
	free(v);
	free(idx);
	free(cp);
	return (int)ncp;
}

/* Fails and runs of a subtest "binary@subtest" on one device, over all runs. */
static void subtest_rate(const struct run_data *runs, int n, const char *dev, const char *test,
			 int *fails, int *have)
{
	int i;

	*fails = *have = 0;
	for (i = 0; i < n; i++) {
		json_object *tests, *t;
		const char *r;

		if (!json_object_object_get_ex(runs[i].devices, dev, &tests) ||
		    !json_object_object_get_ex(tests, test, &t) || !(r = json_str(t, "result")))
			continue;
		(*have)++;
		*fails += strcmp(r, "pass") && strcmp(r, "skip") && strcmp(r, "notrun");
	}
}

/* Every device/subtest that failed in some run, once each, with its rate. */
static json_object *failure_rates(const struct run_data *runs, int n)
{
	json_object *out = json_object_new_object();
	int i;

	for (i = 0; i < n; i++) {
		json_object_object_foreach(runs[i].devices, dev, tests) {
			json_object_object_foreach(tests, name, t) {
				char key[512];
				json_object *e;
				int fails, have;

				(void)t;
				snprintf(key, sizeof(key), "%s %s", dev, name);
				if (json_object_object_get_ex(out, key, NULL))
					continue;
				subtest_rate(runs, n, dev, name, &fails, &have);
				if (!fails)
					continue;
				e = json_object_new_object();
				json_object_object_add(e, "device", json_object_new_string(dev));
				json_object_object_add(e, "test", json_object_new_string(name));
				json_object_object_add(e, "fails", json_object_new_int(fails));
				json_object_object_add(e, "runs", json_object_new_int(have));
				json_object_object_add(out, key, e);
			}
		}
	}
	return out;
}

/*
 * A DRM CI flakes file: "# Key: value" header lines, then the regexes they
 * describe. Prints each entry's declared failure rate beside the observed
 * one over the subtests it matches. 0 or -errno (message printed).
 */
static int report_flakes(const char *path, json_object *rates, FILE *f, json_object *out)
{
	FILE *in = fopen(path, "re");
	char line[1024], declared[64] = "", bug[512] = "";
	int lineno = 0;

	if (!in) {
		fprintf(stderr, "accel-cts: cannot read %s: %s\n", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "flakes in %s:\n", path);
	while (fgets(line, sizeof(line), in)) {
		size_t len = strcspn(line, "\r\n");
		int fails = 0, have = 0, cflags = REG_EXTENDED | REG_NOSUB;
		json_object *e;
		regex_t re;

		lineno++;
		line[len] = '\0';
		if (line[0] == '#') {
			if (!strncasecmp(line, "# Failure Rate:", 15))
				snprintf(declared, sizeof(declared), "%s", line + 15 + strspn(line + 15, " "));
			else if (!strncasecmp(line, "# Bug Report:", 13))
				snprintf(bug, sizeof(bug), "%s", line + 13 + strspn(line + 13, " "));
			continue;
		}
		if (!line[strspn(line, " \t")])
			continue;
		if (regcomp(&re, line, cflags)) {
			fprintf(stderr, "accel-cts: %s:%d: '%s' is not an extended regex\n", path, lineno,
				line);
			fclose(in);
			return -EINVAL;
		}
		json_object_object_foreach(rates, key, r) {
			(void)key;
			/* Flakes match "binary@subtest", without IGT's "igt@". */
			const char *test = json_str(r, "test");

			if (test && !strncmp(test, "igt@", 4))
				test += 4;
			if (test && !regexec(&re, test, 0, NULL, 0)) {
				fails += (int)json_num(r, "fails");
				have += (int)json_num(r, "runs");
			}
		}
		regfree(&re);
		fprintf(f, "  %-50s declared %s%%, observed %d of %d runs%s%s\n", line,
			*declared ? declared : "?", fails, have, *bug ? ", bug " : "", bug);
		e = json_object_new_object();
		json_object_object_add(e, "regex", json_object_new_string(line));
		json_object_object_add(e, "declared_rate", *declared ? json_object_new_string(declared) :
				       NULL);
		json_object_object_add(e, "fails", json_object_new_int(fails));
		json_object_object_add(e, "runs", json_object_new_int(have));
		json_object_array_add(out, e);
		declared[0] = bug[0] = '\0';
	}
	fclose(in);
	return 0;
}

/* The subtests that both passed and failed, as a flakes file with DRM CI's header. */
static int write_flakes(const char *path, const char *board, json_object *rates,
			const struct run_data *runs, int newest)
{
	FILE *f = fopen(path, "we");
	const char *kernel = json_str(runs[newest].env, "kernel_release");
	const char *sha = json_str(runs[newest].env, "git_sha");
	int written = 0;

	if (!f) {
		fprintf(stderr, "accel-cts: cannot write %s: %s\n", path, strerror(errno));
		return -errno;
	}
	json_object_object_foreach(rates, key, r) {
		int fails = (int)json_num(r, "fails"), have = (int)json_num(r, "runs");
		const char *test = json_str(r, "test");

		(void)key;
		if (fails >= have || !test)
			continue;
		fprintf(f, "%s# Board Name: %s\n# Bug Report: (none yet)\n# Failure Rate: %d\n"
			   "# IGT Version: accel-cts %s\n# Linux Version: %s\n"
			   "# Observed by accel-cts history: failed %d of %d runs\n%s\n",
			written ? "\n" : "", board, (100 * fails + have / 2) / have, sha ?: "unknown",
			kernel ?: "unknown", fails, have, strncmp(test, "igt@", 4) ? test : test + 4);
		written++;
	}
	if (fclose(f)) {
		fprintf(stderr, "accel-cts: cannot write %s\n", path);
		return -EIO;
	}
	return written;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: accel-cts history [options] RUN...\n"
		   "  RUN               run folders or run sets (folders of runs), in any order:\n"
		   "                    each run is one point, in time order (environment.json's date)\n"
		   "  --threshold PCT   smallest change of level that counts (default 5)\n"
		   "  --alpha P         permutation test level of a change point (default 0.01)\n"
		   "  --min-runs N      runs on each side of a change point (default 3)\n"
		   "  --gate            exit 1 when a figure's newest level is a regression\n"
		   "  --flakes FILE     a DRM CI flakes file: declared beside observed failure rates\n"
		   "  --write-flakes FILE  write the subtests that passed and failed as a flakes\n"
		   "                    file (--board NAME for its header)\n"
		   "  --json FILE       also write the change points and rates as JSON\n"
		   "exit status: 0, 1 with --gate and a regression, 2 usage or unreadable input\n");
}

int cmd_history(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' }, { "alpha", required_argument, NULL, 'a' },
		{ "min-runs", required_argument, NULL, 'm' }, { "gate", no_argument, NULL, 'g' },
		{ "flakes", required_argument, NULL, 'f' }, { "write-flakes", required_argument, NULL, 'w' },
		{ "board", required_argument, NULL, 'b' }, { "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct history_opts o = { .threshold = 0.05, .alpha = 0.01, .min_runs = 3 };
	const char *flakes = NULL, *write_to = NULL, *board = "unknown", *json_out = NULL;
	json_object *result = NULL, *figs, *rates, *keys, *flake_out;
	struct run_data *runs = NULL;
	char **paths = NULL, *end;
	int opt, n = 0, i, *order = NULL, ret = 2, changed = 0;
	bool gate = false;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			o.threshold = strtod(optarg, &end) / 100;
			if (end == optarg || *end || !(o.threshold >= 0 && o.threshold < 1e4)) {
				fprintf(stderr, "accel-cts: --threshold '%s' is not a percentage\n", optarg);
				return 2;
			}
			break;
		case 'a':
			o.alpha = strtod(optarg, &end);
			if (end == optarg || *end || !(o.alpha > 0 && o.alpha <= 1)) {
				fprintf(stderr, "accel-cts: --alpha '%s' is not a probability\n", optarg);
				return 2;
			}
			break;
		case 'm':
			o.min_runs = (int)strtol(optarg, &end, 10);
			if (end == optarg || *end || o.min_runs < 1 || o.min_runs > 1000) {
				fprintf(stderr, "accel-cts: --min-runs '%s' is not 1 to 1000\n", optarg);
				return 2;
			}
			break;
		case 'g': o.gate = true; break;
		case 'f': flakes = optarg; break;
		case 'w': write_to = optarg; break;
		case 'b': board = optarg; break;
		case 'j': json_out = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "accel-cts: history needs run folders\n");
		usage(stderr);
		return 2;
	}
	n = run_sets_paths(argv + optind, argc - optind, &paths, NULL);
	if (n < 0)
		return 2;
	runs = run_data_load_all(paths, n);
	order = calloc((size_t)n, sizeof(*order));
	if (!runs || !order)
		goto out;
	time_order(runs, n, order);

	result = json_object_new_object();
	figs = json_object_new_array();
	flake_out = json_object_new_array();
	json_object_object_add(result, "runs", json_object_new_int(n));
	json_object_object_add(result, "figures", figs);
	printf("accel-cts history: %d runs, %s .. %s\n", n,
	       run_date(&runs[order[0]]) ?: runs[order[0]].path,
	       run_date(&runs[order[n - 1]]) ?: runs[order[n - 1]].path);

	keys = json_object_new_object();
	for (i = 0; i < n; i++) {
		json_object_object_foreach(runs[i].bench, key, rec) {
			(void)rec;
			if (!json_object_object_get_ex(keys, key, NULL))
				json_object_object_add(keys, key, NULL);
		}
	}
	printf("benchmarks: %d figures; change points where a level moves by more than %.1f%% "
	       "(permutation p < %.3g, at least %d runs a side):\n",
	       json_object_object_length(keys), 100 * o.threshold, o.alpha, o.min_runs);
	json_object_object_foreach(keys, key, unused) {
		int c = figure_history(&o, runs, n, order, key, stdout, figs, &gate);

		(void)unused;
		if (c < 0) {
			json_object_put(keys);
			goto out;
		}
		changed += c > 0;
	}
	json_object_put(keys);
	if (!changed)
		printf("  none\n");

	rates = failure_rates(runs, n);
	json_object_object_add(result, "failures", rates);
	printf("conformance: %d subtests failed in some of the runs%s\n",
	       json_object_object_length(rates), json_object_object_length(rates) ? ":" : "");
	json_object_object_foreach(rates, rkey, r) {
		int fails = (int)json_num(r, "fails"), have = (int)json_num(r, "runs");

		printf("  %-70s failed %d of %d runs (%d%%)%s\n", rkey, fails, have,
		       have ? (100 * fails + have / 2) / have : 0, fails < have ? ", flaky" : "");
	}
	json_object_object_add(result, "flakes", flake_out);
	if (flakes && report_flakes(flakes, rates, stdout, flake_out))
		goto out;
	if (write_to) {
		int w = write_flakes(write_to, board, rates, runs, order[n - 1]);

		if (w < 0)
			goto out;
		printf("wrote %d flakes to %s\n", w, write_to);
	}
	json_object_object_add(result, "gate_regression", json_object_new_boolean(gate));
	if (json_out && json_object_to_file_ext(json_out, result, JSON_C_TO_STRING_PRETTY)) {
		fprintf(stderr, "accel-cts: cannot write %s\n", json_out);
		goto out;
	}
	printf("newest level: %s\n", gate ? "a regression in some figure (see above)" :
	       "no figure's newest level is a regression");
	ret = o.gate && gate ? 1 : 0;
out:
	json_object_put(result);
	free(order);
	run_data_free_all(runs, n);
	run_set_paths_free(paths, n);
	return ret;
}
