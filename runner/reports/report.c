// SPDX-License-Identifier: MIT
/*
 * `accel-cts report --out DIR RUN...`: one static HTML page (DIR/index.html)
 * that opens in a browser with no server: the environment and totals of each
 * run, the changes of every later run against the first (the tables of
 * `accel-cts compare`, also kept as DIR/compare-N.json) and the plots
 * (DIR/plots/, PNG shown, SVG linked).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <json-c/json.h>

#include "compare.h"
#include "plot.h"
#include "report.h"
#include "xml_text.h"

#define MAX_PLOTS 16

static const char *const STYLE =
	"body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}"
	"h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}"
	"table{border-collapse:collapse;margin:.5em 0 1em}"
	"th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;font-size:.9em}"
	"th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.regression td,p.bad{background:#fde2e1}tr.fixed td,tr.improvement td{background:#e3f4e6}"
	"p.bad,p.good{padding:.4em .8em;font-weight:bold}p.good{background:#e3f4e6}"
	"figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}"
	"code{font-size:.9em}.muted{color:#666}";

/* A cell of a run's columns, spanning its device rows; NULL text leaves it empty. */
static void spanning_cell(FILE *f, int span, const char *text, bool code)
{
	fprintf(f, "<td rowspan=\"%d\">%s", span, code ? "<code>" : "");
	xml_escaped(f, text);
	fprintf(f, "%s</td>", code ? "</code>" : "");
}

static void run_table(FILE *f, const struct run_data *runs, int n)
{
	int i;

	fprintf(f, "<h2>Runs</h2>\n<table>\n<tr><th>#</th><th>label</th><th>folder</th>"
		   "<th>kernel</th><th>machine</th><th>date</th><th>git</th><th>VM</th>"
		   "<th>device</th><th>pass</th><th>skip</th><th>fail</th><th>other</th></tr>\n");
	for (i = 0; i < n; i++) {
		int rows = json_object_object_length(runs[i].devices), row = 0, span;
		json_object *vm = NULL;

		if (runs[i].env)
			json_object_object_get_ex(runs[i].env, "vm", &vm);
		span = rows ?: 1;
		fprintf(f, "<tr><td rowspan=\"%d\">%d</td>", span, i);
		spanning_cell(f, span, runs[i].label, false);
		spanning_cell(f, span, runs[i].path, true);
		spanning_cell(f, span, json_str(runs[i].env, "kernel_version"), false);
		spanning_cell(f, span, json_str(runs[i].env, "machine"), false);
		spanning_cell(f, span, json_str(runs[i].env, "date"), false);
		spanning_cell(f, span, json_str(runs[i].env, "git_sha"), false);
		spanning_cell(f, span, vm ? (json_object_get_boolean(vm) ? "yes" : "no") : NULL, false);
		if (!rows)
			fprintf(f, "<td colspan=\"5\" class=\"muted\">benchmarks only</td></tr>\n");
		json_object_object_foreach(runs[i].devices, dev, tests) {
			int c[4];

			run_device_counts(tests, c);
			fprintf(f, "%s<td>", row++ ? "<tr>" : "");
			xml_escaped(f, dev);
			fprintf(f, "</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
				   "<td class=\"n\">%d</td><td class=\"n\">%d</td></tr>\n",
				c[0], c[1], c[2], c[3]);
		}
	}
	fprintf(f, "</table>\n");
	for (i = 0; i < n; i++) {
		json_object_object_foreach(runs[i].stories, dev, story) {
			char line[1024];
			bool bad;
			int k;

			for (k = 0; run_story_line(story, k, line, sizeof(line), &bad); k++) {
				fprintf(f, "<p class=\"%s\">Run %d, ", bad ? "bad" : "good", i);
				xml_escaped(f, dev);
				fprintf(f, ": ");
				xml_escaped(f, line);
				fprintf(f, "</p>\n");
			}
		}
	}
}

static void conformance_table(FILE *f, json_object *changes)
{
	size_t i, shown = 0;

	fprintf(f, "<h3>Conformance</h3>\n");
	for (i = 0; i < json_object_array_length(changes); i++)
		if (strcmp(json_str(json_object_array_get_idx(changes, i), "change") ?: "", "new"))
			shown++;
	if (!shown) {
		fprintf(f, "<p>No subtest changed its result.</p>\n");
		return;
	}
	fprintf(f, "<table>\n<tr><th>change</th><th>device</th><th>subtest</th><th>base</th>"
		   "<th>new</th></tr>\n");
	for (i = 0; i < json_object_array_length(changes); i++) {
		json_object *c = json_object_array_get_idx(changes, i);
		const char *change = json_str(c, "change") ?: "";

		if (!strcmp(change, "new"))
			continue;
		fprintf(f, "<tr class=\"%s\"><td>%s</td><td>", change, change);
		xml_escaped(f, json_str(c, "device"));
		fprintf(f, "</td><td><code>");
		xml_escaped(f, json_str(c, "test"));
		fprintf(f, "</code></td><td>%s</td><td>%s</td></tr>\n", json_str(c, "base") ?: "(none)",
			json_str(c, "new") ?: "(none)");
	}
	fprintf(f, "</table>\n");
}

static void bench_row(FILE *f, json_object *b)
{
	const char *v = json_str(b, "verdict") ?: "";
	double noise = json_num(b, "noise");

	fprintf(f, "<tr class=\"%s\"><td>%s</td><td><code>", v, v);
	xml_escaped(f, json_str(b, "key"));
	fprintf(f, "</code></td><td class=\"n\">%.4g</td><td class=\"n\">%.4g</td><td>",
		json_num(b, "base_median"), json_num(b, "new_median"));
	xml_escaped(f, json_str(b, "unit") ?: "");
	fprintf(f, "</td><td class=\"n\">%+.1f%%</td>", 100 * json_num(b, "change"));
	if (isfinite(noise))
		fprintf(f, "<td class=\"n\">%.1f%%</td><td class=\"n\">%.2g</td>", 100 * noise,
			json_num(b, "p_adjusted"));
	else
		fprintf(f, "<td class=\"n\">unknown</td><td class=\"n\">-</td>");
	fprintf(f, "<td class=\"n\">%d / %d</td></tr>\n", (int)json_num(b, "n_base"),
		(int)json_num(b, "n_new"));
}

/* The compared figures, regressions first; changes_only keeps the two verdicts that count. */
static void bench_rows(FILE *f, json_object *bench, bool changes_only)
{
	static const char *const order[] = { "regression", "improvement", "not-significant",
					     "unchanged", "inconclusive" };
	size_t i, k, kinds = changes_only ? 2 : 5;

	fprintf(f, "<table>\n<tr><th>verdict</th><th>measurement</th><th>base median</th>"
		   "<th>new median</th><th>unit</th><th>change</th><th>noise between runs</th>"
		   "<th>adjusted p</th><th>runs</th></tr>\n");
	for (k = 0; k < kinds; k++) {
		for (i = 0; i < json_object_array_length(bench); i++) {
			json_object *b = json_object_array_get_idx(bench, i);

			if (!strcmp(json_str(b, "verdict") ?: "", order[k]))
				bench_row(f, b);
		}
	}
	fprintf(f, "</table>\n");
}

static void bench_table(FILE *f, json_object *bench, const struct compare_opts *o, int nb, int nn)
{
	size_t i, changes = 0, n = json_object_array_length(bench);

	fprintf(f, "<h3>Benchmarks</h3>\n");
	if (nb < 2 || nn < 2)
		fprintf(f, "<p class=\"muted\">Inconclusive: with %d run%s against %d, the noise "
			   "between runs is unknown, so no change is judged; the figures below are "
			   "what each side measured. Compare groups of runs (REPEAT=N, N &ge; 3) for "
			   "a verdict.</p>\n", nb, nb == 1 ? "" : "s", nn);
	else
		fprintf(f, "<p class=\"muted\">Each run is one replicate, summarised by its median. "
			   "A change counts when the runs' medians moved by more than %.0f%% and "
			   "Welch's t test on them finds it significant, at a false discovery rate "
			   "of %.3g over the figures compared.</p>\n", 100 * o->threshold, o->alpha);
	if (o->normalise)
		fprintf(f, "<p class=\"muted\">Each figure is divided by the limit its own run measured "
			   "(a host that slowed down as a whole is not a regression).</p>\n");
	for (i = 0; i < n; i++) {
		const char *v = json_str(json_object_array_get_idx(bench, i), "verdict") ?: "";

		changes += !strcmp(v, "regression") || !strcmp(v, "improvement");
	}
	if (!n) {
		fprintf(f, "<p>No benchmark measured on both sides.</p>\n");
		return;
	}
	if (changes)
		bench_rows(f, bench, true);
	else if (nb >= 2 && nn >= 2)
		fprintf(f, "<p>No significant change in %zu compared figures.</p>\n", n);
	fprintf(f, "<details><summary>All %zu compared figures</summary>\n", n);
	bench_rows(f, bench, false);
	fprintf(f, "</details>\n");
}

/* How a group is named in headings: its run's label, or its folder and size. */
static void group_title(FILE *f, const struct run_data *runs, const struct report_group *g)
{
	if (g->n == 1) {
		xml_escaped(f, runs[g->first].label);
		return;
	}
	xml_escaped(f, g->name);
	fprintf(f, " (%d runs)", g->n);
}

static int comparisons(FILE *f, const char *out, const struct run_data *runs,
		       const struct report_group *groups, int ngroups, const struct compare_opts *o)
{
	const struct report_group *g0 = &groups[0];
	int i, total = 0;

	for (i = 1; i < ngroups; i++) {
		const struct report_group *g = &groups[i];
		char path[PATH_MAX];
		json_object *res = NULL, *conf, *bench;
		int reg = compare_groups(&runs[g0->first], g0->n, &runs[g->first], g->n, o, NULL, &res);

		if (reg < 0)
			return reg;
		total += reg;
		snprintf(path, sizeof(path), "%s/compare-%d.json", out, i);
		json_object_to_file_ext(path, res, JSON_C_TO_STRING_PRETTY);
		fprintf(f, "<h2>Changes: ");
		group_title(f, runs, g0);
		fprintf(f, " &rarr; ");
		group_title(f, runs, g);
		fprintf(f, "</h2>\n");
		fprintf(f, "<p class=\"%s\">%s: %d regression%s</p>\n", reg ? "bad" : "good",
			reg ? "REGRESSED" : "No regression", reg, reg == 1 ? "" : "s");
		fprintf(f, "<p class=\"muted\">As JSON: <a href=\"compare-%d.json\">compare-%d.json</a>"
			   "</p>\n", i, i);
		json_object_object_get_ex(res, "conformance", &conf);
		json_object_object_get_ex(res, "benchmarks", &bench);
		conformance_table(f, conf);
		bench_table(f, bench, o, g0->n, g->n);
		json_object_put(res);
	}
	return total;
}

static void plots_section(FILE *f, const struct plot_made *made, int n)
{
	int i;

	fprintf(f, "<h2>Plots</h2>\n");
	if (!n)
		fprintf(f, "<p>These runs hold nothing to plot.</p>\n");
	for (i = 0; i < n; i++) {
		fprintf(f, "<figure><img src=\"plots/%s.png\" alt=\"", made[i].name);
		xml_escaped(f, made[i].title);
		fprintf(f, "\"><figcaption>");
		xml_escaped(f, made[i].title);
		fprintf(f, " (<a href=\"plots/%s.svg\">SVG</a>, <a href=\"plots/data/%s.dat\">data</a>)"
			   "</figcaption></figure>\n", made[i].name, made[i].name);
	}
}

int report_write(const char *out, const struct run_data *runs, int n,
		 const struct report_group *groups, int ngroups, const struct compare_opts *o)
{
	struct plot_made made[MAX_PLOTS];
	char path[PATH_MAX], stamp[32];
	time_t now = time(NULL);
	int nmade, reg;
	FILE *f;

	if (mkdir(out, 0755) && errno != EEXIST) {
		fprintf(stderr, "accel-cts: cannot create %s: %s\n", out, strerror(errno));
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/plots", out);
	nmade = plot_runs(runs, n, path, made, MAX_PLOTS);
	if (nmade < 0)
		return nmade;
	snprintf(path, sizeof(path), "%s/index.html", out);
	f = fopen(path, "we");
	if (!f) {
		fprintf(stderr, "accel-cts: cannot write %s: %s\n", path, strerror(errno));
		return -errno;
	}
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<title>accel-cts report</title>\n<style>%s</style>\n</head>\n<body>\n"
		   "<h1>accel-cts report</h1>\n<p class=\"muted\">%d run%s in %d group%s, written %s. "
		   "Later groups are compared with the first.</p>\n", STYLE, n, n == 1 ? "" : "s",
		ngroups, ngroups == 1 ? "" : "s", stamp);
	run_table(f, runs, n);
	reg = comparisons(f, out, runs, groups, ngroups, o);
	plots_section(f, made, nmade);
	/* Marks how many plots the browser could show, for the page's own test. */
	fprintf(f, "<script>window.addEventListener('load', function () {\n"
		   "  var im = document.images, ok = 0;\n"
		   "  for (var i = 0; i < im.length; i++) if (im[i].complete && im[i].naturalWidth > 0) ok++;\n"
		   "  document.body.setAttribute('data-images', ok + '/' + im.length);\n"
		   "});</script>\n</body>\n</html>\n");
	if (fclose(f) || reg < 0) {
		fprintf(stderr, "accel-cts: could not write the report %s\n", path);
		return reg < 0 ? reg : -EIO;
	}
	return reg;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' }, { "normalise", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	const char *use = "usage: accel-cts report --out DIR [--normalise] RUN [RUN...]\n"
			  "  one HTML page: each run's environment and totals, the changes of\n"
			  "  every later RUN against the first (as accel-cts compare, figures\n"
			  "  divided by their in-run limit with --normalise), and the plots.\n"
			  "  A RUN that is a run set (a folder of runs, as REPEAT=N writes) is\n"
			  "  one group of replicates; every run of it is plotted.\n";
	struct compare_opts co = COMPARE_DEFAULTS;
	struct report_group *groups = NULL;
	struct run_data *runs = NULL;
	char **paths = NULL;
	const char *out = NULL;
	int opt, n = 0, ngroups, i, reg, ret = 2, *firsts = NULL;

	while ((opt = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'N': co.normalise = true; break;
		case 'h': fputs(use, stdout); return 0;
		default: fputs(use, stderr); return 2;
		}
	}
	ngroups = argc - optind;
	if (!out || ngroups < 1) {
		fputs(use, stderr);
		return 2;
	}
	if (!have_gnuplot()) {
		fprintf(stderr, "accel-cts: gnuplot not found (apt-get install gnuplot-nox)\n");
		return 2;
	}
	groups = calloc((size_t)ngroups, sizeof(*groups));
	if (!groups)
		return 2;
	/* Every run of every group, loaded together so that their labels differ. */
	firsts = calloc((size_t)ngroups, sizeof(*firsts));
	if (!firsts)
		goto out;
	n = run_sets_paths(argv + optind, ngroups, &paths, firsts);
	if (n < 0) {
		n = 0;
		goto out;
	}
	for (i = 0; i < ngroups; i++) {
		groups[i].name = argv[optind + i];
		groups[i].first = firsts[i];
		groups[i].n = (i + 1 < ngroups ? firsts[i + 1] : n) - firsts[i];
	}
	runs = run_data_load_all(paths, n);
	if (!runs)
		goto out;
	reg = report_write(out, runs, n, groups, ngroups, &co);
	if (reg >= 0)
		printf("accel-cts: report in %s/index.html (%d regression%s)\n", out, reg,
		       reg == 1 ? "" : "s");
	ret = reg < 0 ? 1 : 0;
out:
	run_data_free_all(runs, n);
	run_set_paths_free(paths, n);
	free(groups);
	free(firsts);
	return ret;
}
