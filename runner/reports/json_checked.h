/* SPDX-License-Identifier: MIT */
/*
 * JSON files read back by the tools, checked before use: every field a
 * reader uses has the type and range it expects, or the file is refused
 * with its name and the field's.
 */
#ifndef ACTS_JSON_CHECKED_H
#define ACTS_JSON_CHECKED_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;

/* Parse path, a regular file; NULL and *err = -errno (message printed) otherwise. */
struct json_object *json_checked_load(const char *path, int *err);
/* An IGT results.json as accel-cts and igt_runner write it. 0 or -EINVAL. */
int json_checked_results(const char *path, struct json_object *root);
/* One benchmark record (the idx-th of its file). 0 or -EINVAL. */
int json_checked_bench_record(const char *path, size_t idx, struct json_object *rec);
/* A TimeAttribute: finite start and end. 0 or -EINVAL. */
int json_checked_time(const char *path, const char *what, struct json_object *t);
/* kunit.py's JSON: groups of test cases with status strings. 0 or -EINVAL. */
int json_checked_kunit(const char *path, struct json_object *group, int depth);

#endif
