// SPDX-License-Identifier: MIT
/*
 * Run folders read back: each device's results.json and the benchmark
 * records of bench/, for compare, plot, report and lava-cases.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "json_checked.h"
#include "run_folder.h"
#include "run_label.h"

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* Members of the types asked for only: a null or a number is not a string. */
const char *json_str(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_is_type(o, json_type_object) &&
	       json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

double json_num(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_is_type(o, json_type_object) &&
	       json_object_object_get_ex(o, key, &v) &&
	       (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)) ?
	       json_object_get_double(v) : NAN;
}

void bench_key_device(const char *key, char *buf, size_t len)
{
	size_t n = strcspn(key, " ");

	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), key);
}

void run_device_counts(json_object *tests, int counts[4])
{
	memset(counts, 0, 4 * sizeof(*counts));
	json_object_object_foreach(tests, name, t) {
		const char *r = json_str(t, "result") ?: "";

		(void)name;
		counts[!strcmp(r, "pass") ? 0 : !strcmp(r, "skip") ? 1 : !strcmp(r, "fail") ? 2 : 3]++;
	}
}

static int load_device(struct run_data *r, const char *name, const char *path)
{
	json_object *root, *tests, *meta, *story;
	int err;

	root = json_checked_load(path, &err);
	if (!root)
		return err;
	err = json_checked_results(path, root);
	if (err) {
		json_object_put(root);
		return err;
	}
	json_object_object_get_ex(root, "tests", &tests);
	json_object_object_add(r->devices, name, json_object_get(tests));
	if (json_object_object_get_ex(root, "accel_cts", &meta) &&
	    json_object_object_get_ex(meta, "run", &story))
		json_object_object_add(r->stories, name, json_object_get(story));
	json_object_put(root);
	return 0;
}

/*
 * "<driver>-<node> <benchmark> <params>": the same measurement in any run.
 * A device of one of its driver's shapes (env.variant, e.g. "bo-wait") is
 * "<driver>/<variant>-<node>": a series of its own beside the driver's others.
 */
static char *record_key(json_object *rec)
{
	json_object *env, *params;
	const char *driver = "", *variant = "", *device = "", *bench = "", *p = "{}", *slash;
	char *key;

	if (json_object_object_get_ex(rec, "env", &env)) {
		driver = json_str(env, "driver") ?: "";
		variant = json_str(env, "variant") ?: "";
		device = json_str(env, "device") ?: "";
	}
	slash = strrchr(device, '/');
	bench = json_str(rec, "benchmark") ?: "";
	if (json_object_object_get_ex(rec, "params", &params))
		p = json_object_to_json_string_ext(params, JSON_C_TO_STRING_PLAIN);
	if (asprintf(&key, "%s%s%s-%s %s %s", driver, *variant ? "/" : "", variant,
		     slash ? slash + 1 : device, bench, p) < 0)
		return NULL;
	return key;
}

static int load_bench(struct run_data *r, const char *path)
{
	json_object *root;
	size_t i;
	int err;

	root = json_checked_load(path, &err);
	if (!root)
		return err;
	if (!json_object_is_type(root, json_type_array)) {
		fprintf(stderr, "accel-cts: %s is not a file of benchmark records\n", path);
		json_object_put(root);
		return -EINVAL;
	}
	for (i = 0; i < json_object_array_length(root); i++) {
		json_object *rec = json_object_array_get_idx(root, i);
		char *key;

		if (json_checked_bench_record(path, i, rec)) {
			json_object_put(root);
			return -EINVAL;
		}
		key = record_key(rec);
		if (key)
			json_object_object_add(r->bench, key, json_object_get(rec));
		free(key);
	}
	json_object_put(root);
	return 0;
}

/* A run folder, or a device folder: what run_data_load() can read. */
static bool looks_like_run(const char *path)
{
	static const char *const marks[] = { "results.json", "environment.json", "bench",
					     "journal.jsonl" };
	char p[PATH_MAX];
	struct dirent **ents;
	bool found = false;
	size_t k;
	int n, i;

	for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++) {
		snprintf(p, sizeof(p), "%s/%s", path, marks[k]);
		if (access(p, F_OK) == 0)
			return true;
	}
	n = scandir(path, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s/results.json", path, ents[i]->d_name);
		found = found || (ents[i]->d_name[0] != '.' && is_file(p));
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	return found;
}

void run_set_paths_free(char **paths, int n)
{
	int i;

	for (i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
}

int run_set_paths(const char *path, char ***paths)
{
	char p[PATH_MAX];
	struct dirent **ents;
	char **out = NULL;
	int n, i, count = 0, ret = 0;

	*paths = NULL;
	if (!is_dir(path)) {
		fprintf(stderr, "accel-cts: %s is not a run folder\n", path);
		return -ENOENT;
	}
	if (looks_like_run(path)) {
		out = malloc(sizeof(*out));
		if (!out || !(out[0] = strdup(path))) {
			free(out);
			return -ENOMEM;
		}
		*paths = out;
		return 1;
	}
	/* 1, 2, ... 10: the runs of a set in the order they were made. */
	n = scandir(path, &ents, NULL, versionsort);
	if (n < 0) {
		fprintf(stderr, "accel-cts: cannot read %s: %s\n", path, strerror(errno));
		return -errno;
	}
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s", path, ents[i]->d_name);
		if (!ret && ents[i]->d_name[0] != '.' && is_dir(p) && looks_like_run(p)) {
			char **grown = realloc(out, (size_t)(count + 1) * sizeof(*out));

			if (!grown || !(grown[count] = strdup(p))) {
				out = grown ? grown : out;
				ret = -ENOMEM;
			} else {
				out = grown;
				count++;
			}
		}
		free(ents[i]);
	}
	free(ents);
	if (!ret && !count) {
		fprintf(stderr, "accel-cts: %s is not a run folder and holds none\n", path);
		ret = -ENOENT;
	}
	if (ret) {
		run_set_paths_free(out, count);
		return ret;
	}
	*paths = out;
	return count;
}

const char *run_env_str(const struct run_data *r, const char *env_key, const char *record_key)
{
	const char *v = json_str(r->env, env_key);

	if (v)
		return v;
	json_object_object_foreach(r->bench, key, rec) {
		json_object *env;

		(void)key;
		if (json_object_object_get_ex(rec, "env", &env) && (v = json_str(env, record_key)))
			return v;
	}
	return NULL;
}

int run_sets_paths(char **args, int nargs, char ***paths, int *firsts)
{
	char **all = NULL;
	int total = 0, i, j;

	for (i = 0; i < nargs; i++) {
		char **found, **grown;
		int n = run_set_paths(args[i], &found);

		if (n < 0) {
			run_set_paths_free(all, total);
			return n;
		}
		grown = realloc(all, (size_t)(total + n) * sizeof(*grown));
		if (!grown) {
			run_set_paths_free(found, n);
			run_set_paths_free(all, total);
			return -ENOMEM;
		}
		all = grown;
		if (firsts)
			firsts[i] = total;
		for (j = 0; j < n; j++)
			all[total++] = found[j];
		free(found);
	}
	*paths = all;
	return total;
}

static int load_run(struct run_data *r, const char *path)
{
	char p[PATH_MAX];
	struct dirent **ents;
	int n, i, ret = 0;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->devices = json_object_new_object();
	r->bench = json_object_new_object();
	r->stories = json_object_new_object();
	if (!is_dir(path)) {
		fprintf(stderr, "accel-cts: %s is not a run folder\n", path);
		return -ENOENT;
	}
	snprintf(p, sizeof(p), "%s/environment.json", path);
	if (is_file(p)) {	/* optional, but an object if there */
		int err;

		r->env = json_checked_load(p, &err);
		if (!r->env || !json_object_is_type(r->env, json_type_object)) {
			if (r->env)
				fprintf(stderr, "accel-cts: %s is not an object\n", p);
			json_object_put(r->env);
			r->env = NULL;
			return -EINVAL;
		}
	}

	/* A device folder given on its own counts as a run of one device. */
	snprintf(p, sizeof(p), "%s/results.json", path);
	if (is_file(p)) {
		const char *base = strrchr(path, '/');

		return load_device(r, base && base[1] ? base + 1 : path, p);
	}
	n = scandir(path, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s/results.json", path, ents[i]->d_name);
		if (!ret && ents[i]->d_name[0] != '.' && is_file(p))
			ret = load_device(r, ents[i]->d_name, p);
		free(ents[i]);
	}
	free(n >= 0 ? ents : NULL);

	snprintf(p, sizeof(p), "%s/bench", path);
	n = is_dir(p) ? scandir(p, &ents, NULL, alphasort) : 0;
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		size_t len = strlen(name);

		snprintf(p, sizeof(p), "%s/bench/%s", path, name);
		if (!ret && name[0] != '.' && len > 5 && !strcmp(name + len - 5, ".json"))
			ret = load_bench(r, p);
		free(ents[i]);
	}
	if (n > 0)
		free(ents);
	if (!ret && !json_object_object_length(r->devices) && !json_object_object_length(r->bench)) {
		fprintf(stderr, "accel-cts: %s holds no conformance results and no benchmark records\n",
			path);
		ret = -ENOENT;
	}
	return ret;
}

int run_data_load(struct run_data *r, const char *path)
{
	int ret = load_run(r, path);

	run_labels_assign(r, 1);
	return ret;
}

void run_data_free(struct run_data *r)
{
	json_object_put(r->devices);
	json_object_put(r->stories);
	json_object_put(r->bench);
	json_object_put(r->env);
}

struct run_data *run_data_load_all(char **paths, int n)
{
	struct run_data *runs = calloc((size_t)n, sizeof(*runs));
	int i;

	for (i = 0; runs && i < n; i++) {
		if (run_data_load(&runs[i], paths[i])) {
			run_data_free_all(runs, i + 1);
			return NULL;
		}
	}
	if (runs)
		run_labels_assign(runs, n);
	return runs;
}

void run_data_free_all(struct run_data *runs, int n)
{
	int i;

	for (i = 0; runs && i < n; i++)
		run_data_free(&runs[i]);
	free(runs);
}

/* A count member, 0 when absent or not a sane count (json_num gives NaN then). */
static int count_of(json_object *o, const char *key)
{
	double v = json_num(o, key);

	return isfinite(v) && v >= 0 && v <= 1e6 ? (int)v : 0;
}

bool run_story_line(json_object *story, int i, char *buf, size_t len, bool *bad)
{
	json_object *events, *e;
	int nev = 0, notrun = count_of(story, "notrun"), boots = count_of(story, "boots");
	json_object *complete;
	bool done = story && json_object_object_get_ex(story, "complete", &complete) &&
		    json_object_get_boolean(complete);

	*bad = true;
	if (!story)
		return false;
	if (json_object_object_get_ex(story, "events", &events) &&
	    json_object_is_type(events, json_type_array))
		nev = (int)json_object_array_length(events);
	if (i < nev) {
		const char *kind, *test;

		e = json_object_array_get_idx(events, i);
		kind = json_str(e, "kind") ?: "";
		test = json_str(e, "test") ?: "";
		if (!strcmp(kind, "abort"))
			snprintf(buf, len, "stopped%s%s (boot %d): %s", *test ? " after " : "", test,
				 count_of(e, "boot"), json_str(e, "reason") ?: "");
		else
			snprintf(buf, len, "the kernel %s %s%s (boot %d): %s",
				 !strcmp(kind, "timeout") ? "hung" : "died",
				 *test ? "in " : "between subtests", test, count_of(e, "boot"),
				 json_str(e, "reason") ?: "");
		return true;
	}
	if (i == nev && (notrun > 0 || !done)) {
		snprintf(buf, len, "%d subtests never ran%s", notrun > 0 ? notrun : 0,
			 done ? "" : "; the run is not finished (accel-cts resume continues it)");
		return true;
	}
	if (i == nev && boots > 1) {
		*bad = false;
		snprintf(buf, len, "every subtest has a result, over %d boots", boots);
		return true;
	}
	return false;
}
