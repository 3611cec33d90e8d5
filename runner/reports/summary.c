// SPDX-License-Identifier: MIT
/*
 * `accel-cts summary DIR`: the totals of a run folder, read back from what
 * it holds: each device's results.json (IGT format) and the KUnit results
 * kunit/run-kunit left in DIR/kunit (kunit.py's JSON).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "json_checked.h"
#include "run_folder.h"
#include "summary.h"

struct tally {
	int pass, skip, fail, other;
	int excused;	/* failures the run's expectation files excuse: expected, or flakes */
};

static void tally_result(struct tally *t, const char *r)
{
	if (!strcmp(r, "pass") || !strcmp(r, "PASS"))
		t->pass++;
	else if (!strcmp(r, "skip") || !strcmp(r, "SKIP"))
		t->skip++;
	else if (!strcmp(r, "fail") || !strcmp(r, "FAIL"))
		t->fail++;
	else
		t->other++;	/* crash, timeout, dmesg-*, ERROR: all failures */
}

static void print_row(const char *name, const struct tally *t)
{
	printf("%-44s %6d %6d %6d %6d %6d %8d\n", name, t->pass, t->skip, t->fail, t->other,
	       t->pass + t->skip + t->fail + t->other + t->excused, t->excused);
}

/* kunit.py's JSON: groups of test cases, nested; count the leaves. */
static void tally_kunit(json_object *group, struct tally *t)
{
	json_object *cases, *groups, *status;
	size_t i;

	if (json_object_object_get_ex(group, "test_cases", &cases) &&
	    json_object_is_type(cases, json_type_array))
		for (i = 0; i < json_object_array_length(cases); i++)
			if (json_object_object_get_ex(json_object_array_get_idx(cases, i), "status",
						      &status))
				tally_result(t, json_object_get_string(status));
	if (json_object_object_get_ex(group, "sub_groups", &groups) &&
	    json_object_is_type(groups, json_type_array))
		for (i = 0; i < json_object_array_length(groups); i++)
			tally_kunit(json_object_array_get_idx(groups, i), t);
}

static int summarise_igt(const char *path, const char *name, bool *bad)
{
	json_object *root, *tests, *res;
	struct tally t = { 0 };
	int err;

	root = json_checked_load(path, &err);
	if (!root)
		return err;
	if (json_checked_results(path, root)) {
		json_object_put(root);
		return -EINVAL;
	}
	json_object_object_get_ex(root, "tests", &tests);
	json_object_object_foreach(tests, key, val) {
		json_object *exp;
		const char *e = json_object_object_get_ex(val, "accel_cts_expectation", &exp) ?
				json_object_get_string(exp) : "";

		(void)key;
		if (!json_object_object_get_ex(val, "result", &res))
			continue;
		if (strcmp(json_object_get_string(res), "pass") &&
		    (!strcmp(e, "expected-fail") || !strcmp(e, "flake")))
			t.excused++;
		else if (!strcmp(e, "unexpected-pass"))
			t.fail++;	/* the fails list is stale: that fails the run too */
		else
			tally_result(&t, json_object_get_string(res));
	}
	print_row(name, &t);
	*bad |= t.fail || t.other;
	{
		json_object *meta, *story = NULL;
		char line[1024];
		bool line_bad;
		int i;

		if (json_object_object_get_ex(root, "accel_cts", &meta))
			json_object_object_get_ex(meta, "run", &story);
		for (i = 0; run_story_line(story, i, line, sizeof(line), &line_bad); i++) {
			printf("    %s%s\n", line_bad ? "!! " : "", line);
			*bad |= line_bad;
		}
	}
	json_object_put(root);
	return 0;
}

static int summarise_kunit(const char *path, const char *name, bool *bad)
{
	json_object *root;
	struct tally t = { 0 };
	int err;

	root = json_checked_load(path, &err);
	if (!root)
		return err;
	if (json_checked_kunit(path, root, 0)) {
		json_object_put(root);
		return -EINVAL;
	}
	tally_kunit(root, &t);
	print_row(name, &t);
	*bad |= t.fail || t.other || !t.pass;
	json_object_put(root);
	return 0;
}

/* How a run is named when several are summed up: its kernel, else its folder. */
static void run_name(const char *dir, char *buf, size_t len)
{
	char path[PATH_MAX];
	json_object *env, *k;
	const char *base = strrchr(dir, '/');

	struct stat st;
	int err;

	snprintf(path, sizeof(path), "%s/environment.json", dir);
	env = stat(path, &st) ? NULL : json_checked_load(path, &err);
	if (env && json_object_object_get_ex(env, "kernel_release", &k) &&
	    json_object_is_type(k, json_type_string))
		snprintf(buf, len, "%s", json_object_get_string(k));
	else
		snprintf(buf, len, "%s", base && base[1] ? base + 1 : dir);
	json_object_put(env);
}

static int summarise_run(const char *dir, const char *prefix, bool *bad)
{
	static const char *const flavours[] = { "default", "debug" };
	char path[PATH_MAX], name[PATH_MAX];
	struct dirent **ents;
	int n, i, parts = 0, err;
	bool broken = false;
	struct stat st;

	/* environment.json is optional; if there, it must be what it claims. */
	snprintf(path, sizeof(path), "%s/environment.json", dir);
	if (!stat(path, &st)) {
		json_object *env = json_checked_load(path, &err);

		if (!env || !json_object_is_type(env, json_type_object)) {
			if (env)
				fprintf(stderr, "accel-cts: %s is not an object\n", path);
			json_object_put(env);
			return -EINVAL;
		}
		json_object_put(env);
	}
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "accel-cts: cannot read %s: %m\n", dir);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s/results.json", dir, ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && !stat(path, &st)) {
			snprintf(name, sizeof(name), "%s%s", prefix, ents[i]->d_name);
			if (summarise_igt(path, name, bad))
				broken = true;
			parts++;
		}
		free(ents[i]);
	}
	free(ents);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/kunit/kunit-%s.json", dir, flavours[i]);
		if (stat(path, &st))
			continue;
		snprintf(name, sizeof(name), "%skunit %s (UML)", prefix, flavours[i]);
		if (summarise_kunit(path, name, bad))
			broken = true;
		parts++;
	}
	if (!parts) {
		fprintf(stderr, "accel-cts: %s holds no results\n", dir);
		return -EINVAL;
	}
	return broken ? -EINVAL : 0;
}

int cmd_summary(int argc, char **argv)
{
	bool bad = false, broken = false;
	char prefix[160];
	int i;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: accel-cts summary RUN-FOLDER...\n"
				"  totals per device and KUnit flavour; with several runs, one row\n"
				"  per run and part, the run named by its kernel\n");
		return 2;
	}
	printf("%-44s %6s %6s %6s %6s %6s %8s\n", "part", "pass", "skip", "fail", "other", "total",
	       "expected");
	for (i = 1; i < argc; i++) {
		prefix[0] = '\0';
		if (argc > 2) {
			run_name(argv[i], prefix, sizeof(prefix) - 2);
			strcat(prefix, " ");
		}
		if (summarise_run(argv[i], prefix, &bad))
			broken = true;
	}
	return broken ? 2 : bad ? 1 : 0;
}
