// SPDX-License-Identifier: MIT
/*
 * The one way the tools read a JSON file back: a regular file only (a FIFO
 * or a device would block or never end), parsed whole, then checked field
 * by field against what the reader will use, so that no command
 * dereferences a member of the wrong type or computes with a NaN. A refusal
 * names the file and the field.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "json_checked.h"

static int refuse(const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "accel-cts: %s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

json_object *json_checked_load(const char *path, int *err)
{
	struct stat st;
	json_object *root;

	*err = 0;
	if (stat(path, &st)) {
		*err = -errno;
		fprintf(stderr, "accel-cts: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		*err = refuse(path, "not a regular file");
		return NULL;
	}
	root = json_object_from_file(path);
	if (!root) {
		*err = refuse(path, "not JSON: %s", json_util_get_last_err() ?: "unreadable");
		return NULL;
	}
	return root;
}

static bool is_num(json_object *v)
{
	return json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int);
}

static bool finite_num(json_object *v)
{
	return is_num(v) && isfinite(json_object_get_double(v));
}

int json_checked_time(const char *path, const char *what, json_object *t)
{
	json_object *s, *e;

	if (!json_object_is_type(t, json_type_object) ||
	    !json_object_object_get_ex(t, "start", &s) || !json_object_object_get_ex(t, "end", &e) ||
	    !finite_num(s) || !finite_num(e))
		return refuse(path, "%s: time must be an object of finite start and end", what);
	return 0;
}

int json_checked_results(const char *path, json_object *root)
{
	static const char *const results[] = {
		"pass", "skip", "fail", "crash", "timeout", "dmesg-warn", "dmesg-fail", "warn",
		"incomplete", "abort", "notrun",
	};
	json_object *tests, *meta, *story;

	if (!json_object_is_type(root, json_type_object))
		return refuse(path, "not an IGT results file (not an object)");
	if (!json_object_object_get_ex(root, "tests", &tests) ||
	    !json_object_is_type(tests, json_type_object))
		return refuse(path, "not an IGT results file: \"tests\" must be an object");
	json_object_object_foreach(tests, name, t) {
		json_object *v;
		const char *r;
		size_t i;

		if (!json_object_is_type(t, json_type_object))
			return refuse(path, "tests.%s must be an object", name);
		if (!json_object_object_get_ex(t, "result", &v) ||
		    !json_object_is_type(v, json_type_string))
			return refuse(path, "tests.%s.result must be a string", name);
		r = json_object_get_string(v);
		for (i = 0; i < sizeof(results) / sizeof(results[0]); i++)
			if (!strcmp(r, results[i]))
				break;
		if (i == sizeof(results) / sizeof(results[0]))
			return refuse(path, "tests.%s.result '%s' is not an IGT result", name, r);
		if (json_object_object_get_ex(t, "time", &v) &&
		    json_checked_time(path, name, v))
			return -EINVAL;
		if (json_object_object_get_ex(t, "accel_cts_expectation", &v) &&
		    !json_object_is_type(v, json_type_string))
			return refuse(path, "tests.%s.accel_cts_expectation must be a string", name);
		if (json_object_object_get_ex(t, "accel_cts_reason", &v) &&
		    !json_object_is_type(v, json_type_string))
			return refuse(path, "tests.%s.accel_cts_reason must be a string", name);
	}
	if (json_object_object_get_ex(root, "accel_cts", &meta) &&
	    json_object_object_get_ex(meta, "run", &story)) {
		json_object *events, *v;
		size_t i;

		if (!json_object_is_type(story, json_type_object) ||
		    !json_object_object_get_ex(story, "events", &events) ||
		    !json_object_is_type(events, json_type_array))
			return refuse(path, "accel_cts.run.events must be an array");
		for (i = 0; i < json_object_array_length(events); i++) {
			json_object *e = json_object_array_get_idx(events, i);

			if (!json_object_is_type(e, json_type_object) ||
			    !json_object_object_get_ex(e, "kind", &v) ||
			    !json_object_is_type(v, json_type_string) ||
			    !json_object_object_get_ex(e, "test", &v) ||
			    !json_object_is_type(v, json_type_string) ||
			    !json_object_object_get_ex(e, "reason", &v) ||
			    !json_object_is_type(v, json_type_string))
				return refuse(path, "accel_cts.run.events[%zu] needs kind, test and "
					      "reason strings", i);
		}
		for (i = 0; i < 3; i++) {
			static const char *const counts[] = { "boots", "notrun", "incomplete" };

			if (json_object_object_get_ex(story, counts[i], &v) &&
			    (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
			     json_object_get_int64(v) > 1000000))
				return refuse(path, "accel_cts.run.%s must be a count", counts[i]);
		}
	}
	return 0;
}

int json_checked_bench_record(const char *path, size_t idx, json_object *rec)
{
	json_object *v, *samples, *limit;
	size_t i, n;
	int64_t count;

	if (!json_object_is_type(rec, json_type_object))
		return refuse(path, "record %zu is not an object", idx);
	if (!json_object_object_get_ex(rec, "benchmark", &v) ||
	    !json_object_is_type(v, json_type_string) || !*json_object_get_string(v))
		return refuse(path, "record %zu: benchmark must be a name", idx);
	if (!json_object_object_get_ex(rec, "median", &v) || !finite_num(v))
		return refuse(path, "record %zu: median must be a finite number", idx);
	if (json_object_object_get_ex(rec, "unit", &v) && !json_object_is_type(v, json_type_string))
		return refuse(path, "record %zu: unit must be a string", idx);
	if (json_object_object_get_ex(rec, "params", &v) &&
	    !json_object_is_type(v, json_type_object))
		return refuse(path, "record %zu: params must be an object", idx);
	if (json_object_object_get_ex(rec, "env", &v)) {
		json_object *f;
		size_t k;
		static const char *const strs[] = { "driver", "variant", "device", "kernel" };

		if (!json_object_is_type(v, json_type_object))
			return refuse(path, "record %zu: env must be an object", idx);
		for (k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
			if (json_object_object_get_ex(v, strs[k], &f) &&
			    !json_object_is_type(f, json_type_string))
				return refuse(path, "record %zu: env.%s must be a string", idx,
					      strs[k]);
	}
	if (json_object_object_get_ex(rec, "samples", &samples)) {
		if (!json_object_is_type(samples, json_type_array) ||
		    !(n = json_object_array_length(samples)))
			return refuse(path, "record %zu: samples must be a non-empty array", idx);
		for (i = 0; i < n; i++)
			if (!finite_num(json_object_array_get_idx(samples, i)))
				return refuse(path, "record %zu: sample %zu is not a finite number",
					      idx, i);
		if (json_object_object_get_ex(rec, "n", &v)) {
			json_object *dec;
			bool decimated = json_object_object_get_ex(rec, "samples_decimated", &dec) &&
					 json_object_get_boolean(dec);

			count = json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
			if (count < 1 || count > 1000000000 ||
			    (decimated ? (size_t)count < n : (size_t)count != n))
				return refuse(path, "record %zu: n is not the number of samples "
					      "(%zu%s)", idx, n, decimated ? " or more" : "");
		}
	}
	if (json_object_object_get_ex(rec, "limit", &limit)) {
		if (!json_object_is_type(limit, json_type_object) ||
		    !json_object_object_get_ex(limit, "value", &v) || !finite_num(v) ||
		    json_object_get_double(v) <= 0)
			return refuse(path, "record %zu: limit.value must be a finite positive number",
				      idx);
		if (!json_object_object_get_ex(limit, "name", &v) ||
		    !json_object_is_type(v, json_type_string))
			return refuse(path, "record %zu: limit.name must be a string", idx);
	}
	for (i = 0; i < 6; i++) {
		static const char *const stats[] = { "min", "max", "mean", "p90", "p99", "stddev" };

		if (json_object_object_get_ex(rec, stats[i], &v) && !finite_num(v))
			return refuse(path, "record %zu: %s must be a finite number", idx, stats[i]);
	}
	return 0;
}

int json_checked_kunit(const char *path, json_object *group, int depth)
{
	json_object *cases, *groups, *status;
	size_t i;

	if (depth > 16)
		return refuse(path, "KUnit groups nested too deep");
	if (!json_object_is_type(group, json_type_object))
		return refuse(path, "a KUnit group is not an object");
	if (json_object_object_get_ex(group, "test_cases", &cases)) {
		if (!json_object_is_type(cases, json_type_array))
			return refuse(path, "test_cases must be an array");
		for (i = 0; i < json_object_array_length(cases); i++) {
			json_object *c = json_object_array_get_idx(cases, i);

			if (!json_object_is_type(c, json_type_object) ||
			    !json_object_object_get_ex(c, "status", &status) ||
			    !json_object_is_type(status, json_type_string))
				return refuse(path, "test case %zu needs a status string", i);
		}
	}
	if (json_object_object_get_ex(group, "sub_groups", &groups)) {
		if (!json_object_is_type(groups, json_type_array))
			return refuse(path, "sub_groups must be an array");
		for (i = 0; i < json_object_array_length(groups); i++)
			if (json_checked_kunit(path, json_object_array_get_idx(groups, i), depth + 1))
				return -EINVAL;
	}
	return 0;
}
