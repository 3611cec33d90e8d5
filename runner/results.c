// SPDX-License-Identifier: MIT
/*
 * Results writers: IGT's results.json, KTAP, JUnit XML, the terminal summary.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <json-c/json.h>

#include "acts_backend.h"
#include "expectations.h"
#include "runner.h"
#include "xml_text.h"

static const char *const result_names[RUN_NRESULTS] = {
	[RUN_PASS] = "pass", [RUN_SKIP] = "skip", [RUN_DMESG_WARN] = "dmesg-warn",
	[RUN_FAIL] = "fail", [RUN_DMESG_FAIL] = "dmesg-fail", [RUN_CRASH] = "crash",
	[RUN_TIMEOUT] = "timeout", [RUN_NOTRUN] = "notrun", [RUN_INCOMPLETE] = "incomplete",
};

const char *run_result_name(enum run_result r)
{
	return r < RUN_NRESULTS ? result_names[r] : "?";
}

/* Not run is no result, good or bad: the run that left it so fails instead. */
bool run_result_is_failure(enum run_result r)
{
	return r != RUN_PASS && r != RUN_SKIP && r != RUN_NOTRUN;
}

int run_count(const struct run *run, enum run_result r)
{
	int d, i, n = 0;

	for (d = 0; d < run->ndev; d++)
		for (i = 0; i < run->devs[d].n; i++)
			n += run->devs[d].results[i].result == r;
	return n;
}

const char *dynamic_part_name(const struct subtest_result *d)
{
	const char *at = strchr(d->name, '@');

	return at ? at + 1 : d->name;
}

bool subtest_is_failure(const struct subtest_result *r)
{
	return expectation_is_failure(r->verdict, r->result);
}

/*
 * Results files are rewritten while the run goes and may be read (or the
 * machine may die) at any moment: each is written beside its place and
 * renamed over it, so a reader sees the old file or the new one, whole.
 */
static FILE *open_in(const char *dir, const char *name, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/.%s.new", dir, name);
	f = fopen(path, "we");
	if (!f)
		fprintf(stderr, "accel-cts: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

/* Close f (from open_in) and put it in place; -1 if anything failed. */
static int close_in(FILE *f, const char *dir, const char *name, const char *path)
{
	char final[1024];

	snprintf(final, sizeof(final), "%s/%s", dir, name);
	if (fclose(f) || rename(path, final)) {
		fprintf(stderr, "accel-cts: cannot write %s: %s\n", final, strerror(errno));
		unlink(path);
		return -EIO;
	}
	return 0;
}

int write_failures_csv(const char *dir, const struct device_run *dev)
{
	char path[1024];
	FILE *f = open_in(dir, "failures.csv", path, sizeof(path));
	int i;

	if (!f)
		return -EIO;
	for (i = 0; i < dev->n; i++) {
		const struct subtest_result *p = &dev->results[i];
		int k;

		/* The subtest, then its dynamic subtests: binary@subtest@dynamic. */
		for (k = -1; k < p->ndyn; k++) {
			const struct subtest_result *r = k < 0 ? p : &p->dyn[k];

			if (!subtest_is_failure(r))
				continue;
			/* deqp-runner's name for a listed failure that did not fail, as DRM CI shows it. */
			if (r->verdict == EXP_UNEXPECTED_PASS)
				fprintf(f, "%s@%s,UnexpectedImprovement(%s)\n", r->binary, r->name,
					r->result == RUN_SKIP ? "Skip" : "Pass");
			else
				fprintf(f, "%s@%s,%s\n", r->binary, r->name,
					expectation_result_name(r->result));
		}
	}
	return close_in(f, dir, "failures.csv", path);
}

/*
 * A subtest's "deviation: ..." lines (acts_profile.h): the errnos where the
 * driver answers otherwise than the profile and its backend declared so.
 */
static void add_deviations(json_object *t, const char *out)
{
	json_object *list = NULL;
	const char *p = out, *end;

	while (p && *p) {
		end = strchr(p, '\n');
		if (!strncmp(p, "deviation: ", 11)) {
			if (!list)
				list = json_object_new_array();
			json_object_array_add(list, json_object_new_string_len(p + 11,
				(int)((end ? end : p + strlen(p)) - p - 11)));
		}
		p = end ? end + 1 : NULL;
	}
	if (list)
		json_object_object_add(t, "accel_cts_deviations", list);
}

static json_object *time_attr(double start, double end)
{
	json_object *t = json_object_new_object();

	json_object_object_add(t, "__type__", json_object_new_string("TimeAttribute"));
	json_object_object_add(t, "start", json_object_new_double(start));
	json_object_object_add(t, "end", json_object_new_double(end));
	return t;
}

static json_object *new_totals(void)
{
	json_object *t = json_object_new_object();
	static const char *const keys[] = {
		"pass", "fail", "skip", "crash", "timeout", "dmesg-warn", "dmesg-fail",
		"warn", "incomplete", "abort", "notrun",
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_object_add(t, keys[i], json_object_new_int(0));
	return t;
}

static void count(json_object *totals, const char *key, enum run_result r)
{
	json_object *t, *v;

	if (!json_object_object_get_ex(totals, key, &t)) {
		t = new_totals();
		json_object_object_add(totals, key, t);
	}
	json_object_object_get_ex(t, run_result_name(r), &v);
	json_object_set_int(v, json_object_get_int(v) + 1);
}

/* What the run went through, as it concerns dev: boots, kernel deaths, stops. */
static json_object *run_story(const struct device_run *dev, const struct run *run)
{
	json_object *story = json_object_new_object(), *events = json_object_new_array();
	int i, notrun = 0, incomplete = 0;

	for (i = 0; i < dev->n; i++) {
		notrun += dev->results[i].result == RUN_NOTRUN;
		incomplete += dev->results[i].result == RUN_INCOMPLETE;
	}
	for (i = 0; i < run->nevents; i++) {
		const struct run_event *e = &run->events[i];
		json_object *ej;

		if (*e->dev && strcmp(e->dev, dev->dir))
			continue;
		ej = json_object_new_object();
		json_object_object_add(ej, "kind", json_object_new_string(e->kind));
		json_object_object_add(ej, "test", json_object_new_string(e->test));
		json_object_object_add(ej, "reason", json_object_new_string(e->reason));
		json_object_object_add(ej, "boot", json_object_new_int(e->boot));
		json_object_array_add(events, ej);
	}
	json_object_object_add(story, "boots", json_object_new_int(run->boots));
	json_object_object_add(story, "complete", json_object_new_boolean(run->finished));
	json_object_object_add(story, "notrun", json_object_new_int(notrun));
	json_object_object_add(story, "incomplete", json_object_new_int(incomplete));
	json_object_object_add(story, "events", events);
	return story;
}

/* One entry of results.json's tests: igt@binary@name. */
static void add_test_entry(json_object *tests, const struct subtest_result *r)
{
	json_object *t = json_object_new_object();
	char key[1024];

	snprintf(key, sizeof(key), "igt@%s@%s", r->binary, r->name);
	json_object_object_add(t, "out", json_object_new_string(r->out ?: ""));
	json_object_object_add(t, "err", json_object_new_string(r->err ?: ""));
	json_object_object_add(t, "dmesg", json_object_new_string(r->dmesg ?: ""));
	json_object_object_add(t, "result", json_object_new_string(run_result_name(r->result)));
	/* IGT's time is the subtest's duration; when it started is accel-cts' own key. */
	json_object_object_add(t, "time", time_attr(0, r->end - r->start));
	json_object_object_add(t, "accel_cts_start", json_object_new_double(r->start));
	json_object_object_add(t, "accel_cts_rules", json_object_new_string(r->rules ?: ""));
	json_object_object_add(t, "accel_cts_description", json_object_new_string(r->desc ?: ""));
	if (r->reason)
		json_object_object_add(t, "accel_cts_reason", json_object_new_string(r->reason));
	add_deviations(t, r->out);
	if (r->verdict != EXP_NONE)
		json_object_object_add(t, "accel_cts_expectation",
				       json_object_new_string(expectation_name(r->verdict)));
	if (r->boot)
		json_object_object_add(t, "accel_cts_boot", json_object_new_int(r->boot));
	if (r->retries) {
		json_object_object_add(t, "accel_cts_retries", json_object_new_int(r->retries));
		json_object_object_add(t, "accel_cts_retry_passed",
				       json_object_new_boolean(r->retry_passed));
	}
	json_object_object_add(tests, key, t);
}

int write_results_json(const char *dir, const struct device_run *dev, const char *name,
		       const struct run *run)
{
	json_object *root = json_object_new_object(), *tests = json_object_new_object();
	json_object *totals, *runtimes = json_object_new_object();
	json_object *meta = json_object_new_object();
	char path[1024], final[1024];
	int i, ret;

	json_object_object_add(root, "__type__", json_object_new_string("TestrunResult"));
	json_object_object_add(root, "results_version", json_object_new_int(10));
	json_object_object_add(root, "name", json_object_new_string(name));
	json_object_object_add(root, "uname", json_object_new_string(run->uname ?: ""));
	{
		json_object *cmdline = json_object_new_array();

		for (i = 0; i < run->ncmdline; i++)
			json_object_array_add(cmdline, json_object_new_string(run->cmdline[i] ?: ""));
		json_object_object_add(root, "cmdline", cmdline);
	}
	/* IGT's time_elapsed: wall-clock time, seconds since the epoch. */
	json_object_object_add(root, "time_elapsed",
			       time_attr(run->t0 + dev->start, run->t0 + dev->end));
	json_object_object_add(meta, "device", json_object_new_string(dev->node.path));
	json_object_object_add(meta, "driver", json_object_new_string(dev->node.driver));
	json_object_object_add(meta, "label", json_object_new_string(dev->label));
	json_object_object_add(meta, "backend", json_object_new_string(dev->backend));
	json_object_object_add(meta, "capabilities", json_object_new_string(dev->caps));
	json_object_object_add(meta, "node_kind",
			       json_object_new_string(acts_node_kind_name(dev->node.kind)));
	json_object_object_add(meta, "run", run_story(dev, run));
	json_object_object_add(root, "accel_cts", meta);

	totals = json_object_new_object();
	json_object_object_add(totals, "", new_totals());
	json_object_object_add(totals, "root", new_totals());
	for (i = 0; i < dev->n; i++) {
		const struct subtest_result *r = &dev->results[i];
		json_object *rt;
		char bin[256];
		int k;

		/*
		 * As igt_runner (its default prune mode, keep-all): the subtest's own
		 * entry, and one igt@binary@subtest@dynamic entry per dynamic subtest.
		 */
		snprintf(bin, sizeof(bin), "igt@%s", r->binary);
		for (k = -1; k < r->ndyn; k++) {
			const struct subtest_result *e = k < 0 ? r : &r->dyn[k];

			add_test_entry(tests, e);
			count(totals, "", e->result);
			count(totals, "root", e->result);
			count(totals, bin, e->result);
		}
		/* IGT's runtimes: per binary, the sum of its subtests' times. */
		if (r->result == RUN_NOTRUN) {
			/* no runtime */
		} else if (!json_object_object_get_ex(runtimes, bin, &rt)) {
			rt = json_object_new_object();
			json_object_object_add(rt, "time", time_attr(0, r->end - r->start));
			json_object_object_add(runtimes, bin, rt);
		} else {
			json_object *tm, *end;

			json_object_object_get_ex(rt, "time", &tm);
			json_object_object_get_ex(tm, "end", &end);
			json_object_set_double(end, json_object_get_double(end) + r->end - r->start);
		}
	}
	json_object_object_add(root, "tests", tests);
	json_object_object_add(root, "totals", totals);
	json_object_object_add(root, "runtimes", runtimes);

	snprintf(path, sizeof(path), "%s/.results.json.new", dir);
	snprintf(final, sizeof(final), "%s/results.json", dir);
	ret = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
	if (ret)
		fprintf(stderr, "accel-cts: cannot write %s: %s\n", path, json_util_get_last_err());
	else if (rename(path, final))
		ret = -1;
	json_object_put(root);
	return ret ? -EIO : 0;
}

/*
 * A result line's directive and diagnostic, in the forms ktap.rst gives:
 * "# SKIP reason", "# TIMEOUT reason", "# ERROR reason" for a crash (the test
 * did not run to its end), and a bare diagnostic for other failures.
 */
static void ktap_directive(FILE *f, const struct subtest_result *r)
{
	const char *why = r->reason ?: "";
	const char *sep = *why ? " " : "";

	switch (r->result) {
	case RUN_PASS:
		break;
	case RUN_SKIP:
		fprintf(f, " # SKIP%s%s", sep, why);
		break;
	case RUN_NOTRUN:
		fprintf(f, " # SKIP not run: the run stopped before it");
		break;
	case RUN_TIMEOUT:
		fprintf(f, " # TIMEOUT%s%s", sep, why);
		break;
	case RUN_CRASH:
	case RUN_INCOMPLETE:
		fprintf(f, " # ERROR %s%s%s", run_result_name(r->result), *why ? ": " : "", why);
		break;
	case RUN_FAIL:
		if (*why)
			fprintf(f, " # %s", why);
		break;
	default:
		/* dmesg-*: a diagnostic, which must not read as a directive */
		fprintf(f, " # %s%s%s", run_result_name(r->result), *why ? ": " : "", why);
		break;
	}
}

/*
 * KTAP: one subtest (indented two spaces) per test binary, and in it one
 * (indented four) per subtest with dynamic subtests.
 */
int write_ktap(const char *dir, const struct device_run *dev)
{
	char path[1024];
	FILE *f = open_in(dir, "results.ktap", path, sizeof(path));
	int i, j, nbin = 0, bin = 0;

	if (!f)
		return -EIO;
	for (i = 0; i < dev->n; i++)
		nbin += i == 0 || strcmp(dev->results[i].binary, dev->results[i - 1].binary);
	fprintf(f, "KTAP version 1\n1..%d\n", nbin);
	for (i = 0; i < dev->n; i = j) {
		bool ok = true, all_skipped = true;
		int k = 0;

		for (j = i; j < dev->n && !strcmp(dev->results[j].binary, dev->results[i].binary); j++)
			;
		fprintf(f, "  KTAP version 1\n  # Subtest: %s\n  1..%d\n",
			dev->results[i].binary, j - i);
		for (; i < j; i++) {
			const struct subtest_result *r = &dev->results[i];
			bool bad = run_result_is_failure(r->result);
			int m;

			/* Dynamic subtests: a test list nested in their subtest's. */
			if (r->ndyn)
				fprintf(f, "    KTAP version 1\n    # Subtest: %s\n    1..%d\n", r->name,
					r->ndyn);
			for (m = 0; m < r->ndyn; m++) {
				const struct subtest_result *d = &r->dyn[m];

				fprintf(f, "    %sok %d %s", run_result_is_failure(d->result) ? "not " : "",
					m + 1, dynamic_part_name(d));
				ktap_directive(f, d);
				fputc('\n', f);
			}
			fprintf(f, "  %sok %d %s", bad ? "not " : "", ++k, r->name);
			ktap_directive(f, r);
			fputc('\n', f);
			ok &= !bad;
			all_skipped &= r->result == RUN_SKIP || r->result == RUN_NOTRUN;
		}
		fprintf(f, "%sok %d %s%s\n", ok ? "" : "not ", ++bin, dev->results[j - 1].binary,
			ok && all_skipped ? " # SKIP" : "");
	}
	return close_in(f, dir, "results.ktap", path);
}

/*
 * JUnit's element for a result, or NULL for a pass: a failure the
 * expectation files excuse (expected, or a listed flake) is "skipped" with
 * the reason, so dashboards gate as the run does.
 */
static const char *junit_tag(const struct subtest_result *r)
{
	if (!subtest_is_failure(r))
		return r->result == RUN_PASS ? NULL : "skipped";
	if (r->verdict == EXP_UNEXPECTED_PASS)
		return "failure";
	return r->result == RUN_CRASH || r->result == RUN_TIMEOUT ||
	       r->result == RUN_INCOMPLETE ? "error" : "failure";
}

/* Counts of the JUnit elements of results [from, to), dynamic subtests included. */
static void junit_counts(const struct device_run *dev, int from, int to, int *fails, int *errors,
			 int *skips, double *time)
{
	int i;

	*fails = *errors = *skips = 0;
	*time = 0;
	for (i = from; i < to; i++) {
		const struct subtest_result *p = &dev->results[i];
		int k;

		for (k = -1; k < p->ndyn; k++) {
			const char *tag = junit_tag(k < 0 ? p : &p->dyn[k]);

			*fails += tag && !strcmp(tag, "failure");
			*errors += tag && !strcmp(tag, "error");
			*skips += tag && !strcmp(tag, "skipped");
		}
		*time += p->end - p->start;
	}
}

/* JUnit testcases of results [from, to): each subtest, then its dynamic subtests. */
static int junit_cases(const struct device_run *dev, int from, int to)
{
	int i, n = 0;

	for (i = from; i < to; i++)
		n += 1 + dev->results[i].ndyn;
	return n;
}

/*
 * JUnit XML as Jenkins' JUnit schema (junit-4.xsd) has it: counts on every
 * testsuite (the root takes no "skipped"); a failure's or error's reason both
 * in its message attribute and as its text, for tools that read only one;
 * a skip's reason as the text of skipped, which takes no attributes.
 */
static void junit_case(FILE *f, const struct device_run *dev, const char *bin,
		       const struct subtest_result *r);

int write_junit(const char *dir, const struct device_run *dev)
{
	char path[1024];
	FILE *f = open_in(dir, "junit.xml", path, sizeof(path));
	int i, j, fails, errors, skips;
	double time;

	if (!f)
		return -EIO;
	junit_counts(dev, 0, dev->n, &fails, &errors, &skips, &time);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"accel-cts\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
		"time=\"%.3f\">\n", junit_cases(dev, 0, dev->n), fails, errors, time);
	for (i = 0; i < dev->n; i = j) {
		const char *bin = dev->results[i].binary;

		for (j = i; j < dev->n && !strcmp(dev->results[j].binary, bin); j++)
			;
		junit_counts(dev, i, j, &fails, &errors, &skips, &time);
		fprintf(f, "  <testsuite name=\"%s.%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
			"skipped=\"%d\" time=\"%.3f\">\n", dev->node.driver, bin, junit_cases(dev, i, j),
			fails, errors, skips, time);
		for (j = i; j < dev->n && !strcmp(dev->results[j].binary, bin); j++) {
			const struct subtest_result *p = &dev->results[j];
			int k;

			for (k = -1; k < p->ndyn; k++)
				junit_case(f, dev, bin, k < 0 ? p : &p->dyn[k]);
		}
		fprintf(f, "  </testsuite>\n");
	}
	fprintf(f, "</testsuites>\n");
	return close_in(f, dir, "junit.xml", path);
}

/* One testcase: a subtest, or a dynamic subtest named "subtest@dynamic". */
static void junit_case(FILE *f, const struct device_run *dev, const char *bin,
		       const struct subtest_result *r)
{
	const char *tag = junit_tag(r);

	fprintf(f, "    <testcase classname=\"%s.%s\" name=\"", dev->node.driver, bin);
	xml_escaped(f, r->name);
	fprintf(f, "\" time=\"%.3f\">\n", r->end - r->start);
	if (tag && !strcmp(tag, "skipped")) {
		/* junit-4.xsd's skipped element is text only. */
		fprintf(f, "      <skipped>");
		if (r->verdict != EXP_NONE) {
			xml_escaped(f, expectation_name(r->verdict));
			xml_escaped(f, ": ");
		}
		xml_escaped(f, r->reason ?: run_result_name(r->result));
		fprintf(f, "</skipped>\n");
	} else if (tag) {
		fprintf(f, "      <%s type=\"%s\" message=\"", tag, run_result_name(r->result));
		if (r->verdict != EXP_NONE) {
			xml_escaped(f, expectation_name(r->verdict));
			xml_escaped(f, ": ");
		}
		xml_escaped(f, r->reason ?: run_result_name(r->result));
		fprintf(f, "\">");
		xml_escaped(f, r->reason ?: run_result_name(r->result));
		fprintf(f, "</%s>\n", tag);
	}
	fprintf(f, "      <system-out>");
	xml_escaped(f, r->out);
	fprintf(f, "</system-out>\n      <system-err>");
	xml_escaped(f, r->err);
	xml_escaped(f, r->dmesg && *r->dmesg ? "\n--- dmesg ---\n" : "");
	xml_escaped(f, r->dmesg);
	fprintf(f, "</system-err>\n    </testcase>\n");
}


/* What happened to the run itself: where the kernel died, where it stopped, what never ran. */
static void print_story(FILE *f, const struct run *run)
{
	int i, notrun = 0, incomplete = 0;

	for (i = 0; i < run->nevents; i++) {
		const struct run_event *e = &run->events[i];
		bool later = i + 1 < run->nevents || run->boots > e->boot;

		if (!strcmp(e->kind, "abort"))
			fprintf(f, "STOPPED%s%s (boot %d): %s%s\n", *e->test ? " after " : "", e->test,
				e->boot, e->reason, later ? "; the run went on in a fresh boot" : "");
		else
			fprintf(f, "THE KERNEL %s %s%s (boot %d): %s%s\n",
				!strcmp(e->kind, "timeout") ? "HUNG" : "DIED",
				*e->test ? "in " : "between subtests", e->test, e->boot,
				e->reason, later ? "; the run went on in a fresh boot" : "");
	}
	notrun = run_count(run, RUN_NOTRUN);
	incomplete = run_count(run, RUN_INCOMPLETE);
	if (notrun || incomplete)
		fprintf(f, "NOT FINISHED: %d subtests never ran%s; `accel-cts resume %s` %s\n",
			notrun, incomplete ? ", 1 has no result" : "", run->dir,
			run->finished ? "cannot continue it" : "continues the run");
	else if (run->boots > 1)
		fprintf(f, "every planned subtest has a result, over %d boots\n", run->boots);
}

void print_summary(FILE *f, const struct run *run)
{
	const struct device_run *devs = run->devs;
	bool shown[RUN_NRESULTS];
	int d, i, r, n = run->ndev;

	for (r = 0; r < RUN_NRESULTS; r++)
		shown[r] = (r != RUN_NOTRUN && r != RUN_INCOMPLETE) || run_count(run, r);

	fprintf(f, "\n%-20s %-18s", "device", "driver");
	for (r = 0; r < RUN_NRESULTS; r++)
		if (shown[r])
			fprintf(f, " %10s", run_result_name(r));
	fprintf(f, " %6s\n", "total");
	for (d = 0; d < n; d++) {
		int counts[RUN_NRESULTS] = { 0 };

		for (i = 0; i < devs[d].n; i++)
			counts[devs[d].results[i].result]++;
		fprintf(f, "%-20s %-18s", devs[d].node.path, devs[d].label);
		for (r = 0; r < RUN_NRESULTS; r++)
			if (shown[r])
				fprintf(f, " %10d", counts[r]);
		fprintf(f, " %6d\n", devs[d].n);
	}
	for (d = 0; d < n; d++) {
		for (i = 0; i < devs[d].n; i++) {
			const struct subtest_result *t = &devs[d].results[i];
			int j, same = 0, seen = 0;

			if ((t->result == RUN_PASS && t->verdict != EXP_UNEXPECTED_PASS) ||
			    t->result == RUN_NOTRUN)
				continue;
			if (t->result != RUN_SKIP) {
				fprintf(f, "  %-10s %-10s %s@%s%s%s%s: %s\n", run_result_name(t->result),
					devs[d].label, t->binary, t->name,
					t->verdict != EXP_NONE ? " [" : "", expectation_name(t->verdict),
					t->verdict != EXP_NONE ? "]" : "", t->reason ?: "");
				/* Its dynamic subtests that failed, below it. */
				for (j = 0; j < t->ndyn; j++) {
					const struct subtest_result *u = &t->dyn[j];

					if (!run_result_is_failure(u->result) &&
					    u->verdict != EXP_UNEXPECTED_PASS)
						continue;
					fprintf(f, "    %-10s %-8s %s@%s%s%s%s: %s\n",
						run_result_name(u->result), devs[d].label, u->binary,
						u->name, u->verdict != EXP_NONE ? " [" : "",
						expectation_name(u->verdict),
						u->verdict != EXP_NONE ? "]" : "", u->reason ?: "");
				}
				continue;
			}
			/* Skips share reasons (a missing backend operation): one line per reason. */
			for (j = 0; j < devs[d].n; j++) {
				const struct subtest_result *u = &devs[d].results[j];

				if (u->result != RUN_SKIP || strcmp(u->reason ?: "", t->reason ?: ""))
					continue;
				seen |= j < i;
				same++;
			}
			if (seen)
				continue;
			if (same == 1)
				fprintf(f, "  %-10s %-10s %s@%s: %s\n", "skip", devs[d].label,
					t->binary, t->name, t->reason ?: "");
			else
				fprintf(f, "  %-10s %-10s %d subtests (%s@%s, ...): %s\n", "skip",
					devs[d].label, same, t->binary, t->name, t->reason ?: "");
		}
	}
	for (d = 0; d < n; d++) {
		int v[EXP_LISTED_SKIP + 1] = { 0 };

		if (!devs[d].exp)
			continue;
		for (i = 0; i < devs[d].n; i++)
			v[devs[d].results[i].verdict]++;
		fprintf(f, "expectations for %s: %d expected failures, %d flakes, %d listed skips, "
			"%d unexpected passes, %d unexpected results\n", devs[d].node.path,
			v[EXP_EXPECTED_FAIL], v[EXP_FLAKE], v[EXP_LISTED_SKIP], v[EXP_UNEXPECTED_PASS],
			v[EXP_UNEXPECTED_RESULT]);
	}
	print_story(f, run);
	fprintf(f, "results: %s\n", run->dir);
}
